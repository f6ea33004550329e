/*
 * Payroll (040_payroll.sql, sql/functions/payroll/) against the real
 * database: privacy, maker-checker through the approvals registry, final
 * payslips, the one posted entry, arrears, CSV imports all or nothing, and
 * every statutory table at its boundaries (a peso below, at and above),
 * each expected value computed here from the published table, cited where
 * its rows are typed in.
 */
#include "dbtest.h"

#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "backdesk/embedded.h"
#include "backdesk/payroll.h"
#include "backdesk/xalloc.h"

static struct dbtest t;
static struct bd_db *su, *pay1, *pay2, *pay3, *acct1, *clerk1;

static char *
num(long long v)
{
	static char buf[8][24];
	static int next;
	char *s = buf[next++ % 8];

	snprintf(s, sizeof(buf[0]), "%lld", v);
	return s;
}

static long long
scalar(const char *sql, const char *a, const char *b)
{
	const char *p[] = {a, b};

	return dbtest_scalar(su, sql, b ? 2 : a ? 1 : 0, p);
}

/* A value in centavos of a payslip line: client, run, employee number, code. */
static long long
line_cents(const char *client, long long run, const char *number, const char *code)
{
	const char *p[] = {client, num(run), number, code};

	return dbtest_scalar(
	    su,
	    "SELECT coalesce(sum(l.amount) * 100, 0)::bigint FROM payroll.payslip_lines l "
	    "JOIN payroll.employees e USING (client_id, employee_id) "
	    "JOIN core.clients c USING (client_id) WHERE c.code = $1 "
	    "AND l.run_id = $2::bigint AND e.number = $3 AND l.code = $4",
	    4, p);
}

static void
import_ok(struct bd_db *db, enum bd_payroll_import what, const char *client, const char *csv)
{
	struct bd_err err = BD_ERR_INIT;
	long n = 0;

	if (bd_payroll_import(db, what, client, csv, strlen(csv), "test.csv", &n, &err) < 0)
		fail_msg("import: %s", err.msg);
}

static long long
run_version(const char *client, long long run)
{
	return scalar("SELECT r.version FROM payroll.runs r JOIN core.clients c USING (client_id) "
		      "WHERE c.code = $1 AND r.run_id = $2::bigint",
		      client, num(run));
}

static long long
waiting_run(void)
{
	return scalar("SELECT run_id FROM payroll.runs WHERE status = 'submitted' ORDER BY run_id "
		      "LIMIT 1",
		      NULL, NULL);
}

/* ---- privacy ---------------------------------------------------------------- */

static void
test_payroll_rows_invisible_to_others(void **state)
{
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	/* payroll sees its client's employees, masked */
	{
		struct bd_db_result *res =
		    dbtest_named(pay1, "payroll.employee_list", BD_PARAMS("ACME", NULL));

		assert_int_equal(bd_db_result_rows(res), 50);
		assert_string_equal(dbtest_col(res, 0, "bank_account"), "****0007");
		assert_true(strncmp(dbtest_col(res, 0, "tax_id"), "****", 4) == 0);
		bd_db_result_free(res);
	}
	/* clerks and accountants of the same client: no grant at all */
	assert_true(dbtest_fails(clerk1, "SELECT count(*) FROM payroll.employees", 0, NULL, &err));
	assert_true(dbtest_fails(acct1, "SELECT count(*) FROM payroll.payslips", 0, NULL, &err));
	assert_true(dbtest_fails(acct1, "SELECT count(*) FROM payroll.runs", 0, NULL, &err));
	err = dbtest_named_refused(acct1, "payroll.employee_list", BD_PARAMS("ACME", NULL));
	(void)err;
	/* nobody reads the private table, payroll included */
	assert_true(
	    dbtest_fails(pay1, "SELECT count(*) FROM payroll.employee_private", 0, NULL, &err));
	/* another client's payroll staff: row security shows nothing, functions refuse */
	assert_int_equal(dbtest_scalar(pay3, "SELECT count(*) FROM payroll.employees", 0, NULL), 0);
	assert_int_equal(dbtest_scalar(pay3, "SELECT count(*) FROM payroll.payslip_lines", 0, NULL),
			 0);
	err = dbtest_named_refused(pay3, "payroll.employee_list", BD_PARAMS("ACME", NULL));
	assert_string_equal(err.sqlstate, "BD004");
	/* the inbox's kind lists nothing to an accountant */
	assert_true(dbtest_fails(acct1,
				 "SELECT approvals.approve('payroll.run', 'ACME', $1::bigint, 1)",
				 BD_PARAMS(num(waiting_run())), &err));
	/* the audit log holds no salary and no id */
	assert_int_equal(
	    scalar("SELECT count(*) FROM core.audit_log WHERE table_name LIKE "
		   "'payroll.%' AND (coalesce(new::text, '') || coalesce(old::text, '')) "
		   "~ '(rate|bank_account|tax_id)\"?: *\"?[0-9]'",
		   NULL, NULL),
	    0);
	assert_true(scalar("SELECT count(*) FROM core.audit_log WHERE table_name = "
			   "'payroll.employees'",
			   NULL, NULL) >= 50);
}

static void
test_reveal_is_audited(void **state)
{
	struct bd_db_result *res;
	long long before = scalar("SELECT count(*) FROM core.audit_log WHERE table_name = "
				  "'payroll.reveals'",
				  NULL, NULL);

	(void)state;
	res = dbtest_named(pay1, "payroll.reveal", BD_PARAMS("ACME", "E1001", "bank_account"));
	assert_string_equal(dbtest_col(res, 0, "value"), "001234500007");
	bd_db_result_free(res);
	assert_int_equal(scalar("SELECT count(*) FROM core.audit_log WHERE table_name = "
				"'payroll.reveals' AND actor = 'pay1'",
				NULL, NULL),
			 before + 1);
	dbtest_named_refused(pay1, "payroll.reveal", BD_PARAMS("ACME", "E1001", "name"));
}

/* ---- approval --------------------------------------------------------------- */

static void
test_maker_cannot_approve_and_changed_run_refused(void **state)
{
	long long run = waiting_run(), v = run_version("ACME", run), v2;
	struct bd_err err;

	(void)state;
	assert_true(run > 0);
	/* the maker approving their own run */
	err =
	    dbtest_named_refused(pay1, "payroll.run_approve", BD_PARAMS("ACME", num(run), num(v)));
	assert_string_equal(err.sqlstate, "BD002");
	/* pay2 saw version v; pay1 recomputes and resubmits */
	dbtest_named_ok(pay1, "payroll.run_compute", BD_PARAMS("ACME", num(run)));
	v2 = run_version("ACME", run);
	dbtest_named_ok(pay1, "payroll.run_submit", BD_PARAMS("ACME", num(run), num(v2)));
	v2 = run_version("ACME", run);
	assert_true(v2 > v);
	err =
	    dbtest_named_refused(pay2, "payroll.run_approve", BD_PARAMS("ACME", num(run), num(v)));
	assert_string_equal(err.sqlstate, "BD003");
	assert_int_equal(scalar("SELECT count(*) FROM payroll.runs WHERE run_id = $1::bigint AND "
				"status = 'submitted'",
				num(run), NULL),
			 1);
	/* the version they see now */
	dbtest_named_ok(pay2, "payroll.run_approve", BD_PARAMS("ACME", num(run), num(v2)));
	assert_int_equal(scalar("SELECT count(*) FROM payroll.runs WHERE run_id = $1::bigint AND "
				"status = 'final' AND approver = 'pay2' AND entry_id IS NOT NULL",
				num(run), NULL),
			 1);
}

static void
test_posted_entry_balances_and_equals_register(void **state)
{
	long long run = scalar("SELECT max(run_id) FROM payroll.runs r JOIN core.clients c USING "
			       "(client_id) WHERE c.code = 'ACME' AND status = 'final'",
			       NULL, NULL);
	const char *q = "SELECT (sum(l.debit) - sum(l.credit)) * 100 FROM ledger.lines l JOIN "
			"payroll.runs r ON r.client_id = l.client_id AND r.entry_id = l.entry_id "
			"WHERE r.run_id = $1::bigint";

	(void)state;
	assert_true(run > 0);
	assert_int_equal(scalar(q, num(run), NULL), 0);
	/* one entry, posted, from this source */
	assert_int_equal(scalar("SELECT count(*) FROM ledger.entries WHERE source_kind = "
				"'payroll.run' AND source_id = $1 AND status = 'posted'",
				num(run), NULL),
			 1);
	/* net pay payable credited with the register's net */
	assert_int_equal(
	    scalar("SELECT ((SELECT sum(l.credit) FROM ledger.lines l JOIN ledger.accounts a USING "
		   "(client_id, account_id) JOIN payroll.runs r ON r.client_id = l.client_id AND "
		   "r.entry_id = l.entry_id WHERE r.run_id = $1::bigint AND a.code = '2310') = "
		   "(SELECT sum(net) FROM payroll.payslips WHERE run_id = $1::bigint))::int",
		   num(run), NULL),
	    1);
	/* debits = gross earnings + employer contributions of the register */
	assert_int_equal(
	    scalar("SELECT ((SELECT sum(l.debit) FROM ledger.lines l JOIN payroll.runs "
		   "r ON r.client_id = l.client_id AND r.entry_id = l.entry_id WHERE "
		   "r.run_id = $1::bigint) = (SELECT sum(gross + employer) FROM "
		   "payroll.payslips WHERE run_id = $1::bigint))::int",
		   num(run), NULL),
	    1);
	/* and the run's totals are the register's */
	assert_int_equal(
	    scalar("SELECT ((SELECT net FROM payroll.runs WHERE run_id = $1::bigint) = "
		   "(SELECT sum(net) FROM payroll.payslips WHERE run_id = $1::bigint))::int",
		   num(run), NULL),
	    1);
}

static void
test_final_payslip_cannot_change(void **state)
{
	long long run =
	    scalar("SELECT max(run_id) FROM payroll.runs WHERE status = 'final'", NULL, NULL);
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	assert_true(dbtest_fails(su,
				 "UPDATE payroll.payslips SET net = 0 WHERE run_id = $1::bigint",
				 BD_PARAMS(num(run)), &err));
	assert_true(dbtest_fails(su, "DELETE FROM payroll.payslip_lines WHERE run_id = $1::bigint",
				 BD_PARAMS(num(run)), &err));
	assert_true(dbtest_fails(su, "UPDATE payroll.runs SET net = 0 WHERE run_id = $1::bigint",
				 BD_PARAMS(num(run)), &err));
	err = dbtest_named_refused(pay1, "payroll.run_compute", BD_PARAMS("ACME", num(run)));
	assert_string_equal(err.sqlstate, "BD002");
	/* the bank file reads it, audited */
	{
		struct bd_db_result *res =
		    dbtest_named(pay2, "payroll.bank_payments", BD_PARAMS("ACME", num(run)));

		assert_true(bd_db_result_rows(res) > 40);
		bd_db_result_free(res);
	}
}

