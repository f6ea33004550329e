/* Helpers shared by the ledger screens: see ledger_ui_internal.h. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backdesk/date.h"
#include "backdesk/ledger.h"
#include "backdesk/money.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"
#include "ledger_ui_internal.h"

void
lui_amount(struct strbuf *out, const char *numeric, int width)
{
	struct strbuf sb = STRBUF_INIT;
	int64_t v;
	int w;

	if (!numeric || !*numeric)
		return;
	if (bd_money_from_numeric(numeric, 2, &v, NULL) < 0)
		strbuf_addstr(&sb, numeric);
	else
		bd_money_format(&sb, v, 2, BD_MONEY_GROUPED);
	w = bd_text_width(sb.buf, sb.len);
	for (; w < width; w++)
		strbuf_addch(out, ' ');
	strbuf_addstr(out, sb.buf);
	strbuf_release(&sb);
}

bool
lui_is_amount_column(const char *name)
{
	static const char *const amounts[] = {"debit",	 "credit",	"amount",      "previous",
					      "balance", "total_debit", "total_credit"};
	size_t i;

	for (i = 0; i < sizeof(amounts) / sizeof(*amounts); i++)
		if (!strcmp(name, amounts[i]))
			return true;
	return false;
}

static int
column_width(const struct bd_screen *def, const char *name)
{
	size_t i;

	for (i = 0; def && i < def->ncolumns; i++)
		if (!strcmp(def->columns[i].name, name))
			return def->columns[i].width;
	return 0;
}

static void
display_value(const char *column, const char *v, int width, struct strbuf *out)
{
	size_t n = strlen(v), clen = strlen(column);

	if (lui_is_amount_column(column))
		lui_amount(out, v, width);
	else if (!strcmp(v, "t") || !strcmp(v, "f"))
		strbuf_addstr(out, *v == 't' ? "Y" : "N");
	else if (clen > 3 && !strcmp(column + clen - 3, "_at") && n > 16 && v[10] == ' ')
		strbuf_add(out, v, 16);
	else
		strbuf_addstr(out, v);
}

void
lui_rows_from_result(struct bd_ui_rows *rows, const struct bd_db_result *res,
		     const struct bd_screen *def)
{
	int nr = bd_db_result_rows(res), nc = bd_db_result_cols(res), r, c;
	const char **names = xcalloc((size_t)nc + 1, sizeof(*names));
	char **cells = xcalloc((size_t)nc + 1, sizeof(*cells));
	int *widths = xcalloc((size_t)nc + 1, sizeof(*widths));
	struct strbuf sb = STRBUF_INIT;

	for (c = 0; c < nc; c++) {
		names[c] = bd_db_result_colname(res, c);
		widths[c] = column_width(def, names[c]);
	}
	if (!rows->ncols)
		bd_ui_rows_set_columns(rows, (size_t)nc, names);
	for (r = 0; r < nr; r++) {
		for (c = 0; c < nc; c++) {
			strbuf_reset(&sb);
			display_value(names[c], bd_db_result_get(res, r, c), widths[c], &sb);
			cells[c] = xstrdup(sb.buf);
		}
		bd_ui_rows_add(rows, (const char *const *)cells);
		for (c = 0; c < nc; c++)
			free(cells[c]);
	}
	strbuf_release(&sb);
	free(widths);
	free(cells);
	free(names);
}

/* ---- lists over rows in memory ---------------------------------------- */

void
lui_list_init(struct lui_list *l, struct bd_session *s, const struct bd_screen *def,
	      int (*load)(const struct lui_list *l, struct bd_ui_rows *rows, struct bd_err *err),
	      void *ctx)
{
	l->s = s;
	l->def = def;
	l->load = load;
	l->ctx = ctx;
	bd_ui_rows_init(&l->all);
	l->fresh = false;
}

void
lui_list_release(struct lui_list *l)
{
	bd_ui_rows_release(&l->all);
}

int
lui_list_fetch(void *ctx, const struct bd_ui_list_query *q, size_t offset, size_t limit,
	       struct bd_ui_rows *rows, struct bd_err *err)
{
	struct lui_list *l = ctx;

	if ((offset == 0 && !l->fresh) || !l->all.ncols) {
		struct bd_ui_rows fresh;

		bd_ui_rows_init(&fresh);
		if (l->load(l, &fresh, err) < 0) {
			bd_ui_rows_release(&fresh);
			return -1;
		}
		bd_ui_rows_release(&l->all);
		l->all = fresh;
	}
	l->fresh = false;
	/* Sorted by the first column, rows keep the query's order (reports:
	 * income, its total, expenses, ...). */
	bd_session_rows_page_report(&l->all, l->def, q, offset, limit, rows);
	return 0;
}

/* ---- CSV files -------------------------------------------------------- */

