/* Unit tests of responder/answer.c, ca.c and route.c: what the
 * responder answers (statuses, reasons, extensions, each CertID hash in
 * the form asked, unauthorized, malformedRequest, RFC 8954 nonces), the
 * pre-signed cache seen from a request (no signature in steady state, a
 * new one when the index changes that entry), index swaps, and the HTTP
 * layer without a socket (GET path forms, caching headers, 304, errors). */
#include <config.h>

#include "tests/lib/pki.h"
#include "common/text.h"
#include "responder/answer.h"
#include "responder/route.h"
#include "responder/source_index.h"

#define NOW 1800000000
#define VALID 600

static ocspkit_privkey *ca_key, *resp_key, *ca2_key, *ca3_key;
static ocspkit_cert *ca, *resp, *ca2, *ca3;
static ocspkit_bytes resp_view;
static ocspkit_signer *resp_signer, *ca2_signer;
static rsp_signer signer1, signer2;
static rsp_source *src1, *src2;
static rsp_ca cas[2];
static rsp_responder R;
static rsp_answerer W;    /* R, as the HTTP layer sees it */

static const char index1[] =
	"V\t301231235959Z\t\t1001\tunknown\t/CN=good\n"
	"R\t301231235959Z\t240101000000Z,keyCompromise\t1002\tunknown\t/CN=revoked\n"
	"R\t301231235959Z\t240301000000Z,keyTime,20240215000000Z\t1003\tunknown\t/CN=kt\n"
	"R\t301231235959Z\t240215123000Z,holdInstruction,holdInstructionReject\t1004\tunknown\t/CN=hold\n"
	"E\t200101000000Z\t\t1005\tunknown\t/CN=old\n"
	"R\t301231235959Z\t240101000000Z\t1006\tunknown\t/CN=noreason\n";

static rsp_index *index_of(const char *text)
{
	rsp_index *idx = NULL;
	if (rsp_index_parse(&idx, (const uint8_t *)text, strlen(text), NULL) != OCSPKIT_OK)
		abort();
	return idx;
}

static void setup(void)
{
	pki_cert_spec s;
	ca_key = pki_key(OCSPKIT_KEY_EC_P256, 1);
	resp_key = pki_key(OCSPKIT_KEY_EC_P256, 2);
	ca2_key = pki_key(OCSPKIT_KEY_ED25519, 1);
	ca3_key = pki_key(OCSPKIT_KEY_ED25519, 2);
	memset(&s, 0, sizeof(s));
	s.subject = s.issuer = "Responder Test CA";
	s.ca = 1;
	s.key = s.issuer_key = ca_key;
	ca = pki_cert(&s);
	memset(&s, 0, sizeof(s));
	s.subject = "Responder Test OCSP";
	s.issuer = "Responder Test CA";
	s.serial = 2;
	s.ocsp_signing = 1;
	s.key = resp_key;
	s.issuer_key = ca_key;
	resp = pki_cert(&s);
	memset(&s, 0, sizeof(s));
	s.subject = s.issuer = "Second CA";
	s.ca = 1;
	s.key = s.issuer_key = ca2_key;
	ca2 = pki_cert(&s);
	memset(&s, 0, sizeof(s));
	s.subject = s.issuer = "Not Served CA";
	s.ca = 1;
	s.key = s.issuer_key = ca3_key;
	ca3 = pki_cert(&s);

	resp_view = ocspkit_cert_get_der(resp);
	CHECK_OK(ocspkit_signer_from_privkey(&resp_signer, resp_key, NULL));
	CHECK_OK(ocspkit_signer_from_privkey(&ca2_signer, ca2_key, NULL));
	signer1 = (rsp_signer){ resp_signer, resp, 0, &resp_view, 1 };
	signer2 = (rsp_signer){ ca2_signer, ca2, 1, NULL, 0 }; /* CA-signed, byKey, no certificates */
	CHECK_OK(rsp_index_source_new(&src1, NULL, NULL));
	CHECK_OK(rsp_index_source_new(&src2, NULL, NULL));
	rsp_index_source_set(src1, index_of(index1), NOW);
	rsp_index_source_set(src2, index_of("V\t301231235959Z\t\t1001\tunknown\t/CN=other\n"), NOW);
	CHECK_OK(rsp_ca_init(&cas[0], ca, &signer1, src1));
	CHECK_OK(rsp_ca_init(&cas[1], ca2, &signer2, src2));
	R.cas = cas;
	R.n_cas = 2;
	R.validity = VALID;
	CHECK_OK(rsp_cache_new(&R.cache, 1000));
	W = rsp_responder_answerer(&R);
}

static void teardown(void)
{
	rsp_cache_free(R.cache);
	rsp_source_free(src1);
	rsp_source_free(src2);
	ocspkit_cert_free(ca);
	ocspkit_cert_free(resp);
	ocspkit_cert_free(ca2);
	ocspkit_cert_free(ca3);
	ocspkit_signer_free(resp_signer);
	ocspkit_signer_free(ca2_signer);
	ocspkit_privkey_free(ca_key);
	ocspkit_privkey_free(resp_key);
	ocspkit_privkey_free(ca2_key);
	ocspkit_privkey_free(ca3_key);
}

/* ---------------------------------------------------------------- requests */

typedef struct {
	const ocspkit_cert *issuer;
	unsigned long serial;
	ocspkit_hash hash;
	int absent_params;
} target;

static ocspkit_cert_id_value id_value(const target *t)
{
	uint8_t sb[9];
	size_t n = 0;
	for (int i = 7; i >= 0; i--) {
		uint8_t b = (uint8_t)(t->serial >> (8 * i));
		if (n || b || i == 0) {
			if (!n && (b & 0x80))
				sb[n++] = 0;
			sb[n++] = b;
		}
	}
	ocspkit_cert_id_value v;
	if (ocspkit_cert_id_compute(&v, t->hash ? t->hash : OCSPKIT_HASH_SHA1, t->issuer, (ocspkit_bytes){ sb, n }))
		abort();
	return v;
}

