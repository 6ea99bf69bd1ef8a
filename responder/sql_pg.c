/* PostgreSQL as an SQL revocation source's database (sql_backend.h), with
 * libpq: CFSSL's certdb `certificates` table (sql/postgresql/), followed
 * through the notifications of sql/postgresql/900_ocspkit.sql's trigger.
 *
 * The connection LISTENs on ocspkit_certificates before anything is read,
 * so that a change committed during a load is announced after it; the
 * payload '<aki hex>:<serial>' names the row, which `changes` re-reads.
 * Notifications sent while the connection was down are lost: the first
 * `changes` after a reconnect answers 2 (reload everything), unless a
 * load_all came between. */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "sql_backend.h"

#define CHANNEL "ocspkit_certificates"
/* More rows named in one `changes` than this: reload instead. */
#define MAX_CHANGED 4096
/* Longest payload taken apart (the trigger sends at most 7900 octets). */
#define MAX_PAYLOAD 8000

struct rsp_sql_backend {
	PGconn *conn;       /* NULL or not CONNECTION_OK: down */
	char *uri, *passfile;
	int reload_due;     /* connected anew since the last load_all */
	char down[256];     /* why the last connect failed */
};

/* The text columns of certificates, CFSSL's bytea as text ('escape' never
 * fails: octets that are not printable ASCII come out as \ooo, which
 * sql_row.c refuses), times in ISO style in UTC (set at connect). */
#define COLUMNS_OF(t) \
	"encode(" t ".serial_number, 'escape'), encode(" t ".authority_key_identifier, 'escape'), " \
	"encode(" t ".ca_label, 'escape'), encode(" t ".status, 'escape'), " t ".reason::text, " \
	t ".revoked_at::text, " t ".expiry::text"

/* one_line makes libpq's messages (several lines, a newline at the end)
 * one line for the log. */
static void one_line(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n' || s[i] == '\r')
			s[i] = ' ';
}

static void set_err(char *err, size_t cap, const char *what, const char *msg)
{
	if (!cap)
		return;
	snprintf(err, cap, "postgresql: %s%s%s", what, msg && *msg ? ": " : "", msg ? msg : "");
	one_line(err);
}

static void conn_err(rsp_sql_backend *b, char *err, size_t cap, const char *what)
{
	set_err(err, cap, what, b->conn ? PQerrorMessage(b->conn) : b->down[0] ? b->down : "not connected");
}

static void drop_conn(rsp_sql_backend *b)
{
	if (b->conn)
		PQfinish(b->conn);
	b->conn = NULL;
}

static int is_up(const rsp_sql_backend *b)
{
	return b->conn && PQstatus(b->conn) == CONNECTION_OK;
}

/* connect opens a connection and LISTENs; 0, or -1 with err and no
 * connection. */
static int connect_db(rsp_sql_backend *b, char *err, size_t cap)
{
	/* Earlier entries are defaults the URI may override; passfile, when
	 * given, wins over the URI's and PGPASSFILE. */
	const char *keys[8], *vals[8];
	int n = 0;
	PGresult *r;

	keys[n] = "connect_timeout", vals[n++] = "5";
	keys[n] = "keepalives_idle", vals[n++] = "10";
	keys[n] = "keepalives_interval", vals[n++] = "5";
	keys[n] = "keepalives_count", vals[n++] = "3";
	keys[n] = "application_name", vals[n++] = "ocspkit";
	keys[n] = "dbname", vals[n++] = b->uri;
	if (b->passfile)
		keys[n] = "passfile", vals[n++] = b->passfile;
	keys[n] = NULL, vals[n] = NULL;

	drop_conn(b);
	b->conn = PQconnectdbParams(keys, vals, 1);
	if (!b->conn) {
		set_err(err, cap, "connect", "out of memory");
		return -1;
	}
	if (PQstatus(b->conn) != CONNECTION_OK) {
		snprintf(b->down, sizeof b->down, "not connected: %s", PQerrorMessage(b->conn));
		one_line(b->down);
		conn_err(b, err, cap, "connect");
		drop_conn(b);
		return -1;
	}
	r = PQexec(b->conn, "SET datestyle TO ISO; SET timezone TO 'UTC'; LISTEN " CHANNEL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		conn_err(b, err, cap, "LISTEN " CHANNEL);
		PQclear(r);
		drop_conn(b);
		return -1;
	}
	PQclear(r);
	b->reload_due = 1;
	b->down[0] = '\0';
	return 0;
}

static void pg_close(rsp_sql_backend *b)
{
	if (!b)
		return;
	drop_conn(b);
	free(b->uri);
	free(b->passfile);
	free(b);
}

/* A database that cannot be reached is not an error here: the source
 * starts without data and `reconnect` tries again, so that a node started
 * while PostgreSQL is down becomes ready when it comes up.  A URI libpq
 * cannot parse is. */
