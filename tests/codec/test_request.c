/* Unit tests of codec/request.c. */
#include <config.h>

#include "alloc.h"
#include "buf.h"
#include "tests/lib/build.h"
#include "der_write.h"

#define SHA1_ALG "3009 06052B0E03021A 0500"
#define NONCE_OID "06092B0601050507300102"
#define HASH20 "0102030405060708090A0B0C0D0E0F1011121314"

static blob request_item(const char *serial, blob exts)
{
	return T(0x30, cat(2, T(0x30, cat(4, raw(SHA1_ALG), T(0x04, raw(HASH20)), T(0x04, raw(HASH20)),
					   T(0x02, raw(serial)))), exts));
}

static ocspkit_err decode(const blob *b, unsigned flags)
{
	ocspkit_request *q = NULL;
	ocspkit_err e = ocspkit_request_decode(&q, b->d, b->n, flags, NULL);
	ocspkit_request_free(q);
	return e;
}

static int round_trips(const blob *b)
{
	ocspkit_request *q;
	ocspkit_request_tbs tbs;
	ocspkit_signature_block sig;
	uint8_t *out;
	size_t len;
	int ok = 0;
	if (ocspkit_request_decode(&q, b->d, b->n, 0, NULL))
		return 0;
	ocspkit_request_get_tbs(&tbs, q);
	int is_signed = ocspkit_request_get_signature(&sig, q) == OCSPKIT_OK;
	if (ocspkit_request_encode(&out, &len, &tbs, is_signed ? &sig : NULL) == OCSPKIT_OK) {
		ok = len == b->n && memcmp(out, b->d, len) == 0;
		ocspkit_free(out);
	}
	ocspkit_request_free(q);
	return ok;
}

/* A request with no CertID and no extension needs no pool; the decoder
 * must not do arithmetic on the NULL pool (undefined behaviour, reported by
 * clang's UBSan in the --enable-fuzzing build;
 * fuzz/request_fuzzer.repro/ub-empty-pool.der). */
static void test_empty(void)
{
	blob req = T(0x30, T(0x30, T(0x30, none())));
	ocspkit_request *q;
	CHECK_OK(ocspkit_request_decode(&q, req.d, req.n, 0, NULL));
	if (!q)
		return;
	CHECK(ocspkit_request_get_single_count(q) == 0 && ocspkit_request_get_single(q, 0) == NULL);
	ocspkit_request_free(q);
	CHECK(round_trips(&req));
}

/* ocspkit_request_print reports an allocation that fails while printing
 * the requestorName as OCSPKIT_E_NO_MEMORY instead of leaving the name out.
 * Found by the allocation-failure replay of fuzz/request_fuzzer
 * (fuzz/request_fuzzer.repro/print-nomem-requestor-name.der). */
static void test_print_out_of_memory(void)
{
	blob name = T(0x30, T(0x31, T(0x30, cat(2, raw("0603550403"), T(0x0C, raw("4142"))))));
	blob req = T(0x30, T(0x30, cat(2, T(0xA1, T(0xA4, name)), T(0x30, request_item("01", none())))));
	ocspkit_request *q;
	char *text = NULL;
	CHECK_OK(ocspkit_request_decode(&q, req.d, req.n, 0, NULL));
	if (!q)
		return;
	CHECK_OK(ocspkit_request_print(&text, q));
	CHECK(text && strstr(text, "Requestor Name: DirName:CN = AB"));
	ocspkit_free(text);
	long failed = 0;
	for (long n = 1; n < 1000; n++) {
		text = NULL;
		okit_alloc_fail_at(n);
		ocspkit_err e = ocspkit_request_print(&text, q);
		long used = okit_alloc_fail_at(0);
		if (used < n) {
			CHECK_OK(e);
			ocspkit_free(text);
			break;
		}
		CHECK_ERR(e, OCSPKIT_E_NO_MEMORY);
		if (e == OCSPKIT_OK)
			ocspkit_free(text);
		failed++;
	}
	CHECK(failed >= 2); /* the output buffer, the name */
	ocspkit_request_free(q);
}

