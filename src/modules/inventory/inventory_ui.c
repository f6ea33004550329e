/*
 * Inventory's screens (include/backdesk/inventory.h): a stock move and a
 * blind count as a header and a lines grid (screens/inventory.move.conf,
 * inventory.count.conf) keyed or scanned, and the lists (on hand, stock
 * card, moves, reorder) run by the kit from their screen files.
 *
 * Scanning: a barcode scanner is a keyboard that types the digits and
 * Enter. When the cursor leaves the item column, the item is looked up by
 * code or barcode (inventory.item_find); a line that had no quantity gets 1
 * and the cursor goes to the next line's item column, ready for the next
 * scan; the same item scanned again (an earlier line with the same item,
 * location and lot) adds one to that line instead, and the line scanned
 * into is cleared. Nothing is posted until F2.
 *
 * Keeping work: a move or count keyed is saved as a draft (kit drafts,
 * key "inventory.move:<kind>" or "inventory.count") in the background on
 * every field exit and at once when the link drops, offered back at the
 * next sign-on or when the screen is opened again; posting or leaving on
 * purpose discards it. The F2 of a move or count carries an idempotency
 * key (inventory.move_create_once, inventory.count_submit_once), kept
 * until it is answered: an F2 sent again after a lost link posts the move
 * or submits the count once; its transaction drops the draft, so a move
 * posted or a count sent is never offered back.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backdesk/draft.h"
#include "backdesk/form.h"
#include "backdesk/inventory.h"
#include "backdesk/kit.h"
#include "backdesk/log.h"
#include "backdesk/money.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

enum col { C_ITEM, C_DESCR, C_QTY, C_LOC, C_TO, C_LOT, C_COST, NCOLS };
static const char *const col_name[NCOLS] = {"item", "descr", "qty", "loc", "to", "lot", "cost"};

enum head { H_DATE, H_REF, H_LOC, H_REASON, H_STATUS, NHEAD };
static const char *const move_head[NHEAD] = {"move_date", "reference", "location", "reason",
					     "status"};
static const char *const count_head[NHEAD] = {"count_date", NULL, "location", NULL, "status"};

#define ABSENT ((size_t)-1)

struct doc_screen {
	struct bd_session *s;
	const char *kind;  /* receipt, issue, transfer, ... or NULL: a count */
	const char *title; /* "Receive goods" */
	struct bd_screen screen;
	struct bd_form form;
	bool form_ready;
	size_t head[NHEAD]; /* ABSENT when the screen has no such field */
	size_t grid;
	size_t col[NCOLS]; /* grid column index, ABSENT when not on the screen */
	size_t nlines;
	size_t at;
	struct bd_draft draft;
	bool draft_ready;
	/* The F2 in hand's idempotency key, kept until it is answered. */
	char f2_key[BD_DB_KEY_SIZE];
};

static void
set_field(struct doc_screen *ds, size_t index, const char *value)
{
	struct bd_err err = BD_ERR_INIT;

	if (index != ABSENT && bd_form_set_value(&ds->form, index, value, &err) < 0)
		bd_log_err(&err);
}

static size_t
cell(const struct doc_screen *ds, size_t n, enum col c)
{
	if (ds->col[c] == ABSENT)
		return ABSENT;
	return (size_t)bd_screen_cell(&ds->screen, ds->grid, n, ds->col[c]);
}

static const char *
lval(const struct doc_screen *ds, size_t n, enum col c)
{
	size_t k = cell(ds, n, c);

	return k == ABSENT ? "" : bd_form_value(&ds->form, k);
}

static const char *
hval(const struct doc_screen *ds, enum head h)
{
	return ds->head[h] == ABSENT ? "" : bd_form_value(&ds->form, ds->head[h]);
}

/* The line and column of field `index`; NCOLS for a header field. */
static enum col
line_field(const struct doc_screen *ds, size_t index, size_t *line)
{
	const struct bd_field_def *f = &ds->screen.fields[index];
	enum col c;

	if (f->grid != (int)ds->grid + 1)
		return NCOLS;
	for (c = 0; c < NCOLS; c++)
		if (ds->col[c] == (size_t)f->grid_col) {
			*line = (size_t)f->grid_line;
			return c;
		}
	return NCOLS;
}

