/* Every OCSP message of the shared test vectors (../shared/vectors, found
 * through OCSPKIT_VECTORS and its MANIFEST.tsv), decoded with the outcome
 * that tests/codec/vectors-expected.tsv records for it.
 *
 * An item is a file, a PEM block of a file ("path#LABEL"), or a certificate
 * embedded in a message that decoded ("item!certN").  For each:
 *  - the outcome of decoding, strictly and under each tolerance flag the
 *    table lists: "ok" or the exact error code and byte offset;
 *  - a message that decodes strictly round-trips: encode(decode(der)) == der;
 *  - a message that decodes only under a flag re-encodes canonically: the
 *    re-encoding decodes strictly and re-encodes to itself;
 *  - where MANIFEST.tsv has OpenSSL's reading ("openssl: ..."), ocspkit's
 *    fields equal it, and the table's openssl column says truly whether
 *    ocspkit and OpenSSL agree on accepting the bytes;
 *  - every item has a row and every row an item: a new vector, a changed
 *    outcome and a stale row all fail, with the row to write.
 * BoringSSL's fuzz seeds for CertID, ResponseData and SingleResponse are
 * fragments: each is checked against the schema type, and decoded once more
 * inside a minimal message so that the checks beyond the schema apply too.
 * Across items: a bundle's request holds the CertID of its certificate, and
 * pyca's requests find in their response what pyca's tests say.
 *
 * The decode verdicts of the vectors are this program's alone; their
 * validation verdicts (the status a bundle should give among them) are
 * test_validate_vectors.c's, which decodes only to validate.
 *
 * Exits 77 (skipped) when the vectors folder is absent.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>

#include "common/text.h"
#include "tests/lib/build.h"
#include "der.h"
#include "ocsp_asn1.h"
#include "schema.h"

/* ---------------------------------------------------------------- tables */

typedef struct {
	char *path, *kind, *encoding, *expected, *notes;
} manifest_entry;

typedef struct {
	const char *item, *decoder, *flags, *outcome, *openssl, *reason;
	int line, used;
} row;

static char *vectors_dir;
static manifest_entry *manifest;
static size_t manifest_n;
static row *rows;
static size_t rows_n;
static int bundles_checked, pairs_checked;

/* Per decoder: how many items decoded strictly and how many were refused. */
#define MAX_DECODERS 16
static struct {
	const char *decoder;
	int ok, refused, flag_rows, openssl_differs;
} stats[MAX_DECODERS];

static void fail(const char *item, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(const char *item, const char *fmt, ...)
{
	va_list ap;
	check_total++;
	check_failed++;
	fprintf(stderr, "%s: ", item);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* CHECK that names the item and the field. */
#define CHECK_ITEM(item, cond, ...)            \
	do {                                   \
		if (cond)                      \
			check_total++;         \
		else                           \
			fail(item, __VA_ARGS__); \
	} while (0)

/* Splits text in place into lines; *lines is allocated, one per line. */
static size_t split_lines(char *text, char ***lines)
{
	size_t n = 0, max = 1;
	char *p = text;
	for (const char *q = text; *q; q++)
		max += *q == '\n';
	*lines = calloc(max, sizeof(**lines));
	if (!*lines)
		abort();
	while (*p && n < max) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		(*lines)[n++] = p;
		if (!nl)
			break;
		p = nl + 1;
	}
	return n;
}

/* Splits a line in place at tabs; returns the number of fields. */
static size_t split_tabs(char *line, char **f, size_t max)
{
	size_t n = 0;
	f[n++] = line;
	for (char *p = line; *p && n < max; p++) {
		if (*p == '\t') {
			*p = 0;
			f[n++] = p + 1;
		}
	}
	return n;
}

static char *read_text(const char *path)
{
	size_t len;
	uint8_t *buf = read_all(path, &len);
	if (!buf)
		return NULL;
	char *s = realloc(buf, len + 1);
	if (!s) {
		free(buf);
		return NULL;
	}
	s[len] = 0;
	return s;
}

static char *manifest_text, *table_text;

static int load_manifest(void)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/MANIFEST.tsv", vectors_dir);
	if (!(manifest_text = read_text(path)))
		return -1;
	char **lines;
	size_t n = split_lines(manifest_text, &lines);
	manifest = calloc(n + 1, sizeof(*manifest));
	if (!manifest)
		abort();
	for (size_t i = 1; i < n; i++) { /* line 1 names the columns */
		char *f[5];
		if (!lines[i][0])
			continue;
		if (split_tabs(lines[i], f, 5) != 5) {
			fail("MANIFEST.tsv", "line %zu: not 5 columns", i + 1);
			continue;
		}
		manifest[manifest_n++] = (manifest_entry){ f[0], f[1], f[2], f[3], f[4] };
	}
	free(lines);
	return 0;
}

static int load_table(const char *srcdir)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/codec/vectors-expected.tsv", srcdir);
	if (!(table_text = read_text(path))) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	char **lines;
	size_t n = split_lines(table_text, &lines);
	rows = calloc(n + 1, sizeof(*rows));
	if (!rows)
		abort();
	for (size_t i = 0; i < n; i++) {
		char *f[6];
		if (!lines[i][0] || lines[i][0] == '#')
			continue;
		if (split_tabs(lines[i], f, 6) != 6 || !f[5][0]) {
			fail("vectors-expected.tsv", "line %zu: want 6 tab-separated columns, the last a reason", i + 1);
			continue;
		}
		rows[rows_n++] = (row){ f[0], f[1], f[2], f[3], f[4], f[5], (int)i + 1, 0 };
	}
	free(lines);
	return 0;
}

/* ---------------------------------------------------------------- flags, outcomes */

static const struct {
	const char *name;
	unsigned flag;
} flag_names[] = {
	{ "explicit-default", OCSPKIT_DECODE_ALLOW_EXPLICIT_DEFAULT },
	{ "padded-integer", OCSPKIT_DECODE_ALLOW_PADDED_INTEGER },
	{ "any-nonce-size", OCSPKIT_DECODE_ALLOW_ANY_NONCE_SIZE },
};

/* "strict" or names joined by '+'; -1 for an unknown name. */
static int parse_flags(const char *s, unsigned *out)
{
	*out = 0;
	if (strcmp(s, "strict") == 0)
		return 0;
	while (*s) {
		size_t k = strcspn(s, "+"), i;
		for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
			if (strlen(flag_names[i].name) == k && memcmp(flag_names[i].name, s, k) == 0)
				break;
		if (i == sizeof(flag_names) / sizeof(flag_names[0]))
			return -1;
		*out |= flag_names[i].flag;
		s += k + (s[k] == '+');
	}
	return *out ? 0 : -1;
}

/* The flag that tolerates an error, or NULL. */
static const char *tolerating_flag(ocspkit_err e)
{
	switch (e) {
	case OCSPKIT_E_DER_EXPLICIT_DEFAULT: return "explicit-default";
	case OCSPKIT_E_DER_NONMINIMAL_INTEGER: return "padded-integer";
	case OCSPKIT_E_BAD_NONCE_SIZE: return "any-nonce-size";
	default: return NULL;
	}
}

