/* Unit tests of responder/upstream.c, the caching proxy, with a fake
 * upstream and a fixed clock: a miss goes upstream once and the answer is
 * served byte for byte; hits do not go upstream; the refresh halfway
 * through the validity, only for entries asked for; a failed refresh keeps
 * the last good answer until it expires, then tryLater with backoff;
 * invalid upstream answers are never cached; nonce and multi-CertID
 * requests pass through; unauthorized and malformed requests; one fetch
 * for many concurrent misses. */
#include <config.h>

#include <pthread.h>
#include <unistd.h>

#include "tests/lib/pki.h"
#include "responder/upstream.h"

#define NOW 1800000000
#define VALID 600

static ocspkit_privkey *ca_key, *other_key;
static ocspkit_cert *ca, *other_ca;
static rsp_ca cas[1];

/* What the fake upstream does. */
typedef enum { UP_GOOD, UP_DOWN, UP_ROGUE, UP_OTHER_SERIAL, UP_EXPIRED, UP_GARBAGE, UP_TRY_LATER, UP_NO_NONCE, UP_WRONG_NONCE } up_mode;

static struct {
	up_mode mode;
	int64_t now;           /* the upstream's clock */
	unsigned calls;
	int slow_ms;
	uint8_t last[4096];    /* its last answer */
	size_t last_len;
	pthread_mutex_t lock;
} up = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* echo_nonce: 0 none, 1 the request's, 2 one octet changed */
static uint8_t *sign_for(const ocspkit_request *req, int64_t this_update, const ocspkit_privkey *key, int serial_delta,
			 int echo_nonce, size_t *len)
{
	size_t n = ocspkit_request_get_single_count(req);
	ocspkit_single_response singles[8];
	uint8_t serials[8][OCSPKIT_MAX_SERIAL_SIZE];
	memset(singles, 0, sizeof(singles));
	for (size_t i = 0; i < n && i < 8; i++) {
		singles[i].cert_id = ocspkit_request_get_single(req, i)->cert_id;
		if (serial_delta) {
			memcpy(serials[i], singles[i].cert_id.serial.data, singles[i].cert_id.serial.len);
			serials[i][singles[i].cert_id.serial.len - 1] ^= 1;
			singles[i].cert_id.serial.data = serials[i];
		}
		singles[i].status = OCSPKIT_CERT_GOOD;
		singles[i].this_update = this_update;
		singles[i].has_next_update = 1;
		singles[i].next_update = this_update + VALID;
	}
	ocspkit_response_tbs d;
	ocspkit_extension ext;
	uint8_t ev[OCSPKIT_MAX_NONCE_SIZE + 2];
	ocspkit_bytes nonce;
	memset(&d, 0, sizeof(d));
	d.responder_id.type = OCSPKIT_RESPONDER_BY_NAME;
	d.responder_id.value = ocspkit_cert_get_subject(ca);
	d.produced_at = this_update;
	d.responses = singles;
	d.response_count = n;
	uint8_t changed[OCSPKIT_MAX_NONCE_SIZE];
	if (echo_nonce && ocspkit_request_get_nonce(&nonce, req) == OCSPKIT_OK) {
		if (echo_nonce == 2 && nonce.len <= sizeof(changed)) {
			memcpy(changed, nonce.data, nonce.len);
			changed[0] ^= 1;
			nonce.data = changed;
		}
		memset(&ext, 0, sizeof(ext));
		ext.type = OCSPKIT_EXT_NONCE;
		if (ocspkit_ext_nonce_value(ev, sizeof(ev), &ext.value.len, nonce))
			abort();
		ext.value.data = ev;
		d.extensions = &ext;
		d.extension_count = 1;
	}
	uint8_t *der;
	if (pki_response_sign(&der, len, &d, key, NULL, NULL, 0))
		abort();
	return der;
}

