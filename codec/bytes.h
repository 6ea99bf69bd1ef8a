/* Byte views (ocspkit_bytes) compared: one definition for the codec. */
#ifndef OCSPKIT_BYTES_H
#define OCSPKIT_BYTES_H

#include <string.h>

#include <ocspkit/ocsp.h>

/* okit_bytes_equal returns 1 if a and b hold the same octets, else 0.  It
 * is not constant time: for public data (names, OIDs, certificates). */
static inline int okit_bytes_equal(ocspkit_bytes a, ocspkit_bytes b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

#endif
