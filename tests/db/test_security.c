/*
 * Tenant isolation and the security catalog, against a real PostgreSQL.
 *
 * The tenant matrix is generated from the catalog (core.tenant_tables): every
 * table and view with a client_id, including those later migrations add, is
 * checked for an operator of every role who is assigned to ACME only: rows of
 * other clients are invisible and every INSERT, UPDATE and DELETE is refused.
 * The lints (core.lint_*) must return no rows, and must catch a violation.
 */
#include "dbtest.h"

#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static struct dbtest t;

/* An operator of each role, assigned to ACME only. */
static const struct probe {
	const char *login;
	const char *role;
} probes[] = {
    {"clerk3", "clerk"},
    {"tacct", "accountant"},
    {"tsuper", "supervisor"},
    {"tadmin", "admin"},
};

/* A business table like the ledger's, with rows for every client, and two
 * SECURITY DEFINER functions: one written by the rules, one that forgets to
 * check the client (FORCE RLS must still stop it). */
static const char SETUP_SQL[] =
    "SELECT core.client_add('INITECH', 'Initech');"
    "SELECT core.operator_add('tacct', 'Test Accountant', 'accountant', '{ACME}');"
    "SELECT core.operator_add('tsuper', 'Test Supervisor', 'supervisor', '{ACME}');"
    "SELECT core.operator_add('tadmin', 'Test Admin', 'admin', '{ACME}');"
    "SELECT core.operator_add('tclerk', 'Test Clerk', 'clerk', '{ACME,GLOBEX}');"
    "CREATE SCHEMA sectest AUTHORIZATION bd_owner;"
    "GRANT USAGE ON SCHEMA sectest TO bd_clerk, bd_accountant, bd_supervisor, bd_admin;"
    "SET ROLE bd_owner;"
    "CREATE TABLE sectest.items (client_id integer NOT NULL REFERENCES core.clients,"
    "  item_id integer GENERATED ALWAYS AS IDENTITY, label text NOT NULL,"
    "  PRIMARY KEY (client_id, item_id));"
    "SELECT core.tenant_table('sectest.items');"
    "CREATE VIEW sectest.item_counts WITH (security_invoker = true) AS"
    "  SELECT client_id, count(*) AS n FROM sectest.items GROUP BY client_id;"
    "GRANT SELECT ON sectest.item_counts TO bd_clerk, bd_accountant, bd_supervisor, bd_admin;"
    "CREATE FUNCTION sectest.add_item(p_client text, p_label text) RETURNS integer"
    "  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, core, pg_temp AS $$"
    "  DECLARE id integer; BEGIN"
    "    PERFORM core.require_role('clerk', 'accountant', 'supervisor', 'admin');"
    "    INSERT INTO sectest.items (client_id, label)"
    "      VALUES (core.client_id_of(p_client), p_label) RETURNING item_id INTO id;"
    "    RETURN id; END $$;"
    "CREATE FUNCTION sectest.add_item_unchecked(p_client_id integer, p_label text)"
    "  RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$"
    "  INSERT INTO sectest.items (client_id, label) VALUES (p_client_id, p_label) $$;"
    "GRANT EXECUTE ON FUNCTION sectest.add_item(text, text),"
    "  sectest.add_item_unchecked(integer, text)"
    "  TO bd_clerk, bd_accountant, bd_supervisor, bd_admin;"
    "RESET ROLE;"
    "INSERT INTO sectest.items (client_id, label)"
    "  SELECT client_id, 'seed ' || code FROM core.clients, generate_series(1, 3);";

static const char *const LINTS[] = {"core.lint_rls", "core.lint_definer", "core.lint_owners",
				    "core.lint_roles", "core.lint_grants"};

static char acme_id[16], globex_id[16], initech_id[16];

static void
client_id(struct bd_db *db, const char *code, char *out, size_t size)
{
	snprintf(out, size, "%lld",
		 dbtest_scalar(db, "SELECT client_id FROM core.clients WHERE code = $1", 1,
			       (const char *const[]){code}));
}

