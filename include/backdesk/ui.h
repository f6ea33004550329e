#ifndef BACKDESK_UI_H
#define BACKDESK_UI_H
/*
 * The terminal: a modal, 4GL-style API over ncursesw for business code that
 * never includes curses. Each modal call (form, list, menu, dialogs, query)
 * runs the one event loop until it has an answer, and returns an action.
 *
 * Screen layout (80x24 and up, anchored top-left):
 *
 *   row 0          status line: operator, role, client, database state (no
 *                  clock: a session at rest does not wake; README, Capacity)
 *   row 1          screen title
 *   rows 2..21     body (screen files place fields here)
 *   row LINES-2    message line (22 at 80x24)
 *   row LINES-1    keys that work on this screen: "F1=Help F2=Save F3=Exit"
 *
 * Keys come from the keymap (ui_keymap.h): the embedded screens/keymap.conf
 * or the file named by the setting ui.keymap. Esc then a digit is a function
 * key (Esc 1..9 = F1..F9, Esc 0 = F10, Esc - = F11, Esc = = F12); Esc alone
 * is Esc (Cancel) after BD_ESC_ALONE_MS; escape sequences the terminal
 * description lacks are dropped whole.
 *
 * Type-ahead: keys are read one at a time, only while a modal call waits
 * for a key, and never flushed; keys typed while a query runs or before a
 * form is drawn are processed by the next screen in order. Output is
 * deferred while input is pending, and only changed cells are sent.
 *
 * Hangup: after SIGHUP, SIGTERM or SIGINT, or when the terminal goes away,
 * every modal call returns BD_UI_HANGUP at once (and bd_ui_hungup() is
 * true): the caller saves its draft, closes the UI and exits. SIGWINCH
 * redraws at the new size with every value kept; SIGTSTP (or Ctrl-Z)
 * restores the terminal, stops, and redraws on SIGCONT.
 *
 * Every string drawn passes the output gate (text.h) and is truncated by
 * display width; callers pass plain UTF-8, including data from the database.
 *
 * Only one struct bd_ui exists at a time (it owns the signal handlers).
 */
#include <stdbool.h>
#include <stddef.h>

#include "backdesk/err.h"
#include "backdesk/ui_keymap.h"

struct bd_config;
struct bd_db;
struct bd_db_result;
struct bd_form;
struct bd_screen;
struct bd_ui;

/* --- opening and closing ---------------------------------------------- */

/*
 * Takes the terminal (newterm on stdin/stdout; the caller has already called
 * setlocale(LC_ALL, "")). Reads ui.color, ui.color_fields, ui.color_errors,
 * ui.escdelay_ms and ui.keymap from cfg (NULL cfg: defaults). Returns NULL
 * with err->msg set, without touching the screen, when stdin or stdout is
 * not a terminal, TERM is unset, unknown or "dumb", the terminal is smaller
 * than 80x24, the locale cannot do UTF-8, or the keymap is malformed
 * ("FILE:LINE: ..."): the caller prints the message and exits 2.
 * Registers bd_ui_close's terminal restore as the bd_die() fatal hook.
 */
struct bd_ui *bd_ui_open(const struct bd_config *cfg, struct bd_err *err);

/* The terminal checks of bd_ui_open() alone, without taking the terminal:
 * 0, or -1 with the message to print (then exit 2). Lets a command refuse at
 * once, before slow work such as starting a database. */
int bd_ui_check_terminal(struct bd_err *err);

/* Restores the terminal and frees everything. NULL is allowed. */
void bd_ui_close(struct bd_ui *ui);

/* True once a hangup was seen; every modal call then returns BD_UI_HANGUP. */
bool bd_ui_hungup(const struct bd_ui *ui);
/* Replaces the subtitle of the screen on top (a form's on_field_exit may
 * call it, e.g. when a grid's page moved). */
void bd_ui_set_subtitle(struct bd_ui *ui, const char *subtitle);

