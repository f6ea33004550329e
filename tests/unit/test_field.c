/*
 * Field rules: the keystroke filter of every type, validation on exit,
 * normalisation for saving, picture masks, check digits and the
 * character/width helpers (CJK and combining marks).
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

#include "backdesk/field.h"
#include "backdesk/screen.h"
#include "backdesk/strbuf.h"

/* A one-field screen; the caller releases it. */
static const struct bd_field_def *
one_field(struct bd_screen *s, const char *attrs)
{
	struct strbuf text = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;

	strbuf_addf(&text, "screen = { name = \"t\"; fields = ( { name = \"f\"; %s } ); };", attrs);
	if (bd_screen_parse(s, text.buf, "test", &err) < 0)
		fail_msg("%s: %s", attrs, err.msg);
	strbuf_release(&text);
	return &s->fields[0];
}

/* Filter cp typed at the end of value (insert mode). */
static uint32_t
key_at_end(const struct bd_field_def *f, const char *value, uint32_t cp)
{
	struct bd_err err = BD_ERR_INIT;
	uint32_t r = bd_field_filter(f, value, bd_chars_count(value), true, cp, &err);

	if (r == 0)
		assert_true(err.msg[0] != '\0'); /* a refusal always says why */
	return r;
}

/* Types each byte of `keys` from empty; returns what was accepted. */
static char *
type_all(const struct bd_field_def *f, const char *keys)
{
	struct strbuf v = STRBUF_INIT;

	for (const char *k = keys; *k; k++) {
		uint32_t r = key_at_end(f, v.buf, (unsigned char)*k);
		if (r)
			strbuf_addch(&v, (int)r);
	}
	return strbuf_detach(&v, NULL);
}

static void
assert_typed(const struct bd_field_def *f, const char *keys, const char *want)
{
	char *got = type_all(f, keys);

	assert_string_equal(got, want);
	free(got);
}

static void
assert_valid(const struct bd_field_def *f, const char *value)
{
	struct bd_err err = BD_ERR_INIT;

	if (bd_field_validate(f, value, &err) < 0)
		fail_msg("\"%s\" refused: %s", value, err.msg);
}

static void
assert_invalid(const struct bd_field_def *f, const char *value, const char *msg)
{
	struct bd_err err = BD_ERR_INIT;

	if (bd_field_validate(f, value, &err) == 0)
		fail_msg("\"%s\" accepted", value);
	if (!strstr(err.msg, msg))
		fail_msg("\"%s\": got \"%s\", want \"%s\"", value, err.msg, msg);
}

static void
assert_normal(const struct bd_field_def *f, const char *value, const char *want)
{
	struct strbuf out = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;

	if (bd_field_normalize(f, value, &out, &err) < 0)
		fail_msg("\"%s\": %s", value, err.msg);
	assert_string_equal(out.buf, want);
	strbuf_release(&out);
}

/* ---- filters ----------------------------------------------------------- */

static void
test_filter_text(void **state)
{
	struct bd_screen s;
	const struct bd_field_def *f;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	f = one_field(&s, "label = \"Code\"; width = 4; upshift = true;");
	assert_typed(f, "ab1-x", "AB1-");
	/* Control characters, bidi overrides and zero-width characters never get in. */
	assert_int_equal(key_at_end(f, "", 0x1b), 0);
	assert_int_equal(key_at_end(f, "", 0x7f), 0);
	assert_int_equal(key_at_end(f, "", 0x9b), 0);
	assert_int_equal(key_at_end(f, "", 0x202e), 0);
	assert_int_equal(key_at_end(f, "", 0x200b), 0);
	assert_int_equal(key_at_end(f, "", 0xd800), 0);
	assert_int_equal(key_at_end(f, "", 0x110000), 0);
	/* Full: refused with the reason. */
	assert_int_equal(bd_field_filter(f, "ABCD", 4, true, 'E', &err), 0);
	assert_string_equal(err.msg, "Code is full");
	/* Overwrite replaces, so a full field still takes a key in the middle. */
	assert_int_equal(bd_field_filter(f, "ABCD", 1, false, 'z', NULL), 'Z');
	/* Upshift beyond ASCII. */
	assert_int_equal(key_at_end(f, "", 0xe9), 0xc9);
	bd_screen_release(&s);

	f = one_field(&s, "width = 3;");
	assert_typed(f, "ab", "ab");
	/* CJK and combining marks are text; a combining mark needs a base. */
	assert_int_equal(key_at_end(f, "", 0x4e2d), 0x4e2d);
	assert_int_equal(key_at_end(f, "e", 0x301), 0x301);
	assert_int_equal(bd_field_filter(f, "", 0, true, 0x301, &err), 0);
	/* A combining mark joins the previous character, so it fits a "full" field. */
	assert_int_equal(key_at_end(f, "abc", 0x301), 0x301);
	bd_screen_release(&s);

	f = one_field(&s, "width = 3; readonly = true;");
	assert_int_equal(bd_field_filter(f, "", 0, true, 'a', &err), 0);
	assert_non_null(strstr(err.msg, "cannot be changed"));
	bd_screen_release(&s);
}

