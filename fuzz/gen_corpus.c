/* The seed generator: writes the generated part of every NAME_fuzzer.in/
 * and the .dict files, from the codec's own encoders (requests and
 * responses) and its DER writer (certificates, names, extension values),
 * deterministically: the same program writes the same bytes.
 *
 *   fuzz/gen_corpus DIR      (make fuzz-corpus: DIR is $(srcdir)/fuzz)
 *
 * The seeds cover every message shape: the six response statuses;
 * good, revoked with and without each reason, unknown; several
 * SingleResponses with different hashes; byName and byKey responder IDs;
 * nonce and every other OCSP extension, unknown ones, critical ones;
 * certificates of each key type with the extensions OCSP reads; requests
 * with one and many CertIDs and every hash, requestorName of each kind,
 * signed requests with and without certificates.  Text seeds (PEM, base64,
 * hex, times) and names of every string type and every GeneralName
 * alternative.  Signatures are placeholder octets of the right size: the
 * decoders do not verify them.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/text.h"
#include "buf.h"
#include "civil.h"
#include "der.h"
#include "der_write.h"
#include "staple_fixture.h"

/* responder_seeds.c: the seeds of responder_fuzzer and index_fuzzer. */
unsigned long responder_seeds(const char *dir);
/* crl_seeds.c: the seeds of crl_fuzzer. */
unsigned long crl_seeds(const char *dir);
/* crl_source_seeds.c: the seeds of crl_source_fuzzer. */
unsigned long crl_source_seeds(const char *dir);

static const char *outdir;
static unsigned long n_written;

static void die(const char *what, ocspkit_err e)
{
	fprintf(stderr, "gen_corpus: %s: %s\n", what, ocspkit_strerror_name(e));
	exit(1);
}

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", outdir, dir);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	n_written++;
}

/* A seed for one harness's corpus.  Every response and request seed is
 * also one of sign_fuzzer's, behind its header: the signers in turn, the
 * request flag, and a signature octet for the forgery check. */
static void seed(const char *harness, const char *name, const void *data, size_t len)
{
	static unsigned n_sign;
	char dir[64];
	snprintf(dir, sizeof(dir), "%s_fuzzer.in", harness);
	write_file(dir, name, data, len);
	int request = strcmp(harness, "request") == 0;
	if (!request && strcmp(harness, "response") != 0)
		return;
	uint8_t *in = malloc(len + 2);
	if (!in)
		die("memory", OCSPKIT_E_NO_MEMORY);
	in[0] = (uint8_t)(n_sign % 10);
	in[1] = (uint8_t)((n_sign * 37 % 128) << 1 | (unsigned)request);
	memcpy(in + 2, data, len);
	char sname[256];
	snprintf(sname, sizeof(sname), "%s-%s", harness, name);
	write_file("sign_fuzzer.in", sname, in, len + 2);
	free(in);
	n_sign++;
}

/* ---------------------------------------------------------------- DER by hand */

typedef okit_buf buf;

static void take(buf *b, uint8_t **out, size_t *len)
{
	ocspkit_err e = okit_buf_finish(b, out, len);
	if (e)
		die("DER writer", e);
}

/* Content octets of a dotted OID. */
static size_t oid_der(const char *dotted, uint8_t *out)
{
	unsigned long arcs[24];
	size_t n = 0, len = 0;
	const char *s = dotted;
	while (*s && n < 24) {
		char *end;
		arcs[n++] = strtoul(s, &end, 10);
		s = *end == '.' ? end + 1 : end;
	}
	for (size_t i = 1; i < n; i++) {
		unsigned long v = i == 1 ? arcs[0] * 40 + arcs[1] : arcs[i];
		uint8_t tmp[10];
		size_t k = 0;
		do {
			tmp[k++] = (uint8_t)(v & 0x7F);
			v >>= 7;
		} while (v);
		while (k--)
			out[len++] = (uint8_t)(tmp[k] | (k ? 0x80 : 0));
	}
	return len;
}

static void put_oid(buf *b, const char *dotted)
{
	uint8_t d[32];
	okit_der_prim(b, OKIT_TAG_OID, d, oid_der(dotted, d));
}

static void put_str(buf *b, uint8_t tag, const char *s)
{
	okit_der_prim(b, tag, (const uint8_t *)s, strlen(s));
}

static void put_time(buf *b, int64_t t)
{
	okit_der_gentime(b, OKIT_TAG_GENERALIZED_TIME, t, (ocspkit_bytes){ NULL, 0 });
}

/* UTCTime for years before 2050 (RFC 5280 4.1.2.5), GeneralizedTime after. */
static void put_cert_time(buf *b, int64_t t)
{
	int y, mo, d, h, mi, s;
	okit_time_to_civil(t, &y, &mo, &d, &h, &mi, &s);
	if (y >= 2050) {
		put_time(b, t);
		return;
	}
	char tmp[16];
	snprintf(tmp, sizeof(tmp), "%02d%02d%02d%02d%02d%02dZ", y % 100, mo, d, h, mi, s);
	put_str(b, OKIT_TAG_UTC_TIME, tmp);
}

static void put_algid(buf *b, const char *dotted, int null_params)
{
	size_t m = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	put_oid(b, dotted);
	if (null_params)
		okit_der_prim(b, OKIT_TAG_NULL, NULL, 0);
	okit_der_close(b, m);
}

/* Deterministic filler octets. */
static uint32_t rng_state = 0x6f637370;
static void filler(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		rng_state ^= rng_state << 13;
		rng_state ^= rng_state >> 17;
		rng_state ^= rng_state << 5;
		p[i] = (uint8_t)rng_state;
	}
}

/* An attribute of a Name: type, string tag, value. */
typedef struct {
	const char *type;
	uint8_t tag;
	const char *value;
	size_t len; /* 0: strlen(value) */
} attr;

#define CN "2.5.4.3"
#define O_ "2.5.4.10"
#define C_ "2.5.4.6"
#define OU "2.5.4.11"

/* A Name with one attribute per RDN, or (multi) all attributes in one RDN,
 * sorted as DER wants. */
static void put_name(buf *b, const attr *a, size_t n, int multi)
{
	size_t seq = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	if (multi) {
		/* encode each ATV, sort the encodings, write them in one SET */
		uint8_t *enc[8];
		size_t len[8];
		for (size_t i = 0; i < n && i < 8; i++) {
			buf t;
			okit_buf_init(&t, OKIT_DER_MAX);
			size_t m = okit_der_open(&t, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
			put_oid(&t, a[i].type);
			okit_der_prim(&t, a[i].tag, (const uint8_t *)a[i].value, a[i].len ? a[i].len : strlen(a[i].value));
			okit_der_close(&t, m);
			take(&t, &enc[i], &len[i]);
		}
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0; j--) {
				size_t k = len[j - 1] < len[j] ? len[j - 1] : len[j];
				int c = memcmp(enc[j - 1], enc[j], k);
				if (c > 0 || (c == 0 && len[j - 1] > len[j])) {
					uint8_t *te = enc[j];
					size_t tl = len[j];
					enc[j] = enc[j - 1], len[j] = len[j - 1];
					enc[j - 1] = te, len[j - 1] = tl;
				}
			}
		size_t set = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SET);
		for (size_t i = 0; i < n; i++) {
			okit_buf_put(b, enc[i], len[i]);
			ocspkit_free(enc[i]);
		}
		okit_der_close(b, set);
	} else {
		for (size_t i = 0; i < n; i++) {
			size_t set = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SET);
			size_t m = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
			put_oid(b, a[i].type);
			okit_der_prim(b, a[i].tag, (const uint8_t *)a[i].value, a[i].len ? a[i].len : strlen(a[i].value));
			okit_der_close(b, m);
			okit_der_close(b, set);
		}
	}
	okit_der_close(b, seq);
}

/* ---------------------------------------------------------------- certificates */

enum { KEY_RSA, KEY_EC256, KEY_EC384, KEY_ED25519, KEY_ED448, KEY_RSA_PSS };

typedef struct {
	long version;            /* 0, 1 or 2 */
	uint8_t serial[20];
	size_t serial_len;
	const attr *issuer, *subject;
	size_t n_issuer, n_subject;
	int key;
	int64_t not_before, not_after;
	int ca, ocsp_signing, nocheck, must_staple, key_usage, unique_ids, san;
	const char *ocsp_url, *ocsp_url2, *ca_issuers;
} cert_spec;

static const char *sig_oid(int key)
{
	switch (key) {
	case KEY_EC256: return "1.2.840.10045.4.3.2";
	case KEY_EC384: return "1.2.840.10045.4.3.3";
	case KEY_ED25519: return "1.3.101.112";
	case KEY_ED448: return "1.3.101.113";
	case KEY_RSA_PSS: return "1.2.840.113549.1.1.10";
	default: return "1.2.840.113549.1.1.11";
	}
}

/* RSASSA-PSS-params with SHA-256, MGF1-SHA-256, salt 32 */
static void put_pss_params(buf *b)
{
	size_t m = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	size_t t = okit_der_open(b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 0);
	put_algid(b, "2.16.840.1.101.3.4.2.1", 1);
	okit_der_close(b, t);
	t = okit_der_open(b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 1);
	size_t a = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	put_oid(b, "1.2.840.113549.1.1.8");
	put_algid(b, "2.16.840.1.101.3.4.2.1", 1);
	okit_der_close(b, a);
	okit_der_close(b, t);
	t = okit_der_open(b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 2);
	okit_der_uint(b, OKIT_TAG_INTEGER, 32);
	okit_der_close(b, t);
	okit_der_close(b, m);
}

static void put_sig_algid(buf *b, int key)
{
	if (key == KEY_RSA_PSS) {
		size_t m = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
		put_oid(b, sig_oid(key));
		put_pss_params(b);
		okit_der_close(b, m);
	} else {
		put_algid(b, sig_oid(key), key == KEY_RSA);
	}
}

