"""Cell 2, encode conformance: what ocspkit writes, the peers read and
accept.

  - requests built by `ocspkit request` are read by `openssl ocsp -reqin`
    (the CertIDs OpenSSL itself computes, the nonce), re-encoded by OpenSSL
    to the same bytes, read by pyca/cryptography, and answered entry by
    entry by an `openssl ocsp -index` responder;
  - responses signed by `ocspkit respond` (every key type; the CA, a
    delegated responder and the root as signer; byName and byKey) verify
    with `openssl ocsp -respin ... -CAfile`, GnuTLS `ocsptool -e` and a
    pyca/cryptography signature check, and `openssl ocsp -resp_text` and
    pyca's loader show the fields the index says ocspkit must have put in,
    the same as OpenSSL's own responder puts in for the same request.

(This replaces tests/test_openssl_corpus.py's request cell and the two
signing-matrix tests of tests/cli/test_interop_sign.py; the signer options,
failure cases, signed requests and the offline responder's index forms
stay there.)
"""

import re
import subprocess

import pytest

from conftest import FULL, peers, run_openssl, sample_under_wrapper
from conflib import sigcheck
from conflib.expect import expected_entry, target_info
from conflib.ocsptext import hexnorm, iso_of_datetime, iso_of_openssl, nonce_of, parse_oneline, parse_text
from conflib.pki import ALGS, LEAVES, NEVER_ISSUED, even_hex

AREA = "encode"
NO_STORE = ["-no-CAfile", "-no-CApath", "-no-CAstore"]


def req_text(path):
    return parse_text(run_openssl("ocsp", "-reqin", path, "-req_text", *NO_STORE).out)


def resp_text(path):
    r = run_openssl("ocsp", "-respin", path, "-resp_text", "-noverify", *NO_STORE, check=False)
    return parse_text(r.out)


# ------------------------------------------------------------------ requests

class Ask:
    def __init__(self, name, hash_name, certs=(), serials=(), nonce=None, serial_forms=None):
        self.name, self.hash, self.certs, self.serials = name, hash_name, list(certs), list(serials)
        self.nonce = nonce  # None: default, False: --no-nonce, True: --nonce, "hex": --nonce-value
        self.serial_forms = serial_forms or {}


ASKS = [
    Ask("certs-and-unknown-serial-nonce-value", None, ["good", "keycompromise"], ["never-issued"],
        nonce="00112233445566778899aabbccddeeff0011"),
    Ask("sha256-no-nonce", "sha256", ["hold", "good-big", "keytime"], ["superseded"], nonce=False),
    Ask("sha384-random-nonce", "sha384", ["cessation", "good-20"], nonce=True),
    Ask("sha512-default-nonce-serial-forms", "sha512", [], ["noreason", "good-big", "removefromcrl"],
        serial_forms={"noreason": "0x1006", "good-big": "c0:ff:ee:01:23:45:67:89:ab:cd:ef:01:23:45:67:89",
                      "removefromcrl": "100B"}),
    Ask("sha1-one-cert", "sha1", ["unspecified"], nonce=False),
]
# every form on P-256, the first on the other key types (each run of
# ocspkit costs a second under valgrind); every one everywhere when FULL
ASK_IDS = ["%s-%s" % (a, k.name) for a in ALGS for k in ASKS if FULL or a == "p256" or k is ASKS[0]]