/* ---- arrears ---------------------------------------------------------------- */

static long long
globex_run(int month, bool approve)
{
	char start[16], end[16];
	int year = (int)scalar("SELECT extract(year FROM current_date)", NULL, NULL);
	long long run;

	snprintf(start, sizeof(start), "%d-%02d-01", year, month);
	run = scalar("SELECT 1", NULL, NULL);
	{
		char sql[64];

		snprintf(sql, sizeof(sql),
			 "SELECT ($1::date + interval '1 month' - interval '1 day')::date");
		(void)sql;
	}
	{
		char *last = dbtest_text(
		    su, "SELECT ($1::date + interval '1 month' - interval '1 day')::date::text",
		    start);

		snprintf(end, sizeof(end), "%s", last);
		free(last);
	}
	{
		struct bd_db_result *res =
		    dbtest_named(pay1, "payroll.run_create",
				 BD_PARAMS("GLOBEX", "monthly", "regular", start, end, end));

		run = strtoll(bd_db_result_get(res, 0, 0), NULL, 10);
		bd_db_result_free(res);
	}
	dbtest_named_ok(pay1, "payroll.run_compute", BD_PARAMS("GLOBEX", num(run)));
	if (approve) {
		long long v = run_version("GLOBEX", run);

		dbtest_named_ok(pay1, "payroll.run_submit", BD_PARAMS("GLOBEX", num(run), num(v)));
		v = run_version("GLOBEX", run);
		dbtest_named_ok(pay2, "payroll.run_approve", BD_PARAMS("GLOBEX", num(run), num(v)));
	}
	return run;
}

static void
test_arrears_two_periods_back_paid_once(void **state)
{
	int year = (int)scalar("SELECT extract(year FROM current_date)", NULL, NULL);
	char csv[512];
	long long jan, feb, mar, apr;

	(void)state;
	snprintf(csv, sizeof(csv),
		 "number,name,hire_date,pay_group,country,rate,bank_account\n"
		 "G1,Arrears Test,%d-01-01,monthly,PH,30000,12345678\n",
		 year - 1);
	import_ok(pay1, BD_PAYROLL_IMPORT_EMPLOYEES, "GLOBEX", csv);
	jan = globex_run(1, true);
	feb = globex_run(2, true);
	assert_int_equal(line_cents("GLOBEX", feb, "G1", "BASIC"), 3000000);
	/* raised from January 1st, keyed after February was paid */
	snprintf(csv, sizeof(csv), "number,effective_from,rate\nG1,%d-01-01,33000\n", year);
	import_ok(pay1, BD_PAYROLL_IMPORT_PAY, "GLOBEX", csv);
	mar = globex_run(3, true);
	/* March's pay, and 3,000.00 more for each of January and February */
	assert_int_equal(line_cents("GLOBEX", mar, "G1", "BASIC"), 3300000 + 2 * 300000);
	/* one arrears line for each of the two past runs */
	assert_int_equal(dbtest_scalar(su,
				       "SELECT count(*) FROM payroll.payslip_lines WHERE run_id = "
				       "$1::bigint AND line_for IN ($2::bigint, $3::bigint)",
				       3, (const char *[]){num(mar), num(jan), num(feb)}),
			 2);
	apr = globex_run(4, false);
	assert_int_equal(line_cents("GLOBEX", apr, "G1", "BASIC"), 3300000);
	assert_int_equal(scalar("SELECT count(*) FROM payroll.payslip_lines WHERE run_id = "
				"$1::bigint AND line_for <> 0",
				num(apr), NULL),
			 0);
}

/* ---- imports ---------------------------------------------------------------- */

static void
test_import_refused_whole_with_file_and_line(void **state)
{
	static const char bad[] = "number,name,hire_date,pay_group,country,rate\n"
				  "B1,Fine,2024-01-01,monthly,PH,20000\n"
				  "B2,Bad date,2024-13-45,monthly,PH,20000\n";
	static const char ragged[] = "number,name\nB3,x,y\n";
	struct bd_err err = BD_ERR_INIT;
	long n;

	(void)state;
	assert_int_equal(bd_payroll_import(pay1, BD_PAYROLL_IMPORT_EMPLOYEES, "GLOBEX", bad,
					   strlen(bad), "emp.csv", &n, &err),
			 -1);
	assert_non_null(strstr(err.msg, "emp.csv:3:"));
	assert_int_equal(scalar("SELECT count(*) FROM payroll.employees WHERE number IN "
				"('B1','B2')",
				NULL, NULL),
			 0);
	assert_int_equal(bd_payroll_import(pay1, BD_PAYROLL_IMPORT_EMPLOYEES, "GLOBEX", ragged,
					   strlen(ragged), "r.csv", &n, &err),
			 -1);
	assert_non_null(strstr(err.msg, "r.csv:2:"));
}

static void
test_seed_packs_are_the_shipped_files(void **state)
{
	static const char *const packs[] = {"ph_2025.csv", "us_2025.csv"};
	const struct bd_embedded_file *f;
	const char *root = getenv("BD_SOURCE_DIR");
	const char *seed = NULL;
	size_t i;

	(void)state;
	assert_non_null(root);
	for (f = bd_embedded_files; f->path; f++)
		if (!strcmp(f->path, "sql/demo/seed_payroll.sql"))
			seed = f->data;
	assert_non_null(seed);
	for (i = 0; i < 2; i++) {
		char path[512];
		FILE *fp;
		struct strbuf text = STRBUF_INIT, lf = STRBUF_INIT;
		size_t k;
		int c;

		snprintf(path, sizeof(path), "%s/sql/packs/%s", root, packs[i]);
		assert_non_null(fp = fopen(path, "r"));
		while ((c = fgetc(fp)) != EOF)
			strbuf_addch(&text, (char)c);
		fclose(fp);
		for (k = 0; k < text.len; k++)
			if (text.buf[k] != '\r')
				strbuf_addch(&lf, text.buf[k]);
		assert_non_null(strstr(seed, lf.buf));
		strbuf_release(&text);
		strbuf_release(&lf);
	}
}

/* ---- statutory tables at their boundaries ------------------------------------ */

/* A bracket of a published table: over `lo`, `fixed` + `pct`/100 of the excess. */
struct bracket {
	double lo, fixed, pct;
};

/* BIR revised withholding tax table on compensation, effective January 1,
 * 2023 and onwards (RR 11-2018 Annex "E"; https://www.scribd.com/document/
 * 523165124/Annex-E-RR-11-2018; also https://support.titanium.ph/support/
 * solutions/articles/13000097310). */
static const struct bracket bir_monthly[] = {{0, 0, 0},
					     {20833, 0, 15},
					     {33333, 1875.00, 20},
					     {66667, 8541.80, 25},
					     {166667, 33541.80, 30},
					     {666667, 183541.80, 35}};
static const struct bracket bir_semi[] = {{0, 0, 0},
					  {10417, 0, 15},
					  {16667, 937.50, 20},
					  {33333, 4270.70, 25},
					  {83333, 16770.70, 30},
					  {333333, 91770.70, 35}};
static const struct bracket bir_weekly[] = {{0, 0, 0},
					    {4808, 0, 15},
					    {7692, 432.60, 20},
					    {15385, 1971.20, 25},
					    {38462, 7740.45, 30},
					    {153846, 42355.65, 35}};

static long long
expected_tax(const struct bracket *b, size_t n, double base)
{
	size_t i = 0;

	while (i + 1 < n && b[i + 1].lo <= base)
		i++;
	/* rounded to the centavo, half up */
	return (long long)((b[i].fixed + (base - b[i].lo) * b[i].pct / 100) * 100 + 0.5 + 1e-7);
}

static void
su_run(const char *sql, const char *arg)
{
	struct bd_err err = BD_ERR_INIT;
	const char *p[] = {arg};
	struct bd_db_result *res = dbtest_query(su, sql, 1, p, &err);

	if (!res)
		fail_msg("%s: %s", sql, err.msg);
	bd_db_result_free(res);
}

static void
setup_client(const char *code)
{
	su_run("SELECT core.client_add($1, 'Payroll test ' || $1)", code);
	su_run("SELECT core.assign('pay1', $1)", code);
	dbtest_named_ok(pay1, "payroll.settings_set",
			BD_PARAMS(code, "2310", "5200", "5210", "20", "PHP"));
	su_run("INSERT INTO payroll.components (client_id, effective_from, code, name, class, "
	       "method, step, taxable) SELECT client_id, '2020-01-01', 'BASIC', 'Basic', "
	       "'earning', 'salary', 1, true FROM core.clients WHERE code = $1",
	       code);
}

static long long
compute(const char *client, const char *group, const char *start, const char *end)
{
	struct bd_db_result *res = dbtest_named(
	    pay1, "payroll.run_create", BD_PARAMS(client, group, "regular", start, end, end));
	long long run = strtoll(bd_db_result_get(res, 0, 0), NULL, 10);

	bd_db_result_free(res);
	dbtest_named_ok(pay1, "payroll.run_compute", BD_PARAMS(client, num(run)));
	return run;
}

