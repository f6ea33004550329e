/*
 * Operator productivity: the period form, the list per operator, an
 * operator's documents and the fields they got wrong. The figures are
 * computed by the database (supervisor.productivity); this file picks the
 * dates and makes the numbers readable.
 */
#include "backdesk/supervisor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/form.h"
#include "backdesk/kit.h"
#include "backdesk/log.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

struct prod {
	struct bd_session *s;
	struct bd_screen filter_screen;
	struct bd_form filter;
	/* the period being shown */
	char from[16], to[16];
	const char *client, *doctype; /* NULL: all */
};

static const char *
field(const struct prod *p, char **params, const char *name)
{
	int i = bd_screen_field_index(&p->filter_screen, name);

	return i >= 0 && params[i] && *params[i] ? params[i] : NULL;
}

/* ---- the operator's documents ------------------------------------------------------ */

static void
docs_shape(struct bd_ui_rows *rows, const struct bd_db_result *res, const struct bd_screen *def,
	   void *ctx)
{
	static const char *const names[] = {"when", "state"};
	int r;

	(void)ctx;
	for (r = 0; r < bd_db_result_rows(res); r++) {
		struct strbuf when = STRBUF_INIT;
		const char *reason = bd_db_result_text(res, r, "reject_reason");
		const char *cells[NELEM(names)];

		bd_kit_when(bd_db_result_text(res, r, "at"), &when);
		cells[0] = when.buf;
		cells[1] = *reason ? reason : bd_db_result_text(res, r, "state");
		bd_kit_rows_add(rows, res, r, def, names, cells, NELEM(names));
		strbuf_release(&when);
	}
}

/* 5 on a document: the fields found wrong, with what was keyed and what
 * was right. */
static enum bd_ui_action
docs_errors(struct bd_session *s, const struct bd_list_option *o, const struct bd_ui_rows *row,
	    void *ctx)
{
	struct bd_err err = BD_ERR_INIT;
	const char *doc = bd_kit_param(NULL, "document_id", row);
	struct strbuf text = STRBUF_INIT, title = STRBUF_INIT;
	struct bd_db_result *fe;
	enum bd_ui_action act;
	int r;

	(void)ctx;
	if (!(fe = bd_session_query(s, o->action, BD_PARAMS(doc), &err)))
		return bd_kit_failed(s, &err);
	strbuf_addf(&title, "Errors in %s", bd_ui_rows_get(row, 0, "external_ref"));
	strbuf_addf(&text, "Document %s (%s, batch %s), %s\n\n", doc,
		    bd_ui_rows_get(row, 0, "doctype"), bd_ui_rows_get(row, 0, "batch_id"),
		    bd_ui_rows_get(row, 0, "state"));
	if (!bd_db_result_rows(fe))
		strbuf_addstr(&text, "No field of this document was found wrong.\n");
	for (r = 0; r < bd_db_result_rows(fe); r++)
		strbuf_addf(&text,
			    "Pass %s by %s, found by %s:\n  %s: keyed \"%s\", right \"%s\"\n",
			    bd_db_result_text(fe, r, "pass"), bd_db_result_text(fe, r, "operator"),
			    bd_db_result_text(fe, r, "source"), bd_db_result_text(fe, r, "field"),
			    bd_db_result_text(fe, r, "keyed_value"),
			    bd_db_result_text(fe, r, "correct_value"));
	bd_db_result_free(fe);
	act = bd_ui_view_text(s->ui, title.buf, text.buf, BD_UI_BIT(BD_UI_MENU));
	strbuf_release(&text);
	strbuf_release(&title);
	return act == BD_UI_HANGUP || act == BD_UI_MENU ? act : BD_UI_NONE;
}

/* ---- the list per operator ------------------------------------------------------------ */

