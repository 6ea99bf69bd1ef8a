/* The pre-signed response cache, and the reference-counted response
 * buffers ("blobs") that the responder hands out.
 *
 * One entry per key (the responder's key is CA, CertID hash algorithm, the
 * form of its parameters and the serial number), holding the signed
 * response and a tag (the status it states, as bytes).  rsp_cache_get:
 *
 *  - returns the entry's response while its tag equals the caller's and it
 *    is before its refresh time (halfway between thisUpdate and nextUpdate,
 *    or an hour after thisUpdate without nextUpdate): no signing;
 *  - when the tag differs (the index changed that entry), or the response
 *    has expired, has the first caller sign (fill) while the others wait
 *    for that one signature;
 *  - after the refresh time, has one caller sign a fresh response while the
 *    others go on getting the current one, which is still valid.
 *
 * With RSP_CACHE_NO_WAIT a call never signs and never waits: it answers
 * from a valid entry (refresh due or not) or says that a signature is
 * needed.
 *
 * The number of entries is bounded; the least recently used entry that is
 * not being signed goes first.  Thread-safe (one mutex; signing happens
 * outside it).
 */
#ifndef RSP_CACHE_H
#define RSP_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

/* A response as sent: DER plus what HTTP caching needs.  Immutable once
 * made; freed when its last reference goes. */
typedef struct rsp_blob {
	long refs;                     /* atomic; < 0 for the static ones */
	const uint8_t *der;
	size_t len;
	ocspkit_response_status status;
	int64_t produced_at;
	int has_update;                /* successful: times of the (first) SingleResponse */
	int64_t this_update;
	int has_next_update;
	int64_t next_update;
	ocspkit_cert_status cert_status; /* successful: of the first SingleResponse */
	int any_unknown;               /* successful: some SingleResponse says unknown */
	char etag[36];                 /* "\"<32 hex digits>\"" */
	/* the two times as HTTP dates (empty until rsp_blob_set_times) */
	char http_this_update[30], http_next_update[30];
} rsp_blob;

/* A blob holding a copy of der, with refs = 1 and its ETag computed. */
rsp_blob *rsp_blob_new(const uint8_t *der, size_t len);
/* The static blob of an error status (malformedRequest ...). */
rsp_blob *rsp_blob_error(ocspkit_response_status status);
rsp_blob *rsp_blob_ref(rsp_blob *b);
/* Sets a successful response's times (of its first SingleResponse), and
 * their HTTP dates for Last-Modified and Expires. */
void rsp_blob_set_times(rsp_blob *b, int64_t this_update, int has_next_update, int64_t next_update);
/* "Sun, 06 Nov 1994 08:49:37 GMT" (30 bytes with the terminator). */
void rsp_http_date(char out[30], int64_t t);
void rsp_blob_unref(rsp_blob *b);

typedef struct rsp_cache rsp_cache;

#define RSP_CACHE_MAX_KEY 80
#define RSP_CACHE_MAX_TAG 96
/* Without nextUpdate, a response is re-signed after this many seconds. */
#define RSP_CACHE_REFRESH_NO_NEXT 3600

/* capacity: entries kept (>= 1). */
OCSPKIT_WUR ocspkit_err rsp_cache_new(rsp_cache **out, size_t capacity);
void rsp_cache_free(rsp_cache *c);

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
