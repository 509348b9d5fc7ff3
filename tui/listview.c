/* listview: see listview.h. Modelled on the recent-targets list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "app.h"
#include "keys.h"
#include "lineedit.h"
#include "listview.h"
#include "textmenu.h"

struct listview {
	char title[64], header[160], empty[160], msg[320];
	bool msg_error;
	char **rows, **keys;
	size_t n;
	size_t *shown;        /* indexes of rows passing the filter */
	size_t n_shown;
	int cur;
	bool filtering;
	char filter[128];
	char loading[96];     /* "Loading groups..." while the rows are not read yet */

	WINDOW *win, *sub;
	PANEL *panel;
	struct textmenu menu;
	struct lineedit *edit;
};

struct listview *listview_new(const char *title, const char *header, const char *empty)
{
	struct listview *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	snprintf(v->title, sizeof v->title, " %s ", title);
	snprintf(v->header, sizeof v->header, "%s", header);
	snprintf(v->empty, sizeof v->empty, "%s", empty);
	return v;
}

static void rows_free(struct listview *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->rows[i]);
		free(v->keys[i]);
	}
	free(v->rows);
	free(v->keys);
	free(v->shown);
	v->rows = v->keys = NULL;
	v->shown = NULL;
	v->n = v->n_shown = 0;
}

void listview_free(struct listview *v)
{
	if (!v)
		return;
	listview_destroy(v);
	rows_free(v);
	free(v);
}

void listview_message(struct listview *v, const char *msg, bool error)
{
	snprintf(v->msg, sizeof v->msg, "%s", msg);
	v->msg_error = error;
}

void listview_loading(struct listview *v, const char *text)
{
	snprintf(v->loading, sizeof v->loading, "%s", text ? text : "");
}

void listview_empty(struct listview *v, const char *empty)
{
	snprintf(v->empty, sizeof v->empty, "%s", empty);
}

/* ASCII case-insensitive substring (bytes beyond ASCII compare exactly). */
static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return true;
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

static void collect(struct listview *v)
{
	free(v->shown);
	v->n_shown = 0;
	v->shown = calloc(v->n + 1, sizeof *v->shown);
	if (!v->shown)
		return;
	for (size_t i = 0; i < v->n; i++)
		if (contains(v->keys[i] ? v->keys[i] : "", v->filter))
			v->shown[v->n_shown++] = i;
	if (v->cur >= (int)v->n_shown)
		v->cur = v->n_shown ? (int)v->n_shown - 1 : 0;
}

static void menu_destroy(struct listview *v)
{
	v->cur = textmenu_free(&v->menu, v->cur);
}

static void menu_build(struct listview *v)
{
	const char **lines = calloc(v->n_shown + 1, sizeof *lines);
	if (!lines)
		return;
	for (size_t i = 0; i < v->n_shown; i++)
		lines[i] = v->rows[v->shown[i]];
	textmenu_build(&v->menu, v->win, v->sub, lines, v->n_shown, v->cur);
	free(lines);
}

static void refill(struct listview *v)
{
	menu_destroy(v);
	collect(v);
	menu_build(v);
}

void listview_set_rows(struct listview *v, char **rows, char **keys, size_t n)
{
	menu_destroy(v);
	rows_free(v);
	v->rows = rows;
	v->keys = keys;
	v->n = rows && keys ? n : 0;
	v->cur = 0;
	collect(v);
	menu_build(v);
}

static void edit_open(struct listview *v)
{
	v->filtering = true;
	if (!v->win)
		return;
	int y, x, w = getmaxx(v->win);
	getbegyx(v->win, y, x);
	v->edit = lineedit_new(y + 1, x + 11, w - 13, 120, false, v->filter);
}

static void edit_close(struct listview *v, bool keep)
{
	if (keep && v->edit)
		lineedit_text(v->edit, v->filter, sizeof v->filter);
	lineedit_free(v->edit);
	v->edit = NULL;
	v->filtering = false;
}

void listview_build(struct app *a, struct listview *v)
{
	int w = 96;   /* overlay_window takes the full width when narrower */
	v->win = overlay_window(a, a->rows - 2, w, &v->panel);
	if (!v->win)
		return;
	int h = getmaxy(v->win);
	v->sub = derwin(v->win, h - 5, getmaxx(v->win) - 2, 3, 1);
	if (!v->sub)
		return;
	collect(v);
	menu_build(v);
	if (v->filtering)
		edit_open(v);
}