static struct bd_db_result *
query_ok(struct bd_db *db, const char *name, int nparams, const char *const *params)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(db, name, nparams, params, &err);

	if (!res)
		fail_msg("%s: %s (%s %s)", name, err.msg, err.sqlstate, err.detail);
	return res;
}

/* Every lint returns rows naming the offender; print them when a test fails. */
static int
lint_rows(struct bd_db *db, const char *lint, const char *expect_object)
{
	struct bd_db_result *res = query_ok(db, lint, BD_NO_PARAMS);
	int i, rows = bd_db_result_rows(res), found = 0;

	for (i = 0; i < rows; i++) {
		const char *object = bd_db_result_get(res, i, 0);

		if (expect_object && strstr(object, expect_object))
			found++;
		else if (!expect_object)
			print_message("%s: %s: %s\n", lint, object, bd_db_result_get(res, i, 1));
	}
	bd_db_result_free(res);
	return expect_object ? found : rows;
}

static void
test_lints_hold(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(LINTS) / sizeof(*LINTS); i++)
		assert_int_equal(lint_rows(db, LINTS[i], NULL), 0);
	bd_db_free(db);
}

/* Each lint sees a planted violation, so the zero above means something. */
static void
test_lints_catch_violations(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	assert_int_equal(bd_db_begin(db, &err), 0);
	dbtest_exec(db, "CREATE TABLE sectest.leaky (client_id integer, secret text);"
			"ALTER TABLE sectest.leaky OWNER TO bd_owner;"
			"CREATE TABLE sectest.open_policy (client_id integer);"
			"ALTER TABLE sectest.open_policy OWNER TO bd_owner;"
			"ALTER TABLE sectest.open_policy ENABLE ROW LEVEL SECURITY;"
			"ALTER TABLE sectest.open_policy FORCE ROW LEVEL SECURITY;"
			"CREATE POLICY everyone ON sectest.open_policy USING (true);"
			"CREATE VIEW sectest.definer_view AS SELECT client_id FROM sectest.items;"
			"ALTER VIEW sectest.definer_view OWNER TO bd_owner;"
			"CREATE FUNCTION sectest.unpinned() RETURNS integer LANGUAGE sql "
			"  SECURITY DEFINER AS 'SELECT 1';"
			"GRANT INSERT ON sectest.items TO bd_clerk;"
			"CREATE TABLE sectest.clerk_owned (a integer);"
			"ALTER TABLE sectest.clerk_owned OWNER TO clerk1;"
			"GRANT bd_admin TO clerk2;"
			"GRANT TEMPORARY ON DATABASE backdesk TO PUBLIC;");
	assert_int_equal(lint_rows(db, "core.lint_rls", "sectest.leaky"), 3);
	assert_int_equal(lint_rows(db, "core.lint_rls", "sectest.open_policy policy everyone"), 1);
	assert_int_equal(lint_rows(db, "core.lint_rls", "sectest.definer_view"), 1);
	/* not pinned, owned by the superuser, executable by PUBLIC */
	assert_int_equal(lint_rows(db, "core.lint_definer", "sectest.unpinned()"), 3);
	assert_int_equal(lint_rows(db, "core.lint_owners", "sectest.unpinned()"), 1);
	assert_int_equal(lint_rows(db, "core.lint_owners", "sectest.clerk_owned"), 1);
	assert_int_equal(lint_rows(db, "core.lint_grants", "sectest.items"), 1);
	assert_int_equal(lint_rows(db, "core.lint_roles", "clerk2"), 1);
	assert_int_equal(lint_rows(db, "core.lint_roles", "database backdesk"), 1);
	bd_db_rollback(db);
	assert_int_equal(lint_rows(db, "core.lint_rls", NULL), 0);
	bd_db_free(db);
}

/* A write that must be refused for lack of privilege (or, on a view that
 * cannot be updated at all, for that). */
