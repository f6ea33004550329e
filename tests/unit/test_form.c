/*
 * The form state machine, driven key by key as the UI would, on the claim
 * screen (tests/fixtures/screens/claim.conf) and a few inline screens:
 * auto-advance, Dup, a failed exit keeping the cursor, insert vs overwrite,
 * picture masks, CJK and combining characters, counters, drafts.
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
#include "backdesk/form.h"
#include "backdesk/screen.h"
#include "backdesk/strbuf.h"

/* Field indexes in claim.conf. */
enum {
	POLICY,
	MEMBER,
	RELATION,
	PROVIDER,
	SERVICE_DATE,
	VISITS,
	AMOUNT,
	COPAY,
	REF,
	EMERGENCY,
	BATCH,
};

static struct bd_screen claim;

static int
setup_claim(void **state)
{
	const char *src = getenv("BD_SOURCE_DIR");
	struct strbuf path = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	if (!src) {
		fprintf(stderr, "BD_SOURCE_DIR is not set (run the tests through ctest)\n");
		return -1;
	}
	strbuf_addf(&path, "%s/tests/fixtures/screens/claim.conf", src);
	if (bd_screen_load_file(&claim, path.buf, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	strbuf_release(&path);
	return 0;
}

static int
teardown_claim(void **state)
{
	(void)state;
	bd_screen_release(&claim);
	return 0;
}

/* Types an ASCII string; returns the status of the last key. */
static enum bd_form_status
type_str(struct bd_form *form, const char *s, struct bd_err *err)
{
	enum bd_form_status st = BD_FORM_OK;

	for (; *s; s++)
		st = bd_form_type(form, (unsigned char)*s, err);
	return st;
}

static void
test_init_and_defaults(void **state)
{
	struct bd_form form;
	struct bd_date today;
	char iso[11];

	(void)state;
	bd_form_init(&form, &claim);
	assert_int_equal(form.nfields, 11);
	assert_int_equal(form.current, POLICY);
	assert_int_equal(form.cursor, 0);
	assert_true(form.insert);
	for (size_t i = 0; i < form.nfields; i++)
		assert_string_equal(bd_form_value(&form, i), "");
	assert_null(bd_form_value(&form, 99));

	bd_form_load_defaults(&form);
	assert_string_equal(bd_form_value(&form, RELATION), "SELF");
	assert_string_equal(bd_form_value(&form, VISITS), "1");
	assert_string_equal(bd_form_value(&form, EMERGENCY), "N");
	assert_string_equal(bd_form_value(&form, POLICY), "");
	assert_int_equal(bd_date_today(&today, NULL), 0);
	bd_date_to_iso(&today, iso);
	assert_string_equal(bd_form_value_by_name(&form, "service_date"), iso);
	assert_null(bd_form_value_by_name(&form, "nope"));
	bd_form_release(&form);
}

static void
test_picture_auto_advance(void **state)
{
	struct bd_form form;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	bd_form_init(&form, &claim);
	/* A digit where the mask wants a letter is refused, nothing changes. */
	assert_int_equal(bd_form_type(&form, '1', &err), BD_FORM_REJECTED);
	assert_string_equal(err.msg, "Policy no: a letter goes here");
	assert_string_equal(bd_form_value(&form, POLICY), "");

	/* Upshifted as typed; the literal is inserted and the cursor skips it. */
	assert_int_equal(type_str(&form, "ab", &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, POLICY), "AB-");
	assert_int_equal(form.cursor, 3);
	assert_int_equal(bd_form_cursor_col(&form), 3);
	assert_int_equal(bd_form_type(&form, 'x', &err), BD_FORM_REJECTED);

	/* 12345674 passes Luhn: the last digit fills the field and moves on. */
	assert_int_equal(type_str(&form, "1234567", &err), BD_FORM_OK);
	assert_int_equal(form.current, POLICY);
	assert_int_equal(bd_form_type(&form, '4', &err), BD_FORM_MOVED);
	assert_string_equal(bd_form_value(&form, POLICY), "AB-12345674");
	assert_int_equal(form.current, MEMBER);
	assert_int_equal(form.cursor, 0);
	bd_form_release(&form);
}

static void
test_failure_keeps_cursor(void **state)
{
	struct bd_form form;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	bd_form_init(&form, &claim);
	/* Wrong check digit: auto-advance is refused, the field stays. */
	assert_int_equal(type_str(&form, "ab12345675", &err), BD_FORM_INVALID);
	assert_string_equal(err.msg, "Policy no check digit is wrong");
	assert_int_equal(form.current, POLICY);
	assert_int_equal(form.cursor, 11);
	assert_string_equal(bd_form_value(&form, POLICY), "AB-12345675");
	/* Enter says the same. */
	bd_err_clear(&err);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_INVALID);
	assert_string_equal(err.msg, "Policy no check digit is wrong");
	assert_int_equal(form.current, POLICY);
	/* Fix the last digit: backspace, retype. */
	assert_int_equal(bd_form_backspace(&form, &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, POLICY), "AB-1234567");
	assert_int_equal(bd_form_type(&form, '4', &err), BD_FORM_MOVED);
	assert_int_equal(form.current, MEMBER);

	/* A required field left empty. */
	bd_err_clear(&err);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_INVALID);
	assert_string_equal(err.msg, "Member name is required");
	assert_int_equal(form.current, MEMBER);

	/* Going back never validates. */
	assert_int_equal(bd_form_prev(&form), BD_FORM_MOVED);
	assert_int_equal(form.current, POLICY);
	assert_int_equal(bd_form_prev(&form), BD_FORM_OK);
	assert_int_equal(form.current, POLICY);
	bd_form_release(&form);
}

