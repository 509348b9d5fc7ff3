/* fetch: the reads (GET /groups, GET /participants/{id}) that show what is
 * on the server before a change. They go through the same engine and event
 * loop as the writes; one read at a time, beside at most one write.
 *
 * Each read carries a small malloc'd tag naming why it was started and for
 * which target; a result whose tag is not the read in flight (cancelled or
 * superseded) is dropped, so a late answer never ticks the wrong form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"

struct fetch_tag {
	long id;
	enum fetch_why why;
	struct target t;
};

static bool same_target(const struct target *x, const struct target *y)
{
	return x->kind == y->kind && strcmp(x->id, y->id) == 0;
}

static bool ok_status(const struct result *r)
{
	return r->fail == FAIL_NONE && r->status >= 200 && r->status < 300;
}

/* The form falls back to the level last sent from this machine (mainscr_load
 * ticked it already) and says why. */
static void fallback_note(struct app *a, const struct target *t, const char *why)
{
	const struct recent *rc = config_recent_find(a->cfg, t->kind, t->id);
	if (rc && rc->has_level)
		snprintf(a->note, sizeof a->note,
			 "Server level not read (%.150s): ticked the last sent from here.", why);
	else
		snprintf(a->note, sizeof a->note,
			 "Server level not read (%.150s); level unknown: nothing sent from "
			 "this machine.", why);
	a->note_error = true;
}

const char *consent_text(const struct group_info *g)
{
	return g->consent == 1 ? "required" : g->consent == 0 ? "not required" : "unknown";
}

const struct group_info *groups_find(const struct app *a, const char *id)
{
	for (size_t i = 0; i < a->n_groups; i++)
		if (strcmp(a->groups[i].id, id) == 0)
			return &a->groups[i];
	return NULL;
}

void info_free(struct app *a)
{
	membership_list_free(a->members, a->n_members);
	a->members = NULL;
	a->n_members = 0;
	a->info_head[0] = '\0';
	a->info_error = false;
	a->panel_info = false;
}

void fetch_cancel(struct app *a)
{
	if (a->fetch_id <= 0)
		return;
	a->send_waiting = false;
	engine_cancel(a->eng, a->fetch_id);
	if (a->fetch_why == FETCH_LOAD && a->has_loaded &&
	    same_target(&a->fetch_target, &a->loaded))
		fallback_note(a, &a->fetch_target, "cancelled");
	/* Its result still arrives; with fetch_id cleared it is dropped. */
	a->fetch_id = 0;
}

void fetch_drop_load(struct app *a)
{
	if (a->fetch_id <= 0 || a->fetch_why != FETCH_LOAD)
		return;
	a->send_waiting = false;
	engine_cancel(a->eng, a->fetch_id);
	a->fetch_id = 0;
	if (!a->note_error)
		a->note[0] = '\0';   /* "Reading ..." is no longer true */
}

bool form_names(struct app *a, const struct target *t)
{
	struct target f;
	char err[256];
	mainscr_sync_id(a);
	return a->kind == t->kind && target_set(&f, a->kind, a->id, err, sizeof err) == 0 &&
	       strcmp(f.id, t->id) == 0;
}

static long start(struct app *a, enum fetch_why why, const struct target *t, char *err,
		  size_t errlen)
{
	if (!a->eng && send_engine_setup(a, true) != 0) {
		snprintf(err, errlen, "%s", a->eng_err);
		return -1;
	}
	fetch_cancel(a);
	struct fetch_tag *tag = calloc(1, sizeof *tag);
	if (!tag) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	tag->why = why;
	tag->t = *t;
	long id = why == FETCH_LOAD && t->kind == TARGET_PARTICIPANT
		? api_get_participant(a->eng, t->id, tag, err, errlen)
		: api_get_groups(a->eng, tag, err, errlen);
	if (id < 0) {
		free(tag);
		return -1;
	}
	tag->id = id;
	a->fetch_id = id;
	a->fetch_why = why;
	a->fetch_target = *t;
	clock_gettime(CLOCK_MONOTONIC, &a->fetch_start);
	return id;
}

void fetch_load(struct app *a, const struct target *t)
{
	char err[256];
	if (start(a, FETCH_LOAD, t, err, sizeof err) < 0) {
		fallback_note(a, t, err);
		return;
	}
	snprintf(a->note, sizeof a->note, "%s", t->kind == TARGET_GROUP
		 ? "Reading the group's current level from the server..."
		 : "Reading the participant's groups from the server...");
	a->note_error = false;
}

int fetch_groups(struct app *a, enum fetch_why why)
{
	char err[256];
	struct target none = { .kind = TARGET_GROUP };
	if (start(a, why, &none, err, sizeof err) < 0) {
		if (why == FETCH_GROUP_LIST)
			groups_loaded(a, err);
		return -1;
	}
	return 0;
}

