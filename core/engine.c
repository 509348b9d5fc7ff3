/* engine: requests on libcurl's multi interface, one code path for all.
 *
 * A request is queued, then handed to curl when fewer than max_connections
 * are in flight (so a queued request's timeout starts when it is sent, not
 * when it was queued). Easy handles go back to a pool when a transfer ends;
 * connections and the DNS cache live in the multi handle and are reused.
 * Sockets come from CURLMOPT_SOCKETFUNCTION into a small table that
 * engine_pollfds hands out; CURLMOPT_TIMERFUNCTION gives the deadline.
 * Blocking calls poll that same table: there is no second path. */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <curl/curl.h>
#include "engine.h"
#include "engine_result.h"
#include "secret.h"

#ifndef OKAYA_VERSION
#define OKAYA_VERSION "dev"
#endif

#define DEFAULT_CONNECT_TIMEOUT_S 10
#define DEFAULT_TOTAL_TIMEOUT_S   30
#define DEFAULT_MAX_CONNECTIONS   8

/* Headers shared by the requests started under one configuration; counted
 * because engine_configure may replace them while older requests fly. */
struct headers {
	struct curl_slist *list;
	int refs;
};

struct sock {
	curl_socket_t fd;
	short events;
};

enum xfer_state { X_WAITING, X_ACTIVE, X_DONE };

struct xfer {
	struct xfer *prev, *next;
	enum xfer_state state;
	long id;
	void *tag;
	char *method, *path, *url, *body;
	struct headers *hdrs;
	long connect_timeout_s, timeout_s;
	CURL *easy;
	char errbuf[CURL_ERROR_SIZE];
	char *buf;            /* body received so far */
	size_t len, cap;
	bool truncated, nomem;
	struct timespec t0;
	struct result *res;   /* set once done */
};

struct xlist {
	struct xfer *head, *tail;
	int n;
};

struct engine {
	CURLM *multi;
	char *base_url;       /* without trailing slash */
	char *host;           /* for messages: "api.okaya.me" */
	char *hostport;       /* "127.0.0.1:9" */
	char key[API_KEY_MAX + 1];
	struct headers *hdrs; /* current; NULL when no key */
	long connect_timeout_s, timeout_s;
	int max_conn;

	struct xlist waiting, active, done;
	CURL **pool;          /* idle easy handles */
	int n_pool, cap_pool;

	struct sock *socks;
	int n_socks, cap_socks;
	bool has_deadline;
	struct timespec deadline;

	struct pollfd *scratch; /* for the blocking loop */
	int cap_scratch;

	long next_id;
	struct engine_stats stats;
};

/* curl_global_init is process-wide and not thread-safe: engines are made
 * and freed from one thread (the whole program is single-threaded). */
static int global_users;

/* ---- small helpers ------------------------------------------------------ */

static void now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static double ms_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

__attribute__((format(printf, 3, 4)))
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void list_push(struct xlist *l, struct xfer *x)
{
	x->next = NULL;
	x->prev = l->tail;
	if (l->tail)
		l->tail->next = x;
	else
		l->head = x;
	l->tail = x;
	l->n++;
}

static struct xfer *list_find(struct xlist *l, long id)
{
	struct xfer *x = l->head;
	while (x && x->id != id)
		x = x->next;
	return x;
}

static void list_unlink(struct xlist *l, struct xfer *x)
{
	if (x->prev)
		x->prev->next = x->next;
	else
		l->head = x->next;
	if (x->next)
		x->next->prev = x->prev;
	else
		l->tail = x->prev;
	x->prev = x->next = NULL;
	l->n--;
}

/* Overwrites then frees a header list: one entry holds the key. */
static void headers_release(struct headers *h)
{
	if (!h || --h->refs > 0)
		return;
	for (struct curl_slist *s = h->list; s; s = s->next)
		explicit_bzero(s->data, strlen(s->data));
	curl_slist_free_all(h->list);
	free(h);
}

