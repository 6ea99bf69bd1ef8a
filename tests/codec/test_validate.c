/* Unit tests of codec/validate.c and codec/delegated_cache.c: responses signed by
 * the CA and by delegated responders, named by name and by key, with every
 * algorithm; then each check of RFC 6960 3.2 / 4.2.2.2 failing on its own
 * with its own code; the responder cache (hits, bounds, what it must not
 * remember, threads); failing allocations. */
#include <config.h>

#include <pthread.h>

#include "alloc.h"
#include "privkey.h"

#include "tests/lib/pki.h"

#define NOW 1800000000 /* 2027-01-15 */
#define HOUR 3600
#define DAY 86400

typedef struct {
	ocspkit_privkey *ca_key, *resp_key, *other_key;
	ocspkit_cert *ca, *resp, *leaf;
	blob resp_der;
} fixture;

static void fixture_init(fixture *f, ocspkit_key_type type)
{
	pki_cert_spec s = { 0 };
	f->ca_key = pki_key(type, 1);
	f->resp_key = pki_key(type == OCSPKIT_KEY_RSA ? OCSPKIT_KEY_EC_P256 : type, 2);
	f->other_key = pki_key(OCSPKIT_KEY_ED25519, 1);
	pki_ca_and_responder(&f->ca, &f->resp, &f->resp_der, "Test CA", f->ca_key, "Test OCSP Responder", f->resp_key);
	memset(&s, 0, sizeof(s));
	s.subject = "leaf.example";
	s.issuer = "Test CA";
	s.serial = 0x1001;
	s.not_before = NOW - 100 * DAY;
	s.not_after = NOW + 100 * DAY;
	s.server_auth = 1;
	s.key = f->other_key;
	s.issuer_key = f->ca_key;
	f->leaf = pki_cert(&s);
}

static void fixture_clear(fixture *f)
{
	ocspkit_cert_free(f->ca);
	ocspkit_cert_free(f->resp);
	ocspkit_cert_free(f->leaf);
	ocspkit_privkey_free(f->ca_key);
	ocspkit_privkey_free(f->resp_key);
	ocspkit_privkey_free(f->other_key);
}

/* What a response says and who signs it; zero fields are the defaults:
 * signed by the CA, byName, good, thisUpdate = producedAt = NOW - 1h,
 * nextUpdate NOW + 1d. */
typedef struct {
	int delegated;                 /* signed by the responder, its certificate embedded */
	int by_key;
	const ocspkit_privkey *key;    /* overrides the signing key */
	const blob *cert;              /* overrides the embedded certificate */
	const blob *cert2;             /* a second embedded certificate (after cert) */
	const char *rid_name;          /* overrides the byName ResponderID */
	int64_t produced, this_update, next_update;
	int no_next_update;
	ocspkit_cert_status status;
	ocspkit_hash hash;             /* CertID hash, SHA-1 by default */
	const char *hash_params;       /* CertID hash parameters (hex), NULL for NULL */
	int bad_name_hash, bad_key_hash;
	uint8_t serial_delta;
	int duplicate;                 /* a second SingleResponse for the same CertID */
	ocspkit_cert_status dup_status;
	const char *nonce;             /* hex */
	int nonce_critical;
	int crit_response_ext, crit_single_ext, crit_sct_ext, noncrit_unknown;
	int crit_other_single_ext;     /* a second SingleResponse, for another serial, with it */
} spec;

