/* Text codecs: base64, PEM, hex, times, OID names, enum names. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ocspkit/text.h>

#include "alloc.h"
#include "civil.h"
#include "der.h"
#include "oid.h"
#include "try.h"

/* ---------------------------------------------------------------- names */

/* The names of the public enums, one switch each: the compiler checks
 * that every value has its case, which a shared table would not. */

const char *ocspkit_response_status_name(ocspkit_response_status s)
{
	switch (s) {
	case OCSPKIT_RESPONSE_SUCCESSFUL: return "successful";
	case OCSPKIT_RESPONSE_MALFORMED_REQUEST: return "malformedRequest";
	case OCSPKIT_RESPONSE_INTERNAL_ERROR: return "internalError";
	case OCSPKIT_RESPONSE_TRY_LATER: return "tryLater";
	case OCSPKIT_RESPONSE_SIG_REQUIRED: return "sigRequired";
	case OCSPKIT_RESPONSE_UNAUTHORIZED: return "unauthorized";
	}
	return "(unknown)";
}

const char *ocspkit_cert_status_name(ocspkit_cert_status s)
{
	switch (s) {
	case OCSPKIT_CERT_GOOD: return "good";
	case OCSPKIT_CERT_REVOKED: return "revoked";
	case OCSPKIT_CERT_UNKNOWN: return "unknown";
	}
	return "(unknown)";
}

const char *ocspkit_crl_reason_name(ocspkit_crl_reason r)
{
	switch (r) {
	case OCSPKIT_REASON_UNSPECIFIED: return "unspecified";
	case OCSPKIT_REASON_KEY_COMPROMISE: return "keyCompromise";
	case OCSPKIT_REASON_CA_COMPROMISE: return "cACompromise";
	case OCSPKIT_REASON_AFFILIATION_CHANGED: return "affiliationChanged";
	case OCSPKIT_REASON_SUPERSEDED: return "superseded";
	case OCSPKIT_REASON_CESSATION_OF_OPERATION: return "cessationOfOperation";
	case OCSPKIT_REASON_CERTIFICATE_HOLD: return "certificateHold";
	case OCSPKIT_REASON_REMOVE_FROM_CRL: return "removeFromCRL";
	case OCSPKIT_REASON_PRIVILEGE_WITHDRAWN: return "privilegeWithdrawn";
	case OCSPKIT_REASON_AA_COMPROMISE: return "aACompromise";
	}
	return "(unknown)";
}

const char *ocspkit_hash_name(ocspkit_hash h)
{
	const okit_oid *o = h ? okit_oid_by_id(OKIT_OID_HASH, (int)h) : NULL;
	return o ? o->ln : "(unknown)";
}

ocspkit_err ocspkit_oid_name(const char **name, ocspkit_bytes oid)
{
	const okit_oid *o = okit_oid_find(-1, oid);
	*name = o ? o->ln : NULL;
	return o ? OCSPKIT_OK : OCSPKIT_E_NOT_FOUND;
}

ocspkit_err ocspkit_oid_to_dotted(char *buf, size_t cap, ocspkit_bytes oid)
{
	size_t pos = 0;
	unsigned long long v = 0;
	int first = 1;
	if (!buf || cap == 0 || !oid.data || oid.len == 0)
		return OCSPKIT_E_INVALID_ARGUMENT;
	for (size_t i = 0; i < oid.len; i++) {
		if (v > (~0ULL >> 7))
			return OCSPKIT_E_INVALID_ARGUMENT;
		v = (v << 7) | (oid.data[i] & 0x7F);
		if (oid.data[i] & 0x80)
			continue;
		int n;
		if (first) {
			unsigned long long a = v < 40 ? 0 : v < 80 ? 1 : 2;
			n = snprintf(buf + pos, cap - pos, "%llu.%llu", a, v - a * 40);
			first = 0;
		} else {
			n = snprintf(buf + pos, cap - pos, ".%llu", v);
		}
		if (n < 0 || (size_t)n >= cap - pos)
			return OCSPKIT_E_INVALID_ARGUMENT;
		pos += (size_t)n;
		v = 0;
	}
	return first ? OCSPKIT_E_INVALID_ARGUMENT : OCSPKIT_OK;
}

