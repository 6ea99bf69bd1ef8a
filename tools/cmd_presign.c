/* ocspkit presign: the response of every index entry, written where a
 * static web server finds it for an RFC 5019 GET: the options, for the
 * responder's pre-signing (responder/presign.h), and the summary line. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "commands.h"
#include "options.h"
#include "output.h"
#include "responder/presign.h"
#include "responder_setup.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ocspkit presign --index index.txt|--crl SOURCE|--db URI --CA CA.pem --rsigner SIGNER.pem [--rkey KEY.pem]\n"
		"                       [options] DIR\n"
		"\n" RESPONDER_SETUP_USAGE
		"  --ndays N, --nmin N nextUpdate N days or minutes after thisUpdate (default: 1 day)\n"
		"  --hash LIST         CertID hashes to answer (default sha1,sha256)\n"
		"  --at TIME           sign as of this time instead of now\n"
		"  --quiet             no summary line\n"
		"\n"
		"Writes DIR/<base64 request> for every index entry (the request's '/' are directories,\n"
		"DIR/<base64>.ocsp when it ends in '/'), each file replaced atomically, for a static\n"
		"web server: see the README's nginx block.  Exit status 3 when some file failed.\n");
}

int cmd_presign(int argc, char **argv)
{
	static const struct option opts[] = {
		RESPONDER_SETUP_OPTIONS,
		{ "hash", required_argument, NULL, 'H' }, { "at", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },      { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	ocspkit_hash hashes[8] = { OCSPKIT_HASH_SHA1, OCSPKIT_HASH_SHA256 };
	size_t n_hashes = 2;
	int quiet = 0, ret = EXIT_USAGE;
	int64_t now = 0;
	responder_setup rs;

	responder_setup_init(&rs);
	optind = 1;
	for (int ch; (ch = responder_setup_getopt(&rs, argc, argv, opts)) != -1;) {
		switch (ch) {
		case 'H': {
			char buf[128], *save = NULL;
			snprintf(buf, sizeof(buf), "%s", optarg);
			n_hashes = 0;
			for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				ocspkit_hash h = cli_parse_hash(tok);
				if (!h || n_hashes == 8) {
					cli_err("--hash: sha1, sha224, sha256, sha384, sha512 expected");
					return EXIT_USAGE;
				}
				hashes[n_hashes++] = h;
			}
			if (!n_hashes) {
				cli_err("--hash: at least one hash");
				return EXIT_USAGE;
			}
			break;
		}
		case 't':
			if (ocspkit_time_parse(&now, optarg) || now == 0) {
				cli_err("--at: a time such as 20261122015704Z");
				return EXIT_USAGE;
			}
			break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		case RESPONDER_SETUP_BAD_VALUE: return EXIT_USAGE;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc || rs.n_ca == 0 || rs.n_rsigner == 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *dir = argv[optind];
	if (!now)
		now = (int64_t)time(NULL);
	if (responder_setup_load(&rs, 1))
		goto out;
	if (rs.r.validity < 0)
		rs.r.validity = 86400;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		cli_err("%s: %s", dir, strerror(errno));
		goto out;
	}

	rsp_presign_opts po = { dir, hashes, n_hashes, now, quiet, cli_log_line, NULL };
	rsp_presign_counts c;
	if (rsp_presign(&rs.r, &po, &c) != 0)
		goto out;
	if (!quiet)
		printf("%lu responses for %lu index entries written to %s; %lu skipped (%lu sharing a file with "
		       "another request, %lu too long for a file name); %lu failed\n",
		       c.written, c.entries, dir, c.shared + c.too_long, c.shared, c.too_long, c.failed);
	ret = c.failed ? EXIT_USAGE : 0;
out:
	responder_setup_free(&rs);
	return ret;
}
