/* Unit tests of responder/cache.c: one signature per validity window and
 * status, refresh halfway (the old response served meanwhile), waiting
 * for one signature on a miss or an expiry, a status change, eviction,
 * failed fills, and many threads at once. */
#include <config.h>

#include <pthread.h>
#include <unistd.h>

#include "tests/lib/check.h"
#include "responder/cache.h"

#define T0 1800000000
#define VALID 600

typedef struct {
	int64_t now;
	unsigned long fills;     /* atomic */
	ocspkit_err fail;        /* what the next fills return */
	/* a fill can be held until released */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int hold, holding;
} signer;

static ocspkit_err fill(void *ctx, rsp_blob **out)
{
	signer *s = ctx;
	pthread_mutex_lock(&s->lock);
	if (s->hold) {
		s->holding = 1;
		pthread_cond_broadcast(&s->cond);
		while (s->hold)
			pthread_cond_wait(&s->cond, &s->lock);
		s->holding = 0;
	}
	pthread_mutex_unlock(&s->lock);
	if (s->fail)
		return s->fail;
	unsigned long n = __atomic_add_fetch(&s->fills, 1, __ATOMIC_SEQ_CST);
	char der[32];
	int len = snprintf(der, sizeof(der), "response %lu", n);
	rsp_blob *b = rsp_blob_new((const uint8_t *)der, (size_t)len);
	if (!b)
		return OCSPKIT_E_NO_MEMORY;
	b->status = OCSPKIT_RESPONSE_SUCCESSFUL;
	b->has_update = 1;
	b->this_update = s->now;
	b->has_next_update = 1;
	b->next_update = s->now + VALID;
	*out = b;
	return OCSPKIT_OK;
}

static void signer_init(signer *s)
{
	memset(s, 0, sizeof(*s));
	s->now = T0;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
}

static rsp_blob *get(rsp_cache *c, signer *s, const char *key, const char *tag, int64_t now, int *signed_here)
{
	rsp_blob *b = NULL;
	rsp_cache_outcome how;
	ocspkit_err e = rsp_cache_get(c, (const uint8_t *)key, strlen(key), (const uint8_t *)tag, strlen(tag), now, 0,
				       fill, s, &b, &how);
	CHECK(e == OCSPKIT_OK || e == s->fail);
	if (signed_here)
		*signed_here = e == OCSPKIT_OK && how == RSP_CACHE_SIGNED;
	return b;
}

static int says(const rsp_blob *b, const char *text)
{
	return b && b->len == strlen(text) && memcmp(b->der, text, b->len) == 0;
}

