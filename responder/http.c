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
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "common/util.h"
#include "http.h"
#include "pool.h"

/* A connection, for the deadline sweep. */
typedef struct conn {
	struct conn *prev, *next;
	int fd;
	int64_t since;      /* accepted, or end of its last request (monotonic ns) */
	int kept;           /* a request was answered on it before */
	int64_t req_start;  /* its request line arrived; 0 between requests */
	int headers_done;   /* ... and its headers */
	int busy;           /* the request is whole, being answered */
} conn;

typedef struct {
	const rsp_http_opts *o;
	const rsp_answerer *w;
	pthread_mutex_t lock;   /* the connection list */
	conn conns;             /* sentinel */
	rsp_pool *signing;      /* the responder's signatures */
	rsp_pool *fetching;     /* upstream requests (the caching proxy's) */
	unsigned max_connections;
	/* atomic counters */
	unsigned long requests; /* completed */
	unsigned long in_flight;
	unsigned long signatures, refreshes, shed, swept, refused;
	int stop_sent;
} server;

struct work;

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
	struct work *work;      /* handed to a pool; its answer is there when resumed */
} req_ctx;

/* A request answered on a pool worker: its connection is suspended until
 * the answer is there.  Without a connection, a background refresh of a
 * cached answer (the answer is dropped). */
typedef struct work {
	server *s;
	struct MHD_Connection *connection;
	rsp_http_req rq;        /* strings and body below, or the req_ctx's body */
	rsp_http_resp hr;
	uint8_t *own;           /* one block: the copies of rq's strings and body */
} work;

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Diagnostics: "<time> ocspkit serve: <message>" on stderr. */
#define diag(...) util_log_line(2, "ocspkit serve", __VA_ARGS__)

static void mhd_logger(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
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

/* Closes the connections past a deadline: a new connection whose request
 * line and headers have not arrived within the header timeout (after a
 * request, within the idle timeout plus that: libmicrohttpd's idle timer
 * restarts at each byte, so a request line that trickles in would
 * otherwise never end), and a body not arrived within the request timeout
 * of the request line.  Requests being answered are left alone. */
static void sweep(server *s)
{
	int64_t now = mono_ns(), rt = (int64_t)s->o->request_timeout * 1000000000;
	int64_t ht = (int64_t)s->o->header_timeout * 1000000000, it = (int64_t)s->o->idle_timeout * 1000000000;
	pthread_mutex_lock(&s->lock);
	for (conn *c = s->conns.next; c != &s->conns; c = c->next) {
		if (c->fd < 0 || c->busy)
			continue;
		int late = c->headers_done ? rt && now - c->req_start > rt : ht && now - c->since > (c->kept ? it : 0) + ht;
		if (late) {
			shutdown(c->fd, SHUT_RDWR);
			c->fd = -1; /* once */
			__atomic_add_fetch(&s->swept, 1, __ATOMIC_RELAXED);
		}
	}
	pthread_mutex_unlock(&s->lock);
}

static void conn_set_busy(server *s, conn *c, int busy)
{
	if (!c)
		return;
	pthread_mutex_lock(&s->lock);
	c->busy = busy;
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
		/* a text made for this answer lives in hr: copied */
		resp = MHD_create_response_from_buffer(hr->body_len, (void *)hr->body,
						       hr->body == (const uint8_t *)hr->text ? MHD_RESPMEM_MUST_COPY
											     : MHD_RESPMEM_PERSISTENT);
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

static const char *origin_word(rsp_origin o)
{
	switch (o) {
	case RSP_ORIGIN_CACHE: return "cached";
	case RSP_ORIGIN_SIGNED: return "signed";
	case RSP_ORIGIN_UPSTREAM: return "upstream";
	case RSP_ORIGIN_UPSTREAM_CACHE: return "cached";
	default: return "-";
	}
}

static void describe(req_ctx *x, const rsp_http_resp *hr)
{
	char d[200];
	if (!hr->is_ocsp) {
		x->info[0] = 0;
		if (hr->note[0]) {
			sanitize(d, sizeof(d), hr->note);
			snprintf(x->info, sizeof(x->info), " note=\"%s\"", d);
		}
		return;
	}
	const rsp_answer *a = &hr->answer;
	if (a->status != OCSPKIT_RESPONSE_SUCCESSFUL) {
		sanitize(d, sizeof(d), a->detail);
		snprintf(x->info, sizeof(x->info), " ocsp=%s detail=\"%s\"", ocspkit_response_status_name(a->status), d);
	} else {
		snprintf(x->info, sizeof(x->info), " ocsp=successful cert=%s%s serial=%s%s %s",
			 ocspkit_cert_status_name(a->cert_status), a->count > 1 ? "+" : "", a->serial,
			 a->nonce ? " nonce" : "", origin_word(a->origin));
	}
}

static enum MHD_Result answer(struct MHD_Connection *connection, req_ctx *x, rsp_http_resp *hr, int close,
				const rsp_http_opts *o)
{
	if (o->access_log_fd >= 0)
		describe(x, hr);
	enum MHD_Result ret = send_resp(connection, x, hr, close);
	rsp_http_resp_clear(hr);
	return ret;
}

/* A POST body over --max-body: 413, and the connection closed (what is
 * left of the body is not read). */
static enum MHD_Result refuse_body(server *s, struct MHD_Connection *connection, req_ctx *x, const char *method,
				   const char *url)
{
	rsp_http_req rq = { method, url, strlen(url), NULL, s->o->route.max_body + 1, NULL, NULL, NULL, 0 };
	rsp_http_resp hr;
	ocspkit_err e = rsp_route(&hr, s->w, &s->o->route, &rq, (int64_t)time(NULL));
	(void)e; /* a 413, decided before any OCSP work */
	return answer(connection, x, &hr, 1, s->o);
}

/* What the framing headers say, gathered in one pass. */
typedef struct {
	unsigned content_lengths;
	int lengths_differ;
	const char *first_length;
	const char *transfer_encoding;
} framing;

static enum MHD_Result gather_framing(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	framing *f = cls;
	(void)kind;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		if (f->content_lengths++ && strcmp(f->first_length, value ? value : "") != 0)
			f->lengths_differ = 1;
		else if (!f->first_length)
			f->first_length = value ? value : "";
	} else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
		f->transfer_encoding = value ? value : "";
	}
	return MHD_YES;
}

