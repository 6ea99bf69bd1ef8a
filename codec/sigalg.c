/* Signature algorithms; see sigalg.h. */
#include <config.h>

#include <string.h>

#include <ocspkit/crypto.h>

#include "algid.h"
#include "alloc.h"
#include "buf.h"
#include "der.h"
#include "der_write.h"
#include "hash.h"
#include "oid.h"
#include "privkey.h"
#include "pss.h"
#include "pubkey.h"
#include "schema.h"
#include "sigalg.h"
#include "try.h"

/* The RSA PKCS #1 v1.5 and ECDSA signature algorithms of each hash, both
 * ways. */
static const struct {
	ocspkit_hash hash;
	int rsa, ecdsa; /* okit_sig */
} with_hash[] = {
	{ OCSPKIT_HASH_SHA1, OKIT_SIG_RSA_SHA1, OKIT_SIG_ECDSA_SHA1 },
	{ OCSPKIT_HASH_SHA224, OKIT_SIG_RSA_SHA224, OKIT_SIG_ECDSA_SHA224 },
	{ OCSPKIT_HASH_SHA256, OKIT_SIG_RSA_SHA256, OKIT_SIG_ECDSA_SHA256 },
	{ OCSPKIT_HASH_SHA384, OKIT_SIG_RSA_SHA384, OKIT_SIG_ECDSA_SHA384 },
	{ OCSPKIT_HASH_SHA512, OKIT_SIG_RSA_SHA512, OKIT_SIG_ECDSA_SHA512 },
};
#define N_WITH_HASH (sizeof(with_hash) / sizeof(with_hash[0]))

/* Signature algorithm id as RSA PKCS #1 or ECDSA with a SHA: 1 and *out
 * set, or 0. */
static int with_sha(int id, okit_sig_alg *out)
{
	for (size_t i = 0; i < N_WITH_HASH; i++) {
		if (with_hash[i].rsa == id || with_hash[i].ecdsa == id) {
			out->kind = with_hash[i].rsa == id ? OKIT_SK_RSA_PKCS1 : OKIT_SK_ECDSA;
			out->hash = with_hash[i].hash;
			return 1;
		}
	}
	return 0;
}

/* The signature algorithm of kind (RSA PKCS #1 or ECDSA) with hash h. */
static int sig_with_hash(okit_sig_kind kind, ocspkit_hash h)
{
	size_t i = 0;
	while (i + 1 < N_WITH_HASH && with_hash[i].hash != h)
		i++; /* SHA-512 when none matches, as choose() never asks */
	return kind == OKIT_SK_RSA_PKCS1 ? with_hash[i].rsa : with_hash[i].ecdsa;
}

ocspkit_err okit_sig_alg_parse(const ocspkit_algorithm_id *alg, okit_sig_alg *out)
{
	memset(out, 0, sizeof(*out));
	int id = okit_oid_id(OKIT_OID_SIG, alg->oid);
	if (with_sha(id, out)) {
		/* RFC 4055 5: NULL for RSA, RFC 5758 3.2: absent for ECDSA;
		 * the other form is seen in the wild and harmless */
		return okit_algid_no_params(alg->params) ? OCSPKIT_OK : OCSPKIT_E_BAD_ALGORITHM_PARAMS;
	}
	switch (id) {
	case OKIT_SIG_RSA_MD2:
	case OKIT_SIG_RSA_MD5:
		return OCSPKIT_E_WEAK_ALGORITHM;
	case OKIT_SIG_RSA_PSS:
		out->kind = OKIT_SK_RSA_PSS;
		return okit_pss_params_read(alg->params, &out->hash, &out->mgf1, &out->salt_len);
	case OKIT_SIG_ED25519:
	case OKIT_SIG_ED448:
		/* RFC 8410 3: parameters MUST be absent */
		if (alg->params.len)
			return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
		out->kind = id == OKIT_SIG_ED25519 ? OKIT_SK_ED25519 : OKIT_SK_ED448;
		return OCSPKIT_OK;
	default:
		/* DSA and everything unknown */
		return OCSPKIT_E_UNSUPPORTED_ALGORITHM;
	}
}

