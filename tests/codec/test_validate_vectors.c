/* Validation of other projects' test vectors (../shared/vectors, or
 * $OCSPKIT_VECTORS), each with the verdict its own test suite expects
 * (MANIFEST.tsv): OpenSSL's test/recipes/80-test_ocsp_data, GnuTLS's
 * ocsp tests and signer-verify set, BoringSSL's pki/testdata/ocsp_unittest
 * (checked at 2017-03-05T00:00Z with a maximum age of one week), pyca's
 * and RustCrypto's.  Where a project only says "fails", the code pinned
 * here is the check that fails.  Skips (77) when the vectors are absent.
 *
 * Verdicts that differ from a peer's on purpose:
 *  - BoringSSL multiple_response_good_revoked: two SingleResponses for the
 *    same CertID, good and revoked.  BoringSSL takes "revoked"; ocspkit
 *    refuses conflicting answers (OCSPKIT_E_CERT_ID_CONFLICT).  Neither
 *    says "good".
 *  - BoringSSL good_response_invalid_serial: a padded serial number.
 *    Strict decoding refuses it (vectors-expected.tsv); with
 *    OCSPKIT_DECODE_ALLOW_PADDED_INTEGER it verifies as GOOD.
 * Each response is decoded here only to be validated: whether it decodes,
 * and where it stops when it does not, is test_vectors.c's (the decode
 * verdicts of all the vectors, in one place). */
#include <config.h>

#include <sys/stat.h>

#include "common/text.h"
#include "tests/lib/check.h"
#include "ocsp_asn1.h"

#define T_BSSL 1488672000    /* 2017-03-05T00:00:00Z */
#define WEEK (7 * 86400)
#define T_GNUTLS_2016 1461326400 /* 2016-04-22T12:00Z */
#define T_SIGNER_VERIFY 1626264000 /* 2021-07-14T12:00Z */

enum { ANY = -1, GOOD = OCSPKIT_CERT_GOOD, REVOKED = OCSPKIT_CERT_REVOKED, UNKNOWN = OCSPKIT_CERT_UNKNOWN };

typedef struct {
	const char *resp, *resp_label;
	const char *issuer, *issuer_label;
	const char *leaf, *leaf_label;    /* the certificate asked about, or NULL */
	const char *serial;               /* else its serial (hex); NULL: no target */
	const char *trusted;              /* a responder trusted directly */
	int64_t now, max_age;
	unsigned flags;                   /* decoding flags */
	ocspkit_err want;
	int want_status;
} vec;

/* OpenSSL's -attime (2012-12-19) is for the certificates; its test does
 * not check the responses' own times, which had passed by then: these are
 * checked one minute after producedAt (now = 0 below). */
#define OSSL(resp, issuer, leaf, want) { "openssl/" resp, NULL, "openssl/" issuer, NULL, "openssl/" leaf, NULL, NULL, NULL, 0, 0, 0, want, want ? ANY : GOOD }
#define BSSL_FLAGS(file, flags, want, status) { "boringssl-pki/" file, "OCSP RESPONSE", "boringssl-pki/" file, "CA CERTIFICATE", "boringssl-pki/" file, "CERTIFICATE", NULL, NULL, T_BSSL, WEEK, flags, want, status }
#define BSSL(file, want, status) BSSL_FLAGS(file, 0, want, status)

