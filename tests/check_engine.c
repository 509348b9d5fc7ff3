/* Integration tests for core/engine: real libcurl over loopback against a
 * real okaya-sandbox. A few answers the sandbox has no switch for (a body
 * over 1 MiB, Retry-After) come from a one-shot raw HTTP responder forked
 * here: still a real socket and real curl, just a canned reply. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <json-c/json.h>
#include "engine.h"
#include "testutil.h"

static char err[512];
static struct sandbox sb;

static struct engine *engine_at(const char *url, const char *key, long timeout_s)
{
	struct engine_opts o = { .base_url = url, .api_key = key, .timeout_s = timeout_s };
	struct engine *e = engine_new(&o, err, sizeof err);
	ck_assert_msg(e != NULL, "engine_new: %s", err);
	return e;
}

static struct result *post(struct engine *e, const char *path, const char *body)
{
	struct result *r = engine_request(e, "POST", path, body, err, sizeof err);
	ck_assert_msg(r != NULL, "engine_request: %s", err);
	return r;
}

static void start_sandbox(const char *const *extra)
{
	ck_assert_msg(sandbox_spawn(&sb, extra) == 0, "cannot start okaya-sandbox");
}

static void sandbox_plain(void) { start_sandbox(NULL); }
static void sandbox_stop(void) { sandbox_kill(&sb); }

/* ---- a one-shot raw responder ------------------------------------------- */

/* Listens on a free loopback port; the child answers `count` connections
 * with `reply` (head) followed by `body_len` bytes of 'x'. */
static pid_t raw_server(const char *reply, size_t body_len, int count, int *port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof a;
	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(listen(s, 8), 0);
	getsockname(s, (struct sockaddr *)&a, &alen);
	*port = ntohs(a.sin_port);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* Check's SIGTERM handler, inherited through fork, would pass
		 * raw_wait's SIGTERM on to the whole process group: the test too. */
		signal(SIGTERM, SIG_DFL);
		static char chunk[65536];
		memset(chunk, 'x', sizeof chunk);
		for (int i = 0; i < count; i++) {
			int c = accept(s, NULL, NULL);
			if (c < 0)
				_exit(1);
			char req[8192];
			size_t got = 0;
			while (got < sizeof req - 1) {
				ssize_t k = read(c, req + got, sizeof req - 1 - got);
				if (k <= 0)
					break;
				got += (size_t)k;
				req[got] = '\0';
				if (strstr(req, "\r\n\r\n"))
					break;
			}
			if (write(c, reply, strlen(reply)) < 0)
				_exit(1);
			for (size_t left = body_len; left > 0;) {
				size_t n = left < sizeof chunk ? left : sizeof chunk;
				ssize_t w = write(c, chunk, n);
				if (w <= 0)
					break;
				left -= (size_t)w;
			}
			close(c);
		}
		_exit(0);
	}
	close(s);
	return pid;
}

