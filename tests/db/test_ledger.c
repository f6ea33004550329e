/*
 * The general ledger's database guarantees, attacked directly against a real
 * PostgreSQL: balance at commit, posted rows immutable for every role, period
 * states and impossible dates, maker differs from checker, tenant isolation,
 * gapless numbering under concurrency, balances equal to the lines.
 */
#include "dbtest.h"

#include "backdesk/strbuf.h"

#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

static struct dbtest t;
static struct bd_db *su;    /* the cluster superuser */
static struct bd_db *acct1; /* maker */
static struct bd_db *acct2; /* checker */
static struct bd_db *super1;
static char today[16];

static long long
q_scalar(struct bd_db *db, const char *sql)
{
	return dbtest_scalar(db, sql, 0, NULL);
}

/* Runs a named query that must succeed; returns its first value as a number. */
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

/* Runs a named query that must fail with SQLSTATE `state` (NULL: any). */
static void
named_fails(struct bd_db *db, const char *state, const char *name, int n, const char *const *p)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(db, name, n, p, &err);

	if (res) {
		bd_db_result_free(res);
		fail_msg("%s succeeded but must fail with %s", name, state ? state : "an error");
	}
	if (state && strcmp(err.sqlstate, state))
		fail_msg("%s failed with %s (%s), expected %s", name, err.sqlstate, err.msg, state);
}

static void
sql_fails(struct bd_db *db, const char *state, const char *sql)
{
	struct bd_err err = BD_ERR_INIT;

	if (!dbtest_fails(db, sql, 0, NULL, &err))
		fail_msg("%s succeeded but must fail", sql);
	if (state && strcmp(err.sqlstate, state))
		fail_msg("%s failed with %s (%s), expected %s", sql, err.sqlstate, err.msg, state);
}

/* A draft in ACME by `db`: lines as JSON. Returns the entry_id. */
static long long
draft(struct bd_db *db, const char *client, const char *journal, const char *date,
      const char *lines)
{
	return named_ok(db, "ledger.entry_create",
			BD_PARAMS(client, journal, date, "T", "test entry", lines, NULL));
}

static char *
idstr(long long id)
{
	static char buf[8][24];
	static int next;
	char *s = buf[next++ % 8];

	snprintf(s, sizeof(buf[0]), "%lld", id);
	return s;
}

/* The current version of entry `id` (what the inbox shows and an approval
 * names), read on `db`. */
static const char *
verof(struct bd_db *db, long long id)
{
	static char buf[8][24];
	static int next;
	char *s = buf[next++ % 8];

	snprintf(s, sizeof(buf[0]), "%lld",
		 dbtest_scalar(db, "SELECT version FROM ledger.entries WHERE entry_id = $1::bigint",
			       BD_PARAMS(idstr(id))));
	return s;
}

/* Draft by acct1, submitted, approved by acct2: posted. */
static long long
posted(const char *client, const char *journal, const char *lines)
{
	long long id = draft(acct1, client, journal, today, lines);

	named_ok(acct1, "ledger.entry_submit", BD_PARAMS(client, idstr(id), NULL));
	named_ok(acct2, "ledger.entry_approve", BD_PARAMS(client, idstr(id), verof(su, id)));
	return id;
}

static const char TWO_LINES[] = "[{\"account\":\"1100\",\"debit\":\"100.00\"},"
				"{\"account\":\"4100\",\"credit\":\"100.00\"}]";

/* Waits until some backend of `user` waits on a lock. */
static void
wait_for_lock_waiter(const char *user)
{
	struct bd_err err = BD_ERR_INIT;
	int i;

	for (i = 0; i < 500; i++) {
		struct bd_db_result *res =
		    dbtest_query(su,
				 "SELECT count(*) FROM pg_stat_activity WHERE usename = $1 "
				 "AND wait_event_type = 'Lock'",
				 BD_PARAMS(user), &err);
		long long n;

		assert_non_null(res);
		n = strtoll(bd_db_result_get(res, 0, 0), NULL, 10);
		bd_db_result_free(res);
		if (n > 0)
			return;
		usleep(10000);
	}
	fail_msg("%s never waited for a lock", user);
}

/* Waits for the reply of a query sent with bd_db_send(). */
static struct bd_db_result *
wait_reply(struct bd_db *db, struct bd_err *err)
{
	while (bd_db_busy(db)) {
		struct pollfd pfd = {.fd = bd_db_socket(db), .events = POLLIN};

		poll(&pfd, 1, 1000);
		if (bd_db_consume(db, err) < 0)
			return NULL;
	}
	return bd_db_take(db, err);
}

static long long
counter(const char *client, const char *journal)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = dbtest_query(
	    su,
	    "SELECT coalesce((SELECT last_no FROM ledger.journal_counters k "
	    "JOIN core.clients c USING (client_id) WHERE c.code = $1 AND k.journal = $2 "
	    "AND k.fiscal_year = extract(year FROM current_date)), 0)",
	    BD_PARAMS(client, journal), &err);
	long long v;

	assert_non_null(res);
	v = strtoll(bd_db_result_get(res, 0, 0), NULL, 10);
	bd_db_result_free(res);
	return v;
}

/* --- balance -------------------------------------------------------------- */