enum bd_ui_action
lui_export_csv(struct bd_session *s, const struct bd_db_result *res, const char *suggest)
{
	struct strbuf path = STRBUF_INIT, csv = STRBUF_INIT;
	enum bd_ui_action act = BD_UI_NONE;
	struct stat st;
	FILE *f = NULL;
	size_t start, end;

	if (!res) {
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "There is no report to write");
		goto cleanup;
	}
	strbuf_addstr(&path, suggest);
	act = bd_ui_prompt(s->ui, "Write the report to CSV file", &path, 200);
	if (act == BD_UI_HANGUP)
		goto cleanup;
	if (act != BD_UI_SELECT) {
		act = BD_UI_NONE;
		goto cleanup;
	}
	act = BD_UI_NONE;
	for (start = 0; start < path.len && path.buf[start] == ' '; start++)
		;
	for (end = path.len; end > start && path.buf[end - 1] == ' '; end--)
		;
	if (end == start) {
		bd_ui_message(s->ui, BD_UI_MSG_INFO, "Nothing written: no file name");
		goto cleanup;
	}
	strbuf_setlen(&path, end);
	if (start) {
		memmove(path.buf, path.buf + start, end - start + 1);
		strbuf_setlen(&path, end - start);
	}
	if (stat(path.buf, &st) == 0) {
		enum bd_ui_action answer;

		if (S_ISDIR(st.st_mode)) {
			bd_ui_message(s->ui, BD_UI_MSG_ERROR, "%s is a directory", path.buf);
			goto cleanup;
		}
		answer = bd_ui_ask(s->ui, "%s exists. Replace it?", path.buf);
		if (answer == BD_UI_HANGUP) {
			act = BD_UI_HANGUP;
			goto cleanup;
		}
		if (answer != BD_UI_SELECT) {
			bd_ui_message(s->ui, BD_UI_MSG_INFO, "Nothing written");
			goto cleanup;
		}
	}
	bd_ledger_csv(&csv, res);
	if (!(f = fopen(path.buf, "w")) || fwrite(csv.buf, 1, csv.len, f) != csv.len) {
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "Cannot write %s: %s", path.buf,
			      strerror(errno));
		goto cleanup;
	}
	if (fclose(f) != 0) {
		f = NULL;
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "Cannot write %s: %s", path.buf,
			      strerror(errno));
		goto cleanup;
	}
	f = NULL;
	{
		/* say where a relative name went */
		char *full = realpath(path.buf, NULL);

		bd_ui_message(s->ui, BD_UI_MSG_INFO, "Wrote %d rows to %s", bd_db_result_rows(res),
			      full ? full : path.buf);
		free(full);
	}
cleanup:
	if (f)
		fclose(f);
	strbuf_release(&csv);
	strbuf_release(&path);
	return act;
}

void
lui_today(char buf[11])
{
	struct bd_date d;

	buf[0] = '\0';
	if (bd_date_today(&d, NULL) == 0)
		bd_date_to_iso(&d, buf);
}

enum bd_ui_action
lui_pass_up(struct bd_session *s, enum bd_ui_action act)
{
	if (act == BD_UI_HANGUP || s->db_broken)
		return BD_UI_HANGUP;
	if (act == BD_UI_MENU || (s->client_lost && s->in_client_screen))
		return BD_UI_MENU;
	return BD_UI_NONE;
}

enum bd_ui_action
lui_list_screen_run(struct bd_session *s, const struct lui_list_screen *ls)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_screen def;
	struct lui_list list;
	struct bd_ui_list_source src = {&list, lui_list_fetch};
	struct bd_ui_list_opts opts = {0};
	struct bd_ui_list_result res;
	struct bd_ui_list_place place = {0};
	enum bd_ui_action act, up = BD_UI_NONE;

	bd_screen_init(&def);
	if (bd_session_load_screen(s, ls->screen, &def, &err) < 0) {
		bd_session_error(s, &err);
		return BD_UI_EXIT;
	}
	lui_list_init(&list, s, &def, ls->load, NULL);
	opts.exits = BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL) | BD_UI_BIT(BD_UI_MENU) |
		     (ls->create ? BD_UI_BIT(BD_UI_CREATE) : 0);
	opts.subtitle = s->client_code;
	opts.labels = ls->labels;
	opts.place = &place;
	bd_ui_list_result_init(&res);
	for (;;) {
		act = bd_ui_list(s->ui, &def, &src, &opts, &res);
		if (act == BD_UI_SELECT)
			act = ls->take(s, &res);
		else if (act == BD_UI_CREATE)
			act = ls->create(s);
		else
			break;
		if ((up = lui_pass_up(s, act)) != BD_UI_NONE)
			break;
	}
	bd_ui_list_result_release(&res);
	lui_list_release(&list);
	bd_screen_release(&def);
	if (up == BD_UI_NONE)
		up = lui_pass_up(s, act);
	return up != BD_UI_NONE ? up : BD_UI_EXIT;
}
