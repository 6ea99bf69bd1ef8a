/* ocspkit: keys, signatures and validation of OCSP messages.
 *
 * Keys.  A public key is read from a SubjectPublicKeyInfo (RFC 5280 4.1.2.7;
 * RSA from RFC 8017, RSASSA-PSS keys from RFC 4055, EC from RFC 5480, Ed25519
 * and Ed448 from RFC 8410).  A private key is handed over as the octets
 * of its parts (the library does not read key files: see tools/keys.c for
 * loading them with GnuTLS); the library copies what it is given.
 *
 * Signatures.  RSA PKCS #1 v1.5 with SHA-1/224/256/384/512, RSASSA-PSS with
 * its parameters, ECDSA on P-256/P-384/P-521 (strict DER of r and s),
 * Ed25519 and Ed448.  Algorithms built on MD2 or MD5 are refused with
 * OCSPKIT_E_WEAK_ALGORITHM, others with OCSPKIT_E_UNSUPPORTED_ALGORITHM.  RSA
 * signing is blinded; random octets come from getrandom().
 *
 * Validation (ocspkit_response_validate) follows RFC 6960 sections 3.2 and
 * 4.2.2.2; see the comment above it.
 *
 * Threads: public and private keys are immutable once made, so one key can
 * sign or verify from any number of threads at once.  A responder cache is
 * locked internally.  Nothing else is shared.
 */
#ifndef OCSPKIT_CRYPTO_H
#define OCSPKIT_CRYPTO_H

#include <ocspkit/ocsp.h>
#include <ocspkit/x509.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- limits */

/* RSA moduli accepted, in bits (OCSPKIT_E_BAD_PUBLIC_KEY outside); public
 * exponents are odd, above 1 and at most 64 bits. */
#define OCSPKIT_MIN_RSA_BITS 1024
#define OCSPKIT_MAX_RSA_BITS 16384
/* Largest signature the library produces or accepts, in octets. */
#define OCSPKIT_MAX_SIGNATURE_SIZE (OCSPKIT_MAX_RSA_BITS / 8)
/* Largest RSASSA-PSS salt, in octets. */
#define OCSPKIT_MAX_PSS_SALT 1024

/* ---------------------------------------------------------------- keys */

typedef enum {
	OCSPKIT_KEY_UNKNOWN = 0,
	OCSPKIT_KEY_RSA = 1,     /* rsaEncryption: PKCS #1 v1.5 or PSS */
	OCSPKIT_KEY_RSA_PSS = 2, /* id-RSASSA-PSS: RSA usable for PSS only */
	OCSPKIT_KEY_EC_P256 = 3,
	OCSPKIT_KEY_EC_P384 = 4,
	OCSPKIT_KEY_EC_P521 = 5,
	OCSPKIT_KEY_ED25519 = 6,
	OCSPKIT_KEY_ED448 = 7
} ocspkit_key_type;

/* "RSA", "RSA-PSS", "P-256", "P-384", "P-521", "Ed25519", "Ed448", "unknown". */
const char *ocspkit_key_type_name(ocspkit_key_type type);

typedef struct ocspkit_pubkey ocspkit_pubkey;

/* Reads a DER SubjectPublicKeyInfo.  DER errors keep their codes; a key
 * that is well-formed DER but unusable (even modulus, point not on the
 * curve, wrong length) is OCSPKIT_E_BAD_PUBLIC_KEY; an algorithm or curve
 * the library does not implement is OCSPKIT_E_UNSUPPORTED_ALGORITHM. */
OCSPKIT_WUR ocspkit_err ocspkit_pubkey_decode(ocspkit_pubkey **out, const uint8_t *spki, size_t len);
/* The subject public key of a certificate. */
OCSPKIT_WUR ocspkit_err ocspkit_pubkey_from_cert(ocspkit_pubkey **out, const ocspkit_cert *cert);
void ocspkit_pubkey_free(ocspkit_pubkey *key);
/* The key as a DER SubjectPublicKeyInfo (ocspkit_free), in the form
 * ocspkit_pubkey_decode reads (NULL parameters for RSA, a named curve and
 * an uncompressed point for EC). */
