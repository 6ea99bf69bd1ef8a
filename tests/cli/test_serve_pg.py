"""Three `ocspkit serve --db postgresql://...` nodes on one database (a
PostgreSQL started here, tests/lib/pg.py, with CFSSL's certdb and
ocspkit's trigger from sql/postgresql/) behind nginx as a load balancer:

  - `openssl ocsp -url` through nginx: good, revoked (keyCompromise),
    unknown for a serial the table does not have;
  - a revocation committed in the database (UPDATE ... SET
    status='revoked') is answered revoked by every node within 1 s
    (measured per node, printed);
  - PostgreSQL stopped: every node keeps answering from its snapshot;
    started again: the nodes catch up without a restart, including a
    change made while they were disconnected;
  - a node started while the database is down answers tryLater, and
    answers from the database once it comes up.
"""

import time

import pytest

from conftest import OPENSSL
from lib.pg import MISSING, Postgres
from responder_helpers import NGINX, DemoPki, Nginx, Server, cert_id, http, ocsp_request, openssl_ocsp
from test_responder import response_parts

pytestmark = [pytest.mark.skipif(not NGINX, reason="nginx not installed"),
              pytest.mark.skipif(not OPENSSL, reason="openssl not found"),
              pytest.mark.skipif(bool(MISSING), reason=MISSING or "")]

NODES = 3
POLL = "5"  # --db-poll: the consistency poll, well above the 1 s asked of notifications
TRY_LATER = 3


@pytest.fixture(scope="module")
def demo(workdir):
    return DemoPki(workdir / "pg-demo")


def aki_of(demo):
    """The AKI of the demo's leaves, as CFSSL stores it: the CA's key hash
    (subjectKeyIdentifier = hash), lowercase hex."""
    return demo.key_hash("sha1").hex()


@pytest.fixture(scope="module")
def pg(workdir, demo):
    p = Postgres(workdir / "pg-serve")
    p.start()
    p.apply_schema()
    aki = aki_of(demo)
    p.insert_cert(aki, demo.serial_of(demo.good))
    p.insert_cert(aki, demo.serial_of(demo.revoked), status="revoked", reason=1,
                  revoked_at="2026-11-01 10:00:00+00")
    for s in range(0x2001, 0x2011):  # to revoke, one per test step
        p.insert_cert(aki, s)
    yield p
    p.stop()


def node_args(demo, pg):
    return ["--db", pg.uri, "--db-passfile", pg.passfile(), "--db-poll", POLL, "--CA", demo.ca,
            "--rsigner", demo.responder, "--rkey", demo.responder_key]


@pytest.fixture(scope="module")
def nodes(workdir, demo, pg):
    ns = [Server(workdir / ("pg-node%d" % i), node_args(demo, pg), name="node%d" % i) for i in range(NODES)]
    for n in ns:
        assert wait_status(n, demo, 0x2001, "good", 20) is not None, n.stderr()
    # past the first poll (1 s after start), from which a node waits for
    # notifications: what is measured is the steady state
    time.sleep(1.5)
    yield ns
    for n in ns:
        n.stop()


@pytest.fixture(scope="module")
def lb(workdir, nodes):
    upstream = "".join("    server 127.0.0.1:%d;\n" % n.port for n in nodes)
    ngx = Nginx(workdir, "  upstream ocsp {\n%s  }\n  server {\n    listen 127.0.0.1:@PORT@;\n"
                "    location / { proxy_pass http://ocsp; proxy_http_version 1.1;\n"
                "      proxy_set_header Connection \"\"; }\n  }\n" % upstream, name="nginx-pg")
    yield ngx
    ngx.stop()


def ask(node, demo, serial):
    """(responseStatus, certStatus or None) from one node, by POST."""
    st, _, body = http(node.port, "POST", "/", ocsp_request([cert_id(demo, serial)]),
                       {"Content-Type": "application/ocsp-request"}, timeout=10)
    assert st == 200
    status, singles = response_parts(body)
    return status, (singles[0][0] if singles else None)