static void
test_filter_integer(void **state)
{
	struct bd_screen s;
	const struct bd_field_def *f;

	(void)state;
	f = one_field(&s, "label = \"Visits\"; type = \"integer\"; width = 4; min = 1;");
	assert_typed(f, "-1a2.3 4", "1234");
	bd_screen_release(&s);

	/* A minus only at the start, and only when the range allows negatives. */
	f = one_field(&s, "type = \"integer\"; width = 4; min = -50;");
	assert_typed(f, "-1-2", "-12");
	assert_int_equal(bd_field_filter(f, "12", 0, true, '-', NULL), '-');
	assert_int_equal(bd_field_filter(f, "12", 1, true, '-', NULL), 0);
	bd_screen_release(&s);

	f = one_field(&s, "type = \"integer\";");
	assert_typed(f, "-5", "-5");
	bd_screen_release(&s);
}

static void
test_filter_money_decimal(void **state)
{
	struct bd_screen s;
	const struct bd_field_def *f;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	f = one_field(&s, "label = \"Amount\"; type = \"money\"; min = \"0.01\";");
	assert_typed(f, "-12.3.45x6", "12.34");
	assert_int_equal(bd_field_filter(f, "12.34", 5, true, '5', &err), 0);
	assert_non_null(strstr(err.msg, "at most 2 decimals"));
	/* A digit before the point is fine even with two decimals typed. */
	assert_int_equal(bd_field_filter(f, "12.34", 0, true, '9', NULL), '9');
	/* A second point anywhere is refused. */
	assert_int_equal(bd_field_filter(f, "12.34", 1, true, '.', NULL), 0);
	/* A point that would leave three decimals is refused. */
	assert_int_equal(bd_field_filter(f, "12345", 2, true, '.', NULL), 0);
	bd_screen_release(&s);

	f = one_field(&s, "type = \"money\"; scale = 0;");
	assert_typed(f, "-1.5", "-15");
	bd_screen_release(&s);

	f = one_field(&s, "type = \"decimal\"; scale = 3; width = 8;");
	assert_typed(f, "-0.12345", "-0.123");
	bd_screen_release(&s);
}

static void
test_filter_date_flag_choice(void **state)
{
	struct bd_screen s;
	const struct bd_field_def *f;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	f = one_field(&s, "type = \"date\";");
	assert_typed(f, "2024x-3/1.5", "2024-3/1.5");
	assert_typed(f, "2024-03-15 and more", "2024-03-15");
	bd_screen_release(&s);

	f = one_field(&s, "label = \"Emergency\"; type = \"flag\";");
	assert_typed(f, "y", "Y");
	assert_typed(f, "n", "N");
	assert_typed(f, "x", "");
	assert_int_equal(bd_field_filter(f, "", 0, true, 'q', &err), 0);
	assert_string_equal(err.msg, "Emergency: Y or N");
	/* One character: a second key is refused in insert mode. */
	assert_int_equal(bd_field_filter(f, "Y", 1, true, 'N', NULL), 0);
	assert_int_equal(bd_field_filter(f, "Y", 0, false, 'n', NULL), 'N');
	bd_screen_release(&s);

	f = one_field(&s,
		      "label = \"Kind\"; type = \"choice\"; values = [\"IN\", \"OUT\", \"INT\"];");
	assert_typed(f, "OX", "O");
	assert_typed(f, "INTX", "INT");
	/* Lower case is taken for upper-case values. */
	assert_typed(f, "out", "OUT");
	assert_int_equal(bd_field_filter(f, "", 0, true, 'Z', &err), 0);
	assert_string_equal(err.msg, "Kind: one of IN, OUT, INT");
	bd_screen_release(&s);
}

