/* The client's answer handling (client/staple.c): what `ocspkit fetch` and
 * `ocspkit staple` do with an HTTP answer from a responder, with the fixed
 * PKI of staple_fixture.h and a fixed clock.
 *
 * Input: a 5-octet header, then the body.
 *   [0] HTTP status: 0-3 200, then 404, 500, 302, none (0)
 *   [1] Content-Type: 0-2 application/ocsp-response, then with a
 *       parameter, in capitals, text/html, application/ocsp-request, absent
 *   [2] the staple in place: none, a good one (CA-signed), a revoked one
 *       (delegated), or the body itself
 *   [3] the clock: STAPLE_FX_NOW plus this many hours (signed octet)
 *   [4] bit 0: the nonce STAPLE_FX_NONCE was sent; bit 1: the responder
 *       certificate is trusted directly; bit 2: tolerant decoding
 *
 * Oracles:
 *  - the HTTP verdict is what status, type and length say;
 *  - an answer is usable only if it decodes, is successful, was signed
 *    by an accepted signer, answers for the leaf's CertID (looked up
 *    independently) with thisUpdate not ahead of the clock beyond the
 *    skew and nextUpdate, if any, still ahead;
 *  - examining twice gives the same verdict;
 *  - a staple is written only when the answer is usable, not "unknown",
 *    and the staple in place is unusable or older (or as old and not
 *    revoked while the answer is); never over itself;
 *  - the refresh time lies between thisUpdate and well before nextUpdate,
 *    retries lie ahead of the clock and within the backoff bound.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "staple_fixture.h"
#include "client/staple.h"

#define HEADER 5
#define CAP 16384
#define SKEW 300

static staple_fx fx;
static uint8_t *good_der, *revoked_der;
static size_t good_len, revoked_len;

static void cleanup(void)
{
	ocspkit_free(good_der);
	ocspkit_free(revoked_der);
	staple_fx_free(&fx);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	staple_fx_spec s;
	if (staple_fx_load(&fx)) {
		fprintf(stderr, "staple_fuzzer: the fixture does not load\n");
		abort();
	}
	memset(&s, 0, sizeof(s));
	s.this_update = -6 * STAPLE_FX_HOUR;
	s.next_update = 18 * STAPLE_FX_HOUR;
	good_der = staple_fx_sign(&fx, &s, &good_len);
	s.status = OCSPKIT_CERT_REVOKED;
	s.delegated = 1;
	revoked_der = staple_fx_sign(&fx, &s, &revoked_len);
	if (!good_der || !revoked_der)
		abort();
	atexit(cleanup);
	return 0;
}

static const long statuses[8] = { 200, 200, 200, 200, 404, 500, 302, 0 };
static const char *const types[8] = {
	"application/ocsp-response", "application/ocsp-response", "application/ocsp-response",
	"application/ocsp-response; charset=binary", "APPLICATION/OCSP-RESPONSE", "text/html",
	"application/ocsp-request", NULL
};

static int same_info(const staple_info *a, const staple_info *b)
{
	return a->state == b->state && a->err == b->err && a->has_single == b->has_single && a->status == b->status &&
	       a->this_update == b->this_update && a->next_update == b->next_update &&
	       a->has_next_update == b->has_next_update && a->produced_at == b->produced_at && a->signer == b->signer;
}

/* Independent look at a usable answer: the leaf's CertID in the hash the
 * answer uses is found with the same status. */
