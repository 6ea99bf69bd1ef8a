/* Differential: the same bytes decoded by ocspkit, OpenSSL
 * (d2i_OCSP_RESPONSE + OCSP_response_get1_basic, d2i_OCSP_REQUEST,
 * d2i_X509_CRL) and GnuTLS (gnutls_ocsp_resp_import, which takes the outer
 * OCSPResponse only, gnutls_ocsp_req_import, gnutls_x509_crl_import), each
 * input as a response, as a request and as a CRL.
 *
 * When ocspkit accepts and a peer accepts too, every field both read must
 * agree, or the harness aborts: response status, responder ID, producedAt,
 * the number of SingleResponses and, for each, the CertID (hash OID, name
 * hash, key hash, serial), certificate status, revocation time and reason,
 * thisUpdate and nextUpdate; extension counts; the nonce; the signature
 * algorithm and value; the number of certificates.  For requests: the
 * CertIDs, the nonce, whether it is signed.  For CRLs: the version, the
 * issuer, thisUpdate and nextUpdate, the entries (serial, revocation date,
 * number of extensions, reason), the CRL extensions and CRL number, the
 * signature algorithm and value.
 *
 * Disagreements on acceptance are not findings by themselves: they are the
 * subject of fuzz/DIFFERENCES.md.  Neither are the few differences in what
 * both read that DIFFERENCES.md classifies (class F): each is tolerated
 * exactly where it arises, counted, and the counts are printed at exit;
 * any other difference in a field aborts.  To classify them, set
 *   OCSPKIT_DIFF_LOG=FILE   one line per input on which the libraries disagree:
 *                           kind, ocspkit's verdict, OpenSSL's, GnuTLS's, size
 *   OCSPKIT_DIFF_SAVE=DIR   keeps the smallest input of each class there,
 *                           named after the class
 * (fuzz/run-fuzzers.sh --classify does both over the corpus).
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>
#include <gnutls/x509.h>
#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "civil.h"
#include "der.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

/* ------------------------------------------------------------ logging */

/* One line of OCSPKIT_DIFF_LOG, and the input kept as the smallest example
 * of its class in OCSPKIT_DIFF_SAVE. */
static void note(const char *cls, const char *kind, const char *ours, const char *ossl, const char *gtls,
		 const char *why, const uint8_t *data, size_t size)
{
	const char *log = getenv("OCSPKIT_DIFF_LOG"), *save = getenv("OCSPKIT_DIFF_SAVE");
	if (log && *log) {
		FILE *f = fopen(log, "a");
		if (f) {
			fprintf(f, "%s\t%s\t%s\t%s\t%s\t%zu\t%s\t%s\n", cls, kind, ours, ossl, gtls, size, why,
				fuzz_input_name ? fuzz_input_name : "-");
			fclose(f);
		}
	}
	if (save && *save) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", save, cls);
		if (stat(path, &st) != 0 || (size_t)st.st_size > size) {
			FILE *f = fopen(path, "wb");
			if (f) {
				fwrite(data, 1, size, f);
				fclose(f);
			}
		}
	}
}

static void note_disagreement(const char *kind, ocspkit_err ours, size_t off, const char *ossl, const char *gtls,
			      const char *why, const uint8_t *data, size_t size)
{
	char cls[256], verdict[128];
	snprintf(cls, sizeof(cls), "%s.%s.openssl-%s.gnutls-%s", kind,
		 ours == OCSPKIT_OK ? "accept" : ocspkit_strerror_name(ours) + strlen("OCSPKIT_E_"), ossl, gtls);
	snprintf(verdict, sizeof(verdict), "%s@%zu", ours == OCSPKIT_OK ? "accept" : ocspkit_strerror_name(ours), off);
	note(cls, kind, verdict, ossl, gtls, why, data, size);
}

/* ------------------------------------------------------------ known differences */

/* The classes F of DIFFERENCES.md: both libraries accept the message and
 * read a field differently, for a reason that is documented there. */
enum { KNOWN_F01, KNOWN_F02, KNOWN_F03, KNOWN__N };
static const char *const known_names[KNOWN__N] = {
	"F01 (GnuTLS: a time before 1970)",
	"F02 (GnuTLS: a time with fractional seconds)",
	"F03 (GnuTLS: an empty signature)",
};
static unsigned long known_count[KNOWN__N];

static void print_known(void)
{
	unsigned long total = 0;
	for (int k = 0; k < KNOWN__N; k++)
		total += known_count[k];
	if (total == 0)
		return;
	fprintf(stderr, "differential: known differences tolerated:");
	for (int k = 0; k < KNOWN__N; k++)
		if (known_count[k])
			fprintf(stderr, " %s %lu;", known_names[k], known_count[k]);
	fputc('\n', stderr);
}

/* The input being compared, and as what (for the log). */
static const uint8_t *cur_data;
static size_t cur_size;
static const char *cur_kind = "response";

