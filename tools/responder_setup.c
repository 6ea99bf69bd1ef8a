/* What the responder commands share (responder_setup.h). */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/util.h"
#include "files.h"
#include "keys.h"
#include "options.h"
#include "output.h"
#include "responder_setup.h"

void responder_setup_init(responder_setup *s)
{
	memset(s, 0, sizeof(*s));
	s->ndays = -1;
	s->nmin = -1;
	s->load.settle_ms = RSP_DEFAULT_SETTLE_MS;
	rsp_crl_source_default_opts(&s->crl_opts);
	rsp_sql_source_default_opts(&s->db_opts);
}

static int add(const char **list, size_t *n, const char *arg, const char *name)
{
	if (*n == RESPONDER_SETUP_MAX_CA) {
		cli_err("--%s: at most %d", name, RESPONDER_SETUP_MAX_CA);
		return -1;
	}
	list[(*n)++] = arg;
	return 0;
}

/* One option of RESPONDER_SETUP_OPTIONS: 0, or -1 after reporting. */
static int take(responder_setup *s, int ch, char *arg)
{
	char *end;
	long v;
	switch (ch) {
	case 1000:
	case 1014:
	case 1020:
		/* the k-th --index, --crl or --db is the k-th --CA's */
		if (s->n_index == RESPONDER_SETUP_MAX_CA) {
			cli_err("--%s: at most %d", ch == 1000 ? "index" : ch == 1014 ? "crl" : "db",
				RESPONDER_SETUP_MAX_CA);
			return -1;
		}
		s->index[s->n_index] = ch == 1000 ? arg : NULL;
		s->crl[s->n_index] = ch == 1014 ? arg : NULL;
		s->db[s->n_index] = ch == 1020 ? arg : NULL;
		s->n_index++;
		return 0;
	case 1021:
	case 1024:
		v = strtol(arg, &end, 10);
		if (!*arg || *end || v < (ch == 1021 ? 1 : 0) || v > 3650L * 86400) {
			cli_err("--%s: seconds expected", ch == 1021 ? "db-poll" : "db-expired-grace");
			return -1;
		}
		if (ch == 1021)
			s->db_opts.full_poll = v;
		else
			s->db_opts.expired_grace = v;
		return 0;
	case 1022: s->db_opts.passfile = arg; return 0;
	case 1023: s->db_opts.ca_label = arg; return 0;
	case 1015:
	case 1016:
		if (!s->n_index || !s->crl[s->n_index - 1]) {
			cli_err("--%s belongs to a --crl: give it after one", ch == 1015 ? "delta-crl" : "issued");
			return -1;
		}
		*(ch == 1015 ? &s->delta[s->n_index - 1] : &s->issued[s->n_index - 1]) = arg;
		return 0;
	case 1017:
	case 1019:
		v = strtol(arg, &end, 10);
		if (!*arg || *end || v < (ch == 1017 ? 1 : 0) || v > 365L * 86400) {
			cli_err("--%s: seconds expected", ch == 1017 ? "crl-refresh" : "crl-grace");
			return -1;
		}
		*(ch == 1017 ? &s->crl_opts.refresh : &s->crl_opts.grace) = v;
		return 0;
	case 1018:
		if (strcmp(arg, "serve") != 0 && strcmp(arg, "trylater") != 0) {
			cli_err("--crl-stale: serve or trylater");
			return -1;
		}
		s->crl_opts.stale_serve = strcmp(arg, "serve") == 0;
		return 0;
	case 1001: return add(s->ca, &s->n_ca, arg, "CA");
	case 1002: return add(s->rsigner, &s->n_rsigner, arg, "rsigner");
	case 1003: return add(s->rkey, &s->n_rkey, arg, "rkey");
	case 1004:
		if (s->passin_copied) {
			cli_free_passphrase(s->passin);
			s->passin_copied = 0;
		}
		s->passin = arg;
		return 0;
	case 1005:
		if (!(s->sopts.digest = cli_parse_hash(arg))) {
			cli_err("--rmd: unknown digest '%s'", arg);
			return -1;
		}
		return 0;
	case 1006: return cli_parse_sigopt(arg, &s->sopts);
	case 1007: s->rother = arg; return 0;
	case 1008: s->by_key = 1; return 0;
	case 1012: s->load.allow_shrink = 1; return 0;
	case 1013:
		v = strtol(arg, &end, 10);
		if (!*arg || *end || v < 0 || v > 60000) {
			cli_err("--index-settle: milliseconds, at most 60000, expected");
			return -1;
		}
		s->load.settle_ms = (unsigned)v;
		return 0;
	case 1009:
	case 1010:
		v = strtol(arg, &end, 10);
		if (!*arg || *end || v < 0 || v > 36500L * (ch == 1010 ? 1440 : 1)) {
			cli_err("--%s: a number of %s expected", ch == 1009 ? "ndays" : "nmin", ch == 1009 ? "days" : "minutes");
			return -1;
		}
		if (ch == 1009)
			s->ndays = v;
		else
			s->nmin = v;
		return 0;
	case 1011: s->no_certs = 1; return 0;
	default: return -1;
	}
}

