/* Signature algorithms: AlgorithmIdentifiers read and written, PKCS #1
 * v1.5 DigestInfo, and EMSA-PSS (RFC 8017 section 9.1). */
#include <config.h>

#include <string.h>

#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include "pk.h"

#define PSS_DEFAULT_SALT 20 /* RFC 4055 section 3.1 */

static int is_null_or_absent(ocspkit_bytes params)
{
	return params.len == 0 || (params.len == 2 && params.data[0] == OKIT_TAG_NULL && params.data[1] == 0);
}

/* A hash AlgorithmIdentifier inside RSASSA-PSS-params: SHA-1/2 with
 * absent or NULL parameters (RFC 4055 section 2.1 allows both). */
static ocspkit_err read_hash_algid(okit_dctx *c, const okit_tlv *t, ocspkit_hash *out)
{
	ocspkit_algorithm_id a;
	if (okit_algid_read(c, t, &a))
		return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
	ocspkit_hash h = (ocspkit_hash)okit_oid_id(OKIT_OID_HASH, a.oid);
	TRY(okit_hash_usable(h));
	if (!is_null_or_absent(a.params))
		return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
	*out = h;
	return OCSPKIT_OK;
}

/* RSASSA-PSS-params ::= SEQUENCE {
 *     hashAlgorithm      [0] HashAlgorithm    DEFAULT sha1,
 *     maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1,
 *     saltLength         [2] INTEGER          DEFAULT 20,
 *     trailerField       [3] TrailerField     DEFAULT trailerFieldBC }
 * (ocsp.asn says OPTIONAL: the defaults are applied here, and written out
 * defaults are accepted, as every verifier does.) */
static ocspkit_err read_pss_params(ocspkit_bytes params, okit_sig_alg *out)
{
	okit_dctx c = okit_ctx(params.data, 0);
	okit_tlv t;
	okit_val f[F_RSASSA_PSS_params__COUNT];

	/* RFC 4055 3.1: the parameters are required in a signatureAlgorithm */
	if (params.len == 0)
		return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
	if (okit_sch_check_bytes(&c, T_RSASSA_PSS_params, params.data, params.len, &t) ||
	    okit_sch_split(&c, T_RSASSA_PSS_params, &t, f, F_RSASSA_PSS_params__COUNT))
		return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
	out->hash = out->mgf1 = OCSPKIT_HASH_SHA1;
	out->salt_len = PSS_DEFAULT_SALT;
	if (f[F_RSASSA_PSS_params_hashAlgorithm].present)
		TRY(read_hash_algid(&c, &f[F_RSASSA_PSS_params_hashAlgorithm].inner, &out->hash));
	if (f[F_RSASSA_PSS_params_maskGenAlgorithm].present) {
		ocspkit_algorithm_id mgf;
		okit_tlv inner;
		if (okit_algid_read(&c, &f[F_RSASSA_PSS_params_maskGenAlgorithm].inner, &mgf))
			return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
		if (okit_oid_id(OKIT_OID_MISC, mgf.oid) != OKIT_MISC_MGF1)
			return OCSPKIT_E_UNSUPPORTED_ALGORITHM;
		if (mgf.params.len == 0 ||
		    okit_sch_check_bytes(&c, T_AlgorithmIdentifier, mgf.params.data, mgf.params.len, &inner))
			return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
		TRY(read_hash_algid(&c, &inner, &out->mgf1));
	}
	if (f[F_RSASSA_PSS_params_saltLength].present) {
		long v;
		if (okit_der_small_uint(&c, &f[F_RSASSA_PSS_params_saltLength].inner, OCSPKIT_MAX_PSS_SALT, &v))
			return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
		out->salt_len = (size_t)v;
	}
	if (f[F_RSASSA_PSS_params_trailerField].present) {
		long v;
		if (okit_der_small_uint(&c, &f[F_RSASSA_PSS_params_trailerField].inner, 1, &v) || v != 1)
			return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
	}
	return OCSPKIT_OK;
}