/* Request-smuggling shapes (RFC 9112 6.1, 6.3): a body length that two
 * parties could read differently is refused, and the connection closed.
 * NULL when the framing is sound, else the text of the refusal. */
static const char *bad_framing(struct MHD_Connection *connection, unsigned *status)
{
	framing f = { 0, 0, NULL, NULL };
	MHD_get_connection_values(connection, MHD_HEADER_KIND, gather_framing, &f);
	*status = 400;
	if (f.lengths_differ)
		return "two different Content-Length headers\n";
	if (f.transfer_encoding && f.content_lengths)
		return "Content-Length and Transfer-Encoding together\n";
	if (f.transfer_encoding && strcasecmp(f.transfer_encoding, "chunked") != 0) {
		*status = 501;
		return "Transfer-Encoding other than chunked\n";
	}
	return NULL;
}

/* ---------------------------------------------------------------- pools */

/* A copy of rq whose strings (and, with the body, its body) live in w. */
static work *work_new(server *s, const rsp_http_req *rq, int copy_body)
{
	const char *strs[4] = { rq->method, rq->content_type, rq->if_none_match, rq->if_modified_since };
	size_t need = rq->path_len + 1 + (copy_body ? rq->body_len : 0);
	for (int i = 0; i < 4; i++)
		need += strs[i] ? strlen(strs[i]) + 1 : 0;
	work *w = calloc(1, sizeof(*w));
	uint8_t *p = malloc(need ? need : 1);
	if (!w || !p) {
		free(w);
		free(p);
		return NULL;
	}
	w->s = s;
	w->own = p;
	w->rq = *rq;
	w->rq.answer_flags = 0; /* a worker may sign, fetch and wait */
	const char **dst[4] = { &w->rq.method, &w->rq.content_type, &w->rq.if_none_match, &w->rq.if_modified_since };
	for (int i = 0; i < 4; i++) {
		if (!strs[i])
			continue;
		size_t n = strlen(strs[i]) + 1;
		memcpy(p, strs[i], n);
		*dst[i] = (const char *)p;
		p += n;
	}
	memcpy(p, rq->path, rq->path_len);
	p[rq->path_len] = 0;
	w->rq.path = (const char *)p;
	p += rq->path_len + 1;
	if (copy_body && rq->body_len) {
		memcpy(p, rq->body, rq->body_len);
		w->rq.body = p;
	}
	return w;
}

static void work_free(work *w)
{
	rsp_http_resp_clear(&w->hr);
	free(w->own);
	free(w);
}

/* On a pool worker: the answer, then the connection resumed (the access
 * handler sends it). */