/* "12" + 1 -> "13", keeping decimals ("1.5" + 1 -> "2.5"). */
static void
add_one(const char *qty, struct strbuf *out)
{
	int64_t v = 0;

	if (bd_money_from_numeric(*qty ? qty : "0", 4, &v, NULL) < 0)
		v = 0;
	bd_money_to_numeric(out, v + 10000, 4);
	/* trim the zeros the scale added */
	while (out->len && strchr(out->buf, '.') && out->buf[out->len - 1] == '0')
		strbuf_setlen(out, out->len - 1);
	if (out->len && out->buf[out->len - 1] == '.')
		strbuf_setlen(out, out->len - 1);
}

/* The cursor left the item column of line n with `typed` in it. */
static void
item_left(struct doc_screen *ds, size_t n)
{
	struct bd_session *s = ds->s;
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	char *code = NULL, *descr = NULL;
	size_t k;

	res = bd_session_query(s, "inventory.item_find",
			       BD_PARAMS(s->client_code, lval(ds, n, C_ITEM)), &err);
	if (!res) {
		bd_session_error(s, &err);
		return;
	}
	if (bd_db_result_rows(res) < 1) {
		/* the cursor stays on the item: the next scan replaces it */
		bd_ui_message(s->ui, BD_UI_MSG_ERROR,
			      "Line %zu: no item has the code or barcode %s; scan or key another",
			      n + 1, lval(ds, n, C_ITEM));
		bd_form_goto(&ds->form, cell(ds, n, C_ITEM));
		bd_db_result_free(res);
		return;
	}
	code = xstrdup(bd_db_result_text(res, 0, "code"));
	descr = xstrdup(bd_db_result_text(res, 0, "description"));
	bd_db_result_free(res);
	/* the same item again on an earlier line: one more there */
	for (k = 0; k < n; k++) {
		if (strcmp(lval(ds, k, C_ITEM), code) ||
		    strcmp(lval(ds, k, C_LOT), lval(ds, n, C_LOT)))
			continue;
		if (*lval(ds, n, C_LOC) && strcmp(lval(ds, k, C_LOC), lval(ds, n, C_LOC)))
			continue;
		if (!*lval(ds, n, C_QTY)) {
			struct strbuf q = STRBUF_INIT;

			add_one(lval(ds, k, C_QTY), &q);
			set_field(ds, cell(ds, k, C_QTY), q.buf);
			strbuf_release(&q);
			for (enum col c = 0; c < NCOLS; c++)
				set_field(ds, cell(ds, n, c), "");
			bd_ui_message(s->ui, BD_UI_MSG_INFO, "%s: %s on line %zu", code,
				      lval(ds, k, C_QTY), k + 1);
			bd_form_goto(&ds->form, cell(ds, n, C_ITEM));
			goto cleanup;
		}
	}
	set_field(ds, cell(ds, n, C_ITEM), code);
	set_field(ds, cell(ds, n, C_DESCR), descr);
	if (!*lval(ds, n, C_LOC) && cell(ds, n, C_LOC) != ABSENT)
		set_field(ds, cell(ds, n, C_LOC),
			  n > 0 && *lval(ds, n - 1, C_LOC) ? lval(ds, n - 1, C_LOC)
							   : hval(ds, H_LOC));
	if (n > 0 && !*lval(ds, n, C_TO) && cell(ds, n, C_TO) != ABSENT)
		set_field(ds, cell(ds, n, C_TO), lval(ds, n - 1, C_TO));
	if (!*lval(ds, n, C_QTY)) {
		/* a scan: one of it, and on to the next line's item */
		set_field(ds, cell(ds, n, C_QTY), "1");
		if (n + 1 < ds->nlines)
			bd_form_goto(&ds->form, cell(ds, n + 1, C_ITEM));
	}
cleanup:
	free(code);
	free(descr);
}

