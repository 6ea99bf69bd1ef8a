"""`ocspkit fetch` over loopback: against `openssl ocsp` as the responder
(good, revoked, GET and POST, nonce), against a Python responder that
misbehaves on purpose (every answer it must refuse, with exit code 2 and
nothing written), and the HTTP side: RFC 5019 GET encoding, POST for long
requests, the URL from the certificate's AIA, retries and backoff on
network errors and 5xx, timeouts, the size cap."""

import base64
import time
import urllib.parse

import pytest
from cryptography.x509 import ocsp

from ocsp_helpers import ClientPki, OpensslResponder, PyResponder


@pytest.fixture(scope="module")
def cpki(workdir):
    p = ClientPki(workdir / "fetch-pki")
    p.add_leaf("good", 0x2001)
    p.add_leaf("revoked", 0x2002)
    p.add_leaf("other", 0x2003)
    p.revoke("revoked")
    return p


@pytest.fixture
def py(cpki):
    r = PyResponder(cpki)
    yield r
    r.stop()


def fetch(ocspkit, cpki, leaf, url, *extra):
    return ocspkit("fetch", "--cert", cpki.leaves[leaf].path, "--issuer", cpki.ca, "--url", url, *extra)


def test_against_openssl_responder(ocspkit, cpki, tmp_path):
    srv = OpensslResponder(cpki, nrequest=4)
    try:
        out = tmp_path / "good.der"
        r = fetch(ocspkit, cpki, "good", srv.url, "--out", out, "-v")
        assert r.rc == 0, r
        assert "good.pem: good; thisUpdate" in r.out, r
        assert "signed by a delegated responder" in r.out
        assert "GET " in r.err, r  # a short request goes as GET
        status, this, nxt = ocsp_status(out.read_bytes())
        assert status == "good" and nxt > this
        # what was written verifies with `ocspkit verify` too, the same way
        v = ocspkit("verify", "--issuer", cpki.ca, "--cert", cpki.leaves["good"].path, out)
        assert v.rc == 0 and "good.pem: good" in v.out, v

        r = fetch(ocspkit, cpki, "revoked", srv.url, "--post", "--text")
        assert r.rc == 1, r
        assert "revoked.pem: revoked (keyCompromise) at" in r.out, r
        assert len(r.out.splitlines()) > 5 and r.out.count("evoked") >= 2, r  # --text: the response

        r = fetch(ocspkit, cpki, "good", srv.url, "--nonce", "--hash", "sha256")
        assert r.rc == 0, r
        # a certificate the responder does not know: verified, unknown
        r = ocspkit("fetch", "--cert", cpki.leaves["other"].path, "--issuer", cpki.ca, "--url", srv.url)
        assert r.rc in (0, 1), r
    finally:
        srv.stop()


def ocsp_status(der):
    resp = ocsp.load_der_ocsp_response(der)
    return resp.certificate_status.name.lower(), resp.this_update, resp.next_update


def test_get_encoding_aia_and_post(ocspkit, cpki, py, tmp_path):
    # the URL comes from the certificate: a leaf whose AIA names the responder
    leaf = cpki.add_leaf("aia", 0x2010, aia=py.url)
    r = ocspkit("fetch", "--cert", leaf.bundle, "-v")  # issuer from the bundle
    assert r.rc == 0, r
    assert "aia-bundle.pem: good" in r.out, r
    req = py.requests[-1]
    assert req["method"] == "GET"
    path = req["path"]
    assert path.startswith("/ocsp/"), path
    tail = path[len("/ocsp/"):]
    # RFC 5019: base64 then URL-encoded; no raw '+', '/' or '=' in the last step
    assert not any(c in tail for c in "+/="), tail
    der = base64.b64decode(urllib.parse.unquote(tail))
    assert ocsp.load_der_ocsp_request(der).serial_number == 0x2010
    assert len(base64.b64encode(der)) < 255

    # SHA-512 CertID and a nonce: over 255 octets of base64, hence POST
    r = ocspkit("fetch", "--cert", leaf.path, "--issuer", cpki.ca, "--url", py.url, "--hash", "sha512", "--nonce")
    assert r.rc == 0, r
    req = py.requests[-1]
    assert req["method"] == "POST" and req["type"] == "application/ocsp-request", req
    assert len(base64.b64encode(req["der"])) >= 255


