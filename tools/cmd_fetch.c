/* ocspkit fetch: ask a certificate's OCSP responder over HTTP, verify the
 * answer with `ocspkit verify`'s rules and report it the same way (lines
 * and exit codes); only a verified answer is printed (--text) or written
 * (--out). */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "client.h"

#define MAX_CA_FILES 8

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ocspkit fetch --cert LEAF.pem [--issuer CA.pem] [options]\n"
		"\n"
		"  --cert FILE          the certificate to ask about (the first of a PEM bundle)\n"
		"  --issuer FILE        its issuing CA (default: the next certificate of the bundle)\n"
		"  --url URL            the responder (default: the certificate's OCSP URL)\n"
		"  --nonce              send a random nonce and require it back (RFC 8954)\n"
		"  --no-nonce           send none (default: a cacheable RFC 5019 request)\n"
		"  --hash NAME          CertID hash: sha1 (default, RFC 5019), sha256, sha384, sha512\n"
		"  --post               always POST (default: GET when the request's base64 is\n"
		"                       under 255 octets, as RFC 5019 asks)\n"
		"  --timeout S          seconds for each attempt, in all (default 15)\n"
		"  --connect-timeout S  seconds to connect (default 5)\n"
		"  --retries N          more attempts after network errors and 5xx answers,\n"
		"                       0.5 s apart and doubling (default 2)\n"
		"  --max-size BYTES     largest answer read (default 131072)\n"
		"  --CAfile FILE        responders trusted as given (repeatable)\n"
		"  --skew SECONDS       allowed clock difference (default 300)\n"
		"  --max-age SECONDS    oldest acceptable thisUpdate when nextUpdate is absent\n"
		"  --out FILE           write the verified response (DER), atomically\n"
		"  --text               print the verified response\n"
		"  -v, --verbose        say who signed, the update times, and each HTTP attempt\n"
		"\n"
		"exit: 0 verified, good; 1 verified, revoked or unknown; 2 no answer, or it is\n"
		"      malformed or does not verify; 3 usage or file error\n");
}

