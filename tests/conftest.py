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
  pki       make_pki(alg) -> conflib.pki.Pki (conformance/conflib/pki.py, the
            one PKI fixture): a root, the intermediate CA that issues the
            leaves, a delegated OCSP responder and leaf certificates with an
            OpenSSL CA index.txt, made once per session
  der       small DER helpers (read, split, encode, edit in place)
"""

import os
import shlex
import shutil
import socket
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


def free_port(family=socket.AF_INET, host="127.0.0.1"):
    """A TCP port free on host now (for servers that cannot take port 0)."""
    s = socket.socket(family, socket.SOCK_STREAM)
    s.bind((host, 0))
    port = s.getsockname()[1]
    s.close()
    return port


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

# The one PKI fixture of the Python tests, conformance/conflib/pki.py (the
# conformance suite's too; cli/ocsp_helpers.py builds the client tests' on
# it).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "conformance"))
from conflib.pki import Pki, pem_to_der  # noqa: E402,F401 (responder_helpers.py takes pem_to_der here)


@pytest.fixture(scope="session")
def pki(workdir):
    """make_pki(alg) -> conflib.pki.Pki, made on first use and shared by the
    session."""
    made = {}

    def make(alg):
        if alg not in made:
            made[alg] = Pki(workdir / ("pki-" + alg), alg)
        return made[alg]

    return make
