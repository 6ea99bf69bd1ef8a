/* What the response module offers the rest of the codec (the public API
 * is <ocspkit/ocsp.h>). */
#ifndef OCSPKIT_RESPONSE_H
#define OCSPKIT_RESPONSE_H

#include <ocspkit/ocsp.h>

/* Whether a SingleResponse's CertID is one being looked for. */
typedef int (*okit_certid_match)(const ocspkit_cert_id *id, void *arg);

/* okit_singles_find looks in singles[0..n) for the SingleResponses whose
 * CertID match(id, arg) accepts.  It returns OCSPKIT_OK with *out the
 * first of them, OCSPKIT_E_CERT_ID_CONFLICT if two of them say different
 * things (RFC 6960 gives no way to choose, and GnuTLS's CVE-2026-3832 was
 * choosing one), or OCSPKIT_E_NOT_FOUND. */
ocspkit_err okit_singles_find(const ocspkit_single_response *singles, size_t n, okit_certid_match match, void *arg,
			      const ocspkit_single_response **out);

#endif
