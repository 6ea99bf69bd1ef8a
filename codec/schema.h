/* The schema walker: asn1/ocsp.asn, as compiled by asn1Parser into a
 * libtasn1 static table, turned once per process into a small tree of
 * nodes that drives a strict DER reader.
 *
 * Why not asn1_create_element + asn1_der_decoding: libtasn1 builds and frees
 * a node tree for every message (about 10 us for a typical response, most of
 * it allocation), and it is not strict DER (DESIGN.md lists what it lets
 * through).  Walking the same definitions over the bytes, with the checks of
 * der.c at every element, gives one pass, no allocation, and the strictness
 * in one place.  tests/test_schema.c checks that libtasn1 itself decodes
 * every message this walker accepts.
 *
 * Two operations:
 *  - okit_sch_check(): validates an element against a type, recursively,
 *    down to every primitive (every TLV of the input is looked at once);
 *  - okit_sch_split(): splits an already checked SEQUENCE into its fields,
 *    so that the OCSP code can read them by name (the F_* indexes below,
 *    which schema.c verifies against the field names of the schema).
 */
#ifndef OCSPKIT_SCHEMA_H
#define OCSPKIT_SCHEMA_H

#include <libtasn1.h>

#include "der.h"

/* Types the C code reads by name. */
typedef enum {
	T_OCSPRequest,
	T_TBSRequest,
	T_Signature,
	T_Request,
	T_CertID,
	T_OCSPResponse,
	T_ResponseBytes,
	T_BasicOCSPResponse,
	T_ResponseData,
	T_ResponderID,
	T_SingleResponse,
	T_CertStatus,
	T_RevokedInfo,
	T_AlgorithmIdentifier,
	T_Extensions,
	T_Extension,
	T_Certificate,
	T_TBSCertificate,
	T_Validity,
	T_SubjectPublicKeyInfo,
	T_Name,
	T_GeneralName,
	T_GeneralNames,
	T_Nonce,
	T_CrlID,
	T_AcceptableResponses,
	T_ArchiveCutoff,
	T_ServiceLocator,
	T_PreferredSignatureAlgorithms,
	T_PreferredSignatureAlgorithm,
	T_ExtendedRevoke,
	T_CRLReason,
	T_InvalidityDate,
	T_BasicConstraints,
	T_KeyUsage,
	T_ExtKeyUsageSyntax,
	T_AuthorityInfoAccessSyntax,
	T_AccessDescription,
	T_Features,
	T_RSAPublicKey,
	T_RSASSA_PSS_params,
	T_ECParameters,
	T_ECDSA_Sig_Value,
	T_RDNSequence,
	T_AttributeTypeAndValue,
	T_Time,
	T__COUNT
} okit_type;

/* Field indexes, in schema order (checked at initialisation). */
enum { F_OCSPREQ_TBS, F_OCSPREQ_SIG, F_OCSPREQ__N };
enum { F_TBSREQ_VERSION, F_TBSREQ_REQUESTOR, F_TBSREQ_LIST, F_TBSREQ_EXTS, F_TBSREQ__N };
enum { F_SIG_ALG, F_SIG_VALUE, F_SIG_CERTS, F_SIG__N };
enum { F_REQ_CERTID, F_REQ_EXTS, F_REQ__N };
enum { F_CERTID_ALG, F_CERTID_NAME_HASH, F_CERTID_KEY_HASH, F_CERTID_SERIAL, F_CERTID__N };
enum { F_RESP_STATUS, F_RESP_BYTES, F_RESP__N };
enum { F_RBYTES_TYPE, F_RBYTES_RESPONSE, F_RBYTES__N };
enum { F_BASIC_TBS, F_BASIC_ALG, F_BASIC_SIG, F_BASIC_CERTS, F_BASIC__N };
enum { F_RDATA_VERSION, F_RDATA_RESPONDER, F_RDATA_PRODUCED, F_RDATA_RESPONSES, F_RDATA_EXTS, F_RDATA__N };
enum { A_RID_BY_NAME, A_RID_BY_KEY };
enum { F_SINGLE_CERTID, F_SINGLE_STATUS, F_SINGLE_THIS, F_SINGLE_NEXT, F_SINGLE_EXTS, F_SINGLE__N };
enum { A_STATUS_GOOD, A_STATUS_REVOKED, A_STATUS_UNKNOWN };
enum { F_REVOKED_TIME, F_REVOKED_REASON, F_REVOKED__N };
enum { F_ALG_OID, F_ALG_PARAMS, F_ALG__N };
enum { F_EXT_ID, F_EXT_CRITICAL, F_EXT_VALUE, F_EXT__N };
enum { F_CERT_TBS, F_CERT_ALG, F_CERT_SIG, F_CERT__N };
enum { F_TBSCERT_VERSION, F_TBSCERT_SERIAL, F_TBSCERT_SIGALG, F_TBSCERT_ISSUER, F_TBSCERT_VALIDITY,
       F_TBSCERT_SUBJECT, F_TBSCERT_SPKI, F_TBSCERT_ISSUER_UID, F_TBSCERT_SUBJECT_UID,
       F_TBSCERT_EXTS, F_TBSCERT__N };
