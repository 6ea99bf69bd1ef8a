/* The SQL source's rows (responder/sql_row.c) and its snapshot
 * (responder/source_sql.c) fed by a fake database.
 *
 * The input is lines; a line of tab-separated fields is a row of
 * certificates (serial_number, authority_key_identifier, ca_label,
 * status, reason, revoked_at, expiry; "\N" is NULL, an AKI of "A" or "B"
 * the key identifier of the harness's CA A or B).  The rows before the
 * first line "--" are the table of the first load; each group after one
 * is a change: its rows written to the table (status NULL deletes), then
 * the source polled and told which rows changed (1), or, after "==",
 * only that something did (2), or, after "!!", that the database is lost
 * for one poll (it comes back at the next).
 *
 * Oracles:
 *  - every row: a serial that reads is the field's decimal written back
 *    (minimal INTEGER octets, at most 20); an AKI the field's hex; a time
 *    written back in the canonical form reads as the same time;
 *  - after every poll, the snapshot answers for every serial of the
 *    table what the model says: the model is the table as it was at the
 *    last publication, each row's status read by rsp_sql_row_parse (a
 *    row that does not read, or was deleted, is unknown); the snapshot's
 *    entries are the model's rows that read, and each() lists as many.
 */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "responder/ca.h"
#include "responder/source_sql.h"
#include "responder/sql_row.h"
#include "tests/lib/pki.h"

#define MAX_ROWS 128
#define FIELD 96

typedef struct {
	char f[7][FIELD];
	int null[7];
	int used;
} row;

/* the table of the fake database, keyed by (AKI, serial) as read */
typedef struct {
	row rows[MAX_ROWS];
	rsp_sql_entry key[MAX_ROWS];
} table;

static table db, model;
static row changed[MAX_ROWS];
static size_t n_changed;
static int changes_rc, lost_once;
static ocspkit_cert *ca[2];
static char aki_hex[2][41];
static uint8_t key_hash[2][20];

struct rsp_sql_backend {
	int unused;
};

static rsp_sql_row view(const row *r)
{
	const char *v[7];
	for (int i = 0; i < 7; i++)
		v[i] = r->null[i] ? NULL : r->f[i];
	return (rsp_sql_row){ v[0], v[1], v[2], v[3], v[4], v[5], v[6] };
}

static int f_open(rsp_sql_backend **out, const char *uri, const char *pf, char *err, size_t cap)
{
	(void)uri;
	(void)pf;
	(void)err;
	(void)cap;
	*out = malloc(sizeof(**out));
	return *out ? 0 : -1;
}

static int f_load_all(rsp_sql_backend *b, const char *const *akis, size_t n, rsp_sql_row_fn fn, void *ctx, char *err,
		      size_t cap)
{
	(void)b;
	(void)akis;
	(void)n;
	(void)err;
	(void)cap;
	for (size_t i = 0; i < MAX_ROWS; i++)
		if (db.rows[i].used) {
			rsp_sql_row r = view(&db.rows[i]);
			if (fn(ctx, &r))
				break;
		}
	return 0;
}

static int f_changes(rsp_sql_backend *b, int wait_ms, rsp_sql_row_fn fn, void *ctx, char *err, size_t cap)
{
	(void)b;
	(void)wait_ms;
	if (lost_once) {
		lost_once = 0;
		snprintf(err, cap, "lost");
		return -1;
	}
	if (changes_rc == 1)
		for (size_t i = 0; i < n_changed; i++) {
			rsp_sql_row r = view(&changed[i]);
			if (fn(ctx, &r))
				break;
		}
	return changes_rc;
}

static int f_reconnect(rsp_sql_backend *b, char *err, size_t cap)
{
	(void)b;
	(void)err;
	(void)cap;
	return 0;
}

static void f_close(rsp_sql_backend *b)
{
	free(b);
}

static const rsp_sql_backend_ops fake_ops = { "fake", f_open, f_load_all, f_changes, f_reconnect, f_close };

/* ---------------------------------------------------------------- oracles of one row */

static void check_serial(const char *text)
{
	uint8_t s[RSP_SQL_MAX_SERIAL];
	size_t n;
	if (rsp_sql_parse_serial(text, s, &n) != 0)
		return;
	ORACLE(n >= 1 && n <= RSP_SQL_MAX_SERIAL, "serial length %zu", n);
	ORACLE(!(s[0] & 0x80), "negative serial");
	ORACLE(n == 1 || s[0] || (s[1] & 0x80), "serial not minimal");
	/* back to decimal */
	uint8_t v[RSP_SQL_MAX_SERIAL];
	char dec[64];
	size_t d = 0;
	memcpy(v, s, n);
	for (;;) {
		unsigned rem = 0;
		int zero = 1;
		for (size_t i = 0; i < n; i++) {
			unsigned cur = rem * 256 + v[i];
			v[i] = (uint8_t)(cur / 10);
			rem = cur % 10;
			zero &= v[i] == 0;
		}
		dec[d++] = (char)('0' + rem);
		if (zero)
			break;
	}
	for (size_t i = 0; i < d / 2; i++) {
		char t = dec[i];
		dec[i] = dec[d - 1 - i];
		dec[d - 1 - i] = t;
	}
	dec[d] = 0;
	ORACLE(strcmp(dec, text) == 0, "serial %s read back as %s", text, dec);
}

