"""Cell 3, live over loopback: clients and responders of each side talk
to each other, for a good, a revoked and a never-issued certificate.

  - `openssl ocsp -url` (nonce and no nonce)  ->  `ocspkit serve`
  - GnuTLS `ocsptool --ask`                  ->  `ocspkit serve`
  - `ocspkit fetch` (GET, POST, nonce)        ->  `openssl ocsp -port ... -nrequest`

Each answer is verified by the client (trusting the PKI's root and
intermediate) and its status, reason and revocation time compared with the
index.  The responder cells need `ocspkit serve` (HTTP responder, with
libmicrohttpd) and the client cell `ocspkit fetch` (with libcurl); when the
build lacks one, its cells are skipped and say so.
"""

import os
import re
import signal
import socket
import subprocess
import time

import pytest

from conftest import BUILDDIR, FULL, OCSPKIT_BIN, OCSPKIT_WRAPPER, VALGRIND_EXIT, check_sanitizers, need_peer, \
    ocspkit_missing, peers, run_ocspkit, run_openssl
from conflib.expect import target_info
from conflib.ocsptext import iso_of_openssl, parse_text

AREA = "live"
ALGS = ["p256", "rsa", "ed25519"] + (["rsa-pss", "p384", "p521", "ed448"] if FULL else [])
TARGETS = ["good", "keytime", "never-issued"]  # good; revoked (keyCompromise) with an invalidity date; unknown


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, proc, seconds):
    end = time.time() + seconds
    while time.time() < end:
        if proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


_support = {}


