/*
 * The audit trail against a real PostgreSQL: every change is recorded with
 * the operator's login, the log is append-only even for its owner and the
 * superuser's ordinary statements, and core.audit_verify finds an edited, a
 * deleted and an inserted row. Tampering is done the only way left: as the
 * superuser with triggers switched off (session_replication_role = replica).
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

/* A business table with definer functions to change it, as a module would. */
static const char SETUP_SQL[] =
    "CREATE SCHEMA audtest AUTHORIZATION bd_owner;"
    "GRANT USAGE ON SCHEMA audtest TO bd_clerk, bd_accountant, bd_supervisor, bd_admin;"
    "SET ROLE bd_owner;"
    "CREATE TABLE audtest.notes (client_id integer NOT NULL REFERENCES core.clients,"
    "  note_id integer NOT NULL, body text NOT NULL, PRIMARY KEY (client_id, note_id));"
    "SELECT core.tenant_table('audtest.notes');"
    "CREATE FUNCTION audtest.put(p_client text, p_id integer, p_body text) RETURNS void"
    "  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, core, pg_temp AS $$"
    "  DECLARE c integer := core.client_id_of(p_client); BEGIN"
    "    INSERT INTO audtest.notes VALUES (c, p_id, p_body)"
    "      ON CONFLICT (client_id, note_id) DO UPDATE SET body = EXCLUDED.body; END $$;"
    "CREATE FUNCTION audtest.drop(p_client text, p_id integer) RETURNS void"
    "  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, core, pg_temp AS $$"
    "  DELETE FROM audtest.notes WHERE client_id = core.client_id_of(p_client)"
    "    AND note_id = p_id $$;"
    "GRANT EXECUTE ON FUNCTION audtest.put(text, integer, text), audtest.drop(text, integer)"
    "  TO bd_clerk;"
    "RESET ROLE;";

/* core.audit_verify for one chain: fills ok, broken_seq and problem. */
struct verdict {
	bool ok;
	long long rows, broken_seq;
	char problem[16];
	char detail[160];
};

static void
verify(struct bd_db *db, const char *code, struct verdict *v)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(db, "core.audit_verify", BD_PARAMS(code), &err);

	if (!res)
		fail_msg("core.audit_verify: %s (%s)", err.msg, err.detail);
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(bd_db_result_get(res, 0, bd_db_result_col(res, "client_code")), code);
	v->ok = !strcmp(bd_db_result_get(res, 0, bd_db_result_col(res, "ok")), "t");
	v->rows =
	    strtoll(bd_db_result_get(res, 0, bd_db_result_col(res, "rows_checked")), NULL, 10);
	v->broken_seq =
	    strtoll(bd_db_result_get(res, 0, bd_db_result_col(res, "broken_seq")), NULL, 10);
	snprintf(v->problem, sizeof(v->problem), "%s",
		 bd_db_result_get(res, 0, bd_db_result_col(res, "problem")));
	snprintf(v->detail, sizeof(v->detail), "%s",
		 bd_db_result_get(res, 0, bd_db_result_col(res, "detail")));
	bd_db_result_free(res);
}

static void
assert_chain_ok(struct bd_db *db, const char *code)
{
	struct verdict v;

	verify(db, code, &v);
	if (!v.ok)
		fail_msg("chain %s broken at %lld: %s", code, v.broken_seq, v.detail);
	assert_true(v.rows > 0);
}

static void
put(struct bd_db *db, const char *client, const char *id, const char *body)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = dbtest_query(db, "SELECT audtest.put($1, $2::integer, $3)", 3,
						(const char *const[]){client, id, body}, &err);

	if (!res)
		fail_msg("put: %s (%s)", err.msg, err.detail);
	bd_db_result_free(res);
}

