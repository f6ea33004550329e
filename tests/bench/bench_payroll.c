/*
 * Payroll: a pay run of BENCH_PAYROLL_EMPLOYEES (100,000; 10,000 in the
 * small run) monthly employees of one client with about fifteen components
 * each (the Philippine 2025 pack's eight and the client's own: salary,
 * three allowances, union dues, overtime, night differential, absences and
 * loans from inputs), through the real path: payroll.run_compute as a
 * payroll operator (row security on), submit, and the approval by a second
 * one, which makes the payslips final and posts the one entry. Reference
 * (the floor): one INSERT ... SELECT writing the same number of rows (as
 * many lines and payslips, in key order, as the run writes them now) with
 * no computation into tables with the constraints of payroll.payslip_lines
 * and payroll.payslips: the same keys, indexes and checks, the payslips'
 * foreign keys to payroll.runs and payroll.employees (a check per row) and
 * the guard trigger of both (payroll.payslips_guard: once per statement,
 * over the rows written), rows of a draft run of the client; as the
 * superuser (no row security: the run's own cost), measured before and
 * after the run and averaged. The same INSERT into tables with the indexes
 * only (the floor this bench used before) is measured once after the run and
 * logged.
 * Goals: at most 3x the floor, at most 10 s.
 * The employees and inputs are loaded by the superuser with triggers off
 * (their import is not what is measured); the run is checked afterwards:
 * the entry balances and equals the register's totals.
 */
#include "bench_common.h"

#include "backdesk/payroll.h"

#include <libgen.h>
#include <signal.h>

static char *
read_pack(void)
{
	char path[1024], *src = strdup(__FILE__), *text = NULL;
	size_t len = 0, cap = 0;
	FILE *f;
	int c;

	snprintf(path, sizeof(path), "%s/../../sql/packs/ph_2025.csv", dirname(src));
	free(src);
	f = fopen(path, "r");
	if (!f)
		bench_die("cannot read %s", path);
	while ((c = fgetc(f)) != EOF) {
		if (len + 2 > cap) {
			cap = cap ? cap * 2 : 65536;
			text = realloc(text, cap);
			if (!text)
				bench_die("out of memory");
		}
		text[len++] = (char)c;
	}
	fclose(f);
	text[len] = '\0';
	return text;
}

