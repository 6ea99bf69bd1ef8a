/* Random octets for signing (RSA blinding, PSS salts, ECDSA nonces), as
 * Nettle's random callback wants them. */
#ifndef OCSPKIT_RANDOM_H
#define OCSPKIT_RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* The context of okit_random: whether the kernel failed to give any
 * octets, in which case the caller must throw away what it computed (the
 * filler octets are not random). */
typedef struct {
	int failed;
	unsigned counter;
} okit_rng;

/* okit_random writes n random octets to dst; ctx is an okit_rng.  It
 * cannot fail (Nettle's callback type): a failure is recorded in ctx and
 * dst filled with a non-repeating, non-zero pattern that keeps Nettle's
 * rejection loops finite. */
void okit_random(void *ctx, size_t n, uint8_t *dst);

/* okit_random_fail makes random octets unavailable (on = 1) or available
 * again (0).  For tests. */
void okit_random_fail(int on);

#endif
