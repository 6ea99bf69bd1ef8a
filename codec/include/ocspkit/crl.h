/* ocspkit: certificate revocation lists (RFC 5280 section 5), decoded.
 *
 * ocspkit_crl_decode() checks a whole CertificateList as strict DER
 * against asn1/ocsp.asn and RFC 5280's rules for CRLs, and returns an
 * opaque object that owns a copy of the input.  Everything read from it is
 * a view into that copy, valid until the object is freed.
 *
 * A CRL may list millions of certificates, so the entries are not turned
 * into structs when the CRL is decoded: decoding checks every entry, then
 * builds a serial index (an array of 8 octets per entry, sorted by a hash
 * of the serial number, with a bucket table over it).  An entry's fields
 * are read when it is asked for, by position (ocspkit_crl_get_entry) or by
 * serial number (ocspkit_crl_find), into an ocspkit_crl_entry the caller
 * provides.  A decoded CRL takes the size of its input and about 12
 * octets per entry.
 *
 * Decoding answers "is this a well-formed CRL and what does it say";
 * ocspkit_crl_verify answers "may I use it": the issuer's signature, its
 * key usage, and the critical extensions (RFC 5280 5.2 and 5.3: a CRL with
 * a critical extension the application does not process must not be
 * used; ocspkit decodes such a CRL, so that it can be shown, and
 * ocspkit_crl_verify refuses it).
 *
 * Conventions are those of the library (<ocspkit/ocspkit.h>): functions
 * that can fail return ocspkit_err; outputs come first; an absent optional
 * value is OCSPKIT_E_NOT_FOUND, or an empty view inside a struct.
 *
 * Threads: a decoded CRL is immutable; any number of threads may read it,
 * look serial numbers up in it and verify it at once.
 */
#ifndef OCSPKIT_CRL_H
#define OCSPKIT_CRL_H

#include <ocspkit/ocsp.h>
#include <ocspkit/x509.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest CRL ocspkit_crl_decode accepts (OCSPKIT_E_LIMIT_INPUT_SIZE):
 * about 13 million entries without extensions. */
#define OCSPKIT_MAX_CRL_SIZE ((size_t)512 << 20)

/* Decode flags for CRLs, besides OCSPKIT_DECODE_ALLOW_EXPLICIT_DEFAULT (a
 * version field that says v1) and OCSPKIT_DECODE_ALLOW_PADDED_INTEGER
 * (serial numbers with redundant leading octets; the entries' serial views
 * are then minimal, and lookups match them by value).  DESIGN-NOTES.md
 * says which issuers need which. */
/* Accept negative serial numbers in entries (RFC 5280 4.1.2.2 forbids
 * them; some old CAs wrote random octets without clearing the sign bit). */
#define OCSPKIT_DECODE_ALLOW_NEGATIVE_SERIAL (1u << 3)
/* Accept a revokedCertificates list that is present but empty (RFC 5280
 * 5.1.2.6 says it must be absent). */
#define OCSPKIT_DECODE_ALLOW_EMPTY_REVOKED_LIST (1u << 4)

typedef struct ocspkit_crl ocspkit_crl;

/* ---------------------------------------------------------------- decoding */

/* ocspkit_crl_decode decodes the CertificateList in der[0..len) with the
 * given OCSPKIT_DECODE_* flags.
 *
 * out: receives the CRL, or NULL on failure.
 * der, len: the DER; copied, so the caller may free it afterwards.
 * flags: OCSPKIT_DECODE_STRICT or tolerances (above).
 * err_offset: may be NULL; on failure, the offset in der where decoding
 *   stopped (the start of the offending element).
 *
 * Returns OCSPKIT_OK, a DER error (OCSPKIT_E_DER_*), or one of the CRL
 * rules: OCSPKIT_E_UNSUPPORTED_VERSION (a version other than v2, or v1
 * written out), OCSPKIT_E_CRL_V1_EXTENSIONS, OCSPKIT_E_CRL_TIME_FORM,
 * OCSPKIT_E_CRL_EMPTY_REVOKED_LIST, OCSPKIT_E_NEGATIVE_SERIAL,
 * OCSPKIT_E_DUPLICATE_EXTENSION, OCSPKIT_E_BAD_CRL_REASON,
 * OCSPKIT_E_BAD_CRL_NUMBER, OCSPKIT_E_BAD_ISSUING_DISTRIBUTION_POINT,
 * OCSPKIT_E_BAD_SIGNATURE_BITS, OCSPKIT_E_LIMIT_EXTENSIONS (per list),
 * OCSPKIT_E_LIMIT_INPUT_SIZE (above OCSPKIT_MAX_CRL_SIZE) or
 * OCSPKIT_E_NO_MEMORY.
 *
 * Ownership: the caller frees *out with ocspkit_crl_free.
 * Thread safety: safe to call from any thread. */
