/* The responder's request path without a socket (responder/route.c, and
 * through the answerer interface answer.c, cache.c, ca.c and the index
 * source): HTTP method, path, headers and body in; status, headers and
 * body out, against the fixed responder of responder_fixture.h.
 *
 * Input: an HTTP request as text, roughly as it comes off the wire:
 *
 *   METHOD SP PATH LF
 *   Name: value LF          (Content-Type, If-None-Match, If-Modified-Since)
 *   LF
 *   body (any octets)
 *
 * Oracles:
 *  - the status is one route.h lists; an OCSP answer decodes strictly;
 *  - a successful answer verifies (signature, delegated responder) and
 *    states for each CertID exactly what the index says of its serial
 *    (good for V and E, revoked with the index's time for R, unknown
 *    otherwise);
 *  - caching headers: max-age, Last-Modified, Expires, ETag exactly for
 *    successful answers without nonce, no-store for everything else;
 *  - asking again gives the same bytes (from the cache, or signed again
 *    deterministically), and a GET naming the ETag gets 304 without body.
 * Each input gets a fresh cache, so that runs do not depend on each other.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "responder_fixture.h"

static rfx fx;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	rfx_init(&fx);
	return 0;
}

static char *copy_str(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, p, n);
	s[n] = 0;
	return s;
}

/* What the index says of a serial. */
static ocspkit_cert_status index_status(ocspkit_bytes serial, int64_t *revoked_at)
{
	rsp_snapshot *snap = rsp_ca_acquire(&fx.cas[0]);
	rsp_status st;
	if (!snap || rsp_ca_lookup(&fx.cas[0], snap, serial, &st) != OCSPKIT_OK)
		abort();
	*revoked_at = st.revocation_time;
	rsp_snapshot_release(snap);
	return (ocspkit_cert_status)st.status;
}

