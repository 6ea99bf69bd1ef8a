/* The HTTP server of `ocspkit serve`: libmicrohttpd (epoll, a thread pool,
 * HTTP/1.1 keep-alive) around route.c, plus what a server process needs:
 *
 *  - one access-log line per request (also for requests libmicrohttpd
 *    answers itself, such as malformed HTTP), written with one write(2);
 *  - limits: connections in all and per client address, a POST body cap
 *    (413; a chunked body past it is read and dropped up to
 *    RSP_HTTP_MAX_DROPPED_BODY, then the connection is closed), an idle
 *    timeout, and a request timeout (a request must arrive whole within it, however
 *    slowly its bytes trickle in: slow-header clients are cut off);
 *  - the index files polled (stat) every reload interval and reloaded when
 *    they change, and all reloaded on SIGHUP; a file that does not parse is
 *    refused with a log line and the previous index keeps serving;
 *  - SIGTERM / SIGINT: stop accepting, let the requests in progress finish
 *    (up to a grace period), exit 0; --nrequest N does the same after N
 *    requests.
 *
 * The path is URL-decoded once, by route.c: libmicrohttpd's own unescaping
 * is replaced by one that leaves the path as received.
 */
#ifndef RSP_HTTP_H
#define RSP_HTTP_H

#include "route.h"

#define RSP_HTTP_MAX_DROPPED_BODY (1u << 20)

typedef struct {
	const char *addr;            /* IPv4 or IPv6 literal; "127.0.0.1" by default */
	unsigned port;               /* 0: any free port (printed at startup) */
	unsigned threads;            /* worker threads; 0: one per CPU */
	unsigned max_connections;
	unsigned max_per_ip;         /* 0: no per-address limit */
	unsigned idle_timeout;       /* seconds without traffic before closing */
	unsigned request_timeout;    /* seconds for a whole request to arrive */
	unsigned grace;              /* seconds to finish requests at shutdown */
	unsigned reload_interval;    /* seconds between index checks; 0: SIGHUP only */
	unsigned long nrequest;      /* exit after this many requests; 0: never */
	int access_log_fd;           /* -1: no access log */
	rsp_route_opts route;
} rsp_http_opts;

/* Serves r until SIGTERM, SIGINT or nrequest; diagnostics go to stderr.
 * Returns the process exit code. */
int rsp_http_serve(const rsp_http_opts *opts, const rsp_responder *r);

#endif
