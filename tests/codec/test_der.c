/* Unit tests of codec/der.c: the strict DER reader and the writer. */
#include <config.h>

#include "alloc.h"
#include "buf.h"
#include "tests/lib/check.h"
#include "civil.h"
#include "der.h"
#include "der_write.h"

/* Reads one TLV from hex; returns the error. */
static ocspkit_err next(const char *hex, okit_tlv *t, size_t *off)
{
	static uint8_t buf[256];
	size_t n = unhex(hex, buf, sizeof(buf));
	const uint8_t *p = buf;
	okit_dctx c = okit_ctx(buf, 0);
	ocspkit_err e = okit_der_next(&c, &p, &n, t);
	if (off)
		*off = c.err_off;
	return e;
}

static void test_headers(void)
{
	/* the inline reader's table: low tag numbers, never end-of-contents */
	for (int id = 0; id < 256; id++)
		CHECK(okit_der_low_tag[id] == ((id & 0x1F) != 0x1F && (id & 0xDF) != 0));
	okit_tlv t;
	size_t off;
	CHECK_OK(next("02 01 05", &t, NULL));
	CHECK(t.cls == OKIT_CLASS_UNIVERSAL && t.number == 2 && !t.constructed && t.val_len == 1);
	CHECK_OK(next("30 00", &t, NULL));
	CHECK(t.constructed && t.number == 16 && t.val_len == 0);
	CHECK_OK(next("A3 00", &t, NULL));
	CHECK(t.cls == OKIT_CLASS_CONTEXT && t.number == 3 && t.constructed);
	CHECK_OK(next("9F 1F 00", &t, NULL)); /* high-tag form for 31 is minimal */
	CHECK(t.number == 31);
	CHECK_OK(next("9F 81 00 00", &t, NULL));
	CHECK(t.number == 128);
	/* lengths of one and two octets, read inline, and of three */
	{
		static uint8_t big[70000];
		const uint8_t *p = big;
		size_t n;
		okit_dctx c = okit_ctx(big, 0);
		big[0] = 0x04, big[1] = 0x81, big[2] = 0x80, n = 3 + 0x80;
		CHECK_OK(okit_der_next(&c, &p, &n, &t));
		CHECK(t.val_len == 0x80 && t.tlv_len == 0x83 && n == 0 && t.val == big + 3);
		big[1] = 0x82, big[2] = 0x01, big[3] = 0x00, n = 4 + 0x100, p = big;
		CHECK_OK(okit_der_next(&c, &p, &n, &t));
		CHECK(t.val_len == 0x100 && t.tlv_len == 0x104 && n == 0);
		big[1] = 0x83, big[2] = 0x01, big[3] = 0x00, big[4] = 0x00, n = 5 + 0x10000, p = big;
		CHECK_OK(okit_der_next(&c, &p, &n, &t));
		CHECK(t.val_len == 0x10000 && t.tlv_len == 0x10005 && n == 0);
		big[1] = 0x82, big[2] = 0x01, big[3] = 0x00, n = 4 + 0xFF, p = big; /* one octet short */
		CHECK_ERR(okit_der_next(&c, &p, &n, &t), OCSPKIT_E_DER_TRUNCATED);
	}
	CHECK_ERR(next("04 82 00 FF", &t, NULL), OCSPKIT_E_DER_NONMINIMAL_LENGTH);
	CHECK_ERR(next("04 81 7F", &t, NULL), OCSPKIT_E_DER_NONMINIMAL_LENGTH);

	CHECK_ERR(next("02", &t, NULL), OCSPKIT_E_DER_TRUNCATED);
	CHECK_ERR(next("02 02 01", &t, NULL), OCSPKIT_E_DER_TRUNCATED);
	CHECK_ERR(next("30 80 00 00", &t, NULL), OCSPKIT_E_DER_INDEFINITE_LENGTH);
	CHECK_ERR(next("04 81 05 0102030405", &t, NULL), OCSPKIT_E_DER_NONMINIMAL_LENGTH);
	CHECK_ERR(next("04 82 00 80", &t, NULL), OCSPKIT_E_DER_NONMINIMAL_LENGTH);
	CHECK_ERR(next("04 85 0000000001", &t, NULL), OCSPKIT_E_DER_LENGTH_OVERFLOW);
	CHECK_ERR(next("04 FF", &t, NULL), OCSPKIT_E_DER_LENGTH_OVERFLOW);
	CHECK_ERR(next("1F 02 01 00", &t, NULL), OCSPKIT_E_DER_NONMINIMAL_TAG);
	CHECK_ERR(next("9F 80 05 00", &t, NULL), OCSPKIT_E_DER_NONMINIMAL_TAG);
	CHECK_ERR(next("9F FF FF FF FF 7F 00", &t, NULL), OCSPKIT_E_DER_TAG_OVERFLOW);
	CHECK_ERR(next("00 00", &t, NULL), OCSPKIT_E_DER_UNEXPECTED_TAG);
	CHECK_ERR(next("04 82 01", &t, &off), OCSPKIT_E_DER_TRUNCATED);
	CHECK(off == 0);
}