static const vec vectors[] = {
	/* OpenSSL: D = delegated responder, ND = the CA signs; 1 = ICA, 2 and 3 = roots */
	OSSL("D1.ors", "D1_Issuer_ICA.pem", "D1_Cert_EE.pem", OCSPKIT_OK),
	OSSL("D2.ors", "D2_Issuer_Root.pem", "D2_Cert_ICA.pem", OCSPKIT_OK),
	OSSL("D3.ors", "D3_Issuer_Root.pem", "D3_Cert_EE.pem", OCSPKIT_OK),
	OSSL("ND1.ors", "ND1_Issuer_ICA.pem", "ND1_Cert_EE.pem", OCSPKIT_OK),
	OSSL("ND2.ors", "ND2_Issuer_Root.pem", "ND2_Cert_ICA.pem", OCSPKIT_OK),
	OSSL("ND3.ors", "ND3_Issuer_Root.pem", "ND3_Cert_EE.pem", OCSPKIT_OK),
	/* issuer certificates whose own signature is broken: trusted as given */
	OSSL("D1.ors", "ISIC_D1_Issuer_ICA.pem", "D1_Cert_EE.pem", OCSPKIT_OK),
	OSSL("D2.ors", "ISIC_D2_Issuer_Root.pem", "D2_Cert_ICA.pem", OCSPKIT_OK),
	OSSL("D3.ors", "ISIC_D3_Issuer_Root.pem", "D3_Cert_EE.pem", OCSPKIT_OK),
	OSSL("ND1.ors", "ISIC_ND1_Issuer_ICA.pem", "ND1_Cert_EE.pem", OCSPKIT_OK),
	OSSL("ND2.ors", "ISIC_ND2_Issuer_Root.pem", "ND2_Cert_ICA.pem", OCSPKIT_OK),
	OSSL("ND3.ors", "ISIC_ND3_Issuer_Root.pem", "ND3_Cert_EE.pem", OCSPKIT_OK),
	/* invalid signature on the delegated responder's certificate */
	OSSL("ISDOSC_D1.ors", "D1_Issuer_ICA.pem", "D1_Cert_EE.pem", OCSPKIT_E_SIGNER_CERT_SIGNATURE),
	OSSL("ISDOSC_D2.ors", "D2_Issuer_Root.pem", "D2_Cert_ICA.pem", OCSPKIT_E_SIGNER_CERT_SIGNATURE),
	OSSL("ISDOSC_D3.ors", "D3_Issuer_Root.pem", "D3_Cert_EE.pem", OCSPKIT_E_SIGNER_CERT_SIGNATURE),
	/* invalid signature on the response */
	OSSL("ISOP_D1.ors", "D1_Issuer_ICA.pem", "D1_Cert_EE.pem", OCSPKIT_E_SIGNATURE_INVALID),
	OSSL("ISOP_D2.ors", "D2_Issuer_Root.pem", "D2_Cert_ICA.pem", OCSPKIT_E_SIGNATURE_INVALID),
	OSSL("ISOP_D3.ors", "D3_Issuer_Root.pem", "D3_Cert_EE.pem", OCSPKIT_E_SIGNATURE_INVALID),
	OSSL("ISOP_ND1.ors", "ND1_Issuer_ICA.pem", "ND1_Cert_EE.pem", OCSPKIT_E_SIGNATURE_INVALID),
	OSSL("ISOP_ND2.ors", "ND2_Issuer_Root.pem", "ND2_Cert_ICA.pem", OCSPKIT_E_SIGNATURE_INVALID),
	OSSL("ISOP_ND3.ors", "ND3_Issuer_Root.pem", "ND3_Cert_EE.pem", OCSPKIT_E_SIGNATURE_INVALID),
	/* wrong issuerKeyHash / issuerNameHash in the CertID: changed after
	 * signing, so the signature is what fails first */
	OSSL("WIKH_D1.ors", "D1_Issuer_ICA.pem", "D1_Cert_EE.pem", OCSPKIT_E_SIGNATURE_INVALID),
	OSSL("WIKH_D2.ors", "D2_Issuer_Root.pem", "D2_Cert_ICA.pem", OCSPKIT_E_SIGNATURE_INVALID),
	OSSL("WIKH_D3.ors", "D3_Issuer_Root.pem", "D3_Cert_EE.pem", OCSPKIT_E_SIGNATURE_INVALID),
	OSSL("WIKH_ND1.ors", "ND1_Issuer_ICA.pem", "ND1_Cert_EE.pem", OCSPKIT_E_SIGNATURE_INVALID),
	OSSL("WIKH_ND2.ors", "ND2_Issuer_Root.pem", "ND2_Cert_ICA.pem", OCSPKIT_E_SIGNATURE_INVALID),
	OSSL("WIKH_ND3.ors", "ND3_Issuer_Root.pem", "ND3_Cert_EE.pem", OCSPKIT_E_SIGNATURE_INVALID),
	OSSL("WINH_D1.ors", "D1_Issuer_ICA.pem", "D1_Cert_EE.pem", OCSPKIT_E_SIGNATURE_INVALID),
	OSSL("WINH_D2.ors", "D2_Issuer_Root.pem", "D2_Cert_ICA.pem", OCSPKIT_E_SIGNATURE_INVALID),
	OSSL("WINH_D3.ors", "D3_Issuer_Root.pem", "D3_Cert_EE.pem", OCSPKIT_E_SIGNATURE_INVALID),
	OSSL("WINH_ND1.ors", "ND1_Issuer_ICA.pem", "ND1_Cert_EE.pem", OCSPKIT_E_SIGNATURE_INVALID),
	OSSL("WINH_ND2.ors", "ND2_Issuer_Root.pem", "ND2_Cert_ICA.pem", OCSPKIT_E_SIGNATURE_INVALID),
	OSSL("WINH_ND3.ors", "ND3_Issuer_Root.pem", "ND3_Cert_EE.pem", OCSPKIT_E_SIGNATURE_INVALID),
	/* wrong key in the delegated responder's certificate */
	/* (D1, D2 name the responder byKey: the changed key is no longer the named one) */
	OSSL("WKDOSC_D1.ors", "D1_Issuer_ICA.pem", "D1_Cert_EE.pem", OCSPKIT_E_SIGNER_NOT_FOUND),
	OSSL("WKDOSC_D2.ors", "D2_Issuer_Root.pem", "D2_Cert_ICA.pem", OCSPKIT_E_SIGNER_NOT_FOUND),
	OSSL("WKDOSC_D3.ors", "D3_Issuer_Root.pem", "D3_Cert_EE.pem", OCSPKIT_E_SIGNER_CERT_SIGNATURE),
	/* the issuer certificate with a wrong key */
	OSSL("D1.ors", "WKIC_D1_Issuer_ICA.pem", "D1_Cert_EE.pem", OCSPKIT_E_SIGNER_CERT_SIGNATURE),
	OSSL("D2.ors", "WKIC_D2_Issuer_Root.pem", "D2_Cert_ICA.pem", OCSPKIT_E_SIGNER_CERT_SIGNATURE),
	OSSL("D3.ors", "WKIC_D3_Issuer_Root.pem", "D3_Cert_EE.pem", OCSPKIT_E_SIGNER_CERT_SIGNATURE),
	OSSL("ND1.ors", "WKIC_ND1_Issuer_ICA.pem", "ND1_Cert_EE.pem", OCSPKIT_E_SIGNER_NOT_FOUND),
	OSSL("ND2.ors", "WKIC_ND2_Issuer_Root.pem", "ND2_Cert_ICA.pem", OCSPKIT_E_SIGNER_NOT_FOUND),
	OSSL("ND3.ors", "WKIC_ND3_Issuer_Root.pem", "ND3_Cert_EE.pem", OCSPKIT_E_SIGNER_NOT_FOUND),
	/* wrong ResponderID, changed after signing: nothing known signed it */
	OSSL("WRID_D1.ors", "D1_Issuer_ICA.pem", "D1_Cert_EE.pem", OCSPKIT_E_SIGNER_NOT_FOUND),
	OSSL("WRID_D2.ors", "D2_Issuer_Root.pem", "D2_Cert_ICA.pem", OCSPKIT_E_SIGNER_NOT_FOUND),
	OSSL("WRID_D3.ors", "D3_Issuer_Root.pem", "D3_Cert_EE.pem", OCSPKIT_E_SIGNER_NOT_FOUND),
	OSSL("WRID_ND1.ors", "ND1_Issuer_ICA.pem", "ND1_Cert_EE.pem", OCSPKIT_E_SIGNER_NOT_FOUND),
	OSSL("WRID_ND2.ors", "ND2_Issuer_Root.pem", "ND2_Cert_ICA.pem", OCSPKIT_E_SIGNER_NOT_FOUND),
	OSSL("WRID_ND3.ors", "ND3_Issuer_Root.pem", "ND3_Cert_EE.pem", OCSPKIT_E_SIGNER_NOT_FOUND),
	/* the issuer certificate with a wrong subject name: the delegated
	 * responder is not its; for ND the certificate asked about is not */
	OSSL("D1.ors", "WSNIC_D1_Issuer_ICA.pem", "D1_Cert_EE.pem", OCSPKIT_E_SIGNER_WRONG_ISSUER),
	OSSL("D2.ors", "WSNIC_D2_Issuer_Root.pem", "D2_Cert_ICA.pem", OCSPKIT_E_SIGNER_WRONG_ISSUER),
	OSSL("D3.ors", "WSNIC_D3_Issuer_Root.pem", "D3_Cert_EE.pem", OCSPKIT_E_SIGNER_WRONG_ISSUER),
	OSSL("ND1.ors", "WSNIC_ND1_Issuer_ICA.pem", "ND1_Cert_EE.pem", OCSPKIT_E_INVALID_ARGUMENT),
	OSSL("ND2.ors", "WSNIC_ND2_Issuer_Root.pem", "ND2_Cert_ICA.pem", OCSPKIT_E_INVALID_ARGUMENT),
	OSSL("ND3.ors", "WSNIC_ND3_Issuer_Root.pem", "ND3_Cert_EE.pem", OCSPKIT_E_INVALID_ARGUMENT),

	/* BoringSSL */
	BSSL("good_response.pem", OCSPKIT_OK, GOOD),
	BSSL("good_response_next_update.pem", OCSPKIT_OK, GOOD),
	BSSL("good_response_sha256.pem", OCSPKIT_OK, GOOD),
	BSSL("has_critical_ct_extension.pem", OCSPKIT_OK, GOOD),
	BSSL("has_extension.pem", OCSPKIT_OK, GOOD),
	BSSL("has_single_extension.pem", OCSPKIT_OK, GOOD),
	BSSL("ocsp_extra_certs.pem", OCSPKIT_OK, GOOD),
	BSSL("ocsp_sign_direct.pem", OCSPKIT_OK, GOOD),
	BSSL("ocsp_sign_indirect.pem", OCSPKIT_OK, GOOD),
	BSSL("has_version.pem", OCSPKIT_OK, GOOD), /* its response block has no version field after all */
	BSSL("responder_id.pem", OCSPKIT_OK, GOOD),
	BSSL("responder_name.pem", OCSPKIT_OK, GOOD),
	BSSL("revoke_response.pem", OCSPKIT_OK, REVOKED),
	BSSL("revoke_response_reason.pem", OCSPKIT_OK, REVOKED),
	BSSL("unknown_response.pem", OCSPKIT_OK, UNKNOWN),
	BSSL("bad_signature.pem", OCSPKIT_E_BAD_SIGNATURE_ENCODING, ANY), /* 4 octets: DEADBEEF */
	BSSL("ocsp_sign_bad_indirect.pem", OCSPKIT_E_SIGNER_NO_OCSP_SIGNING, ANY),
	BSSL("ocsp_sign_indirect_missing.pem", OCSPKIT_E_SIGNER_NOT_FOUND, ANY),
	BSSL("future_response.pem", OCSPKIT_E_RESPONSE_NOT_YET_VALID, ANY),
	BSSL("old_response.pem", OCSPKIT_E_RESPONSE_TOO_OLD, ANY),
	BSSL("stale_response.pem", OCSPKIT_E_RESPONSE_EXPIRED, ANY),
	BSSL("produced_early_response.pem", OCSPKIT_E_PRODUCED_AT_INVALID, ANY),
	BSSL("produced_late_response.pem", OCSPKIT_E_PRODUCED_AT_INVALID, ANY),
	BSSL("has_critical_response_extension.pem", OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION, ANY),
	BSSL("has_critical_single_extension.pem", OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION, ANY),
	BSSL("missing_response.pem", OCSPKIT_E_CERT_ID_NOT_FOUND, ANY),
	BSSL("no_response.pem", OCSPKIT_E_CERT_ID_NOT_FOUND, ANY),
	BSSL("other_response.pem", OCSPKIT_E_CERT_ID_NOT_FOUND, ANY),
	BSSL("multiple_response.pem", OCSPKIT_E_CERT_ID_CONFLICT, ANY),
	BSSL("multiple_response_good_revoked.pem", OCSPKIT_E_CERT_ID_CONFLICT, ANY),
	BSSL("malformed_request.pem", OCSPKIT_E_NOT_SUCCESSFUL, ANY),
	/* (bad_status, bad_ocsp_type, invalid_response, invalid_response_data
	 * and good_response_invalid_serial do not decode strictly: their
	 * decode verdicts are rows of vectors-expected.tsv, test_vectors.c's) */
	BSSL_FLAGS("good_response_invalid_serial.pem", OCSPKIT_DECODE_ALLOW_PADDED_INTEGER, OCSPKIT_OK, GOOD),

	/* GnuTLS */
	{ "gnutls/response1.der", NULL, "gnutls/certs/ca.pem", NULL, NULL, NULL, "56F304A1326DC9B2D51B31B3", NULL,
	  T_GNUTLS_2016, 0, 0, OCSPKIT_OK, UNKNOWN },
	{ "gnutls/response2.der", NULL, "gnutls/certs/ca.pem", NULL, NULL, NULL, "56F318D612DE99176CCAA1E0", NULL,
	  T_GNUTLS_2016, 0, 0, OCSPKIT_OK, UNKNOWN },
	{ "gnutls/certs/ocsp-staple-empty.der", NULL, "gnutls/certs/ca.pem", NULL, NULL, NULL, "01", NULL,
	  1464652800, 0, 0, OCSPKIT_E_CERT_ID_NOT_FOUND, ANY },
	{ "gnutls/signer-verify/response-ca.der", NULL, "gnutls/signer-verify/trust.pem", NULL, NULL, NULL, "22FFF0DA",
	  NULL, T_SIGNER_VERIFY, 0, 0, OCSPKIT_OK, GOOD },
	{ "gnutls/signer-verify/response-delegated.der", NULL, "gnutls/signer-verify/trust.pem", NULL, NULL, NULL,
	  "22FFF0DA", NULL, T_SIGNER_VERIFY, 0, 0, OCSPKIT_OK, GOOD },
	{ "gnutls/signer-verify/response-non-delegated.der", NULL, "gnutls/signer-verify/trust.pem", NULL, NULL, NULL,
	  "22FFF0DA", NULL, T_SIGNER_VERIFY, 0, 0, OCSPKIT_E_SIGNER_NO_OCSP_SIGNING, ANY },
	{ "gnutls/certs/ocsp-akamai.com.der", NULL, "gnutls/certs/chain-akamai.com.pem", NULL,
	  "gnutls/certs/chain-akamai.com.pem", NULL, NULL, NULL, 1498737600, 0, 0, OCSPKIT_OK, GOOD },
	{ "gnutls/certs/ocsp-amazon.com.der", NULL, "gnutls/certs/chain-amazon.com.pem", NULL,
	  "gnutls/certs/chain-amazon.com.pem", NULL, NULL, NULL, 1497873600, 0, 0, OCSPKIT_OK, GOOD },

	/* pyca/cryptography */
	{ "pyca/resp-sha256.der", NULL, "pyca/x509/letsencryptx3.pem", NULL, NULL, NULL,
	  "031C787A7DC90295007BC5F2220B3B527AF0", NULL, 1535631300, 0, 0, OCSPKIT_OK, GOOD },
	{ "pyca/resp-invalid-signature-oid.der", NULL, "pyca/x509/letsencryptx3.pem", NULL, NULL, NULL, NULL, NULL,
	  1535631300, 0, 0, OCSPKIT_E_WEAK_ALGORITHM, ANY },

	/* RustCrypto x509-ocsp */
	{ "rustcrypto/rsa-2048-sha256-revoked-ocsp-res.der", NULL, "rustcrypto/rsa-2048-sha256-ca.der", NULL, NULL,
	  NULL, "03", NULL, 1699200000, 0, 0, OCSPKIT_OK, REVOKED },
	/* RustCrypto's builder tests sign these with the CA's key but name the
	 * delegated responder in responderID (their suite checks encodings,
	 * not signatures): the CA's key verifies, the name is not the CA's */
	{ "rustcrypto/sha1-certid-ocsp-res.der", NULL, "rustcrypto/rsa-2048-sha256-ca.der", NULL, NULL, NULL, "010001",
	  NULL, 1577836800, 0, 0, OCSPKIT_E_RESPONDER_ID_MISMATCH, ANY },
	{ "rustcrypto/sha256-certid-ocsp-res.der", NULL, "rustcrypto/rsa-2048-sha256-ca.der", NULL, NULL, NULL, "010001",
	  NULL, 1577836800, 0, 0, OCSPKIT_E_RESPONDER_ID_MISMATCH, ANY },
	{ "rustcrypto/sha512-certid-ocsp-res.der", NULL, "rustcrypto/rsa-2048-sha256-ca.der", NULL, NULL, NULL, "010001",
	  NULL, 1577836800, 0, 0, OCSPKIT_E_RESPONDER_ID_MISMATCH, ANY },
	/* ... and a responder trusted directly must have signed itself */
	{ "rustcrypto/sha1-certid-ocsp-res.der", NULL, "rustcrypto/rsa-2048-sha256-ca.der", NULL, NULL, NULL, "010001",
	  "rustcrypto/rsa-2048-sha256-ocsp-crt.der", 1577836800, 0, 0, OCSPKIT_E_SIGNATURE_INVALID, ANY },
};

