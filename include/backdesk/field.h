#ifndef BACKDESK_FIELD_H
#define BACKDESK_FIELD_H
/*
 * Field definitions and the per-type rules: keystroke filter, validation on
 * exit, normalisation for saving, check digits. UI-agnostic: no curses, no
 * libpq. A struct bd_field_def is owned by the struct bd_screen it was parsed
 * into (see screen.h); everything here only reads it.
 *
 * Values are UTF-8 strings. Positions inside a value ("cursor", "pos") count
 * characters, where a character is one code point followed by any zero-width
 * (combining) code points (bd_cp_width() == 0): "e" + U+0301 is one character,
 * a CJK ideograph is one character two columns wide.
 *
 * Picture masks: 9 = digit, A = letter, X = any character, N = letter or
 * digit; every other mask character is a literal. The value of a picture field
 * holds the literals too ("AB-12345678"); the engine inserts them and the
 * cursor skips them. A picture field's value is at most as long as its mask.
 */
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backdesk/date.h"
#include "backdesk/err.h"
#include "backdesk/strbuf.h"

enum bd_field_type {
	BD_FIELD_TEXT = 0,
	BD_FIELD_INTEGER,
	BD_FIELD_DECIMAL, /* fixed point, `scale` decimals (default 2) */
	BD_FIELD_MONEY,	  /* like decimal; `scale` defaults to 2 */
	BD_FIELD_DATE,	  /* typed as date.h accepts (bd_field_set_date_order); saved ISO */
	BD_FIELD_CHOICE,  /* one of `values` */
	BD_FIELD_LOOKUP,  /* free code, F4 runs the `lookup` named query */
	BD_FIELD_FLAG,	  /* Y or N */
};

/* Two-digit years typed in a date field (15/03/24, 150324), per document
 * type or field: refused (the default), or read as the latest year not after
 * this one (past: dates of birth, services done), or within 50 years either
 * side of this one (window). */
enum bd_year_rule {
	BD_YEARS_REFUSE = 0,
	BD_YEARS_PAST,
	BD_YEARS_WINDOW,
};

enum bd_check_digit {
	BD_CHECK_NONE = 0,
	BD_CHECK_LUHN,
	BD_CHECK_MOD11,
	BD_CHECK_ABA,
	BD_CHECK_IBAN,
	BD_CHECK_EAN,
	BD_CHECK_ISBN,
	BD_CHECK_VERHOEFF,
};

struct bd_field_def {
	char *name;  /* unique within the screen */
	char *label; /* never NULL ("" when absent) */
	char *help;  /* never NULL ("" when absent) */
	int line;    /* line of the definition in the screen file */

	/*
	 * Layout on the 80x24 screen (see screen.h): the label is drawn at
	 * (row, col); the input starts at (row, input_col) and is `width`
	 * columns wide. input_col is the `input_col` attribute, or
	 * col + label_width of the screen (0 when the label is empty).
	 */
	int row, col, input_col;
	int width;  /* display columns of the input */
	int length; /* max characters: `length`, else the picture's length, else width */

	enum bd_field_type type;
	bool required, upshift, auto_advance, dup, readonly;

	char *pattern; /* POSIX ERE or NULL; compiled into `regex` */
	regex_t regex;
	char *picture; /* mask or NULL */

	/* min/max as written (NULL when absent); parsed forms for the checks. */
	char *min, *max;
	bool has_min, has_max;
	int64_t min_num, max_num; /* integer: the value; decimal/money: units of 10^-scale */
	int scale;		  /* decimal/money decimals */

	char **values; /* choice: NULL-terminated list; nvalues entries */
	size_t nvalues;

	enum bd_check_digit check_digit;
	/* The check digit as written ("luhn", "luhn:80840"), NULL when none;
	 * what follows the colon is the algorithm's parameter. */
	char *check_spec;
	char *default_value; /* NULL, a literal, or "today" for dates */
	/* Dates: the day-month order of this field (its document type's
	 * `date_order`), or -1 for the installation's (bd_field_set_date_order);
	 * and what a two-digit year means. */
	int date_order;
	enum bd_year_rule two_digit_years;
	bool years_set; /* the field said two_digit_years itself */
	char *lookup;	/* named query for F4, or NULL */
	/* A client's code table (`backdesk codes load`) the value must come
	 * from, or NULL; lookup is then entry.code_lookup. */
	char *codes;

