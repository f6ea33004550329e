#ifndef BACKDESK_SCREEN_H
#define BACKDESK_SCREEN_H
/*
 * Screen definitions: declarative forms and lists (subfiles) in libconfig
 * syntax, parsed from a string so a screen can come from the binary
 * (embedded.h), a file or the database.
 *
 * A form:
 *
 *   screen = {
 *     name = "admin.client"; title = "Client"; help = "...";
 *     load = "admin.client_get";   # named query, optional
 *     save = "admin.client_save";  # named query; parameters are the field values in order
 *     label_width = 16;            # optional, see below
 *     fields = (
 *       { name = "code"; label = "Client code"; row = 3; col = 2; type = "text"; width = 10;
 *         required = true; upshift = true; pattern = "^[A-Z][A-Z0-9_]*$"; auto_advance = true;
 *         help = "Short code, letters and digits"; }, ...
 *     );
 *   };
 *
 * Field attributes: name (required), type (text, integer, decimal, money,
 * date, choice, lookup, flag; default text), label, help, row, col,
 * input_col, width, length (max characters, 1..10000; default width),
 * required, upshift, auto_advance, dup, readonly,
 * pattern (POSIX ERE), picture, min, max (string or integer), scale
 * (decimal/money), values (choice: array of strings), check_digit (a name of
 * field.h's table of algorithms, with its parameter after a colon: "luhn",
 * "luhn:80840", "mod11", "aba", "iban", "ean", "isbn", "verhoeff"), default
 * ("today" for dates), lookup (named query; lookup fields), codes (a
 * client's code table, `backdesk codes load`: a lookup field whose F4 and
 * database check read it; its lookup query is then entry.code_lookup),
 * date_order ("dmy", "mdy") and two_digit_years ("refuse", "past",
 * "window") on date fields.
 *
 * Form attributes besides fields and grids: date_order and two_digit_years
 * (every date field's unless it says its own), and rules = ( "..." ), the
 * rules across fields of rules.h.
 * width defaults: picture length; money/decimal 12; integer 9; date 10; flag 1;
 * choice the longest value; text/lookup are required to give it. row
 * defaults to the previous field's row + 1 (the first field's to 2), col to
 * 2. A pattern is matched against the whole value as typed: anchor it.
 *
 * Grids (repeating lines): columns declared once, `rows` lines of them, of
 * which `visible` are shown at a time (PgDn/PgUp or F8/F7 page, the page
 * follows the cursor):
 *
 *   grids = ( { name = "lines"; rows = 40; visible = 8; row = 6; col = 1;
 *     columns = (
 *       { name = "account"; label = "Account"; type = "lookup"; width = 10;
 *         lookup = "ledger.account_search"; required = true; },
 *       { name = "debit"; label = "Debit"; type = "money"; min = "0.01"; dup = true; } ); } );
 *
 * The column headings (label, else name) sit on `row`; lines on row + 1 ..
 * row + visible, each starting with its line number at `col`, then the
 * columns left to right one space apart (a column's `col` puts its input
 * at that column instead). A column takes every field attribute but row
 * and input_col (`col` is its input's column). The grid expands into
 * ordinary fields, appended after the screen's fields: one per line and
 * column, named <column><n> (account1, debit4; n from 1), labelled
 * "<label> (line n)" so every message names the line, with the column's
 * rules. `required` on a column means required when any other cell of
 * that line is filled. Refused: a grid without name, rows (1..999),
 * columns, visible outside 1..rows, lines past row 21, columns past column
 * 80, a cell name that another field has, a plain field inside the grid's
 * rows, more than BD_SCREEN_MAX_CELLS fields in all.
 *
 * A list:
 *
 *   list = { name = "admin.clients"; title = "Clients"; help = "...";
 *     query = "admin.client_list";
 *     columns = ( { name = "code"; heading = "Code"; width = 10; }, ... );
 *     options = ( { code = "2"; label = "Edit"; screen = "admin.client"; },
 *                 { code = "4"; label = "Disable"; action = "admin.client_disable";
 *                   confirm = true; params = ["code"]; } ); };
 *
 * A column's `type` says how its values show: "text" (the default) as they
 * are; "amount" as money, "number" as a quantity: right-aligned under a
 * right-aligned heading and never cut (kit.h's bd_kit_display_value).
 *
 * An option opens `screen` for the row, or runs named query `action` with
 * the row's `params` columns (default: the first column) as $1..$n, then
 * the value asked with `prompt` when it has one; `confirm` asks first. The
 * kit's list runner (kit.h) does exactly that.
 *
 * Screen geometry (80x24): row 0 is the status line, row 1 the title (and
 * a subtitle), rows 2..21 hold fields, row 22 is the message line and row 23
 * the function-key line (see ui.h). Columns are 0..79. A field's label sits at
 * (row, col); its input at (row, input_col) for `width` columns. input_col
 * defaults to col + label_width, where label_width is the screen attribute or
 * (default) the widest label on the screen + 2. The input must end at or
 * before column 80, and the label must end before input_col.
 *
 * Everything is validated at parse time. A malformed screen is refused with
 * err->msg "SOURCE:LINE: reason" (LINE is the line of the offending setting;
 * libconfig syntax errors give libconfig's line). Refused: syntax errors,
 * neither or both of `screen` and `list`, a missing name, unknown attributes,
 * unknown type, width <= 0 or > 80, duplicate field names, a field outside
 * rows 2..21 or columns 0..79, bad regex, choice without values, min > max,
 * bad numbers/dates in min/max/default, a default the field would refuse,
 * unknown check digit, scale outside 0..4 (BD_MONEY_MAX_SCALE) or on a non-numeric type, lookup
 * without a lookup query, a list without query or columns, an option with
 * neither or both of screen and action.
 */
