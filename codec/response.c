/* OCSPResponse (RFC 6960 section 4.2): decoding, access, encoding. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct ocspkit_response {
	ocspkit_bytes der;               /* the copy of the input, after this struct */
	ocspkit_response_status status;
	ocspkit_bytes type;              /* responseType OID */
	ocspkit_bytes tbs;               /* exact tbsResponseData */
	ocspkit_response_data data;
	ocspkit_signature_block sig;
	int has_nonce;
	ocspkit_bytes nonce;
	/* one block: singles, then every extension list, then certificates */
	void *pool;
};

/* Decoding state shared by the steps below. */
typedef struct {
	okit_dctx c;
	ocspkit_response *r;
	okit_val basic[F_BASIC__N];
	okit_val rdata[F_RDATA__N];
	size_t n_singles, n_exts, n_certs;
} decoder;

static ocspkit_err read_responder_id(decoder *d)
{
	int alt;
	okit_tlv inner;
	TRY(okit_sch_choice(&d->c, T_ResponderID, &d->rdata[F_RDATA_RESPONDER].inner, &alt, &inner));
	if (alt == A_RID_BY_NAME) {
		d->r->data.responder_id.type = OCSPKIT_RESPONDER_BY_NAME;
		d->r->data.responder_id.value = okit_whole(&inner);
	} else {
		/* KeyHash is the SHA-1 of the responder's public key (4.2.1) */
		if (inner.val_len != 20)
			return okit_fail(&d->c, inner.tlv, OCSPKIT_E_BAD_KEY_HASH);
		d->r->data.responder_id.type = OCSPKIT_RESPONDER_BY_KEY;
		d->r->data.responder_id.value = okit_view(&inner);
	}
	return OCSPKIT_OK;
}

/* Counts SingleResponses and extensions so that one block holds them all. */
static ocspkit_err count_items(decoder *d)
{
	okit_iter it;
	okit_tlv el;
	size_t n;

	d->n_singles = okit_count(&d->c, &d->rdata[F_RDATA_RESPONSES].inner);
	if (d->n_singles > OCSPKIT_MAX_SINGLE_RESPONSES)
		return okit_fail(&d->c, d->rdata[F_RDATA_RESPONSES].inner.tlv, OCSPKIT_E_LIMIT_SINGLE_RESPONSES);
	d->n_exts = 0;
	if (d->rdata[F_RDATA_EXTS].present) {
		TRY(okit_count_extensions(&d->c, &d->rdata[F_RDATA_EXTS].inner, &n));
		d->n_exts += n;
	}
	okit_iter_init(&it, &d->rdata[F_RDATA_RESPONSES].inner);
	while (okit_iter_next(&d->c, &it, &el)) {
		okit_val f[F_SINGLE__N];
		TRY(okit_sch_split(&d->c, T_SingleResponse, &el, f, F_SINGLE__N));
		if (f[F_SINGLE_EXTS].present) {
			TRY(okit_count_extensions(&d->c, &f[F_SINGLE_EXTS].inner, &n));
			d->n_exts += n;
		}
	}
	d->n_certs = 0;
	if (d->basic[F_BASIC_CERTS].present) {
		d->n_certs = okit_count(&d->c, &d->basic[F_BASIC_CERTS].inner);
		if (d->n_certs > OCSPKIT_MAX_CERTIFICATES)
			return okit_fail(&d->c, d->basic[F_BASIC_CERTS].inner.tlv, OCSPKIT_E_LIMIT_CERTIFICATES);
	}
	return OCSPKIT_OK;
}

/* SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate,
 *                               nextUpdate [0] OPTIONAL, singleExtensions [1] OPTIONAL } */
