/* Unit tests of client/staple.c, the stapling decisions, with a fixed
 * clock: the HTTP verdict; what each kind of answer is (usable, expired,
 * wrongly signed, about another certificate, malformed ...); the
 * replace-or-keep rules over every pair of staple in place and answer;
 * refresh and retry times. */
#include <config.h>

#include "tests/lib/pki.h"
#include "client/staple.h"

#define NOW 1800000000 /* 2027-01-15 */
#define HOUR 3600
#define DAY 86400

static ocspkit_privkey *ca_key, *wrong_key;
static ocspkit_cert *ca, *leaf, *other_leaf;

static void setup(void)
{
	pki_cert_spec s = { 0 };
	ca_key = pki_key(OCSPKIT_KEY_ED25519, 1);
	wrong_key = pki_key(OCSPKIT_KEY_EC_P256, 1);
	s.subject = s.issuer = "Staple CA";
	s.ca = 1;
	s.key = s.issuer_key = ca_key;
	ca = pki_cert(&s);
	memset(&s, 0, sizeof(s));
	s.subject = "www.example";
	s.issuer = "Staple CA";
	s.serial = 0x1001;
	s.not_before = NOW - 100 * DAY;
	s.not_after = NOW + 100 * DAY;
	s.server_auth = 1;
	s.key = wrong_key;
	s.issuer_key = ca_key;
	leaf = pki_cert(&s);
	s.serial = 0x1002;
	other_leaf = pki_cert(&s);
}

/* A response; zero fields are defaults: good, thisUpdate = producedAt =
 * NOW - 1h, nextUpdate NOW + 1d, about leaf, signed by the CA. */
typedef struct {
	ocspkit_cert_status status;
	int64_t this_update, next_update, produced;
	int no_next_update;
	const ocspkit_cert *about;
	const ocspkit_privkey *key;
	ocspkit_hash hash;
	ocspkit_response_status error; /* an unsuccessful response */
} rspec;

typedef struct {
	uint8_t *der;
	size_t len;
} rbuf;

static rbuf make(const rspec *s)
{
	rbuf out = { NULL, 0 };
	if (s->error) {
		if (ocspkit_response_encode_status(&out.der, &out.len, s->error))
			abort();
		return out;
	}
	ocspkit_cert_id_value v;
	if (ocspkit_cert_id_for_cert(&v, s->hash ? s->hash : OCSPKIT_HASH_SHA1, ca, s->about ? s->about : leaf))
		abort();
	ocspkit_single_response one;
	memset(&one, 0, sizeof(one));
	one.cert_id = ocspkit_cert_id_value_view(&v);
	one.status = s->status;
	if (s->status == OCSPKIT_CERT_REVOKED) {
		one.revocation_time = NOW - 10 * DAY;
		one.has_revocation_reason = 1;
		one.revocation_reason = OCSPKIT_REASON_KEY_COMPROMISE;
	}
	one.this_update = s->this_update ? s->this_update : NOW - HOUR;
	one.has_next_update = !s->no_next_update;
	one.next_update = s->next_update ? s->next_update : NOW + DAY;
	ocspkit_response_tbs d;
	memset(&d, 0, sizeof(d));
	d.responder_id.type = OCSPKIT_RESPONDER_BY_NAME;
	d.responder_id.value = ocspkit_cert_get_subject(ca);
	d.produced_at = s->produced ? s->produced : one.this_update;
	d.responses = &one;
	d.response_count = 1;
	if (pki_response_sign(&out.der, &out.len, &d, s->key ? s->key : ca_key, NULL, NULL, 0))
		abort();
	return out;
}

static staple_ctx ctx_at(int64_t now)
{
	staple_ctx c;
	memset(&c, 0, sizeof(c));
	c.issuer = ca;
	c.cert = leaf;
	c.now = now;
	c.skew = 300;
	return c;
}

/* Examines a response made from spec at NOW. */
static staple_info look(const rspec *s, rbuf *keep)
{
	staple_ctx c = ctx_at(NOW);
	staple_info in;
	rbuf b = make(s);
	CHECK_OK(staple_examine(&in, &c, b.der, b.len));
	if (keep)
		*keep = b;
	else
		ocspkit_free(b.der);
	return in;
}

