"""Cell 7, CRLs live: `openssl ocsp -url` and GnuTLS `ocsptool --ask`
against `ocspkit serve` answering from CRLs (issue 18) instead of an
index.txt.

- every revocation form `openssl ca -revoke` writes into a CRL (each
  -crl_reason, -crl_hold, -crl_compromise, -crl_CA_compromise, none),
  answered revoked with the CRL entry's date, reason and invalidity date,
  as each client reads them; a certificate the CRL does not list: good;
- `--issued` in its three forms (index.txt, hex serials, a directory of
  certificates): a serial in neither the CRL nor the list is unknown;
- delta CRLs (by openssl ca and by pyca): an entry in the delta alone is
  revoked; removeFromCRL in the delta takes a base certificateHold off;
- a CRL fetched over HTTP from a server of this test, re-fetched every
  --crl-refresh; a newer CRL is answered within seconds, SIGHUP fetches at
  once;
- a CRL that does not parse, is signed by another key or another CA, has
  a lower CRL number or an IDP for CA certificates only is refused, logged,
  and the CRL in use keeps answering;
- a stale CRL (past nextUpdate): tryLater with --crl-stale trylater once
  --crl-grace has passed, answers with --crl-stale serve;
- the OCSP thisUpdate and nextUpdate (and the HTTP Expires) within the
  CRL's thisUpdate and nextUpdate;
- one serve with a CA answered from index.txt and another from a CRL;
- file CRLs re-read on SIGHUP.

What each client says of each answer is recorded for the report
(conformance/report.py, "crl_live").
"""

import base64
import datetime
import email.utils
import http.server
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import BUILDDIR, FULL, OCSPKIT_BIN, OCSPKIT_WRAPPER, VALGRIND_EXIT, check_sanitizers, need_peer, \
    ocspkit_missing, peers, run_openssl
from conflib import crls as C
from conflib.ocsptext import iso_of_openssl, parse_text
from conflib.pki import GENPKEY

AREA = "crl-live"
ALGS = ["p256"] + (["rsa", "ed25519"] if FULL else [])
SLOW = bool(OCSPKIT_WRAPPER)
WAIT = 60 if SLOW else 12  # how long a change may take to be answered

# every way `openssl ca -revoke` records a revocation in a CRL (a
# removeFromCRL belongs in a delta CRL: below), with the leaf's serial
REVOCATIONS = [
    ("unspecified", 0x8001, ["-crl_reason", "unspecified"]),
    ("keyCompromise", 0x8002, ["-crl_reason", "keyCompromise"]),
    ("CACompromise", 0x8003, ["-crl_reason", "CACompromise"]),
    ("affiliationChanged", 0x8004, ["-crl_reason", "affiliationChanged"]),
    ("superseded", 0x8005, ["-crl_reason", "superseded"]),
    ("cessationOfOperation", 0x8006, ["-crl_reason", "cessationOfOperation"]),
    ("certificateHold", 0x8007, ["-crl_reason", "certificateHold"]),
    ("hold-call-issuer", 0x8008, ["-crl_hold", "holdInstructionCallIssuer"]),
    ("compromise-time", 0x8009, ["-crl_compromise", "20240102030405Z"]),
    ("CA-compromise-time", 0x800A, ["-crl_CA_compromise", "20240203040506Z"]),
    ("no-reason", 0x800B, []),
]
GOOD = 0x8100        # entered as issued (openssl ca -valid), never revoked
NOT_ISSUED = 0x8200  # a certificate of the CA that no issued list names
DELTA_ONLY = 0x8300  # revoked in the delta CRL alone
HOLD = 0x8007        # certificateHold in the complete CRL, removeFromCRL in the delta
BASE_NUMBER = 0x10


# ------------------------------------------------------------------ the responder

