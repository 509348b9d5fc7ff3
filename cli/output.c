/* output: result lines for people (ok on stdout, the rest on stderr), one
 * JSON object per result for scripts (--json, all on stdout), the request
 * a dry run would send, and the equivalent curl command. */
#include "run.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "history.h"

static const char *outcome_name(enum job_outcome oc)
{
	switch (oc) {
	case JOB_OK: return "ok";
	case JOB_REFUSED: return "refused";
	case JOB_FAILED: return "failed";
	case JOB_UNAUTHORISED: return "unauthorised";
	case JOB_CANCELLED: return "cancelled";
	case JOB_NOT_SENT: return "not_sent";
	case JOB_PENDING: break;
	}
	return "pending";
}

/* Adds the fields every object shares: line, kind, target, flags. */
static struct json_object *job_json(const struct job *j)
{
	struct json_object *obj = json_object_new_object();
	if (j->line > 0)
		json_object_object_add(obj, "line", json_object_new_int(j->line));
	json_object_object_add(obj, "kind", json_object_new_string(target_kind_name(j->kind)));
	json_object_object_add(obj, "target", json_object_new_string(j->id));
	json_object_object_add(obj, "flags", level_to_json(j->level));
	return obj;
}

static void json_print(struct json_object *obj)
{
	fputs(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
					     JSON_C_TO_STRING_NOSLASHESCAPE), stdout);
	fputc('\n', stdout);
	json_object_put(obj);
}

static struct json_object *string_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

/* Written, then no answer (timeout, broken connection): it may have been
 * applied, and people must be told so. */
static bool lost_after_sending(const struct result *r)
{
	return r->sent && r->fail != FAIL_NONE && r->fail != FAIL_REDIRECT &&
	       r->fail != FAIL_CANCELLED;
}

/* What went wrong, in one phrase, for a result that was not a success. */
static const char *failure_text(const struct result *r, char *buf, size_t len)
{
	if (lost_after_sending(r))
		return history_outcome_text(r, buf, len);
	if (r->fail != FAIL_NONE && r->fail_text)
		return r->fail_text;
	if (r->error)
		return r->error;
	return result_summary(r, buf, len);
}

void output_result(const struct cli_opts *o, const struct job *j, const struct result *r,
		   const char *why)
{
	char buf[512];
	if (o->json) {
		struct json_object *obj = job_json(j);
		json_object_object_add(obj, "outcome", json_object_new_string(outcome_name(j->outcome)));
		json_object_object_add(obj, "status", j->status ? json_object_new_int64(j->status) : NULL);
		json_object_object_add(obj, "message", string_or_null(r ? r->message : NULL));
		/* The cause and, when there is one, why we stopped there:
		 * "503 Service Unavailable (...); gave up after 3 tries". */
		char both[1024];
		const char *error = why;
		if (r && j->outcome != JOB_OK) {
			error = failure_text(r, buf, sizeof buf);
			if (why) {
				snprintf(both, sizeof both, "%s; %s", error, why);
				error = both;
			}
		}
		json_object_object_add(obj, "error", string_or_null(error));
		char ms[32];
		snprintf(ms, sizeof ms, "%.1f", j->elapsed_ms);
		json_object_object_add(obj, "elapsed_ms", json_object_new_double_s(j->elapsed_ms, ms));
		json_object_object_add(obj, "tries", json_object_new_int(j->tries));
		json_print(obj);
		return;
	}
	if (o->quiet && j->outcome == JOB_OK)
		return;
	FILE *out = j->outcome == JOB_OK ? stdout : stderr;
	char flags[128], line[32] = "", ms[48] = "";
	level_format(j->level, flags, sizeof flags);
	if (j->line > 0)
		snprintf(line, sizeof line, "line %d: ", j->line);
	const char *word = j->outcome == JOB_NOT_SENT ? "not sent" : outcome_name(j->outcome);
	if (r && r->fail != FAIL_CANCELLED)
		snprintf(ms, sizeof ms, " [%.0f ms%s]", j->elapsed_ms, j->tries > 1 ? ", retried" : "");
	/* The ID and the server's words are outside text: cli_say cleans them. */
	cli_say(out, "%s%s: %s %s <- %s%s%s%s%s%s%s\n", line, word, target_kind_name(j->kind), j->id,
		flags, r ? ": " : "", r ? (lost_after_sending(r) ? history_outcome_text(r, buf, sizeof buf)
					   : result_summary(r, buf, sizeof buf)) : "",
		why ? " (" : "", why ? why : "", why ? ")" : "", ms);
}

