/* The serial index of a decoded CRL: find an entry by serial number in
 * O(1) on average and O(log n) at worst, in 8 octets per entry plus a
 * bucket table of about 1 octet per entry (docs/internals/crl.md).
 *
 * An entry is a slot {hash of its serial, its position in the CRL}.  The
 * slots are sorted by (hash, serial, position): a bucket sort on the top
 * bits of the hash, then each bucket sorted on its own.  A lookup hashes
 * the serial, goes to its bucket (a few slots) and searches it; slots
 * whose hashes are equal are told apart by comparing the serials, so
 * colliding hashes cost comparisons, never a wrong answer, and a bucket
 * made large on purpose is still searched in O(log n). */
#ifndef OCSPKIT_CRL_INDEX_H
#define OCSPKIT_CRL_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include <ocspkit/ocsp.h>

typedef struct {
	uint32_t hash;
	uint32_t idx; /* the entry's position in revokedCertificates */
} okit_crl_slot;

/* Returns the serial number (minimal INTEGER content octets) of entry idx:
 * how the index compares entries whose hashes are equal. */
typedef ocspkit_bytes (*okit_serial_fn)(const void *arg, uint32_t idx);

typedef struct {
	okit_crl_slot *slots; /* n, sorted */
	uint32_t *starts;     /* bucket b holds slots [starts[b], starts[b + 1]) */
	unsigned bits;        /* 1 << bits buckets, chosen by the top bits of the hash */
	size_t n;
	okit_serial_fn serial;
	const void *arg;
} okit_crl_index;

/* okit_crl_index_bits returns the number of hash bits the buckets of an
 * index of n entries use: about four entries per bucket. */
unsigned okit_crl_index_bits(size_t n);

/* okit_serial_hash returns the hash of the len octets of a serial number.
 * Not keyed: a CRL whose serials collide on purpose makes its index
 * slower to build and search (O(n log n), O(log n)), not wrong. */
uint32_t okit_serial_hash(const uint8_t *serial, size_t len);

/* okit_serial_cmp orders serial numbers (minimal content octets): by
 * length, then octet by octet.  Returns <0, 0 or >0. */
int okit_serial_cmp(ocspkit_bytes a, ocspkit_bytes b);

/* okit_crl_index_build sorts the n slots of in (in any order) into
 * ix->slots and fills ix->starts, both of which the caller allocated (n
 * slots, (1 << ix->bits) + 1 starts) with ix->bits, ix->n, ix->serial and
 * ix->arg set.  No allocation. */
void okit_crl_index_build(okit_crl_index *ix, const okit_crl_slot *in);

/* okit_crl_index_find returns the position in ix->slots of the first slot
 * of the entries whose serial is serial (hash its okit_serial_hash), or
 * ix->n when there is none.  The entries with that serial are the slots
 * from there on whose serial is equal, in the order of the CRL. */
size_t okit_crl_index_find(const okit_crl_index *ix, ocspkit_bytes serial, uint32_t hash);

#endif
