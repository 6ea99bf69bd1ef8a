/* The hashes of CertIDs and signatures, with Nettle: one module for the
 * table of which hashes ocspkit uses and for computing digests.  MD2 and
 * MD5 are known (so that CertIDs naming them decode and print) and
 * refused everywhere a digest would be computed. */
#ifndef OCSPKIT_HASH_H
#define OCSPKIT_HASH_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/nettle-meta.h>

#include <ocspkit/ocsp.h>

/* okit_hash_nettle returns Nettle's description of h, or NULL for hashes
 * that are unknown or refused (MD2, MD5). */
const struct nettle_hash *okit_hash_nettle(ocspkit_hash h);

/* okit_hash_usable returns OCSPKIT_OK if h can be computed,
 * OCSPKIT_E_WEAK_ALGORITHM for MD2 and MD5, else
 * OCSPKIT_E_UNSUPPORTED_ALGORITHM. */
ocspkit_err okit_hash_usable(ocspkit_hash h);

/* okit_hash_data writes the digest of the len octets at data with h (from
 * okit_hash_nettle) to out, which holds h->digest_size octets. */
void okit_hash_data(const struct nettle_hash *h, const uint8_t *data, size_t len, uint8_t *out);

/* okit_hash_digest is okit_hash_data for an ocspkit_hash, refusing those
 * okit_hash_usable refuses (and then writing nothing).  out holds
 * ocspkit_hash_size(h) octets. */
ocspkit_err okit_hash_digest(ocspkit_hash h, const uint8_t *data, size_t len, uint8_t *out);

#endif
