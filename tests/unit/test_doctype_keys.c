/*
 * Keystroke level on the shipped document types (the claim and invoice files
 * of screens/doctypes, read through the doctype checker as `backdesk doctype load` stores them):
 * auto-advance on full fields, Dup from the previous document, a check
 * digit refused with the cursor kept, measures counted; and the JSON the
 * queue functions hand the keying screens (prefill, Dup values, diffs).
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

#include "backdesk/entry.h"
#include "backdesk/form.h"
#include "backdesk/keying.h"
#include "backdesk/screen.h"
#include "backdesk/strbuf.h"

static struct bd_entry_doctype claim, invoice;

static int
load_doctype(struct bd_entry_doctype *dt, const char *file)
{
	const char *src = getenv("BD_SOURCE_DIR");
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	char buf[4096];
	size_t n;
	FILE *f;
	int rc = -1;

	if (!src) {
		fprintf(stderr, "BD_SOURCE_DIR is not set (run the tests through ctest)\n");
		return -1;
	}
	strbuf_addf(&path, "%s/screens/doctypes/%s", src, file);
	if (!(f = fopen(path.buf, "r"))) {
		perror(path.buf);
		goto cleanup;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&text, buf, n);
	fclose(f);
	bd_entry_doctype_init(dt);
	if (bd_entry_doctype_check(dt, text.buf, path.buf, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		goto cleanup;
	}
	rc = 0;
cleanup:
	strbuf_release(&path);
	strbuf_release(&text);
	return rc;
}

static int
setup(void **state)
{
	(void)state;
	bd_field_set_date_order(BD_DATE_DMY);
	if (load_doctype(&claim, "claim.conf") < 0 || load_doctype(&invoice, "invoice.conf") < 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	bd_entry_doctype_release(&claim);
	bd_entry_doctype_release(&invoice);
	return 0;
}

static size_t
field(const struct bd_screen *s, const char *name)
{
	int i = bd_screen_field_index(s, name);

	assert_true(i >= 0);
	return (size_t)i;
}

/* Types `text` key by key; returns the status of the last key. */
static enum bd_form_status
type(struct bd_form *form, const char *text, struct bd_err *err)
{
	enum bd_form_status st = BD_FORM_OK;

	for (; *text; text++)
		st = bd_form_type(form, (unsigned char)*text, err);
	return st;
}

static void
test_auto_advance(void **state)
{
	const struct bd_screen *s = &claim.screen;
	struct bd_err err = BD_ERR_INIT;
	struct bd_form form;

	(void)state;
	bd_form_init(&form, s);
	bd_form_load_defaults(&form);
	assert_int_equal(form.current, field(s, "patient"));
	/* A text field without auto_advance stays until Enter. */
	assert_int_equal(type(&form, "Smith, John", &err), BD_FORM_OK);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	assert_int_equal(type(&form, "03/02/1980", &err), BD_FORM_OK);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_MOVED);
	assert_string_equal(bd_form_value_by_name(&form, "birth_date"), "1980-02-03");
	/* The policy mask inserts its literal; the tenth character fills it and
	 * moves on. Lower case is upshifted. */
	assert_int_equal(form.current, field(s, "policy"));
	assert_int_equal(type(&form, "ac1023757", &err), BD_FORM_OK);
	assert_int_equal(form.current, field(s, "policy"));
	assert_int_equal(bd_form_type(&form, '6', &err), BD_FORM_MOVED);
	assert_string_equal(bd_form_value_by_name(&form, "policy"), "AC-10237576");
	assert_int_equal(form.current, field(s, "relation"));
	assert_string_equal(bd_form_value(&form, form.current), "SELF");
	/* A five-digit procedure code moves on to its diagnosis. */
	bd_form_goto(&form, field(s, "proc1"));
	form.cursor = 0;
	assert_int_equal(type(&form, "9921", &err), BD_FORM_OK);
	assert_int_equal(bd_form_type(&form, '3', &err), BD_FORM_MOVED);
	assert_int_equal(form.current, field(s, "diag1"));
	/* A code that does not match the pattern keeps the cursor on Enter. */
	bd_form_goto(&form, field(s, "proc2"));
	type(&form, "12x", &err);
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_INVALID);
	assert_int_equal(form.current, field(s, "proc2"));
	bd_form_release(&form);
}

