/* The HTTP side of an OCSP client (RFC 6960 Appendix A, RFC 5019 section 5),
 * on libcurl: GET with the request in the path when its base64 form is
 * under 255 octets, POST application/ocsp-request otherwise; connect and
 * total timeouts; bounded retries with backoff on transport errors and
 * 5xx/429 answers; a cap on the answer's size.  What the answer means
 * (status, Content-Type, the response itself) is judged by the caller
 * (staple.h). */
#ifndef OCSPKIT_CLIENT_HTTP_H
#define OCSPKIT_CLIENT_HTTP_H

#include <stddef.h>
#include <stdint.h>

/* RFC 5019 5: requests whose encoded form is shorter go as GET. */
#define CLIENT_HTTP_GET_LIMIT 255

typedef struct {
	long connect_timeout_ms; /* TCP (and TLS) connection, per attempt */
	long timeout_ms;         /* whole exchange, per attempt */
	unsigned retries;        /* attempts after the first */
	long backoff_ms;         /* wait before the first retry, doubled after each */
	size_t max_size;         /* largest body read */
	int force_post;          /* POST even when GET would do */
	/* one line per attempt ("GET URL: HTTP 200, ..."), when set */
	void (*log)(void *ctx, const char *line);
	void *log_ctx;
} client_http_opts;

/* client_http_opts_default sets 5 s to connect, 15 s in all, 2 retries
 * 0.5 s apart and doubling, answers up to 128 KB, GET when it may, no
 * log. */
void client_http_opts_default(client_http_opts *o);

typedef struct {
	long status;          /* HTTP status of the last attempt; 0: no answer */
	char *content_type;   /* as sent (malloc'd), NULL when absent */
	uint8_t *body;        /* malloc'd, len octets (NULL when empty) */
	size_t len;
	int too_large;        /* the body went past max_size: it was dropped */
	unsigned attempts;
	int used_get;
	char error[256];      /* transport error of the last attempt, "" if it was answered */
} client_http_answer;

/* client_http_ocsp sends the DER request req to url and fills *ans with
 * the last answer.  Returns 0 when some HTTP answer came back (whatever
 * its status), -1 when none did (ans->error says why).  Built without
 * libcurl, it always says so.  Thread-safe (one curl handle per call). */
int client_http_ocsp(client_http_answer *ans, const char *url, const uint8_t *req, size_t len,
		     const client_http_opts *o);
/* client_http_answer_clear frees what the answer holds. */
void client_http_answer_clear(client_http_answer *ans);

/* client_http_get fetches url (http or https, no redirects) with a plain
 * GET within timeout_ms (connecting within at most 5 s of it), one
 * attempt: 0 with *body (malloc'd, *len octets, NULL when empty) when
 * the answer is 200 with at most max octets, else -1 with why in err
 * (cap octets).  For CRLs (the responder's CRL source); thread-safe. */
int client_http_get(const char *url, long timeout_ms, size_t max, uint8_t **body, size_t *len, char *err,
		    size_t cap);

/* client_http_get_url returns the GET form of a request: url, a '/' unless it ends with one, and the
 * base64 of req with '+', '/' and '=' percent-encoded.  NULL when the
 * base64 has CLIENT_HTTP_GET_LIMIT octets or more (or memory ran out). */
char *client_http_get_url(const char *url, const uint8_t *req, size_t len);

#endif
