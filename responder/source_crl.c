/* A CA's CRLs as a revocation source (source_crl.h). */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/text.h"
#include "common/util.h"
#include "index.h"
#include "source_crl.h"
#include "stable.h"

/* Past the point where a URL's CRL should be fetched again (its
 * nextUpdate near or gone), this often. */
#define DUE_RETRY 60
/* Longest serial number kept in the issued list (content octets). */
#define MAX_SERIAL 32
/* Largest certificate file read from an issued directory. */
#define MAX_CERT_FILE (1u << 20)

/* ---------------------------------------------------------------- shared pieces */

/* A decoded CRL, shared by the snapshots that use it. */
typedef struct {
	long refs;
	ocspkit_crl *crl;
	int64_t this_update, next_update; /* next_update 0: none */
	int has_number;
	ocspkit_bytes number;             /* into crl */
} crl_ref;

/* The serials the CA issued, sorted, shared likewise. */
typedef struct {
	uint8_t len;
	uint8_t d[MAX_SERIAL];
} serial_slot;

typedef struct {
	long refs;
	size_t n;
	serial_slot *v;
	char kind[16];                    /* "index", "list", "directory" */
} issued_set;

static crl_ref *crl_ref_take(crl_ref *r)
{
	if (r)
		__atomic_add_fetch(&r->refs, 1, __ATOMIC_RELAXED);
	return r;
}

static void crl_ref_drop(crl_ref *r)
{
	if (r && __atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		ocspkit_crl_free(r->crl);
		free(r);
	}
}

static issued_set *issued_take(issued_set *s)
{
	if (s)
		__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
	return s;
}

static void issued_drop(issued_set *s)
{
	if (s && __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		free(s->v);
		free(s);
	}
}

static int slot_cmp(const void *a, const void *b)
{
	const serial_slot *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->d, y->d, x->len);
}

static int issued_has(const issued_set *s, ocspkit_bytes serial)
{
	serial_slot key;
	if (serial.len > MAX_SERIAL)
		return 0;
	key.len = (uint8_t)serial.len;
	memcpy(key.d, serial.data, serial.len);
	return bsearch(&key, s->v, s->n, sizeof(*s->v), slot_cmp) != NULL;
}

/* ---------------------------------------------------------------- snapshots */

typedef struct {
	rsp_snapshot base;
	crl_ref *full, *delta;   /* delta may be NULL */
	issued_set *issued;      /* NULL: no issued list, not listed is good */
	const char *where;       /* the complete CRL's, for each() */
} crl_snapshot;

/* Where an input comes from, and what it looked like when last read. */
typedef struct {
	char *where;             /* NULL: not configured */
	int url;
	int have_stat, missing;
	rsp_file_id seen;
	int64_t next_fetch;      /* URLs: when to fetch again; 0: at once */
	int64_t backoff;         /* the last wait after a failure; 0: none */
	int have_hash;
	uint64_t hash;           /* of the last bytes looked at (taken or refused) */
	size_t hash_len;
} input;

typedef struct {
	rsp_source base;
	const ocspkit_cert *ca;
	input full, delta, issued;
	int64_t refresh, grace;
	int stale_serve;
	unsigned flags, settle_ms;
	rsp_crl_fetch_fn fetch;
	void *fetch_ctx;
	long fetch_timeout;
	/* what the next snapshot is made of (poll's thread only) */
	crl_ref *cur_full, *cur_delta, *pending_delta;
	issued_set *cur_issued;
} crl_source;

static const rsp_source_ops crl_ops;

static void fill_revoked(rsp_status *st, const ocspkit_crl_entry *e)
{
	st->status = OCSPKIT_CERT_REVOKED;
	st->revocation_time = e->revocation_date;
	st->has_reason = e->has_reason;
	st->reason = e->has_reason ? (int32_t)e->reason : 0;
	st->has_invalidity_date = e->has_invalidity_date;
	st->invalidity_date = e->has_invalidity_date ? e->invalidity_date : 0;
	if (e->has_reason && e->reason == OCSPKIT_REASON_CERTIFICATE_HOLD && e->hold_instruction.len &&
	    e->hold_instruction.len <= RSP_STATUS_MAX_OID) {
		st->hold_len = (uint32_t)e->hold_instruction.len;
		memcpy(st->hold, e->hold_instruction.data, e->hold_instruction.len);
	}
}

static ocspkit_err crl_lookup(const rsp_snapshot *snap, const rsp_lookup *q, rsp_status *st)
{
	const crl_snapshot *s = (const crl_snapshot *)snap;
	ocspkit_crl_entry e;
	ocspkit_err err;
	/* the delta first: it is the newer word; removeFromCRL takes the
	 * certificate off the complete CRL (a hold released) */
	if (s->delta) {
		err = ocspkit_crl_find(&e, s->delta->crl, q->serial);
		if (err == OCSPKIT_OK) {
			if (e.has_reason && e.reason == OCSPKIT_REASON_REMOVE_FROM_CRL)
				goto not_listed;
			fill_revoked(st, &e);
			return OCSPKIT_OK;
		}
		if (err != OCSPKIT_E_NOT_FOUND)
			return err;
	}
	err = ocspkit_crl_find(&e, s->full->crl, q->serial);
	if (err == OCSPKIT_OK) {
		fill_revoked(st, &e);
		return OCSPKIT_OK;
	}
	if (err != OCSPKIT_E_NOT_FOUND)
		return err;
not_listed:
	st->status = !s->issued || issued_has(s->issued, q->serial) ? OCSPKIT_CERT_GOOD : OCSPKIT_CERT_UNKNOWN;
	return OCSPKIT_OK;
}

