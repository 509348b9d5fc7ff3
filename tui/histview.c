/* histview: the audit log (F4), newest first, filterable by target.
 * Enter loads the entry's target into the form. Lines the core could not
 * read are skipped and counted in a notice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "history.h"
#include "listview.h"

struct hist_view {
	struct listview *lv;
	struct history_entry *e;
	size_t n;
};

static void row_text(const struct history_entry *h, char *out, size_t len)
{
	char when[32] = "?", id[PARTICIPANT_ID_MAX * 6 + 1], idf[80], what[300], text[600];
	struct tm tm;
	if (gmtime_r(&h->when, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%MZ", &tm);
	text_escape(h->id, strlen(h->id), id, sizeof id);
	text_fit(idf, sizeof idf, id, 16);
	if (h->email_type[0]) {
		snprintf(what, sizeof what, "email %s", h->email_type);
	} else if (h->has_before) {
		if (h->before == h->after)
			snprintf(what, sizeof what, "no change");
		else
			level_format_diff(h->before, h->after, what, sizeof what);
	} else {
		char lv[128];
		level_format(h->after, lv, sizeof lv);
		snprintf(what, sizeof what, "-> %s", lv);
	}
	const char *said = h->error ? h->error : h->message ? h->message : "";
	text_escape(said, strlen(said), text, sizeof text);
	snprintf(out, len, "%s %-6s %c %s %3ld %s  %s", when, h->action,
		 h->kind == TARGET_GROUP ? 'G' : 'P', idf, h->status, what, text);
}

static void load(struct app *a)
{
	struct hist_view *v = a->hist;
	char err[256], msg[320];
	char *path = history_default_path();
	if (!path) {
		listview_message(v->lv, "No history file: set OKAYA_HISTORY or HOME.", true);
		return;
	}
	size_t corrupt = 0;
	if (history_read(path, NULL, &v->e, &v->n, &corrupt, err, sizeof err) != 0) {
		snprintf(msg, sizeof msg, "Error: %.250s", err);
		listview_message(v->lv, msg, true);
		free(path);
		return;
	}
	free(path);
	if (corrupt) {
		snprintf(msg, sizeof msg, "%zu unreadable line%s skipped.", corrupt,
			 corrupt == 1 ? "" : "s");
		listview_message(v->lv, msg, true);
	}
	char **rows = calloc(v->n + 1, sizeof *rows), **keys = calloc(v->n + 1, sizeof *keys);
	if (!rows || !keys) {
		free(rows);
		free(keys);
		return;
	}
	size_t n = v->n;
	for (size_t i = 0; i < v->n; i++) {
		char line[1200];
		row_text(&v->e[i], line, sizeof line);
		rows[i] = strdup(line);
		/* The filter matches the target and the row's words: action,
		 * kind, the change and the server's answer. */
		char key[1600];
		snprintf(key, sizeof key, "%.256s %s %.1200s", v->e[i].id,
			 target_kind_name(v->e[i].kind), line);
		keys[i] = strdup(key);
		if (!rows[i] || !keys[i]) {
			n = i + 1;
			break;
		}
	}
	listview_set_rows(v->lv, rows, keys, n);
}

void history_open(struct app *a)
{
	struct hist_view *v = calloc(1, sizeof *v);
	if (!v)
		return;
	v->lv = listview_new("History: requests that reached the server, newest first",
			     "time (UTC)        action K ID               status change  answer",
			     "No history yet: sends and review emails appear here.");
	if (!v->lv) {
		free(v);
		return;
	}
	a->hist = v;
	load(a);
}

static void build(struct app *a)
{
	listview_build(a, a->hist->lv);
}

static void destroy(struct app *a)
{
	if (a->hist)
		listview_destroy(a->hist->lv);
}

static void draw(struct app *a)
{
	if (a->hist)
		listview_draw(a, a->hist->lv);
}

static void key(struct app *a, bool fkey, wint_t ch)
{
	struct hist_view *v = a->hist;
	size_t i;
	switch (listview_key(v->lv, fkey, ch, &i)) {
	case LV_CHOSEN:
		if (i < v->n) {
			enum target_kind kind = v->e[i].kind;
			char id[PARTICIPANT_ID_MAX + 1];
			snprintf(id, sizeof id, "%s", v->e[i].id);
			overlay_close(a);
			mainscr_load(a, kind, id, true);
			a->focus = FOCUS_FLAGS;
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
	struct hist_view *v = a->hist;
	if (!v)
		return;
	listview_free(v->lv);
	history_entries_free(v->e, v->n);
	free(v);
	a->hist = NULL;
}

static void cursor(struct app *a)
{
	listview_cursor(a->hist ? a->hist->lv : NULL);
}

const struct overlay_ops history_ops = { build, destroy, draw, key, close_, cursor };
