"""A corpus made by `openssl ocsp` during the test run, read by `ocspkit
print` (JSON and text) and compared field by field with what OpenSSL prints
of the same file (-req_text / -resp_text) and with what the PKI says (index,
CertID hashes computed here, responder key).  Then requests made by
`ocspkit request` are read and answered by `openssl ocsp`.

PKIs: RSA-2048, P-256, Ed25519 (conftest.py).  Each request and response is
its own test id: <alg>-<case>.
"""

import datetime
import json
import re
import types
from concurrent.futures import ThreadPoolExecutor

import pytest

# the PKIs of conftest.py (fixture pki)
ALGS = ["rsa", "p256", "ed25519"]
# stands for every revoked leaf of the PKI (conftest.LEAVES), in index order
ALL_REVOKED = "all-revoked"

# ------------------------------------------------------------------ cases


class Case:
    """ids: (hash, "cert"|"serial", leaf name or "unknown").
    nonce: True/False for `openssl ocsp -nonce/-no_nonce`.
    req: extra request options (signer, sign_other) or raw bytes (handmade).
    resp: options of Pki.respond, or None for a request-only case."""

    def __init__(self, name, ids=(), nonce=False, req=None, resp=None, algs=ALGS):
        self.name = name
        self.ids = ids
        self.nonce = nonce
        self.req = req or {}
        self.resp = resp
        self.algs = algs


CASES = [
    Case("good-sha1-byname-delegated-nonce", [("sha1", "cert", "good")], nonce=True,
         resp=dict(ndays=7)),
    Case("good-sha1-byname-ca-nocerts", [("sha1", "cert", "good")],
         resp=dict(signer="ca", no_certs=True)),
    Case("revoked-reasons-sha1-serials-ca", [("sha1", "serial", ALL_REVOKED)],
         resp=dict(signer="ca", nmin=90)),
    Case("revoked-reasons-sha256-certs-delegated-bykey", [("sha256", "cert", ALL_REVOKED)],
         nonce=True, resp=dict(by_key=True, ndays=30)),
    Case("unknown-sha256-bykey-nocerts-nonce", [("sha256", "serial", "unknown")], nonce=True,
         resp=dict(by_key=True, no_certs=True, ndays=1)),
    Case("multi-sha256-ca-bykey-no-nextupdate",
         [("sha256", "cert", "good"), ("sha256", "cert", "good-big"), ("sha256", "cert", "good-20"),
          ("sha256", "serial", "keycompromise"), ("sha256", "serial", "unknown")],
         nonce=True, resp=dict(signer="ca", by_key=True)),
    Case("multi-mixed-hashes-delegated-nocerts",
         [("sha1", "cert", "good"), ("sha256", "serial", "hold"), ("sha384", "serial", "unknown"),
          ("sha512", "cert", "superseded"), ("sha1", "serial", "good-big")],
         resp=dict(no_certs=True, nmin=5)),
    Case("delegated-plus-ca-cert", [("sha1", "cert", "good"), ("sha1", "cert", "keytime")], nonce=True,
         resp=dict(rother=True, ndays=2)),
    Case("same-certid-twice", [("sha1", "cert", "good"), ("sha1", "cert", "good")],
         resp=dict(ndays=1)),
    Case("sigdigest-sha384", [("sha1", "cert", "hold")], resp=dict(rmd="sha384", ndays=1),
         algs=["rsa", "p256"]),
    Case("sigdigest-sha512", [("sha256", "cert", "good")], nonce=True, resp=dict(rmd="sha512"),
         algs=["p256"]),
    Case("rsassa-pss", [("sha256", "cert", "cakeytime")], nonce=True,
         resp=dict(rsigopt="rsa_padding_mode:pss", nmin=10), algs=["rsa"]),
    Case("malformed-empty-request", req=b"\x30\x04\x30\x02\x30\x00", resp=dict(check=False)),
    # requests only
    Case("signed-request", [("sha1", "cert", "good"), ("sha256", "serial", "unknown")], nonce=True,
         req=dict(signer=True)),
    Case("signed-request-other-certs", [("sha1", "serial", "hold")], req=dict(signer=True, sign_other=True)),
]

