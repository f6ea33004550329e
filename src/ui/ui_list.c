/*
 * The list view (subfile): rows come from the source a page at a time, as
 * the cursor needs them, so the first screen shows after one small fetch.
 *
 *   row 1   title
 *   row 2   option legend: "Type option, press Enter.  2=Edit  4=Void"
 *   row 3   filter, sort column, More.../Bottom
 *   row 4   column headings (with "Opt" first when the list has options)
 *   row 5.. rows, down to the row above the message line
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backdesk/screen.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"
#include "ui_internal.h"

#define LIST_SEARCH_MAX_ROWS 100000

struct list_view {
	const struct bd_screen *def;
	const struct bd_ui_list_source *src;
	const struct bd_ui_list_opts *opts;
	struct bd_ui_rows rows;
	bool at_end;
	int *colmap; /* def column -> rows column, or -1 */
	size_t sel, top;
	int nvis;
	int sort;
	bool has_opts;
	struct strbuf filter, search, opt;
	size_t page_size;
	struct bd_ui_list_place *place; /* opts->place or NULL */
};

static int
first_row_y(void)
{
	return ui_body_top() + 3;
}

static void
map_columns(struct list_view *lv)
{
	size_t i;

	for (i = 0; i < lv->def->ncolumns; i++)
		lv->colmap[i] = bd_ui_rows_col(&lv->rows, lv->def->columns[i].name);
}

static const char *
cell(struct list_view *lv, size_t row, size_t col)
{
	return lv->colmap[col] < 0 ? "" : bd_ui_rows_cell(&lv->rows, row, (size_t)lv->colmap[col]);
}

/* Fetches pages until `need` rows are loaded or the source has no more. */
static void
fetch_until(struct bd_ui *ui, struct list_view *lv, size_t need)
{
	struct bd_ui_list_query q = {lv->filter.buf, lv->sort};

	while (!lv->at_end && lv->rows.nrows < need && !ui->hangup) {
		struct bd_err err = BD_ERR_INIT;
		size_t before = lv->rows.nrows;

		if (lv->src->fetch(lv->src->ctx, &q, before, lv->page_size, &lv->rows, &err) < 0) {
			lv->at_end = true;
			if (!ui->hangup)
				bd_ui_message(ui, BD_UI_MSG_ERROR, "%s", err.msg);
			break;
		}
		if (lv->rows.nrows - before < lv->page_size)
			lv->at_end = true;
		map_columns(lv);
	}
}

static void
refetch(struct bd_ui *ui, struct list_view *lv)
{
	bd_ui_rows_release(&lv->rows);
	lv->at_end = false;
	fetch_until(ui, lv, lv->sel + (size_t)(lv->nvis > 0 ? lv->nvis : 20) + 1);
	if (lv->sel >= lv->rows.nrows)
		lv->sel = lv->rows.nrows ? lv->rows.nrows - 1 : 0;
}

static int
data_x(struct list_view *lv)
{
	return lv->has_opts ? 5 : 1;
}

/* An amount or a number shows whole or not at all (a cut one is misread);
 * text is cut at the screen's edge as at its width. */
static bool
column_shows(const struct bd_list_column *col, int x)
{
	return col->type == BD_COLUMN_TEXT || x + col->width <= COLS;
}

