/* Unit tests for core/config: defaults, round trips, environment overrides,
 * int64 IDs, recent lists, unknown settings, modes, malformed files and
 * failed saves (RLIMIT_FSIZE makes a disk-full without root). */
/* nftw() is an XSI function. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <libconfig.h>
#include <pwd.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "config.h"
#include "config_priv.h"
#include "testutil.h"

static char dir[256];
static char path[512];
static char err[1024];

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	chmod(p, 0700);                       /* tests make some dirs read-only */
	return remove(p);
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/okaya-config-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/config.cfg", dir);
	unsetenv("OKAYA_API_KEY");
	unsetenv("OKAYA_BASE_URL");
	unsetenv("OKAYA_CONFIG");
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", dir, 1);
	err[0] = '\0';
}

static void teardown(void)
{
	chmod(dir, 0700);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void write_text(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* The whole file, malloc'd; NULL when missing. */
static char *read_text(const char *p)
{
	FILE *f = fopen(p, "r");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int ch;
	while ((ch = fgetc(f)) != EOF)
		fputc(ch, m);
	fclose(m);
	fclose(f);
	return buf;
}

static struct config *load_ok(void)
{
	struct config *c = config_load(path, err, sizeof err);
	ck_assert_msg(c != NULL, "config_load failed: %s", err);
	return c;
}

static int entries_in(const char *d)
{
	DIR *dp = opendir(d);
	ck_assert_ptr_nonnull(dp);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dp)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(dp);
	return n;
}

START_TEST(defaults_when_missing)
{
	struct config *c = load_ok();
	ck_assert(!c->exists);
	ck_assert_str_eq(c->path, path);
	ck_assert_str_eq(c->api_key, "");
	ck_assert_int_eq(c->key_from, KEY_NONE);
	ck_assert_str_eq(c->base_url, DEFAULT_BASE_URL);
	ck_assert(!c->base_url_from_env);
	ck_assert_int_eq(c->timeout_s, DEFAULT_TIMEOUT_S);
	ck_assert_int_eq(c->connect_timeout_s, DEFAULT_CONNECT_S);
	ck_assert(c->review);
	ck_assert_int_eq(c->recent_max, DEFAULT_RECENT_MAX);
	ck_assert_uint_eq(c->n_groups, 0);
	ck_assert_uint_eq(c->n_participants, 0);
	ck_assert_ptr_null(config_recent_find(c, TARGET_GROUP, "1"));
	ck_assert_int_eq(config_permission_warning(c, err, sizeof err), 0);
	config_free(c);
	/* Loading alone never creates anything. */
	ck_assert_int_eq(entries_in(dir), 0);
}
END_TEST

START_TEST(default_path_order)
{
	char want[600], *p;
	setenv("OKAYA_CONFIG", "/somewhere/my.cfg", 1);
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	p = config_default_path();
	ck_assert_str_eq(p, "/somewhere/my.cfg");
	free(p);
	unsetenv("OKAYA_CONFIG");
	p = config_default_path();
	ck_assert_str_eq(p, "/xdg/okaya-privacy/config.cfg");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative", 1);   /* invalid per the XDG spec */
	p = config_default_path();
	snprintf(want, sizeof want, "%s/.config/okaya-privacy/config.cfg", dir);
	ck_assert_str_eq(p, want);
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	p = config_default_path();
	ck_assert_str_eq(p, want);
	free(p);
	/* NULL path uses the default. */
	setenv("OKAYA_CONFIG", path, 1);
	struct config *c = config_load(NULL, err, sizeof err);
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_str_eq(c->path, path);
	config_free(c);
}
END_TEST

START_TEST(round_trip_every_field)
{
	struct config *c = load_ok();
	ck_assert_int_eq(config_set_api_key(c, "  abcd-1234-secret-key \n", err, sizeof err), 0);
	ck_assert_str_eq(c->api_key, "abcd-1234-secret-key");
	ck_assert_int_eq(c->key_from, KEY_FILE);
	ck_assert_int_eq(config_set_base_url(c, "http://127.0.0.1:8080/", err, sizeof err), 0);
	ck_assert_str_eq(c->base_url, "http://127.0.0.1:8080");
	c->timeout_s = 45;
	c->connect_timeout_s = 5;
	c->review = false;
	c->recent_max = 7;
	ck_assert_int_eq(config_recent_touch(c, TARGET_GROUP, "1710748366424",
					     FLAG_MHCI | FLAG_TRANSCRIPT, 1796299200), 0);
	ck_assert_int_eq(config_recent_set_label(c, TARGET_GROUP, "1710748366424",
						 "Pilot \"cohort\" é"), 0);
	ck_assert_int_eq(config_recent_touch(c, TARGET_GROUP, "123456", LEVEL_NONE, 0), 0);
	ck_assert_int_eq(config_recent_touch(c, TARGET_PARTICIPANT, "ok_a b/é?#%",
					     LEVEL_ALL, 1796299260), 0);
	ck_assert_int_eq(config_save(c, err, sizeof err), 0);
	config_free(c);

	char *text = read_text(path);
	ck_assert_ptr_nonnull(strstr(text, "id = \"1710748366424\""));
	ck_assert_ptr_nonnull(strstr(text, "\"2026-12-03T12:00:00Z\""));
	ck_assert_ptr_nonnull(strstr(text, "\"groupPerecntiles\""));
	free(text);

	c = load_ok();
	ck_assert(c->exists);
	ck_assert_str_eq(c->api_key, "abcd-1234-secret-key");
	ck_assert_int_eq(c->key_from, KEY_FILE);
	ck_assert_str_eq(c->base_url, "http://127.0.0.1:8080");
	ck_assert_int_eq(c->timeout_s, 45);
	ck_assert_int_eq(c->connect_timeout_s, 5);
	ck_assert(!c->review);
	ck_assert_int_eq(c->recent_max, 7);
	ck_assert_uint_eq(c->n_groups, 2);
	/* Most recent first. */
	ck_assert_str_eq(c->groups[0].id, "123456");
	ck_assert(c->groups[0].has_level);
	ck_assert_uint_eq(c->groups[0].level, LEVEL_NONE);
	ck_assert_int_eq(c->groups[0].when, 0);
	ck_assert_ptr_null(c->groups[0].label);
	ck_assert_str_eq(c->groups[1].id, "1710748366424");
	ck_assert_uint_eq(c->groups[1].level, FLAG_MHCI | FLAG_TRANSCRIPT);
	ck_assert_int_eq(c->groups[1].when, 1796299200);
	ck_assert_str_eq(c->groups[1].label, "Pilot \"cohort\" é");
	ck_assert_int_eq(c->groups[1].kind, TARGET_GROUP);
	ck_assert_uint_eq(c->n_participants, 1);
	ck_assert_str_eq(c->participants[0].id, "ok_a b/é?#%");
	ck_assert_int_eq(c->participants[0].kind, TARGET_PARTICIPANT);
	ck_assert_uint_eq(c->participants[0].level, LEVEL_ALL);
	ck_assert_int_eq(c->participants[0].when, 1796299260);

	/* Clearing the key and base URL removes them from the file. */
	ck_assert_int_eq(config_set_api_key(c, "", err, sizeof err), 0);
	ck_assert_int_eq(config_set_base_url(c, NULL, err, sizeof err), 0);
	ck_assert_str_eq(c->base_url, DEFAULT_BASE_URL);
	ck_assert_int_eq(c->key_from, KEY_NONE);
	ck_assert_int_eq(config_save(c, err, sizeof err), 0);
	config_free(c);
	text = read_text(path);
	ck_assert_ptr_null(strstr(text, "api_key"));
	ck_assert_ptr_null(strstr(text, "base_url"));
	ck_assert_ptr_null(strstr(text, "secret"));
	free(text);
}
END_TEST

START_TEST(env_overrides_not_written)
{
	write_text(path, "api_key = \"file-key-1234\";\nbase_url = \"http://file.example\";\n");
	setenv("OKAYA_API_KEY", "  env-key-5678\n", 1);
	setenv("OKAYA_BASE_URL", "http://127.0.0.1:9/", 1);
	struct config *c = load_ok();
	ck_assert_str_eq(c->api_key, "env-key-5678");
	ck_assert_int_eq(c->key_from, KEY_ENV);
	ck_assert_str_eq(c->base_url, "http://127.0.0.1:9");
	ck_assert(c->base_url_from_env);

	/* A key set on screen goes to the file; the environment still wins now. */
	ck_assert_int_eq(config_set_api_key(c, "new-file-key-0000", err, sizeof err), 0);
	ck_assert_str_eq(c->api_key, "env-key-5678");
	ck_assert_int_eq(config_set_base_url(c, "https://new.example", err, sizeof err), 0);
	ck_assert_str_eq(c->base_url, "http://127.0.0.1:9");
	c->timeout_s = 12;
	ck_assert_int_eq(config_save(c, err, sizeof err), 0);
	config_free(c);

	char *text = read_text(path);
	ck_assert_ptr_null(strstr(text, "env-key"));
	ck_assert_ptr_null(strstr(text, "127.0.0.1"));
	ck_assert_ptr_nonnull(strstr(text, "new-file-key-0000"));
	ck_assert_ptr_nonnull(strstr(text, "https://new.example"));
	free(text);

	unsetenv("OKAYA_API_KEY");
	unsetenv("OKAYA_BASE_URL");
	c = load_ok();
	ck_assert_str_eq(c->api_key, "new-file-key-0000");
	ck_assert_int_eq(c->key_from, KEY_FILE);
	ck_assert_str_eq(c->base_url, "https://new.example");
	ck_assert_int_eq(c->timeout_s, 12);
	config_free(c);
}
END_TEST

START_TEST(int64_ids_as_int_and_string)
{
	static const char *forms[] = {
		"recent_groups = ( { id = 1710748366424; } );",
		"recent_groups = ( { id = 1710748366424L; } );",
		"recent_groups = ( { id = \"1710748366424\"; } );",
		"recent_groups = ( { id = 9223372036854775807; } );",
		"recent_groups = ( { id = 9223372036854775807L; } );",
		"recent_groups = ( { id = \"9223372036854775807\"; } );",
		"recent_groups = ( { id = 123456; } );",
		"recent_participants = ( { id = 1710748366424; } );",
	};
	static const char *want[] = {
		"1710748366424", "1710748366424", "1710748366424",
		"9223372036854775807", "9223372036854775807", "9223372036854775807",
		"123456", "1710748366424",
	};
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
		write_text(path, forms[i]);
		struct config *c = load_ok();
		const struct recent *r = c->n_groups ? &c->groups[0] : &c->participants[0];
		ck_assert_uint_eq(c->n_groups + c->n_participants, 1);
		ck_assert_str_eq(r->id, want[i]);
		ck_assert(!r->has_level);
		/* Written back, the ID is a string. */
		ck_assert_int_eq(config_save(c, err, sizeof err), 0);
		config_free(c);
		char *text = read_text(path);
		char quoted[64];
		snprintf(quoted, sizeof quoted, "id = \"%s\";", want[i]);
		ck_assert_msg(strstr(text, quoted) != NULL, "%s not in %s", quoted, text);
		free(text);
	}
	/* libconfig 1.5 truncates such literals to 32 bits; we must not. Two
	 * entries on one line, the big one second. */
	write_text(path, "recent_groups = ( { id = 5; }, { id = 1710748366424; } );\n");
	struct config *c = load_ok();
	ck_assert_uint_eq(c->n_groups, 2);
	ck_assert_str_eq(c->groups[0].id, "5");
	ck_assert_str_eq(c->groups[1].id, "1710748366424");
	config_free(c);
	write_text(path, "recent_groups = (\n{ id = 99999999999999999999; } );\n");
	ck_assert_ptr_null(config_load(path, err, sizeof err));
	ck_assert_msg(strstr(err, ":2:") && strstr(err, "too large"), "%s", err);
	write_text(path, "recent_groups = ( { id = 99999999999999999999L; } );\n");
	ck_assert_ptr_null(config_load(path, err, sizeof err));
	ck_assert_msg(strstr(err, "too large"), "%s", err);
	/* 2^32 + 30 must not come back as a 30 s timeout. */
	write_text(path, "timeout = 4294967326;\n");
	ck_assert_ptr_null(config_load(path, err, sizeof err));
	ck_assert_msg(strstr(err, "timeout") && strstr(err, "4294967326"), "%s", err);

	/* A negative or non-digit group ID is refused with its line. */
	write_text(path, "\n\nrecent_groups = ( { id = -5; } );\n");
	ck_assert_ptr_null(config_load(path, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, ":3:"));
	write_text(path, "recent_groups = (\n { id = \"12a\"; } );\n");
	ck_assert_ptr_null(config_load(path, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, ":2:"));
	ck_assert_ptr_nonnull(strstr(err, "groupID must be a number"));
}
END_TEST

