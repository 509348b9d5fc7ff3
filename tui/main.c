/* main: tui_main parses the few options of the interactive mode. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "tui.h"

static void usage(FILE *to)
{
	fprintf(to,
		"usage: okaya-privacy [tui] [--group ID | --participant ID] [--config PATH]\n"
		"Opens the interactive screen. --group/--participant load a target and\n"
		"put the focus on the flags. F1 inside shows every key.\n");
}

int tui_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "group", required_argument, NULL, 'g' },
		{ "participant", required_argument, NULL, 'p' },
		{ "config", required_argument, NULL, 'c' },
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
		case 'h':
			usage(stdout);
			return 0;
		default:
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
