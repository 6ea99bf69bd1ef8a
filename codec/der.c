/* Strict DER reading; see der.h. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "der.h"

ocspkit_err okit_fail(okit_dctx *c, const uint8_t *p, ocspkit_err err)
{
	if (c->base && p >= c->base)
		c->err_off = (size_t)(p - c->base);
	return err;
}

/* One class and form: tag numbers 0 to 30, then 31 (high-tag-number
 * form), which the inline reader leaves to the full one. */
#define ONES4 1, 1, 1, 1
#define ROW(tag0) tag0, 1, 1, ONES4, ONES4, ONES4, ONES4, ONES4, ONES4, ONES4, 0
const uint8_t okit_der_low_tag[256] = {
	ROW(0), ROW(0), /* universal, primitive and constructed: 0 is end-of-contents */
	ROW(1), ROW(1), /* application */
	ROW(1), ROW(1), /* context-specific */
	ROW(1), ROW(1), /* private */
};

ocspkit_err okit_der_next_slow(okit_dctx *c, const uint8_t **pp, size_t *np, okit_tlv *out)
{
	const uint8_t *p = *pp, *start = *pp;
	size_t n = *np;

	if (n < 2)
		return okit_fail(c, start, OCSPKIT_E_DER_TRUNCATED);
	uint8_t id = p[0];
	out->cls = id & 0xC0;
	out->constructed = (id & OKIT_CONSTRUCTED) ? 1 : 0;
	p++, n--;

	if ((id & 0x1F) != 0x1F) {
		out->number = id & 0x1F;
	} else {
		/* High-tag-number form: base 128, no leading 0x80, and only for
		 * numbers that do not fit the low form. */
		uint32_t num = 0;
		if (p[0] == 0x80)
			return okit_fail(c, start, OCSPKIT_E_DER_NONMINIMAL_TAG);
		for (;;) {
			if (n == 0)
				return okit_fail(c, start, OCSPKIT_E_DER_TRUNCATED);
			if (num > (UINT32_MAX >> 7) || num >= (1u << 21))
				return okit_fail(c, start, OCSPKIT_E_DER_TAG_OVERFLOW);
			uint8_t b = *p++;
			n--;
			num = (num << 7) | (b & 0x7F);
			if (!(b & 0x80))
				break;
		}
		if (num < 31)
			return okit_fail(c, start, OCSPKIT_E_DER_NONMINIMAL_TAG);
		out->number = num;
		if (n == 0)
			return okit_fail(c, start, OCSPKIT_E_DER_TRUNCATED);
	}
	if (out->cls == OKIT_CLASS_UNIVERSAL && out->number == 0)
		return okit_fail(c, start, OCSPKIT_E_DER_UNEXPECTED_TAG); /* end-of-contents */

	uint8_t l0 = *p++;
	n--;
	size_t len;
	if (l0 < 0x80) {
		len = l0;
	} else if (l0 == 0x80) {
		return okit_fail(c, start, OCSPKIT_E_DER_INDEFINITE_LENGTH);
	} else {
		size_t k = l0 & 0x7F;
		if (k > 4 || l0 == 0xFF)
			return okit_fail(c, start, OCSPKIT_E_DER_LENGTH_OVERFLOW);
		if (k > n)
			return okit_fail(c, start, OCSPKIT_E_DER_TRUNCATED);
		if (p[0] == 0)
			return okit_fail(c, start, OCSPKIT_E_DER_NONMINIMAL_LENGTH);
		len = 0;
		for (size_t i = 0; i < k; i++)
			len = (len << 8) | p[i];
		p += k, n -= k;
		if (len < 0x80)
			return okit_fail(c, start, OCSPKIT_E_DER_NONMINIMAL_LENGTH);
	}
	if (len > n)
		return okit_fail(c, start, OCSPKIT_E_DER_TRUNCATED);

	out->tlv = start;
	out->val = p;
	out->val_len = len;
	out->tlv_len = (size_t)(p - start) + len;
	*pp = p + len;
	*np = n - len;
	return OCSPKIT_OK;
}

