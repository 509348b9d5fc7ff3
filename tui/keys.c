/* keys: the binding table and the Help text it produces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include "keys.h"
#include "flags.h"
#include "history.h"

#define CTRL(c) ((c) & 0x1f)

const struct binding key_table[] = {
	{ true,  KEY_F(5),  SC_ANY,     ACT_SEND,     "F5 ^P",     "send (review first when review is on)" },
	{ false, CTRL('p'), SC_ANY,     ACT_SEND,     NULL,        NULL },
	{ true,  KEY_F(1),  SC_ANY,     ACT_HELP,     "F1 ^G",     "help (this screen)" },
	{ false, CTRL('g'), SC_ANY,     ACT_HELP,     NULL,        NULL },
	{ false, '?',       SC_NOTEXT,  ACT_HELP,     "?",         "help, outside text fields" },
	{ true,  KEY_F(2),  SC_ANY,     ACT_RECENTS,  "F2 ^R",     "recent targets" },
	{ false, CTRL('r'), SC_ANY,     ACT_RECENTS,  NULL,        NULL },
	{ true,  KEY_F(3),  SC_ANY,     ACT_SETTINGS, "F3 ^O",     "settings (options): API key, base URL, timeout, review" },
	{ false, CTRL('o'), SC_ANY,     ACT_SETTINGS, NULL,        NULL },
	{ true,  KEY_F(4),  SC_ANY,     ACT_HISTORY,  "F4 ^Y",     "history: requests sent from this machine, newest first" },
	{ false, CTRL('y'), SC_ANY,     ACT_HISTORY,  NULL,        NULL },
	{ true,  KEY_F(6),  SC_ANY,     ACT_GROUPS,   "F6 ^W",     "groups of this key's enterprise, with current levels" },
	{ false, CTRL('w'), SC_ANY,     ACT_GROUPS,   NULL,        NULL },
	{ true,  KEY_F(7),  SC_ANY,     ACT_BODY,     "F7 ^B",     "raw response body, pretty-printed" },
	{ false, CTRL('b'), SC_ANY,     ACT_BODY,     NULL,        NULL },
	{ false, 'b',       SC_NOTEXT,  ACT_BODY,     "b",         "raw response body, outside text fields" },
	{ true,  KEY_F(10), SC_ANY,     ACT_QUIT,     "F10 ^X",    "quit (asks first while a request is in flight)" },
	{ false, CTRL('x'), SC_ANY,     ACT_QUIT,     NULL,        NULL },
	{ false, 'q',       SC_NOTEXT,  ACT_QUIT,     "q",         "quit, outside text fields" },
	{ false, 27,        SC_ANY,     ACT_ESC,      "Esc",       "cancel the request in flight / close the overlay" },
	{ false, '\t',      SC_ANY,     ACT_NEXT,     "Tab",       "next: kind, ID, flags, Send" },
	{ true,  KEY_BTAB,  SC_ANY,     ACT_PREV,     "Shift-Tab", "previous" },
	{ false, '\r',      SC_ANY,     ACT_ENTER,    "Enter",     "on Send: send; in the ID field: go to the flags; in lists: choose" },
	{ false, '\n',      SC_ANY,     ACT_ENTER,    NULL,        NULL },
	{ true,  KEY_ENTER, SC_ANY,     ACT_ENTER,    NULL,        NULL },
	{ true,  KEY_LEFT,  SC_NOTEXT,  ACT_LEFT,     "Left/Right","on the kind: switch Group / Participant" },
	{ true,  KEY_RIGHT, SC_NOTEXT,  ACT_RIGHT,    NULL,        NULL },
	{ false, ' ',       SC_NOTEXT,  ACT_TOGGLE,   "Space",     "toggle the flag under the cursor (or the kind)" },
	{ true,  KEY_UP,    SC_FLAGS,   ACT_UP,       "Up/k",      "previous flag" },
	{ false, 'k',       SC_FLAGS,   ACT_UP,       NULL,        NULL },
	{ true,  KEY_DOWN,  SC_FLAGS,   ACT_DOWN,     "Down/j",    "next flag" },
	{ false, 'j',       SC_FLAGS,   ACT_DOWN,     NULL,        NULL },
	{ false, '1',       SC_NOTEXT,  ACT_FLAG1 + 0, "1-5",      "toggle flag 1-5 (mhci, groupPerecntiles, userPercentiles, transcript, features)" },
	{ false, '2',       SC_NOTEXT,  ACT_FLAG1 + 1, NULL,       NULL },
	{ false, '3',       SC_NOTEXT,  ACT_FLAG1 + 2, NULL,       NULL },
	{ false, '4',       SC_NOTEXT,  ACT_FLAG1 + 3, NULL,       NULL },
	{ false, '5',       SC_NOTEXT,  ACT_FLAG1 + 4, NULL,       NULL },
	{ false, 'a',       SC_NOTEXT,  ACT_ALL,      "a",         "tick all flags" },
	{ false, 'n',       SC_NOTEXT,  ACT_CLEAR,    "n",         "tick no flag (sends an empty level)" },
	{ true,  KEY_UP,    SC_LIST,    ACT_UP,       "Up/Down",   "move in lists and pagers (also k/j)" },
	{ false, 'k',       SC_LIST,    ACT_UP,       NULL,        NULL },
	{ true,  KEY_DOWN,  SC_LIST,    ACT_DOWN,     NULL,        NULL },
	{ false, 'j',       SC_LIST,    ACT_DOWN,     NULL,        NULL },
	{ true,  KEY_PPAGE, SC_LIST,    ACT_PGUP,     "PgUp/PgDn", "page in lists and pagers" },
	{ true,  KEY_NPAGE, SC_LIST,    ACT_PGDN,     NULL,        NULL },
	{ false, 'q',       SC_LIST,    ACT_ESC,      "q",         "close a list or pager" },
	{ false, 'd',       SC_RECENTS, ACT_FORGET,   "d",         "recents: forget the target (asks: d again confirms)" },
	{ false, '/',       SC_RECENTS, ACT_FILTER,   "/",         "recents: filter by ID or label" },
	{ false, 'e',       SC_RECENTS, ACT_LABEL,    "e",         "recents: edit the label" },
	{ false, '/',       SC_PICK,    ACT_FILTER,   "/",         "filter: groups by ID or name, history by target" },
	{ false, 'y',       SC_CONFIRM, ACT_YES,      "y",         "yes (send the review email)" },
	{ false, 'Y',       SC_CONFIRM, ACT_YES,      NULL,        NULL },
	{ false, 'n',       SC_CONFIRM, ACT_NO,       "n/Esc",     "no (the default)" },
	{ false, 'N',       SC_CONFIRM, ACT_NO,       NULL,        NULL },
	{ false, CTRL('u'), SC_ANY,     ACT_NONE,     "Ctrl-U",    "in a text field: clear it" },
};
const size_t key_table_len = sizeof key_table / sizeof key_table[0];

enum action keys_action(enum scope scope, bool fkey, wint_t ch)
{
	/* Scope-specific bindings first, so 'q' in a list closes it. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < key_table_len; i++) {
			const struct binding *b = &key_table[i];
			if (b->fkey != fkey || (wint_t)b->code != ch)
				continue;
			if (pass == 0 ? b->scope == scope : b->scope == SC_ANY)
				return b->act;
		}
	}
	/* The flag list also accepts every main-form (non-text) key. */
	if (scope == SC_FLAGS)
		return keys_action(SC_NOTEXT, fkey, ch);
	return ACT_NONE;
}

