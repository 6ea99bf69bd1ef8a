/* ocspkit staple: keep OCSP staple files fresh for TLS servers (nginx
 * ssl_stapling_file, HAProxy's CERT.ocsp, gnutls-serv --ocsp-response).
 *
 * One pass looks at each staple: the file in place is examined
 * (staple_examine); when it is usable and its refresh is not due yet
 * (staple_refresh_time) nothing happens; otherwise the responder is asked
 * and staple_decide says whether the answer replaces the file, which is
 * then written atomically.  Every decision is one log line on stderr.  A
 * one-shot run suits a timer; --daemon repeats passes, sleeping until the
 * next staple is due, and re-reads the certificates (and the directory) at
 * least every --poll seconds, so that a renewed certificate gets its
 * staple at once.  --reload runs a command after a pass that changed a
 * staple; one that fails stays pending (in a file beside the staples)
 * and is run again on the next pass, or the next run, until it succeeds.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "common/util.h"
#include "client.h"

#define MAX_ITEMS 4096

/* Exit severities, combined by taking the highest. */
enum {
	SEV_GOOD = EXIT_GOOD,        /* a usable staple saying good is in place */
	SEV_NOT_GOOD = EXIT_NOT_GOOD, /* ... saying revoked (or unknown) */
	SEV_FAILED = EXIT_INVALID,   /* a due refresh failed, or no usable staple is in place */
	SEV_FILE = EXIT_USAGE        /* a file could not be read or written */
};

typedef struct {
	char *cert_path;
	char *out_path;
	ocspkit_cert *cert, *issuer;
	unsigned failures;   /* failed attempts in a row */
	int64_t next_attempt;
	int severity;        /* of its last pass */
} item;

typedef struct {
	const char *cert_path, *issuer_path, *out_path, *dir;
	const char *reload;
	client_opts co;
	staple_policy pol;
	staple_ctx base;     /* skew, max_age, trusted responders */
	int force, check_only, daemon;
	long poll;           /* seconds between re-reads of the certificates */
} config;

static void slog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void slog(const char *fmt, ...)
{
	char t[OCSPKIT_TIME_STRING_SIZE];
	va_list ap;
	ocspkit_time_format(t, (int64_t)time(NULL));
	fprintf(stderr, "ocspkit staple: %s ", t);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

static const char *fmt_time(char buf[OCSPKIT_TIME_STRING_SIZE], int64_t t)
{
	ocspkit_time_format(buf, t);
	return buf;
}

/* "good, thisUpdate ..., nextUpdate ..." of an examined response. */
static void describe(char *out, size_t cap, const staple_info *in)
{
	char a[OCSPKIT_TIME_STRING_SIZE], b[OCSPKIT_TIME_STRING_SIZE];
	if (!in->has_single) {
		snprintf(out, cap, "%s", staple_state_text(in->state));
		return;
	}
	snprintf(out, cap, "%s%s%s, thisUpdate %s, nextUpdate %s", ocspkit_cert_status_name(in->status),
		 in->has_reason ? " " : "", in->has_reason ? ocspkit_crl_reason_name(in->reason) : "",
		 fmt_time(a, in->this_update), in->has_next_update ? fmt_time(b, in->next_update) : "none");
}

static void describe_bad(char *out, size_t cap, const staple_info *in)
{
	char d[200];
	describe(d, sizeof(d), in);
	if (in->has_single)
		snprintf(out, cap, "%s: %s (%s)", staple_state_text(in->state), ocspkit_strerror_name(in->err), d);
	else
		snprintf(out, cap, "%s: %s", staple_state_text(in->state), ocspkit_strerror_name(in->err));
}

static void report_revoked(const item *it, const staple_info *in, const char *what)
{
	char t[OCSPKIT_TIME_STRING_SIZE];
	slog("%s: REVOKED: the responder says %s is revoked%s%s since %s; %s", it->out_path, it->cert_path,
	     in->has_reason ? ", " : "", in->has_reason ? ocspkit_crl_reason_name(in->reason) : "",
	     fmt_time(t, in->revocation_time), what);
}

static int severity_of(const staple_info *in_place)
{
	if (!in_place || in_place->state != STAPLE_USABLE)
		return SEV_FAILED;
	return in_place->status == OCSPKIT_CERT_GOOD ? SEV_GOOD : SEV_NOT_GOOD;
}

/* The staple in place: 1 and its bytes when there is a file, 0 when there
 * is none, -1 when it cannot be read. */
static int read_staple(const char *path, uint8_t **data, size_t *len)
{
	struct stat st;
	*data = NULL;
	*len = 0;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		slog("%s: cannot look at the staple in place (%s); left alone, retried later", path, strerror(errno));
		return -1;
	}
	if (cli_read_file(path, OCSPKIT_MAX_MESSAGE_SIZE, data, len)) {
		slog("%s: cannot read the staple in place; left alone, retried later", path);
		return -1;
	}
	return 1;
}

