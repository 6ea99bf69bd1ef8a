/* Private keys, handed over as the octets of their parts and kept as
 * Nettle's structures.  A key is immutable once made, so that many
 * threads can sign with it at once. */
#include <config.h>

#include <string.h>

#include <nettle/eddsa.h>

#include <ocspkit/crypto.h>

#include "alloc.h"
#include "buf.h"
#include "der_write.h"
#include "mpz.h"
#include "privkey.h"
#include "pubkey.h"
#include "schema.h"
#include "try.h"

static void wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;
	while (n--)
		*v++ = 0;
}

static ocspkit_privkey *new_key(void)
{
	return okit_calloc(1, sizeof(ocspkit_privkey));
}

/* Sets x to the unsigned big-endian octets of v. */
static void set_bytes(mpz_t x, ocspkit_bytes v)
{
	okit_mpz_from_bytes(x, v.data, v.len);
}

/* Whether an optional CRT value v (empty: not given) is x. */
static int agrees(ocspkit_bytes v, const mpz_t x)
{
	mpz_t y;
	if (v.len == 0)
		return 1;
	mpz_init(y);
	set_bytes(y, v);
	int same = mpz_cmp(x, y) == 0;
	okit_mpz_wipe(y);
	mpz_clear(y);
	return same;
}

/* e d = 1 modulo p - 1 and q - 1 (so modulo their lcm): the key signs
 * what its public half verifies.  Computes the CRT values from d, p, q,
 * and checks those given against them. */
static ocspkit_err set_rsa(ocspkit_privkey *k, const ocspkit_rsa_private_parts *parts)
{
	ocspkit_err e = OCSPKIT_OK;
	mpz_t t, p1, q1;

	rsa_public_key_init(&k->rsa_pub);
	rsa_private_key_init(&k->rsa);
	k->rsa_init = 1;
	set_bytes(k->rsa_pub.n, parts->n);
	set_bytes(k->rsa_pub.e, parts->e);
	set_bytes(k->rsa.d, parts->d);
	set_bytes(k->rsa.p, parts->p);
	set_bytes(k->rsa.q, parts->q);
	if (mpz_sgn(k->rsa_pub.e) <= 0 || mpz_sgn(k->rsa.p) <= 0 || mpz_sgn(k->rsa.q) <= 0 || mpz_sgn(k->rsa.d) <= 0)
		return OCSPKIT_E_BAD_PRIVATE_KEY;
	k->bits = mpz_sizeinbase(k->rsa_pub.n, 2);
	if (k->bits < OCSPKIT_MIN_RSA_BITS || k->bits > OCSPKIT_MAX_RSA_BITS || mpz_even_p(k->rsa_pub.n) ||
	    mpz_even_p(k->rsa_pub.e) || !rsa_public_key_prepare(&k->rsa_pub))
		return OCSPKIT_E_BAD_PRIVATE_KEY;

	mpz_init(t);
	mpz_init(p1);
	mpz_init(q1);
	mpz_mul(t, k->rsa.p, k->rsa.q);
	mpz_sub_ui(p1, k->rsa.p, 1);
	mpz_sub_ui(q1, k->rsa.q, 1);
	if (mpz_cmp(t, k->rsa_pub.n) != 0 || mpz_sgn(p1) <= 0 || mpz_sgn(q1) <= 0) {
		e = OCSPKIT_E_BAD_PRIVATE_KEY;
		goto out;
	}
	mpz_fdiv_r(k->rsa.a, k->rsa.d, p1);
	mpz_fdiv_r(k->rsa.b, k->rsa.d, q1);
	mpz_mul(t, k->rsa_pub.e, k->rsa.a);
	mpz_fdiv_r(t, t, p1);
	if (mpz_cmp_ui(t, 1) != 0) {
		e = OCSPKIT_E_BAD_PRIVATE_KEY;
		goto out;
	}
	mpz_mul(t, k->rsa_pub.e, k->rsa.b);
	mpz_fdiv_r(t, t, q1);
	if (mpz_cmp_ui(t, 1) != 0 || !mpz_invert(k->rsa.c, k->rsa.q, k->rsa.p) ||
	    !rsa_private_key_prepare(&k->rsa) || k->rsa.size != k->rsa_pub.size ||
	    !agrees(parts->dp, k->rsa.a) || !agrees(parts->dq, k->rsa.b) || !agrees(parts->qinv, k->rsa.c))
		e = OCSPKIT_E_BAD_PRIVATE_KEY;
out:
	okit_mpz_wipe(t);
	mpz_clear(t);
	mpz_clear(p1);
	mpz_clear(q1);
	return e;
}

