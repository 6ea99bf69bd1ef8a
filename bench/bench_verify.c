/* Verification and signing of OCSP responses: ocspkit against OpenSSL
 * (OCSP_basic_verify, OCSP_basic_sign) and GnuTLS
 * (gnutls_ocsp_resp_verify_direct), from the same DER, in the same run.
 *
 * For RSA-2048, P-256 and Ed25519 a CA, a delegated responder (extended key
 * usage OCSPSigning) and a leaf are made with OpenSSL's API; the responder
 * signs a response about the leaf with OCSP_basic_sign and includes its
 * certificate.  Each verifier then does all a client does with the bytes:
 * decode, check the signature and the responder's authorization, find the
 * leaf's status, check the times, free.  What a client sets up once (the
 * issuer certificate, the leaf's CertID or certificate, a trust store) is
 * made before the loop for every library.  ocspkit is measured without and
 * with its responder cache (the second one skips decoding and verifying
 * the responder's certificate once it has been seen).
 *
 * Signing: one good status, the responder's certificate included, to
 * DER: ocspkit_response_sign against OCSP_BASICRESP_new +
 * OCSP_basic_add1_status + OCSP_basic_sign + OCSP_response_create + i2d.
 *
 *   bench_verify [-t SECONDS] [-r REPS]       the table (best of REPS runs)
 *   bench_verify -p CASE -n N                 N calls of one case in
 *                                             measured_loop(), for callgrind
 * CASE: {rsa,p256,ed25519}-{ocspkit,cache,openssl,gnutls,sign,osign}
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>
#include <gnutls/x509.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ocspkit/ocspkit.h>

#define DIE(...)                                      \
	do {                                          \
		fprintf(stderr, "bench_verify: " __VA_ARGS__); \
		fputc('\n', stderr);                  \
		exit(1);                              \
	} while (0)

typedef struct {
	const char *name, *label;
	/* OpenSSL */
	EVP_PKEY *ca_key, *resp_key;
	X509 *ca, *resp, *leaf;
	const EVP_MD *md;
	X509_STORE *store;
	OCSP_CERTID *id;
	/* the response */
	unsigned char *der;
	int der_len;
	/* GnuTLS */
	gnutls_x509_crt_t g_ca, g_leaf;
	/* ocspkit */
	ocspkit_cert *k_ca, *k_leaf, *k_resp;
	ocspkit_privkey *k_resp_key;
	ocspkit_signer *k_signer;
	unsigned char *resp_der;
	int resp_der_len;
	ocspkit_responder_cache *cache;
	ocspkit_cert_id_value idv;
} alg_t;

static alg_t algs[3] = {
	{ .name = "rsa", .label = "RSA-2048" },
	{ .name = "p256", .label = "P-256" },
	{ .name = "ed25519", .label = "Ed25519" },
};

/* ---------------------------------------------------------------- the PKI */

static EVP_PKEY *keygen(const char *name)
{
	if (strcmp(name, "rsa") == 0)
		return EVP_RSA_gen(2048);
	if (strcmp(name, "p256") == 0)
		return EVP_EC_gen("P-256");
	return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
}

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!e || !X509_add_ext(x, e, -1))
		DIE("extension %d", nid);
	X509_EXTENSION_free(e);
}

static X509 *make_cert(const char *cn, long serial, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
		       const EVP_MD *md, const char *kind)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();
	X509_set_version(x, X509_VERSION_3);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), -86400);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"ocspkit bench", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
	X509_set_pubkey(x, key);
	if (strcmp(kind, "ca") == 0) {
		add_ext(x, issuer ? issuer : x, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, issuer ? issuer : x, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature");
	} else if (strcmp(kind, "responder") == 0) {
		add_ext(x, issuer, NID_basic_constraints, "critical,CA:FALSE");
		add_ext(x, issuer, NID_key_usage, "critical,digitalSignature");
		add_ext(x, issuer, NID_ext_key_usage, "OCSPSigning");
	} else {
		add_ext(x, issuer, NID_basic_constraints, "CA:FALSE");
		add_ext(x, issuer, NID_ext_key_usage, "serverAuth");
	}
	if (!X509_sign(x, issuer_key, md))
		DIE("X509_sign");
	X509_NAME_free(n);
	return x;
}