/* Calls fn for every entry of c that the CA's own certificates have (once
 * per serial), but those of skip (NULL) and removeFromCRL ones. */
static int each_revoked(const ocspkit_crl *c, const ocspkit_crl *skip, const char *label, rsp_each_fn fn, void *ctx)
{
	char where[512];
	ocspkit_crl_entry e, f;
	for (size_t i = 0, n = ocspkit_crl_get_entry_count(c); i < n; i++) {
		if (ocspkit_crl_get_entry(&e, c, i) != OCSPKIT_OK)
			continue;
		/* the CA's entry, and its first: indirect CRLs and duplicates */
		if (ocspkit_crl_find(&f, c, e.serial) != OCSPKIT_OK || f.index != i)
			continue;
		if (e.has_reason && e.reason == OCSPKIT_REASON_REMOVE_FROM_CRL)
			continue;
		if (skip && ocspkit_crl_find(&f, skip, e.serial) != OCSPKIT_E_NOT_FOUND)
			continue;
		snprintf(where, sizeof(where), "%s entry %zu", label, i + 1);
		int rc = fn(ctx, e.serial, where);
		if (rc)
			return rc;
	}
	return 0;
}

/* Without an issued list a CRL knows the revoked certificates only: those
 * are listed (presign writes their answers); with one, every issued
 * serial. */
static int crl_each(const rsp_snapshot *snap, rsp_each_fn fn, void *ctx)
{
	const crl_snapshot *s = (const crl_snapshot *)snap;
	if (s->issued) {
		char where[64];
		for (size_t i = 0; i < s->issued->n; i++) {
			snprintf(where, sizeof(where), "issued serial %zu", i + 1);
			int rc = fn(ctx, (ocspkit_bytes){ s->issued->v[i].d, s->issued->v[i].len }, where);
			if (rc)
				return rc;
		}
		return 0;
	}
	int rc = 0;
	if (s->delta)
		rc = each_revoked(s->delta->crl, NULL, "delta CRL", fn, ctx);
	if (!rc)
		rc = each_revoked(s->full->crl, s->delta ? s->delta->crl : NULL, s->where, fn, ctx);
	return rc;
}

static void crl_describe(const rsp_source *src, char *out, size_t cap)
{
	const crl_source *x = (const crl_source *)src;
	int n = snprintf(out, cap, "%s", x->full.where);
	if (x->delta.where && n >= 0 && (size_t)n < cap)
		n += snprintf(out + n, cap - (size_t)n, " (delta %s)", x->delta.where);
	if (x->issued.where && n >= 0 && (size_t)n < cap)
		snprintf(out + n, cap - (size_t)n, " (issued %s)", x->issued.where);
}

static void crl_free_snapshot(rsp_snapshot *snap)
{
	crl_snapshot *s = (crl_snapshot *)snap;
	crl_ref_drop(s->full);
	crl_ref_drop(s->delta);
	issued_drop(s->issued);
	free(s);
}

static void input_clear(input *in)
{
	free(in->where);
}

static void crl_destroy(rsp_source *src)
{
	crl_source *x = (crl_source *)src;
	rsp_source_clear(src);
	crl_ref_drop(x->cur_full);
	crl_ref_drop(x->cur_delta);
	crl_ref_drop(x->pending_delta);
	issued_drop(x->cur_issued);
	input_clear(&x->full);
	input_clear(&x->delta);
	input_clear(&x->issued);
	free(x);
}

/* ---------------------------------------------------------------- reading */

int rsp_crl_is_url(const char *where)
{
	return where && (strncmp(where, "http://", 7) == 0 || strncmp(where, "https://", 8) == 0);
}

typedef enum {
	IN_UNCHANGED = 0,
	IN_READ = 1,
	IN_FAILED = -1,  /* refused, with msg */
	IN_MOVING = -2,  /* being written: refused, worth another try soon */
} in_result;

static rsp_poll_result refuse(crl_source *x, rsp_poll_result rc, int64_t now, const char *msg)
{
	rsp_source_refuse(&x->base, now, msg);
	return rc;
}

/* After a fetch of in failed: wait RSP_CRL_BACKOFF, doubling, at most
 * refresh. */
static void back_off(crl_source *x, input *in, int64_t now)
{
	in->backoff = in->backoff ? in->backoff * 2 : RSP_CRL_BACKOFF;
	if (in->backoff > x->refresh)
		in->backoff = x->refresh;
	in->next_fetch = now + in->backoff;
}

/* When to fetch a URL's CRL again, after a successful fetch at now: after
 * refresh seconds, and before its nextUpdate (by a tenth of its validity,
 * at most refresh); past that point, every DUE_RETRY seconds. */
