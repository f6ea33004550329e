/*
 * Payroll's outputs against the real database (the demo's ACME run,
 * computed by pay1 and approved here by pay2): every payslip PDF opens in
 * a PDF reader with the employee's name and the net pay the database
 * computed; the bank file parses with xmllint and its control sum equals
 * the net pay of the employees it pays (the one without a bank account is
 * told, not paid silently); nothing is paid before approval; remittances,
 * year to date and the certificate figures add up to the payslips; the
 * inputs grid's save replaces a draft run's inputs, names the refused
 * field, and is refused for a run submitted; accountants and clerks read
 * none of it.
 */
#include "dbtest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/modules/payroll/payroll_out_internal.h"
#include "backdesk/command.h"
#include "backdesk/csv.h"
#include "backdesk/money.h"
#include "backdesk/payroll.h"

static struct dbtest t;
static struct bd_db *su, *pay1, *pay2;
static char run[24];
static char tmpdir[] = "/tmp/bd_payroll_out_XXXXXX";

static char *
path_of(const char *file)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", tmpdir, file);
	return buf;
}

static int64_t
minor(const char *numeric)
{
	int64_t v;
	struct bd_err err = BD_ERR_INIT;

	if (bd_money_from_numeric(numeric, 2, &v, &err) < 0)
		fail_msg("%s: %s", numeric, err.msg);
	return v;
}

/* Before approval: no bank file, whatever the format. */
static void
nothing_paid_before_approval(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	struct strbuf left = STRBUF_INIT;
	FILE *f = fopen(path_of("early.xml"), "w");

	(void)state;
	assert_int_equal(po_bank_file(pay1, "ACME", run, PO_BANK_XML, "001234567890", "BOPIPHMM", f,
				      NULL, &left, &err),
			 -1);
	fclose(f);
	if (!strstr(err.msg, "not approved"))
		fail_msg("%s", err.msg);
	strbuf_release(&left);
}

static void
approve(void **state)
{
	char *version =
	    dbtest_text(su, "SELECT version::text FROM payroll.runs WHERE run_id = $1", run);

	(void)state;
	dbtest_named_ok(pay2, "approvals.approve", BD_PARAMS("payroll.run", "ACME", run, version));
	free(version);
}

