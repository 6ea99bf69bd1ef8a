/* OCSPResponse (RFC 6960 section 4.2): decoding, access, encoding. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <ocspkit/ocsp.h>

#include "alloc.h"
#include "buf.h"
#include "bytes.h"
#include "certid.h"
#include "decode.h"
#include "der.h"
#include "der_write.h"
#include "ext.h"
#include "ocsp_asn1.h"
#include "oid.h"
#include "response.h"
#include "schema.h"
#include "sigblock.h"
#include "try.h"

struct ocspkit_response {
	ocspkit_bytes der;               /* the copy of the input, in the same block */
	ocspkit_response_status status;
	ocspkit_bytes type;              /* responseType OID */
	ocspkit_bytes tbs;               /* exact tbsResponseData */
	ocspkit_response_tbs data;
	ocspkit_signature_block sig;
	int has_nonce;
	ocspkit_bytes nonce;
};

/* Decoding is okit_decode's two passes (decode.h): check and count over
 * the caller's bytes, read over the object's own copy.  That way the
 * object, its copy of the input and its arrays are one allocation. */
typedef struct {
	okit_dctx *c;
	ocspkit_response *r;
	okit_val top[F_OCSPResponse__COUNT];
	okit_val rbytes[F_ResponseBytes__COUNT];
	okit_val basic[F_BasicOCSPResponse__COUNT];
	okit_val rdata[F_ResponseData__COUNT];
	long status;
	size_t n_singles, n_certs;
} decoder;

/* Finds the parts of the BasicOCSPResponse basic. */
static ocspkit_err locate_basic(decoder *d, const okit_tlv *basic)
{
	TRY(okit_sch_split(d->c, T_BasicOCSPResponse, basic, d->basic, F_BasicOCSPResponse__COUNT));
	return okit_sch_split(d->c, T_ResponseData, &d->basic[F_BasicOCSPResponse_tbsResponseData].inner, d->rdata,
			      F_ResponseData__COUNT);
}

/* Finds the parts of the message in [der, der + len).  With check (the
 * first pass), the message is checked against the schema, the inner
 * BasicOCSPResponse too, and the limits on what that counted; without,
 * it is found again in the copy (the second pass). */
static ocspkit_err locate(decoder *d, const uint8_t *der, size_t len, int check)
{
	okit_dctx *c = d->c;
	okit_tlv top, basic;
	long status;

	TRY(check ? okit_sch_check_bytes(c, T_OCSPResponse, der, len, &top) : okit_der_only(c, der, len, &top));
	TRY(okit_sch_split(c, T_OCSPResponse, &top, d->top, F_OCSPResponse__COUNT));
	TRY(okit_der_small_uint(c, &d->top[F_OCSPResponse_responseStatus].inner, 6, &status));
	d->status = status;
	if (status != OCSPKIT_RESPONSE_SUCCESSFUL) {
		/* 4.2.1: for the error statuses responseBytes is not set */
		if (d->top[F_OCSPResponse_responseBytes].present)
			return okit_fail(c, d->top[F_OCSPResponse_responseBytes].outer.tlv, OCSPKIT_E_UNEXPECTED_RESPONSE_BYTES);
		return OCSPKIT_OK;
	}
	if (!d->top[F_OCSPResponse_responseBytes].present)
		return okit_fail(c, top.val + top.val_len, OCSPKIT_E_MISSING_RESPONSE_BYTES);
	TRY(okit_sch_split(c, T_ResponseBytes, &d->top[F_OCSPResponse_responseBytes].inner, d->rbytes,
			   F_ResponseBytes__COUNT));
	if (okit_oid_id(OKIT_OID_MISC, okit_view(&d->rbytes[F_ResponseBytes_responseType].inner)) != OKIT_MISC_OCSP_BASIC)
		return okit_fail(c, d->rbytes[F_ResponseBytes_responseType].inner.tlv, OCSPKIT_E_UNKNOWN_RESPONSE_TYPE);

	const okit_tlv *octets = &d->rbytes[F_ResponseBytes_response].inner;
	if (!check) {
		TRY(okit_der_only(c, octets->val, octets->val_len, &basic));
		return locate_basic(d, &basic);
	}
	memset(c->counts, 0, sizeof(c->counts));
	TRY(okit_sch_check_bytes(c, T_BasicOCSPResponse, octets->val, octets->val_len, &basic));
	d->n_singles = c->counts[OKIT_COUNT_ENTRIES];
	d->n_certs = c->counts[OKIT_COUNT_CERTIFICATES];
	if (d->n_singles <= OCSPKIT_MAX_SINGLE_RESPONSES && d->n_certs <= OCSPKIT_MAX_CERTIFICATES)
		return OCSPKIT_OK;
	TRY(locate_basic(d, &basic)); /* where the list is */
	if (d->n_singles > OCSPKIT_MAX_SINGLE_RESPONSES)
		return okit_fail(c, d->rdata[F_ResponseData_responses].inner.tlv, OCSPKIT_E_LIMIT_SINGLE_RESPONSES);
	return okit_fail(c, d->basic[F_BasicOCSPResponse_certs].inner.tlv, OCSPKIT_E_LIMIT_CERTIFICATES);
}

