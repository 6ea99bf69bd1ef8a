/* Extensions (RFC 5280 section 4.1; RFC 6960 section 4.4, RFC 8954, RFC
 * 5280 section 5.3 for those OCSP knows):
 *
 *   Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension
 *   Extension  ::= SEQUENCE {
 *       extnID      OBJECT IDENTIFIER,
 *       critical    BOOLEAN DEFAULT FALSE,
 *       extnValue   OCTET STRING }
 *
 * Lists read and written, the value of every known extension checked
 * against its type; the typed readers (ocspkit_ext_*) are declared in
 * <ocspkit/ocsp.h>. */
#ifndef OCSPKIT_EXT_H
#define OCSPKIT_EXT_H

#include <ocspkit/ocsp.h>

#include "buf.h"
#include "der.h"

/* okit_ext_type returns the ocspkit_ext_type of an extension's OID:
 * OCSPKIT_EXT_UNKNOWN for the certificate and CRL extensions, which share
 * the OID table but are not the public types (their ids are okit_cert_ext). */
ocspkit_ext_type okit_ext_type(ocspkit_bytes oid);

/* okit_ext_check_value checks the value of ext against the type of its
 * extension (a nonce's size too, unless OCSPKIT_DECODE_ALLOW_ANY_NONCE_SIZE
 * is in c's flags); unknown extensions are opaque octets and pass. */
ocspkit_err okit_ext_check_value(okit_dctx *c, const ocspkit_extension *ext);

/* An object's array of extensions, from which each list in the object
 * takes its part in turn (okit_exts_take): [next, end) is what is left of
 * the total the check pass counted. */
typedef struct {
	ocspkit_extension *next, *end;
	size_t total;
} okit_ext_store;

/* okit_exts_take reads the checked Extensions element list into the next
 * entries of s, refusing more than OCSPKIT_MAX_EXTENSIONS, an extension
 * twice, and known extensions whose value is not of their type; *exts and
 * *n get the entries read.  OCSPKIT_E_INTERNAL if s has too little room
 * left (the check pass counted otherwise). */
ocspkit_err okit_exts_take(okit_dctx *c, okit_ext_store *s, const okit_tlv *list,
			   const ocspkit_extension **exts, size_t *n);

/* okit_exts_count sets *n to the number of extensions in the checked
 * Extensions element list: OCSPKIT_E_LIMIT_EXTENSIONS above
 * OCSPKIT_MAX_EXTENSIONS.  okit_exts_read then reads them into out[0..n),
 * with the other checks of okit_exts_take. */
ocspkit_err okit_exts_count(okit_dctx *c, const okit_tlv *list, size_t *n);
ocspkit_err okit_exts_read(okit_dctx *c, const okit_tlv *list, ocspkit_extension *out, size_t n);

/* okit_exts_nonce sets *nonce to the content of the nonce among exts[0..n)
 * and *has to 1, or *has to 0 when there is none. */
ocspkit_err okit_exts_nonce(okit_dctx *c, const ocspkit_extension *exts, size_t n, int *has, ocspkit_bytes *nonce);

/* okit_exts_write writes exts[0..n) inside the explicit tag whose
 * identifier octet is id (ID_<Type>_<field>), nothing when n is 0.  An
 * extension named by its type alone (empty oid) gets the type's OID.  It
 * returns OCSPKIT_E_INVALID_ARGUMENT, _LIMIT_EXTENSIONS,
 * _DUPLICATE_EXTENSION or _BAD_EXTENSION (a known extension whose value is
 * not of its type) for lists that would not decode. */
ocspkit_err okit_exts_write(okit_buf *b, uint8_t id, const ocspkit_extension *exts, size_t n);

/* okit_exts_write_list writes exts[0..n), n at least 1, as a bare
 * Extensions (crlEntryExtensions has no tag of its own), with the checks
 * of okit_exts_write. */
ocspkit_err okit_exts_write_list(okit_buf *b, const ocspkit_extension *exts, size_t n);

#endif