/* One pass over one staple at time now.  Sets *changed when it wrote. */
static void process(item *it, const config *cfg, int64_t now, int *changed)
{
	staple_ctx ctx = cfg->base;
	staple_info cur, *in_place = NULL;
	client_result r;
	uint8_t *cur_der = NULL;
	size_t cur_len = 0;
	char d[300], why[600], t[OCSPKIT_TIME_STRING_SIZE];
	int hard_failure = 0;

	memset(&cur, 0, sizeof(cur));
	memset(&r, 0, sizeof(r));
	ctx.issuer = it->issuer;
	ctx.cert = it->cert;
	ctx.now = now;
	uint64_t seed = staple_seed(ocspkit_cert_der(it->cert).data, ocspkit_cert_der(it->cert).len);

	int have = read_staple(it->out_path, &cur_der, &cur_len);
	if (have < 0) {
		it->severity = SEV_FILE;
		it->next_attempt = now + cfg->pol.retry_min;
		return;
	}
	if (have > 0) {
		if (staple_examine(&cur, &ctx, cur_der, cur_len) != OCSPKIT_OK) {
			slog("%s: out of memory", it->out_path);
			it->severity = SEV_FILE;
			it->next_attempt = now + cfg->pol.retry_min;
			goto out;
		}
		in_place = &cur;
		seed ^= staple_seed(cur_der, cur_len);
	}

	if (in_place && cur.state == STAPLE_USABLE && !cfg->force) {
		int64_t due = staple_refresh_time(&cur, &cfg->pol, seed);
		if (now < due || cfg->check_only) {
			describe(d, sizeof(d), &cur);
			slog("%s: fresh: %s; refresh due at %s", it->out_path, d, fmt_time(t, due));
			if (cur.status == OCSPKIT_CERT_REVOKED)
				report_revoked(it, &cur, "the staple in place says so");
			it->severity = severity_of(&cur);
			it->next_attempt = due > now ? due : now + 1;
			goto out;
		}
	}
	if (cfg->check_only) {
		if (in_place) {
			describe_bad(d, sizeof(d), &cur);
			slog("%s: not usable: %s", it->out_path, d);
		} else {
			slog("%s: no staple", it->out_path);
		}
		it->severity = SEV_FAILED;
		goto out;
	}

	if (client_query(&r, &cfg->co, &ctx) != 0) {
		snprintf(why, sizeof(why), "%s", r.problem);
		hard_failure = 1;
	} else {
		staple_reason reason;
		ocspkit_bytes cand_der = { r.http.body, r.http.len };
		staple_action act = staple_decide(&reason, in_place, (ocspkit_bytes){ cur_der, cur_len }, &r.info, cand_der);
		if (act == STAPLE_WRITE) {
			describe(d, sizeof(d), &r.info);
			if (cli_write_file(it->out_path, r.http.body, r.http.len)) {
				slog("%s: could not write the new staple (%s)", it->out_path, d);
				it->severity = SEV_FILE;
				it->next_attempt = now + cfg->pol.retry_min;
				goto out;
			}
			*changed = 1;
			int64_t next = staple_refresh_time(&r.info, &cfg->pol, seed ^ staple_seed(cand_der.data, cand_der.len));
			if (next < now + cfg->pol.retry_min)
				next = now + cfg->pol.retry_min;
			slog("%s: wrote: %s (%s, from %s); refresh due at %s", it->out_path, d, staple_reason_text(reason),
			     r.url, fmt_time(t, next));
			if (r.info.status == OCSPKIT_CERT_REVOKED)
				report_revoked(it, &r.info, "staple written");
			it->failures = 0;
			it->next_attempt = next;
			it->severity = severity_of(&r.info);
			goto out;
		}
		if (reason == STAPLE_WHY_CANDIDATE_BAD) {
			describe_bad(d, sizeof(d), &r.info);
			snprintf(why, sizeof(why), "the answer from %s is %s", r.url, d);
			hard_failure = 1;
		} else if (reason == STAPLE_WHY_UNKNOWN_STATUS) {
			snprintf(why, sizeof(why), "%s says the certificate is unknown", r.url);
			hard_failure = 1;
		} else {
			describe(d, sizeof(d), &r.info);
			snprintf(why, sizeof(why), "%s (%s)", staple_reason_text(reason), d);
		}
	}

	/* nothing written */
	it->failures++;
	it->next_attempt = staple_retry_time(in_place, &cfg->pol, now, it->failures, seed + it->failures);
	if (in_place && cur.state == STAPLE_USABLE) {
		describe(d, sizeof(d), &cur);
		slog("%s: kept the staple in place (%s): %s; retry at %s", it->out_path, d, why,
		     fmt_time(t, it->next_attempt));
		if (cur.status == OCSPKIT_CERT_REVOKED)
			report_revoked(it, &cur, "the staple in place says so");
		it->severity = severity_of(&cur);
		if (hard_failure && it->severity < SEV_FAILED)
			it->severity = SEV_FAILED;
	} else {
		if (in_place)
			describe_bad(d, sizeof(d), &cur);
		slog("%s: no usable staple%s%s%s: %s; retry at %s", it->out_path, in_place ? " (the file in place is " : "",
		     in_place ? d : "", in_place ? ")" : "", why, fmt_time(t, it->next_attempt));
		if (ocspkit_cert_must_staple(it->cert))
			slog("%s: %s has the TLS Feature (must-staple) extension: clients refuse the server until a "
			     "valid staple is in place", it->out_path, it->cert_path);
		it->severity = SEV_FAILED;
	}
out:
	client_result_clear(&r);
	staple_info_clear(&cur);
	free(cur_der);
}