static void
test_unbalanced_by_one_cent(void **state)
{
	static const char lines[] = "[{\"account\":\"1100\",\"debit\":\"100.00\"},"
				    "{\"account\":\"4100\",\"credit\":\"99.99\"}]";
	long long before = q_scalar(su, "SELECT count(*) FROM ledger.entries");

	(void)state;
	named_fails(acct1, "BD001", "ledger.entry_create",
		    BD_PARAMS("ACME", "GJ", today, "", "one cent off", lines, NULL));
	assert_int_equal(q_scalar(su, "SELECT count(*) FROM ledger.entries"), before);

	/* Directly, as the superuser: refused at COMMIT, not before. */
	dbtest_exec(su, "BEGIN");
	dbtest_exec(su, "INSERT INTO ledger.entries (client_id, journal, fiscal_year, period_no, "
			"entry_date) VALUES (1, 'GJ', 0, 0, current_date)");
	dbtest_exec(su,
		    "INSERT INTO ledger.lines (client_id, entry_id, line_no, account_id, debit, "
		    "entry_date) SELECT 1, currval(pg_get_serial_sequence('ledger.entries', "
		    "'entry_id')), 1, account_id, 100.00, current_date FROM ledger.accounts "
		    "WHERE client_id = 1 AND code = '1100'");
	dbtest_exec(su, "INSERT INTO ledger.lines (client_id, entry_id, line_no, account_id, "
			"credit, entry_date) SELECT 1, currval(pg_get_serial_sequence("
			"'ledger.entries', 'entry_id')), 2, account_id, 99.99, current_date "
			"FROM ledger.accounts WHERE client_id = 1 AND code = '4100'");
	sql_fails(su, "BD001", "COMMIT");
	assert_int_equal(q_scalar(su, "SELECT count(*) FROM ledger.entries"), before);

	/* A line with both or neither amount, and fractions of a cent. */
	named_fails(acct1, "BD001", "ledger.entry_create",
		    BD_PARAMS("ACME", "GJ", today, "", "",
			      "[{\"account\":\"1100\",\"debit\":\"1\",\"credit\":\"1\"},"
			      "{\"account\":\"4100\",\"credit\":\"0\"}]",
			      NULL));
	named_fails(acct1, "BD001", "ledger.entry_create",
		    BD_PARAMS("ACME", "GJ", today, "", "",
			      "[{\"account\":\"1100\",\"debit\":\"0.005\"},"
			      "{\"account\":\"4100\",\"credit\":\"0.005\"}]",
			      NULL));
	named_fails(acct1, "BD001", "ledger.entry_create",
		    BD_PARAMS("ACME", "GJ", today, "", "",
			      "[{\"account\":\"1100\",\"debit\":\"NaN\"},"
			      "{\"account\":\"4100\",\"credit\":\"NaN\"}]",
			      NULL));
	named_fails(acct1, "BD001", "ledger.entry_create",
		    BD_PARAMS("ACME", "GJ", today, "", "",
			      "[{\"account\":\"1100\",\"debit\":\"-5\"},"
			      "{\"account\":\"4100\",\"debit\":\"5\"}]",
			      NULL));
}

static void
test_deleted_or_changed_line_fails_at_commit(void **state)
{
	static const char lines[] = "[{\"account\":\"1100\",\"debit\":\"60.00\"},"
				    "{\"account\":\"1200\",\"debit\":\"40.00\"},"
				    "{\"account\":\"4100\",\"credit\":\"100.00\"}]";
	long long id = draft(acct1, "ACME", "GJ", today, lines);
	char sql[256];

	(void)state;
	dbtest_exec(su, "BEGIN");
	snprintf(sql, sizeof(sql), "DELETE FROM ledger.lines WHERE entry_id = %lld AND line_no = 2",
		 id);
	dbtest_exec(su, sql);
	sql_fails(su, "BD001", "COMMIT");

	dbtest_exec(su, "BEGIN");
	snprintf(sql, sizeof(sql),
		 "UPDATE ledger.lines SET debit = 40.01 WHERE entry_id = %lld AND line_no = 2", id);
	dbtest_exec(su, sql);
	sql_fails(su, "BD001", "COMMIT");

	/* Deferred: two updates that balance again by commit are fine. */
	dbtest_exec(su, "BEGIN");
	snprintf(sql, sizeof(sql),
		 "UPDATE ledger.lines SET debit = 50.00 WHERE entry_id = %lld AND line_no = 2", id);
	dbtest_exec(su, sql);
	snprintf(sql, sizeof(sql),
		 "UPDATE ledger.lines SET credit = 110.00 WHERE entry_id = %lld AND line_no = 3",
		 id);
	dbtest_exec(su, sql);
	dbtest_exec(su, "COMMIT");

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) * 1000000 + sum(debit) - sum(credit) FROM ledger.lines "
		 "WHERE entry_id = %lld",
		 id);
	assert_int_equal(q_scalar(su, sql), 3000000);
	/* Deleting the whole draft is allowed (no entry, nothing to balance). */
	named_ok(acct1, "ledger.entry_delete", BD_PARAMS("ACME", idstr(id)));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM ledger.lines WHERE entry_id = %lld", id);
	assert_int_equal(q_scalar(su, sql), 0);
}

/* --- immutability ---------------------------------------------------------- */

