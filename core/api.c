/* api: the Okaya calls this tool makes, and reading their answers. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "api.h"

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* ---- requests ------------------------------------------------------------ */

bool result_confirmed(const struct result *r)
{
	if (!r || r->fail != FAIL_NONE || r->status < 200 || r->status > 299 || !r->json)
		return false;
	struct json_object *m;
	return json_object_is_type(r->json, json_type_object) &&
	       json_object_object_get_ex(r->json, "message", &m) &&
	       json_object_is_type(m, json_type_string);
}

long api_set_privacy(struct engine *e, const struct target *t, level_t level,
		     void *tag, char *err, size_t errlen)
{
	if (!t)
		return fail(err, errlen, "no target");
	if (level & ~LEVEL_ALL)
		return fail(err, errlen, "unknown privacy flag bits 0x%x", level & ~LEVEL_ALL);
	char *path = target_privacy_path(t);
	char *body = level_request_body(level);
	long id = -1;
	if (path && body)
		id = engine_start(e, "POST", path, body, tag, err, errlen);
	else
		fail(err, errlen, "out of memory");
	free(path);
	free(body);
	return id;
}

static const char *const email_types[] = { "checkinReminder", "privacyRequest" };

long api_send_email(struct engine *e, const struct target *t, const char *email_type,
		    void *tag, char *err, size_t errlen)
{
	if (!t)
		return fail(err, errlen, "no target");
	bool known = false;
	for (size_t i = 0; i < sizeof email_types / sizeof email_types[0]; i++)
		if (email_type && strcmp(email_type, email_types[i]) == 0)
			known = true;
	if (!known)
		return fail(err, errlen, "unknown email type \"%.40s\": use checkinReminder or privacyRequest",
			    email_type ? email_type : "");
	struct json_object *o = json_object_new_object();
	char *path = target_email_path(t);
	long id = -1;
	if (o && path && json_object_object_add(o, "emailType", json_object_new_string(email_type)) == 0)
		id = engine_start(e, "POST", path,
				  json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
				  tag, err, errlen);
	else
		fail(err, errlen, "out of memory");
	json_object_put(o);
	free(path);
	return id;
}

long api_get_groups(struct engine *e, void *tag, char *err, size_t errlen)
{
	return engine_start(e, "GET", "/groups", NULL, tag, err, errlen);
}

long api_get_participant(struct engine *e, const char *external_id, void *tag,
			 char *err, size_t errlen)
{
	if (!external_id || participant_id_check(external_id, err, errlen) != 0)
		return external_id ? -1 : fail(err, errlen, "no participant ID");
	char *path = participant_info_path(external_id);
	if (!path)
		return fail(err, errlen, "out of memory");
	long id = engine_start(e, "GET", path, NULL, tag, err, errlen);
	free(path);
	return id;
}

/* ---- answers ------------------------------------------------------------- */

/* A 200 with a JSON body of the wanted type, or a message saying why not. */
static struct json_object *answer(const struct result *r, enum json_type want,
				  char *err, size_t errlen)
{
	if (!r) {
		fail(err, errlen, "no result");
		return NULL;
	}
	if (r->fail != FAIL_NONE || r->status != 200) {
		char sum[512];
		fail(err, errlen, "%s", result_summary(r, sum, sizeof sum));
		return NULL;
	}
	if (!r->json || !json_object_is_type(r->json, want)) {
		fail(err, errlen, "unexpected answer from the server: expected a JSON %s",
		     want == json_type_array ? "array" : "object");
		return NULL;
	}
	return r->json;
}

/* groupID as a JSON integer or a string of digits, into out, canonical
 * (no leading zeros). json-c reads integers above INT64_MAX as unsigned and
 * saturates at UINT64_MAX without a word, so an ID of 20 digits or more is
 * refused: reading it would name a different group. */
static int read_group_id(struct json_object *o, char out[GROUP_ID_MAX + 1],
			 char *err, size_t errlen)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, "groupID", &v))
		return fail(err, errlen, "an entry has no groupID");
	if (json_object_is_type(v, json_type_int)) {
		int64_t n = json_object_get_int64(v);
		if (n < 0)
			return fail(err, errlen, "groupID %" PRId64 " is negative", n);
		/* Below 10^19 every value is exact, UINT64_MAX included not. */
		uint64_t u = n == INT64_MAX ? json_object_get_uint64(v) : (uint64_t)n;
		if (u > UINT64_C(9999999999999999999))
			return fail(err, errlen, "groupID is a number of more than %d digits: "
				    "it cannot be a group ID (and would be read wrong)", GROUP_ID_MAX);
		snprintf(out, GROUP_ID_MAX + 1, "%" PRIu64, u);
		return 0;
	}
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		struct target t;
		if (!*s)
			return fail(err, errlen, "the server sent an empty groupID");
		if (target_set(&t, TARGET_GROUP, s, err, errlen) != 0)
			return -1;
		memcpy(out, t.id, strlen(t.id) + 1); /* checked: at most GROUP_ID_MAX */
		return 0;
	}
	return fail(err, errlen, "groupID is neither a number nor a string of digits");
}

