"""Signatures and validation against the peers, beyond the conformance
suite's matrix (conformance/test_decode.py and test_encode.py sign and
verify every key type both ways):

  - ocspkit's signer options (RSA-PSS parameters, digests) read by
    OpenSSL and GnuTLS, and OpenSSL's own PSS choices verified by ocspkit;
  - negative cases through the command line, each with the check that
    fails;
  - the offline responder's answers next to OpenSSL's, and signed
    requests both ways.

Keys and certificates are made once per session.
"""

import datetime
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import Pki, der_content, der_read, der_split

OCSPTOOL = shutil.which("ocsptool")

# the good and the revoked leaf of each CA's index
LEAVES = [("good", 0x1001, None), ("revoked", 0x1002, "240101000000Z,keyCompromise")]


def make_ca(root, alg, name="Interop"):
    """The PKI fixture with one level: a CA of alg, its delegated
    responder, and two leaves (one revoked) in its index.txt."""
    return Pki(root, alg, leaves=LEAVES, chain=False,
               subjects=("/O=ocspkit/CN=%s %s CA" % (name, alg), None, "/O=ocspkit/CN=responder %s" % alg))


@pytest.fixture(scope="module")
def cas(openssl, workdir):
    made = {}

    def get(alg):
        if alg not in made:
            made[alg] = make_ca(workdir / ("interop-" + alg), alg)
        return made[alg]

    return get


def request(ocspkit, ca, out, nonce=True):
    """ocspkit request about the good and the revoked leaf; one per CA and
    kind, reused (each ocspkit run costs a second under valgrind)."""
    key = (str(ca.dir), nonce)
    if key in _requests:
        return _requests[key]
    args = ["request", "--issuer", ca.ca, "--cert", ca.leaves["good"].cert, "--cert", ca.leaves["revoked"].cert, "--out", out]
    if not nonce:
        args.append("--no-nonce")
    r = ocspkit(*args)
    assert r.rc == 0, r
    _requests[key] = out
    return out


_requests = {}


# The matrix of key types x signers x responder ids, signed by OpenSSL and
# verified by ocspkit and the other way round, is conformance/test_decode.py
# (test_ocspkit_verifies_peer_signature) and conformance/test_encode.py
# (test_ocspkit_signs_peers_verify).


# ---------------------------------------------------------------- options of the signer