@pytest.mark.parametrize("aid", ASK_IDS)
def test_ocspkit_request_read_and_answered_by_openssl(aid, pkis, ocspkit):
    """A request written by ocspkit: OpenSSL reads the CertIDs it computes itself, re-encodes it byte for byte, answers it."""
    sample_under_wrapper(ASK_IDS.index(aid), 2)
    alg = next(a for a in sorted(ALGS, key=len, reverse=True) if aid.startswith(a + "-"))
    ask = next(k for k in ASKS if aid == "%s-%s" % (alg, k.name))
    p = pkis[alg]
    out = p.fresh("ocspkit-%s.req.der" % ask.name)
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

    h = ask.hash or "sha1"
    ids = [(h, "cert", c) for c in ask.certs] + [(h, "serial", s) for s in ask.serials]
    ref = p.request(p.fresh("openssl-%s.req.der" % ask.name), ids, nonce=False)
    got, want = req_text(out), req_text(ref)
    assert got["kind"] == "request" and not got["unparsed"]
    assert got["entries"] == want["entries"] and len(got["entries"]) == len(ids)
    for e, (_, _, target) in zip(got["entries"], ids):
        exp = expected_entry(p, h, target)["certID"]
        assert (e["hash"], hexnorm(e["name_hash"]), hexnorm(e["key_hash"]), hexnorm(e["serial"])) == \
            (exp["hashAlgorithm"], exp["issuerNameHash"], exp["issuerKeyHash"], exp["serialNumber"])
    nonce = nonce_of(got)
    if ask.nonce is False:
        assert nonce is None
        assert out.read_bytes() == ref.read_bytes()  # one DER encoding, both write it
    elif isinstance(ask.nonce, str):
        assert nonce == ask.nonce
    else:
        assert nonce is not None and len(nonce) == 32
    copy = p.fresh("reencoded-%s.req.der" % ask.name)
    run_openssl("ocsp", "-reqin", out, "-reqout", copy, *NO_STORE)
    assert copy.read_bytes() == out.read_bytes()

    if peers.pyca_available() is None:
        from cryptography.x509 import ocsp
        if len(ids) == 1:
            q = ocsp.load_der_ocsp_request(out.read_bytes())
            exp = expected_entry(p, h, ids[0][2])["certID"]
            assert (q.hash_algorithm.name, q.issuer_name_hash.hex(), q.issuer_key_hash.hex(),
                    even_hex(q.serial_number)) == (exp["hashAlgorithm"], exp["issuerNameHash"],
                                                   exp["issuerKeyHash"], exp["serialNumber"])
        else:
            with pytest.raises(NotImplementedError):
                ocsp.load_der_ocsp_request(out.read_bytes())

    resp = p.respond(out, p.fresh("answer-%s.resp.der" % ask.name), ndays=1)
    o = resp_text(resp)
    assert o["status"] == "successful" and len(o["entries"]) == len(ids)
    for e, (_, _, target) in zip(o["entries"], ids):
        exp = expected_entry(p, h, target)
        assert e["cert_status"] == exp["certStatus"], target
        assert (e["reason"].split(" (")[0] if e.get("reason") else None) == exp["revocationReason"], target
        assert hexnorm(e["serial"]) == exp["certID"]["serialNumber"]
    assert nonce_of(o) == nonce


# ------------------------------------------------------------------ responses

# every key type with every signer and both ResponderID forms (the root answers about the
# intermediate, byName)
SIGNERS = [("ca", "key"), ("delegated", "name"), ("root", "name"), ("ca", "name"), ("delegated", "key")]
COMBOS = [(a, s, rid) for a in ALGS for s, rid in SIGNERS]
COMBO_IDS = ["%s-%s-by%s" % c for c in COMBOS]
TARGETS = [n for n, _, _ in LEAVES] + [NEVER_ISSUED[0]]
ROOT_TARGETS = ["int", "old-int"]
HASHES = ["sha256", "sha1", "sha384", "sha512"]  # CertID hashes, in turn

_requests = {}


def _request(p, root):
    """One openssl request per PKI and level, with a nonce: every leaf (or
    the intermediate and a revoked one)."""
    key = (p.alg, root)
    if key not in _requests:
        if root:
            ids = [("sha256", "serial", target_info(p, t)[0]) for t in ROOT_TARGETS]
            path = p.request(p.fresh("enc-root.req.der"), ids, nonce=True, issuer=p.root)
        else:
            ids = [(HASHES[i % 4], "cert", t) for i, t in enumerate(TARGETS)]
            path = p.request(p.fresh("enc.req.der"), ids, nonce=True)
        _requests[key] = path
    return _requests[key]


def _entries(text):
    """The comparable part of each SingleResponse OpenSSL prints."""
    return [(e.get("serial"), e.get("cert_status"), e.get("reason"), e.get("revocation_time"),
             [(x["name"], x["critical"], x["value"]) for x in e["extensions"]]) for e in text["entries"]]


