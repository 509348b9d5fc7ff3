/* paste: bracketed paste. Everything between ESC [200~ and ESC [201~ is
 * collected and handed, whole, to the focused text field; a line break
 * inside it never becomes Enter and its letters never become shortcuts. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include "app.h"
#include "lineedit.h"
#include "term.h"

static void add(struct app *a, wint_t ch)
{
	char mb[8];
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = wcrtomb(mb, (wchar_t)ch, &st);
	if (n == (size_t)-1)
		n = 1, mb[0] = '\x01';   /* unrepresentable: a control, refused later */
	if (a->paste_len + n >= sizeof a->paste) {
		a->paste_over = true;
		return;
	}
	memcpy(a->paste + a->paste_len, mb, n);
	a->paste_len += n;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The paste into the main form's ID field: trimmed, one line, whole. */
static void id_paste(struct app *a, char *text)
{
	while (blank(*text))
		text++;
	size_t n = strlen(text);
	while (n > 0 && blank(text[n - 1]))
		text[--n] = '\0';
	if (a->note_error)
		a->note[0] = '\0', a->note_error = false;
	if (a->paste_over || n > lineedit_max(a->id_edit)) {
		mainscr_refuse_long(a);
		return;
	}
	if (strpbrk(text, "\r\n")) {
		snprintf(a->note, sizeof a->note,
			 "Error: the paste holds a line break; an ID is one line. Nothing was pasted.");
		a->note_error = true;
		return;
	}
	if (lineedit_insert(a->id_edit, text) != 0) {
		if (lineedit_refused(a->id_edit))
			mainscr_refuse_long(a);
		else {
			snprintf(a->note, sizeof a->note, "Error: the paste holds control "
				 "characters or invalid UTF-8. Nothing was pasted.");
			a->note_error = true;
		}
	}
}

static void deliver(struct app *a)
{
	a->paste[a->paste_len] = '\0';
	if (a->too_small)
		beep();
	else if (a->overlay == OV_SETTINGS)
		settings_paste(a, a->paste);
	else if (a->overlay == OV_NONE && a->focus == FOCUS_ID)
		id_paste(a, a->paste);
	else if (a->overlay == OV_NONE) {
		snprintf(a->note, sizeof a->note,
			 "A paste goes into the ID field only: nothing happened.");
		a->note_error = false;
	} else {
		beep();   /* lists: a paste is never taken as keys */
	}
	memset(a->paste, 0, sizeof a->paste);   /* it may have been a key */
	a->paste_len = 0;
	a->paste_over = false;
}

bool paste_key(struct app *a, bool fkey, wint_t ch)
{
	if (fkey && ch == TERM_KEY_PASTE_BEGIN) {
		a->pasting = true;
		a->paste_len = 0;
		a->paste_over = false;
		return true;
	}
	if (fkey && ch == TERM_KEY_PASTE_END) {
		if (a->pasting) {
			a->pasting = false;
			deliver(a);
		}
		return true;
	}
	if (!a->pasting)
		return false;
	if (!fkey)
		add(a, ch);
	else if (ch == KEY_ENTER)
		add(a, '\n');
	return true;
}
