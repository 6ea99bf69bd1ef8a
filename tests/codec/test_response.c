/* Unit tests of codec/response.c: decoding every field, the strict-DER
 * refusals with their codes and offsets, encoding and round trips. */
#include <config.h>

#include "alloc.h"
#include "tests/lib/build.h"
#include "civil.h"
#include "oid.h"

#define SHA1_OID "06052B0E03021A"
#define SHA256_RSA "06092A864886F70D01010B0500"
#define BASIC_OID "06092B0601050507300101"
#define NONCE_OID "06092B0601050507300102"
#define HASH20 "0102030405060708090A0B0C0D0E0F1011121314"
#define HASH20B "A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4"

/* The variable parts of a hand-built response. */
typedef struct {
	blob version;     /* [0] version, or none */
	blob responder;   /* ResponderID */
	blob produced;    /* producedAt */
	blob singles;     /* content of responses */
	blob exts;        /* [1] responseExtensions, or none */
	blob sig;         /* signature BIT STRING */
	blob certs;       /* [0] certs, or none */
	blob status;      /* responseStatus */
	blob type;        /* responseType */
	blob tail_basic;  /* bytes after BasicOCSPResponse inside the OCTET STRING */
	blob tail;        /* bytes after the whole response */
} resp_parts;

static blob cert_id(const char *serial_hex)
{
	return T(0x30, cat(4, T(0x30, raw(SHA1_OID "0500")), T(0x04, raw(HASH20)), T(0x04, raw(HASH20B)),
			   T(0x02, raw(serial_hex))));
}

static blob single(const char *serial, blob status, blob next, blob exts)
{
	return T(0x30, cat(5, cert_id(serial), status, GT("20261122000000Z"), next, exts));
}

static resp_parts defaults(void)
{
	resp_parts p;
	p.version = none();
	p.responder = T(0xA2, T(0x04, raw(HASH20)));
	p.produced = GT("20261122010000Z");
	p.singles = single("01", raw("8000"), T(0xA0, GT("20261129000000Z")), none());
	p.exts = none();
	p.sig = T(0x03, raw("00 DEADBEEF"));
	p.certs = none();
	p.status = raw("0A0100");
	p.type = raw(BASIC_OID);
	p.tail_basic = none();
	p.tail = none();
	return p;
}

static blob build(const resp_parts *p)
{
	blob rdata = T(0x30, cat(5, p->version, p->responder, p->produced, T(0x30, p->singles), p->exts));
	blob basic = T(0x30, cat(4, rdata, T(0x30, raw(SHA256_RSA)), p->sig, p->certs));
	blob rb = T(0xA0, T(0x30, cat(2, p->type, T(0x04, cat(2, basic, p->tail_basic)))));
	return cat(2, T(0x30, cat(2, p->status, rb)), p->tail);
}

static ocspkit_err decode_flags(const blob *b, unsigned flags, size_t *off)
{
	ocspkit_response *r = NULL;
	ocspkit_err e = ocspkit_response_decode(&r, b->d, b->n, flags, off);
	ocspkit_response_free(r);
	return e;
}

static ocspkit_err decode(const resp_parts *p)
{
	blob b = build(p);
	return decode_flags(&b, 0, NULL);
}

/* encode(decode(der)) == der, through every accessor */
static int round_trips(const uint8_t *der, size_t len)
{
	ocspkit_response *r;
	ocspkit_response_tbs d;
	ocspkit_signature_block sig;
	uint8_t *tbs, *out;
	size_t tbs_len, out_len;
	int ok = 0;

	if (ocspkit_response_decode(&r, der, len, 0, NULL))
		return 0;
	if (ocspkit_response_get_status(r) != OCSPKIT_RESPONSE_SUCCESSFUL) {
		ok = ocspkit_response_encode_status(&out, &out_len, ocspkit_response_get_status(r)) == OCSPKIT_OK &&
		     out_len == len && memcmp(out, der, len) == 0;
		if (ok)
			ocspkit_free(out);
		ocspkit_response_free(r);
		return ok;
	}
	CHECK_OK(ocspkit_response_get_tbs(&d, r));
	CHECK_OK(ocspkit_response_get_signature(&sig, r));
	if (ocspkit_response_tbs_encode(&tbs, &tbs_len, &d) == OCSPKIT_OK) {
		ocspkit_bytes orig = { NULL, 0 };
		CHECK_OK(ocspkit_response_get_tbs_der(&orig, r));
		if (tbs_len == orig.len && memcmp(tbs, orig.data, tbs_len) == 0 &&
		    ocspkit_response_assemble(&out, &out_len, (ocspkit_bytes){ tbs, tbs_len }, &sig) == OCSPKIT_OK) {
			ok = out_len == len && memcmp(out, der, len) == 0;
			ocspkit_free(out);
			/* the struct and the signature give the same, in one call */
			ok = ok && ocspkit_response_encode(&out, &out_len, &d, &sig) == OCSPKIT_OK;
			ok = ok && out_len == len && memcmp(out, der, len) == 0;
			if (ok)
				ocspkit_free(out);
		}
		ocspkit_free(tbs);
	}
	ocspkit_response_free(r);
	return ok;
}