static void group_load_done(struct app *a, const struct target *t, const char *err)
{
	const struct group_info *g = err ? NULL : groups_find(a, t->id);
	if (!g) {
		fallback_note(a, t, err ? err : "not among this key's groups");
		return;
	}
	if (!g->has_requested) {
		fallback_note(a, t, "the server did not send its requested level");
		return;
	}
	char name[200], lv[128];
	text_escape(g->name ? g->name : "", g->name ? strlen(g->name) : 0, name, sizeof name);
	a->basis = BASIS_SERVER;
	a->basis_level = g->requested;
	a->basis_read = time(NULL);
	if (!a->flags_touched) {
		a->level = g->requested;
		snprintf(a->note, sizeof a->note, "Ticked: current on server (%.80s; consent %s).",
			 name, consent_text(g));
	} else {
		level_format(g->requested, lv, sizeof lv);
		snprintf(a->note, sizeof a->note, "Current on server: %s (your ticks kept).", lv);
	}
	a->note_error = false;
}

static void participant_done(struct app *a, const struct target *t, const struct result *r)
{
	char err[256];
	info_free(a);
	a->info_target = *t;
	/* A send started after this read began owns the panel: a slow lookup
	 * must not hide the answer the user is waiting for. */
	bool send_since = a->req_id > 0 ||
			  (a->last && (a->req_start.tv_sec > a->fetch_start.tv_sec ||
				       (a->req_start.tv_sec == a->fetch_start.tv_sec &&
					a->req_start.tv_nsec > a->fetch_start.tv_nsec)));
	a->panel_info = !send_since;
	if (ok_status(r) &&
	    participant_parse(r, &a->members, &a->n_members, err, sizeof err) == 0) {
		snprintf(a->info_head, sizeof a->info_head,
			 "Participant %.120s: %zu group%s (GET /participants, %.0f ms)", t->id,
			 a->n_members, a->n_members == 1 ? "" : "s", r->elapsed_ms);
		if (participant_id_unusual(t->id))
			snprintf(a->note, sizeof a->note,
				 "Hint: Okaya's external IDs usually begin with \"ok_\".");
		else
			snprintf(a->note, sizeof a->note, "%s", a->basis == BASIS_LOCAL
				 ? "Ticked: last sent from this machine (the API cannot read it)."
				 : "level unknown: nothing sent from this machine (the API cannot "
				 "read it); its groups are below.");
		a->note_error = false;
		/* Group names come from GET /groups; read it once if not yet. */
		if (!a->groups_loaded && a->fetch_id <= 0)
			fetch_groups(a, FETCH_NAMES);
		return;
	}
	if (r->error)
		snprintf(err, sizeof err, "%s", r->error);
	else if (!ok_status(r))
		result_summary(r, err, sizeof err);
	a->info_error = true;
	snprintf(a->info_head, sizeof a->info_head, "Participant %.120s: %.180s", t->id, err);
	/* "Participant not found" is said plainly, where the ID was typed. */
	snprintf(a->note, sizeof a->note, "%s%.200s",
		 participant_id_unusual(t->id) ? "External IDs usually begin with \"ok_\": " : "",
		 err);
	a->note_error = true;
}

void fetch_finish(struct app *a, struct result *r, void *tagp)
{
	struct fetch_tag *tag = tagp;
	bool current = tag->id == a->fetch_id;
	if (current)
		a->fetch_id = 0;
	/* Taken now: the names read a participant's answer starts clears it. */
	bool waiting = current && tag->why == FETCH_LOAD && a->send_waiting;
	if (waiting)
		a->send_waiting = false;
	/* Applied only while the form still names the answer's target: the
	 * kind may have been switched or the ID edited since it started. */
	bool for_form = current && tag->why == FETCH_LOAD && a->has_loaded &&
			same_target(&tag->t, &a->loaded) && form_names(a, &tag->t);
	/* A send loaded this target: its "check the flags" stays unless the
	 * read failed (that says more). */
	char notice[sizeof a->note];
	bool keep_notice = for_form && a->load_notice;
	if (keep_notice)
		memcpy(notice, a->note, sizeof notice);

	if (tag->why == FETCH_LOAD && tag->t.kind == TARGET_PARTICIPANT) {
		if (for_form)
			participant_done(a, &tag->t, r);
	} else {
		/* GET /groups: the list (keys already dropped by groups_parse). */
		char err[256] = "";
		struct group_info *g;
		size_t n;
		if (!ok_status(r))
			result_summary(r, err, sizeof err);
		else if (groups_parse(r, &g, &n, err, sizeof err) == 0) {
			group_list_free(a->groups, a->n_groups);
			a->groups = g;
			a->n_groups = n;
			a->groups_loaded = true;
			err[0] = '\0';
		}
		if (tag->why == FETCH_LOAD && for_form)
			group_load_done(a, &tag->t, err[0] ? err : NULL);
		else if (tag->why == FETCH_GROUP_LIST && current)
			groups_loaded(a, err[0] ? err : NULL);
	}
	if (keep_notice) {
		a->load_notice = false;
		if (!a->note_error)
			memcpy(a->note, notice, sizeof a->note);
	}
	/* An F5 that waited for this load goes on now that the level is
	 * known or the read failed (the review says which basis it used). */
	if (waiting) {
		if (for_form && a->overlay == OV_NONE && a->req_id <= 0)
			send_request(a);
	}
	result_free(r);
	free(tag);
}

