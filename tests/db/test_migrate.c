/* Migrations, the named-query catalogue and the embedded cluster, for real. */
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

static void
test_migrate_again_is_a_noop(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct bd_migrate_report report;
	struct bd_err err = BD_ERR_INIT;
	long long before = dbtest_scalar(db, "SELECT count(*) FROM bd_meta.migrations", 0, NULL);

	(void)state;
	assert_true(before > 0);
	assert_int_equal(bd_migrate(db, &report, NULL, &err), 0);
	assert_int_equal(report.ran, 0);
	assert_int_equal(report.applied, report.known);
	assert_int_equal(dbtest_scalar(db, "SELECT count(*) FROM bd_meta.migrations", 0, NULL),
			 before);
	assert_int_equal(bd_migrate_check(db, &err), 0);
	bd_db_free(db);
}

static void
test_every_named_query_prepares(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct bd_err err = BD_ERR_INIT;
	size_t i, n = bd_query_count();

	(void)state;
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		const char *name = bd_query_name(i);

		if (bd_db_prepare(db, name, &err) < 0)
			fail_msg("%s does not prepare: %s (%s)", name, err.msg, err.detail);
	}
	bd_db_free(db);
}

static void
test_changed_migration_is_refused(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct bd_migrate_report report;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	dbtest_exec(db, "BEGIN");
	dbtest_exec(db, "UPDATE bd_meta.migrations SET checksum = 'x' WHERE version = "
			"(SELECT min(version) FROM bd_meta.migrations)");
	assert_int_equal(bd_migrate(db, &report, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "was changed after it was applied"));
	dbtest_exec(db, "ROLLBACK");
	bd_db_free(db);
}

static void
test_newer_database_is_refused(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct bd_migrate_report report;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	dbtest_exec(db, "INSERT INTO bd_meta.migrations (version, name, checksum) "
			"VALUES (9999, '9999_future.sql', 'x')");
	assert_int_equal(bd_migrate_check(db, &err), -1);
	assert_non_null(strstr(err.msg, "newer than this backdesk"));
	assert_int_equal(bd_migrate(db, &report, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "newer than this backdesk"));
	dbtest_exec(db, "DELETE FROM bd_meta.migrations WHERE version = 9999");
	assert_int_equal(bd_migrate_check(db, &err), 0);
	bd_db_free(db);
}

static void
test_fresh_database_migrates_from_empty(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL), *fresh;
	struct bd_migrate_report report;
	struct bd_err err = BD_ERR_INIT;
	char *conninfo;

	(void)state;
	dbtest_exec(db, "CREATE DATABASE fresh");
	conninfo = dbtest_conninfo(&t, NULL);
	/* conninfo's dbname='backdesk' is overridden by the later keyword. */
	{
		size_t len = strlen(conninfo) + 32;
		char *ci = malloc(len);

		snprintf(ci, len, "%s dbname='fresh'", conninfo);
		fresh = bd_db_connect(ci, &err);
		free(ci);
	}
	assert_non_null(fresh);
	assert_int_equal(bd_migrate_check(fresh, &err), -1);
	assert_non_null(strstr(err.msg, "needs upgrading"));
	assert_int_equal(bd_migrate(fresh, &report, NULL, &err), 0);
	assert_int_equal(report.applied, 0);
	assert_int_equal(report.ran, report.known);
	assert_int_equal(bd_migrate_check(fresh, &err), 0);
	bd_db_free(fresh);
	free(conninfo);
	bd_db_free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_migrate_again_is_a_noop),
	    cmocka_unit_test(test_every_named_query_prepares),
	    cmocka_unit_test(test_changed_migration_is_refused),
	    cmocka_unit_test(test_newer_database_is_refused),
	    cmocka_unit_test(test_fresh_database_migrates_from_empty),
	};
	int failed;

	dbtest_start(&t, false);
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	dbtest_stop(&t);
	return failed;
}