static void
test_filter_picture(void **state)
{
	struct bd_screen s;
	const struct bd_field_def *f;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	f = one_field(&s, "label = \"Policy\"; picture = \"AA-99N9X\"; upshift = true;");
	assert_int_equal(f->width, 8);
	assert_int_equal(f->length, 8);
	/* pos is the mask position the key lands on. */
	assert_int_equal(bd_field_filter(f, "", 0, true, 'a', NULL), 'A');
	assert_int_equal(bd_field_filter(f, "", 0, true, '1', &err), 0);
	assert_string_equal(err.msg, "Policy: a letter goes here");
	assert_int_equal(bd_field_filter(f, "AB-", 3, true, 'x', &err), 0);
	assert_string_equal(err.msg, "Policy: a digit goes here");
	assert_int_equal(bd_field_filter(f, "AB-12", 5, true, 'q', NULL), 'Q');
	assert_int_equal(bd_field_filter(f, "AB-12", 5, true, '7', NULL), '7');
	assert_int_equal(bd_field_filter(f, "AB-12", 5, true, '#', NULL), 0);
	assert_int_equal(bd_field_filter(f, "AB-12Q3", 7, true, '#', NULL), '#');
	assert_int_equal(bd_field_filter(f, "AB-12Q3#", 8, true, '1', &err), 0);
	assert_string_equal(err.msg, "Policy is full");

	assert_true(bd_picture_is_slot('9') && bd_picture_is_slot('A') && bd_picture_is_slot('X') &&
		    bd_picture_is_slot('N'));
	assert_false(bd_picture_is_slot('-') || bd_picture_is_slot('a'));
	assert_true(bd_picture_slot_accepts('A', 0xe9)); /* é is a letter */
	assert_false(bd_picture_slot_accepts('X', 0x301));
	assert_false(bd_picture_slot_accepts('X', 0x1b));
	bd_screen_release(&s);
}

/* ---- validation and normalisation ---------------------------------------- */

static void
test_validate_text_and_pattern(void **state)
{
	struct bd_screen s;
	const struct bd_field_def *f;

	(void)state;
	f = one_field(&s, "label = \"Client code\"; width = 10; required = true; upshift = true; "
			  "pattern = \"^[A-Z][A-Z0-9_]*$\"; help = \"Letters and digits\";");
	assert_invalid(f, "", "Client code is required");
	assert_invalid(f, "   ", "Client code is required");
	assert_invalid(f, "1ABC", "Client code is not in the expected form: Letters and digits");
	assert_invalid(f, "ABCDEFGHIJK", "Client code is longer than 10 characters");
	assert_invalid(f, "AB\x1b", "characters that are not allowed");
	assert_invalid(f, "AB\xff", "characters that are not allowed");
	assert_valid(f, "ACME_2");
	assert_normal(f, "ACME", "ACME");
	bd_screen_release(&s);

	f = one_field(&s, "width = 10; upshift = true;");
	assert_valid(f, "");
	assert_normal(f, "", "");
	assert_normal(f, "  ab c  ", "AB C");
	bd_screen_release(&s);
}

