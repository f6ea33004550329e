/*
 * Ledger inquiry and reports: see include/backdesk/ledger_ui.h. Each report
 * is a small form for its dates (screens/ledger.report_*.conf), then a list
 * of the report's rows (screens/ledger.trial_balance.conf, ...): Enter on an
 * account opens its ledger, Enter on a ledger line shows the entry, and F6
 * writes the rows the database returned to a CSV file (the same columns as
 * `backdesk ledger report ... --csv`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backdesk/form.h"
#include "backdesk/ledger_ui.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"
#include "ledger_ui_internal.h"

enum report_kind {
	REP_ACCOUNT,
	REP_TRIAL_BALANCE,
	REP_PL,
	REP_BALANCE_SHEET,
};

struct report_def {
	const char *label;  /* on the reports menu */
	const char *params; /* the form for its dates */
	const char *list;   /* the list of its rows */
	const char *query;
	const char *file; /* CSV file name stem */
};

static const struct report_def reports[] = {
    [REP_ACCOUNT] = {"Account inquiry", "ledger.report_account", "ledger.account_ledger",
		     "ledger.report_account", "account"},
    [REP_TRIAL_BALANCE] = {"Trial balance", "ledger.report_date", "ledger.trial_balance",
			   "ledger.report_trial_balance", "trial-balance"},
    [REP_PL] = {"Profit and loss", "ledger.report_range", "ledger.pl", "ledger.report_pl",
		"profit-and-loss"},
    [REP_BALANCE_SHEET] = {"Balance sheet", "ledger.report_date", "ledger.balance_sheet",
			   "ledger.report_balance_sheet", "balance-sheet"},
};

/* One report being shown: its parameters and the rows last read. */
struct report {
	struct bd_session *s;
	enum report_kind kind;
	struct bd_screen def;
	const char *account; /* REP_ACCOUNT */
	const char *from, *to;
	struct bd_db_result *res; /* for F6 */
	struct strbuf subtitle;
};

static const char *
nul_if_empty(const char *v)
{
	return v && *v ? v : NULL;
}

/* Subtotal rows ("TOTAL INCOME", code set, name empty) read better with the
 * label in the wide name column. */
static void
move_labels(struct bd_ui_rows *rows)
{
	int code = bd_ui_rows_col(rows, "code"), name = bd_ui_rows_col(rows, "name");
	size_t r;

	if (code < 0 || name < 0)
		return;
	for (r = 0; r < rows->nrows; r++) {
		char **c = &rows->cells[r * rows->ncols + (size_t)code];
		char **n = &rows->cells[r * rows->ncols + (size_t)name];

		if (!strcmp(*c, "CURRENT EARNINGS")) {
			free(*n);
			*n = xstrdup("Current earnings (profit not closed)");
			free(*c);
			*c = xstrdup("");
			continue;
		}
		if (**n || !**c)
			continue;
		free(*n);
		*n = *c;
		*c = xstrdup("");
	}
}

/* Debits and credits show on one side: the other stays empty. */
static void
blank_zeros(struct bd_ui_rows *rows)
{
	size_t r, c;

	for (r = 0; r < rows->nrows; r++)
		for (c = 0; c < rows->ncols; c++) {
			char **cell = &rows->cells[r * rows->ncols + c];
			const char *p = *cell;

			if (strcmp(rows->names[c], "debit") && strcmp(rows->names[c], "credit"))
				continue;
			while (*p == ' ')
				p++;
			if (strcmp(p, "0.00"))
				continue;
			free(*cell);
			*cell = xstrdup("");
		}
}

static int
report_load(const struct bd_kit_list *l, struct bd_ui_rows *rows, struct bd_err *err)
{
	struct report *rp = l->ctx;
	struct bd_session *s = rp->s;
	struct bd_db_result *res;

	switch (rp->kind) {
	case REP_ACCOUNT:
		res =
		    bd_session_report_query(s, reports[rp->kind].query,
					    BD_PARAMS(s->client_code, rp->account,
						      nul_if_empty(rp->from), nul_if_empty(rp->to)),
					    err);
		break;
	case REP_PL:
		res = bd_session_report_query(
		    s, reports[rp->kind].query,
		    BD_PARAMS(s->client_code, nul_if_empty(rp->from), nul_if_empty(rp->to)), err);
		break;
	default:
		res = bd_session_report_query(s, reports[rp->kind].query,
					      BD_PARAMS(s->client_code, nul_if_empty(rp->to)), err);
		break;
	}
	if (!res)
		return -1;
	bd_db_result_free(rp->res);
	rp->res = res;
	bd_kit_rows_from_result(rows, res, &rp->def);
	move_labels(rows);
	if (rp->kind == REP_TRIAL_BALANCE || rp->kind == REP_ACCOUNT)
		blank_zeros(rows);
	return 0;
}

