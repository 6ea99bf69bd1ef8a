/* GMP integers and octets; see mpz.h. */
#include <config.h>

#include <nettle/bignum.h>

#include "buf.h"
#include "der.h"
#include "der_write.h"
#include "mpz.h"

void okit_mpz_from_bytes(mpz_t x, const uint8_t *p, size_t n)
{
	nettle_mpz_set_str_256_u(x, n, p);
}

void okit_mpz_wipe(mpz_t x)
{
	size_t n = mpz_size(x);
	if (n) {
		mp_limb_t *l = mpz_limbs_modify(x, (mp_size_t)n);
		volatile mp_limb_t *v = l;
		for (size_t i = 0; i < n; i++)
			v[i] = 0;
		mpz_limbs_finish(x, 0);
	}
}

void okit_mpz_write(okit_buf *b, const mpz_t x)
{
	size_t n = nettle_mpz_sizeinbase_256_u(x); /* 1 for zero */
	int pad = mpz_sgn(x) > 0 && mpz_sizeinbase(x, 2) % 8 == 0;
	okit_buf_byte(b, OKIT_TAG_INTEGER);
	okit_der_length(b, n + (size_t)pad);
	if (pad)
		okit_buf_byte(b, 0);
	if (!okit_buf_reserve(b, n))
		return;
	nettle_mpz_get_str_256(n, b->buf + b->len, x);
	b->len += n;
}