OCSPKIT_WUR ocspkit_err ocspkit_crl_decode(ocspkit_crl **out, const uint8_t *der, size_t len, unsigned flags,
					   size_t *err_offset);

/* ocspkit_crl_free releases crl and every view read from it.  NULL is
 * fine. */
void ocspkit_crl_free(ocspkit_crl *crl);

/* ---------------------------------------------------------------- the CRL */

/* The accessors below return views into crl, valid until it is freed. */

/* ocspkit_crl_get_der returns the whole CRL; ocspkit_crl_get_tbs_der the
 * exact tbsCertList, which the signature covers. */
ocspkit_bytes ocspkit_crl_get_der(const ocspkit_crl *crl);
ocspkit_bytes ocspkit_crl_get_tbs_der(const ocspkit_crl *crl);

/* ocspkit_crl_get_version returns 0 for a v1 CRL, 1 for v2. */
long ocspkit_crl_get_version(const ocspkit_crl *crl);

/* ocspkit_crl_get_signature_algorithm returns signatureAlgorithm, the
 * algorithm of the signature; ocspkit_crl_get_tbs_signature_algorithm the
 * copy inside tbsCertList (RFC 5280 5.1.1.2: the same; ocspkit_crl_verify
 * checks it).  ocspkit_crl_get_signature returns the signature octets (the
 * BIT STRING without its unused-bits octet). */
const ocspkit_algorithm_id *ocspkit_crl_get_signature_algorithm(const ocspkit_crl *crl);
const ocspkit_algorithm_id *ocspkit_crl_get_tbs_signature_algorithm(const ocspkit_crl *crl);
ocspkit_bytes ocspkit_crl_get_signature(const ocspkit_crl *crl);

/* ocspkit_crl_get_issuer returns the whole DER of the issuer Name
 * (ocspkit_name_to_string gives its RFC 4514 text). */
ocspkit_bytes ocspkit_crl_get_issuer(const ocspkit_crl *crl);

/* ocspkit_crl_get_this_update returns thisUpdate, seconds since the epoch. */
int64_t ocspkit_crl_get_this_update(const ocspkit_crl *crl);

/* ocspkit_crl_get_next_update sets *next_update to nextUpdate and returns
 * OCSPKIT_OK, or OCSPKIT_E_NOT_FOUND when the CRL has none. */
OCSPKIT_WUR ocspkit_err ocspkit_crl_get_next_update(int64_t *next_update, const ocspkit_crl *crl);

/* ocspkit_crl_get_extension_count returns the number of crlExtensions;
 * ocspkit_crl_get_extension the i-th (in the order written), or NULL when
 * i is past the end. */
size_t ocspkit_crl_get_extension_count(const ocspkit_crl *crl);
const ocspkit_extension *ocspkit_crl_get_extension(const ocspkit_crl *crl, size_t i);

/* ocspkit_crl_has_unknown_critical_extension returns 1 if the CRL or one
 * of its entries carries a critical extension ocspkit does not process
 * (RFC 5280 5.2, 5.3: such a CRL must not be used), else 0. */
int ocspkit_crl_has_unknown_critical_extension(const ocspkit_crl *crl);

/* ---------------------------------------------------------------- CRL extensions */

/* Typed readers of the CRL extensions ocspkit processes.  Each returns
 * OCSPKIT_OK and fills its output, or OCSPKIT_E_NOT_FOUND when the CRL
 * does not carry the extension.  The values were checked when the CRL was
 * decoded. */

/* ocspkit_crl_get_number sets *number to the cRLNumber (INTEGER content
 * octets, minimal, non-negative, at most 20 octets of value). */
OCSPKIT_WUR ocspkit_err ocspkit_crl_get_number(ocspkit_bytes *number, const ocspkit_crl *crl);

/* ocspkit_crl_is_delta returns 1 if the CRL is a delta CRL (it carries a
 * delta CRL indicator), else 0; ocspkit_crl_get_base_number sets *base to
 * the number of the complete CRL it updates (BaseCRLNumber, as *number
 * above), OCSPKIT_E_NOT_FOUND for a complete CRL. */
int ocspkit_crl_is_delta(const ocspkit_crl *crl);
OCSPKIT_WUR ocspkit_err ocspkit_crl_get_base_number(ocspkit_bytes *base, const ocspkit_crl *crl);

/* ReasonFlags (RFC 5280 4.2.1.13) as bits: bit n of the BIT STRING is
 * (1u << n).  The numbering is ReasonFlags', not CRLReason's: from
 * privilegeWithdrawn on they differ. */
