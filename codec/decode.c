/* What the decoders share; see decode.h. */
#include <config.h>

#include <string.h>

#include "alloc.h"
#include "decode.h"
#include "schema.h"

ocspkit_err okit_decode_args(int have_out, const uint8_t *der, size_t len, size_t *err_offset)
{
	if (err_offset)
		*err_offset = 0;
	if (!have_out || (!der && len))
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

void *okit_decode(const okit_decoder *d, void *state, int have_out, const uint8_t *der, size_t len, unsigned flags,
		  size_t *err_offset, ocspkit_err *err)
{
	okit_dctx c = okit_ctx(der, flags);
	size_t n[OKIT_COUNT__N] = { 0 };
	okit_block blk;
	void *obj = NULL;

	if ((*err = okit_decode_args(have_out, der, len, err_offset)) != OCSPKIT_OK)
		return NULL;
	if ((*err = d->check(state, &c, der, len, n)) == OCSPKIT_OK) {
		obj = okit_decode_block(&blk, d->head, d->entry_size, n[OKIT_COUNT_ENTRIES], n[OKIT_COUNT_EXTENSIONS],
					n[OKIT_COUNT_CERTIFICATES], der, len);
		if (!obj) {
			*err = OCSPKIT_E_NO_MEMORY;
			return NULL;
		}
		c.base = blk.copy;
		if ((*err = d->read(state, &c, obj, &blk, len)) != OCSPKIT_OK) {
			okit_free(obj);
			obj = NULL;
		}
	}
	if (*err && err_offset)
		*err_offset = c.err_off;
	return obj;
}
