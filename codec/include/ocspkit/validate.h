/* ocspkit: validation of OCSP responses, RFC 6960 sections 3.2 (what a
 * client must check) and 4.2.2.2 (who may sign), at a time the caller
 * gives.  Decoding answers "is this an OCSP response and what does it
 * say"; validation "can I trust it for this certificate at this time".
 * The conventions are those of <ocspkit/ocspkit.h>.
 */
#ifndef OCSPKIT_VALIDATE_H
#define OCSPKIT_VALIDATE_H

#include <ocspkit/ocsp.h>
#include <ocspkit/x509.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- the responder cache */

/* A bounded cache of delegated responder certificates already verified
 * against a CA: a later response from the same responder costs one
 * signature check instead of two.  An entry is found by a hash of the
 * certificate and confirmed by comparing the certificate and the CA's
 * name and key octet by octet.  It locks itself: several threads validate
 * with one cache at once.  The least recently used entry goes when it is
 * full. */
typedef struct ocspkit_responder_cache ocspkit_responder_cache;
#define OCSPKIT_MAX_CACHE_ENTRIES 4096

/* ocspkit_responder_cache_new makes an empty cache of capacity entries (1
 * to OCSPKIT_MAX_CACHE_ENTRIES) in *out (freed with
 * ocspkit_responder_cache_free).  OCSPKIT_OK, OCSPKIT_E_INVALID_ARGUMENT or
 * OCSPKIT_E_NO_MEMORY; *out NULL on failure. */
OCSPKIT_WUR ocspkit_err ocspkit_responder_cache_new(ocspkit_responder_cache **out, size_t capacity);

/* ocspkit_responder_cache_free releases cache, which no validation may be
 * using; NULL is ignored. */
void ocspkit_responder_cache_free(ocspkit_responder_cache *cache);

/* ocspkit_responder_cache_clear empties cache (a CA's key or policy
 * changed, say); NULL is ignored. */
void ocspkit_responder_cache_clear(ocspkit_responder_cache *cache);

/* ocspkit_responder_cache_get_entry_count returns the entries cache holds,
 * ocspkit_responder_cache_get_hit_count the lookups that found one since
 * it was made (0 for NULL). */
size_t ocspkit_responder_cache_get_entry_count(ocspkit_responder_cache *cache);
unsigned long ocspkit_responder_cache_get_hit_count(ocspkit_responder_cache *cache);

/* ---------------------------------------------------------------- validation */

/* One certificate asked about.  Either an exact CertID (the one the
 * request carried), or the certificate itself or its serial number, in
 * which case the CertID is computed from the issuer in whichever hash
 * algorithm (SHA-1, SHA-2) the response uses. */
typedef struct {
	const ocspkit_cert_id *cert_id;
	const ocspkit_cert *cert;  /* also checks producedAt is within its validity */
	ocspkit_bytes serial;      /* INTEGER content octets, minimal */
} ocspkit_validate_target;

/* What to validate a response for. */
typedef struct {
	/* The CA that issued the certificates asked about.  It is trusted as
	 * given (no path validation: that is the caller's), and must sign the
	 * response or have directly issued the delegated responder's
	 * certificate. */
	const ocspkit_cert *issuer;
	/* Responders trusted directly (RFC 6960 4.2.2.2 "local configuration",
	 * OpenSSL's -VAfile): a response they sign needs no delegation, but
	 * must fall within their validity (now, with skew, and producedAt). */
	const ocspkit_cert *const *trusted;
	size_t trusted_count;
	/* The certificates asked about; may be empty to check the signature
	 * and the response as a whole only. */
	const ocspkit_validate_target *targets;
	size_t target_count;
	/* The nonce sent (the octets inside the extension); empty: none sent. */
	ocspkit_bytes nonce;
	/* The time of the check, in seconds since the epoch: required (the
	 * library reads no clock; 0 is OCSPKIT_E_INVALID_ARGUMENT). */
	int64_t now;
	/* Allowed clock difference in seconds, both ways. */
	int64_t skew;
	/* When > 0: a SingleResponse without nextUpdate whose thisUpdate is
	 * older than this many seconds is OCSPKIT_E_RESPONSE_TOO_OLD. */
	int64_t max_age;
	/* Optional cache of verified delegated responders. */
	ocspkit_responder_cache *cache;
	/* OCSPKIT_DECODE_* flags for certificates embedded in the response. */
	unsigned flags;
} ocspkit_validate_params;

