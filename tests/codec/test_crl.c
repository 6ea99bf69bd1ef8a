/* Unit tests of the CRL codec (codec/crl.c, crl_index.c, crl_verify.c,
 * crl_write.c, the CRL printer of print.c): every field, every rule of
 * RFC 5280 section 5 with its error and offset, the tolerance flags, the
 * serial index at its edges, indirect and delta CRLs, verification, and
 * allocation failures. */
#include <config.h>

#include "alloc.h"
#include "tests/lib/build.h"
#include "civil.h"
#include "crl_index.h"
#include "crl_write.h"
#include "tests/lib/pki.h"

#define ED25519_ALGID "300506032B6570"
#define OID_REASON "551D15"
#define OID_HOLD "551D17"
#define OID_INVALIDITY "551D18"
#define OID_CERT_ISSUER "551D1D"
#define OID_CRL_NUMBER "551D14"
#define OID_DELTA "551D1B"
#define OID_IDP "551D1C"
#define OID_AKI "551D23"
#define OID_FRESHEST "551D2E"
#define OID_IAN "551D12"
#define OID_AIA "2B06010505070101"
#define OID_UNKNOWN "2A0304"

/* ---------------------------------------------------------------- building */

static blob UT(const char *s)
{
	return T(0x17, bytes(s, strlen(s)));
}

static blob cn_name(const char *cn)
{
	return T(0x30, T(0x31, T(0x30, cat(2, raw("0603550403"), T(0x0C, bytes(cn, strlen(cn)))))));
}

static blob ext(const char *oid, int critical, blob value)
{
	return T(0x30, cat(3, T(0x06, raw(oid)), critical ? raw("0101FF") : none(), T(0x04, value)));
}

static blob reason(int r)
{
	uint8_t v[3] = { 0x0A, 0x01, (uint8_t)r };
	return ext(OID_REASON, 0, bytes(v, 3));
}

/* RevokedCertificate: the serial's whole INTEGER, a Time, the extensions
 * (their elements, or none for no list) */
static blob entry(blob serial, blob when, blob exts)
{
	return T(0x30, cat(3, serial, when, exts.n ? T(0x30, exts) : none()));
}

typedef struct {
	blob version, alg, issuer, this_update, next_update, revoked, exts, outer_alg, sig;
} crl_parts;

static crl_parts defaults(void)
{
	crl_parts p;
	p.version = raw("020101");
	p.alg = raw(ED25519_ALGID);
	p.issuer = cn_name("Test CA");
	p.this_update = UT("260101000000Z");
	p.next_update = UT("260108000000Z");
	p.revoked = none();
	p.exts = none();
	p.outer_alg = raw(ED25519_ALGID);
	p.sig = T(0x03, cat(2, raw("00"), fill(0x5A, 64)));
	return p;
}

static blob tbs_of(const crl_parts *p)
{
	return T(0x30, cat(7, p->version, p->alg, p->issuer, p->this_update, p->next_update, p->revoked, p->exts));
}

static blob build(const crl_parts *p)
{
	return T(0x30, cat(3, tbs_of(p), p->outer_alg, p->sig));
}

/* the offset of the only occurrence of needle in hay */
static size_t where(blob hay, blob needle)
{
	size_t at = (size_t)-1;
	for (size_t i = 0; i + needle.n <= hay.n; i++) {
		if (memcmp(hay.d + i, needle.d, needle.n) == 0) {
			if (at != (size_t)-1) {
				fprintf(stderr, "where: the marker occurs twice\n");
				abort();
			}
			at = i;
		}
	}
	if (at == (size_t)-1) {
		fprintf(stderr, "where: no marker\n");
		abort();
	}
	return at;
}

static ocspkit_crl *decode_ok(blob b, unsigned flags)
{
	ocspkit_crl *c = NULL;
	size_t off = 0;
	ocspkit_err e = ocspkit_crl_decode(&c, b.d, b.n, flags, &off);
	if (e)
		fprintf(stderr, "decode: %s at %zu\n", ocspkit_strerror_name(e), off);
	CHECK_OK(e);
	return c;
}

/* Decoding b fails with want at the offset of marker. */
#define CHECK_REFUSED(b, flags, want, marker) check_refused(__LINE__, (b), (flags), (want), where((b), (marker)))
static void check_refused(int line, blob b, unsigned flags, ocspkit_err want, size_t want_off)
{
	ocspkit_crl *c = (ocspkit_crl *)1;
	size_t off = 12345;
	ocspkit_err e = ocspkit_crl_decode(&c, b.d, b.n, flags, &off);
	check_total++;
	if (e != want || off != want_off || c != NULL) {
		check_failed++;
		fprintf(stderr, "%s:%d: got %s@%zu, want %s@%zu\n", __FILE__, line, ocspkit_strerror_name(e), off,
			ocspkit_strerror_name(want), want_off);
	}
	ocspkit_crl_free(c == (ocspkit_crl *)1 ? NULL : c);
}

/* ---------------------------------------------------------------- fields */