static ocspkit_response *make(const fixture *f, const spec *s)
{
	ocspkit_cert_id_value idv, other_idv;
	ocspkit_single_response singles[2];
	ocspkit_extension rexts[2], sexts[1];
	uint8_t kh[20], nonce_val[40], params[16];
	size_t nrexts = 0;
	ocspkit_response_tbs d;
	const ocspkit_privkey *key = s->key ? s->key : s->delegated ? f->resp_key : f->ca_key;
	const ocspkit_cert *signer_cert = s->delegated ? f->resp : f->ca;

	memset(&d, 0, sizeof(d));
	memset(singles, 0, sizeof(singles));
	memset(rexts, 0, sizeof(rexts));
	memset(sexts, 0, sizeof(sexts));
	if (ocspkit_cert_id_for_cert(&idv, s->hash ? s->hash : OCSPKIT_HASH_SHA1, f->ca, f->leaf))
		abort();
	if (s->bad_name_hash)
		idv.issuer_name_hash[0] ^= 1;
	if (s->bad_key_hash)
		idv.issuer_key_hash[5] ^= 1;
	idv.serial[idv.serial_len - 1] += s->serial_delta;
	singles[0].cert_id = ocspkit_cert_id_value_view(&idv);
	if (s->hash_params) {
		size_t n = unhex(s->hash_params, params, sizeof(params));
		singles[0].cert_id.hash_algorithm.params = (ocspkit_bytes){ n ? params : NULL, n };
	}
	singles[0].status = s->status;
	singles[0].revocation_time = NOW - 10 * DAY;
	if (s->status == OCSPKIT_CERT_REVOKED) {
		singles[0].has_revocation_reason = 1;
		singles[0].revocation_reason = OCSPKIT_REASON_KEY_COMPROMISE;
	}
	singles[0].this_update = s->this_update ? s->this_update : NOW - HOUR;
	singles[0].has_next_update = !s->no_next_update;
	singles[0].next_update = s->next_update ? s->next_update : NOW + DAY;
	blob sct_value = T(0x04, raw("0001"));
	if (s->crit_single_ext || s->crit_sct_ext || s->crit_other_single_ext) {
		static const uint8_t unknown_oid[] = { 0x2A, 0x03, 0x04, 0x05 };
		static const uint8_t sct_oid[] = { 0x2B, 0x06, 0x01, 0x04, 0x01, 0xD6, 0x79, 0x02, 0x04, 0x05 };
		sexts[0].oid = s->crit_sct_ext ? (ocspkit_bytes){ sct_oid, sizeof(sct_oid) }
					       : (ocspkit_bytes){ unknown_oid, sizeof(unknown_oid) };
		sexts[0].critical = 1;
		sexts[0].value = (ocspkit_bytes){ sct_value.d, sct_value.n };
		singles[0].extensions = sexts;
		singles[0].extension_count = 1;
	}
	singles[1] = singles[0];
	singles[1].status = s->dup_status;
	singles[1].extensions = NULL;
	singles[1].extension_count = 0;
	if (s->crit_other_single_ext) {
		singles[0].extensions = NULL;
		singles[0].extension_count = 0;
		other_idv = idv;
		other_idv.serial[other_idv.serial_len - 1] ^= 0x40;
		singles[1].cert_id = ocspkit_cert_id_value_view(&other_idv);
		singles[1].status = OCSPKIT_CERT_GOOD;
		singles[1].extensions = sexts;
		singles[1].extension_count = 1;
	}

	blob rid_name = pki_name(s->rid_name ? s->rid_name : "");
	if (s->by_key) {
		ocspkit_cert_get_key_hash(kh, signer_cert);
		d.responder_id.type = OCSPKIT_RESPONDER_BY_KEY;
		d.responder_id.value = (ocspkit_bytes){ kh, 20 };
	} else {
		d.responder_id.type = OCSPKIT_RESPONDER_BY_NAME;
		d.responder_id.value = s->rid_name ? (ocspkit_bytes){ rid_name.d, rid_name.n } : ocspkit_cert_get_subject(signer_cert);
	}
	d.produced_at = s->produced ? s->produced : NOW - HOUR;
	d.responses = singles;
	d.response_count = s->duplicate || s->crit_other_single_ext ? 2 : 1;
	if (s->nonce) {
		uint8_t n[32];
		size_t nl = unhex(s->nonce, n, sizeof(n));
		rexts[nrexts].type = OCSPKIT_EXT_NONCE;
		rexts[nrexts].critical = s->nonce_critical;
		if (ocspkit_ext_nonce_value(nonce_val, sizeof(nonce_val), &rexts[nrexts].value.len, (ocspkit_bytes){ n, nl }))
			abort();
		rexts[nrexts++].value.data = nonce_val;
	}
	static const uint8_t ext_oid[] = { 0x2A, 0x03, 0x04, 0x06 };
	if (s->crit_response_ext || s->noncrit_unknown) {
		rexts[nrexts].oid = (ocspkit_bytes){ ext_oid, sizeof(ext_oid) };
		rexts[nrexts].critical = s->crit_response_ext;
		rexts[nrexts++].value = (ocspkit_bytes){ (const uint8_t *)"\x05\x00", 2 };
	}
	d.extensions = rexts;
	d.extension_count = nrexts;

	ocspkit_bytes certs[2];
	size_t ncerts = 0;
	if (s->cert || s->delegated) {
		const blob *c = s->cert ? s->cert : &f->resp_der;
		certs[ncerts++] = (ocspkit_bytes){ c->d, c->n };
	}
	if (s->cert2)
		certs[ncerts++] = (ocspkit_bytes){ s->cert2->d, s->cert2->n };
	uint8_t *der;
	size_t len;
	ocspkit_response *r;
	if (pki_response_sign(&der, &len, &d, key, NULL, certs, ncerts) ||
	    ocspkit_response_decode(&r, der, len, 0, NULL))
		abort();
	ocspkit_free(der);
	return r;
}

/* How the response is checked. */
typedef struct {
	int64_t now, skew, max_age;
	const char *nonce;
	int by_serial, by_cert_id, extra_target;
	const ocspkit_cert_id *cert_id;
	const ocspkit_cert *issuer;            /* overrides the CA */
	const ocspkit_cert *target_cert;       /* overrides the leaf */
	const ocspkit_cert *const *trusted;
	size_t trusted_count;
	ocspkit_responder_cache *cache;
} how;

static ocspkit_validate_result last;
static ocspkit_target_result last_targets[2];

static ocspkit_err check(const fixture *f, const ocspkit_response *r, const how *h)
{
	ocspkit_validate_params p;
	ocspkit_validate_target t[2];
	ocspkit_cert_id_value idv;
	ocspkit_cert_id id;
	uint8_t nonce[32];

	memset(&p, 0, sizeof(p));
	memset(t, 0, sizeof(t));
	p.issuer = h->issuer ? h->issuer : f->ca;
	if (h->by_cert_id || h->cert_id) {
		if (ocspkit_cert_id_for_cert(&idv, OCSPKIT_HASH_SHA1, f->ca, f->leaf))
			abort();
		id = ocspkit_cert_id_value_view(&idv);
		t[0].cert_id = h->cert_id ? h->cert_id : &id;
	} else if (h->by_serial) {
		t[0].serial = ocspkit_cert_get_serial(f->leaf);
	} else {
		t[0].cert = h->target_cert ? h->target_cert : f->leaf;
	}
	t[1].serial = (ocspkit_bytes){ (const uint8_t *)"\x7F", 1 };
	p.targets = t;
	p.target_count = h->extra_target ? 2 : 1;
	p.now = h->now ? h->now : NOW;
	p.skew = h->skew;
	p.max_age = h->max_age;
	if (h->nonce)
		p.nonce = (ocspkit_bytes){ nonce, unhex(h->nonce, nonce, sizeof(nonce)) };
	p.trusted = h->trusted;
	p.trusted_count = h->trusted_count;
	p.cache = h->cache;
	/* the result, its targets copied before they are released */
	ocspkit_validate_result res;
	ocspkit_err e = ocspkit_response_validate(&res, r, &p);
	CHECK(res.target_count == p.target_count || (e == OCSPKIT_E_NO_MEMORY && !res.targets));
	memset(last_targets, 0, sizeof(last_targets));
	for (size_t i = 0; i < res.target_count && i < 2; i++)
		last_targets[i] = res.targets[i];
	last = res;
	last.targets = last_targets;
	ocspkit_validate_result_clear(&res);
	CHECK(res.targets == NULL && res.target_count == 0);
	return e;
}

