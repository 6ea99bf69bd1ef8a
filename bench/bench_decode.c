/* bench_decode: what it costs to decode an OCSP message and look one
 * certificate up in it, with ocspkit, OpenSSL 3, GnuTLS and bare libtasn1.
 *
 *   bench_decode [-t SECONDS] [-r REPS] [-c CASE] [-l LIB] [-n ITER] DIR
 *
 * DIR holds what bench/gen-inputs.sh writes.  Each library is timed on what
 * a caller of it has to do to get a certificate's status out of a response:
 *
 *   ocspkit   ocspkit_response_decode + ocspkit_response_find (full CertID) + free
 *   OpenSSL   d2i_OCSP_RESPONSE + OCSP_response_get1_basic + OCSP_resp_find_status + frees
 *   GnuTLS    gnutls_ocsp_resp_import + gnutls_ocsp_resp_get_single over the
 *             CertIDs until all four fields match, then the status and times
 *             of that one + deinit
 *   libtasn1  asn1_create_element + asn1_der_decoding2 (strict DER) + delete of
 *             OCSPResponse, and of the BasicOCSPResponse inside its OCTET
 *             STRING, with ocspkit's own table: the floor for any decoder that
 *             goes through libtasn1's node trees, as GnuTLS does.
 *
 * For the request case each library decodes the request and compares its
 * first CertID with the expected one.  The CertIDs looked up come from the
 * generated requests, read once by each library, so every library is asked
 * exactly what the responder answered.
 *
 * Every call's result is checked (the status must be "good", the request's
 * CertID must match, libtasn1 must decode): a library that fails is never
 * timed, and the run aborts.
 *
 * Timing: CLOCK_MONOTONIC around a loop calibrated to about SECONDS (0.4),
 * after a warm-up; REPS (5) repetitions, interleaved across the libraries so
 * that a noisy moment hits all of them, and the median is reported.
 *
 * With -n ITER the calibration and repetitions are skipped and the selected
 * library and case run ITER times inside measured_loop(), for
 * valgrind --tool=callgrind --toggle-collect=measured_loop (bench/run.sh).
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>
#include <libtasn1.h>
#include <openssl/crypto.h>
#include <openssl/ocsp.h>
#include <ocspkit/ocspkit.h>

/* The table asn1Parser generated from asn1/ocsp.asn, inside the library. */
extern const asn1_static_node okit_asn1_tab[];

enum lib { L_OCSPKIT, L_OPENSSL, L_GNUTLS, L_TASN1, L__N };
static const char *const lib_name[L__N] = { "ocspkit", "OpenSSL", "GnuTLS", "libtasn1" };

/* What one call reports; the same for every library that got it right. */
enum { R_FAIL = -1, R_GOOD = 0, R_REVOKED = 1, R_UNKNOWN = 2, R_MATCH = 10, R_DECODED = 11 };

/* One CertID, as each library wants it. */
typedef struct {
	ocspkit_cert_id okit;
	OCSP_CERTID *ossl;
	gnutls_digest_algorithm_t g_digest;
	gnutls_datum_t g_name_hash, g_key_hash, g_serial;
} target;

typedef struct {
	const char *label;
	const char *file;
	int is_request;
	int target_req;       /* 0: req1.der, 1: req20.der */
	unsigned target_idx;  /* which of its Requests */
	uint8_t *der;
	size_t len;
	const target *t;
} bench_case;

static bench_case cases[] = {
	{ "1 single, responder cert", "resp1-certs.der", 0, 0, 0, NULL, 0, NULL },
	{ "1 single, no certs", "resp1-nocerts.der", 0, 0, 0, NULL, 0, NULL },
	/* the last one: every library walks the whole list before finding it */
	{ "20 singles (find #20)", "resp20.der", 0, 1, 19, NULL, 0, NULL },
	{ "request, 1 CertID+nonce", "req1.der", 1, 0, 0, NULL, 0, NULL },
};
#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static const char *const req_files[2] = { "req1.der", "req20.der" };
static target targets[N_CASES];
static ocspkit_request *okit_reqs[2]; /* the targets' views point into these */
static asn1_node tasn1_defs;
/* asn1_read_value copies the OCTET STRING out; a static buffer keeps that
 * copy from being an allocation, which is the cheapest a libtasn1 user gets. */
