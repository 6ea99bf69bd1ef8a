/* ocspkit presign: the response of every index entry, written where a
 * static web server finds it for an RFC 5019 GET.
 *
 * A GET is "/" + base64(DER request).  For each entry, each CertID hash
 * asked for (--hash, default sha1 and sha256) and both encodings of the
 * hash algorithm's parameters (NULL, as OpenSSL, NSS and GnuTLS send it,
 * and absent), the request a client sends without nonce is built, answered
 * exactly as `ocspkit serve` answers it (responder/answer.c), and written
 * where nginx, configured as the README says (`root DIR; try_files $uri
 * $uri.ocsp @ocspkit;`), looks for that GET (presign.h):
 *
 *   DIR/<the base64, standard alphabet, padded>, its '/' being
 *   directories and every run of '/' made one (nginx merges them, and so
 *   does the kernel: "a//b" reaches a/b), a leading '/' dropped;
 *   DIR/<that>.ocsp, a file ".ocsp" in that directory, when it ends in
 *   '/': such a URI never names a file, `$uri.ocsp` finds it, and no
 *   request path has a '.' in it.
 *
 * nginx URL-decodes the path first, so %2F, %2B and %3D reach the same
 * file.  Collapsing can map two different requests to one file
 * ("a//b/c" and "a/b//c"): nginx would serve one's answer to the other.
 * Two passes that only build the requests find those before anything is
 * signed; none of them gets a file, a file left there by an earlier run
 * is removed, and nginx falls back to `ocspkit serve` (try_files).  The
 * same goes for a name above NAME_MAX or PATH_MAX.  An entry that cannot
 * be answered or written is reported with its serial and counted, and
 * the run goes on; the summary line counts written, skipped (by reason)
 * and failed files, and the exit status is 3 when something failed.
 *
 * Each file is replaced atomically (a temporary in the same directory,
 * then rename) and gets thisUpdate as its modification time, so that
 * Last-Modified is right and nginx's `expires modified +<validity>` gives
 * nextUpdate. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "common/util.h"
#include "options.h"
#include "output.h"
#include "presign.h"
#include "responder_setup.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ocspkit presign --index index.txt --CA CA.pem --rsigner SIGNER.pem [--rkey KEY.pem]\n"
		"                       [options] DIR\n"
		"\n" RESPONDER_SETUP_USAGE
		"  --ndays N, --nmin N nextUpdate N days or minutes after thisUpdate (default: 1 day)\n"
		"  --hash LIST         CertID hashes to answer (default sha1,sha256)\n"
		"  --at TIME           sign as of this time instead of now\n"
		"  --quiet             no summary line\n"
		"\n"
		"Writes DIR/<base64 request> for every index entry (the request's '/' are directories,\n"
		"DIR/<base64>.ocsp when it ends in '/'), each file replaced atomically, for a static\n"
		"web server: see the README's nginx block.  Exit status 3 when some file failed.\n");
}

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

/* Writes data to path atomically, with mtime t. */
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

/* A run: what is written where, and the counts of the summary line. */
typedef struct {
	responder_setup *rs;
	const char *dir;
	const ocspkit_hash *hashes;
	size_t n_hashes;
	int64_t now;
	int quiet;
	presign_plan *plan;
	unsigned long entries, written, shared, too_long, failed;
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
	char path[PATH_MAX];   /* relative to the directory (presign_path) */
} presign_req;

/* Says which request something is about: "index.txt:4: serial 3F, sha1
 * with NULL parameters: ...". */
