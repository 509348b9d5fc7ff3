/* tui: the ncurses front end of okaya-privacy.
 *
 * tui_main() is what the command-line dispatcher calls for "no arguments"
 * (or "tui"); okaya_tui_run() is the same with the options already parsed.
 * Both return the process exit code and always leave the terminal as they
 * found it, on signals and fatal errors too. */
#ifndef OKAYA_TUI_H
#define OKAYA_TUI_H

#include <stdbool.h>
#include "target.h"

struct tui_opts {
	const char *config_path;   /* NULL: config_default_path() */
	bool has_target;           /* --group / --participant given */
	enum target_kind kind;
	const char *id;
	bool key_file;             /* the key came from --api-key-file */
};

/* Handles [tui] [--group ID | --participant ID] [--config PATH] [--help]. */
int tui_main(int argc, char **argv);

int okaya_tui_run(const struct tui_opts *opts);

#endif