static void check_answer(const rsp_http_resp *r)
{
	ocspkit_response *resp = NULL;
	size_t off;
	const rsp_answer *a = &r->answer;
	ocspkit_err e = CALL(ocspkit_response_decode(&resp, r->body, r->body_len, OCSPKIT_DECODE_STRICT, &off));
	ORACLE(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY, "our own response does not decode: %s at %zu",
	       ocspkit_strerror_name(e), off);
	if (e != OCSPKIT_OK)
		return;
	ORACLE(ocspkit_response_get_status(resp) == a->status, "status %d, answer says %d",
	       ocspkit_response_get_status(resp), a->status);
	if (a->status == OCSPKIT_RESPONSE_SUCCESSFUL) {
		ocspkit_validate_params p;
		ocspkit_validate_result res;
		memset(&p, 0, sizeof(p));
		p.issuer = fx.ca;
		p.now = RFX_NOW;
		e = CALL(ocspkit_response_validate(&res, resp, &p));
		ocspkit_validate_result_clear(&res);
		ORACLE(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY, "our own response does not validate: %s",
		       ocspkit_strerror_name(e));
		ORACLE(ocspkit_response_get_single_count(resp) == a->count, "%zu answers for %zu CertIDs", ocspkit_response_get_single_count(resp),
		       a->count);
		for (size_t i = 0; i < ocspkit_response_get_single_count(resp); i++) {
			const ocspkit_single_response *s = ocspkit_response_get_single(resp, i);
			int64_t at = 0;
			ocspkit_cert_status want = index_status(s->cert_id.serial, &at);
			ORACLE(s->status == want, "CertID %zu: %s, the index says %s", i, ocspkit_cert_status_name(s->status),
			       ocspkit_cert_status_name(want));
			ORACLE(s->status != OCSPKIT_CERT_REVOKED || s->revocation_time == at, "revocation time");
			ORACLE(s->this_update == RFX_NOW && s->has_next_update && s->next_update == RFX_NOW + RFX_VALIDITY,
			       "validity");
		}
		ocspkit_bytes nonce;
		ORACLE((ocspkit_response_get_nonce(&nonce, resp) == OCSPKIT_OK) == (a->nonce != 0), "nonce echo");
		ORACLE(a->cacheable == !a->nonce, "cacheable");
	} else {
		ORACLE(!a->cacheable && r->body_len == 5, "an error status");
	}
	if (a->cacheable) {
		ORACLE(strncmp(r->cache_control, "max-age=", 8) == 0 && r->etag[0] && r->expires[0] && r->last_modified[0],
		       "cacheable answer without caching headers: '%s'", r->cache_control);
		/* an unknown must not be pinned by caches: it may turn into
		 * revoked at the next reload */
		int unknown = 0;
		for (size_t i = 0; i < ocspkit_response_get_single_count(resp); i++)
			unknown |= ocspkit_response_get_single(resp, i)->status == OCSPKIT_CERT_UNKNOWN;
		ORACLE(!unknown || strtol(r->cache_control + 8, NULL, 10) <= RFX_UNKNOWN_MAX_AGE,
		       "an unknown cacheable for long: '%s'", r->cache_control);
	} else {
		ORACLE(strcmp(r->cache_control, "no-store") == 0 && !r->etag[0], "uncacheable answer: '%s'", r->cache_control);
	}
	ocspkit_response_free(resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rsp_http_req rq;
	rsp_http_resp r1, r2;
	const uint8_t *end = data + size;
	char *method, *path, *ctype = NULL, *inm = NULL, *ims = NULL;

	memset(&rq, 0, sizeof(rq));
	/* the request line */
	const uint8_t *nl = memchr(data, '\n', size);
	const uint8_t *le = nl ? nl : end;
	const uint8_t *sp = memchr(data, ' ', (size_t)(le - data));
	method = copy_str(data, (size_t)((sp ? sp : le) - data));
	path = sp ? copy_str(sp + 1, (size_t)(le - sp - 1)) : copy_str((const uint8_t *)"/", 1);
	/* headers, then the body */
	const uint8_t *p = nl ? nl + 1 : end;
	while (p < end && *p != '\n') {
		const uint8_t *e = memchr(p, '\n', (size_t)(end - p));
		const uint8_t *he = e ? e : end;
		const uint8_t *colon = memchr(p, ':', (size_t)(he - p));
		if (colon) {
			const uint8_t *v = colon + 1;
			while (v < he && *v == ' ')
				v++;
			size_t nlen = (size_t)(colon - p);
			char **slot = nlen == 12 && strncasecmp((const char *)p, "Content-Type", 12) == 0    ? &ctype
				      : nlen == 13 && strncasecmp((const char *)p, "If-None-Match", 13) == 0 ? &inm
				      : nlen == 17 && strncasecmp((const char *)p, "If-Modified-Since", 17) == 0 ? &ims
														   : NULL;
			if (slot) {
				free(*slot);
				*slot = copy_str(v, (size_t)(he - v));
			}
		}
		p = e ? e + 1 : end;
	}
	if (p < end)
		p++; /* the empty line */
	size_t body_len = (size_t)(end - p);
	uint8_t *body = malloc(body_len ? body_len : 1);
	if (!body)
		abort();
	memcpy(body, p, body_len);

	rq.method = method;
	rq.path = path;
	rq.path_len = strlen(path);
	rq.body = body;
	rq.body_len = body_len;
	rq.content_type = ctype;
	rq.if_none_match = inm;
	rq.if_modified_since = ims;

	if (CALL(rsp_cache_new(&fx.r.cache, 64)) != OCSPKIT_OK)
		abort();
	ocspkit_err e1 = CALL(rsp_route(&r1, &fx.answerer, &fx.route, &rq, RFX_NOW));
	unsigned st = r1.status;
	ORACLE(st == 200 || st == 304 || st == 400 || st == 404 || st == 405 || st == 413 || st == 414 || st == 415,
	       "HTTP %u", st);
	/* 400: a GET path that is not a request, ending in one under another path */
	ORACLE(st != 400 || ((strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) && strstr(r1.note, "--path /")),
	       "400 without a --path hint");
	ORACLE(st != 304 || (r1.body_len == 0 && r1.is_ocsp && r1.answer.cacheable), "304");
	ORACLE(r1.content_type && r1.cache_control[0], "headers");
	if (st == 200 && r1.is_ocsp)
		check_answer(&r1);
	if (!r1.is_ocsp)
		ORACLE(strcmp(r1.cache_control, "no-store") == 0, "HTTP errors are not cacheable");

	/* again: the same answer */
	ocspkit_err e2 = CALL(rsp_route(&r2, &fx.answerer, &fx.route, &rq, RFX_NOW));
	if (e1 == OCSPKIT_OK && e2 == OCSPKIT_OK) {
		ORACLE(r2.status == st, "second answer %u, first %u", r2.status, st);
		SAME("the same request twice", r1.body, r1.body_len, r2.body, r2.body_len);
		ORACLE(strcmp(r1.etag, r2.etag) == 0, "ETag changed");
	}
	rsp_http_resp_clear(&r2);

	/* a conditional GET naming its ETag */
	if (e1 == OCSPKIT_OK && r1.etag[0] && (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)) {
		rsp_http_req c = rq;
		c.if_none_match = r1.etag;
		c.if_modified_since = NULL;
		if (CALL(rsp_route(&r2, &fx.answerer, &fx.route, &c, RFX_NOW + 1)) == OCSPKIT_OK)
			ORACLE(r2.status == 304 && r2.body_len == 0, "If-None-Match with the ETag: %u", r2.status);
		rsp_http_resp_clear(&r2);
	}
	rsp_http_resp_clear(&r1);
	rsp_cache_free(fx.r.cache);
	fx.r.cache = NULL;
	free(body);
	free(method);
	free(path);
	free(ctype);
	free(inm);
	free(ims);
	return 0;
}
