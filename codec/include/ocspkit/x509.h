/* ocspkit: the parts of an X.509 certificate (RFC 5280) that OCSP needs.
 *
 * A certificate is decoded against the Certificate type of asn1/ocsp.asn,
 * strictly, into an opaque object that owns a copy of its DER.  This is not
 * a path validator: it reads names, keys, validity and the extensions OCSP
 * cares about (key usage, extended key usage, basic constraints, authority
 * information access, OCSP no-check, TLS feature).
 */
#ifndef OCSPKIT_X509_H
#define OCSPKIT_X509_H

#include <ocspkit/ocsp.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ocspkit_cert ocspkit_cert;

OCSPKIT_WUR ocspkit_err ocspkit_cert_decode(ocspkit_cert **out, const uint8_t *der, size_t len,
					    unsigned flags, size_t *err_offset);
void ocspkit_cert_free(ocspkit_cert *cert);

ocspkit_bytes ocspkit_cert_der(const ocspkit_cert *cert);
ocspkit_bytes ocspkit_cert_tbs_der(const ocspkit_cert *cert);       /* exact tbsCertificate */
long ocspkit_cert_version(const ocspkit_cert *cert);                 /* 0 = v1 ... 2 = v3 */
ocspkit_bytes ocspkit_cert_serial(const ocspkit_cert *cert);         /* INTEGER content octets */
ocspkit_bytes ocspkit_cert_issuer(const ocspkit_cert *cert);         /* whole DER of the Name */
ocspkit_bytes ocspkit_cert_subject(const ocspkit_cert *cert);        /* whole DER of the Name */
int64_t ocspkit_cert_not_before(const ocspkit_cert *cert);
int64_t ocspkit_cert_not_after(const ocspkit_cert *cert);
/* Digits of the fractional seconds of notBefore / notAfter when it is a
 * GeneralizedTime that has them (RFC 5280 forbids them, DER does not);
 * empty otherwise. */
ocspkit_bytes ocspkit_cert_not_before_fraction(const ocspkit_cert *cert);
ocspkit_bytes ocspkit_cert_not_after_fraction(const ocspkit_cert *cert);
ocspkit_bytes ocspkit_cert_spki(const ocspkit_cert *cert);           /* whole SubjectPublicKeyInfo */
const ocspkit_algorithm_id *ocspkit_cert_key_algorithm(const ocspkit_cert *cert);
ocspkit_bytes ocspkit_cert_public_key(const ocspkit_cert *cert);     /* subjectPublicKey octets */
const ocspkit_algorithm_id *ocspkit_cert_signature_algorithm(const ocspkit_cert *cert);
ocspkit_bytes ocspkit_cert_signature(const ocspkit_cert *cert);
size_t ocspkit_cert_extension_count(const ocspkit_cert *cert);
const ocspkit_extension *ocspkit_cert_extension(const ocspkit_cert *cert, size_t i);

/* Extension-derived facts; each is 0 when the extension is absent. */
int ocspkit_cert_is_ca(const ocspkit_cert *cert);                    /* basicConstraints cA */
int ocspkit_cert_has_ocsp_signing(const ocspkit_cert *cert);         /* EKU id-kp-OCSPSigning */
int ocspkit_cert_has_ocsp_nocheck(const ocspkit_cert *cert);         /* id-pkix-ocsp-nocheck */
int ocspkit_cert_must_staple(const ocspkit_cert *cert);              /* TLS feature status_request */
/* keyUsage bits as in RFC 5280 (bit 0 = digitalSignature is 0x1,
 * keyCertSign is 0x20 ...); *present is 0 without the extension. */
unsigned ocspkit_cert_key_usage(const ocspkit_cert *cert, int *present);
/* OCSP responder URLs from authorityInfoAccess (id-ad-ocsp, URI form);
 * up to max are written, *count gets how many there are. */
OCSPKIT_WUR ocspkit_err ocspkit_cert_ocsp_urls(ocspkit_bytes *urls, size_t max, size_t *count,
					       const ocspkit_cert *cert);

/* SHA-1 of the subjectPublicKey octets: the byKey ResponderID of a
 * responder using this certificate. */
void ocspkit_cert_key_hash(uint8_t out[20], const ocspkit_cert *cert);

/* CertID of the certificate with the given serial issued by issuer, or of
 * subject (whose issuer field must equal issuer's subject: otherwise
 * OCSPKIT_E_INVALID_ARGUMENT). */
OCSPKIT_WUR ocspkit_err ocspkit_cert_id_compute(ocspkit_cert_id_value *out, ocspkit_hash hash,
						const ocspkit_cert *issuer, ocspkit_bytes serial);
OCSPKIT_WUR ocspkit_err ocspkit_cert_id_for_cert(ocspkit_cert_id_value *out, ocspkit_hash hash,
						 const ocspkit_cert *issuer,
						 const ocspkit_cert *subject);

#ifdef __cplusplus
}
#endif

#endif /* OCSPKIT_X509_H */