int responder_setup_getopt(responder_setup *s, int argc, char **argv, const struct option *opts)
{
	for (;;) {
		int ch = getopt_long_only(argc, argv, "h", opts, NULL);
		if (ch < RESPONDER_SETUP_FIRST_OPTION || ch > RESPONDER_SETUP_LAST_OPTION)
			return ch;
		if (take(s, ch, optarg) != 0)
			return RESPONDER_SETUP_BAD_VALUE;
	}
}

int responder_setup_hide_passin(responder_setup *s)
{
	if (!s->passin || s->passin_copied || strncmp(s->passin, "pass:", 5) != 0)
		return 0;
	char *copy = cli_passin_take(s->passin);
	if (!copy) {
		cli_err("out of memory");
		return -1;
	}
	s->passin = copy;
	s->passin_copied = 1;
	return 1;
}

int64_t responder_setup_validity(const responder_setup *s)
{
	if (s->ndays < 0 && s->nmin < 0)
		return -1;
	return (s->ndays > 0 ? (int64_t)s->ndays * 86400 : 0) + (s->nmin > 0 ? (int64_t)s->nmin * 60 : 0);
}

/* How long a poll waits for PostgreSQL's notifications, shared by the
 * databases of one responder. */
#define PG_CHANGE_WAIT_MS 900

/* A database source's progress lines */
static void log_db(void *ctx, const char *line)
{
	(void)ctx;
	util_log_line(2, "ocspkit", "%s", line);
}

/* The database source of source position i, for every certificate of
 * the --CA file i. */
static int new_db_source(responder_setup *s, size_t i)
{
	const ocspkit_cert *cas[RSP_SQL_MAX_CAS];
	size_t n = 0;
	for (size_t k = 0; k < s->n_ca_certs; k++)
		if (s->ca_file[k] == i) {
			if (n == RSP_SQL_MAX_CAS) {
				cli_err("--db %s: at most %d CA certificates", s->db[i], RSP_SQL_MAX_CAS);
				return -1;
			}
			cas[n++] = s->ca_certs[k];
		}
	rsp_sql_source_opts o = s->db_opts;
	o.uri = s->db[i];
	/* PostgreSQL's notifications: the poller (every --reload-interval,
	 * 1 s by default) waits for them in each database in turn for most
	 * of a second, so that every node answers a revocation within a
	 * second of its commit */
	if (strncmp(o.uri, "postgres", 8) == 0) {
		int n_pg = 0;
		for (size_t k = 0; k < s->n_index; k++)
			n_pg += s->db[k] && strncmp(s->db[k], "postgres", 8) == 0;
		o.change_wait_ms = PG_CHANGE_WAIT_MS / (n_pg ? n_pg : 1);
	}
	o.cas = cas;
	o.n_cas = n;
	o.log = log_db;
	char err[300];
	if (rsp_sql_source_new(&s->sources[i], &o, err, sizeof(err)) != OCSPKIT_OK) {
		cli_err("--db %s", err);
		return -1;
	}
	return 0;
}

/* The first read of an index: one being written is waited for, a while. */
static int load_first(rsp_source *src, char *err, size_t cap)
{
	rsp_poll_result rc;
	for (int tries = 0;
	     (rc = rsp_source_poll(src, (int64_t)time(NULL), RSP_POLL_FORCE, err, cap)) == RSP_POLL_MOVING && tries < 20;
	     tries++) {
		struct timespec ts = { 0, 250000000 };
		nanosleep(&ts, NULL);
	}
	return rc == RSP_POLL_LOADED ? 0 : -1;
}

