"""ocspkit's reading (`print --json`) against pyca/cryptography's loader,
field by field."""

from .ocsptext import iso_of_datetime, parse_rfc4514
from .pki import even_hex

PYCA_STATUS = {"SUCCESSFUL": "successful", "MALFORMED_REQUEST": "malformedRequest",
               "INTERNAL_ERROR": "internalError", "TRY_LATER": "tryLater", "SIG_REQUIRED": "sigRequired",
               "UNAUTHORIZED": "unauthorized"}
SIGALG_OIDS = {
    "1.2.840.113549.1.1.5": "sha1WithRSAEncryption", "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
    "1.2.840.113549.1.1.12": "sha384WithRSAEncryption", "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
    "1.2.840.113549.1.1.10": "rsassaPss", "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
    "1.2.840.10045.4.3.3": "ecdsa-with-SHA384", "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
    "1.3.101.112": "ED25519", "1.3.101.113": "ED448",
}
NONCE = "1.3.6.1.5.5.7.48.1.2"


def _ext(exts, oid):
    for e in exts:
        if e.oid.dotted_string == oid:
            return e
    return None


def _hash_name(obj):
    from cryptography.exceptions import UnsupportedAlgorithm
    try:
        return obj.hash_algorithm.name
    except UnsupportedAlgorithm:
        return None  # pyca names only the hashes it supports


def _cert_id(c, s, where):
    h = _hash_name(s)
    if h is not None:
        assert c["hashAlgorithm"] == h, where
    assert c["issuerNameHash"] == s.issuer_name_hash.hex(), where
    assert c["issuerKeyHash"] == s.issuer_key_hash.hex(), where
    serial = s.serial_number
    want = even_hex(serial) if serial >= 0 else (serial % (1 << (8 * ((serial.bit_length() + 8) // 8)))).to_bytes(
        (serial.bit_length() + 8) // 8, "big").hex()
    assert c["serialNumber"] == want, where


def compare_with_pyca(j, data, kind):
    """Asserts ocspkit's JSON j of data equals what pyca's loader reads.
    Returns what was compared ("request", "request-multi", "response", ...)."""
    import pytest
    from cryptography.x509 import ocsp
    if kind == "request":
        if len(j["requests"]) != 1:
            # pyca/cryptography reads single-certificate requests only
            with pytest.raises((NotImplementedError, ValueError)):
                ocsp.load_der_ocsp_request(data)
            return "request-multi"
        r = ocsp.load_der_ocsp_request(data)
        n = _ext(r.extensions, NONCE)
        assert j["nonce"] == (n.value.nonce.hex() if n else None)
        assert sorted(e["oid"] for e in j["requestExtensions"]) == sorted(e.oid.dotted_string for e in r.extensions)
        _cert_id(j["requests"][0], r, "request")
        return "request"
    r = ocsp.load_der_ocsp_response(data)
    assert j["responseStatus"] == PYCA_STATUS[r.response_status.name]
    if r.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        return "status"
    if "byKey" in j["responderID"]:
        assert r.responder_name is None and j["responderID"]["byKey"] == r.responder_key_hash.hex()
    else:
        assert r.responder_key_hash is None
        assert parse_rfc4514(j["responderID"]["byName"]) == parse_rfc4514(r.responder_name.rfc4514_string())
    assert j["producedAt"] == iso_of_datetime(r.produced_at)
    oid = r.signature_algorithm_oid.dotted_string
    assert j["signatureAlgorithm"] == SIGALG_OIDS.get(oid, j["signatureAlgorithm"]), oid
    assert j["certificates"] == len(r.certificates)
    n = _ext(r.extensions, NONCE)
    if n is not None or j["nonce"] is not None:
        assert j["nonce"] == n.value.nonce.hex()
    assert sorted(e["oid"] for e in j["responseExtensions"]) == sorted(e.oid.dotted_string for e in r.extensions)
    singles = list(r.responses)
    assert len(singles) == len(j["responses"])
    for k, (jr, s) in enumerate(zip(j["responses"], singles)):
        where = "response %d" % k
        _cert_id(jr["certID"], s, where)
        assert jr["certStatus"] == s.certificate_status.name.lower(), where
        assert jr["revocationTime"] == (iso_of_datetime(s.revocation_time) if s.revocation_time else None), where
        assert jr["revocationReason"] == (s.revocation_reason.value if s.revocation_reason else None), where
        assert jr["thisUpdate"] == iso_of_datetime(s.this_update), where
        assert jr["nextUpdate"] == (iso_of_datetime(s.next_update) if s.next_update else None), where
    if len(singles) == 1:
        assert sorted(e["oid"] for e in j["responses"][0]["singleExtensions"]) == \
            sorted(e.oid.dotted_string for e in r.single_extensions)
    return "response"