/* --- status and message lines ----------------------------------------- */

/* The status line (row 0). NULL leaves an item unchanged; "" blanks it. */
void bd_ui_set_status(struct bd_ui *ui, const char *operator_name, const char *role,
		      const char *client, const char *db_state);
/* A note after the database state (where reports come from); NULL or ""
 * removes it. When the line is too short, the operator's name gives way. */
void bd_ui_set_status_note(struct bd_ui *ui, const char *note);

enum bd_ui_message_kind {
	BD_UI_MSG_INFO = 0,
	BD_UI_MSG_ERROR, /* bold (or the ui.color_errors colour), and beeps */
};

/* Shows a message on the message line until the next key. */
__attribute__((format(printf, 3, 4))) void
bd_ui_message(struct bd_ui *ui, enum bd_ui_message_kind kind, const char *fmt, ...);

/* Puts what is painted on the terminal now: before work that holds up the
 * loop, so that its message ("Computing ...") shows while it runs. */
void bd_ui_flush(struct bd_ui *ui);

/* --- rows of text: results of lookups and list pages --------------------- */

/*
 * A table of strings with named columns, row-major. Cells are never NULL.
 * Sources fill one with bd_ui_rows_set_columns() + bd_ui_rows_add(), or in
 * one call from a database result with bd_ui_rows_add_result().
 */
struct bd_ui_rows {
	size_t ncols;
	char **names; /* ncols column names */
	char **cells; /* nrows * ncols */
	size_t nrows, alloc;
};

void bd_ui_rows_init(struct bd_ui_rows *rows);
void bd_ui_rows_release(struct bd_ui_rows *rows);
/* Names the columns; only allowed while the table has no columns yet, or
 * with the same count (names are then replaced). */
void bd_ui_rows_set_columns(struct bd_ui_rows *rows, size_t ncols, const char *const *names);
/* Appends one row of ncols cells (NULL cells become ""). */
void bd_ui_rows_add(struct bd_ui_rows *rows, const char *const *cells);
/* Appends every row of `res`; names the columns from it when unnamed.
 * Returns 0, or -1 (err set) when the result's columns differ in count. */
int bd_ui_rows_add_result(struct bd_ui_rows *rows, const struct bd_db_result *res,
			  struct bd_err *err);
/* Column index by name, or -1. */
int bd_ui_rows_col(const struct bd_ui_rows *rows, const char *name);
/* Cell text; "" for an unknown column or row. */
const char *bd_ui_rows_get(const struct bd_ui_rows *rows, size_t row, const char *name);
const char *bd_ui_rows_cell(const struct bd_ui_rows *rows, size_t row, size_t col);

/* --- key line words ------------------------------------------------------ */

/*
 * A screen's own word for an action on its key line, where the keymap's
 * general word would mislead: { BD_UI_SAVE, "Submit" } shows "F2=Submit".
 * Arrays of these end with { BD_UI_NONE, NULL }.
 */
struct bd_ui_label {
	enum bd_ui_action action;
	const char *label;
};

/* --- forms ------------------------------------------------------------- */

struct bd_ui_form_opts {
	/* Actions that end bd_ui_form() (BD_UI_BIT(BD_UI_SAVE) | ...). 0 means
	 * save, exit and cancel. Save returns only when every field is valid;
	 * otherwise the first bad field gets the cursor and the message. Other
	 * action keys not listed beep with "F9=Reject is not available here". */
	unsigned long long exits;
	/* Enter on the last field (after it validates) acts as save. */
	bool enter_saves;
	const char *title;		  /* instead of the screen's title */
	const struct bd_ui_label *labels; /* key line words; NULL: the keymap's */
	const char *subtitle;		  /* right side of the title row, e.g. "Ref 1234  SLA 2h" */
	/* Extra lines drawn from row 2 down; the screen must leave them free. */
	const char *const *header;
	size_t nheader;