#define OCSPKIT_REASON_FLAG_UNUSED (1u << 0)
#define OCSPKIT_REASON_FLAG_KEY_COMPROMISE (1u << 1)
#define OCSPKIT_REASON_FLAG_CA_COMPROMISE (1u << 2)
#define OCSPKIT_REASON_FLAG_AFFILIATION_CHANGED (1u << 3)
#define OCSPKIT_REASON_FLAG_SUPERSEDED (1u << 4)
#define OCSPKIT_REASON_FLAG_CESSATION_OF_OPERATION (1u << 5)
#define OCSPKIT_REASON_FLAG_CERTIFICATE_HOLD (1u << 6)
#define OCSPKIT_REASON_FLAG_PRIVILEGE_WITHDRAWN (1u << 7)
#define OCSPKIT_REASON_FLAG_AA_COMPROMISE (1u << 8)

/* The distributionPoint of an issuing distribution point or of a
 * distribution point: a fullName, or a name relative to the CRL issuer,
 * or neither. */
typedef struct {
	/* fullName: its GeneralName elements, one after another (read them with
	 * ocspkit_general_names_next); empty when absent. */
	ocspkit_bytes full_name;
	/* nameRelativeToCRLIssuer: the whole DER of the RelativeDistinguishedName
	 * (a SET, retagged [1] as written); empty when absent. */
	ocspkit_bytes relative_name;
} ocspkit_dp_name;

/* IssuingDistributionPoint (RFC 5280 5.2.5). */
typedef struct {
	ocspkit_dp_name distribution_point;
	int only_user_certs;
	int only_ca_certs;
	int only_attribute_certs;
	int indirect_crl;
	int has_only_some_reasons;
	unsigned only_some_reasons; /* ReasonFlags bits */
} ocspkit_crl_idp;

/* ocspkit_crl_get_issuing_distribution_point fills *idp. */
OCSPKIT_WUR ocspkit_err ocspkit_crl_get_issuing_distribution_point(ocspkit_crl_idp *idp, const ocspkit_crl *crl);

/* AuthorityKeyIdentifier (RFC 5280 4.2.1.1, 5.2.1). */
typedef struct {
	ocspkit_bytes key_id;  /* keyIdentifier octets; empty when absent */
	ocspkit_bytes issuer;  /* authorityCertIssuer: GeneralName elements; empty when absent */
	ocspkit_bytes serial;  /* authorityCertSerialNumber: INTEGER content octets; empty when absent */
} ocspkit_authority_key_id;

/* ocspkit_crl_get_authority_key_id fills *aki. */
OCSPKIT_WUR ocspkit_err ocspkit_crl_get_authority_key_id(ocspkit_authority_key_id *aki, const ocspkit_crl *crl);

/* A DistributionPoint of a freshest CRL extension (RFC 5280 4.2.1.13). */
typedef struct {
	ocspkit_dp_name distribution_point;
	int has_reasons;
	unsigned reasons;          /* ReasonFlags bits */
	ocspkit_bytes crl_issuer;  /* cRLIssuer: GeneralName elements; empty when absent */
} ocspkit_distribution_point;

/* ocspkit_crl_get_freshest_crl writes the first max distribution points of
 * the freshest CRL extension (where delta CRLs are found) to dps (which
 * may be NULL when max is 0) and sets *count to how many there are. */
OCSPKIT_WUR ocspkit_err ocspkit_crl_get_freshest_crl(ocspkit_distribution_point *dps, size_t max, size_t *count,
						     const ocspkit_crl *crl);

/* ocspkit_general_names_next reads the first GeneralName element of *names
 * (a run of GeneralName elements, as the views above hold) into *name (its
 * whole DER, for ocspkit_general_name_to_string) and advances *names past
 * it.  It returns OCSPKIT_E_NOT_FOUND when *names is empty, a DER error if
 * it does not start with an element. */
OCSPKIT_WUR ocspkit_err ocspkit_general_names_next(ocspkit_bytes *name, ocspkit_bytes *names);

/* ---------------------------------------------------------------- entries */

/* One revoked certificate (RFC 5280 5.1.2.6, 5.3), read on demand.  The
 * views point into the CRL. */
typedef struct {
	/* userCertificate: INTEGER content octets, minimal (see
	 * OCSPKIT_DECODE_ALLOW_PADDED_INTEGER). */
	ocspkit_bytes serial;
	int64_t revocation_date;
	/* reasonCode (5.3.1); absent means unspecified, but is reported as
	 * absent. */
	int has_reason;
	ocspkit_crl_reason reason;
	/* invalidityDate (5.3.2). */
	int has_invalidity_date;
	int64_t invalidity_date;
	/* holdInstructionCode: OID content octets; empty when absent. */
	ocspkit_bytes hold_instruction;
	/* The certificate issuer the entry belongs to (5.3.3): the GeneralName
	 * elements of the certificateIssuer extension of this entry or, in an
	 * indirect CRL, of the nearest earlier entry that has one; empty when
	 * that is the CRL issuer. */
	ocspkit_bytes certificate_issuer;
	/* crlEntryExtensions: the whole DER of the list and the number of
	 * extensions in it (ocspkit_crl_entry_get_extension reads them); empty
	 * and 0 when absent. */
	ocspkit_bytes extensions;
	size_t extension_count;
	/* Position in revokedCertificates (ocspkit_crl_get_entry's i). */
	size_t index;
} ocspkit_crl_entry;

