/* Object identifiers the codec knows: one table with the dotted form, the
 * names OpenSSL prints, and what each one means to the codec. */
#ifndef OCSPKIT_OID_H
#define OCSPKIT_OID_H

#include <ocspkit/ocsp.h>

typedef enum {
	OKIT_OID_HASH,          /* id: ocspkit_hash */
	OKIT_OID_SIG,           /* id: okit_sig */
	OKIT_OID_KEY,           /* id: okit_key */
	OKIT_OID_CURVE,         /* id: okit_curve */
	OKIT_OID_EXT,           /* id: ocspkit_ext_type, or one of okit_cert_ext */
	OKIT_OID_MISC,          /* id: okit_misc */
	OKIT_OID_ATTR,          /* name attributes; id unused */
	OKIT_OID__KINDS
} okit_oid_kind;

/* Signature algorithms (their AlgorithmIdentifier OIDs). */
typedef enum {
	OKIT_SIG_RSA_MD2 = 1,
	OKIT_SIG_RSA_MD5,
	OKIT_SIG_RSA_SHA1,
	OKIT_SIG_RSA_SHA224,
	OKIT_SIG_RSA_SHA256,
	OKIT_SIG_RSA_SHA384,
	OKIT_SIG_RSA_SHA512,
	OKIT_SIG_RSA_PSS,
	OKIT_SIG_ECDSA_SHA1,
	OKIT_SIG_ECDSA_SHA224,
	OKIT_SIG_ECDSA_SHA256,
	OKIT_SIG_ECDSA_SHA384,
	OKIT_SIG_ECDSA_SHA512,
	OKIT_SIG_ED25519,
	OKIT_SIG_ED448,
	OKIT_SIG_DSA_SHA1,
	OKIT_SIG_DSA_SHA256
} okit_sig;

/* Public key algorithms (SubjectPublicKeyInfo). */
typedef enum {
	OKIT_KEY_RSA = 1,
	OKIT_KEY_RSA_PSS,
	OKIT_KEY_EC,
	OKIT_KEY_ED25519,
	OKIT_KEY_ED448,
	OKIT_KEY_DSA
} okit_key;

typedef enum { OKIT_CURVE_P256 = 1, OKIT_CURVE_P384, OKIT_CURVE_P521 } okit_curve;

/* Certificate extensions (kind OKIT_OID_EXT, ids above the OCSP ones). */
typedef enum {
	OKIT_CEXT_KEY_USAGE = 100,
	OKIT_CEXT_BASIC_CONSTRAINTS,
	OKIT_CEXT_EXT_KEY_USAGE,
	OKIT_CEXT_AIA,
	OKIT_CEXT_TLS_FEATURE,
	OKIT_CEXT_SKI,
	OKIT_CEXT_AKI,
	OKIT_CEXT_SAN,
	OKIT_CEXT_CRL_DP,
	OKIT_CEXT_POLICIES,
	OKIT_CEXT_SCT_LIST,
	OKIT_CEXT_OCSP_SCT,
	/* CRL extensions (RFC 5280 5.2) and the entry extension OCSP does not
	 * share (5.3.2); crl.c reads them */
	OKIT_CEXT_ISSUER_ALT_NAME,
	OKIT_CEXT_CRL_NUMBER,
	OKIT_CEXT_DELTA_CRL,
	OKIT_CEXT_IDP,
	OKIT_CEXT_FRESHEST_CRL,
	OKIT_CEXT_HOLD_INSTRUCTION
} okit_cert_ext;

typedef enum {
	OKIT_MISC_OCSP_BASIC = 1, /* id-pkix-ocsp-basic */
	OKIT_MISC_AD_OCSP,        /* id-ad-ocsp */
	OKIT_MISC_AD_CA_ISSUERS,
	OKIT_MISC_KP_OCSP_SIGNING,
	OKIT_MISC_KP_SERVER_AUTH,
	OKIT_MISC_KP_CLIENT_AUTH,
	OKIT_MISC_MGF1,
	OKIT_MISC_ANY_EKU,
	OKIT_MISC_HOLD_NONE, /* hold instructions (RFC 5280 5.3.2's predecessors) */
	OKIT_MISC_HOLD_CALL_ISSUER,
	OKIT_MISC_HOLD_REJECT
} okit_misc;

typedef struct {
	okit_oid_kind kind;
	int id;
	const char *dotted;
	const char *sn;   /* OpenSSL short name (used for name attributes) */
	const char *ln;   /* OpenSSL long name: what `openssl ocsp` prints */
	const char *rfc4514; /* RFC 4514 attribute keyword, name attributes only */
	uint8_t der[16];  /* content octets, filled at initialisation */
	uint8_t len;
} okit_oid;

/* The entry for an OID of the given kind (any kind when kind < 0), or NULL. */
const okit_oid *okit_oid_find(int kind, ocspkit_bytes oid);
/* The entry of a kind by id, or NULL. */
const okit_oid *okit_oid_by_id(okit_oid_kind kind, int id);
/* 1 if the table is grouped by kind and every entry encoded (a test). */
int okit_oid_table_ok(void);
/* id of oid within kind, or 0. */
int okit_oid_id(okit_oid_kind kind, ocspkit_bytes oid);
static inline ocspkit_bytes okit_oid_bytes(const okit_oid *o)
{
	return (ocspkit_bytes){ o->der, o->len };
}

#endif