/* A batch of thousands of sets must not grow the replay journal with it,
 * and the saved list is still the newest recent_max targets. */
START_TEST(many_touches_keep_journal_small)
{
	struct config *c = load_ok();
	c->recent_max = 5;
	for (int i = 0; i < 5000; i++) {
		char id[24];
		snprintf(id, sizeof id, "ok_p%d", i % 2500);
		ck_assert_int_eq(config_recent_touch(c, TARGET_PARTICIPANT, id, FLAG_MHCI, 10 + i), 0);
	}
	ck_assert_uint_le(config_priv(c)->n_journal, 5);
	ck_assert_msg(config_save(c, err, sizeof err) == 0, "%s", err);
	config_free(c);
	c = load_ok();
	ck_assert_uint_eq(c->n_participants, 5);
	ck_assert_str_eq(c->participants[0].id, "ok_p2499");
	ck_assert_str_eq(c->participants[4].id, "ok_p2495");
	config_free(c);
}
END_TEST

/* Only a changed setting asks for a directory fsync on save: the recent
 * lists change on every set and need not survive a power cut. */
START_TEST(settings_changed_not_by_recents)
{
	struct config *c = load_ok();
	ck_assert(!config_settings_changed(c));
	ck_assert_int_eq(config_recent_touch(c, TARGET_GROUP, "123456", FLAG_MHCI, 10), 0);
	ck_assert(!config_settings_changed(c));
	c->timeout_s += 1;
	ck_assert(config_settings_changed(c));
	c->timeout_s -= 1;
	ck_assert(!config_settings_changed(c));
	ck_assert_int_eq(config_set_api_key(c, "new-key-1234", err, sizeof err), 0);
	ck_assert(config_settings_changed(c));
	ck_assert_msg(config_save(c, err, sizeof err) == 0, "%s", err);
	ck_assert(!config_settings_changed(c));   /* saved: nothing pending */
	config_free(c);
}
END_TEST