static void test_fields(void)
{
	crl_parts p = defaults();
	blob ca2 = cn_name("Other CA");
	/* IDP: fullName URI, onlySomeReasons keyCompromise + aACompromise,
	 * indirectCRL */
	blob idp = T(0x30, cat(3, T(0xA0, T(0xA0, T(0x86, bytes("http://x/c.crl", 14)))), raw("8303074080"),
			       raw("8401FF")));
	blob aki = T(0x30, cat(3, T(0x80, raw("0102030405")), T(0xA1, T(0xA4, cn_name("Root"))), raw("82021234")));
	blob freshest = T(0x30, T(0x30, cat(2, T(0xA0, T(0xA0, T(0x86, bytes("http://x/d.crl", 14)))), raw("8102022C"))));
	p.exts = T(0xA0, T(0x30, cat(7, ext(OID_CRL_NUMBER, 0, raw("020200FF")), ext(OID_DELTA, 1, raw("020107")),
				     ext(OID_IDP, 1, idp), ext(OID_AKI, 0, aki), ext(OID_FRESHEST, 0, freshest),
				     ext(OID_IAN, 0, T(0x30, T(0x86, bytes("http://ian", 10)))),
				     ext(OID_AIA, 0, T(0x30, T(0x30, cat(2, raw("06082B06010505073002"),
									   T(0x86, bytes("http://ca", 9)))))))));
	p.revoked = T(0x30, cat(4, entry(raw("020105"), UT("240101000000Z"), cat(2, reason(1), ext(OID_INVALIDITY, 0, GT("20231231120000Z")))),
			       entry(raw("02020080"), UT("240202000000Z"),
				     cat(2, reason(6), ext(OID_HOLD, 0, raw("06072A8648CE380202")))),
			       entry(raw("020107"), UT("240303000000Z"),
				     cat(2, ext(OID_CERT_ISSUER, 1, T(0x30, T(0xA4, ca2))), ext(OID_UNKNOWN, 0, raw("0500")))),
			       entry(raw("020108"), GT("20500101000000Z"), none())));
	blob b = build(&p);
	ocspkit_crl *c = decode_ok(b, 0);
	if (!c)
		return;
	int64_t t;
	ocspkit_bytes v;
	CHECK(ocspkit_crl_get_version(c) == 1);
	CHECK(ocspkit_crl_get_der(c).len == b.n && memcmp(ocspkit_crl_get_der(c).data, b.d, b.n) == 0);
	blob tbs = tbs_of(&p);
	CHECK_BYTES(ocspkit_crl_get_tbs_der(c), tbs.d, tbs.n);
	CHECK_BYTES(ocspkit_crl_get_issuer(c), p.issuer.d, p.issuer.n);
	CHECK_BYTES(ocspkit_crl_get_signature_algorithm(c)->oid, "\x2B\x65\x70", 3);
	CHECK(ocspkit_crl_get_signature_algorithm(c)->params.len == 0);
	CHECK_BYTES(ocspkit_crl_get_tbs_signature_algorithm(c)->oid, "\x2B\x65\x70", 3);
	CHECK(ocspkit_crl_get_signature(c).len == 64 && ocspkit_crl_get_signature(c).data[0] == 0x5A);
	CHECK(ocspkit_crl_get_this_update(c) == okit_time_from_civil(2026, 1, 1, 0, 0, 0));
	CHECK_OK(ocspkit_crl_get_next_update(&t, c));
	CHECK(t == okit_time_from_civil(2026, 1, 8, 0, 0, 0));
	CHECK(ocspkit_crl_get_extension_count(c) == 7);
	CHECK(ocspkit_crl_get_extension(c, 7) == NULL);
	CHECK(ocspkit_crl_get_extension(c, 1)->critical);
	CHECK(!ocspkit_crl_has_unknown_critical_extension(c));
	CHECK_OK(ocspkit_crl_get_number(&v, c));
	CHECK_BYTES(v, "\x00\xFF", 2);
	CHECK(ocspkit_crl_is_delta(c));
	CHECK_OK(ocspkit_crl_get_base_number(&v, c));
	CHECK_BYTES(v, "\x07", 1);

	ocspkit_crl_idp i;
	CHECK_OK(ocspkit_crl_get_issuing_distribution_point(&i, c));
	CHECK(i.indirect_crl && !i.only_user_certs && !i.only_ca_certs && !i.only_attribute_certs);
	CHECK(i.has_only_some_reasons &&
	      i.only_some_reasons == (OCSPKIT_REASON_FLAG_KEY_COMPROMISE | OCSPKIT_REASON_FLAG_AA_COMPROMISE));
	CHECK(i.distribution_point.relative_name.len == 0);
	ocspkit_bytes names = i.distribution_point.full_name, gn;
	CHECK_OK(ocspkit_general_names_next(&gn, &names));
	CHECK_BYTES(gn, "\x86\x0Ehttp://x/c.crl", 16);
	CHECK_ERR(ocspkit_general_names_next(&gn, &names), OCSPKIT_E_NOT_FOUND);

	ocspkit_authority_key_id a;
	CHECK_OK(ocspkit_crl_get_authority_key_id(&a, c));
	CHECK_BYTES(a.key_id, "\x01\x02\x03\x04\x05", 5);
	CHECK_BYTES(a.serial, "\x12\x34", 2);
	CHECK(a.issuer.len && a.issuer.data[0] == 0xA4);

	ocspkit_distribution_point dp[2];
	size_t n;
	CHECK_OK(ocspkit_crl_get_freshest_crl(NULL, 0, &n, c));
	CHECK(n == 1);
	CHECK_OK(ocspkit_crl_get_freshest_crl(dp, 2, &n, c));
	CHECK(n == 1 && dp[0].has_reasons && dp[0].reasons == (OCSPKIT_REASON_FLAG_CA_COMPROMISE |
								OCSPKIT_REASON_FLAG_SUPERSEDED |
								OCSPKIT_REASON_FLAG_CESSATION_OF_OPERATION));
	CHECK(dp[0].crl_issuer.len == 0 && dp[0].distribution_point.full_name.len == 16);

	CHECK(ocspkit_crl_get_entry_count(c) == 4);
	ocspkit_crl_entry e;
	ocspkit_extension x;
	CHECK_OK(ocspkit_crl_get_entry(&e, c, 0));
	CHECK_BYTES(e.serial, "\x05", 1);
	CHECK(e.index == 0 && e.revocation_date == okit_time_from_civil(2024, 1, 1, 0, 0, 0));
	CHECK(e.has_reason && e.reason == OCSPKIT_REASON_KEY_COMPROMISE);
	CHECK(e.has_invalidity_date && e.invalidity_date == okit_time_from_civil(2023, 12, 31, 12, 0, 0));
	CHECK(e.hold_instruction.len == 0 && e.certificate_issuer.len == 0 && e.extension_count == 2);
	CHECK_OK(ocspkit_crl_entry_get_extension(&x, &e, 1));
	CHECK(x.type == OCSPKIT_EXT_INVALIDITY_DATE && !x.critical);
	CHECK_ERR(ocspkit_crl_entry_get_extension(&x, &e, 2), OCSPKIT_E_NOT_FOUND);

	CHECK_OK(ocspkit_crl_get_entry(&e, c, 1));
	CHECK_BYTES(e.serial, "\x00\x80", 2);
	CHECK(e.has_reason && e.reason == OCSPKIT_REASON_CERTIFICATE_HOLD && !e.has_invalidity_date);
	CHECK_BYTES(e.hold_instruction, "\x2A\x86\x48\xCE\x38\x02\x02", 7);

	CHECK_OK(ocspkit_crl_get_entry(&e, c, 2));
	CHECK(!e.has_reason && e.extension_count == 2);
	CHECK(e.certificate_issuer.len == ca2.n + 2 && e.certificate_issuer.data[0] == 0xA4);
	CHECK_OK(ocspkit_crl_entry_get_extension(&x, &e, 0));
	CHECK(x.type == OCSPKIT_EXT_CERTIFICATE_ISSUER && x.critical);
	CHECK_OK(ocspkit_crl_entry_get_extension(&x, &e, 1));
	CHECK(x.type == OCSPKIT_EXT_UNKNOWN && !x.critical);

	/* 2050 and after: GeneralizedTime; the certificate issuer stays */
	CHECK_OK(ocspkit_crl_get_entry(&e, c, 3));
	CHECK(e.revocation_date == okit_time_from_civil(2050, 1, 1, 0, 0, 0) && e.extension_count == 0 &&
	      e.extensions.len == 0);
	CHECK(e.certificate_issuer.len == ca2.n + 2);
	CHECK_ERR(ocspkit_crl_get_entry(&e, c, 4), OCSPKIT_E_NOT_FOUND);

	CHECK_ERR(ocspkit_crl_get_entry(NULL, c, 0), OCSPKIT_E_INVALID_ARGUMENT);
	ocspkit_crl_free(c);
}

/* A v1 CRL without nextUpdate: every absent value says so. */
static void test_absent(void)
{
	crl_parts p;
	ocspkit_crl *c;
	int64_t t;
	ocspkit_bytes v;
	ocspkit_crl_idp i;
	ocspkit_authority_key_id a;
	ocspkit_distribution_point dp[2];
	size_t n;
	ocspkit_crl_entry e;
	p = defaults();
	p.next_update = none();
	p.version = none();
	c = decode_ok(build(&p), 0);
	if (c) {
		CHECK(ocspkit_crl_get_version(c) == 0 && ocspkit_crl_get_entry_count(c) == 0);
		CHECK_ERR(ocspkit_crl_get_next_update(&t, c), OCSPKIT_E_NOT_FOUND);
		CHECK_ERR(ocspkit_crl_get_number(&v, c), OCSPKIT_E_NOT_FOUND);
		CHECK_ERR(ocspkit_crl_get_base_number(&v, c), OCSPKIT_E_NOT_FOUND);
		CHECK(!ocspkit_crl_is_delta(c));
		CHECK_ERR(ocspkit_crl_get_issuing_distribution_point(&i, c), OCSPKIT_E_NOT_FOUND);
		CHECK_ERR(ocspkit_crl_get_authority_key_id(&a, c), OCSPKIT_E_NOT_FOUND);
		CHECK_ERR(ocspkit_crl_get_freshest_crl(dp, 2, &n, c), OCSPKIT_E_NOT_FOUND);
		CHECK(n == 0);
		CHECK_ERR(ocspkit_crl_find(&e, c, (ocspkit_bytes){ (const uint8_t *)"\x05", 1 }), OCSPKIT_E_NOT_FOUND);
		ocspkit_crl_free(c);
	}
	ocspkit_crl_free(NULL);
}