static void
setup(long employees)
{
	struct bd_db *super = bench_connect(NULL, NULL), *acc, *pay;
	char n[24], *pack = read_pack();

	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;

	if (bench_scalar(super, "SELECT count(*) FROM core.clients WHERE code = 'PAYB'", 0, NULL))
		bench_die("this cluster already holds the payroll benchmark; use a fresh one");
	bench_log("setting up the client, its ledger, the PH pack and %ld employees", employees);
	bench_exec(super,
		   "SELECT core.client_add('PAYB', 'Payroll bench');"
		   "SELECT core.operator_add('pbacc', 'Payroll bench', 'accountant', '{PAYB}');"
		   "SELECT core.operator_add('pb1', 'Payroll bench maker', 'payroll', '{PAYB}');"
		   "SELECT core.operator_add('pb2', 'Payroll bench checker', 'payroll', "
		   "'{PAYB}');");
	res = bd_db_adhoc(super, "SELECT payroll.pack_load_csv('ph_2025.csv', $1)", 1,
			  (const char *const[]){pack}, &err);
	if (!res)
		bench_die("pack: %s", err.msg);
	bd_db_result_free(res);
	free(pack);
	acc = bench_connect("pbacc", NULL);
	bench_exec(
	    acc,
	    "SELECT ledger.fiscal_year_open('PAYB', 2026, '2026-01-01');"
	    "SELECT ledger.account_add('PAYB', c, n, t, NULL) FROM (VALUES "
	    "('1250', 'Employee loans', 'asset'), ('2310', 'Net pay payable', 'liability'),"
	    "('2320', 'SSS payable', 'liability'), ('2330', 'PhilHealth payable', 'liability'),"
	    "('2340', 'Pag-IBIG payable', 'liability'), ('2350', 'BIR payable', 'liability'),"
	    "('2370', 'Union dues payable', 'liability'), ('5200', 'Salaries', 'expense'),"
	    "('5210', 'Employer contributions', 'expense')) v(c, n, t);");
	bd_db_free(acc);
	pay = bench_connect("pb1", NULL);
	bench_exec(pay,
		   "SELECT payroll.settings_set('PAYB', '2310', '5200', '5210', 20, 'PHP');"
		   "SELECT payroll.agency_account_set('PAYB', a, c) FROM (VALUES ('SSS', '2320'), "
		   "('PHILHEALTH', '2330'), ('PAGIBIG', '2340'), ('BIR', '2350')) v(a, c);");
	bd_db_free(pay);
	bench_exec(
	    super,
	    "SET session_replication_role = replica;"
	    "INSERT INTO payroll.components (client_id, effective_from, code, name, class, "
	    "method, step, amount, rate, rate_of, input_code, taxable, liability_account) "
	    "SELECT c.client_id, '2020-01-01', v.* FROM core.clients c, (VALUES "
	    "('BASIC', 'Basic salary', 'earning', 'salary', 1, NULL::numeric, NULL::numeric, "
	    "NULL, NULL, true, NULL),"
	    "('RICE', 'Rice subsidy', 'earning', 'fixed', 1, 2000, NULL, NULL, NULL, false, NULL),"
	    "('TRANSPORT', 'Transport', 'earning', 'fixed', 1, 1500, NULL, NULL, NULL, true, NULL),"
	    "('COLA', 'Cost of living', 'earning', 'fixed', 1, 800, NULL, NULL, NULL, true, NULL),"
	    "('OT', 'Overtime', 'earning', 'rate_qty', 2, NULL, 1.25, 'hourly', 'OT_HOURS', true, "
	    "NULL),"
	    "('NIGHT', 'Night differential', 'earning', 'rate_qty', 2, NULL, 0.10, 'hourly', "
	    "'ND_HOURS', true, NULL),"
	    "('ABSENT', 'Absences', 'deduction', 'rate_qty', 2, NULL, 1, 'daily', 'ABSENT_DAYS', "
	    "true, '5200'),"
	    "('UNION', 'Union dues', 'deduction', 'fixed', 30, 100, NULL, NULL, NULL, false, "
	    "'2370'),"
	    "('LOAN', 'Loan repayment', 'deduction', 'fixed', 30, NULL, NULL, NULL, 'LOAN', "
	    "false, '1250')) v WHERE c.code = 'PAYB';"
	    "RESET session_replication_role;");
	snprintf(n, sizeof(n), "%ld", employees);
	/* triggers off (audit, keys): the load is not what is measured */
	bench_statement(super, "SET session_replication_role = replica");
	res = bd_db_adhoc(
	    super,
	    "WITH c AS (SELECT client_id FROM core.clients WHERE code = 'PAYB'), "
	    "e AS (INSERT INTO payroll.employees (client_id, number, name, hire_date, pay_group, "
	    "country) SELECT c.client_id, 'E' || lpad(i::text, 7, '0'), 'Employee ' || i, "
	    "'2020-01-01'::date + i % 1500, 'monthly', 'PH' FROM c, generate_series(1, $1::int) i "
	    "RETURNING client_id, employee_id), "
	    "p AS (INSERT INTO payroll.employee_private (client_id, employee_id, bank_account) "
	    "SELECT client_id, employee_id, '00' || (1000000000 + employee_id) FROM e "
	    "WHERE employee_id % 500 <> 0), "
	    "h AS (INSERT INTO payroll.pay_history (client_id, employee_id, effective_from, "
	    "rate_kind, rate) SELECT client_id, employee_id, '2020-01-01', 'monthly', "
	    "12000 + (employee_id * 7919) % 150000 FROM e) "
	    "INSERT INTO payroll.inputs (client_id, employee_id, on_date, code, quantity, amount) "
	    "SELECT e.client_id, e.employee_id, '2026-06-10', x.code, x.q, x.a FROM e, (VALUES "
	    "('OT_HOURS', 3, 6::numeric, 0::numeric), ('ND_HOURS', 5, 20, 0), "
	    "('ABSENT_DAYS', 10, 1, 0), ('LOAN', 10, 0, 1500)) x(code, every, q, a) "
	    "WHERE e.employee_id % x.every = 0",
	    1, (const char *const[]){n}, &err);
	if (!res)
		bench_die("employees: %s (%s)", err.msg, err.detail);
	bd_db_result_free(res);
	bench_statement(super, "RESET session_replication_role");
	bench_statement(super, "VACUUM ANALYZE payroll.employees, payroll.employee_private, "
			       "payroll.pay_history, payroll.inputs");
	/* the floor's tables: the constraints of the run's (see the top) */
	bench_exec(
	    super,
	    "CREATE TABLE public.floor_lines (LIKE payroll.payslip_lines INCLUDING ALL) "
	    "WITH (autovacuum_enabled = false);"
	    "CREATE TABLE public.floor_slips (LIKE payroll.payslips INCLUDING ALL,"
	    " FOREIGN KEY (client_id, run_id) REFERENCES payroll.runs (client_id, run_id),"
	    " FOREIGN KEY (client_id, employee_id) REFERENCES payroll.employees (client_id, "
	    "employee_id)) WITH (autovacuum_enabled = false);"
	    "CREATE TRIGGER floor_lines_guard AFTER INSERT ON public.floor_lines REFERENCING "
	    "NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION payroll.payslips_guard();"
	    "CREATE TRIGGER floor_slips_guard AFTER INSERT ON public.floor_slips REFERENCING "
	    "NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION payroll.payslips_guard();"
	    "CREATE TABLE public.bare_lines (LIKE payroll.payslip_lines INCLUDING DEFAULTS "
	    "INCLUDING INDEXES) WITH (autovacuum_enabled = false);"
	    "CREATE TABLE public.bare_slips (LIKE payroll.payslips INCLUDING DEFAULTS "
	    "INCLUDING INDEXES) WITH (autovacuum_enabled = false)");
	/* the employees' ids are contiguous: the floor's payslips name them */
	if (bench_scalar(super,
			 "SELECT max(employee_id) - min(employee_id) + 1 - count(*) FROM "
			 "payroll.employees e JOIN core.clients c ON c.client_id = e.client_id "
			 "WHERE c.code = 'PAYB'",
			 0, NULL))
		bench_die("the employees' ids are not contiguous");
	bd_db_free(super);
}

