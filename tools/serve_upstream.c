/* `ocspkit serve --upstream URL`: the caching proxy (responder/upstream.h)
 * wired to the HTTP client (http.h) and the command line. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "common/util.h"
#include "client.h"
#include "responder/upstream.h"

typedef struct {
	const char *url;
	cli_http_opts http;
} upstream_link;

static upstream_link link_;

/* rsp_upstream_fetch_fn over libcurl: one attempt (the proxy's own backoff
 * spaces attempts), an HTTP 200 application/ocsp-response answer. */
static int fetch(void *ctx, const uint8_t *req, size_t len, uint8_t **body, size_t *body_len, char *err, size_t cap)
{
	const upstream_link *l = ctx;
	cli_http_answer a;
	*body = NULL;
	*body_len = 0;
	if (cli_http_ocsp(&a, l->url, req, len, &l->http) != 0) {
		snprintf(err, cap, "%s: %s", l->url, a.error);
		cli_http_answer_clear(&a);
		return -1;
	}
	staple_http_verdict v =
		staple_check_http(a.status, a.content_type, a.too_large ? l->http.max_size + 1 : a.len, l->http.max_size);
	if (v != STAPLE_HTTP_OK) {
		snprintf(err, cap, "%s: %s (HTTP %ld)", l->url, staple_http_verdict_text(v), a.status);
		cli_http_answer_clear(&a);
		return -1;
	}
	*body = a.body;
	*body_len = a.len;
	a.body = NULL;
	cli_http_answer_clear(&a);
	return 0;
}

static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	util_log_line(2, "ocspkit serve", "%s", line);
}

int serve_upstream_setup(rsetup *s, const char *url, long timeout_ms)
{
	for (size_t i = 0; i < s->n_ca; i++)
		if (cli_append_certs(s->ca[i], &s->ca_certs, &s->n_ca_certs))
			return -1;
	if (!(s->r.cas = calloc(s->n_ca_certs, sizeof(*s->r.cas)))) {
		cli_err("out of memory");
		return -1;
	}
	for (size_t i = 0; i < s->n_ca_certs; i++) {
		s->r.n_cas = i + 1;
		if (rsp_ca_init(&s->r.cas[i], s->ca_certs[i], NULL, NULL) != OCSPKIT_OK) {
			cli_err("out of memory");
			return -1;
		}
	}
	s->r.validity = rsetup_validity(s); /* unused: nothing is signed */
	link_.url = url;
	cli_http_opts_default(&link_.http);
	link_.http.retries = 0;
	link_.http.timeout_ms = timeout_ms;
	link_.http.connect_timeout_ms = timeout_ms < 2000 ? timeout_ms : 2000;

	rsp_upstream_opts o;
	memset(&o, 0, sizeof(o));
	o.cas = s->r.cas;
	o.n_cas = s->r.n_cas;
	o.fetch = fetch;
	o.fetch_ctx = &link_;
	o.log = log_line;
	rsp_upstream *u;
	if (rsp_upstream_new(&u, &o) != OCSPKIT_OK) {
		cli_err("out of memory");
		return -1;
	}
	s->upstream = u;
	if (rsp_upstream_start(u) != 0) {
		cli_err("cannot start the refresh thread");
		return -1;
	}
	char line[300];
	snprintf(line, sizeof(line), "caching proxy for %zu CA%s in front of %s", s->n_ca_certs,
		 s->n_ca_certs == 1 ? "" : "s", url);
	log_line(NULL, line);
	return 0;
}

void serve_upstream_free(rsetup *s)
{
	rsp_upstream_free(s->upstream);
	s->upstream = NULL;
}