/* A relative distribution point name, and an IDP with only one flag. */
static void test_idp_forms(void)
{
	crl_parts p = defaults();
	blob rdn = T(0xA1, T(0x30, cat(2, raw("0603550403"), T(0x0C, bytes("dp", 2)))));
	p.exts = T(0xA0, T(0x30, ext(OID_IDP, 1, T(0x30, cat(2, T(0xA0, rdn), raw("8201FF"))))));
	ocspkit_crl *c = decode_ok(build(&p), 0);
	ocspkit_crl_idp i;
	if (!c)
		return;
	CHECK_OK(ocspkit_crl_get_issuing_distribution_point(&i, c));
	CHECK(i.only_ca_certs && !i.indirect_crl && !i.has_only_some_reasons);
	CHECK(i.distribution_point.full_name.len == 0);
	CHECK_BYTES(i.distribution_point.relative_name, rdn.d, rdn.n);
	char *text;
	CHECK_OK(ocspkit_crl_print(&text, c));
	if (text) {
		CHECK(strstr(text, "                Relative Name:\n                  CN = dp\n"));
		CHECK(strstr(text, "                Only CA Certificates\n"));
		ocspkit_free(text);
	}
	ocspkit_crl_free(c);
}

/* ---------------------------------------------------------------- rules */

static void rules_version(void)
{
	crl_parts p;
	blob b;
	ocspkit_crl *c;
	(void)b;
	(void)c;

	/* 5.1.2.1: version, if present, is v2 */
	p = defaults();
	p.version = raw("020102");
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_UNSUPPORTED_VERSION, raw("020102"));
	p.version = raw("020100");
	b = build(&p);
	CHECK_REFUSED(b, 0, OCSPKIT_E_UNSUPPORTED_VERSION, raw("020100"));
	c = decode_ok(b, OCSPKIT_DECODE_ALLOW_EXPLICIT_DEFAULT);
	CHECK(c && ocspkit_crl_get_version(c) == 0);
	ocspkit_crl_free(c);
	p.version = raw("0201FF");
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_UNSUPPORTED_VERSION, raw("0201FF"));
}

static void rules_v1_extensions(void)
{
	crl_parts p;
	blob b;
	ocspkit_crl *c;
	(void)b;
	(void)c;

	/* extensions in a v1 CRL, of the CRL and of an entry */
	p = defaults();
	p.version = none();
	p.exts = T(0xA0, T(0x30, ext(OID_CRL_NUMBER, 0, raw("020101"))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_CRL_V1_EXTENSIONS, p.exts);
	p.exts = none();
	p.revoked = T(0x30, cat(2, entry(raw("020101"), UT("240101000000Z"), none()),
				entry(raw("020102"), UT("240101000000Z"), reason(1))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_CRL_V1_EXTENSIONS, T(0x30, reason(1)));
}

static void rules_empty_list(void)
{
	crl_parts p;
	blob b;
	ocspkit_crl *c;
	(void)b;
	(void)c;

	/* 5.1.2.6: no empty revokedCertificates, unless tolerated */
	p = defaults();
	p.revoked = raw("3000");
	b = build(&p);
	CHECK_REFUSED(b, 0, OCSPKIT_E_CRL_EMPTY_REVOKED_LIST, cat(2, raw("3000"), p.outer_alg));
	c = decode_ok(b, OCSPKIT_DECODE_ALLOW_EMPTY_REVOKED_LIST);
	CHECK(c && ocspkit_crl_get_entry_count(c) == 0);
	ocspkit_crl_free(c);
}

static void rules_times(void)
{
	crl_parts p;
	blob b;
	ocspkit_crl *c;
	(void)b;
	(void)c;

	/* 5.1.2.4: UTCTime through 2049, GeneralizedTime from 2050, no fractions */
	p = defaults();
	p.this_update = GT("20490101000000Z");
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_CRL_TIME_FORM, p.this_update);
	p.this_update = GT("20500101000000.5Z");
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_CRL_TIME_FORM, p.this_update);
	p.this_update = GT("20500101000000Z");
	c = decode_ok(build(&p), 0);
	CHECK(c && ocspkit_crl_get_this_update(c) == 2524608000LL);
	ocspkit_crl_free(c);
	p = defaults();
	p.next_update = GT("20300101000000Z");
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_CRL_TIME_FORM, p.next_update);
	p = defaults();
	p.revoked = T(0x30, entry(raw("020101"), GT("20240101000000Z"), none()));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_CRL_TIME_FORM, GT("20240101000000Z"));
	p.revoked = T(0x30, entry(raw("020101"), GT("20600101000000.25Z"), none()));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_CRL_TIME_FORM, GT("20600101000000.25Z"));
	/* and DER's own rules first */
	p = defaults();
	p.this_update = UT("261301000000Z");
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_DER_BAD_TIME, p.this_update);
	p.this_update = UT("2601010000Z");
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_DER_BAD_TIME, p.this_update);
}

static void rules_serials(void)
{
	crl_parts p;
	blob b;
	ocspkit_crl *c;
	(void)b;
	(void)c;

	/* serials: minimal, not negative; each tolerated under its flag */
	p = defaults();
	p.revoked = T(0x30, cat(2, entry(raw("020101"), UT("240101000000Z"), none()),
				entry(raw("020180"), UT("240101000000Z"), none())));
	b = build(&p);
	CHECK_REFUSED(b, 0, OCSPKIT_E_NEGATIVE_SERIAL, raw("020180"));
	c = decode_ok(b, OCSPKIT_DECODE_ALLOW_NEGATIVE_SERIAL);
	if (c) {
		ocspkit_crl_entry e;
		CHECK_OK(ocspkit_crl_find(&e, c, (ocspkit_bytes){ (const uint8_t *)"\x80", 1 }));
		CHECK(e.index == 1);
		CHECK_ERR(ocspkit_crl_find(&e, c, (ocspkit_bytes){ (const uint8_t *)"\x00\x80", 2 }), OCSPKIT_E_NOT_FOUND);
		ocspkit_crl_free(c);
	}
	p.revoked = T(0x30, entry(raw("0202002A"), UT("240101000000Z"), none()));
	b = build(&p);
	CHECK_REFUSED(b, 0, OCSPKIT_E_DER_NONMINIMAL_INTEGER, raw("0202002A"));
	c = decode_ok(b, OCSPKIT_DECODE_ALLOW_PADDED_INTEGER);
	if (c) {
		ocspkit_crl_entry e;
		CHECK_OK(ocspkit_crl_get_entry(&e, c, 0));
		CHECK_BYTES(e.serial, "\x2A", 1);
		CHECK_OK(ocspkit_crl_find(&e, c, (ocspkit_bytes){ (const uint8_t *)"\x2A", 1 }));
		CHECK_OK(ocspkit_crl_find(&e, c, (ocspkit_bytes){ (const uint8_t *)"\x00\x00\x2A", 3 }));
		ocspkit_crl_free(c);
	}
	p.revoked = T(0x30, entry(raw("0200"), UT("240101000000Z"), none()));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_DER_EMPTY_INTEGER, raw("0200"));
}

