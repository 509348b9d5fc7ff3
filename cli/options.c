/* options: the global command-line options, parsed with getopt_long. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_JSON = 256, OPT_DRY_RUN, OPT_CURL, OPT_CONFIG, OPT_BASE_URL, OPT_KEY_FILE,
	OPT_TIMEOUT, OPT_RETRY_CAP, OPT_VERSION, OPT_GROUP, OPT_PARTICIPANT, OPT_API_KEY,
	OPT_TARGET, OPT_KIND, OPT_LIMIT,
};

static const struct option long_options[] = {
	{ "json",         no_argument,       NULL, OPT_JSON },
	{ "dry-run",      no_argument,       NULL, OPT_DRY_RUN },
	{ "curl",         no_argument,       NULL, OPT_CURL },
	{ "quiet",        no_argument,       NULL, 'q' },
	{ "config",       required_argument, NULL, OPT_CONFIG },
	{ "base-url",     required_argument, NULL, OPT_BASE_URL },
	{ "api-key-file", required_argument, NULL, OPT_KEY_FILE },
	{ "timeout",      required_argument, NULL, OPT_TIMEOUT },
	{ "jobs",         required_argument, NULL, 'j' },
	{ "max-wait",     required_argument, NULL, OPT_RETRY_CAP },
	{ "group",        required_argument, NULL, OPT_GROUP },
	{ "participant",  required_argument, NULL, OPT_PARTICIPANT },
	{ "target",       required_argument, NULL, OPT_TARGET },
	{ "kind",         required_argument, NULL, OPT_KIND },
	{ "limit",        required_argument, NULL, OPT_LIMIT },
	{ "help",         no_argument,       NULL, 'h' },
	{ "version",      no_argument,       NULL, OPT_VERSION },
	/* Recognised only to refuse it with a reason, and without echoing it. */
	{ "api-key",      optional_argument, NULL, OPT_API_KEY },
	{ "key",          optional_argument, NULL, OPT_API_KEY },
	{ NULL, 0, NULL, 0 },
};

/* A whole number in [min, max], or -1 with a message. */
static int number_arg(const char *name, const char *text, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || end == text || *end != '\0' || v < min || v > max) {
		cli_error("%s wants a whole number from %ld to %ld, not \"%s\"",
			name, min, max, text);
		return -1;
	}
	*out = v;
	return 0;
}

int cli_parse_options(int argc, char **argv, struct cli_opts *o)
{
	memset(o, 0, sizeof *o);
	o->jobs = JOBS_DEFAULT;
	o->retry_cap_s = RETRY_CAP_DEFAULT_S;
	opterr = 0;
	optind = 1;
	long v;
	int c;
	while ((c = getopt_long(argc, argv, ":hqj:", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_JSON: o->json = true; break;
		case OPT_DRY_RUN: o->dry_run = true; break;
		case OPT_CURL: o->curl = true; break;
		case 'q': o->quiet = true; break;
		case 'h': o->help = true; break;
		case OPT_VERSION: o->version = true; break;
		case OPT_CONFIG: o->config_path = optarg; break;
		case OPT_BASE_URL:
			if (!*optarg) {
				/* Not "use the default": an unset variable in a
				 * script must not silently aim at production. */
				cli_error("--base-url is empty: give a "
					"URL such as https://api.okaya.me");
				return EXIT_USAGE;
			}
			o->base_url = optarg;
			break;
		case OPT_KEY_FILE: o->api_key_file = optarg; break;
		case OPT_GROUP: o->tui_group = optarg; break;
		case OPT_PARTICIPANT: o->tui_participant = optarg; break;
		case OPT_TARGET: o->history_target = optarg; break;
		case OPT_KIND: o->history_kind = optarg; break;
		case OPT_LIMIT:
			if (number_arg("--limit", optarg, 1, 1000000, &v) != 0)
				return EXIT_USAGE;
			o->history_limit = v;
			break;
		case OPT_TIMEOUT:
			if (number_arg("--timeout", optarg, 1, 3600, &v) != 0)
				return EXIT_USAGE;
			o->timeout_s = v;
			break;
		case 'j':
			if (number_arg("--jobs", optarg, 1, JOBS_MAX, &v) != 0)
				return EXIT_USAGE;
			o->jobs = (int)v;
			break;
		case OPT_RETRY_CAP:
			if (number_arg("--max-wait", optarg, 0, 3600, &v) != 0)
				return EXIT_USAGE;
			o->retry_cap_s = v;
			break;
		case OPT_API_KEY:
			cli_error("no option takes the API key itself (it would "
				"land in shell history and ps); use --api-key-file PATH, OKAYA_API_KEY "
				"or the config file");
			return EXIT_USAGE;
		case ':':
			cli_error("%s needs a value", argv[optind - 1]);
			return EXIT_USAGE;
		default:
			if (optopt)
				cli_error("unknown option -%c (see --help)", optopt);
			else  /* never echo a value after '=': it might be a key */
				cli_error("unknown option %.*s (see --help)",
					(int)strcspn(argv[optind - 1], "="), argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	o->argc = argc - optind;
	o->argv = argv + optind;
	return 0;
}
