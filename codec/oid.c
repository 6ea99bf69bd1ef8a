/* The OID table; see oid.h. */
#include <config.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "ocsp_asn1.h"
#include "oid.h"

/* The table: one row per OID, grouped by kind (rows of one kind look
 * alike, being data). */
#define E(kind, id, dotted, sn, ln) { kind, id, dotted, sn, ln, NULL, { 0 }, 0 }
#define A(dotted, sn, ln, kw) { OKIT_OID_ATTR, 0, dotted, sn, ln, kw, { 0 }, 0 }

static okit_oid table[] = {
	E(OKIT_OID_HASH, OCSPKIT_HASH_SHA1, "1.3.14.3.2.26", "SHA1", "sha1"),
	E(OKIT_OID_HASH, OCSPKIT_HASH_SHA224, "2.16.840.1.101.3.4.2.4", "SHA224", "sha224"),
	E(OKIT_OID_HASH, OCSPKIT_HASH_SHA256, "2.16.840.1.101.3.4.2.1", "SHA256", "sha256"),
	E(OKIT_OID_HASH, OCSPKIT_HASH_SHA384, "2.16.840.1.101.3.4.2.2", "SHA384", "sha384"),
	E(OKIT_OID_HASH, OCSPKIT_HASH_SHA512, "2.16.840.1.101.3.4.2.3", "SHA512", "sha512"),
	E(OKIT_OID_HASH, OCSPKIT_HASH_MD5, "1.2.840.113549.2.5", "MD5", "md5"),
	E(OKIT_OID_HASH, OCSPKIT_HASH_MD2, "1.2.840.113549.2.2", "MD2", "md2"),

	E(OKIT_OID_SIG, OKIT_SIG_RSA_MD2, "1.2.840.113549.1.1.2", "RSA-MD2", "md2WithRSAEncryption"),
	E(OKIT_OID_SIG, OKIT_SIG_RSA_MD5, "1.2.840.113549.1.1.4", "RSA-MD5", "md5WithRSAEncryption"),
	E(OKIT_OID_SIG, OKIT_SIG_RSA_SHA1, "1.2.840.113549.1.1.5", "RSA-SHA1", "sha1WithRSAEncryption"),
	E(OKIT_OID_SIG, OKIT_SIG_RSA_SHA224, "1.2.840.113549.1.1.14", "RSA-SHA224", "sha224WithRSAEncryption"),
	E(OKIT_OID_SIG, OKIT_SIG_RSA_SHA256, "1.2.840.113549.1.1.11", "RSA-SHA256", "sha256WithRSAEncryption"),
	E(OKIT_OID_SIG, OKIT_SIG_RSA_SHA384, "1.2.840.113549.1.1.12", "RSA-SHA384", "sha384WithRSAEncryption"),
	E(OKIT_OID_SIG, OKIT_SIG_RSA_SHA512, "1.2.840.113549.1.1.13", "RSA-SHA512", "sha512WithRSAEncryption"),
	E(OKIT_OID_SIG, OKIT_SIG_RSA_PSS, "1.2.840.113549.1.1.10", "RSASSA-PSS", "rsassaPss"),
	E(OKIT_OID_SIG, OKIT_SIG_ECDSA_SHA1, "1.2.840.10045.4.1", "ecdsa-with-SHA1", "ecdsa-with-SHA1"),
	E(OKIT_OID_SIG, OKIT_SIG_ECDSA_SHA224, "1.2.840.10045.4.3.1", "ecdsa-with-SHA224", "ecdsa-with-SHA224"),
	E(OKIT_OID_SIG, OKIT_SIG_ECDSA_SHA256, "1.2.840.10045.4.3.2", "ecdsa-with-SHA256", "ecdsa-with-SHA256"),
	E(OKIT_OID_SIG, OKIT_SIG_ECDSA_SHA384, "1.2.840.10045.4.3.3", "ecdsa-with-SHA384", "ecdsa-with-SHA384"),
	E(OKIT_OID_SIG, OKIT_SIG_ECDSA_SHA512, "1.2.840.10045.4.3.4", "ecdsa-with-SHA512", "ecdsa-with-SHA512"),
	E(OKIT_OID_SIG, OKIT_SIG_ED25519, "1.3.101.112", "ED25519", "ED25519"),
	E(OKIT_OID_SIG, OKIT_SIG_ED448, "1.3.101.113", "ED448", "ED448"),
	E(OKIT_OID_SIG, OKIT_SIG_DSA_SHA1, "1.2.840.10040.4.3", "DSA-SHA1", "dsaWithSHA1"),
	E(OKIT_OID_SIG, OKIT_SIG_DSA_SHA256, "2.16.840.1.101.3.4.3.2", "dsa_with_SHA256", "dsa_with_SHA256"),

	E(OKIT_OID_KEY, OKIT_KEY_RSA, "1.2.840.113549.1.1.1", "rsaEncryption", "rsaEncryption"),
	E(OKIT_OID_KEY, OKIT_KEY_RSA_PSS, "1.2.840.113549.1.1.10", "RSASSA-PSS", "rsassaPss"),
	E(OKIT_OID_KEY, OKIT_KEY_EC, "1.2.840.10045.2.1", "id-ecPublicKey", "id-ecPublicKey"),
	E(OKIT_OID_KEY, OKIT_KEY_ED25519, "1.3.101.112", "ED25519", "ED25519"),
	E(OKIT_OID_KEY, OKIT_KEY_ED448, "1.3.101.113", "ED448", "ED448"),
	E(OKIT_OID_KEY, OKIT_KEY_DSA, "1.2.840.10040.4.1", "DSA", "dsaEncryption"),

	E(OKIT_OID_CURVE, OKIT_CURVE_P256, "1.2.840.10045.3.1.7", "prime256v1", "prime256v1"),
	E(OKIT_OID_CURVE, OKIT_CURVE_P384, "1.3.132.0.34", "secp384r1", "secp384r1"),
	E(OKIT_OID_CURVE, OKIT_CURVE_P521, "1.3.132.0.35", "secp521r1", "secp521r1"),

	E(OKIT_OID_EXT, OCSPKIT_EXT_NONCE, OID_id_pkix_ocsp_nonce, "Nonce", "OCSP Nonce"),
	E(OKIT_OID_EXT, OCSPKIT_EXT_CRL_ID, OID_id_pkix_ocsp_crl, "CrlID", "OCSP CRL ID"),
	E(OKIT_OID_EXT, OCSPKIT_EXT_ACCEPTABLE_RESPONSES, OID_id_pkix_ocsp_response, "acceptableResponses", "Acceptable OCSP Responses"),
	E(OKIT_OID_EXT, OCSPKIT_EXT_NOCHECK, OID_id_pkix_ocsp_nocheck, "noCheck", "OCSP No Check"),
	E(OKIT_OID_EXT, OCSPKIT_EXT_ARCHIVE_CUTOFF, OID_id_pkix_ocsp_archive_cutoff, "archiveCutoff", "OCSP Archive Cutoff"),
	E(OKIT_OID_EXT, OCSPKIT_EXT_SERVICE_LOCATOR, OID_id_pkix_ocsp_service_locator, "serviceLocator", "OCSP Service Locator"),
	E(OKIT_OID_EXT, OCSPKIT_EXT_PREF_SIG_ALGS, OID_id_pkix_ocsp_pref_sig_algs, "prefSigAlgs", "Preferred Signature Algorithms"),
	E(OKIT_OID_EXT, OCSPKIT_EXT_EXTENDED_REVOKE, OID_id_pkix_ocsp_extended_revoke, "extendedRevoke", "Extended OCSP Revoke"),
	E(OKIT_OID_EXT, OCSPKIT_EXT_CRL_REASON, OID_id_ce_cRLReasons, "CRLReason", "X509v3 CRL Reason Code"),
	E(OKIT_OID_EXT, OCSPKIT_EXT_INVALIDITY_DATE, OID_id_ce_invalidityDate, "invalidityDate", "Invalidity Date"),
	E(OKIT_OID_EXT, OCSPKIT_EXT_CERTIFICATE_ISSUER, OID_id_ce_certificateIssuer, "certificateIssuer", "X509v3 Certificate Issuer"),
	E(OKIT_OID_EXT, OKIT_CEXT_KEY_USAGE, OID_id_ce_keyUsage, "keyUsage", "X509v3 Key Usage"),
	E(OKIT_OID_EXT, OKIT_CEXT_BASIC_CONSTRAINTS, OID_id_ce_basicConstraints, "basicConstraints", "X509v3 Basic Constraints"),
	E(OKIT_OID_EXT, OKIT_CEXT_EXT_KEY_USAGE, OID_id_ce_extKeyUsage, "extendedKeyUsage", "X509v3 Extended Key Usage"),
	E(OKIT_OID_EXT, OKIT_CEXT_AIA, OID_id_pe_authorityInfoAccess, "authorityInfoAccess", "Authority Information Access"),
	E(OKIT_OID_EXT, OKIT_CEXT_TLS_FEATURE, OID_id_pe_tlsfeature, "tlsfeature", "TLS Feature"),
	E(OKIT_OID_EXT, OKIT_CEXT_SKI, "2.5.29.14", "subjectKeyIdentifier", "X509v3 Subject Key Identifier"),
	E(OKIT_OID_EXT, OKIT_CEXT_AKI, OID_id_ce_authorityKeyIdentifier, "authorityKeyIdentifier", "X509v3 Authority Key Identifier"),
	E(OKIT_OID_EXT, OKIT_CEXT_SAN, "2.5.29.17", "subjectAltName", "X509v3 Subject Alternative Name"),
	E(OKIT_OID_EXT, OKIT_CEXT_CRL_DP, "2.5.29.31", "crlDistributionPoints", "X509v3 CRL Distribution Points"),
	E(OKIT_OID_EXT, OKIT_CEXT_POLICIES, "2.5.29.32", "certificatePolicies", "X509v3 Certificate Policies"),
	E(OKIT_OID_EXT, OKIT_CEXT_SCT_LIST, "1.3.6.1.4.1.11129.2.4.2", "ct_precert_scts", "CT Precertificate SCTs"),
	E(OKIT_OID_EXT, OKIT_CEXT_OCSP_SCT, "1.3.6.1.4.1.11129.2.4.5", "ct_cert_scts", "CT Certificate SCTs"),
	E(OKIT_OID_EXT, OKIT_CEXT_ISSUER_ALT_NAME, OID_id_ce_issuerAltName, "issuerAltName", "X509v3 Issuer Alternative Name"),
	E(OKIT_OID_EXT, OKIT_CEXT_CRL_NUMBER, OID_id_ce_cRLNumber, "crlNumber", "X509v3 CRL Number"),
	E(OKIT_OID_EXT, OKIT_CEXT_DELTA_CRL, OID_id_ce_deltaCRLIndicator, "deltaCRL", "X509v3 Delta CRL Indicator"),
	E(OKIT_OID_EXT, OKIT_CEXT_IDP, OID_id_ce_issuingDistributionPoint, "issuingDistributionPoint", "X509v3 Issuing Distribution Point"),
	E(OKIT_OID_EXT, OKIT_CEXT_FRESHEST_CRL, OID_id_ce_freshestCRL, "freshestCRL", "X509v3 Freshest CRL"),
	E(OKIT_OID_EXT, OKIT_CEXT_HOLD_INSTRUCTION, OID_id_ce_holdInstructionCode, "holdInstructionCode", "Hold Instruction Code"),

	E(OKIT_OID_MISC, OKIT_MISC_OCSP_BASIC, OID_id_pkix_ocsp_basic, "basicOCSPResponse", "Basic OCSP Response"),
	E(OKIT_OID_MISC, OKIT_MISC_AD_OCSP, OID_id_ad_ocsp, "OCSP", "OCSP"),
	E(OKIT_OID_MISC, OKIT_MISC_AD_CA_ISSUERS, "1.3.6.1.5.5.7.48.2", "caIssuers", "CA Issuers"),
	E(OKIT_OID_MISC, OKIT_MISC_KP_OCSP_SIGNING, OID_id_kp_OCSPSigning, "OCSPSigning", "OCSP Signing"),
	E(OKIT_OID_MISC, OKIT_MISC_KP_SERVER_AUTH, "1.3.6.1.5.5.7.3.1", "serverAuth", "TLS Web Server Authentication"),
	E(OKIT_OID_MISC, OKIT_MISC_KP_CLIENT_AUTH, "1.3.6.1.5.5.7.3.2", "clientAuth", "TLS Web Client Authentication"),
	E(OKIT_OID_MISC, OKIT_MISC_MGF1, "1.2.840.113549.1.1.8", "MGF1", "mgf1"),
	E(OKIT_OID_MISC, OKIT_MISC_ANY_EKU, "2.5.29.37.0", "anyExtendedKeyUsage", "Any Extended Key Usage"),
	E(OKIT_OID_MISC, OKIT_MISC_HOLD_NONE, OID_id_holdinstruction_none, "holdInstructionNone", "Hold Instruction None"),
	E(OKIT_OID_MISC, OKIT_MISC_HOLD_CALL_ISSUER, OID_id_holdinstruction_callissuer, "holdInstructionCallIssuer", "Hold Instruction Call Issuer"),
	E(OKIT_OID_MISC, OKIT_MISC_HOLD_REJECT, OID_id_holdinstruction_reject, "holdInstructionReject", "Hold Instruction Reject"),

	A("2.5.4.3", "CN", "commonName", "CN"),
	A("2.5.4.4", "SN", "surname", NULL),
	A("2.5.4.5", "serialNumber", "serialNumber", NULL),
	A("2.5.4.6", "C", "countryName", "C"),
	A("2.5.4.7", "L", "localityName", "L"),
	A("2.5.4.8", "ST", "stateOrProvinceName", "ST"),
	A("2.5.4.9", "street", "streetAddress", "STREET"),
	A("2.5.4.10", "O", "organizationName", "O"),
	A("2.5.4.11", "OU", "organizationalUnitName", "OU"),
	A("2.5.4.12", "title", "title", NULL),
	A("2.5.4.15", "businessCategory", "businessCategory", NULL),
	A("2.5.4.17", "postalCode", "postalCode", NULL),
	A("2.5.4.42", "GN", "givenName", NULL),
	A("2.5.4.43", "initials", "initials", NULL),
	A("2.5.4.46", "dnQualifier", "dnQualifier", NULL),
	A("2.5.4.65", "pseudonym", "pseudonym", NULL),
	A("2.5.4.97", "organizationIdentifier", "organizationIdentifier", NULL),
	A("1.2.840.113549.1.9.1", "emailAddress", "emailAddress", NULL),
	A("0.9.2342.19200300.100.1.25", "DC", "domainComponent", "DC"),
	A("0.9.2342.19200300.100.1.1", "UID", "userId", "UID"),
	A("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC", "jurisdictionCountryName", NULL),
	A("1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST", "jurisdictionStateOrProvinceName", NULL),
	A("1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL", "jurisdictionLocalityName", NULL),
};

