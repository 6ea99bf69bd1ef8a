/* Unit tests of the revocation-source interface (responder/source.h) with
 * a second kind of source beside index.txt: an in-memory one that
 * applies staged changes at each poll, the way a database source applies
 * its change notifications.  Two CAs of one responder, one on each kind,
 * are answered through the interface alone: each CA's statuses, a change
 * of the memory source re-signing only the entry it changed, a change
 * refused (the last good data serving on, freshness and watchers told),
 * a source without data yet or failing to read (tryLater, not a guess),
 * a source shared by two CAs polled once, and a request about CertIDs of
 * both CAs answered from both kinds at once. */
#include <config.h>

#include "tests/lib/pki.h"
#include "responder/answer.h"
#include "tests/responder/responder_ask.h"
#include "responder/source_index.h"

#define NOW 1800000000
#define VALID 600

/* ---------------------------------------------------------------- the memory source */

#define MEM_MAX 8

typedef struct {
	rsp_snapshot base;
	size_t n;
	uint8_t serial[MEM_MAX];      /* one-octet serials */
	rsp_status status[MEM_MAX];
	int unreadable;               /* lookups fail (a database file gone bad) */
} mem_snapshot;

typedef struct {
	rsp_source base;
	unsigned polls;
	/* what the next poll finds: changes to apply, and whether they arrived
	 * whole (a notification whose rows could not all be read) */
	int staged, staged_whole;
	mem_snapshot next;
} mem_source;

static const rsp_source_ops mem_ops;

static ocspkit_err mem_lookup(const rsp_snapshot *snap, const rsp_lookup *q, rsp_status *out)
{
	const mem_snapshot *s = (const mem_snapshot *)snap;
	if (s->unreadable)
		return OCSPKIT_E_INVALID_ARGUMENT;
	for (size_t i = 0; i < s->n; i++)
		if (q->serial.len == 1 && q->serial.data[0] == s->serial[i])
			*out = s->status[i];
	return OCSPKIT_OK;
}

/* Publishes a copy of the staged data, or refuses it: never half of it. */
static rsp_poll_result mem_poll(rsp_source *src, int64_t now, unsigned flags, char *msg, size_t cap)
{
	mem_source *m = (mem_source *)src;
	(void)flags;
	m->polls++;
	if (!m->staged)
		return RSP_POLL_UNCHANGED;
	m->staged = 0;
	if (!m->staged_whole) {
		snprintf(msg, cap, "memory: a change arrived in part");
		rsp_source_refuse(src, now, msg);
		return RSP_POLL_REFUSED;
	}
	mem_snapshot *s = malloc(sizeof(*s));
	if (!s)
		abort();
	*s = m->next;
	rsp_snapshot_init(&s->base, &mem_ops, s->n, now - 60);
	snprintf(msg, cap, "memory: %zu certificates", s->n);
	rsp_source_publish(src, &s->base, now, msg);
	return RSP_POLL_LOADED;
}

static void mem_describe(const rsp_source *src, char *out, size_t cap)
{
	(void)src;
	snprintf(out, cap, "memory");
}

static void mem_free_snapshot(rsp_snapshot *snap)
{
	free(snap);
}

static void mem_destroy(rsp_source *src)
{
	rsp_source_clear(src);
	free(src);
}

static const rsp_source_ops mem_ops = {
	.kind = "memory",
	.lookup = mem_lookup,
	.poll = mem_poll,
	.each = NULL, /* as a CRL, it cannot list what it knows */
	.describe = mem_describe,
	.free_snapshot = mem_free_snapshot,
	.destroy = mem_destroy,
};

static mem_source *mem_new(void)
{
	mem_source *m = calloc(1, sizeof(*m));
	if (!m)
		abort();
	rsp_source_init(&m->base, &mem_ops);
	return m;
}

/* Stages serial with status (revoked at revoked_at when not 0) for the
 * next poll. */