static void
test_validate_numbers(void **state)
{
	struct bd_screen s;
	const struct bd_field_def *f;

	(void)state;
	f = one_field(&s, "label = \"Visits\"; type = \"integer\"; min = 1; max = 99;");
	assert_valid(f, "1");
	assert_valid(f, "99");
	assert_invalid(f, "0", "Visits must be between 1 and 99");
	assert_invalid(f, "100", "Visits must be between 1 and 99");
	assert_invalid(f, "1.5", "Visits must be a whole number");
	assert_invalid(f, "1,000", "Visits must be a whole number");
	assert_invalid(f, "-", "Visits must be a whole number");
	assert_normal(f, "007", "7");
	bd_screen_release(&s);

	f = one_field(&s,
		      "label = \"Amount\"; type = \"money\"; min = \"0.01\"; max = \"99999.99\";");
	assert_valid(f, "0.01");
	assert_valid(f, "99999.99");
	assert_invalid(f, "0", "Amount must be between 0.01 and 99999.99");
	assert_invalid(f, "100000", "Amount must be between");
	assert_invalid(f, "1.234", "Amount must be an amount like 1234.00");
	assert_invalid(f, "1e3", "must be an amount");
	assert_invalid(f, "NaN", "must be an amount");
	assert_normal(f, "1234.5", "1234.50");
	assert_normal(f, "1234", "1234.00");
	assert_normal(f, ".5", "0.50");
	assert_normal(f, "1,234.5", "1234.50"); /* set by code, e.g. pasted */
	bd_screen_release(&s);

	f = one_field(&s, "label = \"Adj\"; type = \"money\"; max = 0;");
	assert_valid(f, "-12.5");
	assert_invalid(f, "1", "Adj must be at most 0.00");
	assert_normal(f, "-12.5", "-12.50");
	bd_screen_release(&s);

	f = one_field(&s, "label = \"Pct\"; type = \"decimal\"; scale = 1; min = 0;");
	assert_invalid(f, "-1", "Pct must be at least 0.0");
	assert_normal(f, "12", "12.0");
	bd_screen_release(&s);
}

static void
test_validate_dates(void **state)
{
	struct bd_screen s;
	const struct bd_field_def *f;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	f = one_field(&s, "label = \"Service date\"; type = \"date\"; min = \"2000-01-01\"; "
			  "max = \"2030-12-31\";");
	assert_valid(f, "2024-02-29");
	assert_invalid(f, "2023-02-29", "Service date is not a valid date");
	assert_invalid(f, "2024-13-01", "not a valid date");
	assert_invalid(f, "1999-12-31", "Service date must be between 2000-01-01 and 2030-12-31");
	assert_invalid(f, "2031-01-01", "must be between");
	assert_normal(f, "2024-3-5", "2024-03-05");
	assert_normal(f, "20240315", "2024-03-15");
	/* Day first by default. */
	assert_normal(f, "15/03/2024", "2024-03-15");
	bd_field_set_date_order(BD_DATE_MDY);
	assert_normal(f, "03/15/2024", "2024-03-15");
	bd_field_set_date_order(BD_DATE_DMY);
	bd_screen_release(&s);

	f = one_field(&s, "type = \"date\"; default = \"today\";");
	bd_field_default(f, &sb);
	struct bd_date today;
	char iso[11];
	assert_int_equal(bd_date_today(&today, NULL), 0);
	bd_date_to_iso(&today, iso);
	assert_string_equal(sb.buf, iso);
	strbuf_release(&sb);
	bd_screen_release(&s);
}

static void
test_validate_choice_flag(void **state)
{
	struct bd_screen s;
	const struct bd_field_def *f;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	f = one_field(&s, "label = \"Kind\"; type = \"choice\"; values = [\"IN\", \"OUT\"]; "
			  "required = true; default = \"OUT\";");
	assert_valid(f, "IN");
	assert_invalid(f, "I", "Kind must be one of IN, OUT");
	assert_invalid(f, "", "Kind is required");
	bd_field_default(f, &sb);
	assert_string_equal(sb.buf, "OUT");
	strbuf_release(&sb);
	bd_screen_release(&s);

	f = one_field(&s, "label = \"Active\"; type = \"flag\"; default = \"Y\";");
	assert_valid(f, "Y");
	assert_valid(f, "n");
	assert_invalid(f, "X", "Active must be Y or N");
	assert_normal(f, "n", "N");
	assert_normal(f, "Y", "Y");
	bd_screen_release(&s);
}

