/*
 * Money as int64 minor units (see include/backdesk/money.h).
 *
 * One scanner serves both the keyboard and the database: the keyboard mode
 * additionally allows surrounding blanks, thousands separators and
 * accounting brackets. Digits are accumulated with overflow checks; nothing
 * ever passes through a double.
 */
#include "backdesk/money.h"

#include <stddef.h>
#include <string.h>

enum scan_mode {
	SCAN_INPUT,
	SCAN_NUMERIC,
};

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
check_scale(int scale, struct bd_err *err)
{
	if (scale < 0 || scale > BD_MONEY_MAX_SCALE) {
		bd_err_set(err, BD_ERR_INTERNAL, "Amount cannot be read: bad currency scale");
		bd_err_detail(err, "money scale %d is outside 0..%d", scale, BD_MONEY_MAX_SCALE);
		return -1;
	}
	return 0;
}

static int
not_a_number(const char *what, const char *s, size_t len, struct bd_err *err)
{
	bd_err_set(err, BD_ERR_INVALID, "%s must be a number, like 1234.56 or -12.50", what);
	bd_err_detail(err, "rejected amount text of %zu bytes: '%.*s'", len,
		      (int)(len > 64 ? 64 : len), s);
	return -1;
}

/*
 * Checks the comma positions of an integer part [p, p+len): groups of three
 * (1,234,567) or Indian grouping (12,34,567): the last group three digits,
 * the ones before it all three or all two, the first one to three (two).
 */
static bool
grouping_ok(const char *p, size_t len)
{
	size_t groups[32];
	size_t ngroups = 0, cur = 0;
	bool all3 = true, all2 = true;

	for (size_t i = 0; i < len; i++) {
		if (p[i] == ',') {
			if (ngroups + 1 >= sizeof(groups) / sizeof(groups[0]))
				return false;
			groups[ngroups++] = cur;
			cur = 0;
		} else {
			cur++;
		}
	}
	groups[ngroups++] = cur;
	if (ngroups < 2)
		return true;
	if (groups[ngroups - 1] != 3 || groups[0] < 1 || groups[0] > 3)
		return false;
	for (size_t i = 1; i + 1 < ngroups; i++) {
		all3 = all3 && groups[i] == 3;
		all2 = all2 && groups[i] == 2;
	}
	if (all3)
		return true;
	return all2 && groups[0] <= 2;
}

