/* listview: a filterable list overlay on libmenu in a libpanel window,
 * shared by Groups (F6) and History (F4).
 *
 * The caller gives display rows (already escaped) and a filter key per row;
 * `/` opens a filter field that narrows the rows as one types. The view
 * keeps rows, filter and cursor across resizes (build/destroy). */
#ifndef OKAYA_TUI_LISTVIEW_H
#define OKAYA_TUI_LISTVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

struct app;
struct listview;

enum lv_result { LV_KEPT, LV_CHOSEN, LV_CLOSE };

struct listview *listview_new(const char *title, const char *header, const char *empty);
void listview_free(struct listview *v);              /* NULL is fine */

/* Replaces the rows; takes ownership of rows[], keys[] and their strings. */
void listview_set_rows(struct listview *v, char **rows, char **keys, size_t n);
/* A line above the footer (a notice or an error); "" clears it. */
void listview_message(struct listview *v, const char *msg, bool error);
/* Replaces the text shown when there are no rows. */
/* While text is set (not NULL or ""), the list says it instead of a count
 * and of its empty text: the rows are not known yet. */
void listview_loading(struct listview *v, const char *text);
void listview_empty(struct listview *v, const char *empty);

void listview_build(struct app *a, struct listview *v);
void listview_destroy(struct listview *v);
void listview_draw(struct app *a, struct listview *v);
void listview_cursor(struct listview *v);

/* Feeds a key; on LV_CHOSEN *chosen is the index given to set_rows. */
enum lv_result listview_key(struct listview *v, bool fkey, wint_t ch, size_t *chosen);

#endif
