/*
 * The approvals registry (sql/functions/approvals/): one inbox over every
 * registered kind, one dispatch that refuses the maker approving their own
 * item, a version other than the one the checker saw, and a rejection
 * without a reason, whatever the kind's own functions check. Journal
 * entries are the first kind; a second kind registered here shows the
 * registry is what the inbox and the dispatch run.
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
static struct bd_db *acct1; /* maker */
static struct bd_db *acct2; /* checker */
static char today[16];

static const char TWO_LINES[] = "[{\"account\":\"1100\",\"debit\":\"100.00\"},"
				"{\"account\":\"4100\",\"credit\":\"100.00\"}]";

static char *
num(long long v)
{
	static char buf[8][24];
	static int next;
	char *s = buf[next++ % 8];

	snprintf(s, sizeof(buf[0]), "%lld", v);
	return s;
}

static long long
named_ok(struct bd_db *db, const char *name, int n, const char *const *p)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(db, name, n, p, &err);
	long long v = 0;

	if (!res)
		fail_msg("%s: %s (%s %s)", name, err.msg, err.sqlstate, err.detail);
	if (bd_db_result_rows(res) > 0 && bd_db_result_cols(res) > 0)
		v = strtoll(bd_db_result_get(res, 0, 0), NULL, 10);
	bd_db_result_free(res);
	return v;
}

static void
named_fails(struct bd_db *db, const char *state, const char *name, int n, const char *const *p)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(db, name, n, p, &err);

	if (res) {
		bd_db_result_free(res);
		fail_msg("%s succeeded but must fail with %s", name, state);
	}
	if (strcmp(err.sqlstate, state))
		fail_msg("%s failed with %s (%s), expected %s", name, err.sqlstate, err.msg, state);
}

/* An entry of acct1 in ACME, submitted for approval. */
static long long
submitted(void)
{
	long long id =
	    named_ok(acct1, "ledger.entry_create",
		     BD_PARAMS("ACME", "GJ", today, "T", "approvals test", TWO_LINES, NULL));

	named_ok(acct1, "ledger.entry_submit", BD_PARAMS("ACME", num(id), NULL));
	return id;
}

static long long
version_of(long long id)
{
	return dbtest_scalar(su, "SELECT version FROM ledger.entries WHERE entry_id = $1::bigint",
			     BD_PARAMS(num(id)));
}

/* The row of the named inbox query (as `db` sees it) for kind/id, or -1. */
static int
inbox_row(struct bd_db_result *res, const char *kind, long long id)
{
	int r;

	for (r = 0; r < bd_db_result_rows(res); r++)
		if (!strcmp(dbtest_col(res, r, "kind"), kind) &&
		    strtoll(dbtest_col(res, r, "id"), NULL, 10) == id)
			return r;
	return -1;
}

static void
test_inbox_shows_ledger_entries(void **state)
{
	long long id = submitted();
	struct bd_db_result *res;
	int r;

	(void)state;
	res = dbtest_named(acct2, "approvals.inbox", BD_PARAMS(NULL));
	r = inbox_row(res, "ledger.entry", id);
	assert_true(r >= 0);
	assert_string_equal(dbtest_col(res, r, "client"), "ACME");
	assert_string_equal(dbtest_col(res, r, "maker"), "acct1");
	assert_string_equal(dbtest_col(res, r, "amount"), "100.00");
	assert_string_equal(dbtest_col(res, r, "kind_label"), "Journal entry");
	assert_int_equal(strtoll(dbtest_col(res, r, "version"), NULL, 10), version_of(id));
	bd_db_result_free(res);
	/* the maker is not offered their own entry (issue 19): someone else
	 * approves it */
	res = dbtest_named(acct1, "approvals.inbox", BD_PARAMS("ACME"));
	assert_true(inbox_row(res, "ledger.entry", id) < 0);
	bd_db_result_free(res);
	/* approved through the dispatch: posted, and gone from the inbox */
	named_ok(acct2, "approvals.approve",
		 BD_PARAMS("ledger.entry", "ACME", num(id), num(version_of(id))));
	assert_int_equal(dbtest_scalar(su,
				       "SELECT count(*) FROM ledger.entries WHERE entry_id = "
				       "$1::bigint AND status = 'posted' AND approver = 'acct2'",
				       BD_PARAMS(num(id))),
			 1);
	res = dbtest_named(acct2, "approvals.inbox", BD_PARAMS(NULL));
	assert_int_equal(inbox_row(res, "ledger.entry", id), -1);
	bd_db_result_free(res);
}

/* Each role's inbox holds what it may approve, nothing else: payroll staff
 * assigned to ACME see its pay runs, never its journal entries, and
 * accountants see its journal entries, never a pay run. */
