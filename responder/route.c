/* HTTP semantics of the responder, without a socket (route.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/text.h"
#include "route.h"

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int rsp_url_decode(const char *in, size_t len, char *out, size_t *out_len)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (in[i] != '%') {
			out[o++] = in[i];
			continue;
		}
		if (i + 2 >= len)
			return -1;
		int hi = hexv(in[i + 1]), lo = hexv(in[i + 2]);
		if (hi < 0 || lo < 0)
			return -1;
		out[o++] = (char)(hi << 4 | lo);
		i += 2;
	}
	*out_len = o;
	return 0;
}

/* ---------------------------------------------------------------- answers */

static void text(rsp_http_resp *out, unsigned status, const char *body)
{
	out->status = status;
	out->body = (const uint8_t *)body;
	out->body_len = strlen(body);
	out->content_type = "text/plain; charset=utf-8";
	snprintf(out->cache_control, sizeof(out->cache_control), "no-store");
}

/* The caching headers of an OCSP answer. */
static void ocsp(rsp_http_resp *out, const rsp_route_opts *opts, int64_t now)
{
	const rsp_blob *b = out->answer.blob;
	out->status = 200;
	out->is_ocsp = 1;
	out->body = b->der;
	out->body_len = b->len;
	out->content_type = "application/ocsp-response";
	if (!out->answer.cacheable || !b->has_update) {
		snprintf(out->cache_control, sizeof(out->cache_control), "no-store");
		return;
	}
	if (b->any_unknown && opts->unknown_max_age <= 0) {
		snprintf(out->cache_control, sizeof(out->cache_control), "no-store");
		return;
	}
	int64_t age = 0;
	if (b->has_next_update) {
		age = b->next_update > now ? b->next_update - now : 0;
		if (b->any_unknown && age > opts->unknown_max_age)
			rsp_http_date(out->expires, now + (age = opts->unknown_max_age));
		else if (b->http_next_update[0])
			memcpy(out->expires, b->http_next_update, sizeof(out->expires));
		else
			rsp_http_date(out->expires, b->next_update);
	} else if (b->any_unknown) {
		rsp_http_date(out->expires, now + (age = opts->unknown_max_age));
	}
	/* "max-age=N, ..." without printf: this runs for every cached answer */
	static const char tail[] = ", public, no-transform, must-revalidate";
	char digits[24];
	size_t nd = 0, o = 0;
	do {
		digits[nd++] = (char)('0' + age % 10);
		age /= 10;
	} while (age);
	memcpy(out->cache_control, "max-age=", 8);
	o = 8;
	while (nd)
		out->cache_control[o++] = digits[--nd];
	memcpy(out->cache_control + o, tail, sizeof(tail));
	if (b->http_this_update[0])
		memcpy(out->last_modified, b->http_this_update, sizeof(out->last_modified));
	else
		rsp_http_date(out->last_modified, b->this_update);
	memcpy(out->etag, b->etag, sizeof(out->etag));
}

/* If-None-Match: "*" or a list of entity-tags, compared weakly (RFC 9110
 * 13.1.2). */
static int etag_listed(const char *list, const char *etag)
{
	const char *p = list;
	size_t el = strlen(etag);
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			return 0;
		if (*p == '*')
			return 1;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p != '"')
			return 0; /* not a list of entity-tags: no match */
		const char *q = strchr(p + 1, '"');
		if (!q)
			return 0;
		if ((size_t)(q + 1 - p) == el && memcmp(p, etag, el) == 0)
			return 1;
		p = q + 1;
	}
}

static int not_modified(const rsp_http_req *req, const rsp_http_resp *out)
{
	const rsp_blob *b = out->answer.blob;
	if (!out->etag[0])
		return 0;
	if (req->if_none_match)
		return etag_listed(req->if_none_match, b->etag);
	int64_t ims;
	return req->if_modified_since && rsp_http_date_parse(req->if_modified_since, &ims) == 0 &&
	       b->this_update <= ims;
}

static int ocsp_content_type(const char *ct)
{
	static const char want[] = "application/ocsp-request";
	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (strncasecmp(ct, want, sizeof(want) - 1) != 0)
		return 0;
	ct += sizeof(want) - 1;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == 0 || *ct == ';';
}

static ocspkit_err answer_der(rsp_http_resp *out, const rsp_answerer *w, const rsp_route_opts *opts,
			      const uint8_t *der, size_t len, unsigned flags, int64_t now)
{
	ocspkit_err e = rsp_answerer_answer(w, &out->answer, der, len, now, flags);
	ocsp(out, opts, now);
	return e;
}

static ocspkit_err give_status(rsp_http_resp *out, const rsp_route_opts *opts, ocspkit_response_status status,
			       ocspkit_err ret, const char *detail, int64_t now)
{
	memset(&out->answer, 0, sizeof(out->answer));
	rsp_answer_fail(&out->answer, status, OCSPKIT_OK, "%s", detail);
	ocsp(out, opts, now);
	return ret;
}

/* A GET path that is not base64 may still end in a request: the client
 * was given an AIA URL with a path (http://host/ocsp) and the server was
 * started without --path.  Writes the path before that request to prefix
 * (room for cap octets) when what follows some '/' is a
 * whole, strict OCSP request: not merely the tail of a request's own
 * base64, which has '/' of its own.  *found says whether there is one;
 * OCSPKIT_E_NO_MEMORY when that could not be told. */
