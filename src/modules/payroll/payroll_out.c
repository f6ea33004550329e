/*
 * Payroll's outputs over the database: the payslips of a run as structs and
 * PDFs, the bank file, CSV of a result. See payroll_out_internal.h.
 */
#include "payroll_out_internal.h"

#include "backdesk/money.h"
#include "backdesk/xalloc.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define SCALE 2

static int64_t
amount(const struct bd_db_result *res, int row, const char *col, struct bd_err *err, int *bad)
{
	const char *v = bd_db_result_value(res, row, col);
	int64_t m = 0;

	if (v && bd_money_from_numeric(v, SCALE, &m, err) < 0)
		*bad = 1;
	return m;
}

static enum bd_payslip_section
section_of(const char *class)
{
	if (!strcmp(class, "earning"))
		return BD_PAYSLIP_EARNING;
	if (!strcmp(class, "deduction"))
		return BD_PAYSLIP_DEDUCTION;
	return BD_PAYSLIP_EMPLOYER;
}

void
po_payslips_release(struct po_payslips *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->period ? p->period[i] : NULL);
	if (p->lines && p->qty) {
		for (int i = 0; i < bd_db_result_rows(p->lines); i++)
			free(p->qty[i]);
	}
	free(p->period);
	free(p->qty);
	free(p->slip);
	free(p->line);
	bd_db_result_free(p->run);
	bd_db_result_free(p->slips);
	bd_db_result_free(p->lines);
	memset(p, 0, sizeof(*p));
}

int
po_payslips_load(struct bd_db *db, const char *client, const char *run, const char *number,
		 struct po_payslips *p, struct bd_err *err)
{
	const struct bd_db_result *h;
	int nlines, li = 0, bad = 0;

	memset(p, 0, sizeof(*p));
	p->run = bd_db_query(db, "payroll.out_run", BD_PARAMS(client, run), err);
	if (!p->run)
		return -1;
	if (bd_db_result_rows(p->run) != 1) {
		bd_err_set(err, BD_ERR_NOT_FOUND, "%s has no pay run %s", client, run);
		goto fail;
	}
	h = p->run;
	p->slips = bd_db_query(db, "payroll.out_payslips", BD_PARAMS(client, run, number), err);
	if (!p->slips)
		goto fail;
	p->lines =
	    bd_db_query(db, "payroll.out_payslip_lines", BD_PARAMS(client, run, number), err);
	if (!p->lines)
		goto fail;
	p->n = (size_t)bd_db_result_rows(p->slips);
	nlines = bd_db_result_rows(p->lines);
	p->slip = xcalloc(p->n ? p->n : 1, sizeof(*p->slip));
	p->line = xcalloc(nlines ? (size_t)nlines : 1, sizeof(*p->line));
	p->period = xcalloc(p->n ? p->n : 1, sizeof(char *));
	p->qty = xcalloc(nlines ? (size_t)nlines : 1, sizeof(char *));
	for (size_t i = 0; i < p->n; i++) {
		struct bd_payslip *s = &p->slip[i];
		const char *num = bd_db_result_text(p->slips, (int)i, "number");
		struct strbuf period = STRBUF_INIT;

		strbuf_addf(&period, "%s to %s", bd_db_result_text(h, 0, "period_start"),
			    bd_db_result_text(h, 0, "period_end"));
		p->period[i] = strbuf_detach(&period, NULL);
		s->employer = bd_db_result_text(h, 0, "client_name");
		s->employee_name = bd_db_result_text(p->slips, (int)i, "name");
		s->employee_number = num;
		s->period = p->period[i];
		s->pay_date = bd_db_result_text(h, 0, "pay_date");
		s->run_ref = bd_db_result_text(h, 0, "run_id");
		s->bank_account = bd_db_result_value(p->slips, (int)i, "bank_account");
		s->tax_id = bd_db_result_value(p->slips, (int)i, "tax_id");
		s->currency = bd_db_result_text(h, 0, "currency");
		s->scale = SCALE;
		s->gross = amount(p->slips, (int)i, "gross", err, &bad);
		s->deductions = amount(p->slips, (int)i, "deductions", err, &bad);
		s->net = amount(p->slips, (int)i, "net", err, &bad);
		s->ytd_gross = amount(p->slips, (int)i, "ytd_gross", err, &bad);
		s->ytd_deductions = amount(p->slips, (int)i, "ytd_deductions", err, &bad);
		s->ytd_net = amount(p->slips, (int)i, "ytd_net", err, &bad);
		/* Both results are in employee number order: this slip's lines
		 * are the next ones of that number. */
		s->lines = &p->line[li];
		while (li < nlines && !strcmp(bd_db_result_text(p->lines, li, "number"), num)) {
			struct bd_payslip_line *l = &p->line[li];

			l->section = section_of(bd_db_result_text(p->lines, li, "class"));
			l->label = bd_db_result_text(p->lines, li, "name");
			p->qty[li] = xstrdup(bd_db_result_text(p->lines, li, "quantity"));
			l->quantity = p->qty[li];
			l->amount = amount(p->lines, li, "amount", err, &bad);
			l->ytd = amount(p->lines, li, "ytd", err, &bad);
			l->no_ytd = !bd_db_result_value(p->lines, li, "ytd");
			s->nlines++;
			li++;
		}
		if (bad)
			goto fail;
	}
	if (li != nlines) {
		bd_err_set(err, BD_ERR_INTERNAL, "Pay run %s: payslip lines without a payslip",
			   run);
		goto fail;
	}
	return 0;
fail:
	po_payslips_release(p);
	return -1;
}

