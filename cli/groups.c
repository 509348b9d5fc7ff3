/* groups: `okaya-privacy groups`, the enterprise's groups as GET /groups
 * gives them: ID, name, requested level, consentRequired. Group keys (gk_...)
 * are secrets: groups_parse never reads them, so nothing here can print them. */
#include "fetch.h"

#include <json-c/json.h>
#include <stdio.h>
#include "run.h"

static long start_groups(struct engine *e, const void *arg, char *err, size_t errlen)
{
	(void)arg;
	return api_get_groups(e, NULL, err, errlen);
}

int groups_fetch(struct engine *e, const struct cli_opts *o, bool report,
		 const struct target *t, struct group_info **g, size_t *n)
{
	char err[512];
	*g = NULL;
	*n = 0;
	struct result *r = fetch_run(e, o, start_groups, NULL, true, err, sizeof err);
	if (!r) {
		if (report)
			cli_error("%s", err);
		return EXIT_USAGE;
	}
	int rc = fetch_exit_code(r);
	if (rc != EXIT_OK) {
		if (report)
			fetch_report_failure(o, "GET /groups", t, r);
	} else if (groups_parse(r, g, n, err, sizeof err) != 0) {
		/* A 200 we cannot read is no usable answer. */
		if (report && o->json)
			fetch_print_json(fetch_result_json(t, "failed", r->status, NULL, err));
		else if (report)
			cli_say(stderr, "failed: GET /groups: %s\n", err);
		rc = EXIT_NO_ANSWER;
	}
	result_free(r);
	return rc;
}

/* Text for fields the server may send badly: never a made-up value. */
const char *groups_consent_text(int consent)
{
	return consent == 1 ? "yes" : consent == 0 ? "no" : "unknown";
}

void groups_requested_text(const struct group_info *g, char *buf, size_t len)
{
	if (g->has_requested)
		level_format(g->requested, buf, len);
	else
		snprintf(buf, len, "unknown");
}

struct json_object *groups_consent_json(int consent)
{
	return consent < 0 ? NULL : json_object_new_boolean(consent == 1);
}

static void print_group(const struct cli_opts *o, const struct group_info *g)
{
	if (o->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "kind", json_object_new_string("group"));
		json_object_object_add(obj, "target", json_object_new_string(g->id));
		json_object_object_add(obj, "name", json_object_new_string(g->name));
		json_object_object_add(obj, "flags", g->has_requested ? level_to_json(g->requested)
								      : NULL);
		json_object_object_add(obj, "consentRequired", groups_consent_json(g->consent));
		fetch_print_json(obj);
		return;
	}
	char flags[128];
	groups_requested_text(g, flags, sizeof flags);
	printf("%-19s %-7s %-48s ", g->id, groups_consent_text(g->consent), flags);
	fetch_put_text(stdout, g->name);
	putchar('\n');
}

int cmd_groups(const struct cli_opts *o, int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		cli_error("usage: groups (it takes no arguments)");
		return EXIT_USAGE;
	}
	struct session s;
	if (o->dry_run || o->curl) {
		int rc = session_open(&s, o, false);
		if (rc == 0) {
			output_call(o, s.base_url, "GET", "/groups", NULL, 0, NULL);
			session_close(&s);
		}
		return rc;
	}
	struct engine *e;
	int rc = fetch_open(&s, &e, o);
	if (rc != 0)
		return rc;
	struct group_info *g;
	size_t n;
	rc = groups_fetch(e, o, true, NULL, &g, &n);
	if (rc == EXIT_OK) {
		if (n == 0) {
			if (!o->quiet)
				fprintf(stderr, "this key's enterprise has no groups\n");
		} else if (!o->json)
			printf("%-19s %-7s %-48s %s\n", "GROUP", "CONSENT", "REQUESTED LEVEL", "NAME");
		for (size_t i = 0; i < n; i++)
			print_group(o, &g[i]);
		group_list_free(g, n);
	}
	engine_free(e);
	if (rc == EXIT_UNAUTHORISED)
		session_explain_401(&s);
	session_close(&s);
	return rc;
}