static uint8_t tasn1_inner[1 << 16];

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "bench_decode: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static uint8_t *read_file(const char *dir, const char *name, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		die("cannot open %s (run bench/gen-inputs.sh first)", path);
	uint8_t *buf = malloc(1 << 20);
	if (!buf)
		die("%s", strerror(ENOMEM));
	*len = fread(buf, 1, 1 << 20, f);
	if (ferror(f) || *len == 0 || *len == (1 << 20))
		die("cannot read %s", path);
	fclose(f);
	return buf;
}

static int datum_eq(const gnutls_datum_t *a, const gnutls_datum_t *b)
{
	return a->size == b->size && memcmp(a->data, b->data, a->size) == 0;
}

static int bytes_eq(ocspkit_bytes a, const unsigned char *b, size_t blen)
{
	return a.len == blen && memcmp(a.data, b, blen) == 0;
}

/* ------------------------------------------------------------ ocspkit */

static int okit_resp(const bench_case *bc)
{
	ocspkit_response *r;
	const ocspkit_single_response *s;
	int res = R_FAIL;

	if (ocspkit_response_decode(&r, bc->der, bc->len, OCSPKIT_DECODE_STRICT, NULL))
		return R_FAIL;
	if (ocspkit_response_find(r, &bc->t->okit, &s) == OCSPKIT_OK)
		res = s->status == OCSPKIT_CERT_GOOD ? R_GOOD : s->status == OCSPKIT_CERT_REVOKED ? R_REVOKED : R_UNKNOWN;
	ocspkit_response_free(r);
	return res;
}

static int okit_req(const bench_case *bc)
{
	ocspkit_request *q;
	int res = R_FAIL;

	if (ocspkit_request_decode(&q, bc->der, bc->len, OCSPKIT_DECODE_STRICT, NULL))
		return R_FAIL;
	const ocspkit_single_request *one = ocspkit_request_get(q, 0);
	if (one && ocspkit_cert_id_equal(&one->cert_id, &bc->t->okit))
		res = R_MATCH;
	ocspkit_request_free(q);
	return res;
}

/* ------------------------------------------------------------ OpenSSL */

static int ossl_status(int s)
{
	return s == V_OCSP_CERTSTATUS_GOOD ? R_GOOD : s == V_OCSP_CERTSTATUS_REVOKED ? R_REVOKED : R_UNKNOWN;
}

static int ossl_resp(const bench_case *bc)
{
	const unsigned char *p = bc->der;
	OCSP_RESPONSE *resp = d2i_OCSP_RESPONSE(NULL, &p, (long)bc->len);
	OCSP_BASICRESP *bs;
	ASN1_GENERALIZEDTIME *rev, *this_upd, *next_upd;
	int status, reason, res = R_FAIL;

	if (!resp)
		return R_FAIL;
	if (OCSP_response_status(resp) == OCSP_RESPONSE_STATUS_SUCCESSFUL &&
	    (bs = OCSP_response_get1_basic(resp)) != NULL) {
		if (OCSP_resp_find_status(bs, bc->t->ossl, &status, &reason, &rev, &this_upd, &next_upd) == 1)
			res = ossl_status(status);
		OCSP_BASICRESP_free(bs);
	}
	OCSP_RESPONSE_free(resp);
	return res;
}

static int ossl_req(const bench_case *bc)
{
	const unsigned char *p = bc->der;
	OCSP_REQUEST *req = d2i_OCSP_REQUEST(NULL, &p, (long)bc->len);
	int res = R_FAIL;

	if (!req)
		return R_FAIL;
	if (OCSP_request_onereq_count(req) > 0) {
		OCSP_ONEREQ *one = OCSP_request_onereq_get0(req, 0);
		if (OCSP_id_cmp(OCSP_onereq_get0_id(one), bc->t->ossl) == 0)
			res = R_MATCH;
	}
	OCSP_REQUEST_free(req);
	return res;
}

/* ------------------------------------------------------------ GnuTLS */

static int gnutls_status(unsigned s)
{
	return s == GNUTLS_OCSP_CERT_GOOD ? R_GOOD : s == GNUTLS_OCSP_CERT_REVOKED ? R_REVOKED : R_UNKNOWN;
}

