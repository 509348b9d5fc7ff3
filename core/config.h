/* config: settings and recent targets in a libconfig file.
 *
 * Path: $OKAYA_CONFIG, else $XDG_CONFIG_HOME/okaya-privacy/config.cfg, else
 * ~/.config/okaya-privacy/config.cfg. OKAYA_API_KEY and OKAYA_BASE_URL
 * override the file for this run and are never written back. Saving is
 * atomic (temp file, fsync, rename), mode 0600 in a 0700 directory, and keeps
 * settings this version does not know. A malformed file is never overwritten. */
#ifndef OKAYA_CONFIG_H
#define OKAYA_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "flags.h"
#include "target.h"

#define DEFAULT_BASE_URL    "https://api.okaya.me"
#define DEFAULT_TIMEOUT_S   30
#define DEFAULT_CONNECT_S   10
#define DEFAULT_RECENT_MAX  20

struct recent {
	enum target_kind kind;
	char id[PARTICIPANT_ID_MAX + 1];
	char *label;       /* or NULL */
	level_t level;     /* last level sent from this machine */
	bool has_level;
	time_t when;       /* when it was sent; 0 if never */
};

enum key_source { KEY_NONE, KEY_FILE, KEY_ENV };

/* Front ends may assign timeout_s, connect_timeout_s, review and recent_max
 * directly (config_save checks their ranges); the key and the base URL change
 * only through config_set_api_key / config_set_base_url, which keep the file
 * value apart from an environment override. */
struct config {
	char *path;                /* the file in use */
	bool exists;               /* the file was there when loaded */

	/* Effective values (environment over file over defaults). */
	char api_key[512 + 1];     /* cleaned; "" when none */
	enum key_source key_from;
	char *base_url;
	bool base_url_from_env;
	long timeout_s;
	long connect_timeout_s;
	bool review;               /* review before sending (TUI) */
	int recent_max;

	/* Recent targets, most recent first; one list per kind. */
	struct recent *groups;
	size_t n_groups;
	struct recent *participants;
	size_t n_participants;

	void *priv;                /* the libconfig tree: keeps unknown settings */
};

/* Path to use: $OKAYA_CONFIG, XDG, or ~/.config. malloc'd; caller frees. */
char *config_default_path(void);

/* Loads path (NULL: config_default_path()). A missing file is not an error:
 * defaults apply and exists = false. Returns NULL with a message (file, line,
 * what is wrong) when the file cannot be read or parsed. */
struct config *config_load(const char *path, char *err, size_t errlen);
void config_free(struct config *c);

/* Writes the file atomically. On failure the old file is byte-identical and
 * err says why. Environment overrides are not written.
 * Under an exclusive lock (flock on the file's directory) it re-reads the
 * file as it is now and replays onto it only what this run changed: recent
 * touches, forgets and labels, the key and base URL set through the
 * setters, and the plain fields that differ from what was read. So two runs
 * saving at once keep each other's entries and an edit made meanwhile (a
 * rotated key) survives. c then holds that merged state: pointers into its
 * recent lists taken before the call are invalid after it. A file that no
 * longer loads is left alone and the save fails. */
int config_save(struct config *c, char *err, size_t errlen);

/* Sets the key to store in the file (cleaned with api_key_clean). An
 * environment key still wins for this run. */
int config_set_api_key(struct config *c, const char *raw, char *err, size_t errlen);
int config_set_base_url(struct config *c, const char *url, char *err, size_t errlen);

/* When the file is readable by group or others: a warning with the chmod
 * command that fixes it, into buf; returns 1. Otherwise 0. */
int config_permission_warning(const struct config *c, char *buf, size_t len);

/* Moves (kind, id) to the top of its recent list with this level and time,
 * keeping any label; drops the oldest beyond recent_max. */
int config_recent_touch(struct config *c, enum target_kind kind, const char *id,
			level_t level, time_t when);
/* Removes it; 0 if removed, -1 if it was not there. */
int config_recent_forget(struct config *c, enum target_kind kind, const char *id);
/* Sets or clears (label NULL or "") the label. */
int config_recent_set_label(struct config *c, enum target_kind kind, const char *id,
			    const char *label);
/* The entry, or NULL. */
const struct recent *config_recent_find(const struct config *c, enum target_kind kind,
					const char *id);

#endif
