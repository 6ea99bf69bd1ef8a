/* Answerers: what the HTTP layer (route.c, http.c) asks of whatever
 * answers OCSP requests, request DER in, a response out.  Two
 * implementations, chosen by whoever sets up the server:
 *
 *   answer.h    the signing responder: statuses from revocation sources,
 *               signed, pre-signed responses cached
 *   upstream.h  the caching proxy: responses fetched from another
 *               responder, validated, cached and passed on as received
 *
 * An answerer is an interface value, an ops table and the object it
 * works on (as Go's interface values are a type and a pointer): the
 * implementations return one (rsp_responder_answerer,
 * rsp_upstream_answerer), and the HTTP layer calls through it without
 * knowing which it has.  This header also holds what both implementations
 * and their callers share: the answer (rsp_answer), where it came from,
 * what it still needs, and the helpers that fill it.
 */
#ifndef RSP_ANSWERER_H
#define RSP_ANSWERER_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

#include "blob.h"

/* Where an answer came from (the access log's last word). */
typedef enum {
	RSP_ORIGIN_NONE,           /* an error status, decided without signing */
	RSP_ORIGIN_CACHE,          /* the pre-signed cache */
	RSP_ORIGIN_SIGNED,         /* signed for this request */
	RSP_ORIGIN_UPSTREAM,       /* fetched from the upstream for this request */
	RSP_ORIGIN_UPSTREAM_CACHE, /* the caching proxy's copy of an upstream answer */
} rsp_origin;

/* What an answer still needs when it was asked for with RSP_ANSWER_NO_WAIT. */
typedef enum {
	RSP_PENDING_NONE,          /* the answer is there */
	RSP_PENDING_SIGN,          /* a signature (or another caller's), or a request signature to check */
	RSP_PENDING_FETCH,         /* the upstream responder */
} rsp_pending;

/* An answer to one request. */
typedef struct {
	rsp_blob *blob;              /* the response (a reference) */
	ocspkit_response_status status;
	size_t count;                 /* CertIDs answered */
	ocspkit_cert_status cert_status; /* of the first one */
	int nonce;                    /* the request carried a nonce */
	int cacheable;                /* HTTP caches may keep it (successful, no nonce) */
	rsp_origin origin;
	rsp_pending pending;          /* RSP_ANSWER_NO_WAIT: not answered yet */
	int refresh_due;              /* from the cache, which asks for a new signature */
	char serial[44];              /* first serial number in hex (shortened), for logs */
	char detail[200];             /* for an error status: why */
} rsp_answer;

/* rsp_answerer_answer's flags. */
enum {
	/* Never sign, verify a signature, fetch, or wait for another thread
	 * doing so: answer what can be answered at once (errors, the caches)
	 * and say what the rest needs in a->pending, with a->blob a tryLater.
	 * The HTTP threads ask this way and hand pending requests to a pool. */
	RSP_ANSWER_NO_WAIT = 1,
};

/* The worker pools an answerer's pending answers go to (rsp_answerer_ops). */
enum {
	RSP_POOL_SIGNING = 1,      /* RSP_PENDING_SIGN: CPU-bound, at a lower priority */
	RSP_POOL_FETCHING = 2,     /* RSP_PENDING_FETCH: waiting on the network */
};

/* What one kind of answerer does; self is the object of the rsp_answerer. */
typedef struct {
	/* The kind, for messages: "responder", "proxy". */
	const char *name;
	/* answer: rsp_answerer_answer's contract.  Called from many threads at
	 * once. */
	ocspkit_err (*answer)(void *self, rsp_answer *a, const uint8_t *der, size_t len, int64_t now,
			      unsigned flags);
	/* poll (optional): look at the data the answers come from (the
	 * revocation sources), at time now; forced (SIGHUP) reads it even if
	 * it seems unchanged.  Called from one thread, off the request path;
	 * what it loads or refuses is told to the sources' watchers. */
	void (*poll)(void *self, int64_t now, int forced);
	/* stats (optional): writes a summary for the server's last log line,
	 * starting with ", " (", cache: 12 entries, ..."). */
	void (*stats)(void *self, char *out, size_t cap);
	/* The pools pending answers need (RSP_POOL_*): the server starts
	 * those only. */
	unsigned pools;
} rsp_answerer_ops;

typedef struct {
	const rsp_answerer_ops *ops;
	void *self;
} rsp_answerer;

/* rsp_answerer_answer answers the DER request at time now.  OCSPKIT_OK
 * whenever *a holds an answer to send, OCSP error statuses included (or,
 * with RSP_ANSWER_NO_WAIT, a pending one: a->pending says what it needs,
 * a->blob is tryLater); otherwise the error, with *a holding
 * internalError when out of memory and tryLater when the signer failed.
 * Either way the caller clears *a with rsp_answer_clear. */
OCSPKIT_WUR ocspkit_err rsp_answerer_answer(const rsp_answerer *w, rsp_answer *a, const uint8_t *der, size_t len,
					     int64_t now, unsigned flags);

/* rsp_answer_clear drops the answer's reference to its response. */
void rsp_answer_clear(rsp_answer *a);

/* ---------------------------------------------------------------- for implementations */

/* rsp_answer_begin starts an answer: *a is cleared to internalError and
 * der decoded as a strict OCSPRequest.  Returns 1 with *req (free with
 * ocspkit_request_free) and a->count, a->serial and a->nonce set when the
 * request has CertIDs to answer; otherwise 0 with *req NULL and *a the
 * answer (malformedRequest, or internalError when out of memory), and
 * *ret what the answerer returns (OCSPKIT_OK, or OCSPKIT_E_NO_MEMORY). */
int rsp_answer_begin(rsp_answer *a, ocspkit_request **req, ocspkit_err *ret, const uint8_t *der, size_t len);

/* rsp_answer_fail makes *a the OCSP error status (its static blob, not
 * cacheable), the detail formatted for the log, and returns ret. */
ocspkit_err rsp_answer_fail(rsp_answer *a, ocspkit_response_status status, ocspkit_err ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* rsp_answer_defer marks *a as needing what (RSP_ANSWER_NO_WAIT), with a
 * tryLater blob for a caller that cannot hand it on, and returns
 * OCSPKIT_OK. */
ocspkit_err rsp_answer_defer(rsp_answer *a, rsp_pending what);

/* rsp_answer_give makes *a the successful response b (its reference
 * taken over), from origin. */
void rsp_answer_give(rsp_answer *a, rsp_blob *b, rsp_origin origin);

#endif