# GnuTLS 3.7 (ocsptool) verifies RSA-PSS only with SHA-256, MGF1 with the
# same hash and a salt of the digest's length: it refuses OpenSSL's own
# responses with the other parameters too, so they are checked with OpenSSL.
@pytest.mark.parametrize("opts,want,gnutls", [
    (["--rsigopt", "rsa_padding_mode:pss"], "rsassaPss", True),
    (["--rsigopt", "rsa_padding_mode:pss", "--rsigopt", "rsa_pss_saltlen:max", "--rmd", "sha512"], "rsassaPss",
     False),
    (["-rsigopt", "rsa_padding_mode:pss", "-rsigopt", "rsa_mgf1_md:sha1", "-rsigopt", "rsa_pss_saltlen:0"],
     "rsassaPss", False),
    (["--rmd", "sha384"], "sha384WithRSAEncryption", True),
    (["--rmd", "sha1"], "sha1WithRSAEncryption", True),
], ids=["pss", "pss-sha512-max", "pss-mgf1-sha1-salt0-openssl-style", "sha384", "sha1"])
def test_rsa_signing_options(ocspkit, openssl, cas, opts, want, gnutls):
    ca = cas("rsa")
    req = request(ocspkit, ca, ca.dir / "opt-req.der")
    resp = ca.dir / ("opt-resp-%d.der" % len(opts))
    r = ocspkit("respond", "-index", ca.index, "-CA", ca.ca, "-rsigner", ca.responder, "-rkey",
                ca.responder_key, "-reqin", req, "-respout", resp, *opts)
    assert r.rc == 0, r
    o = openssl("ocsp", "-respin", resp, "-CAfile", ca.ca, "-issuer", ca.ca, "-cert", ca.leaves["good"].cert, "-no_nonce",
                "-resp_text", check=False)
    assert o.rc == 0 and "Response verify OK" in o.err, o
    assert "Signature Algorithm: " + want in o.out, o
    if "rsa_mgf1_md:sha1" in opts:
        assert "Mask Algorithm: mgf1 with sha1" in o.out and "Salt Length: 0x00" in o.out, o
    if "sha512" in opts:
        assert "Hash Algorithm: sha512" in o.out and "Salt Length: 0xBE" in o.out, o  # 256 - 64 - 2
    if OCSPTOOL and gnutls:
        g = subprocess.run([OCSPTOOL, "-e", "--load-trust", str(ca.ca), "--infile", str(resp)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        assert b"Verifying OCSP Response: Success" in g.stdout, g.stdout


def test_openssl_pss_options_verify(ocspkit, openssl, cas):
    """OpenSSL's own PSS choices (maximum salt, MGF1 with another hash)."""
    ca = cas("rsa")
    req = request(ocspkit, ca, ca.dir / "opss-req.der")
    for i, sigopts in enumerate([["rsa_padding_mode:pss"],
                                 ["rsa_padding_mode:pss", "rsa_pss_saltlen:max", "rsa_mgf1_md:sha512"],
                                 ["rsa_padding_mode:pss", "rsa_pss_saltlen:20", "rsa_mgf1_md:sha1"]]):
        resp = ca.dir / ("opss-resp-%d.der" % i)
        args = ["ocsp", "-index", ca.index, "-CA", ca.ca, "-rsigner", ca.responder, "-rkey", ca.responder_key,
                "-reqin", req, "-respout", resp, "-rmd", "sha256"]
        for s in sigopts:
            args += ["-rsigopt", s]
        openssl(*args)
        r = ocspkit("verify", "--issuer", ca.ca, "--cert", ca.leaves["good"].cert, resp)
        assert r.rc == 0 and ": good" in r.out, r


# ---------------------------------------------------------------- failures, each with its check

def ocsp_respond(openssl, ca, req, out, cert, key, *extra):
    openssl("ocsp", "-index", ca.index, "-CA", ca.ca, "-rsigner", cert, "-rkey", key, "-reqin", req,
            "-respout", out, "-ndays", "30", *extra)
    return out


def expect_failure(r, code):
    assert r.rc == 2, r
    assert code in r.out + r.err, r


def test_failures(ocspkit, openssl, cas, workdir):
    ca = cas("p256")
    root = ca.dir
    req = request(ocspkit, ca, root / "f-req.der")
    ok = ocsp_respond(openssl, ca, req, root / "f-ok.der", ca.responder, ca.responder_key)
    base = ["verify", "--issuer", ca.ca, "--cert", ca.leaves["good"].cert]
    assert ocspkit(*base, ok).rc == 0

    # tampered tbsResponseData: the thisUpdate of the first SingleResponse
    data = bytearray(ok.read_bytes())
    at = data.find(b"\x18\x0f", data.find(b"\x18\x0f") + 1)  # producedAt, then thisUpdate
    data[at + 2 + 13] ^= 1  # a digit of the seconds
    bad = root / "f-tampered.der"
    bad.write_bytes(bytes(data))
    expect_failure(ocspkit(*base, bad), "OCSPKIT_E_SIGNATURE_INVALID")

    # wrong or missing nonce
    expect_failure(ocspkit(*base, "--nonce", "00112233", ok), "OCSPKIT_E_NONCE_MISMATCH")
    req_nn = request(ocspkit, ca, root / "f-req-nn.der", nonce=False)
    no_nonce = ocsp_respond(openssl, ca, req_nn, root / "f-nonce.der", ca.responder, ca.responder_key)
    expect_failure(ocspkit(*base, "--nonce", "00112233", no_nonce), "OCSPKIT_E_NONCE_MISSING")
    assert ocspkit(*base, no_nonce).rc == 0

    # times: expired response, response from the future, expired responder
    later = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=40)).strftime("%Y%m%d%H%M%SZ")
    expect_failure(ocspkit(*base, "--at", later, ok), "OCSPKIT_E_RESPONSE_EXPIRED")
    by_ca = ocsp_respond(openssl, ca, req, root / "f-ca.der", ca.ca, ca.ca_key)
    earlier = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)).strftime("%Y%m%d%H%M%SZ")
    expect_failure(ocspkit(*base, "--at", earlier, by_ca), "OCSPKIT_E_RESPONSE_NOT_YET_VALID")
    assert ocspkit(*base, "--at", earlier, "--skew", "7200", by_ca).rc == 0
    short, short_key = ca.issue("short", 0x0F02, ext="responder", key_alg="p256", days=1)
    r_short = ocsp_respond(openssl, ca, req, root / "f-short.der", short, short_key)
    in2days = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=2)).strftime("%Y%m%d%H%M%SZ")
    expect_failure(ocspkit(*base, "--at", in2days, r_short), "OCSPKIT_E_SIGNER_EXPIRED")

    # a signer without id-kp-OCSPSigning, one from another CA
    plain, plain_key = ca.issue("plainsigner", 0x0F03, key_alg="p256")
    r_plain = ocsp_respond(openssl, ca, req, root / "f-plain.der", plain, plain_key)
    expect_failure(ocspkit(*base, r_plain), "OCSPKIT_E_SIGNER_NO_OCSP_SIGNING")
    other = make_ca(workdir / "interop-other", "p256", name="Other")
    foreign, foreign_key = ca.issue("foreign", 0x0F04, ext="responder", key_alg="p256", issuer=other)
    r_foreign = ocsp_respond(openssl, ca, req, root / "f-foreign.der", foreign, foreign_key)
    expect_failure(ocspkit(*base, r_foreign), "OCSPKIT_E_SIGNER_WRONG_ISSUER")
    # ... unless trusted directly: --VAfile as given, --CAfile only when it
    # is an OCSP signer, so that a bundle of CA certificates trusts no CA
    assert ocspkit(*base, "--VAfile", foreign, r_foreign).rc == 0
    assert ocspkit(*base, "--CAfile", foreign, r_foreign).rc == 0
    r_other_ca = ocsp_respond(openssl, ca, req, root / "f-other-ca.der", other.ca, other.ca_key)
    expect_failure(ocspkit(*base, r_other_ca), "OCSPKIT_E_SIGNER_WRONG_ISSUER")
    bundle = root / "f-bundle.pem"
    bundle.write_bytes(other.ca.read_bytes() + foreign.read_bytes())
    r = ocspkit(*base, "--CAfile", bundle, r_other_ca)
    expect_failure(r, "OCSPKIT_E_SIGNER_WRONG_ISSUER")
    assert "1 of 2 certificates lack id-kp-OCSPSigning" in r.err, r
    assert ocspkit(*base, "--VAfile", bundle, r_other_ca).rc == 0
    # a trusted responder is still bound by its validity
    expect_failure(ocspkit(*base, "--VAfile", bundle, "--at", "20991231000000Z", r_other_ca),
                   "OCSPKIT_E_SIGNER_EXPIRED")

    # a CertID that differs: another serial, another issuer's hashes
    expect_failure(ocspkit("verify", "--issuer", ca.ca, "--serial", "0x1003", ok), "OCSPKIT_E_CERT_ID_NOT_FOUND")
    r = ocspkit("verify", "--issuer", other.ca, "--serial", "0x1001", ok)
    assert r.rc == 2, r

    # malformed input, error responses, usage errors
    junk = root / "f-junk.der"
    junk.write_bytes(b"\x30\x03\x0a\x01")
    expect_failure(ocspkit(*base, junk), "OCSPKIT_E_DER_TRUNCATED")
    error_resp = root / "f-error.der"
    error_resp.write_bytes(bytes.fromhex("30030a0103"))  # tryLater
    r = ocspkit(*base, error_resp)
    expect_failure(r, "OCSPKIT_E_NOT_SUCCESSFUL")
    assert "responseStatus tryLater" in r.out, r
    assert ocspkit("verify", "--cert", ca.leaves["good"].cert, ok).rc == 3
    assert ocspkit("verify", "--issuer", root / "missing.pem", ok).rc == 3
    r = ocspkit("verify", "--issuer", ca.ca, "--cert", other.leaves["good"].cert, ok)
    assert r.rc == 3 and "not issued by" in r.err, r


