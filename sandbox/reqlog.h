/* reqlog: one log line per request on stdout, and the last requests kept
 * for GET /_sandbox/requests.
 *
 * Neither ever holds the API key: callers pass only whether one was sent. */
#ifndef SANDBOX_REQLOG_H
#define SANDBOX_REQLOG_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>

#define REQLOG_KEEP 256        /* requests kept */
#define REQLOG_BODY_MAX 4096   /* bytes of each body kept */

/* What one request was. Strings are borrowed for the call; NULL = absent. */
struct reqlog_info {
	const char *method;
	const char *path;          /* raw */
	const char *target;        /* decoded, already escaped; may be "" */
	const char *body;
	size_t body_len;
	unsigned status;
	bool has_key;
	const char *content_type, *accept, *user_agent;
	bool keep;                 /* false: log line only (debug endpoints) */
};

struct reqlog_entry {
	uint64_t seq;
	char *method, *path, *target, *body, *content_type, *accept, *user_agent;
	size_t body_len;
	unsigned status;
	bool has_key;
};

struct reqlog {
	pthread_mutex_t mu;
	FILE *out;                 /* log lines; NULL = none */
	struct reqlog_entry ring[REQLOG_KEEP];
	size_t head, len;
	uint64_t total;            /* requests recorded since start */
	uint64_t arrived;          /* API requests read whole, answered or not yet */
};

void reqlog_init(struct reqlog *rl, FILE *out);
void reqlog_destroy(struct reqlog *rl);

/* Prints the log line and, when info->keep, keeps the request. */
void reqlog_record(struct reqlog *rl, const struct reqlog_info *info);

/* Counts an API request as soon as it is read, before any --delay-ms: tests
 * wait on it to know a request is in flight. */
void reqlog_arrived(struct reqlog *rl);

/* {"total": N, "arrived": N, "requests": [oldest ... newest]}; the caller owns it. */
json_object *reqlog_json(struct reqlog *rl);
uint64_t reqlog_total(struct reqlog *rl);

/* Forgets the kept requests (the total stays). */
void reqlog_clear(struct reqlog *rl);

#endif
