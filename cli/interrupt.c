/* interrupt: the one Ctrl-C handler of the command line's request loops. */
#include "interrupt.h"

#include <string.h>

static volatile sig_atomic_t interrupts;

static void on_interrupt(int sig)
{
	(void)sig;
	if (interrupts < 2)
		interrupts++;
}

void interrupt_catch(struct interrupt_saved *s)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	interrupts = 0;
	sigaction(SIGINT, &sa, &s->old_int);
	sigaction(SIGTERM, &sa, &s->old_term);
}

void interrupt_release(const struct interrupt_saved *s)
{
	sigaction(SIGINT, &s->old_int, NULL);
	sigaction(SIGTERM, &s->old_term, NULL);
}

int interrupt_count(void)
{
	return interrupts;
}
