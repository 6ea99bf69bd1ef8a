/* Public keys (RSA, RSA-PSS, ECDSA P-256/384/521, Ed25519, Ed448) as
 * Nettle holds them: the struct behind the public ocspkit_pubkey, its
 * SubjectPublicKeyInfo written, and the curves of the key types.  The
 * public functions are declared in <ocspkit/crypto.h>. */
#ifndef OCSPKIT_PUBKEY_H
#define OCSPKIT_PUBKEY_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/rsa.h>

#include <ocspkit/crypto.h>

#include "buf.h"

#define OKIT_ED25519_KEY_SIZE 32
#define OKIT_ED448_KEY_SIZE 57
#define OKIT_ED25519_SIG_SIZE 64
#define OKIT_ED448_SIG_SIZE 114

struct ocspkit_pubkey {
	ocspkit_key_type type;
	size_t bits;
	int rsa_init, ec_init; /* which Nettle structures need clearing */
	/* RSA and RSA-PSS */
	struct rsa_public_key rsa;
	/* RSA-PSS keys with RSASSA-PSS-params restrict the signatures made
	 * with them (RFC 4055 section 3.1): this hash, this MGF1 hash, at
	 * least this salt. */
	int pss_restricted;
	ocspkit_hash pss_hash, pss_mgf1;
	size_t pss_min_salt;
	/* ECDSA */
	const struct ecc_curve *curve;
	struct ecc_point ec;
	/* EdDSA: the encoded public point */
	uint8_t ed[OKIT_ED448_KEY_SIZE];
};

/* okit_pubkey_write_spki writes the SubjectPublicKeyInfo of a key of the
 * given type from its public parts: rsa for OCSPKIT_KEY_RSA and _RSA_PSS,
 * ec for the curves, ed (the encoded point) for EdDSA.  pss_restriction,
 * when not NULL and restricted, gives an RSA-PSS key's parameters. */
void okit_pubkey_write_spki(okit_buf *b, ocspkit_key_type type, const struct rsa_public_key *rsa,
			    const struct ecc_point *ec, const uint8_t *ed, const ocspkit_pubkey *pss_restriction);

/* okit_pubkey_spki_der is okit_pubkey_write_spki into a new buffer: on
 * success *der (freed with ocspkit_free) and *len. */
ocspkit_err okit_pubkey_spki_der(uint8_t **der, size_t *len, ocspkit_key_type type, const struct rsa_public_key *rsa,
				 const struct ecc_point *ec, const uint8_t *ed, const ocspkit_pubkey *pss_restriction);

/* okit_curve_for returns Nettle's curve of an EC key type, or NULL;
 * okit_key_for_curve the key type of a curve, or OCSPKIT_KEY_UNKNOWN. */
const struct ecc_curve *okit_curve_for(ocspkit_key_type t);
ocspkit_key_type okit_key_for_curve(const struct ecc_curve *c);

#endif