static ocspkit_err read_single(decoder *d, const okit_tlv *el, ocspkit_single_response *s,
			       ocspkit_extension **ext_next)
{
	okit_dctx *c = &d->c;
	okit_val f[F_SINGLE__N];
	okit_tlv st;
	int alt;

	TRY(okit_sch_split(c, T_SingleResponse, el, f, F_SINGLE__N));
	TRY(okit_read_cert_id(c, &f[F_SINGLE_CERTID].inner, &s->cert_id));
	TRY(okit_sch_choice(c, T_CertStatus, &f[F_SINGLE_STATUS].inner, &alt, &st));
	if (alt == A_STATUS_REVOKED) {
		okit_val rv[F_REVOKED__N];
		s->status = OCSPKIT_CERT_REVOKED;
		TRY(okit_sch_split(c, T_RevokedInfo, &st, rv, F_REVOKED__N));
		TRY(okit_read_time(c, &rv[F_REVOKED_TIME].inner, &s->revocation_time));
		if ((s->has_revocation_reason = rv[F_REVOKED_REASON].present)) {
			long v;
			TRY(okit_der_small_uint(c, &rv[F_REVOKED_REASON].inner, 10, &v));
			s->revocation_reason = (ocspkit_crl_reason)v;
		}
	} else {
		s->status = alt == A_STATUS_GOOD ? OCSPKIT_CERT_GOOD : OCSPKIT_CERT_UNKNOWN;
	}
	TRY(okit_read_time(c, &f[F_SINGLE_THIS].inner, &s->this_update));
	if ((s->has_next_update = f[F_SINGLE_NEXT].present))
		TRY(okit_read_time(c, &f[F_SINGLE_NEXT].inner, &s->next_update));
	if (f[F_SINGLE_EXTS].present) {
		size_t n;
		TRY(okit_count_extensions(c, &f[F_SINGLE_EXTS].inner, &n));
		TRY(okit_read_extensions(c, &f[F_SINGLE_EXTS].inner, *ext_next, n));
		s->extensions = *ext_next;
		s->extension_count = n;
		*ext_next += n;
	}
	return OCSPKIT_OK;
}

static ocspkit_err read_basic(decoder *d, const okit_tlv *octets)
{
	okit_dctx *c = &d->c;
	ocspkit_response *r = d->r;
	okit_tlv basic;

	TRY(okit_sch_check_bytes(c, T_BasicOCSPResponse, octets->val, octets->val_len, &basic));
	TRY(okit_sch_split(c, T_BasicOCSPResponse, &basic, d->basic, F_BASIC__N));
	TRY(okit_sch_split(c, T_ResponseData, &d->basic[F_BASIC_TBS].inner, d->rdata, F_RDATA__N));
	r->tbs = okit_whole(&d->basic[F_BASIC_TBS].inner);

	if (d->rdata[F_RDATA_VERSION].present) {
		long v;
		if (okit_der_small_uint(c, &d->rdata[F_RDATA_VERSION].inner, 0, &v))
			return okit_fail(c, d->rdata[F_RDATA_VERSION].inner.tlv, OCSPKIT_E_UNSUPPORTED_VERSION);
	}
	TRY(read_responder_id(d));
	TRY(okit_read_time(c, &d->rdata[F_RDATA_PRODUCED].inner, &r->data.produced_at));
	TRY(okit_read_algid(c, &d->basic[F_BASIC_ALG].inner, &r->sig.algorithm));
	TRY(okit_read_octet_bits(c, &d->basic[F_BASIC_SIG].inner, &r->sig.signature));
	TRY(count_items(d));

	size_t sz = d->n_singles * sizeof(ocspkit_single_response) + d->n_exts * sizeof(ocspkit_extension) +
		    d->n_certs * sizeof(ocspkit_bytes);
	if (sz) {
		r->pool = okit_calloc(1, sz);
		if (!r->pool)
			return OCSPKIT_E_NO_MEMORY;
	}
	ocspkit_single_response *singles = r->pool;
	ocspkit_extension *exts = (ocspkit_extension *)(singles + d->n_singles);
	ocspkit_bytes *certs = (ocspkit_bytes *)(exts + d->n_exts);

	if (d->rdata[F_RDATA_EXTS].present) {
		size_t n;
		TRY(okit_count_extensions(c, &d->rdata[F_RDATA_EXTS].inner, &n));
		TRY(okit_read_extensions(c, &d->rdata[F_RDATA_EXTS].inner, exts, n));
		r->data.extensions = exts;
		r->data.extension_count = n;
		const ocspkit_extension *nonce = ocspkit_extensions_find(exts, n, OCSPKIT_EXT_NONCE);
		if (nonce) {
			okit_tlv nt;
			TRY(okit_der_only(c, nonce->value.data, nonce->value.len, &nt));
			r->has_nonce = 1;
			r->nonce = okit_view(&nt);
		}
		exts += n;
	}

	okit_iter it;
	okit_tlv el;
	size_t i = 0;
	okit_iter_init(&it, &d->rdata[F_RDATA_RESPONSES].inner);
	while (i < d->n_singles && okit_iter_next(c, &it, &el))
		TRY(read_single(d, &el, &singles[i++], &exts));
	r->data.responses = singles;
	r->data.response_count = d->n_singles;

	if (d->basic[F_BASIC_CERTS].present) {
		i = 0;
		okit_iter_init(&it, &d->basic[F_BASIC_CERTS].inner);
		while (i < d->n_certs && okit_iter_next(c, &it, &el))
			certs[i++] = okit_whole(&el);
		r->sig.certs = certs;
		r->sig.cert_count = d->n_certs;
	}
	return OCSPKIT_OK;
}