static void format_outcome(char *buf, size_t cap, ocspkit_err e, long off)
{
	if (e == OCSPKIT_OK)
		snprintf(buf, cap, "ok");
	else
		snprintf(buf, cap, "%s@%ld", ocspkit_strerror_name(e), off);
}

/* An outcome the table may hold: "ok" or a known code name and an offset. */
static int outcome_valid(const char *s)
{
	const char *at = strchr(s, '@');
	if (strcmp(s, "ok") == 0)
		return 1;
	if (!at || !at[1] || strspn(at + 1, "-0123456789") != strlen(at + 1))
		return 0;
	for (int e = 1; e < OCSPKIT_E__END; e++) {
		const char *name = ocspkit_strerror_name((ocspkit_err)e);
		if (strlen(name) == (size_t)(at - s) && memcmp(name, s, (size_t)(at - s)) == 0)
			return 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- decoding */

typedef enum { D_REQUEST, D_RESPONSE, D_CERTIFICATE, D_SCHEMA } decoder_kind;

typedef struct {
	const char *name;    /* as in the table */
	decoder_kind kind;
	okit_type type;      /* D_SCHEMA */
	int wrap;            /* fragment decoded inside a minimal message */
} decoder;

static const decoder decoders[] = {
	{ "request", D_REQUEST, 0, 0 },
	{ "response", D_RESPONSE, 0, 0 },
	{ "certificate", D_CERTIFICATE, 0, 0 },
	{ "CertID", D_SCHEMA, T_CertID, 0 },
	{ "ResponseData", D_SCHEMA, T_ResponseData, 0 },
	{ "SingleResponse", D_SCHEMA, T_SingleResponse, 0 },
	{ "CertID+request", D_REQUEST, T_CertID, 1 },
	{ "ResponseData+response", D_RESPONSE, T_ResponseData, 1 },
	{ "SingleResponse+response", D_RESPONSE, T_SingleResponse, 1 },
};

static const decoder *find_decoder(const char *name)
{
	for (size_t i = 0; i < sizeof(decoders) / sizeof(decoders[0]); i++)
		if (strcmp(decoders[i].name, name) == 0)
			return &decoders[i];
	return NULL;
}

/* A fragment inside the smallest message that holds it; *at is where the
 * fragment starts, so that error offsets stay relative to the fragment. */
static blob wrap_fragment(okit_type type, const uint8_t *frag, size_t len, size_t *at)
{
	blob f = bytes(frag, len), msg;
	if (type == T_CertID) {
		/* OCSPRequest { TBSRequest { requestList { Request { reqCert } } } } */
		msg = T(0x30, T(0x30, T(0x30, T(0x30, f))));
	} else {
		blob rdata = f;
		if (type == T_SingleResponse)
			rdata = T(0x30, cat(3, T(0xA2, T(0x04, fill(0x11, 20))), GT("20170301000000Z"), T(0x30, f)));
		blob basic = T(0x30, cat(3, rdata, raw("300D 06092A864886F70D01010B 0500"), raw("0303 00ABCD")));
		msg = T(0x30, cat(2, raw("0A0100"), T(0xA0, T(0x30, cat(2, raw("06092B0601050507300101"),
									  T(0x04, basic))))));
	}
	/* the fragment ends the message, or comes just before the signature
	 * algorithm (15 octets) and value (5 octets) */
	size_t tail = type == T_CertID ? 0 : 20;
	*at = msg.n - tail - len;
	if (memcmp(msg.d + *at, frag, len) != 0)
		abort();
	return msg;
}

typedef struct {
	ocspkit_err err;
	long off;
	ocspkit_request *req;
	ocspkit_response *resp;
	ocspkit_cert *cert;
	const uint8_t *der; /* what was decoded (the wrapped message for fragments) */
	size_t len;
	blob wrapped;
} result;

static void result_clear(result *r)
{
	ocspkit_request_free(r->req);
	ocspkit_response_free(r->resp);
	ocspkit_cert_free(r->cert);
	r->req = NULL;
	r->resp = NULL;
	r->cert = NULL;
}

static void decode_as(result *r, const decoder *d, const uint8_t *der, size_t len, unsigned flags)
{
	size_t off = 0, at = 0;
	memset(r, 0, sizeof(*r));
	r->der = der;
	r->len = len;
	if (d->wrap) {
		r->wrapped = wrap_fragment(d->type, der, len, &at);
		r->der = r->wrapped.d;
		r->len = r->wrapped.n;
	}
	switch (d->kind) {
	case D_REQUEST:
		r->err = ocspkit_request_decode(&r->req, r->der, r->len, flags, &off);
		break;
	case D_RESPONSE:
		r->err = ocspkit_response_decode(&r->resp, r->der, r->len, flags, &off);
		break;
	case D_CERTIFICATE:
		r->err = ocspkit_cert_decode(&r->cert, r->der, r->len, flags, &off);
		break;
	case D_SCHEMA: {
		okit_dctx c = okit_ctx(der, flags);
		okit_tlv t;
		r->err = okit_sch_check_bytes(&c, d->type, der, len, &t);
		off = c.err_off;
		break;
	}
	}
	r->off = r->err ? (long)off - (long)at : 0;
}

/* ---------------------------------------------------------------- round trips */

/* encode(decode(der)); NULL if an encoder refuses. */
/* The body of a response: what it has when it is successful, zeros
 * and OCSPKIT_E_NOT_FOUND from its accessors otherwise. */
static void response_body(const ocspkit_response *resp, ocspkit_response_tbs *data, ocspkit_signature_block *sig)
{
	memset(data, 0, sizeof(*data));
	memset(sig, 0, sizeof(*sig));
	ocspkit_err e1 = ocspkit_response_get_tbs(data, resp), e2 = ocspkit_response_get_signature(sig, resp);
	int successful = ocspkit_response_get_status(resp) == OCSPKIT_RESPONSE_SUCCESSFUL;
	CHECK(e1 == e2 && e1 == (successful ? OCSPKIT_OK : OCSPKIT_E_NOT_FOUND));
}

static uint8_t *reencode(const result *r, size_t *len, ocspkit_err *err)
{
	uint8_t *out = NULL;
	*err = OCSPKIT_E_INVALID_ARGUMENT;
	if (r->req) {
		ocspkit_request_tbs tbs;
		ocspkit_signature_block sig;
		ocspkit_request_get_tbs(&tbs, r->req);
		int is_signed = ocspkit_request_get_signature(&sig, r->req) == OCSPKIT_OK;
		*err = ocspkit_request_encode(&out, len, &tbs, is_signed ? &sig : NULL);
	} else if (r->resp && ocspkit_response_get_status(r->resp) != OCSPKIT_RESPONSE_SUCCESSFUL) {
		*err = ocspkit_response_encode_status(&out, len, ocspkit_response_get_status(r->resp));
	} else if (r->resp) {
		ocspkit_response_tbs data;
		ocspkit_signature_block sig;
		uint8_t *tbs;
		size_t tbs_len;
		response_body(r->resp, &data, &sig);
		if ((*err = ocspkit_response_tbs_encode(&tbs, &tbs_len, &data)) != OCSPKIT_OK)
			return NULL;
		*err = ocspkit_response_assemble(&out, len, (ocspkit_bytes){ tbs, tbs_len }, &sig);
		ocspkit_free(tbs);
	}
	return *err ? NULL : out;
}

static void check_round_trip(const char *item, const result *r)
{
	size_t len;
	ocspkit_err e;
	uint8_t *out = reencode(r, &len, &e);
	CHECK_ITEM(item, out, "re-encoding failed: %s", ocspkit_strerror_name(e));
	if (!out)
		return;
	CHECK_ITEM(item, len == r->len && memcmp(out, r->der, len) == 0,
		   "encode(decode(der)) differs from der (%zu bytes, input %zu)", len, r->len);
	ocspkit_free(out);

	/* the signed part alone, too */
	if (r->req) {
		ocspkit_request_tbs tbs;
		ocspkit_bytes orig = ocspkit_request_get_tbs_der(r->req);
		ocspkit_request_get_tbs(&tbs, r->req);
		e = ocspkit_request_tbs_encode(&out, &len, &tbs);
		CHECK_ITEM(item, e == OCSPKIT_OK && len == orig.len && memcmp(out, orig.data, len) == 0,
			   "tbsRequest does not re-encode to itself (%s)", ocspkit_strerror_name(e));
		if (e == OCSPKIT_OK)
			ocspkit_free(out);
	} else if (r->resp && ocspkit_response_get_status(r->resp) == OCSPKIT_RESPONSE_SUCCESSFUL) {
		ocspkit_response_tbs data;
		ocspkit_signature_block sig;
		ocspkit_bytes orig = { NULL, 0 };
		CHECK_OK(ocspkit_response_get_tbs_der(&orig, r->resp));
		response_body(r->resp, &data, &sig);
		e = ocspkit_response_tbs_encode(&out, &len, &data);
		CHECK_ITEM(item, e == OCSPKIT_OK && len == orig.len && memcmp(out, orig.data, len) == 0,
			   "tbsResponseData does not re-encode to itself (%s)", ocspkit_strerror_name(e));
		if (e == OCSPKIT_OK)
			ocspkit_free(out);
	}
}

/* Accepted under a tolerance flag: what ocspkit writes back is strict DER
 * and a fixed point of decode + encode. */
static void check_canonical(const char *item, const result *r, const decoder *d)
{
	size_t len;
	ocspkit_err e;
	uint8_t *out = reencode(r, &len, &e);
	CHECK_ITEM(item, out, "re-encoding under flags failed: %s", ocspkit_strerror_name(e));
	if (!out)
		return;
	result again;
	decoder plain = *d;
	plain.wrap = 0;
	decode_as(&again, &plain, out, len, OCSPKIT_DECODE_STRICT);
	CHECK_ITEM(item, again.err == OCSPKIT_OK, "re-encoding does not decode strictly: %s@%ld",
		   ocspkit_strerror_name(again.err), again.off);
	if (again.err == OCSPKIT_OK)
		check_round_trip(item, &again);
	result_clear(&again);
	ocspkit_free(out);
}

/* ---------------------------------------------------------------- OpenSSL's reading */

/* OpenSSL's names for OIDs ocspkit has no name for. */
static const struct {
	const char *dotted, *name;
} openssl_aliases[] = {
	{ "1.3.14.3.2.27", "dsaWithSHA1-old" },
};

static void oid_name(char *buf, size_t cap, ocspkit_bytes oid)
{
	const char *n;
	if (ocspkit_oid_name(&n, oid) == OCSPKIT_OK) {
		snprintf(buf, cap, "%s", n);
		return;
	}
	if (ocspkit_oid_to_dotted(buf, cap, oid) != OCSPKIT_OK)
		snprintf(buf, cap, "(bad OID)");
	for (size_t i = 0; i < sizeof(openssl_aliases) / sizeof(openssl_aliases[0]); i++)
		if (strcmp(buf, openssl_aliases[i].dotted) == 0)
			snprintf(buf, cap, "%s", openssl_aliases[i].name);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A comma-separated list, sorted and without repeats, for comparing sets. */
static void sorted_set(char *out, size_t cap, const char *list)
{
	char tmp[1024], *items[64];
	size_t n = 0, o = 0;
	snprintf(tmp, sizeof(tmp), "%s", list);
	for (char *p = tmp; *p && n < 64;) {
		items[n++] = p;
		char *comma = strchr(p, ',');
		if (!comma)
			break;
		*comma = 0;
		p = comma + 1;
	}
	qsort(items, n, sizeof(items[0]), cmp_str);
	out[0] = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && strcmp(items[i], items[i - 1]) == 0)
			continue;
		o += (size_t)snprintf(out + o, o < cap ? cap - o : 0, "%s%s", o ? "," : "", items[i]);
		if (o >= cap)
			break;
	}
}

static void append(char *buf, size_t cap, const char *s)
{
	size_t o = strlen(buf);
	snprintf(buf + o, o < cap ? cap - o : 0, "%s%s", o ? "," : "", s);
}

/* certID hash algorithms of a list of CertIDs, as a set. */
static void hash_set(char *out, size_t cap, const ocspkit_cert_id *const *ids, size_t n)
{
	char list[1024] = "", name[128];
	for (size_t i = 0; i < n; i++) {
		oid_name(name, sizeof(name), ids[i]->hash_algorithm.oid);
		append(list, sizeof(list), name);
	}
	sorted_set(out, cap, list);
}

/* OpenSSL's summary of statuses: each status in order of first appearance,
 * with "xN" when it occurs N > 1 times ("goodx12,revokedx8"). */
static void status_summary(char *out, size_t cap, const ocspkit_response *resp)
{
	size_t counts[3] = { 0 }, n = ocspkit_response_get_single_count(resp);
	int order[3], k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned s = (unsigned)ocspkit_response_get_single(resp, i)->status;
		if (s > 2)
			continue;
		if (counts[s]++ == 0)
			order[k++] = (int)s;
	}
	out[0] = 0;
	for (int i = 0; i < k; i++) {
		char one[64];
		if (counts[order[i]] > 1)
			snprintf(one, sizeof(one), "%sx%zu", ocspkit_cert_status_name((ocspkit_cert_status)order[i]),
				 counts[order[i]]);
		else
			snprintf(one, sizeof(one), "%s", ocspkit_cert_status_name((ocspkit_cert_status)order[i]));
		append(out, cap, one);
	}
}

