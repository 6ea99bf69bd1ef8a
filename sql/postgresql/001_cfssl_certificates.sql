-- CFSSL's certdb for PostgreSQL, as its two goose migrations
-- (certdb/pg/migrations/001_CreateCertificates.sql and
-- 002_AddMetadataToCertificates.sql) leave it, for a new deployment.  A
-- database CFSSL already manages has these tables: skip this file and
-- apply 900_ocspkit.sql alone.
--
-- CFSSL stores text in bytea columns: serial_number is the serial in
-- decimal, authority_key_identifier the lowercase hex of the AKI, status
-- 'good' or 'revoked', reason a CRLReason code.

CREATE TABLE IF NOT EXISTS certificates (
  serial_number            bytea NOT NULL,
  authority_key_identifier bytea NOT NULL,
  ca_label                 bytea,
  status                   bytea NOT NULL,
  reason                   int,
  expiry                   timestamptz,
  revoked_at               timestamptz,
  pem                      bytea NOT NULL,
  issued_at                timestamptz,
  not_before               timestamptz,
  metadata                 jsonb,
  sans                     jsonb,
  common_name              text,
  PRIMARY KEY (serial_number, authority_key_identifier)
);

CREATE TABLE IF NOT EXISTS ocsp_responses (
  serial_number            bytea NOT NULL,
  authority_key_identifier bytea NOT NULL,
  body                     bytea NOT NULL,
  expiry                   timestamptz,
  PRIMARY KEY (serial_number, authority_key_identifier),
  FOREIGN KEY (serial_number, authority_key_identifier)
    REFERENCES certificates (serial_number, authority_key_identifier)
);
