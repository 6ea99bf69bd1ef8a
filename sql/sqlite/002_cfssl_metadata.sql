-- ocspkit: the columns CFSSL's second certdb migration added to
-- certificates (SQLite).  ocspkit does not read them; they are here so
-- that CFSSL can write to a database made from these files.  SQLite has
-- no ADD COLUMN IF NOT EXISTS: apply this file once, to a database made
-- by 001_cfssl_certificates.sql, not to one CFSSL has migrated.

ALTER TABLE certificates ADD COLUMN issued_at timestamp;
ALTER TABLE certificates ADD COLUMN not_before timestamp;
ALTER TABLE certificates ADD COLUMN metadata text;
ALTER TABLE certificates ADD COLUMN sans text;
ALTER TABLE certificates ADD COLUMN common_name text;
