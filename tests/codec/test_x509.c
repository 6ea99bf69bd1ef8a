/* Unit tests of codec/x509.c and CertID computation (codec/hash.c). */
#include <config.h>

#include "tests/lib/build.h"
#include "bytes.h"
#include "civil.h"
#include "oid.h"

/* A P-256 self-signed OCSP responder certificate made with openssl for this
 * test: multi-valued RDN, GeneralizedTime notAfter, EKU OCSPSigning,
 * ocsp-nocheck, AIA, TLS feature status_request. */
static const char cert_hex[] =
	"30820256308201fba003020102020300a1b2300a06082a8648ce3d0403023043310b3009060355040613024445311530"
	"13060355040a0c0c6f6373706b69742074657374311d3009060355040513023432301006035504030c09526573706f6e"
	"6465723020170d3236313132323032313831305a180f32313236313032393032313831305a3043310b30090603550406"
	"1302444531153013060355040a0c0c6f6373706b69742074657374311d3009060355040513023432301006035504030c"
	"09526573706f6e6465723059301306072a8648ce3d020106082a8648ce3d0301070342000471aca8f19c7a652c63c645"
	"54ffc73f3d21c812a80ff3a830b22d4fb211037a78c1d0fdfb6859d8044df1f7f05886b06835ce73759506790d5ac673"
	"6605fe8a20a381db3081d8300c0603551d130101ff04023000300e0603551d0f0101ff04040302078030130603551d25"
	"040c300a06082b06010505070309300f06092b060105050730010504020500306006082b060105050701010454305230"
	"2506082b060105050730018619687474703a2f2f6f6373702e6578616d706c652e746573742f302906082b0601050507"
	"3002861d687474703a2f2f63612e6578616d706c652e746573742f63612e637274301106082b06010505070118040530"
	"03020105301d0603551d0e041604144d54be7b0067263e7a84c3996803abe58819091f300a06082a8648ce3d04030203"
	"490030460221009d8b732561d7f7fe5db2686939b7afe99ee5a112bee05e9b57de1ad33fd4bf44022100b2cfd5a695be"
	"d99ea9365e8cdcc384b5e1ceffe8218796687ba382775dc57a9b";

/* A minimal certificate (Ed25519 key, empty names) with the given
 * Validity times, each a whole TLV. */
static blob cert_with_validity(blob not_before, blob not_after)
{
	blob alg = T(0x30, raw("06032B6570"));
	blob tbs = T(0x30, cat(6, raw("020101"), alg, T(0x30, none()), T(0x30, cat(2, not_before, not_after)),
			       T(0x30, none()), T(0x30, cat(2, alg, T(0x03, cat(2, raw("00"), fill(7, 32)))))));
	return T(0x30, cat(3, tbs, alg, T(0x03, cat(2, raw("00"), fill(9, 64)))));
}

/* RFC 5280 forbids fractional seconds in validity, DER allows them in a
 * GeneralizedTime: they decode (and print, as OpenSSL prints them); never
 * in UTCTime. */
