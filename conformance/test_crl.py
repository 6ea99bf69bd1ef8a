"""Cell 6, CRLs: CRLs written by `openssl ca -gencrl` (every revocation form
`openssl ca -revoke` records, v1 and v2, the CRL extensions openssl writes,
a delta CRL indicator), by GnuTLS `certtool --generate-crl` and by
pyca/cryptography's CertificateRevocationListBuilder (every reason,
invalidity dates, a hold instruction, long serials, indirect and delta
CRLs), read by `ocspkit print` and `ocspkit crl`:

- the text form line for line against `openssl crl -text -noout`;
- the JSON form field by field against what `openssl crl -text` shows and
  against pyca/cryptography's CRL loader;
- `ocspkit crl --issuer` (ocspkit_crl_verify) gives `openssl crl -verify
  -CAfile`'s verdict, on each CRL, tampered with, and with the wrong CA;
- `ocspkit crl --serial` finds every listed serial and no other;
- peer test data: the CRLs of NIST's PKITS and pyca's own CRL vectors
  (Debian's python3-cryptography-vectors, read in place) decode as
  expected and verify as OpenSSL says; ../shared/vectors files its
  MANIFEST.tsv calls CRLs, and the CRLs inside OpenSSL's x509 fuzz seeds
  there, are read without a crash, with OpenSSL's verdict recorded.

Test ids: <maker>-<alg>-<case>.
"""

import datetime
import json
import os
import re
from pathlib import Path

import pytest

from conftest import FULL, OCSPKIT_WRAPPER, need_peer, print_batch, run_openssl, sample_under_wrapper
from conflib import crls as C
from conflib.ocsptext import iso_of_openssl, parse_rfc4514

AREA = "crl"
HERE = Path(__file__).resolve().parent
SRCDIR = Path(os.environ.get("OCSPKIT_SRCDIR") or HERE.parent)
VECTORS = Path(os.environ.get("OCSPKIT_VECTORS") or SRCDIR.parent / "shared" / "vectors")
PYCA_X509 = Path("/usr/lib/python3/dist-packages/cryptography_vectors/x509")

ALGS = ["p256", "rsa-pss", "ed25519"] + (["rsa", "p384", "ed448"] if FULL else [])
CERTTOOL_ALGS = ["p256", "ed25519"] + (["rsa"] if FULL else [])
PYCA_ALGS = ["p256", "ed25519"] + (["rsa", "p384"] if FULL else [])

# what each maker writes, for the ids pytest collects before the fixture runs
IDS = (["openssl-%s-%s" % (a, c) for a in ALGS for c in ("reasons", "extensions", "delta", "v1", "empty")] +
       ["certtool-%s-%s" % (a, c) for a in CERTTOOL_ALGS for c in ("revoked", "empty")] +
       ["pyca-%s-%s" % (a, c) for a in PYCA_ALGS
        for c in ("every-reason", "empty", "indirect", "delta-base", "delta")])


class Corpus:
    pass


@pytest.fixture(scope="module")
def corpus(pki, workdir, record):
    c = Corpus()
    c.crls = {}
    for alg in sorted(set(ALGS) | set(CERTTOOL_ALGS) | set(PYCA_ALGS)):
        p = pki(alg)
        made = []
        if alg in ALGS:
            made += C.openssl_crls(p)
        if alg in CERTTOOL_ALGS:
            made += C.certtool_crls(p)
        if alg in PYCA_ALGS:
            try:
                made += C.pyca_crls(p)
            except ImportError:
                pass
        for crl in made:
            c.crls[crl.id] = crl
    ids = list(c.crls)
    got = print_batch([c.crls[i].path for i in ids])
    c.strict = {i: g for i, g in zip(ids, got)}
    lax = [i for i in ids if c.crls[i].lax]
    c.json = dict(c.strict)
    c.json.update(zip(lax, print_batch([c.crls[i].path for i in lax], lax=True)))
    record("crl", {"crls": sorted(ids), "lax": lax})
    return c


def _crl(corpus, cid):
    if cid not in corpus.crls:
        if cid.startswith("certtool-"):
            need_peer("certtool")
        pytest.skip("not made in this run: %s" % cid)
    return corpus.crls[cid]


