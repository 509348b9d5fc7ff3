/* help: --help and `help COMMAND`. Keep in step with the README. */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include "flags.h"

static void print_flags(void)
{
	puts("FLAGS (a comma-separated list, case-insensitive; or none, or all):");
	for (size_t i = 0; i < FLAG_COUNT; i++)
		printf("  %-18s %s\n", flag_table[i].wire, flag_table[i].description);
}

static const char usage_text[] =
"usage: okaya-privacy [OPTIONS] [COMMAND ARGS...]\n"
"\n"
"Reads and sets the requested privacy level of Okaya groups and participants.\n"
"Without a command (or with `tui`) it opens the full-screen interface.\n"
"\n"
"COMMANDS\n"
"  set group ID FLAGS          request FLAGS for a group\n"
"  set participant ID FLAGS    request FLAGS for a participant (external ID)\n"
"  batch FILE|-                one change a line: \"group ID FLAGS\" or\n"
"                              \"participant ID FLAGS\"; all lines are checked first\n"
"  recent                      the recent targets, most recent first\n"
"  groups                      the enterprise's groups: ID, consent, requested level\n"
"  get group ID                a group's current requested level (GET /groups)\n"
"  get participant ID          a participant's groups, join dates, privacyLevel\n"
"  notify group|participant ID send the privacyRequest email (review settings)\n"
"  history [--target ID] [--kind K] [--limit N]\n"
"                              the local audit log, newest first\n"
"  tui [--group ID | --participant ID]   the full-screen interface\n"
"  help [COMMAND]              this text, or more about one command\n"
"\n";

static const char options_text[] =
"\n"
"OPTIONS\n"
"  --json              one JSON object per result (or row) on stdout; usage\n"
"                      and validation errors stay plain text on stderr (exit 2);\n"
"                      not with --curl (exit 2). Every result object, success or\n"
"                      not, has kind, target (null for groups), outcome (ok,\n"
"                      refused, failed, unconfirmed, unauthorised, cancelled),\n"
"                      status (null: no answer), message, error, elapsed_ms and\n"
"                      tries, plus the command's own fields\n"
"  --dry-run           check and print the requests; send nothing\n"
"  --target ID, --kind group|participant, --limit N\n"
"                      filter `history` (they go with no other command)\n"
"  --curl              print an equivalent curl command (the key is read from\n"
"                      $OKAYA_API_KEY, never printed); send nothing\n"
"  --config PATH       the config file (default: $OKAYA_CONFIG, else\n"
"                      $XDG_CONFIG_HOME/okaya-privacy/config.cfg)\n"
"  --base-url URL      the API (default https://api.okaya.me)\n"
"  --api-key-file PATH read the key from a file (keep it chmod 600)\n"
"  --timeout S         give up on a request after S seconds (default 30)\n"
"  -j, --jobs N        requests in flight in a batch, 1..64 (default 4)\n"
"  --max-wait S        longest Retry-After to wait for (default 60)\n"
"  -q, --quiet         print only what went wrong\n"
"  -h, --help, --version\n"
"No option takes the key itself: it would land in shell history and ps.\n"
"The key comes from --api-key-file, else $OKAYA_API_KEY, else the config file.\n"
"\n"
"EXIT STATUS\n"
"  0  success\n"
"  1  the API refused (the server's error is printed); in a batch: any line\n"
"     was refused or failed\n"
"  2  bad usage or invalid input: nothing was sent\n"
"  3  no answer: connection, DNS, TLS, timeout or a 5xx server error\n"
"  4  not authorised: 401, or no key configured\n"
"  5  the output could not be written (disk full, closed pipe); the command\n"
"     itself was done (a failure keeps its own code)\n"
"  130 interrupted by Ctrl-C: the output says what was and was not sent\n";

void cli_help(void)
{
	fputs(usage_text, stdout);
	print_flags();
	fputs(options_text, stdout);
}

struct command_help {
	const char *name;
	const char *text;
};