static void
test_picture_editing(void **state)
{
	struct bd_form form;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	bd_form_init(&form, &claim);
	assert_int_equal(bd_form_set_value(&form, POLICY, "AB-12345674", &err), 0);
	bd_form_end(&form);
	assert_int_equal(form.cursor, 11);
	/* Left from the first digit skips the literal. */
	for (int i = 0; i < 8; i++)
		bd_form_left(&form);
	assert_int_equal(form.cursor, 3);
	bd_form_left(&form);
	assert_int_equal(form.cursor, 1);
	bd_form_right(&form);
	assert_int_equal(form.cursor, 3);

	/* Delete in the middle: the data closes up behind the literals. */
	bd_form_right(&form); /* on '2' */
	assert_int_equal(form.cursor, 4);
	assert_int_equal(bd_form_delete(&form, &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, POLICY), "AB-1345674");
	assert_int_equal(form.cursor, 4);
	/* Insert puts it back. */
	assert_int_equal(bd_form_type(&form, '2', &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, POLICY), "AB-12345674");
	assert_int_equal(form.cursor, 5);
	/* Full and in insert mode: refused. */
	assert_int_equal(bd_form_type(&form, '9', &err), BD_FORM_REJECTED);
	assert_string_equal(err.msg, "Policy no is full");
	/* Overwrite replaces in place. */
	bd_form_toggle_insert(&form);
	assert_int_equal(bd_form_type(&form, '9', &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, POLICY), "AB-12945674");
	bd_form_toggle_insert(&form);

	/* Backspace over the literal removes the letter before it. */
	bd_form_home(&form);
	bd_form_right(&form);
	bd_form_right(&form);
	assert_int_equal(form.cursor, 3);
	assert_int_equal(bd_form_backspace(&form, &err), BD_FORM_OK);
	/* Data B12945674 no longer fits AA-: kept up to the first misfit. */
	assert_string_equal(bd_form_value(&form, POLICY), "A");
	assert_int_equal(form.cursor, 1);

	/* Clear to end. */
	assert_int_equal(bd_form_set_value(&form, POLICY, "AB-1234", &err), 0);
	bd_form_home(&form);
	bd_form_right(&form);
	assert_int_equal(bd_form_clear_to_end(&form, &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, POLICY), "A");
	bd_form_release(&form);
}

static void
test_insert_overwrite_and_counters(void **state)
{
	struct bd_form form;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	bd_form_init(&form, &claim);
	bd_form_goto(&form, MEMBER);
	assert_int_equal(type_str(&form, "abc", &err), BD_FORM_OK);
	bd_form_home(&form);
	assert_int_equal(bd_form_type(&form, 'X', &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, MEMBER), "Xabc");
	bd_form_toggle_insert(&form);
	assert_false(form.insert);
	assert_int_equal(bd_form_type(&form, 'Y', &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, MEMBER), "XYbc");
	assert_int_equal(form.cursor, 2);
	/* Overwrite at the end appends. */
	bd_form_end(&form);
	assert_int_equal(bd_form_type(&form, 'Z', &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, MEMBER), "XYbcZ");
	bd_form_toggle_insert(&form);

	assert_int_equal(bd_form_backspace(&form, &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, MEMBER), "XYbc");
	bd_form_home(&form);
	assert_int_equal(bd_form_delete(&form, &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, MEMBER), "Ybc");
	/* Nothing to remove: no correction counted. */
	assert_int_equal(bd_form_backspace(&form, &err), BD_FORM_OK);
	bd_form_right(&form);
	assert_int_equal(bd_form_clear_to_end(&form, &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, MEMBER), "Y");
	bd_form_right(&form);
	assert_int_equal(form.cursor, 1);

	/* 3 + home + X + toggle + Y + end + Z + toggle + bs + home + del + bs
	 * + right + clear + right = 17 keys; 3 corrections (bs, del, clear). */
	assert_int_equal(form.counters.keystrokes, 17);
	assert_int_equal(form.counters.corrections, 3);
	assert_int_equal(form.counters.fields_keyed, 1);
	bd_form_release(&form);
}

