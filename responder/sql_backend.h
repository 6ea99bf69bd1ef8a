/* What an SQL revocation source (source_sql.h) asks of a database: one
 * backend per engine (sql_sqlite.c for "sqlite:PATH", sql_pg.c for
 * "postgresql://..."), each an rsp_sql_backend_ops table.
 *
 * The source reads CFSSL's certdb `certificates` table (sql/sqlite/,
 * sql/postgresql/) and keeps what it read in memory: a backend is only
 * called from the source's poll (the server's source thread), never from
 * the request path, one call at a time per rsp_sql_backend.
 *
 * Rows are given as text, as the database returns them (SQL NULL as
 * NULL), and parsed by sql_row.c, which skips bad rows: a backend does
 * not judge the values.  The strings of a row live until fn returns.
 *
 * Every function that can fail writes one line (no newline) into err (cap
 * octets) and returns -1; err is for the log, so no password in it.
 *
 * Notes for backend authors:
 *  - load_all selects the columns of rsp_sql_row from certificates,
 *    `WHERE authority_key_identifier IN (akis)` when n_akis > 0 (the AKIs
 *    are lowercase hex; compare as the table stores them, CFSSL writes
 *    lowercase), streaming (a cursor, or single-row mode in libpq), so
 *    that memory does not grow with the table.  Times as text:
 *    whatever the engine prints (sql_row.c reads SQLite's Go-driver text,
 *    "2006-01-02 15:04:05.999999999-07:00" and RFC 3339 variants, and
 *    PostgreSQL's timestamptz output "2006-01-02 15:04:05.999999+00",
 *    with or without fraction, offset +hh, +hh:mm, or none = UTC).
 *    fn returning non-zero stops the walk; load_all then returns 0.
 *  - changes returns 2 whenever it cannot name the changed rows (SQLite's
 *    data_version, a NOTIFY queue overflow, a reconnect): the source then
 *    reloads everything.  With 1 it gives the current row of each changed
 *    (serial, AKI) through fn; a row that was deleted is given with
 *    status NULL (the source then forgets it: unknown).
 *  - a backend may ignore akis in changes (the source drops rows of other
 *    CAs).
 */
#ifndef RSP_SQL_BACKEND_H
#define RSP_SQL_BACKEND_H

#include <stddef.h>

/* One row of certificates, as text as the database returns it (NULL for SQL NULL). */
typedef struct {
	const char *serial_number, *authority_key_identifier, *ca_label, *status, *reason, *revoked_at, *expiry;
} rsp_sql_row;

typedef int (*rsp_sql_row_fn)(void *ctx, const rsp_sql_row *row); /* non-zero stops */

typedef struct rsp_sql_backend rsp_sql_backend; /* a backend's connection state */

typedef struct {
	const char *scheme; /* "sqlite" or "postgresql" */
	/* opens uri (read-only where possible); passfile may be NULL. 0 or -1 with err */
	int (*open)(rsp_sql_backend **out, const char *uri, const char *passfile, char *err, size_t cap);
	/* streams every row of certificates (for the CAs whose AKI hex is in akis, or all when
	 * n_akis is 0), constant memory per row */
	int (*load_all)(rsp_sql_backend *b, const char *const *akis, size_t n_akis, rsp_sql_row_fn fn, void *ctx,
			char *err, size_t cap);
	/* what changed since the last call (or since open, for the first call after a
	 * load_all), without blocking longer than wait_ms:
	 * 1 = something changed, rows changed given through fn (incremental: the rows of the
	 * changed serials), or 2 = changed but unknown which (reload all); 0 = nothing;
	 * -1 = connection lost (err) */
	int (*changes)(rsp_sql_backend *b, int wait_ms, rsp_sql_row_fn fn, void *ctx, char *err, size_t cap);
	/* 0 when the connection is usable, else tries to reconnect; -1 with err when it cannot */
	int (*reconnect)(rsp_sql_backend *b, char *err, size_t cap);
	void (*close)(rsp_sql_backend *b);
} rsp_sql_backend_ops;

/* The backends: sql_sqlite.c's, built when configure finds sqlite3
 * (config.h: OCSPKIT_WITH_SQLITE), and sql_pg.c's, built when it finds
 * libpq (config.h: OCSPKIT_WITH_LIBPQ, the PostgreSQL branch's
 * configure.ac).  Only rsp_sql_backend_find names them. */
extern const rsp_sql_backend_ops rsp_sql_sqlite_ops;
extern const rsp_sql_backend_ops rsp_sql_pg_ops;
/* rsp_sql_backend_find returns the backend for uri's scheme ("sqlite:",
 * "postgresql://" or "postgres://"), or NULL and says why in err (unknown
 * scheme, or the backend not built). */
const rsp_sql_backend_ops *rsp_sql_backend_find(const char *uri, char *err, size_t cap);

#endif