static struct headers *headers_build(const char *key)
{
	struct headers *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->refs = 1;
	char line[API_KEY_MAX + 32];
	snprintf(line, sizeof line, "x-api-key: %s", key);
	const char *fixed[] = {
		line,
		"Content-Type: application/json",
		"Accept: application/json",
		"Expect:", /* no 100-continue round trip */
	};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		struct curl_slist *n = curl_slist_append(h->list, fixed[i]);
		if (!n) {
			explicit_bzero(line, sizeof line);
			headers_release(h);
			return NULL;
		}
		h->list = n;
	}
	explicit_bzero(line, sizeof line);
	return h;
}

/* ---- configuration -------------------------------------------------------- */

struct parsed_opts {
	char *base_url, *host, *hostport;
	char key[API_KEY_MAX + 1];
};

static void parsed_free(struct parsed_opts *p)
{
	free(p->base_url);
	free(p->host);
	free(p->hostport);
	explicit_bzero(p->key, sizeof p->key);
}

/* Checks the base URL with curl's own parser: http or https, a host, no
 * query or fragment. Keeps it without trailing slashes. */
static int parse_base_url(const char *url, struct parsed_opts *p, char *err, size_t errlen)
{
	if (!url || !*url) {
		set_err(err, errlen, "no base URL configured");
		return -1;
	}
	/* Whatever curl's version tolerates: a blank, CR/LF or other control
	 * byte in a URL is a mistake or an attempt at header injection. */
	for (const unsigned char *c = (const unsigned char *)url; *c; c++) {
		if (*c <= 0x20 || *c == 0x7f) {
			set_err(err, errlen, "base URL must not contain blanks or control characters");
			return -1;
		}
		/* Non-ASCII could hide a bidi override in what we print. */
		if (*c >= 0x80) {
			set_err(err, errlen, "base URL must be plain ASCII (write an international "
				"host name in its xn-- form)");
			return -1;
		}
	}
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *query = NULL, *frag = NULL;
	int rc = -1;
	if (!u) {
		set_err(err, errlen, "out of memory");
		return -1;
	}
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		set_err(err, errlen, "base URL \"%s\" is not a valid URL (e.g. https://api.okaya.me)", url);
		goto out;
	}
	if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0) {
		set_err(err, errlen, "base URL must start with https:// or http:// (got %s://)", scheme);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_OK) {
		set_err(err, errlen, "base URL \"%s\" must not have a query or fragment", url);
		goto out;
	}
	curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
	size_t n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	p->base_url = strndup(url, n);
	p->host = strdup(host);
	size_t hp = strlen(host) + (port ? strlen(port) : 0) + 2;
	p->hostport = malloc(hp);
	if (!p->base_url || !p->host || !p->hostport) {
		set_err(err, errlen, "out of memory");
		goto out;
	}
	snprintf(p->hostport, hp, "%s%s%s", host, port ? ":" : "", port ? port : "");
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(query);
	curl_free(frag);
	curl_url_cleanup(u);
	return rc;
}

int engine_base_url_check(const char *url, char *err, size_t errlen)
{
	struct parsed_opts p;
	memset(&p, 0, sizeof p);
	int rc = parse_base_url(url, &p, err, errlen);
	parsed_free(&p);
	return rc;
}

static int parse_opts(const struct engine_opts *o, struct parsed_opts *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof *p);
	if (!o) {
		set_err(err, errlen, "no engine options");
		return -1;
	}
	if (parse_base_url(o->base_url, p, err, errlen) != 0) {
		parsed_free(p);
		return -1;
	}
	/* An empty key means "none set": refused later, at engine_start, so a
	 * front end can still start without one and ask for it. */
	if (o->api_key && *o->api_key &&
	    api_key_clean(o->api_key, p->key, sizeof p->key, err, errlen) != 0) {
		parsed_free(p);
		return -1;
	}
	return 0;
}

