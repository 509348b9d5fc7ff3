/* state: the sandbox's in-memory Okaya data, seeded from a JSON fixture.
 *
 * Enterprises (each with its fixture API key), their groups and their
 * participants. Every function takes the state's own mutex, so the HTTP
 * threads may call them concurrently. JSON results are new json-c objects
 * that the caller owns (json_object_put) and that share nothing with the
 * state. API keys are never part of any output. */
#ifndef SANDBOX_STATE_H
#define SANDBOX_STATE_H

#include <stddef.h>
#include <json-c/json.h>

/* The five wire strings of requestedPrivacyLevel, in the API's order and
 * with the API's spelling ("groupPerecntiles"). */
#define STATE_NFLAGS 5
extern const char *const state_flag_wire[STATE_NFLAGS];

enum email_type { EMAIL_CHECKIN_REMINDER, EMAIL_PRIVACY_REQUEST, EMAIL_NTYPES };
extern const char *const state_email_wire[EMAIL_NTYPES];

/* Outcome of a lookup or a mutation. */
enum lookup {
	LOOKUP_OK,
	LOOKUP_NOT_FOUND,          /* no such group / participant */
	LOOKUP_OTHER_ENTERPRISE,   /* a group that belongs to another key */
};

struct state;

/* Loads the fixture at path. Returns a new state, or NULL with a message. */
struct state *state_load(const char *path, char *err, size_t errlen);
/* Safe on NULL. */
void state_free(struct state *st);

/* Reloads the fixture the state was loaded from, replacing all data.
 * Returns 0, or -1 (state unchanged) with a message. */
int state_reset(struct state *st, char *err, size_t errlen);

/* The enterprise whose key equals key (compared in constant time per key),
 * or -1. NULL key gives -1. */
int state_auth(struct state *st, const char *key);

/* group_id: the decoded path segment, ASCII digits already checked.
 * flags: indexes into state_flag_wire, n of them, in the order received. */
enum lookup state_group_set_level(struct state *st, int ent, const char *group_id,
				  const int *flags, size_t n);
/* participant_id: decoded, id_len bytes (may contain NUL: then not found). */
enum lookup state_participant_set_level(struct state *st, int ent,
					const char *participant_id, size_t id_len,
					const int *flags, size_t n);
enum lookup state_group_email(struct state *st, int ent, const char *group_id,
			      enum email_type type);
enum lookup state_participant_email(struct state *st, int ent,
				    const char *participant_id, size_t id_len,
				    enum email_type type);

/* GET /groups: the enterprise's groups as the API shows them. */
json_object *state_groups_json(struct state *st, int ent);
/* GET /participants/{id}: the participant, or NULL when not found. */
json_object *state_participant_json(struct state *st, int ent,
				    const char *participant_id, size_t id_len);
/* Everything (no API keys, no group keys): enterprises by name with groups
 * and participants, requested levels and email counts. */
json_object *state_dump_json(struct state *st);

#endif
