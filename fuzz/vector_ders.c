/* fuzz/vector_ders VECTORS-DIR OUT-DIR: writes the messages that the PEM
 * and base64 files of VECTORS-DIR carry (fuzz/vectors.c) as DER files in
 * OUT-DIR, for libFuzzer, which reads inputs only from files: the
 * --enable-fuzzing replay (fuzz/replay-fuzzers.sh) and fuzz/run-fuzzers.sh
 * give that directory to the harnesses as a read-only corpus.  OUT-DIR
 * belongs in the build or work directory, never in the source tree. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static const char *out_dir;
static int failed;

/* "DIR/openssl/D1.ors#base64" -> "openssl+D1.ors+base64.der" */
static void write_one(const char *name, const uint8_t *der, size_t len, void *arg)
{
	const char *dir = arg;
	char file[4096], path[8192];
	size_t skip = strlen(dir) + 1, n = 0;
	for (const char *p = name + skip; *p && n + 5 < sizeof(file); p++)
		file[n++] = (*p == '/' || *p == '#') ? '+' : *p;
	memcpy(file + n, ".der", 5);
	snprintf(path, sizeof(path), "%s/%s", out_dir, file);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(der, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		failed = 1;
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s VECTORS-DIR OUT-DIR\n", argv[0]);
		return 2;
	}
	out_dir = argv[2];
	if (mkdir(out_dir, 0755) != 0 && errno != EEXIST) {
		perror(out_dir);
		return 1;
	}
	long n = fuzz_vectors_decoded(argv[1], write_one, argv[1]);
	if (n < 0) {
		fprintf(stderr, "%s: no MANIFEST.tsv\n", argv[1]);
		return 1;
	}
	printf("%ld messages decoded from %s into %s\n", n, argv[1], out_dir);
	return failed;
}
