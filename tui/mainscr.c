/* mainscr: the main form (kind, ID, flags, Send) above the response panel.
 *
 *  row 0      title: base URL, masked key
 *  row 1..3   kind, ID field, inline note (reason or hint)
 *  row 4..8   the five flags; row 9 the description of the one under the cursor
 *  row 10     Send and the request in flight
 *  row 11..   the response panel; last row the key hints */
#include <stdio.h>
#include <string.h>
#include "app.h"
#include "keys.h"
#include "lineedit.h"
#include "secret.h"

enum { ROW_TITLE = 0, ROW_KIND, ROW_ID, ROW_NOTE, ROW_FLAGS, ROW_DESC = ROW_FLAGS + FLAG_COUNT,
       ROW_SEND, ROW_RESP };
#define FIELD_X 14

void mainscr_build(struct app *a)
{
	int width = a->cols - FIELD_X - 2;
	a->id_edit = lineedit_new(ROW_ID, FIELD_X, width, PARTICIPANT_ID_MAX, false, a->id);
	lineedit_focus(a->id_edit, a->focus == FOCUS_ID);
}

void mainscr_destroy(struct app *a)
{
	if (a->id_edit) {
		mainscr_sync_id(a);
		lineedit_free(a->id_edit);
		a->id_edit = NULL;
	}
}

void mainscr_sync_id(struct app *a)
{
	if (a->id_edit)
		lineedit_text(a->id_edit, a->id, sizeof a->id);
}

/* Ticks the level last sent from this machine, if any: what the form shows
 * until (or unless) the server says otherwise. */
static void tick_local(struct app *a, enum target_kind kind, const char *id)
{
	const struct recent *r = config_recent_find(a->cfg, kind, id);
	if (!r || !r->has_level)
		return;
	char when[32] = "";
	struct tm tm;
	if (r->when && localtime_r(&r->when, &tm))
		strftime(when, sizeof when, " on %Y-%m-%d %H:%M", &tm);
	a->level = r->level;
	a->basis = BASIS_LOCAL;
	a->basis_level = r->level;
	snprintf(a->note, sizeof a->note, "Ticked the level last sent from this machine%s.", when);
}

void mainscr_load(struct app *a, enum target_kind kind, const char *id, bool with_level)
{
	a->kind = kind;
	snprintf(a->id, sizeof a->id, "%s", id);
	lineedit_set(a->id_edit, a->id);
	a->note[0] = '\0';
	a->note_error = false;
	a->basis = BASIS_NONE;
	a->flags_touched = false;
	a->has_loaded = false;
	a->load_notice = false;
	if (a->panel_info)
		info_free(a);
	if (with_level)
		tick_local(a, kind, id);
	/* Ticks left from the previous target would be sent to this one: start
	 * from none unless this target's level is known (the read may add it). */
	if (a->basis == BASIS_NONE) {
		a->level = LEVEL_NONE;
		snprintf(a->note, sizeof a->note, "level unknown: nothing sent from this machine.");
	}
	char err[256];
	struct target t;
	if (target_set(&t, kind, a->id, err, sizeof err) != 0) {
		snprintf(a->note, sizeof a->note, "Error: %s", err);
		a->note_error = true;
		return;
	}
	a->loaded = t;
	a->has_loaded = true;
	/* Read what the server holds: the level (group) or the groups (participant). */
	fetch_load(a, &t);
	if (kind == TARGET_PARTICIPANT && participant_id_unusual(t.id) && !a->note_error)
		snprintf(a->note, sizeof a->note,
			 "Hint: Okaya's external IDs usually begin with \"ok_\".");
}