/* Sets list column `name`'s heading to `text`, right-aligned. */
static void
set_heading(struct report *rp, const char *name, const char *text)
{
	size_t i;

	for (i = 0; i < rp->def.ncolumns; i++) {
		struct bd_list_column *c = &rp->def.columns[i];
		struct strbuf sb = STRBUF_INIT;

		if (strcmp(c->name, name))
			continue;
		strbuf_addf(&sb, "%*s", c->width, text);
		free(c->heading);
		c->heading = strbuf_detach(&sb, NULL);
	}
}

/* What the report covers: the subtitle (at most 24 columns) and, for the
 * reports with a previous period, the dates over the amount columns. */
static void
report_subtitle(struct report *rp)
{
	const struct bd_db_result *res = rp->res;

	strbuf_reset(&rp->subtitle);
	switch (rp->kind) {
	case REP_ACCOUNT:
		/* "1100 2026-01-01..11-23" */
		if (rp->from && *rp->from)
			strbuf_addf(&rp->subtitle, "%.6s %s..", rp->account, rp->from);
		else
			strbuf_addf(&rp->subtitle, "%.6s %.4s-01-01..", rp->account, rp->to);
		strbuf_addstr(&rp->subtitle,
			      strncmp(rp->subtitle.buf + rp->subtitle.len - 12, rp->to, 4)
				  ? rp->to
				  : rp->to + 5);
		break;
	case REP_TRIAL_BALANCE:
		strbuf_addf(&rp->subtitle, "%s  as of %s", rp->s->client_code, rp->to);
		break;
	case REP_PL:
		strbuf_addf(&rp->subtitle, "%s to %s", bd_db_result_text(res, 0, "period_from"),
			    bd_db_result_text(res, 0, "period_to"));
		set_heading(rp, "amount", "This period");
		set_heading(rp, "previous", "Previous");
		bd_ui_message(rp->s->ui, BD_UI_MSG_INFO, "Previous period: %s to %s",
			      bd_db_result_text(res, 0, "previous_from"),
			      bd_db_result_text(res, 0, "previous_to"));
		break;
	case REP_BALANCE_SHEET:
		strbuf_addf(&rp->subtitle, "%s  as of %s", rp->s->client_code,
			    bd_db_result_text(res, 0, "as_of"));
		set_heading(rp, "amount", bd_db_result_text(res, 0, "as_of"));
		set_heading(rp, "previous", bd_db_result_text(res, 0, "previous_as_of"));
		break;
	}
}

static enum bd_ui_action show_report(struct bd_session *s, enum report_kind kind,
				     const char *account, const char *from, const char *to);

/* Enter on a row: an account opens its ledger, a ledger line its entry. */
static enum bd_ui_action
drill_down(struct report *rp, const struct bd_ui_rows *row)
{
	const char *code = bd_ui_rows_get(row, 0, "code");

	if (rp->kind == REP_ACCOUNT) {
		const char *id = bd_ui_rows_get(row, 0, "entry_id");

		if (!*id) {
			bd_ui_message(rp->s->ui, BD_UI_MSG_INFO,
				      "The opening balance sums the lines before this period");
			return BD_UI_NONE;
		}
		return bd_ledger_show_entry(rp->s, rp->s->client_code, id);
	}
	if (!*code) {
		bd_ui_message(rp->s->ui, BD_UI_MSG_INFO, "Enter on an account shows its ledger");
		return BD_UI_NONE;
	}
	if (rp->kind == REP_PL)
		return show_report(rp->s, REP_ACCOUNT, code,
				   bd_db_result_text(rp->res, 0, "period_from"),
				   bd_db_result_text(rp->res, 0, "period_to"));
	return show_report(rp->s, REP_ACCOUNT, code, NULL, rp->to);
}

static void
file_name(const struct report *rp, struct strbuf *out)
{
	char today[11];

	lui_today(today);
	strbuf_addf(out, "%s-%s", reports[rp->kind].file, rp->s->client_code);
	if (rp->account)
		strbuf_addf(out, "-%s", rp->account);
	if (rp->kind == REP_PL)
		strbuf_addf(out, "-%s", bd_db_result_text(rp->res, 0, "period_from"));
	strbuf_addf(out, "-%s.csv",
		    rp->kind == REP_PL ? bd_db_result_text(rp->res, 0, "period_to")
				       : (rp->to && *rp->to ? rp->to : today));
}

