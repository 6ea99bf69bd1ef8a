/* Request bytes to response bytes: what an OCSP responder answers, shared
 * by the HTTP server (`ocspkit serve`), the offline responder (`ocspkit
 * respond`) and batch pre-signing (`ocspkit presign`).  No I/O: the index
 * comes from the CAs' snapshots, the time from the caller.
 *
 *  - a request that is not strict DER OCSP (a nonce outside RFC 8954's
 *    1..32 octets included), or has no CertID: malformedRequest;
 *  - a signed request whose signature does not verify with the certificate
 *    it carries: unauthorized;
 *  - a CertID that names no served CA (in SHA-1, SHA-224, SHA-256, SHA-384
 *    or SHA-512, with absent or NULL parameters), or CertIDs of CAs with
 *    different signers in one request: unauthorized;
 *  - otherwise a signed response with one SingleResponse per CertID, each
 *    echoing the CertID as asked (same hash algorithm and parameters):
 *    good for V and E entries, revoked with time, reason and
 *    invalidityDate / holdInstructionCode for R entries, unknown for
 *    serials absent from the index; the nonce copied when there is one.
 *
 * A request with one CertID and no nonce is answered from the cache when
 * the responder has one (cache.h): signed once per validity window.
 */
#ifndef RSP_ANSWER_H
#define RSP_ANSWER_H

#include <ocspkit/ocspkit.h>

#include "ca.h"
#include "cache.h"

typedef struct {
	rsp_ca *cas;                 /* served CAs, each with its signer */
	size_t n_cas;
	/* nextUpdate = thisUpdate + validity seconds; < 0: no nextUpdate */
	int64_t validity;
	rsp_cache *cache;            /* NULL: sign every answer */
	/* Caching-proxy mode (upstream.h): when set, every request is
	 * answered from the upstream responder, and nothing is signed. */
	struct rsp_upstream *upstream;
} rsp_responder;

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

typedef struct {
	rsp_blob *blob;              /* the response (a reference) */
	ocspkit_response_status status;
	size_t count;                 /* CertIDs answered */
	ocspkit_cert_status cert_status; /* of the first one */
	int nonce;                    /* the request carried a nonce */
	int cacheable;                /* successful and without nonce */
	rsp_origin origin;
	rsp_pending pending;          /* RSP_ANSWER_NO_WAIT: not answered yet */
	int refresh_due;              /* from the cache, which asks for a new signature */
	char serial[44];              /* first serial number in hex (shortened), for logs */
	char detail[200];             /* for an error status: why */
} rsp_answer;

/* rsp_answer_request's flags. */
enum {
	/* Never sign, verify a signature, fetch, or wait for another thread
	 * doing so: answer what can be answered at once (errors, the cache)
	 * and say what the rest needs in a->pending, with a->blob a tryLater.
	 * The HTTP threads ask this way and hand pending requests to a pool. */
	RSP_ANSWER_NO_WAIT = 1,
};

/* Answers the DER request at time now.  OCSPKIT_OK whenever *a holds an
 * answer to send, error statuses included (or, with RSP_ANSWER_NO_WAIT, a
 * pending one); otherwise the error (out of memory, signing failed) and *a
 * holds internalError.  Clear *a after. */
OCSPKIT_WUR ocspkit_err rsp_answer_request(rsp_answer *a, const rsp_responder *r, const uint8_t *der,
					    size_t len, int64_t now, unsigned flags);
void rsp_answer_clear(rsp_answer *a);

/* rsp_responder_poll polls the revocation source of every CA of r once
 * (rsp_source_poll with flags, at time now), a source shared by several
 * CAs once: what it loads or refuses, its watchers are told. */
void rsp_responder_poll(const rsp_responder *r, int64_t now, unsigned flags);

/* The DER of the request a client sends for one certificate without a
 * nonce (RFC 5019): one CertID of ca's certificate with hash, its
 * parameters NULL or absent.  ocspkit_free the result. */
OCSPKIT_WUR ocspkit_err rsp_answer_make_request(uint8_t **der, size_t *len, const rsp_ca *ca, ocspkit_hash hash,
						 int null_params, ocspkit_bytes serial);

#endif
