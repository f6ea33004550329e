#ifndef BACKDESK_PAYSLIP_PDF_H
#define BACKDESK_PAYSLIP_PDF_H
/*
 * The payslip as a PDF (cairo and pango), from a plain struct: no database,
 * no terminal. The payroll commands fill it from the final payslip's rows;
 * the tests and the benchmark fill it by hand.
 *
 * Text is any UTF-8: pango shapes it (right-to-left names read right to left,
 * CJK and Arabic through fontconfig's fallback fonts) and cairo embeds the
 * glyphs with their text, so a PDF reader finds the name as it was written.
 * Every string passes the output gate's rule first (text.h, bd_cp_is_unsafe,
 * whatever the locale): a control character, a bidi override or invalid
 * UTF-8 is shown as its stand-in, never obeyed.
 * Text is laid out as text, never as markup, so "<", "&" are themselves.
 *
 * Amounts are int64 minor units at `scale` decimals (money.h). The totals
 * are the caller's (the database computed them); the renderer prints them
 * as given and refuses a payslip whose lines do not add up to them (gross =
 * the earnings, deductions = the deductions, net = gross - deductions), so a
 * PDF never shows figures that disagree with each other.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backdesk/err.h"
#include "backdesk/strbuf.h"

enum bd_payslip_section {
	BD_PAYSLIP_EARNING = 0,
	BD_PAYSLIP_DEDUCTION,
	BD_PAYSLIP_EMPLOYER, /* employer contributions: shown, not in the net */
};

struct bd_payslip_line {
	enum bd_payslip_section section;
	const char *label;    /* "Basic pay", "SSS", "Withholding tax" */
	const char *quantity; /* "160.00 h", or NULL/"" */
	int64_t amount;	      /* this period */
	int64_t ytd;	      /* year to date, this period included */
	bool no_ytd;	      /* none shown (an arrears line: its code's line has it) */
};

struct bd_payslip {
	const char *employer;	     /* the client company's name */
	const char *employee_name;   /* any UTF-8 */
	const char *employee_number; /* "E-0042" */
	const char *period;	     /* "2025-03-01 to 2025-03-15" */
	const char *pay_date;	     /* ISO date */
	const char *run_ref;	     /* the pay run's reference */
	const char *bank_account;    /* masked by the caller ("****1234"), or NULL */
	const char *tax_id;	     /* masked by the caller, or NULL */
	const char *currency;	     /* "PHP" */
	int scale;		     /* decimals of every amount */
	const struct bd_payslip_line *lines;
	size_t nlines;
	int64_t gross, deductions, net;
	int64_t ytd_gross, ytd_deductions, ytd_net;
};

/* Holds what every payslip of a batch shares (fonts, a pango context), so a
 * run's thousands of PDFs do not each load them. One per thread. */
struct bd_payslip_renderer;

struct bd_payslip_renderer *bd_payslip_renderer_new(void);
void bd_payslip_renderer_free(struct bd_payslip_renderer *r);

/* Appends the PDF of `slip` to `out`: 0, or -1 with err set (the figures do
 * not add up, an amount out of range, cairo failed). */
int bd_payslip_pdf(struct bd_payslip_renderer *r, const struct bd_payslip *slip, struct strbuf *out,
		   struct bd_err *err);

/* The same, written to `path` (created 0600, replaced whole: written to a
 * temporary name beside it and renamed). */
int bd_payslip_pdf_file(struct bd_payslip_renderer *r, const struct bd_payslip *slip,
			const char *path, struct bd_err *err);

/* The PDFs of slips[0..n), each written to paths[i] as bd_payslip_pdf_file
 * does, on `threads` threads (0: one per core of this host), each with its
 * own renderer (payslip_batch.c). `progress` (or NULL) is called from the
 * calling thread only, at most once a second and at the end. 0, or -1 with
 * err set to the first failure; *count is the number written. */
int bd_payslip_pdf_files(const struct bd_payslip *slips, const char *const *paths, size_t n,
			 int threads, void (*progress)(void *arg, size_t done, size_t total),
			 void *arg, size_t *count, struct bd_err *err);

#endif