void mainscr_load_group(struct app *a, const struct group_info *g)
{
	fetch_cancel(a);
	a->kind = TARGET_GROUP;
	snprintf(a->id, sizeof a->id, "%s", g->id);
	lineedit_set(a->id_edit, a->id);
	if (a->panel_info)
		info_free(a);
	a->loaded.kind = TARGET_GROUP;
	snprintf(a->loaded.id, sizeof a->loaded.id, "%s", g->id);
	a->has_loaded = true;
	a->basis = g->has_requested ? BASIS_SERVER : BASIS_NONE;
	a->basis_level = g->requested;
	a->basis_read = time(NULL);   /* the Groups list is a read of the server */
	a->level = g->requested;
	a->flags_touched = false;
	a->load_notice = false;
	char name[200];
	text_escape(g->name ? g->name : "", g->name ? strlen(g->name) : 0, name, sizeof name);
	if (g->has_requested)
		snprintf(a->note, sizeof a->note, "Ticked: current on server (%.80s; consent %s).",
			 name, consent_text(g));
	else
		snprintf(a->note, sizeof a->note,
			 "Level unknown: the server did not send the requested level of %.80s.", name);
	a->note_error = !g->has_requested;
	a->focus = FOCUS_FLAGS;
	lineedit_focus(a->id_edit, false);
}

void mainscr_load_typed(struct app *a)
{
	mainscr_sync_id(a);
	struct target t;
	char err[256];
	if (!a->id[0] || target_set(&t, a->kind, a->id, err, sizeof err) != 0)
		return;   /* Send says what is wrong; leaving the field is no error */
	if (a->has_loaded && a->loaded.kind == t.kind && strcmp(a->loaded.id, t.id) == 0) {
		/* The same ID: read the server again (cheap), since the level may
		 * have changed elsewhere; ticked-by-hand flags are kept. */
		fetch_load(a, &t);
		return;
	}
	mainscr_load(a, t.kind, t.id, true);   /* t: not a->id, which load rewrites */
}

static void set_focus(struct app *a, enum focus f)
{
	bool leaving = a->focus == FOCUS_ID && f != FOCUS_ID;
	if (leaving)
		mainscr_sync_id(a);   /* before the field loses its focus look */
	a->focus = f;
	lineedit_focus(a->id_edit, f == FOCUS_ID);
	if (leaving)
		mainscr_load_typed(a);   /* a typed ID is loaded like any other */
}

void mainscr_focus_flags(struct app *a)
{
	a->focus = FOCUS_FLAGS;
	lineedit_focus(a->id_edit, false);
}

void mainscr_refuse_long(struct app *a)
{
	snprintf(a->note, sizeof a->note,
		 "Error: an ID is at most %d bytes; the field is full, nothing was cut.",
		 PARTICIPANT_ID_MAX);
	a->note_error = true;
}

static void toggle_flag(struct app *a, int i)
{
	if (i < 0 || i >= FLAG_COUNT)
		return;
	a->level ^= flag_table[i].bit;
	a->flag_cur = i;
	a->flags_touched = true;
}

static void set_kind(struct app *a, enum target_kind kind)
{
	if (kind != a->kind)
		fetch_drop_load(a);   /* a group's answer must not tick a participant */
	a->kind = kind;
}

