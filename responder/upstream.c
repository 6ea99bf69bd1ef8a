/* Caching-proxy mode of the responder (upstream.h). */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache.h"
#include "common/util.h"
#include "upstream.h"

/* The tolerances of real responders (an explicit v1, padded serials):
 * the proxy passes their bytes on, it does not judge their DER style. */
#define DECODE_FLAGS \
	(OCSPKIT_DECODE_ALLOW_EXPLICIT_DEFAULT | OCSPKIT_DECODE_ALLOW_PADDED_INTEGER | OCSPKIT_DECODE_ALLOW_ANY_NONCE_SIZE)
#define REFRESH_BATCH 64

typedef struct uentry {
	rsp_lru_node node;
	const rsp_ca *ca;
	uint8_t *req;                  /* the request sent upstream (the first client's) */
	size_t req_len;
	rsp_blob *blob;                /* the last valid answer, NULL before the first */
	int64_t expires, refresh_at;
	int fetching;                  /* not evictable meanwhile */
	int used;                      /* asked for since the last fetch */
	unsigned failures;             /* failed fetches in a row */
	int64_t retry_at;
} uentry;

struct rsp_upstream {
	rsp_upstream_opts o;
	pthread_mutex_t lock;
	pthread_cond_t done;           /* a fetch finished */
	pthread_cond_t wake;           /* the refresher: stop */
	rsp_lru table;
	rsp_upstream_stats st;
	pthread_t thread;
	int running, stopping;
};

/* One line to the log (rsp_upstream_opts.log). */
#define logf_(u, ...) util_logf((u)->o.log, (u)->o.log_ctx, __VA_ARGS__)

static void time_text(char out[OCSPKIT_TIME_STRING_SIZE], int64_t t)
{
	ocspkit_time_format(out, t);
}

static void free_entry(rsp_lru_node *n)
{
	uentry *e = rsp_lru_entry(n, uentry, node);
	rsp_blob_unref(e->blob);
	free(e->req);
	free(e);
}

static int may_evict(const rsp_lru_node *n)
{
	return !rsp_lru_entry(n, uentry, node)->fetching;
}

ocspkit_err rsp_upstream_new(rsp_upstream **out, const rsp_upstream_opts *o)
{
	rsp_upstream *u = calloc(1, sizeof(*u));
	*out = NULL;
	if (!u)
		return OCSPKIT_E_NO_MEMORY;
	u->o = *o;
	if (!u->o.capacity)
		u->o.capacity = 100000;
	if (u->o.skew <= 0)
		u->o.skew = 300;
	if (u->o.retry_min <= 0)
		u->o.retry_min = 5;
	if (u->o.retry_max < u->o.retry_min)
		u->o.retry_max = u->o.retry_min > 300 ? u->o.retry_min : 300;
	if (u->o.no_next_update_ttl <= 0)
		u->o.no_next_update_ttl = 3600;
	if (u->o.unknown_refresh <= 0)
		u->o.unknown_refresh = 60;
	if (rsp_lru_init(&u->table, u->o.capacity, free_entry, may_evict) != OCSPKIT_OK) {
		free(u);
		return OCSPKIT_E_NO_MEMORY;
	}
	pthread_mutex_init(&u->lock, NULL);
	pthread_cond_init(&u->done, NULL);
	pthread_cond_init(&u->wake, NULL);
	*out = u;
	return OCSPKIT_OK;
}

void rsp_upstream_free(rsp_upstream *u)
{
	if (!u)
		return;
	rsp_upstream_stop(u);
	rsp_lru_clear(&u->table);
	pthread_cond_destroy(&u->wake);
	pthread_cond_destroy(&u->done);
	pthread_mutex_destroy(&u->lock);
	free(u);
}

void rsp_upstream_get_stats(rsp_upstream *u, rsp_upstream_stats *st)
{
	pthread_mutex_lock(&u->lock);
	*st = u->st;
	st->entries = u->table.count;
	pthread_mutex_unlock(&u->lock);
}

/* ---------------------------------------------------------------- one fetch */

/* Decodes and validates body as the answer to req about ca at now; a blob
 * of it on success. */