static void test_fields(void)
{
	resp_parts p = defaults();
	p.singles = cat(3, single("01", raw("8000"), T(0xA0, GT("20261129000000Z")), none()),
			single("00FF", T(0xA1, cat(2, GT("20250101120000Z"), T(0xA0, raw("0A0101")))), none(),
			       T(0xA1, T(0x30, T(0x30, cat(2, raw("0603551D15"), T(0x04, raw("0A0101"))))))),
			single("7F", raw("8200"), none(), none()));
	p.exts = T(0xA1, T(0x30, T(0x30, cat(2, raw(NONCE_OID), T(0x04, T(0x04, raw("00112233445566778899")))))));
	p.certs = T(0xA0, T(0x30, cat(2, T(0x30, raw("020101")), T(0x30, raw("020102")))));
	blob b = build(&p);

	ocspkit_response *r;
	ocspkit_response_tbs d;
	ocspkit_signature_block sig;
	ocspkit_bytes nonce;
	CHECK_OK(ocspkit_response_decode(&r, b.d, b.n, 0, NULL));
	if (!r)
		return;
	CHECK(ocspkit_response_get_status(r) == OCSPKIT_RESPONSE_SUCCESSFUL);
	CHECK_OK(ocspkit_response_get_tbs(&d, r));
	CHECK_OK(ocspkit_response_get_signature(&sig, r));
	CHECK(d.version == 0);
	CHECK(d.responder_id.type == OCSPKIT_RESPONDER_BY_KEY);
	uint8_t h20[20];
	unhex(HASH20, h20, 20);
	CHECK_BYTES(d.responder_id.value, h20, 20);
	CHECK(d.produced_at == okit_time_from_civil(2026, 11, 22, 1, 0, 0));
	CHECK(d.response_count == 3 && ocspkit_response_get_single_count(r) == 3);
	const ocspkit_single_response *s0 = ocspkit_response_get_single(r, 0), *s1 = ocspkit_response_get_single(r, 1),
				      *s2 = ocspkit_response_get_single(r, 2);
	CHECK(ocspkit_response_get_single(r, 3) == NULL);
	CHECK(s0->status == OCSPKIT_CERT_GOOD && s0->has_next_update &&
	      s0->next_update == okit_time_from_civil(2026, 11, 29, 0, 0, 0));
	CHECK(s0->this_update == okit_time_from_civil(2026, 11, 22, 0, 0, 0));
	CHECK(s0->cert_id.hash == OCSPKIT_HASH_SHA1 && s0->cert_id.serial.len == 1 && s0->cert_id.serial.data[0] == 1);
	CHECK(s0->cert_id.hash_algorithm.params.len == 2);
	CHECK_BYTES(s0->cert_id.issuer_name_hash, h20, 20);
	CHECK(s1->status == OCSPKIT_CERT_REVOKED && s1->has_revocation_reason &&
	      s1->revocation_reason == OCSPKIT_REASON_KEY_COMPROMISE &&
	      s1->revocation_time == okit_time_from_civil(2025, 1, 1, 12, 0, 0) && !s1->has_next_update);
	CHECK(s1->cert_id.serial.len == 2);
	CHECK(s1->extension_count == 1 && s1->extensions[0].type == OCSPKIT_EXT_CRL_REASON);
	ocspkit_crl_reason reason;
	CHECK_OK(ocspkit_ext_crl_reason(&reason, &s1->extensions[0]));
	CHECK(reason == OCSPKIT_REASON_KEY_COMPROMISE);
	CHECK(s2->status == OCSPKIT_CERT_UNKNOWN);
	CHECK_OK(ocspkit_response_get_nonce(&nonce, r));
	CHECK(nonce.len == 10 && nonce.data[9] == 0x99);
	CHECK(d.extension_count == 1 && d.extensions[0].type == OCSPKIT_EXT_NONCE && !d.extensions[0].critical);
	CHECK(sig.cert_count == 2 && sig.certs[1].len == 5);
	CHECK(sig.signature.len == 4 && sig.signature.data[0] == 0xDE);
	CHECK(okit_oid_id(OKIT_OID_SIG, sig.algorithm.oid) == OKIT_SIG_RSA_SHA256);

	/* lookup by full CertID */
	const ocspkit_single_response *found;
	ocspkit_cert_id id = s1->cert_id;
	CHECK_OK(ocspkit_response_find(&found, r, &id));
	CHECK(found == s1);
	uint8_t other[20];
	memcpy(other, h20, 20);
	other[0] ^= 1;
	id.issuer_name_hash = (ocspkit_bytes){ other, 20 };
	CHECK_ERR(ocspkit_response_find(&found, r, &id), OCSPKIT_E_NOT_FOUND);
	id = s1->cert_id;
	id.hash_algorithm.params = (ocspkit_bytes){ NULL, 0 }; /* absent == NULL */
	CHECK_OK(ocspkit_response_find(&found, r, &id));
	id = s1->cert_id;
	id.serial = s0->cert_id.serial; /* same serial, other status: matched on all fields */
	CHECK_OK(ocspkit_response_find(&found, r, &id));
	CHECK(found == s0);
	ocspkit_response_free(r);
	CHECK(round_trips(b.d, b.n));
}

#define INVALIDITY_DATE_OID "0603551D18"
#define ARCHIVE_CUTOFF_OID "06092B0601050507300106"
#define CRL_ID_OID "06092B0601050507300103"

/* Offset of the first occurrence of needle in b ((size_t)-1 if none). */
static size_t find(const blob *b, const blob *needle)
{
	for (size_t i = 0; i + needle->n <= b->n; i++)
		if (memcmp(b->d + i, needle->d, needle->n) == 0)
			return i;
	return (size_t)-1;
}

/* The seven GeneralizedTimes a response can carry: producedAt,
 * revocationTime, thisUpdate, nextUpdate, and in singleExtensions an
 * invalidity date, an archive cutoff and a CrlID's crlTime. */
enum { AT_PRODUCED, AT_REVOKED, AT_THIS, AT_NEXT, AT_INVALIDITY, AT_CUTOFF, AT_CRL_TIME, AT__N };
static const char *const whole_times[AT__N] = { "20261122010000Z", "20250101120000Z", "20261122000000Z",
						"20261129000000Z", "20241231235959Z", "20200101000000Z",
						"20261121000000Z" };

static blob time_response(const char *const t[AT__N])
{
	resp_parts p = defaults();
	blob exts = T(0xA1, T(0x30, cat(3, T(0x30, cat(2, raw(INVALIDITY_DATE_OID), T(0x04, GT(t[AT_INVALIDITY])))),
					T(0x30, cat(2, raw(ARCHIVE_CUTOFF_OID), T(0x04, GT(t[AT_CUTOFF])))),
					T(0x30, cat(2, raw(CRL_ID_OID), T(0x04, T(0x30, T(0xA2, GT(t[AT_CRL_TIME])))))))));
	p.produced = GT(t[AT_PRODUCED]);
	p.singles = T(0x30, cat(5, cert_id("01"), T(0xA1, cat(2, GT(t[AT_REVOKED]), T(0xA0, raw("0A0101")))),
				GT(t[AT_THIS]), T(0xA0, GT(t[AT_NEXT])), exts));
	return build(&p);
}

/* Fractional seconds in every GeneralizedTime of a response (X.690 11.7):
 * accepted as DER has them, kept digit for digit so that re-encoding
 * gives the same octets, printed as OpenSSL prints them; every other
 * form refused at the time's own offset. */
