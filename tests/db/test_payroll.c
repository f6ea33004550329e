/*
 * Payroll (040_payroll.sql, sql/functions/payroll/) against the real
 * database: privacy, maker-checker through the approvals registry, final
 * payslips, the one posted entry, arrears, CSV imports all or nothing, and
 * every statutory table at its boundaries (a peso below, at and above),
 * each expected value computed here from the published table, cited where
 * its rows are typed in.
 */
#include "dbtest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backdesk/embedded.h"
#include "backdesk/payroll.h"

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
	struct strbuf csv = STRBUF_INIT;
	long long mrun, srun;
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
		}
	import_ok(pay1, BD_PAYROLL_IMPORT_EMPLOYEES, "TAXONLY", csv.buf);
	strbuf_release(&csv);
	mrun = compute("TAXONLY", "monthly", "2025-03-01", "2025-03-31");
	srun = compute("TAXONLY", "semi_monthly", "2025-03-01", "2025-03-15");
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
		}
	/* two literal checks, by hand from the monthly table (b below, a at, t
	 * above the floor):
	 * 33,334: 1,875.00 + 20% of 1 = 1,875.20; 20,834: 15% of 1 = 0.15 */
	assert_int_equal(line_cents("TAXONLY", mrun, "M1t", "WTAX"), 187520);
	assert_int_equal(line_cents("TAXONLY", mrun, "M0t", "WTAX"), 15);
}

/* SSS 2025: MSC = 5,000 below 5,250, then each 500 step from 250 below it,
 * 35,000 from 34,750; EE 5%, ER 10% of the MSC; EC 10 below an MSC of
 * 15,000 and 30 from it (https://taxcalculatorphilippines.com/
 * sss-contribution-table-employees-employers; pinoybenefits: minimum EE 250
 * ER 510, maximum EE 1,750 ER 3,530). PhilHealth 2025: 5% of the monthly
 * basic salary within 10,000..100,000, shared equally (PhilHealth Advisory
 * 2025-0002, https://malaya.com.ph/news/national-news/
 * philhealth-premium-rate-stays-at-5/). Pag-IBIG: 2% each of compensation
 * up to 10,000 (HDMF Circular 460, https://pinoybenefits.com/rates/pagibig/2024). */
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

/* IRS Publication 15-T (2025), Worksheet 1A, STANDARD withholding, annual
 * payroll period (https://www.irs.gov/pub/irs-pdf/p15t.pdf): the 2025
 * brackets (Rev. Proc. 2024-40) shifted by 6,400 (single or married filing
 * separately), 17,100 (married filing jointly), 13,900 (head of household).
 * Social Security 6.2% and Medicare 1.45% (https://taxnews.ey.com/news/
 * 2024-1870-social-security-wage-base-to-increase-in-2025). */
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

static void
test_us_federal_withholding_at_every_bracket(void **state)
{
	static const struct {
		const char *status;
		const struct bracket *b;
	} tables[] = {{"single", fit_single}, {"married", fit_married}, {"head", fit_head}};
	struct strbuf csv = STRBUF_INIT;
	long long run;
	size_t s, i;
	int d;

	(void)state;
	setup_client("TESTUS");
	strbuf_addstr(&csv, "number,name,hire_date,pay_group,country,filing_status,rate\n");
	/* monthly pay of (boundary + d x 12) / 12 at whole cents: annualised, a
	 * dollar below, at (within cents) and above each bracket's floor */
	for (s = 0; s < 3; s++)
		for (i = 1; i < 8; i++)
			for (d = -1; d <= 1; d++)
				strbuf_addf(&csv, "U%zu%zu%c,U,2024-01-01,monthly,US,%s,%.2f\n", s,
					    i, "bat"[d + 1], tables[s].status,
					    (tables[s].b[i].lo + d * 12) / 12.0);
	import_ok(pay1, BD_PAYROLL_IMPORT_EMPLOYEES, "TESTUS", csv.buf);
	strbuf_release(&csv);
	run = compute("TESTUS", "monthly", "2025-02-01", "2025-02-28");
	for (s = 0; s < 3; s++)
		for (i = 1; i < 8; i++)
			for (d = -1; d <= 1; d++) {
				char who[8], cents[32];
				double monthly, annual, tax;
				long long want;

				snprintf(who, sizeof(who), "U%zu%zu%c", s, i, "bat"[d + 1]);
				snprintf(cents, sizeof(cents), "%.2f",
					 (tables[s].b[i].lo + d * 12) / 12.0);
				monthly = strtod(cents, NULL);
				annual = monthly * 12;
				{
					size_t k = 0;

					while (k + 1 < 8 && tables[s].b[k + 1].lo <= annual + 1e-9)
						k++;
					tax = tables[s].b[k].fixed + (annual - tables[s].b[k].lo) *
									 tables[s].b[k].pct / 100;
				}
				want = (long long)(tax / 12 * 100 + 0.5 + 1e-7);
				if (line_cents("TESTUS", run, who, "FIT") != want)
					fail_msg("%s annual %.2f: FIT %lld, table %lld",
						 tables[s].status, annual,
						 line_cents("TESTUS", run, who, "FIT"), want);
				if (line_cents("TESTUS", run, who, "SS_EE") !=
				    (long long)(monthly * 6.2 + 0.5 + 1e-7))
					fail_msg("Social Security on %.2f", monthly);
			}
	/* literal, by hand: married, 40,950/yr = 3,412.50 a month: 2,385.00 / 12 = 198.75 */
	assert_int_equal(line_cents("TESTUS", run, "U12a", "FIT"), 19875);
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
	    cmocka_unit_test(test_thirteenth_month_from_the_years_basic_pay),
	    cmocka_unit_test(test_import_refused_whole_with_file_and_line),
	    cmocka_unit_test(test_seed_packs_are_the_shipped_files),
	    cmocka_unit_test(test_bir_withholding_at_every_bracket),
	    cmocka_unit_test(test_sss_philhealth_pagibig_at_boundaries),
	    cmocka_unit_test(test_us_federal_withholding_at_every_bracket),
	    cmocka_unit_test(test_us_employee_without_filing_status_refused),
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