static void
test_validate_picture_and_check_digits(void **state)
{
	struct bd_screen s;
	const struct bd_field_def *f;

	(void)state;
	f = one_field(&s, "label = \"Policy number\"; picture = \"AA-99999999\"; "
			  "check_digit = \"luhn\";");
	/* Luhn over the digits only: 7992739 + check 8. */
	assert_valid(f, "AB-79927398");
	assert_invalid(f, "AB-7992739", "Policy number must be filled in as AA-99999999");
	assert_invalid(f, "AB79927398", "must be filled in as");
	assert_invalid(f, "1B-79927398", "must be filled in as");
	assert_invalid(f, "AB-79927397", "Policy number check digit is wrong");
	assert_normal(f, "AB-79927398", "AB-79927398");
	bd_screen_release(&s);

	f = one_field(&s, "label = \"Ref\"; width = 10; check_digit = \"mod11\";");
	assert_valid(f, "0306406152");
	assert_valid(f, "080442957X");
	assert_invalid(f, "0306406153", "Ref check digit is wrong");
	bd_screen_release(&s);
}

static void
test_check_digits(void **state)
{
	(void)state;
	/* Luhn: the classic example, credit-card test numbers, IMEI. */
	assert_true(bd_luhn_valid("79927398713"));
	assert_false(bd_luhn_valid("79927398710"));
	assert_true(bd_luhn_valid("4111111111111111"));
	assert_true(bd_luhn_valid("4111 1111 1111 1111"));
	assert_false(bd_luhn_valid("4111111111111112"));
	assert_true(bd_luhn_valid("5500005555555559"));
	assert_true(bd_luhn_valid("490154203237518"));
	assert_false(bd_luhn_valid("0"));
	assert_false(bd_luhn_valid(""));
	assert_true(bd_luhn_valid("00"));
	assert_int_equal(bd_luhn_digit("7992739871"), '3');
	assert_int_equal(bd_luhn_digit("411111111111111"), '1');
	assert_int_equal(bd_luhn_digit(""), 0);
	/* A transposition of adjacent digits is caught. */
	assert_false(bd_luhn_valid("79927398731"));

	/* Mod 11, ISBN-10 weights. */
	assert_true(bd_mod11_valid("0306406152"));
	assert_true(bd_mod11_valid("0-306-40615-2"));
	assert_true(bd_mod11_valid("080442957X"));
	assert_true(bd_mod11_valid("080442957x"));
	assert_true(bd_mod11_valid("0198526636"));
	assert_false(bd_mod11_valid("0306406151"));
	assert_false(bd_mod11_valid("0360406152")); /* transposed */
	assert_false(bd_mod11_valid("08044295X7")); /* X only as the check */
	assert_false(bd_mod11_valid("5"));
	assert_int_equal(bd_mod11_digit("030640615"), '2');
	assert_int_equal(bd_mod11_digit("080442957"), 'X');
	assert_int_equal(bd_mod11_digit("019852663"), '6');
	assert_int_equal(bd_mod11_digit("abc"), 0);
	/* Weights keep growing past ten digits: 12345678901 + check. */
	char buf[16] = "12345678901";
	buf[11] = bd_mod11_digit(buf);
	buf[12] = '\0';
	assert_true(bd_mod11_valid(buf));
}

/* ---- characters and the view --------------------------------------------- */

static void
test_chars(void **state)
{
	/* "a" + e + COMBINING ACUTE + 中 + "b" */
	const char *s = "ae\xcc\x81\xe4\xb8\xad"
			"b";

	(void)state;
	assert_int_equal(bd_chars_count(s), 4);
	assert_int_equal(bd_chars_offset(s, 0), 0);
	assert_int_equal(bd_chars_offset(s, 1), 1);
	assert_int_equal(bd_chars_offset(s, 2), 4);
	assert_int_equal(bd_chars_offset(s, 3), 7);
	assert_int_equal(bd_chars_offset(s, 4), 8);
	assert_int_equal(bd_chars_offset(s, 99), 8);
	assert_int_equal(bd_chars_width(s, 0, 4), 5);
	assert_int_equal(bd_chars_width(s, 1, 2), 1);
	assert_int_equal(bd_chars_width(s, 2, 3), 2);
	assert_int_equal(bd_chars_count(""), 0);
	/* Invalid bytes count one each. */
	assert_int_equal(bd_chars_count("\xff\xfe"), 2);
}

