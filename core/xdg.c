/* xdg: the one place that turns XDG variables and HOME into file paths. */
#include "xdg.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *join3(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 3;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s%s%s", a, b, *b ? "/" : "", c);
	return p;
}

char *xdg_file_path(const char *override, const char *xdg_var, const char *home_dir,
		    const char *subpath)
{
	const char *v = override ? getenv(override) : NULL;
	if (v && *v)
		return strdup(v);
	v = getenv(xdg_var);
	if (v && v[0] == '/')
		return join3(v, "", subpath);
	const char *home = getenv("HOME");
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : NULL;
	}
	if (!home || !*home)
		return NULL;
	return join3(home, home_dir, subpath);
}
