/* Unit tests of the SQL revocation source (responder/source_sql.c) and
 * its row reader (responder/sql_row.c): every rule of a row (serials,
 * AKIs, statuses, reasons, the drivers' times), with a fake backend the
 * snapshot (good, revoked with and without reason, unknown), bad rows
 * counted, the expired-row rule, many CAs by AKI and by label,
 * incremental changes (copy-on-write: the old snapshot unchanged,
 * deletions, a changed row that no longer reads), the database lost and
 * back (the snapshot serves on, refused once); and with real SQLite
 * files made from sql/sqlite/: a CFSSL-written table, an UPDATE seen at
 * the next poll, the file vanishing and coming back. */
#include <config.h>

#include <ctype.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/lib/pki.h"
#include "responder/ca.h"
#include "responder/source_sql.h"
#include "responder/sql_row.h"
#ifdef OCSPKIT_WITH_SQLITE
#include <sqlite3.h>
#endif

#define NOW 1800000000

/* ---------------------------------------------------------------- rows */

static int serial_is(const char *dec, const char *hex)
{
	uint8_t got[RSP_SQL_MAX_SERIAL], want[64];
	size_t n, wn = unhex(hex, want, sizeof(want));
	if (rsp_sql_parse_serial(dec, got, &n) != 0)
		return 0;
	return n == wn && memcmp(got, want, n) == 0;
}

static int serial_bad(const char *dec)
{
	uint8_t got[RSP_SQL_MAX_SERIAL];
	size_t n;
	return rsp_sql_parse_serial(dec, got, &n) != 0;
}

static int time_is(const char *text, int64_t want)
{
	int64_t t;
	return rsp_sql_parse_time(text, &t) == 0 && t == want;
}

static int time_bad(const char *text)
{
	int64_t t;
	return rsp_sql_parse_time(text, &t) != 0;
}

