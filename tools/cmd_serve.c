/* ocspkit serve: the OCSP responder over HTTP (responder/http.c), with
 * `openssl ocsp`'s option names where they overlap. */
#include <config.h>

#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "output.h"
#include "responder/http.h" /* its options; the server itself needs libmicrohttpd */
#include "responder_setup.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ocspkit serve --index index.txt|--crl SOURCE|--db URI --CA CA.pem --rsigner SIGNER.pem [--rkey KEY.pem]\n"
		"                     [--index ...|--crl ...|--db ... --CA ...] [options]\n"
		"\n" RESPONDER_SETUP_USAGE
		"  --ndays N, --nmin N nextUpdate N days or minutes after thisUpdate (default: 1 day);\n"
		"                      responses are signed again halfway through\n"
		"  --addr ADDR         address to listen on, IPv4 or IPv6 (default 127.0.0.1; :: for all)\n"
		"  --port N            port (default 8080; 0: any free port, printed at startup)\n"
		"  --path PATH         GET requests are PATH/<base64> (default /)\n"
		"  --nrequest N        exit after N requests\n"
		"  --threads N         HTTP threads (default: one per CPU)\n"
		"  --max-connections N connections at once (default: what the descriptor limit allows,\n"
		"                      raised to its hard limit at start; at most 65536)\n"
		"  --max-per-ip N      connections at once from one address (default 256; 0: no limit;\n"
		"                      behind a load balancer or CDN, raise it or set 0)\n"
		"  --header-timeout SECONDS  a new connection's request line and headers must arrive\n"
		"                      within this, however slowly they trickle in (default 10)\n"
		"  --timeout SECONDS   close connections idle this long between requests (default 15)\n"
		"  --request-timeout SECONDS  a request body must arrive within this after the\n"
		"                      request line (default 30)\n"
		"  --max-signing N     signatures made at once, on their own threads (default: one per CPU)\n"
		"  --max-signing-waiters N  requests waiting for a signature; past that, tryLater\n"
		"                      (default 128 per --max-signing)\n"
		"  --max-body BYTES    largest POST body (default 65536; larger: 413)\n"
		"  --grace SECONDS     at SIGTERM, time for requests in progress (default 10)\n"
		"  --access-log FILE   one line per request: FILE, - (stderr, the default) or none\n"
		"  --reload-interval SECONDS  check the index files, CRLs and databases this often (default 1; 0: SIGHUP only)\n"
		"  --cache-size N      pre-signed responses kept (default 100000)\n"
		"  --no-cache          sign every response (for comparisons)\n"
		"  --upstream URL      caching proxy: answer for the --CA certificates (no --index,\n"
		"                      no --rsigner) with validated responses fetched from URL, each\n"
		"                      served until its nextUpdate and refreshed halfway; the last\n"
		"                      good one keeps being served while URL is down\n"
		"  --upstream-timeout SECONDS  for each upstream request (default 5)\n"
		"  --max-fetches N     upstream requests at once (default 16)\n"
		"  --max-fetch-waiters N  requests waiting for one; past that, tryLater (default 256)\n"
		"\n"
		"Requests without nonce are answered from a cache of responses signed once per\n"
		"validity window, with HTTP caching headers for caches and CDNs in front (an answer\n"
		"saying unknown: at most the reload interval plus 5 seconds, 60 without one).  Cached\n"
		"answers never wait for signatures or the upstream.  The index files are reloaded when\n"
		"they change and on SIGHUP, never while they are being written; SIGTERM stops gracefully.\n");
}

