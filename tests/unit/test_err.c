/*
 * bd_err: naming the file an input error is about (bd_err_locate).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backdesk/err.h"

static void
test_locate_line(void **state)
{
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	bd_err_set(&err, BD_ERR_CONFLICT,
		   "Line 5: reference C-302 appears twice (first on line 3)");
	bd_err_detail(&err, "SQLSTATE BD003");
	bd_err_locate(&err, "in/claims.csv");
	assert_string_equal(err.msg,
			    "in/claims.csv:5: reference C-302 appears twice (first on line 3)");
	assert_int_equal(err.kind, BD_ERR_CONFLICT);
	assert_string_equal(err.detail, "SQLSTATE BD003");
}

static void
test_locate_whole_file(void **state)
{
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	bd_err_set(&err, BD_ERR_INVALID, "The file has no documents");
	bd_err_locate(&err, "a.csv");
	assert_string_equal(err.msg, "a.csv: The file has no documents");
	/* Not a line number: the whole message is kept as it is. */
	bd_err_set(&err, BD_ERR_INVALID, "Line x: odd");
	bd_err_locate(&err, "a.csv");
	assert_string_equal(err.msg, "a.csv: Line x: odd");
}

static void
test_locate_not_the_files_fault(void **state)
{
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	bd_err_set(&err, BD_ERR_CONNECTION, "The database went away");
	bd_err_locate(&err, "a.csv");
	assert_string_equal(err.msg, "The database went away");
	bd_err_locate(NULL, "a.csv");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_locate_line),
	    cmocka_unit_test(test_locate_whole_file),
	    cmocka_unit_test(test_locate_not_the_files_fault),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