static void test_rows(void)
{
	/* serials: decimal, INTEGER content octets, minimal */
	CHECK(serial_is("0", "00"));
	CHECK(serial_is("1", "01"));
	CHECK(serial_is("127", "7F"));
	CHECK(serial_is("128", "0080"));
	CHECK(serial_is("255", "00FF"));
	CHECK(serial_is("256", "0100"));
	CHECK(serial_is("65535", "00FFFF"));
	/* 2^159 - 1: twenty octets; 2^159 would need a zero octet more */
	CHECK(serial_is("730750818665451459101842416358141509827966271487",
			"7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"));
	CHECK(serial_bad("730750818665451459101842416358141509827966271488"));
	CHECK(serial_bad("1461501637330902918203684832716283019655932542975")); /* 2^160 - 1 */
	CHECK(serial_bad("99999999999999999999999999999999999999999999999999999999999"));
	CHECK(serial_bad(""));
	CHECK(serial_bad(NULL));
	CHECK(serial_bad("01"));
	CHECK(serial_bad("00"));
	CHECK(serial_bad("-1"));
	CHECK(serial_bad("+1"));
	CHECK(serial_bad(" 1"));
	CHECK(serial_bad("1 "));
	CHECK(serial_bad("0x10"));
	CHECK(serial_bad("1e3"));
	CHECK(serial_bad("12a"));

	/* AKIs: hex, either case, whole octets */
	uint8_t aki[RSP_SQL_MAX_AKI];
	size_t n;
	CHECK(rsp_sql_parse_hex("0aff", aki, sizeof(aki), &n) == 0 && n == 2 && aki[0] == 0x0a && aki[1] == 0xff);
	CHECK(rsp_sql_parse_hex("0AFF", aki, sizeof(aki), &n) == 0 && n == 2 && aki[1] == 0xff);
	CHECK(rsp_sql_parse_hex("0af", aki, sizeof(aki), &n) != 0);
	CHECK(rsp_sql_parse_hex("0a:ff", aki, sizeof(aki), &n) != 0);
	CHECK(rsp_sql_parse_hex("0g", aki, sizeof(aki), &n) != 0);
	CHECK(rsp_sql_parse_hex("", aki, sizeof(aki), &n) != 0);
	CHECK(rsp_sql_parse_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", aki, sizeof(aki),
				&n) == 0 && n == 32);
	CHECK(rsp_sql_parse_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20", aki,
				sizeof(aki), &n) != 0);

	/* times: what Go's SQLite driver writes, PostgreSQL's timestamptz, RFC 3339 */
	CHECK(time_is("2027-01-15 08:00:00+00:00", 1800000000));
	CHECK(time_is("2027-01-15 08:00:00.123456789+00:00", 1800000000));
	CHECK(time_is("2027-01-15 10:00:00+02:00", 1800000000));
	CHECK(time_is("2027-01-15 03:30:00-04:30", 1800000000));
	CHECK(time_is("2027-01-15 08:00:00+00", 1800000000));
	CHECK(time_is("2027-01-15 09:00:00.5+01", 1800000000));
	CHECK(time_is("2027-01-15 08:00:00+0000", 1800000000));
	CHECK(time_is("2027-01-15T08:00:00Z", 1800000000));
	CHECK(time_is("2027-01-15 08:00:00", 1800000000));
	CHECK(time_is("2027-01-15 08:00:00 +0000 UTC", 1800000000));
	CHECK(time_is("1970-01-01 00:00:00Z", 0));
	CHECK(time_is("2024-02-29 00:00:00Z", 1709164800));
	CHECK(time_is("0001-01-01 00:00:00+00:00", -62135596800LL)); /* Go's zero time */
	CHECK(time_bad("2023-02-29 00:00:00Z"));
	CHECK(time_bad("2027-13-01 00:00:00Z"));
	CHECK(time_bad("2027-01-32 00:00:00Z"));
	CHECK(time_bad("2027-01-15 24:00:00Z"));
	CHECK(time_bad("2027-01-15 08:60:00Z"));
	CHECK(time_bad("2027-01-15"));
	CHECK(time_bad("2027-01-15 08:00"));
	CHECK(time_bad("2027-01-15 08:00:00."));
	CHECK(time_bad("2027-01-15 08:00:00.1234567890Z"));
	CHECK(time_bad("2027-01-15 08:00:00+24:00"));
	CHECK(time_bad("2027-01-15 08:00:00Zjunk"));
	CHECK(time_bad("1800000000"));
	CHECK(time_bad(""));
	CHECK(time_bad(NULL));

	/* whole rows */
	rsp_sql_entry e;
	rsp_sql_row r = { "4660", "0aff", NULL, "revoked", "1", "2027-01-15 08:00:00+00:00", "2030-01-01 00:00:00Z" };
	CHECK(rsp_sql_row_parse(&r, &e) == RSP_SQL_ROW_OK && e.revoked && e.has_reason && e.reason == 1 &&
	      e.revoked_at == 1800000000 && e.has_expiry && e.serial_len == 2 && e.serial[0] == 0x12);
	for (int reason = 0; reason <= 11; reason++) {
		char text[4];
		snprintf(text, sizeof(text), "%d", reason);
		r.reason = text;
		rsp_sql_skip got = rsp_sql_row_parse(&r, &e);
		if (reason == 7 || reason == 11)
			CHECK(got == RSP_SQL_SKIP_REASON);
		else
			CHECK(got == RSP_SQL_ROW_OK && e.has_reason == (reason != 0) && e.reason == reason);
	}
	r.reason = "01";
	CHECK(rsp_sql_row_parse(&r, &e) == RSP_SQL_SKIP_REASON);
	r.reason = "-1";
	CHECK(rsp_sql_row_parse(&r, &e) == RSP_SQL_SKIP_REASON);
	r.reason = NULL; /* revoked, no reason stated */
	CHECK(rsp_sql_row_parse(&r, &e) == RSP_SQL_ROW_OK && !e.has_reason);
	r.revoked_at = NULL;
	CHECK(rsp_sql_row_parse(&r, &e) == RSP_SQL_SKIP_REVOKED_AT);
	r.revoked_at = "yesterday";
	CHECK(rsp_sql_row_parse(&r, &e) == RSP_SQL_SKIP_REVOKED_AT);
	/* a good row: reason and revoked_at not read */
	rsp_sql_row g = { "1", "0aff", NULL, "good", "junk", "junk", NULL };
	CHECK(rsp_sql_row_parse(&g, &e) == RSP_SQL_ROW_OK && !e.revoked && !e.has_expiry);
	g.expiry = "never";
	CHECK(rsp_sql_row_parse(&g, &e) == RSP_SQL_SKIP_EXPIRY);
	g.expiry = NULL;
	const char *statuses[] = { "Good", "GOOD", "unknown", "revoked ", "", "expired", NULL };
	for (size_t i = 0; i < sizeof(statuses) / sizeof(*statuses); i++) {
		g.status = statuses[i];
		CHECK(rsp_sql_row_parse(&g, &e) == RSP_SQL_SKIP_STATUS);
	}
	g.status = "good";
	g.serial_number = "0x1";
	CHECK(rsp_sql_row_parse(&g, &e) == RSP_SQL_SKIP_SERIAL);
	g.serial_number = "1";
	g.authority_key_identifier = NULL;
	CHECK(rsp_sql_row_parse(&g, &e) == RSP_SQL_SKIP_AKI);
	CHECK(strcmp(rsp_sql_skip_name(RSP_SQL_SKIP_REASON), "reason not a CRLReason") == 0);
}

/* ---------------------------------------------------------------- a fake database */

#define MAX_ROWS 64
typedef struct {
	char s[7][80];
	int null[7];
} fake_row;

static struct {
	fake_row rows[MAX_ROWS];
	size_t n;
	fake_row changed[MAX_ROWS];
	size_t n_changed;
	int changes_rc; /* what the next changes returns */
	int down;       /* open, load_all, changes, reconnect fail */
	int loads, opens;
	char last_akis[256];
} fake;

struct rsp_sql_backend {
	int unused;
};

static void fake_put(fake_row *r, const char *serial, const char *aki, const char *label, const char *status,
		     const char *reason, const char *revoked_at, const char *expiry)
{
	const char *v[7] = { serial, aki, label, status, reason, revoked_at, expiry };
	for (int i = 0; i < 7; i++) {
		r->null[i] = v[i] == NULL;
		snprintf(r->s[i], sizeof(r->s[i]), "%s", v[i] ? v[i] : "");
	}
}

static rsp_sql_row view(const fake_row *r)
{
	const char *v[7];
	for (int i = 0; i < 7; i++)
		v[i] = r->null[i] ? NULL : r->s[i];
	return (rsp_sql_row){ v[0], v[1], v[2], v[3], v[4], v[5], v[6] };
}

