/* Unit tests of codec/oid.c. */
#include <config.h>

#include "tests/lib/build.h"
#include "oid.h"

/* The library names oid want. */
static int name_is(ocspkit_bytes oid, const char *want)
{
	const char *name = NULL;
	return ocspkit_oid_name(&name, oid) == OCSPKIT_OK && name && strcmp(name, want) == 0;
}

int main(void)
{
	char buf[64];
	CHECK(okit_oid_table_ok());
	const okit_oid *o = okit_oid_by_id(OKIT_OID_HASH, OCSPKIT_HASH_SHA256);
	CHECK(o && o->len == 9 && strcmp(o->ln, "sha256") == 0);
	CHECK_OK(ocspkit_oid_to_dotted(buf, sizeof(buf), okit_oid_bytes(o)));
	CHECK(strcmp(buf, "2.16.840.1.101.3.4.2.1") == 0);
	blob b = raw("2B0601050507300101");
	CHECK(name_is((ocspkit_bytes){ b.d, b.n }, "Basic OCSP Response"));
	b = raw("2A864886F70D01010A");
	CHECK(name_is((ocspkit_bytes){ b.d, b.n }, "rsassaPss"));
	CHECK(okit_oid_id(OKIT_OID_KEY, (ocspkit_bytes){ b.d, b.n }) == OKIT_KEY_RSA_PSS);
	CHECK(okit_oid_id(OKIT_OID_SIG, (ocspkit_bytes){ b.d, b.n }) == OKIT_SIG_RSA_PSS);
	b = raw("2B6570");
	CHECK(name_is((ocspkit_bytes){ b.d, b.n }, "ED25519"));
	b = raw("2A8648CE3D040302");
	CHECK(name_is((ocspkit_bytes){ b.d, b.n }, "ecdsa-with-SHA256"));
	b = raw("2A864886F70D01010B");
	CHECK(name_is((ocspkit_bytes){ b.d, b.n }, "sha256WithRSAEncryption"));
	b = raw("0992268993F22C640119");
	CHECK_OK(ocspkit_oid_to_dotted(buf, sizeof(buf), (ocspkit_bytes){ b.d, b.n }));
	CHECK(strcmp(buf, "0.9.2342.19200300.100.1.25") == 0);
	b = raw("883703"); /* 2.999.3: first arc 2 with a large second arc */
	CHECK_OK(ocspkit_oid_to_dotted(buf, sizeof(buf), (ocspkit_bytes){ b.d, b.n }));
	CHECK(strcmp(buf, "2.999.3") == 0);
	CHECK_ERR(ocspkit_oid_to_dotted(buf, 4, (ocspkit_bytes){ b.d, b.n }), OCSPKIT_E_INVALID_ARGUMENT);
	b = raw("2A03FFFF");
	const char *name = "x";
	CHECK_ERR(ocspkit_oid_name(&name, (ocspkit_bytes){ b.d, b.n }), OCSPKIT_E_NOT_FOUND);
	CHECK(name == NULL);
	CHECK(okit_oid_id(OKIT_OID_EXT, (ocspkit_bytes){ (const uint8_t *)"\x2b\x06\x01\x05\x05\x07\x30\x01\x02", 9 }) ==
	      OCSPKIT_EXT_NONCE);

	/* every error has a name and a description */
	for (int e = 0; e < OCSPKIT_E__END; e++) {
		const char *n = ocspkit_strerror_name((ocspkit_err)e);
		if (strcmp(n, "OCSPKIT_E_UNKNOWN") != 0)
			CHECK(strcmp(ocspkit_strerror((ocspkit_err)e), "unknown error") != 0);
	}
	CHECK(strcmp(ocspkit_strerror_name(OCSPKIT_E_DER_TRAILING_DATA), "OCSPKIT_E_DER_TRAILING_DATA") == 0);
	CHECK(strcmp(ocspkit_strerror((ocspkit_err)9999), "unknown error") == 0);
	CHECK(strcmp(ocspkit_crl_reason_name(OCSPKIT_REASON_AA_COMPROMISE), "aACompromise") == 0);
	CHECK(strcmp(ocspkit_response_status_name(OCSPKIT_RESPONSE_SIG_REQUIRED), "sigRequired") == 0);
	CHECK(strcmp(ocspkit_hash_name(OCSPKIT_HASH_SHA1), "sha1") == 0);
	CHECK(ocspkit_hash_size(OCSPKIT_HASH_SHA384) == 48);
	CHECK_DONE();
}
