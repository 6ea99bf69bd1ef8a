/* Certificates (RFC 5280): the fields and extensions OCSP needs. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <ocspkit/x509.h>

#include "algid.h"
#include "alloc.h"
#include "decode.h"
#include "der.h"
#include "ext.h"
#include "hash.h"
#include "ocsp_asn1.h"
#include "oid.h"
#include "schema.h"
#include "try.h"

struct ocspkit_cert {
	ocspkit_bytes der; /* copy of the input, after this struct */
	ocspkit_bytes tbs, serial, issuer, subject, spki, public_key, signature;
	long version;
	int64_t not_before, not_after;
	ocspkit_bytes not_before_frac, not_after_frac; /* GeneralizedTime fractions */
	ocspkit_algorithm_id key_alg, sig_alg;
	const ocspkit_extension *exts; /* in the same block */
	size_t n_exts;
	int is_ca, ocsp_signing, nocheck, must_staple, has_key_usage;
	unsigned key_usage;
	const ocspkit_extension *aia;
};

static ocspkit_err read_time_choice(okit_dctx *c, const okit_tlv *t, int64_t *out, ocspkit_bytes *frac)
{
	int alt;
	okit_tlv inner;
	TRY(okit_sch_choice(c, T_Time, t, &alt, &inner));
	return alt == A_Time_utcTime ? okit_der_utc_time(c, &inner, out) : okit_der_generalized_time(c, &inner, out, frac);
}

static ocspkit_err read_cert_extension(okit_dctx *c, ocspkit_cert *x, const ocspkit_extension *e)
{
	okit_tlv t;
	okit_iter it;
	okit_tlv el;
	int id = okit_oid_id(OKIT_OID_EXT, e->oid);

	switch (id) {
	case OKIT_CEXT_BASIC_CONSTRAINTS: {
		okit_val f[F_BasicConstraints__COUNT];
		TRY(okit_sch_check_bytes(c, T_BasicConstraints, e->value.data, e->value.len, &t));
		TRY(okit_sch_split(c, T_BasicConstraints, &t, f, F_BasicConstraints__COUNT));
		x->is_ca = f[F_BasicConstraints_cA].present && f[F_BasicConstraints_cA].inner.val[0] != 0;
		break;
	}
	case OKIT_CEXT_KEY_USAGE:
		TRY(okit_sch_check_bytes(c, T_KeyUsage, e->value.data, e->value.len, &t));
		x->has_key_usage = 1;
		x->key_usage = okit_der_named_bits(&t);
		break;
	case OKIT_CEXT_EXT_KEY_USAGE:
		TRY(okit_sch_check_bytes(c, T_ExtKeyUsageSyntax, e->value.data, e->value.len, &t));
		okit_iter_init(&it, &t);
		while (okit_iter_next(c, &it, &el))
			if (okit_oid_id(OKIT_OID_MISC, okit_view(&el)) == OKIT_MISC_KP_OCSP_SIGNING)
				x->ocsp_signing = 1;
		break;
	case OKIT_CEXT_AIA:
		TRY(okit_sch_check_bytes(c, T_AuthorityInfoAccessSyntax, e->value.data, e->value.len, &t));
		x->aia = e;
		break;
	case OKIT_CEXT_TLS_FEATURE:
		/* RFC 7633: status_request is feature 5 */
		TRY(okit_sch_check_bytes(c, T_Features, e->value.data, e->value.len, &t));
		okit_iter_init(&it, &t);
		while (okit_iter_next(c, &it, &el))
			if (el.val_len == 1 && el.val[0] == 5)
				x->must_staple = 1;
		break;
	case OCSPKIT_EXT_NOCHECK:
		x->nocheck = 1;
		break;
	default:
		break;
	}
	return OCSPKIT_OK;
}

/* Reads the fields of x->der, which okit_sch_check_bytes accepted as a
 * Certificate; the extensions go to exts. */