/* Something keyed on a line: the work a draft keeps. */
static bool
doc_has_lines(const struct doc_screen *ds)
{
	size_t n;

	for (n = 0; n < ds->nlines; n++)
		if (*lval(ds, n, C_ITEM) || *lval(ds, n, C_QTY))
			return true;
	return false;
}

static void
doc_discard_draft(struct doc_screen *ds)
{
	struct bd_err err = BD_ERR_INIT;

	if (ds->draft_ready && !ds->s->db_broken && bd_draft_discard(&ds->draft, &err) < 0)
		bd_log_err(&err);
}

/* The link dropped: the lines keyed are kept for the next sign-on. */
static void
doc_save_draft_now(struct doc_screen *ds)
{
	struct bd_err err = BD_ERR_INIT;

	if (!ds->draft_ready || ds->s->db_broken)
		return;
	if (!doc_has_lines(ds))
		doc_discard_draft(ds);
	else if (bd_draft_save_now(&ds->draft, &err) < 0)
		bd_log_err(&err);
}

static void
doc_field_exit(void *ctx, struct bd_form *form)
{
	struct doc_screen *ds = ctx;
	size_t left = ds->at, line = 0;

	if (left != form->current && line_field(ds, left, &line) == C_ITEM &&
	    *bd_form_value(form, left) && !*lval(ds, line, C_DESCR))
		item_left(ds, line);
	else if (left != form->current && line_field(ds, left, &line) == C_ITEM &&
		 !*bd_form_value(form, left))
		set_field(ds, cell(ds, line, C_DESCR), "");
	ds->at = form->current;
	if (ds->draft_ready && !ds->s->db_broken && doc_has_lines(ds))
		bd_draft_touch(&ds->draft);
}

/* The grid's lines as JSON for inventory.move_create / count_submit. */
static int
lines_json(struct doc_screen *ds, struct strbuf *out)
{
	const char **cells = xcalloc(ds->nlines * 6, sizeof(*cells));
	static const enum col order[6] = {C_ITEM, C_QTY, C_LOC, C_TO, C_LOT, C_COST};
	size_t n;
	int k, count;

	for (n = 0; n < ds->nlines; n++)
		for (k = 0; k < 6; k++)
			cells[n * 6 + k] = lval(ds, n, order[k]);
	count = bd_inventory_lines_json(out, cells, (int)ds->nlines);
	free(cells);
	return count;
}

static int
doc_open(struct doc_screen *ds, struct bd_session *s, const char *name, struct bd_err *err)
{
	const char *const *heads = strcmp(name, "inventory.count") ? move_head : count_head;
	enum col c;
	enum head h;
	size_t g;

	ds->s = s;
	bd_screen_init(&ds->screen);
	if (bd_session_load_screen(s, name, &ds->screen, err) < 0)
		return -1;
	for (h = 0; h < NHEAD; h++) {
		int k = heads[h] ? bd_screen_field_index(&ds->screen, heads[h]) : -1;

		ds->head[h] = k < 0 ? ABSENT : (size_t)k;
	}
	for (g = 0; g < ds->screen.ngrids && strcmp(ds->screen.grids[g].name, "lines"); g++)
		;
	if (g == ds->screen.ngrids) {
		bd_err_set(err, BD_ERR_INTERNAL, "The screen %s has no lines", name);
		return -1;
	}
	ds->grid = g;
	ds->nlines = (size_t)ds->screen.grids[g].rows;
	for (c = 0; c < NCOLS; c++) {
		char field[32];
		int k;

		snprintf(field, sizeof(field), "%s1", col_name[c]);
		k = bd_screen_field_index(&ds->screen, field);
		ds->col[c] = k < 0 ? ABSENT : (size_t)ds->screen.fields[k].grid_col;
	}
	bd_form_init(&ds->form, &ds->screen);
	ds->form_ready = true;
	bd_form_load_defaults(&ds->form);
	bd_draft_init(&ds->draft, s->db, &ds->form, name, ds->kind, s->client_id);
	ds->draft_ready = true;
	return 0;
}

static void
doc_close(struct doc_screen *ds)
{
	if (ds->draft_ready)
		bd_draft_release(&ds->draft);
	if (ds->form_ready)
		bd_form_release(&ds->form);
	bd_screen_release(&ds->screen);
}