/* The response of the last run() lives until the next one, so that the
 * views in last and last_targets can be read. */
static ocspkit_response *last_resp;

static ocspkit_err run(const fixture *f, const spec *s, const how *h)
{
	static const how plain;
	ocspkit_response_free(last_resp);
	last_resp = make(f, s);
	return check(f, last_resp, h ? h : &plain);
}

/* ---------------------------------------------------------------- good cases */

static void test_algorithms(void)
{
	static const ocspkit_key_type types[] = { OCSPKIT_KEY_RSA,     OCSPKIT_KEY_RSA_PSS, OCSPKIT_KEY_EC_P256,
						  OCSPKIT_KEY_EC_P384, OCSPKIT_KEY_EC_P521, OCSPKIT_KEY_ED25519,
						  OCSPKIT_KEY_ED448 };
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		fixture f;
		fixture_init(&f, types[i]);
		for (int delegated = 0; delegated < 2; delegated++) {
			for (int by_key = 0; by_key < 2; by_key++) {
				spec s = { 0 };
				s.delegated = delegated;
				s.by_key = by_key;
				ocspkit_err e = run(&f, &s, NULL);
				CHECK_OK(e);
				if (e)
					fprintf(stderr, "  %s delegated=%d by_key=%d\n", ocspkit_key_type_name(types[i]),
						delegated, by_key);
				CHECK(last.signer == (delegated ? OCSPKIT_SIGNER_DELEGATED : OCSPKIT_SIGNER_CA));
				CHECK(last_targets[0].error == OCSPKIT_OK && last_targets[0].single &&
				      last_targets[0].single->status == OCSPKIT_CERT_GOOD);
			}
		}
		fixture_clear(&f);
	}
}

