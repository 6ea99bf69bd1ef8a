/* ocspkit staple: keep OCSP staple files fresh for TLS servers, once
 * (for a timer) or as a daemon: the options, for the staple upkeep of the
 * client library (client/upkeep.h), which says what a pass does. */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/upkeep.h"
#include "client_options.h"
#include "commands.h"
#include "common/util.h"
#include "options.h"
#include "output.h"
#include "staple_items.h"

/* The upkeep's decisions, one line each: "<time> ocspkit staple: ..." */
static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	util_log_line(2, "ocspkit staple", "%s", line);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ocspkit staple --cert LEAF.pem [--issuer CA.pem] [--out FILE] [options]\n"
		"       ocspkit staple --dir DIR [--issuer CA.pem] [options]\n"
		"\n"
		"Fetches, validates and atomically writes the DER OCSP response a TLS server\n"
		"staples: nginx ssl_stapling_file, HAProxy's CERT.ocsp, gnutls-serv --ocsp-response.\n"
		"\n"
		"  --cert FILE          the certificate (the first of a PEM bundle)\n"
		"  --issuer FILE        its issuing CA (default: from the bundle, or the directory)\n"
		"  --out FILE           the staple (default: CERT.ocsp)\n"
		"  --dir DIR            every *.pem, *.crt, *.cer of DIR whose first certificate\n"
		"                       is not a CA, each with DIR/NAME.ocsp beside it\n"
		"  --url URL            the responder (default: each certificate's OCSP URL)\n"
		"  --hash, --post, --timeout S, --connect-timeout S, --retries N, --max-size BYTES,\n"
		"  --CAfile F, --VAfile F, --skew S, --max-age S    as for `ocspkit fetch`\n"
		"\n"
		"When to refresh (a staple that is not usable is replaced as soon as possible):\n"
		"  --share F            once this share of thisUpdate..nextUpdate has passed (0.5)\n"
		"  --jitter F           up to this share of it earlier, stable per staple (0.1)\n"
		"  --margin S           and at least S seconds before nextUpdate, at most a quarter\n"
		"                       of the validity (3600)\n"
		"  --retry-min S, --retry-max S\n"
		"                       after a failure, wait S doubling up to S (60, 3600)\n"
		"  --force              ask the responder even when the staple is not due\n"
		"  --check              ask nothing; report the staples in place\n"
		"\n"
		"  --daemon             keep running: refresh each staple when due; read the\n"
		"                       certificates again every --poll S (60) and on SIGHUP;\n"
		"                       stop on SIGTERM or SIGINT\n"
		"  --reload CMD         run CMD (sh -c) after a pass that changed a staple; a failed\n"
		"                       CMD stays pending and is run again by each pass or run until\n"
		"                       it succeeds (state: DIR/.ocspkit-staple.reload-pending, or\n"
		"                       .NAME.reload-pending beside the --out file NAME)\n"
		"  -v, --verbose        log each HTTP attempt too\n"
		"\n"
		"A staple is never replaced by an answer that is malformed, not successful, not\n"
		"validly signed, about another certificate, expired, not yet valid, older than\n"
		"it, or saying \"unknown\".  A valid \"revoked\" is written and logged as REVOKED.\n"
		"\n"
		"exit (one-shot): 0 every staple in place is usable and good; 1 some says revoked\n"
		"      or unknown; 2 some refresh or the reload failed, or some staple is missing\n"
		"      or unusable; 3 usage or file error\n");
}

static int parse_share(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (!*s || *end || !(v >= 0 && v <= 1))
		return -1;
	*out = v;
	return 0;
}

