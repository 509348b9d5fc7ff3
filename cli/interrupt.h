/* interrupt: Ctrl-C and SIGTERM while requests are in flight. The handler
 * only counts (capped at 2: "stop starting", then "cancel"); it is installed
 * without SA_RESTART so a poll() or sleep in progress wakes up to see it. */
#ifndef OKAYA_CLI_INTERRUPT_H
#define OKAYA_CLI_INTERRUPT_H

#include <signal.h>

struct interrupt_saved {
	struct sigaction old_int, old_term;
};

/* Installs the handler, resets the count, keeps the old handlers in s. */
void interrupt_catch(struct interrupt_saved *s);
/* Puts the old handlers back. */
void interrupt_release(const struct interrupt_saved *s);
/* How many interrupts arrived since interrupt_catch: 0, 1 or 2. */
int interrupt_count(void);

#endif