BAD = [
    # mode, what the output says
    ("expired", "OCSPKIT_E_RESPONSE_EXPIRED"),
    ("rogue", "verification failed"),
    ("unrelated", "OCSPKIT_E_CERT_ID_NOT_FOUND"),
    ("malformed", "malformed response"),
    ("html", "Content-Type is not application/ocsp-response"),
    ("http404", "HTTP status is not 200"),
    ("trylater", "tryLater"),
    ("wrong_nonce", "OCSPKIT_E_NONCE_MISMATCH"),
]


def test_refuses_bad_answers(ocspkit, cpki, py, tmp_path):
    out = tmp_path / "never.der"
    for mode, says in BAD:
        py.mode = mode
        extra = ["--nonce"] if mode == "wrong_nonce" else []
        r = fetch(ocspkit, cpki, "good", py.url, "--out", out, "--retries", "0", *extra)
        assert r.rc == 2, (mode, r)
        assert says in r.out + r.err, (mode, r)
        assert not out.exists(), mode
    # a nonce asked for and none echoed
    py.mode = "no_nonce"
    r = fetch(ocspkit, cpki, "good", py.url, "--nonce", "--out", out)
    assert r.rc == 2 and "OCSPKIT_E_NONCE_MISSING" in r.out, r
    assert not out.exists()
    # too large for the cap
    py.mode = "big"
    n0 = py.count()
    r = fetch(ocspkit, cpki, "good", py.url, "--max-size", "4096", "--retries", "2")
    assert r.rc == 2 and "larger than the size cap" in r.err, r
    assert py.count() - n0 == 1  # not retried


def test_retries_backoff_timeouts(ocspkit, cpki, py):
    # two 5xx answers, then a good one: retried with backoff (0.5 s, 1 s)
    py.mode = "good"
    py.script = ["http503", "http500"]
    n0 = py.count()
    t0 = time.time()
    r = fetch(ocspkit, cpki, "good", py.url, "--retries", "2", "-v")
    assert r.rc == 0, r
    assert py.count() - n0 == 3
    assert time.time() - t0 >= 1.4
    assert r.err.count("HTTP 50") == 2, r

    # a 404 is not retried
    py.mode = "http404"
    n0 = py.count()
    r = fetch(ocspkit, cpki, "good", py.url, "--retries", "3")
    assert r.rc == 2 and py.count() - n0 == 1, r

    # slow: each attempt stops at the total timeout
    py.mode = "slow"
    py.slow_delay = 10
    n0 = py.count()
    t0 = time.time()
    r = fetch(ocspkit, cpki, "good", py.url, "--timeout", "0.7", "--retries", "1")
    took = time.time() - t0
    assert r.rc == 2 and "after 2 attempts" in r.err and "timed out" in r.err, r
    assert py.count() - n0 == 2
    assert took < 9, took  # two attempts that waited would take 20 s

    # down: nothing listens
    py.stop()
    r = fetch(ocspkit, cpki, "good", py.url, "--retries", "2", "--connect-timeout", "1")
    assert r.rc == 2 and "after 3 attempts" in r.err and "onnect" in r.err, r


def test_usage_errors(ocspkit, cpki):
    r = ocspkit("fetch", "--cert", cpki.leaves["good"].path, "--url", "http://127.0.0.1:9/")
    assert r.rc == 3 and "no issuer certificate" in r.err, r
    r = ocspkit("fetch", "--cert", cpki.leaves["good"].path, "--issuer", cpki.ca, "--timeout", "x")
    assert r.rc == 3, r
    r = ocspkit("fetch", "--cert", cpki.leaves["good"].path, "--issuer", cpki.leaves["other"].path)
    assert r.rc == 3 and "not issued by" in r.err, r
    r = ocspkit("fetch", "--cert", cpki.leaves["good"].path, "--issuer", cpki.ca, "--url", "ftp://127.0.0.1:9/",
                "--retries", "0")
    assert r.rc == 2, r
