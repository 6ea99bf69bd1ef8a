/* Reference-counted response buffers (blob.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "blob.h"
#include "httpdate.h"

void rsp_blob_set_times(rsp_blob *b, int64_t this_update, int has_next_update, int64_t next_update)
{
	b->has_update = 1;
	b->this_update = this_update;
	b->has_next_update = has_next_update;
	b->next_update = next_update;
	rsp_http_date(b->http_this_update, this_update);
	if (has_next_update)
		rsp_http_date(b->http_next_update, next_update);
}

rsp_blob *rsp_blob_new(const uint8_t *der, size_t len)
{
	rsp_blob *b = malloc(sizeof(*b) + (len ? len : 1));
	if (!b)
		return NULL;
	memset(b, 0, sizeof(*b));
	uint8_t *copy = (uint8_t *)(b + 1);
	memcpy(copy, der, len);
	b->refs = 1;
	b->der = copy;
	b->len = len;
	/* a strong validator: 128 bits of SHA-256 of the exact bytes */
	struct sha256_ctx h;
	uint8_t d[SHA256_DIGEST_SIZE];
	static const char hexd[] = "0123456789abcdef";
	sha256_init(&h);
	sha256_update(&h, len, der);
	sha256_digest(&h, sizeof(d), d);
	b->etag[0] = '"';
	for (size_t i = 0; i < 16; i++) {
		b->etag[1 + 2 * i] = hexd[d[i] >> 4];
		b->etag[2 + 2 * i] = hexd[d[i] & 15];
	}
	b->etag[33] = '"';
	b->etag[34] = 0;
	return b;
}

/* OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED } */
static const uint8_t error_der[][5] = {
	{ 0x30, 0x03, 0x0A, 0x01, 1 }, { 0x30, 0x03, 0x0A, 0x01, 2 }, { 0x30, 0x03, 0x0A, 0x01, 3 },
	{ 0x30, 0x03, 0x0A, 0x01, 5 }, { 0x30, 0x03, 0x0A, 0x01, 6 },
};
#define ERROR_BLOB(i, s) { .refs = -1, .der = error_der[i], .len = 5, .status = s }
static rsp_blob error_blobs[] = {
	ERROR_BLOB(0, OCSPKIT_RESPONSE_MALFORMED_REQUEST), ERROR_BLOB(1, OCSPKIT_RESPONSE_INTERNAL_ERROR),
	ERROR_BLOB(2, OCSPKIT_RESPONSE_TRY_LATER), ERROR_BLOB(3, OCSPKIT_RESPONSE_SIG_REQUIRED),
	ERROR_BLOB(4, OCSPKIT_RESPONSE_UNAUTHORIZED),
};

rsp_blob *rsp_blob_error(ocspkit_response_status status)
{
	for (size_t i = 0; i < sizeof(error_blobs) / sizeof(error_blobs[0]); i++)
		if (error_blobs[i].status == status)
			return &error_blobs[i];
	return &error_blobs[1]; /* internalError */
}

rsp_blob *rsp_blob_ref(rsp_blob *b)
{
	if (b && b->refs >= 0)
		__atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
	return b;
}

void rsp_blob_unref(rsp_blob *b)
{
	if (b && b->refs >= 0 && __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0)
		free(b);
}
