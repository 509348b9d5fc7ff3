/* run: the one loop that sends changes, for `set` and `batch` alike. */
#include "run.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "api.h"
#include "interrupt.h"

#define POLL_MAX 128

void job_target(const struct job *j, struct target *t)
{
	t->kind = j->kind;
	snprintf(t->id, sizeof t->id, "%s", j->id);
}

double run_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

struct runner {
	struct engine *e;
	struct session *s;
	const struct cli_opts *o;
	struct job *jobs;
	size_t n, next;          /* next job never looked at */
	size_t *retry;           /* jobs waiting to be tried again, oldest first */
	size_t n_retry;
	size_t *inflight;        /* jobs in flight */
	size_t n_inflight;
	size_t *prev;            /* earlier job for the same target, or NO_JOB */
	size_t *held;            /* jobs waiting for that earlier job to end */
	size_t n_held;
	double gate;             /* no new request before this (429) */
	/* Adapting to a rate limit: the in-flight cap halves on each 429 and
	 * grows by one per success up to --jobs; once a 429 was seen, starts
	 * are also spaced pace_ms apart so held requests trickle out. */
	size_t cap;
	double pace_ms, last_start;
	double *ok_times;        /* start times of recent successes (ring) */
	size_t n_ok_times, ok_head;
	bool progress, tty_out;
	size_t done;
	struct run_stats *st;
};

#define NO_JOB ((size_t)-1)
#define OK_TIMES_MAX 256

static void finish(struct runner *rn, struct job *j, enum job_outcome oc,
		   const struct result *r, const char *why)
{
	j->outcome = oc;
	switch (oc) {
	case JOB_OK: rn->st->ok++; break;
	case JOB_REFUSED: rn->st->refused++; break;
	case JOB_FAILED: rn->st->failed++; break;
	case JOB_UNAUTHORISED: rn->st->unauthorised++; break;
	case JOB_CANCELLED: rn->st->cancelled++; break;
	case JOB_NOT_SENT: rn->st->not_sent++; break;
	case JOB_PENDING: break;
	}
	if (r && (r->sent || r->status)) {
		struct target t;
		job_target(j, &t);
		session_record(rn->s, &t, j->level, r);
	}
	if (oc == JOB_OK)
		config_recent_touch(rn->s->config, j->kind, j->id, j->level, time(NULL));
	rn->done++;
	if (rn->progress && (oc != JOB_OK || rn->tty_out || rn->o->json))
		progress_clear();
	output_result(rn->o, j, r, why);
}

static void start_one(struct runner *rn, size_t idx)
{
	struct job *j = &rn->jobs[idx];
	char err[512];
	struct target t;
	job_target(j, &t);
	long id = api_set_privacy(rn->e, &t, j->level, j, err, sizeof err);
	if (id < 0) {
		/* Refused before sending (e.g. the key): nothing reached the server. */
		finish(rn, j, JOB_FAILED, NULL, err);
		return;
	}
	if (j->tries == 0)
		rn->st->sent++;
	j->tries++;
	j->req_id = id;
	j->started_at = run_now_ms();
	rn->last_start = j->started_at;
	rn->st->requests++;
	rn->inflight[rn->n_inflight++] = idx;
}

/* True when an earlier line for the same target has not ended yet. */
static bool waits_for_earlier(const struct runner *rn, size_t idx)
{
	size_t p = rn->prev[idx];
	return p != NO_JOB && rn->jobs[p].outcome == JOB_PENDING;
}

/* The next job allowed to start now, taken off its queue; NO_JOB if none.
 * Retries that are due first, then lines freed by an earlier line for their
 * target, then new lines (a line behind such an earlier one is held). */