START_TEST(recent_touch_dedupe_cap_forget_label)
{
	struct config *c = load_ok();
	c->recent_max = 3;
	for (int i = 1; i <= 4; i++) {
		char id[12];
		snprintf(id, sizeof id, "%d", i);
		ck_assert_int_eq(config_recent_touch(c, TARGET_GROUP, id, FLAG_MHCI, 1000 + i), 0);
	}
	ck_assert_uint_eq(c->n_groups, 3);
	ck_assert_str_eq(c->groups[0].id, "4");
	ck_assert_str_eq(c->groups[2].id, "2");
	ck_assert_ptr_null(config_recent_find(c, TARGET_GROUP, "1"));

	ck_assert_int_eq(config_recent_set_label(c, TARGET_GROUP, "2", "Night shift"), 0);
	ck_assert_int_eq(config_recent_touch(c, TARGET_GROUP, " 2 ", FLAG_FEATURES, 2000), 0);
	ck_assert_uint_eq(c->n_groups, 3);
	ck_assert_str_eq(c->groups[0].id, "2");
	ck_assert_str_eq(c->groups[0].label, "Night shift");   /* label kept */
	ck_assert_uint_eq(c->groups[0].level, FLAG_FEATURES);
	ck_assert_int_eq(c->groups[0].when, 2000);
	ck_assert_str_eq(c->groups[1].id, "4");
	ck_assert_str_eq(c->groups[2].id, "3");

	/* Same ID as a participant is a different target. */
	ck_assert_int_eq(config_recent_touch(c, TARGET_PARTICIPANT, "2", LEVEL_NONE, 1), 0);
	ck_assert_uint_eq(c->n_participants, 1);
	ck_assert_uint_eq(c->n_groups, 3);
	ck_assert_ptr_nonnull(config_recent_find(c, TARGET_PARTICIPANT, "2"));

	ck_assert_int_eq(config_recent_set_label(c, TARGET_GROUP, "2", ""), 0);
	ck_assert_ptr_null(config_recent_find(c, TARGET_GROUP, "2")->label);
	ck_assert_int_eq(config_recent_set_label(c, TARGET_GROUP, "99", "x"), -1);
	ck_assert_int_eq(config_recent_set_label(c, TARGET_GROUP, "4", "bad\x1b[2J"), -1);

	ck_assert_int_eq(config_recent_forget(c, TARGET_GROUP, "4"), 0);
	ck_assert_int_eq(config_recent_forget(c, TARGET_GROUP, "4"), -1);
	ck_assert_uint_eq(c->n_groups, 2);
	ck_assert_str_eq(c->groups[1].id, "3");

	/* Invalid IDs never enter the list. */
	ck_assert_int_eq(config_recent_touch(c, TARGET_GROUP, "12a", FLAG_MHCI, 1), -1);
	ck_assert_int_eq(config_recent_touch(c, TARGET_GROUP, "12345678901234567890", 0, 1), -1);
	ck_assert_int_eq(config_recent_touch(c, TARGET_PARTICIPANT, "a\nb", 0, 1), -1);
	ck_assert_uint_eq(c->n_groups, 2);

	/* A smaller cap applies at the next touch. */
	c->recent_max = 1;
	ck_assert_int_eq(config_recent_touch(c, TARGET_GROUP, "7", FLAG_MHCI, 1), 0);
	ck_assert_uint_eq(c->n_groups, 1);
	ck_assert_str_eq(c->groups[0].id, "7");
	c->recent_max = 0;
	ck_assert_int_eq(config_recent_touch(c, TARGET_GROUP, "8", FLAG_MHCI, 1), 0);
	ck_assert_uint_eq(c->n_groups, 0);
	config_free(c);
}
END_TEST