/* The part of a MANIFEST note that is OpenSSL's reading of the given PEM
 * block (or of the whole file when label is NULL), copied into buf; NULL
 * when there is none. */
static const char *openssl_note(char *buf, size_t cap, const char *notes, const char *label, int first_block)
{
	const char *start = NULL, *end;
	if (label && strcmp(label, "OCSP REQUEST") == 0) {
		if ((start = strstr(notes, "request block: ")))
			start += strlen("request block: ");
	} else if (label && strstr(notes, "response openssl: ")) {
		start = strstr(notes, "response openssl: ") + strlen("response openssl: ");
	} else if ((start = strstr(notes, "openssl: "))) {
		start += strlen("openssl: ");
	}
	if (!start || !first_block)
		return NULL;
	end = strstr(start, "; request block: ");
	if (!end)
		end = start + strlen(start);
	snprintf(buf, cap, "%.*s", (int)(end - start), start);
	return buf;
}

static int openssl_accepts(const char *note)
{
	return strncmp(note, "parses", 6) == 0;
}

/* Compares the fields OpenSSL reported with ocspkit's. */
static void check_openssl_fields(const char *item, const result *r, const char *note)
{
	char tmp[2048], got[1024], want[1024];
	char *tok[64];
	size_t n = 0;
	int seen_certs = 0, seen_no_next = 0, seen_resp_exts = 0, seen_single_exts = 0, seen_req_exts = 0;
	int seen_signed = 0, seen_reason = 0;

	snprintf(tmp, sizeof(tmp), "%s", note);
	for (char *p = tmp; *p && n < 64;) {
		tok[n++] = p;
		char *semi = strstr(p, "; ");
		if (!semi)
			break;
		*semi = 0;
		p = semi + 2;
	}

	const ocspkit_response *resp = r->resp;
	ocspkit_response_tbs data = { 0 };
	ocspkit_signature_block sig = { 0 };
	ocspkit_request_tbs tbs = { 0 };
	int successful = 0, is_signed = 0;
	const ocspkit_cert_id *ids[OCSPKIT_MAX_SINGLE_RESPONSES > OCSPKIT_MAX_REQUESTS ? OCSPKIT_MAX_SINGLE_RESPONSES
										     : OCSPKIT_MAX_REQUESTS];
	size_t n_ids = 0;
	if (resp) {
		successful = ocspkit_response_get_status(resp) == OCSPKIT_RESPONSE_SUCCESSFUL;
		response_body(resp, &data, &sig);
		for (size_t i = 0; i < data.response_count; i++)
			ids[n_ids++] = &data.responses[i].cert_id;
	} else if (r->req) {
		ocspkit_request_get_tbs(&tbs, r->req);
		is_signed = ocspkit_request_get_signature(&sig, r->req) == OCSPKIT_OK;
		for (size_t i = 0; i < tbs.request_count; i++)
			ids[n_ids++] = &tbs.requests[i].cert_id;
	} else {
		return;
	}

	for (size_t i = 1; i < n; i++) { /* tok[0] is "parses" */
		char *key = tok[i], *val = strchr(tok[i], '=');
		if (val)
			*val++ = 0;
		else
			val = key + strlen(key); /* flags such as "signed" */
		if (resp && strcmp(key, "responseStatus") == 0) {
			const char *paren = strrchr(val, '(');
			long want_status = -1;
			if (paren && isdigit((unsigned char)paren[1]))
				want_status = strtol(paren + 1, NULL, 10);
			else if (strcmp(val, "successful") == 0)
				want_status = 0;
			CHECK_ITEM(item, want_status == (long)ocspkit_response_get_status(resp),
				   "responseStatus %s, OpenSSL: %s",
				   ocspkit_response_status_name(ocspkit_response_get_status(resp)), val);
		} else if (resp && strcmp(key, "no responseBytes") == 0) {
			CHECK_ITEM(item, !successful, "responseBytes present, OpenSSL: none");
		} else if (resp && strcmp(key, "singles") == 0) {
			CHECK_ITEM(item, data.response_count == (size_t)atol(val), "%zu SingleResponses, OpenSSL: %s",
				   data.response_count, val);
		} else if (resp && strcmp(key, "status") == 0) {
			status_summary(got, sizeof(got), resp);
			CHECK_ITEM(item, strcmp(got, val) == 0, "statuses %s, OpenSSL: %s", got, val);
		} else if (resp && strcmp(key, "reason") == 0) {
			seen_reason = 1;
			got[0] = 0;
			for (size_t k = 0; k < data.response_count; k++)
				if (data.responses[k].status == OCSPKIT_CERT_REVOKED &&
				    data.responses[k].has_revocation_reason)
					append(got, sizeof(got),
					       ocspkit_crl_reason_name(data.responses[k].revocation_reason));
			sorted_set(want, sizeof(want), got);
			sorted_set(got, sizeof(got), val);
			CHECK_ITEM(item, strcmp(got, want) == 0, "revocation reasons %s, OpenSSL: %s", want, val);
		} else if (resp && strcmp(key, "responderID") == 0) {
			const char *t = data.responder_id.type == OCSPKIT_RESPONDER_BY_NAME  ? "byName"
					: data.responder_id.type == OCSPKIT_RESPONDER_BY_KEY ? "byKey"
											     : "none";
			CHECK_ITEM(item, strcmp(t, val) == 0, "responderID %s, OpenSSL: %s", t, val);
		} else if (strcmp(key, "certID-hash") == 0) {
			hash_set(got, sizeof(got), ids, n_ids);
			sorted_set(want, sizeof(want), val);
			CHECK_ITEM(item, strcmp(got, want) == 0, "certID hash algorithms %s, OpenSSL: %s", got, val);
		} else if (resp && strcmp(key, "sigalg") == 0) {
			oid_name(got, sizeof(got), sig.algorithm.oid);
			CHECK_ITEM(item, strcmp(got, val) == 0, "signatureAlgorithm %s, OpenSSL: %s", got, val);
		} else if (resp && strcmp(key, "certs") == 0) {
			seen_certs = 1;
			CHECK_ITEM(item, sig.cert_count == (size_t)atol(val), "%zu certificates, OpenSSL: %s",
				   sig.cert_count, val);
		} else if (resp && strcmp(key, "no-nextUpdate") == 0) {
			seen_no_next = 1;
		} else if (resp && strcmp(key, "has-response-exts") == 0) {
			seen_resp_exts = 1;
		} else if (strcmp(key, "has-single-exts") == 0) {
			seen_single_exts = 1;
		} else if (!resp && strcmp(key, "has-request-exts") == 0) {
			seen_req_exts = 1;
		} else if (!resp && strcmp(key, "requests") == 0) {
			CHECK_ITEM(item, tbs.request_count == (size_t)atol(val), "%zu requests, OpenSSL: %s",
				   tbs.request_count, val);
		} else if (!resp && strcmp(key, "signed") == 0) {
			seen_signed = 1;
		} else {
			fail(item, "OpenSSL note field '%s' is not understood here", key);
		}
	}

	/* What the note leaves out is absent. */
	if (resp && successful) {
		int any_next = 0, any_single_exts = 0, any_reason = 0;
		for (size_t i = 0; i < data.response_count; i++) {
			any_next |= data.responses[i].has_next_update;
			any_single_exts |= data.responses[i].extension_count > 0;
			any_reason |= data.responses[i].status == OCSPKIT_CERT_REVOKED &&
				      data.responses[i].has_revocation_reason;
		}
		CHECK_ITEM(item, seen_certs || sig.cert_count == 0, "%zu certificates, OpenSSL: none", sig.cert_count);
		if (data.response_count)
			CHECK_ITEM(item, seen_no_next == !any_next, "nextUpdate %s, OpenSSL: %s",
				   any_next ? "present" : "absent", seen_no_next ? "absent" : "present");
		CHECK_ITEM(item, seen_resp_exts == (data.extension_count > 0),
			   "%zu responseExtensions, OpenSSL: %s", data.extension_count, seen_resp_exts ? "some" : "none");
		CHECK_ITEM(item, seen_single_exts == any_single_exts, "singleExtensions %s, OpenSSL: %s",
			   any_single_exts ? "present" : "absent", seen_single_exts ? "present" : "absent");
		CHECK_ITEM(item, seen_reason == any_reason, "revocation reasons %s, OpenSSL: %s",
			   any_reason ? "present" : "absent", seen_reason ? "present" : "absent");
	} else if (!resp) {
		int any_single_exts = 0;
		for (size_t i = 0; i < tbs.request_count; i++)
			any_single_exts |= tbs.requests[i].extension_count > 0;
		CHECK_ITEM(item, seen_req_exts == (tbs.extension_count > 0), "%zu requestExtensions, OpenSSL: %s",
			   tbs.extension_count, seen_req_exts ? "some" : "none");
		CHECK_ITEM(item, seen_single_exts == any_single_exts, "singleRequestExtensions %s, OpenSSL: %s",
			   any_single_exts ? "present" : "absent", seen_single_exts ? "present" : "absent");
		CHECK_ITEM(item, seen_signed == is_signed, "request %s, OpenSSL: %s", is_signed ? "signed" : "unsigned",
			   seen_signed ? "signed" : "unsigned");
	}
}

