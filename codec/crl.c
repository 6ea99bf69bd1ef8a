/* Certificate revocation lists (RFC 5280 section 5): decoding, the
 * entries and their serial index, the CRL extensions.  See <ocspkit/crl.h>
 * and docs/internals/crl.md.
 *
 *   CertificateList ::= SEQUENCE { tbsCertList TBSCertList,
 *                                  signatureAlgorithm AlgorithmIdentifier,
 *                                  signatureValue BIT STRING }
 *   TBSCertList ::= SEQUENCE { version Version OPTIONAL, signature, issuer,
 *                              thisUpdate Time, nextUpdate Time OPTIONAL,
 *                              revokedCertificates SEQUENCE OF SEQUENCE {
 *                                  userCertificate, revocationDate Time,
 *                                  crlEntryExtensions Extensions OPTIONAL }
 *                              OPTIONAL,
 *                              crlExtensions [0] Extensions OPTIONAL } */
#include <config.h>

#include <string.h>

#include <ocspkit/crl.h>

#include "algid.h"
#include "alloc.h"
#include "bytes.h"
#include "crl_index.h"
#include "der.h"
#include "ext.h"
#include "ocsp_asn1.h"
#include "oid.h"
#include "schema.h"
#include "try.h"

/* From entry `from` on, the entries of an indirect CRL belong to the
 * certificate issuer whose GeneralName elements are at names (5.3.3). */
typedef struct {
	uint32_t from;
	uint32_t names, names_len; /* offset and length in the copy */
} issuer_change;

struct ocspkit_crl {
	ocspkit_bytes der; /* the copy of the input, at the end of the block */
	ocspkit_bytes tbs, issuer, signature;
	long version;
	ocspkit_algorithm_id tbs_alg, alg;
	int64_t this_update, next_update;
	int has_next_update;
	unsigned flags;
	const ocspkit_extension *exts; /* crlExtensions, in the block */
	size_t n_exts;
	/* the CRL extensions read (pointers into exts) and their values */
	const ocspkit_extension *idp, *aki, *freshest;
	int has_number, is_delta;
	ocspkit_bytes number, base_number;
	int unknown_critical;
	/* the entries: the offset of each in der, and the index */
	size_t n;
	const uint32_t *pos;
	okit_crl_index index;
	issuer_change *changes; /* its own allocation (NULL without) */
	size_t n_changes;
};

/* 2050-01-01T00:00:00Z: CRL times before it are UTCTime (5.1.2.4). */
#define GENERALIZED_FROM 2524608000LL

/* ---------------------------------------------------------------- times */

/* Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime }, with
 * RFC 5280 5.1.2.4's rule for CRLs: UTCTime through 2049, GeneralizedTime
 * from 2050, never fractions of a second (4.1.2.5.2). */
static ocspkit_err read_time(okit_dctx *c, const okit_tlv *t, int64_t *out)
{
	ocspkit_bytes frac;
	if (t->number == OKIT_TAG_UTC_TIME)
		return okit_der_utc_time(c, t, out);
	TRY(okit_der_generalized_time(c, t, out, &frac));
	if (frac.len || *out < GENERALIZED_FROM)
		return okit_fail(c, t->tlv, OCSPKIT_E_CRL_TIME_FORM);
	return OCSPKIT_OK;
}

/* The same rule for a time the walker has checked, without reading it:
 * a GeneralizedTime is YYYYMMDDHHMMSS[.f]Z, digits. */
static inline ocspkit_err check_time_form(okit_dctx *c, const okit_tlv *t)
{
	if (t->number == OKIT_TAG_UTC_TIME)
		return OCSPKIT_OK;
	const uint8_t *y = t->val;
	int year = (y[0] - '0') * 1000 + (y[1] - '0') * 100 + (y[2] - '0') * 10 + (y[3] - '0');
	if (t->val_len != 15 || year < 2050)
		return okit_fail(c, t->tlv, OCSPKIT_E_CRL_TIME_FORM);
	return OCSPKIT_OK;
}

/* ---------------------------------------------------------------- CRL extensions */

/* CRLNumber ::= INTEGER (0..MAX), at most 20 octets of value (5.2.3). */
static ocspkit_err read_number(okit_dctx *c, okit_type type, const ocspkit_extension *e, ocspkit_bytes *out)
{
	okit_tlv t;
	TRY(okit_sch_check_bytes(c, type, e->value.data, e->value.len, &t));
	ocspkit_bytes m = okit_der_integer_minimal(t.val, t.val_len);
	size_t value_len = m.len > 1 && m.data[0] == 0 ? m.len - 1 : m.len;
	if ((m.data[0] & 0x80) || value_len > 20)
		return okit_fail(c, t.tlv, OCSPKIT_E_BAD_CRL_NUMBER);
	*out = m;
	return OCSPKIT_OK;
}

