/* state: fixture loading, lookups and mutations of the sandbox's data. */
#include "state.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const state_flag_wire[STATE_NFLAGS] = {
	"mhci", "groupPerecntiles", "userPercentiles", "transcript", "features",
};

const char *const state_email_wire[EMAIL_NTYPES] = {
	"checkinReminder", "privacyRequest",
};

struct level {
	int *flags;
	size_t n;
	bool set;          /* participants: false until a request set it */
};

struct group {
	char *id;          /* canonical digits, no leading zeros */
	int64_t id_num;
	int ent;
	char *name, *invite, *key;
	bool consent;
	int64_t credits;
	struct level level;
	unsigned long emails[EMAIL_NTYPES];
	unsigned long level_sets;
};

struct membership {
	size_t group;      /* index into data.groups */
	char *join_date;
	int64_t privacy_level;
};

struct participant {
	char *id;
	size_t id_len;
	int ent;
	struct membership *m;
	size_t nm;
	struct level level;
	unsigned long emails[EMAIL_NTYPES];
	unsigned long level_sets;
};

struct enterprise {
	char *name;
	char *key;
};

struct data {
	struct enterprise *ents;
	size_t nents;
	struct group *groups;
	size_t ngroups;
	struct participant *parts;
	size_t nparts;
};

struct state {
	pthread_mutex_t mu;
	char *path;
	struct data d;
};

static void data_free(struct data *d)
{
	for (size_t i = 0; i < d->nents; i++) {
		free(d->ents[i].name);
		free(d->ents[i].key);
	}
	for (size_t i = 0; i < d->ngroups; i++) {
		struct group *g = &d->groups[i];
		free(g->id);
		free(g->name);
		free(g->invite);
		free(g->key);
		free(g->level.flags);
	}
	for (size_t i = 0; i < d->nparts; i++) {
		struct participant *p = &d->parts[i];
		for (size_t j = 0; j < p->nm; j++)
			free(p->m[j].join_date);
		free(p->m);
		free(p->id);
		free(p->level.flags);
	}
	free(d->ents);
	free(d->groups);
	free(d->parts);
	memset(d, 0, sizeof *d);
}

static void fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Leading zeros do not make another group: "0123" is group 123. */
static const char *digits_canonical(const char *s)
{
	while (s[0] == '0' && s[1] != '\0')
		s++;
	return s;
}

static const char *str_field(json_object *o, const char *name, const char *fallback)
{
	json_object *v;
	if (json_object_object_get_ex(o, name, &v) && json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return fallback;
}

static int64_t int_field(json_object *o, const char *name, int64_t fallback)
{
	json_object *v;
	if (json_object_object_get_ex(o, name, &v) && json_object_is_type(v, json_type_int))
		return json_object_get_int64(v);
	return fallback;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		abort();  /* the fixture is tiny: out of memory here is hopeless */
	return d;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort();
	return p;
}

/* Reads a fixture level array of wire strings into lv. 0 or -1. */
static int level_from_json(json_object *arr, struct level *lv)
{
	size_t n = json_object_array_length(arr);
	lv->flags = xcalloc(n, sizeof *lv->flags);
	for (size_t i = 0; i < n; i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(arr, i));
		int f = -1;
		for (int k = 0; k < STATE_NFLAGS && s; k++)
			if (strcmp(s, state_flag_wire[k]) == 0)
				f = k;
		if (f < 0)
			return -1;
		lv->flags[lv->n++] = f;
	}
	lv->set = true;
	return 0;
}

static int level_copy(struct level *lv, const int *flags, size_t n)
{
	int *copy = malloc((n ? n : 1) * sizeof *copy);
	if (!copy)
		return -1;
	if (n)
		memcpy(copy, flags, n * sizeof *copy);
	free(lv->flags);
	lv->flags = copy;
	lv->n = n;
	lv->set = true;
	return 0;
}

static json_object *level_to_json(const struct level *lv)
{
	if (!lv->set)
		return NULL;
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < lv->n; i++)
		json_object_array_add(arr, json_object_new_string(state_flag_wire[lv->flags[i]]));
	return arr;
}

