/* Seeds of crl_fuzzer, written by fuzz/gen_corpus (make fuzz-corpus) into
 * DIR/crl_fuzzer.in/: CRLs of every shape RFC 5280 section 5 allows (v1
 * and v2, with and without nextUpdate and entries, every CRL and entry
 * extension ocspkit reads, an indirect CRL with changes of certificate
 * issuer, a delta CRL, times on both sides of 2050, serials of 1 to 20
 * octets with and without their sign octet, duplicates alike and not, an
 * unknown critical extension), a few signed by crl_fuzzer's fixed CA so
 * that verification succeeds, and the forms only the tolerance flags let
 * through (padded and negative serials, an empty list, version 1 written
 * out), and a CRL whose serials crowd one bucket of the serial index
 * (its sort for large buckets).  Deterministic. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crl_index.h"
#include "crl_write.h"
#include "tests/lib/pki.h"

unsigned long crl_seeds(const char *dir);

static const char *out_dir;
static unsigned long written;

static void put(const char *name, const void *data, size_t len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/crl_fuzzer.in", out_dir);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/crl_fuzzer.in/%s", out_dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	written++;
}

/* Each seed decodes as meant: strictly, or only with the flags. */
static void seed(const char *name, blob der, unsigned flags)
{
	ocspkit_crl *c = NULL;
	size_t off = 0;
	ocspkit_err e = ocspkit_crl_decode(&c, der.d, der.n, 0, &off);
	if (flags) {
		ocspkit_crl_free(c);
		c = NULL;
		if (e == OCSPKIT_OK || ocspkit_crl_decode(&c, der.d, der.n, flags, &off) != OCSPKIT_OK) {
			fprintf(stderr, "crl_seeds: %s is meant for the flags alone\n", name);
			exit(1);
		}
	} else if (e) {
		fprintf(stderr, "crl_seeds: %s: %s at %zu\n", name, ocspkit_strerror_name(e), off);
		exit(1);
	}
	ocspkit_crl_free(c);
	put(name, der.d, der.n);
}

static blob UT(const char *s)
{
	return T(0x17, bytes(s, strlen(s)));
}

static blob cn(const char *s)
{
	return pki_name(s);
}

static blob ext(const char *oid, int critical, blob value)
{
	return T(0x30, cat(3, T(0x06, raw(oid)), critical ? raw("0101FF") : none(), T(0x04, value)));
}

static blob reason(int r)
{
	uint8_t v[3] = { 0x0A, 0x01, (uint8_t)r };
	return ext("551D15", 0, bytes(v, 3));
}

static blob entry(blob serial, blob when, blob exts)
{
	return T(0x30, cat(3, serial, when, exts.n ? T(0x30, exts) : none()));
}

/* CertificateList around the fields of a TBSCertList; a placeholder
 * signature (Ed25519-sized) unless key signs it. */
static blob crl(blob version, const char *issuer, blob times, blob revoked, blob exts, const ocspkit_privkey *key)
{
	blob alg = key ? pki_sign_alg(key, NULL) : raw("300506032B6570");
	blob tbs = T(0x30, cat(6, version, alg, cn(issuer), times, revoked, exts.n ? T(0xA0, T(0x30, exts)) : none()));
	if (key)
		return pki_signed(tbs, key, NULL);
	return T(0x30, cat(3, tbs, alg, T(0x03, cat(2, raw("00"), fill(0x5A, 64)))));
}

#define V2 raw("020101")
#define TIMES cat(2, UT("260101000000Z"), UT("260108000000Z"))

