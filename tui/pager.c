/* pager: a scrolling text overlay, used by Help (F1) and the raw body (F4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "keys.h"

struct pager {
	char **lines;
	size_t n;
	size_t top;
	bool help;          /* lines from keys_help_lines (else from a body) */
	char title[96];
	WINDOW *win;
	PANEL *panel;
};

static int page_rows(const struct pager *p)
{
	return p->win ? getmaxy(p->win) - 3 : 1;
}

static void build(struct app *a)
{
	struct pager *p = a->pager;
	if (p)
		p->win = overlay_window(a, a->rows - 2, 78, &p->panel);
}

static void destroy(struct app *a)
{
	struct pager *p = a->pager;
	if (!p)
		return;
	if (p->panel)
		del_panel(p->panel);
	if (p->win)
		delwin(p->win);
	p->panel = NULL;
	p->win = NULL;
}

static void draw(struct app *a)
{
	struct pager *p = a->pager;
	if (!p || !p->win)
		return;
	int h, w;
	getmaxyx(p->win, h, w);
	draw_frame(p->win, p->title);
	int rows = page_rows(p);
	for (int i = 0; i < rows && p->top + (size_t)i < p->n; i++)
		draw_text(p->win, 1 + i, 2, p->lines[p->top + (size_t)i], w - 4);
	char foot[96];
	snprintf(foot, sizeof foot, " lines %zu-%zu of %zu   Up/Down PgUp/PgDn   Esc/q closes ",
		 p->n ? p->top + 1 : 0,
		 p->top + (size_t)rows < p->n ? p->top + (size_t)rows : p->n, p->n);
	draw_text(p->win, h - 1, 2, foot, w - 4);
}

static void key(struct app *a, bool fkey, wint_t ch)
{
	struct pager *p = a->pager;
	size_t rows = (size_t)page_rows(p);
	size_t max_top = p->n > rows ? p->n - rows : 0;
	switch (keys_action(SC_LIST, fkey, ch)) {
	case ACT_UP:
		if (p->top > 0)
			p->top--;
		break;
	case ACT_DOWN:
		if (p->top < max_top)
			p->top++;
		break;
	case ACT_PGUP:
		p->top = p->top > rows ? p->top - rows : 0;
		break;
	case ACT_PGDN:
		p->top = p->top + rows < max_top ? p->top + rows : max_top;
		break;
	case ACT_ESC:
	case ACT_ENTER:
		overlay_close(a);
		break;
	default:
		break;
	}
}

static void close_(struct app *a)
{
	struct pager *p = a->pager;
	if (!p)
		return;
	if (p->help)
		keys_help_free(p->lines, p->n);
	else
		response_lines_free(p->lines, p->n);
	free(p);
	a->pager = NULL;
}

/* Overlay openers: fill a->pager before build. */
void pager_open_help(struct app *a)
{
	struct pager *p = calloc(1, sizeof *p);
	if (!p)
		return;
	p->help = true;
	p->lines = keys_help_lines(a->cfg->path, &p->n);
	snprintf(p->title, sizeof p->title, "Help");
	a->pager = p;
}

void pager_open_body(struct app *a)
{
	struct pager *p = calloc(1, sizeof *p);
	if (!p)
		return;
	if (a->last) {
		p->lines = response_body_lines(a->last, &p->n);
		char ct[48] = "";
		if (a->last->content_type)
			text_escape(a->last->content_type, strlen(a->last->content_type), ct,
				    sizeof ct);
		snprintf(p->title, sizeof p->title, "Response body: %zu bytes%s%s",
			 a->last->body_len, ct[0] ? ", " : "", ct);
	} else {
		p->lines = calloc(2, sizeof *p->lines);
		if (p->lines) {
			p->lines[0] = strdup("Nothing received yet.");
			p->n = p->lines[0] ? 1 : 0;
		}
		snprintf(p->title, sizeof p->title, "Response body");
	}
	a->pager = p;
}

const struct overlay_ops help_ops = { build, destroy, draw, key, close_, NULL };
const struct overlay_ops body_ops = { build, destroy, draw, key, close_, NULL };
