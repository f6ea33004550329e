/*
 * Reports from a replica (issue 21): database.report_conninfo names a real
 * streaming standby of the test cluster (pg_basebackup -R, its own socket
 * and port), and the report path reads there.
 *
 *  - bd_cli_open_report_db (the command line's one choice, as
 *    bd_session_report_db is the screens') gives a connection to the
 *    standby (pg_is_in_recovery() through it), signed on as the operator;
 *    core.replica_lag says it is a standby;
 *  - every query the read-only screens run (ledger reports and inquiry,
 *    their lookups, supervisor productivity) runs on the standby as its
 *    operator: none of them writes;
 *  - row security holds there: the same roles and policies (a physical
 *    copy), so an operator of one client sees that client's rows only and
 *    another client's report is refused;
 *  - a row written on the primary is not in the standby's report while
 *    replay is paused, the lag is then above zero, and after replay the row
 *    is there and the lag zero;
 *  - the standby stopped: the primary serves (pg_is_in_recovery() false);
 *    started again: reports return to it.
 */
#include "dbtest.h"

#include "backdesk/command.h"
#include "backdesk/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

static struct dbtest t;

static struct bd_db *
open_report_db(const char *user)
{
	struct bd_cli cli = {t.cfg, user, "ledger", BD_CLI_OPERATOR};
	struct bd_db *db = bd_cli_open_report_db(&cli);

	assert_non_null(db);
	assert_string_equal(bd_db_user(db), user);
	return db;
}

static bool
in_recovery(struct bd_db *db)
{
	return dbtest_scalar(db, "SELECT pg_is_in_recovery()::int", 0, NULL) == 1;
}

static void
test_reports_read_the_standby(void **state)
{
	struct bd_db *db = open_report_db("acct1");
	struct bd_db_result *res;

	(void)state;
	assert_true(in_recovery(db));
	res = dbtest_named(db, "core.replica_lag", BD_NO_PARAMS);
	assert_string_equal(dbtest_col(res, 0, "standby"), "t");
	assert_false(bd_db_result_isnull(res, 0, bd_db_result_col(res, "lag_seconds")));
	bd_db_result_free(res);

	/* Every query of the ledger's report screens and `ledger report`. */
	res = dbtest_named(db, "ledger.report_trial_balance", BD_PARAMS("ACME", NULL));
	assert_true(bd_db_result_rows(res) > 0);
	bd_db_result_free(res);
	dbtest_named_ok(db, "ledger.report_pl", BD_PARAMS("ACME", NULL, NULL));
	dbtest_named_ok(db, "ledger.report_balance_sheet", BD_PARAMS("ACME", NULL));
	dbtest_named_ok(db, "ledger.report_account", BD_PARAMS("ACME", "1000", NULL, NULL));
	dbtest_named_ok(db, "ledger.account_search", BD_PARAMS("ACME", "cash"));
	bd_db_free(db);

	/* Supervisor productivity and its lookups. */
	db = open_report_db("super1");
	assert_true(in_recovery(db));
	dbtest_named_ok(db, "supervisor.period", BD_PARAMS("week"));
	dbtest_named_ok(db, "supervisor.productivity",
			BD_PARAMS("2000-01-01", "2100-01-01", NULL, NULL, "login"));
	dbtest_named_ok(db, "supervisor.operator_documents",
			BD_PARAMS("clerk1", "2000-01-01", "2100-01-01", NULL, NULL));
	dbtest_named_ok(db, "supervisor.doctypes", BD_PARAMS(NULL));
	dbtest_named_ok(db, "core.my_clients", BD_NO_PARAMS);
	bd_db_free(db);
}

static void
test_row_security_on_the_standby(void **state)
{
	struct bd_db *su = dbtest_connect(&t, NULL), *db;
	long long acme_accounts;
	struct bd_err err;

	(void)state;
	dbtest_exec(su, "SELECT core.operator_add('acct9', 'Ann Acme-only', 'accountant', "
			"'{ACME}')");
	acme_accounts = dbtest_scalar(su,
				      "SELECT count(*) FROM ledger.accounts a JOIN core.clients c "
				      "USING (client_id) WHERE c.code = 'ACME'",
				      0, NULL);
	bd_db_free(su);
	dbtest_standby_catch_up(&t);

	db = open_report_db("acct9");
	assert_true(in_recovery(db));
	/* Her client's rows, and no other client's, from the policy itself. */
	assert_int_equal(dbtest_scalar(db, "SELECT count(*) FROM ledger.accounts", 0, NULL),
			 acme_accounts);
	assert_int_equal(
	    dbtest_scalar(db, "SELECT count(DISTINCT client_id) FROM ledger.accounts", 0, NULL), 1);
	assert_int_equal(dbtest_scalar(db,
				       "SELECT count(*) FROM ledger.lines l JOIN core.clients c "
				       "USING (client_id) WHERE c.code = 'GLOBEX'",
				       0, NULL),
			 0);
	/* Another client's report is refused, as on the primary. */
	err = dbtest_named_refused(db, "ledger.report_trial_balance", BD_PARAMS("GLOBEX", NULL));
	{
		struct bd_db *primary = dbtest_connect(&t, "acct9");
		struct bd_err on_primary = dbtest_named_refused(
		    primary, "ledger.report_trial_balance", BD_PARAMS("GLOBEX", NULL));

		assert_int_equal(err.kind, on_primary.kind);
		assert_string_equal(err.msg, on_primary.msg);
		bd_db_free(primary);
	}
	/* And nothing can be written there. */
	assert_true(dbtest_fails(
	    db, "SELECT ledger.account_add('ACME', '9990', 'x', 'asset', NULL)", 0, NULL, &err));
	bd_db_free(db);
}

