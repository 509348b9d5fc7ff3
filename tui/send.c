/* send: from the form to a write in flight (set, or notify after the email
 * prompt), and from its result to the recent list, the history and the
 * prompt. At most one write is in flight: a second send is refused. */
#include <stdio.h>
#include <string.h>
#include "app.h"
#include "api.h"

static void after_set(struct app *a);

static bool is_loaded(const struct app *a, const struct target *t)
{
	return a->has_loaded && a->loaded.kind == t->kind && strcmp(a->loaded.id, t->id) == 0;
}

static void note_error(struct app *a, const char *msg)
{
	snprintf(a->note, sizeof a->note, "Error: %s", msg);
	a->note_error = true;
}

int send_engine_setup(struct app *a, bool create)
{
	struct engine_opts o = {
		.base_url = a->cfg->base_url,
		.api_key = a->cfg->api_key[0] ? a->cfg->api_key : NULL,
		.connect_timeout_s = a->cfg->connect_timeout_s,
		.timeout_s = a->cfg->timeout_s,
	};
	a->eng_err[0] = '\0';
	if (a->eng)
		return engine_configure(a->eng, &o, a->eng_err, sizeof a->eng_err);
	if (!create)
		return 0;
	a->eng = engine_new(&o, a->eng_err, sizeof a->eng_err);
	return a->eng ? 0 : -1;
}

double send_elapsed_ms(const struct app *a)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - a->req_start.tv_sec) * 1e3 +
	       (double)(now.tv_nsec - a->req_start.tv_nsec) / 1e6;
}

void send_request(struct app *a)
{
	if (a->req_id > 0) {
		snprintf(a->note, sizeof a->note,
			 "A request is already in flight: wait for it, or Esc cancels it.");
		a->note_error = true;
		return;
	}
	mainscr_sync_id(a);
	struct target t;
	char err[256];
	if (target_set(&t, a->kind, a->id, err, sizeof err) != 0) {
		note_error(a, err);
		a->focus = FOCUS_ID;
		return;
	}
	if (!is_loaded(a, &t)) {
		/* The ticks belong to the loaded target, not to what is typed now:
		 * load the new one and let the user look before anything goes. */
		mainscr_load(a, t.kind, t.id, true);
		mainscr_focus_flags(a);
		a->load_notice = true;
		snprintf(a->note, sizeof a->note, "loaded %.200s: check the flags, then send.", t.id);
		a->note_error = false;
		return;
	}
	if (a->fetch_id > 0 && a->fetch_why == FETCH_LOAD && a->fetch_target.kind == t.kind &&
	    strcmp(a->fetch_target.id, t.id) == 0) {
		/* A review now would diff against a stale basis, and the answer
		 * would rewrite the ticks under it: send once it is in. */
		a->send_waiting = true;
		snprintf(a->note, sizeof a->note,
			 "loading the target's current level... (F5 goes on when it is read)");
		a->note_error = false;
		return;
	}
	if (a->cfg->review) {
		a->review_target = t;
		a->review_level = a->level;
		overlay_open(a, OV_REVIEW);
		return;
	}
	send_now(a, &t, a->level);
}

/* Starts a set (email_type NULL) or a notify. */
static void start(struct app *a, const struct target *t, level_t level, const char *email_type)
{
	char err[256];
	if (a->req_id > 0)
		return;
	/* The engine (libcurl, TLS) starts with the first request: the form
	 * opens faster and an idle session stays small. */
	if (!a->eng && send_engine_setup(a, true) != 0) {
		snprintf(err, sizeof err, "%.200s (fix it in Settings, F3)", a->eng_err);
		note_error(a, err);
		return;
	}
	/* Writes carry no tag: reads carry theirs (fetch.c). */
	long id = email_type ? api_send_email(a->eng, t, email_type, NULL, err, sizeof err)
			     : api_set_privacy(a->eng, t, level, NULL, err, sizeof err);
	if (id < 0) {
		note_error(a, err);
		return;
	}
	a->req_id = id;
	a->req_cancelled = false;
	a->req_notify = email_type != NULL;
	/* "before" in the history only when the server said so. */
	/* "before" as the history records it: the server's level when it was
	 * read, else the last level sent from here, each said as such. */
	a->req_has_before = !email_type && is_loaded(a, t) && a->basis != BASIS_NONE;
	a->req_before_server = a->basis == BASIS_SERVER;
	a->req_before = a->basis_level;
	a->req_target = *t;
	a->req_level = level;
	a->spin = 0;
	clock_gettime(CLOCK_MONOTONIC, &a->req_start);
	a->note[0] = '\0';
	a->note_error = false;
}

