/*
 * The journal entries list (screens/ledger.entries.conf) and the read-only
 * view of one entry: see include/backdesk/ledger_ui.h. The options are
 * handled here: 2 changes a draft in the entry screen, 4 deletes a draft,
 * 5 shows an entry, 7 reverses a posted one (ledger.entry_reverse, dated as
 * the accountant says or, left empty, the database's choice of an open
 * period).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/date.h"
#include "backdesk/ledger_ui.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"
#include "ledger_ui_internal.h"

/* ---- one entry, read-only --------------------------------------------- */

static void
entry_text(const struct bd_db_result *h, const struct bd_db_result *l, struct strbuf *t)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	int r;

#define H(name) bd_db_result_get(h, 0, bd_db_result_col(h, name))
#define L(name) bd_db_result_get(l, r, bd_db_result_col(l, name))
	strbuf_addf(t, "Entry %s   %s   %s   version %s\n", H("entry_id"),
		    *H("entry_number") ? H("entry_number") : "(not numbered yet)", H("status"),
		    H("version"));
	strbuf_addf(t, "Date %s   Journal %s   Reference %s\n", H("entry_date"), H("journal"),
		    H("reference"));
	strbuf_addf(t, "Description: %s\n", H("description"));
	strbuf_addf(t, "Keyed by %s on %.16s", H("maker"), H("created_at"));
	if (*H("submitted_at"))
		strbuf_addf(t, ", submitted %.16s", H("submitted_at"));
	strbuf_addch(t, '\n');
	if (*H("approver"))
		strbuf_addf(t, "Approved by %s, posted %.16s\n", H("approver"), H("posted_at"));
	if (!strcmp(H("status"), "draft") && *H("rejected_reason"))
		strbuf_addf(t, "Sent back by %s on %.16s: %s\n", H("rejected_by"), H("rejected_at"),
			    H("rejected_reason"));
	if (*H("reverses_entry_id"))
		strbuf_addf(t, "This entry reverses entry %s\n", H("reverses_entry_id"));
	if (*H("reversed_by"))
		strbuf_addf(t, "Reversed by entry %s\n", H("reversed_by"));
	strbuf_addf(t, "\n%-3s%-10s %-24s %13s %13s  %s\n", "Ln", "Account", "Name", "Debit",
		    "Credit", "Memo");
	for (r = 0; r < bd_db_result_rows(l); r++) {
		strbuf_reset(&a);
		strbuf_reset(&b);
		bd_kit_amount(&a, strcmp(L("debit"), "0.00") ? L("debit") : "", 13);
		bd_kit_amount(&b, strcmp(L("credit"), "0.00") ? L("credit") : "", 13);
		strbuf_addf(t, "%-3s%-10.10s %-24.24s %13s %13s  %s\n", L("line_no"), L("account"),
			    L("account_name"), a.buf, b.buf, L("memo"));
	}
	strbuf_reset(&a);
	strbuf_reset(&b);
	bd_kit_amount(&a, H("total_debit"), 13);
	bd_kit_amount(&b, H("total_credit"), 13);
	strbuf_addf(t, "%-38s %13s %13s\n", "", "-------------", "-------------");
	strbuf_addf(t, "%-38s %13s %13s\n", "   Totals", a.buf, b.buf);
#undef H
#undef L
	strbuf_release(&a);
	strbuf_release(&b);
}

enum bd_ui_action
bd_ledger_show_entry(struct bd_session *s, const char *client, const char *entry_id)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *h = NULL, *l = NULL;
	struct strbuf text = STRBUF_INIT, title = STRBUF_INIT;
	enum bd_ui_action act = BD_UI_EXIT;

	if (!(h = bd_session_query(s, "ledger.entry_get", BD_PARAMS(client, entry_id), &err)) ||
	    !(l = bd_session_query(s, "ledger.entry_lines", BD_PARAMS(client, entry_id), &err))) {
		if (s->db_broken)
			act = BD_UI_HANGUP;
		else
			bd_session_error(s, &err);
		goto cleanup;
	}
	if (bd_db_result_rows(h) < 1) {
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "Entry %s no longer exists", entry_id);
		goto cleanup;
	}
	entry_text(h, l, &text);
	strbuf_addf(&title, "Journal entry %s (%s)", entry_id, client);
	act = bd_ui_view_text(s->ui, title.buf, text.buf, BD_UI_BIT(BD_UI_MENU));
	if (act != BD_UI_HANGUP && act != BD_UI_MENU)
		act = BD_UI_EXIT;
