"""Cell 1, decode conformance: requests and responses written by `openssl
ocsp` and by pyca/cryptography's OCSP builder, read by `ocspkit print` (JSON
and text) and compared field by field with what `openssl ocsp -req_text /
-resp_text` prints, with what pyca/cryptography's loader reads, and with
what the PKI says (index, CertID hashes computed here, responder keys).

Every key type of conflib/pki.py; SHA-1 to SHA-512 CertIDs; nonce or not;
byName and byKey; CA, delegated and root signers; one to thirteen
CertIDs; zero, one and two certificates; all response statuses.  Test ids:
<maker>-<alg>-<req|resp>-<case>.

(This replaces tests/test_openssl_corpus.py, which did the OpenSSL part
for three key types.)
"""

import collections
import datetime
import re
import subprocess
import types
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import need_peer, peers, print_batch, run_openssl, sample_under_wrapper
from conflib.ocsptext import (STATUS_NAMES, epoch, hexnorm, iso_of_generalized, iso_of_openssl, nonce_of,
                              parse_oneline, parse_rfc4514, parse_text)
from conflib.expect import ALL_REVOKED, Case, expand_ids, expected_entry, target_info
from conflib.pki import ALGS
from conflib.pycacmp import compare_with_pyca

AREA = "decode"


CASES = [
    Case("good-sha1-byname-delegated-nonce", [("sha1", "cert", "good")], nonce=True, resp=dict(ndays=7)),
    Case("good-sha1-byname-ca-nocerts", [("sha1", "cert", "good")], resp=dict(signer="ca", no_certs=True)),
    Case("revoked-reasons-sha1-serials-ca", [("sha1", "serial", ALL_REVOKED)], resp=dict(signer="ca", nmin=90)),
    Case("revoked-reasons-sha256-certs-delegated-bykey", [("sha256", "cert", ALL_REVOKED)], nonce=True,
         resp=dict(by_key=True, ndays=30)),
    Case("unknown-sha256-bykey-nocerts-nonce", [("sha256", "cert", "never-issued")], nonce=True,
         resp=dict(by_key=True, no_certs=True, ndays=1)),
    Case("multi-sha256-ca-bykey-no-nextupdate",
         [("sha256", "cert", "good"), ("sha256", "cert", "good-big"), ("sha256", "cert", "good-20"),
          ("sha256", "serial", "keycompromise"), ("sha256", "serial", "never-issued")],
         nonce=True, resp=dict(signer="ca", by_key=True)),
    Case("multi-mixed-hashes-delegated-nocerts",
         [("sha1", "cert", "good"), ("sha256", "serial", "hold"), ("sha384", "serial", "never-issued"),
          ("sha512", "cert", "superseded"), ("sha1", "serial", "good-big")],
         resp=dict(no_certs=True, nmin=5)),
    Case("delegated-plus-root-cert", [("sha1", "cert", "good"), ("sha1", "cert", "keytime")], nonce=True,
         resp=dict(rother=True, ndays=2)),
    Case("same-certid-twice", [("sha1", "cert", "good"), ("sha1", "cert", "good")], resp=dict(ndays=1)),
    Case("intermediate-by-root", [("sha1", "cert", "int"), ("sha256", "serial", "old-int")], nonce=True,
         resp=dict(signer="root", ndays=1), issuer="root"),
    Case("sigdigest-sha384", [("sha1", "cert", "hold")], resp=dict(rmd="sha384", ndays=1),
         algs=["rsa", "p256", "p384"]),
    Case("sigdigest-sha512", [("sha256", "cert", "good")], nonce=True, resp=dict(rmd="sha512"),
         algs=["p256", "p521"]),
    Case("rsassa-pss-from-rsa-key", [("sha256", "cert", "cakeytime")], nonce=True,
         resp=dict(rsigopt="rsa_padding_mode:pss", nmin=10), algs=["rsa"]),
    Case("malformed-empty-request", req=b"\x30\x04\x30\x02\x30\x00", resp=dict(check=False), algs=["p256"]),
    # requests only
    Case("signed-request", [("sha1", "cert", "good"), ("sha256", "serial", "never-issued")], nonce=True,
         req=dict(signer=True)),
    Case("signed-request-other-certs", [("sha1", "serial", "hold")], req=dict(signer=True, sign_other=True)),
]