static int fake_fetch(void *ctx, const uint8_t *der, size_t len, uint8_t **body, size_t *body_len, char *err,
		      size_t cap)
{
	(void)ctx;
	ocspkit_request *req = NULL;
	uint8_t *resp = NULL;
	size_t rl = 0;
	pthread_mutex_lock(&up.lock);
	up.calls++;
	up_mode mode = up.mode;
	int64_t t = up.now;
	int slow = up.slow_ms;
	pthread_mutex_unlock(&up.lock);
	if (slow)
		usleep((useconds_t)slow * 1000);
	if (mode == UP_DOWN) {
		snprintf(err, cap, "connection refused");
		return -1;
	}
	if (ocspkit_request_decode(&req, der, len, 0, NULL))
		abort();
	switch (mode) {
	case UP_ROGUE: resp = sign_for(req, t, other_key, 0, 1, &rl); break;
	case UP_OTHER_SERIAL: resp = sign_for(req, t, ca_key, 1, 1, &rl); break;
	case UP_EXPIRED: resp = sign_for(req, t - 2 * VALID, ca_key, 0, 1, &rl); break;
	case UP_NO_NONCE: resp = sign_for(req, t, ca_key, 0, 0, &rl); break;
	case UP_WRONG_NONCE: resp = sign_for(req, t, ca_key, 0, 2, &rl); break;
	case UP_GARBAGE:
	case UP_TRY_LATER: {
		static const uint8_t try_later[] = { 0x30, 0x03, 0x0A, 0x01, 0x03 }, garbage[] = { 0x3c, 0x68, 0x74 };
		rl = mode == UP_GARBAGE ? sizeof(garbage) : sizeof(try_later);
		resp = malloc(rl);
		memcpy(resp, mode == UP_GARBAGE ? garbage : try_later, rl);
		break;
	}
	default: resp = sign_for(req, t, ca_key, 0, 1, &rl); break;
	}
	ocspkit_request_free(req);
	*body = malloc(rl);
	memcpy(*body, resp, rl);
	*body_len = rl;
	pthread_mutex_lock(&up.lock);
	if (rl <= sizeof(up.last)) {
		memcpy(up.last, resp, rl);
		up.last_len = rl;
	}
	pthread_mutex_unlock(&up.lock);
	if (mode == UP_GARBAGE || mode == UP_TRY_LATER)
		free(resp);
	else
		ocspkit_free(resp);
	return 0;
}

/* A request for serial (one octet) of issuer, with a nonce or not. */
static ocspkit_bytes request(uint8_t *buf, size_t cap, const ocspkit_cert *issuer, uint8_t serial, int nonce,
			     int two)
{
	ocspkit_cert_id_value v[2];
	ocspkit_single_request one[2];
	ocspkit_request_tbs tbs;
	ocspkit_extension ext;
	uint8_t ev[20], *der;
	size_t len;
	memset(one, 0, sizeof(one));
	memset(&tbs, 0, sizeof(tbs));
	for (int i = 0; i < 1 + two; i++) {
		uint8_t s = (uint8_t)(serial + i);
		if (ocspkit_cert_id_compute(&v[i], OCSPKIT_HASH_SHA1, issuer, (ocspkit_bytes){ &s, 1 }))
			abort();
		one[i].cert_id = ocspkit_cert_id_value_view(&v[i]);
	}
	tbs.requests = one;
	tbs.request_count = 1 + (size_t)two;
	if (nonce) {
		static const uint8_t n[16] = "0123456789abcdef";
		memset(&ext, 0, sizeof(ext));
		ext.type = OCSPKIT_EXT_NONCE;
		if (ocspkit_ext_nonce_value(ev, sizeof(ev), &ext.value.len, (ocspkit_bytes){ n, 16 }))
			abort();
		ext.value.data = ev;
		tbs.extensions = &ext;
		tbs.extension_count = 1;
	}
	if (ocspkit_request_encode(&der, &len, &tbs, NULL) || len > cap)
		abort();
	memcpy(buf, der, len);
	ocspkit_free(der);
	return (ocspkit_bytes){ buf, len };
}

static rsp_upstream *make(void)
{
	rsp_upstream_opts o;
	rsp_upstream *u;
	memset(&o, 0, sizeof(o));
	o.cas = cas;
	o.n_cas = 1;
	o.fetch = fake_fetch;
	o.retry_min = 10;
	o.retry_max = 40;
	if (rsp_upstream_new(&u, &o))
		abort();
	return u;
}