static int number(const char *arg, const char *name, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);
	if (!*arg || *end || arg[0] == '-' || v > max) {
		cli_err("--%s: a number up to %lu expected", name, max);
		return -1;
	}
	*out = v;
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		RESPONDER_SETUP_OPTIONS,
		{ "addr", required_argument, NULL, 'a' },          { "port", required_argument, NULL, 'p' },
		{ "path", required_argument, NULL, 'P' },          { "nrequest", required_argument, NULL, 'n' },
		{ "threads", required_argument, NULL, 'T' },       { "max-connections", required_argument, NULL, 'c' },
		{ "max-per-ip", required_argument, NULL, 'i' },    { "timeout", required_argument, NULL, 't' },
		{ "request-timeout", required_argument, NULL, 'R' }, { "max-body", required_argument, NULL, 'b' },
		{ "grace", required_argument, NULL, 'g' },         { "access-log", required_argument, NULL, 'l' },
		{ "reload-interval", required_argument, NULL, 'r' }, { "cache-size", required_argument, NULL, 's' },
		{ "no-cache", no_argument, NULL, 'N' },            { "help", no_argument, NULL, 'h' },
		{ "upstream", required_argument, NULL, 'U' },      { "upstream-timeout", required_argument, NULL, 'W' },
		{ "header-timeout", required_argument, NULL, 'H' }, { "max-signing", required_argument, NULL, 'S' },
		{ "max-signing-waiters", required_argument, NULL, 'w' },
		{ "max-fetches", required_argument, NULL, 'F' },   { "max-fetch-waiters", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long port = 8080, nrequest = 0, threads = 0, max_conn = 0, per_ip = RSP_HTTP_DEFAULT_MAX_PER_IP;
	unsigned long idle = 15, rtimeout = 30, htimeout = RSP_HTTP_DEFAULT_HEADER_TIMEOUT;
	unsigned long max_signing = 0, signing_waiters = ULONG_MAX, max_fetches = RSP_HTTP_DEFAULT_MAX_FETCHES;
	unsigned long fetch_waiters = RSP_HTTP_DEFAULT_FETCH_WAITERS;
	unsigned long max_body = RSP_ROUTE_DEFAULT_MAX_BODY, grace = 10, reload = 1, cache_size = 100000;
	const char *addr = "127.0.0.1", *path = "/", *log = "-";
	int no_cache = 0;
	const char *upstream = NULL;
	unsigned long upstream_timeout = 5;
	responder_setup rs;

	responder_setup_init(&rs);
	optind = 1;
	for (int ch; (ch = responder_setup_getopt(&rs, argc, argv, opts)) != -1;) {
		int bad = 0;
		switch (ch) {
		case 'a': addr = optarg; break;
		case 'p': bad = number(optarg, "port", 65535, &port); break;
		case 'P': path = optarg; break;
		case 'n': bad = number(optarg, "nrequest", 1000000000, &nrequest); break;
		case 'T': bad = number(optarg, "threads", 256, &threads); break;
		case 'c': bad = number(optarg, "max-connections", 1000000, &max_conn) || max_conn == 0; break;
		case 'i': bad = number(optarg, "max-per-ip", 1000000, &per_ip); break;
		case 't': bad = number(optarg, "timeout", 86400, &idle); break;
		case 'R': bad = number(optarg, "request-timeout", 86400, &rtimeout); break;
		case 'b': bad = number(optarg, "max-body", OCSPKIT_MAX_MESSAGE_SIZE, &max_body); break;
		case 'g': bad = number(optarg, "grace", 3600, &grace); break;
		case 'l': log = optarg; break;
		case 'r': bad = number(optarg, "reload-interval", 86400, &reload); break;
		case 's': bad = number(optarg, "cache-size", 100000000, &cache_size); break;
		case 'N': no_cache = 1; break;
		case 'U': upstream = optarg; break;
		case 'W': bad = number(optarg, "upstream-timeout", 600, &upstream_timeout) || upstream_timeout == 0; break;
		case 'H': bad = number(optarg, "header-timeout", 86400, &htimeout); break;
		case 'S': bad = number(optarg, "max-signing", 1024, &max_signing) || max_signing == 0; break;
		case 'w': bad = number(optarg, "max-signing-waiters", 1000000, &signing_waiters); break;
		case 'F': bad = number(optarg, "max-fetches", 1024, &max_fetches) || max_fetches == 0; break;
		case 'f': bad = number(optarg, "max-fetch-waiters", 1000000, &fetch_waiters); break;
		case 'h': usage(stdout); return 0;
		case RESPONDER_SETUP_BAD_VALUE: return EXIT_USAGE;
		default: usage(stderr); return EXIT_USAGE;
		}
		if (bad)
			return EXIT_USAGE;
	}
	if (optind != argc || rs.n_ca == 0 || (rs.n_rsigner == 0) != (upstream != NULL)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (path[0] != '/') {
		cli_err("--path must start with /");
		return EXIT_USAGE;
	}
	if (cache_size == 0) {
		cli_err("--cache-size must be at least 1");
		return EXIT_USAGE;
	}
	/* the server runs for long: blank pass: out of its command line at
	 * once (also in --upstream mode, which needs no key), and say so */
	int hid = responder_setup_hide_passin(&rs);
	if (hid < 0) {
		responder_setup_free(&rs);
		return EXIT_USAGE;
	}
	if (hid)
		cli_err("warning: --passin pass:... showed the passphrase to other users (ps, /proc/PID/cmdline) "
			"until now, when it was blanked out; give it as env:VAR or file:PATH instead");
#ifndef OCSPKIT_WITH_MHD
	(void)nrequest;
	(void)threads;
	(void)per_ip;
	(void)idle;
	(void)rtimeout;
	(void)grace;
	(void)reload;
	(void)addr;
	(void)log;
	(void)no_cache;
	(void)upstream_timeout;
	(void)htimeout;
	(void)max_signing;
	(void)signing_waiters;
	(void)max_fetches;
	(void)fetch_waiters;
	cli_err("this ocspkit was built without libmicrohttpd (Debian: libmicrohttpd-dev): no server");
	responder_setup_free(&rs);
	return EXIT_USAGE;
#else
	int ret = EXIT_USAGE, log_fd = -1;
	rs.allow_no_data = 1; /* a CRL URL down at start: tryLater until it answers */
	if (upstream ? responder_setup_load_proxy(&rs, upstream, (long)upstream_timeout * 1000)
		     : responder_setup_load(&rs, 1) || responder_setup_log_sources(&rs))
		goto out;
	/* an HTTP responder's answers need nextUpdate to be cacheable */
	if (rs.r.validity < 0)
		rs.r.validity = 86400;
	if (rs.r.validity == 0) {
		cli_err("--ndays/--nmin: a validity of at least a minute is needed");
		goto out;
	}
	if (!no_cache && rsp_cache_new(&rs.r.cache, cache_size) != OCSPKIT_OK) {
		cli_err("out of memory");
		goto out;
	}
	if (strcmp(log, "-") == 0) {
		log_fd = 2;
	} else if (strcmp(log, "none") != 0) {
		log_fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (log_fd < 0) {
			cli_err("--access-log %s: cannot open", log);
			goto out;
		}
	}
	rsp_http_opts ho;
	memset(&ho, 0, sizeof(ho));
	ho.addr = addr;
	ho.port = (unsigned)port;
	ho.threads = (unsigned)threads;
	ho.max_connections = (unsigned)max_conn;
	ho.max_per_ip = (unsigned)per_ip;
	ho.header_timeout = (unsigned)htimeout;
	ho.idle_timeout = (unsigned)idle;
	ho.request_timeout = (unsigned)rtimeout;
	ho.max_signing = (unsigned)max_signing;
	if (signing_waiters == ULONG_MAX) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		signing_waiters = RSP_HTTP_DEFAULT_SIGNING_WAITERS_PER_WORKER *
				  (max_signing ? max_signing : (unsigned long)(cpus > 0 ? cpus : 2));
	}
	ho.max_signing_waiters = (unsigned)signing_waiters;
	ho.max_fetches = (unsigned)max_fetches;
	ho.max_fetch_waiters = (unsigned)fetch_waiters;
	ho.grace = (unsigned)grace;
	ho.reload_interval = (unsigned)reload;
	ho.nrequest = nrequest;
	ho.access_log_fd = log_fd;
	ho.route.max_body = max_body;
	ho.route.max_path = RSP_ROUTE_DEFAULT_MAX_PATH;
	ho.route.prefix = path;
	/* an unknown may be a certificate the next reload brings */
	ho.route.unknown_max_age = reload ? (int64_t)reload + 5 : 60;
	rsp_answerer w = rs.upstream ? rsp_upstream_answerer(rs.upstream) : rsp_responder_answerer(&rs.r);
	ret = rsp_http_serve(&ho, &w) ? EXIT_USAGE : 0;
out:
	if (log_fd > 2)
		close(log_fd);
	rsp_cache_free(rs.r.cache);
	rs.r.cache = NULL;
	responder_setup_free(&rs);
	return ret;
#endif
}
