/* draw: clipping, escaping and attributes shared by every screen. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "app.h"
#include "escape.h"
#include "url.h"

size_t text_next(const char *s, size_t left, mbstate_t *st, wchar_t *wc, int *cw)
{
	size_t r = mbrtowc(wc, s, left, st);
	if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
		memset(st, 0, sizeof *st);
		*wc = L'?';
		r = 1;
	}
	*cw = wcwidth(*wc);
	if (*cw < 0) {
		*cw = 1;
		*wc = L'?';
	}
	return r;
}

int draw_text(WINDOW *w, int y, int x, const char *s, int width)
{
	if (width <= 0 || !s)
		return 0;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int used = 0;
	wmove(w, y, x);
	for (size_t left = strlen(s); left > 0;) {
		wchar_t wc;
		int cw;
		size_t r = text_next(s, left, &st, &wc, &cw);
		if (used + cw > width)
			break;
		waddnwstr(w, &wc, 1);
		used += cw;
		s += r;
		left -= r;
	}
	return used;
}

int draw_wrap(WINDOW *w, int y, int x, const char *s, int width, int max_lines)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int line = 0, used = 0;
	if (width <= 0 || max_lines <= 0)
		return 0;
	wmove(w, y, x);
	for (size_t left = strlen(s); left > 0;) {
		wchar_t wc;
		int cw;
		size_t r = text_next(s, left, &st, &wc, &cw);
		if (used + cw > width) {
			if (++line >= max_lines)
				break;
			used = 0;
			wmove(w, y + line, x);
		}
		waddnwstr(w, &wc, 1);
		used += cw;
		s += r;
		left -= r;
	}
	return line + 1;
}

int draw_untrusted(WINDOW *w, int y, int x, const char *s, int width)
{
	size_t n = strlen(s);
	size_t cap = n * 6 + 1;
	char stackbuf[1024];
	char *buf = cap <= sizeof stackbuf ? stackbuf : malloc(cap);
	if (!buf)
		return 0;
	text_escape(s, n, buf, cap);
	int used = draw_text(w, y, x, buf, width);
	if (buf != stackbuf)
		free(buf);
	return used;
}

int text_width(const char *s)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int width = 0;
	for (size_t left = strlen(s); left > 0;) {
		wchar_t wc;
		int cw;
		size_t r = text_next(s, left, &st, &wc, &cw);
		width += cw;
		s += r;
		left -= r;
	}
	return width;
}

attr_t app_attr(const struct app *a, int pair)
{
	/* Without colour every pair still means something through attributes. */
	switch (pair) {
	case PAIR_TITLE:
		return A_REVERSE;
	case PAIR_DIM:
		return a->colour ? (attr_t)COLOR_PAIR(pair) : A_DIM;
	case PAIR_ERR:
	case PAIR_OK:
		return A_BOLD | (a->colour ? (attr_t)COLOR_PAIR(pair) : 0);
	}
	return A_NORMAL;
}

void draw_frame(WINDOW *w, const char *title)
{
	werase(w);
	box(w, 0, 0);
	if (title) {
		wattron(w, A_BOLD);
		mvwprintw(w, 0, 2, " %s ", title);
		wattroff(w, A_BOLD);
	}
}

WINDOW *overlay_window(struct app *a, int h, int w, PANEL **panel)
{
	if (h > a->rows - 2)
		h = a->rows - 2;
	/* Too wide for margins: take the whole width, so no text of the form
	 * peeks out beside the frame. */
	if (w > a->cols - 4)
		w = a->cols;
	WINDOW *win = newwin(h, w, (a->rows - h) / 2, (a->cols - w) / 2);
	if (!win) {
		*panel = NULL;
		return NULL;
	}
	keypad(win, TRUE);
	*panel = new_panel(win);
	return win;
}

void overlay_window_free(WINDOW **win, PANEL **panel)
{
	if (*panel)
		del_panel(*panel);
	if (*win)
		delwin(*win);
	*panel = NULL;
	*win = NULL;
}

void text_fit(char *out, size_t outlen, const char *s, int cols)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t o = 0;
	int used = 0;
	size_t left = strlen(s);
	while (left > 0) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, s, left, &st);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0)
			break;
		int cw = wcwidth(wc);
		if (cw < 0 || used + cw > cols || o + r + 1 >= outlen)
			break;
		memcpy(out + o, s, r);
		o += r;
		used += cw;
		s += r;
		left -= r;
	}
	while (used < cols && o + 1 < outlen) {
		out[o++] = ' ';
		used++;
	}
	out[o] = '\0';
}

void url_for_display(const char *url, char *out, size_t outlen)
{
	if (!outlen)
		return;
	size_t n = 0;
	const char *user = url_userinfo(url, &n);
	const char *colon = user ? memchr(user, ':', n) : NULL;
	if (!colon) {
		snprintf(out, outlen, "%s", url);
		return;
	}
	/* Keep the user name (it says which account); never the password. */
	snprintf(out, outlen, "%.*s:***%s", (int)(colon - url), url, user + n);
}