static int apply_opts(struct engine *e, const struct engine_opts *o, char *err, size_t errlen)
{
	struct parsed_opts p;
	if (parse_opts(o, &p, err, errlen) != 0)
		return -1;
	struct headers *h = NULL;
	if (p.key[0] && !(h = headers_build(p.key))) {
		parsed_free(&p);
		set_err(err, errlen, "out of memory");
		return -1;
	}
	free(e->base_url);
	free(e->host);
	free(e->hostport);
	e->base_url = p.base_url;
	e->host = p.host;
	e->hostport = p.hostport;
	p.base_url = p.host = p.hostport = NULL;
	memcpy(e->key, p.key, sizeof e->key);
	parsed_free(&p);
	headers_release(e->hdrs);
	e->hdrs = h;
	e->connect_timeout_s = o->connect_timeout_s > 0 ? o->connect_timeout_s : DEFAULT_CONNECT_TIMEOUT_S;
	e->timeout_s = o->timeout_s > 0 ? o->timeout_s : DEFAULT_TOTAL_TIMEOUT_S;
	e->max_conn = o->max_connections > 0 ? o->max_connections : DEFAULT_MAX_CONNECTIONS;
	curl_multi_setopt(e->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)e->max_conn);
	curl_multi_setopt(e->multi, CURLMOPT_MAXCONNECTS, (long)e->max_conn + 4);
	return 0;
}

/* ---- curl callbacks ------------------------------------------------------- */

static struct sock *sock_find(struct engine *e, curl_socket_t fd)
{
	for (int i = 0; i < e->n_socks; i++)
		if (e->socks[i].fd == fd)
			return &e->socks[i];
	return NULL;
}

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	(void)easy;
	(void)socketp;
	struct engine *e = userp;
	struct sock *s = sock_find(e, fd);
	if (what == CURL_POLL_REMOVE) {
		if (s)
			*s = e->socks[--e->n_socks];
		return 0;
	}
	if (!s) {
		if (e->n_socks == e->cap_socks) {
			int cap = e->cap_socks ? e->cap_socks * 2 : 16;
			struct sock *ns = realloc(e->socks, (size_t)cap * sizeof *ns);
			if (!ns)
				return -1; /* curl fails the transfer: better than a silent hang */
			e->socks = ns;
			e->cap_socks = cap;
		}
		s = &e->socks[e->n_socks++];
		s->fd = fd;
	}
	s->events = (short)(((what & CURL_POLL_IN) ? POLLIN : 0) |
			    ((what & CURL_POLL_OUT) ? POLLOUT : 0));
	return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp)
{
	(void)multi;
	struct engine *e = userp;
	if (timeout_ms < 0) {
		e->has_deadline = false;
		return 0;
	}
	now(&e->deadline);
	e->deadline.tv_sec += timeout_ms / 1000;
	e->deadline.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (e->deadline.tv_nsec >= 1000000000L) {
		e->deadline.tv_sec++;
		e->deadline.tv_nsec -= 1000000000L;
	}
	e->has_deadline = true;
	return 0;
}

/* Keeps the first RESPONSE_BODY_MAX bytes and swallows the rest, so an
 * oversized body still ends as a normal response with body_truncated. */
static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
	struct xfer *x = userp;
	size_t n = size * nmemb;
	size_t room = RESPONSE_BODY_MAX - x->len;
	size_t take = n < room ? n : room;
	if (take < n)
		x->truncated = true;
	if (take == 0)
		return n;
	if (x->len + take + 1 > x->cap) {
		size_t cap = x->cap ? x->cap : 4096;
		while (cap < x->len + take + 1)
			cap *= 2;
		if (cap > RESPONSE_BODY_MAX + 1)
			cap = RESPONSE_BODY_MAX + 1;
		char *nb = realloc(x->buf, cap);
		if (!nb) {
			x->nomem = true;
			return 0;
		}
		x->buf = nb;
		x->cap = cap;
	}
	memcpy(x->buf + x->len, data, take);
	x->len += take;
	return n;
}

/* ---- transfers ------------------------------------------------------------- */

static void xfer_free(struct xfer *x)
{
	if (!x)
		return;
	free(x->method);
	free(x->path);
	free(x->url);
	free(x->body);
	free(x->buf);
	headers_release(x->hdrs);
	result_free(x->res);
	free(x);
}