ocspkit_err okit_sig_alg_fits(ocspkit_key_type key, const ocspkit_pubkey *pub, const okit_sig_alg *alg)
{
	switch (alg->kind) {
	case OKIT_SK_RSA_PKCS1:
		return key == OCSPKIT_KEY_RSA ? OCSPKIT_OK : OCSPKIT_E_KEY_ALGORITHM_MISMATCH;
	case OKIT_SK_RSA_PSS:
		if (key != OCSPKIT_KEY_RSA && key != OCSPKIT_KEY_RSA_PSS)
			return OCSPKIT_E_KEY_ALGORITHM_MISMATCH;
		/* RFC 4055 3.1: a restricted key signs with its hashes and at
		 * least its salt length */
		if (pub && pub->pss_restricted &&
		    (alg->hash != pub->pss_hash || alg->mgf1 != pub->pss_mgf1 || alg->salt_len < pub->pss_min_salt))
			return OCSPKIT_E_KEY_ALGORITHM_MISMATCH;
		return OCSPKIT_OK;
	case OKIT_SK_ECDSA:
		return key == OCSPKIT_KEY_EC_P256 || key == OCSPKIT_KEY_EC_P384 || key == OCSPKIT_KEY_EC_P521
			       ? OCSPKIT_OK
			       : OCSPKIT_E_KEY_ALGORITHM_MISMATCH;
	case OKIT_SK_ED25519:
		return key == OCSPKIT_KEY_ED25519 ? OCSPKIT_OK : OCSPKIT_E_KEY_ALGORITHM_MISMATCH;
	case OKIT_SK_ED448:
		return key == OCSPKIT_KEY_ED448 ? OCSPKIT_OK : OCSPKIT_E_KEY_ALGORITHM_MISMATCH;
	default:
		return OCSPKIT_E_UNSUPPORTED_ALGORITHM;
	}
}

/* ---------------------------------------------------------------- writing */

ocspkit_algorithm_id ocspkit_algorithm_value_view(const ocspkit_algorithm_value *v)
{
	ocspkit_algorithm_id id;
	id.oid = (ocspkit_bytes){ v->oid, v->oid_len };
	id.params = (ocspkit_bytes){ v->params_len ? v->params : NULL, v->params_len };
	return id;
}

static void set_oid(ocspkit_algorithm_value *v, const okit_oid *o)
{
	memcpy(v->oid, o->der, o->len);
	v->oid_len = o->len;
}

static ocspkit_err write_pss_params(ocspkit_algorithm_value *v, ocspkit_hash h, ocspkit_hash mgf, size_t salt)
{
	okit_buf b;
	uint8_t *der;
	size_t len;

	okit_buf_init(&b, OKIT_DER_MAX);
	okit_pss_params_write(&b, h, mgf, salt);
	TRY(okit_buf_finish(&b, &der, &len));
	if (len > sizeof(v->params)) {
		okit_free(der);
		return OCSPKIT_E_INTERNAL;
	}
	memcpy(v->params, der, len);
	v->params_len = len;
	okit_free(der);
	return OCSPKIT_OK;
}

