/*
 * The payslip PDF: rendered, then read back by a PDF reader (poppler's
 * pdftotext), which must find the employee's name as written, in any script,
 * and the net pay; figures that do not add up are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backdesk/command.h"
#include "backdesk/payslip_pdf.h"

static char tmpdir[] = "/tmp/bd_payslip_XXXXXX";

static const struct bd_payslip_line LINES[] = {
    {BD_PAYSLIP_EARNING, "Basic pay", "88.00 h", 1500000, 4500000, false},
    {BD_PAYSLIP_EARNING, "Overtime", "4.50 h", 120050, 240100, false},
    {BD_PAYSLIP_DEDUCTION, "SSS", NULL, 75000, 225000, false},
    {BD_PAYSLIP_DEDUCTION, "PhilHealth", NULL, 37500, 112500, false},
    {BD_PAYSLIP_DEDUCTION, "Withholding tax", NULL, 72883, 218649, false},
    {BD_PAYSLIP_EMPLOYER, "SSS (employer)", NULL, 150000, 450000, false},
};

static struct bd_payslip
sample(const char *name)
{
	struct bd_payslip s = {
	    .employer = "Acme Outsourcing & Sons <PH>",
	    .employee_name = name,
	    .employee_number = "E-0042",
	    .period = "2025-03-01 to 2025-03-15",
	    .pay_date = "2025-03-15",
	    .run_ref = "PR-2025-03A",
	    .bank_account = "****1234",
	    .tax_id = "***-***-789",
	    .currency = "PHP",
	    .scale = 2,
	    .lines = LINES,
	    .nlines = sizeof(LINES) / sizeof(LINES[0]),
	    .gross = 1620050,
	    .deductions = 185383,
	    .net = 1434667,
	    .ytd_gross = 4740100,
	    .ytd_deductions = 556149,
	    .ytd_net = 4183951,
	};
	return s;
}

/* Renders `slip` to a file and returns what pdftotext reads from it (the
 * caller frees). */
static char *
render_and_read(const struct bd_payslip *slip, const char *file)
{
	struct bd_payslip_renderer *r = bd_payslip_renderer_new();
	struct bd_err err = BD_ERR_INIT;
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	int status;

	strbuf_addf(&path, "%s/%s", tmpdir, file);
	if (bd_payslip_pdf_file(r, slip, path.buf, &err) < 0)
		fail_msg("render: %s", err.msg);
	bd_payslip_renderer_free(r);
	{
		const char *argv[] = {"pdftotext", "-enc", "UTF-8", path.buf, "-", NULL};

		status = bd_cli_run_program(argv, &text, &err);
	}
	if (status != 0)
		fail_msg("pdftotext %s: status %d: %s%s", path.buf, status, err.msg, text.buf);
	strbuf_release(&path);
	return strbuf_detach(&text, NULL);
}

static void
assert_contains(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("the PDF's text lacks \"%s\":\n%s", want, text);
}

/* s without white space and without the bidi embedding marks a reader puts
 * around right-to-left text (U+202A..U+202E), in a static buffer. */
static const char *
letters(const char *s)
{
	static char buf[8192];
	size_t n = 0;

	for (; *s && n + 1 < sizeof(buf); s++) {
		if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\f')
			continue;
		if (!strncmp(s, "\xe2\x80", 2) && (unsigned char)s[2] >= 0xaa &&
		    (unsigned char)s[2] <= 0xae) {
			s += 2;
			continue;
		}
		buf[n++] = *s;
	}
	buf[n] = 0;
	return buf;
}