static int check_answer(rsp_blob **out, const rsp_upstream *u, const rsp_ca *ca, const ocspkit_request *req,
			const uint8_t *body, size_t len, int64_t now, char *why, size_t cap)
{
	ocspkit_response *resp = NULL;
	ocspkit_validate_target *targets = NULL;
	ocspkit_validate_result res;
	size_t n = ocspkit_request_get_single_count(req), off = 0;
	int ret = -1;

	*out = NULL;
	memset(&res, 0, sizeof(res));
	ocspkit_err e = ocspkit_response_decode(&resp, body, len, DECODE_FLAGS, &off);
	if (e) {
		snprintf(why, cap, "not an OCSP response: %s at offset %zu", ocspkit_strerror_name(e), off);
		return -1;
	}
	if (ocspkit_response_get_status(resp) != OCSPKIT_RESPONSE_SUCCESSFUL) {
		snprintf(why, cap, "responseStatus %s", ocspkit_response_status_name(ocspkit_response_get_status(resp)));
		goto out;
	}
	targets = calloc(n, sizeof(*targets));
	if (!targets) {
		snprintf(why, cap, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		targets[i].cert_id = &ocspkit_request_get_single(req, i)->cert_id;
	ocspkit_validate_params p;
	memset(&p, 0, sizeof(p));
	p.issuer = ca->cert;
	p.targets = targets;
	p.target_count = n;
	p.now = now;
	p.skew = u->o.skew;
	p.flags = DECODE_FLAGS;
	if (ocspkit_request_get_nonce(&p.nonce, req) != OCSPKIT_OK)
		p.nonce = (ocspkit_bytes){ NULL, 0 };
	e = ocspkit_response_validate(&res, resp, &p);
	if (e == OCSPKIT_E_NONCE_MISSING) {
		/* responders may ignore nonces (RFC 8954 section 2.1): the answer
		 * goes to the client, which decides, as it would asking the
		 * upstream itself; a wrong nonce is still refused */
		p.nonce = (ocspkit_bytes){ NULL, 0 };
		ocspkit_validate_result_clear(&res);
		e = ocspkit_response_validate(&res, resp, &p);
	}
	if (e != OCSPKIT_OK) {
		snprintf(why, cap, "does not validate: %s (%s)", ocspkit_strerror_name(e), ocspkit_strerror(e));
		goto out;
	}
	const ocspkit_single_response *s = res.targets[0].single;
	for (size_t i = 0; i < n; i++) {
		if (res.targets[i].single->has_next_update && res.targets[i].single->next_update <= now) {
			snprintf(why, cap, "expired: nextUpdate is past");
			goto out;
		}
	}
	rsp_blob *b = rsp_blob_new(body, len);
	if (!b) {
		snprintf(why, cap, "out of memory");
		goto out;
	}
	ocspkit_response_tbs d;
	b->status = OCSPKIT_RESPONSE_SUCCESSFUL;
	b->produced_at = ocspkit_response_get_tbs(&d, resp) == OCSPKIT_OK ? d.produced_at : 0; /* it validated */
	b->has_update = 1;
	b->this_update = s->this_update;
	b->has_next_update = s->has_next_update;
	b->next_update = s->next_update;
	for (size_t i = 0; i < n; i++)
		b->any_unknown |= res.targets[i].single->status == OCSPKIT_CERT_UNKNOWN;
	b->cert_status = s->status;
	*out = b;
	ret = 0;
out:
	ocspkit_validate_result_clear(&res);
	free(targets);
	ocspkit_response_free(resp);
	return ret;
}

/* Sends req (DER) upstream and checks the answer.  0 with a blob, or -1. */
static int fetch_one(rsp_blob **out, const rsp_upstream *u, const rsp_ca *ca, const uint8_t *der, size_t len,
		     int64_t now, char *why, size_t cap)
{
	ocspkit_request *req = NULL;
	uint8_t *body = NULL;
	size_t body_len = 0;
	char err[300] = "";

	*out = NULL;
	if (ocspkit_request_decode(&req, der, len, OCSPKIT_DECODE_STRICT, NULL) != OCSPKIT_OK) {
		snprintf(why, cap, "out of memory");
		return -1;
	}
	int ret = -1;
	if (u->o.fetch(u->o.fetch_ctx, der, len, &body, &body_len, err, sizeof(err)) != 0)
		snprintf(why, cap, "upstream: %s", err[0] ? err : "no answer");
	else
		ret = check_answer(out, u, ca, req, body, body_len, now, why, cap);
	free(body);
	ocspkit_request_free(req);
	return ret;
}

/* ---------------------------------------------------------------- the cache */

static int64_t backoff(const rsp_upstream *u, unsigned failures)
{
	int64_t d = u->o.retry_min;
	for (unsigned i = 1; i < failures && d < u->o.retry_max; i++)
		d *= 2;
	return d < u->o.retry_max ? d : u->o.retry_max;
}

/* Under the lock: the fetch for e ended (nb: its result, a reference the
 * entry takes over, or NULL). */
static void finish(rsp_upstream *u, uentry *e, rsp_blob *nb, int64_t now)
{
	e->fetching = 0;
	if (nb) {
		rsp_blob_unref(e->blob);
		e->blob = nb;
		e->expires = nb->has_next_update ? nb->next_update : nb->this_update + u->o.no_next_update_ttl;
		e->refresh_at = nb->this_update + (e->expires - nb->this_update) / 2;
		/* the upstream may learn of the certificate any time: an unknown
		 * is asked again soon (when clients still ask for it) */
		if (nb->any_unknown && now + u->o.unknown_refresh < e->refresh_at)
			e->refresh_at = now + u->o.unknown_refresh;
		e->failures = 0;
		e->retry_at = 0;
		e->used = 0;
		u->st.fetches++;
	} else {
		e->failures++;
		e->retry_at = now + backoff(u, e->failures);
		u->st.failures++;
	}
	pthread_cond_broadcast(&u->done);
}

/* One CertID, no nonce: from the cache, or fetched once for everyone
 * (with no_wait, a fetch or a wait for another's is left pending). */
static ocspkit_err cached(rsp_answer *a, rsp_upstream *u, const rsp_ca *ca, const ocspkit_cert_id *id,
			  const uint8_t *der, size_t len, int64_t now, int no_wait)
{
	uint8_t key[RSP_CACHE_MAX_KEY];
	size_t key_len = rsp_cache_key(key, (size_t)(ca - u->o.cas), id);
	char t[OCSPKIT_TIME_STRING_SIZE];
	uentry *e;

	pthread_mutex_lock(&u->lock);
	for (;;) {
		rsp_lru_node *n = rsp_lru_find(&u->table, key, key_len);
		e = n ? rsp_lru_entry(n, uentry, node) : NULL;
		if (!e && no_wait) {
			pthread_mutex_unlock(&u->lock);
			return rsp_answer_defer(a, RSP_PENDING_FETCH);
		}
		if (!e) {
			if (!(e = calloc(1, sizeof(*e))) || !(e->req = malloc(len))) {
				free(e);
				pthread_mutex_unlock(&u->lock);
				return rsp_answer_fail(a, OCSPKIT_RESPONSE_INTERNAL_ERROR, OCSPKIT_OK, "out of memory");
			}
			memcpy(e->req, der, len);
			e->req_len = len;
			e->ca = ca;
			e->fetching = 1;
			if (!key_len || rsp_lru_insert(&u->table, &e->node, key, key_len) != OCSPKIT_OK) {
				free_entry(&e->node);
				pthread_mutex_unlock(&u->lock);
				return rsp_answer_fail(a, OCSPKIT_RESPONSE_INTERNAL_ERROR, OCSPKIT_OK, "serial number too long");
			}
			rsp_lru_evict(&u->table);
			break;
		}
		rsp_lru_touch(&u->table, &e->node);
		if (e->blob && now < e->expires) {
			e->used = 1;
			u->st.hits++;
			if (e->failures)
				u->st.stale_served++;
			rsp_answer_give(a, rsp_blob_ref(e->blob), RSP_ORIGIN_UPSTREAM_CACHE);
			a->cacheable = 1;
			pthread_mutex_unlock(&u->lock);
			return OCSPKIT_OK;
		}
		if (e->fetching && no_wait) {
			pthread_mutex_unlock(&u->lock);
			return rsp_answer_defer(a, RSP_PENDING_FETCH);
		}
		if (e->fetching) {
			pthread_cond_wait(&u->done, &u->lock);
			continue;
		}
		if (now < e->retry_at) {
			unsigned f = e->failures;
			int64_t r = e->retry_at;
			pthread_mutex_unlock(&u->lock);
			time_text(t, r);
			return rsp_answer_fail(a, OCSPKIT_RESPONSE_TRY_LATER, OCSPKIT_OK,
					       "no valid answer from upstream (%u failure%s); next try at %s", f,
					       f == 1 ? "" : "s", t);
		}
		if (no_wait) {
			pthread_mutex_unlock(&u->lock);
			return rsp_answer_defer(a, RSP_PENDING_FETCH);
		}
		e->fetching = 1;
		break;
	}
	/* e cannot be evicted while fetching, nor its request change */
	const uint8_t *req = e->req;
	size_t req_len = e->req_len;
	pthread_mutex_unlock(&u->lock);

	char why[400] = "";
	rsp_blob *nb = NULL;
	int ok = fetch_one(&nb, u, ca, req, req_len, now, why, sizeof(why)) == 0;

	pthread_mutex_lock(&u->lock);
	finish(u, e, ok ? rsp_blob_ref(nb) : NULL, now);
	pthread_mutex_unlock(&u->lock);
	if (!ok) {
		logf_(u, "upstream fetch for serial %s failed: %s", a->serial, why);
		return rsp_answer_fail(a, OCSPKIT_RESPONSE_TRY_LATER, OCSPKIT_OK, "%s", why);
	}
	rsp_answer_give(a, nb, RSP_ORIGIN_UPSTREAM);
	a->cacheable = 1;
	return OCSPKIT_OK;
}

ocspkit_err rsp_upstream_answer(rsp_answer *a, rsp_upstream *u, const uint8_t *der, size_t len, int64_t now,
				 unsigned flags)
{
	int no_wait = (flags & RSP_ANSWER_NO_WAIT) != 0;
	ocspkit_request *req = NULL;
	const rsp_ca *ca = NULL;
	ocspkit_err ret;

	if (!rsp_answer_begin(a, &req, &ret, der, len))
		return ret;
	size_t n = a->count;
	/* every CertID about one configured CA */
	for (size_t i = 0; i < n; i++) {
		const ocspkit_cert_id *id = &ocspkit_request_get_single(req, i)->cert_id;
		const rsp_ca *c = rsp_ca_find(u->o.cas, u->o.n_cas, id);
		if (!c || (ca && c != ca)) {
			rsp_answer_fail(a, OCSPKIT_RESPONSE_UNAUTHORIZED, OCSPKIT_OK, "request %zu is about a CA %s", i + 1,
					c ? "other than request 1's" : "this proxy does not serve");
			goto out;
		}
		ca = c;
	}
	if (n == 1 && !a->nonce) {
		ret = cached(a, u, ca, &ocspkit_request_get_single(req, 0)->cert_id, der, len, now, no_wait);
	} else if (no_wait) {
		ret = rsp_answer_defer(a, RSP_PENDING_FETCH);
	} else {
		/* passed through, not cached */
		char why[400] = "";
		rsp_blob *nb = NULL;
		pthread_mutex_lock(&u->lock);
		u->st.passed++;
		pthread_mutex_unlock(&u->lock);
		if (fetch_one(&nb, u, ca, der, len, now, why, sizeof(why)) != 0) {
			logf_(u, "upstream pass-through for serial %s failed: %s", a->serial, why);
			rsp_answer_fail(a, OCSPKIT_RESPONSE_TRY_LATER, OCSPKIT_OK, "%s", why);
			goto out;
		}
		rsp_answer_give(a, nb, RSP_ORIGIN_UPSTREAM);
	}
out:
	ocspkit_request_free(req);
	return ret;
}

/* ---------------------------------------------------------------- refresh */

size_t rsp_upstream_refresh(rsp_upstream *u, int64_t now)
{
	uentry *batch[REFRESH_BATCH];
	size_t done = 0;
	for (;;) {
		size_t n = 0;
		pthread_mutex_lock(&u->lock);
		for (rsp_lru_node *o = rsp_lru_oldest(&u->table); o && n < REFRESH_BATCH; o = rsp_lru_newer(&u->table, o)) {
			uentry *e = rsp_lru_entry(o, uentry, node);
			if (e->blob && e->used && !e->fetching && now >= e->refresh_at && now < e->expires &&
			    now >= e->retry_at) {
				e->fetching = 1;
				batch[n++] = e;
			}
		}
		pthread_mutex_unlock(&u->lock);
		if (n == 0)
			break;
		for (size_t i = 0; i < n; i++) {
			uentry *e = batch[i];
			char why[400] = "", serial[44] = "", t1[OCSPKIT_TIME_STRING_SIZE], t2[OCSPKIT_TIME_STRING_SIZE];
			rsp_blob *nb = NULL;
			ocspkit_request *req = NULL;
			if (ocspkit_request_decode(&req, e->req, e->req_len, OCSPKIT_DECODE_STRICT, NULL) == OCSPKIT_OK)
				util_serial_hex(serial, sizeof(serial), ocspkit_request_get_single(req, 0)->cert_id.serial);
			ocspkit_request_free(req);
			int ok = fetch_one(&nb, u, e->ca, e->req, e->req_len, now, why, sizeof(why)) == 0;
			pthread_mutex_lock(&u->lock);
			/* an upstream that went back in time (a stale cache of its
			 * own, a replay) does not replace a newer answer */
			if (ok && e->blob && nb->this_update < e->blob->this_update) {
				time_text(t1, nb->this_update);
				time_text(t2, e->blob->this_update);
				snprintf(why, sizeof(why), "the answer (thisUpdate %s) is older than the cached one (%s)", t1,
					 t2);
				rsp_blob_unref(nb);
				nb = NULL;
				ok = 0;
			}
			int64_t expires = e->expires, this_update = ok ? nb->this_update : 0;
			finish(u, e, ok ? nb : NULL, now);
			int64_t retry = e->retry_at, until = e->expires;
			pthread_mutex_unlock(&u->lock);
			if (ok) {
				done++;
				time_text(t1, this_update);
				time_text(t2, until);
				logf_(u, "refreshed serial %s from upstream: thisUpdate %s, serving until %s", serial, t1, t2);
			} else {
				time_text(t1, expires);
				time_text(t2, retry);
				logf_(u, "refresh of serial %s failed: %s; serving the cached answer until %s; retry at %s",
				      serial, why, t1, t2);
			}
		}
		if (n < REFRESH_BATCH)
			break;
	}
	return done;
}

static void *refresher(void *arg)
{
	rsp_upstream *u = arg;
	pthread_mutex_lock(&u->lock);
	while (!u->stopping) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&u->wake, &u->lock, &ts);
		if (u->stopping)
			break;
		pthread_mutex_unlock(&u->lock);
		rsp_upstream_refresh(u, (int64_t)time(NULL));
		pthread_mutex_lock(&u->lock);
	}
	pthread_mutex_unlock(&u->lock);
	return NULL;
}

