/*
 * The payroll screens: the active client's pay runs (payroll.runs), a run's
 * period inputs keyed heads-down in a grid (payroll.inputs), its register
 * with the exceptions first (payroll.register) and a payslip
 * (payroll.payslip). Compute and submit are the runs list's actions, run by
 * the kit as its screen file says; approval is the approvals inbox's (the
 * registry's kind payroll.run).
 */
#include "payroll_out_internal.h"

#include "backdesk/form.h"
#include "backdesk/json.h"
#include "backdesk/kit.h"
#include "backdesk/money.h"
#include "backdesk/payroll.h"
#include "backdesk/screen.h"
#include "backdesk/session.h"
#include "backdesk/ui.h"
#include "backdesk/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* ---- a payslip ------------------------------------------------------------ */

/* The client (the row's in the approvals inbox, else the active one) and
 * the run the register and payslip screens show. */
struct run_ctx {
	const char *client, *run;
};

struct slip_ctx {
	const char *client, *run, *number;
};

/* A payslip row; the quantity and amounts (numeric text, "" for none) as
 * lists show them (their columns' types). */
static void
add_line(const struct bd_kit_list *l, struct bd_ui_rows *rows, const char *label, const char *qty,
	 const char *amount, const char *ytd)
{
	struct strbuf q = STRBUF_INIT, a = STRBUF_INIT, y = STRBUF_INIT;
	const char *cells[4];

	bd_kit_display_value(bd_kit_column(l->def, "quantity"), "quantity", qty, &q);
	bd_kit_display_value(bd_kit_column(l->def, "amount"), "amount", amount, &a);
	bd_kit_display_value(bd_kit_column(l->def, "ytd"), "ytd", ytd, &y);
	cells[0] = label;
	cells[1] = q.buf;
	cells[2] = a.buf;
	cells[3] = y.buf;
	bd_ui_rows_add(rows, cells);
	strbuf_release(&q);
	strbuf_release(&a);
	strbuf_release(&y);
}

/* The payslip as rows: earnings, gross, deductions, total, net, then the
 * employer's shares; the same figures as the PDF (po_payslips_load). */
static int
slip_load(const struct bd_kit_list *l, struct bd_ui_rows *rows, struct bd_err *err)
{
	static const char *const names[] = {"description", "quantity", "amount", "ytd"};
	static const char *const heads[] = {"Earnings", "Deductions",
					    "Employer contributions (not deducted)"};
	const struct slip_ctx *c = l->ctx;
	struct po_payslips p;
	struct strbuf a = STRBUF_INIT, y = STRBUF_INIT;

	if (po_payslips_load(l->s->db, c->client, c->run, c->number, &p, err) < 0)
		return -1;
	if (p.n != 1) {
		po_payslips_release(&p);
		bd_err_set(err, BD_ERR_NOT_FOUND, "Pay run %s has no payslip for %s", c->run,
			   c->number);
		return -1;
	}
	bd_ui_rows_set_columns(rows, 4, names);
	for (int sec = BD_PAYSLIP_EARNING; sec <= BD_PAYSLIP_EMPLOYER; sec++) {
		bool any = false;

		for (size_t i = 0; i < p.slip[0].nlines; i++) {
			const struct bd_payslip_line *ln = &p.slip[0].lines[i];

			if ((int)ln->section != sec)
				continue;
			if (!any)
				add_line(l, rows, heads[sec], "", "", "");
			any = true;
			strbuf_reset(&a);
			strbuf_reset(&y);
			bd_money_to_numeric(&a, ln->amount, 2);
			if (!ln->no_ytd)
				bd_money_to_numeric(&y, ln->ytd, 2);
			{
				struct strbuf label = STRBUF_INIT;

				strbuf_addf(&label, "  %s", ln->label);
				add_line(l, rows, label.buf, ln->quantity, a.buf, y.buf);
				strbuf_release(&label);
			}
		}
		if (sec == BD_PAYSLIP_EMPLOYER)
			break;
		strbuf_reset(&a);
		strbuf_reset(&y);
		bd_money_to_numeric(
		    &a, sec == BD_PAYSLIP_EARNING ? p.slip[0].gross : p.slip[0].deductions, 2);
		bd_money_to_numeric(
		    &y, sec == BD_PAYSLIP_EARNING ? p.slip[0].ytd_gross : p.slip[0].ytd_deductions,
		    2);
		add_line(l, rows, sec == BD_PAYSLIP_EARNING ? "Gross pay" : "Total deductions", "",
			 a.buf, y.buf);
		if (sec == BD_PAYSLIP_DEDUCTION) {
			strbuf_reset(&a);
			strbuf_reset(&y);
			bd_money_to_numeric(&a, p.slip[0].net, 2);
			bd_money_to_numeric(&y, p.slip[0].ytd_net, 2);
			add_line(l, rows, "NET PAY", "", a.buf, y.buf);
		}
	}
	strbuf_release(&a);
	strbuf_release(&y);
	po_payslips_release(&p);
	return 0;
}

