/* config: where the file is, reading it into struct config, the recent lists. */
#include "config_priv.h"
#include "xdg.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_SUBPATH "okaya-privacy/config.cfg"
#define TIMEOUT_MAX_S  3600
#define RECENT_MAX_MAX 1000

char *config_default_path(void)
{
	return xdg_file_path("OKAYA_CONFIG", "XDG_CONFIG_HOME", ".config", CONFIG_SUBPATH);
}

/* ---- time ------------------------------------------------------------- */

int config_time_parse(const char *text, time_t *out)
{
	int y, mo, d, h, mi, s, end = 0;
	if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &s, &end) != 6 ||
	    end == 0 || text[end] != '\0')
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 ||
	    h < 0 || mi < 0 || s < 0)
		return -1;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
			 .tm_hour = h, .tm_min = mi, .tm_sec = s };
	time_t t = timegm(&tm);
	if (t == (time_t)-1 || tm.tm_mday != d)   /* 2026-02-31 normalises: refuse */
		return -1;
	*out = t;
	return 0;
}

void config_time_format(time_t t, char *buf, size_t len)
{
	struct tm tm;
	if (len == 0)
		return;
	if (!gmtime_r(&t, &tm) || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		buf[0] = '\0';
}

/* ---- validation shared by the file, the environment and the setters ---- */

/* A base URL: http(s)://host..., no blanks or control characters. Trailing
 * slashes are dropped so paths join cleanly. Returns a malloc'd copy or NULL. */
static char *base_url_clean(const char *raw, char *err, size_t errlen)
{
	while (*raw == ' ' || *raw == '\t')
		raw++;
	size_t n = strlen(raw);
	while (n > 0 && (raw[n - 1] == ' ' || raw[n - 1] == '\t' || raw[n - 1] == '\n' ||
			 raw[n - 1] == '\r'))
		n--;
	while (n > 0 && raw[n - 1] == '/')
		n--;
	size_t scheme = strncasecmp(raw, "https://", 8) == 0 ? 8
		      : strncasecmp(raw, "http://", 7) == 0 ? 7 : 0;
	if (scheme == 0) {
		snprintf(err, errlen, "the base URL must start with https:// or http://");
		return NULL;
	}
	if (n <= scheme) {
		snprintf(err, errlen, "the base URL has no host after %.*s", (int)scheme, raw);
		return NULL;
	}
	if (n > 2048) {
		snprintf(err, errlen, "the base URL is longer than 2048 characters");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)raw[i];
		if (ch <= ' ' || ch == 0x7f) {
			snprintf(err, errlen, "the base URL contains a blank or control character");
			return NULL;
		}
	}
	char *url = strndup(raw, n);
	if (!url)
		snprintf(err, errlen, "out of memory");
	return url;
}

/* Keys that are empty or only blanks mean "no key", not an error. */
static bool blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

/* ---- reading the tree ------------------------------------------------- */

struct reader {
	struct config *c;
	char *err;
	size_t errlen;
	const char *text;     /* the file as read, for int_literal(); NULL if none */
};

static const char *type_name(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP:  return "a group { ... }";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:  return "a number";
	case CONFIG_TYPE_FLOAT:  return "a decimal number";
	case CONFIG_TYPE_STRING: return "a string";
	case CONFIG_TYPE_BOOL:   return "true/false";
	case CONFIG_TYPE_ARRAY:  return "an array [ ... ]";
	case CONFIG_TYPE_LIST:   return "a list ( ... )";
	default:                 return "something else";
	}
}

