/* The caching proxy (responder/upstream.c, `ocspkit serve --upstream`):
 * what it does with the bytes an upstream responder sends back, for the
 * CA of responder_fixture.h, with a fake upstream and a fixed clock.
 *
 * Input: a 2-octet header, then the upstream's answer body.
 *   [0] bits 0-1: the client's request: one CertID (SHA-1, serial 1001),
 *       one CertID (SHA-256, parameters absent, serial 1002), one CertID
 *       with a nonce (passed through), two CertIDs (passed through);
 *       bit 2: warm: the cache already holds a good answer (thisUpdate
 *       half an hour before the clock's origin, valid an hour) and the body
 *       arrives through the background refresh;
 *       bit 3: the request is taken from the input instead: a 2-octet
 *       big-endian length after the header, then the request, then the body
 *   [1] the clock: RFX_NOW plus this many minutes (signed octet)
 *
 * Oracles (the body's validity is judged independently through the
 * public API: a successful response that validates for every CertID of
 * the request at the clock, nextUpdate still ahead, and carries the
 * request's nonce or none: responders may ignore nonces, RFC 8954):
 *  - a request that does not decode is malformedRequest, one about another
 *    CA unauthorized, and neither goes upstream;
 *  - a valid body is served byte for byte; anything else is tryLater,
 *    never served, never cached;
 *  - asking again: a cached answer is a hit without a fetch, a failure is
 *    not fetched again within the backoff, a pass-through fetches again;
 *  - warm: the refresh replaces the cached answer only with a valid body
 *    that is not older; otherwise the cached answer goes on being served
 *    until it expires.
 * Allocation failures inside the proxy end as tryLater (its answer to
 * "no valid answer now"), so under the allocation-failure replay only the
 * absence of crashes and leaks is checked for what the proxy returns.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "responder_fixture.h"
#include "responder/upstream.h"

#define HEADER 2
#define WARM_AT (RFX_NOW - 1800)
#define RETRY_MIN 10

static rfx fx;
static rsp_ca proxy_ca[1];
static struct {
	uint8_t *der;
	size_t len;
	uint8_t *warm; /* the fixed responder's answer at WARM_AT */
	size_t warm_len;
} kinds[4];

/* What the fake upstream returns: the warm answer first when warm, then
 * the input's body. */
static struct {
	const uint8_t *body;
	size_t len;
	const uint8_t *first;
	size_t first_len;
	unsigned calls;
} up;

static void cleanup(void)
{
	for (size_t i = 0; i < 4; i++) {
		ocspkit_free(kinds[i].der);
		free(kinds[i].warm);
	}
	rfx_free(&fx);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	static const unsigned one[] = { 0x1001 }, revoked[] = { 0x1002 }, two[] = { 0x1001, 0x1005 };
	rfx_init(&fx);
	if (rsp_ca_init(&proxy_ca[0], fx.ca, NULL, NULL) != OCSPKIT_OK)
		abort();
	kinds[0].der = rfx_request(&kinds[0].len, fx.ca, one, 1, OCSPKIT_HASH_SHA1, 0, 0);
	kinds[1].der = rfx_request(&kinds[1].len, fx.ca, revoked, 1, OCSPKIT_HASH_SHA256, 1, 0);
	kinds[2].der = rfx_request(&kinds[2].len, fx.ca, one, 1, OCSPKIT_HASH_SHA1, 0, 16);
	kinds[3].der = rfx_request(&kinds[3].len, fx.ca, two, 2, OCSPKIT_HASH_SHA1, 0, 0);
	for (size_t i = 0; i < 4; i++)
		kinds[i].warm = rfx_answer(&fx, kinds[i].der, kinds[i].len, WARM_AT, &kinds[i].warm_len);
	atexit(cleanup);
	return 0;
}

static int fake_fetch(void *ctx, const uint8_t *req, size_t len, uint8_t **body, size_t *body_len, char *err,
		      size_t cap)
{
	(void)ctx, (void)req, (void)len, (void)err, (void)cap;
	const uint8_t *b = up.calls == 0 && up.first ? up.first : up.body;
	size_t n = up.calls == 0 && up.first ? up.first_len : up.len;
	up.calls++;
	if (!(*body = malloc(n ? n : 1)))
		abort();
	memcpy(*body, b, n);
	*body_len = n;
	return 0;
}