static enum bd_ui_action
show_payslip(struct bd_session *s, const struct run_ctx *r, const struct bd_ui_rows *row)
{
	struct slip_ctx c = {r->client, r->run, bd_ui_rows_get(row, 0, "number")};
	const char *run = r->run;
	struct strbuf sub = STRBUF_INIT;
	struct bd_kit_list_screen ls = {
	    .screen = "payroll.payslip", .load = slip_load, .report_order = true, .ctx = &c};
	enum bd_ui_action act;

	strbuf_addf(&sub, "Run %s  %s %s", run, c.number, bd_ui_rows_get(row, 0, "name"));
	ls.subtitle = sub.buf;
	act = bd_kit_list_run(s, &ls);
	strbuf_release(&sub);
	return act;
}

/* ---- the register ----------------------------------------------------------- */

static enum bd_ui_action
register_open(struct bd_session *s, const struct bd_list_option *o, const struct bd_ui_rows *row,
	      void *ctx)
{
	(void)o;
	return show_payslip(s, ctx, row);
}

/* The exceptions a payslip can have (payroll.run_compute), each as the
 * register shows it at 80 columns: a short code, explained by the legend
 * under the rows (never a word cut at the column's edge). */
static const struct {
	const char *code, *shown;
} EXCEPTION[] = {
    {"negative_net", "NEG"},
    {"net_changed", "CHG"},
    {"no_bank_account", "BANK"},
    {"left_but_paid", "LEFT"},
};
static const char REGISTER_LEGEND[] =
    "NEG negative net  CHG net changed  BANK no bank account  LEFT left but paid";

/* The run's codes ("no_bank_account left_but_paid") as short codes. A code
 * the table lacks (a newer database) is shown whole. */
static void
exceptions_short(struct strbuf *out, const char *codes)
{
	const char *p = codes;

	while (*p) {
		size_t n = strcspn(p, " ");
		bool known = false;

		for (size_t k = 0; n && k < NELEM(EXCEPTION); k++) {
			if (strlen(EXCEPTION[k].code) == n && !strncmp(p, EXCEPTION[k].code, n)) {
				strbuf_addf(out, "%s%s", out->len ? " " : "", EXCEPTION[k].shown);
				known = true;
			}
		}
		if (n && !known)
			strbuf_addf(out, "%s%.*s", out->len ? " " : "", (int)n, p);
		p += n;
		p += strspn(p, " ");
	}
}

/* The register's rows, its amounts as lists show them, its exceptions as
 * short codes. */
static int
register_load(const struct bd_kit_list *l, struct bd_ui_rows *rows, struct bd_err *err)
{
	const struct run_ctx *run = l->ctx;
	struct bd_db_result *res =
	    bd_session_query(l->s, "payroll.register", BD_PARAMS(run->client, run->run), err);
	int ncols;
	const char **cells;

	if (!res)
		return -1;
	ncols = bd_db_result_cols(res);
	if (ncols > 16) {
		bd_db_result_free(res);
		bd_err_set(err, BD_ERR_INTERNAL, "The register has too many columns");
		return -1;
	}
	cells = xcalloc((size_t)ncols, sizeof(*cells));
	for (int c = 0; c < ncols; c++)
		cells[c] = bd_db_result_colname(res, c);
	bd_ui_rows_set_columns(rows, (size_t)ncols, cells);
	for (int r = 0; r < bd_db_result_rows(res); r++) {
		struct strbuf cell[16];

		for (int c = 0; c < ncols; c++) {
			const char *name = bd_db_result_colname(res, c);

			strbuf_init(&cell[c], 0);
			if (!strcmp(name, "exceptions"))
				exceptions_short(&cell[c], bd_db_result_get(res, r, c));
			else
				bd_kit_display_value(bd_kit_column(l->def, name), name,
						     bd_db_result_get(res, r, c), &cell[c]);
			cells[c] = cell[c].buf;
		}
		bd_ui_rows_add(rows, cells);
		for (int c = 0; c < ncols; c++)
			strbuf_release(&cell[c]);
	}
	free(cells);
	bd_db_result_free(res);
	return 0;
}

