/* bench_decode: what it costs to decode an OCSP message and look one
 * certificate up in it, with ocspkit, OpenSSL 3, GnuTLS and bare libtasn1.
 *
 *   bench_decode [-t SECONDS] [-r REPS] [-c CASE] [-l LIB] [-n ITER] DIR
 *
 * DIR holds what bench/gen-inputs.sh writes.  Each library is timed on what
 * its caller has to do to get a certificate's status out of a response:
 *
 *   ocspkit   ocspkit_response_decode + ocspkit_response_find (full CertID) + free
 *   OpenSSL   d2i_OCSP_RESPONSE + OCSP_response_get1_basic + OCSP_resp_find_status
 *             + frees (bench_openssl.c)
 *   GnuTLS    gnutls_ocsp_resp_import + gnutls_ocsp_resp_get_single until the
 *             CertID matches, then its status and times + deinit (bench_gnutls.c)
 *   libtasn1  create + strict decode + delete of the message's node trees with
 *             ocspkit's own table, no lookup (bench_tasn1.c)
 *
 * For the request, each library decodes it and compares its first CertID
 * with the expected one.  The CertIDs looked up come from the generated
 * requests, read once by each library (and checked to agree), so every
 * library is asked exactly what the responder answered.
 *
 * Every call's result is checked (status good, request CertID matching,
 * libtasn1 decoding): a library that fails a case is never timed, and a
 * failure during timing aborts the run.
 *
 * Timing: CLOCK_MONOTONIC around a loop calibrated to about SECONDS (0.4)
 * after a warm-up; REPS (5) repetitions, interleaved across the libraries so
 * that a noisy moment hits all of them; the median is reported.
 *
 * With -n ITER, one library (-l) runs one case (-c) ITER times inside
 * measured_loop() and nothing else is timed: for
 * valgrind --tool=callgrind --toggle-collect=measured_loop (bench/run.sh).
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <ocspkit/ocspkit.h>

#include "bench.h"

/* ------------------------------------------------------------ ocspkit */

static int okit_init(void)
{
	return 0;
}

/* The target's views point into the decoded request, which it keeps. */
typedef struct {
	ocspkit_request *req;
	ocspkit_cert_id id;
} okit_target;

static void *okit_load_target(const uint8_t *der, size_t len, unsigned idx)
{
	okit_target *t = calloc(1, sizeof(*t));
	const ocspkit_single_request *one;

	if (!t || ocspkit_request_decode(&t->req, der, len, OCSPKIT_DECODE_STRICT, NULL) != OCSPKIT_OK ||
	    !(one = ocspkit_request_get_single(t->req, idx))) {
		if (t)
			ocspkit_request_free(t->req);
		free(t);
		return NULL;
	}
	t->id = one->cert_id;
	return t;
}

static void okit_free_target(void *p)
{
	okit_target *t = p;
	ocspkit_request_free(t->req);
	free(t);
}

static int okit_target_fields(const void *p, bench_bytes out[3])
{
	const okit_target *t = p;
	out[0] = (bench_bytes){ t->id.issuer_name_hash.data, t->id.issuer_name_hash.len };
	out[1] = (bench_bytes){ t->id.issuer_key_hash.data, t->id.issuer_key_hash.len };
	out[2] = (bench_bytes){ t->id.serial.data, t->id.serial.len };
	return 1;
}

static int okit_resp(const uint8_t *der, size_t len, const void *p)
{
	const okit_target *t = p;
	ocspkit_response *r;
	const ocspkit_single_response *s;
	int res = R_FAIL;

	if (ocspkit_response_decode(&r, der, len, OCSPKIT_DECODE_STRICT, NULL) != OCSPKIT_OK)
		return R_FAIL;
	if (ocspkit_response_find(&s, r, &t->id) == OCSPKIT_OK)
		res = s->status == OCSPKIT_CERT_GOOD      ? R_GOOD
		      : s->status == OCSPKIT_CERT_REVOKED ? R_REVOKED
							  : R_UNKNOWN;
	ocspkit_response_free(r);
	return res;
}

static int okit_req(const uint8_t *der, size_t len, const void *p)
{
	const okit_target *t = p;
	ocspkit_request *q;
	const ocspkit_single_request *one;
	int res = R_FAIL;

	if (ocspkit_request_decode(&q, der, len, OCSPKIT_DECODE_STRICT, NULL) != OCSPKIT_OK)
		return R_FAIL;
	if ((one = ocspkit_request_get_single(q, 0)) && ocspkit_cert_id_equal(&one->cert_id, &t->id))
		res = R_MATCH;
	ocspkit_request_free(q);
	return res;
}

const bench_lib bench_ocspkit = { "ocspkit", ocspkit_version, okit_init, okit_load_target, okit_free_target,
				  okit_target_fields, okit_resp, okit_req };

/* ------------------------------------------------------------ cases */

