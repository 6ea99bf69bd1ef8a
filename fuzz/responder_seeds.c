/* Seeds of responder_fuzzer and index_fuzzer, written by fuzz/gen_corpus
 * (make fuzz-corpus) into DIR/NAME_fuzzer.in/: requests for the fixed
 * responder of responder_fixture.h in every path form and method, with
 * and without nonce, conditional headers, errors; index files with every
 * line form `openssl ca` writes and some it must refuse; upstream answers
 * for upstream_fuzzer (valid, expired, older, wrong CertID, missing nonce,
 * signed by the CA, by a stranger, error statuses).  Deterministic. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/text.h"
#include "responder_fixture.h"

unsigned long responder_seeds(const char *dir);

static const char *out_dir;
static unsigned long written;

static void put(const char *harness, const char *name, const void *data, size_t len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s_fuzzer.in", out_dir, harness);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s_fuzzer.in/%s", out_dir, harness, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	written++;
}

static blob make_request(const ocspkit_cert *issuer, const unsigned *serials, size_t n, ocspkit_hash hash, int absent,
			 size_t nonce_len)
{
	size_t len;
	uint8_t *der = rfx_request(&len, issuer, serials, n, hash, absent, nonce_len);
	blob b = bytes(der, len);
	ocspkit_free(der);
	return b;
}

static char *b64(blob der, unsigned flags)
{
	char *s;
	size_t n;
	if (text_base64_encode(&s, &n, der.d, der.n, flags))
		abort();
	return s;
}

/* "GET /<path>\n<headers>" */
static void get_seed(const char *name, const char *method, const char *path, const char *headers)
{
	char text[8192];
	int n = snprintf(text, sizeof(text), "%s /%s\n%s", method, path, headers ? headers : "");
	put("responder", name, text, (size_t)n);
}

static void post_seed(const char *name, const char *ctype, blob body)
{
	char head[256];
	int n = ctype ? snprintf(head, sizeof(head), "POST /\nContent-Type: %s\n\n", ctype)
		      : snprintf(head, sizeof(head), "POST /\n\n");
	uint8_t *in = malloc((size_t)n + body.n);
	if (!in)
		abort();
	memcpy(in, head, (size_t)n);
	memcpy(in + n, body.d, body.n);
	put("responder", name, in, (size_t)n + body.n);
	free(in);
}

static void percent(char *out, const char *in)
{
	for (; *in; in++) {
		if (*in == '+' || *in == '/' || *in == '=')
			out += sprintf(out, "%%%02X", (unsigned char)*in);
		else
			*out++ = *in;
	}
	*out = 0;
}

