"""The peers: what OpenSSL, GnuTLS and pyca/cryptography make of a message.

Two ways to ask OpenSSL and GnuTLS whether they accept bytes:
  - their commands (`openssl ocsp -respin/-reqin`, `ocsptool -j/-i`): what
    a user sees, one process per message;
  - their libraries through ctypes (libcrypto's d2i_OCSP_RESPONSE and
    OCSP_response_get1_basic, libgnutls' gnutls_ocsp_resp_import), the same
    calls the commands make, fast enough for thousands of mutations and
    able to see what the commands hide (OpenSSL reads a prefix and ignores
    the rest).  test_negative.py checks both ways agree on a sample.

Verdicts: accept; reject; for OpenSSL also basic-reject (the OCSPResponse
parses, the BasicOCSPResponse inside does not) and prefix (the input has
octets after the message, which the parser leaves unread); for GnuTLS also
partial (imported, but the status or the first answer cannot be read).
"""

import ctypes
import ctypes.util
import os
import shutil
import subprocess

OPENSSL = os.environ.get("OPENSSL") or shutil.which("openssl")
OCSPTOOL = shutil.which("ocsptool")
NO_STORE = ["-no-CAfile", "-no-CApath", "-no-CAstore"]


# ------------------------------------------------------------------ libcrypto

class _LibCrypto:
    def __init__(self):
        name = ctypes.util.find_library("crypto")
        self.lib = ctypes.CDLL(name or "libcrypto.so.3")
        L = self.lib
        for fn in ("d2i_OCSP_RESPONSE", "d2i_OCSP_REQUEST"):
            f = getattr(L, fn)
            f.restype = ctypes.c_void_p
            f.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p), ctypes.c_long]
        L.OCSP_response_get1_basic.restype = ctypes.c_void_p
        L.OCSP_response_get1_basic.argtypes = [ctypes.c_void_p]
        L.OCSP_response_status.restype = ctypes.c_int
        L.OCSP_response_status.argtypes = [ctypes.c_void_p]
        for fn in ("OCSP_RESPONSE_free", "OCSP_REQUEST_free", "OCSP_BASICRESP_free"):
            getattr(L, fn).restype = None
            getattr(L, fn).argtypes = [ctypes.c_void_p]
        L.ERR_clear_error.restype = None
        L.OpenSSL_version.restype = ctypes.c_char_p
        L.OpenSSL_version.argtypes = [ctypes.c_int]
        self.version = L.OpenSSL_version(0).decode()

    def verdict(self, data, kind):
        L = self.lib
        buf = ctypes.create_string_buffer(bytes(data), len(data))
        start = ctypes.addressof(buf)
        p = ctypes.c_void_p(start)
        if kind == "request":
            obj = L.d2i_OCSP_REQUEST(None, ctypes.byref(p), len(data))
            v = "reject" if not obj else "prefix" if p.value - start != len(data) else "accept"
            if obj:
                L.OCSP_REQUEST_free(obj)
            L.ERR_clear_error()
            return v
        obj = L.d2i_OCSP_RESPONSE(None, ctypes.byref(p), len(data))
        if not obj:
            L.ERR_clear_error()
            return "reject"
        v = "prefix" if p.value - start != len(data) else "accept"
        if L.OCSP_response_status(obj) == 0:
            basic = L.OCSP_response_get1_basic(obj)
            if basic:
                L.OCSP_BASICRESP_free(basic)
            else:
                v = "basic-reject"
        L.OCSP_RESPONSE_free(obj)
        L.ERR_clear_error()
        return v


# ------------------------------------------------------------------ libgnutls

class _Datum(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("size", ctypes.c_uint)]


