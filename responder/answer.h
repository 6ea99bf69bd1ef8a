/* The signing responder, one of the two answerers (answerer.h): request
 * bytes to response bytes, shared by the HTTP server (`ocspkit serve`),
 * the offline responder (`ocspkit respond`) and batch pre-signing
 * (`ocspkit presign`).  No I/O: the statuses come from the CAs'
 * revocation sources (source.h), the time from the caller.
 *
 *  - a request that is not strict DER OCSP (a nonce outside RFC 8954's
 *    1..32 octets included), or has no CertID: malformedRequest;
 *  - a signed request whose signature does not verify with the certificate
 *    it carries: unauthorized;
 *  - a CertID that names no served CA (in SHA-1, SHA-224, SHA-256, SHA-384
 *    or SHA-512, with absent or NULL parameters), or CertIDs of CAs with
 *    different signers in one request: unauthorized;
 *  - otherwise a signed response with one SingleResponse per CertID, each
 *    echoing the CertID as asked (same hash algorithm and parameters)
 *    with the status its CA's source gives: good; revoked with time,
 *    reason and invalidityDate or holdInstructionCode; unknown for
 *    serials the source does not know; the nonce copied when there is one;
 *  - tryLater when a CA's source has no data yet, or cannot be read: the
 *    responder does not guess; and when the CA's signer fails (an HSM
 *    out of reach), with the signer's error returned.
 *
 * A request with one CertID and no nonce is answered from the cache when
 * the responder has one (cache.h): signed once per validity window.
 */
#ifndef RSP_ANSWER_H
#define RSP_ANSWER_H

#include <ocspkit/ocspkit.h>

#include "answerer.h"
#include "ca.h"
#include "cache.h"

typedef struct {
	rsp_ca *cas;                 /* served CAs, each with its signer and source */
	size_t n_cas;
	/* nextUpdate = thisUpdate + validity seconds; < 0: no nextUpdate */
	int64_t validity;
	rsp_cache *cache;            /* NULL: sign every answer */
} rsp_responder;

/* rsp_answer_request answers the DER request at time now, with
 * rsp_answerer_answer's contract and flags: a request that needs a
 * signature (or another thread's signature of the same entry, or its own
 * signature checked) is left RSP_PENDING_SIGN under RSP_ANSWER_NO_WAIT. */
OCSPKIT_WUR ocspkit_err rsp_answer_request(rsp_answer *a, const rsp_responder *r, const uint8_t *der,
					    size_t len, int64_t now, unsigned flags);

/* rsp_responder_answerer returns r as an answerer: rsp_answer_request,
 * rsp_responder_poll for polling, the cache's counts for stats, pending
 * answers to the signing pool.  r must outlive it. */
rsp_answerer rsp_responder_answerer(rsp_responder *r);

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