def _json(corpus, cid):
    obj, err = corpus.json[cid]
    assert obj is not None, "ocspkit print refused %s: %s" % (cid, err)
    return obj


def _lax(crl):
    return ["--lax"] if crl.lax else []


@pytest.mark.parametrize("cid", IDS)
def test_decodes_strictly(cid, corpus):
    """Each peer's CRL decodes strictly; the forms a peer writes against RFC 5280 are refused with their error and read with --lax."""
    crl = _crl(corpus, cid)
    obj, err = corpus.strict[cid]
    if crl.lax:
        assert obj is None and err[0] == crl.lax, err
        assert corpus.json[cid][0] is not None
    else:
        assert obj is not None, err


# ------------------------------------------------------------------ OpenSSL's text

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
REASON_TEXT = {"Unspecified": "unspecified", "Key Compromise": "keyCompromise", "CA Compromise": "cACompromise",
               "Affiliation Changed": "affiliationChanged", "Superseded": "superseded",
               "Cessation Of Operation": "cessationOfOperation", "Certificate Hold": "certificateHold",
               "Remove From CRL": "removeFromCRL", "Privilege Withdrawn": "privilegeWithdrawn",
               "AA Compromise": "aACompromise"}
HOLD_OIDS = {"Hold Instruction None": "1.2.840.10040.2.1", "Hold Instruction Call Issuer": "1.2.840.10040.2.2",
             "Hold Instruction Reject": "1.2.840.10040.2.3"}


def normalize_openssl(text):
    """OpenSSL's text with its one layout fault undone: the list of
    GeneralNames of a distribution point does not end its last line, so
    the next field follows on it after the indentation; and no blank
    lines (OpenSSL's ends some extension values with two newlines)."""
    text = re.sub(r"^( {18}\S.*?) {16}(\S)", lambda m: m.group(1) + "\n" + " " * 16 + m.group(2), text, flags=re.M)
    return [line for line in text.splitlines() if line.strip()]


def parse_openssl(text):
    """The fields of `openssl crl -text -noout`."""
    d = {"entries": [], "crl_exts": {}}
    cur = None
    section = "head"
    ext = None
    for line in normalize_openssl(text):
        st = line.strip()
        ind = len(line) - len(line.lstrip(" "))
        if line.startswith("Revoked Certificates:") or line.startswith("No Revoked Certificates."):
            section = "entries"
            continue
        if line.startswith("    Signature Algorithm:") and section == "entries":
            section = "sig"
            continue
        if section == "head":
            if st.startswith("Version "):
                d["version"] = int(st.split()[1])
            elif st.startswith("Signature Algorithm:"):
                d["sigalg"] = st.split(":", 1)[1].strip()
            elif st.startswith("Last Update:"):
                d["this_update"] = iso_of_openssl(st.split(":", 1)[1].strip())
            elif st.startswith("Next Update:"):
                v = st.split(":", 1)[1].strip()
                d["next_update"] = None if v == "NONE" else iso_of_openssl(v)
            elif ind == 12:
                ext = st.rsplit(":", 1)[0]
                d["crl_exts"][ext] = []
            elif ind >= 16 and ext:
                d["crl_exts"][ext].append(st)
        elif section == "entries":
            if st.startswith("Serial Number:"):
                cur = {"serial": st.split(":", 1)[1].strip().lower(), "exts": {}}
                d["entries"].append(cur)
                ext = None
            elif st.startswith("Revocation Date:"):
                cur["date"] = iso_of_openssl(st.split(":", 1)[1].strip())
            elif ind == 12:
                ext = st.rsplit(":", 1)[0]
                cur["exts"][ext] = []
            elif ind >= 16 and ext:
                cur["exts"][ext].append(st)
    return d


def openssl_text(crl):
    return run_openssl("crl", "-inform", "DER", "-in", crl.path, "-text", "-noout").out


def ocspkit_text(ocspkit, crl):
    r = ocspkit("print", *_lax(crl), crl.path)
    assert r.rc == 0, r
    return r.out


def serial_int(h):
    return int(h, 16) if not h.startswith("-") else -int(h[1:], 16)