static void small_seeds(const ocspkit_privkey *key)
{
	blob ci2 = ext("551D1D", 1, T(0x30, T(0xA4, cn("CA two"))));
	blob idp_full = ext("551D1C", 1, T(0x30, cat(2, T(0xA0, T(0xA0, T(0x86, bytes("http://crl.example/a.crl", 24)))),
						      raw("8303074080"))));
	blob idp_indirect = ext("551D1C", 1, T(0x30, raw("8401FF")));
	blob idp_relative = ext("551D1C", 1, T(0x30, cat(2, T(0xA0, T(0xA1, T(0x30, cat(2, raw("0603550403"),
											   T(0x0C, bytes("dp1", 3)))))),
							 raw("8101FF"))));
	blob aki = ext("551D23", 0, T(0x30, cat(3, T(0x80, fill(0x11, 20)), T(0xA1, T(0xA4, cn("Root"))), raw("82020100"))));
	blob freshest = ext("551D2E", 0, T(0x30, T(0x30, cat(3, T(0xA0, T(0xA0, T(0x86, bytes("http://crl.example/d.crl", 24)))),
							     raw("8102022C"), T(0xA2, T(0xA4, cn("Root")))))));
	blob number = ext("551D14", 0, raw("02020100"));
	blob hold = ext("551D17", 0, raw("06072A8648CE380202"));
	blob inval = ext("551D18", 0, T(0x18, bytes("20231231120000Z", 15)));
	blob e1 = entry(raw("020101"), UT("240101000000Z"), none());

	seed("v1-empty", crl(none(), "V1 CA", UT("260101000000Z"), none(), none(), NULL), 0);
	seed("v1-entries", crl(none(), "V1 CA", TIMES, T(0x30, cat(2, e1, entry(raw("02020080"), UT("490101000000Z"), none()))),
			       none(), NULL),
	     0);
	seed("v2-every-extension",
	     crl(V2, "Test CA", TIMES,
		 T(0x30, cat(3, entry(raw("020105"), UT("240101000000Z"), cat(2, reason(1), inval)),
			     entry(raw("020106"), UT("240102000000Z"), cat(2, reason(6), hold)),
			     entry(raw("020108"), T(0x18, bytes("20500101000000Z", 15)), reason(10)))),
		 cat(6, number, aki, idp_full, freshest, ext("551D12", 0, T(0x30, T(0x86, bytes("http://ian", 10)))),
		     ext("2B06010505070101", 0,
			 T(0x30, T(0x30, cat(2, raw("06082B06010505073002"), T(0x86, bytes("http://ca.example/ca.crt", 24))))))),
		 NULL),
	     0);
	seed("indirect",
	     crl(V2, "CRL issuer", TIMES,
		 T(0x30, cat(5, entry(raw("020105"), UT("240101000000Z"), reason(1)),
			     entry(raw("020106"), UT("240102000000Z"), ci2), entry(raw("020105"), UT("240103000000Z"), reason(4)),
			     entry(raw("020109"), UT("240104000000Z"),
				   ext("551D1D", 1, T(0x30, cat(2, T(0x86, bytes("http://x", 8)), T(0xA4, cn("CRL issuer")))))),
			     entry(raw("02010A"), UT("240105000000Z"), ext("551D1D", 1, T(0x30, T(0x86, bytes("http://ca3", 10))))))),
		 cat(2, number, idp_indirect), NULL),
	     0);
	seed("delta",
	     crl(V2, "Test CA", TIMES,
		 T(0x30, cat(2, entry(raw("020120"), UT("240101000000Z"), reason(8)), entry(raw("020121"), UT("240101000000Z"), reason(6)))),
		 cat(2, ext("551D14", 0, raw("020109")), ext("551D1B", 1, raw("020107"))), NULL),
	     0);
	seed("idp-relative-name", crl(V2, "Test CA", TIMES, none(), idp_relative, NULL), 0);
	seed("unknown-critical",
	     crl(V2, "Test CA", TIMES, T(0x30, entry(raw("020101"), UT("240101000000Z"), ext("2A0304", 1, raw("0500")))),
		 ext("2A0305", 1, raw("0500")), NULL),
	     0);
	seed("duplicates-alike",
	     crl(V2, "Test CA", TIMES, T(0x30, cat(3, entry(raw("020107"), UT("240101000000Z"), reason(1)), e1,
						   entry(raw("020107"), UT("240101000000Z"), reason(1)))),
		 none(), NULL),
	     0);
	seed("duplicates-conflicting",
	     crl(V2, "Test CA", TIMES, T(0x30, cat(2, entry(raw("020107"), UT("240101000000Z"), reason(1)),
						   entry(raw("020107"), UT("240101000000Z"), reason(4)))),
		 none(), NULL),
	     0);

	/* signed by crl_fuzzer's CA: verification succeeds */
	seed("signed", crl(V2, "Fuzz CRL CA", TIMES, T(0x30, cat(2, e1, entry(raw("02020080"), UT("240101000000Z"), reason(2)))),
			   number, key),
	     0);
	seed("signed-v1", crl(none(), "Fuzz CRL CA", UT("260101000000Z"), T(0x30, e1), none(), key), 0);
	seed("signed-unknown-critical", crl(V2, "Fuzz CRL CA", TIMES, none(), ext("2A0304", 1, raw("0500")), key), 0);

	/* the tolerated forms */
	seed("tolerated-padded-serial", crl(V2, "Test CA", TIMES, T(0x30, entry(raw("0202002A"), UT("240101000000Z"), none())),
					    none(), NULL),
	     OCSPKIT_DECODE_ALLOW_PADDED_INTEGER);
	seed("tolerated-negative-serial", crl(V2, "Test CA", TIMES, T(0x30, entry(raw("0201FF"), UT("240101000000Z"), none())),
					      none(), NULL),
	     OCSPKIT_DECODE_ALLOW_NEGATIVE_SERIAL);
	seed("tolerated-empty-list", crl(V2, "Test CA", TIMES, raw("3000"), none(), NULL),
	     OCSPKIT_DECODE_ALLOW_EMPTY_REVOKED_LIST);
	seed("tolerated-explicit-v1", crl(raw("020100"), "Test CA", TIMES, T(0x30, e1), none(), NULL),
	     OCSPKIT_DECODE_ALLOW_EXPLICIT_DEFAULT);
}

