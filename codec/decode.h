/* What the decoders (ocspkit_request_decode, ocspkit_response_decode,
 * ocspkit_cert_decode) share: the checks of their arguments, and the one
 * block that holds a decoded object, its arrays and its copy of the
 * input, sized by what the check pass counted. */
#ifndef OCSPKIT_DECODE_H
#define OCSPKIT_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include <ocspkit/ocsp.h>

#include "ext.h"

/* okit_decode_args checks the arguments every decoder takes, in this
 * order: sets *err_offset (when not NULL) to 0, then returns
 * OCSPKIT_E_INVALID_ARGUMENT if out is NULL or der is NULL with a length,
 * OCSPKIT_E_LIMIT_INPUT_SIZE above OCSPKIT_MAX_MESSAGE_SIZE, and the
 * error of okit_schema_init.  The caller sets its *out to NULL first. */
ocspkit_err okit_decode_args(const void *out, const uint8_t *der, size_t len, size_t *err_offset);

/* The parts of a block. */
typedef struct {
	void *entries;       /* the requests or SingleResponses */
	okit_ext_store exts; /* every extension list's entries */
	ocspkit_bytes *certs;
	const uint8_t *copy; /* the input */
} okit_block;

/* okit_decode_block allocates one block: head octets for the object
 * (zeroed), n_entries entries of entry_size octets, n_exts extensions and
 * n_certs certificate views (all zeroed), then a copy of the len octets
 * of der.  It fills *out and returns the block (freed with okit_free), or
 * NULL when out of memory. */
void *okit_decode_block(okit_block *out, size_t head, size_t entry_size, size_t n_entries, size_t n_exts,
			size_t n_certs, const uint8_t *der, size_t len);

#endif
