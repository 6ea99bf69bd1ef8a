/* A CFSSL certdb as a revocation source (source_sql.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ca.h"
#include "source_sql.h"
#include "sql_row.h"

enum { REC_REVOKED = 1, REC_HAS_REASON = 2, REC_DELETED = 4 };

/* One row in memory: 40 octets. */
typedef struct {
	int64_t revoked_at;
	int64_t expiry;      /* INT64_MAX: none */
	uint8_t ca;          /* the CA group (sql_ca.group) */
	uint8_t serial_len;
	uint8_t flags;
	uint8_t reason;
	uint8_t serial[RSP_SQL_MAX_SERIAL];
} sql_rec;
_Static_assert(sizeof(sql_rec) == 40, "a row is 40 octets");

/* A sorted array of rows, shared by the snapshots that use it. */
typedef struct {
	long refs; /* atomic */
	size_t n, cap;
	sql_rec *recs;
} sql_table;

typedef struct {
	const ocspkit_cert *cert;
	uint8_t key_hash[20];
	uint8_t aki[RSP_SQL_MAX_AKI];
	size_t aki_len;
	uint8_t group; /* the first CA of the same keyIdentifier */
	char aki_hex[2 * RSP_SQL_MAX_AKI + 1];
} sql_ca;

typedef struct sql_source sql_source;

typedef struct {
	rsp_snapshot base;
	sql_table *table;   /* shared */
	sql_table *overlay; /* this snapshot's own: changed rows, REC_DELETED for gone ones */
	const sql_source *src;
} sql_snapshot;

struct sql_source {
	rsp_source base;
	rsp_sql_source_opts o;
	char *uri, *passfile, *label;
	sql_ca cas[RSP_SQL_MAX_CAS];
	size_t n_cas;
	const char *akis[RSP_SQL_MAX_CAS];
	size_t n_akis;
	rsp_sql_backend *db;
	int have_data, down;
	int64_t last_full, next_try;
	unsigned backoff;
	unsigned long skipped[RSP_SQL_SKIP_REASONS];
};

static const rsp_source_ops sql_ops;

/* ---------------------------------------------------------------- tables */

static int rec_cmp(const sql_rec *a, const sql_rec *b)
{
	if (a->ca != b->ca)
		return a->ca < b->ca ? -1 : 1;
	if (a->serial_len != b->serial_len)
		return a->serial_len < b->serial_len ? -1 : 1;
	return memcmp(a->serial, b->serial, a->serial_len);
}

static int rec_qcmp(const void *a, const void *b)
{
	return rec_cmp(a, b);
}

static sql_table *table_new(size_t cap)
{
	sql_table *t = calloc(1, sizeof(*t));
	if (t && cap && !(t->recs = malloc(cap * sizeof(*t->recs)))) {
		free(t);
		return NULL;
	}
	if (t) {
		t->refs = 1;
		t->cap = cap;
	}
	return t;
}

static void table_release(sql_table *t)
{
	if (t && __atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		free(t->recs);
		free(t);
	}
}

static int table_push(sql_table *t, const sql_rec *r)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		sql_rec *n = realloc(t->recs, cap * sizeof(*n));
		if (!n)
			return -1;
		t->recs = n;
		t->cap = cap;
	}
	t->recs[t->n++] = *r;
	return 0;
}