	/*
	 * A cell of a grid (screen.h): grid is the grid's index + 1 (0 for a
	 * plain field), grid_line its line (0-based), grid_col its column.
	 * `row` is then the line's row as if every line were shown (the grid's
	 * first row + grid_line); the UI draws it where the grid's page puts
	 * it. line_required: the column is required on a line that is not
	 * empty (`required` itself is false on cells).
	 */
	int grid, grid_line, grid_col;
	bool line_required;

	/*
	 * Where the field is on the document's page image (`zone = "X Y W H"`:
	 * left, top, width, height), for the keying screen's picture:
	 * fractions of the page when every number is at most 1
	 * (zone_pixels false), else the page's pixels. On a grid column a fifth
	 * number DY says how much lower each line is than the one above; the
	 * cells hold their own line's zone (zone_step is then 0).
	 */
	bool has_zone, zone_pixels;
	double zone[4], zone_step;
};

const char *bd_field_type_name(enum bd_field_type type);

/*
 * Day-month order for date fields typed as 15/03/2024 or 03/15/2024 (ISO
 * YYYY-MM-DD is always accepted). Process-wide, BD_DATE_DMY until set; the
 * app sets it once from the configuration.
 */
void bd_field_set_date_order(enum bd_date_order order);
/* The date forms a keyer may type, for help and messages:
 * "DD/MM/YYYY, DDMMYYYY or YYYY-MM-DD" (or month first). */
const char *bd_field_date_forms(void);
/* The same for field f (its own order, its two-digit years). */
const char *bd_field_date_forms_of(const struct bd_field_def *f);

/* Label for messages: the label, or the name when the label is empty. */
const char *bd_field_title(const struct bd_field_def *f);

/*
 * Keystroke filter. Would typing `cp` into `value` at character position
 * `pos` (insert or overwrite) be acceptable for this field? On success
 * returns the code point to put there (upshifted when the field upshifts;
 * flags always upshift); returns 0 when the key is refused, with a short
 * reason in err->msg ("Digits only"). Refuses C0/C1/DEL and unsafe code
 * points (bd_cp_is_unsafe) in every type, and anything beyond `length`.
 * For picture fields `pos` must be the data position the key lands on
 * (bd_form does this); the class of that mask slot decides.
 */
uint32_t bd_field_filter(const struct bd_field_def *f, const char *value, size_t pos, bool insert,
			 uint32_t cp, struct bd_err *err);

/* Is `value` an acceptable partial entry (what the filter admits)? */
bool bd_field_partial_ok(const struct bd_field_def *f, const char *value);

/*
 * Validation when the clerk leaves the field (or submits): required, picture
 * complete, pattern, number/date parse, range, choice, flag, check digit.
 * Amounts parse with bd_money_parse() at the field's scale (so a value set
 * by code may carry grouping commas), integers are digits with an optional
 * minus, dates parse with bd_date_parse() (years 1900..2199).
 * An empty, non-required value is valid. Returns 0, or -1 with a message the
 * clerk understands in err->msg ("Policy no check digit is wrong").
 */
int bd_field_validate(const struct bd_field_def *f, const char *value, struct bd_err *err);

/*
 * The text to save for a valid value, appended to `out`: money/decimal as
 * canonical numeric text ("1234.50", exactly `scale` decimals, "-" sign),
 * integer without leading zeros or '+', date as ISO YYYY-MM-DD, flag "Y"/"N",
 * everything else trimmed of leading/trailing spaces. Empty stays empty.
 * Returns -1 (err set) when the value does not validate.
 */
int bd_field_normalize(const struct bd_field_def *f, const char *value, struct strbuf *out,
		       struct bd_err *err);

/* The default value for a new record appended to `out` ("today" resolved to
 * the local date in ISO form); nothing when there is no default. */
void bd_field_default(const struct bd_field_def *f, struct strbuf *out);

