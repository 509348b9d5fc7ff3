/* args: the "KIND ID" pair that set, get and notify take on the command line. */
#include "cli.h"
#include "exitcodes.h"

int cli_parse_target(const char *kind_arg, const char *id_arg, struct target *t)
{
	enum target_kind kind;
	if (target_kind_parse(kind_arg, &kind) != 0) {
		cli_error("\"%s\" is not a kind of target: use group or participant", kind_arg);
		return EXIT_USAGE;
	}
	char err[512];
	if (target_set(t, kind, id_arg, err, sizeof err) != 0) {
		cli_error("%s", err);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
