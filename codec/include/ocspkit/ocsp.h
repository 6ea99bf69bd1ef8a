/* ocspkit: OCSP requests and responses (RFC 6960), decoded and encoded.
 *
 * Decoding: ocspkit_request_decode() / ocspkit_response_decode() check the
 * whole input as strict DER against asn1/ocsp.asn and return an opaque object.
 * Everything read from it is a view: a pointer into the object's own copy of
 * the input plus a length, valid until the object is freed.
 *
 * Encoding: the plain structs below (ocspkit_request_tbs, ocspkit_response_tbs,
 * ocspkit_signature_block) describe a message; the encoders write it as
 * canonical DER, requests and responses alike: _tbs_encode the part that is
 * signed, _encode the whole message from the struct, _assemble the whole
 * message around an encoded part.  The same structs are what a decoded
 * object gives back (ocspkit_request_get_tbs, ocspkit_response_get_tbs), so
 * for every canonical message encode(decode(der)) == der.
 *
 * The conventions of every header are at the top of <ocspkit/ocspkit.h>.
 */
#ifndef OCSPKIT_OCSP_H
#define OCSPKIT_OCSP_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- limits */

/* Largest message the decoders accept (OCSPKIT_E_LIMIT_INPUT_SIZE). */
#define OCSPKIT_MAX_MESSAGE_SIZE (1u << 20)
/* Requests in one OCSPRequest (OCSPKIT_E_LIMIT_REQUESTS). */
#define OCSPKIT_MAX_REQUESTS 1024
/* SingleResponses in one response (OCSPKIT_E_LIMIT_SINGLE_RESPONSES). */
#define OCSPKIT_MAX_SINGLE_RESPONSES 8192
/* Extensions in one Extensions list (OCSPKIT_E_LIMIT_EXTENSIONS). */
#define OCSPKIT_MAX_EXTENSIONS 32
/* Certificates carried in one message (OCSPKIT_E_LIMIT_CERTIFICATES). */
#define OCSPKIT_MAX_CERTIFICATES 16
/* Nesting of constructed DER values (OCSPKIT_E_DER_TOO_DEEP). */
#define OCSPKIT_MAX_DEPTH 32
/* Largest hash output and serial number a CertID value can hold. */
#define OCSPKIT_MAX_HASH_SIZE 64
#define OCSPKIT_MAX_SERIAL_SIZE 64
/* RFC 8954 section 2.1: a nonce has 1 to 32 octets. */
#define OCSPKIT_MIN_NONCE_SIZE 1
#define OCSPKIT_MAX_NONCE_SIZE 32
/* Digits of fractional seconds a GeneralizedTime may carry, decoding and
 * encoding (OCSPKIT_E_LIMIT_TIME_FRACTION): nanoseconds, the finest
 * resolution of struct timespec, Go, Java and .NET times (Python's has 6). */
#define OCSPKIT_MAX_TIME_FRACTION_DIGITS 9

/* ---------------------------------------------------------------- decode flags */

/* Strict DER, the default. */
#define OCSPKIT_DECODE_STRICT 0u
/* Accept a DEFAULT value written out (an explicit "version v1", a
 * "critical FALSE"), as some responders produce. */
#define OCSPKIT_DECODE_ALLOW_EXPLICIT_DEFAULT (1u << 0)
/* Accept INTEGERs with redundant leading 00 or FF octets (padded serial
 * numbers).  The views returned are normalised to the minimal form so that
 * CertIDs still match. */
#define OCSPKIT_DECODE_ALLOW_PADDED_INTEGER (1u << 1)
/* Accept nonces outside RFC 8954's 1..32 octets. */
#define OCSPKIT_DECODE_ALLOW_ANY_NONCE_SIZE (1u << 2)

/* ---------------------------------------------------------------- small values */

/* A view of bytes owned by something else. */
typedef struct {
	const uint8_t *data;
	size_t len;
} ocspkit_bytes;

/* Hash algorithms a CertID can name. */
typedef enum {
	OCSPKIT_HASH_UNKNOWN = 0,
	OCSPKIT_HASH_SHA1 = 1,
	OCSPKIT_HASH_SHA224 = 2,
	OCSPKIT_HASH_SHA256 = 3,
	OCSPKIT_HASH_SHA384 = 4,
	OCSPKIT_HASH_SHA512 = 5,
	OCSPKIT_HASH_MD5 = 6, /* recognised only to be refused */
	OCSPKIT_HASH_MD2 = 7  /* recognised only to be refused */
} ocspkit_hash;