static void test_validity_fraction(void)
{
	ocspkit_cert *x;
	size_t off;
	blob b = cert_with_validity(T(0x17, bytes("250101000000Z", 13)), GT("21261029021810.5Z"));
	CHECK_OK(ocspkit_cert_decode(&x, b.d, b.n, 0, NULL));
	if (x) {
		CHECK(ocspkit_cert_get_not_after(x) == okit_time_from_civil(2126, 10, 29, 2, 18, 10));
		CHECK_BYTES(ocspkit_cert_get_not_after_fraction(x), "5", 1);
		CHECK(ocspkit_cert_get_not_before_fraction(x).len == 0);
		ocspkit_cert_free(x);
	}
	b = cert_with_validity(GT("20250101000000.125Z"), GT("21261029021810Z"));
	CHECK_OK(ocspkit_cert_decode(&x, b.d, b.n, 0, NULL));
	if (x) {
		CHECK_BYTES(ocspkit_cert_get_not_before_fraction(x), "125", 3);
		CHECK(ocspkit_cert_get_not_after_fraction(x).len == 0);
		ocspkit_cert_free(x);
	}
	/* the headers of Certificate (3 octets) and TBSCertificate (2), the
	 * serial (3, no version), signature algorithm (7), issuer (2) and the
	 * Validity header (2): notBefore at 19 */
	b = cert_with_validity(GT("20250101000000.10Z"), GT("21261029021810Z"));
	CHECK_ERR(ocspkit_cert_decode(&x, b.d, b.n, 0, &off), OCSPKIT_E_DER_BAD_TIME);
	CHECK(off == 19);
	b = cert_with_validity(T(0x17, bytes("250101000000.5Z", 15)), GT("21261029021810Z"));
	CHECK_ERR(ocspkit_cert_decode(&x, b.d, b.n, 0, &off), OCSPKIT_E_DER_BAD_TIME);
	CHECK(off == 19);
	b = cert_with_validity(T(0x17, bytes("250101000000Z", 13)), GT("21261029021810.1234567891Z"));
	CHECK_ERR(ocspkit_cert_decode(&x, b.d, b.n, 0, &off), OCSPKIT_E_LIMIT_TIME_FRACTION);
	CHECK(off == 19 + 15); /* after a 13-character UTCTime */
}