int main(void)
{
	blob nonce_ext = T(0xA2, T(0x30, T(0x30, cat(2, raw(NONCE_OID), T(0x04, T(0x04, raw("A1A2A3A4")))))));
	blob single_ext = T(0xA0, T(0x30, T(0x30, cat(3, raw("06032A0304"), raw("0101FF"), T(0x04, raw("00"))))));
	blob req = T(0x30, T(0x30, cat(2, T(0x30, cat(2, request_item("01", none()), request_item("0080", single_ext))),
				       nonce_ext)));
	ocspkit_request *q;
	ocspkit_bytes nonce;
	CHECK_OK(ocspkit_request_decode(&q, req.d, req.n, 0, NULL));
	if (q) {
		CHECK(ocspkit_request_get_single_count(q) == 2);
		CHECK(ocspkit_request_get_single(q, 2) == NULL);
		const ocspkit_single_request *r1 = ocspkit_request_get_single(q, 1);
		CHECK(r1->cert_id.serial.len == 2 && r1->cert_id.hash == OCSPKIT_HASH_SHA1);
		CHECK(r1->extension_count == 1 && r1->extensions[0].critical &&
		      r1->extensions[0].type == OCSPKIT_EXT_UNKNOWN);
		CHECK_OK(ocspkit_request_get_nonce(&nonce, q));
		CHECK(nonce.len == 4 && nonce.data[0] == 0xA1);
		ocspkit_signature_block sig;
		CHECK_ERR(ocspkit_request_get_signature(&sig, q), OCSPKIT_E_NOT_FOUND);
		ocspkit_bytes tbs = ocspkit_request_get_tbs_der(q);
		ocspkit_bytes all = ocspkit_request_get_der(q);
		CHECK(tbs.data > all.data && tbs.data + tbs.len == all.data + all.len);
		char *text;
		CHECK_OK(ocspkit_request_print(&text, q));
		if (text) {
			CHECK(strstr(text, "Serial Number: 80") != NULL);
			CHECK(strstr(text, "OCSP Nonce") != NULL);
			ocspkit_free(text);
		}
		ocspkit_request_free(q);
	}
	CHECK(round_trips(&req));

	/* requestor name and a signature with certificates */
	blob gn = T(0xA4, T(0x30, T(0x31, T(0x30, cat(2, raw("0603550403"), T(0x0C, raw("4142")))))));
	blob sig = T(0xA0, T(0x30, cat(3, raw("300D 06092A864886F70D01010B 0500"), T(0x03, raw("00 0102")),
				       T(0xA0, T(0x30, T(0x30, raw("020101")))))));
	blob signed_req = T(0x30, cat(2, T(0x30, cat(2, T(0xA1, gn), T(0x30, request_item("01", none())))), sig));
	CHECK_OK(ocspkit_request_decode(&q, signed_req.d, signed_req.n, 0, NULL));
	if (q) {
		ocspkit_signature_block s;
		ocspkit_request_tbs tbs;
		CHECK_OK(ocspkit_request_get_signature(&s, q));
		CHECK(s.cert_count == 1 && s.signature.len == 2);
		ocspkit_request_get_tbs(&tbs, q);
		CHECK(tbs.requestor_name.len == gn.n);
		CHECK_ERR(ocspkit_request_get_nonce(&nonce, q), OCSPKIT_E_NOT_FOUND);
		char *text;
		CHECK_OK(ocspkit_request_print(&text, q));
		if (text) {
			CHECK(strstr(text, "Requestor Name: DirName:CN = AB") != NULL);
			ocspkit_free(text);
		}
		ocspkit_request_free(q);
	}
	CHECK(round_trips(&signed_req));

	/* strictness */
	blob b;
	b = T(0x30, T(0x30, cat(2, T(0xA0, raw("020100")), T(0x30, request_item("01", none())))));
	CHECK_ERR(decode(&b, 0), OCSPKIT_E_DER_EXPLICIT_DEFAULT);
	CHECK_OK(decode(&b, OCSPKIT_DECODE_ALLOW_EXPLICIT_DEFAULT));
	b = T(0x30, T(0x30, cat(2, T(0xA0, raw("020101")), T(0x30, request_item("01", none())))));
	CHECK_ERR(decode(&b, 0), OCSPKIT_E_UNSUPPORTED_VERSION);
	b = T(0x30, T(0x30, T(0x30, request_item("0001", none()))));
	CHECK_ERR(decode(&b, 0), OCSPKIT_E_DER_NONMINIMAL_INTEGER);
	b = T(0x30, cat(2, T(0x30, T(0x30, request_item("01", none()))), raw("0500")));
	CHECK_ERR(decode(&b, 0), OCSPKIT_E_DER_TRAILING_DATA);
	b = T(0x30, cat(2, T(0x30, T(0x30, request_item("01", none()))), raw("00")));
	CHECK_ERR(decode(&b, 0), OCSPKIT_E_DER_TRUNCATED);
	b = T(0x30, T(0x30, cat(2, T(0x30, request_item("01", none())), T(0xA2, T(0x30, none())))));
	CHECK_ERR(decode(&b, 0), OCSPKIT_E_DER_SIZE);
	b = T(0x30, T(0x30, T(0x31, request_item("01", none()))));
	CHECK_ERR(decode(&b, 0), OCSPKIT_E_DER_UNEXPECTED_TAG);
	b = T(0x30, T(0x30, cat(2, T(0x30, request_item("01", none())),
				T(0xA2, T(0x30, T(0x30, cat(2, raw(NONCE_OID), T(0x04, T(0x04, fill(1, 40))))))))));
	CHECK_ERR(decode(&b, 0), OCSPKIT_E_BAD_NONCE_SIZE);
	CHECK_OK(decode(&b, OCSPKIT_DECODE_ALLOW_ANY_NONCE_SIZE));

	/* too many requests: 1025 written with the internal DER writer */
	{
		blob item = request_item("01", none());
		okit_buf w;
		uint8_t *der;
		size_t len, off;
		okit_buf_init(&w, OKIT_DER_MAX);
		size_t m0 = okit_der_open(&w, 0x30), m1 = okit_der_open(&w, 0x30), m2 = okit_der_open(&w, 0x30);
		for (int i = 0; i <= OCSPKIT_MAX_REQUESTS; i++)
			okit_buf_put(&w, item.d, item.n);
		okit_der_close(&w, m2);
		okit_der_close(&w, m1);
		okit_der_close(&w, m0);
		CHECK_OK(okit_buf_finish(&w, &der, &len));
		CHECK_ERR(ocspkit_request_decode(&q, der, len, 0, &off), OCSPKIT_E_LIMIT_REQUESTS);
		CHECK(off == 8);
		ocspkit_free(der);
	}
	ocspkit_single_request *many = calloc(OCSPKIT_MAX_REQUESTS + 1, sizeof(*many));
	ocspkit_cert_id_value v = { OCSPKIT_HASH_SHA1, 20, { 0 }, { 0 }, 1, { 1 } };
	for (int i = 0; i <= OCSPKIT_MAX_REQUESTS; i++)
		many[i].cert_id = ocspkit_cert_id_value_view(&v);
	ocspkit_request_tbs tbs = { 0, { NULL, 0 }, many, OCSPKIT_MAX_REQUESTS, NULL, 0 };
	uint8_t *der;
	size_t len;
	CHECK_OK(ocspkit_request_encode(&der, &len, &tbs, NULL));
	if (der) {
		CHECK_OK(ocspkit_request_decode(&q, der, len, 0, NULL));
		ocspkit_request_free(q);
		ocspkit_free(der);
	}
	tbs.request_count = OCSPKIT_MAX_REQUESTS + 1;
	CHECK_ERR(ocspkit_request_encode(&der, &len, &tbs, NULL), OCSPKIT_E_LIMIT_REQUESTS);
	free(many);
	test_print_out_of_memory();
	test_empty();
	CHECK_DONE();
}
