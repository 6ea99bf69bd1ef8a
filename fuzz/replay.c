/* main() for the harnesses in builds without libFuzzer: runs
 * LLVMFuzzerTestOneInput over files, and over every file below directories
 * (in sorted order, so that runs repeat).
 *
 *   NAME_fuzzer FILE|DIR...   replays those
 *   NAME_fuzzer               what make check runs: $OCSPKIT_SRCDIR/fuzz/NAME_fuzzer.in
 *                             and NAME_fuzzer.repro, then, for the harnesses
 *                             of FUZZ_VECTOR_HARNESSES and when it is a
 *                             directory, $OCSPKIT_VECTORS (test data of other
 *                             projects, read in place and never committed):
 *                             every file, and the messages its PEM and
 *                             base64 files carry, decoded (fuzz/vectors.c)
 *
 * Allocation failures (OCSPKIT_FAIL_ALLOC):
 *   each   every input runs once counting the library's allocations, then
 *          once more per allocation with that one failing; each such run
 *          must report OCSPKIT_E_NO_MEMORY through some call (fuzz.h CALL),
 *          or else observe exactly what the normal run observed (the
 *          failure fell in a call that fails anyway, for another reason:
 *          fuzz.h fuzz_trace), and leak nothing (ASan or valgrind check at
 *          exit)
 *   none   plain replay
 * Without arguments the default is "each" for the project's own corpora and
 * plain replay for $OCSPKIT_VECTORS; with arguments it is "none".
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "fuzz.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

#define REPLAY_MAX_INPUT (8u << 20)

static unsigned long n_inputs, n_fail_runs;
static int fail_each;
/* Under valgrind every run costs ~50 times more: the allocation-failure
 * pass then covers the generated seeds and the reproducers, not the
 * inputs found by fuzzing (named by their SHA-1); native and ASan runs
 * cover every input. */
static int fail_found = 1;

static int found_by_fuzzing(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	if (strlen(b) != 40)
		return 0;
	for (; *b; b++)
		if (!((*b >= '0' && *b <= '9') || (*b >= 'a' && *b <= 'f')))
			return 0;
	return 1;
}

static void say_input(void)
{
	if (fuzz_input_name) {
		static const char msg[] = "\n==== while replaying: ";
		(void)!write(2, msg, sizeof(msg) - 1);
		(void)!write(2, fuzz_input_name, strlen(fuzz_input_name));
		(void)!write(2, "\n", 1);
	}
}