/* Every SingleResponse is found by its own CertID: itself, or the first
 * one with that CertID when the response repeats it with the same status;
 * a repeat with another status is a conflict. */
static void check_self_lookup(const char *item, const result *r)
{
	if (!r->resp || ocspkit_response_get_status(r->resp) != OCSPKIT_RESPONSE_SUCCESSFUL)
		return;
	size_t n = ocspkit_response_get_single_count(r->resp);
	for (size_t i = 0; i < n; i++) {
		const ocspkit_single_response *s = ocspkit_response_get_single(r->resp, i), *found = NULL, *first = NULL;
		int conflict = 0;
		for (size_t j = 0; j < n; j++) {
			const ocspkit_single_response *o = ocspkit_response_get_single(r->resp, j);
			if (!ocspkit_cert_id_equal(&o->cert_id, &s->cert_id))
				continue;
			if (!first)
				first = o;
			else if (o->status != first->status || o->revocation_time != first->revocation_time ||
				 o->has_revocation_reason != first->has_revocation_reason ||
				 o->revocation_reason != first->revocation_reason)
				conflict = 1;
		}
		ocspkit_err e = ocspkit_response_find(&found, r->resp, &s->cert_id);
		CHECK_ITEM(item, e == (conflict ? OCSPKIT_E_CERT_ID_CONFLICT : OCSPKIT_OK) && (conflict || found == first),
			   "lookup of SingleResponse %zu by its own CertID: %s", i, ocspkit_strerror_name(e));
	}
}