static bool
has_account(struct bd_db *db, const char *code)
{
	struct bd_db_result *res =
	    dbtest_named(db, "ledger.account_search", BD_PARAMS("ACME", code));
	bool found = false;
	int r;

	for (r = 0; r < bd_db_result_rows(res); r++)
		found = found || !strcmp(bd_db_result_get(res, r, 0), code);
	bd_db_result_free(res);
	return found;
}

static double
lag(struct bd_db *db)
{
	struct bd_db_result *res = dbtest_named(db, "core.replica_lag", BD_NO_PARAMS);
	double v = strtod(dbtest_col(res, 0, "lag_seconds"), NULL);

	bd_db_result_free(res);
	return v;
}

static void
test_replay_and_lag(void **state)
{
	char *conninfo = dbtest_standby_conninfo(&t, bd_cluster_superuser(&t.cluster));
	struct bd_err err = BD_ERR_INIT;
	struct bd_db *standby_su = bd_db_connect(conninfo, &err);
	struct bd_db *primary = dbtest_connect(&t, "acct1");
	struct bd_db *db = open_report_db("acct1");
	const struct timespec step = {0, 20 * 1000000L};
	int i;

	(void)state;
	assert_non_null(standby_su);
	assert_false(has_account(db, "9871"));
	dbtest_exec(standby_su, "SELECT pg_wal_replay_pause()");
	dbtest_named_ok(primary, "ledger.account_add",
			BD_PARAMS("ACME", "9871", "Replica probe", "asset", NULL));
	/* Written on the primary, not yet replayed: the report does not have
	 * it, and the lag says replay is behind. */
	for (i = 0; i < 3000 && lag(db) <= 0; i++)
		nanosleep(&step, NULL);
	assert_true(lag(db) > 0);
	assert_false(has_account(db, "9871"));
	assert_true(has_account(primary, "9871"));

	dbtest_exec(standby_su, "SELECT pg_wal_replay_resume()");
	dbtest_standby_catch_up(&t);
	assert_true(has_account(db, "9871"));
	for (i = 0; i < 3000 && lag(db) != 0; i++)
		nanosleep(&step, NULL);
	assert_true(lag(db) == 0);

	/* On a primary the lag is NULL and standby false. */
	{
		struct bd_db_result *res = dbtest_named(primary, "core.replica_lag", BD_NO_PARAMS);

		assert_string_equal(dbtest_col(res, 0, "standby"), "f");
		assert_true(bd_db_result_isnull(res, 0, bd_db_result_col(res, "lag_seconds")));
		bd_db_result_free(res);
	}
	bd_db_free(db);
	bd_db_free(primary);
	bd_db_free(standby_su);
	free(conninfo);
}

static void
test_standby_down_primary_serves(void **state)
{
	struct bd_db *db;

	(void)state;
	dbtest_standby_stop(&t);
	db = open_report_db("acct1");
	assert_false(in_recovery(db));
	dbtest_named_ok(db, "ledger.report_trial_balance", BD_PARAMS("ACME", NULL));
	bd_db_free(db);

	dbtest_standby_start(&t);
	db = open_report_db("acct1");
	assert_true(in_recovery(db));
	bd_db_free(db);
}

/* A shared server whose report_conninfo signs the operator on as another
 * role (here the superuser, whom row security does not hold) is never used:
 * the primary serves. */
static void
test_standby_as_another_role_refused(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_config *cfg = bd_config_defaults();
	char *primary = dbtest_conninfo(&t, "acct1");
	char *standby = dbtest_standby_conninfo(&t, bd_cluster_superuser(&t.cluster));
	struct bd_cli cli = {cfg, NULL, "ledger", BD_CLI_OPERATOR};
	struct bd_db *db;

	(void)state;
	assert_int_equal(bd_config_set(cfg, "database.conninfo", primary, "test", &err), 0);
	assert_int_equal(bd_config_set(cfg, "database.report_conninfo", standby, "test", &err), 0);
	db = bd_cli_open_report_db(&cli);
	assert_non_null(db);
	assert_string_equal(bd_db_user(db), "acct1");
	assert_false(in_recovery(db));
	bd_db_free(db);

	/* The same words without the user: the operator, on the standby. */
	free(standby);
	standby = dbtest_standby_conninfo(&t, "acct1");
	assert_int_equal(bd_config_set(cfg, "database.report_conninfo", standby, "test", &err), 0);
	db = bd_cli_open_report_db(&cli);
	assert_non_null(db);
	assert_string_equal(bd_db_user(db), "acct1");
	assert_true(in_recovery(db));
	bd_db_free(db);
	free(standby);
	free(primary);
	bd_config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reports_read_the_standby),
	    cmocka_unit_test(test_row_security_on_the_standby),
	    cmocka_unit_test(test_replay_and_lag),
	    cmocka_unit_test(test_standby_down_primary_serves),
	    cmocka_unit_test(test_standby_as_another_role_refused),
	};
	struct bd_err err = BD_ERR_INIT;
	struct bd_db *db;
	char *conninfo;
	int rc;

	dbtest_start(&t, true);
	dbtest_standby_start(&t);
	/* A commit after the base backup, replayed: until the standby has
	 * replayed one it has no replay time, and no lag to show. */
	db = dbtest_connect(&t, NULL);
	dbtest_exec(db, "SELECT txid_current()");
	bd_db_free(db);
	dbtest_standby_catch_up(&t);
	conninfo = dbtest_standby_conninfo(&t, NULL);
	if (bd_config_set(t.cfg, "database.report_conninfo", conninfo, "test", &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	free(conninfo);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	dbtest_stop(&t);
	return rc;
}