static int push(char ***lines, size_t *n, size_t *cap, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#include <stdarg.h>
static int push(char ***lines, size_t *n, size_t *cap, const char *fmt, ...)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		char **nl = realloc(*lines, nc * sizeof *nl);
		if (!nl)
			return -1;
		*lines = nl;
		*cap = nc;
	}
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len >= 0 && (s = malloc((size_t)len + 1))) {
		va_start(ap, fmt);
		vsnprintf(s, (size_t)len + 1, fmt, ap);
		va_end(ap);
	}
	if (!s)
		return -1;
	(*lines)[(*n)++] = s;
	return 0;
}

char **keys_help_lines(const char *config_path, size_t *n)
{
	static const char *const scope_title[SC_COUNT] = {
		"Everywhere (text fields too)", "Main form, outside text fields",
		"Flag list", "Lists and pagers", "Recent targets (F2)",
		"Groups (F6) and History (F4)", "Review email prompt (after a change that adds flags)",
	};
	char **lines = NULL;
	size_t cap = 0;
	*n = 0;
	push(&lines, n, &cap, "Keys (^X is Ctrl-X: for terminals without F-keys)");
	for (int s = 0; s < SC_COUNT; s++) {
		push(&lines, n, &cap, "%s", "");
		push(&lines, n, &cap, "  %s", scope_title[s]);
		for (size_t i = 0; i < key_table_len; i++)
			if (key_table[i].scope == (enum scope)s && key_table[i].keyname)
				push(&lines, n, &cap, "    %-10s %s", key_table[i].keyname,
				     key_table[i].help);
	}
	push(&lines, n, &cap, "%s", "");
	push(&lines, n, &cap, "Letters and digits are text while a text field has the focus.");
	push(&lines, n, &cap, "Review: Enter sends, Esc goes back. Settings: Tab/Up/Down move,");
	push(&lines, n, &cap, "Space toggles review, Enter on Save saves, Esc leaves unsaved.");
	push(&lines, n, &cap, "Recents: while filtering or editing a label, Enter keeps, Esc cancels.");
	push(&lines, n, &cap, "Groups: Enter loads the group with its current level ticked.");
	push(&lines, n, &cap, "History: Enter loads the target into the form.");
	push(&lines, n, &cap, "Email prompt: Left/Right/Tab pick Yes or No; Enter on the pick.");
	push(&lines, n, &cap, "%s", "");
	push(&lines, n, &cap, "Loading a target (typed ID when leaving the field, --group,");
	push(&lines, n, &cap, "recents, Groups) reads its state: a group's current level is");
	push(&lines, n, &cap, "ticked (\"on server\"); when that fails, or for a participant,");
	push(&lines, n, &cap, "the last level sent from this machine (\"sent here\"). A");
	push(&lines, n, &cap, "participant's groups and privacyLevel show in the panel; the");
	push(&lines, n, &cap, "flags a privacyLevel implies are inferred, not documented.");
	push(&lines, n, &cap, "%s", "");
	push(&lines, n, &cap, "The five privacy flags (wire names as the API spells them)");
	for (int i = 0; i < FLAG_COUNT; i++)
		push(&lines, n, &cap, "  %d %-17s %s: %s", i + 1, flag_table[i].wire,
		     flag_table[i].label, flag_table[i].description);
	push(&lines, n, &cap, "%s", "");
	push(&lines, n, &cap, "A requested level asks participants to review their own");
	push(&lines, n, &cap, "privacy settings; it never changes them.");
	push(&lines, n, &cap, "%s", "");
	push(&lines, n, &cap, "Config file: %s", config_path ? config_path : "(none)");
	push(&lines, n, &cap, "OKAYA_API_KEY and OKAYA_BASE_URL override it for one run.");
	char *hist = history_default_path();
	push(&lines, n, &cap, "History file: %s", hist ? hist : "(none: no home directory)");
	free(hist);
	return lines;
}

void keys_help_free(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}
