/* Unit tests for core/target and core/secret: IDs, paths, keys. */
#include <sys/stat.h>

#include "secret.h"
#include "target.h"
#include "testutil.h"

static char err[256];

START_TEST(group_ids)
{
	struct target t;
	ck_assert_int_eq(target_set(&t, TARGET_GROUP, " 1710748366424\t", err, sizeof err), 0);
	ck_assert_str_eq(t.id, "1710748366424");
	ck_assert_int_eq(target_set(&t, TARGET_GROUP, "9999999999999999999", err, sizeof err), 0);
	ck_assert_int_eq(target_set(&t, TARGET_GROUP, "0123456", err, sizeof err), 0);
	ck_assert_str_eq(t.id, "123456");
	ck_assert_int_eq(target_set(&t, TARGET_GROUP, "000", err, sizeof err), 0);
	ck_assert_str_eq(t.id, "0");
	ck_assert_int_eq(target_set(&t, TARGET_GROUP, "12a", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "groupID must be a number"));
	ck_assert_int_eq(target_set(&t, TARGET_GROUP, "-5", err, sizeof err), -1);
	ck_assert_int_eq(target_set(&t, TARGET_GROUP, "1 2", err, sizeof err), -1);
	ck_assert_int_eq(target_set(&t, TARGET_GROUP, "   ", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "missing the path parameter groupID"));
	ck_assert_int_eq(target_set(&t, TARGET_GROUP, "12345678901234567890", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "too long"));
	ck_assert_int_eq(target_set(&t, TARGET_GROUP, "１２３", err, sizeof err), -1);
}
END_TEST

START_TEST(participant_ids)
{
	struct target t;
	ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, "  ok_participant1 ", err, sizeof err), 0);
	ck_assert_str_eq(t.id, "ok_participant1");
	ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, "zoë/../x", err, sizeof err), 0);
	ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, "", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "missing the path parameter externalID"));
	ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, "ok\r\nx", err, sizeof err), -1);
	ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, "ok\033x", err, sizeof err), -1);
	ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, "ok\xff", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "UTF-8"));
	ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, "\xc0\xaf", err, sizeof err), -1);
	ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, "\xed\xa0\x80", err, sizeof err), -1);
	ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, "a\xc2\x85" "b", err, sizeof err), -1);
	char big[400];
	memset(big, 'a', 256);
	big[256] = '\0';
	ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, big, err, sizeof err), 0);
	big[256] = 'a';
	big[257] = '\0';
	ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, big, err, sizeof err), -1);
	ck_assert(participant_id_unusual("abc"));
	ck_assert(!participant_id_unusual("ok_1"));
}
END_TEST

START_TEST(paths_are_one_segment)
{
	struct target t;
	char *p;
	ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, "ok/../x", err, sizeof err), 0);
	p = target_privacy_path(&t);
	ck_assert_str_eq(p, "/configure/participants/ok%2F%2E%2E%2Fx/privacy");
	free(p);
	ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, "..", err, sizeof err), 0);
	p = target_privacy_path(&t);
	ck_assert_str_eq(p, "/configure/participants/%2E%2E/privacy");
	free(p);
	ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, "a b?c#d%e", err, sizeof err), 0);
	p = target_email_path(&t);
	ck_assert_str_eq(p, "/interact/participants/a%20b%3Fc%23d%25e/email");
	free(p);
	ck_assert_int_eq(target_set(&t, TARGET_GROUP, "1710748366424", err, sizeof err), 0);
	p = target_privacy_path(&t);
	ck_assert_str_eq(p, "/configure/groups/1710748366424/privacy");
	free(p);
	p = participant_info_path("zoë");
	ck_assert_str_eq(p, "/participants/zo%C3%AB");
	free(p);
}
END_TEST

START_TEST(kinds)
{
	enum target_kind k;
	ck_assert_int_eq(target_kind_parse("Group", &k), 0);
	ck_assert_int_eq(k, TARGET_GROUP);
	ck_assert_int_eq(target_kind_parse("participant", &k), 0);
	ck_assert_int_eq(k, TARGET_PARTICIPANT);
	ck_assert_int_eq(target_kind_parse("groups", &k), -1);
	ck_assert_str_eq(target_kind_name(TARGET_PARTICIPANT), "participant");
}
END_TEST