static void
test_posted_is_immutable_for_every_role(void **state)
{
	static const char *const logins[] = {"clerk1", "acct1", "acct2", "super1", "admin1"};
	long long id = posted("ACME", "GJ", TWO_LINES);
	char upd_line[160], del_line[160], upd_entry[160], del_entry[160], check[200];
	size_t i;

	(void)state;
	snprintf(upd_line, sizeof(upd_line),
		 "UPDATE ledger.lines SET debit = 999 WHERE entry_id = %lld AND line_no = 1", id);
	snprintf(del_line, sizeof(del_line), "DELETE FROM ledger.lines WHERE entry_id = %lld", id);
	snprintf(upd_entry, sizeof(upd_entry),
		 "UPDATE ledger.entries SET description = 'x' WHERE entry_id = %lld", id);
	snprintf(del_entry, sizeof(del_entry), "DELETE FROM ledger.entries WHERE entry_id = %lld",
		 id);
	for (i = 0; i < sizeof(logins) / sizeof(*logins); i++) {
		struct bd_db *db = dbtest_connect(&t, logins[i]);

		sql_fails(db, NULL, upd_line);
		sql_fails(db, NULL, del_line);
		sql_fails(db, NULL, upd_entry);
		sql_fails(db, NULL, del_entry);
		named_fails(db, NULL, "ledger.entry_update",
			    BD_PARAMS("ACME", idstr(id), "GJ", today, "", "changed", TWO_LINES));
		named_fails(db, NULL, "ledger.entry_delete", BD_PARAMS("ACME", idstr(id)));
		named_fails(db, NULL, "ledger.entry_reject",
			    BD_PARAMS("ACME", idstr(id), verof(su, id), "wrong amount"));
		bd_db_free(db);
	}
	/* The superuser, and bd_owner (as the functions run): the triggers refuse. */
	sql_fails(su, "BD002", upd_line);
	sql_fails(su, "BD002", del_line);
	sql_fails(su, "BD002", upd_entry);
	sql_fails(su, "BD002", del_entry);
	sql_fails(su, "BD002", "TRUNCATE ledger.lines");
	sql_fails(su, "BD002", "TRUNCATE ledger.entries CASCADE");
	/* A careless function of bd_owner's (as every ledger function runs),
	 * called by an accountant of the client: the triggers still refuse. */
	dbtest_exec(su, "CREATE FUNCTION ledger.test_careless(bigint) RETURNS void "
			"LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$ "
			"UPDATE ledger.lines SET debit = debit + 1 WHERE entry_id = $1; "
			"UPDATE ledger.entries SET description = 'x' WHERE entry_id = $1 $$; "
			"ALTER FUNCTION ledger.test_careless(bigint) OWNER TO bd_owner; "
			"GRANT EXECUTE ON FUNCTION ledger.test_careless(bigint) TO bd_accountant");
	{
		struct bd_err err = BD_ERR_INIT;

		assert_true(dbtest_fails(acct1, "SELECT ledger.test_careless($1)",
					 BD_PARAMS(idstr(id)), &err));
		assert_string_equal(err.sqlstate, "BD002");
	}
	dbtest_exec(su, "DROP FUNCTION ledger.test_careless(bigint)");

	snprintf(check, sizeof(check),
		 "SELECT count(*) FROM ledger.lines l JOIN ledger.entries e USING (client_id, "
		 "entry_id) WHERE entry_id = %lld AND l.debit + l.credit = 100 "
		 "AND e.description = 'test entry' AND e.status = 'posted'",
		 id);
	assert_int_equal(q_scalar(su, check), 2);
}

static void
test_submitted_lines_are_frozen(void **state)
{
	long long id = draft(acct1, "ACME", "GJ", today, TWO_LINES);
	char sql[160];

	(void)state;
	named_ok(acct1, "ledger.entry_submit", BD_PARAMS("ACME", idstr(id), NULL));
	snprintf(sql, sizeof(sql), "UPDATE ledger.lines SET memo = 'x' WHERE entry_id = %lld", id);
	sql_fails(su, "BD002", sql);
	named_fails(acct1, "BD002", "ledger.entry_update",
		    BD_PARAMS("ACME", idstr(id), "GJ", today, "", "changed", TWO_LINES));
	/* Back to a draft, the maker may edit it again. */
	named_ok(acct2, "ledger.entry_reject",
		 BD_PARAMS("ACME", idstr(id), verof(su, id), "wrong amount"));
	named_ok(acct1, "ledger.entry_update",
		 BD_PARAMS("ACME", idstr(id), "GJ", today, "", "changed", TWO_LINES));
	/* Another accountant may not. */
	named_fails(acct2, "BD002", "ledger.entry_update",
		    BD_PARAMS("ACME", idstr(id), "GJ", today, "", "mine now", TWO_LINES));
	named_ok(acct1, "ledger.entry_delete", BD_PARAMS("ACME", idstr(id)));
}

/* --- periods and dates ------------------------------------------------------ */

