/* flags: the five privacy flags of the Okaya API and levels (sets of them).
 *
 * One table drives parsing, formatting, the TUI's checkbox list and the CLI's
 * help; adding a flag is one line in flags.c. A level is a bitset. */
#ifndef OKAYA_FLAGS_H
#define OKAYA_FLAGS_H

#include <stddef.h>

struct json_object;

enum {
	FLAG_MHCI              = 1u << 0,
	FLAG_GROUP_PERCENTILES = 1u << 1,
	FLAG_USER_PERCENTILES  = 1u << 2,
	FLAG_TRANSCRIPT        = 1u << 3,
	FLAG_FEATURES          = 1u << 4,
};
#define FLAG_COUNT 5
#define LEVEL_NONE 0u
#define LEVEL_ALL  ((1u << FLAG_COUNT) - 1u)

typedef unsigned level_t;

struct flag_info {
	unsigned bit;
	const char *wire;        /* exactly as the API spells it ("groupPerecntiles") */
	const char *alias;       /* another accepted spelling, or NULL */
	const char *label;       /* short human label: "Group percentiles" */
	const char *description; /* one line for help and the TUI */
};

/* The table, in canonical order (the order the API's error message lists). */
extern const struct flag_info flag_table[FLAG_COUNT];

/* Finds a flag by wire name or alias, case-insensitive; NULL if unknown. */
const struct flag_info *flag_find(const char *name);

/* Parses "mhci, transcript" (case-insensitive, blanks allowed around names),
 * "none" or "" (no flags), "all". Duplicates are harmless.
 * Returns 0, or -1 with a message naming the bad flag and the valid ones. */
int level_parse(const char *text, level_t *out, char *err, size_t errlen);

/* Reads a JSON array of flag strings (either spelling of group percentiles).
 * Returns 0, or -1 with a message when it is not an array of known flags. */
int level_from_json(struct json_object *array, level_t *out, char *err, size_t errlen);

/* A new JSON array of wire strings in canonical order; caller puts it. */
struct json_object *level_to_json(level_t level);

/* {"requestedPrivacyLevel":[...]} as a malloc'd string; caller frees. */
char *level_request_body(level_t level);

/* "mhci,transcript" (wire names, canonical order) or "none", into buf.
 * Returns the length it needed (like snprintf). */
size_t level_format(level_t level, char *buf, size_t len);

/* Wire names of the flags in `level`, each prefixed: used for diffs
 * ("+transcript -mhci"). Returns the length needed. */
size_t level_format_diff(level_t before, level_t after, char *buf, size_t len);

#endif