int
po_payslip_pdfs(struct bd_db *db, const char *client, const char *run, const char *dir,
		po_progress_fn progress, void *arg, size_t *count, struct bd_err *err)
{
	struct po_payslips p;
	struct strbuf *names;
	const char **paths;
	int rc;

	*count = 0;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		bd_err_set(err, BD_ERR_IO, "Cannot make %s: %s", dir, strerror(errno));
		return -1;
	}
	if (po_payslips_load(db, client, run, NULL, &p, err) < 0)
		return -1;
	if (!p.n) {
		bd_err_set(err, BD_ERR_NOT_FOUND, "Pay run %s has no payslips: compute it first",
			   run);
		po_payslips_release(&p);
		return -1;
	}
	names = xcalloc(p.n, sizeof(*names));
	paths = xcalloc(p.n, sizeof(*paths));
	for (size_t i = 0; i < p.n; i++) {
		strbuf_init(&names[i], 0);
		strbuf_addf(&names[i], "%s/%s.pdf", dir, p.slip[i].employee_number);
		paths[i] = names[i].buf;
	}
	/* every core of this host: a run's thousands of payslips */
	rc = bd_payslip_pdf_files(p.slip, paths, p.n, 0, progress, arg, count, err);
	for (size_t i = 0; i < p.n; i++)
		strbuf_release(&names[i]);
	free(paths);
	free(names);
	po_payslips_release(&p);
	return rc;
}

int
po_bank_file(struct bd_db *db, const char *client, const char *run, enum po_bank_format f,
	     const char *debtor_account, const char *debtor_bic, FILE *out,
	     struct bd_bank_totals *totals, struct strbuf *left_out, struct bd_err *err)
{
	struct bd_db_result *h, *pay = NULL;
	struct bd_bank_payment *pays = NULL;
	char **refs = NULL, msg_id[64], created[32];
	struct bd_bank_batch b;
	time_t now = time(NULL);
	struct tm tm;
	int n = 0, rows, rc = -1, bad = 0;

	h = bd_db_query(db, "payroll.out_run", BD_PARAMS(client, run), err);
	if (!h)
		return -1;
	if (bd_db_result_rows(h) != 1) {
		bd_err_set(err, BD_ERR_NOT_FOUND, "%s has no pay run %s", client, run);
		goto out;
	}
	pay = bd_db_query(db, "payroll.bank_payments", BD_PARAMS(client, run), err);
	if (!pay)
		goto out;
	rows = bd_db_result_rows(pay);
	pays = xcalloc(rows ? (size_t)rows : 1, sizeof(*pays));
	refs = xcalloc(rows ? (size_t)rows : 1, sizeof(*refs));
	for (int i = 0; i < rows; i++) {
		struct strbuf ref = STRBUF_INIT;

		if (!*bd_db_result_text(pay, i, "bank_account")) {
			strbuf_addf(left_out, "%s %s (%s)\n", bd_db_result_text(pay, i, "number"),
				    bd_db_result_text(pay, i, "name"),
				    bd_db_result_text(pay, i, "amount"));
			continue;
		}
		strbuf_addf(&ref, "R%s-%s", run, bd_db_result_text(pay, i, "number"));
		refs[n] = strbuf_detach(&ref, NULL);
		pays[n] = (struct bd_bank_payment){
		    .end_to_end_id = refs[n],
		    .employee_number = bd_db_result_text(pay, i, "number"),
		    .name = bd_db_result_text(pay, i, "name"),
		    .account = bd_db_result_value(pay, i, "bank_account"),
		    .bic = bd_db_result_value(pay, i, "bank_bic"),
		    .amount = amount(pay, i, "amount", err, &bad),
		    .remittance = NULL,
		};
		n++;
		if (bad)
			goto out;
	}
	gmtime_r(&now, &tm);
	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%S", &tm);
	/* Unique per client (the initiating party) and at most 35 characters. */
	snprintf(msg_id, sizeof(msg_id), "R%s-%04d%02d%02d%02d%02d%02d", run, tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	{
		struct strbuf rem = STRBUF_INIT;

		strbuf_addf(&rem, "Salary %s to %s", bd_db_result_text(h, 0, "period_start"),
			    bd_db_result_text(h, 0, "period_end"));
		for (int i = 0; i < n; i++)
			pays[i].remittance = rem.buf;
		b = (struct bd_bank_batch){
		    .msg_id = msg_id,
		    .created = created,
		    .execution_date = bd_db_result_text(h, 0, "pay_date"),
		    .initiating_name = bd_db_result_text(h, 0, "client_name"),
		    .debtor_name = bd_db_result_text(h, 0, "client_name"),
		    .debtor_account = debtor_account,
		    .debtor_bic = debtor_bic,
		    .currency = bd_db_result_text(h, 0, "currency"),
		    .scale = SCALE,
		    .payments = pays,
		    .npayments = (size_t)n,
		};
		rc = f == PO_BANK_XML ? bd_bank_file_xml(&b, out, totals, err)
				      : bd_bank_file_csv(&b, out, totals, err);
		strbuf_release(&rem);
	}
out:
	for (int i = 0; refs && i < n; i++)
		free(refs[i]);
	free(refs);
	free(pays);
	bd_db_result_free(pay);
	bd_db_result_free(h);
	return rc;
}
