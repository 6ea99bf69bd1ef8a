/* The pre-signed response cache (cache.h). */
#include <config.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"

typedef struct entry {
	rsp_lru_node node;
	rsp_blob *blob;                /* NULL until first signed */
	int signing;                   /* not evictable meanwhile */
	int64_t refresh_asked;          /* NO_WAIT: when a caller was told to refresh it */
	size_t tag_len;
	uint8_t tag[RSP_CACHE_MAX_TAG];
} entry;

struct rsp_cache {
	pthread_mutex_t lock;
	pthread_cond_t done;
	rsp_lru table;
	rsp_cache_stats st;
};

static void free_entry(rsp_lru_node *n)
{
	entry *e = rsp_lru_entry(n, entry, node);
	rsp_blob_unref(e->blob);
	free(e);
}

static int may_evict(const rsp_lru_node *n)
{
	return !rsp_lru_entry(n, entry, node)->signing;
}

ocspkit_err rsp_cache_new(rsp_cache **out, size_t capacity)
{
	rsp_cache *c = calloc(1, sizeof(*c));
	*out = NULL;
	if (!c)
		return OCSPKIT_E_NO_MEMORY;
	if (rsp_lru_init(&c->table, capacity, free_entry, may_evict) != OCSPKIT_OK) {
		free(c);
		return OCSPKIT_E_NO_MEMORY;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->done, NULL);
	*out = c;
	return OCSPKIT_OK;
}

void rsp_cache_free(rsp_cache *c)
{
	if (!c)
		return;
	rsp_lru_clear(&c->table);
	pthread_cond_destroy(&c->done);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

size_t rsp_cache_key(uint8_t out[RSP_CACHE_MAX_KEY], size_t ca_index, const ocspkit_cert_id *id)
{
	if (4 + id->serial.len > RSP_CACHE_MAX_KEY)
		return 0;
	out[0] = (uint8_t)(ca_index >> 8);
	out[1] = (uint8_t)ca_index;
	out[2] = (uint8_t)id->hash;
	out[3] = id->hash_algorithm.params.len != 0;
	memcpy(out + 4, id->serial.data, id->serial.len);
	return 4 + id->serial.len;
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
	rsp_cache_outcome dummy;
	entry *e;
	int waited = 0;

	*out = NULL;
	if (!how)
		how = &dummy;
	*how = RSP_CACHE_WOULD_BLOCK;
	if (!key_len || key_len > RSP_CACHE_MAX_KEY || tag_len > RSP_CACHE_MAX_TAG)
		return OCSPKIT_E_INVALID_ARGUMENT;
	pthread_mutex_lock(&c->lock);
	for (;;) {
		rsp_lru_node *n = rsp_lru_find(&c->table, key, key_len);
		e = n ? rsp_lru_entry(n, entry, node) : NULL;
		if (!e) {
			if (flags & RSP_CACHE_NO_WAIT) {
				pthread_mutex_unlock(&c->lock);
				return OCSPKIT_OK;
			}
			if (!(e = calloc(1, sizeof(*e)))) {
				pthread_mutex_unlock(&c->lock);
				return OCSPKIT_E_NO_MEMORY;
			}
			e->signing = 1;
			if (rsp_lru_insert(&c->table, &e->node, key, key_len) != OCSPKIT_OK) {
				free(e);
				pthread_mutex_unlock(&c->lock);
				return OCSPKIT_E_INVALID_ARGUMENT;
			}
			rsp_lru_evict(&c->table);
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
			rsp_lru_touch(&c->table, &e->node);
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
	rsp_lru_evict(&c->table);
	pthread_cond_broadcast(&c->done);
	pthread_mutex_unlock(&c->lock);
	return err;
}

void rsp_cache_get_stats(rsp_cache *c, rsp_cache_stats *st)
{
	pthread_mutex_lock(&c->lock);
	*st = c->st;
	st->entries = c->table.count;
	st->evictions = c->table.evictions;
	pthread_mutex_unlock(&c->lock);
}