static void on_signal(int sig)
{
	say_input();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void run_one(const uint8_t *data, size_t len, int fail)
{
	/* an allocation of exactly the input's size, so that reading past
	 * the end is caught by ASan and valgrind */
	uint8_t *copy = malloc(len ? len : 1);
	if (!copy) {
		perror("malloc");
		exit(2);
	}
	memcpy(copy, data, len);

	fuzz_nomem = 0;
	fuzz_alloc_failing = 0;
	fuzz_trace = 0;
	okit_alloc_fail_at(0);
	LLVMFuzzerTestOneInput(copy, len);
	long total = okit_alloc_fail_at(0);
	uint64_t trace = fuzz_trace;
	n_inputs++;

	for (long n = 1; fail && n <= total; n++) {
		fuzz_nomem = 0;
		fuzz_alloc_failing = 1;
		fuzz_trace = 0;
		okit_alloc_fail_at(n);
		LLVMFuzzerTestOneInput(copy, len);
		long used = okit_alloc_fail_at(0);
		fuzz_alloc_failing = 0;
		n_fail_runs++;
		/* the failure is reported, or changes nothing the harness saw */
		if (used >= n && fuzz_nomem == 0 && fuzz_trace != trace)
			fuzz_fail(__FILE__, __LINE__, "fuzz_nomem > 0 || fuzz_trace == trace",
				  "allocation %ld of %ld failed: no call reported OCSPKIT_E_NO_MEMORY, and results "
				  "or printed text differ from the normal run", n, total);
	}
	fuzz_nomem = 0;
	free(copy);
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t cap = 4096, len = 0;
	uint8_t *buf = malloc(cap);
	for (;;) {
		if (!buf) {
			fclose(f);
			return -1;
		}
		size_t k = fread(buf + len, 1, cap - len, f);
		len += k;
		if (k == 0 || len > REPLAY_MAX_INPUT)
			break;
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap * 2);
			if (!nb)
				free(buf);
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (len > REPLAY_MAX_INPUT) {
		free(buf);
		return 0; /* larger than any harness reads */
	}
	fuzz_input_name = path;
	run_one(buf, len, fail_each && (fail_found || !found_by_fuzzing(path)));
	fuzz_input_name = NULL;
	free(buf);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return S_ISREG(st.st_mode) ? run_file(path) : 0;

	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d)) != NULL) {
		/* dot files, and the README that keeps an empty .repro in git */
		if (de->d_name[0] == '.' || strncmp(de->d_name, "README", 6) == 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			char **nn = realloc(names, cap * sizeof(*names));
			if (!nn) {
				rc = -1;
				break;
			}
			names = nn;
		}
		size_t l = strlen(path) + strlen(de->d_name) + 2;
		if (!(names[n] = malloc(l))) {
			rc = -1;
			break;
		}
		snprintf(names[n++], l, "%s/%s", path, de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && run_path(names[i]) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

/* "request" from ".../lt-request_fuzzer" */
static void harness_name(const char *argv0, char *out, size_t cap)
{
	const char *b = strrchr(argv0, '/');
	b = b ? b + 1 : argv0;
	if (strncmp(b, "lt-", 3) == 0)
		b += 3;
	snprintf(out, cap, "%s", b);
	char *s = strstr(out, "_fuzzer");
	if (s)
		*s = 0;
}

/* The vectors are other projects' messages: the harnesses that take a bare
 * message, each as every kind (differential) or a response with every
 * reader (response), replay them, once each; the others' inputs have
 * headers or are not DER, and the decode and validation verdicts on the
 * vectors are tests/codec/test_vectors.c's and test_validate_vectors.c's.
 * fuzz/replay-fuzzers.sh gives the same two the vectors in fuzzing
 * builds. */
#define FUZZ_VECTOR_HARNESSES " response differential "

static int fuzz_takes_vectors(const char *name)
{
	char word[160];
	snprintf(word, sizeof(word), " %s ", name);
	return strstr(FUZZ_VECTOR_HARNESSES, word) != NULL;
}

static void run_decoded(const char *name, const uint8_t *der, size_t len, void *arg)
{
	(void)arg;
	if (len > REPLAY_MAX_INPUT)
		return;
	fuzz_input_name = name;
	run_one(der, len, fail_each);
	fuzz_input_name = NULL;
}

static int is_dir(const char *p)
{
	struct stat st;
	return p && *p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int main(int argc, char **argv)
{
	const char *mode = getenv("OCSPKIT_FAIL_ALLOC");
	char name[128];
	int rc = 0;
	struct timespec t0, t1;

	if (mode && strcmp(mode, "each") != 0 && strcmp(mode, "none") != 0) {
		fprintf(stderr, "OCSPKIT_FAIL_ALLOC must be \"each\" or \"none\"\n");
		return 2;
	}
	if (__sanitizer_set_death_callback) {
		__sanitizer_set_death_callback(say_input);
	} else {
		signal(SIGSEGV, on_signal);
		signal(SIGABRT, on_signal);
		signal(SIGBUS, on_signal);
		signal(SIGFPE, on_signal);
		signal(SIGILL, on_signal);
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	harness_name(argv[0], name, sizeof(name));
	clock_gettime(CLOCK_MONOTONIC, &t0);

	if (argc > 1) {
		fail_each = mode && strcmp(mode, "each") == 0;
		for (int i = 1; i < argc; i++)
			if (run_path(argv[i]) != 0)
				rc = 1;
		printf("%s: %lu inputs replayed, %lu allocation-failure runs\n", name, n_inputs, n_fail_runs);
		return rc;
	}

	const char *srcdir = getenv("OCSPKIT_SRCDIR");
	if (!srcdir) {
		fprintf(stderr, "usage: %s FILE|DIR... (or set OCSPKIT_SRCDIR to replay the corpora)\n", argv[0]);
		return 2;
	}
	fail_each = !mode || strcmp(mode, "each") == 0;
	fail_found = !RUNNING_ON_VALGRIND;
	static const char *const kinds[] = { "in", "repro" };
	for (size_t k = 0; k < 2; k++) {
		char dir[4096];
		snprintf(dir, sizeof(dir), "%s/fuzz/%s_fuzzer.%s", srcdir, name, kinds[k]);
		if (!is_dir(dir)) {
			fprintf(stderr, "%s: missing corpus directory %s\n", name, dir);
			rc = 1;
			continue;
		}
		if (run_path(dir) != 0)
			rc = 1;
	}
	unsigned long own = n_inputs, own_fail = n_fail_runs;
	const char *vectors = fuzz_takes_vectors(name) ? getenv("OCSPKIT_VECTORS") : NULL;
	long decoded = 0;
	fail_each = mode && strcmp(mode, "each") == 0;
	if (is_dir(vectors)) {
		if (run_path(vectors) != 0)
			rc = 1;
		/* a directory without MANIFEST.tsv: its files as they are, only */
		decoded = fuzz_vectors_decoded(vectors, run_decoded, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%s: %lu corpus inputs (%lu allocation-failure runs), %lu from %s (%ld of them decoded from PEM "
	       "and base64), %.2f s\n",
	       name, own, own_fail, n_inputs - own, is_dir(vectors) ? vectors : "no vectors", decoded > 0 ? decoded : 0,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (own == 0) {
		fprintf(stderr, "%s: empty corpus\n", name);
		rc = 1;
	}
	return rc;
}
