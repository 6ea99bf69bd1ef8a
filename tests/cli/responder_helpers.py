"""What the responder tests share: a demo PKI made by `openssl ca`, an
`ocspkit serve` process (through OCSPKIT_WRAPPER, on an ephemeral port),
nginx as a foreground process with its own prefix, and OCSP requests
built here in Python (so that tests can choose every byte: hash
algorithms, parameter forms, nonces of any size, serials whose base64 has
'+', '/' or "//").
"""

import base64
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import (BUILDDIR, OCSPKIT_BIN, OCSPKIT_WRAPPER, OPENSSL, SRCDIR, VALGRIND_EXIT, der_content,
                      der_encode, der_split, free_port, pem_to_der)

SLOW = bool(OCSPKIT_WRAPPER)  # valgrind: keep request counts small, timeouts long
START_TIMEOUT = 120 if SLOW else 20
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
CURL = shutil.which("curl")
OCSPTOOL = shutil.which("ocsptool")


# ---------------------------------------------------------------- PKI

class DemoPki:
    """scripts/demo-pki.sh DIR ec: ca.pem, responder.pem/.key (delegated),
    good.pem, revoked.pem (keyCompromise), index.txt as `openssl ca`
    keeps it, with ca.cnf to revoke more."""

    def __init__(self, root, alg="ec"):
        self.root = Path(root)
        env = dict(os.environ, OPENSSL=OPENSSL or "openssl")
        subprocess.run(["sh", str(SRCDIR / "scripts" / "demo-pki.sh"), str(self.root), alg], check=True,
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
        self.ca = self.root / "ca.pem"
        self.ca_key = self.root / "ca.key"
        self.responder = self.root / "responder.pem"
        self.responder_key = self.root / "responder.key"
        self.good = self.root / "good.pem"
        self.revoked = self.root / "revoked.pem"
        self.index = self.root / "index.txt"
        self.ca_der = pem_to_der(self.ca.read_text())

    def serial_of(self, cert):
        r = subprocess.run([OPENSSL, "x509", "-in", str(cert), "-noout", "-serial"], check=True,
                           stdout=subprocess.PIPE, text=True)
        return int(r.stdout.strip().split("=")[1], 16)

    def serve_args(self):
        return ["--index", self.index, "--CA", self.ca, "--rsigner", self.responder, "--rkey", self.responder_key]

    # CertID parts, computed here from the CA certificate
    def _tbs(self):
        tbs = der_split(der_content(self.ca_der))[0]
        f = der_split(der_content(tbs))
        return f[1:] if f[0][0] == 0xA0 else f

    def name_hash(self, h):
        memo = self.__dict__.setdefault("_name_hashes", {})
        if h not in memo:
            memo[h] = hashlib.new(h, self._tbs()[4]).digest()
        return memo[h]

    def key_hash(self, h):
        memo = self.__dict__.setdefault("_key_hashes", {})
        if h not in memo:
            bits = der_content(der_split(der_content(self._tbs()[5]))[1])
            memo[h] = hashlib.new(h, bits[1:]).digest()
        return memo[h]


HASH_OIDS = {
    "sha1": "2b0e03021a",
    "sha224": "608648016503040204",
    "sha256": "608648016503040201",
    "sha384": "608648016503040202",
    "sha512": "608648016503040203",
}


def der_int(n):
    b = n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big")
    return der_encode(0x02, b)


def cert_id(pki, serial, h="sha1", null_params=True):
    alg = der_encode(0x06, bytes.fromhex(HASH_OIDS[h])) + (b"\x05\x00" if null_params else b"")
    return der_encode(0x30, der_encode(0x30, alg) + der_encode(0x04, pki.name_hash(h)) +
                      der_encode(0x04, pki.key_hash(h)) + der_int(serial))


def ocsp_request(ids, nonce=None):
    """OCSPRequest DER for CertIDs (DER), with a nonce (bytes) or none."""
    reqs = b"".join(der_encode(0x30, i) for i in ids)
    tbs = der_encode(0x30, der_encode(0x30, reqs))
    if nonce is not None:
        ext = der_encode(0x30, der_encode(0x06, bytes.fromhex("2b0601050507300102")) +
                         der_encode(0x04, der_encode(0x04, nonce)))
        tbs = der_encode(0x30, der_encode(0x30, reqs) + der_encode(0xA2, der_encode(0x30, ext)))
    return der_encode(0x30, tbs)


def b64(der):
    return base64.b64encode(der).decode()


# ---------------------------------------------------------------- processes

class Server:
    """`ocspkit serve ARGS --port 0`, its stderr in a file, the access log
    in another; .port, .url, .log_lines(), .stop()."""

    def __init__(self, workdir, args, name="serve", addr=None):
        if not os.path.exists(OCSPKIT_BIN):
            pytest.skip("ocspkit not built")
        self.dir = Path(workdir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.err_path = self.dir / (name + ".stderr")
        self.log_path = self.dir / (name + ".access")
        for p in (self.err_path, self.log_path):
            if p.exists():
                p.unlink()
        argv = OCSPKIT_WRAPPER + [OCSPKIT_BIN, "serve"] + [str(a) for a in args] + [
            "--port", "0", "--access-log", str(self.log_path)]
        if addr:
            argv += ["--addr", addr]
        self.err = open(self.err_path, "wb")
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=self.err, cwd=str(BUILDDIR))
        self.port = None
        deadline = time.time() + START_TIMEOUT
        while time.time() < deadline:
            m = re.search(r"listening on http://(\[[^\]]*\]|[^/:]*):(\d+)/", self.stderr())
            if m:
                self.host = m.group(1)
                self.port = int(m.group(2))
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if self.port is None:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("ocspkit serve did not start:\n" + self.stderr())
        self.url = "http://%s:%d/" % (self.host, self.port)

    def stderr(self):
        return self.err_path.read_text(errors="replace") if self.err_path.exists() else ""

    def log_lines(self):
        return self.log_path.read_text(errors="replace").splitlines() if self.log_path.exists() else []

    def wait_stderr(self, pattern, timeout=None):
        deadline = time.time() + (timeout or (60 if SLOW else 10))
        while time.time() < deadline:
            if re.search(pattern, self.stderr()):
                return True
            time.sleep(0.05)
        return False

    def wait_log(self, count, timeout=None):
        """Waits until the access log has at least count lines."""
        deadline = time.time() + (timeout or (60 if SLOW else 10))
        while time.time() < deadline and len(self.log_lines()) < count:
            time.sleep(0.02)
        return self.log_lines()

    def rss_kb(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def send_signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, sig=signal.SIGTERM, expect=0):
        """Stops it (if running) and checks the exit code; a memory error
        found by the wrapper fails the test."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=120 if SLOW else 30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("ocspkit serve did not stop:\n" + self.stderr()[-3000:])
        self.err.close()
        if OCSPKIT_WRAPPER and rc == VALGRIND_EXIT:
            pytest.fail("the wrapper reported errors:\n" + self.stderr()[-6000:])
        if expect is not None:
            assert rc == expect, "ocspkit serve exited %d:\n%s" % (rc, self.stderr()[-3000:])
        return rc


class Nginx:
    """nginx in the foreground with a private prefix; config is the body of
    the http block (the temp paths and logs are set here)."""

    def __init__(self, workdir, http_conf, name="nginx"):
        if not NGINX:
            pytest.skip("nginx not installed")
        self.prefix = Path(workdir) / name
        if self.prefix.exists():
            shutil.rmtree(self.prefix)
        (self.prefix / "logs").mkdir(parents=True)
        self.port = None
        self.conf = self.prefix / "nginx.conf"
        user = "user root;\n" if os.geteuid() == 0 else ""
        for attempt in range(5):
            self.port = free_port()
            p = str(self.prefix)
            self.conf.write_text(
                user + "worker_processes 1;\nerror_log %s/logs/error.log info;\npid %s/nginx.pid;\n"
                "events { worker_connections 256; }\n"
                "http {\n  access_log %s/logs/access.log;\n"
                "  client_body_temp_path %s/body; proxy_temp_path %s/proxy;\n"
                "  fastcgi_temp_path %s/fastcgi; uwsgi_temp_path %s/uwsgi; scgi_temp_path %s/scgi;\n"
                "%s\n}\n" % (p, p, p, p, p, p, p, p, http_conf.replace("@PORT@", str(self.port))))
            self.proc = subprocess.Popen([NGINX, "-p", p, "-c", str(self.conf), "-g", "daemon off;"],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if self._wait_ready():
                self.url = "http://127.0.0.1:%d/" % self.port
                return
            self.proc.kill()
            self.proc.wait()
        raise AssertionError("nginx did not start: " + (self.prefix / "logs" / "error.log").read_text())

    def _wait_ready(self):
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return True
            except OSError:
                time.sleep(0.05)
        return False

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def readme_static_conf(root, upstream):
    """The README's nginx block for `ocspkit presign` files, as written
    there, with the test's root, port and upstream: the block the tests
    serve from is the one users copy."""
    text = (SRCDIR / "README.md").read_text()
    blocks = [b for b in re.findall(r"```nginx\n(.*?)```", text, re.S) if "try_files" in b]
    assert len(blocks) == 1, "the README has one nginx block with try_files"
    conf = blocks[0]
    for old, new in (("listen 80;", "listen 127.0.0.1:@PORT@;"), ("root /var/lib/ocsp;", "root %s;" % root),
                     ("http://127.0.0.1:8080", "http://127.0.0.1:%d" % upstream)):
        assert conf.count(old) == 1, (old, conf)
        conf = conf.replace(old, new)
    return conf


def presign_file(name):
    """Where `ocspkit presign` writes the response to the request whose
    base64 is name (responder/presign.h), computed independently: runs of '/'
    made one, a leading one dropped, ".ocsp" in the directory when it ends
    in '/'."""
    path = re.sub("/+", "/", name).lstrip("/")
    return path + ".ocsp" if path.endswith("/") or not path else path


# ---------------------------------------------------------------- clients

def curl(*args, check=True):
    """curl -s ARGS: (rc, stdout bytes, stderr text)."""
    if not CURL:
        pytest.skip("curl not installed")
    p = subprocess.run([CURL, "-s", "--path-as-is"] + [str(a) for a in args], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    if check:
        assert p.returncode == 0, (args, p.stderr.decode(errors="replace"))
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def http(port, method, path, body=None, headers=None, host="127.0.0.1", timeout=60):
    """One request on a fresh connection: (status, headers dict lowercased, body)."""
    import http.client
    c = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        c.putrequest(method, path, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            c.putheader(k, v)
        if body is not None:
            c.putheader("Content-Length", str(len(body)))
        c.endheaders(body)
        r = c.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data
    finally:
        c.close()


def openssl_ocsp(*args):
    """openssl ocsp ARGS: (rc, stdout + stderr)."""
    p = subprocess.run([OPENSSL, "ocsp"] + [str(a) for a in args], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=120)
    return p.returncode, p.stdout.decode(errors="replace")


def resp_text(path_or_der, workdir):
    """openssl's text of a response (DER bytes or a file)."""
    if isinstance(path_or_der, (bytes, bytearray)):
        f = Path(workdir) / ("resp-%d.der" % time.monotonic_ns())
        f.write_bytes(path_or_der)
        path_or_der = f
    return openssl_ocsp("-respin", path_or_der, "-resp_text", "-noverify")[1]