static void mem_stage(mem_source *m, uint8_t serial, ocspkit_cert_status status, int64_t revoked_at)
{
	size_t i = 0;
	while (i < m->next.n && m->next.serial[i] != serial)
		i++;
	if (i == m->next.n && m->next.n++ == MEM_MAX)
		abort();
	memset(&m->next.status[i], 0, sizeof(m->next.status[i]));
	m->next.serial[i] = serial;
	m->next.status[i].status = status;
	m->next.status[i].revocation_time = revoked_at;
	if (status == OCSPKIT_CERT_REVOKED) {
		m->next.status[i].has_reason = 1;
		m->next.status[i].reason = OCSPKIT_REASON_KEY_COMPROMISE;
	}
	m->staged = m->staged_whole = 1;
}

/* ---------------------------------------------------------------- a responder on both */

static ocspkit_privkey *key1, *key2;
static ocspkit_signer *signer1;
static ocspkit_cert *ca1, *ca2;
static rsp_signer signer;
static rsp_source *idx;
static mem_source *mem;
static rsp_ca cas[3];
static rsp_responder R;

/* What the responder says of serial (one octet) of ca. */
static said ask(const rsp_ca *ca, uint8_t serial)
{
	return ask_responder(&R, ca, serial, NOW);
}

static void setup(void)
{
	static const char text[] = "V\t301231235959Z\t\t01\tunknown\t/CN=good\n"
				   "R\t301231235959Z\t240101000000Z,keyCompromise\t02\tunknown\t/CN=revoked\n";
	rsp_index *parsed;
	key1 = pki_key(OCSPKIT_KEY_ED25519, 1);
	key2 = pki_key(OCSPKIT_KEY_ED25519, 2);
	ca1 = pki_ca_cert("Index CA", key1);
	ca2 = pki_ca_cert("Database CA", key2);
	/* one signer for both, so that one request may ask about both CAs */
	CHECK_OK(ocspkit_signer_from_privkey(&signer1, key1, NULL));
	signer.signer = signer1;
	signer.cert = ca1;
	CHECK_OK(rsp_index_parse(&parsed, (const uint8_t *)text, sizeof(text) - 1, NULL));
	CHECK_OK(rsp_index_source_new(&idx, NULL, NULL));
	rsp_index_source_set(idx, parsed, NOW);
	mem = mem_new();
	CHECK_OK(rsp_ca_init(&cas[0], ca1, &signer, idx));
	CHECK_OK(rsp_ca_init(&cas[1], ca2, &signer, &mem->base));
	R.cas = cas;
	R.n_cas = 2;
	R.validity = VALID;
	CHECK_OK(rsp_cache_new(&R.cache, 100));
}

static void teardown(void)
{
	rsp_cache_free(R.cache);
	rsp_source_free(idx);
	rsp_source_free(&mem->base);
	ocspkit_cert_free(ca1);
	ocspkit_cert_free(ca2);
	ocspkit_signer_free(signer1);
	ocspkit_privkey_free(key1);
	ocspkit_privkey_free(key2);
}

/* ---------------------------------------------------------------- tests */

static struct {
	unsigned loaded, refused;
	char msg[200];
} told;

static void watch(rsp_source_watcher *w, rsp_source *src, rsp_source_event ev, uint64_t generation, const char *msg)
{
	(void)w, (void)generation;
	CHECK(src == &mem->base);
	*(ev == RSP_SOURCE_LOADED ? &told.loaded : &told.refused) += 1;
	snprintf(told.msg, sizeof(told.msg), "%s", msg);
}