/* ocspkit_crl_get_entry_count returns the number of revoked certificates. */
size_t ocspkit_crl_get_entry_count(const ocspkit_crl *crl);

/* ocspkit_crl_get_entry reads entry i (in the order of the CRL) into
 * *entry: OCSPKIT_OK, or OCSPKIT_E_NOT_FOUND when i is past the end.
 * Constant time; iterating i from 0 reads the CRL in order. */
OCSPKIT_WUR ocspkit_err ocspkit_crl_get_entry(ocspkit_crl_entry *entry, const ocspkit_crl *crl, size_t i);

/* ocspkit_crl_entry_get_extension reads extension i of the entry (in the
 * order written) into *ext: OCSPKIT_OK, or OCSPKIT_E_NOT_FOUND when i is
 * past the end.  ext's views point into the CRL. */
OCSPKIT_WUR ocspkit_err ocspkit_crl_entry_get_extension(ocspkit_extension *ext, const ocspkit_crl_entry *entry,
							size_t i);

/* ocspkit_crl_find looks up the certificate with the given serial number
 * (INTEGER content octets; padded ones are matched by value) issued by the
 * CRL's issuer, and reads its entry into *entry.
 *
 * In an indirect CRL (entries with a certificateIssuer extension, RFC 5280
 * 5.3.3) only the entries that belong to the CRL issuer itself count: the
 * entries before the first certificateIssuer, and those whose
 * certificateIssuer in effect names the CRL issuer (as a directoryName
 * equal octet for octet).  ocspkit_crl_find_issued_by asks about another
 * certificate issuer.
 *
 * Returns OCSPKIT_OK; OCSPKIT_E_NOT_FOUND when the certificate is not
 * listed (it is not revoked by this CRL); OCSPKIT_E_CRL_ENTRY_CONFLICT
 * when it is listed twice with different revocation dates, reasons,
 * invalidity dates or hold instructions (listed twice alike, the first
 * entry is returned).  Lookup costs O(1) on average and O(log n) at worst. */
OCSPKIT_WUR ocspkit_err ocspkit_crl_find(ocspkit_crl_entry *entry, const ocspkit_crl *crl, ocspkit_bytes serial);

/* ocspkit_crl_find_issued_by is ocspkit_crl_find for the certificate with
 * that serial number issued by issuer (the whole DER of its Name, compared
 * octet for octet with the directoryName of the certificateIssuer in
 * effect, or with the CRL issuer for entries that have none). */
OCSPKIT_WUR ocspkit_err ocspkit_crl_find_issued_by(ocspkit_crl_entry *entry, const ocspkit_crl *crl,
						   ocspkit_bytes issuer, ocspkit_bytes serial);

/* ---------------------------------------------------------------- verification */

/* ocspkit_crl_verify decides whether crl may be used, given the
 * certificate of its issuer (the CA, or for an indirect CRL the CRL issuer
 * its issuing distribution point stands for).  In this order:
 *
 *   OCSPKIT_E_CRL_ISSUER_MISMATCH          the CRL's issuer is not the
 *                                          certificate's subject (octet for octet)
 *   OCSPKIT_E_CRL_SIGNER_NO_CRL_SIGN       the certificate has a key usage
 *                                          extension without cRLSign
 *   OCSPKIT_E_SIGNATURE_ALGORITHM_MISMATCH signatureAlgorithm differs from
 *                                          the tbsCertList's signature
 *   the errors of ocspkit_verify_signature (OCSPKIT_E_SIGNATURE_INVALID ...)
 *   OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION   a critical CRL or entry extension
 *                                          ocspkit does not process
 *
 * and OCSPKIT_OK.  Times (thisUpdate, nextUpdate) are the caller's to
 * judge against its clock.  Thread safety: safe to call from any thread. */
OCSPKIT_WUR ocspkit_err ocspkit_crl_verify(const ocspkit_crl *crl, const ocspkit_cert *issuer);

/* ---------------------------------------------------------------- text */

/* ocspkit_crl_print sets *text (released with ocspkit_free) to the CRL's
 * fields laid out as `openssl crl -text -noout` lays them out, every entry
 * included. */
OCSPKIT_WUR ocspkit_err ocspkit_crl_print(char **text, const ocspkit_crl *crl);

#ifdef __cplusplus
}
#endif

#endif /* OCSPKIT_CRL_H */
