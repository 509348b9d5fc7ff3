/* routes: routing on the raw path and the contract's validation order. */
#include "routes.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ERR_INVALID_LEVEL \
	"Invalid requestedPrivacyLevel. Should be an array with elements in " \
	"['mhci', 'groupPerecntiles', 'userPercentiles', 'transcript', 'features']."
#define ERR_INVALID_EMAIL \
	"Invalid email type. Should be one of ['checkinReminder', 'privacyRequest']."

enum kind { KIND_GROUP, KIND_PARTICIPANT };

/* A path split on '/': at most MAX_SEGS segments, pointing into the path. */
#define MAX_SEGS 5
struct segs {
	const char *s[MAX_SEGS];
	size_t len[MAX_SEGS];
	size_t n;
};

/* A decoded ID segment. bad: a malformed %-escape. */
struct id {
	char *s;      /* NUL-terminated; may hold NULs before len */
	size_t len;
	bool bad;
};

char *routes_json_take(json_object *o)
{
	const char *text = json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	char *copy = strdup(text ? text : "null");
	json_object_put(o);
	if (!copy)
		abort();
	return copy;
}

static void answer_json(struct route_resp *rs, unsigned status, const char *key, const char *msg)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, key, json_object_new_string(msg));
	rs->status = status;
	rs->body = routes_json_take(o);
}

static void answer_error(struct route_resp *rs, unsigned status, const char *msg)
{
	answer_json(rs, status, "error", msg);
}

static void answer_success(struct route_resp *rs)
{
	answer_json(rs, 200, "message", "success");
}

