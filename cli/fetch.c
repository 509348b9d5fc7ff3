/* fetch: single requests run to completion, with set's retry rules for reads. */
#include "fetch.h"

#include <errno.h>
#include <json-c/json.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "history.h"
#include "safe_text.h"
#include <time.h>
#include <wchar.h>
#include "interrupt.h"
#include "run.h"

static struct fetch_last last;

const struct fetch_last *fetch_last(void)
{
	return &last;
}

struct json_object *fetch_result_json(const struct target *t, const char *outcome, long status,
				      const char *message, const char *error)
{
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "kind", t ? json_object_new_string(target_kind_name(t->kind))
					      : NULL);
	json_object_object_add(obj, "target", t ? json_object_new_string(t->id) : NULL);
	json_object_object_add(obj, "outcome", json_object_new_string(outcome));
	json_object_object_add(obj, "status", status ? json_object_new_int64(status) : NULL);
	json_object_object_add(obj, "message", message ? json_object_new_string(message) : NULL);
	json_object_object_add(obj, "error", error ? json_object_new_string(error) : NULL);
	char ms[32];
	snprintf(ms, sizeof ms, "%.1f", last.elapsed_ms);
	json_object_object_add(obj, "elapsed_ms", json_object_new_double_s(last.elapsed_ms, ms));
	json_object_object_add(obj, "tries", json_object_new_int(last.tries));
	return obj;
}

/* Sleeps ms, or less when Ctrl-C comes. */
static void sleep_ms(double ms)
{
	long whole = (long)ms;
	struct timespec ts = { .tv_sec = whole / 1000, .tv_nsec = (whole % 1000) * 1000000L };
	while (!interrupt_count() && nanosleep(&ts, &ts) != 0)
		;
}

/* Runs e until request id is done; Ctrl-C cancels it (its result then says
 * FAIL_CANCELLED). */
static struct result *wait_one(struct engine *e, long id)
{
	struct pollfd fds[64];
	for (;;) {
		if (interrupt_count())
			engine_cancel(e, id);
		struct result *r = engine_take_done(e, NULL);
		if (r)
			return r;
		if (engine_pending(e) == 0)
			return NULL;
		int timeout = -1;
		int n = engine_pollfds(e, fds, 64, &timeout);
		if (n == 0 && (timeout < 0 || timeout > 100))
			timeout = 100;
		if (poll(fds, (nfds_t)n, timeout) < 0 && errno != EINTR)
			return NULL;
		engine_dispatch(e, fds, n);
	}
}

/* How long to wait before trying r's request again; -1: do not. */
static double retry_wait_ms(const struct result *r, int tries)
{
	double backoff = tries > 1 ? 1000.0 : 500.0;
	switch (r->fail) {
	case FAIL_RESOLVE: case FAIL_CONNECT: case FAIL_TIMEOUT: case FAIL_OTHER:
		return backoff;
	case FAIL_NONE:
		break;
	default:
		return -1;
	}
	if (r->status == 429 || r->status >= 500)
		return r->retry_after_s >= 0 ? (double)r->retry_after_s * 1000.0 : backoff;
	return -1;
}

struct result *fetch_run(struct engine *e, const struct cli_opts *o, fetch_start_fn start,
			 const void *arg, bool retry, char *err, size_t errlen)
{
	struct interrupt_saved saved;
	interrupt_catch(&saved);
	struct result *r = NULL;
	memset(&last, 0, sizeof last);
	for (int tries = 1;; tries++) {
		long id = start(e, arg, err, errlen);
		if (id < 0)
			break;
		r = wait_one(e, id);
		if (!r) {
			snprintf(err, errlen, "out of memory waiting for the answer");
			break;
		}
		last.tries = tries;
		last.elapsed_ms += r->elapsed_ms;
		last.status = r->status;
		if (!retry || tries >= RUN_MAX_TRIES || interrupt_count())
			break;
		double wait = retry_wait_ms(r, tries);
		if (wait < 0 || wait > (double)o->retry_cap_s * 1000.0)
			break;
		sleep_ms(wait);
		if (interrupt_count())
			break; /* the last answer stands; nothing more is sent */
		result_free(r);
		r = NULL;
	}
	interrupt_release(&saved);
	return r;
}

int fetch_exit_code(const struct result *r)
{
	/* Cancelled in flight, or Ctrl-C during the wait before a retry. */
	if (r->fail == FAIL_CANCELLED ||
	    (interrupt_count() && !(r->fail == FAIL_NONE && r->status >= 200 && r->status < 300)))
		return EXIT_INTERRUPTED;
	if (r->fail != FAIL_NONE)
		return EXIT_NO_ANSWER;
	if (r->status >= 200 && r->status < 300)
		return EXIT_OK;
	if (r->status == 401)
		return EXIT_UNAUTHORISED;
	if (r->status == 429 || r->status >= 500)
		return EXIT_NO_ANSWER;
	return EXIT_REFUSED;
}

