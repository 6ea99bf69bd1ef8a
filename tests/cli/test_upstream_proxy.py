"""`ocspkit serve --upstream URL`, the caching proxy, live on loopback:

  - in front of `openssl ocsp -nrequest 2`: hits never reach the upstream
    (it is still waiting for its second request after many hits), answers
    are byte-identical and carry HTTP caching headers, a nonce request is
    passed through, and once the upstream has gone the cached answer is
    still served while a miss gets tryLater; a CA not configured is
    unauthorized;
  - in front of a Python responder with 6-second responses: the proxy
    refreshes ahead of expiry without a client asking, serves the
    upstream's exact bytes, keeps serving the last good answer while the
    upstream is down, and says tryLater once it has expired;
  - in front of one that holds requests without answering: cached hits
    are answered at once meanwhile, and misses for one CertID make one
    upstream request;
  - in front of one that ignores nonces: passed through (a wrong nonce
    is not).
"""

import subprocess
import threading
import time

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from ocsp_helpers import (OPENSSL, ClientPki, OcspkitProxy, OpensslResponder, PyResponder, ocsp_get, ocsp_post,
                          ocsp_request)

TRY_LATER = bytes.fromhex("30030a0103")


@pytest.fixture(scope="module")
def cpki(workdir):
    p = ClientPki(workdir / "proxy-pki")
    p.add_leaf("good", 0x5001)
    p.add_leaf("revoked", 0x5002)
    p.revoke("revoked")
    return p


def status_of(body):
    r = ocsp.load_der_ocsp_response(body)
    assert r.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    return r.certificate_status.name.lower()


def test_in_front_of_openssl(cpki):
    upstream = OpensslResponder(cpki, nrequest=2)
    proxy = None
    try:
        proxy = OcspkitProxy(cpki.ca, upstream.url)
        req = ocsp_request(cpki, cpki.leaves["good"])
        code, headers, first = ocsp_get(proxy.url, req)
        assert code == 200 and headers["Content-Type"] == "application/ocsp-response"
        assert status_of(first) == "good"
        for i in range(6):
            code, headers, body = ocsp_get(proxy.url, req) if i % 2 else ocsp_post(proxy.url, req)
            assert code == 200 and body == first, i
        assert "max-age=" in headers["Cache-Control"] and "public" in headers["Cache-Control"]
        assert headers.get("ETag") and headers.get("Expires")
        # a conditional GET: 304, still without the upstream
        code, _, body = ocsp_get(proxy.url, req, headers={"If-None-Match": headers["ETag"]})
        assert code == 304 and body == b""
        # the upstream saw one request of the two it waits for
        assert upstream.proc.poll() is None

        # a nonce goes through to the upstream, and comes back
        nreq = ocsp_request(cpki, cpki.leaves["revoked"], nonce=True)
        code, _, body = ocsp_post(proxy.url, nreq)
        assert code == 200 and status_of(body) == "revoked"
        sent = ocsp.load_der_ocsp_request(nreq).extensions[0].value.nonce
        got = ocsp.load_der_ocsp_response(body).extensions[0].value.nonce
        assert sent == got
        upstream.proc.wait(timeout=10)  # its two requests are used up: gone

        # the upstream is down: the cached answer is still served, a miss is tryLater
        code, _, body = ocsp_get(proxy.url, req)
        assert code == 200 and body == first
        code, headers, body = ocsp_get(proxy.url, ocsp_request(cpki, cpki.leaves["revoked"]))
        assert code == 200 and body == TRY_LATER and "no-store" in headers["Cache-Control"]
        # a CA the proxy does not serve (same name, another key)
        other = ocsp.OCSPRequestBuilder().add_certificate(cpki.leaves["good"].cert, cpki.rogue_cert, hashes.SHA1())
        code, _, body = ocsp_get(proxy.url, other.build().public_bytes(serialization.Encoding.DER))
        assert code == 200 and body == bytes.fromhex("30030a0106")
    finally:
        if proxy:
            rc, log = proxy.stop()
            assert rc == 0, log
            assert "caching proxy for 1 CA" in log, log
        upstream.stop()


