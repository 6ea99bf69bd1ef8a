/* Names and descriptions of the error codes. */
#include <config.h>

#include <ocspkit/error.h>

static const struct {
	const char *name;
	const char *text;
} errors[OCSPKIT_E__END] = {
	[OCSPKIT_OK] = { "OCSPKIT_OK", "success" },
	[OCSPKIT_E_INVALID_ARGUMENT] = { "OCSPKIT_E_INVALID_ARGUMENT", "invalid argument" },
	[OCSPKIT_E_NO_MEMORY] = { "OCSPKIT_E_NO_MEMORY", "out of memory" },
	[OCSPKIT_E_INTERNAL] = { "OCSPKIT_E_INTERNAL", "internal error" },
	[OCSPKIT_E_NOT_FOUND] = { "OCSPKIT_E_NOT_FOUND", "not found" },
	[OCSPKIT_E_DER_TRUNCATED] = { "OCSPKIT_E_DER_TRUNCATED", "DER: element runs past the end of its container" },
	[OCSPKIT_E_DER_INDEFINITE_LENGTH] = { "OCSPKIT_E_DER_INDEFINITE_LENGTH", "DER: indefinite length" },
	[OCSPKIT_E_DER_NONMINIMAL_LENGTH] = { "OCSPKIT_E_DER_NONMINIMAL_LENGTH", "DER: length not in its shortest form" },
	[OCSPKIT_E_DER_LENGTH_OVERFLOW] = { "OCSPKIT_E_DER_LENGTH_OVERFLOW", "DER: length too large" },
	[OCSPKIT_E_DER_NONMINIMAL_TAG] = { "OCSPKIT_E_DER_NONMINIMAL_TAG", "DER: tag number not in its shortest form" },
	[OCSPKIT_E_DER_TAG_OVERFLOW] = { "OCSPKIT_E_DER_TAG_OVERFLOW", "DER: tag number too large" },
	[OCSPKIT_E_DER_TRAILING_DATA] = { "OCSPKIT_E_DER_TRAILING_DATA", "DER: data after the end of an element" },
	[OCSPKIT_E_DER_UNEXPECTED_TAG] = { "OCSPKIT_E_DER_UNEXPECTED_TAG", "DER: unexpected tag" },
	[OCSPKIT_E_DER_MISSING_FIELD] = { "OCSPKIT_E_DER_MISSING_FIELD", "DER: required field missing" },
	[OCSPKIT_E_DER_WRONG_FORM] = { "OCSPKIT_E_DER_WRONG_FORM", "DER: constructed where primitive is required, or the reverse" },
	[OCSPKIT_E_DER_TOO_DEEP] = { "OCSPKIT_E_DER_TOO_DEEP", "DER: nesting too deep" },
	[OCSPKIT_E_DER_EMPTY_INTEGER] = { "OCSPKIT_E_DER_EMPTY_INTEGER", "DER: INTEGER with no content octets" },
	[OCSPKIT_E_DER_NONMINIMAL_INTEGER] = { "OCSPKIT_E_DER_NONMINIMAL_INTEGER", "DER: INTEGER not in its shortest form" },
	[OCSPKIT_E_DER_INTEGER_RANGE] = { "OCSPKIT_E_DER_INTEGER_RANGE", "DER: INTEGER out of range" },
	[OCSPKIT_E_DER_BAD_BOOLEAN] = { "OCSPKIT_E_DER_BAD_BOOLEAN", "DER: BOOLEAN not 00 or FF" },
	[OCSPKIT_E_DER_BAD_NULL] = { "OCSPKIT_E_DER_BAD_NULL", "DER: NULL with content" },
	[OCSPKIT_E_DER_BAD_BIT_STRING] = { "OCSPKIT_E_DER_BAD_BIT_STRING", "DER: BIT STRING with bad unused-bits count or padding" },
	[OCSPKIT_E_DER_BAD_OID] = { "OCSPKIT_E_DER_BAD_OID", "DER: malformed OBJECT IDENTIFIER" },
	[OCSPKIT_E_DER_BAD_TIME] = { "OCSPKIT_E_DER_BAD_TIME", "DER: time not in the YYYYMMDDHHMMSS[.f]Z / YYMMDDHHMMSSZ form or out of range" },
	[OCSPKIT_E_DER_BAD_STRING] = { "OCSPKIT_E_DER_BAD_STRING", "DER: character not allowed in the string type" },
	[OCSPKIT_E_DER_EXPLICIT_DEFAULT] = { "OCSPKIT_E_DER_EXPLICIT_DEFAULT", "DER: DEFAULT value encoded explicitly" },
	[OCSPKIT_E_DER_SET_ORDER] = { "OCSPKIT_E_DER_SET_ORDER", "DER: SET OF elements not in ascending order" },
	[OCSPKIT_E_DER_SIZE] = { "OCSPKIT_E_DER_SIZE", "DER: SIZE constraint violated (empty list)" },
	[OCSPKIT_E_DER_ENUM_VALUE] = { "OCSPKIT_E_DER_ENUM_VALUE", "DER: ENUMERATED value not in its list" },
	[OCSPKIT_E_BAD_RESPONSE_STATUS] = { "OCSPKIT_E_BAD_RESPONSE_STATUS", "OCSP: responseStatus value is not defined" },
	[OCSPKIT_E_BAD_CRL_REASON] = { "OCSPKIT_E_BAD_CRL_REASON", "OCSP: CRLReason value is not defined (7 or above 10)" },
	[OCSPKIT_E_UNSUPPORTED_VERSION] = { "OCSPKIT_E_UNSUPPORTED_VERSION", "unsupported version" },
	[OCSPKIT_E_UNKNOWN_RESPONSE_TYPE] = { "OCSPKIT_E_UNKNOWN_RESPONSE_TYPE", "OCSP: responseType is not id-pkix-ocsp-basic" },
	[OCSPKIT_E_MISSING_RESPONSE_BYTES] = { "OCSPKIT_E_MISSING_RESPONSE_BYTES", "OCSP: successful response without responseBytes" },
	[OCSPKIT_E_UNEXPECTED_RESPONSE_BYTES] = { "OCSPKIT_E_UNEXPECTED_RESPONSE_BYTES", "OCSP: error response with responseBytes" },
	[OCSPKIT_E_BAD_KEY_HASH] = { "OCSPKIT_E_BAD_KEY_HASH", "OCSP: byKey responder ID is not a 20-octet SHA-1 hash" },
	[OCSPKIT_E_BAD_SIGNATURE_BITS] = { "OCSPKIT_E_BAD_SIGNATURE_BITS", "signature or key BIT STRING has unused bits" },
	[OCSPKIT_E_DUPLICATE_EXTENSION] = { "OCSPKIT_E_DUPLICATE_EXTENSION", "extension appears twice in one list" },
	[OCSPKIT_E_BAD_EXTENSION] = { "OCSPKIT_E_BAD_EXTENSION", "extension value does not match its type" },
	[OCSPKIT_E_BAD_NONCE_SIZE] = { "OCSPKIT_E_BAD_NONCE_SIZE", "nonce outside the 1..32 octets of RFC 8954" },
	[OCSPKIT_E_NOT_SUCCESSFUL] = { "OCSPKIT_E_NOT_SUCCESSFUL", "OCSP: response status is not successful" },
	[OCSPKIT_E_CERT_ID_CONFLICT] = { "OCSPKIT_E_CERT_ID_CONFLICT", "OCSP: the same CertID appears with conflicting statuses" },
	[OCSPKIT_E_BAD_ALGORITHM_PARAMS] = { "OCSPKIT_E_BAD_ALGORITHM_PARAMS", "bad algorithm parameters" },
	[OCSPKIT_E_BAD_CERTIFICATE] = { "OCSPKIT_E_BAD_CERTIFICATE", "bad certificate" },
	[OCSPKIT_E_LIMIT_INPUT_SIZE] = { "OCSPKIT_E_LIMIT_INPUT_SIZE", "limit: input larger than OCSPKIT_MAX_MESSAGE_SIZE" },
	[OCSPKIT_E_LIMIT_REQUESTS] = { "OCSPKIT_E_LIMIT_REQUESTS", "limit: more than OCSPKIT_MAX_REQUESTS requests" },
	[OCSPKIT_E_LIMIT_SINGLE_RESPONSES] = { "OCSPKIT_E_LIMIT_SINGLE_RESPONSES", "limit: more than OCSPKIT_MAX_SINGLE_RESPONSES responses" },
	[OCSPKIT_E_LIMIT_EXTENSIONS] = { "OCSPKIT_E_LIMIT_EXTENSIONS", "limit: more than OCSPKIT_MAX_EXTENSIONS extensions in a list" },
	[OCSPKIT_E_LIMIT_CERTIFICATES] = { "OCSPKIT_E_LIMIT_CERTIFICATES", "limit: more than OCSPKIT_MAX_CERTIFICATES certificates" },
	[OCSPKIT_E_PEM_NO_BLOCK] = { "OCSPKIT_E_PEM_NO_BLOCK", "PEM: no block with the expected label" },
	[OCSPKIT_E_PEM_BAD_BLOCK] = { "OCSPKIT_E_PEM_BAD_BLOCK", "PEM: malformed block" },
	[OCSPKIT_E_BAD_BASE64] = { "OCSPKIT_E_BAD_BASE64", "invalid base64" },
	[OCSPKIT_E_BAD_HEX] = { "OCSPKIT_E_BAD_HEX", "invalid hexadecimal" },
	[OCSPKIT_E_UNSUPPORTED_ALGORITHM] = { "OCSPKIT_E_UNSUPPORTED_ALGORITHM", "unsupported algorithm" },
	[OCSPKIT_E_WEAK_ALGORITHM] = { "OCSPKIT_E_WEAK_ALGORITHM", "algorithm refused as insecure (MD2, MD5)" },
	[OCSPKIT_E_BAD_PUBLIC_KEY] = { "OCSPKIT_E_BAD_PUBLIC_KEY", "bad public key" },
	[OCSPKIT_E_BAD_PRIVATE_KEY] = { "OCSPKIT_E_BAD_PRIVATE_KEY", "bad private key" },
	[OCSPKIT_E_KEY_ALGORITHM_MISMATCH] = { "OCSPKIT_E_KEY_ALGORITHM_MISMATCH", "key does not match the signature algorithm" },
	[OCSPKIT_E_SIGNING_FAILED] = { "OCSPKIT_E_SIGNING_FAILED", "signing failed" },
	[OCSPKIT_E_BAD_SIGNATURE_ENCODING] = { "OCSPKIT_E_BAD_SIGNATURE_ENCODING", "signature value is not correctly encoded" },
	[OCSPKIT_E_SIGNATURE_INVALID] = { "OCSPKIT_E_SIGNATURE_INVALID", "signature does not verify" },
	[OCSPKIT_E_SIGNER_NOT_FOUND] = { "OCSPKIT_E_SIGNER_NOT_FOUND", "no certificate matches the responder ID" },
	[OCSPKIT_E_SIGNER_NOT_AUTHORIZED] = { "OCSPKIT_E_SIGNER_NOT_AUTHORIZED", "responder is neither the issuing CA nor authorized by it" },
	[OCSPKIT_E_SIGNER_NO_OCSP_SIGNING] = { "OCSPKIT_E_SIGNER_NO_OCSP_SIGNING", "delegated responder certificate lacks id-kp-OCSPSigning" },
	[OCSPKIT_E_SIGNER_WRONG_ISSUER] = { "OCSPKIT_E_SIGNER_WRONG_ISSUER", "delegated responder certificate not issued by the CA" },
	[OCSPKIT_E_SIGNER_CERT_SIGNATURE] = { "OCSPKIT_E_SIGNER_CERT_SIGNATURE", "delegated responder certificate signature does not verify" },
	[OCSPKIT_E_SIGNER_EXPIRED] = { "OCSPKIT_E_SIGNER_EXPIRED", "responder certificate expired" },
	[OCSPKIT_E_SIGNER_NOT_YET_VALID] = { "OCSPKIT_E_SIGNER_NOT_YET_VALID", "responder certificate not yet valid" },
	[OCSPKIT_E_RESPONDER_ID_MISMATCH] = { "OCSPKIT_E_RESPONDER_ID_MISMATCH", "responder ID does not match the signer" },
	[OCSPKIT_E_CERT_ID_NOT_FOUND] = { "OCSPKIT_E_CERT_ID_NOT_FOUND", "response has no status for the certificate asked about" },
	[OCSPKIT_E_RESPONSE_NOT_YET_VALID] = { "OCSPKIT_E_RESPONSE_NOT_YET_VALID", "response thisUpdate is in the future" },
	[OCSPKIT_E_RESPONSE_EXPIRED] = { "OCSPKIT_E_RESPONSE_EXPIRED", "response nextUpdate has passed" },
	[OCSPKIT_E_RESPONSE_TOO_OLD] = { "OCSPKIT_E_RESPONSE_TOO_OLD", "response older than the allowed maximum age" },
	[OCSPKIT_E_NONCE_MISSING] = { "OCSPKIT_E_NONCE_MISSING", "response carries no nonce although one was sent" },
	[OCSPKIT_E_NONCE_MISMATCH] = { "OCSPKIT_E_NONCE_MISMATCH", "response nonce differs from the one sent" },
	[OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION] = { "OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION", "unknown critical extension" },
	[OCSPKIT_E_PRODUCED_AT_INVALID] = { "OCSPKIT_E_PRODUCED_AT_INVALID", "producedAt outside the validity of the responder certificate or of the certificate asked about" },
	[OCSPKIT_E_KEY_MISMATCH] = { "OCSPKIT_E_KEY_MISMATCH", "private key does not belong to the public key or certificate" },
	[OCSPKIT_E_LIMIT_TIME_FRACTION] = { "OCSPKIT_E_LIMIT_TIME_FRACTION", "more digits of fractional seconds in a time than OCSPKIT_MAX_TIME_FRACTION_DIGITS" },
	[OCSPKIT_E_CRL_EMPTY_REVOKED_LIST] = { "OCSPKIT_E_CRL_EMPTY_REVOKED_LIST", "CRL: revokedCertificates is present but empty (RFC 5280 5.1.2.6: it must be absent)" },
	[OCSPKIT_E_CRL_V1_EXTENSIONS] = { "OCSPKIT_E_CRL_V1_EXTENSIONS", "CRL: extensions in a version 1 CRL" },
	[OCSPKIT_E_CRL_TIME_FORM] = { "OCSPKIT_E_CRL_TIME_FORM", "CRL: a GeneralizedTime before 2050 or with fractional seconds (RFC 5280 5.1.2.4)" },
	[OCSPKIT_E_NEGATIVE_SERIAL] = { "OCSPKIT_E_NEGATIVE_SERIAL", "negative serial number" },
	[OCSPKIT_E_BAD_CRL_NUMBER] = { "OCSPKIT_E_BAD_CRL_NUMBER", "CRL number or base CRL number negative or longer than 20 octets" },
	[OCSPKIT_E_BAD_ISSUING_DISTRIBUTION_POINT] = { "OCSPKIT_E_BAD_ISSUING_DISTRIBUTION_POINT", "issuing distribution point empty or with more than one onlyContains... set" },
	[OCSPKIT_E_CRL_ENTRY_CONFLICT] = { "OCSPKIT_E_CRL_ENTRY_CONFLICT", "CRL lists a certificate twice with different revocation details" },
	[OCSPKIT_E_CRL_ISSUER_MISMATCH] = { "OCSPKIT_E_CRL_ISSUER_MISMATCH", "CRL issuer is not the subject of the certificate given to verify it" },
	[OCSPKIT_E_CRL_SIGNER_NO_CRL_SIGN] = { "OCSPKIT_E_CRL_SIGNER_NO_CRL_SIGN", "CRL issuer certificate has a key usage without cRLSign" },
	[OCSPKIT_E_SIGNATURE_ALGORITHM_MISMATCH] = { "OCSPKIT_E_SIGNATURE_ALGORITHM_MISMATCH", "inner and outer signature algorithms differ" },
};

const char *ocspkit_strerror(ocspkit_err err)
{
	if ((unsigned)err < OCSPKIT_E__END && errors[err].text)
		return errors[err].text;
	return "unknown error";
}

const char *ocspkit_strerror_name(ocspkit_err err)
{
	if ((unsigned)err < OCSPKIT_E__END && errors[err].name)
		return errors[err].name;
	return "OCSPKIT_E_UNKNOWN";
}