static size_t take_startable(struct runner *rn, double now)
{
	for (size_t k = 0; k < rn->n_retry; k++) {
		size_t idx = rn->retry[k];
		if (rn->jobs[idx].ready_at > now)
			continue;
		memmove(rn->retry + k, rn->retry + k + 1, (rn->n_retry - k - 1) * sizeof *rn->retry);
		rn->n_retry--;
		return idx;
	}
	for (size_t k = 0; k < rn->n_held; k++) {
		size_t idx = rn->held[k];
		if (waits_for_earlier(rn, idx))
			continue;
		memmove(rn->held + k, rn->held + k + 1, (rn->n_held - k - 1) * sizeof *rn->held);
		rn->n_held--;
		return idx;
	}
	while (rn->next < rn->n) {
		size_t idx = rn->next++;
		if (!waits_for_earlier(rn, idx))
			return idx;
		rn->held[rn->n_held++] = idx;
	}
	return NO_JOB;
}

/* When the pacing allows the next start (monotonic ms). */
static double paced_from(const struct runner *rn)
{
	double t = rn->last_start + rn->pace_ms;
	return t > rn->gate ? t : rn->gate;
}

/* Starts what the limits allow. */
static void start_more(struct runner *rn)
{
	for (;;) {
		double now = run_now_ms();
		if (rn->n_inflight >= rn->cap || now < paced_from(rn))
			break;
		size_t idx = take_startable(rn, now);
		if (idx == NO_JOB)
			break;
		start_one(rn, idx);
	}
}

/* A success: the cap grows back, the pacing loosens a little. */
static void on_success(struct runner *rn, const struct job *j)
{
	if (rn->cap < (size_t)rn->o->jobs)
		rn->cap++;
	rn->pace_ms *= 0.995; /* probe slowly for a lifted limit */
	if (rn->pace_ms < 1.0)
		rn->pace_ms = 0;
	rn->ok_times[(rn->ok_head + rn->n_ok_times) % OK_TIMES_MAX] = j->started_at;
	if (rn->n_ok_times < OK_TIMES_MAX)
		rn->n_ok_times++;
	else
		rn->ok_head = (rn->ok_head + 1) % OK_TIMES_MAX;
}

/* A 429 asking to wait wait_ms: halve the cap, and space starts so that no
 * more go out per wait_ms than the server accepted in the last wait_ms
 * (with a tenth to spare), at least one. */
static void on_rate_limited(struct runner *rn, double wait_ms)
{
	rn->cap = rn->cap > 1 ? rn->cap / 2 : 1;
	if (wait_ms < 100)
		wait_ms = 100;
	double since = run_now_ms() - wait_ms;
	size_t accepted = 0;
	for (size_t k = 0; k < rn->n_ok_times; k++)
		if (rn->ok_times[(rn->ok_head + k) % OK_TIMES_MAX] >= since)
			accepted++;
	double pace = wait_ms * 1.1 / (double)(accepted ? accepted : 1);
	if (pace > rn->pace_ms)
		rn->pace_ms = pace;
}

static bool retryable_failure(enum fail_kind f)
{
	return f == FAIL_RESOLVE || f == FAIL_CONNECT || f == FAIL_TIMEOUT || f == FAIL_OTHER;
}

/* Schedules another try after wait_ms, or ends the job as failed. */
static void retry_or_fail(struct runner *rn, struct job *j, const struct result *r, double wait_ms,
			  bool gate_all)
{
	char why[128];
	if (j->tries >= RUN_MAX_TRIES || interrupt_count() || rn->st->stopped) {
		snprintf(why, sizeof why, "gave up after %d %s", j->tries,
			 j->tries == 1 ? "try" : "tries");
		finish(rn, j, JOB_FAILED, r, j->tries >= RUN_MAX_TRIES ? why : NULL);
		return;
	}
	if (wait_ms > (double)rn->o->retry_cap_s * 1000.0) {
		snprintf(why, sizeof why, "the server asked to wait %.0f s, more than --max-wait %ld s",
			 wait_ms / 1000.0, rn->o->retry_cap_s);
		finish(rn, j, JOB_FAILED, r, why);
		return;
	}
	/* This try reached the server too: the history keeps every try. */
	if (r && (r->sent || r->status)) {
		struct target t;
		job_target(j, &t);
		session_record(rn->s, &t, j->level, r);
	}
	double now = run_now_ms();
	j->ready_at = now + wait_ms;
	if (gate_all && j->ready_at > rn->gate)
		rn->gate = j->ready_at;
	rn->retry[rn->n_retry++] = (size_t)(j - rn->jobs);
}

