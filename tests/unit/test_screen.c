/*
 * Screen files: the fixtures in tests/fixtures/screens parse into the
 * expected definitions, and every malformed file in
 * tests/fixtures/screens/bad is refused with "FILE:LINE: reason". Each bad
 * file states its expectation on its first line: "# expect: LINE: text".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/embedded.h"
#include "backdesk/field.h"
#include "backdesk/screen.h"
#include "backdesk/strbuf.h"

static char *
fixture_path(const char *rel)
{
	const char *src = getenv("BD_SOURCE_DIR");
	struct strbuf sb = STRBUF_INIT;

	if (!src)
		fail_msg("BD_SOURCE_DIR is not set (run the tests through ctest)");
	strbuf_addf(&sb, "%s/tests/fixtures/screens/%s", src, rel);
	return strbuf_detach(&sb, NULL);
}

static void
test_claim_fixture(void **state)
{
	struct bd_screen s;
	struct bd_err err = BD_ERR_INIT;
	char *path = fixture_path("claim.conf");
	const struct bd_field_def *f;
	int i;

	(void)state;
	if (bd_screen_load_file(&s, path, &err) < 0)
		fail_msg("claim.conf: %s", err.msg);
	assert_int_equal(s.kind, BD_SCREEN_FORM);
	assert_string_equal(s.name, "entry.claim");
	assert_string_equal(s.title, "Health claim");
	assert_string_equal(s.load, "entry.claim_get");
	assert_string_equal(s.save, "entry.claim_save");
	assert_int_equal(s.nfields, 11);
	assert_string_equal(s.source, path);

	/* Every type is present. */
	bool seen[BD_FIELD_FLAG + 1] = {false};
	for (size_t k = 0; k < s.nfields; k++)
		seen[s.fields[k].type] = true;
	for (i = 0; i <= BD_FIELD_FLAG; i++)
		assert_true(seen[i]);

	/* The widest label is "Amount claimed" (14): inputs start 16 columns in. */
	assert_int_equal(s.label_width, 16);

	f = &s.fields[0];
	assert_string_equal(f->name, "policy");
	assert_string_equal(f->picture, "AA-99999999");
	assert_int_equal(f->width, 11);
	assert_int_equal(f->length, 11);
	assert_int_equal(f->row, 3);
	assert_int_equal(f->col, 2);
	assert_int_equal(f->input_col, 18);
	assert_int_equal(f->check_digit, BD_CHECK_LUHN);
	assert_true(f->required && f->upshift && f->dup && f->auto_advance);
	assert_int_equal(f->line, 11);

	/* Rows default to the previous field's row + 1. */
	f = &s.fields[1];
	assert_int_equal(f->row, 4);
	assert_int_equal(f->width, 30);
	assert_int_equal(f->length, 60);

	f = &s.fields[bd_screen_field_index(&s, "relation")];
	assert_int_equal(f->type, BD_FIELD_CHOICE);
	assert_int_equal(f->nvalues, 3);
	assert_string_equal(f->values[1], "SPOUSE");
	assert_null(f->values[3]);
	assert_int_equal(f->width, 6);
	assert_string_equal(f->default_value, "SELF");

	f = &s.fields[bd_screen_field_index(&s, "provider")];
	assert_int_equal(f->type, BD_FIELD_LOOKUP);
	assert_string_equal(f->lookup, "entry.provider_lookup");
	assert_non_null(f->pattern);

	f = &s.fields[bd_screen_field_index(&s, "service_date")];
	assert_int_equal(f->type, BD_FIELD_DATE);
	assert_string_equal(f->default_value, "today");
	assert_true(f->has_min);
	assert_false(f->has_max);
	assert_string_equal(f->min, "2000-01-01");
	assert_int_equal(f->width, 10);

	f = &s.fields[bd_screen_field_index(&s, "visits")];
	assert_int_equal(f->type, BD_FIELD_INTEGER);
	assert_int_equal(f->min_num, 1);
	assert_int_equal(f->max_num, 99);
	assert_string_equal(f->default_value, "1");

	f = &s.fields[bd_screen_field_index(&s, "amount")];
	assert_int_equal(f->type, BD_FIELD_MONEY);
	assert_int_equal(f->scale, 2);
	assert_int_equal(f->min_num, 1);
	assert_int_equal(f->max_num, 9999999);
	assert_string_equal(f->min, "0.01");
	assert_int_equal(f->width, 12);

	f = &s.fields[bd_screen_field_index(&s, "copay_pct")];
	assert_int_equal(f->type, BD_FIELD_DECIMAL);
	assert_int_equal(f->scale, 1);
	assert_int_equal(f->max_num, 1000);
	assert_string_equal(f->max, "100.0");

	f = &s.fields[bd_screen_field_index(&s, "emergency")];
	assert_int_equal(f->type, BD_FIELD_FLAG);
	assert_int_equal(f->width, 1);
	assert_int_equal(f->length, 1);

	f = &s.fields[bd_screen_field_index(&s, "batch")];
	assert_true(f->readonly);

	assert_int_equal(bd_screen_field_index(&s, "nope"), -1);
	bd_screen_release(&s);
	assert_null(s.fields);
	free(path);
}

