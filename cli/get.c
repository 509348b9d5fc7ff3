/* get: `okaya-privacy get group|participant ID`, what the server says now.
 *
 * A group's requested level comes from GET /groups (the API has no
 * single-group read). A participant's memberships come from
 * GET /participants/ID, with group names from GET /groups when it answers;
 * their requested level cannot be read back at all, so the last level sent
 * from this machine (the recent list) stands in, labelled as such. */
#include "fetch.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "run.h"

/* Why a group can be missing from GET /groups: the two cases the privacy
 * call tells apart ("Group not found", "Group doesn't exist in associated
 * groups") look the same from the list. */
#define GROUP_MISSING "Group not found"
#define GROUP_MISSING_WHY "GET /groups does not list it (it belongs to another " \
			  "enterprise, or does not exist)"

/* The last level sent from here, for text ("last sent from this machine:
 * mhci (2024-05-01 09:30)", or "never sent from this machine") or
 * JSON ({"flags": [...], "when": "...Z"}, or null). */
static void last_sent_text(const struct recent *r, char *buf, size_t len)
{
	if (!r || !r->has_level) {
		snprintf(buf, len, "never sent from this machine");
		return;
	}
	char flags[128], when[64] = "";
	struct tm tm;
	level_format(r->level, flags, sizeof flags);
	if (r->when && localtime_r(&r->when, &tm))
		strftime(when, sizeof when, " (%Y-%m-%d %H:%M)", &tm);
	snprintf(buf, len, "last sent from this machine: %s%s", flags, when);
}

static struct json_object *last_sent_json(const struct recent *r)
{
	if (!r || !r->has_level)
		return NULL;
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "flags", level_to_json(r->level));
	char when[64];
	struct tm tm;
	if (r->when && gmtime_r(&r->when, &tm)) {
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_object_object_add(obj, "when", json_object_new_string(when));
	} else {
		json_object_object_add(obj, "when", NULL);
	}
	return obj;
}

static int show_group(const struct cli_opts *o, struct session *s, struct engine *e,
		      const struct target *t)
{
	struct group_info *g;
	size_t n;
	int rc = groups_fetch(e, o, true, t, &g, &n);
	if (rc != EXIT_OK)
		return rc;
	const struct group_info *found = NULL;
	for (size_t i = 0; i < n && !found; i++)
		if (strcmp(g[i].id, t->id) == 0)
			found = &g[i];
	const struct recent *last = config_recent_find(s->config, TARGET_GROUP, t->id);
	if (!found) {
		rc = EXIT_REFUSED;
		if (o->json) {
			fetch_print_json(fetch_result_json(t, "refused", fetch_last()->status, NULL,
							   GROUP_MISSING));
		} else {
			cli_say(stderr, "refused: group %s: %s: %s\n", t->id, GROUP_MISSING,
				GROUP_MISSING_WHY);
		}
	} else if (o->json) {
		struct json_object *obj = fetch_result_json(t, "ok", fetch_last()->status, NULL, NULL);
		json_object_object_add(obj, "name", json_object_new_string(found->name));
		json_object_object_add(obj, "flags", found->has_requested
				       ? level_to_json(found->requested) : NULL);
		json_object_object_add(obj, "consentRequired", groups_consent_json(found->consent));
		json_object_object_add(obj, "lastSentFromHere", last_sent_json(last));
		fetch_print_json(obj);
	} else {
		char flags[128], sent[192];
		groups_requested_text(found, flags, sizeof flags);
		last_sent_text(last, sent, sizeof sent);
		printf("group              %s\n", found->id);
		printf("name               ");
		fetch_put_text(stdout, found->name);
		printf("\nrequested level    %s  (the server's, from GET /groups)\n", flags);
		printf("consent required   %s\n", groups_consent_text(found->consent));
		printf("from here          %s\n", sent);
	}
	group_list_free(g, n);
	return rc;
}

static long start_participant(struct engine *e, const void *arg, char *err, size_t errlen)
{
	return api_get_participant(e, arg, NULL, err, errlen);
}

static const char *group_name(const struct group_info *g, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(g[i].id, id) == 0)
			return g[i].name;
	return NULL;
}

static void print_membership_json(struct json_object *arr, const struct membership *m,
				  const char *name)
{
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "groupID", json_object_new_string(m->group_id));
	json_object_object_add(obj, "name", name ? json_object_new_string(name) : NULL);
	json_object_object_add(obj, "joinDate", json_object_new_string(m->join_date));
	bool known = m->privacy_level >= 0;
	/* As given, even when it is no level ("high", 2.5, -1). */
	json_object_object_add(obj, "privacyLevel",
			       known ? json_object_new_int64(m->privacy_level)
			       : m->privacy_level_text ? json_tokener_parse(m->privacy_level_text)
			       : NULL);
	json_object_object_add(obj, "inferredFlags",
			       privacy_level_on_ladder(m->privacy_level)
			       ? level_to_json(privacy_level_inferred(m->privacy_level)) : NULL);
	json_object_array_add(arr, obj);
}