static void check_time(const char *text)
{
	int64_t t, back;
	if (rsp_sql_parse_time(text, &t) != 0)
		return;
	char buf[OCSPKIT_TIME_STRING_SIZE];
	ocspkit_time_format(buf, t); /* 2026-11-22T01:57:04Z */
	if (t < 0 || t > 253402300799LL)
		return; /* outside what ocspkit_time_format writes */
	ORACLE(rsp_sql_parse_time(buf, &back) == 0 && back == t, "%s read as %lld, %s not the same", text,
	       (long long)t, buf);
}

static void check_row(const row *r)
{
	rsp_sql_row v = view(r);
	check_serial(v.serial_number);
	check_time(v.revoked_at);
	check_time(v.expiry);
	uint8_t aki[RSP_SQL_MAX_AKI];
	size_t n;
	if (v.authority_key_identifier &&
	    rsp_sql_parse_hex(v.authority_key_identifier, aki, sizeof(aki), &n) == 0) {
		ORACLE(2 * n == strlen(v.authority_key_identifier), "AKI length");
		for (size_t i = 0; i < n; i++) {
			char h[3];
			snprintf(h, sizeof(h), "%02x", aki[i]);
			ORACLE(tolower((unsigned char)v.authority_key_identifier[2 * i]) == h[0] &&
				       tolower((unsigned char)v.authority_key_identifier[2 * i + 1]) == h[1],
			       "AKI octet %zu", i);
		}
	}
	rsp_sql_entry e;
	rsp_sql_skip why = rsp_sql_row_parse(&v, &e);
	ORACLE(why >= RSP_SQL_ROW_OK && why < RSP_SQL_SKIP_OTHER_CA, "skip reason %d", (int)why);
	if (why == RSP_SQL_ROW_OK)
		ORACLE(!e.has_reason || (e.reason >= 1 && e.reason <= 10 && e.reason != 7), "reason %d", e.reason);
}

/* ---------------------------------------------------------------- the table */

/* Reads a line into r: 0, or -1 when it is not a row (too long, too few fields). */
static int read_row(const char *line, size_t len, row *r)
{
	memset(r, 0, sizeof(*r));
	size_t f = 0, o = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || line[i] == '\t') {
			if (f == 7)
				return -1;
			r->f[f][o] = 0;
			if (strcmp(r->f[f], "\\N") == 0)
				r->null[f] = 1;
			f++;
			o = 0;
			continue;
		}
		/* an eighth field: not a row (its first octet would land past r->f) */
		if (f == 7 || o == FIELD - 1 || line[i] == 0)
			return -1;
		r->f[f][o++] = line[i];
	}
	if (f != 7)
		return -1;
	/* A and B: the CAs' key identifiers */
	if (!r->null[1] && (strcmp(r->f[1], "A") == 0 || strcmp(r->f[1], "B") == 0))
		snprintf(r->f[1], FIELD, "%s", aki_hex[r->f[1][0] - 'A']);
	r->used = 1;
	return 0;
}

/* The key of r (serial and AKI read): 0, or -1 when it has none. */
static int key_of(const row *r, rsp_sql_entry *k)
{
	rsp_sql_row v = view(r);
	rsp_sql_skip why = rsp_sql_row_parse(&v, k);
	return why == RSP_SQL_SKIP_SERIAL || why == RSP_SQL_SKIP_AKI ? -1 : 0;
}

static int same_key(const rsp_sql_entry *a, const rsp_sql_entry *b)
{
	return a->serial_len == b->serial_len && memcmp(a->serial, b->serial, a->serial_len) == 0 &&
	       a->aki_len == b->aki_len && memcmp(a->aki, b->aki, a->aki_len) == 0;
}

/* Writes r to the table (a NULL status deletes). */
static void write_row(const row *r)
{
	rsp_sql_entry k;
	if (key_of(r, &k) != 0)
		return; /* the source cannot place it: neither can the model */
	size_t free_slot = MAX_ROWS;
	for (size_t i = 0; i < MAX_ROWS; i++) {
		if (db.rows[i].used && same_key(&db.key[i], &k)) {
			if (r->null[3])
				db.rows[i].used = 0;
			else
				db.rows[i] = *r;
			return;
		}
		if (!db.rows[i].used && free_slot == MAX_ROWS)
			free_slot = i;
	}
	if (r->null[3] || free_slot == MAX_ROWS)
		return;
	db.rows[free_slot] = *r;
	db.key[free_slot] = k;
}

static int count_each(void *ctx, ocspkit_bytes serial, const char *where)
{
	(void)serial;
	(void)where;
	++*(size_t *)ctx;
	return 0;
}

