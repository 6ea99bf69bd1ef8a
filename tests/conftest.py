"""Shared fixtures for the pytest scripts of tests/.

make check exports what the scripts need (tests/Makefile.inc):
  OCSPKIT_BIN      the ocspkit command (a libtool wrapper script in the build tree)
  OCSPKIT_WRAPPER  a command prefix (valgrind through libtool) put before every
                   ocspkit invocation when it is not empty
  OPENSSL          the openssl command, the reference implementation
  OCSPKIT_BUILDDIR, OCSPKIT_SRCDIR, OCSPKIT_VECTORS

Fixtures:
  ocspkit   run the ocspkit command (through the wrapper)
  openssl   run the openssl command
  workdir   a private temporary directory for the whole session
  pki       make_pki(alg) -> Pki: a CA, a delegated OCSP responder and leaf
            certificates with an OpenSSL CA index.txt, made once per session
  der       small DER helpers (read, split, encode, edit in place)
"""

import base64
import datetime
import hashlib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import types
from pathlib import Path

import pytest

BUILDDIR = Path(os.environ.get("OCSPKIT_BUILDDIR") or os.getcwd())
SRCDIR = Path(os.environ.get("OCSPKIT_SRCDIR") or Path(__file__).resolve().parent.parent)
OCSPKIT_BIN = os.environ.get("OCSPKIT_BIN") or str(BUILDDIR / "tools" / "ocspkit")
OCSPKIT_WRAPPER = shlex.split(os.environ.get("OCSPKIT_WRAPPER", ""))
OPENSSL = os.environ.get("OPENSSL") or shutil.which("openssl") or ""

# valgrind's --error-exitcode in VALGRIND_CMD; ocspkit itself never exits 99
VALGRIND_EXIT = 99


# ---------------------------------------------------------------- commands


class Result:
    """The outcome of one command: rc, stdout (bytes), out / err (text)."""

    def __init__(self, argv, proc):
        self.argv = argv
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.out = proc.stdout.decode("utf-8", "replace")
        self.err = proc.stderr.decode("utf-8", "replace")

    def __repr__(self):
        return "<%s: rc=%d\nstdout: %s\nstderr: %s>" % (
            " ".join(map(str, self.argv)), self.rc, self.out[:2000], self.err[:2000])


def _run_ocspkit(*args, input=None, timeout=300):
    """Runs ocspkit (under OCSPKIT_WRAPPER) from the build directory, since
    the wrapper may name ./libtool.  A memory error found by the wrapper
    fails the calling test whatever it expected of the exit code."""
    if not os.path.exists(OCSPKIT_BIN):
        pytest.skip("ocspkit not built (%s)" % OCSPKIT_BIN)
    argv = OCSPKIT_WRAPPER + [OCSPKIT_BIN] + [str(a) for a in args]
    proc = subprocess.run(argv, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          cwd=str(BUILDDIR), timeout=timeout)
    res = Result(argv, proc)
    if OCSPKIT_WRAPPER and res.rc == VALGRIND_EXIT:
        pytest.fail("the wrapper reported errors:\n%r" % res)
    return res


def _run_openssl(*args, cwd=None, input=None, check=True):
    if not OPENSSL:
        pytest.skip("openssl not found")
    argv = [OPENSSL] + [str(a) for a in args]
    proc = subprocess.run(argv, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          cwd=cwd, timeout=120)
    res = Result(argv, proc)
    if check and res.rc != 0:
        raise AssertionError("openssl failed:\n%r" % res)
    return res


@pytest.fixture(scope="session")
def ocspkit():
    """ocspkit(*args, input=None) -> Result (rc, stdout bytes, out, err)."""
    return _run_ocspkit


@pytest.fixture(scope="session")
def openssl():
    """openssl(*args, cwd=None, input=None, check=True) -> Result."""
    return _run_openssl


@pytest.fixture(scope="session")
def workdir():
    """A private directory for the session (pytest's numbered basetemp is
    shared with the other test scripts make runs at the same time)."""
    d = tempfile.mkdtemp(prefix="ocspkit-test-")
    yield Path(d)
    shutil.rmtree(d, ignore_errors=True)


