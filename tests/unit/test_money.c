/*
 * Money: parsing what clerks type, PostgreSQL numeric text both ways,
 * formatting, and overflow-checked sums.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/err.h"
#include "backdesk/money.h"
#include "backdesk/strbuf.h"

struct good {
	const char *in;
	int scale;
	int64_t minor;
};

struct bad {
	const char *in;
	int scale;
	const char *msg; /* substring expected in err.msg */
};

static void
test_parse_good(void **state)
{
	static const struct good cases[] = {
	    {"1234.56", 2, 123456},
	    {"1234.5", 2, 123450},
	    {"1234", 2, 123400},
	    {"1234.", 2, 123400},
	    {".5", 2, 50},
	    {"0", 2, 0},
	    {"0.00", 2, 0},
	    {"-0", 2, 0},
	    {"007.50", 2, 750},
	    {"-12.5", 2, -1250},
	    {"(12.50)", 2, -1250},
	    {"(1,234.56)", 2, -123456},
	    {"1,234.56", 2, 123456},
	    {"12,345,678.90", 2, 1234567890},
	    {"1,234", 0, 1234},
	    {"123,456", 2, 12345600},
	    {"1,23,45,678.90", 2, 1234567890}, /* Indian grouping */
	    {"12,34,567", 0, 1234567},
	    {"  42.10\t", 2, 4210},
	    {"12.340", 2, 1234}, /* trailing zeros beyond the scale are harmless */
	    {"5.000000", 0, 5},
	    {"1.2345", 4, 12345},
	    {"7", 0, 7},
	    {"1.5", 1, 15},
	    {"92233720368547758.07", 2, INT64_MAX},
	    {"-92233720368547758.07", 2, -INT64_MAX},
	    {"9223372036854775807", 0, INT64_MAX},
	    {"922337203685477.5807", 4, INT64_MAX},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bd_err err = BD_ERR_INIT;
		int64_t v = 0x5a5a;

		if (bd_money_parse(cases[i].in, cases[i].scale, &v, &err) != 0)
			fail_msg("'%s' (scale %d) rejected: %s", cases[i].in, cases[i].scale,
				 err.msg);
		if (v != cases[i].minor)
			fail_msg("'%s' (scale %d) -> %lld, want %lld", cases[i].in, cases[i].scale,
				 (long long)v, (long long)cases[i].minor);
		assert_false(bd_err_is_set(&err));
	}
}

