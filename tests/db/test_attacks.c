/*
 * The attacks of issue 15, each replayed as the demo operator who made it,
 * against a real PostgreSQL with the demo data (see
 * sql/migrations/030_security.sql for the cures):
 *
 *  1. notifications: clerk3 (ACME only) listening on every channel it can
 *     name hears nothing of GLOBEX, and cannot learn GLOBEX's channels;
 *  2. unassigning clerk1 from GLOBEX stops their open REPEATABLE READ
 *     transaction from claiming GLOBEX work;
 *  3. a checker approves the version they saw, not what the entry holds by
 *     then (withdrawn, changed to 950,000.00 and resubmitted);
 *  4. an admin cannot make a role that reaches postgres (or
 *     pg_execute_server_program, or another application's login) an
 *     operator, nor switch another application's login off;
 *  6. advisory locks held by clerk3 stall neither GLOBEX's year opening,
 *     the supervisor's board, nor a migration;
 *  7. a client's whole audit chain deleted is reported, and a chain
 *     rewritten since its heads were exported (backdesk audit heads) too;
 *  9. statistics views, huge or countless drafts, control characters.
 */
#include "dbtest.h"

#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "backdesk/migrate.h"
#include "backdesk/kit.h"
#include "backdesk/session.h"
#include "backdesk/strbuf.h"

static struct dbtest t;
static char acme_id[16], globex_id[16], today[16];

static struct bd_db_result *
named(struct bd_db *db, const char *name, int n, const char *const *p)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(db, name, n, p, &err);

	if (!res)
		fail_msg("%s: %s (%s %s)", name, err.msg, err.sqlstate, err.detail);
	return res;
}

/* A named query that must fail; returns the error. */
static struct bd_err
refused(struct bd_db *db, const char *name, int n, const char *const *p)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(db, name, n, p, &err);

	if (res) {
		bd_db_result_free(res);
		fail_msg("%s succeeded but must be refused", name);
	}
	return err;
}

/* SQL that must fail; returns the error. */
static struct bd_err
sql_refused(struct bd_db *db, const char *sql, int n, const char *const *p)
{
	struct bd_err err = BD_ERR_INIT;

	if (!dbtest_fails(db, sql, n, p, &err))
		fail_msg("%s succeeded but must be refused", sql);
	return err;
}

static long long
scalar(struct bd_db *db, const char *sql, const char *arg)
{
	return dbtest_scalar(db, sql, arg ? 1 : 0, arg ? (const char *const[]){arg} : NULL);
}

/* --- 1. notifications ---------------------------------------------------------------- */

/* Collects every notification `db` receives until one on `marker`. */
static void
collect_until(struct bd_db *db, const char *marker, struct strbuf *got)
{
	int i;

	for (i = 0; i < 500; i++) {
		struct pollfd pfd = {bd_db_socket(db), POLLIN, 0};
		struct bd_err err = BD_ERR_INIT;
		char *ch, *pl;
		bool done = false;

		poll(&pfd, 1, 20);
		assert_int_equal(bd_db_consume(db, &err), 0);
		while (bd_db_next_notify(db, &ch, &pl) == 1) {
			if (!strcmp(ch, marker))
				done = true;
			else
				strbuf_addf(got, "%s [%s]\n", ch, pl);
			free(ch);
			free(pl);
		}
		if (done)
			return;
	}
	fail_msg("the marker notification never came");
}