# Non-successful OCSPResponses (status only) that openssl cannot be made to
# write: bytes written here, read by both.
STATUS_NAMES = {0: "successful", 1: "malformedRequest", 2: "internalError", 3: "tryLater",
                5: "sigRequired", 6: "unauthorized"}
HANDMADE = {"handmade-status-%s" % STATUS_NAMES[s]: bytes([0x30, 0x03, 0x0A, 0x01, s])
            for s in (1, 2, 3, 5, 6)}

SIGALG = {"rsa": "sha256WithRSAEncryption", "p256": "ecdsa-with-SHA256", "ed25519": "ED25519"}
SIGALG_OF_RMD = {("rsa", "sha384"): "sha384WithRSAEncryption", ("p256", "sha384"): "ecdsa-with-SHA384",
                 ("p256", "sha512"): "ecdsa-with-SHA512"}


def _ids(kind):
    out = []
    for case in CASES:
        for alg in case.algs:
            if kind == "request" or case.resp is not None:
                out.append("%s-%s-%s" % (alg, "req" if kind == "request" else "resp", case.name))
    if kind == "response":
        out += sorted(HANDMADE)
    return out


REQUEST_IDS = _ids("request")
RESPONSE_IDS = _ids("response")

# --------------------------------------------------------------- parsing

MONTHS = {m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}


def iso_of_openssl(s):
    """"Nov  2 01:57:04 2026 GMT" -> "2026-11-02T01:57:04Z" """
    mon, day, hms, year, tz = s.split()
    assert tz == "GMT", s
    return "%04d-%02d-%02dT%sZ" % (int(year), MONTHS[mon], int(day), hms)


def iso_of_generalized(s):
    """"20240215000000Z" -> "2024-02-15T00:00:00Z" """
    return "%s-%s-%sT%s:%s:%sZ" % (s[0:4], s[4:6], s[6:8], s[8:10], s[10:12], s[12:14])


def epoch(iso):
    return datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


FIELDS = {
    "OCSP Response Status": "status", "Response Type": "response_type", "Version": "version",
    "Responder Id": "responder", "Produced At": "produced_at", "Requestor Name": "requestor",
    "Hash Algorithm": "hash", "Issuer Name Hash": "name_hash", "Issuer Key Hash": "key_hash",
    "Serial Number": "serial", "Cert Status": "cert_status", "Revocation Time": "revocation_time",
    "Revocation Reason": "reason", "This Update": "this_update", "Next Update": "next_update",
}
ENTRY_FIELDS = {"hash", "name_hash", "key_hash", "serial", "cert_status", "revocation_time", "reason",
                "this_update", "next_update"}