/* IssuingDistributionPoint (5.2.5): not empty, at most one of the
 * onlyContains... TRUE. */
static ocspkit_err check_idp(okit_dctx *c, const ocspkit_extension *e)
{
	okit_tlv t;
	okit_val f[F_IssuingDistributionPoint__COUNT];
	TRY(okit_sch_check_bytes(c, T_IssuingDistributionPoint, e->value.data, e->value.len, &t));
	if (t.val_len == 0)
		return okit_fail(c, t.tlv, OCSPKIT_E_BAD_ISSUING_DISTRIBUTION_POINT);
	TRY(okit_sch_split(c, T_IssuingDistributionPoint, &t, f, F_IssuingDistributionPoint__COUNT));
	int only = f[F_IssuingDistributionPoint_onlyContainsUserCerts].present +
		   f[F_IssuingDistributionPoint_onlyContainsCACerts].present +
		   f[F_IssuingDistributionPoint_onlyContainsAttributeCerts].present;
	/* present means TRUE: FALSE, the default, is never written */
	if (only > 1)
		return okit_fail(c, t.tlv, OCSPKIT_E_BAD_ISSUING_DISTRIBUTION_POINT);
	return OCSPKIT_OK;
}

/* Checks the value of each CRL extension ocspkit processes and notes
 * where it is; any other critical one makes the CRL unusable. */
static ocspkit_err read_crl_extensions(okit_dctx *c, ocspkit_crl *r)
{
	okit_tlv t;
	for (size_t i = 0; i < r->n_exts; i++) {
		const ocspkit_extension *e = &r->exts[i];
		switch (okit_oid_id(OKIT_OID_EXT, e->oid)) {
		case OKIT_CEXT_CRL_NUMBER:
			TRY(read_number(c, T_CRLNumber, e, &r->number));
			r->has_number = 1;
			break;
		case OKIT_CEXT_DELTA_CRL:
			TRY(read_number(c, T_BaseCRLNumber, e, &r->base_number));
			r->is_delta = 1;
			break;
		case OKIT_CEXT_IDP:
			TRY(check_idp(c, e));
			r->idp = e;
			break;
		case OKIT_CEXT_AKI:
			TRY(okit_sch_check_bytes(c, T_AuthorityKeyIdentifier, e->value.data, e->value.len, &t));
			r->aki = e;
			break;
		case OKIT_CEXT_FRESHEST_CRL:
			TRY(okit_sch_check_bytes(c, T_CRLDistributionPoints, e->value.data, e->value.len, &t));
			r->freshest = e;
			break;
		case OKIT_CEXT_ISSUER_ALT_NAME:
			TRY(okit_sch_check_bytes(c, T_IssuerAltName, e->value.data, e->value.len, &t));
			break;
		case OKIT_CEXT_AIA:
			TRY(okit_sch_check_bytes(c, T_AuthorityInfoAccessSyntax, e->value.data, e->value.len, &t));
			break;
		default:
			if (e->critical)
				r->unknown_critical = 1;
		}
	}
	return OCSPKIT_OK;
}

/* ---------------------------------------------------------------- entries */

/* The entry extensions of 5.3 (and OCSP's public types, which every
 * extension list checks: okit_ext_check_value), by OID, fast for the
 * 2.5.29.x ones every CRL carries. */
enum { ENTRY_EXT_OTHER, ENTRY_EXT_REASON, ENTRY_EXT_HOLD, ENTRY_EXT_INVALIDITY, ENTRY_EXT_ISSUER };

static inline int entry_ext_kind(ocspkit_bytes oid, ocspkit_ext_type *type)
{
	if (oid.len == 3 && oid.data[0] == 0x55 && oid.data[1] == 0x1D) {
		*type = OCSPKIT_EXT_UNKNOWN;
		switch (oid.data[2]) {
		case 21: *type = OCSPKIT_EXT_CRL_REASON; return ENTRY_EXT_REASON;
		case 23: return ENTRY_EXT_HOLD;
		case 24: *type = OCSPKIT_EXT_INVALIDITY_DATE; return ENTRY_EXT_INVALIDITY;
		case 29: *type = OCSPKIT_EXT_CERTIFICATE_ISSUER; return ENTRY_EXT_ISSUER;
		default: return ENTRY_EXT_OTHER;
		}
	}
	*type = okit_ext_type(oid);
	return ENTRY_EXT_OTHER;
}

/* One Extension of a checked list: its fields. */
static ocspkit_err split_extension(okit_dctx *c, const okit_tlv *el, ocspkit_extension *e)
{
	okit_val f[F_Extension__COUNT];
	TRY(okit_sch_split(c, T_Extension, el, f, F_Extension__COUNT));
	e->oid = okit_view(&f[F_Extension_extnID].inner);
	e->critical = f[F_Extension_critical].present && f[F_Extension_critical].inner.val[0] != 0;
	e->value = okit_view(&f[F_Extension_extnValue].inner);
	return OCSPKIT_OK;
}