static void
test_inbox_shows_each_role_its_own_kinds(void **state)
{
	struct bd_db *pay2 = dbtest_connect(&t, "pay2");
	long long id = submitted();
	struct bd_db_result *res;
	int r, runs = 0;

	(void)state;
	res = dbtest_named(pay2, "approvals.inbox", BD_PARAMS(NULL));
	assert_int_equal(inbox_row(res, "ledger.entry", id), -1);
	for (r = 0; r < bd_db_result_rows(res); r++) {
		if (strcmp(dbtest_col(res, r, "kind"), "payroll.run"))
			fail_msg("payroll staff are offered a %s", dbtest_col(res, r, "kind"));
		runs++;
	}
	assert_true(runs > 0); /* the demo's run waiting for approval */
	bd_db_result_free(res);
	res = dbtest_named(acct2, "approvals.inbox", BD_PARAMS(NULL));
	assert_true(inbox_row(res, "ledger.entry", id) >= 0);
	for (r = 0; r < bd_db_result_rows(res); r++)
		assert_string_not_equal(dbtest_col(res, r, "kind"), "payroll.run");
	bd_db_result_free(res);
	named_ok(acct2, "approvals.reject",
		 BD_PARAMS("ledger.entry", "ACME", num(id), num(version_of(id)), "not now"));
	bd_db_free(pay2);
}

static void
test_changed_entry_refused_against_old_version(void **state)
{
	long long id = submitted(), seen = version_of(id);

	(void)state;
	/* the maker withdraws it, edits it and submits it again */
	named_ok(acct1, "approvals.reject",
		 BD_PARAMS("ledger.entry", "ACME", num(id), num(seen), ""));
	named_ok(acct1, "ledger.entry_update",
		 BD_PARAMS("ACME", num(id), "GJ", today, "T", "changed", TWO_LINES));
	named_ok(acct1, "ledger.entry_submit", BD_PARAMS("ACME", num(id), NULL));
	assert_true(version_of(id) > seen);
	named_fails(acct2, "BD003", "approvals.approve",
		    BD_PARAMS("ledger.entry", "ACME", num(id), num(seen)));
	named_fails(acct2, "BD001", "approvals.approve",
		    BD_PARAMS("ledger.entry", "ACME", num(id), NULL));
	named_ok(acct2, "approvals.approve",
		 BD_PARAMS("ledger.entry", "ACME", num(id), num(version_of(id))));
}

static void
test_maker_cannot_approve_own(void **state)
{
	long long id = submitted();

	(void)state;
	named_fails(acct1, "BD002", "approvals.approve",
		    BD_PARAMS("ledger.entry", "ACME", num(id), num(version_of(id))));
	named_fails(acct2, "BD004", "approvals.approve",
		    BD_PARAMS("no.such", "ACME", num(id), num(version_of(id))));
	named_fails(acct2, "BD003", "approvals.approve",
		    BD_PARAMS("ledger.entry", "GLOBEX", num(id), num(version_of(id))));
	named_ok(acct2, "approvals.approve",
		 BD_PARAMS("ledger.entry", "ACME", num(id), num(version_of(id))));
}

static void
test_reject_needs_a_reason(void **state)
{
	long long id = submitted();

	(void)state;
	named_fails(acct2, "BD001", "approvals.reject",
		    BD_PARAMS("ledger.entry", "ACME", num(id), num(version_of(id)), "  "));
	named_fails(acct2, "BD001", "approvals.reject",
		    BD_PARAMS("ledger.entry", "ACME", num(id), num(version_of(id)), NULL));
	named_ok(acct2, "approvals.reject",
		 BD_PARAMS("ledger.entry", "ACME", num(id), num(version_of(id)), "wrong account"));
	assert_int_equal(dbtest_scalar(su,
				       "SELECT count(*) FROM ledger.entries WHERE entry_id = "
				       "$1::bigint AND status = 'draft' AND rejected_by = 'acct2' "
				       "AND rejected_reason = 'wrong account'",
				       BD_PARAMS(num(id))),
			 1);
}

/*
 * A second kind, registered as a module's migration would: its functions
 * check nothing about maker, version or reason (the dispatch does), and
 * record what they were asked to do.
 */