static void raw_wait(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

/* ---- without a server ------------------------------------------------------ */

START_TEST(options_checked)
{
	struct engine_opts o = { .base_url = "ftp://example.com", .api_key = "k" };
	ck_assert_ptr_null(engine_new(&o, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "https://"));
	o.base_url = "";
	ck_assert_ptr_null(engine_new(&o, err, sizeof err));
	o.base_url = "https://api.okaya.me/?x=1";
	ck_assert_ptr_null(engine_new(&o, err, sizeof err));

	/* A key with CR/LF is refused, and the message never repeats it. */
	o.base_url = "https://api.okaya.me/";
	o.api_key = "secret-abc\r\nX-Evil: 1";
	ck_assert_ptr_null(engine_new(&o, err, sizeof err));
	ck_assert_ptr_null(strstr(err, "secret-abc"));
	ck_assert_ptr_null(strstr(err, "Evil"));

	/* No key yet is fine for engine_new, refused at start with a hint. */
	o.api_key = NULL;
	struct engine *e = engine_new(&o, err, sizeof err);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(engine_start(e, "GET", "/groups", NULL, NULL, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "no API key configured"));
	ck_assert_ptr_nonnull(strstr(err, "OKAYA_API_KEY"));
	ck_assert_ptr_nonnull(strstr(err, "Settings"));
	ck_assert_int_eq(engine_pending(e), 0);

	/* A bad key through engine_configure keeps the old (keyless) state. */
	o.api_key = "abc\ndef";
	ck_assert_int_eq(engine_configure(e, &o, err, sizeof err), -1);
	ck_assert_int_eq(engine_start(e, "GET", "/groups", NULL, NULL, err, sizeof err), -1);
	engine_free(e);
	engine_free(NULL);
}
END_TEST

START_TEST(status_texts)
{
	ck_assert_str_eq(http_status_text(404), "Not Found");
	ck_assert_str_eq(http_status_text(502), "Bad Gateway");
	ck_assert_str_eq(http_status_text(799), "");
}
END_TEST

START_TEST(connection_refused)
{
	/* A bound socket that never listens: connecting to it is refused. */
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof a;
	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0);
	getsockname(s, (struct sockaddr *)&a, &alen);
	char url[64], want[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(a.sin_port));
	snprintf(want, sizeof want, "connection refused (127.0.0.1:%d)", ntohs(a.sin_port));
	struct engine *e = engine_at(url, "demo-key", 5);
	struct result *r = engine_request(e, "GET", "/groups", NULL, err, sizeof err);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->fail, FAIL_CONNECT);
	ck_assert_int_eq(r->status, 0);
	ck_assert_str_eq(r->fail_text, want);
	char sum[256];
	ck_assert_str_eq(result_summary(r, sum, sizeof sum), want);
	ck_assert_ptr_nonnull(r->body);
	result_free(r);
	engine_free(e);
	close(s);
}
END_TEST

/* ".invalid" never resolves (RFC 6761). */
START_TEST(unknown_host)
{
	struct engine *e = engine_at("https://api.okaya.invalid", "demo-key", 5);
	struct result *r = engine_request(e, "GET", "/groups", NULL, err, sizeof err);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->fail, FAIL_RESOLVE);
	ck_assert_str_eq(r->fail_text, "cannot resolve host api.okaya.invalid");
	result_free(r);
	engine_free(e);
}
END_TEST

START_TEST(body_cut_at_limit)
{
	int port;
	size_t big = RESPONSE_BODY_MAX + 300000;
	char head[256];
	snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
		 "Content-Length: %zu\r\nConnection: close\r\n\r\n", big);
	pid_t pid = raw_server(head, big, 1, &port);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
	struct engine *e = engine_at(url, "demo-key", 10);
	struct result *r = engine_request(e, "GET", "/big", NULL, err, sizeof err);
	ck_assert_ptr_nonnull(r);
	/* The whole transfer completed (the rest was read and dropped). */
	ck_assert_int_eq(r->fail, FAIL_NONE);
	ck_assert_int_eq(r->status, 200);
	ck_assert(r->body_truncated);
	ck_assert_uint_eq(r->body_len, RESPONSE_BODY_MAX);
	ck_assert_uint_eq(strlen(r->body), RESPONSE_BODY_MAX);
	ck_assert_ptr_null(r->json);
	char sum[256];
	ck_assert_str_eq(result_summary(r, sum, sizeof sum),
			 "200 OK (text/plain body cut at 1 MiB, not JSON)");
	result_free(r);
	engine_free(e);
	raw_wait(pid);
}
END_TEST

START_TEST(retry_after_read)
{
	int port;
	const char *head = "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n"
			   "Retry-After: 7\r\nContent-Length: 25\r\nConnection: close\r\n\r\n"
			   "{\"error\":\"slow down\"}    ";
	pid_t pid = raw_server(head, 0, 1, &port);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
	struct engine *e = engine_at(url, "demo-key", 5);
	struct result *r = post(e, "/x", "{}");
	ck_assert_int_eq(r->status, 429);
	ck_assert_int_eq(r->retry_after_s, 7);
	ck_assert_str_eq(r->error, "slow down");
	result_free(r);
	engine_free(e);
	raw_wait(pid);

	/* The HTTP-date form: some seconds from now. */
	char date[64], reply[256];
	time_t t = time(NULL) + 120;
	struct tm tm;
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&t, &tm));
	snprintf(reply, sizeof reply, "HTTP/1.1 503 Service Unavailable\r\nRetry-After: %s\r\n"
		 "Content-Length: 0\r\nConnection: close\r\n\r\n", date);
	pid = raw_server(reply, 0, 1, &port);
	snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
	e = engine_at(url, "demo-key", 5);
	r = post(e, "/x", "{}");
	ck_assert_int_eq(r->status, 503);
	ck_assert_int_ge(r->retry_after_s, 100);
	ck_assert_int_le(r->retry_after_s, 121);
	char sum[256];
	ck_assert_str_eq(result_summary(r, sum, sizeof sum), "503 Service Unavailable (empty body)");
	result_free(r);
	engine_free(e);
	raw_wait(pid);
}
END_TEST