static ocspkit_err add_change(ocspkit_crl *r, size_t idx, const okit_tlv *names, size_t *cap)
{
	if (r->n_changes == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		issuer_change *nc = okit_realloc(r->changes, ncap * sizeof(*nc));
		if (!nc)
			return OCSPKIT_E_NO_MEMORY;
		r->changes = nc;
		*cap = ncap;
	}
	r->changes[r->n_changes++] = (issuer_change){ (uint32_t)idx, (uint32_t)(names->val - r->der.data),
						      (uint32_t)names->val_len };
	return OCSPKIT_OK;
}

/* The crlEntryExtensions of entry idx: at most OCSPKIT_MAX_EXTENSIONS, each
 * once, known values of their type, the certificate issuer noted. */
static ocspkit_err check_entry_extensions(okit_dctx *c, ocspkit_crl *r, const okit_tlv *list, size_t idx,
					  size_t *changes_cap)
{
	ocspkit_bytes seen[OCSPKIT_MAX_EXTENSIONS];
	okit_iter it;
	okit_tlv el, t;
	size_t k = 0;

	okit_iter_init(&it, list);
	while (okit_iter_next(c, &it, &el)) {
		ocspkit_extension e;
		if (k == OCSPKIT_MAX_EXTENSIONS)
			return okit_fail(c, list->tlv, OCSPKIT_E_LIMIT_EXTENSIONS);
		TRY(split_extension(c, &el, &e));
		for (size_t j = 0; j < k; j++)
			if (okit_bytes_equal(seen[j], e.oid))
				return okit_fail(c, el.tlv, OCSPKIT_E_DUPLICATE_EXTENSION);
		seen[k++] = e.oid;
		int kind = entry_ext_kind(e.oid, &e.type);
		TRY(okit_ext_check_value(c, &e));
		switch (kind) {
		case ENTRY_EXT_HOLD:
			TRY(okit_sch_check_bytes(c, T_HoldInstructionCode, e.value.data, e.value.len, &t));
			break;
		case ENTRY_EXT_ISSUER:
			TRY(okit_der_only(c, e.value.data, e.value.len, &t));
			TRY(add_change(r, idx, &t, changes_cap));
			break;
		case ENTRY_EXT_REASON:
		case ENTRY_EXT_INVALIDITY:
			break;
		default:
			if (e.critical)
				r->unknown_critical = 1;
		}
	}
	return OCSPKIT_OK;
}

/* The serial of entry idx, for the index: the content of its first
 * element.  Both headers were checked by the walker. */
static ocspkit_bytes entry_serial(const void *arg, uint32_t idx)
{
	const ocspkit_crl *r = arg;
	const uint8_t *p = r->der.data + r->pos[idx];
	size_t len = 0;
	p += p[1] < 0x80 ? 2 : 2 + (p[1] & 0x7F); /* into the SEQUENCE */
	if (p[1] < 0x80) {
		len = p[1];
		p += 2;
	} else {
		size_t k = p[1] & 0x7F;
		for (size_t i = 0; i < k; i++)
			len = len << 8 | p[2 + i];
		p += 2 + k;
	}
	return okit_der_integer_minimal(p, len);
}

/* Every entry of the checked revokedCertificates list: RFC 5280's rules,
 * its offset, and its slot for the index (in in[], in the CRL's order). */
static ocspkit_err read_entries(okit_dctx *c, ocspkit_crl *r, uint32_t *pos, const okit_tlv *list,
				okit_crl_slot *in)
{
	okit_iter it;
	okit_tlv el;
	size_t i = 0, changes_cap = 0;
	int allow_negative = (c->flags & OCSPKIT_DECODE_ALLOW_NEGATIVE_SERIAL) != 0;

	okit_iter_init(&it, list);
	while (okit_iter_next(c, &it, &el)) {
		okit_val f[F_RevokedCertificate__COUNT];
		if (i == r->n)
			return okit_fail(c, list->tlv, OCSPKIT_E_INTERNAL);
		TRY(okit_sch_split(c, T_RevokedCertificate, &el, f, F_RevokedCertificate__COUNT));
		const okit_tlv *serial = &f[F_RevokedCertificate_userCertificate].inner;
		if ((serial->val[0] & 0x80) && !allow_negative)
			return okit_fail(c, serial->tlv, OCSPKIT_E_NEGATIVE_SERIAL);
		TRY(check_time_form(c, &f[F_RevokedCertificate_revocationDate].inner));
		if (f[F_RevokedCertificate_crlEntryExtensions].present) {
			/* 5.1.2.1: extensions make a v2 CRL */
			if (r->version == 0)
				return okit_fail(c, f[F_RevokedCertificate_crlEntryExtensions].inner.tlv,
						 OCSPKIT_E_CRL_V1_EXTENSIONS);
			TRY(check_entry_extensions(c, r, &f[F_RevokedCertificate_crlEntryExtensions].inner, i,
						   &changes_cap));
		}
		pos[i] = (uint32_t)(el.tlv - r->der.data);
		ocspkit_bytes m = okit_der_integer_minimal(serial->val, serial->val_len);
		in[i] = (okit_crl_slot){ okit_serial_hash(m.data, m.len), (uint32_t)i };
		i++;
	}
	return i == r->n ? OCSPKIT_OK : okit_fail(c, list->tlv, OCSPKIT_E_INTERNAL);
}