def test_refresh_ahead_and_serving_through_an_outage(cpki):
    py = PyResponder(cpki, validity=6)
    proxy = OcspkitProxy(cpki.ca, py.url)
    try:
        req = ocsp_request(cpki, cpki.leaves["good"])
        code, _, a = ocsp_get(proxy.url, req)
        assert code == 200 and a == py.last_body and py.count() == 1
        time.sleep(0.3)
        code, _, body = ocsp_get(proxy.url, req)
        assert body == a and py.count() == 1
        # refreshed halfway through without a client asking
        end = time.time() + 15
        while py.count() < 2 and time.time() < end:
            time.sleep(0.1)
        assert py.count() == 2, proxy.log()
        # served once the refresh has ended (hits meanwhile get a)
        while time.time() < end:
            code, _, b = ocsp_get(proxy.url, req)
            if b != a:
                break
            time.sleep(0.1)
        assert code == 200 and b == py.last_body and b != a and py.count() == 2
        rb = ocsp.load_der_ocsp_response(b)
        assert (rb.next_update - rb.this_update).total_seconds() == 6

        # the upstream goes away: b is served until it expires
        py.stop()
        code, _, body = ocsp_get(proxy.url, req)
        assert code == 200 and body == b
        end = time.time() + 20
        while time.time() < end:
            code, _, body = ocsp_get(proxy.url, req)
            if body != b:
                break
            time.sleep(0.25)
        assert body == TRY_LATER, proxy.log()
        log = proxy.log()
        assert "refreshed serial 5001 from upstream" in log, log
        assert "refresh of serial 5001 failed" in log and "serving the cached answer until" in log, log
    finally:
        rc, log = proxy.stop()
        assert rc == 0, log


def test_cached_hits_never_wait_for_a_hung_upstream(cpki):
    """Misses hanging upstream (the fetch pool) leave cached answers to the
    HTTP threads: hits are answered at once, and concurrent misses for one
    CertID make one upstream request."""
    for i in range(6):
        if "miss%d" % i not in cpki.leaves:
            cpki.add_leaf("miss%d" % i, 0x5100 + i)
    py = PyResponder(cpki)
    proxy = OcspkitProxy(cpki.ca, py.url, "--access-log", "-")
    try:
        req = ocsp_request(cpki, cpki.leaves["good"])
        code, _, first = ocsp_get(proxy.url, req)
        assert code == 200 and status_of(first) == "good" and py.count() == 1
        # from now on the upstream accepts and holds every request (far
        # longer than the proxy's --upstream-timeout 2)
        py.mode, py.slow_delay = "slow", 30
        results = []

        def miss(name):
            results.append(ocsp_get(proxy.url, ocsp_request(cpki, cpki.leaves[name]), timeout=60))

        threads = [threading.Thread(target=miss, args=("miss%d" % (i % 4),)) for i in range(8)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        took = []
        for _ in range(10):
            t0 = time.monotonic()
            code, _, body = ocsp_get(proxy.url, req)
            took.append(time.monotonic() - t0)
            assert code == 200 and body == first
        for t in threads:
            t.join(60)
        # 8 misses for 4 CertIDs: one upstream request each, all tryLater
        assert py.count() == 1 + 4, py.requests
        assert len(results) == 8 and all(r[2] == TRY_LATER for r in results), results
        assert max(took) < 1.0, took
    finally:
        rc, log = proxy.stop()
        py.stop()
        assert rc == 0, log
    # the access log tells cached answers from fetched ones
    assert " cert=good serial=5001 upstream" in log and " cert=good serial=5001 cached" in log, log
    assert "upstream cache: " in log and " signed" not in log.split("stopped after")[1], log


@pytest.mark.parametrize("mode", ["no_nonce", "wrong_nonce"])
def test_upstream_ignoring_nonces(cpki, mode):
    """An upstream that ignores the client's nonce (RFC 8954 allows it) is
    passed through as it would be asked directly; a wrong nonce is not."""
    py = PyResponder(cpki, mode=mode)
    proxy = OcspkitProxy(cpki.ca, py.url)
    try:
        out = subprocess.run([OPENSSL, "ocsp", "-issuer", str(cpki.ca), "-cert", str(cpki.leaves["good"].path),
                              "-url", proxy.url, "-CAfile", str(cpki.ca), "-resp_text"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60).stdout
        if mode == "no_nonce":
            assert "WARNING: no nonce in response" in out and ": good" in out, out
        else:
            assert "Responder Error: trylater" in out, out
        assert py.count() == 1
    finally:
        rc, log = proxy.stop()
        py.stop()
        assert rc == 0, log