static unsigned char *to_der(X509 *x, int *len)
{
	unsigned char *buf = NULL;
	*len = i2d_X509(x, &buf);
	if (*len <= 0)
		DIE("i2d_X509");
	return buf;
}

/* The octets of a key parameter, into buf (1024 octets). */
static ocspkit_bytes bn_octets(uint8_t *buf, EVP_PKEY *k, const char *param)
{
	BIGNUM *bn = NULL;
	if (!EVP_PKEY_get_bn_param(k, param, &bn))
		DIE("EVP_PKEY_get_bn_param %s", param);
	int n = BN_bn2bin(bn, buf);
	BN_clear_free(bn);
	return (ocspkit_bytes){ buf, (size_t)n };
}

/* The responder's key for ocspkit, from the octets of its parts. */
static ocspkit_privkey *export_key(const char *name, EVP_PKEY *k)
{
	static uint8_t bufs[5][1024];
	ocspkit_privkey *out = NULL;
	ocspkit_err e;
	if (strcmp(name, "rsa") == 0) {
		ocspkit_rsa_private_parts parts;
		memset(&parts, 0, sizeof(parts));
		parts.n = bn_octets(bufs[0], k, OSSL_PKEY_PARAM_RSA_N);
		parts.e = bn_octets(bufs[1], k, OSSL_PKEY_PARAM_RSA_E);
		parts.d = bn_octets(bufs[2], k, OSSL_PKEY_PARAM_RSA_D);
		parts.p = bn_octets(bufs[3], k, OSSL_PKEY_PARAM_RSA_FACTOR1);
		parts.q = bn_octets(bufs[4], k, OSSL_PKEY_PARAM_RSA_FACTOR2);
		e = ocspkit_privkey_from_rsa(&out, &parts, 0);
	} else if (strcmp(name, "p256") == 0) {
		ocspkit_bytes scalar = bn_octets(bufs[0], k, OSSL_PKEY_PARAM_PRIV_KEY);
		e = ocspkit_privkey_from_ec(&out, OCSPKIT_KEY_EC_P256, scalar.data, scalar.len);
	} else {
		unsigned char raw[64];
		size_t len = sizeof(raw);
		if (!EVP_PKEY_get_raw_private_key(k, raw, &len))
			DIE("raw key");
		e = ocspkit_privkey_from_eddsa(&out, OCSPKIT_KEY_ED25519, raw, len);
	}
	if (e)
		DIE("key for ocspkit: %s", ocspkit_strerror_name(e));
	return out;
}

static gnutls_x509_crt_t gnutls_cert(X509 *x)
{
	gnutls_x509_crt_t c;
	int len;
	unsigned char *der = to_der(x, &len);
	gnutls_datum_t d = { der, (unsigned)len };
	if (gnutls_x509_crt_init(&c) || gnutls_x509_crt_import(c, &d, GNUTLS_X509_FMT_DER))
		DIE("gnutls import");
	OPENSSL_free(der);
	return c;
}

static ocspkit_cert *ocspkit_cert_of(X509 *x)
{
	ocspkit_cert *c;
	int len;
	unsigned char *der = to_der(x, &len);
	if (ocspkit_cert_decode(&c, der, (size_t)len, 0, NULL))
		DIE("ocspkit_cert_decode");
	OPENSSL_free(der);
	return c;
}