static void handle(struct runner *rn, struct job *j, struct result *r)
{
	for (size_t k = 0; k < rn->n_inflight; k++) {
		if (&rn->jobs[rn->inflight[k]] == j) {
			rn->inflight[k] = rn->inflight[--rn->n_inflight];
			break;
		}
	}
	j->req_id = 0;
	j->status = r->status;
	j->elapsed_ms += r->elapsed_ms;
	/* Backoff for 5xx and transport failures: 0.5 s, then 1 s. */
	double backoff = 500.0 * (double)(1 << (j->tries > 1 ? 1 : 0));
	if (r->fail == FAIL_CANCELLED)
		finish(rn, j, JOB_CANCELLED, r, "cancelled by Ctrl-C: it may or may not have been applied");
	else if (r->fail != FAIL_NONE && retryable_failure(r->fail))
		retry_or_fail(rn, j, r, backoff, false);
	else if (r->fail != FAIL_NONE)
		finish(rn, j, JOB_FAILED, r, NULL);
	else if (r->status >= 200 && r->status < 300 && result_confirmed(r)) {
		on_success(rn, j);
		finish(rn, j, JOB_OK, r, NULL);
	}
	else if (r->status >= 200 && r->status < 300)
		/* Not retried: the change may have been applied. */
		finish(rn, j, JOB_FAILED, r, "unconfirmed: the server answered 200 but not "
		       "with the API's success body");
	else if (r->status == 401) {
		rn->st->stopped = true;
		finish(rn, j, JOB_UNAUTHORISED, r, NULL);
	} else if (r->status == 429) {
		double wait = r->retry_after_s >= 0 ? (double)r->retry_after_s * 1000.0 : backoff;
		on_rate_limited(rn, wait);
		retry_or_fail(rn, j, r, wait, true);
	}
	else if (r->status >= 500)
		retry_or_fail(rn, j, r, r->retry_after_s >= 0 ? (double)r->retry_after_s * 1000.0
							      : backoff, false);
	else
		finish(rn, j, JOB_REFUSED, r, NULL);
}

/* Milliseconds until something of ours is due (a retry, the 429 gate, the
 * pacing), or -1. Held lines wait for an answer, not for a time. */
static int own_timeout(const struct runner *rn, bool may_start)
{
	if (!may_start || rn->n_inflight >= rn->cap)
		return -1;
	double now = run_now_ms(), due = -1, from = paced_from(rn);
	if (rn->next < rn->n)
		due = from;
	for (size_t k = 0; k < rn->n_held && due < 0; k++)
		if (!waits_for_earlier(rn, rn->held[k]))
			due = from;
	for (size_t k = 0; k < rn->n_retry; k++) {
		double t = rn->jobs[rn->retry[k]].ready_at;
		if (t < from)
			t = from;
		if (due < 0 || t < due)
			due = t;
	}
	if (due < 0)
		return -1;
	return due <= now ? 0 : (int)(due - now) + 1;
}

