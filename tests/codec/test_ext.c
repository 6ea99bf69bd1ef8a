/* Round trips, field by field: a request and a response carrying every
 * standard extension (RFC 6960 4.4, RFC 8954, RFC 5280 5.3) and every
 * SingleResponse shape (good; revoked with and without each reason;
 * unknown; with and without nextUpdate) are encoded, decoded, and each
 * decoded field is compared with what was built, the extensions through
 * their typed readers.  Then the readers' refusals: another type, a
 * malformed value. */
#include <config.h>

#include "tests/lib/build.h"
#include "tests/lib/check.h"

#define T0 1767225600 /* 2026-01-01T00:00:00Z */

static int same(ocspkit_bytes a, ocspkit_bytes b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

static ocspkit_bytes view(const blob *b)
{
	return (ocspkit_bytes){ b->d, b->n };
}

static ocspkit_extension ext(ocspkit_ext_type type, int critical, const blob *value)
{
	ocspkit_extension e = { type, { NULL, 0 }, critical, view(value) };
	return e;
}

static int same_ext(const ocspkit_extension *a, const ocspkit_extension *b)
{
	return a->type == b->type && a->critical == b->critical && same(a->value, b->value);
}

/* OIDs (content octets) */
#define OID_OCSP_BASIC "2B0601050507300101"
#define OID_OCSP_NONCE "2B0601050507300102"
#define OID_AD_OCSP "2B06010505073001"
#define OID_SHA256_RSA "2A864886F70D01010B"
#define OID_ECDSA_SHA256 "2A8648CE3D040302"
#define OID_ED25519 "2B6570"

static void test_request_extensions(void)
{
	blob acceptable = T(0x30, cat(2, T(0x06, raw(OID_OCSP_BASIC)), T(0x06, raw(OID_OCSP_NONCE))));
	blob name = T(0x30, T(0x31, T(0x30, cat(2, T(0x06, raw("550403")), T(0x0C, bytes("Test CA", 7))))));
	blob aia = T(0x30, T(0x30, cat(2, T(0x06, raw(OID_AD_OCSP)), T(0x86, bytes("http://ocsp.test/", 17)))));
	blob locator = T(0x30, cat(2, name, aia));
	blob pref = T(0x30, cat(2, T(0x30, T(0x30, cat(2, T(0x06, raw(OID_SHA256_RSA)), raw("0500")))),
				T(0x30, cat(2, T(0x30, T(0x06, raw(OID_ECDSA_SHA256))), T(0x30, T(0x06, raw(OID_ED25519)))))));
	blob nonce = T(0x04, raw("00112233445566778899AABBCCDDEEFF"));
	ocspkit_extension rexts[] = {
		ext(OCSPKIT_EXT_NONCE, 0, &nonce),
		ext(OCSPKIT_EXT_ACCEPTABLE_RESPONSES, 0, &acceptable),
		ext(OCSPKIT_EXT_PREF_SIG_ALGS, 1, &pref),
	};
	ocspkit_extension sexts[] = { ext(OCSPKIT_EXT_SERVICE_LOCATOR, 0, &locator) };
	ocspkit_cert_id_value idv;
	uint8_t key[4] = { 1, 2, 3, 4 }, serial[2] = { 0x10, 0x01 };
	CHECK_OK(ocspkit_cert_id_compute_raw(&idv, OCSPKIT_HASH_SHA256, view(&name), (ocspkit_bytes){ key, 4 },
					     (ocspkit_bytes){ serial, 2 }));
	ocspkit_single_request sr = { ocspkit_cert_id_value_view(&idv), sexts, 1 };
	blob requestor = T(0xA4, name); /* directoryName */
	ocspkit_request_tbs tbs = { 0, view(&requestor), &sr, 1, rexts, 3 };
	uint8_t *der;
	size_t len;
	CHECK_OK(ocspkit_request_encode(&der, &len, &tbs, NULL));

	ocspkit_request *req;
	CHECK_OK(ocspkit_request_decode(&req, der, len, OCSPKIT_DECODE_STRICT, NULL));
	ocspkit_request_tbs got;
	ocspkit_request_get_tbs(&got, req);
	CHECK(got.version == 0 && same(got.requestor_name, view(&requestor)));
	CHECK(got.request_count == 1 && ocspkit_cert_id_equal(&got.requests[0].cert_id, &sr.cert_id));
	CHECK(got.requests[0].cert_id.hash == OCSPKIT_HASH_SHA256);
	CHECK(got.requests[0].extension_count == 1 && same_ext(&got.requests[0].extensions[0], &sexts[0]));
	CHECK(got.extension_count == 3);
	for (size_t i = 0; i < 3 && i < got.extension_count; i++)
		CHECK(same_ext(&got.extensions[i], &rexts[i]));

	ocspkit_bytes b, b2;
	CHECK_OK(ocspkit_request_get_nonce(&b, req));
	CHECK(b.len == 16 && b.data[0] == 0x00 && b.data[15] == 0xFF);

	const ocspkit_extension *x;
	CHECK_OK(ocspkit_extensions_find(&x, got.extensions, got.extension_count, OCSPKIT_EXT_ACCEPTABLE_RESPONSES));
	ocspkit_bytes oids[4];
	size_t n = 0;
	CHECK(x != NULL);
	CHECK_OK(ocspkit_ext_acceptable_responses(oids, 4, &n, x));
	CHECK(n == 2);
	blob basic = raw(OID_OCSP_BASIC), nonce_oid = raw(OID_OCSP_NONCE);
	CHECK(same(oids[0], view(&basic)) && same(oids[1], view(&nonce_oid)));
	CHECK_OK(ocspkit_ext_acceptable_responses(oids, 1, &n, x)); /* counts beyond max */
	CHECK(n == 2);

	CHECK_OK(ocspkit_extensions_find(&x, got.extensions, got.extension_count, OCSPKIT_EXT_PREF_SIG_ALGS));
	ocspkit_pref_sig_alg algs[2];
	CHECK(x != NULL && x->critical);
	CHECK_OK(ocspkit_ext_pref_sig_algs(algs, 2, &n, x));
	CHECK(n == 2);
	blob rsa = raw(OID_SHA256_RSA), ec = raw(OID_ECDSA_SHA256), ed = raw(OID_ED25519), null = raw("0500");
	CHECK(same(algs[0].sig_identifier.oid, view(&rsa)) && same(algs[0].sig_identifier.params, view(&null)));
	CHECK(!algs[0].has_cert_identifier);
	CHECK(same(algs[1].sig_identifier.oid, view(&ec)) && algs[1].sig_identifier.params.len == 0);
	CHECK(algs[1].has_cert_identifier && same(algs[1].cert_identifier.oid, view(&ed)));

	CHECK_OK(ocspkit_ext_service_locator(&b, &b2, &got.requests[0].extensions[0]));
	CHECK(same(b, view(&name)) && same(b2, view(&aia)));

	/* a reader for another type refuses */
	CHECK_ERR(ocspkit_ext_nonce(&b, x), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_ext_service_locator(&b, &b2, x), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_ext_acceptable_responses(oids, 4, &n, NULL), OCSPKIT_E_INVALID_ARGUMENT);
	ocspkit_request_free(req);
	ocspkit_free(der);
}

/* Every shape of SingleResponse, with the CRL entry extensions on some. */
#define N_SINGLES 16

static void test_response_round_trip(void)
{
	static const ocspkit_crl_reason reasons[] = {
		OCSPKIT_REASON_UNSPECIFIED,	       OCSPKIT_REASON_KEY_COMPROMISE,
		OCSPKIT_REASON_CA_COMPROMISE,	       OCSPKIT_REASON_AFFILIATION_CHANGED,
		OCSPKIT_REASON_SUPERSEDED,	       OCSPKIT_REASON_CESSATION_OF_OPERATION,
		OCSPKIT_REASON_CERTIFICATE_HOLD,       OCSPKIT_REASON_REMOVE_FROM_CRL,
		OCSPKIT_REASON_PRIVILEGE_WITHDRAWN,    OCSPKIT_REASON_AA_COMPROMISE,
	};
	ocspkit_cert_id_value ids[N_SINGLES];
	ocspkit_single_response singles[N_SINGLES];
	blob name = T(0x30, T(0x31, T(0x30, cat(2, T(0x06, raw("550403")), T(0x0C, bytes("Test CA", 7))))));
	uint8_t key[3] = { 9, 8, 7 };

	/* CRL entry extensions: reason, invalidity date, certificate issuer */
	blob crl_reason = T(0x0A, raw("09"));
	blob invalidity = GT("20251231235959Z");
	blob issuer_names = T(0x30, T(0xA4, name));
	ocspkit_extension entry_exts[] = {
		ext(OCSPKIT_EXT_CRL_REASON, 0, &crl_reason),
		ext(OCSPKIT_EXT_INVALIDITY_DATE, 0, &invalidity),
		ext(OCSPKIT_EXT_CERTIFICATE_ISSUER, 1, &issuer_names),
	};

	memset(singles, 0, sizeof(singles));
	for (int i = 0; i < N_SINGLES; i++) {
		uint8_t serial[2] = { 0x20, (uint8_t)i };
		CHECK_OK(ocspkit_cert_id_compute_raw(&ids[i], i % 2 ? OCSPKIT_HASH_SHA1 : OCSPKIT_HASH_SHA384,
						     view(&name), (ocspkit_bytes){ key, 3 },
						     (ocspkit_bytes){ serial, 2 }));
		ocspkit_single_response *s = &singles[i];
		s->cert_id = ocspkit_cert_id_value_view(&ids[i]);
		s->this_update = T0 + i;
		s->has_next_update = i % 3 != 0;
		s->next_update = T0 + 86400 + i;
		if (i < 10) { /* revoked, each reason */
			s->status = OCSPKIT_CERT_REVOKED;
			s->revocation_time = T0 - 1000 * i;
			s->has_revocation_reason = 1;
			s->revocation_reason = reasons[i];
		} else if (i == 10) { /* revoked, no reason */
			s->status = OCSPKIT_CERT_REVOKED;
			s->revocation_time = T0 - 7;
		} else {
			s->status = i % 2 ? OCSPKIT_CERT_GOOD : OCSPKIT_CERT_UNKNOWN;
		}
		if (i == 10 || i == 11) {
			s->extensions = entry_exts;
			s->extension_count = 3;
		}
	}

	blob nonce = T(0x04, fill(0xA5, 32));
	blob crl_id = T(0x30, cat(3, T(0xA0, T(0x16, bytes("http://crl.test/ca.crl", 22))), T(0xA1, T(0x02, raw("0100"))),
				  T(0xA2, GT("20260101000000Z"))));
	blob crl_id_url_only = T(0x30, T(0xA0, T(0x16, bytes("http://x/", 9))));
	blob cutoff = GT("20200229120000Z");
	blob extended_revoke = raw("0500");
	ocspkit_extension rexts[] = {
		ext(OCSPKIT_EXT_NONCE, 0, &nonce),
		ext(OCSPKIT_EXT_CRL_ID, 0, &crl_id),
		ext(OCSPKIT_EXT_ARCHIVE_CUTOFF, 0, &cutoff),
		ext(OCSPKIT_EXT_EXTENDED_REVOKE, 1, &extended_revoke),
	};
	ocspkit_extension crl_id_ext = ext(OCSPKIT_EXT_CRL_ID, 0, &crl_id_url_only);
	singles[12].extensions = &crl_id_ext;
	singles[12].extension_count = 1;

	uint8_t kh[20];
	memset(kh, 0x5A, sizeof(kh));
	ocspkit_response_tbs d = { 0, { OCSPKIT_RESPONDER_BY_KEY, { kh, 20 } }, T0 + 60, singles, N_SINGLES,
				   rexts, 4, { NULL, 0 } };
	uint8_t *tbs, *der;
	size_t tbs_len, len;
	CHECK_OK(ocspkit_response_tbs_encode(&tbs, &tbs_len, &d));
	blob sigval = fill(0x33, 64), cert = T(0x30, raw("0500")); /* the certificate is an opaque view here */
	ocspkit_bytes certs[1] = { view(&cert) };
	blob alg = raw(OID_ED25519);
	ocspkit_signature_block sig = { { view(&alg), { NULL, 0 } }, view(&sigval), certs, 0 };
	CHECK_OK(ocspkit_response_assemble(&der, &len, (ocspkit_bytes){ tbs, tbs_len }, &sig));

	ocspkit_response *resp;
	CHECK_OK(ocspkit_response_decode(&resp, der, len, OCSPKIT_DECODE_STRICT, NULL));
	CHECK(same(ocspkit_response_get_der(resp), (ocspkit_bytes){ der, len }));
	ocspkit_bytes tbs_der, type;
	CHECK_OK(ocspkit_response_get_tbs_der(&tbs_der, resp));
	CHECK(same(tbs_der, (ocspkit_bytes){ tbs, tbs_len }));
	CHECK(ocspkit_response_get_status(resp) == OCSPKIT_RESPONSE_SUCCESSFUL);
	blob basic = raw(OID_OCSP_BASIC);
	CHECK_OK(ocspkit_response_get_type(&type, resp));
	CHECK(same(type, view(&basic)));

	ocspkit_response_tbs got;
	CHECK_OK(ocspkit_response_get_tbs(&got, resp));
	CHECK(got.version == 0 && got.produced_at == T0 + 60);
	CHECK(got.responder_id.type == OCSPKIT_RESPONDER_BY_KEY && same(got.responder_id.value, (ocspkit_bytes){ kh, 20 }));
	CHECK(got.response_count == N_SINGLES && ocspkit_response_get_single_count(resp) == N_SINGLES);
	for (size_t i = 0; i < N_SINGLES && i < got.response_count; i++) {
		const ocspkit_single_response *a = &singles[i], *b = &got.responses[i];
		CHECK(ocspkit_cert_id_equal(&a->cert_id, &b->cert_id) && a->cert_id.hash == b->cert_id.hash);
		CHECK(a->status == b->status && a->this_update == b->this_update);
		CHECK(a->has_next_update == b->has_next_update && (!a->has_next_update || a->next_update == b->next_update));
		if (a->status == OCSPKIT_CERT_REVOKED) {
			CHECK(a->revocation_time == b->revocation_time);
			CHECK(a->has_revocation_reason == b->has_revocation_reason);
			CHECK(!a->has_revocation_reason || a->revocation_reason == b->revocation_reason);
		}
		CHECK(a->extension_count == b->extension_count);
		for (size_t j = 0; j < a->extension_count && j < b->extension_count; j++)
			CHECK(same_ext(&a->extensions[j], &b->extensions[j]));
		/* and a lookup by the full CertID finds this one */
		const ocspkit_single_response *found;
		CHECK_OK(ocspkit_response_find(&found, resp, &a->cert_id));
		CHECK(found == ocspkit_response_get_single(resp, i));
	}
	CHECK(got.extension_count == 4);
	for (size_t j = 0; j < 4 && j < got.extension_count; j++)
		CHECK(same_ext(&got.extensions[j], &rexts[j]));
	ocspkit_signature_block gs;
	CHECK_OK(ocspkit_response_get_signature(&gs, resp));
	CHECK(same(gs.algorithm.oid, view(&alg)) && gs.algorithm.params.len == 0 && same(gs.signature, view(&sigval)));
	CHECK(gs.cert_count == 0);

	/* the typed readers, on what was decoded */
	ocspkit_bytes b;
	CHECK_OK(ocspkit_response_get_nonce(&b, resp));
	CHECK(b.len == 32 && b.data[0] == 0xA5 && b.data[31] == 0xA5);
	const ocspkit_extension *x;
	CHECK_OK(ocspkit_extensions_find(&x, got.extensions, got.extension_count, OCSPKIT_EXT_CRL_ID));
	ocspkit_crl_id cid;
	CHECK(x != NULL);
	CHECK_OK(ocspkit_ext_crl_id(&cid, x));
	CHECK(cid.has_url && same(cid.url, (ocspkit_bytes){ (const uint8_t *)"http://crl.test/ca.crl", 22 }));
	CHECK(cid.has_number && cid.number.len == 2 && cid.number.data[0] == 0x01 && cid.number.data[1] == 0x00);
	CHECK(cid.has_time && cid.time == T0);
	CHECK_OK(ocspkit_ext_crl_id(&cid, &got.responses[12].extensions[0]));
	CHECK(cid.has_url && cid.url.len == 9 && !cid.has_number && !cid.has_time);

	int64_t t = 0;
	CHECK_OK(ocspkit_extensions_find(&x, got.extensions, got.extension_count, OCSPKIT_EXT_ARCHIVE_CUTOFF));
	CHECK(x != NULL);
	CHECK_OK(ocspkit_ext_archive_cutoff(&t, x));
	CHECK(t == 1582977600); /* 2020-02-29T12:00:00Z */
	CHECK_OK(ocspkit_extensions_find(&x, got.extensions, got.extension_count, OCSPKIT_EXT_EXTENDED_REVOKE));
	CHECK(x != NULL && x->critical);
	CHECK_OK(ocspkit_ext_extended_revoke(x));

	const ocspkit_single_response *s10 = &got.responses[10];
	ocspkit_crl_reason r = OCSPKIT_REASON_UNSPECIFIED;
	CHECK_OK(ocspkit_extensions_find(&x, s10->extensions, s10->extension_count, OCSPKIT_EXT_CRL_REASON));
	CHECK(x != NULL);
	CHECK_OK(ocspkit_ext_crl_reason(&r, x));
	CHECK(r == OCSPKIT_REASON_PRIVILEGE_WITHDRAWN);
	CHECK_OK(ocspkit_extensions_find(&x, s10->extensions, s10->extension_count, OCSPKIT_EXT_INVALIDITY_DATE));
	CHECK(x != NULL);
	CHECK_OK(ocspkit_ext_invalidity_date(&t, x));
	CHECK(t == T0 - 1);
	CHECK_OK(ocspkit_extensions_find(&x, s10->extensions, s10->extension_count, OCSPKIT_EXT_CERTIFICATE_ISSUER));
	CHECK(x != NULL && x->critical);
	CHECK_OK(ocspkit_ext_certificate_issuer(&b, x));
	CHECK(same(b, view(&issuer_names)));

	/* another type, or none */
	CHECK_ERR(ocspkit_ext_crl_reason(&r, &got.extensions[0]), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_ext_archive_cutoff(&t, NULL), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_extensions_find(&x, got.extensions, got.extension_count, OCSPKIT_EXT_SERVICE_LOCATOR),
		  OCSPKIT_E_NOT_FOUND);
	CHECK(x == NULL);

	ocspkit_response_free(resp);
	ocspkit_free(der);
	ocspkit_free(tbs);
}

/* A reader given an extension built by hand checks its value itself. */
static void test_malformed_values(void)
{
	struct {
		ocspkit_ext_type type;
		const char *hex;
	} bad[] = {
		{ OCSPKIT_EXT_CRL_REASON, "0A0107" },		      /* the unused value 7 */
		{ OCSPKIT_EXT_CRL_REASON, "0A010B" },		      /* past aACompromise */
		{ OCSPKIT_EXT_CRL_REASON, "02010A" },		      /* INTEGER, not ENUMERATED */
		{ OCSPKIT_EXT_INVALIDITY_DATE, "180D3236303130313030303030305A" }, /* 13 octets */
		{ OCSPKIT_EXT_ARCHIVE_CUTOFF, "170D3236303130313030303030305A" },  /* UTCTime */
		{ OCSPKIT_EXT_CRL_ID, "3003800100" },		      /* crlUrl as [0] primitive of a NUL */
		{ OCSPKIT_EXT_CRL_ID, "3006A1040202007F" },	      /* a padded crlNum */
		{ OCSPKIT_EXT_ACCEPTABLE_RESPONSES, "3003040100" },  /* not an OID */
		{ OCSPKIT_EXT_EXTENDED_REVOKE, "050100" },	      /* NULL with content */
		{ OCSPKIT_EXT_CERTIFICATE_ISSUER, "3000" },	      /* GeneralNames needs one */
		{ OCSPKIT_EXT_NONCE, "0402AABB00" },		      /* trailing octet */
		{ OCSPKIT_EXT_SERVICE_LOCATOR, "3000" },
		{ OCSPKIT_EXT_PREF_SIG_ALGS, "30023000" },	      /* an empty AlgorithmIdentifier */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		blob v = raw(bad[i].hex);
		ocspkit_extension e = ext(bad[i].type, 0, &v);
		ocspkit_bytes b, b2;
		ocspkit_crl_id cid;
		ocspkit_crl_reason r;
		int64_t t;
		size_t n;
		ocspkit_err err;
		switch (bad[i].type) {
		case OCSPKIT_EXT_CRL_REASON: err = ocspkit_ext_crl_reason(&r, &e); break;
		case OCSPKIT_EXT_INVALIDITY_DATE: err = ocspkit_ext_invalidity_date(&t, &e); break;
		case OCSPKIT_EXT_ARCHIVE_CUTOFF: err = ocspkit_ext_archive_cutoff(&t, &e); break;
		case OCSPKIT_EXT_CRL_ID: err = ocspkit_ext_crl_id(&cid, &e); break;
		case OCSPKIT_EXT_ACCEPTABLE_RESPONSES: err = ocspkit_ext_acceptable_responses(&b, 1, &n, &e); break;
		case OCSPKIT_EXT_EXTENDED_REVOKE: err = ocspkit_ext_extended_revoke(&e); break;
		case OCSPKIT_EXT_CERTIFICATE_ISSUER: err = ocspkit_ext_certificate_issuer(&b, &e); break;
		case OCSPKIT_EXT_NONCE: err = ocspkit_ext_nonce(&b, &e); break;
		case OCSPKIT_EXT_SERVICE_LOCATOR: err = ocspkit_ext_service_locator(&b, &b2, &e); break;
		default: err = ocspkit_ext_pref_sig_algs(NULL, 0, &n, &e); break;
		}
		if (err == OCSPKIT_OK || err == OCSPKIT_E_INVALID_ARGUMENT)
			fprintf(stderr, "bad value %zu (%s): %s\n", i, bad[i].hex, ocspkit_strerror_name(err));
		CHECK(err != OCSPKIT_OK && err != OCSPKIT_E_INVALID_ARGUMENT);
	}
}

int main(void)
{
	test_request_extensions();
	test_response_round_trip();
	test_malformed_values();
	CHECK_DONE();
}