static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	ORACLE(strlen(line) < 2048, "log line");
}

static int same_bytes(const rsp_answer *a, const uint8_t *p, size_t n)
{
	return a->blob && a->blob->len == n && memcmp(a->blob->der, p, n) == 0;
}

/* The request as the proxy must see it: decodes (strictly), and whether
 * every CertID names the fixture's CA in a way the proxy recognises (a
 * hash it computes, NULL or absent parameters). */
typedef struct {
	int decodes, ours, cached;
	size_t n;
} request_view;

static int names_ca(const ocspkit_cert_id *id)
{
	ocspkit_bytes p = id->hash_algorithm.params;
	if (!(p.len == 0 || (p.len == 2 && p.data[0] == 0x05 && p.data[1] == 0x00)))
		return 0;
	ocspkit_cert_id_value v;
	if (CALL(ocspkit_cert_id_compute(&v, id->hash, fx.ca, id->serial)) != OCSPKIT_OK)
		return 0;
	ocspkit_cert_id c = ocspkit_cert_id_value_view(&v);
	return c.issuer_name_hash.len == id->issuer_name_hash.len && c.issuer_key_hash.len == id->issuer_key_hash.len &&
	       memcmp(c.issuer_name_hash.data, id->issuer_name_hash.data, c.issuer_name_hash.len) == 0 &&
	       memcmp(c.issuer_key_hash.data, id->issuer_key_hash.data, c.issuer_key_hash.len) == 0;
}

/* Whether body is a valid answer to req at now; then *this_update is the
 * first CertID's thisUpdate and *expires when the proxy stops serving it
 * (that CertID's nextUpdate, or an hour after thisUpdate without one). */
static int valid_answer(const ocspkit_request *req, const uint8_t *body, size_t len, int64_t now, int64_t *this_update,
			int64_t *expires)
{
	ocspkit_response *resp = NULL;
	size_t n = ocspkit_request_get_single_count(req);
	ocspkit_validate_target *t = calloc(n, sizeof(*t));
	ocspkit_validate_result res;
	int ok = 0;
	if (!t)
		abort();
	memset(&res, 0, sizeof(res));
	if (CALL(ocspkit_response_decode(&resp, body, len, FUZZ_ALL_FLAGS, NULL)) == OCSPKIT_OK &&
	    ocspkit_response_get_status(resp) == OCSPKIT_RESPONSE_SUCCESSFUL) {
		ocspkit_validate_params p;
		memset(&p, 0, sizeof(p));
		for (size_t i = 0; i < n; i++)
			t[i].cert_id = &ocspkit_request_get_single(req, i)->cert_id;
		p.issuer = fx.ca;
		p.targets = t;
		p.target_count = n;
		p.now = now;
		p.skew = 300;
		p.flags = FUZZ_ALL_FLAGS;
		ocspkit_bytes asked, got;
		int nonce_ok = ocspkit_request_get_nonce(&asked, req) != OCSPKIT_OK ||
			       ocspkit_response_get_nonce(&got, resp) != OCSPKIT_OK ||
			       (got.len == asked.len && memcmp(got.data, asked.data, got.len) == 0);
		if (nonce_ok && CALL(ocspkit_response_validate(&res, resp, &p)) == OCSPKIT_OK) {
			const ocspkit_target_result *r = res.targets;
			ok = 1;
			for (size_t i = 0; i < n; i++)
				if (r[i].single->has_next_update && r[i].single->next_update <= now)
					ok = 0;
			ORACLE(res.signer == OCSPKIT_SIGNER_CA || res.signer == OCSPKIT_SIGNER_DELEGATED,
			       "validated with signer %d and nothing trusted directly", (int)res.signer);
			*this_update = r[0].single->this_update;
			*expires = r[0].single->has_next_update ? r[0].single->next_update : *this_update + 3600;
		}
	}
	ocspkit_validate_result_clear(&res);
	ocspkit_response_free(resp);
	free(t);
	return ok;
}