/*
 * Puts the draft over the form: `data` given (offered at sign-on), or the
 * operator's draft of this screen for the active client, if any (the
 * screen opened again from the menu).
 */
static void
doc_restore(struct doc_screen *ds, const char *data, size_t len)
{
	struct bd_session *s = ds->s;
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = NULL;

	if (!data) {
		res = bd_session_query(s, "draft.get", BD_PARAMS(ds->draft.key), &err);
		if (!res)
			bd_log_err(&err);
		if (!res || bd_db_result_rows(res) != 1 ||
		    strcmp(bd_db_result_text(res, 0, "client_id"), s->client_id))
			goto cleanup;
		data = bd_db_result_text(res, 0, "data");
		len = strlen(data);
	}
	ds->draft.stored = true;
	if (bd_form_draft_restore(&ds->form, data, len, &err) < 0) {
		bd_log_err(&err);
		bd_ui_message(s->ui, BD_UI_MSG_ERROR,
			      "The draft could not be read; it was discarded");
		doc_discard_draft(ds);
		goto cleanup;
	}
	bd_ui_message(s->ui, BD_UI_MSG_INFO, "The %s you left unfinished, as you left it",
		      ds->kind ? "move" : "count");
cleanup:
	bd_db_result_free(res);
	bd_draft_baseline(&ds->draft);
}

/* F2: posts the move (or sends the count); the message in *msg. */
static int
doc_submit(struct doc_screen *ds, char **msg, struct bd_err *err)
{
	struct bd_session *s = ds->s;
	struct strbuf lines = STRBUF_INIT;
	struct bd_db_result *res;
	int rc = -1;

	if (lines_json(ds, &lines) == 0) {
		bd_err_set(err, BD_ERR_INVALID, "Key or scan at least one item");
		goto cleanup;
	}
	if (!*ds->f2_key)
		bd_db_new_key(ds->f2_key);
	/* the draft goes with the move or count, in its transaction: one whose
	 * answer a dropped link lost is not offered back to send again */
	if (ds->kind)
		res = bd_session_query(s, "inventory.move_create_once",
				       BD_PARAMS(s->client_code, ds->kind, hval(ds, H_DATE),
						 hval(ds, H_REF), hval(ds, H_REASON), lines.buf,
						 ds->f2_key, ds->draft.key),
				       err);
	else
		res = bd_session_query(s, "inventory.count_submit_once",
				       BD_PARAMS(s->client_code, hval(ds, H_LOC), hval(ds, H_DATE),
						 lines.buf, ds->f2_key, ds->draft.key),
				       err);
	if (res)
		ds->draft.stored = false;
	/* After a lost link the next F2 sends the same key: it may have gone
	 * through. Any other answer ends the key's use. */
	if (res || err->kind != BD_ERR_CONNECTION)
		*ds->f2_key = '\0';
	if (!res)
		goto cleanup;
	*msg = xstrdup(bd_db_result_text(res, 0, "message"));
	bd_db_result_free(res);
	rc = 0;
cleanup:
	strbuf_release(&lines);
	return rc;
}

static const struct bd_ui_label doc_labels[] = {{BD_UI_SAVE, "Post"}, {BD_UI_NONE, NULL}};