static ocspkit_err prim(ocspkit_err (*fn)(okit_dctx *, const okit_tlv *), const char *hex, unsigned flags)
{
	okit_tlv t;
	uint8_t buf[64];
	size_t n = unhex(hex, buf, sizeof(buf));
	const uint8_t *p = buf;
	okit_dctx c = okit_ctx(buf, flags);
	ocspkit_err e = okit_der_next(&c, &p, &n, &t);
	return e ? e : fn(&c, &t);
}

/* The last time decoded by gtime: its fraction (a view into gtime_buf)
 * and the offset of a refusal. */
static uint8_t gtime_buf[64];
static ocspkit_bytes gtime_frac;
static size_t gtime_off;

static ocspkit_err gtime(const char *hex, int64_t *out)
{
	okit_tlv t;
	size_t n = unhex(hex, gtime_buf, sizeof(gtime_buf));
	const uint8_t *p = gtime_buf;
	okit_dctx c = okit_ctx(gtime_buf, 0);
	ocspkit_err e = okit_der_next(&c, &p, &n, &t);
	gtime_frac = (ocspkit_bytes){ (const uint8_t *)"unset", 5 };
	gtime_off = 99;
	if (!e)
		e = t.number == 23 ? okit_der_utc_time(&c, &t, out) : okit_der_generalized_time(&c, &t, out, &gtime_frac);
	if (e)
		gtime_off = c.err_off;
	return e;
}

/* "YYYYMMDDHHMMSSZ" as a GeneralizedTime TLV in hex */
static const char *gt(const char *s)
{
	static char hex[128];
	size_t n = strlen(s), o = 0;
	o += (size_t)sprintf(hex, "%02x %02zx ", strlen(s) == 13 ? 0x17 : 0x18, n);
	for (size_t i = 0; i < n; i++)
		o += (size_t)sprintf(hex + o, "%02x", (unsigned char)s[i]);
	return hex;
}

