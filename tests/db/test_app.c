/*
 * The application layer against a real database: the screens agree with the
 * queries behind them, drafts round-trip through core.drafts (in the
 * background too) and stay private, the audit viewer's queries filter and
 * describe changes, and an unassignment reaches the operator's session as a
 * notification.
 */
#include "dbtest.h"

#include "backdesk/admin.h"
#include "backdesk/draft.h"
#include "backdesk/form.h"
#include "backdesk/screen.h"
#include "backdesk/session.h"

#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static struct dbtest t;

static bool
has_column(const struct bd_db_result *res, const char *name)
{
	return bd_db_result_col(res, name) >= 0;
}

/* Every field of a form with a load query, and every column of a list, is a
 * column of the query's result. */
static void
test_screens_match_their_queries(void **state)
{
	static const struct {
		const char *screen, *key; /* key: the load query's $1 */
		int nparams;		  /* list query: that many NULL parameters */
	} screens[] = {
	    {"admin.clients", NULL, 1},	  {"admin.client", "ACME", 0},
	    {"admin.operators", NULL, 2}, {"admin.operator", "clerk1", 0},
	    {"admin.audit", NULL, 9},	  {"admin.audit_filter", NULL, 0},
	    {"app.clients", NULL, 0},	  {"app.signon", NULL, 0},
	};
	static const char *const nulls[9] = {NULL};
	struct bd_db *db = dbtest_connect(&t, "admin1");
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(screens) / sizeof(*screens); i++) {
		struct bd_err err = BD_ERR_INIT;
		struct bd_screen s;
		struct bd_db_result *res = NULL;

		bd_screen_init(&s);
		if (bd_screen_load_embedded(&s, screens[i].screen, &err) < 0)
			fail_msg("%s: %s", screens[i].screen, err.msg);
		assert_string_equal(s.name, screens[i].screen);
		assert_true(*s.help); /* F1 has something to say on every screen */
		if (s.kind == BD_SCREEN_LIST)
			res = bd_db_query(db, s.query, screens[i].nparams, nulls, &err);
		else if (s.load)
			res = bd_db_query(db, s.load, BD_PARAMS(screens[i].key), &err);
		if (s.kind == BD_SCREEN_LIST || s.load) {
			if (!res)
				fail_msg("%s: %s (%s)", screens[i].screen, err.msg, err.detail);
			assert_true(bd_db_result_rows(res) > 0);
		}
		for (j = 0; s.kind == BD_SCREEN_LIST && j < s.ncolumns; j++)
			/* app.signon's can_do is the role's menu, added by app.c */
			if (!has_column(res, s.columns[j].name) &&
			    strcmp(s.columns[j].name, "can_do"))
				fail_msg("%s: no column %s", s.name, s.columns[j].name);
		for (j = 0; s.kind == BD_SCREEN_FORM && s.load && j < s.nfields; j++)
			if (!has_column(res, s.fields[j].name))
				fail_msg("%s: no column %s", s.name, s.fields[j].name);
		for (j = 0; s.kind == BD_SCREEN_LIST && j < s.noptions; j++) {
			const char *q = s.options[j].action;

			assert_true(!q || bd_query_sql(q) != NULL);
		}
		bd_db_result_free(res);
		bd_screen_release(&s);
	}
	bd_db_free(db);
}

/* A client form with a code and name typed. */
static void
client_form(struct bd_screen *s, struct bd_form *f, const char *code, const char *name)
{
	struct bd_err err = BD_ERR_INIT;

	bd_screen_init(s);
	assert_int_equal(bd_screen_load_embedded(s, "admin.client", &err), 0);
	bd_form_init(f, s);
	bd_form_load_defaults(f);
	assert_int_equal(bd_form_set_value(f, (size_t)bd_screen_field_index(s, "code"), code, &err),
			 0);
	assert_int_equal(bd_form_set_value(f, (size_t)bd_screen_field_index(s, "name"), name, &err),
			 0);
}

static long long
drafts_of(struct bd_db *db, const char *key)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(db, "draft.get", BD_PARAMS(key), &err);
	long long n;

	if (!res)
		fail_msg("draft.get: %s (%s)", err.msg, err.detail);
	n = bd_db_result_rows(res);
	bd_db_result_free(res);
	return n;
}