/* A Retry-After too large for any integer is clamped, not wrapped. */
START_TEST(retry_after_clamped)
{
	int port;
	const char *head = "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 99999999999999999999\r\n"
			   "Content-Length: 0\r\nConnection: close\r\n\r\n";
	pid_t pid = raw_server(head, 0, 1, &port);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
	struct engine *e = engine_at(url, "demo-key", 5);
	struct result *r = post(e, "/x", "{}");
	ck_assert_int_eq(r->status, 429);
	ck_assert_int_eq(r->retry_after_s, RETRY_AFTER_MAX_S);
	result_free(r);
	engine_free(e);
	raw_wait(pid);
}
END_TEST

/* The server's strings come out valid UTF-8 with no C0, DEL or C1 control,
 * fit for --json and the history. */
START_TEST(server_strings_mended)
{
	int port;
	/* error: invalid byte 0xff, a lone continuation byte, C1 CSI (C2 9B),
	 * ESC, DEL, a cut 3-byte sequence at the end; é stays. */
	const char *body = "{\"error\":\"a\xff" "b\x80" "c\xc2\x9b" "2J\x1b\x7f"
			   "caf\xc3\xa9\xe2\x82\"}";
	char head[512];
	snprintf(head, sizeof head, "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
		 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", strlen(body), body);
	pid_t pid = raw_server(head, 0, 1, &port);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
	struct engine *e = engine_at(url, "demo-key", 5);
	struct result *r = post(e, "/x", "{}");
	ck_assert_int_eq(r->status, 400);
	ck_assert_ptr_nonnull(r->error);
	ck_assert_str_eq(r->error, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c?2J??caf\xc3\xa9"
			 "\xef\xbf\xbd\xef\xbf\xbd");
	result_free(r);
	engine_free(e);
	raw_wait(pid);
}
END_TEST

/* A server that echoes the key must not get it onto a screen or a log. */
START_TEST(echoed_key_blanked)
{
	int port;
	const char *body = "{\"error\":\"Invalid API key SUPERSECRET-0123456789 (SUPERSECRET-0123456789)\"}";
	char head[512];
	snprintf(head, sizeof head, "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
		 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", strlen(body), body);
	pid_t pid = raw_server(head, 0, 1, &port);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
	struct engine *e = engine_at(url, "SUPERSECRET-0123456789", 5);
	struct result *r = post(e, "/x", "{}");
	ck_assert_int_eq(r->status, 401);
	ck_assert_ptr_null(strstr(r->body, "SUPERSECRET"));
	ck_assert_ptr_nonnull(r->error);
	ck_assert_ptr_null(strstr(r->error, "SUPERSECRET"));
	ck_assert_ptr_nonnull(strstr(r->error, "Invalid API key **********************"));
	result_free(r);
	engine_free(e);
	raw_wait(pid);
}
END_TEST

/* Group keys in GET /groups (and anywhere else) never leave the engine. */
START_TEST(group_keys_blanked)
{
	struct engine *e = engine_at(sb.url, "demo-key", 5);
	struct result *r = engine_request(e, "GET", "/groups", NULL, err, sizeof err);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->status, 200);
	ck_assert_ptr_null(strstr(r->body, "gk_fixture"));
	ck_assert_ptr_nonnull(strstr(r->body, "\"gk_*"));
	ck_assert_ptr_nonnull(r->json); /* still valid JSON */
	result_free(r);
	engine_free(e);
}
END_TEST

/* A self-signed certificate must be refused, in plain words. Needs the
 * openssl command (Debian's ca-certificates brings it) for a TLS server. */
START_TEST(untrusted_certificate)
{
	if (system("command -v openssl >/dev/null 2>&1") != 0) {
		fprintf(stderr, "note: openssl not found, TLS trust not tested\n");
		return;
	}
	char dir[] = "/tmp/okaya-tls-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "cd %s && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
		 "-nodes -subj /CN=127.0.0.1 -days 1 -keyout k.pem -out c.pem >/dev/null 2>&1", dir);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "cd %s && exec timeout 10 openssl s_server -accept 127.0.0.1:0 "
		 "-cert c.pem -key k.pem -www -naccept 1 2>/dev/null", dir);
	FILE *srv = popen(cmd, "r");
	ck_assert_ptr_nonnull(srv);
	char line[256], url[64] = "";
	while (fgets(line, sizeof line, srv)) {
		const char *p = strstr(line, "ACCEPT 127.0.0.1:");
		if (p) {
			snprintf(url, sizeof url, "https://127.0.0.1:%d", atoi(p + 17));
			break;
		}
	}
	ck_assert_msg(url[0], "openssl s_server did not start");
	struct engine *e = engine_at(url, "demo-key", 5);
	struct result *r = engine_request(e, "GET", "/groups", NULL, err, sizeof err);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->fail, FAIL_TLS);
	ck_assert_int_eq(r->status, 0);
	ck_assert_msg(strncmp(r->fail_text, "TLS certificate not trusted (", 29) == 0, "%s", r->fail_text);
	result_free(r);
	engine_free(e);
	pclose(srv);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* ---- against the sandbox -------------------------------------------------- */