void mainscr_key(struct app *a, bool fkey, wint_t ch)
{
	enum action act;
	if (a->focus == FOCUS_ID) {
		act = keys_action(SC_ANY, fkey, ch);
		if (act == ACT_NONE) {
			if (fkey && ch == KEY_DOWN) {
				set_focus(a, FOCUS_FLAGS);
				return;
			}
			if (fkey && ch == KEY_UP) {
				set_focus(a, FOCUS_KIND);
				return;
			}
			char before[sizeof a->id], after[sizeof a->id];
			lineedit_text(a->id_edit, before, sizeof before);
			lineedit_key(a->id_edit, fkey, ch);
			lineedit_text(a->id_edit, after, sizeof after);
			if (strcmp(before, after) != 0)
				fetch_drop_load(a);   /* its answer is for the old ID */
			/* Any edit makes an old complaint stale. */
			if (a->note_error)
				a->note[0] = '\0', a->note_error = false;
			if (lineedit_refused(a->id_edit))
				mainscr_refuse_long(a);
			return;
		}
	} else {
		act = keys_action(a->focus == FOCUS_FLAGS ? SC_FLAGS : SC_NOTEXT, fkey, ch);
	}

	bool ticks = act == ACT_ALL || act == ACT_CLEAR ||
		(act == ACT_TOGGLE && a->focus == FOCUS_FLAGS) ||
		(act == ACT_ENTER && a->focus == FOCUS_FLAGS) ||
		(act >= ACT_FLAG1 && act < ACT_FLAG1 + FLAG_COUNT);
	if (ticks && a->send_waiting) {
		/* F5 is waiting for the level: a quick "F5 Enter" must not tick a
		 * flag under the review that is about to open. */
		snprintf(a->note, sizeof a->note,
			 "loading the target's current level... the review opens next (Esc cancels).");
		a->note_error = false;
		return;
	}
	if (ticks && a->req_id > 0) {
		/* The form shows what is being sent until the answer is in. */
		snprintf(a->note, sizeof a->note,
			 "The flags are frozen while a request is in flight (Esc cancels it).");
		a->note_error = true;
		return;
	}
	switch (act) {
	case ACT_NEXT:
		set_focus(a, (a->focus + 1) % FOCUS_COUNT);
		return;
	case ACT_PREV:
		set_focus(a, (a->focus + FOCUS_COUNT - 1) % FOCUS_COUNT);
		return;
	case ACT_ENTER:
		if (a->focus == FOCUS_SEND)
			send_request(a);
		else if (a->focus == FOCUS_FLAGS)
			toggle_flag(a, a->flag_cur);
		else
			set_focus(a, a->focus + 1);
		return;
	case ACT_TOGGLE:
		if (a->focus == FOCUS_FLAGS)
			toggle_flag(a, a->flag_cur);
		else if (a->focus == FOCUS_KIND)
			set_kind(a, a->kind == TARGET_GROUP ? TARGET_PARTICIPANT : TARGET_GROUP);
		else if (a->focus == FOCUS_SEND)
			send_request(a);
		return;
	case ACT_LEFT:
	case ACT_RIGHT:
		if (a->focus == FOCUS_KIND)
			set_kind(a, act == ACT_LEFT ? TARGET_GROUP : TARGET_PARTICIPANT);
		return;
	case ACT_UP:
		if (a->flag_cur > 0)
			a->flag_cur--;
		else
			set_focus(a, FOCUS_ID);
		return;
	case ACT_DOWN:
		if (a->flag_cur < FLAG_COUNT - 1)
			a->flag_cur++;
		else
			set_focus(a, FOCUS_SEND);
		return;
	case ACT_ALL:
		a->level = LEVEL_ALL;
		a->flags_touched = true;
		return;
	case ACT_CLEAR:
		a->level = LEVEL_NONE;
		a->flags_touched = true;
		return;
	default:
		if (act >= ACT_FLAG1 && act < ACT_FLAG1 + FLAG_COUNT)
			toggle_flag(a, (int)(act - ACT_FLAG1));
		return;
	}
}

const char *app_key_source(const struct app *a)
{
	if (a->cfg->key_from != KEY_ENV)
		return "";
	return a->key_file ? " (--api-key-file)" : " (env)";
}

/* Bytes of s that fit in width columns, cut after a word when one fits. */
static size_t note_split(const char *s, int width)
{
	if (text_width(s) <= width)
		return strlen(s);
	char buf[400];
	size_t best = 0, n = strlen(s);
	for (size_t i = 1; i <= n && i < sizeof buf; i++) {
		if (s[i] != ' ' && s[i] != '\0')
			continue;
		snprintf(buf, sizeof buf, "%.*s", (int)i, s);
		if (text_width(buf) > width)
			break;
		best = i;
	}
	if (best == 0) {   /* one long word: cut it at a character boundary */
		for (size_t i = 1; i <= n && i < sizeof buf; i++) {
			if (((unsigned char)s[i] & 0xC0) == 0x80)
				continue;
			snprintf(buf, sizeof buf, "%.*s", (int)i, s);
			if (text_width(buf) > width)
				break;
			best = i;
		}
	}
	return best;
}