START_TEST(load_dedupes_and_caps)
{
	write_text(path,
		   "recent_max = 2;\n"
		   "recent_groups = ( { id = \"5\"; label = \"newest\"; },\n"
		   "  { id = 5; label = \"older copy\"; },\n"
		   "  { id = \"6\"; }, { id = \"7\"; } );\n");
	struct config *c = load_ok();
	ck_assert_uint_eq(c->n_groups, 2);
	ck_assert_str_eq(c->groups[0].id, "5");
	ck_assert_str_eq(c->groups[0].label, "newest");
	ck_assert_str_eq(c->groups[1].id, "6");
	config_free(c);
}
END_TEST

START_TEST(unknown_settings_survive_save)
{
	write_text(path,
		   "# hand written\n"
		   "future_setting = \"keep me\";\n"
		   "nested = { a = 1; b = [ 1, 2 ]; c = ( \"x\", { d = 2.5; } ); big = 1710748366424L; };\n"
		   "api_key = \"k-000000001\";\n"
		   "recent_groups = ( { id = \"5\"; level = [ \"MHCI\", \"groupPercentiles\" ];\n"
		   "                    colour = \"blue\"; pinned = true; },\n"
		   "                  { id = \"9\"; } );\n");
	struct config *c = load_ok();
	ck_assert_uint_eq(c->groups[0].level, FLAG_MHCI | FLAG_GROUP_PERCENTILES);
	ck_assert_int_eq(config_recent_touch(c, TARGET_GROUP, "6", FLAG_MHCI, 1), 0);
	ck_assert_int_eq(config_recent_touch(c, TARGET_GROUP, "5", FLAG_TRANSCRIPT, 2), 0);
	ck_assert_int_eq(config_save(c, err, sizeof err), 0);
	config_free(c);

	config_t t;
	config_init(&t);
	ck_assert_msg(config_read_file(&t, path) == CONFIG_TRUE, "%s", config_error_text(&t));
	const char *s = NULL;
	ck_assert(config_lookup_string(&t, "future_setting", &s));
	ck_assert_str_eq(s, "keep me");
	int i = 0;
	ck_assert(config_lookup_int(&t, "nested.b.[1]", &i));
	ck_assert_int_eq(i, 2);
	double d = 0;
	ck_assert(config_lookup_float(&t, "nested.c.[1].d", &d));
	ck_assert(d == 2.5);
	long long big = 0;
	ck_assert(config_lookup_int64(&t, "nested.big", &big));
	ck_assert(big == 1710748366424LL);
	/* Order: 5 (touched last), 6, 9; entry 5 kept its own fields. */
	ck_assert(config_lookup_string(&t, "recent_groups.[0].id", &s));
	ck_assert_str_eq(s, "5");
	ck_assert(config_lookup_string(&t, "recent_groups.[0].colour", &s));
	ck_assert_str_eq(s, "blue");
	int b = 0;
	ck_assert(config_lookup_bool(&t, "recent_groups.[0].pinned", &b));
	ck_assert(b);
	ck_assert(config_lookup_string(&t, "recent_groups.[0].level.[0]", &s));
	ck_assert_str_eq(s, "transcript");
	ck_assert(config_lookup_string(&t, "recent_groups.[1].id", &s));
	ck_assert_str_eq(s, "6");
	ck_assert(config_lookup_string(&t, "recent_groups.[2].id", &s));
	ck_assert_str_eq(s, "9");
	ck_assert_int_eq(config_setting_length(config_lookup(&t, "recent_groups")), 3);
	config_destroy(&t);
}
END_TEST