struct expect {
	const char *path, *body;
	long status;
	const char *error;
};

START_TEST(documented_answers)
{
	static const struct expect cases[] = {
		{ "/configure/groups/1710748366424/privacy", "{\"requestedPrivacyLevel\":[\"mhci\"]}", 200, NULL },
		{ "/configure/groups//privacy", "{\"requestedPrivacyLevel\":[]}", 400,
		  "You are missing the path parameter groupID" },
		{ "/configure/groups/12ab/privacy", "{\"requestedPrivacyLevel\":[]}", 400,
		  "groupID must be a number" },
		{ "/configure/groups/42/privacy", "{\"requestedPrivacyLevel\":[]}", 400, "Group not found" },
		{ "/configure/groups/999999/privacy", "{\"requestedPrivacyLevel\":[]}", 400,
		  "Group doesn't exist in associated groups" },
		{ "/configure/groups/123456/privacy", "{}", 400,
		  "You are missing the body parameter requestedPrivacyLevel" },
		{ "/configure/groups/123456/privacy", "{\"requestedPrivacyLevel\":[\"bogus\"]}", 400,
		  "Invalid requestedPrivacyLevel. Should be an array with elements in ['mhci', "
		  "'groupPerecntiles', 'userPercentiles', 'transcript', 'features']." },
		{ "/configure/participants/ok_participant1/privacy",
		  "{\"requestedPrivacyLevel\":[\"groupPerecntiles\",\"transcript\"]}", 200, NULL },
		{ "/configure/participants//privacy", "{\"requestedPrivacyLevel\":[]}", 400,
		  "You are missing the path parameter externalID" },
		{ "/configure/participants/ok_nobody/privacy", "{\"requestedPrivacyLevel\":[]}", 400,
		  "Participant not found" },
		{ "/configure/participants/ok_participant2/privacy", "{}", 400,
		  "You are missing the body parameter requestedPrivacyLevel" },
		{ "/configure/participants/ok_participant2/privacy", "{\"requestedPrivacyLevel\":\"mhci\"}", 400,
		  "Invalid requestedPrivacyLevel. Should be an array with elements in ['mhci', "
		  "'groupPerecntiles', 'userPercentiles', 'transcript', 'features']." },
		{ "/no/such/path", "{}", 404, NULL },
	};
	struct engine *e = engine_at(sb.url, "demo-key", 5);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct expect *c = &cases[i];
		struct result *r = post(e, c->path, c->body);
		char sum[512];
		result_summary(r, sum, sizeof sum);
		ck_assert_msg(r->fail == FAIL_NONE && r->status == c->status,
			      "%s: expected %ld, got %s", c->path, c->status, sum);
		ck_assert_str_eq(r->method, "POST");
		ck_assert_str_eq(r->path, c->path);
		ck_assert(r->elapsed_ms > 0);
		if (c->status == 200) {
			ck_assert_str_eq(r->message, "success");
			ck_assert_str_eq(sum, "200 OK: success");
		}
		if (c->error) {
			ck_assert_msg(r->error && strcmp(r->error, c->error) == 0,
				      "%s: expected error \"%s\", got %s", c->path, c->error, sum);
			char want[512];
			snprintf(want, sizeof want, "400 Bad Request: %s", c->error);
			ck_assert_str_eq(sum, want);
		}
		result_free(r);
	}
	engine_free(e);
}
END_TEST

