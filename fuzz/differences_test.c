/* ocspkit's verdict on one example of each class of fuzz/DIFFERENCES.md.
 *
 * fuzz/differences.tsv lists, per class, an input kept in
 * fuzz/differential_fuzzer.in/, whether it is read as a response, a
 * request or a CRL, and what ocspkit must answer: "accept" or the name of the error
 * (with the offset where decoding stops).  The peers' verdicts are in
 * DIFFERENCES.md and in the differential harness's log; they are not held
 * here, since they change with the peers' versions.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ocspkit/ocspkit.h>

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0, k;
	if (!f)
		return NULL;
	do {
		if (n == cap) {
			unsigned char *nb = realloc(buf, cap = cap ? 2 * cap : 4096);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		k = fread(buf + n, 1, cap - n, f);
		n += k;
	} while (k > 0);
	fclose(f);
	*len = n;
	return buf;
}

int main(void)
{
	const char *srcdir = getenv("OCSPKIT_SRCDIR");
	char path[4096], line[1024];
	int checked = 0, failed = 0;

	if (!srcdir)
		srcdir = ".";
	snprintf(path, sizeof(path), "%s/fuzz/differences.tsv", srcdir);
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *file, *kind, *want, *save;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\r\n")] = 0;
		file = strtok_r(line, "\t", &save);
		kind = strtok_r(NULL, "\t", &save);
		want = strtok_r(NULL, "\t", &save);
		if (!file || !kind || !want) {
			fprintf(stderr, "differences.tsv: malformed line\n");
			failed++;
			continue;
		}
		size_t len, off = 0;
		snprintf(path, sizeof(path), "%s/fuzz/differential_fuzzer.in/%s", srcdir, file);
		unsigned char *der = slurp(path, &len);
		if (!der) {
			perror(path);
			failed++;
			continue;
		}
		ocspkit_err e;
		if (strcmp(kind, "response") == 0) {
			ocspkit_response *r = NULL;
			e = ocspkit_response_decode(&r, der, len, OCSPKIT_DECODE_STRICT, &off);
			ocspkit_response_free(r);
		} else if (strcmp(kind, "crl") == 0) {
			ocspkit_crl *r = NULL;
			e = ocspkit_crl_decode(&r, der, len, OCSPKIT_DECODE_STRICT, &off);
			ocspkit_crl_free(r);
		} else {
			ocspkit_request *r = NULL;
			e = ocspkit_request_decode(&r, der, len, OCSPKIT_DECODE_STRICT, &off);
			ocspkit_request_free(r);
		}
		free(der);
		char got[128];
		if (e == OCSPKIT_OK)
			snprintf(got, sizeof(got), "accept");
		else
			snprintf(got, sizeof(got), "%s@%zu", ocspkit_strerror_name(e), off);
		checked++;
		if (strcmp(got, want) != 0) {
			fprintf(stderr, "%s (%s): ocspkit answers %s, DIFFERENCES.md says %s\n", file, kind, got, want);
			failed++;
		}
	}
	fclose(f);
	printf("%d examples checked, %d failed\n", checked, failed);
	return failed || checked == 0 ? 1 : 0;
}
