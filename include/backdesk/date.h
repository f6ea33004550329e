#ifndef BACKDESK_DATE_H
#define BACKDESK_DATE_H
/*
 * Civil dates (no time, no zone) between 1900-01-01 and 2199-12-31.
 *
 * A struct bd_date is a plain value: copy it, compare it with bd_date_cmp().
 * Every function that produces one produces a real calendar date inside the
 * range; out-of-range or impossible dates are refused at the edge, never
 * carried. The canonical stored and SQL form is ISO 8601, YYYY-MM-DD, passed
 * to PostgreSQL as text.
 *
 * Keyboard input, bd_date_parse(), accepts (after trimming spaces and tabs
 * at either end), with `order` deciding which of day and month comes first
 * in the day-month forms:
 *
 *   2024-03-15  2024-3-5                 ISO, year first (any order setting)
 *   15/03/2024  15.03.2024  15-03-2024   day-month-year   (BD_DATE_DMY)
 *   03/15/2024  03.15.2024  03-15-2024   month-day-year   (BD_DATE_MDY)
 *   15032024                             eight digits, DDMMYYYY (DMY) or MMDDYYYY (MDY)
 *   20240315                             eight digits, YYYYMMDD
 *
 * Eight digits are never ambiguous in the year range: a DDMMYYYY year starts
 * 19, 20 or 21, which is never a month. The year is always four digits: two-digit
 * years (150324, 15/03/24) are refused. The two separators must match.
 * PostgreSQL's specials (infinity, -infinity, epoch, today, now, tomorrow,
 * yesterday, allballs), NaN, BC/AD suffixes, times and any other letters are
 * refused: the clerk types the date in digits.
 *
 * Errors: functions returning int return 0 on success and -1 on failure,
 * filling `err` (which may be NULL) with a message for the person at the
 * terminal, and leaving *out untouched.
 */
#include <stdbool.h>
#include <stdint.h>

#include "backdesk/err.h"
#include "backdesk/strbuf.h"

#define BD_DATE_MIN_YEAR 1900
#define BD_DATE_MAX_YEAR 2199
#define BD_DATE_ISO_LEN 10 /* "YYYY-MM-DD" without the NUL */

struct bd_date {
	int year;  /* BD_DATE_MIN_YEAR..BD_DATE_MAX_YEAR */
	int month; /* 1..12 */
	int day;   /* 1..bd_days_in_month() */
};

enum bd_date_order {
	BD_DATE_DMY, /* 15/03/2024: most of the world, the default */
	BD_DATE_MDY, /* 03/15/2024: the United States, the Philippines */
};

bool bd_is_leap_year(int year);

/* Days in month 1..12 of `year`; 0 for a month outside 1..12. */
int bd_days_in_month(int year, int month);

/* True when year-month-day is a real calendar date inside the range. */
bool bd_date_valid(int year, int month, int day);

/* Builds a date from its parts; fails like the parsers do. */
int bd_date_set(struct bd_date *out, int year, int month, int day, struct bd_err *err);

/* Parses what a person typed (see above). */
int bd_date_parse(const char *s, enum bd_date_order order, struct bd_date *out, struct bd_err *err);

/* Parses exactly YYYY-MM-DD, as PostgreSQL sends a date with DateStyle ISO. */
int bd_date_parse_iso(const char *s, struct bd_date *out, struct bd_err *err);

/* Writes "YYYY-MM-DD" and a NUL into buf. */
void bd_date_to_iso(const struct bd_date *d, char buf[BD_DATE_ISO_LEN + 1]);

/* Appends "YYYY-MM-DD" to out. */
void bd_date_format_iso(struct strbuf *out, const struct bd_date *d);

/* Today in the process's local time zone (TZ). Fails only when the clock
 * is outside the range. */
int bd_date_today(struct bd_date *out, struct bd_err *err);

/* Days since 1970-01-01 (negative before it), and back. bd_date_from_days()
 * fails when the result leaves the range. */
int32_t bd_date_to_days(const struct bd_date *d);
int bd_date_from_days(int32_t days, struct bd_date *out, struct bd_err *err);

/* *out = d + n days (n may be negative); fails when the result leaves the
 * range. out may be d. */
int bd_date_add_days(const struct bd_date *d, int32_t n, struct bd_date *out, struct bd_err *err);

/* b - a in days. */
int32_t bd_date_diff(const struct bd_date *a, const struct bd_date *b);

/* ISO day of week: 1 = Monday .. 7 = Sunday. */
int bd_date_weekday(const struct bd_date *d);

/* <0, 0, >0 as a is before, the same as, or after b. */
int bd_date_cmp(const struct bd_date *a, const struct bd_date *b);

/* Milliseconds of a clock that never goes back (CLOCK_MONOTONIC): for
 * intervals and timeouts, never for dates. */
long long bd_monotonic_ms(void);

#endif
