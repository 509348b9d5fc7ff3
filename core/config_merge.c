/* config_merge: before a save, take the file as it is now (another run or
 * an editor may have changed it since we loaded it) and replay onto it only
 * what this run changed, so nobody's recent entries or edits are lost. */
#include "config_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool config_settings_changed(const struct config *c)
{
	const struct config_priv *p = config_priv(c);
	return p->key_set || p->base_url_set || c->timeout_s != p->loaded_timeout_s ||
	       c->connect_timeout_s != p->loaded_connect_timeout_s ||
	       c->review != p->loaded_review || c->recent_max != p->loaded_recent_max;
}

/* Replays c's journal and changed settings onto f. */
static int replay(const struct config *c, struct config *f, char *err, size_t errlen)
{
	const struct config_priv *p = config_priv(c);
	char msg[256];
	if (p->key_set && config_set_api_key(f, p->file_key, msg, sizeof msg) != 0)
		goto fail;
	if (p->base_url_set && config_set_base_url(f, p->file_base_url, msg, sizeof msg) != 0)
		goto fail;
	/* Plain fields front ends assign: ours when they differ from what we read. */
	if (c->timeout_s != p->loaded_timeout_s)
		f->timeout_s = c->timeout_s;
	if (c->connect_timeout_s != p->loaded_connect_timeout_s)
		f->connect_timeout_s = c->connect_timeout_s;
	if (c->review != p->loaded_review)
		f->review = c->review;
	if (c->recent_max != p->loaded_recent_max)
		f->recent_max = c->recent_max;
	for (size_t i = 0; i < p->n_journal; i++) {
		const struct journal_entry *j = &p->journal[i];
		switch (j->op) {
		case JOURNAL_TOUCH:
			if (config_recent_touch(f, j->kind, j->id, j->level, j->when) != 0) {
				snprintf(msg, sizeof msg, "out of memory");
				goto fail;
			}
			break;
		case JOURNAL_FORGET:   /* already gone from the file: fine */
			config_recent_forget(f, j->kind, j->id);
			break;
		case JOURNAL_LABEL:    /* the entry may be gone: nothing to label */
			config_recent_set_label(f, j->kind, j->id, j->label);
			break;
		}
	}
	return 0;
fail:
	snprintf(err, errlen, "cannot save %s: %s", c->path, msg);
	return -1;
}

int config_merge_fresh(struct config *c, char *err, size_t errlen)
{
	char msg[512];
	struct config *f = config_load(c->path, msg, sizeof msg);
	if (!f) {
		snprintf(err, errlen, "cannot save %s: it changed since it was read and now "
			 "fails to load, so it was left as it is: %s", c->path, msg);
		return -1;
	}
	if (replay(c, f, err, errlen) != 0) {
		config_free(f);
		return -1;
	}
	/* f becomes c (its journal now holds the replayed changes, kept until
	 * the write succeeds); c's old state goes with f. The path stays. */
	struct config old = *c;
	*c = *f;
	*f = old;
	f->path = c->path;
	c->path = old.path;
	config_free(f);
	return 0;
}