/* Signature octets of the right shape for the algorithm. */
static void put_signature_value(buf *b, int key)
{
	uint8_t sig[512];
	if (key == KEY_EC256 || key == KEY_EC384) {
		size_t n = key == KEY_EC256 ? 32 : 48;
		buf t;
		uint8_t r[49], s[49], *d;
		size_t dl;
		filler(r + 1, n), filler(s + 1, n);
		r[0] = s[0] = 0;
		okit_buf_init(&t, OKIT_DER_MAX);
		size_t m = okit_der_open(&t, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
		okit_der_prim(&t, OKIT_TAG_INTEGER, r[1] & 0x80 ? r : r + 1, r[1] & 0x80 ? n + 1 : n);
		okit_der_prim(&t, OKIT_TAG_INTEGER, s[1] & 0x80 ? s : s + 1, s[1] & 0x80 ? n + 1 : n);
		okit_der_close(&t, m);
		take(&t, &d, &dl);
		okit_der_bit_string(b, d, dl);
		ocspkit_free(d);
		return;
	}
	size_t n = key == KEY_ED25519 ? 64 : key == KEY_ED448 ? 114 : 256;
	filler(sig, n);
	okit_der_bit_string(b, sig, n);
}

static void put_spki(buf *b, int key)
{
	uint8_t k[300];
	size_t m = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	switch (key) {
	case KEY_EC256:
	case KEY_EC384: {
		size_t a = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
		put_oid(b, "1.2.840.10045.2.1");
		put_oid(b, key == KEY_EC256 ? "1.2.840.10045.3.1.7" : "1.3.132.0.34");
		okit_der_close(b, a);
		size_t n = key == KEY_EC256 ? 65 : 97;
		filler(k, n);
		k[0] = 4;
		okit_der_bit_string(b, k, n);
		break;
	}
	case KEY_ED25519:
	case KEY_ED448:
		put_algid(b, key == KEY_ED25519 ? "1.3.101.112" : "1.3.101.113", 0);
		filler(k, key == KEY_ED25519 ? 32 : 57);
		okit_der_bit_string(b, k, key == KEY_ED25519 ? 32 : 57);
		break;
	default: {
		if (key == KEY_RSA_PSS) {
			size_t a = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
			put_oid(b, "1.2.840.113549.1.1.10");
			okit_der_close(b, a);
		} else {
			put_algid(b, "1.2.840.113549.1.1.1", 1);
		}
		/* RSAPublicKey { modulus 2048 bits, 65537 } */
		buf t;
		uint8_t *d, mod[257];
		size_t dl;
		mod[0] = 0;
		filler(mod + 1, 256);
		mod[1] |= 0x80;
		mod[256] |= 1;
		okit_buf_init(&t, OKIT_DER_MAX);
		size_t s = okit_der_open(&t, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
		okit_der_prim(&t, OKIT_TAG_INTEGER, mod, sizeof(mod));
		okit_der_uint(&t, OKIT_TAG_INTEGER, 65537);
		okit_der_close(&t, s);
		take(&t, &d, &dl);
		okit_der_bit_string(b, d, dl);
		ocspkit_free(d);
	}
	}
	okit_der_close(b, m);
}

/* One Extension with its value built by the caller between open and close. */
static size_t ext_open(buf *b, const char *oid, int critical, size_t *octets)
{
	size_t m = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	put_oid(b, oid);
	if (critical)
		okit_der_prim(b, OKIT_TAG_BOOLEAN, (const uint8_t *)"\xff", 1);
	*octets = okit_der_open(b, OKIT_TAG_OCTET_STRING);
	return m;
}

static void ext_close(buf *b, size_t m, size_t octets)
{
	okit_der_close(b, octets);
	okit_der_close(b, m);
}

/* AccessDescription { method, [6] URI } */
static void put_access(buf *b, const char *method, const char *uri)
{
	size_t m = okit_der_open(b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	put_oid(b, method);
	put_str(b, OKIT_CLASS_CONTEXT | 6, uri);
	okit_der_close(b, m);
}

static void make_cert(const cert_spec *c, uint8_t **out, size_t *len)
{
	buf b;
	size_t o;
	okit_buf_init(&b, OKIT_DER_MAX);
	size_t cert = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	size_t tbs = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	if (c->version) {
		size_t v = okit_der_open(&b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 0);
		okit_der_uint(&b, OKIT_TAG_INTEGER, (unsigned long)c->version);
		okit_der_close(&b, v);
	}
	okit_der_prim(&b, OKIT_TAG_INTEGER, c->serial, c->serial_len);
	put_sig_algid(&b, c->key);
	put_name(&b, c->issuer, c->n_issuer, 0);
	size_t val = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	put_cert_time(&b, c->not_before);
	put_cert_time(&b, c->not_after);
	okit_der_close(&b, val);
	put_name(&b, c->subject, c->n_subject, 0);
	put_spki(&b, c->key);
	if (c->unique_ids) {
		okit_der_prim(&b, OKIT_CLASS_CONTEXT | 1, (const uint8_t *)"\x00\x01\x02", 3);
		okit_der_prim(&b, OKIT_CLASS_CONTEXT | 2, (const uint8_t *)"\x04\xf0", 2);
	}
	if (c->version == 2) {
		size_t x = okit_der_open(&b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 3);
		size_t list = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
		if (c->ca) {
			size_t e = ext_open(&b, "2.5.29.19", 1, &o);
			size_t s = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
			okit_der_prim(&b, OKIT_TAG_BOOLEAN, (const uint8_t *)"\xff", 1);
			okit_der_uint(&b, OKIT_TAG_INTEGER, 0);
			okit_der_close(&b, s);
			ext_close(&b, e, o);
		}
		if (c->key_usage) {
			/* digitalSignature, or keyCertSign + cRLSign for a CA */
			size_t e = ext_open(&b, "2.5.29.15", 1, &o);
			okit_der_prim(&b, OKIT_TAG_BIT_STRING,
				      (const uint8_t *)(c->ca ? "\x01\x06" : "\x07\x80"), 2);
			ext_close(&b, e, o);
		}
		if (c->ocsp_signing) {
			size_t e = ext_open(&b, "2.5.29.37", 0, &o);
			size_t s = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
			put_oid(&b, "1.3.6.1.5.5.7.3.9");
			okit_der_close(&b, s);
			ext_close(&b, e, o);
		} else if (!c->ca) {
			size_t e = ext_open(&b, "2.5.29.37", 0, &o);
			size_t s = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
			put_oid(&b, "1.3.6.1.5.5.7.3.1");
			put_oid(&b, "1.3.6.1.5.5.7.3.2");
			okit_der_close(&b, s);
			ext_close(&b, e, o);
		}
		if (c->nocheck) {
			size_t e = ext_open(&b, "1.3.6.1.5.5.7.48.1.5", 0, &o);
			okit_der_prim(&b, OKIT_TAG_NULL, NULL, 0);
			ext_close(&b, e, o);
		}
		if (c->ocsp_url || c->ca_issuers) {
			size_t e = ext_open(&b, "1.3.6.1.5.5.7.1.1", 0, &o);
			size_t s = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
			if (c->ocsp_url)
				put_access(&b, "1.3.6.1.5.5.7.48.1", c->ocsp_url);
			if (c->ca_issuers)
				put_access(&b, "1.3.6.1.5.5.7.48.2", c->ca_issuers);
			if (c->ocsp_url2)
				put_access(&b, "1.3.6.1.5.5.7.48.1", c->ocsp_url2);
			okit_der_close(&b, s);
			ext_close(&b, e, o);
		}
		if (c->must_staple) {
			size_t e = ext_open(&b, "1.3.6.1.5.5.7.1.24", 0, &o);
			size_t s = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
			okit_der_uint(&b, OKIT_TAG_INTEGER, 5);
			okit_der_close(&b, s);
			ext_close(&b, e, o);
		}
		if (c->san) {
			size_t e = ext_open(&b, "2.5.29.17", 0, &o);
			size_t s = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
			put_str(&b, OKIT_CLASS_CONTEXT | 2, "leaf.example.org");
			okit_der_prim(&b, OKIT_CLASS_CONTEXT | 7, (const uint8_t *)"\xc0\x00\x02\x01", 4);
			okit_der_close(&b, s);
			ext_close(&b, e, o);
		}
		/* subjectKeyIdentifier */
		uint8_t ski[20];
		filler(ski, 20);
		size_t e = ext_open(&b, "2.5.29.14", 0, &o);
		okit_der_prim(&b, OKIT_TAG_OCTET_STRING, ski, 20);
		ext_close(&b, e, o);
		okit_der_close(&b, list);
		okit_der_close(&b, x);
	}
	okit_der_close(&b, tbs);
	put_sig_algid(&b, c->key);
	put_signature_value(&b, c->key);
	okit_der_close(&b, cert);
	take(&b, out, len);
}

static ocspkit_cert *decode_cert(const uint8_t *der, size_t len)
{
	ocspkit_cert *x;
	size_t off;
	ocspkit_err e = ocspkit_cert_decode(&x, der, len, OCSPKIT_DECODE_STRICT, &off);
	if (e) {
		fprintf(stderr, "gen_corpus: a generated certificate does not decode at %zu\n", off);
		die("certificate", e);
	}
	return x;
}

/* ---------------------------------------------------------------- the PKI */

static const attr ca_name[] = { { C_, OKIT_TAG_PRINTABLE_STRING, "US", 0 },
				{ O_, OKIT_TAG_UTF8_STRING, "ocspkit fuzz", 0 },
				{ CN, OKIT_TAG_UTF8_STRING, "Fuzz Root CA", 0 } };
static const attr responder_name[] = { { C_, OKIT_TAG_PRINTABLE_STRING, "US", 0 },
				       { O_, OKIT_TAG_UTF8_STRING, "ocspkit fuzz", 0 },
				       { CN, OKIT_TAG_UTF8_STRING, "Fuzz OCSP Responder", 0 } };
static const attr leaf_name[] = { { CN, OKIT_TAG_UTF8_STRING, "leaf.example.org", 0 } };

typedef struct {
	uint8_t *der;
	size_t len;
	ocspkit_cert *x;
} gcert;

static gcert ca, responder, leaf, leaf_ec, responder_ed, v1_cert, pss_cert;

static int64_t civil_time(int y, int mo, int d, int h, int mi, int s)
{
	return okit_time_from_civil(y, mo, d, h, mi, s);
}

static gcert build(const cert_spec *s)
{
	gcert g;
	make_cert(s, &g.der, &g.len);
	g.x = decode_cert(g.der, g.len);
	return g;
}

static void make_pki(void)
{
	cert_spec s;
	memset(&s, 0, sizeof(s));
	s.version = 2, s.serial_len = 1, s.serial[0] = 1;
	s.issuer = ca_name, s.n_issuer = 3, s.subject = ca_name, s.n_subject = 3;
	s.key = KEY_RSA, s.not_before = civil_time(2025, 1, 1, 0, 0, 0), s.not_after = civil_time(2055, 1, 1, 0, 0, 0);
	s.ca = 1, s.key_usage = 1;
	ca = build(&s);

	memset(&s, 0, sizeof(s));
	s.version = 2, s.serial_len = 2, s.serial[0] = 0x10, s.serial[1] = 0x01;
	s.issuer = ca_name, s.n_issuer = 3, s.subject = responder_name, s.n_subject = 3;
	s.key = KEY_RSA, s.not_before = civil_time(2025, 11, 1, 0, 0, 0), s.not_after = civil_time(2026, 2, 1, 0, 0, 0);
	s.ocsp_signing = 1, s.nocheck = 1, s.key_usage = 1;
	responder = build(&s);

	memset(&s, 0, sizeof(s));
	s.version = 2, s.serial_len = 16;
	filler(s.serial, 16);
	s.serial[0] = (uint8_t)((s.serial[0] & 0x7F) | 0x01);
	s.issuer = ca_name, s.n_issuer = 3, s.subject = leaf_name, s.n_subject = 1;
	s.key = KEY_RSA, s.not_before = civil_time(2025, 11, 1, 0, 0, 0), s.not_after = civil_time(2026, 11, 1, 0, 0, 0);
	s.key_usage = 1, s.san = 1, s.ocsp_url = "http://ocsp.example.org/", s.ca_issuers = "http://ca.example.org/ca.der";
	s.ocsp_url2 = "http://ocsp2.example.org/path?x=1";
	leaf = build(&s);

	memset(&s, 0, sizeof(s));
	s.version = 2, s.serial_len = 9;
	filler(s.serial, 9);
	s.serial[0] = 0x85; /* a negative serial, as some CAs wrote them */
	s.issuer = ca_name, s.n_issuer = 3, s.subject = leaf_name, s.n_subject = 1;
	s.key = KEY_EC256, s.not_before = civil_time(2049, 6, 1, 0, 0, 0), s.not_after = civil_time(2050, 6, 1, 0, 0, 0);
	s.key_usage = 1, s.must_staple = 1, s.ocsp_url = "http://ocsp.example.org/";
	leaf_ec = build(&s);

	memset(&s, 0, sizeof(s));
	s.version = 2, s.serial_len = 1, s.serial[0] = 0x42;
	s.issuer = ca_name, s.n_issuer = 3, s.subject = responder_name, s.n_subject = 3;
	s.key = KEY_ED25519, s.not_before = civil_time(2025, 11, 1, 0, 0, 0), s.not_after = civil_time(2026, 11, 1, 0, 0, 0);
	s.ocsp_signing = 1;
	responder_ed = build(&s);

	memset(&s, 0, sizeof(s));
	s.version = 0, s.serial_len = 1, s.serial[0] = 0;
	s.issuer = ca_name, s.n_issuer = 3, s.subject = leaf_name, s.n_subject = 1;
	s.key = KEY_EC384, s.not_before = civil_time(1999, 12, 31, 23, 59, 59), s.not_after = civil_time(2049, 12, 31, 23, 59, 59);
	v1_cert = build(&s);

	memset(&s, 0, sizeof(s));
	s.version = 1, s.serial_len = 2, s.serial[0] = 0x7f, s.serial[1] = 0xff;
	s.issuer = ca_name, s.n_issuer = 3, s.subject = leaf_name, s.n_subject = 1;
	s.key = KEY_RSA_PSS, s.not_before = civil_time(2025, 1, 1, 0, 0, 0), s.not_after = civil_time(2125, 1, 1, 0, 0, 0);
	s.unique_ids = 1;
	pss_cert = build(&s);

	seed("certificate", "ca-rsa.der", ca.der, ca.len);
	seed("certificate", "responder-rsa-ocspsigning-nocheck.der", responder.der, responder.len);
	seed("certificate", "leaf-rsa-aia-san.der", leaf.der, leaf.len);
	seed("certificate", "leaf-ec-muststaple-negative-serial-gentime.der", leaf_ec.der, leaf_ec.len);
	seed("certificate", "responder-ed25519.der", responder_ed.der, responder_ed.len);
	seed("certificate", "v1-ec384-utctime.der", v1_cert.der, v1_cert.len);
	seed("certificate", "v2-rsapss-unique-ids.der", pss_cert.der, pss_cert.len);

	cert_spec e;
	memset(&e, 0, sizeof(e));
	e.version = 2, e.serial_len = 3, e.serial[0] = 1, e.serial[1] = 2, e.serial[2] = 3;
	e.issuer = ca_name, e.n_issuer = 3, e.subject = ca_name, e.n_subject = 3;
	e.key = KEY_ED448, e.not_before = civil_time(2025, 1, 1, 0, 0, 0), e.not_after = civil_time(2035, 1, 1, 0, 0, 0);
	e.ca = 1, e.key_usage = 1, e.ocsp_signing = 1;
	gcert ed448 = build(&e);
	seed("certificate", "ca-ed448-self-issued.der", ed448.der, ed448.len);
	/* their keys alone, for the harness's bare SubjectPublicKeyInfo path */
	const struct {
		const gcert *c;
		const char *name;
	} keys[] = { { &ca, "spki-of-ca-rsa.der" },	   { &leaf_ec, "spki-of-leaf-ec.der" },
		     { &responder_ed, "spki-of-responder-ed25519.der" }, { &v1_cert, "spki-of-v1-ec384.der" },
		     { &pss_cert, "spki-of-rsapss.der" },	   { &ed448, "spki-of-ca-ed448.der" } };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		ocspkit_bytes spki = ocspkit_cert_get_spki(keys[i].c->x);
		seed("certificate", keys[i].name, spki.data, spki.len);
	}
	ocspkit_cert_free(ed448.x);
	ocspkit_free(ed448.der);
}

/* ---------------------------------------------------------------- messages */

static ocspkit_cert_id_value cert_id(ocspkit_hash h, const gcert *subject)
{
	ocspkit_cert_id_value v;
	ocspkit_err e = ocspkit_cert_id_for_cert(&v, h, ca.x, subject->x);
	if (e)
		die("CertID", e);
	return v;
}

/* A CertID with a hash the codec does not compute (MD5): made by hand */
static ocspkit_cert_id_value md5_cert_id(void)
{
	ocspkit_cert_id_value v;
	memset(&v, 0, sizeof(v));
	v.hash = OCSPKIT_HASH_MD5;
	v.hash_len = 16;
	filler(v.issuer_name_hash, 16);
	filler(v.issuer_key_hash, 16);
	v.serial_len = 1;
	v.serial[0] = 7;
	return v;
}

static uint8_t ext_values[32][256];
static size_t n_ext_values;

/* Keeps built DER alive for the structs that point at it. */
static ocspkit_bytes keep(buf *b)
{
	uint8_t *d;
	size_t l;
	take(b, &d, &l);
	if (n_ext_values == 32 || l > sizeof(ext_values[0]))
		die("extension value table", OCSPKIT_E_INTERNAL);
	memcpy(ext_values[n_ext_values], d, l);
	ocspkit_free(d);
	return (ocspkit_bytes){ ext_values[n_ext_values++], l };
}

static ocspkit_extension nonce_ext(size_t n)
{
	uint8_t nonce[64];
	buf b;
	okit_buf_init(&b, OKIT_DER_MAX);
	filler(nonce, n);
	okit_der_prim(&b, OKIT_TAG_OCTET_STRING, nonce, n);
	return (ocspkit_extension){ OCSPKIT_EXT_NONCE, { NULL, 0 }, 0, keep(&b) };
}

static ocspkit_extension reason_ext(ocspkit_crl_reason r)
{
	buf b;
	okit_buf_init(&b, OKIT_DER_MAX);
	okit_der_uint(&b, OKIT_TAG_ENUMERATED, (unsigned long)r);
	return (ocspkit_extension){ OCSPKIT_EXT_CRL_REASON, { NULL, 0 }, 0, keep(&b) };
}

static ocspkit_extension time_ext(ocspkit_ext_type type, int64_t t)
{
	buf b;
	okit_buf_init(&b, OKIT_DER_MAX);
	put_time(&b, t);
	return (ocspkit_extension){ type, { NULL, 0 }, 0, keep(&b) };
}

static ocspkit_extension crl_id_ext(int parts)
{
	buf b;
	okit_buf_init(&b, OKIT_DER_MAX);
	size_t m = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	if (parts & 1) {
		size_t t = okit_der_open(&b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 0);
		put_str(&b, OKIT_TAG_IA5_STRING, "http://crl.example.org/ca.crl");
		okit_der_close(&b, t);
	}
	if (parts & 2) {
		size_t t = okit_der_open(&b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 1);
		okit_der_uint(&b, OKIT_TAG_INTEGER, 4242);
		okit_der_close(&b, t);
	}
	if (parts & 4) {
		size_t t = okit_der_open(&b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 2);
		put_time(&b, civil_time(2025, 11, 21, 0, 0, 0));
		okit_der_close(&b, t);
	}
	okit_der_close(&b, m);
	return (ocspkit_extension){ OCSPKIT_EXT_CRL_ID, { NULL, 0 }, 0, keep(&b) };
}

static ocspkit_extension acceptable_ext(void)
{
	buf b;
	okit_buf_init(&b, OKIT_DER_MAX);
	size_t m = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	put_oid(&b, "1.3.6.1.5.5.7.48.1.1");
	okit_der_close(&b, m);
	return (ocspkit_extension){ OCSPKIT_EXT_ACCEPTABLE_RESPONSES, { NULL, 0 }, 0, keep(&b) };
}

static ocspkit_extension service_locator_ext(void)
{
	buf b;
	okit_buf_init(&b, OKIT_DER_MAX);
	size_t m = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	put_name(&b, ca_name, 3, 0);
	size_t l = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	put_access(&b, "1.3.6.1.5.5.7.48.1", "http://ocsp.example.org/");
	okit_der_close(&b, l);
	okit_der_close(&b, m);
	return (ocspkit_extension){ OCSPKIT_EXT_SERVICE_LOCATOR, { NULL, 0 }, 0, keep(&b) };
}

static ocspkit_extension pref_sig_ext(void)
{
	buf b;
	okit_buf_init(&b, OKIT_DER_MAX);
	size_t m = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	size_t p = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	put_algid(&b, "1.2.840.113549.1.1.11", 1);
	put_algid(&b, "1.2.840.113549.1.1.1", 1);
	okit_der_close(&b, p);
	p = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	put_algid(&b, "1.2.840.10045.4.3.2", 0);
	okit_der_close(&b, p);
	p = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	put_algid(&b, "1.3.101.112", 0);
	okit_der_close(&b, p);
	okit_der_close(&b, m);
	return (ocspkit_extension){ OCSPKIT_EXT_PREF_SIG_ALGS, { NULL, 0 }, 0, keep(&b) };
}

static ocspkit_extension null_ext(ocspkit_ext_type type)
{
	buf b;
	okit_buf_init(&b, OKIT_DER_MAX);
	okit_der_prim(&b, OKIT_TAG_NULL, NULL, 0);
	return (ocspkit_extension){ type, { NULL, 0 }, 0, keep(&b) };
}

static ocspkit_extension cert_issuer_ext(void)
{
	buf b;
	okit_buf_init(&b, OKIT_DER_MAX);
	size_t m = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	size_t d = okit_der_open(&b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 4);
	put_name(&b, ca_name, 3, 0);
	okit_der_close(&b, d);
	put_str(&b, OKIT_CLASS_CONTEXT | 6, "http://ca.example.org/");
	okit_der_close(&b, m);
	return (ocspkit_extension){ OCSPKIT_EXT_CERTIFICATE_ISSUER, { NULL, 0 }, 0, keep(&b) };
}

static ocspkit_extension unknown_ext(int critical)
{
	static uint8_t oid[16];
	size_t n = oid_der("1.3.6.1.4.1.11129.2.4.99", oid);
	buf b;
	okit_buf_init(&b, OKIT_DER_MAX);
	okit_der_prim(&b, OKIT_TAG_UTF8_STRING, (const uint8_t *)"opaque", 6);
	return (ocspkit_extension){ OCSPKIT_EXT_UNKNOWN, { oid, n }, critical, keep(&b) };
}

/* A SingleResponse for subject with the given hash, status and reason
 * (reason < 0: none). */
static ocspkit_single_response single(const ocspkit_cert_id_value *v, ocspkit_cert_status st, int reason, int next)
{
	ocspkit_single_response s;
	memset(&s, 0, sizeof(s));
	s.cert_id = ocspkit_cert_id_value_view(v);
	s.status = st;
	s.this_update = civil_time(2025, 11, 22, 0, 0, 0);
	if (next) {
		s.has_next_update = 1;
		s.next_update = civil_time(2025, 11, 29, 0, 0, 0);
	}
	if (st == OCSPKIT_CERT_REVOKED) {
		s.revocation_time = civil_time(2025, 6, 1, 12, 30, 45);
		if (reason >= 0) {
			s.has_revocation_reason = 1;
			s.revocation_reason = (ocspkit_crl_reason)reason;
		}
	}
	return s;
}

static void put_response(const char *name, const ocspkit_response_tbs *d, int key, const gcert *const *certs,
			 size_t n_certs)
{
	uint8_t *tbs, *der, *sigdata;
	size_t tbs_len, der_len, sig_len;
	ocspkit_err e = ocspkit_response_tbs_encode(&tbs, &tbs_len, d);
	if (e)
		die(name, e);
	/* algorithm and value from the certificate writer's helpers */
	buf b;
	okit_buf_init(&b, OKIT_DER_MAX);
	put_sig_algid(&b, key);
	put_signature_value(&b, key);
	take(&b, &sigdata, &sig_len);
	okit_dctx c = okit_ctx(sigdata, 0);
	const uint8_t *p = sigdata;
	size_t n = sig_len;
	okit_tlv alg, bits;
	if (okit_der_next(&c, &p, &n, &alg) || okit_der_next(&c, &p, &n, &bits))
		die(name, OCSPKIT_E_INTERNAL);
	ocspkit_signature_block sig;
	ocspkit_bytes cert_views[4];
	memset(&sig, 0, sizeof(sig));
	okit_tlv oidt;
	c.base = alg.val;
	p = alg.val, n = alg.val_len;
	if (okit_der_next(&c, &p, &n, &oidt))
		die(name, OCSPKIT_E_INTERNAL);
	sig.algorithm.oid = (ocspkit_bytes){ oidt.val, oidt.val_len };
	sig.algorithm.params = (ocspkit_bytes){ n ? p : NULL, n };
	sig.signature = (ocspkit_bytes){ bits.val + 1, bits.val_len - 1 };
	for (size_t i = 0; i < n_certs && i < 4; i++)
		cert_views[i] = (ocspkit_bytes){ certs[i]->der, certs[i]->len };
	sig.certs = cert_views;
	sig.cert_count = n_certs;
	e = ocspkit_response_assemble(&der, &der_len, (ocspkit_bytes){ tbs, tbs_len }, &sig);
	if (e)
		die(name, e);
	seed("response", name, der, der_len);
	seed("differential", name, der, der_len);
	ocspkit_free(der);
	ocspkit_free(tbs);
	ocspkit_free(sigdata);
}

static void responses(void)
{
	/* No seeds for the five error statuses: each is the five octets
	 * 30 03 0A 01 xx, which the peers' test vectors already hold (and
	 * which must not be copied here); the dictionary's "\x30\x03\x0A\x01"
	 * and mutations of the status octet reach them at once. */

	uint8_t key_hash[20];
	ocspkit_cert_get_key_hash(key_hash, responder.x);
	ocspkit_response_tbs d;
	ocspkit_single_response s[8];
	ocspkit_cert_id_value v[8];
	ocspkit_extension ex[8], sx[4];
	const gcert *chain[2] = { &responder, &ca };
	const gcert *ed_chain[1] = { &responder_ed };

	memset(&d, 0, sizeof(d));
	d.responder_id.type = OCSPKIT_RESPONDER_BY_KEY;
	d.responder_id.value = (ocspkit_bytes){ key_hash, 20 };
	d.produced_at = civil_time(2025, 11, 22, 1, 2, 3);
	d.responses = s;

	/* one good, by key, no certificates (RFC 5019 shape) */
	v[0] = cert_id(OCSPKIT_HASH_SHA1, &leaf);
	s[0] = single(&v[0], OCSPKIT_CERT_GOOD, -1, 1);
	d.response_count = 1;
	put_response("resp-good-bykey-sha1.der", &d, KEY_RSA, NULL, 0);

	/* good, no nextUpdate, with a nonce, signer certificate chain */
	s[0].has_next_update = 0;
	ex[0] = nonce_ext(16);
	d.extensions = ex, d.extension_count = 1;
	put_response("resp-good-nonce-certs-no-nextupdate.der", &d, KEY_RSA, chain, 2);

	/* revoked without and with every reason */
	s[0] = single(&v[0], OCSPKIT_CERT_REVOKED, -1, 1);
	d.extensions = NULL, d.extension_count = 0;
	put_response("resp-revoked-no-reason.der", &d, KEY_RSA, NULL, 0);
	static const int reasons[] = { 0, 1, 2, 3, 4, 5, 6, 8, 9, 10 };
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		char name[64];
		s[0] = single(&v[0], OCSPKIT_CERT_REVOKED, reasons[i], 1);
		snprintf(name, sizeof(name), "resp-revoked-reason-%s.der", ocspkit_crl_reason_name(reasons[i]));
		put_response(name, &d, KEY_RSA, NULL, 0);
	}

	/* unknown, byName responder, ECDSA leaf with a negative serial */
	v[1] = cert_id(OCSPKIT_HASH_SHA256, &leaf_ec);
	s[0] = single(&v[1], OCSPKIT_CERT_UNKNOWN, -1, 0);
	buf b;
	okit_buf_init(&b, OKIT_DER_MAX);
	put_name(&b, responder_name, 3, 0);
	uint8_t *rname;
	size_t rname_len;
	take(&b, &rname, &rname_len);
	d.responder_id.type = OCSPKIT_RESPONDER_BY_NAME;
	d.responder_id.value = (ocspkit_bytes){ rname, rname_len };
	put_response("resp-unknown-byname-sha256.der", &d, KEY_EC256, NULL, 0);

	/* several singles, every hash, every status, single extensions */
	static const ocspkit_hash hashes[] = { OCSPKIT_HASH_SHA1, OCSPKIT_HASH_SHA224, OCSPKIT_HASH_SHA256,
					      OCSPKIT_HASH_SHA384, OCSPKIT_HASH_SHA512 };
	for (size_t i = 0; i < 5; i++) {
		v[i] = cert_id(hashes[i], i % 2 ? &leaf_ec : &leaf);
		s[i] = single(&v[i], (ocspkit_cert_status)(i % 3), i == 1 ? 1 : -1, i != 2);
	}
	v[5] = md5_cert_id();
	s[5] = single(&v[5], OCSPKIT_CERT_GOOD, -1, 1);
	sx[0] = reason_ext(OCSPKIT_REASON_SUPERSEDED);
	sx[1] = time_ext(OCSPKIT_EXT_INVALIDITY_DATE, civil_time(2025, 5, 30, 0, 0, 0));
	sx[2] = cert_issuer_ext();
	s[1].extensions = sx, s[1].extension_count = 3;
	s[4].extensions = sx + 3, s[4].extension_count = 1;
	sx[3] = unknown_ext(0);
	d.response_count = 6;
	ex[0] = nonce_ext(32);
	ex[1] = crl_id_ext(7);
	ex[2] = time_ext(OCSPKIT_EXT_ARCHIVE_CUTOFF, civil_time(2020, 1, 1, 0, 0, 0));
	ex[3] = null_ext(OCSPKIT_EXT_EXTENDED_REVOKE);
	ex[4] = unknown_ext(1);
	d.extensions = ex, d.extension_count = 5;
	put_response("resp-many-every-hash-and-extension.der", &d, KEY_EC384, chain, 2);

	/* Ed25519 delegated responder, byKey, crl id parts, a 1-octet nonce */
	uint8_t ed_hash[20];
	ocspkit_cert_get_key_hash(ed_hash, responder_ed.x);
	d.responder_id.type = OCSPKIT_RESPONDER_BY_KEY;
	d.responder_id.value = (ocspkit_bytes){ ed_hash, 20 };
	d.response_count = 2;
	s[0] = single(&v[0], OCSPKIT_CERT_GOOD, -1, 1);
	s[1] = single(&v[2], OCSPKIT_CERT_REVOKED, 10, 1);
	ex[0] = nonce_ext(1);
	ex[1] = crl_id_ext(2);
	d.extensions = ex, d.extension_count = 2;
	put_response("resp-ed25519-delegated.der", &d, KEY_ED25519, ed_chain, 1);

	/* RSA-PSS, no singles at all, times at the edges of GeneralizedTime */
	d.response_count = 0;
	d.extensions = NULL, d.extension_count = 0;
	d.produced_at = civil_time(1970, 1, 1, 0, 0, 0);
	put_response("resp-pss-empty.der", &d, KEY_RSA_PSS, NULL, 0);
	d.response_count = 1;
	s[0] = single(&v[0], OCSPKIT_CERT_REVOKED, 0, 1);
	s[0].revocation_time = civil_time(1950, 2, 28, 23, 59, 59);
	s[0].this_update = civil_time(2000, 2, 29, 0, 0, 0);
	s[0].next_update = civil_time(9999, 12, 31, 23, 59, 59);
	d.produced_at = civil_time(2038, 1, 19, 3, 14, 8);
	put_response("resp-edge-times.der", &d, KEY_ED448, NULL, 0);

	/* conflicting duplicate CertIDs (decodes; lookups report the conflict) */
	d.response_count = 2;
	s[0] = single(&v[0], OCSPKIT_CERT_GOOD, -1, 1);
	s[1] = single(&v[0], OCSPKIT_CERT_REVOKED, 1, 1);
	d.produced_at = civil_time(2025, 11, 22, 1, 2, 3);
	put_response("resp-conflicting-duplicates.der", &d, KEY_RSA, NULL, 0);
	ocspkit_free(rname);
}

static void put_request(const char *name, const ocspkit_request_tbs *tbs, const ocspkit_signature_block *sig)
{
	uint8_t *der;
	size_t len;
	ocspkit_err e = ocspkit_request_encode(&der, &len, tbs, sig);
	if (e)
		die(name, e);
	seed("request", name, der, len);
	seed("differential", name, der, len);
	ocspkit_free(der);
}

static void requests(void)
{
	ocspkit_request_tbs tbs;
	ocspkit_single_request q[8];
	ocspkit_cert_id_value v[8];
	ocspkit_extension ex[4], qx[2];
	static const ocspkit_hash hashes[] = { OCSPKIT_HASH_SHA1, OCSPKIT_HASH_SHA224, OCSPKIT_HASH_SHA256,
					      OCSPKIT_HASH_SHA384, OCSPKIT_HASH_SHA512 };
	memset(&tbs, 0, sizeof(tbs));
	memset(q, 0, sizeof(q));
	tbs.requests = q;

	for (size_t i = 0; i < 5; i++) {
		char name[64];
		v[i] = cert_id(hashes[i], &leaf);
		q[0].cert_id = ocspkit_cert_id_value_view(&v[i]);
		tbs.request_count = 1;
		snprintf(name, sizeof(name), "req-one-%s.der", ocspkit_hash_name(hashes[i]));
		put_request(name, &tbs, NULL);
	}
	v[5] = md5_cert_id();
	q[0].cert_id = ocspkit_cert_id_value_view(&v[5]);
	put_request("req-one-md5.der", &tbs, NULL);

	/* many CertIDs, a nonce (as OpenSSL sends it) */
	for (size_t i = 0; i < 6; i++)
		q[i].cert_id = ocspkit_cert_id_value_view(&v[i]);
	v[6] = cert_id(OCSPKIT_HASH_SHA1, &leaf_ec);
	q[6].cert_id = ocspkit_cert_id_value_view(&v[6]);
	tbs.request_count = 7;
	ex[0] = nonce_ext(16);
	tbs.extensions = ex, tbs.extension_count = 1;
	put_request("req-many-nonce.der", &tbs, NULL);

	/* every request extension, a single request extension, requestorName */
	ex[1] = acceptable_ext();
	ex[2] = pref_sig_ext();
	ex[3] = unknown_ext(1);
	tbs.extension_count = 4;
	qx[0] = service_locator_ext();
	qx[1] = unknown_ext(0);
	q[0].extensions = qx, q[0].extension_count = 2;
	tbs.request_count = 2;
	buf b;
	okit_buf_init(&b, OKIT_DER_MAX);
	size_t t = okit_der_open(&b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 4);
	put_name(&b, leaf_name, 1, 0);
	okit_der_close(&b, t);
	uint8_t *gn;
	size_t gn_len;
	take(&b, &gn, &gn_len);
	tbs.requestor_name = (ocspkit_bytes){ gn, gn_len };
	put_request("req-extensions-requestor-dirname.der", &tbs, NULL);
	ocspkit_free(gn);

	okit_buf_init(&b, OKIT_DER_MAX);
	put_str(&b, OKIT_CLASS_CONTEXT | 1, "ocsp-client@example.org");
	take(&b, &gn, &gn_len);
	tbs.requestor_name = (ocspkit_bytes){ gn, gn_len };
	q[0].extensions = NULL, q[0].extension_count = 0;
	tbs.extensions = NULL, tbs.extension_count = 0;
	tbs.request_count = 1;

	/* signed, with and without certificates */
	buf sb;
	uint8_t *sd;
	size_t sl;
	okit_buf_init(&sb, OKIT_DER_MAX);
	put_signature_value(&sb, KEY_RSA);
	take(&sb, &sd, &sl);
	ocspkit_signature_block sig;
	ocspkit_bytes certs[2] = { { leaf.der, leaf.len }, { ca.der, ca.len } };
	uint8_t sha256rsa[16], null_der[2] = { 5, 0 };
	memset(&sig, 0, sizeof(sig));
	sig.algorithm.oid = (ocspkit_bytes){ sha256rsa, oid_der("1.2.840.113549.1.1.11", sha256rsa) };
	sig.algorithm.params = (ocspkit_bytes){ null_der, 2 };
	sig.signature = (ocspkit_bytes){ sd + 5, sl - 5 }; /* 03 82 01 01 00 */
	put_request("req-signed-email-requestor.der", &tbs, &sig);
	sig.certs = certs, sig.cert_count = 2;
	ocspkit_free(gn);
	okit_buf_init(&b, OKIT_DER_MAX);
	put_str(&b, OKIT_CLASS_CONTEXT | 6, "https://client.example.org/");
	take(&b, &gn, &gn_len);
	tbs.requestor_name = (ocspkit_bytes){ gn, gn_len };
	put_request("req-signed-certs-uri-requestor.der", &tbs, &sig);
	ocspkit_free(gn);
	ocspkit_free(sd);
}

/* ---------------------------------------------------------------- names */

static void name_seed(const char *file, const attr *a, size_t n, int multi)
{
	buf b;
	uint8_t *d;
	size_t l;
	okit_buf_init(&b, OKIT_DER_MAX);
	put_name(&b, a, n, multi);
	take(&b, &d, &l);
	seed("name", file, d, l);
	ocspkit_free(d);
}

static void general_name_seed(const char *file, uint8_t tag, const void *v, size_t n)
{
	buf b;
	uint8_t *d;
	size_t l;
	okit_buf_init(&b, OKIT_DER_MAX);
	okit_der_prim(&b, tag, v, n);
	take(&b, &d, &l);
	seed("name", file, d, l);
	ocspkit_free(d);
}

static void names(void)
{
	static const attr types[] = { { CN, OKIT_TAG_UTF8_STRING, "utf8 \xc3\xa9t\xc3\xa9", 0 },
				      { O_, OKIT_TAG_PRINTABLE_STRING, "Printable Org", 0 },
				      { OU, OKIT_TAG_TELETEX_STRING, "teletex \xe9", 0 },
				      { "1.2.840.113549.1.9.1", OKIT_TAG_IA5_STRING, "ia5@example.org", 0 },
				      { "2.5.4.7", OKIT_TAG_BMP_STRING, "\0B\0M\0P\x20\xac", 8 },
				      { "2.5.4.8", OKIT_TAG_UNIVERSAL_STRING, "\0\0\0U\0\x01\xf6\x00", 8 },
				      { "2.5.4.5", OKIT_TAG_NUMERIC_STRING, "0123", 0 },
				      { "0.9.2342.19200300.100.1.25", OKIT_TAG_VISIBLE_STRING, "example", 0 } };
	name_seed("name-every-string-type.der", types, 8, 0);
	static const attr special[] = { { CN, OKIT_TAG_UTF8_STRING, " #lead,plus+quote\"back\\<>;trail ", 0 },
					{ O_, OKIT_TAG_UTF8_STRING, "nul\0ctrl\x01\x7f", 10 },
					{ "1.2.3.4.5", OKIT_TAG_INTEGER, "\x01\x00", 2 } };
	name_seed("name-escapes-unknown-type.der", special, 3, 0);
	static const attr multi[] = { { CN, OKIT_TAG_UTF8_STRING, "multi", 0 },
				      { OU, OKIT_TAG_UTF8_STRING, "valued", 0 },
				      { "0.9.2342.19200300.100.1.1", OKIT_TAG_UTF8_STRING, "rdn", 0 } };
	name_seed("name-multivalued-rdn.der", multi, 3, 1);
	name_seed("name-ca.der", ca_name, 3, 0);
	/* (an empty Name, 30 00, is left to the fuzzer: it is a peer's vector) */

	general_name_seed("gn-rfc822.der", OKIT_CLASS_CONTEXT | 1, "user@example.org", strlen("user@example.org"));
	general_name_seed("gn-dns.der", OKIT_CLASS_CONTEXT | 2, "ocsp.example.org", strlen("ocsp.example.org"));
	general_name_seed("gn-uri.der", OKIT_CLASS_CONTEXT | 6, "http://ocsp.example.org/a+b/c=", strlen("http://ocsp.example.org/a+b/c="));
	general_name_seed("gn-ipv4.der", OKIT_CLASS_CONTEXT | 7, "\xc0\x00\x02\x01", 4);
	general_name_seed("gn-ipv6.der", OKIT_CLASS_CONTEXT | 7,
			  "\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01", 16);
	uint8_t rid[16];
	general_name_seed("gn-registered-id.der", OKIT_CLASS_CONTEXT | 8, rid, oid_der("1.3.6.1.4.1.99999.1", rid));

	buf b;
	uint8_t *d;
	size_t l;
	okit_buf_init(&b, OKIT_DER_MAX);
	size_t t = okit_der_open(&b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 4);
	put_name(&b, multi, 3, 1);
	okit_der_close(&b, t);
	take(&b, &d, &l);
	seed("name", "gn-dirname.der", d, l);
	ocspkit_free(d);

	okit_buf_init(&b, OKIT_DER_MAX);
	t = okit_der_open(&b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 0);
	put_oid(&b, "1.3.6.1.4.1.311.20.2.3");
	size_t v = okit_der_open(&b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 0);
	put_str(&b, OKIT_TAG_UTF8_STRING, "upn@example.org");
	okit_der_close(&b, v);
	okit_der_close(&b, t);
	take(&b, &d, &l);
	seed("name", "gn-othername.der", d, l);
	ocspkit_free(d);

	okit_buf_init(&b, OKIT_DER_MAX);
	t = okit_der_open(&b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 3);
	put_str(&b, OKIT_TAG_PRINTABLE_STRING, "x400");
	okit_der_close(&b, t);
	take(&b, &d, &l);
	seed("name", "gn-x400.der", d, l);
	ocspkit_free(d);

	okit_buf_init(&b, OKIT_DER_MAX);
	t = okit_der_open(&b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 5);
	put_str(&b, OKIT_TAG_UTF8_STRING, "edi");
	okit_der_close(&b, t);
	take(&b, &d, &l);
	seed("name", "gn-edi.der", d, l);
	ocspkit_free(d);

	/* OIDs as the name harness also reads its input as one */
	uint8_t oid[32];
	seed("name", "oid-long-arc.bin", oid, oid_der("2.999.18446744073709551615.1", oid));
}

/* ---------------------------------------------------------------- text */

static void text_seed(const char *file, const char *s)
{
	seed("text", file, s, strlen(s));
}

static void pem_seed(const char *file, const char *label, const uint8_t *der, size_t len)
{
	char *t;
	size_t tl;
	ocspkit_err e = text_pem_encode(&t, &tl, label, der, len);
	if (e)
		die(file, e);
	seed("text", file, t, tl);
	free(t);
}

static void texts(void)
{
	pem_seed("pem-certificate.txt", "CERTIFICATE", ca.der, ca.len);
	/* a bundle of two blocks, with text around them */
	char *a, *b;
	size_t al, bl;
	if (text_pem_encode(&a, &al, "CERTIFICATE", responder.der, responder.len) ||
	    text_pem_encode(&b, &bl, "OCSP RESPONSE", leaf_ec.der, 40))
		die("PEM", OCSPKIT_E_INTERNAL);
	size_t cap = al + bl + 64;
	char *all = malloc(cap);
	if (!all)
		die("PEM", OCSPKIT_E_NO_MEMORY);
	int n = snprintf(all, cap, "subject=...\r\n%s\nnotes\n%s", a, b);
	seed("text", "pem-bundle.txt", all, (size_t)n);
	free(all);
	free(a);
	free(b);

	char *s;
	size_t sl;
	if (text_base64_encode(&s, &sl, leaf.der, 100, 0))
		die("base64", OCSPKIT_E_INTERNAL);
	seed("text", "base64-standard.txt", s, sl);
	free(s);
	if (text_base64_encode(&s, &sl, leaf.der + 1, 101, TEXT_BASE64_URL))
		die("base64", OCSPKIT_E_INTERNAL);
	seed("text", "base64-url-unpadded.txt", s, sl);
	free(s);
	text_seed("base64-spaces.txt", "MIIB\r\n Ig== \n");
	text_seed("hex-colons.txt", "0a:1B:ff:00:7f");
	text_seed("hex-plain.txt", "00deadBEEF");
	text_seed("time-iso.txt", "2026-11-22T01:57:04Z");
	text_seed("time-der.txt", "20240229235959Z");
	text_seed("time-epoch.txt", "1763776624");
	text_seed("time-epoch-at-negative.txt", "@-86400");
}

/* ---------------------------------------------------------------- dictionaries */

static void dict_line(FILE *f, const char *name, const uint8_t *v, size_t n)
{
	fprintf(f, "%s=\"", name);
	for (size_t i = 0; i < n; i++) {
		if (v[i] >= 0x20 && v[i] < 0x7f && v[i] != '"' && v[i] != '\\')
			fputc(v[i], f);
		else
			fprintf(f, "\\x%02X", v[i]);
	}
	fprintf(f, "\"\n");
}

static const char *const dict_oids[] = {
	/* hashes */
	"1.3.14.3.2.26", "2.16.840.1.101.3.4.2.4", "2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.2",
	"2.16.840.1.101.3.4.2.3", "1.2.840.113549.2.5", "1.2.840.113549.2.2",
	/* signature and key algorithms, curves, MGF1 */
	"1.2.840.113549.1.1.1", "1.2.840.113549.1.1.2", "1.2.840.113549.1.1.4", "1.2.840.113549.1.1.5",
	"1.2.840.113549.1.1.8", "1.2.840.113549.1.1.10", "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12",
	"1.2.840.113549.1.1.13", "1.2.840.113549.1.1.14", "1.2.840.10045.2.1", "1.2.840.10045.4.1",
	"1.2.840.10045.4.3.1", "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4",
	"1.2.840.10045.3.1.7", "1.3.132.0.34", "1.3.132.0.35", "1.3.101.112", "1.3.101.113",
	"1.2.840.10040.4.1", "1.2.840.10040.4.3", "2.16.840.1.101.3.4.3.2",
	/* OCSP */
	"1.3.6.1.5.5.7.48.1", "1.3.6.1.5.5.7.48.1.1", "1.3.6.1.5.5.7.48.1.2", "1.3.6.1.5.5.7.48.1.3",
	"1.3.6.1.5.5.7.48.1.4", "1.3.6.1.5.5.7.48.1.5", "1.3.6.1.5.5.7.48.1.6", "1.3.6.1.5.5.7.48.1.7",
	"1.3.6.1.5.5.7.48.1.8", "1.3.6.1.5.5.7.48.1.9", "1.3.6.1.5.5.7.48.2", "1.3.6.1.5.5.7.3.9",
	"1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2", "2.5.29.37.0",
	/* PKIX extensions */
	"2.5.29.14", "2.5.29.15", "2.5.29.17", "2.5.29.19", "2.5.29.21", "2.5.29.24", "2.5.29.29", "2.5.29.31",
	"2.5.29.32", "2.5.29.35", "2.5.29.37", "1.3.6.1.5.5.7.1.1", "1.3.6.1.5.5.7.1.24",
	/* CRL extensions and hold instructions */
	"2.5.29.18", "2.5.29.20", "2.5.29.23", "2.5.29.27", "2.5.29.28", "2.5.29.46", "1.2.840.10040.2.1",
	"1.2.840.10040.2.2", "1.2.840.10040.2.3",
	"1.3.6.1.4.1.11129.2.4.2", "1.3.6.1.4.1.11129.2.4.5",
	/* name attributes */
	"2.5.4.3", "2.5.4.5", "2.5.4.6", "2.5.4.7", "2.5.4.8", "2.5.4.10", "2.5.4.11", "2.5.4.97",
	"1.2.840.113549.1.9.1", "0.9.2342.19200300.100.1.25", "0.9.2342.19200300.100.1.1",
};

static void der_dict(FILE *f)
{
	static const struct {
		const char *name;
		const char *v;
		size_t n;
	} tokens[] = {
		{ "seq", "\x30", 1 },        { "set", "\x31", 1 },        { "int", "\x02", 1 },
		{ "int0", "\x02\x01\x00", 3 }, { "int1", "\x02\x01\x01", 3 }, { "enum", "\x0a\x01", 2 },
		{ "bool_true", "\x01\x01\xff", 3 }, { "bool_false", "\x01\x01\x00", 3 }, { "null", "\x05\x00", 2 },
		{ "octets", "\x04", 1 },     { "bits", "\x03", 1 },       { "bits0", "\x03\x01\x00", 3 },
		{ "oid", "\x06", 1 },        { "utf8", "\x0c", 1 },       { "printable", "\x13", 1 },
		{ "ia5", "\x16", 1 },        { "teletex", "\x14", 1 },    { "bmp", "\x1e", 1 },
		{ "universal", "\x1c", 1 },  { "utctime", "\x17\x0d", 2 }, { "gentime", "\x18\x0f", 2 },
		{ "ctx0", "\xa0", 1 },       { "ctx1", "\xa1", 1 },       { "ctx2", "\xa2", 1 },
		{ "ctx3", "\xa3", 1 },       { "ctx4", "\xa4", 1 },       { "ictx0", "\x80\x00", 2 },
		{ "ictx1", "\xa1", 1 },      { "ictx2", "\x82\x00", 2 },  { "ictx6", "\x86", 1 },
		{ "ictx7", "\x87", 1 },      { "ictx8", "\x88", 1 },      { "len81", "\x81", 1 },
		{ "len82", "\x82", 1 },      { "len83", "\x83", 1 },      { "len84", "\x84", 1 },
		{ "len_indef", "\x80", 1 },  { "eoc", "\x00\x00", 2 },    { "high_tag", "\x1f\x81\x00", 3 },
		{ "utctime_value", "251122010203Z", 13 },
		{ "status_ok", "\x0a\x01\x00", 3 }, { "status_try_later", "\x0a\x01\x03", 3 },
		{ "status_only", "\x30\x03\x0a\x01", 4 },
		{ "good", "\x80\x00", 2 },   { "unknown", "\x82\x00", 2 },
	};
	for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++)
		dict_line(f, tokens[i].name, (const uint8_t *)tokens[i].v, tokens[i].n);
	for (size_t i = 0; i < sizeof(dict_oids) / sizeof(dict_oids[0]); i++) {
		uint8_t d[40];
		char name[80];
		size_t n = oid_der(dict_oids[i], d + 2);
		d[0] = OKIT_TAG_OID;
		d[1] = (uint8_t)n;
		snprintf(name, sizeof(name), "oid_%s", dict_oids[i]);
		for (char *p = name; *p; p++)
			if (*p == '.')
				*p = '_';
		dict_line(f, name, d, n + 2);
	}
}

