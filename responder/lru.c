/* The bounded LRU hash table (lru.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "lru.h"

ocspkit_err rsp_lru_init(rsp_lru *t, size_t capacity, void (*free_entry)(rsp_lru_node *n),
			  int (*may_evict)(const rsp_lru_node *n))
{
	memset(t, 0, sizeof(*t));
	t->capacity = capacity ? capacity : 1;
	t->free_entry = free_entry;
	t->may_evict = may_evict;
	t->nbuckets = 256;
	if (!(t->buckets = calloc(t->nbuckets, sizeof(*t->buckets))))
		return OCSPKIT_E_NO_MEMORY;
	t->order.prev = t->order.next = &t->order;
	return OCSPKIT_OK;
}

void rsp_lru_clear(rsp_lru *t)
{
	if (!t->buckets)
		return;
	for (rsp_lru_node *n = t->order.next, *next; n != &t->order; n = next) {
		next = n->next;
		t->free_entry(n);
	}
	free(t->buckets);
	memset(t, 0, sizeof(*t));
}

static rsp_lru_node **bucket(const rsp_lru *t, uint64_t hash)
{
	return &t->buckets[hash & (t->nbuckets - 1)];
}

rsp_lru_node *rsp_lru_find(const rsp_lru *t, const uint8_t *key, size_t key_len)
{
	uint64_t h = util_fnv1a(key, key_len);
	for (rsp_lru_node *n = *bucket(t, h); n; n = n->hnext)
		if (n->hash == h && n->key_len == key_len && memcmp(n->key, key, key_len) == 0)
			return n;
	return NULL;
}

static void unlink_order(rsp_lru_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
}

static void append_order(rsp_lru *t, rsp_lru_node *n)
{
	n->prev = t->order.prev;
	n->next = &t->order;
	t->order.prev->next = n;
	t->order.prev = n;
}

/* Twice the buckets once there are more entries than buckets; without
 * memory for that, chains get longer and lookups stay correct. */
static void grow(rsp_lru *t)
{
	size_t n = t->nbuckets * 2;
	rsp_lru_node **nb = calloc(n, sizeof(*nb));
	if (!nb)
		return;
	for (size_t i = 0; i < t->nbuckets; i++) {
		for (rsp_lru_node *e = t->buckets[i], *next; e; e = next) {
			next = e->hnext;
			e->hnext = nb[e->hash & (n - 1)];
			nb[e->hash & (n - 1)] = e;
		}
	}
	free(t->buckets);
	t->buckets = nb;
	t->nbuckets = n;
}

ocspkit_err rsp_lru_insert(rsp_lru *t, rsp_lru_node *n, const uint8_t *key, size_t key_len)
{
	if (key_len > RSP_LRU_MAX_KEY)
		return OCSPKIT_E_INVALID_ARGUMENT;
	n->hash = util_fnv1a(key, key_len);
	n->key_len = key_len;
	memcpy(n->key, key, key_len);
	n->hnext = *bucket(t, n->hash);
	*bucket(t, n->hash) = n;
	append_order(t, n);
	if (++t->count > t->nbuckets)
		grow(t);
	return OCSPKIT_OK;
}

void rsp_lru_touch(rsp_lru *t, rsp_lru_node *n)
{
	unlink_order(n);
	append_order(t, n);
}

void rsp_lru_evict(rsp_lru *t)
{
	for (rsp_lru_node *n = t->order.next, *next; n != &t->order && t->count > t->capacity; n = next) {
		next = n->next;
		if (t->may_evict && !t->may_evict(n))
			continue;
		unlink_order(n);
		rsp_lru_node **p = bucket(t, n->hash);
		while (*p != n)
			p = &(*p)->hnext;
		*p = n->hnext;
		t->count--;
		t->evictions++;
		t->free_entry(n);
	}
}

rsp_lru_node *rsp_lru_oldest(const rsp_lru *t)
{
	return t->order.next == &t->order ? NULL : t->order.next;
}

rsp_lru_node *rsp_lru_newer(const rsp_lru *t, const rsp_lru_node *n)
{
	return n->next == &t->order ? NULL : n->next;
}