static void test_http(void)
{
	const size_t cap = 1000;
	CHECK(staple_check_http(200, "application/ocsp-response", 10, cap) == STAPLE_HTTP_OK);
	CHECK(staple_check_http(200, "Application/OCSP-Response", 10, cap) == STAPLE_HTTP_OK);
	CHECK(staple_check_http(200, " application/ocsp-response ; charset=binary", 10, cap) == STAPLE_HTTP_OK);
	CHECK(staple_check_http(200, "application/ocsp-response;x=y", cap, cap) == STAPLE_HTTP_OK);
	CHECK(staple_check_http(200, "application/ocsp-responses", 10, cap) == STAPLE_HTTP_CONTENT_TYPE);
	CHECK(staple_check_http(200, "application/ocsp-request", 10, cap) == STAPLE_HTTP_CONTENT_TYPE);
	CHECK(staple_check_http(200, "application/octet-stream", 10, cap) == STAPLE_HTTP_CONTENT_TYPE);
	CHECK(staple_check_http(200, "text/html", 10, cap) == STAPLE_HTTP_CONTENT_TYPE);
	CHECK(staple_check_http(200, "", 10, cap) == STAPLE_HTTP_CONTENT_TYPE);
	CHECK(staple_check_http(200, NULL, 10, cap) == STAPLE_HTTP_CONTENT_TYPE);
	CHECK(staple_check_http(200, "application/ocsp-response", 0, cap) == STAPLE_HTTP_EMPTY);
	CHECK(staple_check_http(200, "application/ocsp-response", cap + 1, cap) == STAPLE_HTTP_TOO_LARGE);
	CHECK(staple_check_http(404, "application/ocsp-response", 10, cap) == STAPLE_HTTP_STATUS);
	CHECK(staple_check_http(500, "application/ocsp-response", 10, cap) == STAPLE_HTTP_STATUS);
	CHECK(staple_check_http(204, "application/ocsp-response", 10, cap) == STAPLE_HTTP_STATUS);
	CHECK(staple_check_http(0, NULL, 0, cap) == STAPLE_HTTP_STATUS);
	CHECK(strcmp(staple_http_verdict_text(STAPLE_HTTP_CONTENT_TYPE), "?") != 0);
}

