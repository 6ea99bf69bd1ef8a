-- ocspkit: what ocspkit adds to a CFSSL certdb (SQLite).  Safe on a
-- database CFSSL made and uses: an index only, no change to its tables.
--
-- ocspkit reads the rows of the CAs it serves (WHERE
-- authority_key_identifier IN (...)): the primary key leads with
-- serial_number, so without this index every read scans the table of
-- every CA.
CREATE INDEX IF NOT EXISTS ocspkit_certificates_by_aki
  ON certificates (authority_key_identifier, serial_number);

-- Write-ahead logging lets ocspkit read while CFSSL writes.  It is a
-- property of the file, kept once set (run it with write access).
PRAGMA journal_mode = WAL;