static void test_fractions(void)
{
	const char *const frac_times[AT__N] = { "20261122010000.5Z", "20250101120000.25Z", "20261122000000.123Z",
						"20261129000000.000001Z", "20241231235959.9Z",
						"20200101000000.75Z", "20261121000000.987654321Z" };
	blob b = time_response(frac_times);
	ocspkit_response *r;
	ocspkit_response_tbs d;
	CHECK_OK(ocspkit_response_decode(&r, b.d, b.n, 0, NULL));
	if (!r)
		return;
	CHECK_OK(ocspkit_response_get_tbs(&d, r));
	ocspkit_bytes copy = ocspkit_response_get_der(r);
	CHECK(d.produced_at == okit_time_from_civil(2026, 11, 22, 1, 0, 0));
	CHECK_BYTES(d.produced_at_fraction, "5", 1);
	CHECK(d.produced_at_fraction.data > copy.data && d.produced_at_fraction.data < copy.data + copy.len);
	const ocspkit_single_response *s = ocspkit_response_get_single(r, 0);
	CHECK(s->status == OCSPKIT_CERT_REVOKED && s->revocation_time == okit_time_from_civil(2025, 1, 1, 12, 0, 0));
	CHECK_BYTES(s->revocation_time_fraction, "25", 2);
	CHECK(s->this_update == okit_time_from_civil(2026, 11, 22, 0, 0, 0));
	CHECK_BYTES(s->this_update_fraction, "123", 3);
	CHECK(s->has_next_update && s->next_update == okit_time_from_civil(2026, 11, 29, 0, 0, 0));
	CHECK_BYTES(s->next_update_fraction, "000001", 6);

	/* the extensions: seconds from the typed readers, the fraction apart */
	int64_t t;
	ocspkit_bytes f;
	ocspkit_crl_id crl;
	CHECK(s->extension_count == 3);
	CHECK_OK(ocspkit_ext_invalidity_date(&t, &s->extensions[0]));
	CHECK(t == okit_time_from_civil(2024, 12, 31, 23, 59, 59));
	CHECK_OK(ocspkit_ext_time_fraction(&f, &s->extensions[0]));
	CHECK_BYTES(f, "9", 1);
	CHECK_OK(ocspkit_ext_archive_cutoff(&t, &s->extensions[1]));
	CHECK(t == okit_time_from_civil(2020, 1, 1, 0, 0, 0));
	CHECK_OK(ocspkit_ext_time_fraction(&f, &s->extensions[1]));
	CHECK_BYTES(f, "75", 2);
	CHECK_OK(ocspkit_ext_crl_id(&crl, &s->extensions[2]));
	CHECK(crl.has_time && crl.time == okit_time_from_civil(2026, 11, 21, 0, 0, 0));
	CHECK_OK(ocspkit_ext_time_fraction(&f, &s->extensions[2]));
	CHECK_BYTES(f, "987654321", 9);

	/* print: OpenSSL's ASN1_TIME_print form, the fraction after the seconds */
	char *text = NULL;
	CHECK_OK(ocspkit_response_print(&text, r));
	static const char *const lines[] = {
		"\n    Produced At: Nov 22 01:00:00.5 2026 GMT\n",
		"\n    Revocation Time: Jan  1 12:00:00.25 2025 GMT\n",
		"\n    This Update: Nov 22 00:00:00.123 2026 GMT\n",
		"\n    Next Update: Nov 29 00:00:00.000001 2026 GMT\n",
		"\n            Invalidity Date: \n                Dec 31 23:59:59.9 2024 GMT\n",
		"\n            OCSP Archive Cutoff: \n                Jan  1 00:00:00.75 2020 GMT\n",
		"crlTime: Nov 21 00:00:00.987654321 2026 GMT\n",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		CHECK(text && strstr(text, lines[i]));
		if (text && !strstr(text, lines[i]))
			fprintf(stderr, "  no %s in:\n%s", lines[i], text);
	}
	ocspkit_free(text);
	ocspkit_response_free(r);
	CHECK(round_trips(b.d, b.n));

	/* a whole-second time has an empty fraction */
	b = time_response(whole_times);
	CHECK_OK(ocspkit_response_decode(&r, b.d, b.n, 0, NULL));
	if (r) {
		CHECK_OK(ocspkit_response_get_tbs(&d, r));
		s = ocspkit_response_get_single(r, 0);
		CHECK(d.produced_at_fraction.len == 0 && s->revocation_time_fraction.len == 0 &&
		      s->this_update_fraction.len == 0 && s->next_update_fraction.len == 0);
		for (size_t i = 0; i < 3; i++) {
			f = (ocspkit_bytes){ (const uint8_t *)"unset", 5 };
			CHECK_OK(ocspkit_ext_time_fraction(&f, &s->extensions[i]));
			CHECK(f.len == 0);
		}
		ocspkit_response_free(r);
	}
	CHECK(round_trips(b.d, b.n));
	ocspkit_extension no_time = { OCSPKIT_EXT_CRL_ID, { NULL, 0 }, 0, { (const uint8_t *)"\x30\x00", 2 } };
	CHECK_ERR(ocspkit_ext_time_fraction(&f, &no_time), OCSPKIT_E_NOT_FOUND);
	ocspkit_extension nonce = { OCSPKIT_EXT_NONCE, { NULL, 0 }, 0, { (const uint8_t *)"\x04\x01\x00", 3 } };
	CHECK_ERR(ocspkit_ext_time_fraction(&f, &nonce), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_ext_time_fraction(NULL, &nonce), OCSPKIT_E_INVALID_ARGUMENT);

	/* refused in every position, with the offset of that time */
	static const struct {
		const char *tail; /* replaces the 'Z' of the whole-second time */
		ocspkit_err want;
	} bad[] = {
		{ ".50Z", OCSPKIT_E_DER_BAD_TIME },          /* trailing zero */
		{ ".0Z", OCSPKIT_E_DER_BAD_TIME },
		{ ".Z", OCSPKIT_E_DER_BAD_TIME },            /* a bare '.' */
		{ ",5Z", OCSPKIT_E_DER_BAD_TIME },           /* BER's comma */
		{ ".5", OCSPKIT_E_DER_BAD_TIME },            /* no Z: local time */
		{ ".5+0100", OCSPKIT_E_DER_BAD_TIME },       /* an offset */
		{ "-0100", OCSPKIT_E_DER_BAD_TIME },
		{ ".1234567891Z", OCSPKIT_E_LIMIT_TIME_FRACTION }, /* OCSPKIT_MAX_TIME_FRACTION_DIGITS + 1 */
	};
	for (int at = 0; at < AT__N; at++) {
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			char tbuf[AT__N][40];
			const char *t7[AT__N];
			for (int k = 0; k < AT__N; k++) {
				snprintf(tbuf[k], sizeof(tbuf[k]), "%.14s%s", whole_times[k], k == at ? bad[i].tail : "Z");
				t7[k] = tbuf[k];
			}
			b = time_response(t7);
			blob bad_time = GT(tbuf[at]);
			size_t off = 0, want_off = find(&b, &bad_time);
			CHECK_ERR(decode_flags(&b, 0, &off), bad[i].want);
			CHECK(off == want_off && want_off != (size_t)-1);
			if (off != want_off)
				fprintf(stderr, "  %s in position %d: offset %zu, want %zu\n", tbuf[at], at, off, want_off);
		}
	}
	/* the offset of producedAt written out, as a check on find(): after
	 * OCSPResponse, status, [0], ResponseBytes, the type, the OCTET STRING,
	 * BasicOCSPResponse and ResponseData headers (38 octets, long lengths)
	 * and the byKey responder ID (24) */
	const char *t7[AT__N] = { "20261122010000,5Z", whole_times[1], whole_times[2], whole_times[3],
				  whole_times[4],      whole_times[5], whole_times[6] };
	b = time_response(t7);
	size_t off = 0;
	CHECK_ERR(decode_flags(&b, 0, &off), OCSPKIT_E_DER_BAD_TIME);
	CHECK(off == 62);

	/* two answers for one CertID that differ only in the fraction of the
	 * revocation time conflict */
	resp_parts p = defaults();
	p.singles = cat(2, single("01", T(0xA1, GT("20250101120000.25Z")), none(), none()),
			single("01", T(0xA1, GT("20250101120000.5Z")), none(), none()));
	b = build(&p);
	CHECK_OK(ocspkit_response_decode(&r, b.d, b.n, 0, NULL));
	if (r) {
		const ocspkit_single_response *found;
		ocspkit_cert_id id = ocspkit_response_get_single(r, 0)->cert_id;
		CHECK_ERR(ocspkit_response_find(&found, r, &id), OCSPKIT_E_CERT_ID_CONFLICT);
		ocspkit_response_free(r);
	}
	p.singles = cat(2, single("01", T(0xA1, GT("20250101120000.25Z")), none(), none()),
			single("01", T(0xA1, GT("20250101120000.25Z")), none(), none()));
	b = build(&p);
	CHECK_OK(ocspkit_response_decode(&r, b.d, b.n, 0, NULL));
	if (r) {
		const ocspkit_single_response *found;
		ocspkit_cert_id id = ocspkit_response_get_single(r, 0)->cert_id;
		CHECK_OK(ocspkit_response_find(&found, r, &id));
		ocspkit_response_free(r);
	}
}