static void test_examine(void)
{
	rspec s;
	staple_info in;

	memset(&s, 0, sizeof(s));
	in = look(&s, NULL);
	CHECK(in.state == STAPLE_USABLE && in.err == OCSPKIT_OK && in.has_single);
	CHECK(in.status == OCSPKIT_CERT_GOOD && in.this_update == NOW - HOUR && in.next_update == NOW + DAY);
	CHECK(in.has_next_update && in.produced_at == NOW - HOUR && in.signer == OCSPKIT_SIGNER_CA);
	CHECK(in.response_status == OCSPKIT_RESPONSE_SUCCESSFUL && in.resp != NULL);
	staple_info_clear(&in);
	CHECK(in.resp == NULL);

	s.hash = OCSPKIT_HASH_SHA256;
	in = look(&s, NULL);
	CHECK(in.state == STAPLE_USABLE);
	staple_info_clear(&in);

	memset(&s, 0, sizeof(s));
	s.status = OCSPKIT_CERT_REVOKED;
	in = look(&s, NULL);
	CHECK(in.state == STAPLE_USABLE && in.status == OCSPKIT_CERT_REVOKED && in.has_reason &&
	      in.reason == OCSPKIT_REASON_KEY_COMPROMISE && in.revocation_time == NOW - 10 * DAY);
	staple_info_clear(&in);

	s.status = OCSPKIT_CERT_UNKNOWN;
	in = look(&s, NULL);
	CHECK(in.state == STAPLE_USABLE && in.status == OCSPKIT_CERT_UNKNOWN && !in.has_reason);
	staple_info_clear(&in);

	/* expired: beyond the skew (the library says so), and within it
	 * (stale by our own clock all the same) */
	memset(&s, 0, sizeof(s));
	s.this_update = NOW - 2 * DAY;
	s.next_update = NOW - DAY;
	in = look(&s, NULL);
	CHECK(in.state == STAPLE_EXPIRED && in.err == OCSPKIT_E_RESPONSE_EXPIRED && in.has_single &&
	      in.next_update == NOW - DAY);
	staple_info_clear(&in);
	s.next_update = NOW - 10;
	in = look(&s, NULL);
	CHECK(in.state == STAPLE_EXPIRED && in.err == OCSPKIT_E_RESPONSE_EXPIRED);
	staple_info_clear(&in);
	s.next_update = NOW;
	in = look(&s, NULL);
	CHECK(in.state == STAPLE_EXPIRED);
	staple_info_clear(&in);
	s.next_update = NOW + 1;
	in = look(&s, NULL);
	CHECK(in.state == STAPLE_USABLE);
	staple_info_clear(&in);

	memset(&s, 0, sizeof(s));
	s.this_update = NOW + HOUR;
	s.next_update = NOW + DAY;
	in = look(&s, NULL);
	CHECK(in.state == STAPLE_NOT_YET_VALID && in.err == OCSPKIT_E_RESPONSE_NOT_YET_VALID);
	staple_info_clear(&in);
	s.this_update = NOW + 200; /* within the skew */
	in = look(&s, NULL);
	CHECK(in.state == STAPLE_USABLE);
	staple_info_clear(&in);

	/* wrongly signed: the CA's name, another key */
	memset(&s, 0, sizeof(s));
	s.key = wrong_key;
	in = look(&s, NULL);
	CHECK(in.state == STAPLE_INVALID && in.err != OCSPKIT_OK && in.signer == OCSPKIT_SIGNER_NONE);
	staple_info_clear(&in);

	/* about another certificate */
	memset(&s, 0, sizeof(s));
	s.about = other_leaf;
	in = look(&s, NULL);
	CHECK(in.state == STAPLE_OTHER_CERT && in.err == OCSPKIT_E_CERT_ID_NOT_FOUND && !in.has_single);
	staple_info_clear(&in);

	/* unsuccessful */
	memset(&s, 0, sizeof(s));
	s.error = OCSPKIT_RESPONSE_TRY_LATER;
	in = look(&s, NULL);
	CHECK(in.state == STAPLE_NOT_SUCCESSFUL && in.response_status == OCSPKIT_RESPONSE_TRY_LATER);
	staple_info_clear(&in);

	/* without nextUpdate: usable, unless max_age says it is too old */
	memset(&s, 0, sizeof(s));
	s.no_next_update = 1;
	rbuf b;
	in = look(&s, &b);
	CHECK(in.state == STAPLE_USABLE && !in.has_next_update);
	staple_info_clear(&in);
	staple_ctx c = ctx_at(NOW);
	c.max_age = 600;
	CHECK_OK(staple_examine(&in, &c, b.der, b.len));
	CHECK(in.state == STAPLE_TOO_OLD && in.err == OCSPKIT_E_RESPONSE_TOO_OLD);
	staple_info_clear(&in);

	/* a nonce was sent and the answer has none */
	c = ctx_at(NOW);
	c.nonce = (ocspkit_bytes){ (const uint8_t *)"0123456789abcdef", 16 };
	CHECK_OK(staple_examine(&in, &c, b.der, b.len));
	CHECK(in.state == STAPLE_INVALID && in.err == OCSPKIT_E_NONCE_MISSING);
	staple_info_clear(&in);

	/* malformed: truncated, trailing data, nothing */
	c = ctx_at(NOW);
	CHECK_OK(staple_examine(&in, &c, b.der, b.len - 1));
	CHECK(in.state == STAPLE_MALFORMED && in.err == OCSPKIT_E_DER_TRUNCATED && in.resp == NULL);
	staple_info_clear(&in);
	CHECK_OK(staple_examine(&in, &c, (const uint8_t *)"<html>", 6));
	CHECK(in.state == STAPLE_MALFORMED);
	staple_info_clear(&in);
	CHECK_OK(staple_examine(&in, &c, NULL, 0));
	CHECK(in.state == STAPLE_MALFORMED);
	staple_info_clear(&in);
	ocspkit_free(b.der);

	/* the context must name the issuer and the certificate, and a clock */
	c = ctx_at(NOW);
	c.issuer = NULL;
	CHECK_ERR(staple_examine(&in, &c, NULL, 0), OCSPKIT_E_INVALID_ARGUMENT);
	c = ctx_at(0);
	CHECK_ERR(staple_examine(&in, &c, NULL, 0), OCSPKIT_E_INVALID_ARGUMENT);

	for (int i = STAPLE_USABLE; i <= STAPLE_TOO_OLD; i++)
		CHECK(strcmp(staple_state_text((staple_state)i), "?") != 0);
}