/* ---------------------------------------------------------------- the staples */

static void item_free(item *it)
{
	free(it->cert_path);
	free(it->out_path);
	ocspkit_cert_free(it->cert);
	ocspkit_cert_free(it->issuer);
}

static char *str_concat(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s%s%s", a, b, c);
	return s;
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n > k && strcmp(s + n - k, suf) == 0;
}

/* Did issuer sign cert? */
static int signed_by(const ocspkit_cert *cert, const ocspkit_cert *issuer)
{
	ocspkit_pubkey *key = NULL;
	int ok = 0;
	if (util_same_bytes(ocspkit_cert_issuer(cert), ocspkit_cert_subject(issuer)) &&
	    ocspkit_pubkey_from_cert(&key, issuer) == OCSPKIT_OK)
		ok = ocspkit_cert_verify(cert, key) == OCSPKIT_OK;
	ocspkit_pubkey_free(key);
	return ok;
}

typedef struct {
	char *path;
	ocspkit_cert **certs;
	size_t n;
} dir_file;

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The staples of a directory: each *.pem, *.crt or *.cer whose first
 * certificate is not a CA gets FILE.ocsp beside it; its issuer is
 * --issuer, or a certificate of its own bundle or of the directory that
 * signed it. */
static int scan_dir(const config *cfg, ocspkit_cert *shared_issuer, item **items, size_t *n_items)
{
	DIR *dh = opendir(cfg->dir);
	char **names = NULL;
	size_t n_names = 0;
	dir_file *files = NULL;
	size_t n_files = 0;
	struct dirent *de;

	if (!dh) {
		cli_err("%s: %s", cfg->dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(dh)) != NULL && n_names < MAX_ITEMS) {
		if (de->d_name[0] == '.' ||
		    !(has_suffix(de->d_name, ".pem") || has_suffix(de->d_name, ".crt") || has_suffix(de->d_name, ".cer")))
			continue;
		char **nn = realloc(names, (n_names + 1) * sizeof(*names));
		if (!nn)
			break;
		names = nn;
		if ((names[n_names] = str_concat(cfg->dir, "/", de->d_name)) != NULL)
			n_names++;
	}
	closedir(dh);
	if (n_names)
		qsort(names, n_names, sizeof(*names), by_name);
	files = calloc(n_names ? n_names : 1, sizeof(*files));
	for (size_t i = 0; files && i < n_names; i++) {
		uint8_t *data;
		size_t len;
		if (cli_read_file(names[i], 16 * OCSPKIT_MAX_MESSAGE_SIZE, &data, &len))
			continue;
		int pem_cert = memmem(data, len, "-----BEGIN CERTIFICATE-----", 27) != NULL;
		int pem_other = !pem_cert && memmem(data, len, "-----BEGIN ", 11) != NULL;
		free(data);
		if (pem_other || len == 0)
			continue; /* keys and other PEM: not ours */
		if (cli_load_certs(names[i], &files[n_files].certs, &files[n_files].n) == 0)
			files[n_files++].path = names[i];
	}
	for (size_t i = 0; files && i < n_files && *n_items < MAX_ITEMS; i++) {
		dir_file *f = &files[i];
		ocspkit_cert *leaf = f->certs[0], *issuer = NULL;
		if (ocspkit_cert_is_ca(leaf))
			continue;
		if (shared_issuer) {
			issuer = shared_issuer;
		} else {
			for (size_t j = 1; j < f->n && !issuer; j++)
				if (signed_by(leaf, f->certs[j]))
					issuer = f->certs[j];
			for (size_t k = 0; k < n_files && !issuer; k++)
				for (size_t j = 0; j < files[k].n && !issuer; j++)
					if (ocspkit_cert_is_ca(files[k].certs[j]) && signed_by(leaf, files[k].certs[j]))
						issuer = files[k].certs[j];
		}
		if (!issuer) {
			slog("%s: skipped: no issuer certificate found for it (in the file, the directory or --issuer)",
			     f->path);
			continue;
		}
		item *ni = realloc(*items, (*n_items + 1) * sizeof(**items));
		if (!ni)
			break;
		*items = ni;
		item *it = &(*items)[*n_items];
		memset(it, 0, sizeof(*it));
		ocspkit_bytes ld = ocspkit_cert_der(leaf), id = ocspkit_cert_der(issuer);
		it->cert_path = strdup(f->path);
		it->out_path = str_concat(f->path, ".ocsp", "");
		if (!it->cert_path || !it->out_path ||
		    ocspkit_cert_decode(&it->cert, ld.data, ld.len, OCSPKIT_DECODE_STRICT, NULL) != OCSPKIT_OK ||
		    ocspkit_cert_decode(&it->issuer, id.data, id.len, OCSPKIT_DECODE_STRICT, NULL) != OCSPKIT_OK) {
			item_free(it);
			continue;
		}
		(*n_items)++;
	}
	for (size_t i = 0; files && i < n_files; i++)
		cli_free_certs(files[i].certs, files[i].n);
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	free(files);
	return 0;
}

