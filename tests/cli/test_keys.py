"""Private keys as files: every encoding `openssl` writes, encrypted keys
with each passphrase source openssl knows (pass:, env:, file:, fd:, stdin),
and the errors a wrong or missing passphrase gives (never showing it,
nor a --passin argument: `serve` blanks pass: out of its command line).
Each key signs a response with `ocspkit respond`, which OpenSSL then
verifies."""

import os
import subprocess

import pytest

from conftest import BUILDDIR, OCSPKIT_BIN, OCSPKIT_WRAPPER, VALGRIND_EXIT, Pki
from responder_helpers import Server

PASS = "correct horse battery staple"


class Kit:
    """One directory: CAs of a few key types, each with its index and a
    request, whose keys the tests write in every form."""

    def __init__(self, openssl, ocspkit, root):
        self.openssl = openssl
        self.ocspkit = ocspkit
        self.root = root
        root.mkdir()
        (root / "ca.cnf").write_text("[req]\ndistinguished_name=dn\n[dn]\n[v3]\nbasicConstraints=critical,CA:TRUE\n"
                                     "keyUsage=critical,keyCertSign,cRLSign,digitalSignature\n")
        (root / "index.txt").write_text("V\t301231000000Z\t\t01\tunknown\t/CN=x\n")
        self.made = {}

    def ca(self, kind):
        """kind: rsa, rsa-pss, ec (P-384), ed25519, ed448: a CA of the PKI
        fixture (one level, serial 01 in its index); returns (key, cert,
        request)."""
        if kind not in self.made:
            p = Pki(self.root / kind, {"ec": "p384"}.get(kind, kind), leaves=[("x", 1, None)], chain=False,
                    subjects=("/CN=keys %s" % kind, None, "/CN=keys %s responder" % kind))
            req = p.dir / "req.der"
            r = self.ocspkit("request", "--issuer", p.ca, "--serial", "1", "--out", req)
            assert r.rc == 0, r
            self.made[kind] = (p.ca_key, p.ca, req, p.index)
        return self.made[kind][:3]

    def convert(self, kind, name, *args, cmd="pkey"):
        key = self.ca(kind)[0]
        out = self.root / ("k-" + name)
        self.openssl(cmd, "-in", key, *args, "-out", out.name, cwd=self.root)
        return out

    def sign_with(self, kind, key, *extra, run=None, **kw):
        """ocspkit respond with this key for the CA of kind; the result."""
        _, cert, req = self.ca(kind)
        out = self.root / ("resp-%s-%s.der" % (kind, key.name))
        argv = ["respond", "--index", self.made[kind][3], "--CA", cert, "--rsigner", cert, "--rkey", key,
                "--reqin", req, "--respout", out, *extra]
        r = (run or self.ocspkit)(*argv, **kw)
        if r.rc == 0:
            o = self.openssl("ocsp", "-respin", out, "-CAfile", cert, "-issuer", cert, "-serial", "1",
                             "-no_nonce", check=False)
            assert o.rc == 0 and "Response verify OK" in o.err, o
        return r


@pytest.fixture(scope="module")
def kit(openssl, ocspkit, workdir):
    return Kit(openssl, ocspkit, workdir / "keys")


@pytest.mark.parametrize("kind,name,args,cmd", [
    ("rsa", "pkcs8.pem", [], "pkey"),
    ("rsa", "pkcs1.pem", ["-traditional"], "rsa"),
    ("rsa", "pkcs1.der", ["-traditional", "-outform", "DER"], "rsa"),
    ("rsa", "pkcs8.der", ["-outform", "DER"], "pkey"),
    ("rsa-pss", "pss-pkcs8.pem", [], "pkey"),
    ("ec", "sec1.pem", [], "ec"),
    ("ec", "sec1.der", ["-outform", "DER"], "ec"),
    ("ec", "ec-pkcs8.pem", [], "pkey"),
    ("ed25519", "ed25519.pem", [], "pkey"),
    ("ed25519", "ed25519.der", ["-outform", "DER"], "pkey"),
    ("ed448", "ed448.pem", [], "pkey"),
    ("ed448", "ed448.der", ["-outform", "DER"], "pkey"),
], ids=lambda v: v if isinstance(v, str) and "." in v else None)
def test_encodings(kit, kind, name, args, cmd):
    key = kit.convert(kind, name, *args, cmd=cmd)
    r = kit.sign_with(kind, key)
    assert r.rc == 0, r


