/* Asking a responder: one OCSP exchange for one certificate, shared by
 * `ocspkit fetch` and the staple upkeep (upkeep.h): the responder URL
 * (given, or from the certificate's Authority Information Access), the
 * request (RFC 5019 shape: one CertID, SHA-1 by default, a nonce only
 * when asked), HTTP (http.h), the HTTP verdict and the examination of
 * the answer (staple.h); and the bare exchange the caching proxy of the
 * responder uses. */
#ifndef OCSPKIT_CLIENT_FETCH_H
#define OCSPKIT_CLIENT_FETCH_H

#include "http.h"
#include "staple.h"

typedef struct {
	const char *url;    /* NULL: the certificate's first http(s) OCSP URL */
	ocspkit_hash hash;  /* CertID hash */
	int nonce;          /* send a random 16-octet nonce; the answer must echo it */
	client_http_opts http;
} client_opts;

typedef struct {
	char *url;                      /* where the request went (malloc'd) */
	uint8_t nonce[16];
	size_t nonce_len;
	client_http_answer http;
	staple_http_verdict verdict;
	int examined;                   /* info holds the examined answer */
	staple_info info;
	char problem[512];              /* why there is no examined answer */
} client_result;

/* client_query asks about ctx->cert (issued by ctx->issuer) and examines
 * the answer at ctx->now (ctx->nonce is set to the nonce sent, pointing
 * into *r).  Returns 0 when an answer was examined (whatever it says:
 * r->info), -1 when none came or HTTP refused it (r->problem).  Either
 * way client_result_clear frees *r. */
int client_query(client_result *r, const client_opts *o, staple_ctx *ctx);
void client_result_clear(client_result *r);

/* client_aia_url returns the certificate's first OCSP URL with an http
 * or https scheme (malloc'd), or NULL. */
char *client_aia_url(const ocspkit_cert *cert);

/* An upstream responder, for one exchange at a time. */
typedef struct {
	const char *url;
	client_http_opts http;
} client_endpoint;

/* client_exchange sends the DER request req to the responder ep (a
 * client_endpoint) in one HTTP exchange and hands over the body of an
 * answer that HTTP-wise is an OCSP response (200,
 * application/ocsp-response, 1 to ep->http.max_size octets): 0 with
 * *body malloc'd, or -1 with why in err (cap octets).  What the body
 * says is the caller's to judge.  Its shape is the caching proxy's fetch
 * function (responder/upstream.h), which `serve --upstream` gives it. */
int client_exchange(void *ep, const uint8_t *req, size_t len, uint8_t **body, size_t *body_len, char *err,
		    size_t cap);

#endif
