/* The stapling decisions, as pure functions of their inputs and a clock:
 * is this HTTP answer an OCSP response at all, is this response usable as
 * a staple for this certificate now, should it replace the staple in
 * place, and when is the next refresh due.  No I/O, no global state: the
 * unit test (tests/client/test_staple.c) and the fuzz harness
 * (fuzz/staple_fuzzer.c) drive them with a fixed clock, and the fetch
 * (fetch.h) and the staple upkeep (upkeep.h) act on what they say.
 *
 * Only the public API of libocspkit is used here, so that the harness can
 * link this file with the library alone.
 */
#ifndef OCSPKIT_CLIENT_STAPLE_H
#define OCSPKIT_CLIENT_STAPLE_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

/* ---------------------------------------------------------------- HTTP answer */

/* Largest answer body taken from a responder unless configured otherwise:
 * real responses are a few KB, with certificates rarely above 10 KB. */
#define STAPLE_DEFAULT_MAX_ANSWER (128u * 1024)

typedef enum {
	STAPLE_HTTP_OK = 0,
	STAPLE_HTTP_STATUS,       /* HTTP status other than 200 */
	STAPLE_HTTP_CONTENT_TYPE, /* Content-Type absent or not application/ocsp-response */
	STAPLE_HTTP_EMPTY,        /* no body */
	STAPLE_HTTP_TOO_LARGE     /* body above the cap */
} staple_http_verdict;

/* Checks what HTTP said around an answer: status 200, Content-Type
 * application/ocsp-response (case-insensitive, parameters allowed), a
 * body of 1 .. cap octets.  content_type may be NULL (absent). */
staple_http_verdict staple_check_http(long status, const char *content_type, size_t len, size_t cap);
const char *staple_http_verdict_text(staple_http_verdict v);

/* ---------------------------------------------------------------- one response */

/* What a response is checked against. */
typedef struct {
	const ocspkit_cert *issuer; /* the CA that issued cert (trusted as given) */
	const ocspkit_cert *cert;   /* the certificate the staple is for */
	const ocspkit_cert *const *trusted; /* responders trusted directly (--CAfile) */
	size_t trusted_count;
	ocspkit_bytes nonce;        /* the nonce sent, empty when none */
	int64_t now;                /* the clock, seconds since the epoch (never 0) */
	int64_t skew;               /* allowed clock difference for thisUpdate */
	int64_t max_age;            /* > 0: oldest thisUpdate without nextUpdate */
	unsigned flags;             /* OCSPKIT_DECODE_* */
	ocspkit_responder_cache *cache; /* optional */
} staple_ctx;

typedef enum {
	STAPLE_USABLE = 0,      /* authentic, current, about this certificate */
	STAPLE_MALFORMED,       /* not a decodable OCSP response */
	STAPLE_NOT_SUCCESSFUL,  /* responseStatus is not successful (tryLater ...) */
	STAPLE_INVALID,         /* signature, signer, nonce, critical extension ... */
	STAPLE_OTHER_CERT,      /* does not answer for this certificate */
	STAPLE_EXPIRED,         /* nextUpdate is past (no skew allowed: clients will judge it later still) */
	STAPLE_NOT_YET_VALID,   /* thisUpdate in the future beyond the skew */
	STAPLE_TOO_OLD          /* no nextUpdate and thisUpdate older than max_age */
} staple_state;

const char *staple_state_text(staple_state s);

/* What staple_examine found.  Plain values, except resp which it owns
 * (staple_info_clear frees it). */
typedef struct {
	staple_state state;
	ocspkit_err err;        /* the decode or validation error (OCSPKIT_OK when usable) */
	size_t err_offset;      /* for decode errors */
	ocspkit_response_status response_status;
	ocspkit_signer_kind signer;
	int nocheck;
	/* The answer for the certificate; set whenever one was found, even
	 * when it is not usable (an expired one says when it expired). */
	int has_single;
	ocspkit_cert_status status;
	int has_reason;
	ocspkit_crl_reason reason;
	int64_t revocation_time;
	int64_t this_update;
	int has_next_update;
	int64_t next_update;
	int64_t produced_at;
	/* The decoded response (NULL when it did not decode) and its
	 * validation result for the one target. */
	ocspkit_response *resp;
	ocspkit_err validate_err;
	ocspkit_validate_target target;
	ocspkit_target_result result;
} staple_info;