/* The floor: as many lines and payslips as the run writes, by one INSERT
 * ... SELECT (a second INSERT in its WITH: one statement), in key order,
 * with no computation, into the tables named by prefix ("floor": the run's
 * constraints; "bare": indexes only), as rows of the draft run floor_run
 * (the payslips of the client's first employees). */
static double
floor_seconds(const char *prefix, const char *floor_run, long long lines, long long slips,
	      double *cpu)
{
	struct bd_db *super = bench_connect(NULL, NULL);
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	char l[24], p[24], sql[1536];
	double t;

	snprintf(sql, sizeof(sql), "TRUNCATE public.%s_lines, public.%s_slips", prefix, prefix);
	bench_statement(super, sql);
	bench_statement(super, "CHECKPOINT");
	snprintf(l, sizeof(l), "%lld", lines);
	snprintf(p, sizeof(p), "%lld", slips);
	snprintf(sql, sizeof(sql),
		 "WITH r AS (SELECT r.client_id, r.run_id, (SELECT min(e.employee_id) - 1 FROM "
		 "payroll.employees e WHERE e.client_id = r.client_id) AS e0 FROM payroll.runs r "
		 "WHERE r.run_id = $3::bigint), "
		 "s AS (INSERT INTO public.%s_slips (client_id, run_id, employee_id, "
		 "gross, taxable, deductions, net, employer, exceptions) "
		 "SELECT r.client_id, r.run_id, r.e0 + i, 30000.00, 25000.00, 6000.00, 24000.00, "
		 "3000.00, '{}' FROM r, generate_series(1, $2::bigint) i) "
		 "INSERT INTO public.%s_lines (client_id, run_id, employee_id, code, "
		 "line_for, name, class, step, base, quantity, rate, amount, "
		 "taxable_amount, agency, expense_account, liability_account) "
		 "SELECT r.client_id, r.run_id, r.e0 + i / 16, 'C' || (10 + i %% 16), 0, "
		 "'Component', 'earning', 1, 20000.00, NULL, 0.05, 1000.00, 1000.00, 'SSS', NULL, "
		 "NULL FROM r, generate_series(16, $1::bigint + 15) i",
		 prefix, prefix);
	*cpu = bench_server_cpu_seconds();
	t = bench_now();
	res = bd_db_adhoc(super, sql, 3, (const char *const[]){l, p, floor_run}, &err);
	t = bench_now() - t;
	*cpu = bench_server_cpu_seconds() - *cpu;
	if (!res)
		bench_die("floor: %s", err.msg);
	bd_db_result_free(res);
	bd_db_free(super);
	return t;
}