static void
test_cjk_and_combining(void **state)
{
	struct bd_form form;
	struct bd_err err = BD_ERR_INIT;
	size_t off, len;

	(void)state;
	bd_form_init(&form, &claim);
	bd_form_goto(&form, MEMBER);
	assert_int_equal(bd_form_type(&form, 0x4e2d, &err), BD_FORM_OK); /* 中 */
	assert_int_equal(bd_form_type(&form, 0x6587, &err), BD_FORM_OK); /* 文 */
	assert_int_equal(form.cursor, 2);
	assert_int_equal(bd_form_cursor_col(&form), 4);
	bd_form_left(&form);
	assert_int_equal(bd_form_cursor_col(&form), 2);
	assert_int_equal(bd_form_type(&form, 'e', &err), BD_FORM_OK);
	/* A combining acute joins the e: the cursor stays after it. */
	assert_int_equal(bd_form_type(&form, 0x301, &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, MEMBER), "\xe4\xb8\xad"
							  "e\xcc\x81"
							  "\xe6\x96\x87");
	assert_int_equal(form.cursor, 2);
	assert_int_equal(bd_form_cursor_col(&form), 3);
	/* Overwrite the 文 with an x: one character for one. */
	bd_form_toggle_insert(&form);
	assert_int_equal(bd_form_type(&form, 'x', &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, MEMBER), "\xe4\xb8\xad"
							  "e\xcc\x81"
							  "x");
	bd_form_toggle_insert(&form);
	/* Backspace takes the x, then é as a whole. */
	assert_int_equal(bd_form_backspace(&form, &err), BD_FORM_OK);
	assert_int_equal(bd_form_backspace(&form, &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, MEMBER), "\xe4\xb8\xad");
	assert_int_equal(form.cursor, 1);
	bd_form_home(&form);
	assert_int_equal(bd_form_delete(&form, &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, MEMBER), "");

	/* Horizontal scroll: 20 wide characters (40 columns) in a 30-column field. */
	for (int i = 0; i < 20; i++)
		assert_int_equal(bd_form_type(&form, 0x4e00 + (uint32_t)i, &err), BD_FORM_OK);
	assert_int_equal(form.cursor, 20);
	/* The end cell after 28 columns of text: 6 characters scrolled off. */
	assert_int_equal(bd_form_cursor_col(&form), 28);
	bd_form_field_view(&form, MEMBER, &off, &len);
	assert_int_equal(off, 6 * 3);
	assert_int_equal(len, 14 * 3);
	bd_form_home(&form);
	assert_int_equal(bd_form_cursor_col(&form), 0);
	bd_form_field_view(&form, MEMBER, &off, &len);
	assert_int_equal(off, 0);
	assert_int_equal(len, 15 * 3);
	/* Another field's view starts at its beginning. */
	bd_form_field_view(&form, RELATION, &off, &len);
	assert_int_equal(off, 0);
	bd_form_release(&form);
}

static void
test_dup(void **state)
{
	struct bd_form form;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	bd_form_init(&form, &claim);
	bd_form_load_defaults(&form);
	/* No previous record yet. */
	assert_int_equal(bd_form_dup(&form, &err), BD_FORM_REJECTED);
	assert_non_null(strstr(err.msg, "no previous record"));

	assert_int_equal(bd_form_set_value(&form, POLICY, "AB-12345674", &err), 0);
	assert_int_equal(bd_form_set_value(&form, MEMBER, "Ana Cruz", &err), 0);
	assert_int_equal(bd_form_set_value(&form, RELATION, "CHILD", &err), 0);
	assert_int_equal(bd_form_set_value(&form, PROVIDER, "P100", &err), 0);
	bd_form_remember(&form);
	bd_form_load_defaults(&form);
	assert_string_equal(bd_form_value(&form, POLICY), "");
	assert_int_equal(form.current, POLICY);

	/* F6 copies and advances. */
	assert_int_equal(bd_form_dup(&form, &err), BD_FORM_MOVED);
	assert_string_equal(bd_form_value(&form, POLICY), "AB-12345674");
	assert_int_equal(form.current, MEMBER);
	/* Member is not dup-able. */
	assert_int_equal(bd_form_dup(&form, &err), BD_FORM_REJECTED);
	assert_string_equal(err.msg, "Member name cannot be copied from the previous record");
	assert_string_equal(bd_form_value(&form, MEMBER), "");
	type_str(&form, "Ben Cruz", &err);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	assert_int_equal(bd_form_dup(&form, &err), BD_FORM_MOVED);
	assert_string_equal(bd_form_value(&form, RELATION), "CHILD");
	assert_int_equal(form.current, PROVIDER);
	assert_int_equal(form.counters.fields_keyed, 3);

	/* A previous value that no longer validates stops the advance. */
	assert_int_equal(bd_form_set_previous(&form, PROVIDER, "p-1", &err), 0);
	assert_int_equal(bd_form_dup(&form, &err), BD_FORM_INVALID);
	assert_int_equal(form.current, PROVIDER);
	assert_non_null(strstr(err.msg, "Provider is not in the expected form"));
	assert_int_equal(bd_form_set_previous(&form, 99, "x", &err), -1);
	bd_form_release(&form);
}

