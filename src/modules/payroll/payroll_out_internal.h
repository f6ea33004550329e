#ifndef BACKDESK_PAYROLL_OUT_INTERNAL_H
#define BACKDESK_PAYROLL_OUT_INTERNAL_H
/*
 * Payroll's outputs over the database (payroll_out.c: no curses), shared by
 * the commands (payroll_out_cli.c) and the screens (payroll_ui.c): the
 * payslip PDFs of a run, its bank file, and the CSV reports (register,
 * remittances per agency, year to date, year-end certificate figures).
 * Queries: sql/queries/payroll_out.sql. PDFs: payslip_pdf.h; bank file:
 * bank_file.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "backdesk/bank_file.h"
#include "backdesk/db.h"
#include "backdesk/err.h"
#include "backdesk/payslip_pdf.h"
#include "backdesk/session.h"
#include "backdesk/ui.h"
#include "backdesk/strbuf.h"

/* Where long work reports how far it got: called at most about once a
 * second and once at the end, with what is done of how many. */
typedef void (*po_progress_fn)(void *arg, size_t done, size_t total);

/* A run's payslips, read from the database into bd_payslip structs. */
struct po_payslips {
	struct bd_db_result *run, *slips, *lines;
	struct bd_payslip *slip;      /* one per row of `slips` */
	struct bd_payslip_line *line; /* all of them; each slip points into it */
	char **period, **qty;	      /* text the structs point at */
	size_t n;
};

/* Reads run `run` of `client` (`number`: one employee, or NULL for all). */
int po_payslips_load(struct bd_db *db, const char *client, const char *run, const char *number,
		     struct po_payslips *p, struct bd_err *err);
void po_payslips_release(struct po_payslips *p);

/* Writes a PDF per payslip of the run into `dir` (made if missing),
 * named after the employee number: NUMBER.pdf. *count: how many. */
int po_payslip_pdfs(struct bd_db *db, const char *client, const char *run, const char *dir,
		    po_progress_fn progress, void *arg, size_t *count, struct bd_err *err);

enum po_bank_format { PO_BANK_XML, PO_BANK_CSV };

/* The approved run's bank file to `out`. The debtor's account and BIC are
 * the client company's (XML only; NULL for CSV). An employee without a bank
 * account cannot be in it (the register flags them): each is appended to
 * `left_out` as "NUMBER NAME (AMOUNT)\n" for the caller to tell, and the
 * file's totals are those of the payments it holds. */
int po_bank_file(struct bd_db *db, const char *client, const char *run, enum po_bank_format f,
		 const char *debtor_account, const char *debtor_bic, FILE *out,
		 struct bd_bank_totals *totals, struct strbuf *left_out, struct bd_err *err);

/* The output commands (payroll_out_cli.c), for the payroll command to hand
 * its words to: whether `word` is one of them; its usage lines; and the run
 * of one over the command's connection (argv[0] is the word), returning
 * the exit status. */
bool po_cli_handles(const char *word);
#define PO_CLI_USAGE                                                                               \
	"payslips CLIENT RUN DIR\n"                                                                \
	"       backdesk payroll bankfile CLIENT RUN --format xml|csv [--account ACCOUNT] "        \
	"[--bic BIC] [--out FILE]\n"                                                               \
	"       backdesk payroll remittance CLIENT RUN [--out FILE.csv]\n"                         \
	"       backdesk payroll ytd CLIENT YEAR [--through DATE] [--out FILE.csv]\n"              \
	"       backdesk payroll certificate CLIENT YEAR [EMPLOYEE] [--out FILE.csv]"
extern const char po_cli_usage[];
int po_cli(struct bd_db *db, int argc, char **argv);

/* The pay runs screen (payroll_ui.c): the active client's runs, their
 * inputs grid, register and payslips; for the module's menu entry. */
enum bd_ui_action bd_payroll_runs(struct bd_session *s);

#endif