/* Asks at time now; returns the status and whether it equals the
 * upstream's last answer. */
static ocspkit_response_status ask(rsp_upstream *u, ocspkit_bytes req, int64_t now, int *same, int *fetched)
{
	rsp_answer a;
	CHECK_OK(rsp_upstream_answer(&a, u, req.data, req.len, now, 0));
	ocspkit_response_status st = a.status;
	if (same)
		*same = a.blob->len == up.last_len && memcmp(a.blob->der, up.last, up.last_len) == 0;
	if (fetched)
		*fetched = a.origin == RSP_ORIGIN_UPSTREAM;
	if (st == OCSPKIT_RESPONSE_SUCCESSFUL)
		CHECK(a.blob->has_update && a.blob->has_next_update && a.blob->etag[0] == '"');
	rsp_answer_clear(&a);
	return st;
}

/* A healthy upstream at NOW, and Q's first ask: a miss, one fetch, served
 * as received. */
static void first_fetch(rsp_upstream *u, ocspkit_bytes q)
{
	int same, fetched;
	up.mode = UP_GOOD;
	up.now = NOW;
	up.calls = 0;
	CHECK(ask(u, q, NOW, &same, &fetched) == OCSPKIT_RESPONSE_SUCCESSFUL && same && fetched);
	CHECK(up.calls == 1);
}

static void test_cache_and_refresh(void)
{
	uint8_t buf[512];
	ocspkit_bytes q = request(buf, sizeof(buf), ca, 0x21, 0, 0);
	rsp_upstream *u = make();
	rsp_upstream_stats st;
	int same, fetched;

	first_fetch(u, q);
	/* hits: no fetch, the same bytes */
	for (int i = 0; i < 5; i++)
		CHECK(ask(u, q, NOW + 10 * i, &same, &fetched) == OCSPKIT_RESPONSE_SUCCESSFUL && same && !fetched);
	CHECK(up.calls == 1);
	/* before half the validity nothing is due */
	CHECK(rsp_upstream_refresh(u, NOW + VALID / 2 - 1) == 0 && up.calls == 1);
	/* after it: refreshed in the background, the new answer served */
	up.now = NOW + VALID / 2 + 5;
	CHECK(rsp_upstream_refresh(u, NOW + VALID / 2 + 5) == 1 && up.calls == 2);
	CHECK(ask(u, q, NOW + VALID / 2 + 6, &same, &fetched) == OCSPKIT_RESPONSE_SUCCESSFUL && same && !fetched);
	CHECK(up.calls == 2);
	/* an entry nobody asked for since its fetch is left to lapse; one
	 * asked for is refreshed */
	uint8_t buf2[512];
	ocspkit_bytes q2 = request(buf2, sizeof(buf2), ca, 0x22, 0, 0);
	CHECK(ask(u, q2, NOW + VALID / 2 + 6, NULL, NULL) == OCSPKIT_RESPONSE_SUCCESSFUL && up.calls == 3);
	int64_t t1 = NOW + VALID + 20; /* both past half their validity, q asked for since */
	up.now = t1;
	CHECK(rsp_upstream_refresh(u, t1) == 1 && up.calls == 4);
	CHECK(ask(u, q, t1 + 1, &same, &fetched) == OCSPKIT_RESPONSE_SUCCESSFUL && same && !fetched);

	/* upstream down at the next refresh: the last good answer stays */
	CHECK(ask(u, q, t1 + 100, &same, NULL) == OCSPKIT_RESPONSE_SUCCESSFUL && same);
	uint8_t kept[4096];
	size_t kept_len = up.last_len;
	memcpy(kept, up.last, kept_len);
	up.mode = UP_DOWN;
	CHECK(rsp_upstream_refresh(u, t1 + VALID / 2 + 1) == 0 && up.calls == 5);
	/* within the backoff no second try; the old answer is served */
	CHECK(rsp_upstream_refresh(u, t1 + VALID / 2 + 5) == 0 && up.calls == 5);
	rsp_answer a;
	CHECK_OK(rsp_upstream_answer(&a, u, q.data, q.len, t1 + VALID - 1, 0));
	CHECK(a.status == OCSPKIT_RESPONSE_SUCCESSFUL && a.blob->len == kept_len &&
	      memcmp(a.blob->der, kept, kept_len) == 0);
	rsp_answer_clear(&a);
	rsp_upstream_get_stats(u, &st);
	CHECK(st.stale_served >= 1 && st.failures == 1 && st.entries == 2);
	/* after nextUpdate: nothing valid; one try, then tryLater without
	 * going upstream until the backoff ends */
	unsigned c = up.calls;
	CHECK(ask(u, q, t1 + VALID, NULL, NULL) == OCSPKIT_RESPONSE_TRY_LATER && up.calls == c + 1);
	CHECK(ask(u, q, t1 + VALID + 1, NULL, NULL) == OCSPKIT_RESPONSE_TRY_LATER && up.calls == c + 1);
	/* the upstream is back: after the backoff, a fetch */
	up.mode = UP_GOOD;
	up.now = t1 + VALID + 100;
	CHECK(ask(u, q, t1 + VALID + 100, &same, &fetched) == OCSPKIT_RESPONSE_SUCCESSFUL && same && fetched);
	rsp_upstream_free(u);
}