static void
test_walk_to_end_and_params(void **state)
{
	struct bd_form form;
	struct bd_err err = BD_ERR_INIT;
	size_t bad = 99;
	char **params;

	(void)state;
	bd_form_init(&form, &claim);
	bd_form_load_defaults(&form);
	assert_int_equal(bd_form_validate(&form, &bad, &err), -1);
	assert_int_equal(bad, POLICY);
	assert_string_equal(err.msg, "Policy no is required");
	assert_null(bd_form_params(&form, &bad, &err));

	assert_int_equal(type_str(&form, "XY79927398", &err), BD_FORM_MOVED);
	assert_int_equal(type_str(&form, "Ana Cruz", &err), BD_FORM_OK);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	/* Choice: the default SELF is there; clear it and type a prefix. */
	bd_form_clear_to_end(&form, &err);
	assert_int_equal(type_str(&form, "sp", &err), BD_FORM_OK);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_INVALID);
	assert_string_equal(err.msg, "Relation must be one of SELF, SPOUSE, CHILD");
	type_str(&form, "ouse", &err);
	assert_string_equal(bd_form_value(&form, RELATION), "SPOUSE");
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	type_str(&form, "p100", &err);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	/* Date typed day first is shown ISO once left. */
	bd_form_clear_to_end(&form, &err);
	type_str(&form, "15/03/2024", &err);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	assert_string_equal(bd_form_value(&form, SERVICE_DATE), "2024-03-15");
	assert_int_equal(form.current, VISITS);
	/* Integer: default 1; 0 is out of range. */
	bd_form_clear_to_end(&form, &err);
	type_str(&form, "0", &err);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_INVALID);
	assert_string_equal(err.msg, "Visits must be between 1 and 99");
	bd_form_backspace(&form, &err);
	type_str(&form, "2", &err);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	/* Money: minus refused (min 0.01), shown with its decimals once left. */
	assert_int_equal(bd_form_type(&form, '-', &err), BD_FORM_REJECTED);
	type_str(&form, "1234.5", &err);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	assert_string_equal(bd_form_value(&form, AMOUNT), "1234.50");
	type_str(&form, "12.5", &err);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	/* Reference: empty is fine (not required). */
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	assert_int_equal(form.current, EMERGENCY);
	/* Flag: overwrite the default N with y. */
	bd_form_toggle_insert(&form);
	assert_int_equal(bd_form_type(&form, 'y', &err), BD_FORM_OK);
	bd_form_toggle_insert(&form);
	assert_string_equal(bd_form_value(&form, EMERGENCY), "Y");
	/* The batch field is readonly: Enter on the last editable field ends. */
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_END);
	assert_int_equal(form.current, EMERGENCY);

	assert_int_equal(bd_form_validate(&form, &bad, &err), 0);
	params = bd_form_params(&form, &bad, &err);
	assert_non_null(params);
	assert_string_equal(params[POLICY], "XY-79927398");
	assert_string_equal(params[MEMBER], "Ana Cruz");
	assert_string_equal(params[RELATION], "SPOUSE");
	assert_string_equal(params[PROVIDER], "P100");
	assert_string_equal(params[SERVICE_DATE], "2024-03-15");
	assert_string_equal(params[VISITS], "2");
	assert_string_equal(params[AMOUNT], "1234.50");
	assert_string_equal(params[COPAY], "12.5");
	assert_string_equal(params[REF], "");
	assert_string_equal(params[EMERGENCY], "Y");
	assert_string_equal(params[BATCH], "");
	bd_form_params_free(params, form.nfields);

	/* Readonly refuses keys. */
	bd_form_goto(&form, BATCH);
	assert_int_equal(bd_form_type(&form, 'a', &err), BD_FORM_REJECTED);
	assert_int_equal(bd_form_backspace(&form, &err), BD_FORM_REJECTED);
	assert_non_null(strstr(err.msg, "cannot be changed"));
	bd_form_release(&form);
}

