"""The one PKI fixture of the Python tests (conformance/ and tests/, whose
conftest.py and ocsp_helpers.py take it from here).

Fresh PKIs made with the openssl command, one per key type: a root CA,
an intermediate CA issued by it, a delegated OCSP responder (id-kp-
OCSPSigning) issued by the intermediate, leaf certificates issued by the
intermediate (good ones, revoked ones with every reason `openssl ca`
writes, and one that was never entered in the index), and the OpenSSL CA
index of each CA.  The root's index lists the intermediate.

Options, for what some tests need: chain=False, one level (the root
issues the responder and the leaves); leaves, other leaves than LEAVES
(none: the tests add them with issue(), with an OCSP URL, must-staple,
names a TLS client checks; other responders, of their own keys, validity
or issuer); subjects, other names than SUBJECTS; rogue(), a CA of the
CA's name with another key.
"""

import datetime
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from . import der as D

OPENSSL = os.environ.get("OPENSSL") or shutil.which("openssl") or "openssl"

GENPKEY = {
    "rsa": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    "rsa-pss": ["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"],
    "p256": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    "p384": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
    "p521": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
    "ed25519": ["-algorithm", "ED25519"],
    "ed448": ["-algorithm", "ED448"],
}
# The six of the issue, and P-521 (kept from the signing tests it replaces).
ALGS = ["rsa", "rsa-pss", "p256", "p384", "p521", "ed25519", "ed448"]

# Names with something to get wrong: UTF-8, escapes, multi-valued RDNs.
SUBJECTS = {
    "rsa": ("/C=US/O=Example, Inc./CN=ocspkit Conformance RSA Root",
            "/C=US/O=Example, Inc./OU=Issuing/CN=RSA Intermediate",
            "/C=US/O=Example, Inc./CN=RSA OCSP Responder"),
    "p256": ("/C=DE/O=Beispiel GmbH/CN=ocspkit Conformance P-256 Root",
             "/C=DE/O=Beispiel GmbH/OU=PKI/CN=P-256 Zwischen-CA",
             "/C=DE/O=Beispiel GmbH/OU=PKI/CN=P-256 OCSP Responder/emailAddress=ocsp@example.de"),
    "ed25519": ("/C=FR/O=Soci\u00e9t\u00e9 G\u00e9n\u00e9rale/CN=ocspkit Conformance Ed25519 Root",
                "/C=FR/O=Soci\u00e9t\u00e9 G\u00e9n\u00e9rale/CN=Ed25519 Interm\u00e9diaire",
                '/C=FR/O=Soci\u00e9t\u00e9/OU=R\\+D "lab" #1/CN=Resp, Ed+UID=u1'),
}

# (name, serial, index revocation field or None) of the intermediate's leaves
LEAVES = [
    ("good", 0x1001, None),
    ("good-big", 0xC0FFEE0123456789ABCDEF0123456789, None),  # high bit: encoded with a 00
    ("good-20", 0x7A3F0011223344556677889900AABBCCDDEEFF01, None),  # 20 octets
    ("keycompromise", 0x1002, "240101000000Z,keyCompromise"),
    ("hold", 0x1003, "240215123000Z,certificateHold"),
    ("superseded", 0x1004, "230630235959Z,superseded"),
    ("cessation", 0x1005, "221111111111Z,cessationOfOperation"),
    ("noreason", 0x1006, "240101000000Z"),
    ("keytime", 0x1007, "240301000000Z,keyTime,20240215000000Z"),
    ("unspecified", 0x1008, "200229000000Z,unspecified"),
    ("affiliation", 0x1009, "250101000000Z,affiliationChanged"),
    ("cakeytime", 0x100A, "240401000000Z,CAkeyTime,20240320101010Z"),
    ("removefromcrl", 0x100B, "240501000000Z,removeFromCRL"),
]
NEVER_ISSUED = ("never-issued", 0xDEAD)  # a certificate the index does not know
REVOKED = [n for n, _, r in LEAVES if r]

# The CRLReason OpenSSL reports for each index reason
REASON_OF_INDEX = {
    "unspecified": "unspecified", "keyCompromise": "keyCompromise", "CACompromise": "cACompromise",
    "affiliationChanged": "affiliationChanged", "superseded": "superseded",
    "cessationOfOperation": "cessationOfOperation", "certificateHold": "certificateHold",
    "removeFromCRL": "removeFromCRL", "keyTime": "keyCompromise", "CAkeyTime": "cACompromise",
}