# pyca/cryptography's builder (one SingleResponse per response, one CertID per request)
PYCA_ALGS = ["rsa", "rsa-pss", "p256", "p384", "p521", "ed25519", "ed448"]
PYCA_CASES = [
    Case("good-sha1-ca-bykey", [("sha1", "cert", "good")], resp=dict(signer="ca", by_key=True, ndays=1)),
    Case("revoked-sha256-delegated-byname-nonce", [("sha256", "cert", "keycompromise")], nonce=True,
         resp=dict(ndays=7)),
    Case("unknown-sha384-ca-byname-no-nextupdate", [("sha384", "cert", "never-issued")], resp=dict(signer="ca")),
    Case("revoked-noreason-sha512-delegated-bykey", [("sha512", "cert", "noreason")],
         resp=dict(by_key=True, nmin=30)),
    Case("request-sha1", [("sha1", "cert", "hold")]),
    Case("request-sha256-nonce", [("sha256", "cert", "good-big")], nonce=True),
]

# Non-successful OCSPResponses: written here (openssl writes only
# malformedRequest), and by pyca's build_unsuccessful
HANDMADE = {"handmade-status-%s" % STATUS_NAMES[s]: bytes([0x30, 0x03, 0x0A, 0x01, s]) for s in (1, 2, 3, 5, 6)}

SIGALG = {"rsa": "sha256WithRSAEncryption", "rsa-pss": "rsassaPss", "p256": "ecdsa-with-SHA256",
          "p384": "ecdsa-with-SHA256", "p521": "ecdsa-with-SHA256", "ed25519": "ED25519", "ed448": "ED448"}
SIGALG_OF_RMD = {("rsa", "sha384"): "sha384WithRSAEncryption", ("p256", "sha384"): "ecdsa-with-SHA384",
                 ("p384", "sha384"): "ecdsa-with-SHA384", ("p256", "sha512"): "ecdsa-with-SHA512",
                 ("p521", "sha512"): "ecdsa-with-SHA512"}
PYCA_HASH = {"rsa": "sha256", "rsa-pss": "sha256", "p256": "sha256", "p384": "sha384", "p521": "sha512",
             "ed25519": None, "ed448": None}
PYCA_SIGALG = {"rsa": "sha256WithRSAEncryption", "rsa-pss": "sha256WithRSAEncryption",
               "p256": "ecdsa-with-SHA256", "p384": "ecdsa-with-SHA384", "p521": "ecdsa-with-SHA512",
               "ed25519": "ED25519", "ed448": "ED448"}


def _ids(cases, algs_of, maker):
    """Test ids: openssl writes a request for every case and a response
    for those with resp; pyca a request or a response per case."""
    out = {"request": [], "response": []}
    for case in cases:
        for alg in algs_of(case):
            if maker == "openssl" or case.resp is None:
                out["request"].append("%s-%s-req-%s" % (maker, alg, case.name))
            if case.resp is not None:
                out["response"].append("%s-%s-resp-%s" % (maker, alg, case.name))
    return out


# GnuTLS' ocsptool -q (it writes no nonce, even with --nonce)
GNUTLS_CASES = [Case("good-sha1", [("sha1", "cert", "good")]),
                Case("big-serial-sha1", [("sha1", "cert", "good-big")])]

