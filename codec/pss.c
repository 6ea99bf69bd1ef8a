/* RSASSA-PSS; see pss.h. */
#include <config.h>

#include <string.h>

#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include "algid.h"
#include "buf.h"
#include "der.h"
#include "der_write.h"
#include "hash.h"
#include "ocsp_asn1.h"
#include "oid.h"
#include "pss.h"
#include "schema.h"
#include "try.h"

/* ---------------------------------------------------------------- parameters */

ocspkit_err okit_pss_fields_read(ocspkit_bytes params, okit_pss_fields *out)
{
	okit_dctx c = okit_ctx(params.data, 0);
	okit_tlv t, inner;
	okit_val f[F_RSASSA_PSS_params__COUNT];

	memset(out, 0, sizeof(*out));
	/* RFC 4055 3.1: the parameters are required in a signatureAlgorithm */
	if (params.len == 0 || okit_sch_check_bytes(&c, T_RSASSA_PSS_params, params.data, params.len, &t) ||
	    okit_sch_split(&c, T_RSASSA_PSS_params, &t, f, F_RSASSA_PSS_params__COUNT))
		return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
	/* the AlgorithmIdentifiers were checked with the rest */
	if ((out->has_hash = f[F_RSASSA_PSS_params_hashAlgorithm].present))
		TRY(okit_algid_read(&c, &f[F_RSASSA_PSS_params_hashAlgorithm].inner, &out->hash));
	if ((out->has_mgf = f[F_RSASSA_PSS_params_maskGenAlgorithm].present)) {
		TRY(okit_algid_read(&c, &f[F_RSASSA_PSS_params_maskGenAlgorithm].inner, &out->mgf));
		out->mgf_is_mgf1 = okit_oid_id(OKIT_OID_MISC, out->mgf.oid) == OKIT_MISC_MGF1;
		/* MGF1's parameter is the AlgorithmIdentifier of its hash; the
		 * schema has it as ANY */
		out->mgf_hash_ok = out->mgf_is_mgf1 && out->mgf.params.len &&
				   !okit_sch_check_bytes(&c, T_AlgorithmIdentifier, out->mgf.params.data, out->mgf.params.len,
							 &inner) &&
				   !okit_algid_read(&c, &inner, &out->mgf_hash);
	}
	if ((out->has_salt = f[F_RSASSA_PSS_params_saltLength].present))
		out->salt = f[F_RSASSA_PSS_params_saltLength].inner;
	if ((out->has_trailer = f[F_RSASSA_PSS_params_trailerField].present))
		out->trailer = f[F_RSASSA_PSS_params_trailerField].inner;
	return OCSPKIT_OK;
}

/* A hash AlgorithmIdentifier inside RSASSA-PSS-params: SHA-1/2 with
 * absent or NULL parameters (RFC 4055 section 2.1 allows both). */
static ocspkit_err hash_of(const ocspkit_algorithm_id *a, ocspkit_hash *out)
{
	ocspkit_hash h = (ocspkit_hash)okit_oid_id(OKIT_OID_HASH, a->oid);
	TRY(okit_hash_usable(h));
	if (!okit_algid_no_params(a->params))
		return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
	*out = h;
	return OCSPKIT_OK;
}

ocspkit_err okit_pss_params_read(ocspkit_bytes params, ocspkit_hash *hash, ocspkit_hash *mgf1, size_t *salt)
{
	okit_dctx c = okit_ctx(params.data, 0);
	okit_pss_fields f;
	long v;

	TRY(okit_pss_fields_read(params, &f));
	*hash = *mgf1 = OCSPKIT_HASH_SHA1;
	*salt = OKIT_PSS_DEFAULT_SALT;
	if (f.has_hash)
		TRY(hash_of(&f.hash, hash));
	if (f.has_mgf) {
		if (!f.mgf_is_mgf1)
			return OCSPKIT_E_UNSUPPORTED_ALGORITHM;
		if (!f.mgf_hash_ok)
			return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
		TRY(hash_of(&f.mgf_hash, mgf1));
	}
	if (f.has_salt) {
		if (okit_der_small_uint(&c, &f.salt, OCSPKIT_MAX_PSS_SALT, &v))
			return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
		*salt = (size_t)v;
	}
	if (f.has_trailer && (okit_der_small_uint(&c, &f.trailer, 1, &v) || v != 1))
		return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
	return OCSPKIT_OK;
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

void okit_pss_params_write(okit_buf *b, ocspkit_hash h, ocspkit_hash mgf, size_t salt)
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
	if (salt != OKIT_PSS_DEFAULT_SALT) {
		size_t t = okit_der_open(b, ID_RSASSA_PSS_params_saltLength);
		okit_der_uint(b, OKIT_TAG_INTEGER, salt);
		okit_der_close(b, t);
	}
	okit_der_close(b, seq);
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
