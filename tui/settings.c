/* settings: API key, base URL, timeout and review, saved to the config file.
 * The key field starts empty and never displays what is typed; beside it
 * the current key is shown masked (all but the last 4 characters). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "keys.h"
#include "lineedit.h"
#include "secret.h"

enum { F_KEY, F_URL, F_TIMEOUT, F_REVIEW, F_SAVE, F_COUNT };
#define N_EDITS 3

struct settings_view {
	char text[N_EDITS][API_KEY_MAX + 1];  /* what the three text fields hold */
	bool review;
	bool key_broken;   /* Enter was pressed in the key field: a split paste */
	int field;
	char msg[320];
	bool msg_error;
	WINDOW *win;
	PANEL *panel;
	struct lineedit *edit[N_EDITS];
};

#define LABEL_W 12

static void sync(struct settings_view *v)
{
	for (int i = 0; i < N_EDITS; i++)
		if (v->edit[i])
			lineedit_text(v->edit[i], v->text[i], sizeof v->text[i]);
}

static void build(struct app *a)
{
	struct settings_view *v = a->settings;
	v->win = overlay_window(a, 13, 76, &v->panel);
	if (!v->win)
		return;
	int y, x, w = getmaxx(v->win);
	getbegyx(v->win, y, x);
	int fw = w - LABEL_W - 4;
	/* The key field is narrower: the masked current key sits beside it. */
	v->edit[F_KEY] = lineedit_new(y + 2, x + LABEL_W + 2, fw / 2, API_KEY_MAX, true,
				      v->text[F_KEY]);
	v->edit[F_URL] = lineedit_new(y + 4, x + LABEL_W + 2, fw, API_KEY_MAX, false, v->text[F_URL]);
	v->edit[F_TIMEOUT] = lineedit_new(y + 5, x + LABEL_W + 2, 6, 5, false,
					  v->text[F_TIMEOUT]);
	for (int i = 0; i < N_EDITS; i++)
		lineedit_focus(v->edit[i], v->field == i);
}

static void destroy(struct app *a)
{
	struct settings_view *v = a->settings;
	if (!v)
		return;
	sync(v);
	for (int i = 0; i < N_EDITS; i++) {
		lineedit_free(v->edit[i]);
		v->edit[i] = NULL;
	}
	overlay_window_free(&v->win, &v->panel);
}

static void label(WINDOW *w, int y, const char *text, bool focused)
{
	mvwaddstr(w, y, 1, focused ? ">" : " ");
	if (focused)
		wattron(w, A_BOLD);
	mvwaddstr(w, y, 2, text);
	if (focused)
		wattroff(w, A_BOLD);
}

static void draw(struct app *a)
{
	struct settings_view *v = a->settings;
	if (!v || !v->win)
		return;
	int h, w;
	getmaxyx(v->win, h, w);
	draw_frame(v->win, "Settings");
	int fw = w - LABEL_W - 4;

	char masked[32], line[200];
	label(v->win, 2, "API key", v->field == F_KEY);
	if (a->cfg->api_key[0]) {
		api_key_mask(a->cfg->api_key, masked, sizeof masked);
		snprintf(line, sizeof line, "now %s%s", masked,
			 app_key_source(a));
	} else {
		snprintf(line, sizeof line, "none set");
	}
	draw_text(v->win, 2, LABEL_W + 3 + fw / 2, line, w - LABEL_W - fw / 2 - 5);
	/* What was typed, masked too, so a paste can be checked by its end. */
	if (v->edit[F_KEY])
		lineedit_text(v->edit[F_KEY], v->text[F_KEY], sizeof v->text[F_KEY]);
	if (v->key_broken) {
		snprintf(line, sizeof line, "new key: has a line break (Ctrl-U clears)");
	} else if (v->text[F_KEY][0]) {
		char clean[API_KEY_MAX + 1], err[128];
		if (api_key_clean(v->text[F_KEY], clean, sizeof clean, err, sizeof err) == 0) {
			api_key_mask(clean, masked, sizeof masked);
			snprintf(line, sizeof line, "new key: %s (%zu characters)", masked,
				 strlen(clean));
		} else {
			snprintf(line, sizeof line, "new key: %s", err);
		}
	} else {
		snprintf(line, sizeof line, "paste a new key; empty keeps the current one");
	}
	wattron(v->win, A_DIM);
	draw_text(v->win, 3, LABEL_W + 2, line, w - LABEL_W - 4);
	wattroff(v->win, A_DIM);

	label(v->win, 4, "Base URL", v->field == F_URL);
	label(v->win, 5, "Timeout", v->field == F_TIMEOUT);
	draw_text(v->win, 5, LABEL_W + 9, "seconds, total per request", w - LABEL_W - 10);
	label(v->win, 6, "Review", v->field == F_REVIEW);
	char rv[80];
	snprintf(rv, sizeof rv, "[%c] review before sending (Space)", v->review ? 'x' : ' ');
	draw_text(v->win, 6, LABEL_W + 2, rv, w - LABEL_W - 3);
	label(v->win, 8, "", v->field == F_SAVE);
	if (v->field == F_SAVE)
		wattron(v->win, A_REVERSE | A_BOLD);
	mvwaddstr(v->win, 8, LABEL_W + 2, "[ Save ]");
	if (v->field == F_SAVE)
		wattroff(v->win, A_REVERSE | A_BOLD);

	if (v->msg[0]) {
		attr_t at = v->msg_error ? app_attr(a, PAIR_ERR) : A_NORMAL;
		wattron(v->win, at);
		/* Two lines: reasons (a save error, api_key_clean's) are long. */
		draw_wrap(v->win, h - 4, 2, v->msg, w - 4, 2);
		wattroff(v->win, at);
	}
	char where[300];
	snprintf(where, sizeof where, "File: %s", a->cfg->path ? a->cfg->path : "?");
	wattron(v->win, A_DIM);
	draw_text(v->win, h - 2, 2, where, w - 4);
	wattroff(v->win, A_DIM);
	draw_text(v->win, h - 1, 2, " Tab moves  Enter on Save saves  Esc cancels ", w - 4);
}

