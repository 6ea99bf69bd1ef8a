/* Public-key internals shared by pubkey.c, privkey.c, sign.c, verify.c,
 * validate.c and rcache.c.  Nothing here is public. */
#ifndef OCSPKIT_PK_H
#define OCSPKIT_PK_H

#include <gmp.h>
#include <stdatomic.h>
#include <string.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/nettle-meta.h>
#include <nettle/rsa.h>

#include <ocspkit/crypto.h>

#include "internal.h"

#define OKIT_ED25519_KEY_SIZE 32
#define OKIT_ED448_KEY_SIZE 57
#define OKIT_ED25519_SIG_SIZE 64
#define OKIT_ED448_SIG_SIZE 114

struct ocspkit_pubkey {
	ocspkit_key_type type;
	size_t bits;
	int rsa_init, ec_init; /* which Nettle structures need clearing */
	/* RSA and RSA-PSS */
	struct rsa_public_key rsa;
	/* RSA-PSS keys with RSASSA-PSS-params restrict the signatures made
	 * with them (RFC 4055 section 3.1): this hash, this MGF1 hash, at
	 * least this salt. */
	int pss_restricted;
	ocspkit_hash pss_hash, pss_mgf1;
	size_t pss_min_salt;
	/* ECDSA */
	const struct ecc_curve *curve;
	struct ecc_point ec;
	/* EdDSA: the encoded public point */
	uint8_t ed[OKIT_ED448_KEY_SIZE];
};

struct ocspkit_privkey {
	ocspkit_key_type type;
	size_t bits;
	int rsa_init, ec_init;
	struct rsa_public_key rsa_pub;
	struct rsa_private_key rsa;
	const struct ecc_curve *curve;
	struct ecc_scalar ec;
	struct ecc_point ec_pub;
	uint8_t ed_priv[OKIT_ED448_KEY_SIZE];
	uint8_t ed_pub[OKIT_ED448_KEY_SIZE];
};

#include "hash.h"

/* A parsed signature AlgorithmIdentifier. */
typedef enum {
	OKIT_SK_RSA_PKCS1 = 1,
	OKIT_SK_RSA_PSS,
	OKIT_SK_ECDSA,
	OKIT_SK_ED25519,
	OKIT_SK_ED448
} okit_sig_kind;

typedef struct {
	okit_sig_kind kind;
	ocspkit_hash hash;      /* message digest; 0 for EdDSA */
	ocspkit_hash mgf1;      /* PSS */
	size_t salt_len;        /* PSS */
} okit_sig_alg;

/* Reads a signature AlgorithmIdentifier (RFC 4055, RFC 5758, RFC 8410). */
ocspkit_err okit_parse_sig_alg(const ocspkit_algorithm_id *alg, okit_sig_alg *out);
/* Whether a key of this type can check or make signatures of this kind. */
ocspkit_err okit_key_fits(ocspkit_key_type key, const ocspkit_pubkey *pub, const okit_sig_alg *alg);

/* The algorithm key signs with under opts, parsed and (alg != NULL) as
 * an AlgorithmIdentifier. */
ocspkit_err okit_choose_sig_alg(okit_sig_alg *sa, ocspkit_algorithm_value *alg, const ocspkit_privkey *key,
				const ocspkit_sign_opts *opts);

/* EMSA-PSS (RFC 8017 section 9.1) with separate message and MGF1 hashes.
 * em has em_len = ceil(em_bits / 8) octets. */
ocspkit_err okit_pss_encode(uint8_t *em, size_t em_len, size_t em_bits, const struct nettle_hash *h,
			    const struct nettle_hash *mgf, const uint8_t *mhash, const uint8_t *salt,
			    size_t salt_len);
int okit_pss_verify(const uint8_t *em, size_t em_len, size_t em_bits, const struct nettle_hash *h,
		    const struct nettle_hash *mgf, const uint8_t *mhash, size_t salt_len);

/* PKCS #1 v1.5 DigestInfo of a digest; returns its length (0 if the hash
 * is not one of SHA-1/2).  out holds 19 + 64 octets. */
size_t okit_digest_info(uint8_t *out, ocspkit_hash h, const uint8_t *digest);

/* SubjectPublicKeyInfo of a key's public parts (pubkey.c); rsa for
 * OCSPKIT_KEY_RSA / _RSA_PSS, ec for the curves, ed for EdDSA. */
void okit_write_spki(okit_buf *b, ocspkit_key_type type, const struct rsa_public_key *rsa,
		     const struct ecc_point *ec, const uint8_t *ed, const ocspkit_pubkey *pss_restriction);
/* RSASSA-PSS-params with the DEFAULT fields left out (sigalg.c). */
void okit_write_pss_params(okit_buf *b, ocspkit_hash h, ocspkit_hash mgf, size_t salt);

/* Random octets for Nettle (random.c).  The context records whether the
 * kernel failed to give any, in which case the caller must throw away
 * what it computed: the filler octets are not random. */
typedef struct {
	int failed;
	unsigned counter;
} okit_rng;
void okit_random(void *ctx, size_t n, uint8_t *dst);
/* Test hook: make random octets unavailable (1) or available again (0). */
void okit_random_fail(int on);

/* Big-endian unsigned octets to and from mpz. */
void okit_mpz_from_bytes(mpz_t x, const uint8_t *p, size_t n);
/* Overwrites the limbs of x with zeros (for secrets) before mpz_clear. */
void okit_mpz_wipe(mpz_t x);

/* Curve of a key type, and back. */
const struct ecc_curve *okit_curve_for(ocspkit_key_type t);
ocspkit_key_type okit_key_for_curve(const struct ecc_curve *c);

/* ---- responder cache (rcache.c) */

/* A delegated responder certificate verified against a CA: immutable once
 * made and reference-counted, so that a validation can use it without
 * holding the cache's lock while another thread evicts it. */
typedef struct okit_responder {
	atomic_int refs;
	ocspkit_pubkey *key;
	int64_t not_before, not_after;
	int nocheck;
	uint8_t key_hash[20];     /* SHA-1 of subjectPublicKey: byKey ResponderID */
	ocspkit_bytes der;        /* the certificate */
	ocspkit_bytes subject;    /* within der: byName ResponderID */
	ocspkit_bytes ca_subject; /* the CA it was verified against */
	ocspkit_bytes ca_spki;
	uint64_t tag;
} okit_responder;

/* Makes an entry for cert (checked by the caller) issued by ca; takes
 * ownership of key, even on failure. */
ocspkit_err okit_responder_new(okit_responder **out, const ocspkit_cert *cert, const ocspkit_cert *ca,
			       ocspkit_pubkey *key);
void okit_responder_unref(okit_responder *r);
/* The entry for this certificate verified against this CA, with a
 * reference for the caller; NULL if there is none. */
okit_responder *okit_cache_get(ocspkit_responder_cache *c, ocspkit_bytes der, const ocspkit_cert *ca);
/* Adds r (the cache takes its own reference). */
void okit_cache_put(ocspkit_responder_cache *c, okit_responder *r);

#endif