_O = _ids(CASES, lambda c: c.algs, "openssl")
_P = _ids(PYCA_CASES, lambda c: PYCA_ALGS, "pyca")
_G = _ids(GNUTLS_CASES, lambda c: ALGS, "gnutls")
REQUEST_IDS = _O["request"] + _P["request"] + _G["request"]
RESPONSE_IDS = _O["response"] + _P["response"] + sorted(HANDMADE) + ["pyca-unsuccessful-tryLater"]


# ------------------------------------------------------------------ the corpus

class Item:
    def __init__(self, id, kind, path, alg=None, case=None, pki=None, maker="openssl"):
        self.id, self.kind, self.path, self.alg, self.case, self.pki = id, kind, path, alg, case, pki
        self.maker = maker
        self.ids = expand_ids(pki, case.ids) if case else []
        self.openssl_text = None
        self.nonce = None  # the nonce the message must carry (hex), when known


def _openssl_request(p, case, out):
    issuer = p.root if case.issuer == "root" else None
    ids = []
    for h, how, target in expand_ids(p, case.ids):
        if target in ("int", "old-int"):
            serial = target_info(p, target)[0]
            ids.append((h, "serial", serial))
        else:
            ids.append((h, how, target))
    return p.request(out, ids, nonce=case.nonce, issuer=issuer, **case.req)


def _build_openssl(p, alg):
    items = []
    for case in CASES:
        if alg not in case.algs:
            continue
        req = p.fresh(case.name + ".req.der")
        if isinstance(case.req, bytes):
            req.write_bytes(case.req)
        else:
            _openssl_request(p, case, req)
        items.append(Item("openssl-%s-req-%s" % (alg, case.name), "request", req, alg, case, p))
        if case.resp is not None:
            resp = p.respond(req, p.fresh(case.name + ".resp.der"), **case.resp)
            assert resp.exists() and resp.stat().st_size > 0, "openssl wrote no response"
            it = Item("openssl-%s-resp-%s" % (alg, case.name), "response", resp, alg, case, p)
            it.request = items[-1]
            items.append(it)
    return items


def _pyca_objects(p, alg):
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    def load(path):
        return x509.load_pem_x509_certificate(path.read_bytes())

    def key(path):
        return serialization.load_pem_private_key(path.read_bytes(), None)
    return types.SimpleNamespace(ca=load(p.ca), ca_key=key(p.ca_key), responder=load(p.responder),
                                 responder_key=key(p.responder_key), leaf=lambda n: load(p.leaves[n].cert))


PYCA_REASONS = {"keyCompromise": "key_compromise", "certificateHold": "certificate_hold", "superseded": "superseded",
                "cessationOfOperation": "cessation_of_operation", "unspecified": "unspecified",
                "affiliationChanged": "affiliation_changed", "cACompromise": "ca_compromise",
                "removeFromCRL": "remove_from_crl"}