enum { F_VALIDITY_NOT_BEFORE, F_VALIDITY_NOT_AFTER, F_VALIDITY__N };
enum { A_TIME_UTC, A_TIME_GENERALIZED };
enum { F_SPKI_ALG, F_SPKI_KEY, F_SPKI__N };
enum { A_GN_OTHER, A_GN_RFC822, A_GN_DNS, A_GN_X400, A_GN_DIRECTORY, A_GN_EDI, A_GN_URI, A_GN_IP,
       A_GN_REGISTERED_ID };
enum { F_CRLID_URL, F_CRLID_NUM, F_CRLID_TIME, F_CRLID__N };
enum { F_SERVLOC_ISSUER, F_SERVLOC_LOCATOR, F_SERVLOC__N };
enum { F_PREFSIG_SIG, F_PREFSIG_CERT, F_PREFSIG__N };
enum { F_BC_CA, F_BC_PATHLEN, F_BC__N };
enum { F_AD_METHOD, F_AD_LOCATION, F_AD__N };
enum { F_RSAPUB_N, F_RSAPUB_E, F_RSAPUB__N };
enum { F_PSS_HASH, F_PSS_MGF, F_PSS_SALT, F_PSS_TRAILER, F_PSS__N };
enum { F_ECSIG_R, F_ECSIG_S, F_ECSIG__N };
enum { F_ATV_TYPE, F_ATV_VALUE, F_ATV__N };

/* One field of a SEQUENCE after okit_sch_split. */
typedef struct {
	int present;
	okit_tlv outer; /* as written in the SEQUENCE (with its explicit tag, if any) */
	okit_tlv inner; /* the value itself: inside the explicit tag, else == outer */
} okit_val;

/* Compiles the schema once (thread-safe); OCSPKIT_E_INTERNAL if the
 * table does not match what the C code expects. */
ocspkit_err okit_schema_init(void);
/* Why initialisation failed (the type being compiled), or NULL. */
const char *okit_schema_failure(void);

/* Checks t (an element as it appears where the type is used at top level)
 * against type, recursively, with all strict-DER rules. */
ocspkit_err okit_sch_check(okit_dctx *c, okit_type type, const okit_tlv *t);

/* Checks that [der, der + len) is exactly one element of the given type. */
ocspkit_err okit_sch_check_bytes(okit_dctx *c, okit_type type, const uint8_t *der, size_t len,
				 okit_tlv *out);

/* Checks that [der, der + len) is exactly one strict-DER element of any
 * type (what ANY accepts). */
ocspkit_err okit_sch_check_any_bytes(okit_dctx *c, const uint8_t *der, size_t len);

/* Splits the content of a checked SEQUENCE element t of the given type into
 * exactly n fields. */
ocspkit_err okit_sch_split(okit_dctx *c, okit_type type, const okit_tlv *t, okit_val *fields,
			   size_t n);

/* For a checked element t of CHOICE type: which alternative, and the
 * alternative's own element (inside its explicit tag, if it has one). */
ocspkit_err okit_sch_choice(okit_dctx *c, okit_type type, const okit_tlv *t, int *alt,
			    okit_tlv *inner);

/* Iterates the elements of a checked SEQUENCE OF / SET OF (content of t). */
typedef struct {
	const uint8_t *p;
	size_t n;
} okit_iter;
void okit_iter_init(okit_iter *it, const okit_tlv *t);
/* 1 and the next element, or 0 at the end (or on an internal error). */
int okit_iter_next(okit_dctx *c, okit_iter *it, okit_tlv *elem);
/* Number of elements in a checked SEQUENCE OF. */
size_t okit_count(okit_dctx *c, const okit_tlv *t);

/* The generated libtasn1 table (asn1/ocsp.asn via asn1Parser). */
extern const asn1_static_node okit_asn1_tab[];

#endif
