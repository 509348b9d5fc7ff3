/* engine_result: what a result holds and how it reads to people. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <json-c/json.h>
#include "engine_result.h"
#include "safe_text.h"

void result_free(struct result *r)
{
	if (!r)
		return;
	free(r->fail_text);
	free(r->message);
	free(r->error);
	free(r->body);
	free(r->content_type);
	if (r->json)
		json_object_put(r->json);
	free(r->method);
	free(r->path);
	free(r);
}

char *text_clean_dup(const char *s, size_t max)
{
	return utf8_clean_dup(s, max);
}

/* True when the content type names JSON ("application/json", "...+json"). */
static bool type_is_json(const char *ct)
{
	if (!ct)
		return false;
	for (const char *p = ct; *p && *p != ';'; p++)
		if (strncasecmp(p, "json", 4) == 0)
			return true;
	return false;
}

/* Parses the whole body as one JSON value; trailing blanks allowed. */
static struct json_object *parse_json(const char *body, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	if (!tok)
		return NULL;
	struct json_object *j = json_tokener_parse_ex(tok, body, (int)len);
	if (j && json_tokener_get_error(tok) == json_tokener_success) {
		for (size_t i = json_tokener_get_parse_end(tok); i < len; i++) {
			if (!isspace((unsigned char)body[i])) {
				json_object_put(j);
				j = NULL;
				break;
			}
		}
	} else if (j) {
		json_object_put(j);
		j = NULL;
	}
	json_tokener_free(tok);
	return j;
}

/* The string field `key` of object j, cleaned for display; NULL if absent. */
static char *string_field(struct json_object *j, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(j, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return text_clean_dup(json_object_get_string(v), 4096);
}

void result_parse_body(struct result *r)
{
	if (r->body_truncated || r->body_len == 0 || r->body_len > (size_t)0x7fffffff)
		return;
	struct json_object *j = parse_json(r->body, r->body_len);
	if (!j)
		return;
	/* A bare scalar ("123", "true") only counts when the server said JSON:
	 * plain text that happens to parse is still plain text. */
	enum json_type t = json_object_get_type(j);
	if (t != json_type_object && t != json_type_array && !type_is_json(r->content_type)) {
		json_object_put(j);
		return;
	}
	r->json = j;
	if (t == json_type_object) {
		r->message = string_field(j, "message");
		r->error = string_field(j, "error");
	}
}

const char *http_status_text(long status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "";
	}
}

/* "content type without parameters", or "unknown type". */
static void type_name(const char *ct, char *buf, size_t len)
{
	if (!ct || !*ct) {
		snprintf(buf, len, "no content type");
		return;
	}
	size_t n = strcspn(ct, "; \t");
	if (n > 60)
		n = 60;
	snprintf(buf, len, "%.*s", (int)n, ct);
}

const char *result_summary(const struct result *r, char *buf, size_t len)
{
	if (!buf || len == 0)
		return buf;
	if (!r) {
		snprintf(buf, len, "no result");
		return buf;
	}
	if (r->status == 0 || r->fail == FAIL_CANCELLED) {
		snprintf(buf, len, "%s", r->fail_text ? r->fail_text : "no response");
		return buf;
	}
	char head[64];
	const char *reason = http_status_text(r->status);
	snprintf(head, sizeof head, "%ld%s%s", r->status, *reason ? " " : "", reason);
	if (r->fail != FAIL_NONE && r->fail_text) {
		snprintf(buf, len, "%s: %s", head, r->fail_text);
	} else if (r->error || r->message) {
		snprintf(buf, len, "%s: %s", head, r->error ? r->error : r->message);
	} else if (r->json) {
		snprintf(buf, len, "%s", head);
	} else if (r->body_len == 0) {
		snprintf(buf, len, "%s (empty body)", head);
	} else {
		char type[72];
		type_name(r->content_type, type, sizeof type);
		snprintf(buf, len, "%s (%s body%s, not JSON)", head, type,
			 r->body_truncated ? " cut at 1 MiB" : "");
	}
	return buf;
}