/* The encoder writes the fractions it is given, checked: digits only, no
 * trailing zero, at most OCSPKIT_MAX_TIME_FRACTION_DIGITS. */
static void test_encode_fractions(void)
{
	uint8_t *der;
	size_t len;
	uint8_t key[20] = { 0 };
	ocspkit_cert_id_value v = { 0 };
	ocspkit_single_response s = { 0 };
	ocspkit_response_tbs d = { 0 };
	v.hash = OCSPKIT_HASH_SHA1;
	v.hash_len = 20;
	v.serial_len = 1;
	v.serial[0] = 1;
	s.cert_id = ocspkit_cert_id_value_view(&v);
	s.status = OCSPKIT_CERT_REVOKED;
	s.revocation_time = okit_time_from_civil(2025, 1, 1, 12, 0, 0);
	s.this_update = okit_time_from_civil(2026, 11, 22, 0, 0, 0);
	s.has_next_update = 1;
	s.next_update = okit_time_from_civil(2026, 11, 29, 0, 0, 0);
	d.responder_id.type = OCSPKIT_RESPONDER_BY_KEY;
	d.responder_id.value = (ocspkit_bytes){ key, 20 };
	d.produced_at = okit_time_from_civil(2026, 11, 22, 1, 0, 0);
	d.responses = &s;
	d.response_count = 1;

	/* a zeroed struct: whole seconds, as before the fields existed */
	CHECK_OK(ocspkit_response_tbs_encode(&der, &len, &d));
	CHECK(memmem(der, len, "20261122010000Z", 15) && !memchr(der, '.', len));
	ocspkit_free(der);

#define DIGITS(str) ((ocspkit_bytes){ (const uint8_t *)(str), sizeof(str) - 1 })
	d.produced_at_fraction = DIGITS("5");
	s.revocation_time_fraction = DIGITS("25");
	s.this_update_fraction = DIGITS("123456789");
	s.next_update_fraction = DIGITS("05");
	CHECK_OK(ocspkit_response_tbs_encode(&der, &len, &d));
	CHECK(memmem(der, len, "\x18\x11" "20261122010000.5Z", 19));
	CHECK(memmem(der, len, "\x18\x12" "20250101120000.25Z", 20));
	CHECK(memmem(der, len, "\x18\x19" "20261122000000.123456789Z", 27));
	CHECK(memmem(der, len, "\xA0\x14\x18\x12" "20261129000000.05Z", 22));
	/* and it decodes to the same fractions */
	if (der) {
		uint8_t sig[4] = { 1, 2, 3, 4 };
		ocspkit_signature_block sb = { { { (const uint8_t *)"\x2B\x65\x70", 3 }, { NULL, 0 } }, { sig, 4 }, NULL, 0 };
		uint8_t *whole;
		size_t whole_len;
		ocspkit_response *r;
		CHECK_OK(ocspkit_response_assemble(&whole, &whole_len, (ocspkit_bytes){ der, len }, &sb));
		CHECK_OK(ocspkit_response_decode(&r, whole, whole_len, 0, NULL));
		if (r) {
			const ocspkit_single_response *g = ocspkit_response_get_single(r, 0);
			ocspkit_response_tbs gd;
			CHECK_OK(ocspkit_response_get_tbs(&gd, r));
			CHECK_BYTES(gd.produced_at_fraction, "5", 1);
			CHECK_BYTES(g->revocation_time_fraction, "25", 2);
			CHECK_BYTES(g->this_update_fraction, "123456789", 9);
			CHECK_BYTES(g->next_update_fraction, "05", 2);
			ocspkit_response_free(r);
		}
		CHECK(round_trips(whole, whole_len));
		ocspkit_free(whole);
	}
	ocspkit_free(der);

	/* what DER does not allow, in each field */
	static const struct {
		ocspkit_bytes frac;
		ocspkit_err want;
	} bad[] = {
		{ { (const uint8_t *)"50", 2 }, OCSPKIT_E_DER_BAD_TIME },
		{ { (const uint8_t *)"0", 1 }, OCSPKIT_E_DER_BAD_TIME },
		{ { (const uint8_t *)".5", 2 }, OCSPKIT_E_DER_BAD_TIME },
		{ { (const uint8_t *)"5Z", 2 }, OCSPKIT_E_DER_BAD_TIME },
		{ { (const uint8_t *)"1234567891", 10 }, OCSPKIT_E_LIMIT_TIME_FRACTION },
		{ { NULL, 1 }, OCSPKIT_E_INVALID_ARGUMENT },
	};
	for (int field = 0; field < 4; field++) {
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			ocspkit_response_tbs bd = d;
			ocspkit_single_response bs = s;
			bd.responses = &bs;
			ocspkit_bytes *fp[4] = { &bd.produced_at_fraction, &bs.revocation_time_fraction,
						 &bs.this_update_fraction, &bs.next_update_fraction };
			*fp[field] = bad[i].frac;
			der = (uint8_t *)"untouched";
			CHECK_ERR(ocspkit_response_tbs_encode(&der, &len, &bd), bad[i].want);
			CHECK(der == NULL);
		}
	}
	/* the fraction of a field that is not written is not looked at */
	s.status = OCSPKIT_CERT_GOOD;
	s.has_next_update = 0;
	s.revocation_time_fraction = DIGITS("50");
	s.next_update_fraction = DIGITS("50");
	CHECK_OK(ocspkit_response_tbs_encode(&der, &len, &d));
	ocspkit_free(der);
#undef DIGITS
}

static void test_conflict(void)
{
	resp_parts p = defaults();
	p.singles = cat(2, single("01", raw("8000"), none(), none()), single("01", raw("8200"), none(), none()));
	blob b = build(&p);
	ocspkit_response *r;
	const ocspkit_single_response *s;
	CHECK_OK(ocspkit_response_decode(&r, b.d, b.n, 0, NULL));
	if (!r)
		return;
	ocspkit_cert_id id = ocspkit_response_get_single(r, 0)->cert_id;
	CHECK_ERR(ocspkit_response_find(&s, r, &id), OCSPKIT_E_CERT_ID_CONFLICT);
	ocspkit_response_free(r);

	/* the same status twice is not a conflict */
	p.singles = cat(2, single("01", raw("8000"), none(), none()), single("01", raw("8000"), none(), none()));
	b = build(&p);
	CHECK_OK(ocspkit_response_decode(&r, b.d, b.n, 0, NULL));
	if (!r)
		return;
	id = ocspkit_response_get_single(r, 0)->cert_id; /* views into this response, not the freed one */
	CHECK_OK(ocspkit_response_find(&s, r, &id));
	ocspkit_response_free(r);
}

