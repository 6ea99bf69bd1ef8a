/* PKCS #1 v1.5 (RFC 8017 section 9.2): the DigestInfo that RSA signatures
 * sign. */
#ifndef OCSPKIT_PKCS1_H
#define OCSPKIT_PKCS1_H

#include <stddef.h>
#include <stdint.h>

#include <ocspkit/ocsp.h>

/* The largest DigestInfo: its header and OID, then a SHA-512 digest. */
#define OKIT_DIGEST_INFO_MAX (19 + 64)

/* okit_digest_info writes to out (OKIT_DIGEST_INFO_MAX octets) the
 * DigestInfo of digest, a digest with h, and returns its length: 0 if h is
 * not one of SHA-1 and SHA-2.
 *
 *   DigestInfo ::= SEQUENCE {
 *       digestAlgorithm  AlgorithmIdentifier (h, NULL parameters),
 *       digest           OCTET STRING } */
size_t okit_digest_info(uint8_t *out, ocspkit_hash h, const uint8_t *digest);

#endif