static void test_primitives(void)
{
	int64_t t;
	CHECK_OK(prim(okit_der_check_integer, "02 01 00", 0));
	CHECK_OK(prim(okit_der_check_integer, "02 02 00 80", 0));
	CHECK_OK(prim(okit_der_check_integer, "02 02 FF 7F", 0));
	CHECK_ERR(prim(okit_der_check_integer, "02 00", 0), OCSPKIT_E_DER_EMPTY_INTEGER);
	CHECK_ERR(prim(okit_der_check_integer, "02 02 00 01", 0), OCSPKIT_E_DER_NONMINIMAL_INTEGER);
	CHECK_ERR(prim(okit_der_check_integer, "02 02 FF 80", 0), OCSPKIT_E_DER_NONMINIMAL_INTEGER);
	CHECK_OK(prim(okit_der_check_integer, "02 02 00 01", OCSPKIT_DECODE_ALLOW_PADDED_INTEGER));
	ocspkit_bytes m = okit_der_integer_minimal((const uint8_t *)"\x00\x00\x01", 3);
	CHECK(m.len == 1 && m.data[0] == 1);

	CHECK_OK(prim(okit_der_check_boolean, "01 01 FF", 0));
	CHECK_OK(prim(okit_der_check_boolean, "01 01 00", 0));
	CHECK_ERR(prim(okit_der_check_boolean, "01 01 01", 0), OCSPKIT_E_DER_BAD_BOOLEAN);
	CHECK_ERR(prim(okit_der_check_boolean, "01 02 FF FF", 0), OCSPKIT_E_DER_BAD_BOOLEAN);
	CHECK_OK(prim(okit_der_check_null, "05 00", 0));
	CHECK_ERR(prim(okit_der_check_null, "05 01 00", 0), OCSPKIT_E_DER_BAD_NULL);

	CHECK_OK(prim(okit_der_check_bit_string, "03 01 00", 0));
	CHECK_OK(prim(okit_der_check_bit_string, "03 02 07 80", 0));
	CHECK_ERR(prim(okit_der_check_bit_string, "03 00", 0), OCSPKIT_E_DER_BAD_BIT_STRING);
	CHECK_ERR(prim(okit_der_check_bit_string, "03 01 01", 0), OCSPKIT_E_DER_BAD_BIT_STRING);
	CHECK_ERR(prim(okit_der_check_bit_string, "03 02 08 00", 0), OCSPKIT_E_DER_BAD_BIT_STRING);
	CHECK_ERR(prim(okit_der_check_bit_string, "03 02 01 81", 0), OCSPKIT_E_DER_BAD_BIT_STRING);

	CHECK_OK(prim(okit_der_check_oid, "06 03 55 04 03", 0));
	CHECK_OK(prim(okit_der_check_oid, "06 09 2B 06 01 05 05 07 30 01 01", 0));
	CHECK_ERR(prim(okit_der_check_oid, "06 00", 0), OCSPKIT_E_DER_BAD_OID);
	CHECK_ERR(prim(okit_der_check_oid, "06 02 55 84", 0), OCSPKIT_E_DER_BAD_OID);
	CHECK_ERR(prim(okit_der_check_oid, "06 03 55 80 01", 0), OCSPKIT_E_DER_BAD_OID);

	CHECK_OK(gtime(gt("20261122015704Z"), &t));
	CHECK(t == 1795312624);
	CHECK_OK(gtime(gt("19700101000000Z"), &t));
	CHECK(t == 0);
	CHECK_OK(gtime(gt("20240229235959Z"), &t));
	CHECK_ERR(gtime(gt("20230229000000Z"), &t), OCSPKIT_E_DER_BAD_TIME);
	CHECK_ERR(gtime(gt("21000229000000Z"), &t), OCSPKIT_E_DER_BAD_TIME);
	CHECK_OK(gtime(gt("20000229000000Z"), &t));
	CHECK_ERR(gtime(gt("20261322000000Z"), &t), OCSPKIT_E_DER_BAD_TIME);
	CHECK_ERR(gtime(gt("20260431000000Z"), &t), OCSPKIT_E_DER_BAD_TIME);
	CHECK_ERR(gtime(gt("20261122240000Z"), &t), OCSPKIT_E_DER_BAD_TIME);
	CHECK_ERR(gtime(gt("20261122016000Z"), &t), OCSPKIT_E_DER_BAD_TIME);
	CHECK_ERR(gtime(gt("20261122015760Z"), &t), OCSPKIT_E_DER_BAD_TIME);
	CHECK_ERR(gtime(gt("20261122015704"), &t), OCSPKIT_E_DER_BAD_TIME);
	CHECK_ERR(gtime(gt("20261122015704+0000"), &t), OCSPKIT_E_DER_BAD_TIME);
	CHECK_ERR(gtime(gt("2026112201570Z"), &t), OCSPKIT_E_DER_BAD_TIME);
	CHECK_ERR(gtime(gt("2026-1122015704Z"), &t), OCSPKIT_E_DER_BAD_TIME);
	CHECK_OK(gtime(gt("491231235959Z"), &t)); /* UTCTime: 49 is 2049 */
	CHECK(t == okit_time_from_civil(2049, 12, 31, 23, 59, 59));
	CHECK_OK(gtime(gt("500101000000Z"), &t)); /* 50 is 1950 */
	CHECK(t == okit_time_from_civil(1950, 1, 1, 0, 0, 0));

	long v;
	okit_dctx c = okit_ctx(NULL, 0);
	okit_tlv tl = { 0 };
	tl.val = (const uint8_t *)"\x0a";
	tl.val_len = 1;
	CHECK_OK(okit_der_small_uint(&c, &tl, 10, &v));
	CHECK(v == 10);
	CHECK_ERR(okit_der_small_uint(&c, &tl, 9, &v), OCSPKIT_E_DER_INTEGER_RANGE);
	tl.val = (const uint8_t *)"\x80";
	CHECK_ERR(okit_der_small_uint(&c, &tl, 1000, &v), OCSPKIT_E_DER_INTEGER_RANGE);
}