static void test_statuses(void)
{
	static const struct {
		const char *hex;
		ocspkit_response_status st;
	} ok[] = { { "30 03 0A0101", OCSPKIT_RESPONSE_MALFORMED_REQUEST },
		   { "30 03 0A0102", OCSPKIT_RESPONSE_INTERNAL_ERROR },
		   { "30 03 0A0103", OCSPKIT_RESPONSE_TRY_LATER },
		   { "30 03 0A0105", OCSPKIT_RESPONSE_SIG_REQUIRED },
		   { "30 03 0A0106", OCSPKIT_RESPONSE_UNAUTHORIZED } };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		blob b = raw(ok[i].hex);
		ocspkit_response *r;
		CHECK_OK(ocspkit_response_decode(&r, b.d, b.n, 0, NULL));
		if (r) {
			CHECK(ocspkit_response_get_status(r) == ok[i].st && ocspkit_response_get_single_count(r) == 0);
			/* no body: each of its accessors says so */
			ocspkit_response_tbs d;
			ocspkit_signature_block sb;
			ocspkit_bytes v;
			CHECK_ERR(ocspkit_response_get_tbs(&d, r), OCSPKIT_E_NOT_FOUND);
			CHECK_ERR(ocspkit_response_get_signature(&sb, r), OCSPKIT_E_NOT_FOUND);
			CHECK_ERR(ocspkit_response_get_tbs_der(&v, r), OCSPKIT_E_NOT_FOUND);
			CHECK_ERR(ocspkit_response_get_type(&v, r), OCSPKIT_E_NOT_FOUND);
			CHECK(ocspkit_response_get_single(r, 0) == NULL);
			ocspkit_bytes n;
			CHECK_ERR(ocspkit_response_get_nonce(&n, r), OCSPKIT_E_NOT_FOUND);
			const ocspkit_single_response *s;
			ocspkit_cert_id id = { 0 };
			CHECK_ERR(ocspkit_response_find(&s, r, &id), OCSPKIT_E_NOT_SUCCESSFUL);
			ocspkit_response_free(r);
		}
		CHECK(round_trips(b.d, b.n));
	}
	blob b;
	size_t off;
	b = raw("30 03 0A0104");
	CHECK_ERR(decode_flags(&b, 0, &off), OCSPKIT_E_BAD_RESPONSE_STATUS);
	CHECK(off == 2);
	b = raw("30 03 0A0107");
	CHECK_ERR(decode_flags(&b, 0, NULL), OCSPKIT_E_BAD_RESPONSE_STATUS);
	b = raw("30 04 0A020001");
	CHECK_ERR(decode_flags(&b, 0, NULL), OCSPKIT_E_DER_NONMINIMAL_INTEGER);
	b = raw("30 03 0201 00");
	CHECK_ERR(decode_flags(&b, 0, NULL), OCSPKIT_E_DER_UNEXPECTED_TAG);
	b = raw("30 03 0A0100");
	CHECK_ERR(decode_flags(&b, 0, &off), OCSPKIT_E_MISSING_RESPONSE_BYTES);
	CHECK(off == 5);
	{
		resp_parts p = defaults();
		p.status = raw("0A0101");
		b = build(&p);
		CHECK_ERR(decode_flags(&b, 0, NULL), OCSPKIT_E_UNEXPECTED_RESPONSE_BYTES);
	}
	b = raw("30 03 0A0101 00");
	CHECK_ERR(decode_flags(&b, 0, &off), OCSPKIT_E_DER_TRAILING_DATA);
	CHECK(off == 5);
	b = raw("");
	CHECK_ERR(decode_flags(&b, 0, NULL), OCSPKIT_E_DER_TRUNCATED);
}