static enum bd_ui_action
show_register(struct bd_session *s, const char *client, const char *run)
{
	static const char *const legend = REGISTER_LEGEND;
	struct run_ctx r = {client, run};
	struct strbuf sub = STRBUF_INIT;
	struct bd_kit_list_screen ls = {.screen = "payroll.register",
					.load = register_load,
					.report_order = true,
					.open = register_open,
					.enter = "5",
					.note = &legend,
					.ctx = &r};
	enum bd_ui_action act;

	strbuf_addf(&sub, "%s  run %s", client, run);
	ls.subtitle = sub.buf;
	act = bd_kit_list_run(s, &ls);
	strbuf_release(&sub);
	return act;
}

/* ---- the inputs grid -------------------------------------------------------------- */

#define INPUT_COLS 5
static const char *const INPUT_COL[INPUT_COLS] = {"number", "name", "code", "quantity", "amount"};

struct inputs {
	struct bd_session *s;
	const char *run;
	struct bd_screen screen;
	struct bd_form form;
	struct bd_db_result *employees; /* number, name: the names shown beside */
	int rows;			/* grid lines */
};

static int
cell(const struct inputs *in, const char *col, int line)
{
	char name[64];

	snprintf(name, sizeof(name), "%s%d", col, line);
	return bd_screen_field_index(&in->screen, name);
}

/* Shows each line's employee name beside the number (or "?" when there
 * is no such employee: the database refuses it on F2 and says why). */
static void
fill_names(void *ctx, struct bd_form *form)
{
	struct inputs *in = ctx;
	int n = in->employees ? bd_db_result_rows(in->employees) : 0;

	for (int line = 1; line <= in->rows; line++) {
		int num = cell(in, "number", line), nm = cell(in, "name", line);
		const char *v, *name = "";

		if (num < 0 || nm < 0)
			continue;
		v = bd_form_value(form, (size_t)num);
		if (*v) {
			name = "?";
			for (int i = 0; i < n; i++) {
				if (!strcmp(bd_db_result_get(in->employees, i, 0), v)) {
					name = bd_db_result_get(in->employees, i, 1);
					break;
				}
			}
		}
		if (strcmp(bd_form_value(form, (size_t)nm), name))
			bd_form_set_value(form, (size_t)nm, name, NULL);
	}
}

static int
inputs_load(struct inputs *in, struct bd_err *err)
{
	struct bd_db_result *res;
	int n;

	in->employees = bd_session_query(in->s, "payroll.out_employees",
					 BD_PARAMS(in->s->client_code, in->run), err);
	if (!in->employees)
		return -1;
	res = bd_session_query(in->s, "payroll.out_inputs", BD_PARAMS(in->s->client_code, in->run),
			       err);
	if (!res)
		return -1;
	n = bd_db_result_rows(res);
	if (n > in->rows) {
		bd_err_set(err, BD_ERR_INVALID,
			   "The run has %d inputs, more than the grid's %d lines: import them "
			   "from a CSV file",
			   n, in->rows);
		bd_db_result_free(res);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		for (int c = 0; c < INPUT_COLS; c++) {
			int k = cell(in, INPUT_COL[c], i + 1);

			if (c != 1 && k >= 0 &&
			    bd_form_set_value(&in->form, (size_t)k,
					      bd_db_result_text(res, i, INPUT_COL[c]), err) < 0) {
				bd_db_result_free(res);
				return -1;
			}
		}
	}
	bd_db_result_free(res);
	fill_names(in, &in->form);
	return 0;
}

/* The grid's lines as the JSON inputs_set takes: [{"line":1,"number":..}]. */
static void
inputs_json(const struct inputs *in, char **v, struct strbuf *out)
{
	struct bd_json j;

	bd_json_init(&j, out);
	bd_json_begin_array(&j);
	for (int line = 1; line <= in->rows; line++) {
		bool empty = true;

		for (int c = 0; c < INPUT_COLS; c++) {
			int k = cell(in, INPUT_COL[c], line);

			if (c != 1 && k >= 0 && *v[k])
				empty = false;
		}
		if (empty)
			continue;
		bd_json_begin_object(&j);
		bd_json_key(&j, "line");
		bd_json_int(&j, line);
		for (int c = 0; c < INPUT_COLS; c++) {
			int k = cell(in, INPUT_COL[c], line);

			if (c == 1 || k < 0 || !*v[k])
				continue;
			bd_json_key(&j, INPUT_COL[c]);
			if (c >= 3)
				bd_json_raw(&j, v[k]); /* a number the form checked */
			else
				bd_json_str(&j, v[k]);
		}
		bd_json_end_object(&j);
	}
	bd_json_end_array(&j);
}

