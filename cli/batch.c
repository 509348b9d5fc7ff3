/* batch: `okaya-privacy batch FILE|-`. Every line is checked before
 * anything is sent; one bad line and nothing goes out.
 *
 * Line format: KIND ID FLAGS, separated by blanks; FLAGS is the rest of the
 * line ("mhci, transcript" is fine) and must be present ("none" clears).
 * Blank lines and lines whose first non-blank is '#' are skipped. IDs cannot
 * hold blanks here (use `set` for such an ID). */
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_ERRORS_SHOWN 20

static int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Cuts the next blank-delimited word out of *p (NUL-terminating it). */
static char *next_word(char **p)
{
	char *s = *p;
	while (is_blank((unsigned char)*s))
		s++;
	if (!*s)
		return NULL;
	char *w = s;
	while (*s && !is_blank((unsigned char)*s))
		s++;
	if (*s)
		*s++ = '\0';
	*p = s;
	return w;
}

/* Parses one line into j: 1 parsed, 0 nothing to do (blank or comment),
 * -1 with a message. */
static int parse_line(char *line, struct job *j, char *err, size_t errlen)
{
	char *p = line;
	while (is_blank((unsigned char)*p))
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	char *kind_word = next_word(&p);
	char *id = next_word(&p);
	enum target_kind kind;
	if (target_kind_parse(kind_word, &kind) != 0) {
		snprintf(err, errlen, "\"%.40s\" is not a kind of target: use group or participant",
			 kind_word);
		return -1;
	}
	if (!id) {
		snprintf(err, errlen, "missing the %s ID and the flags",
			 target_kind_name(kind));
		return -1;
	}
	struct target t;
	if (target_set(&t, kind, id, err, errlen) != 0)
		return -1;
	while (is_blank((unsigned char)*p))
		p++;
	if (*p == '\0') {
		snprintf(err, errlen, "%s", FLAGS_EMPTY_TEXT);
		return -1;
	}
	if (level_parse(p, &j->level, err, errlen) != 0)
		return -1;
	j->kind = kind;
	j->id = strdup(t.id);
	if (!j->id) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 1;
}

/* Reads and validates all of f. Returns 0 with the jobs, or EXIT_USAGE after
 * printing every bad line (up to a limit) with its number. */
static void jobs_free(struct job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(jobs[i].id);
	free(jobs);
}

static int read_jobs(FILE *f, const char *name, struct job **out, size_t *n_out)
{
	struct job *jobs = NULL;
	size_t n = 0, cap = 0, bad = 0;
	char *line = NULL;
	size_t linecap = 0;
	ssize_t len;
	int lineno = 0;
	char err[512];
	while ((len = getline(&line, &linecap, f)) >= 0) {
		lineno++;
		if ((size_t)len != strlen(line)) {
			snprintf(err, sizeof err, "the line holds a NUL byte");
			goto bad_line;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			struct job *nj = realloc(jobs, ncap * sizeof *nj);
			if (!nj) {
				cli_error("out of memory at line %d", lineno);
				jobs_free(jobs, n);
				free(line);
				return EXIT_USAGE;
			}
			jobs = nj;
			cap = ncap;
		}
		while (len > 0 && is_blank((unsigned char)line[len - 1]))
			line[--len] = '\0';
		/* Editors on some systems start a UTF-8 file with a BOM. */
		if (lineno == 1 && strncmp(line, "\xef\xbb\xbf", 3) == 0) {
			memmove(line, line + 3, (size_t)len - 2);
			len -= 3;
		}
		memset(&jobs[n], 0, sizeof jobs[n]);
		int rc = parse_line(line, &jobs[n], err, sizeof err);
		if (rc > 0) {
			jobs[n++].line = lineno;
			continue;
		}
		if (rc == 0)
			continue;
bad_line:
		if (++bad <= BATCH_ERRORS_SHOWN)
			cli_say(stderr, "%s:%d: %s\n", name, lineno, err);
	}
	int read_error = ferror(f);
	free(line);
	if (read_error) {
		cli_error("cannot read %s: %s", name, strerror(errno));
		jobs_free(jobs, n);
		return EXIT_USAGE;
	}
	if (bad) {
		if (bad > BATCH_ERRORS_SHOWN)
			fprintf(stderr, "... and %zu more bad lines\n", bad - BATCH_ERRORS_SHOWN);
		cli_error("%zu invalid %s in %s: nothing was sent", bad,
			bad == 1 ? "line" : "lines", name);
		jobs_free(jobs, n);
		return EXIT_USAGE;
	}
	*out = jobs;
	*n_out = n;
	return 0;
}

int cmd_batch(const struct cli_opts *o, int argc, char **argv)
{
	if (argc != 2) {
		cli_error("usage: batch FILE|- (see: help batch)");
		return EXIT_USAGE;
	}
	bool from_stdin = strcmp(argv[1], "-") == 0;
	const char *name = from_stdin ? "<stdin>" : argv[1];
	FILE *f = from_stdin ? stdin : fopen(argv[1], "r");
	if (!f) {
		cli_error("cannot open %s: %s", name, strerror(errno));
		return EXIT_USAGE;
	}
	struct job *jobs = NULL;
	size_t n = 0;
	int rc = read_jobs(f, name, &jobs, &n);
	if (!from_stdin)
		fclose(f);
	if (rc != 0)
		return rc;
	if (n == 0) {
		cli_say(stderr, "no changes in %s\n", name);
		jobs_free(jobs, n);
		return EXIT_OK;
	}
	rc = run_command(o, jobs, n, true);
	jobs_free(jobs, n);
	return rc;
}