static void save(struct app *a)
{
	struct settings_view *v = a->settings;
	char err[256];
	sync(v);
	char *end;
	errno = 0;
	long t = strtol(v->text[F_TIMEOUT], &end, 10);
	if (errno || end == v->text[F_TIMEOUT] || *end || t < 1 || t > 3600) {
		snprintf(v->msg, sizeof v->msg, "Error: the timeout must be 1 to 3600 seconds.");
		v->msg_error = true;
		v->field = F_TIMEOUT;
		return;
	}
	if (v->key_broken) {
		snprintf(v->msg, sizeof v->msg, "Error: the key had a line break in it; clear it "
			 "with Ctrl-U and paste it again on one line.");
		v->msg_error = true;
		v->field = F_KEY;
		return;
	}
	if (v->text[F_KEY][0] &&
	    config_set_api_key(a->cfg, v->text[F_KEY], err, sizeof err) != 0) {
		snprintf(v->msg, sizeof v->msg, "Error: %s", err);
		v->msg_error = true;
		v->field = F_KEY;
		return;
	}
	if (engine_base_url_check(v->text[F_URL], err, sizeof err) != 0) {
		/* Empty is refused too: it would silently mean production. */
		snprintf(v->msg, sizeof v->msg, "Error: %s", v->text[F_URL][0] ? err
			 : "the base URL is empty; type one (the API's default is "
			   DEFAULT_BASE_URL ")");
		v->msg_error = true;
		v->field = F_URL;
		return;
	}
	if (strcmp(v->text[F_URL], a->cfg->base_url) != 0 &&
	    config_set_base_url(a->cfg, v->text[F_URL], err, sizeof err) != 0) {
		snprintf(v->msg, sizeof v->msg, "Error: %s", err);
		v->msg_error = true;
		v->field = F_URL;
		return;
	}
	a->cfg->timeout_s = t;
	a->cfg->review = v->review;
	if (config_save(a->cfg, err, sizeof err) != 0) {
		snprintf(v->msg, sizeof v->msg, "Error: not saved: %s", err);
		v->msg_error = true;
		return;
	}
	/* The settings apply to the next request, saved or not. */
	if (send_engine_setup(a, false) != 0) {
		snprintf(v->msg, sizeof v->msg, "Saved, but unusable: %s", a->eng_err);
		v->msg_error = true;
		return;
	}
	overlay_close(a);
	snprintf(a->note, sizeof a->note, "Settings saved.%s",
		 a->cfg->key_from == KEY_ENV ? " OKAYA_API_KEY still wins for this run." : "");
	a->note_error = false;
}

static void move_to(struct settings_view *v, int to)
{
	v->field = (to + F_COUNT) % F_COUNT;
	for (int i = 0; i < N_EDITS; i++)
		lineedit_focus(v->edit[i], v->field == i);
}

