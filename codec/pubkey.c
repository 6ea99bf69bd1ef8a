/* Public keys from and to SubjectPublicKeyInfo; see pubkey.h. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <nettle/bignum.h>
#include <nettle/ecc-curve.h>

#include <ocspkit/x509.h>
#include <ocspkit/crypto.h>

#include "algid.h"
#include "alloc.h"
#include "buf.h"
#include "der.h"
#include "der_write.h"
#include "mpz.h"
#include "ocsp_asn1.h"
#include "oid.h"
#include "pss.h"
#include "pubkey.h"
#include "schema.h"
#include "try.h"

/* ---------------------------------------------------------------- curves */

const struct ecc_curve *okit_curve_for(ocspkit_key_type t)
{
	switch (t) {
	case OCSPKIT_KEY_EC_P256: return nettle_get_secp_256r1();
	case OCSPKIT_KEY_EC_P384: return nettle_get_secp_384r1();
	case OCSPKIT_KEY_EC_P521: return nettle_get_secp_521r1();
	default: return NULL;
	}
}

ocspkit_key_type okit_key_for_curve(const struct ecc_curve *c)
{
	if (c == nettle_get_secp_256r1())
		return OCSPKIT_KEY_EC_P256;
	if (c == nettle_get_secp_384r1())
		return OCSPKIT_KEY_EC_P384;
	if (c == nettle_get_secp_521r1())
		return OCSPKIT_KEY_EC_P521;
	return OCSPKIT_KEY_UNKNOWN;
}

const char *ocspkit_key_type_name(ocspkit_key_type t)
{
	switch (t) {
	case OCSPKIT_KEY_RSA: return "RSA";
	case OCSPKIT_KEY_RSA_PSS: return "RSA-PSS";
	case OCSPKIT_KEY_EC_P256: return "P-256";
	case OCSPKIT_KEY_EC_P384: return "P-384";
	case OCSPKIT_KEY_EC_P521: return "P-521";
	case OCSPKIT_KEY_ED25519: return "Ed25519";
	case OCSPKIT_KEY_ED448: return "Ed448";
	default: return "unknown";
	}
}

/* ---------------------------------------------------------------- SPKI */

/* A positive INTEGER's magnitude: content octets without the sign octet;
 * 0 if it is zero or negative. */
static int positive_magnitude(const okit_tlv *t, ocspkit_bytes *out)
{
	const uint8_t *p = t->val;
	size_t n = t->val_len;
	if (n == 0 || (p[0] & 0x80))
		return 0;
	while (n && p[0] == 0)
		p++, n--;
	if (n == 0)
		return 0;
	*out = (ocspkit_bytes){ p, n };
	return 1;
}

static size_t bit_length(ocspkit_bytes m)
{
	size_t bits = m.len * 8;
	for (uint8_t top = m.data[0]; !(top & 0x80); top <<= 1)
		bits--;
	return bits;
}

/* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
static ocspkit_err read_rsa(ocspkit_pubkey *k, ocspkit_bytes bits)
{
	okit_dctx c = okit_ctx(bits.data, 0);
	okit_tlv t;
	okit_val f[F_RSAPublicKey__COUNT];
	ocspkit_bytes n, e;

	if (okit_sch_check_bytes(&c, T_RSAPublicKey, bits.data, bits.len, &t) ||
	    okit_sch_split(&c, T_RSAPublicKey, &t, f, F_RSAPublicKey__COUNT))
		return OCSPKIT_E_BAD_PUBLIC_KEY;
	if (!positive_magnitude(&f[F_RSAPublicKey_modulus].inner, &n) || !positive_magnitude(&f[F_RSAPublicKey_publicExponent].inner, &e))
		return OCSPKIT_E_BAD_PUBLIC_KEY;
	k->bits = bit_length(n);
	/* an even modulus or exponent, or e = 1, is no RSA key; e >= n
	 * neither.  e is at most 64 bits (OpenSSL's limit too): a huge one
	 * would make every verification a full exponentiation, and a response
	 * can carry any key for classify_unnamed() to try. */
	if (k->bits < OCSPKIT_MIN_RSA_BITS || k->bits > OCSPKIT_MAX_RSA_BITS || !(n.data[n.len - 1] & 1) ||
	    !(e.data[e.len - 1] & 1) || (e.len == 1 && e.data[0] == 1) || e.len > 8)
		return OCSPKIT_E_BAD_PUBLIC_KEY;
	rsa_public_key_init(&k->rsa);
	k->rsa_init = 1;
	okit_mpz_from_bytes(k->rsa.n, n.data, n.len);
	okit_mpz_from_bytes(k->rsa.e, e.data, e.len);
	if (mpz_cmp(k->rsa.e, k->rsa.n) >= 0 || !rsa_public_key_prepare(&k->rsa))
		return OCSPKIT_E_BAD_PUBLIC_KEY;
	return OCSPKIT_OK;
}

