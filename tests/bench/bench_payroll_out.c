/*
 * Payroll's outputs, no database: payslip PDFs per second (each rendered
 * and written to its own file by bd_payslip_pdf_files, a thread per core, as
 * `backdesk payroll payslips` does, fifteen lines each, names in Latin, CJK
 * and Arabic), and the bank file of 100,000
 * payments as pain.001.001.03 XML, against the same payments written as CSV
 * by the house's CSV writer (the floor: the same records, no markup).
 *
 *   BENCH_PAYSLIPS   payslips to render (2,000; small: 300)
 *   BENCH_PAYMENTS   payments in the bank file (100,000; small: 100,000)
 *   BENCH_PAIN_XSD   a pain.001.001.03 schema: when set, the XML is also
 *                    validated against it (xmllint --schema), untimed
 *   BENCH_OUT_DIR    keep the files there (a sample payslip and both bank
 *                    files) instead of a temporary directory
 */
#include "bench_common.h"

#include "backdesk/bank_file.h"
#include "backdesk/command.h"
#include "backdesk/payslip_pdf.h"

#include <locale.h>

static const char *const NAMES[] = {"José Ñúñez Müller",	"山田 太郎", "محمد عبد الله",
				    "Maria Clara Santos-Reyes", "王小明",    "Zoë O'Brien"};
static const char *const EARN[] = {"Basic pay",	  "Overtime",	  "Night differential",
				   "Holiday pay", "Rice subsidy", "Transport allowance",
				   "Arrears",	  "Commission"};
static const char *const DED[] = {"SSS",	 "PhilHealth", "Pag-IBIG",  "Withholding tax",
				  "Salary loan", "Absences",   "Union dues"};