static void
assert_refused(struct bd_db *db, const char *who, const char *sql, const char *client, bool view)
{
	struct bd_err err = BD_ERR_INIT;

	if (!dbtest_fails(db, sql, 1, (const char *const[]){client}, &err))
		fail_msg("%s could run %s for client %s", who, sql, client);
	if (strcmp(err.sqlstate, "42501") && !(view && !strcmp(err.sqlstate, "55000")))
		fail_msg("%s: %s for client %s failed with %s (%s), not as a permission error", who,
			 sql, client, err.sqlstate, err.detail);
}

/* Rows of clients other than ACME that `db` can read from `table`: 0 when
 * the table is not readable at all. With `firm`, rows of the firm-level audit
 * chain (client_id 0, which admins read) do not count. */
static long long
foreign_rows(struct bd_db *db, const char *table, bool firm)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	char sql[256];
	long long n;

	snprintf(
	    sql, sizeof(sql),
	    "SELECT count(*) FROM %s WHERE client_id <> $1::integer AND client_id <> $2::integer",
	    table);
	res = dbtest_query(db, sql, 2, (const char *const[]){acme_id, firm ? "0" : "-1"}, &err);
	if (!res) {
		if (strcmp(err.sqlstate, "42501"))
			fail_msg("%s: %s (%s)", sql, err.msg, err.detail);
		return 0;
	}
	n = strtoll(bd_db_result_get(res, 0, 0), NULL, 10);
	bd_db_result_free(res);
	return n;
}

/* The tables whose rows of other clients the seed and SETUP_SQL guarantee,
 * so that "invisible" is not vacuously true for them. */
static const char *const POPULATED[] = {"core.clients",	  "core.assignments",
					"core.audit_log", "core.audit_head",
					"sectest.items",  "sectest.item_counts"};

/* Admins manage clients and assignments: they see all of those rows. */
static bool
admin_sees_all(const struct probe *p, const char *table)
{
	return !strcmp(p->role, "admin") &&
	       (!strcmp(table, "core.clients") || !strcmp(table, "core.assignments"));
}

static void
check_table(const struct probe *p, struct bd_db *db, const char *table, const char *kind,
	    struct bd_db *super)
{
	bool view = strcmp(kind, "table") != 0;
	const char *const clients[] = {globex_id, initech_id, acme_id};
	char ins[256], upd[384], del[256];
	size_t i;

	if (!admin_sees_all(p, table))
		if (foreign_rows(db, table, !strcmp(p->role, "admin")) != 0)
			fail_msg("%s (%s) sees other clients' rows in %s", p->login, p->role,
				 table);

	/* An UPDATE must name a column it could set: not an ALWAYS identity. */
	snprintf(upd, sizeof(upd),
		 "SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = '%s'::regclass"
		 " AND attnum > 0 AND NOT attisdropped AND attidentity <> 'a'"
		 " AND attgenerated = '' ORDER BY attnum LIMIT 1",
		 table);
	{
		struct bd_err err = BD_ERR_INIT;
		struct bd_db_result *res = dbtest_query(super, upd, 0, NULL, &err);
		char col[128];

		assert_non_null(res);
		assert_int_equal(bd_db_result_rows(res), 1);
		snprintf(col, sizeof(col), "%s", bd_db_result_get(res, 0, 0));
		bd_db_result_free(res);
		snprintf(upd, sizeof(upd), "UPDATE %s SET %s = %s WHERE client_id = $1::integer",
			 table, col, col);
	}
	snprintf(ins, sizeof(ins),
		 "INSERT INTO %s (client_id) OVERRIDING SYSTEM VALUE VALUES ($1::integer)", table);
	snprintf(del, sizeof(del), "DELETE FROM %s WHERE client_id = $1::integer", table);
	/* Refused for unassigned clients, and for ACME too: writes go through
	 * functions only. */
	for (i = 0; i < sizeof(clients) / sizeof(*clients); i++) {
		assert_refused(db, p->login, ins, clients[i], view);
		assert_refused(db, p->login, upd, clients[i], view);
		assert_refused(db, p->login, del, clients[i], view);
	}
}

