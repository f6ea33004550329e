/*
 * Civil dates (see include/backdesk/date.h).
 *
 * Day counts use Howard Hinnant's days_from_civil / civil_from_days
 * (proleptic Gregorian), which are exact for every date in our range.
 */
#include "backdesk/date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const month_names[12] = {
    "January", "February", "March",	"April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

bool
bd_is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
bd_days_in_month(int year, int month)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && bd_is_leap_year(year))
		return 29;
	return dim[month - 1];
}

bool
bd_date_valid(int year, int month, int day)
{
	return year >= BD_DATE_MIN_YEAR && year <= BD_DATE_MAX_YEAR && month >= 1 && month <= 12 &&
	       day >= 1 && day <= bd_days_in_month(year, month);
}

int
bd_date_set(struct bd_date *out, int year, int month, int day, struct bd_err *err)
{
	int dim;

	if (year < BD_DATE_MIN_YEAR || year > BD_DATE_MAX_YEAR) {
		bd_err_set(err, BD_ERR_INVALID, "Year must be between %d and %d", BD_DATE_MIN_YEAR,
			   BD_DATE_MAX_YEAR);
		return -1;
	}
	if (month < 1 || month > 12) {
		bd_err_set(err, BD_ERR_INVALID, "Month must be between 1 and 12");
		return -1;
	}
	dim = bd_days_in_month(year, month);
	if (day < 1) {
		bd_err_set(err, BD_ERR_INVALID, "Day must be between 1 and %d", dim);
		return -1;
	}
	if (day > dim) {
		bd_err_set(err, BD_ERR_INVALID, "%s %d has only %d days", month_names[month - 1],
			   year, dim);
		return -1;
	}
	out->year = year;
	out->month = month;
	out->day = day;
	return 0;
}

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
digits_value(const char *p, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

static int
bad_form(enum bd_date_order order, struct bd_err *err)
{
	bd_err_set(err, BD_ERR_INVALID, "Date must be typed in digits, like %s or 2024-03-15",
		   order == BD_DATE_MDY ? "03/15/2024" : "15/03/2024");
	return -1;
}

int
bd_date_parse(const char *s, enum bd_date_order order, struct bd_date *out, struct bd_err *err)
{
	const char *b, *e, *run[4];
	size_t runlen[4], nruns = 0;
	char sep[3];
	size_t nseps = 0;
	int y, m, d;

	if (!s)
		s = "";
	b = s;
	e = s + strlen(s);
	while (b < e && is_blank(*b))
		b++;
	while (e > b && is_blank(e[-1]))
		e--;
	if (b == e) {
		bd_err_set(err, BD_ERR_INVALID, "Date is empty");
		return -1;
	}
	for (const char *p = b; p < e;) {
		if (is_digit(*p)) {
			const char *start = p;

			while (p < e && is_digit(*p))
				p++;
			if (nruns == 3)
				return bad_form(order, err);
			run[nruns] = start;
			runlen[nruns++] = (size_t)(p - start);
		} else if (*p == '-' || *p == '/' || *p == '.') {
			/* A separator must sit between two digit runs. */
			if (nseps == 2 || nruns != nseps + 1)
				return bad_form(order, err);
			sep[nseps++] = *p++;
		} else if (is_blank(*p)) {
			bd_err_set(err, BD_ERR_INVALID, "Date has a space inside");
			return -1;
		} else {
			return bad_form(order, err);
		}
	}
	if (nseps != (nruns > 1 ? nruns - 1 : 0) || (nruns != 1 && nruns != 3))
		return bad_form(order, err);

	if (nruns == 1) {
		int last4;

		if (runlen[0] != 8) {
			if (runlen[0] == 6) {
				bd_err_set(err, BD_ERR_INVALID,
					   "Date needs a four-digit year, like %s",
					   order == BD_DATE_MDY ? "03152024" : "15032024");
				return -1;
			}
			return bad_form(order, err);
		}
		last4 = digits_value(run[0] + 4, 4);
		if (last4 >= BD_DATE_MIN_YEAR && last4 <= BD_DATE_MAX_YEAR) {
			int a = digits_value(run[0], 2), c = digits_value(run[0] + 2, 2);

			y = last4;
			d = order == BD_DATE_MDY ? c : a;
			m = order == BD_DATE_MDY ? a : c;
		} else {
			y = digits_value(run[0], 4);
			m = digits_value(run[0] + 4, 2);
			d = digits_value(run[0] + 6, 2);
		}
		return bd_date_set(out, y, m, d, err);
	}

	if (sep[0] != sep[1])
		return bad_form(order, err);
	if (runlen[0] == 4 && runlen[1] <= 2 && runlen[2] <= 2) {
		y = digits_value(run[0], 4);
		m = digits_value(run[1], runlen[1]);
		d = digits_value(run[2], runlen[2]);
	} else if (runlen[0] <= 2 && runlen[1] <= 2 && runlen[2] == 4) {
		int a = digits_value(run[0], runlen[0]), c = digits_value(run[1], runlen[1]);

		y = digits_value(run[2], 4);
		d = order == BD_DATE_MDY ? c : a;
		m = order == BD_DATE_MDY ? a : c;
	} else if (runlen[0] <= 2 && runlen[1] <= 2 && runlen[2] == 2) {
		bd_err_set(err, BD_ERR_INVALID, "Date needs a four-digit year, like %s",
			   order == BD_DATE_MDY ? "03/15/2024" : "15/03/2024");
		return -1;
	} else {
		return bad_form(order, err);
	}
	return bd_date_set(out, y, m, d, err);
}

int
bd_date_parse_iso(const char *s, struct bd_date *out, struct bd_err *err)
{
	static const char shape[] = "dddd-dd-dd";

	if (!s || strlen(s) != BD_DATE_ISO_LEN)
		goto bad;
	for (size_t i = 0; i < BD_DATE_ISO_LEN; i++) {
		if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != shape[i])
			goto bad;
	}
	return bd_date_set(out, digits_value(s, 4), digits_value(s + 5, 2), digits_value(s + 8, 2),
			   err);
bad:
	bd_err_set(err, BD_ERR_INVALID, "Date is not in the form YYYY-MM-DD");
	bd_err_detail(err, "rejected ISO date text '%.32s'", s ? s : "(null)");
	return -1;
}