/* Decoding checked the value of every extension it knows; the typed
 * readers must then succeed on each, and the message's nonce must be the
 * one its nonce extension holds. */
static void check_extension_list(const char *item, const char *where, const ocspkit_extension *exts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const ocspkit_extension *x = &exts[i];
		ocspkit_err e = OCSPKIT_OK;
		ocspkit_bytes b, b2;
		ocspkit_crl_id crl_id;
		ocspkit_crl_reason reason;
		int64_t t;
		size_t count;
		switch (x->type) {
		case OCSPKIT_EXT_NONCE: e = ocspkit_ext_nonce(&b, x); break;
		case OCSPKIT_EXT_CRL_ID: e = ocspkit_ext_crl_id(&crl_id, x); break;
		case OCSPKIT_EXT_ACCEPTABLE_RESPONSES: e = ocspkit_ext_acceptable_responses(NULL, 0, &count, x); break;
		case OCSPKIT_EXT_ARCHIVE_CUTOFF: e = ocspkit_ext_archive_cutoff(&t, x); break;
		case OCSPKIT_EXT_SERVICE_LOCATOR: e = ocspkit_ext_service_locator(&b, &b2, x); break;
		case OCSPKIT_EXT_PREF_SIG_ALGS: e = ocspkit_ext_pref_sig_algs(NULL, 0, &count, x); break;
		case OCSPKIT_EXT_EXTENDED_REVOKE: e = ocspkit_ext_extended_revoke(x); break;
		case OCSPKIT_EXT_CRL_REASON: e = ocspkit_ext_crl_reason(&reason, x); break;
		case OCSPKIT_EXT_INVALIDITY_DATE: e = ocspkit_ext_invalidity_date(&t, x); break;
		case OCSPKIT_EXT_CERTIFICATE_ISSUER: e = ocspkit_ext_certificate_issuer(&b, x); break;
		default: break;
		}
		CHECK_ITEM(item, e == OCSPKIT_OK, "%s extension %zu (type %d): typed reader says %s", where, i,
			   (int)x->type, ocspkit_strerror_name(e));
	}
}

static void check_extensions(const char *item, const result *r)
{
	const ocspkit_extension *list = NULL, *nonce_ext;
	size_t n = 0;
	ocspkit_bytes nonce, want;
	ocspkit_err e;
	if (r->req) {
		ocspkit_request_tbs tbs;
		ocspkit_request_get_tbs(&tbs, r->req);
		list = tbs.extensions, n = tbs.extension_count;
		for (size_t i = 0; i < tbs.request_count; i++)
			check_extension_list(item, "singleRequestExtensions", tbs.requests[i].extensions,
					     tbs.requests[i].extension_count);
		e = ocspkit_request_get_nonce(&nonce, r->req);
	} else if (r->resp) {
		ocspkit_response_tbs data;
		ocspkit_signature_block sig;
		response_body(r->resp, &data, &sig);
		list = data.extensions, n = data.extension_count;
		for (size_t i = 0; i < data.response_count; i++)
			check_extension_list(item, "singleExtensions", data.responses[i].extensions,
					     data.responses[i].extension_count);
		e = ocspkit_response_get_nonce(&nonce, r->resp);
	} else {
		return;
	}
	check_extension_list(item, r->req ? "requestExtensions" : "responseExtensions", list, n);
	if (ocspkit_extensions_find(&nonce_ext, list, n, OCSPKIT_EXT_NONCE) != OCSPKIT_OK) {
		CHECK(nonce_ext == NULL);
		CHECK_ITEM(item, e == OCSPKIT_E_NOT_FOUND, "a nonce without a nonce extension (%s)",
			   ocspkit_strerror_name(e));
		return;
	}
	CHECK_ITEM(item, e == OCSPKIT_OK && ocspkit_ext_nonce(&want, nonce_ext) == OCSPKIT_OK && want.len == nonce.len &&
			       (nonce.len == 0 || memcmp(want.data, nonce.data, nonce.len) == 0),
		   "the message's nonce is not its nonce extension's (%s)", ocspkit_strerror_name(e));
}

/* ---------------------------------------------------------------- items */

