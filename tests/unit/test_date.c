/*
 * Civil dates: the input styles, calendar validation, PostgreSQL specials,
 * ISO formatting, day arithmetic and today.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backdesk/date.h"
#include "backdesk/err.h"
#include "backdesk/strbuf.h"

struct good {
	const char *in;
	enum bd_date_order order;
	const char *iso;
};

struct bad {
	const char *in;
	const char *msg; /* substring expected in err.msg */
};

static void
test_parse_good(void **state)
{
	static const struct good cases[] = {
	    {"2024-03-15", BD_DATE_DMY, "2024-03-15"},
	    {"2024-03-15", BD_DATE_MDY, "2024-03-15"},
	    {"2024-3-5", BD_DATE_DMY, "2024-03-05"},
	    {"2024/03/15", BD_DATE_DMY, "2024-03-15"},
	    {"15/03/2024", BD_DATE_DMY, "2024-03-15"},
	    {"15.03.2024", BD_DATE_DMY, "2024-03-15"},
	    {"15-03-2024", BD_DATE_DMY, "2024-03-15"},
	    {"5/3/2024", BD_DATE_DMY, "2024-03-05"},
	    {"03/15/2024", BD_DATE_MDY, "2024-03-15"},
	    {"3/5/2024", BD_DATE_MDY, "2024-03-05"},
	    {"15032024", BD_DATE_DMY, "2024-03-15"},
	    {"03152024", BD_DATE_MDY, "2024-03-15"},
	    {"20240315", BD_DATE_DMY, "2024-03-15"},
	    {"20240315", BD_DATE_MDY, "2024-03-15"},
	    {"29022024", BD_DATE_DMY, "2024-02-29"},
	    {"2000-02-29", BD_DATE_DMY, "2000-02-29"}, /* divisible by 400 */
	    {"1900-01-01", BD_DATE_DMY, "1900-01-01"},
	    {"2199-12-31", BD_DATE_DMY, "2199-12-31"},
	    {"19000101", BD_DATE_DMY, "1900-01-01"},
	    {"31122199", BD_DATE_DMY, "2199-12-31"},
	    {"  2024-03-15\t", BD_DATE_DMY, "2024-03-15"},
	    {"31/12/1999", BD_DATE_DMY, "1999-12-31"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bd_err err = BD_ERR_INIT;
		struct bd_date d;
		char iso[BD_DATE_ISO_LEN + 1];

		if (bd_date_parse(cases[i].in, cases[i].order, &d, &err))
			fail_msg("'%s' rejected: %s", cases[i].in, err.msg);
		bd_date_to_iso(&d, iso);
		if (strcmp(iso, cases[i].iso))
			fail_msg("'%s' -> %s, want %s", cases[i].in, iso, cases[i].iso);
	}
}

static void
test_parse_bad(void **state)
{
	static const struct bad cases[] = {
	    {"", "empty"},
	    {"  ", "empty"},
	    {NULL, "empty"},
	    /* PostgreSQL specials and friends. */
	    {"infinity", "typed in digits"},
	    {"-infinity", "typed in digits"},
	    {"+infinity", "typed in digits"},
	    {"Infinity", "typed in digits"},
	    {"epoch", "typed in digits"},
	    {"today", "typed in digits"},
	    {"now", "typed in digits"},
	    {"tomorrow", "typed in digits"},
	    {"yesterday", "typed in digits"},
	    {"allballs", "typed in digits"},
	    {"NaN", "typed in digits"},
	    {"2024-03-15 BC", "space inside"},
	    {"2024-03-15BC", "typed in digits"},
	    {"J2460385", "typed in digits"},
	    {"Mar 15 2024", "typed in digits"},
	    /* Calendar. */
	    {"2023-02-29", "February 2023 has only 28 days"},
	    {"1900-02-29", "February 1900 has only 28 days"}, /* divisible by 100 */
	    {"2100-02-29", "February 2100 has only 28 days"},
	    {"29/02/2023", "February 2023 has only 28 days"},
	    {"2024-04-31", "April 2024 has only 30 days"},
	    {"2024-13-01", "Month must be between 1 and 12"},
	    {"2024-00-10", "Month must be between 1 and 12"},
	    {"13/13/2024", "Month must be between 1 and 12"},
	    {"2024-01-00", "Day must be between 1 and 31"},
	    {"00/01/2024", "Day must be between 1 and 31"},
	    {"2024-01-32", "January 2024 has only 31 days"},
	    {"1899-12-31", "Year must be between 1900 and 2199"},
	    {"2200-01-01", "Year must be between 1900 and 2199"},
	    {"0000-01-01", "Year must be between 1900 and 2199"},
	    {"99999999", "Year must be between 1900 and 2199"},
	    /* Shape. */
	    {"2024-03-15x", "typed in digits"},
	    {"2024-03-15-", "typed in digits"},
	    {"2024-03-15T00:00", "typed in digits"},
	    {"2024-03-15 00:00:00", "space inside"},
	    {"2024-03", "typed in digits"},
	    {"2024", "typed in digits"},
	    {"-2024-03-15", "typed in digits"},
	    {"2024--03-15", "typed in digits"},
	    {"2024-03/15", "typed in digits"},
	    {"2024 03 15", "space inside"},
	    {"02024-03-15", "typed in digits"},
	    {"2024-003-15", "typed in digits"},
	    {"150324", "four-digit year"},
	    {"15/03/24", "four-digit year"},
	    {"1532024", "typed in digits"},
	    {"202403155", "typed in digits"},
	    {"\xd9\xa1\xd9\xa5/03/2024", "typed in digits"}, /* Arabic-Indic digits */
	    {"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94-03-15", "typed in digits"},
	    {"2024\xe2\x80\x90"
	     "03\xe2\x80\x90"
	     "15",
	     "typed in digits"}, /* U+2010 */
	    {"2024-03-15\n", "typed in digits"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int order = BD_DATE_DMY; order <= BD_DATE_MDY; order++) {
			struct bd_err err = BD_ERR_INIT;
			struct bd_date d = {1, 2, 3};
			const char *in = cases[i].in ? cases[i].in : "NULL";

			/* Day-month cases are written day first; skip them for MDY. */
			if (order == BD_DATE_MDY && cases[i].in && strlen(cases[i].in) > 2 &&
			    cases[i].in[0] >= '0' && cases[i].in[0] <= '3' && cases[i].in[2] == '/')
				continue;
			if (bd_date_parse(cases[i].in, (enum bd_date_order)order, &d, &err) != -1)
				fail_msg("'%s' accepted (order %d)", in, order);
			assert_int_equal(d.year, 1); /* untouched */
			assert_int_equal(err.kind, BD_ERR_INVALID);
			if (!strstr(err.msg, cases[i].msg))
				fail_msg("'%s' (order %d): message '%s' lacks '%s'", in, order,
					 err.msg, cases[i].msg);
		}
	}
}

static void
test_mdy_examples(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_date d;

	(void)state;
	/* 15/03/2024 is month 15 to an American. */
	assert_int_equal(bd_date_parse("15/03/2024", BD_DATE_MDY, &d, &err), -1);
	assert_string_equal(err.msg, "Month must be between 1 and 12");
	assert_int_equal(bd_date_parse("02/30/2024", BD_DATE_MDY, &d, &err), -1);
	assert_string_equal(err.msg, "February 2024 has only 29 days");
	assert_int_equal(bd_date_parse("x", BD_DATE_MDY, &d, &err), -1);
	assert_string_equal(err.msg, "Date must be typed in digits, like 03/15/2024 or 2024-03-15");
}

static void
test_parse_iso(void **state)
{
	static const char *const bad[] = {
	    "infinity",	  "-infinity", "epoch",	      "NaN",	     "2024-3-15",  "2024/03/15",
	    "15/03/2024", "20240315",  " 2024-03-15", "2024-03-15 ", "2023-02-29", "0044-03-15 BC",
	    "2024-03-1x", "",	       "2024-03-15x",
	};
	struct bd_err err = BD_ERR_INIT;
	struct bd_date d;

	(void)state;
	assert_int_equal(bd_date_parse_iso("2024-02-29", &d, &err), 0);
	assert_int_equal(d.year, 2024);
	assert_int_equal(d.month, 2);
	assert_int_equal(d.day, 29);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (bd_date_parse_iso(bad[i], &d, &err) != -1)
			fail_msg("ISO '%s' accepted", bad[i]);
		assert_true(bd_err_is_set(&err));
	}
	assert_int_equal(bd_date_parse_iso(NULL, &d, NULL), -1);
}

