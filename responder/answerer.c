/* The answerer interface and the answer both implementations fill
 * (answerer.h). */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "answerer.h"
#include "common/util.h"

ocspkit_err rsp_answerer_answer(const rsp_answerer *w, rsp_answer *a, const uint8_t *der, size_t len, int64_t now,
				 unsigned flags)
{
	return w->ops->answer(w->self, a, der, len, now, flags);
}

void rsp_answer_clear(rsp_answer *a)
{
	rsp_blob_unref(a->blob);
	a->blob = NULL;
}

ocspkit_err rsp_answer_fail(rsp_answer *a, ocspkit_response_status status, ocspkit_err ret, const char *fmt, ...)
{
	va_list ap;
	rsp_blob_unref(a->blob);
	a->blob = rsp_blob_error(status);
	a->status = status;
	a->cacheable = 0;
	va_start(ap, fmt);
	vsnprintf(a->detail, sizeof(a->detail), fmt, ap);
	va_end(ap);
	return ret;
}

ocspkit_err rsp_answer_defer(rsp_answer *a, rsp_pending what)
{
	rsp_blob_unref(a->blob);
	a->blob = rsp_blob_error(OCSPKIT_RESPONSE_TRY_LATER);
	a->status = OCSPKIT_RESPONSE_TRY_LATER;
	a->pending = what;
	return OCSPKIT_OK;
}

void rsp_answer_give(rsp_answer *a, rsp_blob *b, rsp_origin origin)
{
	rsp_blob_unref(a->blob);
	a->blob = b;
	a->status = OCSPKIT_RESPONSE_SUCCESSFUL;
	a->cert_status = b->cert_status;
	a->origin = origin;
}

int rsp_answer_begin(rsp_answer *a, ocspkit_request **req, ocspkit_err *ret, const uint8_t *der, size_t len)
{
	size_t off = 0;
	*req = NULL;
	memset(a, 0, sizeof(*a));
	a->blob = rsp_blob_error(OCSPKIT_RESPONSE_INTERNAL_ERROR);
	a->status = OCSPKIT_RESPONSE_INTERNAL_ERROR;
	*ret = OCSPKIT_OK;
	ocspkit_err e = ocspkit_request_decode(req, der, len, OCSPKIT_DECODE_STRICT, &off);
	if (e == OCSPKIT_E_NO_MEMORY) {
		*ret = rsp_answer_fail(a, OCSPKIT_RESPONSE_INTERNAL_ERROR, e, "out of memory");
		return 0;
	}
	if (e) {
		rsp_answer_fail(a, OCSPKIT_RESPONSE_MALFORMED_REQUEST, OCSPKIT_OK, "%s at offset %zu (%s)",
				ocspkit_strerror_name(e), off, ocspkit_strerror(e));
		return 0;
	}
	a->count = ocspkit_request_get_single_count(*req);
	if (a->count == 0) {
		rsp_answer_fail(a, OCSPKIT_RESPONSE_MALFORMED_REQUEST, OCSPKIT_OK, "no CertID in the request");
		ocspkit_request_free(*req);
		*req = NULL;
		return 0;
	}
	util_serial_hex(a->serial, sizeof(a->serial), ocspkit_request_get_single(*req, 0)->cert_id.serial);
	ocspkit_bytes nonce;
	a->nonce = ocspkit_request_get_nonce(&nonce, *req) == OCSPKIT_OK;
	return 1;
}