static void text_dict(FILE *f)
{
	/* separators, base64's and the times' characters are fuzz/dict/common.dict's */
	static const char *const tokens[] = { "-----BEGIN ", "-----END ", "-----", "CERTIFICATE", "OCSP RESPONSE",
					      "OCSP REQUEST", "Proc-Type: 4,ENCRYPTED", "==", " ", "/", ":", "@",
					      "T", "0x", "2025-", "-11-22T", "01:02:03Z", "MII", "AAAA" };
	for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
		char name[32];
		snprintf(name, sizeof(name), "t%zu", i);
		dict_line(f, name, (const uint8_t *)tokens[i], strlen(tokens[i]));
	}
}

/* The generated pieces of the harnesses' dictionaries (fuzz/dict/; make
 * puts each harness's together, fuzz/Makefile.inc). */
static void dicts(void)
{
	static const char *const pieces[] = { "der", "text" };
	char path[4096];
	for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
		int text = i == 1;
		snprintf(path, sizeof(path), "%s/dict/%s.dict", outdir, pieces[i]);
		FILE *f = fopen(path, "w");
		if (!f) {
			perror(path);
			exit(1);
		}
		fprintf(f, "# Generated by fuzz/gen_corpus (make fuzz-corpus): %s.\n",
			text ? "PEM, base64, hex and time tokens" : "DER tags and lengths, and the OIDs of OCSP, PKIX "
								    "and signature algorithms");
		if (text)
			text_dict(f);
		else
			der_dict(f);
		fclose(f);
		n_written++;
	}
}