#define N_TABLE (sizeof(table) / sizeof(table[0]))

static size_t kind_start[OKIT_OID__KINDS + 1];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_int ready; /* init has run: no pthread_once needed */

/* Dotted decimal to content octets; the table is fixed, so a failure
 * here is a bug that the unit tests catch (len stays 0). */
static void encode_dotted(okit_oid *o)
{
	unsigned long arcs[20];
	size_t n = 0;
	const char *s = o->dotted;
	while (*s && n < 20) {
		char *end;
		arcs[n++] = strtoul(s, &end, 10);
		s = *end == '.' ? end + 1 : end;
	}
	uint8_t out[16];
	size_t len = 0;
	for (size_t i = 1; i < n; i++) {
		unsigned long v = i == 1 ? arcs[0] * 40 + arcs[1] : arcs[i];
		uint8_t tmp[10];
		size_t k = 0;
		do {
			tmp[k++] = (uint8_t)(v & 0x7F);
			v >>= 7;
		} while (v);
		if (len + k > sizeof(out))
			return;
		while (k--)
			out[len++] = (uint8_t)(tmp[k] | (k ? 0x80 : 0));
	}
	memcpy(o->der, out, len);
	o->len = (uint8_t)len;
}

static void init(void)
{
	/* The table is grouped by kind, in enum order. */
	size_t i = 0;
	for (int k = 0; k < OKIT_OID__KINDS; k++) {
		kind_start[k] = i;
		while (i < N_TABLE && table[i].kind == (okit_oid_kind)k)
			encode_dotted(&table[i++]);
	}
	kind_start[OKIT_OID__KINDS] = i;
	atomic_store_explicit(&ready, 1, memory_order_release);
}