OCSPKIT_WUR ocspkit_err ocspkit_pubkey_encode(uint8_t **der, size_t *len, const ocspkit_pubkey *key);
ocspkit_key_type ocspkit_pubkey_get_type(const ocspkit_pubkey *key);
/* Modulus or curve size in bits (255 and 448 for the EdDSA curves). */
size_t ocspkit_pubkey_get_bits(const ocspkit_pubkey *key);

typedef struct ocspkit_privkey ocspkit_privkey;

/* The parts of an RSA private key (RFC 8017 3.2, the fields of PKCS #1's
 * RSAPrivateKey), each the unsigned big-endian octets of an integer
 * (leading zero octets allowed).  dp, dq and qinv may be empty: they are
 * computed from d, p and q, and checked against them when given. */
typedef struct {
	ocspkit_bytes n, e;     /* modulus, public exponent */
	ocspkit_bytes d;        /* private exponent */
	ocspkit_bytes p, q;     /* the primes */
	ocspkit_bytes dp, dq;   /* d mod (p - 1), d mod (q - 1) */
	ocspkit_bytes qinv;     /* q^-1 mod p */
} ocspkit_rsa_private_parts;

/* ocspkit_privkey_from_rsa makes an RSA key of parts, which are copied.
 * pss_only marks an id-RSASSA-PSS key: it then signs with PSS only.  It
 * returns OCSPKIT_OK and *out (freed with ocspkit_privkey_free);
 * OCSPKIT_E_BAD_PRIVATE_KEY when the parts are not one consistent key
 * (n = p q, e d = 1 modulo p - 1 and q - 1, the CRT values given) or n
 * has outside OCSPKIT_MIN_RSA_BITS .. OCSPKIT_MAX_RSA_BITS bits;
 * OCSPKIT_E_INVALID_ARGUMENT (parts NULL, a NULL view that is not empty);
 * OCSPKIT_E_NO_MEMORY.  *out is NULL on failure. */
OCSPKIT_WUR ocspkit_err ocspkit_privkey_from_rsa(ocspkit_privkey **out, const ocspkit_rsa_private_parts *parts,
						 int pss_only);
/* ocspkit_privkey_from_ec makes an ECDSA key of type (OCSPKIT_KEY_EC_P256,
 * _P384 or _P521) from its private scalar, the len unsigned big-endian
 * octets at scalar (RFC 5915's privateKey; copied).  It returns
 * OCSPKIT_OK and *out (freed with ocspkit_privkey_free);
 * OCSPKIT_E_BAD_PRIVATE_KEY for a scalar of 0 or not below the group
 * order; OCSPKIT_E_INVALID_ARGUMENT for another type; OCSPKIT_E_NO_MEMORY.
 * *out is NULL on failure. */
OCSPKIT_WUR ocspkit_err ocspkit_privkey_from_ec(ocspkit_privkey **out, ocspkit_key_type type, const uint8_t *scalar,
						size_t len);
/* An EdDSA key from its private octets (RFC 8032: 32 for Ed25519, 57 for
 * Ed448); type is OCSPKIT_KEY_ED25519 or OCSPKIT_KEY_ED448. */
OCSPKIT_WUR ocspkit_err ocspkit_privkey_from_eddsa(ocspkit_privkey **out, ocspkit_key_type type,
						   const uint8_t *priv, size_t len);
/* Wipes the secret values and frees the key. */
void ocspkit_privkey_free(ocspkit_privkey *key);
/* The public half of a private key, as a key of its own. */
OCSPKIT_WUR ocspkit_err ocspkit_pubkey_from_privkey(ocspkit_pubkey **out, const ocspkit_privkey *key);
ocspkit_key_type ocspkit_privkey_get_type(const ocspkit_privkey *key);
size_t ocspkit_privkey_get_bits(const ocspkit_privkey *key);
/* OCSPKIT_OK when key is the private half of pub (a responder key that
 * belongs to its certificate); OCSPKIT_E_KEY_MISMATCH otherwise. */
OCSPKIT_WUR ocspkit_err ocspkit_privkey_check(const ocspkit_privkey *key, const ocspkit_pubkey *pub);

/* ---------------------------------------------------------------- signing */

