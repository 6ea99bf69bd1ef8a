/* Stapling decisions (staple.h): pure functions of their inputs and a
 * clock, shared by the fetch, the staple upkeep, tests/client/test_staple.c and
 * fuzz/staple_fuzzer.c. */
#include <config.h>

#include <string.h>
#include <strings.h>

#include "common/util.h"
#include "staple.h"

/* ---------------------------------------------------------------- HTTP answer */

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* media-type = type "/" subtype *( OWS ";" OWS parameter ) (RFC 9110 8.3.1):
 * the type is compared case-insensitively and anything after it must
 * start a parameter. */
static int is_ocsp_response_type(const char *ct)
{
	static const char want[] = "application/ocsp-response";
	const size_t n = sizeof(want) - 1;
	if (!ct)
		return 0;
	while (is_space(*ct))
		ct++;
	if (strncasecmp(ct, want, n) != 0)
		return 0;
	ct += n;
	while (is_space(*ct))
		ct++;
	return *ct == '\0' || *ct == ';';
}

staple_http_verdict staple_check_http(long status, const char *content_type, size_t len, size_t cap)
{
	if (status != 200)
		return STAPLE_HTTP_STATUS;
	if (!is_ocsp_response_type(content_type))
		return STAPLE_HTTP_CONTENT_TYPE;
	if (len == 0)
		return STAPLE_HTTP_EMPTY;
	if (len > cap)
		return STAPLE_HTTP_TOO_LARGE;
	return STAPLE_HTTP_OK;
}

const char *staple_http_verdict_text(staple_http_verdict v)
{
	switch (v) {
	case STAPLE_HTTP_OK: return "ok";
	case STAPLE_HTTP_STATUS: return "HTTP status is not 200";
	case STAPLE_HTTP_CONTENT_TYPE: return "Content-Type is not application/ocsp-response";
	case STAPLE_HTTP_EMPTY: return "empty body";
	case STAPLE_HTTP_TOO_LARGE: return "body larger than the size cap";
	}
	return "?";
}

/* ---------------------------------------------------------------- one response */

const char *staple_state_text(staple_state s)
{
	switch (s) {
	case STAPLE_USABLE: return "usable";
	case STAPLE_MALFORMED: return "malformed";
	case STAPLE_NOT_SUCCESSFUL: return "not successful";
	case STAPLE_INVALID: return "invalid";
	case STAPLE_OTHER_CERT: return "about another certificate";
	case STAPLE_EXPIRED: return "expired";
	case STAPLE_NOT_YET_VALID: return "not yet valid";
	case STAPLE_TOO_OLD: return "too old";
	}
	return "?";
}

void staple_info_clear(staple_info *info)
{
	ocspkit_response_free(info->resp);
	memset(info, 0, sizeof(*info));
}

static staple_state state_of(ocspkit_err e)
{
	switch (e) {
	case OCSPKIT_OK: return STAPLE_USABLE;
	case OCSPKIT_E_NOT_SUCCESSFUL: return STAPLE_NOT_SUCCESSFUL;
	case OCSPKIT_E_CERT_ID_NOT_FOUND: return STAPLE_OTHER_CERT;
	case OCSPKIT_E_RESPONSE_EXPIRED: return STAPLE_EXPIRED;
	case OCSPKIT_E_RESPONSE_NOT_YET_VALID: return STAPLE_NOT_YET_VALID;
	case OCSPKIT_E_RESPONSE_TOO_OLD: return STAPLE_TOO_OLD;
	default: return STAPLE_INVALID;
	}
}

ocspkit_err staple_examine(staple_info *info, const staple_ctx *ctx, const uint8_t *der, size_t len)
{
	ocspkit_validate_params p;
	ocspkit_validate_result res;
	ocspkit_err e;

	memset(info, 0, sizeof(*info));
	if (!ctx || !ctx->issuer || !ctx->cert || ctx->now == 0)
		return OCSPKIT_E_INVALID_ARGUMENT;

	e = ocspkit_response_decode(&info->resp, der, len, ctx->flags, &info->err_offset);
	if (e == OCSPKIT_E_NO_MEMORY)
		return e;
	if (e) {
		info->state = STAPLE_MALFORMED;
		info->err = e;
		return OCSPKIT_OK;
	}
	info->response_status = ocspkit_response_get_status(info->resp);

	memset(&p, 0, sizeof(p));
	info->target.cert = ctx->cert;
	p.issuer = ctx->issuer;
	p.trusted = ctx->trusted;
	p.trusted_count = ctx->trusted_count;
	p.targets = &info->target;
	p.target_count = 1;
	p.nonce = ctx->nonce;
	p.now = ctx->now;
	p.skew = ctx->skew;
	p.max_age = ctx->max_age;
	p.cache = ctx->cache;
	p.flags = ctx->flags;
	e = ocspkit_response_validate(&res, info->resp, &p);
	/* the one target's verdict (its answer points into info->resp) and
	 * the signer's */
	if (res.target_count == 1)
		info->result = res.targets[0];
	else
		info->result.error = e;
	info->signer = res.signer;
	info->nocheck = res.nocheck;
	ocspkit_validate_result_clear(&res);
	if (e == OCSPKIT_E_NO_MEMORY || info->result.error == OCSPKIT_E_NO_MEMORY) {
		staple_info_clear(info);
		return OCSPKIT_E_NO_MEMORY;
	}
	info->validate_err = e;
	/* the whole response failed (no signer accepted), or this target did */
	info->err = e ? e : info->result.error;
	info->state = state_of(info->err);

	const ocspkit_single_response *s = info->result.single;
	if (s) {
		info->has_single = 1;
		info->status = s->status;
		info->has_reason = s->status == OCSPKIT_CERT_REVOKED && s->has_revocation_reason;
		info->reason = s->revocation_reason;
		info->revocation_time = s->revocation_time;
		info->this_update = s->this_update;
		info->has_next_update = s->has_next_update;
		info->next_update = s->next_update;
		ocspkit_response_tbs d;
		if (ocspkit_response_get_tbs(&d, info->resp) == OCSPKIT_OK) /* it has answered */
			info->produced_at = d.produced_at;
	}
	/* Validation allows the skew both ways; a staple whose nextUpdate has
	 * passed by our own clock is stale for every client that checks. */
	if (info->state == STAPLE_USABLE && (!s || (s->has_next_update && s->next_update <= ctx->now))) {
		info->state = s ? STAPLE_EXPIRED : STAPLE_OTHER_CERT;
		info->err = s ? OCSPKIT_E_RESPONSE_EXPIRED : OCSPKIT_E_CERT_ID_NOT_FOUND;
	}
	return OCSPKIT_OK;
}