static ocspkit_err request_under(const char *path, size_t len, char *prefix, size_t cap, int *found)
{
	*found = 0;
	for (size_t i = 1; i + 1 < len && i < cap; i++) {
		if (path[i] != '/')
			continue;
		uint8_t *der = NULL;
		size_t der_len, dl;
		ocspkit_request *req = NULL;
		char *decoded = malloc(len - i);
		ocspkit_err e;
		if (!decoded)
			e = OCSPKIT_E_NO_MEMORY;
		else if (rsp_url_decode(path + i + 1, len - i - 1, decoded, &dl) != 0)
			e = OCSPKIT_E_INVALID_ARGUMENT;
		else if ((e = text_base64_decode(&der, &der_len, decoded, dl, 0)) == OCSPKIT_OK)
			e = ocspkit_request_decode(&req, der, der_len, OCSPKIT_DECODE_STRICT, NULL);
		ocspkit_request_free(req);
		free(decoded);
		free(der);
		if (e == OCSPKIT_E_NO_MEMORY)
			return e;
		if (e == OCSPKIT_OK) {
			memcpy(prefix, path, i);
			prefix[i] = 0;
			*found = 1;
			break;
		}
	}
	return OCSPKIT_OK;
}

ocspkit_err rsp_route(rsp_http_resp *out, const rsp_answerer *w, const rsp_route_opts *opts,
		       const rsp_http_req *req, int64_t now)
{
	const char *m = req->method ? req->method : "";
	memset(out, 0, sizeof(*out));

	if (strcmp(m, "POST") == 0) {
		if (req->body_len > opts->max_body) {
			text(out, 413, "request body too large\n");
			return OCSPKIT_OK;
		}
		if (req->content_type && !ocsp_content_type(req->content_type)) {
			text(out, 415, "Content-Type must be application/ocsp-request\n");
			return OCSPKIT_OK;
		}
		return answer_der(out, w, opts, req->body, req->body_len, req->answer_flags, now);
	}
	if (strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0) {
		text(out, 405, "method not allowed: GET, HEAD or POST\n");
		out->allow = "GET, HEAD, POST";
		return OCSPKIT_OK;
	}
	if (req->path_len > opts->max_path) {
		text(out, 414, "request path too long\n");
		return OCSPKIT_OK;
	}
	const char *prefix = opts->prefix ? opts->prefix : "/";
	size_t pl = strlen(prefix);
	/* "/ocsp" and "/ocsp/" both mean requests under /ocsp/ */
	if (pl && prefix[pl - 1] == '/')
		pl--;
	if (req->path_len < pl + 1 || memcmp(req->path, prefix, pl) != 0 || req->path[pl] != '/') {
		text(out, 404, "not found\n");
		return OCSPKIT_OK;
	}
	const char *b64 = req->path + pl + 1;
	size_t b64_len = req->path_len - pl - 1, dl;
	char *decoded = malloc(b64_len + 1);
	uint8_t *der = NULL;
	size_t der_len;
	ocspkit_err e;
	if (!decoded)
		return give_status(out, opts, OCSPKIT_RESPONSE_INTERNAL_ERROR, OCSPKIT_E_NO_MEMORY, "out of memory", now);
	if (rsp_url_decode(b64, b64_len, decoded, &dl) != 0) {
		free(decoded);
		return give_status(out, opts, OCSPKIT_RESPONSE_MALFORMED_REQUEST, OCSPKIT_OK, "bad %-escape in the path",
				   now);
	}
	e = text_base64_decode(&der, &der_len, decoded, dl, 0);
	free(decoded);
	if (e == OCSPKIT_E_NO_MEMORY)
		return give_status(out, opts, OCSPKIT_RESPONSE_INTERNAL_ERROR, e, "out of memory", now);
	if (e == OCSPKIT_OK) {
		e = answer_der(out, w, opts, der, der_len, req->answer_flags, now);
		free(der);
	} else {
		e = give_status(out, opts, OCSPKIT_RESPONSE_MALFORMED_REQUEST, OCSPKIT_OK, "the path is not base64", now);
	}
	char under[128];
	int found = 0;
	if (out->answer.status == OCSPKIT_RESPONSE_MALFORMED_REQUEST &&
	    request_under(b64 - 1, b64_len + 1, under, sizeof(under) - 1, &found) != OCSPKIT_OK) {
		rsp_http_resp_clear(out);
		return give_status(out, opts, OCSPKIT_RESPONSE_INTERNAL_ERROR, OCSPKIT_E_NO_MEMORY, "out of memory", now);
	}
	if (found) {
		/* pl octets of prefix, then the path the request lives under */
		char full[64];
		snprintf(full, sizeof(full), "%.*s%.40s", (int)(pl < 20 ? pl : 20), prefix, under);
		rsp_http_resp_clear(out);
		memset(out, 0, sizeof(*out));
		snprintf(out->note, sizeof(out->note),
			 "the path is not a request, but ends in one under %s: start the responder with --path %s", full,
			 full);
		snprintf(out->text, sizeof(out->text), "not an OCSP request: %s\n", out->note);
		text(out, 400, out->text);
		return OCSPKIT_OK;
	}
	if (out->answer.cacheable && not_modified(req, out)) {
		out->status = 304;
		out->body = NULL;
		out->body_len = 0;
	}
	return e;
}

void rsp_http_resp_text(rsp_http_resp *out, unsigned status, const char *body)
{
	memset(out, 0, sizeof(*out));
	text(out, status, body);
}

void rsp_http_resp_status(rsp_http_resp *out, ocspkit_response_status status, const char *detail)
{
	static const rsp_route_opts none;
	memset(out, 0, sizeof(*out));
	(void)give_status(out, &none, status, OCSPKIT_OK, detail, 0);
}

void rsp_http_resp_clear(rsp_http_resp *resp)
{
	if (resp->is_ocsp)
		rsp_answer_clear(&resp->answer);
	resp->is_ocsp = 0;
	resp->body = NULL;
}