static char *dup_string_field(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return strdup("");
	return strdup(json_object_get_string(v));
}

/* 1, 0, or -1 when absent or neither a boolean nor "true"/"false". */
static int read_tristate(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v))
		return -1;
	if (json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v) ? 1 : 0;
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		return strcmp(s, "true") == 0 ? 1 : strcmp(s, "false") == 0 ? 0 : -1;
	}
	return -1;
}

void group_list_free(struct group_info *g, size_t n)
{
	if (!g)
		return;
	for (size_t i = 0; i < n; i++)
		free(g[i].name);
	free(g);
}

int groups_parse(const struct result *r, struct group_info **out, size_t *n,
		 char *err, size_t errlen)
{
	*out = NULL;
	*n = 0;
	struct json_object *arr = answer(r, json_type_array, err, errlen);
	if (!arr)
		return -1;
	size_t count = json_object_array_length(arr);
	struct group_info *g = calloc(count ? count : 1, sizeof *g);
	if (!g)
		return fail(err, errlen, "out of memory");
	for (size_t i = 0; i < count; i++) {
		struct json_object *o = json_object_array_get_idx(arr, i), *lv;
		char why[256];
		if (!json_object_is_type(o, json_type_object)) {
			group_list_free(g, i);
			return fail(err, errlen, "group %zu of the answer is not an object", i + 1);
		}
		if (read_group_id(o, g[i].id, why, sizeof why) != 0) {
			group_list_free(g, i);
			return fail(err, errlen, "group %zu: %s", i + 1, why);
		}
		g[i].name = dup_string_field(o, "groupName");
		if (!g[i].name) {
			group_list_free(g, i);
			return fail(err, errlen, "out of memory");
		}
		g[i].requested = LEVEL_NONE;
		if (json_object_object_get_ex(o, "requestedPrivacyLevel", &lv) &&
		    !json_object_is_type(lv, json_type_null)) {
			if (level_from_json(lv, &g[i].requested, why, sizeof why) != 0) {
				fail(err, errlen, "group %s: %s", g[i].id, why);
				group_list_free(g, i + 1);
				return -1;
			}
			g[i].has_requested = true;
		}
		g[i].consent = read_tristate(o, "consentRequired");
		g[i].consent_required = g[i].consent == 1;
		/* The group "key" is a secret of its own: never read. */
	}
	*out = g;
	*n = count;
	return 0;
}

void membership_list_free(struct membership *m, size_t n)
{
	if (!m)
		return;
	for (size_t i = 0; i < n; i++) {
		free(m[i].join_date);
		free(m[i].privacy_level_text);
	}
	free(m);
}

int participant_parse(const struct result *r, struct membership **out, size_t *n,
		      char *err, size_t errlen)
{
	*out = NULL;
	*n = 0;
	struct json_object *obj = answer(r, json_type_object, err, errlen), *arr;
	if (!obj)
		return -1;
	if (!json_object_object_get_ex(obj, "userGroups", &arr) ||
	    !json_object_is_type(arr, json_type_array))
		return fail(err, errlen, "unexpected answer from the server: no userGroups list");
	size_t count = json_object_array_length(arr);
	struct membership *m = calloc(count ? count : 1, sizeof *m);
	if (!m)
		return fail(err, errlen, "out of memory");
	for (size_t i = 0; i < count; i++) {
		struct json_object *o = json_object_array_get_idx(arr, i), *lv;
		char why[256];
		if (!json_object_is_type(o, json_type_object)) {
			membership_list_free(m, i);
			return fail(err, errlen, "membership %zu is not an object", i + 1);
		}
		if (read_group_id(o, m[i].group_id, why, sizeof why) != 0) {
			membership_list_free(m, i);
			return fail(err, errlen, "membership %zu: %s", i + 1, why);
		}
		m[i].join_date = dup_string_field(o, "joinDate");
		if (!m[i].join_date) {
			membership_list_free(m, i);
			return fail(err, errlen, "out of memory");
		}
		m[i].privacy_level = -1;
		if (json_object_object_get_ex(o, "privacyLevel", &lv) &&
		    !json_object_is_type(lv, json_type_null)) {
			if (json_object_is_type(lv, json_type_int) &&
			    json_object_get_int64(lv) >= 0) {
				m[i].privacy_level = json_object_get_int64(lv);
			} else {
				/* Shown as given, never read as a level. */
				m[i].privacy_level_text = strdup(json_object_to_json_string_ext(
					lv, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
				if (!m[i].privacy_level_text) {
					membership_list_free(m, i + 1);
					return fail(err, errlen, "out of memory");
				}
			}
		}
	}
	*out = m;
	*n = count;
	return 0;
}

bool privacy_level_on_ladder(int64_t privacy_level)
{
	return privacy_level >= 0 && privacy_level <= FLAG_COUNT;
}

level_t privacy_level_inferred(int64_t privacy_level)
{
	level_t l = LEVEL_NONE;
	for (int64_t i = 0; i < privacy_level && i < FLAG_COUNT; i++)
		l |= flag_table[i].bit;
	return l;
}