@pytest.mark.parametrize("cid", IDS)
def test_text_matches_openssl(cid, corpus, ocspkit):
    """ocspkit print shows every line openssl crl -text -noout shows (OpenSSL's unended GeneralNames lines undone)."""
    crl = _crl(corpus, cid)
    ours = [line for line in ocspkit_text(ocspkit, crl).splitlines() if line.strip()]
    theirs = normalize_openssl(openssl_text(crl))
    assert ours == theirs


@pytest.mark.parametrize("cid", IDS)
def test_json_matches_openssl(cid, corpus):
    """ocspkit print --json reads the values openssl crl -text shows: version, times, numbers, every entry's serial, date, reason, invalidity date, hold instruction."""
    crl = _crl(corpus, cid)
    j = _json(corpus, cid)
    o = parse_openssl(openssl_text(crl))
    assert j["type"] == "crl"
    assert j["version"] == o["version"]
    assert j["signatureAlgorithm"] == o["sigalg"]
    assert j["thisUpdate"] == o["this_update"]
    assert j["nextUpdate"] == o["next_update"]
    num = o["crl_exts"].get("X509v3 CRL Number")
    assert (j["crlNumber"] is None) == (num is None)
    if num:
        assert int(j["crlNumber"], 16) == int(num[0], 0)
    delta = o["crl_exts"].get("X509v3 Delta CRL Indicator")
    assert (j["deltaCRLIndicator"] is None) == (delta is None)
    if delta:
        assert int(j["deltaCRLIndicator"], 16) == int(delta[0], 0)
    aki = o["crl_exts"].get("X509v3 Authority Key Identifier")
    if aki:
        kid = aki[0].split("keyid:")[-1].replace(":", "").lower()
        assert j["authorityKeyIdentifier"]["keyIdentifier"] == kid
    idp = o["crl_exts"].get("X509v3 Issuing Distribution Point")
    assert (j["issuingDistributionPoint"] is None) == (idp is None)
    if idp:
        i = j["issuingDistributionPoint"]
        assert i["onlyContainsUserCerts"] == ("Only User Certificates" in idp)
        assert i["indirectCRL"] == ("Indirect CRL" in idp)
        assert (i["fullName"] or []) == [line for line in idp if ":" in line and not line.endswith(":")
                                         and "," not in line]
    assert len(j["crlExtensions"]) == len(o["crl_exts"])
    assert len(j["revokedCertificates"]) == len(o["entries"])
    for e, oe in zip(j["revokedCertificates"], o["entries"]):
        assert serial_int(e["serialNumber"]) == serial_int(oe["serial"])
        assert e["revocationDate"] == oe["date"]
        reason = oe["exts"].get("X509v3 CRL Reason Code")
        assert e["reason"] == (REASON_TEXT[reason[0]] if reason else None)
        inval = oe["exts"].get("Invalidity Date")
        assert e["invalidityDate"] == (iso_of_openssl(inval[0]) if inval else None)
        hold = oe["exts"].get("Hold Instruction Code")
        assert e["holdInstructionCode"] == (HOLD_OIDS[hold[0]] if hold else None)
        assert len(e["extensions"]) == len(oe["exts"])


# ------------------------------------------------------------------ pyca's reading

def _iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


PYCA_REASON = {"unspecified": "unspecified", "key_compromise": "keyCompromise", "ca_compromise": "cACompromise",
               "affiliation_changed": "affiliationChanged", "superseded": "superseded",
               "cessation_of_operation": "cessationOfOperation", "certificate_hold": "certificateHold",
               "remove_from_crl": "removeFromCRL", "privilege_withdrawn": "privilegeWithdrawn",
               "aa_compromise": "aACompromise"}


def _gn(g):
    """A pyca GeneralName as ocspkit writes one (URI:, DNS:, email:; names compared parsed)."""
    from cryptography import x509
    if isinstance(g, x509.UniformResourceIdentifier):
        return "URI:" + g.value
    if isinstance(g, x509.DNSName):
        return "DNS:" + g.value
    if isinstance(g, x509.RFC822Name):
        return "email:" + g.value
    if isinstance(g, x509.DirectoryName):
        return ("DirName", parse_rfc4514(g.value.rfc4514_string()))
    return repr(g)


def _ours_gn(s):
    from conflib.ocsptext import parse_oneline
    if s.startswith("DirName:"):
        return ("DirName", parse_oneline(s[len("DirName:"):]))
    return s


