/* Unit tests of responder/index.c: every line form `openssl ca` writes,
 * lookups, and each way a file is refused (with its line number). */
#include <config.h>

#include "tests/lib/check.h"
#include "responder/index.h"

static rsp_index *parse(const char *text)
{
	rsp_index *idx = NULL;
	rsp_index_error err;
	ocspkit_err e = rsp_index_parse(&idx, (const uint8_t *)text, strlen(text), &err);
	if (e)
		fprintf(stderr, "parse: %s: line %zu: %s\n", ocspkit_strerror_name(e), err.line, err.msg);
	return idx;
}

/* The error of a file that must be refused: its line, and a word of its message. */
static void refused(const char *text, size_t line, const char *word)
{
	rsp_index *idx = (rsp_index *)1;
	rsp_index_error err;
	CHECK_ERR(rsp_index_parse(&idx, (const uint8_t *)text, strlen(text), &err), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK(idx == NULL);
	CHECK(err.line == line);
	if (!strstr(err.msg, word))
		fprintf(stderr, "message '%s' lacks '%s'\n", err.msg, word);
	CHECK(strstr(err.msg, word) != NULL);
}

static const rsp_index_entry *find_hex(const rsp_index *idx, const char *hex)
{
	uint8_t b[80];
	size_t n = unhex(hex, b, sizeof(b));
	return rsp_index_find(idx, (ocspkit_bytes){ b, n });
}

static void test_forms(void)
{
	static const char text[] =
		"# a comment\n"
		"V\t301231235959Z\t\t1001\tunknown\t/CN=good\n"
		"R\t301231235959Z\t240101000000Z,keyCompromise\t1002\tunknown\t/CN=kc\n"
		"R\t301231235959Z\t240101000000Z\t1003\tunknown\t/CN=noreason\n"
		"R\t301231235959Z\t240301000000Z,keyTime,20240215000000Z\t1004\tunknown\t/CN=kt\n"
		"R\t301231235959Z\t240401000000Z,CAkeyTime,20240320101010Z\t1005\tunknown\t/CN=ckt\n"
		"R\t301231235959Z\t240215123000Z,holdInstruction,holdInstructionReject\t1006\tunknown\t/CN=hold\n"
		"R\t301231235959Z\t240215123000Z,holdInstruction,1.2.840.10040.2.2\t1007\tunknown\t/CN=hold2\n"
		"R\t301231235959Z\t240215123000Z,certificateHold\t1008\tunknown\t/CN=ch\n"
		"R\t301231235959Z\t200229000000Z,CESSATIONOFOPERATION\t1009\tunknown\t/CN=case\r\n"
		"R\t301231235959Z\t240501000000Z,removeFromCRL\t100A\tunknown\t/CN=rfc\n"
		"E\t200101000000Z\t\t100B\tunknown\t/CN=old\n"
		"V\t20501231235959Z\t\t00C0FFEE\tcert.pem\t/CN=gen\ttime\twith tabs\n"
		"\n"
		"V\t491231235959Z\t\tABC\tunknown\t/CN=odd";
	rsp_index *idx = parse(text);
	CHECK(idx != NULL);
	if (!idx)
		return;
	CHECK(rsp_index_count(idx) == 13);
	CHECK(rsp_index_count_type(idx, 'V') == 3);
	CHECK(rsp_index_count_type(idx, 'R') == 9);
	CHECK(rsp_index_count_type(idx, 'E') == 1);
	CHECK(rsp_index_count_type(idx, 'X') == 0);

	const rsp_index_entry *e = find_hex(idx, "1001");
	CHECK(e && e->type == 'V' && e->line == 2 && e->expiry == 1924991999);
	e = find_hex(idx, "1002");
	CHECK(e && e->type == 'R' && e->has_reason && e->reason == OCSPKIT_REASON_KEY_COMPROMISE &&
	      e->revocation_time == 1704067200 && !e->has_invalidity_date && e->hold_len == 0);
	e = find_hex(idx, "1003");
	CHECK(e && e->type == 'R' && !e->has_reason);
	e = find_hex(idx, "1004");
	CHECK(e && e->reason == OCSPKIT_REASON_KEY_COMPROMISE && e->has_invalidity_date &&
	      e->invalidity_date == 1707955200);
	e = find_hex(idx, "1005");
	CHECK(e && e->reason == OCSPKIT_REASON_CA_COMPROMISE && e->has_invalidity_date);
	e = find_hex(idx, "1006");
	static const uint8_t reject[] = { 0x2A, 0x86, 0x48, 0xCE, 0x38, 0x02, 0x03 };
	static const uint8_t call[] = { 0x2A, 0x86, 0x48, 0xCE, 0x38, 0x02, 0x02 };
	CHECK(e && e->reason == OCSPKIT_REASON_CERTIFICATE_HOLD && e->hold_len == sizeof(reject) &&
	      memcmp(e->hold, reject, sizeof(reject)) == 0);
	e = find_hex(idx, "1007");
	CHECK(e && e->hold_len == sizeof(call) && memcmp(e->hold, call, sizeof(call)) == 0);
	e = find_hex(idx, "1008");
	CHECK(e && e->reason == OCSPKIT_REASON_CERTIFICATE_HOLD && e->hold_len == 0);
	e = find_hex(idx, "1009");
	CHECK(e && e->reason == OCSPKIT_REASON_CESSATION_OF_OPERATION && e->revocation_time == 1582934400);
	e = find_hex(idx, "100A");
	CHECK(e && e->reason == OCSPKIT_REASON_REMOVE_FROM_CRL);
	e = find_hex(idx, "100B");
	CHECK(e && e->type == 'E');
	/* leading zeros dropped, a 00 in front of a high bit */
	e = find_hex(idx, "00C0FFEE");
	CHECK(e && e->expiry == 2556143999);
	CHECK(find_hex(idx, "C0FFEE") == NULL);
	/* odd number of digits; UTCTime 49 is 2049 */
	e = find_hex(idx, "0ABC");
	CHECK(e && e->expiry == 2524607999 && e->line == 15);
	CHECK(find_hex(idx, "1010") == NULL);
	CHECK(find_hex(idx, "10") == NULL);
	/* in serial order */
	for (size_t i = 1; i < rsp_index_count(idx); i++) {
		ocspkit_bytes a = rsp_index_get(idx, i - 1)->serial, b = rsp_index_get(idx, i)->serial;
		CHECK(a.len < b.len || (a.len == b.len && memcmp(a.data, b.data, a.len) < 0));
	}
	CHECK(rsp_index_get(idx, rsp_index_count(idx)) == NULL);
	rsp_index_free(idx);
}

static void test_edges(void)
{
	rsp_index *idx = parse("");
	CHECK(idx && rsp_index_count(idx) == 0 && find_hex(idx, "01") == NULL);
	rsp_index_free(idx);
	idx = parse("\n\n# only comments\n");
	CHECK(idx && rsp_index_count(idx) == 0);
	rsp_index_free(idx);
	/* serial 0, and the longest serial (64 octets) */
	idx = parse("V\t301231235959Z\t\t00\tunknown\t/CN=zero\n"
		    "V\t301231235959Z\t\t7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
		    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\tunknown\t/CN=long\n");
	CHECK(idx && rsp_index_count(idx) == 2);
	if (idx) {
		CHECK(find_hex(idx, "00") != NULL);
		CHECK(rsp_index_get(idx, 1)->serial.len == 64);
	}
	rsp_index_free(idx);
	CHECK(rsp_index_parse(&idx, NULL, RSP_INDEX_MAX_SIZE + 1, NULL) == OCSPKIT_E_LIMIT_INPUT_SIZE);
}

/* The same, for text with NUL octets. */
static void refused_bytes(const char *text, size_t len, size_t line)
{
	rsp_index *idx = NULL;
	rsp_index_error err;
	CHECK_ERR(rsp_index_parse(&idx, (const uint8_t *)text, len, &err), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK(idx == NULL && err.line == line);
}

static void test_refused(void)
{
	/* an embedded NUL in a time must not shorten it (fuzz/index_fuzzer.repro) */
	static const char nul_time[] = "V\t301231235959Z\t\t1001\tunknown\t/CN=a\nR\t30123123595\0Z\t240101000000Z\t1002\tx\ty\n";
	refused_bytes(nul_time, sizeof(nul_time) - 1, 2);
	static const char nul_rev[] = "R\t301231235959Z\t2401010\0000Z\t1002\tx\ty\n";
	refused_bytes(nul_rev, sizeof(nul_rev) - 1, 1);
	static const char nul_kt[] = "R\t301231235959Z\t240101000000Z,keyTime,2024010100\00000Z\t1002\tx\ty\n";
	refused_bytes(nul_kt, sizeof(nul_kt) - 1, 1);
	refused("V\t301231235959Z\t\t1001\tunknown\n", 1, "fields");
	refused("V\t301231235959Z\t\t1001\tunknown\t/CN=a\nX\t301231235959Z\t\t1002\tunknown\t/CN=b\n", 2, "status");
	refused("VV\t301231235959Z\t\t1001\tunknown\t/CN=a\n", 1, "status");
	refused("V\t3012312359Z\t\t1001\tunknown\t/CN=a\n", 1, "expiry");
	refused("V\t301331235959Z\t\t1001\tunknown\t/CN=a\n", 1, "expiry");
	refused("V\t30123123595900\t\t1001\tunknown\t/CN=a\n", 1, "expiry");
	refused("V\t301231235959Z\t\t10G1\tunknown\t/CN=a\n", 1, "serial");
	refused("V\t301231235959Z\t\t\tunknown\t/CN=a\n", 1, "serial");
	refused("V\t301231235959Z\t\t-1001\tunknown\t/CN=a\n", 1, "serial");
	refused("V\t301231235959Z\t\tFF"
		"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
		"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\tunknown\t/CN=a\n",
		1, "serial");
	refused("R\t301231235959Z\t\t1001\tunknown\t/CN=a\n", 1, "revocation");
	refused("R\t301231235959Z\t2401010000Z\t1001\tunknown\t/CN=a\n", 1, "revocation time");
	refused("R\t301231235959Z\t240101000000Z,badReason\t1001\tunknown\t/CN=a\n", 1, "reason");
	refused("R\t301231235959Z\t240101000000Z,keyTime\t1001\tunknown\t/CN=a\n", 1, "keyTime");
	refused("R\t301231235959Z\t240101000000Z,keyTime,240101000000Z\t1001\tunknown\t/CN=a\n", 1, "keyTime");
	refused("R\t301231235959Z\t240101000000Z,CAkeyTime,2024010100000Z\t1001\tunknown\t/CN=a\n", 1, "CAkeyTime");
	refused("R\t301231235959Z\t240101000000Z,holdInstruction\t1001\tunknown\t/CN=a\n", 1, "holdInstruction");
	refused("R\t301231235959Z\t240101000000Z,holdInstruction,notAnOid\t1001\tunknown\t/CN=a\n", 1,
		"holdInstruction");
	refused("R\t301231235959Z\t240101000000Z,holdInstruction,3.1\t1001\tunknown\t/CN=a\n", 1, "holdInstruction");
	refused("R\t301231235959Z\t240101000000Z,holdInstruction,1.2.\t1001\tunknown\t/CN=a\n", 1, "holdInstruction");
	refused("V\t301231235959Z\t\t1001\tunknown\t/CN=a\n"
		"V\t301231235959Z\t\t1002\tunknown\t/CN=b\n"
		"R\t301231235959Z\t240101000000Z\t001001\tunknown\t/CN=again\n",
		3, "line 1");
}

int main(void)
{
	test_forms();
	test_edges();
	test_refused();
	CHECK_DONE();
}
