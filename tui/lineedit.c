/* lineedit: a wide-character buffer, a cursor and a sideways scroll. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include <panel.h>
#include "lineedit.h"

#define CTRL(c) ((c) & 0x1f)

struct lineedit {
	WINDOW *win;
	PANEL *panel;
	int width;
	size_t max_bytes;
	bool secret, focused, refused;
	wchar_t *buf;      /* len characters, no terminator needed */
	size_t len, cap;
	size_t cur;        /* cursor: index into buf */
	size_t first;      /* first character shown */
};

/* Bytes of c in UTF-8 (the TUI runs in a UTF-8 locale; anything else is
 * counted as the API would see it after conversion). */
static size_t utf8_len(wchar_t c)
{
	unsigned long u = (unsigned long)c;
	return u < 0x80 ? 1 : u < 0x800 ? 2 : u < 0x10000 ? 3 : 4;
}

static size_t bytes_of(const struct lineedit *le)
{
	size_t n = 0;
	for (size_t i = 0; i < le->len; i++)
		n += utf8_len(le->buf[i]);
	return n;
}

static int cols_of(wchar_t c)
{
	int w = wcwidth(c);
	return w < 0 ? 1 : w;
}

/* A character that may become text: printable, not a control. */
static bool printable(wchar_t c)
{
	return c >= 0x20 && !(c >= 0x7f && c < 0xa0) && wcwidth(c) >= 0;
}

/* Keeps the cursor inside the window: the first shown character moves. */
static void scroll_to_cursor(struct lineedit *le)
{
	if (le->cur < le->first)
		le->first = le->cur;
	for (;;) {
		int used = 0;
		for (size_t i = le->first; i < le->cur; i++)
			used += cols_of(le->buf[i]);
		/* One cell stays free for the cursor itself. */
		if (used + 1 <= le->width || le->first >= le->cur)
			break;
		le->first++;
	}
}

static void render(struct lineedit *le)
{
	attr_t at = A_UNDERLINE | (le->focused ? A_BOLD : 0);
	wbkgdset(le->win, ' ' | at);
	werase(le->win);
	if (le->secret)
		return;
	scroll_to_cursor(le);
	wattrset(le->win, at);
	int col = 0;
	for (size_t i = le->first; i < le->len; i++) {
		int w = cols_of(le->buf[i]);
		if (col + w > le->width)
			break;
		wchar_t one[2] = { le->buf[i], L'\0' };
		mvwaddnwstr(le->win, 0, col, one, 1);
		col += w;
	}
	wattrset(le->win, A_NORMAL);
}

static bool reserve(struct lineedit *le, size_t n)
{
	if (le->len + n <= le->cap)
		return true;
	size_t nc = le->cap ? le->cap : 32;
	while (nc < le->len + n)
		nc *= 2;
	wchar_t *nb = realloc(le->buf, nc * sizeof *nb);
	if (!nb)
		return false;
	le->buf = nb;
	le->cap = nc;
	return true;
}

static bool insert(struct lineedit *le, const wchar_t *w, size_t n)
{
	size_t add = 0;
	for (size_t i = 0; i < n; i++)
		add += utf8_len(w[i]);
	if (bytes_of(le) + add > le->max_bytes) {
		le->refused = true;
		return false;
	}
	if (!reserve(le, n))
		return false;
	memmove(le->buf + le->cur + n, le->buf + le->cur, (le->len - le->cur) * sizeof *le->buf);
	memcpy(le->buf + le->cur, w, n * sizeof *w);
	le->len += n;
	le->cur += n;
	return true;
}

/* UTF-8 to wide characters; -1 on invalid input or a control character. */
static int decode(const char *s, wchar_t **out, size_t *n)
{
	size_t cap = strlen(s) + 1;
	wchar_t *w = malloc(cap * sizeof *w);
	if (!w)
		return -1;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t k = 0, left = strlen(s);
	while (left > 0) {
		wchar_t c;
		size_t r = mbrtowc(&c, s, left, &st);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0 || !printable(c)) {
			free(w);
			return -1;
		}
		w[k++] = c;
		s += r;
		left -= r;
	}
	*out = w;
	*n = k;
	return 0;
}

static void set_text(struct lineedit *le, const char *text)
{
	le->len = le->cur = le->first = 0;
	wchar_t *w;
	size_t n;
	if (text && *text && decode(text, &w, &n) == 0) {
		insert(le, w, n);
		free(w);
	}
	le->refused = false;
}

