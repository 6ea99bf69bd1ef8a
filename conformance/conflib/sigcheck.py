"""A signature check with pyca/cryptography, independent of ocspkit and of
OpenSSL's OCSP code: the BasicOCSPResponse is split here, the key read by
pyca (an id-RSASSA-PSS key, which pyca 38 does not load from a certificate,
is rebuilt from its RSAPublicKey), the algorithm's parameters parsed here.
"""

from . import der as D

HASH_OIDS = {
    "2b0e03021a": "SHA1", "608648016503040201": "SHA256", "608648016503040202": "SHA384",
    "608648016503040203": "SHA512", "608648016503040204": "SHA224",
}
RSA_PKCS1 = {"2a864886f70d010105": "SHA1", "2a864886f70d01010b": "SHA256", "2a864886f70d01010c": "SHA384",
             "2a864886f70d01010d": "SHA512", "2a864886f70d01010e": "SHA224"}
ECDSA = {"2a8648ce3d040301": "SHA224", "2a8648ce3d040302": "SHA256", "2a8648ce3d040303": "SHA384",
         "2a8648ce3d040304": "SHA512"}
PSS = "2a864886f70d01010a"
ED25519, ED448 = "2b6570", "2b6571"


def split_basic(resp_der):
    """(tbsResponseData DER, signatureAlgorithm DER, signature octets,
    [certificate DER]) of a successful OCSPResponse."""
    top = D.split(D.inner(resp_der))
    rb = D.split(D.inner(D.inner(top[1])))
    basic = D.split(D.inner(D.inner(rb[1])))
    bits = D.inner(basic[2])
    assert bits[0] == 0, "signature with unused bits"
    certs = D.split(D.inner(D.inner(basic[3]))) if len(basic) > 3 else []
    return basic[0], basic[1], bits[1:], certs


def public_key(cert_der):
    from cryptography import x509
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric import rsa
    cert = x509.load_der_x509_certificate(cert_der)
    try:
        return cert.public_key()
    except (UnsupportedAlgorithm, ValueError):
        tbs = D.split(D.inner(D.split(D.inner(cert_der))[0]))
        tbs = tbs[1:] if tbs[0][0] == 0xA0 else tbs
        spki = D.split(D.inner(tbs[5]))
        bits = D.inner(spki[1])
        n, e = (int.from_bytes(D.inner(x), "big") for x in D.split(D.inner(bits[1:])))
        return rsa.RSAPublicNumbers(e, n).public_key()


def _hash(name):
    from cryptography.hazmat.primitives import hashes
    return getattr(hashes, name)()


def _pss(params_der):
    """(hash, mgf1 hash, salt length) of RSASSA-PSS-params, defaults applied."""
    h, mgf, salt = "SHA1", "SHA1", 20
    for f in D.split(D.inner(params_der)) if params_der else []:
        tag, v = f[0], D.inner(f)
        if tag == 0xA0:
            h = HASH_OIDS[D.inner(D.split(D.inner(v))[0]).hex()]
        elif tag == 0xA1:
            alg = D.split(D.inner(v))
            mgf = HASH_OIDS[D.inner(D.split(D.inner(alg[1]))[0]).hex()]
        elif tag == 0xA2:
            salt = int.from_bytes(D.inner(v), "big")
    return h, mgf, salt


def verify(tbs, alg_der, sig, cert_der):
    """Raises (pyca's InvalidSignature, or ValueError) unless sig is a valid
    signature of tbs by the key of cert_der with the algorithm alg_der."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
    parts = D.split(D.inner(alg_der))
    oid = D.inner(parts[0]).hex()
    params = parts[1] if len(parts) > 1 else None
    key = public_key(cert_der)
    if oid == ED25519:
        assert isinstance(key, ed25519.Ed25519PublicKey)
        return key.verify(sig, tbs)
    if oid == ED448:
        assert isinstance(key, ed448.Ed448PublicKey)
        return key.verify(sig, tbs)
    if oid in ECDSA:
        assert isinstance(key, ec.EllipticCurvePublicKey)
        return key.verify(sig, tbs, ec.ECDSA(_hash(ECDSA[oid])))
    assert isinstance(key, rsa.RSAPublicKey)
    if oid in RSA_PKCS1:
        return key.verify(sig, tbs, padding.PKCS1v15(), _hash(RSA_PKCS1[oid]))
    if oid == PSS:
        h, mgf, salt = _pss(params)
        return key.verify(sig, tbs, padding.PSS(padding.MGF1(_hash(mgf)), salt), _hash(h))
    raise ValueError("signature algorithm %s not known here" % oid)


def verify_response(resp_der, signer_der=None):
    """Checks a response's signature with its first certificate (or
    signer_der); returns the signer's DER."""
    tbs, alg, sig, certs = split_basic(resp_der)
    signer = signer_der or (certs[0] if certs else None)
    assert signer, "no signer certificate"
    verify(tbs, alg, sig, signer)
    return signer
