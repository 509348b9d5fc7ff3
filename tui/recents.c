/* recents: the recent targets (F2) as a libmenu list, most recent first.
 * Enter loads one into the form; d forgets; / filters; e edits the label. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "app.h"
#include "keys.h"
#include "lineedit.h"
#include "textmenu.h"

enum mode { MODE_LIST, MODE_FILTER, MODE_LABEL };

struct recents_view {
	const struct recent **rows;   /* into the config's lists; rebuilt on change */
	size_t n;
	int cur;
	enum mode mode;
	char filter[128];
	char label[128];
	char msg[256];
	bool msg_error;
	/* 'd' asks first: the target it armed for; a second 'd' forgets. */
	bool forget_armed;
	enum target_kind forget_kind;
	char forget_id[PARTICIPANT_ID_MAX + 1];

	WINDOW *win, *sub;
	PANEL *panel;
	struct textmenu menu;
	struct lineedit *edit;
};

static int by_when_desc(const void *x, const void *y)
{
	const struct recent *a = *(const struct recent *const *)x;
	const struct recent *b = *(const struct recent *const *)y;
	return (a->when < b->when) - (a->when > b->when);
}

/* ASCII case-insensitive substring test (IDs and labels; UTF-8 bytes
 * beyond ASCII compare exactly). */
static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return n == 0;
}

static bool matches(const struct recent *r, const char *filter)
{
	return contains(r->id, filter) || (r->label && contains(r->label, filter));
}

static void collect(struct app *a)
{
	struct recents_view *v = a->recents;
	const struct config *c = a->cfg;
	free(v->rows);
	v->n = 0;
	v->rows = calloc(c->n_groups + c->n_participants + 1, sizeof *v->rows);
	if (!v->rows)
		return;
	for (size_t i = 0; i < c->n_groups; i++)
		if (matches(&c->groups[i], v->filter))
			v->rows[v->n++] = &c->groups[i];
	for (size_t i = 0; i < c->n_participants; i++)
		if (matches(&c->participants[i], v->filter))
			v->rows[v->n++] = &c->participants[i];
	/* Each list is already newest first; merge them by time. */
	qsort(v->rows, v->n, sizeof *v->rows, by_when_desc);
	if (v->cur >= (int)v->n)
		v->cur = v->n ? (int)v->n - 1 : 0;
}

static void menu_destroy(struct recents_view *v)
{
	v->cur = textmenu_free(&v->menu, v->cur);
}

/* One display line for a recent target: kind, ID, label, when, the flag
 * positions as digits ("1..4."), then the names as room allows. */