static void schedule(crl_source *x, input *in, const crl_ref *r, int64_t now)
{
	int64_t next = now + x->refresh;
	if (r && r->next_update) {
		int64_t validity = r->next_update - r->this_update, margin = validity / 10;
		if (margin > x->refresh)
			margin = x->refresh;
		if (margin < 0)
			margin = 0;
		int64_t due = r->next_update - margin;
		if (due < next)
			next = due > now ? due : now + (x->refresh < DUE_RETRY ? x->refresh : DUE_RETRY);
	}
	in->next_fetch = next;
}

/* Reads in when it changed (a file) or is due (a URL), or always with
 * force: IN_READ with *data (malloc'd) and *len, or IN_UNCHANGED (also for
 * bytes equal to the last ones looked at), or IN_FAILED / IN_MOVING after
 * refusing with msg. */
static in_result read_input(crl_source *x, input *in, int64_t now, int force, size_t max, uint8_t **data,
			    size_t *len, char *msg, size_t cap)
{
	*data = NULL;
	*len = 0;
	if (in->url) {
		if (!force && now < in->next_fetch)
			return IN_UNCHANGED;
		char err[300] = "";
		if (!x->fetch) {
			snprintf(msg, cap, "%s: no way to fetch a URL (built without libcurl?)", in->where);
			in->next_fetch = now + x->refresh;
			refuse(x, RSP_POLL_REFUSED, now, msg);
			return IN_FAILED;
		}
		if (x->fetch(x->fetch_ctx, in->where, x->fetch_timeout, max, data, len, err, sizeof(err)) != 0) {
			free(*data);
			*data = NULL;
			back_off(x, in, now);
			snprintf(msg, cap, "%s: %s; again in %llds", in->where, err[0] ? err : "fetch failed",
				 (long long)in->backoff);
			refuse(x, RSP_POLL_REFUSED, now, msg);
			return IN_FAILED;
		}
		in->backoff = 0;
		/* by the CRL in use until a new one says otherwise */
		schedule(x, in, in == &x->full ? x->cur_full : in == &x->delta ? x->cur_delta : NULL, now);
	} else {
		struct stat st;
		rsp_file_id id;
		int id_valid;
		if (stat(in->where, &st) != 0) {
			/* a writer between unlink and rename: said once, waited for */
			if (in->missing && !force)
				return IN_UNCHANGED;
			in->missing = 1;
			snprintf(msg, cap, "%s: %s", in->where, strerror(errno));
			refuse(x, RSP_POLL_REFUSED, now, msg);
			return IN_FAILED;
		}
		in->missing = 0;
		rsp_file_id_of(&id, &st);
		if (!force && in->have_stat && rsp_file_id_equal(&in->seen, &id))
			return IN_UNCHANGED;
		rsp_read_result rr =
			rsp_read_stable(in->where, max, x->settle_ms, data, len, &id, &id_valid, msg, cap);
		if (id_valid) {
			in->have_stat = 1;
			in->seen = id;
		}
		if (rr != RSP_READ_OK) {
			refuse(x, RSP_POLL_REFUSED, now, msg);
			return rr == RSP_READ_MOVING ? IN_MOVING : IN_FAILED;
		}
	}
	/* the bytes looked at last (taken or refused) are not looked at
	 * again, even at SIGHUP: they would say the same */
	uint64_t h = util_fnv1a(*data, *len);
	if (in->have_hash && in->hash == h && in->hash_len == *len) {
		free(*data);
		*data = NULL;
		return IN_UNCHANGED;
	}
	in->have_hash = 1;
	in->hash = h;
	in->hash_len = *len;
	return IN_READ;
}

/* ---------------------------------------------------------------- CRLs */

static const uint8_t oid_idp[] = { 0x55, 0x1D, 0x1C };

/* The issuing distribution point's value, empty when the CRL has none. */
static ocspkit_bytes idp_value(const ocspkit_crl *c)
{
	for (size_t i = 0, n = ocspkit_crl_get_extension_count(c); i < n; i++) {
		const ocspkit_extension *e = ocspkit_crl_get_extension(c, i);
		if (e->oid.len == sizeof(oid_idp) && memcmp(e->oid.data, oid_idp, sizeof(oid_idp)) == 0)
			return e->value;
	}
	return (ocspkit_bytes){ NULL, 0 };
}

/* Compares two CRL numbers (minimal non-negative INTEGER content). */
static int number_cmp(ocspkit_bytes a, ocspkit_bytes b)
{
	if (a.len != b.len)
		return a.len < b.len ? -1 : 1;
	return memcmp(a.data, b.data, a.len);
}

/* "0x1F" */
static const char *number_text(char out[48], ocspkit_bytes n)
{
	char hex[44];
	util_serial_hex(hex, sizeof(hex), n);
	snprintf(out, 48, "0x%s", hex);
	return out;
}

/* Decodes, verifies and judges what was read of in as a CRL of its kind
 * (delta or not): a new crl_ref, or NULL with msg. */