static int fake_open(rsp_sql_backend **out, const char *uri, const char *passfile, char *err, size_t cap)
{
	(void)uri;
	(void)passfile;
	fake.opens++;
	if (fake.down) {
		snprintf(err, cap, "fake: connection refused");
		return -1;
	}
	*out = calloc(1, sizeof(**out));
	return 0;
}

static int fake_load_all(rsp_sql_backend *b, const char *const *akis, size_t n_akis, rsp_sql_row_fn fn, void *ctx,
			 char *err, size_t cap)
{
	(void)b;
	if (fake.down) {
		snprintf(err, cap, "fake: connection lost");
		return -1;
	}
	fake.loads++;
	fake.last_akis[0] = 0;
	for (size_t i = 0; i < n_akis; i++)
		snprintf(fake.last_akis + strlen(fake.last_akis), sizeof(fake.last_akis) - strlen(fake.last_akis),
			 "%s%s", i ? "," : "", akis[i]);
	/* the source selects by AKI itself as well: give every row */
	for (size_t i = 0; i < fake.n; i++) {
		rsp_sql_row r = view(&fake.rows[i]);
		if (fn(ctx, &r))
			break;
	}
	return 0;
}

static int fake_changes(rsp_sql_backend *b, int wait_ms, rsp_sql_row_fn fn, void *ctx, char *err, size_t cap)
{
	(void)b;
	(void)wait_ms;
	if (fake.down) {
		snprintf(err, cap, "fake: connection lost");
		return -1;
	}
	int rc = fake.changes_rc;
	if (rc == 1)
		for (size_t i = 0; i < fake.n_changed; i++) {
			rsp_sql_row r = view(&fake.changed[i]);
			if (fn(ctx, &r))
				break;
		}
	fake.changes_rc = 0;
	fake.n_changed = 0;
	return rc;
}

static int fake_reconnect(rsp_sql_backend *b, char *err, size_t cap)
{
	(void)b;
	if (fake.down) {
		snprintf(err, cap, "fake: connection refused");
		return -1;
	}
	return 0;
}

static void fake_close(rsp_sql_backend *b)
{
	free(b);
}

static const rsp_sql_backend_ops fake_ops = {
	"fake", fake_open, fake_load_all, fake_changes, fake_reconnect, fake_close,
};

/* ---------------------------------------------------------------- the source */

static ocspkit_privkey *key_a, *key_b;
static ocspkit_cert *ca_a, *ca_b;
static char aki_a[41], aki_b[41];
static uint8_t hash_a[20], hash_b[20];
static int64_t clock_now = NOW;

static int64_t test_clock(void)
{
	return clock_now;
}

