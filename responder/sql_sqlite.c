/* The SQLite backend of the SQL source (sql_backend.h): "sqlite:PATH",
 * opened read-only.  Changes are seen with PRAGMA data_version (which
 * moves when another connection commits) and with the file itself: one
 * that vanished is a lost connection, one replaced (another inode) is
 * opened again.  Either way the source reads the whole table again
 * (changes returns 2): SQLite cannot say which rows changed. */
#include <config.h>

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sql_backend.h"

#define BUSY_TIMEOUT_MS 5000

struct rsp_sql_backend {
	sqlite3 *db;
	char *path;
	sqlite3_int64 data_version;
	dev_t dev;
	ino_t ino;
};

static int fail(char *err, size_t cap, const char *path, const char *what, sqlite3 *db)
{
	snprintf(err, cap, "sqlite:%s: %s: %s", path, what, db ? sqlite3_errmsg(db) : "out of memory");
	return -1;
}

static int data_version(rsp_sql_backend *b, sqlite3_int64 *v, char *err, size_t cap)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(b->db, "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK)
		return fail(err, cap, b->path, "PRAGMA data_version", b->db);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : fail(err, cap, b->path, "PRAGMA data_version", b->db);
}

static int connect_db(rsp_sql_backend *b, char *err, size_t cap)
{
	struct stat sb;
	if (stat(b->path, &sb) != 0) {
		snprintf(err, cap, "sqlite:%s: no such file", b->path);
		return -1;
	}
	/* read-only, and never created: a mistyped path is an error */
	if (sqlite3_open_v2(b->path, &b->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		fail(err, cap, b->path, "open", b->db);
		sqlite3_close(b->db);
		b->db = NULL;
		return -1;
	}
	sqlite3_busy_timeout(b->db, BUSY_TIMEOUT_MS);
	b->dev = sb.st_dev;
	b->ino = sb.st_ino;
	/* the table must be there */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(b->db, "SELECT 1 FROM certificates LIMIT 0", -1, &st, NULL) != SQLITE_OK) {
		fail(err, cap, b->path, "no certificates table", b->db);
		sqlite3_close(b->db);
		b->db = NULL;
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

static int sq_open(rsp_sql_backend **out, const char *uri, const char *passfile, char *err, size_t cap)
{
	(void)passfile;
	*out = NULL;
	if (strncmp(uri, "sqlite:", 7) != 0 || !uri[7]) {
		snprintf(err, cap, "%s: sqlite:PATH expected", uri);
		return -1;
	}
	rsp_sql_backend *b = calloc(1, sizeof(*b));
	if (!b || !(b->path = strdup(uri + 7))) {
		free(b);
		snprintf(err, cap, "out of memory");
		return -1;
	}
	if (connect_db(b, err, cap) != 0) {
		free(b->path);
		free(b);
		return -1;
	}
	*out = b;
	return 0;
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int sq_load_all(rsp_sql_backend *b, const char *const *akis, size_t n_akis, rsp_sql_row_fn fn, void *ctx,
		       char *err, size_t cap)
{
	/* the version before the read: a commit during it is seen next time */
	if (data_version(b, &b->data_version, err, cap) != 0)
		return -1;
	/* each AKI in lowercase (CFSSL's) and uppercase, so that the index
	 * of 900_ocspkit.sql serves the query */
	char sql[400 + 8 * 255];
	char(*upper)[2 * 64 + 1] = n_akis ? calloc(n_akis, sizeof(*upper)) : NULL;
	if (n_akis && !upper) {
		snprintf(err, cap, "out of memory");
		return -1;
	}
	size_t n = (size_t)snprintf(sql, sizeof(sql),
				    "SELECT serial_number, authority_key_identifier, ca_label, status, reason, "
				    "revoked_at, expiry FROM certificates");
	for (size_t i = 0; i < n_akis && n < sizeof(sql); i++)
		n += (size_t)snprintf(sql + n, sizeof(sql) - n, "%s?,?", i ? "," : " WHERE authority_key_identifier IN (");
	if (n_akis && n < sizeof(sql))
		snprintf(sql + n, sizeof(sql) - n, ")");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(upper);
		return fail(err, cap, b->path, "SELECT", b->db);
	}
	for (size_t i = 0; i < n_akis; i++) {
		for (size_t k = 0; akis[i][k] && k < sizeof(upper[i]) - 1; k++)
			upper[i][k] = (char)toupper((unsigned char)akis[i][k]);
		sqlite3_bind_text(st, (int)(2 * i) + 1, akis[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, (int)(2 * i) + 2, upper[i], -1, SQLITE_STATIC);
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rsp_sql_row row = { col(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4), col(st, 5), col(st, 6) };
		if (fn(ctx, &row)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		fail(err, cap, b->path, "reading certificates", b->db);
	sqlite3_finalize(st);
	free(upper);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int sq_changes(rsp_sql_backend *b, int wait_ms, rsp_sql_row_fn fn, void *ctx, char *err, size_t cap)
{
	(void)wait_ms;
	(void)fn;
	(void)ctx;
	struct stat sb;
	if (stat(b->path, &sb) != 0) {
		snprintf(err, cap, "sqlite:%s: the file is gone", b->path);
		return -1;
	}
	if (sb.st_dev != b->dev || sb.st_ino != b->ino) {
		/* replaced (a restore, a rename over it): open the new one */
		sqlite3_close(b->db);
		b->db = NULL;
		return connect_db(b, err, cap) == 0 ? 2 : -1;
	}
	sqlite3_int64 v;
	if (data_version(b, &v, err, cap) != 0)
		return -1;
	return v != b->data_version ? 2 : 0;
}

static int sq_reconnect(rsp_sql_backend *b, char *err, size_t cap)
{
	struct stat sb;
	if (b->db && stat(b->path, &sb) == 0 && sb.st_dev == b->dev && sb.st_ino == b->ino)
		return 0;
	if (b->db)
		sqlite3_close(b->db);
	b->db = NULL;
	return connect_db(b, err, cap);
}

static void sq_close(rsp_sql_backend *b)
{
	if (!b)
		return;
	sqlite3_close(b->db);
	free(b->path);
	free(b);
}

const rsp_sql_backend_ops rsp_sql_sqlite_ops = {
	.scheme = "sqlite",
	.open = sq_open,
	.load_all = sq_load_all,
	.changes = sq_changes,
	.reconnect = sq_reconnect,
	.close = sq_close,
};