/* URL exactly as the engine builds it: base without trailing '/' + path. */
static char *request_url(const char *base, const char *path)
{
	size_t blen = strlen(base);
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	size_t plen = strlen(path);
	char *url = malloc(blen + plen + 1);
	if (url) {
		memcpy(url, base, blen);
		memcpy(url + blen, path, plen + 1);
	}
	return url;
}

/* Writes s as one single-quoted shell word: ' becomes '\''. */
static void shell_quote(FILE *out, const char *s)
{
	fputc('\'', out);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", out);
		else
			fputc(*s, out);
	}
	fputc('\'', out);
}

void output_call(const struct cli_opts *o, const char *base_url, const char *method,
		 const char *path, const char *body, int line, struct json_object *obj)
{
	char *url = path ? request_url(base_url, path) : NULL;
	if (!url) {
		cli_error("out of memory");
		json_object_put(obj);
		return;
	}
	if (o->curl) {
		/* The key stays in the environment: the command names the variable. */
		printf("curl -sS -g -X %s ", method);
		shell_quote(stdout, url);
		fputs(" -H \"x-api-key: $OKAYA_API_KEY\"", stdout);
		if (body)
			fputs(" -H 'Content-Type: application/json'", stdout);
		fputs(" -H 'Accept: application/json'", stdout);
		if (body) {
			fputs(" --data-raw ", stdout);
			shell_quote(stdout, body);
		}
		fputc('\n', stdout);
	} else if (o->json) {
		if (!obj)
			obj = json_object_new_object();
		json_object_object_add(obj, "method", json_object_new_string(method));
		json_object_object_add(obj, "url", json_object_new_string(url));
		json_object_object_add(obj, "body", body ? json_tokener_parse(body) : NULL);
		json_print(obj);
		obj = NULL;
	} else {
		if (line > 0)
			printf("line %d: ", line);
		printf("%s %s%s%s\n", method, url, body ? " " : "", body ? body : "");
	}
	json_object_put(obj);
	free(url);
}

void output_request(const struct cli_opts *o, const char *base_url, const struct job *j)
{
	struct target t;
	job_target(j, &t);
	char *path = target_privacy_path(&t);
	char *body = level_request_body(j->level);
	if (!path || !body)
		cli_error("out of memory");
	else
		output_call(o, base_url, "POST", path, body, j->line, o->json ? job_json(j) : NULL);
	free(path);
	free(body);
}

void output_summary(const struct cli_opts *o, const struct run_stats *st)
{
	bool clean = st->ok == st->total;
	if (o->quiet && clean)
		return;
	fprintf(stderr, "%zu %s: %zu sent, %zu succeeded, %zu refused, %zu failed",
		st->total, st->total == 1 ? "change" : "changes", st->sent, st->ok,
		st->refused, st->failed);
	if (st->unauthorised)
		fprintf(stderr, ", %zu unauthorised", st->unauthorised);
	if (st->cancelled)
		fprintf(stderr, ", %zu cancelled (may or may not have been applied)", st->cancelled);
	fprintf(stderr, ", %zu not sent; %zu requests in %.1f s\n", st->not_sent, st->requests,
		st->elapsed_ms / 1000.0);
	if (st->stopped)
		fprintf(stderr, "stopped: the server answered 401 Unauthorized, so the key is "
			"wrong for every line; check it and run the lines not sent again\n");
	if (st->interrupted)
		fprintf(stderr, "interrupted: the lines marked \"not sent\" were not sent\n");
}