/* groupID in a fixture: a JSON integer, or a string of digits. */
static int group_id_from_json(json_object *v, char **id, int64_t *num)
{
	char buf[32];
	if (json_object_is_type(v, json_type_int)) {
		*num = json_object_get_int64(v);
		if (*num < 0)
			return -1;
		snprintf(buf, sizeof buf, "%" PRId64, *num);
		*id = xstrdup(buf);
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return -1;
	const char *s = json_object_get_string(v);
	if (!*s || strspn(s, "0123456789") != strlen(s))
		return -1;
	errno = 0;
	long long n = strtoll(s, NULL, 10);
	if (errno == ERANGE)
		return -1;
	*num = n;
	*id = xstrdup(digits_canonical(s));
	return 0;
}

static long group_index(const struct data *d, const char *id)
{
	const char *c = digits_canonical(id);
	for (size_t i = 0; i < d->ngroups; i++)
		if (strcmp(d->groups[i].id, c) == 0)
			return (long)i;
	return -1;
}

static long part_index(const struct data *d, const char *id, size_t len)
{
	if (memchr(id, '\0', len))
		return -1;  /* no stored ID holds a NUL: a decoded %00 is not found */
	for (size_t i = 0; i < d->nparts; i++)
		if (d->parts[i].id_len == len && memcmp(d->parts[i].id, id, len) == 0)
			return (long)i;
	return -1;
}

static int load_groups(struct data *d, int ent, json_object *arr, char *err, size_t errlen)
{
	size_t n = json_object_array_length(arr);
	for (size_t i = 0; i < n; i++) {
		json_object *go = json_object_array_get_idx(arr, i), *v;
		struct group *g = &d->groups[d->ngroups];
		memset(g, 0, sizeof *g);
		if (!json_object_object_get_ex(go, "groupID", &v) ||
		    group_id_from_json(v, &g->id, &g->id_num) != 0) {
			fail(err, errlen, "enterprise %d group %zu: groupID must be digits that fit 64 bits", ent, i);
			return -1;
		}
		d->ngroups++;  /* counted now so data_free releases it on error */
		if (group_index(d, g->id) != (long)d->ngroups - 1) {
			fail(err, errlen, "group %s appears twice", g->id);
			return -1;
		}
		g->ent = ent;
		g->name = xstrdup(str_field(go, "groupName", ""));
		g->invite = xstrdup(str_field(go, "inviteCode", ""));
		g->key = xstrdup(str_field(go, "key", ""));
		g->consent = strcmp(str_field(go, "consentRequired", "false"), "true") == 0;
		g->credits = int_field(go, "credits", 0);
		json_object *lv;
		if (json_object_object_get_ex(go, "requestedPrivacyLevel", &lv)) {
			if (!json_object_is_type(lv, json_type_array) ||
			    level_from_json(lv, &g->level) != 0) {
				fail(err, errlen, "group %s: requestedPrivacyLevel must be an array of wire flags", g->id);
				return -1;
			}
		} else {
			g->level.set = true;
		}
	}
	return 0;
}

static int load_participants(struct data *d, int ent, json_object *arr, char *err, size_t errlen)
{
	size_t n = json_object_array_length(arr);
	for (size_t i = 0; i < n; i++) {
		json_object *po = json_object_array_get_idx(arr, i), *v, *ug;
		struct participant *p = &d->parts[d->nparts];
		memset(p, 0, sizeof *p);
		if (!json_object_object_get_ex(po, "externalID", &v) ||
		    !json_object_is_type(v, json_type_string) ||
		    json_object_get_string_len(v) == 0 ||
		    memchr(json_object_get_string(v), '\0', (size_t)json_object_get_string_len(v))) {
			fail(err, errlen, "enterprise %d participant %zu: externalID must be a non-empty string", ent, i);
			return -1;
		}
		const char *id = json_object_get_string(v);
		size_t id_len = (size_t)json_object_get_string_len(v);
		if (part_index(d, id, id_len) >= 0) {
			fail(err, errlen, "participant %s appears twice", id);
			return -1;
		}
		p->id = xstrdup(id);
		p->id_len = id_len;
		p->ent = ent;
		d->nparts++;
		if (!json_object_object_get_ex(po, "userGroups", &ug) ||
		    !json_object_is_type(ug, json_type_array))
			continue;
		size_t nm = json_object_array_length(ug);
		p->m = xcalloc(nm, sizeof *p->m);
		for (size_t j = 0; j < nm; j++) {
			json_object *mo = json_object_array_get_idx(ug, j), *gv;
			char *gid = NULL;
			int64_t num;
			long gi = -1;
			if (json_object_object_get_ex(mo, "groupID", &gv) &&
			    group_id_from_json(gv, &gid, &num) == 0)
				gi = group_index(d, gid);
			free(gid);
			if (gi < 0) {
				fail(err, errlen, "participant %s: userGroups[%zu] names no known group", p->id, j);
				return -1;
			}
			p->m[p->nm].group = (size_t)gi;
			p->m[p->nm].join_date = xstrdup(str_field(mo, "joinDate", ""));
			p->m[p->nm].privacy_level = int_field(mo, "privacyLevel", 0);
			p->nm++;
		}
	}
	return 0;
}

static size_t count_in(json_object *ents, const char *field)
{
	size_t total = 0;
	for (size_t i = 0; i < json_object_array_length(ents); i++) {
		json_object *a;
		if (json_object_object_get_ex(json_object_array_get_idx(ents, i), field, &a) &&
		    json_object_is_type(a, json_type_array))
			total += json_object_array_length(a);
	}
	return total;
}

/* Groups of every enterprise load before any participant, so a membership
 * may name a group listed later in the file. */
static int data_load(struct data *d, const char *path, char *err, size_t errlen)
{
	memset(d, 0, sizeof *d);
	json_object *root = json_object_from_file(path);
	if (!root) {
		fail(err, errlen, "cannot read fixture %s: %s", path, json_util_get_last_err());
		return -1;
	}
	json_object *ents;
	int rc = -1;
	if (!json_object_object_get_ex(root, "enterprises", &ents) ||
	    !json_object_is_type(ents, json_type_array)) {
		fail(err, errlen, "fixture %s: no \"enterprises\" array", path);
		goto out;
	}
	size_t ne = json_object_array_length(ents);
	d->ents = xcalloc(ne, sizeof *d->ents);
	d->groups = xcalloc(count_in(ents, "groups"), sizeof *d->groups);
	d->parts = xcalloc(count_in(ents, "participants"), sizeof *d->parts);
	for (size_t i = 0; i < ne; i++) {
		json_object *eo = json_object_array_get_idx(ents, i), *a;
		const char *key = str_field(eo, "apiKey", NULL);
		if (!key || !*key) {
			fail(err, errlen, "fixture %s: enterprise %zu has no apiKey", path, i);
			goto out;
		}
		d->ents[i].name = xstrdup(str_field(eo, "name", ""));
		d->ents[i].key = xstrdup(key);
		d->nents++;
		if (json_object_object_get_ex(eo, "groups", &a) && json_object_is_type(a, json_type_array) &&
		    load_groups(d, (int)i, a, err, errlen) != 0)
			goto out;
	}
	for (size_t i = 0; i < ne; i++) {
		json_object *a;
		if (json_object_object_get_ex(json_object_array_get_idx(ents, i), "participants", &a) &&
		    json_object_is_type(a, json_type_array) &&
		    load_participants(d, (int)i, a, err, errlen) != 0)
			goto out;
	}
	rc = 0;
out:
	json_object_put(root);
	if (rc != 0)
		data_free(d);
	return rc;
}

struct state *state_load(const char *path, char *err, size_t errlen)
{
	struct state *st = xcalloc(1, sizeof *st);
	if (data_load(&st->d, path, err, errlen) != 0) {
		free(st);
		return NULL;
	}
	pthread_mutex_init(&st->mu, NULL);
	st->path = xstrdup(path);
	return st;
}

void state_free(struct state *st)
{
	if (!st)
		return;
	data_free(&st->d);
	pthread_mutex_destroy(&st->mu);
	free(st->path);
	free(st);
}

int state_reset(struct state *st, char *err, size_t errlen)
{
	struct data fresh;
	if (data_load(&fresh, st->path, err, errlen) != 0)
		return -1;
	pthread_mutex_lock(&st->mu);
	struct data old = st->d;
	st->d = fresh;
	pthread_mutex_unlock(&st->mu);
	data_free(&old);
	return 0;
}

/* Compares without stopping at the first difference, so response time
 * says nothing about how much of a key was right. */
static bool key_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = la != lb;
	for (size_t i = 0; i < la; i++)
		diff |= (unsigned char)(a[i] ^ b[i % (lb ? lb : 1)]);
	return diff == 0;
}