static enum bd_ui_action
run_doc(struct bd_session *s, const char *screen, const char *kind, const char *title,
	const char *data, size_t len)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_ui_form_opts opts = {0};
	struct doc_screen ds;
	enum bd_ui_action act = BD_UI_EXIT;

	if (!s->client_code) {
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "Choose a client first");
		return BD_UI_EXIT;
	}
	memset(&ds, 0, sizeof(ds));
	ds.kind = kind;
	ds.title = title;
	if (doc_open(&ds, s, screen, &err) < 0) {
		act = s->db_broken ? BD_UI_HANGUP : BD_UI_EXIT;
		bd_session_error(s, &err);
		goto cleanup;
	}
	doc_restore(&ds, data, len);
	opts.labels = doc_labels;
	opts.exits = BD_UI_BIT(BD_UI_SAVE) | BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL) |
		     BD_UI_BIT(BD_UI_MENU);
	opts.title = title;
	opts.ctx = &ds;
	opts.on_field_exit = doc_field_exit;
	for (;;) {
		char *msg = NULL;

		ds.at = ds.form.current;
		act = bd_ui_form(s->ui, &ds.form, &opts);
		if (act == BD_UI_HANGUP) {
			doc_save_draft_now(&ds);
			break;
		}
		if (act != BD_UI_SAVE) {
			doc_discard_draft(&ds);
			if (bd_kit_pass_up(s, act) == BD_UI_HANGUP) {
				act = BD_UI_HANGUP;
				break;
			}
			act = act == BD_UI_MENU ? BD_UI_MENU : BD_UI_EXIT;
			break;
		}
		if (doc_submit(&ds, &msg, &err) < 0) {
			if (s->db_broken) {
				act = BD_UI_HANGUP;
				break;
			}
			bd_session_error(s, &err);
			bd_err_clear(&err);
			continue;
		}
		doc_discard_draft(&ds);
		/* the next document: the header stays, the lines go */
		for (size_t n = 0; n < ds.nlines; n++)
			for (enum col c = 0; c < NCOLS; c++)
				set_field(&ds, cell(&ds, n, c), "");
		set_field(&ds, ds.head[H_STATUS], msg);
		bd_ui_message(s->ui, BD_UI_MSG_INFO, "%s", msg);
		bd_form_goto(&ds.form, cell(&ds, 0, C_ITEM));
		bd_draft_baseline(&ds.draft);
		free(msg);
	}
cleanup:
	doc_close(&ds);
	return act;
}

/* The move screens by kind: the draft's record part names the kind. */
static const char *const move_kinds[][2] = {
    {"receipt", "Receive goods"},
    {"issue", "Issue goods"},
    {"transfer", "Move stock"},
};

enum bd_ui_action
bd_inventory_receive(struct bd_session *s)
{
	return run_doc(s, "inventory.move", "receipt", "Receive goods", NULL, 0);
}

enum bd_ui_action
bd_inventory_issue(struct bd_session *s)
{
	return run_doc(s, "inventory.move", "issue", "Issue goods", NULL, 0);
}

enum bd_ui_action
bd_inventory_transfer(struct bd_session *s)
{
	return run_doc(s, "inventory.move", "transfer", "Move stock", NULL, 0);
}

enum bd_ui_action
bd_inventory_count(struct bd_session *s)
{
	return run_doc(s, "inventory.count", NULL, "Stock count", NULL, 0);
}

enum bd_ui_action
bd_inventory_move_resume(struct bd_session *s, const char *record, const char *data, size_t len)
{
	size_t i;

	for (i = 0; i < NELEM(move_kinds); i++)
		if (record && !strcmp(record, move_kinds[i][0]))
			return run_doc(s, "inventory.move", move_kinds[i][0], move_kinds[i][1],
				       data, len);
	bd_ui_message(s->ui, BD_UI_MSG_ERROR,
		      "A stock move of an unknown kind (%s) cannot be "
		      "reopened",
		      record ? record : "none");
	return BD_UI_NONE;
}

enum bd_ui_action
bd_inventory_count_resume(struct bd_session *s, const char *record, const char *data, size_t len)
{
	(void)record;
	return run_doc(s, "inventory.count", NULL, "Stock count", data, len);
}

/* ---- lists ------------------------------------------------------------ */

