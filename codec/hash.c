/* Hashes; see hash.h. */
#include <config.h>

#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include <ocspkit/ocsp.h>

#include "hash.h"
#include "try.h"

size_t ocspkit_hash_size(ocspkit_hash h)
{
	const struct nettle_hash *n = okit_hash_nettle(h);
	if (n)
		return n->digest_size;
	return h == OCSPKIT_HASH_MD5 || h == OCSPKIT_HASH_MD2 ? 16 : 0;
}

const struct nettle_hash *okit_hash_nettle(ocspkit_hash h)
{
	switch (h) {
	case OCSPKIT_HASH_SHA1: return &nettle_sha1;
	case OCSPKIT_HASH_SHA224: return &nettle_sha224;
	case OCSPKIT_HASH_SHA256: return &nettle_sha256;
	case OCSPKIT_HASH_SHA384: return &nettle_sha384;
	case OCSPKIT_HASH_SHA512: return &nettle_sha512;
	default: return NULL;
	}
}

ocspkit_err okit_hash_usable(ocspkit_hash h)
{
	if (h == OCSPKIT_HASH_MD5 || h == OCSPKIT_HASH_MD2)
		return OCSPKIT_E_WEAK_ALGORITHM;
	return okit_hash_nettle(h) ? OCSPKIT_OK : OCSPKIT_E_UNSUPPORTED_ALGORITHM;
}

void okit_hash_data(const struct nettle_hash *h, const uint8_t *data, size_t len, uint8_t *out)
{
	/* room for the context of every hash okit_hash_nettle returns */
	union {
		struct sha1_ctx sha1;
		struct sha256_ctx sha256;
		struct sha512_ctx sha512;
	} ctx;
	h->init(&ctx);
	h->update(&ctx, len, data);
	h->digest(&ctx, h->digest_size, out);
}

ocspkit_err okit_hash_digest(ocspkit_hash h, const uint8_t *data, size_t len, uint8_t *out)
{
	TRY(okit_hash_usable(h));
	okit_hash_data(okit_hash_nettle(h), data, len, out);
	return OCSPKIT_OK;
}
