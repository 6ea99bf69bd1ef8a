/* Strict DER reading and writing; see der.h. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "der.h"
#include "internal.h"

ocspkit_err okit_fail(okit_dctx *c, const uint8_t *p, ocspkit_err err)
{
	if (c->base && p >= c->base)
		c->err_off = (size_t)(p - c->base);
	return err;
}

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

int64_t okit_time_from_civil(int y, int mo, int d, int h, int mi, int s)
{
	/* Howard Hinnant's days_from_civil. */
	y -= mo <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	return days * 86400 + h * 3600 + mi * 60 + s;
}

void okit_time_to_civil(int64_t t, int *y, int *mo, int *d, int *h, int *mi, int *s)
{
	int64_t days = t / 86400, secs = t % 86400;
	if (secs < 0)
		secs += 86400, days--;
	*h = (int)(secs / 3600);
	*mi = (int)(secs / 60 % 60);
	*s = (int)(secs % 60);
	days += 719468;
	int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	int64_t doe = days - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*mo = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*mo <= 2));
}

static int digits(const uint8_t *p, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 1;
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
	int y, mo, d, h, mi, s;
	if (t->constructed || t->val_len < secs + 1 || p[t->val_len - 1] != 'Z' ||
	    !digits(p, (size_t)year_digits, &y) || !digits(p + year_digits, 2, &mo) ||
	    !digits(p + year_digits + 2, 2, &d) || !digits(p + year_digits + 4, 2, &h) ||
	    !digits(p + year_digits + 6, 2, &mi) || !digits(p + year_digits + 8, 2, &s))
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

/* ---------------------------------------------------------------- writer */

void okit_buf_init(okit_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void okit_buf_clear(okit_buf *b)
{
	okit_free(b->buf);
	okit_buf_init(b);
}

static int reserve(okit_buf *b, size_t extra)
{
	if (b->err)
		return 0;
	if (extra > SIZE_MAX / 2 - b->len) {
		b->err = OCSPKIT_E_NO_MEMORY;
		return 0;
	}
	if (b->len + extra <= b->cap)
		return 1;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra)
		cap *= 2;
	uint8_t *nb = okit_realloc(b->buf, cap);
	if (!nb) {
		b->err = OCSPKIT_E_NO_MEMORY;
		return 0;
	}
	b->buf = nb;
	b->cap = cap;
	return 1;
}

void okit_buf_put(okit_buf *b, const void *data, size_t len)
{
	if (len == 0 || !reserve(b, len))
		return;
	memcpy(b->buf + b->len, data, len);
	b->len += len;
}

void okit_buf_byte(okit_buf *b, uint8_t v)
{
	okit_buf_put(b, &v, 1);
}

ocspkit_err okit_buf_finish(okit_buf *b, uint8_t **out, size_t *len)
{
	ocspkit_err e = b->err;
	if (e) {
		okit_buf_clear(b);
		*out = NULL;
		*len = 0;
		return e;
	}
	if (!b->buf && !reserve(b, 1)) { /* hand back a real pointer even when empty */
		okit_buf_clear(b);
		return OCSPKIT_E_NO_MEMORY;
	}
	*out = b->buf;
	*len = b->len;
	okit_buf_init(b);
	return OCSPKIT_OK;
}

static size_t length_octets(size_t len)
{
	size_t k = 1;
	if (len >= 0x80)
		for (size_t v = len; v; v >>= 8)
			k++;
	return k;
}

void okit_der_length(okit_buf *b, size_t len)
{
	uint8_t tmp[9];
	size_t k = length_octets(len);
	if (k == 1) {
		tmp[0] = (uint8_t)len;
	} else {
		tmp[0] = (uint8_t)(0x80 | (k - 1));
		for (size_t i = k - 1; i >= 1; i--, len >>= 8)
			tmp[i] = (uint8_t)len;
	}
	okit_buf_put(b, tmp, k);
}

size_t okit_der_open(okit_buf *b, uint8_t id)
{
	okit_buf_byte(b, id);
	okit_buf_byte(b, 0); /* one-octet length placeholder */
	return b->len;
}

void okit_der_close(okit_buf *b, size_t mark)
{
	if (b->err)
		return;
	size_t len = b->len - mark;
	size_t k = length_octets(len);
	if (k > 1) {
		if (!reserve(b, k - 1))
			return;
		memmove(b->buf + mark + k - 1, b->buf + mark, len);
		b->len += k - 1;
	}
	uint8_t *lp = b->buf + mark - 1;
	if (k == 1) {
		lp[0] = (uint8_t)len;
	} else {
		lp[0] = (uint8_t)(0x80 | (k - 1));
		size_t v = len;
		for (size_t i = k - 1; i >= 1; i--, v >>= 8)
			lp[i] = (uint8_t)v;
	}
}

void okit_der_prim(okit_buf *b, uint8_t id, const uint8_t *val, size_t len)
{
	okit_buf_byte(b, id);
	okit_der_length(b, len);
	okit_buf_put(b, val, len);
}

void okit_der_uint(okit_buf *b, uint8_t id, unsigned long v)
{
	uint8_t tmp[sizeof(v) + 1];
	size_t n = 0;
	do {
		tmp[sizeof(tmp) - 1 - n++] = (uint8_t)v;
		v >>= 8;
	} while (v);
	if (tmp[sizeof(tmp) - n] & 0x80)
		tmp[sizeof(tmp) - 1 - n++] = 0;
	okit_der_prim(b, id, tmp + sizeof(tmp) - n, n);
}

void okit_der_gentime(okit_buf *b, uint8_t id, int64_t t, ocspkit_bytes frac)
{
	int y, mo, d, h, mi, s;
	char tmp[16 + OCSPKIT_MAX_TIME_FRACTION_DIGITS];
	okit_time_to_civil(t, &y, &mo, &d, &h, &mi, &s);
	if (y < 0 || y > 9999) {
		b->err = b->err ? b->err : OCSPKIT_E_INVALID_ARGUMENT;
		return;
	}
	if (frac.len) {
		ocspkit_err e = frac.data ? okit_time_fraction_check(frac.data, frac.len) : OCSPKIT_E_INVALID_ARGUMENT;
		if (e) {
			b->err = b->err ? b->err : e;
			return;
		}
	}
	/* Written by hand rather than snprintf: this runs once per field of
	 * every response a responder signs. */
	int vals[6] = { y / 100, y % 100, mo, d, h, mi };
	for (int i = 0; i < 6; i++) {
		tmp[2 * i] = (char)('0' + vals[i] / 10);
		tmp[2 * i + 1] = (char)('0' + vals[i] % 10);
	}
	tmp[12] = (char)('0' + s / 10);
	tmp[13] = (char)('0' + s % 10);
	size_t n = 14;
	if (frac.len) {
		tmp[n++] = '.';
		memcpy(tmp + n, frac.data, frac.len);
		n += frac.len;
	}
	tmp[n++] = 'Z';
	okit_der_prim(b, id, (const uint8_t *)tmp, n);
}

void okit_der_bit_string(okit_buf *b, const uint8_t *bytes, size_t len)
{
	okit_buf_byte(b, OKIT_TAG_BIT_STRING);
	okit_der_length(b, len + 1);
	okit_buf_byte(b, 0);
	okit_buf_put(b, bytes, len);
}