/* The snapshot answers what the model says. */
static void compare(rsp_source *src)
{
	rsp_snapshot *snap = rsp_source_acquire(src);
	if (!snap)
		return;
	size_t good_rows = 0;
	for (int pass = 0; pass < 2; pass++) {
		const table *t = pass ? &db : &model;
		for (size_t i = 0; i < MAX_ROWS; i++) {
			if (!t->rows[i].used)
				continue;
			const rsp_sql_entry *k = &t->key[i];
			int which = -1;
			for (int c = 0; c < 2; c++)
				if (k->aki_len == 20 && memcmp(k->aki, key_hash[c], 20) == 0)
					which = c;
			if (which < 0)
				continue;
			/* the model's row of this key */
			const row *m = NULL;
			for (size_t j = 0; j < MAX_ROWS; j++)
				if (model.rows[j].used && same_key(&model.key[j], k))
					m = &model.rows[j];
			rsp_sql_entry e;
			rsp_sql_row v;
			int want = OCSPKIT_CERT_UNKNOWN;
			if (m) {
				v = view(m);
				if (rsp_sql_row_parse(&v, &e) == RSP_SQL_ROW_OK)
					want = e.revoked ? OCSPKIT_CERT_REVOKED : OCSPKIT_CERT_GOOD;
			}
			if (pass == 0 && want != OCSPKIT_CERT_UNKNOWN)
				good_rows++;
			rsp_lookup q = { ca[which], { key_hash[which], 20 }, { k->serial, k->serial_len } };
			rsp_status st;
			ocspkit_err err = rsp_snapshot_lookup(snap, &q, &st);
			ORACLE(err == OCSPKIT_OK, "lookup: %s", ocspkit_strerror_name(err));
			ORACLE((int)st.status == want, "row %zu of %s: status %d, the model says %d", i,
			       pass ? "the table" : "the model", (int)st.status, want);
			if (want == OCSPKIT_CERT_REVOKED)
				ORACLE(st.revocation_time == e.revoked_at && st.has_reason == e.has_reason &&
					       (!e.has_reason || st.reason == e.reason),
				       "revocation details of row %zu", i);
		}
	}
	size_t listed = 0;
	ORACLE(rsp_snapshot_each(snap, count_each, &listed) == 0, "each");
	ORACLE(listed == good_rows && snap->entries == good_rows, "%zu listed, %zu entries, the model has %zu",
	       listed, snap->entries, good_rows);
	rsp_snapshot_release(snap);
}

static void init(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	for (int c = 0; c < 2; c++) {
		ocspkit_privkey *k = pki_ed25519_fixed((uint8_t)(0x51 + c));
		ca[c] = pki_ca_cert(c ? "SQL fuzz B" : "SQL fuzz A", k);
		ocspkit_privkey_free(k);
		rsp_ca tmp;
		if (rsp_ca_init(&tmp, ca[c], NULL, NULL) != OCSPKIT_OK)
			abort();
		memcpy(key_hash[c], tmp.ids[0].key, 20);
		for (int i = 0; i < 20; i++)
			snprintf(aki_hex[c] + 2 * i, 3, "%02x", key_hash[c][i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	init();
	memset(&db, 0, sizeof(db));
	memset(&model, 0, sizeof(model));
	n_changed = 0;
	changes_rc = 0;
	lost_once = 0;
	rsp_sql_source_opts o;
	rsp_sql_source_default_opts(&o);
	const ocspkit_cert *cas[2] = { ca[0], ca[1] };
	o.uri = "fake:fuzz";
	o.backend = &fake_ops;
	o.cas = cas;
	o.n_cas = 2;
	rsp_source *src;
	char err[200], msg[600];
	if (rsp_sql_source_new(&src, &o, err, sizeof(err)) != OCSPKIT_OK)
		return 0;
	int64_t now = 1800000000;
	int first = 1, steps = 0;
	const char *p = (const char *)data, *end = p + size;
	while (p <= end && steps <= 64) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		size_t len = (size_t)(nl - p);
		int sep = len == 2 && (!memcmp(p, "--", 2) || !memcmp(p, "==", 2) || !memcmp(p, "!!", 2));
		row r;
		if (!sep && read_row(p, len, &r) == 0) {
			check_row(&r);
			write_row(&r);
			if (!first && n_changed < MAX_ROWS)
				changed[n_changed++] = r;
		}
		if (sep || nl == end) {
			/* the group before: the first load, or a change */
			now += 1;
			if (rsp_source_poll(src, now, 0, msg, sizeof(msg)) == RSP_POLL_LOADED)
				model = db;
			compare(src);
			first = 0;
			n_changed = 0;
			steps++;
			if (sep) {
				changes_rc = p[0] == '=' ? 2 : 1;
				lost_once = p[0] == '!';
				if (lost_once)
					now += 100; /* past the backoff: the next poll reconnects */
			}
		}
		p = nl + 1;
	}
	rsp_source_free(src);
	return 0;
}
