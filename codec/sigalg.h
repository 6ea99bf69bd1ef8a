/* Signature algorithms: a signature AlgorithmIdentifier read into what it
 * means (RFC 4055, RFC 5758, RFC 8410), matched against keys, and chosen
 * for a private key and signing options. */
#ifndef OCSPKIT_SIGALG_H
#define OCSPKIT_SIGALG_H

#include <stddef.h>

#include <ocspkit/crypto.h>

typedef enum {
	OKIT_SK_RSA_PKCS1 = 1,
	OKIT_SK_RSA_PSS,
	OKIT_SK_ECDSA,
	OKIT_SK_ED25519,
	OKIT_SK_ED448
} okit_sig_kind;

/* A signature algorithm, as okit_sig_alg_parse reads it. */
typedef struct {
	okit_sig_kind kind;
	ocspkit_hash hash; /* the message digest; 0 for EdDSA */
	ocspkit_hash mgf1; /* PSS */
	size_t salt_len;   /* PSS */
} okit_sig_alg;

/* okit_sig_alg_parse reads alg into out.  OCSPKIT_E_WEAK_ALGORITHM for MD2
 * and MD5, OCSPKIT_E_UNSUPPORTED_ALGORITHM for DSA and the unknown,
 * OCSPKIT_E_BAD_ALGORITHM_PARAMS for parameters the algorithm does not
 * take. */
ocspkit_err okit_sig_alg_parse(const ocspkit_algorithm_id *alg, okit_sig_alg *out);

/* okit_sig_alg_fits returns OCSPKIT_OK if a key of type key (and, for a
 * restricted RSA-PSS key, pub's restrictions) can make or check signatures
 * of alg, else OCSPKIT_E_KEY_ALGORITHM_MISMATCH.  pub may be NULL. */
ocspkit_err okit_sig_alg_fits(ocspkit_key_type key, const ocspkit_pubkey *pub, const okit_sig_alg *alg);

/* okit_sig_alg_choose sets *sa to the algorithm key signs with under opts
 * (NULL: the defaults) and, when alg is not NULL, *alg to its
 * AlgorithmIdentifier. */
ocspkit_err okit_sig_alg_choose(okit_sig_alg *sa, ocspkit_algorithm_value *alg, const ocspkit_privkey *key,
				const ocspkit_sign_opts *opts);

#endif
