/* The signature block: what a request's Signature and the end of a
 * BasicOCSPResponse have in common (RFC 6960 sections 4.1.1 and 4.2.1):
 *
 *   signatureAlgorithm   AlgorithmIdentifier,
 *   signature            BIT STRING,
 *   certs            [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL
 *
 * read into and written from an ocspkit_signature_block. */
#ifndef OCSPKIT_SIGBLOCK_H
#define OCSPKIT_SIGBLOCK_H

#include <ocspkit/ocsp.h>

#include "buf.h"
#include "der.h"

/* okit_sigblock_read reads the checked fields alg and bits into out, and
 * the elements of the certificate list certs (NULL when absent) into
 * certs_out, which has room for the n the check pass counted. */
ocspkit_err okit_sigblock_read(okit_dctx *c, const okit_tlv *alg, const okit_tlv *bits, const okit_tlv *certs,
			       ocspkit_bytes *certs_out, size_t n, ocspkit_signature_block *out);

/* okit_sigblock_write writes sig, its certificates (when there are any)
 * inside the explicit tag whose identifier octet is certs_id.  It returns
 * OCSPKIT_E_INVALID_ARGUMENT or OCSPKIT_E_LIMIT_CERTIFICATES for a block
 * that would not decode. */
ocspkit_err okit_sigblock_write(okit_buf *b, const ocspkit_signature_block *sig, uint8_t certs_id);

#endif
