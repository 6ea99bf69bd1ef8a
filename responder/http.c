/* libmicrohttpd glue and the server's main loop (http.h). */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http.h"

/* A connection, for the request-timeout sweep. */
typedef struct conn {
	struct conn *prev, *next;
	int fd;
	int64_t since;      /* start, or end of its last request (monotonic ns) */
	int64_t req_start;  /* its request line arrived; 0 between requests */
} conn;

typedef struct {
	const rsp_http_opts *o;
	const rsp_responder *r;
	pthread_mutex_t lock;   /* the connection list */
	conn conns;             /* sentinel */
	unsigned long requests; /* completed; atomic */
	unsigned long in_flight;/* atomic */
	unsigned long signatures, swept; /* atomic */
	int stop_sent;
} server;

/* One request. */
typedef struct {
	int64_t start;
	conn *c;
	char uri[300];          /* as received, shortened for the log */
	int uri_cut;
	char method[16];
	char client[INET6_ADDRSTRLEN];
	uint8_t *body;
	size_t len, cap;
	size_t dropped;         /* body octets past --max-body, read and dropped */
	unsigned status;        /* what we answered; 0: not (yet) */
	size_t sent;
	char info[320];         /* the OCSP part of the log line */
	int seen;
} req_ctx;

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t k = write(fd, buf, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		buf += k;
		n -= (size_t)k;
	}
}

static void stamp(char out[OCSPKIT_TIME_STRING_SIZE])
{
	ocspkit_time_format(out, (int64_t)time(NULL));
}

/* Diagnostics: "<time> ocspkit serve: <message>" on stderr. */
static void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void diag(const char *fmt, ...)
{
	char line[1024], ts[OCSPKIT_TIME_STRING_SIZE];
	va_list ap;
	stamp(ts);
	int n = snprintf(line, sizeof(line), "%s ocspkit serve: ", ts);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	write_all(2, line, (size_t)n);
}

static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = 0;
	diag("libmicrohttpd: %s", msg);
}

/* The path as received: the URL is decoded once, by route.c. */
static size_t unescape_none(void *cls, struct MHD_Connection *c, char *s)
{
	return strlen(s);
}

/* Printable ASCII as is, the rest (and '"', '\\') as \xNN. */
static size_t sanitize(char *out, size_t cap, const char *in)
{
	static const char hexd[] = "0123456789abcdef";
	size_t o = 0;
	for (; *in && o + 5 < cap; in++) {
		unsigned char ch = (unsigned char)*in;
		if (ch >= 0x20 && ch < 0x7F && ch != '"' && ch != '\\') {
			out[o++] = (char)ch;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hexd[ch >> 4];
			out[o++] = hexd[ch & 15];
		}
	}
	out[o] = 0;
	return o;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *connection)
{
	server *s = cls;
	req_ctx *x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	x->start = mono_ns();
	size_t n = strlen(uri);
	x->uri_cut = n >= sizeof(x->uri);
	memcpy(x->uri, uri, x->uri_cut ? sizeof(x->uri) - 1 : n);
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci && ci->socket_context) {
		x->c = ci->socket_context;
		pthread_mutex_lock(&s->lock);
		x->c->req_start = x->start;
		pthread_mutex_unlock(&s->lock);
	}
	__atomic_add_fetch(&s->in_flight, 1, __ATOMIC_RELAXED);
	return x;
}

static void on_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	server *s = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		conn *c = calloc(1, sizeof(*c));
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!c)
			return;
		c->fd = ci ? ci->connect_fd : -1;
		c->since = mono_ns();
		pthread_mutex_lock(&s->lock);
		c->prev = s->conns.prev;
		c->next = &s->conns;
		s->conns.prev->next = c;
		s->conns.prev = c;
		pthread_mutex_unlock(&s->lock);
		*socket_context = c;
	} else if (*socket_context) {
		/* libmicrohttpd closes the socket after this returns: once the
		 * entry is gone, the sweep cannot touch the descriptor */
		conn *c = *socket_context;
		pthread_mutex_lock(&s->lock);
		c->prev->next = c->next;
		c->next->prev = c->prev;
		pthread_mutex_unlock(&s->lock);
		free(c);
		*socket_context = NULL;
	}
}