/* Reads the certificates again and carries the schedule of each staple
 * whose certificates did not change over from old.  0 on success. */
static int load_items(const config *cfg, item **items, size_t *n, item *old, size_t n_old)
{
	*items = NULL;
	*n = 0;
	if (cfg->dir) {
		ocspkit_cert *shared = NULL;
		if (cfg->issuer_path && cli_load_cert(cfg->issuer_path, &shared))
			return -1;
		int rc = scan_dir(cfg, shared, items, n);
		ocspkit_cert_free(shared);
		if (rc)
			return -1;
	} else {
		item it;
		memset(&it, 0, sizeof(it));
		if (client_load_pair(cfg->cert_path, cfg->issuer_path, &it.cert, &it.issuer))
			return -1;
		it.cert_path = strdup(cfg->cert_path);
		it.out_path = cfg->out_path ? strdup(cfg->out_path) : str_concat(cfg->cert_path, ".ocsp", "");
		if (!it.cert_path || !it.out_path || !(*items = malloc(sizeof(it)))) {
			item_free(&it);
			return -1;
		}
		(*items)[0] = it;
		*n = 1;
	}
	for (size_t i = 0; i < *n; i++) {
		item *it = &(*items)[i];
		for (size_t j = 0; j < n_old; j++) {
			if (strcmp(old[j].cert_path, it->cert_path) == 0 &&
			    util_same_bytes(ocspkit_cert_der(old[j].cert), ocspkit_cert_der(it->cert)) &&
			    util_same_bytes(ocspkit_cert_der(old[j].issuer), ocspkit_cert_der(it->issuer))) {
				it->failures = old[j].failures;
				it->next_attempt = old[j].next_attempt;
				it->severity = old[j].severity;
			}
		}
	}
	return 0;
}

static void free_items(item *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		item_free(&items[i]);
	free(items);
}