static int pg_open(rsp_sql_backend **out, const char *uri, const char *passfile, char *err, size_t cap)
{
	rsp_sql_backend *b;
	PQconninfoOption *opts;
	char *perr = NULL;

	*out = NULL;
	opts = PQconninfoParse(uri, &perr);
	if (!opts) {
		set_err(err, cap, "bad connection URI", perr ? perr : "out of memory");
		PQfreemem(perr);
		return -1;
	}
	PQconninfoFree(opts);
	b = calloc(1, sizeof *b);
	if (!b || !(b->uri = strdup(uri)) || (passfile && !(b->passfile = strdup(passfile)))) {
		pg_close(b);
		set_err(err, cap, "open", "out of memory");
		return -1;
	}
	(void)connect_db(b, err, cap);
	*out = b;
	return 0;
}

/* text_array writes the PostgreSQL array literal of strs[0..n) (every
 * element quoted) into a new string, or NULL when out of memory. */
static char *text_array(const char *const *strs, size_t n)
{
	size_t len = 3;
	char *s, *p;

	for (size_t i = 0; i < n; i++)
		len += 2 * strlen(strs[i]) + 3;
	s = p = malloc(len);
	if (!s)
		return NULL;
	*p++ = '{';
	for (size_t i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		*p++ = '"';
		for (const char *c = strs[i]; *c; c++) {
			if (*c == '"' || *c == '\\')
				*p++ = '\\';
			*p++ = *c;
		}
		*p++ = '"';
	}
	*p++ = '}';
	*p = '\0';
	return s;
}

static const char *col(const PGresult *r, int i)
{
	return PQgetisnull(r, 0, i) ? NULL : PQgetvalue(r, 0, i);
}

/* stream runs sql with its text parameters in single-row mode and gives
 * each row to fn; 0, or -1 with err.  When fn stops the walk, the rest of
 * the query is cancelled. */
static int stream(rsp_sql_backend *b, const char *sql, int nparams, const char *const *params,
		  rsp_sql_row_fn fn, void *ctx, char *err, size_t cap)
{
	PGresult *r;
	int stopped = 0, failed = 0;

	if (!is_up(b)) {
		conn_err(b, err, cap, "query");
		return -1;
	}
	if (!PQsendQueryParams(b->conn, sql, nparams, NULL, params, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(b->conn)) {
		conn_err(b, err, cap, "query");
		while ((r = PQgetResult(b->conn)))
			PQclear(r);
		return -1;
	}
	while ((r = PQgetResult(b->conn))) {
		ExecStatusType st = PQresultStatus(r);

		if (st == PGRES_SINGLE_TUPLE && !stopped && !failed) {
			rsp_sql_row row = {
				.serial_number = col(r, 0), .authority_key_identifier = col(r, 1),
				.ca_label = col(r, 2), .status = col(r, 3), .reason = col(r, 4),
				.revoked_at = col(r, 5), .expiry = col(r, 6),
			};
			if (fn(ctx, &row)) {
				PGcancel *c = PQgetCancel(b->conn);
				char buf[256];

				stopped = 1;
				if (c) {
					(void)PQcancel(c, buf, sizeof buf);
					PQfreeCancel(c);
				}
			}
		} else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && !stopped && !failed) {
			set_err(err, cap, "query", PQresultErrorMessage(r));
			failed = 1;
		}
		PQclear(r);
	}
	return failed ? -1 : 0;
}

static int pg_load_all(rsp_sql_backend *b, const char *const *akis, size_t n_akis, rsp_sql_row_fn fn,
		       void *ctx, char *err, size_t cap)
{
	static const char all[] = "SELECT " COLUMNS_OF("c") " FROM certificates c";
	static const char some[] =
		"SELECT " COLUMNS_OF("c") " FROM certificates c WHERE c.authority_key_identifier IN "
		"(SELECT convert_to(a, 'UTF8') FROM unnest($1::text[]) AS u(a))";
	char *arr = NULL;
	int rc;

	if (!is_up(b)) {
		conn_err(b, err, cap, "load");
		return -1;
	}
	/* notifications queued until now name rows this load reads anew */
	b->reload_due = 0;
	if (n_akis) {
		const char *params[1];

		if (!(arr = text_array(akis, n_akis))) {
			set_err(err, cap, "load", "out of memory");
			return -1;
		}
		params[0] = arr;
		rc = stream(b, some, 1, params, fn, ctx, err, cap);
	} else {
		rc = stream(b, all, 0, NULL, fn, ctx, err, cap);
	}
	free(arr);
	if (rc < 0 && !is_up(b))
		b->reload_due = 1;
	return rc;
}

/* The (aki, serial) pairs named by the notifications received, split at
 * the first ':'. */
typedef struct {
	const char **akis, **serials;
	char **payloads;
	size_t n;
	int reload;     /* '*', a malformed payload or too many rows */
} changed_set;