static void test_statuses_and_targets(void)
{
	fixture f;
	fixture_init(&f, OCSPKIT_KEY_EC_P256);
	spec s = { 0 };
	how h = { 0 };

	s.status = OCSPKIT_CERT_REVOKED;
	CHECK_OK(run(&f, &s, NULL));
	CHECK(last_targets[0].single && last_targets[0].single->status == OCSPKIT_CERT_REVOKED &&
	      last_targets[0].single->revocation_reason == OCSPKIT_REASON_KEY_COMPROMISE);
	s.status = OCSPKIT_CERT_UNKNOWN;
	CHECK_OK(run(&f, &s, NULL));
	CHECK(last_targets[0].single && last_targets[0].single->status == OCSPKIT_CERT_UNKNOWN);
	CHECK(last.signer == OCSPKIT_SIGNER_CA && last.signer_cert.len == ocspkit_cert_get_der(f.ca).len);

	/* the same answer whichever way the certificate is named */
	memset(&s, 0, sizeof(s));
	h.by_serial = 1;
	CHECK_OK(run(&f, &s, &h));
	memset(&h, 0, sizeof(h));
	h.by_cert_id = 1;
	CHECK_OK(run(&f, &s, &h));
	/* SHA-256 CertIDs match certificates and serials, not a SHA-1 CertID */
	s.hash = OCSPKIT_HASH_SHA256;
	CHECK_ERR(run(&f, &s, &h), OCSPKIT_E_CERT_ID_NOT_FOUND);
	CHECK_OK(run(&f, &s, NULL));
	s.hash = OCSPKIT_HASH_SHA512;
	CHECK_OK(run(&f, &s, NULL));
	/* parameters absent count as NULL, others do not */
	s.hash = 0;
	s.hash_params = "";
	CHECK_OK(run(&f, &s, NULL));
	CHECK_OK(run(&f, &s, &h));
	s.hash_params = "0400";
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_CERT_ID_NOT_FOUND);

	/* two targets, one answered */
	memset(&s, 0, sizeof(s));
	memset(&h, 0, sizeof(h));
	h.extra_target = 1;
	CHECK_ERR(run(&f, &s, &h), OCSPKIT_E_CERT_ID_NOT_FOUND);
	CHECK(last_targets[0].error == OCSPKIT_OK && last_targets[0].single != NULL);
	CHECK(last_targets[1].error == OCSPKIT_E_CERT_ID_NOT_FOUND && last_targets[1].single == NULL);
	CHECK(last.signer == OCSPKIT_SIGNER_CA);

	/* no targets: the signature and the response only */
	ocspkit_response *r = make(&f, &s);
	ocspkit_validate_params p = { 0 };
	ocspkit_validate_result res;
	p.issuer = f.ca;
	p.now = NOW;
	memset(&res, 0xA5, sizeof(res)); /* filled whole, whatever was there */
	CHECK_OK(ocspkit_response_validate(&res, r, &p));
	CHECK(res.targets == NULL && res.target_count == 0 && res.signer == OCSPKIT_SIGNER_CA);
	ocspkit_validate_result_clear(&res);
	/* the time is the caller's: no clock is read */
	p.now = 0;
	memset(&res, 0xA5, sizeof(res));
	CHECK_ERR(ocspkit_response_validate(&res, r, &p), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK(res.targets == NULL && res.target_count == 0 && res.signer == OCSPKIT_SIGNER_NONE);
	p.now = NOW;
	CHECK_ERR(ocspkit_response_validate(NULL, r, &p), OCSPKIT_E_INVALID_ARGUMENT);
	p.issuer = NULL;
	CHECK_ERR(ocspkit_response_validate(&res, r, &p), OCSPKIT_E_INVALID_ARGUMENT);
	p.issuer = f.ca;
	p.target_count = 1; /* targets missing */
	CHECK_ERR(ocspkit_response_validate(&res, r, &p), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK(res.targets == NULL);
	ocspkit_validate_result_clear(&res);
	ocspkit_validate_result_clear(NULL);
	ocspkit_response_free(r);

	/* not a successful response */
	uint8_t *der;
	size_t len;
	CHECK_OK(ocspkit_response_encode_status(&der, &len, OCSPKIT_RESPONSE_TRY_LATER));
	CHECK_OK(ocspkit_response_decode(&r, der, len, 0, NULL));
	memset(&h, 0, sizeof(h));
	CHECK_ERR(check(&f, r, &h), OCSPKIT_E_NOT_SUCCESSFUL);
	CHECK(last_targets[0].error == OCSPKIT_E_NOT_SUCCESSFUL);
	ocspkit_response_free(r);
	ocspkit_free(der);
	fixture_clear(&f);
}

/* ---------------------------------------------------------------- the signer */

static blob responder_cert(const fixture *f, pki_cert_spec *s)
{
	if (!s->subject)
		s->subject = "Test OCSP Responder";
	if (!s->issuer)
		s->issuer = "Test CA";
	if (!s->key)
		s->key = f->resp_key;
	if (!s->issuer_key)
		s->issuer_key = f->ca_key;
	s->serial = s->serial ? s->serial : 3;
	return pki_cert_der(s);
}

static void test_signer(void)
{
	fixture f;
	fixture_init(&f, OCSPKIT_KEY_EC_P256);
	spec s = { 0 };
	how h = { 0 };
	pki_cert_spec cs;

	/* wrong signer: the names are right, another key signed */
	s.key = f.resp_key;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_SIGNATURE_INVALID);
	s.by_key = 1;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_SIGNATURE_INVALID);
	s.delegated = 1;
	s.key = f.ca_key;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_SIGNATURE_INVALID);
	s.by_key = 0;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_SIGNATURE_INVALID);
	/* ... and a key of another type: an Ed25519 signature, an EC key */
	s.key = f.other_key;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_KEY_ALGORITHM_MISMATCH);
	s.delegated = 0;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_KEY_ALGORITHM_MISMATCH);

	/* the ResponderID names nobody we know */
	memset(&s, 0, sizeof(s));
	s.rid_name = "Somebody Else";
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_RESPONDER_ID_MISMATCH); /* the CA signed */
	s.delegated = 1;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_RESPONDER_ID_MISMATCH); /* the embedded responder signed */
	s.key = f.other_key;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_SIGNER_NOT_FOUND);
	/* delegated, but its certificate left out */
	memset(&s, 0, sizeof(s));
	s.key = f.resp_key;
	s.rid_name = "Test OCSP Responder";
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_SIGNER_NOT_FOUND);

	/* without id-kp-OCSPSigning */
	memset(&cs, 0, sizeof(cs));
	blob no_eku = responder_cert(&f, &cs);
	memset(&s, 0, sizeof(s));
	s.delegated = 1;
	s.cert = &no_eku;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_SIGNER_NO_OCSP_SIGNING);
	memset(&cs, 0, sizeof(cs));
	cs.server_auth = 1;
	blob server_only = responder_cert(&f, &cs);
	s.cert = &server_only;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_SIGNER_NO_OCSP_SIGNING);

	/* issued by another CA: another name, or the CA's name and another key */
	memset(&cs, 0, sizeof(cs));
	cs.ocsp_signing = 1;
	cs.issuer = "Other CA";
	cs.issuer_key = f.other_key;
	blob other_ca = responder_cert(&f, &cs);
	s.cert = &other_ca;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_SIGNER_WRONG_ISSUER);
	memset(&cs, 0, sizeof(cs));
	cs.ocsp_signing = 1;
	cs.issuer_key = f.other_key;
	blob forged = responder_cert(&f, &cs);
	s.cert = &forged;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_SIGNER_CERT_SIGNATURE);

	/* keyUsage that does not allow signing */
	memset(&cs, 0, sizeof(cs));
	cs.ocsp_signing = 1;
	cs.ku = PKI_KU_KEY_ENCIPHERMENT;
	blob no_sign = responder_cert(&f, &cs);
	s.cert = &no_sign;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_SIGNER_NOT_AUTHORIZED);
	memset(&cs, 0, sizeof(cs));
	cs.ocsp_signing = 1;
	cs.ku = PKI_KU_NONE;
	blob no_ku = responder_cert(&f, &cs);
	s.cert = &no_ku;
	CHECK_OK(run(&f, &s, NULL));

	/* an unknown critical extension in the responder's certificate */
	memset(&cs, 0, sizeof(cs));
	cs.ocsp_signing = 1;
	cs.unknown_critical = 1;
	blob crit = responder_cert(&f, &cs);
	s.cert = &crit;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION);

	/* validity: expired, not yet valid, producedAt outside */
	memset(&cs, 0, sizeof(cs));
	cs.ocsp_signing = 1;
	cs.not_before = NOW - 30 * DAY;
	cs.not_after = NOW - DAY;
	blob expired = responder_cert(&f, &cs);
	s.cert = &expired;
	s.produced = NOW - 2 * DAY;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_SIGNER_EXPIRED);
	h.skew = 2 * DAY; /* the skew allows that much */
	CHECK_OK(run(&f, &s, &h));
	h.skew = 0;
	memset(&cs, 0, sizeof(cs));
	cs.ocsp_signing = 1;
	cs.not_before = NOW + HOUR;
	cs.not_after = NOW + 30 * DAY;
	blob future = responder_cert(&f, &cs);
	s.cert = &future;
	s.produced = NOW + 2 * HOUR;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_SIGNER_NOT_YET_VALID);
	memset(&cs, 0, sizeof(cs));
	cs.ocsp_signing = 1;
	cs.not_before = NOW - DAY;
	cs.not_after = NOW + 30 * DAY;
	blob recent = responder_cert(&f, &cs);
	s.cert = &recent;
	s.produced = NOW - 2 * DAY;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_PRODUCED_AT_INVALID);

	/* a decoy with the responder's name first, the real one second */
	memset(&cs, 0, sizeof(cs));
	cs.ocsp_signing = 1;
	cs.key = f.ca_key;
	blob decoy = responder_cert(&f, &cs);
	memset(&s, 0, sizeof(s));
	s.delegated = 1;
	s.cert = &decoy;
	s.cert2 = &f.resp_der;
	CHECK_OK(run(&f, &s, NULL));
	CHECK(last.signer_cert.len == f.resp_der.n && memcmp(last.signer_cert.data, f.resp_der.d, f.resp_der.n) == 0);
	s.cert2 = NULL;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_SIGNATURE_INVALID);

	/* id-pkix-ocsp-nocheck is reported */
	memset(&cs, 0, sizeof(cs));
	cs.ocsp_signing = 1;
	cs.nocheck = 1;
	blob nocheck = responder_cert(&f, &cs);
	memset(&s, 0, sizeof(s));
	s.delegated = 1;
	s.cert = &nocheck;
	CHECK_OK(run(&f, &s, NULL));
	CHECK(last.nocheck == 1 && last.signer == OCSPKIT_SIGNER_DELEGATED);
	s.cert = NULL;
	CHECK_OK(run(&f, &s, NULL));
	CHECK(last.nocheck == 0);

	/* a locally trusted responder needs no delegation */
	memset(&cs, 0, sizeof(cs));
	cs.subject = cs.issuer = "Local Responder";
	cs.issuer_key = f.resp_key;
	blob local_der = responder_cert(&f, &cs);
	ocspkit_cert *local;
	CHECK_OK(ocspkit_cert_decode(&local, local_der.d, local_der.n, 0, NULL));
	memset(&s, 0, sizeof(s));
	s.key = f.resp_key;
	s.rid_name = "Local Responder";
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_SIGNER_NOT_FOUND);
	s.cert = &local_der;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_SIGNER_WRONG_ISSUER);
	const ocspkit_cert *trusted[1] = { local };
	h.trusted = trusted;
	h.trusted_count = 1;
	CHECK_OK(run(&f, &s, &h));
	CHECK(last.signer == OCSPKIT_SIGNER_TRUSTED);
	ocspkit_cert_free(local);
	/* ... but not outside its validity */
	cs.not_before = NOW - 30 * DAY;
	cs.not_after = NOW - DAY;
	blob local_expired_der = responder_cert(&f, &cs);
	CHECK_OK(ocspkit_cert_decode(&local, local_expired_der.d, local_expired_der.n, 0, NULL));
	trusted[0] = local;
	CHECK_ERR(run(&f, &s, &h), OCSPKIT_E_SIGNER_EXPIRED);
	s.produced = s.this_update = NOW - 10 * DAY;
	s.next_update = NOW - 3 * DAY;
	h.now = NOW - 5 * DAY;
	CHECK_OK(run(&f, &s, &h));
	CHECK(last.signer == OCSPKIT_SIGNER_TRUSTED);
	s.produced = NOW - 40 * DAY;
	CHECK_ERR(run(&f, &s, &h), OCSPKIT_E_PRODUCED_AT_INVALID);
	ocspkit_cert_free(local);
	h.now = 0;

	/* the issuer given is the wrong CA: a CA with the same name, another key */
	pki_cert_spec ca2 = { 0 };
	ca2.subject = ca2.issuer = "Test CA";
	ca2.ca = 1;
	ocspkit_privkey *k3 = pki_key(OCSPKIT_KEY_EC_P256, 3);
	ca2.key = ca2.issuer_key = k3;
	ocspkit_cert *wrong_ca = pki_cert(&ca2);
	memset(&h, 0, sizeof(h));
	h.issuer = wrong_ca;
	memset(&s, 0, sizeof(s));
	CHECK_ERR(run(&f, &s, &h), OCSPKIT_E_SIGNATURE_INVALID);
	s.by_key = 1;
	CHECK_ERR(run(&f, &s, &h), OCSPKIT_E_SIGNER_NOT_FOUND);
	s.delegated = 1;
	CHECK_ERR(run(&f, &s, &h), OCSPKIT_E_SIGNER_CERT_SIGNATURE);
	ocspkit_cert_free(wrong_ca);
	ocspkit_privkey_free(k3);
	fixture_clear(&f);
}