/* staple_decide over the pairs that matter. */
static staple_action decide(const rspec *cur, const rspec *cand, staple_reason *why)
{
	rbuf cb = { NULL, 0 }, nb;
	staple_info ci, ni;
	if (cur)
		ci = look(cur, &cb);
	ni = look(cand, &nb);
	staple_action a = staple_decide(why, cur ? &ci : NULL, (ocspkit_bytes){ cb.der, cb.len }, &ni,
					(ocspkit_bytes){ nb.der, nb.len });
	if (cur)
		staple_info_clear(&ci);
	staple_info_clear(&ni);
	ocspkit_free(cb.der);
	ocspkit_free(nb.der);
	return a;
}

static void test_decide(void)
{
	rspec good, newer, older, revoked, unknown, expired, wrong, other, later_produced, try_later, future;
	staple_reason why;

	memset(&good, 0, sizeof(good));
	newer = older = revoked = unknown = expired = wrong = other = later_produced = try_later = future = good;
	newer.this_update = NOW - 60;
	older.this_update = NOW - 2 * HOUR;
	revoked.status = OCSPKIT_CERT_REVOKED;
	revoked.this_update = NOW - 60;
	unknown.status = OCSPKIT_CERT_UNKNOWN;
	unknown.this_update = NOW - 60;
	expired.this_update = NOW - 2 * DAY;
	expired.next_update = NOW - 60;
	wrong.key = wrong_key;
	wrong.this_update = NOW - 60;
	other.about = other_leaf;
	other.this_update = NOW - 60;
	later_produced.produced = NOW - 30 * 60;
	try_later.error = OCSPKIT_RESPONSE_TRY_LATER;
	future.this_update = NOW + 2 * HOUR;
	future.next_update = NOW + DAY;

	/* nothing in place: anything usable and known goes in */
	CHECK(decide(NULL, &good, &why) == STAPLE_WRITE && why == STAPLE_WHY_NO_STAPLE);
	CHECK(decide(NULL, &revoked, &why) == STAPLE_WRITE && why == STAPLE_WHY_NO_STAPLE);
	CHECK(decide(NULL, &unknown, &why) == STAPLE_KEEP && why == STAPLE_WHY_UNKNOWN_STATUS);
	CHECK(decide(NULL, &expired, &why) == STAPLE_KEEP && why == STAPLE_WHY_CANDIDATE_BAD);
	/* a good staple in place is only replaced by a newer usable answer */
	CHECK(decide(&good, &newer, &why) == STAPLE_WRITE && why == STAPLE_WHY_NEWER);
	CHECK(decide(&good, &revoked, &why) == STAPLE_WRITE && why == STAPLE_WHY_NEWER);
	CHECK(decide(&good, &later_produced, &why) == STAPLE_WRITE && why == STAPLE_WHY_NEWER);
	CHECK(decide(&good, &good, &why) == STAPLE_KEEP && why == STAPLE_WHY_SAME);
	CHECK(decide(&good, &older, &why) == STAPLE_KEEP && why == STAPLE_WHY_NOT_NEWER);
	CHECK(decide(&later_produced, &good, &why) == STAPLE_KEEP && why == STAPLE_WHY_NOT_NEWER);
	CHECK(decide(&good, &unknown, &why) == STAPLE_KEEP && why == STAPLE_WHY_UNKNOWN_STATUS);
	CHECK(decide(&good, &expired, &why) == STAPLE_KEEP && why == STAPLE_WHY_CANDIDATE_BAD);
	CHECK(decide(&good, &wrong, &why) == STAPLE_KEEP && why == STAPLE_WHY_CANDIDATE_BAD);
	CHECK(decide(&good, &other, &why) == STAPLE_KEEP && why == STAPLE_WHY_CANDIDATE_BAD);
	CHECK(decide(&good, &try_later, &why) == STAPLE_KEEP && why == STAPLE_WHY_CANDIDATE_BAD);
	CHECK(decide(&good, &future, &why) == STAPLE_KEEP && why == STAPLE_WHY_CANDIDATE_BAD);
	/* the same second: a revocation wins, and only a revocation */
	rspec same_time_revoked = good;
	same_time_revoked.status = OCSPKIT_CERT_REVOKED;
	CHECK(decide(&good, &same_time_revoked, &why) == STAPLE_WRITE && why == STAPLE_WHY_REVOKED_SAME_TIME);
	CHECK(decide(&same_time_revoked, &good, &why) == STAPLE_KEEP && why == STAPLE_WHY_NOT_NEWER);
	rspec same_time_unknown = good;
	same_time_unknown.status = OCSPKIT_CERT_UNKNOWN;
	CHECK(decide(&good, &same_time_unknown, &why) == STAPLE_KEEP && why == STAPLE_WHY_UNKNOWN_STATUS);
	/* a revoked staple is replaced by a newer good one (a hold lifted) */
	CHECK(decide(&revoked, &good, &why) == STAPLE_KEEP && why == STAPLE_WHY_NOT_NEWER);
	rspec newest = good;
	newest.this_update = NOW - 10;
	CHECK(decide(&revoked, &newest, &why) == STAPLE_WRITE && why == STAPLE_WHY_NEWER);
	/* an unusable staple in place is replaced by any usable answer, even an older one */
	CHECK(decide(&expired, &older, &why) == STAPLE_WRITE && why == STAPLE_WHY_NO_STAPLE);
	CHECK(decide(&wrong, &older, &why) == STAPLE_WRITE && why == STAPLE_WHY_NO_STAPLE);
	CHECK(decide(&other, &older, &why) == STAPLE_WRITE && why == STAPLE_WHY_NO_STAPLE);
	CHECK(decide(&try_later, &good, &why) == STAPLE_WRITE && why == STAPLE_WHY_NO_STAPLE);

	/* malformed answer and malformed file */
	staple_ctx c = ctx_at(NOW);
	staple_info bad, in;
	rbuf gb = make(&good);
	CHECK_OK(staple_examine(&bad, &c, gb.der, 10));
	CHECK_OK(staple_examine(&in, &c, gb.der, gb.len));
	CHECK(staple_decide(&why, &in, (ocspkit_bytes){ gb.der, gb.len }, &bad, (ocspkit_bytes){ gb.der, 10 }) ==
		      STAPLE_KEEP &&
	      why == STAPLE_WHY_CANDIDATE_BAD);
	CHECK(staple_decide(&why, &bad, (ocspkit_bytes){ gb.der, 10 }, &in, (ocspkit_bytes){ gb.der, gb.len }) ==
		      STAPLE_WRITE &&
	      why == STAPLE_WHY_NO_STAPLE);
	CHECK(staple_decide(&why, &in, (ocspkit_bytes){ gb.der, gb.len }, NULL, (ocspkit_bytes){ NULL, 0 }) ==
		      STAPLE_KEEP &&
	      why == STAPLE_WHY_CANDIDATE_BAD);
	staple_info_clear(&bad);
	staple_info_clear(&in);
	ocspkit_free(gb.der);
	for (int i = STAPLE_WHY_NO_STAPLE; i <= STAPLE_WHY_REVOKED_SAME_TIME; i++)
		CHECK(strcmp(staple_reason_text((staple_reason)i), "?") != 0);
}

