/*
 * Recurring journal entries (issue 19; 076_ledger_recurring.sql,
 * ledger.recurring_*): a template made from an entry, posted on its
 * schedule as ordinary entries for approval; a second post makes nothing;
 * day 31 is February's last day; another client's template is invisible and
 * never posted by someone not assigned to it; the command line does the
 * same and says what it does.
 */
#include "dbtest.h"

#include "backdesk/command.h"
#include "backdesk/ledger.h"
#include "backdesk/strbuf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static struct dbtest t;
static struct bd_db *su, *acct1, *acct2;

/* Runs `backdesk ledger ARGS... NULL` in process as `login`. */
#define cli(login, ...)                                                                            \
	dbtest_cli(&t, login, bd_ledger_cli, "ledger", (const char *const[]){__VA_ARGS__})

static long long
count(const char *sql, const char *arg)
{
	return dbtest_scalar(su, sql, arg ? 1 : 0, arg ? (const char *const[]){arg} : NULL);
}

/* Client `code` with the fiscal year 2024 and two accounts, for `logins`
 * (an array literal ending in NULL). */
static void
new_client(const char *code, const char *const *logins)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "SELECT core.client_add('%s', 'Recurring %s')", code, code);
	dbtest_exec(su, sql);
	for (; *logins; logins++) {
		snprintf(sql, sizeof(sql), "SELECT core.assign('%s', '%s')", *logins, code);
		dbtest_exec(su, sql);
	}
	assert_int_equal(cli("acct2", "year", "open", code, "2024", NULL), 0);
	assert_int_equal(cli("acct2", "account", "add", code, "Expenses:Rent", NULL), 0);
	assert_int_equal(cli("acct2", "account", "add", code, "Assets:Bank", NULL), 0);
}

/* A draft entry of `code` made by `db`: rent 1,200.00 from the bank. */
static char *
rent_entry(struct bd_db *db, const char *code, const char *date)
{
	struct bd_db_result *res = dbtest_named(
	    db, "ledger.entry_create",
	    BD_PARAMS(code, "GJ", date, "RENT", "Office rent",
		      "[{\"account\":\"Expenses:Rent\",\"debit\":\"1200.00\",\"memo\":\"rent\"},"
		      "{\"account\":\"Assets:Bank\",\"credit\":\"1200.00\"}]",
		      NULL));
	char *id = strdup(bd_db_result_get(res, 0, 0));

	bd_db_result_free(res);
	return id;
}

/* The dates of `code`'s entries made from recurring entries, "d1,d2,...". */
static char *
made_dates(const char *code)
{
	return dbtest_text(
	    su,
	    "SELECT coalesce(string_agg(e.entry_date::text || '/' || e.status, ',' "
	    "ORDER BY e.entry_date), '') FROM ledger.recurring_posts p "
	    "JOIN ledger.entries e ON e.client_id = p.client_id AND e.entry_id = "
	    "p.entry_id JOIN core.clients c ON c.client_id = p.client_id WHERE c.code = $1",
	    code);
}

/* Monthly on the 31st from January: February's is its last day (29th in
 * 2024), April's the 30th; posting twice, or through an earlier date, makes
 * nothing new; each entry waits for another accountant's approval. */