const char *fetch_outcome_name(int exit_code)
{
	switch (exit_code) {
	case EXIT_OK: return "ok";
	case EXIT_REFUSED: return "refused";
	case EXIT_UNAUTHORISED: return "unauthorised";
	case EXIT_INTERRUPTED: return "cancelled";
	default: return "failed";
	}
}

void fetch_print_json(struct json_object *obj)
{
	puts(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
}

/* A POST written and never answered: it may have been applied. */
static bool post_lost(const struct result *r)
{
	return r->sent && r->method && strcmp(r->method, "POST") == 0 &&
	       r->fail != FAIL_NONE && r->fail != FAIL_REDIRECT && r->fail != FAIL_CANCELLED;
}

void fetch_report_failure(const struct cli_opts *o, const char *what, const struct target *t,
			  const struct result *r)
{
	char sum[512];
	const char *outcome = fetch_outcome_name(fetch_exit_code(r));
	if (r->fail == FAIL_CANCELLED) {
		/* Only a sent POST can have done something. */
		bool post = r->method && strcmp(r->method, "POST") == 0;
		bool email = r->path && strstr(r->path, "/email");
		snprintf(sum, sizeof sum, "cancelled by Ctrl-C%s",
			 !r->sent ? " before it was sent" : !post ? ""
			 : email ? ": the email may or may not have been sent"
			 : ": it may or may not have been applied");
	} else if (fetch_exit_code(r) == EXIT_INTERRUPTED) {
		char last_sum[256];
		snprintf(sum, sizeof sum, "stopped by Ctrl-C while waiting to try again; "
			 "the last answer was %s", result_summary(r, last_sum, sizeof last_sum));
	}
	if (!o->json && fetch_exit_code(r) == EXIT_INTERRUPTED) {
		cli_say(stderr, "%s: %s: %s\n", outcome, what, sum);
		return;
	}
	if (!o->json) {
		cli_say(stderr, "%s: %s: %s\n", outcome, what, post_lost(r)
			? history_outcome_text(r, sum, sizeof sum) : result_summary(r, sum, sizeof sum));
		return;
	}
	const char *error = fetch_exit_code(r) == EXIT_INTERRUPTED ? sum
			    : post_lost(r) ? history_outcome_text(r, sum, sizeof sum)
			    : r->fail != FAIL_NONE && r->fail_text ? r->fail_text
			    : r->error ? r->error : result_summary(r, sum, sizeof sum);
	fetch_print_json(fetch_result_json(t, outcome, r->status, r->message, error));
}

void fetch_put_text(FILE *out, const char *s)
{
	fetch_put_padded(out, s, 0);
}

/* Display columns of the first n bytes of valid UTF-8 text, or of all of
 * it (n = (size_t)-1); *fit is set to the bytes that fit in `room` columns. */
static int text_width(const char *s, int room, size_t *fit)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int cols = 0;
	size_t i = 0, len = strlen(s);
	*fit = 0;
	while (i < len) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + i, len - i, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			n = 1;
			wc = L'?';
			memset(&st, 0, sizeof st);
		}
		int w = wcwidth(wc);
		if (w < 0)
			w = 1;
		cols += w;
		i += n;
		if (cols <= room)
			*fit = i;
	}
	return cols;
}

void fetch_put_padded(FILE *out, const char *s, int width)
{
	/* Each input byte becomes at most 3 (U+FFFD): room for all of s. */
	size_t len = s ? 3 * strlen(s) + 1 : 1;
	char small[1024], *buf = len <= sizeof small ? small : malloc(len);
	if (!buf)
		return;
	safe_text(s, buf, len);
	if (width <= 0) {
		fputs(buf, out);
	} else {
		/* Columns, not bytes: safe_text gives UTF-8 whatever the
		 * user's locale, so measure it as UTF-8. */
		locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
		locale_t old = utf8 ? uselocale(utf8) : (locale_t)0;
		size_t fit;
		int cols = text_width(buf, width - 1, &fit);
		if (cols > width) {
			/* Too wide: cut it and say so, never push the columns. */
			buf[fit] = '\0';
			cols = text_width(buf, width, &fit) + 1;
			fputs(buf, out);
			fputs("\u2026", out);
		} else {
			fputs(buf, out);
		}
		for (; cols < width; cols++)
			fputc(' ', out);
		if (old)
			uselocale(old);
		if (utf8)
			freelocale(utf8);
	}
	if (buf != small)
		free(buf);
}

int fetch_open(struct session *s, struct engine **e, const struct cli_opts *o)
{
	int rc = session_open(s, o, true);
	if (rc != 0)
		return rc;
	*e = session_engine(s, o);
	if (!*e) {
		session_close(s);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