/* ---------------------------------------------------------------- decoding */

/* Where the parts of a CertificateList are. */
typedef struct {
	okit_val top[F_CertificateList__COUNT];
	okit_val tbs[F_TBSCertList__COUNT];
} parts;

static ocspkit_err locate(okit_dctx *c, const okit_tlv *top, parts *p)
{
	TRY(okit_sch_split(c, T_CertificateList, top, p->top, F_CertificateList__COUNT));
	return okit_sch_split(c, T_TBSCertList, &p->top[F_CertificateList_tbsCertList].inner, p->tbs,
			      F_TBSCertList__COUNT);
}

/* version CRLVersion OPTIONAL: "if present, MUST be v2" (5.1.2.1). */
static ocspkit_err read_version(okit_dctx *c, const okit_val *v, long *out)
{
	long n;
	*out = 0;
	if (!v->present)
		return OCSPKIT_OK;
	if (okit_der_small_uint(c, &v->inner, 1, &n) ||
	    (n == 0 && !(c->flags & OCSPKIT_DECODE_ALLOW_EXPLICIT_DEFAULT)))
		return okit_fail(c, v->inner.tlv, OCSPKIT_E_UNSUPPORTED_VERSION);
	*out = n;
	return OCSPKIT_OK;
}

/* The second pass, over the object's copy: every rule the walker does not
 * know, the CRL's fields, the entries' offsets and the index. */
static ocspkit_err read_crl(okit_dctx *c, ocspkit_crl *r, ocspkit_extension *exts, uint32_t *pos,
			    okit_crl_slot *in)
{
	okit_tlv top;
	parts p;
	okit_val *t = p.tbs;

	TRY(okit_der_only(c, r->der.data, r->der.len, &top));
	TRY(locate(c, &top, &p));
	r->tbs = okit_whole(&p.top[F_CertificateList_tbsCertList].inner);
	TRY(read_version(c, &t[F_TBSCertList_version], &r->version));
	TRY(okit_algid_read(c, &t[F_TBSCertList_signature].inner, &r->tbs_alg));
	r->issuer = okit_whole(&t[F_TBSCertList_issuer].inner);
	TRY(read_time(c, &t[F_TBSCertList_thisUpdate].inner, &r->this_update));
	if ((r->has_next_update = t[F_TBSCertList_nextUpdate].present))
		TRY(read_time(c, &t[F_TBSCertList_nextUpdate].inner, &r->next_update));
	if (t[F_TBSCertList_revokedCertificates].present) {
		const okit_tlv *list = &t[F_TBSCertList_revokedCertificates].inner;
		if (list->val_len == 0 && !(c->flags & OCSPKIT_DECODE_ALLOW_EMPTY_REVOKED_LIST))
			return okit_fail(c, list->tlv, OCSPKIT_E_CRL_EMPTY_REVOKED_LIST);
		TRY(read_entries(c, r, pos, list, in));
	}
	if (t[F_TBSCertList_crlExtensions].present) {
		if (r->version == 0)
			return okit_fail(c, t[F_TBSCertList_crlExtensions].outer.tlv, OCSPKIT_E_CRL_V1_EXTENSIONS);
		TRY(okit_exts_read(c, &t[F_TBSCertList_crlExtensions].inner, exts, r->n_exts));
		r->exts = exts;
		TRY(read_crl_extensions(c, r));
	}
	TRY(okit_algid_read(c, &p.top[F_CertificateList_signatureAlgorithm].inner, &r->alg));
	return okit_der_octet_bits(c, &p.top[F_CertificateList_signatureValue].inner, &r->signature);
}

/* The first pass, over the caller's bytes: the whole CRL against the
 * schema (every TLV, strictly), the number of entries, and the size of
 * the crlExtensions list (the one array the object holds). */
