/* textmenu: a one-column libmenu of display lines, as the Recents, Groups
 * and History overlays show them: built from lines, moved by list actions,
 * rebuilt from state after a resize or a filter change. */
#ifndef OKAYA_TUI_TEXTMENU_H
#define OKAYA_TUI_TEXTMENU_H

#include <stddef.h>
#include <menu.h>

struct textmenu {
	MENU *menu;
	ITEM **items;
	char **names;    /* the items' text, owned */
};

/* Posts a menu of n lines (each fitted to the width of sub) in win/sub with
 * item `cur` selected. Does nothing when sub is NULL or n is 0; on a failed
 * allocation the menu stays partly built and textmenu_free cleans it up. */
void textmenu_build(struct textmenu *m, WINDOW *win, WINDOW *sub, const char *const *lines,
		    size_t n, int cur);

/* Unposts and frees the menu. Returns the selected item's index, or `cur`
 * when there was no menu, so a rebuild can keep the selection. */
int textmenu_free(struct textmenu *m, int cur);

/* Index of the selected item, or -1 when there is no menu. */
int textmenu_current(const struct textmenu *m);

/* Handles ACT_UP, ACT_DOWN, ACT_PGUP and ACT_PGDN (keys.h); returns 1 when
 * it did, 0 for any other action. */
int textmenu_move(struct textmenu *m, int action);

/* Puts the cursor on the selected item and marks the items for redrawing
 * (after the frame around them was drawn). */
void textmenu_refresh(struct textmenu *m, WINDOW *sub);

#endif
