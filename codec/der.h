/* Strict DER reading: the one place where tags, lengths and primitive
 * values are checked (X.690 sections 10 and 11, the RFC 5280 time
 * profile), in the manner of BoringSSL's CBS (docs/internals/der.md).
 * Every reader is bounds-checked; every check that fails records the
 * offset of the offending element.  The writer is der_write.h. */
#ifndef OCSPKIT_DER_H
#define OCSPKIT_DER_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocsp.h>

#define OKIT_CLASS_UNIVERSAL 0x00
#define OKIT_CLASS_APPLICATION 0x40
#define OKIT_CLASS_CONTEXT 0x80
#define OKIT_CLASS_PRIVATE 0xC0
#define OKIT_CONSTRUCTED 0x20

/* Universal tag numbers */
enum {
	OKIT_TAG_BOOLEAN = 1,
	OKIT_TAG_INTEGER = 2,
	OKIT_TAG_BIT_STRING = 3,
	OKIT_TAG_OCTET_STRING = 4,
	OKIT_TAG_NULL = 5,
	OKIT_TAG_OID = 6,
	OKIT_TAG_ENUMERATED = 10,
	OKIT_TAG_UTF8_STRING = 12,
	OKIT_TAG_SEQUENCE = 16,
	OKIT_TAG_SET = 17,
	OKIT_TAG_NUMERIC_STRING = 18,
	OKIT_TAG_PRINTABLE_STRING = 19,
	OKIT_TAG_TELETEX_STRING = 20,
	OKIT_TAG_IA5_STRING = 22,
	OKIT_TAG_UTC_TIME = 23,
	OKIT_TAG_GENERALIZED_TIME = 24,
	OKIT_TAG_VISIBLE_STRING = 26,
	OKIT_TAG_GENERAL_STRING = 27,
	OKIT_TAG_UNIVERSAL_STRING = 28,
	OKIT_TAG_BMP_STRING = 30
};

/* Decoding context: where the input starts (for error offsets), the
 * tolerance flags (OCSPKIT_DECODE_*), the offset of the first error, and
 * what the schema walker counted (schema.h, OKIT_COUNT_*). */
#define OKIT_DCTX_COUNTS 3
typedef struct {
	const uint8_t *base;
	unsigned flags;
	size_t err_off;
	size_t counts[OKIT_DCTX_COUNTS];
} okit_dctx;

static inline okit_dctx okit_ctx(const uint8_t *base, unsigned flags)
{
	okit_dctx c = { base, flags, 0, { 0 } };
	return c;
}

/* One element: identifier, and views of the whole TLV and its content. */
typedef struct {
	uint8_t cls;          /* OKIT_CLASS_* */
	uint8_t constructed;  /* 0 or 1 */
	uint32_t number;      /* tag number */
	const uint8_t *tlv;
	size_t tlv_len;
	const uint8_t *val;
	size_t val_len;
} okit_tlv;

/* Records the offset of p in c and returns err (for "return okit_fail(...)"). */
ocspkit_err okit_fail(okit_dctx *c, const uint8_t *p, ocspkit_err err);

/* Reads one element from the start of [*p, *p + *n): strict identifier and
 * length (no indefinite form, minimal length, minimal tag number), bounded
 * by *n.  Advances *p and *n past it. */
ocspkit_err okit_der_next_slow(okit_dctx *c, const uint8_t **p, size_t *n, okit_tlv *out);

/* Identifier octets the inline reader takes: a tag number below 31 (no
 * high-tag-number form), and not 00 (end-of-contents) or 20. */
extern const uint8_t okit_der_low_tag[256];

/* The common case inline: a low tag number and a length of at most two
 * octets (up to 65535, minimal).  Everything else (longer lengths, high
 * tag numbers, every error) goes to the full reader, which applies all
 * the rules. */
static inline ocspkit_err okit_der_next(okit_dctx *c, const uint8_t **pp, size_t *np, okit_tlv *out)
{
	const uint8_t *p = *pp;
	size_t n = *np, hl, len;
	if (n < 2 || !okit_der_low_tag[p[0]])
		return okit_der_next_slow(c, pp, np, out);
	if (p[1] < 0x80) {
		hl = 2, len = p[1];
	} else if (p[1] == 0x81 && n >= 3 && p[2] >= 0x80) {
		hl = 3, len = p[2];
	} else if (p[1] == 0x82 && n >= 4 && p[2] != 0) {
		hl = 4, len = (size_t)p[2] << 8 | p[3];
	} else {
		return okit_der_next_slow(c, pp, np, out);
	}
	if (len > n - hl)
		return okit_der_next_slow(c, pp, np, out);
	out->cls = p[0] & 0xC0;
	out->constructed = (p[0] >> 5) & 1;
	out->number = p[0] & 0x1F;
	out->tlv = p;
	out->val = p + hl;
	out->val_len = len;
	out->tlv_len = hl + len;
	*pp = p + hl + len;
	*np = n - hl - len;
	return OCSPKIT_OK;
}