def _build_pyca(p, alg, now):
    """Responses and requests made with pyca's builders, as the cases say."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509 import ocsp
    objs = _pyca_objects(p, alg)
    hash_of = {"sha1": hashes.SHA1(), "sha256": hashes.SHA256(), "sha384": hashes.SHA384(),
               "sha512": hashes.SHA512()}
    sign_hash = hash_of[PYCA_HASH[alg]] if PYCA_HASH[alg] else None
    items = []
    for n, case in enumerate(PYCA_CASES):
        (h, _, target), = case.ids
        nonce = bytes([0x11 * (n + 1) & 0xFF]) * 16 if case.nonce else None
        if case.resp is None:
            b = ocsp.OCSPRequestBuilder().add_certificate(objs.leaf(target), objs.ca, hash_of[h])
            if nonce:
                b = b.add_extension(x509.OCSPNonce(nonce), critical=False)
            path = p.fresh("pyca-%s.req.der" % case.name)
            path.write_bytes(b.build().public_bytes(serialization_der()))
            it = Item("pyca-%s-req-%s" % (alg, case.name), "request", path, alg, case, p, maker="pyca")
            it.nonce = nonce.hex() if nonce else None
            items.append(it)
            continue
        serial, status, rtime, reason = target_info(p, target)
        this = now.replace(microsecond=0)
        validity = (case.resp.get("ndays") or 0) * 86400 + (case.resp.get("nmin") or 0) * 60
        rt = datetime.datetime.strptime(rtime, "%Y-%m-%dT%H:%M:%SZ") if rtime else None
        b = ocsp.OCSPResponseBuilder().add_response(
            cert=objs.leaf(target), issuer=objs.ca, algorithm=hash_of[h],
            cert_status={"good": ocsp.OCSPCertStatus.GOOD, "revoked": ocsp.OCSPCertStatus.REVOKED,
                         "unknown": ocsp.OCSPCertStatus.UNKNOWN}[status],
            this_update=this, next_update=this + datetime.timedelta(seconds=validity) if validity else None,
            revocation_time=rt, revocation_reason=getattr(x509.ReasonFlags, PYCA_REASONS[reason]) if reason else None)
        delegated = case.resp.get("signer", "delegated") == "delegated"
        signer_cert = objs.responder if delegated else objs.ca
        b = b.responder_id(ocsp.OCSPResponderEncoding.HASH if case.resp.get("by_key") else
                           ocsp.OCSPResponderEncoding.NAME, signer_cert)
        if delegated:
            b = b.certificates([objs.responder])
        if nonce:
            b = b.add_extension(x509.OCSPNonce(nonce), critical=False)
        resp = b.sign(objs.responder_key if delegated else objs.ca_key, sign_hash)
        path = p.fresh("pyca-%s.resp.der" % case.name)
        path.write_bytes(resp.public_bytes(serialization_der()))
        it = Item("pyca-%s-resp-%s" % (alg, case.name), "response", path, alg, case, p, maker="pyca")
        it.nonce = nonce.hex() if nonce else None
        it.validity = validity
        items.append(it)
    return items


def _build_gnutls(p, alg):
    items = []
    for case in GNUTLS_CASES:
        (_, _, target), = case.ids
        path = p.fresh("gnutls-%s.req.der" % case.name)
        g = subprocess.run([peers.OCSPTOOL, "-q", "--load-issuer", str(p.ca), "--load-cert",
                            str(p.leaves[target].cert), "--outfile", str(path)], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=60)
        assert g.returncode == 0 and path.stat().st_size > 0, g.stdout
        items.append(Item("gnutls-%s-req-%s" % (alg, case.name), "request", path, alg, case, p, maker="gnutls"))
    return items


def serialization_der():
    from cryptography.hazmat.primitives import serialization
    return serialization.Encoding.DER


def _openssl_text(item):
    flag = ["-reqin", item.path, "-req_text"] if item.kind == "request" else \
        ["-respin", item.path, "-resp_text", "-noverify"]
    r = run_openssl("ocsp", *flag, "-no-CAfile", "-no-CApath", "-no-CAstore", check=False)
    assert r.out.startswith(("OCSP R", "Responder Error")), r
    return r.out


@pytest.fixture(scope="module")
def corpus(pkis, workdir, record):
    started = datetime.datetime.now(datetime.timezone.utc)
    with ThreadPoolExecutor(max_workers=4) as ex:
        items = [it for part in ex.map(lambda a: _build_openssl(pkis[a], a), ALGS) for it in part]
    pyca_skips = {}
    if peers.pyca_available() is None:
        for alg in PYCA_ALGS:
            try:
                items += _build_pyca(pkis[alg], alg, started.replace(tzinfo=None))
            except Exception as e:  # pyca 38 cannot sign with some keys: the cells say so
                pyca_skips[alg] = "pyca/cryptography %s cannot build with %s keys: %s: %s" % (
                    peers.pyca_version().split()[-1], alg, type(e).__name__, e)
        from cryptography.x509 import ocsp
        f = workdir / "pyca-unsuccessful.der"
        f.write_bytes(ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.TRY_LATER).public_bytes(
            serialization_der()))
        items.append(Item("pyca-unsuccessful-tryLater", "response", f, maker="pyca"))
    if peers.OCSPTOOL:
        for alg in ALGS:
            items += _build_gnutls(pkis[alg], alg)
    hand = workdir / "handmade"
    hand.mkdir()
    for name, data in sorted(HANDMADE.items()):
        f = hand / (name + ".der")
        f.write_bytes(data)
        items.append(Item(name, "response", f, maker="hand"))
    with ThreadPoolExecutor(max_workers=4) as ex:
        for it, text in zip(items, ex.map(_openssl_text, items)):
            it.openssl_text = text
    by_id = {it.id: it for it in items}
    record("decode_corpus", {"messages": dict(collections.Counter("%s %s" % (it.maker, it.kind) for it in items)),
                             "pyca_skips": pyca_skips})
    got = print_batch([it.path for it in items])
    texts = _print_text(items)
    return types.SimpleNamespace(items=items, by_id=by_id, started=started.timestamp(),
                                 finished=datetime.datetime.now(datetime.timezone.utc).timestamp(),
                                 json={it.id: obj for it, (obj, _) in zip(items, got)},
                                 errors={it.id: err for it, (_, err) in zip(items, got)},
                                 text=texts, pyca_skips=pyca_skips)


def _print_text(items):
    from conftest import run_ocspkit
    r = run_ocspkit("print", *[it.path for it in items])
    chunks = [c for c in re.split(r"(?m)^(?=OCSP Request Data:$|OCSP Response Data:$)", r.out) if c]
    return dict(zip((it.id for it in items), chunks)) if len(chunks) == len(items) else {}


def _item(corpus, cid):
    it = corpus.by_id.get(cid)
    if it is None and cid.startswith("gnutls-"):
        need_peer("ocsptool")
    if it is None and cid.startswith("pyca-"):
        if peers.pyca_available():
            pytest.skip("peer missing: " + peers.pyca_available())
        for alg, why in corpus.pyca_skips.items():
            if cid.startswith("pyca-%s-re" % alg):
                pytest.skip(why)
    assert it is not None, "no corpus item %s" % cid
    return it


def _json(corpus, it):
    j = corpus.json.get(it.id)
    assert j is not None, "ocspkit cannot read %s: %s" % (it.path, corpus.errors.get(it.id))
    return j


def check_cert_id(j, o, where):
    assert j["hashAlgorithm"] == o["hash"], where
    assert j["issuerNameHash"] == hexnorm(o["name_hash"]), where
    assert j["issuerKeyHash"] == hexnorm(o["key_hash"]), where
    assert j["serialNumber"] == hexnorm(o["serial"]), where


# ------------------------------------------------------------------ OpenSSL's reading


@pytest.mark.parametrize("cid", REQUEST_IDS)
def test_request_fields_match_openssl(cid, corpus):
    """Every field of a request, as ocspkit print --json reads it, equals openssl -req_text's and the PKI's."""
    it = _item(corpus, cid)
    j = _json(corpus, it)
    o = parse_text(it.openssl_text)
    assert o["kind"] == "request" and not o["unparsed"], o
    assert j["type"] == "request"
    assert j["version"] == int(o["version"].split()[0]) == 1
    level = it.case.issuer
    assert len(j["requests"]) == len(o["entries"]) == len(it.ids)
    for n, (jr, orq, (h, _, target)) in enumerate(zip(j["requests"], o["entries"], it.ids)):
        check_cert_id(jr, orq, "request %d" % n)
        assert jr == expected_entry(it.pki, h, target, level)["certID"], "request %d" % n
    assert j["nonce"] == nonce_of(o)
    assert (j["nonce"] is not None) == bool(it.case.nonce)
    if it.case.nonce:
        assert len(j["nonce"]) == 32  # 16 octets, from openssl and from the pyca cases
        if it.nonce:
            assert j["nonce"] == it.nonce
    assert [e["name"] for e in j["requestExtensions"]] == [e["name"] for e in o["extensions"]]
    signed = bool(isinstance(it.case.req, dict) and it.case.req.get("signer"))
    assert j["signed"] is signed
    if signed:
        assert j["signatureAlgorithm"] == o["sigalg"] == SIGALG[it.alg]
        want = 2 if it.case.req.get("sign_other") else 1
        assert j["certificates"] == o["certs"] == want
        assert o["requestor"].startswith("DirName:") and j["requestorName"].startswith("DirName:")
        on = parse_oneline(o["requestor"][len("DirName:"):])
        assert on == parse_oneline(it.pki.subject(it.pki.responder, "oneline"))
        assert parse_oneline(j["requestorName"][len("DirName:"):]) == on
    else:
        assert "signatureAlgorithm" not in j and o["sigalg"] is None and o["certs"] == 0


def _signer_cert(it):
    s = it.case.resp.get("signer", "delegated")
    return it.pki.signer_files(s)[0]


@pytest.mark.parametrize("cid", RESPONSE_IDS)
def test_response_fields_match_openssl(cid, corpus):
    """Every field of a response, as ocspkit print --json reads it, equals openssl -resp_text's and the PKI's."""
    it = _item(corpus, cid)
    j = _json(corpus, it)
    o = parse_text(it.openssl_text)
    assert o["kind"] == "response" and not o["unparsed"], o
    assert j["type"] == "response"
    assert j["responseStatus"].lower() == o["status"].lower()
    if it.case is None or it.case.name.startswith("malformed"):
        code = [k for k, v in STATUS_NAMES.items() if v == j["responseStatus"]]
        assert code == [o["status_code"]] and code != [0]
        if it.maker == "hand":
            assert it.path.read_bytes()[-1] == code[0]
        elif it.maker == "pyca":
            assert j["responseStatus"] == "tryLater"
        else:
            assert j["responseStatus"] == "malformedRequest"
        assert "responses" not in j and "producedAt" not in j
        return
    assert o["status_code"] == 0 and j["responseStatus"] == "successful"
    p, case, resp = it.pki, it.case, it.case.resp
    signer = resp.get("signer", "delegated")
    if resp.get("by_key"):
        assert list(j["responderID"]) == ["byKey"]
        assert j["responderID"]["byKey"] == o["responder"].lower() == p.key_id(signer)
    else:
        assert list(j["responderID"]) == ["byName"]
        name = parse_rfc4514(j["responderID"]["byName"])
        assert name == parse_oneline(o["responder"])
        assert name == parse_rfc4514(p.subject(_signer_cert(it), "RFC2253"))
    assert j["producedAt"] == iso_of_openssl(o["produced_at"])
    assert corpus.started - 2 <= epoch(j["producedAt"]) <= corpus.finished + 2
    level = "root" if signer == "root" else "int"
    assert len(j["responses"]) == len(o["entries"]) == len(it.ids)
    for n, (jr, orr, (h, _, target)) in enumerate(zip(j["responses"], o["entries"], it.ids)):
        where = "response %d (%s)" % (n, target)
        check_cert_id(jr["certID"], orr, where)
        exp = expected_entry(p, h, target, level)
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
        validity = getattr(it, "validity", None)
        if validity is None:
            validity = (resp.get("ndays") or 0) * 86400 + (resp.get("nmin") or 0) * 60
        if validity:
            assert epoch(jr["nextUpdate"]) - epoch(jr["thisUpdate"]) == validity, where
        else:
            assert jr["nextUpdate"] is None, where
        assert [(e["name"], e["critical"]) for e in jr["singleExtensions"]] == \
            [(e["name"], e["critical"]) for e in orr["extensions"]], where
        for je, oe in zip(jr["singleExtensions"], orr["extensions"]):
            if je["oid"] == "2.5.29.24":  # OpenSSL's invalidity date for keyTime / CAkeyTime
                v = bytes.fromhex(je["value"])
                assert v[0] == 0x18 and v[1] == len(v) - 2, where
                assert iso_of_generalized(v[2:].decode()) == iso_of_openssl(oe["value"]), where
        leaf = p.leaves.get(target)
        has_inv = bool(it.maker == "openssl" and leaf and leaf.invalidity_date)
        assert len([e for e in jr["singleExtensions"] if e["oid"] == "2.5.29.24"]) == int(has_inv), where
    assert j["nonce"] == nonce_of(o)
    if it.maker == "openssl":
        want_nonce = nonce_of(parse_text(it.request.openssl_text))
    else:
        want_nonce = it.nonce
    assert j["nonce"] == want_nonce and (want_nonce is not None) == bool(case.nonce)
    assert [e["name"] for e in j["responseExtensions"]] == [e["name"] for e in o["extensions"]]
    if it.maker == "pyca":
        want_alg = PYCA_SIGALG[it.alg]
    else:
        want_alg = SIGALG_OF_RMD.get((it.alg, resp.get("rmd")), SIGALG[it.alg])
        if resp.get("rsigopt"):
            want_alg = "rsassaPss"
    assert j["signatureAlgorithm"] == o["sigalg"] == want_alg
    if it.maker == "pyca":
        want_certs = 1 if signer == "delegated" else 0
    else:
        want_certs = 0 if resp.get("no_certs") else 2 if resp.get("rother") else 1
    assert j["certificates"] == o["certs"] == want_certs


def head_lines(text):
    return text.replace("\\\n", "").split("\nCertificate:\n")[0].rstrip("\n").splitlines()


@pytest.mark.parametrize("cid", REQUEST_IDS + RESPONSE_IDS)
def test_text_matches_openssl(cid, corpus):
    """ocspkit print (text) shows the values openssl -req_text/-resp_text shows, on the same lines."""
    it = _item(corpus, cid)
    t = corpus.text.get(it.id)
    assert t is not None, "ocspkit print gave no text for %s" % it.path
    ours, theirs = parse_text(t), parse_text(it.openssl_text)
    if theirs["kind"] == "request" or theirs.get("status_code") == 0:
        # line for line, up to the certificates (OpenSSL dumps them whole,
        # ocspkit prints their names and validity)
        assert head_lines(t) == head_lines(it.openssl_text)
    assert not ours["unparsed"], ours["unparsed"]
    assert ours["kind"] == theirs["kind"]
    if theirs["kind"] == "response":
        assert ours["status"] == STATUS_NAMES[theirs["status_code"]]
        assert ours["status_code"] == theirs["status_code"]
        if theirs["status_code"] != 0:
            assert ours["entries"] == [] and ours["sigalg"] is None
            return
    assert len(ours["entries"]) == len(it.ids)
    assert all(e.get("serial") and e.get("name_hash") for e in ours["entries"])
    for key in sorted(set(ours) | set(theirs)):
        if key not in ("cert_subjects", "unparsed"):
            assert ours.get(key) == theirs.get(key), key
    if it.kind == "response" and ours["certs"]:
        want = [it.pki.subject(_signer_cert(it), "oneline")]
        if it.case.resp.get("rother"):
            want.append(it.pki.subject(it.pki.root, "oneline"))
        assert ours["cert_subjects"] == want
    if it.kind == "request" and ours["certs"]:
        assert ours["cert_subjects"][0] == it.pki.subject(it.pki.responder, "oneline")


# ------------------------------------------------------------------ pyca's reading

@pytest.mark.parametrize("cid", REQUEST_IDS + RESPONSE_IDS)
def test_fields_match_pyca(cid, corpus):
    """Every field ocspkit print --json reads equals what pyca/cryptography's OCSP loader reads."""
    need_peer("pyca")
    it = _item(corpus, cid)
    j = _json(corpus, it)
    compare_with_pyca(j, it.path.read_bytes(), it.kind)