void listview_destroy(struct listview *v)
{
	if (!v)
		return;
	if (v->edit) {
		/* Keep what was typed; the field reopens after a resize. */
		edit_close(v, true);
		v->filtering = true;
	}
	menu_destroy(v);
	if (v->sub)
		delwin(v->sub);   /* a sub-window goes before its parent */
	v->sub = NULL;
	overlay_window_free(&v->win, &v->panel);
}

void listview_draw(struct app *a, struct listview *v)
{
	if (!v || !v->win)
		return;
	int h, w;
	getmaxyx(v->win, h, w);
	/* The frame only: the menu's sub-window keeps its own content. */
	for (int y = 1; y < 3; y++) {
		wmove(v->win, y, 1);
		wclrtoeol(v->win);
	}
	wmove(v->win, h - 2, 1);
	wclrtoeol(v->win);
	box(v->win, 0, 0);
	wattron(v->win, A_BOLD);
	draw_text(v->win, 0, 2, v->title, w - 4);   /* a long title never breaks the frame */
	wattroff(v->win, A_BOLD);
	char line[200];
	if (v->filtering) {
		mvwaddstr(v->win, 1, 2, "Filter:");
	} else if (v->filter[0]) {
		snprintf(line, sizeof line, "Filter: %s   (/ changes it)  %zu of %zu", v->filter,
			 v->n_shown, v->n);
		draw_untrusted(v->win, 1, 2, line, w - 4);
	} else if (v->loading[0]) {
		draw_text(v->win, 1, 2, v->loading, w - 4);   /* not "0 entries": unknown yet */
	} else {
		snprintf(line, sizeof line, "%zu entr%s   (/ filters)", v->n, v->n == 1 ? "y" : "ies");
		draw_text(v->win, 1, 2, line, w - 4);
	}
	wattron(v->win, A_DIM);
	draw_text(v->win, 2, 3, v->header, w - 5);
	wattroff(v->win, A_DIM);
	if (v->n_shown == 0) {
		werase(v->sub);
		draw_text(v->sub, 0, 2, v->n && v->filter[0] ? "Nothing matches the filter."
			  : v->loading[0] ? v->loading : v->empty,
			  w - 6);
	}
	if (v->msg[0]) {
		attr_t at = v->msg_error ? app_attr(a, PAIR_ERR) : A_NORMAL;
		wattron(v->win, at);
		draw_text(v->win, h - 2, 2, v->msg, w - 4);
		wattroff(v->win, at);
	}
	draw_text(v->win, h - 1, 2, v->filtering ? " Enter keeps  Esc clears the filter "
						 : " Enter chooses  / filters  Esc closes ", w - 4);
	textmenu_refresh(&v->menu, v->sub);
}

void listview_cursor(struct listview *v)
{
	if (v && v->edit) {
		curs_set(1);
		lineedit_cursor(v->edit);
	} else {
		curs_set(0);
	}
}

static enum lv_result key_filter(struct listview *v, bool fkey, wint_t ch)
{
	enum action act = keys_action(SC_ANY, fkey, ch);
	if (act == ACT_ESC) {
		v->filter[0] = '\0';
		edit_close(v, false);
		refill(v);
	} else if (act == ACT_ENTER) {
		edit_close(v, true);
		refill(v);
	} else {
		lineedit_key(v->edit, fkey, ch);
		lineedit_text(v->edit, v->filter, sizeof v->filter);
		v->cur = 0;
		refill(v);
	}
	return LV_KEPT;
}

enum lv_result listview_key(struct listview *v, bool fkey, wint_t ch, size_t *chosen)
{
	if (v->filtering)
		return key_filter(v, fkey, ch);
	enum action act = keys_action(SC_PICK, fkey, ch);
	if (act == ACT_NONE)
		act = keys_action(SC_LIST, fkey, ch);
	if (textmenu_move(&v->menu, act))
		return LV_KEPT;
	switch (act) {
	case ACT_FILTER:
		edit_open(v);
		break;
	case ACT_ENTER:
		if (v->n_shown) {
			int i = textmenu_current(&v->menu);
			if (i >= 0 && (size_t)i < v->n_shown) {
				*chosen = v->shown[i];
				return LV_CHOSEN;
			}
		}
		break;
	case ACT_ESC:
		return LV_CLOSE;
	default:
		break;
	}
	return LV_KEPT;
}