static void key_hash(const ocspkit_cert *c, uint8_t out[20], char hex[41])
{
	rsp_ca tmp;
	CHECK_OK(rsp_ca_init(&tmp, c, NULL, NULL));
	memcpy(out, tmp.ids[0].key, 20);
	for (int i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", out[i]);
}

/* The status of serial (hex) of ca in snap: 'g', 'r', 'u', or 'E' for an error. */
static int status_of(const rsp_snapshot *snap, const ocspkit_cert *ca, const char *serial_hex, rsp_status *st)
{
	uint8_t serial[32];
	size_t n = unhex(serial_hex, serial, sizeof(serial));
	rsp_lookup q = { ca, { ca == ca_a ? hash_a : hash_b, 20 }, { serial, n } };
	rsp_status tmp;
	if (!st)
		st = &tmp;
	if (rsp_snapshot_lookup(snap, &q, st) != OCSPKIT_OK)
		return 'E';
	return st->status == OCSPKIT_CERT_GOOD ? 'g' : st->status == OCSPKIT_CERT_REVOKED ? 'r' : 'u';
}

static int current_status(rsp_source *src, const ocspkit_cert *ca, const char *serial_hex, rsp_status *st)
{
	rsp_snapshot *snap = rsp_source_acquire(src);
	if (!snap)
		return 'N';
	int c = status_of(snap, ca, serial_hex, st);
	rsp_snapshot_release(snap);
	return c;
}

static char logged[4096];
static void test_log(void *ctx, const char *line)
{
	(void)ctx;
	snprintf(logged + strlen(logged), sizeof(logged) - strlen(logged), "%s\n", line);
}

static rsp_source *new_source(const ocspkit_cert *const *cas, size_t n, const char *label, int64_t grace)
{
	rsp_sql_source_opts o;
	rsp_sql_source_default_opts(&o);
	o.uri = "fake:db";
	o.backend = &fake_ops;
	o.cas = cas;
	o.n_cas = n;
	o.ca_label = label;
	o.expired_grace = grace;
	o.clock = test_clock;
	o.log = test_log;
	char err[200];
	rsp_source *src = NULL;
	CHECK_OK(rsp_sql_source_new(&src, &o, err, sizeof(err)));
	return src;
}

static void test_snapshot(void)
{
	memset(&fake, 0, sizeof(fake));
	fake_put(&fake.rows[fake.n++], "1", aki_a, "a", "good", "0", "0001-01-01 00:00:00+00:00",
		 "2030-01-01 00:00:00+00:00");
	fake_put(&fake.rows[fake.n++], "4660", aki_a, "a", "revoked", "1", "2027-01-15 08:00:00+00:00",
		 "2030-01-01 00:00:00+00:00");
	fake_put(&fake.rows[fake.n++], "128", aki_a, "a", "revoked", "0", "2027-01-15 10:00:00+02:00", NULL);
	fake_put(&fake.rows[fake.n++], "129", aki_a, "a", "revoked", NULL, "2027-01-15 08:00:00Z", NULL);
	/* uppercase AKI: read */
	char upper[41];
	for (int i = 0; i < 41; i++)
		upper[i] = (char)toupper((unsigned char)aki_a[i]);
	fake_put(&fake.rows[fake.n++], "130", upper, "a", "good", NULL, NULL, NULL);
	/* bad rows: each skipped and counted */
	fake_put(&fake.rows[fake.n++], "0131", aki_a, "a", "revoked", "1", "2027-01-15 08:00:00Z", NULL);
	fake_put(&fake.rows[fake.n++], "132", "zz", "a", "revoked", "1", "2027-01-15 08:00:00Z", NULL);
	fake_put(&fake.rows[fake.n++], "133", aki_a, "a", "unknown", NULL, NULL, NULL);
	fake_put(&fake.rows[fake.n++], "134", aki_a, "a", "revoked", "7", "2027-01-15 08:00:00Z", NULL);
	fake_put(&fake.rows[fake.n++], "135", aki_a, "a", "revoked", "1", "sometime", NULL);
	fake_put(&fake.rows[fake.n++], "136", aki_a, "a", "good", NULL, NULL, "soon");
	fake_put(&fake.rows[fake.n++], "137", aki_a, "a", "revoked", "1", NULL, NULL);
	/* another CA's, in the same database */
	fake_put(&fake.rows[fake.n++], "2", aki_b, "b", "revoked", "4", "2027-01-15 08:00:00Z", NULL);

	const ocspkit_cert *cas[] = { ca_a };
	rsp_source *src = new_source(cas, 1, NULL, -1);
	char msg[512];
	CHECK(strcmp(rsp_source_kind(src), "db") == 0);
	CHECK(current_status(src, ca_a, "01", NULL) == 'N'); /* no data yet: tryLater */
	logged[0] = 0;
	CHECK(rsp_source_poll(src, NOW, 0, msg, sizeof(msg)) == RSP_POLL_LOADED);
	CHECK(strstr(msg, "5 certificates (3 revoked) of 13 rows") != NULL);
	CHECK(strstr(msg, "1 bad serial_number, 1 bad authority_key_identifier, 1 status neither good nor revoked, "
			  "1 reason not a CRLReason, 2 revoked_at missing or not a time, 1 expiry not a time") != NULL);
	/* one log line per reason, with its count */
	CHECK(strstr(logged, "fake:db: 2 rows skipped: revoked_at missing or not a time\n") != NULL);
	CHECK(strcmp(fake.last_akis, aki_a) == 0);
	unsigned long counts[RSP_SQL_SKIP_REASONS];
	rsp_sql_source_skipped(src, counts, RSP_SQL_SKIP_REASONS);
	CHECK(counts[RSP_SQL_SKIP_SERIAL] == 1 && counts[RSP_SQL_SKIP_REVOKED_AT] == 2 &&
	      counts[RSP_SQL_SKIP_OTHER_CA] == 1);

	rsp_status st;
	CHECK(current_status(src, ca_a, "01", &st) == 'g');
	CHECK(current_status(src, ca_a, "1234", &st) == 'r' && st.has_reason && st.reason == 1 &&
	      st.revocation_time == 1800000000);
	CHECK(current_status(src, ca_a, "0080", &st) == 'r' && !st.has_reason && st.revocation_time == 1800000000);
	CHECK(current_status(src, ca_a, "0081", &st) == 'r' && !st.has_reason);
	CHECK(current_status(src, ca_a, "0082", &st) == 'g');
	/* the bad rows: unknown, never good */
	const char *bad[] = { "0083", "0084", "0085", "0086", "0087", "0088", "0089" };
	for (size_t i = 0; i < 7; i++)
		CHECK(current_status(src, ca_a, bad[i], NULL) == 'u');
	CHECK(current_status(src, ca_a, "02", NULL) == 'u'); /* the other CA's */
	CHECK(current_status(src, ca_a, "99", NULL) == 'u');
	CHECK(current_status(src, ca_b, "02", NULL) == 'u'); /* a CA the source does not serve */
	CHECK(current_status(src, ca_a, "000000000000000000000000000000000000000001", NULL) == 'u'); /* 21 octets */

	/* each: the certificates in order */
	rsp_snapshot *snap = rsp_source_acquire(src);
	CHECK(snap && snap->entries == 5);
	rsp_snapshot_release(snap);

	/* progress: a line every o.progress rows of a whole read */
	rsp_source_free(src);
	rsp_sql_source_opts o;
	rsp_sql_source_default_opts(&o);
	o.uri = "fake:db";
	o.backend = &fake_ops;
	o.cas = cas;
	o.n_cas = 1;
	o.log = test_log;
	o.progress = 5;
	char err[200];
	CHECK_OK(rsp_sql_source_new(&src, &o, err, sizeof(err)));
	logged[0] = 0;
	CHECK(rsp_source_poll(src, NOW, 0, msg, sizeof(msg)) == RSP_POLL_LOADED);
	CHECK(strstr(logged, "fake:db: 5 rows read\nfake:db: 10 rows read\nfake:db: 1 rows skipped: bad serial_number\n") ==
	      logged);

	/* an unchanged database: nothing */
	CHECK(rsp_source_poll(src, NOW + 1, 0, msg, sizeof(msg)) == RSP_POLL_UNCHANGED);
	/* the whole read every full_poll, and the same skipped rows not logged again */
	logged[0] = 0;
	int loads = fake.loads;
	CHECK(rsp_source_poll(src, NOW + 61, 0, msg, sizeof(msg)) == RSP_POLL_LOADED && fake.loads == loads + 1);
	CHECK(strstr(logged, "skipped") == NULL);
	rsp_source_free(src);
}

static void test_many_cas(void)
{
	memset(&fake, 0, sizeof(fake));
	fake_put(&fake.rows[fake.n++], "2", aki_a, "a", "good", NULL, NULL, NULL);
	fake_put(&fake.rows[fake.n++], "2", aki_b, "b", "revoked", "4", "2027-01-15 08:00:00Z", NULL);
	fake_put(&fake.rows[fake.n++], "3", aki_b, "other", "revoked", "4", "2027-01-15 08:00:00Z", NULL);
	fake_put(&fake.rows[fake.n++], "4", aki_b, NULL, "revoked", "4", "2027-01-15 08:00:00Z", NULL);
	const ocspkit_cert *cas[] = { ca_a, ca_b };
	char msg[512];
	rsp_source *src = new_source(cas, 2, NULL, -1);
	CHECK(rsp_source_poll(src, NOW, 0, msg, sizeof(msg)) == RSP_POLL_LOADED);
	char both[100];
	snprintf(both, sizeof(both), "%s,%s", aki_a, aki_b);
	CHECK(strcmp(fake.last_akis, both) == 0);
	rsp_status st;
	/* one serial, two CAs, two statuses */
	CHECK(current_status(src, ca_a, "02", &st) == 'g');
	CHECK(current_status(src, ca_b, "02", &st) == 'r' && st.reason == 4);
	CHECK(current_status(src, ca_b, "03", &st) == 'r');
	rsp_source_free(src);

	/* with a label, the other labels' rows are not this source's */
	src = new_source(cas, 2, "b", -1);
	CHECK(rsp_source_poll(src, NOW, 0, msg, sizeof(msg)) == RSP_POLL_LOADED);
	CHECK(current_status(src, ca_b, "02", &st) == 'r');
	CHECK(current_status(src, ca_b, "03", &st) == 'u');
	CHECK(current_status(src, ca_b, "04", &st) == 'u');
	CHECK(current_status(src, ca_a, "02", &st) == 'u');
	rsp_source_free(src);
}

static void test_expired(void)
{
	memset(&fake, 0, sizeof(fake));
	fake_put(&fake.rows[fake.n++], "1", aki_a, NULL, "good", NULL, NULL, "2027-01-15 08:00:00Z");
	fake_put(&fake.rows[fake.n++], "2", aki_a, NULL, "revoked", "1", "2026-01-15 08:00:00Z",
		 "2027-01-15 08:00:00Z");
	fake_put(&fake.rows[fake.n++], "3", aki_a, NULL, "good", NULL, NULL, NULL);
	const ocspkit_cert *cas[] = { ca_a };
	char msg[512];
	/* by default a row is answered as long as it exists */
	rsp_source *src = new_source(cas, 1, NULL, -1);
	CHECK(rsp_source_poll(src, NOW, 0, msg, sizeof(msg)) == RSP_POLL_LOADED);
	clock_now = NOW + 10 * 365 * 86400LL;
	CHECK(current_status(src, ca_a, "01", NULL) == 'g');
	CHECK(current_status(src, ca_a, "02", NULL) == 'r');
	rsp_source_free(src);
	/* with a grace: answered until expiry + grace, then unknown */
	src = new_source(cas, 1, NULL, 3600);
	CHECK(rsp_source_poll(src, NOW, 0, msg, sizeof(msg)) == RSP_POLL_LOADED);
	clock_now = NOW;
	CHECK(current_status(src, ca_a, "01", NULL) == 'g');
	clock_now = NOW + 3600;
	CHECK(current_status(src, ca_a, "01", NULL) == 'g');
	CHECK(current_status(src, ca_a, "02", NULL) == 'r');
	clock_now = NOW + 3601;
	CHECK(current_status(src, ca_a, "01", NULL) == 'u');
	CHECK(current_status(src, ca_a, "02", NULL) == 'u');
	CHECK(current_status(src, ca_a, "03", NULL) == 'g'); /* no expiry: always */
	clock_now = NOW;
	rsp_source_free(src);
}

static int count_each(void *ctx, ocspkit_bytes serial, const char *where)
{
	(void)serial;
	(void)where;
	++*(int *)ctx;
	return 0;
}

static void test_changes(void)
{
	memset(&fake, 0, sizeof(fake));
	for (int i = 1; i <= 20; i++) {
		char s[8];
		snprintf(s, sizeof(s), "%d", i);
		fake_put(&fake.rows[fake.n++], s, aki_a, NULL, "good", NULL, NULL, NULL);
	}
	const ocspkit_cert *cas[] = { ca_a };
	char msg[512];
	rsp_source *src = new_source(cas, 1, NULL, -1);
	CHECK(rsp_source_poll(src, NOW, 0, msg, sizeof(msg)) == RSP_POLL_LOADED);
	rsp_snapshot *old = rsp_source_acquire(src);
	int loads = fake.loads;

	/* 1: the rows of the changed serials: revoked, new, deleted (status NULL), no longer reading, other CA */
	fake.changes_rc = 1;
	fake_put(&fake.changed[fake.n_changed++], "5", aki_a, NULL, "revoked", "1", "2027-01-15 08:00:00Z", NULL);
	fake_put(&fake.changed[fake.n_changed++], "100", aki_a, NULL, "revoked", "9", "2027-01-15 08:00:00Z", NULL);
	fake_put(&fake.changed[fake.n_changed++], "6", aki_a, NULL, NULL, NULL, NULL, NULL);
	fake_put(&fake.changed[fake.n_changed++], "7", aki_a, NULL, "revoked", "7", "2027-01-15 08:00:00Z", NULL);
	fake_put(&fake.changed[fake.n_changed++], "8", aki_b, NULL, "revoked", "1", "2027-01-15 08:00:00Z", NULL);
	fake_put(&fake.changed[fake.n_changed++], "x", aki_a, NULL, "revoked", "1", "2027-01-15 08:00:00Z", NULL);
	CHECK(rsp_source_poll(src, NOW + 1, 0, msg, sizeof(msg)) == RSP_POLL_LOADED);
	CHECK(fake.loads == loads); /* incremental: no whole read */
	CHECK(strstr(msg, "4 rows changed (2 revoked, 2 gone), skipped: 1 bad serial_number, 1 reason not a CRLReason") !=
	      NULL);
	rsp_status st;
	CHECK(current_status(src, ca_a, "05", &st) == 'r' && st.reason == 1);
	CHECK(current_status(src, ca_a, "64", &st) == 'r' && st.reason == 9);
	CHECK(current_status(src, ca_a, "06", NULL) == 'u');
	CHECK(current_status(src, ca_a, "07", NULL) == 'u'); /* not left good */
	CHECK(current_status(src, ca_a, "08", NULL) == 'g');
	CHECK(current_status(src, ca_a, "09", NULL) == 'g');
	/* the old snapshot has not changed */
	CHECK(status_of(old, ca_a, "05", NULL) == 'g');
	CHECK(status_of(old, ca_a, "06", NULL) == 'g');
	CHECK(status_of(old, ca_a, "64", NULL) == 'u');
	rsp_snapshot_release(old);
	rsp_snapshot *snap = rsp_source_acquire(src);
	int n = 0;
	CHECK(rsp_snapshot_each(snap, count_each, &n) == 0 && n == 19 && snap->entries == 19);
	rsp_snapshot_release(snap);

	/* a second change over the overlay: back to good, and the deleted one back */
	fake.changes_rc = 1;
	fake_put(&fake.changed[fake.n_changed++], "5", aki_a, NULL, "good", NULL, NULL, NULL);
	fake_put(&fake.changed[fake.n_changed++], "6", aki_a, NULL, "revoked", "3", "2027-01-15 08:00:00Z", NULL);
	CHECK(rsp_source_poll(src, NOW + 2, 0, msg, sizeof(msg)) == RSP_POLL_LOADED);
	CHECK(current_status(src, ca_a, "05", NULL) == 'g');
	CHECK(current_status(src, ca_a, "06", &st) == 'r' && st.reason == 3);
	CHECK(current_status(src, ca_a, "64", NULL) == 'r');

	/* 2: changed, which not known: a whole read (the database's own rows) */
	fake.changes_rc = 2;
	CHECK(rsp_source_poll(src, NOW + 3, 0, msg, sizeof(msg)) == RSP_POLL_LOADED && fake.loads == loads + 1);
	CHECK(current_status(src, ca_a, "06", NULL) == 'g');
	CHECK(current_status(src, ca_a, "64", NULL) == 'u');

	/* many changes: the overlay merged into a new table */
	for (int round = 0; round < 30; round++) {
		fake.changes_rc = 1;
		for (int i = 0; i < 60; i++) {
			char s[12];
			snprintf(s, sizeof(s), "%d", 1000 + round * 60 + i);
			fake_put(&fake.changed[fake.n_changed++], s, aki_a, NULL, i % 2 ? "revoked" : "good", "1",
				 "2027-01-15 08:00:00Z", NULL);
		}
		CHECK(rsp_source_poll(src, NOW + 4 + round, 0, msg, sizeof(msg)) == RSP_POLL_LOADED);
	}
	snap = rsp_source_acquire(src);
	CHECK(snap->entries == 20 + 1800);
	CHECK(status_of(snap, ca_a, "03E8", NULL) == 'g');  /* 1000 */
	CHECK(status_of(snap, ca_a, "0AEF", NULL) == 'r');  /* 2799 */
	CHECK(status_of(snap, ca_a, "0AF0", NULL) == 'u');  /* 2800 */
	n = 0;
	CHECK(rsp_snapshot_each(snap, count_each, &n) == 0 && n == 1820);
	rsp_snapshot_release(snap);
	rsp_source_free(src);
}

static void test_down(void)
{
	memset(&fake, 0, sizeof(fake));
	fake_put(&fake.rows[fake.n++], "1", aki_a, NULL, "revoked", "1", "2027-01-15 08:00:00Z", NULL);
	const ocspkit_cert *cas[] = { ca_a };
	char msg[512];
	rsp_freshness f;

	/* down at start: no data (tryLater), refused once, retried with a backoff */
	fake.down = 1;
	rsp_source *src = new_source(cas, 1, NULL, -1);
	CHECK(rsp_source_poll(src, NOW, 0, msg, sizeof(msg)) == RSP_POLL_REFUSED);
	CHECK(strstr(msg, "connection refused") != NULL);
	CHECK(rsp_source_poll(src, NOW + 1, 0, msg, sizeof(msg)) == RSP_POLL_UNCHANGED);
	CHECK(rsp_source_poll(src, NOW + 3, 0, msg, sizeof(msg)) == RSP_POLL_UNCHANGED);
	rsp_source_freshness(src, &f);
	CHECK(f.generation == 0 && f.refusals == 1);
	int opens = fake.opens;
	CHECK(rsp_source_poll(src, NOW + 3, 0, msg, sizeof(msg)) == RSP_POLL_UNCHANGED && fake.opens == opens);
	/* up: ready */
	fake.down = 0;
	CHECK(rsp_source_poll(src, NOW + 100, 0, msg, sizeof(msg)) == RSP_POLL_LOADED);
	CHECK(strstr(msg, "(database back)") != NULL);
	CHECK(current_status(src, ca_a, "01", NULL) == 'r');

	/* lost: the snapshot serves on, said once, freshness shows it */
	fake.down = 1;
	CHECK(rsp_source_poll(src, NOW + 101, 0, msg, sizeof(msg)) == RSP_POLL_REFUSED);
	CHECK(strstr(msg, "connection lost") != NULL);
	CHECK(rsp_source_poll(src, NOW + 200, 0, msg, sizeof(msg)) == RSP_POLL_UNCHANGED);
	CHECK(rsp_source_poll(src, NOW + 300, RSP_POLL_FORCE, msg, sizeof(msg)) == RSP_POLL_UNCHANGED);
	rsp_source_freshness(src, &f);
	CHECK(f.generation == 1 && f.refusals == 1 && f.refused_at == NOW + 101);
	CHECK(current_status(src, ca_a, "01", NULL) == 'r');
	/* back: a whole read (what changed meanwhile is not known) */
	fake.down = 0;
	fake_put(&fake.rows[0], "1", aki_a, NULL, "good", NULL, NULL, NULL);
	int loads = fake.loads;
	CHECK(rsp_source_poll(src, NOW + 400, 0, msg, sizeof(msg)) == RSP_POLL_LOADED && fake.loads == loads + 1);
	CHECK(current_status(src, ca_a, "01", NULL) == 'g');
	rsp_source_freshness(src, &f);
	CHECK(f.generation == 2 && f.refusals == 0);
	rsp_source_free(src);

	/* unknown schemes */
	rsp_sql_source_opts o;
	rsp_sql_source_default_opts(&o);
	o.uri = "mysql://x";
	o.cas = cas;
	o.n_cas = 1;
	char err[200];
	CHECK_ERR(rsp_sql_source_new(&src, &o, err, sizeof(err)), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK(strstr(err, "not a database URI") != NULL);
}

/* ---------------------------------------------------------------- SQLite */

#ifdef OCSPKIT_WITH_SQLITE
static char dir[64];

static void exec_file(sqlite3 *db, const char *name)
{
	char path[512];
	const char *srcdir = getenv("OCSPKIT_SRCDIR");
	snprintf(path, sizeof(path), "%s/sql/sqlite/%s", srcdir ? srcdir : "..", name);
	size_t len;
	uint8_t *text = read_all(path, &len);
	CHECK(text != NULL);
	if (!text)
		return;
	char *z = realloc(text, len + 1);
	z[len] = 0;
	char *err = NULL;
	CHECK(sqlite3_exec(db, z, NULL, NULL, &err) == SQLITE_OK);
	if (err)
		fprintf(stderr, "%s: %s\n", name, err);
	sqlite3_free(err);
	free(z);
}

static void exec(const char *path, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	sqlite3 *db;
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	char *err = NULL;
	CHECK(sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK);
	if (err)
		fprintf(stderr, "%s: %s\n", sql, err);
	sqlite3_free(err);
	sqlite3_close(db);
}

static void make_db(const char *path)
{
	sqlite3 *db;
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	exec_file(db, "001_cfssl_certificates.sql");
	exec_file(db, "002_cfssl_metadata.sql");
	exec_file(db, "900_ocspkit.sql");
	sqlite3_close(db);
	/* rows as CFSSL writes them */
	exec(path,
	     "INSERT INTO certificates (serial_number, authority_key_identifier, ca_label, status, reason, expiry, "
	     "revoked_at, pem, issued_at, not_before, metadata, sans, common_name) VALUES "
	     "('1', '%s', '', 'good', 0, '2030-01-01 00:00:00+00:00', '0001-01-01 00:00:00+00:00', 'PEM', "
	     "'2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00', '{}', '[]', 'a'),"
	     "('4660', '%s', '', 'revoked', 1, '2030-01-01 00:00:00+00:00', '2027-01-15 08:00:00.5+00:00', 'PEM', "
	     "NULL, NULL, NULL, NULL, NULL),"
	     "('2', '%s', '', 'revoked', 4, '2030-01-01 00:00:00+00:00', '2027-01-15 08:00:00+00:00', 'PEM', "
	     "NULL, NULL, NULL, NULL, NULL),"
	     "('3', '%s', '', 'bogus', 0, NULL, NULL, 'PEM', NULL, NULL, NULL, NULL, NULL)",
	     aki_a, aki_a, aki_b, aki_a);
}

static void test_sqlite(void)
{
	char path[128], uri[160], msg[512];
	snprintf(path, sizeof(path), "%s/certdb.sqlite", dir);
	snprintf(uri, sizeof(uri), "sqlite:%s", path);
	make_db(path);

	const ocspkit_cert *cas[] = { ca_a, ca_b };
	rsp_sql_source_opts o;
	rsp_sql_source_default_opts(&o);
	o.uri = uri;
	o.cas = cas;
	o.n_cas = 2;
	rsp_source *src;
	char err[200];
	CHECK_OK(rsp_sql_source_new(&src, &o, err, sizeof(err)));
	CHECK(rsp_source_poll(src, NOW, 0, msg, sizeof(msg)) == RSP_POLL_LOADED);
	CHECK(strstr(msg, "3 certificates (2 revoked) of 4 rows, skipped: 1 status neither good nor revoked") != NULL);
	rsp_status st;
	CHECK(current_status(src, ca_a, "01", &st) == 'g');
	CHECK(current_status(src, ca_a, "1234", &st) == 'r' && st.reason == 1 && st.revocation_time == 1800000000);
	CHECK(current_status(src, ca_b, "02", &st) == 'r' && st.reason == 4);
	CHECK(current_status(src, ca_a, "02", NULL) == 'u');
	CHECK(current_status(src, ca_a, "03", NULL) == 'u');

	/* nothing changed: nothing read */
	CHECK(rsp_source_poll(src, NOW + 1, 0, msg, sizeof(msg)) == RSP_POLL_UNCHANGED);
	/* an UPDATE by another connection: seen at the next poll */
	exec(path, "UPDATE certificates SET status='revoked', reason=5, revoked_at='2027-01-15 09:00:00+01:00' "
		   "WHERE serial_number='1' AND authority_key_identifier='%s'", aki_a);
	CHECK(rsp_source_poll(src, NOW + 2, 0, msg, sizeof(msg)) == RSP_POLL_LOADED);
	CHECK(current_status(src, ca_a, "01", &st) == 'r' && st.reason == 5 && st.revocation_time == 1800000000);
	CHECK(rsp_source_poll(src, NOW + 3, 0, msg, sizeof(msg)) == RSP_POLL_UNCHANGED);

	/* the file vanishes: the snapshot serves on, refused once */
	char moved[160];
	snprintf(moved, sizeof(moved), "%s.moved", path);
	CHECK(rename(path, moved) == 0);
	CHECK(rsp_source_poll(src, NOW + 4, 0, msg, sizeof(msg)) == RSP_POLL_REFUSED);
	CHECK(strstr(msg, "gone") != NULL);
	CHECK(rsp_source_poll(src, NOW + 10, 0, msg, sizeof(msg)) == RSP_POLL_UNCHANGED);
	CHECK(current_status(src, ca_a, "01", NULL) == 'r');
	/* back, changed meanwhile */
	CHECK(rename(moved, path) == 0);
	exec(path, "DELETE FROM certificates WHERE serial_number='4660'");
	CHECK(rsp_source_poll(src, NOW + 100, 0, msg, sizeof(msg)) == RSP_POLL_LOADED);
	CHECK(strstr(msg, "(database back)") != NULL);
	CHECK(current_status(src, ca_a, "1234", NULL) == 'u');
	CHECK(current_status(src, ca_a, "01", NULL) == 'r');
	rsp_source_free(src);

	/* a missing file, a file without the table: refused, never created */
	char nofile[160];
	snprintf(nofile, sizeof(nofile), "sqlite:%s/none.sqlite", dir);
	o.uri = nofile;
	CHECK_OK(rsp_sql_source_new(&src, &o, err, sizeof(err)));
	CHECK(rsp_source_poll(src, NOW, 0, msg, sizeof(msg)) == RSP_POLL_REFUSED);
	CHECK(access(nofile + 7, F_OK) != 0);
	rsp_source_free(src);
	snprintf(path, sizeof(path), "%s/empty.sqlite", dir);
	exec(path, "CREATE TABLE other (x)");
	snprintf(uri, sizeof(uri), "sqlite:%s", path);
	o.uri = uri;
	CHECK_OK(rsp_sql_source_new(&src, &o, err, sizeof(err)));
	CHECK(rsp_source_poll(src, NOW, 0, msg, sizeof(msg)) == RSP_POLL_REFUSED);
	CHECK(strstr(msg, "no certificates table") != NULL);
	rsp_source_free(src);
}
#endif

int main(void)
{
	key_a = pki_ed25519_fixed(0x41);
	key_b = pki_ed25519_fixed(0x42);
	ca_a = pki_ca_cert("SQL CA A", key_a);
	ca_b = pki_ca_cert("SQL CA B", key_b);
	key_hash(ca_a, hash_a, aki_a);
	key_hash(ca_b, hash_b, aki_b);

	test_rows();
	test_snapshot();
	test_many_cas();
	test_expired();
	test_changes();
	test_down();
#ifdef OCSPKIT_WITH_SQLITE
	snprintf(dir, sizeof(dir), "/tmp/test_source_sql.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	test_sqlite();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
#endif

	ocspkit_cert_free(ca_a);
	ocspkit_cert_free(ca_b);
	ocspkit_privkey_free(key_a);
	ocspkit_privkey_free(key_b);
	CHECK_DONE();
}