static enum bd_ui_action
report_select(struct bd_session *s, const struct bd_ui_rows *row, void *ctx)
{
	(void)s;
	return drill_down(ctx, row);
}

/* F6: the rows the database returned, to a CSV file. */
static enum bd_ui_action
report_csv(struct bd_session *s, void *ctx)
{
	struct report *rp = ctx;
	struct strbuf name = STRBUF_INIT;
	enum bd_ui_action act;

	file_name(rp, &name);
	act = lui_export_csv(s, rp->res, name.buf);
	strbuf_release(&name);
	return act;
}

static const struct bd_ui_label report_labels[] = {{BD_UI_CREATE, "CSV file"}, {BD_UI_NONE, NULL}};

static enum bd_ui_action
show_report(struct bd_session *s, enum report_kind kind, const char *account, const char *from,
	    const char *to)
{
	struct bd_err err = BD_ERR_INIT;
	struct report rp;
	struct bd_kit_list list;
	struct bd_ui_rows rows;
	enum bd_ui_action act = BD_UI_EXIT;

	memset(&rp, 0, sizeof(rp));
	rp.s = s;
	rp.kind = kind;
	rp.account = account;
	rp.from = from;
	rp.to = to;
	strbuf_init(&rp.subtitle, 0);
	bd_ui_rows_init(&rows);
	bd_screen_init(&rp.def);
	if (bd_session_load_screen(s, reports[kind].list, &rp.def, &err) < 0) {
		bd_session_error(s, &err);
		goto cleanup;
	}
	/* Read once here, so the subtitle can say what the database chose;
	 * the list takes these rows over. */
	bd_kit_list_init(&list, s, &rp.def);
	list.ctx = &rp;
	if (report_load(&list, &rows, &err) < 0) {
		if (bd_kit_failed(s, &err) == BD_UI_HANGUP)
			act = BD_UI_HANGUP;
		goto cleanup;
	}
	if (kind == REP_ACCOUNT && bd_db_result_rows(rp.res) == 0) {
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "There is no account %s", account);
		goto cleanup;
	}
	report_subtitle(&rp);
	{
		const struct bd_kit_list_screen ls = {
		    .screen = reports[kind].list,
		    .load = report_load,
		    .report_order = true,
		    .create = report_csv,
		    .select = report_select,
		    .rows = &rows,
		    .subtitle = rp.subtitle.buf,
		    .labels = report_labels,
		    .def = &rp.def, /* its headings say what the report covers */
		    .ctx = &rp,
		};

		act = bd_kit_list_run(s, &ls);
	}
cleanup:
	bd_ui_rows_release(&rows);
	bd_db_result_free(rp.res);
	bd_screen_release(&rp.def);
	strbuf_release(&rp.subtitle);
	return act;
}

/* ---- the parameters form ---------------------------------------------- */

struct params {
	struct bd_session *s;
	struct bd_screen screen;
	struct bd_form form;
};

static int
params_lookup(void *ctx, size_t field, const char *search, struct bd_ui_rows *rows,
	      struct bd_err *err)
{
	struct params *p = ctx;
	struct bd_db_result *res;
	const char *query = p->screen.fields[field].lookup;

	if (!query) {
		bd_err_set(err, BD_ERR_INVALID, "There is no list for this field");
		return -1;
	}
	if (!(res =
		  bd_session_report_query(p->s, query, BD_PARAMS(p->s->client_code, search), err)))
		return -1;
	if (!bd_db_result_rows(res)) {
		/* nothing matches what was typed: every account */
		bd_db_result_free(res);
		if (!(res = bd_session_report_query(p->s, query, BD_PARAMS(p->s->client_code, ""),
						    err)))
			return -1;
	}
	bd_ui_rows_add_result(rows, res, NULL);
	bd_db_result_free(res);
	return 0;
}

/* The account code for what was typed: a code, or text only one account's
 * code or name holds. NULL with a message shown otherwise (malloc'd). */