/* Counts a known difference, logs it as class response.known-FNN, and
 * returns 1, for "AGREE(equal || known(...))".  Runs of replay.c with a
 * failing allocation repeat an input: they are not counted again. */
static int known(int k)
{
	if (fuzz_alloc_failing)
		return 1;
	known_count[k]++;
	char cls[64];
	snprintf(cls, sizeof(cls), "%s.known-%.3s", cur_kind, known_names[k]);
	note(cls, cur_kind, "accept", "accept", "accept", known_names[k], cur_data, cur_size);
	return 1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CRYPTO_STRINGS, NULL);
	if (gnutls_global_init() < 0)
		abort();
	atexit(print_known);
	return 0;
}

/* ------------------------------------------------------------ helpers */

#define AGREE(cond, ...) ORACLE(cond, "ocspkit and a peer disagree: " __VA_ARGS__)

static int eq(ocspkit_bytes a, const void *b, size_t blen)
{
	return a.len == blen && (blen == 0 || memcmp(a.data, b, blen) == 0);
}

/* Seconds since the epoch of an OpenSSL time, or 0 with *ok = 0. */
static int64_t ossl_time(const ASN1_TIME *t, int *ok)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	*ok = t && ASN1_TIME_to_tm(t, &tm) == 1;
	if (!*ok)
		return 0;
	return okit_time_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* An INTEGER's content octets as OpenSSL encodes it (minimal DER). */
static int ossl_integer(const ASN1_INTEGER *i, uint8_t *buf, size_t cap, size_t *len)
{
	unsigned char *der = NULL;
	int n = i2d_ASN1_INTEGER(i, &der);
	okit_dctx c = okit_ctx(der, 0);
	okit_tlv t;
	int ok = n > 0 && okit_der_only(&c, der, (size_t)n, &t) == OCSPKIT_OK && t.val_len <= cap;
	if (ok) {
		memcpy(buf, t.val, t.val_len);
		*len = t.val_len;
	}
	OPENSSL_free(der);
	return ok;
}

static int ossl_oid_eq(const ASN1_OBJECT *o, ocspkit_bytes oid)
{
	size_t n = OBJ_length(o);
	const unsigned char *d = OBJ_get0_data(o);
	return d && eq(oid, d, n);
}

static void ossl_cert_id(OCSP_CERTID *cid, const ocspkit_cert_id *id, size_t i)
{
	ASN1_OCTET_STRING *nh = NULL, *kh = NULL;
	ASN1_OBJECT *md = NULL;
	ASN1_INTEGER *serial = NULL;
	uint8_t s[256];
	size_t slen = 0;
	AGREE(OCSP_id_get0_info(&nh, &md, &kh, &serial, cid) == 1, "OpenSSL has no CertID %zu", i);
	AGREE(ossl_oid_eq(md, id->hash_algorithm.oid), "hash algorithm of CertID %zu (OpenSSL)", i);
	AGREE(eq(id->issuer_name_hash, ASN1_STRING_get0_data(nh), (size_t)ASN1_STRING_length(nh)),
	      "issuerNameHash of CertID %zu (OpenSSL)", i);
	AGREE(eq(id->issuer_key_hash, ASN1_STRING_get0_data(kh), (size_t)ASN1_STRING_length(kh)),
	      "issuerKeyHash of CertID %zu (OpenSSL)", i);
	AGREE(ossl_integer(serial, s, sizeof(s), &slen) && eq(id->serial, s, slen), "serial of CertID %zu (OpenSSL)", i);
}

static void gtls_free(gnutls_datum_t *d)
{
	gnutls_free(d->data);
	d->data = NULL;
	d->size = 0;
}

static int gtls_eq(ocspkit_bytes a, const gnutls_datum_t *d)
{
	return eq(a, d->data, d->size);
}

/* GnuTLS converts GeneralizedTime itself: it cannot represent years
 * before 1970 and answers 0 or -1 for them (F01), and refuses fractional
 * seconds, answering -1 (F02). */
static int gtls_time_eq(time_t g, int64_t ours, ocspkit_bytes frac)
{
	if ((int64_t)g == ours)
		return 1;
	if (frac.len && g == (time_t)-1)
		return known(KNOWN_F02);
	if (ours < 0 && (g == 0 || g == (time_t)-1))
		return known(KNOWN_F01);
	return 0;
}

/* OpenSSL's verdicts: "accept", "reject", "basic-reject" (the outer
 * OCSPResponse parses, the BasicOCSPResponse inside does not) and
 * "trailing" (d2i parses a prefix and leaves octets over, which callers
 * rarely check: a difference whatever ocspkit says). */
static int same_verdict(int ours, const char *ossl)
{
	if (strcmp(ossl, "trailing") == 0)
		return 0;
	return ours == (strcmp(ossl, "accept") == 0);
}