static ocspkit_err decode(decoder *d)
{
	okit_dctx *c = &d->c;
	okit_tlv top;
	okit_val f[F_RESP__N];
	long status;

	TRY(okit_sch_check_bytes(c, T_OCSPResponse, d->r->der.data, d->r->der.len, &top));
	TRY(okit_sch_split(c, T_OCSPResponse, &top, f, F_RESP__N));
	TRY(okit_der_small_uint(c, &f[F_RESP_STATUS].inner, 6, &status));
	d->r->status = (ocspkit_response_status)status;

	if (status != OCSPKIT_RESPONSE_SUCCESSFUL) {
		/* 4.2.1: for the error statuses responseBytes is not set */
		if (f[F_RESP_BYTES].present)
			return okit_fail(c, f[F_RESP_BYTES].outer.tlv, OCSPKIT_E_UNEXPECTED_RESPONSE_BYTES);
		return OCSPKIT_OK;
	}
	if (!f[F_RESP_BYTES].present)
		return okit_fail(c, top.val + top.val_len, OCSPKIT_E_MISSING_RESPONSE_BYTES);

	okit_val rb[F_RBYTES__N];
	TRY(okit_sch_split(c, T_ResponseBytes, &f[F_RESP_BYTES].inner, rb, F_RBYTES__N));
	d->r->type = okit_view(&rb[F_RBYTES_TYPE].inner);
	if (okit_oid_id(OKIT_OID_MISC, d->r->type) != OKIT_MISC_OCSP_BASIC)
		return okit_fail(c, rb[F_RBYTES_TYPE].inner.tlv, OCSPKIT_E_UNKNOWN_RESPONSE_TYPE);
	return read_basic(d, &rb[F_RBYTES_RESPONSE].inner);
}

ocspkit_err ocspkit_response_decode(ocspkit_response **out, const uint8_t *der, size_t len,
				    unsigned flags, size_t *err_offset)
{
	decoder d;
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

	memset(&d, 0, sizeof(d));
	d.r = okit_malloc(sizeof(*d.r) + len);
	if (!d.r)
		return OCSPKIT_E_NO_MEMORY;
	memset(d.r, 0, sizeof(*d.r));
	uint8_t *copy = (uint8_t *)(d.r + 1);
	if (len)
		memcpy(copy, der, len);
	d.r->der = (ocspkit_bytes){ copy, len };
	d.c.base = copy;
	d.c.flags = flags;

	e = decode(&d);
	if (e) {
		if (err_offset)
			*err_offset = d.c.err_off;
		ocspkit_response_free(d.r);
		return e;
	}
	*out = d.r;
	return OCSPKIT_OK;
}

void ocspkit_response_free(ocspkit_response *resp)
{
	if (!resp)
		return;
	okit_free(resp->pool);
	okit_free(resp);
}

/* ---------------------------------------------------------------- access */

ocspkit_bytes ocspkit_response_der(const ocspkit_response *r)
{
	return r->der;
}