/* ---------------------------------------------------------------- differences */

/* One example per class of fuzz/DIFFERENCES.md: a small message that breaks
 * exactly one rule, built by hand around a minimal response or request.
 * The intended verdict is stated here; the generator checks that ocspkit
 * gives it and records it (with the offset) in fuzz/differences.tsv, which
 * fuzz/differences_test holds ocspkit to. */

/* DER written by hand with tests/lib/build.h (which staple_fixture.h brings
 * with the PKI fixture), wrong on purpose where an example says so. */
typedef blob B;

#define SHA1_ALGID "3009 06052B0E03021A 0500"
#define ED25519_ALGID "300506032B6570"
#define BASIC_OID "06092B0601050507300101"
#define NONCE_OID "06092B0601050507300102"

static B hash20(uint8_t v)
{
	uint8_t h[20];
	memset(h, v, sizeof(h));
	return bytes(h, 20);
}

static B der_cert_id(B alg, B name_hash, B serial)
{
	return T(0x30, cat(4, alg, name_hash, T(0x04, hash20(0xB2)), serial));
}

static B default_cert_id(void)
{
	return der_cert_id(raw(SHA1_ALGID), T(0x04, hash20(0xA1)), raw("02012A"));
}

static B der_single(B cert_id, B status, B exts)
{
	return T(0x30, cat(5, cert_id, status, GT("20251122000000Z"), T(0xA0, GT("20251129000000Z")), exts));
}

