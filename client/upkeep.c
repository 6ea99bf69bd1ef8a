/* Staple upkeep (upkeep.h). */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"
#include "upkeep.h"

/* One line to the log. */
#define say(cfg, ...) util_logf((cfg)->log, (cfg)->log_ctx, __VA_ARGS__)

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

static void report_revoked(const upkeep_config *cfg, const upkeep_item *it, const staple_info *in, const char *what)
{
	char t[OCSPKIT_TIME_STRING_SIZE];
	say(cfg, "%s: REVOKED: the responder says %s is revoked%s%s since %s; %s", it->out_path, it->cert_path,
	    in->has_reason ? ", " : "", in->has_reason ? ocspkit_crl_reason_name(in->reason) : "",
	    fmt_time(t, in->revocation_time), what);
}

static int severity_of(const staple_info *in_place)
{
	if (!in_place || in_place->state != STAPLE_USABLE)
		return UPKEEP_FAILED;
	return in_place->status == OCSPKIT_CERT_GOOD ? UPKEEP_GOOD : UPKEEP_NOT_GOOD;
}

/* The staple in place: 1 and its bytes when there is a file, 0 when there
 * is none, -1 when it cannot be read. */
static int read_staple(const upkeep_config *cfg, const char *path, uint8_t **data, size_t *len)
{
	struct stat st;
	char err[PATH_MAX + 64];
	*data = NULL;
	*len = 0;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		say(cfg, "%s: cannot look at the staple in place (%s); left alone, retried later", path, strerror(errno));
		return -1;
	}
	if (util_read_file(path, OCSPKIT_MAX_MESSAGE_SIZE, data, len, err, sizeof(err))) {
		say(cfg, "%s", err);
		say(cfg, "%s: cannot read the staple in place; left alone, retried later", path);
		return -1;
	}
	return 1;
}

/* One pass over one staple at time now.  Sets *changed when it wrote. */
static void process(upkeep_item *it, const upkeep_config *cfg, int64_t now, int *changed)
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
	uint64_t seed = staple_seed(ocspkit_cert_get_der(it->cert).data, ocspkit_cert_get_der(it->cert).len);

	int have = read_staple(cfg, it->out_path, &cur_der, &cur_len);
	if (have < 0) {
		it->severity = UPKEEP_FILE;
		it->next_attempt = now + cfg->pol.retry_min;
		return;
	}
	if (have > 0) {
		if (staple_examine(&cur, &ctx, cur_der, cur_len) != OCSPKIT_OK) {
			say(cfg, "%s: out of memory", it->out_path);
			it->severity = UPKEEP_FILE;
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
			say(cfg, "%s: fresh: %s; refresh due at %s", it->out_path, d, fmt_time(t, due));
			if (cur.status == OCSPKIT_CERT_REVOKED)
				report_revoked(cfg, it, &cur, "the staple in place says so");
			it->severity = severity_of(&cur);
			it->next_attempt = due > now ? due : now + 1;
			goto out;
		}
	}
	if (cfg->check_only) {
		if (in_place) {
			describe_bad(d, sizeof(d), &cur);
			say(cfg, "%s: not usable: %s", it->out_path, d);
		} else {
			say(cfg, "%s: no staple", it->out_path);
		}
		it->severity = UPKEEP_FAILED;
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
			char err[PATH_MAX + 64];
			if (util_write_file(it->out_path, r.http.body, r.http.len, err, sizeof(err))) {
				say(cfg, "%s: could not write the new staple (%s): %s", it->out_path, d, err);
				it->severity = UPKEEP_FILE;
				it->next_attempt = now + cfg->pol.retry_min;
				goto out;
			}
			*changed = 1;
			int64_t next = staple_refresh_time(&r.info, &cfg->pol, seed ^ staple_seed(cand_der.data, cand_der.len));
			if (next < now + cfg->pol.retry_min)
				next = now + cfg->pol.retry_min;
			say(cfg, "%s: wrote: %s (%s, from %s); refresh due at %s", it->out_path, d, staple_reason_text(reason),
			    r.url, fmt_time(t, next));
			if (r.info.status == OCSPKIT_CERT_REVOKED)
				report_revoked(cfg, it, &r.info, "staple written");
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
		say(cfg, "%s: kept the staple in place (%s): %s; retry at %s", it->out_path, d, why,
		    fmt_time(t, it->next_attempt));
		if (cur.status == OCSPKIT_CERT_REVOKED)
			report_revoked(cfg, it, &cur, "the staple in place says so");
		it->severity = severity_of(&cur);
		if (hard_failure && it->severity < UPKEEP_FAILED)
			it->severity = UPKEEP_FAILED;
	} else {
		if (in_place)
			describe_bad(d, sizeof(d), &cur);
		say(cfg, "%s: no usable staple%s%s%s: %s; retry at %s", it->out_path, in_place ? " (the file in place is " : "",
		    in_place ? d : "", in_place ? ")" : "", why, fmt_time(t, it->next_attempt));
		if (ocspkit_cert_has_must_staple(it->cert))
			say(cfg, "%s: %s has the TLS Feature (must-staple) extension: clients refuse the server until a "
			    "valid staple is in place", it->out_path, it->cert_path);
		it->severity = UPKEEP_FAILED;
	}
