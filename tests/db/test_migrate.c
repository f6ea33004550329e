/* Migrations, the named-query catalogue and the embedded cluster, for real. */
#include "dbtest.h"

#include "backdesk/embedded.h"
#include "backdesk/migrate.h"
#include "backdesk/strbuf.h"

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

static const char FUNCTIONS_DIR[] = "sql/functions/";

/* Every function and view of the Backdesk schemas (owned by bd_owner) with
 * its owner and rights, as one digest: equal digests, equal definitions. */
static const char SNAPSHOT[] =
    "SELECT md5(string_agg(d, E'\\n' ORDER BY d)) FROM ("
    " SELECT pg_get_functiondef(p.oid) || coalesce(p.proacl::text, '') ||"
    "        pg_get_userbyid(p.proowner) AS d"
    "   FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
    "  WHERE pg_get_userbyid(n.nspowner) = 'bd_owner' AND n.nspname <> 'bd_meta'"
    " UNION ALL"
    " SELECT c.oid::regclass::text || pg_get_viewdef(c.oid) || coalesce(c.relacl::text, '') ||"
    "        coalesce(c.reloptions::text, '') || pg_get_userbyid(c.relowner)"
    "   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    "  WHERE c.relkind = 'v' AND pg_get_userbyid(n.nspowner) = 'bd_owner') s";

static size_t
repeatable_count(void)
{
	const struct bd_embedded_file *f;
	size_t n = 0;

	for (f = bd_embedded_files; f->path; f++)
		n += !strncmp(f->path, FUNCTIONS_DIR, sizeof(FUNCTIONS_DIR) - 1);
	return n;
}

static struct bd_db *
connect_db(const char *dbname)
{
	char *conninfo = dbtest_conninfo(&t, NULL);
	size_t len = strlen(conninfo) + 64;
	char *ci = malloc(len);
	struct bd_err err = BD_ERR_INIT;
	struct bd_db *db;

	/* conninfo's dbname='backdesk' is overridden by the later keyword. */
	snprintf(ci, len, "%s dbname='%s'", conninfo, dbname);
	db = bd_db_connect(ci, &err);
	free(ci);
	free(conninfo);
	if (!db)
		fail_msg("connect %s: %s", dbname, err.msg);
	return db;
}

/* Each function of the Backdesk schemas is created by exactly one repeatable
 * file, and no file creates a function the database does not have. */
static void
test_every_function_has_one_file(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	const struct bd_embedded_file *f;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	dbtest_exec(db, "CREATE TEMP TABLE defs (path text, name text)");
	for (f = bd_embedded_files; f->path; f++) {
		const char *p[] = {f->path, f->data};
		struct bd_db_result *res;

		if (strncmp(f->path, FUNCTIONS_DIR, sizeof(FUNCTIONS_DIR) - 1))
			continue;
		res = dbtest_query(
		    db,
		    "INSERT INTO defs SELECT DISTINCT $1, lower(m[1]) FROM "
		    "regexp_matches($2, 'CREATE OR REPLACE FUNCTION\\s+(\\w+\\.\\w+)\\(', "
		    "'gi') m",
		    2, p, &err);
		assert_non_null(res);
		bd_db_result_free(res);
	}
	dbtest_exec(db,
		    "CREATE TEMP VIEW procs AS SELECT DISTINCT n.nspname || '.' || p.proname "
		    "AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
		    "WHERE pg_get_userbyid(n.nspowner) = 'bd_owner' AND n.nspname <> 'bd_meta'");
	assert_true(dbtest_scalar(db, "SELECT count(*) FROM procs", 0, NULL) > 100);
	assert_int_equal(dbtest_scalar(db,
				       "SELECT count(*) FROM procs WHERE name NOT IN "
				       "(SELECT name FROM defs)",
				       0, NULL),
			 0);
	assert_int_equal(dbtest_scalar(db,
				       "SELECT count(*) FROM defs WHERE name NOT IN "
				       "(SELECT name FROM procs)",
				       0, NULL),
			 0);
	assert_int_equal(dbtest_scalar(db,
				       "SELECT count(*) FROM (SELECT name FROM defs GROUP BY name "
				       "HAVING count(*) > 1) s",
				       0, NULL),
			 0);
	bd_db_free(db);
}

/* Re-applying every file changes no definition, and a second run applies none. */
static void
test_reapplying_repeatables_changes_nothing(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct bd_migrate_report report;
	struct bd_err err = BD_ERR_INIT;
	char *before = dbtest_text(db, SNAPSHOT, NULL), *after;

	(void)state;
	assert_int_equal(dbtest_scalar(db, "SELECT count(*) FROM bd_meta.repeatables", 0, NULL),
			 (long long)repeatable_count());
	dbtest_exec(db, "DELETE FROM bd_meta.repeatables");
	assert_int_equal(bd_migrate(db, &report, NULL, &err), 0);
	assert_int_equal(report.repeatables_ran, (int)repeatable_count());
	after = dbtest_text(db, SNAPSHOT, NULL);
	assert_string_equal(before, after);
	assert_int_equal(bd_migrate(db, &report, NULL, &err), 0);
	assert_int_equal(report.repeatables_ran, 0);
	free(after);
	free(before);
	bd_db_free(db);
}