/* C: the list's rows (read again) to a CSV file the operator names. */
static enum bd_ui_action
write_csv(struct bd_session *s, const char *query, int nparams, const char *const *params,
	  const char *suggest)
{
	struct bd_err err = BD_ERR_INIT;
	struct strbuf path = STRBUF_INIT, csv = STRBUF_INIT;
	struct bd_db_result *res = NULL;
	enum bd_ui_action act;
	FILE *f = NULL;

	strbuf_addstr(&path, suggest);
	act = bd_ui_prompt(s->ui, "Write the list to CSV file", &path, 200);
	if (act != BD_UI_SELECT)
		goto cleanup;
	act = BD_UI_NONE;
	strbuf_rtrim(&path);
	if (!path.len || path.buf[0] == ' ') {
		bd_ui_message(s->ui, BD_UI_MSG_INFO, "Nothing written: no file name");
		goto cleanup;
	}
	if (!(res = bd_session_query(s, query, nparams, params, &err))) {
		if (s->db_broken)
			act = BD_UI_HANGUP;
		else
			bd_session_error(s, &err);
		goto cleanup;
	}
	bd_db_result_csv(res, &csv);
	if (!(f = fopen(path.buf, "w")) || fwrite(csv.buf, 1, csv.len, f) != csv.len ||
	    fclose(f) != 0) {
		int e = errno;

		f = NULL;
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "Cannot write %s: %s", path.buf, strerror(e));
		goto cleanup;
	}
	f = NULL;
	bd_ui_message(s->ui, BD_UI_MSG_INFO, "Wrote %d rows to %s", bd_db_result_rows(res),
		      path.buf);
cleanup:
	bd_db_result_free(res);
	strbuf_release(&csv);
	strbuf_release(&path);
	return act == BD_UI_HANGUP ? act : BD_UI_NONE;
}

struct list_ctx {
	const char *query;
	int nparams;
	const char *params[3];
	const char *csv_name;
};

static enum bd_ui_action
list_option(struct bd_session *s, const struct bd_list_option *o, const struct bd_ui_rows *row,
	    void *ctx)
{
	struct list_ctx *lc = ctx;
	const char *params[3];
	int i;

	(void)o;
	(void)row;
	for (i = 0; i < lc->nparams; i++)
		params[i] = lc->params[i] && !strcmp(lc->params[i], ":client_code") ? s->client_code
										    : lc->params[i];
	return write_csv(s, lc->query, lc->nparams, params, lc->csv_name);
}

static enum bd_ui_action
open_card(struct bd_session *s, const struct bd_list_option *o, const struct bd_ui_rows *row,
	  void *ctx)
{
	struct strbuf item = STRBUF_INIT;
	struct list_ctx lc = {
	    "inventory.stock_card", 3, {":client_code", NULL, NULL}, "stock-card.csv"};
	struct bd_kit_list_screen card = {
	    .screen = "inventory.card",
	    .nparams = 3,
	    .report_order = true,
	    .hooked = "C",
	    .option = list_option,
	};
	enum bd_ui_action act;

	(void)o;
	(void)ctx;
	strbuf_addch(&item, '=');
	strbuf_addstr(&item, bd_kit_param(s, "item", row));
	card.params[0] = ":client_code";
	card.params[1] = item.buf;
	card.params[2] = NULL;
	lc.params[1] = item.buf + 1;
	card.ctx = &lc;
	card.subtitle = item.buf + 1;
	act = bd_kit_list_run(s, &card);
	strbuf_release(&item);
	return bd_kit_pass_up(s, act) == BD_UI_HANGUP ? BD_UI_HANGUP : BD_UI_NONE;
}

static const struct bd_ui_label show_labels[] = {{BD_UI_SAVE, "Show"}, {BD_UI_NONE, NULL}};

/* The date a stock report is drawn up to (screens/inventory.as_of.conf,
 * today unless changed): BD_UI_SAVE with it in `date`, or what ended the
 * form. */
static enum bd_ui_action
ask_as_of(struct bd_session *s, const char *title, struct bd_form *form, char date[11])
{
	struct bd_ui_form_opts opts = {0};
	enum bd_ui_action act;
	char **v;

	opts.exits = BD_UI_BIT(BD_UI_SAVE) | BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL) |
		     BD_UI_BIT(BD_UI_MENU);
	opts.enter_saves = true;
	opts.labels = show_labels;
	opts.title = title;
	opts.subtitle = s->client_code;
	if ((act = bd_kit_form_values(s, form, &opts, &v)) == BD_UI_SAVE) {
		snprintf(date, 11, "%s", v[0]);
		bd_form_params_free(v, form->nfields);
	}
	return act;
}