/* ---------------------------------------------------------------- content */

static void test_content(void)
{
	fixture f;
	fixture_init(&f, OCSPKIT_KEY_ED25519);
	spec s = { 0 };
	how h = { 0 };

	/* tampered tbsResponseData */
	ocspkit_response *r = make(&f, &s);
	ocspkit_bytes der = ocspkit_response_get_der(r);
	blob copy = bytes(der.data, der.len);
	ocspkit_response_free(r);
	ocspkit_cert_id_value idv;
	CHECK_OK(ocspkit_cert_id_for_cert(&idv, OCSPKIT_HASH_SHA1, f.ca, f.leaf));
	for (size_t i = 0; i + 20 <= copy.n; i++) {
		if (memcmp(copy.d + i, idv.issuer_name_hash, 20) == 0) {
			copy.d[i + 10] ^= 0x40;
			break;
		}
	}
	CHECK_OK(ocspkit_response_decode(&r, copy.d, copy.n, 0, NULL));
	CHECK_ERR(check(&f, r, &h), OCSPKIT_E_SIGNATURE_INVALID);
	CHECK(last_targets[0].error == OCSPKIT_E_SIGNATURE_INVALID && last.signer == OCSPKIT_SIGNER_NONE);
	ocspkit_response_free(r);

	/* times */
	s.next_update = NOW - HOUR;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_RESPONSE_EXPIRED);
	h.skew = 2 * HOUR;
	CHECK_OK(run(&f, &s, &h));
	s.next_update = 0;
	s.this_update = NOW + HOUR;
	CHECK_OK(run(&f, &s, &h));
	h.skew = 0;
	CHECK_ERR(run(&f, &s, &h), OCSPKIT_E_RESPONSE_NOT_YET_VALID);
	memset(&s, 0, sizeof(s));
	s.no_next_update = 1;
	s.this_update = NOW - 8 * DAY;
	CHECK_OK(run(&f, &s, &h));
	h.max_age = 7 * DAY;
	CHECK_ERR(run(&f, &s, &h), OCSPKIT_E_RESPONSE_TOO_OLD);
	s.no_next_update = 0;
	CHECK_OK(run(&f, &s, &h)); /* max age applies without nextUpdate only */
	memset(&h, 0, sizeof(h));

	/* the certificate's own validity bounds producedAt */
	memset(&s, 0, sizeof(s));
	s.produced = NOW - 101 * DAY;
	s.this_update = NOW - 101 * DAY;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_PRODUCED_AT_INVALID);
	h.by_serial = 1;
	CHECK_OK(run(&f, &s, &h)); /* nothing to compare with */
	memset(&h, 0, sizeof(h));

	/* nonces */
	memset(&s, 0, sizeof(s));
	s.nonce = "0102030405060708";
	h.nonce = "0102030405060708";
	CHECK_OK(run(&f, &s, &h));
	h.nonce = "0102030405060709";
	CHECK_ERR(run(&f, &s, &h), OCSPKIT_E_NONCE_MISMATCH);
	h.nonce = "01020304050607";
	CHECK_ERR(run(&f, &s, &h), OCSPKIT_E_NONCE_MISMATCH);
	h.nonce = NULL;
	CHECK_OK(run(&f, &s, &h)); /* none sent: an echo does no harm */
	s.nonce = NULL;
	h.nonce = "0102030405060708";
	CHECK_ERR(run(&f, &s, &h), OCSPKIT_E_NONCE_MISSING);
	CHECK(last_targets[0].error == OCSPKIT_E_NONCE_MISSING);
	memset(&h, 0, sizeof(h));

	/* a CertID differing in any one field is another certificate */
	how by_id = { 0 };
	by_id.by_cert_id = 1;
	memset(&s, 0, sizeof(s));
	CHECK_OK(run(&f, &s, &by_id));
	s.hash = OCSPKIT_HASH_SHA256;
	CHECK_ERR(run(&f, &s, &by_id), OCSPKIT_E_CERT_ID_NOT_FOUND);
	s.hash = 0;
	s.bad_name_hash = 1;
	CHECK_ERR(run(&f, &s, &by_id), OCSPKIT_E_CERT_ID_NOT_FOUND);
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_CERT_ID_NOT_FOUND);
	s.bad_name_hash = 0;
	s.bad_key_hash = 1;
	CHECK_ERR(run(&f, &s, &by_id), OCSPKIT_E_CERT_ID_NOT_FOUND);
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_CERT_ID_NOT_FOUND);
	s.bad_key_hash = 0;
	s.serial_delta = 1;
	CHECK_ERR(run(&f, &s, &by_id), OCSPKIT_E_CERT_ID_NOT_FOUND);
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_CERT_ID_NOT_FOUND);

	/* duplicates: the same answer twice is fine, two answers are not */
	memset(&s, 0, sizeof(s));
	s.duplicate = 1;
	CHECK_OK(run(&f, &s, NULL));
	s.dup_status = OCSPKIT_CERT_REVOKED;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_CERT_ID_CONFLICT);
	CHECK_ERR(run(&f, &s, &by_id), OCSPKIT_E_CERT_ID_CONFLICT);

	/* critical extensions */
	memset(&s, 0, sizeof(s));
	s.crit_response_ext = 1;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION);
	s.crit_response_ext = 0;
	s.noncrit_unknown = 1;
	CHECK_OK(run(&f, &s, NULL));
	s.noncrit_unknown = 0;
	s.crit_single_ext = 1;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION);
	CHECK(last_targets[0].error == OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION && last_targets[0].single == NULL);
	s.crit_single_ext = 0;
	/* ... also on a SingleResponse nobody asked about */
	s.crit_other_single_ext = 1;
	CHECK_ERR(run(&f, &s, NULL), OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION);
	CHECK(last_targets[0].error == OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION);
	s.crit_other_single_ext = 0;
	s.crit_sct_ext = 1;
	CHECK_OK(run(&f, &s, NULL));
	s.crit_sct_ext = 0;
	s.nonce = "AA";
	s.nonce_critical = 1;
	h.nonce = "AA";
	CHECK_OK(run(&f, &s, &h));
	memset(&h, 0, sizeof(h));

	/* a target the issuer did not issue */
	pki_cert_spec o = { 0 };
	o.subject = "stranger";
	o.issuer = "Other CA";
	o.key = f.other_key;
	o.issuer_key = f.other_key;
	ocspkit_cert *stranger = pki_cert(&o);
	memset(&s, 0, sizeof(s));
	h.target_cert = stranger;
	CHECK_ERR(run(&f, &s, &h), OCSPKIT_E_INVALID_ARGUMENT);
	ocspkit_cert_free(stranger);
	fixture_clear(&f);
}