static void test_two_kinds(void)
{
	rsp_source_watcher w = { watch, NULL, NULL };
	rsp_freshness f;
	char msg[200];
	said s;

	/* the memory source has no data yet: tryLater, never unknown */
	s = ask(&cas[1], 7);
	CHECK(s.status == OCSPKIT_RESPONSE_TRY_LATER && strstr(s.detail, "no revocation data"));
	/* the index CA is answered meanwhile */
	s = ask(&cas[0], 2);
	CHECK(s.status == OCSPKIT_RESPONSE_SUCCESSFUL && s.cert == OCSPKIT_CERT_REVOKED);

	/* the database's first rows arrive; the answerer's poll applies them */
	rsp_source_watch(&mem->base, &w);
	mem_stage(mem, 7, OCSPKIT_CERT_GOOD, 0);
	mem_stage(mem, 8, OCSPKIT_CERT_REVOKED, NOW - 3600);
	rsp_answerer an = rsp_responder_answerer(&R);
	an.ops->poll(an.self, NOW, 0);
	CHECK(told.loaded == 1 && strcmp(told.msg, "memory: 2 certificates") == 0);
	rsp_source_freshness(&mem->base, &f);
	CHECK(f.generation == 1 && f.loaded_at == NOW && f.data_time == NOW - 60 && f.entries == 2);
	s = ask(&cas[1], 7);
	CHECK(s.status == OCSPKIT_RESPONSE_SUCCESSFUL && s.cert == OCSPKIT_CERT_GOOD && s.origin == RSP_ORIGIN_SIGNED);
	s = ask(&cas[1], 8);
	CHECK(s.cert == OCSPKIT_CERT_REVOKED && s.revoked_at == NOW - 3600);
	s = ask(&cas[1], 9);
	CHECK(s.cert == OCSPKIT_CERT_UNKNOWN);
	/* each CA is asked of its own source: serial 2 is the index's */
	s = ask(&cas[1], 2);
	CHECK(s.cert == OCSPKIT_CERT_UNKNOWN);
	s = ask(&cas[0], 7);
	CHECK(s.cert == OCSPKIT_CERT_UNKNOWN);

	/* steady state: from the cache */
	s = ask(&cas[1], 7);
	CHECK(s.origin == RSP_ORIGIN_CACHE);
	s = ask(&cas[1], 8);
	CHECK(s.origin == RSP_ORIGIN_CACHE);

	/* 7 is revoked: the next answer about 7 is signed again, 8's is not */
	rsp_snapshot *before = rsp_ca_acquire(&cas[1]);
	mem_stage(mem, 7, OCSPKIT_CERT_REVOKED, NOW - 10);
	CHECK(rsp_source_poll(&mem->base, NOW, 0, msg, sizeof(msg)) == RSP_POLL_LOADED);
	s = ask(&cas[1], 7);
	CHECK(s.cert == OCSPKIT_CERT_REVOKED && s.origin == RSP_ORIGIN_SIGNED);
	s = ask(&cas[1], 8);
	CHECK(s.origin == RSP_ORIGIN_CACHE);
	/* the snapshot held across the change still says what it said */
	rsp_status st;
	uint8_t seven = 7;
	CHECK(rsp_ca_lookup(&cas[1], before, (ocspkit_bytes){ &seven, 1 }, &st) == OCSPKIT_OK &&
	      st.status == OCSPKIT_CERT_GOOD && before->generation == 1);
	rsp_snapshot_release(before);

	/* a change that arrived in part is refused: the last good data serves */
	mem_stage(mem, 7, OCSPKIT_CERT_GOOD, 0);
	mem->staged_whole = 0;
	CHECK(rsp_source_poll(&mem->base, NOW + 1, 0, msg, sizeof(msg)) == RSP_POLL_REFUSED);
	s = ask(&cas[1], 7);
	CHECK(s.cert == OCSPKIT_CERT_REVOKED && s.origin == RSP_ORIGIN_CACHE);
	rsp_source_freshness(&mem->base, &f);
	CHECK(f.generation == 2 && f.refusals == 1 && f.refused_at == NOW + 1 && f.checked_at == NOW + 1 &&
	      strstr(f.error, "in part") && told.refused == 1);

	/* data that cannot be read: tryLater */
	rsp_snapshot *cur = rsp_ca_acquire(&cas[1]);
	((mem_snapshot *)cur)->unreadable = 1;
	s = ask(&cas[1], 9);
	CHECK(s.status == OCSPKIT_RESPONSE_TRY_LATER && strstr(s.detail, "revocation source"));
	((mem_snapshot *)cur)->unreadable = 0;
	rsp_snapshot_release(cur);

	/* the kind says it cannot list its certificates; index.txt can */
	cur = rsp_ca_acquire(&cas[1]);
	CHECK(rsp_snapshot_each(cur, NULL, NULL) == -1);
	rsp_snapshot_release(cur);
	rsp_source_unwatch(&mem->base, &w);
}