/* ---------------------------------------------------------------- the reload */

/* Runs the reload command through the shell, with the signals the daemon
 * holds back unblocked again.  Its exit status, or -1. */
static int run_reload(const char *cmd, const sigset_t *held)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		slog("reload: cannot fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (held)
			sigprocmask(SIG_UNBLOCK, held, NULL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	slog("reload: `%s` exited with %d", cmd, rc);
	return rc;
}

/* Until the reload command succeeds after a staple changed, the server
 * keeps stapling what it read before: the reload is pending.  That is
 * remembered in a file beside the staples, so that the next pass, the
 * next run of a timer or a restarted daemon runs the command again even
 * when no staple changes then:
 *   --dir DIR     DIR/.ocspkit-staple.reload-pending
 *   --out FILE    .NAME.reload-pending beside FILE (NAME: FILE's name)
 * (hidden, as the temporary files of the atomic writes: servers that load
 * every file of a directory, HAProxy's crt DIR, must not see it).  It is
 * written, atomically, as soon as a pass changed a staple, before the
 * command runs, so that a run killed in between leaves it too; a
 * successful reload removes it.  Its presence is the state; the lines,
 * for people and the log, are
 *   since TIME          the first change since the last successful reload
 *   failures N          failed attempts since then
 *   last TIME exit N    the last failed attempt
 * and the command itself is not written (it may hold credentials). */
typedef struct {
	char *path;        /* NULL: nowhere to keep it (--out -) */
	int pending;
	int64_t since;     /* 0: not known */
	unsigned failures;
	int64_t retry_at;  /* --daemon: not before */
} reload_state;

static int reload_init(reload_state *rs, const config *cfg)
{
	const char *out = cfg->out_path;
	char *def = NULL;
	memset(rs, 0, sizeof(*rs));
	if (cfg->dir) {
		rs->path = str_concat(cfg->dir, "/", ".ocspkit-staple.reload-pending");
	} else {
		if (!out)
			out = def = str_concat(cfg->cert_path, ".ocsp", "");
		if (!out)
			return -1;
		if (strcmp(out, "-") == 0) {
			free(def);
			return 0;
		}
		const char *name = strrchr(out, '/');
		name = name ? name + 1 : out;
		size_t n = (size_t)(name - out) + strlen(name) + sizeof("..reload-pending");
		if ((rs->path = malloc(n)) != NULL)
			snprintf(rs->path, n, "%.*s.%s.reload-pending", (int)(name - out), out, name);
		free(def);
	}
	if (!rs->path)
		return -1;

	struct stat st;
	if (stat(rs->path, &st) != 0) {
		if (errno != ENOENT)
			slog("reload: cannot look at %s (%s); taken as no reload pending", rs->path, strerror(errno));
		return 0;
	}
	rs->pending = 1;
	uint8_t *data;
	size_t len;
	if (cli_read_file(rs->path, 4096, &data, &len) == 0) {
		char *text = malloc(len + 1), *save = NULL;
		if (text) {
			memcpy(text, data, len);
			text[len] = '\0';
			for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
				unsigned long f;
				char *end;
				if (strncmp(line, "since ", 6) == 0 && ocspkit_time_parse(&rs->since, line + 6) != OCSPKIT_OK)
					rs->since = 0;
				if (strncmp(line, "failures ", 9) == 0 && (f = strtoul(line + 9, &end, 10)) < 1000000 &&
				    *end == '\0')
					rs->failures = (unsigned)f;
			}
			free(text);
		}
		free(data);
	}
	return 0;
}

static const char *since_text(char buf[OCSPKIT_TIME_STRING_SIZE], const reload_state *rs)
{
	return rs->since ? fmt_time(buf, rs->since) : "an unknown time";
}

/* Writes the state file (last_rc < 0: no attempt yet).  0 on success. */
static int reload_save(const reload_state *rs, int64_t now, int last_rc)
{
	char a[OCSPKIT_TIME_STRING_SIZE], b[OCSPKIT_TIME_STRING_SIZE], text[256];
	if (!rs->path)
		return 0;
	int n = snprintf(text, sizeof(text), "# ocspkit staple: the server has not been reloaded since a staple changed\n"
			 "since %s\nfailures %u\n", since_text(a, rs), rs->failures);
	if (last_rc >= 0)
		snprintf(text + n, sizeof(text) - (size_t)n, "last %s exit %d\n", fmt_time(b, now), last_rc);
	if (cli_write_file(rs->path, text, strlen(text))) {
		slog("reload: could not remember the pending reload in %s", rs->path);
		return -1;
	}
	return 0;
}

