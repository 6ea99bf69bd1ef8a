/* The OpenSSL CA database (index.txt); the format is described in index.h.
 * The one parser of index.txt in ocspkit: `ocspkit respond`, `serve` and
 * `presign` all read the file through it. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/text.h"
#include "index.h"

struct rsp_index {
	rsp_index_entry *entries; /* sorted by serial */
	size_t count;
	size_t by_type[3];         /* V, R, E */
	uint8_t *pool;             /* serial octets of every entry */
};

static ocspkit_err fail(rsp_index_error *err, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static ocspkit_err fail(rsp_index_error *err, size_t line, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		err->line = line;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return OCSPKIT_E_INVALID_ARGUMENT;
}

/* YYMMDDHHMMSSZ (UTCTime: 19YY from 50) or YYYYMMDDHHMMSSZ */
static int parse_time(const char *s, size_t n, int64_t *out)
{
	char buf[16];
	/* digits and a final Z only: ocspkit_time_parse reads a C string, and
	 * an embedded NUL would make it a shorter one (found by fuzzing) */
	if (n < 2 || s[n - 1] != 'Z')
		return -1;
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	if (n == 13) {
		int yy = (s[0] - '0') * 10 + (s[1] - '0');
		memcpy(buf, yy >= 50 ? "19" : "20", 2);
		memcpy(buf + 2, s, 13);
	} else if (n == 15) {
		memcpy(buf, s, 15);
	} else {
		return -1;
	}
	buf[15] = 0;
	return ocspkit_time_parse(out, buf) == OCSPKIT_OK ? 0 : -1;
}

/* Hex (as BN_bn2hex writes it; any case, odd length allowed) to minimal
 * positive INTEGER content octets, written at out (room for n / 2 + 2). */
static int parse_serial(const char *s, size_t n, uint8_t *out, size_t *out_len)
{
	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (text_hex_digit(s[i]) < 0)
			return -1;
	while (n > 1 && s[0] == '0') {
		s++;
		n--;
	}
	size_t bytes = (n + 1) / 2, o = 0;
	int pad = (n % 2 == 0) && text_hex_digit(s[0]) >= 8;
	if (bytes + (size_t)pad > OCSPKIT_MAX_SERIAL_SIZE)
		return -1;
	if (pad)
		out[o++] = 0;
	size_t i = 0;
	if (n % 2) {
		out[o++] = (uint8_t)text_hex_digit(s[0]);
		i = 1;
	}
	for (; i < n; i += 2)
		out[o++] = (uint8_t)(text_hex_digit(s[i]) << 4 | text_hex_digit(s[i + 1]));
	*out_len = o;
	return 0;
}

/* A dotted OID to content octets. */
static int parse_dotted_oid(const char *s, size_t n, uint8_t *out, size_t cap, size_t *out_len)
{
	uint64_t arcs[32];
	size_t na = 0, o = 0;
	for (size_t i = 0; i < n;) {
		uint64_t v = 0;
		size_t start = i;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (v > (UINT32_MAX - 9) / 10)
				return -1;
			v = v * 10 + (uint64_t)(s[i++] - '0');
		}
		if (i == start || na == 32 || (i - start > 1 && s[start] == '0'))
			return -1;
		arcs[na++] = v;
		if (i < n) {
			if (s[i] != '.' || i + 1 == n)
				return -1;
			i++;
		}
	}
	if (na < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40))
		return -1;
	arcs[1] += arcs[0] * 40;
	for (size_t k = 1; k < na; k++) {
		uint8_t tmp[10];
		size_t t = 0;
		uint64_t v = arcs[k];
		do {
			tmp[t++] = (uint8_t)(v & 0x7F);
			v >>= 7;
		} while (v);
		if (o + t > cap)
			return -1;
		while (t) {
			t--;
			out[o++] = (uint8_t)(tmp[t] | (t ? 0x80 : 0));
		}
	}
	*out_len = o;
	return 0;
}

static const struct {
	const char *name;
	ocspkit_crl_reason reason;
} reasons[] = {
	/* the order of openssl's crl_reasons[] (apps/ca.c) */
	{ "unspecified", OCSPKIT_REASON_UNSPECIFIED },
	{ "keyCompromise", OCSPKIT_REASON_KEY_COMPROMISE },
	{ "CACompromise", OCSPKIT_REASON_CA_COMPROMISE },
	{ "affiliationChanged", OCSPKIT_REASON_AFFILIATION_CHANGED },
	{ "superseded", OCSPKIT_REASON_SUPERSEDED },
	{ "cessationOfOperation", OCSPKIT_REASON_CESSATION_OF_OPERATION },
	{ "certificateHold", OCSPKIT_REASON_CERTIFICATE_HOLD },
	{ "removeFromCRL", OCSPKIT_REASON_REMOVE_FROM_CRL },
	{ "holdInstruction", OCSPKIT_REASON_CERTIFICATE_HOLD },
	{ "keyTime", OCSPKIT_REASON_KEY_COMPROMISE },
	{ "CAkeyTime", OCSPKIT_REASON_CA_COMPROMISE },
};

