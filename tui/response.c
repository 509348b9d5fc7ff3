/* response: the always-visible answer panel and the lines of a raw body.
 * Everything that came from the server is escaped before it is drawn. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "app.h"
#include "secret.h"

const char *response_hint(const struct result *r)
{
	if (!r)
		return NULL;
	switch (r->fail) {
	case FAIL_NONE:
		break;
	case FAIL_RESOLVE:
	case FAIL_CONNECT:
		return "Next: check the base URL in Settings (F3) and the network.";
	case FAIL_TIMEOUT:
		return "Next: try again, or raise the timeout in Settings (F3).";
	case FAIL_TLS:
		return "Next: check the base URL (F3) and this machine's CA certificates.";
	case FAIL_REDIRECT:
		return "Next: the base URL (F3) probably needs https:// or another host.";
	case FAIL_CANCELLED:
		return "Cancelled: the server may or may not have applied it; send again to be sure.";
	case FAIL_OTHER:
		return NULL;
	}
	if (r->status == 401)
		return "Next: check the API key in Settings (F3).";
	if (r->error && strcmp(r->error, "Group doesn't exist in associated groups") == 0)
		return "Next: this key's enterprise does not own that group.";
	if (r->error && strcmp(r->error, "Group not found") == 0)
		return "Next: no group has that ID; check it (F2 lists recent targets).";
	if (r->error && strcmp(r->error, "Participant not found") == 0)
		return "Next: no participant has that external ID in this key's enterprise.";
	if (r->status == 429)
		return "Next: rate limited; wait a moment and send again.";
	if (r->status >= 500)
		return "Next: the server failed; try again later.";
	return NULL;
}

char **response_body_lines(const struct result *r, size_t *n)
{
	*n = 0;
	if (!r)
		return NULL;
	const char *text = r->body;
	size_t len = r->body_len;
	if (r->json) {
		text = json_object_to_json_string_ext(r->json, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						      JSON_C_TO_STRING_NOSLASHESCAPE);
		len = strlen(text);
	}
	size_t cap = 1;
	for (size_t i = 0; i < len; i++)
		cap += text[i] == '\n';
	char **lines = calloc(cap + 1, sizeof *lines);
	if (!lines)
		return NULL;
	size_t start = 0;
	for (size_t i = 0; i <= len && *n < cap; i++) {
		if (i < len && text[i] != '\n')
			continue;
		size_t l = i - start;
		size_t outlen = l * 6 + 1;
		lines[*n] = malloc(outlen);
		if (!lines[*n])
			break;
		text_escape(text + start, l, lines[*n], outlen);
		(*n)++;
		start = i + 1;
	}
	/* A trailing newline makes no extra empty line. */
	if (*n > 1 && lines[*n - 1][0] == '\0' && len && text[len - 1] == '\n')
		free(lines[--(*n)]);
	if (r->body_truncated && *n < cap + 1)
		lines[(*n)++] = strdup("[body cut at 1 MiB]");
	return lines;
}

void response_lines_free(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

void response_draw(struct app *a, WINDOW *w, int top, int height)
{
	int width = a->cols - 4;
	int y = top, end = top + height;
	const struct result *r = a->last;

	if (a->panel_info) {
		info_draw(a, w, top, height);
		return;
	}
	if (!r) {
		if (y < end)
			draw_text(w, y++, 2, "Nothing sent yet. Fill in the form and press F5.", width);
		return;
	}

	char line[1024];
	bool ok = r->fail == FAIL_NONE && r->status >= 200 && r->status < 300;
	/* A 2xx without the API's success body proves nothing: said in words. */
	bool unconfirmed = ok && !result_confirmed(r);
	attr_t at = app_attr(a, ok && !unconfirmed ? PAIR_OK : PAIR_ERR);
	wattron(w, at);
	int used = draw_text(w, y, 2, unconfirmed ? "UNCONFIRMED" : ok ? "OK" : "FAILED", width);
	wattroff(w, at);
	result_summary(r, line, sizeof line);
	draw_untrusted(w, y++, 2 + used + 2, line, width - used - 2);

	if (y < end) {
		char lv[128];
		if (a->last_notify)
			snprintf(lv, sizeof lv, "email privacyRequest");
		else
			level_format(a->last_level, lv, sizeof lv);
		snprintf(line, sizeof line, "%s %s  %.0f ms  %s %s <- %s", r->method ? r->method : "?",
			 r->path ? r->path : "?", r->elapsed_ms, target_kind_name(a->last_target.kind),
			 a->last_target.id, lv);
		draw_untrusted(w, y++, 2, line, width);
	}
	const char *hint = response_hint(r);

	if (hint && y < end) {
		wattron(w, A_BOLD);
		y += draw_wrap(w, y, 2, hint, width, end - y < 2 ? end - y : 2);
		wattroff(w, A_BOLD);
	}
	if (r->status == 401 && r->fail == FAIL_NONE && y < end) {
		/* Which key was refused (masked) and where it came from, as the CLI says. */
		char masked[32], which[160];
		api_key_mask(a->cfg->api_key, masked, sizeof masked);
		snprintf(which, sizeof which, "The key %s from %s was refused.",
			 a->cfg->api_key[0] ? masked : "(none)",
			 a->cfg->key_from != KEY_ENV ? "the config file"
			 : a->key_file ? "--api-key-file" : "OKAYA_API_KEY");
		y += draw_wrap(w, y, 2, which, width, end - y < 2 ? end - y : 2);
	}
	if (a->after_note[0] && y < end) {
		attr_t an = a->after_error ? app_attr(a, PAIR_ERR) : A_NORMAL;
		wattron(w, an);
		/* Wrapped: a save error's reason is the useful part, at its end. */
		y += draw_wrap(w, y, 2, a->after_note, width, end - y < 3 ? end - y : 3);
		wattroff(w, an);
	}
	if (y >= end)
		return;

	/* The body, pretty-printed, in what room is left. */
	size_t n = a->n_last_lines;
	char **lines = a->last_lines;
	if (!lines)
		return;
	if (n == 0 || (n == 1 && !lines[0][0])) {
		draw_text(w, y++, 2, "(empty body)", width);
	} else {
		for (size_t i = 0; i < n && y < end; i++) {
			if (y == end - 1 && i + 1 < n) {
				snprintf(line, sizeof line, "... %zu more lines: F7 shows the whole body",
					 n - i);
				wattron(w, A_DIM);
				draw_text(w, y++, 4, line, width - 2);
				wattroff(w, A_DIM);
				break;
			}
			draw_text(w, y++, 4, lines[i], width - 2);
		}
	}
}