@pytest.mark.parametrize("alg,signer,rid", COMBOS, ids=COMBO_IDS)
def test_ocspkit_signs_peers_verify(alg, signer, rid, pkis, ocspkit):
    """A response signed by ocspkit verifies with openssl -CAfile, ocsptool -e and pyca, showing the index's fields."""
    # under valgrind: each key type with one of the signers, in turn
    i = COMBOS.index((alg, signer, rid))
    sample_under_wrapper(i + i // len(SIGNERS), len(SIGNERS))
    p = pkis[alg]
    root = signer == "root"
    req = _request(p, root)
    cert, key = p.signer_files(signer)
    index, ca = (p.root_index, p.root) if root else (p.index, p.ca)
    targets = ROOT_TARGETS if root else TARGETS
    tag = "%s-by%s" % (signer, rid)
    resp = p.fresh("k-%s.resp.der" % tag)
    args = ["respond", "--index", index, "--CA", ca, "--rsigner", cert, "--rkey", key, "--reqin", req,
            "--respout", resp, "--ndays", "1"]
    if rid == "key":
        args.append("--resp-key-id")
    r = ocspkit(*args)
    assert r.rc == 0, r

    # OpenSSL: the signature, the responder, each certificate's status
    args = ["ocsp", "-respin", resp, "-CAfile", p.chain, "-issuer", ca, "-no_nonce"]
    for i, t in enumerate(targets):
        args += ["-" + ("sha256" if root else HASHES[i % 4]), "-serial", "0x%X" % target_info(p, t)[0]]
    o = run_openssl(*args, check=False)
    assert "Response verify OK" in o.err, o  # (it exits 1 when a status is not good)
    for t in targets:
        serial, status, _, reason = target_info(p, t)
        line = "0x%X: %s" % (serial, status)
        assert line in o.out, (line, o)
    # ... and -resp_text shows what the index says, as OpenSSL's own answer does
    text = resp_text(resp)
    theirs = resp_text(p.respond(req, p.fresh("o-%s.resp.der" % tag), signer=signer, by_key=rid == "key",
                                 ndays=1))
    assert _entries(text) == _entries(theirs)
    assert text["responder"] == theirs["responder"]
    assert nonce_of(text) == nonce_of(req_text(req)) is not None
    level = "root" if root else "int"
    for e, t in zip(text["entries"], targets):
        exp = expected_entry(p, "sha256" if root else e["hash"], t, level)
        assert hexnorm(e["name_hash"]) == exp["certID"]["issuerNameHash"], t
        assert e["cert_status"] == exp["certStatus"], t
        assert (e["reason"].split(" (")[0] if e.get("reason") else None) == exp["revocationReason"], t
        if exp["revocationTime"]:
            assert iso_of_openssl(e["revocation_time"]) == exp["revocationTime"], t
        diff = (_epoch(iso_of_openssl(e["next_update"])) - _epoch(iso_of_openssl(e["this_update"])))
        assert diff == 86400, t
    if rid == "key":
        assert text["responder"].lower() == p.key_id(signer)
    else:
        assert parse_oneline(text["responder"]) == parse_oneline(p.subject(cert, "oneline"))

    # GnuTLS
    if peers.OCSPTOOL:
        g = subprocess.run([peers.OCSPTOOL, "-e", "--load-trust", str(p.chain), "--infile", str(resp)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        out = g.stdout.decode()
        assert g.returncode == 0 and "Verifying OCSP Response: Success" in out, out

    # pyca/cryptography: the signature, and the fields its loader reads
    if peers.pyca_available() is None:
        from cryptography.x509 import ocsp
        data = resp.read_bytes()
        signer_der = sigcheck.verify_response(data)
        assert signer_der == p.signer_files(signer)[0].read_bytes() or signer_der == \
            {"ca": p.ca_der, "delegated": p.responder_der, "root": p.root_der}[signer]
        lr = ocsp.load_der_ocsp_response(data)
        singles = list(lr.responses)
        assert len(singles) == len(targets)
        for s, t in zip(singles, targets):
            serial, status, rtime, reason = target_info(p, t)
            assert (s.serial_number, s.certificate_status.name.lower()) == (serial, status), t
            assert (iso_of_datetime(s.revocation_time) if s.revocation_time else None) == rtime, t
            assert (s.revocation_reason.value if s.revocation_reason else None) == reason, t
            assert (s.next_update - s.this_update).total_seconds() == 86400, t
        if rid == "key":
            assert lr.responder_key_hash.hex() == p.key_id(signer)
    else:
        pytest.skip("peer missing (the OpenSSL and GnuTLS checks passed): " + peers.pyca_available())
    if not peers.OCSPTOOL:
        pytest.skip("peer missing (the OpenSSL and pyca checks passed): GnuTLS ocsptool not found")


def _epoch(iso):
    import datetime
    return datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").timestamp()


def test_signed_fields_unchanged_by_reencoding(pkis, ocspkit):
    """ocspkit's responses are canonical DER: OpenSSL re-encodes them to the same bytes."""
    p = pkis["p256"]
    req = _request(p, False)
    resp = p.fresh("canon.resp.der")
    r = ocspkit("respond", "--index", p.index, "--CA", p.ca, "--rsigner", p.responder, "--rkey",
                p.responder_key, "--reqin", req, "--respout", resp, "--ndays", "1")
    assert r.rc == 0, r
    copy = p.fresh("canon-copy.resp.der")
    run_openssl("ocsp", "-respin", resp, "-respout", copy, "-noverify", *NO_STORE)
    assert copy.read_bytes() == resp.read_bytes()
    assert re.search(rb"\x18\x0f\d{14}Z", resp.read_bytes())  # GeneralizedTime, no fractions