static enum bd_ui_action
inputs_loop(struct inputs *in)
{
	struct bd_session *s = in->s;
	struct bd_ui_form_opts opts = {0};
	static const struct bd_ui_label labels[] = {{BD_UI_SAVE, "Save"}, {BD_UI_NONE, NULL}};
	struct strbuf sub = STRBUF_INIT;
	enum bd_ui_action act;

	strbuf_addf(&sub, "%s  run %s", s->client_code, in->run);
	opts.subtitle = sub.buf;
	opts.labels = labels;
	opts.ctx = in;
	opts.on_field_exit = fill_names;
	opts.exits = BD_UI_BIT(BD_UI_SAVE) | BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL) |
		     BD_UI_BIT(BD_UI_MENU);
	for (;;) {
		struct bd_err err = BD_ERR_INIT;
		struct strbuf json = STRBUF_INIT;
		struct bd_db_result *res;
		char **v;
		size_t bad = 0;

		act = bd_ui_form(s->ui, &in->form, &opts);
		if (act == BD_UI_HANGUP)
			break;
		if (act != BD_UI_SAVE) {
			act = act == BD_UI_MENU ? BD_UI_MENU : BD_UI_EXIT;
			break;
		}
		if (!(v = bd_form_params(&in->form, &bad, &err))) {
			bd_form_goto(&in->form, bad);
			bd_session_error(s, &err);
			continue;
		}
		inputs_json(in, v, &json);
		bd_form_params_free(v, in->form.nfields);
		res = bd_session_query(s, "payroll.out_inputs_set",
				       BD_PARAMS(s->client_code, in->run, json.buf), &err);
		strbuf_release(&json);
		if (!res) {
			int k = err.field[0] ? bd_screen_field_index(&in->screen, err.field) : -1;

			if (s->db_broken) {
				act = BD_UI_HANGUP;
				break;
			}
			if (k >= 0)
				bd_form_goto(&in->form, (size_t)k);
			bd_session_error(s, &err);
			continue;
		}
		bd_ui_message(s->ui, BD_UI_MSG_INFO,
			      "%s inputs saved for run %s: compute it again (7) before submitting",
			      bd_db_result_get(res, 0, 0), in->run);
		bd_db_result_free(res);
		act = BD_UI_EXIT;
		break;
	}
	strbuf_release(&sub);
	return act;
}

static enum bd_ui_action
key_inputs(struct bd_session *s, const char *run)
{
	struct bd_err err = BD_ERR_INIT;
	struct inputs in = {.s = s, .run = run};
	enum bd_ui_action act = BD_UI_NONE;

	bd_screen_init(&in.screen);
	if (bd_session_load_screen(s, "payroll.inputs", &in.screen, &err) < 0) {
		bd_session_error(s, &err);
		return BD_UI_NONE;
	}
	while (cell(&in, "number", in.rows + 1) >= 0)
		in.rows++;
	bd_form_init(&in.form, &in.screen);
	bd_form_load_defaults(&in.form);
	if (inputs_load(&in, &err) < 0) {
		act = s->db_broken ? BD_UI_HANGUP : BD_UI_NONE;
		if (!s->db_broken)
			bd_session_error(s, &err);
	} else {
		act = inputs_loop(&in);
	}
	bd_db_result_free(in.employees);
	bd_form_release(&in.form);
	bd_screen_release(&in.screen);
	return act == BD_UI_HANGUP || act == BD_UI_MENU ? act : BD_UI_NONE;
}

/* ---- the runs ------------------------------------------------------------------- */

/* F6: the new run form (screens/payroll.run.conf) until it is saved or
 * left; saved by payroll.run_create, as `backdesk payroll run create`. A
 * refusal names the field (the error's column): the cursor goes there. */
