/* testutil: small helpers shared by the Check suites (header-only).
 * sandbox_spawn() starts a real okaya-sandbox on a free loopback port. */
#ifndef OKAYA_TESTUTIL_H
#define OKAYA_TESTUTIL_H

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

struct sandbox {
	pid_t pid;
	char url[64];
};

/* The build directory (make check sets OKAYA_BUILD), for finding binaries. */
static inline const char *test_build_dir(void)
{
	const char *b = getenv("OKAYA_BUILD");
	return b && *b ? b : "build";
}

/* Starts okaya-sandbox --port 0 [args...] (NULL-terminated extra args) and
 * reads the URL from its first line. Returns 0 or -1. */
static inline int sandbox_spawn(struct sandbox *sb, const char *const *extra)
{
	int fds[2];
	if (pipe(fds) != 0)
		return -1;
	char bin[512];
	snprintf(bin, sizeof bin, "%s/okaya-sandbox", test_build_dir());
	const char *argv[32] = { bin, "--port", "0" };
	int argc = 3;
	for (; extra && *extra && argc < 30; extra++)
		argv[argc++] = *extra;
	argv[argc] = NULL;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		int devnull = open("/dev/null", 1);
		if (devnull >= 0)
			dup2(devnull, STDERR_FILENO);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	FILE *out = fdopen(fds[0], "r");
	char line[256] = "";
	if (!out || !fgets(line, sizeof line, out)) {
		if (out)
			fclose(out);
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		return -1;
	}
	/* Later output goes nowhere: keep reading so the sandbox never blocks. */
	if (fork() == 0) {
		char sink[4096];
		while (fread(sink, 1, sizeof sink, out) > 0)
			;
		_exit(0);
	}
	fclose(out);
	const char *u = strstr(line, "http://127.0.0.1:");
	if (!u) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		return -1;
	}
	size_t n = 7 + strcspn(u + 7, " \t\r\n/"); /* after "http://" */
	if (n >= sizeof sb->url)
		n = sizeof sb->url - 1;
	memcpy(sb->url, u, n);
	sb->url[n] = '\0';
	sb->pid = pid;
	return 0;
}

static inline void sandbox_kill(struct sandbox *sb)
{
	if (sb->pid > 0) {
		kill(sb->pid, SIGTERM);
		waitpid(sb->pid, NULL, 0);
		sb->pid = 0;
	}
}

/* Runs a suite (CK_FORK as set by the environment) and returns the exit code. */
static inline int test_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