static const char *gnutls_append(char *why, size_t cap, int gret)
{
	size_t n = strlen(why);
	snprintf(why + n, cap - n, "; gnutls: %s", gret ? gnutls_strerror_name(gret) : "-");
	return why;
}

/* ------------------------------------------------------------ responses */

static void ossl_response(const ocspkit_response *r, OCSP_RESPONSE *o, OCSP_BASICRESP *bs)
{
	ocspkit_response_tbs d;
	ocspkit_signature_block sig;
	int ok;

	AGREE(OCSP_response_status(o) == (int)ocspkit_response_get_status(r), "status %d vs %d",
	      OCSP_response_status(o), (int)ocspkit_response_get_status(r));
	if (!bs)
		return;
	ok = ocspkit_response_get_tbs(&d, r) == OCSPKIT_OK && ocspkit_response_get_signature(&sig, r) == OCSPKIT_OK;
	AGREE(ok, "a BasicOCSPResponse (OpenSSL)");
	if (!ok)
		return;

	const ASN1_OCTET_STRING *key = NULL;
	const X509_NAME *name = NULL;
	AGREE(OCSP_resp_get0_id(bs, &key, &name) == 1, "OpenSSL has no responder ID");
	if (d.responder_id.type == OCSPKIT_RESPONDER_BY_KEY) {
		AGREE(key && eq(d.responder_id.value, ASN1_STRING_get0_data(key), (size_t)ASN1_STRING_length(key)),
		      "byKey responder ID (OpenSSL)");
	} else {
		const unsigned char *nd = NULL;
		size_t nl = 0;
		AGREE(name && X509_NAME_get0_der((X509_NAME *)name, &nd, &nl) == 1 && eq(d.responder_id.value, nd, nl),
		      "byName responder ID (OpenSSL)");
	}
	int64_t t = ossl_time(OCSP_resp_get0_produced_at(bs), &ok);
	AGREE(ok && t == d.produced_at, "producedAt (OpenSSL)");

	AGREE(OCSP_resp_count(bs) == (int)d.response_count, "%d SingleResponses (OpenSSL), %zu", OCSP_resp_count(bs),
	      d.response_count);
	for (size_t i = 0; i < d.response_count && (int)i < OCSP_resp_count(bs); i++) {
		const ocspkit_single_response *s = &d.responses[i];
		OCSP_SINGLERESP *os = OCSP_resp_get0(bs, (int)i);
		int reason = -2;
		ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
		ossl_cert_id((OCSP_CERTID *)OCSP_SINGLERESP_get0_id(os), &s->cert_id, i);
		int st = OCSP_single_get0_status(os, &reason, &rev, &thisupd, &nextupd);
		AGREE(st == (int)s->status, "status of SingleResponse %zu: %d (OpenSSL), %d", i, st, (int)s->status);
		if (s->status == OCSPKIT_CERT_REVOKED) {
			t = ossl_time(rev, &ok);
			AGREE(ok && t == s->revocation_time, "revocationTime of SingleResponse %zu (OpenSSL)", i);
			AGREE(reason == (s->has_revocation_reason ? (int)s->revocation_reason : -1),
			      "revocationReason of SingleResponse %zu: %d (OpenSSL)", i, reason);
		}
		t = ossl_time(thisupd, &ok);
		AGREE(ok && t == s->this_update, "thisUpdate of SingleResponse %zu (OpenSSL)", i);
		AGREE((nextupd != NULL) == (s->has_next_update != 0), "nextUpdate presence %zu (OpenSSL)", i);
		if (nextupd) {
			t = ossl_time(nextupd, &ok);
			AGREE(ok && t == s->next_update, "nextUpdate of SingleResponse %zu (OpenSSL)", i);
		}
		AGREE(OCSP_SINGLERESP_get_ext_count(os) == (int)s->extension_count, "singleExtensions %zu (OpenSSL)", i);
	}
	AGREE(OCSP_BASICRESP_get_ext_count(bs) == (int)d.extension_count, "responseExtensions (OpenSSL)");
	const ocspkit_extension *ne;
	if (ocspkit_extensions_find(&ne, d.extensions, d.extension_count, OCSPKIT_EXT_NONCE) != OCSPKIT_OK)
		ne = NULL;
	int idx = OCSP_BASICRESP_get_ext_by_NID(bs, NID_id_pkix_OCSP_Nonce, -1);
	AGREE((idx >= 0) == (ne != NULL), "nonce presence (OpenSSL)");
	if (idx >= 0 && ne) {
		ASN1_OCTET_STRING *v = X509_EXTENSION_get_data(OCSP_BASICRESP_get_ext(bs, idx));
		AGREE(eq(ne->value, ASN1_STRING_get0_data(v), (size_t)ASN1_STRING_length(v)), "nonce (OpenSSL)");
	}
	const X509_ALGOR *alg = OCSP_resp_get0_tbs_sigalg(bs);
	const ASN1_OBJECT *aobj = NULL;
	X509_ALGOR_get0(&aobj, NULL, NULL, alg);
	AGREE(ossl_oid_eq(aobj, sig.algorithm.oid), "signature algorithm (OpenSSL)");
	const ASN1_OCTET_STRING *sv = OCSP_resp_get0_signature(bs);
	AGREE(eq(sig.signature, ASN1_STRING_get0_data(sv), (size_t)ASN1_STRING_length(sv)), "signature (OpenSSL)");
	const STACK_OF(X509) *certs = OCSP_resp_get0_certs(bs);
	AGREE((size_t)sk_X509_num(certs) == sig.cert_count || (!certs && sig.cert_count == 0),
	      "%d certificates (OpenSSL), %zu", sk_X509_num(certs), sig.cert_count);
}

