/* secret: cleaning and masking API keys. Messages never quote the key. */
#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

#define KEY_FILE_MAX 4096

/* Reads a small regular file whole into buf (NUL-terminated). 0 or -1
 * with errno (EISDIR; ENODEV for a FIFO, socket or device; EFBIG). */
static int read_small_file(const char *path, char *buf, size_t len, struct stat *st)
{
	/* O_NONBLOCK: opening a FIFO with no writer must not hang us. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		int e = S_ISDIR(st->st_mode) ? EISDIR : ENODEV;
		close(fd);
		errno = e;
		return -1;
	}
	size_t n = 0;
	for (;;) {
		ssize_t k = read(fd, buf + n, len - 1 - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			int e = errno;
			close(fd);
			if (k < 0) {
				errno = e;
				return -1;
			}
			break;
		}
		n += (size_t)k;
		if (n == len - 1) {   /* full: more would be too big for a key */
			char extra;
			ssize_t more = read(fd, &extra, 1);
			close(fd);
			if (more != 0) {
				errno = EFBIG;
				return -1;
			}
			break;
		}
	}
	buf[n] = '\0';
	return 0;
}

int api_key_read_file(const char *path, char *out, size_t outlen, bool *others_can_read,
		      char *err, size_t errlen)
{
	char raw[KEY_FILE_MAX + 1];
	struct stat st;
	*others_can_read = false;
	if (read_small_file(path, raw, sizeof raw, &st) != 0) {
		snprintf(err, errlen, "cannot read the key file %s: %s", path,
			 errno == EFBIG ? "larger than a key can be" :
			 errno == EISDIR ? "it is a directory" :
			 errno == ENODEV ? "not a regular file" : strerror(errno));
		return -1;
	}
	*others_can_read = (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
	char why[200];
	int rc = api_key_clean(raw, out, outlen, why, sizeof why);
	explicit_bzero(raw, sizeof raw);
	if (rc != 0)
		snprintf(err, errlen, "the key file %s: %s", path, why);
	return rc;
}
