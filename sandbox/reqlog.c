/* reqlog: request log lines and the ring of recent requests. */
#include "reqlog.h"
#include "routes.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s, size_t len)
{
	if (!s)
		return NULL;
	char *d = malloc(len + 1);
	if (!d)
		abort();
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

static char *dup_str(const char *s)
{
	return s ? dup_or_null(s, strlen(s)) : NULL;
}

static void entry_free(struct reqlog_entry *e)
{
	free(e->method);
	free(e->path);
	free(e->target);
	free(e->body);
	free(e->content_type);
	free(e->accept);
	free(e->user_agent);
	memset(e, 0, sizeof *e);
}

void reqlog_init(struct reqlog *rl, FILE *out)
{
	memset(rl, 0, sizeof *rl);
	pthread_mutex_init(&rl->mu, NULL);
	rl->out = out;
}

void reqlog_clear(struct reqlog *rl)
{
	pthread_mutex_lock(&rl->mu);
	for (size_t i = 0; i < REQLOG_KEEP; i++)
		entry_free(&rl->ring[i]);
	rl->head = rl->len = 0;
	pthread_mutex_unlock(&rl->mu);
}

void reqlog_destroy(struct reqlog *rl)
{
	reqlog_clear(rl);
	pthread_mutex_destroy(&rl->mu);
}

void reqlog_record(struct reqlog *rl, const struct reqlog_info *info)
{
	char path[512];
	routes_escape(path, sizeof path, info->path, strlen(info->path));
	if (rl->out)  /* one call: stdio keeps concurrent lines whole */
		fprintf(rl->out, "%s %s %u%s%s\n", info->method, path, info->status,
			info->target[0] ? " " : "", info->target);
	if (!info->keep)
		return;

	size_t blen = info->body_len < REQLOG_BODY_MAX ? info->body_len : REQLOG_BODY_MAX;
	struct reqlog_entry e = {
		.method = dup_str(info->method),
		.path = dup_str(info->path),
		.target = dup_str(info->target),
		.body = dup_or_null(info->body ? info->body : "", info->body ? blen : 0),
		.body_len = info->body ? blen : 0,
		.content_type = dup_str(info->content_type),
		.accept = dup_str(info->accept),
		.user_agent = dup_str(info->user_agent),
		.status = info->status,
		.has_key = info->has_key,
	};
	pthread_mutex_lock(&rl->mu);
	e.seq = ++rl->total;
	size_t slot = (rl->head + rl->len) % REQLOG_KEEP;
	if (rl->len == REQLOG_KEEP) {
		slot = rl->head;
		rl->head = (rl->head + 1) % REQLOG_KEEP;
	} else {
		rl->len++;
	}
	struct reqlog_entry old = rl->ring[slot];
	rl->ring[slot] = e;
	pthread_mutex_unlock(&rl->mu);
	entry_free(&old);
}

static void add_str(json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, s ? json_object_new_string(s) : NULL);
}

void reqlog_arrived(struct reqlog *rl)
{
	pthread_mutex_lock(&rl->mu);
	rl->arrived++;
	pthread_mutex_unlock(&rl->mu);
}

json_object *reqlog_json(struct reqlog *rl)
{
	json_object *arr = json_object_new_array(), *root = json_object_new_object();
	pthread_mutex_lock(&rl->mu);
	for (size_t i = 0; i < rl->len; i++) {
		const struct reqlog_entry *e = &rl->ring[(rl->head + i) % REQLOG_KEEP];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "seq", json_object_new_int64((int64_t)e->seq));
		add_str(o, "method", e->method);
		add_str(o, "path", e->path);
		add_str(o, "target", e->target);
		json_object_object_add(o, "status", json_object_new_int((int)e->status));
		json_object_object_add(o, "body", json_object_new_string_len(e->body, (int)e->body_len));
		json_object_object_add(o, "hasApiKey", json_object_new_boolean(e->has_key));
		add_str(o, "contentType", e->content_type);
		add_str(o, "accept", e->accept);
		add_str(o, "userAgent", e->user_agent);
		json_object_array_add(arr, o);
	}
	json_object_object_add(root, "total", json_object_new_int64((int64_t)rl->total));
	json_object_object_add(root, "arrived", json_object_new_int64((int64_t)rl->arrived));
	pthread_mutex_unlock(&rl->mu);
	json_object_object_add(root, "requests", arr);
	return root;
}

uint64_t reqlog_total(struct reqlog *rl)
{
	pthread_mutex_lock(&rl->mu);
	uint64_t t = rl->total;
	pthread_mutex_unlock(&rl->mu);
	return t;
}