static void
prod_shape(struct bd_ui_rows *rows, const struct bd_db_result *res, const struct bd_screen *def,
	   void *ctx)
{
	static const char *const names[] = {"accuracy_pct",	 "idle",      "time",
					    "sort_accuracy_pct", "sort_idle", "sort_time"};
	int r;

	(void)ctx;
	for (r = 0; r < bd_db_result_rows(res); r++) {
		struct strbuf v[NELEM(names)];
		const char *cells[NELEM(names)];
		const char *acc = bd_db_result_text(res, r, "accuracy");
		size_t i;

		for (i = 0; i < NELEM(names); i++)
			strbuf_init(&v[i], 0);
		/* a display of a ratio the database computed, never stored */
		if (*acc)
			strbuf_addf(&v[0], "%.1f", strtod(acc, NULL) * 100.0);
		bd_kit_duration(bd_db_result_text(res, r, "idle_seconds"), &v[1]);
		bd_kit_duration(bd_db_result_text(res, r, "seconds"), &v[2]);
		strbuf_addstr(&v[3], acc);
		strbuf_addstr(&v[4], bd_db_result_text(res, r, "idle_seconds"));
		strbuf_addstr(&v[5], bd_db_result_text(res, r, "seconds"));
		for (i = 0; i < NELEM(names); i++)
			cells[i] = v[i].buf;
		bd_kit_rows_add(rows, res, r, def, names, cells, NELEM(names));
		for (i = 0; i < NELEM(names); i++)
			strbuf_release(&v[i]);
	}
}

/* 5 (or Enter) on an operator: their documents in the period. */
static enum bd_ui_action
prod_documents(struct bd_session *s, const struct bd_list_option *o, const struct bd_ui_rows *row,
	       void *ctx)
{
	struct prod *p = ctx;
	const char *login = bd_kit_param(NULL, "login", row);
	struct strbuf sub = STRBUF_INIT;
	struct bd_kit_list_screen ls = {
	    .screen = o->screen,
	    .nparams = 5,
	    .params = {login, p->from, p->to, p->client, p->doctype},
	    .shape = docs_shape,
	    .report = true,
	    .hooked = "5",
	    .option = docs_errors,
	    .enter = "5",
	};
	enum bd_ui_action act;

	if (!strcmp(p->from, p->to))
		strbuf_addf(&sub, "%s  %s", login, p->from);
	else
		strbuf_addf(&sub, "%s  %s to %s", login, p->from, p->to);
	ls.subtitle = sub.buf;
	act = bd_kit_list_run(s, &ls);
	strbuf_release(&sub);
	return act;
}

/* ---- the period form ------------------------------------------------------------------- */

static int
prod_lookup(void *ctx, size_t index, const char *search, struct bd_ui_rows *rows,
	    struct bd_err *err)
{
	static const char *const names[] = {"code", "name"};
	struct prod *p = ctx;
	const char *name = p->filter_screen.fields[index].name;
	struct bd_db_result *res;
	int r;

	(void)search;
	if (!strcmp(name, "client")) {
		res = bd_session_query(p->s, "app.my_clients", BD_NO_PARAMS, err);
	} else if (!strcmp(name, "doctype")) {
		const char *client = bd_form_value_by_name(&p->filter, "client");

		res = bd_session_query(p->s, "supervisor.doctypes",
				       BD_PARAMS(client && *client ? client : NULL), err);
	} else {
		bd_err_set(err, BD_ERR_INVALID, "There is no list for this field");
		return -1;
	}
	if (!res)
		return -1;
	bd_ui_rows_set_columns(rows, 2, names);
	for (r = 0; r < bd_db_result_rows(res); r++) {
		const char *cells[2];

		cells[0] = bd_db_result_text(res, r, "code");
		cells[1] = *bd_db_result_text(res, r, "title") ? bd_db_result_text(res, r, "title")
							       : bd_db_result_text(res, r, "name");
		bd_ui_rows_add(rows, cells);
	}
	bd_db_result_free(res);
	return 0;
}

/* Fills p->from and p->to from the form. -1 (message shown, cursor on
 * the field) when the range is incomplete or backwards; on a query error
 * err is set too. */
