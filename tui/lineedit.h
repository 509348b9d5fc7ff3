/* lineedit: a one-line text field on libform, in its own window and panel
 * (so redrawing what is around it never touches what it shows).
 *
 * Input is wide characters from get_wch; Backspace removes one whole
 * character. Text comes back as UTF-8 without libform's padding. */
#ifndef OKAYA_TUI_LINEEDIT_H
#define OKAYA_TUI_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

struct lineedit;

/* A field at screen row y, column x, `width` columns wide, scrolling
 * horizontally up to max_chars characters. secret: typed text is never
 * displayed. NULL when ncurses refuses (no memory, off screen). */
struct lineedit *lineedit_new(int y, int x, int width, int max_chars, bool secret,
			      const char *text);
void lineedit_free(struct lineedit *le);   /* NULL is fine */

/* Feeds one key. Returns true when the field used it. */
bool lineedit_key(struct lineedit *le, bool fkey, wint_t ch);

/* Trimmed UTF-8 text into out. */
void lineedit_text(struct lineedit *le, char *out, size_t outlen);
void lineedit_set(struct lineedit *le, const char *text);

/* Puts the terminal cursor in the field (call last before doupdate). */
void lineedit_cursor(struct lineedit *le);
/* Underlines the field when focused so it is visible without colour. */
void lineedit_focus(struct lineedit *le, bool focused);

#endif
