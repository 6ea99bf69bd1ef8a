/* Response validation: RFC 6960 section 3.2 (what a client must check)
 * and 4.2.2.2 (who may sign).  See ocspkit_response_validate in
 * <ocspkit/validate.h> for the checks and their errors.
 *
 * Trust: the issuer (and params.trusted) are taken as given; a trusted
 * responder must still be valid now and at producedAt.  The certificate
 * judged in full is a delegated responder's: issued by the issuer (name and
 * signature), with id-kp-OCSPSigning, a keyUsage that allows signing, no
 * unknown critical extension, valid now and at producedAt. */
#include <config.h>

#include <string.h>

#include <ocspkit/crypto.h>
#include <ocspkit/validate.h>
#include <ocspkit/x509.h>

#include "algid.h"
#include "alloc.h"
#include "bytes.h"
#include "delegated_cache.h"
#include "der.h"
#include "hash.h"
#include "oid.h"
#include "response.h"
#include "sigalg.h"
#include "try.h"

/* What the signing key is, however it was found. */
typedef struct {
	const ocspkit_pubkey *key;
	int64_t not_before, not_after;
	int nocheck;
	ocspkit_bytes der;
} signer_info;

typedef struct {
	const ocspkit_response *resp;
	const ocspkit_validate_params *p;
	ocspkit_validate_result *res;
	int64_t now;
	ocspkit_response_tbs data;
	ocspkit_signature_block sig;
	ocspkit_bytes tbs;
	ocspkit_pubkey *ca_key;          /* parsed once, when needed */
	/* issuer name and key hashes, per CertID hash, computed when needed */
	uint8_t have[8];
	uint8_t name_hash[8][64], key_hash[8][64];
} vctx;

static ocspkit_err ca_key(vctx *v, const ocspkit_pubkey **out)
{
	if (!v->ca_key)
		TRY(ocspkit_pubkey_from_cert(&v->ca_key, v->p->issuer));
	*out = v->ca_key;
	return OCSPKIT_OK;
}

static ocspkit_err check_response_signature(vctx *v, const ocspkit_pubkey *key)
{
	return ocspkit_verify_signature(key, &v->sig.algorithm, v->tbs.data, v->tbs.len, v->sig.signature);
}

/* Does the ResponderID name this certificate (by subject or key hash)? */
static int rid_matches(const ocspkit_responder_id *rid, ocspkit_bytes subject, const uint8_t key_hash[20])
{
	if (rid->type == OCSPKIT_RESPONDER_BY_NAME)
		return okit_bytes_equal(rid->value, subject);
	return rid->value.len == 20 && memcmp(rid->value.data, key_hash, 20) == 0;
}

static int cert_rid_matches(const ocspkit_responder_id *rid, const ocspkit_cert *cert)
{
	uint8_t kh[20] = { 0 };
	if (rid->type == OCSPKIT_RESPONDER_BY_KEY)
		ocspkit_cert_get_key_hash(kh, cert);
	return rid_matches(rid, ocspkit_cert_get_subject(cert), kh);
}

/* Certificate extensions a validator that reads this one may see critical:
 * the ones the codec reads or that do not restrict this use. */
static int cert_ext_understood(const ocspkit_extension *e)
{
	const okit_oid *o = okit_oid_find(OKIT_OID_EXT, e->oid);
	if (!o)
		return 0;
	switch (o->id) {
	case OKIT_CEXT_KEY_USAGE:
	case OKIT_CEXT_BASIC_CONSTRAINTS:
	case OKIT_CEXT_EXT_KEY_USAGE:
	case OKIT_CEXT_AIA:
	case OKIT_CEXT_TLS_FEATURE:
	case OKIT_CEXT_SKI:
	case OKIT_CEXT_AKI:
	case OKIT_CEXT_SAN:
	case OKIT_CEXT_CRL_DP:
	case OKIT_CEXT_POLICIES:
	case OKIT_CEXT_SCT_LIST:
	case OCSPKIT_EXT_NOCHECK:
		return 1;
	default:
		return 0;
	}
}

/* The checks of a delegated responder certificate that depend only on the
 * certificate and the CA (what the cache remembers). */
