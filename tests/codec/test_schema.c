/* Unit tests of codec/schema.c and what schemagen generates: the compiled
 * schema matches asn1/ocsp.asn, libtasn1 reads the table's flags as the
 * compiler does, the generated tags are the RFC's, and libtasn1, decoding
 * with the very same table, agrees with the walker on what it accepts. */
#include <config.h>

#include <libtasn1.h>

#include "asn1tab.h"
#include "tests/lib/build.h"
#include "ocsp_asn1.h"
#include "schema.h"

static asn1_node defs;

/* libtasn1's reading of der as the named type. */
static int tasn1_decodes(const char *type, const blob *b, asn1_node *out)
{
	char name[128], err[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	asn1_node el = NULL;
	snprintf(name, sizeof(name), "OCSPKIT.%s", type);
	if (asn1_create_element(defs, name, &el) != ASN1_SUCCESS)
		return 0;
	int r = asn1_der_decoding2(&el, b->d, (int[]){ (int)b->n }, ASN1_DECODE_FLAG_STRICT_DER, err);
	if (r != ASN1_SUCCESS) {
		fprintf(stderr, "libtasn1 (%s): %s %s\n", type, asn1_strerror(r), err);
		asn1_delete_structure(&el);
		return 0;
	}
	if (out)
		*out = el;
	else
		asn1_delete_structure(&el);
	return 1;
}

static int read_str(asn1_node el, const char *path, char *buf, int cap)
{
	int len = cap;
	if (asn1_read_value(el, path, buf, &len) != ASN1_SUCCESS)
		return -1;
	return len;
}

#define HASH20 "0102030405060708090A0B0C0D0E0F1011121314"

int main(void)
{
	char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	CHECK_OK(okit_schema_init());
	CHECK(okit_schema_failure() == NULL);
	CHECK(okit_asn1tab_check_flags() == NULL);

	/* the generated identifier octets, against RFC 6960 and RFC 5280 */
	CHECK(ID_OCSPRequest == 0x30 && ID_OCSPRequest_optionalSignature == 0xA0);
	CHECK(ID_TBSRequest_version == 0xA0 && ID_TBSRequest_requestorName == 0xA1 &&
	      ID_TBSRequest_requestList == 0x30 && ID_TBSRequest_requestExtensions == 0xA2);
	CHECK(ID_OCSPResponse_responseStatus == 0x0A && ID_OCSPResponse_responseBytes == 0xA0);
	CHECK(ID_ResponderID_byName == 0xA1 && ID_ResponderID_byKey == 0xA2 && ID_KeyHash == 0x04);
	CHECK(ID_CertStatus_good == 0x80 && ID_CertStatus_revoked == 0xA1 && ID_CertStatus_unknown == 0x82);
	CHECK(ID_SingleResponse_thisUpdate == 0x18 && ID_SingleResponse_nextUpdate == 0xA0 &&
	      ID_SingleResponse_singleExtensions == 0xA1 && ID_ResponseData_responseExtensions == 0xA1);
	CHECK(ID_RevokedInfo_revocationReason == 0xA0 && ID_CRLReason == 0x0A);
	CHECK(ID_TBSCertificate_issuerUniqueID == 0x81 && ID_TBSCertificate_extensions == 0xA3);
	CHECK(ID_GeneralName_uniformResourceIdentifier == 0x86 && ID_GeneralName_directoryName == 0xA4 &&
	      ID_GeneralName_otherName == 0xA0);
	CHECK(ID_RSASSA_PSS_params_saltLength == 0xA2 && ID_Extension_critical == 0x01);
	CHECK(strcmp(OID_id_pkix_ocsp_nonce, "1.3.6.1.5.5.7.48.1.2") == 0 &&
	      strcmp(OID_id_kp_OCSPSigning, "1.3.6.1.5.5.7.3.9") == 0);
	/* the generated names are those of the table */
	CHECK(F_SingleResponse__COUNT == 5 && F_SingleResponse_nextUpdate == 3 &&
	      strcmp(okit_schema_bindings[T_SingleResponse].fields[F_SingleResponse_nextUpdate], "nextUpdate") == 0);
	CHECK(strcmp(okit_schema_bindings[T_RSASSA_PSS_params].name, "RSASSA-PSS-params") == 0);
	CHECK(asn1_array2tree(okit_asn1_tab, &defs, err) == ASN1_SUCCESS);

	blob certid = T(0x30, cat(4, raw("3009 06052B0E03021A 0500"), T(0x04, raw(HASH20)), T(0x04, raw(HASH20)),
				  raw("020201F4")));
	blob revoked = T(0xA1, cat(2, GT("20250101120000Z"), T(0xA0, raw("0A0104"))));
	blob singles = T(0x30, cat(2, T(0x30, cat(4, certid, revoked, GT("20261122000000Z"),
						 T(0xA0, GT("20261129000000Z")))),
				   T(0x30, cat(3, certid, raw("8000"), GT("20261122000000Z")))));
	blob name = T(0x30, T(0x31, T(0x30, cat(2, raw("0603550403"), T(0x0C, raw("4142"))))));
	blob exts = T(0xA1, T(0x30, T(0x30, cat(3, raw("06092B0601050507300102"), raw("0101FF"),
					      T(0x04, T(0x04, raw("0102")))))));

	for (int by_key = 0; by_key < 2; by_key++) {
		blob rid = by_key ? T(0xA2, T(0x04, raw(HASH20))) : T(0xA1, name);
		blob rdata = T(0x30, cat(4, rid, GT("20261122010000Z"), singles, exts));
		blob basic = T(0x30, cat(3, rdata, raw("300D 06092A864886F70D01010B 0500"), T(0x03, raw("00 0102"))));
		blob resp = T(0x30, cat(2, raw("0A0100"),
					T(0xA0, T(0x30, cat(2, raw("06092B0601050507300101"), T(0x04, basic))))));

		ocspkit_response *r;
		CHECK_OK(ocspkit_response_decode(&r, resp.d, resp.n, 0, NULL));
		ocspkit_response_free(r);

		/* libtasn1 reads the same message with the same schema ... */
		asn1_node el;
		CHECK(tasn1_decodes("OCSPResponse", &resp, NULL));
		CHECK(tasn1_decodes("BasicOCSPResponse", &basic, NULL));
		if (!tasn1_decodes("ResponseData", &rdata, &el))
			continue;
		/* ... and finds the same values where the walker found them */
		char buf[256];
		CHECK(read_str(el, "responderID", buf, sizeof(buf)) > 0 &&
		      strcmp(buf, by_key ? "byKey" : "byName") == 0);
		/* times come back NUL-terminated, enumerations as their octets */
		CHECK(read_str(el, "producedAt", buf, sizeof(buf)) == 16 && strcmp(buf, "20261122010000Z") == 0);
		CHECK(read_str(el, "responses.?1.certStatus", buf, sizeof(buf)) > 0 && strcmp(buf, "revoked") == 0);
		CHECK(read_str(el, "responses.?1.certStatus.revoked.revocationReason", buf, sizeof(buf)) == 1 &&
		      buf[0] == OCSPKIT_REASON_SUPERSEDED);
		CHECK(read_str(el, "responses.?2.certStatus", buf, sizeof(buf)) > 0 && strcmp(buf, "good") == 0);
		CHECK(read_str(el, "responses.?1.certID.serialNumber", buf, sizeof(buf)) == 2 &&
		      (uint8_t)buf[0] == 0x01 && (uint8_t)buf[1] == 0xF4);
		CHECK(read_str(el, "responseExtensions.?1.critical", buf, sizeof(buf)) > 0 && strcmp(buf, "TRUE") == 0);
		asn1_delete_structure(&el);
	}

	/* requests */
	blob req = T(0x30, T(0x30, cat(2, T(0xA1, T(0xA4, name)), T(0x30, T(0x30, certid)))));
	ocspkit_request *q;
	CHECK_OK(ocspkit_request_decode(&q, req.d, req.n, 0, NULL));
	ocspkit_request_free(q);
	CHECK(tasn1_decodes("OCSPRequest", &req, NULL));

	/* a certificate-shaped element: the Certificate type of the schema */
	blob tbs = T(0x30, cat(7, T(0xA0, raw("020102")), raw("020101"), raw("300A 06082A8648CE3D040302"), name,
			       T(0x30, cat(2, T(0x17, bytes("260101000000Z", 13)), GT("21260101000000Z"))), name,
			       T(0x30, cat(2, raw("3013 06072A8648CE3D0201 06082A8648CE3D030107"),
					   T(0x03, cat(2, raw("0004"), fill(0x11, 64)))))));
	blob cert = T(0x30, cat(3, tbs, raw("300A 06082A8648CE3D040302"), T(0x03, raw("00 3000"))));
	ocspkit_cert *x;
	CHECK_OK(ocspkit_cert_decode(&x, cert.d, cert.n, 0, NULL));
	ocspkit_cert_free(x);
	CHECK(tasn1_decodes("Certificate", &cert, NULL));

	asn1_delete_structure(&defs);
	CHECK_DONE();
}