/* Fractional seconds (X.690 11.7): '.', at least one digit, no trailing
 * 0, then 'Z'; kept as the digits; never in UTCTime. */
static void test_fraction(void)
{
	int64_t t = 0;
	int64_t whole = okit_time_from_civil(2026, 11, 22, 1, 57, 4);

	CHECK_OK(gtime(gt("20261122015704Z"), &t));
	CHECK(t == whole && gtime_frac.len == 0);
	CHECK_OK(gtime(gt("20261122015704.5Z"), &t));
	CHECK(t == whole); /* seconds as written, never rounded */
	CHECK_BYTES(gtime_frac, "5", 1);
	CHECK(gtime_frac.data == gtime_buf + 2 + 15); /* a view of the input */
	CHECK_OK(gtime(gt("20261122015759.999Z"), &t));
	CHECK(t == whole + 55);
	CHECK_BYTES(gtime_frac, "999", 3);
	CHECK_OK(gtime(gt("20261122015704.05Z"), &t)); /* a 0 that is not the last digit */
	CHECK_BYTES(gtime_frac, "05", 2);
	CHECK_OK(gtime(gt("20261122015704.000000001Z"), &t)); /* OCSPKIT_MAX_TIME_FRACTION_DIGITS */
	CHECK_BYTES(gtime_frac, "000000001", 9);
	CHECK_OK(gtime(gt("20240229235959.1Z"), &t));

	/* each refused at the element, offset 0 */
	static const char *const bad[] = {
		"20261122015704.50Z",  /* trailing zero */
		"20261122015704.0Z",   /* only a zero */
		"20261122015704.Z",    /* no digit */
		"20261122015704,5Z",   /* BER's comma */
		"20261122015704.5",    /* no Z */
		"20261122015704.5+0100", /* an offset */
		"20261122015704.5z",
		"20261122015704.-5Z",
		"20261122015704.5 Z",
		"20261122015704..5Z",
		"20261122015704.5.Z",
		"202611220157.5Z",     /* minutes with a fraction */
		"2026112201.5Z",       /* hours with a fraction */
		"20261122015760.5Z",   /* second 60 */
		"20261322015704.5Z",   /* month 13 */
		"20230229000000.5Z",   /* no such day */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ocspkit_err e = gtime(gt(bad[i]), &t);
		CHECK_ERR(e, OCSPKIT_E_DER_BAD_TIME);
		if (e != OCSPKIT_E_DER_BAD_TIME || gtime_off != 0)
			fprintf(stderr, "  (%s, offset %zu)\n", bad[i], gtime_off);
		CHECK(gtime_off == 0);
	}
	/* one digit more than the limit: a limit, not malformed DER */
	CHECK_ERR(gtime(gt("20261122015704.1234567891Z"), &t), OCSPKIT_E_LIMIT_TIME_FRACTION);
	CHECK(gtime_off == 0);
	/* a malformed time stays malformed however long its fraction */
	CHECK_ERR(gtime(gt("20261322015704.1234567891Z"), &t), OCSPKIT_E_DER_BAD_TIME);
	CHECK_ERR(gtime(gt("20261122015704.12345678910Z"), &t), OCSPKIT_E_DER_BAD_TIME);
	/* UTCTime has no fraction */
	CHECK_ERR(gtime(gt("261122015704.5Z"), &t), OCSPKIT_E_DER_BAD_TIME);
	CHECK_ERR(gtime("17 0F 3236313132323031353730342E355A", &t), OCSPKIT_E_DER_BAD_TIME);

	/* the checker the encoders use */
	CHECK_OK(okit_time_fraction_check((const uint8_t *)"25", 2));
	CHECK_ERR(okit_time_fraction_check((const uint8_t *)"", 0), OCSPKIT_E_DER_BAD_TIME);
	CHECK_ERR(okit_time_fraction_check((const uint8_t *)"250", 3), OCSPKIT_E_DER_BAD_TIME);
	CHECK_ERR(okit_time_fraction_check((const uint8_t *)"2a", 2), OCSPKIT_E_DER_BAD_TIME);
	CHECK_ERR(okit_time_fraction_check((const uint8_t *)".5", 2), OCSPKIT_E_DER_BAD_TIME);
	CHECK_ERR(okit_time_fraction_check((const uint8_t *)"1234567891", 10), OCSPKIT_E_LIMIT_TIME_FRACTION);
	CHECK_OK(okit_time_fraction_check((const uint8_t *)"123456789", 9));
}

