"""`ocspkit serve` live on loopback, and `ocspkit presign`.

The demo PKI is made by `openssl ca` (scripts/demo-pki.sh): a CA, a
delegated responder with OCSPSigning, a good and a revoked certificate.

  - `openssl ocsp -url` as the client (good, revoked with its reason,
    unknown; with and without nonce; every CertID hash), verifying with
    -CAfile; GnuTLS `ocsptool --ask`;
  - GET with curl in every path form (standard base64 with '+', '/' and
    "//", URL-encoded, base64url without padding), the caching headers and
    304, keep-alive, IPv6;
  - unauthorized, malformedRequest, RFC 8954 nonce sizes, several CAs;
  - index reload (a change, a broken file refused, SIGHUP) and reload under
    traffic; each robustness case (405, 413, 414, 415, malformed HTTP,
    clients that close early, slow headers, idle connections, the
    connection limit); graceful SIGTERM, --nrequest; a bounded load run
    with no failed request and no memory growth;
  - presign: a file per entry where a static server looks for it.

Every server is stopped with SIGTERM and must exit 0 (under
OCSPKIT_WRAPPER, valgrind must find nothing).
"""

import base64
import calendar
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import OPENSSL, der_content, der_read, der_split
from responder_helpers import (OCSPTOOL, SLOW, DemoPki, Server, b64, cert_id, curl, http, ocsp_request,
                               openssl_ocsp, presign_file, resp_text)

pytestmark = pytest.mark.skipif(not OPENSSL, reason="openssl not found")

UNKNOWN = 0xDEAD


@pytest.fixture(scope="module")
def demo(workdir):
    return DemoPki(workdir / "resp-demo")


@pytest.fixture(scope="module")
def server(workdir, demo):
    s = Server(workdir / "resp-main", demo.serve_args() + ["--ndays", "1"])
    yield s
    s.stop()


def response_parts(der):
    """(responseStatus, [(certStatus tag, serial int)]) of an OCSPResponse."""
    top = der_split(der_content(der))
    status = der_content(top[0])[0]
    if len(top) < 2:
        return status, []
    basic = der_content(der_split(der_content(der_content(top[1])))[1])
    tbs = der_split(der_content(basic))[0]
    fields = der_split(der_content(tbs))
    if fields[0][0] == 0xA0:
        fields = fields[1:]
    out = []
    for single in der_split(der_content(fields[2])):
        parts = der_split(der_content(single))
        serial = int.from_bytes(der_content(der_split(der_content(parts[0]))[3]), "big")
        out.append(({0x80: "good", 0xA1: "revoked", 0x82: "unknown"}[parts[1][0]], serial))
    return status, out


# ---------------------------------------------------------------- clients

@pytest.mark.parametrize("nonce", [True, False])
def test_openssl_client(demo, server, nonce):
    for cert, want in ((demo.good, "good"), (demo.revoked, "revoked")):
        args = ["-issuer", demo.ca, "-cert", cert, "-url", server.url, "-CAfile", demo.ca, "-resp_text"]
        rc, out = openssl_ocsp(*(args + ([] if nonce else ["-no_nonce"])))
        assert rc == 0, out
        assert "Response verify OK" in out and "%s: %s" % (cert, want) in out, out
        assert ("OCSP Nonce" in out) == nonce and "WARNING" not in out, out
        if want == "revoked":
            assert "Reason: keyCompromise" in out, out
        assert "Next Update:" in out
    rc, out = openssl_ocsp("-issuer", demo.ca, "-serial", "0x%X" % UNKNOWN, "-url", server.url, "-CAfile", demo.ca,
                           *([] if nonce else ["-no_nonce"]))
    assert rc == 0 and "Response verify OK" in out and "0x%X: unknown" % UNKNOWN in out, out


@pytest.mark.parametrize("h", ["sha1", "sha256", "sha384", "sha512"])
def test_openssl_hashes(demo, server, h):
    rc, out = openssl_ocsp("-" + h, "-issuer", demo.ca, "-cert", demo.revoked, "-url", server.url, "-CAfile",
                           demo.ca, "-resp_text", "-no_nonce")
    assert rc == 0 and "Response verify OK" in out and ": revoked" in out, out
    assert "Hash Algorithm: %s" % h in out, out