static void
test_bir_withholding_at_every_bracket(void **state)
{
	static const int monthly[] = {20833, 33333, 66667, 166667, 666667};
	static const int semi[] = {10417, 16667, 33333, 83333, 333333};
	static const int weekly[] = {4808, 7692, 15385, 38462, 153846};
	struct strbuf csv = STRBUF_INIT;
	long long mrun, srun, wrun;
	size_t i;
	int d;

	(void)state;
	/* only the withholding tax: the contributions switched off for this client */
	setup_client("TAXONLY");
	dbtest_exec(su,
		    "INSERT INTO payroll.components (client_id, effective_from, code, name, "
		    "class, method, step, amount, run_kinds) SELECT c.client_id, '2020-01-01', "
		    "x, 'off', 'deduction', 'fixed', 10, 0, '{}' FROM core.clients c, unnest("
		    "ARRAY['SSS_EE','SSS_ER','SSS_EC','PHIC_EE','PHIC_ER','HDMF_EE','HDMF_ER']) x "
		    "WHERE c.code = 'TAXONLY'");
	strbuf_addstr(&csv, "number,name,hire_date,pay_group,country,rate\n");
	for (i = 0; i < 5; i++)
		for (d = -1; d <= 1; d++) {
			strbuf_addf(&csv, "M%zu%c,M,2024-01-01,monthly,PH,%d\n", i, "bat"[d + 1],
				    monthly[i] + d);
			/* semi-monthly: the monthly rate is twice the period's pay */
			strbuf_addf(&csv, "S%zu%c,S,2024-01-01,semi_monthly,PH,%d\n", i,
				    "bat"[d + 1], 2 * (semi[i] + d));
			/* weekly: a week pays the monthly rate x 12 / 52, so a
			 * monthly rate of 13/3 of the week's pay, to the cent,
			 * pays the week exactly (checked below) */
			strbuf_addf(&csv, "W%zu%c,W,2024-01-01,weekly,PH,%.2f\n", i, "bat"[d + 1],
				    (weekly[i] + d) * 13.0 / 3.0);
		}
	import_ok(pay1, BD_PAYROLL_IMPORT_EMPLOYEES, "TAXONLY", csv.buf);
	strbuf_release(&csv);
	mrun = compute("TAXONLY", "monthly", "2025-03-01", "2025-03-31");
	srun = compute("TAXONLY", "semi_monthly", "2025-03-01", "2025-03-15");
	wrun = compute("TAXONLY", "weekly", "2025-03-03", "2025-03-09");
	for (i = 0; i < 5; i++)
		for (d = -1; d <= 1; d++) {
			char who[8];

			snprintf(who, sizeof(who), "M%zu%c", i, "bat"[d + 1]);
			if (line_cents("TAXONLY", mrun, who, "WTAX") !=
			    expected_tax(bir_monthly, 6, monthly[i] + d))
				fail_msg("monthly %d: WTAX %lld, table %lld", monthly[i] + d,
					 line_cents("TAXONLY", mrun, who, "WTAX"),
					 expected_tax(bir_monthly, 6, monthly[i] + d));
			who[0] = 'S';
			if (line_cents("TAXONLY", srun, who, "WTAX") !=
			    expected_tax(bir_semi, 6, semi[i] + d))
				fail_msg("semi-monthly %d: WTAX %lld, table %lld", semi[i] + d,
					 line_cents("TAXONLY", srun, who, "WTAX"),
					 expected_tax(bir_semi, 6, semi[i] + d));
			who[0] = 'W';
			if (line_cents("TAXONLY", wrun, who, "BASIC") != (weekly[i] + d) * 100LL)
				fail_msg("weekly pay %lld, not %d",
					 line_cents("TAXONLY", wrun, who, "BASIC"), weekly[i] + d);
			if (line_cents("TAXONLY", wrun, who, "WTAX") !=
			    expected_tax(bir_weekly, 6, weekly[i] + d))
				fail_msg("weekly %d: WTAX %lld, table %lld", weekly[i] + d,
					 line_cents("TAXONLY", wrun, who, "WTAX"),
					 expected_tax(bir_weekly, 6, weekly[i] + d));
		}
	/* two literal checks, by hand from the monthly table (b below, a at, t
	 * above the floor):
	 * 33,334: 1,875.00 + 20% of 1 = 1,875.20; 20,834: 15% of 1 = 0.15 */
	assert_int_equal(line_cents("TAXONLY", mrun, "M1t", "WTAX"), 187520);
	assert_int_equal(line_cents("TAXONLY", mrun, "M0t", "WTAX"), 15);
	/* weekly, 153,847: 42,355.65 + 35% of 1 = 42,356.00 */
	assert_int_equal(line_cents("TAXONLY", wrun, "W4t", "WTAX"), 4235600);
}

/* SSS 2025: MSC = 5,000 below 5,250, then each 500 step from 250 below it,
 * 35,000 from 34,750; EE 5%, ER 10% of the MSC; EC 10 below an MSC of
 * 15,000 and 30 from it (https://taxcalculatorphilippines.com/
 * sss-contribution-table-employees-employers; pinoybenefits: minimum EE 250
 * ER 510, maximum EE 1,750 ER 3,530). PhilHealth 2025: 5% of the monthly
 * basic salary within 10,000..100,000, shared equally (PhilHealth Advisory
 * 2025-0002, https://malaya.com.ph/news/national-news/
 * philhealth-premium-rate-stays-at-5/). Pag-IBIG over a fund salary of
 * 1,500: 2% each up to 10,000 (HDMF Circular 460; its 1% band below
 * test_pagibig_bands_at_boundaries). */
static long long
msc(double pay)
{
	long long m;

	if (pay < 5250)
		return 5000;
	if (pay >= 34750)
		return 35000;
	m = 5500 + (long long)((pay - 5250) / 500) * 500;
	return m;
}

static void
test_sss_philhealth_pagibig_at_boundaries(void **state)
{
	static const int pays[] = {5249,  5250,	  5251,	  5749,	 5750,	14749, 14750,
				   14751, 34749,  34750,  34751, 9999,	10000, 10001,
				   99999, 100000, 100001, 20000, 35000, 120000};
	struct strbuf csv = STRBUF_INIT;
	long long run;
	size_t i;

	(void)state;
	setup_client("TESTPH");
	strbuf_addstr(&csv, "number,name,hire_date,pay_group,country,rate\n");
	for (i = 0; i < sizeof(pays) / sizeof(*pays); i++)
		strbuf_addf(&csv, "P%zu,P,2024-01-01,monthly,PH,%d\n", i, pays[i]);
	import_ok(pay1, BD_PAYROLL_IMPORT_EMPLOYEES, "TESTPH", csv.buf);
	strbuf_release(&csv);
	run = compute("TESTPH", "monthly", "2025-06-01", "2025-06-30");
	for (i = 0; i < sizeof(pays) / sizeof(*pays); i++) {
		char who[8];
		double p = pays[i], ph = p < 10000 ? 10000 : p > 100000 ? 100000 : p;
		long long m = msc(p);

		snprintf(who, sizeof(who), "P%zu", i);
		if (line_cents("TESTPH", run, who, "SSS_EE") != m * 5 ||
		    line_cents("TESTPH", run, who, "SSS_ER") != m * 10 ||
		    line_cents("TESTPH", run, who, "SSS_EC") != (m < 15000 ? 1000 : 3000))
			fail_msg("SSS at %d: %lld %lld %lld for MSC %lld", pays[i],
				 line_cents("TESTPH", run, who, "SSS_EE"),
				 line_cents("TESTPH", run, who, "SSS_ER"),
				 line_cents("TESTPH", run, who, "SSS_EC"), m);
		if (line_cents("TESTPH", run, who, "PHIC_EE") != (long long)(ph * 2.5 + 0.5) ||
		    line_cents("TESTPH", run, who, "PHIC_ER") != (long long)(ph * 2.5 + 0.5))
			fail_msg("PhilHealth at %d: %lld", pays[i],
				 line_cents("TESTPH", run, who, "PHIC_EE"));
		if (line_cents("TESTPH", run, who, "HDMF_EE") !=
		    (long long)((p > 10000 ? 10000 : p) * 2 + 0.5))
			fail_msg("Pag-IBIG at %d: %lld", pays[i],
				 line_cents("TESTPH", run, who, "HDMF_EE"));
	}
	/* literal: the published minimum and maximum */
	assert_int_equal(line_cents("TESTPH", run, "P0", "SSS_EE"), 25000);
	assert_int_equal(line_cents("TESTPH", run, "P0", "SSS_ER") +
			     line_cents("TESTPH", run, "P0", "SSS_EC"),
			 51000);
	assert_int_equal(line_cents("TESTPH", run, "P10", "SSS_EE"), 175000);
	assert_int_equal(line_cents("TESTPH", run, "P10", "SSS_ER") +
			     line_cents("TESTPH", run, "P10", "SSS_EC"),
			 353000);
	assert_int_equal(line_cents("TESTPH", run, "P16", "PHIC_EE"), 250000);
	/* withholding is on pay less the employee's contributions */
	assert_int_equal(
	    scalar("SELECT (taxable * 100)::bigint FROM payroll.payslips s JOIN "
		   "payroll.employees e USING (client_id, employee_id) WHERE s.run_id = "
		   "$1::bigint AND e.number = 'P17'",
		   num(run), NULL),
	    (20000 - 1000 - 500 - 200) * 100);
}

/* Pag-IBIG, HDMF Circular 460 section C "Monthly membership savings" (in
 * force from February 2024; https://studylib.net/doc/27341129/, also
 * https://gppcpas.com.ph/2024/01/guidelines-on-the-pag-ibig-funds-
 * implementation-of-increase-in-the-maximum-fund-salary-mfs-effective-
 * february-2024/): fund salary P1,500 and below, employee 1.0% and employer
 * 2.0%; over P1,500, 2.0% each; maximum fund salary P10,000 (so at most
 * P200 each). The fund salary is monthly: a semi-monthly employee's band
 * is that of twice the period's pay, and the period pays half. Amounts to
 * the centavo, half up. */
static void
test_pagibig_bands_at_boundaries(void **state)
{
	static const struct {
		const char *number, *group, *rate; /* monthly rate */
		long long ee, er;		   /* centavos a period, from the circular */
	} cases[] = {
	    /* 1% of 1,000.00 = 10.00; 2% = 20.00 */
	    {"H1", "monthly", "1000.00", 1000, 2000},
	    /* 1% of 1,499.99 = 14.9999 -> 15.00; 2% = 29.9998 -> 30.00 */
	    {"H2", "monthly", "1499.99", 1500, 3000},
	    /* at 1,500.00, still the 1% band: 15.00; 2% = 30.00 */
	    {"H3", "monthly", "1500.00", 1500, 3000},
	    /* over 1,500: 2% = 30.0002 -> 30.00 each */
	    {"H4", "monthly", "1500.01", 3000, 3000},
	    /* 2% of 1,600.00 = 32.00 each */
	    {"H5", "monthly", "1600.00", 3200, 3200},
	    /* 2% of 9,999.00 = 199.98 each */
	    {"H6", "monthly", "9999.00", 19998, 19998},
	    /* at the maximum fund salary: 200.00 each */
	    {"H7", "monthly", "10000.00", 20000, 20000},
	    /* above it: still 200.00 each */
	    {"H8", "monthly", "10000.01", 20000, 20000},
	    {"H9", "monthly", "25000.00", 20000, 20000},
	    /* semi-monthly 700 a period: fund salary 1,400, 1% = 14.00 a month,
	     * 7.00 a period; employer 2% = 28.00, 14.00 a period */
	    {"HS1", "semi_monthly", "1400.00", 700, 1400},
	    /* 750: fund salary 1,500, still 1%: 7.50; employer 15.00 */
	    {"HS2", "semi_monthly", "1500.00", 750, 1500},
	    /* 800: fund salary 1,600, 2% = 32.00 a month: 16.00 each a period */
	    {"HS3", "semi_monthly", "1600.00", 1600, 1600},
	    /* 6,000: fund salary 12,000 capped at 10,000: 200.00 a month, 100.00 */
	    {"HS4", "semi_monthly", "12000.00", 10000, 10000},
	};
	struct strbuf csv = STRBUF_INIT;
	long long mrun, srun;
	size_t i;

	(void)state;
	setup_client("TESTHDMF");
	strbuf_addstr(&csv, "number,name,hire_date,pay_group,country,rate\n");
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		strbuf_addf(&csv, "%s,H,2024-01-01,%s,PH,%s\n", cases[i].number, cases[i].group,
			    cases[i].rate);
	import_ok(pay1, BD_PAYROLL_IMPORT_EMPLOYEES, "TESTHDMF", csv.buf);
	strbuf_release(&csv);
	mrun = compute("TESTHDMF", "monthly", "2025-06-01", "2025-06-30");
	srun = compute("TESTHDMF", "semi_monthly", "2025-06-01", "2025-06-15");
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		long long run = !strcmp(cases[i].group, "monthly") ? mrun : srun;
		long long ee = line_cents("TESTHDMF", run, cases[i].number, "HDMF_EE");
		long long er = line_cents("TESTHDMF", run, cases[i].number, "HDMF_ER");

		if (ee != cases[i].ee || er != cases[i].er)
			fail_msg("Pag-IBIG for %s at %s (%s): employee %lld employer %lld, "
				 "circular %lld %lld",
				 cases[i].number, cases[i].rate, cases[i].group, ee, er,
				 cases[i].ee, cases[i].er);
	}
}

