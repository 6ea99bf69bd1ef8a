/* The signer of a private key held in memory (ocspkit_signer_from_privkey):
 * RSA PKCS #1 v1.5 and PSS, ECDSA and EdDSA with Nettle.
 *
 * A call works on its stack and the signer's context, which only holds
 * the borrowed key and the algorithm chosen once; both are read, never
 * written, so one signer signs from any number of threads.  RSA uses
 * Nettle's _tr functions: blinded, and the result checked against the
 * public key before it is returned. */
#include <config.h>

#include <string.h>

#include <nettle/bignum.h>
#include <nettle/dsa.h>
#include <nettle/ecdsa.h>
#include <nettle/eddsa.h>

#include <ocspkit/crypto.h>

#include "alloc.h"
#include "buf.h"
#include "der_write.h"
#include "hash.h"
#include "mpz.h"
#include "ocsp_asn1.h"
#include "pkcs1.h"
#include "privkey.h"
#include "pss.h"
#include "pubkey.h"
#include "random.h"
#include "sigalg.h"
#include "try.h"

/* The context of a key's signer. */
typedef struct {
	const ocspkit_privkey *key; /* borrowed */
	okit_sig_alg sa;
} key_signer;

/* Writes s, below the modulus, as the k octets of an RSA signature. */
static ocspkit_err out_mpz(uint8_t *sig, size_t cap, size_t *sig_len, const mpz_t s, size_t k)
{
	if (k > cap)
		return OCSPKIT_E_INTERNAL;
	nettle_mpz_get_str_256(k, sig, s);
	*sig_len = k;
	return OCSPKIT_OK;
}

static ocspkit_err sign_rsa_pkcs1(const ocspkit_privkey *key, ocspkit_hash h, const uint8_t *digest, uint8_t *sig,
				  size_t cap, size_t *sig_len)
{
	uint8_t di[OKIT_DIGEST_INFO_MAX];
	size_t di_len = okit_digest_info(di, h, digest);
	okit_rng rng = { 0, 0 };
	ocspkit_err e;
	mpz_t s;

	if (!di_len)
		return OCSPKIT_E_UNSUPPORTED_ALGORITHM;
	mpz_init(s);
	if (!rsa_pkcs1_sign_tr(&key->rsa_pub, &key->rsa, &rng, okit_random, di_len, di, s) || rng.failed)
		e = OCSPKIT_E_SIGNING_FAILED;
	else
		e = out_mpz(sig, cap, sig_len, s, key->rsa_pub.size);
	mpz_clear(s);
	return e;
}

static ocspkit_err sign_rsa_pss(const ocspkit_privkey *key, const okit_sig_alg *sa, const uint8_t *digest,
				uint8_t *sig, size_t cap, size_t *sig_len)
{
	uint8_t em[OCSPKIT_MAX_SIGNATURE_SIZE], salt[OCSPKIT_MAX_PSS_SALT];
	size_t em_bits = key->bits - 1, em_len = (em_bits + 7) / 8;
	okit_rng rng = { 0, 0 };
	ocspkit_err e;
	mpz_t m, s;

	okit_random(&rng, sa->salt_len, salt);
	if (rng.failed)
		return OCSPKIT_E_SIGNING_FAILED;
	TRY(okit_pss_encode(em, em_len, em_bits, okit_hash_nettle(sa->hash), okit_hash_nettle(sa->mgf1), digest,
			    salt, sa->salt_len));
	mpz_init(m);
	mpz_init(s);
	okit_mpz_from_bytes(m, em, em_len);
	if (!rsa_compute_root_tr(&key->rsa_pub, &key->rsa, &rng, okit_random, s, m) || rng.failed)
		e = OCSPKIT_E_SIGNING_FAILED;
	else
		e = out_mpz(sig, cap, sig_len, s, key->rsa_pub.size);
	mpz_clear(m);
	mpz_clear(s);
	return e;
}

/* ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 2.2.3) */
static ocspkit_err sign_ecdsa(const ocspkit_privkey *key, ocspkit_hash h, const uint8_t *digest, uint8_t *sig,
			      size_t cap, size_t *sig_len)
{
	struct dsa_signature ds;
	okit_rng rng = { 0, 0 };
	okit_buf b;
	uint8_t *der;
	size_t len;

	dsa_signature_init(&ds);
	ecdsa_sign(&key->ec, &rng, okit_random, ocspkit_hash_size(h), digest, &ds);
	if (rng.failed) {
		dsa_signature_clear(&ds);
		return OCSPKIT_E_SIGNING_FAILED;
	}
	okit_buf_init(&b, OKIT_DER_MAX);
	size_t m = okit_der_open(&b, ID_ECDSA_Sig_Value);
	okit_mpz_write(&b, ds.r);
	okit_mpz_write(&b, ds.s);
	okit_der_close(&b, m);
	dsa_signature_clear(&ds);
	TRY(okit_buf_finish(&b, &der, &len));
	ocspkit_err e = len <= cap ? OCSPKIT_OK : OCSPKIT_E_INTERNAL;
	if (!e) {
		memcpy(sig, der, len);
		*sig_len = len;
	}
	okit_free(der);
	return e;
}

/* The ocspkit_signer_ops.sign of a key. */
static ocspkit_err key_sign(void *ctx, uint8_t *sig, size_t cap, size_t *sig_len, const uint8_t *data, size_t len)
{
	const key_signer *ks = ctx;
	const ocspkit_privkey *key = ks->key;
	uint8_t digest[64];

	if (ks->sa.hash)
		okit_hash_data(okit_hash_nettle(ks->sa.hash), data, len, digest);
	switch (ks->sa.kind) {
	case OKIT_SK_RSA_PKCS1:
		return sign_rsa_pkcs1(key, ks->sa.hash, digest, sig, cap, sig_len);
	case OKIT_SK_RSA_PSS:
		return sign_rsa_pss(key, &ks->sa, digest, sig, cap, sig_len);
	case OKIT_SK_ECDSA:
		return sign_ecdsa(key, ks->sa.hash, digest, sig, cap, sig_len);
	case OKIT_SK_ED25519:
		if (cap < OKIT_ED25519_SIG_SIZE)
			return OCSPKIT_E_INTERNAL;
		ed25519_sha512_sign(key->ed_pub, key->ed_priv, len, data, sig);
		*sig_len = OKIT_ED25519_SIG_SIZE;
		return OCSPKIT_OK;
	case OKIT_SK_ED448:
		if (cap < OKIT_ED448_SIG_SIZE)
			return OCSPKIT_E_INTERNAL;
		ed448_shake256_sign(key->ed_pub, key->ed_priv, len, data, sig);
		*sig_len = OKIT_ED448_SIG_SIZE;
		return OCSPKIT_OK;
	}
	return OCSPKIT_E_INTERNAL;
}

static void key_signer_free(void *ctx)
{
	okit_free(ctx);
}

static const ocspkit_signer_ops key_signer_ops = { key_sign, key_signer_free };

/* The largest signature of kind with key: the modulus size for RSA, for
 * ECDSA two INTEGERs of one octet more than the order (a sign octet) in a
 * SEQUENCE, the fixed sizes of EdDSA. */
static size_t max_signature(const ocspkit_privkey *key, okit_sig_kind kind)
{
	switch (kind) {
	case OKIT_SK_RSA_PKCS1:
	case OKIT_SK_RSA_PSS:
		return key->rsa_pub.size;
	case OKIT_SK_ECDSA: {
		size_t n = (key->bits + 7) / 8 + 1, integer = 1 + (n < 0x80 ? 1 : 2) + n;
		size_t content = 2 * integer;
		return 1 + (content < 0x80 ? 1 : 2) + content;
	}
	case OKIT_SK_ED25519:
		return OKIT_ED25519_SIG_SIZE;
	case OKIT_SK_ED448:
		return OKIT_ED448_SIG_SIZE;
	}
	return 0;
}

ocspkit_err ocspkit_signer_from_privkey(ocspkit_signer **out, const ocspkit_privkey *key,
				       const ocspkit_sign_opts *opts)
{
	ocspkit_algorithm_value alg;
	key_signer *ks;

	if (!out)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*out = NULL;
	if (!key)
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (!(ks = okit_calloc(1, sizeof(*ks))))
		return OCSPKIT_E_NO_MEMORY;
	ks->key = key;
	ocspkit_err e = okit_sig_alg_choose(&ks->sa, &alg, key, opts);
	if (!e)
		e = ocspkit_signer_new(out, &key_signer_ops, ks, &alg, max_signature(key, ks->sa.kind));
	if (e)
		okit_free(ks);
	return e;
}
