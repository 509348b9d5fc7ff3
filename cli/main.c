/* main: okaya-privacy's entry point. No command (or `tui`) opens the TUI;
 * a command acts and exits with a documented status (exitcodes.h). */
#include "cli.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The TUI lands from its own branch; until tui/tui.h exists the dispatcher
 * says so instead of failing to build. */
#include "tui.h"

struct command {
	const char *name;
	int (*run)(const struct cli_opts *o, int argc, char **argv);
};

static const struct command commands[] = {
	{ "set", cmd_set },
	{ "batch", cmd_batch },
	{ "recent", cmd_recent },
	{ "groups", cmd_groups },
	{ "get", cmd_get },
	{ "notify", cmd_notify },
	{ "history", cmd_history },
};

/* argv as given (getopt_long reorders the original), minus a "tui" word. */
static int open_tui(int argc, char **orig)
{
	char **argv = calloc((size_t)argc + 1, sizeof *argv);
	if (!argv)
		return EXIT_USAGE;
	int n = 0;
	bool dropped = false;
	for (int i = 0; i < argc; i++) {
		if (i > 0 && !dropped && strcmp(orig[i], "tui") == 0) {
			dropped = true;
			continue;
		}
		argv[n++] = orig[i];
	}
	int rc = tui_main(n, argv);
	free(argv);
	return rc;
}

static int help(const struct cli_opts *o)
{
	/* "help", "help COMMAND", or "COMMAND --help". */
	const char *topic = NULL;
	if (o->argc > 0)
		topic = strcmp(o->argv[0], "help") == 0 ? (o->argc > 1 ? o->argv[1] : NULL)
							: o->argv[0];
	if (!topic) {
		cli_help();
		return EXIT_OK;
	}
	if (cli_help_command(topic) != 0) {
		cli_error("no command \"%s\"; the commands are set, batch, "
			"recent, groups, get, notify, history, tui, help", topic);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* Output that never arrived must not look like success: a script reading
 * `groups > file` on a full disk would take an empty file for no groups. */
static int finish_output(int rc)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	perror("okaya-privacy: could not write the output");
	return rc == EXIT_OK ? EXIT_OUTPUT : rc;
}

int main(int argc, char **argv)
{
	char **orig = malloc(((size_t)argc + 1) * sizeof *orig);
	if (!orig)
		return EXIT_USAGE;
	memcpy(orig, argv, ((size_t)argc + 1) * sizeof *orig);

	/* A file size limit must fail the write (EFBIG), not kill us mid-save
	 * and leave a temporary config holding the key behind. */
	signal(SIGXFSZ, SIG_IGN);

	struct cli_opts o;
	int rc = cli_parse_options(argc, argv, &o);
	if (rc != 0)
		goto out;
	if (o.version) {
		printf("okaya-privacy %s\n", OKAYA_VERSION);
		goto out;
	}
	if (o.help || (o.argc > 0 && strcmp(o.argv[0], "help") == 0)) {
		rc = help(&o);
		goto out;
	}
	if (o.argc == 0 || strcmp(o.argv[0], "tui") == 0) {
		rc = open_tui(argc, orig);
		goto out;
	}
	if (o.json && o.curl) {
		/* A curl command is shell text: there is no JSON form worth having. */
		cli_error("--json and --curl do not go together: --curl prints shell "
			  "commands; use --json --dry-run for the requests as JSON");
		rc = EXIT_USAGE;
		goto out;
	}
	if (o.tui_group || o.tui_participant) {
		cli_error("--group and --participant open the TUI; "
			"they do not go with the command \"%s\"", o.argv[0]);
		rc = EXIT_USAGE;
		goto out;
	}
	if ((o.history_target || o.history_kind || o.history_limit) &&
	    strcmp(o.argv[0], "history") != 0) {
		cli_error("--target, --kind and --limit go with history, "
			"not with \"%s\"", o.argv[0]);
		rc = EXIT_USAGE;
		goto out;
	}
	rc = -1;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(o.argv[0], commands[i].name) == 0)
			rc = commands[i].run(&o, o.argc, o.argv);
	if (rc < 0) {
		cli_error("unknown command \"%s\" (see --help)", o.argv[0]);
		rc = EXIT_USAGE;
	}
out:
	free(orig);
	return finish_output(rc);
}