static void responder_corpus(void)
{
	rfx f;
	rfx_init(&f);
	static const unsigned one[] = { 0x1001 }, revoked[] = { 0x1002 }, kt[] = { 0x1004 }, hold[] = { 0x1006 },
			      unknown[] = { 0xDEAD }, many[] = { 0x1001, 0x1005, 0x1008 }, sup[] = { 0x1007 };
	char *s, path[8192];

	s = b64(make_request(f.ca, one, 1, OCSPKIT_HASH_SHA1, 0, 0), 0);
	get_seed("get-good-sha1", "GET", s, NULL);
	get_seed("head-good-sha1", "HEAD", s, NULL);
	snprintf(path, sizeof(path), "If-None-Match: *\n");
	get_seed("get-if-none-match-star", "GET", s, path);
	get_seed("get-if-modified-since", "GET", s, "If-Modified-Since: Fri, 15 Jan 2027 08:00:00 GMT\n");
	get_seed("get-if-none-match-list", "GET", s, "If-None-Match: \"a\", W/\"b\"\n");
	/* under a path the server was not told about: 400 with a --path hint */
	snprintf(path, sizeof(path), "ocsp/%s", s);
	get_seed("get-good-under-a-path", "GET", path, NULL);
	free(s);
	s = b64(make_request(f.ca, revoked, 1, OCSPKIT_HASH_SHA256, 1, 0), 0);
	get_seed("get-revoked-sha256-absent", "GET", s, NULL);
	free(s);
	s = b64(make_request(f.ca, kt, 1, OCSPKIT_HASH_SHA384, 0, 0), TEXT_BASE64_URL);
	get_seed("get-keytime-sha384-url-safe", "GET", s, NULL);
	free(s);
	s = b64(make_request(f.ca, hold, 1, OCSPKIT_HASH_SHA512, 0, 0), 0);
	percent(path, s);
	get_seed("get-hold-sha512-percent", "GET", path, NULL);
	free(s);
	s = b64(make_request(f.ca, unknown, 1, OCSPKIT_HASH_SHA224, 0, 0), 0);
	get_seed("get-unknown-sha224", "GET", s, NULL);
	free(s);
	s = b64(make_request(f.other, one, 1, OCSPKIT_HASH_SHA1, 0, 0), 0);
	get_seed("get-unauthorized", "GET", s, NULL);
	free(s);
	s = b64(make_request(f.ca, one, 1, OCSPKIT_HASH_SHA1, 0, 16), 0);
	get_seed("get-nonce", "GET", s, NULL);
	free(s);
	get_seed("get-not-base64", "GET", "%zz", NULL);
	get_seed("get-root", "GET", "", NULL);
	get_seed("put", "PUT", "", NULL);
	memset(path, 'A', 4200);
	path[4200] = 0;
	get_seed("get-too-long", "GET", path, NULL);

	post_seed("post-nonce", "application/ocsp-request", make_request(f.ca, revoked, 1, OCSPKIT_HASH_SHA1, 0, 32));
	post_seed("post-many-nonce", "application/ocsp-request", make_request(f.ca, many, 3, OCSPKIT_HASH_SHA256, 0, 8));
	post_seed("post-many", "application/ocsp-request", make_request(f.ca, many, 3, OCSPKIT_HASH_SHA1, 1, 0));
	post_seed("post-no-content-type", NULL, make_request(f.ca, sup, 1, OCSPKIT_HASH_SHA1, 0, 0));
	post_seed("post-content-type-parameter", "application/ocsp-request; q=1",
		  make_request(f.ca, sup, 1, OCSPKIT_HASH_SHA1, 0, 0));
	post_seed("post-wrong-content-type", "text/plain", make_request(f.ca, one, 1, OCSPKIT_HASH_SHA1, 0, 0));
	post_seed("post-junk", "application/ocsp-request", raw("3003020101"));
	post_seed("post-empty", "application/ocsp-request", none());
	post_seed("post-too-large", NULL, fill(0x30, 5000));
	/* a 33-octet nonce, which RFC 8954 forbids: requestExtensions by hand */
	blob plain = make_request(f.ca, one, 1, OCSPKIT_HASH_SHA1, 0, 0);
	blob list = bytes(plain.d + 4, plain.n - 4); /* OCSPRequest and TBSRequest headers are 2 octets each */
	blob ext = T(0x30, cat(2, raw("06092B0601050507300102"), T(0x04, T(0x04, fill(0x77, 33)))));
	post_seed("post-nonce-33", "application/ocsp-request", T(0x30, T(0x30, cat(2, list, T(0xA2, T(0x30, ext))))));
	rfx_free(&f);
}