static void gtls_response(const ocspkit_response *r, gnutls_ocsp_resp_t g)
{
	ocspkit_response_tbs d;
	ocspkit_signature_block sig;
	ocspkit_bytes nonce;
	gnutls_datum_t a = { NULL, 0 }, b = { NULL, 0 }, c = { NULL, 0 };
	int ret;

	AGREE(gnutls_ocsp_resp_get_status(g) == (int)ocspkit_response_get_status(r), "status (GnuTLS)");
	if (ocspkit_response_get_tbs(&d, r) != OCSPKIT_OK || ocspkit_response_get_signature(&sig, r) != OCSPKIT_OK)
		return; /* not successful */
	AGREE(gnutls_ocsp_resp_get_version(g) == 1, "version (GnuTLS)");
	if (d.responder_id.type == OCSPKIT_RESPONDER_BY_KEY) {
		ret = gnutls_ocsp_resp_get_responder_raw_id(g, GNUTLS_OCSP_RESP_ID_KEY, &a);
		AGREE(ret == 0 && gtls_eq(d.responder_id.value, &a), "byKey responder ID (GnuTLS)");
	} else {
		ret = gnutls_ocsp_resp_get_responder_raw_id(g, GNUTLS_OCSP_RESP_ID_DN, &a);
		AGREE(ret == 0 && gtls_eq(d.responder_id.value, &a), "byName responder ID (GnuTLS)");
	}
	gtls_free(&a);
	time_t pt = gnutls_ocsp_resp_get_produced(g);
	AGREE(gtls_time_eq(pt, d.produced_at, d.produced_at_fraction), "producedAt (GnuTLS): %lld, %lld",
	      (long long)pt, (long long)d.produced_at);

	size_t i;
	for (i = 0; i < d.response_count; i++) {
		const ocspkit_single_response *s = &d.responses[i];
		unsigned st = 99, reason = 99;
		time_t tu = 0, nu = 0, rt = 0;
		/* no digest: GnuTLS refuses CertIDs whose hash it does not know */
		ret = gnutls_ocsp_resp_get_single(g, (unsigned)i, NULL, &a, &b, &c, &st, &tu, &nu, &rt, &reason);
		AGREE(ret == 0, "GnuTLS cannot read SingleResponse %zu: %s", i, gnutls_strerror_name(ret));
		if (ret == 0) {
			AGREE(gtls_eq(s->cert_id.issuer_name_hash, &a) && gtls_eq(s->cert_id.issuer_key_hash, &b),
			      "CertID hashes of SingleResponse %zu (GnuTLS)", i);
			AGREE(gtls_eq(s->cert_id.serial, &c), "serial of SingleResponse %zu (GnuTLS)", i);
			AGREE(st == (unsigned)s->status, "status of SingleResponse %zu (GnuTLS)", i);
			AGREE(gtls_time_eq(tu, s->this_update, s->this_update_fraction),
			      "thisUpdate of SingleResponse %zu (GnuTLS): %lld, %lld", i, (long long)tu,
			      (long long)s->this_update);
			if (s->has_next_update)
				AGREE(gtls_time_eq(nu, s->next_update, s->next_update_fraction),
				      "nextUpdate of SingleResponse %zu (GnuTLS): %lld, %lld", i, (long long)nu,
				      (long long)s->next_update);
			else
				AGREE(nu == (time_t)-1, "nextUpdate of SingleResponse %zu (GnuTLS)", i);
			if (s->status == OCSPKIT_CERT_REVOKED) {
				AGREE(gtls_time_eq(rt, s->revocation_time, s->revocation_time_fraction),
				      "revocationTime of SingleResponse %zu (GnuTLS): %lld, %lld", i, (long long)rt,
				      (long long)s->revocation_time);
				/* GnuTLS reads an absent reason as unspecified (0) */
				AGREE(reason == (s->has_revocation_reason ? (unsigned)s->revocation_reason : 0u),
				      "revocationReason of SingleResponse %zu (GnuTLS): %u", i, reason);
			}
		}
		gtls_free(&a);
		gtls_free(&b);
		gtls_free(&c);
	}
	unsigned st_end;
	ret = gnutls_ocsp_resp_get_single(g, (unsigned)i, NULL, NULL, NULL, NULL, &st_end, NULL, NULL, NULL, NULL);
	AGREE(ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE, "GnuTLS has more than %zu SingleResponses", i);

	unsigned crit = 0;
	ret = gnutls_ocsp_resp_get_nonce(g, &crit, &a);
	if (ocspkit_response_get_nonce(&nonce, r) == OCSPKIT_OK)
		AGREE(ret == 0 && gtls_eq(nonce, &a), "nonce (GnuTLS): %s", gnutls_strerror_name(ret));
	else
		AGREE(ret < 0, "GnuTLS finds a nonce");
	gtls_free(&a);
	ret = gnutls_ocsp_resp_get_signature(g, &a);
	/* GnuTLS reads the BIT STRING's value through libtasn1, which refuses
	 * one without octets (F03); ocspkit reads an empty signature, which no
	 * key verifies */
	AGREE((ret == 0 && gtls_eq(sig.signature, &a)) ||
		      (sig.signature.len == 0 && ret == GNUTLS_E_ASN1_DER_ERROR && known(KNOWN_F03)),
	      "signature (GnuTLS): %s", gnutls_strerror_name(ret));
	gtls_free(&a);
	for (i = 0;; i++) {
		ret = gnutls_ocsp_resp_get_extension(g, (unsigned)i, NULL, NULL, NULL);
		if (ret < 0)
			break;
	}
	AGREE(i == d.extension_count, "%zu responseExtensions (GnuTLS), %zu", i, d.extension_count);
}