ocspkit_err okit_parse_sig_alg(const ocspkit_algorithm_id *alg, okit_sig_alg *out)
{
	memset(out, 0, sizeof(*out));
	int id = okit_oid_id(OKIT_OID_SIG, alg->oid);
	switch (id) {
	case OKIT_SIG_RSA_MD2:
	case OKIT_SIG_RSA_MD5:
		return OCSPKIT_E_WEAK_ALGORITHM;
	case OKIT_SIG_RSA_SHA1:
	case OKIT_SIG_RSA_SHA224:
	case OKIT_SIG_RSA_SHA256:
	case OKIT_SIG_RSA_SHA384:
	case OKIT_SIG_RSA_SHA512:
		/* RFC 4055 5: NULL; absent is seen in the wild and harmless */
		if (!is_null_or_absent(alg->params))
			return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
		out->kind = OKIT_SK_RSA_PKCS1;
		out->hash = id == OKIT_SIG_RSA_SHA1     ? OCSPKIT_HASH_SHA1
			    : id == OKIT_SIG_RSA_SHA224 ? OCSPKIT_HASH_SHA224
			    : id == OKIT_SIG_RSA_SHA256 ? OCSPKIT_HASH_SHA256
			    : id == OKIT_SIG_RSA_SHA384 ? OCSPKIT_HASH_SHA384
							: OCSPKIT_HASH_SHA512;
		return OCSPKIT_OK;
	case OKIT_SIG_RSA_PSS:
		out->kind = OKIT_SK_RSA_PSS;
		return read_pss_params(alg->params, out);
	case OKIT_SIG_ECDSA_SHA1:
	case OKIT_SIG_ECDSA_SHA224:
	case OKIT_SIG_ECDSA_SHA256:
	case OKIT_SIG_ECDSA_SHA384:
	case OKIT_SIG_ECDSA_SHA512:
		/* RFC 5758 3.2: parameters absent (a NULL is tolerated) */
		if (!is_null_or_absent(alg->params))
			return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
		out->kind = OKIT_SK_ECDSA;
		out->hash = id == OKIT_SIG_ECDSA_SHA1     ? OCSPKIT_HASH_SHA1
			    : id == OKIT_SIG_ECDSA_SHA224 ? OCSPKIT_HASH_SHA224
			    : id == OKIT_SIG_ECDSA_SHA256 ? OCSPKIT_HASH_SHA256
			    : id == OKIT_SIG_ECDSA_SHA384 ? OCSPKIT_HASH_SHA384
							  : OCSPKIT_HASH_SHA512;
		return OCSPKIT_OK;
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

ocspkit_err okit_key_fits(ocspkit_key_type key, const ocspkit_pubkey *pub, const okit_sig_alg *alg)
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

/* SEQUENCE { OID hash, NULL }, the form OpenSSL and GnuTLS write */
static void write_hash_algid(okit_buf *b, ocspkit_hash h)
{
	const okit_oid *o = okit_oid_by_id(OKIT_OID_HASH, (int)h);
	size_t m = okit_der_open(b, ID_AlgorithmIdentifier);
	okit_der_prim(b, ID_AlgorithmIdentifier_algorithm, o->der, o->len);
	okit_der_prim(b, OKIT_TAG_NULL, NULL, 0);
	okit_der_close(b, m);
}

void okit_write_pss_params(okit_buf *b, ocspkit_hash h, ocspkit_hash mgf, size_t salt)
{
	size_t seq = okit_der_open(b, ID_RSASSA_PSS_params);
	if (h != OCSPKIT_HASH_SHA1) {
		size_t t = okit_der_open(b, ID_RSASSA_PSS_params_hashAlgorithm);
		write_hash_algid(b, h);
		okit_der_close(b, t);
	}
	if (mgf != OCSPKIT_HASH_SHA1) {
		const okit_oid *m1 = okit_oid_by_id(OKIT_OID_MISC, OKIT_MISC_MGF1);
		size_t t = okit_der_open(b, ID_RSASSA_PSS_params_maskGenAlgorithm);
		size_t a = okit_der_open(b, ID_AlgorithmIdentifier);
		okit_der_prim(b, ID_AlgorithmIdentifier_algorithm, m1->der, m1->len);
		write_hash_algid(b, mgf);
		okit_der_close(b, a);
		okit_der_close(b, t);
	}
	if (salt != PSS_DEFAULT_SALT) {
		size_t t = okit_der_open(b, ID_RSASSA_PSS_params_saltLength);
		okit_der_uint(b, OKIT_TAG_INTEGER, salt);
		okit_der_close(b, t);
	}
	okit_der_close(b, seq);
}

static ocspkit_err write_pss_params(ocspkit_algorithm_value *v, ocspkit_hash h, ocspkit_hash mgf, size_t salt)
{
	okit_buf b;
	uint8_t *der;
	size_t len;

	okit_buf_init(&b, OKIT_DER_MAX);
	okit_write_pss_params(&b, h, mgf, salt);
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

static int rsa_sig_id(ocspkit_hash h)
{
	switch (h) {
	case OCSPKIT_HASH_SHA1: return OKIT_SIG_RSA_SHA1;
	case OCSPKIT_HASH_SHA224: return OKIT_SIG_RSA_SHA224;
	case OCSPKIT_HASH_SHA256: return OKIT_SIG_RSA_SHA256;
	case OCSPKIT_HASH_SHA384: return OKIT_SIG_RSA_SHA384;
	default: return OKIT_SIG_RSA_SHA512;
	}
}

static int ecdsa_sig_id(ocspkit_hash h)
{
	switch (h) {
	case OCSPKIT_HASH_SHA1: return OKIT_SIG_ECDSA_SHA1;
	case OCSPKIT_HASH_SHA224: return OKIT_SIG_ECDSA_SHA224;
	case OCSPKIT_HASH_SHA256: return OKIT_SIG_ECDSA_SHA256;
	case OCSPKIT_HASH_SHA384: return OKIT_SIG_ECDSA_SHA384;
	default: return OKIT_SIG_ECDSA_SHA512;
	}
}

ocspkit_err okit_choose_sig_alg(okit_sig_alg *sa, ocspkit_algorithm_value *alg, const ocspkit_privkey *key,
				const ocspkit_sign_opts *opts)
{
	TRY(okit_schema_init());
	TRY(choose(sa, key, opts));
	if (!alg)
		return OCSPKIT_OK;
	memset(alg, 0, sizeof(*alg));
	switch (sa->kind) {
	case OKIT_SK_RSA_PKCS1:
		set_oid(alg, okit_oid_by_id(OKIT_OID_SIG, rsa_sig_id(sa->hash)));
		alg->params[0] = OKIT_TAG_NULL;
		alg->params[1] = 0;
		alg->params_len = 2;
		return OCSPKIT_OK;
	case OKIT_SK_RSA_PSS:
		set_oid(alg, okit_oid_by_id(OKIT_OID_SIG, OKIT_SIG_RSA_PSS));
		return write_pss_params(alg, sa->hash, sa->mgf1, sa->salt_len);
	case OKIT_SK_ECDSA:
		set_oid(alg, okit_oid_by_id(OKIT_OID_SIG, ecdsa_sig_id(sa->hash)));
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
	return okit_choose_sig_alg(&sa, alg, key, opts);
}

/* ---------------------------------------------------------------- PKCS #1 v1.5 */

/* DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier (hash,
 * NULL), digest OCTET STRING } (RFC 8017 section 9.2) */
size_t okit_digest_info(uint8_t *out, ocspkit_hash h, const uint8_t *digest)
{
	const okit_oid *o = okit_oid_by_id(OKIT_OID_HASH, (int)h);
	size_t hl = ocspkit_hash_size(h);
	if (!o || !okit_hash_nettle(h))
		return 0;
	size_t alg_len = 2 + o->len + 2;
	size_t n = 0;
	out[n++] = OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE;
	out[n++] = (uint8_t)(2 + alg_len + 2 + hl);
	out[n++] = OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE;
	out[n++] = (uint8_t)alg_len;
	out[n++] = OKIT_TAG_OID;
	out[n++] = o->len;
	memcpy(out + n, o->der, o->len);
	n += o->len;
	out[n++] = OKIT_TAG_NULL;
	out[n++] = 0;
	out[n++] = OKIT_TAG_OCTET_STRING;
	out[n++] = (uint8_t)hl;
	memcpy(out + n, digest, hl);
	return n + hl;
}

/* ---------------------------------------------------------------- EMSA-PSS */

/* MGF1 (RFC 8017 B.2.1): mask = H(seed || 0) || H(seed || 1) || ...,
 * xored into out. */
static void mgf1_xor(uint8_t *out, size_t len, const struct nettle_hash *h, const uint8_t *seed, size_t seed_len)
{
	uint8_t block[64];
	union {
		struct sha1_ctx a;
		struct sha256_ctx b;
		struct sha512_ctx c;
	} ctx;
	for (uint32_t counter = 0; len; counter++) {
		uint8_t c4[4] = { (uint8_t)(counter >> 24), (uint8_t)(counter >> 16), (uint8_t)(counter >> 8),
				  (uint8_t)counter };
		h->init(&ctx);
		h->update(&ctx, seed_len, seed);
		h->update(&ctx, 4, c4);
		h->digest(&ctx, h->digest_size, block);
		size_t k = len < h->digest_size ? len : h->digest_size;
		for (size_t i = 0; i < k; i++)
			out[i] ^= block[i];
		out += k;
		len -= k;
	}
}

/* H = Hash(00 00 00 00 00 00 00 00 || mHash || salt) */
static void pss_h(uint8_t *out, const struct nettle_hash *h, const uint8_t *mhash, const uint8_t *salt,
		  size_t salt_len)
{
	static const uint8_t zeros[8];
	union {
		struct sha1_ctx a;
		struct sha256_ctx b;
		struct sha512_ctx c;
	} ctx;
	h->init(&ctx);
	h->update(&ctx, sizeof(zeros), zeros);
	h->update(&ctx, h->digest_size, mhash);
	h->update(&ctx, salt_len, salt);
	h->digest(&ctx, h->digest_size, out);
}

ocspkit_err okit_pss_encode(uint8_t *em, size_t em_len, size_t em_bits, const struct nettle_hash *h,
			    const struct nettle_hash *mgf, const uint8_t *mhash, const uint8_t *salt,
			    size_t salt_len)
{
	size_t hl = h->digest_size;
	if (em_len < hl + salt_len + 2)
		return OCSPKIT_E_KEY_ALGORITHM_MISMATCH; /* key too small for these parameters */
	size_t db_len = em_len - hl - 1;
	/* DB = PS (zeros) || 01 || salt */
	memset(em, 0, db_len);
	em[db_len - salt_len - 1] = 0x01;
	memcpy(em + db_len - salt_len, salt, salt_len);
	pss_h(em + db_len, h, mhash, salt, salt_len);
	mgf1_xor(em, db_len, mgf, em + db_len, hl);
	em[0] &= (uint8_t)(0xFF >> (8 * em_len - em_bits));
	em[em_len - 1] = 0xBC;
	return OCSPKIT_OK;
}

int okit_pss_verify(const uint8_t *em_in, size_t em_len, size_t em_bits, const struct nettle_hash *h,
		    const struct nettle_hash *mgf, const uint8_t *mhash, size_t salt_len)
{
	uint8_t em[OCSPKIT_MAX_SIGNATURE_SIZE];
	uint8_t hh[64];
	size_t hl = h->digest_size;
	uint8_t top_mask = (uint8_t)(0xFF >> (8 * em_len - em_bits));

	if (em_len > sizeof(em) || em_len < hl + salt_len + 2 || em_in[em_len - 1] != 0xBC ||
	    (em_in[0] & ~top_mask))
		return 0;
	size_t db_len = em_len - hl - 1;
	memcpy(em, em_in, em_len);
	mgf1_xor(em, db_len, mgf, em + db_len, hl);
	em[0] &= top_mask;
	size_t ps_len = db_len - salt_len - 1;
	for (size_t i = 0; i < ps_len; i++)
		if (em[i])
			return 0;
	if (em[ps_len] != 0x01)
		return 0;
	pss_h(hh, h, mhash, em + ps_len + 1, salt_len);
	return memcmp(hh, em + db_len, hl) == 0;
}
