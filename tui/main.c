/* main: tui_main parses the few options of the interactive mode. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "secret.h"
#include "tui.h"

static void usage(FILE *to)
{
	fprintf(to,
		"usage: okaya-privacy [tui] [--group ID | --participant ID] [--config PATH]\n"
		"                     [--base-url URL] [--api-key-file PATH]\n"
		"Opens the interactive screen. --group/--participant load a target and\n"
		"put the focus on the flags. --base-url and --api-key-file apply to this\n"
		"run only (like OKAYA_BASE_URL / OKAYA_API_KEY). F1 inside shows every key.\n");
}

/* The key file's first line becomes this run's OKAYA_API_KEY: the config
 * already treats that as "for this run, never written back". */
static int key_from_file(const char *path)
{
	char key[API_KEY_MAX + 1], err[512];
	bool loose;
	if (api_key_read_file(path, key, sizeof key, &loose, err, sizeof err) != 0) {
		fprintf(stderr, "okaya-privacy: %s\n", err);
		return -1;
	}
	if (loose)
		fprintf(stderr, "okaya-privacy: warning: the key file %s is readable by other "
			"users; fix it with: chmod 600 %s\n", path, path);
	int rc = setenv("OKAYA_API_KEY", key, 1);
	explicit_bzero(key, sizeof key);
	return rc;
}

int tui_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "group", required_argument, NULL, 'g' },
		{ "participant", required_argument, NULL, 'p' },
		{ "config", required_argument, NULL, 'c' },
		{ "base-url", required_argument, NULL, 'u' },
		{ "api-key-file", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tui_opts o = { 0 };
	/* The dispatcher may hand over "okaya-privacy tui ...". */
	if (argc > 1 && strcmp(argv[1], "tui") == 0) {
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	optind = 1;
	int c;
	opterr = 0;   /* one message of ours below, not getopt's too */
	while ((c = getopt_long(argc, argv, "g:p:c:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'g':
		case 'p':
			if (o.has_target) {
				fprintf(stderr, "okaya-privacy: give one target only\n");
				return 2;
			}
			o.has_target = true;
			o.kind = c == 'g' ? TARGET_GROUP : TARGET_PARTICIPANT;
			o.id = optarg;
			break;
		case 'c':
			o.config_path = optarg;
			break;
		case 'u':
			setenv("OKAYA_BASE_URL", optarg, 1);
			break;
		case 'k':
			if (key_from_file(optarg) != 0)
				return 2;
			o.key_file = true;   /* shown as such, not as "env" */
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			if (optopt)
				fprintf(stderr, "okaya-privacy: %s needs a value\n",
					argv[optind - 1]);
			else
				fprintf(stderr, "okaya-privacy: %s is not an option of the "
					"interactive mode (commands take it: see okaya-privacy "
					"--help)\n", argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "okaya-privacy: unexpected argument \"%s\"\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	return okaya_tui_run(&o);
}
