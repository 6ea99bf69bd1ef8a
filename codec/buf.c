/* The growable output buffer; see buf.h. */
#include <config.h>

#include <string.h>

#include "alloc.h"
#include "buf.h"

#define FIRST_ALLOCATION 256

void okit_buf_init(okit_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void okit_buf_clear(okit_buf *b)
{
	okit_free(b->buf);
	okit_buf_init(b, b->max);
}

void okit_buf_fail(okit_buf *b, ocspkit_err e)
{
	if (!b->err)
		b->err = e;
}

int okit_buf_reserve(okit_buf *b, size_t extra)
{
	if (b->err)
		return 0;
	if (extra > b->max - b->len) {
		b->err = OCSPKIT_E_LIMIT_INPUT_SIZE;
		return 0;
	}
	if (b->len + extra <= b->cap)
		return 1;
	/* doubling keeps appending linear; the last step stops at max */
	size_t cap = b->cap ? b->cap : FIRST_ALLOCATION;
	while (cap < b->len + extra)
		cap = cap > b->max / 2 ? b->max : cap * 2;
	if (cap > b->max)
		cap = b->max;
	uint8_t *nb = okit_realloc(b->buf, cap);
	if (!nb) {
		b->err = OCSPKIT_E_NO_MEMORY;
		return 0;
	}
	b->buf = nb;
	b->cap = cap;
	return 1;
}

void okit_buf_put(okit_buf *b, const void *data, size_t len)
{
	if (len == 0 || !okit_buf_reserve(b, len))
		return;
	memcpy(b->buf + b->len, data, len);
	b->len += len;
}

void okit_buf_byte(okit_buf *b, uint8_t v)
{
	okit_buf_put(b, &v, 1);
}

ocspkit_err okit_buf_finish(okit_buf *b, uint8_t **out, size_t *len)
{
	ocspkit_err e = b->err;
	*out = NULL;
	*len = 0;
	if (e) {
		okit_buf_clear(b);
		return e;
	}
	if (!b->buf) { /* a real pointer even when empty */
		if (!(b->buf = okit_malloc(1))) {
			okit_buf_clear(b);
			return OCSPKIT_E_NO_MEMORY;
		}
	}
	*out = b->buf;
	*len = b->len;
	b->buf = NULL;
	okit_buf_clear(b);
	return OCSPKIT_OK;
}
