"""`ocspkit serve --db sqlite:PATH`: a CFSSL certdb made by the test
(sql/sqlite/'s schema, rows as CFSSL writes them: decimal serials, the
AKI in lowercase hex, the Go driver's times, PEM), asked with `openssl
ocsp -url`: good, revoked with every reason, unknown; an UPDATE that
revokes is answered revoked within the reload interval plus a second; the
file moved away and back: answers from the snapshot meanwhile.
"""

import datetime
import os
import re
import sqlite3
import subprocess
import time

import pytest
from cryptography import x509

from conftest import OCSPKIT_BIN, OPENSSL, SRCDIR
from responder_helpers import DemoPki, Server, openssl_ocsp

pytestmark = pytest.mark.skipif(not OPENSSL, reason="openssl not found")

REASONS = {0: None, 1: "keyCompromise", 2: "cACompromise", 3: "affiliationChanged", 4: "superseded",
           5: "cessationOfOperation", 6: "certificateHold", 8: "removeFromCRL", 9: "privilegeWithdrawn",
           10: "aACompromise"}
RELOAD = 1  # --reload-interval: how often serve looks at the database


@pytest.fixture(scope="module")
def demo(workdir):
    return DemoPki(workdir / "db-demo")


@pytest.fixture(scope="module", autouse=True)
def sqlite_built(demo):
    """Skips the module when ocspkit was built without SQLite."""
    if not os.path.exists(OCSPKIT_BIN):
        pytest.skip("ocspkit not built")
    r = subprocess.run([OCSPKIT_BIN, "respond", "--db", "sqlite:/nonexistent/certdb", "--CA", str(demo.ca),
                        "--rsigner", str(demo.responder), "--rkey", str(demo.responder_key)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    if "not built" in r.stderr:
        pytest.skip("ocspkit was built without SQLite")


def go_time(t):
    """A time as Go's SQLite driver writes a time.Time."""
    return t.strftime("%Y-%m-%d %H:%M:%S.%f") + "+00:00"


def aki_of(pem_path):
    c = x509.load_pem_x509_certificate(pem_path.read_bytes())
    return c.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier.hex()


def make_db(path, demo):
    if path.exists():
        path.unlink()
    db = sqlite3.connect(str(path))
    for name in ("001_cfssl_certificates.sql", "002_cfssl_metadata.sql", "900_ocspkit.sql"):
        db.executescript((SRCDIR / "sql" / "sqlite" / name).read_text())
    aki = aki_of(demo.good)
    now = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)
    expiry = go_time(now + datetime.timedelta(days=365))
    zero = "0001-01-01 00:00:00+00:00"
    rows = [(str(demo.serial_of(demo.good)), aki, "good", 0, zero, demo.good.read_text()),
            (str(demo.serial_of(demo.revoked)), aki, "revoked", 1, go_time(now), demo.revoked.read_text())]
    for r in REASONS:
        rows.append((str(1000 + r), aki, "revoked", r, go_time(now), "PEM"))
    rows.append(("5000", aki, "good", 0, zero, "PEM"))
    rows.append(("05001", aki, "revoked", 1, go_time(now), "PEM"))  # not a decimal serial: skipped
    rows.append(("6000", "00" * 20, "revoked", 1, go_time(now), "PEM"))  # another CA's
    db.executemany("INSERT INTO certificates (serial_number, authority_key_identifier, ca_label, status, reason, "
                   "expiry, revoked_at, pem, issued_at, not_before, metadata, sans, common_name) "
                   "VALUES (?, ?, 'primary', ?, ?, '%s', ?, ?, '%s', '%s', '{}', '[]', 'leaf')"
                   % (expiry, go_time(now), go_time(now)), rows)
    db.commit()
    db.close()


def revoke(db, serial, reason):
    """Revokes serial now, as `cfssl revoke` writes it."""
    w = sqlite3.connect(str(db))
    w.execute("UPDATE certificates SET status='revoked', reason=?, revoked_at=? WHERE serial_number=?",
              (reason, go_time(datetime.datetime.now(datetime.timezone.utc)), str(serial)))
    w.commit()
    w.close()


def ask(demo, url, serial):
    """(status, reason) of serial as openssl ocsp reads the answer."""
    rc, out = openssl_ocsp("-issuer", demo.ca, "-serial", str(serial), "-url", url, "-CAfile", demo.ca,
                           "-no_nonce", "-resp_text")
    assert rc == 0 and "Response verify OK" in out, out
    m = re.search(r"^%s: (good|revoked|unknown)" % serial, out, re.M)
    assert m, out
    # the code, from -resp_text (openssl has no name for 9 and 10)
    r = re.search(r"Revocation Reason: .*\(0x([0-9a-f]+)\)", out)
    return m.group(1), REASONS[int(r.group(1), 16)] if r else None


def serve(workdir, demo, db, name, *extra):
    return Server(workdir / name, ["--db", "sqlite:%s" % db, "--CA", demo.ca, "--rsigner", demo.responder,
                                   "--rkey", demo.responder_key, "--reload-interval", str(RELOAD)] + list(extra))


def test_statuses(workdir, demo):
    db = workdir / "certdb.sqlite"
    make_db(db, demo)
    s = serve(workdir, demo, db, "db-statuses")
    try:
        assert ask(demo, s.url, demo.serial_of(demo.good)) == ("good", None)
        assert ask(demo, s.url, demo.serial_of(demo.revoked)) == ("revoked", "keyCompromise")
        for r, name in REASONS.items():
            assert ask(demo, s.url, 1000 + r) == ("revoked", name), r
        assert ask(demo, s.url, 5000) == ("good", None)
        assert ask(demo, s.url, 5001) == ("unknown", None)
        assert ask(demo, s.url, 6000) == ("unknown", None)
        assert ask(demo, s.url, 424242) == ("unknown", None)
        err = s.stderr()
        assert re.search(r"db reloaded|serving .*certdb.sqlite", err), err
        assert "1 rows skipped: bad serial_number" in err, err
    finally:
        s.stop()


def test_update_seen_within_the_poll(workdir, demo):
    db = workdir / "certdb-update.sqlite"
    make_db(db, demo)
    s = serve(workdir, demo, db, "db-update")
    try:
        assert ask(demo, s.url, 5000) == ("good", None)
        t0 = time.monotonic()
        revoke(db, 5000, 4)
        took = None
        while time.monotonic() - t0 < 10:
            if ask(demo, s.url, 5000) == ("revoked", "superseded"):
                took = time.monotonic() - t0
                break
            time.sleep(0.05)
        assert took is not None, s.stderr()
        assert took <= RELOAD + 1, "revoked after %.2f s" % took
    finally:
        s.stop()


def test_database_away_keeps_snapshot(workdir, demo):
    db = workdir / "certdb-away.sqlite"
    make_db(db, demo)
    s = serve(workdir, demo, db, "db-away")
    try:
        assert ask(demo, s.url, 1001) == ("revoked", "keyCompromise")
        moved = workdir / "certdb-away.moved"
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(str(db) + suffix):
                os.rename(str(db) + suffix, str(moved) + suffix)
        assert s.wait_stderr(r"db refused, the previous one keeps serving: .*gone"), s.stderr()
        assert ask(demo, s.url, 1001) == ("revoked", "keyCompromise")
        assert ask(demo, s.url, 5000) == ("good", None)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(str(moved) + suffix):
                os.rename(str(moved) + suffix, str(db) + suffix)
        revoke(db, 5000, 1)
        assert s.wait_stderr(r"\(database back\)", timeout=15), s.stderr()
        assert ask(demo, s.url, 5000) == ("revoked", "keyCompromise")
        # said once, not at every retry
        assert s.stderr().count("db refused") == 1, s.stderr()
    finally:
        s.stop()


def test_bad_db(demo, tmp_path):
    common = ["--CA", str(demo.ca), "--rsigner", str(demo.responder), "--rkey", str(demo.responder_key)]
    runs = [(["serve", "--db", "mysql://x"], "not a database URI"),
            (["presign", "--db", "mysql://x", str(tmp_path / "out")], "not a database URI"),
            (["respond", "--db", "sqlite:/nonexistent/certdb", "--reqin", str(tmp_path / "req.der"), "--respout",
              str(tmp_path / "resp.der")], "no such file"),
            (["presign", "--db", "sqlite:/nonexistent/certdb", str(tmp_path / "out")], "no such file")]
    for args, says in runs:
        r = subprocess.run([OCSPKIT_BIN] + args + common, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=60)
        assert r.returncode != 0 and says in r.stderr, (args, r.stderr)


def test_started_before_the_database(workdir, demo):
    """serve answers tryLater until the database exists, then from it."""
    db = workdir / "certdb-later.sqlite"
    if db.exists():
        db.unlink()
    s = serve(workdir, demo, db, "db-later")
    try:
        rc, out = openssl_ocsp("-issuer", demo.ca, "-serial", "1001", "-url", s.url, "-CAfile", demo.ca,
                               "-no_nonce")
        assert "tryLater" in out or "trylater" in out.lower(), out
        make_db(db, demo)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and "(database back)" not in s.stderr():
            time.sleep(0.1)
        assert ask(demo, s.url, 1001) == ("revoked", "keyCompromise"), s.stderr()
    finally:
        s.stop()