static void test_strictness(void)
{
	resp_parts p;
	blob b;
	size_t off;

	p = defaults();
	CHECK_OK(decode(&p));
	b = build(&p);
	CHECK(round_trips(b.d, b.n));

	/* explicit DEFAULT version v1: refused, accepted by flag, v2 unsupported */
	p = defaults();
	p.version = T(0xA0, raw("020100"));
	b = build(&p);
	CHECK_ERR(decode_flags(&b, 0, NULL), OCSPKIT_E_DER_EXPLICIT_DEFAULT);
	CHECK_OK(decode_flags(&b, OCSPKIT_DECODE_ALLOW_EXPLICIT_DEFAULT, NULL));
	p.version = T(0xA0, raw("020101"));
	CHECK_ERR(decode(&p), OCSPKIT_E_UNSUPPORTED_VERSION);

	/* responder IDs */
	p = defaults();
	p.responder = T(0xA2, T(0x04, fill(1, 19)));
	CHECK_ERR(decode(&p), OCSPKIT_E_BAD_KEY_HASH);
	p.responder = T(0xA2, T(0x04, fill(1, 21)));
	CHECK_ERR(decode(&p), OCSPKIT_E_BAD_KEY_HASH);
	p.responder = T(0x82, fill(1, 20)); /* byKey written IMPLICIT */
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_WRONG_FORM);
	p.responder = T(0xA1, T(0x30, T(0x31, T(0x30, cat(2, raw("0603550403"), T(0x0C, raw("4142")))))));
	CHECK_OK(decode(&p));
	b = build(&p);
	CHECK(round_trips(b.d, b.n));
	/* a multi-valued RDN must be sorted (X.690 11.6) */
	p.responder = T(0xA1, T(0x30, T(0x31, cat(2, T(0x30, cat(2, raw("060355040A"), T(0x0C, raw("42")))),
						  T(0x30, cat(2, raw("0603550403"), T(0x0C, raw("41"))))))));
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_SET_ORDER);
	p.responder = T(0xA1, T(0x30, T(0x31, none())));
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_SIZE);
	p.responder = T(0xA3, T(0x04, fill(1, 20)));
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_UNEXPECTED_TAG);

	/* times */
	p = defaults();
	p.produced = T(0x17, bytes("261122010000Z", 13));
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_UNEXPECTED_TAG);
	p.produced = GT("20261122010000.50Z"); /* fractions: test_fractions */
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_BAD_TIME);
	p.produced = GT("20261322010000Z");
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_BAD_TIME);

	/* cert status */
	p = defaults();
	p.singles = single("01", raw("800100"), none(), none());
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_BAD_NULL);
	p.singles = single("01", raw("A000"), none(), none());
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_WRONG_FORM);
	p.singles = single("01", raw("8300"), none(), none());
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_UNEXPECTED_TAG);
	static const char *const reasons_bad[] = { "0A0107", "0A010B", "0A01FF", "0A020001" };
	for (size_t i = 0; i < 4; i++) {
		p.singles = single("01", T(0xA1, cat(2, GT("20250101000000Z"), T(0xA0, raw(reasons_bad[i])))), none(), none());
		CHECK_ERR(decode(&p), i == 3 ? OCSPKIT_E_DER_NONMINIMAL_INTEGER : OCSPKIT_E_BAD_CRL_REASON);
	}
	p.singles = single("01", T(0xA1, cat(2, GT("20250101000000Z"), T(0xA0, raw("0A010A")))), none(), none());
	CHECK_OK(decode(&p));

	/* serial numbers */
	p = defaults();
	p.singles = single("0001", raw("8000"), none(), none());
	b = build(&p);
	CHECK_ERR(decode_flags(&b, 0, NULL), OCSPKIT_E_DER_NONMINIMAL_INTEGER);
	{
		ocspkit_response *r;
		CHECK_OK(ocspkit_response_decode(&r, b.d, b.n, OCSPKIT_DECODE_ALLOW_PADDED_INTEGER, NULL));
		if (r) { /* the view is the minimal form, so CertIDs still match */
			CHECK(ocspkit_response_get_single(r, 0)->cert_id.serial.len == 1);
			ocspkit_response_free(r);
		}
	}
	p.singles = single("", raw("8000"), none(), none());
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_EMPTY_INTEGER);

	/* trailing data at each level */
	p = defaults();
	p.tail = raw("00");
	b = build(&p);
	CHECK_ERR(decode_flags(&b, 0, &off), OCSPKIT_E_DER_TRAILING_DATA);
	CHECK(off == b.n - 1);
	p = defaults();
	p.tail_basic = raw("0500");
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_TRAILING_DATA);
	p = defaults();
	p.singles = T(0x30, cat(4, T(0x30, cat(5, T(0x30, raw(SHA1_OID "0500")), T(0x04, raw(HASH20)),
					       T(0x04, raw(HASH20B)), raw("020101"), raw("0500"))),
				 raw("8000"), GT("20261122000000Z"), none()));
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_TRAILING_DATA);

	/* responseType */
	p = defaults();
	p.type = raw(NONCE_OID);
	CHECK_ERR(decode(&p), OCSPKIT_E_UNKNOWN_RESPONSE_TYPE);

	/* signature bits */
	p = defaults();
	p.sig = T(0x03, raw("01 DEADBEEE"));
	CHECK_ERR(decode(&p), OCSPKIT_E_BAD_SIGNATURE_BITS);
	p.sig = T(0x03, raw("01 DEADBEEF"));
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_BAD_BIT_STRING);

	/* extensions */
	p = defaults();
	p.exts = T(0xA1, T(0x30, none()));
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_SIZE);
	p.exts = T(0xA1, T(0x30, T(0x30, cat(3, raw(NONCE_OID), raw("010100"), T(0x04, T(0x04, raw("01")))))));
	b = build(&p);
	CHECK_ERR(decode_flags(&b, 0, NULL), OCSPKIT_E_DER_EXPLICIT_DEFAULT);
	CHECK_OK(decode_flags(&b, OCSPKIT_DECODE_ALLOW_EXPLICIT_DEFAULT, NULL));
	p.exts = T(0xA1, T(0x30, T(0x30, cat(3, raw(NONCE_OID), raw("0101FF"), T(0x04, T(0x04, raw("01")))))));
	CHECK_OK(decode(&p)); /* critical TRUE is written, and decodes */
	b = build(&p);
	CHECK(round_trips(b.d, b.n));
	p.exts = T(0xA1, T(0x30, cat(2, T(0x30, cat(2, raw(NONCE_OID), T(0x04, T(0x04, raw("01"))))),
				      T(0x30, cat(2, raw(NONCE_OID), T(0x04, T(0x04, raw("02"))))))));
	CHECK_ERR(decode(&p), OCSPKIT_E_DUPLICATE_EXTENSION);
	p.exts = T(0xA1, T(0x30, T(0x30, cat(2, raw(NONCE_OID), T(0x04, T(0x04, fill(7, 33)))))));
	b = build(&p);
	CHECK_ERR(decode_flags(&b, 0, NULL), OCSPKIT_E_BAD_NONCE_SIZE);
	CHECK_OK(decode_flags(&b, OCSPKIT_DECODE_ALLOW_ANY_NONCE_SIZE, NULL));
	p.exts = T(0xA1, T(0x30, T(0x30, cat(2, raw(NONCE_OID), T(0x04, T(0x04, none()))))));
	CHECK_ERR(decode(&p), OCSPKIT_E_BAD_NONCE_SIZE);
	p.exts = T(0xA1, T(0x30, T(0x30, cat(2, raw(NONCE_OID), T(0x04, raw("0102030405060708"))))));
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_TRAILING_DATA); /* raw nonce octets, not an OCTET STRING */
	p.exts = T(0xA1, T(0x30, T(0x30, cat(2, raw(NONCE_OID), T(0x04, cat(2, T(0x04, raw("01")), raw("00")))))));
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_TRAILING_DATA);
	p.exts = T(0xA1, T(0x30, T(0x30, cat(2, raw("06032A0304"), T(0x04, raw("FFFF"))))));
	CHECK_OK(decode(&p)); /* unknown extensions are opaque */

	/* DER forms */
	p = defaults();
	p.singles = T(0x30, cat(3, T(0x30, cat(4, T(0x30, raw(SHA1_OID "0500")), T(0x24, T(0x04, raw(HASH20))),
					       T(0x04, raw(HASH20B)), raw("020101"))),
				 raw("8000"), GT("20261122000000Z")));
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_WRONG_FORM);

	/* certificates are checked as strict DER of any type */
	p = defaults();
	p.certs = T(0xA0, T(0x30, T(0x30, raw("02020001"))));
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_NONMINIMAL_INTEGER);
	blob deep = raw("0500");
	for (int i = 0; i < OCSPKIT_MAX_DEPTH + 2; i++)
		deep = T(0x30, deep);
	p.certs = T(0xA0, T(0x30, deep));
	CHECK_ERR(decode(&p), OCSPKIT_E_DER_TOO_DEEP);
}

static void test_limits(void)
{
	resp_parts p = defaults();
	blob b;
	/* 33 extensions in one list */
	p.exts = none();
	blob list = none();
	for (int i = 0; i < OCSPKIT_MAX_EXTENSIONS + 1; i++) {
		char oid[32];
		snprintf(oid, sizeof(oid), "06032A03%02X", i);
		list = cat(2, list, T(0x30, cat(2, raw(oid), T(0x04, raw("00")))));
	}
	p.exts = T(0xA1, T(0x30, list));
	CHECK_ERR(decode(&p), OCSPKIT_E_LIMIT_EXTENSIONS);

	/* 17 certificates */
	p = defaults();
	list = none();
	for (int i = 0; i < OCSPKIT_MAX_CERTIFICATES + 1; i++)
		list = cat(2, list, T(0x30, raw("020101")));
	p.certs = T(0xA0, T(0x30, list));
	CHECK_ERR(decode(&p), OCSPKIT_E_LIMIT_CERTIFICATES);

	/* input size */
	uint8_t *big = calloc(1, OCSPKIT_MAX_MESSAGE_SIZE + 1);
	ocspkit_response *r;
	CHECK_ERR(ocspkit_response_decode(&r, big, OCSPKIT_MAX_MESSAGE_SIZE + 1, 0, NULL), OCSPKIT_E_LIMIT_INPUT_SIZE);
	free(big);
	(void)b;
}