/* id-holdinstruction (1.2.840.10040.2) arcs, by OpenSSL's short and long names */
static const struct {
	const char *sn, *ln;
	uint8_t last;
} holds[] = {
	{ "holdInstructionNone", "Hold Instruction None", 1 },
	{ "holdInstructionCallIssuer", "Hold Instruction Call Issuer", 2 },
	{ "holdInstructionReject", "Hold Instruction Reject", 3 },
};

static int parse_hold(rsp_index_entry *e, const char *s, size_t n)
{
	static const uint8_t arc[] = { 0x2A, 0x86, 0x48, 0xCE, 0x38, 0x02 };
	for (size_t i = 0; i < sizeof(holds) / sizeof(holds[0]); i++) {
		if ((strlen(holds[i].sn) == n && memcmp(holds[i].sn, s, n) == 0) ||
		    (strlen(holds[i].ln) == n && memcmp(holds[i].ln, s, n) == 0)) {
			memcpy(e->hold, arc, sizeof(arc));
			e->hold[sizeof(arc)] = holds[i].last;
			e->hold_len = sizeof(arc) + 1;
			return 0;
		}
	}
	return parse_dotted_oid(s, n, e->hold, sizeof(e->hold), &e->hold_len);
}

static ocspkit_err parse_revocation(rsp_index_entry *e, const char *s, size_t n, size_t line,
				    rsp_index_error *err)
{
	const char *comma = memchr(s, ',', n);
	size_t tl = comma ? (size_t)(comma - s) : n;
	if (parse_time(s, tl, &e->revocation_time))
		return fail(err, line, "bad revocation time '%.*s'", (int)(tl > 40 ? 40 : tl), s);
	if (!comma)
		return OCSPKIT_OK;
	const char *r = comma + 1;
	size_t rl = n - tl - 1;
	const char *arg = memchr(r, ',', rl);
	size_t name_len = arg ? (size_t)(arg - r) : rl;
	const char *a = arg ? arg + 1 : NULL;
	size_t al = arg ? rl - name_len - 1 : 0;
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		if (strlen(reasons[i].name) != name_len || strncasecmp(reasons[i].name, r, name_len) != 0)
			continue;
		e->has_reason = 1;
		e->reason = reasons[i].reason;
		if (i == 8) { /* holdInstruction,<OID> */
			if (!a || parse_hold(e, a, al))
				return fail(err, line, "holdInstruction needs an instruction (an OID)");
		} else if (i == 9 || i == 10) { /* keyTime / CAkeyTime,<time> */
			if (!a || al != 15 || parse_time(a, al, &e->invalidity_date))
				return fail(err, line, "%s needs a compromise time (YYYYMMDDHHMMSSZ)", reasons[i].name);
			e->has_invalidity_date = 1;
		}
		return OCSPKIT_OK;
	}
	return fail(err, line, "unknown revocation reason '%.*s'", (int)(name_len > 40 ? 40 : name_len), r);
}

static int cmp_serial(ocspkit_bytes a, ocspkit_bytes b)
{
	if (a.len != b.len)
		return a.len < b.len ? -1 : 1;
	return memcmp(a.data, b.data, a.len);
}

static int cmp_entries(const void *pa, const void *pb)
{
	const rsp_index_entry *a = pa, *b = pb;
	int c = cmp_serial(a->serial, b->serial);
	if (c)
		return c;
	return a->line < b->line ? -1 : a->line > b->line;
}

static int type_slot(char t)
{
	return t == 'V' ? 0 : t == 'R' ? 1 : 2;
}