/* A file whose text differs from the recorded one (as after an edit) is
 * re-applied, alone, and restores its function's definition. */
static void
test_changed_repeatable_is_reapplied_alone(void **state)
{
#define FN_PATH "sql/functions/ledger/ledger.balances_as_of.sql"
	static const char path[] = FN_PATH;
	const char *p[] = {path};
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct bd_migrate_report report;
	struct bd_err err = BD_ERR_INIT;
	char *before = dbtest_text(db, SNAPSHOT, NULL), *drifted, *after;

	(void)state;
	assert_non_null(bd_embedded_find(path));
	dbtest_exec(db, "ALTER FUNCTION ledger.balances_as_of COST 7777");
	drifted = dbtest_text(db, SNAPSHOT, NULL);
	assert_string_not_equal(before, drifted);
	assert_int_equal(dbtest_scalar(db,
				       "WITH u AS (UPDATE bd_meta.repeatables SET checksum = 'old' "
				       "WHERE path = $1 RETURNING 1) SELECT count(*) FROM u",
				       1, p),
			 1);
	/* a binary whose function files are not the database's says so (and a
	 * file missing from the record counts too) */
	assert_int_equal(bd_migrate_check(db, &err), -1);
	assert_non_null(strstr(err.msg, "functions are not this backdesk's (1 file, " FN_PATH));
	assert_non_null(strstr(err.msg, "run 'backdesk migrate'"));
	assert_int_equal(bd_migrate(db, &report, NULL, &err), 0);
	assert_int_equal(report.ran, 0);
	assert_int_equal(report.repeatables_ran, 1);
	assert_int_equal(bd_migrate_check(db, &err), 0);
	after = dbtest_text(db, SNAPSHOT, NULL);
	assert_string_equal(before, after);
	assert_int_equal(dbtest_scalar(db,
				       "SELECT count(*) FROM bd_meta.repeatables WHERE checksum = "
				       "'old'",
				       0, NULL),
			 0);
	free(after);
	free(drifted);
	free(before);
	bd_db_free(db);
}

/* The embedded cluster loads PL/pgSQL once, in the postmaster: a new
 * backend does not load it at its first PL/pgSQL call (6 ms of a first
 * screen; README, Capacity). */
static void
test_cluster_preloads_plpgsql(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	char *libs = dbtest_text(db, "SELECT current_setting('shared_preload_libraries')", NULL);

	(void)state;
	assert_string_equal(libs, "plpgsql");
	free(libs);
	bd_db_free(db);
}

/* The schema stamp (085_seats.sql): migrate records the binary's, which is
 * the SHA-256 of its migrations' and function files' "path checksum" lines;
 * any change to what it vouches for deletes it; a sign-on passes on it only
 * at this binary's version, and without it still compares file by file. */
static void
test_schema_stamp(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct bd_migrate_report report;
	struct bd_err err = BD_ERR_INIT;
	const struct bd_embedded_file *f;
	struct strbuf lines = STRBUF_INIT;
	const char *stamp[] = {bd_embedded_schema_stamp}, *p[2];
	char *sum;
	static const char STAMPED[] = "SELECT count(*) FROM bd_meta.stamp WHERE stamp = $1";

	(void)state;
	for (f = bd_embedded_files; f->path; f++)
		if (!strncmp(f->path, "sql/migrations/", 15) ||
		    !strncmp(f->path, FUNCTIONS_DIR, sizeof(FUNCTIONS_DIR) - 1))
			strbuf_addf(&lines, "%s %s\n", f->path, f->sha256);
	sum = dbtest_text(db, "SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')", lines.buf);
	assert_string_equal(sum, bd_embedded_schema_stamp);
	assert_int_equal(bd_migrate(db, &report, NULL, &err), 0);
	assert_int_equal(dbtest_scalar(db, STAMPED, 1, stamp), 1);
	assert_int_equal(bd_migrate_check(db, &err), 0);

	/* a function file recorded otherwise: the stamp goes, the check refuses;
	 * put back by hand, the check passes file by file, without a stamp */
	p[0] = "sql/functions/ledger/ledger.balances_as_of.sql";
	p[1] = bd_embedded_find(p[0])->sha256;
	dbtest_exec(db, "UPDATE bd_meta.repeatables SET checksum = 'old' WHERE path = "
			"'sql/functions/ledger/ledger.balances_as_of.sql'");
	assert_int_equal(dbtest_scalar(db, "SELECT count(*) FROM bd_meta.stamp", 0, NULL), 0);
	assert_int_equal(bd_migrate_check(db, &err), -1);
	assert_non_null(strstr(err.msg, "functions are not this backdesk's"));
	assert_int_equal(dbtest_scalar(db,
				       "WITH u AS (UPDATE bd_meta.repeatables SET checksum = $2 "
				       "WHERE path = $1 RETURNING 1) SELECT count(*) FROM u",
				       2, p),
			 1);
	assert_int_equal(bd_migrate_check(db, &err), 0);

	/* another binary's stamp: file by file, all well */
	assert_int_equal(bd_migrate(db, &report, NULL, &err), 0);
	dbtest_exec(db, "UPDATE bd_meta.stamp SET stamp = 'another binary'");
	assert_int_equal(bd_migrate_check(db, &err), 0);

	/* the stamp is this binary's but a newer migration is there (written
	 * with the trigger off, as a migrator racing this one could): refused */
	assert_int_equal(bd_migrate(db, &report, NULL, &err), 0);
	assert_int_equal(dbtest_scalar(db, STAMPED, 1, stamp), 1);
	dbtest_exec(db, "ALTER TABLE bd_meta.migrations DISABLE TRIGGER stamp_void");
	dbtest_exec(db, "INSERT INTO bd_meta.migrations (version, name, checksum) "
			"VALUES (99999, '99999_future.sql', 'x')");
	dbtest_exec(db, "ALTER TABLE bd_meta.migrations ENABLE TRIGGER stamp_void");
	assert_int_equal(dbtest_scalar(db, STAMPED, 1, stamp), 1);
	assert_int_equal(bd_migrate_check(db, &err), -1);
	assert_non_null(strstr(err.msg, "The database is newer than this backdesk"));
	dbtest_exec(db, "DELETE FROM bd_meta.migrations WHERE version = 99999");
	assert_int_equal(dbtest_scalar(db, STAMPED, 1, stamp), 0);
	assert_int_equal(bd_migrate(db, &report, NULL, &err), 0);
	assert_int_equal(dbtest_scalar(db, STAMPED, 1, stamp), 1);
	assert_int_equal(bd_migrate_check(db, &err), 0);
	free(sum);
	strbuf_release(&lines);
	bd_db_free(db);
}