static void
test_list_fixture(void **state)
{
	struct bd_screen s;
	struct bd_err err = BD_ERR_INIT;
	char *path = fixture_path("claims_list.conf");

	(void)state;
	if (bd_screen_load_file(&s, path, &err) < 0)
		fail_msg("claims_list.conf: %s", err.msg);
	assert_int_equal(s.kind, BD_SCREEN_LIST);
	assert_string_equal(s.name, "entry.claims");
	assert_string_equal(s.query, "entry.claim_list");
	assert_int_equal(s.ncolumns, 4);
	assert_string_equal(s.columns[1].heading, "Member");
	assert_int_equal(s.columns[1].width, 24);
	assert_int_equal(s.noptions, 2);
	assert_string_equal(s.options[0].code, "2");
	assert_string_equal(s.options[0].screen, "entry.claim");
	assert_null(s.options[0].action);
	assert_false(s.options[0].confirm);
	assert_string_equal(s.options[1].action, "entry.claim_void");
	assert_true(s.options[1].confirm);
	assert_int_equal(s.nfields, 0);
	bd_screen_release(&s);
	free(path);
}

/* Reads "# expect: LINE: text" from the first line of a bad fixture. */
static void
read_expectation(const char *path, int *line, char *text, size_t cap)
{
	FILE *fp = fopen(path, "r");
	char buf[256];
	int off = 0;

	if (!fp)
		fail_msg("cannot open %s", path);
	if (!fgets(buf, sizeof(buf), fp) || sscanf(buf, "# expect: %d: %n", line, &off) != 1 ||
	    off == 0)
		fail_msg("%s: first line must be '# expect: LINE: text'", path);
	fclose(fp);
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(text, cap, "%s", buf + off);
}

static const char *const bad_files[] = {
    "syntax.conf",
    "unknown_attr.conf",
    "unknown_type.conf",
    "width_zero.conf",
    "width_wide.conf",
    "duplicate.conf",
    "row_outside.conf",
    "col_outside.conf",
    "bad_regex.conf",
    "choice_no_values.conf",
    "min_gt_max.conf",
    "float_bound.conf",
    "include.conf",
    "no_name.conf",
    "bad_check_digit.conf",
    "bad_default.conf",
    "text_no_width.conf",
    "list_option.conf",
    "both.conf",
    "top_unknown.conf",
};

static void
test_bad_fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		struct strbuf rel = STRBUF_INIT, prefix = STRBUF_INIT;
		struct bd_screen s;
		struct bd_err err = BD_ERR_INIT;
		char want[200];
		int line;
		char *path;

		strbuf_addf(&rel, "bad/%s", bad_files[i]);
		path = fixture_path(rel.buf);
		read_expectation(path, &line, want, sizeof(want));
		if (bd_screen_load_file(&s, path, &err) == 0)
			fail_msg("%s was accepted", bad_files[i]);
		assert_int_equal(err.kind, BD_ERR_INVALID);
		strbuf_addf(&prefix, "%s:%d: ", path, line);
		if (strncmp(err.msg, prefix.buf, prefix.len) || !strstr(err.msg, want))
			fail_msg("%s: got \"%s\", want \"%s\" containing \"%s\"", bad_files[i],
				 err.msg, prefix.buf, want);
		/* A refused screen is left released. */
		assert_null(s.fields);
		assert_null(s.name);
		strbuf_release(&rel);
		strbuf_release(&prefix);
		free(path);
	}
}

static void
expect_refused(const char *text, int line, const char *want)
{
	struct bd_screen s;
	struct bd_err err = BD_ERR_INIT;
	char prefix[64];

	if (bd_screen_parse(&s, text, "inline", &err) == 0)
		fail_msg("accepted: %s", text);
	snprintf(prefix, sizeof(prefix), "inline:%d: ", line);
	if (strncmp(err.msg, prefix, strlen(prefix)) || !strstr(err.msg, want))
		fail_msg("got \"%s\", want \"%s...%s\"", err.msg, prefix, want);
}

