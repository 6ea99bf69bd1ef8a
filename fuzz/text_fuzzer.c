/* The text readers: base64 (OCSP over HTTP GET, stapling files), PEM
 * (certificates, responses and requests in files), hex (serial numbers on
 * the command line), which common/text.c gives the tools, the responder
 * and the client, and the library's time strings.  The whole input goes
 * to each reader.  common/ allocates with malloc, out of reach of the
 * allocation-failure replay: its failures are not injected.
 *
 * Oracles:
 *  - base64: decode then encode gives the input back, once the input is
 *    normalised (whitespace dropped when skipped, URL-safe letters mapped to
 *    the standard ones, padding dropped): the decoder accepts exactly one
 *    text per octet string and alphabet;
 *  - hex: the same, with ':' separators dropped and letters lowered;
 *  - PEM: every block in the input decodes, re-encodes, and decodes again
 *    to the same octets and label; the blocks are found in order and each
 *    end offset moves forward;
 *  - time: a parsed time prints and parses back to the same second, and
 *    the printed form is the input when the input was in that form; epoch
 *    seconds print back as the input's digits (no silent overflow).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "fuzz.h"

static char *to_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = 0;
	return s;
}

static void base64(const char *in, size_t len, unsigned flags)
{
	uint8_t *bin, *bin2;
	size_t bin_len, bin2_len, enc_len;
	char *enc;

	if (CALL(text_base64_decode(&bin, &bin_len, in, len, flags)) != OCSPKIT_OK)
		return;
	ORACLE(bin_len <= len / 4 * 3 + 2, "%zu octets from %zu characters", bin_len, len);
	if (CALL(text_base64_encode(&enc, &enc_len, bin, bin_len, 0)) == OCSPKIT_OK) {
		/* normalise the input the way the decoder reads it */
		char *norm = malloc(len + 1), *e2 = malloc(enc_len + 1);
		size_t n = 0, m = 0;
		if (!norm || !e2)
			abort();
		for (size_t i = 0; i < len; i++) {
			char ch = in[i];
			if ((flags & TEXT_BASE64_SKIP_SPACE) && (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'))
				continue;
			if (ch == '=')
				continue;
			norm[n++] = ch == '-' ? '+' : ch == '_' ? '/' : ch;
		}
		for (size_t i = 0; i < enc_len; i++)
			if (enc[i] != '=')
				e2[m++] = enc[i];
		SAME("base64 decode/encode", (const uint8_t *)norm, n, (const uint8_t *)e2, m);
		free(norm);
		free(e2);
		ORACLE(strlen(enc) == enc_len, "encoded length");
		free(enc);
	}
	/* and the URL-safe form decodes to the same octets */
	if (CALL(text_base64_encode(&enc, &enc_len, bin, bin_len, TEXT_BASE64_URL)) == OCSPKIT_OK) {
		if (CALL(text_base64_decode(&bin2, &bin2_len, enc, enc_len, 0)) == OCSPKIT_OK) {
			SAME("base64url round trip", bin, bin_len, bin2, bin2_len);
			free(bin2);
		}
		free(enc);
	}
	free(bin);
}

static void hex(const char *in, size_t len)
{
	uint8_t *bin;
	size_t bin_len;
	char *enc;
	if (CALL(text_hex_decode(&bin, &bin_len, in, len)) != OCSPKIT_OK)
		return;
	if (CALL(text_hex_encode(&enc, bin, bin_len)) == OCSPKIT_OK) {
		char *norm = malloc(len + 1);
		size_t n = 0;
		if (!norm)
			abort();
		for (size_t i = 0; i < len; i++)
			if (in[i] != ':')
				norm[n++] = (char)(in[i] >= 'A' && in[i] <= 'F' ? in[i] - 'A' + 'a' : in[i]);
		SAME("hex decode/encode", (const uint8_t *)norm, n, (const uint8_t *)enc, strlen(enc));
		free(norm);
		free(enc);
	}
	free(bin);
}