/* How to sign.  A zeroed struct (or NULL) means the defaults. */
typedef struct {
	/* Message digest: 0 for the key's default, SHA-256 for RSA and P-256,
	 * SHA-384 for P-384, SHA-512 for P-521.  Must be 0 for Ed25519 and
	 * Ed448, which hash inside the algorithm. */
	ocspkit_hash digest;
	/* RSA: RSASSA-PSS instead of PKCS #1 v1.5 (always so for RSA-PSS keys). */
	int rsa_pss;
	/* PSS salt length in octets; the digest length unless has_pss_salt_len. */
	int has_pss_salt_len;
	size_t pss_salt_len;
	/* PSS mask generation: MGF1 with this hash, 0 for the digest. */
	ocspkit_hash pss_mgf1_hash;
} ocspkit_sign_opts;

/* An AlgorithmIdentifier that owns its bytes (what signing produces);
 * read it through ocspkit_algorithm_value_view(). */
#define OCSPKIT_MAX_ALGORITHM_PARAMS 96
typedef struct {
	size_t oid_len;
	uint8_t oid[16];                 /* content octets */
	size_t params_len;               /* 0: parameters absent */
	uint8_t params[OCSPKIT_MAX_ALGORITHM_PARAMS]; /* whole DER TLV */
} ocspkit_algorithm_value;
/* Views of v's bytes, valid while *v is. */
ocspkit_algorithm_id ocspkit_algorithm_value_view(const ocspkit_algorithm_value *v);

/* The signatureAlgorithm key and opts sign with: NULL parameters for
 * PKCS #1 v1.5, RSASSA-PSS-params for PSS (fields at their DEFAULT
 * omitted), none for ECDSA and EdDSA.  OCSPKIT_E_KEY_ALGORITHM_MISMATCH for
 * options the key cannot use, OCSPKIT_E_WEAK_ALGORITHM for MD5/MD2. */
OCSPKIT_WUR ocspkit_err ocspkit_sign_algorithm(ocspkit_algorithm_value *alg, const ocspkit_privkey *key,
					       const ocspkit_sign_opts *opts);
/* ---------------------------------------------------------------- the signer */

/* A signer is whatever signs for a responder or a requestor: a key in
 * memory (ocspkit_signer_from_privkey), a token or an HSM reached through
 * another library (ocspkit_signer_new).  Like Go's crypto.Signer it is
 * the algorithm it produces and a sign operation; the library encodes
 * what is signed and the AlgorithmIdentifier, the signer only signs. */
typedef struct ocspkit_signer ocspkit_signer;

/* What a signer made by ocspkit_signer_new does. */
typedef struct {
	/* sign signs the data_len octets at data, the whole DER to be signed
	 * (tbsResponseData, or TBSRequest), with the signer's algorithm: it
	 * hashes them itself where the algorithm hashes (an RSA or ECDSA
	 * token may be given the data or a digest of them; EdDSA signs the
	 * message).  It writes the signature octets (those of the BIT
	 * STRING; for ECDSA the DER of ECDSA-Sig-Value) to sig, which has
	 * room for sig_cap octets (the signer's max_signature_size), sets
	 * *sig_len and returns OCSPKIT_OK, or returns an error, which the
	 * caller of the signing function receives unchanged (an error
	 * outside ocspkit_err is OCSPKIT_E_SIGNING_FAILED).  ctx is the
	 * signer's context; data stays valid for the call only.
	 *
	 * It may take long (a network HSM) and may fail (a token removed):
	 * nothing is held locked while it runs, and a responder answers
	 * tryLater.  It is called from several threads at once with the
	 * same ctx, and must allow that (serialising inside if the device
	 * needs it). */
	ocspkit_err (*sign)(void *ctx, uint8_t *sig, size_t sig_cap, size_t *sig_len, const uint8_t *data,
			    size_t data_len);
	/* free releases ctx when the signer is freed; NULL when there is
	 * nothing to release. */
	void (*free)(void *ctx);
} ocspkit_signer_ops;