static const char *dir;

static uint8_t *load(const char *rel, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	uint8_t *d = read_all(path, len);
	if (!d)
		fprintf(stderr, "cannot read %s\n", path);
	return d;
}

/* The DER of the nth PEM block with the label (any CERTIFICATE-like block
 * when label is NULL and the file is PEM), or the file itself. */
static uint8_t *load_der(const char *rel, const char *label, int nth, size_t *len)
{
	size_t n;
	uint8_t *d = load(rel, &n);
	if (!d)
		return NULL;
	if (!memmem(d, n, "-----BEGIN", 10)) {
		if (nth > 0) {
			free(d);
			return NULL;
		}
		if (n && d[0] != 0x30) {
			/* base64 text (OpenSSL's .ors files) */
			uint8_t *der = NULL;
			if (text_base64_decode(&der, len, (const char *)d, n, TEXT_BASE64_SKIP_SPACE))
				der = NULL;
			free(d);
			return der;
		}
		*len = n;
		return d;
	}
	const char *text = (const char *)d;
	size_t pos = 0, end;
	uint8_t *der = NULL;
	for (int i = 0; i <= nth; i++) {
		free(der);
		der = NULL;
		if (text_pem_decode(&der, len, text + pos, n - pos, label ? label : "CERTIFICATE", NULL, &end)) {
			der = NULL;
			break;
		}
		pos += end;
	}
	free(d);
	return der;
}