static ocspkit_err read_responder_id(decoder *d)
{
	int alt;
	okit_tlv inner;
	TRY(okit_sch_choice(d->c, T_ResponderID, &d->rdata[F_ResponseData_responderID].inner, &alt, &inner));
	if (alt == A_ResponderID_byName) {
		d->r->data.responder_id.type = OCSPKIT_RESPONDER_BY_NAME;
		d->r->data.responder_id.value = okit_whole(&inner);
	} else {
		/* KeyHash is the SHA-1 of the responder's public key (4.2.1) */
		if (inner.val_len != 20)
			return okit_fail(d->c, inner.tlv, OCSPKIT_E_BAD_KEY_HASH);
		d->r->data.responder_id.type = OCSPKIT_RESPONDER_BY_KEY;
		d->r->data.responder_id.value = okit_view(&inner);
	}
	return OCSPKIT_OK;
}

/* SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate,
 *                               nextUpdate [0] OPTIONAL, singleExtensions [1] OPTIONAL } */
static ocspkit_err read_single(decoder *d, const okit_tlv *el, ocspkit_single_response *s, okit_ext_store *exts)
{
	okit_dctx *c = d->c;
	okit_val f[F_SingleResponse__COUNT];
	okit_tlv st;
	int alt;

	TRY(okit_sch_split(c, T_SingleResponse, el, f, F_SingleResponse__COUNT));
	TRY(okit_certid_read(c, &f[F_SingleResponse_certID].inner, &s->cert_id));
	TRY(okit_sch_choice(c, T_CertStatus, &f[F_SingleResponse_certStatus].inner, &alt, &st));
	if (alt == A_CertStatus_revoked) {
		okit_val rv[F_RevokedInfo__COUNT];
		s->status = OCSPKIT_CERT_REVOKED;
		TRY(okit_sch_split(c, T_RevokedInfo, &st, rv, F_RevokedInfo__COUNT));
		TRY(okit_der_generalized_time(c, &rv[F_RevokedInfo_revocationTime].inner, &s->revocation_time, &s->revocation_time_fraction));
		if ((s->has_revocation_reason = rv[F_RevokedInfo_revocationReason].present)) {
			long v;
			TRY(okit_der_small_uint(c, &rv[F_RevokedInfo_revocationReason].inner, 10, &v));
			s->revocation_reason = (ocspkit_crl_reason)v;
		}
	} else {
		s->status = alt == A_CertStatus_good ? OCSPKIT_CERT_GOOD : OCSPKIT_CERT_UNKNOWN;
	}
	TRY(okit_der_generalized_time(c, &f[F_SingleResponse_thisUpdate].inner, &s->this_update, &s->this_update_fraction));
	if ((s->has_next_update = f[F_SingleResponse_nextUpdate].present))
		TRY(okit_der_generalized_time(c, &f[F_SingleResponse_nextUpdate].inner, &s->next_update, &s->next_update_fraction));
	if (f[F_SingleResponse_singleExtensions].present)
		TRY(okit_exts_take(c, exts, &f[F_SingleResponse_singleExtensions].inner, &s->extensions,
				   &s->extension_count));
	return OCSPKIT_OK;
}