START_TEST(keys_cleaned_and_refused)
{
	char key[API_KEY_MAX + 1];
	ck_assert_int_eq(api_key_clean("  demo-key\n", key, sizeof key, err, sizeof err), 0);
	ck_assert_str_eq(key, "demo-key");
	ck_assert_int_eq(api_key_clean("secret\r\nX-Evil: 1", key, sizeof key, err, sizeof err), -1);
	ck_assert_ptr_null(strstr(err, "secret"));
	ck_assert_ptr_nonnull(strstr(err, "carriage return"));
	ck_assert_int_eq(api_key_clean("sec\nret", key, sizeof key, err, sizeof err), -1);
	ck_assert_ptr_null(strstr(err, "sec"));
	ck_assert_int_eq(api_key_clean(" \t ", key, sizeof key, err, sizeof err), -1);
	ck_assert_int_eq(api_key_clean("a\x7f", key, sizeof key, err, sizeof err), -1);
	ck_assert_int_eq(api_key_clean("dem\xffo", key, sizeof key, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "non-ASCII"));
	ck_assert_int_eq(api_key_clean("demo key", key, sizeof key, err, sizeof err), -1);
	ck_assert_ptr_null(strstr(err, "demo"));
}
END_TEST

START_TEST(key_files)
{
	char dir[] = "/tmp/okaya-keyfile-XXXXXX", path[128], key[API_KEY_MAX + 1];
	bool loose;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/k", dir);
	FILE *f = fopen(path, "w");
	fputs("  file-key-0123456789\n", f);
	fclose(f);
	chmod(path, 0644);
	ck_assert_int_eq(api_key_read_file(path, key, sizeof key, &loose, err, sizeof err), 0);
	ck_assert_str_eq(key, "file-key-0123456789");
	ck_assert(loose);
	chmod(path, 0600);
	ck_assert_int_eq(api_key_read_file(path, key, sizeof key, &loose, err, sizeof err), 0);
	ck_assert(!loose);
	/* A directory, a FIFO with no writer (must not block), a missing file. */
	ck_assert_int_eq(api_key_read_file(dir, key, sizeof key, &loose, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "directory"));
	snprintf(path, sizeof path, "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(api_key_read_file(path, key, sizeof key, &loose, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
	unlink(path);
	snprintf(path, sizeof path, "%s/two-lines", dir);
	f = fopen(path, "w");
	fputs("secret-part-one\nsecret-part-two\n", f);
	fclose(f);
	ck_assert_int_eq(api_key_read_file(path, key, sizeof key, &loose, err, sizeof err), -1);
	ck_assert_ptr_null(strstr(err, "secret-part"));
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(keys_masked)
{
	char m[32];
	api_key_mask("abcdefghijklmnop3f9a", m, sizeof m);
	ck_assert_str_eq(m, "********3f9a");
	api_key_mask("short", m, sizeof m);
	ck_assert_str_eq(m, "********"); /* the length is not told */
	api_key_mask("abcdefghi3f9a", m, sizeof m);
	ck_assert_str_eq(m, "********3f9a");
	api_key_mask("12345678", m, sizeof m);
	ck_assert_str_eq(m, "********");
	api_key_mask("", m, sizeof m);
	ck_assert_str_eq(m, "(not set)");
	api_key_mask("abcdefghijklmnop3f9a", m, 4);
	ck_assert_str_eq(m, "***");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("target");
	TCase *tc = tcase_create("target");
	tcase_add_test(tc, group_ids);
	tcase_add_test(tc, participant_ids);
	tcase_add_test(tc, paths_are_one_segment);
	tcase_add_test(tc, kinds);
	tcase_add_test(tc, keys_cleaned_and_refused);
	tcase_add_test(tc, keys_masked);
	tcase_add_test(tc, key_files);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