static void setup(alg_t *a)
{
	a->md = strcmp(a->name, "ed25519") == 0 ? NULL : EVP_sha256();
	a->ca_key = keygen(a->name);
	a->resp_key = keygen(a->name);
	EVP_PKEY *leaf_key = keygen("p256");
	a->ca = make_cert("Bench CA", 1, a->ca_key, NULL, a->ca_key, a->md, "ca");
	a->resp = make_cert("Bench OCSP Responder", 2, a->resp_key, a->ca, a->ca_key, a->md, "responder");
	a->leaf = make_cert("leaf.example", 0x1001, leaf_key, a->ca, a->ca_key, a->md, "leaf");
	EVP_PKEY_free(leaf_key);

	a->store = X509_STORE_new();
	X509_STORE_add_cert(a->store, a->ca);
	a->id = OCSP_cert_to_id(EVP_sha1(), a->leaf, a->ca);

	/* the response, by OpenSSL */
	OCSP_BASICRESP *bs = OCSP_BASICRESP_new();
	ASN1_TIME *thisupd = X509_gmtime_adj(NULL, -60), *nextupd = X509_gmtime_adj(NULL, 86400);
	OCSP_basic_add1_status(bs, a->id, V_OCSP_CERTSTATUS_GOOD, 0, NULL, thisupd, nextupd);
	if (!OCSP_basic_sign(bs, a->resp, a->resp_key, a->md, NULL, 0))
		DIE("OCSP_basic_sign");
	OCSP_RESPONSE *r = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
	a->der = NULL;
	a->der_len = i2d_OCSP_RESPONSE(r, &a->der);
	OCSP_RESPONSE_free(r);
	OCSP_BASICRESP_free(bs);
	ASN1_TIME_free(thisupd);
	ASN1_TIME_free(nextupd);

	a->g_ca = gnutls_cert(a->ca);
	a->g_leaf = gnutls_cert(a->leaf);
	a->k_ca = ocspkit_cert_of(a->ca);
	a->k_leaf = ocspkit_cert_of(a->leaf);
	a->k_resp = ocspkit_cert_of(a->resp);
	a->k_resp_key = export_key(a->name, a->resp_key);
	if (ocspkit_signer_from_privkey(&a->k_signer, a->k_resp_key, NULL))
		DIE("signer");
	a->resp_der = to_der(a->resp, &a->resp_der_len);
	if (ocspkit_responder_cache_new(&a->cache, 16))
		DIE("cache");
	if (ocspkit_cert_id_for_cert(&a->idv, OCSPKIT_HASH_SHA1, a->k_ca, a->k_leaf))
		DIE("CertID");
}

static void teardown(alg_t *a)
{
	OPENSSL_free(a->der);
	OPENSSL_free(a->resp_der);
	OCSP_CERTID_free(a->id);
	X509_STORE_free(a->store);
	X509_free(a->ca);
	X509_free(a->resp);
	X509_free(a->leaf);
	EVP_PKEY_free(a->ca_key);
	EVP_PKEY_free(a->resp_key);
	gnutls_x509_crt_deinit(a->g_ca);
	gnutls_x509_crt_deinit(a->g_leaf);
	ocspkit_cert_free(a->k_ca);
	ocspkit_cert_free(a->k_leaf);
	ocspkit_cert_free(a->k_resp);
	ocspkit_signer_free(a->k_signer);
	ocspkit_privkey_free(a->k_resp_key);
	ocspkit_responder_cache_free(a->cache);
}

/* ---------------------------------------------------------------- the cases */

static int verify_ocspkit(alg_t *a, int cached)
{
	ocspkit_response *r;
	ocspkit_validate_params p;
	ocspkit_validate_target t = { NULL, a->k_leaf, { NULL, 0 } };
	ocspkit_validate_result res;
	int ok;

	if (ocspkit_response_decode(&r, a->der, (size_t)a->der_len, 0, NULL))
		return 0;
	memset(&p, 0, sizeof(p));
	p.issuer = a->k_ca;
	p.targets = &t;
	p.target_count = 1;
	p.now = (int64_t)time(NULL);
	p.skew = 300;
	p.cache = cached ? a->cache : NULL;
	ok = ocspkit_response_validate(&res, r, &p) == OCSPKIT_OK && res.targets[0].single->status == OCSPKIT_CERT_GOOD &&
	     res.signer == OCSPKIT_SIGNER_DELEGATED;
	ocspkit_validate_result_clear(&res);
	ocspkit_response_free(r);
	return ok;
}

static int verify_openssl(alg_t *a)
{
	const unsigned char *p = a->der;
	OCSP_RESPONSE *r = d2i_OCSP_RESPONSE(NULL, &p, a->der_len);
	OCSP_BASICRESP *bs = r ? OCSP_response_get1_basic(r) : NULL;
	int status, reason, ok = 0;
	ASN1_GENERALIZEDTIME *rev, *thisupd, *nextupd;
	if (bs && OCSP_basic_verify(bs, NULL, a->store, 0) > 0 &&
	    OCSP_resp_find_status(bs, a->id, &status, &reason, &rev, &thisupd, &nextupd) &&
	    OCSP_check_validity(thisupd, nextupd, 300, -1))
		ok = status == V_OCSP_CERTSTATUS_GOOD;
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(r);
	return ok;
}