static void
test_check_digit(void **state)
{
	const struct bd_screen *s = &claim.screen;
	struct bd_err err = BD_ERR_INIT;
	struct bd_form form;
	size_t policy = field(s, "policy");

	(void)state;
	bd_form_init(&form, s);
	bd_form_load_defaults(&form);
	bd_form_goto(&form, policy);
	/* The last digit of a full field is wrong: no auto-advance, the reason,
	 * the cursor stays at the end of the field. */
	assert_int_equal(type(&form, "AC10237575", &err), BD_FORM_INVALID);
	assert_string_equal(err.msg, "Policy no check digit is wrong");
	assert_int_equal(form.current, policy);
	assert_int_equal(form.cursor, 11);
	/* Enter and F2 refuse it too. */
	assert_int_equal(bd_form_next(&form, &err), BD_FORM_INVALID);
	assert_int_equal(form.current, policy);
	/* Corrected, it moves on; the Backspace counts as a correction. */
	form.counters.corrections = 0;
	assert_int_equal(bd_form_backspace(&form, &err), BD_FORM_OK);
	assert_int_equal(bd_form_type(&form, '6', &err), BD_FORM_MOVED);
	assert_int_equal(form.current, field(s, "relation"));
	assert_int_equal(form.counters.corrections, 1);
	bd_form_release(&form);
}

static void
test_dup(void **state)
{
	const struct bd_screen *s = &claim.screen;
	struct bd_err err = BD_ERR_INIT;
	struct bd_form form;

	(void)state;
	bd_form_init(&form, s);
	bd_form_load_defaults(&form);
	/* No previous document yet. */
	bd_form_goto(&form, field(s, "service_from"));
	assert_int_equal(bd_form_dup(&form, &err), BD_FORM_REJECTED);
	assert_int_equal(form.current, field(s, "service_from"));
	/* The previous document, as the screen remembers it after F2. */
	assert_int_equal(bd_form_set_value(&form, field(s, "service_from"), "2024-06-01", &err), 0);
	assert_int_equal(bd_form_set_value(&form, field(s, "provider"), "Clinic North", &err), 0);
	assert_int_equal(bd_form_set_value(&form, field(s, "patient"), "Smith, John", &err), 0);
	bd_form_remember(&form);
	bd_form_load_defaults(&form);
	assert_string_equal(bd_form_value_by_name(&form, "service_from"), "");
	/* F6 copies and moves on, field by field. */
	bd_form_goto(&form, field(s, "service_from"));
	assert_int_equal(bd_form_dup(&form, &err), BD_FORM_MOVED);
	assert_string_equal(bd_form_value_by_name(&form, "service_from"), "2024-06-01");
	assert_int_equal(form.current, field(s, "service_to"));
	assert_int_equal(bd_form_dup(&form, &err), BD_FORM_MOVED); /* empty before: empty now */
	assert_int_equal(bd_form_dup(&form, &err), BD_FORM_MOVED);
	assert_string_equal(bd_form_value_by_name(&form, "provider"), "Clinic North");
	assert_int_equal(form.current, field(s, "proc1"));
	/* The patient is never copied. */
	bd_form_goto(&form, field(s, "patient"));
	assert_int_equal(bd_form_dup(&form, &err), BD_FORM_REJECTED);
	assert_string_equal(err.msg, "Patient name cannot be copied from the previous record");
	assert_string_equal(bd_form_value_by_name(&form, "patient"), "");
	bd_form_release(&form);

	/* The invoice: supplier and currency from the previous invoice. */
	s = &invoice.screen;
	bd_form_init(&form, s);
	bd_form_load_defaults(&form);
	assert_int_equal(bd_form_set_previous(&form, field(s, "supplier"), "INITECH", &err), 0);
	assert_int_equal(bd_form_set_previous(&form, field(s, "currency"), "USD", &err), 0);
	assert_int_equal(form.current, field(s, "supplier"));
	assert_int_equal(bd_form_dup(&form, &err), BD_FORM_MOVED);
	assert_int_equal(bd_form_dup(&form, &err), BD_FORM_MOVED);
	assert_string_equal(bd_form_value_by_name(&form, "supplier"), "INITECH");
	assert_string_equal(bd_form_value_by_name(&form, "currency"), "USD");
	assert_int_equal(form.current, field(s, "invoice_no"));
	bd_form_release(&form);
}