static crl_ref *parse_crl(crl_source *x, const input *in, int delta, const uint8_t *data, size_t len, char *msg,
			  size_t cap)
{
	const char *what = delta ? "delta CRL" : "CRL";
	uint8_t *der = NULL;
	size_t der_len = 0, off = 0, i = 0;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	if (len - i >= 10 && memcmp(data + i, "-----BEGIN", 10) == 0) {
		ocspkit_err e = text_pem_decode(&der, &der_len, (const char *)data, len, "X509 CRL", NULL, NULL);
		if (e != OCSPKIT_OK) {
			snprintf(msg, cap, "%s: no X509 CRL PEM block: %s", in->where, ocspkit_strerror_name(e));
			return NULL;
		}
		data = der;
		len = der_len;
	}
	ocspkit_crl *c = NULL;
	ocspkit_err e = ocspkit_crl_decode(&c, data, len, x->flags, &off);
	free(der);
	if (e != OCSPKIT_OK) {
		snprintf(msg, cap, "%s: the %s does not decode: %s at offset %zu (%s)", in->where, what,
			 ocspkit_strerror_name(e), off, ocspkit_strerror(e));
		return NULL;
	}
	if ((e = ocspkit_crl_verify(c, x->ca)) != OCSPKIT_OK) {
		snprintf(msg, cap, "%s: the %s does not verify against the CA: %s (%s)", in->where, what,
			 ocspkit_strerror_name(e), ocspkit_strerror(e));
		goto bad;
	}
	if (!delta && ocspkit_crl_is_delta(c)) {
		snprintf(msg, cap, "%s: a delta CRL given as the complete CRL", in->where);
		goto bad;
	}
	if (delta && !ocspkit_crl_is_delta(c)) {
		snprintf(msg, cap, "%s: a complete CRL given as the delta CRL (no delta CRL indicator)", in->where);
		goto bad;
	}
	ocspkit_crl_idp idp;
	if (ocspkit_crl_get_issuing_distribution_point(&idp, c) == OCSPKIT_OK) {
		const char *why = idp.only_ca_certs		 ? "onlyContainsCACerts"
				  : idp.only_attribute_certs	 ? "onlyContainsAttributeCerts"
				  : idp.has_only_some_reasons ? "onlySomeReasons"
								 : NULL;
		if (why) {
			snprintf(msg, cap,
				 "%s: the %s's issuing distribution point says %s: it does not cover every "
				 "certificate of the CA for every reason",
				 in->where, what, why);
			goto bad;
		}
	}
	crl_ref *r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(msg, cap, "%s: out of memory", in->where);
		goto bad;
	}
	r->refs = 1;
	r->crl = c;
	r->this_update = ocspkit_crl_get_this_update(c);
	if (ocspkit_crl_get_next_update(&r->next_update, c) != OCSPKIT_OK)
		r->next_update = 0;
	r->has_number = ocspkit_crl_get_number(&r->number, c) == OCSPKIT_OK;
	return r;
bad:
	ocspkit_crl_free(c);
	return NULL;
}

/* Whether r may replace old (of the same kind): not older. */
static int not_older(const input *in, const char *what, const crl_ref *r, const crl_ref *old, char *msg, size_t cap)
{
	char a[48], b[48], ta[OCSPKIT_TIME_STRING_SIZE], tb[OCSPKIT_TIME_STRING_SIZE];
	if (!old)
		return 1;
	if (r->has_number && old->has_number) {
		if (number_cmp(r->number, old->number) < 0) {
			snprintf(msg, cap, "%s: the %s's CRL number %s is lower than the %s in use", in->where, what,
				 number_text(a, r->number), number_text(b, old->number));
			return 0;
		}
		return 1;
	}
	if (r->this_update < old->this_update) {
		ocspkit_time_format(ta, r->this_update);
		ocspkit_time_format(tb, old->this_update);
		snprintf(msg, cap, "%s: the %s's thisUpdate %s is older than the %s in use", in->where, what, ta, tb);
		return 0;
	}
	return 1;
}

/* Whether the delta d applies to the complete CRL f (RFC 5280 5.2.4). */
static int delta_applies(const crl_source *x, const crl_ref *d, const crl_ref *f, char *msg, size_t cap)
{
	char a[48], b[48];
	ocspkit_bytes base;
	if (!f->has_number) {
		snprintf(msg, cap, "%s: the complete CRL has no CRL number: no delta CRL applies to it", x->delta.where);
		return 0;
	}
	if (ocspkit_crl_get_base_number(&base, d->crl) != OCSPKIT_OK || !d->has_number) {
		snprintf(msg, cap, "%s: the delta CRL has no CRL number", x->delta.where);
		return 0;
	}
	if (number_cmp(base, f->number) > 0) {
		snprintf(msg, cap, "%s: the delta CRL's BaseCRLNumber %s is greater than the complete CRL's number %s",
			 x->delta.where, number_text(a, base), number_text(b, f->number));
		return 0;
	}
	if (number_cmp(d->number, f->number) <= 0) {
		snprintf(msg, cap, "%s: the delta CRL's number %s is not greater than the complete CRL's %s",
			 x->delta.where, number_text(a, d->number), number_text(b, f->number));
		return 0;
	}
	ocspkit_bytes di = idp_value(d->crl), fi = idp_value(f->crl);
	if (!util_same_bytes(di, fi)) {
		snprintf(msg, cap, "%s: the delta CRL's scope (issuing distribution point) differs from the complete CRL's",
			 x->delta.where);
		return 0;
	}
	return 1;
}