START_TEST(wrong_key_unauthorized)
{
	struct engine *e = engine_at(sb.url, "not-a-key", 5);
	struct result *r = post(e, "/configure/groups/123456/privacy", "{\"requestedPrivacyLevel\":[]}");
	ck_assert_int_eq(r->fail, FAIL_NONE);
	ck_assert_int_eq(r->status, 401);
	char sum[256];
	ck_assert_ptr_nonnull(strstr(result_summary(r, sum, sizeof sum), "401 Unauthorized"));
	ck_assert_ptr_null(strstr(sum, "not-a-key"));
	ck_assert_ptr_null(strstr(r->body, "not-a-key"));
	result_free(r);
	engine_free(e);
}
END_TEST

/* The sandbox's request log ({"total": N, "requests": [...]}), fetched
 * with a separate engine; the caller puts it. */
static struct json_object *sandbox_log(void)
{
	struct engine *e = engine_at(sb.url, "demo-key", 5);
	struct result *r = engine_request(e, "GET", "/_sandbox/requests", NULL, err, sizeof err);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->status, 200);
	struct json_object *log = json_object_get(r->json), *reqs;
	ck_assert_ptr_nonnull(log);
	ck_assert(json_object_object_get_ex(log, "requests", &reqs));
	result_free(r);
	engine_free(e);
	return log;
}

/* The logged request whose decoded target is `target`, or NULL. */
static struct json_object *logged(struct json_object *log, const char *target)
{
	struct json_object *reqs, *t;
	json_object_object_get_ex(log, "requests", &reqs);
	for (size_t i = 0; i < json_object_array_length(reqs); i++) {
		struct json_object *q = json_object_array_get_idx(reqs, i);
		if (json_object_object_get_ex(q, "target", &t) &&
		    strcmp(json_object_get_string(t), target) == 0)
			return q;
	}
	return NULL;
}

static const char *field(struct json_object *q, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(q, key, &v) ? json_object_get_string(v) : "";
}

START_TEST(bad_key_never_sent)
{
	struct engine *e = engine_at(sb.url, "demo-key", 5);
	struct engine_opts o = { .base_url = sb.url, .api_key = "demo-key\r\nX-Injected: yes" };
	ck_assert_int_eq(engine_configure(e, &o, err, sizeof err), -1);
	ck_assert_ptr_null(strstr(err, "demo-key"));
	o.api_key = "demo\n-key";
	ck_assert_ptr_null(engine_new(&o, err, sizeof err));
	engine_free(e);
	struct json_object *log = sandbox_log(), *reqs;
	json_object_object_get_ex(log, "requests", &reqs);
	for (size_t i = 0; i < json_object_array_length(reqs); i++) {
		const char *path = field(json_object_array_get_idx(reqs, i), "path");
		ck_assert_msg(strstr(path, "/configure") == NULL, "the sandbox saw %s", path);
	}
	json_object_put(log);
}
END_TEST