static void
test_text_auto_advance(void **state)
{
	struct bd_screen s;
	struct bd_form form;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	assert_int_equal(bd_screen_parse(&s,
					 "screen = { name = \"t\"; fields = (\n"
					 "{ name = \"a\"; width = 3; auto_advance = true; },\n"
					 "{ name = \"b\"; width = 2; },\n"
					 "{ name = \"c\"; type = \"flag\"; auto_advance = true; }\n"
					 "); };\n",
					 "t", &err),
			 0);
	bd_form_init(&form, &s);
	assert_int_equal(type_str(&form, "ab", &err), BD_FORM_OK);
	assert_int_equal(bd_form_type(&form, 'c', &err), BD_FORM_MOVED);
	assert_int_equal(form.current, 1);
	/* b does not auto-advance: full, the next key is refused. */
	assert_int_equal(type_str(&form, "xy", &err), BD_FORM_OK);
	assert_int_equal(bd_form_type(&form, 'z', &err), BD_FORM_REJECTED);
	assert_int_equal(form.current, 1);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	/* The last field auto-advancing ends the form. */
	assert_int_equal(bd_form_type(&form, 'n', &err), BD_FORM_END);
	assert_string_equal(bd_form_value(&form, 2), "N");
	/* Editing in the middle of a full field does not advance. */
	bd_form_goto(&form, 0);
	bd_form_home(&form);
	bd_form_delete(&form, &err);
	assert_int_equal(bd_form_type(&form, 'q', &err), BD_FORM_OK);
	assert_int_equal(form.current, 0);
	assert_string_equal(bd_form_value(&form, 0), "qbc");

	/* Values must be UTF-8. */
	assert_int_equal(bd_form_set_value(&form, 0, "\xff", &err), -1);
	assert_string_equal(bd_form_value(&form, 0), "qbc");
	assert_int_equal(bd_form_set_value(&form, 7, "x", &err), -1);
	bd_form_release(&form);
	bd_screen_release(&s);
}

/* Informix/5250-style: the first key typed into a field just entered
 * replaces its value, wherever the cursor entered (the start after Enter,
 * the end after a goto) and whether or not it was keyed before; an editing
 * key first (Home, End, arrows, Backspace) keeps it for changing part. */
static void
test_first_key_replaces_default(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_form form;

	(void)state;
	bd_form_init(&form, &claim);
	bd_form_load_defaults(&form);
	bd_form_goto(&form, VISITS);
	assert_string_equal(bd_form_value(&form, VISITS), "1");
	assert_int_equal(bd_form_type(&form, '2', &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, VISITS), "2");
	assert_int_equal(bd_form_type(&form, '5', &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, VISITS), "25");
	/* Back to it (keyed now): typing replaces again ("50" over "25"). */
	bd_form_goto(&form, VISITS);
	assert_int_equal(type_str(&form, "50", &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, VISITS), "50");
	/* A refused first key leaves the default alone. */
	bd_form_load_defaults(&form);
	bd_form_goto(&form, VISITS);
	assert_int_equal(bd_form_type(&form, 'x', &err), BD_FORM_REJECTED);
	assert_string_equal(bd_form_value(&form, VISITS), "1");
	/* End first: the default is extended; Home first: typed before it. */
	bd_form_end(&form);
	assert_int_equal(bd_form_type(&form, '0', &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, VISITS), "10");
	bd_form_goto(&form, VISITS);
	bd_form_home(&form);
	assert_int_equal(bd_form_type(&form, '3', &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, VISITS), "310");
	/* A full picture field (a pre-filled policy number): typed over whole,
	 * not refused as full. */
	assert_int_equal(bd_form_set_value(&form, POLICY, "AC-10237576", &err), 0);
	bd_form_goto(&form, POLICY);
	bd_form_home(&form);
	form.fresh = true; /* as entered by Enter from the field before */
	assert_int_equal(type_str(&form, "AB1234567", &err), BD_FORM_OK);
	assert_string_equal(bd_form_value(&form, POLICY), "AB-1234567");
	bd_form_release(&form);
}

/* Tab order is row by row, left to right, whatever the file's order; Up and
 * Down go to the field above or below on the screen, and pass an empty
 * required field without complaint (Enter checks it). */
static void
test_tab_order_and_up_down(void **state)
{
	struct bd_screen s;
	struct bd_form form;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	/* Two columns declared column by column: a c / b d, e on row 5. */
	assert_int_equal(
	    bd_screen_parse(&s,
			    "screen = { name = \"t\"; fields = (\n"
			    "{ name = \"a\"; row = 2; col = 2; width = 5; required = true; },\n"
			    "{ name = \"b\"; row = 3; col = 2; width = 5; },\n"
			    "{ name = \"c\"; row = 2; col = 40; width = 5; },\n"
			    "{ name = \"d\"; row = 3; col = 40; width = 5; },\n"
			    "{ name = \"e\"; row = 5; col = 30; width = 5; }\n"
			    "); };\n",
			    "t", &err),
	    0);
	bd_form_init(&form, &s);
	assert_int_equal(form.current, 0);
	/* Enter checks the required field. */
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_INVALID);
	/* Down passes it: to b, below a. */
	assert_int_equal(bd_form_down(&form), BD_FORM_MOVED);
	assert_int_equal(form.current, 1);
	assert_int_equal(bd_form_up(&form), BD_FORM_MOVED);
	assert_int_equal(form.current, 0);
	assert_int_equal(bd_form_up(&form), BD_FORM_OK); /* nothing above */
	assert_int_equal(type_str(&form, "x", &err), BD_FORM_OK);
	/* Tab order: a, c, b, d, e. */
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	assert_int_equal(form.current, 2);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	assert_int_equal(form.current, 1);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	assert_int_equal(form.current, 3);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	assert_int_equal(form.current, 4);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_END);
	assert_int_equal(bd_form_prev(&form), BD_FORM_MOVED);
	assert_int_equal(form.current, 3);
	/* Down from d (column 40): e, the nearest row below; Up from e: the
	 * field above nearest its column (d at 40 is nearer 30 than b at 2). */
	assert_int_equal(bd_form_down(&form), BD_FORM_MOVED);
	assert_int_equal(form.current, 4);
	assert_int_equal(bd_form_down(&form), BD_FORM_OK);
	assert_int_equal(bd_form_up(&form), BD_FORM_MOVED);
	assert_int_equal(form.current, 3);
	bd_form_release(&form);
	bd_screen_release(&s);
}