/* ---------------------------------------------------------------- issued serials */

typedef struct {
	serial_slot *v;
	size_t n, alloc;
} slot_list;

static int slot_add(slot_list *l, ocspkit_bytes serial)
{
	if (serial.len == 0 || serial.len > MAX_SERIAL)
		return 0; /* cannot be asked about in a CertID we would match */
	if (l->n == l->alloc) {
		size_t want = l->alloc ? l->alloc * 2 : 256;
		serial_slot *nv = realloc(l->v, want * sizeof(*nv));
		if (!nv)
			return -1;
		l->v = nv;
		l->alloc = want;
	}
	l->v[l->n].len = (uint8_t)serial.len;
	memcpy(l->v[l->n].d, serial.data, serial.len);
	l->n++;
	return 0;
}

/* One line of hex digits into minimal INTEGER content octets: its
 * length, or 0 when it is not strict hex or too long. */
static size_t hex_serial(uint8_t out[MAX_SERIAL + 1], const char *s, size_t n)
{
	uint8_t raw[MAX_SERIAL + 1];
	size_t k = 0, octets = (n + 1) / 2;
	if (n == 0 || octets > MAX_SERIAL)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		unsigned v = c >= '0' && c <= '9' ? (unsigned)(c - '0')
			     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
						    : 16;
		if (v > 15)
			return 0;
		if ((n - i) % 2 == 0)
			raw[k] = (uint8_t)(v << 4);
		else if (i == 0)
			raw[k++] = (uint8_t)v;
		else
			raw[k++] |= (uint8_t)v;
	}
	size_t z = 0;
	while (z + 1 < k && raw[z] == 0)
		z++;
	size_t m = 0;
	if (raw[z] & 0x80)
		out[m++] = 0;
	memcpy(out + m, raw + z, k - z);
	return m + k - z;
}

/* index.txt, or a hex list: the first line that says something decides. */
static int looks_like_index(const uint8_t *d, size_t len)
{
	size_t i = 0;
	while (i < len) {
		size_t e = i;
		while (e < len && d[e] != '\n')
			e++;
		size_t j = i;
		while (j < e && (d[j] == ' ' || d[j] == '\r'))
			j++;
		if (j < e && d[j] != '#')
			return e - i >= 2 && (d[i] == 'V' || d[i] == 'R' || d[i] == 'E') && d[i + 1] == '\t';
		i = e + 1;
	}
	return 0;
}

static int parse_hex_list(slot_list *l, const char *where, const uint8_t *d, size_t len, char *msg, size_t cap)
{
	size_t line = 0;
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && d[e] != '\n')
			e++;
		line++;
		size_t a = i, b = e;
		for (size_t k = a; k < b; k++)
			if (d[k] == '#') {
				b = k;
				break;
			}
		while (a < b && (d[a] == ' ' || d[a] == '\t'))
			a++;
		while (b > a && (d[b - 1] == ' ' || d[b - 1] == '\t' || d[b - 1] == '\r'))
			b--;
		if (a < b) {
			uint8_t s[MAX_SERIAL + 1];
			size_t n = hex_serial(s, (const char *)d + a, b - a);
			if (!n || n > MAX_SERIAL) {
				snprintf(msg, cap, "%s:%zu: not a serial number in hex (at most %d octets)", where, line,
					 MAX_SERIAL);
				return -1;
			}
			if (slot_add(l, (ocspkit_bytes){ s, n }) != 0) {
				snprintf(msg, cap, "%s: out of memory", where);
				return -1;
			}
		}
		i = e + 1;
	}
	return 0;
}

static int parse_index(slot_list *l, const char *where, const uint8_t *d, size_t len, char *msg, size_t cap)
{
	rsp_index *idx;
	rsp_index_error err;
	ocspkit_err e = rsp_index_parse(&idx, d, len, &err);
	if (e != OCSPKIT_OK) {
		if (e == OCSPKIT_E_NO_MEMORY)
			snprintf(msg, cap, "%s: out of memory", where);
		else if (err.line)
			snprintf(msg, cap, "%s:%zu: %s", where, err.line, err.msg);
		else
			snprintf(msg, cap, "%s: %s", where, err.msg);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0, n = rsp_index_count(idx); i < n && !rc; i++)
		rc = slot_add(l, rsp_index_get(idx, i)->serial);
	rsp_index_free(idx);
	if (rc)
		snprintf(msg, cap, "%s: out of memory", where);
	return rc;
}

static int has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);
	return n > k && strcmp(name + n - k, suffix) == 0;
}

