/*
 * Field rules: keystroke filter, validation, normalisation, check digits and
 * the character-wise helpers the form engine edits with. See field.h.
 */
#include "backdesk/field.h"
#include "forms_internal.h"
#include "backdesk/money.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wctype.h>

static const char *const type_names[] = {
    [BD_FIELD_TEXT] = "text",	  [BD_FIELD_INTEGER] = "integer", [BD_FIELD_DECIMAL] = "decimal",
    [BD_FIELD_MONEY] = "money",	  [BD_FIELD_DATE] = "date",	  [BD_FIELD_CHOICE] = "choice",
    [BD_FIELD_LOOKUP] = "lookup", [BD_FIELD_FLAG] = "flag",
};

const char *
bd_field_type_name(enum bd_field_type type)
{
	if ((size_t)type < sizeof(type_names) / sizeof(type_names[0]))
		return type_names[type];
	return "?";
}

const char *
bd_field_title(const struct bd_field_def *f)
{
	return f->label && *f->label ? f->label : f->name;
}

/* ---- characters ------------------------------------------------------ */

static int
cp_cols(uint32_t cp)
{
	int w = bd_cp_width(cp);
	return w < 0 ? 1 : w;
}

/* Byte offset just past the character starting at `off` (forms_internal.h). */
size_t
bd_field_next_char(const char *s, size_t n, size_t off)
{
	uint32_t cp;
	size_t k;

	if (off >= n)
		return n;
	off += bd_utf8_decode(s + off, n - off, &cp);
	while (off < n) {
		k = bd_utf8_decode(s + off, n - off, &cp);
		if (bd_cp_width(cp) != 0)
			break;
		off += k;
	}
	return off;
}

size_t
bd_chars_count(const char *s)
{
	size_t n = strlen(s), off = 0, count = 0;

	while (off < n) {
		off = bd_field_next_char(s, n, off);
		count++;
	}
	return count;
}

size_t
bd_chars_offset(const char *s, size_t index)
{
	size_t n = strlen(s), off = 0;

	while (index-- > 0 && off < n)
		off = bd_field_next_char(s, n, off);
	return off;
}

static int
bytes_width(const char *s, size_t from, size_t to)
{
	int w = 0;
	uint32_t cp;

	while (from < to) {
		from += bd_utf8_decode(s + from, to - from, &cp);
		w += cp_cols(cp);
	}
	return w;
}

int
bd_chars_width(const char *s, size_t from, size_t to)
{
	size_t a = bd_chars_offset(s, from), b = bd_chars_offset(s, to);

	return b > a ? bytes_width(s, a, b) : 0;
}

int
bd_field_view(const char *value, size_t cursor, int width, size_t *off, size_t *len)
{
	size_t n = strlen(value), count = bd_chars_count(value);
	size_t start, cur_off, cur_end, end, next;
	int cell, col, used;

	if (cursor > count)
		cursor = count;
	cur_off = bd_chars_offset(value, cursor);
	cur_end = bd_field_next_char(value, n, cur_off);
	cell = cur_end > cur_off ? bytes_width(value, cur_off, cur_end) : 1;
	if (cell < 1)
		cell = 1;

	/* The earliest start that keeps the cursor's cell inside the field. */
	start = 0;
	col = bytes_width(value, 0, cur_off);
	while (start < cur_off && col + cell > width) {
		next = bd_field_next_char(value, n, start);
		col -= bytes_width(value, start, next);
		start = next;
	}

	end = start;
	used = 0;
	while (end < n) {
		next = bd_field_next_char(value, n, end);
		int w = bytes_width(value, end, next);
		if (used + w > width)
			break;
		used += w;
		end = next;
	}
	*off = start;
	*len = end - start;
	if (width <= 0)
		return 0;
	return col < width ? col : width - 1;
}

/* ---- numbers and dates ----------------------------------------------- */

/*
 * Numbers go through money.h (int64 minor units at `scale`) and dates
 * through date.h, so the whole program agrees on what a clerk may type.
 * Integers are amounts at scale 0.
 */