static void
test_locked_closed_and_impossible_dates(void **state)
{
	char locked[32], closed[32], sql[200];
	int year = (int)q_scalar(su, "SELECT extract(year FROM current_date)");
	long long id;

	(void)state;
	/* The seed locks last year's first quarter and closes the rest. */
	snprintf(locked, sizeof(locked), "%d-02-15", year - 1);
	snprintf(closed, sizeof(closed), "%d-11-15", year - 1);
	named_fails(acct1, "BD002", "ledger.entry_create",
		    BD_PARAMS("ACME", "GJ", locked, "", "", TWO_LINES, NULL));
	named_fails(acct1, "BD002", "ledger.entry_create",
		    BD_PARAMS("ACME", "GJ", closed, "", "", TWO_LINES, NULL));
	named_fails(acct1, "BD001", "ledger.entry_create",
		    BD_PARAMS("ACME", "GJ", "infinity", "", "", TWO_LINES, NULL));
	named_fails(acct1, "BD001", "ledger.entry_create",
		    BD_PARAMS("ACME", "GJ", "-infinity", "", "", TWO_LINES, NULL));
	named_fails(acct1, "BD001", "ledger.entry_create",
		    BD_PARAMS("ACME", "GJ", "2150-06-01", "", "", TWO_LINES, NULL));
	named_fails(acct1, NULL, "ledger.entry_create",
		    BD_PARAMS("ACME", "GJ", "epoch", "", "", TWO_LINES, NULL));
	/* Moving a draft into a locked period, and 'infinity' straight into the table. */
	id = draft(acct1, "ACME", "GJ", today, TWO_LINES);
	named_fails(acct1, "BD002", "ledger.entry_update",
		    BD_PARAMS("ACME", idstr(id), "GJ", locked, "", "", TWO_LINES));
	snprintf(sql, sizeof(sql),
		 "UPDATE ledger.entries SET entry_date = 'infinity' WHERE entry_id = %lld", id);
	sql_fails(su, NULL, sql);
	snprintf(sql, sizeof(sql),
		 "UPDATE ledger.entries SET entry_date = '%s' WHERE entry_id = %lld", locked, id);
	sql_fails(su, "BD002", sql);

	/* A submitted entry blocks closing its period; once closed, nothing posts. */
	named_ok(acct1, "ledger.entry_submit", BD_PARAMS("ACME", idstr(id), NULL));
	{
		char y[16], m[24];

		snprintf(y, sizeof(y), "%d", year);
		snprintf(m, sizeof(m), "%lld",
			 q_scalar(su, "SELECT extract(month FROM current_date)"));
		named_fails(acct1, "BD003", "ledger.period_close", BD_PARAMS("ACME", y, m));
		/* (and the seed's inbox entries of this month) */
		dbtest_exec(su, "UPDATE ledger.entries SET status = 'draft' "
				"WHERE client_id = 1 AND status = 'submitted'");
		named_ok(acct1, "ledger.period_close", BD_PARAMS("ACME", y, m));
		named_fails(acct1, "BD002", "ledger.entry_submit",
			    BD_PARAMS("ACME", idstr(id), NULL));
		named_fails(acct1, "BD002", "ledger.entry_create",
			    BD_PARAMS("ACME", "GJ", today, "", "", TWO_LINES, NULL));
		/* Only a supervisor reopens; a locked period stays locked. */
		named_fails(acct1, "BD002", "ledger.period_reopen", BD_PARAMS("ACME", y, m));
		named_fails(acct1, "BD002", "ledger.period_lock", BD_PARAMS("ACME", y, m));
		struct bd_db *clerk = dbtest_connect(&t, "clerk1");

		/* Clerks cannot even reach the ledger schema. */
		named_fails(clerk, "42501", "ledger.period_close", BD_PARAMS("ACME", y, m));
		bd_db_free(clerk);
		named_ok(super1, "ledger.period_reopen", BD_PARAMS("ACME", y, m));
	}
	{
		char y[16];

		snprintf(y, sizeof(y), "%d", year - 1);
		named_fails(super1, "BD002", "ledger.period_reopen", BD_PARAMS("ACME", y, "1"));
		sql_fails(su, "BD002",
			  "UPDATE ledger.periods SET state = 'open' WHERE state = 'locked'");
	}
	named_ok(acct1, "ledger.entry_delete", BD_PARAMS("ACME", idstr(id)));
}

/* --- maker and checker ------------------------------------------------------ */

