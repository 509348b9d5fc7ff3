/* groups: the enterprise's groups from GET /groups (F6), with their current
 * requested level. Enter loads one into the form with that level ticked.
 * Group keys never reach this file: groups_parse drops them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "keys.h"
#include "listview.h"

struct groups_view {
	struct listview *lv;
	bool loading;
};

static void fill(struct app *a)
{
	struct groups_view *v = a->groups_view;
	size_t n = a->n_groups;
	char **rows = calloc(n + 1, sizeof *rows), **keys = calloc(n + 1, sizeof *keys);
	if (!rows || !keys) {
		free(rows);
		free(keys);
		listview_message(v->lv, "Out of memory.", true);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct group_info *g = &a->groups[i];
		char name[400], namef[400], lv[128], line[700];
		text_escape(g->name ? g->name : "", g->name ? strlen(g->name) : 0, name, sizeof name);
		text_fit(namef, sizeof namef, name, 22);
		if (g->has_requested)
			level_format(g->requested, lv, sizeof lv);
		else
			snprintf(lv, sizeof lv, "unknown");
		snprintf(line, sizeof line, "%-14s %s %-7s %s", g->id, namef,
			 g->consent == 1 ? "yes" : g->consent == 0 ? "no" : "?", lv);
		rows[i] = strdup(line);
		snprintf(line, sizeof line, "%s %s", g->id, name);
		keys[i] = strdup(line);
		if (!rows[i] || !keys[i]) {
			n = i + 1;
			break;
		}
	}
	listview_set_rows(v->lv, rows, keys, n);
}

void groups_loaded(struct app *a, const char *error)
{
	struct groups_view *v = a->groups_view;
	if (a->overlay != OV_GROUPS || !v)
		return;
	v->loading = false;
	listview_loading(v->lv, NULL);
	if (error) {
		char msg[320];
		snprintf(msg, sizeof msg, "Could not read the groups: %.250s", error);
		listview_message(v->lv, msg, true);
		listview_empty(v->lv, "No groups read.");
		return;
	}
	listview_message(v->lv, "", false);
	fill(a);
}

void groups_open(struct app *a)
{
	struct groups_view *v = calloc(1, sizeof *v);
	if (!v)
		return;
	v->lv = listview_new("Groups of this key's enterprise (GET /groups)",
			     "Group ID       Name                   Consent current requested level",
			     "This key's enterprise has no groups.");
	if (!v->lv) {
		free(v);
		return;
	}
	a->groups_view = v;
}

/* Starts the read once the overlay is open, so a quick failure lands in it. */
static void build(struct app *a)
{
	struct groups_view *v = a->groups_view;
	listview_build(a, v->lv);
}

static void destroy(struct app *a)
{
	if (a->groups_view)
		listview_destroy(a->groups_view->lv);
}

static void draw(struct app *a)
{
	struct groups_view *v = a->groups_view;
	if (!v)
		return;
	if (v->loading) {
		static const char spin[] = "|/-\\";
		char msg[96];
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		double s = (double)(now.tv_sec - a->fetch_start.tv_sec) +
			   (double)(now.tv_nsec - a->fetch_start.tv_nsec) / 1e9;
		snprintf(msg, sizeof msg, "%c Reading the groups... %.1f s  (Esc cancels)",
			 spin[a->spin % 4], s);
		listview_message(v->lv, msg, false);
	}
	listview_draw(a, v->lv);
}

static void key(struct app *a, bool fkey, wint_t ch)
{
	struct groups_view *v = a->groups_view;
	if (v->loading && keys_action(SC_ANY, fkey, ch) == ACT_ESC) {
		fetch_cancel(a);
		overlay_close(a);
		return;
	}
	size_t i;
	switch (listview_key(v->lv, fkey, ch, &i)) {
	case LV_CHOSEN:
		if (i < a->n_groups) {
			struct group_info g = a->groups[i];   /* a->groups outlives the overlay */
			overlay_close(a);
			mainscr_load_group(a, &g);
		}
		break;
	case LV_CLOSE:
		overlay_close(a);
		break;
	default:
		break;
	}
}

static void close_(struct app *a)
{
	struct groups_view *v = a->groups_view;
	if (!v)
		return;
	listview_free(v->lv);
	free(v);
	a->groups_view = NULL;
}

static void cursor(struct app *a)
{
	listview_cursor(a->groups_view ? a->groups_view->lv : NULL);
}

void groups_start(struct app *a)
{
	struct groups_view *v = a->groups_view;
	if (!v)
		return;
	v->loading = true;
	listview_loading(v->lv, "Loading groups...");
	if (fetch_groups(a, FETCH_GROUP_LIST) != 0) {
		v->loading = false;
		listview_loading(v->lv, NULL);
	}
}

const struct overlay_ops groups_ops = { build, destroy, draw, key, close_, cursor };