static void
test_tenant_matrix(void **state)
{
	struct bd_db *super = dbtest_connect(&t, NULL);
	struct bd_db_result *tables = query_ok(super, "core.tenant_tables", BD_NO_PARAMS);
	int rows = bd_db_result_rows(tables), i;
	size_t p, k;

	(void)state;
	/* The matrix covers what it must, and those tables hold foreign rows. */
	for (k = 0; k < sizeof(POPULATED) / sizeof(*POPULATED); k++) {
		bool listed = false;

		for (i = 0; i < rows; i++)
			if (!strcmp(bd_db_result_get(tables, i, 3), POPULATED[k]))
				listed = true;
		if (!listed)
			fail_msg("%s is not in core.tenant_tables", POPULATED[k]);
		if (foreign_rows(super, POPULATED[k], true) == 0)
			fail_msg("%s has no rows of other clients to hide", POPULATED[k]);
	}
	for (p = 0; p < sizeof(probes) / sizeof(*probes); p++) {
		struct bd_db *db = dbtest_connect(&t, probes[p].login);

		for (i = 0; i < rows; i++)
			check_table(&probes[p], db, bd_db_result_get(tables, i, 3),
				    bd_db_result_get(tables, i, 2), super);
		bd_db_free(db);
	}
	bd_db_result_free(tables);
	bd_db_free(super);
}

static void
test_definer_functions_keep_to_assigned_clients(void **state)
{
	struct bd_db *db = dbtest_connect(&t, "clerk3");
	struct bd_err err = BD_ERR_INIT, unknown = BD_ERR_INIT;
	struct bd_db_result *res;

	(void)state;
	res = dbtest_query(db, "SELECT sectest.add_item('acme', 'mine')", 0, NULL, &err);
	assert_non_null(res);
	bd_db_result_free(res);

	/* An unassigned client and a client that does not exist look the same. */
	assert_true(dbtest_fails(db, "SELECT sectest.add_item('GLOBEX', 'theirs')", 0, NULL, &err));
	assert_string_equal(err.sqlstate, "BD004");
	assert_int_equal(err.kind, BD_ERR_NOT_FOUND);
	assert_string_equal(err.msg, "Unknown client GLOBEX");
	assert_true(dbtest_fails(db, "SELECT sectest.add_item('NOSUCH', 'x')", 0, NULL, &unknown));
	assert_string_equal(unknown.sqlstate, "BD004");
	assert_string_equal(unknown.msg, "Unknown client NOSUCH");

	/* A definer function that forgets the check runs as bd_owner, yet FORCE
	 * ROW LEVEL SECURITY still holds it to the session's clients. */
	assert_true(dbtest_fails(db, "SELECT sectest.add_item_unchecked($1::integer, 'x')", 1,
				 (const char *const[]){globex_id}, &err));
	assert_string_equal(err.sqlstate, "42501");
	assert_non_null(strstr(err.detail, "row-level security"));
	bd_db_free(db);

	db = dbtest_connect(&t, NULL);
	assert_int_equal(
	    dbtest_scalar(db, "SELECT count(*) FROM sectest.items WHERE label = 'mine'", 0, NULL),
	    1);
	assert_int_equal(
	    dbtest_scalar(db,
			  "SELECT count(*) FROM sectest.items WHERE label <> 'mine' AND "
			  "label NOT LIKE 'seed %'",
			  0, NULL),
	    0);
	bd_db_free(db);
}

static void
test_admin_functions_are_for_admins(void **state)
{
	size_t p;

	(void)state;
	for (p = 0; p < sizeof(probes) / sizeof(*probes); p++) {
		struct bd_db *db = dbtest_connect(&t, probes[p].login);
		struct bd_err err = BD_ERR_INIT;
		bool admin = !strcmp(probes[p].role, "admin");
		int rc;

		rc = bd_db_run(db, "admin.client_add", BD_PARAMS("NEW_X", "New X"), &err);
		if (admin) {
			assert_int_equal(rc, 0);
		} else {
			assert_int_equal(rc, -1);
			assert_int_equal(err.kind, BD_ERR_PERMISSION);
		}
		rc = bd_db_run(db, "admin.assign", BD_PARAMS(probes[p].login, "GLOBEX"), &err);
		if (admin) {
			assert_int_equal(rc, 0);
			assert_int_equal(bd_db_run(db, "admin.unassign",
						   BD_PARAMS(probes[p].login, "GLOBEX"), &err),
					 0);
		} else {
			assert_int_equal(rc, -1);
			assert_int_equal(err.kind, BD_ERR_PERMISSION);
		}
		bd_db_free(db);
	}
}

