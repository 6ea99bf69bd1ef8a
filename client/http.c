/* HTTP for the OCSP client (http.h), on libcurl. */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ocspkit/ocspkit.h>

#include "common/text.h"
#include "http.h"

void client_http_opts_default(client_http_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->connect_timeout_ms = 5000;
	o->timeout_ms = 15000;
	o->retries = 2;
	o->backoff_ms = 500;
	o->max_size = 128u * 1024;
}

void client_http_answer_clear(client_http_answer *ans)
{
	free(ans->content_type);
	free(ans->body);
	memset(ans, 0, sizeof(*ans));
}

char *client_http_get_url(const char *url, const uint8_t *req, size_t len)
{
	char *b64 = NULL, *out;
	size_t b64_len, n = strlen(url), k = 0;

	if (text_base64_encode(&b64, &b64_len, req, len, 0) != OCSPKIT_OK)
		return NULL;
	if (b64_len >= CLIENT_HTTP_GET_LIMIT) {
		free(b64);
		return NULL;
	}
	out = malloc(n + 1 + 3 * b64_len + 1);
	if (out) {
		memcpy(out, url, n);
		k = n;
		if (n == 0 || url[n - 1] != '/')
			out[k++] = '/';
		/* RFC 5019 5: "url-encoding of base-64 encoding"; a server must
		 * not see '+' (a space to some), '/' (a path step) or '=' */
		for (size_t i = 0; i < b64_len; i++) {
			char c = b64[i];
			if (c == '+' || c == '/' || c == '=')
				k += (size_t)sprintf(out + k, "%%%02X", (unsigned char)c);
			else
				out[k++] = c;
		}
		out[k] = '\0';
	}
	free(b64);
	return out;
}

#ifdef OCSPKIT_WITH_CURL
#include <curl/curl.h>

typedef struct {
	client_http_answer *ans;
	size_t cap;
	size_t alloc;
} sink;

static size_t on_data(char *p, size_t size, size_t nmemb, void *ctx)
{
	sink *s = ctx;
	size_t n = size * nmemb;
	client_http_answer *a = s->ans;

	if (n > s->cap - a->len) {
		a->too_large = 1;
		return 0; /* aborts the transfer */
	}
	if (a->len + n > s->alloc) {
		size_t want = s->alloc ? s->alloc : 4096;
		while (want < a->len + n)
			want *= 2;
		if (want > s->cap)
			want = s->cap;
		uint8_t *nb = realloc(a->body, want);
		if (!nb)
			return 0;
		a->body = nb;
		s->alloc = want;
	}
	memcpy(a->body + a->len, p, n);
	a->len += n;
	return n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* A failure worth another attempt: the network, or a server that says so. */
static int transient(CURLcode rc, long status)
{
	if (rc == CURLE_OK)
		return status >= 500 || status == 429 || status == 408;
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
		return 1;
	default:
		return 0;
	}
}

static int attempt(CURL *h, client_http_answer *ans, const client_http_opts *o, const char *get_url, const char *url,
		   const uint8_t *req, size_t len, struct curl_slist *hdrs)
{
	sink s = { ans, o->max_size, 0 };
	char errbuf[CURL_ERROR_SIZE] = "";
	char *ct = NULL;

	free(ans->body);
	free(ans->content_type);
	ans->body = NULL;
	ans->content_type = NULL;
	ans->len = 0;
	ans->status = 0;
	ans->too_large = 0;
	ans->error[0] = '\0';

	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_size);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "ocspkit/" PACKAGE_VERSION);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	if (get_url) {
		curl_easy_setopt(h, CURLOPT_URL, get_url);
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	} else {
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, (const char *)req);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	CURLcode rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &ans->status);
	if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
		ans->content_type = strdup(ct);
	if (rc == CURLE_FILESIZE_EXCEEDED)
		ans->too_large = 1;
	if (rc != CURLE_OK) {
		if (ans->too_large)
			snprintf(ans->error, sizeof(ans->error), "answer larger than %zu bytes", o->max_size);
		else
			snprintf(ans->error, sizeof(ans->error), "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
		if (!ans->too_large)
			ans->status = 0;
	}
	if (o->log) {
		char line[600];
		if (rc == CURLE_OK)
			snprintf(line, sizeof(line), "%s %s: HTTP %ld, %s, %zu bytes", get_url ? "GET" : "POST", url,
				 ans->status, ans->content_type ? ans->content_type : "no Content-Type", ans->len);
		else
			snprintf(line, sizeof(line), "%s %s: %s", get_url ? "GET" : "POST", url, ans->error);
		o->log(o->log_ctx, line);
	}
	return transient(rc, ans->status) && !ans->too_large;
}

