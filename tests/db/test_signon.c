/* The sign-on's round trips (README, Capacity: the first screen within
 * 100 ms): a batch of statements prepared in one round trip, a query's first
 * use prepared and run in one (libpq's pipeline mode), its errors reported
 * as before and the connection usable after them, and the schema check in
 * one query that still names what differs. */
#include "dbtest.h"

#include "backdesk/migrate.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static struct dbtest t;

static long long
prepared(struct bd_db *db, const char *name)
{
	const char *params[1] = {name};

	return dbtest_scalar(db, "SELECT count(*) FROM pg_prepared_statements WHERE name = $1", 1,
			     params);
}

static void
test_prepare_all_at_once(void **state)
{
	static const char *const names[] = {"core.whoami", "app.my_clients", "draft.list"};
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct bd_err err = BD_ERR_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(prepared(db, names[i]), 0);
	assert_int_equal(bd_db_prepare_all(db, names, 3, &err), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(prepared(db, names[i]), 1);
	/* again: nothing left to prepare, nothing sent */
	assert_int_equal(bd_db_prepare_all(db, names, 3, &err), 0);
	bd_db_free(db);
}

static void
test_first_use_prepares_and_runs(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;

	(void)state;
	assert_non_null(res = bd_db_query(db, "migrate.checksum", BD_PARAMS("abc"), &err));
	assert_string_equal(bd_db_result_get(res, 0, 0),
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	bd_db_result_free(res);
	assert_int_equal(prepared(db, "migrate.checksum"), 1);

	/* An error at the first execution: reported as any query's, the
	 * statement prepared all the same, the connection usable after it. */
	assert_null(bd_db_query(db, "migrate.recorded", BD_PARAMS("not a number"), &err));
	assert_true(bd_err_is_set(&err));
	assert_int_equal(prepared(db, "migrate.recorded"), 1);
	bd_err_clear(&err);
	assert_non_null(res = bd_db_query(db, "migrate.recorded", BD_PARAMS("1"), &err));
	assert_int_equal(bd_db_result_rows(res), 1);
	bd_db_result_free(res);
	/* a synchronous statement after it: the connection left pipeline mode */
	dbtest_exec(db, "SELECT 1");
	bd_db_free(db);
}

static void
test_schema_check_in_one_query(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct bd_err err = BD_ERR_INIT;
	char *path;

	(void)state;
	assert_int_equal(bd_migrate_check(db, &err), 0);
	/* One repeatable file applied with other text: refused, naming it. */
	path = dbtest_text(
	    db, "SELECT min(path) FROM bd_meta.repeatables WHERE $1::text IS NOT NULL", "x");
	dbtest_exec(db, "UPDATE bd_meta.repeatables SET checksum = 'x' || checksum "
			"WHERE path = (SELECT min(path) FROM bd_meta.repeatables)");
	assert_int_equal(bd_migrate_check(db, &err), -1);
	assert_non_null(strstr(err.msg, "1 file"));
	assert_non_null(strstr(err.msg, path));
	dbtest_exec(db, "UPDATE bd_meta.repeatables SET checksum = substr(checksum, 2) "
			"WHERE path = (SELECT min(path) FROM bd_meta.repeatables)");
	bd_err_clear(&err);
	assert_int_equal(bd_migrate_check(db, &err), 0);
	free(path);
	bd_db_free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_prepare_all_at_once),
	    cmocka_unit_test(test_first_use_prepares_and_runs),
	    cmocka_unit_test(test_schema_check_in_one_query),
	};
	int failed;

	dbtest_start(&t, false);
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	dbtest_stop(&t);
	return failed;
}