/* IRS Publication 15-T (2025), section 1 "Percentage Method Tables for
 * Automated Payroll Systems": the STANDARD Withholding Rate Schedules of
 * the 2025 Annual Percentage Method table (Form W-4 from 2020 or later,
 * Step 2 box not checked; https://www.irs.gov/pub/irs-pdf/p15t.pdf), typed
 * in here as printed: "at least", the tentative amount, the percentage.
 * (Cross-checked: the 2025 brackets of Rev. Proc. 2024-40 shifted by the
 * standard deduction less line 1g: 15,000 - 8,600 = 6,400; 30,000 - 12,900
 * = 17,100; 22,500 - 8,600 = 13,900; and a third party's transcription,
 * ART-338's irs-pub15t-2025-percentage-method.) */
static const struct bracket fit_single[] = {{0, 0, 0},
					    {6400, 0, 10},
					    {18325, 1192.50, 12},
					    {54875, 5578.50, 22},
					    {109750, 17651.00, 24},
					    {203700, 40199.00, 32},
					    {256925, 57231.00, 35},
					    {632750, 188769.75, 37}};
static const struct bracket fit_married[] = {{0, 0, 0},
					     {17100, 0, 10},
					     {40950, 2385.00, 12},
					     {114050, 11157.00, 22},
					     {223800, 35302.00, 24},
					     {411700, 80398.00, 32},
					     {518150, 114462.00, 35},
					     {768700, 202154.50, 37}};
static const struct bracket fit_head[] = {{0, 0, 0},
					  {13900, 0, 10},
					  {30900, 1700.00, 12},
					  {78750, 7442.00, 22},
					  {117250, 15912.00, 24},
					  {211200, 38460.00, 32},
					  {264400, 55484.00, 35},
					  {640250, 187031.50, 37}};

/* Worksheet 1A for a monthly payroll and a Form W-4 from 2020 or later with
 * nothing in Steps 2 to 4: 1c = the month's wages x 12; 1g = 12,900 married
 * filing jointly, else 8,600 (Step 2 box not checked); 1i = 1c - 1g (not
 * below 0); 2c..2g the table's row for 1i; 2h = 2g / 12; rounded to the cent
 * (the publication allows cents or whole dollars; the engine keeps cents). */
static long long
worksheet_1a_monthly(const struct bracket *b, double line_1g, double monthly)
{
	double annual = monthly * 12, adjusted = annual - line_1g, tax;
	size_t k = 0;

	if (adjusted < 0)
		adjusted = 0;
	while (k + 1 < 8 && b[k + 1].lo <= adjusted + 1e-9)
		k++;
	tax = b[k].fixed + (adjusted - b[k].lo) * b[k].pct / 100;
	return (long long)(tax / 12 * 100 + 0.5 + 1e-7);
}

static void
test_us_federal_withholding_at_every_bracket(void **state)
{
	static const struct {
		const char *status;
		const struct bracket *b;
		double line_1g;
	} tables[] = {{"single", fit_single, 8600},
		      {"married", fit_married, 12900},
		      {"head", fit_head, 8600}};
	struct strbuf csv = STRBUF_INIT;
	long long run;
	size_t s, i;
	int d;

	(void)state;
	setup_client("TESTUS");
	strbuf_addstr(&csv, "number,name,hire_date,pay_group,country,filing_status,rate\n");
	/* monthly pay of (boundary + 1g + d x 12) / 12 at whole cents: the
	 * adjusted annual wage (line 1i) a dollar below, at (within cents) and
	 * above each bracket's "at least", the first (0) included */
	for (s = 0; s < 3; s++)
		for (i = 0; i < 8; i++)
			for (d = -1; d <= 1; d++)
				strbuf_addf(&csv, "U%zu%zu%c,U,2024-01-01,monthly,US,%s,%.2f\n", s,
					    i, "bat"[d + 1], tables[s].status,
					    (tables[s].b[i].lo + tables[s].line_1g + d * 12) /
						12.0);
	/* by hand, below */
	strbuf_addstr(&csv, "UHAND1,U,2024-01-01,monthly,US,single,4166.67\n"
			    "UHAND2,U,2024-01-01,monthly,US,married,4487.50\n");
	import_ok(pay1, BD_PAYROLL_IMPORT_EMPLOYEES, "TESTUS", csv.buf);
	strbuf_release(&csv);
	run = compute("TESTUS", "monthly", "2025-02-01", "2025-02-28");
	for (s = 0; s < 3; s++)
		for (i = 0; i < 8; i++)
			for (d = -1; d <= 1; d++) {
				char who[8], cents[32];
				double monthly;
				long long want;

				snprintf(who, sizeof(who), "U%zu%zu%c", s, i, "bat"[d + 1]);
				snprintf(cents, sizeof(cents), "%.2f",
					 (tables[s].b[i].lo + tables[s].line_1g + d * 12) / 12.0);
				monthly = strtod(cents, NULL);
				want =
				    worksheet_1a_monthly(tables[s].b, tables[s].line_1g, monthly);
				if (line_cents("TESTUS", run, who, "FIT") != want)
					fail_msg("%s monthly %.2f: FIT %lld, Worksheet 1A %lld",
						 tables[s].status, monthly,
						 line_cents("TESTUS", run, who, "FIT"), want);
				if (line_cents("TESTUS", run, who, "SS_EE") !=
				    (long long)(monthly * 6.2 + 0.5 + 1e-7))
					fail_msg("Social Security on %.2f", monthly);
				if (line_cents("TESTUS", run, who, "MED_EE") !=
				    (long long)(monthly * 1.45 + 0.5 + 1e-7))
					fail_msg("Medicare on %.2f", monthly);
			}
	/* literal, by hand through Worksheet 1A:
	 * single, 4,166.67 a month: 1c 50,000.04, 1g 8,600, 1i 41,400.04; the
	 * 18,325 row: 1,192.50 + 12% x 23,075.04 = 3,961.5048; / 12 = 330.13 */
	assert_int_equal(line_cents("TESTUS", run, "UHAND1", "FIT"), 33013);
	/* married, 4,487.50 a month: 1c 53,850, 1g 12,900, 1i 40,950: the
	 * 40,950 row: 2,385.00 / 12 = 198.75 */
	assert_int_equal(line_cents("TESTUS", run, "UHAND2", "FIT"), 19875);
	/* wages below the first row (1i = 0 or under 6,400): nothing withheld */
	assert_int_equal(line_cents("TESTUS", run, "U00a", "FIT"), 0);
	assert_int_equal(line_cents("TESTUS", run, "U01a", "FIT"), 0);
}

/* ---- register exceptions, rejection, 13th month, a missing filing status ---- */

static void
test_register_flags_exceptions(void **state)
{
	long long run = waiting_run();
	const char *p[] = {num(run)};

	(void)state;
	/* E1011 has no bank account; E1007 leaves on the 10th of the month */
	assert_int_equal(
	    dbtest_scalar(su,
			  "SELECT count(*) FROM payroll.payslips s JOIN payroll.employees "
			  "e USING (client_id, employee_id) WHERE s.run_id = $1::bigint "
			  "AND e.number = 'E1011' AND 'no_bank_account' = ANY (exceptions)",
			  1, p),
	    1);
	assert_int_equal(
	    dbtest_scalar(su,
			  "SELECT count(*) FROM payroll.payslips s JOIN payroll.employees "
			  "e USING (client_id, employee_id) WHERE s.run_id = $1::bigint "
			  "AND e.number = 'E1007' AND 'left_but_paid' = ANY (exceptions)",
			  1, p),
	    1);
	assert_int_equal(
	    dbtest_scalar(su,
			  "SELECT count(*) FROM payroll.payslips WHERE run_id = $1::bigint "
			  "AND exceptions <> '{}'",
			  1, p),
	    2);
}

static void
test_reject_needs_a_reason_and_returns_to_draft(void **state)
{
	long long run = scalar("SELECT max(r.run_id) FROM payroll.runs r JOIN core.clients c USING "
			       "(client_id) WHERE c.code = 'GLOBEX' AND r.status = 'draft'",
			       NULL, NULL);
	long long v = run_version("GLOBEX", run);
	struct bd_err err;

	(void)state;
	dbtest_named_ok(pay1, "payroll.run_submit", BD_PARAMS("GLOBEX", num(run), num(v)));
	v = run_version("GLOBEX", run);
	err = dbtest_named_refused(pay2, "payroll.run_reject",
				   BD_PARAMS("GLOBEX", num(run), num(v), " "));
	assert_string_equal(err.sqlstate, "BD001");
	dbtest_named_ok(pay2, "payroll.run_reject",
			BD_PARAMS("GLOBEX", num(run), num(v), "Overtime missing"));
	assert_int_equal(scalar("SELECT count(*) FROM payroll.runs WHERE run_id = $1::bigint AND "
				"status = 'draft' AND reject_reason = 'Overtime missing'",
				num(run), NULL),
			 1);
}

/* A submitted run recomputed goes back to draft and leaves the checkers'
 * inboxes: the approvals channel is told, as on submit, approve and
 * reject; recomputing a draft (in nobody's inbox) tells nobody. */
static void
test_recompute_of_submitted_run_notifies_approvals(void **state)
{
	long long run = scalar("SELECT max(r.run_id) FROM payroll.runs r JOIN core.clients c USING "
			       "(client_id) WHERE c.code = 'GLOBEX' AND r.status = 'draft'",
			       NULL, NULL);
	char *channel = dbtest_text(su,
				    "SELECT core.channel_name('approvals', ch.token) FROM "
				    "core.client_channels ch JOIN core.clients c USING (client_id) "
				    "WHERE c.code = $1",
				    "GLOBEX");
	struct bd_err err = BD_ERR_INIT;
	long long v;

	(void)state;
	assert_int_equal(bd_db_listen(pay2, channel, &err), 0);
	assert_int_equal(bd_db_listen(pay2, "bd_test_marker", &err), 0);
	dbtest_named_ok(pay1, "payroll.run_compute", BD_PARAMS("GLOBEX", num(run)));
	v = run_version("GLOBEX", run);
	(void)dbtest_notifications_before_marker(su, pay2, channel); /* what came before */
	dbtest_named_ok(pay1, "payroll.run_submit", BD_PARAMS("GLOBEX", num(run), num(v)));
	assert_int_equal(dbtest_notifications_before_marker(su, pay2, channel), 1);
	v = run_version("GLOBEX", run);
	/* recomputed: back to draft, out of the inbox, the checker told */
	dbtest_named_ok(pay1, "payroll.run_compute", BD_PARAMS("GLOBEX", num(run)));
	assert_int_equal(dbtest_notifications_before_marker(su, pay2, channel), 1);
	assert_int_equal(scalar("SELECT count(*) FROM payroll.runs WHERE run_id = $1::bigint AND "
				"status = 'draft' AND version <> $2::bigint",
				num(run), num(v)),
			 1);
	err = dbtest_named_refused(pay2, "payroll.run_approve",
				   BD_PARAMS("GLOBEX", num(run), num(v)));
	assert_string_equal(err.sqlstate, "BD003");
	/* a draft recomputed: no inbox changes, nobody is told */
	dbtest_named_ok(pay1, "payroll.run_compute", BD_PARAMS("GLOBEX", num(run)));
	assert_int_equal(dbtest_notifications_before_marker(su, pay2, channel), 0);
	dbtest_exec(pay2, "UNLISTEN *");
	free(channel);
}

