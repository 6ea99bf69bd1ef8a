/* Unit tests of responder/lru.c, the table under both caches: lookups by
 * key, the use order, eviction of the least recently used entry down to
 * the capacity, entries that may not be evicted yet (kept, and evicted
 * once they may), growth far past the first buckets, and every entry
 * freed exactly once. */
#include <config.h>

#include "tests/lib/check.h"
#include "responder/lru.h"

typedef struct {
	int value;
	int busy;             /* may not be evicted */
	rsp_lru_node node;    /* not first: rsp_lru_entry finds the struct */
} item;

static int freed;

static void free_item(rsp_lru_node *n)
{
	freed++;
	free(rsp_lru_entry(n, item, node));
}

static int not_busy(const rsp_lru_node *n)
{
	return !rsp_lru_entry(n, item, node)->busy;
}

static item *add(rsp_lru *t, const char *key, int value)
{
	item *it = calloc(1, sizeof(*it));
	if (!it)
		abort();
	it->value = value;
	CHECK_OK(rsp_lru_insert(t, &it->node, (const uint8_t *)key, strlen(key)));
	return it;
}

static int value_of(const rsp_lru *t, const char *key)
{
	rsp_lru_node *n = rsp_lru_find(t, (const uint8_t *)key, strlen(key));
	return n ? rsp_lru_entry(n, item, node)->value : -1;
}

/* The values in use order, least recent first, as digits. */
static void order(const rsp_lru *t, char *out, size_t cap)
{
	size_t o = 0;
	for (rsp_lru_node *n = rsp_lru_oldest(t); n && o + 1 < cap; n = rsp_lru_newer(t, n))
		out[o++] = (char)('0' + rsp_lru_entry(n, item, node)->value);
	out[o] = 0;
}

static void test_order_and_eviction(void)
{
	rsp_lru t;
	char seen[16];
	CHECK_OK(rsp_lru_init(&t, 3, free_item, not_busy));
	CHECK(rsp_lru_oldest(&t) == NULL && value_of(&t, "a") == -1);
	add(&t, "a", 1);
	add(&t, "b", 2);
	add(&t, "c", 3);
	rsp_lru_evict(&t);
	CHECK(t.count == 3 && freed == 0);
	/* a lookup alone is not a use; a touch is */
	CHECK(value_of(&t, "a") == 1);
	order(&t, seen, sizeof(seen));
	CHECK(strcmp(seen, "123") == 0);
	rsp_lru_touch(&t, rsp_lru_find(&t, (const uint8_t *)"a", 1));
	order(&t, seen, sizeof(seen));
	CHECK(strcmp(seen, "231") == 0);
	/* over capacity: the least recently used goes */
	add(&t, "d", 4);
	rsp_lru_evict(&t);
	CHECK(t.count == 3 && freed == 1 && t.evictions == 1 && value_of(&t, "b") == -1);
	/* one that may not go is skipped, and goes once it may */
	item *c = rsp_lru_entry(rsp_lru_find(&t, (const uint8_t *)"c", 1), item, node);
	c->busy = 1;
	add(&t, "e", 5);
	rsp_lru_evict(&t);
	CHECK(t.count == 3 && value_of(&t, "c") == 3 && value_of(&t, "a") == -1);
	c->busy = 1;
	add(&t, "f", 6);
	item *d = rsp_lru_entry(rsp_lru_find(&t, (const uint8_t *)"d", 1), item, node);
	d->busy = 1;
	rsp_lru_evict(&t);
	/* c and d busy, e the only one that may go */
	CHECK(t.count == 3 && value_of(&t, "e") == -1);
	add(&t, "g", 7);
	rsp_lru_evict(&t);
	CHECK(t.count == 3 && value_of(&t, "f") == -1 && value_of(&t, "g") == 7);
	/* every entry busy, the new one too (as the caches insert theirs):
	 * above the capacity for now, and back to it once some may go */
	rsp_lru_entry(rsp_lru_find(&t, (const uint8_t *)"g", 1), item, node)->busy = 1;
	item *h = add(&t, "h", 8);
	h->busy = 1;
	rsp_lru_evict(&t);
	CHECK(t.count == 4 && value_of(&t, "h") == 8);
	c->busy = d->busy = 0;
	rsp_lru_evict(&t);
	CHECK(t.count == 3 && value_of(&t, "c") == -1 && value_of(&t, "d") == 4);
	order(&t, seen, sizeof(seen));
	CHECK(strcmp(seen, "478") == 0);
	/* keys too long are refused */
	uint8_t big[RSP_LRU_MAX_KEY + 1];
	item spare;
	memset(big, 'k', sizeof(big));
	CHECK_ERR(rsp_lru_insert(&t, &spare.node, big, sizeof(big)), OCSPKIT_E_INVALID_ARGUMENT);
	int before = freed;
	size_t left = t.count;
	rsp_lru_clear(&t);
	CHECK(freed == before + (int)left);
}

static void test_growth(void)
{
	rsp_lru t;
	char key[16];
	int ok = 1;
	freed = 0;
	CHECK_OK(rsp_lru_init(&t, 5000, free_item, NULL));
	for (int i = 0; i < 6000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		add(&t, key, i % 10);
		rsp_lru_evict(&t);
	}
	CHECK(t.count == 5000 && freed == 1000 && t.nbuckets >= 4096);
	for (int i = 0; i < 6000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		ok &= value_of(&t, key) == (i < 1000 ? -1 : i % 10);
	}
	CHECK(ok);
	rsp_lru_clear(&t);
	CHECK(freed == 6000);
}

int main(void)
{
	test_order_and_eviction();
	test_growth();
	CHECK_DONE();
}