static void run_work(void *arg)
{
	work *w = arg;
	server *s = w->s;
	ocspkit_err e = rsp_route(&w->hr, s->w, &s->o->route, &w->rq, (int64_t)time(NULL));
	if (e != OCSPKIT_OK)
		diag("answering: %s", ocspkit_strerror_name(e));
	if (w->hr.is_ocsp && w->hr.answer.origin == RSP_ORIGIN_SIGNED)
		__atomic_add_fetch(&s->signatures, 1, __ATOMIC_RELAXED);
	if (!w->connection) {
		__atomic_add_fetch(&s->refreshes, 1, __ATOMIC_RELAXED);
		work_free(w);
		return;
	}
	MHD_resume_connection(w->connection);
}

/* At shutdown, instead of run_work: tryLater. */
static void cancel_work(void *arg)
{
	work *w = arg;
	if (!w->connection) {
		work_free(w);
		return;
	}
	rsp_http_resp_status(&w->hr, OCSPKIT_RESPONSE_TRY_LATER, "the server is stopping");
	MHD_resume_connection(w->connection);
}

static rsp_pool *pool_for(server *s, rsp_pending what)
{
	return what == RSP_PENDING_FETCH ? s->fetching : s->signing;
}

/* Hands the request to the pool its answer needs, the connection
 * suspended meanwhile; a full pool answers tryLater at once. */
static enum MHD_Result defer(server *s, struct MHD_Connection *connection, req_ctx *x, const rsp_http_req *rq,
			     rsp_pending what)
{
	rsp_pool *p = pool_for(s, what);
	rsp_http_resp hr;
	work *w = NULL;
	if (!p || rsp_pool_reserve(p) != 0) {
		char why[120];
		__atomic_add_fetch(&s->shed, 1, __ATOMIC_RELAXED);
		snprintf(why, sizeof(why), "%s",
			 what == RSP_PENDING_FETCH ? "too many upstream requests waiting (--max-fetches, --max-fetch-waiters)"
						   : "too many signatures waiting (--max-signing, --max-signing-waiters)");
		rsp_http_resp_status(&hr, OCSPKIT_RESPONSE_TRY_LATER, why);
		return answer(connection, x, &hr, 0, s->o);
	}
	if (!(w = work_new(s, rq, 0))) {
		rsp_pool_release(p);
		rsp_http_resp_status(&hr, OCSPKIT_RESPONSE_INTERNAL_ERROR, "out of memory");
		return answer(connection, x, &hr, 0, s->o);
	}
	w->connection = connection;
	x->work = w;
	conn_set_busy(s, x->c, 1);
	MHD_suspend_connection(connection);
	rsp_pool_commit(p, run_work, w);
	return MHD_YES;
}

/* A cached answer past its refresh time was served: a worker signs the
 * next one meanwhile (dropped when the pool is full: asked again later). */