/* A refresh that brings an older answer (the upstream's clock went back,
 * or it replays a stale cache of its own) keeps the newer one. */
static void test_older_answer_refused(void)
{
	uint8_t buf[512], first[4096];
	ocspkit_bytes q = request(buf, sizeof(buf), ca, 0x23, 0, 0);
	rsp_upstream *u = make();
	rsp_upstream_stats st;
	rsp_answer a;
	int same, fetched;

	first_fetch(u, q);
	size_t first_len = up.last_len;
	memcpy(first, up.last, first_len);
	CHECK(ask(u, q, NOW + 1, &same, &fetched) == OCSPKIT_RESPONSE_SUCCESSFUL && same && !fetched);
	up.now = NOW - 60; /* still valid when it arrives, but older */
	CHECK(rsp_upstream_refresh(u, NOW + VALID / 2 + 5) == 0 && up.calls == 2);
	CHECK_OK(rsp_upstream_answer(&a, u, q.data, q.len, NOW + VALID / 2 + 6, 0));
	CHECK(a.status == OCSPKIT_RESPONSE_SUCCESSFUL && a.blob->len == first_len &&
	      memcmp(a.blob->der, first, first_len) == 0);
	rsp_answer_clear(&a);
	rsp_upstream_get_stats(u, &st);
	CHECK(st.failures == 1);
	rsp_upstream_free(u);
}

static void test_refused_answers(void)
{
	static const up_mode bad[] = { UP_ROGUE, UP_OTHER_SERIAL, UP_EXPIRED, UP_GARBAGE, UP_TRY_LATER, UP_DOWN };
	uint8_t buf[512];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rsp_upstream *u = make();
		ocspkit_bytes q = request(buf, sizeof(buf), ca, 0x31, 0, 0);
		up.mode = bad[i];
		up.now = NOW;
		up.calls = 0;
		rsp_answer a;
		CHECK_OK(rsp_upstream_answer(&a, u, q.data, q.len, NOW, 0));
		CHECK(a.status == OCSPKIT_RESPONSE_TRY_LATER && a.detail[0] && !a.cacheable);
		rsp_answer_clear(&a);
		/* nothing was cached: a good answer later is fetched */
		up.mode = UP_GOOD;
		int same;
		CHECK(ask(u, q, NOW + 20, &same, NULL) == OCSPKIT_RESPONSE_SUCCESSFUL && same && up.calls == 2);
		rsp_upstream_free(u);
	}
}