static ocspkit_err check_crl(okit_dctx *c, const uint8_t *der, size_t len, size_t *n, size_t *n_exts)
{
	okit_tlv top;
	parts p;
	TRY(okit_sch_check_bytes(c, T_CertificateList, der, len, &top));
	*n = c->counts[OKIT_COUNT_ENTRIES];
	*n_exts = 0;
	TRY(locate(c, &top, &p));
	if (p.tbs[F_TBSCertList_crlExtensions].present)
		TRY(okit_exts_count(c, &p.tbs[F_TBSCertList_crlExtensions].inner, n_exts));
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_crl_decode(ocspkit_crl **out, const uint8_t *der, size_t len, unsigned flags, size_t *err_offset)
{
	okit_dctx c = okit_ctx(der, flags);
	size_t n, n_exts;
	ocspkit_err e;

	if (err_offset)
		*err_offset = 0;
	if (out)
		*out = NULL;
	if (!out || (!der && len))
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (len > OCSPKIT_MAX_CRL_SIZE)
		return OCSPKIT_E_LIMIT_INPUT_SIZE;
	TRY(okit_schema_init());

	if ((e = check_crl(&c, der, len, &n, &n_exts)) != OCSPKIT_OK)
		goto fail;

	/* One block: the object, the crlExtensions, the entries' offsets,
	 * the index (slots and buckets), the copy of the input.  No overflow:
	 * len is bounded, n below len. */
	unsigned bits = okit_crl_index_bits(n);
	size_t buckets = (size_t)1 << bits;
	size_t head = sizeof(ocspkit_crl) + n_exts * sizeof(ocspkit_extension);
	size_t arrays = n * sizeof(uint32_t) + n * sizeof(okit_crl_slot) + (buckets + 1) * sizeof(uint32_t);
	uint8_t *block = okit_malloc(head + arrays + len);
	okit_crl_slot *in = n ? okit_malloc(n * sizeof(*in)) : NULL;
	if (!block || (n && !in)) {
		okit_free(block);
		okit_free(in);
		return OCSPKIT_E_NO_MEMORY;
	}
	ocspkit_crl *r = (ocspkit_crl *)block;
	memset(r, 0, sizeof(*r));
	ocspkit_extension *exts = (ocspkit_extension *)(block + sizeof(ocspkit_crl));
	uint32_t *pos = (uint32_t *)(block + head);
	r->index.slots = (okit_crl_slot *)(pos + n);
	r->index.starts = (uint32_t *)(r->index.slots + n);
	uint8_t *copy = (uint8_t *)(r->index.starts + buckets + 1);
	if (len)
		memcpy(copy, der, len);
	r->der = (ocspkit_bytes){ copy, len };
	r->flags = flags;
	r->n = n;
	r->n_exts = n_exts;
	r->pos = pos;

	c.base = copy;
	e = read_crl(&c, r, exts, pos, in);
	if (e == OCSPKIT_OK && n) {
		r->index.bits = bits;
		r->index.n = n;
		r->index.serial = entry_serial;
		r->index.arg = r;
		okit_crl_index_build(&r->index, in);
	}
	okit_free(in);
	if (e == OCSPKIT_OK) {
		*out = r;
		return OCSPKIT_OK;
	}
	ocspkit_crl_free(r);
fail:
	if (err_offset)
		*err_offset = c.err_off;
	return e;
}

void ocspkit_crl_free(ocspkit_crl *crl)
{
	if (!crl)
		return;
	okit_free(crl->changes);
	okit_free(crl);
}

/* ---------------------------------------------------------------- access */

ocspkit_bytes ocspkit_crl_get_der(const ocspkit_crl *r) { return r->der; }
ocspkit_bytes ocspkit_crl_get_tbs_der(const ocspkit_crl *r) { return r->tbs; }
long ocspkit_crl_get_version(const ocspkit_crl *r) { return r->version; }
const ocspkit_algorithm_id *ocspkit_crl_get_signature_algorithm(const ocspkit_crl *r) { return &r->alg; }
const ocspkit_algorithm_id *ocspkit_crl_get_tbs_signature_algorithm(const ocspkit_crl *r) { return &r->tbs_alg; }
ocspkit_bytes ocspkit_crl_get_signature(const ocspkit_crl *r) { return r->signature; }
ocspkit_bytes ocspkit_crl_get_issuer(const ocspkit_crl *r) { return r->issuer; }
int64_t ocspkit_crl_get_this_update(const ocspkit_crl *r) { return r->this_update; }
size_t ocspkit_crl_get_extension_count(const ocspkit_crl *r) { return r->n_exts; }
int ocspkit_crl_has_unknown_critical_extension(const ocspkit_crl *r) { return r->unknown_critical; }
int ocspkit_crl_is_delta(const ocspkit_crl *r) { return r->is_delta; }
size_t ocspkit_crl_get_entry_count(const ocspkit_crl *r) { return r->n; }

ocspkit_err ocspkit_crl_get_next_update(int64_t *next_update, const ocspkit_crl *r)
{
	if (!next_update || !r)
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (!r->has_next_update)
		return OCSPKIT_E_NOT_FOUND;
	*next_update = r->next_update;
	return OCSPKIT_OK;
}

const ocspkit_extension *ocspkit_crl_get_extension(const ocspkit_crl *r, size_t i)
{
	return i < r->n_exts ? &r->exts[i] : NULL;
}

ocspkit_err ocspkit_crl_get_number(ocspkit_bytes *number, const ocspkit_crl *r)
{
	if (!number || !r)
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (!r->has_number)
		return OCSPKIT_E_NOT_FOUND;
	*number = r->number;
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_crl_get_base_number(ocspkit_bytes *base, const ocspkit_crl *r)
{
	if (!base || !r)
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (!r->is_delta)
		return OCSPKIT_E_NOT_FOUND;
	*base = r->base_number;
	return OCSPKIT_OK;
}

/* DistributionPointName ::= CHOICE { fullName [0] GeneralNames,
 *                                    nameRelativeToCRLIssuer [1] RDN },
 * inside the explicit tag dp (checked). */
static ocspkit_err read_dp_name(okit_dctx *c, const okit_tlv *dp, ocspkit_dp_name *out)
{
	int alt;
	okit_tlv inner;
	TRY(okit_sch_choice(c, T_DistributionPointName, dp, &alt, &inner));
	if (alt == A_DistributionPointName_fullName)
		out->full_name = okit_view(&inner);
	else
		out->relative_name = okit_whole(&inner);
	return OCSPKIT_OK;
}

/* A checked extension value of r, opened again (for the typed readers)
 * with the flags r was decoded with, which accepted it. */
static ocspkit_err open_value(okit_dctx *c, const ocspkit_crl *r, const ocspkit_extension *e, okit_tlv *t)
{
	*c = okit_ctx(e->value.data, r->flags);
	return okit_der_only(c, e->value.data, e->value.len, t);
}

ocspkit_err ocspkit_crl_get_issuing_distribution_point(ocspkit_crl_idp *idp, const ocspkit_crl *r)
{
	okit_dctx c;
	okit_tlv t;
	okit_val f[F_IssuingDistributionPoint__COUNT];
	if (!idp || !r)
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (!r->idp)
		return OCSPKIT_E_NOT_FOUND;
	memset(idp, 0, sizeof(*idp));
	TRY(open_value(&c, r, r->idp, &t));
	TRY(okit_sch_split(&c, T_IssuingDistributionPoint, &t, f, F_IssuingDistributionPoint__COUNT));
	if (f[F_IssuingDistributionPoint_distributionPoint].present)
		TRY(read_dp_name(&c, &f[F_IssuingDistributionPoint_distributionPoint].inner, &idp->distribution_point));
	/* the BOOLEANs are DEFAULT FALSE: present is TRUE */
	idp->only_user_certs = f[F_IssuingDistributionPoint_onlyContainsUserCerts].present;
	idp->only_ca_certs = f[F_IssuingDistributionPoint_onlyContainsCACerts].present;
	idp->only_attribute_certs = f[F_IssuingDistributionPoint_onlyContainsAttributeCerts].present;
	idp->indirect_crl = f[F_IssuingDistributionPoint_indirectCRL].present;
	if ((idp->has_only_some_reasons = f[F_IssuingDistributionPoint_onlySomeReasons].present))
		idp->only_some_reasons = okit_der_named_bits(&f[F_IssuingDistributionPoint_onlySomeReasons].inner);
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_crl_get_authority_key_id(ocspkit_authority_key_id *aki, const ocspkit_crl *r)
{
	okit_dctx c;
	okit_tlv t;
	okit_val f[F_AuthorityKeyIdentifier__COUNT];
	if (!aki || !r)
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (!r->aki)
		return OCSPKIT_E_NOT_FOUND;
	memset(aki, 0, sizeof(*aki));
	TRY(open_value(&c, r, r->aki, &t));
	TRY(okit_sch_split(&c, T_AuthorityKeyIdentifier, &t, f, F_AuthorityKeyIdentifier__COUNT));
	if (f[F_AuthorityKeyIdentifier_keyIdentifier].present)
		aki->key_id = okit_view(&f[F_AuthorityKeyIdentifier_keyIdentifier].inner);
	if (f[F_AuthorityKeyIdentifier_authorityCertIssuer].present)
		aki->issuer = okit_view(&f[F_AuthorityKeyIdentifier_authorityCertIssuer].inner);
	if (f[F_AuthorityKeyIdentifier_authorityCertSerialNumber].present)
		aki->serial = okit_view(&f[F_AuthorityKeyIdentifier_authorityCertSerialNumber].inner);
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_crl_get_freshest_crl(ocspkit_distribution_point *dps, size_t max, size_t *count,
					 const ocspkit_crl *r)
{
	okit_dctx c;
	okit_tlv t, el;
	okit_iter it;
	size_t n = 0;
	if (!count || !r || (max && !dps))
		return OCSPKIT_E_INVALID_ARGUMENT;
	*count = 0;
	if (!r->freshest)
		return OCSPKIT_E_NOT_FOUND;
	TRY(open_value(&c, r, r->freshest, &t));
	okit_iter_init(&it, &t);
	while (okit_iter_next(&c, &it, &el)) {
		okit_val f[F_DistributionPoint__COUNT];
		if (n < max) {
			ocspkit_distribution_point *d = &dps[n];
			memset(d, 0, sizeof(*d));
			TRY(okit_sch_split(&c, T_DistributionPoint, &el, f, F_DistributionPoint__COUNT));
			if (f[F_DistributionPoint_distributionPoint].present)
				TRY(read_dp_name(&c, &f[F_DistributionPoint_distributionPoint].inner,
						 &d->distribution_point));
			if ((d->has_reasons = f[F_DistributionPoint_reasons].present))
				d->reasons = okit_der_named_bits(&f[F_DistributionPoint_reasons].inner);
			if (f[F_DistributionPoint_cRLIssuer].present)
				d->crl_issuer = okit_view(&f[F_DistributionPoint_cRLIssuer].inner);
		}
		n++;
	}
	*count = n;
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_general_names_next(ocspkit_bytes *name, ocspkit_bytes *names)
{
	okit_dctx c;
	okit_tlv t;
	const uint8_t *p;
	size_t n;
	if (!name || !names || (!names->data && names->len))
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (names->len == 0)
		return OCSPKIT_E_NOT_FOUND;
	p = names->data;
	n = names->len;
	c = okit_ctx(p, 0);
	TRY(okit_der_next(&c, &p, &n, &t));
	*name = okit_whole(&t);
	*names = (ocspkit_bytes){ p, n };
	return OCSPKIT_OK;
}

/* ---------------------------------------------------------------- entries */

/* The GeneralName elements of the certificate issuer entry idx belongs to,
 * or an empty view for the CRL issuer. */
static ocspkit_bytes issuer_of(const ocspkit_crl *r, size_t idx)
{
	size_t lo = 0, hi = r->n_changes;
	/* the last change from or before idx */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->changes[mid].from <= idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return (ocspkit_bytes){ NULL, 0 };
	const issuer_change *ch = &r->changes[lo - 1];
	return (ocspkit_bytes){ r->der.data + ch->names, ch->names_len };
}

/* Reads entry idx, which decoding checked; errors here are internal. */
static ocspkit_err read_entry(ocspkit_crl_entry *out, const ocspkit_crl *r, size_t idx)
{
	okit_dctx c = okit_ctx(r->der.data, r->flags);
	const uint8_t *p = r->der.data + r->pos[idx];
	size_t left = r->der.len - r->pos[idx];
	okit_tlv el, t;
	okit_val f[F_RevokedCertificate__COUNT];

	memset(out, 0, sizeof(*out));
	TRY(okit_der_next(&c, &p, &left, &el));
	TRY(okit_sch_split(&c, T_RevokedCertificate, &el, f, F_RevokedCertificate__COUNT));
	const okit_tlv *serial = &f[F_RevokedCertificate_userCertificate].inner;
	out->serial = okit_der_integer_minimal(serial->val, serial->val_len);
	TRY(read_time(&c, &f[F_RevokedCertificate_revocationDate].inner, &out->revocation_date));
	out->index = idx;
	out->certificate_issuer = issuer_of(r, idx);
	if (!f[F_RevokedCertificate_crlEntryExtensions].present)
		return OCSPKIT_OK;

	const okit_tlv *list = &f[F_RevokedCertificate_crlEntryExtensions].inner;
	okit_iter it;
	out->extensions = okit_whole(list);
	okit_iter_init(&it, list);
	while (okit_iter_next(&c, &it, &el)) {
		ocspkit_extension e;
		long v;
		out->extension_count++;
		TRY(split_extension(&c, &el, &e));
		switch (entry_ext_kind(e.oid, &e.type)) {
		case ENTRY_EXT_REASON:
			TRY(okit_der_only(&c, e.value.data, e.value.len, &t));
			TRY(okit_der_small_uint(&c, &t, 10, &v));
			out->has_reason = 1;
			out->reason = (ocspkit_crl_reason)v;
			break;
		case ENTRY_EXT_INVALIDITY:
			TRY(okit_der_only(&c, e.value.data, e.value.len, &t));
			TRY(okit_der_generalized_time(&c, &t, &out->invalidity_date, NULL));
			out->has_invalidity_date = 1;
			break;
		case ENTRY_EXT_HOLD:
			TRY(okit_der_only(&c, e.value.data, e.value.len, &t));
			out->hold_instruction = okit_view(&t);
			break;
		default:
			break;
		}
	}
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_crl_get_entry(ocspkit_crl_entry *entry, const ocspkit_crl *r, size_t i)
{
	if (!entry || !r)
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (i >= r->n)
		return OCSPKIT_E_NOT_FOUND;
	return read_entry(entry, r, i);
}

ocspkit_err ocspkit_crl_entry_get_extension(ocspkit_extension *ext, const ocspkit_crl_entry *entry, size_t i)
{
	okit_dctx c;
	okit_tlv list, el;
	okit_iter it;
	if (!ext || !entry)
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (i >= entry->extension_count)
		return OCSPKIT_E_NOT_FOUND;
	/* Decoding checked the list with the CRL's flags, which the entry
	 * does not carry: read it again with every tolerance, which accepts
	 * nothing decoding refused (an explicit critical FALSE, under
	 * OCSPKIT_DECODE_ALLOW_EXPLICIT_DEFAULT, was a fuzzer's find). */
	c = okit_ctx(entry->extensions.data, OCSPKIT_DECODE_ALLOW_EXPLICIT_DEFAULT | OCSPKIT_DECODE_ALLOW_PADDED_INTEGER);
	TRY(okit_der_only(&c, entry->extensions.data, entry->extensions.len, &list));
	okit_iter_init(&it, &list);
	for (size_t k = 0; okit_iter_next(&c, &it, &el); k++) {
		if (k < i)
			continue;
		TRY(split_extension(&c, &el, ext));
		ext->type = okit_ext_type(ext->oid);
		return OCSPKIT_OK;
	}
	return OCSPKIT_E_INTERNAL;
}

/* Does the certificate issuer of entry idx (names, from issuer_of) name
 * issuer?  No names: the CRL issuer. */
static int issued_by(const ocspkit_crl *r, ocspkit_bytes names, ocspkit_bytes issuer)
{
	ocspkit_bytes gn;
	if (names.len == 0)
		return okit_bytes_equal(r->issuer, issuer);
	while (ocspkit_general_names_next(&gn, &names) == OCSPKIT_OK) {
		okit_dctx c = okit_ctx(gn.data, 0);
		okit_tlv t, inner;
		/* directoryName [4] Name: explicit, the Name inside */
		if (gn.data[0] == (OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 4) &&
		    okit_der_only(&c, gn.data, gn.len, &t) == OCSPKIT_OK &&
		    okit_der_only(&c, t.val, t.val_len, &inner) == OCSPKIT_OK &&
		    okit_bytes_equal(okit_whole(&inner), issuer))
			return 1;
	}
	return 0;
}

/* Two entries for one certificate say the same about it. */
static int same_revocation(const ocspkit_crl_entry *a, const ocspkit_crl_entry *b)
{
	return a->revocation_date == b->revocation_date && a->has_reason == b->has_reason &&
	       (!a->has_reason || a->reason == b->reason) && a->has_invalidity_date == b->has_invalidity_date &&
	       (!a->has_invalidity_date || a->invalidity_date == b->invalidity_date) &&
	       okit_bytes_equal(a->hold_instruction, b->hold_instruction);
}

ocspkit_err ocspkit_crl_find_issued_by(ocspkit_crl_entry *entry, const ocspkit_crl *r, ocspkit_bytes issuer,
				       ocspkit_bytes serial)
{
	ocspkit_crl_entry other;
	int found = 0;
	if (!entry || !r || !serial.data || serial.len == 0 || !issuer.data || issuer.len == 0)
		return OCSPKIT_E_INVALID_ARGUMENT;
	ocspkit_bytes m = okit_der_integer_minimal(serial.data, serial.len);
	uint32_t h = okit_serial_hash(m.data, m.len);
	for (size_t p = okit_crl_index_find(&r->index, m, h); p < r->n; p++) {
		uint32_t idx = r->index.slots[p].idx;
		if (r->index.slots[p].hash != h || okit_serial_cmp(entry_serial(r, idx), m) != 0)
			break;
		if (!issued_by(r, issuer_of(r, idx), issuer))
			continue;
		TRY(read_entry(found ? &other : entry, r, idx));
		if (found && !same_revocation(entry, &other))
			return OCSPKIT_E_CRL_ENTRY_CONFLICT;
		found = 1;
	}
	return found ? OCSPKIT_OK : OCSPKIT_E_NOT_FOUND;
}

ocspkit_err ocspkit_crl_find(ocspkit_crl_entry *entry, const ocspkit_crl *r, ocspkit_bytes serial)
{
	if (!r)
		return OCSPKIT_E_INVALID_ARGUMENT;
	return ocspkit_crl_find_issued_by(entry, r, r->issuer, serial);
}