static void
test_draft_round_trip(void **state)
{
	struct bd_form form, back;
	struct bd_err err = BD_ERR_INIT;
	struct strbuf draft = STRBUF_INIT, again = STRBUF_INIT;

	(void)state;
	bd_form_init(&form, &claim);
	bd_form_load_defaults(&form);
	assert_int_equal(bd_form_set_value(&form, POLICY, "AB-12345674", &err), 0);
	/* Values with the format's own delimiters, newlines and wide text. */
	assert_int_equal(bd_form_set_value(&form, MEMBER, "3:x v 1:y\n\xe4\xb8\xad", &err), 0);
	bd_form_goto(&form, MEMBER);
	bd_form_left(&form);
	bd_form_draft_save(&form, &draft);
	assert_non_null(strstr(draft.buf, "bd-draft 1\nscreen 11:entry.claim\nat 1 "));

	bd_form_init(&back, &claim);
	assert_int_equal(bd_form_draft_restore(&back, draft.buf, draft.len, &err), 0);
	for (size_t i = 0; i < form.nfields; i++)
		assert_string_equal(bd_form_value(&back, i), bd_form_value(&form, i));
	assert_int_equal(back.current, MEMBER);
	assert_int_equal(back.cursor, form.cursor);
	bd_form_draft_save(&back, &again);
	assert_string_equal(again.buf, draft.buf);

	/* Every truncation is refused and leaves the form as it was. */
	bd_form_release(&back);
	bd_form_init(&back, &claim);
	for (size_t n = 0; n < draft.len; n++) {
		if (n > 0 && draft.buf[n - 1] == '\n')
			continue; /* a cut after a whole record is a valid, shorter draft */
		bd_err_clear(&err);
		assert_int_equal(bd_form_draft_restore(&back, draft.buf, n, &err), -1);
		assert_string_equal(err.msg, "The saved draft is damaged and was not restored");
		assert_string_equal(bd_form_value(&back, POLICY), "");
	}
	/* Another screen's draft. */
	const char *other = "bd-draft 1\nscreen 1:x\nat 0 0\n";
	assert_int_equal(bd_form_draft_restore(&back, other, strlen(other), &err), -1);
	assert_non_null(strstr(err.msg, "another screen"));
	/* Invalid UTF-8 inside a value. */
	const char *bad = "bd-draft 1\nscreen 11:entry.claim\nat 0 0\nv 6:member 1:\xff\n";
	assert_int_equal(bd_form_draft_restore(&back, bad, strlen(bad), &err), -1);
	/* Unknown fields are skipped; the position is clamped. */
	const char *old = "bd-draft 1\nscreen 11:entry.claim\nat 99 99\nv 4:gone 1:x\n"
			  "v 6:member 3:Ana\n";
	assert_int_equal(bd_form_draft_restore(&back, old, strlen(old), &err), 0);
	assert_string_equal(bd_form_value(&back, MEMBER), "Ana");
	assert_int_equal(back.current, POLICY);
	assert_int_equal(back.cursor, 0);

	strbuf_release(&draft);
	strbuf_release(&again);
	bd_form_release(&back);
	bd_form_release(&form);
}

/* ---- grids ---------------------------------------------------------------- */

/* head (0), total (1), then 7 lines of a (dup, required on a line), r
 * (readonly) and n (integer up to 9, required on a line), 3 on a page:
 * cell (line L, column c) is field 2 + 3 L + c. */
static const char grid_text[] =
    "screen = { name = \"g\";\n"
    "fields = ( { name = \"head\"; width = 5; row = 2; },\n"
    "{ name = \"total\"; width = 5; row = 20; } );\n"
    "grids = ( { name = \"l\"; rows = 7; visible = 3; row = 4; col = 1;\n"
    "columns = ( { name = \"a\"; label = \"Acc\"; width = 4; required = true; dup = true; },\n"
    "{ name = \"r\"; width = 4; readonly = true; },\n"
    "{ name = \"n\"; label = \"Num\"; type = \"integer\"; max = 9; required = true; } ); } ); "
    "};\n";

#define CELL(line, col) ((size_t)(2 + 3 * (line) + (col)))
#define HEAD 0
#define TOTAL 1

