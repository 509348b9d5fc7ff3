/* history: the local audit log of requests that reached the server.
 *
 * One JSON object per line, appended, never rewritten. Path: $OKAYA_HISTORY,
 * else $XDG_STATE_HOME/okaya-privacy/history.jsonl, else
 * ~/.local/state/okaya-privacy/history.jsonl. The file is mode 0600 and a
 * directory this module creates is 0700, whatever the umask.
 *
 * A line holds exactly these members (nothing else, and never the API key:
 * struct history_entry has no place for one):
 *   "time"      "2024-05-01T09:30:00Z" (UTC)
 *   "action"    "set" or "notify"
 *   "kind"      "group" or "participant"
 *   "id"        the target ID, always a string
 *   "before"    set only: array of wire flag strings, or null when unknown
 *   "beforeSource" set with a known before only: "server" (read from the
 *               server just before) or "here" (the last level sent from
 *               this machine)
 *   "after"     set only: array of wire flag strings
 *   "emailType" notify only: "privacyRequest", "checkinReminder"
 *   "status"    HTTP status (0 when no response arrived)
 *   "message"   the server's message, only when there was one
 *   "error"     what went wrong (history_outcome_text), only when anything did
 *   "elapsedMs" number, 0.1 ms resolution
 *   "baseUrl"   the API base URL the request went to
 *
 * Each line goes out in a single write(2) on an O_APPEND descriptor, under
 * an exclusive flock(2), so concurrent instances never interleave their
 * lines nor leave empty ones. Reading streams the
 * file once; a line that is not JSON or lacks a member is skipped and
 * counted, never fatal. */
#ifndef OKAYA_HISTORY_H
#define OKAYA_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "flags.h"
#include "target.h"

struct result;

#define HISTORY_SET    "set"
#define HISTORY_NOTIFY "notify"

/* Where a set's "before" level came from. */
#define HISTORY_BEFORE_SERVER "server"
#define HISTORY_BEFORE_HERE   "here"

/* Longest message or error kept in a line (bytes; cut on a UTF-8 boundary). */
#define HISTORY_TEXT_MAX 2000

struct history_entry {
	time_t when;                       /* seconds, UTC */
	char action[16];                   /* HISTORY_SET, HISTORY_NOTIFY */
	enum target_kind kind;
	char id[PARTICIPANT_ID_MAX + 1];
	bool has_before;                   /* set: was the level before known? */
	level_t before;
	char before_source[8];             /* with has_before: HISTORY_BEFORE_SERVER
					    * or HISTORY_BEFORE_HERE ("" = not said) */
	level_t after;                     /* set: the level sent */
	char email_type[32];               /* notify: non-empty; set: "" */
	long status;
	char *message;                     /* owned, or NULL */
	char *error;                       /* owned, or NULL */
	double elapsed_ms;
	char *base_url;                    /* owned, or NULL */
};

/* Which entries history_read returns. A zeroed filter (or NULL) means all. */
struct history_filter {
	bool by_kind;
	enum target_kind kind;
	const char *id;                    /* exact ID, or NULL for any */
	size_t limit;                      /* newest N after filtering; 0 = all */
};

/* The path to use (see above), malloc'd; caller frees. NULL when neither
 * OKAYA_HISTORY, XDG_STATE_HOME nor a home directory is known. */
char *history_default_path(void);

/* Fills e (zeroing it first) for one request that was sent (r->sent, or
 * any HTTP status): time now, action, the target, status, message, error
 * (history_outcome_text), elapsed time and base URL, copied. The caller then sets
 * has_before/before/after or email_type. Returns 0, or -1 when out of memory
 * (e is left empty). Release with history_entry_clear(). */
int history_entry_from_result(struct history_entry *e, const char *action,
			      const struct target *t, const struct result *r,
			      const char *base_url);

/* What went wrong with r, in the words history lines use as "error", or
 * NULL for a confirmed success: the server's error; for a request written
 * but never answered "unknown: may have been applied (timed out ...)"; for
 * a 2xx without the API's success body "unconfirmed: 200 OK (...)"; else
 * the one-line summary ("500 Internal Server Error (text/html body, not
 * JSON)"). Returns buf or a string r owns. */
const char *history_outcome_text(const struct result *r, char *buf, size_t len);

/* Frees the strings e owns and zeroes it; NULL is fine. */
void history_entry_clear(struct history_entry *e);

/* Appends one line for e to path, creating the file (0600) and its missing
 * parent directories (0700). A file with wider permissions is narrowed to
 * 0600. Returns 0, or -1 with a message (never containing an API key) when
 * the entry is incomplete, the file cannot be opened, or the write fails or
 * is short. */
int history_append(const char *path, const struct history_entry *e,
		   char *err, size_t errlen);

/* Reads path, newest first (last line written comes first), keeping entries
 * that pass f. *out becomes a malloc'd array of *n entries (NULL when 0),
 * released with history_entries_free(). *corrupt (may be NULL) is the number
 * of lines skipped as unreadable among those read: with a limit, a regular
 * file is read backwards from its end and only until the limit is met. A missing file is 0 entries, not an error.
 * Returns 0, or -1 with a message when the file exists but cannot be read. */
int history_read(const char *path, const struct history_filter *f,
		 struct history_entry **out, size_t *n, size_t *corrupt,
		 char *err, size_t errlen);

/* Frees what history_read returned; NULL is fine. */
void history_entries_free(struct history_entry *entries, size_t n);

#endif
