/* Building DER by hand in tests, including DER that is wrong on purpose:
 *   blob b = T(0x30, cat(2, raw("020101"), T(0x04, raw("AABB"))));
 * Lengths are computed (minimal form) unless written with raw(). */
#ifndef OCSPKIT_TEST_BUILD_H
#define OCSPKIT_TEST_BUILD_H

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "check.h"

#define BLOB_CAP 8192
typedef struct {
	size_t n;
	uint8_t d[BLOB_CAP];
} blob;

static inline blob raw(const char *hex)
{
	blob b;
	b.n = unhex(hex, b.d, sizeof(b.d));
	return b;
}

static inline blob bytes(const void *p, size_t n)
{
	blob b;
	if (n > sizeof(b.d))
		abort();
	memcpy(b.d, p, n);
	b.n = n;
	return b;
}

static inline blob fill(uint8_t v, size_t n)
{
	blob b;
	if (n > sizeof(b.d))
		abort();
	memset(b.d, v, n);
	b.n = n;
	return b;
}

static inline blob T(uint8_t tag, blob c)
{
	blob b;
	size_t o = 0;
	b.d[o++] = tag;
	if (c.n < 0x80) {
		b.d[o++] = (uint8_t)c.n;
	} else if (c.n < 0x100) {
		b.d[o++] = 0x81;
		b.d[o++] = (uint8_t)c.n;
	} else {
		b.d[o++] = 0x82;
		b.d[o++] = (uint8_t)(c.n >> 8);
		b.d[o++] = (uint8_t)c.n;
	}
	if (o + c.n > sizeof(b.d))
		abort();
	memcpy(b.d + o, c.d, c.n);
	b.n = o + c.n;
	return b;
}

static inline blob cat(int n, ...)
{
	blob b;
	va_list ap;
	b.n = 0;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		blob x = va_arg(ap, blob);
		if (b.n + x.n > sizeof(b.d))
			abort();
		memcpy(b.d + b.n, x.d, x.n);
		b.n += x.n;
	}
	va_end(ap);
	return b;
}

static inline blob none(void)
{
	blob b;
	b.n = 0;
	return b;
}

/* GeneralizedTime from text */
static inline blob GT(const char *s)
{
	return T(0x18, bytes(s, strlen(s)));
}

#endif