static CURL *easy_get(struct engine *e)
{
	if (e->n_pool > 0) {
		CURL *c = e->pool[--e->n_pool];
		curl_easy_reset(c);
		return c;
	}
	return curl_easy_init();
}

static void easy_put(struct engine *e, CURL *c)
{
	if (e->n_pool == e->cap_pool) {
		int cap = e->cap_pool ? e->cap_pool * 2 : 8;
		CURL **np = realloc(e->pool, (size_t)cap * sizeof *np);
		if (!np) {
			curl_easy_cleanup(c);
			return;
		}
		e->pool = np;
		e->cap_pool = cap;
	}
	e->pool[e->n_pool++] = c;
}

static int easy_setup(struct xfer *x)
{
	CURL *c = x->easy;
	CURLcode rc = CURLE_OK;
#define SET(opt, val) do { if (rc == CURLE_OK) rc = curl_easy_setopt(c, opt, val); } while (0)
	SET(CURLOPT_URL, x->url);
	SET(CURLOPT_PRIVATE, (void *)x);
	SET(CURLOPT_HTTPHEADER, x->hdrs->list);
	SET(CURLOPT_USERAGENT, "okaya-privacy/" OKAYA_VERSION);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, (void *)x);
	SET(CURLOPT_ERRORBUFFER, x->errbuf);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_CONNECTTIMEOUT_MS, x->connect_timeout_s * 1000L);
	SET(CURLOPT_TIMEOUT_MS, x->timeout_s * 1000L);
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	/* Stated, not assumed: certificate and host name are always checked. */
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	if (strcmp(x->method, "GET") == 0) {
		SET(CURLOPT_HTTPGET, 1L);
	} else {
		const char *b = x->body ? x->body : "";
		SET(CURLOPT_POSTFIELDS, b);
		SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(b));
		if (strcmp(x->method, "POST") != 0)
			SET(CURLOPT_CUSTOMREQUEST, x->method);
	}
#undef SET
	return rc == CURLE_OK ? 0 : -1;
}

static struct result *result_new(const struct xfer *x)
{
	struct result *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->retry_after_s = -1;
	r->method = xstrdup(x->method);
	r->path = xstrdup(x->path);
	return r;
}

/* Moves the received body into r, NUL-terminated and trimmed to size (a
 * batch keeps thousands of results; each should not hold a 4 KiB buffer). */
static void take_body(struct xfer *x, struct result *r)
{
	if (!x->buf) {
		r->body = calloc(1, 1);
		r->body_len = 0;
		return;
	}
	x->buf[x->len] = '\0';
	char *fit = x->cap > x->len + 1 ? realloc(x->buf, x->len + 1) : NULL;
	r->body = fit ? fit : x->buf;
	r->body_len = x->len;
	x->buf = NULL;
	x->len = x->cap = 0;
}

/* A server may echo the key back ("invalid key abc..."): blank every copy
 * in what we received before anyone can show or log it. Very short keys are
 * skipped, as they would blank ordinary words. */
static void scrub_key(const char *key, char *buf, size_t len)
{
	size_t k = strlen(key);
	if (k < 6 || !buf)
		return;
	for (char *p = buf; (p = memmem(p, len - (size_t)(p - buf), key, k)) != NULL; p += k)
		memset(p, '*', k);
}

/* Files a finished request on the done list; r is NULL only when memory ran
 * out, and then engine_take_done hands back NULL for it. */
static void finish(struct engine *e, struct xfer *x, struct result *r)
{
	struct timespec t1;
	now(&t1);
	if (r) {
		r->elapsed_ms = ms_between(&x->t0, &t1);
		if (!r->body) {
			take_body(x, r);
			scrub_key(e->key, r->body, r->body_len);
		}
	}
	x->res = r;
	x->state = X_DONE;
	list_push(&e->done, x);
}