/* Reads the single element that must fill [p, p + n) exactly. */
ocspkit_err okit_der_only(okit_dctx *c, const uint8_t *p, size_t n, okit_tlv *out);

/* Primitive content checks.  Each is given the element, checks its content
 * and on failure records the element's offset. */
ocspkit_err okit_der_check_integer(okit_dctx *c, const okit_tlv *t);
ocspkit_err okit_der_check_boolean(okit_dctx *c, const okit_tlv *t);
ocspkit_err okit_der_check_null(okit_dctx *c, const okit_tlv *t);
ocspkit_err okit_der_check_bit_string(okit_dctx *c, const okit_tlv *t);
/* A BIT STRING of a type with a named bit list (ReasonFlags): also no
 * trailing 0 bits, so that the last bit written is 1 (X.690 11.2.2). */
ocspkit_err okit_der_check_named_bits(okit_dctx *c, const okit_tlv *t);
/* okit_der_named_bits returns the first 16 bits of a checked BIT STRING
 * element t with a named bit list (KeyUsage, ReasonFlags), bit n (the
 * n-th from the top of the first octet) as 1u << n. */
unsigned okit_der_named_bits(const okit_tlv *t);
ocspkit_err okit_der_check_oid(okit_dctx *c, const okit_tlv *t);
ocspkit_err okit_der_check_ia5(okit_dctx *c, const okit_tlv *t);
/* Times: seconds since the epoch to *out, and for GeneralizedTime the
 * digits of a fraction of a second to *frac (empty without one); either
 * may be NULL.  A fraction longer than OCSPKIT_MAX_TIME_FRACTION_DIGITS is
 * OCSPKIT_E_LIMIT_TIME_FRACTION, any other departure from DER's form
 * OCSPKIT_E_DER_BAD_TIME. */
ocspkit_err okit_der_generalized_time(okit_dctx *c, const okit_tlv *t, int64_t *out, ocspkit_bytes *frac);
ocspkit_err okit_der_utc_time(okit_dctx *c, const okit_tlv *t, int64_t *out);
/* Digits of a fraction of a second as DER has them (the n octets after
 * the '.'): OCSPKIT_OK, OCSPKIT_E_DER_BAD_TIME (empty, not digits, a
 * trailing 0) or OCSPKIT_E_LIMIT_TIME_FRACTION. */
ocspkit_err okit_time_fraction_check(const uint8_t *d, size_t n);

/* Content octets of an INTEGER without redundant leading octets (only
 * differs from the input under OCSPKIT_DECODE_ALLOW_PADDED_INTEGER). */
ocspkit_bytes okit_der_integer_minimal(const uint8_t *val, size_t len);
/* A small non-negative INTEGER/ENUMERATED value; E_DER_INTEGER_RANGE if it
 * is negative or above max. */
ocspkit_err okit_der_small_uint(okit_dctx *c, const okit_tlv *t, long max, long *out);

/* okit_der_octet_bits returns in *out the octets of a BIT STRING element t
 * that has no unused bits (signatures, keys), or
 * OCSPKIT_E_BAD_SIGNATURE_BITS. */
ocspkit_err okit_der_octet_bits(okit_dctx *c, const okit_tlv *t, ocspkit_bytes *out);

/* okit_der_check_any checks an element of any type, as ANY takes it:
 * every element inside strict, universal primitives checked by their type
 * (INTEGER minimal, times valid, ...), at most OCSPKIT_MAX_DEPTH levels
 * below depth. */
ocspkit_err okit_der_check_any(okit_dctx *c, const okit_tlv *t, int depth);

/* okit_der_oid_ok returns 1 if oid is the content of a valid OBJECT
 * IDENTIFIER; okit_der_any_ok if der is exactly one element that
 * okit_der_check_any accepts.  For encoders, which check the raw DER they
 * are given so that what they write decodes. */
int okit_der_oid_ok(ocspkit_bytes oid);
int okit_der_any_ok(ocspkit_bytes der);

/* okit_integer_is_minimal returns 1 if the len content octets of an
 * INTEGER at val are DER (not empty, no redundant leading octet). */
int okit_integer_is_minimal(const uint8_t *val, size_t len);

/* okit_view returns the content of t; okit_whole returns t with its
 * identifier and length octets. */
static inline ocspkit_bytes okit_view(const okit_tlv *t)
{
	return (ocspkit_bytes){ t->val, t->val_len };
}
static inline ocspkit_bytes okit_whole(const okit_tlv *t)
{
	return (ocspkit_bytes){ t->tlv, t->tlv_len };
}

#endif
