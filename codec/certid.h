/* CertID (RFC 6960 section 4.1.1), read, written, compared and computed:
 *
 *   CertID ::= SEQUENCE {
 *       hashAlgorithm       AlgorithmIdentifier,
 *       issuerNameHash      OCTET STRING,
 *       issuerKeyHash       OCTET STRING,
 *       serialNumber        CertificateSerialNumber }
 *
 * The public functions (ocspkit_cert_id_*) are declared in
 * <ocspkit/ocsp.h> and <ocspkit/x509.h>. */
#ifndef OCSPKIT_CERTID_H
#define OCSPKIT_CERTID_H

#include <ocspkit/ocsp.h>

#include "buf.h"
#include "der.h"

/* okit_certid_read reads a checked CertID element t into out (views into
 * t's octets; the serial without the octets
 * OCSPKIT_DECODE_ALLOW_PADDED_INTEGER lets through, so that CertIDs
 * match). */
ocspkit_err okit_certid_read(okit_dctx *c, const okit_tlv *t, ocspkit_cert_id *out);

/* okit_certid_write writes id, with SHA-x and NULL parameters when its
 * hash_algorithm is empty.  It returns OCSPKIT_E_INVALID_ARGUMENT for what
 * would not decode (a bad OID or parameters, a serial that is not
 * minimal). */
ocspkit_err okit_certid_write(okit_buf *b, const ocspkit_cert_id *id);

#endif
