#ifndef BACKDESK_LEDGER_UI_H
#define BACKDESK_LEDGER_UI_H
/*
 * The accountant's screens over the general ledger: journal entry, the
 * entries list (show, edit a draft, submit, delete, reverse), the ledger
 * reports (account inquiry, trial balance, profit and loss, balance sheet,
 * each written to CSV with F6), the chart of accounts and the fiscal
 * periods. Every rule is the database's (sql/migrations/010_ledger.sql):
 * these screens call the named queries of sql/queries/ledger.sql and show
 * its messages.
 *
 * The journal entry screen (screens/ledger.entry.conf) is one form of a
 * header and 14 line rows; PgDn/PgUp page through up to 98 lines, the
 * account names and the running totals are filled as the cursor leaves a
 * field (bd_ui_form_opts.on_field_exit), and F2 submits the entry for
 * approval. Its draft (all pages) is kept in core.drafts under the key
 * "ledger.entry" (a new entry) or "ledger.entry:<entry_id>" (a draft entry
 * being edited), so a dropped link loses nothing.
 *
 * Entry points (see session.h) run until the operator leaves and return
 * BD_UI_HANGUP when the terminal hung up, BD_UI_MENU when F10 asked for the
 * main menu, else BD_UI_EXIT. All but bd_ledger_show_entry work on the
 * active client.
 */
#include <stddef.h>

#include "backdesk/session.h"

/* A new journal entry (the menu's "Journal entry"). */
enum bd_ui_action bd_ledger_entry_new(struct bd_session *s);
/* The entries list (ledger.entries). */
enum bd_ui_action bd_ledger_entries(struct bd_session *s);
/* The reports menu: account inquiry, trial balance, P&L, balance sheet. */
enum bd_ui_action bd_ledger_reports(struct bd_session *s);
/* The chart of accounts (ledger.accounts): add, deactivate, activate. */
enum bd_ui_action bd_ledger_chart(struct bd_session *s);

/* Fiscal periods (ledger.periods): close, reopen, lock; F6 opens a year. */
enum bd_ui_action bd_ledger_periods(struct bd_session *s);

/* A journal entry draft offered back at sign-on (a draft kind of the ledger's
 * module.c). */
enum bd_ui_action bd_ledger_entry_resume(struct bd_session *s, const char *record, const char *data,
					 size_t len);

/*
 * Shows entry `entry_id` of client `client` (a code) read-only: header,
 * lines, totals, maker and approver. Returns BD_UI_EXIT, BD_UI_MENU or
 * BD_UI_HANGUP.
 */
enum bd_ui_action bd_ledger_show_entry(struct bd_session *s, const char *client,
				       const char *entry_id);

#endif