def _ext(crl_or_entry, oid):
    for e in crl_or_entry.extensions:
        if e.oid.dotted_string == oid:
            return e
    return None


@pytest.mark.parametrize("cid", IDS)
def test_json_matches_pyca(cid, corpus):
    """Every field ocspkit print --json reads equals what pyca/cryptography's CRL loader reads."""
    need_peer("pyca")
    from cryptography import x509
    crl = _crl(corpus, cid)
    j = _json(corpus, cid)
    y = x509.load_der_x509_crl(crl.path.read_bytes())
    assert parse_rfc4514(j["issuer"]) == parse_rfc4514(y.issuer.rfc4514_string())
    assert j["thisUpdate"] == _iso(y.last_update)
    assert j["nextUpdate"] == (_iso(y.next_update) if y.next_update else None)
    assert bytes.fromhex(j["signature"]) == y.signature
    e = _ext(y, "2.5.29.20")
    assert (j["crlNumber"] is None) == (e is None)
    if e:
        assert int(j["crlNumber"], 16) == e.value.crl_number
    e = _ext(y, "2.5.29.27")
    assert (j["deltaCRLIndicator"] is None) == (e is None)
    if e:
        assert int(j["deltaCRLIndicator"], 16) == e.value.crl_number
    e = _ext(y, "2.5.29.35")
    if e:
        a = j["authorityKeyIdentifier"]
        assert bytes.fromhex(a["keyIdentifier"]) == e.value.key_identifier
    e = _ext(y, "2.5.29.28")
    assert (j["issuingDistributionPoint"] is None) == (e is None)
    if e:
        i, v = j["issuingDistributionPoint"], e.value
        assert i["onlyContainsUserCerts"] == v.only_contains_user_certs
        assert i["onlyContainsCACerts"] == v.only_contains_ca_certs
        assert i["indirectCRL"] == v.indirect_crl
        assert i["onlyContainsAttributeCerts"] == v.only_contains_attribute_certs
        assert [_ours_gn(g) for g in (i["fullName"] or [])] == [_gn(g) for g in (v.full_name or [])]
        want = None if v.only_some_reasons is None else sorted(
            PYCA_REASON[r.name].replace("unspecified", "unused") for r in v.only_some_reasons)
        assert (sorted(i["onlySomeReasons"]) if i["onlySomeReasons"] is not None else None) == want
    e = _ext(y, "2.5.29.46")
    assert (j["freshestCRL"] is None) == (e is None)
    if e:
        assert len(j["freshestCRL"]) == len(e.value)
        for dp, v in zip(j["freshestCRL"], e.value):
            assert [_ours_gn(g) for g in (dp["fullName"] or [])] == [_gn(g) for g in (v.full_name or [])]
    assert len(j["crlExtensions"]) == len(y.extensions)
    entries = list(y)
    assert len(j["revokedCertificates"]) == len(entries)
    for je, ye in zip(j["revokedCertificates"], entries):
        assert serial_int(je["serialNumber"]) == ye.serial_number
        assert je["revocationDate"] == _iso(ye.revocation_date)
        r = _ext(ye, "2.5.29.21")
        assert je["reason"] == (PYCA_REASON[r.value.reason.name] if r else None)
        inv = _ext(ye, "2.5.29.24")
        assert je["invalidityDate"] == (_iso(inv.value.invalidity_date) if inv else None)
        ci = _ext(ye, "2.5.29.29")
        if ci:
            assert [_ours_gn(g) for g in je["certificateIssuer"]] == [_gn(g) for g in ci.value]
        assert len(je["extensions"]) == len(ye.extensions)


@pytest.mark.parametrize("cid", [i for i in IDS if "indirect" in i])
def test_indirect_entries_belong_to_their_issuer(cid, corpus):
    """In an indirect CRL each entry carries the certificate issuer in effect (RFC 5280 5.3.3): pyca's CertificateIssuer of that entry or of the nearest earlier one."""
    need_peer("pyca")
    from cryptography import x509
    crl = _crl(corpus, cid)
    j = _json(corpus, cid)
    y = x509.load_der_x509_crl(crl.path.read_bytes())
    in_effect = None
    for je, ye in zip(j["revokedCertificates"], y):
        ci = _ext(ye, "2.5.29.29")
        if ci:
            in_effect = [_gn(g) for g in ci.value]
        assert ([_ours_gn(g) for g in je["certificateIssuer"]] if je["certificateIssuer"] else None) == in_effect
    assert in_effect is not None


