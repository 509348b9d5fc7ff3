/* send: from valid jobs to an exit code, shared by `set` and `batch`. */
#include "run.h"

#include <stdio.h>
#include <unistd.h>

/* A single change: its own outcome decides. A batch: 4 after a 401, 130
 * after Ctrl-C, 1 when anything was refused or failed, else 0. */
static int exit_code(const struct run_stats *st, const struct job *jobs, bool batch)
{
	if (st->unauthorised)
		return EXIT_UNAUTHORISED;
	if (st->interrupted && st->ok < st->total)
		return EXIT_INTERRUPTED;
	if (!batch && st->total == 1) {
		switch (jobs[0].outcome) {
		case JOB_OK: return EXIT_OK;
		case JOB_REFUSED: return EXIT_REFUSED;
		case JOB_FAILED: return EXIT_NO_ANSWER;
		default: return EXIT_INTERRUPTED;
		}
	}
	return st->ok == st->total ? EXIT_OK : EXIT_REFUSED;
}

int run_command(const struct cli_opts *o, struct job *jobs, size_t n, bool batch)
{
	struct session s;
	bool send = !o->dry_run && !o->curl;
	int rc = session_open(&s, o, send);
	if (rc != 0)
		return rc;
	if (!send) {
		for (size_t i = 0; i < n; i++)
			output_request(o, s.base_url, &jobs[i]);
		session_close(&s);
		return EXIT_OK;
	}
	struct engine *e = session_engine(&s, o);
	if (!e) {
		session_close(&s);
		return EXIT_USAGE;
	}
	struct run_stats st;
	bool progress = batch && !o->quiet && isatty(STDERR_FILENO);
	run_jobs(e, &s, o, jobs, n, progress, &st);
	engine_free(e);
	fflush(stdout);
	if (st.ok > 0)
		session_save(&s);
	if (batch || st.interrupted)
		output_summary(o, &st);
	if (st.unauthorised)
		session_explain_401(&s);
	session_close(&s);
	return exit_code(&st, jobs, batch);
}