/* "PATH:LINE: " + the formatted message. Always returns -1. */
static int fail_at(struct reader *r, const config_setting_t *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_at(struct reader *r, const config_setting_t *s, const char *fmt, ...)
{
	int n = snprintf(r->err, r->errlen, "%s:%u: ", r->c->path,
			 (unsigned)config_setting_source_line(s));
	if (n < 0 || (size_t)n >= r->errlen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int wrong_type(struct reader *r, const config_setting_t *s, const char *name,
		      const char *want)
{
	return fail_at(r, s, "%s must be %s, not %s", name, want, type_name(s));
}

/* libconfig 1.5 keeps only the low 32 bits of an integer written without
 * an L suffix (1710748366424 reads as 1351382616) and clamps larger ones
 * with it. A silently changed group ID would name another group, so every
 * integer we use is parsed again from the file text. */
static const char *line_at(const char *text, unsigned line)
{
	for (unsigned n = 1; text && n < line; n++) {
		text = strchr(text, '\n');
		if (text)
			text++;
	}
	return text;
}

static bool ident_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '-' || ch == '*';
}

/* Parses the literal at p as libconfig would (decimal, or 0x hex), in full.
 * Returns 0, or -1 when it does not fit 64 bits. */
static int literal_parse(const char *p, long long *out)
{
	bool neg = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	errno = 0;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		unsigned long long u = strtoull(p + 2, NULL, 16);
		if (errno == ERANGE || u > (unsigned long long)LLONG_MAX)
			return -1;
		*out = neg ? -(long long)u : (long long)u;
		return 0;
	}
	unsigned long long u = strtoull(p, NULL, 10);
	if (errno == ERANGE || u > (unsigned long long)LLONG_MAX + (neg ? 1u : 0u))
		return -1;
	*out = neg ? (long long)(0 - u) : (long long)u;
	return 0;
}

static int int_literal(struct reader *r, const config_setting_t *s, const char *name,
		       long long *out)
{
	long long lib = config_setting_get_int64(s);
	bool is64 = config_setting_type(s) == CONFIG_TYPE_INT64;
	const char *line = line_at(r->text, config_setting_source_line(s));
	const char *end = line ? line + strcspn(line, "\n") : NULL;
	size_t nlen = strlen(name);
	for (const char *p = line; p && p < end; p++) {
		if (strncmp(p, name, nlen) != 0 || (p > line && ident_char(p[-1])) ||
		    ident_char(p[nlen]))
			continue;
		const char *v = p + nlen + strspn(p + nlen, " \t\r\n");
		if (*v != '=' && *v != ':')
			continue;
		v++;
		v += strspn(v, " \t\r\n");
		long long full;
		bool fits = literal_parse(v, &full) == 0;
		if (!fits)
			full = lib;                  /* what libconfig made of it */
		/* Several settings may share a line: take the one libconfig read. */
		if (is64 ? full != lib : (int)(unsigned)(unsigned long long)full != (int)lib)
			continue;
		if (!fits)
			return fail_at(r, s, "%s is too large a number", name);
		*out = full;
		return 0;
	}
	return fail_at(r, s, "cannot find the value of %s; write it as %s = VALUE; on one line",
		       name, name);
}

static int read_long(struct reader *r, const config_setting_t *root, const char *name,
		     long lo, long hi, long *out)
{
	const config_setting_t *s = config_setting_get_member(root, name);
	if (!s)
		return 0;
	int t = config_setting_type(s);
	if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
		return wrong_type(r, s, name, "a whole number");
	long long v;
	if (int_literal(r, s, name, &v) != 0)
		return -1;
	if (v < lo || v > hi)
		return fail_at(r, s, "%s must be between %ld and %ld, not %lld", name, lo, hi, v);
	*out = (long)v;
	return 0;
}

static int read_string(struct reader *r, const config_setting_t *root, const char *name,
		       const char **out)
{
	const config_setting_t *s = config_setting_get_member(root, name);
	if (!s)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return wrong_type(r, s, name, "a string in double quotes");
	*out = config_setting_get_string(s);
	return 0;
}

/* The id of a recent entry: a string, or (written by hand) an integer read as
 * 64 bits and turned into its decimal string. */
static int read_recent_id(struct reader *r, const config_setting_t *e, const char *list,
			  enum target_kind kind, char *id, size_t idlen)
{
	const config_setting_t *s = config_setting_get_member(e, "id");
	if (!s)
		return fail_at(r, e, "an entry of %s has no id", list);
	char msg[256];
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_STRING: {
		const char *v = config_setting_get_string(s);
		struct target t;
		if (target_set(&t, kind, v, msg, sizeof msg) != 0)
			return fail_at(r, s, "%s: %s", list, msg);
		snprintf(id, idlen, "%s", t.id);
		return 0;
	}
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64: {
		long long v;
		if (int_literal(r, s, "id", &v) != 0)
			return -1;
		if (v < 0)
			return fail_at(r, s, "%s: id %lld is negative", list, v);
		char digits[32];
		snprintf(digits, sizeof digits, "%lld", v);
		struct target t;
		if (target_set(&t, kind, digits, msg, sizeof msg) != 0)
			return fail_at(r, s, "%s: %s", list, msg);
		snprintf(id, idlen, "%s", t.id);
		return 0;
	}
	default:
		return wrong_type(r, s, "id", "a string in double quotes");
	}
}