# ------------------------------------------------------------------ verification

def ocspkit_verdict(ocspkit, crl_path, issuer, lax=()):
    r = ocspkit("crl", *lax, "--issuer", issuer, crl_path)
    assert r.rc in (0, 2), r
    return r.rc == 0, r


def openssl_verdict(crl_path, issuer):
    r = run_openssl("crl", "-inform", "DER", "-in", crl_path, "-verify", "-noout", "-CAfile", issuer, check=False)
    return r.rc == 0 and "verify OK" in (r.out + r.err), r


@pytest.mark.parametrize("cid", IDS)
def test_verify_matches_openssl(cid, corpus, ocspkit, workdir):
    """ocspkit crl --issuer gives openssl crl -verify -CAfile's verdict: the issuing CA verifies it, the root does not, a changed signature does not."""
    crl = _crl(corpus, cid)
    ours, r = ocspkit_verdict(ocspkit, crl.path, crl.issuer, _lax(crl))
    theirs, o = openssl_verdict(crl.path, crl.issuer)
    assert ours and theirs, (r, o)
    ours, r = ocspkit_verdict(ocspkit, crl.path, crl.pki.root, _lax(crl))
    theirs, o = openssl_verdict(crl.path, crl.pki.root)
    assert not ours and not theirs, (r, o)
    assert "OCSPKIT_E_CRL_ISSUER_MISMATCH" in r.err
    bad = workdir / ("%s-tampered.crl" % cid)
    der = bytearray(crl.path.read_bytes())
    der[-3] ^= 0x01  # inside the signature
    bad.write_bytes(bytes(der))
    ours, r = ocspkit_verdict(ocspkit, bad, crl.issuer, _lax(crl))
    theirs, o = openssl_verdict(bad, crl.issuer)
    assert ours == theirs == False, (r, o)  # noqa: E712


@pytest.mark.parametrize("cid", IDS)
def test_lookup_finds_every_listed_serial(cid, corpus, ocspkit):
    """ocspkit crl --serial finds each serial the CRL lists (of the CRL issuer), with its date and reason, and no serial it does not list."""
    crl = _crl(corpus, cid)
    j = _json(corpus, cid)
    own = [e for e in j["revokedCertificates"] if not e["certificateIssuer"]]
    serials = [e["serialNumber"] for e in own][:60]
    args = []
    for s in serials + ["7f0102030405060708"]:
        args += ["--serial", s]
    r = ocspkit("crl", *_lax(crl), *args, crl.path)
    assert r.rc == (1 if serials else 0), r
    lines = dict(line.split(": ", 1) for line in r.out.splitlines())
    for e in own[:60]:
        want = "revoked " + e["revocationDate"] + ((" " + e["reason"]) if e["reason"] else "")
        # a serial listed twice is answered from its first entry
        first = next(x for x in own if x["serialNumber"] == e["serialNumber"])
        assert lines[e["serialNumber"]] == "revoked " + first["revocationDate"] + (
            (" " + first["reason"]) if first["reason"] else ""), want
    assert lines["7f0102030405060708"] == "not listed"


# ------------------------------------------------------------------ peer test data

PKITS_CERT = {"TrustAnchorRootCRL.crl": "TrustAnchorRootCertificate.crt"}
# PKITS CRLs ocspkit refuses to decode, and why (the others decode strictly)
PKITS_REFUSED = {
    "BadCRLSignatureCACRL.crl": "OCSPKIT_E_BAD_SIGNATURE_BITS",  # its signature BIT STRING has an unused bit
    "NegativeSerialNumberCACRL.crl": "OCSPKIT_E_NEGATIVE_SERIAL",  # decodes with --lax
}


def _pkits():
    d = PYCA_X509 / "PKITS_data"
    if not (d / "crls").is_dir():
        pytest.skip("peer test data missing: %s (Debian: python3-cryptography-vectors)" % d)
    return d