/* ECParameters ::= CHOICE { namedCurve OBJECT IDENTIFIER }; the point is
 * uncompressed: 04 || X || Y (SEC 1 section 2.3.3). */
static ocspkit_err read_ec(ocspkit_pubkey *k, ocspkit_bytes params, ocspkit_bytes bits)
{
	okit_dctx c = okit_ctx(params.data, 0);
	okit_tlv t;
	ocspkit_err e = OCSPKIT_OK;

	if (params.len == 0)
		return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
	if (okit_sch_check_bytes(&c, T_ECParameters, params.data, params.len, &t))
		return OCSPKIT_E_BAD_ALGORITHM_PARAMS; /* implicitCurve, specifiedCurve */
	switch (okit_oid_id(OKIT_OID_CURVE, okit_view(&t))) {
	case OKIT_CURVE_P256: k->type = OCSPKIT_KEY_EC_P256; break;
	case OKIT_CURVE_P384: k->type = OCSPKIT_KEY_EC_P384; break;
	case OKIT_CURVE_P521: k->type = OCSPKIT_KEY_EC_P521; break;
	default: return OCSPKIT_E_UNSUPPORTED_ALGORITHM;
	}
	k->curve = okit_curve_for(k->type);
	k->bits = ecc_bit_size(k->curve);
	size_t clen = (k->bits + 7) / 8;
	if (bits.len == 1 + clen && (bits.data[0] == 2 || bits.data[0] == 3))
		return OCSPKIT_E_UNSUPPORTED_ALGORITHM; /* compressed points */
	if (bits.len != 1 + 2 * clen || bits.data[0] != 4)
		return OCSPKIT_E_BAD_PUBLIC_KEY;
	mpz_t x, y;
	mpz_init(x);
	mpz_init(y);
	okit_mpz_from_bytes(x, bits.data + 1, clen);
	okit_mpz_from_bytes(y, bits.data + 1 + clen, clen);
	ecc_point_init(&k->ec, k->curve);
	k->ec_init = 1;
	/* refuses coordinates out of range and points off the curve */
	if (!ecc_point_set(&k->ec, x, y))
		e = OCSPKIT_E_BAD_PUBLIC_KEY;
	mpz_clear(x);
	mpz_clear(y);
	return e;
}

/* RSASSA-PSS-params of an id-RSASSA-PSS key restrict its signatures. */
static ocspkit_err read_pss_key_params(ocspkit_pubkey *k, ocspkit_bytes params)
{
	if (params.len == 0)
		return OCSPKIT_OK; /* unrestricted (RFC 4055 section 1.2) */
	TRY(okit_pss_params_read(params, &k->pss_hash, &k->pss_mgf1, &k->pss_min_salt));
	k->pss_restricted = 1;
	return OCSPKIT_OK;
}