/* A CRL of n entries by the encoder: serials of 1 to 20 octets (with
 * their sign octet when the top bit is set), reasons in turn, an
 * invalidity date now and then. */
static void big_seed(const char *name, size_t n)
{
	static uint8_t ser[2000][21];
	static okit_crl_entry_spec es[2000];
	static uint8_t rvals[11][3];
	static ocspkit_extension rexts[11][2];
	static const uint8_t inval[] = { 0x18, 0x0F, '2', '0', '2', '3', '1', '2', '3', '1', '1', '2', '0', '0', '0', '0', 'Z' };
	uint32_t x = 0x2545F491;
	for (int r = 0; r <= 10; r++) {
		rvals[r][0] = 0x0A, rvals[r][1] = 0x01, rvals[r][2] = (uint8_t)(r == 7 ? 0 : r);
		rexts[r][0] = (ocspkit_extension){ OCSPKIT_EXT_CRL_REASON, { NULL, 0 }, 0, { rvals[r], 3 } };
		rexts[r][1] = (ocspkit_extension){ OCSPKIT_EXT_INVALIDITY_DATE, { NULL, 0 }, 0, { inval, sizeof(inval) } };
	}
	for (size_t i = 0; i < n; i++) {
		size_t l = 1 + i % 20;
		for (size_t k = 0; k < 21; k++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			ser[i][k] = (uint8_t)x;
		}
		ser[i][1] |= 1;
		if (l >= 3)
			ser[i][l - 1] = (uint8_t)(i >> 8), ser[i][l] = (uint8_t)i;
		int sign = (ser[i][1] & 0x80) != 0;
		ser[i][0] = 0;
		es[i].serial = (ocspkit_bytes){ ser[i] + !sign, l + (size_t)sign };
		es[i].revocation_date = 1700000000 + (int64_t)i * 3600;
		es[i].extensions = rexts[i % 11];
		es[i].extension_count = i % 3 == 0 ? 0 : i % 3;
	}
	blob issuer = pki_name("Big CA");
	okit_crl_spec s;
	memset(&s, 0, sizeof(s));
	s.version = 1;
	s.signature.oid = (ocspkit_bytes){ (const uint8_t *)"\x2B\x65\x70", 3 };
	s.issuer = (ocspkit_bytes){ issuer.d, issuer.n };
	s.this_update = 1750000000;
	s.has_next_update = 1;
	s.next_update = 1750600000;
	s.entries = es;
	s.entry_count = n;
	uint8_t *tbs, *der, sig[64];
	size_t tl, dl;
	memset(sig, 0x5A, sizeof(sig));
	if (okit_crl_tbs_write(&tbs, &tl, &s) ||
	    okit_crl_assemble(&der, &dl, (ocspkit_bytes){ tbs, tl }, &s.signature, (ocspkit_bytes){ sig, 64 })) {
		fprintf(stderr, "crl_seeds: %s does not encode\n", name);
		exit(1);
	}
	ocspkit_crl *c = NULL;
	if (ocspkit_crl_decode(&c, der, dl, 0, NULL)) {
		fprintf(stderr, "crl_seeds: %s does not decode\n", name);
		exit(1);
	}
	ocspkit_crl_free(c);
	put(name, der, dl);
	ocspkit_free(tbs);
	ocspkit_free(der);
}

