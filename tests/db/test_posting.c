/*
 * The ledger posting interface (ledger.post_from_source): a module posts a
 * balanced entry from its approved source document, at most once per
 * source, with a keyed entry's guarantees. Called here as a module does,
 * from a definer function of its own (testmod.approve_doc); operators
 * cannot call it themselves.
 */
#include "dbtest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static struct dbtest t;
static struct bd_db *su;    /* the cluster superuser */
static struct bd_db *acct2; /* approves the source documents */
static char today[16];

static const char LINES[] = "[{\"account\":\"1100\",\"debit\":\"250.00\",\"memo\":\"doc\"},"
			    "{\"account\":\"4100\",\"credit\":\"250.00\"}]";

/* What a module's approve function does once its checker approved. */
static const char APPROVE_DOC[] =
    "SELECT testmod.approve_doc($1::text, $2::text, $3::date, $4::jsonb, $5::text)";

static long long
post(struct bd_db *db, const char *client, const char *doc, const char *date, const char *lines,
     const char *maker)
{
	return dbtest_scalar(db, APPROVE_DOC, BD_PARAMS(client, doc, date, lines, maker));
}

static void
post_fails(struct bd_db *db, const char *state, const char *client, const char *doc,
	   const char *date, const char *lines, const char *maker)
{
	struct bd_err err = BD_ERR_INIT;

	if (!dbtest_fails(db, APPROVE_DOC, BD_PARAMS(client, doc, date, lines, maker), &err))
		fail_msg("posting %s succeeded but must fail with %s", doc, state);
	if (strcmp(err.sqlstate, state))
		fail_msg("posting %s failed with %s (%s), expected %s", doc, err.sqlstate, err.msg,
			 state);
}

/* The debit balance of ACME's account `code` in the trial balance. */
static double
tb_debit(const char *code)
{
	struct bd_db_result *res =
	    dbtest_named(acct2, "ledger.report_trial_balance", BD_PARAMS("ACME", NULL));
	double v = 0;
	int r;

	for (r = 0; r < bd_db_result_rows(res); r++)
		if (!strcmp(dbtest_col(res, r, "code"), code))
			v = strtod(dbtest_col(res, r, "debit"), NULL) -
			    strtod(dbtest_col(res, r, "credit"), NULL);
	bd_db_result_free(res);
	return v;
}

static void
test_same_source_twice_is_one_entry(void **state)
{
	double before = tb_debit("1100");
	long long id, again;
	char ids[24];

	(void)state;
	id = post(acct2, "ACME", "D-1", today, LINES, "acct1");
	again = post(acct2, "ACME", "D-1", today, LINES, "acct1");
	assert_true(id > 0);
	assert_int_equal(id, again);
	snprintf(ids, sizeof(ids), "%lld", id);
	assert_int_equal(dbtest_scalar(su,
				       "SELECT count(*) FROM ledger.entries WHERE source_kind = "
				       "'testmod.doc' AND source_id = 'D-1'",
				       0, NULL),
			 1);
	/* posted at once, numbered, both people recorded */
	assert_int_equal(
	    dbtest_scalar(su,
			  "SELECT count(*) FROM ledger.entries WHERE entry_id = "
			  "$1::bigint AND status = 'posted' AND entry_no > 0 AND maker = "
			  "'acct1' AND approver = 'acct2'",
			  BD_PARAMS(ids)),
	    1);
	/* the trial balance includes it, once */
	assert_true(tb_debit("1100") - before > 249.99 && tb_debit("1100") - before < 250.01);
	/* other content for the same source is refused */
	post_fails(acct2, "BD003", "ACME", "D-1", today,
		   "[{\"account\":\"1100\",\"debit\":\"251.00\"},"
		   "{\"account\":\"4100\",\"credit\":\"251.00\"}]",
		   "acct1");
	/* and it is immutable like any posted entry */
	{
		struct bd_err err = BD_ERR_INIT;

		assert_true(dbtest_fails(su,
					 "UPDATE ledger.entries SET source_id = 'D-2' WHERE "
					 "entry_id = $1::bigint",
					 BD_PARAMS(ids), &err));
	}
}