cleanup:
	bd_db_result_free(h);
	bd_db_result_free(l);
	strbuf_release(&text);
	strbuf_release(&title);
	return act;
}

/* ---- the list --------------------------------------------------------- */

/* Option 7: asks for the date and creates the reversal. */
static enum bd_ui_action
reverse(struct bd_session *s, const struct bd_ui_rows *row)
{
	const char *id = bd_ui_rows_get(row, 0, "entry_id");
	struct strbuf date = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = NULL;
	enum bd_ui_action act;
	char iso[BD_DATE_ISO_LEN + 1];

	if (strcmp(bd_ui_rows_get(row, 0, "status"), "posted")) {
		bd_ui_message(s->ui, BD_UI_MSG_ERROR,
			      "Only a posted entry is reversed: change or delete a draft");
		return BD_UI_NONE;
	}
	for (;;) {
		struct bd_date d;

		bd_ui_message(s->ui, BD_UI_MSG_INFO,
			      "Reversing %s. Leave the date empty for the entry's own date if "
			      "its period is open, else today",
			      bd_ui_rows_get(row, 0, "entry_number"));
		act = bd_ui_prompt(s->ui, "Reversal date", &date, 10);
		if (act == BD_UI_HANGUP)
			goto cleanup;
		if (act != BD_UI_SELECT) {
			act = BD_UI_NONE;
			goto cleanup;
		}
		if (!date.len)
			break;
		if (bd_date_parse_iso(date.buf, &d, &err) == 0) {
			bd_date_to_iso(&d, iso);
			strbuf_reset(&date);
			strbuf_addstr(&date, iso);
			break;
		}
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "%s: type the date as YYYY-MM-DD", err.msg);
	}
	act = BD_UI_NONE;
	res = bd_session_query(s, "ledger.entry_reverse",
			       BD_PARAMS(s->client_code, id, date.len ? date.buf : NULL), &err);
	if (!res) {
		if (s->db_broken)
			act = BD_UI_HANGUP;
		else
			bd_session_error(s, &err);
		goto cleanup;
	}
	bd_ui_message(s->ui, BD_UI_MSG_INFO,
		      "Reversal entry %s created for %s; it waits for approval",
		      bd_db_result_get(res, 0, 0), bd_ui_rows_get(row, 0, "entry_number"));
cleanup:
	bd_db_result_free(res);
	strbuf_release(&date);
	return act;
}

/* The options that need more than the screen file says: 5 shows the entry
 * and its lines, 7 asks for a date, 2 and 4 only for a draft (4 is then
 * the screen file's action). */
static enum bd_ui_action
take(struct bd_session *s, const struct bd_list_option *o, const struct bd_ui_rows *row, void *ctx)
{
	const char *id = bd_ui_rows_get(row, 0, "entry_id");
	const char *opt = o->code;

	(void)ctx;
	if (!strcmp(opt, "5"))
		return bd_ledger_show_entry(s, s->client_code, id);
	if (!strcmp(opt, "7"))
		return reverse(s, row);
	if (strcmp(bd_ui_rows_get(row, 0, "status"), "draft")) {
		bd_ui_message(
		    s->ui, BD_UI_MSG_ERROR,
		    "Entry %s is %s: only a draft can be changed or deleted%s", id,
		    bd_ui_rows_get(row, 0, "status"),
		    !strcmp(bd_ui_rows_get(row, 0, "status"), "posted") ? " (7 reverses it)" : "");
		return BD_UI_NONE;
	}
	if (!strcmp(opt, "2"))
		return lui_entry_edit(s, id);
	return bd_kit_run_action(s, o, row);
}

static enum bd_ui_action
create(struct bd_session *s, void *ctx)
{
	(void)ctx;
	return bd_ledger_entry_new(s);
}

/* "ledger.entry" for a row with entry_id, or id as the approvals registry
 * names an item (and client, or the active one): the entry and its lines
 * (the approvals inbox's 5=Show). */
static enum bd_ui_action
open_entry(struct bd_session *s, const struct bd_ui_rows *row)
{
	const char *client = bd_ui_rows_get(row, 0, "client");
	const char *id = bd_ui_rows_get(row, 0, "entry_id");

	return bd_ledger_show_entry(s, *client ? client : s->client_code,
				    *id ? id : bd_ui_rows_get(row, 0, "id"));
}

/* One import batch, read-only: the file it came from, its counts and dates,
 * and its lines summed per account and currency (ledger.import_batch,
 * ledger.import_totals): what the checker approves in one go. */