# ---------------------------------------------------------------- DER


def der_read(buf, off=0):
    """(tag, content_start, end) of the TLV at off (low tag numbers only)."""
    tag = buf[off]
    n = buf[off + 1]
    i = off + 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(buf[i:i + k], "big")
        i += k
    if i + n > len(buf):
        raise ValueError("truncated TLV at %d" % off)
    return tag, i, i + n


def der_split(content):
    """The consecutive TLVs of content, each as bytes."""
    out, off = [], 0
    while off < len(content):
        _, _, end = der_read(content, off)
        out.append(bytes(content[off:end]))
        off = end
    return out


def der_content(tlv):
    _, cs, end = der_read(tlv)
    assert end == len(tlv), "not one TLV"
    return bytes(tlv[cs:end])


def der_length(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der_encode(tag, content):
    return bytes([tag]) + der_length(len(content)) + bytes(content)


def der_edit(tlv, path, fn):
    """Replaces the element at path (child indices; an OCTET STRING or
    explicit tag that wraps one TLV counts as its parent) by fn(element),
    re-encoding the lengths of every enclosing element."""
    tag, cs, end = der_read(tlv)
    assert end == len(tlv), "not one TLV"
    if not path:
        return fn(bytes(tlv))
    kids = der_split(tlv[cs:end])
    kids[path[0]] = der_edit(kids[path[0]], path[1:], fn)
    return der_encode(tag, b"".join(kids))


def der_get(tlv, path):
    for i in path:
        tlv = der_split(der_content(tlv))[i]
    return tlv


@pytest.fixture(scope="session")
def der():
    return types.SimpleNamespace(read=der_read, split=der_split, content=der_content,
                                 encode=der_encode, edit=der_edit, get=der_get)


# ---------------------------------------------------------------- PKI

# The leaf certificates (name, serial, index revocation field or None), the
# revocation forms `openssl ca` writes into index.txt and the CRLReason
# OpenSSL reports for each: one table for this suite and the conformance one.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "conformance"))
from conflib.pki import LEAVES, REASON_OF_INDEX  # noqa: E402

UNKNOWN_SERIAL = 0xDEAD  # in no index
REVOKED = [name for name, _, rev in LEAVES if rev]

ALGORITHMS = {
    # alg: (genpkey options, CA subject, responder subject, extra req options)
    "rsa": (["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
            "/C=US/O=Example, Inc./CN=ocspkit Test RSA CA",
            "/C=US/O=Example, Inc./CN=RSA OCSP Responder", []),
    "p256": (["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
             "/C=DE/O=Beispiel GmbH/OU=PKI/CN=ocspkit Test P-256 CA",
             "/C=DE/O=Beispiel GmbH/OU=PKI/CN=P-256 OCSP Responder/emailAddress=ocsp@example.de", []),
    "ed25519": (["-algorithm", "ED25519"],
                "/C=FR/O=Soci\u00e9t\u00e9 G\u00e9n\u00e9rale/CN=ocspkit Test Ed25519 CA",
                '/C=FR/O=Soci\u00e9t\u00e9/OU=R\\+D "lab" #1/CN=Resp, Ed+UID=u1',
                ["-multivalue-rdn"]),
}


def serial_hex(n):
    """A serial as OpenSSL's BN_bn2hex writes it into index.txt."""
    h = "%X" % n
    return "0" + h if len(h) % 2 else h


def pem_to_der(text):
    """The first PEM block's DER ("-----BEGIN X-----", base64, "-----END")."""
    return base64.b64decode("".join(text.split("-----")[2].split()))


def utc_time(dt):
    return dt.strftime("%y%m%d%H%M%SZ")


class Leaf:
    def __init__(self, name, serial, revinfo, cert):
        self.name = name
        self.serial = serial
        self.revinfo = revinfo
        self.cert = cert

    @property
    def status(self):
        return "revoked" if self.revinfo else "good"

    @property
    def revocation_time(self):
        """ISO 8601 form of the index's revocation time (UTCTime, 20YY)."""
        t = self.revinfo.split(",")[0]
        return "20%s-%s-%sT%s:%s:%sZ" % (t[0:2], t[2:4], t[4:6], t[6:8], t[8:10], t[10:12])

    @property
    def reason(self):
        parts = self.revinfo.split(",")
        return REASON_OF_INDEX[parts[1]] if len(parts) > 1 else None


class Pki:
    """A CA made with the openssl command: ca.pem/ca.key, a delegated
    responder (extendedKeyUsage OCSPSigning) responder.pem/responder.key,
    leaf certificates and index.txt."""

    def __init__(self, root, alg):
        self.root = root
        self.alg = alg
        root.mkdir(parents=True)
        genpkey, ca_subj, rsp_subj, req_opts = ALGORITHMS[alg]
        for k in ("ca", "responder"):
            _run_openssl("genpkey", *genpkey, "-out", k + ".key", cwd=root)
        # the leaves' key plays no part in OCSP: one cheap key for all of them
        _run_openssl("genpkey", *ALGORITHMS["p256"][0], "-out", "leaf.key", cwd=root)
        self.ca_key = root / "ca.key"
        self.ca = root / "ca.pem"
        self.responder_key = root / "responder.key"
        self.responder = root / "responder.pem"
        (root / "ca.ext").write_text(
            "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\n"
            "subjectKeyIdentifier=hash\n")
        (root / "responder.ext").write_text(
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
            "extendedKeyUsage=OCSPSigning\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")
        (root / "leaf.ext").write_text(
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
            "authorityInfoAccess=OCSP;URI:http://127.0.0.1:8080/ocsp\n")
        _run_openssl("req", "-new", "-x509", "-utf8", "-key", "ca.key", "-subj", ca_subj, "-days", "3650",
                     "-set_serial", "1", "-extensions", "v3", "-config", self._req_config("ca.ext"),
                     "-out", "ca.pem", cwd=root)
        _run_openssl("req", "-new", "-utf8", *req_opts, "-key", "responder.key", "-subj", rsp_subj,
                     "-out", "responder.csr", cwd=root)
        self._sign("responder.csr", 0x0F01, "responder.ext", "responder.pem")
        _run_openssl("req", "-new", "-key", "leaf.key", "-subj", "/O=ocspkit tests/CN=leaf." + alg,
                     "-out", "leaf.csr", cwd=root)
        expiry = utc_time(datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3650))
        self.leaves = {}
        lines = []
        for name, serial, revinfo in LEAVES:
            cert = root / ("leaf-%s.pem" % name)
            self._sign("leaf.csr", serial, "leaf.ext", cert.name)
            self.leaves[name] = Leaf(name, serial, revinfo, cert)
            lines.append("%s\t%s\t%s\t%s\tunknown\t/O=ocspkit tests/CN=leaf.%s\n" % (
                "R" if revinfo else "V", expiry, revinfo or "", serial_hex(serial), alg))
        self.index = root / "index.txt"
        self.index.write_text("".join(lines))
        (root / "index.txt.attr").write_text("unique_subject = no\n")
        self.ca_der = pem_to_der(self.ca.read_text())
        self.responder_der = pem_to_der(self.responder.read_text())
        self._count = 0
        self._subjects = {}

    def _req_config(self, ext):
        cfg = self.root / ("req-" + ext + ".cnf")
        if not cfg.exists():
            cfg.write_text("[req]\ndistinguished_name=dn\nstring_mask=utf8only\n[dn]\n[v3]\n"
                           + (self.root / ext).read_text())
        return cfg.name

    def _sign(self, csr, serial, ext, out):
        # `req -x509 -CA` is much faster than `x509 -req`, which loads the
        # system trust store first
        _run_openssl("req", "-x509", "-in", csr, "-CA", "ca.pem", "-CAkey", "ca.key",
                     "-set_serial", "0x%X" % serial, "-days", "3650", "-config", self._req_config(ext),
                     "-extensions", "v3", "-out", out, cwd=self.root)

    def fresh(self, stem):
        self._count += 1
        return self.root / ("%03d-%s" % (self._count, stem))

    def subject(self, which, nameopt):
        """A certificate's subject as `openssl x509 -nameopt` prints it."""
        key = (str(which), nameopt)
        if key not in self._subjects:
            r = _run_openssl("x509", "-in", str(which), "-noout", "-subject", "-nameopt", nameopt)
            assert r.out.startswith("subject="), r
            self._subjects[key] = r.out.strip()[len("subject="):].strip()
        return self._subjects[key]

    def serial_of(self, target):
        return UNKNOWN_SERIAL if target == "unknown" else self.leaves[target].serial

    def request(self, out, ids, nonce=None, signer=False, sign_other=False):
        """`openssl ocsp -reqout`: ids are (hash, "cert"|"serial", leaf name
        or "unknown").  nonce: None (openssl default), True / False."""
        args = ["ocsp", "-issuer", str(self.ca)]
        for h, how, target in ids:
            args.append("-" + h)
            if how == "cert":
                args += ["-cert", str(self.leaves[target].cert)]
            else:
                args += ["-serial", "0x%X" % self.serial_of(target)]
        if nonce is True:
            args.append("-nonce")
        elif nonce is False:
            args.append("-no_nonce")
        if signer:
            args += ["-signer", str(self.responder), "-signkey", str(self.responder_key)]
            if sign_other:
                args += ["-sign_other", str(self.ca)]
        args += ["-reqout", str(out)]
        _run_openssl(*args)
        return out

    def respond(self, req, out, signer="delegated", by_key=False, no_certs=False, ndays=None,
                nmin=None, rmd=None, rsigopt=None, rother=False, check=True):
        """`openssl ocsp -index index.txt -CA ca.pem -reqin ... -respout ...`"""
        cert, key = ((self.ca, self.ca_key) if signer == "ca" else (self.responder, self.responder_key))
        args = ["ocsp", "-index", str(self.index), "-CA", str(self.ca), "-rsigner", str(cert),
                "-rkey", str(key), "-reqin", str(req), "-respout", str(out)]
        if by_key:
            args.append("-resp_key_id")
        if no_certs:
            args.append("-resp_no_certs")
        if ndays is not None:
            args += ["-ndays", str(ndays)]
        if nmin is not None:
            args += ["-nmin", str(nmin)]
        if rmd:
            args += ["-rmd", rmd]
        if rsigopt:
            args += ["-rsigopt", rsigopt]
        if rother:
            args += ["-rother", str(self.ca)]
        _run_openssl(*args, check=check)
        return out

    # CertID parts computed here from the CA certificate, independently of
    # both ocspkit and OpenSSL.
    def _tbs_fields(self, cert_der):
        tbs = der_split(der_content(cert_der))[0]
        f = der_split(der_content(tbs))
        if f[0][0] == 0xA0:
            f = f[1:]
        return f  # serial, signature, issuer, validity, subject, spki, ...

    def issuer_name_hash(self, hash_name):
        return hashlib.new(hash_name, self._tbs_fields(self.ca_der)[4]).hexdigest()

    def _key_bits(self, cert_der):
        spki = self._tbs_fields(cert_der)[5]
        bits = der_content(der_split(der_content(spki))[1])
        assert bits[0] == 0
        return bits[1:]

    def issuer_key_hash(self, hash_name):
        return hashlib.new(hash_name, self._key_bits(self.ca_der)).hexdigest()

    def key_id(self, signer):
        """ResponderID byKey: SHA-1 of the signer's public key bits."""
        d = self.ca_der if signer == "ca" else self.responder_der
        return hashlib.sha1(self._key_bits(d)).hexdigest()


@pytest.fixture(scope="session")
def pki(workdir):
    """make_pki(alg) -> Pki, made on first use and shared by the session."""
    made = {}

    def make(alg):
        if alg not in made:
            made[alg] = Pki(workdir / ("pki-" + alg), alg)
        return made[alg]

    return make
