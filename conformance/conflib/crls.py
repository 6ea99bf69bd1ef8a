"""CRLs made by the peers for the CRL cells (test_crl.py): `openssl ca
-gencrl` over an index filled by `openssl ca -revoke` with every reason
option it has, GnuTLS `certtool --generate-crl`, and pyca/cryptography's
CertificateRevocationListBuilder (every reason, every CRL extension,
indirect and delta CRLs), all issued by the intermediate CA of a
conflib.pki.Pki.  Each maker returns a Crl: its DER file, what made it, and
the certificate that verifies it."""

import datetime
import shutil
import subprocess
from pathlib import Path

from .pki import OPENSSL, pem_to_der, run_openssl, serial_hex

CERTTOOL = shutil.which("certtool")


class Crl:
    """lax: the error a strict decode gives, for a CRL the peer writes in a
    form only a tolerance flag lets through (None: strict DER)."""

    def __init__(self, cid, path, maker, issuer, pki, lax=None):
        self.id, self.path, self.maker, self.issuer, self.pki = cid, Path(path), maker, Path(issuer), pki
        self.lax = lax

    def __repr__(self):
        return "<Crl %s>" % self.id


# ------------------------------------------------------------------ openssl ca

CA_CNF = """[ca]
default_ca = ca_default
[ca_default]
dir = .
database = index.txt
new_certs_dir = .
certificate = int.pem
private_key = int.key
serial = serial
default_md = %(md)s
default_crl_days = 7
policy = pol
[pol]
commonName = supplied
[plain]
[exts]
authorityKeyIdentifier = keyid:always
issuingDistributionPoint = critical,@idp
freshestCRL = URI:http://crl.example/delta.crl
[idp]
fullname = URI:http://crl.example/int.crl
onlysomereasons = keyCompromise,CACompromise
onlyuser = TRUE
[delta]
authorityKeyIdentifier = keyid:always
2.5.29.27 = critical,DER:020101
"""

# every way `openssl ca -revoke` records a revocation (apps/ca.c): each
# -crl_reason, -crl_hold with each instruction, -crl_compromise,
# -crl_CA_compromise, and no reason at all
REVOCATIONS = [
    ["-crl_reason", "unspecified"], ["-crl_reason", "keyCompromise"], ["-crl_reason", "CACompromise"],
    ["-crl_reason", "affiliationChanged"], ["-crl_reason", "superseded"],
    ["-crl_reason", "cessationOfOperation"], ["-crl_reason", "certificateHold"],
    ["-crl_reason", "removeFromCRL"], ["-crl_hold", "holdInstructionNone"],
    ["-crl_hold", "holdInstructionCallIssuer"], ["-crl_hold", "holdInstructionReject"],
    ["-crl_compromise", "20240102030405Z"], ["-crl_CA_compromise", "20240203040506Z"], [],
]


def _ca_dir(pki, name, md):
    d = pki.dir / ("crl-" + name)
    d.mkdir()
    shutil.copy(pki.ca, d / "int.pem")
    shutil.copy(pki.ca_key, d / "int.key")
    (d / "ca.cnf").write_text(CA_CNF % {"md": md})
    (d / "index.txt").write_text("")
    (d / "index.txt.attr").write_text("unique_subject = no\n")
    return d


def _leaf(pki, d, serial):
    """A leaf certificate of the intermediate with this serial."""
    out = d / ("leaf-%X.pem" % serial)
    run_openssl("req", "-x509", "-in", pki.dir / "leaf.csr", "-CA", pki.ca, "-CAkey", pki.ca_key,
                "-set_serial", "0x%X" % serial, "-days", "30", "-out", out, cwd=d)
    return out