static void
import_text(const struct bd_db_result *h, const struct bd_db_result *t, struct strbuf *out)
{
	struct strbuf d = STRBUF_INIT, c = STRBUF_INIT, n = STRBUF_INIT;
	int r;

#define H(name) bd_db_result_get(h, 0, bd_db_result_col(h, name))
#define T(name) bd_db_result_get(t, r, bd_db_result_col(t, name))
	strbuf_addf(out, "Import %s   %s   version %s\n", H("batch_id"), H("status"), H("version"));
	strbuf_addf(out, "File: %s\n", H("source"));
	strbuf_addf(out, "Imported by %s on %.16s", H("maker"), H("created_at"));
	if (*H("submitted_at"))
		strbuf_addf(out, ", submitted %.16s", H("submitted_at"));
	strbuf_addch(out, '\n');
	strbuf_addf(out, "%s entries, %s lines, dated %s to %s\n", H("entries"), H("lines"),
		    H("first_date"), H("last_date"));
	bd_kit_amount(&d, H("total"), 0);
	strbuf_addf(out, "Total %s %s\n", d.buf, H("currency"));
	/* 76 columns: debit and credit in the base currency, the net in Cur */
	strbuf_addf(out, "\n%-10s %-16s %-3s %5s %12s %12s %12s\n", "Account", "Name", "Cur",
		    "Lines", "Debit", "Credit", "Net");
	for (r = 0; r < bd_db_result_rows(t); r++) {
		strbuf_reset(&d);
		strbuf_reset(&c);
		strbuf_reset(&n);
		bd_kit_amount(&d, strcmp(T("debit"), "0.00") ? T("debit") : "", 12);
		bd_kit_amount(&c, strcmp(T("credit"), "0.00") ? T("credit") : "", 12);
		bd_kit_amount(&n, T("amount"), 12);
		strbuf_addf(out, "%-10.10s %-16.16s %-3s %5s %12s %12s %12s\n", T("account"),
			    T("account_name"), T("currency"), T("lines"), d.buf, c.buf, n.buf);
	}
#undef H
#undef T
	strbuf_release(&d);
	strbuf_release(&c);
	strbuf_release(&n);
}

/* "ledger.import" for the approvals registry's row (client, id: the batch):
 * the batch, read-only (the approvals inbox's 5=Show), in the row's client,
 * not the active one. */
static enum bd_ui_action
open_import(struct bd_session *s, const struct bd_ui_rows *row)
{
	const char *client = bd_ui_rows_get(row, 0, "client");
	const char *id = bd_ui_rows_get(row, 0, "id");
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *h = NULL, *t = NULL;
	struct strbuf text = STRBUF_INIT, title = STRBUF_INIT;
	enum bd_ui_action act = BD_UI_EXIT;

	if (!*client)
		client = s->client_code;
	if (!(h = bd_session_query(s, "ledger.import_batch", BD_PARAMS(client, id), &err)) ||
	    !(t = bd_session_query(s, "ledger.import_totals", BD_PARAMS(client, id), &err))) {
		if (s->db_broken)
			act = BD_UI_HANGUP;
		else
			bd_session_error(s, &err);
		goto cleanup;
	}
	if (bd_db_result_rows(h) < 1) {
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "Import %s no longer exists", id);
		goto cleanup;
	}
	import_text(h, t, &text);
	strbuf_addf(&title, "Journal import %s (%s)", id, client);
	act = bd_ui_view_text(s->ui, title.buf, text.buf, BD_UI_BIT(BD_UI_MENU));
	if (act != BD_UI_HANGUP && act != BD_UI_MENU)
		act = BD_UI_EXIT;
cleanup:
	bd_db_result_free(h);
	bd_db_result_free(t);
	strbuf_release(&text);
	strbuf_release(&title);
	return act;
}

__attribute__((constructor)) static void
register_openers(void)
{
	bd_kit_register_opener("ledger.entry", open_entry);
	bd_kit_register_opener("ledger.import", open_import);
}

static const struct bd_kit_list_screen ledger_entries_screen = {
    .screen = "ledger.entries",
    /* ledger.entry_list $1 client, $2..$4 filters: none */
    .nparams = 4,
    .params = {":client_code", NULL, NULL, NULL},
    .report_order = true,
    .create = create,
    .hooked = "2 4 5 7",
    .option = take,
    .enter = "5",
};

enum bd_ui_action
bd_ledger_entries(struct bd_session *s)
{
	return bd_kit_list_run(s, &ledger_entries_screen);
}