/* Closes the connections whose request has not arrived within the request
 * timeout: after its request line, or, for a request line that trickles
 * in, after the idle timeout plus the request timeout since the last
 * request (an idle connection is closed by the idle timeout before). */
static void sweep(server *s)
{
	int64_t now = mono_ns(), rt = (int64_t)s->o->request_timeout * 1000000000;
	int64_t it = (int64_t)s->o->idle_timeout * 1000000000;
	if (!rt)
		return;
	pthread_mutex_lock(&s->lock);
	for (conn *c = s->conns.next; c != &s->conns; c = c->next) {
		int late = c->req_start ? now - c->req_start > rt : now - c->since > it + rt;
		if (late && c->fd >= 0) {
			shutdown(c->fd, SHUT_RDWR);
			c->fd = -1; /* once */
			__atomic_add_fetch(&s->swept, 1, __ATOMIC_RELAXED);
		}
	}
	pthread_mutex_unlock(&s->lock);
}

static void unref_blob(void *p)
{
	rsp_blob_unref(p);
}

static enum MHD_Result send_resp(struct MHD_Connection *connection, req_ctx *x, rsp_http_resp *hr, int close)
{
	struct MHD_Response *resp;
	if (hr->body_len && hr->is_ocsp && hr->body == hr->answer.blob->der) {
		rsp_blob *b = rsp_blob_ref(hr->answer.blob);
		resp = MHD_create_response_from_buffer_with_free_callback_cls(b->len, (void *)b->der, unref_blob, b);
		if (!resp)
			rsp_blob_unref(b);
	} else {
		resp = MHD_create_response_from_buffer(hr->body_len, (void *)hr->body, MHD_RESPMEM_PERSISTENT);
	}
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, hr->content_type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, hr->cache_control);
	if (hr->last_modified[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LAST_MODIFIED, hr->last_modified);
	if (hr->expires[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_EXPIRES, hr->expires);
	if (hr->etag[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, hr->etag);
	if (hr->allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, hr->allow);
	if (close)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	x->status = hr->status;
	x->sent = hr->body_len;
	enum MHD_Result ret = MHD_queue_response(connection, hr->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void describe(req_ctx *x, const rsp_http_resp *hr)
{
	if (!hr->is_ocsp) {
		x->info[0] = 0;
		return;
	}
	const rsp_answer *a = &hr->answer;
	if (a->status != OCSPKIT_RESPONSE_SUCCESSFUL) {
		char d[200];
		sanitize(d, sizeof(d), a->detail);
		snprintf(x->info, sizeof(x->info), " ocsp=%s detail=\"%s\"", ocspkit_response_status_name(a->status), d);
	} else {
		snprintf(x->info, sizeof(x->info), " ocsp=successful cert=%s%s serial=%s%s %s",
			 ocspkit_cert_status_name(a->cert_status), a->count > 1 ? "+" : "", a->serial,
			 a->nonce ? " nonce" : "", a->signed_now ? "signed" : "cached");
	}
}

/* A POST body over --max-body: 413, and the connection closed (what is
 * left of the body is not read). */
static enum MHD_Result refuse_body(server *s, struct MHD_Connection *connection, req_ctx *x, const char *method,
				   const char *url)
{
	rsp_http_req rq = { method, url, strlen(url), NULL, s->o->route.max_body + 1, NULL, NULL, NULL };
	rsp_http_resp hr;
	ocspkit_err e = rsp_route(&hr, s->r, &s->o->route, &rq, (int64_t)time(NULL));
	(void)e; /* a 413, decided before any OCSP work */
	if (s->o->access_log_fd >= 0)
		describe(x, &hr);
	enum MHD_Result ret = send_resp(connection, x, &hr, 1);
	rsp_http_resp_clear(&hr);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	server *s = cls;
	req_ctx *x = *con_cls;
	if (!x) {
		/* on_uri could not allocate */
		return MHD_NO;
	}
	if (!x->seen) {
		x->seen = 1;
		snprintf(x->method, sizeof(x->method), "%s", method);
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr) {
			const struct sockaddr *sa = ci->client_addr;
			if (sa->sa_family == AF_INET)
				inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, x->client, sizeof(x->client));
			else if (sa->sa_family == AF_INET6)
				inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, x->client,
					  sizeof(x->client));
		}
		if (strcmp(method, "POST") == 0) {
			const char *cl = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
			if (cl && strtoull(cl, NULL, 10) > s->o->route.max_body)
				return refuse_body(s, connection, x, method, url);
		}
		/* answering in this first call would make libmicrohttpd close
		 * the connection (it has not yet read past the request): the
		 * answer comes with the next call */
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (x->status) {
			/* answered already (413): drop the rest */
			*upload_data_size = 0;
			return MHD_YES;
		}
		if (x->dropped || x->len + *upload_data_size > s->o->route.max_body) {
			/* a chunked body past the cap: libmicrohttpd cannot answer
			 * in mid-body, so the rest is read and dropped for a 413
			 * at its end, up to a bound past which the connection is
			 * simply closed */
			x->dropped += *upload_data_size;
			*upload_data_size = 0;
			return x->dropped > RSP_HTTP_MAX_DROPPED_BODY ? MHD_NO : MHD_YES;
		}
		if (x->len + *upload_data_size > x->cap) {
			size_t nc = x->cap ? x->cap : 1024;
			while (nc < x->len + *upload_data_size)
				nc *= 2;
			uint8_t *nb = realloc(x->body, nc);
			if (!nb)
				return MHD_NO;
			x->body = nb;
			x->cap = nc;
		}
		memcpy(x->body + x->len, upload_data, *upload_data_size);
		x->len += *upload_data_size;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (x->status)
		return MHD_YES;
	if (x->dropped)
		return refuse_body(s, connection, x, method, url);

	rsp_http_req rq;
	rsp_http_resp hr;
	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.path = url;
	rq.path_len = strlen(url);
	rq.body = x->body;
	rq.body_len = x->len;
	rq.content_type = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	rq.if_none_match = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	rq.if_modified_since =
		MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	ocspkit_err e = rsp_route(&hr, s->r, &s->o->route, &rq, (int64_t)time(NULL));
	if (e != OCSPKIT_OK)
		diag("answering: %s", ocspkit_strerror_name(e));
	if (hr.is_ocsp && hr.answer.signed_now)
		__atomic_add_fetch(&s->signatures, 1, __ATOMIC_RELAXED);
	if (s->o->access_log_fd >= 0)
		describe(x, &hr);
	enum MHD_Result ret = send_resp(connection, x, &hr, 0);
	rsp_http_resp_clear(&hr);
	return ret;
}

static const char *ending(enum MHD_RequestTerminationCode toe)
{
	switch (toe) {
	case MHD_REQUEST_TERMINATED_COMPLETED_OK: return NULL;
	case MHD_REQUEST_TERMINATED_WITH_ERROR: return "error";
	case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED: return "timeout";
	case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN: return "shutdown";
	case MHD_REQUEST_TERMINATED_READ_ERROR: return "read-error";
	case MHD_REQUEST_TERMINATED_CLIENT_ABORT: return "client-abort";
	default: return "?";
	}
}

static void on_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	server *s = cls;
	req_ctx *x = *con_cls;
	if (!x)
		return;
	*con_cls = NULL;
	int64_t end = mono_ns();
	unsigned status = x->status;
	if (!status) {
		/* answered by libmicrohttpd itself (bad HTTP, too long a line) */
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_HTTP_STATUS);
		if (ci)
			status = ci->http_status;
	}
	if (x->c) {
		pthread_mutex_lock(&s->lock);
		x->c->req_start = 0;
		x->c->since = end;
		pthread_mutex_unlock(&s->lock);
	}
	if (s->o->access_log_fd >= 0) {
		char line[1024], uri[512], ts[OCSPKIT_TIME_STRING_SIZE], st[16] = "-";
		const char *why = ending(toe);
		stamp(ts);
		sanitize(uri, sizeof(uri) - 4, x->uri);
		if (x->uri_cut)
			strcat(uri, "...");
		if (status)
			snprintf(st, sizeof(st), "%u", status);
		int n = snprintf(line, sizeof(line), "%s %s \"%s %s\" %s %zu %.3fms%s%s%s\n", ts,
				 x->client[0] ? x->client : "-", x->method[0] ? x->method : "-", uri, st, x->sent,
				 (double)(end - x->start) / 1e6, x->info, why ? " end=" : "", why ? why : "");
		if (n > (int)sizeof(line) - 1) {
			n = (int)sizeof(line) - 1;
			line[n - 1] = '\n';
		}
		write_all(s->o->access_log_fd, line, (size_t)n);
	}
	__atomic_sub_fetch(&s->in_flight, 1, __ATOMIC_RELAXED);
	unsigned long done = __atomic_add_fetch(&s->requests, 1, __ATOMIC_RELAXED);
	if (s->o->nrequest && done >= s->o->nrequest &&
	    !__atomic_exchange_n(&s->stop_sent, 1, __ATOMIC_RELAXED))
		kill(getpid(), SIGUSR1);
	free(x->body);
	free(x);
}

