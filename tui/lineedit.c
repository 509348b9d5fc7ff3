/* lineedit: libform does the editing; this file only feeds it keys and
 * trims what it gives back. */
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include <form.h>
#include <panel.h>
#include "lineedit.h"

#define CTRL(c) ((c) & 0x1f)

struct lineedit {
	WINDOW *win;
	PANEL *panel;
	FIELD *fields[2];
	FORM *form;
};

struct lineedit *lineedit_new(int y, int x, int width, int max_chars, bool secret,
			      const char *text)
{
	struct lineedit *le = calloc(1, sizeof *le);
	if (!le)
		return NULL;
	le->win = newwin(1, width, y, x);
	if (!le->win)
		goto fail;
	keypad(le->win, TRUE);
	le->panel = new_panel(le->win);
	le->fields[0] = new_field(1, width, 0, 0, 0, 0);
	if (!le->panel || !le->fields[0])
		goto fail;
	/* Dynamic one-line field that scrolls sideways; O_BLANK off so the
	 * first key typed does not wipe the text loaded into it. */
	field_opts_off(le->fields[0], O_STATIC | O_AUTOSKIP | O_BLANK);
	if (secret)
		field_opts_off(le->fields[0], O_PUBLIC);
	set_max_field(le->fields[0], max_chars);
	set_field_back(le->fields[0], A_UNDERLINE);
	le->form = new_form(le->fields);
	if (!le->form)
		goto fail;
	set_form_win(le->form, le->win);
	set_form_sub(le->form, le->win);
	if (text)
		set_field_buffer(le->fields[0], 0, text);
	post_form(le->form);
	form_driver(le->form, REQ_END_LINE);
	return le;
fail:
	lineedit_free(le);
	return NULL;
}

void lineedit_free(struct lineedit *le)
{
	if (!le)
		return;
	if (le->form) {
		unpost_form(le->form);
		free_form(le->form);
	}
	if (le->fields[0])
		free_field(le->fields[0]);
	if (le->panel)
		del_panel(le->panel);
	if (le->win)
		delwin(le->win);
	free(le);
}

static bool request(struct lineedit *le, int req)
{
	form_driver_w(le->form, KEY_CODE_YES, (wchar_t)req);
	return true;
}

bool lineedit_key(struct lineedit *le, bool fkey, wint_t ch)
{
	if (!le)
		return false;
	if (fkey) {
		switch (ch) {
		case KEY_BACKSPACE: return request(le, REQ_DEL_PREV);
		case KEY_DC:        return request(le, REQ_DEL_CHAR);
		case KEY_LEFT:      return request(le, REQ_PREV_CHAR);
		case KEY_RIGHT:     return request(le, REQ_NEXT_CHAR);
		case KEY_HOME:      return request(le, REQ_BEG_LINE);
		case KEY_END:       return request(le, REQ_END_LINE);
		}
		return false;
	}
	switch (ch) {
	case 127: case CTRL('h'): return request(le, REQ_DEL_PREV);
	case CTRL('a'):           return request(le, REQ_BEG_LINE);
	case CTRL('e'):           return request(le, REQ_END_LINE);
	case CTRL('k'):           return request(le, REQ_CLR_EOL);
	case CTRL('u'):           return request(le, REQ_CLR_FIELD);
	}
	if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0))
		return false;   /* other controls never become text */
	form_driver_w(le->form, OK, (wchar_t)ch);
	return true;
}

void lineedit_text(struct lineedit *le, char *out, size_t outlen)
{
	if (!outlen)
		return;
	out[0] = '\0';
	if (!le)
		return;
	form_driver(le->form, REQ_VALIDATION);   /* commit what is typed */
	const char *buf = field_buffer(le->fields[0], 0);
	if (!buf)
		return;
	while (*buf == ' ')
		buf++;
	size_t n = strlen(buf);
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		n--;
	if (n >= outlen)
		n = outlen - 1;
	/* Never cut a UTF-8 character in half. */
	while (n > 0 && ((unsigned char)buf[n] & 0xc0) == 0x80)
		n--;
	memcpy(out, buf, n);
	out[n] = '\0';
}

void lineedit_set(struct lineedit *le, const char *text)
{
	if (!le)
		return;
	set_field_buffer(le->fields[0], 0, text ? text : "");
	form_driver(le->form, REQ_END_LINE);
}

void lineedit_cursor(struct lineedit *le)
{
	if (!le)
		return;
	pos_form_cursor(le->form);
	wnoutrefresh(le->win);
}

void lineedit_focus(struct lineedit *le, bool focused)
{
	if (!le)
		return;
	set_field_back(le->fields[0], focused ? A_UNDERLINE | A_BOLD : A_UNDERLINE);
}