static void note_stats(const char *name, int ok, int is_strict, int differs)
{
	size_t i;
	for (i = 0; i < MAX_DECODERS && stats[i].decoder; i++)
		if (strcmp(stats[i].decoder, name) == 0)
			break;
	if (i == MAX_DECODERS)
		return;
	stats[i].decoder = name;
	if (!is_strict) {
		stats[i].flag_rows++;
		return;
	}
	if (ok)
		stats[i].ok++;
	else
		stats[i].refused++;
	stats[i].openssl_differs += differs;
}

static void run_item(const char *item, const char *decoder_name, const uint8_t *der, size_t len, const char *note);

/* Certificates carried in a decoded message are items of their own. */
static void run_embedded_certs(const char *item, const result *r)
{
	ocspkit_signature_block sig = { 0 };
	ocspkit_response_tbs data;
	if (r->resp)
		response_body(r->resp, &data, &sig);
	else if (r->req && ocspkit_request_get_signature(&sig, r->req) != OCSPKIT_OK)
		memset(&sig, 0, sizeof(sig)); /* unsigned: no certificates */
	for (size_t i = 0; i < sig.cert_count; i++) {
		char sub[4200];
		snprintf(sub, sizeof(sub), "%s!cert%zu", item, i);
		run_item(sub, "certificate", sig.certs[i].data, sig.certs[i].len, NULL);
	}
}

static void run_item(const char *item, const char *decoder_name, const uint8_t *der, size_t len, const char *note)
{
	const decoder *d = find_decoder(decoder_name);
	int have_strict = 0;
	char actual[160];

	if (!d)
		abort();
	for (size_t i = 0; i < rows_n; i++) {
		row *w = &rows[i];
		unsigned flags;
		result r;
		if (strcmp(w->item, item) != 0 || strcmp(w->decoder, decoder_name) != 0)
			continue;
		w->used = 1;
		if (parse_flags(w->flags, &flags) != 0) {
			fail(item, "vectors-expected.tsv:%d: unknown flags '%s'", w->line, w->flags);
			continue;
		}
		if (!outcome_valid(w->outcome))
			fail(item, "vectors-expected.tsv:%d: '%s' is neither ok nor CODE@offset", w->line, w->outcome);
		int strict = flags == 0;
		have_strict |= strict;

		decode_as(&r, d, der, len, flags);
		format_outcome(actual, sizeof(actual), r.err, r.off);
		CHECK_ITEM(item, strcmp(actual, w->outcome) == 0, "%s, %s: got %s, vectors-expected.tsv:%d wants %s",
			   decoder_name, w->flags, actual, w->line, w->outcome);

		/* the openssl column: whether OpenSSL reached the same verdict */
		const char *want_cmp = "-";
		int differs = 0;
		if (strict && note) {
			differs = openssl_accepts(note) != (r.err == OCSPKIT_OK);
			want_cmp = differs ? "differs" : "same";
		}
		CHECK_ITEM(item, strcmp(w->openssl, want_cmp) == 0,
			   "%s (%s): openssl column is '%s', should be '%s' (OpenSSL: %.60s)", decoder_name, w->flags,
			   w->openssl, want_cmp, note ? note : "none");
		note_stats(d->name, r.err == OCSPKIT_OK, strict, differs);

		if (r.err == OCSPKIT_OK && d->kind != D_SCHEMA && d->kind != D_CERTIFICATE) {
			if (!strict) {
				check_canonical(item, &r, d);
			} else {
				check_round_trip(item, &r);
				check_self_lookup(item, &r);
				check_extensions(item, &r);
				if (note && openssl_accepts(note))
					check_openssl_fields(item, &r, note);
				run_embedded_certs(item, &r);
			}
		}
		result_clear(&r);
	}
	if (!have_strict) {
		result r;
		decode_as(&r, d, der, len, OCSPKIT_DECODE_STRICT);
		format_outcome(actual, sizeof(actual), r.err, r.off);
		fail(item, "%s: no strict row in vectors-expected.tsv (outcome now %s; see the MISSING lines of the log)",
		     decoder_name, actual);
		printf("MISSING\t%s\t%s\tstrict\t%s\t%s\t\n", item, decoder_name, actual,
		       note ? (openssl_accepts(note) != (r.err == OCSPKIT_OK) ? "differs" : "same") : "-");
		const char *flag = tolerating_flag(r.err);
		if (flag)
			printf("MISSING?\t%s\t%s\t%s\t\t-\t\n", item, decoder_name, flag);
		if (r.err == OCSPKIT_OK && !d->wrap && d->kind != D_SCHEMA && d->kind != D_CERTIFICATE)
			run_embedded_certs(item, &r);
		result_clear(&r);
	}
}

/* ---------------------------------------------------------------- pairs */

/* Decodes strictly, or else with padded INTEGERs allowed (whose views are
 * normalised, so that CertIDs still match: what the flag promises). */
static ocspkit_err decode_lenient(result *r, const char *decoder_name, ocspkit_bytes der)
{
	decode_as(r, find_decoder(decoder_name), der.data, der.len, OCSPKIT_DECODE_STRICT);
	if (r->err == OCSPKIT_E_DER_NONMINIMAL_INTEGER)
		decode_as(r, find_decoder(decoder_name), der.data, der.len, OCSPKIT_DECODE_ALLOW_PADDED_INTEGER);
	return r->err;
}

/* Looks the request's only CertID up in the response and compares with
 * what a test suite expects: "NOT_FOUND", or a status name. */
static void check_lookup(const char *what, const result *req, const result *resp, const char *want_status,
			 const char *want_reason, const char *want_time)
{
	const ocspkit_single_response *s = NULL;
	if (ocspkit_request_get_single_count(req->req) != 1) {
		fail(what, "%zu requests, the lookup check wants 1", ocspkit_request_get_single_count(req->req));
		return;
	}
	const ocspkit_cert_id *id = &ocspkit_request_get_single(req->req, 0)->cert_id;
	ocspkit_err e = ocspkit_response_find(&s, resp->resp, id);
	if (strcmp(want_status, "NOT_FOUND") == 0) {
		CHECK_ITEM(what, e == OCSPKIT_E_NOT_FOUND, "lookup: %s, expected no matching SingleResponse",
			   ocspkit_strerror_name(e));
		return;
	}
	CHECK_ITEM(what, e == OCSPKIT_OK && strcmp(ocspkit_cert_status_name(s->status), want_status) == 0,
		   "lookup: %s %s, expected %s", ocspkit_strerror_name(e), s ? ocspkit_cert_status_name(s->status) : "",
		   want_status);
	if (e || s->status != OCSPKIT_CERT_REVOKED)
		return;
	if (want_reason)
		CHECK_ITEM(what, s->has_revocation_reason &&
				 strcmp(ocspkit_crl_reason_name(s->revocation_reason), want_reason) == 0,
			   "revocation reason %s, expected %s",
			   s->has_revocation_reason ? ocspkit_crl_reason_name(s->revocation_reason) : "none", want_reason);
	if (want_time) {
		char t[OCSPKIT_TIME_STRING_SIZE];
		ocspkit_time_format(t, s->revocation_time);
		CHECK_ITEM(what, strcmp(t, want_time) == 0, "revocationTime %s, expected %s", t, want_time);
	}
}

