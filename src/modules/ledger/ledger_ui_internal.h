#ifndef BACKDESK_LEDGER_UI_INTERNAL_H
#define BACKDESK_LEDGER_UI_INTERNAL_H
/*
 * Shared by the accountant's screens (src/modules/ledger_*.c and
 * approvals.c): amounts as screens show them, lists over rows held in
 * memory, reports written to CSV files. See include/backdesk/ledger_ui.h.
 */
#include <stdbool.h>
#include <stddef.h>

#include "backdesk/db.h"
#include "backdesk/session.h"
#include "backdesk/strbuf.h"

/*
 * Numeric text from PostgreSQL ("-1234.5") appended as "-1,234.50", padded
 * on the left to `width` columns (0: no padding). "" (NULL) stays empty; text
 * that is not a number is appended as it is.
 */
void lui_amount(struct strbuf *out, const char *numeric, int width);

/* Is a result column an amount (debit, credit, amount, previous, balance)? */
bool lui_is_amount_column(const char *name);

/*
 * Appends every row of `res` to `rows` (naming the columns when unnamed):
 * amount columns through lui_amount(), right-aligned to the width `def`
 * gives the list column of that name; booleans as Y/N; timestamps (columns
 * named *_at) cut to the minute.
 */
void lui_rows_from_result(struct bd_ui_rows *rows, const struct bd_db_result *res,
			  const struct bd_screen *def);

/*
 * A list over rows held in memory: `load` fills `rows` from the database for
 * the first page and on F5. The list's F4 filter keeps rows holding the text;
 * F11 sorts; the first sort column keeps the order `load` gave.
 */
struct lui_list {
	struct bd_session *s;
	const struct bd_screen *def;
	int (*load)(const struct lui_list *l, struct bd_ui_rows *rows, struct bd_err *err);
	void *ctx; /* the loader's own, or NULL */
	struct bd_ui_rows all;
	bool fresh; /* `all` was just loaded: the first page does not read again */
};

void lui_list_init(struct lui_list *l, struct bd_session *s, const struct bd_screen *def,
		   int (*load)(const struct lui_list *l, struct bd_ui_rows *rows,
			       struct bd_err *err),
		   void *ctx);
void lui_list_release(struct lui_list *l);
/* The bd_ui_list_source fetch callback; ctx is the struct lui_list. */
int lui_list_fetch(void *ctx, const struct bd_ui_list_query *q, size_t offset, size_t limit,
		   struct bd_ui_rows *rows, struct bd_err *err);

/*
 * A whole list screen over a lui_list: loads list screen file `screen`,
 * then option codes go to `take` and F6 to `create` (NULL: no F6), until
 * the operator leaves. Returns BD_UI_EXIT, or what lui_pass_up passes up.
 */
struct lui_list_screen {
	const char *screen;
	int (*load)(const struct lui_list *l, struct bd_ui_rows *rows, struct bd_err *err);
	enum bd_ui_action (*take)(struct bd_session *s, const struct bd_ui_list_result *r);
	enum bd_ui_action (*create)(struct bd_session *s);
	const struct bd_ui_label *labels; /* key line words, e.g. F6's */
};

enum bd_ui_action lui_list_screen_run(struct bd_session *s, const struct lui_list_screen *ls);

/*
 * Asks for a file name (starting from `suggest`), confirms replacing an
 * existing file, and writes `res` there as CSV (bd_ledger_csv). The outcome
 * is on the message line. Returns BD_UI_HANGUP on hangup, else BD_UI_NONE.
 */
enum bd_ui_action lui_export_csv(struct bd_session *s, const struct bd_db_result *res,
				 const char *suggest);

/* The journal entry screen on draft `entry_id` (ledger_ui.c). */
enum bd_ui_action lui_entry_edit(struct bd_session *s, const char *entry_id);

/* The ledger of account `code` for this year up to today (ledger_reports.c). */
enum bd_ui_action lui_account_ledger(struct bd_session *s, const char *code);

/* Today as ISO text. */
void lui_today(char buf[11]);

/* After a screen's modal call: BD_UI_HANGUP and BD_UI_MENU pass up, and so
 * does losing the active client (as BD_UI_MENU); anything else is NONE. */
enum bd_ui_action lui_pass_up(struct bd_session *s, enum bd_ui_action act);

#endif
