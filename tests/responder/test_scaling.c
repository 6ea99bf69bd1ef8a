/* Resource bounds that do not depend on a clock: for messages of 1 to
 * thousands of elements (SingleResponses, Requests, index lines), what
 * decoding, printing and parsing allocate stays within a fixed multiple of
 * the input's size, and the number of allocations of a decode does not
 * grow with the input at all.  (Time per element is measured by
 * `make bench-scaling`, with callgrind: timing is not a test.)
 *
 * Counts come from the library's allocation hooks (okit_alloc_fail_at,
 * okit_alloc_requested); the responder's index parser uses libc, and is
 * measured with glibc's mallinfo2 where that exists. */
#include <config.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "tests/lib/check.h"
#include "responder/index.h"
#include "scaling_inputs.h"

/* What any decode may ask for: this many octets per input octet, plus a
 * fixed allowance (the object headers). */
#define OCTETS_PER_OCTET 8
#define FIXED_ALLOWANCE 4096
#define MAX_DECODE_ALLOCATIONS 2

static const size_t sizes[] = { 1, 8, 64, 512, 1024, 4096, OCSPKIT_MAX_SINGLE_RESPONSES };

typedef struct {
	long allocations, octets;
} usage;

static void usage_start(void)
{
	(void)okit_alloc_fail_at(0);
}

static usage usage_stop(void)
{
	usage u;
	u.octets = okit_alloc_requested();
	u.allocations = okit_alloc_fail_at(0);
	return u;
}

static void within(const char *what, size_t n, usage u, size_t input, long max_allocations)
{
	int ok = u.octets <= (long)(OCTETS_PER_OCTET * input + FIXED_ALLOWANCE) &&
		 (max_allocations < 0 || u.allocations <= max_allocations);
	CHECK(ok);
	printf("%-22s n=%5zu  input %8zu octets  %3ld allocations  %9ld octets (%.2f per input octet)%s\n", what, n,
	       input, u.allocations, u.octets, (double)u.octets / (double)input, ok ? "" : "  OVER THE BOUND");
}

static void responses(void)
{
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k], len;
		ocspkit_err e;
		uint8_t *der = response_with(n, &len, &e);
		ocspkit_response *r = NULL;
		char *text = NULL;
		if (!der)
			abort();

		usage_start();
		CHECK_OK(ocspkit_response_decode(&r, der, len, OCSPKIT_DECODE_STRICT, NULL));
		within("response decode", n, usage_stop(), len, MAX_DECODE_ALLOCATIONS);
		CHECK(r && ocspkit_response_get_single_count(r) == n);

		/* every lookup of a present CertID is found (the last one too) */
		if (r) {
			const ocspkit_single_response *found = NULL;
			CHECK_OK(ocspkit_response_find(&found, r, &ocspkit_response_get_single(r, n - 1)->cert_id));
			CHECK(found == ocspkit_response_get_single(r, n - 1));
		}

		/* re-encoding gives the same bytes, in memory proportional to them */
		if (r) {
			ocspkit_response_tbs d;
			uint8_t *tbs = NULL;
			size_t tbs_len = 0;
			CHECK_OK(ocspkit_response_get_tbs(&d, r));
			usage_start();
			CHECK_OK(ocspkit_response_tbs_encode(&tbs, &tbs_len, &d));
			within("response data encode", n, usage_stop(), len, -1);
			ocspkit_bytes want = { NULL, 0 };
			CHECK_OK(ocspkit_response_get_tbs_der(&want, r));
			CHECK(tbs && tbs_len == want.len && memcmp(tbs, want.data, tbs_len) == 0);
			ocspkit_free(tbs);
		}

		/* the printer's text and what it allocates grow with the input */
		usage_start();
		CHECK_OK(ocspkit_response_print(&text, r));
		usage u = usage_stop();
		size_t text_len = text ? strlen(text) : 0;
		/* a doubling buffer asks for at most twice what it ends with, per
		 * doubling: 4x the text in all */
		int text_ok = text_len <= 64 * len && u.octets <= (long)(4 * (text_len + 1) + FIXED_ALLOWANCE);
		CHECK(text_ok);
		printf("%-22s n=%5zu  text %9zu octets (%.1f per input octet), %ld allocations, %ld octets asked%s\n",
		       "response print", n, text_len, (double)text_len / (double)len, u.allocations, u.octets,
		       text_ok ? "" : "  OVER THE BOUND");
		ocspkit_free(text);
		ocspkit_response_free(r);
		ocspkit_free(der);
	}
	/* one more than the decoder takes is not encoded either */
	size_t len;
	ocspkit_err e;
	CHECK(response_with(OCSPKIT_MAX_SINGLE_RESPONSES + 1, &len, &e) == NULL);
	CHECK(e == OCSPKIT_E_LIMIT_SINGLE_RESPONSES);
}

static void requests(void)
{
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]) && sizes[k] <= OCSPKIT_MAX_REQUESTS; k++) {
		size_t n = sizes[k], len;
		uint8_t *der = request_with(n, &len);
		ocspkit_request *q = NULL;
		usage_start();
		CHECK_OK(ocspkit_request_decode(&q, der, len, OCSPKIT_DECODE_STRICT, NULL));
		within("request decode", n, usage_stop(), len, MAX_DECODE_ALLOCATIONS);
		ocspkit_request_tbs tbs;
		if (q) {
			uint8_t *again = NULL;
			size_t again_len = 0;
			ocspkit_request_get_tbs(&tbs, q);
			CHECK(tbs.request_count == n);
			usage_start();
			CHECK_OK(ocspkit_request_encode(&again, &again_len, &tbs, NULL));
			within("request encode", n, usage_stop(), len, -1);
			CHECK(again && again_len == len && memcmp(again, der, len) == 0);
			ocspkit_free(again);
		}
		ocspkit_request_free(q);
		ocspkit_free(der);
	}
}

static void index_lines(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k] * 8, len;
		char *text = index_with(n, &len);
		rsp_index *idx = NULL;
		struct mallinfo2 before = mallinfo2();
		CHECK_OK(rsp_index_parse(&idx, (const uint8_t *)text, len, NULL));
		struct mallinfo2 after = mallinfo2();
		/* in use: small chunks plus mmap'd ones */
		size_t in_before = before.uordblks + before.hblkhd, in_after = after.uordblks + after.hblkhd;
		size_t held = in_after > in_before ? in_after - in_before : 0;
		CHECK(idx && rsp_index_count(idx) == n);
		if (in_after == 0) {
			/* ASan and valgrind replace malloc, and mallinfo2 sees
			 * nothing: the plain build measures this */
			printf("index parse: not measured (mallinfo2 sees no heap under this allocator)\n");
			rsp_index_free(idx);
			free(text);
			break;
		}
		/* what the parsed index keeps: entries and a pool of serials */
		int ok = held <= OCTETS_PER_OCTET * len + FIXED_ALLOWANCE;
		CHECK(ok);
		printf("%-22s n=%5zu  input %8zu octets  %9zu octets held (%.2f per input octet)%s\n", "index parse", n, len,
		       held, (double)held / (double)len, ok ? "" : "  OVER THE BOUND");
		rsp_index_free(idx);
		free(text);
	}
#else
	printf("index parse: not measured (no mallinfo2 in this C library)\n");
#endif
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	responses();
	requests();
	index_lines();
	CHECK_DONE();
}
