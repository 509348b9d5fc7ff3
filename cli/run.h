/* run: sends a list of privacy changes through one engine, N in flight,
 * with retries; `set` is a run of one, `batch` a run of many.
 *
 * Retry rules: 429 waits for Retry-After (seconds or HTTP date, as the
 * engine parsed it) unless it exceeds --max-wait, and holds back every new
 * request until then (the limit is the server's, not one line's). Each 429
 * also halves the in-flight cap (min 1; one back per success, up to --jobs)
 * and spaces later starts to what the server accepted, so held requests go
 * out gradually rather than all at once. Lines for the same (kind, id) run
 * in file order: one waits while an earlier one is in flight or waiting. 5xx and
 * transport failures wait 0.5 s, then 1 s; at most RUN_MAX_TRIES tries. 400
 * and 401 are never retried; a 401 stops the run (the key is wrong for all).
 * First Ctrl-C: start nothing new, let in-flight requests finish. Second:
 * cancel them. Jobs never started end as JOB_NOT_SENT. */
#ifndef OKAYA_RUN_H
#define OKAYA_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include "cli.h"
#include "flags.h"
#include "target.h"

#define RUN_MAX_TRIES 3

/* Refusal of an empty FLAGS (set "" or a batch line without flags). */
#define FLAGS_EMPTY_TEXT "FLAGS is empty: write none to clear the level"

enum job_outcome {
	JOB_PENDING = 0,   /* not finished (never started, or waiting to retry) */
	JOB_OK,
	JOB_REFUSED,       /* a 4xx answer other than 401/429 */
	JOB_FAILED,        /* no usable answer after the tries allowed */
	JOB_UNAUTHORISED,  /* 401 */
	JOB_CANCELLED,     /* cancelled in flight: may or may not have been applied */
	JOB_NOT_SENT,
};

/* Small on purpose: a batch holds 10,000 of them. */
struct job {
	enum target_kind kind;
	char *id;            /* validated; owned by whoever built the jobs */
	level_t level;
	int line;            /* line in the batch file; 0 for `set` */
	int tries;
	enum job_outcome outcome;
	long status;         /* last HTTP status, 0 when none */
	double elapsed_ms;   /* all tries together */
	double ready_at;     /* monotonic ms before which a retry must not start */
	double started_at;   /* monotonic ms the last try started */
	long req_id;         /* engine id while in flight, else 0 */
};

struct run_stats {
	size_t total, sent, ok, refused, failed, unauthorised, cancelled, not_sent;
	size_t requests;     /* tries, retries included */
	bool interrupted;    /* Ctrl-C was pressed */
	bool stopped;        /* a 401 stopped the run */
	double elapsed_ms;
};

/* Runs every job; prints one result per job as it ends (and the jobs not
 * sent at the end), touches the recent list on each success. */
void run_jobs(struct engine *e, struct session *s, const struct cli_opts *o,
	      struct job *jobs, size_t n, bool progress, struct run_stats *st);

/* What `set` and `batch` share once their jobs are valid: --dry-run and
 * --curl print the requests; otherwise open the session (a key is needed),
 * run, save the recent list, print the summary (batch) and return the exit
 * code. */
int run_command(const struct cli_opts *o, struct job *jobs, size_t n, bool batch);

/* The job's target as core wants it. */
void job_target(const struct job *j, struct target *t);

/* Monotonic clock in milliseconds. */
double run_now_ms(void);

/* output.c: what people and scripts see. */
void output_result(const struct cli_opts *o, const struct job *j, const struct result *r,
		   const char *why);
void output_request(const struct cli_opts *o, const char *base_url, const struct job *j);
void output_summary(const struct cli_opts *o, const struct run_stats *st);
/* Any call as --dry-run (the request line, or with --json `obj` completed
 * with method, url and body; obj is consumed, may be NULL) or --curl (the
 * equivalent command, the key named, never printed) shows it. body may be
 * NULL (GET). line > 0 prefixes "line N: ". */
void output_call(const struct cli_opts *o, const char *base_url, const char *method,
		 const char *path, const char *body, int line, struct json_object *obj);
/* progress.c: a one-line bar on stderr (only when it is a terminal). */
void progress_draw(const struct run_stats *st, size_t done, bool force);
void progress_clear(void);

#endif