/* ---------------------------------------------------------------- replace or keep */

const char *staple_reason_text(staple_reason r)
{
	switch (r) {
	case STAPLE_WHY_NO_STAPLE: return "no usable staple in place";
	case STAPLE_WHY_NEWER: return "newer than the staple in place";
	case STAPLE_WHY_CANDIDATE_BAD: return "the answer is not usable";
	case STAPLE_WHY_UNKNOWN_STATUS: return "the responder does not know the certificate";
	case STAPLE_WHY_NOT_NEWER: return "the answer is not newer than the staple in place";
	case STAPLE_WHY_SAME: return "the staple in place is the same response";
	case STAPLE_WHY_REVOKED_SAME_TIME: return "as recent as the staple in place, and it says revoked";
	}
	return "?";
}

staple_action staple_decide(staple_reason *why, const staple_info *cur, ocspkit_bytes cur_der,
			    const staple_info *cand, ocspkit_bytes cand_der)
{
	if (!cand || cand->state != STAPLE_USABLE || !cand->has_single) {
		*why = STAPLE_WHY_CANDIDATE_BAD;
		return STAPLE_KEEP;
	}
	if (cand->status == OCSPKIT_CERT_UNKNOWN) {
		*why = STAPLE_WHY_UNKNOWN_STATUS;
		return STAPLE_KEEP;
	}
	if (!cur || cur->state != STAPLE_USABLE || !cur->has_single) {
		*why = STAPLE_WHY_NO_STAPLE;
		return STAPLE_WRITE;
	}
	if (cur_der.len == cand_der.len && (cur_der.len == 0 || memcmp(cur_der.data, cand_der.data, cur_der.len) == 0)) {
		*why = STAPLE_WHY_SAME;
		return STAPLE_KEEP;
	}
	if (cand->this_update > cur->this_update ||
	    (cand->this_update == cur->this_update && cand->produced_at > cur->produced_at)) {
		*why = STAPLE_WHY_NEWER;
		return STAPLE_WRITE;
	}
	if (cand->this_update == cur->this_update && cand->produced_at == cur->produced_at &&
	    cand->status == OCSPKIT_CERT_REVOKED && cur->status != OCSPKIT_CERT_REVOKED) {
		*why = STAPLE_WHY_REVOKED_SAME_TIME;
		return STAPLE_WRITE;
	}
	*why = STAPLE_WHY_NOT_NEWER;
	return STAPLE_KEEP;
}

/* ---------------------------------------------------------------- when */

void staple_policy_default(staple_policy *p)
{
	p->share = 0.5;
	p->jitter = 0.1;
	p->margin = 3600;
	p->no_next_update_refresh = 3600;
	p->retry_min = 60;
	p->retry_max = 3600;
}

static double clamp01(double v)
{
	return v > 0 ? (v < 1 ? v : 1) : 0; /* also maps NaN to 0 */
}

int64_t staple_refresh_time(const staple_info *cur, const staple_policy *p, uint64_t seed)
{
	if (!cur->has_next_update)
		return cur->this_update + (p->no_next_update_refresh > 0 ? p->no_next_update_refresh : 0);
	int64_t v = cur->next_update - cur->this_update;
	if (v <= 0)
		return cur->this_update;
	int64_t due = cur->this_update + (int64_t)((double)v * clamp01(p->share));
	int64_t margin = p->margin > 0 ? p->margin : 0;
	if (margin > v / 4)
		margin = v / 4;
	if (due > cur->next_update - margin)
		due = cur->next_update - margin;
	int64_t window = (int64_t)((double)v * clamp01(p->jitter));
	if (window > 0)
		due -= (int64_t)(seed % (uint64_t)(window + 1));
	if (due < cur->this_update)
		due = cur->this_update;
	return due;
}

int64_t staple_retry_time(const staple_info *cur, const staple_policy *p, int64_t now, unsigned failures,
			  uint64_t seed)
{
	int64_t lo = p->retry_min > 0 ? p->retry_min : 1;
	int64_t hi = p->retry_max > lo ? p->retry_max : lo;
	int64_t delay = lo;
	for (unsigned i = 1; i < failures && delay < hi; i++)
		delay *= 2;
	if (delay > hi)
		delay = hi;
	delay += (int64_t)(seed % (uint64_t)(delay / 8 + 1));
	/* a staple close to its end is retried more often */
	if (cur && cur->state == STAPLE_USABLE && cur->has_next_update && cur->next_update > now &&
	    (cur->next_update - now) / 4 < delay)
		delay = (cur->next_update - now) / 4;
	if (delay < 1)
		delay = 1;
	return now + delay;
}

uint64_t staple_seed(const uint8_t *data, size_t len)
{
	return util_fnv1a(data, len);
}
