/* OCSPRequest (RFC 6960 section 4.1): decoding, access, encoding. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <ocspkit/ocsp.h>

#include "alloc.h"
#include "buf.h"
#include "certid.h"
#include "decode.h"
#include "der.h"
#include "der_write.h"
#include "ext.h"
#include "ocsp_asn1.h"
#include "schema.h"
#include "sigblock.h"
#include "try.h"

struct ocspkit_request {
	ocspkit_bytes der;      /* the copy of the input, in the same block */
	ocspkit_bytes tbs_der;
	ocspkit_request_tbs tbs;
	int is_signed;
	ocspkit_signature_block sig;
	int has_nonce;
	ocspkit_bytes nonce;
};

/* Decoding is okit_decode's two passes (decode.h): check and count over
 * the caller's bytes, read over the object's own copy. */
typedef struct {
	okit_val top[F_OCSPRequest__COUNT], tbs[F_TBSRequest__COUNT], sig[F_Signature__COUNT];
	size_t n_reqs, n_certs;
} decoder;

/* Finds the parts of the checked message top. */
static ocspkit_err locate(decoder *d, okit_dctx *c, const okit_tlv *top)
{
	TRY(okit_sch_split(c, T_OCSPRequest, top, d->top, F_OCSPRequest__COUNT));
	TRY(okit_sch_split(c, T_TBSRequest, &d->top[F_OCSPRequest_tbsRequest].inner, d->tbs, F_TBSRequest__COUNT));
	if (d->top[F_OCSPRequest_optionalSignature].present)
		TRY(okit_sch_split(c, T_Signature, &d->top[F_OCSPRequest_optionalSignature].inner, d->sig,
				   F_Signature__COUNT));
	return OCSPKIT_OK;
}

/* The first pass: the whole message against the schema, and the limits on
 * what it counted. */
static ocspkit_err check_request(void *state, okit_dctx *c, const uint8_t *der, size_t len, size_t n[])
{
	decoder *d = state;
	okit_tlv top;

	TRY(okit_sch_check_bytes(c, T_OCSPRequest, der, len, &top));
	memcpy(n, c->counts, sizeof(c->counts));
	d->n_reqs = n[OKIT_COUNT_ENTRIES];
	d->n_certs = n[OKIT_COUNT_CERTIFICATES];
	if (d->n_reqs <= OCSPKIT_MAX_REQUESTS && d->n_certs <= OCSPKIT_MAX_CERTIFICATES)
		return OCSPKIT_OK;
	TRY(locate(d, c, &top)); /* where the list is */
	if (d->n_reqs > OCSPKIT_MAX_REQUESTS)
		return okit_fail(c, d->tbs[F_TBSRequest_requestList].inner.tlv, OCSPKIT_E_LIMIT_REQUESTS);
	return okit_fail(c, d->sig[F_Signature_certs].inner.tlv, OCSPKIT_E_LIMIT_CERTIFICATES);
}

/* The second pass: every field. */
static ocspkit_err read_request(void *state, okit_dctx *c, void *obj, okit_block *blk, size_t len)
{
	decoder *d = state;
	ocspkit_request *r = obj;
	ocspkit_single_request *reqs = blk->entries;
	okit_iter it;
	okit_tlv top, el;
	size_t i = 0;

	r->der = (ocspkit_bytes){ blk->copy, len };
	TRY(okit_der_only(c, blk->copy, len, &top));
	TRY(locate(d, c, &top));
	r->tbs_der = okit_whole(&d->top[F_OCSPRequest_tbsRequest].inner);
	if (d->tbs[F_TBSRequest_version].present) {
		long v;
		if (okit_der_small_uint(c, &d->tbs[F_TBSRequest_version].inner, 0, &v))
			return okit_fail(c, d->tbs[F_TBSRequest_version].inner.tlv, OCSPKIT_E_UNSUPPORTED_VERSION);
	}
	if (d->tbs[F_TBSRequest_requestorName].present)
		r->tbs.requestor_name = okit_whole(&d->tbs[F_TBSRequest_requestorName].inner);
	if ((r->is_signed = d->top[F_OCSPRequest_optionalSignature].present))
		TRY(okit_sigblock_read(c, &d->sig[F_Signature_signatureAlgorithm].inner, &d->sig[F_Signature_signature].inner,
				       &d->sig[F_Signature_certs].inner, blk->certs, d->n_certs, &r->sig));
	if (d->tbs[F_TBSRequest_requestExtensions].present) {
		TRY(okit_exts_take(c, &blk->exts, &d->tbs[F_TBSRequest_requestExtensions].inner, &r->tbs.extensions,
				   &r->tbs.extension_count));
		TRY(okit_exts_nonce(c, r->tbs.extensions, r->tbs.extension_count, &r->has_nonce, &r->nonce));
	}
	/* Request ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] OPTIONAL } */
	okit_iter_init(&it, &d->tbs[F_TBSRequest_requestList].inner);
	while (i < d->n_reqs && okit_iter_next(c, &it, &el)) {
		okit_val rf[F_Request__COUNT];
		ocspkit_single_request *q = &reqs[i++];
		TRY(okit_sch_split(c, T_Request, &el, rf, F_Request__COUNT));
		TRY(okit_certid_read(c, &rf[F_Request_reqCert].inner, &q->cert_id));
		if (rf[F_Request_singleRequestExtensions].present)
			TRY(okit_exts_take(c, &blk->exts, &rf[F_Request_singleRequestExtensions].inner, &q->extensions,
					   &q->extension_count));
	}
	r->tbs.requests = reqs;
	r->tbs.request_count = d->n_reqs;
	return OCSPKIT_OK;
}

