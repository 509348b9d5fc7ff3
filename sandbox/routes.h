/* routes: the Okaya API contract, as the sandbox answers it.
 *
 * Routing works on the raw (still percent-encoded) path; only the ID
 * segment is decoded, so "ok%2F..%2Fx" is one participant ID. Every answer
 * is JSON with the documented status and error string, byte for byte. */
#ifndef SANDBOX_ROUTES_H
#define SANDBOX_ROUTES_H

#include <stddef.h>
#include "state.h"

struct route_req {
	const char *method;
	const char *path;          /* raw, without the query string */
	const char *api_key;       /* x-api-key, NULL when absent */
	const char *content_type;  /* NULL when absent */
	const char *body;          /* body_len bytes, not NUL-terminated */
	size_t body_len;
};

#define ROUTE_TARGET_MAX 200

struct route_resp {
	unsigned status;
	char *body;                      /* malloc'd JSON; free() it */
	char target[ROUTE_TARGET_MAX];   /* "group 123", "participant \"x\"", or "" */
};

/* Answers one request of the contract. Always fills rs (the caller frees
 * rs->body). Unknown path or method: 404 {"error":"Not found"}. */
void routes_handle(struct state *st, const struct route_req *rq, struct route_resp *rs);

/* JSON text of o (plain, '/' not escaped) as a malloc'd string; puts o. */
char *routes_json_take(json_object *o);

/* Copies s (len bytes) into out for a log line: printable ASCII as is,
 * everything else as \xNN, cut with "..." when it does not fit. */
void routes_escape(char *out, size_t outlen, const char *s, size_t len);

#endif