START_TEST(modes_under_umask_000)
{
	mode_t old = umask(0);
	snprintf(path, sizeof path, "%s/a/b/config.cfg", dir);
	struct config *c = load_ok();
	ck_assert_int_eq(config_set_api_key(c, "key-abcdefgh", err, sizeof err), 0);
	int rc = config_save(c, err, sizeof err);
	/* Saving again replaces the file: the mode holds for the rewrite too. */
	int rc2 = config_save(c, err, sizeof err);
	umask(old);
	ck_assert_msg(rc == 0 && rc2 == 0, "%s", err);
	config_free(c);
	struct stat st;
	char sub[600];
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	snprintf(sub, sizeof sub, "%s/a/b", dir);
	ck_assert_int_eq(stat(sub, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0700);
	snprintf(sub, sizeof sub, "%s/a", dir);
	ck_assert_int_eq(stat(sub, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0700);
	ck_assert_int_eq(entries_in(sub), 1);
}
END_TEST

START_TEST(permission_warning_with_fix)
{
	write_text(path, "timeout = 5;\n");
	chmod(path, 0644);
	struct config *c = load_ok();
	char msg[1024], want[600];
	ck_assert_int_eq(config_permission_warning(c, msg, sizeof msg), 1);
	snprintf(want, sizeof want, "chmod 600 %s", path);
	ck_assert_msg(strstr(msg, want) != NULL, "%s", msg);
	chmod(path, 0640);
	ck_assert_int_eq(config_permission_warning(c, msg, sizeof msg), 1);
	chmod(path, 0600);
	ck_assert_int_eq(config_permission_warning(c, msg, sizeof msg), 0);
	config_free(c);

	/* A path a shell would split is quoted in the command. */
	snprintf(path, sizeof path, "%s/my config's.cfg", dir);
	write_text(path, "");
	chmod(path, 0604);
	c = load_ok();
	ck_assert_int_eq(config_permission_warning(c, msg, sizeof msg), 1);
	snprintf(want, sizeof want, "chmod 600 '%s/my config'\\''s.cfg'", dir);
	ck_assert_msg(strstr(msg, want) != NULL, "%s", msg);
	config_free(c);
}
END_TEST

START_TEST(malformed_file_line_and_untouched)
{
	const char *text = "timeout = 5;\nreview = true;\nbase_url = \"http://x\"\n  oops here;\n";
	write_text(path, text);
	ck_assert_ptr_null(config_load(path, err, sizeof err));
	char want[600];
	snprintf(want, sizeof want, "%s:4: ", path);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
	ck_assert_uint_gt(strlen(err), strlen(want));
	char *now = read_text(path);
	ck_assert_str_eq(now, text);
	free(now);
	ck_assert_int_eq(entries_in(dir), 1);

	/* A directory where the file should be is reported, not parsed. */
	ck_assert_ptr_null(config_load(dir, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
}
END_TEST

START_TEST(wrong_types_named_with_line)
{
	static const struct { const char *text; const char *line; const char *word; } cases[] = {
		{ "review = true;\ntimeout = \"abc\";\n", ":2:", "timeout" },
		{ "api_key = 5;\n", ":1:", "api_key" },
		{ "\nreview = 1;\n", ":2:", "review" },
		{ "connect_timeout = 0;\n", ":1:", "connect_timeout" },
		{ "timeout = 99999999999;\n", ":1:", "timeout" },
		{ "recent_max = 2.5;\n", ":1:", "recent_max" },
		{ "base_url = \"ftp://x\";\n", ":1:", "base_url" },
		{ "recent_groups = { id = \"1\"; };\n", ":1:", "recent_groups" },
		{ "recent_groups = ( \"1\" );\n", ":1:", "group" },
		{ "recent_groups = ( { level = [\"mhci\"]; } );\n", ":1:", "no id" },
		{ "recent_groups = (\n { id = \"1\";\n level = [ \"mhci\", \"bogus\" ]; } );\n",
		  ":3:", "bogus" },
		{ "recent_groups = ( { id = \"1\"; level = \"mhci\"; } );\n", ":1:", "level" },
		{ "recent_participants = ( { id = \"p\";\n sent = \"yesterday\"; } );\n",
		  ":2:", "sent" },
		{ "recent_participants = ( { id = \"p\"; sent = \"2026-02-31T00:00:00Z\"; } );\n",
		  ":1:", "sent" },
		{ "recent_participants = ( { id = \"p\"; label = 3; } );\n", ":1:", "label" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		write_text(path, cases[i].text);
		struct config *c = config_load(path, err, sizeof err);
		ck_assert_msg(c == NULL, "case %zu loaded", i);
		ck_assert_msg(strncmp(err, path, strlen(path)) == 0, "case %zu: %s", i, err);
		ck_assert_msg(strstr(err, cases[i].line) != NULL, "case %zu: %s", i, err);
		ck_assert_msg(strstr(err, cases[i].word) != NULL, "case %zu: %s", i, err);
	}
}
END_TEST

/* Runs config_save in a child whose file size limit is `limit` bytes (SIGXFSZ
 * ignored, so writes fail with EFBIG); the error comes back through a pipe. */
static int save_in_limited_child(struct config *c, rlim_t limit, char *msg, size_t len)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit rl = { limit, limit };
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(3);
		char e[1024] = "";
		int rc = config_save(c, e, sizeof e);
		if (write(fds[1], e, strlen(e)) < 0)
			_exit(4);
		_exit(rc == 0 ? 0 : 1);
	}
	close(fds[1]);
	ssize_t n = read(fds[0], msg, len - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(failed_save_disk_full_keeps_old_file)
{
	write_text(path, "api_key = \"old-key-0000\";\ntimeout = 7;\nunknown = \"x\";\n");
	char *before = read_text(path);
	struct config *c = load_ok();
	/* Make the new file larger than the limit. */
	for (int i = 0; i < 20; i++) {
		char id[32];
		snprintf(id, sizeof id, "%d", 100000 + i);
		ck_assert_int_eq(config_recent_touch(c, TARGET_GROUP, id, LEVEL_ALL, 1796299200), 0);
	}
	char msg[1024];
	ck_assert_int_eq(save_in_limited_child(c, 256, msg, sizeof msg), 1);
	char want[600];
	snprintf(want, sizeof want, "cannot save %s: File too large", path);
	ck_assert_msg(strcmp(msg, want) == 0, "%s", msg);
	char *after = read_text(path);
	ck_assert_str_eq(after, before);
	ck_assert_int_eq(entries_in(dir), 1);   /* no temporary file left */
	free(after);

	/* The same save with room to spare works, in a child too. */
	ck_assert_int_eq(save_in_limited_child(c, 1 << 20, msg, sizeof msg), 0);
	config_free(c);
	c = load_ok();
	ck_assert_uint_eq(c->n_groups, 20);
	config_free(c);
	ck_assert_int_eq(entries_in(dir), 1);
	free(before);
}
END_TEST

START_TEST(failed_save_unwritable_dir)
{
	write_text(path, "timeout = 7;\n");
	char *before = read_text(path);
	struct config *c = load_ok();
	c->timeout_s = 8;
	char want[600];
	snprintf(want, sizeof want, "cannot save %s: ", path);

	/* Root ignores directory modes: a child drops to nobody instead. */
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		if (geteuid() == 0) {
			struct passwd *pw = getpwnam("nobody");
			if (!pw || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
				_exit(3);
		} else if (chmod(dir, 0500) != 0) {
			_exit(3);
		}
		char e[1024] = "";
		int rc = config_save(c, e, sizeof e);
		if (write(fds[1], e, strlen(e)) < 0)
			_exit(4);
		_exit(rc == 0 ? 0 : 1);
	}
	close(fds[1]);
	char msg[1024];
	ssize_t n = read(fds[0], msg, sizeof msg - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	int status;
	waitpid(pid, &status, 0);
	chmod(dir, 0700);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 1);
	ck_assert_msg(strncmp(msg, want, strlen(want)) == 0, "%s", msg);
	ck_assert_msg(strstr(msg, "Permission denied") != NULL, "%s", msg);
	char *after = read_text(path);
	ck_assert_str_eq(after, before);
	free(after);
	ck_assert_int_eq(entries_in(dir), 1);

	/* A path under a regular file cannot be created either. */
	free(c->path);
	c->path = malloc(700);
	snprintf(c->path, 700, "%s/sub/config.cfg", path);
	ck_assert_int_eq(config_save(c, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot save"));
	ck_assert_msg(strstr(err, "ot a directory") != NULL, "%s", err);
	after = read_text(path);
	ck_assert_str_eq(after, before);
	free(after);
	free(before);
	config_free(c);
}
END_TEST

START_TEST(key_with_cr_refused_without_showing_it)
{
	write_text(path, "timeout = 5;\napi_key = \"SECRETabc\\rdefSECRET\";\n");
	ck_assert_ptr_null(config_load(path, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, ":2:"));
	ck_assert_ptr_nonnull(strstr(err, "api_key"));
	ck_assert_ptr_nonnull(strstr(err, "carriage return"));
	ck_assert_ptr_null(strstr(err, "SECRET"));
	ck_assert_ptr_null(strstr(err, "abc"));

	write_text(path, "api_key = \"SECRETabc\\ndefSECRET\";\n");
	ck_assert_ptr_null(config_load(path, err, sizeof err));
	ck_assert_ptr_null(strstr(err, "SECRET"));

	/* Surrounding whitespace is trimmed, not refused. */
	write_text(path, "api_key = \"  SECRETabc\\r\\n\";\n");
	struct config *c = load_ok();
	ck_assert_str_eq(c->api_key, "SECRETabc");

	ck_assert_int_eq(config_set_api_key(c, "SECRET\rxyz", err, sizeof err), -1);
	ck_assert_ptr_null(strstr(err, "SECRET"));
	ck_assert_str_eq(c->api_key, "SECRETabc");     /* unchanged */
	config_free(c);

	setenv("OKAYA_API_KEY", "SECRETenv\r\nX-Evil: 1", 1);
	ck_assert_ptr_null(config_load(path, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "OKAYA_API_KEY"));
	ck_assert_ptr_null(strstr(err, "SECRET"));
}
END_TEST

START_TEST(example_config_loads)
{
	snprintf(path, sizeof path, "config.example.cfg");
	struct config *c = load_ok();
	ck_assert_str_eq(c->api_key, "demo-key");
	ck_assert_str_eq(c->base_url, "https://api.okaya.me");
	ck_assert_int_eq(c->timeout_s, 30);
	ck_assert_int_eq(c->connect_timeout_s, 10);
	ck_assert(c->review);
	ck_assert_int_eq(c->recent_max, 20);
	ck_assert_uint_eq(c->n_groups, 1);
	ck_assert_str_eq(c->groups[0].id, "1710748366424");
	ck_assert_str_eq(c->groups[0].label, "Pilot cohort");
	ck_assert_uint_eq(c->groups[0].level, FLAG_MHCI);
	ck_assert_uint_eq(c->n_participants, 1);
	ck_assert_uint_eq(c->participants[0].level, FLAG_MHCI | FLAG_TRANSCRIPT);
	config_free(c);
}
END_TEST

START_TEST(symlinked_config_stays_a_link)
{
	char real[600];
	snprintf(real, sizeof real, "%s/real.cfg", dir);
	write_text(real, "timeout = 9;\n");
	ck_assert_int_eq(symlink(real, path), 0);
	struct config *c = load_ok();
	ck_assert_int_eq(c->timeout_s, 9);
	c->timeout_s = 11;
	ck_assert_int_eq(config_save(c, err, sizeof err), 0);
	config_free(c);
	struct stat st;
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	c = load_ok();
	ck_assert_int_eq(c->timeout_s, 11);
	config_free(c);
}
END_TEST

/* Two processes, each touching its own targets and saving after every
 * touch: with the lock and the re-read, neither loses the other's entries. */
START_TEST(concurrent_saves_keep_every_entry)
{
	write_text(path, "recent_max = 100;\n");
	pid_t kids[2];
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		ck_assert_int_ge(kids[k], 0);
		if (kids[k] == 0) {
			char e[1024];
			for (int i = 0; i < 25; i++) {
				struct config *c = config_load(path, e, sizeof e);
				char id[32];
				snprintf(id, sizeof id, "%d%02d", k + 1, i);
				if (!c || config_recent_touch(c, TARGET_GROUP, id, FLAG_MHCI,
							      1796299200 + i) != 0 ||
				    config_save(c, e, sizeof e) != 0)
					_exit(1);
				config_free(c);
			}
			_exit(0);
		}
	}
	for (int k = 0; k < 2; k++) {
		int status;
		ck_assert_int_eq(waitpid(kids[k], &status, 0), kids[k]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	struct config *c = load_ok();
	ck_assert_uint_eq(c->n_groups, 50);
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 25; i++) {
			char id[32];
			snprintf(id, sizeof id, "%d%02d", k + 1, i);
			ck_assert_msg(config_recent_find(c, TARGET_GROUP, id), "lost %s", id);
		}
	config_free(c);
	ck_assert_int_eq(entries_in(dir), 1);
}
END_TEST

/* Edits made to the file between our load and our save survive it; our own
 * changes (a touch, a forget, a label, a setting) land on top. */
START_TEST(edits_made_meanwhile_survive)
{
	write_text(path, "api_key = \"old-key-0001\";\ntimeout = 7;\n"
		   "recent_groups = ( { id = \"111\"; }, { id = \"222\"; } );\n");
	struct config *c = load_ok();
	ck_assert_int_eq(config_recent_touch(c, TARGET_GROUP, "333", FLAG_MHCI, 1796299200), 0);
	ck_assert_int_eq(config_recent_forget(c, TARGET_GROUP, "111"), 0);
	ck_assert_int_eq(config_recent_set_label(c, TARGET_GROUP, "222", "Night"), 0);
	c->connect_timeout_s = 4;

	/* Meanwhile: the key is rotated, a setting added, an entry added. */
	write_text(path, "api_key = \"new-key-0002\";\ntimeout = 9;\nreview = false;\n"
		   "recent_groups = ( { id = \"444\"; }, { id = \"111\"; }, { id = \"222\"; } );\n");
	ck_assert_msg(config_save(c, err, sizeof err) == 0, "%s", err);
	/* The saving config now holds the merged state too. */
	ck_assert_str_eq(c->api_key, "new-key-0002");
	ck_assert_int_eq(c->timeout_s, 9);
	config_free(c);

	c = load_ok();
	ck_assert_str_eq(c->api_key, "new-key-0002");
	ck_assert_int_eq(c->timeout_s, 9);
	ck_assert(!c->review);
	ck_assert_int_eq(c->connect_timeout_s, 4);
	ck_assert_uint_eq(c->n_groups, 3);
	ck_assert_str_eq(c->groups[0].id, "333");
	ck_assert_ptr_nonnull(config_recent_find(c, TARGET_GROUP, "444"));
	ck_assert_ptr_null(config_recent_find(c, TARGET_GROUP, "111"));
	const struct recent *r = config_recent_find(c, TARGET_GROUP, "222");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->label, "Night");

	/* Our own key change wins over the file's. */
	ck_assert_int_eq(config_set_api_key(c, "mine-key-0003", err, sizeof err), 0);
	write_text(path, "api_key = \"theirs-key-0004\";\n");
	ck_assert_msg(config_save(c, err, sizeof err) == 0, "%s", err);
	config_free(c);
	c = load_ok();
	ck_assert_str_eq(c->api_key, "mine-key-0003");
	config_free(c);
}
END_TEST

/* A file that became malformed while we ran is left alone, with a reason. */
START_TEST(malformed_meanwhile_not_overwritten)
{
	write_text(path, "timeout = 7;\n");
	struct config *c = load_ok();
	ck_assert_int_eq(config_recent_touch(c, TARGET_GROUP, "333", FLAG_MHCI, 1796299200), 0);
	write_text(path, "timeout = 7;\nbroken = ;\n");
	char *before = read_text(path);
	ck_assert_int_eq(config_save(c, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "left as it is") && strstr(err, ":2:"), "%s", err);
	char *after = read_text(path);
	ck_assert_str_eq(after, before);
	free(after);
	free(before);
	/* Once fixed, the same config saves its change. */
	write_text(path, "timeout = 8;\n");
	ck_assert_msg(config_save(c, err, sizeof err) == 0, "%s", err);
	config_free(c);
	c = load_ok();
	ck_assert_int_eq(c->timeout_s, 8);
	ck_assert_ptr_nonnull(config_recent_find(c, TARGET_GROUP, "333"));
	config_free(c);
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, defaults_when_missing);
	tcase_add_test(tc, default_path_order);
	tcase_add_test(tc, round_trip_every_field);
	tcase_add_test(tc, env_overrides_not_written);
	tcase_add_test(tc, int64_ids_as_int_and_string);
	tcase_add_test(tc, recent_touch_dedupe_cap_forget_label);
	tcase_add_test(tc, many_touches_keep_journal_small);
	tcase_add_test(tc, load_dedupes_and_caps);
	tcase_add_test(tc, unknown_settings_survive_save);
	tcase_add_test(tc, modes_under_umask_000);
	tcase_add_test(tc, permission_warning_with_fix);
	tcase_add_test(tc, malformed_file_line_and_untouched);
	tcase_add_test(tc, wrong_types_named_with_line);
	tcase_add_test(tc, failed_save_disk_full_keeps_old_file);
	tcase_add_test(tc, failed_save_unwritable_dir);
	tcase_add_test(tc, key_with_cr_refused_without_showing_it);
	tcase_add_test(tc, example_config_loads);
	tcase_add_test(tc, symlinked_config_stays_a_link);
	tcase_add_test(tc, settings_changed_not_by_recents);
	tcase_add_test(tc, concurrent_saves_keep_every_entry);
	tcase_add_test(tc, edits_made_meanwhile_survive);
	tcase_add_test(tc, malformed_meanwhile_not_overwritten);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(config_suite());
}