static int read_recent_level(struct reader *r, const config_setting_t *e, struct recent *out)
{
	const config_setting_t *s = config_setting_get_member(e, "level");
	if (!s)
		return 0;
	int t = config_setting_type(s);
	if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
		return wrong_type(r, s, "level", "an array of flags like [\"mhci\"]");
	level_t level = LEVEL_NONE;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *f = config_setting_get_elem(s, (unsigned)i);
		if (config_setting_type(f) != CONFIG_TYPE_STRING)
			return wrong_type(r, f, "each flag in level", "a string");
		const char *name = config_setting_get_string(f);
		const struct flag_info *fi = flag_find(name);
		if (!fi) {
			char msg[256];
			level_t ignored;
			/* level_parse words the error: the bad name and the valid ones. */
			if (level_parse(name, &ignored, msg, sizeof msg) == 0)
				snprintf(msg, sizeof msg, "unknown flag '%s'", name);
			return fail_at(r, f, "level: %s", msg);
		}
		level |= fi->bit;
	}
	out->level = level;
	out->has_level = true;
	return 0;
}

/* Labels are shown on the terminal: printable text of sane length only. */
#define LABEL_MAX 200
static bool label_ok(const char *label)
{
	if (strlen(label) > LABEL_MAX)
		return false;
	for (const unsigned char *p = (const unsigned char *)label; *p; p++)
		if (*p < ' ' || *p == 0x7f)
			return false;
	return true;
}

static int read_recent_entry(struct reader *r, const config_setting_t *e, const char *list,
			     enum target_kind kind, struct recent *out)
{
	memset(out, 0, sizeof *out);
	out->kind = kind;
	if (config_setting_type(e) != CONFIG_TYPE_GROUP)
		return wrong_type(r, e, "each entry of recent lists",
				  "a group { id = \"...\"; level = [...]; }");
	if (read_recent_id(r, e, list, kind, out->id, sizeof out->id) != 0 ||
	    read_recent_level(r, e, out) != 0)
		return -1;
	const char *sent = NULL, *label = NULL;
	if (read_string(r, e, "sent", &sent) != 0 || read_string(r, e, "label", &label) != 0)
		return -1;
	if (sent && *sent && config_time_parse(sent, &out->when) != 0)
		return fail_at(r, config_setting_get_member(e, "sent"),
			       "sent must be a UTC time like \"2026-12-03T12:00:00Z\", not \"%s\"",
			       sent);
	if (label && !label_ok(label))
		return fail_at(r, config_setting_get_member(e, "label"),
			       "label must be at most %d characters with no control characters",
			       LABEL_MAX);
	if (label && *label) {
		out->label = strdup(label);
		if (!out->label)
			return fail_at(r, e, "out of memory");
	}
	return 0;
}

static bool recent_has(const struct recent *list, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].id, id) == 0)
			return true;
	return false;
}

static int read_recent_list(struct reader *r, const config_setting_t *root,
			    enum target_kind kind)
{
	struct config *c = r->c;
	const char *name = kind == TARGET_GROUP ? RECENT_GROUPS_NAME : RECENT_PARTICIPANTS_NAME;
	struct recent **list = kind == TARGET_GROUP ? &c->groups : &c->participants;
	size_t *n = kind == TARGET_GROUP ? &c->n_groups : &c->n_participants;

