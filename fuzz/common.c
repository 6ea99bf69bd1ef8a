/* Helpers shared by the harnesses; see fuzz.h. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "der.h"
#include "fuzz.h"
#include "schema.h"

int fuzz_alloc_failing;
int fuzz_tolerant;
unsigned long fuzz_nomem;
const char *fuzz_input_name;
uint64_t fuzz_trace;

void fuzz_trace_mix(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t h = fuzz_trace ? fuzz_trace : 0xcbf29ce484222325ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	fuzz_trace = h;
}

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "\n==== ocspkit fuzz oracle failed: %s:%d: %s\n==== ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	if (fuzz_input_name)
		fprintf(stderr, "==== input: %s\n", fuzz_input_name);
	fflush(stderr);
	abort();
}

ocspkit_err fuzz_note(ocspkit_err e, const char *expr, const char *file, int line)
{
	int rec[2] = { (int)e, line };
	fuzz_trace_mix(rec, sizeof(rec));
	if (e == OCSPKIT_E_NO_MEMORY) {
		if (!fuzz_alloc_failing)
			fuzz_fail(file, line, expr, "OCSPKIT_E_NO_MEMORY without an injected allocation failure");
		fuzz_nomem++;
	}
	return e;
}

void fuzz_same(const char *file, int line, const char *what, const uint8_t *want, size_t want_len,
	       const uint8_t *got, size_t got_len)
{
	size_t i = 0;
	if (want_len == got_len && (want_len == 0 || memcmp(want, got, want_len) == 0))
		return;
	if (fuzz_nomem)
		return;
	while (i < want_len && i < got_len && want[i] == got[i])
		i++;
	fuzz_fail(file, line, what, "round trip differs: %zu octets expected, %zu produced, first difference at offset %zu",
		  want_len, got_len, i);
}

int fuzz_inside(ocspkit_bytes v, const uint8_t *base, size_t len)
{
	if (v.len == 0)
		return 1;
	return v.data >= base && v.len <= len && (size_t)(v.data - base) <= len - v.len;
}

void fuzz_string(char *s)
{
	ORACLE(s != NULL, "a successful call returned no string");
	if (s)
		fuzz_trace_mix(s, strlen(s)); /* terminated inside its allocation */
	ocspkit_free(s);
}

void fuzz_oid(ocspkit_bytes oid)
{
	static const size_t caps[] = { 1, 2, 4, 8, 16, 32, 64, 128 };
	char full[512], small[128];
	const char *name;
	if (ocspkit_oid_name(&name, oid) == OCSPKIT_OK)
		ORACLE(name && strlen(name) > 0, "an empty OID name");
	else
		ORACLE(name == NULL, "a name for an unknown OID");
	ocspkit_err e = ocspkit_oid_to_dotted(full, sizeof(full), oid);
	if (e != OCSPKIT_OK)
		return;
	size_t n = strlen(full);
	ORACLE(n >= 3 && n < sizeof(full), "dotted OID of %zu characters", n);
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		e = ocspkit_oid_to_dotted(small, caps[i], oid);
		/* it fits exactly when the whole text and its NUL do */
		ORACLE((e == OCSPKIT_OK) == (n < caps[i]), "cap %zu, length %zu, %s", caps[i], n,
		       ocspkit_strerror_name(e));
		if (e == OCSPKIT_OK)
			ORACLE(strcmp(small, full) == 0, "dotted form depends on the buffer size");
	}
}

void fuzz_name(ocspkit_bytes name)
{
	char *s;
	if (CALL(ocspkit_name_to_string(&s, name, OCSPKIT_NAME_RFC4514)) == OCSPKIT_OK)
		fuzz_string(s);
	if (CALL(ocspkit_name_to_string(&s, name, OCSPKIT_NAME_ONELINE)) == OCSPKIT_OK)
		fuzz_string(s);
}

/* Each element of a GeneralNames (SEQUENCE OF GeneralName) as text. */
static void general_names(ocspkit_bytes der)
{
	okit_dctx c = okit_ctx(der.data, 0);
	okit_tlv t, el;
	okit_iter it;
	char *s;
	if (okit_der_only(&c, der.data, der.len, &t) != OCSPKIT_OK)
		return;
	okit_iter_init(&it, &t);
	while (okit_iter_next(&c, &it, &el))
		if (CALL(ocspkit_general_name_to_string(&s, okit_whole(&el))) == OCSPKIT_OK)
			fuzz_string(s);
}

