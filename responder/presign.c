/* Pre-signing for static web servers (presign.h). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "common/text.h"
#include "common/util.h"
#include "presign.h"

int rsp_presign_path(char *out, size_t cap, const char *b64, size_t len)
{
	size_t n = 0, seg = 0;
	for (size_t i = 0; i < len; i++) {
		char c = b64[i];
		if (c == '/' && (n == 0 || out[n - 1] == '/'))
			continue;
		seg = c == '/' ? 0 : seg + 1;
		if (seg > NAME_MAX || n + 1 >= cap)
			return -1;
		out[n++] = c;
	}
	if (n == 0 || out[n - 1] == '/') {
		if (n + sizeof(RSP_PRESIGN_DIR_FILE) > cap)
			return -1;
		memcpy(out + n, RSP_PRESIGN_DIR_FILE, sizeof(RSP_PRESIGN_DIR_FILE) - 1);
		n += sizeof(RSP_PRESIGN_DIR_FILE) - 1;
	}
	if (n > INT_MAX)
		return -1;
	out[n] = 0;
	return (int)n;
}

/* ---------------------------------------------------------------- the plan */

typedef struct {
	uint64_t path, req; /* digests; path 0: empty slot */
	int shared;
} plan_slot;

struct rsp_presign_plan {
	plan_slot *slots;
	size_t cap, used; /* cap a power of two, used at most half of it */
};

static uint64_t digest64(const char *s, size_t len)
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	uint64_t v = 0;
	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)s);
	sha256_digest(&ctx, sizeof(d), d);
	for (int i = 0; i < 8; i++)
		v = v << 8 | d[i];
	return v ? v : 1;
}

rsp_presign_plan *rsp_presign_plan_new(void)
{
	rsp_presign_plan *p = calloc(1, sizeof(*p));
	if (p && !(p->slots = calloc(p->cap = 64, sizeof(*p->slots)))) {
		free(p);
		p = NULL;
	}
	return p;
}

void rsp_presign_plan_free(rsp_presign_plan *p)
{
	if (p)
		free(p->slots);
	free(p);
}

/* The slot of path: its own, or the empty one where it would go. */
static plan_slot *find(const rsp_presign_plan *p, uint64_t path)
{
	size_t i = (size_t)path & (p->cap - 1);
	while (p->slots[i].path && p->slots[i].path != path)
		i = (i + 1) & (p->cap - 1);
	return &p->slots[i];
}

static int grow(rsp_presign_plan *p)
{
	rsp_presign_plan bigger = { calloc(p->cap * 2, sizeof(*p->slots)), p->cap * 2, p->used };
	if (!bigger.slots)
		return -1;
	for (size_t i = 0; i < p->cap; i++)
		if (p->slots[i].path)
			*find(&bigger, p->slots[i].path) = p->slots[i];
	free(p->slots);
	*p = bigger;
	return 0;
}

int rsp_presign_plan_add(rsp_presign_plan *p, int pass, const char *b64, size_t len, const char *path)
{
	int own = strlen(path) == len && memcmp(path, b64, len) == 0;
	if (own != (pass == 2))
		return 0;
	uint64_t key = digest64(path, strlen(path));
	plan_slot *s = find(p, key);
	if (own) {
		/* pass 2: any request remembered there is another one */
		if (s->path)
			s->shared = 1;
		return 0;
	}
	uint64_t req = digest64(b64, len);
	if (s->path) {
		s->shared |= s->req != req;
		return 0;
	}
	if (2 * (p->used + 1) > p->cap) {
		if (grow(p) != 0)
			return -1;
		s = find(p, key);
	}
	s->path = key;
	s->req = req;
	p->used++;
	return 0;
}

int rsp_presign_plan_shared(const rsp_presign_plan *p, const char *path)
{
	const plan_slot *s = find(p, digest64(path, strlen(path)));
	return s->path && s->shared;
}