static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Returns payslips per second of wall time, rendered by the product's
 * batch (bd_payslip_pdf_files, a thread per core, as `backdesk payroll
 * payslips` makes a run's); *cpu_rate per second of this process's CPU
 * time (all its threads), which a shared machine's load does not lower. */
static double
payslips(const char *dir, long n, double *cpu_rate)
{
	struct bd_payslip *slips = calloc((size_t)n, sizeof(*slips));
	struct bd_payslip_line(*lines)[15] = calloc((size_t)n, sizeof(*lines));
	char(*names)[512] = calloc((size_t)n, sizeof(*names));
	const char **paths = calloc((size_t)n, sizeof(*paths));
	struct bd_payslip_renderer *r = bd_payslip_renderer_new();
	struct bd_err err = BD_ERR_INIT;
	double t0, c0, t;
	size_t count = 0;

	if (!slips || !lines || !names || !paths)
		bench_die("out of memory");
	for (long i = 0; i < n; i++) {
		struct bd_payslip *s = &slips[i];

		*s = (struct bd_payslip){
		    .employer = "Acme Outsourcing Philippines, Inc.",
		    .employee_name = NAMES[i % 6],
		    .employee_number = "E-00042",
		    .period = "2025-03-01 to 2025-03-15",
		    .pay_date = "2025-03-15",
		    .run_ref = "PR-2025-03A",
		    .bank_account = "****1234",
		    .tax_id = "***-***-789-000",
		    .currency = "PHP",
		    .scale = 2,
		    .lines = lines[i],
		    .nlines = 15,
		};
		for (int k = 0; k < 15; k++) {
			int64_t a = 10000 + (i * 7 + k * 131) % 500000;

			lines[i][k] = (struct bd_payslip_line){
			    k < 8 ? BD_PAYSLIP_EARNING : BD_PAYSLIP_DEDUCTION,
			    k < 8 ? EARN[k] : DED[k - 8],
			    k == 0   ? "88.00 h"
			    : k == 1 ? "6.50 h"
				     : NULL,
			    k < 8 ? a * 4 : a / 3,
			    k < 8 ? a * 12 : a,
			    false,
			};
			if (k < 8) {
				s->gross += lines[i][k].amount;
				s->ytd_gross += lines[i][k].ytd;
			} else {
				s->deductions += lines[i][k].amount;
				s->ytd_deductions += lines[i][k].ytd;
			}
		}
		s->net = s->gross - s->deductions;
		s->ytd_net = s->ytd_gross - s->ytd_deductions;
		snprintf(names[i], sizeof(names[i]), "%s/payslip-%06ld.pdf", dir, i);
		paths[i] = names[i];
	}
	/* the output module loaded before the clock starts, as in a session
	 * that has made one payslip */
	if (bd_payslip_pdf_file(r, &slips[0], paths[0], &err) < 0)
		bench_die("payslip: %s", err.msg);
	bd_payslip_renderer_free(r);
	t0 = bench_now();
	c0 = cpu_now();
	if (bd_payslip_pdf_files(slips, paths, (size_t)n, 0, NULL, NULL, &count, &err) < 0)
		bench_die("payslip: %s", err.msg);
	t = bench_now() - t0;
	*cpu_rate = (double)n / (cpu_now() - c0);
	if (!getenv("BENCH_OUT_DIR"))
		for (long i = 2; i < n; i++)
			unlink(paths[i]);
	free(paths);
	free(names);
	free(lines);
	free(slips);
	return (double)n / t;
}

static double
bank_file(const char *path, long n, bool xml)
{
	struct bd_bank_payment *p = calloc((size_t)n, sizeof(*p));
	char(*refs)[40] = calloc((size_t)n, sizeof(*refs));
	char(*accts)[24] = calloc((size_t)n, sizeof(*accts));
	struct bd_bank_batch b = {
	    .msg_id = "PR-2025-03A-1",
	    .created = "2025-03-14T09:30:00",
	    .execution_date = "2025-03-15",
	    .initiating_name = "Acme Outsourcing Philippines, Inc.",
	    .debtor_name = "Acme Outsourcing Philippines, Inc.",
	    .debtor_account = "001234567890",
	    .debtor_bic = "BOPIPHMM",
	    .currency = "PHP",
	    .scale = 2,
	    .payments = p,
	    .npayments = (size_t)n,
	};
	struct bd_bank_totals t;
	struct bd_err err = BD_ERR_INIT;
	double t0, took;
	FILE *f;

	for (long i = 0; i < n; i++) {
		snprintf(refs[i], sizeof(refs[i]), "PR-2025-03A-E%06ld", i);
		snprintf(accts[i], sizeof(accts[i]), "%012ld", 100000000000L + i * 37);
		p[i] = (struct bd_bank_payment){refs[i],
						refs[i] + 12,
						NAMES[i % 6],
						accts[i],
						i % 2 ? "BNORPHMMXXX" : NULL,
						1500000 + (i * 7919) % 2000000,
						"Salary 2025-03-01 to 2025-03-15"};
	}
	t0 = bench_now();
	f = fopen(path, "w");
	if (!f)
		bench_die("%s: cannot write", path);
	if ((xml ? bd_bank_file_xml(&b, f, &t, &err) : bd_bank_file_csv(&b, f, &t, &err)) < 0)
		bench_die("bank file: %s", err.msg);
	if (fclose(f) != 0)
		bench_die("%s: cannot write", path);
	took = bench_now() - t0;
	if (t.count != (size_t)n)
		bench_die("bank file: %zu payments written of %ld", t.count, n);
	free(p);
	free(refs);
	free(accts);
	return took;
}

int
main(void)
{
	long n_pdf = bench_knob("BENCH_PAYSLIPS", 2000, 300);
	long n_pay = bench_knob("BENCH_PAYMENTS", 100000, 100000);
	const char *keep = getenv("BENCH_OUT_DIR"), *xsd = getenv("BENCH_PAIN_XSD");
	char dir[64] = "/tmp/bdbench-payout-XXXXXX", xml[600], csv[600], a[64], ref[64];
	struct strbuf out = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	double rate, cpu_rate, t_xml, t_csv;

	bench.name = "payroll_out";
	setlocale(LC_ALL, "C.UTF-8");
	if (keep)
		snprintf(dir, sizeof(dir), "%s", keep);
	else if (!mkdtemp(dir))
		bench_die("mkdtemp");
	snprintf(xml, sizeof(xml), "%s/bank.xml", dir);
	snprintf(csv, sizeof(csv), "%s/bank.csv", dir);

	bench_log("rendering %ld payslips", n_pdf);
	rate = payslips(dir, n_pdf, &cpu_rate);
	snprintf(a, sizeof(a), "%.0f per second", rate);
	bench_row("Payslip PDFs (cairo + pango, 15 lines, written to files, a thread per core)",
		  "throughput (wall)", a, "-", -1, ">= 200 per second", bench_met(rate >= 200));
	snprintf(a, sizeof(a), "%.0f per second", cpu_rate);
	bench_row("Payslip PDFs (cairo + pango, 15 lines, written to files, a thread per core)",
		  "throughput per CPU second (all threads)", a, "-", -1, "-", "-");

	bench_log("bank file of %ld payments", n_pay);
	t_csv = bank_file(csv, n_pay, false);
	t_xml = bank_file(xml, n_pay, true);
	{
		const char *argv[] = {"xmllint", "--noout", xml, NULL};

		if (bd_cli_run_program(argv, &out, &err) != 0)
			bench_die("xmllint refused the bank file: %s%s", err.msg, out.buf);
	}
	if (xsd && *xsd) {
		const char *argv[] = {"xmllint", "--noout", "--schema", xsd, xml, NULL};

		strbuf_reset(&out);
		if (bd_cli_run_program(argv, &out, &err) != 0)
			bench_die("the bank file fails the schema: %s%s", err.msg, out.buf);
		bench_log("the bank file is valid against %s", xsd);
	}
	snprintf(a, sizeof(a), "%.2f s", t_xml);
	snprintf(ref, sizeof(ref), "%.2f s (CSV)", t_csv);
	bench_row("Bank file, pain.001.001.03 (libxml2), 100,000 payments", "write time", a, ref,
		  t_xml / t_csv, "<= 2 s", bench_met(t_xml <= 2.0));
	if (!keep) {
		unlink(xml);
		unlink(csv);
		snprintf(xml, sizeof(xml), "%s/payslip-000000.pdf", dir);
		unlink(xml);
		snprintf(xml, sizeof(xml), "%s/payslip-000001.pdf", dir);
		unlink(xml);
		rmdir(dir);
	}
	strbuf_release(&out);
	return 0;
}