static void check_time(int64_t t)
{
	char buf[OCSPKIT_TIME_STRING_SIZE];
	/* every time the decoder returns is a GeneralizedTime: years 0..9999 */
	ORACLE(t >= okit_time_from_civil(0, 1, 1, 0, 0, 0) && t <= okit_time_from_civil(9999, 12, 31, 23, 59, 59),
	       "time %lld out of GeneralizedTime's range", (long long)t);
	ocspkit_time_format(buf, t);
	ORACLE(strlen(buf) == OCSPKIT_TIME_STRING_SIZE - 1, "time string");
}

void fuzz_extensions(const ocspkit_extension *exts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const ocspkit_extension *e = &exts[i];
		ocspkit_bytes b, b2;
		ocspkit_crl_id crl;
		ocspkit_bytes oids[4];
		ocspkit_pref_sig_alg algs[4];
		ocspkit_crl_reason reason;
		int64_t t;
		size_t count, count2;
		ocspkit_err r;

		fuzz_oid(e->oid);
		ORACLE(e->critical == 0 || e->critical == 1, "critical is %d", e->critical);
		const ocspkit_extension *found;
		ORACLE(ocspkit_extensions_find(&found, exts, n, e->type) == OCSPKIT_OK && found,
		       "extensions_find misses an extension");
		ORACLE(found <= e, "extensions_find skips an earlier match");

#define TYPED(type_, call_)                                                                          \
	do {                                                                                         \
		r = CALL(call_);                                                                     \
		if (e->type == (type_))                                                              \
			ORACLE(r == OCSPKIT_OK || fuzz_tolerant, "the decoder accepted an extension its reader refuses: %s", \
			       ocspkit_strerror_name(r));                                            \
		else                                                                                 \
			ORACLE(r == OCSPKIT_E_INVALID_ARGUMENT, "reader of another type: %s",        \
			       ocspkit_strerror_name(r));                                            \
	} while (0)

		TYPED(OCSPKIT_EXT_NONCE, ocspkit_ext_nonce(&b, e));
		if (r == OCSPKIT_OK)
			ORACLE(fuzz_inside(b, e->value.data, e->value.len), "nonce outside its extension");
		TYPED(OCSPKIT_EXT_CRL_ID, ocspkit_ext_crl_id(&crl, e));
		if (r == OCSPKIT_OK && crl.has_time)
			check_time(crl.time);
		TYPED(OCSPKIT_EXT_ACCEPTABLE_RESPONSES, ocspkit_ext_acceptable_responses(NULL, 0, &count, e));
		if (r == OCSPKIT_OK) {
			r = CALL(ocspkit_ext_acceptable_responses(oids, 4, &count2, e));
			ORACLE(r == OCSPKIT_OK && count2 == count, "acceptable responses: %zu then %zu", count, count2);
			for (size_t k = 0; r == OCSPKIT_OK && k < count && k < 4; k++)
				fuzz_oid(oids[k]);
		}
		TYPED(OCSPKIT_EXT_ARCHIVE_CUTOFF, ocspkit_ext_archive_cutoff(&t, e));
		if (r == OCSPKIT_OK)
			check_time(t);
		TYPED(OCSPKIT_EXT_SERVICE_LOCATOR, ocspkit_ext_service_locator(&b, &b2, e));
		if (r == OCSPKIT_OK)
			fuzz_name(b);
		TYPED(OCSPKIT_EXT_PREF_SIG_ALGS, ocspkit_ext_pref_sig_algs(NULL, 0, &count, e));
		if (r == OCSPKIT_OK) {
			r = CALL(ocspkit_ext_pref_sig_algs(algs, 4, &count2, e));
			ORACLE(r == OCSPKIT_OK && count2 == count, "preferred algorithms: %zu then %zu", count, count2);
			for (size_t k = 0; r == OCSPKIT_OK && k < count && k < 4; k++) {
				fuzz_oid(algs[k].sig_identifier.oid);
				if (algs[k].has_cert_identifier)
					fuzz_oid(algs[k].cert_identifier.oid);
			}
		}
		TYPED(OCSPKIT_EXT_EXTENDED_REVOKE, ocspkit_ext_extended_revoke(e));
		TYPED(OCSPKIT_EXT_CRL_REASON, ocspkit_ext_crl_reason(&reason, e));
		if (r == OCSPKIT_OK)
			ORACLE((unsigned)reason <= 10 && reason != 7, "CRL reason %d", (int)reason);
		TYPED(OCSPKIT_EXT_INVALIDITY_DATE, ocspkit_ext_invalidity_date(&t, e));
		if (r == OCSPKIT_OK)
			check_time(t);
		TYPED(OCSPKIT_EXT_CERTIFICATE_ISSUER, ocspkit_ext_certificate_issuer(&b, e));
		if (r == OCSPKIT_OK)
			general_names(b);
#undef TYPED
	}
}

