/* Other projects' test data ($OCSPKIT_VECTORS, see fuzz.h) as harness
 * inputs.  The DER files are read as they are; this finds the messages
 * the others carry as text: each PEM block of a file MANIFEST.tsv calls
 * "pem" (bundles of a response, its request and certificates; PEM
 * responses with a text dump before them) and the base64 of a file it
 * calls "b64" (OpenSSL's .ors responses).  Nothing is written anywhere
 * but to the callback. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "fuzz.h"

/* Larger than any vector; a bigger file is skipped, not truncated. */
#define VECTOR_MAX_FILE (8u << 20)

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0, k;
	uint8_t *buf = f ? malloc(cap) : NULL;
	while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n > VECTOR_MAX_FILE) {
			free(buf);
			buf = NULL;
		} else if (n == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	if (f)
		fclose(f);
	*len = n;
	return buf;
}

/* Every PEM block of text, in order, whatever its label. */
static void pem_blocks(const char *name, const char *text, size_t len, fuzz_vector_fn fn, void *arg,
		       unsigned long *count)
{
	size_t pos = 0;
	for (unsigned n = 0;; n++) {
		uint8_t *der;
		size_t der_len, end;
		char label[4200];
		ocspkit_err e = text_pem_decode(&der, &der_len, text + pos, len - pos, NULL, NULL, &end);
		if (e) /* no more blocks, or one that does not decode: the rest is text */
			return;
		snprintf(label, sizeof(label), "%s#%u", name, n);
		fn(label, der, der_len, arg);
		(*count)++;
		free(der);
		pos += end;
	}
}

long fuzz_vectors_decoded(const char *dir, fuzz_vector_fn fn, void *arg)
{
	char path[4096];
	char *line = NULL;
	size_t cap = 0;
	unsigned long count = 0;
	snprintf(path, sizeof(path), "%s/MANIFEST.tsv", dir);
	FILE *m = fopen(path, "r");
	if (!m)
		return -1;
	/* path, kind, encoding, ...; a header line starting "path" */
	while (getline(&line, &cap, m) > 0) {
		char *save = NULL, *file = strtok_r(line, "\t\r\n", &save);
		char *kind = file ? strtok_r(NULL, "\t\r\n", &save) : NULL;
		char *enc = kind ? strtok_r(NULL, "\t\r\n", &save) : NULL;
		if (!enc || line[0] == '#' || strcmp(file, "path") == 0 || strstr(file, ".."))
			continue;
		int pem = strcmp(enc, "pem") == 0, b64 = strcmp(enc, "b64") == 0;
		if (!pem && !b64)
			continue;
		size_t len;
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		uint8_t *data = slurp(path, &len);
		if (!data)
			continue; /* listed but absent or unreadable: the raw replay reports it */
		if (pem) {
			pem_blocks(path, (const char *)data, len, fn, arg, &count);
		} else {
			uint8_t *der;
			size_t der_len;
			if (text_base64_decode(&der, &der_len, (const char *)data, len, TEXT_BASE64_SKIP_SPACE) ==
			    OCSPKIT_OK) {
				char label[4200];
				snprintf(label, sizeof(label), "%s#base64", path);
				fn(label, der, der_len, arg);
				count++;
				free(der);
			}
		}
		free(data);
	}
	free(line);
	fclose(m);
	return (long)count;
}