static ocspkit_err check_delegated_cert(vctx *v, const ocspkit_cert *cert, ocspkit_pubkey **key_out)
{
	const ocspkit_cert *ca = v->p->issuer;
	const ocspkit_pubkey *cak;
	unsigned ku;
	ocspkit_err e;

	*key_out = NULL;
	/* 4.2.2.2: "issued directly by the CA that is identified in the request" */
	if (!okit_bytes_equal(ocspkit_cert_get_issuer(cert), ocspkit_cert_get_subject(ca)))
		return OCSPKIT_E_SIGNER_WRONG_ISSUER;
	if (!ocspkit_cert_has_ocsp_signing(cert))
		return OCSPKIT_E_SIGNER_NO_OCSP_SIGNING;
	/* RFC 5280 4.2.1.3: signing needs digitalSignature or nonRepudiation */
	if (ocspkit_cert_get_key_usage(&ku, cert) == OCSPKIT_OK && !(ku & 0x3))
		return OCSPKIT_E_SIGNER_NOT_AUTHORIZED;
	for (size_t i = 0; i < ocspkit_cert_get_extension_count(cert); i++) {
		const ocspkit_extension *x = ocspkit_cert_get_extension(cert, i);
		if (x->critical && !cert_ext_understood(x))
			return OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION;
	}
	TRY(ca_key(v, &cak));
	e = ocspkit_cert_verify(cert, cak);
	if (e == OCSPKIT_E_SIGNATURE_INVALID || e == OCSPKIT_E_BAD_SIGNATURE_ENCODING ||
	    e == OCSPKIT_E_KEY_ALGORITHM_MISMATCH)
		return OCSPKIT_E_SIGNER_CERT_SIGNATURE;
	if (e)
		return e;
	return ocspkit_pubkey_from_cert(key_out, cert);
}

/* The signer's validity: now (with skew) and at producedAt. */
static ocspkit_err check_signer_dates(vctx *v, const signer_info *s)
{
	int64_t skew = v->p->skew;
	if (v->now < s->not_before - skew)
		return OCSPKIT_E_SIGNER_NOT_YET_VALID;
	if (v->now > s->not_after + skew)
		return OCSPKIT_E_SIGNER_EXPIRED;
	if (v->data.produced_at < s->not_before || v->data.produced_at > s->not_after)
		return OCSPKIT_E_PRODUCED_AT_INVALID;
	return OCSPKIT_OK;
}

/* The checks that depend on the time and the response. */
static ocspkit_err check_signer(vctx *v, const signer_info *s)
{
	TRY(check_signer_dates(v, s));
	return check_response_signature(v, s->key);
}

static void set_signer(vctx *v, ocspkit_signer_kind kind, const signer_info *s)
{
	v->res->signer = kind;
	v->res->signer_cert = s ? s->der : ocspkit_cert_get_der(v->p->issuer);
	v->res->nocheck = s ? s->nocheck : 0;
}

/* One certificate carried in the response, as a delegated responder.
 * Returns -1 when it is not the one the ResponderID names. */
static int try_embedded(vctx *v, ocspkit_bytes der, ocspkit_err *err)
{
	const ocspkit_responder_id *rid = &v->data.responder_id;
	ocspkit_responder_cache *cache = v->p->cache;
	okit_delegated *r = cache ? okit_delegated_cache_get(cache, der, v->p->issuer) : NULL;
	ocspkit_cert *cert = NULL;
	ocspkit_pubkey *key = NULL;
	signer_info s;
	ocspkit_err e;

	if (r) {
		if (!rid_matches(rid, r->subject, r->key_hash)) {
			okit_delegated_unref(r);
			return -1;
		}
		s = (signer_info){ r->key, r->not_before, r->not_after, r->nocheck, r->der };
		e = check_signer(v, &s);
		if (!e) {
			set_signer(v, OCSPKIT_SIGNER_DELEGATED, &s);
			v->res->signer_cert = der; /* the response's copy outlives r */
			v->res->cache_hit = 1;
		}
		okit_delegated_unref(r);
		*err = e;
		return 0;
	}

	e = ocspkit_cert_decode(&cert, der.data, der.len, v->p->flags & 0xFF, NULL);
	if (e) {
		/* a certificate nobody can read names no responder */
		*err = e == OCSPKIT_E_NO_MEMORY ? e : OCSPKIT_E_BAD_CERTIFICATE;
		return e == OCSPKIT_E_NO_MEMORY ? 0 : -1;
	}
	if (!cert_rid_matches(rid, cert)) {
		ocspkit_cert_free(cert);
		return -1;
	}
	e = check_delegated_cert(v, cert, &key);
	if (!e) {
		s = (signer_info){ key, ocspkit_cert_get_not_before(cert), ocspkit_cert_get_not_after(cert),
				   ocspkit_cert_has_ocsp_nocheck(cert), der };
		e = check_signer(v, &s);
		if (!e)
			set_signer(v, OCSPKIT_SIGNER_DELEGATED, &s);
		/* what was verified is true at any time: remember it even if
		 * this response is out of date */
		if (cache && (e == OCSPKIT_OK || e == OCSPKIT_E_SIGNER_EXPIRED || e == OCSPKIT_E_SIGNER_NOT_YET_VALID ||
			      e == OCSPKIT_E_PRODUCED_AT_INVALID)) {
			okit_delegated *nr;
			if (okit_delegated_new(&nr, cert, v->p->issuer, key) == OCSPKIT_OK) {
				okit_delegated_cache_put(cache, nr);
				okit_delegated_unref(nr);
			}
			key = NULL; /* owned by the entry now, or freed */
		}
	}
	ocspkit_pubkey_free(key);
	ocspkit_cert_free(cert);
	*err = e;
	return 0;
}

