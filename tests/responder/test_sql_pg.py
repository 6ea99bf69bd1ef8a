"""The PostgreSQL backend of the SQL source (responder/sql_pg.c) against a
server started here (tests/lib/pg.py), through tests/responder/sql_pg_probe:

  - the schema (sql/postgresql/) applies twice, and CFSSL's own writes
    (INSERT, UPDATE, DELETE of certificates and ocsp_responses) work with
    ocspkit's trigger;
  - load_all gives every row of the AKIs asked as text (decimal serial,
    lowercase AKI, timestamps in UTC), all rows without AKIs, and stops
    when told;
  - changes: a commit is announced at once (waiting on the socket), with
    the row re-read; a delete gives the key with NULL status; an
    uncommitted change is not seen; a flood or a malformed payload asks
    for a reload (2);
  - the password comes from the password file given; a wrong one fails
    with a message without the password;
  - the server stopped: changes says -1, reconnect fails until it is back,
    then succeeds, and the first changes after it asks for a reload.
"""

import os
import subprocess
import time

import pytest

from conftest import BUILDDIR
from lib.pg import PASSWORD, Postgres

PROBE = BUILDDIR / "tests" / "responder" / "sql_pg_probe"
AKI = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"
OTHER = "00112233445566778899aabbccddeeff00112233"


@pytest.fixture(scope="module")
def pg(workdir):
    p = Postgres(workdir / "pg-backend")
    p.start()
    p.apply_schema()
    p.apply_schema()  # again: the files are idempotent
    for serial in (1, 2, 340282366920938463463374607431768211455):
        p.insert_cert(AKI, serial)
    p.insert_cert(AKI, 3, status="revoked", reason=1, revoked_at="2026-01-02 03:04:05.25+01")
    p.insert_cert(OTHER, 1, ca_label="other")
    yield p
    p.stop()


