/*
 * What a document type's screen file says beyond a field's own rules: its
 * date order and two-digit years, check digits with parameters (and the
 * parser refusing bad ones), rules across fields refused at load with the
 * file and line, and rules checked while keying (Enter on the field a
 * comparison blames) with the line number in the message.
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

#include "backdesk/date.h"
#include "backdesk/field.h"
#include "backdesk/form.h"
#include "backdesk/screen.h"
#include "backdesk/strbuf.h"

static void
parse_ok(struct bd_screen *s, const char *text)
{
	struct bd_err err = BD_ERR_INIT;

	if (bd_screen_parse(s, text, "t.conf", &err) < 0)
		fail_msg("%s", err.msg);
}

static void
parse_refused(const char *text, const char *msg)
{
	struct bd_screen s;
	struct bd_err err = BD_ERR_INIT;

	assert_int_equal(bd_screen_parse(&s, text, "t.conf", &err), -1);
	if (!strstr(err.msg, msg))
		fail_msg("expected \"%s\" in \"%s\"", msg, err.msg);
}

static char *
saved(const struct bd_field_def *f, const char *typed)
{
	struct strbuf out = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;

	if (bd_field_normalize(f, typed, &out, &err) < 0) {
		strbuf_release(&out);
		return NULL;
	}
	return strbuf_detach(&out, NULL);
}

static void
assert_saved(const struct bd_field_def *f, const char *typed, const char *want)
{
	char *got = saved(f, typed);

	if (!want) {
		if (got)
			fail_msg("%s: \"%s\" saved as %s, expected a refusal", f->name, typed, got);
		return;
	}
	if (!got || strcmp(got, want))
		fail_msg("%s: \"%s\" saved as %s, expected %s", f->name, typed,
			 got ? got : "(refused)", want);
	free(got);
}

/* The installation reads day first; a US form says month first and reads
 * two-digit years, the birth date in the past. */
static void
test_date_order_and_years_per_doctype(void **state)
{
	struct bd_screen s;
	struct bd_date today;
	char yy[8], past[32], typed[32];

	(void)state;
	bd_field_set_date_order(BD_DATE_DMY);
	parse_ok(&s,
		 "screen = { name = \"us\"; date_order = \"mdy\"; two_digit_years = \"window\";\n"
		 "fields = ( { name = \"dos\"; type = \"date\"; },\n"
		 "  { name = \"dob\"; type = \"date\"; two_digit_years = \"past\"; },\n"
		 "  { name = \"strict\"; type = \"date\"; two_digit_years = \"refuse\"; },\n"
		 "  { name = \"eu\"; type = \"date\"; date_order = \"dmy\"; } ); };");
	assert_saved(&s.fields[0], "03/15/2024", "2024-03-15");
	assert_saved(&s.fields[0], "15/03/2024", NULL); /* month first */
	assert_saved(&s.fields[0], "03152024", "2024-03-15");
	assert_saved(&s.fields[0], "2024-03-15", "2024-03-15");
	assert_saved(&s.fields[0], "03/15/24", "2024-03-15");
	assert_saved(&s.fields[0], "031524", "2024-03-15");
	assert_saved(&s.fields[0], "3/5/24", "2024-03-05");
	assert_saved(&s.fields[0], "03/15-24", NULL); /* separators must match */
	assert_saved(&s.fields[0], "03/15/241", NULL);
	assert_saved(&s.fields[3], "15/03/2024", "2024-03-15");
	assert_saved(&s.fields[3], "15/03/24", "2024-03-15"); /* the form's window */
	assert_saved(&s.fields[2], "03/15/24", NULL);
	assert_saved(&s.fields[2], "03/15/2024", "2024-03-15");
	/* A birth date's two-digit year is never in the future: the year after
	 * this one, typed with two digits, is a century ago. */
	assert_int_equal(bd_date_today(&today, NULL), 0);
	snprintf(yy, sizeof(yy), "%02d", (today.year + 1) % 100);
	snprintf(typed, sizeof(typed), "01/01/%s", yy);
	snprintf(past, sizeof(past), "%d-01-01", today.year + 1 - 100);
	assert_saved(&s.fields[1], typed, past);
	snprintf(past, sizeof(past), "%d-01-01", today.year + 1);
	assert_saved(&s.fields[0], typed, past); /* the window keeps it next year */
	assert_non_null(strstr(bd_field_date_forms_of(&s.fields[0]), "MM/DD/YY"));
	assert_null(strstr(bd_field_date_forms_of(&s.fields[2]), "/YY,"));
	bd_screen_release(&s);

	parse_refused("screen = { name = \"x\"; date_order = \"ymd\"; fields = ( { name = \"d\"; "
		      "type = \"date\"; } ); };",
		      "t.conf:1: date_order is \"dmy\" or \"mdy\"");
	parse_refused(
	    "screen = { name = \"x\"; fields = ( { name = \"d\"; type = \"text\"; width = 3;"
	    " two_digit_years = \"past\"; } ); };",
	    "date_order and two_digit_years are for dates");
}

