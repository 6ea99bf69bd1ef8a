/* What the responder commands share (`respond`, `serve`, `presign`): the
 * CAs with their index.txt files as revocation sources, the signer(s) and
 * the signing options, loaded once with openssl ocsp's option names; and
 * for `serve --upstream` the caching proxy in their place.  Each command
 * puts RESPONDER_SETUP_OPTIONS in its option table and reads its
 * options with responder_setup_getopt.
 *
 * --CA FILE may hold several CA certificates (all described by that
 * file's index, read once); --index, --rsigner and --rkey go with the
 * --CA at the same position (--rsigner and --rkey may also be given once
 * for all).  Each --CA has one revocation source, --index FILE or --crl
 * SOURCE: the k-th of those options, in the order given, is the k-th
 * --CA's (so `--CA a --index i --CA b --crl c` mixes the kinds);
 * --delta-crl and --issued belong to the --crl before them.  A --crl's
 * --CA file holds one certificate (a CRL is of one CA).  A --db URI (a
 * CFSSL certdb, responder/source_sql.h) serves every certificate of its
 * --CA file, each selected by its key identifier; --db-poll,
 * --db-passfile, --db-ca-label and --db-expired-grace apply to every
 * --db. */
#ifndef OCSPKIT_TOOLS_RESPONDER_SETUP_H
#define OCSPKIT_TOOLS_RESPONDER_SETUP_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

#include "client/fetch.h"
#include "responder/answer.h"
#include "responder/source_crl.h"
#include "responder/source_index.h"
#include "responder/source_sql.h"
#include "responder/upstream.h"

#define RESPONDER_SETUP_MAX_CA 64
typedef struct {
	/* per source position: index[k] for --index, crl[k] (with delta[k],
	 * issued[k]) for --crl */
	const char *index[RESPONDER_SETUP_MAX_CA], *ca[RESPONDER_SETUP_MAX_CA];
	const char *crl[RESPONDER_SETUP_MAX_CA], *delta[RESPONDER_SETUP_MAX_CA], *issued[RESPONDER_SETUP_MAX_CA];
	const char *db[RESPONDER_SETUP_MAX_CA]; /* --db URI */
	rsp_sql_source_opts db_opts;  /* --db-poll, --db-passfile, --db-ca-label, --db-expired-grace */
	rsp_crl_source_opts crl_opts; /* --crl-refresh, --crl-stale, --crl-grace */
	int allow_no_data;            /* serve: a CRL that cannot be read at start answers tryLater */
	const char *rsigner[RESPONDER_SETUP_MAX_CA], *rkey[RESPONDER_SETUP_MAX_CA];
	size_t n_index, n_ca, n_rsigner, n_rkey;
	char *passin;                 /* the argv string; a copy once responder_setup_hide_passin took it */
	int passin_copied;
	const char *rother;
	ocspkit_sign_opts sopts;
	int by_key, no_certs;
	long ndays, nmin;             /* -1: not given */
	rsp_load_policy load;         /* how index files are read (source_index.h) */
	/* loaded */
	ocspkit_cert **ca_certs;      /* every certificate of every --CA file */
	size_t n_ca_certs;
	size_t *ca_file;              /* which --CA file each came from */
	ocspkit_cert **signer_certs, **others;
	size_t n_signers, n_others;
	ocspkit_privkey **keys;
	ocspkit_signer **key_signers; /* keys[i]'s, with sopts */
	rsp_signer *signers;
	ocspkit_bytes *cert_views;    /* the certificates each signer includes */
	rsp_source **sources;         /* one per --index */
	size_t n_sources;
	rsp_source_watcher *watchers; /* responder_setup_log_sources' */
	rsp_responder r;
	/* serve --upstream: the caching proxy instead of r */
	rsp_upstream *upstream;
	client_endpoint upstream_link;
} responder_setup;

/* The options, for a command's getopt table (their codes run from
 * RESPONDER_SETUP_FIRST_OPTION to RESPONDER_SETUP_LAST_OPTION), and their
 * lines for its usage. */
#define RESPONDER_SETUP_FIRST_OPTION 1000
#define RESPONDER_SETUP_LAST_OPTION 1024
#define RESPONDER_SETUP_OPTIONS                                                                    \
	{ "index", required_argument, NULL, 1000 }, { "CA", required_argument, NULL, 1001 },       \
	{ "rsigner", required_argument, NULL, 1002 }, { "rkey", required_argument, NULL, 1003 },   \
	{ "passin", required_argument, NULL, 1004 }, { "rmd", required_argument, NULL, 1005 },     \
	{ "rsigopt", required_argument, NULL, 1006 }, { "rother", required_argument, NULL, 1007 }, \
	{ "resp-key-id", no_argument, NULL, 1008 }, { "resp_key_id", no_argument, NULL, 1008 },    \
	{ "ndays", required_argument, NULL, 1009 }, { "nmin", required_argument, NULL, 1010 },     \
	{ "no-certs", no_argument, NULL, 1011 }, { "resp_no_certs", no_argument, NULL, 1011 },     \
	{ "allow-shrink", no_argument, NULL, 1012 }, { "index-settle", required_argument, NULL, 1013 }, \
	{ "crl", required_argument, NULL, 1014 }, { "delta-crl", required_argument, NULL, 1015 },    \
	{ "issued", required_argument, NULL, 1016 }, { "crl-refresh", required_argument, NULL, 1017 }, \
	{ "crl-stale", required_argument, NULL, 1018 }, { "crl-grace", required_argument, NULL, 1019 }, \
	{ "db", required_argument, NULL, 1020 }, { "db-poll", required_argument, NULL, 1021 },       \
	{ "db-passfile", required_argument, NULL, 1022 }, { "db-ca-label", required_argument, NULL, 1023 }, \
	{ "db-expired-grace", required_argument, NULL, 1024 }