static void req_err(const presign_req *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void req_err(const presign_req *q, const char *fmt, ...)
{
	char msg[PATH_MAX + 256], serial[2 * OCSPKIT_MAX_SERIAL_SIZE + 1];
	util_serial_hex(serial, sizeof(serial), q->serial);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_err("%s: serial %s, %s with %s parameters: %s", q->where, serial, ocspkit_hash_name(q->hash),
		q->null_params ? "NULL" : "absent", msg);
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
	run->entries += p->last;
	for (size_t h = 0; h < run->n_hashes && !stop; h++) {
		for (int form = 1; form >= 0 && !stop; form--) {
			presign_req q = { p->ca, serial, where, run->hashes[h], form, NULL, 0, NULL, 0, -1, "" };
			ocspkit_err e = rsp_answer_make_request(&q.der, &q.der_len, p->ca, q.hash, form, serial);
			if (!e)
				e = ocspkit_base64_encode(&q.b64, &q.b64_len, q.der, q.der_len, 0);
			if (!e) {
				q.path_len = presign_path(q.path, sizeof(q.path), q.b64, q.b64_len);
				stop = p->fn(run, &q);
			} else if (p->last) {
				req_err(&q, "%s", ocspkit_strerror_name(e));
				run->failed++;
			}
			ocspkit_free(q.der);
			ocspkit_free(q.b64);
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
	for (size_t c = 0; c < run->rs->r.n_cas && !stop; c++) {
		presign_pass p = { run, fn, last, &run->rs->r.cas[c] };
		rsp_snapshot *snap = rsp_ca_acquire(p.ca);
		if (snap && (stop = rsp_snapshot_each(snap, each_form, &p)) < 0) {
			char where[300];
			rsp_source_describe(p.ca->source, where, sizeof(where));
			cli_err("%s: a %s source cannot list its certificates", where, rsp_source_kind(p.ca->source));
		}
		rsp_snapshot_release(snap);
	}
	return stop;
}

static int plan_pass1(presign_run *run, presign_req *q)
{
	return q->path_len >= 0 && presign_plan_add(run->plan, 1, q->b64, q->b64_len, q->path) != 0;
}

static int plan_pass2(presign_run *run, presign_req *q)
{
	return q->path_len >= 0 && presign_plan_add(run->plan, 2, q->b64, q->b64_len, q->path) != 0;
}

/* Signs and writes one response, or skips it, or removes the file that a
 * request sharing it left there. */
static int write_one(presign_run *run, presign_req *q)
{
	char full[PATH_MAX];
	if (q->path_len < 0 || snprintf(full, sizeof(full), "%s/%s", run->dir, q->path) >= (int)sizeof(full)) {
		run->too_long++;
		if (!run->quiet)
			req_err(q, "not written: the path is too long for a file (ocspkit serve answers it)");
		return 0;
	}
	if (presign_plan_shared(run->plan, q->path)) {
		run->shared++;
		if (!run->quiet)
			req_err(q, "not written: another request maps to %s as well (ocspkit serve answers both)",
				full);
		if (unlink(full) != 0 && errno != ENOENT) {
			req_err(q, "%s: %s", full, strerror(errno));
			run->failed++;
		}
		return 0;
	}
	rsp_answer a;
	ocspkit_err e = rsp_answer_request(&a, &run->rs->r, q->der, q->der_len, run->now, 0);
	if (e || a.status != OCSPKIT_RESPONSE_SUCCESSFUL) {
		req_err(q, "%s", e ? ocspkit_strerror_name(e) : "the answer is not successful");
		run->failed++;
	} else if (put_file(full, a.blob->der, a.blob->len, a.blob->has_update ? a.blob->this_update : run->now) != 0) {
		req_err(q, "%s: %s", full, strerror(errno));
		run->failed++;
	} else {
		run->written++;
	}
	rsp_answer_clear(&a);
	return 0;
}

static int presign(presign_run *run)
{
	int rc = (run->plan = presign_plan_new()) ? each_request(run, plan_pass1, 0) : 1;
	if (rc == 0)
		rc = each_request(run, plan_pass2, 0);
	if (rc > 0)
		cli_err("out of memory");
	if (rc != 0) {
		presign_plan_free(run->plan);
		return -1;
	}
	each_request(run, write_one, 1);
	presign_plan_free(run->plan);
	/* the renames reach the disk before we say it is done */
	int dfd = open(run->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		syncfs(dfd);
		close(dfd);
	}
	if (!run->quiet)
		printf("%lu responses for %lu index entries written to %s; %lu skipped (%lu sharing a file with "
		       "another request, %lu too long for a file name); %lu failed\n",
		       run->written, run->entries, run->dir, run->shared + run->too_long, run->shared, run->too_long,
		       run->failed);
	return 0;
}

int cmd_presign(int argc, char **argv)
{
	static const struct option opts[] = {
		RESPONDER_SETUP_OPTIONS,
		{ "hash", required_argument, NULL, 'H' }, { "at", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },      { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	ocspkit_hash hashes[8] = { OCSPKIT_HASH_SHA1, OCSPKIT_HASH_SHA256 };
	size_t n_hashes = 2;
	int quiet = 0, ret = EXIT_USAGE;
	int64_t now = 0;
	responder_setup rs;

	responder_setup_init(&rs);
	optind = 1;
	for (int ch; (ch = responder_setup_getopt(&rs, argc, argv, opts)) != -1;) {
		switch (ch) {
		case 'H': {
			char buf[128], *save = NULL;
			snprintf(buf, sizeof(buf), "%s", optarg);
			n_hashes = 0;
			for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				ocspkit_hash h = cli_parse_hash(tok);
				if (!h || n_hashes == 8) {
					cli_err("--hash: sha1, sha224, sha256, sha384, sha512 expected");
					return EXIT_USAGE;
				}
				hashes[n_hashes++] = h;
			}
			if (!n_hashes) {
				cli_err("--hash: at least one hash");
				return EXIT_USAGE;
			}
			break;
		}
		case 't':
			if (ocspkit_time_parse(&now, optarg) || now == 0) {
				cli_err("--at: a time such as 20261122015704Z");
				return EXIT_USAGE;
			}
			break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		case RESPONDER_SETUP_BAD_VALUE: return EXIT_USAGE;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc || rs.n_ca == 0 || rs.n_rsigner == 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *dir = argv[optind];
	if (!now)
		now = (int64_t)time(NULL);
	if (responder_setup_load(&rs, 1))
		goto out;
	if (rs.r.validity < 0)
		rs.r.validity = 86400;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		cli_err("%s: %s", dir, strerror(errno));
		goto out;
	}

	presign_run run = { &rs, dir, hashes, n_hashes, now, quiet, NULL, 0, 0, 0, 0, 0 };
	if (presign(&run) == 0)
		ret = run.failed ? EXIT_USAGE : 0;
out:
	responder_setup_free(&rs);
	return ret;
}
