/* flags: the flag table and conversions between levels, text and JSON. */
#include "flags.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const struct flag_info flag_table[FLAG_COUNT] = {
	{ FLAG_MHCI, "mhci", NULL, "MHCI score",
	  "The Mental Health Check-In score and its subscores" },
	/* The API spells it "Perecntiles"; that spelling is what it accepts. */
	{ FLAG_GROUP_PERCENTILES, "groupPerecntiles", "groupPercentiles", "Group percentiles",
	  "Where the participant stands within their group" },
	{ FLAG_USER_PERCENTILES, "userPercentiles", NULL, "User percentiles",
	  "The participant's scores against their own history" },
	{ FLAG_TRANSCRIPT, "transcript", NULL, "Transcript",
	  "The text transcript of each check-in" },
	{ FLAG_FEATURES, "features", NULL, "Features",
	  "The voice and language features extracted from a check-in" },
};

const struct flag_info *flag_find(const char *name)
{
	for (size_t i = 0; i < FLAG_COUNT; i++) {
		const struct flag_info *f = &flag_table[i];
		if (strcasecmp(name, f->wire) == 0 || (f->alias && strcasecmp(name, f->alias) == 0))
			return f;
	}
	return NULL;
}

static void valid_names(char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < FLAG_COUNT && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 flag_table[i].wire);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Copies the item [start, end) trimmed of blanks into word; returns its length. */
static size_t trimmed_item(const char *start, const char *end, char *word, size_t size)
{
	while (start < end && is_blank(*start))
		start++;
	while (end > start && is_blank(end[-1]))
		end--;
	size_t n = (size_t)(end - start);
	if (n >= size)
		n = size - 1; /* longer than any flag: still reported as unknown */
	memcpy(word, start, n);
	word[n] = '\0';
	return n;
}

static int add_flag_word(const char *word, level_t *level, bool *said_none, char *err,
			 size_t errlen)
{
	const struct flag_info *f = flag_find(word);
	if (f)
		*level |= f->bit;
	else if (strcasecmp(word, "all") == 0)
		*level |= LEVEL_ALL;
	else if (strcasecmp(word, "none") == 0)
		*said_none = true;
	else {
		char names[128], shown[64];
		valid_names(names, sizeof names);
		/* The word goes to a terminal: never echo control bytes back. */
		size_t i = 0;
		for (; word[i] && i < sizeof shown - 1; i++)
			shown[i] = (unsigned char)word[i] < 0x20 || word[i] == 0x7f ? '?' : word[i];
		shown[i] = '\0';
		snprintf(err, errlen, "unknown flag \"%s\"; valid flags: %s (or all, none)", shown,
			 names);
		return -1;
	}
	return 0;
}

int level_parse(const char *text, level_t *out, char *err, size_t errlen)
{
	level_t level = LEVEL_NONE;
	const char *p = text ? text : "";
	char word[64];
	bool said_none = false;

	/* Nothing but blanks means no flags. */
	if (trimmed_item(p, p + strlen(p), word, sizeof word) == 0) {
		*out = LEVEL_NONE;
		return 0;
	}
	for (;;) {
		const char *end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		if (trimmed_item(p, end, word, sizeof word) == 0) {
			snprintf(err, errlen, "empty flag name in the list; separate flags with one comma");
			return -1;
		}
		if (add_flag_word(word, &level, &said_none, err, errlen) != 0)
			return -1;
		if (*end != ',')
			break;
		p = end + 1;
	}
	/* "none,mhci" is a contradiction, most likely a slip: refuse to guess. */
	if (said_none && level != LEVEL_NONE) {
		snprintf(err, errlen, "\"none\" cannot be combined with flags; give either none or a list");
		return -1;
	}
	*out = level;
	return 0;
}

int level_from_json(struct json_object *array, level_t *out, char *err, size_t errlen)
{
	if (!json_object_is_type(array, json_type_array)) {
		snprintf(err, errlen, "privacy level is not a JSON array");
		return -1;
	}
	level_t level = LEVEL_NONE;
	size_t n = json_object_array_length(array);
	for (size_t i = 0; i < n; i++) {
		struct json_object *item = json_object_array_get_idx(array, i);
		const struct flag_info *f = NULL;
		if (json_object_is_type(item, json_type_string))
			f = flag_find(json_object_get_string(item));
		if (!f) {
			snprintf(err, errlen, "unknown privacy flag %s in the level",
				 json_object_to_json_string_ext(item, JSON_C_TO_STRING_PLAIN));
			return -1;
		}
		level |= f->bit;
	}
	*out = level;
	return 0;
}

struct json_object *level_to_json(level_t level)
{
	struct json_object *array = json_object_new_array();
	if (!array)
		return NULL;
	for (size_t i = 0; i < FLAG_COUNT; i++) {
		if (!(level & flag_table[i].bit))
			continue;
		if (json_object_array_add(array, json_object_new_string(flag_table[i].wire)) != 0) {
			json_object_put(array);
			return NULL;
		}
	}
	return array;
}

char *level_request_body(level_t level)
{
	struct json_object *body = json_object_new_object();
	struct json_object *array = level_to_json(level);
	char *text = NULL;
	if (body && array && json_object_object_add(body, "requestedPrivacyLevel", array) == 0) {
		array = NULL; /* now owned by body */
		text = strdup(json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN));
	}
	json_object_put(array);
	json_object_put(body);
	return text;
}

size_t level_format(level_t level, char *buf, size_t len)
{
	size_t used = 0;
	if (len)
		buf[0] = '\0';
	if ((level & LEVEL_ALL) == 0)
		return (size_t)snprintf(buf, len, "none");
	for (size_t i = 0; i < FLAG_COUNT; i++) {
		if (!(level & flag_table[i].bit))
			continue;
		int n = snprintf(used < len ? buf + used : NULL, used < len ? len - used : 0,
				 "%s%s", used ? "," : "", flag_table[i].wire);
		used += (size_t)n;
	}
	return used;
}

size_t level_format_diff(level_t before, level_t after, char *buf, size_t len)
{
	size_t used = 0;
	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < FLAG_COUNT; i++) {
		unsigned bit = flag_table[i].bit;
		char sign;
		if ((after & bit) && !(before & bit))
			sign = '+';
		else if (!(after & bit) && (before & bit))
			sign = '-';
		else
			continue;
		int n = snprintf(used < len ? buf + used : NULL, used < len ? len - used : 0,
				 "%s%c%s", used ? " " : "", sign, flag_table[i].wire);
		used += (size_t)n;
	}
	return used;
}