void app_take(struct app *a, struct result *r, void *tag)
{
	if (tag)
		fetch_finish(a, r, tag);
	else
		send_finish(a, r);
}

void app_drain(struct app *a)
{
	if (!a->eng)
		return;
	if (a->fetch_id > 0)
		engine_cancel(a->eng, a->fetch_id);
	bool write = a->req_id > 0;
	if (write)
		send_cancel(a);
	a->fetch_id = a->req_id = 0;
	if (engine_pending(a->eng) > 0)
		engine_run(a->eng);
	struct result *r;
	void *tag;
	while ((r = engine_take_done(a->eng, &tag))) {
		/* A write quit out of ("quit anyway? y") may have applied. */
		if (!tag && write)
			audit_record(a, r);
		result_free(r);
		free(tag);
	}
}

void info_draw(struct app *a, WINDOW *w, int top, int height)
{
	int width = a->cols - 4;
	int y = top, end = top + height;
	char line[600], lv[128];
	attr_t at = app_attr(a, a->info_error ? PAIR_ERR : PAIR_OK);
	wattron(w, at);
	int used = draw_text(w, y, 2, a->info_error ? "FAILED" : "OK", width);
	wattroff(w, at);
	draw_untrusted(w, y++, 2 + used + 2, a->info_head, width - used - 2);

	const struct recent *rc = config_recent_find(a->cfg, a->info_target.kind, a->info_target.id);
	if (rc && rc->has_level) {
		level_format(rc->level, lv, sizeof lv);
		snprintf(line, sizeof line, "Requested level: last sent from this machine: %s", lv);
	} else {
		snprintf(line, sizeof line, "Requested level: nothing sent from this machine");
	}
	if (y < end)
		draw_text(w, y++, 2, line, width);
	if (y < end)
		draw_text(w, y++, 2, "  (the API cannot read a participant's requested level)", width);
	if (a->info_error || y >= end)
		return;
	if (a->n_members == 0) {
		draw_text(w, y++, 2, "In no group.", width);
		return;
	}
	wattron(w, A_BOLD);
	draw_text(w, y++, 2, "Group ID      Name         Joined     privacyLevel and the flags it implies",
		  width);
	wattroff(w, A_BOLD);
	for (size_t i = 0; i < a->n_members && y < end; i++) {
		const struct membership *m = &a->members[i];
		const struct group_info *g = groups_find(a, m->group_id);
		char name[200] = "", namef[200], date[64] = "", num[24] = "-";
		if (g && g->name)
			text_escape(g->name, strlen(g->name), name, sizeof name);
		text_fit(namef, sizeof namef, name[0] ? name : a->groups_loaded ? "?" : "...", 12);
		if (m->join_date)
			text_escape(m->join_date, strlen(m->join_date) > 10 ? 10 : strlen(m->join_date),
				    date, sizeof date);
		if (m->privacy_level >= 0) {
			snprintf(num, sizeof num, "%lld", (long long)m->privacy_level);
			if (privacy_level_on_ladder(m->privacy_level))
				level_format(privacy_level_inferred(m->privacy_level), lv, sizeof lv);
			else
				snprintf(lv, sizeof lv, "none (outside the known ladder 0..5)");
		} else if (m->privacy_level_text) {
			/* Shown as the server sent it, and said to be no level. */
			text_escape(m->privacy_level_text, strlen(m->privacy_level_text), num,
				    sizeof num);
			snprintf(lv, sizeof lv, "none (not a level)");
		} else {
			snprintf(lv, sizeof lv, "? (no privacyLevel)");
		}
		/* The marker before the flags, so a narrow screen cuts flags, not it. */
		snprintf(line, sizeof line, "%-13s %s %-10s %3s  inferred: %s", m->group_id, namef,
			 date, num, lv);
		draw_text(w, y++, 2, line, width);
	}
}
