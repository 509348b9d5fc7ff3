/* progress: a one-line progress bar on stderr, redrawn at most 10 times a
 * second. Callers enable it only when stderr is a terminal. */
#include "run.h"

#include <stdio.h>

#define BAR_WIDTH 30

static double last_draw_ms;
static bool shown;

void progress_draw(const struct run_stats *st, size_t done, bool force)
{
	double now = run_now_ms();
	if (!force && now - last_draw_ms < 100)
		return;
	last_draw_ms = now;
	size_t total = st->total ? st->total : 1;
	size_t fill = done * BAR_WIDTH / total;
	char bar[BAR_WIDTH + 1];
	for (size_t i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[BAR_WIDTH] = '\0';
	fprintf(stderr, "\r\033[K[%s] %zu/%zu  ok %zu  refused %zu  failed %zu", bar, done,
		st->total, st->ok, st->refused, st->failed);
	fflush(stderr);
	shown = true;
}

void progress_clear(void)
{
	if (shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	shown = false;
}