static void
test_parse_bad(void **state)
{
	static const struct bad cases[] = {
	    {"", 2, "empty"},
	    {"   ", 2, "empty"},
	    {NULL, 2, "empty"},
	    {"NaN", 2, "must be a number"},
	    {"nan", 2, "must be a number"},
	    {"infinity", 2, "must be a number"},
	    {"Infinity", 2, "must be a number"},
	    {"-Infinity", 2, "must be a number"},
	    {"inf", 2, "must be a number"},
	    {"epoch", 2, "must be a number"},
	    {"1e3", 2, "must be a number"},
	    {"1E3", 2, "must be a number"},
	    {"1.5e2", 2, "must be a number"},
	    {"0x10", 2, "must be a number"},
	    {"12.345", 2, "more than 2 decimal places"},
	    {"0.001", 2, "more than 2 decimal places"},
	    {"1.55", 1, "more than 1 decimal place"},
	    {"1.5", 0, "whole number"},
	    {"1.00001", 4, "more than 4 decimal places"},
	    {"92233720368547758.08", 2, "too large"},  /* 9223372036854775808 minor */
	    {"-92233720368547758.08", 2, "too large"}, /* INT64_MIN is refused too */
	    {"9223372036854775808", 0, "too large"},
	    {"99999999999999999999999", 2, "too large"},
	    {"922337203685477.5808", 4, "too large"},
	    {"1 234.56", 2, "space inside"},
	    {"12 .50", 2, "space inside"},
	    {"- 12", 2, "space inside"},
	    {"12,34", 2, "use a point for decimals"},
	    {"1,2345.00", 2, "use a point for decimals"},
	    {",123", 2, "use a point for decimals"},
	    {"123,", 2, "use a point for decimals"},
	    {"1,,234", 2, "use a point for decimals"},
	    {"1234,56", 2, "use a point for decimals"},
	    {"1,234,56", 2, "use a point for decimals"},
	    {"1.234,56", 2, "use a point for decimals"},
	    {"1,234,56,789", 2, "use a point for decimals"}, /* mixed 2/3 groups */
	    {"123,45,678", 2, "use a point for decimals"},   /* Indian, 3-digit lead */
	    {"1.2.3", 2, "must be a number"},
	    {"12'345.00", 2, "must be a number"},
	    {"12_345", 2, "must be a number"},
	    {"+12", 2, "must not start with '+'"},
	    {"+", 2, "must not start with '+'"},
	    {"--1", 2, "more than one sign"},
	    {"-+1", 2, "more than one sign"},
	    {"1-", 2, "must be a number"},
	    {"-", 2, "must be a number"},
	    {".", 2, "must be a number"},
	    {"-.", 2, "must be a number"},
	    {"(12.50", 2, "no closing"},
	    {"12.50)", 2, "must be a number"},
	    {"(-12.50)", 2, "both brackets and a minus"},
	    {"-(12.50)", 2, "must be a number"},
	    {"()", 2, "must be a number"},
	    {"$12", 2, "must be a number"},
	    {"12\xe2\x82\xac", 2, "must be a number"},		 /* 12€ */
	    {"\xd9\xa1\xd9\xa2", 2, "must be a number"},	 /* Arabic-Indic 12 */
	    {"\xef\xbc\x91\xef\xbc\x92", 2, "must be a number"}, /* fullwidth 12 */
	    {"\xe0\xa5\xa7", 2, "must be a number"},		 /* Devanagari 1 */
	    {"1\xc2\xa0"
	     "234",
	     2, "must be a number"}, /* NBSP inside */
	    {"12\n", 2, "must be a number"},
	    {"1", 5, "scale"},
	    {"1", -1, "scale"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bd_err err = BD_ERR_INIT;
		int64_t v = 0x5a5a;

		if (bd_money_parse(cases[i].in, cases[i].scale, &v, &err) != -1)
			fail_msg("'%s' (scale %d) accepted as %lld",
				 cases[i].in ? cases[i].in : "NULL", cases[i].scale, (long long)v);
		assert_int_equal(v, 0x5a5a); /* untouched on failure */
		assert_true(bd_err_is_set(&err));
		if (!strcasestr(err.msg, cases[i].msg))
			fail_msg("'%s': message '%s' lacks '%s'",
				 cases[i].in ? cases[i].in : "NULL", err.msg, cases[i].msg);
		/* Messages start with what failed, in the clerk's words. */
		assert_true(!strncmp(err.msg, "Amount", 6));
	}
	/* A NULL err is allowed. */
	{
		int64_t v;

		assert_int_equal(bd_money_parse("abc", 2, &v, NULL), -1);
	}
}

static void
test_exact_messages(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	int64_t v;

	(void)state;
	assert_int_equal(bd_money_parse("12.345", 2, &v, &err), -1);
	assert_string_equal(err.msg, "Amount has more than 2 decimal places");
	assert_int_equal(err.kind, BD_ERR_INVALID);
	assert_int_equal(bd_money_parse("", 2, &v, &err), -1);
	assert_string_equal(err.msg, "Amount is empty");
	assert_int_equal(bd_money_parse("1", 9, &v, &err), -1);
	assert_int_equal(err.kind, BD_ERR_INTERNAL);
}

static void
test_from_numeric(void **state)
{
	static const struct good good[] = {
	    {"1234.56", 2, 123456},
	    {"-1234.56", 2, -123456},
	    {"1234.5600", 2, 123456},
	    {"0", 2, 0},
	    {"0.00", 2, 0},
	    {"17", 0, 17},
	    {"0.0001", 4, 1},
	    {"-0.01", 2, -1},
	    {"92233720368547758.07", 2, INT64_MAX},
	};
	static const struct bad bad[] = {
	    {"NaN", 2, "not a number (NaN)"},
	    {"Infinity", 2, "not a number (Infinity)"},
	    {"-Infinity", 2, "not a number (-Infinity)"},
	    {"1,234.56", 2, "must be a number"},
	    {"(12.50)", 2, "must be a number"},
	    {" 12.50", 2, "space inside"},
	    {"12.50 ", 2, "space inside"},
	    {"1234.561", 2, "more than 2 decimal places"},
	    {"1e3", 2, "must be a number"},
	    {"", 2, "empty"},
	    {"92233720368547758.08", 2, "too large"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct bd_err err = BD_ERR_INIT;
		int64_t v = 0;

		if (bd_money_from_numeric(good[i].in, good[i].scale, &v, &err))
			fail_msg("numeric '%s' rejected: %s", good[i].in, err.msg);
		assert_int_equal(v, good[i].minor);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct bd_err err = BD_ERR_INIT;
		int64_t v = 0;

		if (bd_money_from_numeric(bad[i].in, bad[i].scale, &v, &err) != -1)
			fail_msg("numeric '%s' accepted", bad[i].in);
		if (!strcasestr(err.msg, bad[i].msg))
			fail_msg("numeric '%s': message '%s' lacks '%s'", bad[i].in, err.msg,
				 bad[i].msg);
	}
}

static void
assert_format(int64_t minor, int scale, unsigned flags, const char *expect)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "<");
	assert_int_equal(bd_money_format(&sb, minor, scale, flags), 0);
	if (strcmp(sb.buf + 1, expect))
		fail_msg("format(%lld, %d, %u) = '%s', want '%s'", (long long)minor, scale, flags,
			 sb.buf + 1, expect);
	assert_int_equal(sb.buf[0], '<'); /* appends */
	strbuf_release(&sb);
}