/* ocspkit_signer_new makes a signer that signs with ops->sign on ctx,
 * producing signatures of the algorithm alg (an AlgorithmIdentifier the
 * library writes as given: a valid OID, parameters absent or one DER
 * element) of at most max_signature_size octets (1 to
 * OCSPKIT_MAX_SIGNATURE_SIZE).  ops and alg are copied; ctx is the
 * signer's from then on, released with ops->free by ocspkit_signer_free.
 * It returns OCSPKIT_OK and *out (freed with ocspkit_signer_free);
 * OCSPKIT_E_INVALID_ARGUMENT for a NULL ops->sign or a bad alg or size;
 * OCSPKIT_E_NO_MEMORY.  On failure *out is NULL and ctx remains the
 * caller's (ops->free is not called).  What the callback signs is not
 * checked against any key: it is trusted. */
OCSPKIT_WUR ocspkit_err ocspkit_signer_new(ocspkit_signer **out, const ocspkit_signer_ops *ops, void *ctx,
					   const ocspkit_algorithm_value *alg, size_t max_signature_size);

/* ocspkit_signer_from_privkey makes the signer of key under opts (NULL:
 * the defaults), signing with the algorithm ocspkit_sign_algorithm
 * announces.  key is borrowed: it must outlive the signer.  It returns
 * OCSPKIT_OK and *out (freed with ocspkit_signer_free), or the errors of
 * ocspkit_sign_algorithm, OCSPKIT_E_INVALID_ARGUMENT (key NULL),
 * OCSPKIT_E_NO_MEMORY; *out is NULL on failure.  Its signatures fail with
 * OCSPKIT_E_SIGNING_FAILED when no random octets could be read or the key
 * is inconsistent.  RSA signing is blinded. */
OCSPKIT_WUR ocspkit_err ocspkit_signer_from_privkey(ocspkit_signer **out, const ocspkit_privkey *key,
						    const ocspkit_sign_opts *opts);

/* ocspkit_signer_free releases s and, through ops->free, its context.
 * NULL is ignored.  No other thread may be using s. */
void ocspkit_signer_free(ocspkit_signer *s);

/* ocspkit_signer_get_algorithm returns the AlgorithmIdentifier s's
 * signatures are made with: views into s, valid while s is. */
ocspkit_algorithm_id ocspkit_signer_get_algorithm(const ocspkit_signer *s);

/* ocspkit_signer_sign signs the len octets at data with s.  It returns
 * OCSPKIT_OK with *sig (freed with ocspkit_free) and *sig_len, the octets
 * a BIT STRING carries; the error of s's callback, or
 * OCSPKIT_E_SIGNING_FAILED when the callback reported an empty signature
 * or one longer than s allows; OCSPKIT_E_INVALID_ARGUMENT;
 * OCSPKIT_E_NO_MEMORY.  On failure *sig is NULL and *sig_len 0.  Safe to
 * call from several threads with one signer. */
OCSPKIT_WUR ocspkit_err ocspkit_signer_sign(uint8_t **sig, size_t *sig_len, const ocspkit_signer *s,
					    const uint8_t *data, size_t len);

/* ---------------------------------------------------------------- verifying */

/* Checks sig over data with key under the signature algorithm alg.
 * OCSPKIT_OK, or: OCSPKIT_E_SIGNATURE_INVALID (does not verify),
 * OCSPKIT_E_BAD_SIGNATURE_ENCODING (wrong length, ECDSA-Sig-Value not strict
 * DER or r, s not minimal positive INTEGERs), OCSPKIT_E_BAD_ALGORITHM_PARAMS,
 * OCSPKIT_E_KEY_ALGORITHM_MISMATCH (e.g. an ECDSA signature and an RSA key),
 * OCSPKIT_E_WEAK_ALGORITHM, OCSPKIT_E_UNSUPPORTED_ALGORITHM. */
OCSPKIT_WUR ocspkit_err ocspkit_verify_signature(const ocspkit_pubkey *key, const ocspkit_algorithm_id *alg,
						 const uint8_t *data, size_t len, ocspkit_bytes sig);

/* Checks a certificate's signature with its issuer's key (and that the
 * inner and outer signature algorithms are the same).  Only the
 * signature: names, validity and extensions are the caller's to judge. */
OCSPKIT_WUR ocspkit_err ocspkit_cert_verify(const ocspkit_cert *cert, const ocspkit_pubkey *issuer_key);

