/* The JSON writer: escapes and the commas of nested values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backdesk/json.h"

static void
test_strings(void **state)
{
	struct strbuf out = STRBUF_INIT;

	(void)state;
	bd_json_string(&out, "a\"b\\c\nd\re\tf\x01g\x7fh Peña");
	assert_string_equal(out.buf, "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u007fh Peña\"");
	strbuf_reset(&out);
	bd_json_string(&out, NULL);
	assert_string_equal(out.buf, "\"\"");
	strbuf_release(&out);
}

static void
test_nesting(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct bd_json j;

	(void)state;
	bd_json_init(&j, &out);
	bd_json_begin_object(&j);
	bd_json_key(&j, "ref");
	bd_json_str(&j, "R-1");
	bd_json_key(&j, "lines");
	bd_json_begin_array(&j);
	bd_json_begin_object(&j);
	bd_json_key(&j, "n");
	bd_json_raw(&j, "1");
	bd_json_end_object(&j);
	bd_json_begin_object(&j);
	bd_json_key(&j, "n");
	bd_json_int(&j, -2);
	bd_json_key(&j, "memo");
	bd_json_str_or_null(&j, NULL);
	bd_json_end_object(&j);
	bd_json_end_array(&j);
	bd_json_key(&j, "empty");
	bd_json_begin_array(&j);
	bd_json_end_array(&j);
	bd_json_end_object(&j);
	assert_string_equal(out.buf,
			    "{\"ref\":\"R-1\",\"lines\":[{\"n\":1},{\"n\":-2,\"memo\":null}],"
			    "\"empty\":[]}");
	strbuf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_nesting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
