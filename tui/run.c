/* run: the one event loop. poll() watches the terminal and curl's sockets;
 * it blocks while idle, and wakes every 100 ms only while a request is in
 * flight, for the spinner and the elapsed time. */
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "app.h"
#include "term.h"
#include "tui.h"

#define MAX_FDS 32
#define TICK_MS 100

static void loop(struct app *a, WINDOW *input)
{
	const char *eaf = getenv("OKAYA_EXIT_AFTER_FIRST_FRAME");
	bool exit_after_first = eaf && *eaf && strcmp(eaf, "0") != 0;
	bool dirty = true;

	while (!a->quit) {
		int sig = term_take_quit();
		if (sig) {
			a->exit_code = 128 + sig;
			break;
		}
		if (term_take_resize()) {
			term_apply_size();
			app_layout(a);
			dirty = true;
		}
		if (dirty) {
			app_redraw(a);
			dirty = false;
			if (exit_after_first)
				break;
		}

		struct pollfd fds[MAX_FDS + 1];
		fds[0].fd = STDIN_FILENO;
		fds[0].events = POLLIN;
		fds[0].revents = 0;
		int timeout = -1;
		int n = a->eng ? engine_pollfds(a->eng, fds + 1, MAX_FDS, &timeout) : 0;
		bool busy = a->req_id > 0 || a->fetch_id > 0;
		if (busy && (timeout < 0 || timeout > TICK_MS))
			timeout = TICK_MS;
		int rc = poll(fds, (nfds_t)n + 1, timeout);
		if (rc < 0) {
			if (errno == EINTR)
				continue;   /* a signal: its flag is read at the top */
			a->exit_code = 1;
			break;
		}
		if (a->eng && (n > 0 || engine_pending(a->eng) > 0)) {
			engine_dispatch(a->eng, fds + 1, rc > 0 ? n : 0);
			struct result *r;
			void *tag;
			while ((r = engine_take_done(a->eng, &tag))) {
				app_take(a, r, tag);
				dirty = true;
			}
		}
		if (busy) {
			a->spin++;
			dirty = true;
		}
		if (fds[0].revents & POLLIN) {
			wint_t ch;
			int kind;
			while (!a->quit && (kind = wget_wch(input, &ch)) != ERR) {
				app_key(a, kind == KEY_CODE_YES, ch);
				dirty = true;
			}
		} else if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			a->exit_code = 1;   /* the terminal went away */
			break;
		}
	}
}

int okaya_tui_run(const struct tui_opts *opts)
{
	char err[512];
	setlocale(LC_ALL, "");

	struct app a;
	memset(&a, 0, sizeof a);
	a.cfg = config_load(opts->config_path, err, sizeof err);
	a.key_file = opts->key_file;
	if (!a.cfg) {
		fprintf(stderr, "okaya-privacy: %s\n", err);
		return 2;
	}
	a.kind = TARGET_GROUP;
	a.focus = FOCUS_ID;
	char warn[300];
	if (config_permission_warning(a.cfg, warn, sizeof warn) == 1) {
		snprintf(a.note, sizeof a.note, "Warning: %s", warn);
		a.note_error = true;
	}

	WINDOW *input = term_start(&a.colour, err, sizeof err);
	if (!input) {
		fprintf(stderr, "okaya-privacy: %s\n", err);
		engine_free(a.eng);
		config_free(a.cfg);
		return 2;   /* the terminal cannot do it: like a usage error */
	}
	app_layout(&a);
	if (opts->has_target) {
		mainscr_load(&a, opts->kind, opts->id, true);
		a.focus = a.note_error ? FOCUS_ID : FOCUS_FLAGS;
		app_layout(&a);   /* the field's focus look follows a.focus */
	}

	loop(&a, input);

	app_teardown(&a);
	term_stop();
	app_drain(&a);   /* cancelled reads hand back their tags */
	engine_free(a.eng);
	group_list_free(a.groups, a.n_groups);
	info_free(&a);
	result_free(a.last);
	response_lines_free(a.last_lines, a.n_last_lines);
	config_free(a.cfg);
	return a.exit_code;
}