typedef struct {
	B status, type, version, responder, produced, singles, exts, sigalg, sig, certs, tail_basic, tail;
	int no_bytes;
} rparts;

static rparts rdefaults(void)
{
	rparts p;
	uint8_t sig[64];
	memset(sig, 0x5A, sizeof(sig));
	p.status = raw("0A0100");
	p.type = raw(BASIC_OID);
	p.version = none();
	p.responder = T(0xA2, T(0x04, hash20(0xC3)));
	p.produced = GT("20251122010203Z");
	p.singles = der_single(default_cert_id(), raw("8000"), none());
	p.exts = none();
	p.sigalg = raw(ED25519_ALGID);
	p.sig = T(0x03, cat(2, raw("00"), bytes(sig, 64)));
	p.certs = none();
	p.tail_basic = none();
	p.tail = none();
	p.no_bytes = 0;
	return p;
}

static B rbuild(const rparts *p)
{
	B rdata = T(0x30, cat(5, p->version, p->responder, p->produced, T(0x30, p->singles), p->exts));
	B basic = T(0x30, cat(4, rdata, p->sigalg, p->sig, p->certs));
	B rb = p->no_bytes ? none() : T(0xA0, T(0x30, cat(2, p->type, T(0x04, cat(2, basic, p->tail_basic)))));
	return cat(2, T(0x30, cat(2, p->status, rb)), p->tail);
}

