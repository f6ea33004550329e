#ifndef BACKDESK_KIT_H
#define BACKDESK_KIT_H
/*
 * The kit: what every module's list screens share (src/kit/kit.c), between
 * the UI and the modules. Values as lists show them, lists over rows held
 * in memory, and the list-screen runner that executes a screen file's
 * options as written:
 *
 *   options = ( { code = "5"; label = "Show"; screen = "admin.client"; },
 *               { code = "7"; label = "Deactivate"; action = "x.set_active";
 *                 params = [":client_code", "code", "=false"]; confirm = true; } );
 *
 * `screen` opens that screen for the row (the list's `open` hook, else the
 * opener registered under that name, bd_kit_register_opener()); `action` runs that named
 * query with the option's params as $1..$n: a column of the row by name, a
 * session value (":client_code", ":client_id", ":login") or a literal
 * ("=false"); no params pass the row's first column. `prompt` asks for one
 * more value first (passed last); `confirm` asks first: `ask` with {column}
 * replaced (or "Label key?"); then `done` (or "Done: Label key."). The
 * outcome is on the message line. A module's C hook handles only what is
 * not data (an option code it names in `option`).
 *
 * One rule for handing control back (bd_kit_pass_up): a hang-up (or a
 * broken connection) passes BD_UI_HANGUP up, F10 and the loss of the active
 * client in a screen that needs it pass BD_UI_MENU up; anything else stays
 * in the list, and leaving the list returns BD_UI_EXIT.
 */
#include <stdbool.h>

#include "backdesk/db.h"
#include "backdesk/form.h"
#include "backdesk/screen.h"
#include "backdesk/session.h"
#include "backdesk/strbuf.h"
#include "backdesk/ui.h"

/* ---- values as lists show them ------------------------------------------- */

/*
 * Numeric text ("-1234.5") appended as "-1,234.50", right-aligned in `width`
 * columns (0: no padding). Never cut: an amount wider than `width` drops its
 * grouping, then is shown scaled with a unit ("-12.35M", "1.2B"), and when
 * even that does not fit, as '#' across the width: never a truncated number.
 * "" stays empty; text that is not a number is appended as it is.
 */
void bd_kit_amount(struct strbuf *out, const char *numeric, int width);
/*
 * A quantity ("12.500") appended right-aligned in `width` columns (0: no
 * padding), its fraction's trailing zeros dropped ("12.5"); never cut: '#'
 * across the width when it does not fit.
 */
void bd_kit_number(struct strbuf *out, const char *numeric, int width);
/* List column `name` of `def`, or NULL. */
const struct bd_list_column *bd_kit_column(const struct bd_screen *def, const char *name);
/*
 * One cell of result column `name` as lists show it, in list column `col`
 * (NULL: none, no padding): amount and number columns through
 * bd_kit_amount() and bd_kit_number(); booleans "t"/"f" as Y/N; arrays
 * "{A,B}" as "A B"; timestamps (columns named *_at) to the minute; anything
 * else as it is.
 */
void bd_kit_display_value(const struct bd_list_column *col, const char *name, const char *v,
			  struct strbuf *out);
/* "1h05m", "12m", "45s" for a number of seconds; "" for ""; "-" prefixed
 * when negative. */
void bd_kit_duration(const char *seconds, struct strbuf *out);
/* "2024-03-04 09:12:33.12+00" -> "03-04 09:12" (month-day hour:minute). */
void bd_kit_when(const char *ts, struct strbuf *out);
/* Appends every row of `res` through bd_kit_display_value() (widths from
 * `def`, may be NULL), naming the columns when unnamed. */
void bd_kit_rows_from_result(struct bd_ui_rows *rows, const struct bd_db_result *res,
			     const struct bd_screen *def);
/*
 * For a list's loader that derives columns of its own: names the columns of
 * `rows` (the result's, then `extra_names`, n of them) when unnamed, then
 * appends row r of `res` as it is with the derived cells `extra` after it;
 * a number or a duration ("1h05m") narrower than its list column of `def`
 * is right-aligned in it. bd_kit_rows_columns() alone names the columns of
 * a list with no rows.
 */
void bd_kit_rows_columns(struct bd_ui_rows *rows, const struct bd_db_result *res,
			 const char *const *extra_names, size_t n);
void bd_kit_rows_add(struct bd_ui_rows *rows, const struct bd_db_result *res, int r,
		     const struct bd_screen *def, const char *const *extra_names,
		     const char *const *extra, size_t n);

/* ---- control ------------------------------------------------------------- */

/* The rule above: BD_UI_HANGUP, BD_UI_MENU, or BD_UI_NONE (stay). */
enum bd_ui_action bd_kit_pass_up(struct bd_session *s, enum bd_ui_action act);
/* After a failed query: BD_UI_HANGUP when the connection is gone, else the
 * message is shown and BD_UI_NONE returned. */