int rsp_upstream_start(rsp_upstream *u)
{
	if (u->running)
		return 0;
	u->stopping = 0;
	if (pthread_create(&u->thread, NULL, refresher, u) != 0)
		return -1;
	u->running = 1;
	return 0;
}

void rsp_upstream_stop(rsp_upstream *u)
{
	if (!u->running)
		return;
	pthread_mutex_lock(&u->lock);
	u->stopping = 1;
	pthread_cond_broadcast(&u->wake);
	pthread_mutex_unlock(&u->lock);
	pthread_join(u->thread, NULL);
	u->running = 0;
}

/* ---------------------------------------------------------------- the answerer */

static ocspkit_err answer_op(void *self, rsp_answer *a, const uint8_t *der, size_t len, int64_t now,
			     unsigned flags)
{
	return rsp_upstream_answer(a, self, der, len, now, flags);
}

static void stats_op(void *self, char *out, size_t cap)
{
	rsp_upstream_stats us;
	rsp_upstream_get_stats(self, &us);
	snprintf(out, cap, ", upstream cache: %zu entries, %lu hits, %lu fetched, %lu failed, %lu passed through",
		 us.entries, us.hits, us.fetches, us.failures, us.passed);
}

static const rsp_answerer_ops proxy_ops = {
	.name = "proxy",
	.answer = answer_op,
	.stats = stats_op,
	.pools = RSP_POOL_FETCHING,
};

rsp_answerer rsp_upstream_answerer(rsp_upstream *u)
{
	return (rsp_answerer){ &proxy_ops, u };
}
