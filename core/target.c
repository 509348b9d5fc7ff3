/* target: kinds, ID validation and the request paths built from them. */
#include "target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *target_kind_name(enum target_kind kind)
{
	return kind == TARGET_GROUP ? "group" : "participant";
}

int target_kind_parse(const char *text, enum target_kind *out)
{
	if (strcasecmp(text, "group") == 0 || strcasecmp(text, "g") == 0)
		*out = TARGET_GROUP;
	else if (strcasecmp(text, "participant") == 0 || strcasecmp(text, "p") == 0)
		*out = TARGET_PARTICIPANT;
	else
		return -1;
	return 0;
}

static int is_trim_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int group_id_check(const char *id, char *err, size_t errlen)
{
	size_t n = strlen(id);
	if (n == 0) {
		snprintf(err, errlen, "You are missing the path parameter groupID: type the group's ID");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (id[i] < '0' || id[i] > '9') {
			snprintf(err, errlen, "groupID must be a number (digits only, e.g. 1710748366424)");
			return -1;
		}
	}
	if (n > GROUP_ID_MAX) {
		snprintf(err, errlen, "groupID is too long: %zu digits, at most %d", n, GROUP_ID_MAX);
		return -1;
	}
	return 0;
}

/* Length of the UTF-8 sequence starting at s, or 0 when it is not valid
 * (overlong forms, surrogates and code points past U+10FFFF are refused). */
static size_t utf8_sequence(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	size_t len;
	unsigned cp;
	if ((s[0] & 0xE0) == 0xC0) {
		len = 2;
		cp = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3;
		cp = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	static const unsigned min_for_len[] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	/* C1 control characters are controls too. */
	if (cp >= 0x80 && cp <= 0x9F)
		return 0;
	return len;
}

int participant_id_check(const char *id, char *err, size_t errlen)
{
	size_t n = strlen(id);
	if (n == 0) {
		snprintf(err, errlen,
			 "You are missing the path parameter externalID: type the participant's "
			 "external ID (e.g. ok_participant1)");
		return -1;
	}
	if (n > PARTICIPANT_ID_MAX) {
		snprintf(err, errlen, "externalID is too long: %zu bytes, at most %d", n,
			 PARTICIPANT_ID_MAX);
		return -1;
	}
	const unsigned char *s = (const unsigned char *)id;
	for (size_t i = 0; i < n;) {
		if (s[i] < 0x20 || s[i] == 0x7F) {
			snprintf(err, errlen,
				 "externalID contains a control character at byte %zu; remove it", i + 1);
			return -1;
		}
		size_t len = utf8_sequence(s + i);
		if (len == 0) {
			snprintf(err, errlen,
				 "externalID is not valid UTF-8 (byte %zu); retype it", i + 1);
			return -1;
		}
		i += len;
	}
	return 0;
}

bool participant_id_unusual(const char *id)
{
	return strncmp(id, "ok_", 3) != 0;
}

int target_set(struct target *t, enum target_kind kind, const char *raw_id, char *err,
	       size_t errlen)
{
	const char *start = raw_id ? raw_id : "";
	while (is_trim_blank((unsigned char)*start))
		start++;
	size_t n = strlen(start);
	while (n > 0 && is_trim_blank((unsigned char)start[n - 1]))
		n--;
	if (n > PARTICIPANT_ID_MAX) {
		snprintf(err, errlen, "%s is too long: %zu bytes, at most %d",
			 kind == TARGET_GROUP ? "groupID" : "externalID", n,
			 kind == TARGET_GROUP ? GROUP_ID_MAX : PARTICIPANT_ID_MAX);
		return -1;
	}
	char id[PARTICIPANT_ID_MAX + 1];
	memcpy(id, start, n);
	id[n] = '\0';
	int rc = kind == TARGET_GROUP ? group_id_check(id, err, errlen)
				      : participant_id_check(id, err, errlen);
	if (rc != 0)
		return -1;
	/* The API reads a group ID as a number: 0123456 is group 123456. One
	 * spelling per group keeps recents and history from splitting it. */
	const char *canon = id;
	if (kind == TARGET_GROUP)
		while (canon[0] == '0' && canon[1] != '\0')
			canon++;
	t->kind = kind;
	memcpy(t->id, canon, strlen(canon) + 1);
	return 0;
}

static int is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '~';
}

char *path_segment_encode(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n * 3 + 1);
	if (!out)
		return NULL;
	static const char hex[] = "0123456789ABCDEF";
	char *o = out;
	/* '.' is unreserved, but "." and ".." as a whole segment are dot-segments
	 * that a URL normaliser may collapse: encode every dot to be safe. */
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (is_unreserved(*p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 0x0F];
		}
	}
	*o = '\0';
	return out;
}

static char *build_path(const char *prefix, const struct target *t, const char *suffix)
{
	char *id = path_segment_encode(t->id);
	if (!id)
		return NULL;
	const char *kind = t->kind == TARGET_GROUP ? "groups" : "participants";
	size_t len = strlen(prefix) + strlen(kind) + strlen(id) + strlen(suffix) + 4;
	char *path = malloc(len);
	if (path)
		snprintf(path, len, "%s/%s/%s%s", prefix, kind, id, suffix);
	free(id);
	return path;
}

char *target_privacy_path(const struct target *t)
{
	return build_path("/configure", t, "/privacy");
}

char *target_email_path(const struct target *t)
{
	return build_path("/interact", t, "/email");
}

char *participant_info_path(const char *external_id)
{
	struct target t = { .kind = TARGET_PARTICIPANT };
	size_t n = strlen(external_id);
	if (n > PARTICIPANT_ID_MAX)
		return NULL;
	memcpy(t.id, external_id, n + 1);
	return build_path("", &t, "");
}