static void
paint_row(struct bd_ui *ui, struct list_view *lv, int i)
{
	size_t r = lv->top + (size_t)i, c;
	int y = first_row_y() + i, x = data_x(lv);
	bool sel = r == lv->sel && r < lv->rows.nrows;
	int attention = bd_ui_rows_col(&lv->rows, "attention");
	bool alert = attention >= 0 && r < lv->rows.nrows &&
		     *bd_ui_rows_cell(&lv->rows, r, (size_t)attention);
	attr_t a = sel ? ui->a_select | (alert ? A_BOLD : 0) : alert ? ui->a_error : A_NORMAL;

	if (lv->has_opts)
		ui_put(stdscr, y, 1, r < lv->rows.nrows ? (sel ? lv->opt.buf : "") : "", 3,
		       r < lv->rows.nrows ? ui->a_field : A_NORMAL, true);
	for (c = 0; c < lv->def->ncolumns; c++) {
		int w = lv->def->columns[c].width;

		if (x >= COLS || !column_shows(&lv->def->columns[c], x))
			break;
		ui_put(stdscr, y, x, r < lv->rows.nrows ? cell(lv, r, c) : "", w, a, true);
		x += w;
		if (c + 1 < lv->def->ncolumns)
			ui_put(stdscr, y, x++, " ", 1, a, false);
	}
	ui_put(stdscr, y, x, "", COLS - x, A_NORMAL, true);
}

static void
place_cursor(struct bd_ui *ui, struct list_view *lv)
{
	ui->cur_y = first_row_y() + (int)(lv->sel - lv->top);
	ui->cur_x = lv->has_opts ? 1 + (int)lv->opt.len : 1;
	ui->want_cursor = lv->has_opts;
}

static void
paint_info(struct bd_ui *ui, struct list_view *lv)
{
	struct strbuf left = STRBUF_INIT, right = STRBUF_INIT;
	int y = ui_body_top() + 1, rw;

	if (lv->filter.len)
		strbuf_addf(&left, "Filter: %s", lv->filter.buf);
	if (lv->search.len)
		strbuf_addf(&left, "%sSearch: %s%s", left.len ? "  " : "", lv->search.buf,
			    lv->has_opts ? "  (an option code ends it)" : "");
	if (lv->def->ncolumns)
		strbuf_addf(&right, "Sorted by %s  ", lv->def->columns[lv->sort].heading);
	if (!lv->rows.nrows)
		strbuf_addstr(&right, "(no rows)");
	else
		strbuf_addstr(&right, lv->at_end && lv->top + (size_t)lv->nvis >= lv->rows.nrows
					  ? "Bottom"
					  : "More...");
	rw = bd_text_width(right.buf, right.len);
	ui_put(stdscr, y, 1, left.buf, UI_MIN_COLS - 2 - rw, ui->a_info, true);
	ui_put(stdscr, y, UI_MIN_COLS - 1 - rw, right.buf, rw, ui->a_info, false);
	strbuf_release(&left);
	strbuf_release(&right);
}

static void
adjust_top(struct list_view *lv)
{
	if (lv->sel < lv->top)
		lv->top = lv->sel;
	if (lv->nvis > 0 && lv->sel >= lv->top + (size_t)lv->nvis)
		lv->top = lv->sel - (size_t)lv->nvis + 1;
}

#define LIST_NOTE_MAX_LINES 4

/* The note's lines (opts->note), at most LIST_NOTE_MAX_LINES and as many
 * as leave three rows: their starts in line[], their lengths in len[]. */
static int
note_lines(const struct list_view *lv, int rows, const char *line[], size_t len[])
{
	const char *p = lv->opts && lv->opts->note && *lv->opts->note ? *lv->opts->note : "";
	int n = 0;

	while (*p && n < LIST_NOTE_MAX_LINES && rows - n > 3) {
		line[n] = p;
		len[n] = strcspn(p, "\n");
		p += len[n];
		if (*p)
			p++;
		n++;
	}
	return n;
}

static void
paint_rows(struct bd_ui *ui, struct list_view *lv)
{
	const char *line[LIST_NOTE_MAX_LINES];
	size_t len[LIST_NOTE_MAX_LINES];
	int i, rows = ui_body_bottom() - first_row_y() + 1;
	int nnote = note_lines(lv, rows, line, len);

	lv->nvis = rows - nnote > 0 ? rows - nnote : 1;
	adjust_top(lv);
	for (i = 0; i < lv->nvis; i++)
		paint_row(ui, lv, i);
	for (i = 0; i < nnote; i++)
		ui_putn(stdscr, first_row_y() + lv->nvis + i, 1, line[i], len[i], COLS - 2,
			i ? A_NORMAL : ui->a_error, true);
	paint_info(ui, lv);
	place_cursor(ui, lv);
}