static void
test_changes_are_recorded(void **state)
{
	struct bd_db *clerk = dbtest_connect(&t, "clerk1");
	struct bd_db *super = dbtest_connect(&t, NULL);
	struct bd_db_result *res;
	struct bd_err err = BD_ERR_INIT;
	long long before = dbtest_scalar(super, "SELECT count(*) FROM core.audit_log", 0, NULL);

	(void)state;
	put(clerk, "ACME", "100", "first");
	put(clerk, "ACME", "100", "second");
	res = dbtest_query(clerk, "SELECT audtest.drop('ACME', 100)", 0, NULL, &err);
	assert_non_null(res);
	bd_db_result_free(res);
	assert_int_equal(dbtest_scalar(super, "SELECT count(*) FROM core.audit_log", 0, NULL),
			 before + 3);

	res = dbtest_query(
	    super,
	    "SELECT l.actor, l.op, l.row_key::text, l.old ->> 'body', l.new ->> 'body',"
	    " l.table_name FROM core.audit_log l JOIN core.clients c USING (client_id)"
	    " WHERE c.code = 'ACME' AND l.row_key ->> 'note_id' = '100' ORDER BY l.seq",
	    0, NULL, &err);
	assert_non_null(res);
	assert_int_equal(bd_db_result_rows(res), 3);
	assert_string_equal(bd_db_result_get(res, 0, 0), "clerk1");
	assert_string_equal(bd_db_result_get(res, 0, 1), "INSERT");
	assert_string_equal(bd_db_result_get(res, 0, 2), "{\"note_id\": 100, \"client_id\": 1}");
	assert_true(bd_db_result_isnull(res, 0, 3));
	assert_string_equal(bd_db_result_get(res, 0, 4), "first");
	assert_string_equal(bd_db_result_get(res, 0, 5), "audtest.notes");
	assert_string_equal(bd_db_result_get(res, 1, 1), "UPDATE");
	assert_string_equal(bd_db_result_get(res, 1, 3), "first");
	assert_string_equal(bd_db_result_get(res, 1, 4), "second");
	assert_string_equal(bd_db_result_get(res, 2, 1), "DELETE");
	assert_string_equal(bd_db_result_get(res, 2, 3), "second");
	assert_true(bd_db_result_isnull(res, 2, 4));
	bd_db_result_free(res);

	/* An UPDATE that changes nothing is not recorded. */
	put(clerk, "ACME", "101", "same");
	before = dbtest_scalar(super, "SELECT count(*) FROM core.audit_log", 0, NULL);
	put(clerk, "ACME", "101", "same");
	assert_int_equal(dbtest_scalar(super, "SELECT count(*) FROM core.audit_log", 0, NULL),
			 before);
	assert_chain_ok(super, "ACME");
	bd_db_free(super);
	bd_db_free(clerk);
}

static void
test_admin_changes_go_to_the_firm_chain(void **state)
{
	struct bd_db *admin = dbtest_connect(&t, "admin1");
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;

	(void)state;
	assert_int_equal(bd_db_run(admin, "admin.client_add", BD_PARAMS("AUDCO", "Aud Co"), &err),
			 0);
	res = bd_db_query(admin, "admin.audit_list",
			  BD_PARAMS("*", "clients", "admin1", NULL, NULL, "5", NULL), &err);
	assert_non_null(res);
	assert_true(bd_db_result_rows(res) >= 1);
	assert_string_equal(bd_db_result_get(res, 0, bd_db_result_col(res, "client_code")), "*");
	assert_string_equal(bd_db_result_get(res, 0, bd_db_result_col(res, "op")), "INSERT");
	assert_non_null(strstr(bd_db_result_get(res, 0, bd_db_result_col(res, "new")), "AUDCO"));
	bd_db_result_free(res);
	assert_chain_ok(admin, "*");
	bd_db_free(admin);

	/* Accountants read their clients' trails, not the firm's. */
	admin = dbtest_connect(&t, "acct1");
	res = bd_db_query(admin, "core.audit_verify", BD_PARAMS("*"), &err);
	assert_non_null(res);
	assert_int_equal(bd_db_result_rows(res), 0);
	bd_db_result_free(res);
	assert_chain_ok(admin, "ACME");
	bd_db_free(admin);
}