static ocspkit_err decode(okit_dctx *c, ocspkit_cert *x, okit_ext_store *exts)
{
	okit_tlv top;
	okit_val f[F_Certificate__COUNT], tbs[F_TBSCertificate__COUNT], val[F_Validity__COUNT], spki[F_SubjectPublicKeyInfo__COUNT];

	TRY(okit_der_only(c, x->der.data, x->der.len, &top));
	TRY(okit_sch_split(c, T_Certificate, &top, f, F_Certificate__COUNT));
	TRY(okit_sch_split(c, T_TBSCertificate, &f[F_Certificate_tbsCertificate].inner, tbs, F_TBSCertificate__COUNT));
	x->tbs = okit_whole(&f[F_Certificate_tbsCertificate].inner);
	TRY(okit_algid_read(c, &f[F_Certificate_signatureAlgorithm].inner, &x->sig_alg));
	TRY(okit_der_octet_bits(c, &f[F_Certificate_signature].inner, &x->signature));

	if (tbs[F_TBSCertificate_version].present &&
	    okit_der_small_uint(c, &tbs[F_TBSCertificate_version].inner, 2, &x->version))
		return okit_fail(c, tbs[F_TBSCertificate_version].inner.tlv, OCSPKIT_E_UNSUPPORTED_VERSION);
	x->serial = okit_der_integer_minimal(tbs[F_TBSCertificate_serialNumber].inner.val, tbs[F_TBSCertificate_serialNumber].inner.val_len);
	x->issuer = okit_whole(&tbs[F_TBSCertificate_issuer].inner);
	x->subject = okit_whole(&tbs[F_TBSCertificate_subject].inner);
	TRY(okit_sch_split(c, T_Validity, &tbs[F_TBSCertificate_validity].inner, val, F_Validity__COUNT));
	TRY(read_time_choice(c, &val[F_Validity_notBefore].inner, &x->not_before, &x->not_before_frac));
	TRY(read_time_choice(c, &val[F_Validity_notAfter].inner, &x->not_after, &x->not_after_frac));
	x->spki = okit_whole(&tbs[F_TBSCertificate_subjectPublicKeyInfo].inner);
	TRY(okit_sch_split(c, T_SubjectPublicKeyInfo, &tbs[F_TBSCertificate_subjectPublicKeyInfo].inner, spki, F_SubjectPublicKeyInfo__COUNT));
	TRY(okit_algid_read(c, &spki[F_SubjectPublicKeyInfo_algorithm].inner, &x->key_alg));
	if (okit_der_octet_bits(c, &spki[F_SubjectPublicKeyInfo_subjectPublicKey].inner, &x->public_key))
		return okit_fail(c, spki[F_SubjectPublicKeyInfo_subjectPublicKey].inner.tlv, OCSPKIT_E_BAD_PUBLIC_KEY);

	if (tbs[F_TBSCertificate_extensions].present) {
		TRY(okit_exts_take(c, exts, &tbs[F_TBSCertificate_extensions].inner, &x->exts, &x->n_exts));
		for (size_t i = 0; i < x->n_exts; i++)
			TRY(read_cert_extension(c, x, &x->exts[i]));
	}
	return OCSPKIT_OK;
}

/* As for requests and responses: okit_decode's check and count, then one
 * block for the object, its extensions and its copy of the input. */
static ocspkit_err check_cert(void *state, okit_dctx *c, const uint8_t *der, size_t len, size_t n[])
{
	okit_tlv top;
	TRY(okit_sch_check_bytes(c, T_Certificate, der, len, &top));
	memcpy(n, c->counts, sizeof(c->counts));
	return OCSPKIT_OK;
}

static ocspkit_err read_cert(void *state, okit_dctx *c, void *obj, okit_block *blk, size_t len)
{
	ocspkit_cert *x = obj;
	x->der = (ocspkit_bytes){ blk->copy, len };
	return decode(c, x, &blk->exts);
}

static const okit_decoder cert_decoder = { sizeof(ocspkit_cert), 0, check_cert, read_cert };

ocspkit_err ocspkit_cert_decode(ocspkit_cert **out, const uint8_t *der, size_t len, unsigned flags,
				size_t *err_offset)
{
	ocspkit_err e;
	ocspkit_cert *obj = okit_decode(&cert_decoder, NULL, out != NULL, der, len, flags, err_offset, &e);
	if (out)
		*out = obj;
	return e;
}

void ocspkit_cert_free(ocspkit_cert *cert)
{
	okit_free(cert);
}

