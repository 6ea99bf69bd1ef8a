/* The pre-signed response cache (docs/internals/CACHE.md).
 *
 * One entry per key (the responder's key is CA, CertID hash algorithm, the
 * form of its parameters and the serial number), holding the signed
 * response and a tag (the status it states, as bytes).  rsp_cache_get:
 *
 *  - returns the entry's response while its tag equals the caller's and it
 *    is before its refresh time (halfway between thisUpdate and nextUpdate,
 *    or an hour after thisUpdate without nextUpdate): no signing;
 *  - when the tag differs (the revocation source changed that entry), or
 *    the response has expired, has the first caller sign (fill) while the
 *    others wait for that one signature;
 *  - after the refresh time, has one caller sign a fresh response while the
 *    others go on getting the current one, which is still valid.
 *
 * With RSP_CACHE_NO_WAIT a call never signs and never waits: it answers
 * from a valid entry (refresh due or not) or says that a signature is
 * needed.
 *
 * The number of entries is bounded (lru.h): the least recently used entry
 * that is not being signed goes first.  Thread-safe (one mutex; signing
 * happens outside it).
 */
#ifndef RSP_CACHE_H
#define RSP_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

#include "blob.h"
#include "lru.h"

typedef struct rsp_cache rsp_cache;

#define RSP_CACHE_MAX_KEY RSP_LRU_MAX_KEY
#define RSP_CACHE_MAX_TAG 96
/* Without nextUpdate, a response is re-signed after this many seconds. */
#define RSP_CACHE_REFRESH_NO_NEXT 3600

/* capacity: entries kept (>= 1). */
OCSPKIT_WUR ocspkit_err rsp_cache_new(rsp_cache **out, size_t capacity);
void rsp_cache_free(rsp_cache *c);

/* rsp_cache_key writes the key both caches file a response under (this
 * one and the caching proxy's, upstream.h) to out and returns its length:
 * what the response echoes, so that each form of a CertID gets its own:
 * the index of the CA among the served ones (ca_index < 65536), the
 * CertID's hash algorithm, whether its parameters are present (NULL) or
 * absent, and the serial number.  0 for a serial too long to be a key. */
size_t rsp_cache_key(uint8_t out[RSP_CACHE_MAX_KEY], size_t ca_index, const ocspkit_cert_id *id);

/* Signs a response for the entry; *out gets a blob with one reference. */
typedef ocspkit_err (*rsp_cache_fill_fn)(void *ctx, rsp_blob **out);

/* rsp_cache_get's flags. */
enum {
	/* never sign nor wait for another caller's signature: what an HTTP
	 * thread asks, handing the request to the signing pool when the
	 * answer is RSP_CACHE_WOULD_BLOCK */
	RSP_CACHE_NO_WAIT = 1,
};

/* How rsp_cache_get answered. */
typedef enum {
	RSP_CACHE_HIT,          /* *out is the cached response */
	RSP_CACHE_HIT_DUE,      /* the same, past its refresh time: with NO_WAIT, this
	                           caller is the one asked to have it signed again (a
	                           call without NO_WAIT does; asked again after
	                           RSP_CACHE_REFRESH_RETRY seconds if nobody did) */
	RSP_CACHE_SIGNED,       /* this call signed *out */
	RSP_CACHE_WAITED,       /* another caller signed *out while this one waited */
	RSP_CACHE_WOULD_BLOCK,  /* NO_WAIT: it needs a signature; *out is NULL */
} rsp_cache_outcome;

#define RSP_CACHE_REFRESH_RETRY 10

/* The response for key with tag at time now (see above).  *out gets a
 * reference (NULL for RSP_CACHE_WOULD_BLOCK or an error); *how (optional)
 * says how it was obtained. */
OCSPKIT_WUR ocspkit_err rsp_cache_get(rsp_cache *c, const uint8_t *key, size_t key_len, const uint8_t *tag,
				       size_t tag_len, int64_t now, unsigned flags, rsp_cache_fill_fn fill, void *ctx,
				       rsp_blob **out, rsp_cache_outcome *how);

typedef struct {
	size_t entries;
	unsigned long hits;      /* answered without signing */
	unsigned long fills;     /* signatures made */
	unsigned long waits;     /* callers that waited for another's signature */
	unsigned long evictions;
} rsp_cache_stats;
void rsp_cache_get_stats(rsp_cache *c, rsp_cache_stats *st);

#endif