static void
test_log_is_append_only(void **state)
{
	struct bd_db *super = dbtest_connect(&t, NULL);
	struct bd_db *acct = dbtest_connect(&t, "acct1");
	struct bd_err err = BD_ERR_INIT;
	static const char *const refused[] = {
	    "UPDATE core.audit_log SET actor = 'mallory'",
	    "DELETE FROM core.audit_log",
	    "TRUNCATE core.audit_log",
	    "DELETE FROM core.audit_head",
	    "TRUNCATE audtest.notes",
	};
	size_t i;

	(void)state;
	/* Even the superuser's ordinary statements are refused. */
	for (i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		assert_true(dbtest_fails(super, refused[i], 0, NULL, &err));
		assert_string_equal(err.sqlstate, "BD002");
	}
	/* Readers have no write rights at all. */
	for (i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		assert_true(dbtest_fails(acct, refused[i], 0, NULL, &err));
		assert_string_equal(err.sqlstate, "42501");
	}
	assert_true(dbtest_fails(
	    acct, "SELECT core.audit_append(1, 'x', 'INSERT', NULL, NULL, NULL)", 0, NULL, &err));
	assert_string_equal(err.sqlstate, "42501");
	bd_db_free(acct);
	bd_db_free(super);
}

#define ACME_ID "(SELECT client_id FROM core.clients WHERE code = 'ACME')"
#define ACME_HEAD "(SELECT seq FROM core.audit_head WHERE client_id = " ACME_ID ")"
#define ACME_ROW(seq) "client_id = " ACME_ID " AND seq = " ACME_HEAD " " seq

/* Runs `tamper` as the superuser with triggers off, checks that
 * core.audit_verify reports `problem` at the chain head's seq plus
 * `offset` for ACME, and rolls the tampering back. */
static void
tampered(const char *tamper, const char *problem, long long offset)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct bd_err err = BD_ERR_INIT;
	struct verdict v;
	long long head;

	assert_chain_ok(db, "ACME");
	head = dbtest_scalar(db, "SELECT " ACME_HEAD, 0, NULL);
	assert_true(head >= 4);
	assert_int_equal(bd_db_begin(db, &err), 0);
	dbtest_exec(db, "SET LOCAL session_replication_role = replica");
	dbtest_exec(db, tamper);
	dbtest_exec(db, "SET LOCAL session_replication_role = origin");
	verify(db, "ACME", &v);
	bd_db_rollback(db);
	if (v.ok || strcmp(v.problem, problem) || v.broken_seq != head + offset)
		fail_msg("after %s: expected %s at %lld, got ok=%d %s at %lld (%s)", tamper,
			 problem, head + offset, v.ok, v.problem, v.broken_seq, v.detail);
	assert_true(strlen(v.detail) > 0);
	assert_chain_ok(db, "ACME");
	bd_db_free(db);
}

/* The tampering, each as the superuser with triggers off. */
static const char EDIT_BODY[] = "UPDATE core.audit_log"
				" SET new = jsonb_set(new, '{body}', '\"forged\"')"
				" WHERE " ACME_ROW("- 2");
/* The last row, rewritten with a freshly computed hash: only the head knows. */
static const char REWRITE_LAST[] =
    "UPDATE core.audit_log SET actor = 'mallory', hash = core.audit_hash(prev_hash,"
    " client_id, seq, at, 'mallory', table_name, op, row_key, old, new)"
    " WHERE " ACME_ROW("");
static const char DELETE_MIDDLE[] = "DELETE FROM core.audit_log WHERE " ACME_ROW("- 2");
static const char DELETE_LAST[] = "DELETE FROM core.audit_log WHERE " ACME_ROW("");
/* Appended after the head, hashed and linked like a real row. */
static const char APPEND_FORGED[] =
    "INSERT INTO core.audit_log SELECT client_id, seq + 1, at, 'mallory', table_name, op,"
    " row_key, old, new, hash, core.audit_hash(hash, client_id, seq + 1, at, 'mallory',"
    " table_name, op, row_key, old, new) FROM core.audit_log WHERE " ACME_ROW("");
/* Slipped in before the last two rows, renumbering them. */
static const char SLIP_IN_FORGED[] =
    "UPDATE core.audit_log SET seq = seq + 1000000"
    " WHERE client_id = " ACME_ID " AND seq >= " ACME_HEAD " - 1;"
    "UPDATE core.audit_log SET seq = seq - 999999"
    " WHERE client_id = " ACME_ID " AND seq > 1000000;"
    "INSERT INTO core.audit_log SELECT client_id, seq + 1, at, 'mallory', table_name, op,"
    " row_key, old, new, hash, core.audit_hash(hash, client_id, seq + 1, at, 'mallory',"
    " table_name, op, row_key, old, new) FROM core.audit_log WHERE " ACME_ROW("- 2");

