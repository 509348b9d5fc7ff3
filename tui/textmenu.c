/* textmenu: the libmenu plumbing shared by the list overlays. */
#include "textmenu.h"

#include <stdlib.h>
#include "app.h"
#include "keys.h"

void textmenu_build(struct textmenu *m, WINDOW *win, WINDOW *sub, const char *const *lines,
		    size_t n, int cur)
{
	if (!sub || n == 0)
		return;
	int h, w;
	getmaxyx(sub, h, w);
	m->items = calloc(n + 1, sizeof *m->items);
	m->names = calloc(n + 1, sizeof *m->names);
	if (!m->items || !m->names)
		return;
	size_t len = (size_t)w * 4 + 1;   /* room for multibyte characters */
	for (size_t i = 0; i < n; i++) {
		m->names[i] = malloc(len);
		if (!m->names[i])
			return;
		text_fit(m->names[i], len, lines[i], w - 2);
		m->items[i] = new_item(m->names[i], "");
	}
	m->menu = new_menu(m->items);
	if (!m->menu)
		return;
	menu_opts_off(m->menu, O_SHOWDESC);
	set_menu_mark(m->menu, "> ");
	set_menu_win(m->menu, win);
	set_menu_sub(m->menu, sub);
	set_menu_format(m->menu, h, 1);
	post_menu(m->menu);
	if (cur > 0 && (size_t)cur < n)
		set_current_item(m->menu, m->items[cur]);
}

int textmenu_free(struct textmenu *m, int cur)
{
	if (m->menu) {
		cur = item_index(current_item(m->menu));
		unpost_menu(m->menu);
		free_menu(m->menu);
		m->menu = NULL;
	}
	for (size_t i = 0; m->items && m->items[i]; i++)
		free_item(m->items[i]);
	free(m->items);
	m->items = NULL;
	for (size_t i = 0; m->names && m->names[i]; i++)
		free(m->names[i]);
	free(m->names);
	m->names = NULL;
	return cur;
}

int textmenu_current(const struct textmenu *m)
{
	return m->menu ? item_index(current_item(m->menu)) : -1;
}

int textmenu_move(struct textmenu *m, int action)
{
	switch (action) {
	case ACT_UP:
		if (m->menu)
			menu_driver(m->menu, REQ_UP_ITEM);
		return 1;
	case ACT_DOWN:
		if (m->menu)
			menu_driver(m->menu, REQ_DOWN_ITEM);
		return 1;
	case ACT_PGUP:
		if (m->menu && menu_driver(m->menu, REQ_SCR_UPAGE) != E_OK)
			menu_driver(m->menu, REQ_FIRST_ITEM);
		return 1;
	case ACT_PGDN:
		if (m->menu && menu_driver(m->menu, REQ_SCR_DPAGE) != E_OK)
			menu_driver(m->menu, REQ_LAST_ITEM);
		return 1;
	default:
		return 0;
	}
}

void textmenu_refresh(struct textmenu *m, WINDOW *sub)
{
	if (m->menu) {
		pos_menu_cursor(m->menu);
		touchwin(sub);
	}
}
