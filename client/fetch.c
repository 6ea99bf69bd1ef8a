/* Asking a responder (fetch.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"
#include "fetch.h"

char *client_aia_url(const ocspkit_cert *cert)
{
	ocspkit_bytes urls[8];
	size_t n = 0;
	if (ocspkit_cert_get_ocsp_urls(urls, 8, &n, cert) != OCSPKIT_OK)
		return NULL;
	for (size_t i = 0; i < n && i < 8; i++) {
		const char *u = (const char *)urls[i].data;
		size_t l = urls[i].len;
		if ((l > 7 && strncasecmp(u, "http://", 7) == 0) || (l > 8 && strncasecmp(u, "https://", 8) == 0)) {
			if (memchr(u, '\0', l))
				continue;
			char *s = malloc(l + 1);
			if (s) {
				memcpy(s, u, l);
				s[l] = '\0';
			}
			return s;
		}
	}
	return NULL;
}

static int build_request(uint8_t **der, size_t *len, const staple_ctx *ctx, ocspkit_hash hash, ocspkit_bytes nonce)
{
	ocspkit_cert_id_value v;
	ocspkit_single_request one;
	ocspkit_request_tbs tbs;
	ocspkit_extension ext;
	uint8_t ext_value[OCSPKIT_MAX_NONCE_SIZE + 2];

	if (ocspkit_cert_id_for_cert(&v, hash, ctx->issuer, ctx->cert) != OCSPKIT_OK)
		return -1;
	memset(&one, 0, sizeof(one));
	memset(&tbs, 0, sizeof(tbs));
	memset(&ext, 0, sizeof(ext));
	one.cert_id = ocspkit_cert_id_value_view(&v);
	tbs.requests = &one;
	tbs.request_count = 1;
	if (nonce.len) {
		ext.type = OCSPKIT_EXT_NONCE;
		if (ocspkit_ext_nonce_value(ext_value, sizeof(ext_value), &ext.value.len, nonce) != OCSPKIT_OK)
			return -1;
		ext.value.data = ext_value;
		tbs.extensions = &ext;
		tbs.extension_count = 1;
	}
	return ocspkit_request_encode(der, len, &tbs, NULL) == OCSPKIT_OK ? 0 : -1;
}

int client_query(client_result *r, const client_opts *o, staple_ctx *ctx)
{
	uint8_t *req = NULL;
	size_t req_len = 0;

	memset(r, 0, sizeof(*r));
	r->url = o->url ? strdup(o->url) : client_aia_url(ctx->cert);
	if (!r->url) {
		snprintf(r->problem, sizeof(r->problem), "%s",
			 o->url ? "out of memory" : "no http OCSP URL in the certificate (give --url)");
		return -1;
	}
	ctx->nonce = (ocspkit_bytes){ NULL, 0 };
	if (o->nonce) {
		r->nonce_len = sizeof(r->nonce);
		if (util_random(r->nonce, r->nonce_len)) {
			snprintf(r->problem, sizeof(r->problem), "cannot read random octets for the nonce");
			return -1;
		}
		ctx->nonce = (ocspkit_bytes){ r->nonce, r->nonce_len };
	}
	if (build_request(&req, &req_len, ctx, o->hash ? o->hash : OCSPKIT_HASH_SHA1, ctx->nonce)) {
		snprintf(r->problem, sizeof(r->problem), "cannot build the request (is the issuer right?)");
		return -1;
	}
	int got = client_http_ocsp(&r->http, r->url, req, req_len, &o->http);
	ocspkit_free(req);
	if (got) {
		snprintf(r->problem, sizeof(r->problem), "no answer from %s after %u attempt%s: %s", r->url,
			 r->http.attempts, r->http.attempts == 1 ? "" : "s", r->http.error);
		return -1;
	}
	r->verdict = staple_check_http(r->http.status, r->http.content_type,
				       r->http.too_large ? o->http.max_size + 1 : r->http.len, o->http.max_size);
	if (r->verdict != STAPLE_HTTP_OK) {
		snprintf(r->problem, sizeof(r->problem), "answer from %s refused: %s (HTTP %ld, Content-Type %s, %zu%s bytes)",
			 r->url, staple_http_verdict_text(r->verdict), r->http.status,
			 r->http.content_type ? r->http.content_type : "absent", r->http.len,
			 r->http.too_large ? "+" : "");
		return -1;
	}
	ocspkit_err e = staple_examine(&r->info, ctx, r->http.body, r->http.len);
	if (e) {
		snprintf(r->problem, sizeof(r->problem), "answer from %s: %s", r->url, ocspkit_strerror(e));
		return -1;
	}
	r->examined = 1;
	return 0;
}

void client_result_clear(client_result *r)
{
	free(r->url);
	client_http_answer_clear(&r->http);
	staple_info_clear(&r->info);
	memset(r, 0, sizeof(*r));
}

int client_exchange(void *ep, const uint8_t *req, size_t len, uint8_t **body, size_t *body_len, char *err,
		    size_t cap)
{
	const client_endpoint *e = ep;
	client_http_answer a;
	*body = NULL;
	*body_len = 0;
	if (client_http_ocsp(&a, e->url, req, len, &e->http) != 0) {
		snprintf(err, cap, "%s: %s", e->url, a.error);
		client_http_answer_clear(&a);
		return -1;
	}
	staple_http_verdict v =
		staple_check_http(a.status, a.content_type, a.too_large ? e->http.max_size + 1 : a.len, e->http.max_size);
	if (v != STAPLE_HTTP_OK) {
		snprintf(err, cap, "%s: %s (HTTP %ld)", e->url, staple_http_verdict_text(v), a.status);
		client_http_answer_clear(&a);
		return -1;
	}
	*body = a.body;
	*body_len = a.len;
	a.body = NULL;
	client_http_answer_clear(&a);
	return 0;
}
