"""`ocspkit serve --crl`: a smoke test of the CRL source on the command
line (the full live suite is conformance's): `openssl ca -gencrl` makes
the demo CA's CRL, `openssl ocsp -url` asks about the good and the
revoked certificate; one serve answers for one CA from index.txt and for
another from a CRL; answers keep flowing while a CRL fetch hangs.
"""

import re
import socket
import signal
import subprocess
import threading
import time

import pytest

from conftest import OPENSSL
from responder_helpers import SLOW, DemoPki, Server, openssl_ocsp

pytestmark = pytest.mark.skipif(not OPENSSL, reason="openssl not found")


def gencrl(pki, out, fmt="PEM"):
    subprocess.run([OPENSSL, "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key",
                    "-gencrl", "-crldays", "7", "-out", str(out)], cwd=str(pki.root), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
    if fmt == "DER":
        subprocess.run([OPENSSL, "crl", "-in", str(out), "-outform", "DER", "-out", str(out)], check=True,
                       timeout=60)


@pytest.fixture(scope="module")
def demo(workdir):
    return DemoPki(workdir / "crl-demo")


@pytest.fixture(scope="module")
def demo2(workdir):
    return DemoPki(workdir / "crl-demo2")


def ask(pki, url, cert):
    rc, out = openssl_ocsp("-issuer", pki.ca, "-cert", cert, "-url", url, "-CAfile", pki.ca, "-no_nonce",
                           "-resp_text")
    assert rc == 0 and "Response verify OK" in out, out
    return out


def test_serve_crl_file(workdir, demo):
    crl = demo.root / "crl.der"
    gencrl(demo, crl, "DER")
    s = Server(workdir / "crl-serve", ["--crl", crl, "--CA", demo.ca, "--rsigner", demo.responder, "--rkey",
                                      demo.responder_key])
    try:
        out = ask(demo, s.url, demo.good)
        assert "%s: good" % demo.good in out, out
        out = ask(demo, s.url, demo.revoked)
        assert "%s: revoked" % demo.revoked in out and "Reason: keyCompromise" in out, out
        # the answer's nextUpdate is the CRL's (7 days), not the default day
        assert "Next Update:" in out
        assert re.search(r"serving .*crl.der: 1 crl entries", s.stderr()), s.stderr()
    finally:
        s.stop()


def test_serve_mixed_sources(workdir, demo, demo2):
    crl = demo2.root / "crl.pem"
    gencrl(demo2, crl)
    s = Server(workdir / "crl-mixed", ["--CA", demo.ca, "--index", demo.index, "--CA", demo2.ca, "--crl", crl,
                                      "--rsigner", demo.ca, "--rkey", demo.ca_key, "--rsigner", demo2.ca,
                                      "--rkey", demo2.ca_key])
    try:
        for pki in (demo, demo2):
            assert "%s: good" % pki.good in ask(pki, s.url, pki.good)
            assert "%s: revoked" % pki.revoked in ask(pki, s.url, pki.revoked)
    finally:
        s.stop()


class CrlServer:
    """A local HTTP server of one CRL, which can be told to hang: accept
    and never answer."""

    def __init__(self, body):
        self.body = body
        self.hang = False
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = "http://127.0.0.1:%d/ca.crl" % self.sock.getsockname()[1]
        self.held = []
        self.requests = 0
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.requests += 1
            if self.hang:
                self.held.append(c)
                continue
            c.recv(65536)
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/pkix-crl\r\nContent-Length: %d\r\n"
                      b"Connection: close\r\n\r\n" % len(self.body) + self.body)
            c.close()

    def close(self):
        self.sock.close()
        for c in self.held:
            c.close()


def test_hung_fetch_does_not_stop_answers(workdir, demo):
    crl = demo.root / "crl-url.der"
    gencrl(demo, crl, "DER")
    web = CrlServer(crl.read_bytes())
    s = Server(workdir / "crl-hang", ["--crl", web.url, "--CA", demo.ca, "--rsigner", demo.responder, "--rkey",
                                      demo.responder_key, "--crl-refresh", "1"])
    try:
        assert "%s: revoked" % demo.revoked in ask(demo, s.url, demo.revoked)
        web.hang = True
        s.send_signal(signal.SIGHUP)  # a forced fetch: it hangs (up to its 30 s timeout)
        deadline = time.time() + 10
        while web.requests < 2 and time.time() < deadline:
            time.sleep(0.05)
        assert web.requests >= 2
        t0 = time.time()
        for _ in range(5):
            assert "%s: good" % demo.good in ask(demo, s.url, demo.good)
        assert time.time() - t0 < (60 if SLOW else 10)
    finally:
        web.close()
        s.stop()