static void pem(const char *text, size_t len, const char *label)
{
	size_t pos = 0;
	/* a bounded number of blocks: each one moves pos forward */
	for (int blocks = 0; pos < len && blocks < 64; blocks++) {
		uint8_t *der, *der2;
		size_t der_len, der2_len, end = 0, enc_len;
		ocspkit_bytes lab = { NULL, 0 };
		char *enc;
		ocspkit_err e = CALL(text_pem_decode(&der, &der_len, text + pos, len - pos, label, &lab, &end));
		if (e != OCSPKIT_OK)
			return;
		ORACLE(end > 0 && end <= len - pos, "end offset %zu of %zu", end, len - pos);
		ORACLE(fuzz_inside(lab, (const uint8_t *)text + pos, end), "label outside the block");
		if (label)
			ORACLE(lab.len == strlen(label) && memcmp(lab.data, label, lab.len) == 0, "wrong label");
		char *l = malloc(lab.len + 1);
		if (!l)
			abort();
		memcpy(l, lab.data, lab.len);
		l[lab.len] = 0;
		if (strlen(l) == lab.len && CALL(text_pem_encode(&enc, &enc_len, l, der, der_len)) == OCSPKIT_OK) {
			ocspkit_bytes lab2;
			size_t end2;
			e = CALL(text_pem_decode(&der2, &der2_len, enc, enc_len, l, &lab2, &end2));
			ORACLE(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY, "re-encoded PEM does not decode: %s",
			       ocspkit_strerror_name(e));
			if (e == OCSPKIT_OK) {
				SAME("PEM round trip", der, der_len, der2, der2_len);
				ORACLE(end2 <= enc_len, "end");
				free(der2);
			}
			free(enc);
		}
		free(l);
		free(der);
		pos += end;
	}
}

static int is_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static void time_string(const char *s)
{
	int64_t t, t2;
	char buf[OCSPKIT_TIME_STRING_SIZE], num[32];
	if (CALL(ocspkit_time_parse(&t, s)) != OCSPKIT_OK)
		return;
	/* the form the parser says it reads: epoch seconds ("@" and maybe a
	 * '-', or digits only), else the two date forms */
	int epoch = s[0] == '@' || is_digits(s);
	if (epoch) {
		const char *digits = s[0] == '@' ? s + 1 : s;
		int negative = digits[0] == '-';
		/* seconds since the epoch: exactly the number written */
		const char *d = digits + negative;
		while (d[0] == '0' && d[1])
			d++;
		snprintf(num, sizeof(num), "%s%s", negative && strcmp(d, "0") ? "-" : "", d);
		char back[32];
		snprintf(back, sizeof(back), "%lld", (long long)t);
		ORACLE(strcmp(num, back) == 0, "\"%s\" parsed as %s", s, back);
	} else {
		ORACLE(strlen(s) == 20 || strlen(s) == 15, "\"%s\" accepted as a time", s);
	}
	ocspkit_time_format(buf, t);
	if (strcmp(buf, "0000-00-00T00:00:00Z") == 0)
		return; /* outside years 0..9999: printed as a placeholder */
	ORACLE(ocspkit_time_parse(&t2, buf) == OCSPKIT_OK && t2 == t, "\"%s\" does not parse back", buf);
	if (!epoch && strlen(s) == 20)
		ORACLE(strcmp(buf, s) == 0, "\"%s\" accepted, printed as \"%s\"", s, buf);
	if (!epoch && strlen(s) == 15) {
		char g[16];
		snprintf(g, sizeof(g), "%.4s%.2s%.2s%.2s%.2s%.2sZ", buf, buf + 5, buf + 8, buf + 11, buf + 14, buf + 17);
		ORACLE(strcmp(g, s) == 0, "\"%s\" accepted, means %s", s, buf);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char *s;

	base64(text, size, 0);
	base64(text, size, TEXT_BASE64_SKIP_SPACE);
	hex(text, size);
	pem(text, size, NULL);
	pem(text, size, "OCSP RESPONSE");
	if (size < 64) {
		s = to_string(data, size);
		time_string(s);
		free(s);
	}
	return 0;
}