static void
test_second_kind_shares_inbox_and_dispatch(void **state)
{
	struct bd_db_result *res;
	int r;

	(void)state;
	dbtest_exec(su, "CREATE SCHEMA tk");
	/* the dispatch runs as bd_owner, which owns a real module's schema */
	dbtest_exec(su, "GRANT USAGE ON SCHEMA tk TO bd_owner");
	dbtest_exec(su, "CREATE TABLE tk.items (id bigint PRIMARY KEY, client text, maker text, "
			"version bigint, status text DEFAULT 'waiting', decided_by text, "
			"reason text)");
	dbtest_exec(su,
		    "INSERT INTO tk.items (id, client, maker, version) VALUES "
		    "(7, 'ACME', 'acct1', 3), (8, 'ACME', 'acct1', 1), (9, 'GLOBEX', 'acct2', 1)");
	dbtest_exec(su, "CREATE FUNCTION tk.waiting(p_client text) RETURNS TABLE (client text, "
			"id bigint, item text, reference text, maker text, submitted_at "
			"timestamptz, description "
			"text, amount numeric, version bigint) LANGUAGE sql SECURITY DEFINER "
			"SET search_path = pg_catalog, pg_temp AS $$ SELECT client, id, 'Thing ' "
			"|| id, '', maker, now(), 'a thing', 5.00, version FROM tk.items WHERE "
			"status = 'waiting' AND (p_client IS NULL OR client = p_client) $$");
	dbtest_exec(su, "CREATE FUNCTION tk.approve(p_client text, p_id bigint, p_version bigint) "
			"RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, "
			"pg_temp AS $$ UPDATE tk.items SET status = 'approved', decided_by = "
			"session_user WHERE id = p_id RETURNING 'thing ' || id $$");
	dbtest_exec(su, "CREATE FUNCTION tk.reject(p_client text, p_id bigint, p_version bigint, "
			"p_reason text) RETURNS void LANGUAGE sql SECURITY DEFINER SET "
			"search_path = pg_catalog, pg_temp AS $$ UPDATE tk.items SET status = "
			"'rejected', decided_by = session_user, reason = p_reason WHERE id = p_id "
			"$$");
	dbtest_exec(su, "INSERT INTO approvals.kinds VALUES ('tk.thing', 'Thing', 'tk.waiting', "
			"'tk.approve', 'tk.reject')");

	res = dbtest_named(acct2, "approvals.inbox", BD_PARAMS(NULL));
	r = inbox_row(res, "tk.thing", 7);
	assert_true(r >= 0);
	assert_string_equal(dbtest_col(res, r, "item"), "Thing 7");
	assert_string_equal(dbtest_col(res, r, "version"), "3");
	assert_true(inbox_row(res, "tk.thing", 8) >= 0);
	/* acct2's own item is not offered to acct2, whatever its kind */
	assert_true(inbox_row(res, "tk.thing", 9) < 0);
	bd_db_result_free(res);

	named_fails(acct1, "BD002", "approvals.approve", BD_PARAMS("tk.thing", "ACME", "7", "3"));
	named_fails(acct2, "BD003", "approvals.approve", BD_PARAMS("tk.thing", "ACME", "7", "2"));
	named_fails(acct2, "BD001", "approvals.reject",
		    BD_PARAMS("tk.thing", "ACME", "8", "1", ""));
	assert_int_equal(
	    dbtest_scalar(su, "SELECT count(*) FROM tk.items WHERE status <> 'waiting'", 0, NULL),
	    0);
	res = dbtest_named(acct2, "approvals.approve", BD_PARAMS("tk.thing", "ACME", "7", "3"));
	assert_string_equal(dbtest_col(res, 0, "result"), "thing 7");
	assert_string_equal(dbtest_col(res, 0, "message"), "Thing 7 (ACME) approved: thing 7");
	bd_db_result_free(res);
	named_ok(acct2, "approvals.reject", BD_PARAMS("tk.thing", "ACME", "8", "1", "not ours"));
	assert_int_equal(
	    dbtest_scalar(su,
			  "SELECT count(*) FROM tk.items WHERE (id, status, decided_by, "
			  "coalesce(reason, '')) IN ((7, 'approved', 'acct2', ''), "
			  "(8, 'rejected', 'acct2', 'not ours'))",
			  0, NULL),
	    2);
	/* decided items leave the inbox */
	named_fails(acct2, "BD003", "approvals.approve", BD_PARAMS("tk.thing", "ACME", "7", "3"));
	dbtest_exec(su, "DELETE FROM approvals.kinds WHERE kind = 'tk.thing'");
	dbtest_exec(su, "DROP SCHEMA tk CASCADE");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_inbox_shows_ledger_entries),
	    cmocka_unit_test(test_inbox_shows_each_role_its_own_kinds),
	    cmocka_unit_test(test_changed_entry_refused_against_old_version),
	    cmocka_unit_test(test_maker_cannot_approve_own),
	    cmocka_unit_test(test_reject_needs_a_reason),
	    cmocka_unit_test(test_second_kind_shares_inbox_and_dispatch),
	};
	char *d;
	int rc;

	dbtest_start(&t, true);
	su = dbtest_connect(&t, NULL);
	acct1 = dbtest_connect(&t, "acct1");
	acct2 = dbtest_connect(&t, "acct2");
	d = dbtest_text(su, "SELECT current_date::text", NULL);
	snprintf(today, sizeof(today), "%s", d);
	free(d);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	bd_db_free(acct2);
	bd_db_free(acct1);
	bd_db_free(su);
	dbtest_stop(&t);
	return rc;
}