	void *ctx;
	/*
	 * F4 on a field with a lookup query (or F4 on a choice or flag field,
	 * which needs no callback): fill `rows` with candidates for field
	 * `field`, starting from `search` (the field's current value). The first
	 * column is the value; the others describe it. Return 0, or -1 with err
	 * set (shown on the message line). NULL: no lookups.
	 */
	int (*lookup)(void *ctx, size_t field, const char *search, struct bd_ui_rows *rows,
		      struct bd_err *err);
	/* After the cursor left a field (moved on by Enter, Tab, auto-advance
	 * or Dup) and before bd_ui_form returns an action (not on hangup):
	 * e.g. save a draft. It may set other fields' values or bd_form_goto()
	 * back (with a bd_ui_message): the form is redrawn after it. NULL:
	 * nothing. */
	void (*on_field_exit)(void *ctx, struct bd_form *form);
	/* Actions the caller handles itself while the form stays (e.g. the
	 * document image's zoom and pan keys; F1 lists them): a bit mask, and
	 * the callback those keys go to. */
	unsigned long long actions;
	void (*on_action)(void *ctx, enum bd_ui_action action);
};

/*
 * Runs `form` (bound to a BD_SCREEN_FORM screen; see form.h) on the screen:
 * labels and inputs at the screen file's rows and columns, the cursor in the
 * current field. Printable keys type into the field (the form's keystroke
 * filter decides; the first one typed into a field just entered replaces
 * its value); Enter/Tab advance in tab order (row by row) after validation,
 * BackTab goes back, Up/Down go to the field above/below on the screen
 * without checking, Left/Right/Home/End/Backspace/Delete/Ctrl-K edit,
 * Insert toggles overwrite, F1 shows help, F4 prompts, F6 dups. Refused keys beep with the
 * reason on the message line; an invalid field keeps the cursor.
 * `opts` may be NULL. Returns the action that ended it (one of
 * opts->exits), or BD_UI_HANGUP. The form's values stay in `form`.
 */
enum bd_ui_action bd_ui_form(struct bd_ui *ui, struct bd_form *form,
			     const struct bd_ui_form_opts *opts);

/* --- lists (subfiles) --------------------------------------------------- */

/* What the list currently asks of its source. */
struct bd_ui_list_query {
	const char *filter; /* "" when none: rows containing this text */
	int sort;	    /* index into the list's columns */
};

struct bd_ui_list_source {
	void *ctx;
	/*
	 * Appends up to `limit` rows starting at row `offset` of the result for
	 * `q` to `rows` (e.g. a named query with LIMIT/OFFSET). Fewer than
	 * `limit` rows means the end. Columns are matched to the list's columns
	 * by name; extra columns (keys) are kept for the result. A non-empty
	 * extra column "attention" draws its row highlighted (bold, and in the
	 * ui.color_errors colour), e.g. a batch at risk of missing its SLA.
	 * Returns 0, or -1 with err set (shown on the message line).
	 */
	int (*fetch)(void *ctx, const struct bd_ui_list_query *q, size_t offset, size_t limit,
		     struct bd_ui_rows *rows, struct bd_err *err);
};

/* Where a list stands: kept by the caller across calls (see below). */
struct bd_ui_list_place {
	size_t sel, top; /* the selected row and the first row shown */
	int sort;
	char filter[64];
};

