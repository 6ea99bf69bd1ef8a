"""`ocspkit presign` files served by nginx with the README's configuration
(its nginx block, read from README.md), falling back to `ocspkit serve` on
the same index, for every shape a request's base64 takes in a GET path:
'/' at the end (serials 3F, 7F, 203F), "//" inside and at the end, '+',
'=' padding, and two pairs of requests that only differ in where their
"//" are, so that nginx would map each pair to one file.

The index holds the demo's entries, those serials and 1,000 random
20-octet serials (100 under valgrind), good, revoked and expired; a few
serials not in it are asked too.  Every request (SHA-1 and SHA-256,
NULL and absent parameters) is sent in three forms: the raw base64 (as
most clients send it), percent-encoded %2F, %2B, %3D (Java's URLEncoder,
libcurl's curl_easy_escape), and by the curl command with '/' as is and
'+', '=' escaped in lower case (what urllib's quote() leaves).  Each
answer must carry the CertID asked, byte for byte, with the status the
index gives; nginx's log must show it came from a file, except for the
colliding pairs and the unknown serials, which the responder answers.
"""

import base64
import http.client
import random
import re
import subprocess
import time
import urllib.parse
from collections import defaultdict

import pytest

from conftest import OPENSSL, der_content, der_split
from responder_helpers import (CURL, NGINX, SLOW, DemoPki, Nginx, Server, b64, cert_id, ocsp_request, presign_file,
                               readme_static_conf)

pytestmark = [pytest.mark.skipif(not NGINX, reason="nginx not installed"),
              pytest.mark.skipif(not OPENSSL, reason="openssl not found")]

N_RANDOM = 100 if SLOW else 1000
N_UNKNOWN = 3 if SLOW else 20
VARIANTS = [("sha1", True), ("sha1", False), ("sha256", True), ("sha256", False)]
EXPIRY, EXPIRED = "351231235959Z", "200101000000Z"
REVOCATIONS = ["250101000000Z,keyCompromise", "250102030405Z,superseded", "250103101010Z",
               "250104000000Z,cessationOfOperation"]


class Req:
    """One request presign writes (or the responder answers)."""

    def __init__(self, pki, serial, h, null, status, revoked_at=None):
        self.serial, self.status, self.revoked_at = serial, status, revoked_at
        self.cert_id = cert_id(pki, serial, h, null)
        self.b64 = b64(ocsp_request([self.cert_id]))


def crafted(pki, serial, chars):
    """serial (20 octets) changed so that the base64 of its SHA-1 request
    with NULL parameters (87 octets: no padding, groups aligned on the
    serial's last octet) ends with chars, or has them 12 characters before
    the end when chars is (chars, "middle")."""
    chars, where = chars if isinstance(chars, tuple) else (chars, "end")
    der = bytearray(ocsp_request([cert_id(pki, serial)]))
    assert len(der) % 3 == 0 and len(chars) % 4 == 0
    end = len(der) - (9 if where == "middle" else 0)
    raw = base64.b64decode(chars)
    der[end - len(raw):end] = raw
    out = int.from_bytes(der[-20:], "big")
    assert out.bit_length() > 152 and chars in b64(ocsp_request([cert_id(pki, out)]))
    return out


