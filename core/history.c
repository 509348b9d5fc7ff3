/* history: append-only JSON-lines audit log (see history.h for the format). */
#include <errno.h>
#include <fcntl.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <json-c/json.h>

#include "api.h"
#include "engine.h"
#include "history.h"
#include "url.h"
#include "xdg.h"

#define HISTORY_SUBPATH "okaya-privacy/history.jsonl"
/* Lines we write stay far below this; a longer one is damage. */
#define HISTORY_LINE_MAX (1 << 20)

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

char *history_default_path(void)
{
	return xdg_file_path("OKAYA_HISTORY", "XDG_STATE_HOME", ".local/state", HISTORY_SUBPATH);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A copy of url without "user:password@": credentials in a base URL must
 * not end up in an audit log that is kept for months. */
static char *url_without_userinfo(const char *url)
{
	if (!url)
		return NULL;
	size_t n;
	const char *user = url_userinfo(url, &n);
	if (!user)
		return strdup(url);
	char *out = malloc(strlen(url) + 1);
	if (!out)
		return NULL;
	size_t head = (size_t)(user - url);
	memcpy(out, url, head);
	strcpy(out + head, user + n + 1);   /* past the '@' */
	return out;
}

const char *history_outcome_text(const struct result *r, char *buf, size_t len)
{
	if (r->fail != FAIL_NONE && r->fail != FAIL_REDIRECT && r->sent) {
		/* Written, then no answer: the server may have acted on it. */
		snprintf(buf, len, "unknown: may have been applied (%s)",
			 r->fail_text ? r->fail_text : "no answer");
		return buf;
	}
	if (r->fail != FAIL_NONE)
		return r->fail_text ? r->fail_text : "no answer";
	if (r->error)
		return r->error;
	if (r->status >= 200 && r->status < 300) {
		if (result_confirmed(r))
			return NULL;
		char sum[512];
		snprintf(buf, len, "unconfirmed: %s", result_summary(r, sum, sizeof sum));
		return buf;
	}
	return result_summary(r, buf, len);
}

int history_entry_from_result(struct history_entry *e, const char *action,
			      const struct target *t, const struct result *r,
			      const char *base_url)
{
	memset(e, 0, sizeof *e);
	e->when = time(NULL);
	snprintf(e->action, sizeof e->action, "%s", action ? action : "");
	e->kind = t->kind;
	snprintf(e->id, sizeof e->id, "%s", t->id);
	e->status = r->status;
	e->elapsed_ms = r->elapsed_ms;
	char text[HISTORY_TEXT_MAX + 64];
	const char *error = history_outcome_text(r, text, sizeof text);
	e->message = dup_or_null(r->message);
	e->error = dup_or_null(error);
	e->base_url = url_without_userinfo(base_url);
	if ((r->message && !e->message) || (error && !e->error) ||
	    (base_url && !e->base_url)) {
		history_entry_clear(e);
		return -1;
	}
	return 0;
}

void history_entry_clear(struct history_entry *e)
{
	if (!e)
		return;
	free(e->message);
	free(e->error);
	free(e->base_url);
	memset(e, 0, sizeof *e);
}

void history_entries_free(struct history_entry *entries, size_t n)
{
	if (!entries)
		return;
	for (size_t i = 0; i < n; i++)
		history_entry_clear(&entries[i]);
	free(entries);
}

/* ---- writing ------------------------------------------------------------ */

/* Length of s cut to HISTORY_TEXT_MAX bytes without splitting a UTF-8
 * sequence. */
static size_t capped_len(const char *s)
{
	size_t n = strlen(s);
	if (n <= HISTORY_TEXT_MAX)
		return n;
	n = HISTORY_TEXT_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

static int add_string(struct json_object *o, const char *name, const char *s)
{
	struct json_object *v = json_object_new_string_len(s, (int)capped_len(s));
	if (!v)
		return -1;
	return json_object_object_add(o, name, v);
}

static int add_level(struct json_object *o, const char *name, level_t level)
{
	struct json_object *v = level_to_json(level);
	if (!v)
		return -1;
	return json_object_object_add(o, name, v);
}

/* Elapsed time as a number with one decimal. Built from integers so the
 * text never depends on the locale's decimal separator. */
static int add_elapsed(struct json_object *o, double ms)
{
	if (!(ms >= 0) || ms > 1e12)
		ms = 0;
	long long tenths = (long long)(ms * 10.0 + 0.5); /* ms >= 0: rounds */
	char text[32];
	snprintf(text, sizeof text, "%lld.%lld", tenths / 10, tenths % 10);
	struct json_object *v = json_object_new_double_s((double)tenths / 10.0, text);
	if (!v)
		return -1;
	return json_object_object_add(o, "elapsedMs", v);
}

static struct json_object *entry_to_json(const struct history_entry *e)
{
	struct json_object *o = json_object_new_object();
	if (!o)
		return NULL;
	char when[32];
	struct tm tm;
	if (!gmtime_r(&e->when, &tm) ||
	    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		goto fail;
	int rc = 0;
	rc |= add_string(o, "time", when);
	rc |= add_string(o, "action", e->action);
	rc |= add_string(o, "kind", target_kind_name(e->kind));
	rc |= add_string(o, "id", e->id);
	if (e->email_type[0]) {
		rc |= add_string(o, "emailType", e->email_type);
	} else {
		if (e->has_before) {
			rc |= add_level(o, "before", e->before);
			if (e->before_source[0])
				rc |= add_string(o, "beforeSource", e->before_source);
		} else
			rc |= json_object_object_add(o, "before", NULL);
		rc |= add_level(o, "after", e->after);
	}
	struct json_object *status = json_object_new_int64(e->status);
	rc |= status ? json_object_object_add(o, "status", status) : -1;
	if (e->message)
		rc |= add_string(o, "message", e->message);
	if (e->error)
		rc |= add_string(o, "error", e->error);
	rc |= add_elapsed(o, e->elapsed_ms);
	if (e->base_url)
		rc |= add_string(o, "baseUrl", e->base_url);
	if (rc != 0)
		goto fail;
	return o;
fail:
	json_object_put(o);
	return NULL;
}

/* Creates the missing directories above path, 0700 each: mkdir's mode is
 * cut by the umask, so chmod the ones made here. Existing ones are left. */
static int make_parents(const char *path, char *err, size_t errlen)
{
	char *dir = strdup(path);
	if (!dir) {
		set_err(err, errlen, "out of memory");
		return -1;
	}
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir) {
		free(dir);
		return 0;
	}
	*slash = '\0';
	for (char *p = dir + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(dir, 0700) == 0) {
			if (chmod(dir, 0700) != 0) {
				set_err(err, errlen, "cannot restrict %s: %s", dir, strerror(errno));
				free(dir);
				return -1;
			}
		} else if (errno != EEXIST) {
			set_err(err, errlen, "cannot create directory %s: %s", dir,
				strerror(errno));
			free(dir);
			return -1;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	free(dir);
	return 0;
}

static int entry_check(const struct history_entry *e, char *err, size_t errlen)
{
	if (!e->action[0] || memchr(e->action, '\0', sizeof e->action) == NULL) {
		set_err(err, errlen, "history entry has no action");
		return -1;
	}
	if (!e->id[0] || memchr(e->id, '\0', sizeof e->id) == NULL) {
		set_err(err, errlen, "history entry has no target ID");
		return -1;
	}
	if (e->before_source[0] && strcmp(e->before_source, HISTORY_BEFORE_SERVER) != 0 &&
	    strcmp(e->before_source, HISTORY_BEFORE_HERE) != 0) {
		set_err(err, errlen, "history entry has an unknown beforeSource");
		return -1;
	}
	if (memchr(e->email_type, '\0', sizeof e->email_type) == NULL) {
		set_err(err, errlen, "history entry has a malformed email type");
		return -1;
	}
	bool notify = strcmp(e->action, HISTORY_NOTIFY) == 0;
	if (notify != (e->email_type[0] != '\0')) {
		set_err(err, errlen, notify ? "notify history entry has no email type"
					    : "only notify history entries carry an email type");
		return -1;
	}
	return 0;
}

int history_append(const char *path, const struct history_entry *e,
		   char *err, size_t errlen)
{
	if (!path || !*path) {
		set_err(err, errlen, "no history file path");
		return -1;
	}
	if (entry_check(e, err, errlen) != 0)
		return -1;
	struct json_object *o = entry_to_json(e);
	if (!o) {
		set_err(err, errlen, "out of memory building a history line");
		return -1;
	}
	size_t jlen = 0;
	const char *json = json_object_to_json_string_length(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &jlen);
	/* Room for a leading newline (see below), the line and its newline. */
	char *line = json ? malloc(jlen + 2) : NULL;
	if (!line) {
		json_object_put(o);
		set_err(err, errlen, "out of memory building a history line");
		return -1;
	}
	memcpy(line + 1, json, jlen);
	line[jlen + 1] = '\n';
	json_object_put(o);

	/* Read access only for peeking at the last byte. The directories are
	 * made only when missing: a batch appends thousands of lines. */
	const int how = O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC;
	int fd = open(path, how, 0600);
	if (fd < 0 && errno == ENOENT) {
		if (make_parents(path, err, errlen) != 0) {
			free(line);
			return -1;
		}
		fd = open(path, how, 0600);
	}
	if (fd < 0) {
		set_err(err, errlen, "cannot open history %s: %s", path, strerror(errno));
		free(line);
		return -1;
	}
	struct stat st;
	/* A crash mid-write can leave a last line without its newline; start on
	 * a fresh line so ours stays readable. Writers take turns (flock): read
	 * while another write was landing, the size pointed into the middle of
	 * its line and the guard added a stray empty line. The lock is advisory
	 * and dropped when fd closes, even if we crash. */
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			set_err(err, errlen, "cannot lock history %s: %s", path,
				strerror(errno));
			goto fail;
		}
	}
	if (fstat(fd, &st) != 0) {
		set_err(err, errlen, "cannot stat history %s: %s", path, strerror(errno));
		goto fail;
	}
	/* open()'s mode is cut by the umask and an old file may be wider. */
	if (S_ISREG(st.st_mode) && (st.st_mode & 07777) != 0600 && fchmod(fd, 0600) != 0) {
		set_err(err, errlen, "cannot make history %s private: %s", path,
			strerror(errno));
		goto fail;
	}
	const char *start = line + 1;
	size_t len = jlen + 1;
	char last;
	if (S_ISREG(st.st_mode) && st.st_size > 0 &&
	    pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n') {
		line[0] = '\n';
		start = line;
		len++;
	}
	/* One write(2): O_APPEND places it whole at the end. Never continue a
	 * short write, since another writer may already have appended after it. */
	ssize_t w;
	do
		w = write(fd, start, len);
	while (w < 0 && errno == EINTR);
	if (w < 0) {
		set_err(err, errlen, "cannot write history %s: %s", path, strerror(errno));
		goto fail;
	}
	if ((size_t)w != len) {
		set_err(err, errlen, "short write to history %s (%zd of %zu bytes): disk full?",
			path, w, len);
		goto fail;
	}
	free(line);
	if (close(fd) != 0) {
		set_err(err, errlen, "cannot write history %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
fail:
	free(line);
	close(fd);
	return -1;
}

/* ---- reading ------------------------------------------------------------ */

/* "YYYY-MM-DDTHH:MM:SS[.fff]Z" to seconds since the epoch. */
static int parse_time(const char *s, time_t *out)
{
	int y, mo, d, h, mi, sec, used = 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6 ||
	    used != 19)
		return -1;
	const char *p = s + used;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (strcmp(p, "Z") != 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 ||
	    y < 1970)
		return -1;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
			 .tm_hour = h, .tm_min = mi, .tm_sec = sec };
	time_t t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	*out = t;
	return 0;
}

/* The string member `name`: NULL when absent or null; -1 when another type. */
static int get_string(struct json_object *o, const char *name, const char **out)
{
	struct json_object *v = NULL;
	*out = NULL;
	if (!json_object_object_get_ex(o, name, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	*out = json_object_get_string(v);
	return 0;
}

/* A required string that fits in size bytes with its NUL, non-empty. */
static int copy_required(struct json_object *o, const char *name, char *buf, size_t size)
{
	const char *s;
	if (get_string(o, name, &s) != 0 || !s || !*s || strlen(s) >= size)
		return -1;
	memcpy(buf, s, strlen(s) + 1);
	return 0;
}

static int copy_optional(struct json_object *o, const char *name, char **out)
{
	const char *s;
	if (get_string(o, name, &s) != 0)
		return -1;
	if (s && !(*out = strdup(s)))
		return -1;
	return 0;
}

/* Fills e from one parsed line; -1 (e cleared) when a member is missing or
 * of the wrong type. */
static int entry_from_json(struct json_object *o, struct history_entry *e)
{
	memset(e, 0, sizeof *e);
	if (!json_object_is_type(o, json_type_object))
		return -1;
	char buf[32], kind[16];
	struct json_object *v;
	if (copy_required(o, "time", buf, sizeof buf) != 0 || parse_time(buf, &e->when) != 0)
		goto bad;
	if (copy_required(o, "action", e->action, sizeof e->action) != 0)
		goto bad;
	if (copy_required(o, "kind", kind, sizeof kind) != 0)
		goto bad;
	if (strcmp(kind, target_kind_name(TARGET_GROUP)) == 0)
		e->kind = TARGET_GROUP;
	else if (strcmp(kind, target_kind_name(TARGET_PARTICIPANT)) == 0)
		e->kind = TARGET_PARTICIPANT;
	else
		goto bad;
	if (copy_required(o, "id", e->id, sizeof e->id) != 0)
		goto bad;
	if (!json_object_object_get_ex(o, "status", &v) || !json_object_is_type(v, json_type_int))
		goto bad;
	int64_t status = json_object_get_int64(v);
	if (status < 0 || status > 999)
		goto bad;
	e->status = (long)status;

	if (strcmp(e->action, HISTORY_NOTIFY) == 0) {
		if (copy_required(o, "emailType", e->email_type, sizeof e->email_type) != 0)
			goto bad;
	} else {
		char why[128];
		if (!json_object_object_get_ex(o, "after", &v) ||
		    level_from_json(v, &e->after, why, sizeof why) != 0)
			goto bad;
		if (json_object_object_get_ex(o, "before", &v) && v) {
			if (level_from_json(v, &e->before, why, sizeof why) != 0)
				goto bad;
			e->has_before = true;
			/* Optional (older lines lack it); an unknown word is dropped. */
			const char *src;
			if (get_string(o, "beforeSource", &src) == 0 && src &&
			    (strcmp(src, HISTORY_BEFORE_SERVER) == 0 ||
			     strcmp(src, HISTORY_BEFORE_HERE) == 0))
				snprintf(e->before_source, sizeof e->before_source, "%s", src);
		}
	}

	if (json_object_object_get_ex(o, "elapsedMs", &v) && v) {
		if (!json_object_is_type(v, json_type_double) &&
		    !json_object_is_type(v, json_type_int))
			goto bad;
		e->elapsed_ms = json_object_get_double(v);
	}
	if (copy_optional(o, "message", &e->message) != 0 ||
	    copy_optional(o, "error", &e->error) != 0 ||
	    copy_optional(o, "baseUrl", &e->base_url) != 0)
		goto bad;
	return 0;
bad:
	history_entry_clear(e);
	return -1;
}

static bool filter_pass(const struct history_filter *f, const struct history_entry *e)
{
	if (!f)
		return true;
	if (f->by_kind && e->kind != f->kind)
		return false;
	if (f->id && strcmp(f->id, e->id) != 0)
		return false;
	return true;
}

static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

/* Entries kept while streaming: with a limit, a ring of the newest `limit`
 * so memory stays bounded however long the file; else a growing array. */
struct keep {
	struct history_entry *items;
	size_t cap, count, total, limit;
};

static int keep_push(struct keep *k, struct history_entry *e)
{
	if (k->limit && k->count == k->limit) {
		struct history_entry *slot = &k->items[k->total % k->limit];
		history_entry_clear(slot);
		*slot = *e;
		k->total++;
		return 0;
	}
	if (k->count == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 64;
		if (k->limit && cap > k->limit)
			cap = k->limit;
		struct history_entry *items = realloc(k->items, cap * sizeof *items);
		if (!items)
			return -1;
		k->items = items;
		k->cap = cap;
	}
	k->items[k->count++] = *e;
	k->total++;
	return 0;
}

static void reverse(struct history_entry *a, size_t from, size_t to)
{
	while (from + 1 < to) {
		struct history_entry t = a[from];
		a[from++] = a[--to];
		a[to] = t;
	}
}

/* Puts the kept entries newest first, in place and in linear time. */
static void keep_newest_first(struct keep *k)
{
	/* Once the ring wrapped, the oldest kept entry sits at total % limit:
	 * the array is [newer run][older run], each in write order, so
	 * reversing each run in place gives newest first overall. */
	size_t oldest = (k->limit && k->total > k->limit) ? k->total % k->limit : 0;
	reverse(k->items, 0, oldest);
	reverse(k->items, oldest, k->count);
}

/* One raw line (no newline needed): parsed, filtered and kept, or counted
 * as corrupt. -1 only when memory runs out. */
static int take_line(const char *line, size_t len, struct json_tokener *tok,
		     const struct history_filter *f, struct keep *k, size_t *bad)
{
	if (blank(line, len))
		return 0;
	if (len > HISTORY_LINE_MAX || memchr(line, '\0', len)) {
		(*bad)++;
		return 0;
	}
	json_tokener_reset(tok);
	struct json_object *o = json_tokener_parse_ex(tok, line, (int)len);
	/* Anything after the object (two lines glued together) is damage. */
	size_t end = json_tokener_get_parse_end(tok);
	if (!o || !blank(line + end, len - end)) {
		json_object_put(o);
		(*bad)++;
		return 0;
	}
	struct history_entry e;
	int ok = entry_from_json(o, &e);
	json_object_put(o);
	if (ok != 0) {
		(*bad)++;
		return 0;
	}
	if (!filter_pass(f, &e)) {
		history_entry_clear(&e);
		return 0;
	}
	if (keep_push(k, &e) != 0) {
		history_entry_clear(&e);
		return -1;
	}
	return 0;
}

/* Streams the whole file in write order (k then holds the oldest first). */
static int read_forwards(int fd, struct json_tokener *tok, const struct history_filter *f,
			 struct keep *k, size_t *bad)
{
	FILE *fp = fdopen(fd, "r");
	if (!fp) {
		close(fd);
		return -1;
	}
	char *line = NULL;
	size_t linecap = 0;
	ssize_t len;
	int rc = 0;
	while (rc == 0 && (len = getline(&line, &linecap, fp)) >= 0)
		rc = take_line(line, (size_t)len, tok, f, k, bad) != 0 ? -2 : 0;
	if (rc == 0 && ferror(fp))
		rc = -1;
	free(line);
	fclose(fp);
	return rc;
}

#define BACK_BLOCK (64 * 1024)

/* With a limit: reads blocks from the end, newest line first, and stops
 * once k holds f->limit entries, so `history --limit 10` does not read a
 * year of lines. k then holds the newest first. A line longer than
 * HISTORY_LINE_MAX is counted corrupt once and skipped. */
static int read_backwards(int fd, off_t size, struct json_tokener *tok,
			  const struct history_filter *f, struct keep *k, size_t *bad)
{
	char *carry = NULL;     /* the start of a line whose end we have seen... */
	size_t carry_len = 0;   /* ...i.e. the bytes after the last newline so far */
	bool skipping = false;  /* inside an over-long line */
	off_t pos = size;
	int rc = 0;
	while (rc == 0 && pos > 0 && k->count < k->limit) {
		size_t blk = pos > BACK_BLOCK ? BACK_BLOCK : (size_t)pos;
		pos -= (off_t)blk;
		char *buf = malloc(blk + carry_len);
		if (!buf) {
			rc = -2;
			break;
		}
		size_t got = 0;
		while (got < blk) {
			ssize_t r = pread(fd, buf + got, blk - got, pos + (off_t)got);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		if (got != blk) {
			free(buf);
			rc = -1;
			break;
		}
		if (carry_len)
			memcpy(buf + blk, carry, carry_len);
		free(carry);
		carry = NULL;
		size_t len = blk + carry_len, end = len;
		carry_len = 0;
		for (size_t i = len; i > 0 && rc == 0 && k->count < k->limit; i--) {
			if (buf[i - 1] != '\n')
				continue;
			if (skipping)
				skipping = false; /* the rest of the long line: dropped */
			else
				rc = take_line(buf + i, end - i, tok, f, k, bad) != 0 ? -2 : 0;
			end = i - 1;
		}
		if (rc == 0 && k->count < k->limit) {
			if (pos == 0 && !skipping) {
				rc = take_line(buf, end, tok, f, k, bad) != 0 ? -2 : 0;
			} else if (!skipping && end > HISTORY_LINE_MAX) {
				(*bad)++;
				skipping = true;
			} else if (!skipping && end > 0) {
				carry = malloc(end);
				if (!carry)
					rc = -2;
				else
					memcpy(carry, buf, carry_len = end);
			}
		}
		free(buf);
	}
	free(carry);
	return rc;
}

int history_read(const char *path, const struct history_filter *f,
		 struct history_entry **out, size_t *n, size_t *corrupt,
		 char *err, size_t errlen)
{
	*out = NULL;
	*n = 0;
	if (corrupt)
		*corrupt = 0;
	if (!path || !*path) {
		set_err(err, errlen, "no history file path");
		return -1;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		set_err(err, errlen, "cannot open history %s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		set_err(err, errlen, "cannot read history %s: %s", path,
			S_ISDIR(st.st_mode) ? "it is a directory" : strerror(errno));
		close(fd);
		return -1;
	}
	struct json_tokener *tok = json_tokener_new();
	if (!tok) {
		close(fd);
		set_err(err, errlen, "out of memory reading history");
		return -1;
	}
	struct keep k = { .limit = f ? f->limit : 0 };
	size_t bad = 0;
	/* Backwards needs a seekable file; a pipe is streamed. */
	bool back = k.limit > 0 && S_ISREG(st.st_mode);
	int rc;
	if (back) {
		/* No ring: entries arrive newest first and stop at the limit. */
		rc = read_backwards(fd, st.st_size, tok, f, &k, &bad);
		close(fd);
	} else {
		rc = read_forwards(fd, tok, f, &k, &bad);
	}
	int saved = errno;
	json_tokener_free(tok);
	if (rc != 0) {
		if (rc == -2)
			set_err(err, errlen, "out of memory reading history");
		else
			set_err(err, errlen, "cannot read history %s: %s", path, strerror(saved));
		history_entries_free(k.items, k.count);
		return -1;
	}
	if (!back)
		keep_newest_first(&k);
	if (k.count == 0) {
		free(k.items);
		k.items = NULL;
	}
	*out = k.items;
	*n = k.count;
	if (corrupt)
		*corrupt = bad;
	return 0;
}