struct bd_ui_list_opts {
	/* Actions that end bd_ui_list() besides taking a row. 0 means exit and
	 * cancel. Refresh (F5), filter (F4), sort (F11), paging and search are
	 * handled inside. */
	unsigned long long exits;
	const char *title; /* instead of the list's title */
	const char *subtitle;
	size_t page_size; /* rows per fetch; 0 means 100 */
	/* Key line words, e.g. { BD_UI_CREATE, "CSV file" } on a report. */
	const struct bd_ui_label *labels;
	/* When not NULL (zeroed at first): the list opens where it stood when
	 * the previous call with this place returned (filter, sort, selected
	 * row), so a list reopened after an option keeps its place. NULL: the
	 * same, remembered by the list's screen name until the next menu. */
	struct bd_ui_list_place *place;
	/* When not NULL and *note is not empty: lines drawn under the rows (at
	 * most 4, the first in the error colour), read again at every paint, so
	 * a live list's loader may change *note (the queue board's stock
	 * alert). The rows make room for them. */
	const char *const *note;
};

struct bd_ui_list_result {
	char option[16];       /* the option code typed beside the row, or "" */
	size_t index;	       /* the row's position in the list */
	struct bd_ui_rows row; /* that row, every column the source gave */
};

void bd_ui_list_result_init(struct bd_ui_list_result *out);
void bd_ui_list_result_release(struct bd_ui_list_result *out);

/*
 * The subfile: `def` is a BD_SCREEN_LIST screen (columns, options). The first
 * page is fetched and drawn at once; more are fetched as the cursor moves.
 * Up/Down move, F7/F8 (PgUp/PgDn) page, Home/End go to the first/last row,
 * typed letters search (jump to the first row whose sort column starts
 * with the typed text, Backspace shortens it), F4 asks for a filter, F11
 * sorts by the next column, F5 refetches. When the list has options, an
 * "Opt" column on the left takes the codes (legend above the columns) and
 * option codes go there; while a search is typed, an option code extends
 * it only when the longer search still finds a row, else it ends the
 * search and goes beside the row found. Enter takes the current row: BD_UI_SELECT with
 * out->option ("" when none was typed) and out->row. A source error is shown
 * on the message line and the list stays. Returns BD_UI_SELECT, one of
 * opts->exits or BD_UI_HANGUP. `out` must be initialised; it is reset.
 */
enum bd_ui_action bd_ui_list(struct bd_ui *ui, const struct bd_screen *def,
			     const struct bd_ui_list_source *src,
			     const struct bd_ui_list_opts *opts, struct bd_ui_list_result *out);

/* --- menus and dialogs --------------------------------------------------- */

/*
 * Numbered menu: items 1..n, one rule whatever their number: digits type
 * the item's number after "Selection ===>" (and highlight it), Enter takes
 * it; or Up/Down to an item and Enter. A digit alone never acts, so the
 * Enter that ends a choice is never carried into the next screen. Returns BD_UI_SELECT with *choice
 * (0-based), BD_UI_EXIT, BD_UI_CANCEL, BD_UI_MENU or BD_UI_HANGUP. `initial` is the highlighted
 * item.
 */
enum bd_ui_action bd_ui_menu(struct bd_ui *ui, const char *title, const char *const *items,
			     size_t n, size_t initial, size_t *choice);

/* A popup list of strings; typing searches. BD_UI_SELECT with *choice, or
 * BD_UI_CANCEL / BD_UI_EXIT / BD_UI_HANGUP. */
enum bd_ui_action bd_ui_choose(struct bd_ui *ui, const char *title, const char *const *items,
			       size_t n, size_t *choice);

/* A Y/N question in a popup (Enter = No). False on hangup. */
bool bd_ui_confirm(struct bd_ui *ui, const char *question);
/* The same with a printf-style question: BD_UI_SELECT for yes, BD_UI_NONE
 * for no, BD_UI_HANGUP when the link dropped. */
