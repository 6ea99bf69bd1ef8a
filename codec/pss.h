/* RSASSA-PSS: the parameters of the algorithm (RFC 4055 section 3.1),
 * read and written, and the EMSA-PSS encoding (RFC 8017 section 9.1).
 *
 *   RSASSA-PSS-params ::= SEQUENCE {
 *       hashAlgorithm      [0] HashAlgorithm    DEFAULT sha1,
 *       maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1,
 *       saltLength         [2] INTEGER          DEFAULT 20,
 *       trailerField       [3] TrailerField     DEFAULT trailerFieldBC }
 *
 * (ocsp.asn says OPTIONAL: the defaults are applied here, and written out
 * defaults are accepted, as every verifier does.) */
#ifndef OCSPKIT_PSS_H
#define OCSPKIT_PSS_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/nettle-meta.h>

#include <ocspkit/crypto.h>

#include "buf.h"
#include "der.h"

#define OKIT_PSS_DEFAULT_SALT 20

/* RSASSA-PSS-params as they are written, defaults not applied. */
typedef struct {
	int has_hash, has_mgf, has_salt, has_trailer;
	ocspkit_algorithm_id hash; /* hashAlgorithm */
	ocspkit_algorithm_id mgf;  /* maskGenAlgorithm */
	/* mgf is MGF1 and its parameter an AlgorithmIdentifier: mgf_hash */
	int mgf_is_mgf1, mgf_hash_ok;
	ocspkit_algorithm_id mgf_hash;
	okit_tlv salt, trailer; /* the INTEGERs */
} okit_pss_fields;

/* okit_pss_fields_read reads params (the whole DER element) into out.  It
 * returns OCSPKIT_E_BAD_ALGORITHM_PARAMS if they are absent or not
 * RSASSA-PSS-params; an MGF other than MGF1, or an MGF1 without an
 * AlgorithmIdentifier, is left for the caller to judge. */
ocspkit_err okit_pss_fields_read(ocspkit_bytes params, okit_pss_fields *out);

/* okit_pss_params_read returns in *hash, *mgf1 and *salt what params say,
 * defaults applied.  Errors: OCSPKIT_E_BAD_ALGORITHM_PARAMS (not
 * RSASSA-PSS-params, a hash with parameters other than NULL, a salt above
 * OCSPKIT_MAX_PSS_SALT, a trailer other than 1),
 * OCSPKIT_E_UNSUPPORTED_ALGORITHM (not MGF1, an unknown hash) and
 * OCSPKIT_E_WEAK_ALGORITHM (MD2, MD5). */
ocspkit_err okit_pss_params_read(ocspkit_bytes params, ocspkit_hash *hash, ocspkit_hash *mgf1, size_t *salt);

/* okit_pss_params_write writes RSASSA-PSS-params for hash h, MGF1 with
 * mgf and salt, leaving out the fields that have their DEFAULT. */
void okit_pss_params_write(okit_buf *b, ocspkit_hash h, ocspkit_hash mgf, size_t salt);

/* okit_pss_encode writes to em (em_len = ceil(em_bits / 8) octets) the
 * EMSA-PSS encoding of the digest mhash (made with h) with salt; mgf is
 * MGF1's hash.  OCSPKIT_E_KEY_ALGORITHM_MISMATCH if the key is too small
 * for these parameters.  okit_pss_verify returns 1 if em is the encoding
 * of mhash with some salt of salt_len octets, else 0. */
ocspkit_err okit_pss_encode(uint8_t *em, size_t em_len, size_t em_bits, const struct nettle_hash *h,
			    const struct nettle_hash *mgf, const uint8_t *mhash, const uint8_t *salt,
			    size_t salt_len);
int okit_pss_verify(const uint8_t *em, size_t em_len, size_t em_bits, const struct nettle_hash *h,
		    const struct nettle_hash *mgf, const uint8_t *mhash, size_t salt_len);

#endif