static void
test_counters(void **state)
{
	const struct bd_screen *s = &claim.screen;
	struct bd_err err = BD_ERR_INIT;
	struct bd_form form;

	(void)state;
	bd_form_init(&form, s);
	bd_form_load_defaults(&form);
	type(&form, "Jonse", &err);
	bd_form_backspace(&form, &err);
	bd_form_backspace(&form, &err);
	type(&form, "es", &err);
	bd_form_next(&form, &err);
	assert_string_equal(bd_form_value_by_name(&form, "patient"), "Jones");
	assert_int_equal(form.counters.keystrokes, 10);
	assert_int_equal(form.counters.corrections, 2);
	assert_int_equal(form.counters.fields_keyed, 1);
	bd_form_release(&form);
}

static void
test_json_object(void **state)
{
	struct bd_keying_obj o;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	bd_keying_obj_init(&o);
	assert_int_equal(
	    bd_keying_json_object("{\"policy\": \"AC-10237576\", \"n\": 12, "
				  "\"x\": null, \"q\": \"a \\\"b\\\" \\\\ \\u00e9\\n\"}",
				  &o, &err),
	    0);
	assert_int_equal(o.n, 4);
	assert_string_equal(bd_keying_obj_get(&o, "policy"), "AC-10237576");
	assert_string_equal(bd_keying_obj_get(&o, "n"), "12");
	assert_null(bd_keying_obj_get(&o, "x"));
	assert_string_equal(bd_keying_obj_get(&o, "q"), "a \"b\" \\ \xc3\xa9\n");
	assert_null(bd_keying_obj_get(&o, "missing"));
	bd_keying_obj_release(&o);

	assert_int_equal(bd_keying_json_object("{}", &o, &err), 0);
	assert_int_equal(o.n, 0);
	assert_int_equal(bd_keying_json_object("", &o, &err), 0);
	assert_int_equal(bd_keying_json_object("null", &o, &err), 0);
	assert_int_equal(o.n, 0);
	assert_int_equal(bd_keying_json_object("{\"a\": {\"b\": 1}}", &o, &err), -1);
	assert_int_equal(bd_keying_json_object("{\"a\": \"b\"", &o, &err), -1);
	assert_int_equal(bd_keying_json_object("{\"a\": \"b\"} x", &o, &err), -1);
	assert_int_equal(bd_keying_json_object("{\"a\": \"\\u00\"}", &o, &err), -1);
	assert_int_equal(o.n, 0);
}

static void
test_json_array(void **state)
{
	struct bd_keying_obj *objs;
	struct bd_err err = BD_ERR_INIT;
	size_t n, i;

	(void)state;
	assert_int_equal(
	    bd_keying_json_array("[{\"field\": \"patient\", \"label\": \"Patient name\", "
				 "\"value1\": \"Smith\", \"value2\": \"Smyth\"}, "
				 "{\"field\": \"total\", \"value1\": null, "
				 "\"value2\": \"10.00\"}]",
				 &objs, &n, &err),
	    0);
	assert_int_equal(n, 2);
	assert_string_equal(bd_keying_obj_get(&objs[0], "label"), "Patient name");
	assert_string_equal(bd_keying_obj_get(&objs[0], "value2"), "Smyth");
	assert_null(bd_keying_obj_get(&objs[1], "value1"));
	assert_string_equal(bd_keying_obj_get(&objs[1], "value2"), "10.00");
	for (i = 0; i < n; i++)
		bd_keying_obj_release(&objs[i]);
	free(objs);

	assert_int_equal(bd_keying_json_array("[]", &objs, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(bd_keying_json_array("[{\"a\": \"b\"},]", &objs, &n, &err), -1);
	assert_int_equal(bd_keying_json_array("[{\"a\": \"b\"}", &objs, &n, &err), -1);
	assert_int_equal(bd_keying_json_array("{\"a\": \"b\"}", &objs, &n, &err), -1);
	assert_null(objs);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_auto_advance), cmocka_unit_test(test_check_digit),
	    cmocka_unit_test(test_dup),		 cmocka_unit_test(test_counters),
	    cmocka_unit_test(test_json_object),	 cmocka_unit_test(test_json_array),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, setup, teardown);
}
