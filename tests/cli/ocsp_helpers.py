"""Helpers of the client and stapling tests (test_fetch.py,
test_staple_refresh.py, test_staple_servers.py).

  ClientPki        the PKI fixture (conflib.pki.Pki) with one level: a P-256
                   CA, a delegated responder, leaf certificates added as a
                   test needs them (an OCSP URL, must-staple), bundles and
                   an OpenSSL CA index.txt the test revokes in; it also signs
                   (pyca/cryptography) responses of every kind a misbehaving
                   responder sends
  PyResponder      an HTTP OCSP responder on 127.0.0.1 (ephemeral port) whose
                   behaviour a test sets: good, revoked, expired, wrongly
                   signed, about another certificate, malformed, wrong
                   Content-Type, HTTP errors, slow, too large, tryLater; it
                   records every request
  OpensslResponder `openssl ocsp -port 0 -index ... -nrequest N` on loopback
  ocspkit_argv     the argv of an ocspkit run under OCSPKIT_WRAPPER (for
                   processes a test keeps running, such as the daemon)
  OcspkitProxy     `ocspkit serve --upstream URL` on an ephemeral port
  ocsp_get         an RFC 5019 GET (urllib): (HTTP status, headers, body)
  free_port, wait_port
"""

import base64
import datetime
import os
import re
import select
import socket
import subprocess
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from conflib.pki import Pki
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from conftest import BUILDDIR, OCSPKIT_BIN, OCSPKIT_WRAPPER, OPENSSL, free_port  # noqa: F401 (for the tests)

DER = serialization.Encoding.DER
PEM = serialization.Encoding.PEM
# an address where nothing listens: AIA of the leaves that tests give --url
NOWHERE = "http://127.0.0.1:9/"


def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0, tzinfo=None)


def ocspkit_argv(*args):
    return OCSPKIT_WRAPPER + [OCSPKIT_BIN] + [str(a) for a in args]


def ocspkit_env():
    """The environment for ocspkit runs: no HTTP proxy between it and
    loopback."""
    env = dict(os.environ)
    for k in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(k, None)
    return env


def wait_port(port, timeout=15.0, proc=None):
    end = time.time() + timeout
    while time.time() < end:
        if proc is not None and proc.poll() is not None:
            raise AssertionError("the server exited with %s" % proc.returncode)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("nothing listens on port %d" % port)


def _cert(path):
    return x509.load_pem_x509_certificate(Path(path).read_bytes())


def _key(path):
    return serialization.load_pem_private_key(Path(path).read_bytes(), None)


class Leaf:
    def __init__(self, name, serial, cert, path, key_path, bundle):
        self.name = name
        self.serial = serial
        self.cert = cert
        self.path = path          # the certificate (PEM)
        self.key = key_path       # its private key
        self.bundle = bundle      # certificate then issuer, as servers are given


class ClientPki:
    def __init__(self, root):
        self.pki = Pki(root, "p256", leaves=[], chain=False)
        self.root = self.pki.dir
        self.ca, self.ca_cert, self.ca_key = self.pki.ca, _cert(self.pki.ca), _key(self.pki.ca_key)
        self.responder, self.responder_cert = self.pki.responder, _cert(self.pki.responder)
        self.responder_key_path = self.pki.responder_key
        self.responder_key = _key(self.responder_key_path)
        # a CA of the same name with another key: what it signs is forged
        rogue, rogue_key = self.pki.rogue()
        self.rogue_cert, self.rogue_key = _cert(rogue), _key(rogue_key)
        self.index = self.pki.index
        self.leaves = {}
        self.by_serial = {}
        self._revoked = {}

    def add_leaf(self, name, serial, aia=NOWHERE, must_staple=False):
        path, _ = self.pki.issue("leaf-" + name, serial, aia=aia, must_staple=must_staple, tls_names=True)
        bundle = self.root / (name + "-bundle.pem")
        bundle.write_bytes(path.read_bytes() + self.ca.read_bytes())
        leaf = Leaf(name, serial, _cert(path), path, self.pki.leaf_key, bundle)
        self.leaves[name] = leaf
        self.by_serial[serial] = leaf
        self._write_index()
        return leaf

    def revoke(self, name, reason="keyCompromise"):
        self._revoked[name] = reason
        self._write_index()

    def _write_index(self):
        expiry = (now() + datetime.timedelta(days=365)).strftime("%y%m%d%H%M%SZ")
        revoked_at = (now() - datetime.timedelta(hours=1)).strftime("%y%m%d%H%M%SZ")
        lines = []
        for name, leaf in self.leaves.items():
            if name in self._revoked:
                lines.append("R\t%s\t%s,%s\t%X\tunknown\t/CN=%s\n" % (expiry, revoked_at, self._revoked[name],
                                                                      leaf.serial, name))
            else:
                lines.append("V\t%s\t\t%X\tunknown\t/CN=%s\n" % (expiry, leaf.serial, name))
        tmp = self.index.with_suffix(".tmp")
        tmp.write_text("".join(lines))
        os.replace(tmp, self.index)

    def response(self, leaf, status="good", this_update=None, next_update=None, validity=3600, signer="ca",
                 about=None, nonce=None, hash_alg=None):
        """DER of a successful response about leaf (or about: another
        Leaf), signed by the CA, the delegated responder or the rogue CA."""
        this_update = this_update or now() - datetime.timedelta(seconds=1)
        if next_update is None:
            next_update = this_update + datetime.timedelta(seconds=validity)
        subject = about or leaf
        cs = {"good": ocsp.OCSPCertStatus.GOOD, "revoked": ocsp.OCSPCertStatus.REVOKED,
              "unknown": ocsp.OCSPCertStatus.UNKNOWN}[status]
        b = ocsp.OCSPResponseBuilder().add_response(
            cert=subject.cert, issuer=self.ca_cert, algorithm=hash_alg or hashes.SHA1(), cert_status=cs,
            this_update=this_update, next_update=next_update,
            revocation_time=(now() - datetime.timedelta(hours=1)) if status == "revoked" else None,
            revocation_reason=x509.ReasonFlags.key_compromise if status == "revoked" else None)
        if nonce is not None:
            b = b.add_extension(x509.OCSPNonce(nonce), critical=False)
        if signer == "responder":
            b = b.responder_id(ocsp.OCSPResponderEncoding.NAME, self.responder_cert).certificates(
                [self.responder_cert])
            key = self.responder_key
        elif signer == "rogue":
            b = b.responder_id(ocsp.OCSPResponderEncoding.NAME, self.rogue_cert)
            key = self.rogue_key
        else:
            b = b.responder_id(ocsp.OCSPResponderEncoding.NAME, self.ca_cert)
            key = self.ca_key
        return b.sign(key, hashes.SHA256()).public_bytes(DER)


