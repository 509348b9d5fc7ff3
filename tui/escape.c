/* escape: text from the server made safe to put on a terminal. No curses
 * here, so the unit tests can use it as it is. */
#include <stdio.h>
#include <string.h>
#include "escape.h"
#include "safe_text.h"

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned *cp)
{
	size_t len;
	unsigned c = s[0], min;
	if (c < 0x80) { *cp = c; return 1; }
	if (c >= 0xc2 && c <= 0xdf) { len = 2; c &= 0x1f; min = 0x80; }
	else if (c >= 0xe0 && c <= 0xef) { len = 3; c &= 0x0f; min = 0x800; }
	else if (c >= 0xf0 && c <= 0xf4) { len = 4; c &= 0x07; min = 0x10000; }
	else return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

void text_escape(const char *in, size_t n, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;
	if (!outlen)
		return;
	for (size_t i = 0; i < n;) {
		unsigned cp = 0;
		size_t len = utf8_seq(s + i, n - i, &cp);
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

