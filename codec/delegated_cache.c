/* The cache of verified delegated responder certificates; see
 * delegated_cache.h.
 *
 * An entry is found by a 64-bit tag computed from the certificate's last
 * octets (its signature) and confirmed by comparing the whole certificate
 * and the CA's name and public key: a collision of tags costs a memcmp,
 * never a wrong answer.  Entries are immutable and reference-counted; the
 * lock is held only to look up, insert and evict (least recently used). */
#include <config.h>

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <ocspkit/x509.h>
#include <ocspkit/crypto.h>
#include <ocspkit/validate.h>

#include "alloc.h"
#include "bytes.h"
#include "delegated_cache.h"

struct slot {
	okit_delegated *r;
	uint64_t used;
};

struct ocspkit_responder_cache {
	pthread_mutex_t lock;
	size_t cap, count;
	uint64_t clock;
	unsigned long hits;
	uint64_t *tags; /* scanned first: contiguous */
	struct slot *slots;
};

static uint64_t tag_of(ocspkit_bytes der)
{
	/* FNV-1a over the length and the last 32 octets */
	uint64_t h = 0xcbf29ce484222325ull ^ der.len;
	size_t n = der.len < 32 ? der.len : 32;
	const uint8_t *p = der.data + der.len - n;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

ocspkit_err ocspkit_responder_cache_new(ocspkit_responder_cache **out, size_t capacity)
{
	ocspkit_responder_cache *c;
	if (!out)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*out = NULL;
	if (capacity == 0 || capacity > OCSPKIT_MAX_CACHE_ENTRIES)
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (!(c = okit_calloc(1, sizeof(*c))))
		return OCSPKIT_E_NO_MEMORY;
	c->tags = okit_calloc(capacity, sizeof(*c->tags));
	c->slots = okit_calloc(capacity, sizeof(*c->slots));
	if (!c->tags || !c->slots || pthread_mutex_init(&c->lock, NULL) != 0) {
		okit_free(c->tags);
		okit_free(c->slots);
		okit_free(c);
		return OCSPKIT_E_NO_MEMORY;
	}
	c->cap = capacity;
	*out = c;
	return OCSPKIT_OK;
}

static void clear_locked(ocspkit_responder_cache *c)
{
	for (size_t i = 0; i < c->count; i++)
		okit_delegated_unref(c->slots[i].r);
	c->count = 0;
}

void ocspkit_responder_cache_free(ocspkit_responder_cache *c)
{
	if (!c)
		return;
	clear_locked(c);
	pthread_mutex_destroy(&c->lock);
	okit_free(c->tags);
	okit_free(c->slots);
	okit_free(c);
}

void ocspkit_responder_cache_clear(ocspkit_responder_cache *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	clear_locked(c);
	pthread_mutex_unlock(&c->lock);
}

/* The entries and the hits, read together under the lock (zeros for no
 * cache). */
static void stats(ocspkit_responder_cache *c, size_t *count, unsigned long *hits)
{
	*count = 0;
	*hits = 0;
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	*count = c->count;
	*hits = c->hits;
	pthread_mutex_unlock(&c->lock);
}

size_t ocspkit_responder_cache_get_entry_count(ocspkit_responder_cache *c)
{
	size_t n;
	unsigned long h;
	stats(c, &n, &h);
	return n;
}

unsigned long ocspkit_responder_cache_get_hit_count(ocspkit_responder_cache *c)
{
	size_t n;
	unsigned long h;
	stats(c, &n, &h);
	return h;
}

/* ---------------------------------------------------------------- entries */

ocspkit_err okit_delegated_new(okit_delegated **out, const ocspkit_cert *cert, const ocspkit_cert *ca,
			       ocspkit_pubkey *key)
{
	ocspkit_bytes der = ocspkit_cert_get_der(cert), subj = ocspkit_cert_get_subject(cert);
	ocspkit_bytes ca_subj = ocspkit_cert_get_subject(ca), ca_spki = ocspkit_cert_get_spki(ca);
	okit_delegated *r;

	*out = NULL;
	r = okit_malloc(sizeof(*r) + der.len + ca_subj.len + ca_spki.len);
	if (!r) {
		ocspkit_pubkey_free(key);
		return OCSPKIT_E_NO_MEMORY;
	}
	memset(r, 0, sizeof(*r));
	uint8_t *p = (uint8_t *)(r + 1);
	atomic_init(&r->refs, 1);
	r->key = key;
	r->not_before = ocspkit_cert_get_not_before(cert);
	r->not_after = ocspkit_cert_get_not_after(cert);
	r->nocheck = ocspkit_cert_has_ocsp_nocheck(cert);
	ocspkit_cert_get_key_hash(r->key_hash, cert);
	memcpy(p, der.data, der.len);
	r->der = (ocspkit_bytes){ p, der.len };
	r->subject = (ocspkit_bytes){ p + (subj.data - der.data), subj.len };
	p += der.len;
	memcpy(p, ca_subj.data, ca_subj.len);
	r->ca_subject = (ocspkit_bytes){ p, ca_subj.len };
	p += ca_subj.len;
	memcpy(p, ca_spki.data, ca_spki.len);
	r->ca_spki = (ocspkit_bytes){ p, ca_spki.len };
	r->tag = tag_of(der);
	*out = r;
	return OCSPKIT_OK;
}

void okit_delegated_unref(okit_delegated *r)
{
	if (r && atomic_fetch_sub(&r->refs, 1) == 1) {
		ocspkit_pubkey_free(r->key);
		okit_free(r);
	}
}

static int same_entry(const okit_delegated *r, ocspkit_bytes der, ocspkit_bytes ca_subj, ocspkit_bytes ca_spki)
{
	return okit_bytes_equal(r->der, der) && okit_bytes_equal(r->ca_subject, ca_subj) &&
	       okit_bytes_equal(r->ca_spki, ca_spki);
}

okit_delegated *okit_delegated_cache_get(ocspkit_responder_cache *c, ocspkit_bytes der, const ocspkit_cert *ca)
{
	uint64_t tag = tag_of(der);
	ocspkit_bytes ca_subj = ocspkit_cert_get_subject(ca), ca_spki = ocspkit_cert_get_spki(ca);
	okit_delegated *found = NULL;

	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->count; i++) {
		if (c->tags[i] != tag || !same_entry(c->slots[i].r, der, ca_subj, ca_spki))
			continue;
		found = c->slots[i].r;
		atomic_fetch_add(&found->refs, 1);
		c->slots[i].used = ++c->clock;
		c->hits++;
		break;
	}
	pthread_mutex_unlock(&c->lock);
	return found;
}

void okit_delegated_cache_put(ocspkit_responder_cache *c, okit_delegated *r)
{
	size_t at;

	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->count; i++) {
		/* another thread got there first */
		if (c->tags[i] == r->tag && same_entry(c->slots[i].r, r->der, r->ca_subject, r->ca_spki)) {
			pthread_mutex_unlock(&c->lock);
			return;
		}
	}
	if (c->count < c->cap) {
		at = c->count++;
	} else {
		at = 0;
		for (size_t i = 1; i < c->count; i++)
			if (c->slots[i].used < c->slots[at].used)
				at = i;
		okit_delegated_unref(c->slots[at].r);
	}
	atomic_fetch_add(&r->refs, 1);
	c->slots[at].r = r;
	c->slots[at].used = ++c->clock;
	c->tags[at] = r->tag;
	pthread_mutex_unlock(&c->lock);
}
