/* secret: cleaning and masking API keys. Messages never quote the key. */
#include "secret.h"

#include <stdio.h>
#include <string.h>

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int api_key_clean(const char *raw, char *out, size_t outlen, char *err, size_t errlen)
{
	const char *start = raw ? raw : "";
	while (is_space((unsigned char)*start))
		start++;
	size_t n = strlen(start);
	while (n > 0 && is_space((unsigned char)start[n - 1]))
		n--;
	if (n == 0) {
		snprintf(err, errlen, "the API key is empty");
		return -1;
	}
	if (n >= outlen || n > API_KEY_MAX) {
		snprintf(err, errlen, "the API key is too long (%zu characters, at most %d)", n,
			 API_KEY_MAX);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)start[i];
		if (c < 0x20 || c == 0x7F) {
			snprintf(err, errlen,
				 "the API key contains a control character (%s) at position %zu; "
				 "paste it again on a single line",
				 c == '\n' ? "line feed" : c == '\r' ? "carriage return" : "other", i + 1);
			return -1;
		}
		/* Keys are printable ASCII; anything else is a paste accident and
		 * would go into an HTTP header as raw bytes. */
		if (c >= 0x80 || c == ' ') {
			snprintf(err, errlen,
				 "the API key contains a %s at position %zu; keys are printable ASCII "
				 "without spaces: paste it again",
				 c == ' ' ? "space" : "non-ASCII byte", i + 1);
			return -1;
		}
	}
	memcpy(out, start, n);
	out[n] = '\0';
	return 0;
}

void api_key_mask(const char *key, char *out, size_t outlen)
{
	if (outlen == 0)
		return;
	size_t n = key ? strlen(key) : 0;
	if (n == 0) {
		snprintf(out, outlen, "(not set)");
		return;
	}
	/* Short keys would be mostly revealed by their last four: hide them
	 * whole. Always 8 stars, so the mask never tells the key's length. */
	size_t shown = n > 8 ? 4 : 0;
	size_t stars = 8;
	size_t o = 0;
	for (; o < stars && o + 1 < outlen; o++)
		out[o] = '*';
	for (size_t i = 0; i < shown && o + 1 < outlen; i++)
		out[o++] = key[n - shown + i];
	out[o] = '\0';
}