static bool
parse_fixed(const char *s, int scale, int64_t *out)
{
	return bd_money_parse(s, scale, out, NULL) == 0;
}

static void
format_fixed(struct strbuf *out, int64_t v, int scale)
{
	bd_money_to_numeric(out, v, scale);
}

static enum bd_date_order date_order = BD_DATE_DMY;

const char *
bd_field_date_forms(void)
{
	return date_order == BD_DATE_MDY ? "MM/DD/YYYY, MMDDYYYY or YYYY-MM-DD"
					 : "DD/MM/YYYY, DDMMYYYY or YYYY-MM-DD";
}

void
bd_field_set_date_order(enum bd_date_order order)
{
	date_order = order;
}

static enum bd_date_order
order_of(const struct bd_field_def *f)
{
	return f && f->date_order >= 0 ? (enum bd_date_order)f->date_order : date_order;
}

const char *
bd_field_date_forms_of(const struct bd_field_def *f)
{
	bool mdy = order_of(f) == BD_DATE_MDY;

	if (f && f->two_digit_years != BD_YEARS_REFUSE)
		return mdy ? "MM/DD/YYYY, MM/DD/YY, MMDDYYYY, MMDDYY or YYYY-MM-DD"
			   : "DD/MM/YYYY, DD/MM/YY, DDMMYYYY, DDMMYY or YYYY-MM-DD";
	return mdy ? "MM/DD/YYYY, MMDDYYYY or YYYY-MM-DD" : "DD/MM/YYYY, DDMMYYYY or YYYY-MM-DD";
}

/* The four-digit year of two-digit year yy under `rule`. */
static int
full_year(int yy, enum bd_year_rule rule)
{
	struct bd_date today;
	int now = bd_date_today(&today, NULL) == 0 ? today.year : 2000;
	int y = now - now % 100 + yy;

	if (rule == BD_YEARS_PAST)
		return y > now ? y - 100 : y;
	if (y > now + 49)
		return y - 100;
	return y < now - 50 ? y + 100 : y;
}

/* A typed date with a two-digit year (D/M/YY with one separator, or six
 * digits) rewritten with four into buf; false when it is not one. */
static bool
expand_two_digit_year(const char *s, enum bd_year_rule rule, char *buf, size_t size)
{
	size_t n, a, b;
	char sep;

	s += strspn(s, " \t");
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 6 && strspn(s, "0123456789") == 6) {
		int yy = (s[4] - '0') * 10 + s[5] - '0';

		snprintf(buf, size, "%.4s%d", s, full_year(yy, rule));
		return true;
	}
	a = strspn(s, "0123456789");
	if (a < 1 || a > 2 || a >= n || !strchr("/.-", s[a]))
		return false;
	sep = s[a];
	b = strspn(s + a + 1, "0123456789");
	if (b < 1 || b > 2 || a + 1 + b >= n || s[a + 1 + b] != sep)
		return false;
	if (n - (a + 2 + b) != 2 || strspn(s + a + 2 + b, "0123456789") != 2)
		return false;
	snprintf(buf, size, "%.*s%d", (int)(a + 2 + b), s,
		 full_year((s[n - 2] - '0') * 10 + s[n - 1] - '0', rule));
	return true;
}

static bool
parse_date(const struct bd_field_def *f, const char *s, char iso[BD_DATE_ISO_LEN + 1])
{
	struct bd_date d;
	char buf[32];

	if (f && f->two_digit_years != BD_YEARS_REFUSE &&
	    expand_two_digit_year(s, f->two_digit_years, buf, sizeof(buf)))
		s = buf;
	if (bd_date_parse(s, order_of(f), &d, NULL) < 0)
		return false;
	bd_date_to_iso(&d, iso);
	return true;
}

static void
today_iso(char iso[BD_DATE_ISO_LEN + 1])
{
	struct bd_date d;

	if (bd_date_today(&d, NULL) < 0) {
		iso[0] = '\0';
		return;
	}
	bd_date_to_iso(&d, iso);
}