	const config_setting_t *s = config_setting_get_member(root, name);
	if (!s)
		return 0;
	int t = config_setting_type(s);
	if (t == CONFIG_TYPE_ARRAY && config_setting_length(s) == 0)
		return 0;                    /* "[]" written by hand: empty too */
	if (t != CONFIG_TYPE_LIST)
		return wrong_type(r, s, name, "a list ( { id = \"...\"; }, ... )");
	int len = config_setting_length(s);
	*list = calloc(len > 0 ? (size_t)len : 1, sizeof **list);
	if (!*list)
		return fail_at(r, s, "out of memory");
	for (int i = 0; i < len; i++) {
		struct recent e;
		if (read_recent_entry(r, config_setting_get_elem(s, (unsigned)i), name, kind,
				      &e) != 0)
			return -1;
		/* Most recent first: a later duplicate or one past the cap is older. */
		if (recent_has(*list, *n, e.id) || *n >= (size_t)c->recent_max) {
			free(e.label);
			continue;
		}
		(*list)[(*n)++] = e;
	}
	return 0;
}

static int read_tree(struct reader *r)
{
	struct config *c = r->c;
	struct config_priv *p = config_priv(c);
	const config_setting_t *root = config_root_setting(&p->tree);
	const char *key = NULL, *url = NULL;
	long v;

	if (read_string(r, root, "api_key", &key) != 0 ||
	    read_string(r, root, "base_url", &url) != 0)
		return -1;
	if (key && !blank(key)) {
		char msg[256];
		if (api_key_clean(key, p->file_key, sizeof p->file_key, msg, sizeof msg) != 0)
			return fail_at(r, config_setting_get_member(root, "api_key"),
				       "api_key: %s", msg);
	}
	if (url && *url) {
		char msg[256];
		p->file_base_url = base_url_clean(url, msg, sizeof msg);
		if (!p->file_base_url)
			return fail_at(r, config_setting_get_member(root, "base_url"),
				       "base_url: %s", msg);
	}

	v = c->timeout_s;
	if (read_long(r, root, "timeout", 1, TIMEOUT_MAX_S, &v) != 0)
		return -1;
	c->timeout_s = v;
	v = c->connect_timeout_s;
	if (read_long(r, root, "connect_timeout", 1, TIMEOUT_MAX_S, &v) != 0)
		return -1;
	c->connect_timeout_s = v;
	v = c->recent_max;
	if (read_long(r, root, "recent_max", 0, RECENT_MAX_MAX, &v) != 0)
		return -1;
	c->recent_max = (int)v;

	const config_setting_t *s = config_setting_get_member(root, "review");
	if (s) {
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			return wrong_type(r, s, "review", "true or false");
		c->review = config_setting_get_bool(s) != 0;
	}
	if (read_recent_list(r, root, TARGET_GROUP) != 0 ||
	    read_recent_list(r, root, TARGET_PARTICIPANT) != 0)
		return -1;
	return 0;
}

