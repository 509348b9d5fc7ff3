/* audit: one history line (core/history.h) for every write that reached the
 * server, set and notify alike, as the command line writes them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "history.h"

void audit_record(struct app *a, const struct result *r)
{
	/* Recorded when the request was written to the server (an answer, or a
	 * timeout or broken connection after sending: outcome unknown), and for
	 * a write cancelled after it started, which may have reached it. */
	bool cancelled = r->fail == FAIL_CANCELLED && a->req_cancelled;
	if (r->fail != FAIL_NONE && !r->sent && !cancelled)
		return;
	char err[256];
	char *path = history_default_path();
	if (!path) {
		snprintf(a->after_note, sizeof a->after_note,
			 "History not written: no home directory (set OKAYA_HISTORY).");
		a->after_error = true;
		return;
	}
	struct history_entry h;
	int rc = history_entry_from_result(&h, a->req_notify ? HISTORY_NOTIFY : HISTORY_SET,
					   &a->req_target, r, a->cfg->base_url);
	if (rc == 0 && cancelled) {
		free(h.error);
		h.error = strdup("cancelled: may or may not have been applied");
		h.status = 0;
		if (!h.error)
			rc = -1, history_entry_clear(&h);
	}
	if (rc == 0) {
		if (a->req_notify) {
			snprintf(h.email_type, sizeof h.email_type, "privacyRequest");
		} else {
			h.has_before = a->req_has_before;
			h.before = a->req_before;
			if (h.has_before)
				snprintf(h.before_source, sizeof h.before_source, "%s",
					 a->req_before_server ? HISTORY_BEFORE_SERVER
							      : HISTORY_BEFORE_HERE);
			h.after = a->req_level;
		}
		rc = history_append(path, &h, err, sizeof err);
		history_entry_clear(&h);
	} else {
		snprintf(err, sizeof err, "out of memory");
	}
	if (rc != 0) {
		snprintf(a->after_note, sizeof a->after_note, "History not written: %.200s", err);
		a->after_error = true;
	}
	free(path);
}
