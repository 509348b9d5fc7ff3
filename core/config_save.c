/* config_save: puts struct config back into the tree it was loaded from
 * (so settings this version does not know are kept) and writes it
 * atomically, mode 0600 in a 0700 directory. */
#include "config_priv.h"
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* libconfig cannot keep comments, so the file says so at the top. */
static const char file_banner[] =
	"# okaya-privacy settings. Every setting is explained in config.example.cfg.\n"
	"# okaya-privacy rewrites this file when it saves: comments are not kept,\n"
	"# settings it does not know are.\n\n";

/* The member `name` of parent with type `type`, replacing one of another type. */
static config_setting_t *member(config_setting_t *parent, const char *name, int type)
{
	config_setting_t *s = config_setting_get_member(parent, name);
	if (s && config_setting_type(s) != type) {
		config_setting_remove(parent, name);
		s = NULL;
	}
	return s ? s : config_setting_add(parent, name, type);
}

static void drop(config_setting_t *parent, const char *name)
{
	if (config_setting_get_member(parent, name))
		config_setting_remove(parent, name);
}

static int put_string(config_setting_t *parent, const char *name, const char *v)
{
	config_setting_t *s = member(parent, name, CONFIG_TYPE_STRING);
	return s && config_setting_set_string(s, v) == CONFIG_TRUE ? 0 : -1;
}

/* Writes an integer setting when the file has it or it differs from the
 * default, so a file keeps only what someone chose. */
static int put_int(config_setting_t *parent, const char *name, long v, long dflt)
{
	if (v == dflt && !config_setting_get_member(parent, name))
		return 0;
	config_setting_t *s = member(parent, name, CONFIG_TYPE_INT);
	return s && config_setting_set_int(s, (int)v) == CONFIG_TRUE ? 0 : -1;
}

static int put_bool(config_setting_t *parent, const char *name, bool v, bool dflt)
{
	if (v == dflt && !config_setting_get_member(parent, name))
		return 0;
	config_setting_t *s = member(parent, name, CONFIG_TYPE_BOOL);
	return s && config_setting_set_bool(s, v) == CONFIG_TRUE ? 0 : -1;
}

/* Deep copy of src (any type) as a new child of parent. */
static int copy_setting(config_setting_t *parent, const config_setting_t *src)
{
	int type = config_setting_type(src);
	const char *name = config_setting_name(src);
	config_setting_t *dst = config_setting_add(parent, name, type);
	if (!dst)
		return -1;
	config_setting_set_format(dst, config_setting_get_format(src));
	switch (type) {
	case CONFIG_TYPE_INT:
		return config_setting_set_int(dst, config_setting_get_int(src)) ? 0 : -1;
	case CONFIG_TYPE_INT64:
		return config_setting_set_int64(dst, config_setting_get_int64(src)) ? 0 : -1;
	case CONFIG_TYPE_FLOAT:
		return config_setting_set_float(dst, config_setting_get_float(src)) ? 0 : -1;
	case CONFIG_TYPE_BOOL:
		return config_setting_set_bool(dst, config_setting_get_bool(src)) ? 0 : -1;
	case CONFIG_TYPE_STRING:
		return config_setting_set_string(dst, config_setting_get_string(src)) ? 0 : -1;
	case CONFIG_TYPE_GROUP:
	case CONFIG_TYPE_ARRAY:
	case CONFIG_TYPE_LIST:
		for (int i = 0; i < config_setting_length(src); i++)
			if (copy_setting(dst, config_setting_get_elem(src, (unsigned)i)) != 0)
				return -1;
		return 0;
	default:
		return -1;
	}
}

/* The id of an entry as read back: string, or an integer as its digits. */
static bool entry_has_id(const config_setting_t *e, const char *id)
{
	const config_setting_t *s = config_setting_get_member(e, "id");
	if (!s)
		return false;
	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		const char *v = config_setting_get_string(s);
		/* Loading trimmed blanks off the id; compare the same way. */
		while (*v == ' ' || *v == '\t')
			v++;
		size_t n = strlen(id);
		return strncmp(v, id, n) == 0 && v[n + strspn(v + n, " \t")] == '\0';
	}
	char digits[32];
	snprintf(digits, sizeof digits, "%lld", config_setting_get_int64(s));
	return strcmp(digits, id) == 0;
}

static bool known_field(const char *name)
{
	return name && (strcmp(name, "id") == 0 || strcmp(name, "level") == 0 ||
			strcmp(name, "sent") == 0 || strcmp(name, "label") == 0);
}

static int put_entry(config_setting_t *list, const struct recent *r,
		     const config_setting_t *old)
{
	config_setting_t *e = config_setting_add(list, NULL, CONFIG_TYPE_GROUP);
	if (!e || put_string(e, "id", r->id) != 0)
		return -1;
	if (r->has_level) {
		config_setting_t *a = config_setting_add(e, "level", CONFIG_TYPE_ARRAY);
		if (!a)
			return -1;
		for (int i = 0; i < FLAG_COUNT; i++)
			if ((r->level & flag_table[i].bit) &&
			    !config_setting_set_string_elem(a, -1, flag_table[i].wire))
				return -1;
	}
	if (r->when != 0) {
		char when[32];
		config_time_format(r->when, when, sizeof when);
		if (put_string(e, "sent", when) != 0)
			return -1;
	}
	if (r->label && put_string(e, "label", r->label) != 0)
		return -1;
	/* Fields a later version added to this entry come along unchanged. */
	for (int i = 0; old && i < config_setting_length(old); i++) {
		const config_setting_t *m = config_setting_get_elem(old, (unsigned)i);
		if (!known_field(config_setting_name(m)) && copy_setting(e, m) != 0)
			return -1;
	}
	return 0;
}