ocspkit_response_status ocspkit_response_get_status(const ocspkit_response *r)
{
	return r->status;
}

ocspkit_bytes ocspkit_response_type(const ocspkit_response *r)
{
	return r->type;
}

ocspkit_bytes ocspkit_response_tbs_der(const ocspkit_response *r)
{
	return r->tbs;
}

void ocspkit_response_get_data(const ocspkit_response *r, ocspkit_response_data *data)
{
	*data = r->data;
}

void ocspkit_response_get_signature(const ocspkit_response *r, ocspkit_signature_block *sig)
{
	*sig = r->sig;
}

size_t ocspkit_response_count(const ocspkit_response *r)
{
	return r->data.response_count;
}

const ocspkit_single_response *ocspkit_response_get(const ocspkit_response *r, size_t i)
{
	return i < r->data.response_count ? &r->data.responses[i] : NULL;
}

ocspkit_err ocspkit_response_nonce(const ocspkit_response *r, ocspkit_bytes *nonce)
{
	if (!r->has_nonce)
		return OCSPKIT_E_NOT_FOUND;
	*nonce = r->nonce;
	return OCSPKIT_OK;
}

static int same_status(const ocspkit_single_response *a, const ocspkit_single_response *b)
{
	if (a->status != b->status)
		return 0;
	if (a->status != OCSPKIT_CERT_REVOKED)
		return 1;
	return a->revocation_time == b->revocation_time &&
	       a->has_revocation_reason == b->has_revocation_reason &&
	       (!a->has_revocation_reason || a->revocation_reason == b->revocation_reason);
}

ocspkit_err ocspkit_response_find(const ocspkit_response *r, const ocspkit_cert_id *id,
				  const ocspkit_single_response **single)
{
	const ocspkit_single_response *found = NULL;
	if (!r || !id || !single)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*single = NULL;
	if (r->status != OCSPKIT_RESPONSE_SUCCESSFUL)
		return OCSPKIT_E_NOT_SUCCESSFUL;
	for (size_t i = 0; i < r->data.response_count; i++) {
		const ocspkit_single_response *s = &r->data.responses[i];
		if (!ocspkit_cert_id_equal(&s->cert_id, id))
			continue;
		if (found && !same_status(found, s))
			return OCSPKIT_E_CERT_ID_CONFLICT;
		if (!found)
			found = s;
	}
	if (!found)
		return OCSPKIT_E_NOT_FOUND;
	*single = found;
	return OCSPKIT_OK;
}

/* ---------------------------------------------------------------- encoding */

static ocspkit_err write_single(okit_buf *b, const ocspkit_single_response *s)
{
	size_t m = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	TRY(okit_write_cert_id(b, &s->cert_id));
	switch (s->status) {
	case OCSPKIT_CERT_GOOD:
		okit_der_prim(b, OKIT_CLASS_CONTEXT | 0, NULL, 0);
		break;
	case OCSPKIT_CERT_REVOKED: {
		size_t rv = okit_der_open(b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 1);
		okit_der_gentime(b, OKIT_TAG_GENERALIZED_TIME, s->revocation_time);
		if (s->has_revocation_reason) {
			unsigned r = (unsigned)s->revocation_reason;
			if (r > 10 || r == 7)
				return OCSPKIT_E_BAD_CRL_REASON;
			size_t rr = okit_der_open(b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 0);
			okit_der_uint(b, OKIT_TAG_ENUMERATED, r);
			okit_der_close(b, rr);
		}
		okit_der_close(b, rv);
		break;
	}
	case OCSPKIT_CERT_UNKNOWN:
		okit_der_prim(b, OKIT_CLASS_CONTEXT | 2, NULL, 0);
		break;
	default:
		return OCSPKIT_E_INVALID_ARGUMENT;
	}
	okit_der_gentime(b, OKIT_TAG_GENERALIZED_TIME, s->this_update);
	if (s->has_next_update) {
		size_t nu = okit_der_open(b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 0);
		okit_der_gentime(b, OKIT_TAG_GENERALIZED_TIME, s->next_update);
		okit_der_close(b, nu);
	}
	TRY(okit_write_extensions(b, 1, s->extensions, s->extension_count));
	okit_der_close(b, m);
	return OCSPKIT_OK;
}