/* ---------------------------------------------------------------- cache */

static void test_cache(void)
{
	fixture f;
	fixture_init(&f, OCSPKIT_KEY_EC_P256);
	ocspkit_responder_cache *cache;
	spec s = { 0 };
	how h = { 0 };

	CHECK_ERR(ocspkit_responder_cache_new(&cache, 0), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_responder_cache_new(&cache, OCSPKIT_MAX_CACHE_ENTRIES + 1), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_OK(ocspkit_responder_cache_new(&cache, 2));
	h.cache = cache;
	s.delegated = 1;
	ocspkit_response *r = make(&f, &s);
	CHECK_OK(check(&f, r, &h));
	CHECK(last.cache_hit == 0 && ocspkit_responder_cache_get_entry_count(cache) == 1);
	CHECK_OK(check(&f, r, &h));
	CHECK(last.cache_hit == 1 && ocspkit_responder_cache_get_hit_count(cache) == 1);
	CHECK(last.signer == OCSPKIT_SIGNER_DELEGATED && last.signer_cert.len == f.resp_der.n);
	/* byKey names the cached responder too */
	s.by_key = 1;
	ocspkit_response *rk = make(&f, &s);
	CHECK_OK(check(&f, rk, &h));
	CHECK(last.cache_hit == 1);
	ocspkit_response_free(rk);
	/* the time is checked on every use */
	h.now = NOW + (int64_t)20 * 365 * DAY;
	CHECK_ERR(check(&f, r, &h), OCSPKIT_E_SIGNER_EXPIRED);
	h.now = 0;
	/* a cached responder is not a responder for another CA of the same name */
	pki_cert_spec ca2 = { 0 };
	ca2.subject = ca2.issuer = "Test CA";
	ca2.ca = 1;
	ca2.key = ca2.issuer_key = f.other_key;
	ocspkit_cert *wrong_ca = pki_cert(&ca2);
	h.issuer = wrong_ca;
	unsigned long hits = ocspkit_responder_cache_get_hit_count(cache);
	CHECK_ERR(check(&f, r, &h), OCSPKIT_E_SIGNER_CERT_SIGNATURE);
	CHECK(ocspkit_responder_cache_get_hit_count(cache) == hits);
	h.issuer = NULL;
	ocspkit_cert_free(wrong_ca);
	/* a changed signature still fails with a cached responder */
	ocspkit_bytes der = ocspkit_response_get_der(r);
	blob copy = bytes(der.data, der.len);
	/* the signature BIT STRING sits just before the certificates: flip
	 * an octet 20 before the certificate list */
	copy.d[copy.n - f.resp_der.n - 4 - 20] ^= 1;
	ocspkit_response *bad;
	CHECK_OK(ocspkit_response_decode(&bad, copy.d, copy.n, 0, NULL));
	CHECK_ERR(check(&f, bad, &h), OCSPKIT_E_SIGNATURE_INVALID);
	ocspkit_response_free(bad);

	/* failures are not remembered */
	pki_cert_spec cs = { 0 };
	cs.subject = "Test OCSP Responder";
	cs.issuer = "Test CA";
	cs.key = f.resp_key;
	cs.issuer_key = f.ca_key;
	blob no_eku = pki_cert_der(&cs);
	ocspkit_responder_cache_clear(cache);
	CHECK(ocspkit_responder_cache_get_entry_count(cache) == 0);
	memset(&s, 0, sizeof(s));
	s.delegated = 1;
	s.cert = &no_eku;
	CHECK_ERR(run(&f, &s, &h), OCSPKIT_E_SIGNER_NO_OCSP_SIGNING);
	CHECK(ocspkit_responder_cache_get_entry_count(cache) == 0);

	/* bounded: three responders through two places */
	blob certs[3];
	for (int i = 0; i < 3; i++) {
		memset(&cs, 0, sizeof(cs));
		cs.subject = "Test OCSP Responder";
		cs.issuer = "Test CA";
		cs.serial = 10 + i;
		cs.ocsp_signing = 1;
		cs.key = f.resp_key;
		cs.issuer_key = f.ca_key;
		certs[i] = pki_cert_der(&cs);
	}
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 3; i++) {
			s.cert = &certs[i];
			CHECK_OK(run(&f, &s, &h));
			CHECK(ocspkit_responder_cache_get_entry_count(cache) <= 2);
		}
	}
	ocspkit_response_free(r);
	ocspkit_responder_cache_free(cache);
	fixture_clear(&f);
}