static void
test_draft_roundtrip(void **state)
{
	struct bd_db *db = dbtest_connect(&t, "admin1");
	struct bd_db *other = dbtest_connect(&t, "clerk1");
	struct bd_err err = BD_ERR_INIT;
	struct bd_screen s;
	struct bd_form f, back;
	struct bd_draft d;
	struct bd_db_result *res;
	struct strbuf expect = STRBUF_INIT;
	struct pollfd pfd;
	const char *data;

	(void)state;
	client_form(&s, &f, "INITECH", "Initech Software");
	bd_draft_init(&d, db, &f, "admin.client", NULL, NULL);
	assert_string_equal(d.key, "admin.client");

	/* Field exit: sent in the background; the caller does not wait. */
	bd_draft_touch(&d);
	assert_true(d.stored);
	pfd.fd = bd_db_socket(db);
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	bd_db_poll_background(db);

	res = bd_db_query(db, "draft.get", BD_PARAMS("admin.client"), &err);
	assert_non_null(res);
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_true(bd_db_result_isnull(res, 0, 1)); /* no client: an admin screen */
	bd_form_draft_save(&f, &expect);
	data = bd_db_result_get(res, 0, 0);
	assert_string_equal(data, expect.buf);

	/* Restored into a fresh form, the values come back. */
	bd_form_init(&back, &s);
	assert_int_equal(bd_form_draft_restore(&back, data, strlen(data), &err), 0);
	assert_string_equal(bd_form_value_by_name(&back, "code"), "INITECH");
	assert_string_equal(bd_form_value_by_name(&back, "name"), "Initech Software");
	bd_form_release(&back);
	bd_db_result_free(res);

	/* Another operator never sees it. */
	assert_int_equal(drafts_of(other, "admin.client"), 0);

	/* Hangup: saved at once, the latest values. */
	assert_int_equal(bd_form_set_value(&f, 1, "Initech Software Ltd", &err), 0);
	assert_int_equal(bd_draft_save_now(&d, &err), 0);
	res = bd_db_query(db, "draft.get", BD_PARAMS("admin.client"), &err);
	assert_non_null(res);
	assert_non_null(strstr(bd_db_result_get(res, 0, 0), "Initech Software Ltd"));
	bd_db_result_free(res);

	/* Saved or cancelled: gone. */
	assert_int_equal(bd_draft_discard(&d, &err), 0);
	assert_int_equal(drafts_of(db, "admin.client"), 0);

	bd_draft_release(&d);
	strbuf_release(&expect);
	bd_form_release(&f);
	bd_screen_release(&s);
	bd_db_free(other);
	bd_db_free(db);
}

static void
test_draft_touch_skips_unchanged(void **state)
{
	struct bd_db *db = dbtest_connect(&t, "admin1");
	struct bd_err err = BD_ERR_INIT;
	struct bd_screen s;
	struct bd_form f;
	struct bd_draft d;

	(void)state;
	client_form(&s, &f, "ACME", "Acme Health Insurance");
	bd_draft_init(&d, db, &f, "admin.client", "ACME", NULL);
	assert_string_equal(d.key, "admin.client:ACME");
	/* Loaded from the database: the baseline, nothing to save yet. */
	bd_draft_baseline(&d);
	bd_draft_touch(&d);
	assert_false(d.stored);
	assert_int_equal(drafts_of(db, "admin.client:ACME"), 0);
	/* A discard with nothing stored sends nothing and succeeds. */
	assert_int_equal(bd_draft_discard(&d, &err), 0);
	/* Changed: stored (the next query completes the background save). */
	assert_int_equal(bd_form_set_value(&f, 1, "Acme Health", &err), 0);
	bd_draft_touch(&d);
	assert_true(d.stored);
	assert_int_equal(drafts_of(db, "admin.client:ACME"), 1);
	assert_int_equal(bd_draft_discard(&d, &err), 0);
	assert_int_equal(drafts_of(db, "admin.client:ACME"), 0);
	bd_draft_release(&d);
	bd_form_release(&f);
	bd_screen_release(&s);
	bd_db_free(db);
}