def parse_text(text):
    """Parses the text form of `openssl ocsp -req_text/-resp_text`, which
    `ocspkit print` lays out the same way, into a dict of fields."""
    d = {"kind": None, "entries": [], "extensions": [], "sigalg": None, "certs": 0,
         "cert_subjects": [], "unparsed": []}
    cur = None
    ext_list, ext_indent = None, None
    section = "body"
    # OpenSSL's i2a_ASN1_STRING breaks hex longer than 35 octets with "\\"
    # and a newline (SHA-384/512 CertIDs); ocspkit does not
    text = text.replace("\\\n", "")
    for line in text.splitlines():
        st = line.strip()
        ind = len(line) - len(line.lstrip(" "))
        if not st:
            continue
        if line == "Certificate:":
            section = "cert"
            d["certs"] += 1
            continue
        if section == "cert":
            if st.startswith("Subject:"):
                d["cert_subjects"].append(st.split(":", 1)[1].strip())
            continue
        if section == "sig":
            continue
        if ext_list is not None:
            if ind > ext_indent:
                if ind == ext_indent + 4:
                    name, _, crit = st.rpartition(":")
                    ext_list.append({"name": name.strip(), "critical": crit.strip() == "critical",
                                     "value": []})
                elif ext_list:
                    ext_list[-1]["value"].append(st)
                else:
                    d["unparsed"].append(line)
                continue
            ext_list = None
        if st.startswith("Signature Algorithm:"):
            d["sigalg"] = st.split(":", 1)[1].strip()
            section = "sig"
        elif st == "OCSP Request Data:":
            d["kind"] = "request"
        elif st == "OCSP Response Data:":
            d["kind"] = "response"
        elif st.startswith("Responder Error:"):
            d["kind"] = "response"
            m = re.match(r"Responder Error: (\S+) \((\d+)\)$", st)
            d["status"], d["status_code"] = m.group(1), int(m.group(2))
        elif st in ("Requestor List:", "Responses:"):
            pass
        elif st == "Certificate ID:":
            cur = {"extensions": []}
            d["entries"].append(cur)
        elif st in ("Response Extensions:", "Request Extensions:"):
            ext_list, ext_indent = d["extensions"], ind
        elif st in ("Response Single Extensions:", "Request Single Extensions:") and cur is not None:
            ext_list, ext_indent = cur["extensions"], ind
        else:
            key, sep, val = st.partition(":")
            field = FIELDS.get(key) if sep else None
            if field is None:
                d["unparsed"].append(line)
                continue
            val = val.strip()
            if field in ENTRY_FIELDS:
                if cur is None:
                    d["unparsed"].append(line)
                    continue
                cur[field] = val
            else:
                d[field] = val
    for e in d["extensions"] + [x for en in d["entries"] for x in en["extensions"]]:
        e["value"] = "\n".join(e["value"])
    if d.get("status") and d["kind"] == "response" and "status_code" not in d:
        m = re.match(r"(\S+) \(0x([0-9a-f]+)\)$", d["status"])
        d["status"], d["status_code"] = m.group(1), int(m.group(2), 16)
    return d


def nonce_of(parsed):
    """The nonce inside the OCSP Nonce extension OpenSSL prints (the
    extnValue, an OCTET STRING TLV in hex)."""
    for e in parsed["extensions"]:
        if e["name"] == "OCSP Nonce":
            v = e["value"].replace(" ", "").lower()
            assert v.startswith("04") and int(v[2:4], 16) * 2 == len(v) - 4, v
            return v[4:]
    return None


def _unescape(s):
    """Backslash escapes of both name forms: \\XX (hex octet) and \\c."""
    out, i = bytearray(), 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            if re.match(r"[0-9A-Fa-f]{2}", s[i + 1:i + 3]):
                out.append(int(s[i + 1:i + 3], 16))
                i += 3
                continue
            out += s[i + 1].encode()
            i += 2
            continue
        out += c.encode()
        i += 1
    return bytes(out)


ATTR_ALIASES = {"E": "EMAILADDRESS", "1.2.840.113549.1.9.1": "EMAILADDRESS",
                "USERID": "UID", "0.9.2342.19200300.100.1.1": "UID"}


def _rdns(pairs_list):
    """Order-insensitive within an RDN (a SET), order-sensitive across."""
    return [tuple(sorted((ATTR_ALIASES.get(t.upper(), t.upper()), v) for t, v in rdn))
            for rdn in pairs_list]


def parse_oneline(s):
    """OpenSSL's XN_FLAG_ONELINE: 'C = US, O = "Example, Inc.", CN = a + UID = b'."""
    rdns, cur, i = [], [], 0
    while i < len(s):
        j = s.index(" = ", i)
        typ, i = s[i:j], j + 3
        if s[i] == '"':
            k = i + 1
            while s[k] != '"':
                k += 2 if s[k] == "\\" else 1
            raw, i = s[i + 1:k], k + 1
        else:
            k = i
            while k < len(s) and not s.startswith(", ", k) and not s.startswith(" + ", k):
                k += 2 if s[k] == "\\" else 1
            raw, i = s[i:k], k
        cur.append((typ, _unescape(raw)))
        if s.startswith(" + ", i):
            i += 3
        else:
            rdns.append(cur)
            cur = []
            if s.startswith(", ", i):
                i += 2
            else:
                assert i == len(s), "cannot parse %r at %d" % (s, i)
    return _rdns(rdns)