/* libconfig cannot move a setting, so the new entries are appended after the
 * old ones (which they may copy from) and the old ones are then removed. */
static int put_recent(config_setting_t *root, const char *name, const struct recent *list,
		      size_t n)
{
	config_setting_t *s = config_setting_get_member(root, name);
	if (!s && n == 0)
		return 0;
	s = member(root, name, CONFIG_TYPE_LIST);
	if (!s)
		return -1;
	int old = config_setting_length(s);
	for (size_t i = 0; i < n; i++) {
		const config_setting_t *prev = NULL;
		for (int j = 0; j < old && !prev; j++) {
			const config_setting_t *e = config_setting_get_elem(s, (unsigned)j);
			if (config_setting_type(e) == CONFIG_TYPE_GROUP && entry_has_id(e, list[i].id))
				prev = e;
		}
		if (put_entry(s, &list[i], prev) != 0)
			return -1;
	}
	for (int j = 0; j < old; j++)
		if (!config_setting_remove_elem(s, 0))
			return -1;
	return 0;
}

static int check_ranges(const struct config *c, char *err, size_t errlen)
{
	if (c->timeout_s < 1 || c->timeout_s > 3600 || c->connect_timeout_s < 1 ||
	    c->connect_timeout_s > 3600) {
		snprintf(err, errlen, "cannot save %s: timeouts must be between 1 and 3600 s",
			 c->path);
		return -1;
	}
	if (c->recent_max < 0 || c->recent_max > 1000) {
		snprintf(err, errlen, "cannot save %s: recent_max must be between 0 and 1000",
			 c->path);
		return -1;
	}
	return 0;
}

static int update_tree(struct config *c)
{
	struct config_priv *p = config_priv(c);
	config_setting_t *root = config_root_setting(&p->tree);

	if (p->file_key[0] ? put_string(root, "api_key", p->file_key) != 0
			   : (drop(root, "api_key"), 0))
		return -1;
	if (p->file_base_url ? put_string(root, "base_url", p->file_base_url) != 0
			     : (drop(root, "base_url"), 0))
		return -1;
	if (put_int(root, "timeout", c->timeout_s, DEFAULT_TIMEOUT_S) != 0 ||
	    put_int(root, "connect_timeout", c->connect_timeout_s, DEFAULT_CONNECT_S) != 0 ||
	    put_bool(root, "review", c->review, true) != 0 ||
	    put_int(root, "recent_max", c->recent_max, DEFAULT_RECENT_MAX) != 0)
		return -1;
	if (put_recent(root, RECENT_GROUPS_NAME, c->groups, c->n_groups) != 0 ||
	    put_recent(root, RECENT_PARTICIPANTS_NAME, c->participants, c->n_participants) != 0)
		return -1;
	return 0;
}

/* The whole file as text; malloc'd into *buf. */
static int serialize(struct config *c, char **buf, size_t *len)
{
	struct config_priv *p = config_priv(c);
	FILE *f = open_memstream(buf, len);
	if (!f)
		return -1;
	fputs(file_banner, f);
	config_write(&p->tree, f);
	int bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}

/* A symlinked config (dotfiles repositories) stays a symlink: write through it. */
static char *save_target(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		char *real = realpath(path, NULL);
		if (real)
			return real;
	}
	return strdup(path);
}

static char *dir_part(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	return strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* Takes the exclusive save lock: flock on the file's directory, so no lock
 * file is left lying about. Returns the descriptor, or -1 with errno. */
static int lock_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			int saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
	}
	return fd;
}

/* Under the lock: the file as it is now, this run's changes on top, then
 * one atomic write. Two runs saving at once both keep their entries, and
 * an edit made while we ran is not reverted. */
int config_save(struct config *c, char *err, size_t errlen)
{
	char msg[512];
	if (check_ranges(c, err, errlen) != 0)
		return -1;
	char *target = save_target(c->path);
	char *dir = target ? dir_part(target) : NULL;
	char *buf = NULL;
	size_t len = 0;
	int rc = -1, lock = -1;
	if (!target || !dir) {
		snprintf(err, errlen, "cannot save %s: out of memory", c->path);
		goto out;
	}
	if (dir_make_parents(dir, 0700, msg, sizeof msg) != 0) {
		snprintf(err, errlen, "cannot save %s: %s", c->path, msg);
		goto out;
	}
	/* A new file or a changed setting is worth a directory fsync; a set that
	 * only moved an ID up the recent list is not (it runs on every set). */
	bool durable = !c->exists || config_settings_changed(c);
	if ((lock = lock_dir(dir)) < 0) {
		snprintf(err, errlen, "cannot save %s: cannot lock %s: %s", c->path, dir,
			 strerror(errno));
		goto out;
	}
	if (config_merge_fresh(c, err, errlen) != 0)
		goto out;
	if (update_tree(c) != 0 || serialize(c, &buf, &len) != 0) {
		snprintf(err, errlen, "cannot save %s: out of memory", c->path);
		goto out;
	}
	if (atomic_file_write(target, buf, len, 0600, durable, msg, sizeof msg) != 0) {
		snprintf(err, errlen, "cannot save %s: %s", c->path, msg);
		goto out;
	}
	c->exists = true;
	config_journal_reset(c);
	rc = 0;
out:
	if (lock >= 0)
		close(lock);     /* releases the flock */
	if (buf) {           /* it holds the key in clear */
		memset(buf, 0, len);
		free(buf);
	}
	free(target);
	free(dir);
	return rc;
}
