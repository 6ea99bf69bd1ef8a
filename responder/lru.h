/* A bounded hash table that forgets the least recently used entry: the
 * one structure under the responder's two caches, the pre-signed
 * responses (cache.c) and the caching proxy's upstream answers
 * (upstream.c).  docs/internals/CACHE.md describes both.
 *
 * Entries are the caller's own structs with an rsp_lru_node inside
 * (rsp_lru_entry finds the struct again); the table links them, keeps
 * their keys (at most RSP_LRU_MAX_KEY octets) and frees them through the
 * free_entry function it was given, but never allocates one: a caller
 * can build an entry completely before it is seen.
 *
 * The table holds at most `capacity` entries, plus those that may not be
 * evicted yet: rsp_lru_evict skips an entry for which the may_evict
 * function says 0 (a response being signed, an answer being fetched: a
 * thread works on it outside the lock) and evicts it on a later call.
 * So requests for ever new keys cannot grow memory, only replace entries.
 *
 * Not thread-safe: the caller's lock covers every call, and an entry
 * found stays valid until that lock is released, or longer while
 * may_evict says 0 for it.
 */
#ifndef RSP_LRU_H
#define RSP_LRU_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

/* Longest key: a cache key is 4 octets and a serial number. */
#define RSP_LRU_MAX_KEY (4 + OCSPKIT_MAX_SERIAL_SIZE)

typedef struct rsp_lru_node {
	struct rsp_lru_node *hnext;       /* hash chain */
	struct rsp_lru_node *prev, *next; /* use order, the least recent first */
	uint64_t hash;
	size_t key_len;
	uint8_t key[RSP_LRU_MAX_KEY];
} rsp_lru_node;

/* The struct of type `type` whose rsp_lru_node member `member` is at n. */
#define rsp_lru_entry(n, type, member) ((type *)(void *)((char *)(n) - offsetof(type, member)))

typedef struct {
	rsp_lru_node **buckets;
	size_t nbuckets, count, capacity;
	rsp_lru_node order;               /* sentinel of the use-order list */
	void (*free_entry)(rsp_lru_node *n);
	int (*may_evict)(const rsp_lru_node *n);
	unsigned long evictions;
} rsp_lru;

/* rsp_lru_init sets up an empty table for at most capacity (>= 1)
 * evictable entries.  free_entry frees an entry the table drops (on
 * eviction and in rsp_lru_clear); may_evict (NULL: every entry may go)
 * says whether an entry may be evicted now.  OCSPKIT_E_NO_MEMORY, or
 * OCSPKIT_OK. */
OCSPKIT_WUR ocspkit_err rsp_lru_init(rsp_lru *t, size_t capacity, void (*free_entry)(rsp_lru_node *n),
				     int (*may_evict)(const rsp_lru_node *n));
/* rsp_lru_clear frees every entry (may_evict is not asked: nobody may be
 * working on one any more) and the table's own memory. */
void rsp_lru_clear(rsp_lru *t);

/* rsp_lru_find returns the entry of key, or NULL.  It does not change the
 * use order (rsp_lru_touch does, for a lookup that counts as a use). */
rsp_lru_node *rsp_lru_find(const rsp_lru *t, const uint8_t *key, size_t key_len);
/* rsp_lru_insert adds n under key (which must not be in the table, and
 * have at most RSP_LRU_MAX_KEY octets: OCSPKIT_E_INVALID_ARGUMENT
 * otherwise) as the most recently used entry.  The table takes n over.
 * It does not evict: call rsp_lru_evict once the new entry is marked as
 * not evictable, if it must not go at once. */
OCSPKIT_WUR ocspkit_err rsp_lru_insert(rsp_lru *t, rsp_lru_node *n, const uint8_t *key, size_t key_len);
/* rsp_lru_touch makes n the most recently used entry. */
void rsp_lru_touch(rsp_lru *t, rsp_lru_node *n);
/* rsp_lru_evict frees least recently used entries that may go until the
 * table holds at most its capacity (or none that may go is left). */
void rsp_lru_evict(rsp_lru *t);

/* The entries in use order: rsp_lru_oldest is the least recently used
 * entry (NULL when empty), rsp_lru_newer the next more recent one after n
 * (NULL after the most recent). */
rsp_lru_node *rsp_lru_oldest(const rsp_lru *t);
rsp_lru_node *rsp_lru_newer(const rsp_lru *t, const rsp_lru_node *n);

#endif
