/* Private keys as Nettle holds them: the struct behind the public
 * ocspkit_privkey, immutable once made so that many threads can sign with
 * one key.  The public functions are declared in <ocspkit/crypto.h>. */
#ifndef OCSPKIT_PRIVKEY_H
#define OCSPKIT_PRIVKEY_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/rsa.h>

#include <ocspkit/crypto.h>

#include "pubkey.h"

struct ocspkit_privkey {
	ocspkit_key_type type;
	size_t bits;
	int rsa_init, ec_init; /* which Nettle structures need clearing */
	struct rsa_public_key rsa_pub;
	struct rsa_private_key rsa;
	const struct ecc_curve *curve;
	struct ecc_scalar ec;
	struct ecc_point ec_pub;
	uint8_t ed_priv[OKIT_ED448_KEY_SIZE];
	uint8_t ed_pub[OKIT_ED448_KEY_SIZE];
};

#endif