static void
paint_list(struct bd_ui *ui, void *ctx)
{
	struct list_view *lv = ctx;
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int x;

	lv->nvis = ui_body_bottom() - first_row_y() + 1;
	if (lv->nvis < 1)
		lv->nvis = 1;
	if (lv->has_opts) {
		strbuf_addstr(&sb, "Type option, press Enter.");
		for (i = 0; i < lv->def->noptions; i++)
			strbuf_addf(&sb, "  %s=%s", lv->def->options[i].code,
				    lv->def->options[i].label);
	}
	ui_put(stdscr, ui_body_top(), 1, sb.buf, COLS - 2, A_NORMAL, true);
	x = data_x(lv);
	if (lv->has_opts)
		ui_put(stdscr, first_row_y() - 1, 1, "Opt", 3, ui->a_heading, false);
	for (i = 0; i < lv->def->ncolumns; i++) {
		int w = lv->def->columns[i].width;

		if (!column_shows(&lv->def->columns[i], x))
			break;
		ui_put(stdscr, first_row_y() - 1, x, lv->def->columns[i].heading, w, ui->a_heading,
		       false);
		x += w + 1;
	}
	strbuf_release(&sb);
	paint_rows(ui, lv);
}

static bool
is_option_char(struct list_view *lv, int ch)
{
	size_t i;

	for (i = 0; i < lv->def->noptions; i++)
		if (strchr(lv->def->options[i].code, ch))
			return true;
	return false;
}

static bool
valid_option(struct list_view *lv, const char *code)
{
	size_t i;

	for (i = 0; i < lv->def->noptions; i++)
		if (!strcmp(lv->def->options[i].code, code))
			return true;
	return false;
}

/* Moves to the first row whose sort column starts with the search; false
 * (the selection unchanged) when none does. */
static bool
do_search(struct bd_ui *ui, struct list_view *lv)
{
	size_t r = 0;

	if (!lv->search.len || !lv->def->ncolumns)
		return true;
	for (;;) {
		for (; r < lv->rows.nrows; r++)
			if (!strncasecmp(cell(lv, r, (size_t)lv->sort), lv->search.buf,
					 lv->search.len)) {
				lv->sel = r;
				return true;
			}
		if (lv->at_end || lv->rows.nrows >= LIST_SEARCH_MAX_ROWS || ui->hangup)
			break;
		fetch_until(ui, lv, lv->rows.nrows + lv->page_size);
	}
	return false;
}

/* A list's remembered place (see struct bd_ui), or NULL. */
static struct bd_ui_list_place *
memo_find(struct bd_ui *ui, const char *name, bool add)
{
	int i;

	for (i = 0; i < ui->nlist_memo; i++)
		if (!strcmp(ui->list_memo[i].name, name))
			return &ui->list_memo[i].place;
	if (!add)
		return NULL;
	if (ui->nlist_memo == (int)(sizeof(ui->list_memo) / sizeof(ui->list_memo[0]))) {
		free(ui->list_memo[0].name);
		memmove(ui->list_memo, ui->list_memo + 1,
			(size_t)(ui->nlist_memo - 1) * sizeof(ui->list_memo[0]));
		ui->nlist_memo--;
	}
	i = ui->nlist_memo++;
	ui->list_memo[i].name = xstrdup(name);
	memset(&ui->list_memo[i].place, 0, sizeof(ui->list_memo[i].place));
	return &ui->list_memo[i].place;
}

void
ui_list_forget(struct bd_ui *ui)
{
	int i;

	for (i = 0; i < ui->nlist_memo; i++)
		free(ui->list_memo[i].name);
	ui->nlist_memo = 0;
}