static void
test_draft_keys_and_times(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *screen, *record, *key;

	(void)state;
	key = bd_draft_key("admin.operator", "clerk1");
	assert_string_equal(key, "admin.operator:clerk1");
	bd_draft_split_key(key, &screen, &record);
	assert_string_equal(screen, "admin.operator");
	assert_string_equal(record, "clerk1");
	free(screen);
	free(record);
	free(key);
	key = bd_draft_key("admin.client", NULL);
	bd_draft_split_key(key, &screen, &record);
	assert_string_equal(screen, "admin.client");
	assert_null(record);
	free(screen);
	free(key);

	bd_draft_when("2024-11-23 14:02:11.5+00", "2024-11-23", &sb);
	assert_string_equal(sb.buf, "14:02");
	strbuf_reset(&sb);
	bd_draft_when("2024-11-22 14:02:11+00", "2024-11-23", &sb);
	assert_string_equal(sb.buf, "2024-11-22 14:02");
	strbuf_release(&sb);
}

static void
test_codes_array(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	bd_admin_codes_array("acme, GLOBEX  acme,,", &sb);
	assert_string_equal(sb.buf, "{ACME,GLOBEX}");
	strbuf_reset(&sb);
	bd_admin_codes_array("  ", &sb);
	assert_string_equal(sb.buf, "{}");
	strbuf_release(&sb);
}

/* The audit viewer: filters, text search, sort, and the change description. */
static void
test_audit_viewer_queries(void **state)
{
	struct bd_db *db = dbtest_connect(&t, "admin1");
	struct bd_db *acct = dbtest_connect(&t, "acct1");
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	char seq[32];

	(void)state;
	assert_int_equal(
	    bd_db_run(db, "admin.client_rename", BD_PARAMS("GLOBEX", "Globex Corp"), &err), 0);
	res = bd_db_query(
	    db, "app.audit_list",
	    BD_PARAMS("*", "clients", "admin1", NULL, NULL, "10", "0", "GLOBEX CORP", NULL), &err);
	assert_non_null(res);
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(bd_db_result_get(res, 0, bd_db_result_col(res, "op")), "UPDATE");
	snprintf(seq, sizeof(seq), "%s", bd_db_result_get(res, 0, bd_db_result_col(res, "seq")));
	bd_db_result_free(res);

	res = bd_db_query(db, "app.audit_get", BD_PARAMS("*", seq), &err);
	assert_non_null(res);
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(bd_db_result_get(res, 0, bd_db_result_col(res, "changes")),
			    "name: \"Globex Supplies\"  ->  \"Globex Corp\"");
	assert_non_null(
	    strstr(bd_db_result_get(res, 0, bd_db_result_col(res, "old")), "code: \"GLOBEX\""));
	bd_db_result_free(res);

	/* A text that is nowhere: no rows. Sorting by a column works. */
	res = bd_db_query(
	    db, "app.audit_list",
	    BD_PARAMS(NULL, NULL, NULL, NULL, NULL, NULL, NULL, "no such text 42", NULL), &err);
	assert_non_null(res);
	assert_int_equal(bd_db_result_rows(res), 0);
	bd_db_result_free(res);
	res = bd_db_query(db, "app.audit_list",
			  BD_PARAMS(NULL, NULL, NULL, NULL, NULL, "5", "0", NULL, "actor"), &err);
	assert_non_null(res);
	assert_int_equal(bd_db_result_rows(res), 5);
	bd_db_result_free(res);

	/* An accountant does not read the firm-level chain. */
	res = bd_db_query(acct, "app.audit_list",
			  BD_PARAMS("*", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), &err);
	assert_non_null(res);
	assert_int_equal(bd_db_result_rows(res), 0);
	bd_db_result_free(res);
	res = bd_db_query(acct, "app.audit_get", BD_PARAMS("*", seq), &err);
	assert_non_null(res);
	assert_int_equal(bd_db_result_rows(res), 0);
	bd_db_result_free(res);

	assert_int_equal(
	    bd_db_run(db, "admin.client_rename", BD_PARAMS("GLOBEX", "Globex Supplies"), &err), 0);
	bd_db_free(acct);
	bd_db_free(db);
}

/* What the app listens for: unassigning an operator notifies their session,
 * and app.my_clients then lists one client fewer. */