__attribute__((format(printf, 3, 4)))
static void fail_text(struct result *r, enum fail_kind kind, const char *fmt, ...)
{
	char buf[CURL_ERROR_SIZE + 512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	r->fail = kind;
	r->fail_text = text_clean_dup(buf, sizeof buf);
}

/* Retry-After: delta-seconds or an HTTP date; -1 when absent or unreadable. */
static long retry_after(CURL *c)
{
	struct curl_header *h;
	if (curl_easy_header(c, "Retry-After", 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
		return -1;
	const char *v = h->value;
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v >= '0' && *v <= '9') {
		/* Digits only, clamped while reading: a huge value must not
		 * overflow into nonsense (strtol would saturate at LONG_MAX). */
		long s = 0;
		for (; *v >= '0' && *v <= '9'; v++)
			if (s < RETRY_AFTER_MAX_S)
				s = s * 10 + (*v - '0');
		return *v == '\0' || *v == ' ' ? (s > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : s) : -1;
	}
	time_t when = curl_getdate(v, NULL);
	if (when == (time_t)-1)
		return -1;
	time_t t = time(NULL);
	if (when <= t)
		return 0;
	return when - t > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : (long)(when - t);
}

static void describe_transport(struct engine *e, struct xfer *x, CURLcode rc, struct result *r)
{
	CURL *c = x->easy;
	const char *detail = x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		fail_text(r, FAIL_RESOLVE, "cannot resolve host %s", e->host);
		return;
	case CURLE_COULDNT_CONNECT: {
		long os = 0;
		curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &os);
		const char *hp = x->url; /* host:port of this request's URL */
		char where[300];
		CURLU *u = curl_url();
		char *h = NULL, *p = NULL;
		if (u && curl_url_set(u, CURLUPART_URL, hp, 0) == CURLUE_OK &&
		    curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK) {
			curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT);
			snprintf(where, sizeof where, "%s:%s", h, p ? p : "?");
		} else {
			snprintf(where, sizeof where, "%s", e->hostport);
		}
		curl_free(h);
		curl_free(p);
		curl_url_cleanup(u);
		if (os == ECONNREFUSED)
			fail_text(r, FAIL_CONNECT, "connection refused (%s)", where);
		else if (os == ENETUNREACH)
			fail_text(r, FAIL_CONNECT, "network unreachable (%s)", where);
		else if (os == EHOSTUNREACH)
			fail_text(r, FAIL_CONNECT, "host unreachable (%s)", where);
		else
			fail_text(r, FAIL_CONNECT, "cannot connect to %s", where);
		return;
	}
	case CURLE_OPERATION_TIMEDOUT: {
		curl_off_t connected = 0;
		curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connected);
		if (connected == 0)
			fail_text(r, FAIL_TIMEOUT, "timed out after %ld s connecting to %s",
				  x->connect_timeout_s < x->timeout_s ?
				  x->connect_timeout_s : x->timeout_s, e->hostport);
		else
			fail_text(r, FAIL_TIMEOUT, "timed out after %ld s waiting for %s",
				  x->timeout_s, e->hostport);
		return;
	}
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		fail_text(r, FAIL_TLS, "TLS certificate not trusted (%s)", detail);
		return;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
		fail_text(r, FAIL_TLS, "TLS handshake failed (%s)", detail);
		return;
	case CURLE_GOT_NOTHING:
		fail_text(r, FAIL_OTHER, "the server closed the connection without answering (%s)",
			  e->hostport);
		return;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
		fail_text(r, FAIL_OTHER, "connection broken mid-transfer (%s)", detail);
		return;
	case CURLE_UNSUPPORTED_PROTOCOL:
		fail_text(r, FAIL_OTHER, "only http and https are allowed (%s)", detail);
		return;
	case CURLE_WRITE_ERROR:
	case CURLE_OUT_OF_MEMORY:
		if (x->nomem || rc == CURLE_OUT_OF_MEMORY) {
			fail_text(r, FAIL_OTHER, "out of memory while receiving the response");
			return;
		}
		break;
	default:
		break;
	}
	fail_text(r, FAIL_OTHER, "request failed: %s", detail);
}

/* Group keys (gk_...) are secrets too; GET /groups lists them and a server
 * error may quote one. Nothing of ours reads them, so blank them all. */