/* Strict results only outside the allocation-failure replay (see top). */
#define PROXY_ORACLE(cond, ...) ORACLE(fuzz_alloc_failing || (cond), __VA_ARGS__)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < HEADER)
		return 0;
	if (!kinds[0].der)
		LLVMFuzzerInitialize(NULL, NULL);
	unsigned kind = data[0] & 3;
	int warm = (data[0] & 4) && kind < 2, own_request = (data[0] & 8) != 0;
	int64_t now = RFX_NOW + (int64_t)(int8_t)data[1] * 60;
	const uint8_t *rq = kinds[kind].der, *body = data + HEADER;
	size_t rq_len = kinds[kind].len, len = size - HEADER;
	if (own_request) {
		if (len < 2)
			return 0;
		size_t n = (size_t)body[0] << 8 | body[1];
		if (n > len - 2)
			return 0;
		rq = body + 2;
		rq_len = n;
		body += 2 + n;
		len -= 2 + n;
		warm = 0;
	}

	/* the request and the body, judged independently */
	request_view v = { 0, 0, 0, 0 };
	ocspkit_request *req = NULL;
	int valid = 0, valid_later = 0;
	int64_t tu = 0, expires = 0, tu2, expires2;
	if (CALL(ocspkit_request_decode(&req, rq, rq_len, OCSPKIT_DECODE_STRICT, NULL)) == OCSPKIT_OK) {
		ocspkit_bytes nonce;
		v.decodes = 1;
		v.n = ocspkit_request_get_single_count(req);
		v.ours = v.n > 0;
		for (size_t i = 0; i < v.n && v.ours; i++)
			v.ours = names_ca(&ocspkit_request_get_single(req, i)->cert_id);
		v.cached = v.n == 1 && ocspkit_request_get_nonce(&nonce, req) != OCSPKIT_OK;
		if (v.ours) {
			valid = valid_answer(req, body, len, now, &tu, &expires);
			valid_later = valid_answer(req, body, len, now + RETRY_MIN, &tu2, &expires2);
		}
	}

	rsp_upstream_opts o;
	rsp_upstream *u = NULL;
	memset(&o, 0, sizeof(o));
	o.cas = proxy_ca;
	o.n_cas = 1;
	o.fetch = fake_fetch;
	o.retry_min = RETRY_MIN;
	o.retry_max = 4 * RETRY_MIN;
	o.log = log_line;
	memset(&up, 0, sizeof(up));
	up.body = body;
	up.len = len;
	if (CALL(rsp_upstream_new(&u, &o)) != OCSPKIT_OK)
		goto out;

	rsp_answer a;
	if (warm) {
		/* the warm answer is fetched at WARM_AT, asked for again (so that
		 * it is due for refresh), then the refresh brings the body */
		up.first = kinds[kind].warm;
		up.first_len = kinds[kind].warm_len;
		(void)CALL(rsp_upstream_answer(&a, u, rq, rq_len, WARM_AT, 0));
		PROXY_ORACLE(same_bytes(&a, up.first, up.first_len) && a.origin == RSP_ORIGIN_UPSTREAM, "the warm answer is not served");
		rsp_answer_clear(&a);
		(void)CALL(rsp_upstream_answer(&a, u, rq, rq_len, WARM_AT + 1, 0));
		PROXY_ORACLE(same_bytes(&a, up.first, up.first_len) && a.origin != RSP_ORIGIN_UPSTREAM && up.calls == 1, "no hit");
		rsp_answer_clear(&a);
		int due = now >= RFX_NOW && now < RFX_NOW + 1800;
		size_t refreshed = rsp_upstream_refresh(u, now);
		int replace = due && valid && tu >= WARM_AT;
		PROXY_ORACLE(up.calls == 1u + (unsigned)due, "refresh at %+lld s: %u fetches", (long long)(now - RFX_NOW),
			     up.calls);
		PROXY_ORACLE(refreshed == (size_t)replace, "refresh: %zu replaced, expected %d", refreshed, replace);
		unsigned calls = up.calls;
		(void)CALL(rsp_upstream_answer(&a, u, rq, rq_len, now, 0));
		int64_t until = replace ? expires : RFX_NOW + 1800;
		if (now < until) {
			/* still valid: the refreshed or the warm answer, no fetch */
			PROXY_ORACLE(replace ? same_bytes(&a, body, len) : same_bytes(&a, up.first, up.first_len),
				     "after the refresh (replaced %d), the wrong answer is served", replace);
			PROXY_ORACLE(up.calls == calls && a.origin != RSP_ORIGIN_UPSTREAM, "a fetch while the cached answer is valid");
		} else {
			/* expired: fetched again, served only if valid */
			PROXY_ORACLE(up.calls == calls + 1, "an expired entry is not fetched again");
			PROXY_ORACLE(valid ? same_bytes(&a, body, len) && a.status == OCSPKIT_RESPONSE_SUCCESSFUL
					   : a.status == OCSPKIT_RESPONSE_TRY_LATER,
				     "expired entry: status %d, body valid %d", (int)a.status, valid);
		}
		rsp_answer_clear(&a);
		goto out;
	}

	(void)CALL(rsp_upstream_answer(&a, u, rq, rq_len, now, 0));
	ocspkit_response_status want = !v.decodes ? OCSPKIT_RESPONSE_MALFORMED_REQUEST
				       : v.n == 0  ? OCSPKIT_RESPONSE_MALFORMED_REQUEST
				       : !v.ours   ? OCSPKIT_RESPONSE_UNAUTHORIZED
				       : valid     ? OCSPKIT_RESPONSE_SUCCESSFUL
						   : OCSPKIT_RESPONSE_TRY_LATER;
	PROXY_ORACLE(a.status == want, "status %d, expected %d (decodes %d, ours %d, valid %d)", (int)a.status, (int)want,
		     v.decodes, v.ours, valid);
	PROXY_ORACLE(up.calls == (unsigned)v.ours, "%u fetches for a request the proxy %s", up.calls,
		     v.ours ? "serves" : "must refuse");
	if (a.status == OCSPKIT_RESPONSE_SUCCESSFUL)
		PROXY_ORACLE(same_bytes(&a, body, len), "not served byte for byte");
	else
		PROXY_ORACLE(!same_bytes(&a, body, len) || len == 5, "an invalid body is served");
	PROXY_ORACLE(a.cacheable == (a.status == OCSPKIT_RESPONSE_SUCCESSFUL && v.cached), "cacheable %d", a.cacheable);
	rsp_answer_clear(&a);

	/* again at the same time */
	unsigned calls = up.calls;
	(void)CALL(rsp_upstream_answer(&a, u, rq, rq_len, now, 0));
	if (v.ours && v.cached && valid && now < expires)
		PROXY_ORACLE(up.calls == calls && same_bytes(&a, body, len) && a.origin != RSP_ORIGIN_UPSTREAM, "no hit: %u fetches",
			     up.calls - calls);
	else if (v.ours && v.cached && !valid)
		PROXY_ORACLE(up.calls == calls && a.status == OCSPKIT_RESPONSE_TRY_LATER,
			     "within the backoff: %u fetches, status %d", up.calls - calls, (int)a.status);
	else if (v.ours)
		PROXY_ORACLE(up.calls == calls + 1 && (valid ? same_bytes(&a, body, len) : a.status == OCSPKIT_RESPONSE_TRY_LATER),
			     "a pass-through or an expired answer is not fetched again");
	else
		PROXY_ORACLE(up.calls == 0 && a.status == want, "second ask of a refused request");
	rsp_answer_clear(&a);

	if (v.ours && v.cached && !valid) {
		/* past the backoff, a failed entry goes upstream again */
		calls = up.calls;
		(void)CALL(rsp_upstream_answer(&a, u, rq, rq_len, now + RETRY_MIN, 0));
		PROXY_ORACLE(up.calls == calls + 1, "after the backoff: %u fetches", up.calls - calls);
		PROXY_ORACLE(valid_later ? same_bytes(&a, body, len) : a.status == OCSPKIT_RESPONSE_TRY_LATER,
			     "after the backoff: status %d, body valid then %d", (int)a.status, valid_later);
		rsp_answer_clear(&a);
	}
out:
	rsp_upstream_free(u);
	ocspkit_request_free(req);
	return 0;
}
