/* Unit tests of the CRL revocation source (responder/source_crl.c): every
 * check that refuses a CRL, with its message, the last good snapshot
 * serving on; lookups for every reason, a delta CRL (removeFromCRL, its
 * base rules), holds with their instruction, invalidity dates, indirect
 * CRLs; the issued-serial list in its three forms (unknown for the
 * others); the stale policy and its grace; the caps on the answers'
 * times through answer.c; the pre-signed cache re-signing an entry whose
 * status a new CRL changed; presign (the issued serials, times capped);
 * URLs through a fake fetch (refresh interval, before nextUpdate,
 * backoff); a fetch that hangs not blocking lookups. */
#include <config.h>

#include <ftw.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/text.h"
#include "tests/lib/pki.h"
#include "responder/answer.h"
#include "responder/presign.h"
#include "tests/responder/responder_ask.h"
#include "responder/source_crl.h"

#define NOW 1800000000
#define DAY 86400

/* ---------------------------------------------------------------- making CRLs */

static blob ext(const char *oid_hex, int critical, blob value)
{
	return T(0x30, cat(3, T(0x06, raw(oid_hex)), critical ? raw("0101FF") : none(), T(0x04, value)));
}

static blob int_der(long v)
{
	uint8_t b[9];
	size_t n = 0;
	int started = 0;
	for (int i = 7; i >= 0; i--) {
		uint8_t byte = (uint8_t)(v >> (8 * i));
		if (!started && !byte && i)
			continue;
		if (!started && (byte & 0x80))
			b[n++] = 0;
		started = 1;
		b[n++] = byte;
	}
	return T(0x02, bytes(b, n));
}