static ocspkit_err write_response_data(okit_buf *b, const ocspkit_response_data *d)
{
	const ocspkit_responder_id *rid = &d->responder_id;
	if (d->version != 0)
		return OCSPKIT_E_UNSUPPORTED_VERSION;
	if (d->response_count > OCSPKIT_MAX_SINGLE_RESPONSES)
		return OCSPKIT_E_LIMIT_SINGLE_RESPONSES;
	if (d->response_count && !d->responses)
		return OCSPKIT_E_INVALID_ARGUMENT;

	size_t m = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	if (rid->type == OCSPKIT_RESPONDER_BY_NAME) {
		TRY(okit_check_input(T_Name, rid->value));
		size_t t = okit_der_open(b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 1);
		okit_buf_put(b, rid->value.data, rid->value.len);
		okit_der_close(b, t);
	} else if (rid->type == OCSPKIT_RESPONDER_BY_KEY) {
		if (rid->value.len != 20 || !rid->value.data)
			return OCSPKIT_E_BAD_KEY_HASH;
		size_t t = okit_der_open(b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 2);
		okit_der_prim(b, OKIT_TAG_OCTET_STRING, rid->value.data, rid->value.len);
		okit_der_close(b, t);
	} else {
		return OCSPKIT_E_INVALID_ARGUMENT;
	}
	okit_der_gentime(b, OKIT_TAG_GENERALIZED_TIME, d->produced_at);
	size_t list = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	for (size_t i = 0; i < d->response_count; i++)
		TRY(write_single(b, &d->responses[i]));
	okit_der_close(b, list);
	TRY(okit_write_extensions(b, 1, d->extensions, d->extension_count));
	okit_der_close(b, m);
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_response_data_encode(uint8_t **der, size_t *len, const ocspkit_response_data *data)
{
	okit_buf b;
	ocspkit_err e;
	if (!der || !len || !data)
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(okit_schema_init());
	okit_buf_init(&b);
	e = write_response_data(&b, data);
	if (e) {
		okit_buf_clear(&b);
		return e;
	}
	return okit_buf_finish(&b, der, len);
}

static ocspkit_err write_response(okit_buf *b, ocspkit_response_status status, ocspkit_bytes tbs,
				  const ocspkit_signature_block *sig)
{
	unsigned s = (unsigned)status;
	if (s > 6 || s == 4)
		return OCSPKIT_E_BAD_RESPONSE_STATUS;
	size_t m = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	okit_der_uint(b, OKIT_TAG_ENUMERATED, s);
	if (status == OCSPKIT_RESPONSE_SUCCESSFUL) {
		if (!sig)
			return OCSPKIT_E_INVALID_ARGUMENT;
		TRY(okit_check_input(T_ResponseData, tbs));
		size_t rb0 = okit_der_open(b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 0);
		size_t rb = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
		const okit_oid *basic = okit_oid_by_id(OKIT_OID_MISC, OKIT_MISC_OCSP_BASIC);
		okit_der_prim(b, OKIT_TAG_OID, basic->der, basic->len);
		size_t oct = okit_der_open(b, OKIT_TAG_OCTET_STRING);
		size_t bs = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
		okit_buf_put(b, tbs.data, tbs.len);
		TRY(okit_write_signature(b, sig));
		okit_der_close(b, bs);
		okit_der_close(b, oct);
		okit_der_close(b, rb);
		okit_der_close(b, rb0);
	} else if (tbs.len || sig) {
		return OCSPKIT_E_INVALID_ARGUMENT;
	}
	okit_der_close(b, m);
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_response_encode(uint8_t **der, size_t *len, ocspkit_response_status status,
				    ocspkit_bytes tbs_der, const ocspkit_signature_block *sig)
{
	okit_buf b;
	ocspkit_err e;
	if (!der || !len)
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(okit_schema_init());
	okit_buf_init(&b);
	e = write_response(&b, status, tbs_der, sig);
	if (e) {
		okit_buf_clear(&b);
		return e;
	}
	return okit_buf_finish(&b, der, len);
}