enum { L_OCSPKIT, L_OPENSSL, L_GNUTLS, L_TASN1, L__N };
static const bench_lib *const libs[L__N] = { &bench_ocspkit, &bench_openssl, &bench_gnutls, &bench_libtasn1 };

typedef struct {
	const char *label;
	const char *file;
	int is_request;
	const char *req_file; /* where the CertID to look up comes from */
	unsigned req_idx;
	uint8_t *der;
	size_t len;
	void *target[L__N];
} bench_case;

static bench_case cases[] = {
	{ "1 single + responder cert", "resp1-certs.der", 0, "req1.der", 0, NULL, 0, { NULL } },
	{ "1 single, no certs", "resp1-nocerts.der", 0, "req1.der", 0, NULL, 0, { NULL } },
	/* the last entry, so that every library walks the whole list */
	{ "20 singles (find #20)", "resp20.der", 0, "req20.der", 19, NULL, 0, { NULL } },
	{ "request (1 CertID, nonce)", "req1.der", 1, "req1.der", 0, NULL, 0, { NULL } },
};
#define N_CASES ((int)(sizeof(cases) / sizeof(cases[0])))

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bench_decode: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static uint8_t *read_file(const char *dir, const char *name, size_t *len)
{
	enum { CAP = 1 << 20 };
	char path[4096];
	FILE *f;
	uint8_t *buf;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "rb")))
		die("cannot open %s (bench/gen-inputs.sh writes it)", path);
	if (!(buf = malloc(CAP)))
		die("out of memory");
	*len = fread(buf, 1, CAP, f);
	if (ferror(f) || *len == 0 || *len == CAP)
		die("cannot read %s", path);
	fclose(f);
	return buf;
}

static int bytes_eq(bench_bytes a, bench_bytes b)
{
	return a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
}

static void load_case(bench_case *bc, const char *dir)
{
	size_t req_len;
	uint8_t *req = read_file(dir, bc->req_file, &req_len);
	bench_bytes ref[3];

	bc->der = read_file(dir, bc->file, &bc->len);
	for (int l = 0; l < L__N; l++) {
		bc->target[l] = libs[l]->load_target(req, req_len, bc->req_idx);
		if (!bc->target[l])
			die("%s cannot read request %u of %s", libs[l]->name, bc->req_idx, bc->req_file);
	}
	/* Every library must have read the same CertID. */
	libs[L_OCSPKIT]->target_fields(bc->target[L_OCSPKIT], ref);
	for (int l = 1; l < L__N; l++) {
		bench_bytes f[3];
		if (libs[l]->target_fields(bc->target[l], f) &&
		    !(bytes_eq(f[0], ref[0]) && bytes_eq(f[1], ref[1]) && bytes_eq(f[2], ref[2])))
			die("%s and ocspkit read different CertIDs from %s", libs[l]->name, bc->req_file);
	}
	free(req);
}

static int expected(int lib, const bench_case *bc)
{
	if (lib == L_TASN1)
		return R_DECODED;
	return bc->is_request ? R_MATCH : R_GOOD;
}

static int run_once(int lib, const bench_case *bc)
{
	const bench_lib *L = libs[lib];
	return (bc->is_request ? L->req : L->resp)(bc->der, bc->len, bc->target[lib]);
}

/* ------------------------------------------------------------ timing */

static long unexpected; /* calls whose result was not the expected one */

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* The timed loop, and what callgrind's --toggle-collect names: never
 * inlined, so that its inclusive cost is exactly n operations. */
double measured_loop(int lib, const bench_case *bc, long n);
__attribute__((noinline)) double measured_loop(int lib, const bench_case *bc, long n)
{
	int (*op)(const uint8_t *, size_t, const void *) = bc->is_request ? libs[lib]->req : libs[lib]->resp;
	int expect = expected(lib, bc);
	const void *t = bc->target[lib];
	double t0 = now_ns();

	for (long i = 0; i < n; i++)
		if (op(bc->der, bc->len, t) != expect)
			unexpected++;
	return now_ns() - t0;
}

/* Iterations for about `seconds` of work.  Doubling up from one call is
 * also the warm-up: caches, lazy initialisation, the allocator's lists. */
static long calibrate(int lib, const bench_case *bc, double seconds)
{
	long n = 1;
	double t;

	for (;;) {
		t = measured_loop(lib, bc, n);
		if (t >= 50e6 || n >= (1L << 40))
			break;
		n *= 2;
	}
	long want = (long)(seconds * 1e9 / (t / (double)n));
	return want > 0 ? want : 1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_decode [-t SECONDS] [-r REPS] [-c CASE] [-l LIB] [-n ITER] DIR\n"
			"  CASE 1..%d; LIB ocspkit, openssl, gnutls or libtasn1\n",
		N_CASES);
	exit(2);
}

