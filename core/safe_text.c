/* safe_text: replacing what a terminal would act on, and mending UTF-8. */
#include "safe_text.h"

#include <stdlib.h>
#include <string.h>

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	size_t len;
	unsigned c = s[0], min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
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

static bool is_control(unsigned cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
}

static bool is_bidi_control(unsigned cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

bool codepoint_unsafe(unsigned cp)
{
	return is_control(cp) || is_bidi_control(cp);
}

/* The one loop behind both: writes into out (room for len bytes with the
 * NUL) and returns the length written. */
static size_t clean(const char *in, size_t n, char *out, size_t len, bool bidi)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t k = utf8_decode(s + i, n - i, &cp);
		const char *piece = (const char *)s + i;
		size_t plen = k;
		if (k == 0) {
			piece = replacement;
			plen = 3;
			k = 1;
		} else if (is_control(cp) || (bidi && is_bidi_control(cp))) {
			piece = "?";
			plen = 1;
		}
		if (o + plen + 1 > len)
			break;
		memcpy(out + o, piece, plen);
		o += plen;
		i += k;
	}
	out[o] = '\0';
	return o;
}

char *safe_text(const char *in, char *out, size_t len)
{
	if (!out || len == 0)
		return out;
	clean(in ? in : "", in ? strlen(in) : 0, out, len, true);
	return out;
}

char *utf8_clean_dup(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	size_t room = 3 * n + 1;          /* each byte at worst U+FFFD */
	char *out = malloc(room);
	if (!out)
		return NULL;
	size_t o = clean(s, n, out, room, false);
	char *fit = realloc(out, o + 1);
	return fit ? fit : out;
}