static void scrub_group_keys(char *buf, size_t len)
{
	if (!buf)
		return;
	for (char *p = buf; (p = memmem(p, len - (size_t)(p - buf), "gk_", 3)) != NULL;) {
		bool word_start = p == buf || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		p += 3;
		if (!word_start)
			continue;
		while ((size_t)(p - buf) < len && (isalnum((unsigned char)*p) || *p == '_' || *p == '-'))
			*p++ = '*';
	}
}

/* A transfer curl reported done: read what it learned, free the handle. */
static void complete(struct engine *e, struct xfer *x, CURLcode rc)
{
	CURL *c = x->easy;
	struct result *r = result_new(x);
	long conns = 0;
	curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &conns);
	e->stats.connects += conns;
	e->stats.completed++;
	if (r) {
		long req_size = 0;
		curl_easy_getinfo(c, CURLINFO_REQUEST_SIZE, &req_size);
		r->sent = req_size > 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
		char *ct = NULL;
		if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
			r->content_type = text_clean_dup(ct, 256);
		if (rc != CURLE_OK) {
			describe_transport(e, x, rc, r);
			if (r->fail == FAIL_TIMEOUT || r->fail == FAIL_CONNECT ||
			    r->fail == FAIL_RESOLVE || r->fail == FAIL_TLS)
				r->status = 0; /* no usable response */
		} else {
			r->retry_after_s = retry_after(c);
			r->body_truncated = x->truncated;
			take_body(x, r);
			scrub_key(e->key, r->body, r->body_len);
			scrub_group_keys(r->body, r->body_len);
			if (r->status >= 300 && r->status < 400) {
				char *loc = NULL;
				struct curl_header *h;
				if (curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc) != CURLE_OK || !loc)
					loc = curl_easy_header(c, "Location", 0, CURLH_HEADER, -1, &h)
						== CURLHE_OK ? h->value : NULL;
				fail_text(r, FAIL_REDIRECT, "redirected to %s (not followed)",
					  loc ? loc : "an unnamed location");
			}
			if (r->body)
				result_parse_body(r);
		}
		if (r->fail_text)
			scrub_key(e->key, r->fail_text, strlen(r->fail_text));
	}
	curl_multi_remove_handle(e->multi, c);
	easy_put(e, c);
	x->easy = NULL;
	list_unlink(&e->active, x);
	finish(e, x, r);
}

/* Hands queued requests to curl while there is room. */
static void launch(struct engine *e)
{
	while (e->waiting.head && e->active.n < e->max_conn) {
		struct xfer *x = e->waiting.head;
		list_unlink(&e->waiting, x);
		now(&x->t0);
		x->easy = easy_get(e);
		if (!x->easy || easy_setup(x) != 0 ||
		    curl_multi_add_handle(e->multi, x->easy) != CURLM_OK) {
			struct result *r = result_new(x);
			if (r)
				fail_text(r, FAIL_OTHER, "could not set up the request");
			if (x->easy)
				easy_put(e, x->easy);
			x->easy = NULL;
			finish(e, x, r);
			continue;
		}
		x->state = X_ACTIVE;
		list_push(&e->active, x);
	}
}

static void collect(struct engine *e)
{
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(e->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		struct xfer *x = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		if (x)
			complete(e, x, m->data.result);
	}
}

/* ---- public ------------------------------------------------------------------ */