#include <stdbool.h>
#include <stddef.h>

#include "backdesk/err.h"
#include "backdesk/field.h"
#include "backdesk/rules.h"

/* A screen's fields, grid cells included, at most. */
#define BD_SCREEN_MAX_CELLS 5000

#define BD_SCREEN_COLS 80
#define BD_SCREEN_LINES 24
#define BD_SCREEN_STATUS_ROW 0
#define BD_SCREEN_TITLE_ROW 1
#define BD_SCREEN_FIRST_ROW 2
#define BD_SCREEN_LAST_ROW 21
#define BD_SCREEN_MESSAGE_ROW 22
#define BD_SCREEN_KEYS_ROW 23

struct bd_grid {
	char *name;
	int rows;    /* lines */
	int visible; /* lines shown at a time */
	int row;     /* the headings' row; lines on row + 1 .. row + visible */
	int col;     /* the line numbers' column */
	int number_width;
	size_t ncolumns;
	char **headings; /* ncolumns: the column labels (or names) */
	size_t first;	 /* index of cell (line 0, column 0) in screen->fields */
	int line;
};

enum bd_screen_kind {
	BD_SCREEN_FORM = 0,
	BD_SCREEN_LIST,
};

/* How a list column shows its values (the screen file's `type`). */
enum bd_column_type {
	BD_COLUMN_TEXT = 0, /* as they are */
	BD_COLUMN_AMOUNT,   /* money: grouped, right-aligned, never cut (bd_kit_amount) */
	BD_COLUMN_NUMBER,   /* a quantity: right-aligned, never cut (bd_kit_number) */
};

struct bd_list_column {
	char *name;	 /* column of the query's result */
	char *heading;	 /* never NULL */
	char *type_name; /* "text" (NULL), "amount" or "number" */
	enum bd_column_type type;
	int width;
	int line;
};

struct bd_list_option {
	char *code;   /* what the clerk types beside a row ("2") */
	char *label;  /* "Edit" */
	char *screen; /* open this screen with the row, or NULL */
	char *action; /* run this named query with the row's key, or NULL */
	bool confirm; /* ask first */
	/* The row's columns passed to `action` as $1..$n, in order (NULL, 0:
	 * the first column). */
	char **params;
	size_t nparams;
	/* Asks for a value with this prompt first, passed after the params
	 * (a rejection reason, a priority), or NULL. */
	char *prompt;
	/* The confirm question and the message after the action, with {column}
	 * replaced by the row's value; NULL: "Label key?" and "Done: Label key." */
	char *ask;
	char *done;
	int line;
};

struct bd_screen {
	enum bd_screen_kind kind;
	char *source; /* file name used in messages */
	char *name;
	char *title; /* never NULL */
	char *help;  /* never NULL */

	/* BD_SCREEN_FORM */
	char *load; /* named query or NULL */
	char *save; /* named query or NULL */
	int label_width;
	struct bd_field_def *fields;
	size_t nfields;
	/* Cell (line, col) of grid g is fields[grids[g].first + line *
	 * grids[g].ncolumns + col]. */
	struct bd_grid *grids;
	size_t ngrids;
	/* Dates of this form: "dmy" or "mdy" (NULL: the installation's), and
	 * what a two-digit year means: "refuse" (NULL), "past" or "window";
	 * a field may say otherwise (field.h). */
	char *date_order;
	char *two_digit_years;
	/* Rules across fields (rules.h), a grid's once per line. */
	struct bd_rule *rules;
	size_t nrules;

	/* BD_SCREEN_LIST */
	char *query;
	struct bd_list_column *columns;
	size_t ncolumns;
	struct bd_list_option *options;
	size_t noptions;
};

void bd_screen_init(struct bd_screen *screen);
/* Frees everything the screen owns and reinitialises it. */
void bd_screen_release(struct bd_screen *screen);
/* malloc'd, parsed screen or NULL (err set); free with bd_screen_free(). */
struct bd_screen *bd_screen_new(const char *text, const char *source, struct bd_err *err);
void bd_screen_free(struct bd_screen *screen);

/*
 * Parses `text` (a whole screen file) into an initialised `screen`. `source`
 * names it in messages (a path, "screens/x.conf", "db:claim"). Returns 0, or
 * -1 with "SOURCE:LINE: reason" in err->msg and `screen` left released.
 */
int bd_screen_parse(struct bd_screen *screen, const char *text, const char *source,
		    struct bd_err *err);

/* Reads and parses a file. */
int bd_screen_load_file(struct bd_screen *screen, const char *path, struct bd_err *err);

/*
 * Parses the embedded screen whose `name` is `name`: tries
 * "screens/<name>.conf" first, then every embedded screens/ *.conf.
 * -1 with BD_ERR_NOT_FOUND when none has that name.
 */
int bd_screen_load_embedded(struct bd_screen *screen, const char *name, struct bd_err *err);

/* Index of cell (line, col) of grid `grid` (0-based), or -1 when out of range. */
int bd_screen_cell(const struct bd_screen *screen, size_t grid, size_t line, size_t col);

/* Index of the field called `name`, or -1. */
int bd_screen_field_index(const struct bd_screen *screen, const char *name);

#endif
