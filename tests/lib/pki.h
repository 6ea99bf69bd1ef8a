/* The test PKI of the C tests, fuzzers and benchmarks (the one builder of
 * keys and certificates they have): keys of every type, random or fixed
 * (the RSA keys of testkeys.h, Ed25519 keys from given octets, so that
 * fixtures are the same on every run), certificates built with build.h
 * from a pki_cert_spec and signed with the library, and signed messages.
 * Test code only; its functions are static inline, so that a file takes
 * what it uses. */
#ifndef OCSPKIT_TEST_PKI_H
#define OCSPKIT_TEST_PKI_H

#include <time.h>

#include "build.h"
#include "pubkey.h"
#include "random.h"
#include "testkeys.h"

static inline void pki_random(void *ctx, size_t n, uint8_t *dst)
{
	okit_rng *r = ctx;
	okit_random(r, n, dst);
	if (r->failed)
		abort();
}

/* The octets of hex (an odd number of digits has a leading 0) into out,
 * which has room for cap; returns how many. */
static inline size_t pki_hex_octets(uint8_t *out, size_t cap, const char *hex)
{
	size_t n = strlen(hex), k = 0, i = 0;
	if ((n + 1) / 2 > cap)
		abort();
	for (; i < n; i++) {
		char c = hex[i];
		unsigned v = c >= '0' && c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
		if (v > 15)
			abort();
		if ((n - i) % 2 == 0) /* the high digit of an octet */
			out[k] = (uint8_t)(v << 4);
		else if (i == 0)      /* the odd first digit */
			out[k++] = (uint8_t)v;
		else
			out[k++] |= (uint8_t)v;
	}
	return k;
}

/* The parts of a fixed RSA key, in bufs (5 x 512 octets). */
static inline ocspkit_rsa_private_parts pki_rsa_parts(const test_rsa_key *t, uint8_t bufs[5][512])
{
	ocspkit_rsa_private_parts parts;
	memset(&parts, 0, sizeof(parts));
	parts.n = (ocspkit_bytes){ bufs[0], pki_hex_octets(bufs[0], 512, t->n) };
	parts.e = (ocspkit_bytes){ bufs[1], pki_hex_octets(bufs[1], 512, t->e) };
	parts.d = (ocspkit_bytes){ bufs[2], pki_hex_octets(bufs[2], 512, t->d) };
	parts.p = (ocspkit_bytes){ bufs[3], pki_hex_octets(bufs[3], 512, t->p) };
	parts.q = (ocspkit_bytes){ bufs[4], pki_hex_octets(bufs[4], 512, t->q) };
	return parts;
}

static inline ocspkit_privkey *pki_rsa_key(const test_rsa_key *t, int pss_only)
{
	uint8_t bufs[5][512];
	ocspkit_rsa_private_parts parts = pki_rsa_parts(t, bufs);
	ocspkit_privkey *k = NULL;
	if (ocspkit_privkey_from_rsa(&k, &parts, pss_only) != OCSPKIT_OK)
		abort();
	return k;
}

/* A key of the type; RSA keys are the fixed ones (which = 1 or 2). */
static inline ocspkit_privkey *pki_key(ocspkit_key_type type, int which)
{
	okit_rng rng = { 0, 0 };
	ocspkit_privkey *k = NULL;
	switch (type) {
	case OCSPKIT_KEY_RSA:
	case OCSPKIT_KEY_RSA_PSS:
		return pki_rsa_key(which == 2 ? &test_rsa2 : &test_rsa1, type == OCSPKIT_KEY_RSA_PSS);
	case OCSPKIT_KEY_EC_P256:
	case OCSPKIT_KEY_EC_P384:
	case OCSPKIT_KEY_EC_P521: {
		/* random octets until they are a scalar below the order */
		size_t n = type == OCSPKIT_KEY_EC_P256 ? 32 : type == OCSPKIT_KEY_EC_P384 ? 48 : 66;
		uint8_t scalar[66];
		ocspkit_err e;
		do {
			pki_random(&rng, n, scalar);
			if (type == OCSPKIT_KEY_EC_P521)
				scalar[0] &= 1;
		} while ((e = ocspkit_privkey_from_ec(&k, type, scalar, n)) == OCSPKIT_E_BAD_PRIVATE_KEY);
		if (e)
			abort();
		return k;
	}
	case OCSPKIT_KEY_ED25519:
	case OCSPKIT_KEY_ED448: {
		uint8_t priv[57];
		size_t n = type == OCSPKIT_KEY_ED25519 ? 32 : 57;
		pki_random(&rng, n, priv);
		if (ocspkit_privkey_from_eddsa(&k, type, priv, n) != OCSPKIT_OK)
			abort();
		return k;
	}
	default:
		abort();
	}
}

