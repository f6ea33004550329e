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

#include "backdesk/connect.h"
#include "backdesk/kit.h"
#include "backdesk/log.h"
#include "backdesk/strbuf.h"

/*
 * Live: a connection of its own LISTENs on the approvals channel of every
 * client of the operator (notified by ledger.entry_submit, _approve, _reject
 * and _reverse; see session.h), and the inbox reads itself again when
 * anything changed while it waits for keys. Without it (the listener cannot
 * connect) F5 still reads the inbox.
 */
struct inbox_live {
	struct bd_session *s;
	struct bd_db *db;
	int watch_id;
	bool active; /* the list itself waits for keys */
};

static void
live_close(struct inbox_live *l)
{
	if (l->watch_id >= 0)
		bd_ui_unwatch(l->s->ui, l->watch_id);
	l->watch_id = -1;
	bd_db_free(l->db);
	l->db = NULL;
}

static void
live_readable(struct bd_ui *ui, int fd, void *ctx)
{
	struct inbox_live *l = ctx;
	struct bd_err err = BD_ERR_INIT;
	char *channel, *payload;
	bool changed = false;

	(void)fd;
	if (bd_db_consume(l->db, &err) < 0) {
		bd_log_err(&err);
		live_close(l);
		return;
	}
	while (bd_db_next_notify(l->db, &channel, &payload) == 1) {
		changed = true;
		free(channel);
		free(payload);
	}
	if (changed && l->active)
		bd_ui_request(ui, BD_UI_REFRESH);
}

static void
live_open(struct inbox_live *l, struct bd_session *s)
{
	struct bd_err err = BD_ERR_INIT;
	char *conninfo;

	l->s = s;
	l->db = NULL;
	l->watch_id = -1;
	l->active = false;
	if (!(conninfo = bd_connect_conninfo(s->cfg, s->login, &err)) ||
	    !(l->db = bd_db_connect(conninfo, &err)) ||
	    bd_session_listen_clients(l->db, "approvals", NULL, NULL, &err) < 0) {
		bd_log_err(&err);
		live_close(l);
	} else {
		/* a lost link is found at once, never waited for */
		bd_db_set_background_reconnect(l->db, true);
		l->watch_id = bd_ui_watch_fd(s->ui, bd_db_socket(l->db), live_readable, l);
	}
	free(conninfo);
}

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

static enum bd_ui_action
take(struct bd_session *s, const struct bd_ui_list_result *r)
{
	const char *opt = *r->option ? r->option : "5";

	if (!strcmp(opt, "1"))
		return decide(s, &r->row, true);
	if (!strcmp(opt, "4"))
		return decide(s, &r->row, false);
	/* The kind's detail view is the screen of its name (a module registers
	 * an opener for it, see kit.h), given the row (client, id). */
	if (!strcmp(opt, "5"))
		return bd_kit_open(s, bd_ui_rows_get(&r->row, 0, "kind"), &r->row);
	bd_ui_message(s->ui, BD_UI_MSG_ERROR, "Option %s is not valid here", opt);
	return BD_UI_NONE;
}

enum bd_ui_action
bd_approvals_inbox(struct bd_session *s)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_screen def;
	struct bd_kit_list list;
	struct bd_ui_list_source src = {&list, bd_kit_list_fetch};
	struct bd_ui_list_opts opts = {0};
	struct bd_ui_list_result res;
	struct bd_ui_list_place place = {0};
	enum bd_ui_action act, up = BD_UI_NONE;
	struct inbox_live live;

	bd_screen_init(&def);
	if (bd_session_load_screen(s, "approvals.inbox", &def, &err) < 0) {
		bd_session_error(s, &err);
		return BD_UI_EXIT;
	}
	bd_kit_list_init(&list, s, &def);
	list.load = inbox_load;
	list.report_order = true;
	opts.exits = BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL) | BD_UI_BIT(BD_UI_MENU);
	opts.subtitle = "all your clients";
	opts.place = &place;
	bd_ui_list_result_init(&res);
	live_open(&live, s);
	for (;;) {
		live.active = true;
		act = bd_ui_list(s->ui, &def, &src, &opts, &res);
		live.active = false;
		if (act != BD_UI_SELECT)
			break;
		act = take(s, &res);
		if (act == BD_UI_HANGUP || act == BD_UI_MENU || s->db_broken) {
			up = act == BD_UI_MENU ? BD_UI_MENU : BD_UI_HANGUP;
			break;
		}
	}
	live_close(&live);
	bd_ui_list_result_release(&res);
	bd_kit_list_release(&list);
	bd_screen_release(&def);
	if (up != BD_UI_NONE)
		return up;
	return act == BD_UI_HANGUP || act == BD_UI_MENU ? act : BD_UI_EXIT;
}
