/* The reference-counted response buffers ("blobs") the responder hands
 * out: a response as sent, DER plus what HTTP caching needs.
 *
 * A blob is immutable once made, and freed when its last reference
 * goes: the caches hold one, each answer in flight holds one (handed to
 * libmicrohttpd with a free callback), so that a refresh or an eviction
 * never frees bytes that are being sent, and a cached answer is sent
 * without a copy.  References are atomic: blobs cross threads freely.
 */
#ifndef RSP_BLOB_H
#define RSP_BLOB_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

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

/* rsp_blob_new returns a blob holding a copy of der, with one reference
 * and its ETag (128 bits of SHA-256 of the bytes) computed; the caller
 * fills in status and times.  NULL when out of memory. */
rsp_blob *rsp_blob_new(const uint8_t *der, size_t len);
/* rsp_blob_error returns the static blob of an error status
 * (malformedRequest, internalError, tryLater, sigRequired, unauthorized;
 * internalError for any other).  References to it cost nothing. */
rsp_blob *rsp_blob_error(ocspkit_response_status status);
/* rsp_blob_ref adds a reference to b (NULL allowed) and returns b. */
rsp_blob *rsp_blob_ref(rsp_blob *b);
/* rsp_blob_unref drops one (NULL allowed), freeing b with the last. */
void rsp_blob_unref(rsp_blob *b);
/* rsp_blob_set_times sets a successful response's times (those of its
 * first SingleResponse) and their HTTP dates for Last-Modified and
 * Expires.  Before the blob is shared only. */
void rsp_blob_set_times(rsp_blob *b, int64_t this_update, int has_next_update, int64_t next_update);

#endif