out:
	client_result_clear(&r);
	staple_info_clear(&cur);
	free(cur_der);
}

/* ---------------------------------------------------------------- the staples */

static void item_free(upkeep_item *it)
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

int upkeep_item_init(upkeep_item *it, const char *cert_path, const char *out_path, const ocspkit_cert *cert,
		     const ocspkit_cert *issuer)
{
	ocspkit_bytes cd = ocspkit_cert_get_der(cert), id = ocspkit_cert_get_der(issuer);
	memset(it, 0, sizeof(*it));
	it->cert_path = strdup(cert_path);
	it->out_path = out_path ? strdup(out_path) : str_concat(cert_path, ".ocsp", "");
	if (!it->cert_path || !it->out_path ||
	    ocspkit_cert_decode(&it->cert, cd.data, cd.len, OCSPKIT_DECODE_STRICT, NULL) != OCSPKIT_OK ||
	    ocspkit_cert_decode(&it->issuer, id.data, id.len, OCSPKIT_DECODE_STRICT, NULL) != OCSPKIT_OK) {
		item_free(it);
		memset(it, 0, sizeof(*it));
		return -1;
	}
	return 0;
}

void upkeep_items_free(upkeep_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		item_free(&items[i]);
	free(items);
}

/* ---------------------------------------------------------------- the reload */

/* Runs the reload command through the shell, with the signals the daemon
 * holds back unblocked again.  Its exit status, or -1. */
