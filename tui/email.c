/* email: after a change that added flags, asks whether to send the
 * privacyRequest email now. Nothing goes out without a yes: y, or Enter
 * with Yes picked; the pick starts on No. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "keys.h"

static void build(struct app *a)
{
	a->email_win = overlay_window(a, 11, 70, &a->email_panel);
}

static void destroy(struct app *a)
{
	overlay_window_free(&a->email_win, &a->email_panel);
}

static void button(struct app *a, WINDOW *w, int y, int x, const char *label, bool on)
{
	(void)a;
	/* The pick is marked by ">" as well as by reverse video. */
	mvwaddstr(w, y, x, on ? ">" : " ");
	if (on)
		wattron(w, A_REVERSE | A_BOLD);
	mvwaddstr(w, y, x + 1, label);
	if (on)
		wattroff(w, A_REVERSE | A_BOLD);
}

static void draw(struct app *a)
{
	WINDOW *win = a->email_win;
	if (!win)
		return;
	int h, w;
	getmaxyx(win, h, w);
	draw_frame(win, "Send the review email?");
	char line[600], diff[200];
	const struct target *t = &a->email_target;
	level_format_diff(LEVEL_NONE, a->email_added, diff, sizeof diff);
	snprintf(line, sizeof line, "Added for %s %s: %s", target_kind_name(t->kind), t->id, diff);
	int y = 2;
	y += draw_wrap(win, y, 2, line, w - 4, 2);
	y += draw_wrap(win, y, 2, t->kind == TARGET_GROUP
		       ? "Email the group's participants to review their settings now?"
		       : "Email the participant to review their settings now?", w - 4, 2);
	char *path = target_email_path(t);
	snprintf(line, sizeof line, "POST %s  {\"emailType\":\"privacyRequest\"}", path ? path : "?");
	free(path);
	if (y < h - 3)
		draw_wrap(win, y, 2, line, w - 4, h - 3 - y);
	button(a, win, h - 3, 4, "[ Yes, send it ]", a->email_yes);
	button(a, win, h - 3, 24, "[ No ]", !a->email_yes);
	draw_text(win, h - 2, 2, "y sends   n or Esc: not now   Left/Right pick, Enter", w - 4);
}

/* "Not now": said after what the send already reported (saved, or not). */
static void decline(struct app *a)
{
	overlay_close(a);
	size_t len = strlen(a->after_note);
	snprintf(a->after_note + len, sizeof a->after_note - len, "%sReview email not sent.",
		 len ? " " : "");
}

static void key(struct app *a, bool fkey, wint_t ch)
{
	enum action act = keys_action(SC_CONFIRM, fkey, ch);
	if (act == ACT_NONE) {
		enum action nav = keys_action(SC_NOTEXT, fkey, ch);
		if (nav == ACT_LEFT || nav == ACT_RIGHT || nav == ACT_NEXT || nav == ACT_PREV) {
			a->email_yes = !a->email_yes;
			return;
		}
		/* Any other key is a "not now", and only that: the key that
		 * answers the prompt never reaches the form (Space would tick,
		 * q would quit). */
		decline(a);
		return;
	}
	if (act == ACT_ENTER)
		act = a->email_yes ? ACT_YES : ACT_NO;
	if (act == ACT_YES) {
		struct target t = a->email_target;
		overlay_close(a);
		send_notify(a, &t);
	} else if (act == ACT_NO || act == ACT_ESC) {
		decline(a);
	}
}

static void close_(struct app *a)
{
	(void)a;
}

const struct overlay_ops email_ops = { build, destroy, draw, key, close_, NULL };