static B nonce_ext_der(B value, B critical)
{
	return T(0x30, cat(3, raw(NONCE_OID), critical, T(0x04, value)));
}

static B qbuild(B requestor, B cert_id, B exts)
{
	return T(0x30, T(0x30, cat(3, requestor, T(0x30, T(0x30, cert_id)), exts)));
}

static FILE *tsv;

/* Writes the example, and checks and records ocspkit's verdict. */
static void example(const char *cls, const char *file, const char *kind, const char *want, B der)
{
	ocspkit_err e;
	size_t off = 0;
	char name[128], got[128];
	snprintf(name, sizeof(name), "diff-%s-%s.der", cls, file);
	if (strcmp(kind, "response") == 0) {
		ocspkit_response *r = NULL;
		e = ocspkit_response_decode(&r, der.d, der.n, OCSPKIT_DECODE_STRICT, &off);
		ocspkit_response_free(r);
	} else if (strcmp(kind, "crl") == 0) {
		ocspkit_crl *r = NULL;
		e = ocspkit_crl_decode(&r, der.d, der.n, OCSPKIT_DECODE_STRICT, &off);
		ocspkit_crl_free(r);
	} else {
		ocspkit_request *r = NULL;
		e = ocspkit_request_decode(&r, der.d, der.n, OCSPKIT_DECODE_STRICT, &off);
		ocspkit_request_free(r);
	}
	const char *got_name = e ? ocspkit_strerror_name(e) : "accept";
	if (strcmp(got_name, want) != 0) {
		fprintf(stderr, "gen_corpus: %s: ocspkit answers %s, the example is meant for %s\n", name, got_name,
			want);
		exit(1);
	}
	if (e)
		snprintf(got, sizeof(got), "%s@%zu", got_name, off);
	else
		snprintf(got, sizeof(got), "accept");
	fprintf(tsv, "%s\t%s\t%s\t%s\n", name, kind, got, cls);
	seed("differential", name, der.d, der.n);
}

/* CRLs (C classes): a small v2 CRL around one entry, each example
 * breaking one rule of RFC 5280 section 5 (ED25519_ALGID placeholder
 * signature, as the responses). */
typedef struct {
	B version, this_update, revoked, exts;
} cparts;

static cparts cdefaults(void)
{
	cparts c;
	c.version = raw("020101");
	c.this_update = T(0x17, bytes("251122010203Z", 13));
	c.revoked = T(0x30, T(0x30, cat(2, raw("02012A"), T(0x17, bytes("251101000000Z", 13)))));
	c.exts = none();
	return c;
}

static B cbuild(const cparts *c)
{
	uint8_t sig[64];
	memset(sig, 0x5A, sizeof(sig));
	B name = T(0x30, T(0x31, T(0x30, cat(2, raw("0603550403"), T(0x0C, bytes("CRL CA", 6))))));
	B tbs = T(0x30, cat(6, c->version, raw(ED25519_ALGID), name, c->this_update, c->revoked,
			     c->exts.n ? T(0xA0, T(0x30, c->exts)) : none()));
	return T(0x30, cat(3, tbs, raw(ED25519_ALGID), T(0x03, cat(2, raw("00"), bytes(sig, 64)))));
}

static B centry(B serial, B exts)
{
	return T(0x30, T(0x30, cat(3, serial, T(0x17, bytes("251101000000Z", 13)), exts.n ? T(0x30, exts) : none())));
}

static void crl_differences(void)
{
	cparts c;
	c = cdefaults();
	c.revoked = raw("3000");
	example("C01", "crl-empty-revoked-list", "crl", "OCSPKIT_E_CRL_EMPTY_REVOKED_LIST", cbuild(&c));
	c = cdefaults();
	c.this_update = GT("20251122010203Z");
	example("C02", "crl-generalized-time-before-2050", "crl", "OCSPKIT_E_CRL_TIME_FORM", cbuild(&c));
	c = cdefaults();
	c.revoked = centry(raw("0201D6"), none());
	example("C03", "crl-negative-serial", "crl", "OCSPKIT_E_NEGATIVE_SERIAL", cbuild(&c));
	c = cdefaults();
	c.version = none();
	c.revoked = centry(raw("02012A"), raw("300A 0603551D15 0403 0A0101"));
	example("C04", "crl-v1-entry-extensions", "crl", "OCSPKIT_E_CRL_V1_EXTENSIONS", cbuild(&c));
	c = cdefaults();
	c.version = raw("020102");
	example("C05", "crl-version-3", "crl", "OCSPKIT_E_UNSUPPORTED_VERSION", cbuild(&c));
	c = cdefaults();
	c.version = raw("020100");
	example("C06", "crl-explicit-v1", "crl", "OCSPKIT_E_UNSUPPORTED_VERSION", cbuild(&c));
	c = cdefaults();
	c.exts = raw("300A 0603551D14 0403 0201FF");
	example("C07", "crl-negative-number", "crl", "OCSPKIT_E_BAD_CRL_NUMBER", cbuild(&c));
	c = cdefaults();
	c.exts = raw("3012 0603551D1C 0101FF 0408 3006 8101FF 8201FF");
	example("C08", "crl-idp-user-and-ca", "crl", "OCSPKIT_E_BAD_ISSUING_DISTRIBUTION_POINT", cbuild(&c));
	c = cdefaults();
	c.revoked = centry(raw("02012A"), raw("300A 0603551D15 0403 0A0107"));
	example("C09", "crl-reason-7", "crl", "OCSPKIT_E_BAD_CRL_REASON", cbuild(&c));
	c = cdefaults();
	c.revoked = centry(raw("02012A"), raw("300A 0603551D15 0403 0A0101 300A 0603551D15 0403 0A0104"));
	example("C10", "crl-duplicate-entry-extension", "crl", "OCSPKIT_E_DUPLICATE_EXTENSION", cbuild(&c));
	c = cdefaults();
	c.exts = raw("3011 0603551D1C 0101FF 0407 3005 83 03 06 40 00");
	example("C11", "crl-reason-flags-trailing-zero", "crl", "OCSPKIT_E_DER_BAD_BIT_STRING", cbuild(&c));
	c = cdefaults();
	c.exts = raw("300C 0603551D1C 0101FF 0402 3000");
	example("C12", "crl-idp-empty", "crl", "OCSPKIT_E_BAD_ISSUING_DISTRIBUTION_POINT", cbuild(&c));
}