struct lineedit *lineedit_new(int y, int x, int width, size_t max_bytes, bool secret,
			      const char *text)
{
	if (width < 1)
		return NULL;
	struct lineedit *le = calloc(1, sizeof *le);
	if (!le)
		return NULL;
	le->width = width;
	le->max_bytes = max_bytes;
	le->secret = secret;
	le->win = newwin(1, width, y, x);
	if (!le->win)
		goto fail;
	le->panel = new_panel(le->win);
	if (!le->panel)
		goto fail;
	set_text(le, text);
	render(le);
	return le;
fail:
	lineedit_free(le);
	return NULL;
}

void lineedit_free(struct lineedit *le)
{
	if (!le)
		return;
	if (le->buf) {
		/* It may have held a key. */
		memset(le->buf, 0, le->cap * sizeof *le->buf);
		free(le->buf);
	}
	if (le->panel)
		del_panel(le->panel);
	if (le->win)
		delwin(le->win);
	free(le);
}

static bool edit(struct lineedit *le, bool fkey, wint_t ch)
{
	if (fkey) {
		switch (ch) {
		case KEY_BACKSPACE: goto del_prev;
		case KEY_DC:        goto del_here;
		case KEY_LEFT:      if (le->cur > 0) le->cur--; return true;
		case KEY_RIGHT:     if (le->cur < le->len) le->cur++; return true;
		case KEY_HOME:      le->cur = 0; return true;
		case KEY_END:       le->cur = le->len; return true;
		}
		return false;
	}
	switch (ch) {
	case 127: case CTRL('h'): goto del_prev;
	case CTRL('a'): le->cur = 0; return true;
	case CTRL('e'): le->cur = le->len; return true;
	case CTRL('k'): le->len = le->cur; return true;
	case CTRL('u'): le->len = le->cur = le->first = 0; return true;
	}
	if (ch > (wint_t)WCHAR_MAX || !printable((wchar_t)ch))
		return false;   /* other controls never become text */
	wchar_t c = (wchar_t)ch;
	insert(le, &c, 1);
	return true;
del_prev:
	if (le->cur == 0)
		return true;
	le->cur--;
del_here:
	if (le->cur < le->len) {
		memmove(le->buf + le->cur, le->buf + le->cur + 1,
			(le->len - le->cur - 1) * sizeof *le->buf);
		le->len--;
	}
	return true;
}

bool lineedit_key(struct lineedit *le, bool fkey, wint_t ch)
{
	if (!le)
		return false;
	bool used = edit(le, fkey, ch);
	if (used)
		render(le);
	return used;
}

int lineedit_insert(struct lineedit *le, const char *text)
{
	if (!le)
		return -1;
	wchar_t *w;
	size_t n;
	if (decode(text, &w, &n) != 0)
		return -1;
	bool ok = insert(le, w, n);
	memset(w, 0, n * sizeof *w);
	free(w);
	render(le);
	return ok ? 0 : -1;
}

bool lineedit_refused(struct lineedit *le)
{
	if (!le || !le->refused)
		return false;
	le->refused = false;
	return true;
}

size_t lineedit_max(const struct lineedit *le)
{
	return le ? le->max_bytes : 0;
}

void lineedit_text(struct lineedit *le, char *out, size_t outlen)
{
	if (!outlen)
		return;
	out[0] = '\0';
	if (!le)
		return;
	size_t a = 0, b = le->len;
	while (a < b && (le->buf[a] == L' ' || le->buf[a] == L'\t'))
		a++;
	while (b > a && (le->buf[b - 1] == L' ' || le->buf[b - 1] == L'\t'))
		b--;
	size_t o = 0;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	for (size_t i = a; i < b; i++) {
		char mb[MB_LEN_MAX];
		size_t r = wcrtomb(mb, le->buf[i], &st);
		if (r == (size_t)-1)
			continue;   /* not representable in this locale */
		if (o + r >= outlen)
			break;      /* callers size out for max_bytes; whole characters only */
		memcpy(out + o, mb, r);
		o += r;
	}
	out[o] = '\0';
}

void lineedit_set(struct lineedit *le, const char *text)
{
	if (!le)
		return;
	set_text(le, text);
	render(le);
}

void lineedit_cursor(struct lineedit *le)
{
	if (!le)
		return;
	int col = 0;
	if (!le->secret) {
		scroll_to_cursor(le);
		for (size_t i = le->first; i < le->cur; i++)
			col += cols_of(le->buf[i]);
	}
	if (col >= le->width)
		col = le->width - 1;
	wmove(le->win, 0, col);
	wnoutrefresh(le->win);
}

void lineedit_focus(struct lineedit *le, bool focused)
{
	if (!le)
		return;
	le->focused = focused;
	render(le);
}