static ocspkit_cert *load_cert(const char *rel, const char *label, int nth, unsigned flags)
{
	size_t len;
	uint8_t *der = load_der(rel, label, nth, &len);
	ocspkit_cert *c = NULL;
	if (der && ocspkit_cert_decode(&c, der, len, flags, NULL))
		c = NULL;
	free(der);
	return c;
}

static void run_vector(const vec *v)
{
	size_t len, off = 0;
	uint8_t *der = load_der(v->resp, v->resp_label, 0, &len);
	ocspkit_response *r = NULL;
	ocspkit_cert *issuer = NULL, *leaf = NULL, *trusted = NULL;
	ocspkit_err e;

	CHECK(der != NULL);
	if (!der)
		return;
	/* every response here decodes (with its flags): the decode verdicts
	 * are test_vectors.c's */
	e = ocspkit_response_decode(&r, der, len, v->flags, &off);
	free(der);
	CHECK_OK(e);
	if (e) {
		fprintf(stderr, "  %s: does not decode (%s at %zu)\n", v->resp, ocspkit_strerror_name(e), off);
		return;
	}

	if (v->leaf)
		leaf = load_cert(v->leaf, v->leaf_label, 0, v->flags);
	/* the issuer: the certificate of its file that issued the leaf, else the first */
	for (int i = 0; (issuer = load_cert(v->issuer, v->issuer_label, i, v->flags)) != NULL; i++) {
		if (!leaf || memcmp(ocspkit_cert_get_subject(issuer).data, ocspkit_cert_get_issuer(leaf).data,
				    ocspkit_cert_get_issuer(leaf).len) == 0)
			break;
		ocspkit_cert_free(issuer);
	}
	if (!issuer)
		issuer = load_cert(v->issuer, v->issuer_label, 0, v->flags);
	if (v->trusted)
		trusted = load_cert(v->trusted, NULL, 0, v->flags);
	CHECK(issuer != NULL && (!v->leaf || leaf) && (!v->trusted || trusted));

	ocspkit_validate_params p = { 0 };
	ocspkit_validate_target t = { 0 };
	ocspkit_validate_result res;
	uint8_t *serial = NULL;
	const ocspkit_cert *tl[1] = { trusted };
	p.issuer = issuer;
	if (leaf) {
		t.cert = leaf;
		p.target_count = 1;
	} else if (v->serial) {
		size_t sl;
		CHECK_OK(text_hex_decode(&serial, &sl, v->serial, strlen(v->serial)));
		t.serial = (ocspkit_bytes){ serial, sl };
		p.target_count = 1;
	}
	p.targets = &t;
	p.trusted = trusted ? tl : NULL;
	p.trusted_count = trusted ? 1 : 0;
	ocspkit_response_tbs rd = { 0 };
	if (ocspkit_response_get_tbs(&rd, r) != OCSPKIT_OK)
		rd.produced_at = 1700000000; /* not successful: any time will do */
	p.now = v->now ? v->now : rd.produced_at + 60;
	p.max_age = v->max_age;
	p.flags = v->flags;
	memset(&res, 0, sizeof(res));
	e = issuer ? ocspkit_response_validate(&res, r, &p) : OCSPKIT_E_INVALID_ARGUMENT;
	const ocspkit_target_result *tr = res.targets;
	CHECK_ERR(e, v->want);
	if (e != v->want)
		fprintf(stderr, "  %s (issuer %s)\n", v->resp, v->issuer);
	if (!e && p.target_count && v->want_status != ANY) {
		CHECK(tr[0].single && (int)tr[0].single->status == v->want_status);
		if (!tr[0].single || (int)tr[0].single->status != v->want_status)
			fprintf(stderr, "  %s: status\n", v->resp);
	}
	if (e == OCSPKIT_E_CERT_ID_CONFLICT && leaf) {
		/* where a peer takes the worst of conflicting answers, one of
		 * them says revoked: refusing to choose keeps the certificate
		 * from passing as good all the same */
		ocspkit_cert_id_value cv;
		int matches = 0, revoked = 0;
		CHECK_OK(ocspkit_cert_id_for_cert(&cv, OCSPKIT_HASH_SHA1, issuer, leaf));
		ocspkit_cert_id id = ocspkit_cert_id_value_view(&cv);
		for (size_t i = 0; i < ocspkit_response_get_single_count(r); i++) {
			const ocspkit_single_response *o = ocspkit_response_get_single(r, i);
			if (ocspkit_cert_id_equal(&o->cert_id, &id)) {
				matches++;
				revoked |= o->status == OCSPKIT_CERT_REVOKED;
			}
		}
		CHECK(matches > 1);
		if (strstr(v->resp, "good_revoked"))
			CHECK(revoked);
	}

	/* the same with a cache, twice: the verdict does not change */
	ocspkit_responder_cache *cache;
	CHECK_OK(ocspkit_responder_cache_new(&cache, 4));
	p.cache = cache;
	ocspkit_validate_result_clear(&res);
	if (issuer) {
		CHECK_ERR(ocspkit_response_validate(&res, r, &p), v->want);
		ocspkit_validate_result_clear(&res);
		CHECK_ERR(ocspkit_response_validate(&res, r, &p), v->want);
		ocspkit_validate_result_clear(&res);
	}
	ocspkit_responder_cache_free(cache);

	free(serial);
	ocspkit_cert_free(issuer);
	ocspkit_cert_free(leaf);
	ocspkit_cert_free(trusted);
	ocspkit_response_free(r);
}