/* The accessors of <ocspkit/x509.h>: one line each (the object is opaque). */
ocspkit_bytes ocspkit_cert_get_der(const ocspkit_cert *x) { return x->der; }
ocspkit_bytes ocspkit_cert_get_tbs_der(const ocspkit_cert *x) { return x->tbs; }
long ocspkit_cert_get_version(const ocspkit_cert *x) { return x->version; }
ocspkit_bytes ocspkit_cert_get_serial(const ocspkit_cert *x) { return x->serial; }
ocspkit_bytes ocspkit_cert_get_issuer(const ocspkit_cert *x) { return x->issuer; }
ocspkit_bytes ocspkit_cert_get_subject(const ocspkit_cert *x) { return x->subject; }
int64_t ocspkit_cert_get_not_before(const ocspkit_cert *x) { return x->not_before; }
int64_t ocspkit_cert_get_not_after(const ocspkit_cert *x) { return x->not_after; }
ocspkit_bytes ocspkit_cert_get_not_before_fraction(const ocspkit_cert *x) { return x->not_before_frac; }
ocspkit_bytes ocspkit_cert_get_not_after_fraction(const ocspkit_cert *x) { return x->not_after_frac; }
ocspkit_bytes ocspkit_cert_get_spki(const ocspkit_cert *x) { return x->spki; }
ocspkit_algorithm_id ocspkit_cert_get_key_algorithm(const ocspkit_cert *x) { return x->key_alg; }
ocspkit_bytes ocspkit_cert_get_public_key(const ocspkit_cert *x) { return x->public_key; }
ocspkit_algorithm_id ocspkit_cert_get_signature_algorithm(const ocspkit_cert *x) { return x->sig_alg; }
ocspkit_bytes ocspkit_cert_get_signature(const ocspkit_cert *x) { return x->signature; }
size_t ocspkit_cert_get_extension_count(const ocspkit_cert *x) { return x->n_exts; }
int ocspkit_cert_is_ca(const ocspkit_cert *x) { return x->is_ca; }
int ocspkit_cert_has_ocsp_signing(const ocspkit_cert *x) { return x->ocsp_signing; }
int ocspkit_cert_has_ocsp_nocheck(const ocspkit_cert *x) { return x->nocheck; }
int ocspkit_cert_has_must_staple(const ocspkit_cert *x) { return x->must_staple; }

const ocspkit_extension *ocspkit_cert_get_extension(const ocspkit_cert *x, size_t i)
{
	return i < x->n_exts ? &x->exts[i] : NULL;
}

ocspkit_err ocspkit_cert_get_key_usage(unsigned *usage, const ocspkit_cert *x)
{
	if (!x->has_key_usage)
		return OCSPKIT_E_NOT_FOUND;
	*usage = x->key_usage;
	return OCSPKIT_OK;
}

/* AuthorityInfoAccessSyntax ::= SEQUENCE OF AccessDescription
 * AccessDescription ::= SEQUENCE { accessMethod OID, accessLocation GeneralName } */
ocspkit_err ocspkit_cert_get_ocsp_urls(ocspkit_bytes *urls, size_t max, size_t *count, const ocspkit_cert *x)
{
	okit_dctx c = okit_ctx(NULL, 0);
	okit_tlv t, el;
	okit_iter it;
	size_t n = 0;

	if (!count)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*count = 0;
	if (!x->aia)
		return OCSPKIT_OK;
	c.base = x->aia->value.data;
	TRY(okit_der_only(&c, x->aia->value.data, x->aia->value.len, &t));
	okit_iter_init(&it, &t);
	while (okit_iter_next(&c, &it, &el)) {
		okit_val f[F_AccessDescription__COUNT];
		okit_tlv loc;
		int alt;
		TRY(okit_sch_split(&c, T_AccessDescription, &el, f, F_AccessDescription__COUNT));
		if (okit_oid_id(OKIT_OID_MISC, okit_view(&f[F_AccessDescription_accessMethod].inner)) != OKIT_MISC_AD_OCSP)
			continue;
		TRY(okit_sch_choice(&c, T_GeneralName, &f[F_AccessDescription_accessLocation].inner, &alt, &loc));
		if (alt != A_GeneralName_uniformResourceIdentifier)
			continue;
		if (urls && n < max)
			urls[n] = okit_view(&loc);
		n++;
	}
	*count = n;
	return OCSPKIT_OK;
}

void ocspkit_cert_get_key_hash(uint8_t out[20], const ocspkit_cert *x)
{
	(void)okit_hash_digest(OCSPKIT_HASH_SHA1, x->public_key.data, x->public_key.len, out);
}

