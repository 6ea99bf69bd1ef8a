-- What ocspkit adds to CFSSL's certificates table (001_cfssl_certificates.sql
-- or a database CFSSL made).  Only an index and a trigger: CFSSL's own
-- reads and writes work as before.  Safe to apply again.

-- ocspkit loads the rows of its CAs by AKI and re-reads single (AKI,
-- serial) pairs; CFSSL's primary key starts with the serial.
CREATE INDEX IF NOT EXISTS ocspkit_certificates_by_aki
  ON certificates (authority_key_identifier, serial_number);

-- Every row inserted, updated or deleted is announced on the channel
-- ocspkit_certificates with the payload '<aki hex>:<decimal serial>' (the
-- two key columns as text), delivered when the transaction commits, so
-- that every `ocspkit serve --db postgresql://...` re-reads that row at
-- once.  A key that would not fit a notification (8000 octets) is
-- announced as '*', which has the nodes reload everything: a write is
-- never refused because of ocspkit.
CREATE OR REPLACE FUNCTION ocspkit_certificates_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  payload text;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    payload := encode(OLD.authority_key_identifier, 'escape') || ':' || encode(OLD.serial_number, 'escape');
    IF octet_length(payload) > 7900 THEN payload := '*'; END IF;
    PERFORM pg_notify('ocspkit_certificates', payload);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    -- an UPDATE that keeps the key sends the same payload, which
    -- PostgreSQL folds into one notification
    payload := encode(NEW.authority_key_identifier, 'escape') || ':' || encode(NEW.serial_number, 'escape');
    IF octet_length(payload) > 7900 THEN payload := '*'; END IF;
    PERFORM pg_notify('ocspkit_certificates', payload);
  END IF;
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS ocspkit_certificates_notify ON certificates;
CREATE TRIGGER ocspkit_certificates_notify
  AFTER INSERT OR UPDATE OR DELETE ON certificates
  FOR EACH ROW EXECUTE FUNCTION ocspkit_certificates_notify();

-- TRUNCATE fires no row trigger: announce it as '*' (reload everything).
CREATE OR REPLACE FUNCTION ocspkit_certificates_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('ocspkit_certificates', '*');
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS ocspkit_certificates_truncated ON certificates;
CREATE TRIGGER ocspkit_certificates_truncated
  AFTER TRUNCATE ON certificates
  FOR EACH STATEMENT EXECUTE FUNCTION ocspkit_certificates_truncated();
