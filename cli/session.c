/* session: the config, the key and the engine a command runs with.
 *
 * Key precedence: --api-key-file, then OKAYA_API_KEY, then the config file.
 * A key from --api-key-file is used for this run only and never saved.
 * Every answered request goes to the audit history (history.h). */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "history.h"
#include "secret.h"

static int apply_key_file(struct session *s, const char *path)
{
	char err[512];
	bool loose;
	if (api_key_read_file(path, s->api_key, sizeof s->api_key, &loose, err, sizeof err) != 0) {
		cli_error("%s", err);
		return EXIT_USAGE;
	}
	if (loose)
		cli_error("warning: the key file %s is readable by other "
			"users; fix it with: chmod 600 %s", path, path);
	return 0;
}

int session_open(struct session *s, const struct cli_opts *o, bool need_key)
{
	char err[512];
	memset(s, 0, sizeof *s);
	s->config = config_load(o->config_path, err, sizeof err);
	if (!s->config) {
		cli_error("%s", err);
		return EXIT_USAGE;
	}
	char warn[512];
	if (config_permission_warning(s->config, warn, sizeof warn))
		cli_error("warning: %s", warn);
	s->base_url = o->base_url ? o->base_url : s->config->base_url;
	if (!s->base_url || !*s->base_url)
		s->base_url = DEFAULT_BASE_URL;
	/* Checked here too, not only by the engine: --dry-run and --curl
	 * print requests to this URL without making one. */
	if ((need_key || o->dry_run || o->curl) &&
	    engine_base_url_check(s->base_url, err, sizeof err) != 0) {
		cli_error("%s", err);
		session_close(s);
		return EXIT_USAGE;
	}
	/* The key stays here, apart from the config: it is never saved. */
	if (o->api_key_file)
		snprintf(s->key_source, sizeof s->key_source, "--api-key-file %s", o->api_key_file);
	else if (s->config->key_from == KEY_ENV)
		snprintf(s->key_source, sizeof s->key_source, "OKAYA_API_KEY");
	else
		snprintf(s->key_source, sizeof s->key_source, "the config file %s",
			 s->config->path ? s->config->path : "");
	if (o->api_key_file) {
		int rc = apply_key_file(s, o->api_key_file);
		if (rc != 0) {
			session_close(s);
			return rc;
		}
	} else {
		snprintf(s->api_key, sizeof s->api_key, "%s", s->config->api_key);
	}
	s->history_path = history_default_path();
	if (need_key && s->api_key[0] == '\0') {
		cli_say(stderr,
			"okaya-privacy: no API key configured. Put one in %s as\n"
			"    api_key = \"...\";\n"
			"(chmod 600 that file), or export OKAYA_API_KEY, or pass --api-key-file PATH.\n",
			s->config->path ? s->config->path : "the config file");
		session_close(s);
		return EXIT_UNAUTHORISED;
	}
	return 0;
}

void session_explain_401(const struct session *s)
{
	char masked[32];
	api_key_mask(s->api_key, masked, sizeof masked);
	cli_error("the server refused the key %s from %s: check it there", masked,
		  s->key_source);
}

void session_close(struct session *s)
{
	explicit_bzero(s->api_key, sizeof s->api_key);
	config_free(s->config);
	s->config = NULL;
	free(s->history_path);
	s->history_path = NULL;
}

struct engine *session_engine(const struct session *s, const struct cli_opts *o)
{
	struct engine_opts eo = {
		.base_url = s->base_url,
		.api_key = s->api_key[0] ? s->api_key : NULL,
		.connect_timeout_s = s->config->connect_timeout_s,
		.timeout_s = o->timeout_s ? o->timeout_s : s->config->timeout_s,
		.max_connections = o->jobs,
	};
	char err[512];
	struct engine *e = engine_new(&eo, err, sizeof err);
	if (!e)
		cli_error("%s", err);
	return e;
}

void session_save(struct session *s)
{
	char err[512];
	if (config_save(s->config, err, sizeof err) != 0)
		cli_error("warning: the change was made, but the recent "
			"list could not be saved: %s", err);
}

void session_record(struct session *s, const struct target *t, level_t level,
		    const struct result *r)
{
	if (!s->history_path || s->history_warned)
		return;
	struct history_entry h;
	char err[512];
	int rc = history_entry_from_result(&h, HISTORY_SET, t, r, s->base_url);
	if (rc == 0) {
		h.after = level;
		/* The CLI reads no level first: the last one sent from here
		 * (what the recent list kept) is the best "before" it has. */
		const struct recent *last = config_recent_find(s->config, t->kind, t->id);
		if (last && last->has_level) {
			h.has_before = true;
			h.before = last->level;
			snprintf(h.before_source, sizeof h.before_source, "%s",
				 HISTORY_BEFORE_HERE);
		}
		rc = history_append(s->history_path, &h, err, sizeof err);
		history_entry_clear(&h);
	} else {
		snprintf(err, sizeof err, "out of memory");
	}
	if (rc != 0) {
		cli_error("warning: the history could not be written "
			"(%s); the changes are still sent", err);
		s->history_warned = true;
	}
}