/* 13th month (PD 851; TRAIN law exemption of 90,000): the year's basic pay
 * of final runs / 12. G1: January 30,000, February 30,000, March 33,000
 * plus 6,000 arrears = 99,000; 99,000 / 12 = 8,250.00, all of it exempt. */
static void
test_thirteenth_month_from_the_years_basic_pay(void **state)
{
	int year = (int)scalar("SELECT extract(year FROM current_date)", NULL, NULL);
	char start[16], end[16];
	struct bd_db_result *res;
	long long run;

	(void)state;
	snprintf(start, sizeof(start), "%d-12-01", year);
	snprintf(end, sizeof(end), "%d-12-20", year);
	res = dbtest_named(pay1, "payroll.run_create",
			   BD_PARAMS("GLOBEX", "monthly", "thirteenth", start, end, end));
	run = strtoll(bd_db_result_get(res, 0, 0), NULL, 10);
	bd_db_result_free(res);
	dbtest_named_ok(pay1, "payroll.run_compute", BD_PARAMS("GLOBEX", num(run)));
	assert_int_equal(line_cents("GLOBEX", run, "G1", "THIRTEENTH"), 825000);
	assert_int_equal(line_cents("GLOBEX", run, "G1", "BASIC"), 0);
	assert_int_equal(scalar("SELECT (taxable * 100)::bigint FROM payroll.payslips WHERE run_id "
				"= $1::bigint",
				num(run), NULL),
			 0);
}

static void
test_us_employee_without_filing_status_refused(void **state)
{
	struct bd_err err;
	struct bd_db_result *res;
	long long run;

	(void)state;
	import_ok(pay1, BD_PAYROLL_IMPORT_EMPLOYEES, "TESTUS",
		  "number,name,hire_date,pay_group,country,rate\nNOFS,No Status,2024-01-01,weekly,"
		  "US,1000\n");
	res = dbtest_named(
	    pay1, "payroll.run_create",
	    BD_PARAMS("TESTUS", "weekly", "regular", "2025-03-03", "2025-03-09", "2025-03-10"));
	run = strtoll(bd_db_result_get(res, 0, 0), NULL, 10);
	bd_db_result_free(res);
	err = dbtest_named_refused(pay1, "payroll.run_compute", BD_PARAMS("TESTUS", num(run)));
	assert_string_equal(err.sqlstate, "BD001");
	assert_non_null(strstr(err.msg, "NOFS"));
}

/* ---- year-to-date ceilings: Social Security wage base, Additional Medicare ---- */

/* A monthly regular run of `client` for month/year, computed, and approved
 * by the second person when `approve`. */
static long long
month_run(const char *client, int year, int month, bool approve)
{
	char start[16], end[16];
	char *last;
	long long run;

	snprintf(start, sizeof(start), "%d-%02d-01", year, month);
	last = dbtest_text(
	    su, "SELECT ($1::date + interval '1 month' - interval '1 day')::date::text", start);
	snprintf(end, sizeof(end), "%s", last);
	free(last);
	run = compute(client, "monthly", start, end);
	if (approve) {
		long long v = run_version(client, run);

		dbtest_named_ok(pay1, "payroll.run_submit", BD_PARAMS(client, num(run), num(v)));
		v = run_version(client, run);
		dbtest_named_ok(pay2, "payroll.run_approve", BD_PARAMS(client, num(run), num(v)));
	}
	return run;
}

/* Social Security: 6.2% of wages up to the 2025 contribution and benefit
 * base of 176,100 (SSA, https://www.ssa.gov/oact/cola/cbb.html; EY Tax News
 * 2024-1870, https://taxnews.ey.com/news/2024-1870-social-security-wage-
 * base-to-increase-in-2025): at most 10,918.20 a year. Additional Medicare
 * Tax: 0.9% of the employee's wages over 200,000 in the calendar year,
 * withheld from the pay period in which they pass it (IRS Publication 15
 * (2025), section 9; https://www.irs.gov/taxtopics/tc560). Three monthly
 * runs, the first two final, so the third counts their wages: year-to-date
 * wages of 176,099 / 176,100 / 176,101 and 199,999 / 200,000 / 200,001
 * after the second. GLOBEX (its IRS account set), May to July of the
 * current year (the ledger's open year; the 2025 pack is the latest in
 * force; January to April are the arrears test's, without these people). */
static void
test_us_wage_base_and_additional_medicare_over_the_year(void **state)
{
	/* GLOBEX pays everyone a fixed 2,000.00 rice subsidy (an earning, so
	 * wages here): each rate is 2,000 under the month's wages commented */
	static const struct {
		const char *number, *rate;
		long long ss_feb, ss_mar, add_feb, add_mar; /* cents */
	} cases[] = {
	    /* wages 88,049.50 a month: 176,099 after two. Second month: 6.2% of
	     * 88,049.50 = 5,459.069 -> 5,459.07; third: the last dollar, 0.062 ->
	     * 0.06. Additional Medicare: 264,148.50 after three, 0.9% of the
	     * 64,148.50 over 200,000 = 577.3365 -> 577.34 */
	    {"F1", "86049.50", 545907, 6, 0, 57734},
	    /* 88,050: 176,100 exactly: 5,459.10 twice, the third nothing;
	     * 0.9% of 64,150 = 577.35 */
	    {"F2", "86050.00", 545910, 0, 0, 57735},
	    /* 88,050.50: 176,101: the second month only the 88,049.50 under the
	     * base: 5,459.07; 0.9% of 64,151.50 = 577.3635 -> 577.36 */
	    {"F3", "86050.50", 545907, 0, 0, 57736},
	    /* 99,999.50: the second month the 76,100.50 up to the base: 4,718.231
	     * -> 4,718.23. 199,999 after two: the third 0.9% of the 99,998.50
	     * over 200,000 = 899.9865 -> 899.99 */
	    {"F4", "97999.50", 471823, 0, 0, 89999},
	    /* 100,000: 76,100 -> 4,718.20; 200,000 after two: the second month
	     * nothing over; the third 0.9% of 100,000 = 900.00 */
	    {"F5", "98000.00", 471820, 0, 0, 90000},
	    /* 100,000.50: 76,099.50 -> 4,718.169 -> 4,718.17; 200,001 after two:
	     * the second month 0.9% of 1.00 = 0.009 -> 0.01; the third 0.9% of
	     * 100,000.50 = 900.0045 -> 900.00 */
	    {"F6", "98000.50", 471817, 0, 1, 90000},
	};
	int year = (int)scalar("SELECT extract(year FROM current_date)", NULL, NULL);
	struct strbuf csv = STRBUF_INIT;
	long long jan, feb, mar;
	size_t i;

	(void)state;
	strbuf_addstr(&csv, "number,name,hire_date,pay_group,country,filing_status,rate,"
			    "bank_account\n");
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		strbuf_addf(&csv, "%s,FICA,2024-01-01,monthly,US,single,%s,99887766\n",
			    cases[i].number, cases[i].rate);
	import_ok(pay1, BD_PAYROLL_IMPORT_EMPLOYEES, "GLOBEX", csv.buf);
	strbuf_release(&csv);
	jan = month_run("GLOBEX", year, 5, true);
	feb = month_run("GLOBEX", year, 6, true);
	mar = month_run("GLOBEX", year, 7, false);
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *n = cases[i].number;
		long long ss_jan = line_cents("GLOBEX", jan, n, "SS_EE");

		/* the first month: under both ceilings for everyone (at most 100,000.50) */
		if (line_cents("GLOBEX", jan, n, "MED_ADD") != 0)
			fail_msg("%s: Additional Medicare in January", n);
		if (line_cents("GLOBEX", feb, n, "SS_EE") != cases[i].ss_feb ||
		    line_cents("GLOBEX", mar, n, "SS_EE") != cases[i].ss_mar ||
		    line_cents("GLOBEX", feb, n, "MED_ADD") != cases[i].add_feb ||
		    line_cents("GLOBEX", mar, n, "MED_ADD") != cases[i].add_mar)
			fail_msg("%s: Social Security %lld %lld, Additional Medicare %lld %lld; "
				 "published %lld %lld, %lld %lld",
				 n, line_cents("GLOBEX", feb, n, "SS_EE"),
				 line_cents("GLOBEX", mar, n, "SS_EE"),
				 line_cents("GLOBEX", feb, n, "MED_ADD"),
				 line_cents("GLOBEX", mar, n, "MED_ADD"), cases[i].ss_feb,
				 cases[i].ss_mar, cases[i].add_feb, cases[i].add_mar);
		/* the employer's share stops at the same base */
		if (line_cents("GLOBEX", feb, n, "SS_ER") != cases[i].ss_feb)
			fail_msg("%s: employer Social Security %lld", n,
				 line_cents("GLOBEX", feb, n, "SS_ER"));
		/* each reaches the year's maximum, 176,100 x 6.2% */
		if (ss_jan + cases[i].ss_feb + cases[i].ss_mar != 1091820)
			fail_msg("%s: the year's Social Security is %lld, not 10,918.20", n,
				 ss_jan + cases[i].ss_feb + cases[i].ss_mar);
	}
}

/* ---- the checker's approval races the maker's recomputation ------------------ */

/* Waits until `user`'s connection waits for a lock (it is queued behind
 * the other connection's transaction). */
static void
wait_for_lock_waiter(const char *user)
{
	for (int i = 0; i < 6000; i++) {
		if (scalar("SELECT count(*) FROM pg_stat_activity WHERE usename = $1 "
			   "AND wait_event_type = 'Lock'",
			   user, NULL) > 0)
			return;
		usleep(10000);
	}
	fail_msg("%s never waited for a lock", user);
}

/* The reply of a query sent with bd_db_send(). */
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

/* Two real connections. pay2 saw version v of a submitted run; pay1, in a
 * transaction, recomputes and resubmits it; pay2's approval of v, sent
 * meanwhile, waits for pay1's transaction and is then refused: the run
 * changed after the checker saw it. Then the other way round: pay2's
 * approval holds the run; pay1's recomputation waits and is refused, the
 * run being final. */