/* Large responses through the encoder: OCSPKIT_MAX_SINGLE_RESPONSES decode,
 * one more is refused, and the round trip holds. */
static void test_many(void)
{
	size_t n = OCSPKIT_MAX_SINGLE_RESPONSES;
	ocspkit_single_response *s = calloc(n + 1, sizeof(*s));
	ocspkit_cert_id_value *v = calloc(n + 1, sizeof(*v));
	uint8_t *tbs, *der;
	size_t tbs_len, der_len;
	for (size_t i = 0; i <= n; i++) {
		v[i].hash = OCSPKIT_HASH_SHA1;
		v[i].hash_len = 20;
		v[i].serial_len = 2;
		v[i].serial[0] = (uint8_t)(i >> 8 & 0x7F);
		v[i].serial[1] = (uint8_t)i;
		if (v[i].serial[0] == 0 && v[i].serial[1] < 0x80)
			v[i].serial[0] = 0x40;
		s[i].cert_id = ocspkit_cert_id_value_view(&v[i]);
		s[i].status = (ocspkit_cert_status)(i % 3);
		s[i].revocation_time = 1700000000;
		s[i].this_update = 1700000000 + (int64_t)i;
	}
	uint8_t key[20] = { 1 };
	ocspkit_response_tbs d = { 0 };
	d.responder_id.type = OCSPKIT_RESPONDER_BY_KEY;
	d.responder_id.value = (ocspkit_bytes){ key, 20 };
	d.produced_at = 1700000000;
	d.responses = s;
	d.response_count = n;
	uint8_t sigbytes[8] = { 0 };
	const okit_oid *alg = okit_oid_by_id(OKIT_OID_SIG, OKIT_SIG_ED25519);
	ocspkit_signature_block sig = { { okit_oid_bytes(alg), { NULL, 0 } }, { sigbytes, 8 }, NULL, 0 };
	CHECK_OK(ocspkit_response_tbs_encode(&tbs, &tbs_len, &d));
	CHECK_OK(ocspkit_response_assemble(&der, &der_len, (ocspkit_bytes){ tbs, tbs_len }, &sig));
	CHECK(round_trips(der, der_len));
	ocspkit_free(tbs);
	ocspkit_free(der);

	d.response_count = n + 1;
	CHECK_ERR(ocspkit_response_tbs_encode(&tbs, &tbs_len, &d), OCSPKIT_E_LIMIT_SINGLE_RESPONSES);
	free(s);
	free(v);
}