#define ONE(attrs) "screen = {\nname = \"t\";\nfields = (\n{ name = \"f\"; " attrs " }\n);\n};\n"

static void
test_inline_refusals(void **state)
{
	(void)state;
	/* Layout: the label must fit before the input. */
	expect_refused(ONE("label = \"Long label\"; width = 5; col = 2; input_col = 6;"), 4,
		       "the label needs columns");
	expect_refused(ONE("width = 5; row = 1;"), 4, "row must be 2..21");
	expect_refused(ONE("width = 5; col = 80;"), 4, "outside the screen");
	expect_refused(ONE("width = 5; col = -1;"), 4, "outside the screen");
	/* Attribute value types. */
	expect_refused(ONE("width = \"5\";"), 4, "'width' must be a whole number");
	expect_refused(ONE("width = 5; required = 1;"), 4, "'required' must be true or false");
	expect_refused(ONE("width = 5; label = 3;"), 4, "'label' must be a string");
	/* Type rules. */
	expect_refused(ONE("type = \"text\"; width = 5; scale = 2;"), 4, "scale is only for");
	expect_refused(ONE("type = \"money\"; scale = 9;"), 4, "scale must be 0..4");
	expect_refused(ONE("type = \"text\"; width = 5; min = \"1\";"), 4,
		       "min is only for integer");
	expect_refused(ONE("type = \"integer\"; min = \"x\";"), 4, "min \"x\" is not a valid");
	expect_refused(ONE("type = \"date\"; max = \"2024-02-30\";"), 4, "is not a valid date");
	expect_refused(ONE("type = \"date\"; min = \"2024-05-01\"; max = \"2024-04-01\";"), 4,
		       "greater than max");
	expect_refused(ONE("type = \"integer\"; min = 10; max = 9;"), 4, "greater than max");
	expect_refused(ONE("type = \"text\"; width = 5; values = [\"A\"];"), 4,
		       "values are for choice");
	expect_refused(ONE("type = \"choice\"; values = [];"), 4, "a choice needs values");
	expect_refused(ONE("type = \"lookup\"; width = 5;"), 4, "needs lookup =");
	expect_refused(ONE("type = \"money\"; picture = \"999\";"), 4, "a picture is for");
	expect_refused(ONE("type = \"text\"; picture = \"--\";"), 4, "at least one of 9 A X N");
	expect_refused(ONE("type = \"text\"; picture = \"999\"; length = 3;"), 4,
		       "length comes from the picture");
	expect_refused(ONE("type = \"choice\"; values = [\"A\", \"B\"]; default = \"C\";"), 4,
		       "bad default");
	expect_refused(ONE("type = \"integer\"; min = 5; default = 2;"), 4, "bad default");
	/* Whole-screen rules. */
	expect_refused("screen = { name = \"t\"; };\n", 1, "the screen has no fields");
	expect_refused("screen = { name = \"t\";\nfields = ();\n};\n", 2, "non-empty list");
	expect_refused("", 1, "one screen = { } or list = { }");
	expect_refused("list = { name = \"l\";\ncolumns = ( { name = \"a\"; } ); };\n", 1,
		       "the list has no query");
	expect_refused("list = { name = \"l\"; query = \"q\"; };\n", 1, "the list has no columns");
	expect_refused("list = { name = \"l\"; query = \"q\";\ncolumns = ( { name = \"a\";\n"
		       "width = 0; } ); };\n",
		       3, "width must be 1..80");
	expect_refused("list = { name = \"l\"; query = \"q\"; columns = ( { name = \"a\"; } );\n"
		       "options = ( { code = \"1\"; screen = \"x\"; },\n"
		       "{ code = \"1\"; screen = \"y\"; } ); };\n",
		       3, "duplicate option code");
	expect_refused("screen = { name = \"t\"; title = \"\xff\"; fields = ( { name = \"a\"; "
		       "width = 1; } ); };\n",
		       1, "not valid UTF-8");
	expect_refused("screen = {\nname = \"t\";\n"
		       "fields = ( { name = \"a\"; width = 1; } );\nextra = 1;\n};\n",
		       4, "unknown attribute 'extra' in the screen");
}

