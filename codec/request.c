/* OCSPRequest (RFC 6960 section 4.1): decoding, access, encoding. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct ocspkit_request {
	ocspkit_bytes der;      /* the copy of the input, after this struct */
	ocspkit_bytes tbs_der;
	ocspkit_request_tbs tbs;
	int is_signed;
	ocspkit_signature_block sig;
	int has_nonce;
	ocspkit_bytes nonce;
	void *pool;             /* requests, then extensions, then certificates */
};

/* Request ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] OPTIONAL } */
static ocspkit_err count_items(okit_dctx *c, const okit_val *tbs, size_t *n_reqs, size_t *n_exts)
{
	okit_iter it;
	okit_tlv el;
	size_t n;

	*n_reqs = okit_count(c, &tbs[F_TBSREQ_LIST].inner);
	if (*n_reqs > OCSPKIT_MAX_REQUESTS)
		return okit_fail(c, tbs[F_TBSREQ_LIST].inner.tlv, OCSPKIT_E_LIMIT_REQUESTS);
	*n_exts = 0;
	if (tbs[F_TBSREQ_EXTS].present) {
		TRY(okit_count_extensions(c, &tbs[F_TBSREQ_EXTS].inner, &n));
		*n_exts += n;
	}
	okit_iter_init(&it, &tbs[F_TBSREQ_LIST].inner);
	while (okit_iter_next(c, &it, &el)) {
		okit_val f[F_REQ__N];
		TRY(okit_sch_split(c, T_Request, &el, f, F_REQ__N));
		if (f[F_REQ_EXTS].present) {
			TRY(okit_count_extensions(c, &f[F_REQ_EXTS].inner, &n));
			*n_exts += n;
		}
	}
	return OCSPKIT_OK;
}