static void
test_admin_errors_speak_to_the_user(void **state)
{
	struct bd_db *db = dbtest_connect(&t, "admin1");
	static const struct {
		const char *query;
		const char *a, *b;
		enum bd_err_kind kind;
		const char *msg;
	} cases[] = {
	    {"admin.client_add", "9BAD", "Bad", BD_ERR_INVALID,
	     "A client code is 2-16 letters, digits or _, starting with a letter"},
	    {"admin.client_add", "ACME", "Again", BD_ERR_CONFLICT, "Client ACME already exists"},
	    {"admin.assign", "nobody", "ACME", BD_ERR_NOT_FOUND, "Unknown operator nobody"},
	    {"admin.assign", "clerk3", "ACME", BD_ERR_CONFLICT,
	     "clerk3 is already assigned to ACME"},
	    {"admin.unassign", "clerk3", "GLOBEX", BD_ERR_NOT_FOUND,
	     "clerk3 is not assigned to GLOBEX"},
	    {"admin.operator_disable", "admin1", NULL, BD_ERR_PERMISSION,
	     "You cannot disable your own login"},
	};
	struct bd_err err = BD_ERR_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int n = cases[i].b ? 2 : 1;

		assert_int_equal(bd_db_run(db, cases[i].query, n,
					   (const char *const[]){cases[i].a, cases[i].b}, &err),
				 -1);
		assert_int_equal(err.kind, cases[i].kind);
		assert_string_equal(err.msg, cases[i].msg);
	}
	/* Logins become identifiers: anything but a plain name is refused. */
	assert_int_equal(bd_db_run(db, "admin.operator_add",
				   BD_PARAMS("x\"; DROP ROLE admin1; --", "X", "clerk", NULL),
				   &err),
			 -1);
	assert_int_equal(err.kind, BD_ERR_INVALID);
	assert_int_equal(
	    bd_db_run(db, "admin.operator_add", BD_PARAMS("bd_owner", "X", "admin", NULL), &err),
	    -1);
	assert_int_equal(err.kind, BD_ERR_INVALID);
	assert_int_equal(bd_db_run(db, "admin.operator_add",
				   BD_PARAMS("newbie", "New Bie", "boss", "{ACME}"), &err),
			 -1);
	assert_string_equal(err.msg,
			    "The role must be clerk, accountant, supervisor, admin or payroll");
	bd_db_free(db);
}

static void
test_whoami_is_the_session_user(void **state)
{
	struct bd_db *db = dbtest_connect(&t, "clerk3");
	struct bd_db_result *res = query_ok(db, "core.whoami", BD_NO_PARAMS);

	(void)state;
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(bd_db_result_get(res, 0, bd_db_result_col(res, "login")), "clerk3");
	assert_string_equal(bd_db_result_get(res, 0, bd_db_result_col(res, "role")), "clerk");
	assert_string_equal(bd_db_result_get(res, 0, bd_db_result_col(res, "clients")), "{ACME}");
	bd_db_result_free(res);
	res = query_ok(db, "core.my_clients", BD_NO_PARAMS);
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(bd_db_result_get(res, 0, 0), "ACME");
	bd_db_result_free(res);
	bd_db_free(db);
}

static bool
wait_notify(struct bd_db *db, const char *channel, const char *payload)
{
	int tries;

	for (tries = 0; tries < 50; tries++) {
		struct pollfd pfd = {bd_db_socket(db), POLLIN, 0};
		struct bd_err err = BD_ERR_INIT;
		char *ch, *pl;

		poll(&pfd, 1, 100);
		if (bd_db_consume(db, &err) < 0)
			return false;
		while (bd_db_next_notify(db, &ch, &pl)) {
			bool hit = !strcmp(ch, channel) && !strcmp(pl, payload);

			free(ch);
			free(pl);
			if (hit)
				return true;
		}
	}
	return false;
}

