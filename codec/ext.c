/* Extensions; see ext.h. */
#include <config.h>

#include <string.h>

#include <ocspkit/ocsp.h>

#include "algid.h"
#include "buf.h"
#include "bytes.h"
#include "der.h"
#include "der_write.h"
#include "ext.h"
#include "ocsp_asn1.h"
#include "oid.h"
#include "schema.h"
#include "try.h"

ocspkit_ext_type okit_ext_type(ocspkit_bytes oid)
{
	int id = okit_oid_id(OKIT_OID_EXT, oid);
	return id >= OKIT_CEXT_KEY_USAGE ? OCSPKIT_EXT_UNKNOWN : (ocspkit_ext_type)id;
}

/* The schema type of each known extension's value. */
static int value_type(ocspkit_ext_type t, okit_type *out)
{
	switch (t) {
	case OCSPKIT_EXT_NONCE: *out = T_Nonce; return 1;
	case OCSPKIT_EXT_CRL_ID: *out = T_CrlID; return 1;
	case OCSPKIT_EXT_ACCEPTABLE_RESPONSES: *out = T_AcceptableResponses; return 1;
	case OCSPKIT_EXT_NOCHECK: *out = T_ExtendedRevoke; return 1; /* both are NULL */
	case OCSPKIT_EXT_ARCHIVE_CUTOFF: *out = T_ArchiveCutoff; return 1;
	case OCSPKIT_EXT_SERVICE_LOCATOR: *out = T_ServiceLocator; return 1;
	case OCSPKIT_EXT_PREF_SIG_ALGS: *out = T_PreferredSignatureAlgorithms; return 1;
	case OCSPKIT_EXT_EXTENDED_REVOKE: *out = T_ExtendedRevoke; return 1;
	case OCSPKIT_EXT_CRL_REASON: *out = T_CRLReason; return 1;
	case OCSPKIT_EXT_INVALIDITY_DATE: *out = T_InvalidityDate; return 1;
	case OCSPKIT_EXT_CERTIFICATE_ISSUER: *out = T_GeneralNames; return 1;
	default: return 0;
	}
}

ocspkit_err okit_ext_check_value(okit_dctx *c, const ocspkit_extension *ext)
{
	okit_type type;
	okit_tlv t;
	if (!value_type(ext->type, &type))
		return OCSPKIT_OK; /* unknown extensions are opaque octets */
	if (ext->value.len == 0)
		return okit_fail(c, ext->value.data, OCSPKIT_E_BAD_EXTENSION);
	TRY(okit_sch_check_bytes(c, type, ext->value.data, ext->value.len, &t));
	if (ext->type == OCSPKIT_EXT_NONCE && !(c->flags & OCSPKIT_DECODE_ALLOW_ANY_NONCE_SIZE) &&
	    (t.val_len < OCSPKIT_MIN_NONCE_SIZE || t.val_len > OCSPKIT_MAX_NONCE_SIZE))
		return okit_fail(c, t.tlv, OCSPKIT_E_BAD_NONCE_SIZE);
	return OCSPKIT_OK;
}

/* ---------------------------------------------------------------- lists */

ocspkit_err okit_exts_count(okit_dctx *c, const okit_tlv *list, size_t *n)
{
	*n = okit_count(c, list);
	if (*n > OCSPKIT_MAX_EXTENSIONS)
		return okit_fail(c, list->tlv, OCSPKIT_E_LIMIT_EXTENSIONS);
	return OCSPKIT_OK;
}

/* Reads the checked Extensions element list into out[0..*n), at most cap
 * entries (more is OCSPKIT_E_INTERNAL: the caller counted otherwise). */