# ---------------------------------------------------------------- the offline responder

def resp_text(openssl, path):
    """openssl's dump (it exits 1 for error statuses, after printing)."""
    r = openssl("ocsp", "-respin", path, "-resp_text", "-noverify", check=False)
    return r.out + r.err


def test_respond_like_openssl(ocspkit, openssl, cas):
    ca = cas("p256")
    other = make_ca(ca.dir.parent / "interop-stranger", "p256", name="Stranger")
    root = ca.dir
    for name, req in [("ours", request(ocspkit, other, root / "s-req.der"))]:
        out = root / ("s-%s.der" % name)
        r = ocspkit("respond", "--index", ca.index, "--CA", ca.ca, "--rsigner", ca.responder, "--rkey",
                    ca.responder_key, "--reqin", req, "--respout", out)
        assert r.rc == 0, r
        assert "Responder Error: unauthorized (6)" in resp_text(openssl, out)
    junk = root / "s-junk.der"
    junk.write_bytes(b"\x30\x02\x05\x00")
    out = root / "s-malformed.der"
    r = ocspkit("respond", "-index", ca.index, "-CA", ca.ca, "-rsigner", ca.responder, "-rkey",
                ca.responder_key, "-reqin", junk, "-respout", out)
    assert r.rc == 0, r
    assert "Responder Error: malformedrequest (1)" in resp_text(openssl, out)

    # the same request answered by both: the same statuses, reasons, times
    req = root / "s-both-req.der"
    openssl("ocsp", "-issuer", ca.ca, "-cert", ca.leaves["good"].cert, "-cert", ca.leaves["revoked"].cert, "-serial", "0x1003",
            "-reqout", req)
    mine, theirs = root / "s-mine.der", root / "s-theirs.der"
    assert ocspkit("respond", "--index", ca.index, "--CA", ca.ca, "--rsigner", ca.responder, "--rkey",
                   ca.responder_key, "--reqin", req, "--respout", mine, "--ndays", "7").rc == 0
    ocsp_respond(openssl, ca, req, theirs, ca.responder, ca.responder_key)

    def statuses(text):
        keep = ("Cert Status", "Revocation Reason", "Revocation Time", "Serial Number", "OCSP Nonce",
                "Responder Id")
        return [l.strip() for l in text.splitlines() if l.strip().startswith(keep)]

    assert statuses(resp_text(openssl, mine)) == statuses(resp_text(openssl, theirs))

    # the certificates carried: the signer, --rother's, or none at all with
    # --no-certs, which leaves out --rother's too, as openssl does
    def cert_count(path):
        return resp_text(openssl, path).count("-----BEGIN CERTIFICATE-----")
    for extra, want in [((), 1), (("-rother", ca.ca), 2), (("-resp_no_certs",), 0),
                        (("-resp_no_certs", "-rother", ca.ca), 0)]:
        mine, theirs = root / "s-certs-mine.der", root / "s-certs-theirs.der"
        assert ocspkit("respond", "-index", ca.index, "-CA", ca.ca, "-rsigner", ca.responder, "-rkey",
                       ca.responder_key, "-reqin", req, "-respout", mine, *extra).rc == 0
        ocsp_respond(openssl, ca, req, theirs, ca.responder, ca.responder_key, *extra)
        assert (cert_count(mine), cert_count(theirs)) == (want, want), extra