/* ---------------------------------------------------------------- main loop */

static int listen_on(const rsp_http_opts *o, unsigned *port_out, char *shown, size_t cap)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	const char *addr = o->addr ? o->addr : "127.0.0.1";
	memset(&ss, 0, sizeof(ss));
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)o->port);
		sl = sizeof(*s4);
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)o->port);
		sl = sizeof(*s6);
	} else {
		diag("--addr %s: not an IPv4 or IPv6 address", addr);
		return -1;
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1;
	if (fd < 0) {
		diag("socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6) /* "::" listens on IPv6 and IPv4 */
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &(int){ 0 }, sizeof(int));
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 1024) != 0) {
		diag("%s port %u: %s", addr, o->port, strerror(errno));
		close(fd);
		return -1;
	}
	sl = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	*port_out = ntohs(ss.ss_family == AF_INET ? s4->sin_port : s6->sin6_port);
	snprintf(shown, cap, ss.ss_family == AF_INET6 ? "[%s]:%u" : "%s:%u", addr, *port_out);
	return fd;
}

static void reload_all(const rsp_responder *r, int forced)
{
	char msg[512];
	for (size_t i = 0; i < r->n_cas; i++) {
		rsp_ca *ca = &r->cas[i];
		if (!ca->index_path)
			continue; /* a CA without index: the caching proxy's */
		int rc = forced ? (rsp_ca_load(ca, msg, sizeof(msg)) == 0 ? 1 : -1) : rsp_ca_poll(ca, msg, sizeof(msg));
		if (rc > 0)
			diag("index reloaded: %s (generation %lu)", msg, ca->generation);
		else if (rc < 0)
			diag("index refused, the previous one keeps serving: %s", msg);
	}
}