/* An AlgorithmIdentifier. */
typedef struct {
	ocspkit_bytes oid;    /* content octets of the OBJECT IDENTIFIER */
	ocspkit_bytes params; /* whole DER TLV of the parameters; empty if absent */
} ocspkit_algorithm_id;

/* CertID (RFC 6960 section 4.1.1).  Two CertIDs name the same certificate
 * only when all four fields are equal (ocspkit_cert_id_equal). */
typedef struct {
	ocspkit_hash hash;            /* recognised hash, or OCSPKIT_HASH_UNKNOWN */
	ocspkit_algorithm_id hash_algorithm;
	ocspkit_bytes issuer_name_hash;
	ocspkit_bytes issuer_key_hash;
	ocspkit_bytes serial;         /* INTEGER content octets, minimal two's complement */
} ocspkit_cert_id;

/* A CertID that owns its bytes (computed ones).  Read it through
 * ocspkit_cert_id_value_view(). */
typedef struct {
	ocspkit_hash hash;
	size_t hash_len;
	uint8_t issuer_name_hash[OCSPKIT_MAX_HASH_SIZE];
	uint8_t issuer_key_hash[OCSPKIT_MAX_HASH_SIZE];
	size_t serial_len;
	uint8_t serial[OCSPKIT_MAX_SERIAL_SIZE];
} ocspkit_cert_id_value;

/* The extensions the codec knows by OID. */
typedef enum {
	OCSPKIT_EXT_UNKNOWN = 0,
	OCSPKIT_EXT_NONCE,                 /* id-pkix-ocsp-nonce */
	OCSPKIT_EXT_CRL_ID,                /* id-pkix-ocsp-crl */
	OCSPKIT_EXT_ACCEPTABLE_RESPONSES,  /* id-pkix-ocsp-response */
	OCSPKIT_EXT_NOCHECK,               /* id-pkix-ocsp-nocheck (certificates) */
	OCSPKIT_EXT_ARCHIVE_CUTOFF,        /* id-pkix-ocsp-archive-cutoff */
	OCSPKIT_EXT_SERVICE_LOCATOR,       /* id-pkix-ocsp-service-locator */
	OCSPKIT_EXT_PREF_SIG_ALGS,         /* id-pkix-ocsp-pref-sig-algs */
	OCSPKIT_EXT_EXTENDED_REVOKE,       /* id-pkix-ocsp-extended-revoke */
	OCSPKIT_EXT_CRL_REASON,            /* id-ce-cRLReasons */
	OCSPKIT_EXT_INVALIDITY_DATE,       /* id-ce-invalidityDate */
	OCSPKIT_EXT_CERTIFICATE_ISSUER     /* id-ce-certificateIssuer */
} ocspkit_ext_type;

/* An Extension.  When encoding, an empty oid is filled in from type. */
typedef struct {
	ocspkit_ext_type type;
	ocspkit_bytes oid;   /* content octets of extnID */
	int critical;
	ocspkit_bytes value; /* content octets of extnValue (DER of the extension's type) */
} ocspkit_extension;

typedef enum {
	OCSPKIT_RESPONSE_SUCCESSFUL = 0,
	OCSPKIT_RESPONSE_MALFORMED_REQUEST = 1,
	OCSPKIT_RESPONSE_INTERNAL_ERROR = 2,
	OCSPKIT_RESPONSE_TRY_LATER = 3,
	OCSPKIT_RESPONSE_SIG_REQUIRED = 5,
	OCSPKIT_RESPONSE_UNAUTHORIZED = 6
} ocspkit_response_status;

typedef enum {
	OCSPKIT_CERT_GOOD = 0,
	OCSPKIT_CERT_REVOKED = 1,
	OCSPKIT_CERT_UNKNOWN = 2
} ocspkit_cert_status;