static blob gentime(int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char buf[40];
	gmtime_r(&tt, &tm);
	snprintf(buf, sizeof(buf), "%04d%02d%02d%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec);
	return GT(buf);
}

#define NO_REASON (-1)
#define HOLD_CALL_ISSUER "2A8648CE380202" /* holdInstructionCallIssuer */

typedef struct {
	uint8_t serial;
	int64_t when;
	int reason;             /* NO_REASON: none */
	int64_t invalidity;     /* 0: none */
	const char *hold;       /* OID hex, or NULL */
	const char *issuer;     /* certificateIssuer (a CN), or NULL */
} ent;

typedef struct {
	const ocspkit_privkey *key;
	const char *issuer;
	int64_t this_update, next_update; /* next_update 0: none */
	long number, base;               /* -1: none (base: a complete CRL) */
	const char *idp;                 /* IssuingDistributionPoint value hex, or NULL */
	int unknown_critical;
	const ent *e;
	size_t n;
} crl_def;

static blob make_crl(const crl_def *d)
{
	blob revoked = none();
	for (size_t i = 0; i < d->n; i++) {
		const ent *e = &d->e[i];
		blob x = none();
		if (e->reason != NO_REASON) {
			uint8_t v[3] = { 0x0A, 0x01, (uint8_t)e->reason };
			x = cat(2, x, ext("551D15", 0, bytes(v, 3)));
		}
		if (e->hold)
			x = cat(2, x, ext("551D17", 0, T(0x06, raw(e->hold))));
		if (e->invalidity)
			x = cat(2, x, ext("551D18", 0, gentime(e->invalidity)));
		if (e->issuer)
			x = cat(2, x, ext("551D1D", 1, T(0x30, T(0xA4, pki_name(e->issuer)))));
		uint8_t s = e->serial;
		revoked = cat(2, revoked,
			      T(0x30, cat(3, int_der(s), pki_time(e->when), x.n ? T(0x30, x) : none())));
	}
	blob exts = none();
	if (d->number >= 0)
		exts = cat(2, exts, ext("551D14", 0, int_der(d->number)));
	if (d->base >= 0)
		exts = cat(2, exts, ext("551D1B", 1, int_der(d->base)));
	if (d->idp)
		exts = cat(2, exts, ext("551D1C", 1, raw(d->idp)));
	if (d->unknown_critical)
		exts = cat(2, exts, ext("2A0304", 1, raw("0500")));
	blob tbs = T(0x30, cat(7, raw("020101"), pki_sign_alg(d->key, NULL), pki_name(d->issuer),
			       pki_time(d->this_update), d->next_update ? pki_time(d->next_update) : none(),
			       d->n ? T(0x30, revoked) : none(), exts.n ? T(0xA0, T(0x30, exts)) : none()));
	return pki_signed(tbs, d->key, NULL);
}

/* ---------------------------------------------------------------- fixtures */

static ocspkit_privkey *ca_key, *other_key;
static ocspkit_cert *ca;
static ocspkit_signer *ca_signer;
static rsp_signer signer;
static char dir[64];

static crl_def base_def(void)
{
	crl_def d;
	memset(&d, 0, sizeof(d));
	d.key = ca_key;
	d.issuer = "CRL CA";
	d.this_update = NOW - 3600;
	d.next_update = NOW + DAY;
	d.number = 5;
	d.base = -1;
	return d;
}

static void write_blob(const char *path, blob b)
{
	char tmp[200];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	if (!f || fwrite(b.d, 1, b.n, f) != b.n || fclose(f) != 0)
		abort();
	if (rename(tmp, path) != 0)
		abort();
}

static void write_text(const char *path, const char *text)
{
	write_blob(path, bytes(text, strlen(text)));
}

static char *path_of(const char *name)
{
	static char buf[8][160];
	static int k;
	char *p = buf[k++ % 8];
	snprintf(p, 160, "%s/%s", dir, name);
	return p;
}

static struct {
	unsigned loaded, refused, stale;
	char msg[600];
} told;

static void watch(rsp_source_watcher *w, rsp_source *src, rsp_source_event ev, uint64_t generation, const char *msg)
{
	(void)w, (void)src, (void)generation;
	if (ev == RSP_SOURCE_LOADED)
		told.loaded++;
	else if (ev == RSP_SOURCE_REFUSED)
		told.refused++;
	else
		told.stale++;
	snprintf(told.msg, sizeof(told.msg), "%s", msg);
}
static rsp_source_watcher watcher = { watch, NULL, NULL };

static rsp_source *new_source(const char *crl, const char *delta, const char *issued, rsp_crl_source_opts *more)
{
	rsp_crl_source_opts o;
	rsp_source *s = NULL;
	if (more)
		o = *more;
	else
		rsp_crl_source_default_opts(&o);
	o.ca = ca;
	o.crl = crl;
	o.delta = delta;
	o.issued = issued;
	o.settle_ms = 0;
	CHECK_OK(rsp_crl_source_new(&s, &o));
	memset(&told, 0, sizeof(told));
	watcher.next = NULL;
	rsp_source_watch(s, &watcher);
	return s;
}

static rsp_poll_result poll_at(rsp_source *s, int64_t now, unsigned flags)
{
	char msg[600];
	return rsp_source_poll(s, now, flags, msg, sizeof(msg));
}

/* The status of serial in the source's current snapshot. */
static rsp_status look(rsp_source *s, uint8_t serial)
{
	rsp_status st;
	memset(&st, 0, sizeof(st));
	st.status = -1;
	rsp_snapshot *snap = rsp_source_acquire(s);
	if (!snap)
		return st;
	ocspkit_err e = rsp_snapshot_lookup(snap, &(rsp_lookup){ ca, { NULL, 0 }, { &serial, 1 } }, &st);
	if (e)
		st.status = -2;
	rsp_snapshot_release(snap);
	return st;
}

static uint64_t generation(rsp_source *s)
{
	rsp_freshness f;
	rsp_source_freshness(s, &f);
	return f.generation;
}

/* The last refusal's message contains want. */
#define CHECK_REFUSED_WITH(s, want)                                                   \
	do {                                                                          \
		rsp_freshness f_;                                                     \
		rsp_source_freshness((s), &f_);                                       \
		CHECK(f_.refusals > 0 && strstr(f_.error, (want)) != NULL);           \
		if (!strstr(f_.error, (want)))                                        \
			fprintf(stderr, "  refusal: \"%s\", want \"%s\"\n", f_.error, want); \
	} while (0)

/* ---------------------------------------------------------------- lookups */

static int collect(void *ctx, ocspkit_bytes serial, const char *where)
{
	(void)where;
	unsigned *sum = ctx;
	*sum += serial.data[serial.len - 1];
	return 0;
}

static int count_one(void *ctx, ocspkit_bytes serial, const char *where)
{
	(void)serial, (void)where;
	++*(unsigned *)ctx;
	return 0;
}

static void test_lookups(void)
{
	ent e[] = {
		{ 0x10, NOW - DAY, NO_REASON, 0, NULL, NULL },
		{ 0x11, NOW - DAY, 0, 0, NULL, NULL },
		{ 0x12, NOW - DAY, 1, NOW - 2 * DAY, NULL, NULL },
		{ 0x13, NOW - DAY, 2, 0, NULL, NULL },
		{ 0x14, NOW - DAY, 3, 0, NULL, NULL },
		{ 0x15, NOW - DAY, 4, 0, NULL, NULL },
		{ 0x16, NOW - DAY, 5, 0, NULL, NULL },
		{ 0x17, NOW - DAY, 6, 0, HOLD_CALL_ISSUER, NULL },
		{ 0x19, NOW - DAY, 9, 0, NULL, NULL },
		{ 0x1A, NOW - DAY, 10, 0, NULL, NULL },
	};
	crl_def d = base_def();
	d.e = e;
	d.n = sizeof(e) / sizeof(e[0]);
	write_blob(path_of("base.crl"), make_crl(&d));
	rsp_source *s = new_source(path_of("base.crl"), NULL, NULL, NULL);
	CHECK(rsp_source_acquire(s) == NULL); /* no data before the first poll */
	CHECK(poll_at(s, NOW, RSP_POLL_FORCE) == RSP_POLL_LOADED);
	CHECK(told.loaded == 1 && strstr(told.msg, "CRL number 0x05") && strstr(told.msg, "10 entries"));
	rsp_status st = look(s, 0x10);
	CHECK(st.status == OCSPKIT_CERT_REVOKED && !st.has_reason && st.revocation_time == NOW - DAY &&
	      !st.has_invalidity_date && !st.hold_len);
	for (size_t i = 1; i < d.n; i++) {
		st = look(s, e[i].serial);
		CHECK(st.status == OCSPKIT_CERT_REVOKED && st.has_reason && st.reason == e[i].reason);
	}
	st = look(s, 0x12);
	CHECK(st.has_invalidity_date && st.invalidity_date == NOW - 2 * DAY);
	st = look(s, 0x17);
	CHECK(st.hold_len == 7 && memcmp(st.hold, "\x2A\x86\x48\xCE\x38\x02\x02", 7) == 0);
	st = look(s, 0x42);
	CHECK(st.status == OCSPKIT_CERT_GOOD);
	/* the snapshot's times: data_time, the caps */
	rsp_snapshot *snap = rsp_source_acquire(s);
	CHECK(snap && snap->data_time == NOW - 3600 && snap->this_update_floor == NOW - 3600 &&
	      snap->next_update_cap == NOW + DAY && snap->serve_until == NOW + DAY + RSP_CRL_DEFAULT_GRACE);
	/* each: the revoked ones without an issued list */
	unsigned count = 0;
	CHECK(rsp_snapshot_each(snap, count_one, &count) == 0 && count == d.n);
	rsp_snapshot_release(snap);
	/* unchanged file: nothing read */
	CHECK(poll_at(s, NOW + 1, 0) == RSP_POLL_UNCHANGED && told.loaded == 1);
	/* the same bytes again (a copy over it): not published again */
	write_blob(path_of("base.crl"), make_crl(&d));
	CHECK(poll_at(s, NOW + 2, 0) == RSP_POLL_UNCHANGED && told.loaded == 1 && generation(s) == 1);
	rsp_source_free(s);
}

/* PEM CRLs read as DER ones. */
static void test_pem(void)
{
	ent e[] = { { 0x21, NOW - DAY, 1, 0, NULL, NULL } };
	crl_def d = base_def();
	d.e = e;
	d.n = 1;
	blob der = make_crl(&d);
	char *pem = NULL;
	CHECK_OK(text_pem_encode(&pem, NULL, "X509 CRL", der.d, der.n));
	write_text(path_of("pem.crl"), pem);
	free(pem);
	rsp_source *s = new_source(path_of("pem.crl"), NULL, NULL, NULL);
	CHECK(poll_at(s, NOW, RSP_POLL_FORCE) == RSP_POLL_LOADED);
	CHECK(look(s, 0x21).status == OCSPKIT_CERT_REVOKED);
	rsp_source_free(s);
}

/* ---------------------------------------------------------------- refusals */

/* Writes d over the source's file; the poll must refuse it with want,
 * and the CRL in use (serial 0x30 revoked) go on serving. */
static void refused(rsp_source *s, const char *path, blob b, const char *want, int64_t at)
{
	uint64_t g = generation(s);
	write_blob(path, b);
	CHECK(poll_at(s, at, 0) == RSP_POLL_REFUSED);
	CHECK_REFUSED_WITH(s, want);
	CHECK(generation(s) == g);
	CHECK(look(s, 0x30).status == OCSPKIT_CERT_REVOKED);
}

static void test_refusals(void)
{
	ent e[] = { { 0x30, NOW - DAY, 1, 0, NULL, NULL } };
	crl_def d = base_def();
	d.e = e;
	d.n = 1;
	const char *p = path_of("refuse.crl");
	write_blob(p, make_crl(&d));
	rsp_source *s = new_source(p, NULL, NULL, NULL);
	CHECK(poll_at(s, NOW, RSP_POLL_FORCE) == RSP_POLL_LOADED);
	int64_t t = NOW;

	refused(s, p, raw("300300"), "does not decode: OCSPKIT_E_", ++t);
	/* each a change of the CRL in use (number 6 unless said) */
	static const struct {
		long number, base;
		int other_key, unknown_critical;
		const char *issuer, *idp, *want;
	} cases[] = {
		{ 6, -1, 1, 0, NULL, NULL, "does not verify against the CA: OCSPKIT_E_SIGNATURE_INVALID" },
		{ 6, -1, 0, 0, "Another CA", NULL, "OCSPKIT_E_CRL_ISSUER_MISMATCH" },
		{ 6, -1, 0, 1, NULL, NULL, "OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION" },
		{ 4, -1, 0, 0, NULL, NULL, "CRL number 0x04 is lower than the 0x05 in use" },
		{ 6, 5, 0, 0, NULL, NULL, "a delta CRL given as the complete CRL" },
		{ 6, -1, 0, 0, NULL, "30038201FF", "says onlyContainsCACerts" },
		{ 6, -1, 0, 0, NULL, "30038501FF", "says onlyContainsAttributeCerts" },
		{ 6, -1, 0, 0, NULL, "300483020640", "says onlySomeReasons" },
	};
	crl_def x;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		x = d;
		x.number = cases[i].number;
		x.base = cases[i].base;
		x.key = cases[i].other_key ? other_key : ca_key;
		x.unknown_critical = cases[i].unknown_critical;
		x.issuer = cases[i].issuer ? cases[i].issuer : d.issuer;
		x.idp = cases[i].idp;
		refused(s, p, make_crl(&x), cases[i].want, ++t);
	}
	/* a file that vanished: said, the CRL in memory serves */
	unlink(p);
	CHECK(poll_at(s, ++t, 0) == RSP_POLL_REFUSED);
	CHECK(look(s, 0x30).status == OCSPKIT_CERT_REVOKED);
	/* onlyContainsUserCerts is accepted; a higher number is */
	x = d;
	x.number = 6;
	x.idp = "30038101FF";
	ent e2[] = { { 0x30, NOW - DAY, 1, 0, NULL, NULL }, { 0x31, NOW - 10, 4, 0, NULL, NULL } };
	x.e = e2;
	x.n = 2;
	write_blob(p, make_crl(&x));
	CHECK(poll_at(s, ++t, 0) == RSP_POLL_LOADED);
	CHECK(look(s, 0x31).status == OCSPKIT_CERT_REVOKED);
	rsp_source_free(s);

	/* without CRL numbers: thisUpdate decides */
	d.number = -1;
	write_blob(p, make_crl(&d));
	s = new_source(p, NULL, NULL, NULL);
	CHECK(poll_at(s, NOW, RSP_POLL_FORCE) == RSP_POLL_LOADED);
	x = d;
	x.this_update = d.this_update - 60;
	refused(s, p, make_crl(&x), "thisUpdate 2027-01-15T06:59:00Z is older than the 2027-01-15T07:00:00Z in use", NOW + 1);
	rsp_source_free(s);

	/* a CA without cRLSign */
	pki_cert_spec cs;
	memset(&cs, 0, sizeof(cs));
	cs.subject = cs.issuer = "CRL CA";
	cs.ca = 1;
	cs.key = cs.issuer_key = ca_key;
	cs.ku = 0x04;
	ocspkit_cert *no_crl_sign = pki_cert(&cs);
	rsp_crl_source_opts o;
	rsp_crl_source_default_opts(&o);
	o.ca = no_crl_sign;
	o.crl = p;
	o.settle_ms = 0;
	CHECK_OK(rsp_crl_source_new(&s, &o));
	CHECK(poll_at(s, NOW, RSP_POLL_FORCE) == RSP_POLL_REFUSED);
	CHECK_REFUSED_WITH(s, "OCSPKIT_E_CRL_SIGNER_NO_CRL_SIGN");
	/* a first load that fails: no data */
	CHECK(rsp_source_acquire(s) == NULL);
	rsp_source_free(s);
	ocspkit_cert_free(no_crl_sign);
}