static void
move_to(struct bd_ui *ui, struct list_view *lv, size_t row)
{
	if (row >= lv->rows.nrows)
		fetch_until(ui, lv, row + 1);
	if (row >= lv->rows.nrows)
		row = lv->rows.nrows ? lv->rows.nrows - 1 : 0;
	if (row != lv->sel)
		strbuf_reset(&lv->opt);
	lv->sel = row;
	/* keep one page ahead loaded, so More.../Bottom is right */
	fetch_until(ui, lv, lv->top + 2 * (size_t)lv->nvis + 1);
}

void
bd_ui_list_result_init(struct bd_ui_list_result *out)
{
	memset(out, 0, sizeof(*out));
	bd_ui_rows_init(&out->row);
}

void
bd_ui_list_result_release(struct bd_ui_list_result *out)
{
	bd_ui_rows_release(&out->row);
	bd_ui_list_result_init(out);
}

static void
take_row(struct list_view *lv, struct bd_ui_list_result *out)
{
	snprintf(out->option, sizeof(out->option), "%s", lv->opt.buf);
	out->index = lv->sel;
	bd_ui_rows_set_columns(&out->row, lv->rows.ncols, (const char *const *)lv->rows.names);
	bd_ui_rows_add(&out->row, (const char *const *)lv->rows.cells + lv->sel * lv->rows.ncols);
}