static void differences(void)
{
	char path[4096];
	rparts p;
	snprintf(path, sizeof(path), "%s/differences.tsv", outdir);
	if (!(tsv = fopen(path, "w"))) {
		perror(path);
		exit(1);
	}
	fprintf(tsv, "# Generated by fuzz/gen_corpus (make fuzz-corpus).  One example per class of\n"
		     "# fuzz/DIFFERENCES.md, in fuzz/differential_fuzzer.in/, and ocspkit's strict verdict.\n"
		     "# file\tkind\tverdict (accept, or ERROR@offset)\tclass\n");

	/* D: DER encoding rules */
	example("D01", "truncated-length", "response", "OCSPKIT_E_DER_TRUNCATED", raw("3081"));
	/* an empty BasicOCSPResponse (the bare 30 00 is a peer's vector) */
	example("D02", "missing-fields", "response", "OCSPKIT_E_DER_MISSING_FIELD",
		T(0x30, cat(2, raw("0A0100"), T(0xA0, T(0x30, cat(2, raw(BASIC_OID), T(0x04, raw("3000"))))))));
	p = rdefaults();
	p.singles = der_single(der_cert_id(raw(SHA1_ALGID), T(0x04, hash20(0xA1)), raw("0281012A")), raw("8000"), none());
	example("D03", "nonminimal-length", "response", "OCSPKIT_E_DER_NONMINIMAL_LENGTH", rbuild(&p));
	p = rdefaults();
	B whole = rbuild(&p);
	size_t hl = whole.d[1] & 0x80 ? 2 + (whole.d[1] & 0x7F) : 2;
	example("D04", "indefinite-length", "response", "OCSPKIT_E_DER_INDEFINITE_LENGTH",
		cat(3, raw("3080"), bytes(whole.d + hl, whole.n - hl), raw("0000")));
	p = rdefaults();
	p.produced = cat(2, raw("1F180F"), bytes("20251122010203Z", 15));
	example("D05", "high-tag-form", "response", "OCSPKIT_E_DER_NONMINIMAL_TAG", rbuild(&p));
	p = rdefaults();
	p.tail = raw("00");
	example("D06", "trailing-octet", "response", "OCSPKIT_E_DER_TRAILING_DATA", rbuild(&p));
	p = rdefaults();
	p.tail_basic = raw("0500");
	example("D07", "trailing-in-octet-string", "response", "OCSPKIT_E_DER_TRAILING_DATA", rbuild(&p));
	p = rdefaults();
	p.singles = der_single(der_cert_id(raw(SHA1_ALGID), T(0x24, T(0x04, hash20(0xA1))), raw("02012A")), raw("8000"),
			       none());
	example("D08", "constructed-octet-string", "response", "OCSPKIT_E_DER_WRONG_FORM", rbuild(&p));
	p = rdefaults();
	p.singles = der_single(der_cert_id(raw(SHA1_ALGID), T(0x04, hash20(0xA1)), raw("0202002A")), raw("8000"), none());
	example("D09", "padded-integer", "response", "OCSPKIT_E_DER_NONMINIMAL_INTEGER", rbuild(&p));
	p = rdefaults();
	p.singles = der_single(der_cert_id(raw(SHA1_ALGID), T(0x04, hash20(0xA1)), raw("0200")), raw("8000"), none());
	example("D10", "empty-integer", "response", "OCSPKIT_E_DER_EMPTY_INTEGER", rbuild(&p));
	p = rdefaults();
	p.exts = T(0xA1, T(0x30, nonce_ext_der(T(0x04, hash20(0x01)), raw("010101"))));
	example("D11", "boolean-01", "response", "OCSPKIT_E_DER_BAD_BOOLEAN", rbuild(&p));
	p = rdefaults();
	p.exts = T(0xA1, T(0x30, nonce_ext_der(T(0x04, hash20(0x01)), raw("010100"))));
	example("D12", "explicit-default", "response", "OCSPKIT_E_DER_EXPLICIT_DEFAULT", rbuild(&p));
	p = rdefaults();
	p.sig = raw("0303 04ABCD");
	example("D13", "bit-string-padding", "response", "OCSPKIT_E_DER_BAD_BIT_STRING", rbuild(&p));
	p = rdefaults();
	p.sig = raw("0303 01ABCC");
	example("D14", "signature-unused-bits", "response", "OCSPKIT_E_BAD_SIGNATURE_BITS", rbuild(&p));
	p = rdefaults();
	p.singles = der_single(der_cert_id(raw("300A 06062B0E03021A81 0500"), T(0x04, hash20(0xA1)), raw("02012A")),
			       raw("8000"), none());
	example("D15", "oid-unfinished-arc", "response", "OCSPKIT_E_DER_BAD_OID", rbuild(&p));
	p = rdefaults();
	p.produced = GT("20251122010203.50Z"); /* fractions are DER (F02), a trailing zero is not */
	example("D16", "time-fraction-trailing-zero", "response", "OCSPKIT_E_DER_BAD_TIME", rbuild(&p));
	p = rdefaults();
	p.produced = GT("20251322010203Z");
	example("D17", "time-month-13", "response", "OCSPKIT_E_DER_BAD_TIME", rbuild(&p));
	p = rdefaults();
	p.responder = T(0xA1, T(0x30, T(0x31, cat(2, T(0x30, cat(2, raw("060355040A"), T(0x0C, bytes("B", 1)))),
						  T(0x30, cat(2, raw("0603550403"), T(0x0C, bytes("A", 1))))))));
	example("D18", "set-order", "response", "OCSPKIT_E_DER_SET_ORDER", rbuild(&p));
	p = rdefaults();
	p.responder = T(0xA1, T(0x30, T(0x31, none())));
	example("D19", "empty-rdn", "response", "OCSPKIT_E_DER_SIZE", rbuild(&p));
	example("D20", "ia5-8bit", "request", "OCSPKIT_E_DER_BAD_STRING",
		qbuild(T(0xA1, T(0x81, bytes("ocsp\xff@example.org", 17))), default_cert_id(), none()));
	p = rdefaults();
	p.sigalg = T(0x30, cat(2, raw("06032B6570"), raw("02020001")));
	example("D21", "any-padded-integer", "response", "OCSPKIT_E_DER_NONMINIMAL_INTEGER", rbuild(&p));
	p = rdefaults();
	{
		B deep = raw("0500");
		for (int i = 0; i < OCSPKIT_MAX_DEPTH + 2; i++)
			deep = T(0x30, deep);
		p.sigalg = T(0x30, cat(2, raw("06032B6570"), deep));
	}
	example("D22", "any-too-deep", "response", "OCSPKIT_E_DER_TOO_DEEP", rbuild(&p));

	/* O: OCSP rules */
	p = rdefaults();
	p.status = raw("0A0104"); /* with responseBytes: the bare 30 03 0A 01 04 is a peer's vector */
	example("O01", "status-4", "response", "OCSPKIT_E_BAD_RESPONSE_STATUS", rbuild(&p));
	p = rdefaults();
	p.singles = der_single(default_cert_id(), T(0xA1, cat(2, GT("20250101000000Z"), T(0xA0, raw("0A0107")))),
			       none());
	example("O02", "crl-reason-7", "response", "OCSPKIT_E_BAD_CRL_REASON", rbuild(&p));
	p = rdefaults();
	p.status = raw("0A0101");
	example("O03", "error-with-bytes", "response", "OCSPKIT_E_UNEXPECTED_RESPONSE_BYTES", rbuild(&p));
	p = rdefaults();
	p.type = raw(NONCE_OID);
	example("O04", "unknown-response-type", "response", "OCSPKIT_E_UNKNOWN_RESPONSE_TYPE", rbuild(&p));
	p = rdefaults();
	p.version = T(0xA0, raw("020101"));
	example("O05", "version-2", "response", "OCSPKIT_E_UNSUPPORTED_VERSION", rbuild(&p));
	p = rdefaults();
	p.responder = T(0xA2, T(0x04, raw("0102030405060708090A0B0C0D0E0F10111213")));
	example("O06", "key-hash-19", "response", "OCSPKIT_E_BAD_KEY_HASH", rbuild(&p));
	p = rdefaults();
	p.exts = T(0xA1, T(0x30, cat(2, nonce_ext_der(T(0x04, hash20(0x01)), none()),
				     nonce_ext_der(T(0x04, hash20(0x02)), none()))));
	example("O07", "duplicate-extension", "response", "OCSPKIT_E_DUPLICATE_EXTENSION", rbuild(&p));
	p = rdefaults();
	p.exts = T(0xA1, T(0x30, nonce_ext_der(hash20(0x01), none())));
	example("O08", "nonce-not-octet-string", "response", "OCSPKIT_E_DER_TRAILING_DATA", rbuild(&p));
	p = rdefaults();
	{
		uint8_t n33[33];
		memset(n33, 7, sizeof(n33));
		p.exts = T(0xA1, T(0x30, nonce_ext_der(T(0x04, bytes(n33, 33)), none())));
	}
	example("O09", "nonce-33-octets", "response", "OCSPKIT_E_BAD_NONCE_SIZE", rbuild(&p));
	p = rdefaults();
	{
		B list = none();
		for (int i = 0; i < OCSPKIT_MAX_EXTENSIONS + 1; i++) {
			uint8_t oid[6] = { 0x06, 0x04, 0x2A, 0x03, 0x04, (uint8_t)i };
			list = cat(2, list, T(0x30, cat(2, bytes(oid, 6), T(0x04, none()))));
		}
		p.exts = T(0xA1, T(0x30, list));
	}
	example("O10", "33-extensions", "response", "OCSPKIT_E_LIMIT_EXTENSIONS", rbuild(&p));

	/* A: what ocspkit accepts and a peer refuses; F: what all accept and a
	 * peer reads differently */
	p = rdefaults();
	p.certs = T(0xA0, T(0x30, T(0x30, raw("020101"))));
	example("A01", "certificate-not-x509", "response", "accept", rbuild(&p));
	p = rdefaults();
	p.responder = T(0xA1, T(0x30, T(0x31, T(0x30, cat(2, raw("0603550403"), T(0x0C, bytes("R\xCF", 2)))))));
	example("A02", "utf8-invalid", "response", "accept", rbuild(&p));
	p = rdefaults();
	p.responder = T(0xA1, T(0x30, T(0x31, T(0x30, cat(2, raw("0603550403"), raw("040152"))))));
	example("A03", "attribute-octet-string", "response", "accept", rbuild(&p));
	p = rdefaults();
	p.singles = der_single(default_cert_id(), T(0xA1, cat(2, GT("19500228235959Z"), T(0xA0, raw("0A0101")))),
			       none());
	example("F01", "revoked-before-1970", "response", "accept", rbuild(&p));
	p = rdefaults();
	p.produced = GT("20251122010203.5Z");
	example("F02", "time-fraction", "response", "accept", rbuild(&p));
	p = rdefaults();
	p.sig = raw("030100"); /* a BIT STRING of no octets */
	example("F03", "empty-signature", "response", "accept", rbuild(&p));
	crl_differences();
	fclose(tsv);
	n_written++;
}

/* Fractional seconds in every GeneralizedTime a response has: producedAt,
 * revocationTime, thisUpdate, nextUpdate, an invalidity date and an
 * archive cutoff.  Written last, after every other response and request
 * seed, so that the headers of the sign seeds before it stay as they are. */
