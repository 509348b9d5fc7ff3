/* config_priv: what config.c (loading, recent list) and config_save.c share.
 * Not for front ends: they use config.h. */
#ifndef OKAYA_CONFIG_PRIV_H
#define OKAYA_CONFIG_PRIV_H

#include <libconfig.h>
#include "config.h"
#include "secret.h"

/* One change this run made to the recent lists, kept until it is saved so
 * that config_save can replay it onto the file as it is by then. */
enum journal_op { JOURNAL_TOUCH, JOURNAL_FORGET, JOURNAL_LABEL };
struct journal_entry {
	enum journal_op op;
	enum target_kind kind;
	char id[PARTICIPANT_ID_MAX + 1];
	level_t level;      /* TOUCH */
	time_t when;        /* TOUCH */
	char *label;        /* LABEL: malloc'd, or NULL to clear */
};

/* Values as they are in the file, kept apart from the effective ones in
 * struct config so that environment overrides are never written back. */
struct config_priv {
	config_t tree;                     /* the whole file, unknown settings too */
	char file_key[API_KEY_MAX + 1];    /* "" when the file has none */
	char *file_base_url;               /* NULL when the file has none */

	/* What this run changed since the last load or save. */
	bool key_set, base_url_set;        /* through the setters */
	long loaded_timeout_s, loaded_connect_timeout_s; /* as read: a field that */
	bool loaded_review;                /* differs was assigned by this run */
	int loaded_recent_max;
	struct journal_entry *journal;
	size_t n_journal;
};

/* Remembers the current settings as the saved ones and empties the journal
 * (after a load or a successful save). */
void config_journal_reset(struct config *c);

/* Re-reads c->path as it is now, replays this run's changes onto it and
 * makes that c's state (pointers into c's recent lists become invalid).
 * Called with the save lock held. 0, or -1 with a message (the file no
 * longer reads: it must not be overwritten). */
int config_merge_fresh(struct config *c, char *err, size_t errlen);

static inline struct config_priv *config_priv(const struct config *c)
{
	return (struct config_priv *)c->priv;
}

/* Whether this run changed a setting (key, URL, timeouts...), not only the
 * recent lists: such a save must survive a power cut, a recent list need not. */
bool config_settings_changed(const struct config *c);

/* Names of the two recent lists in the file, by kind. */
#define RECENT_GROUPS_NAME       "recent_groups"
#define RECENT_PARTICIPANTS_NAME "recent_participants"

/* "2026-12-03T12:00:00Z" <-> time_t (UTC). Parse returns 0 or -1. */
int config_time_parse(const char *text, time_t *out);
void config_time_format(time_t t, char *buf, size_t len);

#endif
