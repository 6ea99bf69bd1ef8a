/* The pre-signed response cache and response blobs (cache.h). */
#include <config.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "cache.h"
#include "common/util.h"

/* ---------------------------------------------------------------- blobs */

static const char *const wdays[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Howard Hinnant's civil_from_days: the proleptic Gregorian date of a day
 * number (days since 1970-01-01). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void rsp_http_date(char out[30], int64_t t)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), y;
	int64_t secs = t - days * 86400;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		/* not representable: the epoch rather than garbage */
		y = 1970, m = 1, d = 1, days = 0, secs = 0;
	}
	int wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "%s, %02u %s %04d %02d:%02d:%02d GMT", wdays[wday], d, months[m - 1], (int)y,
		 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
	memcpy(out, tmp, 30);
	out[29] = 0;
}

void rsp_blob_set_times(rsp_blob *b, int64_t this_update, int has_next_update, int64_t next_update)
{
	b->has_update = 1;
	b->this_update = this_update;
	b->has_next_update = has_next_update;
	b->next_update = next_update;
	rsp_http_date(b->http_this_update, this_update);
	if (has_next_update)
		rsp_http_date(b->http_next_update, next_update);
}


rsp_blob *rsp_blob_new(const uint8_t *der, size_t len)
{
	rsp_blob *b = malloc(sizeof(*b) + (len ? len : 1));
	if (!b)
		return NULL;
	memset(b, 0, sizeof(*b));
	uint8_t *copy = (uint8_t *)(b + 1);
	memcpy(copy, der, len);
	b->refs = 1;
	b->der = copy;
	b->len = len;
	/* a strong validator: 128 bits of SHA-256 of the exact bytes */
	struct sha256_ctx h;
	uint8_t d[SHA256_DIGEST_SIZE];
	static const char hexd[] = "0123456789abcdef";
	sha256_init(&h);
	sha256_update(&h, len, der);
	sha256_digest(&h, sizeof(d), d);
	b->etag[0] = '"';
	for (size_t i = 0; i < 16; i++) {
		b->etag[1 + 2 * i] = hexd[d[i] >> 4];
		b->etag[2 + 2 * i] = hexd[d[i] & 15];
	}
	b->etag[33] = '"';
	b->etag[34] = 0;
	return b;
}

/* OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED } */
static const uint8_t error_der[][5] = {
	{ 0x30, 0x03, 0x0A, 0x01, 1 }, { 0x30, 0x03, 0x0A, 0x01, 2 }, { 0x30, 0x03, 0x0A, 0x01, 3 },
	{ 0x30, 0x03, 0x0A, 0x01, 5 }, { 0x30, 0x03, 0x0A, 0x01, 6 },
};
#define ERROR_BLOB(i, s) { .refs = -1, .der = error_der[i], .len = 5, .status = s }
static rsp_blob error_blobs[] = {
	ERROR_BLOB(0, OCSPKIT_RESPONSE_MALFORMED_REQUEST), ERROR_BLOB(1, OCSPKIT_RESPONSE_INTERNAL_ERROR),
	ERROR_BLOB(2, OCSPKIT_RESPONSE_TRY_LATER), ERROR_BLOB(3, OCSPKIT_RESPONSE_SIG_REQUIRED),
	ERROR_BLOB(4, OCSPKIT_RESPONSE_UNAUTHORIZED),
};

rsp_blob *rsp_blob_error(ocspkit_response_status status)
{
	for (size_t i = 0; i < sizeof(error_blobs) / sizeof(error_blobs[0]); i++)
		if (error_blobs[i].status == status)
			return &error_blobs[i];
	return &error_blobs[1]; /* internalError */
}

rsp_blob *rsp_blob_ref(rsp_blob *b)
{
	if (b && b->refs >= 0)
		__atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
	return b;
}

void rsp_blob_unref(rsp_blob *b)
{
	if (b && b->refs >= 0 && __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0)
		free(b);
}