/* ---------------------------------------------------------------- delta CRLs */

static void test_delta(void)
{
	ent be[] = { { 0x40, NOW - DAY, 6, 0, HOLD_CALL_ISSUER, NULL }, { 0x41, NOW - DAY, 1, 0, NULL, NULL } };
	ent de[] = { { 0x40, NOW - 100, 8, 0, NULL, NULL }, { 0x42, NOW - 50, 3, 0, NULL, NULL } };
	crl_def b = base_def(), dd = base_def();
	b.e = be;
	b.n = 2;
	dd.e = de;
	dd.n = 2;
	dd.number = 6;
	dd.base = 5;
	dd.this_update = NOW - 60;
	dd.next_update = NOW + 3600;
	const char *bp = path_of("d-base.crl"), *dp = path_of("d-delta.crl");
	write_blob(bp, make_crl(&b));
	write_blob(dp, make_crl(&dd));
	rsp_source *s = new_source(bp, dp, NULL, NULL);
	CHECK(poll_at(s, NOW, RSP_POLL_FORCE) == RSP_POLL_LOADED);
	CHECK(strstr(told.msg, "; delta "));
	/* removeFromCRL takes 0x40 off hold; 0x42 revoked by the delta; 0x41 by the base */
	CHECK(look(s, 0x40).status == OCSPKIT_CERT_GOOD);
	rsp_status st = look(s, 0x42);
	CHECK(st.status == OCSPKIT_CERT_REVOKED && st.reason == 3 && st.revocation_time == NOW - 50);
	CHECK(look(s, 0x41).status == OCSPKIT_CERT_REVOKED);
	rsp_snapshot *snap = rsp_source_acquire(s);
	/* the earlier nextUpdate, the later thisUpdate */
	CHECK(snap && snap->next_update_cap == NOW + 3600 && snap->this_update_floor == NOW - 60);
	/* each without an issued list: the revoked ones, 0x41 and 0x42 (0x40
	 * is off hold) */
	unsigned sum = 0, count = 0;
	CHECK(snap && rsp_snapshot_each(snap, collect, &sum) == 0 && sum == 0x41 + 0x42);
	CHECK(snap && rsp_snapshot_each(snap, count_one, &count) == 0 && count == 2);
	rsp_snapshot_release(snap);

	/* deltas that do not apply: refused, the one in use serves */
	crl_def x = dd;
	x.number = 7;
	x.base = 6;
	write_blob(dp, make_crl(&x));
	CHECK(poll_at(s, NOW + 1, 0) == RSP_POLL_REFUSED);
	CHECK_REFUSED_WITH(s, "BaseCRLNumber 0x06 is greater than the complete CRL's number 0x05");
	CHECK(look(s, 0x42).status == OCSPKIT_CERT_REVOKED);
	x = dd;
	x.number = 5;
	x.base = 4;
	write_blob(dp, make_crl(&x));
	CHECK(poll_at(s, NOW + 2, 0) == RSP_POLL_REFUSED);
	CHECK_REFUSED_WITH(s, "is lower than the 0x06 in use");
	x = dd;
	x.number = 8;
	x.base = -1;
	write_blob(dp, make_crl(&x));
	CHECK(poll_at(s, NOW + 3, 0) == RSP_POLL_REFUSED);
	CHECK_REFUSED_WITH(s, "a complete CRL given as the delta CRL");
	x = dd;
	x.number = 8;
	x.idp = "30038101FF";
	write_blob(dp, make_crl(&x));
	CHECK(poll_at(s, NOW + 4, 0) == RSP_POLL_REFUSED);
	CHECK_REFUSED_WITH(s, "scope (issuing distribution point) differs");
	x = dd;
	x.number = 8;
	x.key = other_key;
	write_blob(dp, make_crl(&x));
	CHECK(poll_at(s, NOW + 5, 0) == RSP_POLL_REFUSED);
	CHECK_REFUSED_WITH(s, "the delta CRL does not verify against the CA");
	CHECK(look(s, 0x42).status == OCSPKIT_CERT_REVOKED && look(s, 0x40).status == OCSPKIT_CERT_GOOD);

	/* a new complete CRL (number 6) supersedes the delta numbered 6: the
	 * base serves alone, and says so */
	crl_def nb = b;
	nb.number = 6;
	nb.this_update = NOW;
	write_blob(bp, make_crl(&nb));
	CHECK(poll_at(s, NOW + 6, 0) == RSP_POLL_LOADED);
	CHECK(strstr(told.msg, "the delta CRL in use no longer applies") &&
	      strstr(told.msg, "is not greater than the complete CRL's 0x06"));
	CHECK(look(s, 0x42).status == OCSPKIT_CERT_GOOD && look(s, 0x40).status == OCSPKIT_CERT_REVOKED);
	st = look(s, 0x40);
	CHECK(st.reason == OCSPKIT_REASON_CERTIFICATE_HOLD && st.hold_len == 7);
	/* its next delta (base 6, number 9) applies */
	x = dd;
	x.number = 9;
	x.base = 6;
	write_blob(dp, make_crl(&x));
	CHECK(poll_at(s, NOW + 7, 0) == RSP_POLL_LOADED);
	CHECK(look(s, 0x42).status == OCSPKIT_CERT_REVOKED && look(s, 0x40).status == OCSPKIT_CERT_GOOD);
	rsp_source_free(s);

	/* a delta that came before its complete CRL waits for it */
	x = dd;
	x.number = 11;
	x.base = 10;
	write_blob(dp, make_crl(&x));
	write_blob(bp, make_crl(&b)); /* number 5 */
	s = new_source(bp, dp, NULL, NULL);
	CHECK(poll_at(s, NOW, RSP_POLL_FORCE) == RSP_POLL_LOADED);
	CHECK(told.refused == 1 && look(s, 0x42).status == OCSPKIT_CERT_GOOD);
	nb = b;
	nb.number = 10;
	write_blob(bp, make_crl(&nb));
	CHECK(poll_at(s, NOW + 1, 0) == RSP_POLL_LOADED);
	CHECK(look(s, 0x42).status == OCSPKIT_CERT_REVOKED);
	rsp_source_free(s);
}

