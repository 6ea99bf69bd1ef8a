/* AlgorithmIdentifier (RFC 5280 section 4.1.1.2), read and written:
 *
 *   AlgorithmIdentifier ::= SEQUENCE {
 *       algorithm    OBJECT IDENTIFIER,
 *       parameters   ANY DEFINED BY algorithm OPTIONAL } */
#ifndef OCSPKIT_ALGID_H
#define OCSPKIT_ALGID_H

#include <ocspkit/ocsp.h>

#include "buf.h"
#include "der.h"

/* okit_algid_read reads a checked AlgorithmIdentifier element t: out gets
 * views of the OID's content octets and of the whole parameters element
 * (empty when absent). */
ocspkit_err okit_algid_read(okit_dctx *c, const okit_tlv *t, ocspkit_algorithm_id *out);

/* okit_algid_write writes alg, which okit_algid_check accepted. */
void okit_algid_write(okit_buf *b, const ocspkit_algorithm_id *alg);

/* okit_algid_check returns OCSPKIT_OK if alg can be written and read back:
 * a valid OID, and parameters absent or one strict DER element; else
 * OCSPKIT_E_INVALID_ARGUMENT. */
ocspkit_err okit_algid_check(const ocspkit_algorithm_id *alg);

/* okit_algid_no_params returns 1 if params, an AlgorithmIdentifier's, are
 * absent or NULL: what hashes and RSA want (RFC 4055, RFC 5754, RFC 3279),
 * where both forms are seen. */
int okit_algid_no_params(ocspkit_bytes params);

/* okit_algid_null is the DER NULL (05 00): the parameters ocspkit writes
 * for hashes, as OpenSSL and most responders do. */
extern const ocspkit_bytes okit_algid_null;

#endif
