/* ocspkit: a strict DER codec, signing and validation for OCSP (RFC 6960).
 *
 * Include this header; the others are its parts:
 *
 *   <ocspkit/error.h>     the error codes
 *   <ocspkit/ocsp.h>      requests and responses: decoding, reading, encoding;
 *                         CertIDs, extensions
 *   <ocspkit/x509.h>      the parts of certificates OCSP needs
 *   <ocspkit/crypto.h>    keys, signers, signatures, signed messages
 *   <ocspkit/validate.h>  validating a response (RFC 6960 3.2, 4.2.2.2)
 *   <ocspkit/text.h>      what a program shows its user
 *
 * Conventions, the same in every header:
 *
 * Names.  Everything is ocspkit_ (OCSPKIT_ for macros and enum values).
 * Objects are opaque: ocspkit_request, ocspkit_response, ocspkit_cert,
 * ocspkit_pubkey, ocspkit_privkey, ocspkit_signer, ocspkit_responder_cache.
 * They are made by ocspkit_X_decode (from DER), ocspkit_X_new (from parts)
 * or ocspkit_X_from_Y (from another object or its parts), and each has
 * exactly one ocspkit_X_free, which ignores NULL.  Small values (byte
 * views, CertIDs, SingleResponses, the structs the encoders take) are
 * plain structs a caller reads and fills.  _init and _clear are only for a
 * caller-owned struct the library fills (ocspkit_validate_result_clear).
 * Paired operations take their arguments in the same order and say
 * failure the same way: ocspkit_X_tbs_encode, ocspkit_X_encode and
 * ocspkit_X_assemble for requests and responses alike; ocspkit_signer_sign
 * and ocspkit_verify_signature.
 *
 * Errors.  Every function that can fail returns an ocspkit_err, marked
 * warn_unused_result: OCSPKIT_OK, or a code of its own for each reason
 * (error.h).  Outputs come first, inputs after, flags and options last.
 * On failure an output pointer is NULL and a length 0.
 *
 * Absent.  A function that may find nothing returns OCSPKIT_E_NOT_FOUND:
 * the nonce of a request or response that carries none, the signature of
 * an unsigned request, the body of a response that is not successful, the
 * keyUsage of a certificate without one, an extension of a list, the name
 * of an OID.  Never an int flag, an int *present or a NULL result.  In
 * structs an optional scalar has a has_<field> flag and an optional DER
 * value is an empty view (a present DER value never is empty).
 *
 * Accessors.  ocspkit_X_get_<field> reads a field of an object: a view
 * into the object or a value, valid as long as the object; a field that
 * may be absent is an ocspkit_err with its output first (see Absent).
 * Lists are ocspkit_X_get_<things>_count and ocspkit_X_get_<thing>(obj,
 * i).  ocspkit_X_is_... and ocspkit_X_has_... are predicates returning 1
 * or 0.  Nothing an accessor returns is freed.
 *
 * Memory.  The library allocates what it returns.  Buffers returned
 * through uint8_t ** or char ** are released with ocspkit_free, objects
 * with their _free.  Inputs are copied, or only read during the call,
 * unless a comment says borrowed (then they must outlive what borrows
 * them).
 *
 * Time.  Times are int64_t seconds since the epoch, UTC.  No function
 * reads the clock: the caller says when "now" is.
 *
 * Threads.  The library has no global state but what it builds once,
 * itself (the compiled schema, the OID table).  Objects are immutable once
 * made and may be read, and keys and signers used, from any number of
 * threads at once; a responder cache locks itself.  A signer's callback
 * must allow several threads at once.
 *
 * ABI.  Exported symbols are the functions declared here, all ocspkit_;
 * enum values are only ever appended.
 */
#ifndef OCSPKIT_H
#define OCSPKIT_H

#include <ocspkit/error.h>
#include <ocspkit/ocsp.h>
#include <ocspkit/x509.h>
#include <ocspkit/crypto.h>
#include <ocspkit/validate.h>
#include <ocspkit/text.h>
#include <ocspkit/crl.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ocspkit_version returns the version of the library, as configure.ac
 * gives it to the package ("0.1.0"): a static string. */
const char *ocspkit_version(void);

#ifdef __cplusplus
}
#endif

#endif /* OCSPKIT_H */
