/* The HTTP side of an OCSP client (RFC 6960 Appendix A, RFC 5019 section 5),
 * on libcurl: GET with the request in the path when its base64 form is
 * under 255 octets, POST application/ocsp-request otherwise; connect and
 * total timeouts; bounded retries with backoff on transport errors and
 * 5xx/429 answers; a cap on the answer's size.  What the answer means
 * (status, Content-Type, the response itself) is judged by the caller
 * (staple.h). */
#ifndef OCSPKIT_TOOLS_HTTP_H
#define OCSPKIT_TOOLS_HTTP_H

#include <stddef.h>
#include <stdint.h>

/* RFC 5019 5: requests whose encoded form is shorter go as GET. */
#define CLI_HTTP_GET_LIMIT 255

typedef struct {
	long connect_timeout_ms; /* TCP (and TLS) connection, per attempt */
	long timeout_ms;         /* whole exchange, per attempt */
	unsigned retries;        /* attempts after the first */
	long backoff_ms;         /* wait before the first retry, doubled after each */
	size_t max_size;         /* largest body read */
	int force_post;          /* POST even when GET would do */
	int verbose;             /* one stderr line per attempt */
} cli_http_opts;

void cli_http_opts_default(cli_http_opts *o);

typedef struct {
	long status;          /* HTTP status of the last attempt; 0: no answer */
	char *content_type;   /* as sent (malloc'd), NULL when absent */
	uint8_t *body;        /* malloc'd, len octets (NULL when empty) */
	size_t len;
	int too_large;        /* the body went past max_size: it was dropped */
	unsigned attempts;
	int used_get;
	char error[256];      /* transport error of the last attempt, "" if it was answered */
} cli_http_answer;

/* Sends the DER request req to url and fills *ans with the last answer.
 * Returns 0 when some HTTP answer came back (whatever its status), -1 when
 * none did (ans->error says why). */
int cli_http_ocsp(cli_http_answer *ans, const char *url, const uint8_t *req, size_t len, const cli_http_opts *o);
void cli_http_answer_clear(cli_http_answer *ans);

/* The GET form of a request: url, a '/' unless it ends with one, and the
 * base64 of req with '+', '/' and '=' percent-encoded.  NULL when the
 * base64 has CLI_HTTP_GET_LIMIT octets or more (or memory ran out). */
char *cli_http_get_url(const char *url, const uint8_t *req, size_t len);

#endif