int main(int argc, char **argv)
{
	double seconds = 0.4;
	int reps = 5, only_case = 0, only_lib = -1, opt;
	long fixed = 0;

	while ((opt = getopt(argc, argv, "t:r:c:l:n:")) != -1) {
		switch (opt) {
		case 't': seconds = atof(optarg); break;
		case 'r': reps = atoi(optarg); break;
		case 'c': only_case = atoi(optarg); break;
		case 'n': fixed = atol(optarg); break;
		case 'l':
			for (int l = 0; l < L__N; l++)
				if (strcasecmp(optarg, libs[l]->name) == 0)
					only_lib = l;
			if (only_lib < 0)
				usage();
			break;
		default: usage();
		}
	}
	if (optind + 1 != argc || !(seconds > 0) || reps < 1 || reps > 99 || only_case < 0 ||
	    only_case > N_CASES || fixed < 0 || (fixed && (!only_case || only_lib < 0)))
		usage();

	for (int l = 0; l < L__N; l++)
		if (libs[l]->init() != 0)
			return 1;
	for (int i = 0; i < N_CASES; i++)
		load_case(&cases[i], argv[optind]);

	/* Every library gets every case right before anything is timed, so
	 * that no figure is the cost of an error path. */
	for (int i = 0; i < N_CASES; i++) {
		for (int l = 0; l < L__N; l++) {
			int got = run_once(l, &cases[i]);
			if (got != expected(l, &cases[i]))
				die("%s on case %d (%s): result %d, expected %d", libs[l]->name, i + 1,
				    cases[i].file, got, expected(l, &cases[i]));
		}
	}

	if (fixed) {
		bench_case *bc = &cases[only_case - 1];
		double t = measured_loop(only_lib, bc, fixed);
		printf("%s, case %d (%s): %ld calls, %.0f ns/op\n", libs[only_lib]->name, only_case, bc->label,
		       fixed, t / (double)fixed);
		return unexpected ? 1 : 0;
	}

	for (int l = 0; l < L__N; l++) {
		const char *v = libs[l]->version(), *n = libs[l]->name;
		/* OpenSSL's version string starts with its name */
		if (strncmp(v, n, strlen(n)) == 0)
			printf("%s%s", l ? ", " : "", v);
		else
			printf("%s%s %s", l ? ", " : "", n, v);
	}
	printf("\n");
	printf("decode + status lookup + free, ns/op, median of %d runs of ~%.2f s (CLOCK_MONOTONIC)\n\n",
	       reps, seconds);
	printf("%-26s %5s %9s %9s %9s %9s  %8s %8s %8s\n", "case", "bytes", "ocspkit", "OpenSSL", "GnuTLS",
	       "libtasn1", "OpenSSL/", "GnuTLS/", "tasn1/");
	printf("%-26s %5s %9s %9s %9s %9s  %8s %8s %8s\n", "", "", "", "", "", "(bare)", "ocspkit", "ocspkit",
	       "ocspkit");
	fflush(stdout);

	for (int i = 0; i < N_CASES; i++) {
		bench_case *bc = &cases[i];
		long iters[L__N] = { 0 };
		double samples[L__N][99], median[L__N] = { 0 };

		if (only_case && i + 1 != only_case)
			continue;
		for (int l = 0; l < L__N; l++)
			if (only_lib < 0 || only_lib == l)
				iters[l] = calibrate(l, bc, seconds);
		for (int r = 0; r < reps; r++)
			for (int l = 0; l < L__N; l++)
				if (iters[l])
					samples[l][r] = measured_loop(l, bc, iters[l]) / (double)iters[l];
		if (unexpected)
			die("%ld calls returned an unexpected result", unexpected);
		for (int l = 0; l < L__N; l++) {
			if (!iters[l])
				continue;
			qsort(samples[l], (size_t)reps, sizeof(double), cmp_double);
			median[l] = samples[l][reps / 2];
		}

		printf("%-26s %5zu", bc->label, bc->len);
		for (int l = 0; l < L__N; l++) {
			if (median[l] > 0)
				printf(" %9.0f", median[l]);
			else
				printf(" %9s", "-");
		}
		printf(" ");
		for (int l = L_OPENSSL; l < L__N; l++) {
			if (median[l] > 0 && median[L_OCSPKIT] > 0)
				printf(" %7.2fx", median[l] / median[L_OCSPKIT]);
			else
				printf(" %8s", "-");
		}
		printf("\n");
		fflush(stdout);
	}
	printf("\nRatios above 1: ocspkit is faster.  libtasn1 (bare) decodes only: node trees\n"
	       "of ocspkit's table, strict DER, inner BasicOCSPResponse included, no lookup.\n");

	for (int i = 0; i < N_CASES; i++) {
		free(cases[i].der);
		for (int l = 0; l < L__N; l++)
			libs[l]->free_target(cases[i].target[l]);
	}
	return 0;
}