int state_auth(struct state *st, const char *key)
{
	if (!key)
		return -1;
	int found = -1;
	pthread_mutex_lock(&st->mu);
	for (size_t i = 0; i < st->d.nents; i++)
		if (key_equal(key, st->d.ents[i].key))
			found = (int)i;
	pthread_mutex_unlock(&st->mu);
	return found;
}

/* Locked: the group for ent, or why not. */
static enum lookup group_find(struct state *st, int ent, const char *id, struct group **out)
{
	long gi = group_index(&st->d, id);
	if (gi < 0)
		return LOOKUP_NOT_FOUND;
	if (st->d.groups[gi].ent != ent)
		return LOOKUP_OTHER_ENTERPRISE;
	*out = &st->d.groups[gi];
	return LOOKUP_OK;
}

/* Locked. Another enterprise's participant is simply not found. */
static struct participant *part_find(struct state *st, int ent, const char *id, size_t len)
{
	long pi = part_index(&st->d, id, len);
	if (pi < 0 || st->d.parts[pi].ent != ent)
		return NULL;
	return &st->d.parts[pi];
}

enum lookup state_group_set_level(struct state *st, int ent, const char *group_id,
				  const int *flags, size_t n)
{
	struct group *g = NULL;
	pthread_mutex_lock(&st->mu);
	enum lookup r = group_find(st, ent, group_id, &g);
	if (r == LOOKUP_OK && level_copy(&g->level, flags, n) == 0)
		g->level_sets++;
	pthread_mutex_unlock(&st->mu);
	return r;
}

