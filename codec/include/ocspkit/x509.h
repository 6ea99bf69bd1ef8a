/* ocspkit: the parts of an X.509 certificate (RFC 5280) that OCSP needs.
 *
 * A certificate is decoded against the Certificate type of asn1/ocsp.asn,
 * strictly, into an opaque object that owns a copy of its DER.  This is not
 * a path validator: it reads names, keys, validity and the extensions OCSP
 * cares about (key usage, extended key usage, basic constraints, authority
 * information access, OCSP no-check, TLS feature).  The conventions are
 * those of <ocspkit/ocspkit.h>.
 */
#ifndef OCSPKIT_X509_H
#define OCSPKIT_X509_H

#include <ocspkit/ocsp.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A decoded certificate: immutable, so it may be read from several
 * threads at once. */
typedef struct ocspkit_cert ocspkit_cert;

/* ocspkit_cert_decode decodes the len octets at der as a Certificate
 * (RFC 5280 4.1), strictly but for the tolerances flags name, as
 * ocspkit_request_decode does a request: *out (freed with
 * ocspkit_cert_free) owns a copy of der, and every view read from it
 * points into that copy.  It returns OCSPKIT_OK, or the error with *out
 * NULL and *err_offset (when not NULL) where decoding stopped. */
OCSPKIT_WUR ocspkit_err ocspkit_cert_decode(ocspkit_cert **out, const uint8_t *der, size_t len, unsigned flags,
					    size_t *err_offset);

/* ocspkit_cert_free releases cert and everything read from it; NULL is
 * ignored. */
void ocspkit_cert_free(ocspkit_cert *cert);

/* ocspkit_cert_get_der returns the whole certificate,
 * ocspkit_cert_get_tbs_der the exact DER of tbsCertificate (what its
 * signature covers), ocspkit_cert_get_version the version (0 = v1 ...
 * 2 = v3), ocspkit_cert_get_serial the serialNumber's content octets,
 * ocspkit_cert_get_issuer and ocspkit_cert_get_subject the whole DER of
 * the Names, ocspkit_cert_get_not_before and ocspkit_cert_get_not_after
 * the validity in seconds since the epoch, ocspkit_cert_get_spki the
 * whole SubjectPublicKeyInfo, ocspkit_cert_get_key_algorithm its
 * algorithm, ocspkit_cert_get_public_key its subjectPublicKey octets,
 * ocspkit_cert_get_signature_algorithm the outer signatureAlgorithm and
 * ocspkit_cert_get_signature the signature octets: each a view into cert
 * (valid while cert is) or a value. */
ocspkit_bytes ocspkit_cert_get_der(const ocspkit_cert *cert);
ocspkit_bytes ocspkit_cert_get_tbs_der(const ocspkit_cert *cert);
long ocspkit_cert_get_version(const ocspkit_cert *cert);
ocspkit_bytes ocspkit_cert_get_serial(const ocspkit_cert *cert);
ocspkit_bytes ocspkit_cert_get_issuer(const ocspkit_cert *cert);
ocspkit_bytes ocspkit_cert_get_subject(const ocspkit_cert *cert);
int64_t ocspkit_cert_get_not_before(const ocspkit_cert *cert);
int64_t ocspkit_cert_get_not_after(const ocspkit_cert *cert);
ocspkit_bytes ocspkit_cert_get_spki(const ocspkit_cert *cert);
ocspkit_algorithm_id ocspkit_cert_get_key_algorithm(const ocspkit_cert *cert);
ocspkit_bytes ocspkit_cert_get_public_key(const ocspkit_cert *cert);
ocspkit_algorithm_id ocspkit_cert_get_signature_algorithm(const ocspkit_cert *cert);
ocspkit_bytes ocspkit_cert_get_signature(const ocspkit_cert *cert);

/* ocspkit_cert_get_not_before_fraction and
 * ocspkit_cert_get_not_after_fraction return the digits of the
 * fractional seconds of notBefore and notAfter, for a GeneralizedTime
 * that has them (RFC 5280 forbids them, DER does not); empty otherwise.
 * Views into cert. */
