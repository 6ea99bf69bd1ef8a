/* Digests with Nettle, for CertIDs and key hashes. */
#include <config.h>

#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include "internal.h"

size_t ocspkit_hash_size(ocspkit_hash h)
{
	switch (h) {
	case OCSPKIT_HASH_SHA1: return SHA1_DIGEST_SIZE;
	case OCSPKIT_HASH_SHA224: return SHA224_DIGEST_SIZE;
	case OCSPKIT_HASH_SHA256: return SHA256_DIGEST_SIZE;
	case OCSPKIT_HASH_SHA384: return SHA384_DIGEST_SIZE;
	case OCSPKIT_HASH_SHA512: return SHA512_DIGEST_SIZE;
	case OCSPKIT_HASH_MD5: return 16;
	case OCSPKIT_HASH_MD2: return 16;
	default: return 0;
	}
}

ocspkit_err okit_digest(ocspkit_hash h, const uint8_t *data, size_t len, uint8_t *out)
{
	switch (h) {
	case OCSPKIT_HASH_SHA1: {
		struct sha1_ctx c;
		sha1_init(&c);
		sha1_update(&c, len, data);
		sha1_digest(&c, SHA1_DIGEST_SIZE, out);
		return OCSPKIT_OK;
	}
	case OCSPKIT_HASH_SHA224: {
		struct sha224_ctx c;
		sha224_init(&c);
		sha224_update(&c, len, data);
		sha224_digest(&c, SHA224_DIGEST_SIZE, out);
		return OCSPKIT_OK;
	}
	case OCSPKIT_HASH_SHA256: {
		struct sha256_ctx c;
		sha256_init(&c);
		sha256_update(&c, len, data);
		sha256_digest(&c, SHA256_DIGEST_SIZE, out);
		return OCSPKIT_OK;
	}
	case OCSPKIT_HASH_SHA384: {
		struct sha384_ctx c;
		sha384_init(&c);
		sha384_update(&c, len, data);
		sha384_digest(&c, SHA384_DIGEST_SIZE, out);
		return OCSPKIT_OK;
	}
	case OCSPKIT_HASH_SHA512: {
		struct sha512_ctx c;
		sha512_init(&c);
		sha512_update(&c, len, data);
		sha512_digest(&c, SHA512_DIGEST_SIZE, out);
		return OCSPKIT_OK;
	}
	case OCSPKIT_HASH_MD5:
	case OCSPKIT_HASH_MD2:
		return OCSPKIT_E_WEAK_ALGORITHM;
	default:
		return OCSPKIT_E_UNSUPPORTED_ALGORITHM;
	}
}

ocspkit_err ocspkit_cert_id_compute_raw(ocspkit_cert_id_value *out, ocspkit_hash hash,
					ocspkit_bytes issuer_name_der, ocspkit_bytes issuer_public_key,
					ocspkit_bytes serial)
{
	if (!out || !issuer_name_der.data || !issuer_public_key.data || !serial.data ||
	    !okit_integer_is_minimal(serial.data, serial.len))
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (serial.len > OCSPKIT_MAX_SERIAL_SIZE)
		return OCSPKIT_E_DER_INTEGER_RANGE;
	TRY(okit_digest(hash, issuer_name_der.data, issuer_name_der.len, out->issuer_name_hash));
	TRY(okit_digest(hash, issuer_public_key.data, issuer_public_key.len, out->issuer_key_hash));
	out->hash = hash;
	out->hash_len = ocspkit_hash_size(hash);
	out->serial_len = serial.len;
	for (size_t i = 0; i < serial.len; i++)
		out->serial[i] = serial.data[i];
	return OCSPKIT_OK;
}