/* A request for targets, with a nonce of nonce_len octets (0: none). */
static blob request(const target *t, size_t n, size_t nonce_len)
{
	ocspkit_cert_id_value v[8];
	ocspkit_single_request q[8];
	ocspkit_request_tbs tbs;
	ocspkit_extension ext;
	uint8_t nonce[64], value[80];
	memset(q, 0, sizeof(q));
	memset(&tbs, 0, sizeof(tbs));
	for (size_t i = 0; i < n; i++) {
		v[i] = id_value(&t[i]);
		q[i].cert_id = ocspkit_cert_id_value_view(&v[i]);
		if (t[i].absent_params)
			q[i].cert_id.hash_algorithm.params = (ocspkit_bytes){ NULL, 0 };
	}
	tbs.requests = q;
	tbs.request_count = n;
	if (nonce_len) {
		memset(&ext, 0, sizeof(ext));
		memset(nonce, 0xA5, sizeof(nonce));
		ext.type = OCSPKIT_EXT_NONCE;
		if (ocspkit_ext_nonce_value(value, sizeof(value), &ext.value.len, (ocspkit_bytes){ nonce, nonce_len }))
			abort();
		ext.value.data = value;
		tbs.extensions = &ext;
		tbs.extension_count = 1;
	}
	uint8_t *der;
	size_t len;
	if (ocspkit_request_encode(&der, &len, &tbs, NULL))
		abort();
	blob b = bytes(der, len);
	ocspkit_free(der);
	return b;
}

/* The same with a nonce extension of any size (the encoder refuses the
 * sizes RFC 8954 forbids): requestExtensions [2] { nonce OCTET STRING { n octets } } */
static blob request_raw_nonce(const target *t, size_t nonce_len)
{
	blob plain = request(t, 1, 0);
	/* OCSPRequest { TBSRequest { requestList } }: rebuild TBSRequest */
	size_t off = 2 + (plain.d[1] & 0x80 ? (plain.d[1] & 0x7F) : 0);
	blob tbs = bytes(plain.d + off, plain.n - off);
	size_t toff = 2 + (tbs.d[1] & 0x80 ? (tbs.d[1] & 0x7F) : 0);
	blob list = bytes(tbs.d + toff, tbs.n - toff);
	blob nonce = fill(0x5A, nonce_len);
	blob ext = T(0x30, cat(2, raw("06092B0601050507300102"), T(0x04, T(0x04, nonce))));
	return T(0x30, T(0x30, cat(2, list, T(0xA2, T(0x30, ext)))));
}

typedef struct {
	rsp_answer a;
	ocspkit_response *resp;
	const ocspkit_single_response *single; /* the first */
} answered;

static void answer(answered *out, blob req)
{
	memset(out, 0, sizeof(*out));
	CHECK_OK(rsp_answer_request(&out->a, &R, req.d, req.n, NOW, 0));
	size_t off;
	CHECK_OK(ocspkit_response_decode(&out->resp, out->a.blob->der, out->a.blob->len, 0, &off));
	if (out->resp && ocspkit_response_get_single_count(out->resp))
		out->single = ocspkit_response_get_single(out->resp, 0);
}

static void done(answered *x)
{
	ocspkit_response_free(x->resp);
	rsp_answer_clear(&x->a);
}

/* The response validates for the request's CertIDs against issuer. */
static void check_valid(const answered *x, blob req, const ocspkit_cert *issuer, size_t nonce_len)
{
	ocspkit_request *rq;
	size_t off;
	CHECK_OK(ocspkit_request_decode(&rq, req.d, req.n, 0, &off));
	if (!rq)
		return;
	size_t n = ocspkit_request_get_single_count(rq);
	ocspkit_validate_target targets[8];
	memset(targets, 0, sizeof(targets));
	for (size_t i = 0; i < n; i++)
		targets[i].cert_id = &ocspkit_request_get_single(rq, i)->cert_id;
	ocspkit_validate_params p;
	ocspkit_validate_result res;
	memset(&p, 0, sizeof(p));
	p.issuer = issuer;
	p.targets = targets;
	p.target_count = n;
	p.now = NOW;
	ocspkit_bytes nonce = { NULL, 0 };
	if (nonce_len)
		CHECK_OK(ocspkit_request_get_nonce(&nonce, rq));
	p.nonce = nonce;
	CHECK_OK(ocspkit_response_validate(&res, x->resp, &p));
	CHECK(res.target_count == n);
	ocspkit_validate_result_clear(&res);
	/* every CertID echoed exactly as asked (parameters included) */
	for (size_t i = 0; i < n && i < ocspkit_response_get_single_count(x->resp); i++) {
		const ocspkit_cert_id *a = &ocspkit_request_get_single(rq, i)->cert_id, *b = &ocspkit_response_get_single(x->resp, i)->cert_id;
		CHECK(ocspkit_cert_id_equal(a, b) && a->hash_algorithm.params.len == b->hash_algorithm.params.len);
	}
	ocspkit_request_free(rq);
}

/* ---------------------------------------------------------------- tests */