/* Indirect CRLs: another issuer's entries do not count. */
static void test_indirect(void)
{
	ent e[] = { { 0x50, NOW - DAY, 1, 0, NULL, NULL },
		    { 0x51, NOW - DAY, 1, 0, NULL, "Other CA" },
		    { 0x52, NOW - DAY, 1, 0, NULL, NULL },
		    { 0x53, NOW - DAY, 1, 0, NULL, "CRL CA" } };
	crl_def d = base_def();
	d.idp = "30038401FF";
	d.e = e;
	d.n = 4;
	write_blob(path_of("ind.crl"), make_crl(&d));
	rsp_source *s = new_source(path_of("ind.crl"), NULL, NULL, NULL);
	CHECK(poll_at(s, NOW, RSP_POLL_FORCE) == RSP_POLL_LOADED);
	CHECK(look(s, 0x50).status == OCSPKIT_CERT_REVOKED);
	CHECK(look(s, 0x51).status == OCSPKIT_CERT_GOOD);
	CHECK(look(s, 0x52).status == OCSPKIT_CERT_GOOD); /* Other CA's still */
	CHECK(look(s, 0x53).status == OCSPKIT_CERT_REVOKED);
	rsp_source_free(s);
}

/* ---------------------------------------------------------------- issued serials */