/* Whether the key of cert verifies the response's signature. */
static ocspkit_err signed_with(vctx *v, const ocspkit_cert *cert)
{
	ocspkit_pubkey *k;
	TRY(ocspkit_pubkey_from_cert(&k, cert));
	ocspkit_err e = check_response_signature(v, k);
	ocspkit_pubkey_free(k);
	return e;
}

/* When nothing the ResponderID names signed: does a key we know verify
 * the signature (the ResponderID is wrong) or not (the signer is absent)?
 * Running out of memory on the way is no answer either way. */
static ocspkit_err classify_unnamed(vctx *v)
{
	const ocspkit_pubkey *cak;
	ocspkit_err e = ca_key(v, &cak);
	if (e == OCSPKIT_E_NO_MEMORY)
		return e;
	if (e == OCSPKIT_OK && (e = check_response_signature(v, cak)) == OCSPKIT_OK)
		return OCSPKIT_E_RESPONDER_ID_MISMATCH;
	if (e == OCSPKIT_E_NO_MEMORY)
		return e;
	for (size_t i = 0; i < v->p->trusted_count; i++) {
		if ((e = signed_with(v, v->p->trusted[i])) == OCSPKIT_OK)
			return OCSPKIT_E_RESPONDER_ID_MISMATCH;
		if (e == OCSPKIT_E_NO_MEMORY)
			return e;
	}
	for (size_t i = 0; i < v->sig.cert_count; i++) {
		ocspkit_cert *c;
		if ((e = ocspkit_cert_decode(&c, v->sig.certs[i].data, v->sig.certs[i].len, v->p->flags & 0xFF, NULL))) {
			if (e == OCSPKIT_E_NO_MEMORY)
				return e;
			continue;
		}
		e = signed_with(v, c);
		ocspkit_cert_free(c);
		if (e == OCSPKIT_OK)
			return OCSPKIT_E_RESPONDER_ID_MISMATCH;
		if (e == OCSPKIT_E_NO_MEMORY)
			return e;
	}
	return OCSPKIT_E_SIGNER_NOT_FOUND;
}

/* RFC 6960 4.2.2.2: the CA itself, a locally trusted responder, or a
 * delegated responder.  Candidates are those the ResponderID names; the
 * first that passes every check is the signer, else the first failure. */
static ocspkit_err find_signer(vctx *v)
{
	const ocspkit_responder_id *rid = &v->data.responder_id;
	ocspkit_err first = OCSPKIT_OK;
	int named = 0;

	if (cert_rid_matches(rid, v->p->issuer)) {
		const ocspkit_pubkey *cak;
		ocspkit_err e = ca_key(v, &cak);
		if (!e)
			e = check_response_signature(v, cak);
		if (!e) {
			set_signer(v, OCSPKIT_SIGNER_CA, NULL);
			return OCSPKIT_OK;
		}
		if (e == OCSPKIT_E_NO_MEMORY)
			return e;
		named = 1;
		first = e;
	}
	for (size_t i = 0; i < v->p->trusted_count; i++) {
		const ocspkit_cert *t = v->p->trusted[i];
		ocspkit_pubkey *k;
		if (!t || !cert_rid_matches(rid, t))
			continue;
		ocspkit_err e = ocspkit_pubkey_from_cert(&k, t);
		if (!e) {
			/* trusted as given, but not outside its validity; the
			 * signature first, so that a key that did not sign is
			 * reported as such whatever its dates */
			signer_info s = { k, ocspkit_cert_get_not_before(t), ocspkit_cert_get_not_after(t),
					  ocspkit_cert_has_ocsp_nocheck(t), ocspkit_cert_get_der(t) };
			e = check_response_signature(v, k);
			if (!e)
				e = check_signer_dates(v, &s);
			ocspkit_pubkey_free(k);
			if (!e) {
				s.key = NULL;
				set_signer(v, OCSPKIT_SIGNER_TRUSTED, &s);
				return OCSPKIT_OK;
			}
		}
		if (e == OCSPKIT_E_NO_MEMORY)
			return e;
		if (!named++)
			first = e;
	}
	for (size_t i = 0; i < v->sig.cert_count; i++) {
		ocspkit_err e = OCSPKIT_OK;
		if (try_embedded(v, v->sig.certs[i], &e) < 0)
			continue;
		if (!e)
			return OCSPKIT_OK;
		if (e == OCSPKIT_E_NO_MEMORY)
			return e;
		if (!named++)
			first = e;
	}
	return named ? first : classify_unnamed(v);
}