static void index_corpus(void)
{
	static const char forms[] =
		"# every form openssl ca writes\n"
		"V\t301231235959Z\t\t1001\tunknown\t/CN=good\n"
		"R\t301231235959Z\t240101000000Z,keyCompromise\t1002\tunknown\t/CN=kc\n"
		"R\t301231235959Z\t240101000000Z\t1003\tunknown\t/CN=noreason\n"
		"R\t301231235959Z\t240301000000Z,keyTime,20240215000000Z\t1004\tunknown\t/CN=kt\n"
		"R\t301231235959Z\t240401000000Z,CAkeyTime,20240320101010Z\t1005\tunknown\t/CN=ckt\n"
		"R\t301231235959Z\t240215123000Z,holdInstruction,holdInstructionReject\t1006\tunknown\t/CN=hold\n"
		"R\t301231235959Z\t240215123000Z,holdInstruction,1.2.840.10040.2.1\t1007\tunknown\t/CN=hold2\n"
		"R\t301231235959Z\t240215123000Z,holdInstruction,Hold Instruction Call Issuer\t1008\tunknown\t/CN=h3\n"
		"R\t301231235959Z\t240215123000Z,certificateHold\t1009\tunknown\t/CN=ch\n"
		"R\t301231235959Z\t200229000000Z,cessationOfOperation\t100A\tunknown\t/CN=c\n"
		"R\t301231235959Z\t240501000000Z,removeFromCRL\t100B\tunknown\t/CN=r\n"
		"R\t301231235959Z\t240501000000Z,affiliationChanged\t100C\tunknown\t/CN=a\n"
		"R\t301231235959Z\t240501000000Z,superseded\t100D\tunknown\t/CN=s\n"
		"R\t301231235959Z\t240501000000Z,CACompromise\t100E\tunknown\t/CN=ca\n"
		"R\t301231235959Z\t240501000000Z,unspecified\t100F\tunknown\t/CN=u\n"
		"E\t200101000000Z\t\t1010\tunknown\t/CN=old\n";
	put("index", "all-forms", forms, sizeof(forms) - 1);
	static const char demo[] =
		"V\t271122034923Z\t\t1000\tunknown\t/O=ocspkit demo/CN=ocspkit Demo OCSP Responder\n"
		"V\t271122034923Z\t\t1001\tunknown\t/O=ocspkit demo/CN=good.demo.test\n"
		"R\t271122034923Z\t261122034923Z,keyCompromise\t1002\tunknown\t/O=ocspkit demo/CN=revoked.demo.test\n";
	put("index", "demo", demo, sizeof(demo) - 1);
	static const char shapes[] =
		"V\t20501231235959Z\t\t00C0FFEE\tcert.pem\t/CN=gen\ttime\twith tabs\r\n"
		"\r\n"
		"V\t491231235959Z\t\tabc\tunknown\t/CN=odd\n"
		"V\t501231235959Z\t\t00\tunknown\t/CN=zero\n"
		"V\t301231235959Z\t\t7A3F0011223344556677889900AABBCCDDEEFF01\tunknown\t/CN=20 octets\n"
		"V\t301231235959Z\t\tC0FFEE0123456789ABCDEF0123456789\tunknown\t/CN=high bit";
	put("index", "shapes", shapes, sizeof(shapes) - 1);
	static const char *const bad[][2] = {
		{ "bad-reason", "R\t301231235959Z\t240101000000Z,badReason\t1001\tunknown\t/CN=a\n" },
		{ "duplicate-serial", "V\t301231235959Z\t\t1001\tunknown\t/CN=a\nV\t301231235959Z\t\t001001\tunknown\t/CN=b\n" },
		{ "five-fields", "V\t301231235959Z\t\t1001\tunknown\n" },
		{ "keytime-without-time", "R\t301231235959Z\t240101000000Z,keyTime\t1001\tunknown\t/CN=a\n" },
		{ "revoked-without-time", "R\t301231235959Z\t\t1001\tunknown\t/CN=a\n" },
		{ "bad-month", "V\t301331235959Z\t\t1001\tunknown\t/CN=a\n" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		put("index", bad[i][0], bad[i][1], strlen(bad[i][1]));
}

/* upstream_fuzzer: a 2-octet header (request kind and flags, clock in
 * minutes), then the upstream's body, or with flag 8 a length-prefixed
 * request before it. */
static void upstream_seed(const char *name, uint8_t flags, int8_t minutes, blob req, blob body)
{
	uint8_t hdr[4] = { flags, (uint8_t)minutes, (uint8_t)(req.n >> 8), (uint8_t)req.n };
	blob in = flags & 8 ? cat(3, bytes(hdr, 4), req, body) : cat(2, bytes(hdr, 2), body);
	put("upstream", name, in.d, in.n);
}

static void upstream_corpus(void)
{
	rfx f;
	rfx_init(&f);
	static const unsigned one[] = { 0x1001 }, revoked[] = { 0x1002 }, two[] = { 0x1001, 0x1005 };
	blob q[4] = { make_request(f.ca, one, 1, OCSPKIT_HASH_SHA1, 0, 0),
		      make_request(f.ca, revoked, 1, OCSPKIT_HASH_SHA256, 1, 0),
		      make_request(f.ca, one, 1, OCSPKIT_HASH_SHA1, 0, 16), make_request(f.ca, two, 2, OCSPKIT_HASH_SHA1, 0, 0) };
	blob a[4], nobody = none();
	size_t n;
	uint8_t *d;
	static const char *const kind_names[4] = { "sha1", "sha256-absent", "nonce", "two" };
	char name[64];
	for (int k = 0; k < 4; k++) {
		d = rfx_answer(&f, q[k].d, q[k].n, RFX_NOW, &n);
		a[k] = bytes(d, n);
		free(d);
		snprintf(name, sizeof(name), "valid-%s", kind_names[k]);
		upstream_seed(name, (uint8_t)k, 0, nobody, a[k]);
	}
	/* warm: refreshed while due, before, and after the cached one expired */
	upstream_seed("warm-refresh", 4, 10, nobody, a[0]);
	upstream_seed("warm-refresh-sha256", 5, 20, nobody, a[1]);
	upstream_seed("warm-not-due", 4, -10, nobody, a[0]);
	upstream_seed("warm-expired", 4, 40, nobody, a[0]);
	upstream_seed("warm-at-expiry", 4, 30, nobody, a[0]);
	d = rfx_answer(&f, q[0].d, q[0].n, RFX_NOW - 1800 - 600, &n);
	upstream_seed("warm-older", 4, 10, nobody, bytes(d, n));
	free(d);
	/* invalid answers */
	d = rfx_answer(&f, q[0].d, q[0].n, RFX_NOW - 4000, &n);
	upstream_seed("expired", 0, 0, nobody, bytes(d, n));
	free(d);
	upstream_seed("thisupdate-ahead", 0, -30, nobody, a[0]);
	upstream_seed("other-certid", 1, 0, nobody, a[0]);
	upstream_seed("nonce-missing", 2, 0, nobody, a[0]);
	upstream_seed("second-certid-missing", 3, 0, nobody, a[0]);
	upstream_seed("try-later", 0, 0, nobody, raw("30030A0103"));
	upstream_seed("unauthorized", 0, 0, nobody, raw("30030A0106"));
	upstream_seed("html", 0, 0, nobody, bytes("<html>", 6));
	upstream_seed("empty", 0, 0, nobody, nobody);
	/* signed by the CA itself, and by a stranger */
	static const struct {
		const char *name;
		int stranger;
	} signers[] = { { "ca-signed", 0 }, { "stranger-signed", 1 } };
	for (size_t i = 0; i < 2; i++) {
		rsp_signer sg;
		rsp_ca c;
		rsp_responder r = f.r;
		memset(&sg, 0, sizeof(sg));
		sg.signer = signers[i].stranger ? f.other_signer : f.ca_signer;
		sg.cert = signers[i].stranger ? f.other : f.ca;
		/* the fixture's index, answered by another signer */
		if (rsp_ca_init(&c, f.ca, &sg, f.index) != OCSPKIT_OK)
			abort();
		r.cas = &c;
		r.n_cas = 1;
		rsp_answer ans;
		if (rsp_answer_request(&ans, &r, q[0].d, q[0].n, RFX_NOW, 0) != OCSPKIT_OK)
			abort();
		upstream_seed(signers[i].name, 0, 0, nobody, bytes(ans.blob->der, ans.blob->len));
		rsp_answer_clear(&ans);
	}
	/* requests from the input: ours, another CA's, undecodable, empty */
	upstream_seed("request-own", 8, 0, q[0], a[0]);
	upstream_seed("request-two-own", 8, 0, q[3], a[3]);
	upstream_seed("request-other-ca", 8, 0, make_request(f.other, one, 1, OCSPKIT_HASH_SHA1, 0, 0), a[0]);
	upstream_seed("request-sha384", 8, 0, make_request(f.ca, one, 1, OCSPKIT_HASH_SHA384, 0, 0), a[0]);
	upstream_seed("request-malformed", 8, 0, raw("3000"), a[0]);
	rfx_free(&f);
}

unsigned long responder_seeds(const char *dir)
{
	out_dir = dir;
	written = 0;
	responder_corpus();
	index_corpus();
	upstream_corpus();
	return written;
}