void send_now(struct app *a, const struct target *t, level_t level)
{
	start(a, t, level, NULL);
}

void send_notify(struct app *a, const struct target *t)
{
	start(a, t, LEVEL_NONE, "privacyRequest");
}

void send_cancel(struct app *a)
{
	if (a->req_id > 0 && a->eng) {
		engine_cancel(a->eng, a->req_id);
		a->req_cancelled = true;   /* recorded in the history (audit.c) */
	}
}

void send_finish(struct app *a, struct result *r)
{
	a->req_id = 0;
	/* Notices about the request in flight are stale now. */
	if (strstr(a->note, "in flight"))
		a->note[0] = '\0', a->note_error = false;
	result_free(a->last);
	response_lines_free(a->last_lines, a->n_last_lines);
	a->last = r;
	/* Escaped and split once here, not on every frame (bodies reach 1 MiB). */
	a->last_lines = response_body_lines(r, &a->n_last_lines);
	a->last_target = a->req_target;
	a->last_level = a->req_level;
	a->last_notify = a->req_notify;
	a->panel_info = false;
	a->after_note[0] = '\0';
	a->after_error = false;
	if (r->fail != FAIL_NONE || r->status < 200 || r->status >= 300) {
		audit_record(a, r);
		return;
	}
	if (!result_confirmed(r)) {
		snprintf(a->after_note, sizeof a->after_note, "UNCONFIRMED: a %ld answer without "
			 "the API's success message; the change may or may not have applied. "
			 "Recents not updated: read the level back (F6) or send again.", r->status);
		a->after_error = true;
		audit_record(a, r);
		return;
	}
	if (a->last_notify) {
		snprintf(a->after_note, sizeof a->after_note,
			 "Review email (privacyRequest) requested for %s %.200s.",
			 target_kind_name(a->last_target.kind), a->last_target.id);
		audit_record(a, r);
		return;
	}
	after_set(a);
}

/* A set succeeded: recents, config, history, and the email prompt. */
static void after_set(struct app *a)
{
	const struct target *t = &a->last_target;
	/* What the level was before: the server's or this machine's last. */
	level_t before = LEVEL_NONE;
	if (is_loaded(a, t) && a->basis != BASIS_NONE) {
		before = a->basis_level;
	} else {
		const struct recent *rc = config_recent_find(a->cfg, t->kind, t->id);
		if (rc && rc->has_level)
			before = rc->level;
	}
	level_t added = a->last_level & ~before;
	if (is_loaded(a, t)) {
		/* The server holds it now (a group's level is readable again). */
		a->basis = t->kind == TARGET_GROUP ? BASIS_SERVER : BASIS_LOCAL;
		a->basis_level = a->last_level;
		a->basis_read = time(NULL);   /* the server confirmed it just now */
		a->flags_touched = false;
	}

	char err[256];
	if (config_recent_touch(a->cfg, a->last_target.kind,
				a->last_target.id, a->last_level, time(NULL)) != 0) {
		snprintf(a->after_note, sizeof a->after_note, "Could not add it to the recent list.");
		a->after_error = true;
	} else if (config_save(a->cfg, err, sizeof err) != 0) {
		snprintf(a->after_note, sizeof a->after_note, "Config not saved: %s", err);
		a->after_error = true;
	} else {
		snprintf(a->after_note, sizeof a->after_note, "Saved to recent targets (F2).");
	}
	audit_record(a, a->last);
	if (!added)
		return;
	/* Never over another overlay: it may hold unsaved edits. */
	if (a->overlay != OV_NONE) {
		snprintf(a->after_note, sizeof a->after_note,
			 "Flags added: no review email sent (the prompt waits for a free screen).");
		return;
	}
	a->email_target = *t;
	a->email_added = added;
	a->email_yes = false;   /* the default is No */
	overlay_open(a, OV_EMAIL);
}