static void key(struct app *a, bool fkey, wint_t ch)
{
	struct settings_view *v = a->settings;
	enum action act = keys_action(SC_ANY, fkey, ch);
	v->msg[0] = '\0';
	switch (act) {
	case ACT_ESC:
		overlay_close(a);
		return;
	case ACT_NEXT:
		move_to(v, v->field + 1);
		return;
	case ACT_PREV:
		move_to(v, v->field - 1);
		return;
	case ACT_ENTER:
		if (v->field == F_SAVE)
			save(a);
		else if (v->field == F_REVIEW)
			v->review = !v->review;
		else if (v->field == F_KEY) {
			/* Enter here is most likely a line break inside a paste:
			 * the rest must not land in the Base URL unseen. */
			v->key_broken = true;
			snprintf(v->msg, sizeof v->msg, "Error: a line break in the key (Enter or "
				 "a paste); Ctrl-U clears it. Tab moves on.");
			v->msg_error = true;
		} else {
			snprintf(v->msg, sizeof v->msg, "Tab moves to the next field; Enter on "
				 "[ Save ] saves.");
			v->msg_error = false;
		}
		return;
	default:
		break;
	}
	if (fkey && (ch == KEY_UP || ch == KEY_DOWN)) {
		move_to(v, v->field + (ch == KEY_UP ? -1 : 1));
		return;
	}
	if (v->field < N_EDITS) {
		lineedit_key(v->edit[v->field], fkey, ch);
		if (lineedit_refused(v->edit[v->field])) {
			snprintf(v->msg, sizeof v->msg, "Error: at most %zu bytes here.",
				 lineedit_max(v->edit[v->field]));
			v->msg_error = true;
		}
		if (v->field == F_KEY && v->key_broken) {
			lineedit_text(v->edit[F_KEY], v->text[F_KEY], sizeof v->text[F_KEY]);
			v->key_broken = v->text[F_KEY][0] != '\0';   /* cleared: a fresh start */
		}
	}
	else if (v->field == F_REVIEW && !fkey && ch == ' ')
		v->review = !v->review;
}

void settings_notice(struct app *a, const char *msg)
{
	if (!a->settings)
		return;
	snprintf(a->settings->msg, sizeof a->settings->msg, "%s", msg);
	a->settings->msg_error = true;
}

void settings_paste(struct app *a, const char *text)
{
	struct settings_view *v = a->settings;
	if (!v || v->field >= N_EDITS || !v->edit[v->field]) {
		snprintf(v ? v->msg : (char[1]){0}, v ? sizeof v->msg : 1,
			 "A paste goes into a text field: nothing happened.");
		return;
	}
	char err[256];
	if (v->field == F_KEY) {
		char clean[API_KEY_MAX + 1];
		if (api_key_clean(text, clean, sizeof clean, err, sizeof err) != 0) {
			snprintf(v->msg, sizeof v->msg, "Error: not pasted: %s", err);
			v->msg_error = true;
			return;
		}
		int rc = lineedit_insert(v->edit[F_KEY], clean);
		memset(clean, 0, sizeof clean);
		if (rc != 0) {
			snprintf(v->msg, sizeof v->msg, "Error: not pasted: the key would be too long.");
			v->msg_error = true;
		}
		return;
	}
	/* One-line fields: surrounding blanks go, an inner line break refuses. */
	while (*text == ' ' || *text == '\t' || *text == '\r' || *text == '\n')
		text++;
	char one[API_KEY_MAX + 1];
	snprintf(one, sizeof one, "%s", text);
	size_t n = strlen(one);
	while (n > 0 && strchr(" \t\r\n", one[n - 1]))
		one[--n] = '\0';
	if (strpbrk(one, "\r\n")) {
		snprintf(v->msg, sizeof v->msg, "Error: not pasted: it holds a line break.");
		v->msg_error = true;
	} else if (strlen(text) > sizeof one - 1 || lineedit_insert(v->edit[v->field], one) != 0) {
		snprintf(v->msg, sizeof v->msg, "Error: not pasted: too long, or it holds "
			 "control characters.");
		v->msg_error = true;
	}
}

static void cursor(struct app *a)
{
	struct settings_view *v = a->settings;
	if (v && v->field < N_EDITS && v->edit[v->field]) {
		curs_set(1);
		lineedit_cursor(v->edit[v->field]);
	} else {
		curs_set(0);
	}
}

static void close_(struct app *a)
{
	struct settings_view *v = a->settings;
	if (!v)
		return;
	/* Typed key material does not linger in memory. */
	memset(v->text, 0, sizeof v->text);
	free(v);
	a->settings = NULL;
}

void settings_open(struct app *a)
{
	struct settings_view *v = calloc(1, sizeof *v);
	if (!v)
		return;
	snprintf(v->text[F_URL], sizeof v->text[F_URL], "%s", a->cfg->base_url);
	snprintf(v->text[F_TIMEOUT], sizeof v->text[F_TIMEOUT], "%ld", a->cfg->timeout_s);
	v->review = a->cfg->review;
	a->settings = v;
}

const struct overlay_ops settings_ops = { build, destroy, draw, key, close_, cursor };