static void
test_approval_racing_recompute_is_refused(void **state)
{
	int year = (int)scalar("SELECT extract(year FROM current_date)", NULL, NULL);
	long long run = month_run("GLOBEX", year, 8, false), v, v2;
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	char *before;

	(void)state;
	v = run_version("GLOBEX", run);
	dbtest_named_ok(pay1, "payroll.run_submit", BD_PARAMS("GLOBEX", num(run), num(v)));
	v = run_version("GLOBEX", run); /* what the checker's inbox shows */

	/* the maker recomputes inside a transaction, not yet committed */
	assert_int_equal(bd_db_begin(pay1, &err), 0);
	dbtest_named_ok(pay1, "payroll.run_compute", BD_PARAMS("GLOBEX", num(run)));
	v2 = dbtest_scalar(pay1, "SELECT version FROM payroll.runs WHERE run_id = $1::bigint",
			   BD_PARAMS(num(run)));
	dbtest_named_ok(pay1, "payroll.run_submit", BD_PARAMS("GLOBEX", num(run), num(v2)));
	/* the checker approves what they saw: it waits for the maker */
	assert_int_equal(
	    bd_db_send(pay2, "payroll.run_approve", BD_PARAMS("GLOBEX", num(run), num(v)), &err),
	    0);
	wait_for_lock_waiter("pay2");
	assert_int_equal(bd_db_commit(pay1, &err), 0);
	res = wait_reply(pay2, &err);
	assert_null(res);
	assert_string_equal(err.sqlstate, "BD003");
	assert_int_equal(scalar("SELECT count(*) FROM payroll.runs WHERE run_id = $1::bigint AND "
				"status = 'submitted' AND approver IS NULL AND entry_id IS NULL",
				num(run), NULL),
			 1);

	/* the other way round: the checker approves the version now shown,
	 * holding the run; the maker's recomputation waits, then is refused */
	v = run_version("GLOBEX", run);
	before = dbtest_text(su,
			     "SELECT string_agg(employee_id || ':' || code || ':' || amount, ',' "
			     "ORDER BY employee_id, code, line_for) FROM payroll.payslip_lines "
			     "WHERE run_id = $1::bigint",
			     num(run));
	assert_int_equal(bd_db_begin(pay2, &err), 0);
	dbtest_named_ok(pay2, "payroll.run_approve", BD_PARAMS("GLOBEX", num(run), num(v)));
	assert_int_equal(
	    bd_db_send(pay1, "payroll.run_compute", BD_PARAMS("GLOBEX", num(run)), &err), 0);
	wait_for_lock_waiter("pay1");
	assert_int_equal(bd_db_commit(pay2, &err), 0);
	res = wait_reply(pay1, &err);
	assert_null(res);
	assert_string_equal(err.sqlstate, "BD002");
	assert_int_equal(scalar("SELECT count(*) FROM payroll.runs WHERE run_id = $1::bigint AND "
				"status = 'final' AND approver = 'pay2' AND entry_id IS NOT NULL",
				num(run), NULL),
			 1);
	{
		char *after = dbtest_text(
		    su,
		    "SELECT string_agg(employee_id || ':' || code || ':' || amount, ',' "
		    "ORDER BY employee_id, code, line_for) FROM payroll.payslip_lines "
		    "WHERE run_id = $1::bigint",
		    num(run));

		assert_string_equal(after, before);
		free(after);
	}
	free(before);
}

/* ---- 13th month over the exemption (079) ----------------------------------- */

/* The cents of `what` (taxable or net) of employee `number`'s payslip in `run`. */
static long long
slip_cents(long long run, const char *number, const char *what)
{
	const char *p[] = {num(run), number};
	char sql[256];

	snprintf(sql, sizeof(sql),
		 "SELECT coalesce(sum(s.%s) * 100, 0)::bigint FROM payroll.payslips s JOIN "
		 "payroll.employees e USING (client_id, employee_id) WHERE s.run_id = $1::bigint "
		 "AND e.number = $2",
		 what);
	return dbtest_scalar(su, sql, 2, p);
}

/* 13th-month pay and other benefits are exempt up to 90,000 a year; the
 * excess is taxable compensation (NIRC sec. 32(B)(7)(e) as amended by the
 * TRAIN law, RA 10963; BIR RR 11-2018 sec. 2.78.1(B)(7)(e)), withheld on
 * with the pay of the period that pays it (the BIR semi-monthly table of
 * RR 11-2018 Annex E, bir_semi above, on the period's whole taxable pay,
 * less what its regular run withheld). The ceiling is the PH pack's value
 * BENEFITS_EXEMPT, shared by every earning naming it.
 * GLOBEX, semi-monthly, December 1-15 of this year: a regular run, final,
 * then a 13th-month run of the same period. BASIC of the regular run /
 * 12 is the 13th month: P1 1,079,988 -> 89,999; P2 1,080,000 -> 90,000; P3
 * 1,080,012 -> 90,001 (1.00 taxable); P4 540,000 -> 45,000 after a
 * Christmas bonus of 50,000 in the regular run (its own component, naming
 * the same ceiling): the year's benefits 95,000, so 5,000.00 of the 13th
 * month is taxable, the bonus none (the ceiling spans the two runs). */
static void
test_thirteenth_month_over_the_exemption_is_withheld_on(void **state)
{
	static const struct {
		const char *number, *rate;
		long long taxable; /* of the 13th-month run, cents */
	} cases[] = {{"P1", "2159976", 0},
		     {"P2", "2160000", 0},
		     {"P3", "2160024", 100},
		     {"P4", "1080000", 500000}};
	int year = (int)scalar("SELECT extract(year FROM current_date)", NULL, NULL);
	char start[16], end[16], csv[512];
	struct bd_db_result *res;
	long long reg, thr, v;
	size_t i;

	(void)state;
	snprintf(start, sizeof(start), "%d-12-01", year);
	snprintf(end, sizeof(end), "%d-12-15", year);
	dbtest_exec(su, "INSERT INTO payroll.components (client_id, effective_from, code, name, "
			"class, method, step, input_code, taxable, exempt_value, run_kinds) "
			"SELECT client_id, '2020-01-01', 'XMAS', 'Christmas bonus', 'earning', "
			"'fixed', 2, 'XMAS', true, 'BENEFITS_EXEMPT', '{regular}' "
			"FROM core.clients WHERE code = 'GLOBEX'");
	snprintf(csv, sizeof(csv),
		 "number,name,hire_date,pay_group,country,rate,bank_account\n"
		 "P1,Thirteenth,2020-01-01,semi_monthly,PH,%s,11112222\n"
		 "P2,Thirteenth,2020-01-01,semi_monthly,PH,%s,11112222\n"
		 "P3,Thirteenth,2020-01-01,semi_monthly,PH,%s,11112222\n"
		 "P4,Thirteenth,2020-01-01,semi_monthly,PH,%s,11112222\n",
		 cases[0].rate, cases[1].rate, cases[2].rate, cases[3].rate);
	import_ok(pay1, BD_PAYROLL_IMPORT_EMPLOYEES, "GLOBEX", csv);
	snprintf(csv, sizeof(csv), "number,on_date,code,amount\nP4,%d-12-05,XMAS,50000\n", year);
	import_ok(pay1, BD_PAYROLL_IMPORT_INPUTS, "GLOBEX", csv);

	res = dbtest_named(pay1, "payroll.run_create",
			   BD_PARAMS("GLOBEX", "semi_monthly", "regular", start, end, end));
	reg = strtoll(bd_db_result_get(res, 0, 0), NULL, 10);
	bd_db_result_free(res);
	dbtest_named_ok(pay1, "payroll.run_compute", BD_PARAMS("GLOBEX", num(reg)));
	/* the bonus is within the ceiling: none of it taxable */
	assert_int_equal(line_cents("GLOBEX", reg, "P4", "XMAS"), 5000000);
	assert_int_equal(dbtest_scalar(su,
				       "SELECT (l.taxable_amount * 100)::bigint FROM "
				       "payroll.payslip_lines l JOIN payroll.employees e USING "
				       "(client_id, employee_id) WHERE l.run_id = $1::bigint AND "
				       "e.number = 'P4' AND l.code = 'XMAS'",
				       1, (const char *[]){num(reg)}),
			 0);
	v = run_version("GLOBEX", reg);
	dbtest_named_ok(pay1, "payroll.run_submit", BD_PARAMS("GLOBEX", num(reg), num(v)));
	v = run_version("GLOBEX", reg);
	dbtest_named_ok(pay2, "payroll.run_approve", BD_PARAMS("GLOBEX", num(reg), num(v)));

	res = dbtest_named(pay1, "payroll.run_create",
			   BD_PARAMS("GLOBEX", "semi_monthly", "thirteenth", start, end, end));
	thr = strtoll(bd_db_result_get(res, 0, 0), NULL, 10);
	bd_db_result_free(res);
	dbtest_named_ok(pay1, "payroll.run_compute", BD_PARAMS("GLOBEX", num(thr)));
	assert_int_equal(line_cents("GLOBEX", thr, "P1", "THIRTEENTH"), 8999900);
	assert_int_equal(line_cents("GLOBEX", thr, "P2", "THIRTEENTH"), 9000000);
	assert_int_equal(line_cents("GLOBEX", thr, "P3", "THIRTEENTH"), 9000100);
	assert_int_equal(line_cents("GLOBEX", thr, "P4", "THIRTEENTH"), 4500000);
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *n = cases[i].number;
		/* the regular run's taxable pay and what it withheld, from the table */
		long long tx = slip_cents(reg, n, "taxable");
		long long before =
		    expected_tax(bir_semi, sizeof(bir_semi) / sizeof(*bir_semi), (double)tx / 100);
		long long after = expected_tax(bir_semi, sizeof(bir_semi) / sizeof(*bir_semi),
					       (double)(tx + cases[i].taxable) / 100);

		if (line_cents("GLOBEX", reg, n, "WTAX") != before)
			fail_msg("%s: the regular run withheld %lld, the table %lld", n,
				 line_cents("GLOBEX", reg, n, "WTAX"), before);
		if (slip_cents(thr, n, "taxable") != cases[i].taxable)
			fail_msg("%s: taxable %lld of the 13th month, not %lld", n,
				 slip_cents(thr, n, "taxable"), cases[i].taxable);
		/* withheld at the period's rate (35% here), not on the excess alone
		 * (which the table taxes at 0 under 10,417) */
		if (line_cents("GLOBEX", thr, n, "WTAX") != after - before)
			fail_msg("%s: the 13th-month run withheld %lld, the table %lld", n,
				 line_cents("GLOBEX", thr, n, "WTAX"), after - before);
	}
	assert_int_equal(line_cents("GLOBEX", thr, "P3", "WTAX"), 35);
	assert_int_equal(line_cents("GLOBEX", thr, "P4", "WTAX"), 175000);

	/* two earnings of one ceiling in one step: which takes the rest of the
	 * exemption would be chance, so the run is refused */
	dbtest_exec(su, "INSERT INTO payroll.components (client_id, effective_from, code, name, "
			"class, method, step, amount, taxable, exempt_value, run_kinds) "
			"SELECT client_id, '2020-01-01', 'GIFT', 'Gift', 'earning', 'fixed', 5, "
			"100, true, 'BENEFITS_EXEMPT', '{thirteenth}' "
			"FROM core.clients WHERE code = 'GLOBEX'");
	{
		struct bd_err err = dbtest_named_refused(pay1, "payroll.run_compute",
							 BD_PARAMS("GLOBEX", num(thr)));

		assert_string_equal(err.sqlstate, "BD001");
		assert_non_null(strstr(err.msg, "BENEFITS_EXEMPT"));
	}
	dbtest_exec(su, "DELETE FROM payroll.components WHERE code = 'GIFT'");
}