/* What opts ask of key, as a parsed algorithm. */
static ocspkit_err choose(okit_sig_alg *sa, const ocspkit_privkey *key, const ocspkit_sign_opts *opts)
{
	static const ocspkit_sign_opts defaults;
	if (!opts)
		opts = &defaults;
	memset(sa, 0, sizeof(*sa));
	switch (key->type) {
	case OCSPKIT_KEY_RSA:
	case OCSPKIT_KEY_RSA_PSS:
		sa->hash = opts->digest ? opts->digest : OCSPKIT_HASH_SHA256;
		TRY(okit_hash_usable(sa->hash));
		if (opts->rsa_pss || key->type == OCSPKIT_KEY_RSA_PSS) {
			sa->kind = OKIT_SK_RSA_PSS;
			sa->mgf1 = opts->pss_mgf1_hash ? opts->pss_mgf1_hash : sa->hash;
			TRY(okit_hash_usable(sa->mgf1));
			sa->salt_len = opts->has_pss_salt_len ? opts->pss_salt_len : ocspkit_hash_size(sa->hash);
			if (sa->salt_len > OCSPKIT_MAX_PSS_SALT)
				return OCSPKIT_E_INVALID_ARGUMENT;
		} else {
			sa->kind = OKIT_SK_RSA_PKCS1;
			if (opts->pss_mgf1_hash || opts->has_pss_salt_len)
				return OCSPKIT_E_KEY_ALGORITHM_MISMATCH;
		}
		return OCSPKIT_OK;
	case OCSPKIT_KEY_EC_P256:
	case OCSPKIT_KEY_EC_P384:
	case OCSPKIT_KEY_EC_P521:
		if (opts->rsa_pss || opts->pss_mgf1_hash || opts->has_pss_salt_len)
			return OCSPKIT_E_KEY_ALGORITHM_MISMATCH;
		sa->kind = OKIT_SK_ECDSA;
		sa->hash = opts->digest                        ? opts->digest
			   : key->type == OCSPKIT_KEY_EC_P256 ? OCSPKIT_HASH_SHA256
			   : key->type == OCSPKIT_KEY_EC_P384 ? OCSPKIT_HASH_SHA384
							       : OCSPKIT_HASH_SHA512;
		return okit_hash_usable(sa->hash);
	case OCSPKIT_KEY_ED25519:
	case OCSPKIT_KEY_ED448:
		/* EdDSA hashes inside the algorithm (pure mode, RFC 8410) */
		if (opts->digest || opts->rsa_pss || opts->pss_mgf1_hash || opts->has_pss_salt_len)
			return OCSPKIT_E_KEY_ALGORITHM_MISMATCH;
		sa->kind = key->type == OCSPKIT_KEY_ED25519 ? OKIT_SK_ED25519 : OKIT_SK_ED448;
		return OCSPKIT_OK;
	default:
		return OCSPKIT_E_BAD_PRIVATE_KEY;
	}
}

ocspkit_err okit_sig_alg_choose(okit_sig_alg *sa, ocspkit_algorithm_value *alg, const ocspkit_privkey *key,
				const ocspkit_sign_opts *opts)
{
	TRY(okit_schema_init());
	TRY(choose(sa, key, opts));
	if (!alg)
		return OCSPKIT_OK;
	memset(alg, 0, sizeof(*alg));
	switch (sa->kind) {
	case OKIT_SK_RSA_PKCS1:
		set_oid(alg, okit_oid_by_id(OKIT_OID_SIG, sig_with_hash(sa->kind, sa->hash)));
		alg->params[0] = OKIT_TAG_NULL;
		alg->params[1] = 0;
		alg->params_len = 2;
		return OCSPKIT_OK;
	case OKIT_SK_RSA_PSS:
		set_oid(alg, okit_oid_by_id(OKIT_OID_SIG, OKIT_SIG_RSA_PSS));
		return write_pss_params(alg, sa->hash, sa->mgf1, sa->salt_len);
	case OKIT_SK_ECDSA:
		set_oid(alg, okit_oid_by_id(OKIT_OID_SIG, sig_with_hash(sa->kind, sa->hash)));
		return OCSPKIT_OK;
	case OKIT_SK_ED25519:
		set_oid(alg, okit_oid_by_id(OKIT_OID_SIG, OKIT_SIG_ED25519));
		return OCSPKIT_OK;
	case OKIT_SK_ED448:
		set_oid(alg, okit_oid_by_id(OKIT_OID_SIG, OKIT_SIG_ED448));
		return OCSPKIT_OK;
	}
	return OCSPKIT_E_INTERNAL;
}

ocspkit_err ocspkit_sign_algorithm(ocspkit_algorithm_value *alg, const ocspkit_privkey *key,
				   const ocspkit_sign_opts *opts)
{
	okit_sig_alg sa;
	if (!alg || !key)
		return OCSPKIT_E_INVALID_ARGUMENT;
	return okit_sig_alg_choose(&sa, alg, key, opts);
}