/* OpenSSL's verdict on a d2i_ call that read data[0..size) up to end:
 * "reject", "trailing" or "accept". */
static const char *openssl_verdict(int decoded, const unsigned char *end, const uint8_t *data, size_t size)
{
	return !decoded ? "reject" : end != data + size ? "trailing" : "accept";
}

/* Why OpenSSL refused (its last error), into why; clears its errors. */
static void openssl_why(char *why, size_t cap)
{
	unsigned long oerr = ERR_peek_last_error();
	snprintf(why, cap, "openssl: %s", oerr ? (ERR_reason_error_string(oerr) ? ERR_reason_error_string(oerr) : "?") : "-");
	ERR_clear_error();
}

static void diff_response(const uint8_t *data, size_t size)
{
	ocspkit_response *r = NULL;
	size_t off = 0;
	ocspkit_err e = CALL(ocspkit_response_decode(&r, data, size, OCSPKIT_DECODE_STRICT, &off));
	if (e == OCSPKIT_E_NO_MEMORY)
		return;

	const unsigned char *p = data;
	OCSP_RESPONSE *o = d2i_OCSP_RESPONSE(NULL, &p, (long)size);
	OCSP_BASICRESP *bs = NULL;
	const char *ossl = "reject";
	if (o) {
		if (p != data + size)
			ossl = "trailing";
		else if (OCSP_response_status(o) == OCSP_RESPONSE_STATUS_SUCCESSFUL &&
			 !(bs = OCSP_response_get1_basic(o)))
			ossl = "basic-reject";
		else
			ossl = "accept";
	}
	char why[256];
	openssl_why(why, sizeof(why));

	gnutls_ocsp_resp_t g = NULL;
	gnutls_datum_t datum = { (unsigned char *)data, (unsigned)size };
	if (gnutls_ocsp_resp_init(&g) < 0)
		abort();
	int gret = gnutls_ocsp_resp_import(g, &datum);
	const char *gtls = gret == 0 ? "accept" : "reject";

	int ours = e == OCSPKIT_OK;
	if (!same_verdict(ours, ossl) || ours != (gret == 0))
		note_disagreement("response", e, off, ossl, gtls, gnutls_append(why, sizeof(why), gret), data, size);
	if (ours && strcmp(ossl, "accept") == 0)
		ossl_response(r, o, bs);
	if (ours && gret == 0)
		gtls_response(r, g);

	gnutls_ocsp_resp_deinit(g);
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(o);
	ocspkit_response_free(r);
}

/* ------------------------------------------------------------ requests */