def build_index(pki, path):
    """Writes the index (the demo's lines first); returns [Req] for every
    request presign makes, and [Req] for serials the index does not have."""
    rnd = random.Random(16)
    lines = pki.index.read_text().splitlines()
    entries = {}  # serial -> (line status, revocation)
    for line in lines:
        f = line.split("\t")
        entries[int(f[3], 16)] = (f[0], f[2])

    def rand20():
        return rnd.randrange(1 << 152, 1 << 159)

    special = [0x3F, 0x7F, 0x203F, 0x3F3F, 0x7E7F]
    # the pairs (each from one serial, all else equal): "A//B/CDE" and
    # "A/B//CDE" inside, "AB/C//D/" and "AB//C/D/" at the end; "//" inside
    # and at the very end
    for group in ((("A//B/CDE", "middle"), ("A/B//CDE", "middle")), ("AB/C//D/", "AB//C/D/"), ("Ab//",),
                  (("Ab//Cdef", "middle"),)):
        base = rand20()
        special += [crafted(pki, base, chars) for chars in group]
    serials = special + [rand20() for _ in range(N_RANDOM)]
    for i, s in enumerate(serials):
        k = rnd.random()
        if k < 0.2 or i == 0:
            entries[s] = ("R", rnd.choice(REVOCATIONS))
        elif k < 0.3:
            entries[s] = ("E", "")
        else:
            entries[s] = ("V", "")
    for s in serials:
        st, rev = entries[s]
        lines.append("%s\t%s\t%s\t%X\tunknown\t/CN=serial %X" % (st, EXPIRED if st == "E" else EXPIRY, rev, s, s))
    path.write_text("\n".join(lines) + "\n")
    reqs = []
    for s, (st, rev) in entries.items():
        at = ("20" + rev[:12] + "Z").encode() if st == "R" else None
        for h, null in VARIANTS:
            reqs.append(Req(pki, s, h, null, "revoked" if st == "R" else "good", at))
    unknown = [Req(pki, s, h, null, "unknown") for s in [rand20() for _ in range(N_UNKNOWN)] for h, null in VARIANTS]
    return reqs, unknown


def hex_serial(n):
    """A serial as ocspkit names it: hex, whole octets."""
    h = "%X" % n
    return "0" + h if len(h) % 2 else h


def check_answer(der, req):
    """der is a successful response with one SingleResponse: the CertID
    asked, byte for byte, and the status (and revocation time) expected."""
    top = der_split(der_content(der))
    assert der_content(top[0]) == b"\x00", req.serial
    basic = der_content(der_split(der_content(der_content(top[1])))[1])
    fields = der_split(der_content(der_split(der_content(basic))[0]))
    if fields[0][0] == 0xA0:
        fields = fields[1:]
    singles = der_split(der_content(fields[2]))
    assert len(singles) == 1
    cid, status = der_split(der_content(singles[0]))[:2]
    assert cid == req.cert_id, "%X: another CertID" % req.serial
    if req.status == "revoked":
        assert status[0] == 0xA1 and der_content(der_split(der_content(status))[0]) == req.revoked_at, req.serial
    else:
        assert status == {"good": b"\x80\x00", "unknown": b"\x82\x00"}[req.status], (req.serial, status)


def get_keepalive(port, paths):
    """GETs paths over kept-alive connections: [(status, body)]."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    out = []
    try:
        for p in paths:
            conn.putrequest("GET", p, skip_accept_encoding=True)
            conn.endheaders()
            r = conn.getresponse()
            out.append((r.status, r.read()))
            if r.will_close:
                conn.close()
    finally:
        conn.close()
    return out


def get_curl(url, paths, outdir):
    """The curl command, one process, one URL after the other: [(status, body)]."""
    if not CURL:
        pytest.skip("curl not installed")
    outdir.mkdir()
    cfg = outdir / "urls"
    cfg.write_text("".join('url = "%s%s"\noutput = "%s/%d"\n' % (url.rstrip("/"), p, outdir, i)
                           for i, p in enumerate(paths)))
    p = subprocess.run([CURL, "-s", "-K", str(cfg), "-w", "%{http_code}\\n"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=300)
    assert p.returncode == 0, p.stderr
    codes = p.stdout.decode().split()
    assert len(codes) == len(paths)
    return [(int(c), (outdir / str(i)).read_bytes()) for i, c in enumerate(codes)]


FORMS = {
    "raw": lambda s: "/" + s,
    "encoded": lambda s: "/" + urllib.parse.quote(s, safe=""),
    "curl": lambda s: "/" + re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), urllib.parse.quote(s, safe="/")),
}

# which requests nginx answered from a file ($upstream_addr "-") and which
# it passed on
LOG_CONF = """
  log_format presign '$upstream_addr $request_uri';
  access_log %s presign;