def openssl_crls(pki, md="sha256"):
    """CRLs of `openssl ca -gencrl` over one index: v2 with every
    revocation form and the CRL extensions openssl can write (a complete
    CRL, and one carrying a delta CRL indicator), v1 (revocations without
    reasons, no CRL number, no extensions), and one with no revocations."""
    out = []
    alg = pki.alg
    d = _ca_dir(pki, "openssl", md)
    (d / "crlnumber").write_text("1000\n")
    for i, opts in enumerate(REVOCATIONS):
        cert = _leaf(pki, d, 0x3000 + i)
        run_openssl("ca", "-config", "ca.cnf", "-revoke", cert, *opts, "-batch", cwd=d)
    for name, args in (("reasons", ["-crlexts", "plain"]), ("extensions", ["-crlexts", "exts"]),
                       ("delta", ["-crlexts", "delta"])):
        f = d / ("%s.crl" % name)
        run_openssl("ca", "-config", "ca.cnf", "-gencrl", *args, "-crlhours", "30", "-out", f.with_suffix(".pem"),
                    "-batch", cwd=d)
        run_openssl("crl", "-in", f.with_suffix(".pem"), "-outform", "DER", "-out", f)
        out.append(Crl("openssl-%s-%s" % (alg, name), f, "openssl", d / "int.pem", pki))
    # v1: no crlnumber file, no extensions, no reasons
    d1 = _ca_dir(pki, "openssl-v1", md)
    for i in range(3):
        cert = _leaf(pki, d1, (0x3100, 0x3101, 0x8123)[i])
        run_openssl("ca", "-config", "ca.cnf", "-revoke", cert, "-batch", cwd=d1)
    f = d1 / "v1.crl"
    run_openssl("ca", "-config", "ca.cnf", "-gencrl", "-out", f.with_suffix(".pem"), "-batch", cwd=d1)
    run_openssl("crl", "-in", f.with_suffix(".pem"), "-outform", "DER", "-out", f)
    out.append(Crl("openssl-%s-v1" % alg, f, "openssl", d1 / "int.pem", pki))
    d0 = _ca_dir(pki, "openssl-empty", md)
    (d0 / "crlnumber").write_text("01\n")
    f = d0 / "empty.crl"
    run_openssl("ca", "-config", "ca.cnf", "-gencrl", "-crlexts", "plain", "-out", f.with_suffix(".pem"), "-batch",
                cwd=d0)
    run_openssl("crl", "-in", f.with_suffix(".pem"), "-outform", "DER", "-out", f)
    out.append(Crl("openssl-%s-empty" % alg, f, "openssl", d0 / "int.pem", pki))
    return out


# ------------------------------------------------------------------ GnuTLS certtool