/* The second pass: every field of the located (and checked) response. */
static ocspkit_err read_basic(decoder *d, okit_block *blk)
{
	okit_dctx *c = d->c;
	ocspkit_response *r = d->r;
	ocspkit_single_response *singles = blk->entries;

	r->tbs = okit_whole(&d->basic[F_BasicOCSPResponse_tbsResponseData].inner);
	if (d->rdata[F_ResponseData_version].present) {
		long v;
		if (okit_der_small_uint(c, &d->rdata[F_ResponseData_version].inner, 0, &v))
			return okit_fail(c, d->rdata[F_ResponseData_version].inner.tlv, OCSPKIT_E_UNSUPPORTED_VERSION);
	}
	TRY(read_responder_id(d));
	TRY(okit_der_generalized_time(c, &d->rdata[F_ResponseData_producedAt].inner, &r->data.produced_at,
				      &r->data.produced_at_fraction));
	TRY(okit_sigblock_read(c, &d->basic[F_BasicOCSPResponse_signatureAlgorithm].inner,
			       &d->basic[F_BasicOCSPResponse_signature].inner, &d->basic[F_BasicOCSPResponse_certs].inner,
			       blk->certs, d->n_certs, &r->sig));
	if (d->rdata[F_ResponseData_responseExtensions].present) {
		TRY(okit_exts_take(c, &blk->exts, &d->rdata[F_ResponseData_responseExtensions].inner, &r->data.extensions,
				   &r->data.extension_count));
		TRY(okit_exts_nonce(c, r->data.extensions, r->data.extension_count, &r->has_nonce, &r->nonce));
	}

	okit_iter it;
	okit_tlv el;
	size_t i = 0;
	okit_iter_init(&it, &d->rdata[F_ResponseData_responses].inner);
	while (i < d->n_singles && okit_iter_next(c, &it, &el))
		TRY(read_single(d, &el, &singles[i++], &blk->exts));
	r->data.responses = singles;
	r->data.response_count = d->n_singles;
	return OCSPKIT_OK;
}

static ocspkit_err check_response(void *state, okit_dctx *c, const uint8_t *der, size_t len, size_t n[])
{
	decoder *d = state;
	d->c = c;
	d->n_singles = d->n_certs = 0;
	TRY(locate(d, der, len, 1));
	memcpy(n, c->counts, sizeof(c->counts));
	return OCSPKIT_OK;
}

static ocspkit_err read_response(void *state, okit_dctx *c, void *obj, okit_block *blk, size_t len)
{
	decoder *d = state;
	ocspkit_response *r = obj;
	d->c = c;
	d->r = r;
	r->der = (ocspkit_bytes){ blk->copy, len };
	TRY(locate(d, blk->copy, len, 0));
	r->status = (ocspkit_response_status)d->status;
	if (r->status != OCSPKIT_RESPONSE_SUCCESSFUL)
		return OCSPKIT_OK;
	r->type = okit_view(&d->rbytes[F_ResponseBytes_responseType].inner);
	return read_basic(d, blk);
}

static const okit_decoder response_decoder = { sizeof(ocspkit_response), sizeof(ocspkit_single_response),
						check_response, read_response };

/* ocspkit_request_decode, ocspkit_response_decode and ocspkit_cert_decode
 * are alike: okit_decode (decode.h) with the type's decoder. */