int cmd_fetch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cert", required_argument, NULL, 'c' },    { "issuer", required_argument, NULL, 'i' },
		{ "url", required_argument, NULL, 'u' },     { "nonce", no_argument, NULL, 'n' },
		{ "no-nonce", no_argument, NULL, 'N' },      { "hash", required_argument, NULL, 'H' },
		{ "post", no_argument, NULL, 'P' },          { "timeout", required_argument, NULL, 't' },
		{ "connect-timeout", required_argument, NULL, 'C' },
		{ "retries", required_argument, NULL, 'r' }, { "max-size", required_argument, NULL, 'm' },
		{ "CAfile", required_argument, NULL, 'A' },  { "VAfile", required_argument, NULL, 'A' },
		{ "skew", required_argument, NULL, 'k' },    { "max-age", required_argument, NULL, 'a' },
		{ "out", required_argument, NULL, 'o' },     { "text", no_argument, NULL, 'T' },
		{ "verbose", no_argument, NULL, 'v' },       { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *cert_path = NULL, *issuer_path = NULL, *out_path = NULL, *ca_paths[MAX_CA_FILES];
	size_t n_ca = 0;
	int text = 0, verbose = 0, ret = EXIT_USAGE;
	long v;
	client_opts co;
	staple_ctx ctx;

	memset(&co, 0, sizeof(co));
	memset(&ctx, 0, sizeof(ctx));
	cli_http_opts_default(&co.http);
	co.hash = OCSPKIT_HASH_SHA1;
	ctx.skew = 300;
	optind = 1;
	for (int ch; (ch = getopt_long(argc, argv, "hv", opts, NULL)) != -1;) {
		switch (ch) {
		case 'c': cert_path = optarg; break;
		case 'i': issuer_path = optarg; break;
		case 'u': co.url = optarg; break;
		case 'n': co.nonce = 1; break;
		case 'N': co.nonce = 0; break;
		case 'H':
			if (!(co.hash = cli_parse_hash(optarg))) {
				cli_err("unknown hash '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'P': co.http.force_post = 1; break;
		case 't':
		case 'C':
			if (client_parse_ms(optarg, ch == 't' ? &co.http.timeout_ms : &co.http.connect_timeout_ms) ||
			    (ch == 't' ? co.http.timeout_ms : co.http.connect_timeout_ms) == 0) {
				cli_err("--%s: seconds expected", ch == 't' ? "timeout" : "connect-timeout");
				return EXIT_USAGE;
			}
			break;
		case 'r':
			if (client_parse_count(optarg, 10, &v)) {
				cli_err("--retries: 0 to 10");
				return EXIT_USAGE;
			}
			co.http.retries = (unsigned)v;
			break;
		case 'm':
			if (client_parse_count(optarg, OCSPKIT_MAX_MESSAGE_SIZE, &v) || v == 0) {
				cli_err("--max-size: 1 to %u bytes", OCSPKIT_MAX_MESSAGE_SIZE);
				return EXIT_USAGE;
			}
			co.http.max_size = (size_t)v;
			break;
		case 'A':
			if (n_ca == MAX_CA_FILES) {
				cli_err("at most %d --CAfile", MAX_CA_FILES);
				return EXIT_USAGE;
			}
			ca_paths[n_ca++] = optarg;
			break;
		case 'k':
		case 'a':
			if (client_parse_count(optarg, 100L * 365 * 86400, &v)) {
				cli_err("--%s: seconds expected", ch == 'k' ? "skew" : "max-age");
				return EXIT_USAGE;
			}
			*(ch == 'k' ? &ctx.skew : &ctx.max_age) = v;
			break;
		case 'o': out_path = optarg; break;
		case 'T': text = 1; break;
		case 'v': verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc || !cert_path) {
		usage(stderr);
		return EXIT_USAGE;
	}
	co.http.verbose = verbose;

	ocspkit_cert *cert = NULL, *issuer = NULL, **trusted = NULL, **ca_lists[MAX_CA_FILES] = { NULL };
	size_t ca_counts[MAX_CA_FILES] = { 0 }, n_trusted = 0;
	client_result r;
	memset(&r, 0, sizeof(r));

	if (client_load_pair(cert_path, issuer_path, &cert, &issuer))
		goto out;
	for (size_t i = 0; i < n_ca; i++) {
		if (cli_load_certs(ca_paths[i], &ca_lists[i], &ca_counts[i]))
			goto out;
		n_trusted += ca_counts[i];
	}
	if (n_trusted) {
		if (!(trusted = calloc(n_trusted, sizeof(*trusted))))
			goto out;
		for (size_t i = 0, k = 0; i < n_ca; i++)
			for (size_t j = 0; j < ca_counts[i]; j++)
				trusted[k++] = ca_lists[i][j];
	}
	ctx.issuer = issuer;
	ctx.cert = cert;
	ctx.trusted = (const ocspkit_cert *const *)trusted;
	ctx.trusted_count = n_trusted;
	ctx.now = (int64_t)time(NULL);

	if (client_query(&r, &co, &ctx)) {
		cli_err("%s", r.problem);
		ret = EXIT_INVALID;
		goto out;
	}
	if (r.info.state == STAPLE_MALFORMED) {
		printf("%s: malformed response: %s at offset %zu (%s)\n", r.url, ocspkit_strerror_name(r.info.err),
		       r.info.err_offset, ocspkit_strerror(r.info.err));
		ret = EXIT_INVALID;
		goto out;
	}
	ocspkit_validate_result res;
	memset(&res, 0, sizeof(res));
	res.signer = r.info.signer;
	res.nocheck = r.info.nocheck;
	res.targets = &r.info.result;
	const char *names[1] = { cert_path };
	ret = cli_verify_report(r.url, issuer_path ? issuer_path : cert_path, r.info.resp, r.info.validate_err, &res,
				&r.info.target, names, 1, verbose);
	if (ret != EXIT_GOOD && ret != EXIT_NOT_GOOD)
		goto out;
	if (text) {
		char *dump = NULL;
		if (ocspkit_response_print(&dump, r.info.resp) == OCSPKIT_OK) {
			fputs(dump, stdout);
			ocspkit_free(dump);
		}
	}
	if (out_path && cli_write_file(out_path, r.http.body, r.http.len))
		ret = EXIT_USAGE;
out:
	client_result_clear(&r);
	ocspkit_cert_free(cert);
	ocspkit_cert_free(issuer);
	for (size_t i = 0; i < n_ca; i++)
		cli_free_certs(ca_lists[i], ca_counts[i]);
	free(trusted);
	return ret;
}
