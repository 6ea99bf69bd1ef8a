/* ocspkit: error codes.
 *
 * Every function of the library that can fail returns an ocspkit_err by
 * value.  The codes are fine-grained on purpose: a caller (or a test) can
 * tell a non-minimal length from trailing data from an out-of-range enum.
 * Decoders also report the byte offset where decoding stopped.
 *
 * Values are part of the ABI: new codes are only ever appended.  The
 * conventions of every header are at the top of <ocspkit/ocspkit.h>.
 */
#ifndef OCSPKIT_ERROR_H
#define OCSPKIT_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define OCSPKIT_WUR __attribute__((warn_unused_result))
#else
#define OCSPKIT_WUR
#endif

typedef enum {
	OCSPKIT_OK = 0,

	/* Caller and environment */
	OCSPKIT_E_INVALID_ARGUMENT = 1,
	OCSPKIT_E_NO_MEMORY = 2,
	OCSPKIT_E_INTERNAL = 3,
	OCSPKIT_E_NOT_FOUND = 4,

	/* DER: tags and lengths */
	OCSPKIT_E_DER_TRUNCATED = 10,
	OCSPKIT_E_DER_INDEFINITE_LENGTH = 11,
	OCSPKIT_E_DER_NONMINIMAL_LENGTH = 12,
	OCSPKIT_E_DER_LENGTH_OVERFLOW = 13,
	OCSPKIT_E_DER_NONMINIMAL_TAG = 14,
	OCSPKIT_E_DER_TAG_OVERFLOW = 15,
	OCSPKIT_E_DER_TRAILING_DATA = 16,
	OCSPKIT_E_DER_UNEXPECTED_TAG = 17,
	OCSPKIT_E_DER_MISSING_FIELD = 18,
	OCSPKIT_E_DER_WRONG_FORM = 19,
	OCSPKIT_E_DER_TOO_DEEP = 20,

	/* DER: values */
	OCSPKIT_E_DER_EMPTY_INTEGER = 30,
	OCSPKIT_E_DER_NONMINIMAL_INTEGER = 31,
	OCSPKIT_E_DER_INTEGER_RANGE = 32,
	OCSPKIT_E_DER_BAD_BOOLEAN = 33,
	OCSPKIT_E_DER_BAD_NULL = 34,
	OCSPKIT_E_DER_BAD_BIT_STRING = 35,
	OCSPKIT_E_DER_BAD_OID = 36,
	OCSPKIT_E_DER_BAD_TIME = 37,
	OCSPKIT_E_DER_BAD_STRING = 38,
	OCSPKIT_E_DER_EXPLICIT_DEFAULT = 39,
	OCSPKIT_E_DER_SET_ORDER = 40,
	OCSPKIT_E_DER_SIZE = 41,
	OCSPKIT_E_DER_ENUM_VALUE = 42,

	/* OCSP structure */
	OCSPKIT_E_BAD_RESPONSE_STATUS = 50,
	OCSPKIT_E_BAD_CRL_REASON = 51,
	OCSPKIT_E_UNSUPPORTED_VERSION = 52,
	OCSPKIT_E_UNKNOWN_RESPONSE_TYPE = 53,
	OCSPKIT_E_MISSING_RESPONSE_BYTES = 54,
	OCSPKIT_E_UNEXPECTED_RESPONSE_BYTES = 55,
	OCSPKIT_E_BAD_KEY_HASH = 56,
	OCSPKIT_E_BAD_SIGNATURE_BITS = 57,
	OCSPKIT_E_DUPLICATE_EXTENSION = 58,
	OCSPKIT_E_BAD_EXTENSION = 59,
	OCSPKIT_E_BAD_NONCE_SIZE = 60,
	OCSPKIT_E_NOT_SUCCESSFUL = 61,
	OCSPKIT_E_CERT_ID_CONFLICT = 62,
	OCSPKIT_E_BAD_ALGORITHM_PARAMS = 63,
	OCSPKIT_E_BAD_CERTIFICATE = 64,

	/* Limits (see the OCSPKIT_MAX_* constants) */
	OCSPKIT_E_LIMIT_INPUT_SIZE = 70,
	OCSPKIT_E_LIMIT_REQUESTS = 71,
	OCSPKIT_E_LIMIT_SINGLE_RESPONSES = 72,
	OCSPKIT_E_LIMIT_EXTENSIONS = 73,
	OCSPKIT_E_LIMIT_CERTIFICATES = 74,

	/* Text encodings (base64, PEM, hex: no longer the library's, kept
	 * for the programs that use these codes for them) */
	OCSPKIT_E_PEM_NO_BLOCK = 80,
	OCSPKIT_E_PEM_BAD_BLOCK = 81,
	OCSPKIT_E_BAD_BASE64 = 82,
	OCSPKIT_E_BAD_HEX = 83,

	/* Algorithms and keys */
	OCSPKIT_E_UNSUPPORTED_ALGORITHM = 90,
	OCSPKIT_E_WEAK_ALGORITHM = 91,
	OCSPKIT_E_BAD_PUBLIC_KEY = 92,
	OCSPKIT_E_BAD_PRIVATE_KEY = 93,
	OCSPKIT_E_KEY_ALGORITHM_MISMATCH = 94,
	OCSPKIT_E_SIGNING_FAILED = 95,
	OCSPKIT_E_BAD_SIGNATURE_ENCODING = 96,

	/* Validation (RFC 6960 section 3.2) */
	OCSPKIT_E_SIGNATURE_INVALID = 100,
	OCSPKIT_E_SIGNER_NOT_FOUND = 101,
	OCSPKIT_E_SIGNER_NOT_AUTHORIZED = 102,
	OCSPKIT_E_SIGNER_NO_OCSP_SIGNING = 103,
	OCSPKIT_E_SIGNER_WRONG_ISSUER = 104,
	OCSPKIT_E_SIGNER_CERT_SIGNATURE = 105,
	OCSPKIT_E_SIGNER_EXPIRED = 106,
	OCSPKIT_E_SIGNER_NOT_YET_VALID = 107,
	OCSPKIT_E_RESPONDER_ID_MISMATCH = 108,
	OCSPKIT_E_CERT_ID_NOT_FOUND = 109,
	OCSPKIT_E_RESPONSE_NOT_YET_VALID = 110,
	OCSPKIT_E_RESPONSE_EXPIRED = 111,
	OCSPKIT_E_RESPONSE_TOO_OLD = 112,
	OCSPKIT_E_NONCE_MISSING = 113,
	OCSPKIT_E_NONCE_MISMATCH = 114,
	OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION = 115,
	OCSPKIT_E_PRODUCED_AT_INVALID = 116,

	/* Keys (continued) */
	OCSPKIT_E_KEY_MISMATCH = 117,

	/* Limits (continued) */
	OCSPKIT_E_LIMIT_TIME_FRACTION = 118,

	/* Keep last: one past the highest code */
	OCSPKIT_E__END
} ocspkit_err;

/* ocspkit_strerror returns a human-readable description of err, a static
 * string, never NULL ("unknown error" for a value that is none). */
const char *ocspkit_strerror(ocspkit_err err);

/* ocspkit_strerror_name returns the symbolic name of err
 * ("OCSPKIT_E_DER_TRAILING_DATA"), a static string, never NULL. */
const char *ocspkit_strerror_name(ocspkit_err err);

#ifdef __cplusplus
}
#endif

#endif /* OCSPKIT_ERROR_H */
