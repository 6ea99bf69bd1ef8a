/* DER writing; see der_write.h. */
#include <config.h>

#include <string.h>

#include "buf.h"
#include "civil.h"
#include "der.h"
#include "der_write.h"

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
		if (!okit_buf_reserve(b, k - 1))
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
		okit_buf_fail(b, OCSPKIT_E_INVALID_ARGUMENT);
		return;
	}
	if (frac.len) {
		ocspkit_err e = frac.data ? okit_time_fraction_check(frac.data, frac.len) : OCSPKIT_E_INVALID_ARGUMENT;
		if (e) {
			okit_buf_fail(b, e);
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

void okit_der_x509_time(okit_buf *b, int64_t t)
{
	int y, mo, d, h, mi, s;
	char tmp[13];
	okit_time_to_civil(t, &y, &mo, &d, &h, &mi, &s);
	if (y >= 2050) {
		okit_der_gentime(b, OKIT_TAG_GENERALIZED_TIME, t, (ocspkit_bytes){ NULL, 0 });
		return;
	}
	if (y < 1950) {
		okit_buf_fail(b, OCSPKIT_E_INVALID_ARGUMENT);
		return;
	}
	int vals[6] = { y % 100, mo, d, h, mi, s };
	for (int i = 0; i < 6; i++) {
		tmp[2 * i] = (char)('0' + vals[i] / 10);
		tmp[2 * i + 1] = (char)('0' + vals[i] % 10);
	}
	tmp[12] = 'Z';
	okit_der_prim(b, OKIT_TAG_UTC_TIME, (const uint8_t *)tmp, sizeof(tmp));
}

void okit_der_bit_string(okit_buf *b, const uint8_t *bytes, size_t len)
{
	okit_buf_byte(b, OKIT_TAG_BIT_STRING);
	okit_der_length(b, len + 1);
	okit_buf_byte(b, 0);
	okit_buf_put(b, bytes, len);
}
