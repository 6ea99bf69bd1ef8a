-- ocspkit: the tables of CFSSL's certificate database (certdb), SQLite.
-- For a new deployment; a database CFSSL made already has them.  The
-- column names and types are CFSSL's, so that `cfssl serve`, `cfssl
-- ocsprefresh` and `ocspkit serve --db sqlite:PATH` share one file.
--
-- What ocspkit reads (responder/sql_row.h):
--   serial_number             the certificate's serial, in decimal
--   authority_key_identifier  the keyIdentifier of its AKI, lowercase hex
--   ca_label                  the CA's label (--db-ca-label), may be NULL
--   status                    'good' or 'revoked'
--   reason                    the CRLReason code of a revoked row
--   expiry, revoked_at        times as the Go driver writes them
--                             ("2006-01-02 15:04:05.999999999-07:00")

CREATE TABLE IF NOT EXISTS certificates (
  serial_number            blob NOT NULL,
  authority_key_identifier blob NOT NULL,
  ca_label                 blob,
  status                   blob NOT NULL,
  reason                   int,
  expiry                   timestamp,
  revoked_at               timestamp,
  pem                      blob NOT NULL,
  PRIMARY KEY (serial_number, authority_key_identifier)
);

-- Signed responses, as `cfssl ocsprefresh` writes them.
CREATE TABLE IF NOT EXISTS ocsp_responses (
  serial_number            blob NOT NULL,
  authority_key_identifier blob NOT NULL,
  body                     blob NOT NULL,
  expiry                   timestamp,
  PRIMARY KEY (serial_number, authority_key_identifier),
  FOREIGN KEY (serial_number, authority_key_identifier)
    REFERENCES certificates (serial_number, authority_key_identifier)
);
