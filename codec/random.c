/* Random octets for signing: RSA blinding, PSS salts, ECDSA nonces.
 *
 * Nettle's random callback cannot fail, so a failure is recorded in the
 * context and the octets are filled with a non-repeating, non-zero pattern
 * (Nettle's rejection loops must still end); the signer then discards
 * whatever was computed from them and reports OCSPKIT_E_SIGNING_FAILED.
 * A signature made with a predictable ECDSA nonce never leaves. */
#include <config.h>

#include <errno.h>
#include <stdatomic.h>
#include <sys/random.h>

#include "random.h"

static atomic_int force_failure;

void okit_random_fail(int on)
{
	atomic_store(&force_failure, on);
}

static int fill(uint8_t *dst, size_t n)
{
	if (atomic_load(&force_failure))
		return -1;
	while (n) {
		/* getrandom blocks only until the pool is initialised, once per boot */
		ssize_t k = getrandom(dst, n, 0);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		dst += k;
		n -= (size_t)k;
	}
	return 0;
}

void okit_random(void *ctx, size_t n, uint8_t *dst)
{
	okit_rng *r = ctx;
	if (fill(dst, n) == 0)
		return;
	r->failed = 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = (uint8_t)(0x5A ^ (uint8_t)(r->counter++ * 151u + i) ^ 0x01) | 1;
}