static void
test_notifications_keep_to_the_client(void **state)
{
	static const char *const old_channels[] = {"bd_queue", "bd_ledger_approvals",
						   "bd_operators", "bd_assignments"};
	struct bd_db *clerk3 = dbtest_connect(&t, "clerk3");
	struct bd_db *super1 = dbtest_connect(&t, "super1");
	struct bd_db *clerk1 = dbtest_connect(&t, "clerk1");
	struct bd_db *acct1 = dbtest_connect(&t, "acct1");
	struct bd_db *admin1 = dbtest_connect(&t, "admin1");
	struct bd_db *su = dbtest_connect(&t, NULL);
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	struct strbuf heard = STRBUF_INIT;
	char *globex_queue = NULL, *acme_queue = NULL, *own;
	size_t i;
	int r;

	(void)state;
	/* clerk3 learns ACME's channels only; GLOBEX's token stays hidden. */
	assert_int_equal(scalar(clerk3, "SELECT count(*) FROM core.client_channels", NULL), 1);
	assert_int_equal(scalar(clerk3,
				"SELECT count(*) FROM core.client_channels WHERE client_id = "
				"$1::integer",
				globex_id),
			 0);
	/* Each client has its own channel, and none is the old global name. */
	res = named(super1, "core.client_channels", BD_PARAMS("queue"));
	assert_int_equal(bd_db_result_rows(res), 2);
	for (r = 0; r < 2; r++) {
		const char *ch = bd_db_result_get(res, r, 1);

		assert_int_equal(strncmp(ch, "bd_queue_", 9), 0);
		assert_true(strlen(ch) == 9 + 32);
		if (!strcmp(bd_db_result_get(res, r, 0), globex_id))
			globex_queue = strdup(ch);
		else
			acme_queue = strdup(ch);
	}
	bd_db_result_free(res);
	assert_non_null(globex_queue);
	assert_non_null(acme_queue);
	assert_string_not_equal(globex_queue, acme_queue);

	/* clerk3 listens on everything it can name: the old global channels
	 * and every channel row security shows it. */
	for (i = 0; i < sizeof(old_channels) / sizeof(*old_channels); i++)
		assert_int_equal(bd_db_listen(clerk3, old_channels[i], &err), 0);
	assert_int_equal(bd_kit_listen(clerk3, "queue", NULL, NULL, NULL, &err), 0);
	assert_int_equal(bd_kit_listen(clerk3, "approvals", NULL, NULL, NULL, &err), 0);
	res = named(clerk3, "core.operator_channel", BD_NO_PARAMS);
	own = strdup(bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	assert_int_equal(bd_db_listen(clerk3, own, &err), 0);
	assert_int_equal(bd_db_listen(clerk3, "bd_test_marker", &err), 0);

	/* Others work on GLOBEX: a claim, a ledger submission, an assignment. */
	res = named(clerk1, "entry.claim_next", BD_PARAMS("300", "GLOBEX"));
	assert_int_equal(bd_db_result_rows(res), 1);
	bd_db_result_free(res);
	res = named(acct1, "ledger.entry_create",
		    BD_PARAMS("GLOBEX", "GJ", today, "ATK-1", "notify probe",
			      "[{\"account\":\"1100\",\"debit\":\"5.00\"},"
			      "{\"account\":\"4100\",\"credit\":\"5.00\"}]",
			      NULL));
	dbtest_named_ok(acct1, "ledger.entry_submit",
			BD_PARAMS("GLOBEX", bd_db_result_get(res, 0, 0), NULL));
	bd_db_result_free(res);
	dbtest_named_ok(admin1, "admin.unassign", BD_PARAMS("clerk2", "GLOBEX"));
	dbtest_named_ok(admin1, "admin.assign", BD_PARAMS("clerk2", "GLOBEX"));
	dbtest_exec(su, "SELECT pg_notify('bd_test_marker', '')");

	/* Notifications come in commit order: all of them came before the
	 * marker, and clerk3 heard none (none was on a channel it knows). */
	collect_until(clerk3, "bd_test_marker", &heard);
	if (heard.len)
		fail_msg("clerk3 heard of GLOBEX:\n%s", heard.buf);

	/* The supervisor of GLOBEX hears of a GLOBEX change, with no payload. */
	assert_int_equal(bd_db_listen(super1, globex_queue, &err), 0);
	assert_int_equal(bd_db_listen(super1, "bd_test_marker", &err), 0);
	res = named(clerk1, "entry.claim_next", BD_PARAMS("300", "GLOBEX"));
	bd_db_result_free(res);
	dbtest_exec(su, "SELECT pg_notify('bd_test_marker', '')");
	strbuf_reset(&heard);
	collect_until(super1, "bd_test_marker", &heard);
	assert_non_null(strstr(heard.buf, globex_queue));
	assert_non_null(strstr(heard.buf, "[]"));

	/* No function of ours notifies a fixed global channel, and each of
	 * their notifications has an empty payload. */
	assert_int_equal(
	    scalar(su,
		   "SELECT count(*) FROM pg_proc p JOIN pg_namespace n "
		   "ON n.oid = p.pronamespace WHERE n.nspname IN ('core', 'entry', "
		   "'ledger') AND (p.prosrc ~ 'pg_notify\\(''bd_[a-z_]+''\\s*,' "
		   "OR (SELECT count(*) FROM regexp_matches(p.prosrc, 'pg_notify\\(', 'g')) "
		   "<> (SELECT count(*) FROM regexp_matches(p.prosrc, "
		   "'pg_notify\\([^;]*, ''''\\)\\s*;', 'g')))",
		   NULL),
	    0);
	assert_true(scalar(su,
			   "SELECT count(*) FROM pg_proc p JOIN pg_namespace n "
			   "ON n.oid = p.pronamespace WHERE n.nspname IN ('core', 'entry') "
			   "AND p.prosrc ~ 'pg_notify\\('",
			   NULL) >= 2);

	strbuf_release(&heard);
	free(own);
	free(globex_queue);
	free(acme_queue);
	bd_db_free(su);
	bd_db_free(admin1);
	bd_db_free(acct1);
	bd_db_free(clerk1);
	bd_db_free(super1);
	bd_db_free(clerk3);
}

/* --- 2. unassigning stops an open transaction ------------------------------------------ */

static void
test_unassign_stops_an_open_transaction(void **state)
{
	struct bd_db *clerk1 = dbtest_connect(&t, "clerk1");
	struct bd_db *admin1 = dbtest_connect(&t, "admin1");
	struct bd_err err;

	(void)state;
	dbtest_exec(clerk1, "BEGIN ISOLATION LEVEL REPEATABLE READ");
	/* The snapshot: clerk1 still sees GLOBEX. */
	assert_int_equal(scalar(clerk1,
				"SELECT count(*) FROM core.clients WHERE client_id = $1::integer",
				globex_id),
			 1);
	dbtest_named_ok(admin1, "admin.unassign", BD_PARAMS("clerk1", "GLOBEX"));

	/* The same transaction may not go on working on GLOBEX. */
	err = refused(clerk1, "entry.claim_next", BD_PARAMS("300", "GLOBEX"));
	assert_string_equal(err.sqlstate, "40001");
	bd_db_rollback(clerk1);
	/* Started again, GLOBEX is gone from it: no such client. */
	err = refused(clerk1, "entry.claim_next", BD_PARAMS("300", "GLOBEX"));
	assert_string_equal(err.sqlstate, "BD004");

	/* The same for an accountant's ledger work. */
	{
		struct bd_db *acct2 = dbtest_connect(&t, "acct2");

		dbtest_exec(acct2, "BEGIN ISOLATION LEVEL REPEATABLE READ");
		assert_true(scalar(acct2, "SELECT count(*) FROM ledger.accounts", NULL) > 0);
		dbtest_named_ok(admin1, "admin.unassign", BD_PARAMS("acct2", "GLOBEX"));
		err = refused(acct2, "ledger.entry_create",
			      BD_PARAMS("GLOBEX", "GJ", today, "ATK-2", "after unassign",
					"[{\"account\":\"1100\",\"debit\":\"5.00\"},"
					"{\"account\":\"4100\",\"credit\":\"5.00\"}]",
					NULL));
		assert_string_equal(err.sqlstate, "40001");
		bd_db_rollback(acct2);
		dbtest_named_ok(admin1, "admin.assign", BD_PARAMS("acct2", "GLOBEX"));
		bd_db_free(acct2);
	}

	/* READ COMMITTED needs no lock: every statement reads the assignments
	 * anew (and the lock is not taken there). */
	dbtest_named_ok(admin1, "admin.assign", BD_PARAMS("clerk1", "GLOBEX"));
	dbtest_exec(clerk1, "BEGIN");
	bd_db_result_free(named(clerk1, "entry.claim_next", BD_PARAMS("300", "GLOBEX")));
	dbtest_named_ok(admin1, "admin.unassign", BD_PARAMS("clerk1", "GLOBEX"));
	err = refused(clerk1, "entry.claim_next", BD_PARAMS("300", "GLOBEX"));
	assert_string_equal(err.sqlstate, "BD004");
	bd_db_rollback(clerk1);
	dbtest_named_ok(admin1, "admin.assign", BD_PARAMS("clerk1", "GLOBEX"));
	bd_db_free(admin1);
	bd_db_free(clerk1);
}

/* --- 3. approvals name the version ------------------------------------------------------- */

static char *
inbox_version(struct bd_db *db, const char *id)
{
	struct bd_db_result *res = named(db, "ledger.approvals_inbox", BD_PARAMS("ACME"));
	char *v = NULL;
	int r;

	for (r = 0; r < bd_db_result_rows(res); r++)
		if (!strcmp(dbtest_col(res, r, "entry_id"), id))
			v = strdup(dbtest_col(res, r, "version"));
	bd_db_result_free(res);
	assert_non_null(v);
	return v;
}

static void
test_approval_names_the_version(void **state)
{
	struct bd_db *acct1 = dbtest_connect(&t, "acct1");
	struct bd_db *acct2 = dbtest_connect(&t, "acct2");
	struct bd_db_result *res;
	struct bd_err err;
	char id[32], *seen, *mine, *now, *s;

	(void)state;
	res = named(acct1, "ledger.entry_create",
		    BD_PARAMS("ACME", "GJ", today, "ATK-3", "office supplies",
			      "[{\"account\":\"1100\",\"debit\":\"100.00\"},"
			      "{\"account\":\"4100\",\"credit\":\"100.00\"}]",
			      NULL));
	snprintf(id, sizeof(id), "%s", bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	dbtest_named_ok(acct1, "ledger.entry_submit", BD_PARAMS("ACME", id, NULL));

	/* acct2 sees 100.00 in the inbox, at this version. */
	seen = inbox_version(acct2, id);
	s = dbtest_text(acct2,
			"SELECT amount::text FROM ledger.pending_approvals "
			"WHERE entry_id = $1::bigint",
			id);
	assert_string_equal(s, "100.00");
	free(s);

	/* acct1 withdraws it, makes it 950,000.00 and submits it again. */
	mine = inbox_version(acct1, id);
	dbtest_named_ok(acct1, "ledger.entry_reject", BD_PARAMS("ACME", id, mine, NULL));
	dbtest_named_ok(acct1, "ledger.entry_update",
			BD_PARAMS("ACME", id, "GJ", today, "ATK-3", "office supplies",
				  "[{\"account\":\"1100\",\"debit\":\"950000.00\"},"
				  "{\"account\":\"4100\",\"credit\":\"950000.00\"}]"));
	dbtest_named_ok(acct1, "ledger.entry_submit", BD_PARAMS("ACME", id, NULL));

	/* acct2 approves what they saw: refused, nothing posted. */
	err = refused(acct2, "ledger.entry_approve", BD_PARAMS("ACME", id, seen));
	assert_string_equal(err.sqlstate, "BD003");
	assert_non_null(strstr(err.msg, "changed since you opened it"));
	assert_int_equal(scalar(acct2,
				"SELECT count(*) FROM ledger.entries WHERE entry_id = $1::bigint "
				"AND status = 'submitted'",
				id),
			 1);
	/* A decision must name a version at all. */
	err = refused(acct2, "ledger.entry_approve", BD_PARAMS("ACME", id, NULL));
	assert_string_equal(err.sqlstate, "BD001");

	/* Rejecting needs the current version and a reason the maker sees. */
	now = inbox_version(acct2, id);
	assert_string_not_equal(now, seen);
	err = refused(acct2, "ledger.entry_reject", BD_PARAMS("ACME", id, now, ""));
	assert_string_equal(err.sqlstate, "BD001");
	err = refused(acct2, "ledger.entry_reject", BD_PARAMS("ACME", id, seen, "too much"));
	assert_string_equal(err.sqlstate, "BD003");
	dbtest_named_ok(acct2, "ledger.entry_reject",
			BD_PARAMS("ACME", id, now, "950,000.00 for office supplies?"));
	res = named(acct1, "ledger.entry_get", BD_PARAMS("ACME", id));
	assert_string_equal(dbtest_col(res, 0, "status"), "draft");
	assert_string_equal(dbtest_col(res, 0, "rejected_by"), "acct2");
	assert_string_equal(dbtest_col(res, 0, "rejected_reason"),
			    "950,000.00 for office supplies?");
	bd_db_result_free(res);

	/* Submitted again and approved at the version shown: posted. */
	dbtest_named_ok(acct1, "ledger.entry_submit", BD_PARAMS("ACME", id, NULL));
	free(now);
	now = inbox_version(acct2, id);
	res = named(acct2, "ledger.entry_approve", BD_PARAMS("ACME", id, now));
	assert_int_equal(strncmp(bd_db_result_get(res, 0, 0), "GJ-", 3), 0);
	bd_db_result_free(res);
	free(now);
	free(mine);
	free(seen);
	bd_db_free(acct2);
	bd_db_free(acct1);
}

/* The CLI approves only ENTRY_ID:VERSION, the version `ledger pending` shows. */
static int
run_cli(const char *user, const char *args, struct strbuf *out)
{
	const char *bin = getenv("BD_BINARY");
	char *conninfo = dbtest_conninfo(&t, user);
	struct strbuf cmd = STRBUF_INIT;
	char buf[512];
	FILE *p;
	size_t n;
	int status;

	assert_non_null(bin);
	strbuf_addf(&cmd, "'%s' --set \"database.conninfo=%s\" %s 2>&1", bin, conninfo, args);
	p = popen(cmd.buf, "r");
	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		strbuf_add(out, buf, n);
	status = pclose(p);
	strbuf_release(&cmd);
	free(conninfo);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
test_cli_approve_names_the_version(void **state)
{
	struct bd_db *acct1 = dbtest_connect(&t, "acct1");
	struct bd_db_result *res;
	struct strbuf out = STRBUF_INIT, args = STRBUF_INIT;
	char id[32], *v;

	(void)state;
	res = named(acct1, "ledger.entry_create",
		    BD_PARAMS("ACME", "GJ", today, "ATK-CLI", "cli approval",
			      "[{\"account\":\"1100\",\"debit\":\"7.00\"},"
			      "{\"account\":\"4100\",\"credit\":\"7.00\"}]",
			      NULL));
	snprintf(id, sizeof(id), "%s", bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	dbtest_named_ok(acct1, "ledger.entry_submit", BD_PARAMS("ACME", id, NULL));
	v = dbtest_text(acct1,
			"SELECT version::text FROM ledger.entries WHERE entry_id = $1::bigint", id);

	/* `ledger pending` shows the version; an id alone is refused. */
	assert_int_equal(run_cli("acct2", "ledger pending ACME", &out), 0);
	assert_non_null(strstr(out.buf, "version"));
	strbuf_reset(&out);
	strbuf_addf(&args, "ledger approve ACME %s", id);
	assert_int_not_equal(run_cli("acct2", args.buf, &out), 0);
	assert_non_null(strstr(out.buf, "ENTRY_ID:VERSION"));
	assert_int_equal(scalar(acct1,
				"SELECT count(*) FROM ledger.entries WHERE entry_id = $1::bigint "
				"AND status = 'posted'",
				id),
			 0);
	strbuf_reset(&out);
	strbuf_reset(&args);
	strbuf_addf(&args, "ledger approve ACME %s:%s", id, v);
	assert_int_equal(run_cli("acct2", args.buf, &out), 0);
	assert_non_null(strstr(out.buf, "posted as GJ-"));
	strbuf_release(&args);
	strbuf_release(&out);
	free(v);
	bd_db_free(acct1);
}

/* --- 4. which roles an admin may make operators ---------------------------------------- */

static void
test_operator_add_refuses_foreign_roles(void **state)
{
	struct bd_db *su = dbtest_connect(&t, NULL);
	struct bd_db *admin1 = dbtest_connect(&t, "admin1");
	struct bd_err err;

	(void)state;
	dbtest_exec(su, "CREATE ROLE dba_team NOLOGIN;"
			"DO $$ BEGIN EXECUTE format('GRANT %I TO dba_team', current_user); END $$;"
			"CREATE ROLE exec_team NOLOGIN;"
			"GRANT pg_execute_server_program TO exec_team;"
			"CREATE ROLE otherapp LOGIN;"
			"CREATE ROLE report_group NOLOGIN;"
			"CREATE ROLE elsewhere LOGIN IN ROLE bd_clerk;");

	/* A role that reaches the superuser: refused, and left as it was. */
	err = refused(admin1, "admin.operator_add",
		      BD_PARAMS("dba_team", "DBA team", "clerk", "{ACME}"));
	assert_string_equal(err.sqlstate, "BD002");
	assert_int_equal(scalar(su,
				"SELECT count(*) FROM pg_roles WHERE rolname = 'dba_team' "
				"AND NOT rolcanlogin",
				NULL),
			 1);
	assert_int_equal(
	    scalar(su, "SELECT count(*) FROM core.operators WHERE login = 'dba_team'", NULL), 0);
	/* A role that may run programs on the server: refused. */
	err = refused(admin1, "admin.operator_add",
		      BD_PARAMS("exec_team", "Exec team", "admin", "{ACME}"));
	assert_string_equal(err.sqlstate, "BD002");
	/* Another application's login, or a plain group: not ours to take. */
	err = refused(admin1, "admin.operator_add",
		      BD_PARAMS("otherapp", "Other app", "clerk", "{ACME}"));
	assert_string_equal(err.sqlstate, "BD003");
	err = refused(admin1, "admin.operator_add",
		      BD_PARAMS("report_group", "Reports", "clerk", "{ACME}"));
	assert_string_equal(err.sqlstate, "BD003");
	/* ... nor to switch off. */
	err = refused(admin1, "admin.operator_disable", BD_PARAMS("otherapp"));
	assert_string_equal(err.sqlstate, "BD004");
	assert_int_equal(scalar(su,
				"SELECT count(*) FROM pg_roles WHERE rolname = 'otherapp' "
				"AND rolcanlogin",
				NULL),
			 1);
	/* An operator of another Backdesk database of the cluster is adopted. */
	dbtest_named_ok(admin1, "admin.operator_add",
			BD_PARAMS("elsewhere", "From elsewhere", "accountant", "{ACME}"));
	assert_int_equal(scalar(su,
				"SELECT count(*) FROM pg_auth_members m JOIN pg_roles g "
				"ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member "
				"WHERE r.rolname = 'elsewhere'",
				NULL),
			 1);
	/* An operator's role granted more later cannot be changed or enabled. */
	dbtest_exec(su, "GRANT exec_team TO elsewhere");
	err = refused(admin1, "admin.operator_update",
		      BD_PARAMS("elsewhere", "From elsewhere", "admin"));
	assert_string_equal(err.sqlstate, "BD002");
	err = refused(admin1, "admin.operator_enable", BD_PARAMS("elsewhere"));
	assert_string_equal(err.sqlstate, "BD002");
	dbtest_exec(su, "REVOKE exec_team FROM elsewhere");
	bd_db_free(admin1);
	bd_db_free(su);
}

/* --- 6. advisory locks --------------------------------------------------------------------- */

static void
test_advisory_locks_stall_nothing(void **state)
{
	struct bd_db *clerk3 = dbtest_connect(&t, "clerk3");
	struct bd_db *acct1 = dbtest_connect(&t, "acct1");
	struct bd_db *clerk2 = dbtest_connect(&t, "clerk2");
	struct bd_db *super1 = dbtest_connect(&t, "super1");
	struct bd_db *su = dbtest_connect(&t, NULL);
	struct bd_db_result *res;
	struct bd_migrate_report report;
	struct bd_err err = BD_ERR_INIT;
	struct strbuf heard = STRBUF_INIT;
	char *acme_queue = NULL;

	(void)state;
	/* clerk3 holds every key the attacker took. */
	res = dbtest_query(
	    clerk3,
	    "SELECT pg_advisory_lock(hashtext('ledger.fiscal_year_open'), $1::integer),"
	    " pg_advisory_lock(hashtext('ledger.fiscal_year_open'), $2::integer),"
	    " pg_advisory_lock(hashtext('entry.notify_keying'), $1::integer),"
	    " pg_advisory_lock(4242001)",
	    BD_PARAMS(acme_id, globex_id), &err);
	assert_non_null(res);
	bd_db_result_free(res);

	/* Nothing of ours waits for them: a wait would time out. */
	dbtest_exec(acct1, "SET lock_timeout = '5s'");
	dbtest_named_ok(acct1, "ledger.fiscal_year_open",
			BD_PARAMS("GLOBEX", "2031", "2031-01-01"));

	/* The keying notification still reaches ACME's board. */
	res = named(super1, "core.client_channels", BD_PARAMS("queue"));
	for (int r = 0; r < bd_db_result_rows(res); r++)
		if (!strcmp(bd_db_result_get(res, r, 0), acme_id))
			acme_queue = strdup(bd_db_result_get(res, r, 1));
	bd_db_result_free(res);
	assert_non_null(acme_queue);
	assert_int_equal(bd_db_listen(super1, acme_queue, &err), 0);
	assert_int_equal(bd_db_listen(super1, "bd_test_marker", &err), 0);
	res = named(clerk2, "entry.claim_next", BD_PARAMS("300", "ACME"));
	assert_int_equal(bd_db_result_rows(res), 1);
	bd_db_result_free(res);
	dbtest_exec(su, "SELECT pg_notify('bd_test_marker', '')");
	collect_until(super1, "bd_test_marker", &heard);
	assert_non_null(strstr(heard.buf, acme_queue));

	/* A migration run is not stalled either, and clerk3 cannot take its lock. */
	dbtest_exec(su, "SET lock_timeout = '5s'");
	assert_int_equal(bd_migrate(su, &report, NULL, &err), 0);
	assert_int_equal(report.ran, 0);
	dbtest_exec(clerk3, "BEGIN");
	err = sql_refused(clerk3, "LOCK TABLE bd_meta.migrations IN SHARE ROW EXCLUSIVE MODE", 0,
			  NULL);
	assert_string_equal(err.sqlstate, "42501");
	bd_db_rollback(clerk3);
	/* Nor the rows our functions lock. */
	err = sql_refused(clerk3, "SELECT * FROM core.locks FOR UPDATE", 0, NULL);
	assert_string_equal(err.sqlstate, "42501");
	err = sql_refused(clerk3, "SELECT * FROM core.client_channels FOR UPDATE SKIP LOCKED", 0,
			  NULL);
	assert_string_equal(err.sqlstate, "42501");

	/* No function of ours takes an advisory lock. */
	assert_int_equal(scalar(su,
				"SELECT count(*) FROM pg_proc p JOIN pg_namespace n "
				"ON n.oid = p.pronamespace WHERE n.nspname NOT LIKE 'pg\\_%' "
				"AND n.nspname <> 'information_schema' AND p.prosrc ~* 'advisory'",
				NULL),
			 0);
	strbuf_release(&heard);
	free(acme_queue);
	bd_db_free(su);
	bd_db_free(super1);
	bd_db_free(clerk2);
	bd_db_free(acct1);
	bd_db_free(clerk3);
}

/* Two migrators on one fresh database at once (the migrations table does not
 * exist yet): both succeed, and every migration is applied exactly once. */
static void
test_concurrent_migrators_apply_each_once(void **state)
{
	struct bd_db *su = dbtest_connect(&t, NULL), *db;
	struct bd_migrate_report report;
	struct bd_err err = BD_ERR_INIT;
	char *conninfo = dbtest_conninfo(&t, NULL);
	struct strbuf ci = STRBUF_INIT;
	pid_t pids[2];
	int i, status, ran = 0, fds[2];

	(void)state;
	dbtest_exec(su, "CREATE DATABASE race");
	/* conninfo's dbname is overridden by the later keyword. */
	strbuf_addf(&ci, "%s dbname='race'", conninfo);
	assert_int_equal(pipe(fds), 0);
	for (i = 0; i < 2; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			struct bd_db *mine = bd_db_connect(ci.buf, &err);
			int n;

			if (!mine || bd_migrate(mine, &report, NULL, &err) < 0) {
				fprintf(stderr, "migrator %d: %s (%s)\n", i, err.msg, err.detail);
				_exit(1);
			}
			n = report.ran;
			_exit(write(fds[1], &n, sizeof(n)) == sizeof(n) ? 0 : 1);
		}
	}
	close(fds[1]);
	for (i = 0; i < 2; i++) {
		int n;

		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		assert_int_equal(read(fds[0], &n, sizeof(n)), sizeof(n));
		ran += n;
	}
	close(fds[0]);
	db = bd_db_connect(ci.buf, &err);
	assert_non_null(db);
	assert_int_equal(bd_migrate_check(db, &err), 0);
	assert_int_equal(ran,
			 dbtest_scalar(db, "SELECT count(*) FROM bd_meta.migrations", 0, NULL));
	bd_db_free(db);
	strbuf_release(&ci);
	free(conninfo);
	bd_db_free(su);
}

/* --- 7. audit chains that vanish ----------------------------------------------------------- */

static struct bd_db_result *
verify_row(struct bd_db *db, const char *code, int *row)
{
	struct bd_db_result *res = named(db, "core.audit_verify", BD_PARAMS(NULL));
	int r;

	*row = -1;
	for (r = 0; r < bd_db_result_rows(res); r++)
		if (!strcmp(dbtest_col(res, r, "client_code"), code))
			*row = r;
	return res;
}

static void
test_vanished_audit_chain_is_reported(void **state)
{
	struct bd_db *su = dbtest_connect(&t, NULL);
	struct bd_db *admin1 = dbtest_connect(&t, "admin1");
	struct bd_db_result *res;
	struct strbuf out = STRBUF_INIT, args = STRBUF_INIT;
	char path[] = "/tmp/bd_heads_XXXXXX";
	int row, fd;

	(void)state;
	/* A new client: its creation opens its own chain. */
	dbtest_named_ok(admin1, "admin.client_add", BD_PARAMS("TAUD", "Audit Test Ltd"));
	dbtest_named_ok(admin1, "admin.assign", BD_PARAMS("admin1", "TAUD"));
	res = verify_row(su, "TAUD", &row);
	assert_true(row >= 0);
	assert_string_equal(dbtest_col(res, row, "ok"), "t");
	assert_string_equal(dbtest_col(res, row, "head_seq"), "1");
	bd_db_result_free(res);
	/* Every existing client has a chain. */
	assert_int_equal(scalar(su,
				"SELECT count(*) FROM core.clients c WHERE NOT EXISTS "
				"(SELECT 1 FROM core.audit_head h WHERE h.client_id = c.client_id)",
				NULL),
			 0);

	/* The heads go to a file outside the database (the CLI, as admin1). */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	strbuf_addf(&args, "audit heads > '%s'", path);
	assert_int_equal(run_cli("admin1", args.buf, &out), 0);
	strbuf_reset(&args);
	strbuf_reset(&out);
	strbuf_addf(&args, "audit verify --heads '%s'", path);
	assert_int_equal(run_cli("admin1", args.buf, &out), 0);
	assert_null(strstr(out.buf, "BROKEN"));

	/* The attack: TAUD's chain and head deleted, triggers off. */
	dbtest_exec(su, "SET session_replication_role = replica;"
			"DELETE FROM core.audit_log WHERE client_id = "
			"(SELECT client_id FROM core.clients WHERE code = 'TAUD');"
			"DELETE FROM core.audit_head WHERE client_id = "
			"(SELECT client_id FROM core.clients WHERE code = 'TAUD');"
			"SET session_replication_role = origin;");
	res = verify_row(admin1, "TAUD", &row);
	assert_true(row >= 0);
	assert_string_equal(dbtest_col(res, row, "ok"), "f");
	assert_string_equal(dbtest_col(res, row, "problem"), "vanished");
	bd_db_result_free(res);
	strbuf_reset(&out);
	assert_int_not_equal(run_cli("admin1", "audit verify", &out), 0);
	assert_non_null(strstr(out.buf, "TAUD"));
	assert_non_null(strstr(out.buf, "BROKEN"));

	/* Rebuilt from scratch, the chain is consistent in itself, but not
	 * with the heads exported before. */
	dbtest_exec(su, "SELECT core.audit_append(client_id, 'core.clients', 'INSERT', NULL, NULL, "
			"to_jsonb(c)) FROM core.clients c WHERE code = 'TAUD'");
	res = verify_row(admin1, "TAUD", &row);
	assert_string_equal(dbtest_col(res, row, "ok"), "t");
	bd_db_result_free(res);
	strbuf_reset(&out);
	assert_int_not_equal(run_cli("admin1", args.buf, &out), 0);
	assert_non_null(strstr(out.buf, "TAUD"));
	assert_non_null(strstr(out.buf, "rewritten"));

	unlink(path);
	strbuf_release(&args);
	strbuf_release(&out);
	bd_db_free(admin1);
	bd_db_free(su);
}

/* --- 9. statistics, drafts, control characters --------------------------------------------- */

static void
test_statistics_are_not_for_operators(void **state)
{
	struct bd_db *clerk3 = dbtest_connect(&t, "clerk3");
	struct bd_err err;

	(void)state;
	err = sql_refused(clerk3, "SELECT relname, n_live_tup FROM pg_stat_user_tables", 0, NULL);
	assert_string_equal(err.sqlstate, "42501");
	err = sql_refused(clerk3, "SELECT * FROM pg_stat_all_tables", 0, NULL);
	assert_string_equal(err.sqlstate, "42501");
	err = sql_refused(clerk3, "SELECT * FROM pg_statio_user_tables", 0, NULL);
	assert_string_equal(err.sqlstate, "42501");
	err = sql_refused(clerk3, "SELECT * FROM pg_stat_user_indexes", 0, NULL);
	assert_string_equal(err.sqlstate, "42501");
	err = sql_refused(
	    clerk3, "SELECT pg_stat_get_live_tuples(oid) FROM pg_class WHERE relname = 'documents'",
	    0, NULL);
	assert_string_equal(err.sqlstate, "42501");
	/* The planner's whole-table estimate stays (the catalogue is global). */
	assert_int_equal(scalar(clerk3,
				"SELECT count(reltuples) FROM pg_class WHERE relname = 'documents'",
				NULL),
			 1);
	bd_db_free(clerk3);
}

static void
test_drafts_are_capped(void **state)
{
	struct bd_db *clerk3 = dbtest_connect(&t, "clerk3");
	struct strbuf big = STRBUF_INIT;
	struct bd_err err;
	char key[32];
	int i;

	(void)state;
	for (i = 0; i < 300 * 1024; i++)
		strbuf_addch(&big, 'x');
	err = refused(clerk3, "draft.save", BD_PARAMS("attack:big", NULL, big.buf));
	assert_string_equal(err.sqlstate, "BD001");
	assert_non_null(strstr(err.msg, "too large"));
	for (i = 0; i < 20; i++) {
		snprintf(key, sizeof(key), "attack:%d", i);
		dbtest_named_ok(clerk3, "draft.save", BD_PARAMS(key, NULL, "{}"));
	}
	err = refused(clerk3, "draft.save", BD_PARAMS("attack:20", NULL, "{}"));
	assert_string_equal(err.sqlstate, "BD003");
	assert_non_null(strstr(err.msg, "finish or discard"));
	/* Saving one already kept goes on working. */
	dbtest_named_ok(clerk3, "draft.save", BD_PARAMS("attack:3", NULL, "{\"a\":1}"));
	for (i = 0; i < 20; i++) {
		snprintf(key, sizeof(key), "attack:%d", i);
		dbtest_named_ok(clerk3, "draft.discard", BD_PARAMS(key));
	}
	strbuf_release(&big);
	bd_db_free(clerk3);
}

static void
test_control_characters_are_refused(void **state)
{
	struct bd_db *admin1 = dbtest_connect(&t, "admin1");
	struct bd_db *su = dbtest_connect(&t, NULL);
	struct bd_err err;

	(void)state;
	err = refused(admin1, "admin.client_add", BD_PARAMS("TCTL", "Evil\x1b[2J Corp"));
	assert_string_equal(err.sqlstate, "BD001");
	assert_non_null(strstr(err.msg, "control characters"));
	err = refused(admin1, "admin.client_rename", BD_PARAMS("ACME", "Acme\rHealth"));
	assert_string_equal(err.sqlstate, "BD001");
	err = refused(admin1, "admin.operator_add", BD_PARAMS("tctl", "Bad\nName", "clerk", NULL));
	assert_string_equal(err.sqlstate, "BD001");
	err = refused(admin1, "admin.operator_update", BD_PARAMS("clerk3", "Carol\x07", "clerk"));
	assert_string_equal(err.sqlstate, "BD001");
	/* The tables and domains refuse them whoever writes (even the DBA). */
	err = sql_refused(su, "UPDATE core.clients SET name = name || E'\\x1b' WHERE code = 'ACME'",
			  0, NULL);
	assert_non_null(strstr(err.msg, "control characters"));
	err = sql_refused(su,
			  "UPDATE entry.batches SET name = E'batch\\x08' WHERE batch_id = "
			  "(SELECT min(batch_id) FROM entry.batches)",
			  0, NULL);
	assert_non_null(strstr(err.msg, "A batch name"));
	err = sql_refused(su,
			  "UPDATE entry.documents SET reject_note = E'note\\x1b]0;x\\x07' "
			  "WHERE document_id = (SELECT min(document_id) FROM entry.documents)",
			  0, NULL);
	assert_non_null(strstr(err.msg, "A note"));
	err = sql_refused(su,
			  "UPDATE entry.doctype_versions SET fields = jsonb_set(fields, "
			  "'{0,label}', to_jsonb(E'Label\\x1b[31m'::text)) WHERE version = 1",
			  0, NULL);
	assert_non_null(strstr(err.msg, "A field label"));
	err = sql_refused(su, "UPDATE ledger.journals SET name = E'Gen\\x7fJ'", 0, NULL);
	assert_non_null(strstr(err.msg, "A journal name"));
	bd_db_free(su);
	bd_db_free(admin1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_notifications_keep_to_the_client),
	    cmocka_unit_test(test_unassign_stops_an_open_transaction),
	    cmocka_unit_test(test_approval_names_the_version),
	    cmocka_unit_test(test_cli_approve_names_the_version),
	    cmocka_unit_test(test_operator_add_refuses_foreign_roles),
	    cmocka_unit_test(test_advisory_locks_stall_nothing),
	    cmocka_unit_test(test_concurrent_migrators_apply_each_once),
	    cmocka_unit_test(test_vanished_audit_chain_is_reported),
	    cmocka_unit_test(test_statistics_are_not_for_operators),
	    cmocka_unit_test(test_drafts_are_capped),
	    cmocka_unit_test(test_control_characters_are_refused),
	};
	struct bd_db *db;
	char *s;
	int failed;

	dbtest_start(&t, true);
	db = dbtest_connect(&t, NULL);
	s = dbtest_text(db, "SELECT client_id::text FROM core.clients WHERE code = 'ACME'", NULL);
	snprintf(acme_id, sizeof(acme_id), "%s", s);
	free(s);
	s = dbtest_text(db, "SELECT client_id::text FROM core.clients WHERE code = 'GLOBEX'", NULL);
	snprintf(globex_id, sizeof(globex_id), "%s", s);
	free(s);
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