static void
test_maker_cannot_approve(void **state)
{
	long long id = draft(acct1, "ACME", "SJ", today, TWO_LINES);
	long long before = counter("ACME", "SJ");
	char sql[200];

	(void)state;
	/* Not submitted yet: nobody can approve. */
	named_fails(acct2, "BD003", "ledger.entry_approve",
		    BD_PARAMS("ACME", idstr(id), verof(su, id)));
	named_ok(acct1, "ledger.entry_submit", BD_PARAMS("ACME", idstr(id), NULL));
	named_fails(acct1, "BD002", "ledger.entry_approve",
		    BD_PARAMS("ACME", idstr(id), verof(su, id)));
	/* The maker's own inbox does not offer it; the checker's does. */
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM ledger.pending_approvals WHERE entry_id = %lld", id);
	assert_int_equal(q_scalar(acct1, sql), 0);
	assert_int_equal(q_scalar(acct2, sql), 1);
	/* Clerks and admins cannot approve at all. */
	{
		struct bd_db *clerk = dbtest_connect(&t, "clerk1");
		struct bd_db *admin = dbtest_connect(&t, "admin1");

		named_fails(clerk, "42501", "ledger.entry_approve",
			    BD_PARAMS("ACME", idstr(id), verof(su, id)));
		named_fails(admin, "42501", "ledger.entry_approve",
			    BD_PARAMS("ACME", idstr(id), verof(su, id)));
		bd_db_free(admin);
		bd_db_free(clerk);
	}
	/* Directly: approver = maker violates a CHECK even for the superuser. */
	snprintf(sql, sizeof(sql),
		 "UPDATE ledger.entries SET status = 'posted', approver = maker, entry_no = 99, "
		 "posted_at = now() WHERE entry_id = %lld",
		 id);
	dbtest_exec(su, "BEGIN; SET LOCAL session_replication_role = replica");
	sql_fails(su, "23514", sql);
	dbtest_exec(su, "ROLLBACK");
	assert_int_equal(counter("ACME", "SJ"), before);
	/* A supervisor may approve; the number is assigned now, not at draft. */
	assert_int_equal(
	    named_ok(super1, "ledger.entry_approve", BD_PARAMS("ACME", idstr(id), verof(su, id))),
	    0);
	assert_int_equal(counter("ACME", "SJ"), before + 1);
	snprintf(
	    sql, sizeof(sql),
	    "SELECT count(*) FROM ledger.entries WHERE entry_id = %lld AND approver = 'super1' "
	    "AND maker = 'acct1' AND entry_no = %lld",
	    id, before + 1);
	assert_int_equal(q_scalar(su, sql), 1);
}

/* --- tenants ------------------------------------------------------------- */

static void
test_other_client_invisible_and_unwritable(void **state)
{
	struct bd_db *acct3;
	long long gid;
	char sql[200];

	(void)state;
	dbtest_exec(su, "SELECT core.operator_add('acct3', 'Acme-only Accountant', 'accountant', "
			"'{ACME}')");
	acct3 = dbtest_connect(&t, "acct3");
	named_ok(acct1, "ledger.account_add",
		 BD_PARAMS("GLOBEX", "G999", "Globex secret", "asset", NULL));
	gid = posted("GLOBEX", "GJ", TWO_LINES);

	assert_int_equal(q_scalar(acct3,
				  "SELECT count(*) FROM ledger.accounts a JOIN "
				  "core.clients c USING (client_id) WHERE c.code = 'GLOBEX'"),
			 0);
	assert_int_equal(
	    q_scalar(acct3, "SELECT count(*) FROM ledger.entries WHERE client_id <> 1"), 0);
	assert_int_equal(
	    q_scalar(acct3, "SELECT count(*) FROM ledger.balances WHERE client_id <> 1"), 0);
	assert_true(q_scalar(acct3, "SELECT count(*) FROM ledger.accounts") > 0);
	named_fails(acct3, "BD004", "ledger.entry_create",
		    BD_PARAMS("GLOBEX", "GJ", today, "", "", TWO_LINES, NULL));
	named_fails(acct3, "BD004", "ledger.report_trial_balance", BD_PARAMS("GLOBEX", NULL));
	named_fails(acct3, "BD004", "ledger.entry_reverse", BD_PARAMS("GLOBEX", idstr(gid), NULL));
	named_fails(acct3, "BD004", "ledger.account_add",
		    BD_PARAMS("GLOBEX", "X1", "x", "asset", NULL));
	/* GLOBEX's account through an ACME entry, and GLOBEX's entry through ACME. */
	named_fails(acct3, "BD004", "ledger.entry_create",
		    BD_PARAMS("ACME", "GJ", today, "", "",
			      "[{\"account\":\"G999\",\"debit\":\"1\"},"
			      "{\"account\":\"4100\",\"credit\":\"1\"}]",
			      NULL));
	named_fails(acct3, "BD004", "ledger.entry_approve",
		    BD_PARAMS("ACME", idstr(gid), verof(su, gid)));
	named_fails(acct3, "BD004", "ledger.entry_reverse", BD_PARAMS("ACME", idstr(gid), NULL));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM ledger.lines WHERE entry_id = %lld", gid);
	assert_int_equal(q_scalar(acct3, sql), 0);
	/* And no direct writes for anyone. */
	sql_fails(acct3, "42501",
		  "INSERT INTO ledger.accounts (client_id, code, name, type) "
		  "VALUES (1, 'Z', 'z', 'asset')");
	bd_db_free(acct3);
}

/* --- concurrency ------------------------------------------------------------- */

static void
test_two_concurrent_approvals(void **state)
{
	long long id = draft(acct1, "ACME", "PJ", today, TWO_LINES);
	long long before;
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	char sql[200];

	(void)state;
	named_ok(acct1, "ledger.entry_submit", BD_PARAMS("ACME", idstr(id), NULL));
	before = counter("ACME", "PJ");
	assert_int_equal(bd_db_begin(acct2, &err), 0);
	named_ok(acct2, "ledger.entry_approve", BD_PARAMS("ACME", idstr(id), verof(su, id)));
	assert_int_equal(bd_db_send(super1, "ledger.entry_approve",
				    BD_PARAMS("ACME", idstr(id), verof(su, id)), &err),
			 0);
	wait_for_lock_waiter("super1");
	assert_int_equal(bd_db_commit(acct2, &err), 0);
	res = wait_reply(super1, &err);
	assert_null(res);
	assert_string_equal(err.sqlstate, "BD003");
	assert_int_equal(counter("ACME", "PJ"), before + 1);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM ledger.entries WHERE entry_id = %lld AND approver = 'acct2'",
		 id);
	assert_int_equal(q_scalar(su, sql), 1);
}

