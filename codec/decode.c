/* What the decoders share; see decode.h. */
#include <config.h>

#include <string.h>

#include "alloc.h"
#include "decode.h"
#include "schema.h"

ocspkit_err okit_decode_args(const void *out, const uint8_t *der, size_t len, size_t *err_offset)
{
	if (err_offset)
		*err_offset = 0;
	if (!out || (!der && len))
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (len > OCSPKIT_MAX_MESSAGE_SIZE)
		return OCSPKIT_E_LIMIT_INPUT_SIZE;
	return okit_schema_init();
}

void *okit_decode_block(okit_block *out, size_t head, size_t entry_size, size_t n_entries, size_t n_exts,
			size_t n_certs, const uint8_t *der, size_t len)
{
	/* No overflow: the counts come from an input of at most
	 * OCSPKIT_MAX_MESSAGE_SIZE octets, each entry taking some of them.
	 * head and the entry sizes keep the arrays aligned (structs of
	 * pointers and int64_t). */
	size_t arrays = n_entries * entry_size + n_exts * sizeof(ocspkit_extension) + n_certs * sizeof(ocspkit_bytes);
	uint8_t *p = okit_malloc(head + arrays + len);
	if (!p)
		return NULL;
	memset(p, 0, head + arrays);
	out->entries = p + head;
	out->exts.next = (ocspkit_extension *)(p + head + n_entries * entry_size);
	out->exts.end = out->exts.next + n_exts;
	out->exts.total = n_exts;
	out->certs = (ocspkit_bytes *)out->exts.end;
	out->copy = (const uint8_t *)(out->certs + n_certs);
	if (len)
		memcpy(p + head + arrays, der, len);
	return p;
}
