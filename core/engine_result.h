/* engine_result: turning a received body into the fields of a result.
 * Private to core/engine*.c; front ends use engine.h. */
#ifndef OKAYA_ENGINE_RESULT_H
#define OKAYA_ENGINE_RESULT_H

#include "engine.h"

/* Fills r->json, r->message and r->error from r->body and r->content_type.
 * A body that is not JSON (HTML, text, empty, cut) leaves them NULL. */
void result_parse_body(struct result *r);

/* A malloc'd copy of at most max bytes of s made valid UTF-8 (invalid bytes
 * as U+FFFD) with C0, DEL and C1 controls as '?' (utf8_clean_dup), so text
 * from the server is fit for JSON and the history. NULL on ENOMEM. */
char *text_clean_dup(const char *s, size_t max);

#endif