/* One certificate's serial when the CA issued it. */
static int add_cert(crl_source *x, slot_list *l, const char *path, const uint8_t *der, size_t len, char *msg,
		    size_t cap)
{
	ocspkit_cert *c;
	size_t off;
	ocspkit_err e = ocspkit_cert_decode(&c, der, len, x->flags, &off);
	if (e != OCSPKIT_OK) {
		snprintf(msg, cap, "%.300s: not a certificate: %s at offset %zu", path, ocspkit_strerror_name(e), off);
		return -1;
	}
	int rc = 0;
	if (util_same_bytes(ocspkit_cert_get_issuer(c), ocspkit_cert_get_subject(x->ca)) &&
	    slot_add(l, ocspkit_cert_get_serial(c)) != 0) {
		snprintf(msg, cap, "%.300s: out of memory", path);
		rc = -1;
	}
	ocspkit_cert_free(c);
	return rc;
}

/* Every *.pem, *.der, *.crt of the directory: the serials of those the CA
 * issued.  A file that does not read refuses the whole directory. */
static int scan_directory(crl_source *x, slot_list *l, const char *dir, char *msg, size_t cap)
{
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(msg, cap, "%s: %s", dir, strerror(errno));
		return -1;
	}
	struct dirent *de;
	int rc = 0;
	char path[4096];
	while (!rc && (de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		if (name[0] == '.' || !(has_suffix(name, ".pem") || has_suffix(name, ".der") || has_suffix(name, ".crt")))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		uint8_t *data;
		size_t len;
		char err[300];
		if (util_read_file(path, MAX_CERT_FILE, &data, &len, err, sizeof(err)) != 0) {
			snprintf(msg, cap, "%s", err);
			rc = -1;
			break;
		}
		if (len >= 10 && memcmp(data, "-----BEGIN", 10) != 0 && data[0] == 0x30) {
			rc = add_cert(x, l, path, data, len, msg, cap);
		} else {
			size_t pos = 0, blocks = 0;
			for (;;) {
				uint8_t *der;
				size_t der_len, end;
				ocspkit_err e = text_pem_decode(&der, &der_len, (const char *)data + pos, len - pos,
								"CERTIFICATE", NULL, &end);
				if (e == OCSPKIT_E_PEM_NO_BLOCK && blocks)
					break;
				if (e != OCSPKIT_OK) {
					snprintf(msg, cap, "%.300s: no certificate: %s", path, ocspkit_strerror_name(e));
					rc = -1;
					break;
				}
				blocks++;
				rc = add_cert(x, l, path, der, der_len, msg, cap);
				free(der);
				pos += end;
				if (rc)
					break;
			}
		}
		free(data);
	}
	closedir(d);
	return rc;
}

/* Reads the issued list when it changed: IN_READ with *out, IN_UNCHANGED,
 * or IN_FAILED / IN_MOVING after refusing with msg. */
static in_result load_issued(crl_source *x, int64_t now, int force, issued_set **out, char *msg, size_t cap)
{
	input *in = &x->issued;
	slot_list l = { NULL, 0, 0 };
	struct stat st;
	const char *kind;
	*out = NULL;
	if (stat(in->where, &st) == 0 && S_ISDIR(st.st_mode)) {
		rsp_file_id id;
		rsp_file_id_of(&id, &st);
		in->missing = 0;
		if (!force && in->have_stat && rsp_file_id_equal(&in->seen, &id))
			return IN_UNCHANGED;
		in->have_stat = 1;
		in->seen = id;
		kind = "directory";
		if (scan_directory(x, &l, in->where, msg, cap) != 0) {
			free(l.v);
			refuse(x, RSP_POLL_REFUSED, now, msg);
			return IN_FAILED;
		}
	} else {
		uint8_t *data;
		size_t len;
		in_result r = read_input(x, in, now, force, RSP_CRL_MAX_ISSUED_SIZE, &data, &len, msg, cap);
		if (r != IN_READ)
			return r;
		int index = looks_like_index(data, len);
		kind = index ? "index" : "list";
		int rc = index ? parse_index(&l, in->where, data, len, msg, cap)
			       : parse_hex_list(&l, in->where, data, len, msg, cap);
		free(data);
		if (rc != 0) {
			free(l.v);
			refuse(x, RSP_POLL_REFUSED, now, msg);
			return IN_FAILED;
		}
	}
	if (!l.n && x->cur_issued && x->cur_issued->n) {
		snprintf(msg, cap, "%s: no serials, while the list in use has %zu (being rewritten?)", in->where,
			 x->cur_issued->n);
		free(l.v);
		/* read again at the next poll, not only when it changes */
		in->have_stat = 0;
		in->have_hash = 0;
		refuse(x, RSP_POLL_REFUSED, now, msg);
		return IN_FAILED;
	}
	issued_set *s = calloc(1, sizeof(*s));
	if (!s) {
		free(l.v);
		snprintf(msg, cap, "%s: out of memory", in->where);
		refuse(x, RSP_POLL_REFUSED, now, msg);
		return IN_FAILED;
	}
	/* sorted, duplicates once */
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), slot_cmp);
	size_t k = 0;
	for (size_t i = 0; i < l.n; i++)
		if (!k || slot_cmp(&l.v[k - 1], &l.v[i]) != 0)
			l.v[k++] = l.v[i];
	s->refs = 1;
	s->v = l.v;
	s->n = k;
	snprintf(s->kind, sizeof(s->kind), "%s", kind);
	*out = s;
	return IN_READ;
}