/* ---------------------------------------------------------------- a run */

static int mkdirs(char *path, size_t upto)
{
	for (size_t i = 1; i < upto; i++) {
		if (path[i] != '/')
			continue;
		path[i] = 0;
		int r = mkdir(path, 0755);
		int err = errno;
		path[i] = '/';
		if (r != 0 && err != EEXIST)
			return -1;
	}
	return 0;
}

/* Writes data to path atomically, with mtime t.  Not util_write_file: no
 * fsync per file (thousands of them; one syncfs at the end), directories
 * made on the way, and the modification time set. */
static int put_file(char *path, const uint8_t *data, size_t len, int64_t t)
{
	char tmp[PATH_MAX];
	char *slash = strrchr(path, '/');
	if (mkdirs(path, (size_t)(slash - path) + 1) != 0)
		return -1;
	if (snprintf(tmp, sizeof(tmp), "%.*s/.presign.XXXXXX", (int)(slash - path), path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < len) {
		ssize_t k = write(fd, data + off, len - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			goto fail;
		off += (size_t)k;
	}
	struct timespec ts[2] = { { (time_t)t, 0 }, { (time_t)t, 0 } };
	if (fchmod(fd, 0644) != 0 || futimens(fd, ts) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
	return -1;
}

/* A run: what is written where, and what was done. */
typedef struct {
	const rsp_responder *r;
	const rsp_presign_opts *o;
	rsp_presign_plan *plan;
	rsp_presign_counts *c;
} presign_run;

/* One request of the run, built anew by each pass. */
typedef struct {
	const rsp_ca *ca;
	ocspkit_bytes serial;
	const char *where;     /* where the source has it: "index.txt:4" */
	ocspkit_hash hash;
	int null_params;
	uint8_t *der;
	size_t der_len;
	char *b64;
	size_t b64_len;
	int path_len;          /* -1: too long for a file name */
	char path[PATH_MAX];   /* relative to the directory (rsp_presign_path) */
} presign_req;

/* Says which request something is about: "index.txt:4: serial 3F, sha1
 * with NULL parameters: ...". */
static void req_err(const presign_run *run, const presign_req *q, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void req_err(const presign_run *run, const presign_req *q, const char *fmt, ...)
{
	char msg[PATH_MAX + 256], serial[2 * OCSPKIT_MAX_SERIAL_SIZE + 1];
	util_serial_hex(serial, sizeof(serial), q->serial);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	util_logf(run->o->log, run->o->log_ctx, "%s: serial %s, %s with %s parameters: %s", q->where, serial,
		  ocspkit_hash_name(q->hash), q->null_params ? "NULL" : "absent", msg);
}

/* A pass over the certificates of one CA's source. */
typedef struct {
	presign_run *run;
	int (*fn)(presign_run *, presign_req *);
	int last;
	const rsp_ca *ca;
} presign_pass;

/* Every request for one certificate: each hash, each parameter form. */
static int each_form(void *ctx, ocspkit_bytes serial, const char *where)
{
	presign_pass *p = ctx;
	presign_run *run = p->run;
	int stop = 0;
	run->c->entries += p->last;
	for (size_t h = 0; h < run->o->n_hashes && !stop; h++) {
		for (int form = 1; form >= 0 && !stop; form--) {
			presign_req q = { p->ca, serial, where, run->o->hashes[h], form, NULL, 0, NULL, 0, -1, "" };
			ocspkit_err e = rsp_answer_make_request(&q.der, &q.der_len, p->ca, q.hash, form, serial);
			if (!e)
				e = text_base64_encode(&q.b64, &q.b64_len, q.der, q.der_len, 0);
			if (!e) {
				q.path_len = rsp_presign_path(q.path, sizeof(q.path), q.b64, q.b64_len);
				stop = p->fn(run, &q);
			} else if (p->last) {
				req_err(run, &q, "%s", ocspkit_strerror_name(e));
				run->c->failed++;
			}
			ocspkit_free(q.der);
			free(q.b64);
		}
	}
	return stop;
}

/* Calls fn for every request of the run, in the same order each time;
 * fn returns non-zero to stop.  The last pass counts the entries and
 * reports requests that cannot be built (the others skip them). */
static int each_request(presign_run *run, int (*fn)(presign_run *, presign_req *), int last)
{
	int stop = 0;
	for (size_t c = 0; c < run->r->n_cas && !stop; c++) {
		presign_pass p = { run, fn, last, &run->r->cas[c] };
		rsp_snapshot *snap = rsp_ca_acquire(p.ca);
		if (snap && (stop = rsp_snapshot_each(snap, each_form, &p)) < 0) {
			char where[300];
			rsp_source_describe(p.ca->source, where, sizeof(where));
			util_logf(run->o->log, run->o->log_ctx, "%s: a %s source cannot list its certificates", where,
				  rsp_source_kind(p.ca->source));
		}
		rsp_snapshot_release(snap);
	}
	return stop;
}

static int plan_pass1(presign_run *run, presign_req *q)
{
	return q->path_len >= 0 && rsp_presign_plan_add(run->plan, 1, q->b64, q->b64_len, q->path) != 0;
}

static int plan_pass2(presign_run *run, presign_req *q)
{
	return q->path_len >= 0 && rsp_presign_plan_add(run->plan, 2, q->b64, q->b64_len, q->path) != 0;
}

/* Signs and writes one response, or skips it, or removes the file that a
 * request sharing it left there. */
static int write_one(presign_run *run, presign_req *q)
{
	char full[PATH_MAX];
	if (q->path_len < 0 || snprintf(full, sizeof(full), "%s/%s", run->o->dir, q->path) >= (int)sizeof(full)) {
		run->c->too_long++;
		if (!run->o->quiet)
			req_err(run, q, "not written: the path is too long for a file (ocspkit serve answers it)");
		return 0;
	}
	if (rsp_presign_plan_shared(run->plan, q->path)) {
		run->c->shared++;
		if (!run->o->quiet)
			req_err(run, q, "not written: another request maps to %s as well (ocspkit serve answers both)",
				full);
		if (unlink(full) != 0 && errno != ENOENT) {
			req_err(run, q, "%s: %s", full, strerror(errno));
			run->c->failed++;
		}
		return 0;
	}
	rsp_answer a;
	ocspkit_err e = rsp_answer_request(&a, run->r, q->der, q->der_len, run->o->now, 0);
	if (e || a.status != OCSPKIT_RESPONSE_SUCCESSFUL) {
		req_err(run, q, "%s", e ? ocspkit_strerror_name(e) : "the answer is not successful");
		run->c->failed++;
	} else if (put_file(full, a.blob->der, a.blob->len, a.blob->has_update ? a.blob->this_update : run->o->now) !=
		   0) {
		req_err(run, q, "%s: %s", full, strerror(errno));
		run->c->failed++;
	} else {
		run->c->written++;
	}
	rsp_answer_clear(&a);
	return 0;
}

int rsp_presign(const rsp_responder *r, const rsp_presign_opts *o, rsp_presign_counts *c)
{
	presign_run run = { r, o, rsp_presign_plan_new(), c };
	memset(c, 0, sizeof(*c));
	int rc = run.plan ? each_request(&run, plan_pass1, 0) : 1;
	if (rc == 0)
		rc = each_request(&run, plan_pass2, 0);
	if (rc > 0)
		util_logf(o->log, o->log_ctx, "out of memory");
	if (rc != 0) {
		rsp_presign_plan_free(run.plan);
		return -1;
	}
	each_request(&run, write_one, 1);
	rsp_presign_plan_free(run.plan);
	/* the renames reach the disk before the caller says it is done */
	int dfd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		syncfs(dfd);
		close(dfd);
	}
	return 0;
}
