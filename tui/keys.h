/* keys: every key binding in one table, which also writes the Help screen.
 * Screens ask keys_action(scope, key) instead of testing key codes. */
#ifndef OKAYA_TUI_KEYS_H
#define OKAYA_TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

enum action {
	ACT_NONE,
	ACT_SEND, ACT_HELP, ACT_RECENTS, ACT_SETTINGS, ACT_QUIT, ACT_ESC,
	ACT_NEXT, ACT_PREV, ACT_BODY, ACT_ENTER,
	ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_LEFT, ACT_RIGHT,
	ACT_TOGGLE, ACT_ALL, ACT_CLEAR, ACT_FLAG1, /* ACT_FLAG1 + i for flag i */
	ACT_FORGET = ACT_FLAG1 + 8, ACT_FILTER, ACT_LABEL,
	ACT_GROUPS, ACT_HISTORY, ACT_YES, ACT_NO,
};

/* Where a binding applies. Text fields see only SC_ANY bindings: there,
 * letters and digits are text. */
enum scope {
	SC_ANY,        /* everywhere, text fields included */
	SC_NOTEXT,     /* main form, focus not in a text field */
	SC_FLAGS,      /* the flag list */
	SC_LIST,       /* lists and pagers (recents, help, body) */
	SC_RECENTS,    /* the recent-targets list */
	SC_PICK,       /* Groups (F6) and History (F4) lists */
	SC_CONFIRM,    /* a yes/no prompt */
	SC_COUNT
};

struct binding {
	bool fkey;             /* code is a KEY_* from get_wch's KEY_CODE_YES */
	int code;
	enum scope scope;
	enum action act;
	const char *keyname;   /* for Help; NULL hides a duplicate */
	const char *help;
};

extern const struct binding key_table[];
extern const size_t key_table_len;

/* The action bound to the key in this scope (SC_ANY bindings included),
 * or ACT_NONE. */
enum action keys_action(enum scope scope, bool fkey, wint_t ch);

/* The Help screen's text, one line per element; malloc'd array of malloc'd
 * strings, count in *n. Free with keys_help_free. */
char **keys_help_lines(const char *config_path, size_t *n);
void keys_help_free(char **lines, size_t n);

#endif