static void loop(struct runner *rn)
{
	struct pollfd fds[POLL_MAX];
	bool cancelled = false;
	for (;;) {
		bool may_start = !interrupt_count() && !rn->st->stopped;
		if (interrupt_count() >= 2 && !cancelled) {
			for (size_t k = 0; k < rn->n_inflight; k++)
				engine_cancel(rn->e, rn->jobs[rn->inflight[k]].req_id);
			cancelled = true;
		}
		if (may_start)
			start_more(rn);
		bool more = may_start && (rn->next < rn->n || rn->n_retry > 0 || rn->n_held > 0);
		if (rn->n_inflight == 0 && !more)
			break;
		int timeout = -1;
		int nfds = engine_pollfds(rn->e, fds, POLL_MAX, &timeout);
		int mine = own_timeout(rn, may_start);
		if (mine >= 0 && (timeout < 0 || mine < timeout))
			timeout = mine;
		/* Belt and braces: never sleep forever with requests in flight. */
		if (rn->n_inflight > 0 && nfds == 0 && timeout < 0)
			timeout = 100;
		if (rn->progress && (timeout < 0 || timeout > 200))
			timeout = 200;
		if (poll(fds, (nfds_t)nfds, timeout) < 0 && errno != EINTR)
			break;
		engine_dispatch(rn->e, fds, nfds);
		void *tag;
		struct result *r;
		while ((r = engine_take_done(rn->e, &tag))) {
			handle(rn, tag, r);
			result_free(r);
		}
		if (rn->progress)
			progress_draw(rn->st, rn->done, false);
	}
	/* Retries left waiting had an answer, just not a good one. */
	for (size_t k = 0; k < rn->n_retry; k++)
		finish(rn, &rn->jobs[rn->retry[k]], JOB_FAILED, NULL,
		       rn->st->stopped ? "not retried after the 401" : "not retried after Ctrl-C");
	rn->n_retry = 0;
}

static void runner_free(struct runner *rn)
{
	free(rn->retry);
	free(rn->held);
	free(rn->prev);
	free(rn->inflight);
	free(rn->ok_times);
}

/* Orders job indexes by target, then by position. */
static const struct job *sort_jobs;
static int by_target(const void *a, const void *b)
{
	const struct job *x = &sort_jobs[*(const size_t *)a], *y = &sort_jobs[*(const size_t *)b];
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	return x < y ? -1 : x > y;
}

/* prev[i]: the nearest earlier job with the same (kind, id), or NO_JOB, so
 * that lines for one target are applied in file order. */
static int link_same_targets(const struct job *jobs, size_t n, size_t *prev)
{
	size_t *order = malloc((n ? n : 1) * sizeof *order);
	if (!order)
		return -1;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	sort_jobs = jobs;
	qsort(order, n, sizeof *order, by_target);
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		prev[i] = NO_JOB;
		if (k > 0 && jobs[order[k - 1]].kind == jobs[i].kind &&
		    strcmp(jobs[order[k - 1]].id, jobs[i].id) == 0)
			prev[i] = order[k - 1];
	}
	free(order);
	return 0;
}

void run_jobs(struct engine *e, struct session *s, const struct cli_opts *o,
	      struct job *jobs, size_t n, bool progress, struct run_stats *st)
{
	memset(st, 0, sizeof *st);
	st->total = n;
	struct runner rn = {
		.e = e, .s = s, .o = o, .jobs = jobs, .n = n, .st = st,
		.progress = progress, .tty_out = isatty(STDOUT_FILENO),
	};
	rn.cap = (size_t)o->jobs;
	rn.retry = calloc(n ? n : 1, sizeof *rn.retry);
	rn.held = calloc(n ? n : 1, sizeof *rn.held);
	rn.prev = calloc(n ? n : 1, sizeof *rn.prev);
	rn.inflight = calloc((size_t)o->jobs, sizeof *rn.inflight);
	rn.ok_times = calloc(OK_TIMES_MAX, sizeof *rn.ok_times);
	if (!rn.retry || !rn.held || !rn.prev || !rn.inflight || !rn.ok_times ||
	    link_same_targets(jobs, n, rn.prev) != 0) {
		cli_error("out of memory");
		runner_free(&rn);
		return;
	}

	struct interrupt_saved saved;
	interrupt_catch(&saved);

	double t0 = run_now_ms();
	loop(&rn);
	st->elapsed_ms = run_now_ms() - t0;
	st->interrupted = interrupt_count() > 0;

	if (progress)
		progress_clear();
	const char *why = st->stopped ? "stopped after a 401" : "stopped by Ctrl-C";
	for (size_t i = 0; i < n; i++)
		if (jobs[i].outcome == JOB_PENDING)
			finish(&rn, &jobs[i], JOB_NOT_SENT, NULL, why);

	interrupt_release(&saved);
	runner_free(&rn);
}