/* CRLReason (RFC 5280 section 5.3.1); 7 is not used. */
typedef enum {
	OCSPKIT_REASON_UNSPECIFIED = 0,
	OCSPKIT_REASON_KEY_COMPROMISE = 1,
	OCSPKIT_REASON_CA_COMPROMISE = 2,
	OCSPKIT_REASON_AFFILIATION_CHANGED = 3,
	OCSPKIT_REASON_SUPERSEDED = 4,
	OCSPKIT_REASON_CESSATION_OF_OPERATION = 5,
	OCSPKIT_REASON_CERTIFICATE_HOLD = 6,
	OCSPKIT_REASON_REMOVE_FROM_CRL = 8,
	OCSPKIT_REASON_PRIVILEGE_WITHDRAWN = 9,
	OCSPKIT_REASON_AA_COMPROMISE = 10
} ocspkit_crl_reason;

/* Request (RFC 6960 section 4.1.1). */
typedef struct {
	ocspkit_cert_id cert_id;
	const ocspkit_extension *extensions; /* singleRequestExtensions */
	size_t extension_count;
} ocspkit_single_request;

/* SingleResponse (RFC 6960 section 4.2.1).  Times are seconds since the
 * epoch, from GeneralizedTime.
 *
 * A GeneralizedTime may carry fractional seconds (X.690 11.7:
 * "20261122015704.25Z").  The *_fraction views hold their digits, without
 * the '.' ("25"), and are empty for a time without them; seconds are
 * never rounded.  Decoding fills them (pointing into the object); encoding
 * writes them when not empty, after checking that they are 1 to
 * OCSPKIT_MAX_TIME_FRACTION_DIGITS decimal digits not ending in 0 (DER
 * allows no other form): OCSPKIT_E_DER_BAD_TIME or
 * OCSPKIT_E_LIMIT_TIME_FRACTION otherwise.  They are appended at the end
 * so that every older field keeps its offset; a struct zeroed before it is
 * filled in encodes whole seconds, as before they existed. */
typedef struct {
	ocspkit_cert_id cert_id;
	ocspkit_cert_status status;
	int64_t revocation_time;         /* when status is REVOKED */
	int has_revocation_reason;
	ocspkit_crl_reason revocation_reason;
	int64_t this_update;
	int has_next_update;
	int64_t next_update;
	const ocspkit_extension *extensions; /* singleExtensions */
	size_t extension_count;
	ocspkit_bytes revocation_time_fraction;
	ocspkit_bytes this_update_fraction;
	ocspkit_bytes next_update_fraction;
} ocspkit_single_response;

/* TBSRequest. */
typedef struct {
	long version;                   /* 0 (v1) */
	ocspkit_bytes requestor_name;   /* whole DER of a GeneralName; empty if absent */
	const ocspkit_single_request *requests;
	size_t request_count;
	const ocspkit_extension *extensions; /* requestExtensions */
	size_t extension_count;
} ocspkit_request_tbs;

/* The signature of a BasicOCSPResponse or a signed request. */
typedef struct {
	ocspkit_algorithm_id algorithm;
	ocspkit_bytes signature;        /* the signature octets (BIT STRING without pad count) */
	const ocspkit_bytes *certs;     /* whole DER of each certificate */
	size_t cert_count;
} ocspkit_signature_block;

typedef enum {
	OCSPKIT_RESPONDER_BY_NAME = 1,
	OCSPKIT_RESPONDER_BY_KEY = 2
} ocspkit_responder_id_type;

typedef struct {
	ocspkit_responder_id_type type;
	ocspkit_bytes value;  /* byName: whole DER of the Name; byKey: the 20-octet SHA-1 key hash */
} ocspkit_responder_id;

/* ResponseData (tbsResponseData): what a response signs, as
 * ocspkit_request_tbs is what a request signs.  produced_at_fraction: as
 * in ocspkit_single_response. */
typedef struct {
	long version;                   /* 0 (v1) */
	ocspkit_responder_id responder_id;
	int64_t produced_at;
	const ocspkit_single_response *responses;
	size_t response_count;
	const ocspkit_extension *extensions; /* responseExtensions */
	size_t extension_count;
	ocspkit_bytes produced_at_fraction;
} ocspkit_response_tbs;

/* ---------------------------------------------------------------- requests */

/* A decoded OCSPRequest: immutable, so it may be read from several
 * threads at once. */
typedef struct ocspkit_request ocspkit_request;

