/* Unit tests for core/history: the audit log on a real file system. */
#include <errno.h>
#include <json-c/json.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "engine.h"
#include "history.h"
#include "testutil.h"

static char err[512];
static char dir[256];
static char path[512];

static void remove_tree(const char *d)
{
	pid_t pid = fork();
	if (pid == 0) {
		execlp("rm", "rm", "-rf", d, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/okaya-history-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/state/okaya-privacy/history.jsonl", dir);
}

static void teardown(void)
{
	remove_tree(dir);
}

/* A set entry for target (kind, id), borrowing nothing. */
static void make_set(struct history_entry *e, enum target_kind kind, const char *id,
		     time_t when)
{
	memset(e, 0, sizeof *e);
	e->when = when;
	strcpy(e->action, HISTORY_SET);
	e->kind = kind;
	snprintf(e->id, sizeof e->id, "%s", id);
	e->has_before = true;
	e->before = FLAG_MHCI;
	e->after = FLAG_MHCI | FLAG_GROUP_PERCENTILES | FLAG_TRANSCRIPT;
	e->status = 200;
}

static void append_ok(const struct history_entry *e)
{
	err[0] = '\0';
	ck_assert_msg(history_append(path, e, err, sizeof err) == 0, "append: %s", err);
}

static struct json_object *only_line(void)
{
	FILE *fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	char line[8192];
	ck_assert_ptr_nonnull(fgets(line, sizeof line, fp));
	char extra[8];
	ck_assert_ptr_null(fgets(extra, sizeof extra, fp));
	fclose(fp);
	ck_assert_int_eq(line[strlen(line) - 1], '\n');
	struct json_object *o = json_tokener_parse(line);
	ck_assert_ptr_nonnull(o);
	return o;
}

/* The line's member names, sorted and joined by commas. */
static void member_names(struct json_object *o, char *buf, size_t len)
{
	const char *names[32];
	int n = 0;
	json_object_object_foreach(o, k, v) {
		(void)v;
		ck_assert_int_lt(n, 32);
		names[n++] = k;
	}
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			const char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		strncat(buf, names[i], len - strlen(buf) - 1);
		if (i + 1 < n)
			strncat(buf, ",", len - strlen(buf) - 1);
	}
}

START_TEST(set_roundtrip_every_field)
{
	struct history_entry e;
	make_set(&e, TARGET_GROUP, "1712345678901234567", 1714555800);
	e.status = 400;
	e.message = "not used";
	e.error = "Group not found";
	e.elapsed_ms = 12.34;
	e.base_url = "http://127.0.0.1:8080";
	append_ok(&e);

	struct history_entry *got = NULL;
	size_t n = 9, bad = 9;
	ck_assert_int_eq(history_read(path, NULL, &got, &n, &bad, err, sizeof err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(bad, 0);
	ck_assert_int_eq(got[0].when, 1714555800);
	ck_assert_str_eq(got[0].action, "set");
	ck_assert_int_eq(got[0].kind, TARGET_GROUP);
	ck_assert_str_eq(got[0].id, "1712345678901234567");
	ck_assert(got[0].has_before);
	ck_assert_uint_eq(got[0].before, FLAG_MHCI);
	ck_assert_uint_eq(got[0].after, FLAG_MHCI | FLAG_GROUP_PERCENTILES | FLAG_TRANSCRIPT);
	ck_assert_str_eq(got[0].email_type, "");
	ck_assert_int_eq(got[0].status, 400);
	ck_assert_str_eq(got[0].message, "not used");
	ck_assert_str_eq(got[0].error, "Group not found");
	ck_assert_double_eq_tol(got[0].elapsed_ms, 12.3, 1e-9);
	ck_assert_str_eq(got[0].base_url, "http://127.0.0.1:8080");
	history_entries_free(got, n);

	/* On disk: UTC ISO 8601, the API's own flag spelling, ID as a string. */
	struct json_object *o = only_line();
	struct json_object *v;
	ck_assert(json_object_object_get_ex(o, "time", &v));
	ck_assert_str_eq(json_object_get_string(v), "2024-05-01T09:30:00Z");
	ck_assert(json_object_object_get_ex(o, "id", &v));
	ck_assert(json_object_is_type(v, json_type_string));
	ck_assert(json_object_object_get_ex(o, "after", &v));
	ck_assert_str_eq(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
			 "[\"mhci\",\"groupPerecntiles\",\"transcript\"]");
	json_object_put(o);
}
END_TEST

START_TEST(notify_roundtrip)
{
	struct history_entry e = { .when = 1714555800, .kind = TARGET_PARTICIPANT,
				   .status = 200, .message = "success", .elapsed_ms = 3 };
	strcpy(e.action, HISTORY_NOTIFY);
	strcpy(e.id, "ok_ü/..?#x");
	strcpy(e.email_type, "privacyRequest");
	append_ok(&e);

	struct history_entry *got = NULL;
	size_t n = 0;
	ck_assert_int_eq(history_read(path, NULL, &got, &n, NULL, err, sizeof err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(got[0].action, "notify");
	ck_assert_int_eq(got[0].kind, TARGET_PARTICIPANT);
	ck_assert_str_eq(got[0].id, "ok_ü/..?#x");
	ck_assert_str_eq(got[0].email_type, "privacyRequest");
	ck_assert(!got[0].has_before);
	ck_assert_str_eq(got[0].message, "success");
	ck_assert_ptr_null(got[0].error);
	ck_assert_ptr_null(got[0].base_url);
	ck_assert_double_eq_tol(got[0].elapsed_ms, 3.0, 1e-9);
	history_entries_free(got, n);
}
END_TEST

/* The struct has no key field; the line holds the documented members only. */
START_TEST(exactly_the_documented_fields)
{
	char names[512];
	struct history_entry e;
	make_set(&e, TARGET_GROUP, "42", time(NULL));
	e.has_before = false;
	e.message = "success";
	e.base_url = "https://api.okaya.me";
	append_ok(&e);
	struct json_object *o = only_line();
	member_names(o, names, sizeof names);
	ck_assert_str_eq(names, "action,after,baseUrl,before,elapsedMs,id,kind,message,status,time");
	struct json_object *v = (struct json_object *)1;
	ck_assert(json_object_object_get_ex(o, "before", &v));
	ck_assert_ptr_null(v); /* unknown: null */
	json_object_put(o);
	unlink(path);

	/* A known before says where it came from, and reads back. */
	e.has_before = true;
	e.before = FLAG_MHCI;
	strcpy(e.before_source, HISTORY_BEFORE_HERE);
	append_ok(&e);
	o = only_line();
	member_names(o, names, sizeof names);
	ck_assert_str_eq(names, "action,after,baseUrl,before,beforeSource,elapsedMs,id,kind,"
			 "message,status,time");
	json_object_put(o);
	struct history_entry *got;
	size_t n, bad;
	ck_assert_int_eq(history_read(path, NULL, &got, &n, &bad, err, sizeof err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(got[0].before_source, "here");
	ck_assert_uint_eq(got[0].before, FLAG_MHCI);
	history_entries_free(got, n);
	unlink(path);
	strcpy(e.before_source, "guess");
	ck_assert_int_eq(history_append(path, &e, err, sizeof err), -1);
	e.before_source[0] = '\0';

	memset(&e, 0, sizeof e);
	strcpy(e.action, HISTORY_NOTIFY);
	strcpy(e.id, "ok_1");
	e.kind = TARGET_PARTICIPANT;
	strcpy(e.email_type, "privacyRequest");
	e.status = 400;
	e.error = "Participant not found";
	e.base_url = "https://api.okaya.me";
	append_ok(&e);
	o = only_line();
	member_names(o, names, sizeof names);
	ck_assert_str_eq(names, "action,baseUrl,elapsedMs,emailType,error,id,kind,status,time");
	json_object_put(o);
}
END_TEST

START_TEST(incomplete_entries_refused)
{
	struct history_entry e;
	make_set(&e, TARGET_GROUP, "", 1);
	ck_assert_int_eq(history_append(path, &e, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "ID"));
	make_set(&e, TARGET_GROUP, "1", 1);
	strcpy(e.action, HISTORY_NOTIFY);
	ck_assert_int_eq(history_append(path, &e, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "email type"));
	e.action[0] = '\0';
	ck_assert_int_eq(history_append(path, &e, err, sizeof err), -1);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), -1); /* nothing written */
}
END_TEST

START_TEST(newest_first_filter_and_limit)
{
	struct history_entry e;
	/* g1 p1 g2 g1 p1 g1, times increasing */
	const char *ids[] = { "1", "ok_1", "2", "1", "ok_1", "1" };
	for (int i = 0; i < 6; i++) {
		make_set(&e, ids[i][0] == 'o' ? TARGET_PARTICIPANT : TARGET_GROUP, ids[i],
			 1000 + i);
		append_ok(&e);
	}
	struct history_entry *got;
	size_t n;
	ck_assert_int_eq(history_read(path, NULL, &got, &n, NULL, err, sizeof err), 0);
	ck_assert_uint_eq(n, 6);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(got[i].when, 1005 - (time_t)i);
	history_entries_free(got, n);

	struct history_filter f = { .id = "1" };
	ck_assert_int_eq(history_read(path, &f, &got, &n, NULL, err, sizeof err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(got[0].when, 1005);
	ck_assert_int_eq(got[1].when, 1003);
	ck_assert_int_eq(got[2].when, 1000);
	history_entries_free(got, n);

	f = (struct history_filter){ .by_kind = true, .kind = TARGET_PARTICIPANT };
	ck_assert_int_eq(history_read(path, &f, &got, &n, NULL, err, sizeof err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(got[0].when, 1004);
	ck_assert_int_eq(got[1].when, 1001);
	history_entries_free(got, n);

	/* Kind and ID together: participant "1" does not exist. */
	f = (struct history_filter){ .by_kind = true, .kind = TARGET_PARTICIPANT, .id = "1" };
	ck_assert_int_eq(history_read(path, &f, &got, &n, NULL, err, sizeof err), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(got);

	/* Limits below, at and above the match count (the ring wraps or not). */
	for (size_t limit = 1; limit <= 7; limit++) {
		f = (struct history_filter){ .limit = limit };
		ck_assert_int_eq(history_read(path, &f, &got, &n, NULL, err, sizeof err), 0);
		ck_assert_uint_eq(n, limit < 6 ? limit : 6);
		for (size_t i = 0; i < n; i++)
			ck_assert_int_eq(got[i].when, 1005 - (time_t)i);
		history_entries_free(got, n);
	}
	f = (struct history_filter){ .id = "1", .limit = 2 };
	ck_assert_int_eq(history_read(path, &f, &got, &n, NULL, err, sizeof err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(got[0].when, 1005);
	ck_assert_int_eq(got[1].when, 1003);
	history_entries_free(got, n);
}
END_TEST

static void check_modes(void)
{
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	char d[512];
	snprintf(d, sizeof d, "%s/state/okaya-privacy", dir);
	ck_assert_int_eq(stat(d, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0700);
	snprintf(d, sizeof d, "%s/state", dir);
	ck_assert_int_eq(stat(d, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0700);
}

START_TEST(private_whatever_the_umask)
{
	struct history_entry e;
	make_set(&e, TARGET_GROUP, "1", 1);
	mode_t old = umask(0);
	append_ok(&e);
	check_modes();
	remove_tree(dir);
	ck_assert_int_eq(mkdir(dir, 0700), 0);

	umask(0377); /* would leave the file read-only and the dirs unusable */
	append_ok(&e);
	umask(old);
	check_modes();

	/* An existing file left readable by others is narrowed. */
	ck_assert_int_eq(chmod(path, 0644), 0);
	append_ok(&e);
	check_modes();
}
END_TEST

static void append_many(const char *id, int count)
{
	struct history_entry e;
	char why[256];
	make_set(&e, TARGET_GROUP, id, time(NULL));
	/* A long message so each line is several kilobytes. */
	char msg[HISTORY_TEXT_MAX + 1];
	memset(msg, id[0], HISTORY_TEXT_MAX);
	msg[HISTORY_TEXT_MAX] = '\0';
	e.message = msg;
	for (int i = 0; i < count; i++)
		if (history_append(path, &e, why, sizeof why) != 0)
			_exit(1);
	_exit(0);
}

START_TEST(concurrent_writers_never_interleave)
{
	pid_t kids[2];
	const char *ids[2] = { "1", "2" };
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		ck_assert_int_ge(kids[k], 0);
		if (kids[k] == 0)
			append_many(ids[k], 500);
	}
	for (int k = 0; k < 2; k++) {
		int status;
		ck_assert_int_eq(waitpid(kids[k], &status, 0), kids[k]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	struct history_entry *got;
	size_t n, bad;
	ck_assert_int_eq(history_read(path, NULL, &got, &n, &bad, err, sizeof err), 0);
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(n, 1000);
	size_t per[2] = { 0, 0 };
	for (size_t i = 0; i < n; i++) {
		int k = got[i].id[0] == '1' ? 0 : 1;
		per[k]++;
		ck_assert_uint_eq(strlen(got[i].message), HISTORY_TEXT_MAX);
		ck_assert_int_eq(got[i].message[0], got[i].id[0]);
		ck_assert_int_eq(got[i].message[HISTORY_TEXT_MAX - 1], got[i].id[0]);
	}
	ck_assert_uint_eq(per[0], 500);
	ck_assert_uint_eq(per[1], 500);
	history_entries_free(got, n);
}
END_TEST

/* Many writers at once (as `batch --jobs 16` run side by side): the file
 * holds every line and not one empty line. The torn-line guard used to
 * read the size while another write was landing and add a stray newline. */
START_TEST(parallel_writers_leave_no_blank_lines)
{
	enum { KIDS = 8, EACH = 150 };
	static const char *const ids[KIDS] = { "1", "2", "3", "4", "5", "6", "7", "8" };
	pid_t kids[KIDS];
	for (int k = 0; k < KIDS; k++) {
		kids[k] = fork();
		ck_assert_int_ge(kids[k], 0);
		if (kids[k] == 0)
			append_many(ids[k], EACH);
	}
	for (int k = 0; k < KIDS; k++) {
		int status;
		ck_assert_int_eq(waitpid(kids[k], &status, 0), kids[k]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	char *line = NULL;
	size_t cap = 0, lines = 0, blank = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lines++;
		if (len <= 1)
			blank++;
	}
	free(line);
	fclose(f);
	ck_assert_uint_eq(blank, 0);
	ck_assert_uint_eq(lines, KIDS * EACH);
}
END_TEST

static void write_raw(const char *text)
{
	FILE *fp = fopen(path, "a");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

START_TEST(corrupt_lines_skipped_and_counted)
{
	struct history_entry e;
	make_set(&e, TARGET_GROUP, "1", 100);
	append_ok(&e);
	write_raw("not json at all\n"
		  "\n"
		  "{}\n"
		  "[1,2]\n"
		  "{\"time\":\"2024-05-01T09:30:00Z\",\"action\":\"set\",\"kind\":\"group\","
		  "\"status\":200,\"after\":[]}\n"                               /* no id */
		  "{\"time\":\"yesterday\",\"action\":\"set\",\"kind\":\"group\",\"id\":\"1\","
		  "\"status\":200,\"after\":[]}\n"                               /* bad time */
		  "{\"time\":\"2024-05-01T09:30:00Z\",\"action\":\"set\",\"kind\":\"group\","
		  "\"id\":\"1\",\"status\":200,\"after\":[\"bogus\"]}\n"         /* bad flag */
		  "{\"time\":\"2024-05-01T09:30:00Z\",\"action\":\"notify\",\"kind\":\"group\","
		  "\"id\":\"1\",\"status\":200}\n"                               /* no emailType */
		  "{\"time\":\"2024-05-01T09:30:00Z\",\"action\":\"set\",\"kind\":\"group\","
		  "\"id\":1,\"status\":200,\"after\":[]}\n"                      /* numeric id */
		  "{\"a\":1}{\"b\":2}\n"
		  "{\"time\":\"2024-05-01T09:30:00Z\",\"action\":\"set\",\"ki"); /* cut short */
	/* The next append starts on a fresh line despite the cut one. */
	make_set(&e, TARGET_PARTICIPANT, "ok_2", 200);
	append_ok(&e);
	/* A hand-written valid line with no optional members is fine. */
	write_raw("{\"time\":\"2024-05-01T09:30:00.250Z\",\"action\":\"set\",\"kind\":\"group\","
		  "\"id\":\"3\",\"status\":0,\"after\":[]}\n");

	struct history_entry *got;
	size_t n, bad;
	ck_assert_int_eq(history_read(path, NULL, &got, &n, &bad, err, sizeof err), 0);
	ck_assert_uint_eq(bad, 10);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(got[0].id, "3");
	ck_assert_int_eq(got[0].when, 1714555800);
	ck_assert(!got[0].has_before);
	ck_assert_ptr_null(got[0].base_url);
	ck_assert_str_eq(got[1].id, "ok_2");
	ck_assert_str_eq(got[2].id, "1");
	history_entries_free(got, n);
}
END_TEST

START_TEST(missing_file_is_empty)
{
	struct history_entry *got = (struct history_entry *)1;
	size_t n = 5, bad = 5;
	ck_assert_int_eq(history_read(path, NULL, &got, &n, &bad, err, sizeof err), 0);
	ck_assert_ptr_null(got);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(bad, 0);

	/* A directory in the file's place is an error, with the path in it. */
	ck_assert_int_eq(history_read(dir, NULL, &got, &n, &bad, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, dir));
}
END_TEST

START_TEST(long_text_cut_on_utf8_boundary)
{
	struct history_entry e;
	make_set(&e, TARGET_GROUP, "1", 1);
	char msg[5001];
	/* 'x' then "é" pairs: byte HISTORY_TEXT_MAX falls mid-character. */
	msg[0] = 'x';
	for (int i = 1; i + 1 < 5000; i += 2)
		memcpy(msg + i, "\xc3\xa9", 2);
	msg[4999] = '\0';
	e.error = msg;
	append_ok(&e);
	struct history_entry *got;
	size_t n;
	ck_assert_int_eq(history_read(path, NULL, &got, &n, NULL, err, sizeof err), 0);
	ck_assert_uint_eq(n, 1);
	size_t len = strlen(got[0].error);
	ck_assert_uint_eq(len, HISTORY_TEXT_MAX - 1);
	ck_assert_int_eq((unsigned char)got[0].error[len - 1], 0xa9);
	ck_assert_int_eq(memcmp(got[0].error, msg, len), 0);
	history_entries_free(got, n);
}
END_TEST

START_TEST(entry_from_result)
{
	struct target t = { .kind = TARGET_PARTICIPANT };
	strcpy(t.id, "ok_7");
	struct result r = { .status = 400, .error = "Participant not found",
			    .elapsed_ms = 8.25, .body = "" };
	struct history_entry e;
	ck_assert_int_eq(history_entry_from_result(&e, HISTORY_SET, &t, &r,
						   "http://127.0.0.1:1"), 0);
	ck_assert_str_eq(e.action, "set");
	ck_assert_int_eq(e.kind, TARGET_PARTICIPANT);
	ck_assert_str_eq(e.id, "ok_7");
	ck_assert_int_eq(e.status, 400);
	ck_assert_ptr_null(e.message);
	ck_assert_str_eq(e.error, "Participant not found");
	ck_assert(e.error != r.error); /* a copy */
	ck_assert_str_eq(e.base_url, "http://127.0.0.1:1");
	ck_assert_int_le(labs((long)(e.when - time(NULL))), 2);
	e.after = FLAG_MHCI;
	append_ok(&e);
	history_entry_clear(&e);
	ck_assert_ptr_null(e.error);

	/* No response: the transport failure becomes the error. */
	struct result down = { .fail = FAIL_CONNECT, .fail_text = "connection refused",
			       .body = "" };
	ck_assert_int_eq(history_entry_from_result(&e, HISTORY_NOTIFY, &t, &down, NULL), 0);
	ck_assert_int_eq(e.status, 0);
	ck_assert_str_eq(e.error, "connection refused");
	ck_assert_ptr_null(e.base_url);
	history_entry_clear(&e);

	/* Written, then no answer: it may have been applied. */
	struct result lost = { .fail = FAIL_TIMEOUT, .fail_text = "timed out after 1 s",
			       .sent = true, .body = "" };
	ck_assert_int_eq(history_entry_from_result(&e, HISTORY_NOTIFY, &t, &lost, NULL), 0);
	ck_assert_str_eq(e.error, "unknown: may have been applied (timed out after 1 s)");
	history_entry_clear(&e);
	/* An HTML error page and a 200 without the success body: the summary. */
	struct result html = { .status = 500, .body = "<html>", .body_len = 6,
			       .content_type = "text/html" };
	ck_assert_int_eq(history_entry_from_result(&e, HISTORY_SET, &t, &html, NULL), 0);
	ck_assert_str_eq(e.error, "500 Internal Server Error (text/html body, not JSON)");
	history_entry_clear(&e);
	html.status = 200;
	ck_assert_int_eq(history_entry_from_result(&e, HISTORY_SET, &t, &html, NULL), 0);
	ck_assert_str_eq(e.error, "unconfirmed: 200 OK (text/html body, not JSON)");
	history_entry_clear(&e);

	/* Credentials in the base URL never reach the log. */
	const char *urls[][2] = {
		{ "http://user:pw@127.0.0.1:1", "http://127.0.0.1:1" },
		{ "https://a@b:c@api.okaya.me/v1?x@y", "https://api.okaya.me/v1?x@y" },
		{ "https://api.okaya.me/a@b", "https://api.okaya.me/a@b" },
	};
	for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
		ck_assert_int_eq(history_entry_from_result(&e, HISTORY_SET, &t, &r, urls[i][0]), 0);
		ck_assert_str_eq(e.base_url, urls[i][1]);
		history_entry_clear(&e);
	}
	history_entry_clear(NULL);
	history_entries_free(NULL, 0);
}
END_TEST

/* RLIMIT_FSIZE lets the kernel accept only part of a line: a real short
 * write, which must be reported, not retried into an interleaving. */
START_TEST(short_write_reported)
{
	struct history_entry e;
	make_set(&e, TARGET_GROUP, "1", 1);
	append_ok(&e);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit rl = { .rlim_cur = (rlim_t)st.st_size + 10,
				     .rlim_max = (rlim_t)st.st_size + 10 };
		char why[512] = "";
		int rc = setrlimit(RLIMIT_FSIZE, &rl) == 0 ?
			 history_append(path, &e, why, sizeof why) : 2;
		if (write(fds[1], why, strlen(why)) < 0)
			_exit(3);
		_exit(rc == -1 ? 0 : 1);
	}
	close(fds[1]);
	char why[512] = "";
	ssize_t got = read(fds[0], why, sizeof why - 1);
	close(fds[0]);
	why[got > 0 ? got : 0] = '\0';
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: %s", why);
	ck_assert_msg(strstr(why, "short write") != NULL, "message: %s", why);

	/* The torn line is skipped; the next append is readable. */
	append_ok(&e);
	struct history_entry *entries;
	size_t n, bad;
	ck_assert_int_eq(history_read(path, NULL, &entries, &n, &bad, err, sizeof err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(bad, 1);
	history_entries_free(entries, n);
}
END_TEST

START_TEST(default_path_sources)
{
	char *p;
	setenv("OKAYA_HISTORY", "/x/h.jsonl", 1);
	setenv("XDG_STATE_HOME", "/state", 1);
	setenv("HOME", "/home/u", 1);
	p = history_default_path();
	ck_assert_str_eq(p, "/x/h.jsonl");
	free(p);
	unsetenv("OKAYA_HISTORY");
	p = history_default_path();
	ck_assert_str_eq(p, "/state/okaya-privacy/history.jsonl");
	free(p);
	setenv("XDG_STATE_HOME", "relative", 1); /* ignored, as XDG says */
	p = history_default_path();
	ck_assert_str_eq(p, "/home/u/.local/state/okaya-privacy/history.jsonl");
	free(p);
	unsetenv("XDG_STATE_HOME");
	p = history_default_path();
	ck_assert_str_eq(p, "/home/u/.local/state/okaya-privacy/history.jsonl");
	free(p);
}
END_TEST

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Sanitizers slow everything several times over. */
#if defined(__SANITIZE_ADDRESS__)
#define SLOWDOWN 5
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLOWDOWN 5
#endif
#endif
#ifndef SLOWDOWN
#define SLOWDOWN 1
#endif

/* Writes `lines` copies of a real line, every 1000th one broken. */
static void fill_history(int lines)
{
	unlink(path);
	struct history_entry e;
	make_set(&e, TARGET_GROUP, "1", 1714555800);
	e.message = "success";
	e.base_url = "https://api.okaya.me";
	append_ok(&e);
	FILE *fp = fopen(path, "r");
	char line[1024];
	ck_assert_ptr_nonnull(fgets(line, sizeof line, fp));
	fclose(fp);
	fp = fopen(path, "a");
	for (int i = 1; i < lines; i++)
		fputs(i % 1000 == 0 ? "{broken\n" : line, fp);
	fclose(fp);
}

static double timed_read(const struct history_filter *f, size_t want_n, size_t want_bad)
{
	struct history_entry *got;
	size_t n, bad;
	double t0 = now_ms();
	ck_assert_int_eq(history_read(path, f, &got, &n, &bad, err, sizeof err), 0);
	double ms = now_ms() - t0;
	ck_assert_uint_eq(n, want_n);
	ck_assert_uint_eq(bad, want_bad);
	history_entries_free(got, n);
	return ms;
}

/* 100,000 lines read in one streaming pass: time grows linearly with the
 * file, and a limit keeps memory bounded. */
START_TEST(large_history_reads_fast)
{
	fill_history(10000);
	double small_ms = timed_read(NULL, 10000 - 9, 9);
	fill_history(100000);
	double all_ms = timed_read(NULL, 100000 - 99, 99);
	struct history_filter f = { .id = "1", .limit = 50 };
	/* Read from the end: the 50 newest lines hold no broken one. */
	double limited_ms = timed_read(&f, 50, 0);
	fprintf(stderr, "history: read 10000 lines in %.0f ms, 100000 in %.0f ms "
		"(%.0f ms with limit 50)\n", small_ms, all_ms, limited_ms);
	/* Linear is ~10x; quadratic would be ~100x. Budgets are generous for a
	 * shared machine: ~0.8 s is typical for 100,000 lines. */
	ck_assert_double_lt(all_ms, 30 * small_ms + 50);
	ck_assert_double_lt(all_ms, 3000.0 * SLOWDOWN);
	/* A limit stops early instead of reading the whole file. */
	ck_assert_double_lt(limited_ms, all_ms / 4 + 5);
}
END_TEST

/* Read backwards with a limit, the newest entries are exactly those of a
 * full read: lines spanning blocks, long ones, blank ones, broken ones and
 * a last line without its newline included. */
START_TEST(limit_reads_backwards_the_same)
{
	snprintf(path, sizeof path, "%s/raw.jsonl", dir);
	FILE *fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	size_t msg_max = 150000;
	char *msg = malloc(msg_max + 1);
	memset(msg, 'm', msg_max);
	for (int i = 0; i < 300; i++) {
		size_t len = (size_t)(i * 7919) % (i % 10 == 0 ? msg_max : 3000);
		if (i % 37 == 5)
			fputs("{broken\n", fp);
		if (i % 41 == 3)
			fputs("\n  \n", fp);
		fprintf(fp, "{\"time\":\"2024-05-01T09:30:00Z\",\"action\":\"set\","
			"\"kind\":\"group\",\"id\":\"%d\",\"before\":null,\"after\":[],"
			"\"status\":200,\"message\":\"%.*s\"}%s", i, (int)len, msg,
			i == 299 ? "" : "\n");
	}
	fclose(fp);
	free(msg);
	struct history_entry *all, *got;
	size_t n_all, n, bad;
	ck_assert_int_eq(history_read(path, NULL, &all, &n_all, &bad, err, sizeof err), 0);
	ck_assert_uint_eq(n_all, 300);
	ck_assert_uint_eq(bad, 8);
	static const size_t limits[] = { 1, 2, 3, 10, 31, 150, 299, 300, 301, 1000 };
	for (size_t l = 0; l < sizeof limits / sizeof limits[0]; l++) {
		struct history_filter f = { .limit = limits[l] };
		ck_assert_int_eq(history_read(path, &f, &got, &n, &bad, err, sizeof err), 0);
		ck_assert_uint_eq(n, limits[l] < 300 ? limits[l] : 300);
		for (size_t i = 0; i < n; i++) {
			ck_assert_str_eq(got[i].id, all[i].id);
			ck_assert_str_eq(got[i].message, all[i].message);
		}
		history_entries_free(got, n);
	}
	/* A line longer than HISTORY_LINE_MAX, between good ones, is one
	 * corrupt line either way. */
	fp = fopen(path, "a");
	fputs("\n{\"huge\":\"", fp);
	for (int i = 0; i < 1200; i++) /* 1.2 MB: over history.c's 1 MiB cap */
		fprintf(fp, "%01000d", 0);
	fputs("\"}\n", fp);
	fprintf(fp, "{\"time\":\"2024-05-01T09:30:00Z\",\"action\":\"set\","
		"\"kind\":\"group\",\"id\":\"last\",\"before\":null,\"after\":[],"
		"\"status\":200}\n");
	fclose(fp);
	history_entries_free(all, n_all);
	ck_assert_int_eq(history_read(path, NULL, &all, &n_all, &bad, err, sizeof err), 0);
	ck_assert_uint_eq(n_all, 301);
	ck_assert_uint_eq(bad, 9);
	struct history_filter lf = { .limit = 1000 };
	ck_assert_int_eq(history_read(path, &lf, &got, &n, &bad, err, sizeof err), 0);
	ck_assert_uint_eq(n, 301);
	ck_assert_uint_eq(bad, 9);
	ck_assert_str_eq(got[0].id, "last");
	ck_assert_str_eq(got[1].id, "299");
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(got[i].id, all[i].id);
	history_entries_free(got, n);

	struct history_filter f = { .id = "290", .limit = 1 };
	ck_assert_int_eq(history_read(path, &f, &got, &n, &bad, err, sizeof err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(strlen(got[0].message), (size_t)(290 * 7919) % msg_max);
	history_entries_free(got, n);
	history_entries_free(all, n_all);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("history");
	TCase *tc = tcase_create("history");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, set_roundtrip_every_field);
	tcase_add_test(tc, notify_roundtrip);
	tcase_add_test(tc, exactly_the_documented_fields);
	tcase_add_test(tc, incomplete_entries_refused);
	tcase_add_test(tc, newest_first_filter_and_limit);
	tcase_add_test(tc, private_whatever_the_umask);
	tcase_add_test(tc, concurrent_writers_never_interleave);
	tcase_add_test(tc, parallel_writers_leave_no_blank_lines);
	tcase_add_test(tc, corrupt_lines_skipped_and_counted);
	tcase_add_test(tc, missing_file_is_empty);
	tcase_add_test(tc, long_text_cut_on_utf8_boundary);
	tcase_add_test(tc, entry_from_result);
	tcase_add_test(tc, short_write_reported);
	tcase_add_test(tc, default_path_sources);
	tcase_add_test(tc, large_history_reads_fast);
	tcase_add_test(tc, limit_reads_backwards_the_same);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