/* ---------------------------------------------------------------- polling */

static void set_ref(crl_ref **slot, crl_ref *r)
{
	crl_ref_drop(*slot);
	*slot = r;
}

/* Reads the complete CRL (delta 0) or the delta CRL when due, checks it
 * against the one in use, and takes it: the complete CRL into use, the
 * delta as pending (its base is checked by the caller).  1 when a new
 * one was taken, 0 when not, -1 / -2 (being written) when refused. */
static int poll_crl(crl_source *x, int delta, int64_t now, int force, char *msg, size_t cap)
{
	input *in = delta ? &x->delta : &x->full;
	crl_ref *in_use = delta ? x->cur_delta : x->cur_full;
	uint8_t *data;
	size_t len;
	in_result r = read_input(x, in, now, force, OCSPKIT_MAX_CRL_SIZE, &data, &len, msg, cap);
	if (r == IN_UNCHANGED)
		return 0;
	if (r != IN_READ)
		return r == IN_MOVING ? -2 : -1;
	crl_ref *c = parse_crl(x, in, delta, data, len, msg, cap);
	free(data);
	if (c && !not_older(in, delta ? "delta CRL" : "CRL", c, in_use, msg, cap)) {
		crl_ref_drop(c);
		c = NULL;
	}
	if (in->url)
		schedule(x, in, c ? c : in_use, now);
	if (!c) {
		refuse(x, RSP_POLL_REFUSED, now, msg);
		return -1;
	}
	set_ref(delta ? &x->pending_delta : &x->cur_full, c);
	return 1;
}

/* "crl.pem: CRL number 0x05, thisUpdate ..., nextUpdate ..., 12 entries" */
static int describe_ref(char *out, size_t cap, const char *where, const crl_ref *r)
{
	char num[64] = "no number", tu[OCSPKIT_TIME_STRING_SIZE], nu[OCSPKIT_TIME_STRING_SIZE] = "none";
	if (r->has_number) {
		char t[48];
		snprintf(num, sizeof(num), "CRL number %s", number_text(t, r->number));
	}
	ocspkit_time_format(tu, r->this_update);
	if (r->next_update)
		ocspkit_time_format(nu, r->next_update);
	return snprintf(out, cap, "%s: %s, thisUpdate %s, nextUpdate %s, %zu entries", where, num, tu, nu,
			ocspkit_crl_get_entry_count(r->crl));
}

static int publish(crl_source *x, int64_t now, const char *notes, char *msg, size_t cap)
{
	crl_snapshot *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(msg, cap, "%s: out of memory", x->full.where);
		return -1;
	}
	s->full = crl_ref_take(x->cur_full);
	s->delta = crl_ref_take(x->cur_delta);
	s->issued = issued_take(x->cur_issued);
	s->where = x->full.where;
	size_t entries = s->issued ? s->issued->n : ocspkit_crl_get_entry_count(s->full->crl);
	rsp_snapshot_init(&s->base, &crl_ops, entries, s->full->this_update);
	int64_t cap_t = s->full->next_update;
	if (s->delta && s->delta->next_update && (!cap_t || s->delta->next_update < cap_t))
		cap_t = s->delta->next_update;
	s->base.next_update_cap = cap_t;
	s->base.this_update_floor = s->full->this_update;
	if (s->delta && s->delta->this_update > s->base.this_update_floor)
		s->base.this_update_floor = s->delta->this_update;
	s->base.serve_until = cap_t && !x->stale_serve ? cap_t + x->grace : 0;

	int n = describe_ref(msg, cap, x->full.where, s->full);
	if (s->delta && n >= 0 && (size_t)n < cap) {
		char d[400];
		describe_ref(d, sizeof(d), x->delta.where, s->delta);
		n += snprintf(msg + n, cap - (size_t)n, "; delta %s", d);
	}
	if (s->issued && n >= 0 && (size_t)n < cap)
		n += snprintf(msg + n, cap - (size_t)n, "; issued %s: %zu serials (%s)", x->issued.where, s->issued->n,
			      s->issued->kind);
	if (notes[0] && n >= 0 && (size_t)n < cap)
		snprintf(msg + n, cap - (size_t)n, "; %s", notes);
	rsp_source_publish(&x->base, &s->base, now, msg);
	return 0;
}