def test_pkits_crls_decode(record):
    """NIST PKITS's CRLs (173) decode strictly but for two, each refused for a reason ocspkit names: a signature with unused bits, a negative serial number (accepted with --lax)."""
    d = _pkits()
    files = sorted((d / "crls").glob("*.crl"))
    got = print_batch(files)
    refused = {f.name: err[0] for f, (obj, err) in zip(files, got) if obj is None}
    assert refused == PKITS_REFUSED
    lax = print_batch([d / "crls" / "NegativeSerialNumberCACRL.crl"], lax=True)
    assert lax[0][0] is not None and lax[0][0]["revokedCertificates"][0]["serialNumber"].startswith("-")
    record("crl_pkits", {"files": len(files), "refused": refused})


def test_pkits_verify_matches_openssl(ocspkit, workdir, record):
    """Each PKITS CRL checked against the certificate of its issuer gives openssl crl -verify's verdict (but where ocspkit refuses the CRL itself, or is stricter than openssl's verify, which checks the signature alone)."""
    d = _pkits()
    if OCSPKIT_WRAPPER and not FULL:
        pytest.skip("under OCSPKIT_WRAPPER this cell runs with CONFORMANCE_FULL=1 only (two runs per CRL)")
    rows, differ = [], []
    for f in sorted((d / "crls").glob("*.crl")):
        cert = d / "certs" / PKITS_CERT.get(f.name, f.name[:-len("CRL.crl")] + "Cert.crt")
        if not cert.exists():
            continue
        r = ocspkit("crl", "--issuer", cert, f)
        if r.rc == 3:  # the issuer's certificate itself is refused (PKITS has some)
            rows.append((f.name, None, None, r.err.strip()))
            continue
        assert r.rc in (0, 2), r
        ours = r.rc == 0
        pem = workdir / (cert.name + ".pem")  # -CAfile reads PEM; PKITS's certificates are DER
        run_openssl("x509", "-inform", "DER", "-in", cert, "-out", pem)
        theirs, _ = openssl_verdict(f, pem)
        rows.append((f.name, ours, theirs, r.err.strip()))
        if ours != theirs and f.name not in PKITS_REFUSED:
            differ.append("%s: ocspkit %s (%s), openssl %s" % (f.name, ours, r.err.strip(), theirs))
    record("crl_pkits_verify", rows)
    assert len(rows) > 100
    # Where the verdicts differ, and why: `openssl crl -verify` checks the
    # signature alone, ocspkit_crl_verify whether the CRL may be used
    allowed = {
        "keyUsageCriticalcRLSignFalseCACRL.crl": "OCSPKIT_E_CRL_SIGNER_NO_CRL_SIGN",
        "keyUsageNotCriticalcRLSignFalseCACRL.crl": "OCSPKIT_E_CRL_SIGNER_NO_CRL_SIGN",
        "UnknownCRLEntryExtensionCACRL.crl": "OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION",
        "UnknownCRLExtensionCACRL.crl": "OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION",
        # names are compared as DER octets; OpenSSL compares them canonicalized
        # (a PrintableString issuer, a UTF8String subject: RFC 5280 7.1)
        "RolloverfromPrintableStringtoUTF8StringCACRL.crl": "OCSPKIT_E_CRL_ISSUER_MISMATCH",
        "DSACACRL.crl": "OCSPKIT_E_UNSUPPORTED_ALGORITHM",  # ocspkit implements no DSA
    }
    unexpected = [line for line in differ if not any(line.startswith(n + ":") and allowed[n] in line
                                                     for n in allowed)]
    assert not unexpected, "\n".join(unexpected)
    assert len(differ) == len(allowed), "\n".join(differ)