static void print_membership_text(const struct membership *m, const char *name)
{
	char level[160] = "absent";
	if (m->privacy_level_text) {
		snprintf(level, sizeof level, "%.100s (not a level)", m->privacy_level_text);
	} else if (!privacy_level_on_ladder(m->privacy_level) && m->privacy_level >= 0) {
		snprintf(level, sizeof level, "%lld (outside the known ladder 0..%d)",
			 (long long)m->privacy_level, FLAG_COUNT);
	} else if (m->privacy_level >= 0) {
		char flags[128];
		level_format(privacy_level_inferred(m->privacy_level), flags, sizeof flags);
		snprintf(level, sizeof level, "%lld (inferred: %s)", (long long)m->privacy_level,
			 flags);
	}
	printf("%-19s ", m->group_id);
	fetch_put_padded(stdout, m->join_date, 22);
	putchar(' ');
	fetch_put_padded(stdout, level, 40);
	putchar(' ');
	fetch_put_text(stdout, name ? name : "-");
	putchar('\n');
}

static int show_participant(const struct cli_opts *o, struct session *s, struct engine *e,
			    const struct target *t)
{
	char err[512];
	struct result *r = fetch_run(e, o, start_participant, t->id, true, err, sizeof err);
	if (!r) {
		cli_error("%s", err);
		return EXIT_USAGE;
	}
	int rc = fetch_exit_code(r);
	struct membership *m = NULL;
	size_t n = 0;
	char what[PARTICIPANT_ID_MAX + 32];
	snprintf(what, sizeof what, "participant %s", t->id);
	if (rc != EXIT_OK) {
		fetch_report_failure(o, what, t, r);
		if (rc == EXIT_REFUSED && participant_id_unusual(t->id) && !o->quiet)
			cli_error("note: participant IDs from Okaya usually "
				"begin with ok_");
		result_free(r);
		return rc;
	}
	if (participant_parse(r, &m, &n, err, sizeof err) != 0) {
		if (o->json)
			fetch_print_json(fetch_result_json(t, "failed", r->status, NULL, err));
		else
			cli_say(stderr, "failed: %s: %s\n", what, err);
		result_free(r);
		return EXIT_NO_ANSWER;
	}
	/* Built now: the names' GET /groups below is not this result. */
	struct json_object *obj = o->json ? fetch_result_json(t, "ok", r->status, NULL, NULL) : NULL;
	result_free(r);

	/* Names are a courtesy: without them the IDs still say it all. */
	struct group_info *g = NULL;
	size_t ng = 0;
	int grc = n > 0 ? groups_fetch(e, o, false, t, &g, &ng) : EXIT_OK;
	if (grc == EXIT_INTERRUPTED) {
		cli_error("cancelled by Ctrl-C");
		json_object_put(obj);
		membership_list_free(m, n);
		return grc;
	}
	bool named = n > 0 && grc == EXIT_OK;
	if (n > 0 && !named && !o->quiet)
		cli_error("note: GET /groups did not answer; group names "
			"are not shown");
	const struct recent *last = config_recent_find(s->config, TARGET_PARTICIPANT, t->id);
	if (o->json) {
		struct json_object *arr = json_object_new_array();
		for (size_t i = 0; i < n; i++)
			print_membership_json(arr, &m[i], group_name(g, ng, m[i].group_id));
		json_object_object_add(obj, "groups", arr);
		json_object_object_add(obj, "lastSentFromHere", last_sent_json(last));
		fetch_print_json(obj);
	} else {
		char sent[192];
		last_sent_text(last, sent, sizeof sent);
		printf("participant        ");
		fetch_put_text(stdout, t->id);
		printf("\nrequested level    not readable through the API; %s\n", sent);
		if (n == 0) {
			printf("groups             none\n");
		} else {
			printf("\n%-19s %-22s %-40s %s\n", "GROUP", "JOINED",
			       "PRIVACY LEVEL (INFERRED FLAGS)", "NAME");
			for (size_t i = 0; i < n; i++)
				print_membership_text(&m[i], group_name(g, ng, m[i].group_id));
			printf("(privacyLevel is the API's number; the flags beside it are inferred, "
			       "its meaning is not documented)\n");
		}
	}
	group_list_free(g, ng);
	membership_list_free(m, n);
	return EXIT_OK;
}

/* --dry-run / --curl: the reads this would make. */
static int print_reads(const struct cli_opts *o, const struct target *t)
{
	struct session s;
	int rc = session_open(&s, o, false);
	if (rc != 0)
		return rc;
	if (t->kind == TARGET_PARTICIPANT) {
		char *path = participant_info_path(t->id);
		output_call(o, s.base_url, "GET", path, NULL, 0, NULL);
		free(path);
	}
	output_call(o, s.base_url, "GET", "/groups", NULL, 0, NULL);
	session_close(&s);
	return EXIT_OK;
}

int cmd_get(const struct cli_opts *o, int argc, char **argv)
{
	if (argc != 3) {
		cli_error("usage: get group|participant ID (see: help get)");
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
		return print_reads(o, &t);
	struct session s;
	struct engine *e;
	int rc = fetch_open(&s, &e, o);
	if (rc != 0)
		return rc;
	rc = kind == TARGET_GROUP ? show_group(o, &s, e, &t) : show_participant(o, &s, e, &t);
	engine_free(e);
	if (rc == EXIT_UNAUTHORISED)
		session_explain_401(&s);
	session_close(&s);
	return rc;
}