static void
test_numbering_race_with_rollback(void **state)
{
	long long e1 = draft(acct1, "ACME", "IJ", today, TWO_LINES);
	long long e2 = draft(acct1, "ACME", "IJ", today, TWO_LINES);
	long long before;
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	char sql[300];

	(void)state;
	named_ok(acct1, "ledger.entry_submit", BD_PARAMS("ACME", idstr(e1), NULL));
	named_ok(acct1, "ledger.entry_submit", BD_PARAMS("ACME", idstr(e2), NULL));
	before = counter("ACME", "IJ");
	/* acct2 posts e1 and holds the counter; super1's posting of e2 queues. */
	assert_int_equal(bd_db_begin(acct2, &err), 0);
	named_ok(acct2, "ledger.entry_approve", BD_PARAMS("ACME", idstr(e1), verof(su, e1)));
	assert_int_equal(bd_db_send(super1, "ledger.entry_approve",
				    BD_PARAMS("ACME", idstr(e2), verof(su, e2)), &err),
			 0);
	wait_for_lock_waiter("super1");
	/* acct2 gives up: its number goes to e2, no gap. */
	bd_db_rollback(acct2);
	res = wait_reply(super1, &err);
	if (!res)
		fail_msg("approve e2: %s (%s)", err.msg, err.detail);
	bd_db_result_free(res);
	named_ok(acct2, "ledger.entry_approve", BD_PARAMS("ACME", idstr(e1), verof(su, e1)));
	snprintf(sql, sizeof(sql),
		 "SELECT sum(CASE entry_id WHEN %lld THEN entry_no * 1000 ELSE entry_no END) "
		 "FROM ledger.entries WHERE entry_id IN (%lld, %lld)",
		 e1, e1, e2);
	assert_int_equal(q_scalar(su, sql), (before + 2) * 1000 + before + 1);
}

/* Checks what every posting must leave behind: per client, journal and
 * year, numbers 1..n; balances equal to the sums of posted lines. */
static void
assert_books_consistent(void)
{
	assert_int_equal(
	    q_scalar(su, "SELECT count(*) FROM (SELECT client_id, journal, fiscal_year "
			 "FROM ledger.entries WHERE status = 'posted' "
			 "GROUP BY 1, 2, 3 HAVING count(*) <> max(entry_no) "
			 "OR count(DISTINCT entry_no) <> count(*) OR min(entry_no) <> 1) x"),
	    0);
	assert_int_equal(
	    q_scalar(su, "SELECT count(*) FROM ledger.journal_counters k WHERE last_no <> "
			 "(SELECT count(*) FROM ledger.entries e WHERE e.client_id = k.client_id "
			 "AND e.journal = k.journal AND e.fiscal_year = k.fiscal_year "
			 "AND e.status = 'posted')"),
	    0);
	/* Every grain of ledger.balances equals the lines. */
	assert_int_equal(
	    q_scalar(su,
		     "WITH l AS (SELECT l.client_id, g.grain, g.bucket, l.account_id, "
		     "sum(l.debit) AS d, sum(l.credit) AS c FROM ledger.lines l "
		     "JOIN ledger.entries e USING (client_id, entry_id) "
		     "CROSS JOIN LATERAL (VALUES ('d'::\"char\", l.entry_date), "
		     "('m', date_trunc('month', l.entry_date::timestamp)::date), "
		     "('y', date_trunc('year', l.entry_date::timestamp)::date)) g(grain, bucket) "
		     "WHERE e.status = 'posted' GROUP BY 1, 2, 3, 4), "
		     "b AS (SELECT client_id, grain, bucket, account_id, sum(debit) AS d, "
		     "sum(credit) AS c FROM ledger.balances GROUP BY 1, 2, 3, 4) "
		     "SELECT count(*) FROM l FULL JOIN b USING (client_id, grain, bucket, "
		     "account_id) WHERE l.d IS DISTINCT FROM b.d OR l.c IS DISTINCT FROM b.c"),
	    0);
}