static void
test_unassign_reaches_the_session(void **state)
{
	struct bd_db *admin = dbtest_connect(&t, "admin1");
	struct bd_db *clerk = dbtest_connect(&t, "clerk2");
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	struct pollfd pfd;
	char *channel = NULL, *payload = NULL, *mine;

	(void)state;
	res = bd_db_query(clerk, "core.operator_channel", BD_NO_PARAMS, &err);
	assert_non_null(res);
	assert_int_equal(bd_db_result_rows(res), 1);
	mine = strdup(bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	assert_int_equal(bd_db_listen(clerk, mine, &err), 0);
	res = bd_db_query(clerk, "app.my_clients", BD_NO_PARAMS, &err);
	assert_non_null(res);
	assert_int_equal(bd_db_result_rows(res), 2);
	bd_db_result_free(res);

	assert_int_equal(bd_db_run(admin, "admin.unassign", BD_PARAMS("clerk2", "GLOBEX"), &err),
			 0);
	pfd.fd = bd_db_socket(clerk);
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	assert_int_equal(bd_db_consume(clerk, &err), 0);
	assert_int_equal(bd_db_next_notify(clerk, &channel, &payload), 1);
	/* The operator's own channel, and nothing in the payload (session.h). */
	assert_string_equal(channel, mine);
	assert_string_equal(payload, "");
	free(mine);
	free(channel);
	free(payload);

	res = bd_db_query(clerk, "app.my_clients", BD_NO_PARAMS, &err);
	assert_non_null(res);
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(bd_db_result_get(res, 0, bd_db_result_col(res, "code")), "ACME");
	bd_db_result_free(res);

	assert_int_equal(bd_db_run(admin, "admin.assign", BD_PARAMS("clerk2", "GLOBEX"), &err), 0);
	bd_db_free(clerk);
	bd_db_free(admin);
}

/* Lists over rows in memory: filter in any column, sort by a list column,
 * then the page. */
static void
test_rows_page(void **state)
{
	static const char *const names[] = {"code", "name"};
	static const char *const data[][2] = {
	    {"GLOBEX", "Globex Supplies"}, {"ACME", "Acme Health"}, {"INITECH", "Initech"}};
	struct bd_err err = BD_ERR_INIT;
	struct bd_screen def;
	struct bd_ui_rows rows, out;
	struct bd_ui_list_query q = {"", 1};
	size_t i;

	(void)state;
	bd_screen_init(&def);
	assert_int_equal(bd_screen_load_embedded(&def, "app.clients", &err), 0);
	bd_ui_rows_init(&rows);
	bd_ui_rows_set_columns(&rows, 2, names);
	for (i = 0; i < 3; i++)
		bd_ui_rows_add(&rows, data[i]);

	bd_ui_rows_init(&out);
	bd_session_rows_page(&rows, &def, &q, 0, 2, &out); /* by name */
	assert_int_equal(out.nrows, 2);
	assert_string_equal(bd_ui_rows_get(&out, 0, "code"), "ACME");
	assert_string_equal(bd_ui_rows_get(&out, 1, "code"), "GLOBEX");
	bd_ui_rows_release(&out);

	bd_ui_rows_init(&out);
	bd_session_rows_page(&rows, &def, &q, 2, 2, &out); /* the second page */
	assert_int_equal(out.nrows, 1);
	assert_string_equal(bd_ui_rows_get(&out, 0, "code"), "INITECH");
	bd_ui_rows_release(&out);

	q.filter = "SUPPL"; /* case-insensitive, any column */
	q.sort = 0;
	bd_ui_rows_init(&out);
	bd_session_rows_page(&rows, &def, &q, 0, 10, &out);
	assert_int_equal(out.nrows, 1);
	assert_string_equal(bd_ui_rows_get(&out, 0, "code"), "GLOBEX");
	bd_ui_rows_release(&out);

	bd_ui_rows_release(&rows);
	bd_screen_release(&def);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_screens_match_their_queries),
	    cmocka_unit_test(test_draft_roundtrip),
	    cmocka_unit_test(test_draft_touch_skips_unchanged),
	    cmocka_unit_test(test_draft_keys_and_times),
	    cmocka_unit_test(test_codes_array),
	    cmocka_unit_test(test_rows_page),
	    cmocka_unit_test(test_audit_viewer_queries),
	    cmocka_unit_test(test_unassign_reaches_the_session),
	};
	int rc;

	dbtest_start(&t, true);
	rc = cmocka_run_group_tests_name("app", tests, NULL, NULL);
	dbtest_stop(&t);
	return rc;
}