/* Effective values: environment over file over defaults. */
static int apply_effective(struct config *c, char *err, size_t errlen)
{
	struct config_priv *p = config_priv(c);
	char msg[256];

	snprintf(c->api_key, sizeof c->api_key, "%s", p->file_key);
	c->key_from = p->file_key[0] ? KEY_FILE : KEY_NONE;
	const char *env = getenv("OKAYA_API_KEY");
	if (env && !blank(env)) {
		if (api_key_clean(env, c->api_key, sizeof c->api_key, msg, sizeof msg) != 0) {
			snprintf(err, errlen, "OKAYA_API_KEY: %s", msg);
			return -1;
		}
		c->key_from = KEY_ENV;
	}

	free(c->base_url);
	c->base_url = NULL;
	c->base_url_from_env = false;
	env = getenv("OKAYA_BASE_URL");
	if (env && *env) {
		c->base_url = base_url_clean(env, msg, sizeof msg);
		if (!c->base_url) {
			snprintf(err, errlen, "OKAYA_BASE_URL: %s", msg);
			return -1;
		}
		c->base_url_from_env = true;
	} else {
		c->base_url = strdup(p->file_base_url ? p->file_base_url : DEFAULT_BASE_URL);
		if (!c->base_url) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* The whole file as a string into *text (malloc'd). 0, or -1 with errno. */
static int slurp(FILE *f, char **text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return -1;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (fwrite(chunk, 1, n, m) != n)
			break;
	int bad = ferror(f) ? errno : ferror(m) ? ENOMEM : 0;
	if (fclose(m) != 0 && !bad)
		bad = ENOMEM;
	if (bad) {
		free(buf);
		errno = bad;
		return -1;
	}
	if (strlen(buf) != len) {        /* a NUL inside: not a text file */
		free(buf);
		errno = EILSEQ;
		return -1;
	}
	*text = buf;
	return 0;
}

/* Reads the file into the tree and its text into *text; a missing file
 * leaves both empty. */
static int read_file(struct config *c, char **text, char *err, size_t errlen)
{
	struct config_priv *p = config_priv(c);
	FILE *f = fopen(c->path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot read %s: %s", c->path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "cannot read %s: not a regular file", c->path);
		fclose(f);
		return -1;
	}
	int rc = slurp(f, text);
	int saved = errno;
	fclose(f);
	if (rc != 0) {
		snprintf(err, errlen, "cannot read %s: %s", c->path,
			 saved == EILSEQ ? "it contains a NUL byte" : strerror(saved));
		return -1;
	}
	c->exists = true;
	if (config_read_string(&p->tree, *text) != CONFIG_TRUE) {
		snprintf(err, errlen, "%s:%d: %s", c->path, config_error_line(&p->tree),
			 config_error_text(&p->tree));
		return -1;
	}
	return 0;
}

struct config *config_load(const char *path, char *err, size_t errlen)
{
	struct config *c = calloc(1, sizeof *c);
	struct config_priv *p = calloc(1, sizeof *p);
	if (!c || !p) {
		free(c);
		free(p);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->priv = p;
	config_init(&p->tree);
	/* Written files use "name = value" throughout, like the example file;
	 * no autoconvert, so a wrong type is reported, not guessed at. */
	config_set_options(&p->tree, CONFIG_OPTION_SEMICOLON_SEPARATORS |
				     CONFIG_OPTION_OPEN_BRACE_ON_SEPARATE_LINE);
	c->timeout_s = DEFAULT_TIMEOUT_S;
	c->connect_timeout_s = DEFAULT_CONNECT_S;
	c->review = true;
	c->recent_max = DEFAULT_RECENT_MAX;

	c->path = path ? strdup(path) : config_default_path();
	if (!c->path) {
		snprintf(err, errlen, path ? "out of memory"
			 : "cannot find the config file: set HOME or OKAYA_CONFIG");
		config_free(c);
		return NULL;
	}
	char *text = NULL;
	struct reader r = { c, err, errlen, NULL };
	int rc = read_file(c, &text, err, errlen);
	r.text = text;
	if (rc == 0)
		rc = read_tree(&r);
	if (text) {                      /* it may hold the key */
		memset(text, 0, strlen(text));
		free(text);
	}
	if (rc != 0 || apply_effective(c, err, errlen) != 0) {
		config_free(c);
		return NULL;
	}
	config_journal_reset(c);
	return c;
}

static void recent_list_free(struct recent *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].label);
	free(list);
}

void config_free(struct config *c)
{
	if (!c)
		return;
	struct config_priv *p = config_priv(c);
	if (p) {
		config_journal_reset(c);
		config_destroy(&p->tree);
		free(p->file_base_url);
		/* The key does not linger in freed memory. */
		memset(p->file_key, 0, sizeof p->file_key);
		free(p);
	}
	memset(c->api_key, 0, sizeof c->api_key);
	recent_list_free(c->groups, c->n_groups);
	recent_list_free(c->participants, c->n_participants);
	free(c->base_url);
	free(c->path);
	free(c);
}

/* ---- setters ---------------------------------------------------------- */

int config_set_api_key(struct config *c, const char *raw, char *err, size_t errlen)
{
	struct config_priv *p = config_priv(c);
	char key[API_KEY_MAX + 1] = "";
	if (raw && !blank(raw) && api_key_clean(raw, key, sizeof key, err, errlen) != 0)
		return -1;
	memcpy(p->file_key, key, sizeof key);
	memset(key, 0, sizeof key);
	p->key_set = true;
	if (c->key_from != KEY_ENV) {
		snprintf(c->api_key, sizeof c->api_key, "%s", p->file_key);
		c->key_from = p->file_key[0] ? KEY_FILE : KEY_NONE;
	}
	return 0;
}

int config_set_base_url(struct config *c, const char *url, char *err, size_t errlen)
{
	struct config_priv *p = config_priv(c);
	char *clean = NULL;
	if (url && !blank(url)) {
		clean = base_url_clean(url, err, errlen);
		if (!clean)
			return -1;
	}
	if (!c->base_url_from_env) {
		char *eff = strdup(clean ? clean : DEFAULT_BASE_URL);
		if (!eff) {
			free(clean);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		free(c->base_url);
		c->base_url = eff;
	}
	free(p->file_base_url);
	p->file_base_url = clean;
	p->base_url_set = true;
	return 0;
}

/* ---- permissions ------------------------------------------------------ */

/* Quotes path for a shell when it holds anything but plainly safe bytes. */
static void shell_quote(const char *s, char *buf, size_t len)
{
	if (s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		       "0123456789/._-+,:@%")] == '\0') {
		snprintf(buf, len, "%s", s);
		return;
	}
	size_t o = 0;
	if (len < 3) {
		if (len)
			buf[0] = '\0';
		return;
	}
	buf[o++] = '\'';
	for (; *s && o + 6 < len; s++) {
		if (*s == '\'') {
			memcpy(buf + o, "'\\''", 4);
			o += 4;
		} else {
			buf[o++] = *s;
		}
	}
	buf[o++] = '\'';
	buf[o] = '\0';
}

int config_permission_warning(const struct config *c, char *buf, size_t len)
{
	struct stat st;
	if (!c || !c->path || stat(c->path, &st) != 0 || (st.st_mode & 077) == 0)
		return 0;
	char quoted[4096];
	shell_quote(c->path, quoted, sizeof quoted);
	snprintf(buf, len,
		 "%s can be read by %s (mode %04o) and may hold your API key; fix it with: chmod 600 %s",
		 c->path, (st.st_mode & 007) ? "other users" : "your group",
		 (unsigned)(st.st_mode & 07777), quoted);
	return 1;
}

/* ---- journal ----------------------------------------------------------- */

void config_journal_reset(struct config *c)
{
	struct config_priv *p = config_priv(c);
	for (size_t i = 0; i < p->n_journal; i++)
		free(p->journal[i].label);
	free(p->journal);
	p->journal = NULL;
	p->n_journal = 0;
	p->key_set = p->base_url_set = false;
	p->loaded_timeout_s = c->timeout_s;
	p->loaded_connect_timeout_s = c->connect_timeout_s;
	p->loaded_review = c->review;
	p->loaded_recent_max = c->recent_max;
}

static void journal_drop(struct config_priv *p, size_t i)
{
	free(p->journal[i].label);
	memmove(&p->journal[i], &p->journal[i + 1], (p->n_journal - i - 1) * sizeof *p->journal);
	p->n_journal--;
}

/* A batch touches thousands of targets: keep the journal as small as what
 * a replay can use. A newer touch of a target replaces its older one, and
 * touches beyond the newest recent_max of a kind would fall off the list
 * anyway, so the oldest is dropped. */
static void journal_compact_touches(struct config *c, enum target_kind kind, const char *id)
{
	struct config_priv *p = config_priv(c);
	size_t touches = 0, oldest = 0;
	for (size_t i = p->n_journal; i-- > 0;) {
		struct journal_entry *j = &p->journal[i];
		if (j->op != JOURNAL_TOUCH || j->kind != kind)
			continue;
		if (strcmp(j->id, id) == 0) {
			journal_drop(p, i);
			continue;
		}
		touches++;
		oldest = i;
	}
	if (c->recent_max > 0 && touches >= (size_t)c->recent_max)
		journal_drop(p, oldest);
}

/* Appends a change; label is copied. -1 when out of memory. */
static int journal_add(struct config *c, enum journal_op op, enum target_kind kind,
		       const char *id, level_t level, time_t when, const char *label)
{
	struct config_priv *p = config_priv(c);
	if (op == JOURNAL_TOUCH)
		journal_compact_touches(c, kind, id);
	struct journal_entry *j = realloc(p->journal, (p->n_journal + 1) * sizeof *j);
	if (!j)
		return -1;
	p->journal = j;
	j = &j[p->n_journal];
	memset(j, 0, sizeof *j);
	if (label && *label && !(j->label = strdup(label)))
		return -1;
	j->op = op;
	j->kind = kind;
	snprintf(j->id, sizeof j->id, "%s", id);
	j->level = level;
	j->when = when;
	p->n_journal++;
	return 0;
}

/* ---- recent targets --------------------------------------------------- */

static struct recent **recent_list(struct config *c, enum target_kind kind, size_t **n)
{
	*n = kind == TARGET_GROUP ? &c->n_groups : &c->n_participants;
	return kind == TARGET_GROUP ? &c->groups : &c->participants;
}

static long recent_index(const struct recent *list, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].id, id) == 0)
			return (long)i;
	return -1;
}