static int g_resp(const bench_case *bc)
{
	gnutls_ocsp_resp_t resp;
	gnutls_datum_t d = { (unsigned char *)bc->der, (unsigned)bc->len };
	const target *t = bc->t;
	int res = R_FAIL;

	if (gnutls_ocsp_resp_init(&resp) < 0)
		return R_FAIL;
	if (gnutls_ocsp_resp_import(resp, &d) < 0 ||
	    gnutls_ocsp_resp_get_status(resp) != GNUTLS_OCSP_RESP_SUCCESSFUL)
		goto out;
	/* Only the CertID fields while searching, the status and times of the
	 * match alone: each field read is a path lookup and a copy. */
	for (unsigned i = 0;; i++) {
		gnutls_digest_algorithm_t dig;
		gnutls_datum_t nh, kh, sn;
		if (gnutls_ocsp_resp_get_single(resp, i, &dig, &nh, &kh, &sn, NULL, NULL, NULL, NULL, NULL) < 0)
			break;
		int match = dig == t->g_digest && datum_eq(&nh, &t->g_name_hash) &&
			    datum_eq(&kh, &t->g_key_hash) && datum_eq(&sn, &t->g_serial);
		gnutls_free(nh.data);
		gnutls_free(kh.data);
		gnutls_free(sn.data);
		if (match) {
			unsigned st;
			time_t this_upd, next_upd;
			if (gnutls_ocsp_resp_get_single(resp, i, NULL, NULL, NULL, NULL, &st, &this_upd,
							&next_upd, NULL, NULL) == 0)
				res = gnutls_status(st);
			break;
		}
	}
out:
	gnutls_ocsp_resp_deinit(resp);
	return res;
}

static int g_req(const bench_case *bc)
{
	gnutls_ocsp_req_t req;
	gnutls_datum_t d = { (unsigned char *)bc->der, (unsigned)bc->len };
	gnutls_digest_algorithm_t dig;
	gnutls_datum_t nh, kh, sn;
	const target *t = bc->t;
	int res = R_FAIL;

	if (gnutls_ocsp_req_init(&req) < 0)
		return R_FAIL;
	if (gnutls_ocsp_req_import(req, &d) == 0 &&
	    gnutls_ocsp_req_get_cert_id(req, 0, &dig, &nh, &kh, &sn) == 0) {
		if (dig == t->g_digest && datum_eq(&nh, &t->g_name_hash) && datum_eq(&kh, &t->g_key_hash) &&
		    datum_eq(&sn, &t->g_serial))
			res = R_MATCH;
		gnutls_free(nh.data);
		gnutls_free(kh.data);
		gnutls_free(sn.data);
	}
	gnutls_ocsp_req_deinit(req);
	return res;
}

/* ------------------------------------------------------------ libtasn1 */

