/* config_priv: what config.c (loading, recent list) and config_save.c share.
 * Not for front ends: they use config.h. */
#ifndef OKAYA_CONFIG_PRIV_H
#define OKAYA_CONFIG_PRIV_H

#include <libconfig.h>
#include "config.h"
#include "secret.h"

/* Values as they are in the file, kept apart from the effective ones in
 * struct config so that environment overrides are never written back. */
struct config_priv {
	config_t tree;                     /* the whole file, unknown settings too */
	char file_key[API_KEY_MAX + 1];    /* "" when the file has none */
	char *file_base_url;               /* NULL when the file has none */
};

static inline struct config_priv *config_priv(const struct config *c)
{
	return (struct config_priv *)c->priv;
}

/* Names of the two recent lists in the file, by kind. */
#define RECENT_GROUPS_NAME       "recent_groups"
#define RECENT_PARTICIPANTS_NAME "recent_participants"

/* "2026-12-03T12:00:00Z" <-> time_t (UTC). Parse returns 0 or -1. */
int config_time_parse(const char *text, time_t *out);
void config_time_format(time_t t, char *buf, size_t len);

#endif
