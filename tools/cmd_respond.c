/* ocspkit respond: the offline responder.  Answers one request file from
 * an OpenSSL CA index the way `openssl ocsp -index ... -reqin ... -respout`
 * does, with openssl's option names (-index and --index both work):
 * a request that does not decode gets malformedRequest, one about a CA
 * not given gets unauthorized, a nonce is copied into the response.  The
 * answer is responder/answer.c's, the one `ocspkit serve` gives. */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "files.h"
#include "output.h"
#include "responder_setup.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ocspkit respond --index index.txt|--crl SOURCE|--db URI --CA CA.pem --rsigner SIGNER.pem [--rkey KEY.pem]\n"
		"                       --reqin REQ.der --respout RESP.der [options]\n"
		"\n" RESPONDER_SETUP_USAGE
		"  --ndays N, --nmin N nextUpdate N days or minutes after thisUpdate (default: none)\n"
		"  --at TIME           answer as of this time instead of now\n"
		"  --reqin FILE        the request (DER, PEM or base64; '-' for stdin)\n"
		"  --respout FILE      where to write the response ('-' for stdout)\n"
		"\n"
		"The single-dash forms of openssl (-index, -rsigner, -resp_key_id, -resp_no_certs ...)\n"
		"are accepted too.\n");
}

int cmd_respond(int argc, char **argv)
{
	static const struct option opts[] = {
		RESPONDER_SETUP_OPTIONS,
		{ "at", required_argument, NULL, 't' },          { "reqin", required_argument, NULL, 'r' },
		{ "respout", required_argument, NULL, 'w' },     { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *req_path = NULL, *out_path = NULL;
	int ret = EXIT_USAGE;
	int64_t now = 0;
	responder_setup rs;

	responder_setup_init(&rs);
	rs.load.settle_ms = 0; /* one answer, now: the index is checked, not waited for */
	optind = 1;
	for (int ch; (ch = responder_setup_getopt(&rs, argc, argv, opts)) != -1;) {
		switch (ch) {
		case 't':
			if (ocspkit_time_parse(&now, optarg) || now == 0) {
				cli_err("--at: a time such as 20261122015704Z");
				return EXIT_USAGE;
			}
			break;
		case 'r': req_path = optarg; break;
		case 'w': out_path = optarg; break;
		case 'h': usage(stdout); return 0;
		case RESPONDER_SETUP_BAD_VALUE: return EXIT_USAGE;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc || rs.n_index != 1 || rs.n_ca != 1 || rs.n_rsigner != 1 || !req_path || !out_path) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!now)
		now = (int64_t)time(NULL);

	uint8_t *data = NULL, *der = NULL;
	size_t len, der_len = 0;
	rsp_answer a;
	memset(&a, 0, sizeof(a));
	if (responder_setup_load(&rs, 1))
		goto out;

	/* the request; what is not even DER, PEM or base64 is malformed too */
	static const char *const labels[] = { "OCSP REQUEST", NULL };
	if (cli_read_file(req_path, OCSPKIT_MAX_MESSAGE_SIZE, &data, &len))
		goto out;
	if (cli_unwrap(data, len, labels, &der, &der_len)) {
		der = NULL;
		der_len = 0;
	}
	ocspkit_err e = rsp_answer_request(&a, &rs.r, der ? der : (const uint8_t *)"", der_len, now, 0);
	if (e != OCSPKIT_OK) {
		cli_err("%s: %s", req_path, a.detail);
		goto out;
	}
	if (a.status != OCSPKIT_RESPONSE_SUCCESSFUL) /* malformedRequest, as a responder answers it */
		cli_err("%s: %s", req_path, cli_is_blank(data, len) ? "empty input" : a.detail);
	if (cli_write_file(out_path, a.blob->der, a.blob->len))
		goto out;
	if (a.status != OCSPKIT_RESPONSE_SUCCESSFUL)
		fprintf(stderr, "ocspkit respond: answered %s\n", ocspkit_response_status_name(a.status));
	ret = 0;
out:
	rsp_answer_clear(&a);
	free(der);
	free(data);
	responder_setup_free(&rs);
	return ret;
}
