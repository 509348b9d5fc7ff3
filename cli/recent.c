/* recent: `okaya-privacy recent`, the recent targets of both kinds, most
 * recent first, with the last level sent from this machine. */
#include "cli.h"

#include <json-c/json.h>
#include <stdio.h>
#include <time.h>

static void print_one(const struct cli_opts *o, const struct recent *r)
{
	char flags[128] = "-", when[64] = "-";
	if (r->has_level)
		level_format(r->level, flags, sizeof flags);
	struct tm tm;
	if (o->json) {
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "kind", json_object_new_string(target_kind_name(r->kind)));
		json_object_object_add(obj, "target", json_object_new_string(r->id));
		json_object_object_add(obj, "label", r->label ? json_object_new_string(r->label) : NULL);
		json_object_object_add(obj, "flags", r->has_level ? level_to_json(r->level) : NULL);
		if (r->when && gmtime_r(&r->when, &tm))
			strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_object_object_add(obj, "when", r->when ? json_object_new_string(when) : NULL);
		puts(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(obj);
		return;
	}
	if (r->when && localtime_r(&r->when, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	/* IDs and labels come from the config file: cleaned like server text. */
	cli_say(stdout, "%-11s %-20s %-40s %s%s%s\n", target_kind_name(r->kind), r->id, flags,
		when, r->label ? "  " : "", r->label ? r->label : "");
}

int cmd_recent(const struct cli_opts *o, int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		cli_error("usage: recent (it takes no arguments)");
		return EXIT_USAGE;
	}
	struct session s;
	int rc = session_open(&s, o, false);
	if (rc != 0)
		return rc;
	const struct config *c = s.config;
	if (c->n_groups + c->n_participants == 0) {
		if (!o->quiet)
			fprintf(stderr, "no recent targets yet: they appear here after a change "
				"is sent\n");
	} else if (!o->json) {
		printf("%-11s %-20s %-40s %s\n", "KIND", "ID", "LAST LEVEL SENT FROM HERE", "WHEN");
	}
	/* Both lists are newest first: merge them by time. */
	size_t g = 0, p = 0;
	while (g < c->n_groups || p < c->n_participants) {
		bool take_group = p >= c->n_participants ||
				  (g < c->n_groups && c->groups[g].when >= c->participants[p].when);
		print_one(o, take_group ? &c->groups[g++] : &c->participants[p++]);
	}
	session_close(&s);
	return EXIT_OK;
}