static void changed_clear(changed_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->payloads[i]);
	free(s->akis);
	free(s->serials);
	free(s->payloads);
	memset(s, 0, sizeof *s);
}

/* take empties libpq's queue of notifications into s. */
static void take_notifies(rsp_sql_backend *b, changed_set *s)
{
	PGnotify *nt;

	while ((nt = PQnotifies(b->conn))) {
		const char *p = nt->extra ? nt->extra : "";
		const char *colon = strchr(p, ':');
		size_t hex = colon ? (size_t)(colon - p) : 0;
		int ok = colon && hex > 0 && strlen(p) < MAX_PAYLOAD && colon[1] != '\0' &&
			 strspn(p, "0123456789abcdefABCDEF") == hex && strcmp(nt->relname, CHANNEL) == 0;

		if (!ok || s->n >= MAX_CHANGED) {
			s->reload = 1;
		} else if (!s->reload) {
			char *copy = strdup(p);

			if (!s->akis) {
				s->akis = calloc(MAX_CHANGED, sizeof *s->akis);
				s->serials = calloc(MAX_CHANGED, sizeof *s->serials);
				s->payloads = calloc(MAX_CHANGED, sizeof *s->payloads);
			}
			if (!copy || !s->akis || !s->serials || !s->payloads) {
				free(copy);
				s->reload = 1;
			} else {
				copy[hex] = '\0';
				s->payloads[s->n] = copy;
				s->akis[s->n] = copy;
				s->serials[s->n] = copy + hex + 1;
				s->n++;
			}
		}
		PQfreemem(nt);
	}
}

/* Reads the current row of each pair; a pair without a row (deleted) is
 * given with its key and NULL elsewhere. */
static int read_changed(rsp_sql_backend *b, const changed_set *s, rsp_sql_row_fn fn, void *ctx, char *err,
			size_t cap)
{
	static const char sql[] =
		"SELECT u.s, u.a, encode(c.ca_label, 'escape'), encode(c.status, 'escape'), c.reason::text, "
		"c.revoked_at::text, c.expiry::text "
		"FROM unnest($1::text[], $2::text[]) AS u(a, s) LEFT JOIN certificates c "
		"ON c.authority_key_identifier = convert_to(u.a, 'UTF8') AND c.serial_number = convert_to(u.s, 'UTF8')";
	const char *params[2];
	char *a = text_array(s->akis, s->n), *z = text_array(s->serials, s->n);
	int rc;

	if (!a || !z) {
		free(a);
		free(z);
		set_err(err, cap, "changes", "out of memory");
		return -1;
	}
	params[0] = a;
	params[1] = z;
	rc = stream(b, sql, 2, params, fn, ctx, err, cap);
	free(a);
	free(z);
	return rc;
}

static int pg_changes(rsp_sql_backend *b, int wait_ms, rsp_sql_row_fn fn, void *ctx, char *err, size_t cap)
{
	changed_set s = {0};
	int rc;

	if (!is_up(b)) {
		conn_err(b, err, cap, "connection lost");
		return -1;
	}
	if (!PQconsumeInput(b->conn) || PQstatus(b->conn) != CONNECTION_OK) {
		conn_err(b, err, cap, "connection lost");
		return -1;
	}
	take_notifies(b, &s);
	if (!s.n && !s.reload && !b->reload_due && wait_ms > 0) {
		struct pollfd pfd = {.fd = PQsocket(b->conn), .events = POLLIN};
		int pr;

		do
			pr = poll(&pfd, 1, wait_ms);
		while (pr < 0 && errno == EINTR);
		/* then what the socket has at once: the notifications of one
		 * commit come in several reads */
		while (pr > 0) {
			if (!PQconsumeInput(b->conn) || PQstatus(b->conn) != CONNECTION_OK) {
				conn_err(b, err, cap, "connection lost");
				changed_clear(&s);
				return -1;
			}
			take_notifies(b, &s);
			do
				pr = poll(&pfd, 1, 0);
			while (pr < 0 && errno == EINTR);
		}
	}
	if (b->reload_due || s.reload) {
		b->reload_due = 0;
		changed_clear(&s);
		return 2;
	}
	if (!s.n)
		return 0;
	rc = read_changed(b, &s, fn, ctx, err, cap);
	changed_clear(&s);
	if (rc < 0) {
		/* the rows named are lost with the connection: reload later */
		if (!is_up(b))
			return -1;
		return 2;
	}
	return 1;
}

static int pg_reconnect(rsp_sql_backend *b, char *err, size_t cap)
{
	if (is_up(b))
		return 0;
	return connect_db(b, err, cap);
}

const rsp_sql_backend_ops rsp_sql_pg_ops = {
	.scheme = "postgresql",
	.open = pg_open,
	.load_all = pg_load_all,
	.changes = pg_changes,
	.reconnect = pg_reconnect,
	.close = pg_close,
};