static char *
one(struct bd_db *db, const char *query, int n, const char *const *p)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(db, query, n, p, &err);
	char *v;

	if (!res)
		bench_die("%s: %s (%s)", query, err.msg, err.detail);
	v = strdup(bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	return v;
}

int
main(void)
{
	long employees = bench_knob("BENCH_PAYROLL_EMPLOYEES", 100000, 10000);
	long sessions = bench_knob("BENCH_PAYROLL_SESSIONS", 2, 2);
	struct bd_err err = BD_ERR_INIT;
	struct bd_db *pb1, *pb2, *super;
	char *run, *floor_run, *version, *entry, desc[160], a[64], r[64];
	double t0, t_compute, t_submit, t_approve, total, f1, f2, fl, c0, c_run, cf1, cf2, cfl, fb,
	    cfb;
	long long lines, slips, bad;

	signal(SIGPIPE, SIG_IGN);
	bench_open("bench_payroll");
	bench_migrate();
	setup(employees);
	pb1 = bench_connect("pb1", NULL);
	pb2 = bench_connect("pb2", NULL);
	super = bench_connect(NULL, NULL);
	/* the floor's rows are of a draft run the run does not see */
	floor_run =
	    one(pb1, "payroll.run_create",
		BD_PARAMS("PAYB", "monthly", "offcycle", "2026-06-01", "2026-06-30", "2026-06-30"));
	/* the floor's row counts are the run's: before it, of 14 lines a
	 * payslip (scaled to the run's count), after it, the run's counts */
	f1 = floor_seconds("floor", floor_run, (long long)employees * 14, employees, &cf1);
	bench_log("floor, %ld payslips of 14 lines: %.2f s (server CPU %.2f s)", employees, f1,
		  cf1);

	bench_statement(super, "CHECKPOINT");
	run =
	    one(pb1, "payroll.run_create",
		BD_PARAMS("PAYB", "monthly", "regular", "2026-06-01", "2026-06-30", "2026-06-30"));
	c0 = bench_server_cpu_seconds();
	t0 = bench_now();
	if (bd_payroll_run_compute(pb1, "PAYB", run, (int)sessions, BD_PAYROLL_PART_EMPLOYEES, NULL,
				   &err) < 0)
		bench_die("compute: %s", err.msg);
	t_compute = bench_now() - t0;
	version = bench_value(super, "SELECT version FROM payroll.runs WHERE run_id = $1::bigint",
			      1, (const char *const[]){run});
	t0 = bench_now();
	free(one(pb1, "payroll.run_submit", BD_PARAMS("PAYB", run, version)));
	t_submit = bench_now() - t0;
	free(version);
	version = bench_value(super, "SELECT version FROM payroll.runs WHERE run_id = $1::bigint",
			      1, (const char *const[]){run});
	t0 = bench_now();
	entry = one(pb2, "payroll.run_approve", BD_PARAMS("PAYB", run, version));
	t_approve = bench_now() - t0;
	c_run = bench_server_cpu_seconds() - c0;
	total = t_compute + t_submit + t_approve;
	lines = bench_scalar(super,
			     "SELECT count(*) FROM payroll.payslip_lines WHERE run_id = "
			     "$1::bigint",
			     1, (const char *const[]){run});
	slips =
	    bench_scalar(super, "SELECT count(*) FROM payroll.payslips WHERE run_id = $1::bigint",
			 1, (const char *const[]){run});
	bench_log(
	    "run %s: %lld payslips, %lld lines; compute %.2f s (%ld sessions), submit %.2f s, "
	    "approve and post %.2f s (entry %s)",
	    run, slips, lines, t_compute, sessions, t_submit, t_approve, entry);
	/* what the run wrote is vacuumed now, not by autovacuum during the floor
	 * (the floor's tables are never autovacuumed: not during the run) */
	bench_statement(super, "VACUUM ANALYZE payroll.payslip_lines, payroll.payslips, "
			       "payroll.run_accounts, payroll.runs");
	f2 = floor_seconds("floor", floor_run, lines, slips, &cf2);
	fl = (f1 * (double)(lines + slips) / ((double)employees * 15) + f2) / 2;
	cfl = (cf1 * (double)(lines + slips) / ((double)employees * 15) + cf2) / 2;
	bench_log("floor again, %lld lines and %lld payslips: %.2f s (server CPU %.2f s); floor "
		  "used %.2f s (CPU %.2f s); the run's server CPU %.2f s",
		  lines, slips, f2, cf2, fl, cfl, c_run);
	fb = floor_seconds("bare", floor_run, lines, slips, &cfb);
	bench_log("the same rows into tables with indexes only (no foreign keys, no trigger): "
		  "%.2f s (server CPU %.2f s); against it the run is %.2fx (CPU %.2fx)",
		  fb, cfb, total / fb, c_run / cfb);
	/* the entry balances and is the register's */
	bad = bench_scalar(
	    super,
	    "SELECT (SELECT sum(debit) - sum(credit) FROM ledger.lines l JOIN payroll.runs r ON "
	    "r.client_id = l.client_id AND r.entry_id = l.entry_id WHERE r.run_id = $1::bigint) "
	    "<> 0 OR (SELECT sum(debit) FROM ledger.lines l JOIN payroll.runs r ON r.client_id = "
	    "l.client_id AND r.entry_id = l.entry_id WHERE r.run_id = $1::bigint) <> (SELECT "
	    "sum(gross + employer) FROM payroll.payslips WHERE run_id = $1::bigint) OR (SELECT "
	    "status FROM payroll.runs WHERE run_id = $1::bigint) <> 'final'",
	    1, (const char *const[]){run});
	snprintf(desc, sizeof(desc),
		 "Pay run, %ld employees, %.1f lines each: compute (%ld sessions), submit, approve "
		 "and post",
		 employees, (double)lines / (double)slips, sessions);
	snprintf(a, sizeof(a), "%.2f s", total);
	snprintf(r, sizeof(r), "%.2f s", fl);
	bench_row(desc, "wall time; reference: one INSERT ... SELECT of as many rows", a, r,
		  total / fl, "<= 3x, <= 10 s",
		  bench_met(bad == 0 && total <= 3 * fl && total <= 10));
	/* the same on the server's CPU time, which a busy machine moves least */
	snprintf(a, sizeof(a), "%.2f s", c_run);
	snprintf(r, sizeof(r), "%.2f s", cfl);
	bench_row(desc, "server CPU time (all its processes); reference: the floor's", a, r,
		  c_run / cfl, "-", "-");
	free(entry);
	free(floor_run);
	free(run);
	bd_db_free(super);
	bd_db_free(pb2);
	bd_db_free(pb1);
	bench_close();
	return 0;
}