static rsp_poll_result crl_poll(rsp_source *src, int64_t now, unsigned flags, char *msg, size_t cap)
{
	crl_source *x = (crl_source *)src;
	int force = (flags & RSP_POLL_FORCE) != 0, changed = 0, moving = 0, refused = 0;
	char notes[800] = "", line[600], delta_refusal[600] = "";

	int rf = poll_crl(x, 0, now, force, line, sizeof(line));
	if (rf > 0)
		changed = 1;
	else if (rf < 0)
		*(rf == -2 ? &moving : &refused) = 1;
	if (x->delta.where) {
		int rd = poll_crl(x, 1, now, force, line, sizeof(line));
		if (rd < 0)
			*(rd == -2 ? &moving : &refused) = 1;
		/* a delta waits for a complete CRL it applies to: the one it
		 * came with, or one that comes later */
		if (x->pending_delta && x->cur_full && (rd > 0 || rf > 0)) {
			if (delta_applies(x, x->pending_delta, x->cur_full, line, sizeof(line))) {
				set_ref(&x->cur_delta, x->pending_delta);
				x->pending_delta = NULL;
				changed = 1;
			} else if (rd > 0) {
				/* refused after what this poll publishes, so that
				 * the refusal stays in the freshness of the new
				 * snapshot (and is logged at start-up) */
				snprintf(delta_refusal, sizeof(delta_refusal), "%s", line);
				refused = 1;
			}
		}
		/* a new complete CRL may supersede the delta in use */
		if (rf > 0 && x->cur_delta && !delta_applies(x, x->cur_delta, x->cur_full, line, sizeof(line))) {
			snprintf(notes, sizeof(notes), "the delta CRL in use no longer applies (%s): the complete CRL serves alone",
				 line);
			set_ref(&x->cur_delta, NULL);
		}
	}
	if (x->issued.where) {
		issued_set *is;
		in_result ri = load_issued(x, now, force, &is, line, sizeof(line));
		if (ri == IN_READ) {
			issued_drop(x->cur_issued);
			x->cur_issued = is;
			changed = 1;
		} else if (ri < 0) {
			*(ri == IN_MOVING ? &moving : &refused) = 1;
		}
	}
	if (changed && x->cur_full) {
		if (publish(x, now, notes, msg, cap) != 0) {
			rsp_source_refuse(src, now, msg);
			return RSP_POLL_REFUSED;
		}
		if (delta_refusal[0])
			refuse(x, RSP_POLL_REFUSED, now, delta_refusal);
		return RSP_POLL_LOADED;
	}
	if (delta_refusal[0])
		refuse(x, RSP_POLL_REFUSED, now, delta_refusal);
	/* stale: said once per snapshot */
	rsp_snapshot *cur = rsp_source_acquire(src);
	if (cur && cur->next_update_cap && now >= cur->next_update_cap) {
		char t[OCSPKIT_TIME_STRING_SIZE];
		ocspkit_time_format(t, cur->next_update_cap);
		char stale[400];
		snprintf(stale, sizeof(stale), "%s: the CRL is past its nextUpdate %s; %s", x->full.where, t,
			 x->stale_serve ? "answering from it still (--crl-stale serve)"
					: "answering tryLater after the grace period (--crl-stale trylater)");
		if (rsp_source_stale(src, now, stale) && !refused && !moving) {
			rsp_snapshot_release(cur);
			snprintf(msg, cap, "%s", stale);
			return RSP_POLL_UNCHANGED;
		}
	}
	rsp_snapshot_release(cur);
	if (moving || refused)
		snprintf(msg, cap, "%s", line);
	return moving ? RSP_POLL_MOVING : refused ? RSP_POLL_REFUSED : RSP_POLL_UNCHANGED;
}

static const rsp_source_ops crl_ops = {
	.kind = "crl",
	.lookup = crl_lookup,
	.poll = crl_poll,
	.each = crl_each,
	.describe = crl_describe,
	.free_snapshot = crl_free_snapshot,
	.destroy = crl_destroy,
};

/* ---------------------------------------------------------------- making one */

void rsp_crl_source_default_opts(rsp_crl_source_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->refresh = RSP_CRL_DEFAULT_REFRESH;
	o->grace = RSP_CRL_DEFAULT_GRACE;
	o->settle_ms = 300;
	o->fetch_timeout = RSP_CRL_DEFAULT_FETCH_TIMEOUT;
}

static int input_init(input *in, const char *where)
{
	if (!where)
		return 0;
	if (!(in->where = strdup(where)))
		return -1;
	in->url = rsp_crl_is_url(where);
	return 0;
}

ocspkit_err rsp_crl_source_new(rsp_source **out, const rsp_crl_source_opts *o)
{
	*out = NULL;
	if (!o || !o->ca || !o->crl)
		return OCSPKIT_E_INVALID_ARGUMENT;
	crl_source *x = calloc(1, sizeof(*x));
	if (!x)
		return OCSPKIT_E_NO_MEMORY;
	if (input_init(&x->full, o->crl) || input_init(&x->delta, o->delta) || input_init(&x->issued, o->issued)) {
		input_clear(&x->full);
		input_clear(&x->delta);
		input_clear(&x->issued);
		free(x);
		return OCSPKIT_E_NO_MEMORY;
	}
	rsp_source_init(&x->base, &crl_ops);
	x->ca = o->ca;
	x->refresh = o->refresh > 0 ? o->refresh : RSP_CRL_DEFAULT_REFRESH;
	x->grace = o->grace >= 0 ? o->grace : RSP_CRL_DEFAULT_GRACE;
	x->stale_serve = o->stale_serve;
	x->flags = o->decode_flags;
	x->settle_ms = o->settle_ms;
	x->fetch = o->fetch;
	x->fetch_ctx = o->fetch_ctx;
	x->fetch_timeout = o->fetch_timeout > 0 ? o->fetch_timeout : RSP_CRL_DEFAULT_FETCH_TIMEOUT;
	*out = &x->base;
	return OCSPKIT_OK;
}
