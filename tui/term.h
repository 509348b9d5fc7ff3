/* term: the terminal's modes and the signals that concern it.
 *
 * Signal handlers only set flags; the event loop reads them with
 * term_take_*. Crash signals restore the saved tty modes and re-raise, so
 * even a fatal error leaves the terminal usable. */
#ifndef OKAYA_TUI_TERM_H
#define OKAYA_TUI_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <curses.h>

/* Key codes for the bracketed-paste markers ESC [200~ and ESC [201~ (bound
 * with define_key, past every KEY_* curses uses). Between them is text. */
#define TERM_KEY_PASTE_BEGIN (KEY_MAX + 1)
#define TERM_KEY_PASTE_END   (KEY_MAX + 2)

/* Saves the tty modes, installs handlers, starts curses (cbreak, noecho,
 * keypad, ESCDELAY 25 ms, bracketed paste on). Returns the input pad (read
 * keys from it: a pad never refreshes itself over the panels), or NULL with
 * a message. A terminal without cursor addressing (TERM=dumb) is refused
 * before anything is written to it. */
WINDOW *term_start(bool *colour, char *err, size_t errlen);
/* Turns bracketed paste off, ends curses and puts the saved tty modes back.
 * Safe to call twice. */
void term_stop(void);

bool term_take_resize(void);   /* a SIGWINCH arrived since last asked */
int term_take_quit(void);      /* SIGINT/SIGTERM/SIGHUP number, or 0 */
void term_apply_size(void);    /* tells curses the terminal's new size */

#endif
