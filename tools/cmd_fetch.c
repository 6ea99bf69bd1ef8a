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

#include "client/fetch.h"
#include "client_options.h"
#include "commands.h"
#include "files.h"
#include "output.h"

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
		"  --VAfile FILE        responders trusted as given (openssl's -VAfile; repeatable)\n"
		"  --CAfile FILE        as --VAfile, but only certificates with id-kp-OCSPSigning\n"
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
		{ "cert", required_argument, NULL, 'c' }, { "issuer", required_argument, NULL, 'i' },
		{ "nonce", no_argument, NULL, 'n' },      { "no-nonce", no_argument, NULL, 'N' },
		{ "out", required_argument, NULL, 'o' },  { "text", no_argument, NULL, 'T' },
		{ "verbose", no_argument, NULL, 'v' },    { "help", no_argument, NULL, 'h' },
		COPT_LONG_OPTIONS,                        { NULL, 0, NULL, 0 }
	};
	const char *cert_path = NULL, *issuer_path = NULL, *out_path = NULL;
	int text = 0, verbose = 0, ret = EXIT_USAGE;
	copt_args args;
	staple_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	copt_init(&args, &ctx);
	optind = 1;
	for (int ch; (ch = getopt_long(argc, argv, "hv", opts, NULL)) != -1;) {
		int taken = copt_option(&args, &ctx, ch, optarg);
		if (taken < 0)
			return EXIT_USAGE;
		if (taken)
			continue;
		switch (ch) {
		case 'c': cert_path = optarg; break;
		case 'i': issuer_path = optarg; break;
		case 'n': args.co.nonce = 1; break;
		case 'N': args.co.nonce = 0; break;
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
	if (verbose)
		args.co.http.log = cli_log_line;

	ocspkit_cert *cert = NULL, *issuer = NULL;
	client_result r;
	memset(&r, 0, sizeof(r));

	if (copt_load_pair(cert_path, issuer_path, &cert, &issuer) || copt_load(&args, &ctx))
		goto out;
	ctx.issuer = issuer;
	ctx.cert = cert;
	ctx.now = (int64_t)time(NULL);

	if (client_query(&r, &args.co, &ctx)) {
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
	res.targets = &r.info.result; /* not allocated: not cleared either */
	res.target_count = 1;
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
	copt_free(&args);
	return ret;
}
