#!/usr/bin/env python3
"""The responder's cached GET rate with a CRL as its revocation source
against the same PKI answered from index.txt (make bench-crl-serve; issue
18: "which must match the index.txt source"; not part of make check).

One demo PKI (scripts/demo-pki.sh, P-256), N certificates (default
10,000) of which half are revoked: index.txt lists all N (V or R,
keyCompromise), the CRL (pyca's builder, signed by the CA) the revoked
half.  `ocspkit serve --index` and `ocspkit serve --crl` each answer 1,000
of those serials (half revoked), every answer pre-signed first (one GET
each, statuses checked); then wrk on loopback measures cached GETs:

  one   the same request over and over (one cache entry)
  mix   the 1,000 requests in turn (a cache and a source lookup each)

at 8 and 64 connections, index and CRL in turn (each pass starting with
the other), BENCH_PASSES passes (default 3; the best run counts: the
machine may be shared).  Prints both rates, the responder's CPU time per
request (user + system, /proc), which a shared machine disturbs less, and
CRL / index of each.

    bench/crl_serve.py OCSPKIT [N]
Environment: BENCH_SECONDS per run (default 5), BENCH_CONNS (default
"8 64"), BENCH_PASSES (default 3), BENCH_DATA keeps the files in that
directory.  Needs openssl, wrk and pyca/cryptography (Debian's python3).
"""

import base64
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hostile import Pki, Serve, request_der  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
PASSES = int(os.environ.get("BENCH_PASSES", "3"))
CONNS = [int(c) for c in os.environ.get("BENCH_CONNS", "8 64").split()]
ASKED = 1000
FIRST = 0x100000

WRK_LUA = """-- GET each path of $OCSP_PATHS in turn
local paths = {}
for line in io.lines(os.getenv("OCSP_PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
	i = i % #paths + 1
	return wrk.format("GET", paths[i])
end
"""