static void
test_trial_balance_equals_posted_lines(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	int rows;

	(void)state;
	assert_books_consistent();
	/* balances_as_of() for every day of the last 400 days against the lines. */
	assert_int_equal(
	    q_scalar(su,
		     "SELECT count(*) FROM core.clients c "
		     "CROSS JOIN generate_series(current_date - 400, current_date + 40, "
		     "interval '1 day') d(day) "
		     "CROSS JOIN LATERAL (SELECT count(*) AS bad FROM "
		     "(SELECT account_id, debit - credit AS bal FROM "
		     "ledger.balances_as_of(c.client_id, d.day::date) WHERE debit <> credit) b "
		     "FULL JOIN (SELECT l.account_id, sum(l.debit - l.credit) AS bal "
		     "FROM ledger.lines l JOIN ledger.entries e USING (client_id, entry_id) "
		     "WHERE l.client_id = c.client_id AND e.status = 'posted' "
		     "AND l.entry_date <= d.day GROUP BY 1 HAVING sum(l.debit - l.credit) <> 0) s "
		     "USING (account_id) WHERE b.bal IS DISTINCT FROM s.bal) x WHERE x.bad > 0"),
	    0);
	/* The report: each account as in the lines, and a balanced TOTAL row. */
	res = bd_db_query(acct2, "ledger.report_trial_balance", BD_PARAMS("ACME", today), &err);
	assert_non_null(res);
	rows = bd_db_result_rows(res);
	assert_true(rows > 5);
	assert_string_equal(bd_db_result_get(res, rows - 1, 0), "TOTAL");
	assert_string_equal(bd_db_result_get(res, rows - 1, 3), bd_db_result_get(res, rows - 1, 4));
	for (int r = 0; r < rows - 1; r++) {
		struct bd_db_result *s = dbtest_query(
		    su,
		    "SELECT sum(l.debit - l.credit) = ($2::numeric - $3::numeric) FROM "
		    "ledger.lines l JOIN ledger.entries e USING (client_id, entry_id) "
		    "JOIN ledger.accounts a USING (client_id, account_id) "
		    "WHERE l.client_id = 1 AND a.code = $1 AND e.status = 'posted' "
		    "AND l.entry_date <= current_date",
		    BD_PARAMS(bd_db_result_get(res, r, 0), bd_db_result_get(res, r, 3),
			      bd_db_result_get(res, r, 4)),
		    &err);
		assert_non_null(s);
		assert_string_equal(bd_db_result_get(s, 0, 0), "t");
		bd_db_result_free(s);
	}
	bd_db_result_free(res);
}

static void
test_reversal(void **state)
{
	long long id = posted("ACME", "CJ", TWO_LINES), rev;
	char sql[512];

	(void)state;
	named_fails(acct1, "BD002", "ledger.entry_reverse",
		    BD_PARAMS("ACME", idstr(draft(acct1, "ACME", "GJ", today, TWO_LINES)), NULL));
	rev = named_ok(acct1, "ledger.entry_reverse", BD_PARAMS("ACME", idstr(id), NULL));
	assert_true(rev > id);
	named_fails(acct1, "BD003", "ledger.entry_reverse", BD_PARAMS("ACME", idstr(id), NULL));
	/* The reversal waits for a checker like any entry. */
	named_fails(acct1, "BD002", "ledger.entry_approve",
		    BD_PARAMS("ACME", idstr(rev), verof(su, rev)));
	named_ok(acct2, "ledger.entry_approve", BD_PARAMS("ACME", idstr(rev), verof(su, rev)));
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM ledger.lines o JOIN ledger.lines r ON r.entry_id = %lld "
		 "AND r.line_no = o.line_no AND r.account_id = o.account_id AND r.debit = o.credit "
		 "AND r.credit = o.debit JOIN ledger.entries e ON e.entry_id = r.entry_id "
		 "AND e.reverses_entry_id = o.entry_id AND e.status = 'posted' "
		 "WHERE o.entry_id = %lld",
		 rev, id);
	assert_int_equal(q_scalar(su, sql), 2);
	/* Reversing into a locked period is refused. */
	{
		char locked[16];

		snprintf(locked, sizeof(locked), "%lld-02-01",
			 q_scalar(su, "SELECT extract(year FROM current_date) - 1"));
		named_fails(acct1, "BD002", "ledger.entry_reverse",
			    BD_PARAMS("ACME", idstr(rev), locked));
	}
	assert_books_consistent();
}

/* 16 processes, each its own connection, post to the same accounts in the
 * same journal at once. */
enum { WORKERS = 16, PER_WORKER = 25 };

static int
worker(int w, const long long *ids)
{
	struct bd_db *db = dbtest_connect(&t, (w % 2) ? "acct2" : "super1");
	int i, rc = 0;

	for (i = 0; i < PER_WORKER; i++) {
		struct bd_err err = BD_ERR_INIT;
		struct bd_db_result *res =
		    bd_db_query(db, "ledger.entry_approve",
				BD_PARAMS("ACME", idstr(ids[w * PER_WORKER + i]),
					  verof(db, ids[w * PER_WORKER + i])),
				&err);

		if (!res) {
			fprintf(stderr, "worker %d: %s (%s %s)\n", w, err.msg, err.sqlstate,
				err.detail);
			rc = 1;
			continue;
		}
		bd_db_result_free(res);
	}
	bd_db_free(db);
	return rc;
}