ocspkit_err okit_der_only(okit_dctx *c, const uint8_t *p, size_t n, okit_tlv *out)
{
	ocspkit_err e = okit_der_next(c, &p, &n, out);
	if (e)
		return e;
	if (n != 0)
		return okit_fail(c, p, OCSPKIT_E_DER_TRAILING_DATA);
	return OCSPKIT_OK;
}

int okit_integer_is_minimal(const uint8_t *v, size_t len)
{
	if (len == 0)
		return 0;
	if (len == 1)
		return 1;
	if (v[0] == 0x00 && !(v[1] & 0x80))
		return 0;
	if (v[0] == 0xFF && (v[1] & 0x80))
		return 0;
	return 1;
}

ocspkit_err okit_der_check_integer(okit_dctx *c, const okit_tlv *t)
{
	if (t->val_len == 0)
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_EMPTY_INTEGER);
	if (!okit_integer_is_minimal(t->val, t->val_len) &&
	    !(c->flags & OCSPKIT_DECODE_ALLOW_PADDED_INTEGER))
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_NONMINIMAL_INTEGER);
	return OCSPKIT_OK;
}

ocspkit_bytes okit_der_integer_minimal(const uint8_t *v, size_t len)
{
	while (len > 1 && ((v[0] == 0x00 && !(v[1] & 0x80)) ||
			   (v[0] == 0xFF && (v[1] & 0x80))))
		v++, len--;
	return (ocspkit_bytes){ v, len };
}

ocspkit_err okit_der_small_uint(okit_dctx *c, const okit_tlv *t, long max, long *out)
{
	ocspkit_bytes m = okit_der_integer_minimal(t->val, t->val_len);
	if (m.len == 0 || (m.data[0] & 0x80) || m.len > sizeof(long) - 1)
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_INTEGER_RANGE);
	long v = 0;
	for (size_t i = 0; i < m.len; i++)
		v = (v << 8) | m.data[i];
	if (v > max)
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_INTEGER_RANGE);
	*out = v;
	return OCSPKIT_OK;
}

ocspkit_err okit_der_check_boolean(okit_dctx *c, const okit_tlv *t)
{
	if (t->val_len != 1 || (t->val[0] != 0x00 && t->val[0] != 0xFF))
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_BAD_BOOLEAN);
	return OCSPKIT_OK;
}

ocspkit_err okit_der_check_null(okit_dctx *c, const okit_tlv *t)
{
	if (t->val_len != 0)
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_BAD_NULL);
	return OCSPKIT_OK;
}

ocspkit_err okit_der_check_bit_string(okit_dctx *c, const okit_tlv *t)
{
	/* First octet: unused bits in the last octet, 0..7, 0 when empty, and
	 * the unused bits themselves zero (X.690 11.2.1). */
	if (t->val_len == 0)
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_BAD_BIT_STRING);
	uint8_t unused = t->val[0];
	if (unused > 7 || (t->val_len == 1 && unused != 0))
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_BAD_BIT_STRING);
	if (unused && (t->val[t->val_len - 1] & ((1u << unused) - 1)))
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_BAD_BIT_STRING);
	return OCSPKIT_OK;
}

unsigned okit_der_named_bits(const okit_tlv *t)
{
	unsigned v = 0;
	for (size_t i = 1; i < t->val_len && i <= 2; i++)
		for (int b = 0; b < 8; b++)
			if (t->val[i] & (0x80 >> b))
				v |= 1u << ((i - 1) * 8 + (size_t)b);
	return v;
}

ocspkit_err okit_der_check_named_bits(okit_dctx *c, const okit_tlv *t)
{
	ocspkit_err e = okit_der_check_bit_string(c, t);
	if (e || t->val_len < 2)
		return e;
	/* the last bit written (above the unused ones) is set; an empty
	 * list is 03 01 00 */
	if (!((t->val[t->val_len - 1] >> t->val[0]) & 1))
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_BAD_BIT_STRING);
	return OCSPKIT_OK;
}

