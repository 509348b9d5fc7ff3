/* Tests for core/api: the calls against a real okaya-sandbox, and reading
 * GET /groups and GET /participants answers (int64 IDs, both spellings). */
#include <json-c/json.h>
#include "api.h"
#include "testutil.h"

static char err[512];
static struct sandbox sb;

static void sandbox_up(void)
{
	ck_assert_msg(sandbox_spawn(&sb, NULL) == 0, "cannot start okaya-sandbox");
}
static void sandbox_down(void) { sandbox_kill(&sb); }

static struct engine *demo_engine(const char *key)
{
	struct engine_opts o = { .base_url = sb.url, .api_key = key, .timeout_s = 5 };
	struct engine *e = engine_new(&o, err, sizeof err);
	ck_assert_msg(e != NULL, "engine_new: %s", err);
	return e;
}

/* Starts a call (id from an api_* function) and waits for its result. */
static struct result *wait_for(struct engine *e, long id)
{
	ck_assert_msg(id > 0, "request refused: %s", err);
	engine_run(e);
	struct result *r = engine_take_done(e, NULL);
	ck_assert_ptr_nonnull(r);
	return r;
}

/* A result as the engine would hand it over, from a literal body: for the
 * parsers' corner cases the sandbox never produces. */
static struct result *result_with(long status, const char *body)
{
	struct result *r = calloc(1, sizeof *r);
	r->status = status;
	r->body = strdup(body);
	r->body_len = strlen(body);
	r->json = json_tokener_parse(body);
	r->retry_after_s = -1;
	return r;
}

static struct group_info *find_group(struct group_info *g, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(g[i].id, id) == 0)
			return &g[i];
	return NULL;
}

START_TEST(set_then_read_back_groups)
{
	struct engine *e = demo_engine("demo-key");
	struct target t;
	ck_assert_int_eq(target_set(&t, TARGET_GROUP, "1710748366424", err, sizeof err), 0);
	level_t sent = FLAG_GROUP_PERCENTILES | FLAG_FEATURES;
	struct result *r = wait_for(e, api_set_privacy(e, &t, sent, NULL, err, sizeof err));
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(r->message, "success");
	ck_assert_str_eq(r->path, "/configure/groups/1710748366424/privacy");
	result_free(r);

	r = wait_for(e, api_get_groups(e, NULL, err, sizeof err));
	struct group_info *g;
	size_t n;
	ck_assert_msg(groups_parse(r, &g, &n, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(n, 2);
	/* 1710748366424 does not fit 32 bits: it must survive as sent. */
	struct group_info *pilot = find_group(g, n, "1710748366424");
	ck_assert_ptr_nonnull(pilot);
	ck_assert_str_eq(pilot->name, "Pilot cohort");
	ck_assert_uint_eq(pilot->requested, sent);
	struct group_info *night = find_group(g, n, "123456");
	ck_assert_ptr_nonnull(night);
	ck_assert_str_eq(night->name, "Night shift");
	ck_assert_uint_eq(night->requested, FLAG_MHCI);
	ck_assert_ptr_null(find_group(g, n, "999999")); /* another enterprise's */
	group_list_free(g, n);
	result_free(r);
	engine_free(e);
}
END_TEST

START_TEST(set_participant_and_odd_ids)
{
	struct engine *e = demo_engine("demo-key");
	struct target t;
	ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, "ok_participant2", err, sizeof err), 0);
	struct result *r = wait_for(e, api_set_privacy(e, &t, LEVEL_ALL, NULL, err, sizeof err));
	ck_assert_int_eq(r->status, 200);
	result_free(r);

	/* Slashes, dots, '?', '#', '%' and spaces stay inside one ID. The
	 * fixture holds a participant literally named "ok/../x". */
	ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, "ok/../x", err, sizeof err), 0);
	r = wait_for(e, api_set_privacy(e, &t, FLAG_FEATURES, NULL, err, sizeof err));
	ck_assert_msg(r->status == 200, "%ld %s", r->status, r->body);
	result_free(r);
	r = wait_for(e, api_get_participant(e, "ok/../x", NULL, err, sizeof err));
	ck_assert_int_eq(r->status, 200);
	struct json_object *xid;
	ck_assert(json_object_object_get_ex(r->json, "externalID", &xid));
	ck_assert_str_eq(json_object_get_string(xid), "ok/../x");
	result_free(r);

	static const char *const odd[] = { "a b?c#d%", "..", ".", "ok_participant1/../ok_participant2",
					   "ok_participant1?x=1", "ok_participant1#frag" };
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, odd[i], err, sizeof err), 0);
		r = wait_for(e, api_set_privacy(e, &t, LEVEL_NONE, NULL, err, sizeof err));
		ck_assert_msg(r->status == 400 && r->error &&
			      strcmp(r->error, "Participant not found") == 0,
			      "%s: %ld %s", odd[i], r->status, r->body);
		result_free(r);
	}
	engine_free(e);
}
END_TEST

