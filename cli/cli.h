/* cli: the command-line front end's shared pieces: options, the session
 * (config + key + engine) and the commands. */
#ifndef OKAYA_CLI_H
#define OKAYA_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include "config.h"
#include "engine.h"
#include "exitcodes.h"

#define JOBS_DEFAULT 4
#define JOBS_MAX     64
#define RETRY_CAP_DEFAULT_S 60

/* Global options, as given on the command line. Strings point into argv. */
struct cli_opts {
	bool json, dry_run, curl, quiet, help, version;
	const char *config_path;
	const char *base_url;
	const char *api_key_file;
	long timeout_s;          /* 0: from the config */
	int jobs;
	long retry_cap_s;        /* longest Retry-After we wait for */
	const char *tui_group;   /* TUI options: only valid without a command */
	const char *tui_participant;
	const char *history_target; /* history only: --target ID, --kind K, --limit N */
	const char *history_kind;
	long history_limit;      /* 0: all */
	int argc;                /* what is left: the command and its words */
	char **argv;
};

/* say.c: formatted text whose every line goes through safe_text (controls,
 * C1, bidi overrides and invalid UTF-8 replaced), for anything that quotes
 * argv, the config file or the server. cli_error prefixes "okaya-privacy: "
 * and ends the line, on stderr. */
void cli_say(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reads a "group|participant ID" pair into t. EXIT_OK, or EXIT_USAGE after
 * saying what is wrong on stderr. */
int cli_parse_target(const char *kind_arg, const char *id_arg, struct target *t);

/* Parses argv with getopt_long (options may follow the command; "--" ends
 * them). Returns 0, or EXIT_USAGE after printing why on stderr. */
int cli_parse_options(int argc, char **argv, struct cli_opts *o);

/* Help texts on stdout: the whole tool, or one command (-1: unknown). */
void cli_help(void);
int cli_help_command(const char *command);

/* A loaded config with the effective key and base URL. */
struct session {
	struct config *config;
	const char *base_url;    /* --base-url, else the config's */
	char api_key[512 + 1];   /* --api-key-file, else the config's; "" = none */
	char *history_path;      /* the audit log, or NULL when none can be found */
	char key_source[600];    /* where the key came from, in words */
	bool history_warned;
};

/* Loads the config (--config or the default path) and applies --base-url and
 * --api-key-file. need_key: fail with EXIT_UNAUTHORISED and say where to put
 * a key when none is set. Returns 0 or an exit code (message printed). */
int session_open(struct session *s, const struct cli_opts *o, bool need_key);
void session_close(struct session *s);

/* After a 401: says which key was refused (masked) and where it came from,
 * so the right place gets fixed. */
void session_explain_401(const struct session *s);

/* A new engine for the session, with --timeout and --jobs; NULL with a
 * message printed. */
struct engine *session_engine(const struct session *s, const struct cli_opts *o);

/* Appends one request that reached the server to the audit history; a
 * failure is warned about once, never fatal. */
void session_record(struct session *s, const struct target *t, level_t level,
		    const struct result *r);

/* Saves recent targets; a failure is a warning on stderr, never an exit
 * code (the server already has the change). */
void session_save(struct session *s);

/* Commands: each returns the process exit code. argv[0] is the command. */
int cmd_set(const struct cli_opts *o, int argc, char **argv);
int cmd_batch(const struct cli_opts *o, int argc, char **argv);
int cmd_recent(const struct cli_opts *o, int argc, char **argv);
int cmd_groups(const struct cli_opts *o, int argc, char **argv);
int cmd_get(const struct cli_opts *o, int argc, char **argv);
int cmd_notify(const struct cli_opts *o, int argc, char **argv);
int cmd_history(const struct cli_opts *o, int argc, char **argv);

#endif