def serve_missing():
    why = ocspkit_missing()
    if why:
        return why
    r = subprocess.run([OCSPKIT_BIN, "serve", "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=60)
    text = r.stdout.decode("utf-8", "replace")
    if "unknown command" in text or re.search(r"without libmicrohttpd|not (built|available) in this build", text):
        return "`ocspkit serve` is not in this build: " + text.strip()[:200]
    return None


class Serve:
    """`ocspkit serve ARGS --port 0`; its log (stderr) in a file that the
    test reads while it runs."""

    def __init__(self, dirpath, args, name="serve"):
        why = serve_missing()
        if why:
            pytest.skip(why)
        self.dir = Path(dirpath)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.log = self.dir / (name + ".log")
        self.argv = OCSPKIT_WRAPPER + [OCSPKIT_BIN, "serve"] + [str(a) for a in args] + [
            "--port", "0", "--access-log", "none"]
        self._err = open(self.log, "wb")
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.DEVNULL, stderr=self._err,
                                     cwd=str(BUILDDIR) if BUILDDIR.is_dir() else None)
        m = self.wait_log(r"listening on (http://[^ ]+/)", 120 if SLOW else 20, stop_if_dead=True)
        if not m:
            self.stop(check=False)
            raise AssertionError("ocspkit serve did not start: %s\n%s" % (" ".join(self.argv), self.text()))
        self.url = m.group(1)

    def text(self):
        return self.log.read_text(errors="replace")

    def wait_log(self, pattern, seconds=WAIT, after=0, stop_if_dead=False):
        """The match of pattern in the log after offset `after`, waited for."""
        end = time.time() + seconds
        while True:
            m = re.search(pattern, self.text()[after:])
            if m or time.time() > end or (stop_if_dead and self.proc.poll() is not None):
                return m
            time.sleep(0.05)

    def mark(self):
        return len(self.text())

    def stop(self, check=True):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=120 if SLOW else 30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self._err.close()
        if check:
            out = self.text()
            check_sanitizers(out, self.argv)
            assert not (OCSPKIT_WRAPPER and rc == VALGRIND_EXIT), "the wrapper reported errors:\n" + out[-6000:]
            assert rc == 0, "ocspkit serve exited %d:\n%s" % (rc, out[-3000:])


@pytest.fixture
def servers():
    """Starts serves for one test and stops each at its end (exit 0)."""
    made = []

    def start(*a, **kw):
        s = Serve(*a, **kw)
        made.append(s)
        return s
    yield start
    for s in made:
        s.stop()


def signer_args(p):
    return ["--rsigner", p.responder, "--rkey", p.responder_key]


# ------------------------------------------------------------------ the clients

def openssl_answer(p, url, cert):
    """What `openssl ocsp -url` makes of the answer about cert: a dict of
    status (or the responseStatus when it is not successful), reason,
    revocation time, invalidity date, verified."""
    need_peer("openssl")
    r = run_openssl("ocsp", "-url", url, "-issuer", p.ca, "-cert", cert, "-CAfile", p.chain, "-no_nonce",
                    "-resp_text", check=False)
    t = parse_text(r.out)
    if t.get("status_code"):
        return {"status": t["status"], "verified": False, "raw": r}
    assert len(t["entries"]) == 1, r
    e = t["entries"][0]
    inv = [x["value"] for x in e["extensions"] if x["name"] == "Invalidity Date"]
    return {"status": e["cert_status"], "reason": e["reason"].split(" (")[0] if e.get("reason") else None,
            "time": iso_of_openssl(e["revocation_time"]) if e.get("revocation_time") else None,
            "invalidity": iso_of_openssl(inv[0]) if inv else None,
            "hold": [x["value"] for x in e["extensions"] if x["name"] == "Hold Instruction Code"],
            "this_update": iso_of_openssl(e["this_update"]), "verified": "Response verify OK" in r.err, "raw": r}


GNUTLS_REASONS = {0: "unspecified", 1: "keyCompromise", 2: "cACompromise", 3: "affiliationChanged", 4: "superseded",
                  5: "cessationOfOperation", 6: "certificateHold", 8: "removeFromCRL", 9: "privilegeWithdrawn",
                  10: "aACompromise"}


def gnutls_time(s):
    """"Mon Dec 07 23:07:56 UTC 2026" -> "2026-12-07T23:07:56Z" """
    return datetime.datetime.strptime(s.strip(), "%a %b %d %H:%M:%S UTC %Y").strftime("%Y-%m-%dT%H:%M:%SZ")


def ocsptool_answer(p, url, cert, out):
    """What GnuTLS `ocsptool --ask` says of the answer about cert (status,
    revocation time, verified), and the reason libgnutls reads from the
    response it saved (ocsptool does not print it)."""
    need_peer("ocsptool")
    g = subprocess.run([peers.OCSPTOOL, "--ask=" + url, "--load-cert", str(cert), "--load-issuer", str(p.ca),
                        "--load-trust", str(p.chain), "--no-nonce", "--outfile", str(out)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    text = g.stdout.decode("utf-8", "replace")
    st = re.search(r"Certificate Status: (\w+)", text)
    rt = re.search(r"Revocation time: (.*)", text)
    rs = re.search(r"Response Status: (\w+)", text)
    if rs and rs.group(1) != "Successful":
        return {"status": rs.group(1).lower(), "verified": False, "raw": text}
    res = {"status": st.group(1) if st else None, "time": gnutls_time(rt.group(1)) if rt else None,
           "verified": g.returncode == 0 and "Verifying OCSP Response: Success" in text, "raw": text}
    if st and st.group(1) == "revoked" and not peers.lib_available("gnutls"):
        single = peers.gnutls_single(Path(out).read_bytes())
        res["reason"] = GNUTLS_REASONS.get(single["reason"], single["reason"])
    return res


def response_of(p, url, cert, workdir):
    """(DER answer, HTTP headers) of an RFC 5019 GET about cert, for pyca."""
    req = p.fresh("req.der")
    run_openssl("ocsp", "-issuer", p.ca, "-cert", cert, "-no_nonce", "-reqout", req)
    path = urllib.parse.quote(base64.b64encode(req.read_bytes()).decode(), safe="")
    with urllib.request.urlopen(url + path, timeout=60) as r:
        return r.read(), {k.lower(): v for k, v in r.getheaders()}


def pyca_response(der):
    need_peer("pyca")
    from cryptography.x509 import ocsp
    return ocsp.load_der_ocsp_response(der)


# ------------------------------------------------------------------ what the CRL says

def utc(dt):
    return dt.replace(tzinfo=datetime.timezone.utc) if dt is not None and dt.tzinfo is None else dt


def when(obj, name):
    """A time of a pyca object, aware (pyca before 42 has no *_utc)."""
    aware = getattr(obj, name + "_utc", None)
    return aware if aware is not None else utc(getattr(obj, name))


def iso(dt):
    return utc(dt).strftime("%Y-%m-%dT%H:%M:%SZ")


def crl_entries(path):
    """serial -> {time, reason, invalidity} of a CRL, as pyca reads it:
    the expectations come from the CRL, not from ocspkit."""
    need_peer("pyca")
    from cryptography import x509
    crl = x509.load_der_x509_crl(Path(path).read_bytes())
    out = {}
    for rc in crl:
        reason = invalidity = None
        for ext in rc.extensions:
            if isinstance(ext.value, x509.CRLReason):
                reason = ext.value.reason.value
            elif isinstance(ext.value, x509.InvalidityDate):
                invalidity = iso(ext.value.invalidity_date)
        out[rc.serial_number] = {"time": iso(when(rc, "revocation_date")), "reason": reason, "invalidity": invalidity}
    return out


def crl_numbers(path):
    """(CRL number, BaseCRLNumber of a delta CRL indicator) of a CRL, None when absent."""
    from cryptography import x509
    crl = x509.load_der_x509_crl(Path(path).read_bytes())
    out = []
    for cls in (x509.CRLNumber, x509.DeltaCRLIndicator):
        try:
            v = crl.extensions.get_extension_for_class(cls).value
            out.append(v.crl_number)
        except x509.ExtensionNotFound:
            out.append(None)
    return tuple(out)


def crl_times(path):
    from cryptography import x509
    crl = x509.load_der_x509_crl(Path(path).read_bytes())
    return when(crl, "last_update"), when(crl, "next_update")


# ------------------------------------------------------------------ the report's record

VERDICTS = []


def summary(a):
    if a["status"] not in ("good", "revoked", "unknown"):
        return a["status"]
    s = a["status"]
    if a["status"] == "revoked":
        s += " %s %s" % (a.get("reason") or "(no reason)", a.get("time"))
        if a.get("invalidity"):
            s += " invalidity %s" % a["invalidity"]
        if a.get("hold"):
            s += " hold %s" % a["hold"][0]
    return s + ("" if a["verified"] else ", NOT verified")


def note(record, case, what, expected, ossl=None, gnu=None):
    VERDICTS.append({"case": case, "certificate": what, "expected": expected,
                     "openssl": summary(ossl) if ossl else None, "ocsptool": summary(gnu) if gnu else None})
    record("crl_live", VERDICTS)


def expect_answer(record, case, p, url, cert, what, status, entry=None, workdir=None, ocsptool=True):
    """Asks both clients about cert; each must verify the answer and read
    status (and, when revoked, the CRL entry's time, reason and invalidity
    date)."""
    exp = status if status != "revoked" else summary(dict(entry, status="revoked", verified=True))
    o = openssl_answer(p, url, cert)
    g = ocsptool_answer(p, url, cert, p.fresh("ocsptool.der")) if ocsptool and peers.OCSPTOOL else None
    note(record, case, what, exp, o, g)
    assert o["verified"] and o["status"] == status, o["raw"]
    if status == "revoked":
        assert o["time"] == entry["time"], (o, entry)
        assert o["reason"] == entry["reason"], (o, entry)
        assert o["invalidity"] == entry["invalidity"], (o, entry)
    else:
        assert o["reason"] is None and o["time"] is None, o
    if g is not None:
        assert g["verified"] and g["status"] == status, g["raw"]
        if status == "revoked":
            assert g["time"] == entry["time"], (g, entry)
            if "reason" in g:
                # libgnutls reads an absent reason as unspecified
                assert g["reason"] == (entry["reason"] or "unspecified"), (g, entry)
    return o, g


# ------------------------------------------------------------------ the PKI and its CRLs

class Live:
    pass


@pytest.fixture(scope="module")
def live(pki):
    """Per key type: an openssl ca over the PKI's intermediate that revoked
    a leaf in every form, its complete CRL (number 0x10), a delta CRL of
    openssl ca (removeFromCRL for the hold, one more revocation), and the
    three forms of issued list."""
    need_peer("openssl")
    made = {}

    def get(alg):
        if alg in made:
            return made[alg]
        L = Live()
        L.p = p = pki(alg)
        L.ca = C.OpensslCa(p, "live")
        L.certs = {}
        for name, serial, opts in REVOCATIONS:
            L.certs[serial] = L.ca.revoke(serial, opts)
        L.certs[GOOD] = L.ca.issue(GOOD)
        L.certs[NOT_ISSUED] = L.ca.leaf(NOT_ISSUED)
        L.base = L.ca.gencrl(p.dir / "live-base.crl", BASE_NUMBER)
        L.entries = crl_entries(L.base)
        # the delta: its own openssl ca database, where the held
        # certificate is removeFromCRL and another one is revoked
        d = C.OpensslCa(p, "live-delta")
        d.revoke(HOLD, ["-crl_reason", "removeFromCRL"])
        L.certs[DELTA_ONLY] = d.revoke(DELTA_ONLY, ["-crl_reason", "keyCompromise"])
        L.delta = d.gencrl(p.dir / "live-delta.crl", BASE_NUMBER + 1, delta_of=BASE_NUMBER)
        L.delta_entries = crl_entries(L.delta)
        # --issued: index.txt (openssl ca's, every certificate but
        # NOT_ISSUED), hex serials and a directory of certificates (both
        # without the unspecified one, revoked all the same)
        L.issued = {"index": L.ca.dir / "index.txt"}
        listed = [s for s in L.certs if s not in (NOT_ISSUED, DELTA_ONLY, 0x8001)]
        L.issued["hex"] = p.dir / "issued-serials.txt"
        L.issued["hex"].write_text("".join("%s\n" % C.serial_hex(s) for s in listed))
        L.issued["dir"] = p.dir / "issued-certs"
        L.issued["dir"].mkdir()
        for s in listed:
            shutil.copy(L.certs[s], L.issued["dir"] / ("%s.pem" % C.serial_hex(s)))
        made[alg] = L
        return L
    return get


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def replace_file(path, data):
    """Writes the file whole, beside it, then renames it over (as a CA
    publishing a CRL should)."""
    tmp = Path(str(path) + ".new")
    tmp.write_bytes(data)
    os.rename(tmp, path)


# ------------------------------------------------------------------ every revocation form

@pytest.mark.parametrize("alg", ALGS)
def test_every_openssl_ca_reason(alg, live, servers, record, workdir):
    """Each revocation form openssl ca writes in a CRL is answered revoked with the entry's time, reason and invalidity date; an unlisted certificate is good (openssl ocsp and ocsptool verify)."""
    L = live(alg)
    s = servers(workdir / ("crl-reasons-" + alg), ["--crl", L.base, "--CA", L.p.ca, *signer_args(L.p), "--ndays", "1"])
    assert len(L.entries) == len(REVOCATIONS)
    for name, serial, opts in REVOCATIONS:
        o, _ = expect_answer(record, "reasons", L.p, s.url, L.certs[serial], "%s (%s)" % (name, " ".join(opts)),
                             "revoked", L.entries[serial])
        if o["hold"]:
            # a hold instruction, when the answer carries one, is the CRL's
            assert "Call Issuer" in o["hold"][0] if "call" in name else "None" in o["hold"][0], o
    # the CRL entries written with -crl_compromise carry the date given
    assert L.entries[0x8009]["invalidity"] == "2024-01-02T03:04:05Z"
    assert L.entries[0x800A]["invalidity"] == "2024-02-03T04:05:06Z"
    expect_answer(record, "reasons", L.p, s.url, L.certs[GOOD], "not listed", "good")
    expect_answer(record, "reasons", L.p, s.url, L.certs[NOT_ISSUED], "not listed, no --issued", "good")


# ------------------------------------------------------------------ --issued

@pytest.mark.parametrize("kind", ["index", "hex", "dir"])
def test_issued_list(kind, live, servers, record, workdir):
    """With --issued (index.txt, hex serials, a directory of certificates) a serial neither listed in the CRL nor issued is unknown; an issued one is good; a revoked one stays revoked."""
    L = live(ALGS[0])
    s = servers(workdir / ("crl-issued-" + kind),
                ["--crl", L.base, "--issued", L.issued[kind], "--CA", L.p.ca, *signer_args(L.p)])
    case = "issued-" + kind
    expect_answer(record, case, L.p, s.url, L.certs[NOT_ISSUED], "not issued, not listed", "unknown")
    expect_answer(record, case, L.p, s.url, L.certs[GOOD], "issued, not listed", "good")
    expect_answer(record, case, L.p, s.url, L.certs[0x8002], "issued, listed (keyCompromise)", "revoked",
                  L.entries[0x8002])
    # listed in the CRL wins over an issued list that lacks the serial
    expect_answer(record, case, L.p, s.url, L.certs[0x8001], "listed, not in the issued list" if kind != "index"
                  else "listed (unspecified)", "revoked", L.entries[0x8001])


# ------------------------------------------------------------------ delta CRLs

def pyca_delta(L, workdir):
    """A complete CRL and its delta by pyca's builder, the same story as
    openssl ca's: the base holds HOLD and revokes keyCompromise; the delta
    removes HOLD from the CRL and revokes DELTA_ONLY."""
    p = L.p
    t = now_utc() - datetime.timedelta(hours=1)
    base = C.pyca_crl(p.dir / "pyca-live-base.crl", p.ca_key, p.ca,
                      [(HOLD, t - datetime.timedelta(days=2), "certificate_hold", None),
                       (0x8002, t - datetime.timedelta(days=3), "key_compromise", t - datetime.timedelta(days=9))],
                      number=0x40, last=t)
    delta = C.pyca_crl(p.dir / "pyca-live-delta.crl", p.ca_key, p.ca,
                       [(HOLD, t, "remove_from_crl", None), (DELTA_ONLY, t, "key_compromise", None)],
                       number=0x41, last=t, delta_of=0x40)
    return base, delta


@pytest.mark.parametrize("maker", ["openssl", "pyca"])
def test_delta_crl(maker, live, servers, record, workdir):
    """With --delta-crl: a revocation in the delta alone is answered revoked; removeFromCRL in the delta takes a base certificateHold off (good); the base's other entries stay revoked."""
    L = live(ALGS[0])
    if maker == "openssl":
        base, delta = L.base, L.delta
    else:
        need_peer("pyca")
        base, delta = pyca_delta(L, workdir)
    be, de = crl_entries(base), crl_entries(delta)
    # the CRLs say what the cell relies on
    assert be[HOLD]["reason"] == "certificateHold" and de[HOLD]["reason"] == "removeFromCRL"
    assert DELTA_ONLY not in be and de[DELTA_ONLY]["reason"] == "keyCompromise"
    (bn, _), (dn, dbase) = crl_numbers(base), crl_numbers(delta)
    assert bn is not None and dbase == bn and dn > bn, (bn, dn, dbase)
    # without the delta, as a control: the hold is revoked, the delta's entry good
    s0 = servers(workdir / ("crl-delta-none-" + maker), ["--crl", base, "--CA", L.p.ca, *signer_args(L.p)])
    expect_answer(record, "delta-" + maker, L.p, s0.url, L.certs[HOLD], "certificateHold, base alone", "revoked",
                  be[HOLD])
    expect_answer(record, "delta-" + maker, L.p, s0.url, L.certs[DELTA_ONLY], "in the delta, base alone", "good")
    s = servers(workdir / ("crl-delta-" + maker),
                ["--crl", base, "--delta-crl", delta, "--CA", L.p.ca, *signer_args(L.p)])
    expect_answer(record, "delta-" + maker, L.p, s.url, L.certs[DELTA_ONLY], "revoked in the delta only", "revoked",
                  de[DELTA_ONLY])
    expect_answer(record, "delta-" + maker, L.p, s.url, L.certs[HOLD], "base hold, delta removeFromCRL", "good")
    expect_answer(record, "delta-" + maker, L.p, s.url, L.certs[0x8002], "base keyCompromise", "revoked",
                  be[0x8002])
    expect_answer(record, "delta-" + maker, L.p, s.url, L.certs[GOOD], "in neither", "good")


# ------------------------------------------------------------------ over HTTP

class CrlServer:
    """A loopback HTTP server (a thread of this test) publishing CRLs:
    .publish(path, der); .fetches counts the GETs of each path."""

    def __init__(self):
        files, fetches = {}, {}
        self.files, self.fetches = files, fetches

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                fetches[self.path] = fetches.get(self.path, 0) + 1
                body = files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/pkix-crl")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def publish(self, path, der):
        self.files[path] = bytes(der)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def crl_server():
    srv = CrlServer()
    yield srv
    srv.stop()


def wait_status(p, url, cert, status, seconds=WAIT):
    """openssl ocsp's answer, asked again until it says status or time is up."""
    end = time.time() + seconds
    while True:
        a = openssl_answer(p, url, cert)
        if a["status"] == status or time.time() > end:
            return a
        time.sleep(0.3)


def url_served(L, crl_server, servers, workdir, name, number, refresh):
    """serve --crl <a URL of crl_server> --crl-refresh refresh, the URL
    publishing CRL `number` that revokes 0x8002: (serve, the CRL, its time)."""
    p = L.p
    t = now_utc() - datetime.timedelta(minutes=5)
    first = C.pyca_crl(p.dir / ("%s-1.crl" % name), p.ca_key, p.ca, [(0x8002, t, "key_compromise", None)],
                       number=number, last=t)
    crl_server.publish("/%s.crl" % name, first.read_bytes())
    s = servers(workdir / ("crl-" + name), ["--crl", "%s/%s.crl" % (crl_server.url, name), "--crl-refresh",
                                            str(refresh), "--CA", p.ca, *signer_args(p)])
    return s, first, t


def revoking_good(L, name, number, t, reason, when):
    """CRL `number` of 0x8002 (as url_served's) and GOOD (reason, at when)."""
    return C.pyca_crl(L.p.dir / ("%s-2.crl" % name), L.p.ca_key, L.p.ca, [(0x8002, t, "key_compromise", None),
                                                                        (GOOD, when, reason, None)],
                      number=number, last=when)


def test_refresh_from_url(live, servers, crl_server, record, workdir):
    """--crl http://... --crl-refresh 1: a newer CRL published on the loopback server (higher number, one more revocation) is answered revoked within seconds."""
    L = live(ALGS[0])
    p = L.p
    s, first, t = url_served(L, crl_server, servers, workdir, "url", 0x50, 1)
    expect_answer(record, "url-refresh", p, s.url, L.certs[0x8002], "revoked in CRL 0x50", "revoked",
                  crl_entries(first)[0x8002])
    expect_answer(record, "url-refresh", p, s.url, L.certs[GOOD], "not in CRL 0x50", "good")
    second = revoking_good(L, "url", 0x51, t, "superseded", now_utc())
    fetched = crl_server.fetches.get("/url.crl", 0)
    assert fetched >= 1
    crl_server.publish("/url.crl", second.read_bytes())
    started = time.time()
    a = wait_status(p, s.url, L.certs[GOOD], "revoked", 10)
    took = time.time() - started
    assert a["status"] == "revoked", "CRL 0x51 not answered within 10 s: %r\n%s" % (a, s.text())
    expect_answer(record, "url-refresh", p, s.url, L.certs[GOOD], "revoked in CRL 0x51 (after %.1f s)" % took,
                  "revoked", crl_entries(second)[GOOD])
    assert crl_server.fetches["/url.crl"] > fetched


def test_url_sighup(live, servers, crl_server, record, workdir):
    """A CRL URL with a long --crl-refresh is fetched again at SIGHUP: the newer CRL is answered at once, and not before the signal."""
    L = live(ALGS[0])
    p = L.p
    s, first, t = url_served(L, crl_server, servers, workdir, "hup", 0x60, 3600)
    assert openssl_answer(p, s.url, L.certs[GOOD])["status"] == "good"
    second = revoking_good(L, "hup", 0x61, t, "cessation_of_operation", t)
    crl_server.publish("/hup.crl", second.read_bytes())
    time.sleep(3)
    assert openssl_answer(p, s.url, L.certs[GOOD])["status"] == "good", "fetched before its --crl-refresh"
    s.proc.send_signal(signal.SIGHUP)
    a = wait_status(p, s.url, L.certs[GOOD], "revoked")
    assert a["status"] == "revoked", (a, s.text())
    expect_answer(record, "url-sighup", p, s.url, L.certs[GOOD], "revoked in the CRL fetched at SIGHUP", "revoked",
                  crl_entries(second)[GOOD])


# ------------------------------------------------------------------ refused CRLs

def other_key(p):
    """A key of the same type that is not the CA's, and a CA certificate of
    another PKI-like name signed by it (for a CRL of another CA)."""
    d = p.dir / "other-ca"
    if not (d / "other.pem").exists():
        d.mkdir(exist_ok=True)
        run_openssl("genpkey", *GENPKEY[p.alg], "-out", d / "other.key")
        run_openssl("req", "-new", "-x509", "-key", d / "other.key", "-subj", "/O=ocspkit conformance/CN=Other CA",
                    "-days", "30", "-out", d / "other.pem")
    return d / "other.key", d / "other.pem"


BAD = ["garbage", "truncated", "other-key", "other-ca", "older-number", "idp-ca-only", "idp-attribute-only"]


def bad_crl(kind, p, path, t):
    """The bad CRL of each kind, each revoking GOOD and dropping 0x8002,
    so that an answer tells whether it was taken."""
    from cryptography import x509
    entries = [(GOOD, t, "key_compromise", None)]
    if kind == "garbage":
        return path.write_bytes(b"this is not a CRL\n" * 20)
    if kind == "truncated":
        data = C.pyca_crl(path, p.ca_key, p.ca, entries, number=0x72, last=t).read_bytes()
        return path.write_bytes(data[:len(data) - 7])
    if kind == "other-key":  # the CA's name, another key
        key, _ = other_key(p)
        return C.pyca_crl(path, key, p.ca, entries, number=0x72, last=t)
    if kind == "other-ca":
        key, cert = other_key(p)
        return C.pyca_crl(path, key, cert, entries, number=0x72, last=t)
    if kind == "older-number":
        return C.pyca_crl(path, p.ca_key, p.ca, entries, number=0x6F, last=t)
    idp = x509.IssuingDistributionPoint(
        full_name=[x509.UniformResourceIdentifier("http://crl.example/ca.crl")], relative_name=None,
        only_contains_user_certs=False, only_contains_ca_certs=kind == "idp-ca-only",
        only_some_reasons=None, indirect_crl=False, only_contains_attribute_certs=kind == "idp-attribute-only")
    return C.pyca_crl(path, p.ca_key, p.ca, entries, number=0x72, last=t, idp=idp)


@pytest.mark.parametrize("kind", BAD)
def test_refused_crl_keeps_the_old(kind, live, servers, record, workdir):
    """A CRL file replaced by one that does not parse, is signed by another key or CA, has a lower CRL number than the one in use, or an IDP for CA or attribute certificates only is refused with a log line; the CRL in use keeps answering, and a good newer CRL is then taken."""
    need_peer("pyca")
    L = live(ALGS[0])
    p = L.p
    t = now_utc() - datetime.timedelta(minutes=10)
    d = workdir / ("crl-refuse-" + kind)
    d.mkdir()
    crl = d / "ca.crl"
    C.pyca_crl(crl, p.ca_key, p.ca, [(0x8002, t, "key_compromise", None)], number=0x70, last=t)
    first = crl_entries(crl)
    s = servers(d, ["--crl", crl, "--CA", p.ca, *signer_args(p), "--reload-interval", "1"])
    assert openssl_answer(p, s.url, L.certs[GOOD])["status"] == "good"
    mark = s.mark()
    bad = d / "bad.crl"
    bad_crl(kind, p, bad, t + datetime.timedelta(minutes=1))
    time.sleep(1.1)  # a new modification time
    replace_file(crl, bad.read_bytes())
    m = s.wait_log(r"(?im)^.*refus.*$", after=mark)
    assert m, "no refusal logged for the %s CRL:\n%s" % (kind, s.text()[mark:])
    record_line = m.group(0)
    expect_answer(record, "refused-" + kind, p, s.url, L.certs[0x8002], "revoked in the CRL in use", "revoked",
                  first[0x8002])
    expect_answer(record, "refused-" + kind, p, s.url, L.certs[GOOD], "revoked only in the refused CRL", "good")
    assert "refus" in record_line.lower()
    # the file is still watched: a good newer CRL is taken
    newer = C.pyca_crl(d / "newer.crl", p.ca_key, p.ca, [(GOOD, t, "superseded", None)], number=0x80, last=t)
    time.sleep(1.1)
    replace_file(crl, newer.read_bytes())
    a = wait_status(p, s.url, L.certs[GOOD], "revoked")
    assert a["status"] == "revoked", (a, s.text())
    assert openssl_answer(p, s.url, L.certs[0x8002])["status"] == "good"


def test_delta_refused_at_start(live, servers, record, workdir):
    """A delta CRL that does not apply to the complete CRL given with it (its CRL number below the complete one's) is refused at start-up with a log line, and the complete CRL answers alone."""
    need_peer("pyca")
    L = live(ALGS[0])
    p = L.p
    t = now_utc() - datetime.timedelta(hours=1)
    d = workdir / "crl-delta-refused"
    d.mkdir()
    base = C.pyca_crl(d / "base.crl", p.ca_key, p.ca, [(0x8002, t, "key_compromise", None)], number=0x20, last=t)
    delta = C.pyca_crl(d / "delta.crl", p.ca_key, p.ca, [(DELTA_ONLY, t, "key_compromise", None)],
                       number=0x1F, last=t, delta_of=0x1E)
    s = servers(d, ["--crl", base, "--delta-crl", delta, "--CA", p.ca, *signer_args(p)])
    m = s.wait_log(r"(?im)^.*crl refused: .*delta.*$")
    assert m, "the delta's refusal is not logged:\n%s" % s.text()
    expect_answer(record, "delta-refused", p, s.url, L.certs[0x8002], "in the complete CRL", "revoked",
                  crl_entries(base)[0x8002])
    expect_answer(record, "delta-refused", p, s.url, L.certs[DELTA_ONLY], "only in the refused delta", "good")


# ------------------------------------------------------------------ stale CRLs

STALE = [  # (name, options, CRL nextUpdate from now, the answer)
    ("trylater-grace-0", ["--crl-stale", "trylater", "--crl-grace", "0"], -86400, "trylater"),
    ("trylater-in-grace", ["--crl-stale", "trylater", "--crl-grace", "7200"], -600, "successful"),
    ("trylater-past-grace", ["--crl-stale", "trylater", "--crl-grace", "7200"], -86400, "trylater"),
    ("serve", ["--crl-stale", "serve"], -86400, "successful"),
]


@pytest.mark.parametrize("name,opts,next_in,want", STALE, ids=[s[0] for s in STALE])
def test_stale_crl(name, opts, next_in, want, live, servers, record, workdir):
    """A CRL past its nextUpdate: tryLater with --crl-stale trylater once --crl-grace has passed; answered, with a nextUpdate not beyond the CRL's, with --crl-stale serve or within the grace."""
    need_peer("pyca")
    L = live(ALGS[0])
    p = L.p
    n = now_utc()
    nxt = n + datetime.timedelta(seconds=next_in)
    crl = C.pyca_crl(p.dir / ("stale-%s.crl" % name), p.ca_key, p.ca, [(0x8002, nxt - datetime.timedelta(days=2),
                                                                        "key_compromise", None)],
                     number=0x90, last=nxt - datetime.timedelta(days=1), next_=nxt)
    s = servers(workdir / ("crl-stale-" + name), ["--crl", crl, "--CA", p.ca, *signer_args(p), *opts])
    for serial, status in ((0x8002, "revoked"), (GOOD, "good")):
        o = openssl_answer(p, s.url, L.certs[serial])
        g = ocsptool_answer(p, s.url, L.certs[serial], p.fresh("ocsptool.der")) if peers.OCSPTOOL else None
        note(record, "stale-" + name, "%s, CRL nextUpdate %+d s" % (status, next_in),
             want if want != "successful" else status, o, g)
        if g is not None:
            assert g["status"] == (status if want == "successful" else "trylater"), g["raw"]
        der, _ = response_of(p, s.url, L.certs[serial], workdir)
        r = pyca_response(der)
        if want == "trylater":
            assert o["status"] == "trylater", o["raw"]
            assert r.response_status.name == "TRY_LATER"
            continue
        assert o["status"] == status, o["raw"]
        assert r.response_status.name == "SUCCESSFUL"
        nu = when(r, "next_update")
        assert nu is None or nu <= nxt, (nu, nxt)


def test_crl_going_stale(live, servers, record, workdir):
    """A CRL whose nextUpdate passes while it serves (--crl-grace 0): answered before, tryLater after, the pre-signed answer included; the log says it is stale."""
    need_peer("pyca")
    L = live(ALGS[0])
    p = L.p
    n = now_utc()
    nxt = n + datetime.timedelta(seconds=8)
    crl = C.pyca_crl(p.dir / "going-stale.crl", p.ca_key, p.ca, [(0x8002, n - datetime.timedelta(days=1),
                                                                  "key_compromise", None)],
                     number=0x91, last=n - datetime.timedelta(hours=1), next_=nxt)
    s = servers(workdir / "crl-going-stale", ["--crl", crl, "--CA", p.ca, *signer_args(p), "--crl-stale",
                                              "trylater", "--crl-grace", "0"])
    assert openssl_answer(p, s.url, L.certs[GOOD])["status"] == "good"
    der, _ = response_of(p, s.url, L.certs[GOOD], workdir)
    nu = when(pyca_response(der), "next_update")
    assert nu is not None and nu <= nxt, (nu, nxt)
    while now_utc() <= nxt + datetime.timedelta(seconds=1):
        time.sleep(0.2)
    o = openssl_answer(p, s.url, L.certs[GOOD])
    note(record, "going-stale", "good, after the CRL's nextUpdate", "trylater", o)
    assert o["status"] == "trylater", o["raw"]
    # and the log says so (issue 18: "log and expose it")
    assert s.wait_log(r"(?i)stale"), s.text()


# ------------------------------------------------------------------ times

def test_times_within_the_crl(live, servers, record, workdir):
    """The OCSP thisUpdate is no earlier than the CRL's thisUpdate and its nextUpdate (and HTTP Expires) no later than the CRL's nextUpdate, with --ndays 1 and a CRL valid for an hour."""
    need_peer("pyca")
    L = live(ALGS[0])
    p = L.p
    n = now_utc()
    crl = C.pyca_crl(p.dir / "hour.crl", p.ca_key, p.ca, [(0x8002, n - datetime.timedelta(days=1), "key_compromise",
                                                           None)], number=0xA0, last=n,
                     next_=n + datetime.timedelta(hours=1))
    last, nxt = crl_times(crl)
    s = servers(workdir / "crl-times", ["--crl", crl, "--CA", p.ca, *signer_args(p), "--ndays", "1"])
    for serial in (0x8002, GOOD):
        der, headers = response_of(p, s.url, L.certs[serial], workdir)
        r = pyca_response(der)
        assert r.response_status.name == "SUCCESSFUL"
        assert when(r, "this_update") >= last, (when(r, "this_update"), last)
        assert when(r, "next_update") is not None and when(r, "next_update") <= nxt, (when(r, "next_update"), nxt)
        assert when(r, "this_update") < when(r, "next_update")
        assert when(r, "this_update") <= now_utc() + datetime.timedelta(seconds=5)
        # RFC 5019 caching headers follow the capped nextUpdate
        assert email.utils.parsedate_to_datetime(headers["expires"]) <= nxt, headers
        m = re.search(r"max-age=(\d+)", headers.get("cache-control", ""))
        assert m and int(m.group(1)) <= (nxt - n).total_seconds() + 5, headers
        o = openssl_answer(p, s.url, L.certs[serial])
        note(record, "times", "thisUpdate >= CRL's, nextUpdate <= CRL's (+1 h)", "nextUpdate %s" % iso(nxt), o)
        assert o["verified"]


def test_crl_issued_in_the_future(live, servers, record, workdir):
    """A CRL whose thisUpdate is 90 s ahead of the clock: no answer claims a thisUpdate earlier than the CRL's (tryLater, or a thisUpdate no earlier than it)."""
    need_peer("pyca")
    L = live(ALGS[0])
    p = L.p
    ahead = now_utc() + datetime.timedelta(seconds=90)
    crl = C.pyca_crl(p.dir / "ahead.crl", p.ca_key, p.ca, [], number=0xA1, last=ahead,
                     next_=ahead + datetime.timedelta(days=1))
    s = servers(workdir / "crl-ahead", ["--crl", crl, "--CA", p.ca, *signer_args(p)])
    der, _ = response_of(p, s.url, L.certs[GOOD], workdir)
    r = pyca_response(der)
    if r.response_status.name == "SUCCESSFUL":
        assert when(r, "this_update") >= ahead, (when(r, "this_update"), ahead)
    else:
        assert r.response_status.name == "TRY_LATER", r.response_status


# ------------------------------------------------------------------ mixed sources

def test_mixed_index_and_crl(pki, live, servers, record, workdir):
    """One serve answers a CA from its index.txt and another CA from a CRL: each certificate with its own CA's status."""
    L = live(ALGS[0])
    p1 = pki("ed25519" if ALGS[0] != "ed25519" else "p256")  # answered from its index.txt
    p2 = L.p                                                   # answered from the CRL
    s = servers(workdir / "crl-mixed", ["--index", p1.index, "--CA", p1.ca, *signer_args(p1),
                                        "--crl", L.base, "--CA", p2.ca, *signer_args(p2)])
    for name in ("good", "keycompromise", "never-issued"):
        leaf = p1.leaves[name]
        st = "unknown" if name == "never-issued" else leaf.status
        entry = {"time": leaf.revocation_time, "reason": leaf.reason, "invalidity": None} if leaf.revinfo else None
        expect_answer(record, "mixed", p1, s.url, leaf.cert, "CA 1 (index.txt): " + name, st, entry)
    expect_answer(record, "mixed", p2, s.url, L.certs[0x8002], "CA 2 (CRL): keyCompromise", "revoked",
                  L.entries[0x8002])
    expect_answer(record, "mixed", p2, s.url, L.certs[GOOD], "CA 2 (CRL): not listed", "good")


# ------------------------------------------------------------------ SIGHUP

def test_file_sighup(live, servers, record, workdir):
    """With --reload-interval 0 a changed CRL file is read at SIGHUP, not before."""
    need_peer("pyca")
    L = live(ALGS[0])
    p = L.p
    t = now_utc() - datetime.timedelta(minutes=5)
    d = workdir / "crl-file-hup"
    d.mkdir()
    crl = C.pyca_crl(d / "ca.crl", p.ca_key, p.ca, [(0x8002, t, "key_compromise", None)], number=0xB0, last=t)
    s = servers(d, ["--crl", crl, "--CA", p.ca, *signer_args(p), "--reload-interval", "0"])
    assert openssl_answer(p, s.url, L.certs[GOOD])["status"] == "good"
    newer = C.pyca_crl(d / "newer.crl", p.ca_key, p.ca, [(0x8002, t, "key_compromise", None),
                                                         (GOOD, t, "affiliation_changed", None)], number=0xB1, last=t)
    time.sleep(1.1)
    replace_file(crl, newer.read_bytes())
    time.sleep(3)
    assert openssl_answer(p, s.url, L.certs[GOOD])["status"] == "good", "read before SIGHUP with --reload-interval 0"
    mark = s.mark()
    s.proc.send_signal(signal.SIGHUP)
    assert s.wait_log(r"SIGHUP", after=mark)
    a = wait_status(p, s.url, L.certs[GOOD], "revoked")
    assert a["status"] == "revoked", (a, s.text())
    expect_answer(record, "file-sighup", p, s.url, L.certs[GOOD], "revoked in the CRL read at SIGHUP", "revoked",
                  crl_entries(newer)[GOOD])
