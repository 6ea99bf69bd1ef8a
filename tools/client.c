/* One OCSP exchange for one certificate (client.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "common/util.h"
#include "client.h"

char *client_aia_url(const ocspkit_cert *cert)
{
	ocspkit_bytes urls[8];
	size_t n = 0;
	if (ocspkit_cert_ocsp_urls(urls, 8, &n, cert) != OCSPKIT_OK)
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
		if (cli_random(r->nonce, r->nonce_len)) {
			snprintf(r->problem, sizeof(r->problem), "cannot read random octets for the nonce");
			return -1;
		}
		ctx->nonce = (ocspkit_bytes){ r->nonce, r->nonce_len };
	}
	if (build_request(&req, &req_len, ctx, o->hash ? o->hash : OCSPKIT_HASH_SHA1, ctx->nonce)) {
		snprintf(r->problem, sizeof(r->problem), "cannot build the request (is the issuer right?)");
		return -1;
	}
	int got = cli_http_ocsp(&r->http, r->url, req, req_len, &o->http);
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
	cli_http_answer_clear(&r->http);
	staple_info_clear(&r->info);
	memset(r, 0, sizeof(*r));
}

int client_load_pair(const char *cert_path, const char *issuer_path, ocspkit_cert **cert, ocspkit_cert **issuer)
{
	ocspkit_cert **list = NULL;
	size_t n = 0;

	*cert = *issuer = NULL;
	if (cli_load_certs(cert_path, &list, &n))
		return -1;
	*cert = list[0];
	list[0] = NULL;
	if (issuer_path) {
		cli_free_certs(list, n);
		if (cli_load_cert(issuer_path, issuer))
			goto fail;
	} else {
		for (size_t i = 1; i < n && !*issuer; i++)
			if (util_same_bytes(ocspkit_cert_subject(list[i]), ocspkit_cert_issuer(*cert))) {
				*issuer = list[i];
				list[i] = NULL;
			}
		cli_free_certs(list, n);
		if (!*issuer) {
			cli_err("%s: no issuer certificate in the file (give --issuer)", cert_path);
			goto fail;
		}
	}
	if (!util_same_bytes(ocspkit_cert_issuer(*cert), ocspkit_cert_subject(*issuer))) {
		cli_err("%s: not issued by %s (issuer name differs)", cert_path, issuer_path ? issuer_path : "its issuer");
		goto fail;
	}
	return 0;
fail:
	ocspkit_cert_free(*cert);
	ocspkit_cert_free(*issuer);
	*cert = *issuer = NULL;
	return -1;
}

int client_parse_ms(const char *s, long *ms)
{
	char *end;
	double v = strtod(s, &end);
	if (!*s || *end || !(v >= 0) || v > 86400)
		return -1;
	*ms = (long)(v * 1000 + 0.5);
	return 0;
}

int client_parse_count(const char *s, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

void client_args_init(client_args *a, staple_ctx *ctx)
{
	memset(a, 0, sizeof(*a));
	cli_http_opts_default(&a->co.http);
	a->co.hash = OCSPKIT_HASH_SHA1;
	ctx->skew = 300;
}

int client_args_option(client_args *a, staple_ctx *ctx, int ch, const char *arg)
{
	long v;
	switch (ch) {
	case 'u': a->co.url = arg; return 1;
	case 'P': a->co.http.force_post = 1; return 1;
	case 'H':
		if (!(a->co.hash = cli_parse_hash(arg))) {
			cli_err("unknown hash '%s'", arg);
			return -1;
		}
		return 1;
	case 't':
	case 'C': {
		long *ms = ch == 't' ? &a->co.http.timeout_ms : &a->co.http.connect_timeout_ms;
		if (client_parse_ms(arg, ms) || *ms == 0) {
			cli_err("--%s: seconds expected", ch == 't' ? "timeout" : "connect-timeout");
			return -1;
		}
		return 1;
	}
	case 'r':
		if (client_parse_count(arg, 10, &v)) {
			cli_err("--retries: 0 to 10");
			return -1;
		}
		a->co.http.retries = (unsigned)v;
		return 1;
	case 'm':
		if (client_parse_count(arg, OCSPKIT_MAX_MESSAGE_SIZE, &v) || v == 0) {
			cli_err("--max-size: 1 to %u bytes", OCSPKIT_MAX_MESSAGE_SIZE);
			return -1;
		}
		a->co.http.max_size = (size_t)v;
		return 1;
	case 'A':
	case 'V':
		return cli_trust_add(&a->trust, arg, ch == 'A') ? -1 : 1;
	case 'k':
	case 'a':
		if (client_parse_count(arg, 100L * 365 * 86400, &v)) {
			cli_err("--%s: seconds expected", ch == 'k' ? "skew" : "max-age");
			return -1;
		}
		*(ch == 'k' ? &ctx->skew : &ctx->max_age) = v;
		return 1;
	default:
		return 0;
	}
}

int client_args_load(client_args *a, staple_ctx *ctx)
{
	if (cli_trust_load(&a->trust))
		return -1;
	ctx->trusted = (const ocspkit_cert *const *)a->trust.certs;
	ctx->trusted_count = a->trust.count;
	return 0;
}

void client_args_free(client_args *a)
{
	cli_trust_free(&a->trust);
}