static ocspkit_err decode(okit_dctx *c, ocspkit_request *r)
{
	okit_tlv top;
	okit_val f[F_OCSPREQ__N], tbs[F_TBSREQ__N], sig[F_SIG__N];
	size_t n_reqs = 0, n_exts = 0, n_certs = 0;

	TRY(okit_sch_check_bytes(c, T_OCSPRequest, r->der.data, r->der.len, &top));
	TRY(okit_sch_split(c, T_OCSPRequest, &top, f, F_OCSPREQ__N));
	TRY(okit_sch_split(c, T_TBSRequest, &f[F_OCSPREQ_TBS].inner, tbs, F_TBSREQ__N));
	r->tbs_der = okit_whole(&f[F_OCSPREQ_TBS].inner);

	if (tbs[F_TBSREQ_VERSION].present) {
		long v;
		if (okit_der_small_uint(c, &tbs[F_TBSREQ_VERSION].inner, 0, &v))
			return okit_fail(c, tbs[F_TBSREQ_VERSION].inner.tlv, OCSPKIT_E_UNSUPPORTED_VERSION);
	}
	if (tbs[F_TBSREQ_REQUESTOR].present)
		r->tbs.requestor_name = okit_whole(&tbs[F_TBSREQ_REQUESTOR].inner);

	if ((r->is_signed = f[F_OCSPREQ_SIG].present)) {
		TRY(okit_sch_split(c, T_Signature, &f[F_OCSPREQ_SIG].inner, sig, F_SIG__N));
		TRY(okit_read_algid(c, &sig[F_SIG_ALG].inner, &r->sig.algorithm));
		TRY(okit_read_octet_bits(c, &sig[F_SIG_VALUE].inner, &r->sig.signature));
		if (sig[F_SIG_CERTS].present) {
			n_certs = okit_count(c, &sig[F_SIG_CERTS].inner);
			if (n_certs > OCSPKIT_MAX_CERTIFICATES)
				return okit_fail(c, sig[F_SIG_CERTS].inner.tlv, OCSPKIT_E_LIMIT_CERTIFICATES);
		}
	}
	TRY(count_items(c, tbs, &n_reqs, &n_exts));

	size_t sz = n_reqs * sizeof(ocspkit_single_request) + n_exts * sizeof(ocspkit_extension) +
		    n_certs * sizeof(ocspkit_bytes);
	if (sz) {
		r->pool = okit_calloc(1, sz);
		if (!r->pool)
			return OCSPKIT_E_NO_MEMORY;
	}
	ocspkit_single_request *reqs = r->pool;
	ocspkit_extension *exts = (ocspkit_extension *)(reqs + n_reqs);
	ocspkit_bytes *certs = (ocspkit_bytes *)(exts + n_exts);
	okit_iter it;
	okit_tlv el;
	size_t i = 0, n;

	if (tbs[F_TBSREQ_EXTS].present) {
		TRY(okit_count_extensions(c, &tbs[F_TBSREQ_EXTS].inner, &n));
		TRY(okit_read_extensions(c, &tbs[F_TBSREQ_EXTS].inner, exts, n));
		r->tbs.extensions = exts;
		r->tbs.extension_count = n;
		const ocspkit_extension *nonce = ocspkit_extensions_find(exts, n, OCSPKIT_EXT_NONCE);
		if (nonce) {
			okit_tlv nt;
			TRY(okit_der_only(c, nonce->value.data, nonce->value.len, &nt));
			r->has_nonce = 1;
			r->nonce = okit_view(&nt);
		}
		exts += n;
	}
	okit_iter_init(&it, &tbs[F_TBSREQ_LIST].inner);
	while (i < n_reqs && okit_iter_next(c, &it, &el)) {
		okit_val rf[F_REQ__N];
		ocspkit_single_request *q = &reqs[i++];
		TRY(okit_sch_split(c, T_Request, &el, rf, F_REQ__N));
		TRY(okit_read_cert_id(c, &rf[F_REQ_CERTID].inner, &q->cert_id));
		if (rf[F_REQ_EXTS].present) {
			TRY(okit_count_extensions(c, &rf[F_REQ_EXTS].inner, &n));
			TRY(okit_read_extensions(c, &rf[F_REQ_EXTS].inner, exts, n));
			q->extensions = exts;
			q->extension_count = n;
			exts += n;
		}
	}
	r->tbs.requests = reqs;
	r->tbs.request_count = n_reqs;

	if (n_certs) {
		i = 0;
		okit_iter_init(&it, &sig[F_SIG_CERTS].inner);
		while (i < n_certs && okit_iter_next(c, &it, &el))
			certs[i++] = okit_whole(&el);
		r->sig.certs = certs;
		r->sig.cert_count = n_certs;
	}
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_request_decode(ocspkit_request **out, const uint8_t *der, size_t len,
				   unsigned flags, size_t *err_offset)
{
	okit_dctx c;
	ocspkit_request *r;
	ocspkit_err e;

	if (err_offset)
		*err_offset = 0;
	if (!out)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*out = NULL;
	if (!der && len)
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (len > OCSPKIT_MAX_MESSAGE_SIZE)
		return OCSPKIT_E_LIMIT_INPUT_SIZE;
	TRY(okit_schema_init());

	r = okit_malloc(sizeof(*r) + len);
	if (!r)
		return OCSPKIT_E_NO_MEMORY;
	memset(r, 0, sizeof(*r));
	uint8_t *copy = (uint8_t *)(r + 1);
	if (len)
		memcpy(copy, der, len);
	r->der = (ocspkit_bytes){ copy, len };
	c.base = copy;
	c.flags = flags;
	c.err_off = 0;

	e = decode(&c, r);
	if (e) {
		if (err_offset)
			*err_offset = c.err_off;
		ocspkit_request_free(r);
		return e;
	}
	*out = r;
	return OCSPKIT_OK;
}

void ocspkit_request_free(ocspkit_request *req)
{
	if (!req)
		return;
	okit_free(req->pool);
	okit_free(req);
}

ocspkit_bytes ocspkit_request_der(const ocspkit_request *req)
{
	return req->der;
}

ocspkit_bytes ocspkit_request_tbs_der(const ocspkit_request *req)
{
	return req->tbs_der;
}

void ocspkit_request_get_tbs(const ocspkit_request *req, ocspkit_request_tbs *tbs)
{
	*tbs = req->tbs;
}

size_t ocspkit_request_count(const ocspkit_request *req)
{
	return req->tbs.request_count;
}

const ocspkit_single_request *ocspkit_request_get(const ocspkit_request *req, size_t i)
{
	return i < req->tbs.request_count ? &req->tbs.requests[i] : NULL;
}

ocspkit_err ocspkit_request_nonce(const ocspkit_request *req, ocspkit_bytes *nonce)
{
	if (!req->has_nonce)
		return OCSPKIT_E_NOT_FOUND;
	*nonce = req->nonce;
	return OCSPKIT_OK;
}

int ocspkit_request_get_signature(const ocspkit_request *req, ocspkit_signature_block *sig)
{
	*sig = req->sig;
	return req->is_signed;
}

/* ---------------------------------------------------------------- encoding */

static ocspkit_err write_tbs(okit_buf *b, const ocspkit_request_tbs *tbs)
{
	if (tbs->version != 0)
		return OCSPKIT_E_UNSUPPORTED_VERSION;
	if (tbs->request_count > OCSPKIT_MAX_REQUESTS)
		return OCSPKIT_E_LIMIT_REQUESTS;
	if (tbs->request_count && !tbs->requests)
		return OCSPKIT_E_INVALID_ARGUMENT;
	size_t m = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	if (tbs->requestor_name.len) {
		TRY(okit_check_input(T_GeneralName, tbs->requestor_name));
		size_t t = okit_der_open(b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 1);
		okit_buf_put(b, tbs->requestor_name.data, tbs->requestor_name.len);
		okit_der_close(b, t);
	}
	size_t list = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	for (size_t i = 0; i < tbs->request_count; i++) {
		const ocspkit_single_request *q = &tbs->requests[i];
		size_t rq = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
		TRY(okit_write_cert_id(b, &q->cert_id));
		TRY(okit_write_extensions(b, 0, q->extensions, q->extension_count));
		okit_der_close(b, rq);
	}
	okit_der_close(b, list);
	TRY(okit_write_extensions(b, 2, tbs->extensions, tbs->extension_count));
	okit_der_close(b, m);
	return OCSPKIT_OK;
}

static ocspkit_err write_request(okit_buf *b, ocspkit_bytes tbs_der, const ocspkit_signature_block *sig)
{
	TRY(okit_check_input(T_TBSRequest, tbs_der));
	size_t m = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	okit_buf_put(b, tbs_der.data, tbs_der.len);
	if (sig) {
		size_t t = okit_der_open(b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 0);
		size_t s = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
		TRY(okit_write_signature(b, sig));
		okit_der_close(b, s);
		okit_der_close(b, t);
	}
	okit_der_close(b, m);
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_request_tbs_encode(uint8_t **der, size_t *len, const ocspkit_request_tbs *tbs)
{
	okit_buf b;
	ocspkit_err e;
	if (!der || !len || !tbs)
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(okit_schema_init());
	okit_buf_init(&b);
	if ((e = write_tbs(&b, tbs))) {
		okit_buf_clear(&b);
		return e;
	}
	return okit_buf_finish(&b, der, len);
}

ocspkit_err ocspkit_request_assemble(uint8_t **der, size_t *len, ocspkit_bytes tbs_der,
				     const ocspkit_signature_block *sig)
{
	okit_buf b;
	ocspkit_err e;
	if (!der || !len)
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(okit_schema_init());
	okit_buf_init(&b);
	if ((e = write_request(&b, tbs_der, sig))) {
		okit_buf_clear(&b);
		return e;
	}
	return okit_buf_finish(&b, der, len);
}

ocspkit_err ocspkit_request_encode(uint8_t **der, size_t *len, const ocspkit_request_tbs *tbs,
				   const ocspkit_signature_block *sig)
{
	uint8_t *t;
	size_t tl;
	TRY(ocspkit_request_tbs_encode(&t, &tl, tbs));
	ocspkit_err e = ocspkit_request_assemble(der, len, (ocspkit_bytes){ t, tl }, sig);
	ocspkit_free(t);
	return e;
}