enum bd_ui_action bd_kit_failed(struct bd_session *s, const struct bd_err *err);
/* The form until it is left, or saved with every field valid: then
 * BD_UI_SAVE and *values (bd_form_params; free with bd_form_params_free).
 * A bad field gets the cursor and its message, and the form goes on. */
enum bd_ui_action bd_kit_form_values(struct bd_session *s, struct bd_form *form,
				     const struct bd_ui_form_opts *opts, char ***values);
/* The option of `def` with `code`, or NULL. */
const struct bd_list_option *bd_kit_option(const struct bd_screen *def, const char *code);

/* ---- a list over rows held in memory ---------------------------------------- */

/*
 * Read whole when the list asks for its first page (so F5 re-reads it); F4
 * filters and F11 sorts the copy. `load` fills `rows`; NULL runs def->query
 * with `params` through bd_kit_rows_from_result().
 */
struct bd_kit_live;

struct bd_kit_list {
	struct bd_session *s;
	const struct bd_screen *def;
	int (*load)(const struct bd_kit_list *l, struct bd_ui_rows *rows, struct bd_err *err);
	/* With no `load`: turns def->query's result into the rows (derived
	 * columns, bd_kit_rows_add()); NULL: bd_kit_rows_from_result(). */
	void (*shape)(struct bd_ui_rows *rows, const struct bd_db_result *res,
		      const struct bd_screen *def, void *ctx);
	void *ctx; /* the loader's own */
	int nparams;
	const char *params[6];
	bool report_order; /* sorted by the first column, rows keep the load's order */
	bool report;	   /* read-only: def->query reads through bd_session_report_query */
	bool fresh;	   /* `all` was just loaded: the first page does not read again */
	struct bd_ui_rows all;
	struct bd_kit_live *live; /* told when the rows were read, or NULL */
};

void bd_kit_list_init(struct bd_kit_list *l, struct bd_session *s, const struct bd_screen *def);
void bd_kit_list_release(struct bd_kit_list *l);
/* The bd_ui_list_source fetch callback; ctx is the struct bd_kit_list. */
int bd_kit_list_fetch(void *ctx, const struct bd_ui_list_query *q, size_t offset, size_t limit,
		      struct bd_ui_rows *rows, struct bd_err *err);

/* ---- live refresh ------------------------------------------------------------------ */

/*
 * A list (or the app) that follows the database by itself: LISTEN on the
 * `topic` channel of the operator's clients (see bd_session and 030_security:
 * a notification carries nothing, so it only says "read again"), coalesced:
 * however many notifications arrive, the rows are read again at once and
 * then at most once every BD_KIT_LIVE_MIN_MS, and once more `trail_ms`
 * after the last one when asked (a transaction that committed just after
 * the notifier is seen within that time). A listener of its own whose link
 * dropped connects again every BD_KIT_LIVE_RETRY_MS (and reads again then).
 */
#define BD_KIT_LIVE_MIN_MS 250
#define BD_KIT_LIVE_RETRY_MS 5000

struct bd_kit_live_spec {
	/* "queue", "approvals" (core.client_channels), or "operator": the
	 * operator's own channel (assignments, role, state) */
	const char *topic;
	/* only this client's channel (decimal text, or ":client_id" for the
	 * active client), NULL: every client of the operator */
	const char *client_id;
	/* NULL: a connection of its own (nested lists of one topic and client
	 * share it). Else LISTEN on `db`, whose owner calls bd_kit_live_drain()
	 * after reading from it and bd_kit_live_listen() after it reconnects. */
	struct bd_db *db;
	long trail_ms; /* 0: none */
	long clock_ms; /* also read again this often (what moves with time alone); 0: never */
	/* The re-read; NULL: the list waiting for keys reads again
	 * (BD_UI_REFRESH; asked again until it has, bd_kit_live_read). */
	void (*changed)(struct bd_session *s, void *ctx);
	void *ctx;
};

/*
 * LISTENs on `db` on the `topic` channel of every client of the operator
 * (or of client_id only, decimal text), or on the operator's own channel
 * ("operator"); with `channels`, the names listened to (NULL-ended, *n of
 * them; the caller frees each and the array). 0, or -1 with err set.
 */
int bd_kit_listen(struct bd_db *db, const char *topic, const char *client_id, char ***channels,
		  size_t *n, struct bd_err *err);

struct bd_kit_live *bd_kit_live_open(struct bd_session *s, const struct bd_kit_live_spec *spec);
void bd_kit_live_close(struct bd_kit_live *l);
/* Listening now (the subtitle's "live" or "not live"). */
bool bd_kit_live_on(const struct bd_kit_live *l);
/* A list waits for keys (true) or no longer (false): only then is it asked
 * to read again. */