static void draw_title(struct app *a)
{
	char key[64];
	if (a->cfg->api_key[0]) {
		char masked[32];
		api_key_mask(a->cfg->api_key, masked, sizeof masked);
		snprintf(key, sizeof key, "key %s%s", masked,
			 app_key_source(a));
	} else {
		snprintf(key, sizeof key, "no API key: F3");
	}
	attr_t at = app_attr(a, PAIR_TITLE);
	wattron(stdscr, at);
	mvhline(ROW_TITLE, 0, ' ', a->cols);
	int used = draw_text(stdscr, ROW_TITLE, 1, "okaya-privacy", a->cols - 2);
	int kw = text_width(key);
	char shown[600];
	url_for_display(a->cfg->base_url, shown, sizeof shown);
	draw_text(stdscr, ROW_TITLE, used + 3, shown, a->cols - used - kw - 6);
	draw_text(stdscr, ROW_TITLE, a->cols - kw - 1, key, kw);
	wattroff(stdscr, at);
}

static void draw_row_label(struct app *a, int row, enum focus f, const char *label)
{
	bool on = a->focus == f && a->overlay == OV_NONE;
	mvaddstr(row, 0, on ? ">" : " ");
	if (on)
		attron(A_BOLD);
	mvaddstr(row, 2, label);
	if (on)
		attroff(A_BOLD);
}

/* Under "Flags": where the ticks came from, for the target in the form. */
static void draw_basis(struct app *a)
{
	const char *l1 = NULL, *l2 = NULL;
	bool form_is_loaded = a->has_loaded && a->loaded.kind == a->kind &&
			      strcmp(a->loaded.id, a->id) == 0;
	if (!form_is_loaded)
		return;
	if (a->fetch_id > 0 && a->fetch_why == FETCH_LOAD) {
		static const char spin[] = "|/-\\";
		static char buf[16];
		snprintf(buf, sizeof buf, "reading %c", spin[a->spin % 4]);
		l1 = buf;
	} else if (a->basis == BASIS_SERVER) {
		l1 = "current";
		l2 = "on server";
	} else if (a->basis == BASIS_LOCAL) {
		l1 = "last sent";
		l2 = "from here";
	} else {
		l1 = "level";
		l2 = "unknown";
	}
	if (a->flags_touched && l1 && a->basis != BASIS_NONE && a->level != a->basis_level)
		l2 = "(edited)";
	attr_t dim = app_attr(a, PAIR_DIM);
	attron(dim);
	if (l1)
		draw_text(stdscr, ROW_FLAGS + 1, 2, l1, FIELD_X - 4);
	if (l2)
		draw_text(stdscr, ROW_FLAGS + 2, 2, l2, FIELD_X - 4);
	attroff(dim);
}

static void draw_flags(struct app *a)
{
	bool on = a->focus == FOCUS_FLAGS && a->overlay == OV_NONE;
	draw_row_label(a, ROW_FLAGS, FOCUS_FLAGS, "Flags");
	draw_basis(a);
	for (int i = 0; i < FLAG_COUNT; i++) {
		const struct flag_info *f = &flag_table[i];
		bool cur = on && i == a->flag_cur;
		char line[160];
		snprintf(line, sizeof line, "%s [%c] %d %-18s %s", cur ? ">" : " ",
			 (a->level & f->bit) ? 'x' : ' ', i + 1, f->label, f->wire);
		if (cur)
			attron(A_REVERSE);
		draw_text(stdscr, ROW_FLAGS + i, FIELD_X - 2, line, a->cols - FIELD_X + 1);
		if (cur)
			attroff(A_REVERSE);
	}
	attr_t dim = app_attr(a, PAIR_DIM);
	attron(dim);
	draw_text(stdscr, ROW_DESC, FIELD_X + 5, flag_table[a->flag_cur].description,
		  a->cols - FIELD_X - 6);
	attroff(dim);
}