static void
test_view(void **state)
{
	size_t off, len;
	int col;
	/* 中文字 = three wide characters, 6 columns */
	const char *cjk = "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97";

	(void)state;
	col = bd_field_view("abcdef", 2, 10, &off, &len);
	assert_int_equal(col, 2);
	assert_int_equal(off, 0);
	assert_int_equal(len, 6);

	/* Longer than the field: scrolls only when the cursor would leave it. */
	col = bd_field_view("abcdefghij", 3, 5, &off, &len);
	assert_int_equal(col, 3);
	assert_int_equal(off, 0);
	assert_int_equal(len, 5);
	col = bd_field_view("abcdefghij", 10, 5, &off, &len);
	assert_int_equal(col, 4);
	assert_int_equal(off, 6);
	assert_int_equal(len, 4);
	col = bd_field_view("abcdefghij", 7, 5, &off, &len);
	assert_int_equal(col, 4);
	assert_int_equal(off, 3);
	assert_int_equal(len, 5);

	/* Wide characters: columns, not characters; never half a character. */
	col = bd_field_view(cjk, 1, 10, &off, &len);
	assert_int_equal(col, 2);
	assert_int_equal(len, 9);
	col = bd_field_view(cjk, 3, 5, &off, &len);
	assert_int_equal(col, 4); /* 文字 then the cursor cell */
	assert_int_equal(off, 3);
	assert_int_equal(len, 6);
	/* The cursor's whole wide cell must show: 字 at column 4 of 5 would
	 * overflow, so the view scrolls by one character. */
	col = bd_field_view(cjk, 2, 5, &off, &len);
	assert_int_equal(off, 3);
	assert_int_equal(col, 2);
	assert_int_equal(len, 6);
	/* Without the cursor on it, the slice stops before a character that
	 * would overflow. */
	col = bd_field_view(cjk, 0, 5, &off, &len);
	assert_int_equal(off, 0);
	assert_int_equal(col, 0);
	assert_int_equal(len, 6);
	col = bd_field_view(cjk, 2, 3, &off, &len);
	assert_int_equal(off, 6); /* 字 under the cursor needs two columns */
	assert_int_equal(col, 0);
	assert_int_equal(len, 3);

	/* Combining marks take no column. */
	col = bd_field_view("e\xcc\x81"
			    "x",
			    1, 5, &off, &len);
	assert_int_equal(col, 1);
	assert_int_equal(len, 4);

	col = bd_field_view("", 0, 5, &off, &len);
	assert_int_equal(col, 0);
	assert_int_equal(len, 0);
}

static void
test_type_names(void **state)
{
	struct bd_screen s;
	const struct bd_field_def *f;

	(void)state;
	assert_string_equal(bd_field_type_name(BD_FIELD_MONEY), "money");
	assert_string_equal(bd_field_type_name(BD_FIELD_FLAG), "flag");
	f = one_field(&s, "width = 3;");
	assert_string_equal(bd_field_title(f), "f");
	bd_screen_release(&s);
	f = one_field(&s, "width = 3; label = \"Code\";");
	assert_string_equal(bd_field_title(f), "Code");
	bd_screen_release(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_filter_text),
	    cmocka_unit_test(test_filter_integer),
	    cmocka_unit_test(test_filter_money_decimal),
	    cmocka_unit_test(test_filter_date_flag_choice),
	    cmocka_unit_test(test_filter_picture),
	    cmocka_unit_test(test_validate_text_and_pattern),
	    cmocka_unit_test(test_validate_numbers),
	    cmocka_unit_test(test_validate_dates),
	    cmocka_unit_test(test_validate_choice_flag),
	    cmocka_unit_test(test_validate_picture_and_check_digits),
	    cmocka_unit_test(test_check_digits),
	    cmocka_unit_test(test_chars),
	    cmocka_unit_test(test_view),
	    cmocka_unit_test(test_type_names),
	};

	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "en_US.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