static void
names_in_any_script(void **state)
{
	static const char *const names[] = {
	    "José Ñúñez Müller",       /* Latin with accents */
	    "Zoë O'Brien-Łukasiewicz", /* Latin Extended */
	    "山田 太郎",	       /* CJK */
	    "王小明",		       /* CJK, no space */
	    "محمد عبد الله",	       /* Arabic, right to left */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct bd_payslip slip = sample(names[i]);
		char file[32];
		char *text;

		snprintf(file, sizeof(file), "name%zu.pdf", i);
		text = render_and_read(&slip, file);
		if (i < 4) {
			assert_contains(text, names[i]);
		} else {
			/* Right to left: the reader marks the run and spaces the
			 * joined letters by their positions ("ع بد"), but every
			 * letter is there, in the order written. */
			char want[256];

			snprintf(want, sizeof(want), "%s", letters(names[i]));
			assert_contains(letters(text), want);
		}
		assert_contains(text, "14,346.67");	  /* net pay */
		assert_contains(text, "41,839.51");	  /* net pay, year to date */
		assert_contains(text, "16,200.50");	  /* gross */
		assert_contains(text, "Withholding tax"); /* a line */
		assert_contains(text, "Acme Outsourcing & Sons <PH>");
		assert_contains(text, "****1234");
		free(text);
	}
}

/* A bidi override in a name is shown as its stand-in, never obeyed: the
 * name reads in the order it was stored. */
static void
controls_are_gated(void **state)
{
	struct bd_payslip slip = sample("Eve \xe2\x80\xae"
					"gnp.exe");
	char *text;

	(void)state;
	text = render_and_read(&slip, "bidi.pdf");
	if (strstr(text, "\xe2\x80\xae"))
		fail_msg("the override reached the PDF");
	assert_contains(text, "gnp.exe");
	free(text);
}

/* More lines than a page holds: the table goes on, the totals at the end. */
static void
long_payslip_pages(void **state)
{
	struct bd_payslip_line lines[120];
	struct bd_payslip slip = sample("Maria Santos");
	char labels[120][32];
	char *text;

	(void)state;
	slip.gross = slip.ytd_gross = 0;
	for (int i = 0; i < 120; i++) {
		snprintf(labels[i], sizeof(labels[i]), "Allowance %03d", i);
		lines[i] = (struct bd_payslip_line){BD_PAYSLIP_EARNING, labels[i], NULL,
						    10000 + i,		10000 + i, false};
		slip.gross += 10000 + i;
	}
	slip.lines = lines;
	slip.nlines = 120;
	slip.deductions = slip.ytd_deductions = 0;
	slip.ytd_gross = slip.gross;
	slip.net = slip.ytd_net = slip.gross; /* 1,207,140 minor units */
	text = render_and_read(&slip, "long.pdf");
	assert_contains(text, "Allowance 000");
	assert_contains(text, "Allowance 119");
	assert_contains(text, "Page 2");
	assert_contains(text, "12,071.40");
	free(text);
}

static void
figures_must_agree(void **state)
{
	struct bd_payslip_renderer *r = bd_payslip_renderer_new();
	struct bd_payslip slip = sample("Ana Cruz");
	struct strbuf out = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	slip.net += 1; /* a centavo that the lines do not explain */
	assert_int_equal(bd_payslip_pdf(r, &slip, &out, &err), -1);
	assert_non_null(strstr(err.msg, "E-0042"));
	assert_int_equal(out.len, 0);
	slip = sample("Ana Cruz");
	slip.gross -= 1;
	slip.net -= 1;
	assert_int_equal(bd_payslip_pdf(r, &slip, &out, &err), -1);
	slip = sample("Ana Cruz");
	slip.ytd_net -= 1;
	assert_int_equal(bd_payslip_pdf(r, &slip, &out, &err), -1);
	slip = sample("Ana Cruz");
	assert_int_equal(bd_payslip_pdf(r, &slip, &out, &err), 0);
	assert_true(out.len > 1000);
	assert_memory_equal(out.buf, "%PDF-", 5);
	strbuf_release(&out);
	bd_payslip_renderer_free(r);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	const char *argv[] = {"rm", "-rf", tmpdir, NULL};

	(void)state;
	return bd_cli_run_program(argv, NULL, NULL) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(names_in_any_script),
	    cmocka_unit_test(controls_are_gated),
	    cmocka_unit_test(long_payslip_pages),
	    cmocka_unit_test(figures_must_agree),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
