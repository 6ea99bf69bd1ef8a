/* Unit tests of common/text.c (base64, PEM, hex) and of the times of
 * codec/text.c. */
#include <config.h>

#include "common/text.h"
#include "tests/lib/build.h"

static int b64(const char *in, unsigned flags, const char *want_hex)
{
	uint8_t *out, want[64];
	size_t len, wl = unhex(want_hex, want, sizeof(want));
	if (text_base64_decode(&out, &len, in, strlen(in), flags))
		return 0;
	int ok = len == wl && memcmp(out, want, len) == 0;
	free(out);
	return ok;
}

static ocspkit_err b64_err(const char *in)
{
	uint8_t *out = NULL;
	size_t len;
	ocspkit_err e = text_base64_decode(&out, &len, in, strlen(in), 0);
	free(out);
	return e;
}

int main(void)
{
	CHECK(b64("", 0, ""));
	CHECK(b64("Zg==", 0, "66"));
	CHECK(b64("Zg", 0, "66"));
	CHECK(b64("Zm8=", 0, "666F"));
	CHECK(b64("Zm9v", 0, "666F6F"));
	CHECK(b64("+/8=", 0, "FBFF"));
	CHECK(b64("-_8", 0, "FBFF")); /* base64url, no padding */
	CHECK(b64("Zm9v\nYmFy", TEXT_BASE64_SKIP_SPACE, "666F6F626172"));
	CHECK_ERR(b64_err("Zm9v\nYmFy"), OCSPKIT_E_BAD_BASE64);
	CHECK_ERR(b64_err("Z"), OCSPKIT_E_BAD_BASE64);
	CHECK_ERR(b64_err("Zh=="), OCSPKIT_E_BAD_BASE64); /* non-zero pad bits */
	CHECK_ERR(b64_err("Zg=a"), OCSPKIT_E_BAD_BASE64);
	CHECK_ERR(b64_err("Zg==="), OCSPKIT_E_BAD_BASE64);
	CHECK_ERR(b64_err("Zm9=v"), OCSPKIT_E_BAD_BASE64);
	CHECK_ERR(b64_err("Zm9v%"), OCSPKIT_E_BAD_BASE64);

	/* encode and decode agree for every length */
	uint8_t data[100];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 37 + 11);
	for (size_t n = 0; n <= sizeof(data); n++) {
		for (unsigned fl = 0; fl <= TEXT_BASE64_URL; fl += TEXT_BASE64_URL) {
			char *s;
			uint8_t *back;
			size_t sl, bl;
			CHECK_OK(text_base64_encode(&s, &sl, data, n, fl));
			CHECK_OK(text_base64_decode(&back, &bl, s, sl, 0));
			CHECK(bl == n && memcmp(back, data, n) == 0);
			CHECK(strlen(s) == sl && (fl || sl % 4 == 0));
			free(s);
			free(back);
		}
	}

	/* PEM */
	char *pem;
	size_t pl, end;
	uint8_t *der;
	size_t dl;
	ocspkit_bytes label;
	CHECK_OK(text_pem_encode(&pem, &pl, "OCSP RESPONSE", data, 100));
	CHECK(pem && strncmp(pem, "-----BEGIN OCSP RESPONSE-----\n", 30) == 0);
	CHECK_OK(text_pem_decode(&der, &dl, pem, pl, "OCSP RESPONSE", &label, &end));
	CHECK(dl == 100 && memcmp(der, data, 100) == 0 && end == pl - 1 && label.len == 13);
	free(der);
	CHECK_ERR(text_pem_decode(&der, &dl, pem, pl, "CERTIFICATE", NULL, NULL), OCSPKIT_E_PEM_NO_BLOCK);
	CHECK_OK(text_pem_decode(&der, &dl, pem, pl, NULL, NULL, NULL));
	free(der);
	free(pem);
	const char *mismatch = "-----BEGIN A-----\nZm9v\n-----END B-----\n";
	CHECK_ERR(text_pem_decode(&der, &dl, mismatch, strlen(mismatch), NULL, NULL, NULL), OCSPKIT_E_PEM_BAD_BLOCK);
	const char *encrypted = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nZm9v\n-----END RSA PRIVATE KEY-----\n";
	CHECK_ERR(text_pem_decode(&der, &dl, encrypted, strlen(encrypted), NULL, NULL, NULL), OCSPKIT_E_PEM_BAD_BLOCK);
	const char *two = "junk\n-----BEGIN A-----\nZg==\n-----END A-----\n-----BEGIN B-----\nZm8=\n-----END B-----\n";
	CHECK_OK(text_pem_decode(&der, &dl, two, strlen(two), "B", NULL, NULL));
	CHECK(dl == 2 && der[1] == 'o');
	free(der);

	/* hex */
	char *h;
	CHECK_OK(text_hex_encode(&h, (const uint8_t *)"\x00\xab\xff", 3));
	CHECK(strcmp(h, "00abff") == 0);
	free(h);
	CHECK_OK(text_hex_decode(&der, &dl, "0A:bC:ff", 8));
	CHECK(dl == 3 && der[1] == 0xBC);
	free(der);
	der = NULL;
	CHECK_ERR(text_hex_decode(&der, &dl, "abc", 3), OCSPKIT_E_BAD_HEX);
	CHECK_ERR(text_hex_decode(&der, &dl, "zz", 2), OCSPKIT_E_BAD_HEX);

	/* times */
	char ts[OCSPKIT_TIME_STRING_SIZE];
	int64_t t;
	ocspkit_time_format(ts, 1795312624);
	CHECK(strcmp(ts, "2026-11-22T01:57:04Z") == 0);
	CHECK_OK(ocspkit_time_parse(&t, "2026-11-22T01:57:04Z"));
	CHECK(t == 1795312624);
	CHECK_OK(ocspkit_time_parse(&t, "20261122015704Z"));
	CHECK(t == 1795312624);
	CHECK_OK(ocspkit_time_parse(&t, "1355875200"));
	CHECK(t == 1355875200);
	CHECK_OK(ocspkit_time_parse(&t, "@0"));
	CHECK(t == 0);
	CHECK_ERR(ocspkit_time_parse(&t, "2026-13-22T01:57:04Z"), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_time_parse(&t, "yesterday"), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_time_parse(&t, "@"), OCSPKIT_E_INVALID_ARGUMENT);
	/* Found by fuzz/text_fuzzer (fuzz/text_fuzzer.repro/time-*): epoch
	 * seconds that overflow were saturated to INT64_MAX, and sscanf let
	 * spaces and signs into the fields of both date forms. */
	CHECK_ERR(ocspkit_time_parse(&t, "176717676377637763724"), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_time_parse(&t, "@-9223372036854775809"), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_time_parse(&t, "@ 5"), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_time_parse(&t, "@+5"), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_time_parse(&t, "@--5"), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_time_parse(&t, "2026-11-22T01:57: 4Z"), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_time_parse(&t, "+0261122015704Z"), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_OK(ocspkit_time_parse(&t, "@-9223372036854775808"));
	CHECK(t == INT64_MIN);
	CHECK_OK(ocspkit_time_parse(&t, "@-86400"));
	CHECK(t == -86400);
	CHECK_DONE();
}