static void
test_calendar(void **state)
{
	(void)state;
	assert_true(bd_is_leap_year(2024));
	assert_true(bd_is_leap_year(2000));
	assert_false(bd_is_leap_year(1900));
	assert_false(bd_is_leap_year(2100));
	assert_false(bd_is_leap_year(2023));
	assert_int_equal(bd_days_in_month(2024, 2), 29);
	assert_int_equal(bd_days_in_month(2023, 2), 28);
	assert_int_equal(bd_days_in_month(2023, 4), 30);
	assert_int_equal(bd_days_in_month(2023, 12), 31);
	assert_int_equal(bd_days_in_month(2023, 0), 0);
	assert_int_equal(bd_days_in_month(2023, 13), 0);
	assert_true(bd_date_valid(2024, 2, 29));
	assert_false(bd_date_valid(2023, 2, 29));
	assert_false(bd_date_valid(1899, 12, 31));
	assert_false(bd_date_valid(2200, 1, 1));
	assert_false(bd_date_valid(2024, 1, 0));
}

static void
test_days_and_weekday(void **state)
{
	struct bd_date d, e;
	struct bd_err err = BD_ERR_INIT;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_int_equal(bd_date_set(&d, 1970, 1, 1, &err), 0);
	assert_int_equal(bd_date_to_days(&d), 0);
	assert_int_equal(bd_date_weekday(&d), 4); /* Thursday */
	assert_int_equal(bd_date_set(&d, 2000, 3, 1, &err), 0);
	assert_int_equal(bd_date_to_days(&d), 11017);
	assert_int_equal(bd_date_weekday(&d), 3); /* Wednesday */
	assert_int_equal(bd_date_set(&d, 1900, 1, 1, &err), 0);
	assert_int_equal(bd_date_to_days(&d), -25567);
	assert_int_equal(bd_date_weekday(&d), 1); /* Monday */
	assert_int_equal(bd_date_set(&d, 2024, 3, 17, &err), 0);
	assert_int_equal(bd_date_weekday(&d), 7); /* Sunday */

	/* Every day of the range round-trips, in order, with weekdays cycling. */
	assert_int_equal(bd_date_set(&d, 1900, 1, 1, &err), 0);
	for (int32_t n = bd_date_to_days(&d);; n++) {
		int32_t prev = n;

		assert_int_equal(bd_date_from_days(n, &e, &err), 0);
		assert_true(bd_date_valid(e.year, e.month, e.day));
		assert_int_equal(bd_date_to_days(&e), n);
		assert_int_equal(bd_date_weekday(&e), (int)(((n % 7) + 7 + 3) % 7) + 1);
		if (e.year == 2199 && e.month == 12 && e.day == 31) {
			assert_int_equal(bd_date_from_days(prev + 1, &e, &err), -1);
			assert_string_equal(err.msg,
					    "Date would fall outside the years 1900 to 2199");
			break;
		}
	}
	assert_int_equal(bd_date_from_days(-25568, &e, &err), -1);

	/* Adding days across month, year and leap boundaries. */
	assert_int_equal(bd_date_set(&d, 2024, 2, 28, &err), 0);
	assert_int_equal(bd_date_add_days(&d, 1, &e, &err), 0);
	bd_date_format_iso(&sb, &e);
	assert_string_equal(sb.buf, "2024-02-29");
	assert_int_equal(bd_date_add_days(&d, 2, &d, &err), 0); /* out may be d */
	strbuf_reset(&sb);
	bd_date_format_iso(&sb, &d);
	assert_string_equal(sb.buf, "2024-03-01");
	assert_int_equal(bd_date_add_days(&d, -61, &e, &err), 0);
	strbuf_reset(&sb);
	bd_date_format_iso(&sb, &e);
	assert_string_equal(sb.buf, "2023-12-31");
	assert_int_equal(bd_date_diff(&e, &d), 61);
	assert_int_equal(bd_date_diff(&d, &e), -61);
	assert_true(bd_date_cmp(&e, &d) < 0);
	assert_true(bd_date_cmp(&d, &e) > 0);
	assert_int_equal(bd_date_cmp(&d, &d), 0);
	e = d;
	assert_int_equal(bd_date_add_days(&d, INT32_MAX, &e, &err), -1);
	assert_int_equal(bd_date_add_days(&d, INT32_MIN, &e, &err), -1);
	assert_int_equal(bd_date_add_days(&d, 200 * 366, &e, &err), -1);
	assert_int_equal(bd_date_cmp(&d, &e), 0); /* untouched on failure */
	strbuf_release(&sb);
}