static void
payslip_pdfs(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	size_t n;
	long long want =
	    dbtest_scalar(su, "SELECT count(*) FROM payroll.payslips WHERE run_id = $1", 1,
			  (const char *[]){run});

	(void)state;
	if (po_payslip_pdfs(pay1, "ACME", run, tmpdir, NULL, NULL, &n, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(n, want);
	assert_true(n >= 40);
	/* Three of them read back: the name and the net pay the database has. */
	res = dbtest_query(su,
			   "SELECT e.number, e.name, s.net::text FROM payroll.payslips s "
			   "JOIN payroll.employees e USING (client_id, employee_id) "
			   "WHERE s.run_id = $1 ORDER BY e.number LIMIT 3",
			   1, (const char *[]){run}, &err);
	assert_non_null(res);
	for (int i = 0; i < bd_db_result_rows(res); i++) {
		struct strbuf text = STRBUF_INIT, net = STRBUF_INIT, file = STRBUF_INIT;

		strbuf_addf(&file, "%s/%s.pdf", tmpdir, bd_db_result_get(res, i, 0));
		{
			const char *argv[] = {"pdftotext", "-enc", "UTF-8", file.buf, "-", NULL};

			assert_int_equal(bd_cli_run_program(argv, &text, &err), 0);
		}
		bd_money_format(&net, minor(bd_db_result_get(res, i, 2)), 2, BD_MONEY_GROUPED);
		if (!strstr(text.buf, bd_db_result_get(res, i, 1)) || !strstr(text.buf, net.buf))
			fail_msg("%s lacks %s or %s:\n%s", file.buf, bd_db_result_get(res, i, 1),
				 net.buf, text.buf);
		strbuf_release(&text);
		strbuf_release(&net);
		strbuf_release(&file);
	}
	bd_db_result_free(res);
}

static void
bank_file_adds_up(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_bank_totals tot;
	struct strbuf left = STRBUF_INIT, out = STRBUF_INIT, text = STRBUF_INIT;
	FILE *f = fopen(path_of("bank.xml"), "w");
	char *paid, *missing, *count;

	(void)state;
	if (po_bank_file(pay1, "ACME", run, PO_BANK_XML, "001234567890", "BOPIPHMM", f, &tot, &left,
			 &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(fclose(f), 0);
	/* Independently: the net pay of those with an account, and who has none. */
	paid = dbtest_text(su,
			   "SELECT sum(s.net)::text FROM payroll.payslips s "
			   "JOIN payroll.employee_private p USING (client_id, employee_id) "
			   "WHERE s.run_id = $1 AND s.net > 0 AND p.bank_account IS NOT NULL",
			   run);
	count = dbtest_text(su,
			    "SELECT count(*)::text FROM payroll.payslips s "
			    "JOIN payroll.employee_private p USING (client_id, employee_id) "
			    "WHERE s.run_id = $1 AND s.net > 0 AND p.bank_account IS NOT NULL",
			    run);
	missing = dbtest_text(su,
			      "SELECT string_agg(e.number, ' ') FROM payroll.payslips s "
			      "JOIN payroll.employees e USING (client_id, employee_id) "
			      "LEFT JOIN payroll.employee_private p USING (client_id, employee_id) "
			      "WHERE s.run_id = $1 AND s.net > 0 AND p.bank_account IS NULL",
			      run);
	assert_int_equal(tot.sum, minor(paid));
	assert_int_equal(tot.count, strtoll(count, NULL, 10));
	if (!*missing || !strstr(left.buf, missing))
		fail_msg("left out: '%s', expected '%s'", left.buf, missing);
	{
		const char *argv[] = {"xmllint", "--noout", path_of("bank.xml"), NULL};

		if (bd_cli_run_program(argv, &out, &err) != 0)
			fail_msg("xmllint: %s", out.buf);
	}
	/* The control sums as written in the file, read by xmllint itself. */
	{
		const char *argv[] = {"xmllint", "--xpath", "//*[local-name()='CtrlSum']/text()",
				      path_of("bank.xml"), NULL};
		struct strbuf sum = STRBUF_INIT, want = STRBUF_INIT;

		assert_int_equal(bd_cli_run_program(argv, &text, &err), 0);
		bd_money_format(&sum, minor(paid), 2, BD_MONEY_PLAIN);
		/* GrpHdr's and PmtInf's, a line each */
		strbuf_addf(&want, "%s\n%s\n", sum.buf, sum.buf);
		assert_string_equal(text.buf, want.buf);
		strbuf_release(&sum);
		strbuf_release(&want);
	}
	free(paid);
	free(count);
	free(missing);
	strbuf_release(&left);
	strbuf_release(&out);
	strbuf_release(&text);
}

/* Remittances per agency equal the lines; the certificate's gross and tax
 * equal the year's payslips; year to date equals the payslips. */
static void
reports_add_up(void **state)
{
	struct bd_db_result *rem, *cert, *ytd;
	char year[8];
	long long agencies;

	(void)state;
	rem = dbtest_named(pay1, "payroll.out_remittance", BD_PARAMS("ACME", run));
	agencies = dbtest_scalar(su,
				 "SELECT count(DISTINCT agency) FROM payroll.payslip_lines "
				 "WHERE run_id = $1 AND agency IS NOT NULL",
				 1, (const char *[]){run});
	assert_int_equal(bd_db_result_rows(rem), agencies);
	for (int i = 0; i < bd_db_result_rows(rem); i++) {
		const char *agency = dbtest_col(rem, i, "agency");
		struct bd_err err = BD_ERR_INIT;
		struct bd_db_result *r =
		    dbtest_query(su,
				 "SELECT sum(amount)::text FROM payroll.payslip_lines "
				 "WHERE agency = $1 AND run_id = $2::bigint AND class IN "
				 "('deduction', 'employer')",
				 2, (const char *[]){agency, run}, &err);
		char *sum;

		assert_non_null(r);
		sum = strdup(bd_db_result_get(r, 0, 0));
		bd_db_result_free(r);
		assert_int_equal(minor(dbtest_col(rem, i, "total")), minor(sum));
		assert_int_equal(minor(dbtest_col(rem, i, "employee_share")) +
				     minor(dbtest_col(rem, i, "employer_share")),
				 minor(sum));
		free(sum);
	}
	bd_db_result_free(rem);

	{
		char *y = dbtest_text(su,
				      "SELECT extract(year FROM pay_date)::text FROM payroll.runs "
				      "WHERE run_id = $1::bigint",
				      run);
		snprintf(year, sizeof(year), "%s", y);
		free(y);
	}
	cert = dbtest_named(pay1, "payroll.out_certificate", BD_PARAMS("ACME", year, "E1001"));
	assert_int_equal(bd_db_result_rows(cert), 1);
	{
		char *gross = dbtest_text(su,
					  "SELECT sum(s.gross)::text FROM payroll.payslips s "
					  "JOIN payroll.runs r USING (client_id, run_id) "
					  "JOIN payroll.employees e USING (client_id, employee_id) "
					  "WHERE r.status = 'final' AND e.number = $1",
					  "E1001");
		char *tax = dbtest_text(su,
					"SELECT coalesce(sum(l.amount), 0)::text FROM "
					"payroll.payslip_lines l JOIN payroll.runs r USING "
					"(client_id, run_id) JOIN payroll.employees e USING "
					"(client_id, employee_id) WHERE r.status = 'final' AND "
					"l.code = 'WTAX' AND e.number = $1",
					"E1001");

		assert_int_equal(minor(dbtest_col(cert, 0, "gross")), minor(gross));
		assert_int_equal(minor(dbtest_col(cert, 0, "tax_withheld")), minor(tax));
		assert_int_equal(minor(dbtest_col(cert, 0, "non_taxable")) +
				     minor(dbtest_col(cert, 0, "taxable")),
				 minor(gross));
		/* masked, as everywhere but the bank file */
		assert_memory_equal(dbtest_col(cert, 0, "tax_id"), "****", 4);
		free(gross);
		free(tax);
	}
	bd_db_result_free(cert);

	ytd = dbtest_named(pay1, "payroll.out_ytd", BD_PARAMS("ACME", year, NULL));
	{
		long long emps = dbtest_scalar(
		    su,
		    "SELECT count(DISTINCT employee_id) FROM payroll.payslips s JOIN payroll.runs "
		    "r "
		    "USING (client_id, run_id) WHERE r.status = 'final' AND r.client_id = "
		    "(SELECT client_id FROM core.clients WHERE code = 'ACME')",
		    0, NULL);
		struct strbuf csv = STRBUF_INIT;

		assert_int_equal(bd_db_result_rows(ytd), emps);
		bd_db_result_csv(ytd, &csv);
		assert_non_null(strstr(csv.buf, "number,name,runs,gross,taxable,deductions,net,"
						"employer\r\n"));
		strbuf_release(&csv);
	}
	bd_db_result_free(ytd);
}

/* Accountants see the posted entry, not the pay; clerks nothing. */
static void
others_read_nothing(void **state)
{
	(void)state;
	for (int i = 0; i < 2; i++) {
		struct bd_db *db = dbtest_connect(&t, i ? "clerk1" : "acct1");
		struct bd_err err =
		    dbtest_named_refused(db, "payroll.out_payslips", BD_PARAMS("ACME", run, NULL));

		assert_string_equal(err.sqlstate, "42501");
		err = dbtest_named_refused(db, "payroll.bank_payments", BD_PARAMS("ACME", run));
		bd_db_free(db);
	}
}

/* Absences beyond the month's pay: the taxable base is negative, which
 * looks up no tax (not "no table row", which stopped the whole run), and the
 * register flags the negative net. */
static void
absences_beyond_the_pay(void **state)
{
	const char *absent = "[{\"line\":1,\"number\":\"E1001\",\"code\":\"ABSENT_DAYS\","
			     "\"quantity\":60}]";
	char *absent_run;

	(void)state;
	absent_run = dbtest_text(pay1,
				 "SELECT payroll.run_create('ACME', 'monthly', 'regular', "
				 "(date_trunc('month', current_date) + interval '2 month')::date, "
				 "(date_trunc('month', current_date) + interval '3 month' - "
				 "interval '1 day')::date, (date_trunc('month', current_date) + "
				 "interval '3 month' - interval '1 day')::date)::text",
				 NULL);
	dbtest_named_ok(pay1, "payroll.out_inputs_set", BD_PARAMS("ACME", absent_run, absent));
	dbtest_named_ok(pay1, "payroll.run_compute", BD_PARAMS("ACME", absent_run));
	assert_int_equal(dbtest_scalar(su,
				       "SELECT count(*) FROM payroll.payslips s JOIN "
				       "payroll.employees e USING (client_id, employee_id) "
				       "WHERE s.run_id = $1::bigint AND e.number = 'E1001' "
				       "AND s.taxable < 0 AND 'negative_net' = ANY (s.exceptions)",
				       BD_PARAMS(absent_run)),
			 1);
	assert_int_equal(dbtest_scalar(su,
				       "SELECT count(*) FROM payroll.payslip_lines l JOIN "
				       "payroll.employees e USING (client_id, employee_id) "
				       "WHERE l.run_id = $1::bigint AND e.number = 'E1001' "
				       "AND l.code = 'WTAX' AND l.amount <> 0",
				       BD_PARAMS(absent_run)),
			 0);
	free(absent_run);
}

/* The grid's save: a draft run of next month. */
static void
inputs_grid_save(void **state)
{
	struct bd_err err;
	char *next_run, *computed;
	const char *good = "[{\"line\":1,\"number\":\"E1001\",\"code\":\"ot_hours\","
			   "\"quantity\":4.5},{\"line\":2,\"number\":\"E1002\",\"code\":"
			   "\"ABSENT_DAYS\",\"quantity\":2}]";

	(void)state;
	next_run = dbtest_text(pay1,
			       "SELECT payroll.run_create('ACME', 'monthly', 'regular', "
			       "(date_trunc('month', current_date) + interval '1 month')::date, "
			       "(date_trunc('month', current_date) + interval '2 month' - "
			       "interval '1 day')::date, (date_trunc('month', current_date) + "
			       "interval '2 month' - interval '1 day')::date)::text",
			       NULL);
	dbtest_named_ok(pay1, "payroll.run_compute", BD_PARAMS("ACME", next_run));
	dbtest_named_ok(pay1, "payroll.out_inputs_set", BD_PARAMS("ACME", next_run, good));
	{
		struct bd_db_result *res =
		    dbtest_named(pay1, "payroll.out_inputs", BD_PARAMS("ACME", next_run));

		assert_int_equal(bd_db_result_rows(res), 2);
		assert_string_equal(dbtest_col(res, 0, "code"), "OT_HOURS");
		assert_string_equal(dbtest_col(res, 0, "quantity"), "4.5");
		bd_db_result_free(res);
	}
	/* Saved again: replaced, not added. */
	dbtest_named_ok(pay1, "payroll.out_inputs_set", BD_PARAMS("ACME", next_run, good));
	assert_int_equal(dbtest_scalar(pay1,
				       "SELECT count(*) FROM payroll.inputs WHERE note = "
				       "'keyed for pay run ' || $1",
				       1, (const char *[]){next_run}),
			 2);
	/* Inputs changed: the run must be computed again before submitting. */
	computed = dbtest_text(su,
			       "SELECT (computed_at IS NULL)::text FROM payroll.runs "
			       "WHERE run_id = $1::bigint",
			       next_run);
	assert_string_equal(computed, "true");
	free(computed);
	/* A refused line names its field. */
	err = dbtest_named_refused(
	    pay1, "payroll.out_inputs_set",
	    BD_PARAMS("ACME", next_run,
		      "[{\"line\":1,\"number\":\"E1001\",\"code\":\"OT_HOURS\","
		      "\"quantity\":1},{\"line\":2,\"number\":\"NOBODY\","
		      "\"code\":\"OT_HOURS\",\"quantity\":1}]"));
	assert_string_equal(err.field, "number2");
	err = dbtest_named_refused(pay1, "payroll.out_inputs_set",
				   BD_PARAMS("ACME", next_run,
					     "[{\"line\":3,\"number\":\"E1001\",\"code\":\"9X\","
					     "\"quantity\":1}]"));
	assert_string_equal(err.field, "code3");
	/* The approved run's inputs are final. */
	err = dbtest_named_refused(pay1, "payroll.out_inputs_set", BD_PARAMS("ACME", run, good));
	assert_non_null(strstr(err.msg, "final"));
	free(next_run);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(nothing_paid_before_approval),
	    cmocka_unit_test(approve),
	    cmocka_unit_test(payslip_pdfs),
	    cmocka_unit_test(bank_file_adds_up),
	    cmocka_unit_test(reports_add_up),
	    cmocka_unit_test(others_read_nothing),
	    cmocka_unit_test(inputs_grid_save),
	    cmocka_unit_test(absences_beyond_the_pay),
	};
	int rc;

	setlocale(LC_ALL, "C.UTF-8");
	if (!mkdtemp(tmpdir))
		return 1;
	dbtest_start(&t, true);
	su = dbtest_connect(&t, NULL);
	pay1 = dbtest_connect(&t, "pay1");
	pay2 = dbtest_connect(&t, "pay2");
	{
		char *r = dbtest_text(su,
				      "SELECT max(run_id)::text FROM payroll.runs WHERE status = "
				      "'submitted'",
				      NULL);
		snprintf(run, sizeof(run), "%s", r);
		free(r);
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	bd_db_free(pay1);
	bd_db_free(pay2);
	bd_db_free(su);
	dbtest_stop(&t);
	{
		const char *argv[] = {"rm", "-rf", tmpdir, NULL};

		bd_cli_run_program(argv, NULL, NULL);
	}
	return rc;
}