START_TEST(odd_participant_ids_are_one_segment)
{
	/* Encoded as one segment, each must reach the participant route as one
	 * ID: the fixture has a participant "ok/../x" (200); the others do not
	 * exist ("Participant not found"), and none may be a 404. */
	static const char *const paths[] = {
		"/configure/participants/ok%2F%2E%2E%2Fx/privacy",
		"/configure/participants/a%20b%3Fc%23d%25/privacy",
		"/configure/participants/%2E%2E/privacy",
	};
	struct engine *e = engine_at(sb.url, "demo-key", 5);
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		struct result *r = post(e, paths[i], "{\"requestedPrivacyLevel\":[]}");
		if (i == 0)
			ck_assert_msg(r->status == 200, "%s: %ld %s", paths[i], r->status, r->body);
		else
			ck_assert_msg(r->status == 400 && r->error &&
				      strcmp(r->error, "Participant not found") == 0,
				      "%s: %ld %s", paths[i], r->status, r->body);
		result_free(r);
	}
	engine_free(e);
	/* The server decoded each back to the one ID that was meant, and saw
	 * the headers the contract asks for. */
	struct json_object *log = sandbox_log();
	struct json_object *q = logged(log, "participant \"ok/../x\"");
	ck_assert_ptr_nonnull(q);
	ck_assert_str_eq(field(q, "path"), paths[0]);
	ck_assert_str_eq(field(q, "method"), "POST");
	ck_assert_str_eq(field(q, "contentType"), "application/json");
	ck_assert_str_eq(field(q, "accept"), "application/json");
	ck_assert_str_eq(field(q, "userAgent"), "okaya-privacy/" OKAYA_VERSION);
	ck_assert_str_eq(field(q, "hasApiKey"), "true");
	ck_assert_ptr_nonnull(logged(log, "participant \"a b?c#d%\""));
	ck_assert_ptr_nonnull(logged(log, "participant \"..\""));
	json_object_put(log);
}
END_TEST

START_TEST(many_requests_reuse_connections)
{
	struct engine_opts o = { .base_url = sb.url, .api_key = "demo-key", .timeout_s = 20,
				 .max_connections = 8 };
	struct engine *e = engine_new(&o, err, sizeof err);
	ck_assert_ptr_nonnull(e);
	static int tags[100];
	for (int i = 0; i < 100; i++) {
		tags[i] = i;
		const char *path = i % 2 ? "/configure/groups/123456/privacy"
					 : "/configure/participants/ok_participant2/privacy";
		ck_assert_int_gt(engine_start(e, "POST", path, "{\"requestedPrivacyLevel\":[\"mhci\"]}",
					      &tags[i], err, sizeof err), 0);
	}
	ck_assert_int_eq(engine_pending(e), 100);
	engine_run(e);
	ck_assert_int_eq(engine_pending(e), 100); /* done, not yet taken */
	bool seen[100] = { false };
	struct result *r;
	void *tag;
	int n = 0;
	while ((r = engine_take_done(e, &tag))) {
		int i = *(int *)tag;
		ck_assert(!seen[i]);
		seen[i] = true;
		ck_assert_msg(r->status == 200, "request %d: %ld %s", i, r->status,
			      r->fail_text ? r->fail_text : r->body);
		result_free(r);
		n++;
	}
	ck_assert_int_eq(n, 100);
	ck_assert_int_eq(engine_pending(e), 0);
	struct engine_stats st;
	engine_get_stats(e, &st);
	ck_assert_int_eq(st.completed, 100);
	/* 8 in flight at most: each connection is reused, not one per request. */
	ck_assert_msg(st.connects >= 1 && st.connects <= 8, "%ld connections for 100 requests",
		      st.connects);
	ck_assert_int_le(st.pooled_handles, 8);
	engine_free(e);
}
END_TEST

/* Drives the engine the way the TUI does, with a pipe standing in for the
 * terminal at fds[0]. */
