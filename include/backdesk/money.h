#ifndef BACKDESK_MONEY_H
#define BACKDESK_MONEY_H
/*
 * Money as int64 minor units. Never a float.
 *
 * An amount is an int64_t count of minor units at a `scale` of 0..4 decimal
 * places (2 for most currencies: 1234.56 is 123456 at scale 2). The scale is
 * not stored in the value; the caller keeps it beside (the currency or the
 * column says it). In SQL the same amount is `numeric`, passed as text.
 *
 * Range: |minor| <= INT64_MAX. INT64_MIN is never produced by a parser, so an
 * amount can always be negated. Sums use bd_money_add()/bd_money_sub(), which
 * refuse to overflow.
 *
 * Keyboard input, bd_money_parse(), accepts (after trimming spaces and tabs
 * at either end):
 *
 *   1234.56   1234.5   1234   .5   1234.   007.50
 *   1,234.56  12,345,678.90              commas between groups of three
 *   1,23,45,678.90                       Indian lakh/crore grouping
 *   -12.50    (12.50)                    negative: minus, or accounting brackets
 *   12.340                               extra decimals only when they are 0
 *
 * and rejects, with a message for the clerk in err->msg: empty input, NaN,
 * infinity, exponents (1e3), a plus sign, double signs (--1), spaces inside,
 * a comma as decimal point (12,34) or misplaced commas, non-ASCII digits,
 * non-zero digits beyond the scale ("Amount has more than 2 decimal places")
 * and anything beyond the int64 range.
 *
 * Errors: functions returning int return 0 on success and -1 on failure,
 * filling `err` (which may be NULL) and leaving *out untouched. A scale
 * outside 0..BD_MONEY_MAX_SCALE is a BD_ERR_INTERNAL failure.
 */
#include <stdbool.h>
#include <stdint.h>

#include "backdesk/err.h"
#include "backdesk/strbuf.h"

#define BD_MONEY_MAX_SCALE 4
#define BD_MONEY_DEFAULT_SCALE 2

enum bd_money_flags {
	BD_MONEY_PLAIN = 0,
	BD_MONEY_GROUPED = 1 << 0, /* thousands separators: 1,234,567.89 */
	BD_MONEY_PARENS = 1 << 1,  /* negatives as (12.50) instead of -12.50 */
};

/* Parses what a person typed (see above) into minor units at `scale`. */
int bd_money_parse(const char *s, int scale, int64_t *out, struct bd_err *err);

/*
 * Parses PostgreSQL's text form of a numeric ("-1234.56", "1234.5600",
 * "17"): an optional minus, ASCII digits, an optional point and digits.
 * No spaces, commas or brackets. NaN and (-)Infinity are refused, and so are
 * non-zero digits beyond `scale` (the value would not fit without rounding).
 */
int bd_money_from_numeric(const char *s, int scale, int64_t *out, struct bd_err *err);

/*
 * Appends the amount to `out` with exactly `scale` decimals ("-1234.50";
 * no point at scale 0), shaped by `flags` (a bitwise or of enum
 * bd_money_flags). Any int64, INT64_MIN included, formats correctly.
 */
int bd_money_format(struct strbuf *out, int64_t minor, int scale, unsigned flags);

/* Appends PostgreSQL numeric text for a query parameter ("-1234.50"):
 * bd_money_format() with BD_MONEY_PLAIN. */
int bd_money_to_numeric(struct strbuf *out, int64_t minor, int scale);

/* *sum = a + b, or false (and *sum untouched) when the result would leave
 * -INT64_MAX..INT64_MAX. */
bool bd_money_add(int64_t a, int64_t b, int64_t *sum);
bool bd_money_sub(int64_t a, int64_t b, int64_t *diff);

#endif