"""


def test_presign_every_shape(ocspkit, workdir):
    demo = DemoPki(workdir / "psn-demo")
    index = workdir / "psn-index.txt"
    reqs, unknown = build_index(demo, index)
    entries = len(reqs) // len(VARIANTS)

    # the requests that share a file, found here from the layout alone
    by_file = defaultdict(set)
    for q in reqs:
        by_file[presign_file(q.b64)].add(q.b64)
    shared = {n for names in by_file.values() if len(names) > 1 for n in names}
    names = [q.b64 for q in reqs]
    assert len(shared) == 4, shared  # the two crafted pairs
    assert sum(n.endswith("/") for n in names) >= 5 and any(n.endswith("//") for n in names)
    assert any("//" in n.rstrip("/") for n in names if n not in shared)
    assert any("+" in n for n in names) and any(n.endswith("==") for n in names) and any(
        n.endswith("=") and not n.endswith("==") for n in names)
    assert [q for q in reqs if q.serial == 0x3F and q.b64.endswith("AgE/")]

    # what an earlier run left: a response where a colliding pair maps (it
    # would answer both), the empty directory the old layout made for a
    # path ending in '/'
    root = workdir / "psn-root"
    for n in shared:
        f = root / presign_file(n)
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(b"an earlier answer")
    ends = [n for n in names if n.endswith("/") and n not in shared]
    (root / presign_file(ends[0])).parent.mkdir(parents=True, exist_ok=True)

    args = ["--index", index, "--CA", demo.ca, "--rsigner", demo.responder, "--rkey", demo.responder_key]
    started = time.time()
    r = ocspkit("presign", *args, "--ndays", "1", root)
    took = time.time() - started
    written = len(reqs) - len(shared)
    assert r.rc == 0, r
    assert r.out == ("%d responses for %d index entries written to %s; 4 skipped (4 sharing a file with another "
                     "request, 0 too long for a file name); 0 failed\n" % (written, entries, root)), r
    for q in reqs:
        f = root / presign_file(q.b64)
        if q.b64 in shared:
            assert not f.exists() and ("serial %s, sha1 with NULL parameters: not written" % hex_serial(q.serial)
                                       in r.err), r
        else:
            check_answer(f.read_bytes(), q)
    assert len([f for f in root.rglob("*") if f.is_file()]) == written
    print("presign: %d entries, %d files written, %d skipped (sharing a file), %.1f s" % (
        entries, written, len(shared), took))

    server = Server(workdir / "psn-serve", args + ["--ndays", "1"])
    ngx = None
    try:
        ngx = Nginx(workdir, LOG_CONF % (workdir / "psn-source.log") + readme_static_conf(root, server.port),
                    name="nginx-presign")
        asked = reqs + unknown
        answers, sent = {}, []
        for form, spell in FORMS.items():
            paths = [spell(q.b64) for q in asked]
            got = (get_curl(ngx.url, paths, workdir / "psn-curl") if form == "curl"
                   else get_keepalive(ngx.port, paths))
            for q, p, (status, body) in zip(asked, paths, got):
                assert status == 200, (form, p, status)
                check_answer(body, q)
                answers[p] = q
                sent.append(p)
        assert len([p for p in answers if "%2F%2F" in p]) >= 5 and [p for p in answers if "%2b" in p]

        # nginx answered from a file every request but the colliding pairs
        # and the unknown serials
        source = defaultdict(set)
        deadline = time.time() + 10
        while len(source) < len(answers) and time.time() < deadline:
            source.clear()
            for line in (workdir / "psn-source.log").read_text().splitlines():
                addr, uri = line.split(" ", 1)
                source[uri].add("file" if addr == "-" else "responder")
            time.sleep(0.05)
        from_responder = set()
        for p, q in answers.items():
            want = "responder" if q.b64 in shared or q.status == "unknown" else "file"
            assert source[p] == {want}, (p, source[p], q.serial)
            if want == "responder":
                from_responder.add(q.b64)
        assert from_responder == shared | {q.b64 for q in unknown}
        print("nginx: %d requests (%d forms), %d answered from files, %d by the responder, all right" % (
            len(sent), len(FORMS), sum(source[p] == {"file"} for p in sent),
            sum(source[p] == {"responder"} for p in sent)))
    finally:
        if ngx:
            ngx.stop()
        server.stop()