START_TEST(group_errors_through_api)
{
	struct engine *e = demo_engine("demo-key");
	struct target t;
	ck_assert_int_eq(target_set(&t, TARGET_GROUP, "42", err, sizeof err), 0);
	struct result *r = wait_for(e, api_set_privacy(e, &t, FLAG_MHCI, NULL, err, sizeof err));
	ck_assert_int_eq(r->status, 400);
	ck_assert_str_eq(r->error, "Group not found");
	result_free(r);
	ck_assert_int_eq(target_set(&t, TARGET_GROUP, "999999", err, sizeof err), 0);
	r = wait_for(e, api_set_privacy(e, &t, FLAG_MHCI, NULL, err, sizeof err));
	ck_assert_str_eq(r->error, "Group doesn't exist in associated groups");
	result_free(r);
	/* Bits outside the five flags never reach the wire. */
	ck_assert_int_eq(api_set_privacy(e, &t, 1u << 9, NULL, err, sizeof err), -1);
	ck_assert_int_eq(engine_pending(e), 0);
	engine_free(e);
}
END_TEST

START_TEST(groups_need_a_good_key)
{
	struct engine *e = demo_engine("wrong-key");
	struct result *r = wait_for(e, api_get_groups(e, NULL, err, sizeof err));
	struct group_info *g;
	size_t n;
	ck_assert_int_eq(groups_parse(r, &g, &n, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "401"));
	ck_assert_ptr_null(g);
	ck_assert_uint_eq(n, 0);
	result_free(r);
	engine_free(e);
}
END_TEST