/* Picture mask helpers. */
bool bd_picture_is_slot(char mask_ch);			 /* 9, A, X or N */
bool bd_picture_slot_accepts(char mask_ch, uint32_t cp); /* cp fits that slot */

/*
 * Check digits, over the ASCII digits of `s` (other characters, such as the
 * literals of a mask, are skipped).
 *
 * Luhn: the last digit is the check digit (credit cards, IMEI).
 *   bd_luhn_valid("79927398713") is true.
 * Mod 11, ISBN-10 style: weights 2, 3, 4, ... from the rightmost payload digit
 * leftwards; check = (11 - sum % 11) % 11, and a check value of 10 is written
 * 'X' (upper or lower case accepted, only as the last character).
 *   bd_mod11_valid("0306406152") and bd_mod11_valid("080442957X") are true.
 * Both need at least two digits. bd_*_digit() compute the check character
 * for a payload of digits ('0'..'9', or 'X' for mod 11), or 0 when the
 * payload holds no digit.
 */
bool bd_luhn_valid(const char *s);
/* Luhn over `prefix` followed by the digits of s (NPI: prefix "80840"). */
bool bd_luhn_prefix_valid(const char *s, const char *prefix);
char bd_luhn_digit(const char *payload);
bool bd_mod11_valid(const char *s);
char bd_mod11_digit(const char *payload);

/*
 * The check digit algorithms, one table (field.c) that the screen parser,
 * the validation and the database's entry.check_digit_ok (same names, same
 * parameters) follow; a new algorithm is a row there and a branch there.
 * A field says `check_digit = "NAME"` or `"NAME:PARAM"`:
 *
 *   luhn[:PREFIX]  Luhn over PREFIX (digits) then the value's digits; the NPI
 *                  is "luhn:80840" (ISO 7812 card issuer prefix of US health)
 *   mod11          ISBN-10 style, weights 2, 3, ... from the right, X = 10
 *   aba            US bank routing number: 9 digits, weights 3 7 1, mod 10
 *   iban           ISO 13616 / ISO 7064 mod 97-10: 15-34 letters and digits,
 *                  country letters then two check digits (spaces skipped)
 *   ean            GS1 mod 10, weights 3 1 from the right: EAN-8, UPC-A
 *                  (12), EAN-13, GTIN-14
 *   isbn           ISBN-10 (mod11) or ISBN-13 (ean, 978/979)
 *   verhoeff       Verhoeff's dihedral code (Indian Aadhaar: 12 digits)
 *
 * Digits are read as in bd_luhn_valid (other characters skipped), letters
 * too for iban.
 */
struct bd_check_algorithm {
	const char *name;
	enum bd_check_digit id;
	/* What the parameter is, for messages ("prefix digits"), or NULL when
	 * the algorithm takes none. */
	const char *param;
	bool (*valid)(const char *value, const char *param);
};
/* The row named by `spec` up to its colon, or NULL; *param (when not NULL)
 * gets what follows the colon, or NULL. */
const struct bd_check_algorithm *bd_check_algorithm_find(const char *spec, const char **param);
/* The names, for messages: "luhn, mod11, ...". */
const char *bd_check_algorithm_names(void);
/* Whether `value` passes the check written `spec` (a name the table holds). */
bool bd_check_digit_valid(const char *spec, const char *value);

/*
 * Character-wise helpers on UTF-8 values (characters as defined above).
 * All tolerate invalid UTF-8 (each bad byte counts as one character).
 */
size_t bd_chars_count(const char *s);
/* Byte offset of character `index` (clamped to the end). */
size_t bd_chars_offset(const char *s, size_t index);
/* Display width of characters [from, to). */
int bd_chars_width(const char *s, size_t from, size_t to);

/*
 * Horizontal scroll for a value shown in `width` columns with the cursor at
 * character `cursor`. Sets [*off, *off + *len) to the bytes to draw (whole
 * characters whose total width fits in `width`), and returns the cursor's
 * display column relative to the start of the field (0..width-1 when
 * width > 0). The slice starts at the beginning of the value whenever the
 * cursor fits, else as late as needed to show the cursor's cell.
 */
int bd_field_view(const char *value, size_t cursor, int width, size_t *off, size_t *len);

#endif