static void
test_unbalanced_refused(void **state)
{
	(void)state;
	post_fails(acct2, "BD001", "ACME", "D-UNB", today,
		   "[{\"account\":\"1100\",\"debit\":\"100.00\"},"
		   "{\"account\":\"4100\",\"credit\":\"99.99\"}]",
		   "acct1");
	assert_int_equal(
	    dbtest_scalar(su, "SELECT count(*) FROM ledger.entries WHERE source_id = 'D-UNB'", 0,
			  NULL),
	    0);
}

static void
test_closed_period_refused(void **state)
{
	char closed[32];
	int year = (int)dbtest_scalar(su, "SELECT extract(year FROM current_date)", 0, NULL);

	(void)state;
	/* the seed closes last year after its first quarter */
	snprintf(closed, sizeof(closed), "%d-11-15", year - 1);
	post_fails(acct2, "BD002", "ACME", "D-CLOSED", closed, LINES, "acct1");
}

static void
test_other_clients_accounts_refused(void **state)
{
	struct bd_db *acct3;

	(void)state;
	/* an account only GLOBEX has */
	dbtest_named_ok(acct2, "ledger.account_add",
			BD_PARAMS("GLOBEX", "1999", "Globex only", "asset", NULL));
	post_fails(acct2, "BD004", "ACME", "D-OTHER", today,
		   "[{\"account\":\"1999\",\"debit\":\"5.00\"},"
		   "{\"account\":\"4100\",\"credit\":\"5.00\"}]",
		   "acct1");
	/* a checker not assigned to the client cannot post into it */
	dbtest_exec(su, "SELECT core.operator_add('acct3', 'Cy Accountant', 'accountant', "
			"'{GLOBEX}')");
	acct3 = dbtest_connect(&t, "acct3");
	post_fails(acct3, "BD004", "ACME", "D-UNASSIGNED", today, LINES, "acct1");
	bd_db_free(acct3);
}

static void
test_only_definer_functions_post(void **state)
{
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	/* an operator calling the interface directly */
	assert_true(
	    dbtest_fails(acct2,
			 "SELECT ledger.post_from_source('ACME', 'testmod.doc', 'D-DIRECT', "
			 "current_date, 'x', $1::jsonb, 'acct1')",
			 BD_PARAMS(LINES), &err));
	assert_string_equal(err.sqlstate, "42501");
	/* nobody posts their own document unchecked */
	post_fails(acct2, "BD002", "ACME", "D-OWN", today, LINES, "acct2");
}

/*
 * A source posting written posted at insert (089: ledger.post_source_lines'
 * one statement, its lines in a WITH, then the entry). The
 * checks are the database's, so the superuser writing it directly meets
 * them too: a posted entry without its lines, unbalanced, in a closed
 * period, numbered by hand, made by the writer, or with lines dated
 * otherwise, or written before its lines; a line added to a posted entry
 * later, or changed; a with_entry line (which skips the row checks) on a
 * draft, before or after it.
 */
static const char WRITE_POSTED[] =
    "WITH id AS (SELECT nextval('ledger.entries_entry_id_seq') AS entry_id, (SELECT client_id "
    "FROM core.clients WHERE code = 'ACME') AS client_id), l AS (INSERT INTO ledger.lines "
    "(client_id, entry_id, line_no, account_id, debit, credit, entry_date, with_entry) SELECT "
    "id.client_id, id.entry_id, x.n, a.account_id, x.dr, x.cr, $1::date + $6::integer, true "
    "FROM id CROSS JOIN (VALUES (1, '1100', $3::numeric, 0::numeric), (2, '4100', 0, "
    "$4::numeric)) x(n, code, dr, cr) JOIN ledger.accounts a ON a.client_id = id.client_id AND "
    "a.code = x.code RETURNING 1) INSERT INTO ledger.entries (client_id, entry_id, journal, "
    "fiscal_year, period_no, entry_date, maker, source_kind, source_id, status) OVERRIDING "
    "SYSTEM VALUE SELECT id.client_id, id.entry_id, 'GJ', 0, 0, $1::date, $5::text, "
    "'testmod.doc', $2::text, 'posted' FROM id, (SELECT count(*) FROM l) x";