static void
test_set_and_format(void **state)
{
	struct bd_date d = {1999, 1, 1};
	struct bd_err err = BD_ERR_INIT;
	char iso[BD_DATE_ISO_LEN + 1];

	(void)state;
	assert_int_equal(bd_date_set(&d, 2024, 2, 30, &err), -1);
	assert_string_equal(err.msg, "February 2024 has only 29 days");
	assert_int_equal(d.year, 1999);
	assert_int_equal(bd_date_set(&d, 1905, 7, 4, NULL), 0);
	bd_date_to_iso(&d, iso);
	assert_string_equal(iso, "1905-07-04");
	assert_int_equal(strlen(iso), BD_DATE_ISO_LEN);
}

static void
test_today(void **state)
{
	struct bd_date d;
	struct bd_err err = BD_ERR_INIT;
	time_t now = time(NULL);
	struct tm tm;
	char iso[BD_DATE_ISO_LEN + 1], want[32];

	(void)state;
	assert_int_equal(bd_date_today(&d, &err), 0);
	assert_non_null(localtime_r(&now, &tm));
	strftime(want, sizeof(want), "%Y-%m-%d", &tm);
	bd_date_to_iso(&d, iso);
	/* Allow for midnight passing between the two clock reads. */
	if (strcmp(iso, want)) {
		struct bd_date w;

		assert_int_equal(bd_date_parse_iso(want, &w, &err), 0);
		assert_true(abs(bd_date_diff(&w, &d)) <= 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_good),	   cmocka_unit_test(test_parse_bad),
	    cmocka_unit_test(test_mdy_examples),   cmocka_unit_test(test_parse_iso),
	    cmocka_unit_test(test_calendar),	   cmocka_unit_test(test_days_and_weekday),
	    cmocka_unit_test(test_set_and_format), cmocka_unit_test(test_today),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