static void
test_monthly_month_end_and_twice(void **state)
{
	struct bd_db_result *res;
	char *id, *dates, *tid;

	(void)state;
	new_client("RA", (const char *const[]){"acct1", "acct2", NULL});
	id = rent_entry(acct1, "RA", "2024-01-31");
	res = dbtest_named(acct1, "ledger.recurring_add",
			   BD_PARAMS("RA", "Rent", id, "month", "31", "2024-01-31", NULL));
	tid = strdup(bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	/* the template holds the entry's lines */
	assert_int_equal(count("SELECT count(*) FROM ledger.recurring_lines WHERE template_id = "
			       "$1::bigint AND (debit = 1200 OR credit = 1200)",
			       tid),
			 2);

	res = dbtest_named(acct1, "ledger.recurring_post", BD_PARAMS("RA", "2024-04-30", "false"));
	assert_int_equal(bd_db_result_rows(res), 4);
	bd_db_result_free(res);
	dates = made_dates("RA");
	assert_string_equal(dates, "2024-01-31/submitted,2024-02-29/submitted,"
				   "2024-03-31/submitted,2024-04-30/submitted");
	free(dates);
	/* again, and through an earlier date: nothing new */
	res = dbtest_named(acct1, "ledger.recurring_post", BD_PARAMS("RA", "2024-04-30", "false"));
	assert_int_equal(bd_db_result_rows(res), 0);
	bd_db_result_free(res);
	res = dbtest_named(acct2, "ledger.recurring_post", BD_PARAMS(NULL, "2024-03-15", "false"));
	assert_int_equal(bd_db_result_rows(res), 0);
	bd_db_result_free(res);
	assert_int_equal(count("SELECT count(*) FROM ledger.entries e JOIN core.clients c USING "
			       "(client_id) WHERE c.code = $1 AND e.reference = 'RENT'",
			       "RA"),
			 5); /* the source entry and four made */
	/* the database refuses a second row for a period, whoever writes it */
	assert_true(
	    dbtest_fails(su,
			 "INSERT INTO ledger.recurring_posts (client_id, template_id, period, "
			 "entry_date) SELECT client_id, template_id, '2024-02-01', "
			 "'2024-02-15' FROM ledger.recurring WHERE template_id = $1::bigint",
			 1, (const char *const[]){tid}, NULL));
	/* a deleted draft's month stays made */
	res = dbtest_named(acct1, "ledger.recurring_post", BD_PARAMS("RA", "2024-05-31", "true"));
	assert_int_equal(bd_db_result_rows(res), 1);
	dbtest_named_ok(acct1, "ledger.entry_delete", BD_PARAMS("RA", bd_db_result_get(res, 0, 4)));
	bd_db_result_free(res);
	res = dbtest_named(acct1, "ledger.recurring_post", BD_PARAMS("RA", "2024-05-31", "false"));
	assert_int_equal(bd_db_result_rows(res), 0);
	bd_db_result_free(res);
	/* the list shows the last month made and the next date due */
	res = dbtest_named(acct1, "ledger.recurring_list", BD_PARAMS("RA"));
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(dbtest_col(res, 0, "last_period"), "2024-05-01");
	assert_string_equal(dbtest_col(res, 0, "next_due"), "2024-06-30");
	bd_db_result_free(res);
	/* a made entry is approved as any other, by another accountant */
	res = dbtest_named(acct2, "ledger.pending_approvals", BD_PARAMS("RA"));
	assert_int_equal(bd_db_result_rows(res), 4);
	bd_db_result_free(res);
	free(tid);
	free(id);
}

/* Quarterly with an end date, yearly; the refusals say what is wrong. */
static void
test_quarterly_yearly_and_refusals(void **state)
{
	struct bd_db_result *res;
	char *id, *dates;
	struct bd_err err;

	(void)state;
	new_client("RQ", (const char *const[]){"acct1", "acct2", NULL});
	id = rent_entry(acct1, "RQ", "2024-01-15");
	dbtest_named_ok(
	    acct1, "ledger.recurring_add",
	    BD_PARAMS("RQ", "Quarterly", id, "quarter", NULL, "2024-02-10", "2024-09-30"));
	dbtest_named_ok(acct1, "ledger.recurring_add",
			BD_PARAMS("RQ", "Yearly", id, "year", "30", "2024-12-01", NULL));
	res = dbtest_named(acct1, "ledger.recurring_post", BD_PARAMS("RQ", "2024-12-31", "true"));
	assert_int_equal(bd_db_result_rows(res), 4);
	bd_db_result_free(res);
	dates = made_dates("RQ");
	assert_string_equal(dates, "2024-02-10/draft,2024-05-10/draft,2024-08-10/draft,"
				   "2024-12-30/draft");
	free(dates);
	err = dbtest_named_refused(acct1, "ledger.recurring_add",
				   BD_PARAMS("RQ", "Weekly", id, "week", NULL, "2024-01-01", NULL));
	assert_non_null(strstr(err.msg, "every month, quarter or year"));
	err = dbtest_named_refused(acct1, "ledger.recurring_add",
				   BD_PARAMS("RQ", "Yearly", id, "year", NULL, "2024-01-01", NULL));
	assert_string_equal(err.sqlstate, "BD003");
	err =
	    dbtest_named_refused(acct1, "ledger.recurring_add",
				 BD_PARAMS("RQ", "Bad day", id, "month", "32", "2024-01-01", NULL));
	assert_non_null(strstr(err.msg, "1 to 31"));
	/* a date no period covers refuses the whole post, naming the template */
	err = dbtest_named_refused(acct1, "ledger.recurring_post",
				   BD_PARAMS("RQ", "2025-12-31", "false"));
	assert_non_null(strstr(err.msg, "Yearly"));
	assert_int_equal(count("SELECT count(*) FROM ledger.recurring_posts p JOIN core.clients c "
			       "USING (client_id) WHERE c.code = $1",
			       "RQ"),
			 4);
	free(id);
}

/* acct2's template of RB, a client acct1 is not assigned to: acct1 neither
 * sees it nor posts it, even posting for all their clients. */
static void
test_other_clients_template_invisible(void **state)
{
	struct bd_db_result *res;
	char *id;

	(void)state;
	new_client("RB", (const char *const[]){"acct2", NULL});
	id = rent_entry(acct2, "RB", "2024-01-31");
	dbtest_named_ok(acct2, "ledger.recurring_add",
			BD_PARAMS("RB", "Rent B", id, "month", "31", "2024-01-31", NULL));
	assert_int_equal(dbtest_scalar(acct1,
				       "SELECT count(*) FROM ledger.recurring r JOIN "
				       "core.clients c USING (client_id) WHERE c.code = 'RB'",
				       0, NULL),
			 0);
	assert_int_equal(count("SELECT count(*) FROM ledger.recurring_lines l JOIN core.clients c "
			       "USING (client_id) WHERE c.code = $1",
			       "RB"),
			 2);
	assert_int_equal(dbtest_scalar(acct1,
				       "SELECT count(*) FROM ledger.recurring_lines l JOIN "
				       "ledger.recurring r USING (client_id, template_id) "
				       "WHERE r.name = 'Rent B'",
				       0, NULL),
			 0);
	dbtest_named_refused(acct1, "ledger.recurring_list", BD_PARAMS("RB"));
	dbtest_named_refused(acct1, "ledger.recurring_post",
			     BD_PARAMS("RB", "2024-03-31", "false"));
	dbtest_named_refused(acct1, "ledger.recurring_add",
			     BD_PARAMS("RA", "Stolen", id, "month", "31", "2024-01-31", NULL));
	res = dbtest_named(acct1, "ledger.recurring_post", BD_PARAMS(NULL, "2024-03-31", "false"));
	for (int r = 0; r < bd_db_result_rows(res); r++)
		assert_string_not_equal(bd_db_result_get(res, r, 0), "RB");
	bd_db_result_free(res);
	assert_int_equal(count("SELECT count(*) FROM ledger.recurring_posts p JOIN core.clients c "
			       "USING (client_id) WHERE c.code = $1",
			       "RB"),
			 0);
	free(id);
}

/* The command: add, list, post twice, and --help says what it does. */
static void
test_command(void **state)
{
	char *id, *dates;

	(void)state;
	new_client("RC", (const char *const[]){"acct1", "acct2", NULL});
	id = rent_entry(acct1, "RC", "2024-01-31");
	assert_int_equal(cli("acct1", "recurring", "--help", NULL), 0);
	assert_non_null(strstr(bd_ledger_cli_details, "\nrecurring:\n  "));
	assert_int_equal(cli("acct1", "recurring", "add", "RC", "Rent", "--entry", id, "--every",
			     "month", "--day", "31", "--start", "2024-01-31", NULL),
			 0);
	assert_int_equal(cli("acct1", "recurring", "add", "RC", "Rent 2", "--entry", id, NULL), 2);
	assert_int_equal(cli("acct1", "recurring", "list", "RC", NULL), 0);
	assert_int_equal(cli("acct1", "recurring", "post", "RC", "--through", "2024-02-29", NULL),
			 0);
	assert_int_equal(cli("acct1", "recurring", "post", "--through", "2024-02-29", NULL), 0);
	assert_int_equal(cli("acct1", "recurring", "post", "RC", "--through", "someday", NULL), 2);
	dates = made_dates("RC");
	assert_string_equal(dates, "2024-01-31/submitted,2024-02-29/submitted");
	free(dates);
	free(id);
}

/* An import's entries are checked per statement (ledger.import_entries_check,
 * not the row trigger): one written posted, or into a batch no longer open,
 * is refused whoever writes it. */
static void
test_import_entries_checked(void **state)
{
	struct bd_db_result *res;
	char *batch;
	const char *ins = "INSERT INTO ledger.entries (client_id, journal, fiscal_year, period_no, "
			  "entry_date, status, batch_id, submitted_at, entry_no, approver, "
			  "posted_at) SELECT c.client_id, 'GJ', 2024, 1, '2024-01-05', $2, "
			  "$1::bigint, now(), $3::integer, $4, $5::timestamptz FROM core.clients "
			  "c WHERE c.code = 'RA'";
	struct bd_err err;

	(void)state;
	res = dbtest_named(acct1, "ledger.import_begin", BD_PARAMS("RA", "test", "[]"));
	batch = strdup(bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	/* an import's entries are written posted by the approval of a batch
	 * that waits for it, by its approver: not into an open batch */
	assert_true(dbtest_fails(
	    su, ins, 5, (const char *const[]){batch, "posted", "1", "acct2", "2024-01-05"}, &err));
	assert_non_null(strstr(err.msg, "by the approval of its import"));
	/* nor submitted, as the importer once wrote them */
	assert_true(
	    dbtest_fails(su,
			 "INSERT INTO ledger.entries (client_id, journal, fiscal_year, "
			 "period_no, entry_date, status, batch_id, submitted_at, maker) SELECT "
			 "c.client_id, 'GJ', 2024, 1, '2024-01-05', 'submitted', $1::bigint, "
			 "now(), 'acct2' FROM core.clients c WHERE c.code = 'RA'",
			 1, (const char *const[]){batch}, &err));
	assert_non_null(strstr(err.msg, "by the approval of its import"));
	free(batch);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_monthly_month_end_and_twice),
	    cmocka_unit_test(test_quarterly_yearly_and_refusals),
	    cmocka_unit_test(test_other_clients_template_invisible),
	    cmocka_unit_test(test_command),
	    cmocka_unit_test(test_import_entries_checked),
	};
	int rc;

	dbtest_start(&t, true);
	su = dbtest_connect(&t, NULL);
	acct1 = dbtest_connect(&t, "acct1");
	acct2 = dbtest_connect(&t, "acct2");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	bd_db_free(acct2);
	bd_db_free(acct1);
	bd_db_free(su);
	dbtest_stop(&t);
	return rc;
}