/* A database the old binary built (numbered migrations 001..033 alone, each
 * recorded) migrates to the new scheme and ends with the same functions and
 * views as a database built fresh. */
static void
test_database_at_033_upgrades(void **state)
{
	static const char *const steps[] = {"migrate.create_schema", "migrate.create_table",
					    "migrate.grant_schema", "migrate.grant_table"};
	struct bd_db *db = dbtest_connect(&t, NULL), *old;
	const struct bd_embedded_file *f;
	struct bd_migrate_report report;
	struct bd_err err = BD_ERR_INIT;
	char *fresh_sum, *old_sum;
	size_t i;

	(void)state;
	dbtest_exec(db, "CREATE DATABASE old033");
	old = connect_db("old033");
	for (i = 0; i < sizeof(steps) / sizeof(*steps); i++)
		assert_int_equal(bd_db_run(old, steps[i], BD_NO_PARAMS, &err), 0);
	for (f = bd_embedded_files; f->path; f++) {
		const char *name = f->path + strlen("sql/migrations/");
		const char *p[] = {name, f->data};
		struct bd_db_result *res;

		if (strncmp(f->path, "sql/migrations/", strlen("sql/migrations/")) ||
		    atoi(name) > 33)
			continue;
		assert_int_equal(bd_db_begin(old, &err), 0);
		if (bd_db_exec_script(old, f->data, &err) < 0)
			fail_msg("%s: %s", f->path, err.msg);
		res =
		    dbtest_query(old,
				 "INSERT INTO bd_meta.migrations (version, name, checksum) VALUES "
				 "(split_part($1, '_', 1)::integer, $1, encode(sha256(convert_to("
				 "$2, 'UTF8')), 'hex'))",
				 2, p, &err);
		assert_non_null(res);
		bd_db_result_free(res);
		assert_int_equal(bd_db_commit(old, &err), 0);
	}
	assert_int_equal(dbtest_scalar(old, "SELECT max(version) FROM bd_meta.migrations", 0, NULL),
			 33);
	if (bd_migrate(old, &report, NULL, &err) < 0)
		fail_msg("migrate from 033: %s", err.msg);
	assert_int_equal(report.applied, 9);
	assert_int_equal(report.repeatables_ran, (int)repeatable_count());
	assert_int_equal(bd_migrate_check(old, &err), 0);
	fresh_sum = dbtest_text(db, SNAPSHOT, NULL);
	old_sum = dbtest_text(old, SNAPSHOT, NULL);
	assert_string_equal(fresh_sum, old_sum);
	free(old_sum);
	free(fresh_sum);
	bd_db_free(old);
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
	    cmocka_unit_test(test_every_function_has_one_file),
	    cmocka_unit_test(test_reapplying_repeatables_changes_nothing),
	    cmocka_unit_test(test_changed_repeatable_is_reapplied_alone),
	    cmocka_unit_test(test_cluster_preloads_plpgsql),
	    cmocka_unit_test(test_schema_stamp),
	    cmocka_unit_test(test_database_at_033_upgrades),
	};
	int failed;

	dbtest_start(&t, false);
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	dbtest_stop(&t);
	return failed;
}