# ---------------------------------------------------------------- signed requests

def verify_request_signature(req_der, cert_pem):
    """Checks a signed OCSPRequest with pyca/cryptography, independently of
    ocspkit and OpenSSL's ocsp code."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa

    top = der_split(der_content(req_der))
    tbs, sig_wrap = top[0], top[1]
    sig = der_split(der_content(der_content(sig_wrap)))
    alg_oid = der_content(der_split(der_content(sig[0]))[0])
    bits = der_content(sig[1])
    assert bits[0] == 0
    cert = x509.load_pem_x509_certificate(Path(cert_pem).read_bytes())
    key = cert.public_key()
    hashes_by_oid = {
        bytes.fromhex("2a8648ce3d040302"): hashes.SHA256(), bytes.fromhex("2a8648ce3d040303"): hashes.SHA384(),
        bytes.fromhex("2a8648ce3d040304"): hashes.SHA512(), bytes.fromhex("2a864886f70d01010b"): hashes.SHA256(),
    }
    if isinstance(key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
        key.verify(bits[1:], tbs)
    elif isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(bits[1:], tbs, ec.ECDSA(hashes_by_oid[alg_oid]))
    elif isinstance(key, rsa.RSAPublicKey):
        key.verify(bits[1:], tbs, padding.PKCS1v15(), hashes_by_oid[alg_oid])
    return tbs


@pytest.mark.parametrize("alg", ["rsa", "p384", "ed25519"])
def test_signed_requests(ocspkit, openssl, cas, alg):
    ca = cas(alg)
    root = ca.dir
    req = root / "sr-req.der"
    r = ocspkit("request", "--issuer", ca.ca, "--cert", ca.leaves["good"].cert, "--signer", ca.responder, "--sign-key",
                ca.responder_key, "--sign-other", ca.ca, "--out", req)
    assert r.rc == 0, r
    tbs = verify_request_signature(req.read_bytes(), ca.responder)
    # requestorName: [1] directoryName [4] the signer's subject
    assert der_split(der_content(tbs))[0][0] == 0xA1
    text = openssl("ocsp", "-reqin", req, "-req_text").out
    assert "Requestor Name: DirName:" in text and "Signature Algorithm" in text, text
    # the responder checks it, and answers
    out = root / "sr-resp.der"
    assert ocspkit("respond", "--index", ca.index, "--CA", ca.ca, "--rsigner", ca.ca, "--rkey", ca.ca_key,
                   "--reqin", req, "--respout", out).rc == 0
    assert "OCSP Response Status: successful" in resp_text(openssl, out)
    # a changed byte of tbsRequest: unauthorized
    data = bytearray(req.read_bytes())
    _, cs, _ = der_read(data)
    data[cs + len(tbs) - 1] ^= 1
    bad = root / "sr-bad.der"
    bad.write_bytes(bytes(data))
    r = ocspkit("respond", "--index", ca.index, "--CA", ca.ca, "--rsigner", ca.ca, "--rkey", ca.ca_key,
                "--reqin", bad, "--respout", out)
    assert r.rc == 0 and "OCSPKIT_E_SIGNATURE_INVALID" in r.err, r
    assert "unauthorized" in resp_text(openssl, out)


def test_openssl_signed_request_accepted(ocspkit, openssl, cas):
    ca = cas("p256")
    req = ca.dir / "osr-req.der"
    openssl("ocsp", "-issuer", ca.ca, "-cert", ca.leaves["good"].cert, "-signer", ca.responder, "-signkey", ca.responder_key,
            "-reqout", req)
    out = ca.dir / "osr-resp.der"
    r = ocspkit("respond", "--index", ca.index, "--CA", ca.ca, "--rsigner", ca.ca, "--rkey", ca.ca_key,
                "--reqin", req, "--respout", out)
    assert r.rc == 0 and r.err == "", r
    assert ocspkit("verify", "--issuer", ca.ca, "--request", req, out).rc == 0


def test_respond_index_reasons(ocspkit, openssl, cas):
    """Every revocation form `openssl ca` writes, answered as OpenSSL does
    (reason, time, invalidity date); an expired entry is still good."""
    ca = cas("p256")
    root = ca.dir
    index = root / "reasons-index.txt"
    entries = [
        (0x2001, "R", "240101000000Z,keyCompromise"),
        (0x2002, "R", "240101000000Z"),
        (0x2003, "R", "240215123000Z,certificateHold"),
        (0x2004, "R", "240301000000Z,keyTime,20240215000000Z"),
        (0x2005, "R", "240401000000Z,CAkeyTime,20240320101010Z"),
        (0x2006, "R", "200229000000Z,unspecified"),
        (0x2007, "R", "240501000000Z,removeFromCRL"),
        (0x2008, "V", ""),
    ]
    index.write_text("".join("%s\t301231000000Z\t%s\t%X\tunknown\t/CN=r%X\n" % (st, rev, s, s)
                             for s, st, rev in entries) + "E\t200101000000Z\t\t2009\tunknown\t/CN=old\n")
    req = root / "reasons-req.der"
    args = ["ocsp", "-issuer", ca.ca, "-no_nonce", "-reqout", req]
    for s, _, _ in entries:
        args += ["-serial", "0x%X" % s]
    openssl(*args)
    mine, theirs = root / "reasons-mine.der", root / "reasons-theirs.der"
    r = ocspkit("respond", "--index", index, "--CA", ca.ca, "--rsigner", ca.ca, "--rkey", ca.ca_key,
                "--reqin", req, "--respout", mine)
    assert r.rc == 0, r
    openssl("ocsp", "-index", index, "-CA", ca.ca, "-rsigner", ca.ca, "-rkey", ca.ca_key, "-reqin", req,
            "-respout", theirs)

    def answers(path):
        keep = ("Serial Number", "Cert Status", "Revocation Reason", "Revocation Time", "Invalidity Date")
        text = resp_text(openssl, path)
        # OpenSSL's "Invalidity Date:" is followed by the date on the next line
        out, it = [], iter(text.splitlines())
        for l in it:
            s = l.strip()
            if s.startswith(keep):
                out.append(s + (" " + next(it).strip() if s.startswith("Invalidity Date") else ""))
        return out

    assert answers(mine) == answers(theirs)
    assert "Invalidity Date: Feb 15 00:00:00 2024 GMT" in answers(mine)
    req_e = root / "reasons-req-e.der"
    openssl("ocsp", "-issuer", ca.ca, "-no_nonce", "-serial", "0x2009", "-reqout", req_e)
    out = root / "reasons-e.der"
    assert ocspkit("respond", "--index", index, "--CA", ca.ca, "--rsigner", ca.ca, "--rkey", ca.ca_key,
                   "--reqin", req_e, "--respout", out).rc == 0
    assert "Cert Status: good" in resp_text(openssl, out)