/* A bundle of BoringSSL's ocsp_unittest (OCSP RESPONSE, CA CERTIFICATE,
 * CERTIFICATE, OCSP REQUEST): the request holds the SHA-1 CertID of the
 * certificate by the CA (CreateOCSPRequest).  The status the bundle's
 * "revocation=R result=P" expects is a validation verdict,
 * test_validate_vectors.c's. */
static void check_bundle(const manifest_entry *m, const ocspkit_bytes blocks[4])
{
	result req, resp, ca, cert;
	char what[4200];
	snprintf(what, sizeof(what), "%s (request, response and certificates together)", m->path);
	memset(&resp, 0, sizeof(resp));
	memset(&ca, 0, sizeof(ca));
	memset(&cert, 0, sizeof(cert));
	if (decode_lenient(&req, "request", blocks[0]) || decode_lenient(&resp, "response", blocks[1]) ||
	    decode_lenient(&ca, "certificate", blocks[2]) || decode_lenient(&cert, "certificate", blocks[3]))
		goto done; /* the rows of the blocks say why */

	bundles_checked++;
	ocspkit_cert_id_value v;
	ocspkit_err e = ocspkit_cert_id_for_cert(&v, OCSPKIT_HASH_SHA1, ca.cert, cert.cert);
	ocspkit_cert_id computed = ocspkit_cert_id_value_view(&v);
	CHECK_ITEM(what, e == OCSPKIT_OK && ocspkit_request_get_single_count(req.req) == 1 &&
			 ocspkit_cert_id_equal(&computed, &ocspkit_request_get_single(req.req, 0)->cert_id),
		   "the request's CertID is not the SHA-1 CertID of CERTIFICATE by CA CERTIFICATE (%s)",
		   ocspkit_strerror_name(e));
done:
	result_clear(&req);
	result_clear(&resp);
	result_clear(&ca);
	result_clear(&cert);
}

/* A request whose expectation names a response of the same folder (pyca's
 * ocsp-army requests): "NOT present" in it, or "matches a status=S
 * [reason=R] entry (revoked TIME)". */
static void check_request_against(const manifest_entry *m, const uint8_t *der, size_t len)
{
	const char *e = m->expected, *dot = strstr(e, ".der");
	char other[4096], what[4200], want_reason[64] = "", want_time[32] = "";
	if (!dot)
		return;
	const char *start = dot;
	while (start > e && start[-1] != ' ')
		start--;
	const char *slash = strrchr(m->path, '/');
	snprintf(other, sizeof(other), "%s/%.*s%.*s.der", vectors_dir, slash ? (int)(slash - m->path + 1) : 0, m->path,
		 (int)(dot - start), start);
	snprintf(what, sizeof(what), "%s (looked up in %.*s.der)", m->path, (int)(dot - start), start);
	int is_response = 0;
	for (size_t i = 0; i < manifest_n; i++)
		if (strcmp(manifest[i].kind, "ocsp-response") == 0 &&
		    strcmp(other + strlen(vectors_dir) + 1, manifest[i].path) == 0)
			is_response = 1;
	if (!is_response)
		return; /* a certificate, say */

	const char *want;
	if (strstr(e, "NOT present"))
		want = "NOT_FOUND";
	else if (strstr(e, "matches a status=good"))
		want = "good";
	else if (strstr(e, "matches a status=revoked"))
		want = "revoked";
	else {
		fail(what, "cannot read the MANIFEST's expectation '%s'", e);
		return;
	}
	const char *p;
	if ((p = strstr(e, "reason=")))
		sscanf(p, "reason=%63[A-Za-z]", want_reason);
	if ((p = strstr(e, "(revoked ")))
		sscanf(p, "(revoked %20[0-9T:Z-])", want_time);

	size_t rlen;
	uint8_t *rder = read_all(other, &rlen);
	result req, resp;
	memset(&resp, 0, sizeof(resp));
	if (!rder) {
		fail(what, "cannot read %s", other);
		return;
	}
	if (decode_lenient(&req, "request", (ocspkit_bytes){ der, len }) == OCSPKIT_OK &&
	    decode_lenient(&resp, "response", (ocspkit_bytes){ rder, rlen }) == OCSPKIT_OK &&
	    ++pairs_checked)
		check_lookup(what, &req, &resp, want, want_reason[0] ? want_reason : NULL,
			     want_time[0] ? want_time : NULL);
	else
		fail(what, "request or response does not decode");
	result_clear(&req);
	result_clear(&resp);
	free(rder);
}

/* ---------------------------------------------------------------- files */

/* Every PEM block of a file: OCSP messages and certificates are items,
 * other blocks (keys) are not. */
static void run_pem(const manifest_entry *m, const char *text, size_t len)
{
	size_t pos = 0, n_resp = 0, n_req = 0, n_cert = 0, n_ca = 0, n_items = 0;
	ocspkit_bytes blocks[4] = { { 0 } }; /* request, response, CA, certificate */
	for (;;) {
		uint8_t *der;
		size_t der_len, end;
		ocspkit_bytes label;
		ocspkit_err e = text_pem_decode(&der, &der_len, text + pos, len - pos, NULL, &label, &end);
		if (e == OCSPKIT_E_PEM_NO_BLOCK)
			break;
		if (e) {
			fail(m->path, "PEM block after offset %zu: %s", pos, ocspkit_strerror_name(e));
			break;
		}
		char lab[64], item[4200], buf[2048];
		const char *dec = NULL, *note = NULL;
		size_t *count = NULL;
		snprintf(lab, sizeof(lab), "%.*s", (int)label.len, (const char *)label.data);
		if (strcmp(lab, "OCSP RESPONSE") == 0)
			dec = "response", count = &n_resp;
		else if (strcmp(lab, "OCSP REQUEST") == 0)
			dec = "request", count = &n_req;
		else if (strcmp(lab, "CERTIFICATE") == 0)
			dec = "certificate", count = &n_cert;
		else if (strcmp(lab, "CA CERTIFICATE") == 0)
			dec = "certificate", count = &n_ca;
		if (dec) {
			size_t k = ++*count;
			if (k == 1)
				snprintf(item, sizeof(item), "%s#%s", m->path, lab);
			else
				snprintf(item, sizeof(item), "%s#%s#%zu", m->path, lab, k);
			if (strcmp(dec, "certificate") != 0)
				note = openssl_note(buf, sizeof(buf), m->notes, lab, k == 1);
			run_item(item, dec, der, der_len, note);
			n_items++;
		}
		int slot = strcmp(lab, "OCSP REQUEST") == 0	  ? 0
			   : strcmp(lab, "OCSP RESPONSE") == 0	  ? 1
			   : strcmp(lab, "CA CERTIFICATE") == 0 ? 2
			   : strcmp(lab, "CERTIFICATE") == 0	  ? 3
								  : -1;
		if (slot >= 0 && !blocks[slot].data) {
			blocks[slot] = (ocspkit_bytes){ der, der_len };
			der = NULL;
		}
		free(der);
		pos += end;
	}
	if (blocks[0].data && blocks[1].data && blocks[2].data && blocks[3].data)
		check_bundle(m, blocks);
	for (int i = 0; i < 4; i++)
		free((void *)blocks[i].data);
	if (strcmp(m->kind, "ocsp-response") == 0)
		CHECK_ITEM(m->path, n_resp == 1, "%zu OCSP RESPONSE blocks, want 1", n_resp);
	else if (strcmp(m->kind, "ocsp-request") == 0)
		CHECK_ITEM(m->path, n_req == 1, "%zu OCSP REQUEST blocks, want 1", n_req);
	else
		CHECK_ITEM(m->path, n_items > 0, "no PEM block of OCSP messages or certificates");
}