@pytest.fixture(scope="module")
def encrypted(kit):
    """The RSA CA key as `openssl genrsa -aes256` writes keys (PKCS #8,
    PBES2), in the traditional "Proc-Type: 4,ENCRYPTED" form, as encrypted
    DER, and an encrypted EC key."""
    return {
        "pkcs8": kit.convert("rsa", "enc-pkcs8.pem", "-aes256", "-passout", "pass:" + PASS),
        "traditional": kit.convert("rsa", "enc-trad.pem", "-aes256", "-traditional", "-passout", "pass:" + PASS,
                                   cmd="rsa"),
        "der": kit.convert("rsa", "enc.der", "-topk8", "-v2", "aes-256-cbc", "-outform", "DER", "-passout",
                           "pass:" + PASS, cmd="pkcs8"),
        "ec": kit.convert("ec", "enc-ec.pem", "-aes-128-cbc", "-passout", "pass:" + PASS),
    }


def test_genrsa_aes256(kit):
    """A key exactly as the OpenSSL CA guide makes it."""
    key = kit.root / "genrsa.key"
    kit.openssl("genrsa", "-aes256", "-passout", "pass:" + PASS, "-out", key.name, "2048", cwd=kit.root)
    assert "ENCRYPTED" in key.read_text()
    # a CA certificate for it
    cert = kit.root / "genrsa.pem"
    kit.openssl("req", "-new", "-x509", "-key", key.name, "-passin", "pass:" + PASS, "-subj", "/CN=genrsa",
                "-days", "30", "-config", "ca.cnf", "-extensions", "v3", "-out", cert.name, cwd=kit.root)
    req = kit.root / "genrsa-req.der"
    assert kit.ocspkit("request", "--issuer", cert, "--serial", "1", "--out", req).rc == 0
    out = kit.root / "genrsa-resp.der"
    r = kit.ocspkit("respond", "--index", kit.root / "index.txt", "--CA", cert, "--rsigner", cert, "--rkey", key,
                    "--passin", "pass:" + PASS, "--reqin", req, "--respout", out)
    assert r.rc == 0, r


@pytest.mark.parametrize("which", ["pkcs8", "traditional", "der", "ec"])
def test_encrypted_forms(kit, encrypted, which):
    kind = "ec" if which == "ec" else "rsa"
    assert kit.sign_with(kind, encrypted[which], "--passin", "pass:" + PASS).rc == 0
    r = kit.sign_with(kind, encrypted[which], "--passin", "pass:not the passphrase")
    assert r.rc == 3 and "wrong passphrase" in r.err and "not the passphrase" not in r.err, r
    r = kit.sign_with(kind, encrypted[which])
    assert r.rc == 3 and "the key is encrypted: give its passphrase with --passin" in r.err, r


def run_with_fd(*args, fd):
    argv = OCSPKIT_WRAPPER + [OCSPKIT_BIN] + [str(a) for a in args]
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(BUILDDIR),
                          pass_fds=(fd,), timeout=300)

    class R:
        rc = proc.returncode
        out = proc.stdout.decode()
        err = proc.stderr.decode()
    assert R.rc != VALGRIND_EXIT, R.err
    return R