/* libresponder's fetch, through the client library */
static int fetch_crl(void *ctx, const char *url, long timeout_s, size_t max, uint8_t **body, size_t *len, char *err,
		     size_t cap)
{
	(void)ctx;
	return client_http_get(url, timeout_s * 1000, max, body, len, err, cap);
}

/* The CRL source of source position i, for the one certificate of the
 * --CA file i. */
static int new_crl_source(responder_setup *s, size_t i)
{
	size_t n = 0, first = 0;
	for (size_t k = 0; k < s->n_ca_certs; k++)
		if (s->ca_file[k] == i && !n++)
			first = k;
	if (n != 1) {
		cli_err("--crl %s: the --CA file %s holds %zu certificates; a CRL is of one CA", s->crl[i], s->ca[i], n);
		return -1;
	}
	rsp_crl_source_opts o = s->crl_opts;
	o.ca = s->ca_certs[first];
	o.crl = s->crl[i];
	o.delta = s->delta[i];
	o.issued = s->issued[i];
	o.settle_ms = s->load.settle_ms;
	/* the tolerances real CAs need (DESIGN-NOTES.md, CRL sources) */
	o.decode_flags = OCSPKIT_DECODE_ALLOW_PADDED_INTEGER | OCSPKIT_DECODE_ALLOW_EMPTY_REVOKED_LIST;
	o.fetch = fetch_crl;
	if (rsp_crl_source_new(&s->sources[i], &o) != OCSPKIT_OK) {
		cli_err("out of memory");
		return -1;
	}
	return 0;
}

