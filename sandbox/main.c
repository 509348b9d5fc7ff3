/* okaya-sandbox: a local stand-in for the Okaya API, for demos and tests.
 *
 * Options, fixture lookup, start, wait for SIGINT/SIGTERM, clean stop. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "faults.h"
#include "reqlog.h"
#include "server.h"
#include "state.h"

#ifndef OKAYA_VERSION
#define OKAYA_VERSION "dev"
#endif

struct options {
	unsigned port;
	const char *bind;
	const char *fixture;
	struct faults_cfg faults;
};

static void usage(FILE *to)
{
	fputs("usage: okaya-sandbox [options]\n"
	      "A local HTTP server that answers like the Okaya Privacy API.\n\n"
	      "  --port N          listen on port N (default 8080; 0 = any free port)\n"
	      "  --bind ADDR       listen address (default 127.0.0.1)\n"
	      "  --fixture PATH    seed data (default: sandbox/fixtures/demo.json)\n"
	      "  --delay-ms N      answer every request N ms late\n"
	      "  --rate-limit N    more than N requests in a second: 429, Retry-After: 1\n"
	      "  --fail-rate P     answer a fraction P (0..1) of requests 500 with HTML\n"
	      "  --seed S          seed for --fail-rate (same seed, same failures)\n"
	      "  --html            answer every request 502 with an HTML page\n"
	      "  --redirect URL    answer every request 302 to URL\n"
	      "  --malformed       answer every request 200 with cut-off JSON\n"
	      "  --help, --version\n\n"
	      "Test-only endpoints (no key): GET /_sandbox/state, GET /_sandbox/requests,\n"
	      "POST /_sandbox/reset.\n", to);
}

static int parse_uint(const char *opt, const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v > max || s[0] == '-') {
		fprintf(stderr, "okaya-sandbox: %s wants a whole number up to %lu, not '%s'\n",
			opt, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	enum { O_PORT = 256, O_BIND, O_FIXTURE, O_DELAY, O_RATE, O_FAIL, O_SEED, O_HTML,
	       O_REDIRECT, O_MALFORMED, O_HELP, O_VERSION };
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, O_PORT },
		{ "bind", required_argument, NULL, O_BIND },
		{ "fixture", required_argument, NULL, O_FIXTURE },
		{ "delay-ms", required_argument, NULL, O_DELAY },
		{ "rate-limit", required_argument, NULL, O_RATE },
		{ "fail-rate", required_argument, NULL, O_FAIL },
		{ "seed", required_argument, NULL, O_SEED },
		{ "html", no_argument, NULL, O_HTML },
		{ "redirect", required_argument, NULL, O_REDIRECT },
		{ "malformed", no_argument, NULL, O_MALFORMED },
		{ "help", no_argument, NULL, O_HELP },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	unsigned long v;
	char *end;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case O_PORT:
			if (parse_uint("--port", optarg, 65535, &v) != 0)
				return -1;
			o->port = (unsigned)v;
			break;
		case O_BIND: o->bind = optarg; break;
		case O_FIXTURE: o->fixture = optarg; break;
		case O_DELAY:
			if (parse_uint("--delay-ms", optarg, 600000, &v) != 0)
				return -1;
			o->faults.delay_ms = (unsigned)v;
			break;
		case O_RATE:
			if (parse_uint("--rate-limit", optarg, 1000000, &v) != 0)
				return -1;
			o->faults.rate_limit = (unsigned)v;
			break;
		case O_FAIL:
			errno = 0;
			o->faults.fail_rate = strtod(optarg, &end);
			if (!*optarg || *end || errno || !(o->faults.fail_rate >= 0 && o->faults.fail_rate <= 1)) {
				fprintf(stderr, "okaya-sandbox: --fail-rate wants a number from 0 to 1, not '%s'\n",
					optarg);
				return -1;
			}
			break;
		case O_SEED:
			if (parse_uint("--seed", optarg, ULONG_MAX, &v) != 0)
				return -1;
			o->faults.seed = v;
			break;
		case O_HTML: o->faults.html = true; break;
		case O_REDIRECT: o->faults.redirect = optarg; break;
		case O_MALFORMED: o->faults.malformed = true; break;
		case O_HELP: usage(stdout); exit(0);
		case O_VERSION: puts("okaya-sandbox " OKAYA_VERSION); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "okaya-sandbox: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

/* No --fixture: next to the binary in the source tree (build/../sandbox/
 * fixtures), then an installed copy (bin/../share/okaya-privacy), then the
 * current directory. Returns a malloc'd path. */
static char *fixture_default(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		const char *dir = dirname(exe);
		const char *rel[] = { "../sandbox/fixtures/demo.json", "../share/okaya-privacy/demo.json" };
		for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
			char cand[PATH_MAX + 64];
			snprintf(cand, sizeof cand, "%s/%s", dir, rel[i]);
			if (access(cand, R_OK) == 0)
				return strdup(cand);
		}
	}
	return strdup("sandbox/fixtures/demo.json");
}

int main(int argc, char **argv)
{
	struct options o = { .port = 8080, .bind = "127.0.0.1" };
	if (parse_args(argc, argv, &o) != 0)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);

	char *fixture = o.fixture ? strdup(o.fixture) : fixture_default();
	char err[512];
	struct state *st = fixture ? state_load(fixture, err, sizeof err) : NULL;
	free(fixture);
	if (!st) {
		fprintf(stderr, "okaya-sandbox: %s\n", fixture ? err : "out of memory");
		return 1;
	}
	struct faults faults;
	if (faults_init(&faults, &o.faults) != 0) {
		fprintf(stderr, "okaya-sandbox: out of memory\n");
		state_free(st);
		return 1;
	}
	struct reqlog log;
	reqlog_init(&log, stdout);

	/* Block the stop signals before MHD starts its threads, so they inherit
	 * the mask and only sigwait() below ever sees them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	int rc = 0;
	struct server *sv = server_start(o.bind, o.port, st, &faults, &log, err, sizeof err);
	if (!sv) {
		fprintf(stderr, "okaya-sandbox: %s\n", err);
		rc = 1;
	} else {
		bool v6 = strchr(o.bind, ':') != NULL;  /* an IPv6 literal goes in [] */
		printf("okaya-sandbox listening on http://%s%s%s:%u\n", v6 ? "[" : "", o.bind,
		       v6 ? "]" : "", server_port(sv));
		fflush(stdout);
		int sig;
		sigwait(&stop, &sig);
		server_stop(sv);
	}
	reqlog_destroy(&log);
	faults_destroy(&faults);
	state_free(st);
	return rc;
}