static char *
resolve_account(struct bd_session *s, const char *typed)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	char *code = NULL;
	int r, n;

	if (!(res = bd_session_report_query(s, "ledger.account_search",
					    BD_PARAMS(s->client_code, typed), &err))) {
		bd_session_error(s, &err);
		return NULL;
	}
	n = bd_db_result_rows(res);
	for (r = 0; r < n && !code; r++)
		if (!strcasecmp(bd_db_result_get(res, r, 0), typed))
			code = xstrdup(bd_db_result_get(res, r, 0));
	if (!code && n == 1)
		code = xstrdup(bd_db_result_get(res, 0, 0));
	if (!code && !n)
		bd_ui_message(s->ui, BD_UI_MSG_ERROR,
			      "No active account matches \"%s\": F4 lists them", typed);
	else if (!code)
		bd_ui_message(s->ui, BD_UI_MSG_ERROR,
			      "%d accounts match \"%s\": press F4 to choose", n, typed);
	bd_db_result_free(res);
	return code;
}

static const char *
pval(char **params, const struct bd_screen *screen, const char *name)
{
	int i = bd_screen_field_index(screen, name);

	return i >= 0 ? params[i] : "";
}

static const struct bd_ui_label show_labels[] = {{BD_UI_SAVE, "Show"}, {BD_UI_NONE, NULL}};

static enum bd_ui_action
run_report(struct bd_session *s, enum report_kind kind)
{
	struct bd_err err = BD_ERR_INIT;
	struct params p;
	struct bd_ui_form_opts opts = {0};
	enum bd_ui_action act = BD_UI_EXIT;

	memset(&p, 0, sizeof(p));
	p.s = s;
	bd_screen_init(&p.screen);
	if (bd_session_load_screen(s, reports[kind].params, &p.screen, &err) < 0) {
		bd_session_error(s, &err);
		return BD_UI_EXIT;
	}
	bd_form_init(&p.form, &p.screen);
	bd_form_load_defaults(&p.form);
	if (kind == REP_PL) {
		char today[11];

		lui_today(today);
		memcpy(today + 8, "01", 2);
		bd_form_set_value(&p.form, 0, today, NULL);
	}
	opts.exits = BD_UI_BIT(BD_UI_SAVE) | BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL) |
		     BD_UI_BIT(BD_UI_MENU);
	opts.enter_saves = true;
	opts.labels = show_labels;
	opts.title = reports[kind].label;
	opts.subtitle = s->client_code;
	opts.ctx = &p;
	opts.lookup = params_lookup;
	for (;;) {
		char **v;
		char *account = NULL;

		if ((act = bd_kit_form_values(s, &p.form, &opts, &v)) != BD_UI_SAVE)
			break;
		if (kind == REP_ACCOUNT &&
		    !(account = resolve_account(s, pval(v, &p.screen, "account")))) {
			bd_form_params_free(v, p.form.nfields);
			if (s->db_broken) {
				act = BD_UI_HANGUP;
				break;
			}
			bd_form_goto(&p.form, (size_t)bd_screen_field_index(&p.screen, "account"));
			continue;
		}
		if (account)
			bd_form_set_value(&p.form,
					  (size_t)bd_screen_field_index(&p.screen, "account"),
					  account, NULL);
		if (kind == REP_ACCOUNT || kind == REP_PL)
			act = show_report(s, kind, account, pval(v, &p.screen, "date_from"),
					  pval(v, &p.screen, "date_to"));
		else
			act = show_report(s, kind, NULL, NULL, pval(v, &p.screen, "as_of"));
		free(account);
		bd_form_params_free(v, p.form.nfields);
		if (bd_kit_pass_up(s, act) != BD_UI_NONE) {
			act = bd_kit_pass_up(s, act);
			break;
		}
	}
	bd_form_release(&p.form);
	bd_screen_release(&p.screen);
	return act == BD_UI_HANGUP || act == BD_UI_MENU ? act : BD_UI_EXIT;
}

enum bd_ui_action
lui_account_ledger(struct bd_session *s, const char *code)
{
	char today[11];

	lui_today(today);
	return show_report(s, REP_ACCOUNT, code, NULL, today);
}

enum bd_ui_action
bd_ledger_reports(struct bd_session *s)
{
	const char *items[NELEM(reports)];
	size_t i, sel = 0;

	for (i = 0; i < NELEM(reports); i++)
		items[i] = reports[i].label;
	for (;;) {
		size_t choice = 0;
		enum bd_ui_action act =
		    bd_ui_menu(s->ui, "Ledger reports", items, NELEM(reports), sel, &choice);

		if (act == BD_UI_HANGUP || act == BD_UI_MENU)
			return act;
		if (act != BD_UI_SELECT)
			return BD_UI_EXIT;
		sel = choice;
		act = run_report(s, (enum report_kind)choice);
		if (bd_kit_pass_up(s, act) != BD_UI_NONE)
			return bd_kit_pass_up(s, act);
	}
}