def _split_unescaped(s, sep):
    parts, cur, i = [], "", 0
    while i < len(s):
        if s[i] == "\\":
            cur += s[i:i + 2]
            i += 2
        elif s[i] == sep:
            parts.append(cur)
            cur = ""
            i += 1
        else:
            cur += s[i]
            i += 1
    return parts + [cur]


def parse_rfc4514(s):
    """RFC 4514 (and OpenSSL's RFC2253): last RDN first; returned in
    encoding order like parse_oneline."""
    rdns = []
    for rdn in _split_unescaped(s, ","):
        avas = []
        for ava in _split_unescaped(rdn, "+"):
            typ, _, val = ava.partition("=")
            assert not val.startswith("#"), "hex form not expected here: %r" % s
            avas.append((typ, _unescape(val)))
        rdns.append(avas)
    return _rdns(reversed(rdns))


# ------------------------------------------------------------ the corpus


def expand_ids(p, ids):
    out = []
    for h, how, target in ids:
        if target == ALL_REVOKED:
            out += [(h, how, leaf.name) for leaf in p.leaves.values() if leaf.revinfo]
        else:
            out.append((h, how, target))
    return out


class Item:
    def __init__(self, id, kind, path, alg=None, case=None, pki=None, request=None):
        self.id, self.kind, self.path, self.alg, self.case, self.pki = id, kind, path, alg, case, pki
        self.request = request  # the request a response answers
        self.ids = expand_ids(pki, case.ids) if case else []
        self.openssl_text = None


def _build_alg(pki, alg):
    p = pki(alg)
    items = []
    for case in CASES:
        if alg not in case.algs:
            continue
        req = p.fresh(case.name + ".req.der")
        if isinstance(case.req, bytes):
            req.write_bytes(case.req)
        else:
            p.request(req, expand_ids(p, case.ids), nonce=case.nonce, **case.req)
        items.append(Item("%s-req-%s" % (alg, case.name), "request", req, alg, case, p))
        if case.resp is not None:
            resp = p.fresh(case.name + ".resp.der")
            p.respond(req, resp, **case.resp)
            assert resp.exists() and resp.stat().st_size > 0, "openssl wrote no response"
            items.append(Item("%s-resp-%s" % (alg, case.name), "response", resp, alg, case, p, req))
    return items


def _openssl_text(openssl, item):
    flag = ["-reqin", item.path, "-req_text"] if item.kind == "request" else \
        ["-respin", item.path, "-resp_text", "-noverify"]
    # the trust store is of no use here and slow to load
    r = openssl("ocsp", *flag, "-no-CAfile", "-no-CApath", "-no-CAstore", check=False)
    assert r.out.startswith(("OCSP R", "Responder Error")), r
    return r.out


@pytest.fixture(scope="session")
def corpus(pki, openssl, workdir):
    started = datetime.datetime.now(datetime.timezone.utc).timestamp()
    with ThreadPoolExecutor(max_workers=3) as ex:
        items = [it for part in ex.map(lambda a: _build_alg(pki, a), ALGS) for it in part]
    hand = workdir / "handmade"
    hand.mkdir()
    for name, data in sorted(HANDMADE.items()):
        f = hand / (name + ".der")
        f.write_bytes(data)
        items.append(Item(name, "response", f))
    with ThreadPoolExecutor(max_workers=4) as ex:
        for it, text in zip(items, ex.map(lambda it: _openssl_text(openssl, it), items)):
            it.openssl_text = text
    by_id = {it.id: it for it in items}
    assert sorted(by_id) == sorted(REQUEST_IDS + RESPONSE_IDS)
    return types.SimpleNamespace(items=items, by_id=by_id, started=started,
                                 finished=datetime.datetime.now(datetime.timezone.utc).timestamp())


def _split_text(out):
    chunks = re.split(r"(?m)^(?=OCSP Request Data:$|OCSP Response Data:$)", out)
    return [c for c in chunks if c]


