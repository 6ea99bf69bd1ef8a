/* Shared between the codec's modules; nothing here is public. */
#ifndef OCSPKIT_INTERNAL_H
#define OCSPKIT_INTERNAL_H

#include <ocspkit/ocspkit.h>

#include "alloc.h"
#include "buf.h"
#include "bytes.h"
#include "civil.h"
#include "der.h"
#include "der_write.h"
#include "oid.h"
#include "schema.h"
#include "try.h"

/* ---- reading fields of checked elements (fields.c) */

ocspkit_err okit_read_algid(okit_dctx *c, const okit_tlv *t, ocspkit_algorithm_id *out);
ocspkit_err okit_read_cert_id(okit_dctx *c, const okit_tlv *t, ocspkit_cert_id *out);
/* Number of Extension elements in an Extensions element, checking the
 * OCSPKIT_MAX_EXTENSIONS limit. */
ocspkit_err okit_count_extensions(okit_dctx *c, const okit_tlv *exts, size_t *n);
/* Reads an Extensions element into out[0..n) (n from okit_count_extensions),
 * refusing duplicates and checking the value of every known extension. */
ocspkit_err okit_read_extensions(okit_dctx *c, const okit_tlv *exts, ocspkit_extension *out, size_t n);

/* Checks the value of a known extension against its type (ext.c). */
ocspkit_err okit_ext_check_value(okit_dctx *c, const ocspkit_extension *ext);

/* ---- writing (fields.c) */

void okit_write_algid(okit_buf *b, const ocspkit_algorithm_id *alg);
ocspkit_err okit_write_cert_id(okit_buf *b, const ocspkit_cert_id *id);
/* Extensions inside the explicit tag whose identifier octet is id
 * (ID_<Type>_<field>), nothing when n == 0. */
ocspkit_err okit_write_extensions(okit_buf *b, uint8_t id, const ocspkit_extension *exts, size_t n);
/* signatureAlgorithm, signature and, when there are any, the certificates
 * inside the explicit tag certs_id. */
ocspkit_err okit_write_signature(okit_buf *b, const ocspkit_signature_block *sig, uint8_t certs_id);
/* Checks that bytes are exactly one element of the given type. */
ocspkit_err okit_check_input(okit_type type, ocspkit_bytes der);

/* Digest of data with a CertID hash (hash.c); out must hold
 * ocspkit_hash_size(h) octets.  OCSPKIT_E_UNSUPPORTED_ALGORITHM for unknown
 * hashes, OCSPKIT_E_WEAK_ALGORITHM for MD2 and MD5. */
ocspkit_err okit_digest(ocspkit_hash h, const uint8_t *data, size_t len, uint8_t *out);

#endif