/* A staple changed: the reload is pending from now on (unless it was). */
static int reload_mark(reload_state *rs, int64_t now)
{
	if (rs->pending)
		return SEV_GOOD;
	rs->pending = 1;
	rs->since = now;
	rs->failures = 0;
	rs->retry_at = 0;
	return reload_save(rs, now, -1) ? SEV_FILE : SEV_GOOD;
}

/* Runs the reload command (a staple changed, or a reload is pending) and
 * keeps the state; the severity of the outcome. */
static int reload_run(reload_state *rs, const config *cfg, const sigset_t *held, int changed)
{
	char t[OCSPKIT_TIME_STRING_SIZE], u[OCSPKIT_TIME_STRING_SIZE];
	if (!changed)
		slog("reload: pending since %s (%u failed attempt%s so far): running it again", since_text(t, rs),
		     rs->failures, rs->failures == 1 ? "" : "s");
	int rc = run_reload(cfg->reload, held);
	int64_t now = (int64_t)time(NULL);
	if (rc == 0) {
		int sev = SEV_GOOD;
		if (rs->pending && rs->path && unlink(rs->path) != 0 && errno != ENOENT) {
			slog("reload: done, but %s cannot be removed (%s): the next run reloads again", rs->path,
			     strerror(errno));
			sev = SEV_FILE;
		}
		rs->pending = 0;
		rs->since = 0;
		rs->failures = 0;
		rs->retry_at = 0;
		return sev;
	}
	if (!rs->pending) {
		rs->pending = 1;
		rs->since = now;
	}
	rs->failures++;
	rs->retry_at = staple_retry_time(NULL, &cfg->pol, now, rs->failures,
					 staple_seed((const uint8_t *)cfg->reload, strlen(cfg->reload)) + rs->failures);
	int sev = reload_save(rs, now, rc < 0 ? 255 : rc) ? SEV_FILE : SEV_FAILED;
	if (cfg->daemon)
		slog("reload: failed; pending since %s (%u failed attempt%s): retry at %s", since_text(t, rs), rs->failures,
		     rs->failures == 1 ? "" : "s", fmt_time(u, rs->retry_at));
	else if (rs->path && sev == SEV_FAILED)
		slog("reload: failed; pending since %s (%u failed attempt%s), remembered in %s: the next run retries it",
		     since_text(t, rs), rs->failures, rs->failures == 1 ? "" : "s", rs->path);
	else
		slog("reload: failed; pending since %s, but nowhere remembered: the next run retries it only if a staple "
		     "changes", since_text(t, rs));
	return sev;
}

