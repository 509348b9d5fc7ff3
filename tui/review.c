/* review: what is about to be sent, before it goes. Enter sends, Esc returns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "keys.h"

static void build(struct app *a)
{
	a->review_win = overlay_window(a, 16, 76, &a->review_panel);
}

static void destroy(struct app *a)
{
	overlay_window_free(&a->review_win, &a->review_panel);
}

/* A labelled value; long ones (URLs, IDs) wrap onto up to 3 lines. */
static void row(WINDOW *w, int *y, const char *label, const char *value, int width)
{
	int room = getmaxy(w) - 2 - *y;   /* the footer's row stays free */
	if (room <= 0)
		return;
	wattron(w, A_BOLD);
	mvwaddstr(w, *y, 2, label);
	wattroff(w, A_BOLD);
	*y += draw_wrap(w, *y, 11, value, width - 13, room < 3 ? room : 3);
}

static void draw(struct app *a)
{
	WINDOW *win = a->review_win;
	if (!win)
		return;
	int h, w;
	getmaxyx(win, h, w);
	draw_frame(win, "Review before sending");
	const struct target *t = &a->review_target;
	char *path = target_privacy_path(t);
	char *body = level_request_body(a->review_level);
	char url[1024], line[600], diff[256];
	size_t bl = strlen(a->cfg->base_url);
	while (bl > 0 && a->cfg->base_url[bl - 1] == '/')
		bl--;
	char base[600];
	snprintf(base, sizeof base, "%.*s", (int)bl, a->cfg->base_url);
	url_for_display(base, line, sizeof line);
	snprintf(url, sizeof url, "%s%s", line, path ? path : "?");

	const struct recent *r = config_recent_find(a->cfg, t->kind, t->id);
	snprintf(line, sizeof line, "%s %s%s%s%s", target_kind_name(t->kind), t->id,
		 r && r->label ? " (" : "", r && r->label ? r->label : "", r && r->label ? ")" : "");

	int y = 2;
	row(win, &y, "Method", "POST", w);
	row(win, &y, "URL", url, w);
	row(win, &y, "Body", body ? body : "?", w);
	row(win, &y, "Target", line, w);
	bool loaded = a->has_loaded && a->loaded.kind == t->kind && strcmp(a->loaded.id, t->id) == 0;
	if (loaded && a->basis == BASIS_SERVER) {
		/* The group's level as GET /groups gave it when loaded. */
		if (a->basis_level == a->review_level)
			snprintf(diff, sizeof diff, "no change");
		else
			level_format_diff(a->basis_level, a->review_level, diff, sizeof diff);
		/* When it was read: a change made elsewhere since would not show. */
		char when[16] = "?";
		struct tm tm;
		if (a->basis_read && localtime_r(&a->basis_read, &tm))
			strftime(when, sizeof when, "%H:%M:%S", &tm);
		snprintf(line, sizeof line, "%s (vs. current on server, read %s)", diff, when);
	} else if (r && r->has_level) {
		char when[40] = "";
		struct tm tm;
		if (r->when && localtime_r(&r->when, &tm))
			strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
		if (r->level == a->review_level)
			snprintf(diff, sizeof diff, "no change");
		else
			level_format_diff(r->level, a->review_level, diff, sizeof diff);
		snprintf(line, sizeof line, "%s (vs. last sent from here %s)", diff, when);
	} else {
		snprintf(line, sizeof line, "nothing sent to it from this machine before");
	}
	row(win, &y, "Change", line, w);
	if (t->kind == TARGET_PARTICIPANT) {
		/* Notes only where they fit above the footer (row h - 2). */
		if (participant_id_unusual(t->id) && y < h - 2) {
			wattron(win, A_BOLD);
			draw_text(win, y++, 11, "External IDs usually begin with \"ok_\": check it.",
				  w - 13);
			wattroff(win, A_BOLD);
		}
		static const char *const notes[] = {
			"The API cannot read a participant's level back;",
			"the change compares with this machine's last send.",
		};
		if (y + 2 < h - 2)
			y++;
		for (size_t i = 0; i < 2 && y < h - 2; i++)
			draw_text(win, y++, 2, notes[i], w - 4);
	}
	wattron(win, A_BOLD);
	draw_text(win, h - 2, 2, "Enter sends   Esc goes back", w - 4);
	wattroff(win, A_BOLD);
	free(path);
	free(body);
}

static void key(struct app *a, bool fkey, wint_t ch)
{
	enum action act = keys_action(SC_ANY, fkey, ch);
	if (act == ACT_ENTER || act == ACT_SEND) {
		struct target t = a->review_target;
		level_t level = a->review_level;
		overlay_close(a);
		send_now(a, &t, level);
	} else if (act == ACT_ESC || (!fkey && ch == 'q')) {
		overlay_close(a);
	}
}

static void close_(struct app *a)
{
	(void)a;
}

const struct overlay_ops review_ops = { build, destroy, draw, key, close_, NULL };