const struct recent *config_recent_find(const struct config *c, enum target_kind kind,
					const char *id)
{
	const struct recent *list = kind == TARGET_GROUP ? c->groups : c->participants;
	size_t n = kind == TARGET_GROUP ? c->n_groups : c->n_participants;
	long i = id ? recent_index(list, n, id) : -1;
	return i < 0 ? NULL : &list[i];
}

int config_recent_touch(struct config *c, enum target_kind kind, const char *id,
			level_t level, time_t when)
{
	size_t *n;
	struct recent **list = recent_list(c, kind, &n);
	struct target t;
	char msg[256];
	if (!id || target_set(&t, kind, id, msg, sizeof msg) != 0)
		return -1;
	size_t cap = c->recent_max > 0 ? (size_t)c->recent_max : 0;

	/* Room for one more first, so a failed allocation changes nothing. */
	struct recent *grown = realloc(*list, (*n + 1) * sizeof **list);
	if (!grown)
		return -1;
	*list = grown;
	if (journal_add(c, JOURNAL_TOUCH, kind, t.id, level, when, NULL) != 0)
		return -1;

	struct recent entry;
	long at = recent_index(grown, *n, t.id);
	if (at >= 0) {
		entry = grown[at];           /* keeps its label */
		memmove(&grown[at], &grown[at + 1], (*n - (size_t)at - 1) * sizeof *grown);
		(*n)--;
	} else {
		memset(&entry, 0, sizeof entry);
		entry.kind = kind;
		snprintf(entry.id, sizeof entry.id, "%s", t.id);
	}
	entry.level = level & LEVEL_ALL;
	entry.has_level = true;
	entry.when = when;

	/* Drop the oldest beyond the cap (recent_max may have shrunk). */
	while (*n > 0 && *n + 1 > cap) {
		free(grown[*n - 1].label);
		(*n)--;
	}
	if (cap == 0) {
		free(entry.label);
		return 0;
	}
	memmove(&grown[1], &grown[0], *n * sizeof *grown);
	grown[0] = entry;
	(*n)++;
	return 0;
}

int config_recent_forget(struct config *c, enum target_kind kind, const char *id)
{
	size_t *n;
	struct recent **list = recent_list(c, kind, &n);
	long at = id ? recent_index(*list, *n, id) : -1;
	if (at < 0 || journal_add(c, JOURNAL_FORGET, kind, id, 0, 0, NULL) != 0)
		return -1;
	free((*list)[at].label);
	memmove(&(*list)[at], &(*list)[at + 1], (*n - (size_t)at - 1) * sizeof **list);
	(*n)--;
	return 0;
}

int config_recent_set_label(struct config *c, enum target_kind kind, const char *id,
			    const char *label)
{
	size_t *n;
	struct recent **list = recent_list(c, kind, &n);
	long at = id ? recent_index(*list, *n, id) : -1;
	if (at < 0)
		return -1;
	char *copy = NULL;
	if (label && !label_ok(label))
		return -1;
	if (label && *label) {
		copy = strdup(label);
		if (!copy)
			return -1;
	}
	if (journal_add(c, JOURNAL_LABEL, kind, id, 0, 0, copy) != 0) {
		free(copy);
		return -1;
	}
	free((*list)[at].label);
	(*list)[at].label = copy;
	return 0;
}
