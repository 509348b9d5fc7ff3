/* check_tui_escape: what the TUI draws of a server's text can never act on
 * the terminal. The escaper has no curses in it, so it is compiled in here. */
#include "testutil.h"
#include "../tui/escape.c"

static const char *esc(const char *in, size_t n)
{
	static char out[512];
	text_escape(in, n, out, sizeof out);
	return out;
}

START_TEST(plain_and_utf8_pass)
{
	ck_assert_str_eq(esc("success", 7), "success");
	ck_assert_str_eq(esc("caf\xc3\xa9 \xe2\x9c\x93", 9), "caf\xc3\xa9 \xe2\x9c\x93");
}
END_TEST

START_TEST(controls_escaped)
{
	ck_assert_str_eq(esc("a\x1b[31mb", 7), "a\\x1B[31mb");
	ck_assert_str_eq(esc("l1\nl2\r\t", 7), "l1\\nl2\\r\\t");
	ck_assert_str_eq(esc("\x7f\x07", 2), "\\x7F\\x07");
	/* C1 CSI (U+009B) would start a sequence on some terminals. */
	ck_assert_str_eq(esc("\xc2\x9b" "2J", 4), "\\u009B2J");
	ck_assert_str_eq(esc("a\0b", 3), "a\\x00b");
}
END_TEST

START_TEST(bidi_controls_escaped)
{
	/* U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE */
	ck_assert_str_eq(esc("ok\xe2\x80\xaegnp.exe", 12), "ok\\u202Egnp.exe");
	ck_assert_str_eq(esc("\xe2\x81\xa6" "x", 4), "\\u2066x");
	/* Other punctuation of that block passes. */
	ck_assert_str_eq(esc("a\xe2\x80\x94" "b", 5), "a\xe2\x80\x94" "b");
}
END_TEST

START_TEST(invalid_utf8_escaped)
{
	ck_assert_str_eq(esc("\xff\xc3", 2), "\\xFF\\xC3");
	ck_assert_str_eq(esc("\xc0\xaf", 2), "\\xC0\\xAF");            /* overlong */
	ck_assert_str_eq(esc("\xed\xa0\x80", 3), "\\xED\\xA0\\x80");   /* surrogate */
}
END_TEST

START_TEST(cut_never_inside_an_escape)
{
	char out[6];
	text_escape("ab\x1b" "cd", 5, out, sizeof out);
	ck_assert_str_eq(out, "ab");
	text_escape("abcdefgh", 8, out, sizeof out);
	ck_assert_str_eq(out, "abcde");
	text_escape("x", 1, out, 1);
	ck_assert_str_eq(out, "");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("tui_escape");
	TCase *tc = tcase_create("escape");
	tcase_add_test(tc, plain_and_utf8_pass);
	tcase_add_test(tc, controls_escaped);
	tcase_add_test(tc, invalid_utf8_escaped);
	tcase_add_test(tc, bidi_controls_escaped);
	tcase_add_test(tc, cut_never_inside_an_escape);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