static void
test_sixteen_connections_post_to_hot_accounts(void **state)
{
	static const char lines[] = "[{\"account\":\"1100\",\"debit\":\"10.01\"},"
				    "{\"account\":\"1200\",\"debit\":\"5.00\"},"
				    "{\"account\":\"4100\",\"credit\":\"12.00\"},"
				    "{\"account\":\"2200\",\"credit\":\"3.01\"}]";
	long long ids[WORKERS * PER_WORKER];
	long long cash_before, posted_before;
	pid_t pids[WORKERS];
	int i, status, failed = 0;

	(void)state;
	cash_before = q_scalar(su, "SELECT coalesce(sum(debit - credit) * 100, 0) FROM "
				   "ledger.balances b JOIN ledger.accounts a USING (client_id, "
				   "account_id) WHERE b.client_id = 1 AND a.code = '1100' "
				   "AND b.grain = 'y'");
	posted_before = q_scalar(su, "SELECT count(*) FROM ledger.entries WHERE status = 'posted'");
	for (i = 0; i < WORKERS * PER_WORKER; i++) {
		ids[i] = draft(acct1, "ACME", "GJ", today, lines);
		named_ok(acct1, "ledger.entry_submit", BD_PARAMS("ACME", idstr(ids[i]), NULL));
	}
	for (i = 0; i < WORKERS; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0)
			_exit(worker(i, ids));
	}
	for (i = 0; i < WORKERS; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	assert_int_equal(failed, 0);
	assert_int_equal(
	    q_scalar(su, "SELECT count(*) FROM ledger.entries WHERE status = 'posted'"),
	    posted_before + WORKERS * PER_WORKER);
	assert_int_equal(q_scalar(su, "SELECT coalesce(sum(debit - credit) * 100, 0) FROM "
				      "ledger.balances b JOIN ledger.accounts a USING (client_id, "
				      "account_id) WHERE b.client_id = 1 AND a.code = '1100' "
				      "AND b.grain = 'y'"),
			 cash_before + WORKERS * PER_WORKER * 1001);
	assert_books_consistent();
}

static void
test_compaction_keeps_balances(void **state)
{
	long long before = q_scalar(su, "SELECT count(*) FROM ledger.balances WHERE stripe <> 0");

	(void)state;
	assert_true(before > 0);
	named_ok(acct1, "ledger.balances_compact", BD_PARAMS("ACME", "2199-12-31"));
	assert_int_equal(q_scalar(su, "SELECT count(*) FROM ledger.balances WHERE stripe <> 0 "
				      "AND client_id = 1"),
			 0);
	assert_books_consistent();
}

static void
test_roles_and_chart(void **state)
{
	struct bd_db *clerk = dbtest_connect(&t, "clerk1");

	(void)state;
	named_fails(clerk, "42501", "ledger.entry_create",
		    BD_PARAMS("ACME", "GJ", today, "", "", TWO_LINES, NULL));
	sql_fails(clerk, "42501", "SELECT count(*) FROM ledger.entries");
	named_fails(super1, "BD002", "ledger.entry_create",
		    BD_PARAMS("ACME", "GJ", today, "", "", TWO_LINES, NULL));
	named_fails(acct1, "BD003", "ledger.account_add",
		    BD_PARAMS("ACME", "1100", "Again", "asset", NULL));
	named_fails(acct1, "BD001", "ledger.account_add",
		    BD_PARAMS("ACME", "1101", "Bad type", "cash", NULL));
	named_fails(acct1, "BD004", "ledger.account_add",
		    BD_PARAMS("ACME", "1101", "Orphan", "asset", "9999"));
	named_ok(acct1, "ledger.account_add", BD_PARAMS("ACME", "1120", "Float", "asset", "1000"));
	named_ok(acct1, "ledger.account_set_active", BD_PARAMS("ACME", "1120", "false"));
	named_fails(acct1, "BD001", "ledger.entry_create",
		    BD_PARAMS("ACME", "GJ", today, "", "",
			      "[{\"account\":\"1120\",\"debit\":\"1\"},"
			      "{\"account\":\"4100\",\"credit\":\"1\"}]",
			      NULL));
	named_fails(acct1, "BD004", "ledger.entry_create",
		    BD_PARAMS("ACME", "XX", today, "", "", TWO_LINES, NULL));
	bd_db_free(clerk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unbalanced_by_one_cent),
	    cmocka_unit_test(test_deleted_or_changed_line_fails_at_commit),
	    cmocka_unit_test(test_posted_is_immutable_for_every_role),
	    cmocka_unit_test(test_submitted_lines_are_frozen),
	    cmocka_unit_test(test_locked_closed_and_impossible_dates),
	    cmocka_unit_test(test_maker_cannot_approve),
	    cmocka_unit_test(test_other_client_invisible_and_unwritable),
	    cmocka_unit_test(test_two_concurrent_approvals),
	    cmocka_unit_test(test_numbering_race_with_rollback),
	    cmocka_unit_test(test_reversal),
	    cmocka_unit_test(test_sixteen_connections_post_to_hot_accounts),
	    cmocka_unit_test(test_trial_balance_equals_posted_lines),
	    cmocka_unit_test(test_compaction_keeps_balances),
	    cmocka_unit_test(test_roles_and_chart),
	};
	int rc;

	dbtest_start(&t, true);
	su = dbtest_connect(&t, NULL);
	acct1 = dbtest_connect(&t, "acct1");
	acct2 = dbtest_connect(&t, "acct2");
	super1 = dbtest_connect(&t, "super1");
	{
		struct bd_err err = BD_ERR_INIT;
		struct bd_db_result *res =
		    dbtest_query(su, "SELECT current_date::text", 0, NULL, &err);

		if (!res)
			abort();
		snprintf(today, sizeof(today), "%s", bd_db_result_get(res, 0, 0));
		bd_db_result_free(res);
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	bd_db_free(super1);
	bd_db_free(acct2);
	bd_db_free(acct1);
	bd_db_free(su);
	dbtest_stop(&t);
	return rc;
}
