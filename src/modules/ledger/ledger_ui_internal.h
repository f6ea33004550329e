#ifndef BACKDESK_LEDGER_UI_INTERNAL_H
#define BACKDESK_LEDGER_UI_INTERNAL_H
/*
 * Shared by the accountant's screens (src/modules/ledger_*.c and
 * reports written to CSV files; their lists run on the kit (kit.h). See
 * include/backdesk/ledger_ui.h.
 */
#include <stdbool.h>
#include <stddef.h>

#include "backdesk/db.h"
#include "backdesk/kit.h"
#include "backdesk/session.h"
#include "backdesk/strbuf.h"

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

#endif