/* ocspkit_request_decode decodes the len octets at der as an OCSPRequest
 * (RFC 6960 4.1.1), checked whole as strict DER but for the tolerances
 * flags (OCSPKIT_DECODE_*) name.  der is copied: the views the request
 * gives point into its own copy.  It returns OCSPKIT_OK and *out (freed
 * with ocspkit_request_free), or the error of the first rule broken with
 * *out NULL and, when err_offset is not NULL, *err_offset the offset in
 * der of the offending element; OCSPKIT_E_NO_MEMORY. */
OCSPKIT_WUR ocspkit_err ocspkit_request_decode(ocspkit_request **out, const uint8_t *der, size_t len, unsigned flags,
					       size_t *err_offset);

/* ocspkit_request_free releases req and everything read from it; NULL is
 * ignored. */
void ocspkit_request_free(ocspkit_request *req);

/* ocspkit_request_get_der returns the whole message; ocspkit_request_get_tbs_der
 * the exact DER of its tbsRequest (what a signature covers).  Views into
 * req. */
ocspkit_bytes ocspkit_request_get_der(const ocspkit_request *req);
ocspkit_bytes ocspkit_request_get_tbs_der(const ocspkit_request *req);

/* ocspkit_request_get_tbs sets *tbs to every field of tbsRequest: views
 * and arrays into req, valid while req is.  Encoding *tbs again gives
 * tbsRequest back. */
void ocspkit_request_get_tbs(ocspkit_request_tbs *tbs, const ocspkit_request *req);

/* ocspkit_request_get_single_count returns the number of Requests in the
 * requestList (at least 1); ocspkit_request_get_single the ith of them
 * (0-based, below the count; NULL otherwise), a pointer into req. */
size_t ocspkit_request_get_single_count(const ocspkit_request *req);
const ocspkit_single_request *ocspkit_request_get_single(const ocspkit_request *req, size_t i);

/* ocspkit_request_get_nonce sets *nonce to the nonce req carries (the
 * octets inside the nonce extension's OCTET STRING, a view into req) and
 * returns OCSPKIT_OK, or returns OCSPKIT_E_NOT_FOUND when it carries
 * none. */
OCSPKIT_WUR ocspkit_err ocspkit_request_get_nonce(ocspkit_bytes *nonce, const ocspkit_request *req);

/* ocspkit_request_get_signature sets *sig to req's optionalSignature
 * (views into req) and returns OCSPKIT_OK, or returns OCSPKIT_E_NOT_FOUND
 * for an unsigned request.  ocspkit_request_verify checks it. */
OCSPKIT_WUR ocspkit_err ocspkit_request_get_signature(ocspkit_signature_block *sig, const ocspkit_request *req);

/* ocspkit_request_tbs_encode writes a TBSRequest alone (what a requestor
 * signs), ocspkit_request_encode a whole OCSPRequest from the struct,
 * ocspkit_request_assemble the same around an already encoded TBSRequest;
 * sig (NULL: unsigned) is the optionalSignature.  Inputs are
 * checked so that what is written decodes strictly.  Each returns
 * OCSPKIT_OK with *der (freed with ocspkit_free) and *len, or an error
 * with *der NULL and *len 0.  ocspkit_request_sign encodes and signs. */
OCSPKIT_WUR ocspkit_err ocspkit_request_tbs_encode(uint8_t **der, size_t *len, const ocspkit_request_tbs *tbs);
OCSPKIT_WUR ocspkit_err ocspkit_request_encode(uint8_t **der, size_t *len, const ocspkit_request_tbs *tbs,
					       const ocspkit_signature_block *sig);
OCSPKIT_WUR ocspkit_err ocspkit_request_assemble(uint8_t **der, size_t *len, ocspkit_bytes tbs_der,
						 const ocspkit_signature_block *sig);

/* ---------------------------------------------------------------- responses */

/* A decoded OCSPResponse: immutable, so it may be read from several
 * threads at once. */
typedef struct ocspkit_response ocspkit_response;

/* ocspkit_response_decode decodes the len octets at der as an
 * OCSPResponse and, for a successful one, the BasicOCSPResponse inside it
 * (RFC 6960 4.2.1), as ocspkit_request_decode does a request.  Response
 * types other than id-pkix-ocsp-basic are OCSPKIT_E_UNKNOWN_RESPONSE_TYPE.
 * It returns OCSPKIT_OK and *out (freed with ocspkit_response_free), or
 * the error with *out NULL and *err_offset (when not NULL) where decoding
 * stopped. */
