/* engine: HTTP requests to the Okaya API on libcurl's multi interface.
 *
 * One code path for every front end: the TUI pumps it from its event loop,
 * the CLI and batches run it to completion. Front ends never see a CURL*.
 *
 * Not thread-safe: use engines from one thread (curl_global_init is done by
 * the first engine_new and undone by the last engine_free).
 *
 * Event-loop use:
 *     id = engine_start(e, "POST", path, body, tag, err, sizeof err);
 *     loop: n = engine_pollfds(e, fds + 1, MAX - 1, &timeout);
 *           poll(fds, n + 1, min(timeout, mine));
 *           engine_dispatch(e, fds + 1, n);
 *           while ((r = engine_take_done(e, &tag))) { ...; result_free(r); }
 */
#ifndef OKAYA_ENGINE_H
#define OKAYA_ENGINE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

struct json_object;

#define RESPONSE_BODY_MAX (1024 * 1024) /* bytes kept of a body; the rest is cut */
#define RETRY_AFTER_MAX_S 86400L        /* a longer Retry-After reads as this */

enum fail_kind {
	FAIL_NONE = 0,   /* an HTTP response arrived (any status) */
	FAIL_RESOLVE,    /* cannot resolve host */
	FAIL_CONNECT,    /* connection refused / unreachable */
	FAIL_TIMEOUT,    /* connect or total timeout */
	FAIL_TLS,        /* certificate not trusted, handshake failed */
	FAIL_REDIRECT,   /* server redirected; never followed */
	FAIL_CANCELLED,  /* engine_cancel() */
	FAIL_OTHER,
};

/* The outcome of one request, owned by the caller: result_free(). */
struct result {
	enum fail_kind fail;
	char *fail_text;        /* plain words when fail != FAIL_NONE, else NULL */
	long status;            /* HTTP status, 0 when no response */
	char *message;          /* the server's "message" string, or NULL */
	char *error;            /* the server's "error" string, or NULL; both
				 * valid UTF-8 (bad bytes as U+FFFD) with C0,
				 * DEL and C1 controls as '?' */
	char *body;             /* raw body, NUL-terminated; never NULL */
	size_t body_len;
	bool body_truncated;    /* cut at RESPONSE_BODY_MAX */
	char *content_type;     /* or NULL */
	struct json_object *json; /* parsed body when it was JSON, else NULL */
	long retry_after_s;     /* from Retry-After (seconds or HTTP date), -1 if
				 * none; at most RETRY_AFTER_MAX_S */
	double elapsed_ms;
	bool sent;              /* the request was written to a connection
				 * (CURLINFO_REQUEST_SIZE > 0): even without an
				 * answer it may have been applied */
	char *method;           /* "POST" */
	char *path;             /* as requested, e.g. "/configure/groups/1/privacy" */
};

void result_free(struct result *r);

/* A one-line summary for people: "200 OK: success", "400 Bad Request: Group
 * not found", "connection refused (http://127.0.0.1:9)". Returns buf. */
const char *result_summary(const struct result *r, char *buf, size_t len);

/* The reason phrase of an HTTP status ("Not Found"), "" if unknown. */
const char *http_status_text(long status);

struct engine_opts {
	const char *base_url;       /* "https://api.okaya.me"; no trailing slash needed */
	const char *api_key;        /* cleaned by api_key_clean(); NULL = none set */
	long connect_timeout_s;     /* 0 = default 10 */
	long timeout_s;             /* total, 0 = default 30 */
	int max_connections;        /* in flight (and per host); 0 = default 8;
				     * more requests wait in a queue, their
				     * timeout starting when they are sent */
};

struct engine;

/* Checks a base URL exactly as engine_new does (http or https, a host, no
 * query, fragment, blank, control character or non-ASCII byte), for front ends that print
 * requests without sending them. 0, or -1 with a message. */
int engine_base_url_check(const char *url, char *err, size_t errlen);

/* Returns NULL with a message when the options are unusable (bad base URL,
 * key with a control character). The engine copies what it keeps. */
struct engine *engine_new(const struct engine_opts *opts, char *err, size_t errlen);
void engine_free(struct engine *e); /* cancels what is in flight; NULL is fine */

/* Replaces key, URL or timeouts for requests started from now on. */
int engine_configure(struct engine *e, const struct engine_opts *opts, char *err, size_t errlen);

/* Starts a request; body may be NULL (GET). `tag` comes back with the result.
 * Returns an id > 0, or -1 with a message (no key configured, bad key...). */
long engine_start(struct engine *e, const char *method, const char *path,
		  const char *body, void *tag, char *err, size_t errlen);

/* Cancels a request; its result (FAIL_CANCELLED) is still delivered. */
void engine_cancel(struct engine *e, long id);

/* Number of requests started and not yet taken. */
int engine_pending(const struct engine *e);

/* Fills at most max pollfds with the sockets curl wants watched and returns
 * how many. *timeout_ms is when engine_dispatch must be called at the latest
 * (-1: no deadline, nothing in flight). */
int engine_pollfds(struct engine *e, struct pollfd *fds, int max, int *timeout_ms);

/* Drives transfers after poll(); fds as filled by engine_pollfds (revents
 * set). Call it also on timeout, with n = 0. */
void engine_dispatch(struct engine *e, const struct pollfd *fds, int n);

/* Takes one finished result, or NULL when none is ready. */
struct result *engine_take_done(struct engine *e, void **tag);

/* Blocking: runs until every started request has finished. */
void engine_run(struct engine *e);

/* Blocking convenience: start, run until this request is done, take it
 * (other requests keep their place). NULL only with err set before sending. */
struct result *engine_request(struct engine *e, const char *method, const char *path,
			      const char *body, char *err, size_t errlen);

/* Counters since engine_new, for tests and benchmarks. */
struct engine_stats {
	long started;        /* requests accepted by engine_start */
	long completed;      /* transfers curl finished (not cancelled ones) */
	long connects;       /* new connections made (CURLINFO_NUM_CONNECTS summed) */
	int pooled_handles;  /* idle easy handles kept for reuse */
};
void engine_get_stats(const struct engine *e, struct engine_stats *out);

#endif