static void refresh_behind(server *s, const rsp_http_req *rq)
{
	if (!s->signing || rsp_pool_reserve(s->signing) != 0)
		return;
	work *w = work_new(s, rq, 1);
	if (w) {
		w->rq.if_none_match = w->rq.if_modified_since = NULL;
		rsp_pool_commit(s->signing, run_work, w);
	} else {
		rsp_pool_release(s->signing);
	}
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
	if (x->work) {
		/* resumed: the pool's answer */
		work *w = x->work;
		x->work = NULL;
		enum MHD_Result ret = answer(connection, x, &w->hr, 0, s->o);
		work_free(w);
		return ret;
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
		if (x->c) {
			pthread_mutex_lock(&s->lock);
			x->c->headers_done = 1;
			pthread_mutex_unlock(&s->lock);
		}
		unsigned status;
		const char *bad = bad_framing(connection, &status);
		if (bad) {
			rsp_http_resp hr;
			rsp_http_resp_text(&hr, status, bad);
			snprintf(hr.note, sizeof(hr.note), "refused: %.*s", (int)strlen(bad) - 1, bad);
			__atomic_add_fetch(&s->refused, 1, __ATOMIC_RELAXED);
			return answer(connection, x, &hr, 1, s->o);
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
	/* this thread answers only what needs no waiting */
	rq.answer_flags = RSP_ANSWER_NO_WAIT;
	ocspkit_err e = rsp_route(&hr, s->w, &s->o->route, &rq, (int64_t)time(NULL));
	if (e != OCSPKIT_OK)
		diag("answering: %s", ocspkit_strerror_name(e));
	if (hr.is_ocsp && hr.answer.pending) {
		rsp_pending what = hr.answer.pending;
		rsp_http_resp_clear(&hr);
		return defer(s, connection, x, &rq, what);
	}
	if (hr.is_ocsp && hr.answer.refresh_due)
		refresh_behind(s, &rq);
	return answer(connection, x, &hr, 0, s->o);
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
		x->c->headers_done = 0;
		x->c->busy = 0;
		x->c->kept = 1;
		x->c->since = end;
		pthread_mutex_unlock(&s->lock);
	}
	if (s->o->access_log_fd >= 0) {
		char line[1024], uri[512], ts[OCSPKIT_TIME_STRING_SIZE], st[16] = "-";
		const char *why = ending(toe);
		ocspkit_time_format(ts, (int64_t)time(NULL));
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
		(void)util_write_all(s->o->access_log_fd, line, (size_t)n);
	}
	__atomic_sub_fetch(&s->in_flight, 1, __ATOMIC_RELAXED);
	unsigned long done = __atomic_add_fetch(&s->requests, 1, __ATOMIC_RELAXED);
	if (s->o->nrequest && done >= s->o->nrequest &&
	    !__atomic_exchange_n(&s->stop_sent, 1, __ATOMIC_RELAXED))
		kill(getpid(), SIGUSR1);
	if (x->work) /* resumed, but the answer never went out */
		work_free(x->work);
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
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 4096) != 0) {
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

/* The connection ceiling: the descriptor limit, raised to its hard limit,
 * less what the process needs besides connections. */
static unsigned connection_ceiling(const rsp_http_opts *o)
{
	struct rlimit rl;
	rlim_t have = 1024;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rlim_t want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > (1u << 20) ? (1u << 20) : rl.rlim_max;
		if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
			rl.rlim_cur = want;
			if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
				(void)getrlimit(RLIMIT_NOFILE, &rl);
		}
		have = rl.rlim_cur == RLIM_INFINITY ? (1u << 20) : rl.rlim_cur;
	}
	rlim_t room = have > 2 * RSP_HTTP_RESERVED_FDS ? have - RSP_HTTP_RESERVED_FDS : have / 2;
	if (!o->max_connections)
		return room > RSP_HTTP_AUTO_MAX_CONNECTIONS ? RSP_HTTP_AUTO_MAX_CONNECTIONS : (unsigned)room;
	if (o->max_connections > room) {
		diag("--max-connections %u: lowered to %lu, what the descriptor limit (%lu) allows", o->max_connections,
		     (unsigned long)room, (unsigned long)have);
		return (unsigned)room;
	}
	return o->max_connections;
}

static unsigned cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 && n < 64 ? (unsigned)n : 2;
}

/* The pools the answerer's pending answers need. */
static int start_pools(server *s, const rsp_http_opts *o, const rsp_answerer *w)
{
	rsp_pool_opts po;
	memset(&po, 0, sizeof(po));
	po.cancel = cancel_work;
	if (w->ops->pools & RSP_POOL_FETCHING) {
		po.workers = o->max_fetches ? o->max_fetches : RSP_HTTP_DEFAULT_MAX_FETCHES;
		po.max_waiting = o->max_fetch_waiters;
		if (rsp_pool_new(&s->fetching, &po) != 0)
			return -1;
	}
	if (w->ops->pools & RSP_POOL_SIGNING) {
		po.workers = o->max_signing ? o->max_signing : cpus();
		po.max_waiting = o->max_signing_waiters;
		po.nice = RSP_HTTP_SIGNING_NICE;
		if (rsp_pool_new(&s->signing, &po) != 0)
			return -1;
	}
	return 0;
}

/* The poller: the answerer's polls (the revocation sources: files read,
 * CRLs fetched within their timeout) run on a thread of their own, so
 * that a slow read or a hung fetch holds up neither the deadline sweep
 * nor signals; the main loop only says when a poll is due. */
typedef struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int due, forced, stop, started;
	const rsp_answerer *w;
	pthread_t thread;
} poller;

static void *poller_main(void *arg)
{
	poller *p = arg;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->due && !p->forced && !p->stop)
			pthread_cond_wait(&p->cond, &p->lock);
		if (p->stop)
			break;
		int forced = p->forced;
		p->due = p->forced = 0;
		pthread_mutex_unlock(&p->lock);
		p->w->ops->poll(p->w->self, (int64_t)time(NULL), forced);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Asks for a poll (forced: SIGHUP); one already asked for is not asked
 * twice. */