OCSPKIT_WUR ocspkit_err ocspkit_response_decode(ocspkit_response **out, const uint8_t *der, size_t len,
						unsigned flags, size_t *err_offset);

/* ocspkit_response_free releases resp and everything read from it; NULL
 * is ignored. */
void ocspkit_response_free(ocspkit_response *resp);

/* ocspkit_response_get_der returns the whole message, a view into resp;
 * ocspkit_response_get_status its responseStatus. */
ocspkit_bytes ocspkit_response_get_der(const ocspkit_response *resp);
ocspkit_response_status ocspkit_response_get_status(const ocspkit_response *resp);

/* ocspkit_response_get_type sets *type to the responseType (the OID's
 * content octets), ocspkit_response_get_tbs_der *tbs_der to the exact DER
 * of tbsResponseData (what the signature covers), ocspkit_response_get_tbs
 * *tbs to every field of it, and ocspkit_response_get_signature *sig to
 * the signature and the certificates; all views into resp.  Each returns
 * OCSPKIT_OK, or OCSPKIT_E_NOT_FOUND for a response that is not
 * successful: the body of a response (responseBytes) exists only then. */
OCSPKIT_WUR ocspkit_err ocspkit_response_get_type(ocspkit_bytes *type, const ocspkit_response *resp);
OCSPKIT_WUR ocspkit_err ocspkit_response_get_tbs_der(ocspkit_bytes *tbs_der, const ocspkit_response *resp);
OCSPKIT_WUR ocspkit_err ocspkit_response_get_tbs(ocspkit_response_tbs *tbs, const ocspkit_response *resp);
OCSPKIT_WUR ocspkit_err ocspkit_response_get_signature(ocspkit_signature_block *sig, const ocspkit_response *resp);

/* ocspkit_response_get_single_count returns the number of
 * SingleResponses (0 for a response that is not successful);
 * ocspkit_response_get_single the ith of them (0-based, below the count;
 * NULL otherwise), a pointer into resp. */
size_t ocspkit_response_get_single_count(const ocspkit_response *resp);
const ocspkit_single_response *ocspkit_response_get_single(const ocspkit_response *resp, size_t i);

/* ocspkit_response_get_nonce sets *nonce to the nonce resp carries (the
 * octets inside the extension, a view into resp) and returns OCSPKIT_OK,
 * or returns OCSPKIT_E_NOT_FOUND when it carries none. */
OCSPKIT_WUR ocspkit_err ocspkit_response_get_nonce(ocspkit_bytes *nonce, const ocspkit_response *resp);

/* ocspkit_response_find sets *single to the SingleResponse of resp for
 * the certificate id names, compared by the full CertID
 * (ocspkit_cert_id_equal: never by serial alone, never by position), and
 * returns OCSPKIT_OK; or returns OCSPKIT_E_NOT_FOUND when there is none,
 * OCSPKIT_E_CERT_ID_CONFLICT when it appears more than once with
 * different statuses, OCSPKIT_E_NOT_SUCCESSFUL for a response without a
 * body, with *single NULL.  It finds; ocspkit_response_validate judges. */
OCSPKIT_WUR ocspkit_err ocspkit_response_find(const ocspkit_single_response **single, const ocspkit_response *resp,
					      const ocspkit_cert_id *id);

/* ocspkit_response_tbs_encode writes tbsResponseData alone (what a
 * responder signs), as for a request, ocspkit_response_encode the whole
 * successful OCSPResponse from the struct and a signature, ocspkit_response_assemble the same around an
 * already encoded tbsResponseData; ocspkit_response_encode_status writes
 * a response of another status, which carries no responseBytes
 * (OCSPKIT_E_INVALID_ARGUMENT for OCSPKIT_RESPONSE_SUCCESSFUL,
 * OCSPKIT_E_BAD_RESPONSE_STATUS for a value that is none).  sig is
 * required.  Each returns OCSPKIT_OK with *der (freed with ocspkit_free)
 * and *len, or an error with *der NULL and *len 0.  ocspkit_response_sign
 * encodes and signs. */
OCSPKIT_WUR ocspkit_err ocspkit_response_tbs_encode(uint8_t **der, size_t *len, const ocspkit_response_tbs *tbs);
OCSPKIT_WUR ocspkit_err ocspkit_response_encode(uint8_t **der, size_t *len, const ocspkit_response_tbs *tbs,
						const ocspkit_signature_block *sig);