typedef struct {
	const fixture *f;
	ocspkit_response *resp[3];
	ocspkit_responder_cache *cache;
	int failures;
} thread_arg;

static void *validator(void *p)
{
	thread_arg *a = p;
	for (int i = 0; i < 30; i++) {
		ocspkit_validate_params prm = { 0 };
		ocspkit_validate_result res;
		ocspkit_validate_target t = { NULL, a->f->leaf, { NULL, 0 } };
		prm.issuer = a->f->ca;
		prm.targets = &t;
		prm.target_count = 1;
		prm.now = NOW;
		prm.cache = a->cache;
		if (ocspkit_response_validate(&res, a->resp[i % 3], &prm) != OCSPKIT_OK || res.target_count != 1 ||
		    res.targets[0].single->status != OCSPKIT_CERT_GOOD)
			a->failures++;
		ocspkit_validate_result_clear(&res);
	}
	return NULL;
}

static void test_cache_threads(void)
{
	fixture f;
	fixture_init(&f, OCSPKIT_KEY_ED25519);
	ocspkit_responder_cache *cache;
	blob certs[3];
	thread_arg args[4];
	pthread_t th[4];
	ocspkit_response *resp[3];

	CHECK_OK(ocspkit_responder_cache_new(&cache, 2));
	for (int i = 0; i < 3; i++) {
		pki_cert_spec cs = { 0 };
		spec s = { 0 };
		cs.subject = "Test OCSP Responder";
		cs.issuer = "Test CA";
		cs.serial = 20 + i;
		cs.ocsp_signing = 1;
		cs.key = f.resp_key;
		cs.issuer_key = f.ca_key;
		certs[i] = pki_cert_der(&cs);
		s.delegated = 1;
		s.cert = &certs[i];
		resp[i] = make(&f, &s);
	}
	for (int i = 0; i < 4; i++) {
		args[i].f = &f;
		memcpy(args[i].resp, resp, sizeof(resp));
		args[i].cache = cache;
		args[i].failures = 0;
		CHECK(pthread_create(&th[i], NULL, validator, &args[i]) == 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK(args[i].failures == 0);
	}
	CHECK(ocspkit_responder_cache_get_entry_count(cache) <= 2);
	/* the threads cycle through three signers in a cache of two, which
	 * may well give no hit at all; after them, the cache still works */
	unsigned long hits = ocspkit_responder_cache_get_hit_count(cache);
	thread_arg again = { &f, { resp[0], resp[0], resp[0] }, cache, 0 };
	validator(&again);
	CHECK(again.failures == 0);
	CHECK(ocspkit_responder_cache_get_hit_count(cache) >= hits + 2);
	for (int i = 0; i < 3; i++)
		ocspkit_response_free(resp[i]);
	ocspkit_responder_cache_free(cache);
	fixture_clear(&f);
}

/* Every allocation of a validation can fail: the answer is then right or
 * OCSPKIT_E_NO_MEMORY, never a wrong verdict, a crash or a leak. */
static void test_alloc_failures(void)
{
	fixture f;
	fixture_init(&f, OCSPKIT_KEY_EC_P256);
	spec s = { 0 };
	how h = { 0 };
	ocspkit_responder_cache *cache;

	for (int variant = 0; variant < 3; variant++) {
		s.delegated = variant > 0;
		ocspkit_response *r = make(&f, &s);
		for (long n = 1; n < 100; n++) {
			cache = NULL;
			okit_alloc_fail_at(n);
			ocspkit_err ce = variant == 2 ? ocspkit_responder_cache_new(&cache, 4) : OCSPKIT_OK;
			h.cache = cache;
			ocspkit_err e = ce ? ce : check(&f, r, &h);
			ocspkit_err e2 = ce ? ce : check(&f, r, &h); /* the cached path */
			long used = okit_alloc_fail_at(0);
			CHECK(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY);
			CHECK(e2 == OCSPKIT_OK || e2 == OCSPKIT_E_NO_MEMORY);
			ocspkit_responder_cache_free(cache);
			if (used < n)
				break;
		}
		ocspkit_response_free(r);
	}
	/* a ResponderID naming nobody: the verdict comes from trying the keys
	 * at hand, and a failed allocation there is no verdict (it once made
	 * OCSPKIT_E_SIGNER_NOT_FOUND of a response the CA had signed) */
	h.cache = NULL;
	for (int variant = 0; variant < 2; variant++) {
		memset(&s, 0, sizeof(s));
		s.rid_name = "Somebody Else";
		s.delegated = variant;
		ocspkit_response *r = make(&f, &s);
		for (long n = 1; n < 100; n++) {
			okit_alloc_fail_at(n);
			ocspkit_err e = check(&f, r, &h);
			long used = okit_alloc_fail_at(0);
			CHECK(e == OCSPKIT_E_RESPONDER_ID_MISMATCH || e == OCSPKIT_E_NO_MEMORY);
			if (used < n)
				break;
		}
		ocspkit_response_free(r);
	}
	fixture_clear(&f);
}

int main(void)
{
	test_algorithms();
	test_statuses_and_targets();
	test_signer();
	test_content();
	test_cache();
	test_cache_threads();
	test_alloc_failures();
	ocspkit_response_free(last_resp);
	CHECK_DONE();
}