ocspkit_bytes ocspkit_cert_get_not_before_fraction(const ocspkit_cert *cert);
ocspkit_bytes ocspkit_cert_get_not_after_fraction(const ocspkit_cert *cert);

/* ocspkit_cert_get_extension_count returns the number of extensions of
 * cert; ocspkit_cert_get_extension the ith of them (0-based, below the
 * count; NULL otherwise), a pointer into cert. */
size_t ocspkit_cert_get_extension_count(const ocspkit_cert *cert);
const ocspkit_extension *ocspkit_cert_get_extension(const ocspkit_cert *cert, size_t i);

/* ocspkit_cert_is_ca returns 1 when cert's basicConstraints says cA;
 * ocspkit_cert_has_ocsp_signing when its extendedKeyUsage has
 * id-kp-OCSPSigning; ocspkit_cert_has_ocsp_nocheck when it has
 * id-pkix-ocsp-nocheck; ocspkit_cert_has_must_staple when its TLS feature
 * extension has status_request (RFC 7633).  Else 0, an absent extension
 * included. */
int ocspkit_cert_is_ca(const ocspkit_cert *cert);
int ocspkit_cert_has_ocsp_signing(const ocspkit_cert *cert);
int ocspkit_cert_has_ocsp_nocheck(const ocspkit_cert *cert);
int ocspkit_cert_has_must_staple(const ocspkit_cert *cert);

/* ocspkit_cert_get_key_usage sets *usage to the keyUsage bits as RFC 5280
 * numbers them (bit 0, digitalSignature, is 0x1; keyCertSign is 0x20 ...)
 * and returns OCSPKIT_OK, or returns OCSPKIT_E_NOT_FOUND when cert has no
 * keyUsage extension. */
OCSPKIT_WUR ocspkit_err ocspkit_cert_get_key_usage(unsigned *usage, const ocspkit_cert *cert);

/* ocspkit_cert_get_ocsp_urls writes the first max OCSP responder URLs of
 * cert's authorityInfoAccess (id-ad-ocsp, URI form; views into cert) to
 * urls, which may be NULL when max is 0, and sets *count to how many
 * there are (more than max when they did not all fit; 0 without the
 * extension).  It returns OCSPKIT_OK, OCSPKIT_E_INVALID_ARGUMENT (count
 * NULL), or the DER error of an authorityInfoAccess it cannot read. */
OCSPKIT_WUR ocspkit_err ocspkit_cert_get_ocsp_urls(ocspkit_bytes *urls, size_t max, size_t *count,
						   const ocspkit_cert *cert);

/* ocspkit_cert_get_key_hash writes to out the SHA-1 of cert's
 * subjectPublicKey octets: the byKey ResponderID of a responder using
 * this certificate. */
void ocspkit_cert_get_key_hash(uint8_t out[20], const ocspkit_cert *cert);

/* ocspkit_cert_id_compute sets *out to the CertID, in hash, of the
 * certificate with serial (INTEGER content octets, minimal) that issuer
 * issued; ocspkit_cert_id_for_cert that of the certificate subject, whose
 * issuer field must be issuer's subject (OCSPKIT_E_INVALID_ARGUMENT
 * otherwise).  Both return what ocspkit_cert_id_compute_raw returns. */
OCSPKIT_WUR ocspkit_err ocspkit_cert_id_compute(ocspkit_cert_id_value *out, ocspkit_hash hash,
						const ocspkit_cert *issuer, ocspkit_bytes serial);
OCSPKIT_WUR ocspkit_err ocspkit_cert_id_for_cert(ocspkit_cert_id_value *out, ocspkit_hash hash,
						 const ocspkit_cert *issuer, const ocspkit_cert *subject);

#ifdef __cplusplus
}
#endif

#endif /* OCSPKIT_X509_H */