int cmd_staple(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cert", required_argument, NULL, 'c' },       { "issuer", required_argument, NULL, 'i' },
		{ "out", required_argument, NULL, 'o' },        { "dir", required_argument, NULL, 'd' },
		{ "share", required_argument, NULL, 's' },      { "jitter", required_argument, NULL, 'j' },
		{ "margin", required_argument, NULL, 'M' },     { "retry-min", required_argument, NULL, 'x' },
		{ "retry-max", required_argument, NULL, 'X' },  { "force", no_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'K' },            { "daemon", no_argument, NULL, 'D' },
		{ "poll", required_argument, NULL, 'p' },       { "reload", required_argument, NULL, 'R' },
		{ "verbose", no_argument, NULL, 'v' },          { "help", no_argument, NULL, 'h' },
		COPT_LONG_OPTIONS,                              { NULL, 0, NULL, 0 }
	};
	upkeep_config cfg;
	staple_items_spec spec = { NULL, NULL, NULL, NULL };
	copt_args args;
	upkeep_reload rs;
	long v;
	int ret = EXIT_USAGE;

	memset(&cfg, 0, sizeof(cfg));
	memset(&rs, 0, sizeof(rs));
	copt_init(&args, &cfg.base);
	staple_policy_default(&cfg.pol);
	cfg.poll = 60;
	cfg.log = log_line;
	optind = 1;
	for (int ch; (ch = getopt_long(argc, argv, "hv", opts, NULL)) != -1;) {
		int taken = copt_option(&args, &cfg.base, ch, optarg);
		if (taken < 0)
			return EXIT_USAGE;
		if (taken)
			continue;
		switch (ch) {
		case 'c': spec.cert_path = optarg; break;
		case 'i': spec.issuer_path = optarg; break;
		case 'o': spec.out_path = optarg; break;
		case 'd': spec.dir = optarg; break;
		case 'M':
		case 'x':
		case 'X':
		case 'p':
			if (cli_parse_count(optarg, 100L * 365 * 86400, &v) || (ch != 'M' && v == 0)) {
				cli_err("--%s: seconds expected", ch == 'M' ? "margin" : ch == 'x' ? "retry-min"
								  : ch == 'X' ? "retry-max" : "poll");
				return EXIT_USAGE;
			}
			switch (ch) {
			case 'M': cfg.pol.margin = v; break;
			case 'x': cfg.pol.retry_min = v; break;
			case 'X': cfg.pol.retry_max = v; break;
			default: cfg.poll = v; break;
			}
			break;
		case 's':
		case 'j':
			if (parse_share(optarg, ch == 's' ? &cfg.pol.share : &cfg.pol.jitter)) {
				cli_err("--%s: a number from 0 to 1", ch == 's' ? "share" : "jitter");
				return EXIT_USAGE;
			}
			break;
		case 'f': cfg.force = 1; break;
		case 'K': cfg.check_only = 1; break;
		case 'D': cfg.daemon = 1; break;
		case 'R': cfg.reload = optarg; break;
		case 'v': args.co.http.log = cli_log_line; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc || !spec.cert_path == !spec.dir || (spec.dir && spec.out_path) ||
	    (cfg.daemon && cfg.check_only)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (cfg.pol.retry_max < cfg.pol.retry_min)
		cfg.pol.retry_max = cfg.pol.retry_min;
	cfg.co = args.co;
	if (copt_load(&args, &cfg.base))
		goto out;

	int no_state;
	char *state = upkeep_pending_path(spec.dir, spec.out_path, spec.cert_path, &no_state);
	if ((!state && !no_state) || upkeep_reload_init(&rs, state, &cfg)) {
		cli_err("out of memory");
		goto out;
	}
	upkeep_report_pending(&rs, &cfg);
	if (cfg.daemon) {
		ret = upkeep_daemon(&cfg, &rs, staple_items_reload, &spec);
	} else {
		upkeep_item *items;
		size_t n;
		if (staple_items_load(&spec, &items, &n) == 0) {
			if (n == 0)
				util_log_line(2, "ocspkit staple", "%s: no certificate to staple", spec.dir);
			ret = n ? upkeep_pass(items, n, &cfg, (int64_t)time(NULL), NULL, 0, &rs) : EXIT_INVALID;
			upkeep_items_free(items, n);
		}
	}
out:
	upkeep_reload_clear(&rs);
	copt_free(&args);
	return ret;
}
