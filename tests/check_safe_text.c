/* Tests for core/safe_text: nothing from outside reaches a terminal as a
 * control, bidi override or invalid UTF-8. */
#include "safe_text.h"
#include "testutil.h"

static const char *safe(const char *in)
{
	static char out[256];
	return safe_text(in, out, sizeof out);
}

START_TEST(plain_and_utf8_kept)
{
	ck_assert_str_eq(safe("success"), "success");
	ck_assert_str_eq(safe("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80"),
			 "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80");
	ck_assert_str_eq(safe(""), "");
	ck_assert_str_eq(safe(NULL), "");
}
END_TEST

START_TEST(controls_replaced)
{
	ck_assert_str_eq(safe("a\x1b[31mb"), "a?[31mb");
	ck_assert_str_eq(safe("l1\nl2\r\t\x7f"), "l1?l2???");
	/* C1: U+009B (CSI) and U+0085 (NEL). */
	ck_assert_str_eq(safe("\xc2\x9b" "2J\xc2\x85"), "?2J?");
	/* Bidi embeddings, overrides and isolates: U+202A..E, U+2066..9. */
	ck_assert_str_eq(safe("x\xe2\x80\xaey\xe2\x80\xaaz\xe2\x81\xa6w\xe2\x81\xa9"), "x?y?z?w?");
	/* Neighbours of those ranges are ordinary text. */
	ck_assert_str_eq(safe("\xe2\x80\xaf\xe2\x81\xaa\xc2\xa0"), "\xe2\x80\xaf\xe2\x81\xaa\xc2\xa0");
}
END_TEST

START_TEST(invalid_utf8_replaced)
{
	ck_assert_str_eq(safe("a\xff" "b"), "a\xef\xbf\xbd" "b");
	ck_assert_str_eq(safe("\x80"), "\xef\xbf\xbd");
	ck_assert_str_eq(safe("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");   /* overlong '/' */
	ck_assert_str_eq(safe("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* surrogate */
	ck_assert_str_eq(safe("end\xe2\x82"), "end\xef\xbf\xbd\xef\xbf\xbd");
}
END_TEST

START_TEST(cut_on_a_character_boundary)
{
	char out[6];
	ck_assert_str_eq(safe_text("ab\xc3\xa9\xc3\xa9", out, sizeof out), "ab\xc3\xa9");
	ck_assert_str_eq(safe_text("abcd\xff", out, sizeof out), "abcd");
	char one[1];
	ck_assert_str_eq(safe_text("abc", one, sizeof one), "");
}
END_TEST

START_TEST(clean_dup_for_storage)
{
	char *s = utf8_clean_dup("a\xff\x1b\xc2\x9b\xe2\x80\xae" "z", 100);
	/* Bidi controls are kept for storage; controls and bad bytes are not. */
	ck_assert_str_eq(s, "a\xef\xbf\xbd??\xe2\x80\xae" "z");
	free(s);
	s = utf8_clean_dup("abcdef", 3);
	ck_assert_str_eq(s, "abc");
	free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("safe_text");
	TCase *tc = tcase_create("safe_text");
	tcase_add_test(tc, plain_and_utf8_kept);
	tcase_add_test(tc, controls_replaced);
	tcase_add_test(tc, invalid_utf8_replaced);
	tcase_add_test(tc, cut_on_a_character_boundary);
	tcase_add_test(tc, clean_dup_for_storage);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
