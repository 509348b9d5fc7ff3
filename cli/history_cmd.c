/* history_cmd: `okaya-privacy history [--target ID] [--kind K] [--limit N]`,
 * the local audit log (history.h), newest first, as a table or as one JSON
 * object per line in the file's own shape. Unreadable lines are skipped and
 * counted on stderr, never fatal. */
#include "fetch.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "history.h"

static void iso_time(time_t t, char *buf, size_t len)
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "?");
}

static bool is_set(const struct history_entry *h)
{
	return h->email_type[0] == '\0';
}

static void print_json(const struct history_entry *h)
{
	char when[32], ms[32];
	iso_time(h->when, when, sizeof when);
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "time", json_object_new_string(when));
	json_object_object_add(obj, "action", json_object_new_string(h->action));
	json_object_object_add(obj, "kind", json_object_new_string(target_kind_name(h->kind)));
	json_object_object_add(obj, "id", json_object_new_string(h->id));
	if (is_set(h)) {
		json_object_object_add(obj, "before", h->has_before ? level_to_json(h->before) : NULL);
		if (h->has_before && h->before_source[0])
			json_object_object_add(obj, "beforeSource",
					       json_object_new_string(h->before_source));
		json_object_object_add(obj, "after", level_to_json(h->after));
	} else {
		json_object_object_add(obj, "emailType", json_object_new_string(h->email_type));
	}
	json_object_object_add(obj, "status", json_object_new_int64(h->status));
	if (h->message)
		json_object_object_add(obj, "message", json_object_new_string(h->message));
	if (h->error)
		json_object_object_add(obj, "error", json_object_new_string(h->error));
	snprintf(ms, sizeof ms, "%.1f", h->elapsed_ms);
	json_object_object_add(obj, "elapsedMs", json_object_new_double_s(h->elapsed_ms, ms));
	json_object_object_add(obj, "baseUrl", h->base_url ? json_object_new_string(h->base_url)
							   : NULL);
	fetch_print_json(obj);
}

/* What was asked: "-> mhci" (before unknown), "mhci -> mhci,transcript
 * (+transcript)", or the email type. */
static void change_text(const struct history_entry *h, char *buf, size_t len)
{
	if (!is_set(h)) {
		snprintf(buf, len, "%s email", h->email_type);
		return;
	}
	char after[128], before[128], diff[160];
	level_format(h->after, after, sizeof after);
	if (!h->has_before) {
		snprintf(buf, len, "-> %s", after);
		return;
	}
	level_format(h->before, before, sizeof before);
	level_format_diff(h->before, h->after, diff, sizeof diff);
	/* Where before came from: the server's, or the last sent from here. */
	snprintf(buf, len, "%s%s%s%s -> %s%s%s%s", before, h->before_source[0] ? " [" : "",
		 h->before_source, h->before_source[0] ? "]" : "", after, diff[0] ? " (" : "",
		 diff, diff[0] ? ")" : "");
}

static void print_row(const struct history_entry *h)
{
	char when[32], change[512];
	iso_time(h->when, when, sizeof when);
	change_text(h, change, sizeof change);
	printf("%-20s  %-6s  %-11s  ", when, h->action, target_kind_name(h->kind));
	fetch_put_padded(stdout, h->id, 19);
	fputs("  ", stdout);
	printf("%4ld  ", h->status);
	fetch_put_padded(stdout, change, 60);
	fputs("  ", stdout);
	fetch_put_text(stdout, h->error ? h->error : h->message ? h->message : "");
	putchar('\n');
}

int cmd_history(const struct cli_opts *o, int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		cli_error("usage: history [--target ID] [--kind group|"
			"participant] [--limit N] [--json]");
		return EXIT_USAGE;
	}
	if (o->dry_run || o->curl) {
		/* It reads a local file: there is no request to show. */
		cli_error("history sends no request: --dry-run and --curl do not go with it");
		return EXIT_USAGE;
	}
	struct history_filter f = { .limit = (size_t)o->history_limit };
	if (o->history_kind) {
		if (target_kind_parse(o->history_kind, &f.kind) != 0) {
			cli_error("--kind wants group or participant, not "
				"\"%s\"", o->history_kind);
			return EXIT_USAGE;
		}
		f.by_kind = true;
	}
	/* The ID as set spells it: trimmed, and for a group without leading
	 * zeros (the history holds that spelling). */
	struct target t;
	char err[512];
	if (o->history_target) {
		if (target_set(&t, f.by_kind ? f.kind : TARGET_PARTICIPANT, o->history_target,
			       err, sizeof err) != 0) {
			cli_error("--target: %s", err);
			return EXIT_USAGE;
		}
		f.id = t.id;
	}
	char *path = history_default_path();
	if (!path) {
		cli_error("no history file: set OKAYA_HISTORY, "
			"XDG_STATE_HOME or HOME");
		return EXIT_USAGE;
	}
	struct history_entry *h;
	size_t n, corrupt;
	if (history_read(path, &f, &h, &n, &corrupt, err, sizeof err) != 0) {
		/* Not a usage error: the file is there but cannot be read. */
		cli_error("%s", err);
		free(path);
		return EXIT_NO_ANSWER;
	}
	if (corrupt)
		cli_error("warning: %zu corrupt %s skipped in %s", corrupt,
			corrupt == 1 ? "line" : "lines", path);
	if (n == 0) {
		if (!o->quiet)
			fprintf(stderr, "no history%s yet: requests that reach the server "
				"are recorded in %s\n", f.id || f.by_kind ? " for this filter" : "",
				path);
	} else if (!o->json) {
		printf("%-20s  %-6s  %-11s  %-19s  %4s  %-60s  %s\n", "TIME (UTC)", "ACTION",
		       "KIND", "ID", "HTTP", "CHANGE", "ANSWER");
	}
	for (size_t i = 0; i < n; i++) {
		if (o->json)
			print_json(&h[i]);
		else
			print_row(&h[i]);
	}
	history_entries_free(h, n);
	free(path);
	return EXIT_OK;
}