static void test_civil(void)
{
	/* round trip over a range of days, leap years included */
	for (int64_t t = -86400LL * 366 * 3; t < 86400LL * 366 * 200; t += 86400 * 7 + 3601) {
		int y, mo, d, h, mi, s;
		okit_time_to_civil(t, &y, &mo, &d, &h, &mi, &s);
		if (okit_time_from_civil(y, mo, d, h, mi, s) != t) {
			CHECK(!"civil round trip");
			break;
		}
	}
	CHECK(okit_time_from_civil(2000, 3, 1, 0, 0, 0) == 951868800);
}

static void test_writer(void)
{
	static const size_t sizes[] = { 0, 1, 127, 128, 255, 256, 65535, 65536, 70000 };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		okit_buf b;
		uint8_t *out;
		size_t len;
		okit_buf_init(&b, OKIT_DER_MAX);
		size_t m = okit_der_open(&b, 0x30);
		uint8_t *zero = calloc(1, sizes[i] + 1);
		okit_buf_put(&b, zero, sizes[i]);
		free(zero);
		okit_der_close(&b, m);
		CHECK_OK(okit_buf_finish(&b, &out, &len));
		/* what the writer produced must be what the reader accepts */
		okit_dctx c = okit_ctx(out, 0);
		okit_tlv t;
		CHECK_OK(okit_der_only(&c, out, len, &t));
		CHECK(t.val_len == sizes[i]);
		ocspkit_free(out);
	}

	okit_buf b;
	uint8_t *out;
	size_t len;
	okit_buf_init(&b, OKIT_DER_MAX);
	okit_der_uint(&b, 0x02, 0);
	okit_der_uint(&b, 0x02, 127);
	okit_der_uint(&b, 0x02, 128);
	okit_der_uint(&b, 0x0A, 6);
	okit_der_gentime(&b, 0x18, 1795312624, (ocspkit_bytes){ NULL, 0 });
	okit_der_gentime(&b, 0x18, 1795312624, (ocspkit_bytes){ (const uint8_t *)"025", 3 });
	okit_der_gentime(&b, 0x18, 1795312624, (ocspkit_bytes){ (const uint8_t *)"123456789", 9 });
	CHECK_OK(okit_buf_finish(&b, &out, &len));
	uint8_t want[96];
	size_t wl = unhex("020100 02017F 0202 0080 0A0106 180F 3230323631313232303135373034 5A"
			  "1813 3230323631313232303135373034 2E303235 5A"
			  "1819 3230323631313232303135373034 2E313233343536373839 5A",
			  want, sizeof(want));
	CHECK(len == wl && memcmp(out, want, wl) == 0);
	ocspkit_free(out);

	/* a fraction that is not DER's, or too long, is the buffer's error;
	 * the first error stays */
	static const struct {
		const char *frac;
		ocspkit_err want;
	} bad_frac[] = { { "50", OCSPKIT_E_DER_BAD_TIME },
			 { "5x", OCSPKIT_E_DER_BAD_TIME },
			 { ".5", OCSPKIT_E_DER_BAD_TIME },
			 { "1234567891", OCSPKIT_E_LIMIT_TIME_FRACTION } };
	for (size_t i = 0; i < sizeof(bad_frac) / sizeof(bad_frac[0]); i++) {
		okit_buf_init(&b, OKIT_DER_MAX);
		okit_der_gentime(&b, 0x18, 1795312624,
				 (ocspkit_bytes){ (const uint8_t *)bad_frac[i].frac, strlen(bad_frac[i].frac) });
		okit_der_gentime(&b, 0x18, -(1LL << 40), (ocspkit_bytes){ NULL, 0 }); /* year < 0 */
		CHECK_ERR(okit_buf_finish(&b, &out, &len), bad_frac[i].want);
		CHECK(out == NULL);
	}
	okit_buf_init(&b, OKIT_DER_MAX);
	okit_der_gentime(&b, 0x18, 0, (ocspkit_bytes){ NULL, 1 }); /* a length without data */
	CHECK_ERR(okit_buf_finish(&b, &out, &len), OCSPKIT_E_INVALID_ARGUMENT);

	/* an allocation failure is reported once, at the end */
	okit_buf_init(&b, OKIT_DER_MAX);
	okit_alloc_fail_at(1);
	okit_der_uint(&b, 0x02, 5);
	okit_alloc_fail_at(0);
	okit_der_uint(&b, 0x02, 6);
	CHECK_ERR(okit_buf_finish(&b, &out, &len), OCSPKIT_E_NO_MEMORY);
	CHECK(out == NULL);
}