static int
pick_period(struct prod *p, char **params, struct bd_err *err)
{
	const char *period = field(p, params, "period");
	const char *from = field(p, params, "date_from"), *to = field(p, params, "date_to");
	bool range = period && !strcmp(period, "RANGE");
	struct bd_db_result *res;

	if (range && !from) {
		bd_form_goto(&p->filter,
			     (size_t)bd_screen_field_index(&p->filter_screen, "date_from"));
		bd_err_set(err, BD_ERR_INVALID, "Give the first day of the range");
		return -1;
	}
	res =
	    bd_session_query(p->s, "supervisor.period",
			     BD_PARAMS(period && !strcmp(period, "WEEK") ? "week" : "today"), err);
	if (!res)
		return -1;
	snprintf(p->from, sizeof(p->from), "%s",
		 range ? from : bd_db_result_text(res, 0, "from_date"));
	snprintf(p->to, sizeof(p->to), "%s",
		 range && to ? to : bd_db_result_text(res, 0, "to_date"));
	bd_db_result_free(res);
	/* ISO dates compare as text */
	if (strcmp(p->from, p->to) > 0) {
		bd_form_goto(&p->filter,
			     (size_t)bd_screen_field_index(&p->filter_screen, "date_to"));
		bd_err_set(err, BD_ERR_INVALID, "The range ends (%s) before it starts (%s)", p->to,
			   p->from);
		return -1;
	}
	return 0;
}

static enum bd_ui_action
show_period(struct prod *p)
{
	struct strbuf sub = STRBUF_INIT;
	struct bd_kit_list_screen ls = {
	    .screen = "supervisor.productivity",
	    .nparams = 5,
	    .params = {p->from, p->to, p->client, p->doctype, "=login"},
	    .shape = prod_shape,
	    .report = true,
	    .open = prod_documents,
	    .enter = "5",
	    .ctx = p,
	};
	enum bd_ui_action act;

	if (!strcmp(p->from, p->to))
		strbuf_addstr(&sub, p->from);
	else
		strbuf_addf(&sub, "%s to %s", p->from, p->to);
	strbuf_addf(&sub, "  %s%s%s", p->client ? p->client : "all clients", p->doctype ? " " : "",
		    p->doctype ? p->doctype : "");
	ls.subtitle = sub.buf;
	act = bd_kit_list_run(p->s, &ls);
	strbuf_release(&sub);
	return act;
}

static const struct bd_ui_label show_labels[] = {{BD_UI_SAVE, "Show"}, {BD_UI_NONE, NULL}};

enum bd_ui_action
bd_supervisor_productivity(struct bd_session *s)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_ui_form_opts fopts = {0};
	struct prod p;
	enum bd_ui_action act = BD_UI_EXIT;
	int ci;

	memset(&p, 0, sizeof(p));
	p.s = s;
	bd_screen_init(&p.filter_screen);
	if (bd_session_load_screen(s, "supervisor.productivity_filter", &p.filter_screen, &err) <
	    0) {
		bd_session_error(s, &err);
		goto cleanup;
	}
	bd_form_init(&p.filter, &p.filter_screen);
	bd_form_load_defaults(&p.filter);
	ci = bd_screen_field_index(&p.filter_screen, "client");
	if (s->client_code && ci >= 0)
		bd_form_set_value(&p.filter, (size_t)ci, s->client_code, NULL);
	fopts.exits = BD_UI_BIT(BD_UI_SAVE) | BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL) |
		      BD_UI_BIT(BD_UI_MENU);
	fopts.enter_saves = true;
	fopts.labels = show_labels;
	fopts.ctx = &p;
	fopts.lookup = prod_lookup;
	for (;;) {
		char **params;

		if ((act = bd_kit_form_values(s, &p.filter, &fopts, &params)) != BD_UI_SAVE)
			break;
		err = (struct bd_err)BD_ERR_INIT;
		if (pick_period(&p, params, &err) < 0) {
			bd_form_params_free(params, p.filter.nfields);
			if (bd_kit_failed(s, &err) == BD_UI_HANGUP) {
				act = BD_UI_HANGUP;
				break;
			}
			continue;
		}
		p.client = field(&p, params, "client");
		p.doctype = field(&p, params, "doctype");
		act = show_period(&p);
		bd_form_params_free(params, p.filter.nfields);
		p.client = p.doctype = NULL;
		if (act == BD_UI_HANGUP || act == BD_UI_MENU)
			break;
	}
cleanup:
	bd_form_release(&p.filter);
	bd_screen_release(&p.filter_screen);
	return act == BD_UI_HANGUP || act == BD_UI_MENU ? act : BD_UI_EXIT;
}