static const struct command_help commands[] = {
	{ "set",
	  "usage: okaya-privacy set group|participant ID FLAGS\n"
	  "\n"
	  "Sends one change: POST /configure/{groups|participants}/ID/privacy.\n"
	  "Group IDs are digits (e.g. 1710748366424); participant IDs are the external\n"
	  "IDs Okaya sent you (usually ok_...). FLAGS may be written \"mhci, transcript\".\n"
	  "It is a request: participants are asked to review, never overridden.\n"
	  "Examples:\n"
	  "  okaya-privacy set group 1710748366424 mhci,transcript\n"
	  "  okaya-privacy set participant ok_participant1 none\n"
	  "  okaya-privacy --curl set group 123456 all\n"
	  "On success the target joins the recent list. Exit: 0, 1 refused, 2 invalid,\n"
	  "3 no answer, 4 not authorised.\n" },
	{ "batch",
	  "usage: okaya-privacy [--jobs N] batch FILE|-\n"
	  "\n"
	  "One change a line, \"group ID FLAGS\" or \"participant ID FLAGS\" (FLAGS is the\n"
	  "rest of the line; write none to clear). Blank lines and # comments are fine.\n"
	  "Every line is checked first: if any is invalid, each is reported with its\n"
	  "line number and nothing is sent (exit 2).\n"
	  "Then N requests (default 4) are in flight over reused connections; lines for\n"
	  "the same target go one after another, in file order. A 429 waits for\n"
	  "Retry-After (at most --max-wait seconds), holds back new requests, halves the\n"
	  "requests in flight (one more back per success) and spaces them out; 5xx\n"
	  "answers and network failures are retried after 0.5 s and 1 s; three tries at\n"
	  "most. 400 is never retried. A 401 stops the batch: the rest is \"not sent\".\n"
	  "Ctrl-C once: no new requests, those in flight finish; twice: they are\n"
	  "cancelled. Every line's outcome is printed (successes on stdout, the rest on\n"
	  "stderr; all on stdout with --json), then a summary on stderr.\n"
	  "Exit: 0 all succeeded, 1 any refused or failed, 2 invalid input,\n"
	  "4 not authorised, 130 interrupted.\n" },
	{ "recent",
	  "usage: okaya-privacy recent\n"
	  "\n"
	  "The targets changed from this machine, most recent first, with the last level\n"
	  "sent from here (the API cannot read a participant's requested level back).\n" },
	{ "groups",
	  "usage: okaya-privacy [--json] groups\n"
	  "\n"
	  "GET /groups: every group of this key's enterprise with its ID, whether consent\n"
	  "is required, and its current requested level as the server has it. Group keys\n"
	  "(gk_...) are secrets and never shown, not even with --json. --json: one object\n"
	  "per group (kind, target, name, flags, consentRequired).\n"
	  "Exit: 0, 3 no answer, 4 not authorised.\n" },
	{ "get",
	  "usage: okaya-privacy [--json] get group|participant ID\n"
	  "\n"
	  "get group ID: name, consentRequired and the current requested level, read from\n"
	  "GET /groups (the API has no single-group read). A group that list does not\n"
	  "hold exits 1 with \"Group not found\": it is another enterprise's, or none.\n"
	  "get participant ID: GET /participants/ID, one row per group: group ID, join\n"
	  "date, privacyLevel exactly as the API gives it, the flags that number implies\n"
	  "(inferred: its meaning is not documented), and the group's name from\n"
	  "GET /groups. A participant's requested level cannot be read through the API;\n"
	  "the last level sent from this machine is shown instead, labelled so.\n"
	  "Reads are retried like set (5xx, 429, network). --dry-run/--curl print them.\n"
	  "Exit: 0, 1 refused (e.g. Participant not found), 2 invalid ID, 3 no answer,\n"
	  "4 not authorised.\n" },
	{ "notify",
	  "usage: okaya-privacy notify group|participant ID\n"
	  "\n"
	  "POST /interact/{groups|participants}/ID/email with emailType privacyRequest:\n"
	  "asks the participants (those whose email preference allows it) to review their\n"
	  "privacy settings. No prompt: the command itself is the decision. Never retried\n"
	  "(a retry could send the email twice). --dry-run and --curl print the request\n"
	  "instead. Every answer is recorded in the history as \"notify\".\n"
	  "Exit: 0, 1 refused (the server's error is printed), 2 invalid ID, 3 no answer,\n"
	  "4 not authorised.\n" },
	{ "history",
	  "usage: okaya-privacy history [--target ID] [--kind group|participant]\n"
	  "                             [--limit N] [--json]\n"
	  "\n"
	  "The local audit log of every set and notify request that reached the server,\n"
	  "newest first: time (UTC), action, kind, ID, the level sent (with the one before\n"
	  "when it was known, marked [here] when it is the last level sent from this\n"
	  "machine, [server] when read from the server) or the email type, HTTP status\n"
	  "and the answer (\"unknown: may have been applied\" when it never came).\n"
	  "Never the key. --target keeps one ID, --kind one kind, --limit the newest N.\n"
	  "--json: one object per line, in the file's own shape.\n"
	  "File: $OKAYA_HISTORY, else $XDG_STATE_HOME/okaya-privacy/history.jsonl, else\n"
	  "~/.local/state/okaya-privacy/history.jsonl (mode 0600). Lines that cannot be\n"
	  "read are skipped with a warning on stderr; that is never fatal.\n"
	  "Exit: 0, 2 bad usage (--dry-run and --curl do not apply), 3 the history\n"
	  "file cannot be read (a directory, no permission).\n" },
	{ "tui",
	  "usage: okaya-privacy [tui] [--group ID | --participant ID] [--config PATH]\n"
	  "\n"
	  "The full-screen interface; --group/--participant open the form on a target.\n" },
	{ "help", "usage: okaya-privacy help [COMMAND]\n" },
};

int cli_help_command(const char *command)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(commands[i].name, command) == 0) {
			fputs(commands[i].text, stdout);
			if (strcmp(command, "set") == 0 || strcmp(command, "batch") == 0) {
				putchar('\n');
				print_flags();
			}
			return 0;
		}
	}
	return -1;
}
