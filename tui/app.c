/* app: layout, drawing order and key dispatch between the form and the
 * one overlay above it. */
#include <stdio.h>
#include <string.h>
#include "app.h"
#include "keys.h"

static const struct overlay_ops *const ops_of[OV_COUNT] = {
	[OV_REVIEW] = &review_ops,
	[OV_RECENTS] = &recents_ops,
	[OV_SETTINGS] = &settings_ops,
	[OV_HELP] = &help_ops,
	[OV_BODY] = &body_ops,
	[OV_GROUPS] = &groups_ops,
	[OV_HISTORY] = &history_ops,
	[OV_EMAIL] = &email_ops,
};

/* The overlay a global key asks for, or OV_NONE. */
static enum overlay overlay_for(enum action act, bool fkey, wint_t ch)
{
	switch (act) {
	case ACT_HELP: return OV_HELP;
	case ACT_RECENTS: return OV_RECENTS;
	case ACT_SETTINGS: return OV_SETTINGS;
	case ACT_GROUPS: return OV_GROUPS;
	case ACT_HISTORY: return OV_HISTORY;
	case ACT_BODY: return fkey || ch < 0x20 ? OV_BODY : OV_NONE;   /* 'b' is text in filters */
	default: return OV_NONE;
	}
}

static void destroy_all(struct app *a)
{
	if (a->overlay != OV_NONE)
		ops_of[a->overlay]->destroy(a);
	mainscr_destroy(a);
}

void app_layout(struct app *a)
{
	destroy_all(a);
	getmaxyx(stdscr, a->rows, a->cols);
	a->too_small = a->rows < MIN_ROWS || a->cols < MIN_COLS;
	if (a->too_small)
		return;
	/* Bottom to top: the form's field, then the overlay's panels. */
	mainscr_build(a);
	if (a->overlay != OV_NONE)
		ops_of[a->overlay]->build(a);
}

void app_teardown(struct app *a)
{
	destroy_all(a);
	if (a->overlay != OV_NONE)
		ops_of[a->overlay]->close(a);
	a->overlay = OV_NONE;
}

static void draw_too_small(struct app *a)
{
	char msg[64];
	werase(stdscr);
	snprintf(msg, sizeof msg, "terminal too small: need %dx%d", MIN_COLS, MIN_ROWS);
	int len = (int)strlen(msg);
	int y = a->rows / 2, x = (a->cols - len) / 2;
	if (x < 0)
		x = 0;
	/* Wrap the notice on very narrow terminals rather than lose it. */
	if (len > a->cols && a->cols > 0) {
		for (int i = 0; i * a->cols < len && y + i < a->rows; i++)
			mvaddnstr(y > 0 ? y - 1 + i : i, 0, msg + i * a->cols, a->cols);
	} else {
		mvaddstr(y, x, msg);
	}
	char now[32];
	snprintf(now, sizeof now, "now %dx%d", a->cols, a->rows);
	if (y + 1 < a->rows && (int)strlen(now) <= a->cols)
		mvaddstr(y + 1, (a->cols - (int)strlen(now)) / 2, now);
	curs_set(0);
}

void app_redraw(struct app *a)
{
	if (a->too_small) {
		draw_too_small(a);
		update_panels();
		doupdate();
		return;
	}
	mainscr_draw(a);
	if (a->overlay != OV_NONE)
		ops_of[a->overlay]->draw(a);
	update_panels();
	/* The cursor goes where the focused text field is, if any. */
	if (a->overlay == OV_NONE)
		mainscr_cursor(a);
	else if (ops_of[a->overlay]->cursor)
		ops_of[a->overlay]->cursor(a);
	else
		curs_set(0);
	doupdate();
}