static ocspkit_err decode_spki(ocspkit_pubkey *k, okit_dctx *c, const okit_tlv *t)
{
	okit_val f[F_SubjectPublicKeyInfo__COUNT];
	ocspkit_algorithm_id alg;
	ocspkit_bytes bits;

	TRY(okit_sch_split(c, T_SubjectPublicKeyInfo, t, f, F_SubjectPublicKeyInfo__COUNT));
	TRY(okit_algid_read(c, &f[F_SubjectPublicKeyInfo_algorithm].inner, &alg));
	if (okit_der_octet_bits(c, &f[F_SubjectPublicKeyInfo_subjectPublicKey].inner, &bits))
		return OCSPKIT_E_BAD_PUBLIC_KEY;

	switch (okit_oid_id(OKIT_OID_KEY, alg.oid)) {
	case OKIT_KEY_RSA:
		/* RFC 3279 2.3.1: parameters NULL */
		if (!okit_algid_no_params(alg.params))
			return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
		k->type = OCSPKIT_KEY_RSA;
		return read_rsa(k, bits);
	case OKIT_KEY_RSA_PSS:
		k->type = OCSPKIT_KEY_RSA_PSS;
		TRY(read_pss_key_params(k, alg.params));
		return read_rsa(k, bits);
	case OKIT_KEY_EC:
		return read_ec(k, alg.params, bits);
	case OKIT_KEY_ED25519:
	case OKIT_KEY_ED448: {
		int ed448 = okit_oid_id(OKIT_OID_KEY, alg.oid) == OKIT_KEY_ED448;
		size_t want = ed448 ? OKIT_ED448_KEY_SIZE : OKIT_ED25519_KEY_SIZE;
		/* RFC 8410 3: parameters MUST be absent */
		if (alg.params.len)
			return OCSPKIT_E_BAD_ALGORITHM_PARAMS;
		if (bits.len != want)
			return OCSPKIT_E_BAD_PUBLIC_KEY;
		k->type = ed448 ? OCSPKIT_KEY_ED448 : OCSPKIT_KEY_ED25519;
		k->bits = ed448 ? 448 : 255;
		memcpy(k->ed, bits.data, want);
		return OCSPKIT_OK;
	}
	default:
		return OCSPKIT_E_UNSUPPORTED_ALGORITHM;
	}
}

