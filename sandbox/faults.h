/* faults: switches that make the sandbox misbehave on purpose.
 *
 * Slow answers, a rate limit, random 500s, an HTML proxy page, a redirect,
 * a truncated JSON body. They stand in front of the contract: a request
 * caught by one never reaches the routes. Thread-safe. */
#ifndef SANDBOX_FAULTS_H
#define SANDBOX_FAULTS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct faults_cfg {
	unsigned delay_ms;     /* answer every request this late */
	unsigned rate_limit;   /* > this many requests in any 1 s: 429; 0 = off */
	double fail_rate;      /* fraction 0..1 answered 500 with an HTML body */
	uint64_t seed;         /* makes fail_rate's choices repeatable */
	bool html;             /* every request: 502 with an HTML page */
	const char *redirect;  /* every request: 302 to this URL; NULL = off */
	bool malformed;        /* every request: 200 with cut-off JSON */
};

enum fault {
	FAULT_NONE, FAULT_RATE_LIMITED, FAULT_REDIRECT, FAULT_HTML, FAULT_FAIL, FAULT_MALFORMED,
};

/* A canned answer. body and header strings are static. */
struct fault_answer {
	unsigned status;
	const char *content_type;
	const char *body;
	const char *header, *header_value;  /* one extra header, or NULLs */
};

struct faults {
	struct faults_cfg cfg;
	pthread_mutex_t mu;
	uint64_t *window;      /* accepted request times (ns), a ring of rate_limit */
	size_t window_len, window_head;
	uint64_t served;       /* requests decided so far: the fail_rate sequence */
};

/* 0, or -1 when out of memory. cfg is copied (redirect is borrowed). */
int faults_init(struct faults *f, const struct faults_cfg *cfg);
void faults_destroy(struct faults *f);

/* Decides the fault of the next request; call once per request. */
enum fault faults_decide(struct faults *f);

/* The answer for a fault other than FAULT_NONE. */
void faults_answer(const struct faults *f, enum fault which, struct fault_answer *out);

/* Sleeps delay_ms (only the calling connection's thread waits). */
void faults_delay(const struct faults *f);

#endif
