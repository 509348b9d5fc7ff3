/* fetch: one request at a time, run to completion, for the commands that
 * read state (groups, get) and for notify; their exit codes and failures
 * are worded as for `set`. */
#ifndef OKAYA_FETCH_H
#define OKAYA_FETCH_H

#include <stdbool.h>
#include <stdio.h>
#include "api.h"
#include "cli.h"
#include "engine.h"

/* Starts one request on e (an api_* call); returns its id or -1 with err. */
typedef long (*fetch_start_fn)(struct engine *e, const void *arg, char *err, size_t errlen);

/* Starts and waits for one request. retry: a read that is safe to repeat is
 * tried again after a transport failure, a 5xx or a 429 (as set does: 0.5 s
 * then 1 s, or Retry-After within --max-wait; RUN_MAX_TRIES at most). A
 * request that must not repeat (an email) passes false. Returns the last
 * result (caller frees), or NULL with err when nothing could be sent. */
struct result *fetch_run(struct engine *e, const struct cli_opts *o, fetch_start_fn start,
			 const void *arg, bool retry, char *err, size_t errlen);

/* The exit code a result means: 130 when Ctrl-C cancelled it (fetch_run:
 * the first Ctrl-C cancels the request in flight; during a wait before a
 * retry it stops there with the last answer), 0 for 2xx, 4 for 401, 3 for no answer, a
 * 5xx or a 429, else 1 (the API refused). */
int fetch_exit_code(const struct result *r);

/* Reports a result that was not a success: "refused: WHAT: 400 Bad Request:
 * Group not found" on stderr, or with --json one fetch_result_json object
 * on stdout. */
void fetch_report_failure(const struct cli_opts *o, const char *what, const struct target *t,
			  const struct result *r);

/* What the last fetch_run did: tries made, time over all of them, the
 * last HTTP status (0: none). One command, one request at a time. */
struct fetch_last {
	int tries;
	double elapsed_ms;
	long status;
};
const struct fetch_last *fetch_last(void);

/* The --json result object every command prints (success or not), in one
 * shape: kind and target (null without a target), outcome, status (null
 * when no answer), message, error, elapsed_ms and tries (from fetch_last).
 * Commands add their own fields (name, flags, emailType...). */
struct json_object *fetch_result_json(const struct target *t, const char *outcome, long status,
				      const char *message, const char *error);

/* "ok", "refused", "failed", "unauthorised" or "cancelled", for an exit code. */
const char *fetch_outcome_name(int exit_code);

/* Prints a JSON object as one line on stdout and releases it. */
void fetch_print_json(struct json_object *obj);

/* Writes text from the server with control characters as '?', so a name
 * cannot move the cursor or recolour the terminal. */
void fetch_put_text(FILE *out, const char *s);
/* The same in a table column width display columns wide (wcwidth, so
 * wide characters count 2): padded with blanks, or cut with "…" when
 * longer, so the columns after it stay in place. */
void fetch_put_padded(FILE *out, const char *s, int width);

/* groups.c: GET /groups, parsed (group keys are never read). Returns
 * EXIT_OK with *g (group_list_free), else an exit code after reporting the
 * failure (never quietly: a caller that can do without passes report=false
 * and says what it lacks itself). t (may be NULL) is the target the read is
 * for, named in --json failure objects. */
int groups_fetch(struct engine *e, const struct cli_opts *o, bool report,
		 const struct target *t, struct group_info **g, size_t *n);

/* groups.c: the server's fields as shown, "unknown" (JSON null) when it
 * sent nothing usable: consent "yes"/"no"/"unknown", requested level. */
const char *groups_consent_text(int consent);
void groups_requested_text(const struct group_info *g, char *buf, size_t len);
struct json_object *groups_consent_json(int consent);

/* The session's engine for a command that sends: EXIT_OK with *e, or an
 * exit code (message printed, session closed). */
int fetch_open(struct session *s, struct engine **e, const struct cli_opts *o);

#endif