OCSPKIT_WUR ocspkit_err ocspkit_response_assemble(uint8_t **der, size_t *len, ocspkit_bytes tbs_der,
						  const ocspkit_signature_block *sig);
OCSPKIT_WUR ocspkit_err ocspkit_response_encode_status(uint8_t **der, size_t *len, ocspkit_response_status status);

/* ---------------------------------------------------------------- CertID */

/* ocspkit_cert_id_value_view returns views of v's bytes, valid while *v
 * is and unchanged. */
ocspkit_cert_id ocspkit_cert_id_value_view(const ocspkit_cert_id_value *v);

/* ocspkit_cert_id_equal returns 1 when a and b name the same certificate:
 * all four fields equal (hash algorithm, with absent and NULL parameters
 * counted as equal; issuerNameHash; issuerKeyHash; serialNumber), else
 * 0. */
int ocspkit_cert_id_equal(const ocspkit_cert_id *a, const ocspkit_cert_id *b);

/* ocspkit_cert_id_compute_raw sets *out to the CertID, in hash, of the
 * certificate with serial (INTEGER content octets, minimal) issued by the
 * CA whose subject Name is issuer_name_der (whole DER) and whose
 * subjectPublicKey octets are issuer_public_key.  It returns OCSPKIT_OK,
 * OCSPKIT_E_WEAK_ALGORITHM (MD2, MD5), OCSPKIT_E_UNSUPPORTED_ALGORITHM,
 * OCSPKIT_E_INVALID_ARGUMENT (a serial that is not minimal),
 * OCSPKIT_E_DER_INTEGER_RANGE (one longer than OCSPKIT_MAX_SERIAL_SIZE).
 * <ocspkit/x509.h> has the forms that take certificates. */
OCSPKIT_WUR ocspkit_err ocspkit_cert_id_compute_raw(ocspkit_cert_id_value *out, ocspkit_hash hash,
						    ocspkit_bytes issuer_name_der, ocspkit_bytes issuer_public_key,
						    ocspkit_bytes serial);

/* ---------------------------------------------------------------- extensions */

/* The typed readers of the standard extensions (ocspkit_ext_<type>) read
 * ext's value as its type's DER: the outputs are views into ext->value
 * (valid while it is) or values.  Each returns OCSPKIT_OK,
 * OCSPKIT_E_INVALID_ARGUMENT for an ext that is NULL or of another type
 * (ext->type), or the DER error of a value that does not decode
 * (extensions the decoders gave back always do). */

/* ocspkit_ext_nonce sets *nonce to the octets inside the nonce's OCTET
 * STRING. */
OCSPKIT_WUR ocspkit_err ocspkit_ext_nonce(ocspkit_bytes *nonce, const ocspkit_extension *ext);

/* CrlID (RFC 6960 4.4.2): each field with its has_ flag. */
typedef struct {
	int has_url;
	ocspkit_bytes url;        /* IA5String octets */
	int has_number;
	ocspkit_bytes number;     /* INTEGER content octets */
	int has_time;
	int64_t time;
} ocspkit_crl_id;

/* ocspkit_ext_crl_id sets *crl_id to the fields of a CrlID. */
OCSPKIT_WUR ocspkit_err ocspkit_ext_crl_id(ocspkit_crl_id *crl_id, const ocspkit_extension *ext);

/* ocspkit_ext_acceptable_responses writes the first max OIDs (content
 * octets) of an AcceptableResponses to oids (NULL when max is 0) and sets
 * *count to how many there are. */
OCSPKIT_WUR ocspkit_err ocspkit_ext_acceptable_responses(ocspkit_bytes *oids, size_t max, size_t *count,
							 const ocspkit_extension *ext);

/* ocspkit_ext_archive_cutoff sets *cutoff to an ArchiveCutoff's time. */
OCSPKIT_WUR ocspkit_err ocspkit_ext_archive_cutoff(int64_t *cutoff, const ocspkit_extension *ext);

/* ocspkit_ext_service_locator sets *issuer to the whole DER of a
 * ServiceLocator's Name and *locator to that of its
 * AuthorityInfoAccessSyntax. */
OCSPKIT_WUR ocspkit_err ocspkit_ext_service_locator(ocspkit_bytes *issuer, ocspkit_bytes *locator,
						    const ocspkit_extension *ext);