def staple_times(der):
    """(status, thisUpdate, nextUpdate) of a DER response, naive UTC."""
    r = ocsp.load_der_ocsp_response(der)
    return r.certificate_status.name.lower(), r.this_update, r.next_update


# ---------------------------------------------------------------- responders


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        raw = self.path
        for prefix in ("/ocsp/", "/"):
            if raw.startswith(prefix):
                raw = raw[len(prefix):]
                break
        self._serve("GET", raw, None)

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        self._serve("POST", self.path, self.rfile.read(n))

    def _serve(self, method, path, body):
        r = self.server.responder
        der = body
        if method == "GET":
            try:
                text = urllib.parse.unquote(path)
                der = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_" if "-" in text or "_" in text
                                       else None)
            except Exception:
                der = b""
        with r.lock:
            r.requests.append({"method": method, "path": self.path, "type": self.headers.get("Content-Type"),
                               "der": der})
            mode = r.script.pop(0) if r.script else r.mode
        status, ctype, payload, delay = r.answer(mode, der)
        with r.lock:
            r.last_body = payload
        if delay:
            time.sleep(delay)
        try:
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass


class PyResponder:
    """mode: good revoked unknown expired older rogue unrelated malformed
    html http404 http500 trylater slow big wrong_nonce no_nonce fixed;
    script: modes used first, one per request."""

    def __init__(self, pki, mode="good", validity=3600):
        self.pki = pki
        self.mode = mode
        self.validity = validity
        self.script = []
        self.requests = []
        self.fixed = None
        self.last_body = None
        self.slow_delay = 5.0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.responder = self
        self.port = self.server.server_address[1]
        self.url = "http://127.0.0.1:%d/ocsp" % self.port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def count(self):
        with self.lock:
            return len(self.requests)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def answer(self, mode, der):
        """(HTTP status, Content-Type, body, delay)"""
        ok = "application/ocsp-response"
        try:
            req = ocsp.load_der_ocsp_request(der)
            leaf = self.pki.by_serial.get(req.serial_number)
            nonce = None
            for ext in req.extensions:
                if isinstance(ext.value, x509.OCSPNonce):
                    nonce = ext.value.nonce
        except Exception:
            req, leaf, nonce = None, None, None
        if mode == "malformed":
            return 200, ok, b"\x30\x82\x01\x00\x0a\x01\x00\xa0", 0
        if mode == "html":
            return 200, "text/html; charset=utf-8", b"<html><body>maintenance</body></html>", 0
        if mode == "http404":
            return 404, "text/plain", b"not found", 0
        if mode == "http500":
            return 500, "text/plain", b"oops", 0
        if mode == "http503":
            return 503, "text/plain", b"busy", 0
        if mode == "trylater":
            return 200, ok, bytes.fromhex("30030a0103"), 0
        if mode == "fixed":
            return 200, ok, self.fixed, 0
        if leaf is None:
            return 200, ok, bytes.fromhex("30030a0106"), 0  # unauthorized
        if mode == "big":
            return 200, ok, self.pki.response(leaf) + b"\0" * 200000, 0
        echo = nonce if mode not in ("no_nonce", "wrong_nonce") else None
        if mode == "wrong_nonce":
            echo = b"\x5a" * 16
        kw = {"nonce": echo, "validity": self.validity}
        if mode in ("good", "slow", "no_nonce", "wrong_nonce"):
            der = self.pki.response(leaf, **kw)
        elif mode == "delegated":
            der = self.pki.response(leaf, signer="responder", **kw)
        elif mode in ("revoked", "unknown"):
            der = self.pki.response(leaf, status=mode, **kw)
        elif mode == "expired":
            der = self.pki.response(leaf, this_update=now() - datetime.timedelta(days=2),
                                    next_update=now() - datetime.timedelta(hours=1), nonce=echo)
        elif mode == "older":
            der = self.pki.response(leaf, this_update=now() - datetime.timedelta(hours=10),
                                    next_update=now() + datetime.timedelta(hours=1), nonce=echo)
        elif mode == "rogue":
            der = self.pki.response(leaf, signer="rogue", **kw)
        elif mode == "unrelated":
            other = next(l for l in self.pki.leaves.values() if l is not leaf)
            der = self.pki.response(leaf, about=other, **kw)
        else:
            raise AssertionError("unknown mode " + mode)
        return 200, ok, der, self.slow_delay if mode == "slow" else 0


