/*
 * The chart of accounts (screens/ledger.accounts.conf): the tree of the
 * active client's accounts, F6 adds one (screens/ledger.account.conf,
 * ledger.account_add), 7 and 8 deactivate and activate, 5 opens the
 * account's ledger. See include/backdesk/ledger_ui.h.
 */
#include <stdlib.h>
#include <string.h>

#include "backdesk/form.h"
#include "backdesk/ledger_ui.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"
#include "ledger_ui_internal.h"

/* Names indented two spaces per level of the tree. */
static int
chart_load(const struct bd_kit_list *l, struct bd_ui_rows *rows, struct bd_err *err)
{
	struct bd_db_result *res =
	    bd_session_query(l->s, "ledger.account_list", BD_PARAMS(l->s->client_code, NULL), err);
	int name, depth;
	size_t r;

	if (!res)
		return -1;
	bd_kit_rows_from_result(rows, res, l->def);
	bd_db_result_free(res);
	name = bd_ui_rows_col(rows, "name");
	depth = bd_ui_rows_col(rows, "depth");
	for (r = 0; name >= 0 && depth >= 0 && r < rows->nrows; r++) {
		char **cell = &rows->cells[r * rows->ncols + (size_t)name];
		long d = strtol(rows->cells[r * rows->ncols + (size_t)depth], NULL, 10);
		struct strbuf sb = STRBUF_INIT;

		for (; d > 0 && sb.len < 16; d--)
			strbuf_addstr(&sb, "  ");
		strbuf_addstr(&sb, *cell);
		free(*cell);
		*cell = strbuf_detach(&sb, NULL);
	}
	return 0;
}

/* F4 on Parent: the accounts whose code or name holds what was typed. */
static int
parent_lookup(void *ctx, size_t field, const char *search, struct bd_ui_rows *rows,
	      struct bd_err *err)
{
	struct bd_session *s = ctx;
	struct bd_db_result *res;

	(void)field;
	if (!(res = bd_session_query(s, "ledger.account_search", BD_PARAMS(s->client_code, search),
				     err)))
		return -1;
	bd_ui_rows_add_result(rows, res, NULL);
	bd_db_result_free(res);
	return 0;
}

/* F6: the new account form until it is saved or left. */
static enum bd_ui_action
add_account(struct bd_session *s)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_screen screen;
	struct bd_form form;
	struct bd_ui_form_opts opts = {0};
	enum bd_ui_action act;

	bd_screen_init(&screen);
	if (bd_session_load_screen(s, "ledger.account", &screen, &err) < 0) {
		bd_session_error(s, &err);
		return BD_UI_NONE;
	}
	bd_form_init(&form, &screen);
	bd_form_load_defaults(&form);
	opts.exits = BD_UI_BIT(BD_UI_SAVE) | BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL) |
		     BD_UI_BIT(BD_UI_MENU);
	opts.enter_saves = true;
	opts.subtitle = s->client_code;
	opts.ctx = s;
	opts.lookup = parent_lookup;
	for (;;) {
		char **v;
		int rc;

		if ((act = bd_kit_form_values(s, &form, &opts, &v)) != BD_UI_SAVE)
			break;
		rc = bd_session_run(
		    s, "ledger.account_add",
		    BD_PARAMS(s->client_code, v[0], v[1], v[2], *v[3] ? v[3] : NULL), &err);
		if (rc == 0)
			bd_ui_message(s->ui, BD_UI_MSG_INFO, "Account %s %s added", v[0], v[1]);
		bd_form_params_free(v, form.nfields);
		if (rc == 0)
			break;
		if (s->db_broken) {
			act = BD_UI_HANGUP;
			break;
		}
		bd_session_error(s, &err);
	}
	bd_form_release(&form);
	bd_screen_release(&screen);
	return act == BD_UI_HANGUP || act == BD_UI_MENU ? act : BD_UI_NONE;
}

/* 5: the account's ledger (the option's screen, ledger.account_ledger). */
static enum bd_ui_action
open_ledger(struct bd_session *s, const struct bd_list_option *o, const struct bd_ui_rows *row,
	    void *ctx)
{
	(void)o;
	(void)ctx;
	return lui_account_ledger(s, bd_ui_rows_get(row, 0, "code"));
}

static enum bd_ui_action
create(struct bd_session *s, void *ctx)
{
	(void)ctx;
	return add_account(s);
}

/* 7 and 8 are the screen file's actions, run by the kit. */
static const struct bd_kit_list_screen ledger_chart_screen = {
    .screen = "ledger.accounts",
    .load = chart_load,
    .report_order = true,
    .open = open_ledger,
    .create = create,
    .enter = "5",
};

enum bd_ui_action
bd_ledger_chart(struct bd_session *s)
{
	return bd_kit_list_run(s, &ledger_chart_screen);
}
