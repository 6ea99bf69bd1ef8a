/* ocspkit: keys, signers, signatures and signed OCSP messages.
 *
 * Keys.  A public key is read from a SubjectPublicKeyInfo (RFC 5280 4.1.2.7;
 * RSA from RFC 8017, RSASSA-PSS keys from RFC 4055, EC from RFC 5480, Ed25519
 * and Ed448 from RFC 8410).  A private key is handed over as the octets of
 * its parts (the library reads no key files: tools/keys.c loads them with
 * GnuTLS); the library copies what it is given.
 *
 * Signers.  Whatever signs (a key in memory, a token, an HSM) is an
 * ocspkit_signer: the algorithm it produces and a sign callback.
 *
 * Signatures.  RSA PKCS #1 v1.5 with SHA-1/224/256/384/512, RSASSA-PSS with
 * its parameters, ECDSA on P-256/P-384/P-521 (strict DER of r and s),
 * Ed25519 and Ed448.  Algorithms built on MD2 or MD5 are refused with
 * OCSPKIT_E_WEAK_ALGORITHM, others with OCSPKIT_E_UNSUPPORTED_ALGORITHM.  RSA
 * signing is blinded; random octets come from getrandom().
 *
 * Threads: keys and signers are immutable once made, so one key or signer
 * signs or verifies from any number of threads at once.  The conventions
 * are those of <ocspkit/ocspkit.h>.
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

/* ocspkit_key_type_name returns "RSA", "RSA-PSS", "P-256", "P-384",
 * "P-521", "Ed25519", "Ed448", or "unknown" for a value that is none: a
 * static string. */
const char *ocspkit_key_type_name(ocspkit_key_type type);

/* A public key (immutable). */
typedef struct ocspkit_pubkey ocspkit_pubkey;
/* A private key (immutable; its secrets are wiped when it is freed). */
typedef struct ocspkit_privkey ocspkit_privkey;

/* ocspkit_pubkey_decode reads the len octets at spki as a DER
 * SubjectPublicKeyInfo into *out (freed with ocspkit_pubkey_free).  It
 * returns OCSPKIT_OK; the DER errors; OCSPKIT_E_BAD_PUBLIC_KEY for a key
 * that is well-formed DER but unusable (even modulus, point not on the
 * curve, wrong length); OCSPKIT_E_UNSUPPORTED_ALGORITHM for an algorithm
 * or curve the library does not implement; OCSPKIT_E_NO_MEMORY.  *out is
 * NULL on failure. */
OCSPKIT_WUR ocspkit_err ocspkit_pubkey_decode(ocspkit_pubkey **out, const uint8_t *spki, size_t len);

/* ocspkit_pubkey_from_cert is ocspkit_pubkey_decode of cert's
 * subjectPublicKeyInfo. */
OCSPKIT_WUR ocspkit_err ocspkit_pubkey_from_cert(ocspkit_pubkey **out, const ocspkit_cert *cert);

/* ocspkit_pubkey_from_privkey sets *out (freed with ocspkit_pubkey_free)
 * to the public half of key, a key of its own.  OCSPKIT_OK,
 * OCSPKIT_E_INVALID_ARGUMENT or OCSPKIT_E_NO_MEMORY. */
OCSPKIT_WUR ocspkit_err ocspkit_pubkey_from_privkey(ocspkit_pubkey **out, const ocspkit_privkey *key);

/* ocspkit_pubkey_free releases key; NULL is ignored. */
void ocspkit_pubkey_free(ocspkit_pubkey *key);

/* ocspkit_pubkey_encode sets *der (freed with ocspkit_free) and *len to
 * key as a DER SubjectPublicKeyInfo, in the form ocspkit_pubkey_decode
 * reads (NULL parameters for RSA, a named curve and an uncompressed point
 * for EC).  OCSPKIT_OK, OCSPKIT_E_INVALID_ARGUMENT or OCSPKIT_E_NO_MEMORY;
 * *der NULL on failure. */
OCSPKIT_WUR ocspkit_err ocspkit_pubkey_encode(uint8_t **der, size_t *len, const ocspkit_pubkey *key);

/* ocspkit_pubkey_get_type returns key's type (OCSPKIT_KEY_UNKNOWN for
 * NULL); ocspkit_pubkey_get_bits its modulus or curve size in bits (255
 * and 448 for the EdDSA curves; 0 for NULL). */
ocspkit_key_type ocspkit_pubkey_get_type(const ocspkit_pubkey *key);
size_t ocspkit_pubkey_get_bits(const ocspkit_pubkey *key);

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

/* ocspkit_privkey_from_eddsa makes an EdDSA key of type
 * (OCSPKIT_KEY_ED25519 or OCSPKIT_KEY_ED448) from its private octets, the
 * len at priv (RFC 8032: 32 for Ed25519, 57 for Ed448; copied), as
 * ocspkit_privkey_from_ec does: OCSPKIT_E_BAD_PRIVATE_KEY for another
 * length, OCSPKIT_E_INVALID_ARGUMENT for another type. */
OCSPKIT_WUR ocspkit_err ocspkit_privkey_from_eddsa(ocspkit_privkey **out, ocspkit_key_type type,
						   const uint8_t *priv, size_t len);