static int verify_gnutls(alg_t *a)
{
	gnutls_ocsp_resp_t r;
	gnutls_datum_t d = { a->der, (unsigned)a->der_len };
	unsigned verify = 1, status;
	time_t this_update, next_update, now = time(NULL);
	int ok = 0;
	if (gnutls_ocsp_resp_init(&r))
		return 0;
	if (gnutls_ocsp_resp_import(r, &d) == 0 && gnutls_ocsp_resp_verify_direct(r, a->g_ca, &verify, 0) == 0 &&
	    verify == 0 && gnutls_ocsp_resp_check_crt(r, 0, a->g_leaf) == 0 &&
	    gnutls_ocsp_resp_get_single(r, 0, NULL, NULL, NULL, NULL, &status, &this_update, &next_update, NULL,
					NULL) == 0)
		ok = status == GNUTLS_OCSP_CERT_GOOD && this_update <= now + 300 && next_update >= now - 300;
	gnutls_ocsp_resp_deinit(r);
	return ok;
}

static int sign_ocspkit(alg_t *a)
{
	ocspkit_single_response s;
	ocspkit_response_tbs d;
	ocspkit_bytes cert = { a->resp_der, (size_t)a->resp_der_len };
	int64_t now = time(NULL);
	uint8_t *der;
	size_t len;

	memset(&s, 0, sizeof(s));
	memset(&d, 0, sizeof(d));
	s.cert_id = ocspkit_cert_id_value_view(&a->idv);
	s.status = OCSPKIT_CERT_GOOD;
	s.this_update = now;
	s.has_next_update = 1;
	s.next_update = now + 86400;
	/* byName, as OCSP_basic_sign does by default */
	d.responder_id.type = OCSPKIT_RESPONDER_BY_NAME;
	d.responder_id.value = ocspkit_cert_get_subject(a->k_resp);
	d.produced_at = now;
	d.responses = &s;
	d.response_count = 1;
	if (ocspkit_response_sign(&der, &len, &d, a->k_signer, &cert, 1))
		return 0;
	ocspkit_free(der);
	return 1;
}

static int sign_openssl(alg_t *a)
{
	OCSP_BASICRESP *bs = OCSP_BASICRESP_new();
	ASN1_TIME *thisupd = X509_gmtime_adj(NULL, 0), *nextupd = X509_gmtime_adj(NULL, 86400);
	unsigned char *der = NULL;
	int ok = 0;
	if (OCSP_basic_add1_status(bs, a->id, V_OCSP_CERTSTATUS_GOOD, 0, NULL, thisupd, nextupd) &&
	    OCSP_basic_sign(bs, a->resp, a->resp_key, a->md, NULL, 0)) {
		OCSP_RESPONSE *r = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
		ok = r && i2d_OCSP_RESPONSE(r, &der) > 0;
		OCSP_RESPONSE_free(r);
	}
	OPENSSL_free(der);
	ASN1_TIME_free(thisupd);
	ASN1_TIME_free(nextupd);
	OCSP_BASICRESP_free(bs);
	return ok;
}

enum { C_OCSPKIT, C_CACHE, C_OPENSSL, C_GNUTLS, C_SIGN, C_OSIGN, C__N };
static const char *case_names[C__N] = { "ocspkit", "cache", "openssl", "gnutls", "sign", "osign" };

static int run_case(alg_t *a, int c)
{
	switch (c) {
	case C_OCSPKIT: return verify_ocspkit(a, 0);
	case C_CACHE: return verify_ocspkit(a, 1);
	case C_OPENSSL: return verify_openssl(a);
	case C_GNUTLS: return verify_gnutls(a);
	case C_SIGN: return sign_ocspkit(a);
	default: return sign_openssl(a);
	}
}