static void ossl_request(const ocspkit_request *r, OCSP_REQUEST *o)
{
	ocspkit_request_tbs tbs;
	ocspkit_signature_block sig;
	ocspkit_request_get_tbs(&tbs, r);
	AGREE(OCSP_request_onereq_count(o) == (int)tbs.request_count, "%d requests (OpenSSL), %zu",
	      OCSP_request_onereq_count(o), tbs.request_count);
	for (size_t i = 0; i < tbs.request_count && (int)i < OCSP_request_onereq_count(o); i++) {
		OCSP_ONEREQ *one = OCSP_request_onereq_get0(o, (int)i);
		ossl_cert_id(OCSP_onereq_get0_id(one), &tbs.requests[i].cert_id, i);
		AGREE(OCSP_ONEREQ_get_ext_count(one) == (int)tbs.requests[i].extension_count,
		      "singleRequestExtensions %zu (OpenSSL)", i);
	}
	AGREE(OCSP_REQUEST_get_ext_count(o) == (int)tbs.extension_count, "requestExtensions (OpenSSL)");
	const ocspkit_extension *ne;
	if (ocspkit_extensions_find(&ne, tbs.extensions, tbs.extension_count, OCSPKIT_EXT_NONCE) != OCSPKIT_OK)
		ne = NULL;
	int idx = OCSP_REQUEST_get_ext_by_NID(o, NID_id_pkix_OCSP_Nonce, -1);
	AGREE((idx >= 0) == (ne != NULL), "nonce presence (OpenSSL)");
	if (idx >= 0 && ne) {
		ASN1_OCTET_STRING *v = X509_EXTENSION_get_data(OCSP_REQUEST_get_ext(o, idx));
		AGREE(eq(ne->value, ASN1_STRING_get0_data(v), (size_t)ASN1_STRING_length(v)), "nonce (OpenSSL)");
	}
	AGREE(OCSP_request_is_signed(o) == (ocspkit_request_get_signature(&sig, r) == OCSPKIT_OK), "signed (OpenSSL)");
}

static void gtls_request(const ocspkit_request *r, gnutls_ocsp_req_t g)
{
	ocspkit_request_tbs tbs;
	ocspkit_bytes nonce;
	gnutls_datum_t a = { NULL, 0 }, b = { NULL, 0 }, c = { NULL, 0 };
	int ret;
	ocspkit_request_get_tbs(&tbs, r);
	AGREE(gnutls_ocsp_req_get_version(g) == 1, "version (GnuTLS)");
	for (size_t i = 0; i < tbs.request_count; i++) {
		const ocspkit_cert_id *id = &tbs.requests[i].cert_id;
		ret = gnutls_ocsp_req_get_cert_id(g, (unsigned)i, NULL, &a, &b, &c);
		AGREE(ret == 0, "GnuTLS cannot read CertID %zu: %s", i, gnutls_strerror_name(ret));
		if (ret == 0) {
			AGREE(gtls_eq(id->issuer_name_hash, &a) && gtls_eq(id->issuer_key_hash, &b) &&
				      gtls_eq(id->serial, &c),
			      "CertID %zu (GnuTLS)", i);
			gtls_free(&a);
			gtls_free(&b);
			gtls_free(&c);
		}
	}
	unsigned crit = 0;
	ret = gnutls_ocsp_req_get_nonce(g, &crit, &a);
	if (ocspkit_request_get_nonce(&nonce, r) == OCSPKIT_OK)
		AGREE(ret == 0 && gtls_eq(nonce, &a), "nonce (GnuTLS): %s", gnutls_strerror_name(ret));
	else
		AGREE(ret < 0, "GnuTLS finds a nonce");
	gtls_free(&a);
}

static void diff_request(const uint8_t *data, size_t size)
{
	ocspkit_request *r = NULL;
	size_t off = 0;
	ocspkit_err e = CALL(ocspkit_request_decode(&r, data, size, OCSPKIT_DECODE_STRICT, &off));
	if (e == OCSPKIT_E_NO_MEMORY)
		return;

	const unsigned char *p = data;
	OCSP_REQUEST *o = d2i_OCSP_REQUEST(NULL, &p, (long)size);
	const char *ossl = openssl_verdict(o != NULL, p, data, size);
	char why[256];
	openssl_why(why, sizeof(why));

	gnutls_ocsp_req_t g = NULL;
	gnutls_datum_t datum = { (unsigned char *)data, (unsigned)size };
	if (gnutls_ocsp_req_init(&g) < 0)
		abort();
	int gret = gnutls_ocsp_req_import(g, &datum);
	const char *gtls = gret == 0 ? "accept" : "reject";

	int ours = e == OCSPKIT_OK;
	if (!same_verdict(ours, ossl) || ours != (gret == 0))
		note_disagreement("request", e, off, ossl, gtls, gnutls_append(why, sizeof(why), gret), data, size);
	if (ours && strcmp(ossl, "accept") == 0)
		ossl_request(r, o);
	if (ours && gret == 0)
		gtls_request(r, g);

	gnutls_ocsp_req_deinit(g);
	OCSP_REQUEST_free(o);
	ocspkit_request_free(r);
}

/* ------------------------------------------------------------ CRLs */