/* What validation found for one target. */
typedef struct {
	ocspkit_err error;                     /* OCSPKIT_OK, or the check that failed */
	const ocspkit_single_response *single; /* the answer (points into the response), or NULL */
} ocspkit_target_result;

/* Who signed an accepted response. */
typedef enum {
	OCSPKIT_SIGNER_NONE = 0,
	OCSPKIT_SIGNER_CA = 1,        /* the issuing CA itself */
	OCSPKIT_SIGNER_DELEGATED = 2, /* a certificate with id-kp-OCSPSigning issued by the CA */
	OCSPKIT_SIGNER_TRUSTED = 3    /* one of params.trusted */
} ocspkit_signer_kind;

/* What validation found. */
typedef struct {
	ocspkit_signer_kind signer;
	ocspkit_bytes signer_cert;    /* DER of the certificate whose key signed */
	int nocheck;                  /* the delegated certificate has id-pkix-ocsp-nocheck */
	int cache_hit;                /* the delegated certificate came from the cache */
	/* One entry per target, in the order of params.targets: allocated by
	 * ocspkit_response_validate, released by
	 * ocspkit_validate_result_clear (NULL when there are none). */
	ocspkit_target_result *targets;
	size_t target_count;
} ocspkit_validate_result;

/* ocspkit_response_validate validates resp, decoded, for the targets of
 * params at params->now, into *result.  It returns OCSPKIT_OK when the response is authentic, current and answers every
 * target (the answer may be good, revoked or unknown: read
 * result->targets[i].single), else the first check that failed:
 *
 *  - OCSPKIT_E_NOT_SUCCESSFUL: not a successful response;
 *  - the signature over the exact tbsResponseData bytes: the errors of
 *    ocspkit_verify_signature, OCSPKIT_E_SIGNATURE_INVALID among them;
 *  - the signer: OCSPKIT_E_SIGNER_NOT_FOUND (no certificate matches the
 *    ResponderID), OCSPKIT_E_RESPONDER_ID_MISMATCH (a known key signed, but
 *    the ResponderID names another), OCSPKIT_E_SIGNER_WRONG_ISSUER,
 *    OCSPKIT_E_SIGNER_CERT_SIGNATURE, OCSPKIT_E_SIGNER_NO_OCSP_SIGNING,
 *    OCSPKIT_E_SIGNER_NOT_AUTHORIZED (keyUsage without digitalSignature),
 *    OCSPKIT_E_SIGNER_EXPIRED / _NOT_YET_VALID (at now, with skew),
 *    OCSPKIT_E_PRODUCED_AT_INVALID (producedAt outside the responder's
 *    validity), OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION (in its certificate);
 *  - OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION in responseExtensions or in
 *    the singleExtensions of any SingleResponse, asked about or not;
 *  - OCSPKIT_E_NONCE_MISSING / OCSPKIT_E_NONCE_MISMATCH;
 *  - per target, also stored in result->targets[i].error:
 *    OCSPKIT_E_CERT_ID_NOT_FOUND, OCSPKIT_E_CERT_ID_CONFLICT,
 *    OCSPKIT_E_RESPONSE_NOT_YET_VALID (thisUpdate > now + skew),
 *    OCSPKIT_E_RESPONSE_EXPIRED (nextUpdate < now - skew),
 *    OCSPKIT_E_RESPONSE_TOO_OLD, OCSPKIT_E_PRODUCED_AT_INVALID (outside the
 *    target certificate's validity).
 * When a response-wide check fails every target carries that error.
 *
 * *result need not be initialised: it is filled whole, its targets
 * allocated, whatever the outcome; release it with
 * ocspkit_validate_result_clear whatever ocspkit_response_validate
 * returned.  Its views point into resp and the certificates of params
 * (issuer, trusted): valid while they are.  OCSPKIT_E_INVALID_ARGUMENT (nothing allocated)
 * for NULL arguments, params->now 0, a negative skew; OCSPKIT_E_NO_MEMORY.
 * Several threads may validate at once, sharing params->cache. */
OCSPKIT_WUR ocspkit_err ocspkit_response_validate(ocspkit_validate_result *result, const ocspkit_response *resp,
						  const ocspkit_validate_params *params);

/* ocspkit_validate_result_clear releases what ocspkit_response_validate
 * allocated in *result and zeroes it; a zeroed struct or NULL is fine. */
void ocspkit_validate_result_clear(ocspkit_validate_result *result);

#ifdef __cplusplus
}
#endif

#endif /* OCSPKIT_VALIDATE_H */