static int run_reload(const upkeep_config *cfg, const sigset_t *held)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		say(cfg, "reload: cannot fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (held)
			sigprocmask(SIG_UNBLOCK, held, NULL);
		execl("/bin/sh", "sh", "-c", cfg->reload, (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	say(cfg, "reload: `%s` exited with %d", cfg->reload, rc);
	return rc;
}

char *upkeep_pending_path(const char *dir, const char *out_path, const char *cert_path, int *none)
{
	char *def = NULL, *path = NULL;
	*none = 0;
	if (dir)
		return str_concat(dir, "/", ".ocspkit-staple.reload-pending");
	if (!out_path && !(out_path = def = str_concat(cert_path, ".ocsp", "")))
		return NULL;
	if (strcmp(out_path, "-") == 0) {
		*none = 1;
	} else {
		const char *name = strrchr(out_path, '/');
		name = name ? name + 1 : out_path;
		size_t n = (size_t)(name - out_path) + strlen(name) + sizeof("..reload-pending");
		if ((path = malloc(n)) != NULL)
			snprintf(path, n, "%.*s.%s.reload-pending", (int)(name - out_path), out_path, name);
	}
	free(def);
	return path;
}

int upkeep_reload_init(upkeep_reload *rs, char *path, const upkeep_config *cfg)
{
	memset(rs, 0, sizeof(*rs));
	if (!(rs->path = path))
		return 0;
	struct stat st;
	if (stat(rs->path, &st) != 0) {
		if (errno != ENOENT)
			say(cfg, "reload: cannot look at %s (%s); taken as no reload pending", rs->path, strerror(errno));
		return 0;
	}
	rs->pending = 1;
	uint8_t *data;
	size_t len;
	char err[PATH_MAX + 64];
	if (util_read_file(rs->path, 4096, &data, &len, err, sizeof(err)) != 0) {
		say(cfg, "reload: %s; taken as pending since an unknown time", err);
		return 0;
	}
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
	return text ? 0 : -1;
}

void upkeep_reload_clear(upkeep_reload *rs)
{
	free(rs->path);
	memset(rs, 0, sizeof(*rs));
}

static const char *since_text(char buf[OCSPKIT_TIME_STRING_SIZE], const upkeep_reload *rs)
{
	return rs->since ? fmt_time(buf, rs->since) : "an unknown time";
}

/* Writes the state file (last_rc < 0: no attempt yet).  0 on success. */
static int reload_save(const upkeep_reload *rs, const upkeep_config *cfg, int64_t now, int last_rc)
{
	char a[OCSPKIT_TIME_STRING_SIZE], b[OCSPKIT_TIME_STRING_SIZE], text[256];
	if (!rs->path)
		return 0;
	int n = snprintf(text, sizeof(text), "# ocspkit staple: the server has not been reloaded since a staple changed\n"
			 "since %s\nfailures %u\n", since_text(a, rs), rs->failures);
	if (last_rc >= 0)
		snprintf(text + n, sizeof(text) - (size_t)n, "last %s exit %d\n", fmt_time(b, now), last_rc);
	char err[PATH_MAX + 64];
	if (util_write_file(rs->path, text, strlen(text), err, sizeof(err))) {
		say(cfg, "reload: could not remember the pending reload (%s)", err);
		return -1;
	}
	return 0;
}

/* A staple changed: the reload is pending from now on (unless it was). */
static int reload_mark(upkeep_reload *rs, const upkeep_config *cfg, int64_t now)
{
	if (rs->pending)
		return UPKEEP_GOOD;
	rs->pending = 1;
	rs->since = now;
	rs->failures = 0;
	rs->retry_at = 0;
	return reload_save(rs, cfg, now, -1) ? UPKEEP_FILE : UPKEEP_GOOD;
}

/* Runs the reload command (a staple changed, or a reload is pending) and
 * keeps the state; the severity of the outcome. */
static int reload_run(upkeep_reload *rs, const upkeep_config *cfg, const sigset_t *held, int changed)
{
	char t[OCSPKIT_TIME_STRING_SIZE], u[OCSPKIT_TIME_STRING_SIZE];
	if (!changed)
		say(cfg, "reload: pending since %s (%u failed attempt%s so far): running it again", since_text(t, rs),
		    rs->failures, rs->failures == 1 ? "" : "s");
	int rc = run_reload(cfg, held);
	int64_t now = (int64_t)time(NULL);
	if (rc == 0) {
		int sev = UPKEEP_GOOD;
		if (rs->pending && rs->path && unlink(rs->path) != 0 && errno != ENOENT) {
			say(cfg, "reload: done, but %s cannot be removed (%s): the next run reloads again", rs->path,
			    strerror(errno));
			sev = UPKEEP_FILE;
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
	int sev = reload_save(rs, cfg, now, rc < 0 ? 255 : rc) ? UPKEEP_FILE : UPKEEP_FAILED;
	if (cfg->daemon)
		say(cfg, "reload: failed; pending since %s (%u failed attempt%s): retry at %s", since_text(t, rs), rs->failures,
		    rs->failures == 1 ? "" : "s", fmt_time(u, rs->retry_at));
	else if (rs->path && sev == UPKEEP_FAILED)
		say(cfg, "reload: failed; pending since %s (%u failed attempt%s), remembered in %s: the next run retries it",
		    since_text(t, rs), rs->failures, rs->failures == 1 ? "" : "s", rs->path);
	else
		say(cfg, "reload: failed; pending since %s, but nowhere remembered: the next run retries it only if a staple "
		    "changes", since_text(t, rs));
	return sev;
}

int upkeep_pass(upkeep_item *items, size_t n, const upkeep_config *cfg, int64_t now, const sigset_t *held,
		int only_due, upkeep_reload *rs)
{
	int changed = 0, sev = UPKEEP_GOOD;
	for (size_t i = 0; i < n; i++) {
		if (only_due && items[i].next_attempt > now)
			continue;
		process(&items[i], cfg, now, &changed);
		/* at once: a run that dies before the reload leaves it pending */
		if (changed && cfg->reload && !rs->pending) {
			int msev = reload_mark(rs, cfg, now);
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

void upkeep_report_pending(const upkeep_reload *rs, const upkeep_config *cfg)
{
	char t[OCSPKIT_TIME_STRING_SIZE];
	if (rs->pending && (!cfg->reload || cfg->check_only))
		say(cfg, "reload: pending since %s (%s): the server may still staple older responses%s", since_text(t, rs),
		    rs->path, cfg->reload ? "" : "; no --reload given to retry it");
}

/* ---------------------------------------------------------------- the daemon */

/* A staple whose certificates did not change keeps its schedule. */
static void carry_over(upkeep_item *items, size_t n, const upkeep_item *old, size_t n_old)
{
	for (size_t i = 0; i < n; i++) {
		upkeep_item *it = &items[i];
		for (size_t j = 0; j < n_old; j++) {
			if (strcmp(old[j].cert_path, it->cert_path) == 0 &&
			    util_same_bytes(ocspkit_cert_get_der(old[j].cert), ocspkit_cert_get_der(it->cert)) &&
			    util_same_bytes(ocspkit_cert_get_der(old[j].issuer), ocspkit_cert_get_der(it->issuer))) {
				it->failures = old[j].failures;
				it->next_attempt = old[j].next_attempt;
				it->severity = old[j].severity;
			}
		}
	}
}

int upkeep_daemon(const upkeep_config *cfg, upkeep_reload *rs, upkeep_load_fn load, void *ctx)
{
	sigset_t held;
	upkeep_item *items = NULL;
	size_t n = 0;

	sigemptyset(&held);
	sigaddset(&held, SIGTERM);
	sigaddset(&held, SIGINT);
	sigaddset(&held, SIGHUP);
	sigprocmask(SIG_BLOCK, &held, NULL);
	if (load(ctx, &items, &n))
		return UPKEEP_FILE;
	say(cfg, "daemon: %zu staple%s; certificates re-read every %ld s", n, n == 1 ? "" : "s", cfg->poll);
	int64_t loaded = (int64_t)time(NULL);
	for (;;) {
		int64_t now = (int64_t)time(NULL);
		(void)upkeep_pass(items, n, cfg, now, &held, 1, rs);
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
			say(cfg, "daemon: stopping on signal %d", sig);
			break;
		}
		if (sig == SIGHUP)
			say(cfg, "daemon: SIGHUP: reading the certificates again");
		if (sig == SIGHUP || (int64_t)time(NULL) >= loaded + cfg->poll) {
			upkeep_item *fresh;
			size_t nf;
			loaded = (int64_t)time(NULL);
			if (load(ctx, &fresh, &nf) == 0) {
				carry_over(fresh, nf, items, n);
				upkeep_items_free(items, n);
				items = fresh;
				n = nf;
			} else {
				say(cfg, "daemon: the certificates could not be read again; going on with the ones loaded");
			}
		}
	}
	upkeep_items_free(items, n);
	return UPKEEP_GOOD;
}