static int one_pass(item *items, size_t n, const config *cfg, int64_t now, const sigset_t *held, int only_due,
		    reload_state *rs)
{
	int changed = 0, sev = SEV_GOOD;
	for (size_t i = 0; i < n; i++) {
		if (only_due && items[i].next_attempt > now)
			continue;
		process(&items[i], cfg, now, &changed);
		/* at once: a run that dies before the reload leaves it pending */
		if (changed && cfg->reload && !rs->pending) {
			int msev = reload_mark(rs, now);
			if (msev > sev)
				sev = msev;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (items[i].severity > sev)
			sev = items[i].severity;
	if (cfg->reload && !cfg->check_only && (changed || (rs->pending && now >= rs->retry_at))) {
		int rsev = reload_run(rs, cfg, held, changed);
		if (rsev > sev)
			sev = rsev;
	}
	return sev;
}

/* A pending reload this run will not attempt (--check, no --reload). */
static void report_pending(const reload_state *rs, const config *cfg)
{
	char t[OCSPKIT_TIME_STRING_SIZE];
	if (rs->pending && (!cfg->reload || cfg->check_only))
		slog("reload: pending since %s (%s): the server may still staple older responses%s", since_text(t, rs),
		     rs->path, cfg->reload ? "" : "; no --reload given to retry it");
}

static int run_daemon(const config *cfg, reload_state *rs)
{
	sigset_t held;
	item *items = NULL;
	size_t n = 0;

	sigemptyset(&held);
	sigaddset(&held, SIGTERM);
	sigaddset(&held, SIGINT);
	sigaddset(&held, SIGHUP);
	sigprocmask(SIG_BLOCK, &held, NULL);
	if (load_items(cfg, &items, &n, NULL, 0))
		return EXIT_USAGE;
	slog("daemon: %zu staple%s; certificates re-read every %ld s", n, n == 1 ? "" : "s", cfg->poll);
	int64_t loaded = (int64_t)time(NULL);
	for (;;) {
		int64_t now = (int64_t)time(NULL);
		(void)one_pass(items, n, cfg, now, &held, 1, rs);
		int64_t wake = loaded + cfg->poll;
		for (size_t i = 0; i < n; i++)
			if (items[i].next_attempt < wake)
				wake = items[i].next_attempt;
		if (cfg->reload && rs->pending && rs->retry_at < wake)
			wake = rs->retry_at;
		now = (int64_t)time(NULL);
		struct timespec ts = { wake > now ? (time_t)(wake - now) : 0, wake > now ? 0 : 200000000L };
		int sig = sigtimedwait(&held, NULL, &ts);
		if (sig == SIGTERM || sig == SIGINT) {
			slog("daemon: stopping on signal %d", sig);
			break;
		}
		if (sig == SIGHUP)
			slog("daemon: SIGHUP: reading the certificates again");
		if (sig == SIGHUP || (int64_t)time(NULL) >= loaded + cfg->poll) {
			item *fresh;
			size_t nf;
			loaded = (int64_t)time(NULL);
			if (load_items(cfg, &fresh, &nf, items, n) == 0) {
				free_items(items, n);
				items = fresh;
				n = nf;
			} else {
				slog("daemon: the certificates could not be read again; going on with the ones loaded");
			}
		}
	}
	free_items(items, n);
	return EXIT_GOOD;
}

/* ---------------------------------------------------------------- options */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ocspkit staple --cert LEAF.pem [--issuer CA.pem] [--out FILE] [options]\n"
		"       ocspkit staple --dir DIR [--issuer CA.pem] [options]\n"
		"\n"
		"Fetches, validates and atomically writes the DER OCSP response a TLS server\n"
		"staples: nginx ssl_stapling_file, HAProxy's CERT.ocsp, gnutls-serv --ocsp-response.\n"
		"\n"
		"  --cert FILE          the certificate (the first of a PEM bundle)\n"
		"  --issuer FILE        its issuing CA (default: from the bundle, or the directory)\n"
		"  --out FILE           the staple (default: CERT.ocsp)\n"
		"  --dir DIR            every *.pem, *.crt, *.cer of DIR whose first certificate\n"
		"                       is not a CA, each with DIR/NAME.ocsp beside it\n"
		"  --url URL            the responder (default: each certificate's OCSP URL)\n"
		"  --hash, --post, --timeout S, --connect-timeout S, --retries N, --max-size BYTES,\n"
		"  --CAfile F, --VAfile F, --skew S, --max-age S    as for `ocspkit fetch`\n"
		"\n"
		"When to refresh (a staple that is not usable is replaced as soon as possible):\n"
		"  --share F            once this share of thisUpdate..nextUpdate has passed (0.5)\n"
		"  --jitter F           up to this share of it earlier, stable per staple (0.1)\n"
		"  --margin S           and at least S seconds before nextUpdate, at most a quarter\n"
		"                       of the validity (3600)\n"
		"  --retry-min S, --retry-max S\n"
		"                       after a failure, wait S doubling up to S (60, 3600)\n"
		"  --force              ask the responder even when the staple is not due\n"
		"  --check              ask nothing; report the staples in place\n"
		"\n"
		"  --daemon             keep running: refresh each staple when due; read the\n"
		"                       certificates again every --poll S (60) and on SIGHUP;\n"
		"                       stop on SIGTERM or SIGINT\n"
		"  --reload CMD         run CMD (sh -c) after a pass that changed a staple; a failed\n"
		"                       CMD stays pending and is run again by each pass or run until\n"
		"                       it succeeds (state: DIR/.ocspkit-staple.reload-pending, or\n"
		"                       .NAME.reload-pending beside the --out file NAME)\n"
		"  -v, --verbose        log each HTTP attempt too\n"
		"\n"
		"A staple is never replaced by an answer that is malformed, not successful, not\n"
		"validly signed, about another certificate, expired, not yet valid, older than\n"
		"it, or saying \"unknown\".  A valid \"revoked\" is written and logged as REVOKED.\n"
		"\n"
		"exit (one-shot): 0 every staple in place is usable and good; 1 some says revoked\n"
		"      or unknown; 2 some refresh or the reload failed, or some staple is missing\n"
		"      or unusable; 3 usage or file error\n");
}

