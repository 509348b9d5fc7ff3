/* exitcodes: what okaya-privacy's exit status means (documented in --help
 * and the README; scripts depend on these numbers, never renumber them). */
#ifndef OKAYA_EXITCODES_H
#define OKAYA_EXITCODES_H

enum {
	EXIT_OK          = 0,   /* everything succeeded */
	EXIT_REFUSED     = 1,   /* the API refused (400), or a batch had refusals/failures */
	EXIT_USAGE       = 2,   /* bad usage or invalid input: nothing was sent */
	EXIT_NO_ANSWER   = 3,   /* connection, DNS, TLS, timeout or 5xx */
	EXIT_UNAUTHORISED = 4,  /* 401, or no key configured */
	EXIT_OUTPUT      = 5,   /* the command worked but its output could not
				 * be written (disk full, closed pipe) */
	EXIT_INTERRUPTED = 130, /* Ctrl-C: the summary says what was and was not done */
};

#endif
