/* The HTTP server of `ocspkit serve`: libmicrohttpd (epoll, a thread pool,
 * HTTP/1.1 keep-alive) around route.c, plus what a server process needs:
 *
 *  - the HTTP threads answer only what needs no waiting (errors, the
 *    pre-signed cache, the proxy's cache): a request that needs a
 *    signature goes to a bounded signing pool, one that needs the
 *    upstream to a bounded fetch pool (pool.h), its connection suspended
 *    meanwhile; a full pool answers tryLater at once (counted as shed).
 *    A cached answer past its refresh time is served as is while the
 *    signing pool signs a new one in the background.  So cached answers
 *    never queue behind signatures or a hung upstream;
 *  - one access-log line per request (also for requests libmicrohttpd
 *    answers itself, such as malformed HTTP), written with one write(2);
 *  - limits: connections in all (by default what the file-descriptor
 *    limit allows, raised to its hard limit at start) and per client
 *    address, a POST body cap (413; a chunked body past it is read and
 *    dropped up to RSP_HTTP_MAX_DROPPED_BODY, then the connection is
 *    closed), a header deadline (request line and headers of a new
 *    connection within header_timeout, however slowly their bytes
 *    trickle in), an idle timeout between requests, and a request
 *    deadline (the body within request_timeout of the request line);
 *  - request-smuggling shapes refused: two different Content-Length
 *    headers, Content-Length with Transfer-Encoding, or a
 *    Transfer-Encoding other than chunked (400 / 501, connection closed);
 *  - the answerer polled every reload interval, and forced at SIGHUP, on
 *    a poller thread of its own (a CRL fetch may take its timeout): the
 *    signing responder has its revocation sources re-read what changed
 *    (all of it at SIGHUP); data that cannot be read whole is refused and
 *    the previous data keeps serving (source.h);
 *  - SIGTERM / SIGINT: stop accepting, let the requests in progress finish
 *    (up to a grace period), exit 0; --nrequest N does the same after N
 *    requests.
 *
 * The path is URL-decoded once, by route.c: libmicrohttpd's own unescaping
 * is replaced by one that leaves the path as received.
 */
#ifndef RSP_HTTP_H
#define RSP_HTTP_H

#include "answerer.h"
#include "route.h"

#define RSP_HTTP_MAX_DROPPED_BODY (1u << 20)

typedef struct {
	const char *addr;            /* IPv4 or IPv6 literal; "127.0.0.1" by default */
	unsigned port;               /* 0: any free port (printed at startup) */
	unsigned threads;            /* HTTP threads; 0: one per CPU */
	unsigned max_connections;    /* 0: as many as the descriptor limit allows */
	unsigned max_per_ip;         /* 0: no per-address limit */
	unsigned header_timeout;     /* seconds for a new connection's request line and headers */
	unsigned idle_timeout;       /* seconds without traffic before closing */
	unsigned request_timeout;    /* seconds for the body after the request line */
	unsigned grace;              /* seconds to finish requests at shutdown */
	unsigned reload_interval;    /* seconds between source checks; 0: SIGHUP only */
	unsigned long nrequest;      /* exit after this many requests; 0: never */
	unsigned max_signing;        /* signatures at once; 0: one per CPU */
	unsigned max_signing_waiters;/* requests waiting for a signature */
	unsigned max_fetches;        /* upstream requests at once (proxy) */
	unsigned max_fetch_waiters;  /* requests waiting for one */
	int access_log_fd;           /* -1: no access log */
	rsp_route_opts route;
} rsp_http_opts;

/* Defaults of the limits above. */
#define RSP_HTTP_DEFAULT_MAX_PER_IP 256
#define RSP_HTTP_DEFAULT_HEADER_TIMEOUT 10
#define RSP_HTTP_DEFAULT_SIGNING_WAITERS_PER_WORKER 128
#define RSP_HTTP_DEFAULT_MAX_FETCHES 16
#define RSP_HTTP_DEFAULT_FETCH_WAITERS 256
/* Connection ceiling when none is given: the descriptor limit less this
 * many for everything else, at most RSP_HTTP_AUTO_MAX_CONNECTIONS. */
#define RSP_HTTP_RESERVED_FDS 256
#define RSP_HTTP_AUTO_MAX_CONNECTIONS 65536
/* Signing workers run at this nice value: on a saturated machine, the
 * HTTP threads answering from the cache go first. */
#define RSP_HTTP_SIGNING_NICE 10

/* rsp_http_serve serves the answers of w (answerer.h: the signing
 * responder or the caching proxy) until SIGTERM, SIGINT or nrequest,
 * polling w every reload interval and at SIGHUP; diagnostics go to
 * stderr.  Returns the process exit code. */
int rsp_http_serve(const rsp_http_opts *opts, const rsp_answerer *w);

#endif