@pytest.fixture(scope="session")
def printed(corpus, ocspkit):
    """`ocspkit print [--json]` of the whole corpus in one invocation each
    (cheap under valgrind); a file that fails is printed again alone by its
    test so that the error shows."""
    paths = [it.path for it in corpus.items]
    rj = ocspkit("print", "--json", *paths)
    try:
        arr = json.loads(rj.out)
    except ValueError:  # a crash mid-way: every test prints its file alone
        arr = []
    if not isinstance(arr, list) or len(arr) != len(paths):
        arr = [None] * len(paths)
    rt = ocspkit("print", *paths)
    chunks = _split_text(rt.out)
    texts = dict(zip((it.id for it in corpus.items), chunks)) if len(chunks) == len(paths) else {}
    return types.SimpleNamespace(json={it.id: o for it, o in zip(corpus.items, arr)}, text=texts,
                    json_rc=rj.rc, text_rc=rt.rc)


def _json_of(item, printed, ocspkit):
    j = printed.json.get(item.id)
    if j is None:
        r = ocspkit("print", "--json", item.path)
        pytest.fail("ocspkit cannot read %s:\n%r" % (item.path, r))
    return j


def _text_of(item, printed, ocspkit):
    t = printed.text.get(item.id)
    if t is None:
        r = ocspkit("print", item.path)
        assert r.rc == 0, r
        t = r.out
    return t


def _hex(s):
    return s.replace(":", "").lower()


def even_hex(n):
    """A positive serial as the hex of its magnitude octets (JSON's form)."""
    h = "%x" % n
    return "0" + h if len(h) % 2 else h


def expected_entry(p, hash_name, target):
    """What the CertID and status of (hash, target) must be, from the PKI."""
    serial = p.serial_of(target)
    e = {"certID": {"hashAlgorithm": hash_name, "issuerNameHash": p.issuer_name_hash(hash_name),
                    "issuerKeyHash": p.issuer_key_hash(hash_name), "serialNumber": even_hex(serial)},
         "certStatus": "unknown", "revocationTime": None, "revocationReason": None}
    if target != "unknown":
        leaf = p.leaves[target]
        e["certStatus"] = leaf.status
        if leaf.revinfo:
            e["revocationTime"] = leaf.revocation_time
            e["revocationReason"] = leaf.reason
    return e


def check_cert_id(j, o, where):
    assert j["hashAlgorithm"] == o["hash"], where
    assert j["issuerNameHash"] == _hex(o["name_hash"]), where
    assert j["issuerKeyHash"] == _hex(o["key_hash"]), where
    assert j["serialNumber"] == _hex(o["serial"]), where


# ----------------------------------------------------------------- tests


@pytest.mark.parametrize("cid", REQUEST_IDS)
def test_request_json_matches_openssl(cid, corpus, printed, ocspkit):
    it = corpus.by_id[cid]
    j = _json_of(it, printed, ocspkit)
    o = parse_text(it.openssl_text)
    assert o["kind"] == "request" and not o["unparsed"], o
    assert j["type"] == "request"
    assert j["version"] == int(o["version"].split()[0]) == 1

    # every CertID, against OpenSSL and against the PKI
    assert len(j["requests"]) == len(o["entries"]) == len(it.ids)
    for n, (jr, orq, (h, _, target)) in enumerate(zip(j["requests"], o["entries"], it.ids)):
        check_cert_id(jr, orq, "request %d" % n)
        assert jr == expected_entry(it.pki, h, target)["certID"], "request %d" % n

    # nonce, as OpenSSL prints it (the extnValue) and as the case asked
    assert j["nonce"] == nonce_of(o)
    assert (j["nonce"] is not None) == bool(it.case.nonce)
    if it.case.nonce:
        assert len(j["nonce"]) == 32  # openssl's 16 octets
    assert [e["name"] for e in j["requestExtensions"]] == [e["name"] for e in o["extensions"]]

    # signed requests: algorithm, certificates, requestor name
    signed = bool(it.case.req and not isinstance(it.case.req, bytes) and it.case.req.get("signer"))
    assert j["signed"] is signed
    if signed:
        assert j["signatureAlgorithm"] == o["sigalg"] == SIGALG[it.alg]
        want = 2 if it.case.req.get("sign_other") else 1
        assert j["certificates"] == o["certs"] == want
        assert o["requestor"].startswith("DirName:") and j["requestorName"].startswith("DirName:")
        # openssl prints the DirName in its one-line form; compare the names, not the spelling
        jn = j["requestorName"][len("DirName:"):]
        on = parse_oneline(o["requestor"][len("DirName:"):])
        assert on == parse_oneline(it.pki.subject(it.pki.responder, "oneline"))
        assert parse_oneline(jn) == on
    else:
        assert "signatureAlgorithm" not in j and o["sigalg"] is None and o["certs"] == 0