/* ---------------------------------------------------------------- time */

void ocspkit_time_format(char buf[OCSPKIT_TIME_STRING_SIZE], int64_t t)
{
	int y, mo, d, h, mi, s;
	okit_time_to_civil(t, &y, &mo, &d, &h, &mi, &s);
	if (y < 0 || y > 9999) {
		memcpy(buf, "0000-00-00T00:00:00Z", OCSPKIT_TIME_STRING_SIZE);
		return;
	}
	snprintf(buf, OCSPKIT_TIME_STRING_SIZE, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
}

/* s has the shape of pat: 'd' is a decimal digit, anything else itself.
 * (sscanf's %d would also take spaces and signs: " 4", "+026".) */
static int shaped(const char *s, const char *pat)
{
	for (; *pat; s++, pat++)
		if (*pat == 'd' ? !(*s >= '0' && *s <= '9') : *s != *pat)
			return 0;
	return *s == 0;
}

ocspkit_err ocspkit_time_parse(int64_t *t, const char *s)
{
	char g[16];
	size_t len = s ? strlen(s) : 0;
	if (!t || len == 0)
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (s[0] == '@' || strspn(s, "0123456789") == len) {
		/* seconds since the epoch: digits, after '@' maybe a '-'; a
		 * number that does not fit is refused, not saturated */
		const char *num = s[0] == '@' ? s + 1 : s, *digits = num + (s[0] == '@' && num[0] == '-');
		char *end;
		if (!*digits || strspn(digits, "0123456789") != strlen(digits))
			return OCSPKIT_E_INVALID_ARGUMENT;
		errno = 0;
		long long v = strtoll(num, &end, 10);
		if (*end || errno == ERANGE)
			return OCSPKIT_E_INVALID_ARGUMENT;
		*t = v;
		return OCSPKIT_OK;
	}
	if (shaped(s, "dddd-dd-ddTdd:dd:ddZ")) {
		static const size_t from[] = { 0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 19 };
		for (size_t i = 0; i < 15; i++)
			g[i] = s[from[i]];
	} else if (shaped(s, "ddddddddddddddZ")) {
		memcpy(g, s, 15);
	} else {
		return OCSPKIT_E_INVALID_ARGUMENT;
	}
	g[15] = 0;
	/* validate through the DER time checker */
	okit_dctx c = okit_ctx(NULL, 0);
	okit_tlv tl = { 0 };
	tl.val = (const uint8_t *)g;
	tl.val_len = 15;
	tl.tlv = tl.val;
	return okit_der_generalized_time(&c, &tl, t, NULL) ? OCSPKIT_E_INVALID_ARGUMENT : OCSPKIT_OK;
}

/* ---------------------------------------------------------------- base64 */

static const char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int b64_value(unsigned char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+' || ch == '-')
		return 62;
	if (ch == '/' || ch == '_')
		return 63;
	return -1;
}

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

ocspkit_err ocspkit_base64_decode(uint8_t **out, size_t *out_len, const char *in, size_t len, unsigned flags)
{
	if (!out || !out_len || (!in && len))
		return OCSPKIT_E_INVALID_ARGUMENT;
	*out = NULL;
	*out_len = 0;
	uint8_t *buf = okit_malloc(len / 4 * 3 + 3);
	if (!buf)
		return OCSPKIT_E_NO_MEMORY;
	uint32_t acc = 0;
	size_t nchars = 0, pad = 0, o = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = in[i];
		if ((flags & OCSPKIT_BASE64_SKIP_SPACE) && is_space(ch))
			continue;
		if (ch == '=') {
			pad++;
			continue;
		}
		int v = b64_value((unsigned char)ch);
		if (v < 0 || pad) /* nothing but padding may follow padding */
			goto bad;
		acc = (acc << 6) | (uint32_t)v;
		if (++nchars % 4 == 0) {
			buf[o++] = (uint8_t)(acc >> 16);
			buf[o++] = (uint8_t)(acc >> 8);
			buf[o++] = (uint8_t)acc;
			acc = 0;
		}
	}
	size_t rem = nchars % 4;
	if (rem == 1 || pad > 2 || (pad && (rem + pad) % 4 != 0))
		goto bad;
	if (rem == 2) {
		if (acc & 0xF) /* non-canonical: leftover bits must be zero */
			goto bad;
		buf[o++] = (uint8_t)(acc >> 4);
	} else if (rem == 3) {
		if (acc & 0x3)
			goto bad;
		buf[o++] = (uint8_t)(acc >> 10);
		buf[o++] = (uint8_t)(acc >> 2);
	}
	*out = buf;
	*out_len = o;
	return OCSPKIT_OK;
bad:
	okit_free(buf);
	return OCSPKIT_E_BAD_BASE64;
}