/* ---- US Form W-4 steps 2 to 4 (079) ------------------------------------------- */

/* IRS Publication 15-T (2025), section 1, the Form W-4, Step 2, Checkbox,
 * Withholding Rate Schedules of the 2025 Annual Percentage Method table
 * (https://www.irs.gov/pub/irs-pdf/p15t.pdf), as printed: "at least", the
 * tentative amount, the percentage. (Cross-checked: half the 2025 brackets
 * of Rev. Proc. 2024-40 plus half the standard deduction; and the same
 * figures in three third-party transcriptions found by the code search.) */
static const struct bracket fit2_single[] = {{0, 0, 0},
					     {7500, 0, 10},
					     {13463, 596.25, 12},
					     {31738, 2789.25, 22},
					     {59175, 8825.50, 24},
					     {106150, 20099.50, 32},
					     {132763, 28615.50, 35},
					     {320675, 94384.88, 37}};
static const struct bracket fit2_married[] = {{0, 0, 0},
					      {15000, 0, 10},
					      {26925, 1192.50, 12},
					      {63475, 5578.50, 22},
					      {118350, 17651.00, 24},
					      {212300, 40199.00, 32},
					      {265525, 57231.00, 35},
					      {390800, 101077.25, 37}};
static const struct bracket fit2_head[] = {{0, 0, 0},
					   {11250, 0, 10},
					   {19750, 850.00, 12},
					   {43675, 3721.00, 22},
					   {62925, 7956.00, 24},
					   {109900, 19230.00, 32},
					   {136500, 27742.00, 35},
					   {324425, 93515.75, 37}};

static void
field_set(const char *number, const char *field, const char *value)
{
	dbtest_named_ok(pay1, "payroll.employee_field_set",
			BD_PARAMS("TESTW4", number, field, value));
}

/* Worksheet 1A (Pub. 15-T 2025) for a monthly payroll with the W-4's steps:
 * 1d step 4(a) and 1f step 4(b) (annual), 1g 0 with the step 2 box checked
 * (then the Checkbox schedule); 3a step 3 (annual credits), 3b = 3a / 12,
 * 3c = 2h - 3b not below 0; 4a step 4(c) added: line 4b. */
static void
test_us_w4_steps_2_to_4(void **state)
{
	static const struct {
		const char *status;
		const struct bracket *b;
	} tables[] = {{"single", fit2_single}, {"married", fit2_married}, {"head", fit2_head}};
	struct strbuf csv = STRBUF_INIT;
	struct bd_err err;
	long long run;
	size_t s, i;
	int d;

	(void)state;
	setup_client("TESTW4");
	strbuf_addstr(&csv, "number,name,hire_date,pay_group,country,filing_status,rate\n"
			    "W1,W,2024-01-01,monthly,US,single,5000\n"
			    "W2,W,2024-01-01,monthly,US,married,8000\n"
			    "W3,W,2024-01-01,monthly,US,head,3000\n"
			    "W4,W,2024-01-01,monthly,US,single,1000\n"
			    "W5,W,2024-01-01,monthly,US,married,10000\n"
			    "W6,W,2024-01-01,monthly,US,head,6000\n"
			    "W7,W,2024-01-01,monthly,US,single,4166.67\n"
			    "WPH,W,2024-01-01,monthly,PH,,30000\n");
	/* the Checkbox schedules a dollar below, at and above each row (the
	 * first's at and above: a wage is not negative) */
	for (s = 0; s < 3; s++)
		for (i = 0; i < 8; i++)
			for (d = i ? -1 : 0; d <= 1; d++)
				strbuf_addf(&csv, "K%zu%zu%c,K,2024-01-01,monthly,US,%s,%.2f\n", s,
					    i, "bat"[d + 1], tables[s].status,
					    (tables[s].b[i].lo + d * 12) / 12.0);
	import_ok(pay1, BD_PAYROLL_IMPORT_EMPLOYEES, "TESTW4", csv.buf);
	strbuf_release(&csv);
	field_set("W1", "W4_STEP2", "1");
	field_set("W2", "W4_STEP3", "4000");
	field_set("W2", "W4_4A", "6000");
	field_set("W2", "W4_4B", "12000");
	field_set("W2", "W4_4C", "25");
	field_set("W3", "W4_STEP3", "5000");
	field_set("W4", "W4_4B", "20000");
	field_set("W4", "W4_4C", "10");
	field_set("W5", "w4_step2", "1");
	field_set("W6", "W4_STEP2", "1");
	field_set("W6", "W4_4C", "50");
	field_set("W7", "W4_4C", "5");
	field_set("W7", "W4_4C", NULL); /* cleared */
	for (s = 0; s < 3; s++)
		for (i = 0; i < 8; i++)
			for (d = i ? -1 : 0; d <= 1; d++) {
				char who[8];

				snprintf(who, sizeof(who), "K%zu%zu%c", s, i, "bat"[d + 1]);
				field_set(who, "W4_STEP2", "1");
			}
	/* the pack declares the fields: a PH employee has none; a flag is 0 or 1 */
	err = dbtest_named_refused(pay1, "payroll.employee_field_set",
				   BD_PARAMS("TESTW4", "WPH", "W4_STEP2", "1"));
	assert_string_equal(err.sqlstate, "BD001");
	err = dbtest_named_refused(pay1, "payroll.employee_field_set",
				   BD_PARAMS("TESTW4", "W1", "W4_STEP2", "2"));
	assert_string_equal(err.sqlstate, "BD001");
	err = dbtest_named_refused(pay1, "payroll.employee_field_set",
				   BD_PARAMS("TESTW4", "W1", "W4_STEP9", "2"));
	assert_string_equal(err.sqlstate, "BD001");

	run = compute("TESTW4", "monthly", "2025-02-01", "2025-02-28");
	/* by hand through Worksheet 1A:
	 * W1 single, 5,000, step 2 checked: 1c 60,000, 1g 0, 1i 60,000; the
	 * Checkbox 59,175 row: 8,825.50 + 24% x 825 = 9,023.50; / 12 = 751.96 */
	assert_int_equal(line_cents("TESTW4", run, "W1", "FIT"), 75196);
	/* W2 married, 8,000: 1c 96,000 + 4(a) 6,000 = 1e 102,000; 1f 12,000 +
	 * 1g 12,900 = 1h 24,900; 1i 77,100; the standard 40,950 row: 2,385 +
	 * 12% x 36,150 = 6,723; 2h 560.25; 3b 4,000 / 12 = 333.33..; 3c
	 * 226.9166..; + 4(c) 25 = 251.92 */
	assert_int_equal(line_cents("TESTW4", run, "W2", "FIT"), 25192);
	/* W3 head, 3,000: 1i 36,000 - 8,600 = 27,400; the 13,900 row: 10% x
	 * 13,500 = 1,350; 2h 112.50; credits 5,000 / 12 = 416.67: 3c is 0 */
	assert_int_equal(line_cents("TESTW4", run, "W3", "FIT"), 0);
	/* W4 single, 1,000: 1i 12,000 - (20,000 + 8,600) below 0: 0; + 4(c) 10 */
	assert_int_equal(line_cents("TESTW4", run, "W4", "FIT"), 1000);
	/* W5 married, 10,000, step 2: 1i 120,000; the Checkbox 118,350 row:
	 * 17,651 + 24% x 1,650 = 18,047; / 12 = 1,503.9166.. = 1,503.92 */
	assert_int_equal(line_cents("TESTW4", run, "W5", "FIT"), 150392);
	/* W6 head, 6,000, step 2, 4(c) 50: 1i 72,000; the Checkbox 62,925 row:
	 * 7,956 + 24% x 9,075 = 10,134; / 12 = 844.50; + 50 = 894.50 */
	assert_int_equal(line_cents("TESTW4", run, "W6", "FIT"), 89450);
	/* W7: the 4(c) set then cleared: as without a W-4 step (330.13, the
	 * Worksheet 1A case of test_us_federal_withholding_at_every_bracket) */
	assert_int_equal(line_cents("TESTW4", run, "W7", "FIT"), 33013);
	for (s = 0; s < 3; s++)
		for (i = 0; i < 8; i++)
			for (d = i ? -1 : 0; d <= 1; d++) {
				char who[8], cents[32];
				long long want;

				snprintf(who, sizeof(who), "K%zu%zu%c", s, i, "bat"[d + 1]);
				snprintf(cents, sizeof(cents), "%.2f",
					 (tables[s].b[i].lo + d * 12) / 12.0);
				want = worksheet_1a_monthly(tables[s].b, 0, strtod(cents, NULL));
				if (line_cents("TESTW4", run, who, "FIT") != want)
					fail_msg(
					    "%s step 2 checked, monthly %s: FIT %lld, Worksheet "
					    "1A %lld",
					    tables[s].status, cents,
					    line_cents("TESTW4", run, who, "FIT"), want);
			}
}

/* ---- a refused new run names its field (the Pay runs screen's F6) ---------- */