/* A stock report as of a date: the date asked, then the list (`screen`,
 * its query `query` with the client and the date), 5 the stock card, C its
 * rows to CSV; F3 on the list goes back to the date. */
static enum bd_ui_action
stock_report(struct bd_session *s, const char *screen, const char *title, const char *query,
	     const char *csv_stem)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_screen form_def;
	struct bd_form form;
	enum bd_ui_action act = BD_UI_EXIT;

	bd_screen_init(&form_def);
	if (bd_session_load_screen(s, "inventory.as_of", &form_def, &err) < 0) {
		bd_session_error(s, &err);
		return BD_UI_EXIT;
	}
	bd_form_init(&form, &form_def);
	bd_form_load_defaults(&form);
	for (;;) {
		char date[11], as_of[12], csv_name[64], subtitle[32];
		struct list_ctx lc = {query, 2, {":client_code", date}, csv_name};
		struct bd_kit_list_screen ls = {
		    .screen = screen,
		    .nparams = 2,
		    .params = {":client_code", as_of},
		    .report_order = true,
		    .open = open_card,
		    .hooked = "C",
		    .option = list_option,
		    .enter = "5",
		    .subtitle = subtitle,
		    .ctx = &lc,
		};

		if ((act = ask_as_of(s, title, &form, date)) != BD_UI_SAVE)
			break;
		snprintf(as_of, sizeof(as_of), "=%s", date);
		snprintf(csv_name, sizeof(csv_name), "%s-%s-%s.csv", csv_stem, s->client_code,
			 date);
		snprintf(subtitle, sizeof(subtitle), "%s  as of %s", s->client_code, date);
		act = bd_kit_pass_up(s, bd_kit_list_run(s, &ls));
		if (act != BD_UI_NONE)
			break;
	}
	bd_form_release(&form);
	bd_screen_release(&form_def);
	return act == BD_UI_HANGUP || act == BD_UI_MENU ? act : BD_UI_EXIT;
}

enum bd_ui_action
bd_inventory_stock(struct bd_session *s)
{
	return stock_report(s, "inventory.on_hand", "Stock on hand", "inventory.on_hand",
			    "stock-on-hand");
}

enum bd_ui_action
bd_inventory_valuation(struct bd_session *s)
{
	return stock_report(s, "inventory.valuation", "Stock valuation", "inventory.valuation",
			    "stock-valuation");
}

enum bd_ui_action
bd_inventory_moves(struct bd_session *s)
{
	struct list_ctx lc = {"inventory.move_list", 2, {":client_code", NULL}, "stock-moves.csv"};
	const struct bd_kit_list_screen ls = {
	    .screen = "inventory.moves",
	    .nparams = 2,
	    .params = {":client_code", NULL},
	    .report_order = true,
	    .hooked = "C",
	    .option = list_option,
	    .ctx = &lc,
	};

	return bd_kit_list_run(s, &ls);
}

enum bd_ui_action
bd_inventory_reorder(struct bd_session *s)
{
	struct list_ctx lc = {"inventory.reorder", 1, {":client_code"}, "reorder.csv"};
	const struct bd_kit_list_screen ls = {
	    .screen = "inventory.reorder",
	    .nparams = 1,
	    .params = {":client_code"},
	    .report_order = true,
	    .hooked = "C",
	    .option = list_option,
	    .ctx = &lc,
	};

	return bd_kit_list_run(s, &ls);
}

/* Show (5) on a stock count in the approvals inbox: its lines, counted
 * against the system's quantities, for the checker. */
static enum bd_ui_action
open_count_review(struct bd_session *s, const struct bd_ui_rows *row)
{
	struct strbuf client = STRBUF_INIT, id = STRBUF_INIT;
	struct bd_kit_list_screen ls = {
	    .screen = "inventory.count_review",
	    .nparams = 2,
	    .report_order = true,
	};
	enum bd_ui_action act;
	const char *code = bd_ui_rows_get(row, 0, "client");

	strbuf_addch(&client, '=');
	strbuf_addstr(&client, *code ? code : s->client_code);
	strbuf_addch(&id, '=');
	strbuf_addstr(&id, bd_ui_rows_get(row, 0, "id"));
	ls.params[0] = client.buf;
	ls.params[1] = id.buf;
	act = bd_kit_list_run(s, &ls);
	strbuf_release(&client);
	strbuf_release(&id);
	return bd_kit_pass_up(s, act) == BD_UI_HANGUP ? BD_UI_HANGUP : BD_UI_NONE;
}