/* ---------------------------------------------------------------- content */

/* The extensions understood where: two lists written out, as RFC 6960
 * section 4.4 lists them for each place. */

static int response_ext_understood(const ocspkit_extension *e)
{
	switch (e->type) {
	case OCSPKIT_EXT_NONCE:
	case OCSPKIT_EXT_CRL_ID:
	case OCSPKIT_EXT_ARCHIVE_CUTOFF:
	case OCSPKIT_EXT_EXTENDED_REVOKE:
		return 1;
	default:
		return 0;
	}
}

static int single_ext_understood(const ocspkit_extension *e)
{
	switch (e->type) {
	case OCSPKIT_EXT_CRL_REASON:
	case OCSPKIT_EXT_INVALIDITY_DATE:
	case OCSPKIT_EXT_CRL_ID:
	case OCSPKIT_EXT_ARCHIVE_CUTOFF:
		return 1;
	default:
		/* RFC 6962 3.3: SCTs may come in a singleExtension */
		return okit_oid_id(OKIT_OID_EXT, e->oid) == OKIT_CEXT_OCSP_SCT;
	}
}

static ocspkit_err check_extensions(const ocspkit_extension *exts, size_t n, int (*understood)(const ocspkit_extension *))
{
	for (size_t i = 0; i < n; i++)
		if (exts[i].critical && !understood(&exts[i]))
			return OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION;
	return OCSPKIT_OK;
}

static ocspkit_err check_nonce(vctx *v)
{
	ocspkit_bytes got;
	if (v->p->nonce.len == 0)
		return OCSPKIT_OK;
	if (ocspkit_response_get_nonce(&got, v->resp) != OCSPKIT_OK)
		return OCSPKIT_E_NONCE_MISSING;
	return okit_bytes_equal(got, v->p->nonce) ? OCSPKIT_OK : OCSPKIT_E_NONCE_MISMATCH;
}

/* Does a SingleResponse's CertID name (issuer, serial)?  All four fields:
 * a known hash with no parameters, both issuer hashes, the serial. */
static int matches_serial(vctx *v, const ocspkit_cert_id *id, ocspkit_bytes serial)
{
	ocspkit_hash h = id->hash;
	size_t hl = ocspkit_hash_size(h);
	if (!okit_bytes_equal(id->serial, serial) || !okit_hash_nettle(h) || !okit_algid_no_params(id->hash_algorithm.params) ||
	    id->issuer_name_hash.len != hl || id->issuer_key_hash.len != hl)
		return 0;
	if (!v->have[h]) {
		ocspkit_bytes name = ocspkit_cert_get_subject(v->p->issuer), key = ocspkit_cert_get_public_key(v->p->issuer);
		okit_hash_data(okit_hash_nettle(h), name.data, name.len, v->name_hash[h]);
		okit_hash_data(okit_hash_nettle(h), key.data, key.len, v->key_hash[h]);
		v->have[h] = 1;
	}
	return memcmp(id->issuer_name_hash.data, v->name_hash[h], hl) == 0 &&
	       memcmp(id->issuer_key_hash.data, v->key_hash[h], hl) == 0;
}

/* What check_target looks for: the CertID given, or the one of (issuer,
 * serial) in any hash. */
typedef struct {
	vctx *v;
	const ocspkit_cert_id *cert_id;
	ocspkit_bytes serial;
} target_match;

static int target_matches(const ocspkit_cert_id *id, void *arg)
{
	target_match *m = arg;
	return m->cert_id ? ocspkit_cert_id_equal(id, m->cert_id) : matches_serial(m->v, id, m->serial);
}