static int
scan(const char *s, int scale, enum scan_mode mode, int64_t *out, struct bd_err *err)
{
	const char *what = mode == SCAN_INPUT ? "Amount" : "Amount from the database";
	const char *b, *e, *int_start, *int_end, *frac_start = NULL, *frac_end = NULL;
	bool neg = false, paren = false, commas = false;
	size_t ndigits = 0;
	int64_t value = 0;
	int ret = -1;

	if (check_scale(scale, err))
		goto cleanup;
	if (!s)
		s = "";
	b = s;
	e = s + strlen(s);
	if (mode == SCAN_INPUT) {
		while (b < e && is_blank(*b))
			b++;
		while (e > b && is_blank(e[-1]))
			e--;
	}
	if (b == e) {
		bd_err_set(err, BD_ERR_INVALID, "%s is empty", what);
		goto cleanup;
	}
	if (mode == SCAN_INPUT && *b == '(') {
		if (e[-1] != ')') {
			bd_err_set(err, BD_ERR_INVALID,
				   "Amount has an opening bracket but no closing one");
			goto cleanup;
		}
		paren = neg = true;
		b++;
		e--;
	}
	if (b < e && *b == '-') {
		if (paren) {
			bd_err_set(err, BD_ERR_INVALID,
				   "Amount has both brackets and a minus sign: use one of them");
			goto cleanup;
		}
		neg = true;
		b++;
	}
	if (neg && b < e && (*b == '-' || *b == '+')) {
		bd_err_set(err, BD_ERR_INVALID, "%s has more than one sign", what);
		goto cleanup;
	}
	if (b < e && *b == '+') {
		bd_err_set(err, BD_ERR_INVALID, "%s must not start with '+': type just the number",
			   what);
		goto cleanup;
	}

	int_start = b;
	while (b < e && (is_digit(*b) || (mode == SCAN_INPUT && *b == ','))) {
		if (*b == ',')
			commas = true;
		else
			ndigits++;
		b++;
	}
	int_end = b;
	if (b < e && *b == '.') {
		frac_start = ++b;
		while (b < e && is_digit(*b))
			b++;
		frac_end = b;
		ndigits += (size_t)(frac_end - frac_start);
	}
	if (b < e) {
		if (is_blank(*b)) {
			bd_err_set(err, BD_ERR_INVALID, "Amount has a space inside");
			bd_err_detail(err, "blank at offset %td", b - s);
			goto cleanup;
		}
		if (mode == SCAN_INPUT && *b == ',') {
			bd_err_set(err, BD_ERR_INVALID,
				   "Amount: use a point for decimals and commas only between "
				   "thousands, like 1,234.56");
			goto cleanup;
		}
		if (mode == SCAN_NUMERIC &&
		    (!strcmp(s, "NaN") || !strcmp(s, "Infinity") || !strcmp(s, "-Infinity"))) {
			bd_err_set(err, BD_ERR_DATABASE,
				   "Amount from the database is not a number (%s)", s);
			goto cleanup;
		}
		ret = not_a_number(what, s, strlen(s), err);
		goto cleanup;
	}
	if (ndigits == 0) {
		ret = not_a_number(what, s, strlen(s), err);
		goto cleanup;
	}
	if (commas &&
	    (int_start == int_end || !grouping_ok(int_start, (size_t)(int_end - int_start)))) {
		bd_err_set(err, BD_ERR_INVALID,
			   "Amount: use a point for decimals and commas only between thousands, "
			   "like 1,234.56");
		goto cleanup;
	}

	/* Decimals beyond the scale are allowed only when they are zeros. */
	if (frac_start) {
		for (const char *p =
			 frac_start +
			 (frac_end - frac_start < scale ? frac_end - frac_start : scale);
		     p < frac_end; p++) {
			if (*p != '0') {
				if (scale == 0)
					bd_err_set(err, BD_ERR_INVALID,
						   "%s must be a whole number (no decimals)", what);
				else
					bd_err_set(err, BD_ERR_INVALID,
						   "%s has more than %d decimal place%s", what,
						   scale, scale == 1 ? "" : "s");
				goto cleanup;
			}
		}
	}

	for (const char *p = int_start; p < int_end; p++) {
		if (*p == ',')
			continue;
		if (__builtin_mul_overflow(value, (int64_t)10, &value) ||
		    __builtin_add_overflow(value, (int64_t)(*p - '0'), &value))
			goto too_large;
	}
	for (int i = 0; i < scale; i++) {
		int digit = 0;

		if (frac_start && frac_start + i < frac_end)
			digit = frac_start[i] - '0';
		if (__builtin_mul_overflow(value, (int64_t)10, &value) ||
		    __builtin_add_overflow(value, (int64_t)digit, &value))
			goto too_large;
	}
	*out = neg ? -value : value;
	ret = 0;
	goto cleanup;

too_large:
	bd_err_set(err, BD_ERR_INVALID, "%s is too large", what);
	bd_err_detail(err, "amount beyond int64 minor units at scale %d", scale);
cleanup:
	return ret;
}

int
bd_money_parse(const char *s, int scale, int64_t *out, struct bd_err *err)
{
	return scan(s, scale, SCAN_INPUT, out, err);
}

int
bd_money_from_numeric(const char *s, int scale, int64_t *out, struct bd_err *err)
{
	return scan(s, scale, SCAN_NUMERIC, out, err);
}

int
bd_money_format(struct strbuf *out, int64_t minor, int scale, unsigned flags)
{
	char digits[32];
	size_t nd = 0, nint;
	uint64_t mag;
	bool neg = minor < 0;

	if (check_scale(scale, NULL))
		return -1;
	mag = neg ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
	do {
		digits[nd++] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag);
	while (nd < (size_t)scale + 1)
		digits[nd++] = '0';
	/* digits[] holds the number backwards; the first `scale` are decimals. */
	nint = nd - (size_t)scale;
	if (neg)
		strbuf_addch(out, (flags & BD_MONEY_PARENS) ? '(' : '-');
	for (size_t i = 0; i < nint; i++) {
		size_t left = nint - i;

		strbuf_addch(out, digits[nd - 1 - i]);
		if ((flags & BD_MONEY_GROUPED) && left > 1 && (left - 1) % 3 == 0)
			strbuf_addch(out, ',');
	}
	if (scale > 0) {
		strbuf_addch(out, '.');
		for (int i = scale - 1; i >= 0; i--)
			strbuf_addch(out, digits[i]);
	}
	if (neg && (flags & BD_MONEY_PARENS))
		strbuf_addch(out, ')');
	return 0;
}

int
bd_money_to_numeric(struct strbuf *out, int64_t minor, int scale)
{
	return bd_money_format(out, minor, scale, BD_MONEY_PLAIN);
}

bool
bd_money_add(int64_t a, int64_t b, int64_t *sum)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r) || r == INT64_MIN)
		return false;
	*sum = r;
	return true;
}

bool
bd_money_sub(int64_t a, int64_t b, int64_t *diff)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r) || r == INT64_MIN)
		return false;
	*diff = r;
	return true;
}
