/* PKCS #1 v1.5 DigestInfo; see pkcs1.h. */
#include <config.h>

#include <string.h>

#include "der.h"
#include "hash.h"
#include "oid.h"
#include "pkcs1.h"

size_t okit_digest_info(uint8_t *out, ocspkit_hash h, const uint8_t *digest)
{
	const okit_oid *o = okit_oid_by_id(OKIT_OID_HASH, (int)h);
	size_t hl = ocspkit_hash_size(h);
	if (!o || !okit_hash_nettle(h))
		return 0;
	size_t alg_len = 2 + o->len + 2;
	size_t n = 0;
	out[n++] = OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE;
	out[n++] = (uint8_t)(2 + alg_len + 2 + hl);
	out[n++] = OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE;
	out[n++] = (uint8_t)alg_len;
	out[n++] = OKIT_TAG_OID;
	out[n++] = o->len;
	memcpy(out + n, o->der, o->len);
	n += o->len;
	out[n++] = OKIT_TAG_NULL;
	out[n++] = 0;
	out[n++] = OKIT_TAG_OCTET_STRING;
	out[n++] = (uint8_t)hl;
	memcpy(out + n, digest, hl);
	return n + hl;
}