PYCA_CUSTOM = {
    # pyca's hand-made CRLs, and what ocspkit says of each
    "crl_all_reasons.pem": "OCSPKIT_E_CRL_TIME_FORM",  # GeneralizedTime in 2015 (RFC 5280 5.1.2.4)
    "crl_dup_entry_ext.pem": "OCSPKIT_E_CRL_TIME_FORM",
    "crl_inval_cert_issuer_entry_ext.pem": "OCSPKIT_E_CRL_TIME_FORM",
    "crl_md2_unknown_crit_entry_ext.pem": "OCSPKIT_E_CRL_TIME_FORM",
    "crl_unsupported_reason.pem": "OCSPKIT_E_CRL_TIME_FORM",
    "crl_bad_version.pem": "OCSPKIT_E_UNSUPPORTED_VERSION",
    "crl_invalid_time.der": "OCSPKIT_E_DER_BAD_TIME",
    "crl_almost_10k.pem": None, "crl_delta_crl_indicator.pem": None, "crl_empty.pem": None,
    "crl_empty_no_sequence.der": None, "crl_ian_aia_aki.pem": None, "crl_idp_fullname_indirect_crl.pem": None,
    "crl_idp_fullname_only.pem": None, "crl_idp_fullname_only_aa.pem": None, "crl_idp_fullname_only_user.pem": None,
    "crl_idp_only_ca.pem": None, "crl_idp_reasons_only.pem": None, "crl_idp_relative_user_all_reasons.pem": None,
    "crl_idp_relativename_only.pem": None, "crl_no_next_update.pem": None, "crl_unrecognized_extension.der": None,
    "invalid_signature_crl.pem": None, "valid_signature_crl.pem": None,
}


def test_pyca_custom_crls(record):
    """pyca/cryptography's own CRL vectors decode (or are refused) as listed, with the error named; the accepted ones read as pyca reads them (serials, reasons, times)."""
    d = PYCA_X509 / "custom"
    if not d.is_dir():
        pytest.skip("peer test data missing: %s (Debian: python3-cryptography-vectors)" % d)
    files = [d / n for n in sorted(PYCA_CUSTOM)]
    got = print_batch(files)
    for f, (obj, err) in zip(files, got):
        assert (err[0] if err else None) == PYCA_CUSTOM[f.name], f.name
        if obj is None:
            continue
        try:
            from cryptography import x509
        except ImportError:
            continue
        data = f.read_bytes()
        y = x509.load_pem_x509_crl(data) if f.suffix == ".pem" else x509.load_der_x509_crl(data)
        assert [serial_int(e["serialNumber"]) for e in obj["revokedCertificates"]] == [e.serial_number for e in y]
        assert obj["thisUpdate"] == _iso(y.last_update)
    record("crl_pyca_custom", {n: v for n, v in PYCA_CUSTOM.items()})


def _manifest_rows():
    m = VECTORS / "MANIFEST.tsv"
    if not m.is_file():
        pytest.skip("peer vectors missing: no %s (set OCSPKIT_VECTORS)" % m)
    rows = []
    for line in m.read_text().splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) >= 4:
            rows.append(cols)
    return rows


def _elements(data):
    """The DER elements one after another in data (as far as they parse)."""
    from conflib import der as D
    out, off = [], 0
    while off < len(data):
        try:
            end = D.read_header(data, off, len(data))[5]
        except (D.DerError, ValueError, IndexError):
            break
        out.append(data[off:end])
        off = end
    return out


def test_shared_vectors_crls(workdir, record):
    """../shared/vectors: every file MANIFEST.tsv calls a CRL decodes as it says, and the CRL inside each OpenSSL x509 fuzz seed (certificate, issuer, CRL, response) is read without a crash; OpenSSL's verdicts recorded."""
    rows = _manifest_rows()
    crl_rows = [r for r in rows if r[1].lower() in ("crl", "x509-crl")]
    seeds = [r for r in rows if r[0].startswith("openssl-fuzz-x509/")]
    files, kinds = [], []
    for r in crl_rows:
        files.append(VECTORS / r[0])
        kinds.append("crl")
    d = workdir / "fuzz-seed-crls"
    d.mkdir(exist_ok=True)
    for r in seeds:
        els = _elements((VECTORS / r[0]).read_bytes())
        if len(els) >= 3:
            f = d / (Path(r[0]).name + ".crl")
            f.write_bytes(els[2])
            files.append(f)
            kinds.append("seed")
    if not files:
        pytest.skip("MANIFEST.tsv lists no CRL and no OpenSSL x509 fuzz seed")
    got = print_batch(files)
    verdicts = []
    for f, k, (obj, err) in zip(files, kinds, got):
        o = run_openssl("crl", "-inform", "DER", "-in", f, "-noout", check=False).rc == 0
        verdicts.append({"file": f.name, "kind": k, "ocspkit": "accept" if obj else err[0], "openssl": o})
    record("crl_shared_vectors", verdicts)
    for r, (obj, err) in zip(crl_rows, got):
        if r[3].startswith("valid"):
            assert obj is not None, (r[0], err)
