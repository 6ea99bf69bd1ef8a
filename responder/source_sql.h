/* A CFSSL certdb (an SQL database's `certificates` table) as a
 * revocation source (source.h), kind "db": SQLite (sql_sqlite.c) or
 * PostgreSQL (sql_pg.c) through sql_backend.h.
 *
 * The snapshot is the table in memory, for the CAs the source serves: a
 * sorted array of fixed 40-octet records (CA, serial, revoked, reason,
 * revocation time, expiry), shared by the snapshots that follow it, and
 * a small sorted overlay of the rows changed since (copy-on-write: a
 * change copies the overlay only; when the overlay grows past a
 * sixteenth of the array, the two are merged into a new array).  A
 * lookup is two binary searches in memory, never a database query.
 *
 * Statuses: a row of status revoked is revoked with revoked_at and its
 * reason (0, unspecified, not stated); good is good; a serial without a
 * row for the CA is unknown, and so is a row past its expiry by more than
 * expired_grace seconds (when expired_grace is not negative: by default
 * a row is answered as long as it exists).  Rows that do not read
 * (sql_row.h) are skipped and counted: each load's line says how many
 * for each reason, and a changed row that no longer reads makes its
 * serial unknown, never leaves an older status in place.
 *
 * Which rows: those whose authority_key_identifier is the keyIdentifier
 * of one of the CAs (its subjectKeyIdentifier extension, else the SHA-1
 * of its key, RFC 5280's method 1, which is what its certificates'
 * authorityKeyIdentifier then hold), and whose ca_label is the label,
 * when one is given.
 *
 * Polls: the first one, one with RSP_POLL_FORCE (SIGHUP) and one every
 * full_poll seconds read the whole table (streamed, the progress logged
 * every RSP_SQL_PROGRESS rows; published only once read whole); the
 * others ask the backend what changed (SQLite: PRAGMA data_version, then
 * a whole read; PostgreSQL: the NOTIFY payloads, the rows of the changed
 * serials).  A database that cannot be reached, or is lost, is refused
 * once (rsp_source_refuse: the watchers log it, freshness shows it) and
 * the snapshot in use serves on; reconnections are tried with a backoff
 * from 1 to 60 seconds, silently, and the first load that succeeds is
 * published, with "(database back)" in its line.
 */
#ifndef RSP_SOURCE_SQL_H
#define RSP_SOURCE_SQL_H

#include "source.h"
#include "sql_backend.h"

#define RSP_SQL_PROGRESS 1000000
#define RSP_SQL_MAX_CAS 255
#define RSP_SQL_DEFAULT_FULL_POLL 60

typedef struct {
	const char *uri;                 /* sqlite:PATH, postgresql://... */
	const char *passfile;            /* NULL: the backend's default */
	const char *ca_label;            /* NULL: any */
	const ocspkit_cert *const *cas;  /* the CAs served (borrowed: they outlive the source) */
	size_t n_cas;
	long full_poll;                  /* seconds between whole reads; 0: RSP_SQL_DEFAULT_FULL_POLL */
	int64_t expired_grace;           /* seconds a row is answered past expiry; negative: always */
	const rsp_sql_backend_ops *backend; /* NULL: by uri's scheme (rsp_sql_backend_find) */
	/* a poll goes on taking changes until this long after it began,
	 * publishing each batch as it comes (PostgreSQL: notifications), so
	 * that a poller asked every second applies a commit within
	 * milliseconds rather than at its next round; 0: no wait */
	int change_wait_ms;
	/* progress of long loads, a line every progress rows (0:
	 * RSP_SQL_PROGRESS), and the skipped rows' counts (NULL: none) */
	void (*log)(void *ctx, const char *line);
	unsigned long progress;
	void *log_ctx;
	/* the time lookups judge expiry by (NULL: time()) */
	int64_t (*clock)(void);
} rsp_sql_source_opts;

/* rsp_sql_source_default_opts: no CA, full_poll 60, expired_grace -1. */
void rsp_sql_source_default_opts(rsp_sql_source_opts *o);

/* rsp_sql_source_new makes the source; it connects at its first poll.
 * OCSPKIT_E_INVALID_ARGUMENT with err for an unknown or unbuilt scheme,
 * no CA or too many. */
ocspkit_err rsp_sql_source_new(rsp_source **out, const rsp_sql_source_opts *o, char *err, size_t cap);

/* The skipped rows of the last whole read, by reason (sql_row.h), for
 * tests and stats. */
void rsp_sql_source_skipped(rsp_source *src, unsigned long counts[], size_t n);

#endif