def certtool_crls(pki):
    """`certtool --generate-crl` (revocation dates set by certtool, no
    reasons; AKI and CRL number), with and without revoked certificates.
    Without any, certtool (3.7) writes an empty revokedCertificates list,
    which RFC 5280 5.1.2.6 says must be absent: ocspkit reads that one with
    OCSPKIT_DECODE_ALLOW_EMPTY_REVOKED_LIST (--lax)."""
    if not CERTTOOL:
        return []
    d = pki.dir / "crl-certtool"
    d.mkdir()
    certs = [_leaf(pki, d, s) for s in (0x4001, 0x4002, 0xC0FFEE01)]
    (d / "revoked.pem").write_text("".join(c.read_text() for c in certs))
    (d / "t.tmpl").write_text("crl_next_update = 7\ncrl_number = 42\n")
    (d / "t0.tmpl").write_text("crl_next_update = 1\ncrl_number = 43\n")
    out = []
    for name, extra, tmpl in (("revoked", ["--load-certificate", "revoked.pem"], "t.tmpl"), ("empty", [], "t0.tmpl")):
        pem = d / (name + "-crl.pem")
        p = subprocess.run([CERTTOOL, "--generate-crl", "--load-ca-privkey", str(pki.ca_key), "--load-ca-certificate",
                            str(pki.ca), *extra, "--template", tmpl, "--outfile", str(pem)], cwd=str(d),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        if p.returncode:
            raise AssertionError("certtool failed: %s" % p.stderr.decode(errors="replace"))
        f = d / (name + ".crl")
        f.write_bytes(pem_to_der(pem.read_text()))
        out.append(Crl("certtool-%s-%s" % (pki.alg, name), f, "certtool", pki.ca, pki,
                       lax="OCSPKIT_E_CRL_EMPTY_REVOKED_LIST" if name == "empty" else None))
    return out


# ------------------------------------------------------------------ pyca/cryptography

def pyca_crls(pki):
    """CertificateRevocationListBuilder: every reason (and none), invalidity
    dates, serials up to 20 octets, a hold instruction, the CRL extensions
    pyca writes; an indirect CRL (certificate issuers changing between
    entries); delta CRLs (DeltaCRLIndicator, removeFromCRL) and the
    complete CRL they update."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ed448, ed25519, rsa
    from cryptography.x509.oid import NameOID

    key = serialization.load_pem_private_key(pki.ca_key.read_bytes(), None)
    ca = x509.load_pem_x509_certificate(pki.ca.read_bytes())
    algo = None if isinstance(key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)) else hashes.SHA256()
    if isinstance(key, rsa.RSAPrivateKey) and pki.alg == "rsa-pss":
        return []  # pyca's CRL builder signs PKCS #1 v1.5 only
    now = datetime.datetime(2026, 3, 4, 5, 6, 7)
    d = pki.dir / "crl-pyca"
    d.mkdir()
    aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key())

    def entry(serial, when, *exts):
        b = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when)
        for e, crit in exts:
            b = b.add_extension(e, crit)
        return b.build()

    def build(name, entries, exts, last=now, next_=now + datetime.timedelta(days=7)):
        # (pyca's builder always writes nextUpdate)
        b = x509.CertificateRevocationListBuilder().issuer_name(ca.subject).last_update(last).next_update(next_)
        for e, crit in exts:
            b = b.add_extension(e, crit)
        for e in entries:
            b = b.add_revoked_certificate(e)
        f = d / (name + ".crl")
        f.write_bytes(b.sign(key, algo).public_bytes(serialization.Encoding.DER))
        return Crl("pyca-%s-%s" % (pki.alg, name), f, "pyca", pki.ca, pki)

    reasons = [r for r in x509.ReasonFlags if r != x509.ReasonFlags.unspecified] + [x509.ReasonFlags.unspecified]
    hold = x509.UnrecognizedExtension(x509.ObjectIdentifier("2.5.29.23"), bytes.fromhex("06072a8648ce380203"))
    every = [entry(0x5000 + i, now - datetime.timedelta(days=i + 1), (x509.CRLReason(r), False))
             for i, r in enumerate(reasons)]
    every += [entry(0x7A3F0011223344556677889900AABBCCDDEEFF01, now - datetime.timedelta(hours=3),
                    (x509.CRLReason(x509.ReasonFlags.key_compromise), False),
                    (x509.InvalidityDate(now - datetime.timedelta(days=30)), False)),
              entry(0xC0FFEE0123456789ABCDEF0123456789, now),
              entry(1, datetime.datetime(2050, 1, 1, 0, 0, 1),
                    (x509.CRLReason(x509.ReasonFlags.certificate_hold), False), (hold, False))]
    idp = x509.IssuingDistributionPoint(
        full_name=[x509.UniformResourceIdentifier("http://crl.example/pyca.crl")], relative_name=None,
        only_contains_user_certs=True, only_contains_ca_certs=False,
        only_some_reasons=frozenset([x509.ReasonFlags.key_compromise, x509.ReasonFlags.aa_compromise]),
        indirect_crl=False, only_contains_attribute_certs=False)
    fresh = x509.FreshestCRL([x509.DistributionPoint([x509.UniformResourceIdentifier("http://crl.example/d.crl")],
                                                     None, None, None)])
    out = [build("every-reason", every,
                 [(x509.CRLNumber(17), False), (aki, False), (idp, True), (fresh, False),
                  (x509.IssuerAlternativeName([x509.UniformResourceIdentifier("http://crl.example/")]), False)]),
           build("empty", [], [(x509.CRLNumber(19), False), (aki, False)])]
    # indirect: the CRL issuer's own entry, then two of another CA
    other = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Other CA %s" % pki.alg)])
    ind_idp = x509.IssuingDistributionPoint(
        full_name=[x509.UniformResourceIdentifier("http://crl.example/indirect.crl")], relative_name=None,
        only_contains_user_certs=False, only_contains_ca_certs=False, only_some_reasons=None, indirect_crl=True,
        only_contains_attribute_certs=False)
    out.append(build("indirect",
                     [entry(0x6001, now, (x509.CRLReason(x509.ReasonFlags.superseded), False)),
                      entry(0x6002, now, (x509.CertificateIssuer([x509.DirectoryName(other)]), True),
                            (x509.CRLReason(x509.ReasonFlags.key_compromise), False)),
                      entry(0x6001, now - datetime.timedelta(days=1))],
                     [(x509.CRLNumber(20), False), (ind_idp, True)]))
    # a complete CRL and its delta: the delta adds one entry and takes a
    # certificate off hold (removeFromCRL)
    base = [entry(0x6101, now - datetime.timedelta(days=2), (x509.CRLReason(x509.ReasonFlags.certificate_hold), False))]
    out.append(build("delta-base", base, [(x509.CRLNumber(30), False), (fresh, False)]))
    out.append(build("delta", [entry(0x6101, now, (x509.CRLReason(x509.ReasonFlags.remove_from_crl), False)),
                               entry(0x6102, now, (x509.CRLReason(x509.ReasonFlags.key_compromise), False))],
                     [(x509.CRLNumber(31), False), (x509.DeltaCRLIndicator(30), True)]))
    return out


# ------------------------------------------------------------------ CRLs for a responder (test_live_crl.py)

class OpensslCa:
    """An `openssl ca` directory over the PKI's intermediate for the live
    CRL cells: leaves entered as issued (`-valid`) or revoked (`-revoke`
    with any of its options), CRLs from `-gencrl` with a CRL number of our
    choosing and, for a delta CRL, the number of the complete CRL it
    updates (deltaCRLIndicator, in a -crlexts section)."""

    def __init__(self, pki, name, md="sha256"):
        self.pki = pki
        self.dir = _ca_dir(pki, name, md)
        # (CA_CNF names no crlnumber file: without this line openssl ca
        # writes no CRL number, whatever the directory holds)
        cnf = self.dir / "ca.cnf"
        cnf.write_text(cnf.read_text().replace("serial = serial\n", "serial = serial\ncrlnumber = crlnumber\n", 1))

    def leaf(self, serial):
        return _leaf(self.pki, self.dir, serial)

    def issue(self, serial):
        cert = self.leaf(serial)
        run_openssl("ca", "-config", "ca.cnf", "-valid", cert, "-batch", cwd=self.dir)
        return cert

    def revoke(self, serial, opts):
        cert = self.leaf(serial)
        run_openssl("ca", "-config", "ca.cnf", "-revoke", cert, *opts, "-batch", cwd=self.dir)
        return cert

    def gencrl(self, out, number, delta_of=None, hours=30):
        """The DER CRL number `number` of everything the index revoked,
        written to out."""
        (self.dir / "crlnumber").write_text(serial_hex(number) + "\n")
        section = "plain"
        if delta_of is not None:
            section = "delta%d" % delta_of
            base = der_integer(delta_of).hex()
            with open(self.dir / "ca.cnf", "a") as f:
                f.write("[%s]\nauthorityKeyIdentifier = keyid:always\n2.5.29.27 = critical,DER:%s\n" % (section, base))
        pem = Path(str(out) + ".pem")
        run_openssl("ca", "-config", "ca.cnf", "-gencrl", "-crlexts", section, "-crlhours", str(hours), "-out", pem,
                    "-batch", cwd=self.dir)
        Path(out).write_bytes(pem_to_der(pem.read_text()))
        return Path(out)


def der_integer(n):
    b = n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big")
    return bytes([0x02, len(b)]) + b


def pyca_crl(out, key_pem, issuer_pem, entries, number=None, last=None, next_=None, delta_of=None, idp=None):
    """A CRL by pyca/cryptography's CertificateRevocationListBuilder, signed
    with key_pem for the subject of issuer_pem, written to out (DER):
    entries are (serial, revocation date, reason name or None, invalidity
    date or None); reason names are pyca's ReasonFlags (key_compromise,
    certificate_hold, remove_from_crl, ...); idp an
    x509.IssuingDistributionPoint, marked critical."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ed448, ed25519

    key = serialization.load_pem_private_key(Path(key_pem).read_bytes(), None)
    issuer = x509.load_pem_x509_certificate(Path(issuer_pem).read_bytes())
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    b = x509.CertificateRevocationListBuilder().issuer_name(issuer.subject).last_update(last or now) \
        .next_update(next_ or now + datetime.timedelta(days=7))
    b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.public_key()), False)
    if number is not None:
        b = b.add_extension(x509.CRLNumber(number), False)
    if delta_of is not None:
        b = b.add_extension(x509.DeltaCRLIndicator(delta_of), True)
    if idp is not None:
        b = b.add_extension(idp, True)
    for serial, when, reason, invalid in entries:
        e = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when)
        if reason:
            e = e.add_extension(x509.CRLReason(x509.ReasonFlags[reason]), False)
        if invalid:
            e = e.add_extension(x509.InvalidityDate(invalid.replace(tzinfo=None)), False)
        b = b.add_revoked_certificate(e.build())
    algo = None if isinstance(key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)) else hashes.SHA256()
    Path(out).write_bytes(b.sign(key, algo).public_bytes(serialization.Encoding.DER))
    return Path(out)
