/* escape: makes untrusted text (server messages, bodies, IDs from the
 * config file) safe to draw: nothing in it can reach the terminal as a
 * control sequence. */
#ifndef OKAYA_TUI_ESCAPE_H
#define OKAYA_TUI_ESCAPE_H

#include <stddef.h>

/* Copies n bytes of in to out (NUL-terminated, cut at outlen, never inside
 * an escape): valid UTF-8 printable text as it is; \n \r \t as those two
 * characters; other C0 controls and DEL as \xNN; C1 controls as \uNNNN;
 * bytes that are not valid UTF-8 as \xNN. 6 * n + 1 bytes always suffice. */
void text_escape(const char *in, size_t n, char *out, size_t outlen);

#endif
