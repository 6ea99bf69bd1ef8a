/* The caching proxy, one of the two answerers (answerer.h), for
 * `ocspkit serve --upstream URL`:
 * requests about the configured CAs are answered with responses fetched
 * from an upstream OCSP responder, validated, cached and served as
 * received, byte for byte.  Nothing is signed here.
 *
 *  - one CertID without nonce: from the cache.  A response is kept and
 *    served until its nextUpdate (an hour after thisUpdate without one);
 *    halfway there, a background refresh (rsp_upstream_refresh) fetches a
 *    newer one for entries asked for since the last fetch, so that clients
 *    never wait for the upstream while an answer is valid.  A miss has one
 *    caller fetch while the others for the same CertID wait for it.
 *  - a failed fetch (upstream down, slow, HTTP error, an answer that is not
 *    a valid response for the CertID) changes nothing in the cache: the
 *    last good answer keeps being served until it expires; retries back
 *    off (retry_min doubling up to retry_max); with nothing valid to serve,
 *    the answer is tryLater, and a miss within the backoff does not go
 *    upstream again.
 *  - a nonce or several CertIDs: passed through uncached, the answer
 *    validated against the request: a wrong nonce is refused, a missing
 *    one is not (responders may ignore nonces, RFC 8954 section 2.1; the
 *    client decides, as it does asking the upstream directly).
 *  - an unknown answer is fetched again after unknown_refresh seconds
 *    rather than halfway to its nextUpdate: the upstream may learn of
 *    the certificate at any time.
 *  - a CertID of a CA not configured: unauthorized, as the responder says;
 *    an undecodable request: malformedRequest.
 *
 * What counts as valid: a successful response, signed by the CA or a
 * responder it delegated to (RFC 6960 4.2.2.2), answering the CertID asked
 * (same hash algorithm), current at the time (skew allowed for thisUpdate,
 * none for nextUpdate).
 *
 * The HTTP side is the caller's: a fetch function (tools/ wires the
 * client library's, client/fetch.h); the unit test gives a fake one.
 * Thread-safe.
 */
#ifndef RSP_UPSTREAM_H
#define RSP_UPSTREAM_H

#include "answerer.h"
#include "ca.h"

/* Sends the DER request upstream.  0 and a malloc'd body (an HTTP 200
 * application/ocsp-response answer), or -1 with a message in err. */
typedef int (*rsp_upstream_fetch_fn)(void *ctx, const uint8_t *req, size_t len, uint8_t **body, size_t *body_len,
				     char *err, size_t err_cap);

typedef struct {
	const rsp_ca *cas;             /* the CAs answered for (certificates only) */
	size_t n_cas;
	rsp_upstream_fetch_fn fetch;
	void *fetch_ctx;
	size_t capacity;               /* cached CertIDs (default 100000) */
	int64_t skew;                  /* default 300 */
	int64_t retry_min, retry_max;  /* backoff of failed fetches (default 5, 300 seconds) */
	int64_t no_next_update_ttl;    /* default 3600 */
	int64_t unknown_refresh;       /* an unknown answer is fetched again after this (default 60) */
	/* one line per fetch that failed or was refused, and per refresh */
	void (*log)(void *ctx, const char *line);
	void *log_ctx;
} rsp_upstream_opts;

typedef struct rsp_upstream rsp_upstream;

OCSPKIT_WUR ocspkit_err rsp_upstream_new(rsp_upstream **out, const rsp_upstream_opts *o);
/* Stops the refresher first if it runs. */
void rsp_upstream_free(rsp_upstream *u);

/* rsp_upstream_answer answers the DER request at time now, with
 * rsp_answerer_answer's contract and flags: OCSPKIT_OK whenever *a holds an answer; a->origin says
 * whether it came from the upstream now or from the cache; with
 * RSP_ANSWER_NO_WAIT, a request that needs the upstream (or another
 * thread's fetch of the same CertID) is left RSP_PENDING_FETCH. */
OCSPKIT_WUR ocspkit_err rsp_upstream_answer(rsp_answer *a, rsp_upstream *u, const uint8_t *der, size_t len,
					     int64_t now, unsigned flags);

/* rsp_upstream_answerer returns u as an answerer: rsp_upstream_answer,
 * the cache's counts for stats, pending answers to the fetching pool.  u
 * must outlive it. */
rsp_answerer rsp_upstream_answerer(rsp_upstream *u);

/* Fetches again every entry due at time now (past half its validity,
 * asked for since it was fetched, not in backoff).  Returns how many
 * fetches succeeded. */
size_t rsp_upstream_refresh(rsp_upstream *u, int64_t now);

/* A thread calling rsp_upstream_refresh(time(NULL)) every second.  0 on
 * success. */
int rsp_upstream_start(rsp_upstream *u);
void rsp_upstream_stop(rsp_upstream *u);

typedef struct {
	size_t entries;
	unsigned long hits;          /* answered from the cache */
	unsigned long fetches;       /* upstream requests that gave a valid answer */
	unsigned long failures;      /* upstream requests that did not */
	unsigned long stale_served;  /* hits after a failed refresh */
	unsigned long passed;        /* nonce / multi-CertID requests passed through */
} rsp_upstream_stats;
void rsp_upstream_get_stats(rsp_upstream *u, rsp_upstream_stats *st);

#endif