static void
test_inline_defaults(void **state)
{
	struct bd_screen s;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	/* No labels: inputs start at col; rows follow each other from 2. */
	const char *text =
	    "screen = { name = \"t\"; fields = (\n"
	    "{ name = \"a\"; width = 78; },\n"
	    "{ name = \"b\"; type = \"integer\"; },\n"
	    "{ name = \"c\"; type = \"money\"; min = -5; },\n"
	    "{ name = \"d\"; type = \"choice\"; values = [\"LONGER\", \"X\"]; },\n"
	    "{ name = \"e\"; type = \"flag\"; default = \"y\"; row = 21; col = 79; }\n"
	    "); };\n";
	if (bd_screen_parse(&s, text, "inline", &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(s.fields[0].row, 2);
	assert_int_equal(s.fields[0].input_col, 2);
	assert_int_equal(s.fields[1].row, 3);
	assert_int_equal(s.fields[1].width, 9);
	assert_int_equal(s.fields[2].min_num, -500);
	assert_string_equal(s.fields[2].min, "-5.00");
	assert_int_equal(s.fields[3].width, 6);
	assert_int_equal(s.fields[4].row, 21);
	assert_int_equal(s.fields[4].input_col, 79);
	assert_string_equal(s.fields[4].default_value, "Y");
	assert_int_equal(s.label_width, 2);
	bd_screen_release(&s);

	struct bd_screen *heap = bd_screen_new(text, "heap", &err);
	assert_non_null(heap);
	assert_string_equal(heap->source, "heap");
	bd_screen_free(heap);
	assert_null(bd_screen_new("screen = {", "heap", &err));
	assert_non_null(strstr(err.msg, "heap:1: "));
}

/* ---- grids ---------------------------------------------------------------- */

static void
test_grid_fixture(void **state)
{
	struct bd_screen s;
	struct bd_err err = BD_ERR_INIT;
	char *path = fixture_path("svc_claim.conf");
	const struct bd_field_def *f;
	const struct bd_grid *g;
	int k;

	(void)state;
	if (bd_screen_load_file(&s, path, &err) < 0)
		fail_msg("svc_claim.conf: %s", err.msg);
	/* member, then 6 lines x (code, amount) */
	assert_int_equal(s.nfields, 13);
	assert_int_equal(s.ngrids, 1);
	g = &s.grids[0];
	assert_string_equal(g->name, "services");
	assert_int_equal(g->rows, 6);
	assert_int_equal(g->visible, 3);
	assert_int_equal(g->row, 5);
	assert_int_equal(g->col, 2);
	assert_int_equal(g->number_width, 1);
	assert_int_equal(g->ncolumns, 2);
	assert_string_equal(g->headings[0], "Code");
	assert_string_equal(g->headings[1], "Amount");
	assert_int_equal(g->first, 1);

	k = bd_screen_field_index(&s, "amount4");
	assert_int_equal(k, bd_screen_cell(&s, 0, 3, 1));
	assert_int_equal(bd_screen_cell(&s, 0, 6, 0), -1);
	assert_int_equal(bd_screen_cell(&s, 0, 0, 2), -1);
	assert_int_equal(bd_screen_cell(&s, 1, 0, 0), -1);
	f = &s.fields[k];
	assert_string_equal(f->label, "Amount (line 4)");
	assert_string_equal(bd_field_title(f), "Amount (line 4)");
	assert_int_equal(f->type, BD_FIELD_MONEY);
	assert_int_equal(f->grid, 1);
	assert_int_equal(f->grid_line, 3);
	assert_int_equal(f->grid_col, 1);
	/* line numbers at 2, then a space: Code at 4 (5 wide), Amount at 10 */
	assert_int_equal(s.fields[bd_screen_field_index(&s, "code1")].input_col, 4);
	assert_int_equal(f->input_col, 10);
	assert_int_equal(f->row, 5 + 1 + 3);
	assert_false(f->required);
	assert_true(f->line_required);
	/* every rule of the column, per cell: the pattern, the bounds, dup */
	f = &s.fields[bd_screen_field_index(&s, "code6")];
	assert_true(f->dup);
	assert_int_equal(bd_field_validate(f, "1234", &err), -1);
	assert_non_null(strstr(err.msg, "Code (line 6)"));
	assert_int_equal(bd_field_validate(f, "12345", &err), 0);
	f = &s.fields[bd_screen_field_index(&s, "amount2")];
	assert_int_equal(bd_field_validate(f, "500.01", &err), -1);
	assert_non_null(strstr(err.msg, "Amount (line 2)"));
	bd_screen_release(&s);
	free(path);
}

/* The journal entry: its header, its totals and one grid of 98 lines. */
static void
test_ledger_entry_grid(void **state)
{
	struct bd_screen s;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	if (bd_screen_load_embedded(&s, "ledger.entry", &err) < 0)
		fail_msg("ledger.entry: %s", err.msg);
	assert_int_equal(s.ngrids, 1);
	assert_int_equal(s.grids[0].rows, 98);
	assert_int_equal(s.grids[0].visible, 14);
	assert_int_equal(s.nfields, 7 + 98 * 5);
	assert_true(bd_screen_field_index(&s, "debit98") >= 0);
	assert_true(bd_screen_field_index(&s, "total_debit") >= 0);
	assert_true(s.fields[bd_screen_field_index(&s, "name17")].readonly);
	/* the old layout: account at 4, name at 15, debit 38, credit 51, memo 64 */
	assert_int_equal(s.fields[bd_screen_field_index(&s, "acct1")].input_col, 4);
	assert_int_equal(s.fields[bd_screen_field_index(&s, "name1")].input_col, 15);
	assert_int_equal(s.fields[bd_screen_field_index(&s, "debit1")].input_col, 38);
	assert_int_equal(s.fields[bd_screen_field_index(&s, "credit1")].input_col, 51);
	assert_int_equal(s.fields[bd_screen_field_index(&s, "memo1")].input_col, 64);
	bd_screen_release(&s);
}

#define GRID(grid, fields)                                                                         \
	"screen = {\nname = \"t\";\n" fields "grids = (\n{ name = \"g\"; " grid " }\n);\n};\n"
#define COLS(c) "rows = 10; visible = 4; row = 5; columns = (\n" c "\n);"

static void
test_grid_refusals(void **state)
{
	(void)state;
	expect_refused(GRID("visible = 2; columns = ( { name = \"a\"; width = 3; } );", ""), 4,
		       "grid 'g': rows (the number of lines) must be 1..999");
	expect_refused(GRID("rows = 1000; columns = ( { name = \"a\"; width = 3; } );", ""), 4,
		       "must be 1..999");
	expect_refused(
	    GRID("rows = 3; visible = 4; columns = ( { name = \"a\"; width = 3; } );", ""), 4,
	    "visible must be 1..3");
	expect_refused(GRID("rows = 30; visible = 16; row = 6; columns = ( { name = \"a\"; width "
			    "= 3; } );",
			    ""),
		       4, "grid 'g' is outside the screen");
	expect_refused(GRID("rows = 3;", ""), 4, "grid 'g' has no columns");
	expect_refused(GRID("rows = 3; columns = ();", ""), 4, "columns must be a non-empty list");
	expect_refused("screen = {\nname = \"t\";\ngrids = (\n{ rows = 3; columns = ( { name = "
		       "\"a\"; width = 3; } ); }\n);\n};\n",
		       4, "grid without a name");
	expect_refused(
	    GRID("rows = 3; colour = 1; columns = ( { name = \"a\"; width = 3; } );", ""), 4,
	    "unknown attribute 'colour' in a grid");
	/* Columns: every field rule, at the column's line. */
	expect_refused(GRID(COLS("{ name = \"a\"; width = 3; },\n{ name = \"b\"; type = \"money\"; "
				 "min = \"x\"; }"),
			    ""),
		       6, "field 'b': min \"x\" is not a valid");
	expect_refused(GRID(COLS("{ name = \"a\"; type = \"lookup\"; width = 3; }"), ""), 5,
		       "needs lookup =");
	expect_refused(GRID(COLS("{ name = \"a\"; width = 3;\nrow = 7; }"), ""), 6,
		       "the grid places its columns");
	expect_refused(
	    GRID(COLS("{ name = \"a\"; width = 3; },\n{ name = \"a\"; width = 3; }"), ""), 6,
	    "duplicate column 'a'");
	expect_refused(
	    GRID(COLS("{ name = \"a\"; width = 70; },\n{ name = \"b\"; width = 9; }"), ""), 6,
	    "column 'b' is outside the screen");
	expect_refused(GRID(COLS("{ name = \"a\"; width = 3; },\n{ name = \"b\"; width = 3;\ncol = "
				 "5; }"),
			    ""),
		       7, "col must be 8 or more");
	/* Names and places. */
	expect_refused(GRID(COLS("{ name = \"a\"; width = 3; }"),
			    "fields = (\n{ name = \"a3\"; width = 3; row = 2; }\n);\n"),
		       8, "cell 'a3' has the name of another field (line 4)");
	expect_refused(GRID("rows = 12; visible = 4; row = 5; columns = (\n{ name = \"a\"; width = "
			    "3; },\n{ name = \"a1\"; width = 3; }\n);",
			    ""),
		       5, "cell 'a11' has the name of another field (line 6)");
	expect_refused(GRID(COLS("{ name = \"a\"; width = 3; }"),
			    "fields = (\n{ name = \"x\"; width = 3; row = 8; }\n);\n"),
		       4, "field 'x' is inside grid 'g' (rows 5..9)");
	expect_refused(
	    GRID("rows = 999; visible = 4; row = 5; columns = (\n{ name = \"a\"; width = "
		 "3; },\n{ name = \"b\"; width = 3; },\n{ name = \"c\"; width = 3; },\n"
		 "{ name = \"d\"; width = 3; },\n{ name = \"e\"; width = 3; },\n{ name = "
		 "\"f\"; width = 3; }\n);",
		 ""),
	    4, "more than 5000 fields");
}

static void
test_grid_defaults(void **state)
{
	struct bd_screen s;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	/* A screen of only a grid; visible defaults to rows, row to 2, col to 1. */
	if (bd_screen_parse(&s,
			    GRID("rows = 12; columns = ( { name = \"a\"; width = 3; },\n"
				 "{ name = \"b\"; label = \"Bee\"; type = \"date\"; default = "
				 "\"today\"; col = 20; } );",
				 ""),
			    "inline", &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(s.nfields, 24);
	assert_int_equal(s.grids[0].visible, 12);
	assert_int_equal(s.grids[0].row, 2);
	assert_int_equal(s.grids[0].number_width, 2);
	assert_string_equal(s.grids[0].headings[0], "a");
	assert_string_equal(s.fields[bd_screen_field_index(&s, "b12")].label, "Bee (line 12)");
	assert_int_equal(s.fields[bd_screen_field_index(&s, "a1")].input_col, 1 + 2 + 1);
	assert_int_equal(s.fields[bd_screen_field_index(&s, "b1")].input_col, 20);
	assert_string_equal(s.fields[bd_screen_field_index(&s, "b7")].default_value, "today");
	bd_screen_release(&s);
}

static void
test_missing_file_and_embedded(void **state)
{
	struct bd_screen s;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	assert_int_equal(bd_screen_load_file(&s, "/nonexistent/x.conf", &err), -1);
	assert_int_equal(err.kind, BD_ERR_IO);
	bd_err_clear(&err);
	assert_int_equal(bd_screen_load_embedded(&s, "no.such_screen_anywhere", &err), -1);
	assert_int_equal(err.kind, BD_ERR_NOT_FOUND);
}

/* Every screen compiled into the binary parses, and is found by its name.
 * (screens/keymap.conf is the key map, not a screen.) */
static void
test_embedded_screens(void **state)
{
	const struct bd_embedded_file *f;
	int count = 0;

	(void)state;
	for (f = bd_embedded_files; f->path; f++) {
		struct bd_screen s, byname;
		struct bd_err err = BD_ERR_INIT;
		size_t len = strlen(f->path);

		if (strncmp(f->path, "screens/", 8) || len < 5 ||
		    strcmp(f->path + len - 5, ".conf") || !strcmp(f->path, "screens/keymap.conf"))
			continue;
		if (bd_screen_parse(&s, f->data, f->path, &err) < 0)
			fail_msg("%s", err.msg);
		if (bd_screen_load_embedded(&byname, s.name, &err) < 0)
			fail_msg("%s: %s", s.name, err.msg);
		assert_string_equal(byname.name, s.name);
		assert_int_equal(byname.nfields, s.nfields);
		bd_screen_release(&byname);
		bd_screen_release(&s);
		count++;
	}
	assert_true(count > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_claim_fixture),
	    cmocka_unit_test(test_list_fixture),
	    cmocka_unit_test(test_bad_fixtures),
	    cmocka_unit_test(test_inline_refusals),
	    cmocka_unit_test(test_inline_defaults),
	    cmocka_unit_test(test_missing_file_and_embedded),
	    cmocka_unit_test(test_embedded_screens),
	    cmocka_unit_test(test_grid_fixture),
	    cmocka_unit_test(test_ledger_entry_grid),
	    cmocka_unit_test(test_grid_refusals),
	    cmocka_unit_test(test_grid_defaults),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