static long long
items_of(struct bd_db *db, const char *client)
{
	return dbtest_scalar(db, "SELECT count(*) FROM sectest.items WHERE client_id = $1::integer",
			     1, (const char *const[]){client});
}

static void
test_unassign_applies_at_once_and_notifies(void **state)
{
	struct bd_db *clerk = dbtest_connect(&t, "tclerk");
	struct bd_db *admin = dbtest_connect(&t, "admin1");
	struct bd_err err = BD_ERR_INIT;

	char *channel;

	(void)state;
	/* The operator's own channel, which only they can read; no payload. */
	channel = dbtest_text(clerk,
			      "SELECT channel FROM core.operator_channels oc, "
			      "LATERAL (SELECT core.channel_name('operator', oc.token)) c(channel)",
			      NULL);
	assert_int_equal(bd_db_listen(clerk, channel, &err), 0);
	assert_true(items_of(clerk, globex_id) > 0);
	assert_int_equal(bd_db_run(admin, "admin.unassign", BD_PARAMS("tclerk", "GLOBEX"), &err),
			 0);
	assert_true(wait_notify(clerk, channel, ""));
	/* The same open session, its very next statement. */
	assert_int_equal(items_of(clerk, globex_id), 0);
	assert_true(items_of(clerk, acme_id) > 0);
	assert_int_equal(bd_db_run(admin, "admin.assign", BD_PARAMS("tclerk", "GLOBEX"), &err), 0);
	assert_true(wait_notify(clerk, channel, ""));
	assert_true(items_of(clerk, globex_id) > 0);
	free(channel);
	bd_db_free(admin);
	bd_db_free(clerk);
}

/* Two admins assigning clients to one operator at once: the second waits
 * for the first to commit and then rebuilds core.operator_access with both
 * assignments, so neither is lost. */
static void
test_concurrent_assignments_both_apply(void **state)
{
	struct bd_db *first = dbtest_connect(&t, NULL);
	struct bd_db *second = dbtest_connect(&t, "admin1");
	struct bd_db *acct = dbtest_connect(&t, "tacct");
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	int i;

	(void)state;
	assert_int_equal(items_of(acct, globex_id), 0);
	dbtest_exec(first, "BEGIN; SELECT core.assign('tacct', 'GLOBEX')");
	assert_int_equal(bd_db_send(second, "admin.assign", BD_PARAMS("tacct", "INITECH"), &err),
			 0);
	for (i = 0;
	     i < 200 && !dbtest_scalar(first,
				       "SELECT count(*) FROM pg_stat_activity "
				       "WHERE usename = 'admin1' AND wait_event_type = 'Lock'",
				       0, NULL);
	     i++)
		poll(NULL, 0, 50);
	assert_true(i < 200);
	dbtest_exec(first, "COMMIT");
	while (bd_db_busy(second)) {
		struct pollfd p = {bd_db_socket(second), POLLIN, 0};

		poll(&p, 1, 1000);
		assert_int_equal(bd_db_consume(second, &err), 0);
	}
	res = bd_db_take(second, &err);
	assert_non_null(res);
	bd_db_result_free(res);
	assert_true(items_of(acct, globex_id) > 0);
	assert_true(items_of(acct, initech_id) > 0);
	assert_true(items_of(acct, acme_id) > 0);
	dbtest_exec(first,
		    "SELECT core.unassign('tacct', 'GLOBEX'), core.unassign('tacct', 'INITECH')");
	assert_int_equal(items_of(acct, globex_id), 0);
	/* Each operator reads their own access row only. */
	assert_int_equal(dbtest_scalar(acct, "SELECT count(*) FROM core.operator_access", 0, NULL),
			 1);
	bd_db_free(acct);
	bd_db_free(second);
	bd_db_free(first);
}