ocspkit_err ocspkit_response_decode(ocspkit_response **out, const uint8_t *der, size_t len,
				    unsigned flags, size_t *err_offset)
{
	decoder d;
	ocspkit_err e;
	ocspkit_response *obj = okit_decode(&response_decoder, &d, out != NULL, der, len, flags, err_offset, &e);
	if (out)
		*out = obj;
	return e;
}

void ocspkit_response_free(ocspkit_response *resp)
{
	okit_free(resp);
}

/* ---------------------------------------------------------------- access */

/* One small function per accessor of <ocspkit/ocsp.h>, as in request.c. */

ocspkit_bytes ocspkit_response_get_der(const ocspkit_response *r)
{
	return r->der;
}

ocspkit_response_status ocspkit_response_get_status(const ocspkit_response *r)
{
	return r->status;
}

/* The body's accessors: what a successful response has, NOT_FOUND for
 * the others. */
#define BODY(r, out, field)                                      \
	do {                                                     \
		if ((r)->status != OCSPKIT_RESPONSE_SUCCESSFUL)  \
			return OCSPKIT_E_NOT_FOUND;              \
		*(out) = (r)->field;                             \
		return OCSPKIT_OK;                               \
	} while (0)

ocspkit_err ocspkit_response_get_type(ocspkit_bytes *type, const ocspkit_response *r)
{
	BODY(r, type, type);
}

ocspkit_err ocspkit_response_get_tbs_der(ocspkit_bytes *tbs_der, const ocspkit_response *r)
{
	BODY(r, tbs_der, tbs);
}

ocspkit_err ocspkit_response_get_tbs(ocspkit_response_tbs *tbs, const ocspkit_response *r)
{
	BODY(r, tbs, data);
}

ocspkit_err ocspkit_response_get_signature(ocspkit_signature_block *sig, const ocspkit_response *r)
{
	BODY(r, sig, sig);
}

size_t ocspkit_response_get_single_count(const ocspkit_response *r)
{
	return r->data.response_count;
}

const ocspkit_single_response *ocspkit_response_get_single(const ocspkit_response *r, size_t i)
{
	return i < r->data.response_count ? &r->data.responses[i] : NULL;
}

ocspkit_err ocspkit_response_get_nonce(ocspkit_bytes *nonce, const ocspkit_response *r)
{
	if (!r->has_nonce)
		return OCSPKIT_E_NOT_FOUND;
	*nonce = r->nonce;
	return OCSPKIT_OK;
}

/* Two SingleResponses for one certificate say the same: the status, and
 * for revoked the time and the reason. */
static int same_status(const ocspkit_single_response *a, const ocspkit_single_response *b)
{
	if (a->status != b->status)
		return 0;
	if (a->status != OCSPKIT_CERT_REVOKED)
		return 1;
	return a->revocation_time == b->revocation_time &&
	       okit_bytes_equal(a->revocation_time_fraction, b->revocation_time_fraction) &&
	       a->has_revocation_reason == b->has_revocation_reason &&
	       (!a->has_revocation_reason || a->revocation_reason == b->revocation_reason);
}

ocspkit_err okit_singles_find(const ocspkit_single_response *singles, size_t n, okit_certid_match match, void *arg,
			      const ocspkit_single_response **out)
{
	const ocspkit_single_response *found = NULL;
	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		const ocspkit_single_response *s = &singles[i];
		if (!match(&s->cert_id, arg))
			continue;
		if (found && !same_status(found, s))
			return OCSPKIT_E_CERT_ID_CONFLICT;
		if (!found)
			found = s;
	}
	if (!found)
		return OCSPKIT_E_NOT_FOUND;
	*out = found;
	return OCSPKIT_OK;
}

static int same_cert_id(const ocspkit_cert_id *id, void *want)
{
	return ocspkit_cert_id_equal(id, want);
}

ocspkit_err ocspkit_response_find(const ocspkit_single_response **single, const ocspkit_response *r,
				  const ocspkit_cert_id *id)
{
	if (!single)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*single = NULL;
	if (!r || !id)
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (r->status != OCSPKIT_RESPONSE_SUCCESSFUL)
		return OCSPKIT_E_NOT_SUCCESSFUL;
	return okit_singles_find(r->data.responses, r->data.response_count, same_cert_id, (void *)id, single);
}

