/* safe_text: text from outside (the server, the config file, argv) made safe
 * to print on a terminal or store as UTF-8. Curses-free: the CLI and the TUI
 * can both use it. */
#ifndef OKAYA_SAFE_TEXT_H
#define OKAYA_SAFE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Length (1-4) of the valid, shortest-form UTF-8 sequence at s (n bytes
 * available) with its code point in *cp, or 0 when s does not start one. */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

/* True for code points a terminal may act on: C0 controls, DEL, C1
 * controls (U+0080-U+009F, e.g. U+009B is CSI) and the bidi embeddings,
 * overrides and isolates (U+202A-U+202E, U+2066-U+2069) that reorder what
 * follows them on screen. */
bool codepoint_unsafe(unsigned cp);

/* Copies in to out (NUL-terminated, cut at len on a character boundary)
 * with every unsafe code point as '?' and every byte that is not valid
 * UTF-8 as U+FFFD. Returns out. For anything printed to a terminal. */
char *safe_text(const char *in, char *out, size_t len);

/* A malloc'd copy of at most max bytes of s, valid UTF-8 (invalid bytes as
 * U+FFFD) with C0 controls, DEL and C1 controls as '?'; bidi controls are
 * kept (this is for storing and JSON; printing goes through safe_text).
 * NULL when out of memory. */
char *utf8_clean_dup(const char *s, size_t max);

#endif
