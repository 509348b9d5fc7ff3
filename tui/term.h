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

/* Saves the tty modes, installs handlers, starts curses (cbreak, noecho,
 * keypad, ESCDELAY 25 ms). Returns the input pad (read keys from it: a pad
 * never refreshes itself over the panels), or NULL with a message. */
WINDOW *term_start(bool *colour, char *err, size_t errlen);
/* Ends curses and puts the saved tty modes back. Safe to call twice. */
void term_stop(void);

bool term_take_resize(void);   /* a SIGWINCH arrived since last asked */
int term_take_quit(void);      /* SIGINT/SIGTERM/SIGHUP number, or 0 */
void term_apply_size(void);    /* tells curses the terminal's new size */

#endif
