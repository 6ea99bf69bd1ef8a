/* okit_buf: a growable output buffer with an explicit maximum, in the
 * manner of curl's dynbuf (docs/internals/buf.md).
 *
 * Writes never fail at the call: the first failure (no memory, or a
 * length past the maximum) is recorded in err, every later write is a
 * no-op, and the caller checks once, at okit_buf_finish. */
#ifndef OCSPKIT_BUF_H
#define OCSPKIT_BUF_H

#include <stddef.h>
#include <stdint.h>

#include <ocspkit/error.h>

typedef struct {
	uint8_t *buf;
	size_t len;
	size_t cap; /* allocated */
	size_t max; /* len never exceeds it */
	ocspkit_err err;
} okit_buf;

/* The maximum of buffers of text made from a decoded message (print.c,
 * dn.c): a few characters for each input octet and a bounded amount for
 * each element, so about 6 MiB for the largest message; 16 MiB leaves
 * room and still stops runaway output. */
#define OKIT_TEXT_MAX ((size_t)16 << 20)

/* okit_buf_init makes b an empty buffer that will hold at most max
 * octets.  Writing more makes err OCSPKIT_E_LIMIT_INPUT_SIZE: for the
 * encoders, whose maximum is OCSPKIT_MAX_MESSAGE_SIZE, what they were
 * asked to write would be larger than any decoder here accepts. */
void okit_buf_init(okit_buf *b, size_t max);

/* okit_buf_clear frees b's memory and empties it, keeping its maximum. */
void okit_buf_clear(okit_buf *b);

/* okit_buf_put appends len octets of data; okit_buf_byte appends one. */
void okit_buf_put(okit_buf *b, const void *data, size_t len);
void okit_buf_byte(okit_buf *b, uint8_t v);

/* okit_buf_reserve makes room for extra more octets.  It returns 1, or 0
 * (with err set) when it cannot; writers of their own use it before
 * writing into buf + len directly. */
int okit_buf_reserve(okit_buf *b, size_t extra);

/* okit_buf_fail records e as b's error unless one is recorded already. */
void okit_buf_fail(okit_buf *b, ocspkit_err e);

/* okit_buf_finish hands the contents to the caller: on success *out (to
 * be freed with ocspkit_free) and *len, and b is empty again; on a
 * recorded error the memory is freed, *out is NULL, *len 0.  It returns
 * the error, OCSPKIT_OK if there was none.  *out is a real pointer even
 * when *len is 0. */
ocspkit_err okit_buf_finish(okit_buf *b, uint8_t **out, size_t *len);

#endif