static inline blob pki_spki(const ocspkit_privkey *k)
{
	ocspkit_pubkey *pub;
	uint8_t *der;
	size_t len;
	if (ocspkit_pubkey_from_privkey(&pub, k) || ocspkit_pubkey_encode(&der, &len, pub))
		abort();
	blob b = bytes(der, len);
	ocspkit_free(der);
	ocspkit_pubkey_free(pub);
	return b;
}

/* Name ::= SEQUENCE OF SET { SEQUENCE { type, UTF8String } }: name is a
 * common name ("Test CA"), or attributes in OpenSSL's -subj form
 * ("/O=ocspkit/CN=Test CA": C, O, OU, CN). */
static inline blob pki_name(const char *name)
{
	static const struct {
		const char *type, *oid;
	} types[] = { { "C", "0603550406" }, { "O", "060355040A" }, { "OU", "060355040B" }, { "CN", "0603550403" } };
	if (name[0] != '/')
		return T(0x30, T(0x31, T(0x30, cat(2, raw("0603550403"), T(0x0C, bytes(name, strlen(name)))))));
	blob rdns = none();
	for (const char *p = name; *p == '/';) {
		const char *eq = strchr(p, '='), *end = strchr(p + 1, '/');
		if (!end)
			end = p + strlen(p);
		size_t i = 0, n = eq && eq < end ? (size_t)(eq - p - 1) : 0, ntypes = sizeof(types) / sizeof(types[0]);
		while (i < ntypes && (strlen(types[i].type) != n || strncmp(types[i].type, p + 1, n) != 0))
			i++;
		if (i == ntypes)
			abort();
		rdns = cat(2, rdns, T(0x31, T(0x30, cat(2, raw(types[i].oid), T(0x0C, bytes(eq + 1, (size_t)(end - eq - 1)))))));
		p = end;
	}
	return T(0x30, rdns);
}