enum lookup state_participant_set_level(struct state *st, int ent,
					const char *participant_id, size_t id_len,
					const int *flags, size_t n)
{
	pthread_mutex_lock(&st->mu);
	struct participant *p = part_find(st, ent, participant_id, id_len);
	if (p && level_copy(&p->level, flags, n) == 0)
		p->level_sets++;
	pthread_mutex_unlock(&st->mu);
	return p ? LOOKUP_OK : LOOKUP_NOT_FOUND;
}

enum lookup state_group_email(struct state *st, int ent, const char *group_id,
			      enum email_type type)
{
	struct group *g = NULL;
	pthread_mutex_lock(&st->mu);
	enum lookup r = group_find(st, ent, group_id, &g);
	if (r == LOOKUP_OK)
		g->emails[type]++;
	pthread_mutex_unlock(&st->mu);
	return r;
}

enum lookup state_participant_email(struct state *st, int ent,
				    const char *participant_id, size_t id_len,
				    enum email_type type)
{
	pthread_mutex_lock(&st->mu);
	struct participant *p = part_find(st, ent, participant_id, id_len);
	if (p)
		p->emails[type]++;
	pthread_mutex_unlock(&st->mu);
	return p ? LOOKUP_OK : LOOKUP_NOT_FOUND;
}

