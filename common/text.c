/* base64, PEM and hex for the tools, the responder and the client; see
 * text.h. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"

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

ocspkit_err text_base64_decode(uint8_t **out, size_t *out_len, const char *in, size_t len, unsigned flags)
{
	if (!out || !out_len || (!in && len))
		return OCSPKIT_E_INVALID_ARGUMENT;
	*out = NULL;
	*out_len = 0;
	uint8_t *buf = malloc(len / 4 * 3 + 3);
	if (!buf)
		return OCSPKIT_E_NO_MEMORY;
	uint32_t acc = 0;
	size_t nchars = 0, pad = 0, o = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = in[i];
		if ((flags & TEXT_BASE64_SKIP_SPACE) && is_space(ch))
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
	free(buf);
	return OCSPKIT_E_BAD_BASE64;
}

ocspkit_err text_base64_encode(char **out, size_t *out_len, const uint8_t *in, size_t len, unsigned flags)
{
	const char *alpha = (flags & TEXT_BASE64_URL) ? b64_url : b64_std;
	int pad = !(flags & TEXT_BASE64_URL);
	if (!out || (!in && len) || len > SIZE_MAX / 2)
		return OCSPKIT_E_INVALID_ARGUMENT;
	char *s = malloc((len + 2) / 3 * 4 + 1);
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

ocspkit_err text_pem_decode(uint8_t **der, size_t *der_len, const char *text, size_t len, const char *label,
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
		ocspkit_err err = text_base64_decode(der, der_len, body, (size_t)(e - body), TEXT_BASE64_SKIP_SPACE);
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

ocspkit_err text_pem_encode(char **text, size_t *text_len, const char *label, const uint8_t *der, size_t len)
{
	char *b64;
	size_t b64_len;
	if (!text || !label)
		return OCSPKIT_E_INVALID_ARGUMENT;
	ocspkit_err e = text_base64_encode(&b64, &b64_len, der, len, 0);
	if (e)
		return e;
	size_t lab = strlen(label);
	size_t cap = b64_len + b64_len / 64 + 2 + 2 * lab + 40;
	char *s = malloc(cap);
	if (!s) {
		free(b64);
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
	free(b64);
	*text = s;
	if (text_len)
		*text_len = o;
	return OCSPKIT_OK;
}

/* ---------------------------------------------------------------- hex */

ocspkit_err text_hex_encode(char **out, const uint8_t *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	if (!out || (!in && len) || len > SIZE_MAX / 2 - 1)
		return OCSPKIT_E_INVALID_ARGUMENT;
	char *s = malloc(2 * len + 1);
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

int text_hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

ocspkit_err text_hex_decode(uint8_t **out, size_t *out_len, const char *in, size_t len)
{
	if (!out || !out_len || (!in && len))
		return OCSPKIT_E_INVALID_ARGUMENT;
	uint8_t *buf = malloc(len / 2 + 1);
	if (!buf)
		return OCSPKIT_E_NO_MEMORY;
	size_t o = 0, i = 0;
	while (i < len) {
		if (o > 0 && in[i] == ':') /* optional separators between octets */
			i++;
		if (i + 2 > len || text_hex_digit(in[i]) < 0 || text_hex_digit(in[i + 1]) < 0) {
			free(buf);
			return OCSPKIT_E_BAD_HEX;
		}
		buf[o++] = (uint8_t)(text_hex_digit(in[i]) << 4 | text_hex_digit(in[i + 1]));
		i += 2;
	}
	*out = buf;
	*out_len = o;
	return OCSPKIT_OK;
}