static inline blob pki_time(int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char buf[32];
	gmtime_r(&tt, &tm);
	int y = tm.tm_year + 1900, utc = y >= 1950 && y < 2050;
	snprintf(buf, sizeof(buf), "%0*d%02d%02d%02d%02d%02dZ", utc ? 2 : 4, utc ? y % 100 : y, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return T(utc ? 0x17 : 0x18, bytes(buf, strlen(buf)));
}

static inline blob pki_algid(const ocspkit_algorithm_value *v)
{
	return T(0x30, cat(2, T(0x06, bytes(v->oid, v->oid_len)), bytes(v->params, v->params_len)));
}

/* Signs tbs with key: SEQUENCE { tbs, algorithm, BIT STRING } (the shape
 * of certificates).  The algorithm must already be inside tbs for
 * certificates: pki_sign_alg gives it. */
static inline blob pki_sign_alg(const ocspkit_privkey *key, const ocspkit_sign_opts *opts)
{
	ocspkit_algorithm_value v;
	if (ocspkit_sign_algorithm(&v, key, opts))
		abort();
	return pki_algid(&v);
}

/* Signs the len octets at data with key under opts through the key's
 * signer (ocspkit_signer_from_privkey): *sig (ocspkit_free) and *sig_len;
 * alg, when not NULL, gets the algorithm.  The errors of making the signer
 * and of signing. */
static inline ocspkit_err pki_sign(uint8_t **sig, size_t *sig_len, ocspkit_algorithm_value *alg,
				   const ocspkit_privkey *key, const ocspkit_sign_opts *opts, const uint8_t *data,
				   size_t len)
{
	ocspkit_signer *s;
	*sig = NULL;
	*sig_len = 0;
	ocspkit_err e = ocspkit_signer_from_privkey(&s, key, opts);
	if (e)
		return e;
	if (alg) {
		ocspkit_algorithm_id id = ocspkit_signer_get_algorithm(s);
		memset(alg, 0, sizeof(*alg));
		memcpy(alg->oid, id.oid.data, id.oid.len);
		alg->oid_len = id.oid.len;
		if (id.params.len)
			memcpy(alg->params, id.params.data, id.params.len);
		alg->params_len = id.params.len;
	}
	e = ocspkit_signer_sign(sig, sig_len, s, data, len);
	ocspkit_signer_free(s);
	return e;
}

/* ocspkit_response_sign with key under opts (through the key's signer). */
static inline ocspkit_err pki_response_sign(uint8_t **der, size_t *len, const ocspkit_response_tbs *tbs,
					    const ocspkit_privkey *key, const ocspkit_sign_opts *opts,
					    const ocspkit_bytes *certs, size_t cert_count)
{
	ocspkit_signer *s;
	*der = NULL;
	*len = 0;
	ocspkit_err e = ocspkit_signer_from_privkey(&s, key, opts);
	if (e)
		return e;
	e = ocspkit_response_sign(der, len, tbs, s, certs, cert_count);
	ocspkit_signer_free(s);
	return e;
}

static inline blob pki_signed(blob tbs, const ocspkit_privkey *key, const ocspkit_sign_opts *opts)
{
	ocspkit_algorithm_value v;
	uint8_t *sig;
	size_t sl;
	if (pki_sign(&sig, &sl, &v, key, opts, tbs.d, tbs.n))
		abort();
	blob out = T(0x30, cat(3, tbs, pki_algid(&v), T(0x03, cat(2, raw("00"), bytes(sig, sl)))));
	ocspkit_free(sig);
	return out;
}

enum {
	PKI_KU_NONE = -1,
	PKI_KU_DIGITAL_SIGNATURE = 0x80,
	PKI_KU_CERT_SIGN = 0x06, /* keyCertSign, cRLSign */
	PKI_KU_KEY_ENCIPHERMENT = 0x20
};

typedef struct {
	const char *subject, *issuer;
	long serial;
	int64_t not_before, not_after;
	int ca;               /* basicConstraints cA, keyUsage keyCertSign */
	int ocsp_signing;     /* EKU id-kp-OCSPSigning */
	int server_auth;      /* EKU id-kp-serverAuth */
	int nocheck;          /* id-pkix-ocsp-nocheck */
	int ku;               /* keyUsage first octet, PKI_KU_NONE for none */
	int unknown_critical; /* an extension nobody knows, critical */
	const char *ocsp_url; /* authorityInfoAccess id-ad-ocsp, a URI */
	int must_staple;      /* TLS feature status_request (RFC 7633) */
	const ocspkit_privkey *key;        /* subject's */
	const ocspkit_privkey *issuer_key; /* signer's */
} pki_cert_spec;

static inline blob pki_ku_bits(int ku)
{
	/* named BIT STRING: trailing zero bits dropped (X.690 11.2.2) */
	uint8_t v = (uint8_t)ku;
	int unused = 0;
	while (unused < 7 && !(v & (1u << unused)))
		unused++;
	uint8_t b[3] = { 0x03, 0x02, (uint8_t)unused };
	blob out = bytes(b, 3);
	out.d[out.n++] = v;
	return out;
}

static inline blob pki_cert_der(const pki_cert_spec *s)
{
	blob exts = none();
	if (s->ca)
		exts = cat(2, exts, T(0x30, cat(3, raw("0603551D13"), raw("0101FF"), T(0x04, T(0x30, raw("0101FF"))))));
	int ku = s->ku ? s->ku : (s->ca ? PKI_KU_CERT_SIGN | PKI_KU_DIGITAL_SIGNATURE : PKI_KU_DIGITAL_SIGNATURE);
	if (ku != PKI_KU_NONE)
		exts = cat(2, exts, T(0x30, cat(3, raw("0603551D0F"), raw("0101FF"), T(0x04, pki_ku_bits(ku)))));
	if (s->ocsp_signing || s->server_auth) {
		blob ekus = none();
		if (s->server_auth)
			ekus = cat(2, ekus, raw("06082B06010505070301"));
		if (s->ocsp_signing)
			ekus = cat(2, ekus, raw("06082B06010505070309"));
		exts = cat(2, exts, T(0x30, cat(2, raw("0603551D25"), T(0x04, T(0x30, ekus)))));
	}
	if (s->nocheck)
		exts = cat(2, exts, T(0x30, cat(2, raw("06092B0601050507300105"), T(0x04, raw("0500")))));
	if (s->unknown_critical)
		exts = cat(2, exts, T(0x30, cat(3, raw("06032A0304"), raw("0101FF"), T(0x04, raw("0500")))));
	if (s->ocsp_url)
		exts = cat(2, exts, T(0x30, cat(2, raw("06082B06010505070101"),
						T(0x04, T(0x30, T(0x30, cat(2, raw("06082B06010505073001"),
									    T(0x86, bytes(s->ocsp_url, strlen(s->ocsp_url))))))))));
	if (s->must_staple)
		exts = cat(2, exts, T(0x30, cat(2, raw("06082B06010505070118"), T(0x04, T(0x30, raw("020105"))))));
	uint8_t serial[8];
	size_t sn = 0;
	long v = s->serial ? s->serial : 1;
	for (int i = 7; i >= 0; i--) {
		uint8_t byte = (uint8_t)(v >> (8 * i));
		if (sn || byte || i == 0) {
			if (sn == 0 && (byte & 0x80))
				serial[sn++] = 0;
			serial[sn++] = byte;
		}
	}
	int64_t nb = s->not_before ? s->not_before : 1700000000;
	int64_t na = s->not_after ? s->not_after : 2000000000;
	blob tbs = T(0x30, cat(8, T(0xA0, raw("020102")), T(0x02, bytes(serial, sn)), pki_sign_alg(s->issuer_key, NULL),
				pki_name(s->issuer), T(0x30, cat(2, pki_time(nb), pki_time(na))), pki_name(s->subject),
				pki_spki(s->key), exts.n ? T(0xA3, T(0x30, exts)) : none()));
	return pki_signed(tbs, s->issuer_key, NULL);
}

static inline ocspkit_cert *pki_cert_from(const blob *der)
{
	ocspkit_cert *c;
	size_t off;
	ocspkit_err e = ocspkit_cert_decode(&c, der->d, der->n, 0, &off);
	if (e) {
		fprintf(stderr, "pki_cert: %s at %zu\n", ocspkit_strerror_name(e), off);
		abort();
	}
	return c;
}

static inline ocspkit_cert *pki_cert(const pki_cert_spec *s)
{
	blob der = pki_cert_der(s);
	return pki_cert_from(&der);
}

/* The Ed25519 key of the 32 private octets at priv: fixed keys for
 * fixtures that must give the same certificates and signatures on every
 * run (Ed25519 signing is deterministic). */
static inline ocspkit_privkey *pki_ed25519_key(const uint8_t priv[32])
{
	ocspkit_privkey *k = NULL;
	if (ocspkit_privkey_from_eddsa(&k, OCSPKIT_KEY_ED25519, priv, 32) != OCSPKIT_OK)
		abort();
	return k;
}

/* The Ed25519 key whose 32 private octets are all fill_byte. */
static inline ocspkit_privkey *pki_ed25519_fixed(uint8_t fill_byte)
{
	uint8_t priv[32];
	memset(priv, fill_byte, sizeof(priv));
	return pki_ed25519_key(priv);
}

/* A self-signed CA (serial 1, the default validity). */
static inline ocspkit_cert *pki_ca_cert(const char *name, const ocspkit_privkey *key)
{
	pki_cert_spec s;
	memset(&s, 0, sizeof(s));
	s.subject = s.issuer = name;
	s.ca = 1;
	s.key = s.issuer_key = key;
	return pki_cert(&s);
}

/* A self-signed CA and the delegated OCSP responder it issued (serial 2,
 * id-kp-OCSPSigning, the default validity): what every validation fixture
 * starts from.  resp_der (optional) gets the responder's DER, the very
 * octets *resp was decoded from. */
static inline void pki_ca_and_responder(ocspkit_cert **ca, ocspkit_cert **resp, blob *resp_der,
					const char *ca_name, const ocspkit_privkey *ca_key, const char *resp_name,
					const ocspkit_privkey *resp_key)
{
	pki_cert_spec s;
	*ca = pki_ca_cert(ca_name, ca_key);
	memset(&s, 0, sizeof(s));
	s.subject = resp_name;
	s.issuer = ca_name;
	s.serial = 2;
	s.ocsp_signing = 1;
	s.key = resp_key;
	s.issuer_key = ca_key;
	blob der = pki_cert_der(&s);
	*resp = pki_cert_from(&der);
	if (resp_der)
		*resp_der = der;
}

#endif
