/* The options `ocspkit fetch` and `ocspkit staple` share: how to ask
 * (--url, --hash, --post, --timeout, --connect-timeout, --retries,
 * --max-size) and whom to believe (--CAfile/--VAfile, --skew, --max-age),
 * for the client library (client/fetch.h); and the certificate asked
 * about with its issuer, from files. */
#ifndef OCSPKIT_TOOLS_CLIENT_OPTIONS_H
#define OCSPKIT_TOOLS_CLIENT_OPTIONS_H

#include <ocspkit/ocspkit.h>

#include "client/fetch.h"
#include "trust.h"

/* COPT_LONG_OPTIONS goes into the command's getopt_long table. */
#define COPT_LONG_OPTIONS                                                                                 \
	{ "url", required_argument, NULL, 'u' }, { "hash", required_argument, NULL, 'H' },                \
	{ "post", no_argument, NULL, 'P' }, { "timeout", required_argument, NULL, 't' },                  \
	{ "connect-timeout", required_argument, NULL, 'C' }, { "retries", required_argument, NULL, 'r' }, \
	{ "max-size", required_argument, NULL, 'm' }, { "CAfile", required_argument, NULL, 'A' },         \
	{ "VAfile", required_argument, NULL, 'V' }, { "skew", required_argument, NULL, 'k' },             \
	{ "max-age", required_argument, NULL, 'a' }

typedef struct {
	client_opts co;
	cli_trust trust; /* --CAfile, --VAfile */
} copt_args;

/* Defaults: SHA-1 CertIDs, no nonce, client_http_opts_default; ctx->skew 300 s. */
void copt_init(copt_args *a, staple_ctx *ctx);
/* Takes one option of COPT_LONG_OPTIONS (skew and max-age go to ctx).
 * 1: taken; 0: not one of them; -1: a bad value, reported. */
int copt_option(copt_args *a, staple_ctx *ctx, int ch, const char *arg);
/* Loads the --CAfile and --VAfile certificates into ctx->trusted.  Reports its
 * errors; 0 on success.  copt_free releases them. */
int copt_load(copt_args *a, staple_ctx *ctx);
void copt_free(copt_args *a);

/* Loads the certificate of cert_path (the first of a PEM bundle) and its
 * issuer: from issuer_path when given, else the certificate of the bundle
 * that issued it.  Reports its errors; 0 on success. */
int copt_load_pair(const char *cert_path, const char *issuer_path, ocspkit_cert **cert, ocspkit_cert **issuer);

#endif
