/* api: the Okaya calls this tool makes, built on engine.h and target.h.
 * Each function validates, builds path and body, and starts the request. */
#ifndef OKAYA_API_H
#define OKAYA_API_H

#include <stdbool.h>
#include <stdint.h>
#include "engine.h"
#include "flags.h"
#include "target.h"

/* True when r is the API's success answer to a POST: a 2xx status and a
 * JSON object body with a "message" string. A 2xx without it (a proxy's
 * page, a cut body) does not prove the change was applied. */
bool result_confirmed(const struct result *r);

/* POST /configure/{groups|participants}/{id}/privacy */
long api_set_privacy(struct engine *e, const struct target *t, level_t level,
		     void *tag, char *err, size_t errlen);

/* POST /interact/{groups|participants}/{id}/email with emailType. */
long api_send_email(struct engine *e, const struct target *t, const char *email_type,
		    void *tag, char *err, size_t errlen);

/* GET /groups and GET /participants/{id}. */
long api_get_groups(struct engine *e, void *tag, char *err, size_t errlen);
long api_get_participant(struct engine *e, const char *external_id, void *tag,
			 char *err, size_t errlen);

/* One group of GET /groups. The group key is deliberately not kept. */
struct group_info {
	char id[GROUP_ID_MAX + 1];
	char *name;
	level_t requested;      /* LEVEL_NONE when !has_requested */
	bool has_requested;     /* requestedPrivacyLevel was there (not null) */
	bool consent_required;  /* consent == 1 */
	int consent;            /* consentRequired: 1 true / "true", 0 false /
				 * "false", -1 absent or anything else (unknown) */
};

/* Parses a GET /groups result. Returns 0 and a malloc'd array (free with
 * group_list_free), or -1 with a message. */
int groups_parse(const struct result *r, struct group_info **out, size_t *n,
		 char *err, size_t errlen);
void group_list_free(struct group_info *g, size_t n);

/* One membership of GET /participants/{id}. */
struct membership {
	char group_id[GROUP_ID_MAX + 1];
	char *join_date;
	int64_t privacy_level; /* as the API gives it; -1 when absent or not a
				* non-negative integer */
	char *privacy_level_text; /* owned: the raw JSON text when privacyLevel
				   * is there but not a non-negative integer
				   * ("\"high\"", "2.5", "-1"), else NULL */
};
int participant_parse(const struct result *r, struct membership **out, size_t *n,
		      char *err, size_t errlen);
void membership_list_free(struct membership *m, size_t n);

/* The flags a numeric privacyLevel is inferred to expose (a cumulative
 * ladder in flag order; undocumented, so always label it "inferred"). */
level_t privacy_level_inferred(int64_t privacy_level);

/* The ladder inference knows: 0..FLAG_COUNT. A level outside it gets no
 * inferred flags at all ("outside the known ladder 0..5"). */
bool privacy_level_on_ladder(int64_t privacy_level);

#endif