static void ossl_crl(const ocspkit_crl *c, X509_CRL *o)
{
	int ok;
	AGREE(X509_CRL_get_version(o) == ocspkit_crl_get_version(c), "version %ld (OpenSSL), %ld",
	      X509_CRL_get_version(o), ocspkit_crl_get_version(c));
	const unsigned char *nd = NULL;
	size_t nl = 0;
	ocspkit_bytes issuer = ocspkit_crl_get_issuer(c);
	AGREE(X509_NAME_get0_der(X509_CRL_get_issuer(o), &nd, &nl) == 1 && eq(issuer, nd, nl), "issuer (OpenSSL)");
	int64_t t = ossl_time(X509_CRL_get0_lastUpdate(o), &ok), nu;
	AGREE(ok && t == ocspkit_crl_get_this_update(c), "thisUpdate (OpenSSL)");
	int has_nu = ocspkit_crl_get_next_update(&nu, c) == OCSPKIT_OK;
	AGREE((X509_CRL_get0_nextUpdate(o) != NULL) == has_nu, "nextUpdate presence (OpenSSL)");
	if (has_nu && X509_CRL_get0_nextUpdate(o)) {
		t = ossl_time(X509_CRL_get0_nextUpdate(o), &ok);
		AGREE(ok && t == nu, "nextUpdate (OpenSSL)");
	}
	STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED(o);
	size_t n = ocspkit_crl_get_entry_count(c);
	AGREE((size_t)sk_X509_REVOKED_num(rev) == n || (!rev && n == 0), "%d entries (OpenSSL), %zu",
	      sk_X509_REVOKED_num(rev), n);
	for (size_t i = 0; i < n && (int)i < sk_X509_REVOKED_num(rev); i++) {
		X509_REVOKED *r = sk_X509_REVOKED_value(rev, (int)i);
		ocspkit_crl_entry e;
		uint8_t s[256];
		size_t sl = 0;
		if (CALL(ocspkit_crl_get_entry(&e, c, i)) != OCSPKIT_OK)
			return;
		AGREE(ossl_integer(X509_REVOKED_get0_serialNumber(r), s, sizeof(s), &sl) && eq(e.serial, s, sl),
		      "serial of entry %zu (OpenSSL)", i);
		t = ossl_time(X509_REVOKED_get0_revocationDate(r), &ok);
		AGREE(ok && t == e.revocation_date, "revocationDate of entry %zu (OpenSSL)", i);
		AGREE(X509_REVOKED_get_ext_count(r) == (int)e.extension_count, "extensions of entry %zu (OpenSSL)", i);
		int crit = 0;
		ASN1_ENUMERATED *reason = X509_REVOKED_get_ext_d2i(r, NID_crl_reason, &crit, NULL);
		if (e.has_reason)
			AGREE(reason && ASN1_ENUMERATED_get(reason) == (long)e.reason, "reason of entry %zu (OpenSSL)", i);
		else
			AGREE(!reason, "OpenSSL finds a reason in entry %zu", i);
		ASN1_ENUMERATED_free(reason);
	}
	AGREE(X509_CRL_get_ext_count(o) == (int)ocspkit_crl_get_extension_count(c), "CRL extensions (OpenSSL)");
	ocspkit_bytes number;
	int crit = 0;
	ASN1_INTEGER *num = X509_CRL_get_ext_d2i(o, NID_crl_number, &crit, NULL);
	if (ocspkit_crl_get_number(&number, c) == OCSPKIT_OK) {
		uint8_t s[64];
		size_t sl = 0;
		AGREE(num && ossl_integer(num, s, sizeof(s), &sl) && eq(number, s, sl), "CRL number (OpenSSL)");
	} else {
		AGREE(!num, "OpenSSL finds a CRL number");
	}
	ASN1_INTEGER_free(num);
	const ASN1_BIT_STRING *sig = NULL;
	const X509_ALGOR *alg = NULL;
	const ASN1_OBJECT *aobj = NULL;
	X509_CRL_get0_signature(o, &sig, &alg);
	X509_ALGOR_get0(&aobj, NULL, NULL, alg);
	AGREE(ossl_oid_eq(aobj, ocspkit_crl_get_signature_algorithm(c)->oid), "signature algorithm (OpenSSL)");
	AGREE(eq(ocspkit_crl_get_signature(c), ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig)),
	      "signature (OpenSSL)");
}