START_TEST(participant_memberships)
{
	struct engine *e = demo_engine("demo-key");
	struct result *r = wait_for(e, api_get_participant(e, "ok_participant1", NULL, err, sizeof err));
	ck_assert_int_eq(r->status, 200);
	struct membership *m;
	size_t n;
	ck_assert_msg(participant_parse(r, &m, &n, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_ge(n, 1);
	for (size_t i = 0; i < n; i++) {
		ck_assert(strcmp(m[i].group_id, "1710748366424") == 0 ||
			  strcmp(m[i].group_id, "123456") == 0);
		ck_assert_int_ge(m[i].privacy_level, 0);
		ck_assert_ptr_nonnull(m[i].join_date);
	}
	membership_list_free(m, n);
	result_free(r);

	r = wait_for(e, api_get_participant(e, "ok_nobody", NULL, err, sizeof err));
	ck_assert_int_eq(r->status, 400);
	ck_assert_str_eq(r->error, "Participant not found");
	ck_assert_int_eq(participant_parse(r, &m, &n, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "Participant not found"));
	result_free(r);

	ck_assert_int_eq(api_get_participant(e, "bad\nid", NULL, err, sizeof err), -1);
	ck_assert_int_eq(engine_pending(e), 0);
	engine_free(e);
}
END_TEST

START_TEST(email_type_checked)
{
	struct engine *e = demo_engine("demo-key");
	struct target t;
	ck_assert_int_eq(target_set(&t, TARGET_GROUP, "123456", err, sizeof err), 0);
	ck_assert_int_eq(api_send_email(e, &t, "spam", NULL, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "privacyRequest"));
	ck_assert_int_eq(api_send_email(e, &t, NULL, NULL, err, sizeof err), -1);
	ck_assert_int_eq(engine_pending(e), 0);
	struct result *r = wait_for(e, api_send_email(e, &t, "privacyRequest", NULL, err, sizeof err));
	ck_assert_str_eq(r->path, "/interact/groups/123456/email");
	ck_assert_msg(r->status == 200, "%ld %s", r->status, r->body);
	ck_assert_str_eq(r->message, "success");
	result_free(r);
	ck_assert_int_eq(target_set(&t, TARGET_PARTICIPANT, "ok_nobody", err, sizeof err), 0);
	r = wait_for(e, api_send_email(e, &t, "checkinReminder", NULL, err, sizeof err));
	ck_assert_int_eq(r->status, 400);
	ck_assert_str_eq(r->error, "Participant not found");
	result_free(r);
	engine_free(e);
}
END_TEST

START_TEST(no_key_no_request)
{
	struct engine *e = demo_engine(NULL);
	ck_assert_int_eq(api_get_groups(e, NULL, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "no API key configured"));
	engine_free(e);
}
END_TEST

/* ---- parsers on literal answers --------------------------------------- */

START_TEST(groups_parse_shapes)
{
	struct group_info *g;
	size_t n;
	struct result *r = result_with(200,
		"[{\"groupID\": 9223372036854775807, \"groupName\": \"Big\", "
		"\"requestedPrivacyLevel\": [\"groupPercentiles\", \"MHCI\"], \"consentRequired\": true, "
		"\"key\": \"gk_secret\"},"
		" {\"groupID\": \"1710748366424\", \"groupName\": \"S\", \"consentRequired\": \"true\"},"
		" {\"groupID\": 9999999999999999999, \"requestedPrivacyLevel\": [\"groupPerecntiles\"],"
		"  \"consentRequired\": \"false\"}]");
	ck_assert_msg(groups_parse(r, &g, &n, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(g[0].id, "9223372036854775807");
	ck_assert_uint_eq(g[0].requested, FLAG_GROUP_PERCENTILES | FLAG_MHCI);
	ck_assert(g[0].consent_required);
	ck_assert_str_eq(g[1].id, "1710748366424");
	ck_assert_uint_eq(g[1].requested, LEVEL_NONE);
	ck_assert(g[1].consent_required);
	ck_assert_str_eq(g[1].name, "S");
	ck_assert_str_eq(g[2].id, "9999999999999999999"); /* 19 digits, exact */
	ck_assert_uint_eq(g[2].requested, FLAG_GROUP_PERCENTILES);
	ck_assert(!g[2].consent_required);
	ck_assert_str_eq(g[2].name, "");
	ck_assert(g[0].has_requested && g[2].has_requested && !g[1].has_requested);
	ck_assert_int_eq(g[0].consent, 1);
	ck_assert_int_eq(g[2].consent, 0);
	group_list_free(g, n);
	result_free(r);

	/* Bad or missing fields are unknown, never a made-up value. */
	r = result_with(200, "[{\"groupID\": 1, \"consentRequired\": \"yes\"},"
			" {\"groupID\": 2, \"consentRequired\": 1, \"requestedPrivacyLevel\": null},"
			" {\"groupID\": 3, \"requestedPrivacyLevel\": []}]");
	ck_assert_msg(groups_parse(r, &g, &n, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(g[0].consent, -1);
	ck_assert(!g[0].consent_required);
	ck_assert_int_eq(g[1].consent, -1);
	ck_assert_int_eq(g[2].consent, -1);
	ck_assert(!g[0].has_requested && !g[1].has_requested);
	ck_assert(g[2].has_requested);
	ck_assert_uint_eq(g[2].requested, LEVEL_NONE);
	group_list_free(g, n);
	result_free(r);

	static const char *const bad[] = {
		"{\"groupID\": 1}",                                  /* not an array */
		"[{\"groupID\": -5}]",
		"[{\"groupID\": 18446744073709551616}]",           /* 2^64: json-c clamps */
		"[{\"groupID\": 18446744073709551615}]",
		"[{\"groupID\": 10000000000000000000}]",           /* 20 digits */
		"[{\"groupID\": 123456789012345678901234567890}]",
		"[{\"groupID\": \"\"}]",
		"[{\"groupID\": 1.5}]",
		"[{\"groupID\": \"12a\"}]",
		"[{\"groupName\": \"no id\"}]",
		"[{\"groupID\": 1, \"requestedPrivacyLevel\": [\"everything\"]}]",
		"[7]",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = result_with(200, bad[i]);
		ck_assert_msg(groups_parse(r, &g, &n, err, sizeof err) == -1, "accepted %s", bad[i]);
		ck_assert_ptr_null(g);
		result_free(r);
	}
	r = result_with(200, "[]");
	ck_assert_int_eq(groups_parse(r, &g, &n, err, sizeof err), 0);
	ck_assert_uint_eq(n, 0);
	group_list_free(g, n);
	result_free(r);
}
END_TEST

START_TEST(participant_parse_shapes)
{
	struct membership *m;
	size_t n;
	struct result *r = result_with(200,
		"{\"externalID\": \"ok_p\", \"userGroups\": ["
		"{\"groupID\": 1710748366424, \"joinDate\": \"2024-01-01T00:00:00Z\", \"privacyLevel\": 3},"
		"{\"groupID\": \"5\", \"privacyLevel\": 5000000000}]}");
	ck_assert_msg(participant_parse(r, &m, &n, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(m[0].group_id, "1710748366424");
	ck_assert_str_eq(m[0].join_date, "2024-01-01T00:00:00Z");
	ck_assert_int_eq(m[0].privacy_level, 3);
	ck_assert_str_eq(m[1].group_id, "5");
	ck_assert_int_eq(m[1].privacy_level, 5000000000LL); /* no 32-bit clamp */
	membership_list_free(m, n);
	result_free(r);

	r = result_with(200, "{\"userGroups\": [{\"groupID\": 1, \"privacyLevel\": \"high\"},"
			" {\"groupID\": 2, \"privacyLevel\": -1}, {\"groupID\": 3, \"privacyLevel\": 2.5},"
			" {\"groupID\": 4}, {\"groupID\": 5, \"privacyLevel\": 9}]}");
	ck_assert_msg(participant_parse(r, &m, &n, err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(m[0].privacy_level_text, "\"high\"");
	ck_assert_str_eq(m[1].privacy_level_text, "-1");
	ck_assert_str_eq(m[2].privacy_level_text, "2.5");
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(m[i].privacy_level, -1);
	ck_assert_ptr_null(m[3].privacy_level_text);
	ck_assert_int_eq(m[4].privacy_level, 9);
	ck_assert(!privacy_level_on_ladder(9));
	ck_assert(privacy_level_on_ladder(5) && privacy_level_on_ladder(0));
	membership_list_free(m, n);
	result_free(r);

	r = result_with(200, "{\"userGroups\": [{\"groupID\": 18446744073709551616}]}");
	ck_assert_int_eq(participant_parse(r, &m, &n, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "more than 19 digits") != NULL, "%s", err);
	result_free(r);

	r = result_with(200, "{\"externalID\": \"ok_p\"}");
	ck_assert_int_eq(participant_parse(r, &m, &n, err, sizeof err), -1);
	result_free(r);
}
END_TEST

START_TEST(confirmed_needs_the_success_body)
{
	struct result *r = result_with(200, "{\"message\": \"success\"}");
	ck_assert(result_confirmed(r));
	result_free(r);
	const char *bad[] = { "{\"message\": 1}", "{}", "[\"message\"]", "{\"mess" , "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = result_with(200, bad[i]);
		ck_assert_msg(!result_confirmed(r), "confirmed: %s", bad[i]);
		result_free(r);
	}
	r = result_with(400, "{\"message\": \"success\"}");
	ck_assert(!result_confirmed(r));
	result_free(r);
	ck_assert(!result_confirmed(NULL));
}
END_TEST

START_TEST(malformed_200_is_not_confirmed)
{
	struct sandbox bad;
	const char *args[] = { "--malformed", NULL };
	ck_assert_int_eq(sandbox_spawn(&bad, args), 0);
	struct engine_opts o = { .base_url = bad.url, .api_key = "demo-key", .timeout_s = 5 };
	struct engine *e = engine_new(&o, err, sizeof err);
	ck_assert_ptr_nonnull(e);
	struct target t;
	ck_assert_int_eq(target_set(&t, TARGET_GROUP, "123456", err, sizeof err), 0);
	struct result *r = wait_for(e, api_set_privacy(e, &t, FLAG_MHCI, NULL, err, sizeof err));
	ck_assert_int_eq(r->status, 200);
	ck_assert(!result_confirmed(r));
	result_free(r);
	engine_free(e);
	sandbox_kill(&bad);

	e = demo_engine("demo-key");
	r = wait_for(e, api_set_privacy(e, &t, FLAG_MHCI, NULL, err, sizeof err));
	ck_assert(result_confirmed(r));
	result_free(r);
	engine_free(e);
}
END_TEST

START_TEST(inferred_ladder)
{
	ck_assert_uint_eq(privacy_level_inferred(0), LEVEL_NONE);
	ck_assert_uint_eq(privacy_level_inferred(-3), LEVEL_NONE);
	ck_assert_uint_eq(privacy_level_inferred(1), FLAG_MHCI);
	ck_assert_uint_eq(privacy_level_inferred(2), FLAG_MHCI | FLAG_GROUP_PERCENTILES);
	ck_assert_uint_eq(privacy_level_inferred(3),
			  FLAG_MHCI | FLAG_GROUP_PERCENTILES | FLAG_USER_PERCENTILES);
	ck_assert_uint_eq(privacy_level_inferred(4), LEVEL_ALL & ~FLAG_FEATURES);
	ck_assert_uint_eq(privacy_level_inferred(5), LEVEL_ALL);
	ck_assert_uint_eq(privacy_level_inferred(INT64_MAX), LEVEL_ALL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api");
	TCase *tc = tcase_create("parsers");
	tcase_add_test(tc, groups_parse_shapes);
	tcase_add_test(tc, participant_parse_shapes);
	tcase_add_test(tc, inferred_ladder);
	tcase_add_test(tc, confirmed_needs_the_success_body);
	suite_add_tcase(s, tc);

	/* A fresh sandbox per test: some tests change its state. */
	tc = tcase_create("sandbox");
	tcase_add_checked_fixture(tc, sandbox_up, sandbox_down);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, set_then_read_back_groups);
	tcase_add_test(tc, set_participant_and_odd_ids);
	tcase_add_test(tc, group_errors_through_api);
	tcase_add_test(tc, groups_need_a_good_key);
	tcase_add_test(tc, participant_memberships);
	tcase_add_test(tc, email_type_checked);
	tcase_add_test(tc, no_key_no_request);
	tcase_add_test(tc, malformed_200_is_not_confirmed);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