static void
grid_open(struct bd_screen *s, struct bd_form *form)
{
	struct bd_err err = BD_ERR_INIT;

	if (bd_screen_parse(s, grid_text, "grid", &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(bd_screen_field_index(s, "n7"), (int)CELL(6, 2));
	bd_form_init(form, s);
}

static void
test_grid_navigation(void **state)
{
	struct bd_screen s;
	struct bd_form form;
	struct bd_err err = BD_ERR_INIT;
	int line;

	(void)state;
	grid_open(&s, &form);
	assert_int_equal(form.current, HEAD);
	/* Enter goes line by line, skipping the readonly column; the page
	 * follows when the cursor leaves it */
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	for (line = 0; line < 4; line++) {
		assert_int_equal(form.current, CELL(line, 0));
		assert_int_equal(type_str(&form, "x", &err), BD_FORM_OK);
		assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
		assert_int_equal(form.current, CELL(line, 2));
		assert_int_equal(type_str(&form, "1", &err), BD_FORM_OK);
		assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	}
	assert_int_equal(form.current, CELL(4, 0));
	assert_int_equal(form.top[0], 3);
	assert_int_equal(bd_form_field_row(&form, CELL(3, 0)), 5);
	assert_int_equal(bd_form_field_row(&form, CELL(4, 2)), 6);
	assert_int_equal(bd_form_field_row(&form, CELL(2, 0)), -1);
	assert_int_equal(bd_form_field_row(&form, TOTAL), 20);
	/* Shift-Tab back over the page's top goes to the page before */
	bd_form_goto(&form, CELL(3, 0));
	assert_int_equal(bd_form_prev(&form), BD_FORM_MOVED);
	assert_int_equal(form.current, CELL(2, 2));
	assert_int_equal(form.top[0], 0);
	/* Up and Down: the same column on the line above or below, paging */
	assert_int_equal(bd_form_down(&form), BD_FORM_MOVED);
	assert_int_equal(form.current, CELL(3, 2));
	assert_int_equal(form.top[0], 3);
	assert_int_equal(bd_form_up(&form), BD_FORM_MOVED);
	assert_int_equal(form.current, CELL(2, 2));
	assert_int_equal(form.top[0], 0);
	/* the last line: the last page ends there; Down goes on to Total */
	bd_form_goto(&form, CELL(6, 0));
	assert_int_equal(form.top[0], 4);
	assert_int_equal(bd_form_down(&form), BD_FORM_MOVED);
	assert_int_equal(form.current, TOTAL);
	assert_int_equal(bd_form_up(&form), BD_FORM_MOVED);
	assert_int_equal(form.current, CELL(6, 0));
	/* above line 1: the header */
	bd_form_goto(&form, CELL(0, 0));
	assert_int_equal(bd_form_up(&form), BD_FORM_MOVED);
	assert_int_equal(form.current, HEAD);
	/* the last cell's Enter ends the form (Total is after the grid) */
	bd_form_goto(&form, CELL(6, 2));
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	assert_int_equal(form.current, TOTAL);
	bd_form_release(&form);
	bd_screen_release(&s);
}

static void
test_grid_paging(void **state)
{
	struct bd_screen s;
	struct bd_form form;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	grid_open(&s, &form);
	/* from the header: the page moves, the cursor stays */
	assert_int_equal(bd_form_page(&form, +1, &err), BD_FORM_OK);
	assert_int_equal(form.current, HEAD);
	assert_int_equal(form.top[0], 3);
	assert_int_equal(bd_form_page(&form, -1, &err), BD_FORM_OK);
	assert_int_equal(form.top[0], 0);
	assert_int_equal(bd_form_page(&form, -1, &err), BD_FORM_REJECTED);
	assert_non_null(strstr(err.msg, "first page"));
	/* in a cell: the page and the cursor, same column */
	bd_form_goto(&form, CELL(1, 2));
	assert_int_equal(bd_form_page(&form, +1, &err), BD_FORM_MOVED);
	assert_int_equal(form.current, CELL(4, 2));
	assert_int_equal(form.top[0], 3);
	/* the last page ends at the last line */
	assert_int_equal(bd_form_page(&form, +1, &err), BD_FORM_MOVED);
	assert_int_equal(form.top[0], 4);
	assert_int_equal(form.current, CELL(6, 2));
	assert_int_equal(bd_form_page(&form, +1, &err), BD_FORM_REJECTED);
	assert_non_null(strstr(err.msg, "last page"));
	assert_int_equal(form.current, CELL(6, 2));
	assert_int_equal(bd_form_page(&form, -1, &err), BD_FORM_MOVED);
	assert_int_equal(form.top[0], 1);
	assert_int_equal(form.current, CELL(3, 2));
	assert_int_equal(bd_form_page(&form, -1, &err), BD_FORM_MOVED);
	assert_int_equal(form.top[0], 0);
	assert_int_equal(form.current, CELL(0, 2));
	/* a new record starts on the first page */
	bd_form_goto(&form, CELL(5, 0));
	bd_form_load_defaults(&form);
	assert_int_equal(form.top[0], 0);
	assert_int_equal(form.current, HEAD);
	bd_form_release(&form);
	bd_screen_release(&s);
}

static void
test_grid_dup_and_rules(void **state)
{
	struct bd_screen s;
	struct bd_form form;
	struct bd_err err = BD_ERR_INIT;
	size_t bad = 0;

	(void)state;
	grid_open(&s, &form);
	/* F6 on line 1: there is no line above and no previous record */
	bd_form_goto(&form, CELL(0, 0));
	assert_int_equal(bd_form_dup(&form, &err), BD_FORM_REJECTED);
	assert_non_null(strstr(err.msg, "no previous record"));
	assert_int_equal(type_str(&form, "ab", &err), BD_FORM_OK);
	/* F6 on line 2 copies line 1's cell and goes on */
	bd_form_goto(&form, CELL(1, 0));
	assert_int_equal(bd_form_dup(&form, &err), BD_FORM_MOVED);
	assert_string_equal(bd_form_value(&form, CELL(1, 0)), "ab");
	assert_int_equal(form.current, CELL(1, 2));
	/* a column without dup refuses it, named with its line */
	assert_int_equal(bd_form_dup(&form, &err), BD_FORM_REJECTED);
	assert_non_null(strstr(err.msg, "Num (line 2) cannot be copied"));
	/* the column's rule per cell, named with its line */
	assert_int_equal(type_str(&form, "12", &err), BD_FORM_OK);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_INVALID);
	assert_non_null(strstr(err.msg, "Num (line 2) must be"));
	assert_int_equal(bd_form_backspace(&form, &err), BD_FORM_OK);
	/* required on a line with something in it, not on an empty line */
	bd_form_goto(&form, CELL(0, 2));
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_INVALID);
	assert_string_equal(err.msg, "Num (line 1) is required");
	assert_int_equal(bd_form_set_value(&form, CELL(0, 2), "3", &err), 0);
	bd_form_goto(&form, CELL(2, 0));
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	assert_int_equal(bd_form_validate(&form, &bad, &err), 0);
	/* the readonly column counts as something on the line */
	assert_int_equal(bd_form_set_value(&form, CELL(5, 1), "x", &err), 0);
	assert_int_equal(bd_form_validate(&form, &bad, &err), -1);
	assert_int_equal(bad, CELL(5, 0));
	assert_string_equal(err.msg, "Acc (line 6) is required");
	/* the cursor taken there brings up its page */
	bd_form_goto(&form, HEAD);
	assert_int_equal(form.top[0], 3);
	bd_form_goto(&form, CELL(0, 0));
	assert_int_equal(form.top[0], 0);
	bd_form_goto(&form, bad);
	assert_int_equal(form.top[0], 3);
	assert_int_equal(bd_form_field_row(&form, bad), 4 + 1 + 5 - 3);
	bd_form_release(&form);
	bd_screen_release(&s);
}

