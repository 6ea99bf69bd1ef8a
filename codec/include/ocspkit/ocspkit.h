/* ocspkit: strict DER codec, signing and validation for OCSP (RFC 6960).
 * Include this header; the others are its parts. */
#ifndef OCSPKIT_H
#define OCSPKIT_H

#include <ocspkit/error.h>
#include <ocspkit/ocsp.h>
#include <ocspkit/x509.h>
#include <ocspkit/text.h>
#include <ocspkit/crypto.h>
#include <ocspkit/crl.h>

#define OCSPKIT_VERSION "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version string. */
const char *ocspkit_version(void);

#ifdef __cplusplus
}
#endif

#endif /* OCSPKIT_H */