static void
test_disabled_operator_sees_nothing(void **state)
{
	struct bd_db *super = dbtest_connect(&t, NULL);
	struct bd_db *clerk = dbtest_connect(&t, "clerk2");

	(void)state;
	assert_true(items_of(clerk, acme_id) > 0);
	/* Only the flag, keeping LOGIN: the tenant policies alone must shut the door. */
	dbtest_exec(super, "UPDATE core.operators SET disabled = true WHERE login = 'clerk2'");
	assert_int_equal(dbtest_scalar(clerk, "SELECT count(*) FROM sectest.items", 0, NULL), 0);
	assert_int_equal(dbtest_scalar(clerk, "SELECT count(*) FROM core.clients", 0, NULL), 0);
	assert_int_equal(dbtest_scalar(clerk, "SELECT cardinality(core.my_clients())", 0, NULL), 0);
	dbtest_exec(super, "UPDATE core.operators SET disabled = false WHERE login = 'clerk2'");
	assert_true(items_of(clerk, acme_id) > 0);
	bd_db_free(clerk);
	bd_db_free(super);
}

static void
test_disable_ends_sessions_and_logins(void **state)
{
	struct bd_db *clerk = dbtest_connect(&t, "tclerk");
	struct bd_db *admin = dbtest_connect(&t, "admin1");
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	char *conninfo = dbtest_conninfo(&t, "tclerk");
	struct bd_db *again;

	(void)state;
	assert_true(items_of(clerk, acme_id) > 0);
	res = query_ok(admin, "admin.operator_disable", BD_PARAMS("tclerk"));
	assert_string_equal(bd_db_result_get(res, 0, 0), "1");
	bd_db_result_free(res);

	/* The open session is gone, and so is the login. */
	assert_true(dbtest_fails(clerk, "SELECT count(*) FROM sectest.items", 0, NULL, &err));
	assert_int_equal(err.kind, BD_ERR_CONNECTION);
	assert_null(bd_db_connect(conninfo, &err));
	assert_non_null(strstr(err.detail, "not permitted to log in"));
	res = query_ok(admin, "admin.operator_get", BD_PARAMS("tclerk"));
	assert_string_equal(bd_db_result_get(res, 0, bd_db_result_col(res, "disabled")), "t");
	assert_string_equal(bd_db_result_get(res, 0, bd_db_result_col(res, "can_login")), "f");
	bd_db_result_free(res);

	assert_int_equal(bd_db_run(admin, "admin.operator_enable", BD_PARAMS("tclerk"), &err), 0);
	again = bd_db_connect(conninfo, &err);
	assert_non_null(again);
	assert_true(items_of(again, acme_id) > 0);
	bd_db_free(again);
	free(conninfo);
	bd_db_free(admin);
	bd_db_free(clerk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lints_hold),
	    cmocka_unit_test(test_lints_catch_violations),
	    cmocka_unit_test(test_tenant_matrix),
	    cmocka_unit_test(test_definer_functions_keep_to_assigned_clients),
	    cmocka_unit_test(test_admin_functions_are_for_admins),
	    cmocka_unit_test(test_admin_errors_speak_to_the_user),
	    cmocka_unit_test(test_whoami_is_the_session_user),
	    cmocka_unit_test(test_unassign_applies_at_once_and_notifies),
	    cmocka_unit_test(test_concurrent_assignments_both_apply),
	    cmocka_unit_test(test_disabled_operator_sees_nothing),
	    cmocka_unit_test(test_disable_ends_sessions_and_logins),
	};
	struct bd_db *db;
	int failed;

	dbtest_start(&t, true);
	db = dbtest_connect(&t, NULL);
	dbtest_exec(db, SETUP_SQL);
	client_id(db, "ACME", acme_id, sizeof(acme_id));
	client_id(db, "GLOBEX", globex_id, sizeof(globex_id));
	client_id(db, "INITECH", initech_id, sizeof(initech_id));
	bd_db_free(db);
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	dbtest_stop(&t);
	return failed;
}