@pytest.mark.skipif(not OCSPTOOL, reason="ocsptool (gnutls-bin) not installed")
@pytest.mark.parametrize("which", ["good", "revoked"])
def test_gnutls_ocsptool(demo, server, which):
    cert = demo.good if which == "good" else demo.revoked
    p = subprocess.run([OCSPTOOL, "--ask=" + server.url, "--load-issuer=" + str(demo.ca), "--load-cert=" + str(cert),
                        "--load-trust=" + str(demo.ca)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=120)
    out = p.stdout.decode(errors="replace")
    assert p.returncode == 0 and "Verifying OCSP Response: Success" in out, out
    assert "Certificate Status: " + which in out, out


# ---------------------------------------------------------------- GET forms and caching

def odd_request(demo):
    """A request (for an unknown serial) whose base64 has '+', "//" and
    '=' padding: long random serials (of three lengths, for the padding),
    so that many characters vary."""
    import random
    rnd = random.Random(5019)
    for _ in range(200000):
        serial = rnd.getrandbits(8 * rnd.choice((14, 15, 16)) - 1)
        der = ocsp_request([cert_id(demo, serial)])
        s = b64(der)
        if "+" in s and "//" in s and s.endswith("="):
            return serial, der
    raise AssertionError("no serial found")


def test_get_path_forms(demo, server, workdir):
    serial, der = odd_request(demo)
    std = b64(der)
    forms = {
        "standard": std,
        "url-encoded": std.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D"),
        "url-encoded-lower": std.replace("+", "%2b").replace("/", "%2f"),
        "base64url": base64.urlsafe_b64encode(der).decode().rstrip("="),
        "no-padding": std.rstrip("="),
    }
    bodies = {}
    for name, path in forms.items():
        rc, body, err = curl("-o", "-", "-w", "", server.url + path)
        bodies[name] = body
        status, singles = response_parts(body)
        assert status == 0 and singles == [("unknown", serial)], (name, singles)
    assert len(set(bodies.values())) == 1, "not the same cached response for every form"
    f = workdir / "get-forms.der"
    f.write_bytes(bodies["standard"])
    rc, out = openssl_ocsp("-respin", f, "-issuer", demo.ca, "-serial", "0x%X" % serial, "-CAfile", demo.ca)
    assert rc == 0 and "Response verify OK" in out and ": unknown" in out, out
    # decoded once: %252B is not '+'
    rc, body, _ = curl(server.url + std.replace("+", "%252B"))
    assert body == b"\x30\x03\x0a\x01\x01"
    # '+' read as a space would not decode either
    rc, body, _ = curl(server.url + std.replace("+", "%20"))
    assert body == b"\x30\x03\x0a\x01\x01"
    # HEAD: the headers alone
    rc, out, _ = curl("-I", server.url + std)
    assert b"200" in out.split(b"\r\n")[0] and b"ETag:" in out


def headers_of(text):
    h = {}
    for line in text.split("\r\n")[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            h[k.strip().lower()] = v.strip()
    return h


def test_http_caching_headers(demo, server):
    der = ocsp_request([cert_id(demo, demo.serial_of(demo.good))])
    url = server.url + b64(der)
    status, h, body = http(server.port, "GET", "/" + b64(der))
    assert status == 200 and h["content-type"] == "application/ocsp-response"
    cc = h["cache-control"]
    assert cc.startswith("max-age=") and cc.endswith(", public, no-transform, must-revalidate"), cc
    age = int(cc.split(",")[0].split("=")[1])
    assert 86400 - 120 <= age <= 86400, cc
    assert h["etag"].startswith('"') and h["last-modified"].endswith(" GMT") and h["expires"].endswith(" GMT")
    t_last = calendar.timegm(time.strptime(h["last-modified"], "%a, %d %b %Y %H:%M:%S GMT"))
    t_exp = calendar.timegm(time.strptime(h["expires"], "%a, %d %b %Y %H:%M:%S GMT"))
    assert t_exp - t_last == 86400
    # conditional requests
    for cond in ({"If-None-Match": h["etag"]}, {"If-None-Match": '"x", W/' + h["etag"]},
                 {"If-Modified-Since": h["last-modified"]}):
        s2, h2, b2 = http(server.port, "GET", "/" + b64(der), headers=cond)
        assert s2 == 304 and b2 == b"" and h2["etag"] == h["etag"], cond
    s2, _, b2 = http(server.port, "GET", "/" + b64(der), headers={"If-None-Match": '"other"'})
    assert s2 == 200 and b2 == body
    # POST of the same request: the same bytes
    s2, h2, b2 = http(server.port, "POST", "/", der, {"Content-Type": "application/ocsp-request"})
    assert s2 == 200 and b2 == body and h2["etag"] == h["etag"]
    # a nonce answer and an error are not cacheable
    s2, h2, b2 = http(server.port, "POST", "/", ocsp_request([cert_id(demo, 0x1001)], nonce=os.urandom(16)),
                      {"Content-Type": "application/ocsp-request"})
    assert s2 == 200 and h2["cache-control"] == "no-store" and "etag" not in h2
    s2, h2, b2 = http(server.port, "POST", "/", b"\x30\x00", {"Content-Type": "application/ocsp-request"})
    assert s2 == 200 and b2 == b"\x30\x03\x0a\x01\x01" and h2["cache-control"] == "no-store"
    # an unknown: a cache in front keeps it no longer than the reload
    # interval (1 s by default) and a little, not until nextUpdate
    s2, h2, b2 = http(server.port, "GET", "/" + b64(ocsp_request([cert_id(demo, 0x7777777)])))
    assert s2 == 200 and response_parts(b2)[1] == [("unknown", 0x7777777)]
    assert re.fullmatch(r"max-age=[0-6], public, no-transform, must-revalidate", h2["cache-control"]), h2
    t_exp = calendar.timegm(time.strptime(h2["expires"], "%a, %d %b %Y %H:%M:%S GMT"))
    assert t_exp <= time.time() + 7, h2
    # HTTP/1.1 keep-alive
    rc, _, err = curl("-v", "-o", "/dev/null", "-o", "/dev/null", url, url)
    assert "Re-using existing connection" in err, err


def test_errors(demo, server, workdir):
    good = demo.serial_of(demo.good)
    post = lambda der: http(server.port, "POST", "/", der, {"Content-Type": "application/ocsp-request"})[2]
    # a CA this responder does not serve: unauthorized
    cid = bytearray(cert_id(demo, good))
    cid[-8] ^= 0xFF  # inside the issuer key hash
    assert post(ocsp_request([bytes(cid)])) == b"\x30\x03\x0a\x01\x06"
    for junk in (b"", b"\x30\x03\x02\x01\x01", b"GET / HTTP/1.0\r\n\r\n", ocsp_request([cert_id(demo, good)]) + b"\x00"):
        assert post(junk) == b"\x30\x03\x0a\x01\x01", junk
    # RFC 8954: a nonce of 1 to 32 octets
    for n in (0, 33, 100):
        assert post(ocsp_request([cert_id(demo, good)], nonce=b"\x42" * n)) == b"\x30\x03\x0a\x01\x01", n
    for n in (1, 32):
        body = post(ocsp_request([cert_id(demo, good)], nonce=b"\x42" * n))
        text = resp_text(body, workdir)
        assert "OCSP Nonce" in text and ("42" * min(n, 4)).upper() in text.replace(":", "").upper(), text
    # several CertIDs, each hash and parameter form, in one request
    ids = [cert_id(demo, good, "sha1"), cert_id(demo, 0x1002, "sha256", null_params=False),
           cert_id(demo, UNKNOWN, "sha512")]
    status, singles = response_parts(post(ocsp_request(ids, nonce=b"n" * 8)))
    assert status == 0 and singles == [("good", good), ("revoked", 0x1002), ("unknown", UNKNOWN)]
    # the server answered all of it and logged each
    lines = server.wait_log(1)
    assert any("ocsp=unauthorized" in l for l in lines) and any("ocsp=malformedRequest" in l for l in lines)


def test_multiple_cas(workdir, demo):
    other = DemoPki(workdir / "resp-demo2")
    s = Server(workdir / "resp-two", demo.serve_args() + other.serve_args() + ["--nmin", "30"])
    try:
        for pki in (demo, other):
            rc, out = openssl_ocsp("-issuer", pki.ca, "-cert", pki.good, "-cert", pki.revoked, "-url", s.url,
                                   "-CAfile", pki.ca)
            assert rc == 0 and "Response verify OK" in out and ": good" in out and ": revoked" in out, out
        # one request about both CAs: they have different signers
        der = ocsp_request([cert_id(demo, 0x1001), cert_id(other, 0x1001)])
        assert http(s.port, "POST", "/", der)[2] == b"\x30\x03\x0a\x01\x06"
    finally:
        s.stop()


def test_ipv6(workdir, demo):
    try:
        sock = socket.socket(socket.AF_INET6)
        sock.bind(("::1", 0))
        sock.close()
    except OSError:
        pytest.skip("no IPv6 loopback")
    s = Server(workdir / "resp-v6", demo.serve_args(), addr="::1")
    try:
        assert s.url.startswith("http://[::1]:")
        der = ocsp_request([cert_id(demo, 0x1002)])
        rc, body, _ = curl("-g", s.url + b64(der))
        assert response_parts(body)[1] == [("revoked", 0x1002)]
        assert any(l.split()[1] == "::1" for l in s.wait_log(1))
    finally:
        s.stop()


# ---------------------------------------------------------------- reload

def copy_pki(demo, dest):
    shutil.copytree(demo.root, dest)
    pki = DemoPki.__new__(DemoPki)
    pki.__dict__.update(demo.__dict__)
    for k in ("root", "ca", "ca_key", "responder", "responder_key", "good", "revoked", "index"):
        setattr(pki, k, Path(dest) / Path(getattr(demo, k)).name if k != "root" else Path(dest))
    return pki


def openssl_status(pki, url, cert):
    rc, out = openssl_ocsp("-issuer", pki.ca, "-cert", cert, "-url", url, "-CAfile", pki.ca, "-no_nonce")
    assert rc == 0 and "Response verify OK" in out, out
    return out


def wait_for(fn, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if fn():
            return True
        time.sleep(0.1)
    return False


def test_index_reload(workdir, demo):
    pki = copy_pki(demo, workdir / "resp-reload-pki")
    s = Server(workdir / "resp-reload", pki.serve_args() + ["--reload-interval", "1"])
    try:
        assert ": good" in openssl_status(pki, s.url, pki.good)
        # openssl ca revokes (it writes index.txt.new and renames it)
        subprocess.run([OPENSSL, "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key",
                        "-revoke", pki.good.name, "-crl_hold", "holdInstructionReject"], cwd=str(pki.root),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_for(lambda: ": revoked" in openssl_status(pki, s.url, pki.good), 30 if SLOW else 8)
        out = openssl_status(pki, s.url, pki.good)
        assert "Reason: certificateHold" in out, out
        assert s.wait_stderr(r"index reloaded: .*index\.txt: 3 entries")
        # a broken file is refused; the index in memory keeps serving
        good_index = pki.index.read_text()
        tmp = pki.root / "index.tmp"
        tmp.write_text(good_index + "R\tnonsense\n")
        os.rename(tmp, pki.index)
        assert s.wait_stderr(r"index refused, the previous one keeps serving: .*index\.txt:4: ")
        assert ": revoked" in openssl_status(pki, s.url, pki.good)
        # SIGHUP reloads at once
        pki.index.write_text(good_index.replace("R\t", "V\t", 1).replace(
            good_index.split("\n")[1].split("\t")[2], "", 1))
        s.send_signal(signal.SIGHUP)
        assert s.wait_stderr(r"SIGHUP: reloading")
        assert wait_for(lambda: ": good" in openssl_status(pki, s.url, pki.good), 30 if SLOW else 8)
    finally:
        s.stop()


def test_reload_under_traffic(workdir, demo):
    pki = copy_pki(demo, workdir / "resp-traffic-pki")
    good = pki.serial_of(pki.good)
    lines = pki.index.read_text().splitlines(True)
    revoked_line = [l for l in lines if l.split("\t")[3] == "%X" % good][0]
    v = revoked_line.split("\t")
    revoked_index = "".join(lines).replace(revoked_line, "\t".join(["R", v[1], "260101000000Z,superseded"] + v[3:]))
    good_index = "".join(lines)
    s = Server(workdir / "resp-traffic", pki.serve_args() + ["--reload-interval", "1", "--nmin", "10"])
    der = ocsp_request([cert_id(pki, good)])
    path = "/" + b64(der)
    stop = threading.Event()
    seen, failures = [], []

    def client(kind):
        import http.client
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
        while not stop.is_set():
            try:
                if kind == "post":
                    c.request("POST", "/", ocsp_request([cert_id(pki, good)], nonce=os.urandom(8)),
                              {"Content-Type": "application/ocsp-request"})
                else:
                    c.request("GET", path)
                r = c.getresponse()
                body = r.read()
                status, singles = response_parts(body)
                if r.status != 200 or status != 0 or len(singles) != 1:
                    failures.append((r.status, body[:10]))
                else:
                    seen.append(singles[0][0])
            except Exception as e:  # noqa: BLE001 - any failure counts
                failures.append(repr(e))
                c.close()
                c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
        c.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in ("get", "get", "post")]
    try:
        for t in threads:
            t.start()
        flips = 4 if SLOW else 6  # even: the last index written is the good one
        for i in range(flips):
            tmp = pki.root / "index.next"
            tmp.write_text(revoked_index if i % 2 == 0 else good_index)
            os.rename(tmp, pki.index)
            time.sleep(2.5 if SLOW else 1.3)
        stop.set()
        for t in threads:
            t.join(timeout=120)
        assert not failures, failures[:5]
        assert len(seen) > (20 if SLOW else 200) and set(seen) == {"good", "revoked"}, (len(seen), set(seen))
        # the last index (good) is what is served now
        assert wait_for(lambda: ": good" in openssl_status(pki, s.url, pki.good), 30 if SLOW else 5)
        assert s.stderr().count("index reloaded") >= flips - 1
    finally:
        stop.set()
        s.stop()


def test_index_rewritten_in_place(workdir, demo):
    """A large index rewritten in place (truncate, then slow chunks: what
    cp, a shell redirect and editors do), emptied, and cut short, while two
    clients hammer the revoked serial on its last line: never an answer
    other than revoked, as the half-written files are refused."""
    pki = copy_pki(demo, workdir / "resp-inplace-pki")
    n = 15000 if SLOW else 60000
    revoked = n + 1
    lines = ["V\t301231235959Z\t\t%X\tunknown\t/CN=leaf %d\n" % (i + 1, i + 1) for i in range(n)]
    lines.append("R\t301231235959Z\t260101000000Z,keyCompromise\t%X\tunknown\t/CN=revoked\n" % revoked)
    full = "".join(lines).encode()
    pki.index.write_bytes(full)
    s = Server(workdir / "resp-inplace", pki.serve_args() + ["--reload-interval", "1", "--nmin", "10"])
    stop = threading.Event()
    seen, wrong = [], []

    def client(kind):
        import http.client
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
        path = "/" + b64(ocsp_request([cert_id(pki, revoked)]))
        while not stop.is_set():
            try:
                if kind == "post":
                    c.request("POST", "/", ocsp_request([cert_id(pki, revoked)], nonce=os.urandom(8)),
                              {"Content-Type": "application/ocsp-request"})
                else:
                    c.request("GET", path)
                body = c.getresponse().read()
                status, singles = response_parts(body)
                if status == 0 and singles == [("revoked", revoked)]:
                    seen.append(1)
                else:
                    wrong.append((status, singles))
            except Exception as e:  # noqa: BLE001 - any failure counts
                wrong.append(repr(e))
                c.close()
                c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
        c.close()

    def rewrite(data, chunk=32768, pause=0.004):
        with open(pki.index, "r+b") as f:
            f.truncate(0)
            for i in range(0, len(data), chunk):
                f.write(data[i:i + chunk])
                f.flush()
                time.sleep(pause)

    threads = [threading.Thread(target=client, args=(k,)) for k in ("get", "post")]
    try:
        for t in threads:
            t.start()
        for i in range(3 if SLOW else 6):
            rewrite(full)
            time.sleep(0.4 + 0.3 * i)
        # emptied, and cut to a third (whole lines): both refused
        rewrite(b"")
        time.sleep(2.5)
        rewrite(full[:full.index(b"\n", len(full) // 3) + 1])
        time.sleep(2.5)
        rewrite(full)
        time.sleep(2)
        stop.set()
        for t in threads:
            t.join(timeout=120)
        assert not wrong, wrong[:5]
        assert len(seen) > (20 if SLOW else 300), len(seen)
        err = s.stderr()
        # the race was run: half-written files were seen and refused
        assert "index refused" in err and re.search(r"index\.txt: empty, while the index in use has %d" % (n + 1),
                                                     err), err[-3000:]
        assert re.search(r"less than half of the %d in use" % (n + 1), err), err[-3000:]
        assert "index reloaded" in err, err[-3000:]
    finally:
        stop.set()
        s.stop()


# ---------------------------------------------------------------- robustness

def raw_exchange(port, data, wait=5.0, close_write=False):
    """Sends data on a fresh connection; what comes back until the server
    closes (or wait seconds pass)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=wait)
    try:
        sock.sendall(data)
        if close_write:
            sock.shutdown(socket.SHUT_WR)
        out = b""
        while True:
            try:
                d = sock.recv(65536)
            except socket.timeout:
                return out + b"<open>"
            except ConnectionResetError:
                return out + b"<reset>"
            if not d:
                return out
            out += d
    finally:
        sock.close()


def closed_within(port, send, seconds):
    """Opens a connection, sends the parts of send (with pauses), and
    returns how long the server took to close it."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=seconds + 10)
    t0 = time.time()
    try:
        for part in send:
            try:
                sock.sendall(part)
            except (BrokenPipeError, ConnectionResetError):
                return time.time() - t0
            sock.settimeout(0.4)
            try:
                if sock.recv(4096) == b"":
                    return time.time() - t0
            except socket.timeout:
                pass
            except ConnectionResetError:
                return time.time() - t0
        sock.settimeout(seconds + 10)
        try:
            while sock.recv(4096):
                pass
        except (socket.timeout, ConnectionResetError):
            pass
        return time.time() - t0
    finally:
        sock.close()


def test_robustness(workdir, demo):
    # one thread: libmicrohttpd shares the connection limit out among its threads
    s = Server(workdir / "resp-robust", demo.serve_args() + [
        "--threads", "1", "--timeout", "2", "--request-timeout", "2", "--header-timeout", "2", "--max-connections", "6",
        "--max-body", "4096"])
    der = ocsp_request([cert_id(demo, 0x1002)])
    try:
        # methods
        for m in ("PUT", "DELETE", "OPTIONS", "PATCH"):
            st, h, _ = http(s.port, m, "/")
            assert st == 405 and h["allow"] == "GET, HEAD, POST", m
        # a body above the cap, announced: 413 at once, without reading it
        out = raw_exchange(s.port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n"
                           b"Content-Length: 100000\r\n\r\n")
        assert out.startswith(b"HTTP/1.1 413"), out[:100]
        # ... and chunked: the rest read and dropped, then 413 and closed
        chunked = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        chunk = b"%x\r\n%s\r\n" % (5000, b"0" * 5000)
        out = raw_exchange(s.port, chunked + chunk * 2 + b"0\r\n\r\n")
        assert out.startswith(b"HTTP/1.1 413") and b"connection: close" in out.lower(), out[:200]
        # ... but not without end: past the drop bound the connection is closed
        # at once, not left to the request timeout
        big = b"%x\r\n%s\r\n" % (65536, b"0" * 65536)
        logged = len(s.wait_log(6))
        closed_within(s.port, [chunked + big * 24], 5)
        last = s.wait_log(logged + 1)[-1]
        assert re.search(r'"POST /" - 0 [0-9.]+ms end=error$', last), last
        # paths: ours (414), and too long for the server's memory
        st, _, _ = http(s.port, "GET", "/" + "A" * 9000)
        assert st == 414
        out = raw_exchange(s.port, b"GET /" + b"A" * 200000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        assert out == b"" or out.startswith(b"HTTP/1.1 414") or out.endswith(b"<reset>"), out[:100]
        # content types
        st, _, _ = http(s.port, "POST", "/", der, {"Content-Type": "text/plain"})
        assert st == 415
        # request-smuggling shapes: refused, and the connection closed
        for req, code in (
                (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nabcde", 400),
                (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabcde", 501),
                (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400)):
            out = raw_exchange(s.port, req)
            assert out.startswith(b"HTTP/1.1 %d" % code) and b"connection: close" in out.lower(), (req, out[:200])
        # ... but the same length twice is one length
        out = raw_exchange(s.port, b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: %d\r\n"
                           b"Content-Length: %d\r\n\r\n%s" % (len(der), len(der), der))
        assert out.startswith(b"HTTP/1.1 200"), out[:100]
        # malformed HTTP: a clean answer or a closed connection, at once
        # when the client stops writing, within the header timeout when
        # it does not (libmicrohttpd closes a one-word request line
        # without an answer and waits for more after a NUL)
        for junk in (b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"\x00\x01\x02\xff\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                     b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n", b"hello world\r\n\r\n"):
            out = raw_exchange(s.port, junk, close_write=True)
            assert out == b"" or out.startswith(b"HTTP/1.") or out.endswith(b"<reset>"), (junk, out[:80])
            t0 = time.time()
            out = raw_exchange(s.port, junk, wait=2 + 3)
            assert not out.endswith(b"<open>") and time.time() - t0 < 2 + 3, (junk, out[:80])
            assert out == b"" or out.startswith(b"HTTP/1.1 4") or out.startswith(b"HTTP/1.1 5") or \
                out.endswith(b"<reset>"), (junk, out[:80])
        # clients that close early
        socket.create_connection(("127.0.0.1", s.port)).close()
        for part in (b"GET /", b"GET /abc HTTP/1.1\r\nHost: x\r\n",
                     b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc"):
            sock = socket.create_connection(("127.0.0.1", s.port))
            sock.sendall(part)
            time.sleep(0.1)
            sock.close()
        # slow headers: cut after the header timeout, however they trickle
        took = closed_within(s.port, [b"GET / HTTP/1.1\r\nHost: x\r\n"] + [b"X-Slow: 1\r\n"] * 40, 20)
        assert took < 2 + 3, took
        # a request line that trickles: the header timeout too
        took = closed_within(s.port, [b"G", b"E", b"T", b" "] + [b"/"] * 40, 20)
        assert took < 2 + 3, took
        # idle (half-open) connections: the idle timeout
        took = closed_within(s.port, [], 20)
        assert 1 <= took < 2 + 2, took
        # the connection limit: one more waits (not accepted) until a
        # connection closes, then it is answered
        socks = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(6)]
        time.sleep(0.3)
        extra = socket.create_connection(("127.0.0.1", s.port), timeout=0.8)
        extra.sendall(b"GET /" + b64(der).encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        with pytest.raises(socket.timeout):
            extra.recv(100)
        for sk in socks:
            sk.close()
        extra.settimeout(30)
        got = extra.recv(100)
        extra.close()
        assert got.startswith(b"HTTP/1.1 200"), got
        # after all of it: answers as before
        st, _, body = http(s.port, "GET", "/" + b64(der))
        assert st == 200 and response_parts(body)[1] == [("revoked", 0x1002)]
        log = "\n".join(s.wait_log(8))
        for code in (" 405 ", " 413 ", " 414 ", " 415 ", " 200 "):
            assert code in log, code
        assert s.proc.poll() is None
    finally:
        s.stop()


def _timed_get(port, path, src="127.0.0.1", timeout=30):
    """A GET on a new connection from src: (seconds, status line)."""
    t0 = time.monotonic()
    sock = socket.socket()
    sock.settimeout(timeout)
    sock.bind((src, 0))
    sock.connect(("127.0.0.1", port))
    sock.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path).encode())
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    sock.close()
    return time.monotonic() - t0, data.split(b"\r\n", 1)[0]


def test_slow_clients(workdir, demo):
    """Over a thousand connections trickling a request line (a byte every
    second), from one address and then spread over ten: with the default
    limits a client from another address is answered at once."""
    import resource
    count = 300 if SLOW else 1100
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < count + 200:
        pytest.skip("the descriptor limit (%d) is below %d" % (hard, count + 200))
    resource.setrlimit(resource.RLIMIT_NOFILE, (count + 200 if soft < count + 200 else soft, hard))
    path = "/" + b64(ocsp_request([cert_id(demo, 0x1002)]))
    s = Server(workdir / "resp-slow", demo.serve_args())
    try:
        for sources in (["127.0.0.2"], ["127.0.0.%d" % i for i in range(2, 12)]):
            socks = []
            for i in range(count):
                sk = socket.socket()
                sk.setblocking(False)
                sk.bind((sources[i % len(sources)], 0))
                try:
                    sk.connect(("127.0.0.1", s.port))
                except BlockingIOError:
                    pass
                socks.append(sk)
            time.sleep(0.5)
            took = []
            for _ in range(4):
                for sk in socks:
                    try:
                        sk.send(b"G")
                    except OSError:
                        pass
                t, status = _timed_get(s.port, path)
                assert status == b"HTTP/1.1 200 OK", status
                took.append(t)
                time.sleep(1)
            for sk in socks:
                sk.close()
            assert max(took) < (5 if SLOW else 1), (sources[:2], took)
        assert s.proc.poll() is None
        # the ceiling comes from the descriptor limit, not a fixed 1024
        m = re.search(r"\((\d+) threads, (\d+) connections, (\d+) per address\)", s.stderr())
        assert m and int(m.group(2)) >= count and int(m.group(3)) == 256, s.stderr()[-2000:]
    finally:
        s.stop()


def test_signing_flood_is_shed(workdir):
    """Requests that need a signature queue in a bounded pool apart from
    the HTTP threads: past --max-signing and --max-signing-waiters they get
    tryLater at once, and cached answers keep flowing meanwhile."""
    pki = DemoPki(workdir / "resp-flood-pki", "rsa")
    s = Server(workdir / "resp-flood", pki.serve_args() + ["--max-signing", "1", "--max-signing-waiters", "1"])
    good = pki.serial_of(pki.good)
    path = "/" + b64(ocsp_request([cert_id(pki, good)]))
    status, _, cached = http(s.port, "GET", path)
    assert status == 200 and response_parts(cached)[1] == [("good", good)]
    stop = threading.Event()
    outcomes, wrong = [], []

    def flood():
        import http.client
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
        while not stop.is_set():
            try:
                c.request("POST", "/", ocsp_request([cert_id(pki, good)], nonce=os.urandom(16)),
                          {"Content-Type": "application/ocsp-request"})
                body = c.getresponse().read()
                if body == b"\x30\x03\x0a\x01\x03":
                    outcomes.append("tryLater")
                elif response_parts(body)[1] == [("good", good)]:
                    outcomes.append("signed")
                else:
                    wrong.append(body[:16])
            except Exception as e:  # noqa: BLE001 - any failure counts
                wrong.append(repr(e))
                c.close()
                c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
        c.close()

    threads = [threading.Thread(target=flood) for _ in range(24)]
    try:
        for t in threads:
            t.start()
        took = []
        end = time.time() + (6 if SLOW else 3)
        while time.time() < end:
            t0 = time.monotonic()
            status, _, body = http(s.port, "GET", path)
            took.append(time.monotonic() - t0)
            assert status == 200 and body == cached
        stop.set()
        for t in threads:
            t.join(timeout=120)
        assert not wrong, wrong[:5]
        assert "tryLater" in outcomes and "signed" in outcomes, set(outcomes)
        assert max(took) < (10 if SLOW else 1), max(took)
    finally:
        stop.set()
        s.stop()
    m = re.search(r"stopped after \d+ requests \((\d+) signatures, \d+ refreshed behind, (\d+) shed", s.stderr())
    assert m and int(m.group(1)) >= 1 and int(m.group(2)) == outcomes.count("tryLater"), s.stderr()[-2000:]
    assert 'ocsp=tryLater detail="too many signatures waiting' in "\n".join(s.log_lines())


def test_graceful_sigterm(workdir, demo):
    s = Server(workdir / "resp-term", demo.serve_args())
    der = ocsp_request([cert_id(demo, 0x1001)], nonce=b"graceful")
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=60)
    try:
        # a request in progress when SIGTERM comes: it is finished
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(der) + der[:10])
        time.sleep(0.5 if not SLOW else 3)
        s.send_signal(signal.SIGTERM)
        assert s.wait_stderr("SIGTERM: stopping")
        time.sleep(0.2)
        # no new connections meanwhile
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", s.port), timeout=2).close()
        sock.sendall(der[10:])
        out = b""
        while b"\r\n\r\n" not in out or len(out.split(b"\r\n\r\n", 1)[1]) < 100:
            d = sock.recv(65536)
            if not d:
                break
            out += d
        assert out.startswith(b"HTTP/1.1 200"), out[:200]
        status, singles = response_parts(out.split(b"\r\n\r\n", 1)[1])
        assert status == 0 and singles == [("good", 0x1001)]
    finally:
        sock.close()
        s.stop()
    assert "stopped after 1 requests" in s.stderr()


def test_nrequest(workdir, demo):
    s = Server(workdir / "resp-nreq", demo.serve_args() + ["--nrequest", "3"])
    der = ocsp_request([cert_id(demo, 0x1001)])
    for _ in range(3):
        st, _, body = http(s.port, "GET", "/" + b64(der))
        assert st == 200
    rc = s.proc.wait(timeout=120 if SLOW else 20)
    s.stop()
    assert rc == 0 and "3 requests answered (--nrequest): stopping" in s.stderr()


def test_bounded_load(workdir, demo):
    """A fixed number of requests from 8 keep-alive clients (cached GETs,
    POSTs without and with nonce): none fails, and the resident memory of
    a second run is that of the first."""
    env_asan = os.environ.get("ASAN_OPTIONS", "")
    os.environ["ASAN_OPTIONS"] = (env_asan + ":" if env_asan else "") + "quarantine_size_mb=1:thread_local_quarantine_size_kb=64"
    try:
        s = Server(workdir / "resp-load", demo.serve_args() + ["--access-log", "none"])
    finally:
        if env_asan:
            os.environ["ASAN_OPTIONS"] = env_asan
        else:
            del os.environ["ASAN_OPTIONS"]
    per_client = 20 if SLOW else 400
    serials = [0x1001, 0x1002, UNKNOWN, 0x1000]
    gets = ["/" + b64(ocsp_request([cert_id(demo, x, h)])) for x in serials for h in ("sha1", "sha256")]

    def run():
        import http.client
        failures, done = [], [0]

        def client(i):
            c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=120)
            for k in range(per_client):
                n = (i * per_client + k) % 10
                try:
                    if n < 7:
                        c.request("GET", gets[(i + k) % len(gets)])
                    else:
                        c.request("POST", "/", ocsp_request([cert_id(demo, serials[k % 4])],
                                                            nonce=os.urandom(16) if n == 9 else None),
                                  {"Content-Type": "application/ocsp-request"})
                    r = c.getresponse()
                    body = r.read()
                    if r.status != 200 or response_parts(body)[0] != 0:
                        failures.append(r.status)
                    done[0] += 1
                except Exception as e:  # noqa: BLE001
                    failures.append(repr(e))
                    c.close()
                    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=120)
            c.close()

        threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
        t0 = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return failures, done[0], time.time() - t0

    try:
        f1, n1, t1 = run()
        rss1 = s.rss_kb()
        f2, n2, t2 = run()
        rss2 = s.rss_kb()
        f3, n3, t3 = run()
        rss3 = s.rss_kb()
        assert not f1 and not f2 and not f3, (f1 + f2 + f3)[:5]
        assert n1 == n2 == n3 == 8 * per_client
        print("load: %d requests in %.2f s (%.0f/s); RSS %d, %d, %d kB" % (n2, t2, n2 / t2, rss1, rss2, rss3))
        if not SLOW:
            assert rss3 - rss1 < 2048, (rss1, rss2, rss3)
    finally:
        s.stop()
    assert "stopped after %d requests" % (3 * 8 * per_client) in s.stderr()


# ---------------------------------------------------------------- offline and batch

def test_respond_hold_and_compromise_like_openssl(ocspkit, workdir, demo):
    """The index forms of openssl ca -crl_hold / -crl_compromise, answered
    by `ocspkit respond` (the shared answer code) as openssl ocsp does."""
    pki = copy_pki(demo, workdir / "resp-forms-pki")
    for args in (["-crl_hold", "holdInstructionReject"], ["-crl_compromise", "20240101000000Z"]):
        cert = pki.good if args[0] == "-crl_hold" else pki.responder
        subprocess.run([OPENSSL, "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key",
                        "-revoke", cert.name] + args, cwd=str(pki.root), check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    req = workdir / "forms-req.der"
    openssl_ocsp("-issuer", pki.ca, "-cert", pki.good, "-cert", pki.responder, "-cert", pki.revoked, "-no_nonce",
                 "-reqout", req)
    mine, theirs = workdir / "forms-mine.der", workdir / "forms-theirs.der"
    r = ocspkit("respond", *pki.serve_args(), "--reqin", req, "--respout", mine)
    assert r.rc == 0 and r.err == "", r
    rc, out = openssl_ocsp("-index", pki.index, "-CA", pki.ca, "-rsigner", pki.responder, "-rkey",
                           pki.responder_key, "-reqin", req, "-respout", theirs)
    assert rc == 0, out

    def answers(path):
        text = resp_text(path, workdir)
        body = text.split("Responses:")[1].split("Signature Algorithm")[0]
        return [l.strip() for l in body.splitlines() if l.strip() and "Update" not in l]

    assert answers(mine) == answers(theirs)
    joined = "\n".join(answers(mine))
    assert "Hold Instruction Reject" in joined and "Invalidity Date" in joined, joined


def test_presign(ocspkit, workdir, demo):
    out = workdir / "presigned"
    r = ocspkit("presign", *demo.serve_args(), "--ndays", "2", out)
    assert r.rc == 0 and "12 responses for 3 index entries" in r.out, r
    names = []
    for serial in (0x1000, 0x1001, 0x1002):
        for h in ("sha1", "sha256"):
            for null in (True, False):
                name = b64(ocsp_request([cert_id(demo, serial, h, null)]))
                f = out / presign_file(name)
                assert f.is_file(), name
                names.append(name)
                status, singles = response_parts(f.read_bytes())
                want = "revoked" if serial == 0x1002 else "good"
                assert status == 0 and singles == [(want, serial)]
    # the '/' of base64 are directories; no temporary file is left behind
    assert any("/" in n for n in names)
    assert not [p for p in out.rglob(".presign.*")]
    f = out / presign_file(names[4])  # the good certificate, SHA-1, NULL parameters
    rc, text = openssl_ocsp("-respin", f, "-issuer", demo.ca, "-cert", demo.good, "-CAfile", demo.ca)
    assert rc == 0 and "Response verify OK" in text and ": good" in text, text
    # the file's time is thisUpdate, and a second run replaces the files
    assert abs(f.stat().st_mtime - time.time()) < 300
    time.sleep(1.1)
    r = ocspkit("presign", *demo.serve_args(), "--ndays", "2", "--quiet", out)
    assert r.rc == 0 and r.out == ""
    assert f.stat().st_mtime > time.time() - 30


def test_presign_failure(ocspkit, workdir, demo):
    """A file that cannot be written (a directory where it goes) fails
    alone: named on stderr with its serial and why, counted in the summary,
    exit status 3; every other file is written."""
    out = workdir / "presign-failure"
    summary = ("%d responses for 3 index entries written to %s; 0 skipped (0 sharing a file with another "
               "request, 0 too long for a file name); %d failed\n")
    blocked = out / presign_file(b64(ocsp_request([cert_id(demo, 0x1001, "sha256", False)])))
    (blocked / "in-the-way").mkdir(parents=True)
    r = ocspkit("presign", *demo.serve_args(), out)
    assert r.rc == 3 and r.out == summary % (11, out, 1), r
    assert r.err == "ocspkit presign: %s:2: serial 1001, sha256 with absent parameters: %s: Is a directory\n" % (
        demo.index, blocked), r
    for serial in (0x1000, 0x1001, 0x1002):
        for h in ("sha1", "sha256"):
            for null in (True, False):
                f = out / presign_file(b64(ocsp_request([cert_id(demo, serial, h, null)])))
                if f != blocked:
                    assert response_parts(f.read_bytes()) == (0, [("revoked" if serial == 0x1002 else "good",
                                                                    serial)])
    # --quiet: no summary, the failure still said and in the exit status
    r = ocspkit("presign", *demo.serve_args(), "--quiet", out)
    assert r.rc == 3 and r.out == "" and ": Is a directory" in r.err, r
    (blocked / "in-the-way").rmdir()
    blocked.rmdir()
    r = ocspkit("presign", *demo.serve_args(), out)
    assert r.rc == 0 and r.out == summary % (12, out, 0) and r.err == "", r
    assert blocked.is_file()


def test_signer_options(ocspkit, workdir, demo):
    """An encrypted key with --passin, byKey and no certificates: the
    options shared with `ocspkit respond`, through the server."""
    key = workdir / "resp-encrypted.key"
    subprocess.run([OPENSSL, "pkcs8", "-topk8", "-in", str(demo.responder_key), "-out", str(key), "-v2", "aes256",
                    "-passout", "pass:s3cret"], check=True)
    args = ["--index", demo.index, "--CA", demo.ca, "--rsigner", demo.responder, "--rkey", key]
    bad = ocspkit("serve", *args, "--passin", "pass:wrong", "--port", "0")
    assert bad.rc == 3 and "wrong passphrase" in bad.err, bad
    os.environ["RESP_TEST_PASS"] = "s3cret"
    try:
        s = Server(workdir / "resp-signer", args + ["--passin", "env:RESP_TEST_PASS", "-resp_key_id",
                                                     "-resp_no_certs", "--rmd", "sha384"])
    finally:
        del os.environ["RESP_TEST_PASS"]
    try:
        rc, out = openssl_ocsp("-issuer", demo.ca, "-cert", demo.good, "-url", s.url, "-CAfile", demo.ca,
                               "-verify_other", demo.responder, "-resp_text")
        assert rc == 0 and "Response verify OK" in out and ": good" in out, out
        assert "Responder Id: " in out and "O = ocspkit demo" not in out.split("Responder Id:")[1].split("\n")[0]
        assert "Certificate:" not in out and "ecdsa-with-SHA384" in out, out
    finally:
        s.stop()