#define RESPONDER_SETUP_USAGE                                                                            \
	"  --index FILE        the OpenSSL CA database (index.txt) of the --CA at the same position\n"   \
	"  --crl SOURCE        or the CA's CRL instead: a file (PEM or DER) or an http(s):// URL\n"    \
	"  --delta-crl SOURCE  a delta CRL to the --crl before it\n"                                    \
	"  --issued SOURCE     the serials that --crl's CA issued (an index.txt, a file of hex\n"       \
	"                      serials one a line, or a directory of certificates): others unknown\n" \
	"  --crl-refresh SECONDS  fetch CRL URLs this often (default 3600), and before nextUpdate\n"    \
	"  --crl-stale serve|trylater  a CRL past its nextUpdate: answer from it, or tryLater once\n"  \
	"                      the grace is over (default trylater)\n"                                  \
	"  --crl-grace SECONDS  how long past nextUpdate a CRL still answers (default 3600)\n"          \
	"  --db URI            or a CFSSL certificate database: sqlite:PATH (read-only) or\n"        \
	"                      postgresql://... (each --CA certificate's rows, by its key id)\n"     \
	"  --db-poll SECONDS   read the whole table this often (default 60; changes are\n"          \
	"                      followed in between, every --reload-interval)\n"                     \
	"  --db-passfile FILE  the PostgreSQL password file (default: libpq's)\n"                   \
	"  --db-ca-label LABEL only the rows of this ca_label\n"                                    \
	"  --db-expired-grace SECONDS  answer a row this long past its expiry, then unknown\n"      \
	"                      (default: as long as the row exists)\n"                             \
	"  --CA FILE           the CA certificate(s) the index, CRL or database is about\n"          \
	"  --rsigner FILE      the responder's certificate (the CA's own, or a delegated one);\n"        \
	"                      once, or once per --CA\n"                                                 \
	"  --rkey FILE         its private key (default: read from --rsigner); once, or once per --CA\n" \
	"  --passin SPEC       the key's passphrase: env:VAR or file:PATH (best), fd:N, stdin,\n"        \
	"                      pass:TEXT (other users see it in ps until ocspkit has started)\n"         \
	"  --rmd HASH          signature digest: sha1, sha224, sha256, sha384, sha512\n"                 \
	"  --rsigopt OPT       rsa_padding_mode:pss, rsa_pss_saltlen:N|digest|max, rsa_mgf1_md:HASH\n"   \
	"  --rother FILE       more certificates to include in the response\n"                           \
	"  --resp-key-id       name the responder by key hash (default: by name)\n"                      \
	"  --no-certs          include no certificate in the response\n"                                 \
	"  --index-settle MS   an index file is used only if it has not changed for MS milliseconds\n"   \
	"                      after being read (default 300): never half of a file being rewritten\n"   \
	"  --allow-shrink      accept an index with less than half the entries of the one in use\n"

/* responder_setup_init sets the defaults: no file, no validity, index files
 * read with RSP_DEFAULT_SETTLE_MS. */
void responder_setup_init(responder_setup *s);
/* responder_setup_getopt is getopt_long_only over argv with opts (which
 * hold RESPONDER_SETUP_OPTIONS, and -h): it takes the options of
 * RESPONDER_SETUP_OPTIONS itself (--passin keeps its argv string for
 * responder_setup_hide_passin) and returns the next other one, -1 at the
 * end, or RESPONDER_SETUP_BAD_VALUE after reporting a bad value.  The
 * caller sets optind to 1 first. */
#define RESPONDER_SETUP_BAD_VALUE (-2)
int responder_setup_getopt(responder_setup *s, int argc, char **argv, const struct option *opts);
/* responder_setup_hide_passin, for --passin pass:TEXT, takes a copy and
 * blanks TEXT out of argv (cli_passin_take).  1 when it did, 0 for other
 * forms or when done before, -1 (reported) when out of memory.
 * responder_setup_load calls it; a command that wants to warn calls it
 * first. */
int responder_setup_hide_passin(responder_setup *s);
/* responder_setup_load loads the certificates and keys and builds s->r
 * (with its CAs and, when load_index, their index files or CRLs as
 * revocation sources, each read once for all its CAs; CRL URLs fetched
 * through the client library).  A source whose first read fails is an
 * error, except a CRL's or a database's under allow_no_data (reported;
 * answered tryLater until it reads).  Reports and returns -1 on failure. */
int responder_setup_load(responder_setup *s, int load_index);
/* responder_setup_log_sources, for the server, logs what each source
 * serves and has it log a line whenever it loads or refuses data (a
 * watcher).  -1 (reported) when out of memory. */
int responder_setup_log_sources(responder_setup *s);
/* responder_setup_load_proxy, for `serve --upstream url`, loads the --CA
 * files into s->r's CAs (no index, no signer) and s->upstream, a caching
 * proxy for them in front of url (responder/upstream.h) that asks through
 * the client library (client_exchange, one attempt within timeout_ms),
 * its refresh thread running.  Reports and returns -1 on failure; either
 * way responder_setup_free releases it all. */
int responder_setup_load_proxy(responder_setup *s, const char *url, long timeout_ms);
/* responder_setup_validity returns nextUpdate - thisUpdate in seconds
 * from --ndays/--nmin (-1: neither). */
int64_t responder_setup_validity(const responder_setup *s);
/* responder_setup_free releases all that was loaded, the proxy included. */
void responder_setup_free(responder_setup *s);

#endif
