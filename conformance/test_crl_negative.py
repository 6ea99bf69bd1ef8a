"""Cell 5 for CRLs, the negative corpus: the mutation classes of
test_negative.py (conflib/mutate.py) applied to CRLs made by `openssl ca`
and by pyca/cryptography, each refused with the error and offset derived
from the mutation and the CertificateList schema of conflib/schema.py (and
its CRL rules: a serial number that turned negative, a named bit list that
ends in 0, a version other than v2, a v2 CRL whose version is taken away).
The peers' verdicts (`d2i_X509_CRL`, `gnutls_x509_crl_import`, pyca's
loader) make the report's table of differences.

make check: four base CRLs, every class, truncation after every 7th octet
of the two over 1500 octets; CONFORMANCE_FULL=1: every octet, and bases of
every key type besides.
"""

import collections
import ctypes
import ctypes.util

import pytest

from conftest import FULL, need_peer, judge_mutations
from conflib import crls as C
from conflib import mutate as M
from conflib import schema as S

AREA = "negative"


def _bases(pki):
    out = {}
    p = pki("p256")
    made = {c.id: c for c in C.openssl_crls(p)}
    out["openssl-p256-extensions"] = made["openssl-p256-extensions"].path.read_bytes()
    out["openssl-p256-v1"] = made["openssl-p256-v1"].path.read_bytes()
    try:
        e = pki("ed25519")
        made = {c.id: c for c in C.pyca_crls(e)}
        out["pyca-ed25519-every-reason"] = made["pyca-ed25519-every-reason"].path.read_bytes()
        out["pyca-ed25519-indirect"] = made["pyca-ed25519-indirect"].path.read_bytes()
        if FULL:
            out["pyca-ed25519-delta"] = made["pyca-ed25519-delta"].path.read_bytes()
    except ImportError:
        pass
    if FULL:
        for alg in ("rsa", "rsa-pss", "p384", "ed448"):
            q = pki(alg)
            made = {c.id: c for c in C.openssl_crls(q)}
            out["openssl-%s-delta" % alg] = made["openssl-%s-delta" % alg].path.read_bytes()
    return out


class Corpus:
    pass


@pytest.fixture(scope="module")
def corpus(pki, workdir, record):
    c = Corpus()
    c.bases = _bases(pki)
    c.muts, c.undetermined, c.other_kind = [], collections.Counter(), collections.Counter()
    d = workdir / "crl-negative"
    d.mkdir()
    paths = []
    for name, data in c.bases.items():
        sparse = not FULL and len(data) > 1500
        for i, m in enumerate(M.all_mutations(data, S.CertificateList, truncate_every=7 if sparse else 1)):
            m.base, m.id = name, "%s/%s/%d" % (name, m.cls, i)
            if m.data is None:
                c.undetermined[m.cls] += 1
                continue
            if not M.looks_like_crl(m.data):
                c.other_kind[m.cls] += 1  # `ocspkit print` would read it as an OCSP message
                continue
            m.kind = "crl"
            f = d / ("%06d.der" % len(paths))
            f.write_bytes(m.data)
            m.path = f
            paths.append(f)
            c.muts.append(m)
    judge_mutations(c, d, paths)
    record("crl_negative", {"bases": {k: len(v) for k, v in c.bases.items()}, "classes": dict(M.CLASSES),
                            "class_order": M.CLASS_NAMES, "undetermined": dict(c.undetermined),
                            "other_kind": dict(c.other_kind), "rows": c.rows})
    return c


def test_crl_bases_are_valid(corpus):
    """Every base CRL decodes in ocspkit."""
    for name, (obj, err) in corpus.base_result.items():
        assert obj is not None and err is None, (name, err)


@pytest.mark.parametrize("cls", M.CLASS_NAMES)
def test_crl_mutations_rejected_with_expected_error(cls, corpus):
    """ocspkit rejects every mutation of the class of a CRL with the error and offset derived from the mutation."""
    muts = [m for m in corpus.muts if m.cls == cls]
    assert muts, "no mutation of class %s was generated" % cls
    wrong = [m for m in muts if m.got != m.expect]
    lines = ["%s (%s at %s): expected %s@%d, got %s" % (m.id, m.sub, m.site, m.expect[0], m.expect[1],
                                                       m.got if m.got == "accepted" else "%s@%d" % m.got)
             for m in wrong[:25]]
    assert not wrong, "%d of %d mutations of %s:\n%s" % (len(wrong), len(muts), cls, "\n".join(lines))


# ------------------------------------------------------------------ the peers' verdicts

class _Peers:
    def __init__(self):
        self.crypto = ctypes.CDLL(ctypes.util.find_library("crypto") or "libcrypto.so.3")
        self.crypto.d2i_X509_CRL.restype = ctypes.c_void_p
        self.crypto.d2i_X509_CRL.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p), ctypes.c_long]
        self.crypto.X509_CRL_free.argtypes = [ctypes.c_void_p]
        self.crypto.X509_CRL_free.restype = None
        self.crypto.ERR_clear_error.restype = None
        self.gnutls = ctypes.CDLL(ctypes.util.find_library("gnutls") or "libgnutls.so.30")
        self.gnutls.gnutls_x509_crl_init.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
        self.gnutls.gnutls_x509_crl_deinit.argtypes = [ctypes.c_void_p]
        self.gnutls.gnutls_x509_crl_deinit.restype = None

    def openssl(self, data):
        buf = ctypes.create_string_buffer(bytes(data), len(data))
        start = ctypes.addressof(buf)
        p = ctypes.c_void_p(start)
        obj = self.crypto.d2i_X509_CRL(None, ctypes.byref(p), len(data))
        self.crypto.ERR_clear_error()
        if not obj:
            return "reject"
        self.crypto.X509_CRL_free(obj)
        return "prefix" if p.value - start != len(data) else "accept"

    def gnutls_(self, data):
        class Datum(ctypes.Structure):
            _fields_ = [("data", ctypes.c_void_p), ("size", ctypes.c_uint)]
        obj = ctypes.c_void_p()
        if self.gnutls.gnutls_x509_crl_init(ctypes.byref(obj)) < 0:
            raise RuntimeError("gnutls_x509_crl_init")
        buf = ctypes.create_string_buffer(bytes(data), max(1, len(data)))
        d = Datum(ctypes.addressof(buf), len(data))
        self.gnutls.gnutls_x509_crl_import.argtypes = [ctypes.c_void_p, ctypes.POINTER(Datum), ctypes.c_int]
        r = self.gnutls.gnutls_x509_crl_import(obj, ctypes.byref(d), 0)  # GNUTLS_X509_FMT_DER
        self.gnutls.gnutls_x509_crl_deinit(obj)
        return "accept" if r == 0 else "reject"


def test_crl_peer_verdicts(corpus):
    """OpenSSL's d2i_X509_CRL, GnuTLS' gnutls_x509_crl_import and pyca's CRL loader on every mutation, for the report."""
    need_peer("libcrypto")
    need_peer("libgnutls")
    peers = _Peers()
    try:
        from cryptography import x509
    except ImportError:
        x509 = None

    def pyca(data):
        try:
            crl = x509.load_der_x509_crl(bytes(data))
            for e in crl:
                e.serial_number, e.revocation_date, e.extensions
            crl.extensions, crl.issuer, crl.last_update, crl.next_update
        except Exception:
            return "reject"
        return "accept"

    for m in corpus.muts:
        m.row.update(openssl=peers.openssl(m.data), gnutls=peers.gnutls_(m.data), pyca=pyca(m.data) if x509 else None)
    assert all("openssl" in r for r in corpus.rows)
