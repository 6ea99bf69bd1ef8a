/* DER writing onto an okit_buf (docs/internals/der.md).  Constructed
 * elements are written with a one-octet length placeholder that
 * okit_der_close fixes, moving the content when the length needs more
 * octets: linear for the nesting depth OCSP has.  Like okit_buf's, the
 * writers record a failure in the buffer rather than return it. */
#ifndef OCSPKIT_DER_WRITE_H
#define OCSPKIT_DER_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include <ocspkit/ocsp.h>

#include "buf.h"

/* The largest encoding the encoders write: the largest the decoders read. */
#define OKIT_DER_MAX OCSPKIT_MAX_MESSAGE_SIZE

/* okit_der_open writes the identifier octet id of a constructed element
 * and a placeholder for its length.  It returns a mark to give to
 * okit_der_close once the content is written; okit_der_close writes the
 * final length. */
size_t okit_der_open(okit_buf *b, uint8_t id);
void okit_der_close(okit_buf *b, size_t mark);

/* okit_der_prim writes a whole element: identifier id, length, and the
 * len octets of val as its content. */
void okit_der_prim(okit_buf *b, uint8_t id, const uint8_t *val, size_t len);

/* okit_der_uint writes a non-negative INTEGER (or ENUMERATED) v. */
void okit_der_uint(okit_buf *b, uint8_t id, unsigned long v);

/* okit_der_gentime writes a GeneralizedTime of t (seconds since the
 * epoch) and frac, the digits of a fraction of a second (may be empty).
 * A fraction that is not DER (okit_time_fraction_check) or a year outside
 * 0..9999 becomes the buffer's error. */
void okit_der_gentime(okit_buf *b, uint8_t id, int64_t t, ocspkit_bytes frac);

/* okit_der_x509_time writes t as RFC 5280 wants a Time in certificates
 * and CRLs (4.1.2.5, 5.1.2.4): a UTCTime through 2049, a GeneralizedTime
 * from 2050, whole seconds.  Years before 1950 are the buffer's
 * OCSPKIT_E_INVALID_ARGUMENT (a UTCTime cannot say them, a GeneralizedTime
 * may not). */
void okit_der_x509_time(okit_buf *b, int64_t t);

/* okit_der_bit_string writes a BIT STRING of the len octets at bytes, with
 * no unused bits. */
void okit_der_bit_string(okit_buf *b, const uint8_t *bytes, size_t len);

/* okit_der_length writes the length octets of len, DER-minimal. */
void okit_der_length(okit_buf *b, size_t len);

#endif