static void issued_kind(const char *issued, const char *kind)
{
	ent e[] = { { 0x61, NOW - DAY, 1, 0, NULL, NULL } };
	crl_def d = base_def();
	d.e = e;
	d.n = 1;
	write_blob(path_of("iss.crl"), make_crl(&d));
	rsp_source *s = new_source(path_of("iss.crl"), NULL, issued, NULL);
	CHECK(poll_at(s, NOW, RSP_POLL_FORCE) == RSP_POLL_LOADED);
	CHECK(strstr(told.msg, kind) != NULL);
	if (!strstr(told.msg, kind))
		fprintf(stderr, "  %s: %s\n", kind, told.msg);
	CHECK(look(s, 0x60).status == OCSPKIT_CERT_GOOD);
	CHECK(look(s, 0x61).status == OCSPKIT_CERT_REVOKED);
	CHECK(look(s, 0x62).status == OCSPKIT_CERT_GOOD);
	CHECK(look(s, 0x63).status == OCSPKIT_CERT_UNKNOWN);
	/* each lists the issued serials */
	unsigned sum = 0;
	rsp_snapshot *snap = rsp_source_acquire(s);
	CHECK(snap && rsp_snapshot_each(snap, collect, &sum) == 0 && sum == 0x60 + 0x61 + 0x62);
	rsp_snapshot_release(snap);
	rsp_source_free(s);
}

static void test_issued(void)
{
	write_text(path_of("issued.txt"), "# issued by CRL CA\n\n60\n  61  # revoked since\n0062\n60\n");
	issued_kind(path_of("issued.txt"), "3 serials (list)");
	write_text(path_of("index.txt"), "V\t301231235959Z\t\t60\tunknown\t/CN=a\n"
					 "R\t301231235959Z\t240101000000Z,keyCompromise\t61\tunknown\t/CN=b\n"
					 "E\t201231235959Z\t\t62\tunknown\t/CN=c\n");
	issued_kind(path_of("index.txt"), "3 serials (index)");
	/* a directory: the CA's certificates count, another issuer's not */
	const char *cd = path_of("certs");
	mkdir(cd, 0700);
	ocspkit_privkey *leaf = pki_key(OCSPKIT_KEY_ED25519, 1);
	pki_cert_spec cs;
	memset(&cs, 0, sizeof(cs));
	cs.subject = "leaf";
	cs.issuer = "CRL CA";
	cs.key = leaf;
	cs.issuer_key = ca_key;
	char p[200];
	for (long serial = 0x60; serial <= 0x62; serial++) {
		cs.serial = serial;
		blob der = pki_cert_der(&cs);
		snprintf(p, sizeof(p), "%s/%lx.%s", cd, serial, serial == 0x61 ? "pem" : "der");
		if (serial == 0x61) {
			char *pem;
			CHECK_OK(text_pem_encode(&pem, NULL, "CERTIFICATE", der.d, der.n));
			write_text(p, pem);
			free(pem);
		} else {
			write_blob(p, der);
		}
	}
	cs.issuer = "Other CA";
	cs.serial = 0x63;
	snprintf(p, sizeof(p), "%s/other.crt", cd);
	write_blob(p, pki_cert_der(&cs));
	snprintf(p, sizeof(p), "%s/README", cd);
	write_text(p, "not a certificate, not read\n");
	issued_kind(cd, "3 serials (directory)");
	ocspkit_privkey_free(leaf);

	/* a bad list is refused, the one in use serves */
	write_text(path_of("issued2.txt"), "60\n61\n62\n");
	rsp_source *s = new_source(path_of("iss.crl"), NULL, path_of("issued2.txt"), NULL);
	CHECK(poll_at(s, NOW, RSP_POLL_FORCE) == RSP_POLL_LOADED);
	write_text(path_of("issued2.txt"), "60\n6x1\n");
	CHECK(poll_at(s, NOW + 1, 0) == RSP_POLL_REFUSED);
	CHECK_REFUSED_WITH(s, "issued2.txt:2: not a serial number in hex");
	CHECK(look(s, 0x62).status == OCSPKIT_CERT_GOOD);
	write_text(path_of("issued2.txt"), "# nothing\n");
	CHECK(poll_at(s, NOW + 2, 0) == RSP_POLL_REFUSED);
	CHECK_REFUSED_WITH(s, "no serials, while the list in use has 3");
	write_text(path_of("issued2.txt"), "60\n61\n62\n64\n");
	CHECK(poll_at(s, NOW + 3, 0) == RSP_POLL_LOADED);
	CHECK(look(s, 0x64).status == OCSPKIT_CERT_GOOD);
	rsp_source_free(s);
}

