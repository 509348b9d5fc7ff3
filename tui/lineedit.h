/* lineedit: a one-line text field in its own window and panel (so
 * redrawing what is around it never touches what it shows).
 *
 * The text is kept here as wide characters and drawn by display width, so
 * double-width characters scroll sideways cleanly. (libform was used before:
 * its scrolling fields mis-size wide characters, which sent stray "^@" and
 * read out of bounds.) Backspace removes one whole character. The limit is
 * in bytes of UTF-8, what the API counts; a key that would pass it is
 * refused, never cut. Text comes back as trimmed UTF-8. */
#ifndef OKAYA_TUI_LINEEDIT_H
#define OKAYA_TUI_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

struct lineedit;

/* A field at screen row y, column x, `width` columns wide, holding at most
 * max_bytes bytes of UTF-8. secret: typed text is never displayed. NULL
 * when ncurses refuses (no memory, off screen). */
struct lineedit *lineedit_new(int y, int x, int width, size_t max_bytes, bool secret,
			      const char *text);
void lineedit_free(struct lineedit *le);   /* NULL is fine */

/* Feeds one key. Returns true when the field used it (a printable key
 * refused for length counts as used: see lineedit_refused). */
bool lineedit_key(struct lineedit *le, bool fkey, wint_t ch);

/* Inserts UTF-8 text at the cursor (a paste): all of it, or nothing and -1
 * when it would pass the limit or holds a control character or invalid
 * UTF-8. */
int lineedit_insert(struct lineedit *le, const char *text);

/* True once after a key or insert was refused because of the limit. */
bool lineedit_refused(struct lineedit *le);
size_t lineedit_max(const struct lineedit *le);

/* Trimmed UTF-8 text into out. */
void lineedit_text(struct lineedit *le, char *out, size_t outlen);
void lineedit_set(struct lineedit *le, const char *text);

/* Puts the terminal cursor in the field (call last before doupdate). */
void lineedit_cursor(struct lineedit *le);
/* Underlines the field when focused so it is visible without colour. */
void lineedit_focus(struct lineedit *le, bool focused);

#endif
