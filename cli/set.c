/* set: `okaya-privacy set group|participant ID FLAGS`, a batch of one. */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Joins words with single spaces so "mhci, transcript" may arrive as two
 * arguments. malloc'd; NULL when out of memory. */
static char *join_words(int argc, char **argv)
{
	size_t len = 1;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

int cmd_set(const struct cli_opts *o, int argc, char **argv)
{
	if (argc < 4) {
		cli_error("usage: set group|participant ID FLAGS "
			"(FLAGS: e.g. mhci,transcript, or none, or all; see: help set)");
		return EXIT_USAGE;
	}
	struct job job;
	struct target target;
	memset(&job, 0, sizeof job);
	char err[512];
	if (cli_parse_target(argv[1], argv[2], &target) != EXIT_OK)
		return EXIT_USAGE;
	char *flags = join_words(argc - 3, argv + 3);
	if (flags && flags[strspn(flags, " \t")] == '\0') {
		/* level_parse reads "" as no flags: an empty argument from a
		 * script's unset variable must not clear the level. */
		cli_error("%s", FLAGS_EMPTY_TEXT);
		free(flags);
		return EXIT_USAGE;
	}
	if (!flags || level_parse(flags, &job.level, err, sizeof err) != 0) {
		cli_error("%s", flags ? err : "out of memory");
		free(flags);
		return EXIT_USAGE;
	}
	free(flags);
	job.kind = target.kind;
	job.id = target.id;
	if (target.kind == TARGET_PARTICIPANT && participant_id_unusual(job.id) && !o->quiet)
		cli_error("note: participant IDs from Okaya usually begin "
			"with ok_; sending \"%s\" as it is", job.id);
	return run_command(o, &job, 1, false);
}