EXT = {
    "ca": "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\n"
          "subjectKeyIdentifier=hash\n",
    "int": "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\n"
           "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
    "responder": "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                 "extendedKeyUsage=OCSPSigning\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
    "leaf": "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
}
CNF = "[req]\ndistinguished_name=dn\nstring_mask=utf8only\n[dn]\n[v3]\n"


def run_openssl(*args, cwd=None, input=None, check=True):
    p = subprocess.run([OPENSSL] + [str(a) for a in args], cwd=cwd, input=input, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    if check and p.returncode:
        raise AssertionError("openssl %s failed (%d):\n%s%s" % (
            " ".join(map(str, args)), p.returncode, p.stdout.decode(errors="replace"),
            p.stderr.decode(errors="replace")))
    return p


def serial_hex(n):
    h = "%X" % n
    return "0" + h if len(h) % 2 else h


def even_hex(n):
    h = "%x" % n
    return "0" + h if len(h) % 2 else h


def pem_to_der(text):
    return __import__("base64").b64decode("".join(text.split("-----")[2].split()))


class Leaf:
    def __init__(self, name, serial, revinfo, cert):
        self.name, self.serial, self.revinfo, self.cert = name, serial, revinfo, cert

    @property
    def status(self):
        return "revoked" if self.revinfo else "good"

    @property
    def revocation_time(self):
        t = self.revinfo.split(",")[0]
        return "20%s-%s-%sT%s:%s:%sZ" % (t[0:2], t[2:4], t[4:6], t[6:8], t[8:10], t[10:12])

    @property
    def reason(self):
        parts = self.revinfo.split(",")
        return REASON_OF_INDEX[parts[1]] if len(parts) > 1 else None

    @property
    def invalidity_date(self):
        parts = (self.revinfo or "").split(",")
        return parts[2] if len(parts) > 2 else None


class Pki:
    """root.pem/root.key, int.pem/int.key (the leaves' issuer),
    responder.pem/responder.key (delegated by the intermediate), leaves
    (one key, leaf.key, for all), index.txt (the intermediate's) and
    root-index.txt.  With chain=False the root is the leaves' issuer and
    there is no intermediate."""

    def __init__(self, root, alg, leaves=None, chain=True, subjects=None):
        self.dir, self.alg = Path(root), alg
        self.dir.mkdir(parents=True, exist_ok=True)
        d = self.dir
        root_subj, int_subj, rsp_subj = subjects or SUBJECTS.get(alg, (
            "/O=ocspkit conformance/CN=%s Root" % alg, "/O=ocspkit conformance/OU=Issuing/CN=%s Intermediate" % alg,
            "/O=ocspkit conformance/CN=%s OCSP Responder" % alg))
        issuer = "int" if chain else "root"
        self.subjects = {"root": root_subj, "int": int_subj, "responder": rsp_subj}
        for name, text in EXT.items():
            (d / (name + ".cnf")).write_text(CNF + text)
        for k in ("root", "int", "responder") if chain else ("root", "responder"):
            run_openssl("genpkey", *GENPKEY[alg], "-out", k + ".key", cwd=d)
        run_openssl("genpkey", *GENPKEY["p256"], "-out", "leaf.key", cwd=d)
        run_openssl("req", "-new", "-x509", "-utf8", "-key", "root.key", "-subj", root_subj, "-days", "3650",
                    "-set_serial", "1", "-config", "ca.cnf", "-extensions", "v3", "-out", "root.pem", cwd=d)
        if chain:
            self._csr("int", int_subj)
            self._sign("int.csr", 0x100, "int.cnf", "int.pem", "root")
        self._csr("responder", rsp_subj, multivalue="+" in rsp_subj.replace("\\+", ""))
        self._sign("responder.csr", 0x0F01, "responder.cnf", "responder.pem", issuer)
        run_openssl("req", "-new", "-key", "leaf.key", "-subj", "/O=ocspkit conformance/CN=leaf.%s" % alg,
                    "-out", "leaf.csr", cwd=d)
        self.root, self.root_key = d / "root.pem", d / "root.key"
        self.ca, self.ca_key = d / (issuer + ".pem"), d / (issuer + ".key")  # the leaves' issuer
        self.responder, self.responder_key = d / "responder.pem", d / "responder.key"
        self.leaf_key = d / "leaf.key"
        expiry = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3650)).strftime(
            "%y%m%d%H%M%SZ")
        self.leaves, lines = {}, []
        for name, serial, revinfo in LEAVES + [NEVER_ISSUED + (None,)] if leaves is None else leaves:
            cert = d / ("leaf-%s.pem" % name)
            self._sign("leaf.csr", serial, "leaf.cnf", cert.name, issuer)
            self.leaves[name] = Leaf(name, serial, revinfo, cert)
            if name != NEVER_ISSUED[0]:
                lines.append("%s\t%s\t%s\t%s\tunknown\t/O=ocspkit conformance/CN=leaf.%s\n" % (
                    "R" if revinfo else "V", expiry, revinfo or "", serial_hex(serial), alg))
        self.index = d / "index.txt"
        self.index.write_text("".join(lines))
        indexes = [self.index]
        if chain:
            self.root_index = d / "root-index.txt"
            self.root_index.write_text("V\t%s\t\t%s\tunknown\t/CN=int\nR\t%s\t230101000000Z,CACompromise\t0200"
                                       "\tunknown\t/CN=old-int\n" % (expiry, serial_hex(0x100), expiry))
            indexes.append(self.root_index)
        for ix in indexes:
            Path(str(ix) + ".attr").write_text("unique_subject = no\n")
        self.chain = d / "chain.pem"
        self.chain.write_text(self.ca.read_text() + (self.root.read_text() if chain else ""))
        self.root_der = pem_to_der(self.root.read_text())
        self.ca_der = pem_to_der(self.ca.read_text())
        self.responder_der = pem_to_der(self.responder.read_text())
        self._count = 0

    def issue(self, name, serial, ext="leaf", key_alg=None, days=3650, issuer=None, aia=None, must_staple=False,
              tls_names=False):
        """Another certificate, NAME.pem, issued by the CA (or by issuer,
        another Pki's) with the extensions of ext ("leaf", "responder"),
        for leaf.key or, with key_alg, a key of its own (NAME.key); and
        with an OCSP URL (authorityInfoAccess), the TLS feature
        status_request (RFC 7633), subjectAltName localhost and 127.0.0.1
        for a TLS client to check.  Returns the paths of the certificate
        and its key."""
        text = EXT[ext] + "".join(line for cond, line in (
            (aia, "authorityInfoAccess=OCSP;URI:%s\n" % aia), (must_staple, "tlsfeature=status_request\n"),
            (tls_names, "subjectAltName=DNS:localhost,IP:127.0.0.1\n")) if cond)
        (self.dir / (name + ".cnf")).write_text(CNF + text)
        key, csr = self.leaf_key, "leaf.csr"
        if key_alg:
            key, csr = self.dir / (name + ".key"), name + ".csr"
            run_openssl("genpkey", *GENPKEY[key_alg], "-out", key.name, cwd=self.dir)
            self._csr(name, "/O=ocspkit/CN=%s %s" % (name, self.alg))
        issuer = issuer or self
        run_openssl("req", "-x509", "-in", csr, "-CA", issuer.ca, "-CAkey", issuer.ca_key, "-set_serial",
                    "0x%X" % serial, "-days", days, "-config", name + ".cnf", "-extensions", "v3",
                    "-out", name + ".pem", cwd=self.dir)
        return self.dir / (name + ".pem"), key

    def rogue(self):
        """A self-signed CA with the CA's name and another key (what it
        signs is forged): the paths of its certificate and key."""
        run_openssl("genpkey", *GENPKEY[self.alg], "-out", "rogue.key", cwd=self.dir)
        run_openssl("req", "-new", "-x509", "-utf8", "-key", "rogue.key", "-subj", self.subjects[self.ca.stem],
                    "-days", "3650", "-set_serial", "1", "-config", "ca.cnf", "-extensions", "v3", "-out", "rogue.pem",
                    cwd=self.dir)
        return self.dir / "rogue.pem", self.dir / "rogue.key"

    def _csr(self, stem, subj, multivalue=False):
        run_openssl("req", "-new", "-utf8", *(["-multivalue-rdn"] if multivalue else []), "-key", stem + ".key",
                    "-subj", subj, "-config", "ca.cnf", "-out", stem + ".csr", cwd=self.dir)

    def _sign(self, csr, serial, cnf, out, issuer):
        run_openssl("req", "-x509", "-in", csr, "-CA", issuer + ".pem", "-CAkey", issuer + ".key",
                    "-set_serial", "0x%X" % serial, "-days", "3650", "-config", cnf, "-extensions", "v3",
                    "-out", out, cwd=self.dir)

    def fresh(self, stem):
        self._count += 1
        return self.dir / ("%03d-%s" % (self._count, stem))

    def serial_of(self, target):
        return self.leaves[target].serial

    # -------------------------------------------------------------- OpenSSL as client and responder

    def request(self, out, ids, nonce=None, signer=False, sign_other=False, issuer=None):
        """`openssl ocsp -reqout`: ids are (hash, "cert"|"serial", leaf name)."""
        args = ["ocsp", "-issuer", issuer or self.ca]
        for h, how, target in ids:
            args.append("-" + h)
            if how == "cert":
                args += ["-cert", self.leaves[target].cert]
            else:
                args += ["-serial", "0x%X" % (self.serial_of(target) if isinstance(target, str) else target)]
        if nonce is True:
            args.append("-nonce")
        elif nonce is False:
            args.append("-no_nonce")
        if signer:
            args += ["-signer", self.responder, "-signkey", self.responder_key]
            if sign_other:
                args += ["-sign_other", self.ca]
        run_openssl(*args, "-reqout", out)
        return out

    def signer_files(self, signer):
        return {"ca": (self.ca, self.ca_key), "delegated": (self.responder, self.responder_key),
                "root": (self.root, self.root_key)}[signer]

    def respond(self, req, out, signer="delegated", by_key=False, no_certs=False, ndays=None, nmin=None,
                rmd=None, rsigopt=None, rother=False, check=True):
        """`openssl ocsp -index -CA -rsigner -reqin -respout`; signer "root"
        answers from the root's index about the intermediate."""
        cert, key = self.signer_files(signer)
        index, ca = (self.root_index, self.root) if signer == "root" else (self.index, self.ca)
        args = ["ocsp", "-index", index, "-CA", ca, "-rsigner", cert, "-rkey", key, "-reqin", req,
                "-respout", out]
        if by_key:
            args.append("-resp_key_id")
        if no_certs:
            args.append("-resp_no_certs")
        if ndays is not None:
            args += ["-ndays", ndays]
        if nmin is not None:
            args += ["-nmin", nmin]
        if rmd:
            args += ["-rmd", rmd]
        for o in ([rsigopt] if isinstance(rsigopt, str) else rsigopt or []):
            args += ["-rsigopt", o]
        if rother:
            args += ["-rother", self.root]
        run_openssl(*args, check=check)
        return out

    # -------------------------------------------------------------- CertID parts, computed here

    @staticmethod
    def _tbs(cert_der):
        f = D.split(D.inner(D.split(D.inner(cert_der))[0]))
        return f[1:] if f[0][0] == 0xA0 else f  # serial, sigalg, issuer, validity, subject, spki, ...

    @classmethod
    def key_bits(cls, cert_der):
        bits = D.inner(D.split(D.inner(cls._tbs(cert_der)[5]))[1])
        assert bits[0] == 0
        return bits[1:]

    def issuer_der(self, level="int"):
        return self.root_der if level == "root" else self.ca_der

    def issuer_name_hash(self, h, level="int"):
        return hashlib.new(h, self._tbs(self.issuer_der(level))[4]).hexdigest()

    def issuer_key_hash(self, h, level="int"):
        return hashlib.new(h, self.key_bits(self.issuer_der(level))).hexdigest()

    def key_id(self, signer):
        d = {"ca": self.ca_der, "delegated": self.responder_der, "root": self.root_der}[signer]
        return hashlib.sha1(self.key_bits(d)).hexdigest()

    def subject(self, cert, nameopt):
        r = run_openssl("x509", "-in", cert, "-noout", "-subject", "-nameopt", nameopt)
        out = r.stdout.decode()
        assert out.startswith("subject="), out
        return out.strip()[len("subject="):].strip()