/* ---------------------------------------------------------------- cache */

typedef struct entry {
	struct entry *hnext;            /* hash chain */
	struct entry *prev, *next;      /* LRU list, most recent at the tail */
	uint64_t hash;
	rsp_blob *blob;                /* NULL until first signed */
	int signing;
	int64_t refresh_asked;          /* NO_WAIT: when a caller was told to refresh it */
	size_t tag_len;
	uint8_t tag[RSP_CACHE_MAX_TAG];
	size_t key_len;
	uint8_t key[RSP_CACHE_MAX_KEY];
} entry;

struct rsp_cache {
	pthread_mutex_t lock;
	pthread_cond_t done;
	entry **buckets;
	size_t nbuckets, count, capacity;
	entry lru; /* sentinel */
	rsp_cache_stats st;
};

ocspkit_err rsp_cache_new(rsp_cache **out, size_t capacity)
{
	rsp_cache *c = calloc(1, sizeof(*c));
	*out = NULL;
	if (!c)
		return OCSPKIT_E_NO_MEMORY;
	c->capacity = capacity ? capacity : 1;
	c->nbuckets = 256;
	if (!(c->buckets = calloc(c->nbuckets, sizeof(*c->buckets)))) {
		free(c);
		return OCSPKIT_E_NO_MEMORY;
	}
	c->lru.prev = c->lru.next = &c->lru;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->done, NULL);
	*out = c;
	return OCSPKIT_OK;
}

void rsp_cache_free(rsp_cache *c)
{
	if (!c)
		return;
	for (entry *e = c->lru.next, *n; e != &c->lru; e = n) {
		n = e->next;
		rsp_blob_unref(e->blob);
		free(e);
	}
	pthread_cond_destroy(&c->done);
	pthread_mutex_destroy(&c->lock);
	free(c->buckets);
	free(c);
}

static void lru_unlink(entry *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
}

static void lru_append(rsp_cache *c, entry *e)
{
	e->prev = c->lru.prev;
	e->next = &c->lru;
	c->lru.prev->next = e;
	c->lru.prev = e;
}

static entry *find(rsp_cache *c, uint64_t h, const uint8_t *key, size_t key_len)
{
	for (entry *e = c->buckets[h & (c->nbuckets - 1)]; e; e = e->hnext)
		if (e->hash == h && e->key_len == key_len && memcmp(e->key, key, key_len) == 0)
			return e;
	return NULL;
}

static void unhash(rsp_cache *c, entry *e)
{
	entry **p = &c->buckets[e->hash & (c->nbuckets - 1)];
	while (*p != e)
		p = &(*p)->hnext;
	*p = e->hnext;
}

static void grow(rsp_cache *c)
{
	size_t n = c->nbuckets * 2;
	entry **nb = calloc(n, sizeof(*nb));
	if (!nb)
		return; /* longer chains, still correct */
	for (size_t i = 0; i < c->nbuckets; i++) {
		for (entry *e = c->buckets[i], *next; e; e = next) {
			next = e->hnext;
			e->hnext = nb[e->hash & (n - 1)];
			nb[e->hash & (n - 1)] = e;
		}
	}
	free(c->buckets);
	c->buckets = nb;
	c->nbuckets = n;
}

static void evict(rsp_cache *c)
{
	for (entry *e = c->lru.next, *n; e != &c->lru && c->count > c->capacity; e = n) {
		n = e->next;
		if (e->signing)
			continue;
		lru_unlink(e);
		unhash(c, e);
		rsp_blob_unref(e->blob);
		free(e);
		c->count--;
		c->st.evictions++;
	}
}

static int64_t refresh_time(const rsp_blob *b)
{
	if (b->has_next_update && b->next_update > b->this_update)
		return b->this_update + (b->next_update - b->this_update) / 2;
	return b->this_update + RSP_CACHE_REFRESH_NO_NEXT;
}