static ocspkit_err read_list(okit_dctx *c, const okit_tlv *list, ocspkit_extension *out, size_t cap, size_t *n)
{
	okit_iter it;
	okit_tlv el;
	size_t i = 0;

	okit_iter_init(&it, list);
	while (okit_iter_next(c, &it, &el)) {
		okit_val f[F_Extension__COUNT];
		ocspkit_extension *e = &out[i];
		if (i == cap)
			return okit_fail(c, list->tlv, OCSPKIT_E_INTERNAL);
		TRY(okit_sch_split(c, T_Extension, &el, f, F_Extension__COUNT));
		e->oid = okit_view(&f[F_Extension_extnID].inner);
		e->critical = f[F_Extension_critical].present && f[F_Extension_critical].inner.val[0] != 0;
		e->value = okit_view(&f[F_Extension_extnValue].inner);
		e->type = okit_ext_type(e->oid);
		/* RFC 5280 4.2: at most one instance of an extension per list */
		for (size_t j = 0; j < i; j++)
			if (okit_bytes_equal(out[j].oid, e->oid))
				return okit_fail(c, el.tlv, OCSPKIT_E_DUPLICATE_EXTENSION);
		TRY(okit_ext_check_value(c, e));
		i++;
	}
	*n = i;
	return OCSPKIT_OK;
}

ocspkit_err okit_exts_read(okit_dctx *c, const okit_tlv *list, ocspkit_extension *out, size_t n)
{
	size_t got;
	TRY(read_list(c, list, out, n, &got));
	return got == n ? OCSPKIT_OK : okit_fail(c, list->tlv, OCSPKIT_E_INTERNAL);
}

ocspkit_err okit_exts_take(okit_dctx *c, okit_ext_store *s, const okit_tlv *list,
			   const ocspkit_extension **exts, size_t *n)
{
	/* The limit is checked before anything is read, so that its error
	 * comes first; no list is longer than all of them together. */
	if (s->total > OCSPKIT_MAX_EXTENSIONS)
		TRY(okit_exts_count(c, list, n));
	TRY(read_list(c, list, s->next, (size_t)(s->end - s->next), n));
	*exts = s->next;
	s->next += *n;
	return OCSPKIT_OK;
}

ocspkit_err okit_exts_nonce(okit_dctx *c, const ocspkit_extension *exts, size_t n, int *has, ocspkit_bytes *nonce)
{
	const ocspkit_extension *e;
	okit_tlv t;
	*has = 0;
	if (ocspkit_extensions_find(&e, exts, n, OCSPKIT_EXT_NONCE) != OCSPKIT_OK)
		return OCSPKIT_OK;
	TRY(okit_der_only(c, e->value.data, e->value.len, &t));
	*has = 1;
	*nonce = okit_view(&t);
	return OCSPKIT_OK;
}

ocspkit_err okit_exts_write_list(okit_buf *b, const ocspkit_extension *exts, size_t n)
{
	if (!exts || n == 0 || n > OCSPKIT_MAX_EXTENSIONS)
		return n > OCSPKIT_MAX_EXTENSIONS ? OCSPKIT_E_LIMIT_EXTENSIONS : OCSPKIT_E_INVALID_ARGUMENT;
	size_t seq = okit_der_open(b, ID_Extensions);
	for (size_t i = 0; i < n; i++) {
		ocspkit_extension e = exts[i];
		if (e.oid.len == 0) {
			const okit_oid *o = e.type ? okit_oid_by_id(OKIT_OID_EXT, (int)e.type) : NULL;
			if (!o)
				return OCSPKIT_E_INVALID_ARGUMENT;
			e.oid = okit_oid_bytes(o);
		}
		if (!okit_der_oid_ok(e.oid) || (e.value.len && !e.value.data))
			return OCSPKIT_E_INVALID_ARGUMENT;
		for (size_t j = 0; j < i; j++) {
			ocspkit_bytes prev = exts[j].oid;
			if (prev.len == 0 && exts[j].type)
				prev = okit_oid_bytes(okit_oid_by_id(OKIT_OID_EXT, (int)exts[j].type));
			if (okit_bytes_equal(prev, e.oid))
				return OCSPKIT_E_DUPLICATE_EXTENSION;
		}
		/* A known extension must carry a value of its type, or the result
		 * would not decode. */
		e.type = okit_ext_type(e.oid);
		okit_dctx c = okit_ctx(e.value.data, 0);
		if (okit_ext_check_value(&c, &e))
			return OCSPKIT_E_BAD_EXTENSION;

		size_t m = okit_der_open(b, ID_Extension);
		okit_der_prim(b, ID_Extension_extnID, e.oid.data, e.oid.len);
		if (e.critical) /* DEFAULT FALSE is never written */
			okit_der_prim(b, ID_Extension_critical, (const uint8_t *)"\xff", 1);
		okit_der_prim(b, ID_Extension_extnValue, e.value.data, e.value.len);
		okit_der_close(b, m);
	}
	okit_der_close(b, seq);
	return OCSPKIT_OK;
}

