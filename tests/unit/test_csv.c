/*
 * CSV (RFC 4180): what the reader takes exactly, what it refuses with file
 * and line, and what the writer writes back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "backdesk/csv.h"

/* Reads all of text; returns the records as "a|b|c" lines joined by "\n". */
static int
read_all(const char *text, size_t len, struct strbuf *got, struct bd_err *err)
{
	struct bd_csv_reader rd;
	struct bd_csv_record rec = {0};
	int r;

	bd_csv_reader_init(&rd, text, len, "in.csv");
	while ((r = bd_csv_next(&rd, &rec, err)) > 0) {
		for (size_t i = 0; i < rec.ncells; i++) {
			if (i)
				strbuf_addch(got, '|');
			strbuf_addstr(got, rec.cells[i]);
		}
		strbuf_addf(got, "@%d\n", rec.line);
	}
	bd_csv_record_release(&rec);
	return r;
}

static void
good(const char *text, const char *want)
{
	struct strbuf got = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;

	if (read_all(text, strlen(text), &got, &err) != 0)
		fail_msg("%s: refused: %s", text, err.msg);
	assert_string_equal(got.buf, want);
	strbuf_release(&got);
}

static void
bad(const char *text, size_t len, const char *want)
{
	struct strbuf got = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;

	if (read_all(text, len, &got, &err) >= 0)
		fail_msg("accepted what should be refused with %s", want);
	if (!strstr(err.msg, want))
		fail_msg("message '%s' lacks '%s'", err.msg, want);
	strbuf_release(&got);
}

static void
test_reads(void **state)
{
	(void)state;
	good("a,b\n1,2\n", "a|b@1\n1|2@2\n");
	good("a,b\r\n1,2\r\n", "a|b@1\n1|2@2\n");
	good("a,b\n1,2", "a|b@1\n1|2@2\n"); /* no final newline */
	good("\xef\xbb\xbf"
	     "a,b\n1,2\n",
	     "a|b@1\n1|2@2\n");							/* BOM */
	good("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n", "a|b@1\nx,y|say \"hi\"@2\n"); /* quotes */
	good("a,b\n\"two\nlines\",2\n3,4\n", "a|b@1\ntwo\nlines|2@2\n3|4@4\n"); /* line count */
	good("a,b\n,\n", "a|b@1\n|@2\n");					/* empty cells */
	good("a,b\n\n1,2\r\n\r\n\n", "a|b@1\n1|2@3\n");	      /* blank lines skipped */
	good("a\n\"\"\n\nb\n", "a@1\n@2\nb@4\n");	      /* one column: "" is empty */
	good("name\n  spaced  \n", "name@1\n  spaced  @2\n"); /* nothing trimmed */
	good("name\nPeña\n", "name@1\nPeña@2\n");
	good("x\n\xef\xbf\xbd\n", "x@1\n\xef\xbf\xbd@2\n"); /* U+FFFD itself is fine */
	good("", "");
}

static void
test_refuses(void **state)
{
	(void)state;
	bad("a,b\n1,2\n3\n", 10, "in.csv:3: 1 values, but the header has 2 columns");
	bad("a,b\n1,2,3\n", 10, "in.csv:2: 3 values");
	bad("a,b\n\n1\n", 7, "in.csv:3: 1 values"); /* line counted past a blank */
	bad("a,b\n1,\"open\n2,3\n", 16, "in.csv:2: a quoted value never ends");
	bad("a,b\n\"x\"y,2\n", 10, "in.csv:2: text after a closing quote");
	bad("a,b\nx\"y,2\n", 9, "in.csv:2: a quote inside an unquoted value");
	bad("a,b\n1,2\n3,\0004\n", 13, "in.csv:3: a NUL byte");
	bad("a,b\n1,\xff\n", 8, "in.csv:2: invalid UTF-8");
	bad("a,b\n1,\xc3\n", 8, "in.csv:2: invalid UTF-8");		    /* cut sequence */
	bad("a,b\n\"x\ny\",\xed\xa0\x80\n", 14, "in.csv:3: invalid UTF-8"); /* surrogate, line 3 */
}

static void
test_writes(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	bd_csv_cell(&out, "plain", true);
	bd_csv_cell(&out, "a,b", false);
	bd_csv_cell(&out, "say \"hi\"", false);
	bd_csv_cell(&out, "two\nlines", false);
	bd_csv_cell(&out, " lead", false);
	bd_csv_cell(&out, "", false);
	bd_csv_cell(&out, "\x1b]0;PWNED\x07", false);
	bd_csv_end_record(&out);
	assert_string_equal(out.buf, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" lead\",,"
				     "\xe2\x90\x9b]0;PWNED\xe2\x90\x87\r\n");
	strbuf_release(&out);
}

/* What the writer writes, the reader reads back the same. */
static void
test_round_trip(void **state)
{
	static const char *const values[] = {"x", "a,b", "\"q\"", "l1\r\nl2", " s ", "", "Peña"};
	static const char *const column[] = {"", "x", "", ""}; /* one column, empty values */
	struct strbuf out = STRBUF_INIT;
	struct bd_csv_reader rd;
	struct bd_csv_record rec = {0};
	struct bd_err err = BD_ERR_INIT;
	size_t i, n = sizeof(values) / sizeof(values[0]);

	(void)state;
	for (int row = 0; row < 2; row++) {
		for (i = 0; i < n; i++)
			bd_csv_cell(&out, values[i], i == 0);
		bd_csv_end_record(&out);
	}
	bd_csv_reader_init(&rd, out.buf, out.len, "rt.csv");
	for (int row = 0; row < 2; row++) {
		assert_int_equal(bd_csv_next(&rd, &rec, &err), 1);
		assert_int_equal(rec.ncells, n);
		for (i = 0; i < n; i++)
			assert_string_equal(rec.cells[i], values[i]);
	}
	assert_int_equal(bd_csv_next(&rd, &rec, &err), 0);

	strbuf_reset(&out);
	for (i = 0; i < 4; i++) {
		bd_csv_cell(&out, column[i], true);
		bd_csv_end_record(&out);
	}
	assert_string_equal(out.buf, "\"\"\r\nx\r\n\"\"\r\n\"\"\r\n");
	bd_csv_reader_init(&rd, out.buf, out.len, "col.csv");
	for (i = 0; i < 4; i++) {
		assert_int_equal(bd_csv_next(&rd, &rec, &err), 1);
		assert_int_equal(rec.ncells, 1);
		assert_string_equal(rec.cells[0], column[i]);
	}
	assert_int_equal(bd_csv_next(&rd, &rec, &err), 0);
	bd_csv_record_release(&rec);
	strbuf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reads),
	    cmocka_unit_test(test_refuses),
	    cmocka_unit_test(test_writes),
	    cmocka_unit_test(test_round_trip),
	};

	/* As main() does: the gate needs a UTF-8 locale. */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