# ------------------------------------------------------------------ verification verdicts

# The delegated responder and the CA, each byName and byKey, the root, a
# delegated responder whose certificate is missing (both refuse)
VERIFY_CASES = ["good-sha1-byname-delegated-nonce", "multi-sha256-ca-bykey-no-nextupdate", "intermediate-by-root",
                "unknown-sha256-bykey-nocerts-nonce", "revoked-reasons-sha256-certs-delegated-bykey",
                "revoked-reasons-sha1-serials-ca"]
VERIFY_IDS = ["openssl-%s-resp-%s" % (a, c) for a in ALGS for c in VERIFY_CASES] + \
    ["pyca-%s-resp-revoked-sha256-delegated-byname-nonce" % a for a in PYCA_ALGS]
LINE = re.compile(r"^serial 0x([0-9A-F]+): (good|revoked|unknown)(?: \((\w+)\))?(?: at (\S+))?;")


def verdict_lines(out):
    """{serial: (status, reason, revocation time)} from `ocspkit verify -v`."""
    got = {}
    for line in out.splitlines():
        m = LINE.match(line)
        if m:
            got[int(m.group(1), 16)] = (m.group(2), m.group(3), m.group(4))
    return got


@pytest.mark.parametrize("cid", VERIFY_IDS)
def test_ocspkit_verifies_peer_signature(cid, corpus, ocspkit):
    """ocspkit verify and openssl ocsp -CAfile give the same verdict on the peer's response; each certificate the PKI's status."""
    # under valgrind: each key type with one of the signers, in turn
    sample_under_wrapper(VERIFY_IDS.index(cid) + VERIFY_IDS.index(cid) // len(VERIFY_CASES), len(VERIFY_CASES))
    it = _item(corpus, cid)
    p, resp = it.pki, it.case.resp
    signer = resp.get("signer", "delegated")
    issuer = p.root if signer == "root" else p.ca
    args = ["verify", "--issuer", issuer, "-v"]
    if it.maker == "openssl":
        args += ["--request", it.request.path]
        oargs = ["-reqin", it.request.path]
    else:
        serial = "0x%X" % target_info(p, it.ids[0][2])[0]
        args += ["--serial", serial, "--nonce", it.nonce]
        oargs = ["-" + it.ids[0][0], "-serial", serial, "-no_nonce"]
    r = ocspkit(*args, it.path)
    o = run_openssl("ocsp", "-respin", it.path, "-CAfile", p.chain, "-issuer", issuer, *oargs, check=False)
    openssl_ok = "Response verify OK" in o.err
    want = {}
    for h, _, target in it.ids:
        serial, status, rtime, reason = target_info(p, target)
        want[serial] = (status, reason if status == "revoked" else None, rtime)
    if it.maker == "pyca" and it.alg == "rsa-pss":
        # pyca/cryptography 38 signs with PKCS#1 v1.5 under an id-RSASSA-PSS
        # key, which RFC 4055 section 1.2 forbids: both refuse it
        assert r.rc == 2 and "OCSPKIT_E_KEY_ALGORITHM_MISMATCH" in r.out + r.err, r
        assert not openssl_ok, o
        return
    if signer == "delegated" and resp.get("no_certs"):
        # the delegated responder's certificate is not in the response and
        # not given: neither can find the signer
        assert r.rc == 2 and "OCSPKIT_E_SIGNER_NOT_FOUND" in r.out + r.err, r
        assert not openssl_ok, o
        return
    assert openssl_ok, o
    assert r.rc == (0 if all(v[0] == "good" for v in want.values()) else 1), r
    first = r.out.splitlines()[0]
    assert ("signed by the issuing CA" if signer in ("ca", "root") else "signed by a delegated responder") in first, r
    assert verdict_lines(r.out) == want, r