def test_passphrase_sources(kit, encrypted, monkeypatch):
    key = encrypted["pkcs8"]
    # env:
    monkeypatch.setenv("OCSPKIT_TEST_PASS", PASS)
    assert kit.sign_with("rsa", key, "--passin", "env:OCSPKIT_TEST_PASS").rc == 0
    r = kit.sign_with("rsa", key, "--passin", "env:OCSPKIT_TEST_NOT_SET")
    assert r.rc == 3 and "OCSPKIT_TEST_NOT_SET is not set" in r.err, r
    # file: (the first line only, as openssl reads it)
    pf = kit.root / "pass.txt"
    pf.write_text(PASS + "\nsecond line\n")
    assert kit.sign_with("rsa", key, "--passin", "file:%s" % pf).rc == 0
    r = kit.sign_with("rsa", key, "--passin", "file:%s" % (kit.root / "absent.txt"))
    assert r.rc == 3 and "absent.txt" in r.err, r
    # fd:
    rfd, wfd = os.pipe()
    os.write(wfd, (PASS + "\n").encode())
    os.close(wfd)
    try:
        assert kit.sign_with("rsa", key, "--passin", "fd:%d" % rfd, run=lambda *a: run_with_fd(*a, fd=rfd)).rc == 0
    finally:
        os.close(rfd)
    # stdin
    assert kit.sign_with("rsa", key, "--passin", "stdin", input=(PASS + "\n").encode()).rc == 0
    r = kit.sign_with("rsa", key, "--passin", "stdin", input=b"nope\n")
    assert r.rc == 3 and "wrong passphrase" in r.err, r
    # a file that cannot be read: its error, not "wrong passphrase"
    r = kit.sign_with("rsa", key, "--passin", "file:%s" % kit.root)
    assert r.rc == 3 and "%s: Is a directory" % kit.root in r.err and "wrong passphrase" not in r.err, r


def test_passphrase_errors_never_show_it(kit, encrypted):
    """The passphrase given without "pass:" (or after the wrong prefix) is
    refused with the forms that work, and never printed."""
    key = encrypted["pkcs8"]
    for spec in ("Tr0ub4dor&3", "fd:Tr0ub4dor&3", "Pass:Tr0ub4dor&3"):
        r = kit.sign_with("rsa", key, "--passin", spec)
        assert r.rc == 3 and "Tr0ub4dor" not in r.err + r.out, (spec, r)
        assert "passphrase:" in r.err, (spec, r)
    assert "env:VAR, file:PATH, fd:N, stdin or pass:TEXT" in r.err, r


def test_passphrase_fd_read_error(kit, encrypted):
    """fd: on a descriptor that is not open says so (subprocess closes
    every descriptor above 2 in the child)."""
    r = kit.sign_with("rsa", encrypted["pkcs8"], "--passin", "fd:9")
    assert r.rc == 3 and "passphrase: fd:9: Bad file descriptor" in r.err, r
    assert "wrong passphrase" not in r.err, r


def test_serve_hides_pass_from_cmdline(kit, encrypted, workdir):
    """A long-running server started with --passin pass:... warns, and no
    longer shows the passphrase in /proc/PID/cmdline once listening (the
    key, loaded after the argument was blanked out, still decrypts)."""
    _, cert, _ = kit.ca("rsa")
    secret = "pass:" + PASS
    s = Server(workdir / "keys-serve", ["--index", kit.root / "index.txt", "--CA", cert, "--rsigner", cert,
                                        "--rkey", encrypted["pkcs8"], "--passin", secret])
    try:
        with open("/proc/%d/cmdline" % s.proc.pid, "rb") as f:
            cmdline = f.read()
        err = s.stderr()
        assert "warning: --passin pass:... showed the passphrase" in err and "env:VAR or file:PATH" in err, err
        assert PASS not in err, err
        # under valgrind this process is valgrind, whose own argv holds the
        # arguments the guest got copies of: nothing the guest can blank
        if not OCSPKIT_WRAPPER:
            assert b"--passin\0pass:" in cmdline and PASS.encode() not in cmdline, cmdline
    finally:
        s.stop()


def test_key_must_match_certificate(kit):
    other = kit.convert("ec", "other.pem")
    r = kit.sign_with("rsa", other)
    assert r.rc == 3 and "does not belong to this certificate" in r.err, r
    junk = kit.root / "junk.key"
    junk.write_text("not a key\n")
    r = kit.sign_with("rsa", junk)
    assert r.rc == 3 and "no private key found" in r.err, r