class Probe:
    def __init__(self, uri, passfile):
        if not PROBE.exists():
            pytest.skip("sql_pg_probe not built")
        self.p = subprocess.Popen([str(PROBE), uri, str(passfile) if passfile else "-"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True, bufsize=1)
        self.open_rc, self.open_err, _ = self._answer()

    def _answer(self):
        rows = []
        while True:
            line = self.p.stdout.readline()
            assert line, "the probe died"
            f = line.rstrip("\n").split("\t")
            if f[0] == "row":
                rows.append(tuple(None if v == "\\N" else v for v in f[1:]))
            else:
                return int(f[0].split()[1]), (f[1] if len(f) > 1 else ""), rows

    def __call__(self, cmd):
        self.p.stdin.write(cmd + "\n")
        self.p.stdin.flush()
        return self._answer()

    def close(self):
        self.p.stdin.close()
        self.p.wait(timeout=30)


@pytest.fixture
def probe(pg):
    pr = Probe(pg.uri, pg.passfile())
    assert pr.open_rc == 0, pr.open_err
    yield pr
    pr.close()


def test_load_by_aki(probe):
    rc, err, rows = probe("load " + AKI)
    assert rc == 0, err
    by_serial = {r[0]: r for r in rows}
    assert sorted(by_serial) == sorted(["1", "2", "3", "340282366920938463463374607431768211455"])
    assert by_serial["1"] == ("1", AKI, None, "good", None, None, "2099-01-01 00:00:00+00")
    assert by_serial["3"][3:6] == ("revoked", "1", "2026-01-02 02:04:05.25+00")


def test_load_all_and_several(probe):
    assert len(probe("load")[2]) == 5
    assert len(probe("load %s %s" % (AKI, OTHER))[2]) == 5
    rows = probe("load " + OTHER)[2]
    assert rows == [("1", OTHER, "other", "good", None, None, "2099-01-01 00:00:00+00")]
    assert probe("load ffff")[:2] == (0, "") and probe("load ffff")[2] == []


def test_load_stops_when_told(probe):
    rc, err, rows = probe("loadfirst 2 " + AKI)
    assert rc == 0 and len(rows) == 2
    # the connection is still usable after the cancelled query
    assert len(probe("load " + AKI)[2]) == 4


def test_changes_follow_commits(pg, probe):
    probe("load")
    assert probe("changes 0")[0] in (0, 1)  # rows queued during the load, if any
    assert probe("changes 100") == (0, "", [])
    pg.insert_cert(AKI, 77)
    rc, err, rows = probe("changes 2000")
    assert rc == 1, err
    assert [r[:4] for r in rows] == [("77", AKI, None, "good")]
    # the waiting returns as soon as the notification arrives
    t = time.monotonic()
    pg.sql("UPDATE certificates SET status = 'revoked', reason = 4, revoked_at = now() "
           "WHERE serial_number = '77' AND authority_key_identifier = '%s'" % AKI)
    rc, err, rows = probe("changes 5000")
    assert rc == 1 and rows[0][3:5] == ("revoked", "4")
    assert time.monotonic() - t < 2
    pg.sql("DELETE FROM certificates WHERE serial_number = '77'")
    rc, err, rows = probe("changes 2000")
    assert rc == 1 and rows == [("77", AKI, None, None, None, None, None)]
    assert probe("changes 50")[0] == 0


def test_uncommitted_not_seen(pg, probe):
    probe("load")
    probe("changes 0")
    pg.sql("BEGIN; UPDATE certificates SET status = 'revoked' WHERE serial_number = '1'; ROLLBACK;")
    assert probe("changes 300")[0] == 0


def drain(probe, ms):
    """The return codes of changes until it says nothing changed."""
    codes = []
    while True:
        rc = probe("changes %d" % (ms if not codes else 200))[0]
        if rc == 0:
            return codes
        codes.append(rc)


def test_flood_and_malformed_reload(pg, probe):
    probe("load")
    probe("changes 0")
    pg.sql("INSERT INTO certificates (serial_number, authority_key_identifier, status, pem) "
           "SELECT convert_to(g::text, 'UTF8'), convert_to('%s', 'UTF8'), 'good', 'x' "
           "FROM generate_series(1000, 6000) g" % OTHER)
    codes = drain(probe, 2000)
    assert 2 in codes, codes
    pg.sql("SELECT pg_notify('ocspkit_certificates', 'not a payload')")
    assert probe("changes 2000")[0] == 2
    pg.sql("DELETE FROM certificates WHERE authority_key_identifier = '%s' AND serial_number <> '1'" % OTHER)
    # (deletes of 5001 rows: too many to name)
    assert 2 in drain(probe, 2000)


def test_cfssl_writes_unharmed(pg):
    # what cfssl's certdb does: insert a certificate, store a response,
    # revoke, delete expired ones
    pg.insert_cert(AKI, 900)
    pg.sql("INSERT INTO ocsp_responses (serial_number, authority_key_identifier, body, expiry) "
           "VALUES ('900', '%s', '\\x3003', now() + interval '1 day')" % AKI)
    pg.sql("UPDATE certificates SET status = 'revoked', reason = 1, revoked_at = now() "
           "WHERE serial_number = '900' AND authority_key_identifier = '%s'" % AKI)
    pg.sql("DELETE FROM ocsp_responses WHERE serial_number = '900'; "
           "DELETE FROM certificates WHERE serial_number = '900'")
    assert pg.sql("SELECT count(*) FROM certificates WHERE serial_number = '900'").strip() == "0"


def test_password(pg, workdir):
    bad = workdir / "pgpass-bad"
    bad.write_text("127.0.0.1:%d:ocspkit:ocspkit:wrong-password\n" % pg.port)
    os.chmod(bad, 0o600)
    pr = Probe(pg.uri, bad)
    try:
        assert pr.open_rc == 0  # the source starts; the load says why it cannot read
        rc, err, _ = pr("load")
        assert rc == -1 and "password authentication failed" in err and "wrong-password" not in err
    finally:
        pr.close()
    # the password in the environment, as libpq reads it
    env_uri = pg.uri.replace("ocspkit@", "ocspkit:%s@" % PASSWORD)
    pr = Probe(env_uri, None)
    try:
        assert pr("load " + OTHER)[0] == 0
    finally:
        pr.close()


def test_bad_uri(pg):
    pr = Probe("postgresql://127.0.0.1:notaport:/x?bogus=1", None)
    try:
        assert pr.open_rc == -1 and "bad connection URI" in pr.open_err
    finally:
        pr.p.wait(timeout=10)


def test_server_down_and_back(pg, probe):
    assert probe("load " + AKI)[0] == 0
    probe("changes 0")
    pg.stop()
    rc, err, _ = probe("changes 2000")
    assert rc == -1 and err, err
    rc, err, _ = probe("reconnect")
    assert rc == -1 and err
    pg.start(first=False)
    pg.sql("UPDATE certificates SET status = 'revoked', reason = 1, revoked_at = now() "
           "WHERE serial_number = '2' AND authority_key_identifier = '%s'" % AKI)
    assert probe("reconnect")[0] == 0
    assert probe("reconnect")[0] == 0  # usable: nothing to do
    # notifications sent while down are lost: reload
    assert probe("changes 100")[0] == 2
    rows = probe("load " + AKI)[2]
    assert {r[0]: r[3] for r in rows}["2"] == "revoked"
    assert probe("changes 100")[0] == 0