int main(void)
{
	static uint8_t der[2048];
	size_t len = unhex(cert_hex, der, sizeof(der));
	ocspkit_cert *x;
	uint8_t want[64];

	CHECK_OK(ocspkit_cert_decode(&x, der, len, 0, NULL));
	if (!x)
		CHECK_DONE();
	CHECK(ocspkit_cert_get_version(x) == 2);
	CHECK_BYTES(ocspkit_cert_get_serial(x), "\x00\xa1\xb2", 3);
	CHECK(ocspkit_cert_get_not_before(x) == okit_time_from_civil(2026, 11, 22, 2, 18, 10));
	CHECK(ocspkit_cert_get_not_after(x) == okit_time_from_civil(2126, 10, 29, 2, 18, 10));
	CHECK(ocspkit_cert_has_ocsp_signing(x));
	CHECK(ocspkit_cert_has_ocsp_nocheck(x));
	CHECK(ocspkit_cert_has_must_staple(x));
	CHECK(!ocspkit_cert_is_ca(x));
	unsigned ku = 0;
	CHECK_OK(ocspkit_cert_get_key_usage(&ku, x));
	CHECK(ku == 0x1);
	CHECK(ocspkit_cert_get_extension_count(x) == 7);
	CHECK(okit_oid_id(OKIT_OID_KEY, ocspkit_cert_get_key_algorithm(x).oid) == OKIT_KEY_EC);
	CHECK(okit_oid_id(OKIT_OID_SIG, ocspkit_cert_get_signature_algorithm(x).oid) == OKIT_SIG_ECDSA_SHA256);
	CHECK(ocspkit_cert_get_public_key(x).len == 65);
	CHECK(okit_bytes_equal(ocspkit_cert_get_issuer(x), ocspkit_cert_get_subject(x)));

	ocspkit_bytes urls[4];
	size_t n;
	CHECK_OK(ocspkit_cert_get_ocsp_urls(urls, 4, &n, x));
	CHECK(n == 1 && urls[0].len == 25 && memcmp(urls[0].data, "http://ocsp.example.test/", 25) == 0);

	char *s;
	CHECK_OK(ocspkit_name_to_string(&s, ocspkit_cert_get_subject(x), OCSPKIT_NAME_ONELINE));
	CHECK(s && strcmp(s, "C = DE, O = ocspkit test, serialNumber = 42 + CN = Responder") == 0);
	ocspkit_free(s);
	CHECK_OK(ocspkit_name_to_string(&s, ocspkit_cert_get_subject(x), OCSPKIT_NAME_RFC4514));
	CHECK(s && strcmp(s, "2.5.4.5=42+CN=Responder,O=ocspkit test,C=DE") == 0);
	ocspkit_free(s);

	/* key hash = byKey responder ID */
	uint8_t kh[20];
	ocspkit_cert_get_key_hash(kh, x);
	unhex("4D54BE7B0067263E7A84C3996803ABE58819091F", want, sizeof(want));
	CHECK(memcmp(kh, want, 20) == 0);

	/* CertIDs, as `openssl ocsp -issuer ... -serial 0x1234` computes them */
	ocspkit_cert_id_value v;
	CHECK_OK(ocspkit_cert_id_compute(&v, OCSPKIT_HASH_SHA1, x, (ocspkit_bytes){ (const uint8_t *)"\x12\x34", 2 }));
	ocspkit_cert_id id = ocspkit_cert_id_value_view(&v);
	unhex("1E3183D117E6DAC8089699AC827E240C243982C8", want, sizeof(want));
	CHECK_BYTES(id.issuer_name_hash, want, 20);
	unhex("4D54BE7B0067263E7A84C3996803ABE58819091F", want, sizeof(want));
	CHECK_BYTES(id.issuer_key_hash, want, 20);
	CHECK(id.hash == OCSPKIT_HASH_SHA1 && id.hash_algorithm.params.len == 2);
	CHECK_OK(ocspkit_cert_id_compute(&v, OCSPKIT_HASH_SHA256, x, (ocspkit_bytes){ (const uint8_t *)"\x12\x34", 2 }));
	id = ocspkit_cert_id_value_view(&v);
	unhex("36F207DA65B1F86C9369ACF46ED8B0E7F6C724E4BEF7D6F8927CA1A3D55C8E00", want, sizeof(want));
	CHECK_BYTES(id.issuer_name_hash, want, 32);
	unhex("F251FBADD6EE784C77021A6F527E5CBF01C43D45BB7AAB4AE0768F22921B59C5", want, sizeof(want));
	CHECK_BYTES(id.issuer_key_hash, want, 32);
	CHECK_OK(ocspkit_cert_id_compute(&v, OCSPKIT_HASH_SHA384, x, (ocspkit_bytes){ (const uint8_t *)"\x01", 1 }));
	CHECK(v.hash_len == 48);
	CHECK_OK(ocspkit_cert_id_compute(&v, OCSPKIT_HASH_SHA512, x, (ocspkit_bytes){ (const uint8_t *)"\x01", 1 }));
	CHECK(v.hash_len == 64);
	CHECK_ERR(ocspkit_cert_id_compute(&v, OCSPKIT_HASH_MD5, x, (ocspkit_bytes){ (const uint8_t *)"\x01", 1 }),
		  OCSPKIT_E_WEAK_ALGORITHM);
	CHECK_ERR(ocspkit_cert_id_compute(&v, OCSPKIT_HASH_UNKNOWN, x, (ocspkit_bytes){ (const uint8_t *)"\x01", 1 }),
		  OCSPKIT_E_UNSUPPORTED_ALGORITHM);
	CHECK_ERR(ocspkit_cert_id_compute(&v, OCSPKIT_HASH_SHA1, x, (ocspkit_bytes){ (const uint8_t *)"\x00\x01", 2 }),
		  OCSPKIT_E_INVALID_ARGUMENT);
	/* the certificate as its own subject: the issuer name matches */
	CHECK_OK(ocspkit_cert_id_for_cert(&v, OCSPKIT_HASH_SHA1, x, x));
	CHECK(v.serial_len == 3);
	ocspkit_cert_free(x);

	/* strictness: every element of a certificate is checked */
	for (size_t cut = 0; cut < len; cut += 7)
		CHECK(ocspkit_cert_decode(&x, der, cut, 0, NULL) != OCSPKIT_OK);
	der[len] = 0;
	CHECK_ERR(ocspkit_cert_decode(&x, der, len + 1, 0, NULL), OCSPKIT_E_DER_TRAILING_DATA);
	test_validity_fraction();
	CHECK_DONE();
}
