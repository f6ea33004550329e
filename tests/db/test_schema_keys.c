/*
 * Every key of a tenant table includes client_id (issue 21, item 5): the
 * precondition for a firm that outgrows one primary to distribute every
 * table by client_id (Citus), so that a client's rows, and every
 * constraint among them, live on one node. core.lint_tenant_keys returns
 * each primary key, unique constraint or index, exclusion constraint and
 * foreign key of a table with client_id that does not include it (a
 * foreign key must map client_id to the referenced table's client_id).
 *
 * The exceptions are listed here, each with its reason; the test fails on
 * any other offender and on an exception that no longer offends (so the
 * list stays true). A planted violation of each kind must be caught.
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

static const struct {
	const char *object; /* as core.lint_tenant_keys names it */
	const char *reason;
} EXCEPTIONS[] = {
    {"core.clients clients_code_key",
     "the tenant directory itself: client_id is its primary key, and the code users type is "
     "unique across the firm. One row per client: a reference table (copied to every node)"},
    {"core.client_channels client_channels_token_key",
     "LISTEN channel names are global in PostgreSQL, so a channel's token must be unique across "
     "all clients. One row per client and topic: a reference table"},
    {"core.assignments assignments_login_fkey",
     "operators are the firm's, not a client's: one login serves several clients. "
     "core.operators is a reference table; a distributed table may reference one"},
    {"core.drafts drafts_pkey",
     "an operator's open forms, one per screen whatever the client, and client_id is NULL for "
     "screens of no client (admin): the table is the operator's, not a client's. Distributed by "
     "login (or left on the coordinator), never joined with a client's rows"},
};

static bool
is_exception(const char *object)
{
	size_t i;

	for (i = 0; i < sizeof(EXCEPTIONS) / sizeof(*EXCEPTIONS); i++)
		if (!strcmp(EXCEPTIONS[i].object, object))
			return true;
	return false;
}

/* Rows of the lint whose object contains `like`, or, with NULL, the
 * offenders that are not exceptions (printed). */
static int
offenders(struct bd_db *db, const char *like)
{
	struct bd_db_result *res = dbtest_named(db, "core.lint_tenant_keys", BD_NO_PARAMS);
	int r, n = 0;

	for (r = 0; r < bd_db_result_rows(res); r++) {
		const char *object = bd_db_result_get(res, r, 0);

		if (like ? strstr(object, like) != NULL : !is_exception(object)) {
			if (!like)
				print_message("%s: %s\n", object, bd_db_result_get(res, r, 1));
			n++;
		}
	}
	bd_db_result_free(res);
	return n;
}

static void
test_every_key_includes_client_id(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	size_t i;

	(void)state;
	assert_int_equal(offenders(db, NULL), 0);
	/* Each exception still is one: a fixed table leaves the list. */
	for (i = 0; i < sizeof(EXCEPTIONS) / sizeof(*EXCEPTIONS); i++) {
		if (offenders(db, EXCEPTIONS[i].object) != 1)
			print_message("%s is no longer an exception: remove it from the list\n",
				      EXCEPTIONS[i].object);
		assert_int_equal(offenders(db, EXCEPTIONS[i].object), 1);
	}
	bd_db_free(db);
}

/* The lint sees a violation of each kind, so its silence means something. */
static void
test_lint_catches_violations(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	assert_int_equal(bd_db_begin(db, &err), 0);
	dbtest_exec(db, "CREATE SCHEMA keytest;"
			"CREATE TABLE keytest.parent (client_id integer, id integer,"
			"  PRIMARY KEY (client_id, id), UNIQUE (id));"
			"CREATE TABLE keytest.child (client_id integer, id integer PRIMARY KEY,"
			"  parent_id integer REFERENCES keytest.parent (id),"
			"  code text);"
			"CREATE UNIQUE INDEX child_code ON keytest.child (code);"
			"CREATE TABLE keytest.good (client_id integer, id integer,"
			"  parent_id integer, PRIMARY KEY (client_id, id),"
			"  FOREIGN KEY (client_id, parent_id) REFERENCES keytest.parent);"
			"CREATE TABLE keytest.swapped (client_id integer, id integer,"
			"  PRIMARY KEY (client_id, id),"
			"  CONSTRAINT swapped_fk FOREIGN KEY (id, client_id)"
			"  REFERENCES keytest.parent (client_id, id));");
	assert_int_equal(offenders(db, "keytest.parent parent_id_key"), 1);
	assert_int_equal(offenders(db, "keytest.child child_pkey"), 1);
	assert_int_equal(offenders(db, "keytest.child child_parent_id_fkey"), 1);
	assert_int_equal(offenders(db, "keytest.child keytest.child_code"), 1);
	/* client_id mapped to the parent's id, not its client_id */
	assert_int_equal(offenders(db, "keytest.swapped swapped_fk"), 1);
	assert_int_equal(offenders(db, "keytest.good"), 0);
	assert_int_equal(offenders(db, "keytest.parent parent_pkey"), 0);
	bd_db_rollback(db);
	bd_db_free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_key_includes_client_id),
	    cmocka_unit_test(test_lint_catches_violations),
	};
	int rc;

	dbtest_start(&t, true);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	dbtest_stop(&t);
	return rc;
}