/* A CRL of 24 entries, 20 of which hash into the first of the index's
 * buckets: the index sorts a bucket of more than 16 slots otherwise than
 * the small ones (crl_index.c), which chance hardly reaches. */
static void crowded_bucket_seed(void)
{
	static uint8_t ser[24][2];
	static okit_crl_entry_spec es[24];
	unsigned bits = okit_crl_index_bits(24);
	size_t n = 0, other = 0;
	for (unsigned v = 0x0100; v < 0x8000 && n < 24; v++) {
		uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
		int first = (okit_serial_hash(b, 2) >> (32 - bits)) == 0;
		if (!first && other >= 4)
			continue;
		other += !first;
		memcpy(ser[n], b, 2);
		es[n].serial = (ocspkit_bytes){ ser[n], 2 };
		es[n].revocation_date = 1700000000 + (int64_t)n;
		n++;
	}
	blob issuer = pki_name("Crowded CA");
	okit_crl_spec s;
	memset(&s, 0, sizeof(s));
	s.version = 1;
	s.signature.oid = (ocspkit_bytes){ (const uint8_t *)"\x2B\x65\x70", 3 };
	s.issuer = (ocspkit_bytes){ issuer.d, issuer.n };
	s.this_update = 1750000000;
	s.entries = es;
	s.entry_count = n;
	uint8_t *tbs, *der, sig[64];
	size_t tl, dl;
	memset(sig, 0x5A, sizeof(sig));
	if (n != 24 || okit_crl_tbs_write(&tbs, &tl, &s) ||
	    okit_crl_assemble(&der, &dl, (ocspkit_bytes){ tbs, tl }, &s.signature, (ocspkit_bytes){ sig, 64 })) {
		fprintf(stderr, "crl_seeds: the crowded bucket does not encode\n");
		exit(1);
	}
	ocspkit_crl *c = NULL;
	if (ocspkit_crl_decode(&c, der, dl, 0, NULL)) {
		fprintf(stderr, "crl_seeds: the crowded bucket does not decode\n");
		exit(1);
	}
	ocspkit_crl_free(c);
	put("crowded-bucket", der, dl);
	ocspkit_free(tbs);
	ocspkit_free(der);
}

unsigned long crl_seeds(const char *dir)
{
	out_dir = dir;
	written = 0;
	ocspkit_privkey *key = pki_ed25519_fixed(0x43);
	small_seeds(key);
	big_seed("encoder-40-entries", 40);
	big_seed("encoder-800-entries", 800);
	crowded_bucket_seed();
	ocspkit_privkey_free(key);
	return written;
}

