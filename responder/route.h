/* The HTTP semantics of the responder, without a socket: an HTTP method,
 * path, body and the few request headers that matter in; an HTTP status,
 * headers and body out.  http.c feeds it from libmicrohttpd; the fuzzing
 * harness fuzz/responder_fuzzer.c feeds it directly.
 *
 *  POST (any path): the body is the DER request; Content-Type must be
 *       application/ocsp-request when present (415 otherwise); a body above
 *       max_body is 413.
 *  GET, HEAD: the path after the prefix is the request in base64 (RFC 6960
 *       Appendix A, RFC 5019 section 5), URL-decoded here exactly once
 *       (%2B, %2F, %3D and any other %XX), '+' staying '+' and "//" staying
 *       "//"; the standard and the URL-safe alphabets, with or without
 *       '=' padding.  A path above max_path is 414; outside the prefix, 404.
 *  Anything else: 405 with Allow.
 *
 * OCSP answers are 200 application/ocsp-response, error statuses
 * (malformedRequest, unauthorized, internalError) included.  A successful
 * answer without nonce carries Cache-Control: max-age=<seconds until
 * nextUpdate>, public, no-transform, must-revalidate (an answer saying
 * unknown: no-store, or at most unknown_max_age); Last-Modified
 * (thisUpdate); Expires (nextUpdate, or when max-age ends); ETag; and a GET or HEAD whose
 * If-None-Match names its ETag (or, without If-None-Match, whose
 * If-Modified-Since is not before thisUpdate) gets 304.  Error statuses,
 * nonce answers and HTTP errors carry Cache-Control: no-store.
 */
#ifndef RSP_ROUTE_H
#define RSP_ROUTE_H

#include "answerer.h"
#include "httpdate.h"

typedef struct {
	size_t max_body;     /* POST bodies above this are 413 */
	size_t max_path;     /* GET paths above this are 414 */
	const char *prefix;  /* GET requests live under this path; "/" by default */
	/* How long HTTP caches may keep an answer saying unknown, in seconds:
	 * 0 (the default) no-store; otherwise max-age of at most this.  An
	 * unknown can turn into good or revoked at the next index reload, and
	 * a cache in front must not pin it until nextUpdate. */
	int64_t unknown_max_age;
} rsp_route_opts;

#define RSP_ROUTE_DEFAULT_MAX_BODY 65536
#define RSP_ROUTE_DEFAULT_MAX_PATH 4096

typedef struct {
	const char *method;
	const char *path;            /* as received: not URL-decoded, without the query */
	size_t path_len;
	const uint8_t *body;
	size_t body_len;
	const char *content_type;    /* header values, NULL when absent */
	const char *if_none_match;
	const char *if_modified_since;
	unsigned answer_flags;       /* rsp_answerer_answer's flags (RSP_ANSWER_NO_WAIT) */
} rsp_http_req;

typedef struct {
	unsigned status;             /* 200, 304, 404, 405, 413, 414, 415 */
	const uint8_t *body;         /* points into answer.blob, or static text */
	size_t body_len;
	const char *content_type;
	char cache_control[80];
	char last_modified[32];      /* empty when not sent */
	char expires[32];
	char etag[36];
	const char *allow;           /* 405 */
	int is_ocsp;                 /* answer below is filled */
	rsp_answer answer;
	char note[240];              /* for the log: why a request was refused, "" if nothing to say */
	char text[280];              /* a text body made for this answer (body points here) */
} rsp_http_resp;

/* rsp_route answers req at time now, the OCSP request it carries by w.
 * Always fills *out (release it with rsp_http_resp_clear); returns what
 * the answerer returned, or OCSPKIT_E_NO_MEMORY. */
OCSPKIT_WUR ocspkit_err rsp_route(rsp_http_resp *out, const rsp_answerer *w, const rsp_route_opts *opts,
				   const rsp_http_req *req, int64_t now);
void rsp_http_resp_clear(rsp_http_resp *resp);

/* An HTTP error with a text body (static, or resp->text): what the HTTP
 * layer answers itself, such as a request-smuggling shape. */
void rsp_http_resp_text(rsp_http_resp *out, unsigned status, const char *body);
/* An OCSP error status without a request (tryLater when a pool is full),
 * detail for the log.  Not cacheable. */
void rsp_http_resp_status(rsp_http_resp *out, ocspkit_response_status status, const char *detail);

/* URL-decodes in[0..len) once into out (room for len bytes): %XX becomes
 * the octet, everything else stays, '+' included.  -1 on a bad escape. */
int rsp_url_decode(const char *in, size_t len, char *out, size_t *out_len);

#endif
