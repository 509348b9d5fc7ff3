/* secret: API keys in and out. A key is trimmed once, refused when it still
 * holds a control character, and only ever shown masked. */
#ifndef OKAYA_SECRET_H
#define OKAYA_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#define API_KEY_MAX 512

/* Copies raw into out (size outlen) trimmed of surrounding whitespace.
 * Returns 0, or -1 with a message (never containing the key) when the key is
 * empty, too long, or holds a control character such as CR or LF, an inner
 * space or a non-ASCII byte (keys are printable ASCII). */
int api_key_clean(const char *raw, char *out, size_t outlen, char *err, size_t errlen);

/* Reads a key from a file (--api-key-file): a small regular file, cleaned
 * with api_key_clean. Never blocks on a FIFO or device. 0, or -1 with a
 * message that names the file and never the key. *others_can_read tells
 * the caller to warn (group or others may read the file). */
int api_key_read_file(const char *path, char *out, size_t outlen, bool *others_can_read,
		      char *err, size_t errlen);

/* Masks all but the last 4 characters: "••••••••3f9a" rendered in ASCII as
 * "********3f9a" (always 8 stars, whatever the length, so the mask does not
 * tell it; keys of 8 characters or fewer are "********"). Always
 * NUL-terminates out. */
void api_key_mask(const char *key, char *out, size_t outlen);

#endif