/* ---------------------------------------------------------------- answers */

static said ask(const rsp_responder *r, uint8_t serial, int64_t now)
{
	return ask_responder(r, &r->cas[0], serial, now);
}

static void test_answers_and_cache(void)
{
	ent e[] = { { 0x70, NOW - DAY, 1, NOW - 2 * DAY, NULL, NULL },
		    { 0x71, NOW - DAY, 6, 0, HOLD_CALL_ISSUER, NULL },
		    { 0x72, NOW - DAY, NO_REASON, 0, NULL, NULL } };
	crl_def d = base_def();
	d.e = e;
	d.n = 3;
	d.next_update = NOW + 3600;
	const char *p = path_of("ans.crl");
	write_blob(p, make_crl(&d));
	rsp_source *s = new_source(p, NULL, NULL, NULL);
	CHECK(poll_at(s, NOW, RSP_POLL_FORCE) == RSP_POLL_LOADED);
	rsp_ca c;
	CHECK_OK(rsp_ca_init(&c, ca, &signer, s));
	rsp_responder r = { &c, 1, DAY, NULL };
	CHECK_OK(rsp_cache_new(&r.cache, 100));

	/* revoked with its reason and invalidity date, hold with its code,
	 * no reason when the entry has none */
	said a = ask(&r, 0x70, NOW);
	CHECK(a.status == OCSPKIT_RESPONSE_SUCCESSFUL && a.cert == OCSPKIT_CERT_REVOKED && a.has_reason &&
	      a.reason == 1 && a.revoked_at == NOW - DAY && a.ext_count == 1);
	a = ask(&r, 0x71, NOW);
	CHECK(a.cert == OCSPKIT_CERT_REVOKED && a.reason == 6 && a.ext_count == 1);
	a = ask(&r, 0x72, NOW);
	CHECK(a.cert == OCSPKIT_CERT_REVOKED && !a.has_reason && a.ext_count == 0);
	/* nextUpdate capped at the CRL's (the responder would say a day) */
	a = ask(&r, 0x73, NOW);
	CHECK(a.cert == OCSPKIT_CERT_GOOD && a.this_update == NOW && a.has_next && a.next_update == NOW + 3600);
	/* thisUpdate not before the CRL's (a clock behind the CA's) */
	a = ask(&r, 0x74, NOW - 7200);
	CHECK(a.this_update == NOW - 3600 && a.next_update == NOW + 3600);
	/* a CRL's validity when the responder has none of its own */
	rsp_responder r0 = { &c, 1, -1, NULL };
	a = ask(&r0, 0x73, NOW);
	CHECK(a.has_next && a.next_update == NOW + 3600);

	/* the cache: steady state; a new CRL revoking 0x73 re-signs 0x73 only */
	a = ask(&r, 0x73, NOW);
	CHECK(a.origin == RSP_ORIGIN_CACHE);
	a = ask(&r, 0x75, NOW);
	CHECK(a.origin == RSP_ORIGIN_SIGNED);
	ent e2[] = { e[0], e[1], e[2], { 0x73, NOW + 10, 4, 0, NULL, NULL } };
	crl_def n = d;
	n.number = 6;
	n.e = e2;
	n.n = 4;
	write_blob(p, make_crl(&n));
	CHECK(poll_at(s, NOW + 20, 0) == RSP_POLL_LOADED);
	a = ask(&r, 0x73, NOW + 30);
	CHECK(a.cert == OCSPKIT_CERT_REVOKED && a.reason == 4 && a.origin == RSP_ORIGIN_SIGNED);
	a = ask(&r, 0x75, NOW + 30);
	CHECK(a.cert == OCSPKIT_CERT_GOOD && a.origin == RSP_ORIGIN_CACHE);
	a = ask(&r, 0x73, NOW + 31);
	CHECK(a.origin == RSP_ORIGIN_CACHE);

	/* stale, --crl-stale trylater: served within the grace, tryLater after */
	int64_t nu = NOW + 3600;
	a = ask(&r0, 0x75, nu + RSP_CRL_DEFAULT_GRACE - 1);
	CHECK(a.status == OCSPKIT_RESPONSE_SUCCESSFUL && !a.has_next); /* nothing to promise past the CRL */
	CHECK(poll_at(s, nu, 0) == RSP_POLL_UNCHANGED && told.stale == 1 && strstr(told.msg, "past its nextUpdate"));
	CHECK(poll_at(s, nu + 1, 0) == RSP_POLL_UNCHANGED && told.stale == 1); /* once */
	rsp_freshness f;
	rsp_source_freshness(s, &f);
	CHECK(f.stale_since == nu && f.valid_until == nu);
	a = ask(&r, 0x75, nu + RSP_CRL_DEFAULT_GRACE);
	CHECK(a.status == OCSPKIT_RESPONSE_TRY_LATER && strstr(a.detail, "stale"));
	/* a fresh CRL ends it */
	n.number = 7;
	n.this_update = nu + 100;
	n.next_update = nu + DAY;
	write_blob(p, make_crl(&n));
	CHECK(poll_at(s, nu + RSP_CRL_DEFAULT_GRACE + 1, 0) == RSP_POLL_LOADED);
	rsp_source_freshness(s, &f);
	CHECK(f.stale_since == 0 && f.valid_until == nu + DAY);
	a = ask(&r, 0x75, nu + RSP_CRL_DEFAULT_GRACE + 2);
	CHECK(a.status == OCSPKIT_RESPONSE_SUCCESSFUL);
	rsp_cache_free(r.cache);
	rsp_source_free(s);

	/* --crl-stale serve, and a grace of 0 */
	rsp_crl_source_opts o;
	rsp_crl_source_default_opts(&o);
	o.stale_serve = 1;
	write_blob(p, make_crl(&d));
	s = new_source(p, NULL, NULL, &o);
	CHECK(poll_at(s, NOW, RSP_POLL_FORCE) == RSP_POLL_LOADED);
	CHECK_OK(rsp_ca_init(&c, ca, &signer, s));
	r.cache = NULL;
	a = ask(&r, 0x75, NOW + 30 * DAY);
	CHECK(a.status == OCSPKIT_RESPONSE_SUCCESSFUL && a.cert == OCSPKIT_CERT_GOOD && !a.has_next);
	rsp_source_free(s);
	rsp_crl_source_default_opts(&o);
	o.grace = 0;
	s = new_source(p, NULL, NULL, &o);
	CHECK(poll_at(s, NOW, RSP_POLL_FORCE) == RSP_POLL_LOADED);
	CHECK_OK(rsp_ca_init(&c, ca, &signer, s));
	a = ask(&r, 0x75, NOW + 3599);
	CHECK(a.status == OCSPKIT_RESPONSE_SUCCESSFUL);
	a = ask(&r, 0x75, NOW + 3600);
	CHECK(a.status == OCSPKIT_RESPONSE_TRY_LATER);
	rsp_source_free(s);
}