START_TEST(event_loop_use)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	struct engine *e = engine_at(sb.url, "demo-key", 5);
	int tag = 7;
	long id = engine_start(e, "GET", "/groups", NULL, &tag, err, sizeof err);
	ck_assert_int_gt(id, 0);
	struct pollfd fds[16];
	struct result *r = NULL;
	void *got = NULL;
	for (int rounds = 0; !r && rounds < 1000; rounds++) {
		fds[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
		int timeout;
		int n = engine_pollfds(e, fds + 1, 15, &timeout);
		ck_assert_int_ge(timeout, -1);
		ck_assert_int_ne(timeout, -1); /* something is in flight */
		poll(fds, (nfds_t)n + 1, timeout);
		engine_dispatch(e, fds + 1, n);
		r = engine_take_done(e, &got);
	}
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_eq(got, &tag);
	ck_assert_int_eq(r->status, 200);
	ck_assert_ptr_nonnull(r->json);
	ck_assert(json_object_is_type(r->json, json_type_array));
	int timeout;
	ck_assert_int_eq(engine_pollfds(e, fds, 16, &timeout) >= 0, 1);
	ck_assert_int_eq(timeout, -1); /* idle: nothing to wait for */
	result_free(r);
	engine_free(e);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(cancel_mid_request)
{
	struct engine *e = engine_at(sb.url, "demo-key", 10);
	int tag = 1;
	long id = engine_start(e, "POST", "/configure/groups/123456/privacy",
			       "{\"requestedPrivacyLevel\":[]}", &tag, err, sizeof err);
	long second = engine_start(e, "GET", "/groups", NULL, NULL, err, sizeof err);
	ck_assert_int_gt(id, 0);
	/* Let it get onto the wire, then give up on it. */
	struct pollfd fds[8];
	for (int i = 0; i < 5; i++) {
		int timeout;
		int n = engine_pollfds(e, fds, 8, &timeout);
		poll(fds, (nfds_t)n, timeout < 0 || timeout > 50 ? 50 : timeout);
		engine_dispatch(e, fds, n);
	}
	ck_assert_ptr_null(engine_take_done(e, NULL)); /* the sandbox is slow */
	engine_cancel(e, id);
	engine_cancel(e, second);
	engine_cancel(e, id);      /* twice: harmless */
	engine_cancel(e, 424242);  /* unknown: harmless */
	ck_assert_int_eq(engine_pending(e), 2);
	void *got;
	struct result *r = engine_take_done(e, &got);
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_eq(got, &tag);
	ck_assert_int_eq(r->fail, FAIL_CANCELLED);
	ck_assert_int_eq(r->status, 0);
	ck_assert(r->elapsed_ms < 1500);
	char sum[128];
	ck_assert_str_eq(result_summary(r, sum, sizeof sum), "cancelled");
	result_free(r);
	r = engine_take_done(e, NULL);
	ck_assert_int_eq(r->fail, FAIL_CANCELLED);
	result_free(r);
	ck_assert_int_eq(engine_pending(e), 0);

	/* engine_free with requests in flight cancels and frees them. */
	ck_assert_int_gt(engine_start(e, "GET", "/groups", NULL, NULL, err, sizeof err), 0);
	for (int i = 0; i < 3; i++) {
		int timeout;
		int n = engine_pollfds(e, fds, 8, &timeout);
		poll(fds, (nfds_t)n, 20);
		engine_dispatch(e, fds, n);
	}
	engine_free(e);
}
END_TEST

START_TEST(timeout_in_plain_words)
{
	struct engine *e = engine_at(sb.url, "demo-key", 1);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct result *r = engine_request(e, "GET", "/groups", NULL, err, sizeof err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->fail, FAIL_TIMEOUT);
	ck_assert_int_eq(r->status, 0);
	ck_assert_ptr_nonnull(strstr(r->fail_text, "timed out after 1 s"));
	ck_assert_msg(ms >= 950 && ms < 2500, "took %.0f ms", ms);
	result_free(r);
	engine_free(e);
}
END_TEST

START_TEST(html_bad_gateway)
{
	struct engine *e = engine_at(sb.url, "demo-key", 5);
	struct result *r = post(e, "/configure/groups/123456/privacy", "{\"requestedPrivacyLevel\":[]}");
	ck_assert_int_eq(r->fail, FAIL_NONE);
	ck_assert_int_eq(r->status, 502);
	ck_assert_ptr_null(r->json);
	ck_assert_ptr_null(r->error);
	ck_assert_ptr_nonnull(r->content_type);
	ck_assert_ptr_nonnull(strstr(r->content_type, "text/html"));
	ck_assert_uint_gt(r->body_len, 0);
	ck_assert_ptr_nonnull(strstr(r->body, "<"));
	char sum[256];
	ck_assert_str_eq(result_summary(r, sum, sizeof sum),
			 "502 Bad Gateway (text/html body, not JSON)");
	result_free(r);
	engine_free(e);
}
END_TEST

START_TEST(redirect_not_followed)
{
	struct engine *e = engine_at(sb.url, "demo-key", 5);
	struct result *r = post(e, "/configure/groups/123456/privacy", "{\"requestedPrivacyLevel\":[]}");
	ck_assert_int_eq(r->fail, FAIL_REDIRECT);
	ck_assert_int_ge(r->status, 300);
	ck_assert_int_lt(r->status, 400);
	ck_assert_str_eq(r->fail_text, "redirected to http://evil.example/steal (not followed)");
	char sum[256];
	ck_assert_ptr_nonnull(strstr(result_summary(r, sum, sizeof sum), "(not followed)"));
	result_free(r);
	engine_free(e);
}
END_TEST

START_TEST(rate_limited_with_retry_after)
{
	struct engine *e = engine_at(sb.url, "demo-key", 5);
	struct result *r = NULL;
	int i;
	for (i = 0; i < 5; i++) {
		r = post(e, "/configure/groups/123456/privacy", "{\"requestedPrivacyLevel\":[]}");
		if (r->status == 429)
			break;
		ck_assert_int_eq(r->status, 200);
		ck_assert_int_eq(r->retry_after_s, -1);
		result_free(r);
		r = NULL;
	}
	ck_assert_msg(r != NULL, "no 429 after 5 requests with --rate-limit 2");
	ck_assert_int_eq(i, 2);
	ck_assert_int_eq(r->retry_after_s, 1);
	ck_assert_ptr_nonnull(r->error);
	char sum[256];
	ck_assert_ptr_nonnull(strstr(result_summary(r, sum, sizeof sum), "429 Too Many Requests: "));
	result_free(r);
	engine_free(e);
}
END_TEST

static void sandbox_limited(void)
{
	static const char *const a[] = { "--rate-limit", "2", NULL };
	start_sandbox(a);
}

static void sandbox_slow(void)
{
	static const char *const a[] = { "--delay-ms", "1500", NULL };
	start_sandbox(a);
}
static void sandbox_html(void)
{
	static const char *const a[] = { "--html", NULL };
	start_sandbox(a);
}
static void sandbox_redirect(void)
{
	static const char *const a[] = { "--redirect", "http://evil.example/steal", NULL };
	start_sandbox(a);
}

static TCase *with_sandbox(const char *name, void (*setup)(void))
{
	TCase *tc = tcase_create(name);
	tcase_add_unchecked_fixture(tc, setup, sandbox_stop);
	tcase_set_timeout(tc, 20);
	return tc;
}

int main(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("local");
	tcase_add_test(tc, options_checked);
	tcase_add_test(tc, status_texts);
	tcase_add_test(tc, connection_refused);
	tcase_add_test(tc, unknown_host);
	tcase_add_test(tc, body_cut_at_limit);
	tcase_add_test(tc, retry_after_read);
	tcase_add_test(tc, retry_after_clamped);
	tcase_add_test(tc, server_strings_mended);
	tcase_add_test(tc, echoed_key_blanked);
	tcase_add_test(tc, untrusted_certificate);
	suite_add_tcase(s, tc);

	tc = with_sandbox("sandbox", sandbox_plain);
	tcase_add_test(tc, documented_answers);
	tcase_add_test(tc, group_keys_blanked);
	tcase_add_test(tc, wrong_key_unauthorized);
	tcase_add_test(tc, odd_participant_ids_are_one_segment);
	tcase_add_test(tc, many_requests_reuse_connections);
	tcase_add_test(tc, event_loop_use);
	suite_add_tcase(s, tc);

	/* Its own sandbox, so the request log holds nothing from other tests. */
	tc = with_sandbox("fresh", sandbox_plain);
	tcase_add_test(tc, bad_key_never_sent);
	suite_add_tcase(s, tc);

	tc = with_sandbox("slow", sandbox_slow);
	tcase_add_test(tc, cancel_mid_request);
	tcase_add_test(tc, timeout_in_plain_words);
	suite_add_tcase(s, tc);

	tc = with_sandbox("html", sandbox_html);
	tcase_add_test(tc, html_bad_gateway);
	suite_add_tcase(s, tc);

	tc = with_sandbox("limited", sandbox_limited);
	tcase_add_test(tc, rate_limited_with_retry_after);
	suite_add_tcase(s, tc);

	tc = with_sandbox("redirect", sandbox_redirect);
	tcase_add_test(tc, redirect_not_followed);
	suite_add_tcase(s, tc);

	return test_run_suite(s);
}