/* The table, encoded first if need be (once per process). */
static inline void table_ready(void)
{
	if (!atomic_load_explicit(&ready, memory_order_acquire))
		pthread_once(&once, init);
}

int okit_oid_table_ok(void)
{
	table_ready();
	if (kind_start[OKIT_OID__KINDS] != N_TABLE)
		return 0;
	for (size_t i = 0; i < N_TABLE; i++)
		if (table[i].len == 0)
			return 0;
	return 1;
}

const okit_oid *okit_oid_find(int kind, ocspkit_bytes oid)
{
	table_ready();
	size_t lo = kind < 0 ? 0 : kind_start[kind];
	size_t hi = kind < 0 ? kind_start[OKIT_OID__KINDS] : kind_start[kind + 1];
	for (size_t i = lo; i < hi; i++)
		if (table[i].len == oid.len && memcmp(table[i].der, oid.data, oid.len) == 0)
			return &table[i];
	return NULL;
}

const okit_oid *okit_oid_by_id(okit_oid_kind kind, int id)
{
	table_ready();
	for (size_t i = kind_start[kind]; i < kind_start[kind + 1]; i++)
		if (table[i].id == id)
			return &table[i];
	return NULL;
}

int okit_oid_id(okit_oid_kind kind, ocspkit_bytes oid)
{
	const okit_oid *o = okit_oid_find((int)kind, oid);
	return o ? o->id : 0;
}