/* presign: the issued serials, each answer's times within the CRL's. */
static unsigned presigned, capped;

static int presigned_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)ftw;
	if (type != FTW_F)
		return 0;
	size_t len, off;
	uint8_t *der = read_all(path, &len);
	ocspkit_response *resp = NULL;
	presigned++;
	if (der && ocspkit_response_decode(&resp, der, len, 0, &off) == OCSPKIT_OK &&
	    ocspkit_response_get_single_count(resp) == 1) {
		const ocspkit_single_response *sr = ocspkit_response_get_single(resp, 0);
		capped += sr->this_update == NOW && sr->has_next_update && sr->next_update == NOW + 3600;
	}
	ocspkit_response_free(resp);
	free(der);
	return 0;
}

static void test_presign(void)
{
	ent e[] = { { 0x61, NOW - DAY, 1, 0, NULL, NULL } };
	crl_def d = base_def();
	d.e = e;
	d.n = 1;
	d.next_update = NOW + 3600;
	write_blob(path_of("pre.crl"), make_crl(&d));
	write_text(path_of("pre-issued.txt"), "60\n61\n62\n");
	rsp_source *s = new_source(path_of("pre.crl"), NULL, path_of("pre-issued.txt"), NULL);
	CHECK(poll_at(s, NOW, RSP_POLL_FORCE) == RSP_POLL_LOADED);
	rsp_ca c;
	CHECK_OK(rsp_ca_init(&c, ca, &signer, s));
	rsp_responder r = { &c, 1, DAY, NULL };
	const char *out = path_of("presigned");
	mkdir(out, 0700);
	static const ocspkit_hash sha1 = OCSPKIT_HASH_SHA1;
	rsp_presign_opts o;
	rsp_presign_counts n;
	memset(&o, 0, sizeof(o));
	o.dir = out;
	o.hashes = &sha1;
	o.n_hashes = 1;
	o.now = NOW;
	o.quiet = 1;
	CHECK(rsp_presign(&r, &o, &n) == 0);
	CHECK(n.entries == 3 && n.written >= 3 && n.failed == 0);
	presigned = capped = 0;
	CHECK(nftw(out, presigned_file, 8, FTW_PHYS) == 0);
	CHECK(presigned == n.written && capped == presigned);
	rsp_source_free(s);
}

/* ---------------------------------------------------------------- URLs */

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned calls;
	int fail;
	int hang, hanging;    /* hang: block until cleared; hanging: a call is blocked */
	blob body;
	char url[200];
	size_t max;
} net = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, { 0, { 0 } }, "", 0 };

static int fake_fetch(void *ctx, const char *url, long timeout_s, size_t max, uint8_t **body, size_t *len, char *err,
		      size_t cap)
{
	(void)ctx, (void)timeout_s;
	pthread_mutex_lock(&net.lock);
	net.calls++;
	net.max = max;
	snprintf(net.url, sizeof(net.url), "%s", url);
	if (net.hang) {
		net.hanging = 1;
		pthread_cond_broadcast(&net.cond);
		while (net.hang)
			pthread_cond_wait(&net.cond, &net.lock);
		net.hanging = 0;
	}
	int fail = net.fail;
	pthread_mutex_unlock(&net.lock);
	if (fail) {
		snprintf(err, cap, "HTTP 503");
		return -1;
	}
	*body = malloc(net.body.n);
	memcpy(*body, net.body.d, net.body.n);
	*len = net.body.n;
	return 0;
}