def _responder_cert(it):
    return it.pki.ca if it.case.resp.get("signer") == "ca" else it.pki.responder


@pytest.mark.parametrize("cid", RESPONSE_IDS)
def test_response_json_matches_openssl(cid, corpus, printed, ocspkit):
    it = corpus.by_id[cid]
    j = _json_of(it, printed, ocspkit)
    o = parse_text(it.openssl_text)
    assert o["kind"] == "response" and not o["unparsed"], o
    assert j["type"] == "response"
    assert j["responseStatus"].lower() == o["status"].lower()
    if it.case is None or it.case.name.startswith("malformed"):
        code = [k for k, v in STATUS_NAMES.items() if v == j["responseStatus"]]
        assert code == [o["status_code"]] and code != [0]
        if it.case is None:
            assert it.path.read_bytes()[-1] == code[0]
        else:
            assert j["responseStatus"] == "malformedRequest"
        assert "responses" not in j and "producedAt" not in j
        return
    assert o["status_code"] == 0 and j["responseStatus"] == "successful"
    p, case, resp = it.pki, it.case, it.case.resp

    # responderID
    if resp.get("by_key"):
        assert list(j["responderID"]) == ["byKey"]
        assert j["responderID"]["byKey"] == o["responder"].lower() == p.key_id(resp.get("signer"))
    else:
        assert list(j["responderID"]) == ["byName"]
        name = parse_rfc4514(j["responderID"]["byName"])
        assert name == parse_oneline(o["responder"])
        assert name == parse_rfc4514(p.subject(_responder_cert(it), "RFC2253"))

    # producedAt: OpenSSL's, and during this run
    assert j["producedAt"] == iso_of_openssl(o["produced_at"])
    assert corpus.started - 2 <= epoch(j["producedAt"]) <= corpus.finished + 2

    # every SingleResponse
    assert len(j["responses"]) == len(o["entries"]) == len(it.ids)
    for n, (jr, orr, (h, _, target)) in enumerate(zip(j["responses"], o["entries"], it.ids)):
        where = "response %d (%s)" % (n, target)
        check_cert_id(jr["certID"], orr, where)
        exp = expected_entry(p, h, target)
        assert jr["certID"] == exp["certID"], where
        assert jr["certStatus"] == orr["cert_status"] == exp["certStatus"], where
        if orr.get("revocation_time"):
            assert jr["revocationTime"] == iso_of_openssl(orr["revocation_time"]), where
        else:
            assert jr["revocationTime"] is None, where
        assert jr["revocationTime"] == exp["revocationTime"], where
        if orr.get("reason"):
            assert jr["revocationReason"] == orr["reason"].split(" (")[0], where
        else:
            assert jr["revocationReason"] is None, where
        assert jr["revocationReason"] == exp["revocationReason"], where
        assert jr["thisUpdate"] == iso_of_openssl(orr["this_update"]), where
        if orr.get("next_update"):
            assert jr["nextUpdate"] == iso_of_openssl(orr["next_update"]), where
        else:
            assert jr["nextUpdate"] is None, where
        validity = (resp.get("ndays") or 0) * 86400 + (resp.get("nmin") or 0) * 60
        if validity:
            assert epoch(jr["nextUpdate"]) - epoch(jr["thisUpdate"]) == validity, where
        else:
            assert jr["nextUpdate"] is None, where
        # singleExtensions (OpenSSL adds an invalidity date for keyTime / CAkeyTime)
        assert [(e["name"], e["critical"]) for e in jr["singleExtensions"]] == \
            [(e["name"], e["critical"]) for e in orr["extensions"]], where
        for je, oe in zip(jr["singleExtensions"], orr["extensions"]):
            if je["oid"] == "2.5.29.24":
                v = bytes.fromhex(je["value"])
                assert v[0] == 0x18 and v[1] == len(v) - 2, where
                assert iso_of_generalized(v[2:].decode()) == iso_of_openssl(oe["value"]), where
        inv = [e for e in jr["singleExtensions"] if e["oid"] == "2.5.29.24"]
        leaf = p.leaves.get(target)
        has_inv = bool(leaf and leaf.revinfo and "keytime" in leaf.revinfo.lower())
        assert len(inv) == int(has_inv), where

    # nonce: what OpenSSL prints, and the request's
    assert j["nonce"] == nonce_of(o)
    req_nonce = nonce_of(parse_text(corpus.by_id[cid.replace("-resp-", "-req-")].openssl_text))
    assert j["nonce"] == req_nonce and (req_nonce is not None) == bool(case.nonce)
    assert [e["name"] for e in j["responseExtensions"]] == [e["name"] for e in o["extensions"]]

    # signature algorithm and certificates
    want_alg = SIGALG[it.alg]
    if resp.get("rmd"):
        want_alg = SIGALG_OF_RMD[(it.alg, resp["rmd"])]
    if resp.get("rsigopt"):
        want_alg = "rsassaPss"
    assert j["signatureAlgorithm"] == o["sigalg"] == want_alg
    want_certs = 0 if resp.get("no_certs") else 2 if resp.get("rother") else 1
    assert j["certificates"] == o["certs"] == want_certs