json_object *state_groups_json(struct state *st, int ent)
{
	json_object *arr = json_object_new_array();
	pthread_mutex_lock(&st->mu);
	for (size_t i = 0; i < st->d.ngroups; i++) {
		const struct group *g = &st->d.groups[i];
		if (g->ent != ent)
			continue;
		json_object *o = json_object_new_object();
		json_object_object_add(o, "groupID", json_object_new_int64(g->id_num));
		json_object_object_add(o, "groupName", json_object_new_string(g->name));
		json_object *lv = level_to_json(&g->level);
		json_object_object_add(o, "requestedPrivacyLevel", lv ? lv : json_object_new_array());
		json_object_object_add(o, "inviteCode", json_object_new_string(g->invite));
		json_object_object_add(o, "key", json_object_new_string(g->key));
		json_object_object_add(o, "consentRequired",
				       json_object_new_string(g->consent ? "true" : "false"));
		json_object_object_add(o, "credits", json_object_new_int64(g->credits));
		json_object_array_add(arr, o);
	}
	pthread_mutex_unlock(&st->mu);
	return arr;
}

json_object *state_participant_json(struct state *st, int ent,
				    const char *participant_id, size_t id_len)
{
	json_object *o = NULL;
	pthread_mutex_lock(&st->mu);
	const struct participant *p = part_find(st, ent, participant_id, id_len);
	if (p) {
		o = json_object_new_object();
		json_object_object_add(o, "externalID", json_object_new_string_len(p->id, (int)p->id_len));
		json_object *ug = json_object_new_array();
		for (size_t j = 0; j < p->nm; j++) {
			json_object *m = json_object_new_object();
			json_object_object_add(m, "externalID", json_object_new_string_len(p->id, (int)p->id_len));
			json_object_object_add(m, "groupID",
					       json_object_new_int64(st->d.groups[p->m[j].group].id_num));
			json_object_object_add(m, "joinDate", json_object_new_string(p->m[j].join_date));
			json_object_object_add(m, "privacyLevel", json_object_new_int64(p->m[j].privacy_level));
			json_object_array_add(ug, m);
		}
		json_object_object_add(o, "userGroups", ug);
	}
	pthread_mutex_unlock(&st->mu);
	return o;
}

static json_object *emails_json(const unsigned long *emails)
{
	json_object *o = json_object_new_object();
	for (int t = 0; t < EMAIL_NTYPES; t++)
		json_object_object_add(o, state_email_wire[t], json_object_new_int64((int64_t)emails[t]));
	return o;
}

json_object *state_dump_json(struct state *st)
{
	json_object *ents = json_object_new_array();
	pthread_mutex_lock(&st->mu);
	for (size_t e = 0; e < st->d.nents; e++) {
		json_object *eo = json_object_new_object(), *groups = json_object_new_array(),
			    *parts = json_object_new_array();
		json_object_object_add(eo, "name", json_object_new_string(st->d.ents[e].name));
		for (size_t i = 0; i < st->d.ngroups; i++) {
			const struct group *g = &st->d.groups[i];
			if (g->ent != (int)e)
				continue;
			json_object *o = json_object_new_object();
			json_object_object_add(o, "groupID", json_object_new_int64(g->id_num));
			json_object_object_add(o, "groupName", json_object_new_string(g->name));
			json_object_object_add(o, "requestedPrivacyLevel", level_to_json(&g->level));
			json_object_object_add(o, "levelSets", json_object_new_int64((int64_t)g->level_sets));
			json_object_object_add(o, "emailsSent", emails_json(g->emails));
			json_object_array_add(groups, o);
		}
		for (size_t i = 0; i < st->d.nparts; i++) {
			const struct participant *p = &st->d.parts[i];
			if (p->ent != (int)e)
				continue;
			json_object *o = json_object_new_object();
			json_object_object_add(o, "externalID", json_object_new_string_len(p->id, (int)p->id_len));
			/* null until this sandbox received a level for them */
			json_object_object_add(o, "requestedPrivacyLevel", level_to_json(&p->level));
			json_object_object_add(o, "levelSets", json_object_new_int64((int64_t)p->level_sets));
			json_object_object_add(o, "emailsSent", emails_json(p->emails));
			json_object_array_add(parts, o);
		}
		json_object_object_add(eo, "groups", groups);
		json_object_object_add(eo, "participants", parts);
		json_object_array_add(ents, eo);
	}
	pthread_mutex_unlock(&st->mu);
	json_object *root = json_object_new_object();
	json_object_object_add(root, "enterprises", ents);
	return root;
}