static void
test_verify_finds_an_edited_row(void **state)
{
	(void)state;
	tampered(EDIT_BODY, "edited", -2);
	tampered(REWRITE_LAST, "edited", 0);
}

static void
test_verify_finds_a_deleted_row(void **state)
{
	(void)state;
	tampered(DELETE_MIDDLE, "missing", -2);
	tampered(DELETE_LAST, "missing", 0);
}

static void
test_verify_finds_an_inserted_row(void **state)
{
	(void)state;
	tampered(APPEND_FORGED, "inserted", 1);
	/* The first row out of place no longer links to the row before it. */
	tampered(SLIP_IN_FORGED, "relinked", 0);
}

/* The hash does not depend on the reader's time zone or date style. */
static void
test_verify_ignores_session_settings(void **state)
{
	struct bd_db *db = dbtest_connect(&t, "acct1");

	(void)state;
	dbtest_exec(db, "SET TimeZone = 'Pacific/Chatham'; SET DateStyle = 'SQL, DMY'");
	assert_chain_ok(db, "ACME");
	assert_chain_ok(db, "GLOBEX");
	bd_db_free(db);
}

/* Two writers on one chain: the second waits for the first's commit, and
 * the chain stays whole. */
static void
test_concurrent_appends_serialise(void **state)
{
	struct bd_db *a = dbtest_connect(&t, "admin1");
	struct bd_db *b = dbtest_connect(&t, NULL);
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	struct pollfd pfd;
	int tries;

	(void)state;
	assert_int_equal(bd_db_begin(a, &err), 0);
	assert_int_equal(bd_db_run(a, "admin.client_add", BD_PARAMS("CONC_A", "A"), &err), 0);
	assert_int_equal(bd_db_send(b, "admin.client_add", BD_PARAMS("CONC_B", "B"), &err), 0);
	pfd.fd = bd_db_socket(b);
	pfd.events = POLLIN;
	poll(&pfd, 1, 300);
	assert_int_equal(bd_db_consume(b, &err), 0);
	assert_true(bd_db_busy(b));
	assert_int_equal(bd_db_commit(a, &err), 0);
	for (tries = 0; tries < 100 && bd_db_busy(b); tries++) {
		poll(&pfd, 1, 100);
		assert_int_equal(bd_db_consume(b, &err), 0);
	}
	res = bd_db_take(b, &err);
	assert_non_null(res);
	bd_db_result_free(res);
	assert_int_equal(dbtest_scalar(b,
				       "SELECT max(seq) FILTER (WHERE new ->> 'code' = 'CONC_B') -"
				       " max(seq) FILTER (WHERE new ->> 'code' = 'CONC_A')"
				       " FROM core.audit_log WHERE client_id = 0",
				       0, NULL),
			 1);
	assert_chain_ok(b, "*");
	bd_db_free(b);
	bd_db_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_changes_are_recorded),
	    cmocka_unit_test(test_admin_changes_go_to_the_firm_chain),
	    cmocka_unit_test(test_log_is_append_only),
	    cmocka_unit_test(test_verify_finds_an_edited_row),
	    cmocka_unit_test(test_verify_finds_a_deleted_row),
	    cmocka_unit_test(test_verify_finds_an_inserted_row),
	    cmocka_unit_test(test_verify_ignores_session_settings),
	    cmocka_unit_test(test_concurrent_appends_serialise),
	};
	struct bd_db *db;
	int failed, i;

	dbtest_start(&t, true);
	db = dbtest_connect(&t, NULL);
	dbtest_exec(db, SETUP_SQL);
	bd_db_free(db);
	db = dbtest_connect(&t, "clerk1");
	for (i = 1; i <= 5; i++) {
		char id[8];

		snprintf(id, sizeof(id), "%d", i);
		put(db, "ACME", id, "note");
		put(db, "GLOBEX", id, "note");
	}
	bd_db_free(db);
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	dbtest_stop(&t);
	return failed;
}