/* ---------------------------------------------------------------- encoding */

static ocspkit_err write_single(okit_buf *b, const ocspkit_single_response *s)
{
	size_t m = okit_der_open(b, ID_SingleResponse);
	TRY(okit_certid_write(b, &s->cert_id));
	switch (s->status) {
	case OCSPKIT_CERT_GOOD:
		okit_der_prim(b, ID_CertStatus_good, NULL, 0);
		break;
	case OCSPKIT_CERT_REVOKED: {
		size_t rv = okit_der_open(b, ID_CertStatus_revoked);
		okit_der_gentime(b, ID_RevokedInfo_revocationTime, s->revocation_time, s->revocation_time_fraction);
		if (s->has_revocation_reason) {
			unsigned r = (unsigned)s->revocation_reason;
			if (r > 10 || r == 7)
				return OCSPKIT_E_BAD_CRL_REASON;
			size_t rr = okit_der_open(b, ID_RevokedInfo_revocationReason);
			okit_der_uint(b, ID_CRLReason, r);
			okit_der_close(b, rr);
		}
		okit_der_close(b, rv);
		break;
	}
	case OCSPKIT_CERT_UNKNOWN:
		okit_der_prim(b, ID_CertStatus_unknown, NULL, 0);
		break;
	default:
		return OCSPKIT_E_INVALID_ARGUMENT;
	}
	okit_der_gentime(b, ID_SingleResponse_thisUpdate, s->this_update, s->this_update_fraction);
	if (s->has_next_update) {
		size_t nu = okit_der_open(b, ID_SingleResponse_nextUpdate);
		okit_der_gentime(b, OKIT_TAG_GENERALIZED_TIME, s->next_update, s->next_update_fraction);
		okit_der_close(b, nu);
	}
	TRY(okit_exts_write(b, ID_SingleResponse_singleExtensions, s->extensions, s->extension_count));
	okit_der_close(b, m);
	return OCSPKIT_OK;
}

static ocspkit_err write_response_data(okit_buf *b, const ocspkit_response_tbs *d)
{
	const ocspkit_responder_id *rid = &d->responder_id;
	if (d->version != 0)
		return OCSPKIT_E_UNSUPPORTED_VERSION;
	if (d->response_count > OCSPKIT_MAX_SINGLE_RESPONSES)
		return OCSPKIT_E_LIMIT_SINGLE_RESPONSES;
	if (d->response_count && !d->responses)
		return OCSPKIT_E_INVALID_ARGUMENT;

	size_t m = okit_der_open(b, ID_ResponseData);
	if (rid->type == OCSPKIT_RESPONDER_BY_NAME) {
		TRY(okit_sch_check_arg(T_Name, rid->value));
		size_t t = okit_der_open(b, ID_ResponderID_byName);
		okit_buf_put(b, rid->value.data, rid->value.len);
		okit_der_close(b, t);
	} else if (rid->type == OCSPKIT_RESPONDER_BY_KEY) {
		if (rid->value.len != 20 || !rid->value.data)
			return OCSPKIT_E_BAD_KEY_HASH;
		size_t t = okit_der_open(b, ID_ResponderID_byKey);
		okit_der_prim(b, ID_KeyHash, rid->value.data, rid->value.len);
		okit_der_close(b, t);
	} else {
		return OCSPKIT_E_INVALID_ARGUMENT;
	}
	okit_der_gentime(b, ID_ResponseData_producedAt, d->produced_at, d->produced_at_fraction);
	size_t list = okit_der_open(b, ID_ResponseData_responses);
	for (size_t i = 0; i < d->response_count; i++)
		TRY(write_single(b, &d->responses[i]));
	okit_der_close(b, list);
	TRY(okit_exts_write(b, ID_ResponseData_responseExtensions, d->extensions, d->extension_count));
	okit_der_close(b, m);
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_response_tbs_encode(uint8_t **der, size_t *len, const ocspkit_response_tbs *tbs)
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
	e = write_response_data(&b, tbs);
	if (e) {
		okit_buf_clear(&b);
		return e;
	}
	return okit_buf_finish(&b, der, len);
}