ocspkit_err okit_exts_write(okit_buf *b, uint8_t id, const ocspkit_extension *exts, size_t n)
{
	if (n == 0)
		return OCSPKIT_OK;
	size_t outer = okit_der_open(b, id);
	TRY(okit_exts_write_list(b, exts, n));
	okit_der_close(b, outer);
	return OCSPKIT_OK;
}

/* ---------------------------------------------------------------- values */

/* The typed readers below share a shape (open the value, split it, read
 * the fields) and nothing else: each reads its own type. */

/* Checks ext is of the wanted type and its value one element of it. */
static ocspkit_err open_ext(okit_dctx *c, const ocspkit_extension *ext, ocspkit_ext_type want, okit_tlv *t)
{
	okit_type type;
	if (!ext || ext->type != want || !value_type(want, &type) || !ext->value.data)
		return OCSPKIT_E_INVALID_ARGUMENT;
	c->base = ext->value.data;
	c->flags = OCSPKIT_DECODE_ALLOW_ANY_NONCE_SIZE;
	c->err_off = 0;
	return okit_sch_check_bytes(c, type, ext->value.data, ext->value.len, t);
}

ocspkit_err ocspkit_ext_nonce(ocspkit_bytes *nonce, const ocspkit_extension *ext)
{
	okit_dctx c;
	okit_tlv t;
	TRY(open_ext(&c, ext, OCSPKIT_EXT_NONCE, &t));
	*nonce = okit_view(&t);
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_ext_nonce_value(uint8_t *buf, size_t cap, size_t *len, ocspkit_bytes nonce)
{
	if (!buf || !len || (nonce.len && !nonce.data) || nonce.len > 127 || cap < nonce.len + 2)
		return OCSPKIT_E_INVALID_ARGUMENT;
	buf[0] = ID_Nonce;
	buf[1] = (uint8_t)nonce.len;
	if (nonce.len)
		memcpy(buf + 2, nonce.data, nonce.len);
	*len = nonce.len + 2;
	return OCSPKIT_OK;
}

/* CrlID ::= SEQUENCE { crlUrl [0] IA5String OPTIONAL, crlNum [1] INTEGER
 *                      OPTIONAL, crlTime [2] GeneralizedTime OPTIONAL } */
ocspkit_err ocspkit_ext_crl_id(ocspkit_crl_id *crl_id, const ocspkit_extension *ext)
{
	okit_dctx c;
	okit_tlv t;
	okit_val f[F_CrlID__COUNT];
	TRY(open_ext(&c, ext, OCSPKIT_EXT_CRL_ID, &t));
	TRY(okit_sch_split(&c, T_CrlID, &t, f, F_CrlID__COUNT));
	memset(crl_id, 0, sizeof(*crl_id));
	if ((crl_id->has_url = f[F_CrlID_crlUrl].present))
		crl_id->url = okit_view(&f[F_CrlID_crlUrl].inner);
	if ((crl_id->has_number = f[F_CrlID_crlNum].present))
		crl_id->number = okit_view(&f[F_CrlID_crlNum].inner);
	if ((crl_id->has_time = f[F_CrlID_crlTime].present))
		TRY(okit_der_generalized_time(&c, &f[F_CrlID_crlTime].inner, &crl_id->time, NULL));
	return OCSPKIT_OK;
}

/* The elements of the checked SEQUENCE OF list, each given to fill with
 * its index as long as it is below max (and out is not NULL); *count gets
 * how many there are.  For the typed readers of lists. */
typedef ocspkit_err (*fill_fn)(okit_dctx *c, const okit_tlv *el, void *out, size_t i);

static ocspkit_err read_elements(okit_dctx *c, const okit_tlv *list, fill_fn fill, void *out, size_t max,
				 size_t *count)
{
	okit_iter it;
	okit_tlv el;
	size_t n = 0;
	okit_iter_init(&it, list);
	while (okit_iter_next(c, &it, &el)) {
		if (n < max && out)
			TRY(fill(c, &el, out, n));
		n++;
	}
	*count = n;
	return OCSPKIT_OK;
}

static ocspkit_err fill_oid(okit_dctx *c, const okit_tlv *el, void *out, size_t i)
{
	((ocspkit_bytes *)out)[i] = okit_view(el);
	return OCSPKIT_OK;
}

/* AcceptableResponses ::= SEQUENCE OF OBJECT IDENTIFIER */
ocspkit_err ocspkit_ext_acceptable_responses(ocspkit_bytes *oids, size_t max, size_t *count,
					     const ocspkit_extension *ext)
{
	okit_dctx c;
	okit_tlv t;
	TRY(open_ext(&c, ext, OCSPKIT_EXT_ACCEPTABLE_RESPONSES, &t));
	return read_elements(&c, &t, fill_oid, oids, max, count);
}

ocspkit_err ocspkit_ext_archive_cutoff(int64_t *cutoff, const ocspkit_extension *ext)
{
	okit_dctx c;
	okit_tlv t;
	TRY(open_ext(&c, ext, OCSPKIT_EXT_ARCHIVE_CUTOFF, &t));
	return okit_der_generalized_time(&c, &t, cutoff, NULL);
}

/* ServiceLocator ::= SEQUENCE { issuer Name, locator AuthorityInfoAccessSyntax } */
ocspkit_err ocspkit_ext_service_locator(ocspkit_bytes *issuer, ocspkit_bytes *locator,
					const ocspkit_extension *ext)
{
	okit_dctx c;
	okit_tlv t;
	okit_val f[F_ServiceLocator__COUNT];
	TRY(open_ext(&c, ext, OCSPKIT_EXT_SERVICE_LOCATOR, &t));
	TRY(okit_sch_split(&c, T_ServiceLocator, &t, f, F_ServiceLocator__COUNT));
	*issuer = okit_whole(&f[F_ServiceLocator_issuer].inner);
	*locator = okit_whole(&f[F_ServiceLocator_locator].inner);
	return OCSPKIT_OK;
}

/* PreferredSignatureAlgorithm ::= SEQUENCE { sigIdentifier AlgorithmIdentifier,
 *                                 certIdentifier AlgorithmIdentifier OPTIONAL } */
static ocspkit_err fill_pref_sig_alg(okit_dctx *c, const okit_tlv *el, void *out, size_t i)
{
	okit_val f[F_PreferredSignatureAlgorithm__COUNT];
	ocspkit_pref_sig_alg *a = &((ocspkit_pref_sig_alg *)out)[i];
	memset(a, 0, sizeof(*a));
	TRY(okit_sch_split(c, T_PreferredSignatureAlgorithm, el, f, F_PreferredSignatureAlgorithm__COUNT));
	TRY(okit_algid_read(c, &f[F_PreferredSignatureAlgorithm_sigIdentifier].inner, &a->sig_identifier));
	if ((a->has_cert_identifier = f[F_PreferredSignatureAlgorithm_certIdentifier].present))
		TRY(okit_algid_read(c, &f[F_PreferredSignatureAlgorithm_certIdentifier].inner, &a->cert_identifier));
	return OCSPKIT_OK;
}

/* PreferredSignatureAlgorithms ::= SEQUENCE OF PreferredSignatureAlgorithm */
ocspkit_err ocspkit_ext_pref_sig_algs(ocspkit_pref_sig_alg *algs, size_t max, size_t *count,
				      const ocspkit_extension *ext)
{
	okit_dctx c;
	okit_tlv t;
	TRY(open_ext(&c, ext, OCSPKIT_EXT_PREF_SIG_ALGS, &t));
	return read_elements(&c, &t, fill_pref_sig_alg, algs, max, count);
}

ocspkit_err ocspkit_ext_extended_revoke(const ocspkit_extension *ext)
{
	okit_dctx c;
	okit_tlv t;
	return open_ext(&c, ext, OCSPKIT_EXT_EXTENDED_REVOKE, &t);
}

ocspkit_err ocspkit_ext_crl_reason(ocspkit_crl_reason *reason, const ocspkit_extension *ext)
{
	okit_dctx c;
	okit_tlv t;
	long v;
	TRY(open_ext(&c, ext, OCSPKIT_EXT_CRL_REASON, &t));
	TRY(okit_der_small_uint(&c, &t, 10, &v));
	*reason = (ocspkit_crl_reason)v;
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_ext_invalidity_date(int64_t *date, const ocspkit_extension *ext)
{
	okit_dctx c;
	okit_tlv t;
	TRY(open_ext(&c, ext, OCSPKIT_EXT_INVALIDITY_DATE, &t));
	return okit_der_generalized_time(&c, &t, date, NULL);
}

/* The typed readers above give seconds, in the signatures callers already
 * use; the fraction is read here, for the three extensions that carry a
 * GeneralizedTime. */
ocspkit_err ocspkit_ext_time_fraction(ocspkit_bytes *fraction, const ocspkit_extension *ext)
{
	okit_dctx c;
	okit_tlv t;
	okit_val f[F_CrlID__COUNT];
	if (!fraction || !ext)
		return OCSPKIT_E_INVALID_ARGUMENT;
	switch (ext->type) {
	case OCSPKIT_EXT_ARCHIVE_CUTOFF:
	case OCSPKIT_EXT_INVALIDITY_DATE:
		TRY(open_ext(&c, ext, ext->type, &t));
		return okit_der_generalized_time(&c, &t, NULL, fraction);
	case OCSPKIT_EXT_CRL_ID:
		TRY(open_ext(&c, ext, OCSPKIT_EXT_CRL_ID, &t));
		TRY(okit_sch_split(&c, T_CrlID, &t, f, F_CrlID__COUNT));
		if (!f[F_CrlID_crlTime].present)
			return OCSPKIT_E_NOT_FOUND;
		return okit_der_generalized_time(&c, &f[F_CrlID_crlTime].inner, NULL, fraction);
	default:
		return OCSPKIT_E_INVALID_ARGUMENT;
	}
}

ocspkit_err ocspkit_ext_certificate_issuer(ocspkit_bytes *names, const ocspkit_extension *ext)
{
	okit_dctx c;
	okit_tlv t;
	TRY(open_ext(&c, ext, OCSPKIT_EXT_CERTIFICATE_ISSUER, &t));
	*names = okit_whole(&t);
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_extensions_find(const ocspkit_extension **ext, const ocspkit_extension *exts, size_t count,
				    ocspkit_ext_type type)
{
	*ext = NULL;
	for (size_t i = 0; exts && i < count; i++) {
		if (exts[i].type == type) {
			*ext = &exts[i];
			return OCSPKIT_OK;
		}
	}
	return OCSPKIT_E_NOT_FOUND;
}
