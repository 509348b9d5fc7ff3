/* server: libmicrohttpd glue, the debug endpoints and the fault front. */
#include "server.h"
#include "routes.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define BODY_MAX ((size_t)1 << 20)  /* larger bodies get 413 */
#define DEBUG_PREFIX "/_sandbox/"

struct server {
	struct MHD_Daemon *daemon;
	struct state *st;
	struct faults *faults;
	struct reqlog *log;
	unsigned port;
};

/* Per request: the body as it arrives. */
struct conn_ctx {
	char *body;
	size_t len, cap;
	bool too_big;
};

/* MHD would percent-decode the path before we see it; keeping it raw lets
 * "ok%2F..%2Fx" stay one segment. */
static size_t keep_raw(void *cls, struct MHD_Connection *c, char *uri)
{
	(void)cls;
	(void)c;
	return strlen(uri);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	struct conn_ctx *ctx = *con_cls;
	if (ctx) {
		free(ctx->body);
		free(ctx);
		*con_cls = NULL;
	}
}

static void body_append(struct conn_ctx *ctx, const char *data, size_t n)
{
	if (ctx->too_big || ctx->len + n > BODY_MAX) {
		ctx->too_big = true;
		return;
	}
	if (ctx->len + n > ctx->cap) {
		size_t cap = ctx->cap ? ctx->cap : 256;
		while (cap < ctx->len + n)
			cap *= 2;
		char *b = realloc(ctx->body, cap);
		if (!b) {
			ctx->too_big = true;
			return;
		}
		ctx->body = b;
		ctx->cap = cap;
	}
	memcpy(ctx->body + ctx->len, data, n);
	ctx->len += n;
}

static enum MHD_Result send_answer(struct MHD_Connection *c, unsigned status,
				   const char *ctype, const char *body,
				   const char *header, const char *value)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
								   MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	if (header && value)
		MHD_add_response_header(r, header, value);
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* GET /_sandbox/state, GET /_sandbox/requests, POST /_sandbox/reset.
 * No key needed: the sandbox binds loopback and holds fixture data only.
 * Faults never apply here, so tests can always look. */
static unsigned handle_debug(struct server *sv, const char *method, const char *url,
			     char **body)
{
	bool get = strcmp(method, "GET") == 0;
	const char *what = url + strlen(DEBUG_PREFIX);
	json_object *o = NULL;
	unsigned status = 200;
	if (get && strcmp(what, "state") == 0) {
		o = state_dump_json(sv->st);
		json_object_object_add(o, "requestsServed",
				       json_object_new_int64((int64_t)reqlog_total(sv->log)));
	} else if (get && strcmp(what, "requests") == 0) {
		o = reqlog_json(sv->log);
	} else if (strcmp(method, "POST") == 0 && strcmp(what, "reset") == 0) {
		char err[256];
		o = json_object_new_object();
		if (state_reset(sv->st, err, sizeof err) == 0) {
			reqlog_clear(sv->log);
			json_object_object_add(o, "message", json_object_new_string("success"));
		} else {
			status = 500;
			json_object_object_add(o, "error", json_object_new_string(err));
		}
	} else {
		status = 404;
		o = json_object_new_object();
		json_object_object_add(o, "error", json_object_new_string("Not found"));
	}
	*body = routes_json_take(o);
	return status;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	(void)version;
	struct server *sv = cls;
	struct conn_ctx *ctx = *con_cls;
	if (!ctx) {  /* headers are in; the body (if any) follows */
		ctx = calloc(1, sizeof *ctx);
		if (!ctx)
			return MHD_NO;
		*con_cls = ctx;
		return MHD_YES;
	}
	if (*upload_data_size) {
		body_append(ctx, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}

	const char *key = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "x-api-key");
	struct reqlog_info info = {
		.method = method,
		.path = url,
		.target = "",
		.body = ctx->body,
		.body_len = ctx->len,
		.has_key = key != NULL,
		.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							    MHD_HTTP_HEADER_CONTENT_TYPE),
		.accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT),
		.user_agent = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							  MHD_HTTP_HEADER_USER_AGENT),
		.keep = true,
	};
	enum MHD_Result ret;

	if (strncmp(url, DEBUG_PREFIX, strlen(DEBUG_PREFIX)) == 0) {
		char *body;
		info.status = handle_debug(sv, method, url, &body);
		info.keep = false;
		reqlog_record(sv->log, &info);
		ret = send_answer(c, info.status, "application/json", body, NULL, NULL);
		free(body);
		return ret;
	}

	reqlog_arrived(sv->log);
	enum fault fault = faults_decide(sv->faults);
	faults_delay(sv->faults);
	if (fault != FAULT_NONE) {
		struct fault_answer fa;
		faults_answer(sv->faults, fault, &fa);
		info.status = fa.status;
		reqlog_record(sv->log, &info);
		return send_answer(c, fa.status, fa.content_type, fa.body, fa.header, fa.header_value);
	}
	if (ctx->too_big) {
		info.status = 413;
		reqlog_record(sv->log, &info);
		return send_answer(c, 413, "application/json", "{\"error\":\"Payload too large\"}",
				   NULL, NULL);
	}

	struct route_req rq = {
		.method = method,
		.path = url,
		.api_key = key,
		.content_type = info.content_type,
		.body = ctx->body ? ctx->body : "",
		.body_len = ctx->len,
	};
	struct route_resp rs;
	routes_handle(sv->st, &rq, &rs);
	info.status = rs.status;
	info.target = rs.target;
	reqlog_record(sv->log, &info);
	ret = send_answer(c, rs.status, "application/json", rs.body, NULL, NULL);
	free(rs.body);
	return ret;
}

struct server *server_start(const char *bind_addr, unsigned port, struct state *st,
			    struct faults *faults, struct reqlog *log,
			    char *err, size_t errlen)
{
	struct sockaddr_in v4 = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct sockaddr_in6 v6 = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	const struct sockaddr *sa;
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
			 MHD_USE_POLL | MHD_USE_ERROR_LOG;
	if (inet_pton(AF_INET, bind_addr, &v4.sin_addr) == 1) {
		sa = (const struct sockaddr *)&v4;
	} else if (inet_pton(AF_INET6, bind_addr, &v6.sin6_addr) == 1) {
		sa = (const struct sockaddr *)&v6;
		flags |= MHD_USE_IPv6;
	} else {
		snprintf(err, errlen, "--bind %s: not an IPv4 or IPv6 address", bind_addr);
		return NULL;
	}
	struct server *sv = calloc(1, sizeof *sv);
	if (!sv) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	sv->st = st;
	sv->faults = faults;
	sv->log = log;
	sv->daemon = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, sv,
				      MHD_OPTION_SOCK_ADDR, sa,
				      MHD_OPTION_UNESCAPE_CALLBACK, keep_raw, NULL,
				      MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
				      MHD_OPTION_END);
	if (!sv->daemon) {
		snprintf(err, errlen, "cannot listen on %s port %u (in use, or not a local address?)",
			 bind_addr, port);
		free(sv);
		return NULL;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(sv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	sv->port = di ? di->port : port;
	return sv;
}

unsigned server_port(const struct server *sv)
{
	return sv->port;
}

void server_stop(struct server *sv)
{
	if (!sv)
		return;
	MHD_stop_daemon(sv->daemon);
	free(sv);
}