static void rules_extensions(void)
{
	crl_parts p;
	blob b;
	ocspkit_crl *c;
	(void)b;
	(void)c;

	/* extensions: each once per list; known ones of their type */
	p = defaults();
	p.exts = T(0xA0, T(0x30, cat(2, ext(OID_CRL_NUMBER, 0, raw("020101")), ext(OID_CRL_NUMBER, 0, raw("020102")))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_DUPLICATE_EXTENSION, ext(OID_CRL_NUMBER, 0, raw("020102")));
	p = defaults();
	p.revoked = T(0x30, entry(raw("020101"), UT("240101000000Z"), cat(2, reason(1), reason(2))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_DUPLICATE_EXTENSION, reason(2));
	p.revoked = T(0x30, entry(raw("020101"), UT("240101000000Z"), reason(7)));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_BAD_CRL_REASON, raw("0A0107"));
	p.revoked = T(0x30, entry(raw("020101"), UT("240101000000Z"), reason(11)));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_BAD_CRL_REASON, raw("0A010B"));
	p.revoked = T(0x30, entry(raw("020101"), UT("240101000000Z"), ext(OID_HOLD, 0, raw("0500"))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_DER_UNEXPECTED_TAG, cat(2, raw("0500"), p.outer_alg));
	p.revoked = T(0x30, entry(raw("020101"), UT("240101000000Z"), ext(OID_INVALIDITY, 0, UT("230101000000Z"))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_DER_UNEXPECTED_TAG, UT("230101000000Z"));
	p.revoked = T(0x30, entry(raw("020101"), UT("240101000000Z"), ext(OID_CERT_ISSUER, 1, raw("3000"))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_DER_SIZE, cat(2, raw("3000"), p.outer_alg));
	{
		blob many = none();
		for (int i = 0; i < OCSPKIT_MAX_EXTENSIONS + 1; i++) {
			uint8_t oid[4] = { 0x2A, 0x03, 0x05, (uint8_t)i };
			many = cat(2, many, T(0x30, cat(2, T(0x06, bytes(oid, 4)), T(0x04, raw("0500")))));
		}
		p.revoked = T(0x30, entry(raw("020101"), UT("240101000000Z"), many));
		CHECK_REFUSED(build(&p), 0, OCSPKIT_E_LIMIT_EXTENSIONS, T(0x30, many));
		p.revoked = none();
		p.exts = T(0xA0, T(0x30, many));
		CHECK_REFUSED(build(&p), 0, OCSPKIT_E_LIMIT_EXTENSIONS, T(0x30, many));
	}
}

static void rules_numbers(void)
{
	crl_parts p;
	blob b;
	ocspkit_crl *c;
	(void)b;
	(void)c;

	/* 5.2.3, 5.2.4: CRL numbers non-negative, at most 20 octets */
	p = defaults();
	p.exts = T(0xA0, T(0x30, ext(OID_CRL_NUMBER, 0, raw("0201FF"))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_BAD_CRL_NUMBER, raw("0201FF"));
	p.exts = T(0xA0, T(0x30, ext(OID_DELTA, 1, raw("0201FF"))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_BAD_CRL_NUMBER, raw("0201FF"));
	p.exts = T(0xA0, T(0x30, ext(OID_CRL_NUMBER, 0, T(0x02, cat(2, raw("01"), fill(0x11, 20))))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_BAD_CRL_NUMBER, T(0x02, cat(2, raw("01"), fill(0x11, 20))));
	p.exts = T(0xA0, T(0x30, ext(OID_CRL_NUMBER, 0, T(0x02, cat(2, raw("00"), fill(0x91, 20))))));
	c = decode_ok(build(&p), 0); /* twenty octets of value, and the sign octet */
	ocspkit_crl_free(c);
	p.exts = T(0xA0, T(0x30, ext(OID_CRL_NUMBER, 0, raw("02020001"))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_DER_NONMINIMAL_INTEGER, raw("02020001"));
}

static void rules_idp(void)
{
	crl_parts p;
	blob b;
	ocspkit_crl *c;
	(void)b;
	(void)c;

	/* 5.2.5: an issuing distribution point says something, and at most
	 * one onlyContains... */
	p = defaults();
	p.exts = T(0xA0, T(0x30, ext(OID_IDP, 1, raw("3000"))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_BAD_ISSUING_DISTRIBUTION_POINT, cat(2, raw("3000"), p.outer_alg));
	p.exts = T(0xA0, T(0x30, ext(OID_IDP, 1, raw("30068101FF8201FF"))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_BAD_ISSUING_DISTRIBUTION_POINT, raw("30068101FF8201FF"));
	p.exts = T(0xA0, T(0x30, ext(OID_IDP, 1, raw("30038101FF3000"))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_DER_TRAILING_DATA, raw("3000"));
	p.exts = T(0xA0, T(0x30, ext(OID_IDP, 1, raw("3003810100"))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_DER_EXPLICIT_DEFAULT, raw("810100"));
	/* a named bit list ends with a 1 (X.690 11.2.2) */
	p.exts = T(0xA0, T(0x30, ext(OID_IDP, 1, raw("3004830205C0"))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_DER_BAD_BIT_STRING, raw("830205C0"));
	p.exts = T(0xA0, T(0x30, ext(OID_IDP, 1, raw("3004830200C0"))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_DER_BAD_BIT_STRING, raw("830200C0"));
	p.exts = T(0xA0, T(0x30, ext(OID_IDP, 1, raw("3004830206C0"))));
	c = decode_ok(build(&p), 0);
	ocspkit_crl_free(c);
	p.exts = T(0xA0, T(0x30, ext(OID_IDP, 1, raw("3003830100"))));
	c = decode_ok(build(&p), 0); /* no reason at all: 03 01 00 */
	ocspkit_crl_free(c);
	p.exts = T(0xA0, T(0x30, ext(OID_AKI, 0, raw("3003040101"))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_DER_TRAILING_DATA, raw("040101"));
	p.exts = T(0xA0, T(0x30, ext(OID_FRESHEST, 0, raw("3000"))));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_DER_SIZE, cat(2, raw("3000"), p.outer_alg));
}

static void rules_der(void)
{
	crl_parts p;
	blob b;
	ocspkit_crl *c;
	(void)b;
	(void)c;

	/* DER around it */
	p = defaults();
	b = build(&p);
	b.d[b.n++] = 0x00;
	check_refused(__LINE__, b, 0, OCSPKIT_E_DER_TRAILING_DATA, b.n - 1);
	p.sig = T(0x03, cat(2, raw("01"), fill(0x5A, 63), raw("5E")));
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_BAD_SIGNATURE_BITS, p.sig);
	p = defaults();
	p.issuer = raw("3081023100");
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_DER_NONMINIMAL_LENGTH, p.issuer);
	p = defaults();
	p.revoked = T(0x30, T(0x30, cat(2, raw("020101"), UT("240101000000Z"))));
	p.revoked.d[2] = 0x31; /* the entry as a SET */
	CHECK_REFUSED(build(&p), 0, OCSPKIT_E_DER_UNEXPECTED_TAG, raw("3112"));

	/* arguments and size */
	b = build(&p);
	CHECK_ERR(ocspkit_crl_decode(NULL, b.d, b.n, 0, NULL), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_crl_decode(&c, NULL, 5, 0, NULL), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK(c == NULL);
	CHECK_ERR(ocspkit_crl_decode(&c, b.d, OCSPKIT_MAX_CRL_SIZE + 1, 0, NULL), OCSPKIT_E_LIMIT_INPUT_SIZE);
	CHECK_ERR(ocspkit_crl_decode(&c, b.d, 0, 0, NULL), OCSPKIT_E_DER_TRUNCATED);
}

static void test_rules(void)
{
	rules_version();
	rules_v1_extensions();
	rules_empty_list();
	rules_times();
	rules_serials();
	rules_extensions();
	rules_numbers();
	rules_idp();
	rules_der();
}

/* 5.2, 5.3: an unknown critical extension makes the CRL unusable, not
 * malformed; an unknown non-critical one is nothing. */
static void test_unknown_critical(void)
{
	crl_parts p = defaults();
	ocspkit_crl *c;
	p.exts = T(0xA0, T(0x30, ext(OID_UNKNOWN, 0, raw("0500"))));
	c = decode_ok(build(&p), 0);
	CHECK(c && !ocspkit_crl_has_unknown_critical_extension(c));
	ocspkit_crl_free(c);
	p.exts = T(0xA0, T(0x30, ext(OID_UNKNOWN, 1, raw("0500"))));
	c = decode_ok(build(&p), 0);
	CHECK(c && ocspkit_crl_has_unknown_critical_extension(c));
	ocspkit_crl_free(c);
	/* an entry extension where a CRL extension belongs is not processed */
	p.exts = T(0xA0, T(0x30, ext(OID_REASON, 1, raw("0A0101"))));
	c = decode_ok(build(&p), 0);
	CHECK(c && ocspkit_crl_has_unknown_critical_extension(c));
	ocspkit_crl_free(c);
	p = defaults();
	p.revoked = T(0x30, entry(raw("020101"), UT("240101000000Z"), ext(OID_UNKNOWN, 1, raw("0500"))));
	c = decode_ok(build(&p), 0);
	CHECK(c && ocspkit_crl_has_unknown_critical_extension(c));
	ocspkit_crl_free(c);
	p.revoked = T(0x30, entry(raw("020101"), UT("240101000000Z"), ext(OID_CRL_NUMBER, 1, raw("020101"))));
	c = decode_ok(build(&p), 0);
	CHECK(c && ocspkit_crl_has_unknown_critical_extension(c));
	ocspkit_crl_free(c);
}

/* ---------------------------------------------------------------- the index */

typedef struct {
	ocspkit_bytes *serials;
} fake_crl;

static ocspkit_bytes fake_serial(const void *arg, uint32_t idx)
{
	return ((const fake_crl *)arg)->serials[idx];
}

/* The index alone, with hashes chosen to collide: every serial found at
 * its first position, the order (hash, serial, position) kept, a bucket of
 * every entry searched in O(log n). */
static void test_index_collisions(void)
{
	enum { N = 300 };
	static uint8_t store[N][3];
	ocspkit_bytes serials[N];
	okit_crl_slot in[N], slots[N];
	uint32_t starts[(1u << 8) + 1];
	fake_crl f = { serials };

	for (int mode = 0; mode < 3; mode++) {
		for (int i = 0; i < N; i++) {
			/* serials 0..149 twice (duplicates), of lengths 1 and 2 */
			int v = i % 150;
			store[i][0] = (uint8_t)(v >> 8), store[i][1] = (uint8_t)v;
			serials[i] = v < 128 ? (ocspkit_bytes){ &store[i][1], 1 } : (ocspkit_bytes){ store[i], 2 };
			if (v >= 128)
				store[i][0] = 0; /* 00 80.. : positive, minimal */
			uint32_t h = mode == 0 ? 0x80000000u : mode == 1 ? (uint32_t)(v % 3) << 30
					    : okit_serial_hash(serials[i].data, serials[i].len);
			in[i] = (okit_crl_slot){ h, (uint32_t)i };
		}
		okit_crl_index ix = { slots, starts, okit_crl_index_bits(N), N, fake_serial, &f };
		CHECK(ix.bits == 7);
		okit_crl_index_build(&ix, in);
		CHECK(starts[0] == 0 && starts[1u << ix.bits] == N);
		for (int i = 1; i < N; i++) {
			const okit_crl_slot *a = &slots[i - 1], *b = &slots[i];
			int c = okit_serial_cmp(serials[a->idx], serials[b->idx]);
			CHECK(a->hash < b->hash || (a->hash == b->hash && (c < 0 || (c == 0 && a->idx < b->idx))));
		}
		for (int i = 0; i < 150; i++) {
			size_t at = okit_crl_index_find(&ix, serials[i], in[i].hash);
			CHECK(at < N && slots[at].idx == (uint32_t)i);
			CHECK(at + 1 < N && slots[at + 1].idx == (uint32_t)(i + 150));
		}
		uint8_t absent[2] = { 0x7F, 0x7F };
		CHECK(okit_crl_index_find(&ix, (ocspkit_bytes){ absent, 2 }, in[0].hash) == N);
	}
	/* empty, and sizes */
	okit_crl_index empty = { slots, starts, 0, 0, fake_serial, &f };
	okit_crl_index_build(&empty, in);
	CHECK(okit_crl_index_find(&empty, serials[0], 0) == 0);
	CHECK(okit_crl_index_bits(0) == 0 && okit_crl_index_bits(4) == 0 && okit_crl_index_bits(5) == 1);
	CHECK(okit_crl_index_bits((size_t)1 << 40) == 24);
	CHECK(okit_serial_hash((const uint8_t *)"\x01", 1) != okit_serial_hash((const uint8_t *)"\x00\x01", 2));
	CHECK(okit_serial_cmp((ocspkit_bytes){ (const uint8_t *)"\x02", 1 },
			      (ocspkit_bytes){ (const uint8_t *)"\x01\x00", 2 }) < 0);
}

/* A CRL of n entries made by the encoder, serials of every length from 1
 * to 20 octets (with and without the sign octet), every fourth with a
 * reason. */
static uint8_t *make_big(size_t n, uint8_t (*ser)[21], okit_crl_entry_spec *es, size_t *len)
{
	static const uint8_t reason_kc[] = { 0x0A, 0x01, 0x01 };
	static const ocspkit_extension rext = { OCSPKIT_EXT_CRL_REASON, { NULL, 0 }, 0, { reason_kc, 3 } };
	uint32_t x = 0x1234567;
	blob issuer = cn_name("Big CA");
	for (size_t i = 0; i < n; i++) {
		size_t l = 3 + i % 18;
		for (size_t k = 0; k < 21; k++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			ser[i][k] = (uint8_t)x;
		}
		ser[i][1] |= 1;
		ser[i][l - 1] = (uint8_t)(i >> 8), ser[i][l] = (uint8_t)i; /* unique */
		if (ser[i][1] & 0x80) { /* a sign octet, then l octets */
			ser[i][0] = 0;
			es[i].serial = (ocspkit_bytes){ ser[i], l + 1 };
		} else {
			es[i].serial = (ocspkit_bytes){ ser[i] + 1, l };
		}
		es[i].revocation_date = 1700000000 + (int64_t)i;
		es[i].extensions = i % 4 ? NULL : &rext;
		es[i].extension_count = i % 4 ? 0 : 1;
	}
	okit_crl_spec s;
	memset(&s, 0, sizeof(s));
	s.version = 1;
	s.signature.oid = (ocspkit_bytes){ (const uint8_t *)"\x2B\x65\x70", 3 };
	s.issuer = (ocspkit_bytes){ issuer.d, issuer.n };
	s.this_update = 1750000000;
	s.entries = es;
	s.entry_count = n;
	uint8_t *tbs, *der, sig[64];
	size_t tl;
	memset(sig, 0x5A, sizeof(sig));
	if (okit_crl_tbs_write(&tbs, &tl, &s) ||
	    okit_crl_assemble(&der, len, (ocspkit_bytes){ tbs, tl }, &s.signature, (ocspkit_bytes){ sig, 64 }))
		abort();
	ocspkit_free(tbs);
	return der;
}

static void test_find(void)
{
	enum { N = 5000 };
	static uint8_t ser[N][21];
	static okit_crl_entry_spec es[N];
	size_t len;
	uint8_t *der = make_big(N, ser, es, &len);
	ocspkit_crl *c = NULL;
	CHECK_OK(ocspkit_crl_decode(&c, der, len, 0, NULL));
	if (c) {
		ocspkit_crl_entry e;
		size_t wrong = 0;
		CHECK(ocspkit_crl_get_entry_count(c) == N);
		for (size_t i = 0; i < N; i++) {
			if (ocspkit_crl_find(&e, c, es[i].serial) != OCSPKIT_OK || e.index != i ||
			    e.revocation_date != es[i].revocation_date || e.has_reason != (i % 4 == 0) ||
			    e.serial.len != es[i].serial.len)
				wrong++;
			/* one octet more or less is another serial */
			uint8_t other[22];
			memcpy(other, es[i].serial.data, es[i].serial.len);
			other[es[i].serial.len] = 0x00;
			if (ocspkit_crl_find(&e, c, (ocspkit_bytes){ other, es[i].serial.len + 1 }) != OCSPKIT_E_NOT_FOUND)
				wrong++;
		}
		CHECK(wrong == 0);
		CHECK_ERR(ocspkit_crl_find(&e, c, (ocspkit_bytes){ NULL, 0 }), OCSPKIT_E_INVALID_ARGUMENT);
		CHECK_ERR(ocspkit_crl_find(NULL, c, es[0].serial), OCSPKIT_E_INVALID_ARGUMENT);
		CHECK_ERR(ocspkit_crl_find(&e, NULL, es[0].serial), OCSPKIT_E_INVALID_ARGUMENT);
		ocspkit_crl_free(c);
	}
	/* the encoder: what it writes decodes, and writes again the same */
	okit_crl_entry_spec bad = es[0];
	bad.serial = (ocspkit_bytes){ (const uint8_t *)"\x00\x01", 2 };
	okit_crl_spec s;
	memset(&s, 0, sizeof(s));
	blob issuer = cn_name("X");
	s.version = 1;
	s.signature.oid = (ocspkit_bytes){ (const uint8_t *)"\x2B\x65\x70", 3 };
	s.issuer = (ocspkit_bytes){ issuer.d, issuer.n };
	s.entries = &bad;
	s.entry_count = 1;
	uint8_t *out;
	size_t ol;
	CHECK_ERR(okit_crl_tbs_write(&out, &ol, &s), OCSPKIT_E_INVALID_ARGUMENT);
	s.entries = es;
	s.version = 0;
	CHECK_ERR(okit_crl_tbs_write(&out, &ol, &s), OCSPKIT_E_INVALID_ARGUMENT); /* entry extensions in v1 */
	s.version = 2;
	CHECK_ERR(okit_crl_tbs_write(&out, &ol, &s), OCSPKIT_E_INVALID_ARGUMENT);
	s.version = 1;
	s.this_update = okit_time_from_civil(1949, 12, 31, 0, 0, 0);
	CHECK_ERR(okit_crl_tbs_write(&out, &ol, &s), OCSPKIT_E_INVALID_ARGUMENT);
	s.this_update = okit_time_from_civil(2049, 12, 31, 23, 59, 59);
	s.has_next_update = 1;
	s.next_update = okit_time_from_civil(2050, 1, 1, 0, 0, 0);
	CHECK_OK(okit_crl_tbs_write(&out, &ol, &s));
	if (out) {
		CHECK(ol > 36 && memmem(out, ol, "\x17\x0D" "491231235959Z", 15) && memmem(out, ol, "\x18\x0F" "20500101000000Z", 17));
		ocspkit_free(out);
	}
	CHECK_ERR(okit_crl_assemble(&out, &ol, (ocspkit_bytes){ der, 5 }, &s.signature, (ocspkit_bytes){ der, 1 }),
		  OCSPKIT_E_INVALID_ARGUMENT);
	ocspkit_free(der);
}

/* Listed twice: alike is fine (the first is returned), different is a
 * conflict; the same serial of another issuer is another certificate. */
static void test_duplicates(void)
{
	crl_parts p = defaults();
	ocspkit_crl_entry e;
	ocspkit_bytes s7 = { (const uint8_t *)"\x07", 1 };
	p.revoked = T(0x30, cat(3, entry(raw("020107"), UT("240101000000Z"), reason(1)),
				entry(raw("020108"), UT("240101000000Z"), none()),
				entry(raw("020107"), UT("240101000000Z"), reason(1))));
	ocspkit_crl *c = decode_ok(build(&p), 0);
	if (c) {
		CHECK_OK(ocspkit_crl_find(&e, c, s7));
		CHECK(e.index == 0);
		ocspkit_crl_free(c);
	}
	p.revoked = T(0x30, cat(3, entry(raw("020107"), UT("240101000000Z"), reason(1)),
				entry(raw("020108"), UT("240101000000Z"), none()),
				entry(raw("020107"), UT("240101000000Z"), reason(4))));
	c = decode_ok(build(&p), 0);
	if (c) {
		CHECK_ERR(ocspkit_crl_find(&e, c, s7), OCSPKIT_E_CRL_ENTRY_CONFLICT);
		ocspkit_crl_free(c);
	}
	p.revoked = T(0x30, cat(2, entry(raw("020107"), UT("240101000000Z"), none()),
				entry(raw("020107"), UT("240102000000Z"), none())));
	c = decode_ok(build(&p), 0);
	if (c) {
		CHECK_ERR(ocspkit_crl_find(&e, c, s7), OCSPKIT_E_CRL_ENTRY_CONFLICT);
		ocspkit_crl_free(c);
	}
}

/* RFC 5280 5.3.3: in an indirect CRL, entries belong to the CRL issuer
 * until the first certificateIssuer, then to the issuer it names until the
 * next one. */
static void test_indirect(void)
{
	crl_parts p = defaults();
	blob ca2 = cn_name("CA two"), ca3 = cn_name("CA three");
	blob ci2 = ext(OID_CERT_ISSUER, 1, T(0x30, T(0xA4, ca2)));
	blob ci_self = ext(OID_CERT_ISSUER, 1, T(0x30, cat(2, T(0x86, bytes("http://x", 8)), T(0xA4, p.issuer))));
	blob ci_uri = ext(OID_CERT_ISSUER, 1, T(0x30, T(0x86, bytes("http://ca3", 10))));
	p.exts = T(0xA0, T(0x30, ext(OID_IDP, 1, raw("30038401FF"))));
	p.revoked = T(0x30, cat(6, entry(raw("020105"), UT("240101000000Z"), reason(1)),       /* the CRL issuer's */
				entry(raw("020106"), UT("240102000000Z"), ci2),             /* CA two's */
				entry(raw("020105"), UT("240103000000Z"), reason(4)),       /* CA two's too */
				entry(raw("020109"), UT("240104000000Z"), ci_self),         /* the CRL issuer's again */
				entry(raw("02010A"), UT("240105000000Z"), ci_uri),          /* an issuer named by URI */
				entry(raw("02010B"), UT("240106000000Z"), none())));
	ocspkit_crl *c = decode_ok(build(&p), 0);
	if (!c)
		return;
	ocspkit_crl_entry e;
	ocspkit_crl_idp idp;
	ocspkit_bytes s5 = { (const uint8_t *)"\x05", 1 }, s6 = { (const uint8_t *)"\x06", 1 },
		      s9 = { (const uint8_t *)"\x09", 1 }, sb = { (const uint8_t *)"\x0B", 1 };
	ocspkit_bytes n2 = { ca2.d, ca2.n }, n3 = { ca3.d, ca3.n }, self = { p.issuer.d, p.issuer.n };
	CHECK_OK(ocspkit_crl_get_issuing_distribution_point(&idp, c));
	CHECK(idp.indirect_crl);
	CHECK_OK(ocspkit_crl_find(&e, c, s5));
	CHECK(e.index == 0 && e.certificate_issuer.len == 0 && e.reason == OCSPKIT_REASON_KEY_COMPROMISE);
	CHECK_OK(ocspkit_crl_find_issued_by(&e, c, n2, s5));
	CHECK(e.index == 2 && e.reason == OCSPKIT_REASON_SUPERSEDED && e.certificate_issuer.len == ca2.n + 2);
	CHECK_OK(ocspkit_crl_find_issued_by(&e, c, n2, s6));
	CHECK(e.index == 1);
	CHECK_ERR(ocspkit_crl_find(&e, c, s6), OCSPKIT_E_NOT_FOUND);
	CHECK_OK(ocspkit_crl_find(&e, c, s9));
	CHECK(e.index == 3 && e.certificate_issuer.len > 0);
	CHECK_OK(ocspkit_crl_find_issued_by(&e, c, self, s9));
	CHECK_ERR(ocspkit_crl_find_issued_by(&e, c, n2, s9), OCSPKIT_E_NOT_FOUND);
	/* named by URI only: no directoryName to match any Name */
	CHECK_ERR(ocspkit_crl_find_issued_by(&e, c, n3, sb), OCSPKIT_E_NOT_FOUND);
	CHECK_ERR(ocspkit_crl_find(&e, c, sb), OCSPKIT_E_NOT_FOUND);
	CHECK_OK(ocspkit_crl_get_entry(&e, c, 5));
	CHECK(e.certificate_issuer.len == 12 && e.certificate_issuer.data[0] == 0x86);
	CHECK_ERR(ocspkit_crl_find_issued_by(&e, c, (ocspkit_bytes){ NULL, 0 }, s5), OCSPKIT_E_INVALID_ARGUMENT);
	ocspkit_crl_free(c);
}

/* A delta CRL (5.2.4): its base, and removeFromCRL. */
static void test_delta(void)
{
	crl_parts p = defaults();
	p.exts = T(0xA0, T(0x30, cat(2, ext(OID_CRL_NUMBER, 0, raw("020109")), ext(OID_DELTA, 1, raw("020107")))));
	p.revoked = T(0x30, cat(2, entry(raw("020120"), UT("240101000000Z"), reason(8)),
				entry(raw("020121"), UT("240101000000Z"), reason(6))));
	ocspkit_crl *c = decode_ok(build(&p), 0);
	ocspkit_bytes v;
	ocspkit_crl_entry e;
	if (!c)
		return;
	CHECK(ocspkit_crl_is_delta(c));
	CHECK_OK(ocspkit_crl_get_base_number(&v, c));
	CHECK_BYTES(v, "\x07", 1);
	CHECK_OK(ocspkit_crl_get_number(&v, c));
	CHECK_BYTES(v, "\x09", 1);
	CHECK_OK(ocspkit_crl_find(&e, c, (ocspkit_bytes){ (const uint8_t *)"\x20", 1 }));
	CHECK(e.has_reason && e.reason == OCSPKIT_REASON_REMOVE_FROM_CRL);
	char *text;
	CHECK_OK(ocspkit_crl_print(&text, c));
	if (text) {
		CHECK(strstr(text, "            X509v3 Delta CRL Indicator: critical\n                7\n"));
		CHECK(strstr(text, "                Remove From CRL\n"));
		ocspkit_free(text);
	}
	ocspkit_crl_free(c);
}

/* ---------------------------------------------------------------- verification */

static blob signed_crl(crl_parts *p, const ocspkit_privkey *key)
{
	p->alg = pki_sign_alg(key, NULL);
	return pki_signed(tbs_of(p), key, NULL);
}

static void test_verify(void)
{
	ocspkit_privkey *key = pki_ed25519_fixed(0x21), *other = pki_ed25519_fixed(0x22),
			*p256 = pki_key(OCSPKIT_KEY_EC_P256, 1);
	ocspkit_cert *ca = pki_ca_cert("Test CA", key), *ca_other_key = pki_ca_cert("Test CA", other),
		     *ca_other_name = pki_ca_cert("Another CA", key), *ca_ec = pki_ca_cert("Test CA", p256);
	pki_cert_spec s;
	memset(&s, 0, sizeof(s));
	s.subject = s.issuer = "Test CA";
	s.ca = 1;
	s.key = s.issuer_key = key;
	s.ku = 0x04; /* keyCertSign without cRLSign */
	ocspkit_cert *ca_no_crl_sign = pki_cert(&s);
	s.ku = PKI_KU_NONE;
	ocspkit_cert *ca_no_ku = pki_cert(&s);

	crl_parts p = defaults();
	p.revoked = T(0x30, entry(raw("020105"), UT("240101000000Z"), reason(1)));
	blob b = signed_crl(&p, key);
	ocspkit_crl *c = decode_ok(b, 0);
	if (c) {
		CHECK_OK(ocspkit_crl_verify(c, ca));
		CHECK_OK(ocspkit_crl_verify(c, ca_no_ku));
		CHECK_ERR(ocspkit_crl_verify(c, ca_no_crl_sign), OCSPKIT_E_CRL_SIGNER_NO_CRL_SIGN);
		CHECK_ERR(ocspkit_crl_verify(c, ca_other_name), OCSPKIT_E_CRL_ISSUER_MISMATCH);
		CHECK_ERR(ocspkit_crl_verify(c, ca_other_key), OCSPKIT_E_SIGNATURE_INVALID);
		CHECK_ERR(ocspkit_crl_verify(c, ca_ec), OCSPKIT_E_KEY_ALGORITHM_MISMATCH);
		CHECK_ERR(ocspkit_crl_verify(NULL, ca), OCSPKIT_E_INVALID_ARGUMENT);
		CHECK_ERR(ocspkit_crl_verify(c, NULL), OCSPKIT_E_INVALID_ARGUMENT);
		ocspkit_crl_free(c);
	}
	b.d[b.n - 1] ^= 1; /* the signature */
	c = decode_ok(b, 0);
	if (c) {
		CHECK_ERR(ocspkit_crl_verify(c, ca), OCSPKIT_E_SIGNATURE_INVALID);
		ocspkit_crl_free(c);
	}
	/* 5.1.1.2: the algorithm inside and outside the signed part */
	p.alg = pki_sign_alg(key, NULL);
	blob tbs = tbs_of(&p);
	blob mismatch = pki_signed(tbs, p256, NULL);
	c = decode_ok(mismatch, 0);
	if (c) {
		CHECK_ERR(ocspkit_crl_verify(c, ca_ec), OCSPKIT_E_SIGNATURE_ALGORITHM_MISMATCH);
		ocspkit_crl_free(c);
	}
	/* signed, but with an extension that forbids its use */
	p = defaults();
	p.exts = T(0xA0, T(0x30, ext(OID_UNKNOWN, 1, raw("0500"))));
	c = decode_ok(signed_crl(&p, key), 0);
	if (c) {
		CHECK_ERR(ocspkit_crl_verify(c, ca), OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION);
		CHECK_ERR(ocspkit_crl_verify(c, ca_other_key), OCSPKIT_E_SIGNATURE_INVALID);
		ocspkit_crl_free(c);
	}
	/* P-256 with SHA-256 */
	p = defaults();
	c = decode_ok(signed_crl(&p, p256), 0);
	if (c) {
		CHECK_OK(ocspkit_crl_verify(c, ca_ec));
		ocspkit_crl_free(c);
	}
	ocspkit_cert_free(ca);
	ocspkit_cert_free(ca_other_key);
	ocspkit_cert_free(ca_other_name);
	ocspkit_cert_free(ca_ec);
	ocspkit_cert_free(ca_no_crl_sign);
	ocspkit_cert_free(ca_no_ku);
	ocspkit_privkey_free(key);
	ocspkit_privkey_free(other);
	ocspkit_privkey_free(p256);
}

/* ---------------------------------------------------------------- text */

static void test_print(void)
{
	crl_parts p = defaults();
	p.version = none();
	p.next_update = none();
	ocspkit_crl *c = decode_ok(build(&p), 0);
	char *text = NULL;
	if (c) {
		CHECK_OK(ocspkit_crl_print(&text, c));
		static const char want[] = "Certificate Revocation List (CRL):\n        Version 1 (0x0)\n"
					   "        Signature Algorithm: ED25519\n        Issuer: CN = Test CA\n"
					   "        Last Update: Jan  1 00:00:00 2026 GMT\n        Next Update: NONE\n"
					   "No Revoked Certificates.\n    Signature Algorithm: ED25519\n    Signature Value:\n"
					   "        5a:5a:";
		CHECK(text && strncmp(text, want, sizeof(want) - 1) == 0);
		ocspkit_free(text);
		CHECK_ERR(ocspkit_crl_print(NULL, c), OCSPKIT_E_INVALID_ARGUMENT);
		ocspkit_crl_free(c);
	}
	p = defaults();
	p.exts = T(0xA0, T(0x30, cat(2, ext(OID_CRL_NUMBER, 0, T(0x02, fill(0x7F, 17))), ext(OID_UNKNOWN, 1, raw("0C026869")))));
	p.revoked = T(0x30, cat(2, entry(raw("0202FF7F"), UT("240101000000Z"), ext(OID_CERT_ISSUER, 1, T(0x30, T(0xA4, cn_name("A/B+C"))))),
				entry(raw("020101"), UT("240101000000Z"), ext(OID_INVALIDITY, 0, GT("20231231120000.5Z")))));
	c = decode_ok(build(&p), OCSPKIT_DECODE_ALLOW_NEGATIVE_SERIAL);
	if (c) {
		CHECK_OK(ocspkit_crl_print(&text, c));
		if (text) {
			/* above 2^127: hex; an unknown value as OpenSSL's ASN1_STRING_print */
			CHECK(strstr(text, "            X509v3 CRL Number: \n                0x7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F\n"));
			CHECK(strstr(text, "            1.2.3.4: critical\n                ..hi\n"));
			CHECK(strstr(text, "    Serial Number: -81\n"));
			CHECK(strstr(text, "                DirName:/CN=A\\/B\\+C\n"));
			CHECK(strstr(text, "            Invalidity Date: \n                Dec 31 12:00:00.5 2023 GMT\n"));
			ocspkit_free(text);
		}
		ocspkit_crl_free(c);
	}
}

/* ---------------------------------------------------------------- allocation */

static void test_alloc_failures(void)
{
	crl_parts p = defaults();
	blob ci = ext(OID_CERT_ISSUER, 1, T(0x30, T(0xA4, cn_name("CA two"))));
	blob list = none();
	/* nine changes of certificate issuer: the list of changes grows */
	for (int i = 1; i <= 9; i++) {
		uint8_t s[3] = { 0x02, 0x01, (uint8_t)i };
		list = cat(2, list, entry(bytes(s, 3), UT("240101000000Z"), ci));
	}
	p.revoked = T(0x30, list);
	p.exts = T(0xA0, T(0x30, ext(OID_CRL_NUMBER, 0, raw("020101"))));
	blob b = build(&p);
	int failed = 0;
	for (long n = 1; n < 50; n++) {
		ocspkit_crl *c = NULL;
		okit_alloc_fail_at(n);
		ocspkit_err e = ocspkit_crl_decode(&c, b.d, b.n, 0, NULL);
		long used = okit_alloc_fail_at(0);
		if (used < n) {
			CHECK_OK(e);
			ocspkit_crl_free(c);
			break;
		}
		CHECK_ERR(e, OCSPKIT_E_NO_MEMORY);
		CHECK(c == NULL);
		failed++;
	}
	CHECK(failed >= 4); /* the block, the slots in order, the changes twice */
	ocspkit_crl *c = decode_ok(b, 0);
	if (!c)
		return;
	failed = 0;
	for (long n = 1; n < 100; n++) {
		char *text = NULL;
		okit_alloc_fail_at(n);
		ocspkit_err e = ocspkit_crl_print(&text, c);
		long used = okit_alloc_fail_at(0);
		if (used < n) {
			CHECK_OK(e);
			ocspkit_free(text);
			break;
		}
		CHECK_ERR(e, OCSPKIT_E_NO_MEMORY);
		failed++;
	}
	CHECK(failed >= 2);
	ocspkit_crl_free(c);
}

/* general_names_next on what is not a run of elements */
static void test_general_names(void)
{
	ocspkit_bytes gn, names = { (const uint8_t *)"\x86\x05" "abc", 5 };
	CHECK_ERR(ocspkit_general_names_next(&gn, &names), OCSPKIT_E_DER_TRUNCATED);
	CHECK_ERR(ocspkit_general_names_next(NULL, &names), OCSPKIT_E_INVALID_ARGUMENT);
	names = (ocspkit_bytes){ NULL, 0 };
	CHECK_ERR(ocspkit_general_names_next(&gn, &names), OCSPKIT_E_NOT_FOUND);
}

int main(void)
{
	test_fields();
	test_absent();
	test_idp_forms();
	test_rules();
	test_unknown_critical();
	test_index_collisions();
	test_find();
	test_duplicates();
	test_indirect();
	test_delta();
	test_verify();
	test_print();
	test_alloc_failures();
	test_general_names();
	CHECK_DONE();
}