@pytest.mark.parametrize("cid", REQUEST_IDS + RESPONSE_IDS)
def test_text_matches_openssl(cid, corpus, printed, ocspkit):
    """`ocspkit print` shows the values OpenSSL shows, on the same lines."""
    it = corpus.by_id[cid]
    ours = parse_text(_text_of(it, printed, ocspkit))
    theirs = parse_text(it.openssl_text)
    assert not ours["unparsed"], ours["unparsed"]
    assert ours["kind"] == theirs["kind"]
    if theirs["kind"] == "response":
        # OpenSSL prints only "Responder Error" for a non-successful response
        assert ours["status"] == STATUS_NAMES[theirs["status_code"]]
        assert ours["status_code"] == theirs["status_code"]
        if theirs["status_code"] != 0:
            assert ours["entries"] == [] and ours["sigalg"] is None
            return
    assert len(ours["entries"]) == len(it.ids)
    assert all(e.get("serial") and e.get("name_hash") for e in ours["entries"])
    skip = {"cert_subjects", "unparsed"}
    for key in sorted(set(ours) | set(theirs)):
        if key not in skip:
            assert ours.get(key) == theirs.get(key), key
    # certificates: ocspkit shows each one's names as `openssl x509 -nameopt oneline` does
    if it.kind == "response" and ours["certs"]:
        signer = _responder_cert(it)
        want = [it.pki.subject(signer, "oneline")]
        if it.case.resp.get("rother"):
            want.append(it.pki.subject(it.pki.ca, "oneline"))
        assert ours["cert_subjects"] == want
    if it.kind == "request" and ours["certs"]:
        assert ours["cert_subjects"][0] == it.pki.subject(it.pki.responder, "oneline")


# ------------------------------------------- requests made by ocspkit


class Ask:
    """An `ocspkit request` case: options, with the same CertIDs asked of
    `openssl ocsp` as (hash, "cert"|"serial", target)."""

    def __init__(self, name, hash_name, certs=(), serials=(), nonce=None, serial_forms=None):
        self.name = name
        self.hash = hash_name
        self.certs = list(certs)
        self.serials = list(serials)
        self.nonce = nonce  # None: default, False: --no-nonce, True: --nonce, "hex": --nonce-value
        self.serial_forms = serial_forms or {}


