/* Unit tests for core/flags: parsing, formatting, JSON both ways. */
#include <json-c/json.h>

#include "flags.h"
#include "testutil.h"

static char err[256];

START_TEST(parse_list_case_and_blanks)
{
	level_t l = 99;
	ck_assert_int_eq(level_parse(" MHCI , transcript", &l, err, sizeof err), 0);
	ck_assert_uint_eq(l, FLAG_MHCI | FLAG_TRANSCRIPT);
}
END_TEST

START_TEST(parse_none_empty_all)
{
	level_t l = 99;
	ck_assert_int_eq(level_parse("", &l, err, sizeof err), 0);
	ck_assert_uint_eq(l, LEVEL_NONE);
	l = 99;
	ck_assert_int_eq(level_parse("  ", &l, err, sizeof err), 0);
	ck_assert_uint_eq(l, LEVEL_NONE);
	ck_assert_int_eq(level_parse("None", &l, err, sizeof err), 0);
	ck_assert_uint_eq(l, LEVEL_NONE);
	ck_assert_int_eq(level_parse("all", &l, err, sizeof err), 0);
	ck_assert_uint_eq(l, LEVEL_ALL);
	ck_assert_int_eq(level_parse(NULL, &l, err, sizeof err), 0);
	ck_assert_uint_eq(l, LEVEL_NONE);
}
END_TEST

START_TEST(parse_both_spellings)
{
	level_t a, b;
	ck_assert_int_eq(level_parse("groupPerecntiles", &a, err, sizeof err), 0);
	ck_assert_int_eq(level_parse("grouppercentiles", &b, err, sizeof err), 0);
	ck_assert_uint_eq(a, FLAG_GROUP_PERCENTILES);
	ck_assert_uint_eq(b, FLAG_GROUP_PERCENTILES);
}
END_TEST

START_TEST(parse_unknown_names_it_and_valid_ones)
{
	level_t l = 7;
	ck_assert_int_eq(level_parse("mhci,trancsript", &l, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "\"trancsript\""));
	ck_assert_ptr_nonnull(strstr(err, "groupPerecntiles"));
	ck_assert_ptr_nonnull(strstr(err, "features"));
	ck_assert_uint_eq(l, 7); /* untouched on error */
}
END_TEST

START_TEST(parse_empty_item_refused)
{
	level_t l;
	ck_assert_int_eq(level_parse("mhci,,features", &l, err, sizeof err), -1);
	ck_assert_int_eq(level_parse("mhci,", &l, err, sizeof err), -1);
	ck_assert_int_eq(level_parse(",mhci", &l, err, sizeof err), -1);
}
END_TEST

START_TEST(parse_none_with_flags_refused)
{
	level_t l = 7;
	ck_assert_int_eq(level_parse("none,mhci", &l, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "none"));
	ck_assert_int_eq(level_parse("all, none", &l, err, sizeof err), -1);
	ck_assert_uint_eq(l, 7);
	ck_assert_int_eq(level_parse("none,none", &l, err, sizeof err), 0);
	ck_assert_uint_eq(l, LEVEL_NONE);
}
END_TEST

START_TEST(parse_never_echoes_control_bytes)
{
	level_t l;
	ck_assert_int_eq(level_parse("mh\033[2Jci", &l, err, sizeof err), -1);
	ck_assert_ptr_null(strchr(err, '\033'));
}
END_TEST

START_TEST(body_is_canonical_order)
{
	char *body = level_request_body(FLAG_FEATURES | FLAG_MHCI | FLAG_GROUP_PERCENTILES);
	ck_assert_str_eq(body, "{\"requestedPrivacyLevel\":[\"mhci\",\"groupPerecntiles\",\"features\"]}");
	free(body);
	body = level_request_body(LEVEL_NONE);
	ck_assert_str_eq(body, "{\"requestedPrivacyLevel\":[]}");
	free(body);
}
END_TEST

START_TEST(json_round_trip_and_alias)
{
	struct json_object *a = json_tokener_parse("[\"transcript\",\"groupPercentiles\",\"mhci\"]");
	level_t l;
	ck_assert_int_eq(level_from_json(a, &l, err, sizeof err), 0);
	ck_assert_uint_eq(l, FLAG_TRANSCRIPT | FLAG_GROUP_PERCENTILES | FLAG_MHCI);
	json_object_put(a);
	for (level_t x = 0; x <= LEVEL_ALL; x++) {
		struct json_object *j = level_to_json(x);
		level_t back;
		ck_assert_int_eq(level_from_json(j, &back, err, sizeof err), 0);
		ck_assert_uint_eq(back, x);
		json_object_put(j);
	}
}
END_TEST

START_TEST(json_rejects_bad)
{
	level_t l;
	struct json_object *a = json_tokener_parse("[\"mhci\", 3]");
	ck_assert_int_eq(level_from_json(a, &l, err, sizeof err), -1);
	json_object_put(a);
	a = json_tokener_parse("{\"mhci\":true}");
	ck_assert_int_eq(level_from_json(a, &l, err, sizeof err), -1);
	json_object_put(a);
}
END_TEST

START_TEST(format_and_diff)
{
	char buf[128];
	level_format(LEVEL_NONE, buf, sizeof buf);
	ck_assert_str_eq(buf, "none");
	level_format(FLAG_TRANSCRIPT | FLAG_MHCI, buf, sizeof buf);
	ck_assert_str_eq(buf, "mhci,transcript");
	size_t need = level_format(LEVEL_ALL, buf, 5);
	ck_assert_uint_eq(need, strlen("mhci,groupPerecntiles,userPercentiles,transcript,features"));
	ck_assert_uint_eq(strlen(buf), 4);
	level_format_diff(FLAG_MHCI | FLAG_FEATURES, FLAG_MHCI | FLAG_TRANSCRIPT, buf, sizeof buf);
	ck_assert_str_eq(buf, "+transcript -features");
	level_format_diff(FLAG_MHCI, FLAG_MHCI, buf, sizeof buf);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(table_is_complete)
{
	level_t seen = 0;
	for (size_t i = 0; i < FLAG_COUNT; i++) {
		ck_assert_ptr_nonnull(flag_table[i].label);
		ck_assert_ptr_nonnull(flag_table[i].description);
		ck_assert_ptr_eq(flag_find(flag_table[i].wire), &flag_table[i]);
		seen |= flag_table[i].bit;
	}
	ck_assert_uint_eq(seen, LEVEL_ALL);
	ck_assert_str_eq(flag_table[1].wire, "groupPerecntiles");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("flags");
	TCase *tc = tcase_create("flags");
	tcase_add_test(tc, parse_list_case_and_blanks);
	tcase_add_test(tc, parse_none_empty_all);
	tcase_add_test(tc, parse_both_spellings);
	tcase_add_test(tc, parse_unknown_names_it_and_valid_ones);
	tcase_add_test(tc, parse_empty_item_refused);
	tcase_add_test(tc, parse_none_with_flags_refused);
	tcase_add_test(tc, parse_never_echoes_control_bytes);
	tcase_add_test(tc, body_is_canonical_order);
	tcase_add_test(tc, json_round_trip_and_alias);
	tcase_add_test(tc, json_rejects_bad);
	tcase_add_test(tc, format_and_diff);
	tcase_add_test(tc, table_is_complete);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