/* A PreferredSignatureAlgorithm (RFC 6960 4.4.7.1). */
typedef struct {
	ocspkit_algorithm_id sig_identifier;
	int has_cert_identifier;
	ocspkit_algorithm_id cert_identifier;
} ocspkit_pref_sig_alg;

/* ocspkit_ext_pref_sig_algs writes the first max entries of a
 * PreferredSignatureAlgorithms to algs (NULL when max is 0) and sets
 * *count to how many there are. */
OCSPKIT_WUR ocspkit_err ocspkit_ext_pref_sig_algs(ocspkit_pref_sig_alg *algs, size_t max, size_t *count,
						  const ocspkit_extension *ext);

/* ocspkit_ext_extended_revoke checks an extended-revoke extension (its
 * value is NULL). */
OCSPKIT_WUR ocspkit_err ocspkit_ext_extended_revoke(const ocspkit_extension *ext);

/* ocspkit_ext_crl_reason sets *reason to a CRLReason extension's value. */
OCSPKIT_WUR ocspkit_err ocspkit_ext_crl_reason(ocspkit_crl_reason *reason, const ocspkit_extension *ext);

/* ocspkit_ext_invalidity_date sets *date to an invalidityDate. */
OCSPKIT_WUR ocspkit_err ocspkit_ext_invalidity_date(int64_t *date, const ocspkit_extension *ext);

/* ocspkit_ext_time_fraction sets *fraction to the fractional seconds of
 * the time an archive cutoff, invalidity date or CrlID (its crlTime)
 * extension carries: the digits after the '.', empty when there are none
 * (see ocspkit_single_response).  OCSPKIT_E_NOT_FOUND for a CrlID without
 * crlTime, OCSPKIT_E_INVALID_ARGUMENT for the other types. */
OCSPKIT_WUR ocspkit_err ocspkit_ext_time_fraction(ocspkit_bytes *fraction, const ocspkit_extension *ext);

/* ocspkit_ext_certificate_issuer sets *names to the whole DER of a
 * certificateIssuer's GeneralNames. */
OCSPKIT_WUR ocspkit_err ocspkit_ext_certificate_issuer(ocspkit_bytes *names, const ocspkit_extension *ext);

/* ocspkit_ext_nonce_value writes to buf (cap octets, at least
 * nonce.len + 2) the value of a nonce extension carrying nonce (an OCTET
 * STRING around it) and sets *len to its size: what an
 * ocspkit_extension of type OCSPKIT_EXT_NONCE points to when encoding.
 * It returns OCSPKIT_OK, or OCSPKIT_E_INVALID_ARGUMENT (no room, a nonce
 * over 127 octets). */
OCSPKIT_WUR ocspkit_err ocspkit_ext_nonce_value(uint8_t *buf, size_t cap, size_t *len, ocspkit_bytes nonce);

/* ocspkit_extensions_find sets *ext to the first extension of type in
 * exts[0 .. count) and returns OCSPKIT_OK, or returns OCSPKIT_E_NOT_FOUND
 * with *ext NULL.  *ext points into exts. */
OCSPKIT_WUR ocspkit_err ocspkit_extensions_find(const ocspkit_extension **ext, const ocspkit_extension *exts,
						size_t count, ocspkit_ext_type type);

/* ---------------------------------------------------------------- names of things */

/* ocspkit_response_status_name, ocspkit_cert_status_name,
 * ocspkit_crl_reason_name and ocspkit_hash_name return the name RFC 6960
 * and RFC 5280 give a value ("successful", "good", "keyCompromise",
 * "sha1" ...), a static string, "(unknown)" for a value that is none. */
const char *ocspkit_response_status_name(ocspkit_response_status s);
const char *ocspkit_cert_status_name(ocspkit_cert_status s);
const char *ocspkit_crl_reason_name(ocspkit_crl_reason r);
const char *ocspkit_hash_name(ocspkit_hash h);

/* ocspkit_hash_size returns the size in octets of h's digests, 0 for
 * OCSPKIT_HASH_UNKNOWN. */
size_t ocspkit_hash_size(ocspkit_hash h);

/* ocspkit_free releases a buffer the library returned through a uint8_t
 * ** or char ** output; NULL is ignored. */
void ocspkit_free(void *p);

#ifdef __cplusplus
}
#endif

#endif /* OCSPKIT_OCSP_H */
