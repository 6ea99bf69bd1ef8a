/* Staple upkeep: keeping OCSP staple files fresh for TLS servers (nginx
 * ssl_stapling_file, HAProxy's CERT.ocsp, gnutls-serv --ocsp-response),
 * what `ocspkit staple` runs once or as a daemon.
 *
 * A pass looks at each staple: the file in place is examined
 * (staple_examine); when it is usable and its refresh is not due yet
 * (staple_refresh_time) nothing happens; otherwise the responder is asked
 * (client_query) and staple_decide says whether the answer replaces the
 * file, which is then written atomically.  Every decision is one log
 * line.  The daemon repeats passes, sleeping until the next staple is
 * due, and has its caller read the certificates again at least every
 * poll seconds (and at SIGHUP), so that a renewed certificate gets its
 * staple at once.
 *
 * After a pass that changed a staple, a reload command (say, `nginx -s
 * reload`) runs.  Until it succeeds the server staples what it read
 * before: the reload is pending, and that is remembered in a file beside
 * the staples (upkeep_pending_path), so that the next pass, the next run
 * of a timer or a restarted daemon runs the command again even when no
 * staple changes then.  It is written, atomically, as soon as a pass
 * changed a staple, before the command runs, so that a run killed in
 * between leaves it too; a successful reload removes it.  Its presence is
 * the state; the lines, for people and the log, are
 *   since TIME          the first change since the last successful reload
 *   failures N          failed attempts since then
 *   last TIME exit N    the last failed attempt
 * and the command itself is not written (it may hold credentials).
 */
#ifndef OCSPKIT_CLIENT_UPKEEP_H
#define OCSPKIT_CLIENT_UPKEEP_H

#include <signal.h>
#include <stdint.h>

#include "fetch.h"
#include "staple.h"

/* How a pass ended for one staple, and for all (the highest): the exit
 * codes of `ocspkit staple`. */
enum {
	UPKEEP_GOOD = 0,      /* a usable staple saying good is in place */
	UPKEEP_NOT_GOOD = 1,  /* ... saying revoked (or unknown) */
	UPKEEP_FAILED = 2,    /* a due refresh failed, or no usable staple is in place */
	UPKEEP_FILE = 3       /* a file could not be read or written */
};

/* One staple: the certificate, its issuer, where the staple goes, and
 * its schedule. */
typedef struct {
	char *cert_path;
	char *out_path;
	ocspkit_cert *cert, *issuer;
	unsigned failures;   /* failed attempts in a row */
	int64_t next_attempt;
	int severity;        /* of its last pass (UPKEEP_*) */
} upkeep_item;

typedef struct {
	client_opts co;      /* how to ask */
	staple_policy pol;   /* when */
	staple_ctx base;     /* whom to believe: skew, max_age, trusted responders */
	int force;           /* ask even when the staple in place is not due */
	int check_only;      /* ask nothing: report the staples in place */
	const char *reload;  /* the command run (sh -c) after a pass that changed a staple; NULL: none */
	int daemon;          /* upkeep_daemon runs: a failed reload is retried on a schedule */
	long poll;           /* upkeep_daemon: seconds between reads of the certificates */
	/* one line per decision */
	void (*log)(void *ctx, const char *line);
	void *log_ctx;
} upkeep_config;

/* upkeep_item_init sets up *it for the certificate at cert_path (copies of
 * cert and issuer are taken), its staple at out_path (NULL: CERT.ocsp
 * beside the certificate).  0, or -1 when out of memory (*it then holds
 * nothing). */
int upkeep_item_init(upkeep_item *it, const char *cert_path, const char *out_path, const ocspkit_cert *cert,
		     const ocspkit_cert *issuer);
/* upkeep_items_free frees items[0..n) and the array. */
void upkeep_items_free(upkeep_item *items, size_t n);

/* The reload-pending state (above). */
typedef struct {
	char *path;        /* NULL: nowhere to keep it (--out -) */
	int pending;
	int64_t since;     /* 0: not known */
	unsigned failures;
	int64_t retry_at;  /* the daemon: not before */
} upkeep_reload;

/* upkeep_pending_path returns where the reload-pending state of a run is
 * kept (malloc'd; NULL when out of memory, or for out_path "-", which has
 * no directory: then *none is 1):
 *   dir given       DIR/.ocspkit-staple.reload-pending
 *   else            .NAME.reload-pending beside the staple NAME (out_path,
 *                   or CERT.ocsp)
 * hidden, as the temporary files of the atomic writes: servers that load
 * every file of a directory (HAProxy's crt DIR) must not see it. */
char *upkeep_pending_path(const char *dir, const char *out_path, const char *cert_path, int *none);
/* upkeep_reload_init reads the state kept at path (taken over; NULL:
 * none) into *rs.  0, or -1 (out of memory). */
int upkeep_reload_init(upkeep_reload *rs, char *path, const upkeep_config *cfg);
void upkeep_reload_clear(upkeep_reload *rs);
/* upkeep_report_pending logs a pending reload that this run will not
 * attempt (check_only, or no reload command). */
void upkeep_report_pending(const upkeep_reload *rs, const upkeep_config *cfg);

/* upkeep_pass looks at items[0..n) at time now (only those due, when
 * only_due), then runs the reload command when a staple changed or a
 * reload is pending and due, with the signals of held (NULL: none)
 * unblocked in the command.  Returns the highest severity (UPKEEP_*). */
int upkeep_pass(upkeep_item *items, size_t n, const upkeep_config *cfg, int64_t now, const sigset_t *held,
		int only_due, upkeep_reload *rs);

/* upkeep_load_fn reads the certificates again: *items (malloc'd) and *n.
 * 0, or -1 (reported). */
typedef int (*upkeep_load_fn)(void *ctx, upkeep_item **items, size_t *n);

/* upkeep_daemon runs passes until SIGTERM or SIGINT: each staple when it
 * is due, the reload when it is, and load again every cfg->poll seconds
 * and at SIGHUP (a staple whose certificates did not change keeps its
 * schedule; when they cannot be read, the ones loaded go on).  Returns
 * UPKEEP_GOOD, or UPKEEP_FILE when the first load failed. */
int upkeep_daemon(const upkeep_config *cfg, upkeep_reload *rs, upkeep_load_fn load, void *ctx);

#endif