/* A part of a key given as a view: NULL only when empty. */
static int part_ok(ocspkit_bytes v)
{
	return v.data || !v.len;
}

ocspkit_err ocspkit_privkey_from_rsa(ocspkit_privkey **out, const ocspkit_rsa_private_parts *parts, int pss_only)
{
	ocspkit_privkey *k;
	ocspkit_err e;
	if (!out)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*out = NULL;
	if (!parts || !part_ok(parts->n) || !part_ok(parts->e) || !part_ok(parts->d) || !part_ok(parts->p) ||
	    !part_ok(parts->q) || !part_ok(parts->dp) || !part_ok(parts->dq) || !part_ok(parts->qinv))
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (!(k = new_key()))
		return OCSPKIT_E_NO_MEMORY;
	k->type = pss_only ? OCSPKIT_KEY_RSA_PSS : OCSPKIT_KEY_RSA;
	if ((e = set_rsa(k, parts))) {
		ocspkit_privkey_free(k);
		return e;
	}
	*out = k;
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_privkey_from_ec(ocspkit_privkey **out, ocspkit_key_type type, const uint8_t *scalar,
				    size_t len)
{
	const struct ecc_curve *curve = okit_curve_for(type);
	ocspkit_privkey *k;
	mpz_t z;
	int ok;

	if (!out)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*out = NULL;
	if (!curve || (!scalar && len))
		return OCSPKIT_E_INVALID_ARGUMENT;
	while (len && !*scalar) {
		scalar++;
		len--;
	}
	if (len > (ecc_bit_size(curve) + 7) / 8)
		return OCSPKIT_E_BAD_PRIVATE_KEY;
	if (!(k = new_key()))
		return OCSPKIT_E_NO_MEMORY;
	k->type = type;
	k->curve = curve;
	k->bits = ecc_bit_size(curve);
	ecc_scalar_init(&k->ec, curve);
	ecc_point_init(&k->ec_pub, curve);
	k->ec_init = 1;
	mpz_init(z);
	okit_mpz_from_bytes(z, scalar, len);
	/* refuses 0 and values not below the group order */
	ok = ecc_scalar_set(&k->ec, z);
	okit_mpz_wipe(z);
	mpz_clear(z);
	if (!ok) {
		ocspkit_privkey_free(k);
		return OCSPKIT_E_BAD_PRIVATE_KEY;
	}
	ecc_point_mul_g(&k->ec_pub, &k->ec);
	*out = k;
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_privkey_from_eddsa(ocspkit_privkey **out, ocspkit_key_type type, const uint8_t *priv,
				       size_t len)
{
	ocspkit_privkey *k;
	if (!out)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*out = NULL;
	if (!priv || (type != OCSPKIT_KEY_ED25519 && type != OCSPKIT_KEY_ED448))
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (len != (type == OCSPKIT_KEY_ED25519 ? OKIT_ED25519_KEY_SIZE : OKIT_ED448_KEY_SIZE))
		return OCSPKIT_E_BAD_PRIVATE_KEY;
	if (!(k = new_key()))
		return OCSPKIT_E_NO_MEMORY;
	k->type = type;
	memcpy(k->ed_priv, priv, len);
	if (type == OCSPKIT_KEY_ED25519) {
		k->bits = 255;
		ed25519_sha512_public_key(k->ed_pub, k->ed_priv);
	} else {
		k->bits = 448;
		ed448_shake256_public_key(k->ed_pub, k->ed_priv);
	}
	*out = k;
	return OCSPKIT_OK;
}

void ocspkit_privkey_free(ocspkit_privkey *k)
{
	if (!k)
		return;
	if (k->rsa_init) {
		okit_mpz_wipe(k->rsa.d);
		okit_mpz_wipe(k->rsa.p);
		okit_mpz_wipe(k->rsa.q);
		okit_mpz_wipe(k->rsa.a);
		okit_mpz_wipe(k->rsa.b);
		okit_mpz_wipe(k->rsa.c);
		rsa_private_key_clear(&k->rsa);
		rsa_public_key_clear(&k->rsa_pub);
	}
	if (k->ec_init) {
		wipe(k->ec.p, ecc_size(k->curve) * sizeof(mp_limb_t));
		ecc_scalar_clear(&k->ec);
		ecc_point_clear(&k->ec_pub);
	}
	wipe(k->ed_priv, sizeof(k->ed_priv));
	okit_free(k);
}

ocspkit_key_type ocspkit_privkey_get_type(const ocspkit_privkey *k)
{
	return k ? k->type : OCSPKIT_KEY_UNKNOWN;
}

size_t ocspkit_privkey_get_bits(const ocspkit_privkey *k)
{
	return k ? k->bits : 0;
}

ocspkit_err ocspkit_privkey_check(const ocspkit_privkey *k, const ocspkit_pubkey *pub)
{
	if (!k || !pub)
		return OCSPKIT_E_INVALID_ARGUMENT;
	switch (k->type) {
	case OCSPKIT_KEY_RSA:
	case OCSPKIT_KEY_RSA_PSS:
		if ((pub->type != OCSPKIT_KEY_RSA && pub->type != OCSPKIT_KEY_RSA_PSS) ||
		    mpz_cmp(k->rsa_pub.n, pub->rsa.n) != 0 || mpz_cmp(k->rsa_pub.e, pub->rsa.e) != 0)
			return OCSPKIT_E_KEY_MISMATCH;
		return OCSPKIT_OK;
	case OCSPKIT_KEY_EC_P256:
	case OCSPKIT_KEY_EC_P384:
	case OCSPKIT_KEY_EC_P521: {
		if (pub->type != k->type)
			return OCSPKIT_E_KEY_MISMATCH;
		mpz_t x1, y1, x2, y2;
		mpz_init(x1);
		mpz_init(y1);
		mpz_init(x2);
		mpz_init(y2);
		ecc_point_get(&k->ec_pub, x1, y1);
		ecc_point_get(&pub->ec, x2, y2);
		int same = mpz_cmp(x1, x2) == 0 && mpz_cmp(y1, y2) == 0;
		mpz_clear(x1);
		mpz_clear(y1);
		mpz_clear(x2);
		mpz_clear(y2);
		return same ? OCSPKIT_OK : OCSPKIT_E_KEY_MISMATCH;
	}
	case OCSPKIT_KEY_ED25519:
	case OCSPKIT_KEY_ED448: {
		size_t n = k->type == OCSPKIT_KEY_ED25519 ? OKIT_ED25519_KEY_SIZE : OKIT_ED448_KEY_SIZE;
		if (pub->type != k->type || memcmp(k->ed_pub, pub->ed, n) != 0)
			return OCSPKIT_E_KEY_MISMATCH;
		return OCSPKIT_OK;
	}
	default:
		return OCSPKIT_E_BAD_PRIVATE_KEY;
	}
}

ocspkit_err ocspkit_pubkey_from_privkey(ocspkit_pubkey **out, const ocspkit_privkey *k)
{
	uint8_t *der;
	size_t len;
	if (!out)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*out = NULL;
	if (!k)
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(okit_pubkey_spki_der(&der, &len, k->type, &k->rsa_pub, &k->ec_pub, k->ed_pub, NULL));
	ocspkit_err e = ocspkit_pubkey_decode(out, der, len);
	okit_free(der);
	return e;
}