void
bd_date_to_iso(const struct bd_date *d, char buf[BD_DATE_ISO_LEN + 1])
{
	/* The range keeps every field to its width; the masks only reassure
	 * the compiler's format-truncation analysis. */
	snprintf(buf, BD_DATE_ISO_LEN + 1, "%04u-%02u-%02u", (unsigned)d->year % 10000u,
		 (unsigned)d->month % 100u, (unsigned)d->day % 100u);
}

void
bd_date_format_iso(struct strbuf *out, const struct bd_date *d)
{
	char buf[BD_DATE_ISO_LEN + 1];

	bd_date_to_iso(d, buf);
	strbuf_add(out, buf, BD_DATE_ISO_LEN);
}

int
bd_date_today(struct bd_date *out, struct bd_err *err)
{
	time_t now = time(NULL);
	struct tm tm;

	if (now == (time_t)-1 || !localtime_r(&now, &tm)) {
		bd_err_set(err, BD_ERR_INTERNAL, "Cannot read today's date from the clock");
		return -1;
	}
	return bd_date_set(out, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, err);
}

int32_t
bd_date_to_days(const struct bd_date *d)
{
	int y = d->year - (d->month <= 2);
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (d->month + (d->month > 2 ? -3 : 9)) + 2) / 5 + d->day - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int32_t)(era * 146097 + doe - 719468);
}

int
bd_date_from_days(int32_t days, struct bd_date *out, struct bd_err *err)
{
	int64_t z = (int64_t)days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);

	if (y < BD_DATE_MIN_YEAR || y > BD_DATE_MAX_YEAR) {
		bd_err_set(err, BD_ERR_INVALID, "Date would fall outside the years %d to %d",
			   BD_DATE_MIN_YEAR, BD_DATE_MAX_YEAR);
		return -1;
	}
	return bd_date_set(out, (int)y, (int)m, (int)d, err);
}

int
bd_date_add_days(const struct bd_date *d, int32_t n, struct bd_date *out, struct bd_err *err)
{
	int64_t days = (int64_t)bd_date_to_days(d) + n;

	if (days < INT32_MIN || days > INT32_MAX) {
		bd_err_set(err, BD_ERR_INVALID, "Date would fall outside the years %d to %d",
			   BD_DATE_MIN_YEAR, BD_DATE_MAX_YEAR);
		return -1;
	}
	return bd_date_from_days((int32_t)days, out, err);
}

int32_t
bd_date_diff(const struct bd_date *a, const struct bd_date *b)
{
	return bd_date_to_days(b) - bd_date_to_days(a);
}

int
bd_date_weekday(const struct bd_date *d)
{
	int32_t days = bd_date_to_days(d);

	/* 1970-01-01 was a Thursday (4). */
	return (int)(((days % 7) + 7 + 3) % 7) + 1;
}

int
bd_date_cmp(const struct bd_date *a, const struct bd_date *b)
{
	int32_t x = bd_date_to_days(a), y = bd_date_to_days(b);

	return (x > y) - (x < y);
}

long long
bd_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