enum bd_ui_action
bd_ui_list(struct bd_ui *ui, const struct bd_screen *def, const struct bd_ui_list_source *src,
	   const struct bd_ui_list_opts *opts, struct bd_ui_list_result *out)
{
	struct list_view lv;
	struct strbuf keys = STRBUF_INIT;
	enum bd_ui_action result = BD_UI_HANGUP;
	unsigned long long exits =
	    opts && opts->exits ? opts->exits : BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL);

	bd_ui_list_result_release(out);
	memset(&lv, 0, sizeof(lv));
	lv.def = def;
	lv.src = src;
	lv.opts = opts;
	bd_ui_rows_init(&lv.rows);
	lv.colmap = xcalloc(def->ncolumns ? def->ncolumns : 1, sizeof(int));
	lv.has_opts = def->noptions > 0;
	lv.page_size = opts && opts->page_size ? opts->page_size : 100;
	strbuf_init(&lv.filter, 0);
	strbuf_init(&lv.search, 0);
	strbuf_init(&lv.opt, 0);
	lv.nvis = ui_body_bottom() - first_row_y() + 1;

	ui_keyline_for(ui, BD_KEYMAP_LIST,
		       exits | BD_UI_BIT(BD_UI_FILTER) | BD_UI_BIT(BD_UI_SORT) |
			   BD_UI_BIT(BD_UI_REFRESH),
		       opts ? opts->labels : NULL, &keys);
	ui_push_view(ui, paint_list, &lv, opts && opts->title ? opts->title : def->title, keys.buf);
	ui_set_subtitle(ui, opts ? opts->subtitle : NULL);
	if (opts && opts->place)
		lv.place = opts->place;
	else if (def->name && *def->name)
		lv.place = memo_find(ui, def->name, true);
	if (lv.place) {
		strbuf_addstr(&lv.filter, lv.place->filter);
		if (lv.place->sort >= 0 && (size_t)lv.place->sort < def->ncolumns)
			lv.sort = lv.place->sort;
		lv.sel = lv.place->sel;
		lv.top = lv.place->top <= lv.sel ? lv.place->top : lv.sel;
	}
	ui_repaint(ui, false);
	fetch_until(ui, &lv, (size_t)lv.nvis * 2 + 1 + lv.sel);
	if (lv.sel >= lv.rows.nrows)
		lv.sel = lv.rows.nrows ? lv.rows.nrows - 1 : 0;
	paint_rows(ui, &lv);

	for (;;) {
		int key = ui_getkey(ui), ch = 0;
		enum bd_ui_action a = BD_UI_NONE;
		size_t page = lv.nvis > 0 ? (size_t)lv.nvis : 1;

		if (ui->hangup)
			goto cleanup;
		if (!key) {
			a = ui->requested;
			ui->requested = BD_UI_NONE;
		} else if (ui_key_is_char(key)) {
			ch = key;
		} else {
			a = bd_keymap_action(&ui->km, BD_KEYMAP_LIST, key);
		}
		if (ch) {
			/* Option codes go to the Opt column. While a search is being
			 * typed, a character extends it when the longer search still
			 * finds a row; an option code that does not ends the search
			 * and goes to the Opt column ("clerk3" then 8: option 8 on
			 * clerk3). */
			bool option = lv.has_opts && ch < 0x80 && is_option_char(&lv, ch);

			if (option && lv.search.len && !lv.opt.len) {
				size_t keep = lv.search.len, sel = lv.sel;

				strbuf_addch(&lv.search, (char)ch);
				if (do_search(ui, &lv)) {
					paint_rows(ui, &lv);
					continue;
				}
				strbuf_setlen(&lv.search, keep);
				lv.sel = sel;
				strbuf_reset(&lv.search);
			}
			if (option && !lv.search.len) {
				if (lv.opt.len < 3 && lv.rows.nrows)
					strbuf_addch(&lv.opt, ch);
				else
					ui_beep(ui);
			} else {
				char enc[4];

				strbuf_add(&lv.search, enc, bd_utf8_encode((uint32_t)ch, enc));
				strbuf_reset(&lv.opt);
				if (!do_search(ui, &lv))
					ui_beep(ui);
			}
			paint_rows(ui, &lv);
			continue;
		}
		if (a != BD_UI_BACKSPACE && a != BD_UI_NONE)
			strbuf_reset(&lv.search);
		switch (a) {
		case BD_UI_NONE:
			if (key)
				ui_beep(ui);
			break;
		case BD_UI_ENTER:
			if (!lv.rows.nrows) {
				ui_beep(ui);
				break;
			}
			if (lv.opt.len && !valid_option(&lv, lv.opt.buf)) {
				bd_ui_message(ui, BD_UI_MSG_ERROR, "Option %s is not valid here",
					      lv.opt.buf);
				strbuf_reset(&lv.opt);
				break;
			}
			take_row(&lv, out);
			result = BD_UI_SELECT;
			goto cleanup;
		case BD_UI_UP:
		case BD_UI_PREV:
			if (lv.sel)
				move_to(ui, &lv, lv.sel - 1);
			break;
		case BD_UI_DOWN:
		case BD_UI_NEXT:
			move_to(ui, &lv, lv.sel + 1);
			break;
		case BD_UI_PAGE_UP:
			lv.top = lv.top > page ? lv.top - page : 0;
			move_to(ui, &lv, lv.sel > page ? lv.sel - page : 0);
			break;
		case BD_UI_PAGE_DOWN:
			fetch_until(ui, &lv, lv.top + 2 * page + 1);
			if (lv.top + page < lv.rows.nrows) {
				lv.top += page;
				move_to(ui, &lv, lv.sel + page);
			} else {
				move_to(ui, &lv, lv.rows.nrows);
				bd_ui_message(ui, BD_UI_MSG_INFO, "Bottom of the list");
			}
			break;
		case BD_UI_HOME:
			move_to(ui, &lv, 0);
			break;
		case BD_UI_END:
			fetch_until(ui, &lv, (size_t)-1);
			move_to(ui, &lv, lv.rows.nrows);
			break;
		case BD_UI_BACKSPACE:
			if (lv.opt.len) {
				strbuf_setlen(&lv.opt, lv.opt.len - 1);
			} else if (lv.search.len) {
				while (lv.search.len &&
				       (lv.search.buf[lv.search.len - 1] & 0xC0) == 0x80)
					strbuf_setlen(&lv.search, lv.search.len - 1);
				if (lv.search.len)
					strbuf_setlen(&lv.search, lv.search.len - 1);
				if (!do_search(ui, &lv))
					ui_beep(ui);
			}
			break;
		case BD_UI_REFRESH:
			refetch(ui, &lv);
			break;
		case BD_UI_FILTER:
			if (bd_ui_prompt(ui, "Filter", &lv.filter, 40) == BD_UI_SELECT) {
				lv.sel = lv.top = 0;
				refetch(ui, &lv);
			}
			break;
		case BD_UI_SORT:
			if (lv.def->ncolumns) {
				lv.sort = (lv.sort + 1) % (int)lv.def->ncolumns;
				lv.sel = lv.top = 0;
				refetch(ui, &lv);
			}
			break;
		case BD_UI_HELP: {
			static const struct bd_ui_label words[] = {
			    {BD_UI_ENTER, "Take the row (and the option typed beside it)"},
			    {BD_UI_UP, "Row above"},
			    {BD_UI_DOWN, "Row below"},
			    {BD_UI_PREV, "Row above"},
			    {BD_UI_NEXT, "Row below"},
			    {BD_UI_HOME, "First row"},
			    {BD_UI_END, "Last row"},
			    {BD_UI_BACKSPACE, "Rub out the last character of the option or search"},
			    {BD_UI_NONE, NULL},
			};

			ui_help(ui, BD_KEYMAP_LIST,
				exits | BD_UI_BIT(BD_UI_FILTER) | BD_UI_BIT(BD_UI_SORT) |
				    BD_UI_BIT(BD_UI_REFRESH) | BD_UI_BIT(BD_UI_ENTER) |
				    BD_UI_BIT(BD_UI_UP) | BD_UI_BIT(BD_UI_DOWN) |
				    BD_UI_BIT(BD_UI_PREV) | BD_UI_BIT(BD_UI_NEXT) |
				    BD_UI_BIT(BD_UI_PAGE_UP) | BD_UI_BIT(BD_UI_PAGE_DOWN) |
				    BD_UI_BIT(BD_UI_HOME) | BD_UI_BIT(BD_UI_END) |
				    BD_UI_BIT(BD_UI_BACKSPACE),
				words, lv.def->title, lv.def->help, NULL, NULL);
			break;
		}
		case BD_UI_REDRAW:
			ui_repaint(ui, true);
			break;
		case BD_UI_SUSPEND:
			ui_suspend(ui);
			break;
		default:
			if (exits & BD_UI_BIT(a)) {
				if (lv.rows.nrows)
					take_row(&lv, out);
				result = a;
				goto cleanup;
			}
			if (key) {
				struct strbuf label = STRBUF_INIT;

				ui_key_label(ui, BD_KEYMAP_LIST, a, &label);
				bd_ui_message(ui, BD_UI_MSG_ERROR, "%s is not available here",
					      label.buf);
				strbuf_release(&label);
			}
			break;
		}
		if (ui->hangup)
			goto cleanup;
		paint_rows(ui, &lv);
	}
cleanup:
	/* Found again: lists opened meanwhile may have moved the memo. */
	if (lv.place && !(opts && opts->place))
		lv.place = memo_find(ui, def->name, true);
	if (lv.place) {
		lv.place->sel = lv.sel;
		lv.place->top = lv.top;
		lv.place->sort = lv.sort;
		snprintf(lv.place->filter, sizeof(lv.place->filter), "%s", lv.filter.buf);
	}
	ui_pop_view(ui);
	bd_ui_rows_release(&lv.rows);
	free(lv.colmap);
	strbuf_release(&lv.filter);
	strbuf_release(&lv.search);
	strbuf_release(&lv.opt);
	strbuf_release(&keys);
	return result;
}