int responder_setup_load(responder_setup *s, int load_index)
{
	char err[512];
	if (s->n_ca == 0 || s->n_rsigner == 0) {
		cli_err("--CA and --rsigner are required");
		return -1;
	}
	if (responder_setup_hide_passin(s) < 0)
		return -1;
	if (load_index && s->n_index != s->n_ca) {
		cli_err("one --index, --crl or --db per --CA (%zu given, %zu --CA)", s->n_index, s->n_ca);
		return -1;
	}
	if (s->n_rsigner != 1 && s->n_rsigner != s->n_ca) {
		cli_err("--rsigner: once, or once per --CA");
		return -1;
	}
	if (s->n_rkey > 1 && s->n_rkey != s->n_rsigner) {
		cli_err("--rkey: once per --rsigner");
		return -1;
	}
	/* the CAs */
	for (size_t i = 0; i < s->n_ca; i++) {
		size_t first = s->n_ca_certs;
		if (cli_append_certs(s->ca[i], &s->ca_certs, &s->n_ca_certs))
			return -1;
		/* ca_file[k]: which --CA file certificate k came from */
		size_t *nf = realloc(s->ca_file, s->n_ca_certs * sizeof(*nf));
		if (!nf) {
			cli_err("out of memory");
			return -1;
		}
		s->ca_file = nf;
		for (size_t k = first; k < s->n_ca_certs; k++)
			s->ca_file[k] = i;
	}
	if (s->rother && cli_load_certs(s->rother, &s->others, &s->n_others))
		return -1;
	/* the signers */
	s->n_signers = s->n_rsigner;
	s->signer_certs = calloc(s->n_signers, sizeof(*s->signer_certs));
	s->keys = calloc(s->n_signers, sizeof(*s->keys));
	s->key_signers = calloc(s->n_signers, sizeof(*s->key_signers));
	s->signers = calloc(s->n_signers, sizeof(*s->signers));
	s->cert_views = calloc(s->n_signers * (1 + OCSPKIT_MAX_CERTIFICATES), sizeof(*s->cert_views));
	if (!s->signer_certs || !s->keys || !s->key_signers || !s->signers || !s->cert_views) {
		cli_err("out of memory");
		return -1;
	}
	for (size_t i = 0; i < s->n_signers; i++) {
		const char *key_path = s->n_rkey == 0 ? s->rsigner[i] : s->rkey[s->n_rkey == 1 ? 0 : i];
		if (cli_load_cert(s->rsigner[i], &s->signer_certs[i]))
			return -1;
		if (keys_load_privkey(key_path, s->passin, &s->keys[i], err, sizeof(err))) {
			cli_err("%s", err);
			return -1;
		}
		if (keys_signer(&s->key_signers[i], s->keys[i], s->signer_certs[i], s->sopts, key_path, err,
				sizeof(err))) {
			cli_err("%s", err);
			return -1;
		}
		rsp_signer *sg = &s->signers[i];
		sg->signer = s->key_signers[i];
		sg->cert = s->signer_certs[i];
		sg->by_key = s->by_key;
		ocspkit_bytes *views = s->cert_views + i * (1 + OCSPKIT_MAX_CERTIFICATES);
		size_t nv = 0;
		/* --no-certs means none at all, --rother's too, as openssl's -resp_no_certs */
		if (!s->no_certs)
			views[nv++] = ocspkit_cert_get_der(sg->cert);
		for (size_t k = 0; !s->no_certs && k < s->n_others && nv < OCSPKIT_MAX_CERTIFICATES; k++)
			if (!util_same_bytes(ocspkit_cert_get_der(s->others[k]), ocspkit_cert_get_der(sg->cert)))
				views[nv++] = ocspkit_cert_get_der(s->others[k]);
		sg->certs = views;
		sg->cert_count = nv;
	}
	/* nothing reads the keys again: the passphrase need not stay in memory */
	if (s->passin_copied)
		cli_free_passphrase(s->passin);
	s->passin = NULL;
	s->passin_copied = 0;
	/* the revocation sources, each file read once for all its CAs */
	if (load_index) {
		if (!(s->sources = calloc(s->n_index, sizeof(*s->sources)))) {
			cli_err("out of memory");
			return -1;
		}
		for (size_t i = 0; i < s->n_index; i++) {
			if (s->crl[i]) {
				if (new_crl_source(s, i) != 0)
					return -1;
			} else if (s->db[i]) {
				if (new_db_source(s, i) != 0)
					return -1;
			} else if (rsp_index_source_new(&s->sources[i], s->index[i], &s->load) != OCSPKIT_OK) {
				cli_err("out of memory");
				return -1;
			}
			s->n_sources = i + 1;
			if (load_first(s->sources[i], err, sizeof(err)) != 0) {
				if ((!s->crl[i] && !s->db[i]) || !s->allow_no_data) {
					cli_err("%s", err);
					return -1;
				}
				util_log_line(2, "ocspkit serve", "%s; answering tryLater for its CA until %s", err,
					      s->crl[i] ? "a CRL reads" : "the database is read");
			}
		}
	}
	/* the responder */
	s->r.validity = responder_setup_validity(s);
	if (!(s->r.cas = calloc(s->n_ca_certs, sizeof(*s->r.cas)))) {
		cli_err("out of memory");
		return -1;
	}
	for (size_t i = 0; i < s->n_ca_certs; i++) {
		size_t f = s->ca_file[i];
		ocspkit_err e = rsp_ca_init(&s->r.cas[i], s->ca_certs[i], &s->signers[s->n_signers == 1 ? 0 : f],
					     load_index ? s->sources[f] : NULL);
		s->r.n_cas = i + 1;
		if (e) {
			cli_err("%s: %s", s->ca[f], ocspkit_strerror_name(e));
			return -1;
		}
	}
	return 0;
}

/* "index reloaded: ...", "index refused, the previous one keeps serving: ..." */
static void log_event(rsp_source_watcher *w, rsp_source *src, rsp_source_event ev, uint64_t generation,
		      const char *msg)
{
	(void)w;
	if (ev == RSP_SOURCE_LOADED)
		util_log_line(2, "ocspkit serve", "%s reloaded: %s (generation %llu)", rsp_source_kind(src), msg,
			      (unsigned long long)generation);
	else if (ev == RSP_SOURCE_STALE)
		util_log_line(2, "ocspkit serve", "%s stale: %s", rsp_source_kind(src), msg);
	else
		util_log_line(2, "ocspkit serve", "%s refused, the previous one keeps serving: %s", rsp_source_kind(src),
			      msg);
}