def make_sources(pki, work, n):
    """index.txt of n certificates, every second one revoked, and the CRL
    of the revoked ones; returns the revoked serials."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization

    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0, tzinfo=None)
    when = now - datetime.timedelta(days=1)
    expiry = (now + datetime.timedelta(days=365)).strftime("%y%m%d%H%M%SZ")
    rtime = when.strftime("%y%m%d%H%M%SZ")
    revoked = [FIRST + i for i in range(n) if i % 2]
    lines = []
    for i in range(n):
        s = FIRST + i
        if i % 2:
            lines.append("R\t%s\t%s,keyCompromise\t%X\tunknown\t/CN=leaf %d\n" % (expiry, rtime, s, i))
        else:
            lines.append("V\t%s\t\t%X\tunknown\t/CN=leaf %d\n" % (expiry, s, i))
    (work / "index.txt").write_text("".join(lines))
    key = serialization.load_pem_private_key((pki.root / "ca.key").read_bytes(), None)
    ca = x509.load_pem_x509_certificate((pki.root / "ca.pem").read_bytes())
    b = x509.CertificateRevocationListBuilder().issuer_name(ca.subject).last_update(now - datetime.timedelta(
        minutes=5)).next_update(now + datetime.timedelta(days=7)).add_extension(x509.CRLNumber(1), False)
    reason = x509.CRLReason(x509.ReasonFlags.key_compromise)
    for s in revoked:
        b = b.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(s).revocation_date(when)
                                      .add_extension(reason, False).build())
    (work / "ca.crl").write_bytes(b.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER))
    return set(revoked)


def cert_status(der):
    """good / revoked / unknown of a one-answer OCSPResponse (pyca)."""
    from cryptography.x509 import ocsp
    r = ocsp.load_der_ocsp_response(der)
    if r.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        return r.response_status.name
    return r.certificate_status.name.lower()


def warm(srv, paths, serials, revoked):
    """One GET per path (each answer signed and cached); each status checked."""
    for path, s in zip(paths, serials):
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (srv.port, path), timeout=30) as r:
            got = cert_status(r.read())
        want = "revoked" if s in revoked else "good"
        if got != want:
            raise SystemExit("bench-crl-serve: serial %X answered %s, not %s" % (s, got, want))


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    """User + system CPU time of a process so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(port, path, conns, script, paths_file, log):
    args = ["wrk", "-t%d" % min(2, conns), "-c%d" % conns, "-d%ds" % SECONDS]
    env = dict(os.environ)
    if script:
        args += ["-s", str(script)]
        env["OCSP_PATHS"] = str(paths_file)
    out = subprocess.run(args + ["http://127.0.0.1:%d%s" % (port, path)], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, env=env, timeout=SECONDS + 60).stdout
    log.write(out)
    m = re.search(r"Requests/sec:\s*([0-9.]+)", out)
    n = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if not m or not n or bad:
        raise SystemExit("bench-crl-serve: wrk failed or saw errors:\n" + out)
    return float(m.group(1)), int(n.group(1))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    ocspkit = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    if n < 2 * ASKED:
        sys.exit("bench-crl-serve: at least %d certificates" % (2 * ASKED))
    for tool in ("wrk", os.environ.get("OPENSSL", "openssl")):
        if not shutil.which(tool):
            print("bench-crl-serve: %s is needed (Debian: apt-get install wrk openssl)" % tool)
            sys.exit(77)
    try:
        import cryptography  # noqa: F401
    except ImportError:
        print("bench-crl-serve: pyca/cryptography is needed (Debian: python3-cryptography)")
        sys.exit(77)
    work = Path(os.environ["BENCH_DATA"]) if os.environ.get("BENCH_DATA") else Path(
        tempfile.mkdtemp(prefix="ocspkit-bench-crl-serve."))
    work.mkdir(parents=True, exist_ok=True)
    try:
        pki = Pki(work / "pki", "ec")
        revoked = make_sources(pki, work, n)
        serials = [FIRST + i * (n // ASKED) + (i % 2) for i in range(ASKED)]
        paths = ["/" + base64.b64encode(request_der(pki.name_hash, pki.key_hash, s)).decode() for s in serials]
        paths_file = work / "paths.txt"
        paths_file.write_text("".join(p + "\n" for p in paths))
        script = work / "paths.lua"
        script.write_text(WRK_LUA)
        common = ["--CA", pki.root / "ca.pem", "--rsigner", pki.root / "responder.pem", "--rkey",
                  pki.root / "responder.key", "--ndays", "1"]
        sources = {"index": ["--index", work / "index.txt"], "crl": ["--crl", work / "ca.crl"]}
        print("bench-crl-serve: %d certificates (%d revoked: index.txt %d KB, CRL %d KB), %d asked, wrk %d s a "
              "run, %d CPUs; data in %s" % (n, len(revoked), (work / "index.txt").stat().st_size // 1024,
                                            (work / "ca.crl").stat().st_size // 1024, ASKED, SECONDS,
                                            os.cpu_count(), work), flush=True)
        rates, cpu = {}, {}
        with open(work / "wrk.log", "w") as log:
            for rep in range(PASSES):
                for src in (("index", "crl") if rep % 2 == 0 else ("crl", "index")):
                    srv = Serve(ocspkit, sources[src] + common, work / ("serve-%s.log" % src))
                    try:
                        warm(srv, paths, serials, revoked)
                        rss = rss_kb(srv.p.pid)
                        for conns in CONNS:
                            for kind in ("one", "mix"):
                                cpu0 = cpu_seconds(srv.p.pid)
                                r, n = wrk(srv.port, paths[1], conns, script if kind == "mix" else None, paths_file,
                                           log)
                                us = (cpu_seconds(srv.p.pid) - cpu0) * 1e6 / n
                                key = (kind, conns, src)
                                rates[key] = max(rates.get(key, 0), r)
                                cpu[key] = min(cpu.get(key, us), us)
                    finally:
                        srv.stop()
                    print("  pass %d, %s: done (RSS after warming %d MB)" % (rep + 1, src, rss // 1024), flush=True)
        print("%-4s %5s | %12s %12s %9s | %14s %10s %9s" % ("GET", "conns", "index.txt/s", "CRL/s", "CRL/index",
                                                             "index CPU us/r", "CRL us/r", "CRL/index"))
        for kind in ("one", "mix"):
            for conns in CONNS:
                a, b = rates[(kind, conns, "index")], rates[(kind, conns, "crl")]
                ca, cb = cpu[(kind, conns, "index")], cpu[(kind, conns, "crl")]
                print("%-4s %5d | %12.0f %12.0f %8.2fx | %14.1f %10.1f %8.2fx" % (kind, conns, a, b, b / a, ca, cb,
                                                                                 cb / ca))
        print("one: the same cached request; mix: %d cached requests in turn, half of them revoked. Rates: the "
              "best of %d runs; CPU: the responder's user + system time per request, the least of the runs (less "
              "disturbed than the rate on a shared machine). Target (issue 18): CRL about 1.00x the index." % (
                  ASKED, PASSES))
    finally:
        if not os.environ.get("BENCH_DATA"):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