static void fraction_seeds(void)
{
#define DIGITS(str) ((ocspkit_bytes){ (const uint8_t *)(str), sizeof(str) - 1 })
	uint8_t key_hash[20];
	ocspkit_cert_id_value v = cert_id(OCSPKIT_HASH_SHA1, &leaf);
	ocspkit_single_response s = single(&v, OCSPKIT_CERT_REVOKED, 1, 1);
	ocspkit_extension sx[2];
	ocspkit_response_tbs d;
	buf b;

	ocspkit_cert_get_key_hash(key_hash, responder_ed.x);
	memset(&d, 0, sizeof(d));
	d.responder_id.type = OCSPKIT_RESPONDER_BY_KEY;
	d.responder_id.value = (ocspkit_bytes){ key_hash, 20 };
	d.produced_at = civil_time(2025, 11, 22, 1, 2, 3);
	d.produced_at_fraction = DIGITS("5");
	s.revocation_time_fraction = DIGITS("25");
	s.this_update_fraction = DIGITS("123");
	s.next_update_fraction = DIGITS("000000001");
	okit_buf_init(&b, OKIT_DER_MAX);
	okit_der_gentime(&b, OKIT_TAG_GENERALIZED_TIME, civil_time(2025, 5, 30, 0, 0, 0), DIGITS("9"));
	sx[0] = (ocspkit_extension){ OCSPKIT_EXT_INVALIDITY_DATE, { NULL, 0 }, 0, keep(&b) };
	okit_buf_init(&b, OKIT_DER_MAX);
	okit_der_gentime(&b, OKIT_TAG_GENERALIZED_TIME, civil_time(2020, 1, 1, 0, 0, 0), DIGITS("75"));
	sx[1] = (ocspkit_extension){ OCSPKIT_EXT_ARCHIVE_CUTOFF, { NULL, 0 }, 0, keep(&b) };
	s.extensions = sx, s.extension_count = 2;
	d.responses = &s, d.response_count = 1;
	put_response("resp-time-fractions.der", &d, KEY_ED25519, NULL, 0);
#undef DIGITS
}

/* ---------------------------------------------------------------- staple */

/* staple_fuzzer and validate_fuzzer: a header (see their sources) and a
 * response signed with the fixed keys of staple_fixture.h, one per kind of
 * answer the stapling rules and the validation checks tell apart. */
static void signed_seed(const staple_fx *fx, const char *harness, const char *name, const uint8_t *hdr,
			size_t hdr_len, const staple_fx_spec *s)
{
	size_t len = 0;
	uint8_t *der = s ? staple_fx_sign(fx, s, &len) : NULL;
	if (s && !der)
		die(name, OCSPKIT_E_INTERNAL);
	uint8_t *in = malloc(hdr_len + len);
	if (!in)
		die(name, OCSPKIT_E_NO_MEMORY);
	memcpy(in, hdr, hdr_len);
	if (len)
		memcpy(in + hdr_len, der, len);
	seed(harness, name, in, hdr_len + len);
	free(in);
	ocspkit_free(der);
}

static void staple_seed_one(const staple_fx *fx, const char *name, const uint8_t hdr[5], const staple_fx_spec *s)
{
	signed_seed(fx, "staple", name, hdr, 5, s);
}

static void staple_seeds(void)
{
	staple_fx fx;
	staple_fx_spec s, base;
	static const uint8_t other_serial[] = { 0x10, 0x02 };
	const long H = STAPLE_FX_HOUR;
	if (staple_fx_load(&fx))
		die("staple fixture", OCSPKIT_E_INTERNAL);
	memset(&base, 0, sizeof(base));
	base.this_update = -H;
	base.next_update = 24 * H;
	const uint8_t none[5] = { 0, 0, 0, 0, 0 }, in_place[5] = { 0, 0, 1, 0, 0 }, revoked_in_place[5] = { 0, 0, 2, 0, 0 };

	staple_seed_one(&fx, "good-first", none, &base);
	staple_seed_one(&fx, "good-newer", in_place, &base);
	s = base;
	s.delegated = 1;
	staple_seed_one(&fx, "good-delegated", in_place, &s);
	staple_seed_one(&fx, "good-trusted-responder", (const uint8_t[5]){ 0, 0, 1, 0, 2 }, &s);
	s = base;
	s.status = OCSPKIT_CERT_REVOKED;
	staple_seed_one(&fx, "revoked-newer", in_place, &s);
	s = base;
	s.this_update = -10 * H;
	staple_seed_one(&fx, "good-older", in_place, &s);
	staple_seed_one(&fx, "good-over-revoked", revoked_in_place, &base);
	s = base;
	s.status = OCSPKIT_CERT_UNKNOWN;
	staple_seed_one(&fx, "unknown", in_place, &s);
	s = base;
	s.this_update = -48 * H;
	s.next_update = -H;
	staple_seed_one(&fx, "expired", in_place, &s);
	s.next_update = -60;
	staple_seed_one(&fx, "expired-within-skew", in_place, &s);
	s = base;
	s.this_update = 2 * H;
	staple_seed_one(&fx, "not-yet-valid", in_place, &s);
	s = base;
	s.serial = other_serial;
	s.serial_len = sizeof(other_serial);
	staple_seed_one(&fx, "other-certificate", in_place, &s);
	s = base;
	s.wrong_key = 1;
	staple_seed_one(&fx, "wrongly-signed", in_place, &s);
	s = base;
	s.hash = OCSPKIT_HASH_SHA256;
	staple_seed_one(&fx, "good-sha256", in_place, &s);
	s = base;
	s.no_next_update = 1;
	staple_seed_one(&fx, "no-next-update", in_place, &s);
	s = base;
	s.nonce = (const uint8_t *)STAPLE_FX_NONCE;
	s.nonce_len = STAPLE_FX_NONCE_LEN;
	staple_seed_one(&fx, "nonce-echoed", (const uint8_t[5]){ 0, 0, 1, 0, 1 }, &s);
	staple_seed_one(&fx, "nonce-missing", (const uint8_t[5]){ 0, 0, 1, 0, 1 }, &base);
	staple_seed_one(&fx, "over-itself", (const uint8_t[5]){ 0, 0, 3, 0, 0 }, &base);
	staple_seed_one(&fx, "clock-ahead", (const uint8_t[5]){ 0, 0, 1, 10, 4 }, &base);
	staple_seed_one(&fx, "http-404", (const uint8_t[5]){ 4, 0, 1, 0, 0 }, &base);
	staple_seed_one(&fx, "http-text-html", (const uint8_t[5]){ 0, 5, 1, 0, 0 }, &base);
	staple_seed_one(&fx, "http-type-parameter", (const uint8_t[5]){ 0, 3, 1, 0, 0 }, &base);
	staple_seed_one(&fx, "http-empty", in_place, NULL);
	{
		static const uint8_t try_later[] = { 0, 0, 1, 0, 0, 0x30, 0x03, 0x0A, 0x01, 0x03 };
		seed("staple", "try-later", try_later, sizeof(try_later));
		static const uint8_t html[] = "\0\0\1\0\0<html>busy</html>";
		seed("staple", "html-body", html, sizeof(html) - 1);
	}
	staple_fx_free(&fx);
}

/* validate_fuzzer: [clock hours, flags, targets] (fuzz/validate_fuzzer.c). */
static void validate_seed(const staple_fx *fx, const char *name, uint8_t clock, uint8_t flags, uint8_t targets,
			  const staple_fx_spec *s)
{
	const uint8_t hdr[3] = { clock, flags, targets };
	signed_seed(fx, "validate", name, hdr, sizeof(hdr), s);
}

/* Target bytes: count in bits 0-1, then per target 0 leaf certificate,
 * 1 leaf serial, 2 leaf SHA-1 CertID, 3 a serial never issued. */
#define VT(n, a, b, c) ((uint8_t)((n) | (a) << 2 | (b) << 4 | (c) << 6))

static void validate_seeds(void)
{
	staple_fx fx;
	staple_fx_spec s, base;
	static const uint8_t other_serial[] = { 0x10, 0x02 };
	const long H = STAPLE_FX_HOUR;
	if (staple_fx_load(&fx))
		die("validate fixture", OCSPKIT_E_INTERNAL);
	memset(&base, 0, sizeof(base));
	base.this_update = -H;
	base.next_update = 24 * H;

	validate_seed(&fx, "ca-signed-no-targets", 0, 0, VT(0, 0, 0, 0), &base);
	validate_seed(&fx, "ca-signed-cert-serial-certid", 0, 0, VT(3, 0, 1, 2), &base);
	validate_seed(&fx, "ca-signed-never-issued", 0, 0, VT(2, 0, 3, 0), &base);
	s = base;
	s.delegated = 1;
	validate_seed(&fx, "delegated", 0, 0, VT(1, 0, 0, 0), &s);
	validate_seed(&fx, "delegated-trusted", 0, 2, VT(1, 1, 0, 0), &s);
	s.status = OCSPKIT_CERT_REVOKED;
	validate_seed(&fx, "delegated-revoked", 0, 0, VT(2, 2, 0, 0), &s);
	s = base;
	s.wrong_key = 1;
	validate_seed(&fx, "responder-key-ca-name", 0, 0, VT(1, 0, 0, 0), &s);
	validate_seed(&fx, "responder-key-ca-name-trusted", 0, 2, VT(1, 0, 0, 0), &s);
	s = base;
	s.status = OCSPKIT_CERT_UNKNOWN;
	validate_seed(&fx, "unknown", 0, 0, VT(1, 1, 0, 0), &s);
	s = base;
	s.serial = other_serial;
	s.serial_len = sizeof(other_serial);
	validate_seed(&fx, "other-certificate", 0, 0, VT(2, 0, 3, 0), &s);
	s = base;
	s.hash = OCSPKIT_HASH_SHA256;
	validate_seed(&fx, "sha256-certid", 0, 0, VT(3, 0, 1, 2), &s);
	s = base;
	s.this_update = -48 * H;
	s.next_update = -H;
	validate_seed(&fx, "expired", 0, 0, VT(1, 0, 0, 0), &s);
	validate_seed(&fx, "expired-clock-back", (uint8_t)-2, 8, VT(1, 0, 0, 0), &s);
	s = base;
	s.this_update = 2 * H;
	validate_seed(&fx, "not-yet-valid", 0, 0, VT(1, 0, 0, 0), &s);
	s = base;
	s.no_next_update = 1;
	s.this_update = -20 * H;
	validate_seed(&fx, "no-next-update-max-age", 0, 16, VT(1, 0, 0, 0), &s);
	s = base;
	s.nonce = (const uint8_t *)STAPLE_FX_NONCE;
	s.nonce_len = STAPLE_FX_NONCE_LEN;
	validate_seed(&fx, "nonce-echoed", 0, 1, VT(1, 0, 0, 0), &s);
	validate_seed(&fx, "nonce-missing", 0, 1, VT(1, 0, 0, 0), &base);
	s.nonce = (const uint8_t *)"another nonce...";
	validate_seed(&fx, "nonce-mismatch", 0, 1, VT(1, 0, 0, 0), &s);
	validate_seed(&fx, "tolerant-decoding", 0, 4, VT(1, 0, 0, 0), &base);
	s = base;
	s.critical_ext = 1;
	validate_seed(&fx, "unknown-critical-response-extension", 0, 0, VT(1, 0, 0, 0), &s);
	s.critical_ext = 2;
	validate_seed(&fx, "unknown-critical-single-extension", 0, 0, VT(1, 0, 0, 0), &s);
	s = base;
	s.twin = 1;
	validate_seed(&fx, "conflicting-twins", 0, 0, VT(1, 0, 0, 0), &s);
	s.status = OCSPKIT_CERT_UNKNOWN;
	validate_seed(&fx, "agreeing-twins", 0, 0, VT(1, 2, 0, 0), &s);
	{
		static const uint8_t try_later[] = { 0, 0, 1, 0x30, 0x03, 0x0A, 0x01, 0x03 };
		seed("validate", "try-later", try_later, sizeof(try_later));
	}
	staple_fx_free(&fx);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FUZZ-DIR\n", argv[0]);
		return 2;
	}
	outdir = argv[1];
	make_pki();
	responses();
	requests();
	names();
	texts();
	differences();
	staple_seeds();
	validate_seeds();
	n_written += responder_seeds(outdir);
	fraction_seeds();
	n_written += crl_seeds(outdir);
	n_written += crl_source_seeds(outdir);
	dicts();
	ocspkit_cert *all[] = { ca.x, responder.x, leaf.x, leaf_ec.x, responder_ed.x, v1_cert.x, pss_cert.x };
	uint8_t *ders[] = { ca.der, responder.der, leaf.der, leaf_ec.der, responder_ed.der, v1_cert.der, pss_cert.der };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		ocspkit_cert_free(all[i]);
		ocspkit_free(ders[i]);
	}
	printf("gen_corpus: %lu files written under %s\n", n_written, outdir);
	return 0;
}
