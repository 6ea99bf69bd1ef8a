/* The options `ocspkit fetch` and `ocspkit staple` share (client_options.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_options.h"
#include "common/util.h"
#include "files.h"
#include "options.h"
#include "output.h"

int copt_load_pair(const char *cert_path, const char *issuer_path, ocspkit_cert **cert, ocspkit_cert **issuer)
{
	ocspkit_cert **list = NULL;
	size_t n = 0;

	*cert = *issuer = NULL;
	if (cli_load_certs(cert_path, &list, &n))
		return -1;
	*cert = list[0];
	list[0] = NULL;
	if (issuer_path) {
		cli_free_certs(list, n);
		if (cli_load_cert(issuer_path, issuer))
			goto fail;
	} else {
		for (size_t i = 1; i < n && !*issuer; i++)
			if (util_same_bytes(ocspkit_cert_get_subject(list[i]), ocspkit_cert_get_issuer(*cert))) {
				*issuer = list[i];
				list[i] = NULL;
			}
		cli_free_certs(list, n);
		if (!*issuer) {
			cli_err("%s: no issuer certificate in the file (give --issuer)", cert_path);
			goto fail;
		}
	}
	if (!util_same_bytes(ocspkit_cert_get_issuer(*cert), ocspkit_cert_get_subject(*issuer))) {
		cli_err("%s: not issued by %s (issuer name differs)", cert_path, issuer_path ? issuer_path : "its issuer");
		goto fail;
	}
	return 0;
fail:
	ocspkit_cert_free(*cert);
	ocspkit_cert_free(*issuer);
	*cert = *issuer = NULL;
	return -1;
}

void copt_init(copt_args *a, staple_ctx *ctx)
{
	memset(a, 0, sizeof(*a));
	client_http_opts_default(&a->co.http);
	a->co.hash = OCSPKIT_HASH_SHA1;
	ctx->skew = 300;
}

int copt_option(copt_args *a, staple_ctx *ctx, int ch, const char *arg)
{
	long v;
	switch (ch) {
	case 'u': a->co.url = arg; return 1;
	case 'P': a->co.http.force_post = 1; return 1;
	case 'H':
		if (!(a->co.hash = cli_parse_hash(arg))) {
			cli_err("unknown hash '%s'", arg);
			return -1;
		}
		return 1;
	case 't':
	case 'C': {
		long *ms = ch == 't' ? &a->co.http.timeout_ms : &a->co.http.connect_timeout_ms;
		if (cli_parse_ms(arg, ms) || *ms == 0) {
			cli_err("--%s: seconds expected", ch == 't' ? "timeout" : "connect-timeout");
			return -1;
		}
		return 1;
	}
	case 'r':
		if (cli_parse_count(arg, 10, &v)) {
			cli_err("--retries: 0 to 10");
			return -1;
		}
		a->co.http.retries = (unsigned)v;
		return 1;
	case 'm':
		if (cli_parse_count(arg, OCSPKIT_MAX_MESSAGE_SIZE, &v) || v == 0) {
			cli_err("--max-size: 1 to %u bytes", OCSPKIT_MAX_MESSAGE_SIZE);
			return -1;
		}
		a->co.http.max_size = (size_t)v;
		return 1;
	case 'A':
	case 'V':
		return cli_trust_add(&a->trust, arg, ch == 'A') ? -1 : 1;
	case 'k':
	case 'a':
		if (cli_parse_count(arg, 100L * 365 * 86400, &v)) {
			cli_err("--%s: seconds expected", ch == 'k' ? "skew" : "max-age");
			return -1;
		}
		*(ch == 'k' ? &ctx->skew : &ctx->max_age) = v;
		return 1;
	default:
		return 0;
	}
}

int copt_load(copt_args *a, staple_ctx *ctx)
{
	if (cli_trust_load(&a->trust))
		return -1;
	ctx->trusted = (const ocspkit_cert *const *)a->trust.certs;
	ctx->trusted_count = a->trust.count;
	return 0;
}

void copt_free(copt_args *a)
{
	cli_trust_free(&a->trust);
}