void routes_escape(char *out, size_t outlen, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool plain = c >= 0x20 && c < 0x7f && c != '\\' && c != '"';
		size_t need = plain ? 1 : 4;
		if (o + need + 4 > outlen) {  /* room for "..." and NUL */
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (plain) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes one raw segment. '+' stays '+' (this is a path). */
static void id_decode(struct id *id, const char *s, size_t len)
{
	id->s = malloc(len + 1);
	if (!id->s)
		abort();
	id->len = 0;
	id->bad = false;
	for (size_t i = 0; i < len; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < len &&
		    (hi = hexval(s[i + 1])) >= 0 && (lo = hexval(s[i + 2])) >= 0) {
			id->s[id->len++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			if (s[i] == '%')
				id->bad = true;
			id->s[id->len++] = s[i];
		}
	}
	id->s[id->len] = '\0';
}

static bool seg_is(const struct segs *sg, size_t i, const char *word)
{
	return sg->len[i] == strlen(word) && memcmp(sg->s[i], word, sg->len[i]) == 0;
}

/* Returns false when the path has too many segments to be a route. */
static bool path_split(const char *path, struct segs *sg)
{
	sg->n = 0;
	if (path[0] != '/')
		return false;
	const char *p = path + 1;
	for (;;) {
		if (sg->n == MAX_SEGS)
			return false;
		size_t len = strcspn(p, "/");
		sg->s[sg->n] = p;
		sg->len[sg->n++] = len;
		if (p[len] == '\0')
			return true;
		p += len + 1;
	}
}

/* The body as a JSON object, or NULL when there is none: no JSON content
 * type (an Express json parser leaves the body empty then), not strict
 * JSON, or trailing bytes. */
static json_object *body_object(const struct route_req *rq)
{
	if (!rq->content_type || strncasecmp(rq->content_type, "application/json", 16) != 0 ||
	    (rq->content_type[16] != '\0' && rq->content_type[16] != ';' && rq->content_type[16] != ' '))
		return NULL;
	if (rq->body_len == 0 || rq->body_len > (size_t)1 << 30)
		return NULL;
	json_tokener *tok = json_tokener_new();
	if (!tok)
		abort();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	json_object *o = json_tokener_parse_ex(tok, rq->body, (int)rq->body_len);
	bool complete = o && json_tokener_get_error(tok) == json_tokener_success;
	size_t used = complete ? json_tokener_get_parse_end(tok) : 0;
	json_tokener_free(tok);
	for (; complete && used < rq->body_len; used++)
		if (!strchr(" \t\r\n", rq->body[used]))
			complete = false;
	if (!complete || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* The body's field name (not null), or NULL; *owner is to be put. */
static json_object *body_field(const struct route_req *rq, const char *name, json_object **owner)
{
	json_object *v = NULL;
	*owner = body_object(rq);
	if (*owner && json_object_object_get_ex(*owner, name, &v) && v)
		return v;
	return NULL;
}

/* Reads requestedPrivacyLevel into flags (n of them). 0, or -1 invalid. */
static int level_parse(json_object *v, int **flags, size_t *n)
{
	if (!json_object_is_type(v, json_type_array))
		return -1;
	size_t len = json_object_array_length(v);
	*flags = malloc((len ? len : 1) * sizeof **flags);
	if (!*flags)
		abort();
	*n = 0;
	for (size_t i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(v, i);
		int f = -1;
		if (json_object_is_type(e, json_type_string))
			for (int k = 0; k < STATE_NFLAGS; k++)
				if (strcmp(json_object_get_string(e), state_flag_wire[k]) == 0)
					f = k;
		if (f < 0)
			return -1;
		(*flags)[(*n)++] = f;
	}
	return 0;
}

static void set_target(struct route_resp *rs, enum kind k, const struct id *id)
{
	char esc[ROUTE_TARGET_MAX - 16];
	routes_escape(esc, sizeof esc, id->s, id->len);
	snprintf(rs->target, sizeof rs->target, k == KIND_GROUP ? "group %s" : "participant \"%s\"", esc);
}

/* Path checks shared by every ID route. Returns true when an error was
 * answered. */
static bool id_check(struct route_resp *rs, enum kind k, const struct segs *sg, size_t i,
		     struct id *id)
{
	if (sg->len[i] == 0) {
		answer_error(rs, 400, k == KIND_GROUP ? "You are missing the path parameter groupID"
						      : "You are missing the path parameter externalID");
		return true;
	}
	id_decode(id, sg->s[i], sg->len[i]);
	set_target(rs, k, id);
	if (k == KIND_GROUP && (id->bad || id->len == 0 ||
				strspn(id->s, "0123456789") != id->len)) {
		answer_error(rs, 400, "groupID must be a number");
		return true;
	}
	return false;
}

static void answer_lookup(struct route_resp *rs, enum kind k, enum lookup r)
{
	if (r == LOOKUP_OK)
		answer_success(rs);
	else if (r == LOOKUP_OTHER_ENTERPRISE)
		answer_error(rs, 400, "Group doesn't exist in associated groups");
	else
		answer_error(rs, 400, k == KIND_GROUP ? "Group not found" : "Participant not found");
}

/* Order: path parameter, groupID format, body, then the lookup. Body
 * checks come before "not found" because a handler validates its input
 * before it queries the store; a client that sends a bad body to a missing
 * group therefore hears about the body first. A malformed %-escape or a
 * decoded NUL in a participant ID matches no one: "Participant not found". */
static void handle_privacy(struct state *st, int ent, const struct route_req *rq,
			   const struct segs *sg, enum kind k, struct route_resp *rs)
{
	struct id id = { 0 };
	json_object *owner = NULL;
	int *flags = NULL;
	size_t n = 0;
	if (id_check(rs, k, sg, 2, &id))
		goto out;
	json_object *v = body_field(rq, "requestedPrivacyLevel", &owner);
	if (!v) {
		answer_error(rs, 400, "You are missing the body parameter requestedPrivacyLevel");
		goto out;
	}
	if (level_parse(v, &flags, &n) != 0) {
		answer_error(rs, 400, ERR_INVALID_LEVEL);
		goto out;
	}
	enum lookup r;
	if (k == KIND_GROUP)
		r = state_group_set_level(st, ent, id.s, flags, n);
	else
		r = id.bad ? LOOKUP_NOT_FOUND
			   : state_participant_set_level(st, ent, id.s, id.len, flags, n);
	answer_lookup(rs, k, r);
out:
	free(flags);
	free(id.s);
	json_object_put(owner);
}

/* Same order as handle_privacy, with emailType as the body. */
static void handle_email(struct state *st, int ent, const struct route_req *rq,
			 const struct segs *sg, enum kind k, struct route_resp *rs)
{
	struct id id = { 0 };
	json_object *owner = NULL;
	if (id_check(rs, k, sg, 2, &id))
		goto out;
	json_object *v = body_field(rq, "emailType", &owner);
	if (!v) {
		answer_error(rs, 400, "You are missing the body parameter emailType");
		goto out;
	}
	int type = -1;
	if (json_object_is_type(v, json_type_string))
		for (int t = 0; t < EMAIL_NTYPES; t++)
			if (strcmp(json_object_get_string(v), state_email_wire[t]) == 0)
				type = t;
	if (type < 0) {
		answer_error(rs, 400, ERR_INVALID_EMAIL);
		goto out;
	}
	enum lookup r;
	if (k == KIND_GROUP)
		r = state_group_email(st, ent, id.s, (enum email_type)type);
	else
		r = id.bad ? LOOKUP_NOT_FOUND
			   : state_participant_email(st, ent, id.s, id.len, (enum email_type)type);
	answer_lookup(rs, k, r);
out:
	free(id.s);
	json_object_put(owner);
}

static void handle_participant_get(struct state *st, int ent, const struct segs *sg,
				   struct route_resp *rs)
{
	struct id id = { 0 };
	if (id_check(rs, KIND_PARTICIPANT, sg, 1, &id))
		goto out;
	json_object *o = id.bad ? NULL : state_participant_json(st, ent, id.s, id.len);
	if (!o) {
		answer_error(rs, 400, "Participant not found");
		goto out;
	}
	rs->status = 200;
	rs->body = routes_json_take(o);
out:
	free(id.s);
}

enum route {
	R_NONE, R_GROUP_PRIVACY, R_PART_PRIVACY, R_GROUP_EMAIL, R_PART_EMAIL,
	R_GROUPS, R_PART_GET,
};

static enum route route_match(const struct route_req *rq, const struct segs *sg)
{
	bool post = strcmp(rq->method, "POST") == 0, get = strcmp(rq->method, "GET") == 0;
	if (sg->n == 4 && post && seg_is(sg, 0, "configure") && seg_is(sg, 3, "privacy")) {
		if (seg_is(sg, 1, "groups"))
			return R_GROUP_PRIVACY;
		if (seg_is(sg, 1, "participants"))
			return R_PART_PRIVACY;
	}
	if (sg->n == 4 && post && seg_is(sg, 0, "interact") && seg_is(sg, 3, "email")) {
		if (seg_is(sg, 1, "groups"))
			return R_GROUP_EMAIL;
		if (seg_is(sg, 1, "participants"))
			return R_PART_EMAIL;
	}
	if (sg->n == 1 && get && seg_is(sg, 0, "groups"))
		return R_GROUPS;
	if (sg->n == 2 && get && seg_is(sg, 0, "participants"))
		return R_PART_GET;
	return R_NONE;
}

/* The route decides before the key: an unknown path is 404 with or without
 * a key, a known one without a valid key is 401. */
void routes_handle(struct state *st, const struct route_req *rq, struct route_resp *rs)
{
	struct segs sg;
	rs->body = NULL;
	rs->target[0] = '\0';
	enum route r = path_split(rq->path, &sg) ? route_match(rq, &sg) : R_NONE;
	if (r == R_NONE) {
		answer_error(rs, 404, "Not found");
		return;
	}
	int ent = state_auth(st, rq->api_key);
	if (ent < 0) {
		answer_error(rs, 401, "Unauthorized");
		return;
	}
	switch (r) {
	case R_GROUP_PRIVACY: handle_privacy(st, ent, rq, &sg, KIND_GROUP, rs); break;
	case R_PART_PRIVACY:  handle_privacy(st, ent, rq, &sg, KIND_PARTICIPANT, rs); break;
	case R_GROUP_EMAIL:   handle_email(st, ent, rq, &sg, KIND_GROUP, rs); break;
	case R_PART_EMAIL:    handle_email(st, ent, rq, &sg, KIND_PARTICIPANT, rs); break;
	case R_GROUPS:
		rs->status = 200;
		rs->body = routes_json_take(state_groups_json(st, ent));
		break;
	case R_PART_GET:      handle_participant_get(st, ent, &sg, rs); break;
	case R_NONE:          break;
	}
}