ocspkit_err okit_der_check_oid(okit_dctx *c, const okit_tlv *t)
{
	/* Non-empty; every sub-identifier minimal (no leading 0x80 octet) and
	 * complete (the last octet has bit 8 clear). */
	if (t->val_len == 0)
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_BAD_OID);
	int at_start = 1;
	for (size_t i = 0; i < t->val_len; i++) {
		if (at_start && t->val[i] == 0x80)
			return okit_fail(c, t->tlv, OCSPKIT_E_DER_BAD_OID);
		at_start = !(t->val[i] & 0x80);
	}
	if (!at_start)
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_BAD_OID);
	return OCSPKIT_OK;
}

ocspkit_err okit_der_check_ia5(okit_dctx *c, const okit_tlv *t)
{
	for (size_t i = 0; i < t->val_len; i++)
		if (t->val[i] & 0x80)
			return okit_fail(c, t->tlv, OCSPKIT_E_DER_BAD_STRING);
	return OCSPKIT_OK;
}

/* Two decimal digits at p, or -1. */
static inline int two_digits(const uint8_t *p)
{
	unsigned a = (unsigned)p[0] - '0', b = (unsigned)p[1] - '0';
	return a < 10 && b < 10 ? (int)(a * 10 + b) : -1;
}

static int days_in_month(int y, int mo)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[mo - 1];
}

ocspkit_err okit_time_fraction_check(const uint8_t *d, size_t n)
{
	/* X.690 11.7.3/11.7.4: a fraction is '.' and at least one digit, the
	 * last of which is not 0 (so ".50", ".0" and ".Z" are not DER) */
	if (n == 0 || d[n - 1] == '0')
		return OCSPKIT_E_DER_BAD_TIME;
	for (size_t i = 0; i < n; i++)
		if (d[i] < '0' || d[i] > '9')
			return OCSPKIT_E_DER_BAD_TIME;
	if (n > OCSPKIT_MAX_TIME_FRACTION_DIGITS)
		return OCSPKIT_E_LIMIT_TIME_FRACTION;
	return OCSPKIT_OK;
}

/* YYYY (or YY) MMDDHHMMSS, for GeneralizedTime optionally '.' and the
 * fraction, then 'Z'; nothing else (X.690 11.7 and 11.8, RFC 5280
 * 4.1.2.5).  RFC 5280 forbids fractions in certificates, but a time with
 * one is still DER and Python responders write them, so every
 * GeneralizedTime may carry one. */
static ocspkit_err parse_time(okit_dctx *c, const okit_tlv *t, int year_digits, int64_t *out, ocspkit_bytes *frac)
{
	const uint8_t *p = t->val;
	size_t secs = (size_t)year_digits + 10; /* up to and with the seconds */
	ocspkit_bytes f = { NULL, 0 };
	ocspkit_err frac_err = OCSPKIT_OK;
	int y, y2, mo, d, h, mi, s;
	if (t->constructed || t->val_len < secs + 1 || p[t->val_len - 1] != 'Z')
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_BAD_TIME);
	y = two_digits(p);
	if (year_digits == 4) {
		y2 = two_digits(p + 2);
		y = y < 0 || y2 < 0 ? -1 : y * 100 + y2;
	}
	mo = two_digits(p + year_digits);
	d = two_digits(p + year_digits + 2);
	h = two_digits(p + year_digits + 4);
	mi = two_digits(p + year_digits + 6);
	s = two_digits(p + year_digits + 8);
	if ((y | mo | d | h | mi | s) < 0)
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_BAD_TIME);
	if (t->val_len > secs + 1) {
		if (year_digits != 4 || p[secs] != '.') /* ',' is BER's alternative (11.7.4) */
			return okit_fail(c, t->tlv, OCSPKIT_E_DER_BAD_TIME);
		f = (ocspkit_bytes){ p + secs + 1, t->val_len - secs - 2 };
		frac_err = okit_time_fraction_check(f.data, f.len);
		if (frac_err == OCSPKIT_E_DER_BAD_TIME)
			return okit_fail(c, t->tlv, frac_err);
	}
	if (year_digits == 2)
		y += y >= 50 ? 1900 : 2000;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59)
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_BAD_TIME);
	if (frac_err) /* the limit: reported only for a time that is DER */
		return okit_fail(c, t->tlv, frac_err);
	if (out)
		*out = okit_time_from_civil(y, mo, d, h, mi, s);
	if (frac)
		*frac = f;
	return OCSPKIT_OK;
}