ocspkit_err rsp_index_parse(rsp_index **out, const uint8_t *data, size_t len, rsp_index_error *err)
{
	rsp_index *idx;
	size_t cap = 0, line_no = 0, pool_used = 0;
	ocspkit_err e = OCSPKIT_OK;

	if (err) {
		err->line = 0;
		err->msg[0] = 0;
	}
	*out = NULL;
	if (len > RSP_INDEX_MAX_SIZE) {
		fail(err, 0, "larger than %u bytes", RSP_INDEX_MAX_SIZE);
		return OCSPKIT_E_LIMIT_INPUT_SIZE;
	}
	if (!(idx = calloc(1, sizeof(*idx))) || !(idx->pool = malloc(len / 2 + 2))) {
		free(idx);
		return OCSPKIT_E_NO_MEMORY;
	}
	for (size_t pos = 0; pos < len;) {
		const char *line = (const char *)data + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		pos += ll + (nl ? 1 : 0);
		line_no++;
		if (ll && line[ll - 1] == '\r')
			ll--;
		if (ll == 0 || line[0] == '#')
			continue;
		const char *f[6];
		size_t fl[6], nf = 0;
		/* the subject, last, may itself hold TABs */
		for (const char *p = line, *end = line + ll; nf < 6;) {
			const char *tab = nf < 5 ? memchr(p, '\t', (size_t)(end - p)) : NULL;
			f[nf] = p;
			fl[nf] = tab ? (size_t)(tab - p) : (size_t)(end - p);
			nf++;
			if (!tab)
				break;
			p = tab + 1;
		}
		if (nf != 6) {
			e = fail(err, line_no, "%zu fields, 6 expected (status, expiry, revocation, serial, file, subject)",
				 nf);
			goto out;
		}
		if (idx->count == cap) {
			size_t ncap = cap ? 2 * cap : 64;
			rsp_index_entry *ne = realloc(idx->entries, ncap * sizeof(*ne));
			if (!ne) {
				e = OCSPKIT_E_NO_MEMORY;
				goto out;
			}
			idx->entries = ne;
			cap = ncap;
		}
		rsp_index_entry *ent = &idx->entries[idx->count];
		memset(ent, 0, sizeof(*ent));
		ent->line = line_no;
		if (fl[0] != 1 || (f[0][0] != 'V' && f[0][0] != 'R' && f[0][0] != 'E')) {
			e = fail(err, line_no, "status '%.*s' is not V, R or E", (int)(fl[0] > 8 ? 8 : fl[0]), f[0]);
			goto out;
		}
		ent->type = f[0][0];
		if (parse_time(f[1], fl[1], &ent->expiry)) {
			e = fail(err, line_no, "bad expiry time '%.*s'", (int)(fl[1] > 40 ? 40 : fl[1]), f[1]);
			goto out;
		}
		size_t sl;
		/* the pool has room: a serial takes at most half its hex digits + 1 */
		if (parse_serial(f[3], fl[3], idx->pool + pool_used, &sl)) {
			e = fail(err, line_no, "bad serial number '%.*s'", (int)(fl[3] > 40 ? 40 : fl[3]), f[3]);
			goto out;
		}
		ent->serial = (ocspkit_bytes){ idx->pool + pool_used, sl };
		pool_used += sl;
		if (ent->type == 'R') {
			if (fl[2] == 0) {
				e = fail(err, line_no, "a revoked entry without a revocation time");
				goto out;
			}
			if ((e = parse_revocation(ent, f[2], fl[2], line_no, err)) != OCSPKIT_OK)
				goto out;
		}
		idx->by_type[type_slot(ent->type)]++;
		idx->count++;
	}
	if (idx->count > 1) {
		qsort(idx->entries, idx->count, sizeof(*idx->entries), cmp_entries);
		for (size_t i = 1; i < idx->count; i++) {
			if (cmp_serial(idx->entries[i - 1].serial, idx->entries[i].serial) == 0) {
				e = fail(err, idx->entries[i].line, "serial number already on line %zu",
					 idx->entries[i - 1].line);
				goto out;
			}
		}
	}
out:
	if (e != OCSPKIT_OK) {
		rsp_index_free(idx);
		return e;
	}
	*out = idx;
	return OCSPKIT_OK;
}

void rsp_index_free(rsp_index *idx)
{
	if (!idx)
		return;
	free(idx->entries);
	free(idx->pool);
	free(idx);
}

size_t rsp_index_count(const rsp_index *idx)
{
	return idx->count;
}

const rsp_index_entry *rsp_index_get(const rsp_index *idx, size_t i)
{
	return i < idx->count ? &idx->entries[i] : NULL;
}

size_t rsp_index_count_type(const rsp_index *idx, char type)
{
	if (type != 'V' && type != 'R' && type != 'E')
		return 0;
	return idx->by_type[type_slot(type)];
}

const rsp_index_entry *rsp_index_find(const rsp_index *idx, ocspkit_bytes serial)
{
	size_t lo = 0, hi = idx->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_serial(idx->entries[mid].serial, serial);
		if (c == 0)
			return &idx->entries[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