/* RustCrypto's signed request: its signature verifies with the
 * certificate it carries, and not once a byte of tbsRequest changes. */
static void run_signed_request(void)
{
	size_t len;
	uint8_t *der = load("rustcrypto/ocsp-signed-req.der", &len);
	ocspkit_request *q;
	CHECK(der != NULL);
	if (!der)
		return;
	CHECK_OK(ocspkit_request_decode(&q, der, len, 0, NULL));
	if (q) {
		CHECK_OK(ocspkit_request_verify(q, NULL));
		ocspkit_cert *ca = load_cert("rustcrypto/rsa-2048-sha256-ca.der", NULL, 0, 0);
		CHECK_ERR(ocspkit_request_verify(q, ca), OCSPKIT_E_SIGNATURE_INVALID);
		ocspkit_cert_free(ca);
		ocspkit_bytes tbs = ocspkit_request_get_tbs_der(q);
		der[(size_t)(tbs.data - ocspkit_request_get_der(q).data) + tbs.len - 1] ^= 1;
		ocspkit_request_free(q);
		if (ocspkit_request_decode(&q, der, len, 0, NULL) == OCSPKIT_OK) {
			CHECK_ERR(ocspkit_request_verify(q, NULL), OCSPKIT_E_SIGNATURE_INVALID);
			ocspkit_request_free(q);
		}
	}
	free(der);
}

int main(void)
{
	struct stat st;
	dir = getenv("OCSPKIT_VECTORS");
	if (!dir || !*dir)
		dir = "../shared/vectors";
	char manifest[4096];
	snprintf(manifest, sizeof(manifest), "%s/MANIFEST.tsv", dir);
	if (stat(manifest, &st) != 0) {
		printf("SKIP: no test vectors at %s\n", dir);
		return 77;
	}
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++)
		run_vector(&vectors[i]);
	run_signed_request();
	CHECK_DONE();
}
