/*
 * The approvals inbox: see include/backdesk/approvals.h. Rows are built
 * here from the approvals registry (approvals.inbox: every registered kind's
 * waiting items, sql/functions/approvals/), with the kind, client, id and
 * version kept as hidden columns for the options, which go through the
 * registry's one dispatch (approvals.approve / approvals.reject).
 */
#include "backdesk/approvals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/kit.h"
#include "backdesk/strbuf.h"

static int
inbox_load(const struct bd_kit_list *l, struct bd_ui_rows *rows, struct bd_err *err)
{
	/* shown, then kept for the options and the F4 filter */
	static const char *const names[] = {"client",	   "item",	 "submitted", "maker",
					    "description", "amount",	 "kind",      "id",
					    "mine",	   "kind_label", "version",   "reference"};
	struct bd_db_result *res = bd_session_query(l->s, "approvals.inbox", BD_PARAMS(NULL), err);
	struct strbuf item = STRBUF_INIT, amount = STRBUF_INIT, maker = STRBUF_INIT;
	int r;

	if (!res)
		return -1;
	bd_ui_rows_set_columns(rows, 12, names);
	for (r = 0; r < bd_db_result_rows(res); r++) {
#define C(name) bd_db_result_get(res, r, bd_db_result_col(res, name))
		const char *sub = C("submitted_at");
		const char *cells[12];
		bool mine = !strcmp(C("mine"), "t");

		strbuf_reset(&item);
		strbuf_reset(&amount);
		strbuf_reset(&maker);
		/* in the kind's words: "GJ 1234", or "Rev 1234" for a reversal */
		strbuf_addstr(&item, C("item"));
		bd_kit_amount(&amount, C("amount"), 12);
		strbuf_addstr(&maker, mine ? "(you)" : C("maker"));
		cells[0] = C("client");
		cells[1] = item.buf;
		/* "2025-03-14 10:12:..." -> "03-14 10:12" */
		cells[2] = strlen(sub) >= 16 ? sub + 5 : sub;
		cells[3] = maker.buf;
		cells[4] = C("description");
		cells[5] = amount.buf;
		cells[6] = C("kind");
		cells[7] = C("id");
		cells[8] = mine ? "Y" : "N";
		cells[9] = C("kind_label");
		/* what approve and reject name: refused if the item changed since */
		cells[10] = C("version");
		/* the kind's own reference, which F4 finds too */
		cells[11] = C("reference");
#undef C
		{
			char when[12];

			snprintf(when, sizeof(when), "%.11s", cells[2]);
			cells[2] = when;
			bd_ui_rows_add(rows, cells);
		}
	}
	strbuf_release(&item);
	strbuf_release(&amount);
	strbuf_release(&maker);
	bd_db_result_free(res);
	return 0;
}

/*
 * 1 approves, 4 rejects (with a reason the maker sees; the maker's own item
 * is withdrawn instead), whatever the item's kind, through the registry's
 * dispatch: the database says whether this operator may. Both name the
 * version the row showed, so an item changed since the inbox read it is
 * refused ("changed since you opened it") rather than decided on unseen.
 */
static enum bd_ui_action
decide(struct bd_session *s, const struct bd_ui_rows *row, bool approve)
{
	const char *kind = bd_ui_rows_get(row, 0, "kind");
	const char *label = bd_ui_rows_get(row, 0, "kind_label");
	const char *client = bd_ui_rows_get(row, 0, "client");
	const char *id = bd_ui_rows_get(row, 0, "id");
	const char *version = bd_ui_rows_get(row, 0, "version");
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	struct strbuf reason = STRBUF_INIT;
	enum bd_ui_action act;

	if (approve) {
		res = bd_session_query(s, "approvals.approve", BD_PARAMS(kind, client, id, version),
				       &err);
	} else {
		if (!strcmp(bd_ui_rows_get(row, 0, "mine"), "Y"))
			act = bd_ui_ask(s->ui, "Withdraw your %s %s (%s) back to a draft?", label,
					id, client);
		else
			act = bd_ui_prompt(s->ui, "Send it back to its maker: why? (reason)",
					   &reason, 200);
		if (act != BD_UI_SELECT) {
			strbuf_release(&reason);
			return act == BD_UI_HANGUP ? act : BD_UI_NONE;
		}
		res = bd_session_query(s, "approvals.reject",
				       BD_PARAMS(kind, client, id, version, reason.buf), &err);
		strbuf_release(&reason);
	}
	if (!res) {
		if (s->db_broken)
			return BD_UI_HANGUP;
		bd_session_error(s, &err);
		return BD_UI_NONE;
	}
	if (approve && !strcmp(kind, "ledger.entry"))
		bd_ui_message(s->ui, BD_UI_MSG_INFO, "Entry %s (%s) approved and posted as %s", id,
			      client, bd_db_result_get(res, 0, 0));
	else if (approve)
		bd_ui_message(s->ui, BD_UI_MSG_INFO, "%s %s (%s) approved: %s", label, id, client,
			      bd_db_result_get(res, 0, 0));
	else
		bd_ui_message(s->ui, BD_UI_MSG_INFO, "%s %s (%s) sent back to its maker", label, id,
			      client);
	bd_db_result_free(res);
	return BD_UI_NONE;
}

/* 1 and 4 go through decide(); 5 (Enter) is the kind's detail view: the
 * screen of its name (a module registers an opener for it, see kit.h),
 * given the row (client, id). */
static enum bd_ui_action
option(struct bd_session *s, const struct bd_list_option *o, const struct bd_ui_rows *row,
       void *ctx)
{
	(void)ctx;
	if (!strcmp(o->code, "5"))
		return bd_kit_open(s, bd_ui_rows_get(row, 0, "kind"), row);
	return decide(s, row, !strcmp(o->code, "1"));
}

/* Live: the approvals channel of every client of the operator (notified by
 * every kind's submit, approve, reject and withdrawal). */
static const struct bd_kit_live_spec inbox_live = {.topic = "approvals"};

enum bd_ui_action
bd_approvals_inbox(struct bd_session *s)
{
	const struct bd_kit_list_screen ls = {
	    .screen = "approvals.inbox",
	    .load = inbox_load,
	    .report_order = true,
	    .hooked = "1 4 5",
	    .option = option,
	    .enter = "5",
	    .subtitle = "all your clients",
	    .live = &inbox_live,
	};

	return bd_kit_list_run(s, &ls);
}