/* OCSPResponse ::= SEQUENCE { responseStatus, responseBytes [0] EXPLICIT
 * ResponseBytes OPTIONAL }, responseBytes written when tbs (and sig) are
 * given: the BasicOCSPResponse of a successful response. */
static ocspkit_err write_response(okit_buf *b, ocspkit_response_status status, const ocspkit_bytes *tbs,
				  const ocspkit_signature_block *sig)
{
	size_t m = okit_der_open(b, ID_OCSPResponse);
	okit_der_uint(b, ID_OCSPResponse_responseStatus, (unsigned)status);
	if (tbs) {
		TRY(okit_sch_check_arg(T_ResponseData, *tbs));
		size_t rb0 = okit_der_open(b, ID_OCSPResponse_responseBytes);
		size_t rb = okit_der_open(b, ID_ResponseBytes);
		const okit_oid *basic = okit_oid_by_id(OKIT_OID_MISC, OKIT_MISC_OCSP_BASIC);
		okit_der_prim(b, ID_ResponseBytes_responseType, basic->der, basic->len);
		size_t oct = okit_der_open(b, ID_ResponseBytes_response);
		size_t bs = okit_der_open(b, ID_BasicOCSPResponse);
		okit_buf_put(b, tbs->data, tbs->len);
		TRY(okit_sigblock_write(b, sig, ID_BasicOCSPResponse_certs));
		okit_der_close(b, bs);
		okit_der_close(b, oct);
		okit_der_close(b, rb);
		okit_der_close(b, rb0);
	}
	okit_der_close(b, m);
	return OCSPKIT_OK;
}

static ocspkit_err finish_response(okit_buf *b, ocspkit_err e, uint8_t **der, size_t *len)
{
	if (e) {
		okit_buf_clear(b);
		return e;
	}
	return okit_buf_finish(b, der, len);
}

ocspkit_err ocspkit_response_assemble(uint8_t **der, size_t *len, ocspkit_bytes tbs_der,
				      const ocspkit_signature_block *sig)
{
	okit_buf b;
	if (!der || !len)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*der = NULL;
	*len = 0;
	if (!sig)
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(okit_schema_init());
	okit_buf_init(&b, OKIT_DER_MAX);
	return finish_response(&b, write_response(&b, OCSPKIT_RESPONSE_SUCCESSFUL, &tbs_der, sig), der, len);
}

ocspkit_err ocspkit_response_encode(uint8_t **der, size_t *len, const ocspkit_response_tbs *tbs,
				    const ocspkit_signature_block *sig)
{
	uint8_t *t;
	size_t tl;
	if (!der || !len)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*der = NULL;
	*len = 0;
	if (!sig)
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(ocspkit_response_tbs_encode(&t, &tl, tbs));
	ocspkit_err e = ocspkit_response_assemble(der, len, (ocspkit_bytes){ t, tl }, sig);
	okit_free(t);
	return e;
}

ocspkit_err ocspkit_response_encode_status(uint8_t **der, size_t *len, ocspkit_response_status status)
{
	okit_buf b;
	unsigned s = (unsigned)status;
	if (!der || !len)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*der = NULL;
	*len = 0;
	if (s > 6 || s == 4)
		return OCSPKIT_E_BAD_RESPONSE_STATUS;
	/* 4.2.1: a successful response has responseBytes, the others none */
	if (status == OCSPKIT_RESPONSE_SUCCESSFUL)
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(okit_schema_init());
	okit_buf_init(&b, OKIT_DER_MAX);
	return finish_response(&b, write_response(&b, status, NULL, NULL), der, len);
}