ocspkit_err ocspkit_pubkey_decode(ocspkit_pubkey **out, const uint8_t *der, size_t len)
{
	okit_dctx c = okit_ctx(der, 0);
	okit_tlv t;
	ocspkit_pubkey *k;
	ocspkit_err e;

	if (!out)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*out = NULL;
	if (!der || len == 0)
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (len > OCSPKIT_MAX_MESSAGE_SIZE)
		return OCSPKIT_E_LIMIT_INPUT_SIZE;
	TRY(okit_schema_init());
	TRY(okit_sch_check_bytes(&c, T_SubjectPublicKeyInfo, der, len, &t));
	k = okit_calloc(1, sizeof(*k));
	if (!k)
		return OCSPKIT_E_NO_MEMORY;
	e = decode_spki(k, &c, &t);
	if (e) {
		ocspkit_pubkey_free(k);
		return e;
	}
	*out = k;
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_pubkey_from_cert(ocspkit_pubkey **out, const ocspkit_cert *cert)
{
	if (!out)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*out = NULL;
	if (!cert)
		return OCSPKIT_E_INVALID_ARGUMENT;
	ocspkit_bytes spki = ocspkit_cert_get_spki(cert);
	return ocspkit_pubkey_decode(out, spki.data, spki.len);
}

void ocspkit_pubkey_free(ocspkit_pubkey *k)
{
	if (!k)
		return;
	if (k->rsa_init)
		rsa_public_key_clear(&k->rsa);
	if (k->ec_init)
		ecc_point_clear(&k->ec);
	okit_free(k);
}

ocspkit_key_type ocspkit_pubkey_get_type(const ocspkit_pubkey *k)
{
	return k ? k->type : OCSPKIT_KEY_UNKNOWN;
}

size_t ocspkit_pubkey_get_bits(const ocspkit_pubkey *k)
{
	return k ? k->bits : 0;
}

/* ---------------------------------------------------------------- writing */

void okit_pubkey_write_spki(okit_buf *b, ocspkit_key_type type, const struct rsa_public_key *rsa,
		     const struct ecc_point *ec, const uint8_t *ed, const ocspkit_pubkey *pss)
{
	size_t spki = okit_der_open(b, ID_SubjectPublicKeyInfo);
	size_t alg = okit_der_open(b, ID_SubjectPublicKeyInfo_algorithm);
	const okit_oid *o;
	switch (type) {
	case OCSPKIT_KEY_RSA:
	case OCSPKIT_KEY_RSA_PSS: {
		o = okit_oid_by_id(OKIT_OID_KEY, type == OCSPKIT_KEY_RSA ? OKIT_KEY_RSA : OKIT_KEY_RSA_PSS);
		okit_der_prim(b, ID_AlgorithmIdentifier_algorithm, o->der, o->len);
		if (type == OCSPKIT_KEY_RSA)
			okit_der_prim(b, OKIT_TAG_NULL, NULL, 0);
		else if (pss && pss->pss_restricted)
			okit_pss_params_write(b, pss->pss_hash, pss->pss_mgf1, pss->pss_min_salt);
		okit_der_close(b, alg);
		size_t bs = okit_der_open(b, ID_SubjectPublicKeyInfo_subjectPublicKey);
		okit_buf_byte(b, 0);
		size_t seq = okit_der_open(b, ID_RSAPublicKey);
		okit_mpz_write(b, rsa->n);
		okit_mpz_write(b, rsa->e);
		okit_der_close(b, seq);
		okit_der_close(b, bs);
		break;
	}
	case OCSPKIT_KEY_EC_P256:
	case OCSPKIT_KEY_EC_P384:
	case OCSPKIT_KEY_EC_P521: {
		int curve = type == OCSPKIT_KEY_EC_P256 ? OKIT_CURVE_P256
			    : type == OCSPKIT_KEY_EC_P384 ? OKIT_CURVE_P384
							  : OKIT_CURVE_P521;
		size_t clen = (ecc_bit_size(ec->ecc) + 7) / 8;
		uint8_t pt[1 + 2 * 66];
		mpz_t x, y;
		o = okit_oid_by_id(OKIT_OID_KEY, OKIT_KEY_EC);
		okit_der_prim(b, ID_AlgorithmIdentifier_algorithm, o->der, o->len);
		o = okit_oid_by_id(OKIT_OID_CURVE, curve);
		okit_der_prim(b, ID_ECParameters_namedCurve, o->der, o->len);
		okit_der_close(b, alg);
		mpz_init(x);
		mpz_init(y);
		ecc_point_get(ec, x, y);
		pt[0] = 4;
		nettle_mpz_get_str_256(clen, pt + 1, x);
		nettle_mpz_get_str_256(clen, pt + 1 + clen, y);
		mpz_clear(x);
		mpz_clear(y);
		okit_der_bit_string(b, pt, 1 + 2 * clen);
		break;
	}
	case OCSPKIT_KEY_ED25519:
	case OCSPKIT_KEY_ED448:
		o = okit_oid_by_id(OKIT_OID_KEY, type == OCSPKIT_KEY_ED25519 ? OKIT_KEY_ED25519 : OKIT_KEY_ED448);
		okit_der_prim(b, ID_AlgorithmIdentifier_algorithm, o->der, o->len);
		okit_der_close(b, alg);
		okit_der_bit_string(b, ed, type == OCSPKIT_KEY_ED25519 ? OKIT_ED25519_KEY_SIZE : OKIT_ED448_KEY_SIZE);
		break;
	default:
		okit_buf_fail(b, OCSPKIT_E_INVALID_ARGUMENT);
		return;
	}
	okit_der_close(b, spki);
}

ocspkit_err okit_pubkey_spki_der(uint8_t **der, size_t *len, ocspkit_key_type type, const struct rsa_public_key *rsa,
				 const struct ecc_point *ec, const uint8_t *ed, const ocspkit_pubkey *pss_restriction)
{
	okit_buf b;
	TRY(okit_schema_init());
	okit_buf_init(&b, OKIT_DER_MAX);
	okit_pubkey_write_spki(&b, type, rsa, ec, ed, pss_restriction);
	return okit_buf_finish(&b, der, len);
}

ocspkit_err ocspkit_pubkey_encode(uint8_t **der, size_t *len, const ocspkit_pubkey *k)
{
	if (!der || !len)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*der = NULL;
	*len = 0;
	if (!k)
		return OCSPKIT_E_INVALID_ARGUMENT;
	return okit_pubkey_spki_der(der, len, k->type, &k->rsa, &k->ec, k->ed, k);
}