static char *recent_line(const struct recent *r, int idw, int labw)
{
	char id[PARTICIPANT_ID_MAX * 4 + 1], lab[512], idf[256], labf[256], lv[128];
	char when[24] = "never", ticks[FLAG_COUNT + 1];
	text_escape(r->id, strlen(r->id), id, sizeof id);
	text_escape(r->label ? r->label : "", r->label ? strlen(r->label) : 0, lab, sizeof lab);
	text_fit(idf, sizeof idf, id, idw);
	text_fit(labf, sizeof labf, lab, labw);
	for (int f = 0; f < FLAG_COUNT; f++)
		ticks[f] = r->has_level && (r->level & flag_table[f].bit) ? (char)('1' + f) : '.';
	ticks[FLAG_COUNT] = '\0';
	if (r->has_level)
		level_format(r->level, lv, sizeof lv);
	else
		snprintf(lv, sizeof lv, "(no level recorded)");
	struct tm tm;
	if (r->when && localtime_r(&r->when, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	char line[1024];
	snprintf(line, sizeof line, "%c %s %s %-16s %s %s", r->kind == TARGET_GROUP ? 'G' : 'P',
		 idf, labf, when, ticks, lv);
	return strdup(line);
}

static void menu_build(struct app *a)
{
	struct recents_view *v = a->recents;
	if (!v->win || !v->sub || v->n == 0)
		return;
	char **lines = calloc(v->n, sizeof *lines);
	if (!lines)
		return;
	int w = getmaxx(v->sub);
	int idw = w > 70 ? 20 : 16, labw = w > 70 ? 14 : 10;
	size_t n = 0;
	while (n < v->n && (lines[n] = recent_line(v->rows[n], idw, labw)) != NULL)
		n++;
	textmenu_build(&v->menu, v->win, v->sub, (const char *const *)lines, n, v->cur);
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static void edit_open(struct app *a, enum mode mode)
{
	struct recents_view *v = a->recents;
	v->mode = mode;
	if (!v->win)
		return;
	int y, x, w = getmaxx(v->win);
	getbegyx(v->win, y, x);
	v->edit = lineedit_new(y + 1, x + 11, w - 13, 120, false,
			       mode == MODE_FILTER ? v->filter : v->label);
}

static void edit_close(struct app *a, bool keep)
{
	struct recents_view *v = a->recents;
	if (keep && v->edit)
		lineedit_text(v->edit, v->mode == MODE_FILTER ? v->filter : v->label,
			      v->mode == MODE_FILTER ? sizeof v->filter : sizeof v->label);
	lineedit_free(v->edit);
	v->edit = NULL;
	v->mode = MODE_LIST;
}

static void build(struct app *a)
{
	struct recents_view *v = a->recents;
	int w = 90;   /* overlay_window takes the full width when narrower */
	v->win = overlay_window(a, a->rows - 2, w, &v->panel);
	if (!v->win)
		return;
	int h = getmaxy(v->win);
	v->sub = derwin(v->win, h - 5, getmaxx(v->win) - 2, 3, 1);
	if (!v->sub)
		return;
	collect(a);
	menu_build(a);
	if (v->mode != MODE_LIST) {
		enum mode m = v->mode;
		edit_open(a, m);
	}
}

static void destroy(struct app *a)
{
	struct recents_view *v = a->recents;
	if (!v)
		return;
	if (v->edit) {
		/* Keep what was typed; reopen it after the resize. */
		enum mode m = v->mode;
		edit_close(a, true);
		v->mode = m;
	}
	menu_destroy(v);
	if (v->sub)
		delwin(v->sub);   /* a sub-window goes before its parent */
	v->sub = NULL;
	overlay_window_free(&v->win, &v->panel);
}

static void refill(struct app *a)
{
	struct recents_view *v = a->recents;
	menu_destroy(v);
	collect(a);
	menu_build(a);
}

static void draw(struct app *a)
{
	struct recents_view *v = a->recents;
	if (!v || !v->win)
		return;
	int h, w;
	getmaxyx(v->win, h, w);
	/* The frame only: the menu's sub-window keeps its own content. */
	wmove(v->win, 1, 1);
	wclrtoeol(v->win);
	wmove(v->win, 2, 1);
	wclrtoeol(v->win);
	wmove(v->win, h - 2, 1);
	wclrtoeol(v->win);
	box(v->win, 0, 0);
	wattron(v->win, A_BOLD);
	mvwaddstr(v->win, 0, 2, " Recent targets ");
	wattroff(v->win, A_BOLD);
	if (v->mode == MODE_FILTER)
		mvwaddstr(v->win, 1, 2, "Filter:");
	else if (v->mode == MODE_LABEL)
		mvwaddstr(v->win, 1, 2, "Label:");
	else if (v->filter[0]) {
		char f[160];
		snprintf(f, sizeof f, "Filter: %s   (/ changes it)", v->filter);
		draw_untrusted(v->win, 1, 2, f, w - 4);
	} else {
		mvwaddstr(v->win, 1, 2, "All recent targets, newest first (/ filters)");
	}
	wattron(v->win, A_DIM);
	draw_text(v->win, 2, 3, "  kind, ID, label, when sent, last level sent from this machine", w - 5);
	wattroff(v->win, A_DIM);
	if (v->n == 0) {
		werase(v->sub);
		draw_text(v->sub, 0, 2, v->filter[0] ? "No recent target matches the filter."
						      : "No recent targets yet: they appear after a successful send.",
			  w - 6);
	}
	if (v->msg[0]) {
		attr_t at = v->msg_error ? app_attr(a, PAIR_ERR) : A_NORMAL;
		wattron(v->win, at);
		draw_text(v->win, h - 2, 2, v->msg, w - 4);
		wattroff(v->win, at);
	}
	draw_text(v->win, h - 1, 2,
		  v->mode == MODE_LIST ? " Enter loads  d forgets  / filter  e label  Esc "
				       : " Enter keeps  Esc cancels ", w - 4);
	/* Redraw the items (the window frame may have touched them). */
	textmenu_refresh(&v->menu, v->sub);
}

static const struct recent *current(struct recents_view *v)
{
	int i = textmenu_current(&v->menu);
	return i >= 0 && (size_t)i < v->n ? v->rows[i] : NULL;
}

static void save(struct app *a, const char *done)
{
	struct recents_view *v = a->recents;
	char err[256];
	if (config_save(a->cfg, err, sizeof err) != 0) {
		snprintf(v->msg, sizeof v->msg, "Error: config not saved: %.200s", err);
		v->msg_error = true;
	} else {
		snprintf(v->msg, sizeof v->msg, "%s", done);
		v->msg_error = false;
	}
}

static void key_edit(struct app *a, bool fkey, wint_t ch)
{
	struct recents_view *v = a->recents;
	enum action act = keys_action(SC_ANY, fkey, ch);
	if (act == ACT_ESC) {
		if (v->mode == MODE_FILTER) {
			v->filter[0] = '\0';
			edit_close(a, false);
			refill(a);
		} else {
			edit_close(a, false);
		}
		return;
	}
	if (act == ACT_ENTER) {
		enum mode m = v->mode;
		edit_close(a, true);
		if (m == MODE_LABEL) {
			const struct recent *r = current(v);
			if (r) {
				config_recent_set_label(a->cfg, r->kind, r->id, v->label);
				save(a, v->label[0] ? "Label saved." : "Label removed.");
			}
		}
		refill(a);
		return;
	}
	lineedit_key(v->edit, fkey, ch);
	if (v->mode == MODE_FILTER) {
		/* Filter as one types. */
		lineedit_text(v->edit, v->filter, sizeof v->filter);
		v->cur = 0;
		refill(a);
	}
}

static void key(struct app *a, bool fkey, wint_t ch)
{
	struct recents_view *v = a->recents;
	if (v->mode != MODE_LIST) {
		key_edit(a, fkey, ch);
		return;
	}
	enum action act = keys_action(SC_RECENTS, fkey, ch);
	if (act == ACT_NONE)
		act = keys_action(SC_LIST, fkey, ch);
	const struct recent *r = current(v);
	v->msg[0] = '\0';
	bool armed = v->forget_armed;
	v->forget_armed = false;   /* any other key keeps the target */
	if (textmenu_move(&v->menu, act))
		return;
	switch (act) {
	case ACT_ENTER:
		if (r) {
			enum target_kind kind = r->kind;
			char id[PARTICIPANT_ID_MAX + 1];
			snprintf(id, sizeof id, "%s", r->id);
			overlay_close(a);
			mainscr_load(a, kind, id, true);
			a->focus = FOCUS_FLAGS;
		}
		break;
	case ACT_FORGET:
		if (r && !(armed && r->kind == v->forget_kind && strcmp(r->id, v->forget_id) == 0)) {
			v->forget_armed = true;
			v->forget_kind = r->kind;
			snprintf(v->forget_id, sizeof v->forget_id, "%s", r->id);
			snprintf(v->msg, sizeof v->msg, "Forget %s %.120s? d again forgets; any "
				 "other key keeps it.", target_kind_name(r->kind), r->id);
			v->msg_error = true;
		} else if (r) {
			char id[PARTICIPANT_ID_MAX + 1];
			snprintf(id, sizeof id, "%s", r->id);
			config_recent_forget(a->cfg, r->kind, id);
			refill(a);
			char done[PARTICIPANT_ID_MAX + 32];
			snprintf(done, sizeof done, "Forgot %s.", id);
			save(a, done);
		}
		break;
	case ACT_FILTER:
		edit_open(a, MODE_FILTER);
		break;
	case ACT_LABEL:
		if (r) {
			snprintf(v->label, sizeof v->label, "%s", r->label ? r->label : "");
			edit_open(a, MODE_LABEL);
		}
		break;
	case ACT_ESC:
		overlay_close(a);
		break;
	default:
		break;
	}
}

static void close_(struct app *a)
{
	struct recents_view *v = a->recents;
	if (!v)
		return;
	free(v->rows);
	free(v);
	a->recents = NULL;
}

static void cursor(struct app *a)
{
	struct recents_view *v = a->recents;
	if (v && v->edit) {
		curs_set(1);
		lineedit_cursor(v->edit);
	} else {
		curs_set(0);
	}
}

void recents_open(struct app *a)
{
	a->recents = calloc(1, sizeof *a->recents);
}

const struct overlay_ops recents_ops = { build, destroy, draw, key, close_, cursor };