static void
test_run_create_refusal_names_the_field(void **state)
{
	static const struct {
		const char *group, *kind, *start, *end, *pay, *field;
	} cases[] = {
	    {"yearly", "regular", "2025-01-01", "2025-01-31", "2025-01-31", "pay_group"},
	    {"monthly", "bonus", "2025-01-01", "2025-01-31", "2025-01-31", "kind"},
	    {"monthly", "offcycle", "2025-01-31", "2025-01-01", "2025-01-31", "period_end"},
	    {"monthly", "offcycle", "2025-01-01", "2025-03-31", "2025-01-31", "period_end"},
	    {"monthly", "offcycle", "2025-01-01", "2025-01-31", NULL, "pay_date"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct bd_err err =
		    dbtest_named_refused(pay1, "payroll.run_create",
					 BD_PARAMS("TESTW4", cases[i].group, cases[i].kind,
						   cases[i].start, cases[i].end, cases[i].pay));

		assert_string_equal(err.sqlstate, "BD001");
		assert_string_equal(err.field, cases[i].field);
	}
}

/* ---- a corrected pack ---------------------------------------------------------- */

/* A corrected pack is a new version in force from the same date as the one
 * it corrects (runs keep the figures they were computed with): runs
 * computed after it is loaded take the higher version. Loaded last: the
 * tests above use the shipped version. */
static void
test_corrected_pack_version_wins(void **state)
{
	static const char pack[] =
	    "record,code,name,version,country,effective_from,class,method,step,amount\n"
	    "pack,PH,Philippines corrected,4,PH,2025-01-01,,,,\n"
	    "component,XFIX,Corrected figure,,,,deduction,fixed,10,123.45\n";
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	long long run;

	(void)state;
	res = dbtest_query(su, "SELECT payroll.pack_load_csv('corrected.csv', $1)", BD_PARAMS(pack),
			   &err);
	if (!res)
		fail_msg("pack load: %s", err.msg);
	bd_db_result_free(res);
	run = compute("TESTHDMF", "monthly", "2025-09-01", "2025-09-30");
	assert_int_equal(line_cents("TESTHDMF", run, "H7", "XFIX"), 12345);
	assert_int_equal(line_cents("TESTHDMF", run, "H7", "HDMF_EE"), 0);
}

/* ---- a run computed in parts (088) ------------------------------------------ */

/* What a compute left of run `run`: its lines, payslips, accounts paid and
 * totals with the posting sums, in key order, as one digest. */
static char *
run_image(long long run)
{
	return dbtest_text(
	    su,
	    "SELECT count(*) || ' ' || md5(string_agg(x, '|' ORDER BY x)) FROM ("
	    "SELECT concat_ws(' ', employee_id, code, line_for, name, class, step, base, quantity, "
	    "rate, amount, taxable_amount, agency, expense_account, liability_account) x "
	    "FROM payroll.payslip_lines WHERE run_id = $1::bigint "
	    "UNION ALL SELECT concat_ws(' ', 'slip', employee_id, gross, taxable, deductions, net, "
	    "employer, exceptions) FROM payroll.payslips WHERE run_id = $1::bigint "
	    "UNION ALL SELECT concat_ws(' ', 'account', employee_id, bank_name, bank_bic, "
	    "bank_account) FROM payroll.run_accounts WHERE run_id = $1::bigint "
	    "UNION ALL SELECT concat_ws(' ', 'run', status, computed_at IS NOT NULL, employees, "
	    "gross, deductions, net, employer, posting) FROM payroll.runs "
	    "WHERE run_id = $1::bigint) t",
	    num(run));
}

/* The same run computed whole by one session and in three parts by three
 * sessions at once (bd_payroll_run_compute, as the screen and the command
 * do it): the same lines, payslips, accounts, totals and posting sums. On
 * GLOBEX's year to date (two final runs before: wage bases, exempt pools,
 * arrears) and ACME's Philippine pack. */
static void
test_run_in_parts_equals_whole_run(void **state)
{
	int year = (int)scalar("SELECT extract(year FROM current_date)", NULL, NULL);
	struct bd_err err = BD_ERR_INIT;
	const char *clients[] = {"GLOBEX", "ACME"};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(clients); i++) {
		long long run = i == 0 ? month_run("GLOBEX", year, 9, false)
				       : compute("ACME", "monthly", "2031-01-01", "2031-01-31");
		char *whole = run_image(run), *parted;
		long n;

		assert_true(scalar("SELECT employees FROM payroll.runs WHERE run_id = $1::bigint",
				   num(run), NULL) >= 3);
		n = bd_payroll_run_compute(pay1, clients[i], num(run), 3, 1, NULL, &err);
		if (n < 0)
			fail_msg("%s: %s", clients[i], err.msg);
		parted = run_image(run);
		assert_string_equal(parted, whole);
		assert_int_equal(n, scalar("SELECT count(*) FROM payroll.payslips WHERE run_id = "
					   "$1::bigint",
					   num(run), NULL));
		/* the parts are gone with the end */
		assert_int_equal(
		    scalar("SELECT count(*) FROM payroll.run_parts WHERE run_id = $1::bigint",
			   num(run), NULL),
		    0);
		free(parted);
		free(whole);
	}
}

/* A compute in parts: the ranges hold every employee of the run once; the
 * run cannot be submitted before its end, nor ended before every part;
 * a part is computed once; a recompute begun meanwhile makes the older
 * compute's parts and end refused; the parts are nobody's to read, and only
 * payroll operators compute. */
static void
test_parts_of_a_superseded_compute_refused(void **state)
{
	long long run = compute("ACME", "monthly", "2031-02-01", "2031-02-28"), v, v2;
	struct bd_db_result *res;
	struct bd_db *who[] = {pay1, acct1, clerk1};
	struct bd_err err;
	size_t i;

	(void)state;
	res =
	    dbtest_named(pay1, "payroll.run_compute_begin", BD_PARAMS("ACME", num(run), "3", "1"));
	v = strtoll(dbtest_col(res, 0, "version"), NULL, 10);
	assert_string_equal(dbtest_col(res, 0, "parts"), "3");
	bd_db_result_free(res);
	assert_int_equal(
	    scalar("SELECT count(*) FROM payroll.runs r, "
		   "payroll.run_employees(r.client_id, r, 0, 9223372036854775807) e "
		   "WHERE r.run_id = $1::bigint AND (SELECT count(*) FROM payroll.run_parts p "
		   "WHERE p.run_id = r.run_id AND e.employee_id BETWEEN p.lo AND p.hi) <> 1",
		   num(run), NULL),
	    0);
	assert_int_equal(scalar("SELECT (min(lo) = 0 AND max(hi) = 9223372036854775807)::int FROM "
				"payroll.run_parts WHERE run_id = $1::bigint",
				num(run), NULL),
			 1);
	err = dbtest_named_refused(pay1, "payroll.run_submit", BD_PARAMS("ACME", num(run), num(v)));
	assert_string_equal(err.sqlstate, "BD003");
	err = dbtest_named_refused(pay1, "payroll.run_compute_end",
				   BD_PARAMS("ACME", num(run), num(v)));
	assert_string_equal(err.sqlstate, "BD003");
	assert_non_null(strstr(err.msg, "not computed yet"));
	dbtest_named_ok(pay1, "payroll.run_compute_part", BD_PARAMS("ACME", num(run), num(v), "0"));
	err = dbtest_named_refused(pay2, "payroll.run_compute_part",
				   BD_PARAMS("ACME", num(run), num(v), "0"));
	assert_string_equal(err.sqlstate, "BD003");

	/* recomputed meanwhile (by the other payroll operator) */
	res =
	    dbtest_named(pay2, "payroll.run_compute_begin", BD_PARAMS("ACME", num(run), "2", "1"));
	v2 = strtoll(dbtest_col(res, 0, "version"), NULL, 10);
	bd_db_result_free(res);
	assert_true(v2 != v);
	err = dbtest_named_refused(pay1, "payroll.run_compute_part",
				   BD_PARAMS("ACME", num(run), num(v), "1"));
	assert_string_equal(err.sqlstate, "BD003");
	assert_non_null(strstr(err.msg, "compute it again"));
	err = dbtest_named_refused(pay1, "payroll.run_compute_end",
				   BD_PARAMS("ACME", num(run), num(v)));
	assert_string_equal(err.sqlstate, "BD003");
	assert_int_equal(scalar("SELECT count(*) FROM payroll.payslips WHERE run_id = $1::bigint",
				num(run), NULL),
			 0);

	/* the parts are the functions' alone; a clerk or accountant computes nothing */
	for (i = 0; i < NELEM(who); i++) {
		assert_true(
		    dbtest_fails(who[i], "SELECT count(*) FROM payroll.run_parts", 0, NULL, &err));
		assert_string_equal(err.sqlstate, "42501");
	}
	err = dbtest_named_refused(acct1, "payroll.run_compute_begin",
				   BD_PARAMS("ACME", num(run), "2", "1"));
	assert_string_equal(err.sqlstate, "42501");

	/* the newer compute ends */
	dbtest_named_ok(pay2, "payroll.run_compute_part",
			BD_PARAMS("ACME", num(run), num(v2), "1"));
	dbtest_named_ok(pay2, "payroll.run_compute_part",
			BD_PARAMS("ACME", num(run), num(v2), "0"));
	dbtest_named_ok(pay2, "payroll.run_compute_end", BD_PARAMS("ACME", num(run), num(v2)));
	assert_int_equal(
	    scalar("SELECT (employees = (SELECT count(*) FROM payroll.payslips WHERE "
		   "run_id = $1::bigint) AND employees > 0 AND computed_by = 'pay2' AND "
		   "net = (SELECT sum(net) FROM payroll.payslips WHERE run_id = "
		   "$1::bigint))::int FROM payroll.runs WHERE run_id = $1::bigint",
		   num(run), NULL),
	    1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_payroll_rows_invisible_to_others),
	    cmocka_unit_test(test_reveal_is_audited),
	    cmocka_unit_test(test_register_flags_exceptions),
	    cmocka_unit_test(test_maker_cannot_approve_and_changed_run_refused),
	    cmocka_unit_test(test_posted_entry_balances_and_equals_register),
	    cmocka_unit_test(test_final_payslip_cannot_change),
	    cmocka_unit_test(test_arrears_two_periods_back_paid_once),
	    cmocka_unit_test(test_reject_needs_a_reason_and_returns_to_draft),
	    cmocka_unit_test(test_recompute_of_submitted_run_notifies_approvals),
	    cmocka_unit_test(test_thirteenth_month_from_the_years_basic_pay),
	    cmocka_unit_test(test_import_refused_whole_with_file_and_line),
	    cmocka_unit_test(test_seed_packs_are_the_shipped_files),
	    cmocka_unit_test(test_bir_withholding_at_every_bracket),
	    cmocka_unit_test(test_sss_philhealth_pagibig_at_boundaries),
	    cmocka_unit_test(test_pagibig_bands_at_boundaries),
	    cmocka_unit_test(test_us_federal_withholding_at_every_bracket),
	    cmocka_unit_test(test_us_employee_without_filing_status_refused),
	    cmocka_unit_test(test_us_wage_base_and_additional_medicare_over_the_year),
	    cmocka_unit_test(test_approval_racing_recompute_is_refused),
	    cmocka_unit_test(test_thirteenth_month_over_the_exemption_is_withheld_on),
	    cmocka_unit_test(test_us_w4_steps_2_to_4),
	    cmocka_unit_test(test_run_create_refusal_names_the_field),
	    cmocka_unit_test(test_corrected_pack_version_wins),
	    cmocka_unit_test(test_run_in_parts_equals_whole_run),
	    cmocka_unit_test(test_parts_of_a_superseded_compute_refused),
	};
	int rc;

	dbtest_start(&t, true);
	su = dbtest_connect(&t, NULL);
	pay1 = dbtest_connect(&t, "pay1");
	pay2 = dbtest_connect(&t, "pay2");
	pay3 = dbtest_connect(&t, "pay3");
	acct1 = dbtest_connect(&t, "acct1");
	clerk1 = dbtest_connect(&t, "clerk1");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	bd_db_free(clerk1);
	bd_db_free(acct1);
	bd_db_free(pay3);
	bd_db_free(pay2);
	bd_db_free(pay1);
	bd_db_free(su);
	dbtest_stop(&t);
	return rc;
}