enum bd_ui_action bd_ui_ask(struct bd_ui *ui, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * One line of input in a popup, starting from value->buf, at most
 * `max_chars` characters. The first character typed replaces the value
 * (typing 50 over 5 gives 50); Left/Right/Home/End/Backspace first edit it. BD_UI_SELECT (Enter:
 * *value holds the text), BD_UI_CANCEL / BD_UI_EXIT (value unchanged) or BD_UI_HANGUP.
 */
enum bd_ui_action bd_ui_prompt(struct bd_ui *ui, const char *label, struct strbuf *value,
			       size_t max_chars);

/* A read-only text page (help, a report preview) with scrolling. Returns
 * BD_UI_EXIT, BD_UI_CANCEL, one of `exits` or BD_UI_HANGUP. */
enum bd_ui_action bd_ui_view_text(struct bd_ui *ui, const char *title, const char *text,
				  unsigned long long exits);
/*
 * A full-screen text page that waits for one of `exits` (say Enter) and
 * nothing else: exit and cancel beep like any other key. The key line shows
 * just those keys, in the words of `labels` (NULL: the keymap's), and the
 * paging keys when the text is longer than the screen. Returns one of
 * `exits` or BD_UI_HANGUP. The idle lock's "Enter=Continue".
 */
enum bd_ui_action bd_ui_view_text_only(struct bd_ui *ui, const char *title, const char *text,
				       unsigned long long exits, const struct bd_ui_label *labels);

/* --- the database from the event loop ------------------------------------ */

/*
 * Runs named query `name` asynchronously (bd_db_send, then bd_db_consume on
 * socket readiness) while the screen stays alive: after 200 ms "Working" shows
 * on the status line; resize and timers are handled; keys are not read (they
 * wait for the next screen). Returns the result (free it with
 * bd_db_result_free) or NULL with err set; on hangup NULL with BD_ERR_IO and
 * "interrupted" (the connection is then unusable: close it).
 */
struct bd_db_result *bd_ui_query(struct bd_ui *ui, struct bd_db *db, const char *name, int nparams,
				 const char *const *params, struct bd_err *err);
/* The waiting half of bd_ui_query: the result of the query already sent on
 * db (bd_db_send), the screen alive meanwhile; the same returns. */
struct bd_db_result *bd_ui_take(struct bd_ui *ui, struct bd_db *db, struct bd_err *err);

/* --- watches and timers ---------------------------------------------------- */

/*
 * Calls cb when `fd` is readable, while any modal call waits for keys (not
 * during bd_ui_query). E.g. the LISTEN connection's socket: the callback
 * drains notifications and may call bd_ui_request(ui, BD_UI_REFRESH).
 * Returns a watch id (>= 0) for bd_ui_unwatch().
 */
int bd_ui_watch_fd(struct bd_ui *ui, int fd, void (*cb)(struct bd_ui *ui, int fd, void *ctx),
		   void *ctx);
void bd_ui_unwatch(struct bd_ui *ui, int id);

/*
 * Calls cb each time the loop is about to sleep waiting for keys, once every
 * key, watch and timer due was handled: for what no fd or timer announces,
 * e.g. notifications libpq read during a query (they wait in its queue, and
 * the socket stays quiet). cb may add timers; it must not wait. One hook per
 * ui; NULL removes it.
 */
void bd_ui_before_wait(struct bd_ui *ui, void (*cb)(struct bd_ui *ui, void *ctx), void *ctx);

/* Calls cb after `ms` milliseconds; cb returns the delay until its next call,
 * or 0 to stop. Returns a timer id (>= 0) for bd_ui_timer_cancel(). */
int bd_ui_timer(struct bd_ui *ui, long ms, long (*cb)(struct bd_ui *ui, void *ctx), void *ctx);
void bd_ui_timer_cancel(struct bd_ui *ui, int id);

/* Milliseconds since the last key (for an idle lock). */
long bd_ui_idle_ms(const struct bd_ui *ui);

/*
 * Asks the modal call that is waiting for keys to act as if `action` had been
 * pressed, before any further key: a list refetches on BD_UI_REFRESH; a form
 * or list returns an action that is in its exits. Meant for watch and timer
 * callbacks (the supervisor board refreshes on NOTIFY).
 */
void bd_ui_request(struct bd_ui *ui, enum bd_ui_action action);

#endif