/* ---------------------------------------------------------------- OCSP messages */

/* ocspkit_response_sign encodes tbs as tbsResponseData, signs it with
 * signer and returns the whole OCSPResponse (status successful) in *der
 * (freed with ocspkit_free) and *len, with certs[0 .. cert_count) (whole
 * DER, for instance the delegated responder's certificate) in
 * BasicOCSPResponse.certs.  It returns OCSPKIT_OK, the errors of the
 * encoders, or the signer's error (ocspkit_signer_sign); on failure *der
 * is NULL and *len 0.  Safe to call from several threads with one
 * signer. */
OCSPKIT_WUR ocspkit_err ocspkit_response_sign(uint8_t **der, size_t *len, const ocspkit_response_tbs *tbs,
					      const ocspkit_signer *signer, const ocspkit_bytes *certs,
					      size_t cert_count);

/* ocspkit_request_sign is ocspkit_response_sign for a signed OCSPRequest
 * (RFC 6960 4.1.2): tbs should name the requestor (requestorName). */
OCSPKIT_WUR ocspkit_err ocspkit_request_sign(uint8_t **der, size_t *len, const ocspkit_request_tbs *tbs,
					     const ocspkit_signer *signer, const ocspkit_bytes *certs,
					     size_t cert_count);

/* Checks the signature of a signed request with signer's key, or when
 * signer is NULL with the first certificate the request carries.
 * OCSPKIT_E_NOT_FOUND if the request is not signed, OCSPKIT_E_SIGNER_NOT_FOUND
 * if it carries no certificate and none is given.  Whether the signer is
 * entitled to ask is the responder's policy, not checked here. */
OCSPKIT_WUR ocspkit_err ocspkit_request_verify(const ocspkit_request *req, const ocspkit_cert *signer);

/* ---------------------------------------------------------------- validation */

/* A bounded cache of delegated responder certificates already verified
 * against a CA: a later response from the same responder costs one
 * signature check instead of two.  An entry is found by a hash of the
 * certificate and confirmed by comparing the certificate and the CA's
 * name and key octet by octet.  Thread-safe; the least recently used entry
 * goes when it is full. */
typedef struct ocspkit_responder_cache ocspkit_responder_cache;
#define OCSPKIT_MAX_CACHE_ENTRIES 4096
/* capacity: 1 .. OCSPKIT_MAX_CACHE_ENTRIES entries. */
OCSPKIT_WUR ocspkit_err ocspkit_responder_cache_new(ocspkit_responder_cache **out, size_t capacity);
void ocspkit_responder_cache_free(ocspkit_responder_cache *cache);
void ocspkit_responder_cache_clear(ocspkit_responder_cache *cache);
/* Entries held, and lookups that found an entry, since creation. */
size_t ocspkit_responder_cache_get_entry_count(ocspkit_responder_cache *cache);
unsigned long ocspkit_responder_cache_get_hit_count(ocspkit_responder_cache *cache);

/* One certificate asked about.  Either an exact CertID (the one the
 * request carried), or the certificate itself or its serial number, in
 * which case the CertID is computed from the issuer in whichever hash
 * algorithm (SHA-1, SHA-2) the response uses. */
typedef struct {
	const ocspkit_cert_id *cert_id;
	const ocspkit_cert *cert;  /* also checks producedAt is within its validity */
	ocspkit_bytes serial;      /* INTEGER content octets, minimal */
} ocspkit_validate_target;

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

typedef enum {
	OCSPKIT_SIGNER_NONE = 0,
	OCSPKIT_SIGNER_CA = 1,        /* the issuing CA itself */
	OCSPKIT_SIGNER_DELEGATED = 2, /* a certificate with id-kp-OCSPSigning issued by the CA */
	OCSPKIT_SIGNER_TRUSTED = 3    /* one of params.trusted */
} ocspkit_signer_kind;

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

/* Validates a decoded response for the targets of params.  Returns
 * OCSPKIT_OK when the response is authentic, current and answers every
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
 * returned.  Its views point into resp and params->targets' certificates:
 * valid while they are.  OCSPKIT_E_INVALID_ARGUMENT (nothing allocated)
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

#endif /* OCSPKIT_CRYPTO_H */