static void
test_check_digit_parameters(void **state)
{
	struct bd_screen s;

	(void)state;
	parse_ok(&s, "screen = { name = \"x\"; fields = ( { name = \"npi\"; type = \"text\"; "
		     "picture = \"9999999999\"; check_digit = \"luhn:80840\"; } ); };");
	assert_string_equal(s.fields[0].check_spec, "luhn:80840");
	assert_saved(&s.fields[0], "1234567893", "1234567893");
	assert_saved(&s.fields[0], "1234567897", NULL);
	bd_screen_release(&s);
	parse_refused("screen = { name = \"x\"; fields = ( { name = \"a\"; width = 9;\n"
		      " check_digit = \"crc32\"; } ); };",
		      "t.conf:2: field 'a': unknown check digit 'crc32' (luhn[:PREFIX], mod11");
	parse_refused("screen = { name = \"x\"; fields = ( { name = \"a\"; width = 9; "
		      "check_digit = \"aba:3\"; } ); };",
		      "check digit 'aba:3' takes no parameter");
	parse_refused("screen = { name = \"x\"; fields = ( { name = \"a\"; width = 9; "
		      "check_digit = \"luhn:8x\"; } ); };",
		      "takes prefix digits after the colon");
	assert_true(bd_check_digit_valid("verhoeff", "2363"));
	assert_false(bd_check_digit_valid("nonesuch", "2363"));
}

static const char GRID[] =
    "screen = { name = \"x\";\n"
    "  fields = ( { name = \"dob\"; label = \"Date of birth\"; type = \"date\"; } );\n"
    "  grids = ( { name = \"lines\"; rows = 6; visible = 3; row = 5; col = 1;\n"
    "    columns = ( { name = \"from\"; label = \"From\"; type = \"date\"; },\n"
    "      { name = \"units\"; label = \"Units\"; type = \"integer\"; width = 3; },\n"
    "      { name = \"max\"; label = \"Max\"; type = \"integer\"; width = 3; } ); } );\n"
    "  rules = ( \"from >= dob\",\n"
    "    \"units <= max\" ); };";

static void
test_rules_parse_and_keying(void **state)
{
	struct bd_screen s;
	struct bd_form form;
	struct bd_err err = BD_ERR_INIT;
	size_t bad = 0;
	int units4, max4;

	(void)state;
	parse_ok(&s, GRID);
	assert_int_equal(s.nrules, 12); /* two rules, six lines each */
	bd_form_init(&form, &s);
	units4 = bd_screen_field_index(&s, "units4");
	max4 = bd_screen_field_index(&s, "max4");
	assert_int_equal(bd_form_set_value(&form, (size_t)max4, "2", &err), 0);
	assert_int_equal(bd_form_set_value(&form, (size_t)units4, "3", &err), 0);
	/* Enter on Units (line 4) checks the rule that blames it. */
	bd_form_goto(&form, (size_t)units4);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_INVALID);
	assert_string_equal(err.msg, "Units (line 4) must be at most Max (line 4)");
	assert_int_equal(form.current, (size_t)units4);
	/* F2: the same, the field to go to. */
	assert_int_equal(bd_form_validate(&form, &bad, &err), -1);
	assert_int_equal(bad, (size_t)units4);
	assert_int_equal(bd_form_set_value(&form, (size_t)units4, "2", &err), 0);
	assert_int_equal(bd_form_validate(&form, &bad, &err), 0);
	bd_form_release(&form);
	bd_screen_release(&s);

	parse_refused("screen = { name = \"x\"; fields = ( { name = \"a\"; type = \"date\"; },\n"
		      "{ name = \"b\"; type = \"money\"; } );\n rules = ( \"a < b\" ); };",
		      "t.conf:3: rule: 'a' and 'b' are not of one type");
	parse_refused("screen = { name = \"x\"; fields = ( { name = \"a\"; type = \"date\"; } );\n"
		      " rules = ( \"a < c\" ); };",
		      "t.conf:2: rule: no field 'c'");
	parse_refused(
	    "screen = { name = \"x\"; fields = ( { name = \"a\"; type = \"integer\"; } );\n"
	    " rules = ( \"a <= today\" ); };",
	    "only a date compares with today");
	parse_refused(
	    "screen = { name = \"x\"; fields = ( { name = \"a\"; type = \"integer\"; } );\n"
	    " rules = ( \"pointer a to a\" ); };",
	    "'a' is not a grid column");
	parse_refused(
	    "screen = { name = \"x\"; fields = ( { name = \"a\"; type = \"integer\"; } );\n"
	    " rules = ( \"a ~ 3\" ); };",
	    "rule: cannot read");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_date_order_and_years_per_doctype),
	    cmocka_unit_test(test_check_digit_parameters),
	    cmocka_unit_test(test_rules_parse_and_keying),
	};

	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "en_US.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
