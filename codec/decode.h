/* What the decoders (ocspkit_request_decode, ocspkit_response_decode,
 * ocspkit_cert_decode) share: the checks of their arguments, and the one
 * block that holds a decoded object, its arrays and its copy of the
 * input, sized by what the check pass counted. */
#ifndef OCSPKIT_DECODE_H
#define OCSPKIT_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include <ocspkit/ocsp.h>

#include "der.h"
#include "ext.h"

/* okit_decode_args checks the arguments every decoder takes, in this
 * order: sets *err_offset (when not NULL) to 0, then returns
 * OCSPKIT_E_INVALID_ARGUMENT without an out pointer (have_out 0) or for
 * der NULL with a length, OCSPKIT_E_LIMIT_INPUT_SIZE above
 * OCSPKIT_MAX_MESSAGE_SIZE, and the error of okit_schema_init. */
ocspkit_err okit_decode_args(int have_out, const uint8_t *der, size_t len, size_t *err_offset);

/* The parts of a block. */
typedef struct {
	void *entries;       /* the requests or SingleResponses */
	okit_ext_store exts; /* every extension list's entries */
	ocspkit_bytes *certs;
	const uint8_t *copy; /* the input */
} okit_block;

/* What a decoder does in the two passes of okit_decode. */
typedef struct {
	size_t head;       /* sizeof the object */
	size_t entry_size; /* sizeof an entry of its array (0: none) */
	/* The first pass, over the caller's bytes (c->base): checks the
	 * whole message and sets n[OKIT_COUNT_*] to the sizes of the
	 * arrays, with the limits on them checked. */
	ocspkit_err (*check)(void *state, okit_dctx *c, const uint8_t *der, size_t len, size_t n[]);
	/* The second pass, over the object's copy of the input (c->base):
	 * reads every field into obj, in the block described by blk. */
	ocspkit_err (*read)(void *state, okit_dctx *c, void *obj, okit_block *blk, size_t len);
} okit_decoder;

/* okit_decode is the body of every ocspkit_*_decode(out, der, len,
 * flags, err_offset): okit_decode_args (have_out says whether out is
 * not NULL), then the two passes of decoder d with its state: check, one
 * block (okit_decode_block), read.  It returns the object, or NULL with
 * *err set (and, when err_offset is not NULL, the offset where decoding
 * stopped). */
void *okit_decode(const okit_decoder *d, void *state, int have_out, const uint8_t *der, size_t len, unsigned flags,
		  size_t *err_offset, ocspkit_err *err);

/* okit_decode_block allocates one block: head octets for the object
 * (zeroed), n_entries entries of entry_size octets, n_exts extensions and
 * n_certs certificate views (all zeroed), then a copy of the len octets
 * of der.  It fills *out and returns the block (freed with okit_free), or
 * NULL when out of memory. */
void *okit_decode_block(okit_block *out, size_t head, size_t entry_size, size_t n_entries, size_t n_exts,
			size_t n_certs, const uint8_t *der, size_t len);

#endif