static void gtls_crl(const ocspkit_crl *c, gnutls_x509_crl_t g)
{
	gnutls_datum_t a = { NULL, 0 };
	int ret;
	AGREE(gnutls_x509_crl_get_version(g) == ocspkit_crl_get_version(c) + 1, "version %d (GnuTLS)",
	      gnutls_x509_crl_get_version(g));
	ret = gnutls_x509_crl_get_raw_issuer_dn(g, &a);
	AGREE(ret == 0 && gtls_eq(ocspkit_crl_get_issuer(c), &a), "issuer (GnuTLS)");
	gtls_free(&a);
	time_t tu = gnutls_x509_crl_get_this_update(g), nu = gnutls_x509_crl_get_next_update(g);
	int64_t ours_nu;
	AGREE(gtls_time_eq(tu, ocspkit_crl_get_this_update(c), (ocspkit_bytes){ NULL, 0 }), "thisUpdate (GnuTLS): %lld",
	      (long long)tu);
	if (ocspkit_crl_get_next_update(&ours_nu, c) == OCSPKIT_OK)
		AGREE(gtls_time_eq(nu, ours_nu, (ocspkit_bytes){ NULL, 0 }), "nextUpdate (GnuTLS): %lld", (long long)nu);
	else
		AGREE(nu == (time_t)-1, "GnuTLS finds a nextUpdate");
	size_t n = ocspkit_crl_get_entry_count(c);
	AGREE(gnutls_x509_crl_get_crt_count(g) == (int)n, "%d entries (GnuTLS), %zu", gnutls_x509_crl_get_crt_count(g), n);
	gnutls_x509_crl_iter_t it = NULL;
	for (size_t i = 0;; i++) {
		unsigned char s[128];
		size_t sl = sizeof(s);
		time_t rt = 0;
		ocspkit_crl_entry e;
		ret = gnutls_x509_crl_iter_crt_serial(g, &it, s, &sl, &rt);
		if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
			AGREE(i == n, "GnuTLS has %zu entries, ocspkit %zu", i, n);
			break;
		}
		AGREE(ret == 0, "GnuTLS cannot read entry %zu: %s", i, gnutls_strerror_name(ret));
		if (ret != 0 || i >= n || CALL(ocspkit_crl_get_entry(&e, c, i)) != OCSPKIT_OK)
			break;
		AGREE(eq(e.serial, s, sl), "serial of entry %zu (GnuTLS)", i);
		AGREE(gtls_time_eq(rt, e.revocation_date, (ocspkit_bytes){ NULL, 0 }),
		      "revocationDate of entry %zu (GnuTLS): %lld", i, (long long)rt);
	}
	gnutls_x509_crl_iter_deinit(it);
	size_t k;
	for (k = 0;; k++) {
		char oid[128];
		size_t ol = sizeof(oid);
		unsigned int crit;
		if (gnutls_x509_crl_get_extension_info(g, (unsigned)k, oid, &ol, &crit) < 0)
			break;
	}
	AGREE(k == ocspkit_crl_get_extension_count(c), "%zu CRL extensions (GnuTLS), %zu", k,
	      ocspkit_crl_get_extension_count(c));
	ret = gnutls_x509_crl_get_signature(g, NULL, &k);
	if (ret == GNUTLS_E_SHORT_MEMORY_BUFFER) {
		char *sig = malloc(k ? k : 1);
		size_t sl = k;
		if (sig && gnutls_x509_crl_get_signature(g, sig, &sl) == 0)
			AGREE(eq(ocspkit_crl_get_signature(c), sig, sl), "signature (GnuTLS)");
		free(sig);
	}
}

static void diff_crl(const uint8_t *data, size_t size)
{
	ocspkit_crl *c = NULL;
	size_t off = 0;
	ocspkit_err e = CALL(ocspkit_crl_decode(&c, data, size, OCSPKIT_DECODE_STRICT, &off));
	if (e == OCSPKIT_E_NO_MEMORY)
		return;

	const unsigned char *p = data;
	X509_CRL *o = d2i_X509_CRL(NULL, &p, (long)size);
	const char *ossl = openssl_verdict(o != NULL, p, data, size);
	char why[256];
	openssl_why(why, sizeof(why));

	gnutls_x509_crl_t g = NULL;
	gnutls_datum_t datum = { (unsigned char *)data, (unsigned)size };
	if (gnutls_x509_crl_init(&g) < 0)
		abort();
	int gret = gnutls_x509_crl_import(g, &datum, GNUTLS_X509_FMT_DER);
	const char *gtls = gret == 0 ? "accept" : "reject";

	int ours = e == OCSPKIT_OK;
	if (!same_verdict(ours, ossl) || ours != (gret == 0))
		note_disagreement("crl", e, off, ossl, gtls, gnutls_append(why, sizeof(why), gret), data, size);
	if (ours && strcmp(ossl, "accept") == 0)
		ossl_crl(c, o);
	if (ours && gret == 0)
		gtls_crl(c, g);

	gnutls_x509_crl_deinit(g);
	X509_CRL_free(o);
	ocspkit_crl_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > OCSPKIT_MAX_MESSAGE_SIZE)
		return 0; /* beyond ocspkit's limit: a difference by design, not worth the time */
	cur_data = data;
	cur_size = size;
	cur_kind = "response";
	diff_response(data, size);
	cur_kind = "request";
	diff_request(data, size);
	cur_kind = "crl";
	diff_crl(data, size);
	return 0;
}