ASKS = [
    Ask("certs-and-unknown-serial-nonce-value", None, ["good", "keycompromise"], ["unknown"],
        nonce="00112233445566778899aabbccddeeff0011"),
    Ask("sha256-no-nonce", "sha256", ["hold", "good-big", "keytime"], ["superseded"], nonce=False),
    Ask("sha384-random-nonce", "sha384", ["cessation", "good-20"], nonce=True),
    Ask("sha512-default-nonce-serial-forms", "sha512", [], ["noreason", "good-big", "removefromcrl"],
        serial_forms={"noreason": "0x1006", "good-big": "c0:ff:ee:01:23:45:67:89:ab:cd:ef:01:23:45:67:89",
                      "removefromcrl": "100B"}),
    Ask("sha1-explicit-one-cert", "sha1", ["unspecified"], nonce=False),
]
ASK_IDS = ["%s-%s" % (a, k.name) for a in ALGS for k in ASKS]


@pytest.mark.parametrize("aid", ASK_IDS)
def test_ocspkit_request_read_and_answered_by_openssl(aid, pki, ocspkit, openssl):
    alg, name = aid.split("-", 1)
    ask = next(k for k in ASKS if k.name == name)
    p = pki(alg)
    out = p.fresh("ocspkit-%s.req.der" % name)
    args = ["request", "--issuer", p.ca]
    for c in ask.certs:
        args += ["--cert", p.leaves[c].cert]
    for s in ask.serials:
        args += ["--serial", ask.serial_forms.get(s) or "%X" % p.serial_of(s)]
    if ask.hash:
        args += ["--hash", ask.hash]
    if ask.nonce is True:
        args.append("--nonce")
    elif ask.nonce is False:
        args.append("--no-nonce")
    elif ask.nonce:
        args += ["--nonce-value", ask.nonce]
    r = ocspkit(*args, "--out", out)
    assert r.rc == 0 and out.stat().st_size > 0, r

    # OpenSSL reads it: the CertIDs OpenSSL itself computes, and the nonce
    h = ask.hash or "sha1"
    ids = [(h, "cert", c) for c in ask.certs] + [(h, "serial", s) for s in ask.serials]
    ref = p.request(p.fresh("openssl-%s.req.der" % name), ids, nonce=False)
    got = parse_text(openssl("ocsp", "-reqin", out, "-req_text", "-no-CAfile", "-no-CApath",
                             "-no-CAstore").out)
    want = parse_text(openssl("ocsp", "-reqin", ref, "-req_text", "-no-CAfile", "-no-CApath",
                              "-no-CAstore").out)
    assert got["kind"] == "request" and not got["unparsed"]
    assert got["entries"] == want["entries"] and len(got["entries"]) == len(ids)
    for e, (_, _, target) in zip(got["entries"], ids):
        exp = expected_entry(p, h, target)["certID"]
        assert (e["hash"], _hex(e["name_hash"]), _hex(e["key_hash"]), _hex(e["serial"])) == \
            (exp["hashAlgorithm"], exp["issuerNameHash"], exp["issuerKeyHash"], exp["serialNumber"])
    nonce = nonce_of(got)
    if ask.nonce is False:
        assert nonce is None
        # without a nonce there is one DER encoding, and both write it
        assert out.read_bytes() == ref.read_bytes()
    elif isinstance(ask.nonce, str):
        assert nonce == ask.nonce
    else:
        assert nonce is not None and len(nonce) == 32  # 16 random octets
    # canonical DER: what OpenSSL re-encodes from it is the same bytes
    copy = p.fresh("reencoded-%s.req.der" % name)
    openssl("ocsp", "-reqin", out, "-reqout", copy, "-no-CAfile", "-no-CApath", "-no-CAstore")
    assert copy.read_bytes() == out.read_bytes()

    # and an OpenSSL responder answers it, entry by entry, with the right status
    resp = p.respond(out, p.fresh("answer-%s.resp.der" % name), ndays=1)
    o = parse_text(openssl("ocsp", "-respin", resp, "-resp_text", "-noverify", "-no-CAfile",
                           "-no-CApath", "-no-CAstore").out)
    assert o["status"] == "successful" and len(o["entries"]) == len(ids)
    for e, (_, _, target) in zip(o["entries"], ids):
        exp = expected_entry(p, h, target)
        assert e["cert_status"] == exp["certStatus"], target
        assert (e["reason"].split(" (")[0] if e.get("reason") else None) == exp["revocationReason"], target
        assert _hex(e["serial"]) == exp["certID"]["serialNumber"]
    assert nonce_of(o) == nonce