static void test_pass_through_and_errors(void)
{
	uint8_t buf[512];
	rsp_upstream *u = make();
	int same, fetched;
	up.mode = UP_GOOD;
	up.now = NOW;
	up.calls = 0;
	/* a nonce: passed through each time, the nonce echoed */
	ocspkit_bytes q = request(buf, sizeof(buf), ca, 0x41, 1, 0);
	CHECK(ask(u, q, NOW, &same, &fetched) == OCSPKIT_RESPONSE_SUCCESSFUL && same && fetched);
	CHECK(ask(u, q, NOW, &same, &fetched) == OCSPKIT_RESPONSE_SUCCESSFUL && same && fetched);
	CHECK(up.calls == 2);
	/* an upstream that ignores nonces is passed through (RFC 8954): the
	 * client decides; a wrong nonce is refused */
	up.mode = UP_NO_NONCE;
	CHECK(ask(u, q, NOW, &same, &fetched) == OCSPKIT_RESPONSE_SUCCESSFUL && same && fetched);
	up.mode = UP_WRONG_NONCE;
	CHECK(ask(u, q, NOW, NULL, NULL) == OCSPKIT_RESPONSE_TRY_LATER);
	/* two CertIDs: passed through */
	up.mode = UP_GOOD;
	q = request(buf, sizeof(buf), ca, 0x42, 0, 1);
	CHECK(ask(u, q, NOW, &same, &fetched) == OCSPKIT_RESPONSE_SUCCESSFUL && same && fetched);
	rsp_upstream_stats st;
	rsp_upstream_get_stats(u, &st);
	CHECK(st.passed == 5 && st.entries == 0);
	/* a CA not served: unauthorized, nothing asked */
	unsigned c = up.calls;
	q = request(buf, sizeof(buf), other_ca, 0x43, 0, 0);
	CHECK(ask(u, q, NOW, NULL, NULL) == OCSPKIT_RESPONSE_UNAUTHORIZED && up.calls == c);
	/* not a request */
	rsp_answer a;
	CHECK_OK(rsp_upstream_answer(&a, u, (const uint8_t *)"GET /", 5, NOW, 0));
	CHECK(a.status == OCSPKIT_RESPONSE_MALFORMED_REQUEST && up.calls == c);
	rsp_answer_clear(&a);
	rsp_upstream_free(u);
}

typedef struct {
	rsp_upstream *u;
	ocspkit_bytes q;
	int ok;
} job;

static void *asker(void *p)
{
	job *j = p;
	rsp_answer a;
	if (rsp_upstream_answer(&a, j->u, j->q.data, j->q.len, NOW, 0) == OCSPKIT_OK)
		j->ok = a.status == OCSPKIT_RESPONSE_SUCCESSFUL;
	rsp_answer_clear(&a);
	return NULL;
}

static void test_one_fetch_for_concurrent_misses(void)
{
	uint8_t buf[512];
	rsp_upstream *u = make();
	pthread_t t[6];
	job j[6];
	up.mode = UP_GOOD;
	up.now = NOW;
	up.calls = 0;
	up.slow_ms = 100;
	ocspkit_bytes q = request(buf, sizeof(buf), ca, 0x51, 0, 0);
	for (int i = 0; i < 6; i++) {
		j[i] = (job){ u, q, 0 };
		pthread_create(&t[i], NULL, asker, &j[i]);
	}
	for (int i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		CHECK(j[i].ok);
	}
	CHECK(up.calls == 1);
	up.slow_ms = 0;
	/* and the refresher thread starts and stops */
	CHECK(rsp_upstream_start(u) == 0);
	usleep(20000);
	rsp_upstream_free(u);
}

int main(void)
{
	pki_cert_spec s;
	ca_key = pki_key(OCSPKIT_KEY_EC_P256, 1);
	other_key = pki_key(OCSPKIT_KEY_ED25519, 1);
	memset(&s, 0, sizeof(s));
	s.subject = s.issuer = "Upstream Test CA";
	s.ca = 1;
	s.key = s.issuer_key = ca_key;
	ca = pki_cert(&s);
	s.subject = s.issuer = "Not Served CA";
	s.key = s.issuer_key = other_key;
	other_ca = pki_cert(&s);
	CHECK_OK(rsp_ca_init(&cas[0], ca, NULL, NULL));

	test_cache_and_refresh();
	test_older_answer_refused();
	test_refused_answers();
	test_pass_through_and_errors();
	test_one_fetch_for_concurrent_misses();

	ocspkit_cert_free(ca);
	ocspkit_cert_free(other_ca);
	ocspkit_privkey_free(ca_key);
	ocspkit_privkey_free(other_key);
	CHECK_DONE();
}