static enum bd_ui_action
create_run(struct bd_session *s, void *ctx)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_screen screen;
	struct bd_form form;
	struct bd_ui_form_opts opts = {0};
	enum bd_ui_action act;

	(void)ctx;
	bd_screen_init(&screen);
	if (bd_session_load_screen(s, "payroll.run", &screen, &err) < 0) {
		bd_session_error(s, &err);
		return BD_UI_NONE;
	}
	bd_form_init(&form, &screen);
	bd_form_load_defaults(&form);
	opts.exits = BD_UI_BIT(BD_UI_SAVE) | BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL) |
		     BD_UI_BIT(BD_UI_MENU);
	opts.subtitle = s->client_code;
	for (;;) {
		struct bd_db_result *res;
		char **v;
		int k;

		if ((act = bd_kit_form_values(s, &form, &opts, &v)) != BD_UI_SAVE)
			break;
		/* the fields in the screen file's order: pay group, kind, period
		 * start and end, pay date (the function's arguments) */
		res =
		    bd_session_query(s, "payroll.run_create",
				     BD_PARAMS(s->client_code, v[0], v[1], v[2], v[3], v[4]), &err);
		bd_form_params_free(v, form.nfields);
		if (res) {
			bd_ui_message(s->ui, BD_UI_MSG_INFO,
				      "Pay run %s created: key its inputs (2), then compute it (7)",
				      bd_db_result_get(res, 0, 0));
			bd_db_result_free(res);
			break;
		}
		if (s->db_broken) {
			act = BD_UI_HANGUP;
			break;
		}
		k = err.field[0] ? bd_screen_field_index(&screen, err.field) : -1;
		if (k >= 0)
			bd_form_goto(&form, (size_t)k);
		bd_session_error(s, &err);
	}
	bd_form_release(&form);
	bd_screen_release(&screen);
	return act == BD_UI_HANGUP || act == BD_UI_MENU ? act : BD_UI_NONE;
}

static struct bd_db_result *
take_on_screen(void *ctx, struct bd_db *db, struct bd_err *err)
{
	return bd_session_take(ctx, db, err);
}

/* 7: the run computed on the sessions payroll.compute_sessions allows
 * (bd_payroll_run_compute), the screen alive meanwhile: "Working" on the
 * status line, a hangup noticed. */
static enum bd_ui_action
compute_run(struct bd_session *s, const struct bd_list_option *o, const struct bd_ui_rows *row,
	    void *ctx)
{
	struct bd_err err = BD_ERR_INIT;
	const struct bd_payroll_wait wait = {take_on_screen, s};
	const char *run = bd_ui_rows_get(row, 0, "run_id");
	long n;

	(void)o;
	(void)ctx;
	if (s->db_broken) {
		bd_err_set(&err, BD_ERR_CONNECTION, "The connection was closed");
		return bd_kit_failed(s, &err);
	}
	bd_ui_message(s->ui, BD_UI_MSG_INFO, "Computing pay run %s...", run);
	bd_ui_flush(s->ui);
	n = bd_payroll_run_compute(s->db, s->client_code, run,
				   (int)bd_config_int(s->cfg, "payroll.compute_sessions"),
				   BD_PAYROLL_PART_EMPLOYEES, &wait, &err);
	if (n < 0)
		return bd_kit_failed(s, &err);
	bd_ui_message(s->ui, BD_UI_MSG_INFO, "Pay run %s computed: %ld payslips", run, n);
	return BD_UI_NONE;
}

/* 2: the inputs grid; 5: the register. 7 (compute_run) is hooked; 8 is
 * the screen file's action, run by the kit. */
static enum bd_ui_action
runs_open(struct bd_session *s, const struct bd_list_option *o, const struct bd_ui_rows *row,
	  void *ctx)
{
	char *run = xstrdup(bd_ui_rows_get(row, 0, "run_id"));
	enum bd_ui_action act;

	(void)ctx;
	if (!strcmp(o->code, "2"))
		act = key_inputs(s, run);
	else
		act = show_register(s, s->client_code, run);
	free(run);
	return act;
}

/* "payroll.run" for the approvals registry's row (client, id: the run): its
 * register, read-only, and from it each payslip (the approvals inbox's
 * 5=Show), in the row's client, not the active one. */
static enum bd_ui_action
open_run(struct bd_session *s, const struct bd_ui_rows *row)
{
	const char *client = bd_ui_rows_get(row, 0, "client");
	char *c = xstrdup(*client ? client : s->client_code);
	char *run = xstrdup(bd_ui_rows_get(row, 0, "id"));
	enum bd_ui_action act = show_register(s, c, run);

	free(c);
	free(run);
	return act;
}

__attribute__((constructor)) static void
register_openers(void)
{
	bd_kit_register_opener("payroll.run", open_run);
}

enum bd_ui_action
bd_payroll_runs(struct bd_session *s)
{
	static const struct bd_kit_list_screen ls = {.screen = "payroll.runs",
						     .nparams = 1,
						     .params = {":client_code"},
						     .report_order = true,
						     .open = runs_open,
						     .create = create_run,
						     .hooked = "7",
						     .option = compute_run,
						     .enter = "5"};

	return bd_kit_list_run(s, &ls);
}