static void test_statuses(void)
{
	static const struct {
		unsigned long serial;
		ocspkit_cert_status status;
		int has_reason;
		ocspkit_crl_reason reason;
	} cases[] = {
		{ 0x1001, OCSPKIT_CERT_GOOD, 0, 0 },
		{ 0x1002, OCSPKIT_CERT_REVOKED, 1, OCSPKIT_REASON_KEY_COMPROMISE },
		{ 0x1003, OCSPKIT_CERT_REVOKED, 1, OCSPKIT_REASON_KEY_COMPROMISE },
		{ 0x1004, OCSPKIT_CERT_REVOKED, 1, OCSPKIT_REASON_CERTIFICATE_HOLD },
		{ 0x1005, OCSPKIT_CERT_GOOD, 0, 0 },
		{ 0x1006, OCSPKIT_CERT_REVOKED, 0, 0 },
		{ 0xDEAD, OCSPKIT_CERT_UNKNOWN, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		target t = { ca, cases[i].serial, 0, 0 };
		blob req = request(&t, 1, 0);
		answered x;
		answer(&x, req);
		CHECK(x.a.status == OCSPKIT_RESPONSE_SUCCESSFUL && x.a.cacheable && !x.a.nonce && x.a.count == 1);
		CHECK(x.a.cert_status == cases[i].status);
		CHECK(x.single && x.single->status == cases[i].status);
		if (x.single) {
			CHECK(x.single->this_update == NOW && x.single->has_next_update && x.single->next_update == NOW + VALID);
			CHECK(x.single->has_revocation_reason == cases[i].has_reason);
			if (cases[i].has_reason)
				CHECK(x.single->revocation_reason == cases[i].reason);
			if (cases[i].status == OCSPKIT_CERT_REVOKED)
				CHECK(x.single->revocation_time == (cases[i].serial == 0x1003 ? 1709251200 :
								    cases[i].serial == 0x1004 ? 1708000200 : 1704067200));
			const ocspkit_extension *inv;
			ocspkit_err found = ocspkit_extensions_find(&inv, x.single->extensions, x.single->extension_count,
								    OCSPKIT_EXT_INVALIDITY_DATE);
			CHECK((found == OCSPKIT_OK) == (cases[i].serial == 0x1003) && (found == OCSPKIT_OK) == (inv != NULL));
			int64_t when;
			if (inv)
				CHECK(ocspkit_ext_invalidity_date(&when, inv) == OCSPKIT_OK && when == 1707955200);
			static const uint8_t hold_oid[] = { 0x55, 0x1D, 0x17 };
			static const uint8_t reject[] = { 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x38, 0x02, 0x03 };
			int hold = 0;
			for (size_t k = 0; k < x.single->extension_count; k++) {
				const ocspkit_extension *e = &x.single->extensions[k];
				if (e->oid.len == 3 && memcmp(e->oid.data, hold_oid, 3) == 0) {
					hold = 1;
					CHECK(!e->critical && e->value.len == sizeof(reject) &&
					      memcmp(e->value.data, reject, sizeof(reject)) == 0);
				}
			}
			CHECK(hold == (cases[i].serial == 0x1004));
		}
		check_valid(&x, req, ca, 0);
		done(&x);
	}
}

static void test_hashes(void)
{
	static const ocspkit_hash hashes[] = { OCSPKIT_HASH_SHA1, OCSPKIT_HASH_SHA224, OCSPKIT_HASH_SHA256,
					       OCSPKIT_HASH_SHA384, OCSPKIT_HASH_SHA512 };
	for (size_t h = 0; h < 5; h++) {
		for (int absent = 0; absent < 2; absent++) {
			target t = { ca, 0x1002, hashes[h], absent };
			blob req = request(&t, 1, 0);
			answered x;
			answer(&x, req);
			CHECK(x.single && x.single->cert_id.hash == hashes[h] && x.single->status == OCSPKIT_CERT_REVOKED);
			check_valid(&x, req, ca, 0);
			done(&x);
		}
	}
	/* the second CA: its own signer, CA-signed, byKey, no certificates */
	target t2 = { ca2, 0x1001, OCSPKIT_HASH_SHA256, 0 };
	blob req = request(&t2, 1, 0);
	answered x;
	answer(&x, req);
	CHECK(x.single && x.single->status == OCSPKIT_CERT_GOOD);
	ocspkit_response_tbs d;
	ocspkit_signature_block sig;
	if (x.resp) {
		CHECK_OK(ocspkit_response_get_tbs(&d, x.resp));
		CHECK_OK(ocspkit_response_get_signature(&sig, x.resp));
		CHECK(d.responder_id.type == OCSPKIT_RESPONDER_BY_KEY && sig.cert_count == 0);
	}
	check_valid(&x, req, ca2, 0);
	done(&x);
	/* the first: byName, the delegated certificate included */
	target t1 = { ca, 0x1001, 0, 0 };
	answer(&x, request(&t1, 1, 0));
	if (x.resp) {
		CHECK_OK(ocspkit_response_get_tbs(&d, x.resp));
		CHECK_OK(ocspkit_response_get_signature(&sig, x.resp));
		CHECK(d.responder_id.type == OCSPKIT_RESPONDER_BY_NAME && sig.cert_count == 1);
	}
	done(&x);
}

static void expect_status(blob req, ocspkit_response_status want, const char *word)
{
	rsp_answer a;
	CHECK_OK(rsp_answer_request(&a, &R, req.d, req.n, NOW, 0));
	CHECK(a.status == want && !a.cacheable && a.blob->len == 5 && a.blob->der[4] == (uint8_t)want);
	if (!strstr(a.detail, word))
		fprintf(stderr, "detail '%s' lacks '%s'\n", a.detail, word);
	CHECK(strstr(a.detail, word) != NULL);
	rsp_answer_clear(&a);
}

static void test_errors(void)
{
	target stranger = { ca3, 0x1001, 0, 0 };
	expect_status(request(&stranger, 1, 0), OCSPKIT_RESPONSE_UNAUTHORIZED, "does not serve");
	target two[2] = { { ca, 0x1001, 0, 0 }, { ca3, 0x1001, 0, 0 } };
	expect_status(request(two, 2, 0), OCSPKIT_RESPONSE_UNAUTHORIZED, "request 2");
	target mixed[2] = { { ca, 0x1001, 0, 0 }, { ca2, 0x1001, 0, 0 } };
	expect_status(request(mixed, 2, 0), OCSPKIT_RESPONSE_UNAUTHORIZED, "another signer");
	/* an MD5 CertID names no CA */
	blob md5 = request(&two[0], 1, 0);
	static const uint8_t sha1_oid[] = { 0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A };
	for (size_t i = 0; i + sizeof(sha1_oid) <= md5.n; i++) {
		if (memcmp(md5.d + i, sha1_oid, sizeof(sha1_oid)) == 0) {
			/* same length: 1.3.14.3.2.26 -> 1.3.14.3.2.29 (sha1WithRSA, not a hash) */
			md5.d[i + 6] = 0x1D;
			break;
		}
	}
	expect_status(md5, OCSPKIT_RESPONSE_UNAUTHORIZED, "does not serve");
	expect_status(raw("3002 0500"), OCSPKIT_RESPONSE_MALFORMED_REQUEST, "OCSPKIT_E_");
	expect_status(none(), OCSPKIT_RESPONSE_MALFORMED_REQUEST, "OCSPKIT_E_");
	blob trailing = request(&two[0], 1, 0);
	trailing.d[trailing.n++] = 0;
	expect_status(trailing, OCSPKIT_RESPONSE_MALFORMED_REQUEST, "TRAILING");
	/* RFC 8954: a nonce of 1 to 32 octets */
	expect_status(request_raw_nonce(&two[0], 0), OCSPKIT_RESPONSE_MALFORMED_REQUEST, "NONCE");
	expect_status(request_raw_nonce(&two[0], 33), OCSPKIT_RESPONSE_MALFORMED_REQUEST, "NONCE");
	expect_status(request_raw_nonce(&two[0], 128), OCSPKIT_RESPONSE_MALFORMED_REQUEST, "NONCE");
	/* no CertID at all: OCSPRequest { TBSRequest { requestList {} } } */
	expect_status(raw("30043002 3000"), OCSPKIT_RESPONSE_MALFORMED_REQUEST, "");
}

/* A signer that fails (an HSM gone): every answer it would sign is
 * tryLater, with its error returned and nothing cached; once it signs
 * again, so does the responder. */
static int signer_down;

static ocspkit_err flaky_sign(void *ctx, uint8_t *sig, size_t sig_cap, size_t *sig_len, const uint8_t *data,
			      size_t data_len)
{
	uint8_t *s;
	size_t n;
	if (signer_down)
		return OCSPKIT_E_SIGNING_FAILED;
	ocspkit_err e = ocspkit_signer_sign(&s, &n, ctx, data, data_len);
	if (e)
		return e;
	if (n <= sig_cap) {
		memcpy(sig, s, n);
		*sig_len = n;
	}
	ocspkit_free(s);
	return n <= sig_cap ? OCSPKIT_OK : OCSPKIT_E_INTERNAL;
}

static void test_signer_failure(void)
{
	static const ocspkit_signer_ops flaky_ops = { flaky_sign, NULL };
	ocspkit_algorithm_id id = ocspkit_signer_get_algorithm(resp_signer);
	ocspkit_algorithm_value alg;
	ocspkit_signer *flaky;
	memset(&alg, 0, sizeof(alg));
	memcpy(alg.oid, id.oid.data, id.oid.len);
	alg.oid_len = id.oid.len;
	CHECK(id.params.len == 0); /* ECDSA */
	CHECK_OK(ocspkit_signer_new(&flaky, &flaky_ops, resp_signer, &alg, 80));
	signer1.signer = flaky;
	target t = { ca, 0xBEEF, 0, 0 };
	blob reqs[2] = { request(&t, 1, 0), request(&t, 1, 16) }; /* through the cache, and signed directly */
	signer_down = 1;
	for (int i = 0; i < 2; i++) {
		rsp_answer a;
		CHECK_ERR(rsp_answer_request(&a, &R, reqs[i].d, reqs[i].n, NOW, 0), OCSPKIT_E_SIGNING_FAILED);
		CHECK(a.status == OCSPKIT_RESPONSE_TRY_LATER && !a.cacheable && a.blob->len == 5);
		CHECK(strstr(a.detail, "SIGNING_FAILED") != NULL);
		rsp_answer_clear(&a);
	}
	signer_down = 0;
	for (int i = 0; i < 2; i++) {
		answered x;
		answer(&x, reqs[i]);
		CHECK(x.a.status == OCSPKIT_RESPONSE_SUCCESSFUL && x.single && x.single->status == OCSPKIT_CERT_UNKNOWN);
		if (x.resp)
			check_valid(&x, reqs[i], ca, i ? 16 : 0);
		done(&x);
	}
	signer1.signer = resp_signer;
	ocspkit_signer_free(flaky);
}

static void test_nonces_and_many(void)
{
	target t = { ca, 0x1002, 0, 0 };
	for (size_t n = 1; n <= 32; n += 31) {
		blob req = request_raw_nonce(&t, n);
		answered x;
		answer(&x, req);
		CHECK(x.a.status == OCSPKIT_RESPONSE_SUCCESSFUL && x.a.nonce && !x.a.cacheable && (x.a.origin == RSP_ORIGIN_SIGNED));
		ocspkit_bytes nonce;
		CHECK(x.resp && ocspkit_response_get_nonce(&nonce, x.resp) == OCSPKIT_OK && nonce.len == n &&
		      nonce.data[0] == 0x5A);
		check_valid(&x, req, ca, n);
		done(&x);
		/* a nonce answer is signed every time */
		answer(&x, req);
		CHECK((x.a.origin == RSP_ORIGIN_SIGNED));
		done(&x);
	}
	target many[5] = { { ca, 0x1001, 0, 0 }, { ca, 0x1002, OCSPKIT_HASH_SHA256, 1 }, { ca, 0xBEEF, 0, 0 },
			   { ca, 0x1003, OCSPKIT_HASH_SHA512, 0 }, { ca, 0x1005, 0, 0 } };
	blob req = request(many, 5, 16);
	answered x;
	answer(&x, req);
	CHECK(x.a.count == 5 && x.resp && ocspkit_response_get_single_count(x.resp) == 5);
	if (x.resp && ocspkit_response_get_single_count(x.resp) == 5) {
		static const ocspkit_cert_status want[5] = { OCSPKIT_CERT_GOOD, OCSPKIT_CERT_REVOKED, OCSPKIT_CERT_UNKNOWN,
							     OCSPKIT_CERT_REVOKED, OCSPKIT_CERT_GOOD };
		for (size_t i = 0; i < 5; i++)
			CHECK(ocspkit_response_get_single(x.resp, i)->status == want[i]);
	}
	check_valid(&x, req, ca, 16);
	done(&x);
	/* several CertIDs without nonce: signed, not from the cache, cacheable by HTTP */
	req = request(many, 2, 0);
	answer(&x, req);
	CHECK((x.a.origin == RSP_ORIGIN_SIGNED) && x.a.cacheable && x.a.count == 2);
	done(&x);
}

static void test_cache_and_reload(void)
{
	target good = { ca, 0x1001, 0, 0 }, other = { ca, 0x1006, OCSPKIT_HASH_SHA256, 0 };
	blob rg = request(&good, 1, 0), ro = request(&other, 1, 0);
	answered a1, a2, b1, b2;
	answer(&a1, rg);
	answer(&b1, ro);
	/* steady state: the same bytes, no signature */
	answer(&a2, rg);
	CHECK(a2.a.origin == RSP_ORIGIN_CACHE && a2.a.blob == a1.a.blob);
	done(&a2);
	/* the absent-parameters form is another response (it echoes the CertID) */
	target good_absent = good;
	good_absent.absent_params = 1;
	answer(&a2, request(&good_absent, 1, 0));
	CHECK(a2.a.blob != a1.a.blob && a2.single && a2.single->cert_id.hash_algorithm.params.len == 0);
	done(&a2);

	/* the index changes 1001 (now revoked) and nothing about 1006 */
	rsp_snapshot *old = rsp_ca_acquire(&cas[0]);
	uint64_t gen = old->generation;
	rsp_index_source_set(src1, index_of("R\t301231235959Z\t261101000000Z,superseded\t1001\tunknown\t/CN=good\n"
					     "R\t301231235959Z\t240101000000Z\t1006\tunknown\t/CN=noreason\n"),
			     NOW);
	/* the old snapshot stays readable while held */
	rsp_status st;
	CHECK(rsp_ca_lookup(&cas[0], old, (ocspkit_bytes){ (const uint8_t *)"\x10\x01", 2 }, &st) == OCSPKIT_OK &&
	      st.status == OCSPKIT_CERT_GOOD);
	rsp_snapshot_release(old);
	rsp_snapshot *now = rsp_ca_acquire(&cas[0]);
	CHECK(now->generation == gen + 1);
	rsp_snapshot_release(now);
	answer(&a2, rg);
	CHECK(a2.a.origin == RSP_ORIGIN_SIGNED && a2.single && a2.single->status == OCSPKIT_CERT_REVOKED &&
	      a2.single->revocation_reason == OCSPKIT_REASON_SUPERSEDED);
	answer(&b2, ro);
	CHECK(b2.a.origin == RSP_ORIGIN_CACHE && b2.a.blob == b1.a.blob);
	done(&a1);
	done(&a2);
	done(&b1);
	done(&b2);
	/* 1002 is gone from the index: unknown */
	target gone = { ca, 0x1002, 0, 0 };
	answer(&a1, request(&gone, 1, 0));
	CHECK(a1.single && a1.single->status == OCSPKIT_CERT_UNKNOWN);
	done(&a1);
	rsp_index_source_set(src1, index_of(index1), NOW);

	/* without a cache every answer is signed; without validity no nextUpdate */
	rsp_responder plain = R;
	plain.cache = NULL;
	plain.validity = -1;
	rsp_answer a;
	CHECK_OK(rsp_answer_request(&a, &plain, rg.d, rg.n, NOW, 0));
	CHECK((a.origin == RSP_ORIGIN_SIGNED) && a.blob->has_update && !a.blob->has_next_update);
	rsp_answer_clear(&a);

	/* the request a client sends for presigning */
	uint8_t *der;
	size_t len, off;
	ocspkit_request *rq;
	CHECK_OK(rsp_answer_make_request(&der, &len, &cas[0], OCSPKIT_HASH_SHA1, 1,
					  (ocspkit_bytes){ (const uint8_t *)"\x10\x01", 2 }));
	CHECK(len == rg.n && memcmp(der, rg.d, len) == 0);
	ocspkit_free(der);
	CHECK_OK(rsp_answer_make_request(&der, &len, &cas[0], OCSPKIT_HASH_SHA384, 0,
					  (ocspkit_bytes){ (const uint8_t *)"\x10\x01", 2 }));
	CHECK_OK(ocspkit_request_decode(&rq, der, len, 0, &off));
	CHECK(rq && ocspkit_request_get_single(rq, 0)->cert_id.hash == OCSPKIT_HASH_SHA384 &&
	      ocspkit_request_get_single(rq, 0)->cert_id.hash_algorithm.params.len == 0 &&
	      rsp_ca_matches(&cas[0], &ocspkit_request_get_single(rq, 0)->cert_id) &&
	      !rsp_ca_matches(&cas[1], &ocspkit_request_get_single(rq, 0)->cert_id));
	ocspkit_request_free(rq);
	ocspkit_free(der);
}

/* ---------------------------------------------------------------- HTTP */

static const rsp_route_opts ropts = { 1000, 300, "/", 6 };

static void b64(char *out, size_t cap, blob der, int url)
{
	char *s;
	size_t n;
	CHECK_OK(text_base64_encode(&s, &n, der.d, der.n, url ? TEXT_BASE64_URL : 0));
	snprintf(out, cap, "%s", s);
	free(s);
}

static void route(rsp_http_resp *out, const char *method, const char *path, blob body, const char *ctype,
		  const char *inm, const char *ims, int64_t now)
{
	rsp_http_req rq = { method, path, strlen(path), body.d, body.n, ctype, inm, ims, 0 };
	ocspkit_err e = rsp_route(out, &W, &ropts, &rq, now);
	CHECK_OK(e);
}

static void test_get_forms(void)
{
	/* a request whose base64 has '+', '/' and "//" */
	blob req = none();
	char std[600], path[1800];
	unsigned long serial;
	for (serial = 1; serial < 200000; serial++) {
		target t = { ca, serial, 0, 0 };
		req = request(&t, 1, 0);
		char *s;
		size_t n;
		if (text_base64_encode(&s, &n, req.d, req.n, 0))
			abort();
		snprintf(std, sizeof(std), "%s", s);
		free(s);
		if (strchr(std, '+') && strstr(std, "//") && strchr(std, '='))
			break;
	}
	CHECK(serial < 200000);
	rsp_http_resp r0, r;
	snprintf(path, sizeof(path), "/%s", std);
	route(&r0, "GET", path, none(), NULL, NULL, NULL, NOW);
	CHECK(r0.status == 200 && r0.is_ocsp && r0.answer.status == OCSPKIT_RESPONSE_SUCCESSFUL);
	CHECK(strcmp(r0.content_type, "application/ocsp-response") == 0);

	/* URL-encoded once: %2B %2F %3D, in either case */
	char enc[1800];
	size_t o = 0;
	enc[o++] = '/';
	for (const char *p = std; *p; p++) {
		const char *rep = *p == '+' ? "%2B" : *p == '/' ? "%2f" : *p == '=' ? "%3D" : NULL;
		if (rep) {
			memcpy(enc + o, rep, 3);
			o += 3;
		} else {
			enc[o++] = *p;
		}
	}
	enc[o] = 0;
	route(&r, "GET", enc, none(), NULL, NULL, NULL, NOW);
	CHECK(r.status == 200 && r.body_len == r0.body_len && memcmp(r.body, r0.body, r.body_len) == 0);
	rsp_http_resp_clear(&r);
	/* base64url without padding */
	char url[600];
	b64(url, sizeof(url), req, 1);
	snprintf(path, sizeof(path), "/%s", url);
	route(&r, "GET", path, none(), NULL, NULL, NULL, NOW);
	CHECK(r.status == 200 && r.body_len == r0.body_len && memcmp(r.body, r0.body, r.body_len) == 0);
	rsp_http_resp_clear(&r);
	/* padding dropped from the standard form */
	snprintf(path, sizeof(path), "/%.*s", (int)strcspn(std, "="), std);
	route(&r, "GET", path, none(), NULL, NULL, NULL, NOW);
	CHECK(r.status == 200 && r.answer.status == OCSPKIT_RESPONSE_SUCCESSFUL);
	rsp_http_resp_clear(&r);
	/* decoded once only: %252B is "%2B", not base64 */
	char twice[1800];
	snprintf(twice, sizeof(twice), "/%s", std);
	char *plus = strchr(twice, '+');
	memmove(plus + 5, plus + 1, strlen(plus + 1) + 1);
	memcpy(plus, "%252B", 5);
	route(&r, "GET", twice, none(), NULL, NULL, NULL, NOW);
	CHECK(r.status == 200 && r.answer.status == OCSPKIT_RESPONSE_MALFORMED_REQUEST &&
	      strcmp(r.cache_control, "no-store") == 0 && r.etag[0] == 0);
	rsp_http_resp_clear(&r);
	/* '+' read as a space, or "//" collapsed, would not decode */
	snprintf(path, sizeof(path), "/%s", std);
	*strchr(path, '+') = ' ';
	route(&r, "GET", path, none(), NULL, NULL, NULL, NOW);
	CHECK(r.answer.status == OCSPKIT_RESPONSE_MALFORMED_REQUEST);
	rsp_http_resp_clear(&r);
	/* bad escapes, and a path that is not base64 */
	route(&r, "GET", "/%2", none(), NULL, NULL, NULL, NOW);
	CHECK(r.status == 200 && r.answer.status == OCSPKIT_RESPONSE_MALFORMED_REQUEST);
	rsp_http_resp_clear(&r);
	route(&r, "GET", "/%zz", none(), NULL, NULL, NULL, NOW);
	CHECK(r.answer.status == OCSPKIT_RESPONSE_MALFORMED_REQUEST);
	rsp_http_resp_clear(&r);
	route(&r, "GET", "/not*base64", none(), NULL, NULL, NULL, NOW);
	CHECK(r.answer.status == OCSPKIT_RESPONSE_MALFORMED_REQUEST && strstr(r.answer.detail, "base64"));
	rsp_http_resp_clear(&r);
	route(&r, "GET", "/", none(), NULL, NULL, NULL, NOW);
	CHECK(r.status == 200 && r.answer.status == OCSPKIT_RESPONSE_MALFORMED_REQUEST);
	rsp_http_resp_clear(&r);
	/* HEAD: the same answer */
	snprintf(path, sizeof(path), "/%s", std);
	route(&r, "HEAD", path, none(), NULL, NULL, NULL, NOW);
	CHECK(r.status == 200 && r.body_len == r0.body_len && strcmp(r.etag, r0.etag) == 0);
	rsp_http_resp_clear(&r);

	/* a prefix */
	rsp_route_opts pre = ropts;
	pre.prefix = "/ocsp";
	snprintf(path, sizeof(path), "/ocsp/%s", std);
	rsp_http_req rq = { "GET", path, strlen(path), NULL, 0, NULL, NULL, NULL, 0 };
	CHECK_OK(rsp_route(&r, &W, &pre, &rq, NOW));
	CHECK(r.status == 200 && r.answer.status == OCSPKIT_RESPONSE_SUCCESSFUL);
	rsp_http_resp_clear(&r);
	pre.prefix = "/ocsp/";
	CHECK_OK(rsp_route(&r, &W, &pre, &rq, NOW));
	CHECK(r.status == 200 && r.answer.status == OCSPKIT_RESPONSE_SUCCESSFUL);
	rsp_http_resp_clear(&r);
	rq.path = "/other/x";
	rq.path_len = 8;
	CHECK_OK(rsp_route(&r, &W, &pre, &rq, NOW));
	CHECK(r.status == 404 && !r.is_ocsp);
	rsp_http_resp_clear(&r);
	rq.path = "/ocspx";
	rq.path_len = 6;
	CHECK_OK(rsp_route(&r, &W, &pre, &rq, NOW));
	CHECK(r.status == 404);
	rsp_http_resp_clear(&r);
	rsp_http_resp_clear(&r0);
}

static void test_http_caching(void)
{
	target t = { ca, 0x1002, 0, 0 };
	blob req = request(&t, 1, 0);
	char std[600], path[700], date[30];
	b64(std, sizeof(std), req, 0);
	snprintf(path, sizeof(path), "/%s", std);
	rsp_http_resp r, r2;

	route(&r, "GET", path, none(), NULL, NULL, NULL, NOW);
	CHECK(r.status == 200);
	int64_t tu = r.answer.blob->this_update;
	char want[100];
	snprintf(want, sizeof(want), "max-age=%d, public, no-transform, must-revalidate", (int)(tu + VALID - NOW));
	CHECK(strcmp(r.cache_control, want) == 0);
	rsp_http_date(date, tu);
	CHECK(strcmp(r.last_modified, date) == 0);
	rsp_http_date(date, tu + VALID);
	CHECK(strcmp(r.expires, date) == 0);
	CHECK(strcmp(r.etag, r.answer.blob->etag) == 0 && r.etag[0] == '"');
	/* later: the same bytes, a shorter max-age */
	route(&r2, "GET", path, none(), NULL, NULL, NULL, NOW + 100);
	snprintf(want, sizeof(want), "max-age=%d, public, no-transform, must-revalidate", (int)(tu + VALID - NOW - 100));
	CHECK(strcmp(r2.cache_control, want) == 0 && strcmp(r2.etag, r.etag) == 0 && r2.answer.origin == RSP_ORIGIN_CACHE);
	rsp_http_resp_clear(&r2);
	/* POST of the same request: the same response and headers */
	route(&r2, "POST", "/", req, "application/ocsp-request", NULL, NULL, NOW);
	CHECK(r2.status == 200 && strcmp(r2.etag, r.etag) == 0);
	rsp_http_resp_clear(&r2);
	route(&r2, "POST", "/anything", req, " Application/OCSP-Request ; x=y", NULL, NULL, NOW);
	CHECK(r2.status == 200 && r2.answer.status == OCSPKIT_RESPONSE_SUCCESSFUL);
	rsp_http_resp_clear(&r2);
	route(&r2, "POST", "/", req, NULL, NULL, NULL, NOW);
	CHECK(r2.status == 200 && r2.answer.status == OCSPKIT_RESPONSE_SUCCESSFUL);
	rsp_http_resp_clear(&r2);

	/* conditional GETs */
	char list[200];
	snprintf(list, sizeof(list), "\"x\", W/%s", r.etag);
	const struct {
		const char *inm, *ims;
		unsigned status;
	} cond[] = {
		{ r.etag, NULL, 304 },
		{ list, NULL, 304 },
		{ "*", NULL, 304 },
		{ "\"other\"", NULL, 200 },
		{ "garbage", NULL, 200 },
		{ NULL, r.last_modified, 304 },
		{ NULL, "Sun, 06 Nov 1994 08:49:37 GMT", 200 },
		{ NULL, "not a date", 200 },
		{ "\"other\"", r.last_modified, 200 }, /* If-None-Match decides */
	};
	for (size_t i = 0; i < sizeof(cond) / sizeof(cond[0]); i++) {
		route(&r2, "GET", path, none(), NULL, cond[i].inm, cond[i].ims, NOW + 5);
		CHECK(r2.status == cond[i].status);
		if (r2.status == 304)
			CHECK(r2.body_len == 0 && strcmp(r2.etag, r.etag) == 0 && r2.cache_control[0] == 'm');
		rsp_http_resp_clear(&r2);
	}
	/* POST is not conditional */
	route(&r2, "POST", "/", req, NULL, r.etag, NULL, NOW);
	CHECK(r2.status == 200);
	rsp_http_resp_clear(&r2);
	rsp_http_resp_clear(&r);

	/* not cacheable: nonce answers, error statuses, HTTP errors */
	blob nreq = request(&t, 1, 8);
	route(&r, "POST", "/", nreq, NULL, NULL, NULL, NOW);
	CHECK(r.status == 200 && r.answer.nonce && strcmp(r.cache_control, "no-store") == 0 && !r.etag[0] &&
	      !r.expires[0] && !r.last_modified[0]);
	rsp_http_resp_clear(&r);
	b64(std, sizeof(std), nreq, 0);
	snprintf(path, sizeof(path), "/%s", std);
	route(&r, "GET", path, none(), NULL, "*", NULL, NOW);
	CHECK(r.status == 200 && strcmp(r.cache_control, "no-store") == 0);
	rsp_http_resp_clear(&r);
	route(&r, "POST", "/", raw("300100"), NULL, NULL, NULL, NOW);
	CHECK(r.status == 200 && r.answer.status == OCSPKIT_RESPONSE_MALFORMED_REQUEST &&
	      strcmp(r.cache_control, "no-store") == 0 && r.body_len == 5);
	rsp_http_resp_clear(&r);
	route(&r, "PUT", "/", req, NULL, NULL, NULL, NOW);
	CHECK(r.status == 405 && r.allow && strcmp(r.allow, "GET, HEAD, POST") == 0 && !r.is_ocsp &&
	      strcmp(r.cache_control, "no-store") == 0);
	rsp_http_resp_clear(&r);
	route(&r, "", "/", req, NULL, NULL, NULL, NOW);
	CHECK(r.status == 405);
	rsp_http_resp_clear(&r);
	route(&r, "POST", "/", fill(0x30, 1001), NULL, NULL, NULL, NOW);
	CHECK(r.status == 413);
	rsp_http_resp_clear(&r);
	route(&r, "POST", "/", req, "application/x-www-form-urlencoded", NULL, NULL, NOW);
	CHECK(r.status == 415);
	rsp_http_resp_clear(&r);
	route(&r, "POST", "/", req, "application/ocsp-requestx", NULL, NULL, NOW);
	CHECK(r.status == 415);
	rsp_http_resp_clear(&r);
	char longpath[400];
	memset(longpath, 'A', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = 0;
	route(&r, "GET", longpath, none(), NULL, NULL, NULL, NOW);
	CHECK(r.status == 414);
	rsp_http_resp_clear(&r);
}

static void test_http_text(void)
{
	char d[30];
	int64_t t;
	rsp_http_date(d, 784111777);
	CHECK(strcmp(d, "Sun, 06 Nov 1994 08:49:37 GMT") == 0);
	rsp_http_date(d, 0);
	CHECK(strcmp(d, "Thu, 01 Jan 1970 00:00:00 GMT") == 0);
	rsp_http_date(d, 951782400 + 86399);
	CHECK(strcmp(d, "Tue, 29 Feb 2000 23:59:59 GMT") == 0);
	CHECK(rsp_http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT", &t) == 0 && t == 784111777);
	CHECK(rsp_http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", &t) == 0 && t == 784111777);
	CHECK(rsp_http_date_parse("Sun Nov  6 08:49:37 1994", &t) == 0 && t == 784111777);
	CHECK(rsp_http_date_parse("Thu, 01 Jan 2060 00:00:00 GMT", &t) == 0 && t == 2840140800);
	static const char *const bad[] = {
		"", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Xyz 1994 08:49:37 GMT",
		"Sun, 36 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:49:37 GMT", "Sun, 06 Nov 1994 08:60:37 GMT",
		"Sun, 6 Nov 1994 08:49:37 GMT ", "Sunday, 06-Nov-94 08:49:37", "Sun Nov  6 08:49:37 94",
		"Sun, 0a Nov 1994 08:49:37 GMT", "Sunday 06-Nov-94 08:49:37 GMT",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(rsp_http_date_parse(bad[i], &t) != 0);

	char out[64];
	size_t n;
	CHECK(rsp_url_decode("a//b+c%2Fd%2b%3d%41", 19, out, &n) == 0 && n == 11 && memcmp(out, "a//b+c/d+=A", 11) == 0);
	CHECK(rsp_url_decode("%", 1, out, &n) != 0);
	CHECK(rsp_url_decode("ab%4", 4, out, &n) != 0);
	CHECK(rsp_url_decode("%g0", 3, out, &n) != 0);
	CHECK(rsp_url_decode("%00", 3, out, &n) == 0 && n == 1 && out[0] == 0);
	CHECK(rsp_url_decode("", 0, out, &n) == 0 && n == 0);
}

/* RSP_ANSWER_NO_WAIT, what the HTTP threads ask: errors and the cache
 * at once, and whatever needs a signature left pending, unsigned. */
static void test_no_wait(void)
{
	rsp_cache_stats before, after;
	rsp_answer a;
	target t = { ca, 0x1005, OCSPKIT_HASH_SHA384, 0 };
	blob req = request(&t, 1, 0);
	rsp_cache_get_stats(R.cache, &before);
	/* not in the cache yet: pending, nothing signed */
	CHECK_OK(rsp_answer_request(&a, &R, req.d, req.n, NOW, RSP_ANSWER_NO_WAIT));
	CHECK(a.pending == RSP_PENDING_SIGN && a.status == OCSPKIT_RESPONSE_TRY_LATER && a.origin == RSP_ORIGIN_NONE);
	rsp_answer_clear(&a);
	rsp_cache_get_stats(R.cache, &after);
	CHECK(after.fills == before.fills && after.entries == before.entries);
	/* signed on a worker (no flags), then answered at once */
	answered x;
	answer(&x, req);
	CHECK(x.a.origin == RSP_ORIGIN_SIGNED && !x.a.pending);
	CHECK_OK(rsp_answer_request(&a, &R, req.d, req.n, NOW + 1, RSP_ANSWER_NO_WAIT));
	CHECK(!a.pending && a.origin == RSP_ORIGIN_CACHE && a.blob == x.a.blob && !a.refresh_due);
	rsp_answer_clear(&a);
	/* past the refresh time: the cached answer, and a refresh asked for */
	CHECK_OK(rsp_answer_request(&a, &R, req.d, req.n, NOW + VALID / 2 + 1, RSP_ANSWER_NO_WAIT));
	CHECK(!a.pending && a.blob == x.a.blob && a.refresh_due);
	rsp_answer_clear(&a);
	done(&x);
	/* a nonce, several CertIDs, a signed request: pending */
	target two[2] = { { ca, 0x1001, 0, 0 }, { ca, 0x1002, 0, 0 } };
	blob pend[2] = { request(&t, 1, 8), request(two, 2, 0) };
	for (size_t i = 0; i < 2; i++) {
		CHECK_OK(rsp_answer_request(&a, &R, pend[i].d, pend[i].n, NOW, RSP_ANSWER_NO_WAIT));
		CHECK(a.pending == RSP_PENDING_SIGN && a.blob->len == 5);
		rsp_answer_clear(&a);
	}
	/* errors need no signature: answered */
	CHECK_OK(rsp_answer_request(&a, &R, (const uint8_t *)"\x30\x00", 2, NOW, RSP_ANSWER_NO_WAIT));
	CHECK(!a.pending && a.status == OCSPKIT_RESPONSE_MALFORMED_REQUEST);
	rsp_answer_clear(&a);
	target foreign = { ca3, 0x1001, 0, 0 };
	blob fr = request(&foreign, 1, 0);
	CHECK_OK(rsp_answer_request(&a, &R, fr.d, fr.n, NOW, RSP_ANSWER_NO_WAIT));
	CHECK(!a.pending && a.status == OCSPKIT_RESPONSE_UNAUTHORIZED);
	rsp_answer_clear(&a);
	rsp_cache_get_stats(R.cache, &after);
	CHECK(after.fills == before.fills + 1);
}

/* An unknown is not pinned by HTTP caches; a client with an AIA path the
 * server was not told about is told what to do. */
static void test_http_unknown_and_path_hint(void)
{
	target t = { ca, 0xBEEF, 0, 0 };
	blob req = request(&t, 1, 0);
	char std[600], path[800], date[30];
	rsp_http_resp r;
	b64(std, sizeof(std), req, 0);
	snprintf(path, sizeof(path), "/%s", std);
	route(&r, "GET", path, none(), NULL, NULL, NULL, NOW);
	CHECK(r.status == 200 && r.answer.blob->any_unknown && r.answer.cert_status == OCSPKIT_CERT_UNKNOWN);
	CHECK(strcmp(r.cache_control, "max-age=6, public, no-transform, must-revalidate") == 0);
	rsp_http_date(date, NOW + 6);
	CHECK(strcmp(r.expires, date) == 0 && r.etag[0]);
	rsp_http_resp_clear(&r);
	/* several CertIDs, one of them unknown */
	target two[2] = { { ca, 0x1001, 0, 0 }, { ca, 0xBEEF, 0, 0 } };
	b64(std, sizeof(std), request(two, 2, 0), 0);
	snprintf(path, sizeof(path), "/%s", std);
	route(&r, "GET", path, none(), NULL, NULL, NULL, NOW);
	CHECK(r.status == 200 && strncmp(r.cache_control, "max-age=6,", 10) == 0);
	rsp_http_resp_clear(&r);
	/* unknown_max_age 0: not stored at all */
	static const rsp_route_opts strict = { 1000, 300, "/", 0 };
	rsp_http_req rq = { "GET", path, strlen(path), NULL, 0, NULL, NULL, NULL, 0 };
	CHECK_OK(rsp_route(&r, &W, &strict, &rq, NOW));
	CHECK(r.status == 200 && strcmp(r.cache_control, "no-store") == 0 && !r.etag[0]);
	rsp_http_resp_clear(&r);
	/* a good answer keeps its full lifetime */
	target good = { ca, 0x1001, 0, 0 };
	b64(std, sizeof(std), request(&good, 1, 0), 0);
	snprintf(path, sizeof(path), "/%s", std);
	rq.path_len = strlen(path);
	CHECK_OK(rsp_route(&r, &W, &strict, &rq, NOW));
	CHECK(r.status == 200 && strncmp(r.cache_control, "max-age=", 8) == 0 &&
	      strtol(r.cache_control + 8, NULL, 10) > 6);
	rsp_http_resp_clear(&r);

	/* GET /ocsp/<request> to a server without --path */
	b64(std, sizeof(std), req, 0);
	snprintf(path, sizeof(path), "/ocsp/%s", std);
	route(&r, "GET", path, none(), NULL, NULL, NULL, NOW);
	CHECK(r.status == 400 && !r.is_ocsp && strstr(r.note, "--path /ocsp") &&
	      strstr((const char *)r.body, "--path /ocsp"));
	rsp_http_resp_clear(&r);
	/* ... and where the whole path happens to be base64 too */
	snprintf(path, sizeof(path), "/oc/%s", std);
	route(&r, "GET", path, none(), NULL, NULL, NULL, NOW);
	CHECK(r.status == 400 && strstr(r.note, "--path /oc"));
	rsp_http_resp_clear(&r);
	/* ... base64url, and two levels down */
	snprintf(path, sizeof(path), "/a/ocsp/%s", std);
	for (char *p = path + 8; *p; p++)
		if (*p == '/')
			*p = '_'; /* base64url: still a request */
	route(&r, "GET", path, none(), NULL, NULL, NULL, NOW);
	CHECK(r.status == 400 && strstr(r.note, "--path /a/ocsp"));
	rsp_http_resp_clear(&r);
	/* a path that is no request at all: malformedRequest, as before */
	route(&r, "GET", "/not/base64!", none(), NULL, NULL, NULL, NOW);
	CHECK(r.status == 200 && r.answer.status == OCSPKIT_RESPONSE_MALFORMED_REQUEST && !r.note[0]);
	rsp_http_resp_clear(&r);
}

int main(void)
{
	setup();
	test_statuses();
	test_hashes();
	test_errors();
	test_signer_failure();
	test_nonces_and_many();
	test_cache_and_reload();
	test_get_forms();
	test_http_caching();
	test_http_text();
	test_no_wait();
	test_http_unknown_and_path_hint();
	teardown();
	CHECK_DONE();
}
