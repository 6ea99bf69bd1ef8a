/* Signing: raw signatures, and signed responses and requests.
 *
 * Everything a call needs lives on its stack or in its own allocations;
 * the key is only read.  RSA uses Nettle's _tr functions: blinded, and the
 * result checked against the public key before it is returned. */
#include <config.h>

#include <string.h>

#include <nettle/bignum.h>
#include <nettle/dsa.h>
#include <nettle/ecdsa.h>
#include <nettle/eddsa.h>

#include <ocspkit/ocsp.h>
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

static ocspkit_err out_mpz(uint8_t **sig, size_t *sig_len, const mpz_t s, size_t k)
{
	uint8_t *buf = okit_malloc(k);
	if (!buf)
		return OCSPKIT_E_NO_MEMORY;
	nettle_mpz_get_str_256(k, buf, s);
	*sig = buf;
	*sig_len = k;
	return OCSPKIT_OK;
}

static ocspkit_err sign_rsa_pkcs1(uint8_t **sig, size_t *sig_len, const ocspkit_privkey *key, ocspkit_hash h,
				  const uint8_t *digest)
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
		e = out_mpz(sig, sig_len, s, key->rsa_pub.size);
	mpz_clear(s);
	return e;
}

static ocspkit_err sign_rsa_pss(uint8_t **sig, size_t *sig_len, const ocspkit_privkey *key,
				const okit_sig_alg *sa, const uint8_t *digest)
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
		e = out_mpz(sig, sig_len, s, key->rsa_pub.size);
	mpz_clear(m);
	mpz_clear(s);
	return e;
}

/* ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 2.2.3) */
static ocspkit_err sign_ecdsa(uint8_t **sig, size_t *sig_len, const ocspkit_privkey *key, ocspkit_hash h,
			      const uint8_t *digest)
{
	struct dsa_signature ds;
	okit_rng rng = { 0, 0 };
	okit_buf b;
	ocspkit_err e;

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
	e = okit_buf_finish(&b, sig, sig_len);
	return e;
}

ocspkit_err ocspkit_sign(uint8_t **sig, size_t *sig_len, ocspkit_algorithm_value *alg,
			 const ocspkit_privkey *key, const ocspkit_sign_opts *opts, const uint8_t *data, size_t len)
{
	okit_sig_alg sa;
	uint8_t digest[64];

	if (!sig || !sig_len)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*sig = NULL;
	*sig_len = 0;
	if (!key || (!data && len))
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(okit_sig_alg_choose(&sa, alg, key, opts));
	if (sa.hash)
		okit_hash_data(okit_hash_nettle(sa.hash), data, len, digest);

	switch (sa.kind) {
	case OKIT_SK_RSA_PKCS1:
		return sign_rsa_pkcs1(sig, sig_len, key, sa.hash, digest);
	case OKIT_SK_RSA_PSS:
		return sign_rsa_pss(sig, sig_len, key, &sa, digest);
	case OKIT_SK_ECDSA:
		return sign_ecdsa(sig, sig_len, key, sa.hash, digest);
	case OKIT_SK_ED25519:
	case OKIT_SK_ED448: {
		size_t n = sa.kind == OKIT_SK_ED25519 ? OKIT_ED25519_SIG_SIZE : OKIT_ED448_SIG_SIZE;
		uint8_t *out = okit_malloc(n);
		if (!out)
			return OCSPKIT_E_NO_MEMORY;
		if (sa.kind == OKIT_SK_ED25519)
			ed25519_sha512_sign(key->ed_pub, key->ed_priv, len, data, out);
		else
			ed448_shake256_sign(key->ed_pub, key->ed_priv, len, data, out);
		*sig = out;
		*sig_len = n;
		return OCSPKIT_OK;
	}
	}
	return OCSPKIT_E_INTERNAL;
}

/* How a signed message is made: what is signed, encoded from the
 * caller's struct, and the message assembled from it and the signature. */
typedef struct {
	ocspkit_err (*encode)(uint8_t **der, size_t *len, const void *what);
	ocspkit_err (*assemble)(uint8_t **der, size_t *len, ocspkit_bytes tbs, const ocspkit_signature_block *sig);
} message_kind;

/* Encodes what, signs it with key and assembles the message: what
 * signing a response and a request share. */
static ocspkit_err sign_message(uint8_t **der, size_t *len, const message_kind *kind, const void *what,
				const ocspkit_privkey *key, const ocspkit_sign_opts *opts, const ocspkit_bytes *certs,
				size_t cert_count)
{
	uint8_t *tbs, *sig = NULL;
	size_t tbs_len, sig_len;
	ocspkit_algorithm_value alg;
	ocspkit_err e;

	if (!der || !len)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*der = NULL;
	*len = 0;
	if (!what || !key || (cert_count && !certs))
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(kind->encode(&tbs, &tbs_len, what));
	e = ocspkit_sign(&sig, &sig_len, &alg, key, opts, tbs, tbs_len);
	if (!e) {
		ocspkit_signature_block sb = { ocspkit_algorithm_value_view(&alg), { sig, sig_len }, certs, cert_count };
		e = kind->assemble(der, len, (ocspkit_bytes){ tbs, tbs_len }, &sb);
	}
	okit_free(tbs);
	okit_free(sig);
	return e;
}

static ocspkit_err encode_response_data(uint8_t **der, size_t *len, const void *data)
{
	return ocspkit_response_data_encode(der, len, data);
}

static ocspkit_err assemble_response(uint8_t **der, size_t *len, ocspkit_bytes tbs, const ocspkit_signature_block *sig)
{
	return ocspkit_response_encode(der, len, OCSPKIT_RESPONSE_SUCCESSFUL, tbs, sig);
}

static ocspkit_err encode_request_tbs(uint8_t **der, size_t *len, const void *tbs)
{
	return ocspkit_request_tbs_encode(der, len, tbs);
}

static const message_kind response = { encode_response_data, assemble_response };
static const message_kind request = { encode_request_tbs, ocspkit_request_assemble };

ocspkit_err ocspkit_response_sign(uint8_t **der, size_t *len, const ocspkit_response_data *data,
				  const ocspkit_privkey *key, const ocspkit_sign_opts *opts,
				  const ocspkit_bytes *certs, size_t cert_count)
{
	return sign_message(der, len, &response, data, key, opts, certs, cert_count);
}

ocspkit_err ocspkit_request_sign(uint8_t **der, size_t *len, const ocspkit_request_tbs *tbs,
				 const ocspkit_privkey *key, const ocspkit_sign_opts *opts,
				 const ocspkit_bytes *certs, size_t cert_count)
{
	return sign_message(der, len, &request, tbs, key, opts, certs, cert_count);
}