def wait_status(node, demo, serial, want, timeout):
    """Seconds until the node answers want for serial (polling every 10
    ms), or None at the timeout."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            if ask(node, demo, serial) == (0, want):
                return time.monotonic() - t0
        except (OSError, AssertionError):
            pass
        time.sleep(0.01)
    return None


def wait_all(nodes, demo, serial, want, timeout):
    """Seconds from now until each node answers want for serial (asked in
    turn, every node every ~10 ms), None for those that did not within
    timeout."""
    t0 = time.monotonic()
    took = [None] * len(nodes)
    while None in took and time.monotonic() - t0 < timeout:
        for i, n in enumerate(nodes):
            if took[i] is None:
                try:
                    if ask(n, demo, serial) == (0, want):
                        took[i] = time.monotonic() - t0
                except (OSError, AssertionError):
                    pass
        time.sleep(0.005)
    return took


def figures(took):
    return ", ".join("%.0f ms" % (x * 1000) if x is not None else "none" for x in took)


def revoke(pg, demo, serial):
    pg.sql("UPDATE certificates SET status = 'revoked', reason = 1, revoked_at = now() "
           "WHERE serial_number = '%d' AND authority_key_identifier = '%s'" % (serial, aki_of(demo)))


def test_openssl_through_nginx(demo, lb):
    for cert, want in ((demo.good, "good"), (demo.revoked, "revoked")):
        for _ in range(NODES):  # round robin: every node answers once
            rc, out = openssl_ocsp("-issuer", demo.ca, "-cert", cert, "-url", lb.url, "-CAfile", demo.ca,
                                   "-resp_text")
            assert rc == 0 and "Response verify OK" in out and "%s: %s" % (cert, want) in out, out
            if want == "revoked":
                assert "Reason: keyCompromise" in out, out
    rc, out = openssl_ocsp("-issuer", demo.ca, "-serial", "0x7777777", "-url", lb.url, "-CAfile", demo.ca)
    assert rc == 0 and "0x7777777: unknown" in out, out


def test_revocation_on_every_node_within_1s(demo, pg, nodes):
    for n in nodes:
        assert ask(n, demo, 0x2002) == (0, "good")
    revoke(pg, demo, 0x2002)
    t = wait_all(nodes, demo, 0x2002, "revoked", 5)
    print("\ncommit -> revoked, per node: %s" % figures(t))
    assert all(x is not None and x < 1.0 for x in t), t


def test_database_down_and_back(demo, pg, nodes):
    for n in nodes:
        assert ask(n, demo, 0x2003) == (0, "good")
    pg.stop()
    time.sleep(1)
    for n in nodes:  # the snapshot serves
        assert ask(n, demo, demo.serial_of(demo.revoked)) == (0, "revoked")
        assert ask(n, demo, 0x2003) == (0, "good")
    pg.start(first=False)
    revoke(pg, demo, 0x2003)  # while the nodes are not connected yet
    for n in nodes:
        t = wait_status(n, demo, 0x2003, "revoked", 30)
        assert t is not None, n.stderr()[-2000:]
    # and the notifications work again on the new connections
    revoke(pg, demo, 0x2004)
    t = wait_all(nodes, demo, 0x2004, "revoked", 5)
    print("\nafter the reconnect, commit -> revoked, per node: %s" % figures(t))
    assert all(x is not None and x < 1.0 for x in t), t
    for n in nodes:
        assert n.proc.poll() is None


def test_node_started_while_database_down(workdir, demo, pg, nodes):
    pg.stop()
    late = Server(workdir / "pg-late", node_args(demo, pg), name="late")
    try:
        time.sleep(1)
        assert ask(late, demo, 0x2001) == (TRY_LATER, None)  # no data yet: never a guess
        pg.start(first=False)
        t = wait_status(late, demo, 0x2001, "good", 30)
        assert t is not None, late.stderr()[-2000:]
        assert ask(late, demo, demo.serial_of(demo.revoked)) == (0, "revoked")
        revoke(pg, demo, 0x2005)
        assert wait_status(late, demo, 0x2005, "revoked", 5) is not None
    finally:
        late.stop()
        if pg.pid is None:
            pg.start(first=False)