ocspkit_err okit_der_generalized_time(okit_dctx *c, const okit_tlv *t, int64_t *out, ocspkit_bytes *frac)
{
	return parse_time(c, t, 4, out, frac);
}

ocspkit_err okit_der_utc_time(okit_dctx *c, const okit_tlv *t, int64_t *out)
{
	return parse_time(c, t, 2, out, NULL);
}

ocspkit_err okit_der_octet_bits(okit_dctx *c, const okit_tlv *t, ocspkit_bytes *out)
{
	if (t->val_len < 1 || t->val[0] != 0)
		return okit_fail(c, t->tlv, OCSPKIT_E_BAD_SIGNATURE_BITS);
	*out = (ocspkit_bytes){ t->val + 1, t->val_len - 1 };
	return OCSPKIT_OK;
}

ocspkit_err okit_der_check_any(okit_dctx *c, const okit_tlv *t, int depth)
{
	if (depth > OCSPKIT_MAX_DEPTH)
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_TOO_DEEP);
	if (t->cls == OKIT_CLASS_UNIVERSAL) {
		uint32_t num = t->number;
		int cons_type = num == OKIT_TAG_SEQUENCE || num == OKIT_TAG_SET || num == 8 /* EXTERNAL */ ||
				num == 11 /* EMBEDDED PDV */ || num == 29 /* CHARACTER STRING */;
		if (t->constructed != cons_type)
			return okit_fail(c, t->tlv, OCSPKIT_E_DER_WRONG_FORM);
		switch (num) {
		case OKIT_TAG_INTEGER:
		case OKIT_TAG_ENUMERATED: return okit_der_check_integer(c, t);
		case OKIT_TAG_BOOLEAN: return okit_der_check_boolean(c, t);
		case OKIT_TAG_NULL: return okit_der_check_null(c, t);
		case OKIT_TAG_BIT_STRING: return okit_der_check_bit_string(c, t);
		case OKIT_TAG_OID: return okit_der_check_oid(c, t);
		case OKIT_TAG_UTC_TIME: return okit_der_utc_time(c, t, NULL);
		case OKIT_TAG_GENERALIZED_TIME: return okit_der_generalized_time(c, t, NULL, NULL);
		case OKIT_TAG_IA5_STRING: return okit_der_check_ia5(c, t);
		case OKIT_TAG_BMP_STRING: /* UCS-2: two octets per character */
			return t->val_len % 2 ? okit_fail(c, t->tlv, OCSPKIT_E_DER_BAD_STRING) : OCSPKIT_OK;
		case OKIT_TAG_UNIVERSAL_STRING: /* UCS-4: four octets per character */
			return t->val_len % 4 ? okit_fail(c, t->tlv, OCSPKIT_E_DER_BAD_STRING) : OCSPKIT_OK;
		default: break;
		}
	}
	if (t->constructed) {
		const uint8_t *p = t->val;
		size_t n = t->val_len;
		while (n) {
			okit_tlv e;
			ocspkit_err err = okit_der_next(c, &p, &n, &e);
			if (!err)
				err = okit_der_check_any(c, &e, depth + 1);
			if (err)
				return err;
		}
	}
	return OCSPKIT_OK;
}

int okit_der_oid_ok(ocspkit_bytes oid)
{
	okit_dctx c = okit_ctx(NULL, 0);
	okit_tlv t = { 0 };
	t.val = oid.data;
	t.val_len = oid.len;
	return oid.data && oid.len && okit_der_check_oid(&c, &t) == OCSPKIT_OK;
}

int okit_der_any_ok(ocspkit_bytes der)
{
	okit_dctx c = okit_ctx(der.data, 0);
	okit_tlv t;
	return der.data && der.len && okit_der_only(&c, der.data, der.len, &t) == OCSPKIT_OK &&
	       okit_der_check_any(&c, &t, 0) == OCSPKIT_OK;
}