ocspkit_err rsp_cache_get(rsp_cache *c, const uint8_t *key, size_t key_len, const uint8_t *tag, size_t tag_len,
			   int64_t now, unsigned flags, rsp_cache_fill_fn fill, void *ctx, rsp_blob **out,
			   rsp_cache_outcome *how)
{
	uint64_t h = util_fnv1a(key, key_len);
	rsp_cache_outcome dummy;
	entry *e;
	int waited = 0;

	*out = NULL;
	if (!how)
		how = &dummy;
	*how = RSP_CACHE_WOULD_BLOCK;
	if (key_len > RSP_CACHE_MAX_KEY || tag_len > RSP_CACHE_MAX_TAG)
		return OCSPKIT_E_INVALID_ARGUMENT;
	pthread_mutex_lock(&c->lock);
	for (;;) {
		e = find(c, h, key, key_len);
		if (!e) {
			if (flags & RSP_CACHE_NO_WAIT) {
				pthread_mutex_unlock(&c->lock);
				return OCSPKIT_OK;
			}
			if (!(e = calloc(1, sizeof(*e)))) {
				pthread_mutex_unlock(&c->lock);
				return OCSPKIT_E_NO_MEMORY;
			}
			e->hash = h;
			e->key_len = key_len;
			memcpy(e->key, key, key_len);
			e->hnext = c->buckets[h & (c->nbuckets - 1)];
			c->buckets[h & (c->nbuckets - 1)] = e;
			lru_append(c, e);
			c->count++;
			if (c->count > c->nbuckets)
				grow(c);
			e->signing = 1;
			evict(c);
			break;
		}
		rsp_blob *b = e->blob;
		int valid = b && e->tag_len == tag_len && memcmp(e->tag, tag, tag_len) == 0 &&
			    (!b->has_next_update || now < b->next_update);
		int due = valid && now >= refresh_time(b);
		if (valid && (!due || e->signing || (flags & RSP_CACHE_NO_WAIT))) {
			/* fresh, or being refreshed by another caller while it is
			 * still valid, or asked by one that must not sign */
			*how = RSP_CACHE_HIT;
			if (due && !e->signing && now >= e->refresh_asked + RSP_CACHE_REFRESH_RETRY) {
				e->refresh_asked = now;
				*how = RSP_CACHE_HIT_DUE;
			}
			*out = rsp_blob_ref(b);
			lru_unlink(e);
			lru_append(c, e);
			c->st.hits++;
			pthread_mutex_unlock(&c->lock);
			return OCSPKIT_OK;
		}
		if (flags & RSP_CACHE_NO_WAIT) {
			pthread_mutex_unlock(&c->lock);
			return OCSPKIT_OK;
		}
		if (!e->signing) {
			e->signing = 1;
			break;
		}
		if (!waited)
			c->st.waits++;
		waited = 1;
		pthread_cond_wait(&c->done, &c->lock);
	}
	pthread_mutex_unlock(&c->lock);

	/* signing, outside the lock; e cannot be evicted meanwhile */
	rsp_blob *nb = NULL;
	ocspkit_err err = fill(ctx, &nb);

	pthread_mutex_lock(&c->lock);
	e->signing = 0;
	if (err == OCSPKIT_OK) {
		rsp_blob_unref(e->blob);
		e->blob = rsp_blob_ref(nb);
		e->tag_len = tag_len;
		memcpy(e->tag, tag, tag_len);
		e->refresh_asked = 0;
		c->st.fills++;
		*out = nb;
		*how = RSP_CACHE_SIGNED;
	}
	evict(c);
	pthread_cond_broadcast(&c->done);
	pthread_mutex_unlock(&c->lock);
	return err;
}

void rsp_cache_get_stats(rsp_cache *c, rsp_cache_stats *st)
{
	pthread_mutex_lock(&c->lock);
	*st = c->st;
	st->entries = c->count;
	pthread_mutex_unlock(&c->lock);
}