int rsp_http_serve(const rsp_http_opts *o, const rsp_responder *r)
{
	server s;
	sigset_t set;
	char shown[96];
	unsigned port = 0;
	int fd;

	memset(&s, 0, sizeof(s));
	s.o = o;
	s.r = r;
	pthread_mutex_init(&s.lock, NULL);
	s.conns.prev = s.conns.next = &s.conns;

	/* every thread blocks these; the main thread takes them with sigtimedwait */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((fd = listen_on(o, &port, shown, sizeof(shown))) < 0)
		return 1;
	unsigned threads = o->threads;
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 && n < 64 ? (unsigned)n : 2;
	}
	/* the request line and headers must fit in a connection's memory */
	/* the request line and headers must fit in a connection's memory;
	 * libmicrohttpd zeroes that pool for every request, so it is kept
	 * small (16 KB for the default 4 KB paths: with 64 KB, that memset
	 * was the largest single cost of a cached GET, measured with
	 * callgrind) */
	size_t mem = 16384;
	while (mem < 2 * o->route.max_path + 8192)
		mem *= 2;
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_TURBO | MHD_USE_ERROR_LOG, 0,
		NULL, NULL, on_request, &s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, &s,
		MHD_OPTION_LISTEN_SOCKET, fd,
		/* (one thread: no pool, and the option is repeated harmlessly) */
		threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_CONNECTION_LIMIT, threads > 1 ? threads : o->max_connections,
		MHD_OPTION_CONNECTION_LIMIT, o->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->max_per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, o->idle_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, mem,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, &s,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &s,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, &s,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape_none, &s,
		MHD_OPTION_END);
	if (!d) {
		diag("libmicrohttpd could not start");
		close(fd);
		return 1;
	}
	for (size_t i = 0; i < r->n_cas && !r->upstream; i++) {
		rsp_snapshot *snap = rsp_ca_acquire(&r->cas[i]);
		diag("serving %s: %zu index entries", r->cas[i].index_path ? r->cas[i].index_path : "(index)",
		     snap ? rsp_index_count(snap->index) : 0);
		rsp_snapshot_release(snap);
	}
	diag("listening on http://%s/ (%u threads)", shown, threads);

	int64_t last_poll = mono_ns();
	for (;;) {
		struct timespec tick = { 0, 250000000 };
		siginfo_t si;
		int sig = sigtimedwait(&set, &si, &tick);
		if (sig == SIGHUP) {
			diag("SIGHUP: reloading the index files");
			reload_all(r, 1);
		} else if (sig == SIGTERM || sig == SIGINT) {
			diag("%s: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
			break;
		} else if (sig == SIGUSR1 && o->nrequest &&
			   __atomic_load_n(&s.requests, __ATOMIC_RELAXED) >= o->nrequest) {
			diag("%lu requests answered (--nrequest): stopping", o->nrequest);
			break;
		}
		int64_t now = mono_ns();
		if (o->reload_interval && now - last_poll >= (int64_t)o->reload_interval * 1000000000) {
			last_poll = now;
			reload_all(r, 0);
		}
		sweep(&s);
	}

	/* graceful: no new connections, requests in progress finish */
	MHD_socket lfd = MHD_quiesce_daemon(d);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd); /* refuse new connections now, not after the grace period */
	int64_t deadline = mono_ns() + (int64_t)o->grace * 1000000000;
	while (__atomic_load_n(&s.in_flight, __ATOMIC_RELAXED) && mono_ns() < deadline) {
		struct timespec ms = { 0, 10000000 };
		nanosleep(&ms, NULL);
	}
	MHD_stop_daemon(d);
	char stats[160] = "";
	if (r->cache) {
		rsp_cache_stats cs;
		rsp_cache_get_stats(r->cache, &cs);
		snprintf(stats, sizeof(stats), ", cache: %zu entries, %lu hits, %lu signed", cs.entries, cs.hits, cs.fills);
	}
	diag("stopped after %lu requests (%lu signatures, %lu slow connections closed)%s", s.requests, s.signatures,
	     s.swept, stats);
	/* a connection closed at shutdown may not have been unlinked */
	for (conn *c = s.conns.next, *n; c != &s.conns; c = n) {
		n = c->next;
		free(c);
	}
	pthread_mutex_destroy(&s.lock);
	return 0;
}
