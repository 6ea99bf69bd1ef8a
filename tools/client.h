/* One OCSP exchange for one certificate, shared by `ocspkit fetch` and
 * `ocspkit staple`: the responder URL (given, or from the certificate's
 * Authority Information Access), the request (RFC 5019 shape: one CertID,
 * SHA-1 by default, a nonce only when asked), HTTP (http.h), the HTTP
 * verdict and the examination of the answer (staple.h). */
#ifndef OCSPKIT_TOOLS_CLIENT_H
#define OCSPKIT_TOOLS_CLIENT_H

#include "cli.h"
#include "http.h"
#include "staple.h"

typedef struct {
	const char *url;    /* NULL: the certificate's first http(s) OCSP URL */
	ocspkit_hash hash;  /* CertID hash */
	int nonce;          /* send a random 16-octet nonce; the answer must echo it */
	cli_http_opts http;
} client_opts;

typedef struct {
	char *url;                      /* where the request went (malloc'd) */
	uint8_t nonce[16];
	size_t nonce_len;
	cli_http_answer http;
	staple_http_verdict verdict;
	int examined;                   /* info holds the examined answer */
	staple_info info;
	char problem[512];              /* why there is no examined answer */
} client_result;

/* Asks about ctx->cert (issued by ctx->issuer) and examines the answer at
 * ctx->now (ctx->nonce is set to the nonce sent, pointing into *r).
 * Returns 0 when an answer was examined (whatever it says: r->info), -1
 * when none came or HTTP refused it (r->problem). */
int client_query(client_result *r, const client_opts *o, staple_ctx *ctx);
void client_result_clear(client_result *r);

/* The certificate's first OCSP URL with an http or https scheme
 * (malloc'd), or NULL. */
char *client_aia_url(const ocspkit_cert *cert);

/* Loads the certificate of cert_path (the first of a PEM bundle) and its
 * issuer: from issuer_path when given, else the certificate of the bundle
 * that issued it.  Reports its errors; 0 on success. */
int client_load_pair(const char *cert_path, const char *issuer_path, ocspkit_cert **cert, ocspkit_cert **issuer);

/* The options `ocspkit fetch` and `ocspkit staple` share: how to ask
 * (--url, --hash, --post, --timeout, --connect-timeout, --retries,
 * --max-size) and whom to believe (--CAfile/--VAfile, --skew, --max-age).
 * CLIENT_LONG_OPTIONS goes into the command's getopt_long table. */
#define CLIENT_LONG_OPTIONS                                                                                  \
	{ "url", required_argument, NULL, 'u' }, { "hash", required_argument, NULL, 'H' },                   \
	{ "post", no_argument, NULL, 'P' }, { "timeout", required_argument, NULL, 't' },                     \
	{ "connect-timeout", required_argument, NULL, 'C' }, { "retries", required_argument, NULL, 'r' },    \
	{ "max-size", required_argument, NULL, 'm' }, { "CAfile", required_argument, NULL, 'A' },            \
	{ "VAfile", required_argument, NULL, 'V' }, { "skew", required_argument, NULL, 'k' },                \
	{ "max-age", required_argument, NULL, 'a' }

typedef struct {
	client_opts co;
	cli_trust trust; /* --CAfile, --VAfile */
} client_args;

/* Defaults: SHA-1 CertIDs, no nonce, cli_http_opts_default; ctx->skew 300 s. */
void client_args_init(client_args *a, staple_ctx *ctx);
/* Takes one option of CLIENT_LONG_OPTIONS (skew and max-age go to ctx).
 * 1: taken; 0: not one of them; -1: a bad value, reported. */
int client_args_option(client_args *a, staple_ctx *ctx, int ch, const char *arg);
/* Loads the --CAfile and --VAfile certificates into ctx->trusted.  Reports its
 * errors; 0 on success.  client_args_free releases them. */
int client_args_load(client_args *a, staple_ctx *ctx);
void client_args_free(client_args *a);

/* Option values: seconds with an optional fraction ("2.5"), as
 * milliseconds; counts.  0 on success. */
int client_parse_ms(const char *s, long *ms);
int client_parse_count(const char *s, long max, long *out);

/* `ocspkit serve --upstream URL` (serve_upstream.c): loads the --CA files
 * of s into s->r with a caching proxy in front of url (upstream.h), its
 * refresh thread running.  Reports and returns -1 on failure; either way
 * serve_upstream_free, then rsetup_free, release it all. */
int serve_upstream_setup(rsetup *s, const char *url, long timeout_ms);
void serve_upstream_free(rsetup *s);

#endif
