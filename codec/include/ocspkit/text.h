/* ocspkit: what a program shows its user.  Printing of requests and
 * responses (the fields `openssl ocsp -req_text/-resp_text` shows), names,
 * object identifiers and times.  Strings returned through char ** are
 * released with ocspkit_free().  The text encodings of DER (base64, PEM,
 * hex) are not the library's: a program has its own.
 */
#ifndef OCSPKIT_TEXT_H
#define OCSPKIT_TEXT_H

#include <ocspkit/ocsp.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ocspkit_request_print and ocspkit_response_print set *text (freed with
 * ocspkit_free) to a human-readable dump of req or resp, one field per
 * line, the fields `openssl ocsp -req_text` / `-resp_text` shows (the
 * embedded certificates' summaries included).  OCSPKIT_OK,
 * OCSPKIT_E_INVALID_ARGUMENT or OCSPKIT_E_NO_MEMORY; *text NULL on
 * failure. */
OCSPKIT_WUR ocspkit_err ocspkit_request_print(char **text, const ocspkit_request *req);
OCSPKIT_WUR ocspkit_err ocspkit_response_print(char **text, const ocspkit_response *resp);

/* The styles of ocspkit_name_to_string.  RFC4514: "CN=leaf,O=Example,C=US"
 * (last RDN first, RFC 4514 escaping).  ONELINE: "C = US, O = Example,
 * CN = leaf" (the order of the encoding, the form `openssl ocsp
 * -resp_text` prints). */
#define OCSPKIT_NAME_RFC4514 0u
#define OCSPKIT_NAME_ONELINE 1u

/* ocspkit_name_to_string sets *out (freed with ocspkit_free) to the Name
 * whose whole DER is name_der in style (OCSPKIT_NAME_*).  OCSPKIT_OK, the
 * DER error of a Name that does not decode, OCSPKIT_E_INVALID_ARGUMENT,
 * OCSPKIT_E_NO_MEMORY; *out NULL on failure. */
OCSPKIT_WUR ocspkit_err ocspkit_name_to_string(char **out, ocspkit_bytes name_der, unsigned style);

/* ocspkit_general_name_to_string is ocspkit_name_to_string for a
 * GeneralName: "DirName:...", "URI:...", "DNS:...", "email:...",
 * "IP:...". */
OCSPKIT_WUR ocspkit_err ocspkit_general_name_to_string(char **out, ocspkit_bytes general_name_der);

/* ocspkit_oid_name sets *name to the name of the object identifier whose
 * content octets are oid, OpenSSL's where it has one
 * ("sha256WithRSAEncryption", "ecdsa-with-SHA256", "ED25519", "rsassaPss",
 * "basicOCSPResponse"; a static string), and returns OCSPKIT_OK, or
 * returns OCSPKIT_E_NOT_FOUND with *name NULL for an OID the library does
 * not know. */
OCSPKIT_WUR ocspkit_err ocspkit_oid_name(const char **name, ocspkit_bytes oid);

/* ocspkit_oid_to_dotted writes the dotted decimal form of oid (content
 * octets), terminated, to buf (cap octets).  OCSPKIT_OK, or
 * OCSPKIT_E_INVALID_ARGUMENT when it does not fit or oid is not one. */
OCSPKIT_WUR ocspkit_err ocspkit_oid_to_dotted(char *buf, size_t cap, ocspkit_bytes oid);

/* The size of ocspkit_time_format's output with its terminator. */
#define OCSPKIT_TIME_STRING_SIZE 21

/* ocspkit_time_format writes t as "2026-11-22T01:57:04Z" to buf
 * ("0000-00-00T00:00:00Z" for a year outside 0 .. 9999). */
void ocspkit_time_format(char buf[OCSPKIT_TIME_STRING_SIZE], int64_t t);

/* ocspkit_time_parse sets *t to the time s gives: that form,
 * "YYYYMMDDHHMMSSZ", or seconds since the epoch (digits, or '@' and
 * digits with an optional '-').  OCSPKIT_OK, or OCSPKIT_E_INVALID_ARGUMENT
 * for anything else (an invalid date, a number that does not fit). */
OCSPKIT_WUR ocspkit_err ocspkit_time_parse(int64_t *t, const char *s);

#ifdef __cplusplus
}
#endif

#endif /* OCSPKIT_TEXT_H */
