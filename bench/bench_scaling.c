/* One operation on an input of n elements, for bench/scaling.sh, which
 * runs it under callgrind at several n and prints the instructions per
 * element: constant per-element cost is linear time.
 *
 *   bench_scaling KIND N     KIND: response-decode, response-print,
 *                            response-find (decode and one lookup),
 *                            request-decode, index-parse,
 *                            response-encode, request-encode (of what
 *                            was decoded before the measured part)
 * The input is built before the measured part; callgrind's
 * --toggle-collect limits the count to measured(). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "responder/index.h"
#include "tests/responder/scaling_inputs.h"

/* For the encode kinds: the input, decoded outside the measured part. */
static ocspkit_response *decoded_response;
static ocspkit_request *decoded_request;

/* What callgrind counts (--toggle-collect=measured). */
__attribute__((noinline)) static int measured(const char *kind, const uint8_t *in, size_t len, size_t n)
{
	int ok = 0;
	uint8_t *der = NULL;
	size_t der_len = 0;
	if (strcmp(kind, "response-encode") == 0) {
		ocspkit_response_tbs d;
		ocspkit_bytes want;
		ok = ocspkit_response_get_tbs(&d, decoded_response) == OCSPKIT_OK &&
		     ocspkit_response_get_tbs_der(&want, decoded_response) == OCSPKIT_OK &&
		     ocspkit_response_tbs_encode(&der, &der_len, &d) == OCSPKIT_OK && d.response_count == n &&
		     der_len == want.len && memcmp(der, want.data, der_len) == 0;
		ocspkit_free(der);
	} else if (strcmp(kind, "request-encode") == 0) {
		ocspkit_request_tbs tbs;
		ocspkit_request_get_tbs(&tbs, decoded_request);
		ok = ocspkit_request_encode(&der, &der_len, &tbs, NULL) == OCSPKIT_OK && tbs.request_count == n &&
		     der_len == len && memcmp(der, in, len) == 0;
		ocspkit_free(der);
	} else if (strcmp(kind, "response-decode") == 0 || strcmp(kind, "response-print") == 0 ||
	    strcmp(kind, "response-find") == 0) {
		ocspkit_response *r = NULL;
		if (ocspkit_response_decode(&r, in, len, OCSPKIT_DECODE_STRICT, NULL) == OCSPKIT_OK) {
			ok = ocspkit_response_get_single_count(r) == n;
			if (kind[9] == 'p') {
				char *text = NULL;
				ok &= ocspkit_response_print(&text, r) == OCSPKIT_OK;
				ocspkit_free(text);
			} else if (kind[9] == 'f') {
				/* the last CertID: a lookup reads every SingleResponse,
				 * since a later one with the same CertID and another
				 * status is a conflict */
				const ocspkit_single_response *found = NULL;
				ok &= ocspkit_response_find(&found, r, &ocspkit_response_get_single(r, n - 1)->cert_id) ==
				      OCSPKIT_OK;
			}
		}
		ocspkit_response_free(r);
	} else if (strcmp(kind, "request-decode") == 0) {
		ocspkit_request *q = NULL;
		ok = ocspkit_request_decode(&q, in, len, OCSPKIT_DECODE_STRICT, NULL) == OCSPKIT_OK;
		ocspkit_request_free(q);
	} else if (strcmp(kind, "index-parse") == 0) {
		rsp_index *idx = NULL;
		ok = rsp_index_parse(&idx, in, len, NULL) == OCSPKIT_OK && rsp_index_count(idx) == n;
		rsp_index_free(idx);
	}
	return ok;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s KIND N\n", argv[0]);
		return 2;
	}
	const char *kind = argv[1];
	size_t n = strtoul(argv[2], NULL, 10), len = 0;
	uint8_t *in;
	ocspkit_err e = OCSPKIT_OK;
	if (strncmp(kind, "response-", 9) == 0)
		in = response_with(n, &len, &e);
	else if (strcmp(kind, "request-decode") == 0 || strcmp(kind, "request-encode") == 0)
		in = request_with(n, &len);
	else if (strcmp(kind, "index-parse") == 0)
		in = (uint8_t *)index_with(n, &len);
	else
		in = NULL;
	if (!in) {
		fprintf(stderr, "%s %zu: no input (%s)\n", kind, n, ocspkit_strerror_name(e));
		return 2;
	}
	if ((strcmp(kind, "response-encode") == 0 &&
	     ocspkit_response_decode(&decoded_response, in, len, OCSPKIT_DECODE_STRICT, NULL) != OCSPKIT_OK) ||
	    (strcmp(kind, "request-encode") == 0 &&
	     ocspkit_request_decode(&decoded_request, in, len, OCSPKIT_DECODE_STRICT, NULL) != OCSPKIT_OK)) {
		fprintf(stderr, "%s %zu: the input does not decode\n", kind, n);
		return 2;
	}
	int ok = measured(kind, in, len, n);
	ocspkit_response_free(decoded_response);
	ocspkit_request_free(decoded_request);
	printf("%s n=%zu input=%zu ok=%d\n", kind, n, len, ok);
	free(in);
	return ok ? 0 : 1;
}