/* Corpus blobs: which decoder reads them, by folder. */
static const struct {
	const char *prefix;
	const char *decoders[2];
} corpus_rules[] = {
	{ "gnutls-fuzz-req/", { "request", NULL } },
	{ "gnutls-fuzz-resp/", { "response", NULL } },
	{ "boringssl-fuzz/ocsp_parse_ocsp_response_fuzzer_corpus/", { "response", NULL } },
	{ "boringssl-fuzz/ocsp_parse_ocsp_cert_id_fuzzer_corpus/", { "CertID", "CertID+request" } },
	{ "boringssl-fuzz/ocsp_parse_ocsp_response_data_fuzzer_corpus/", { "ResponseData", "ResponseData+response" } },
	{ "boringssl-fuzz/ocsp_parse_ocsp_single_response_fuzzer_corpus/",
	  { "SingleResponse", "SingleResponse+response" } },
	/* fuzz/x509.c input: certificates, a CRL, then an OCSPResponse at the
	 * offset the MANIFEST gives */
	{ "openssl-fuzz-x509/", { "response", NULL } },
};

static void run_entry(const manifest_entry *m)
{
	char path[4096], buf[2048];
	size_t len;
	uint8_t *data;

	if (strcmp(m->kind, "key") == 0)
		return;
	snprintf(path, sizeof(path), "%s/%s", vectors_dir, m->path);
	if (!(data = read_all(path, &len))) {
		fail(m->path, "listed in MANIFEST.tsv but cannot be read: %s", strerror(errno));
		return;
	}
	const char *note = openssl_note(buf, sizeof(buf), m->notes, NULL, 1);

	if (strcmp(m->encoding, "pem") == 0) {
		char *text = realloc(data, len + 1);
		if (!text)
			abort();
		text[len] = 0;
		run_pem(m, text, len);
		free(text);
		return;
	}
	if (strcmp(m->encoding, "b64") == 0) {
		uint8_t *der;
		size_t der_len;
		ocspkit_err e = text_base64_decode(&der, &der_len, (const char *)data, len, TEXT_BASE64_SKIP_SPACE);
		free(data);
		if (e) {
			fail(m->path, "base64: %s", ocspkit_strerror_name(e));
			return;
		}
		data = malloc(der_len ? der_len : 1);
		if (!data)
			abort();
		memcpy(data, der, der_len);
		free(der);
		len = der_len;
	} else if (strcmp(m->encoding, "der") != 0) {
		fail(m->path, "unknown encoding '%s'", m->encoding);
		free(data);
		return;
	}

	if (strcmp(m->kind, "ocsp-request") == 0) {
		run_item(m->path, "request", data, len, note);
		check_request_against(m, data, len);
	} else if (strcmp(m->kind, "ocsp-response") == 0) {
		run_item(m->path, "response", data, len, note);
	} else if (strcmp(m->kind, "certificate") == 0) {
		run_item(m->path, "certificate", data, len, NULL);
	} else if (strcmp(m->kind, "corpus-blob") == 0) {
		size_t i, n = sizeof(corpus_rules) / sizeof(corpus_rules[0]);
		for (i = 0; i < n; i++)
			if (strncmp(m->path, corpus_rules[i].prefix, strlen(corpus_rules[i].prefix)) == 0)
				break;
		if (i == n) {
			fail(m->path, "corpus blob in a folder test_vectors.c has no rule for");
		} else {
			size_t at = 0, end = len;
			const char *o = strstr(m->notes, "OCSPResponse at byte offset ");
			if (strncmp(m->path, "openssl-fuzz-x509/", 18) == 0) {
				at = o ? (size_t)strtoul(o + strlen("OCSPResponse at byte offset "), NULL, 10) : len + 1;
				CHECK_ITEM(m->path, at < len, "no OCSPResponse offset in its MANIFEST note");
				if (at >= len)
					at = len;
				/* d2i_OCSP_RESPONSE reads one DER object and the harness
				 * ignores what follows it: the message is that object */
				okit_dctx c = okit_ctx(NULL, 0);
				const uint8_t *p = data + at;
				size_t left = len - at;
				okit_tlv t;
				if (at < len && okit_der_next(&c, &p, &left, &t) == OCSPKIT_OK)
					end = at + t.tlv_len;
			}
			for (int k = 0; k < 2 && corpus_rules[i].decoders[k]; k++)
				run_item(m->path, corpus_rules[i].decoders[k], data + at, end - at, note);
		}
	} else {
		fail(m->path, "kind '%s' with encoding '%s' is not handled", m->kind, m->encoding);
	}
	free(data);
}

int main(void)
{
	const char *dir = getenv("OCSPKIT_VECTORS"), *srcdir = getenv("OCSPKIT_SRCDIR");
	char probe[4096];

	if (!dir || !*dir) {
		printf("OCSPKIT_VECTORS is not set: skipped\n");
		return 77;
	}
	snprintf(probe, sizeof(probe), "%s/MANIFEST.tsv", dir);
	FILE *f = fopen(probe, "r");
	if (!f) {
		printf("%s: absent: skipped\n", probe);
		return 77;
	}
	fclose(f);
	vectors_dir = strdup(dir);
	CHECK_OK(okit_schema_init());
	if (load_manifest() != 0 || load_table(srcdir && *srcdir ? srcdir : ".") != 0) {
		fprintf(stderr, "cannot read MANIFEST.tsv or tests/codec/vectors-expected.tsv\n");
		return 99;
	}

	for (size_t i = 0; i < manifest_n; i++)
		run_entry(&manifest[i]);

	for (size_t i = 0; i < rows_n; i++)
		if (!rows[i].used)
			fail(rows[i].item, "vectors-expected.tsv:%d: row (%s, %s) matches no item of the vectors",
			     rows[i].line, rows[i].decoder, rows[i].flags);

	printf("%-24s %6s %8s %10s %15s\n", "decoder", "ok", "refused", "flag rows", "OpenSSL differs");
	for (size_t i = 0; i < MAX_DECODERS && stats[i].decoder; i++)
		printf("%-24s %6d %8d %10d %15d\n", stats[i].decoder, stats[i].ok, stats[i].refused, stats[i].flag_rows,
		       stats[i].openssl_differs);

	printf("cross-checked: %d request/response/certificate bundles, %d request/response pairs\n",
	       bundles_checked, pairs_checked);

	free(rows);
	free(manifest);
	free(table_text);
	free(manifest_text);
	free(vectors_dir);
	CHECK_DONE();
}