static void check_usable(const staple_info *in, const staple_ctx *ctx)
{
	ORACLE(in->resp && ocspkit_response_get_status(in->resp) == OCSPKIT_RESPONSE_SUCCESSFUL && in->has_single,
	       "usable without a successful response");
	ORACLE(in->signer != OCSPKIT_SIGNER_NONE, "usable without a signer");
	ORACLE(in->this_update <= ctx->now + ctx->skew, "usable with thisUpdate ahead of the clock");
	ORACLE(!in->has_next_update || in->next_update > ctx->now, "usable past nextUpdate");
	ORACLE(in->err == OCSPKIT_OK && in->validate_err == OCSPKIT_OK, "usable with an error");
	const ocspkit_single_response *s = in->result.single, *found = NULL;
	ORACLE(s != NULL, "usable without a SingleResponse");
	if (!s)
		return;
	ocspkit_cert_id_value v;
	if (CALL(ocspkit_cert_id_for_cert(&v, s->cert_id.hash, fx.ca, fx.leaf)) != OCSPKIT_OK)
		return;
	ocspkit_cert_id id = ocspkit_cert_id_value_view(&v);
	ocspkit_err e = CALL(ocspkit_response_find(&found, in->resp, &id));
	ORACLE(e == OCSPKIT_OK && found && found->status == in->status, "the leaf's CertID is not answered: %s",
	       ocspkit_strerror_name(e));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < HEADER)
		return 0;
	if (!good_der)
		LLVMFuzzerInitialize(NULL, NULL);
	long status = statuses[data[0] & 7];
	const char *type = types[data[1] & 7];
	unsigned which = data[2] & 3;
	int64_t now = STAPLE_FX_NOW + (int64_t)(int8_t)data[3] * STAPLE_FX_HOUR;
	unsigned flags = data[4];
	const uint8_t *body = data + HEADER;
	size_t len = size - HEADER;

	/* the HTTP verdict */
	staple_http_verdict hv = staple_check_http(status, type, len, CAP);
	int type_ok = (data[1] & 7) <= 4;
	staple_http_verdict want = status != 200 ? STAPLE_HTTP_STATUS
				   : !type_ok    ? STAPLE_HTTP_CONTENT_TYPE
				   : len == 0    ? STAPLE_HTTP_EMPTY
				   : len > CAP   ? STAPLE_HTTP_TOO_LARGE
						 : STAPLE_HTTP_OK;
	ORACLE(hv == want, "HTTP verdict %d, expected %d", (int)hv, (int)want);
	fuzz_trace_mix(&hv, sizeof(hv));

	staple_ctx ctx;
	const ocspkit_cert *trusted[1] = { fx.responder };
	memset(&ctx, 0, sizeof(ctx));
	ctx.issuer = fx.ca;
	ctx.cert = fx.leaf;
	ctx.now = now;
	ctx.skew = SKEW;
	if (flags & 1)
		ctx.nonce = (ocspkit_bytes){ (const uint8_t *)STAPLE_FX_NONCE, STAPLE_FX_NONCE_LEN };
	if (flags & 2) {
		ctx.trusted = trusted;
		ctx.trusted_count = 1;
	}
	if (flags & 4)
		ctx.flags = FUZZ_ALL_FLAGS;

	/* the staple in place */
	staple_info cur, cand, again;
	ocspkit_bytes cur_der = { NULL, 0 };
	int have_cur = 0;
	memset(&cur, 0, sizeof(cur));
	memset(&cand, 0, sizeof(cand));
	memset(&again, 0, sizeof(again));
	if (which == 1)
		cur_der = (ocspkit_bytes){ good_der, good_len };
	else if (which == 2)
		cur_der = (ocspkit_bytes){ revoked_der, revoked_len };
	else if (which == 3)
		cur_der = (ocspkit_bytes){ body, len };
	if (which) {
		/* a staple on disk is judged without the nonce of this exchange */
		staple_ctx at_rest = ctx;
		at_rest.nonce = (ocspkit_bytes){ NULL, 0 };
		if (CALL(staple_examine(&cur, &at_rest, cur_der.data, cur_der.len)) != OCSPKIT_OK)
			return 0;
		have_cur = 1;
		if (cur.state == STAPLE_USABLE)
			check_usable(&cur, &at_rest);
	}

	staple_reason why;
	staple_action act;
	if (hv != STAPLE_HTTP_OK) {
		act = staple_decide(&why, have_cur ? &cur : NULL, cur_der, NULL, (ocspkit_bytes){ NULL, 0 });
		ORACLE(act == STAPLE_KEEP && why == STAPLE_WHY_CANDIDATE_BAD, "no answer, yet %d", (int)why);
		goto out;
	}

	if (CALL(staple_examine(&cand, &ctx, body, len)) != OCSPKIT_OK)
		goto out;
	fuzz_trace_mix(&cand.state, sizeof(cand.state));
	fuzz_trace_mix(&cand.err, sizeof(cand.err));

	/* malformed exactly when the decoder refuses */
	ocspkit_response *r = NULL;
	ocspkit_err de = CALL(ocspkit_response_decode(&r, body, len, ctx.flags, NULL));
	ocspkit_response_free(r);
	if (de == OCSPKIT_E_NO_MEMORY)
		goto out;
	ORACLE((de != OCSPKIT_OK) == (cand.state == STAPLE_MALFORMED), "decode %s, state %s", ocspkit_strerror_name(de),
	       staple_state_text(cand.state));
	if (cand.state == STAPLE_USABLE)
		check_usable(&cand, &ctx);
	if (cand.state == STAPLE_NOT_SUCCESSFUL)
		ORACLE(cand.resp && cand.response_status != OCSPKIT_RESPONSE_SUCCESSFUL, "not successful, yet successful");

	if (CALL(staple_examine(&again, &ctx, body, len)) != OCSPKIT_OK)
		goto out;
	ORACLE(same_info(&cand, &again), "a second look differs");

	act = staple_decide(&why, have_cur ? &cur : NULL, cur_der, &cand, (ocspkit_bytes){ body, len });
	fuzz_trace_mix(&act, sizeof(act));
	if (act == STAPLE_WRITE) {
		ORACLE(cand.state == STAPLE_USABLE && cand.status != OCSPKIT_CERT_UNKNOWN, "wrote an unusable answer");
		ORACLE(which != 3, "wrote the staple over itself");
		if (have_cur && cur.state == STAPLE_USABLE)
			ORACLE(cand.this_update > cur.this_update ||
				       (cand.this_update == cur.this_update && cand.produced_at > cur.produced_at) ||
				       (cand.this_update == cur.this_update && cand.produced_at == cur.produced_at &&
					cand.status == OCSPKIT_CERT_REVOKED && cur.status != OCSPKIT_CERT_REVOKED),
			       "replaced a usable staple by one that is not newer");
	} else {
		ORACLE(cand.state != STAPLE_USABLE || cand.status == OCSPKIT_CERT_UNKNOWN ||
			       (have_cur && cur.state == STAPLE_USABLE),
		       "kept nothing over a usable answer (%s)", staple_reason_text(why));
		if (why == STAPLE_WHY_SAME)
			ORACLE(cur_der.len == len && memcmp(cur_der.data, body, len) == 0, "same, yet different bytes");
	}

	/* when next */
	staple_policy pol;
	staple_policy_default(&pol);
	uint64_t seed = staple_seed(body, len);
	if (cand.state == STAPLE_USABLE) {
		int64_t t = staple_refresh_time(&cand, &pol, seed);
		ORACLE(t >= cand.this_update, "refresh before thisUpdate");
		if (cand.has_next_update && cand.next_update > cand.this_update) {
			int64_t v = cand.next_update - cand.this_update;
			int64_t margin = pol.margin < v / 4 ? pol.margin : v / 4;
			ORACLE(t <= cand.next_update - margin, "refresh too close to nextUpdate");
		}
	}
	for (unsigned f = 1; f <= 12; f += 5) {
		int64_t t = staple_retry_time(have_cur ? &cur : NULL, &pol, now, f, seed);
		ORACLE(t > now && t <= now + pol.retry_max + pol.retry_max / 8, "retry at now%+lld", (long long)(t - now));
	}
out:
	staple_info_clear(&cur);
	staple_info_clear(&cand);
	staple_info_clear(&again);
	return 0;
}