static void
write_posted_fails(const char *state, const char *date, const char *doc, const char *dr,
		   const char *cr, const char *maker, const char *shift)
{
	struct bd_err err = BD_ERR_INIT;

	if (!dbtest_fails(su, WRITE_POSTED, BD_PARAMS(date, doc, dr, cr, maker, shift), &err))
		fail_msg("writing %s posted succeeded but must fail with %s", doc, state);
	if (strcmp(err.sqlstate, state))
		fail_msg("writing %s posted failed with %s (%s), expected %s", doc, err.sqlstate,
			 err.msg, state);
}

static void
su_fails(const char *state, const char *sql, const char *param)
{
	struct bd_err err = BD_ERR_INIT;

	if (!dbtest_fails(su, sql, BD_PARAMS(param), &err))
		fail_msg("%s succeeded but must fail with %s", sql, state);
	if (strcmp(err.sqlstate, state))
		fail_msg("%s failed with %s (%s), expected %s", sql, err.sqlstate, err.msg, state);
}

static void
test_written_posted_checked_by_the_database(void **state)
{
	char closed[32], id[24];
	int year = (int)dbtest_scalar(su, "SELECT extract(year FROM current_date)", 0, NULL);
	long long before, entry;
	char *me;

	(void)state;
	snprintf(closed, sizeof(closed), "%d-11-15", year - 1);
	before = dbtest_scalar(su,
			       "SELECT coalesce(sum(b.debit - b.credit), 0) * 100 FROM "
			       "ledger.balances b JOIN ledger.accounts a USING (client_id, "
			       "account_id) JOIN core.clients c USING (client_id) WHERE c.code = "
			       "'ACME' AND a.code = '1100' AND b.grain = 'd'",
			       0, NULL);
	/* the one statement, as post_source_lines writes it: posted, numbered,
	 * approved by the writer, its balances added */
	{
		struct bd_err err = BD_ERR_INIT;
		struct bd_db_result *res =
		    dbtest_query(su, WRITE_POSTED,
				 BD_PARAMS(today, "W-OK", "12.50", "12.50", "acct1", "0"), &err);

		if (!res)
			fail_msg("writing W-OK posted: %s", err.msg);
		bd_db_result_free(res);
	}
	entry = dbtest_scalar(su,
			      "SELECT entry_id FROM ledger.entries WHERE source_id = 'W-OK' AND "
			      "status = 'posted' AND entry_no > 0 AND approver = session_user",
			      0, NULL);
	assert_true(entry > 0);
	assert_int_equal(dbtest_scalar(su,
				       "SELECT coalesce(sum(b.debit - b.credit), 0) * 100 FROM "
				       "ledger.balances b JOIN ledger.accounts a USING (client_id, "
				       "account_id) JOIN core.clients c USING (client_id) WHERE "
				       "c.code = 'ACME' AND a.code = '1100' AND b.grain = 'd'",
				       0, NULL) -
			     before,
			 1250);
	/* gapless: the journal's numbers are 1..n */
	assert_int_equal(
	    dbtest_scalar(su,
			  "SELECT count(*) FILTER (WHERE n <> entry_no) + "
			  "count(*) FILTER (WHERE entry_no IS NULL) FROM (SELECT "
			  "entry_no, row_number() OVER (PARTITION BY fiscal_year ORDER "
			  "BY entry_no) n FROM ledger.entries e JOIN core.clients c "
			  "USING (client_id) WHERE c.code = 'ACME' AND e.journal = "
			  "'GJ' AND e.status = 'posted') x",
			  0, NULL),
	    0);
	write_posted_fails("BD001", today, "W-UNB", "12.50", "12.49", "acct1", "0");
	write_posted_fails("BD002", closed, "W-CLOSED", "12.50", "12.50", "acct1", "0");
	me = dbtest_text(su, "SELECT session_user::text", NULL);
	write_posted_fails("BD002", today, "W-MINE", "12.50", "12.50", me, "0");
	free(me);
	write_posted_fails("BD002", today, "W-DATE", "12.50", "12.50", "acct1", "1");
	/* a posted entry alone: its lines must come in its statement */
	su_fails("BD001",
		 "INSERT INTO ledger.entries (client_id, journal, fiscal_year, period_no, "
		 "entry_date, maker, source_kind, source_id, status) SELECT client_id, 'GJ', 0, 0, "
		 "$1::date, 'acct1', 'testmod.doc', 'W-ALONE', 'posted' FROM core.clients WHERE "
		 "code = 'ACME'",
		 today);
	/* numbered by the writer (a gap, or a number taken twice) */
	su_fails("BD002",
		 "INSERT INTO ledger.entries (client_id, journal, fiscal_year, period_no, "
		 "entry_date, maker, source_kind, source_id, status, entry_no, approver, "
		 "posted_at) SELECT client_id, 'GJ', 0, 0, $1::date, 'acct1', 'testmod.doc', "
		 "'W-NO', 'posted', 999, 'x', now() FROM core.clients WHERE code = 'ACME'",
		 today);
	snprintf(id, sizeof(id), "%lld", entry);
	/* a line added to it later, marked or not, and a line changed */
	su_fails("BD002",
		 "INSERT INTO ledger.lines (client_id, entry_id, line_no, account_id, debit, "
		 "credit, entry_date, with_entry) SELECT e.client_id, e.entry_id, 3, a.account_id, "
		 "0, 1, e.entry_date, true FROM ledger.entries e JOIN ledger.accounts a ON "
		 "a.client_id = e.client_id AND a.code = '4100' WHERE e.entry_id = $1::bigint",
		 id);
	su_fails("BD002",
		 "INSERT INTO ledger.lines (client_id, entry_id, line_no, account_id, debit, "
		 "credit, entry_date) SELECT e.client_id, e.entry_id, 3, a.account_id, 0, 1, "
		 "e.entry_date FROM ledger.entries e JOIN ledger.accounts a ON a.client_id = "
		 "e.client_id AND a.code = '4100' WHERE e.entry_id = $1::bigint",
		 id);
	su_fails("BD002",
		 "UPDATE ledger.lines SET debit = 13 WHERE entry_id = $1::bigint AND line_no = 1",
		 id);
	su_fails("BD002", "DELETE FROM ledger.entries WHERE entry_id = $1::bigint", id);
	/* the entry first, its lines after it in the same statement */
	su_fails(
	    "BD001",
	    "WITH e AS (INSERT INTO ledger.entries (client_id, journal, fiscal_year, "
	    "period_no, entry_date, maker, source_kind, source_id, status) SELECT client_id, "
	    "'GJ', 0, 0, $1::date, 'acct1', 'testmod.doc', 'W-AFTER', 'posted' FROM "
	    "core.clients WHERE code = 'ACME' RETURNING client_id, entry_id, entry_date) "
	    "INSERT INTO ledger.lines (client_id, entry_id, line_no, account_id, debit, "
	    "credit, entry_date, with_entry) SELECT e.client_id, e.entry_id, x.n, a.account_id, "
	    "x.dr, x.cr, e.entry_date, true FROM e CROSS JOIN (VALUES (1, '1100', 5, 0), (2, "
	    "'4100', 0, 5)) x(n, code, dr, cr) JOIN ledger.accounts a ON a.client_id = "
	    "e.client_id AND a.code = x.code",
	    today);
	/* a with_entry line before a draft, and after one (it would skip the
	 * balance check) */
	su_fails(
	    "BD002",
	    "WITH id AS (SELECT nextval('ledger.entries_entry_id_seq') AS entry_id, client_id "
	    "FROM core.clients WHERE code = 'ACME'), l AS (INSERT INTO ledger.lines (client_id, "
	    "entry_id, line_no, account_id, debit, credit, entry_date, with_entry) SELECT "
	    "id.client_id, id.entry_id, 1, a.account_id, 5, 0, $1::date, true FROM id JOIN "
	    "ledger.accounts a ON a.client_id = id.client_id AND a.code = '1100' RETURNING 1) "
	    "INSERT INTO ledger.entries (client_id, entry_id, journal, fiscal_year, period_no, "
	    "entry_date) OVERRIDING SYSTEM VALUE SELECT id.client_id, id.entry_id, 'GJ', 0, 0, "
	    "$1::date FROM id, (SELECT count(*) FROM l) x",
	    today);
	su_fails("BD002",
		 "WITH e AS (INSERT INTO ledger.entries (client_id, journal, fiscal_year, "
		 "period_no, entry_date) SELECT client_id, 'GJ', 0, 0, $1::date FROM core.clients "
		 "WHERE code = 'ACME' RETURNING client_id, entry_id, entry_date) INSERT INTO "
		 "ledger.lines (client_id, entry_id, line_no, account_id, debit, credit, "
		 "entry_date, with_entry) SELECT e.client_id, e.entry_id, 1, a.account_id, 5, 0, "
		 "e.entry_date, true FROM e JOIN ledger.accounts a ON a.client_id = e.client_id "
		 "AND a.code = '1100'",
		 today);
	assert_int_equal(dbtest_scalar(su,
				       "SELECT count(*) FROM ledger.entries WHERE source_id LIKE "
				       "'W-%' AND source_id <> 'W-OK'",
				       0, NULL),
			 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_source_twice_is_one_entry),
	    cmocka_unit_test(test_unbalanced_refused),
	    cmocka_unit_test(test_closed_period_refused),
	    cmocka_unit_test(test_other_clients_accounts_refused),
	    cmocka_unit_test(test_only_definer_functions_post),
	    cmocka_unit_test(test_written_posted_checked_by_the_database),
	};
	char *d;
	int rc;

	dbtest_start(&t, true);
	su = dbtest_connect(&t, NULL);
	/* A module as a migration would install it: a definer function owned by
	 * bd_owner, granted to its checkers, posting the approved document. */
	dbtest_exec(su, "CREATE SCHEMA testmod AUTHORIZATION bd_owner");
	dbtest_exec(su, "GRANT USAGE ON SCHEMA testmod TO bd_accountant");
	dbtest_exec(su, "CREATE FUNCTION testmod.approve_doc(p_client text, p_doc text, p_date "
			"date, p_lines jsonb, p_maker text) RETURNS bigint LANGUAGE sql "
			"SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT "
			"ledger.post_from_source(p_client, 'testmod.doc', p_doc, p_date, "
			"'Document ' || p_doc, p_lines, p_maker) $$");
	dbtest_exec(su, "ALTER FUNCTION testmod.approve_doc(text, text, date, jsonb, text) OWNER "
			"TO bd_owner");
	dbtest_exec(su, "GRANT EXECUTE ON FUNCTION testmod.approve_doc(text, text, date, jsonb, "
			"text) TO bd_accountant");
	acct2 = dbtest_connect(&t, "acct2");
	d = dbtest_text(su, "SELECT current_date::text", NULL);
	snprintf(today, sizeof(today), "%s", d);
	free(d);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	bd_db_free(acct2);
	bd_db_free(su);
	dbtest_stop(&t);
	return rc;
}
