/* GMP integers (Nettle's RSA and ECDSA values) to and from octets. */
#ifndef OCSPKIT_MPZ_H
#define OCSPKIT_MPZ_H

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "buf.h"

/* okit_mpz_from_bytes sets x to the unsigned big-endian n octets at p. */
void okit_mpz_from_bytes(mpz_t x, const uint8_t *p, size_t n);

/* okit_mpz_wipe overwrites the limbs of x with zeros, for secrets, before
 * mpz_clear (which does not). */
void okit_mpz_wipe(mpz_t x);

/* okit_mpz_write writes x, which is not negative, as a DER INTEGER:
 * minimal, with a 00 octet before a set top bit. */
void okit_mpz_write(okit_buf *b, const mpz_t x);

#endif