static void test_encoder_checks(void)
{
	uint8_t *der;
	size_t len;
	ocspkit_response_tbs d = { 0 };
	uint8_t key[20] = { 0 };
	d.responder_id.type = OCSPKIT_RESPONDER_BY_KEY;
	d.responder_id.value = (ocspkit_bytes){ key, 19 };
	CHECK_ERR(ocspkit_response_tbs_encode(&der, &len, &d), OCSPKIT_E_BAD_KEY_HASH);
	d.responder_id.type = OCSPKIT_RESPONDER_BY_NAME;
	d.responder_id.value = (ocspkit_bytes){ (const uint8_t *)"\x30\x01", 2 };
	CHECK_ERR(ocspkit_response_tbs_encode(&der, &len, &d), OCSPKIT_E_INVALID_ARGUMENT);
	d.responder_id.value = (ocspkit_bytes){ (const uint8_t *)"\x30\x00", 2 };
	CHECK_OK(ocspkit_response_tbs_encode(&der, &len, &d));
	ocspkit_free(der);

	ocspkit_single_response s = { 0 };
	ocspkit_cert_id_value v = { 0 };
	v.hash = OCSPKIT_HASH_SHA1;
	v.hash_len = 20;
	v.serial_len = 2;
	s.cert_id = ocspkit_cert_id_value_view(&v); /* serial 00 00: not minimal */
	d.responses = &s;
	d.response_count = 1;
	CHECK_ERR(ocspkit_response_tbs_encode(&der, &len, &d), OCSPKIT_E_INVALID_ARGUMENT);
	v.serial_len = 1;
	s.cert_id = ocspkit_cert_id_value_view(&v);
	s.status = OCSPKIT_CERT_REVOKED;
	s.has_revocation_reason = 1;
	s.revocation_reason = (ocspkit_crl_reason)7;
	CHECK_ERR(ocspkit_response_tbs_encode(&der, &len, &d), OCSPKIT_E_BAD_CRL_REASON);
	s.revocation_reason = OCSPKIT_REASON_AA_COMPROMISE;
	CHECK_OK(ocspkit_response_tbs_encode(&der, &len, &d));
	ocspkit_free(der);

	/* extension values of known types are checked */
	ocspkit_extension e = { OCSPKIT_EXT_NONCE, { NULL, 0 }, 0, { (const uint8_t *)"\x01\x02", 2 } };
	d.extensions = &e;
	d.extension_count = 1;
	CHECK_ERR(ocspkit_response_tbs_encode(&der, &len, &d), OCSPKIT_E_BAD_EXTENSION);
	uint8_t nv[40];
	CHECK_OK(ocspkit_ext_nonce_value(nv, sizeof(nv), &e.value.len, (ocspkit_bytes){ (const uint8_t *)"abc", 3 }));
	e.value.data = nv;
	CHECK_OK(ocspkit_response_tbs_encode(&der, &len, &d));
	ocspkit_free(der);
	ocspkit_extension two[2] = { e, e };
	d.extensions = two;
	d.extension_count = 2;
	CHECK_ERR(ocspkit_response_tbs_encode(&der, &len, &d), OCSPKIT_E_DUPLICATE_EXTENSION);

	/* statuses: 4 is not one, successful needs a body, a body a signature */
	CHECK_ERR(ocspkit_response_encode_status(&der, &len, (ocspkit_response_status)4), OCSPKIT_E_BAD_RESPONSE_STATUS);
	CHECK(der == NULL && len == 0);
	CHECK_ERR(ocspkit_response_encode_status(&der, &len, (ocspkit_response_status)7), OCSPKIT_E_BAD_RESPONSE_STATUS);
	CHECK_ERR(ocspkit_response_encode_status(&der, &len, OCSPKIT_RESPONSE_SUCCESSFUL), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_OK(ocspkit_response_encode_status(&der, &len, OCSPKIT_RESPONSE_UNAUTHORIZED));
	CHECK(len == 5 && memcmp(der, "\x30\x03\x0A\x01\x06", 5) == 0);
	ocspkit_free(der);
	CHECK_ERR(ocspkit_response_assemble(&der, &len, (ocspkit_bytes){ 0 }, NULL), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_response_encode(&der, &len, &d, NULL), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK(der == NULL && len == 0);
	CHECK_ERR(ocspkit_response_encode(&der, &len, NULL, NULL), OCSPKIT_E_INVALID_ARGUMENT);
}

/* Every allocation of a decode can fail without a leak or a crash. */
static void test_alloc_failures(void)
{
	resp_parts p = defaults();
	p.exts = T(0xA1, T(0x30, T(0x30, cat(2, raw(NONCE_OID), T(0x04, T(0x04, raw("01")))))));
	blob b = build(&p);
	for (long n = 1; n < 10; n++) {
		ocspkit_response *r;
		okit_alloc_fail_at(n);
		ocspkit_err e = ocspkit_response_decode(&r, b.d, b.n, 0, NULL);
		long used = okit_alloc_fail_at(0);
		CHECK(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY);
		ocspkit_response_free(r);
		if (used < n)
			break;
	}
}

/* A response with no SingleResponse, extension or certificate needs no
 * pool; the decoder must not do arithmetic on the NULL pool (undefined
 * behaviour that clang's UBSan reports even for an offset of 0).  Found by
 * replaying fuzz/response_fuzzer.in in the --enable-fuzzing build
 * (fuzz/response_fuzzer.repro/ub-empty-pool.der). */
static void test_empty(void)
{
	resp_parts p = defaults();
	p.singles = none();
	blob b = build(&p);
	ocspkit_response *r;
	ocspkit_response_tbs d;
	CHECK_OK(ocspkit_response_decode(&r, b.d, b.n, 0, NULL));
	if (!r)
		return;
	CHECK_OK(ocspkit_response_get_tbs(&d, r));
	CHECK(d.response_count == 0 && d.extension_count == 0 && ocspkit_response_get_single(r, 0) == NULL);
	ocspkit_response_free(r);
	CHECK(round_trips(b.d, b.n));
}

/* ocspkit_response_print reports an allocation that fails inside a nested
 * call (the byName responder's name, an embedded certificate) as
 * OCSPKIT_E_NO_MEMORY, instead of printing "<bad name>" or calling a good
 * certificate malformed.  Found by the allocation-failure replay of
 * fuzz/response_fuzzer (fuzz/response_fuzzer.repro/print-nomem-*.der). */
static void test_print_out_of_memory(void)
{
	resp_parts p = defaults();
	blob alg = T(0x30, raw("06032B6570")); /* Ed25519 */
	blob validity = T(0x30, cat(2, T(0x17, bytes("250101000000Z", 13)), T(0x17, bytes("350101000000Z", 13))));
	blob tbs = T(0x30, cat(6, raw("020101"), alg, T(0x30, none()), validity, T(0x30, none()),
			       T(0x30, cat(2, alg, T(0x03, cat(2, raw("00"), fill(7, 32)))))));
	p.responder = T(0xA1, T(0x30, T(0x31, T(0x30, cat(2, raw("0603550403"), T(0x0C, raw("4142")))))));
	p.certs = T(0xA0, T(0x30, T(0x30, cat(3, tbs, alg, T(0x03, cat(2, raw("00"), fill(9, 64)))))));
	blob b = build(&p);
	ocspkit_response *r;
	char *text = NULL;
	CHECK_OK(ocspkit_response_decode(&r, b.d, b.n, 0, NULL));
	if (!r)
		return;
	CHECK_OK(ocspkit_response_print(&text, r));
	CHECK(text && strstr(text, "Responder Id: CN = AB") && strstr(text, "Not After") && !strchr(text, '<'));
	ocspkit_free(text);
	long failed = 0;
	for (long n = 1; n < 1000; n++) {
		text = NULL;
		okit_alloc_fail_at(n);
		ocspkit_err e = ocspkit_response_print(&text, r);
		long used = okit_alloc_fail_at(0);
		if (used < n) { /* every allocation has been failed once */
			CHECK_OK(e);
			ocspkit_free(text);
			break;
		}
		CHECK_ERR(e, OCSPKIT_E_NO_MEMORY);
		if (e == OCSPKIT_OK)
			ocspkit_free(text);
		failed++;
	}
	CHECK(failed >= 3); /* the output buffer, the name, the certificate */
	ocspkit_response_free(r);
}

/* The RSASSA-PSS parameters of the signature algorithm are printed where
 * and as `openssl ocsp -resp_text` prints them (X509_signature_print), so
 * that the two dumps compare line for line.  Found by the conformance
 * suite (conformance/test_decode.py, conformance/corpus/pss-params-*.der). */
static void test_print_pss_params(void)
{
	blob h256 = T(0x30, raw("0609608648016503040201 0500"));
	blob pss = raw("06092A864886F70D01010A");
	struct {
		blob alg;
		const char *want;
	} cases[] = {
		{ T(0x30, cat(2, pss, T(0x30, cat(4, T(0xA0, h256), T(0xA1, T(0x30, cat(2, raw("06092A864886F70D010108"), h256))),
						 T(0xA2, raw("020200DE")), T(0xA3, raw("020101")))))),
		  "    Signature Value:        \n        Hash Algorithm: sha256\n        Mask Algorithm: mgf1 with sha256\n"
		  "         Salt Length: 0xDE\n        Trailer Field: 0x01\n        de:ad:be:ef\n" },
		{ T(0x30, cat(2, pss, T(0x30, none()))),
		  "    Signature Value:        \n        Hash Algorithm: sha1 (default)\n"
		  "        Mask Algorithm: mgf1 with sha1 (default)\n         Salt Length: 0x14 (default)\n"
		  "        Trailer Field: 0x01 (default)\n        de:ad:be:ef\n" },
		{ T(0x30, pss), "    Signature Value:        (INVALID PSS PARAMETERS)\n        de:ad:be:ef\n" },
		{ T(0x30, cat(2, pss, T(0x30, T(0xA1, T(0x30, cat(2, raw("06092A864886F70D010109"), h256)))))),
		  "    Signature Value:        (INVALID PSS PARAMETERS)\n        de:ad:be:ef\n" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		resp_parts p = defaults();
		blob rdata = T(0x30, cat(5, p.version, p.responder, p.produced, T(0x30, p.singles), p.exts));
		blob basic = T(0x30, cat(3, rdata, cases[i].alg, p.sig));
		blob der = T(0x30, cat(2, p.status, T(0xA0, T(0x30, cat(2, p.type, T(0x04, basic))))));
		ocspkit_response *r;
		char *text = NULL;
		CHECK_OK(ocspkit_response_decode(&r, der.d, der.n, 0, NULL));
		CHECK_OK(ocspkit_response_print(&text, r));
		const char *at = text ? strstr(text, "    Signature Algorithm: rsassaPss\n") : NULL;
		CHECK(at && strcmp(strchr(at, '\n') + 1, cases[i].want) == 0);
		ocspkit_free(text);
		ocspkit_response_free(r);
	}
}

int main(void)
{
	test_fields();
	test_conflict();
	test_statuses();
	test_strictness();
	test_limits();
	test_many();
	test_encoder_checks();
	test_alloc_failures();
	test_print_out_of_memory();
	test_print_pss_params();
	test_empty();
	test_fractions();
	test_encode_fractions();
	CHECK_DONE();
}
