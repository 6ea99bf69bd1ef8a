/* index.txt as a revocation source (source_index.h). */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/util.h"
#include "source_index.h"
#include "stable.h"

_Static_assert(RSP_INDEX_MAX_OID <= RSP_STATUS_MAX_OID, "an index's hold instruction fits a status");

typedef struct {
	rsp_snapshot base;
	rsp_index *index;
	const char *path;          /* the source's, for each()'s "where" */
} index_snapshot;

typedef struct {
	rsp_source base;
	char *path;                /* NULL: fed by rsp_index_source_set only */
	rsp_load_policy policy;
	/* what the file looked like when last read (or refused) */
	int have_stat;
	int missing;               /* the name was gone at the last poll */
	rsp_file_id seen;
} index_source;

static const rsp_source_ops index_ops;

static const rsp_index *index_of(const rsp_snapshot *snap)
{
	return ((const index_snapshot *)snap)->index;
}

static ocspkit_err index_lookup(const rsp_snapshot *snap, const rsp_lookup *q, rsp_status *st)
{
	const rsp_index_entry *e = rsp_index_find(index_of(snap), q->serial);
	if (!e) {
		st->status = OCSPKIT_CERT_UNKNOWN;
	} else if (e->type == 'R') {
		st->status = OCSPKIT_CERT_REVOKED;
		st->revocation_time = e->revocation_time;
		st->has_reason = e->has_reason;
		st->reason = e->reason;
		st->has_invalidity_date = e->has_invalidity_date;
		st->invalidity_date = e->invalidity_date;
		st->hold_len = (uint32_t)e->hold_len;
		memcpy(st->hold, e->hold, e->hold_len);
	} else {
		/* V, and E: an expired certificate is not a revoked one */
		st->status = OCSPKIT_CERT_GOOD;
	}
	return OCSPKIT_OK;
}

static int index_each(const rsp_snapshot *snap, rsp_each_fn fn, void *ctx)
{
	const index_snapshot *s = (const index_snapshot *)snap;
	char where[512];
	for (size_t i = 0, n = rsp_index_count(s->index); i < n; i++) {
		const rsp_index_entry *e = rsp_index_get(s->index, i);
		snprintf(where, sizeof(where), "%s:%zu", s->path ? s->path : "index", e->line);
		int rc = fn(ctx, e->serial, where);
		if (rc)
			return rc;
	}
	return 0;
}

static void index_describe(const rsp_source *src, char *out, size_t cap)
{
	const index_source *x = (const index_source *)src;
	snprintf(out, cap, "%s", x->path ? x->path : "(index)");
}

static void index_free_snapshot(rsp_snapshot *snap)
{
	index_snapshot *s = (index_snapshot *)snap;
	rsp_index_free(s->index);
	free(s);
}

static void index_destroy(rsp_source *src)
{
	index_source *x = (index_source *)src;
	rsp_source_clear(src);
	free(x->path);
	free(x);
}

/* "12 entries (10 valid, 1 revoked, 1 expired)" */
static int summary(char *msg, size_t cap, const char *path, const rsp_index *idx)
{
	return snprintf(msg, cap, "%s: %zu entries (%zu valid, %zu revoked, %zu expired)", path, rsp_index_count(idx),
			rsp_index_count_type(idx, 'V'), rsp_index_count_type(idx, 'R'), rsp_index_count_type(idx, 'E'));
}

/* Publishes idx (taken over) with the file's modification time. */
static int publish(index_source *x, rsp_index *idx, int64_t data_time, int64_t now, const char *msg)
{
	index_snapshot *s = calloc(1, sizeof(*s));
	if (!s) {
		/* keep serving the old index rather than none */
		rsp_index_free(idx);
		return -1;
	}
	rsp_snapshot_init(&s->base, &index_ops, rsp_index_count(idx), data_time);
	s->index = idx;
	s->path = x->path;
	rsp_source_publish(&x->base, &s->base, now, msg);
	return 0;
}

ocspkit_err rsp_index_source_new(rsp_source **out, const char *path, const rsp_load_policy *policy)
{
	index_source *x = calloc(1, sizeof(*x));
	*out = NULL;
	if (!x || (path && !(x->path = strdup(path)))) {
		free(x);
		return OCSPKIT_E_NO_MEMORY;
	}
	rsp_source_init(&x->base, &index_ops);
	x->policy.settle_ms = RSP_DEFAULT_SETTLE_MS;
	if (policy)
		x->policy = *policy;
	*out = &x->base;
	return OCSPKIT_OK;
}

void rsp_index_source_set(rsp_source *src, rsp_index *idx, int64_t now)
{
	index_source *x = (index_source *)src;
	char msg[300];
	summary(msg, sizeof(msg), x->path ? x->path : "(index)", idx);
	(void)publish(x, idx, 0, now, msg);
}

void rsp_index_source_set_policy(rsp_source *src, const rsp_load_policy *policy)
{
	((index_source *)src)->policy = *policy;
}

/* Revoked entries of old that new lacks: how many, and the first. */
static size_t revoked_gone(const rsp_index *old, const rsp_index *new, const rsp_index_entry **first)
{
	size_t gone = 0;
	*first = NULL;
	for (size_t i = 0, n = rsp_index_count(old); i < n; i++) {
		const rsp_index_entry *e = rsp_index_get(old, i);
		if (e->type != 'R' || rsp_index_find(new, e->serial))
			continue;
		if (!gone++)
			*first = e;
	}
	return gone;
}