/* ocspkit_privkey_free wipes key's secret values and releases it; NULL is
 * ignored.  No signer made of key may be used after. */
void ocspkit_privkey_free(ocspkit_privkey *key);

/* ocspkit_privkey_get_type and ocspkit_privkey_get_bits are
 * ocspkit_pubkey_get_type and _get_bits for a private key. */
ocspkit_key_type ocspkit_privkey_get_type(const ocspkit_privkey *key);
size_t ocspkit_privkey_get_bits(const ocspkit_privkey *key);

/* ocspkit_privkey_check returns OCSPKIT_OK when key is the private half of
 * pub (a responder's key that belongs to its certificate),
 * OCSPKIT_E_KEY_MISMATCH when it is not, OCSPKIT_E_INVALID_ARGUMENT. */
OCSPKIT_WUR ocspkit_err ocspkit_privkey_check(const ocspkit_privkey *key, const ocspkit_pubkey *pub);

/* ---------------------------------------------------------------- signing options */

/* How a key in memory signs.  A zeroed struct (or NULL) means the
 * defaults. */
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

/* An AlgorithmIdentifier that owns its bytes (what a signer produces). */
#define OCSPKIT_MAX_ALGORITHM_PARAMS 96
typedef struct {
	size_t oid_len;
	uint8_t oid[16];                 /* content octets */
	size_t params_len;               /* 0: parameters absent */
	uint8_t params[OCSPKIT_MAX_ALGORITHM_PARAMS]; /* whole DER TLV */
} ocspkit_algorithm_value;

/* ocspkit_algorithm_value_view returns views of v's bytes, valid while *v
 * is and unchanged. */
ocspkit_algorithm_id ocspkit_algorithm_value_view(const ocspkit_algorithm_value *v);

/* ocspkit_sign_algorithm sets *alg to the signatureAlgorithm key signs
 * with under opts (NULL: the defaults): NULL parameters for PKCS #1 v1.5,
 * RSASSA-PSS-params for PSS (fields at their DEFAULT omitted), none for
 * ECDSA and EdDSA.  It returns OCSPKIT_OK, OCSPKIT_E_KEY_ALGORITHM_MISMATCH
 * for options the key cannot use, OCSPKIT_E_WEAK_ALGORITHM for MD5 and
 * MD2, OCSPKIT_E_UNSUPPORTED_ALGORITHM, OCSPKIT_E_INVALID_ARGUMENT. */
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
	 * (tbsResponseData, or TBSRequest), with the signer's algorithm,
	 * hashing them where the algorithm hashes: for RSA and ECDSA a
	 * PKCS #11 token may take the data, or the digest the callback
	 * computes; EdDSA signs the message itself.  It writes the
	 * signature octets (those of the BIT STRING; for ECDSA the DER of
	 * ECDSA-Sig-Value) to sig, which has
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

/* ocspkit_verify_signature checks sig over the len octets at data with
 * key under the signature algorithm alg.  It returns OCSPKIT_OK, or:
 * OCSPKIT_E_SIGNATURE_INVALID (it does not verify),
 * OCSPKIT_E_BAD_SIGNATURE_ENCODING (a wrong length, an ECDSA-Sig-Value not
 * strict DER or r, s not minimal positive INTEGERs),
 * OCSPKIT_E_BAD_ALGORITHM_PARAMS, OCSPKIT_E_KEY_ALGORITHM_MISMATCH (an
 * ECDSA signature and an RSA key, say), OCSPKIT_E_WEAK_ALGORITHM,
 * OCSPKIT_E_UNSUPPORTED_ALGORITHM, OCSPKIT_E_INVALID_ARGUMENT. */
OCSPKIT_WUR ocspkit_err ocspkit_verify_signature(const ocspkit_pubkey *key, const ocspkit_algorithm_id *alg,
						 const uint8_t *data, size_t len, ocspkit_bytes sig);

/* ocspkit_cert_verify checks cert's signature with its issuer's key, and
 * that its inner and outer signature algorithms are the same
 * (OCSPKIT_E_BAD_CERTIFICATE otherwise); the errors of
 * ocspkit_verify_signature.  Only the signature: names, validity and
 * extensions are the caller's to judge. */
OCSPKIT_WUR ocspkit_err ocspkit_cert_verify(const ocspkit_cert *cert, const ocspkit_pubkey *issuer_key);

/* ---------------------------------------------------------------- signed messages */

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

/* ocspkit_request_verify checks the signature of a signed request with
 * signer's key or, when signer is NULL, with the first certificate the
 * request carries.  It returns OCSPKIT_OK; OCSPKIT_E_NOT_FOUND for an
 * unsigned request; OCSPKIT_E_SIGNER_NOT_FOUND when it carries no
 * certificate and none is given; OCSPKIT_E_BAD_CERTIFICATE for one that
 * does not decode; the errors of ocspkit_verify_signature.  Whether the
 * signer is entitled to ask is the responder's policy, not checked
 * here. */
OCSPKIT_WUR ocspkit_err ocspkit_request_verify(const ocspkit_request *req, const ocspkit_cert *signer);

#ifdef __cplusplus
}
#endif

#endif /* OCSPKIT_CRYPTO_H */