static void test_url(void)
{
	ent e[] = { { 0x7E, NOW - DAY, 1, 0, NULL, NULL } };
	crl_def d = base_def();
	d.e = e;
	d.n = 1;
	d.this_update = NOW - DAY;
	d.next_update = NOW + 10 * DAY; /* margin: min(refresh, a tenth of 11 days) = refresh */
	net.body = make_crl(&d);
	rsp_crl_source_opts o;
	rsp_crl_source_default_opts(&o);
	o.fetch = fake_fetch;
	o.refresh = 600;
	rsp_source *s = new_source("http://crl.example/ca.crl", NULL, NULL, &o);
	CHECK(poll_at(s, NOW, 0) == RSP_POLL_LOADED);
	CHECK(net.calls == 1 && strcmp(net.url, "http://crl.example/ca.crl") == 0 && net.max == OCSPKIT_MAX_CRL_SIZE);
	CHECK(look(s, 0x7E).status == OCSPKIT_CERT_REVOKED);
	/* not before the refresh interval */
	CHECK(poll_at(s, NOW + 599, 0) == RSP_POLL_UNCHANGED && net.calls == 1);
	/* then fetched; the same bytes publish nothing */
	CHECK(poll_at(s, NOW + 600, 0) == RSP_POLL_UNCHANGED && net.calls == 2 && generation(s) == 1);
	/* SIGHUP fetches at once */
	CHECK(poll_at(s, NOW + 601, RSP_POLL_FORCE) == RSP_POLL_UNCHANGED && net.calls == 3);
	/* failures back off: 30 s, 60 s, ... at most the refresh interval;
	 * the CRL in use serves on */
	net.fail = 1;
	CHECK(poll_at(s, NOW + 1201, 0) == RSP_POLL_REFUSED && net.calls == 4);
	CHECK_REFUSED_WITH(s, "HTTP 503; again in 30s");
	CHECK(poll_at(s, NOW + 1230, 0) == RSP_POLL_UNCHANGED && net.calls == 4);
	CHECK(poll_at(s, NOW + 1231, 0) == RSP_POLL_REFUSED && net.calls == 5);
	CHECK_REFUSED_WITH(s, "again in 60s");
	CHECK(poll_at(s, NOW + 1290, 0) == RSP_POLL_UNCHANGED && net.calls == 5);
	CHECK(poll_at(s, NOW + 1291, 0) == RSP_POLL_REFUSED && net.calls == 6);
	CHECK(look(s, 0x7E).status == OCSPKIT_CERT_REVOKED);
	net.fail = 0;
	CHECK(poll_at(s, NOW + 1411, 0) == RSP_POLL_UNCHANGED && net.calls == 7);
	rsp_source_free(s);

	/* a CRL valid for 2000 s with a refresh of an hour: fetched again a
	 * tenth of its validity before its nextUpdate */
	d.this_update = NOW;
	d.next_update = NOW + 2000;
	d.number = 6;
	net.body = make_crl(&d);
	net.calls = 0;
	o.refresh = 3600;
	s = new_source("https://crl.example/ca.crl", NULL, NULL, &o);
	CHECK(poll_at(s, NOW, 0) == RSP_POLL_LOADED && net.calls == 1);
	CHECK(poll_at(s, NOW + 1799, 0) == RSP_POLL_UNCHANGED && net.calls == 1);
	CHECK(poll_at(s, NOW + 1800, 0) == RSP_POLL_UNCHANGED && net.calls == 2);
	/* still the old one: every minute from then on */
	CHECK(poll_at(s, NOW + 1859, 0) == RSP_POLL_UNCHANGED && net.calls == 2);
	CHECK(poll_at(s, NOW + 1860, 0) == RSP_POLL_UNCHANGED && net.calls == 3);
	rsp_source_free(s);

	/* no fetch function: refused, said */
	o.fetch = NULL;
	s = new_source("http://crl.example/ca.crl", NULL, NULL, &o);
	CHECK(poll_at(s, NOW, RSP_POLL_FORCE) == RSP_POLL_REFUSED);
	CHECK_REFUSED_WITH(s, "no way to fetch a URL");
	rsp_source_free(s);
}

static void *poller(void *arg)
{
	rsp_source *s = arg;
	poll_at(s, NOW + 5000, RSP_POLL_FORCE);
	return NULL;
}

/* A fetch that hangs holds up its poll, not the lookups. */
static void test_hanging_fetch(void)
{
	ent e[] = { { 0x7F, NOW - DAY, 1, 0, NULL, NULL } };
	crl_def d = base_def();
	d.e = e;
	d.n = 1;
	net.body = make_crl(&d);
	rsp_crl_source_opts o;
	rsp_crl_source_default_opts(&o);
	o.fetch = fake_fetch;
	rsp_source *s = new_source("http://crl.example/hang.crl", NULL, NULL, &o);
	CHECK(poll_at(s, NOW, 0) == RSP_POLL_LOADED);
	pthread_t t;
	pthread_mutex_lock(&net.lock);
	net.hang = 1;
	pthread_mutex_unlock(&net.lock);
	CHECK(pthread_create(&t, NULL, poller, s) == 0);
	pthread_mutex_lock(&net.lock);
	while (!net.hanging)
		pthread_cond_wait(&net.cond, &net.lock);
	pthread_mutex_unlock(&net.lock);
	/* the poll is inside the fetch: lookups and freshness answer */
	for (int i = 0; i < 1000; i++)
		CHECK(look(s, 0x7F).status == OCSPKIT_CERT_REVOKED);
	rsp_freshness f;
	rsp_source_freshness(s, &f);
	CHECK(f.generation == 1);
	pthread_mutex_lock(&net.lock);
	net.hang = 0;
	pthread_cond_broadcast(&net.cond);
	pthread_mutex_unlock(&net.lock);
	pthread_join(t, NULL);
	rsp_source_free(s);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_source_crl.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	ca_key = pki_ed25519_fixed(0x31);
	other_key = pki_ed25519_fixed(0x32);
	ca = pki_ca_cert("CRL CA", ca_key);
	CHECK_OK(ocspkit_signer_from_privkey(&ca_signer, ca_key, NULL));
	signer.signer = ca_signer;
	signer.cert = ca;

	test_lookups();
	test_pem();
	test_refusals();
	test_delta();
	test_indirect();
	test_issued();
	test_answers_and_cache();
	test_presign();
	test_url();
	test_hanging_fetch();

	ocspkit_signer_free(ca_signer);
	ocspkit_cert_free(ca);
	ocspkit_privkey_free(ca_key);
	ocspkit_privkey_free(other_key);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	CHECK_DONE();
}