def command_missing(cmd):
    """None if this build's ocspkit has the command and it works, else why."""
    if cmd not in _support:
        why = ocspkit_missing()
        if not why:
            r = subprocess.run([OCSPKIT_BIN, cmd, "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=60)
            text = (r.stdout + r.stderr).decode("utf-8", "replace")
            if "unknown command" in text:
                why = "`ocspkit %s` is not in this build (being written: issue %s)" % (
                    cmd, "4" if cmd == "serve" else "7")
            elif r.returncode != 0 or "usage" not in text:
                why = "`ocspkit %s --help` fails in this build: %s" % (cmd, text.strip()[:200])
            elif re.search(r"without (libmicrohttpd|libcurl)|not (built|available) in this build", text):
                why = "`ocspkit %s` built without its HTTP library: %s" % (cmd, text.strip()[:200])
        _support[cmd] = why
    return _support[cmd]


class Server:
    """A responder process on a loopback port, stopped at the end.  ready:
    a line it prints once it listens (openssl ocsp); without one the port
    is probed (`openssl ocsp -port` must not be probed: its worker spins
    on a connection that closes before sending a request)."""

    def __init__(self, argv, port, cwd=None, startup=10, ready=None):
        self.argv, self.port = argv, port
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=cwd)
        self.early = b""
        ok = self._wait_line(ready, startup) if ready else wait_port(port, self.proc, startup)
        if not ok:
            out = self.stop()
            raise AssertionError("responder did not start: %s\n%s" % (" ".join(map(str, argv)), out))
        self.url = "http://127.0.0.1:%d/" % port

    def _wait_line(self, ready, seconds):
        import select
        end = time.time() + seconds
        fd = self.proc.stdout.fileno()
        while time.time() < end:
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                chunk = os.read(fd, 4096)
                if not chunk:
                    return False
                self.early += chunk
                if re.search(ready, self.early):
                    return True
            elif self.proc.poll() is not None:
                return False
        return False

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            out, _ = self.proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        return (self.early + out).decode("utf-8", "replace")


_servers = {}


@pytest.fixture(scope="module")
def serve(pki):
    """serve(alg) -> the `ocspkit serve` of that PKI, started at first use
    and kept for the module (under valgrind each start costs seconds)."""
    def get(alg):
        why = command_missing("serve")
        if why:
            pytest.skip(why)
        if alg not in _servers:
            p = pki(alg)
            port = free_port()
            argv = OCSPKIT_WRAPPER + [OCSPKIT_BIN, "serve", "--index", str(p.index), "--CA", str(p.ca),
                                      "--rsigner", str(p.responder), "--rkey", str(p.responder_key),
                                      "--port", str(port), "--ndays", "1", "--access-log", "none"]
            _servers[alg] = Server(argv, port, cwd=str(BUILDDIR) if BUILDDIR.is_dir() else None,
                                   startup=90 if OCSPKIT_WRAPPER else 15)
        return _servers[alg]
    yield get
    while _servers:
        _servers.popitem()[1].stop()


def stop_ocspkit_server(srv):
    out = srv.stop()
    check_sanitizers(out, srv.argv)
    if OCSPKIT_WRAPPER:
        assert srv.proc.returncode != VALGRIND_EXIT, "the wrapper reported errors:\n" + out
    assert srv.proc.returncode in (0, -signal.SIGTERM), (srv.proc.returncode, out)


def expect_status(p, target):
    serial, status, rtime, reason = target_info(p, target)
    return status, reason, rtime


# ------------------------------------------------------------------ openssl -url -> ocspkit serve

@pytest.mark.parametrize("alg", ALGS)
@pytest.mark.parametrize("nonce", ["nonce", "no_nonce"])
def test_openssl_client_ocspkit_responder(alg, nonce, pki, serve):
    """openssl ocsp -url asks ocspkit serve; the answer verifies (-CAfile) with the index's status for each certificate."""
    need_peer("openssl")
    p = pki(alg)
    srv = serve(alg)
    for target in TARGETS:
        r = run_openssl("ocsp", "-url", srv.url, "-issuer", p.ca, "-cert", p.leaves[target].cert,
                        "-CAfile", p.chain, "-" + nonce, "-resp_text", check=False)
        assert "Response verify OK" in r.err, r
        status, reason, rtime = expect_status(p, target)
        assert "%s: %s" % (p.leaves[target].cert, status) in r.out, r
        t = parse_text(r.out)
        e, = t["entries"]
        assert e["cert_status"] == status
        assert (e["reason"].split(" (")[0] if e.get("reason") else None) == reason
        assert (iso_of_openssl(e["revocation_time"]) if e.get("revocation_time") else None) == rtime
        assert ("OCSP Nonce" in r.out) == (nonce == "nonce"), r


# ------------------------------------------------------------------ ocsptool --ask -> ocspkit serve

@pytest.mark.parametrize("alg", ALGS)
def test_gnutls_client_ocspkit_responder(alg, pki, serve):
    """GnuTLS ocsptool --ask asks ocspkit serve; it verifies the answer and reads the index's status."""
    need_peer("ocsptool")
    p = pki(alg)
    srv = serve(alg)
    for target in TARGETS:
        g = subprocess.run([peers.OCSPTOOL, "--ask=" + srv.url, "--load-cert", str(p.leaves[target].cert),
                            "--load-issuer", str(p.ca), "--load-trust", str(p.chain), "--nonce"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        out = g.stdout.decode("utf-8", "replace")
        assert g.returncode == 0 and "Verifying OCSP Response: Success" in out, out
        status, reason, _ = expect_status(p, target)
        assert re.search(r"Certificate Status: %s\b" % status, out), out


def test_ocspkit_responders_stop_cleanly(serve):
    """Every ocspkit serve the cells above started stops on SIGTERM, cleanly (and clean under valgrind)."""
    if command_missing("serve"):
        pytest.skip(command_missing("serve"))
    assert _servers, "no responder was started (the cells above were deselected or skipped)"
    while _servers:
        stop_ocspkit_server(_servers.popitem()[1])


# ------------------------------------------------------------------ ocspkit fetch -> openssl ocsp -port

FETCH_MODES = {"get": [], "post-nonce": ["--post", "--nonce"], "sha256-nonce": ["--hash", "sha256", "--nonce"]}
LINE = re.compile(r"^(\S+): (good|revoked|unknown)(?: \((\w+)\))?(?: at (\S+))?;", re.M)


# GET on every key type, the other modes on P-256 (every one everywhere
# with CONFORMANCE_FULL): each fetch is a second under valgrind
FETCHES = [(a, m) for a in ALGS for m in sorted(FETCH_MODES) if FULL or m == "get" or a == "p256"]


@pytest.mark.parametrize("alg,mode", FETCHES, ids=["%s-%s" % f for f in FETCHES])
def test_ocspkit_client_openssl_responder(alg, mode, pki, workdir):
    """ocspkit fetch asks openssl ocsp -port (loopback, -nrequest); it verifies the answer and reports the index's status."""
    need_peer("openssl")
    why = command_missing("fetch")
    if why:
        pytest.skip(why)
    p = pki(alg)
    # openssl ocsp cannot pick a free port itself: the one free_port saw
    # may be taken (by any outgoing connection) before openssl binds it
    for attempt in range(3):
        port = free_port()
        try:
            srv = Server([peers.OPENSSL, "ocsp", "-index", str(p.index), "-CA", str(p.ca), "-rsigner",
                          str(p.responder), "-rkey", str(p.responder_key), "-port", str(port), "-nrequest",
                          str(len(TARGETS)), "-ndays", "1"], port, ready=rb"ACCEPT|waiting for OCSP client")
            break
        except AssertionError as e:
            if attempt == 2 or "Address already in use" not in str(e):
                raise
    try:
        for target in TARGETS:
            out = p.fresh("fetched-%s-%s.der" % (mode, target))
            r = run_ocspkit("fetch", "--cert", p.leaves[target].cert, "--issuer", p.ca, "--url", srv.url,
                            "--out", out, "-v", *FETCH_MODES[mode])
            status, reason, rtime = expect_status(p, target)
            assert r.rc == (0 if status == "good" else 1), r
            m = LINE.search(r.out)
            assert m and m.group(2) == status and m.group(3) == reason and m.group(4) == rtime, r
            assert ("POST" if "--post" in FETCH_MODES[mode] else "GET") in r.err, r
            # what was written is what OpenSSL says it is
            t = parse_text(run_openssl("ocsp", "-respin", out, "-resp_text", "-noverify", "-no-CAfile",
                                       "-no-CApath", "-no-CAstore").out)
            e, = t["entries"]
            assert e["cert_status"] == status and e["hash"] == ("sha256" if "sha256" in mode else "sha1")
            assert ("OCSP Nonce" in str(t["extensions"])) == ("--nonce" in FETCH_MODES[mode])
    finally:
        srv.stop()