/* The move (inventory.move_review: the header on each row) as text. */
static void
move_text(const struct bd_db_result *res, struct strbuf *t)
{
	struct strbuf v = STRBUF_INIT;
	int64_t total = 0, minor;
	int r;

#define C(name) bd_db_result_text(res, r, name)
	r = 0;
	strbuf_addf(t, "Move %s   %c%s   %s   %s\n", C("move_id"),
		    toupper((unsigned char)*C("kind")), C("kind") + 1, C("move_date"),
		    !strcmp(C("status"), "submitted") ? "waiting for approval" : C("status"));
	bd_kit_amount(&v, C("total"), 0);
	strbuf_addf(t, "Reference %s   Keyed by %s   Value when keyed %s\n",
		    *C("reference") ? C("reference") : "(none)", C("maker"), v.buf);
	if (*C("reason"))
		strbuf_addf(t, "Reason: %s\n", C("reason"));
	strbuf_addf(t, "\n%-3s%-12s %9s %-4s %-8s %-8s %-6s %10s %11s\n", "Ln", "Item", "Qty",
		    "Unit", "Location", "To", "Lot", "Unit cost", "Value");
	for (r = 0; r < bd_db_result_rows(res); r++) {
		strbuf_reset(&v);
		bd_kit_amount(&v, C("value"), 11);
		if (bd_money_from_numeric(C("value"), 2, &minor, NULL) == 0)
			total += minor;
		strbuf_addf(t, "%-3s%-12s %9s %-4s %-8s %-8s %-6s %10s %s\n", C("line_no"),
			    C("item"), C("qty"), C("unit"), C("location"), C("to_location"),
			    C("lot"), C("unit_cost"), v.buf);
		strbuf_addf(t, "   %s\n", C("description"));
	}
#undef C
	strbuf_reset(&v);
	bd_money_to_numeric(&v, total, 2);
	{
		struct strbuf a = STRBUF_INIT;

		bd_kit_amount(&a, v.buf, 11);
		strbuf_addf(t, "%66s %s\n%66s %s\n", "", "-----------",
			    "Value (keyed cost, else the cost now)", a.buf);
		strbuf_release(&a);
	}
	strbuf_release(&v);
}

/* Show (5) on a stock move in the approvals inbox (kind inventory.move):
 * the move as keyed, read-only, for the row's client. */
static enum bd_ui_action
open_move_review(struct bd_session *s, const struct bd_ui_rows *row)
{
	struct bd_err err = BD_ERR_INIT;
	const char *code = bd_ui_rows_get(row, 0, "client");
	const char *client = *code ? code : s->client_code;
	const char *id = bd_ui_rows_get(row, 0, "id");
	struct bd_db_result *res;
	struct strbuf text = STRBUF_INIT, title = STRBUF_INIT;
	enum bd_ui_action act = BD_UI_NONE;

	if (!(res = bd_session_query(s, "inventory.move_review", BD_PARAMS(client, id), &err)))
		return bd_kit_failed(s, &err);
	if (bd_db_result_rows(res) < 1) {
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "Move %s of %s is not there to show", id,
			      client);
		goto cleanup;
	}
	move_text(res, &text);
	strbuf_addf(&title, "Stock move %s (%s)", id, client);
	act = bd_ui_view_text(s->ui, title.buf, text.buf, BD_UI_BIT(BD_UI_MENU));
	act = act == BD_UI_HANGUP || act == BD_UI_MENU ? act : BD_UI_NONE;
cleanup:
	bd_db_result_free(res);
	strbuf_release(&text);
	strbuf_release(&title);
	return act;
}

__attribute__((constructor)) static void
register_openers(void)
{
	bd_kit_register_opener("inventory.count", open_count_review);
	bd_kit_register_opener("inventory.move", open_move_review);
}