/* callgrind --toggle-collect=measured_loop counts what happens in here */
__attribute__((noinline)) int measured_loop(alg_t *a, int c, long n);
__attribute__((noinline)) int measured_loop(alg_t *a, int c, long n)
{
	int ok = 1;
	for (long i = 0; i < n; i++)
		ok &= run_case(a, c);
	return ok;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Microseconds per call: the best of reps runs of at least secs each. */
static double time_case(alg_t *a, int c, double secs, int reps)
{
	double best = 1e30;
	if (!measured_loop(a, c, 3))
		DIE("%s %s does not verify", a->label, case_names[c]);
	for (int r = 0; r < reps; r++) {
		long n = 0, batch = 1;
		double t0 = now_s(), t;
		do {
			if (!measured_loop(a, c, batch))
				DIE("%s %s failed", a->label, case_names[c]);
			n += batch;
			if (batch < 64)
				batch *= 2;
			t = now_s() - t0;
		} while (t < secs);
		if (t / (double)n < best)
			best = t / (double)n;
	}
	return best * 1e6;
}

int main(int argc, char **argv)
{
	double secs = 0.4;
	int reps = 5, opt;
	const char *profile = NULL;
	long profile_n = 100;

	while ((opt = getopt(argc, argv, "t:r:p:n:")) != -1) {
		switch (opt) {
		case 't': secs = atof(optarg); break;
		case 'r': reps = atoi(optarg); break;
		case 'p': profile = optarg; break;
		case 'n': profile_n = atol(optarg); break;
		default:
			fprintf(stderr, "usage: bench_verify [-t SECONDS] [-r REPS] | -p CASE -n N\n");
			return 2;
		}
	}
	if (profile) {
		char name[32];
		const char *dash = strchr(profile, '-');
		if (!dash || (size_t)(dash - profile) >= sizeof(name))
			DIE("case: ALG-WHAT");
		memcpy(name, profile, (size_t)(dash - profile));
		name[dash - profile] = '\0';
		for (int i = 0; i < 3; i++) {
			if (strcmp(algs[i].name, name) != 0)
				continue;
			for (int c = 0; c < C__N; c++) {
				if (strcmp(case_names[c], dash + 1) != 0)
					continue;
				setup(&algs[i]);
				if (!run_case(&algs[i], c)) /* warm-up: the cache is filled here */
					DIE("%s does not verify", profile);
				int ok = measured_loop(&algs[i], c, profile_n);
				teardown(&algs[i]);
				return ok ? 0 : 1;
			}
		}
		DIE("unknown case %s", profile);
	}

	double t[3][C__N];
	for (int i = 0; i < 3; i++) {
		setup(&algs[i]);
		for (int c = 0; c < C__N; c++)
			t[i][c] = time_case(&algs[i], c, secs, reps);
		teardown(&algs[i]);
	}
	printf("Verification of a response signed by a delegated responder (decode, signature,\n"
	       "responder authorization, status lookup, times): microseconds per response, best of\n"
	       "%d runs of %.1f s; ratio = peer / ocspkit (higher is better for ocspkit)\n\n",
	       reps, secs);
	printf("%-9s %9s %9s %9s %9s   %-17s %-17s\n", "", "ocspkit", "+cache", "OpenSSL", "GnuTLS", "OpenSSL/ocspkit",
	       "GnuTLS/ocspkit");
	for (int i = 0; i < 3; i++)
		printf("%-9s %9.1f %9.1f %9.1f %9.1f   %5.1fx / %5.1fx   %5.1fx / %5.1fx\n", algs[i].label,
		       t[i][C_OCSPKIT], t[i][C_CACHE], t[i][C_OPENSSL], t[i][C_GNUTLS], t[i][C_OPENSSL] / t[i][C_OCSPKIT],
		       t[i][C_OPENSSL] / t[i][C_CACHE], t[i][C_GNUTLS] / t[i][C_OCSPKIT], t[i][C_GNUTLS] / t[i][C_CACHE]);
	printf("%-9s %9s %9s %9s %9s   %-17s %-17s\n", "", "", "", "", "", "(plain / cache)", "(plain / cache)");
	printf("\nSigning a response (one status, the responder's certificate included, to DER):\n"
	       "microseconds per response\n\n");
	printf("%-9s %9s %9s   %s\n", "", "ocspkit", "OpenSSL", "OpenSSL/ocspkit");
	for (int i = 0; i < 3; i++)
		printf("%-9s %9.1f %9.1f   %5.2fx\n", algs[i].label, t[i][C_SIGN], t[i][C_OSIGN],
		       t[i][C_OSIGN] / t[i][C_SIGN]);
	return 0;
}