static void
test_grid_draft(void **state)
{
	struct bd_screen s;
	struct bd_form form, back;
	struct bd_err err = BD_ERR_INIT;
	struct strbuf draft = STRBUF_INIT;

	(void)state;
	grid_open(&s, &form);
	assert_int_equal(bd_form_set_value(&form, CELL(6, 0), "last", &err), 0);
	bd_form_goto(&form, CELL(6, 2));
	bd_form_draft_save(&form, &draft);
	assert_non_null(strstr(draft.buf, "2:a7 4:last"));
	bd_form_init(&back, &s);
	assert_int_equal(bd_form_draft_restore(&back, draft.buf, draft.len, &err), 0);
	assert_string_equal(bd_form_value_by_name(&back, "a7"), "last");
	assert_int_equal(back.current, CELL(6, 2));
	assert_int_equal(back.top[0], 4);
	strbuf_release(&draft);
	bd_form_release(&back);
	bd_form_release(&form);
	bd_screen_release(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_and_defaults),
	    cmocka_unit_test(test_picture_auto_advance),
	    cmocka_unit_test(test_failure_keeps_cursor),
	    cmocka_unit_test(test_picture_editing),
	    cmocka_unit_test(test_insert_overwrite_and_counters),
	    cmocka_unit_test(test_cjk_and_combining),
	    cmocka_unit_test(test_dup),
	    cmocka_unit_test(test_walk_to_end_and_params),
	    cmocka_unit_test(test_text_auto_advance),
	    cmocka_unit_test(test_first_key_replaces_default),
	    cmocka_unit_test(test_tab_order_and_up_down),
	    cmocka_unit_test(test_draft_round_trip),
	    cmocka_unit_test(test_grid_navigation),
	    cmocka_unit_test(test_grid_paging),
	    cmocka_unit_test(test_grid_dup_and_rules),
	    cmocka_unit_test(test_grid_draft),
	};

	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "en_US.UTF-8");
	return cmocka_run_group_tests(tests, setup_claim, teardown_claim);
}