int responder_setup_log_sources(responder_setup *s)
{
	if (s->n_sources && !(s->watchers = calloc(s->n_sources, sizeof(*s->watchers)))) {
		cli_err("out of memory");
		return -1;
	}
	for (size_t i = 0; i < s->n_sources; i++) {
		char where[300];
		rsp_snapshot *snap = rsp_source_acquire(s->sources[i]);
		rsp_source_describe(s->sources[i], where, sizeof(where));
		util_log_line(2, "ocspkit serve", "serving %s: %zu %s entries", where, snap ? snap->entries : 0,
			      rsp_source_kind(s->sources[i]));
		rsp_snapshot_release(snap);
		/* what the first load refused beside what it took (a delta CRL
		 * that does not apply), before the watchers could say it */
		rsp_freshness f;
		rsp_source_freshness(s->sources[i], &f);
		if (f.refusals)
			util_log_line(2, "ocspkit serve", "%s refused: %s", rsp_source_kind(s->sources[i]), f.error);
		s->watchers[i].fn = log_event;
		rsp_source_watch(s->sources[i], &s->watchers[i]);
	}
	return 0;
}

/* The proxy's lines, as the server's own. */
static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	util_log_line(2, "ocspkit serve", "%s", line);
}

int responder_setup_load_proxy(responder_setup *s, const char *url, long timeout_ms)
{
	for (size_t i = 0; i < s->n_ca; i++)
		if (cli_append_certs(s->ca[i], &s->ca_certs, &s->n_ca_certs))
			return -1;
	if (!(s->r.cas = calloc(s->n_ca_certs, sizeof(*s->r.cas)))) {
		cli_err("out of memory");
		return -1;
	}
	for (size_t i = 0; i < s->n_ca_certs; i++) {
		s->r.n_cas = i + 1;
		if (rsp_ca_init(&s->r.cas[i], s->ca_certs[i], NULL, NULL) != OCSPKIT_OK) {
			cli_err("out of memory");
			return -1;
		}
	}
	s->r.validity = responder_setup_validity(s); /* unused: nothing is signed */
	/* one attempt: the proxy's own backoff spaces them */
	s->upstream_link.url = url;
	client_http_opts_default(&s->upstream_link.http);
	s->upstream_link.http.retries = 0;
	s->upstream_link.http.timeout_ms = timeout_ms;
	s->upstream_link.http.connect_timeout_ms = timeout_ms < 2000 ? timeout_ms : 2000;

	rsp_upstream_opts o;
	memset(&o, 0, sizeof(o));
	o.cas = s->r.cas;
	o.n_cas = s->r.n_cas;
	o.fetch = client_exchange;
	o.fetch_ctx = &s->upstream_link;
	o.log = log_line;
	if (rsp_upstream_new(&s->upstream, &o) != OCSPKIT_OK) {
		cli_err("out of memory");
		return -1;
	}
	if (rsp_upstream_start(s->upstream) != 0) {
		cli_err("cannot start the refresh thread");
		return -1;
	}
	util_log_line(2, "ocspkit serve", "caching proxy for %zu CA%s in front of %s", s->n_ca_certs,
		      s->n_ca_certs == 1 ? "" : "s", url);
	return 0;
}

void responder_setup_free(responder_setup *s)
{
	rsp_upstream_free(s->upstream);
	free(s->r.cas);
	for (size_t i = 0; i < s->n_sources; i++)
		rsp_source_free(s->sources[i]);
	free(s->sources);
	free(s->watchers);
	for (size_t i = 0; i < s->n_signers; i++) {
		if (s->signer_certs)
			ocspkit_cert_free(s->signer_certs[i]);
		if (s->key_signers)
			ocspkit_signer_free(s->key_signers[i]);
		if (s->keys)
			ocspkit_privkey_free(s->keys[i]);
	}
	free(s->signer_certs);
	free(s->key_signers);
	free(s->keys);
	free(s->signers);
	free(s->cert_views);
	cli_free_certs(s->ca_certs, s->n_ca_certs);
	free(s->ca_file);
	cli_free_certs(s->others, s->n_others);
	if (s->passin_copied)
		cli_free_passphrase(s->passin);
	memset(s, 0, sizeof(*s));
}