/* Decodes and validates der as a staple for ctx->cert.  Returns
 * OCSPKIT_E_NO_MEMORY when memory ran out (info is then cleared),
 * OCSPKIT_E_INVALID_ARGUMENT for a ctx without issuer or certificate,
 * else OCSPKIT_OK with the verdict in info. */
OCSPKIT_WUR ocspkit_err staple_examine(staple_info *info, const staple_ctx *ctx, const uint8_t *der, size_t len);
void staple_info_clear(staple_info *info);

/* ---------------------------------------------------------------- replace or keep */

typedef enum {
	STAPLE_KEEP = 0,
	STAPLE_WRITE = 1
} staple_action;

typedef enum {
	STAPLE_WHY_NO_STAPLE = 0,   /* write: nothing usable in place */
	STAPLE_WHY_NEWER,           /* write: newer than the staple in place */
	STAPLE_WHY_CANDIDATE_BAD,   /* keep: the answer is not usable (its state says why) */
	STAPLE_WHY_UNKNOWN_STATUS,  /* keep: the responder does not know the certificate */
	STAPLE_WHY_NOT_NEWER,       /* keep: the answer is older than the staple in place */
	STAPLE_WHY_SAME,            /* keep: the same response as in place */
	STAPLE_WHY_REVOKED_SAME_TIME /* write: as recent as the staple in place, and it says revoked */
} staple_reason;

const char *staple_reason_text(staple_reason r);

/* Whether cand (examined, its DER cand_der) replaces cur (examined, or
 * NULL when there is no staple; its DER cur_der).  The rules: only a
 * usable response is ever written, and never one saying "unknown" (it
 * helps no client); it replaces the staple in place only when that one is
 * not usable, or when it is newer (a later thisUpdate, or the same and a
 * later producedAt), whatever it says: a valid "revoked" is written.  Of
 * two answers from the same second, one saying revoked wins (a revocation
 * between two requests within a second is still a revocation). */
staple_action staple_decide(staple_reason *why, const staple_info *cur, ocspkit_bytes cur_der,
			    const staple_info *cand, ocspkit_bytes cand_der);

/* ---------------------------------------------------------------- when */

typedef struct {
	/* Refresh once this share of the validity (thisUpdate to nextUpdate)
	 * has passed: 0.5 by default, as Let's Encrypt advises. */
	double share;
	/* Refresh up to this share of the validity earlier, by an amount
	 * drawn from the staple's own bytes (stable across runs of a timer,
	 * spread across many certificates): 0.1 by default. */
	double jitter;
	/* And at least this long before nextUpdate, but never more than a
	 * quarter of the validity before it: 3600 s by default. */
	int64_t margin;
	/* Without nextUpdate: refresh this long after thisUpdate. */
	int64_t no_next_update_refresh;
	/* After a failed attempt: wait retry_min, doubling per failure up to
	 * retry_max; never longer than a quarter of what is left of the
	 * staple in place. */
	int64_t retry_min;
	int64_t retry_max;
} staple_policy;

/* The defaults above. */
void staple_policy_default(staple_policy *p);

/* When the usable staple described by cur is due for a refresh (an
 * absolute time); seed picks the jitter (staple_seed of its DER). */
int64_t staple_refresh_time(const staple_info *cur, const staple_policy *p, uint64_t seed);

/* When to try again after `failures` (>= 1) failed attempts in a row;
 * cur is the staple in place (NULL or not usable: none). */
int64_t staple_retry_time(const staple_info *cur, const staple_policy *p, int64_t now, unsigned failures,
			  uint64_t seed);

/* A stable 64-bit seed from bytes (FNV-1a). */
uint64_t staple_seed(const uint8_t *data, size_t len);

#endif