/* okit_buf's maximum: reached exactly is fine, one octet more is an error
 * that sticks, and growth never allocates past it. */
static void test_buf_max(void)
{
	static const uint8_t data[1000];
	okit_buf b;
	uint8_t *out;
	size_t len;

	okit_buf_init(&b, 300);
	okit_buf_put(&b, data, 299);
	okit_buf_byte(&b, 1);
	CHECK(b.err == OCSPKIT_OK && b.len == 300 && b.cap == 300);
	CHECK_OK(okit_buf_finish(&b, &out, &len));
	CHECK(len == 300 && out[299] == 1);
	ocspkit_free(out);

	okit_buf_init(&b, 300);
	okit_buf_put(&b, data, 200);
	okit_buf_put(&b, data, 101);
	CHECK(b.err == OCSPKIT_E_LIMIT_INPUT_SIZE && b.len == 200);
	okit_buf_byte(&b, 1); /* later writes do nothing */
	CHECK(b.len == 200);
	CHECK_ERR(okit_buf_finish(&b, &out, &len), OCSPKIT_E_LIMIT_INPUT_SIZE);
	CHECK(out == NULL && len == 0);

	/* a constructed element whose length octets no longer fit */
	okit_buf_init(&b, 130);
	size_t m = okit_der_open(&b, 0x30);
	okit_buf_put(&b, data, 128);
	okit_der_close(&b, m);
	CHECK_ERR(okit_buf_finish(&b, &out, &len), OCSPKIT_E_LIMIT_INPUT_SIZE);

	/* empty: a real pointer all the same */
	okit_buf_init(&b, 0);
	CHECK_OK(okit_buf_finish(&b, &out, &len));
	CHECK(out != NULL && len == 0);
	ocspkit_free(out);
}

int main(void)
{
	test_headers();
	test_primitives();
	test_fraction();
	test_civil();
	test_writer();
	test_buf_max();
	CHECK_DONE();
}