static int tasn1_decode(const char *type, const uint8_t *der, size_t len, asn1_node *node)
{
	char msg[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	int l = (int)len;
	if (asn1_create_element(tasn1_defs, type, node) != ASN1_SUCCESS)
		return -1;
	/* on failure libtasn1 deletes the structure and clears *node */
	if (asn1_der_decoding2(node, der, &l, ASN1_DECODE_FLAG_STRICT_DER, msg) != ASN1_SUCCESS)
		return -1;
	return l == (int)len ? 0 : -1;
}

static int tasn1_resp(const bench_case *bc)
{
	asn1_node top = NULL, basic = NULL;
	int res = R_FAIL, n = (int)sizeof(tasn1_inner);

	if (tasn1_decode("OCSPKIT.OCSPResponse", bc->der, bc->len, &top) == 0 &&
	    asn1_read_value(top, "responseBytes.response", tasn1_inner, &n) == ASN1_SUCCESS &&
	    tasn1_decode("OCSPKIT.BasicOCSPResponse", tasn1_inner, (size_t)n, &basic) == 0)
		res = R_DECODED;
	asn1_delete_structure(&basic);
	asn1_delete_structure(&top);
	return res;
}

static int tasn1_req(const bench_case *bc)
{
	asn1_node top = NULL;
	int res = tasn1_decode("OCSPKIT.OCSPRequest", bc->der, bc->len, &top) == 0 ? R_DECODED : R_FAIL;
	asn1_delete_structure(&top);
	return res;
}

/* ------------------------------------------------------------ setup */

typedef int (*op_fn)(const bench_case *bc);

static op_fn op_for(int lib, const bench_case *bc)
{
	static const op_fn resp_ops[L__N] = { okit_resp, ossl_resp, g_resp, tasn1_resp };
	static const op_fn req_ops[L__N] = { okit_req, ossl_req, g_req, tasn1_req };
	return bc->is_request ? req_ops[lib] : resp_ops[lib];
}

static int expected(int lib, const bench_case *bc)
{
	if (lib == L_TASN1)
		return R_DECODED;
	return bc->is_request ? R_MATCH : R_GOOD;
}

/* Reads Request number idx of a generated request with each library. */
static void load_target(target *t, const char *dir, int which, unsigned idx)
{
	size_t len;
	uint8_t *der = read_file(dir, req_files[which], &len);

	if (!okit_reqs[which]) {
		size_t off;
		ocspkit_err e = ocspkit_request_decode(&okit_reqs[which], der, len, 0, &off);
		if (e)
			die("ocspkit cannot decode %s", req_files[which]);
	}
	const ocspkit_single_request *one = ocspkit_request_get(okit_reqs[which], idx);
	if (!one)
		die("%s has too few requests", req_files[which]);
	t->okit = one->cert_id;

	const unsigned char *p = der;
	OCSP_REQUEST *req = d2i_OCSP_REQUEST(NULL, &p, (long)len);
	if (!req || OCSP_request_onereq_count(req) <= (int)idx)
		die("OpenSSL cannot read %s", req_files[which]);
	t->ossl = OCSP_CERTID_dup(OCSP_onereq_get0_id(OCSP_request_onereq_get0(req, (int)idx)));
	OCSP_REQUEST_free(req);

	gnutls_ocsp_req_t greq;
	gnutls_datum_t d = { der, (unsigned)len };
	if (gnutls_ocsp_req_init(&greq) < 0 || gnutls_ocsp_req_import(greq, &d) < 0 ||
	    gnutls_ocsp_req_get_cert_id(greq, idx, &t->g_digest, &t->g_name_hash, &t->g_key_hash,
					&t->g_serial) < 0)
		die("GnuTLS cannot read %s", req_files[which]);
	gnutls_ocsp_req_deinit(greq);

	/* The three readings must name the same certificate. */
	ASN1_OCTET_STRING *nh, *kh;
	ASN1_INTEGER *sn;
	ASN1_OBJECT *md;
	if (!t->ossl || !OCSP_id_get0_info(&nh, &md, &kh, &sn, t->ossl) ||
	    !bytes_eq(t->okit.serial, ASN1_STRING_get0_data(sn), (size_t)ASN1_STRING_length(sn)) ||
	    !bytes_eq(t->okit.issuer_name_hash, ASN1_STRING_get0_data(nh), (size_t)ASN1_STRING_length(nh)) ||
	    !bytes_eq(t->okit.issuer_key_hash, ASN1_STRING_get0_data(kh), (size_t)ASN1_STRING_length(kh)) ||
	    !bytes_eq(t->okit.serial, t->g_serial.data, t->g_serial.size) ||
	    !bytes_eq(t->okit.issuer_name_hash, t->g_name_hash.data, t->g_name_hash.size) ||
	    !bytes_eq(t->okit.issuer_key_hash, t->g_key_hash.data, t->g_key_hash.size))
		die("the libraries read different CertIDs from %s", req_files[which]);
	free(der);
}

static void free_target(target *t)
{
	OCSP_CERTID_free(t->ossl);
	gnutls_free(t->g_name_hash.data);
	gnutls_free(t->g_key_hash.data);
	gnutls_free(t->g_serial.data);
}

/* ------------------------------------------------------------ timing */

static long unexpected; /* calls whose result was not the expected one */

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* The loop that is timed, and that callgrind's --toggle-collect names: not
 * inlined so that its inclusive cost is exactly n operations. */
__attribute__((noinline)) double measured_loop(op_fn op, const bench_case *bc, int expect, long n);
__attribute__((noinline)) double measured_loop(op_fn op, const bench_case *bc, int expect, long n)
{
	double t0 = now_ns();
	for (long i = 0; i < n; i++)
		if (op(bc) != expect)
			unexpected++;
	return now_ns() - t0;
}

/* Iterations for about seconds of work; doubles up from 1, which is also
 * the warm-up (caches, lazy initialisation, the allocator's free lists). */
static long calibrate(op_fn op, const bench_case *bc, int expect, double seconds)
{
	long n = 1;
	double t;
	for (;;) {
		t = measured_loop(op, bc, expect, n);
		if (t >= 50e6 || n >= (1L << 40))
			break;
		n *= 2;
	}
	double per = t / (double)n;
	long want = (long)(seconds * 1e9 / per);
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
			"  CASE 1..%u, LIB ocspkit|openssl|gnutls|libtasn1\n",
		(unsigned)N_CASES);
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
				if (strcasecmp(optarg, lib_name[l]) == 0)
					only_lib = l;
			if (only_lib < 0)
				usage();
			break;
		default: usage();
		}
	}
	if (optind + 1 != argc || seconds <= 0 || reps < 1 || reps > 99 || only_case < 0 ||
	    only_case > (int)N_CASES || fixed < 0)
		usage();
	const char *dir = argv[optind];

	char msg[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	if (asn1_array2tree(okit_asn1_tab, &tasn1_defs, msg) != ASN1_SUCCESS)
		die("asn1_array2tree: %s", msg);

	for (size_t i = 0; i < N_CASES; i++) {
		bench_case *bc = &cases[i];
		bc->der = read_file(dir, bc->file, &bc->len);
		load_target(&targets[i], dir, bc->target_req, bc->target_idx);
		bc->t = &targets[i];
	}

	/* Sanity: every library gets every case right before anything is
	 * timed, so that no figure is the cost of an error path. */
	for (size_t i = 0; i < N_CASES; i++) {
		for (int l = 0; l < L__N; l++) {
			int got = op_for(l, &cases[i])(&cases[i]);
			if (got != expected(l, &cases[i])) {
				fprintf(stderr, "bench_decode: %s on case %zu (%s): result %d, expected %d\n",
					lib_name[l], i + 1, cases[i].file, got, expected(l, &cases[i]));
				return 1;
			}
		}
	}

	if (fixed) {
		/* One library, one case, a fixed count: for callgrind. */
		if (!only_case || only_lib < 0)
			usage();
		bench_case *bc = &cases[only_case - 1];
		op_fn op = op_for(only_lib, bc);
		int expect = expected(only_lib, bc);
		double t = measured_loop(op, bc, expect, fixed);
		printf("%s case %d (%s): %ld iterations, %.0f ns/op\n", lib_name[only_lib], only_case,
		       bc->label, fixed, t / (double)fixed);
		return unexpected ? 1 : 0;
	}

	printf("ocspkit %s, %s, GnuTLS %s, libtasn1 %s\n", ocspkit_version(),
	       OpenSSL_version(OPENSSL_VERSION), gnutls_check_version(NULL), asn1_check_version(NULL));
	printf("decode + status lookup + free, ns/op: median of %d x ~%.2f s, CLOCK_MONOTONIC\n\n", reps,
	       seconds);
	printf("%-26s %5s %9s %9s %9s %9s  %8s %8s %8s\n", "case", "bytes", "ocspkit", "OpenSSL", "GnuTLS",
	       "libtasn1", "OpenSSL/", "GnuTLS/", "tasn1/");
	printf("%-26s %5s %9s %9s %9s %9s  %8s %8s %8s\n", "", "", "", "", "", "", "ocspkit", "ocspkit",
	       "ocspkit");
	fflush(stdout);

	for (size_t i = 0; i < N_CASES; i++) {
		bench_case *bc = &cases[i];
		long iters[L__N] = { 0 };
		double samples[L__N][99], median[L__N] = { 0 };

		if (only_case && (int)i + 1 != only_case)
			continue;
		for (int l = 0; l < L__N; l++)
			if (only_lib < 0 || only_lib == l)
				iters[l] = calibrate(op_for(l, bc), bc, expected(l, bc), seconds);
		for (int r = 0; r < reps; r++)
			for (int l = 0; l < L__N; l++)
				if (iters[l])
					samples[l][r] = measured_loop(op_for(l, bc), bc, expected(l, bc), iters[l]) /
							(double)iters[l];
		if (unexpected) {
			fprintf(stderr, "bench_decode: %ld calls returned an unexpected result\n", unexpected);
			return 1;
		}
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
	printf("\nratio > 1: ocspkit is faster.  libtasn1 is decoding alone (no lookup), on\n"
	       "ocspkit's table with ASN1_DECODE_FLAG_STRICT_DER.\n");

	for (size_t i = 0; i < N_CASES; i++) {
		free(cases[i].der);
		free_target(&targets[i]);
	}
	ocspkit_request_free(okit_reqs[0]);
	ocspkit_request_free(okit_reqs[1]);
	asn1_delete_structure(&tasn1_defs);
	return 0;
}