struct engine *engine_new(const struct engine_opts *opts, char *err, size_t errlen)
{
	if (global_users == 0 && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		set_err(err, errlen, "cannot initialise libcurl");
		return NULL;
	}
	global_users++;
	struct engine *e = calloc(1, sizeof *e);
	if (!e || !(e->multi = curl_multi_init())) {
		free(e);
		set_err(err, errlen, "out of memory");
		if (--global_users == 0)
			curl_global_cleanup();
		return NULL;
	}
	curl_multi_setopt(e->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(e->multi, CURLMOPT_SOCKETDATA, (void *)e);
	curl_multi_setopt(e->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(e->multi, CURLMOPT_TIMERDATA, (void *)e);
	if (apply_opts(e, opts, err, errlen) != 0) {
		engine_free(e);
		return NULL;
	}
	return e;
}

static void free_list(struct xlist *l)
{
	struct xfer *x = l->head;
	while (x) {
		struct xfer *next = x->next;
		xfer_free(x);
		x = next;
	}
	l->head = l->tail = NULL;
	l->n = 0;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	for (struct xfer *x = e->active.head; x; x = x->next) {
		curl_multi_remove_handle(e->multi, x->easy);
		curl_easy_cleanup(x->easy);
		x->easy = NULL;
	}
	free_list(&e->active);
	free_list(&e->waiting);
	free_list(&e->done);
	for (int i = 0; i < e->n_pool; i++)
		curl_easy_cleanup(e->pool[i]);
	free(e->pool);
	curl_multi_cleanup(e->multi);
	headers_release(e->hdrs);
	explicit_bzero(e->key, sizeof e->key);
	free(e->base_url);
	free(e->host);
	free(e->hostport);
	free(e->socks);
	free(e->scratch);
	free(e);
	if (--global_users == 0)
		curl_global_cleanup();
}

int engine_configure(struct engine *e, const struct engine_opts *opts, char *err, size_t errlen)
{
	if (!e) {
		set_err(err, errlen, "no engine");
		return -1;
	}
	return apply_opts(e, opts, err, errlen);
}

static struct xfer *start(struct engine *e, const char *method, const char *path,
			  const char *body, void *tag, char *err, size_t errlen)
{
	if (!e || !method || !path || path[0] != '/') {
		set_err(err, errlen, "bad request: the path must start with '/'");
		return NULL;
	}
	if (!e->hdrs) {
		set_err(err, errlen, "no API key configured: set it in Settings, in the "
			"OKAYA_API_KEY environment variable, or as api_key in the config file");
		return NULL;
	}
	struct xfer *x = calloc(1, sizeof *x);
	size_t ulen = strlen(e->base_url) + strlen(path) + 1;
	if (x) {
		x->method = strdup(method);
		x->path = strdup(path);
		x->body = body ? strdup(body) : NULL;
		x->url = malloc(ulen);
	}
	if (!x || !x->method || !x->path || !x->url || (body && !x->body)) {
		xfer_free(x);
		set_err(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(x->url, ulen, "%s%s", e->base_url, path);
	x->id = ++e->next_id;
	x->tag = tag;
	x->hdrs = e->hdrs;
	e->hdrs->refs++;
	x->connect_timeout_s = e->connect_timeout_s;
	x->timeout_s = e->timeout_s;
	x->state = X_WAITING;
	list_push(&e->waiting, x);
	e->stats.started++;
	launch(e);
	return x;
}

long engine_start(struct engine *e, const char *method, const char *path,
		  const char *body, void *tag, char *err, size_t errlen)
{
	struct xfer *x = start(e, method, path, body, tag, err, errlen);
	return x ? x->id : -1;
}

void engine_cancel(struct engine *e, long id)
{
	if (!e)
		return;
	struct xlist *from = &e->active;
	struct xfer *x = list_find(from, id);
	if (!x)
		x = list_find(from = &e->waiting, id);
	if (!x)
		return; /* unknown or already done */
	list_unlink(from, x);
	long req_size = 0;
	if (x->easy) {
		curl_easy_getinfo(x->easy, CURLINFO_REQUEST_SIZE, &req_size);
		curl_multi_remove_handle(e->multi, x->easy);
		easy_put(e, x->easy);
		x->easy = NULL;
	} else {
		now(&x->t0);
	}
	struct result *r = result_new(x);
	if (r) {
		r->sent = req_size > 0;
		fail_text(r, FAIL_CANCELLED, "cancelled");
	}
	free(x->buf); /* a partial body means nothing */
	x->buf = NULL;
	finish(e, x, r);
	launch(e);
}

int engine_pending(const struct engine *e)
{
	return e ? e->waiting.n + e->active.n + e->done.n : 0;
}

/* Milliseconds until curl's timer expires; -1 when there is none. */
static int curl_wait_ms(struct engine *e)
{
	if (!e->has_deadline)
		/* curl keeps a timer while anything flies; guard anyway. */
		return e->active.n > 0 ? 1000 : -1;
	struct timespec t;
	now(&t);
	double left = ms_between(&t, &e->deadline);
	return left <= 0 ? 0 : (int)(left + 0.999); /* rounded up: no spinning */
}

static int fill_pollfds(struct engine *e, struct pollfd *fds, int max)
{
	int n = 0;
	for (int i = 0; i < e->n_socks && n < max; i++) {
		if (!e->socks[i].events)
			continue;
		fds[n].fd = e->socks[i].fd;
		fds[n].events = e->socks[i].events;
		fds[n].revents = 0;
		n++;
	}
	return n;
}

int engine_pollfds(struct engine *e, struct pollfd *fds, int max, int *timeout_ms)
{
	if (!e) {
		if (timeout_ms)
			*timeout_ms = -1;
		return 0;
	}
	if (timeout_ms)
		/* Results not yet taken (a cancel, a refused setup): come back now. */
		*timeout_ms = e->done.n > 0 ? 0 : curl_wait_ms(e);
	return fill_pollfds(e, fds, max);
}

void engine_dispatch(struct engine *e, const struct pollfd *fds, int n)
{
	if (!e)
		return;
	int running;
	for (int i = 0; i < n; i++) {
		if (!fds[i].revents || !sock_find(e, fds[i].fd))
			continue;
		int mask = 0;
		if (fds[i].revents & (POLLIN | POLLHUP))
			mask |= CURL_CSELECT_IN;
		if (fds[i].revents & POLLOUT)
			mask |= CURL_CSELECT_OUT;
		if (fds[i].revents & (POLLERR | POLLNVAL))
			mask |= CURL_CSELECT_ERR;
		curl_multi_socket_action(e->multi, fds[i].fd, mask, &running);
	}
	if (e->has_deadline) {
		struct timespec t;
		now(&t);
		if (ms_between(&t, &e->deadline) <= 0) {
			e->has_deadline = false;
			curl_multi_socket_action(e->multi, CURL_SOCKET_TIMEOUT, 0, &running);
		}
	}
	collect(e);
	launch(e);
}

struct result *engine_take_done(struct engine *e, void **tag)
{
	if (!e || !e->done.head)
		return NULL;
	struct xfer *x = e->done.head;
	list_unlink(&e->done, x);
	struct result *r = x->res;
	x->res = NULL;
	if (tag)
		*tag = x->tag;
	xfer_free(x);
	return r;
}

/* One round of the event loop on curl's sockets alone. */
static void pump(struct engine *e)
{
	if (e->cap_scratch < e->n_socks + 1) {
		int cap = e->n_socks + 16;
		struct pollfd *p = realloc(e->scratch, (size_t)cap * sizeof *p);
		if (p) {
			e->scratch = p;
			e->cap_scratch = cap;
		}
	}
	/* Not engine_pollfds: results waiting in `done` must not make it spin. */
	int n = fill_pollfds(e, e->scratch, e->cap_scratch);
	int timeout = curl_wait_ms(e);
	if (timeout < 0 || timeout > 1000)
		timeout = 1000;
	if (n > 0 || timeout > 0) {
		if (poll(e->scratch, (nfds_t)n, timeout) < 0 && errno != EINTR)
			n = 0;
	}
	engine_dispatch(e, e->scratch, n);
}

void engine_run(struct engine *e)
{
	while (e && (e->active.n > 0 || e->waiting.n > 0))
		pump(e);
}

struct result *engine_request(struct engine *e, const char *method, const char *path,
			      const char *body, char *err, size_t errlen)
{
	struct xfer *x = start(e, method, path, body, NULL, err, errlen);
	if (!x)
		return NULL;
	while (x->state != X_DONE)
		pump(e);
	list_unlink(&e->done, x);
	struct result *r = x->res;
	x->res = NULL;
	xfer_free(x);
	if (!r)
		set_err(err, errlen, "out of memory");
	return r;
}

void engine_get_stats(const struct engine *e, struct engine_stats *out)
{
	if (!e || !out)
		return;
	*out = e->stats;
	out->pooled_handles = e->n_pool;
}