static void draw_send(struct app *a)
{
	bool on = a->focus == FOCUS_SEND && a->overlay == OV_NONE;
	mvaddstr(ROW_SEND, 0, on ? ">" : " ");
	if (on)
		attron(A_REVERSE | A_BOLD);
	mvaddstr(ROW_SEND, 2, "[ Send ]");
	if (on)
		attroff(A_REVERSE | A_BOLD);
	char status[200];
	if (a->req_id > 0) {
		static const char spin[] = "|/-\\";
		snprintf(status, sizeof status, "%c Sending to %s %.100s... %.1f s  (Esc cancels)",
			 spin[a->spin % 4], target_kind_name(a->req_target.kind),
			 a->req_target.id, send_elapsed_ms(a) / 1000.0);
	} else {
		char lv[128];
		level_format(a->level, lv, sizeof lv);
		snprintf(status, sizeof status, "F5 sends: %s", lv);
	}
	draw_text(stdscr, ROW_SEND, FIELD_X, status, a->cols - FIELD_X - 1);
}

void mainscr_draw(struct app *a)
{
	werase(stdscr);
	draw_title(a);

	draw_row_label(a, ROW_KIND, FOCUS_KIND, "Kind");
	mvprintw(ROW_KIND, FIELD_X, "(%c) Group   (%c) Participant",
		 a->kind == TARGET_GROUP ? '*' : ' ', a->kind == TARGET_PARTICIPANT ? '*' : ' ');
	draw_row_label(a, ROW_ID, FOCUS_ID, a->kind == TARGET_GROUP ? "Group ID" : "External ID");
	draw_flags(a);
	if (a->note[0]) {
		/* A note too long for its row goes on in the description's row:
		 * the reason matters more than the flag's one-liner. */
		int width = a->cols - FIELD_X - 1;
		size_t cut = note_split(a->note, width);
		char first[sizeof a->note];
		snprintf(first, sizeof first, "%.*s", (int)cut, a->note);
		attr_t at = a->note_error ? app_attr(a, PAIR_ERR) : app_attr(a, PAIR_DIM);
		attron(at);
		draw_text(stdscr, ROW_NOTE, FIELD_X, first, width);
		if (a->note[cut]) {
			mvhline(ROW_DESC, 0, ' ', a->cols);
			draw_text(stdscr, ROW_DESC, FIELD_X, a->note + cut + (a->note[cut] == ' '),
				  width);
		}
		attroff(at);
	}
	draw_send(a);

	mvhline(ROW_RESP, 0, ACS_HLINE, a->cols);
	mvaddstr(ROW_RESP, 2, " Response ");
	response_draw(a, stdscr, ROW_RESP + 1, a->rows - ROW_RESP - 2);

	attr_t at = app_attr(a, PAIR_TITLE);
	attron(at);
	mvhline(a->rows - 1, 0, ' ', a->cols);
	if (a->quit_ask) {
		draw_text(stdscr, a->rows - 1, 1, "A request is in flight: quit anyway? y/N",
			  a->cols - 2);
		attroff(at);
		return;
	}
	/* The long bar at 80 columns, the short one down to the minimum 60. */
	draw_text(stdscr, a->rows - 1, 1, a->cols >= 78
		  ? "F1 Help F2 Recent F3 Settings F4 History F5 Send F6 Groups F10 Quit"
		  : "F1 Help F2 Rec F3 Set F4 Hist F5 Send F6 Groups F10 Quit", a->cols - 2);
	attroff(at);
}

void mainscr_cursor(struct app *a)
{
	if (a->focus == FOCUS_ID && a->id_edit) {
		curs_set(1);
		lineedit_cursor(a->id_edit);
	} else {
		curs_set(0);
	}
}