/* The index of the row of key k in t, or of where it would go (*found 0). */
static size_t table_find(const sql_table *t, const sql_rec *k, int *found)
{
	size_t lo = 0, hi = t ? t->n : 0;
	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = rec_cmp(&t->recs[mid], k);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Sorts t and keeps one row per key: a revoked one when the table holds
 * both (two rows of one key: the safe one). */
static void table_sort(sql_table *t)
{
	if (t->n < 2)
		return;
	qsort(t->recs, t->n, sizeof(*t->recs), rec_qcmp);
	size_t w = 0;
	for (size_t i = 1; i < t->n; i++) {
		if (rec_cmp(&t->recs[w], &t->recs[i]) == 0) {
			if ((t->recs[i].flags & REC_REVOKED) && !(t->recs[w].flags & REC_REVOKED))
				t->recs[w] = t->recs[i];
		} else {
			t->recs[++w] = t->recs[i];
		}
	}
	t->n = w + 1;
}

/* ---------------------------------------------------------------- snapshots */

static int find_ca(const sql_source *x, const rsp_lookup *q)
{
	for (size_t i = 0; i < x->n_cas; i++)
		if (q->issuer && q->issuer == x->cas[i].cert)
			return x->cas[i].group;
	if (q->issuer_key_hash.len == 20)
		for (size_t i = 0; i < x->n_cas; i++)
			if (memcmp(q->issuer_key_hash.data, x->cas[i].key_hash, 20) == 0)
				return x->cas[i].group;
	return -1;
}

static ocspkit_err sql_lookup(const rsp_snapshot *snap, const rsp_lookup *q, rsp_status *st)
{
	const sql_snapshot *s = (const sql_snapshot *)snap;
	const sql_source *x = s->src;
	int ca = find_ca(x, q);
	st->status = OCSPKIT_CERT_UNKNOWN;
	if (ca < 0 || q->serial.len == 0 || q->serial.len > RSP_SQL_MAX_SERIAL)
		return OCSPKIT_OK;
	sql_rec k;
	memset(&k, 0, sizeof(k));
	k.ca = (uint8_t)ca;
	k.serial_len = (uint8_t)q->serial.len;
	memcpy(k.serial, q->serial.data, q->serial.len);
	int found;
	const sql_rec *r = NULL;
	size_t i = table_find(s->overlay, &k, &found);
	if (found)
		r = &s->overlay->recs[i];
	else if ((i = table_find(s->table, &k, &found)), found)
		r = &s->table->recs[i];
	if (!r || (r->flags & REC_DELETED))
		return OCSPKIT_OK;
	if (x->o.expired_grace >= 0 && r->expiry != INT64_MAX) {
		int64_t now = x->o.clock ? x->o.clock() : (int64_t)time(NULL);
		if (now > r->expiry && now - r->expiry > x->o.expired_grace)
			return OCSPKIT_OK;
	}
	if (r->flags & REC_REVOKED) {
		st->status = OCSPKIT_CERT_REVOKED;
		st->revocation_time = r->revoked_at;
		st->has_reason = (r->flags & REC_HAS_REASON) != 0;
		st->reason = st->has_reason ? r->reason : 0;
	} else {
		st->status = OCSPKIT_CERT_GOOD;
	}
	return OCSPKIT_OK;
}

static int sql_each(const rsp_snapshot *snap, rsp_each_fn fn, void *ctx)
{
	const sql_snapshot *s = (const sql_snapshot *)snap;
	const sql_table *t = s->table, *o = s->overlay;
	size_t i = 0, j = 0, nt = t ? t->n : 0, no = o ? o->n : 0;
	while (i < nt || j < no) {
		const sql_rec *r;
		int c = i == nt ? 1 : j == no ? -1 : rec_cmp(&t->recs[i], &o->recs[j]);
		if (c < 0) {
			r = &t->recs[i++];
		} else {
			r = &o->recs[j++];
			if (c == 0)
				i++;
		}
		if (r->flags & REC_DELETED)
			continue;
		int rc = fn(ctx, (ocspkit_bytes){ r->serial, r->serial_len }, s->src->uri);
		if (rc)
			return rc;
	}
	return 0;
}

static void sql_describe(const rsp_source *src, char *out, size_t cap)
{
	snprintf(out, cap, "%s", ((const sql_source *)src)->uri);
}

static void sql_free_snapshot(rsp_snapshot *snap)
{
	sql_snapshot *s = (sql_snapshot *)snap;
	table_release(s->table);
	table_release(s->overlay);
	free(s);
}

static void sql_destroy(rsp_source *src)
{
	sql_source *x = (sql_source *)src;
	rsp_source_clear(src);
	if (x->db)
		x->o.backend->close(x->db);
	free(x->uri);
	free(x->passfile);
	free(x->label);
	free(x);
}

/* ---------------------------------------------------------------- rows */

/* Fills *r from row: RSP_SQL_ROW_OK, or why not; *keyed says whether the
 * row's CA and serial are known all the same (a changed row that no
 * longer reads makes its serial unknown). */
static rsp_sql_skip row_rec(const sql_source *x, const rsp_sql_row *row, sql_rec *r, int *keyed)
{
	rsp_sql_entry e;
	rsp_sql_skip why = rsp_sql_row_parse(row, &e);
	*keyed = 0;
	memset(r, 0, sizeof(*r));
	if (why == RSP_SQL_SKIP_SERIAL || why == RSP_SQL_SKIP_AKI)
		return why;
	size_t i = 0;
	while (i < x->n_cas && (x->cas[i].aki_len != e.aki_len || memcmp(x->cas[i].aki, e.aki, e.aki_len) != 0))
		i++;
	if (i == x->n_cas || (x->label && (!row->ca_label || strcmp(row->ca_label, x->label) != 0)))
		return RSP_SQL_SKIP_OTHER_CA;
	*keyed = 1;
	r->ca = x->cas[i].group;
	r->serial_len = e.serial_len;
	memcpy(r->serial, e.serial, e.serial_len);
	if (why != RSP_SQL_ROW_OK) {
		r->flags = REC_DELETED;
		return why;
	}
	r->flags = (uint8_t)((e.revoked ? REC_REVOKED : 0) | (e.has_reason ? REC_HAS_REASON : 0));
	r->reason = e.reason;
	r->revoked_at = e.revoked ? e.revoked_at : 0;
	r->expiry = e.has_expiry ? e.expiry : INT64_MAX;
	return RSP_SQL_ROW_OK;
}

typedef struct {
	sql_source *x;
	sql_table *t;
	unsigned long skipped[RSP_SQL_SKIP_REASONS];
	unsigned long rows, revoked, deleted;
	int nomem;
	int incremental; /* keep the rows that no longer read, as deletions */
} load_ctx;

static int take_row(void *ctx, const rsp_sql_row *row)
{
	load_ctx *c = ctx;
	sql_rec r;
	int keyed;
	rsp_sql_skip why = row_rec(c->x, row, &r, &keyed);
	c->rows++;
	if (c->x->o.log && c->rows % c->x->o.progress == 0 && !c->incremental) {
		char line[200];
		snprintf(line, sizeof(line), "%s: %lu rows read", c->x->uri, c->rows);
		c->x->o.log(c->x->o.log_ctx, line);
	}
	/* a NULL status in a change: the row was deleted */
	if (why != RSP_SQL_ROW_OK && !(why == RSP_SQL_SKIP_STATUS && !row->status && c->incremental))
		c->skipped[why]++;
	if (why != RSP_SQL_ROW_OK && !(c->incremental && keyed))
		return 0;
	if (r.flags & REC_REVOKED)
		c->revoked++;
	if (r.flags & REC_DELETED)
		c->deleted++;
	if (table_push(c->t, &r) != 0) {
		c->nomem = 1;
		return 1;
	}
	return 0;
}

/* ", skipped: 2 bad serial_number, 1 reason not a CRLReason" */
static void skipped_text(char *out, size_t cap, const unsigned long *skipped)
{
	size_t n = 0;
	out[0] = 0;
	for (int i = 1; i < RSP_SQL_SKIP_REASONS && n < cap; i++)
		if (skipped[i] && i != RSP_SQL_SKIP_OTHER_CA)
			n += (size_t)snprintf(out + n, cap - n, "%s%lu %s", n ? ", " : ", skipped: ", skipped[i],
					      rsp_sql_skip_name((rsp_sql_skip)i));
}

/* ---------------------------------------------------------------- polls */

static size_t count_entries(const sql_table *t, const sql_table *o)
{
	size_t n = t->n;
	for (size_t i = 0; o && i < o->n; i++) {
		int found;
		table_find(t, &o->recs[i], &found);
		if (found && (o->recs[i].flags & REC_DELETED))
			n--;
		else if (!found && !(o->recs[i].flags & REC_DELETED))
			n++;
	}
	return n;
}

static int publish(sql_source *x, sql_table *t, sql_table *o, int64_t now, const char *msg)
{
	sql_snapshot *s = calloc(1, sizeof(*s));
	if (!s) {
		table_release(t);
		table_release(o);
		return -1;
	}
	rsp_snapshot_init(&s->base, &sql_ops, count_entries(t, o), now);
	s->table = t;
	s->overlay = o;
	s->src = x;
	rsp_source_publish(&x->base, &s->base, now, msg);
	return 0;
}

/* After publish (rc): a snapshot that could not be made leaves the data
 * in use behind the database, whose changes have been taken: the next
 * poll reads the whole table. */
static rsp_poll_result published(sql_source *x, int rc, int full, int64_t now, char *msg, size_t cap)
{
	if (rc != 0) {
		x->have_data = 0;
		snprintf(msg, cap, "%s: out of memory", x->uri);
		rsp_source_refuse(&x->base, now, msg);
		return RSP_POLL_REFUSED;
	}
	if (full) {
		x->last_full = now;
		x->have_data = 1;
	}
	return RSP_POLL_LOADED;
}

/* The database cannot be used: refused once per outage, then retried
 * with a backoff. */
static rsp_poll_result lost(sql_source *x, int64_t now, const char *why, char *msg, size_t cap)
{
	x->backoff = x->backoff ? (x->backoff * 2 > 60 ? 60 : x->backoff * 2) : 1;
	x->next_try = now + x->backoff;
	if (x->down)
		return RSP_POLL_UNCHANGED;
	x->down = 1;
	snprintf(msg, cap, "%s: %s (the database is down; retrying with a backoff up to 60 s)", x->uri, why);
	rsp_source_refuse(&x->base, now, msg);
	return RSP_POLL_REFUSED;
}

static rsp_poll_result full_load(sql_source *x, int64_t now, int back, char *msg, size_t cap)
{
	char err[256] = "";
	load_ctx c;
	memset(&c, 0, sizeof(c));
	c.x = x;
	if (!(c.t = table_new(0)))
		return published(x, -1, 0, now, msg, cap);
	int rc = x->o.backend->load_all(x->db, x->akis, x->n_akis, take_row, &c, err, sizeof(err));
	if (rc != 0 || c.nomem) {
		table_release(c.t);
		if (c.nomem)
			return published(x, -1, 0, now, msg, cap);
		return lost(x, now, err, msg, cap);
	}
	table_sort(c.t);
	/* one line per reason, when the counts change */
	if (x->o.log && memcmp(x->skipped, c.skipped, sizeof(c.skipped)) != 0)
		for (int i = 1; i < RSP_SQL_SKIP_REASONS; i++)
			if (c.skipped[i] && i != RSP_SQL_SKIP_OTHER_CA) {
				char line[300];
				snprintf(line, sizeof(line), "%s: %lu rows skipped: %s", x->uri, c.skipped[i],
					 rsp_sql_skip_name((rsp_sql_skip)i));
				x->o.log(x->o.log_ctx, line);
			}
	memcpy(x->skipped, c.skipped, sizeof(c.skipped));
	char sk[200];
	skipped_text(sk, sizeof(sk), c.skipped);
	snprintf(msg, cap, "%s: %zu certificates (%lu revoked) of %lu rows%s%s", x->uri, c.t->n, c.revoked, c.rows, sk,
		 back ? " (database back)" : "");
	return published(x, publish(x, c.t, NULL, now, msg), 1, now, msg, cap);
}

/* Applies the changed rows of c to the current snapshot: a new overlay,
 * merged into a new table when it grows large. */
static rsp_poll_result apply_changes(sql_source *x, load_ctx *c, int64_t now, char *msg, size_t cap)
{
	rsp_snapshot *cur = rsp_source_acquire(&x->base);
	if (!cur)
		return full_load(x, now, 0, msg, cap);
	const sql_snapshot *s = (const sql_snapshot *)cur;
	size_t old = s->overlay ? s->overlay->n : 0;
	sql_table *o = table_new(old + c->t->n + 1);
	if (!o) {
		rsp_snapshot_release(cur);
		return published(x, -1, 0, now, msg, cap);
	}
	if (old)
		memcpy(o->recs, s->overlay->recs, old * sizeof(*o->recs));
	o->n = old;
	for (size_t i = 0; i < c->t->n; i++) {
		int found;
		size_t at = table_find(o, &c->t->recs[i], &found);
		if (!found) {
			memmove(o->recs + at + 1, o->recs + at, (o->n - at) * sizeof(*o->recs));
			o->n++;
		}
		o->recs[at] = c->t->recs[i];
	}
	sql_table *t = s->table;
	__atomic_add_fetch(&t->refs, 1, __ATOMIC_ACQ_REL);
	rsp_snapshot_release(cur);
	if (o->n > 1024 + t->n / 16) {
		/* merge: the overlay wins, deletions dropped */
		sql_table *m = table_new(t->n + o->n);
		if (m) {
			size_t i = 0, j = 0;
			while (i < t->n || j < o->n) {
				int d = i == t->n ? 1 : j == o->n ? -1 : rec_cmp(&t->recs[i], &o->recs[j]);
				const sql_rec *r = d < 0 ? &t->recs[i++] : &o->recs[j++];
				if (d == 0)
					i++;
				if (!(r->flags & REC_DELETED))
					m->recs[m->n++] = *r;
			}
			table_release(t);
			table_release(o);
			t = m;
			o = NULL;
		}
	}
	char sk[200];
	skipped_text(sk, sizeof(sk), c->skipped);
	snprintf(msg, cap, "%s: %zu rows changed (%lu revoked, %lu gone)%s", x->uri, c->t->n, c->revoked, c->deleted,
		 sk);
	return published(x, publish(x, t, o, now, msg), 0, now, msg, cap);
}

static rsp_poll_result sql_poll(rsp_source *src, int64_t now, unsigned flags, char *msg, size_t cap)
{
	sql_source *x = (sql_source *)src;
	char err[256] = "";
	rsp_poll_result pr = RSP_POLL_UNCHANGED;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int whole = 1;
	if (!x->db || x->down) {
		if (now < x->next_try && !(flags & RSP_POLL_FORCE))
			return RSP_POLL_UNCHANGED;
		if (!x->db ? x->o.backend->open(&x->db, x->uri, x->passfile, err, sizeof(err)) != 0
			   : x->o.backend->reconnect(x->db, err, sizeof(err)) != 0) {
			return lost(x, now, err, msg, cap);
		}
		int back = x->down;
		x->down = 0;
		x->backoff = 0;
		/* what changed meanwhile is not known */
		pr = full_load(x, now, back, msg, cap);
	} else if ((flags & RSP_POLL_FORCE) || !x->have_data || now - x->last_full >= x->o.full_poll) {
		pr = full_load(x, now, 0, msg, cap);
	} else {
		whole = 0;
	}
	if (x->down || !x->have_data || (whole && !x->o.change_wait_ms))
		return pr;
	/* then the changes, until change_wait_ms has passed since the poll
	 * began, each batch published as it comes (a whole read above does
	 * not leave the rest of the wait without notifications) */
	for (int wait = x->o.change_wait_ms;;) {
		struct timespec t1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		wait = x->o.change_wait_ms - (int)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
		if (wait < 0)
			wait = 0;
		load_ctx c;
		memset(&c, 0, sizeof(c));
		c.x = x;
		c.incremental = 1;
		if (!(c.t = table_new(0)))
			return published(x, -1, 0, now, msg, cap);
		int rc = x->o.backend->changes(x->db, wait, take_row, &c, err, sizeof(err));
		rsp_poll_result r;
		if (rc < 0)
			r = lost(x, now, err, msg, cap);
		else if (rc == 2 || c.nomem)
			r = full_load(x, now, 0, msg, cap);
		else if (rc == 1 && c.t->n)
			r = apply_changes(x, &c, now, msg, cap);
		else
			r = RSP_POLL_UNCHANGED;
		table_release(c.t);
		if (r != RSP_POLL_UNCHANGED || pr == RSP_POLL_UNCHANGED)
			pr = r;
		if (rc != 1 || (r != RSP_POLL_LOADED && r != RSP_POLL_UNCHANGED) || wait == 0)
			return pr;
	}
}

static const rsp_source_ops sql_ops = {
	.kind = "db",
	.lookup = sql_lookup,
	.poll = sql_poll,
	.each = sql_each,
	.describe = sql_describe,
	.free_snapshot = sql_free_snapshot,
	.destroy = sql_destroy,
};

/* ---------------------------------------------------------------- set-up */

void rsp_sql_source_default_opts(rsp_sql_source_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->full_poll = RSP_SQL_DEFAULT_FULL_POLL;
	o->expired_grace = -1;
}

/* The keyIdentifier the CA's certificates carry: its subjectKeyIdentifier,
 * else the SHA-1 of its key. */
static void ca_key_id(sql_ca *c)
{
	static const uint8_t ski_oid[] = { 0x55, 0x1d, 0x0e };
	memcpy(c->aki, c->key_hash, 20);
	c->aki_len = 20;
	for (size_t i = 0, n = ocspkit_cert_get_extension_count(c->cert); i < n; i++) {
		const ocspkit_extension *e = ocspkit_cert_get_extension(c->cert, i);
		if (!e || e->oid.len != sizeof(ski_oid) || memcmp(e->oid.data, ski_oid, sizeof(ski_oid)) != 0)
			continue;
		/* OCTET STRING, short form */
		if (e->value.len >= 3 && e->value.data[0] == 0x04 && e->value.data[1] < 0x80 &&
		    (size_t)e->value.data[1] + 2 == e->value.len && e->value.data[1] <= RSP_SQL_MAX_AKI) {
			c->aki_len = e->value.data[1];
			memcpy(c->aki, e->value.data + 2, c->aki_len);
		}
		break;
	}
	for (size_t i = 0; i < c->aki_len; i++)
		snprintf(c->aki_hex + 2 * i, 3, "%02x", c->aki[i]);
}

ocspkit_err rsp_sql_source_new(rsp_source **out, const rsp_sql_source_opts *o, char *err, size_t cap)
{
	*out = NULL;
	const rsp_sql_backend_ops *ops = o->backend ? o->backend : rsp_sql_backend_find(o->uri, err, cap);
	if (!ops)
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (o->n_cas == 0 || o->n_cas > RSP_SQL_MAX_CAS) {
		snprintf(err, cap, "%s: from 1 to %d CAs", o->uri, RSP_SQL_MAX_CAS);
		return OCSPKIT_E_INVALID_ARGUMENT;
	}
	sql_source *x = calloc(1, sizeof(*x));
	if (!x || !(x->uri = strdup(o->uri)) || (o->passfile && !(x->passfile = strdup(o->passfile))) ||
	    (o->ca_label && !(x->label = strdup(o->ca_label)))) {
		if (x) {
			free(x->uri);
			free(x->passfile);
		}
		free(x);
		snprintf(err, cap, "out of memory");
		return OCSPKIT_E_NO_MEMORY;
	}
	x->o = *o;
	x->o.backend = ops;
	if (x->o.full_poll <= 0)
		x->o.full_poll = RSP_SQL_DEFAULT_FULL_POLL;
	if (!x->o.progress)
		x->o.progress = RSP_SQL_PROGRESS;
	x->n_cas = o->n_cas;
	for (size_t i = 0; i < o->n_cas; i++) {
		sql_ca *c = &x->cas[i];
		rsp_ca tmp;
		c->cert = o->cas[i];
		if (rsp_ca_init(&tmp, c->cert, NULL, NULL) != OCSPKIT_OK || tmp.ids[0].len != 20) {
			snprintf(err, cap, "%s: the key hash of CA %zu cannot be computed", o->uri, i + 1);
			free(x->uri);
			free(x->passfile);
			free(x->label);
			free(x);
			return OCSPKIT_E_INVALID_ARGUMENT;
		}
		memcpy(c->key_hash, tmp.ids[0].key, 20);
		ca_key_id(c);
		c->group = (uint8_t)i;
		for (size_t k = 0; k < i; k++)
			if (x->cas[k].aki_len == c->aki_len && memcmp(x->cas[k].aki, c->aki, c->aki_len) == 0) {
				c->group = x->cas[k].group;
				break;
			}
		if (c->group == i)
			x->akis[x->n_akis++] = c->aki_hex;
	}
	rsp_source_init(&x->base, &sql_ops);
	*out = &x->base;
	return OCSPKIT_OK;
}

void rsp_sql_source_skipped(rsp_source *src, unsigned long counts[], size_t n)
{
	const sql_source *x = (const sql_source *)src;
	for (size_t i = 0; i < n; i++)
		counts[i] = i < RSP_SQL_SKIP_REASONS ? x->skipped[i] : 0;
}

/* ---------------------------------------------------------------- backends */

const rsp_sql_backend_ops *rsp_sql_backend_find(const char *uri, char *err, size_t cap)
{
	if (uri && strncmp(uri, "sqlite:", 7) == 0) {
#ifdef OCSPKIT_WITH_SQLITE
		return &rsp_sql_sqlite_ops;
#else
		snprintf(err, cap, "%s: SQLite support was not built (configure found no sqlite3)", uri);
		return NULL;
#endif
	}
	if (uri && (strncmp(uri, "postgresql://", 13) == 0 || strncmp(uri, "postgres://", 11) == 0)) {
#ifdef OCSPKIT_WITH_LIBPQ
		return &rsp_sql_pg_ops;
#else
		snprintf(err, cap, "%s: this ocspkit was built without PostgreSQL (configure found no libpq)", "postgresql");
		return NULL;
#endif
	}
	snprintf(err, cap, "%s: not a database URI (sqlite:PATH or postgresql://...)", uri ? uri : "(null)");
	return NULL;
}