/* A request about CertIDs of both CAs: one response, each status from its
 * own kind of source. */
static void test_one_request_both_kinds(void)
{
	ocspkit_cert_id_value v[2];
	ocspkit_single_request q[2];
	ocspkit_request_tbs tbs;
	uint8_t two = 2, eight = 8, *der;
	size_t len, off;
	rsp_answer a;
	ocspkit_response *resp = NULL;
	memset(q, 0, sizeof(q));
	memset(&tbs, 0, sizeof(tbs));
	CHECK_OK(ocspkit_cert_id_compute(&v[0], OCSPKIT_HASH_SHA1, ca1, (ocspkit_bytes){ &two, 1 }));
	CHECK_OK(ocspkit_cert_id_compute(&v[1], OCSPKIT_HASH_SHA256, ca2, (ocspkit_bytes){ &eight, 1 }));
	q[0].cert_id = ocspkit_cert_id_value_view(&v[0]);
	q[1].cert_id = ocspkit_cert_id_value_view(&v[1]);
	tbs.requests = q;
	tbs.request_count = 2;
	CHECK_OK(ocspkit_request_encode(&der, &len, &tbs, NULL));
	CHECK_OK(rsp_answer_request(&a, &R, der, len, NOW, 0));
	CHECK(a.status == OCSPKIT_RESPONSE_SUCCESSFUL && a.count == 2);
	CHECK_OK(ocspkit_response_decode(&resp, a.blob->der, a.blob->len, 0, &off));
	CHECK(resp && ocspkit_response_get_single_count(resp) == 2 &&
	      ocspkit_response_get_single(resp, 0)->status == OCSPKIT_CERT_REVOKED &&
	      ocspkit_response_get_single(resp, 1)->status == OCSPKIT_CERT_REVOKED &&
	      ocspkit_response_get_single(resp, 1)->revocation_time == NOW - 3600);
	ocspkit_response_free(resp);
	rsp_answer_clear(&a);
	ocspkit_free(der);
}

/* Two CAs on one source: the responder polls it once. */
static void test_shared_source(void)
{
	mem_source *shared = mem_new();
	rsp_ca two[2];
	rsp_responder r2 = { two, 2, VALID, NULL };
	CHECK_OK(rsp_ca_init(&two[0], ca1, &signer, &shared->base));
	CHECK_OK(rsp_ca_init(&two[1], ca2, &signer, &shared->base));
	rsp_responder_poll(&r2, NOW, RSP_POLL_FORCE);
	CHECK(shared->polls == 1);
	mem_stage(shared, 5, OCSPKIT_CERT_GOOD, 0);
	rsp_responder_poll(&r2, NOW, 0);
	rsp_snapshot *s0 = rsp_ca_acquire(&two[0]), *s1 = rsp_ca_acquire(&two[1]);
	CHECK(shared->polls == 2 && s0 && s0 == s1 && s0->generation == 1);
	rsp_snapshot_release(s0);
	rsp_snapshot_release(s1);
	rsp_source_free(&shared->base);
}

int main(void)
{
	setup();
	test_two_kinds();
	test_one_request_both_kinds();
	test_shared_source();
	teardown();
	CHECK_DONE();
}
