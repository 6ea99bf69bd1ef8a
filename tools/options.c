/* Values of command-line options (options.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/text.h"
#include "options.h"

ocspkit_hash cli_parse_hash(const char *name)
{
	static const struct {
		const char *name;
		ocspkit_hash h;
	} hashes[] = {
		{ "sha1", OCSPKIT_HASH_SHA1 },     { "sha224", OCSPKIT_HASH_SHA224 }, { "sha256", OCSPKIT_HASH_SHA256 },
		{ "sha384", OCSPKIT_HASH_SHA384 }, { "sha512", OCSPKIT_HASH_SHA512 },
	};
	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++)
		if (strcasecmp(name, hashes[i].name) == 0 ||
		    (name[0] == '-' && strcasecmp(name + 1, hashes[i].name) == 0))
			return hashes[i].h;
	return OCSPKIT_HASH_UNKNOWN;
}

int cli_parse_serial(const char *hex, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t *raw;
	size_t raw_len;
	char buf[2 * OCSPKIT_MAX_SERIAL_SIZE + 8];

	if (strncasecmp(hex, "0x", 2) == 0)
		hex += 2;
	/* odd number of digits: pad, as `openssl ocsp -serial` accepts */
	size_t n = strlen(hex);
	if (n == 0 || n + 2 > sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s%s", (n % 2 && !strchr(hex, ':')) ? "0" : "", hex);
	if (text_hex_decode(&raw, &raw_len, buf, strlen(buf)))
		return -1;
	/* a serial is a positive INTEGER: minimal content, 00 in front of a
	 * leading 1 bit */
	size_t skip = 0;
	while (skip + 1 < raw_len && raw[skip] == 0)
		skip++;
	int pad = raw_len && (raw[skip] & 0x80);
	if (raw_len == 0 || raw_len - skip + (size_t)pad > cap) {
		free(raw);
		return -1;
	}
	if (pad)
		out[0] = 0;
	memcpy(out + pad, raw + skip, raw_len - skip);
	*len = raw_len - skip + (size_t)pad;
	free(raw);
	return 0;
}

int cli_parse_ms(const char *s, long *ms)
{
	char *end;
	double v = strtod(s, &end);
	if (!*s || *end || !(v >= 0) || v > 86400)
		return -1;
	*ms = (long)(v * 1000 + 0.5);
	return 0;
}

int cli_parse_count(const char *s, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 0 || v > max)
		return -1;
	*out = v;
	return 0;
}