void fuzz_cert_id(const ocspkit_cert_id *id)
{
	(void)strlen(ocspkit_hash_name(id->hash));
	ORACLE(ocspkit_hash_size(id->hash) <= OCSPKIT_MAX_HASH_SIZE, "hash size");
	fuzz_oid(id->hash_algorithm.oid);
	ORACLE(ocspkit_cert_id_equal(id, id), "a CertID differs from itself");
	ORACLE(id->serial.len >= 1, "empty serial number view");
}

void fuzz_cert(const ocspkit_cert *x)
{
	ocspkit_bytes der = ocspkit_cert_get_der(x);
	ocspkit_bytes views[] = { ocspkit_cert_get_tbs_der(x), ocspkit_cert_get_serial(x), ocspkit_cert_get_issuer(x),
				  ocspkit_cert_get_subject(x), ocspkit_cert_get_spki(x), ocspkit_cert_get_public_key(x),
				  ocspkit_cert_get_signature(x) };
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		ORACLE(fuzz_inside(views[i], der.data, der.len), "view %zu outside the certificate", i);
	ORACLE(ocspkit_cert_get_version(x) >= 0 && ocspkit_cert_get_version(x) <= 2, "version %ld", ocspkit_cert_get_version(x));
	(void)ocspkit_cert_get_not_before(x);
	(void)ocspkit_cert_get_not_after(x);
	fuzz_oid(ocspkit_cert_get_key_algorithm(x).oid);
	fuzz_oid(ocspkit_cert_get_signature_algorithm(x).oid);
	fuzz_name(ocspkit_cert_get_issuer(x));
	fuzz_name(ocspkit_cert_get_subject(x));

	size_t n = ocspkit_cert_get_extension_count(x);
	for (size_t i = 0; i < n; i++)
		ORACLE(ocspkit_cert_get_extension(x, i) != NULL, "extension %zu of %zu missing", i, n);
	ORACLE(ocspkit_cert_get_extension(x, n) == NULL, "extension past the end");
	if (n)
		fuzz_extensions(ocspkit_cert_get_extension(x, 0), n);
	(void)ocspkit_cert_is_ca(x);
	(void)ocspkit_cert_has_ocsp_signing(x);
	(void)ocspkit_cert_has_ocsp_nocheck(x);
	(void)ocspkit_cert_has_must_staple(x);
	unsigned ku = 0x10000;
	ocspkit_err kue = ocspkit_cert_get_key_usage(&ku, x);
	ORACLE(kue == OCSPKIT_OK || kue == OCSPKIT_E_NOT_FOUND, "key usage: %s", ocspkit_strerror_name(kue));
	ORACLE(kue == OCSPKIT_OK ? ku <= 0xFFFF : ku == 0x10000, "key usage bits 0x%x (%s)", ku,
	       ocspkit_strerror_name(kue));

	/* OCSP URLs: the count does not depend on how many fit */
	size_t count = 0, count2 = 0;
	ocspkit_bytes urls[3];
	ocspkit_err e = CALL(ocspkit_cert_get_ocsp_urls(NULL, 0, &count, x));
	if (e == OCSPKIT_OK) {
		e = CALL(ocspkit_cert_get_ocsp_urls(urls, 3, &count2, x));
		ORACLE(e == OCSPKIT_OK && count2 == count, "OCSP URLs: %zu then %zu", count, count2);
		for (size_t i = 0; e == OCSPKIT_OK && i < count && i < 3; i++)
			ORACLE(fuzz_inside(urls[i], der.data, der.len), "URL outside the certificate");
	}

	/* key hash == the SHA-1 issuerKeyHash of a CertID naming this issuer */
	uint8_t key_hash[20];
	ocspkit_cert_get_key_hash(key_hash, x);
	ocspkit_bytes serial = ocspkit_cert_get_serial(x);
	static const ocspkit_hash hashes[] = { OCSPKIT_HASH_SHA1, OCSPKIT_HASH_SHA224, OCSPKIT_HASH_SHA256,
					      OCSPKIT_HASH_SHA384, OCSPKIT_HASH_SHA512, OCSPKIT_HASH_MD5,
					      OCSPKIT_HASH_UNKNOWN };
	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++) {
		ocspkit_cert_id_value v, raw;
		memset(&v, 0, sizeof(v));
		memset(&raw, 0, sizeof(raw));
		ocspkit_err want = serial.len > OCSPKIT_MAX_SERIAL_SIZE  ? OCSPKIT_E_DER_INTEGER_RANGE
				   : hashes[i] == OCSPKIT_HASH_MD5     ? OCSPKIT_E_WEAK_ALGORITHM
				   : hashes[i] == OCSPKIT_HASH_UNKNOWN ? OCSPKIT_E_UNSUPPORTED_ALGORITHM
								       : OCSPKIT_OK;
		e = CALL(ocspkit_cert_id_compute(&v, hashes[i], x, serial));
		ORACLE(e == want, "CertID with %s: %s, expected %s", ocspkit_hash_name(hashes[i]),
		       ocspkit_strerror_name(e), ocspkit_strerror_name(want));
		if (e != OCSPKIT_OK)
			continue;
		e = CALL(ocspkit_cert_id_compute_raw(&raw, hashes[i], ocspkit_cert_get_subject(x),
						     ocspkit_cert_get_public_key(x), serial));
		ORACLE(e == OCSPKIT_OK && memcmp(&v, &raw, sizeof(v)) == 0, "compute and compute_raw differ");
		ocspkit_cert_id id = ocspkit_cert_id_value_view(&v);
		fuzz_cert_id(&id);
		ORACLE(v.hash_len == ocspkit_hash_size(hashes[i]) && v.serial_len == serial.len, "CertID sizes");
		if (hashes[i] == OCSPKIT_HASH_SHA1)
			ORACLE(memcmp(v.issuer_key_hash, key_hash, 20) == 0, "key hash differs from the CertID's");
	}
	/* a certificate is its own issuer exactly when its names are equal */
	ocspkit_cert_id_value self;
	ocspkit_bytes iss = ocspkit_cert_get_issuer(x), sub = ocspkit_cert_get_subject(x);
	int same_name = iss.len == sub.len && memcmp(iss.data, sub.data, iss.len) == 0;
	e = CALL(ocspkit_cert_id_for_cert(&self, OCSPKIT_HASH_SHA256, x, x));
	ocspkit_err want_self = !same_name ? OCSPKIT_E_INVALID_ARGUMENT
				: serial.len > OCSPKIT_MAX_SERIAL_SIZE ? OCSPKIT_E_DER_INTEGER_RANGE : OCSPKIT_OK;
	ORACLE(e == want_self,
	       "self-issued CertID: %s", ocspkit_strerror_name(e));
}

