/* notify: `okaya-privacy notify group|participant ID`, the privacyRequest
 * email that asks participants to review their privacy settings.
 *
 * Sending is the explicit command, so there is no prompt (scripts call it);
 * --dry-run and --curl show the request instead. It is never retried: a try
 * that timed out may still have sent the email, and a second would send it
 * twice. Every answer from the server goes to the history as "notify". */
#include "fetch.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include "history.h"
#include "run.h"

#define NOTIFY_EMAIL "privacyRequest"

static long start_email(struct engine *e, const void *arg, char *err, size_t errlen)
{
	return api_send_email(e, arg, NOTIFY_EMAIL, NULL, err, errlen);
}

/* The history line for an email that was sent, answered or not; a failure
 * to write is a warning, never an exit code (the email may be out either
 * way). */
static void record(struct session *s, const struct target *t, const struct result *r)
{
	if (!s->history_path || !(r->sent || r->status))
		return;
	struct history_entry h;
	char err[512] = "out of memory";
	int rc = history_entry_from_result(&h, HISTORY_NOTIFY, t, r, s->base_url);
	if (rc == 0) {
		snprintf(h.email_type, sizeof h.email_type, "%s", NOTIFY_EMAIL);
		rc = history_append(s->history_path, &h, err, sizeof err);
		history_entry_clear(&h);
	}
	if (rc != 0)
		cli_error("warning: the history could not be written (%s)",
			err);
}

static void report_success(const struct cli_opts *o, const struct target *t,
			   const struct result *r)
{
	char sum[512];
	if (o->json) {
		struct json_object *obj = fetch_result_json(t, "ok", r->status, r->message, NULL);
		json_object_object_add(obj, "emailType", json_object_new_string(NOTIFY_EMAIL));
		fetch_print_json(obj);
	} else if (!o->quiet) {
		printf("ok: %s email to %s %s: %s [%.0f ms]\n", NOTIFY_EMAIL,
		       target_kind_name(t->kind), t->id, result_summary(r, sum, sizeof sum),
		       r->elapsed_ms);
	}
}

static void report_unconfirmed(const struct cli_opts *o, const char *what,
			       const struct target *t, const struct result *r)
{
	char sum[512], text[640];
	snprintf(text, sizeof text, "unconfirmed: the server answered %s but not with the "
		 "API's success body; the email may or may not have been sent",
		 result_summary(r, sum, sizeof sum));
	if (!o->json) {
		cli_say(stderr, "failed: %s: %s\n", what, text);
		return;
	}
	struct json_object *obj = fetch_result_json(t, "unconfirmed", r->status, NULL, text);
	json_object_object_add(obj, "emailType", json_object_new_string(NOTIFY_EMAIL));
	fetch_print_json(obj);
}

/* --dry-run / --curl: the request, sent nowhere. */
static int print_request(const struct cli_opts *o, const struct target *t)
{
	struct session s;
	int rc = session_open(&s, o, false);
	if (rc != 0)
		return rc;
	char *path = target_email_path(t);
	struct json_object *body = json_object_new_object();
	json_object_object_add(body, "emailType", json_object_new_string(NOTIFY_EMAIL));
	struct json_object *obj = NULL;
	if (o->json) {
		obj = json_object_new_object();
		json_object_object_add(obj, "kind", json_object_new_string(target_kind_name(t->kind)));
		json_object_object_add(obj, "target", json_object_new_string(t->id));
	}
	output_call(o, s.base_url, "POST", path,
		    json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN), 0, obj);
	json_object_put(body);
	free(path);
	session_close(&s);
	return EXIT_OK;
}

int cmd_notify(const struct cli_opts *o, int argc, char **argv)
{
	if (argc != 3) {
		cli_error("usage: notify group|participant ID "
			"(see: help notify)");
		return EXIT_USAGE;
	}
	enum target_kind kind;
	if (target_kind_parse(argv[1], &kind) != 0) {
		cli_error("\"%s\" is not a kind of target: use group or "
			"participant", argv[1]);
		return EXIT_USAGE;
	}
	struct target t;
	char err[512];
	if (target_set(&t, kind, argv[2], err, sizeof err) != 0) {
		cli_error("%s", err);
		return EXIT_USAGE;
	}
	if (o->dry_run || o->curl)
		return print_request(o, &t);
	if (kind == TARGET_PARTICIPANT && participant_id_unusual(t.id) && !o->quiet)
		cli_error("note: participant IDs from Okaya usually begin "
			"with ok_; sending to \"%s\" as it is", t.id);
	struct session s;
	struct engine *e;
	int rc = fetch_open(&s, &e, o);
	if (rc != 0)
		return rc;
	struct result *r = fetch_run(e, o, start_email, &t, false, err, sizeof err);
	if (!r) {
		cli_error("%s", err);
		rc = EXIT_USAGE;
	} else {
		record(&s, &t, r);
		rc = fetch_exit_code(r);
		char what[PARTICIPANT_ID_MAX + 64];
		snprintf(what, sizeof what, "%s email to %s %s", NOTIFY_EMAIL,
			 target_kind_name(kind), t.id);
		if (rc == EXIT_OK && !result_confirmed(r)) {
			/* A 2xx without the API's success body (a proxy's page, a
			 * cut answer) does not prove the email went out. */
			rc = EXIT_NO_ANSWER;
			report_unconfirmed(o, what, &t, r);
		} else if (rc == EXIT_OK) {
			report_success(o, &t, r);
		} else {
			fetch_report_failure(o, what, &t, r);
		}
		result_free(r);
	}
	engine_free(e);
	if (rc == EXIT_UNAUTHORISED)
		session_explain_401(&s);
	session_close(&s);
	return rc;
}