static int parse_share(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (!*s || *end || !(v >= 0 && v <= 1))
		return -1;
	*out = v;
	return 0;
}

int cmd_staple(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cert", required_argument, NULL, 'c' },       { "issuer", required_argument, NULL, 'i' },
		{ "out", required_argument, NULL, 'o' },        { "dir", required_argument, NULL, 'd' },
		{ "share", required_argument, NULL, 's' },      { "jitter", required_argument, NULL, 'j' },
		{ "margin", required_argument, NULL, 'M' },     { "retry-min", required_argument, NULL, 'x' },
		{ "retry-max", required_argument, NULL, 'X' },  { "force", no_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'K' },            { "daemon", no_argument, NULL, 'D' },
		{ "poll", required_argument, NULL, 'p' },       { "reload", required_argument, NULL, 'R' },
		{ "verbose", no_argument, NULL, 'v' },          { "help", no_argument, NULL, 'h' },
		CLIENT_LONG_OPTIONS,                            { NULL, 0, NULL, 0 }
	};
	config cfg;
	client_args args;
	reload_state rs = { 0 };
	long v;
	int ret = EXIT_USAGE;

	memset(&cfg, 0, sizeof(cfg));
	client_args_init(&args, &cfg.base);
	staple_policy_default(&cfg.pol);
	cfg.poll = 60;
	optind = 1;
	for (int ch; (ch = getopt_long(argc, argv, "hv", opts, NULL)) != -1;) {
		int taken = client_args_option(&args, &cfg.base, ch, optarg);
		if (taken < 0)
			return EXIT_USAGE;
		if (taken)
			continue;
		switch (ch) {
		case 'c': cfg.cert_path = optarg; break;
		case 'i': cfg.issuer_path = optarg; break;
		case 'o': cfg.out_path = optarg; break;
		case 'd': cfg.dir = optarg; break;
		case 'M':
		case 'x':
		case 'X':
		case 'p':
			if (client_parse_count(optarg, 100L * 365 * 86400, &v) || (ch != 'M' && v == 0)) {
				cli_err("--%s: seconds expected", ch == 'M' ? "margin" : ch == 'x' ? "retry-min"
								  : ch == 'X' ? "retry-max" : "poll");
				return EXIT_USAGE;
			}
			switch (ch) {
			case 'M': cfg.pol.margin = v; break;
			case 'x': cfg.pol.retry_min = v; break;
			case 'X': cfg.pol.retry_max = v; break;
			default: cfg.poll = v; break;
			}
			break;
		case 's':
		case 'j':
			if (parse_share(optarg, ch == 's' ? &cfg.pol.share : &cfg.pol.jitter)) {
				cli_err("--%s: a number from 0 to 1", ch == 's' ? "share" : "jitter");
				return EXIT_USAGE;
			}
			break;
		case 'f': cfg.force = 1; break;
		case 'K': cfg.check_only = 1; break;
		case 'D': cfg.daemon = 1; break;
		case 'R': cfg.reload = optarg; break;
		case 'v': args.co.http.verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc || !cfg.cert_path == !cfg.dir || (cfg.dir && cfg.out_path) ||
	    (cfg.daemon && cfg.check_only)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (cfg.pol.retry_max < cfg.pol.retry_min)
		cfg.pol.retry_max = cfg.pol.retry_min;
	cfg.co = args.co;
	if (client_args_load(&args, &cfg.base))
		goto out;

	if (reload_init(&rs, &cfg)) {
		cli_err("out of memory");
		goto out;
	}
	report_pending(&rs, &cfg);
	if (cfg.daemon) {
		ret = run_daemon(&cfg, &rs);
	} else {
		item *items;
		size_t n;
		if (load_items(&cfg, &items, &n, NULL, 0) == 0) {
			if (n == 0)
				slog("%s: no certificate to staple", cfg.dir);
			ret = n ? one_pass(items, n, &cfg, (int64_t)time(NULL), NULL, 0, &rs) : EXIT_INVALID;
			free_items(items, n);
		}
	}
out:
	free(rs.path);
	client_args_free(&args);
	return ret;
}