static bool
parse_int(const char *s, int64_t *out)
{
	/* Digits only (and a minus): no grouping commas in a count. */
	if (!*s || strspn(s + (*s == '-'), "0123456789") != strlen(s + (*s == '-')))
		return false;
	return parse_fixed(s, 0, out);
}

/* ---- check digits ---------------------------------------------------- */

static size_t
collect_digits(const char *s, char *buf, size_t cap, bool allow_x)
{
	size_t n = 0;

	for (; *s && n + 1 < cap; s++) {
		if ((*s >= '0' && *s <= '9') || (allow_x && (*s == 'X' || *s == 'x') && !s[1]))
			buf[n++] = *s;
	}
	buf[n] = '\0';
	return n;
}

static int
luhn_sum(const char *d, size_t n, bool double_last)
{
	int sum = 0;
	bool dbl = double_last;

	while (n-- > 0) {
		int v = d[n] - '0';
		if (dbl) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
		dbl = !dbl;
	}
	return sum;
}

bool
bd_luhn_valid(const char *s)
{
	char d[128];
	size_t n = collect_digits(s, d, sizeof(d), false);

	return n >= 2 && luhn_sum(d, n, false) % 10 == 0;
}

char
bd_luhn_digit(const char *payload)
{
	char d[128];
	size_t n = collect_digits(payload, d, sizeof(d), false);

	if (n == 0)
		return 0;
	return (char)('0' + (10 - luhn_sum(d, n, true) % 10) % 10);
}

static int
mod11_check(const char *d, size_t n)
{
	long sum = 0, w = 2;

	while (n-- > 0)
		sum += (d[n] - '0') * w++;
	return (int)((11 - sum % 11) % 11);
}

bool
bd_mod11_valid(const char *s)
{
	char d[128];
	size_t n = collect_digits(s, d, sizeof(d), true);
	int want, got;

	if (n < 2)
		return false;
	got = (d[n - 1] == 'X' || d[n - 1] == 'x') ? 10 : d[n - 1] - '0';
	want = mod11_check(d, n - 1);
	return want == got;
}

char
bd_mod11_digit(const char *payload)
{
	char d[128];
	size_t n = collect_digits(payload, d, sizeof(d), false);
	int c;

	if (n == 0)
		return 0;
	c = mod11_check(d, n);
	return c == 10 ? 'X' : (char)('0' + c);
}

bool
bd_luhn_prefix_valid(const char *s, const char *prefix)
{
	char d[160];
	size_t np = collect_digits(prefix ? prefix : "", d, sizeof(d), false);
	size_t n = collect_digits(s, d + np, sizeof(d) - np, false);

	return n >= 2 && luhn_sum(d, np + n, false) % 10 == 0;
}

static bool
check_luhn(const char *value, const char *param)
{
	return bd_luhn_prefix_valid(value, param);
}

static bool
check_mod11(const char *value, const char *param)
{
	(void)param;
	return bd_mod11_valid(value);
}

static bool
check_aba(const char *value, const char *param)
{
	static const int w[9] = {3, 7, 1, 3, 7, 1, 3, 7, 1};
	char d[16];
	int sum = 0;

	(void)param;
	if (collect_digits(value, d, sizeof(d), false) != 9)
		return false;
	for (int i = 0; i < 9; i++)
		sum += (d[i] - '0') * w[i];
	return sum % 10 == 0;
}

/* GS1 mod 10 over n digits: weights 1, 3, 1, ... from the right. */
static bool
gs1_ok(const char *d, size_t n)
{
	int sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += (d[n - 1 - i] - '0') * (i % 2 ? 3 : 1);
	return sum % 10 == 0;
}

static bool
check_ean(const char *value, const char *param)
{
	char d[32];
	size_t n = collect_digits(value, d, sizeof(d), false);

	(void)param;
	return (n == 8 || n == 12 || n == 13 || n == 14) && gs1_ok(d, n);
}