static rsp_poll_result refuse(index_source *x, rsp_poll_result rc, int64_t now, const char *msg)
{
	rsp_source_refuse(&x->base, now, msg);
	return rc;
}

/* Reads, checks and publishes the file (source_index.h). */
static rsp_poll_result load(index_source *x, int64_t now, char *msg, size_t cap)
{
	uint8_t *data = NULL;
	size_t len = 0;
	rsp_file_id id;
	int id_valid;

	rsp_read_result rr = rsp_read_stable(x->path, RSP_INDEX_MAX_SIZE, x->policy.settle_ms, &data, &len, &id,
					     &id_valid, msg, cap);
	/* what was read is what is remembered, even if the name moves on:
	 * a refused file is read again when it changes */
	if (id_valid) {
		x->have_stat = 1;
		x->seen = id;
	}
	if (rr != RSP_READ_OK)
		return refuse(x, rr == RSP_READ_MOVING ? RSP_POLL_MOVING : RSP_POLL_REFUSED, now, msg);
	if (len && data[len - 1] != '\n') {
		free(data);
		snprintf(msg, cap, "%s: the last line does not end with a newline (still being written?)", x->path);
		return refuse(x, RSP_POLL_MOVING, now, msg);
	}
	rsp_index *idx;
	rsp_index_error err;
	ocspkit_err e = rsp_index_parse(&idx, data, len, &err);
	free(data);
	if (e != OCSPKIT_OK) {
		if (e == OCSPKIT_E_NO_MEMORY)
			snprintf(msg, cap, "%s: out of memory", x->path);
		else if (err.line)
			snprintf(msg, cap, "%s:%zu: %s", x->path, err.line, err.msg);
		else
			snprintf(msg, cap, "%s: %s", x->path, err.msg);
		return refuse(x, RSP_POLL_REFUSED, now, msg);
	}

	/* against the index in use: a file that lost entries is more likely
	 * half-written than pruned */
	rsp_snapshot *cur = rsp_source_acquire(&x->base);
	const rsp_index *old = cur ? index_of(cur) : NULL;
	size_t old_n = old ? rsp_index_count(old) : 0, new_n = rsp_index_count(idx), gone = 0;
	const rsp_index_entry *first = NULL;
	char serial[44] = "";
	if (old)
		gone = revoked_gone(old, idx, &first);
	if (first)
		util_serial_hex(serial, sizeof(serial), first->serial);
	rsp_snapshot_release(cur);
	if (old_n && !new_n) {
		snprintf(msg, cap, "%s: empty, while the index in use has %zu entries (being rewritten?)", x->path, old_n);
		rsp_index_free(idx);
		return refuse(x, RSP_POLL_REFUSED, now, msg);
	}
	if (new_n < old_n - old_n / 2 && !x->policy.allow_shrink) {
		snprintf(msg, cap,
			 "%s: %zu entries, less than half of the %zu in use (%zu revoked ones gone); start with "
			 "--allow-shrink to accept that",
			 x->path, new_n, old_n, gone);
		rsp_index_free(idx);
		return refuse(x, RSP_POLL_REFUSED, now, msg);
	}
	int n = summary(msg, cap, x->path, idx);
	if (gone && n > 0 && (size_t)n < cap)
		snprintf(msg + n, cap - (size_t)n, "; %zu revoked entr%s of the previous index %s gone (serial %s%s)",
			 gone, gone == 1 ? "y" : "ies", gone == 1 ? "is" : "are", serial, gone > 1 ? ", ..." : "");
	if (publish(x, idx, id.mtime_ns / 1000000000, now, msg) != 0) {
		snprintf(msg, cap, "%s: out of memory", x->path);
		return refuse(x, RSP_POLL_REFUSED, now, msg);
	}
	return RSP_POLL_LOADED;
}

static rsp_poll_result index_poll(rsp_source *src, int64_t now, unsigned flags, char *msg, size_t cap)
{
	index_source *x = (index_source *)src;
	struct stat st;
	rsp_file_id cur;
	if (!x->path)
		return RSP_POLL_UNCHANGED;
	if (flags & RSP_POLL_FORCE)
		return load(x, now, msg, cap);
	if (stat(x->path, &st) != 0) {
		/* a writer between unlink and rename: wait for the new file,
		 * and say so once */
		if (x->missing)
			return RSP_POLL_UNCHANGED;
		x->missing = 1;
		snprintf(msg, cap, "%s: %s; keeping the index in memory", x->path, strerror(errno));
		return refuse(x, RSP_POLL_REFUSED, now, msg);
	}
	x->missing = 0;
	rsp_file_id_of(&cur, &st);
	if (x->have_stat && rsp_file_id_equal(&x->seen, &cur))
		return RSP_POLL_UNCHANGED;
	return load(x, now, msg, cap);
}

static const rsp_source_ops index_ops = {
	.kind = "index",
	.lookup = index_lookup,
	.poll = index_poll,
	.each = index_each,
	.describe = index_describe,
	.free_snapshot = index_free_snapshot,
	.destroy = index_destroy,
};
