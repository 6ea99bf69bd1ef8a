/* A small test harness: CHECK records a failure and goes on, so that one
 * run reports every broken case.  main() ends with CHECK_DONE(). */
#ifndef OCSPKIT_TEST_CHECK_H
#define OCSPKIT_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ocspkit/ocspkit.h>

/* (unused by the fuzzers and benchmarks that take the PKI fixture alone) */
static int check_total __attribute__((unused)), check_failed __attribute__((unused));

#define CHECK(cond)                                                                       \
	do {                                                                              \
		check_total++;                                                            \
		if (!(cond)) {                                                            \
			check_failed++;                                                   \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                         \
	} while (0)

/* An ocspkit call that must return the given code. */
#define CHECK_ERR(expr, want)                                                             \
	do {                                                                              \
		ocspkit_err got_ = (expr);                                                \
		check_total++;                                                            \
		if (got_ != (want)) {                                                     \
			check_failed++;                                                   \
			fprintf(stderr, "%s:%d: %s: got %s, want %s\n", __FILE__, __LINE__, #expr, \
				ocspkit_strerror_name(got_), ocspkit_strerror_name(want));  \
		}                                                                         \
	} while (0)

#define CHECK_OK(expr) CHECK_ERR(expr, OCSPKIT_OK)

#define CHECK_BYTES(view, ptr, n)                                                          \
	CHECK((view).len == (size_t)(n) && ((n) == 0 || memcmp((view).data, (ptr), (n)) == 0))

#define CHECK_DONE()                                                                      \
	do {                                                                              \
		printf("%d checks, %d failed\n", check_total, check_failed);               \
		return check_failed ? 1 : 0;                                              \
	} while (0)

/* Hex to bytes for test vectors written inline; aborts on bad input. */
static inline size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	for (const char *p = hex; *p;) {
		if (*p == ' ' || *p == '\n' || *p == ':') {
			p++;
			continue;
		}
		unsigned v;
		if (n >= cap || sscanf(p, "%2x", &v) != 1)
			abort();
		out[n++] = (uint8_t)v;
		p += 2;
	}
	return n;
}

/* Reads a whole file; NULL if it cannot. */
static inline uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	size_t k;
	while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

#endif
