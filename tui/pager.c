/* pager: a scrolling text overlay, used by Help (F1) and the raw body (F7).
 * Long lines wrap to the window's width (with a hanging indent), so nothing
 * is cut at the edge; the wrapped rows are made again on every resize. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "app.h"
#include "keys.h"

struct pager {
	char **lines;
	size_t n;
	char **rows;        /* lines wrapped to the window, made in build */
	size_t n_rows;
	size_t top;         /* first row shown */
	bool help;          /* lines from keys_help_lines (else from a body) */
	char title[96];
	WINDOW *win;
	PANEL *panel;
};

static int page_rows(const struct pager *p)
{
	return p->win ? getmaxy(p->win) - 3 : 1;
}

static void rows_free(struct pager *p)
{
	for (size_t i = 0; i < p->n_rows; i++)
		free(p->rows[i]);
	free(p->rows);
	p->rows = NULL;
	p->n_rows = 0;
}

static int push_row(struct pager *p, size_t *cap, const char *s, size_t len, int indent)
{
	if (p->n_rows == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		char **nr = realloc(p->rows, nc * sizeof *nr);
		if (!nr)
			return -1;
		p->rows = nr;
		*cap = nc;
	}
	char *r = malloc((size_t)indent + len + 1);
	if (!r)
		return -1;
	memset(r, ' ', (size_t)indent);
	memcpy(r + indent, s, len);
	r[indent + (int)len] = '\0';
	p->rows[p->n_rows++] = r;
	return 0;
}

/* Where continuation rows start: after the first run of two or more blanks
 * past the text's start (the column of a key's or flag's description). */
static int hanging_indent(const char *s, int width)
{
	int i = 0;
	while (s[i] == ' ')
		i++;
	const char *gap = strstr(s + i, "  ");
	int at = i + 2;
	if (gap) {
		int g = (int)(gap - s);
		while (s[g] == ' ')
			g++;
		/* Only ASCII before it, so bytes are columns. */
		bool ascii = true;
		for (int k = 0; k < g; k++)
			ascii = ascii && !((unsigned char)s[k] & 0x80);
		if (ascii)
			at = g;
	}
	return at > width / 2 ? width / 2 : at;
}

static void wrap_line(struct pager *p, size_t *cap, const char *s, int width)
{
	int indent = 0, hang = hanging_indent(s, width);
	for (;;) {
		int room = width - indent, cols = 0;
		size_t i = 0, brk = 0, len = strlen(s);
		mbstate_t st;
		memset(&st, 0, sizeof st);
		while (i < len) {
			wchar_t wc;
			int cw;
			size_t r = text_next(s + i, len - i, &st, &wc, &cw);
			if (cols + cw > room)
				break;
			cols += cw;
			i += r;
			if (wc == L' ')
				brk = i;
		}
		if (i >= len) {
			push_row(p, cap, s, len, indent);
			return;
		}
		size_t cut = brk > 0 ? brk : (i > 0 ? i : 1);
		size_t keep = cut;
		while (keep > 0 && s[keep - 1] == ' ')
			keep--;
		if (push_row(p, cap, s, keep, indent) != 0)
			return;
		s += cut;
		while (*s == ' ')
			s++;
		if (!*s)
			return;
		indent = hang;
	}
}

static void build(struct app *a)
{
	struct pager *p = a->pager;
	if (!p)
		return;
	p->win = overlay_window(a, a->rows - 2, 78, &p->panel);
	rows_free(p);
	if (!p->win)
		return;
	int width = getmaxx(p->win) - 4;
	size_t cap = 0;
	for (size_t i = 0; i < p->n && width > 4; i++)
		wrap_line(p, &cap, p->lines[i], width);
	size_t rows = (size_t)page_rows(p);
	size_t max_top = p->n_rows > rows ? p->n_rows - rows : 0;
	if (p->top > max_top)
		p->top = max_top;
}

static void destroy(struct app *a)
{
	struct pager *p = a->pager;
	if (!p)
		return;
	overlay_window_free(&p->win, &p->panel);
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
	for (int i = 0; i < rows && p->top + (size_t)i < p->n_rows; i++)
		draw_text(p->win, 1 + i, 2, p->rows[p->top + (size_t)i], w - 4);
	char foot[96];
	/* Short enough for the 60-column minimum. */
	snprintf(foot, sizeof foot, " lines %zu-%zu of %zu  Up/Down PgUp/PgDn  Esc closes ",
		 p->n_rows ? p->top + 1 : 0,
		 p->top + (size_t)rows < p->n_rows ? p->top + (size_t)rows : p->n_rows, p->n_rows);
	draw_text(p->win, h - 1, 2, foot, w - 4);
}

static void key(struct app *a, bool fkey, wint_t ch)
{
	struct pager *p = a->pager;
	size_t rows = (size_t)page_rows(p);
	size_t max_top = p->n_rows > rows ? p->n_rows - rows : 0;
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
	rows_free(p);
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
