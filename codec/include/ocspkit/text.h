/* ocspkit: what a program shows its user.  Printing of requests and
 * responses (the fields `openssl ocsp -req_text/-resp_text` shows), names,
 * object identifiers and times.  Strings returned through char ** are
 * released with ocspkit_free().
 */
#ifndef OCSPKIT_TEXT_H
#define OCSPKIT_TEXT_H

#include <ocspkit/ocsp.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Human-readable dumps, one field per line. */
OCSPKIT_WUR ocspkit_err ocspkit_request_print(char **text, const ocspkit_request *req);
OCSPKIT_WUR ocspkit_err ocspkit_response_print(char **text, const ocspkit_response *resp);

/* Distinguished names.  RFC4514: "CN=leaf,O=Example,C=US" (last RDN first,
 * RFC 4514 escaping).  ONELINE: "C = US, O = Example, CN = leaf" (the order
 * of the encoding, the form `openssl ocsp -resp_text` prints). */
#define OCSPKIT_NAME_RFC4514 0u
#define OCSPKIT_NAME_ONELINE 1u
OCSPKIT_WUR ocspkit_err ocspkit_name_to_string(char **out, ocspkit_bytes name_der, unsigned style);
/* A GeneralName as "DirName:...", "URI:...", "DNS:...", "email:...", "IP:..." */
OCSPKIT_WUR ocspkit_err ocspkit_general_name_to_string(char **out, ocspkit_bytes general_name_der);

/* ocspkit_oid_name sets *name to the name of the object identifier whose
 * content octets are oid, OpenSSL's where it has one
 * ("sha256WithRSAEncryption", "ecdsa-with-SHA256", "ED25519", "rsassaPss",
 * "basicOCSPResponse"; a static string), and returns OCSPKIT_OK, or
 * returns OCSPKIT_E_NOT_FOUND with *name NULL for an OID the library does
 * not know. */
OCSPKIT_WUR ocspkit_err ocspkit_oid_name(const char **name, ocspkit_bytes oid);
/* Dotted decimal into buf; OCSPKIT_E_INVALID_ARGUMENT if it does not fit. */
OCSPKIT_WUR ocspkit_err ocspkit_oid_to_dotted(char *buf, size_t cap, ocspkit_bytes oid);

/* "2026-11-22T01:57:04Z" (21 bytes with the terminator). */
#define OCSPKIT_TIME_STRING_SIZE 21
void ocspkit_time_format(char buf[OCSPKIT_TIME_STRING_SIZE], int64_t t);
/* Parses that form, or "YYYYMMDDHHMMSSZ", or seconds since the epoch. */
OCSPKIT_WUR ocspkit_err ocspkit_time_parse(int64_t *t, const char *s);

#ifdef __cplusplus
}
#endif

#endif /* OCSPKIT_TEXT_H */