ocspkit_err ocspkit_base64_encode(char **out, size_t *out_len, const uint8_t *in, size_t len, unsigned flags)
{
	const char *alpha = (flags & OCSPKIT_BASE64_URL) ? b64_url : b64_std;
	int pad = !(flags & OCSPKIT_BASE64_URL);
	if (!out || (!in && len) || len > SIZE_MAX / 2)
		return OCSPKIT_E_INVALID_ARGUMENT;
	char *s = okit_malloc((len + 2) / 3 * 4 + 1);
	if (!s)
		return OCSPKIT_E_NO_MEMORY;
	size_t o = 0, i = 0;
	for (; i + 3 <= len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		s[o++] = alpha[v >> 18];
		s[o++] = alpha[(v >> 12) & 63];
		s[o++] = alpha[(v >> 6) & 63];
		s[o++] = alpha[v & 63];
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;
		s[o++] = alpha[v >> 18];
		s[o++] = alpha[(v >> 12) & 63];
		if (pad)
			s[o++] = '=', s[o++] = '=';
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		s[o++] = alpha[v >> 18];
		s[o++] = alpha[(v >> 12) & 63];
		s[o++] = alpha[(v >> 6) & 63];
		if (pad)
			s[o++] = '=';
	}
	s[o] = 0;
	*out = s;
	if (out_len)
		*out_len = o;
	return OCSPKIT_OK;
}

/* ---------------------------------------------------------------- PEM */

static const char *find(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, k) == 0)
			return hay + i;
	return NULL;
}

ocspkit_err ocspkit_pem_decode(uint8_t **der, size_t *der_len, const char *text, size_t len, const char *label,
			       ocspkit_bytes *label_out, size_t *end)
{
	static const char begin[] = "-----BEGIN ", dashes[] = "-----", endm[] = "-----END ";
	const char *p = text, *stop = text + len;
	if (!der || !der_len || (!text && len))
		return OCSPKIT_E_INVALID_ARGUMENT;
	*der = NULL;
	*der_len = 0;
	while (p < stop) {
		const char *b = find(p, (size_t)(stop - p), begin);
		if (!b)
			return OCSPKIT_E_PEM_NO_BLOCK;
		const char *lab = b + sizeof(begin) - 1;
		const char *le = find(lab, (size_t)(stop - lab), dashes);
		if (!le)
			return OCSPKIT_E_PEM_BAD_BLOCK;
		size_t lab_len = (size_t)(le - lab);
		if (memchr(lab, '\n', lab_len))
			return OCSPKIT_E_PEM_BAD_BLOCK;
		const char *body = le + sizeof(dashes) - 1;
		if (label && (strlen(label) != lab_len || memcmp(label, lab, lab_len) != 0)) {
			p = body;
			continue;
		}
		const char *e = find(body, (size_t)(stop - body), endm);
		if (!e)
			return OCSPKIT_E_PEM_BAD_BLOCK;
		const char *elab = e + sizeof(endm) - 1;
		if ((size_t)(stop - elab) < lab_len + 5 || memcmp(elab, lab, lab_len) != 0 ||
		    memcmp(elab + lab_len, dashes, 5) != 0)
			return OCSPKIT_E_PEM_BAD_BLOCK;
		if (find(body, (size_t)(e - body), ":")) /* RFC 1421 headers: encrypted PEM */
			return OCSPKIT_E_PEM_BAD_BLOCK;
		ocspkit_err err = ocspkit_base64_decode(der, der_len, body, (size_t)(e - body), OCSPKIT_BASE64_SKIP_SPACE);
		if (err)
			return err == OCSPKIT_E_BAD_BASE64 ? OCSPKIT_E_PEM_BAD_BLOCK : err;
		if (label_out)
			*label_out = (ocspkit_bytes){ (const uint8_t *)lab, lab_len };
		if (end)
			*end = (size_t)(elab + lab_len + 5 - text);
		return OCSPKIT_OK;
	}
	return OCSPKIT_E_PEM_NO_BLOCK;
}

