/* target: a group or a participant, validated before any request.
 *
 * IDs stay strings end to end: group IDs are millisecond timestamps that do
 * not fit 32 bits. Messages use the server's wording where it has one. */
#ifndef OKAYA_TARGET_H
#define OKAYA_TARGET_H

#include <stdbool.h>
#include <stddef.h>

enum target_kind { TARGET_GROUP, TARGET_PARTICIPANT };

#define GROUP_ID_MAX       19   /* digits */
#define PARTICIPANT_ID_MAX 256  /* bytes of UTF-8 */

struct target {
	enum target_kind kind;
	char id[PARTICIPANT_ID_MAX + 1];
};

/* "group" / "participant". */
const char *target_kind_name(enum target_kind kind);

/* Accepts "group"/"participant" (case-insensitive, also "g"/"p"). 0 or -1. */
int target_kind_parse(const char *text, enum target_kind *out);

/* Trims surrounding blanks from raw_id, validates it for kind, and fills t.
 * Group IDs are stored without leading zeros (the API reads them as numbers).
 * Returns 0, or -1 with a message saying what is wrong and what to do. */
int target_set(struct target *t, enum target_kind kind, const char *raw_id,
	       char *err, size_t errlen);

/* Validators on an already-trimmed ID: 0 or -1 with a message. */
int group_id_check(const char *id, char *err, size_t errlen);
int participant_id_check(const char *id, char *err, size_t errlen);

/* True when a participant ID lacks the usual "ok_" prefix (worth a hint). */
bool participant_id_unusual(const char *id);

/* Percent-encodes s as exactly one path segment: everything but RFC 3986
 * unreserved characters is encoded, and "." / ".." become "%2E" / "%2E%2E".
 * Returns a malloc'd string; NULL on allocation failure. */
char *path_segment_encode(const char *s);

/* "/configure/groups/ID/privacy" or "/configure/participants/ENC/privacy". */
char *target_privacy_path(const struct target *t);
/* "/interact/groups/ID/email" or "/interact/participants/ENC/email". */
char *target_email_path(const struct target *t);
/* "/participants/ENC" (GET). */
char *participant_info_path(const char *external_id);

#endif