static void
test_format(void **state)
{
	(void)state;
	assert_format(0, 2, BD_MONEY_PLAIN, "0.00");
	assert_format(1, 2, BD_MONEY_PLAIN, "0.01");
	assert_format(-1, 2, BD_MONEY_PLAIN, "-0.01");
	assert_format(-5, 2, BD_MONEY_PARENS, "(0.05)");
	assert_format(123456, 2, BD_MONEY_PLAIN, "1234.56");
	assert_format(123456, 2, BD_MONEY_GROUPED, "1,234.56");
	assert_format(-123456, 2, BD_MONEY_GROUPED, "-1,234.56");
	assert_format(-123456, 2, BD_MONEY_GROUPED | BD_MONEY_PARENS, "(1,234.56)");
	assert_format(100000, 2, BD_MONEY_GROUPED, "1,000.00");
	assert_format(99999, 2, BD_MONEY_GROUPED, "999.99");
	assert_format(123456789, 0, BD_MONEY_GROUPED, "123,456,789");
	assert_format(1234567, 0, BD_MONEY_GROUPED, "1,234,567");
	assert_format(7, 0, BD_MONEY_PLAIN, "7");
	assert_format(7, 4, BD_MONEY_PLAIN, "0.0007");
	assert_format(15, 1, BD_MONEY_PLAIN, "1.5");
	assert_format(INT64_MAX, 2, BD_MONEY_GROUPED, "92,233,720,368,547,758.07");
	assert_format(INT64_MIN, 2, BD_MONEY_PLAIN, "-92233720368547758.08");
	assert_format(INT64_MIN, 0, BD_MONEY_GROUPED, "-9,223,372,036,854,775,808");
	{
		struct strbuf sb = STRBUF_INIT;

		assert_int_equal(bd_money_format(&sb, 1, 5, 0), -1);
		assert_int_equal(bd_money_to_numeric(&sb, -123450, 2), 0);
		assert_string_equal(sb.buf, "-1234.50");
		strbuf_release(&sb);
	}
}

/* format -> parse and to_numeric -> from_numeric give back the same value. */
static void
test_round_trip(void **state)
{
	static const int64_t values[] = {
	    0,	     1,		 -1,	    99,		-100,	       123456,
	    -123456, 1000000000, INT64_MAX, -INT64_MAX, INT64_MAX / 3, -987654321012345};

	(void)state;
	for (int scale = 0; scale <= BD_MONEY_MAX_SCALE; scale++) {
		for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
			for (unsigned flags = 0; flags < 4; flags++) {
				struct strbuf sb = STRBUF_INIT;
				struct bd_err err = BD_ERR_INIT;
				int64_t back = 0;

				assert_int_equal(bd_money_format(&sb, values[i], scale, flags), 0);
				if (bd_money_parse(sb.buf, scale, &back, &err))
					fail_msg("'%s' does not parse back: %s", sb.buf, err.msg);
				assert_int_equal(back, values[i]);
				strbuf_reset(&sb);
				assert_int_equal(bd_money_to_numeric(&sb, values[i], scale), 0);
				assert_int_equal(bd_money_from_numeric(sb.buf, scale, &back, &err),
						 0);
				assert_int_equal(back, values[i]);
				strbuf_release(&sb);
			}
		}
	}
}

static void
test_add_sub(void **state)
{
	int64_t r = 42;

	(void)state;
	assert_true(bd_money_add(150, -25, &r));
	assert_int_equal(r, 125);
	assert_true(bd_money_sub(150, 175, &r));
	assert_int_equal(r, -25);
	assert_true(bd_money_add(INT64_MAX - 1, 1, &r));
	assert_int_equal(r, INT64_MAX);
	r = 42;
	assert_false(bd_money_add(INT64_MAX, 1, &r));
	assert_int_equal(r, 42);
	assert_false(bd_money_add(-INT64_MAX, -1, &r)); /* would be INT64_MIN */
	assert_false(bd_money_sub(-INT64_MAX, 1, &r));
	assert_false(bd_money_sub(INT64_MAX, -1, &r));
	assert_false(bd_money_sub(0, INT64_MIN, &r));
	assert_int_equal(r, 42);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_good),	   cmocka_unit_test(test_parse_bad),
	    cmocka_unit_test(test_exact_messages), cmocka_unit_test(test_from_numeric),
	    cmocka_unit_test(test_format),	   cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_add_sub),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