static void init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	atexit(curl_global_cleanup);
}

/* libcurl's global set-up is not thread-safe: once, whoever calls first
 * (the caching proxy fetches from several threads) */
static void global_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, init_once);
}

int client_http_ocsp(client_http_answer *ans, const char *url, const uint8_t *req, size_t len,
		     const client_http_opts *o)
{
	struct curl_slist *hdrs = NULL, *h2;
	char *get_url = NULL;
	CURL *h;

	memset(ans, 0, sizeof(*ans));
	global_init();
	if (!o->force_post)
		get_url = client_http_get_url(url, req, len);
	ans->used_get = get_url != NULL;
	h = curl_easy_init();
	hdrs = curl_slist_append(NULL, "Accept: application/ocsp-response");
	if (hdrs && !get_url) {
		/* "Expect:" turns off 100-continue, which HTTP/1.0 responders
		 * (openssl ocsp) never answer */
		if ((h2 = curl_slist_append(hdrs, "Content-Type: application/ocsp-request")) != NULL)
			hdrs = h2;
		if ((h2 = curl_slist_append(hdrs, "Expect:")) != NULL)
			hdrs = h2;
	}
	if (!h || !hdrs) {
		snprintf(ans->error, sizeof(ans->error), "out of memory");
		goto out;
	}
	long wait = o->backoff_ms > 0 ? o->backoff_ms : 0;
	for (;;) {
		ans->attempts++;
		int again = attempt(h, ans, o, get_url, url, req, len, hdrs);
		if (!again || ans->attempts > o->retries)
			break;
		sleep_ms(wait);
		wait = wait * 2 > 30000 ? 30000 : wait * 2;
	}
out:
	curl_slist_free_all(hdrs);
	if (h)
		curl_easy_cleanup(h);
	free(get_url);
	return ans->status ? 0 : -1;
}

int client_http_get(const char *url, long timeout_ms, size_t max, uint8_t **body, size_t *len, char *err,
		    size_t cap)
{
	client_http_answer ans;
	client_http_opts o;
	struct curl_slist *hdrs = curl_slist_append(NULL, "Accept: application/pkix-crl, */*");
	CURL *h;
	int rc = -1;

	*body = NULL;
	*len = 0;
	memset(&ans, 0, sizeof(ans));
	client_http_opts_default(&o);
	o.timeout_ms = timeout_ms > 0 ? timeout_ms : o.timeout_ms;
	o.connect_timeout_ms = o.timeout_ms < o.connect_timeout_ms ? o.timeout_ms : o.connect_timeout_ms;
	o.max_size = max;
	global_init();
	if (!(h = curl_easy_init()) || !hdrs) {
		snprintf(err, cap, "out of memory");
		goto out;
	}
	(void)attempt(h, &ans, &o, url, url, NULL, 0, hdrs);
	if (ans.status == 200 && !ans.too_large && !ans.error[0]) {
		*body = ans.body;
		*len = ans.len;
		ans.body = NULL;
		rc = 0;
	} else if (ans.too_large) {
		snprintf(err, cap, "larger than %zu bytes", max);
	} else if (ans.status) {
		snprintf(err, cap, "HTTP %ld", ans.status);
	} else {
		snprintf(err, cap, "%s", ans.error[0] ? ans.error : "no answer");
	}
out:
	client_http_answer_clear(&ans);
	curl_slist_free_all(hdrs);
	if (h)
		curl_easy_cleanup(h);
	return rc;
}

#else /* built without libcurl */

int client_http_get(const char *url, long timeout_ms, size_t max, uint8_t **body, size_t *len, char *err,
		    size_t cap)
{
	(void)url, (void)timeout_ms, (void)max;
	*body = NULL;
	*len = 0;
	snprintf(err, cap, "ocspkit was built without libcurl (no HTTP client)");
	return -1;
}

int client_http_ocsp(client_http_answer *ans, const char *url, const uint8_t *req, size_t len,
		     const client_http_opts *o)
{
	(void)url, (void)req, (void)len, (void)o;
	memset(ans, 0, sizeof(*ans));
	snprintf(ans->error, sizeof(ans->error), "ocspkit was built without libcurl (no HTTP client)");
	return -1;
}

#endif