static const okit_decoder request_decoder = { sizeof(ocspkit_request), sizeof(ocspkit_single_request),
					       check_request, read_request };

/* ocspkit_request_decode, ocspkit_response_decode and ocspkit_cert_decode
 * are alike: okit_decode (decode.h) with the type's decoder. */
ocspkit_err ocspkit_request_decode(ocspkit_request **out, const uint8_t *der, size_t len,
				   unsigned flags, size_t *err_offset)
{
	decoder d;
	ocspkit_err e;
	ocspkit_request *obj = okit_decode(&request_decoder, &d, out != NULL, der, len, flags, err_offset, &e);
	if (out)
		*out = obj;
	return e;
}

void ocspkit_request_free(ocspkit_request *req)
{
	okit_free(req);
}

/* ---------------------------------------------------------------- access */

/* One small function per accessor of <ocspkit/ocsp.h> (the object is
 * opaque); response.c and x509.c have theirs, of the same shape. */

ocspkit_bytes ocspkit_request_get_der(const ocspkit_request *req)
{
	return req->der;
}

ocspkit_bytes ocspkit_request_get_tbs_der(const ocspkit_request *req)
{
	return req->tbs_der;
}

void ocspkit_request_get_tbs(ocspkit_request_tbs *tbs, const ocspkit_request *req)
{
	*tbs = req->tbs;
}

size_t ocspkit_request_get_single_count(const ocspkit_request *req)
{
	return req->tbs.request_count;
}

const ocspkit_single_request *ocspkit_request_get_single(const ocspkit_request *req, size_t i)
{
	return i < req->tbs.request_count ? &req->tbs.requests[i] : NULL;
}

ocspkit_err ocspkit_request_get_nonce(ocspkit_bytes *nonce, const ocspkit_request *req)
{
	if (!req->has_nonce)
		return OCSPKIT_E_NOT_FOUND;
	*nonce = req->nonce;
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_request_get_signature(ocspkit_signature_block *sig, const ocspkit_request *req)
{
	if (!req->is_signed)
		return OCSPKIT_E_NOT_FOUND;
	*sig = req->sig;
	return OCSPKIT_OK;
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
	size_t m = okit_der_open(b, ID_TBSRequest);
	if (tbs->requestor_name.len) {
		TRY(okit_sch_check_arg(T_GeneralName, tbs->requestor_name));
		size_t t = okit_der_open(b, ID_TBSRequest_requestorName);
		okit_buf_put(b, tbs->requestor_name.data, tbs->requestor_name.len);
		okit_der_close(b, t);
	}
	size_t list = okit_der_open(b, ID_TBSRequest_requestList);
	for (size_t i = 0; i < tbs->request_count; i++) {
		const ocspkit_single_request *q = &tbs->requests[i];
		size_t rq = okit_der_open(b, ID_Request);
		TRY(okit_certid_write(b, &q->cert_id));
		TRY(okit_exts_write(b, ID_Request_singleRequestExtensions, q->extensions, q->extension_count));
		okit_der_close(b, rq);
	}
	okit_der_close(b, list);
	TRY(okit_exts_write(b, ID_TBSRequest_requestExtensions, tbs->extensions, tbs->extension_count));
	okit_der_close(b, m);
	return OCSPKIT_OK;
}

static ocspkit_err write_request(okit_buf *b, ocspkit_bytes tbs_der, const ocspkit_signature_block *sig)
{
	TRY(okit_sch_check_arg(T_TBSRequest, tbs_der));
	size_t m = okit_der_open(b, ID_OCSPRequest);
	okit_buf_put(b, tbs_der.data, tbs_der.len);
	if (sig) {
		size_t t = okit_der_open(b, ID_OCSPRequest_optionalSignature);
		size_t s = okit_der_open(b, ID_Signature);
		TRY(okit_sigblock_write(b, sig, ID_Signature_certs));
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
	if (!der || !len)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*der = NULL;
	*len = 0;
	if (!tbs)
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(okit_schema_init());
	okit_buf_init(&b, OKIT_DER_MAX);
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
	*der = NULL;
	*len = 0;
	TRY(okit_schema_init());
	okit_buf_init(&b, OKIT_DER_MAX);
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
	if (!der || !len)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*der = NULL;
	*len = 0;
	TRY(ocspkit_request_tbs_encode(&t, &tl, tbs));
	ocspkit_err e = ocspkit_request_assemble(der, len, (ocspkit_bytes){ t, tl }, sig);
	ocspkit_free(t);
	return e;
}