ocspkit_err ocspkit_pem_encode(char **text, size_t *text_len, const char *label, const uint8_t *der, size_t len)
{
	char *b64;
	size_t b64_len;
	if (!text || !label)
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(ocspkit_base64_encode(&b64, &b64_len, der, len, 0));
	size_t lab = strlen(label);
	size_t cap = b64_len + b64_len / 64 + 2 + 2 * lab + 40;
	char *s = okit_malloc(cap);
	if (!s) {
		okit_free(b64);
		return OCSPKIT_E_NO_MEMORY;
	}
	size_t o = (size_t)snprintf(s, cap, "-----BEGIN %s-----\n", label);
	for (size_t i = 0; i < b64_len; i += 64) {
		size_t k = b64_len - i < 64 ? b64_len - i : 64;
		memcpy(s + o, b64 + i, k);
		o += k;
		s[o++] = '\n';
	}
	o += (size_t)snprintf(s + o, cap - o, "-----END %s-----\n", label);
	okit_free(b64);
	*text = s;
	if (text_len)
		*text_len = o;
	return OCSPKIT_OK;
}

/* ---------------------------------------------------------------- hex */

ocspkit_err ocspkit_hex_encode(char **out, const uint8_t *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	if (!out || (!in && len) || len > SIZE_MAX / 2 - 1)
		return OCSPKIT_E_INVALID_ARGUMENT;
	char *s = okit_malloc(2 * len + 1);
	if (!s)
		return OCSPKIT_E_NO_MEMORY;
	for (size_t i = 0; i < len; i++) {
		s[2 * i] = digits[in[i] >> 4];
		s[2 * i + 1] = digits[in[i] & 15];
	}
	s[2 * len] = 0;
	*out = s;
	return OCSPKIT_OK;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

ocspkit_err ocspkit_hex_decode(uint8_t **out, size_t *out_len, const char *in, size_t len)
{
	if (!out || !out_len || (!in && len))
		return OCSPKIT_E_INVALID_ARGUMENT;
	uint8_t *buf = okit_malloc(len / 2 + 1);
	if (!buf)
		return OCSPKIT_E_NO_MEMORY;
	size_t o = 0, i = 0;
	while (i < len) {
		if (o > 0 && in[i] == ':') /* optional separators between octets */
			i++;
		if (i + 2 > len || hexval(in[i]) < 0 || hexval(in[i + 1]) < 0) {
			okit_free(buf);
			return OCSPKIT_E_BAD_HEX;
		}
		buf[o++] = (uint8_t)(hexval(in[i]) << 4 | hexval(in[i + 1]));
		i += 2;
	}
	*out = buf;
	*out_len = o;
	return OCSPKIT_OK;
}
