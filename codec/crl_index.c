/* The serial index of a CRL; see crl_index.h. */
#include <config.h>

#include <string.h>

#include "crl_index.h"

unsigned okit_crl_index_bits(size_t n)
{
	unsigned bits = 0;
	while (bits < 24 && ((size_t)4 << bits) < n)
		bits++;
	return bits;
}

static inline uint64_t mix(uint64_t h)
{
	h ^= h >> 31;
	h *= 0x7fb5d329728ea185ULL;
	h ^= h >> 27;
	h *= 0x81dadef4bc2dd44dULL;
	h ^= h >> 33;
	return h;
}

uint32_t okit_serial_hash(const uint8_t *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;
	/* eight octets at a time, big-endian so that the hash does not depend
	 * on the machine */
	for (; n >= 8; p += 8, n -= 8) {
		w = (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 | (uint64_t)p[2] << 40 | (uint64_t)p[3] << 32 |
		    (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 | (uint64_t)p[6] << 8 | p[7];
		h = mix(h ^ w);
	}
	w = 0;
	for (size_t i = 0; i < n; i++)
		w = w << 8 | p[i];
	h = mix(h ^ w ^ (uint64_t)n << 60);
	return (uint32_t)(h >> 32);
}

int okit_serial_cmp(ocspkit_bytes a, ocspkit_bytes b)
{
	if (a.len != b.len)
		return a.len < b.len ? -1 : 1;
	return a.len ? memcmp(a.data, b.data, a.len) : 0;
}

static inline size_t bucket_of(const okit_crl_index *ix, uint32_t hash)
{
	return ix->bits ? hash >> (32 - ix->bits) : 0;
}

/* The order of the slots: hash, then serial, then position (so that the
 * entries of one serial stay in the order of the CRL).  Serials are read
 * only when hashes are equal. */
static inline int slot_less(const okit_crl_index *ix, const okit_crl_slot *a, const okit_crl_slot *b)
{
	if (a->hash != b->hash)
		return a->hash < b->hash;
	int c = okit_serial_cmp(ix->serial(ix->arg, a->idx), ix->serial(ix->arg, b->idx));
	return c ? c < 0 : a->idx < b->idx;
}

static void sift_down(const okit_crl_index *ix, okit_crl_slot *s, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && slot_less(ix, &s[child], &s[child + 1]))
			child++;
		if (!slot_less(ix, &s[root], &s[child]))
			return;
		okit_crl_slot t = s[root];
		s[root] = s[child];
		s[child] = t;
		root = child;
	}
}

/* A bucket holds a few slots (insertion sort) unless the hashes of many
 * serials fell into it, by chance or on purpose (heapsort: O(n log n) at
 * worst, in place). */
static void sort_bucket(const okit_crl_index *ix, okit_crl_slot *s, size_t n)
{
	if (n <= 16) {
		for (size_t i = 1; i < n; i++) {
			okit_crl_slot t = s[i];
			size_t j = i;
			while (j > 0 && slot_less(ix, &t, &s[j - 1])) {
				s[j] = s[j - 1];
				j--;
			}
			s[j] = t;
		}
		return;
	}
	for (size_t i = n / 2; i-- > 0;)
		sift_down(ix, s, i, n);
	for (size_t end = n; end-- > 1;) {
		okit_crl_slot t = s[0];
		s[0] = s[end];
		s[end] = t;
		sift_down(ix, s, 0, end);
	}
}

void okit_crl_index_build(okit_crl_index *ix, const okit_crl_slot *in)
{
	size_t buckets = (size_t)1 << ix->bits;
	uint32_t *st = ix->starts;

	/* counts, then the end of each bucket; filling from the last slot
	 * down leaves each start in place and each bucket in input order */
	memset(st, 0, (buckets + 1) * sizeof(*st));
	for (size_t i = 0; i < ix->n; i++)
		st[bucket_of(ix, in[i].hash)]++;
	for (size_t b = 1; b < buckets; b++)
		st[b] += st[b - 1];
	for (size_t i = ix->n; i-- > 0;)
		ix->slots[--st[bucket_of(ix, in[i].hash)]] = in[i];
	st[buckets] = (uint32_t)ix->n;
	for (size_t b = 0; b < buckets; b++)
		sort_bucket(ix, ix->slots + st[b], st[b + 1] - st[b]);
}

size_t okit_crl_index_find(const okit_crl_index *ix, ocspkit_bytes serial, uint32_t hash)
{
	if (ix->n == 0)
		return ix->n;
	size_t b = bucket_of(ix, hash), lo = ix->starts[b], hi = ix->starts[b + 1];
	/* the first slot not below (hash, serial) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const okit_crl_slot *s = &ix->slots[mid];
		int below = s->hash != hash ? s->hash < hash : okit_serial_cmp(ix->serial(ix->arg, s->idx), serial) < 0;
		if (below)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ix->starts[b + 1] && ix->slots[lo].hash == hash &&
	    okit_serial_cmp(ix->serial(ix->arg, ix->slots[lo].idx), serial) == 0)
		return lo;
	return ix->n;
}