void bd_kit_live_wait(struct bd_kit_live *l, bool waiting);
/* The rows were just read. */
void bd_kit_live_read(struct bd_kit_live *l);
/* On a connection of the caller's (spec.db): LISTEN again (after a
 * reconnect), 0 or -1 with err set; take the notifications read. */
int bd_kit_live_listen(struct bd_kit_live *l, struct bd_err *err);
void bd_kit_live_drain(struct bd_kit_live *l);

/* ---- the list-screen runner --------------------------------------------------- */

struct bd_kit_list_screen {
	const char *screen;	     /* the list screen file's name */
	const struct bd_screen *def; /* that screen already loaded (and adapted), or NULL */
	/* The list's rows: def->query with these params (":client_code" and
	 * the like are the session's, "=x" literals, NULL SQL NULL), or `load`. */
	int nparams;
	const char *params[6];
	int (*load)(const struct bd_kit_list *l, struct bd_ui_rows *rows, struct bd_err *err);
	void (*shape)(struct bd_ui_rows *rows, const struct bd_db_result *res,
		      const struct bd_screen *def, void *ctx);
	bool report_order;
	/* A read-only report (productivity, never the live board): its rows are
	 * read from the reports' server (bd_session_report_query). */
	bool report;
	/* A source of its own (paged from the database), or NULL: in memory. */
	const struct bd_ui_list_source *source;
	/* Opens option o's `screen` for `row`; NULL when no option has one. */
	enum bd_ui_action (*open)(struct bd_session *s, const struct bd_list_option *o,
				  const struct bd_ui_rows *row, void *ctx);
	/* F6: a new record; NULL when the list creates nothing. */
	enum bd_ui_action (*create)(struct bd_session *s, void *ctx);
	/* The option codes (space separated) `option` handles itself: what
	 * is not data. NULL: none. */
	const char *hooked;
	enum bd_ui_action (*option)(struct bd_session *s, const struct bd_list_option *o,
				    const struct bd_ui_rows *row, void *ctx);
	/* The option Enter alone takes ("5"), or NULL: it asks for one. */
	const char *enter;
	/* Enter alone on a list whose screen file has no options (a report's
	 * drill-down), or NULL. */
	enum bd_ui_action (*select)(struct bd_session *s, const struct bd_ui_rows *row, void *ctx);
	/* Rows already read (the caller read them to title the list): taken
	 * over, so the first page does not read them again; or NULL. */
	struct bd_ui_rows *rows;
	const char *subtitle; /* NULL: the active client's code */
	const char *sort;     /* the column it opens sorted by, NULL: the first */
	/* Follows the database by itself (kit live refresh; `changed` NULL),
	 * the subtitle saying "live" or "not live"; NULL: F5 only. */
	const struct bd_kit_live_spec *live;
	const struct bd_ui_label *labels;
	/* Lines under the rows (bd_ui_list_opts.note), which the list's
	 * `load` may change as it reads; NULL: none. */
	const char *const *note;
	void *ctx;
};

/* Runs list screen ls->screen until the operator leaves: BD_UI_EXIT, or
 * what bd_kit_pass_up() passes up. */
enum bd_ui_action bd_kit_list_run(struct bd_session *s, const struct bd_kit_list_screen *ls);

/*
 * Runs option `o` (an action) for `row` as the runner does: params, prompt,
 * confirm, the query, the outcome on the message line. For a hook that
 * does something first. Returns BD_UI_NONE, or what passes up.
 */
enum bd_ui_action bd_kit_run_action(struct bd_session *s, const struct bd_list_option *o,
				    const struct bd_ui_rows *row);

/*
 * Screens a module opens for a row, by name, for other modules' lists (the
 * approvals inbox shows a journal entry with the ledger's "ledger.entry"
 * view) without including that module: the module registers the opener
 * (from a constructor, so no shared file changes), the list opens it by
 * name. bd_kit_open() returns what the opener returns, or shows "... cannot
 * be opened here" and returns BD_UI_NONE for a name nobody registered.
 */
typedef enum bd_ui_action (*bd_kit_opener)(struct bd_session *s, const struct bd_ui_rows *row);
void bd_kit_register_opener(const char *screen, bd_kit_opener open);
enum bd_ui_action bd_kit_open(struct bd_session *s, const char *screen,
			      const struct bd_ui_rows *row);
bool bd_kit_has_opener(const char *screen);

/* The text of option param `p` for `row` (see above): a cell without the
 * spaces that aligned it; NULL for an empty session value. `s` may be NULL
 * for a column or a literal. */
const char *bd_kit_param(const struct bd_session *s, const char *p, const struct bd_ui_rows *row);

#endif