class OpensslResponder:
    """`openssl ocsp` as a responder on an ephemeral port, for nrequest
    requests; stop() kills it (it waits forever for a client that went
    away)."""

    def __init__(self, pki, nrequest, nmin=60):
        self.proc = subprocess.Popen(
            [OPENSSL, "ocsp", "-port", "0", "-index", str(pki.index), "-CA", str(pki.ca),
             "-rsigner", str(pki.responder), "-rkey", str(pki.responder_key_path), "-nrequest", str(nrequest),
             "-nmin", str(nmin)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=str(pki.root))
        line, end = b"", time.time() + 15
        while time.time() < end:
            r, _, _ = select.select([self.proc.stdout], [], [], 0.5)
            if r:
                line = self.proc.stdout.readline()
                m = re.search(rb"ACCEPT .*:(\d+)", line)
                if m:
                    self.port = int(m.group(1))
                    break
            if self.proc.poll() is not None:
                break
        else:
            self.stop()
            raise AssertionError("openssl ocsp did not start")
        if not m:
            self.stop()
            raise AssertionError("openssl ocsp did not start: %r" % line)
        self.url = "http://127.0.0.1:%d/" % self.port
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        try:
            for _ in self.proc.stdout:
                pass
        except (OSError, ValueError):
            pass

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


class OcspkitProxy:
    """`ocspkit serve --CA ... --upstream URL --port 0` under the wrapper;
    stop() sends SIGTERM and returns (exit code, stderr)."""

    def __init__(self, ca, upstream, *extra):
        self.err_path = Path(str(ca) + ".proxy-%d.log" % time.monotonic_ns())
        self.err = open(self.err_path, "wb")
        self.proc = subprocess.Popen(
            ocspkit_argv("serve", "--CA", ca, "--upstream", upstream, "--port", "0", "--upstream-timeout", "2",
                         *extra),
            cwd=str(BUILDDIR), stdout=subprocess.DEVNULL, stderr=self.err, env=ocspkit_env())
        end = time.time() + 60
        while time.time() < end:
            m = re.search(r"listening on (http://[^ ]+)", self.err_path.read_text())
            if m:
                self.url = m.group(1)
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise AssertionError("ocspkit serve did not start: " + self.err_path.read_text())

    def log(self):
        return self.err_path.read_text()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(__import__("signal").SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.err.close()
        return self.proc.returncode, self.err_path.read_text()


def ocsp_request(pki, leaf, nonce=False, hash_alg=None):
    b = ocsp.OCSPRequestBuilder().add_certificate(leaf.cert, pki.ca_cert, hash_alg or hashes.SHA1())
    if nonce:
        b = b.add_extension(x509.OCSPNonce(os.urandom(16)), critical=False)
    return b.build().public_bytes(DER)


def ocsp_get(url, req_der, timeout=30, headers=None):
    import urllib.error
    import urllib.request
    path = urllib.parse.quote(base64.b64encode(req_der).decode(), safe="")
    rq = urllib.request.Request(url.rstrip("/") + "/" + path, headers=headers or {})
    try:
        with urllib.request.urlopen(rq, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def ocsp_post(url, req_der, timeout=30):
    import urllib.request
    rq = urllib.request.Request(url, data=req_der, headers={"Content-Type": "application/ocsp-request"})
    with urllib.request.urlopen(rq, timeout=timeout) as r:
        return r.status, dict(r.headers), r.read()