class _LibGnutls:
    def __init__(self):
        name = ctypes.util.find_library("gnutls")
        self.lib = ctypes.CDLL(name or "libgnutls.so.30")
        L = self.lib
        for kind in ("resp", "req"):
            getattr(L, "gnutls_ocsp_%s_init" % kind).argtypes = [ctypes.POINTER(ctypes.c_void_p)]
            getattr(L, "gnutls_ocsp_%s_import" % kind).argtypes = [ctypes.c_void_p, ctypes.POINTER(_Datum)]
            getattr(L, "gnutls_ocsp_%s_deinit" % kind).argtypes = [ctypes.c_void_p]
            getattr(L, "gnutls_ocsp_%s_deinit" % kind).restype = None
            getattr(L, "gnutls_ocsp_%s_get_version" % kind).argtypes = [ctypes.c_void_p]
        L.gnutls_ocsp_resp_get_status.argtypes = [ctypes.c_void_p]
        L.gnutls_ocsp_resp_get_produced.argtypes = [ctypes.c_void_p]
        L.gnutls_ocsp_resp_get_produced.restype = ctypes.c_long
        u, t, dp = ctypes.POINTER(ctypes.c_uint), ctypes.POINTER(ctypes.c_long), ctypes.POINTER(_Datum)
        L.gnutls_ocsp_resp_get_single.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.POINTER(ctypes.c_int),
                                                  dp, dp, dp, u, t, t, t, u]
        L.gnutls_ocsp_req_get_cert_id.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.POINTER(ctypes.c_int),
                                                  dp, dp, dp]
        L.gnutls_check_version.restype = ctypes.c_char_p
        L.gnutls_check_version.argtypes = [ctypes.c_char_p]
        self.version = "GnuTLS " + L.gnutls_check_version(None).decode()

    def verdict(self, data, kind):
        L = self.lib
        k = "req" if kind == "request" else "resp"
        obj = ctypes.c_void_p()
        if getattr(L, "gnutls_ocsp_%s_init" % k)(ctypes.byref(obj)) < 0:
            raise RuntimeError("gnutls_ocsp_%s_init failed" % k)
        buf = ctypes.create_string_buffer(bytes(data), max(1, len(data)))
        d = _Datum(ctypes.addressof(buf), len(data))
        try:
            if getattr(L, "gnutls_ocsp_%s_import" % k)(obj, ctypes.byref(d)) < 0:
                return "reject"
            if kind == "request":
                if L.gnutls_ocsp_req_get_version(obj) < 0 or \
                        L.gnutls_ocsp_req_get_cert_id(obj, 0, None, None, None, None) < 0:
                    return "partial"
                return "accept"
            st = L.gnutls_ocsp_resp_get_status(obj)
            if st < 0:
                return "partial"
            if st == 0:
                if L.gnutls_ocsp_resp_get_version(obj) < 0 or L.gnutls_ocsp_resp_get_produced(obj) == -1:
                    return "partial"
                status = ctypes.c_uint()
                if L.gnutls_ocsp_resp_get_single(obj, 0, None, None, None, None, ctypes.byref(status), None, None,
                                                 None, None) < 0:
                    return "partial"
            return "accept"
        finally:
            getattr(L, "gnutls_ocsp_%s_deinit" % k)(obj)

    def single(self, data):
        """status (0 good, 1 revoked, 2 unknown), revocation time and
        reason (gnutls_x509_crl_reason_t) of a response's first
        SingleResponse, as gnutls_ocsp_resp_get_single reads them."""
        L = self.lib
        obj = ctypes.c_void_p()
        if L.gnutls_ocsp_resp_init(ctypes.byref(obj)) < 0:
            raise RuntimeError("gnutls_ocsp_resp_init failed")
        buf = ctypes.create_string_buffer(bytes(data), max(1, len(data)))
        d = _Datum(ctypes.addressof(buf), len(data))
        try:
            if L.gnutls_ocsp_resp_import(obj, ctypes.byref(d)) < 0:
                return None
            status, reason = ctypes.c_uint(), ctypes.c_uint()
            rtime = ctypes.c_long()
            if L.gnutls_ocsp_resp_get_single(obj, 0, None, None, None, None, ctypes.byref(status), None, None,
                                             ctypes.byref(rtime), ctypes.byref(reason)) < 0:
                return None
            return {"status": status.value, "revocation_time": rtime.value, "reason": reason.value}
        finally:
            L.gnutls_ocsp_resp_deinit(obj)


_libs = {}


def _lib(name):
    if name not in _libs:
        try:
            _libs[name] = _LibCrypto() if name == "openssl" else _LibGnutls()
        except (OSError, AttributeError) as e:
            _libs[name] = e
    return _libs[name]


def lib_available(name):
    """None if usable, else why not."""
    v = _lib(name)
    return "%s library not loadable: %s" % (name, v) if isinstance(v, Exception) else None


def lib_version(name):
    v = _lib(name)
    return None if isinstance(v, Exception) else v.version


def gnutls_single(data):
    return _lib("gnutls").single(data)


def openssl_lib(data, kind):
    return _lib("openssl").verdict(data, kind)


def gnutls_lib(data, kind):
    return _lib("gnutls").verdict(data, kind)


# ------------------------------------------------------------------ commands

def openssl_text(path, kind):
    """(rc, stdout + stderr) of `openssl ocsp -respin/-reqin ... -resp_text/-req_text`."""
    args = ["-reqin", str(path), "-req_text"] if kind == "request" else \
        ["-respin", str(path), "-resp_text", "-noverify"]
    p = subprocess.run([OPENSSL, "ocsp"] + args + NO_STORE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def openssl_cli(path, kind):
    rc, out, err = openssl_text(path, kind)
    text = out + err
    if "Error reading OCSP" in text:
        return "reject"
    if "Error parsing response" in text:
        return "basic-reject"
    if out.startswith(("OCSP Request Data:", "OCSP Response Data:", "Responder Error:")):
        return "accept"
    return "reject"


def gnutls_cli(path, kind):
    p = subprocess.run([OCSPTOOL, "-i" if kind == "request" else "-j", "--infile", str(path)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    out = p.stdout.decode("utf-8", "replace")
    if p.returncode != 0:
        return "reject"
    if "\nerror:" in out or out.startswith("error:"):
        return "partial"
    return "accept"


# ------------------------------------------------------------------ pyca/cryptography

def pyca_available():
    try:
        import importlib
        importlib.import_module("cryptography.x509.ocsp")
    except ImportError as e:
        return "pyca/cryptography not importable: %s" % e
    return None


def pyca_version():
    import cryptography
    return "pyca/cryptography " + cryptography.__version__


def pyca_load(data, kind):
    """The loaded object, after reading every field once (pyca parses
    some parts lazily); raises what pyca raises."""
    from cryptography.x509 import ocsp
    if kind == "request":
        r = ocsp.load_der_ocsp_request(bytes(data))
        r.extensions
        try:
            r.serial_number, r.issuer_key_hash, r.issuer_name_hash, r.hash_algorithm
        except NotImplementedError:
            pass  # pyca reads only single-certificate requests
        return r
    r = ocsp.load_der_ocsp_response(bytes(data))
    if r.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL:
        r.produced_at, r.responder_name, r.responder_key_hash, r.extensions, r.certificates
        r.signature_algorithm_oid, r.signature, r.tbs_response_bytes
        for s in r.responses:
            s.certificate_status, s.revocation_time, s.revocation_reason, s.this_update, s.next_update
            s.serial_number, s.issuer_key_hash, s.issuer_name_hash, s.hash_algorithm
        r.single_extensions if len(list(r.responses)) == 1 else None
    return r


def pyca(data, kind):
    try:
        pyca_load(data, kind)
    except Exception:
        return "reject"
    return "accept"