static void test_window(void)
{
	rsp_cache *c;
	signer s;
	int sig;
	signer_init(&s);
	CHECK_OK(rsp_cache_new(&c, 16));

	rsp_blob *a = get(c, &s, "k1", "good", T0, &sig);
	CHECK(says(a, "response 1") && sig == 1);
	/* the same key and status: no signature until halfway */
	rsp_blob *b = get(c, &s, "k1", "good", T0 + VALID / 2 - 1, &sig);
	CHECK(b == a && sig == 0 && s.fills == 1);
	rsp_blob_unref(b);
	/* another key */
	b = get(c, &s, "k2", "good", T0, &sig);
	CHECK(says(b, "response 2") && sig == 1);
	rsp_blob_unref(b);
	/* halfway: signed again, the old response lives on for its holders */
	s.now = T0 + VALID / 2;
	b = get(c, &s, "k1", "good", T0 + VALID / 2, &sig);
	CHECK(says(b, "response 3") && sig == 1);
	CHECK(says(a, "response 1"));
	rsp_blob_unref(a);
	rsp_blob_unref(b);
	/* the status changes: signed at once */
	b = get(c, &s, "k1", "revoked", T0 + VALID / 2 + 1, &sig);
	CHECK(says(b, "response 4") && sig == 1);
	rsp_blob_unref(b);
	b = get(c, &s, "k1", "revoked", T0 + VALID / 2 + 2, &sig);
	CHECK(says(b, "response 4") && sig == 0);
	rsp_blob_unref(b);
	/* expired (a clock jump): signed again */
	s.now = T0 + 10 * VALID;
	b = get(c, &s, "k1", "revoked", T0 + 10 * VALID, &sig);
	CHECK(says(b, "response 5") && sig == 1);
	rsp_blob_unref(b);

	rsp_cache_stats st;
	rsp_cache_get_stats(c, &st);
	CHECK(st.entries == 2 && st.fills == 5 && st.hits == 2 && st.evictions == 0);
	/* keys and tags beyond the limits */
	char big[RSP_CACHE_MAX_KEY + 2];
	memset(big, 'k', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	rsp_blob *none = NULL;
	CHECK_ERR(rsp_cache_get(c, (const uint8_t *)big, strlen(big), (const uint8_t *)"t", 1, T0, 0, fill, &s, &none, NULL),
		  OCSPKIT_E_INVALID_ARGUMENT);
	CHECK(none == NULL);
	rsp_cache_free(c);
}

static void test_eviction_and_failures(void)
{
	rsp_cache *c;
	signer s;
	int sig;
	signer_init(&s);
	CHECK_OK(rsp_cache_new(&c, 2));
	rsp_blob_unref(get(c, &s, "a", "t", T0, &sig));
	rsp_blob_unref(get(c, &s, "b", "t", T0, &sig));
	rsp_blob_unref(get(c, &s, "a", "t", T0, &sig)); /* a is now the most recent */
	rsp_blob_unref(get(c, &s, "c", "t", T0, &sig)); /* evicts b */
	rsp_cache_stats st;
	rsp_cache_get_stats(c, &st);
	CHECK(st.entries == 2 && st.evictions == 1 && st.fills == 3);
	rsp_blob_unref(get(c, &s, "a", "t", T0, &sig));
	CHECK(sig == 0);
	rsp_blob_unref(get(c, &s, "b", "t", T0, &sig));
	CHECK(sig == 1);

	/* a failed fill stores nothing; the next call tries again */
	s.fail = OCSPKIT_E_SIGNING_FAILED;
	rsp_blob *b = get(c, &s, "d", "t", T0, &sig);
	CHECK(b == NULL && sig == 0);
	/* a failed refresh leaves the valid response in place */
	b = get(c, &s, "b", "t", T0 + VALID / 2, &sig);
	CHECK(b == NULL);
	s.fail = OCSPKIT_OK;
	b = get(c, &s, "d", "t", T0, &sig);
	CHECK(b && sig == 1);
	rsp_blob_unref(b);
	rsp_cache_free(c);

	/* error blobs are static */
	rsp_blob *m = rsp_blob_error(OCSPKIT_RESPONSE_MALFORMED_REQUEST);
	CHECK(m->len == 5 && m->der[4] == 1 && rsp_blob_ref(m) == m);
	rsp_blob_unref(m);
	CHECK(rsp_blob_error(OCSPKIT_RESPONSE_UNAUTHORIZED)->der[4] == 6);
	CHECK(rsp_blob_error(OCSPKIT_RESPONSE_SUCCESSFUL)->der[4] == 2);
	/* ETags differ with the bytes */
	rsp_blob *x = rsp_blob_new((const uint8_t *)"x", 1), *y = rsp_blob_new((const uint8_t *)"y", 1);
	CHECK(x && y && strlen(x->etag) == 34 && x->etag[0] == '"' && strcmp(x->etag, y->etag) != 0);
	rsp_blob_unref(x);
	rsp_blob_unref(y);
}

typedef struct {
	rsp_cache *c;
	signer *s;
	const char *key, *tag;
	int64_t now;
	rsp_blob *got;
	int done; /* atomic */
} job;

static void *run_job(void *p)
{
	job *j = p;
	ocspkit_err e = rsp_cache_get(j->c, (const uint8_t *)j->key, strlen(j->key), (const uint8_t *)j->tag,
				      strlen(j->tag), j->now, 0, fill, j->s, &j->got, NULL);
	(void)e; /* the blob (or NULL) is what is checked */
	__atomic_store_n(&j->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void wait_holding(signer *s)
{
	pthread_mutex_lock(&s->lock);
	while (!s->holding)
		pthread_cond_wait(&s->cond, &s->lock);
	pthread_mutex_unlock(&s->lock);
}

static void release(signer *s)
{
	pthread_mutex_lock(&s->lock);
	s->hold = 0;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static void test_threads(void)
{
	rsp_cache *c;
	signer s;
	signer_init(&s);
	CHECK_OK(rsp_cache_new(&c, 16));

	/* a miss: the first caller signs, the others wait for that signature */
	s.hold = 1;
	job jobs[8];
	pthread_t th[8];
	for (int i = 0; i < 8; i++) {
		jobs[i] = (job){ c, &s, "k", "good", T0, NULL, 0 };
		pthread_create(&th[i], NULL, run_job, &jobs[i]);
	}
	wait_holding(&s);
	usleep(50000);
	int done = 0;
	for (int i = 0; i < 8; i++)
		done += __atomic_load_n(&jobs[i].done, __ATOMIC_SEQ_CST);
	CHECK(done == 0);
	release(&s);
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		CHECK(says(jobs[i].got, "response 1"));
		rsp_blob_unref(jobs[i].got);
	}
	CHECK(s.fills == 1);

	/* a refresh: one caller signs, the others get the current response */
	s.hold = 1;
	s.now = T0 + VALID / 2;
	job refresher = { c, &s, "k", "good", T0 + VALID / 2, NULL, 0 };
	pthread_t rt;
	pthread_create(&rt, NULL, run_job, &refresher);
	wait_holding(&s);
	int sig = -1;
	rsp_blob *b = get(c, &s, "k", "good", T0 + VALID / 2 + 1, &sig);
	CHECK(says(b, "response 1") && sig == 0);
	rsp_blob_unref(b);
	release(&s);
	pthread_join(rt, NULL);
	CHECK(says(refresher.got, "response 2"));
	rsp_blob_unref(refresher.got);

	/* expired while another signs: wait for the new one */
	s.hold = 1;
	s.now = T0 + 5 * VALID;
	job first = { c, &s, "k", "good", T0 + 5 * VALID, NULL, 0 }, second = first;
	pthread_t t1, t2;
	pthread_create(&t1, NULL, run_job, &first);
	wait_holding(&s);
	pthread_create(&t2, NULL, run_job, &second);
	usleep(50000);
	CHECK(__atomic_load_n(&second.done, __ATOMIC_SEQ_CST) == 0);
	release(&s);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	CHECK(says(first.got, "response 3") && says(second.got, "response 3"));
	rsp_blob_unref(first.got);
	rsp_blob_unref(second.got);

	/* many threads on each key (more keys than room): one signature per key */
	enum { N = 8, KEYS = 24 };
	static job many[N];
	char name[8];
	unsigned long before = s.fills;
	for (int k = 0; k < KEYS; k++) {
		pthread_t kt[N];
		snprintf(name, sizeof(name), "m%d", k);
		for (int i = 0; i < N; i++) {
			many[i] = (job){ c, &s, name, "good", T0 + 5 * VALID, NULL, 0 };
			pthread_create(&kt[i], NULL, run_job, &many[i]);
		}
		for (int i = 0; i < N; i++) {
			pthread_join(kt[i], NULL);
			CHECK(many[i].got != NULL);
			rsp_blob_unref(many[i].got);
		}
	}
	CHECK(s.fills - before == KEYS);
	rsp_cache_stats st;
	rsp_cache_get_stats(c, &st);
	CHECK(st.entries == 16);
	rsp_cache_free(c);
}

/* RSP_CACHE_NO_WAIT (what the HTTP threads ask): never a signature,
 * never a wait, whatever the entry's state. */
static rsp_cache_outcome peek(rsp_cache *c, signer *s, const char *key, const char *tag, int64_t now, rsp_blob **b)
{
	rsp_cache_outcome how;
	*b = NULL;
	CHECK_OK(rsp_cache_get(c, (const uint8_t *)key, strlen(key), (const uint8_t *)tag, strlen(tag), now,
			       RSP_CACHE_NO_WAIT, fill, s, b, &how));
	CHECK((*b == NULL) == (how == RSP_CACHE_WOULD_BLOCK));
	return how;
}

static void test_no_wait(void)
{
	rsp_cache *c;
	signer s;
	rsp_blob *b;
	int sig;
	signer_init(&s);
	CHECK_OK(rsp_cache_new(&c, 16));
	/* a miss: nothing signed, nothing kept */
	CHECK(peek(c, &s, "k", "good", T0, &b) == RSP_CACHE_WOULD_BLOCK && s.fills == 0);
	rsp_cache_stats st;
	rsp_cache_get_stats(c, &st);
	CHECK(st.entries == 0);
	/* signed by a caller that may sign: then a hit */
	rsp_blob_unref(get(c, &s, "k", "good", T0, &sig));
	CHECK(sig == 1 && peek(c, &s, "k", "good", T0 + 1, &b) == RSP_CACHE_HIT && says(b, "response 1"));
	rsp_blob_unref(b);
	/* past the refresh time: still the valid answer, and the first such
	 * caller is asked to have it refreshed (once per retry period) */
	CHECK(peek(c, &s, "k", "good", T0 + VALID / 2, &b) == RSP_CACHE_HIT_DUE && says(b, "response 1"));
	rsp_blob_unref(b);
	CHECK(peek(c, &s, "k", "good", T0 + VALID / 2 + 1, &b) == RSP_CACHE_HIT && says(b, "response 1"));
	rsp_blob_unref(b);
	CHECK(peek(c, &s, "k", "good", T0 + VALID / 2 + RSP_CACHE_REFRESH_RETRY, &b) == RSP_CACHE_HIT_DUE);
	rsp_blob_unref(b);
	CHECK(s.fills == 1);
	/* the status changed: never the old answer */
	CHECK(peek(c, &s, "k", "revoked", T0 + 2, &b) == RSP_CACHE_WOULD_BLOCK);
	/* expired: never the old answer */
	CHECK(peek(c, &s, "k", "good", T0 + VALID, &b) == RSP_CACHE_WOULD_BLOCK);
	/* another caller signing a first answer: no wait */
	s.hold = 1;
	job j = { c, &s, "fresh", "good", T0, NULL, 0 };
	pthread_t th;
	pthread_create(&th, NULL, run_job, &j);
	wait_holding(&s);
	CHECK(peek(c, &s, "fresh", "good", T0, &b) == RSP_CACHE_WOULD_BLOCK);
	/* ... or refreshing one: the current answer, at once */
	release(&s);
	pthread_join(th, NULL);
	rsp_blob_unref(j.got);
	s.now = T0 + VALID / 2;
	s.hold = 1;
	j = (job){ c, &s, "fresh", "good", T0 + VALID / 2, NULL, 0 };
	pthread_create(&th, NULL, run_job, &j);
	wait_holding(&s);
	CHECK(peek(c, &s, "fresh", "good", T0 + VALID / 2 + 1, &b) == RSP_CACHE_HIT && b);
	rsp_blob_unref(b);
	release(&s);
	pthread_join(th, NULL);
	CHECK(j.got && !says(j.got, "response 2"));
	rsp_blob_unref(j.got);
	rsp_cache_free(c);
}

int main(void)
{
	test_window();
	test_eviction_and_failures();
	test_threads();
	test_no_wait();
	CHECK_DONE();
}
