/* escape: text from the server made safe to put on a terminal. No curses
 * here, so the unit tests can use it as it is. */
#include <stdio.h>
#include <string.h>
#include "escape.h"
#include "safe_text.h"

void text_escape(const char *in, size_t n, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;
	if (!outlen)
		return;
	for (size_t i = 0; i < n;) {
		unsigned cp = 0;
		size_t len = utf8_decode(s + i, n - i, &cp);
		char tmp[12];
		const char *piece = tmp;
		size_t plen;
		if (len == 0) {
			snprintf(tmp, sizeof tmp, "\\x%02X", s[i]);
			len = 1;
		} else if (cp == '\n') {
			piece = "\\n";
		} else if (cp == '\r') {
			piece = "\\r";
		} else if (cp == '\t') {
			piece = "\\t";
		} else if (cp < 0x20 || cp == 0x7f) {
			snprintf(tmp, sizeof tmp, "\\x%02X", cp);
		} else if (codepoint_unsafe(cp)) {
			/* C1 controls and bidi overrides (U+202E would reorder
			 * what follows on screen): shown as their number. */
			snprintf(tmp, sizeof tmp, "\\u%04X", cp);
		} else {
			memcpy(tmp, s + i, len);
			tmp[len] = '\0';
		}
		plen = strlen(piece);
		if (o + plen >= outlen)
			break;
		memcpy(out + o, piece, plen);
		o += plen;
		i += len;
	}
	out[o] = '\0';
}

