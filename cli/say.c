/* say: messages on stderr that may quote text from outside (argv, the
 * config file, the server), passed through safe_text so none of it can
 * drive the terminal. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "safe_text.h"

void cli_say(FILE *out, const char *fmt, ...)
{
	char msg[4096], safe[4096 * 3];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* Line breaks of our own text stay; each line is cleaned. */
	char *line = msg;
	for (;;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		fputs(safe_text(line, safe, sizeof safe), out);
		if (!nl)
			break;
		fputc('\n', out);
		line = nl + 1;
	}
}

void cli_error(const char *fmt, ...)
{
	char msg[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cli_say(stderr, "okaya-privacy: %s\n", msg);
}