static bool
check_isbn(const char *value, const char *param)
{
	char d[32];
	size_t n = collect_digits(value, d, sizeof(d), true);

	(void)param;
	if (n == 10)
		return bd_mod11_valid(value);
	return n == 13 && (!strncmp(d, "978", 3) || !strncmp(d, "979", 3)) && gs1_ok(d, n);
}

static bool
check_verhoeff(const char *value, const char *param)
{
	static const unsigned char mul[10][10] = {
	    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
	    {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
	    {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
	    {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
	    {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
	static const unsigned char perm[8][10] = {
	    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
	    {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
	    {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
	    {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
	char d[128];
	size_t n = collect_digits(value, d, sizeof(d), false);
	int c = 0;

	(void)param;
	if (n < 2)
		return false;
	for (size_t i = 0; i < n; i++)
		c = mul[c][perm[i % 8][d[n - 1 - i] - '0']];
	return c == 0;
}

/* ISO 13616: the country's letters and the check digits go to the end,
 * letters count A = 10 .. Z = 35, and the number mod 97 is 1. */
static bool
check_iban(const char *value, const char *param)
{
	char a[40];
	size_t n = 0;
	int rem = 0;

	(void)param;
	for (const char *s = value; *s; s++) {
		char ch = *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;

		if (ch == ' ')
			continue;
		if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z')) || n >= 34)
			return false;
		a[n++] = ch;
	}
	if (n < 15 || !(a[0] >= 'A' && a[0] <= 'Z') || !(a[1] >= 'A' && a[1] <= 'Z') ||
	    !(a[2] >= '0' && a[2] <= '9') || !(a[3] >= '0' && a[3] <= '9'))
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = a[(i + 4) % n];

		if (ch >= 'A')
			rem = (rem * 100 + ch - 'A' + 10) % 97;
		else
			rem = (rem * 10 + ch - '0') % 97;
	}
	return rem == 1;
}

static const struct bd_check_algorithm algorithms[] = {
    {"luhn", BD_CHECK_LUHN, "prefix digits", check_luhn},
    {"mod11", BD_CHECK_MOD11, NULL, check_mod11},
    {"aba", BD_CHECK_ABA, NULL, check_aba},
    {"iban", BD_CHECK_IBAN, NULL, check_iban},
    {"ean", BD_CHECK_EAN, NULL, check_ean},
    {"isbn", BD_CHECK_ISBN, NULL, check_isbn},
    {"verhoeff", BD_CHECK_VERHOEFF, NULL, check_verhoeff},
};

const struct bd_check_algorithm *
bd_check_algorithm_find(const char *spec, const char **param)
{
	size_t n = strcspn(spec, ":");

	if (param)
		*param = spec[n] == ':' ? spec + n + 1 : NULL;
	for (size_t i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++)
		if (strlen(algorithms[i].name) == n && !strncmp(algorithms[i].name, spec, n))
			return &algorithms[i];
	return NULL;
}

const char *
bd_check_algorithm_names(void)
{
	return "luhn[:PREFIX], mod11, aba, iban, ean, isbn or verhoeff";
}

bool
bd_check_digit_valid(const char *spec, const char *value)
{
	const char *param;
	const struct bd_check_algorithm *a = bd_check_algorithm_find(spec, &param);

	return a && a->valid(value, param);
}

/* ---- pictures -------------------------------------------------------- */

bool
bd_picture_is_slot(char mask_ch)
{
	return mask_ch == '9' || mask_ch == 'A' || mask_ch == 'X' || mask_ch == 'N';
}

bool
bd_picture_slot_accepts(char mask_ch, uint32_t cp)
{
	bool digit = cp >= '0' && cp <= '9';
	bool letter =
	    cp < 0x80 ? ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') : (iswalpha((wint_t)cp) != 0);

	switch (mask_ch) {
	case '9':
		return digit;
	case 'A':
		return letter;
	case 'N':
		return digit || letter;
	case 'X':
		return cp >= 0x20 && !bd_cp_is_unsafe(cp) && bd_cp_width(cp) > 0;
	default:
		return false;
	}
}

/* Does `value` fit the mask so far (complete = every position filled)? */
static bool
picture_ok(const char *mask, const char *value, bool complete)
{
	size_t n = strlen(value), off = 0, i = 0, mlen = strlen(mask);
	uint32_t cp;

	while (off < n) {
		if (i >= mlen)
			return false;
		off += bd_utf8_decode(value + off, n - off, &cp);
		if (bd_picture_is_slot(mask[i])) {
			if (!bd_picture_slot_accepts(mask[i], cp))
				return false;
		} else if (cp != (unsigned char)mask[i]) {
			return false;
		}
		i++;
	}
	return !complete || i == mlen;
}

/* ---- filter ---------------------------------------------------------- */

static bool
neg_allowed(const struct bd_field_def *f)
{
	return !f->has_min || f->min_num < 0;
}

static bool
text_ok(const char *v)
{
	size_t n = strlen(v), off = 0;
	uint32_t cp;

	if (!bd_utf8_valid(v, n))
		return false;
	while (off < n) {
		off += bd_utf8_decode(v + off, n - off, &cp);
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || bd_cp_is_unsafe(cp))
			return false;
	}
	return true;
}

static bool
number_partial_ok(const struct bd_field_def *f, const char *v, int scale)
{
	bool dot = false;
	int decimals = 0;

	if (*v == '-') {
		if (!neg_allowed(f))
			return false;
		v++;
	}
	for (; *v; v++) {
		if (*v == '.') {
			if (dot || scale == 0)
				return false;
			dot = true;
		} else if (*v >= '0' && *v <= '9') {
			if (dot && ++decimals > scale)
				return false;
		} else {
			return false;
		}
	}
	return true;
}

bool
bd_field_partial_ok(const struct bd_field_def *f, const char *v)
{
	size_t i;

	if (!text_ok(v) || bd_chars_count(v) > (size_t)f->length)
		return false;
	if (f->picture)
		return picture_ok(f->picture, v, false);
	switch (f->type) {
	case BD_FIELD_TEXT:
	case BD_FIELD_LOOKUP:
		return true;
	case BD_FIELD_INTEGER:
		return number_partial_ok(f, v, 0);
	case BD_FIELD_DECIMAL:
	case BD_FIELD_MONEY:
		return number_partial_ok(f, v, f->scale);
	case BD_FIELD_DATE:
		return strspn(v, "0123456789-/.") == strlen(v);
	case BD_FIELD_FLAG:
		return !*v || !strcmp(v, "Y") || !strcmp(v, "N");
	case BD_FIELD_CHOICE:
		for (i = 0; i < f->nvalues; i++)
			if (!strncmp(f->values[i], v, strlen(v)))
				return true;
		return false;
	}
	return false;
}

static uint32_t
upper(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') ? cp - 0x20 : cp;
	return (uint32_t)towupper((wint_t)cp);
}

static void
choices_text(const struct bd_field_def *f, char *buf, size_t cap)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < f->nvalues && used + 1 < cap; i++) {
		int k = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", f->values[i]);
		if (k < 0)
			break;
		used += (size_t)k;
	}
	if (used >= cap)
		buf[cap - 1] = '\0';
}

static void
refuse_reason(const struct bd_field_def *f, const char *candidate, struct bd_err *err)
{
	char list[160];

	if (bd_chars_count(candidate) > (size_t)f->length) {
		bd_err_set(err, BD_ERR_INVALID, "%s is full", bd_field_title(f));
		return;
	}
	switch (f->type) {
	case BD_FIELD_INTEGER:
		bd_err_set(err, BD_ERR_INVALID, "%s: digits only%s", bd_field_title(f),
			   neg_allowed(f) ? " (a minus sign may start it)" : "");
		return;
	case BD_FIELD_DECIMAL:
	case BD_FIELD_MONEY:
		if (f->scale == 0)
			bd_err_set(err, BD_ERR_INVALID, "%s: digits only, no decimals",
				   bd_field_title(f));
		else
			bd_err_set(err, BD_ERR_INVALID,
				   "%s: digits and one decimal point, at most %d decimals",
				   bd_field_title(f), f->scale);
		return;
	case BD_FIELD_DATE:
		bd_err_set(err, BD_ERR_INVALID, "%s: digits and - / . only (%s)", bd_field_title(f),
			   bd_field_date_forms_of(f));
		return;
	case BD_FIELD_FLAG:
		bd_err_set(err, BD_ERR_INVALID, "%s: Y or N", bd_field_title(f));
		return;
	case BD_FIELD_CHOICE:
		choices_text(f, list, sizeof(list));
		bd_err_set(err, BD_ERR_INVALID, "%s: one of %s", bd_field_title(f), list);
		return;
	case BD_FIELD_TEXT:
	case BD_FIELD_LOOKUP:
		break;
	}
	bd_err_set(err, BD_ERR_INVALID, "%s: that character is not allowed here",
		   bd_field_title(f));
}

static const char *
slot_words(char mask_ch)
{
	switch (mask_ch) {
	case '9':
		return "a digit";
	case 'A':
		return "a letter";
	case 'N':
		return "a letter or digit";
	default:
		return "a character";
	}
}

uint32_t
bd_field_filter(const struct bd_field_def *f, const char *value, size_t pos, bool insert,
		uint32_t cp, struct bd_err *err)
{
	struct strbuf cand = STRBUF_INIT;
	char enc[4];
	size_t k, off, end, n;
	uint32_t out = 0, alt;

	if (f->readonly) {
		bd_err_set(err, BD_ERR_INVALID, "%s cannot be changed", bd_field_title(f));
		goto cleanup;
	}
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp > 0x10FFFF || bd_cp_is_unsafe(cp) ||
	    (cp >= 0xD800 && cp <= 0xDFFF)) {
		bd_err_set(err, BD_ERR_INVALID, "That character is not allowed");
		goto cleanup;
	}
	if (f->upshift || f->type == BD_FIELD_FLAG)
		cp = upper(cp);

	if (f->picture) {
		size_t mlen = strlen(f->picture);
		if (pos >= mlen) {
			bd_err_set(err, BD_ERR_INVALID, "%s is full", bd_field_title(f));
			goto cleanup;
		}
		if (!bd_picture_slot_accepts(f->picture[pos], cp)) {
			bd_err_set(err, BD_ERR_INVALID, "%s: %s goes here", bd_field_title(f),
				   slot_words(f->picture[pos]));
			goto cleanup;
		}
		out = cp;
		goto cleanup;
	}

	if (bd_cp_width(cp) == 0) {
		/* Combining marks join the character before the cursor. */
		if (pos == 0 || (f->type != BD_FIELD_TEXT && f->type != BD_FIELD_LOOKUP)) {
			bd_err_set(err, BD_ERR_INVALID, "That character is not allowed here");
			goto cleanup;
		}
		insert = true;
	}

	n = strlen(value);
	off = bd_chars_offset(value, pos);
	end = insert ? off : bd_field_next_char(value, n, off);
	for (int attempt = 0; attempt < 2; attempt++) {
		strbuf_reset(&cand);
		strbuf_add(&cand, value, off);
		k = bd_utf8_encode(cp, enc);
		strbuf_add(&cand, enc, k);
		strbuf_addstr(&cand, value + end);
		if (bd_field_partial_ok(f, cand.buf)) {
			out = cp;
			goto cleanup;
		}
		/* Choices and flags accept lower case for their upper-case values. */
		alt = upper(cp);
		if (alt == cp || f->type != BD_FIELD_CHOICE)
			break;
		cp = alt;
	}
	refuse_reason(f, cand.buf, err);
cleanup:
	strbuf_release(&cand);
	return out;
}

/* ---- validation ------------------------------------------------------ */

static bool
blank(const char *v)
{
	return v[strspn(v, " ")] == '\0';
}

static void
range_error(const struct bd_field_def *f, struct bd_err *err)
{
	if (f->has_min && f->has_max)
		bd_err_set(err, BD_ERR_INVALID, "%s must be between %s and %s", bd_field_title(f),
			   f->min, f->max);
	else if (f->has_min)
		bd_err_set(err, BD_ERR_INVALID, "%s must be at least %s", bd_field_title(f),
			   f->min);
	else
		bd_err_set(err, BD_ERR_INVALID, "%s must be at most %s", bd_field_title(f), f->max);
}

static int
check_range(const struct bd_field_def *f, int64_t v, struct bd_err *err)
{
	if ((f->has_min && v < f->min_num) || (f->has_max && v > f->max_num)) {
		range_error(f, err);
		return -1;
	}
	return 0;
}

int
bd_field_validate(const struct bd_field_def *f, const char *value, struct bd_err *err)
{
	char iso[BD_DATE_ISO_LEN + 1], list[160];
	int64_t num;
	size_t i;

	if (!bd_utf8_valid(value, strlen(value)) || !text_ok(value)) {
		bd_err_set(err, BD_ERR_INVALID, "%s holds characters that are not allowed",
			   bd_field_title(f));
		return -1;
	}
	if (blank(value)) {
		if (f->required) {
			bd_err_set(err, BD_ERR_INVALID, "%s is required", bd_field_title(f));
			return -1;
		}
		return 0;
	}
	if (f->picture && !picture_ok(f->picture, value, true)) {
		bd_err_set(err, BD_ERR_INVALID, "%s must be filled in as %s", bd_field_title(f),
			   f->picture);
		return -1;
	}

	switch (f->type) {
	case BD_FIELD_TEXT:
	case BD_FIELD_LOOKUP:
		break;
	case BD_FIELD_INTEGER:
		if (!parse_int(value, &num) || (num < 0 && !neg_allowed(f))) {
			bd_err_set(err, BD_ERR_INVALID, "%s must be a whole number",
				   bd_field_title(f));
			return -1;
		}
		if (check_range(f, num, err) < 0)
			return -1;
		break;
	case BD_FIELD_DECIMAL:
	case BD_FIELD_MONEY:
		if (!parse_fixed(value, f->scale, &num)) {
			if (f->scale > 0)
				bd_err_set(err, BD_ERR_INVALID,
					   "%s must be an amount like 1234.%.*s (at most %d "
					   "decimals)",
					   bd_field_title(f), f->scale, "000000", f->scale);
			else
				bd_err_set(err, BD_ERR_INVALID, "%s must be a whole amount",
					   bd_field_title(f));
			return -1;
		}
		if (check_range(f, num, err) < 0)
			return -1;
		break;
	case BD_FIELD_DATE:
		if (!parse_date(f, value, iso)) {
			bd_err_set(err, BD_ERR_INVALID, "%s is not a valid date (%s)",
				   bd_field_title(f), bd_field_date_forms_of(f));
			return -1;
		}
		if ((f->has_min && strcmp(iso, f->min) < 0) ||
		    (f->has_max && strcmp(iso, f->max) > 0)) {
			range_error(f, err);
			return -1;
		}
		break;
	case BD_FIELD_CHOICE:
		for (i = 0; i < f->nvalues; i++)
			if (!strcmp(f->values[i], value))
				break;
		if (i == f->nvalues) {
			choices_text(f, list, sizeof(list));
			bd_err_set(err, BD_ERR_INVALID, "%s must be one of %s", bd_field_title(f),
				   list);
			return -1;
		}
		break;
	case BD_FIELD_FLAG:
		if (strcmp(value, "Y") && strcmp(value, "N") && strcmp(value, "y") &&
		    strcmp(value, "n")) {
			bd_err_set(err, BD_ERR_INVALID, "%s must be Y or N", bd_field_title(f));
			return -1;
		}
		break;
	}

	if (bd_chars_count(value) > (size_t)f->length) {
		bd_err_set(err, BD_ERR_INVALID, "%s is longer than %d characters",
			   bd_field_title(f), f->length);
		return -1;
	}
	if (f->pattern && regexec(&f->regex, value, 0, NULL, 0) != 0) {
		bd_err_set(err, BD_ERR_INVALID, "%s is not in the expected form%s%s",
			   bd_field_title(f), *f->help ? ": " : "", f->help);
		return -1;
	}
	if (f->check_spec && !bd_check_digit_valid(f->check_spec, value)) {
		bd_err_set(err, BD_ERR_INVALID, "%s check digit is wrong", bd_field_title(f));
		return -1;
	}
	return 0;
}

int
bd_field_normalize(const struct bd_field_def *f, const char *value, struct strbuf *out,
		   struct bd_err *err)
{
	char iso[BD_DATE_ISO_LEN + 1];
	int64_t num;
	size_t start, end;

	if (bd_field_validate(f, value, err) < 0)
		return -1;
	if (blank(value))
		return 0;
	switch (f->type) {
	case BD_FIELD_INTEGER:
		parse_int(value, &num);
		strbuf_addf(out, "%" PRId64, num);
		return 0;
	case BD_FIELD_DECIMAL:
	case BD_FIELD_MONEY:
		parse_fixed(value, f->scale, &num);
		format_fixed(out, num, f->scale);
		return 0;
	case BD_FIELD_DATE:
		parse_date(f, value, iso);
		strbuf_addstr(out, iso);
		return 0;
	case BD_FIELD_FLAG:
		strbuf_addch(out, value[0] == 'y' || value[0] == 'Y' ? 'Y' : 'N');
		return 0;
	case BD_FIELD_CHOICE:
		strbuf_addstr(out, value);
		return 0;
	case BD_FIELD_TEXT:
	case BD_FIELD_LOOKUP:
		break;
	}
	start = strspn(value, " ");
	end = strlen(value);
	while (end > start && value[end - 1] == ' ')
		end--;
	if (f->upshift) {
		size_t off = start;
		uint32_t cp;
		char enc[4];
		while (off < end) {
			off += bd_utf8_decode(value + off, end - off, &cp);
			strbuf_add(out, enc, bd_utf8_encode(upper(cp), enc));
		}
	} else {
		strbuf_add(out, value + start, end - start);
	}
	return 0;
}

void
bd_field_default(const struct bd_field_def *f, struct strbuf *out)
{
	char iso[BD_DATE_ISO_LEN + 1];

	if (!f->default_value)
		return;
	if (f->type == BD_FIELD_DATE && !strcmp(f->default_value, "today")) {
		today_iso(iso);
		strbuf_addstr(out, iso);
		return;
	}
	strbuf_addstr(out, f->default_value);
}

int
bd_field_compare_saved(const struct bd_field_def *f, const char *a, const char *b)
{
	int64_t x, y;
	int scale = f->type == BD_FIELD_INTEGER ? 0 : f->scale;

	if ((f->type == BD_FIELD_INTEGER || f->type == BD_FIELD_DECIMAL ||
	     f->type == BD_FIELD_MONEY) &&
	    parse_fixed(a, scale, &x) && parse_fixed(b, scale, &y))
		return x < y ? -1 : x > y;
	return strcmp(a, b);
}

/* ---- for screen.c: parsing min/max at load time ------------------------ */

int
bd_field_parse_bound(struct bd_field_def *f, const char *text, int64_t *num, char **norm)
{
	char iso[BD_DATE_ISO_LEN + 1];
	struct strbuf sb = STRBUF_INIT;

	switch (f->type) {
	case BD_FIELD_INTEGER:
		if (!parse_int(text, num))
			return -1;
		strbuf_addf(&sb, "%" PRId64, *num);
		break;
	case BD_FIELD_DECIMAL:
	case BD_FIELD_MONEY:
		if (!parse_fixed(text, f->scale, num))
			return -1;
		format_fixed(&sb, *num, f->scale);
		break;
	case BD_FIELD_DATE:
		if (!parse_date(f, text, iso))
			return -1;
		*num = 0;
		strbuf_addstr(&sb, iso);
		break;
	default:
		return -1;
	}
	*norm = strbuf_detach(&sb, NULL);
	return 0;
}