static void poller_ask(poller *p, int forced)
{
	pthread_mutex_lock(&p->lock);
	*(forced ? &p->forced : &p->due) = 1;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

static void poller_stop(poller *p)
{
	if (!p->started)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
	/* a poll in progress finishes first (a fetch, within its timeout) */
	pthread_join(p->thread, NULL);
}

int rsp_http_serve(const rsp_http_opts *o, const rsp_answerer *w)
{
	server s;
	sigset_t set;
	char shown[96];
	unsigned port = 0;
	int fd;

	memset(&s, 0, sizeof(s));
	s.o = o;
	s.w = w;
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

	s.max_connections = connection_ceiling(o);
	if ((fd = listen_on(o, &port, shown, sizeof(shown))) < 0)
		return 1;
	if (start_pools(&s, o, w) != 0) {
		diag("cannot start the worker threads");
		close(fd);
		return 1;
	}
	unsigned threads = o->threads ? o->threads : cpus();
	/* the request line and headers must fit in a connection's memory;
	 * libmicrohttpd zeroes that pool for every request, so it is kept
	 * small (16 KB for the default 4 KB paths: with 64 KB, that memset
	 * was the largest single cost of a cached GET, measured with
	 * callgrind) */
	size_t mem = 16384;
	while (mem < 2 * o->route.max_path + 8192)
		mem *= 2;
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TURBO |
			MHD_USE_ERROR_LOG,
		0, NULL, NULL, on_request, &s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, &s,
		MHD_OPTION_LISTEN_SOCKET, fd,
		/* (one thread: no pool, and the option is repeated harmlessly) */
		threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_CONNECTION_LIMIT,
		threads > 1 ? threads : s.max_connections,
		MHD_OPTION_CONNECTION_LIMIT, s.max_connections,
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
		rsp_pool_free(s.signing);
		rsp_pool_free(s.fetching);
		close(fd);
		return 1;
	}
	diag("listening on http://%s/ (%u threads, %u connections, %u per address)", shown, threads,
	     s.max_connections, o->max_per_ip);

	poller pl;
	memset(&pl, 0, sizeof(pl));
	pthread_mutex_init(&pl.lock, NULL);
	pthread_cond_init(&pl.cond, NULL);
	pl.w = w;
	if (w->ops->poll)
		pl.started = pthread_create(&pl.thread, NULL, poller_main, &pl) == 0;
	if (w->ops->poll && !pl.started)
		diag("cannot start the poller thread: the revocation data will not be reloaded");
	int64_t last_poll = mono_ns();
	for (;;) {
		struct timespec tick = { 0, 250000000 };
		siginfo_t si;
		int sig = sigtimedwait(&set, &si, &tick);
		if (sig == SIGHUP && pl.started) {
			diag("SIGHUP: reloading the revocation data");
			poller_ask(&pl, 1);
		} else if (sig == SIGTERM || sig == SIGINT) {
			diag("%s: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
			break;
		} else if (sig == SIGUSR1 && o->nrequest &&
			   __atomic_load_n(&s.requests, __ATOMIC_RELAXED) >= o->nrequest) {
			diag("%lu requests answered (--nrequest): stopping", o->nrequest);
			break;
		}
		int64_t now = mono_ns();
		if (o->reload_interval && now - last_poll >= (int64_t)o->reload_interval * 1000000000 && pl.started) {
			last_poll = now;
			poller_ask(&pl, 0);
		}
		sweep(&s);
	}

	poller_stop(&pl);
	pthread_mutex_destroy(&pl.lock);
	pthread_cond_destroy(&pl.cond);
	/* graceful: no new connections, requests in progress finish */
	MHD_socket lfd = MHD_quiesce_daemon(d);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd); /* refuse new connections now, not after the grace period */
	int64_t deadline = mono_ns() + (int64_t)o->grace * 1000000000;
	while (__atomic_load_n(&s.in_flight, __ATOMIC_RELAXED) && mono_ns() < deadline) {
		struct timespec ms = { 0, 10000000 };
		nanosleep(&ms, NULL);
	}
	/* what is still queued gets tryLater; what runs finishes (a fetch
	 * within its timeout); then no connection is suspended */
	rsp_pool_free(s.signing);
	rsp_pool_free(s.fetching);
	MHD_stop_daemon(d);
	char stats[240] = "";
	if (w->ops->stats)
		w->ops->stats(w->self, stats, sizeof(stats));
	diag("stopped after %lu requests (%lu signatures, %lu refreshed behind, %lu shed, %lu refused, "
	     "%lu slow connections closed)%s",
	     s.requests, s.signatures, s.refreshes, s.shed, s.refused, s.swept, stats);
	/* a connection closed at shutdown may not have been unlinked */
	for (conn *c = s.conns.next, *n; c != &s.conns; c = n) {
		n = c->next;
		free(c);
	}
	pthread_mutex_destroy(&s.lock);
	return 0;
}