static ocspkit_err check_target(vctx *v, const ocspkit_validate_target *t, const ocspkit_single_response **out)
{
	const ocspkit_single_response *found;
	target_match m = { v, t->cert_id, t->serial };
	int64_t skew = v->p->skew;
	ocspkit_err e;

	*out = NULL;
	if (!t->cert_id) {
		if (t->cert) {
			/* the CertID of (issuer, serial) would name someone else's certificate */
			if (!okit_bytes_equal(ocspkit_cert_get_issuer(t->cert), ocspkit_cert_get_subject(v->p->issuer)))
				return OCSPKIT_E_INVALID_ARGUMENT;
			m.serial = ocspkit_cert_get_serial(t->cert);
		}
		if (!m.serial.data || !okit_integer_is_minimal(m.serial.data, m.serial.len))
			return OCSPKIT_E_INVALID_ARGUMENT;
	}
	e = okit_singles_find(v->data.responses, v->data.response_count, target_matches, &m, &found);
	if (e)
		return e == OCSPKIT_E_NOT_FOUND ? OCSPKIT_E_CERT_ID_NOT_FOUND : e;
	*out = found;
	/* 3.2 (5) and (6) */
	if (found->this_update > v->now + skew)
		return OCSPKIT_E_RESPONSE_NOT_YET_VALID;
	if (found->has_next_update && found->next_update < v->now - skew)
		return OCSPKIT_E_RESPONSE_EXPIRED;
	if (!found->has_next_update && v->p->max_age > 0 && found->this_update < v->now - v->p->max_age)
		return OCSPKIT_E_RESPONSE_TOO_OLD;
	/* a status produced before the certificate existed or after it
	 * expired is no statement about it */
	if (t->cert && (v->data.produced_at < ocspkit_cert_get_not_before(t->cert) ||
			v->data.produced_at > ocspkit_cert_get_not_after(t->cert)))
		return OCSPKIT_E_PRODUCED_AT_INVALID;
	return OCSPKIT_OK;
}

static ocspkit_err validate(vctx *v)
{
	if (ocspkit_response_get_tbs(&v->data, v->resp) != OCSPKIT_OK ||
	    ocspkit_response_get_signature(&v->sig, v->resp) != OCSPKIT_OK ||
	    ocspkit_response_get_tbs_der(&v->tbs, v->resp) != OCSPKIT_OK)
		return OCSPKIT_E_NOT_SUCCESSFUL;
	/* a refused algorithm is reported as such, whoever the signer is */
	okit_sig_alg sa;
	TRY(okit_sig_alg_parse(&v->sig.algorithm, &sa));
	TRY(find_signer(v));
	TRY(check_extensions(v->data.extensions, v->data.extension_count, response_ext_understood));
	/* "anywhere": a SingleResponse nobody asked about is still part of
	 * what the responder signed */
	for (size_t i = 0; i < v->data.response_count; i++)
		TRY(check_extensions(v->data.responses[i].extensions, v->data.responses[i].extension_count,
				     single_ext_understood));
	return check_nonce(v);
}

ocspkit_err ocspkit_response_validate(ocspkit_validate_result *result, const ocspkit_response *resp,
				      const ocspkit_validate_params *params)
{
	vctx v;
	ocspkit_err e, first = OCSPKIT_OK;

	if (!result)
		return OCSPKIT_E_INVALID_ARGUMENT;
	memset(result, 0, sizeof(*result));
	if (!resp || !params || !params->issuer || params->now == 0 || (params->target_count && !params->targets) ||
	    (params->trusted_count && !params->trusted) || (params->nonce.len && !params->nonce.data) ||
	    params->skew < 0)
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (params->target_count) {
		if (!(result->targets = okit_calloc(params->target_count, sizeof(*result->targets))))
			return OCSPKIT_E_NO_MEMORY;
		result->target_count = params->target_count;
	}

	memset(&v, 0, sizeof(v));
	v.resp = resp;
	v.p = params;
	v.res = result;
	v.now = params->now;

	e = validate(&v);
	for (size_t i = 0; i < params->target_count; i++) {
		ocspkit_target_result *r = &result->targets[i];
		r->error = e ? e : check_target(&v, &params->targets[i], &r->single);
		if (r->error && !first)
			first = r->error;
	}
	ocspkit_pubkey_free(v.ca_key);
	if (e) {
		/* no signer was accepted: nothing but the targets' errors */
		result->signer = OCSPKIT_SIGNER_NONE;
		result->signer_cert = (ocspkit_bytes){ NULL, 0 };
		result->nocheck = 0;
		result->cache_hit = 0;
		return e;
	}
	return first;
}

void ocspkit_validate_result_clear(ocspkit_validate_result *result)
{
	if (!result)
		return;
	okit_free(result->targets);
	memset(result, 0, sizeof(*result));
}