static void test_schedule(void)
{
	staple_policy p;
	staple_info in;
	staple_policy_default(&p);
	CHECK(p.share == 0.5 && p.jitter == 0.1 && p.margin == 3600 && p.retry_min == 60 && p.retry_max == 3600);

	memset(&in, 0, sizeof(in));
	in.state = STAPLE_USABLE;
	in.has_single = 1;
	in.this_update = NOW;
	in.has_next_update = 1;
	in.next_update = NOW + 7 * DAY; /* a Let's Encrypt-like week */
	p.jitter = 0;
	CHECK(staple_refresh_time(&in, &p, 12345) == NOW + 7 * DAY / 2);
	p.share = 0.999; /* the margin wins: an hour before nextUpdate */
	CHECK(staple_refresh_time(&in, &p, 12345) == NOW + 7 * DAY - HOUR);
	p.share = 1;
	CHECK(staple_refresh_time(&in, &p, 0) == NOW + 7 * DAY - HOUR);
	p.share = 0;
	CHECK(staple_refresh_time(&in, &p, 0) == NOW);

	/* short validity: the margin shrinks to a quarter of it */
	in.next_update = NOW + 1000;
	p.share = 1;
	CHECK(staple_refresh_time(&in, &p, 0) == NOW + 750);
	p.share = 0.5;
	CHECK(staple_refresh_time(&in, &p, 0) == NOW + 500);

	/* jitter: earlier by up to its share, decided by the seed, never
	 * before thisUpdate, always well before nextUpdate */
	p.jitter = 0.1;
	int spread = 0;
	int64_t first = staple_refresh_time(&in, &p, 0);
	for (uint64_t seed = 0; seed < 500; seed++) {
		int64_t t = staple_refresh_time(&in, &p, seed * 7919);
		CHECK(t <= NOW + 500 && t >= NOW + 400);
		CHECK(t == staple_refresh_time(&in, &p, seed * 7919));
		spread |= t != first;
	}
	CHECK(spread);
	for (int share = 0; share <= 10; share++) {
		for (int jit = 0; jit <= 10; jit++) {
			p.share = share / 10.0;
			p.jitter = jit / 10.0;
			int64_t t = staple_refresh_time(&in, &p, (uint64_t)(share * 11 + jit) * 0x9E3779B97F4A7C15u);
			CHECK(t >= in.this_update && t <= in.next_update - 250);
		}
	}

	/* degenerate validity and none at all */
	in.next_update = NOW;
	CHECK(staple_refresh_time(&in, &p, 99) == NOW);
	in.next_update = NOW - 100;
	CHECK(staple_refresh_time(&in, &p, 99) == NOW);
	in.has_next_update = 0;
	CHECK(staple_refresh_time(&in, &p, 99) == NOW + p.no_next_update_refresh);

	/* retries: from retry_min doubling to retry_max (plus at most an
	 * eighth), and more often as the staple in place nears its end */
	staple_policy_default(&p);
	CHECK(staple_retry_time(NULL, &p, NOW, 1, 0) == NOW + 60);
	CHECK(staple_retry_time(NULL, &p, NOW, 2, 0) == NOW + 120);
	CHECK(staple_retry_time(NULL, &p, NOW, 3, 0) == NOW + 240);
	CHECK(staple_retry_time(NULL, &p, NOW, 100, 0) == NOW + 3600);
	for (unsigned f = 1; f < 40; f++) {
		int64_t t = staple_retry_time(NULL, &p, NOW, f, f * 1000003u);
		CHECK(t >= NOW + 60 && t <= NOW + 3600 + 450);
	}
	in.has_next_update = 1;
	in.next_update = NOW + 400;
	CHECK(staple_retry_time(&in, &p, NOW, 5, 0) == NOW + 100);
	in.next_update = NOW + 2;
	CHECK(staple_retry_time(&in, &p, NOW, 5, 0) == NOW + 1);
	in.state = STAPLE_EXPIRED;
	CHECK(staple_retry_time(&in, &p, NOW, 1, 0) == NOW + 60);

	CHECK(staple_seed((const uint8_t *)"a", 1) == staple_seed((const uint8_t *)"a", 1));
	CHECK(staple_seed((const uint8_t *)"a", 1) != staple_seed((const uint8_t *)"b", 1));
}

int main(void)
{
	setup();
	test_http();
	test_examine();
	test_decide();
	test_schedule();
	ocspkit_cert_free(ca);
	ocspkit_cert_free(leaf);
	ocspkit_cert_free(other_leaf);
	ocspkit_privkey_free(ca_key);
	ocspkit_privkey_free(wrong_key);
	CHECK_DONE();
}