void fuzz_cert_bytes(ocspkit_bytes der)
{
	ocspkit_cert *x = NULL;
	if (CALL(ocspkit_cert_decode(&x, der.data, der.len, OCSPKIT_DECODE_STRICT, NULL)) == OCSPKIT_OK)
		fuzz_cert(x);
	ocspkit_cert_free(x);
}

void fuzz_round_trips(const fuzz_codec *c, const uint8_t *data, size_t size)
{
	void *strict = NULL, *lax = NULL, *again = NULL;
	size_t off = 0, len;
	uint8_t *out;

	ocspkit_err es = CALL(c->decode(&strict, data, size, OCSPKIT_DECODE_STRICT, &off));
	ORACLE((es == OCSPKIT_OK) == (strict != NULL), "object and result disagree");
	ORACLE(off <= size, "error offset %zu past %zu octets", off, size);
	if (es == OCSPKIT_OK) {
		ORACLE(off == 0, "offset set on success");
		c->visit(strict, data, size);
		if ((out = c->reencode(strict, &len, 1)) != NULL) {
			SAME("encode(decode(der)) == der", data, size, out, len);
			ocspkit_free(out);
		}
	}
	c->free(strict);

	ocspkit_err el = CALL(c->decode(&lax, data, size, FUZZ_ALL_FLAGS, NULL));
	if (es == OCSPKIT_OK)
		ORACLE(el == OCSPKIT_OK, "strict decoding accepts, tolerant refuses: %s", ocspkit_strerror_name(el));
	if (el != OCSPKIT_OK) {
		c->free(lax);
		return;
	}
	if (es != OCSPKIT_OK) {
		fuzz_tolerant = 1;
		c->visit(lax, data, size);
		fuzz_tolerant = 0;
	}
	if ((out = c->reencode(lax, &len, es == OCSPKIT_OK)) != NULL) {
		if (es == OCSPKIT_OK) {
			SAME("tolerant decoding of a strict input", data, size, out, len);
		} else if (CALL(c->decode(&again, out, len, FUZZ_ALL_FLAGS, NULL)) == OCSPKIT_OK) {
			size_t len2;
			uint8_t *out2 = c->reencode(again, &len2, 1);
			if (out2)
				SAME("re-encoding is a fixed point", out, len, out2, len2);
			ocspkit_free(out2);
		} else {
			ORACLE(0, "the re-encoding of an accepted %s is refused", c->name);
		}
		c->free(again);
		ocspkit_free(out);
	}
	c->free(lax);
}