void overlay_open(struct app *a, enum overlay which)
{
	if (a->overlay != OV_NONE)
		overlay_close(a);
	mainscr_sync_id(a);
	switch (which) {
	case OV_HELP:
		pager_open_help(a);
		if (!a->pager)
			return;
		break;
	case OV_BODY:
		pager_open_body(a);
		if (!a->pager)
			return;
		break;
	case OV_RECENTS:
		recents_open(a);
		if (!a->recents)
			return;
		break;
	case OV_SETTINGS:
		settings_open(a);
		if (!a->settings)
			return;
		break;
	case OV_GROUPS:
		groups_open(a);
		if (!a->groups_view)
			return;
		break;
	case OV_HISTORY:
		history_open(a);
		if (!a->hist)
			return;
		break;
	default:
		break;
	}
	a->overlay = which;
	if (!a->too_small)
		ops_of[which]->build(a);
	if (which == OV_GROUPS)
		groups_start(a);
}

void overlay_close(struct app *a)
{
	if (a->overlay == OV_NONE)
		return;
	const struct overlay_ops *ops = ops_of[a->overlay];
	ops->destroy(a);
	ops->close(a);
	a->overlay = OV_NONE;
}

/* Quits, or asks first while a write is in flight (its outcome would be
 * unknown). */
static void app_quit(struct app *a)
{
	if (a->req_id > 0)
		a->quit_ask = true;
	else
		a->quit = true;
}

void app_key(struct app *a, bool fkey, wint_t ch)
{
	if (fkey && ch == KEY_RESIZE)
		return;     /* the SIGWINCH flag does the work */
	if (paste_key(a, fkey, ch))
		return;     /* a paste is text for the focused field, never keys */
	if (a->quit_ask) {
		a->quit_ask = false;
		if (!fkey && (ch == 'y' || ch == 'Y'))
			a->quit = true;
		return;   /* anything else: stay (No is the default) */
	}
	enum action act = keys_action(SC_ANY, fkey, ch);
	if (act == ACT_QUIT && (fkey || ch < 0x20)) {   /* F10 / Ctrl-X quit from anywhere */
		app_quit(a);
		return;
	}
	if (a->too_small) {
		/* Nothing is visible to act on; Esc still cancels requests. */
		if (act == ACT_ESC) {
			send_cancel(a);
			fetch_cancel(a);
		}
		return;
	}
	if (a->overlay == OV_EMAIL) {
		ops_of[OV_EMAIL]->key(a, fkey, ch);   /* it answers every key itself */
		return;
	}
	if (a->overlay != OV_NONE) {
		enum overlay want = overlay_for(act, fkey, ch);
		if (a->overlay == OV_SETTINGS && (act == ACT_SEND || want != OV_NONE)) {
			/* Leaving would lose what is typed: say how to leave instead. */
			settings_notice(a, "Save (Enter on [ Save ]) or leave with Esc first; "
				       "other screens wait.");
			return;
		}
		if (want != OV_NONE && want != a->overlay) {
			overlay_open(a, want);
			return;
		}
		if (act == ACT_SEND && a->overlay != OV_REVIEW) {
			overlay_close(a);
			send_request(a);
			return;
		}
		ops_of[a->overlay]->key(a, fkey, ch);
		return;
	}
	/* The main form: global keys first, then the form itself. In the ID
	 * field only SC_ANY keys are global; letters are text there. */
	if (a->focus != FOCUS_ID || act != ACT_NONE) {
		enum action any = a->focus == FOCUS_ID ? act
			: keys_action(a->focus == FOCUS_FLAGS ? SC_FLAGS : SC_NOTEXT, fkey, ch);
		switch (any) {
		case ACT_SEND:
			send_request(a);
			return;
		case ACT_HELP:
		case ACT_RECENTS:
		case ACT_SETTINGS:
		case ACT_GROUPS:
		case ACT_HISTORY:
		case ACT_BODY:
			overlay_open(a, overlay_for(any, true, ch));
			return;
		case ACT_QUIT:
			app_quit(a);
			return;
		case ACT_ESC:
			if (a->req_id > 0 || a->fetch_id > 0) {
				send_cancel(a);
				fetch_cancel(a);
			} else if (a->note[0])
				a->note[0] = '\0', a->note_error = false;
			return;
		default:
			break;
		}
	}
	mainscr_key(a, fkey, ch);
}
