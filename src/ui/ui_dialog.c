/*
 * Menus, popups and dialogs: the numbered menu, the row picker (lookups,
 * bd_ui_choose), Y/N confirmation, one-line prompts, help and text pages.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backdesk/field.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"
#include "ui_internal.h"

/* Reads the next key and turns it into an action for `ctx`; characters come
 * back in *ch with BD_UI_NONE. BD_UI_HANGUP on hangup; requests are taken. */
static enum bd_ui_action
next_action(struct bd_ui *ui, enum bd_keymap_context ctx, int *ch)
{
	int key;

	/* A live list's refetch (the queue board) is not for a dialog over it:
	 * dropped without a beep; the board asks again until its list reads. */
	while (!(key = ui_getkey(ui)) && !ui->hangup && ui->requested == BD_UI_REFRESH)
		ui->requested = BD_UI_NONE;
	*ch = 0;
	if (ui->hangup)
		return BD_UI_HANGUP;
	if (!key) {
		enum bd_ui_action a = ui->requested;

		ui->requested = BD_UI_NONE;
		return a;
	}
	if (ui_key_is_char(key)) {
		*ch = key;
		return BD_UI_NONE;
	}
	return bd_keymap_action(&ui->km, ctx, key);
}

/* --- scrolling text in a popup or a full screen ---------------------------- */

struct text_view {
	struct ui_popup pop; /* win NULL: full screen */
	const char *title;
	char **lines;
	size_t n, top;
	int rows;
};

static void
paint_text(struct bd_ui *ui, void *ctx)
{
	struct text_view *tv = ctx;
	WINDOW *w;
	int y0, x0, width, i;

	if (tv->pop.win || tv->pop.h) {
		int h = (int)tv->n + 2, wd = 0;
		size_t k;

		for (k = 0; k < tv->n; k++) {
			int lw = bd_text_width(tv->lines[k], strlen(tv->lines[k]));

			if (lw > wd)
				wd = lw;
		}
		ui_popup_open(ui, &tv->pop, h, wd + 4 < 40 ? 40 : wd + 4, tv->title);
		w = tv->pop.win;
		y0 = 1;
		x0 = 2;
		width = tv->pop.w - 4;
		tv->rows = tv->pop.h - 2;
	} else {
		w = stdscr;
		y0 = ui_body_top();
		x0 = 1;
		width = COLS - 2;
		tv->rows = ui_body_bottom() - ui_body_top() + 1;
		for (i = 0; i < tv->rows; i++) {
			wmove(w, y0 + i, 0);
			wclrtoeol(w);
		}
	}
	if (tv->top + (size_t)tv->rows > tv->n)
		tv->top = tv->n > (size_t)tv->rows ? tv->n - (size_t)tv->rows : 0;
	for (i = 0; i < tv->rows; i++) {
		size_t k = tv->top + (size_t)i;

		ui_put(w, y0 + i, x0, k < tv->n ? tv->lines[k] : "", width, A_NORMAL, true);
	}
	if (tv->n > (size_t)tv->rows)
		ui_put(w, y0 + tv->rows - (tv->pop.win ? 0 : 1), x0 + width - 8,
		       tv->top + (size_t)tv->rows < tv->n ? "More..." : "Bottom", 8, ui->a_info,
		       true);
	ui->want_cursor = false;
}

/* Exit and cancel end it too, unless `only_exits`: then just `exits` do. */
static enum bd_ui_action
run_text(struct bd_ui *ui, struct text_view *tv, enum bd_keymap_context ctx,
	 unsigned long long exits, bool any_key_closes, bool only_exits)
{
	for (;;) {
		int ch;
		enum bd_ui_action a = next_action(ui, ctx, &ch);
		size_t page = tv->rows > 1 ? (size_t)tv->rows - 1 : 1;

		switch (a) {
		case BD_UI_HANGUP:
			return a;
		case BD_UI_UP:
			if (tv->top)
				tv->top--;
			break;
		case BD_UI_DOWN:
			if (tv->top + (size_t)tv->rows < tv->n)
				tv->top++;
			break;
		case BD_UI_PAGE_UP:
			tv->top = tv->top > page ? tv->top - page : 0;
			break;
		case BD_UI_PAGE_DOWN:
			if (tv->top + (size_t)tv->rows < tv->n)
				tv->top += page;
			break;
		case BD_UI_HOME:
			tv->top = 0;
			break;
		case BD_UI_END:
			tv->top = tv->n;
			break;
		case BD_UI_REDRAW:
			ui_repaint(ui, true);
			continue;
		case BD_UI_EXIT:
		case BD_UI_CANCEL:
			if (!only_exits)
				return a;
			/* fall through */
		default:
			if (a != BD_UI_NONE && (exits & BD_UI_BIT(a)))
				return a;
			if (any_key_closes)
				return BD_UI_CANCEL;
			if (a != BD_UI_NONE || ch)
				ui_beep(ui);
			continue;
		}
		paint_text(ui, tv);
	}
}

void
ui_help(struct bd_ui *ui, enum bd_keymap_context ctx, unsigned long long works,
	const struct bd_ui_label *words, const char *title, const char *screen_help,
	const char *field_title, const char *field_help)
{
	struct text_view tv;
	size_t alloc = 0;
	int key;
	const int width = 64;
	unsigned long long done = 0;

	memset(&tv, 0, sizeof(tv));
	tv.title = "Help";
	tv.pop.h = 1; /* popup */
	works |= BD_UI_BIT(BD_UI_HELP) | BD_UI_BIT(BD_UI_REDRAW) | BD_UI_BIT(BD_UI_SUSPEND);
	if (ui->msg_cut.len) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "Message: %s\n", ui->msg_cut.buf);
		ui_wrap(sb.buf, width, &tv.lines, &tv.n, &alloc);
		strbuf_release(&sb);
	}
	if (title && *title)
		ui_wrap(title, width, &tv.lines, &tv.n, &alloc);
	if (screen_help && *screen_help)
		ui_wrap(screen_help, width, &tv.lines, &tv.n, &alloc);
	if (field_title) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "\n%s: %s", field_title,
			    field_help && *field_help ? field_help : "no help for this field.");
		ui_wrap(sb.buf, width, &tv.lines, &tv.n, &alloc);
		strbuf_release(&sb);
	}
	ui_wrap("\nKeys on this screen:", width, &tv.lines, &tv.n, &alloc);
	/* One line per action that works here, with every key bound to it. */
	for (key = BD_KEY_SPECIAL + 1; key < BD_KEY_END_OF_KEYS; key++) {
		enum bd_ui_action a = bd_keymap_action(&ui->km, ctx, key);
		struct strbuf sb = STRBUF_INIT, names = STRBUF_INIT;
		const struct bd_ui_label *w;
		int k2;

		if (a == BD_UI_NONE || !(works & BD_UI_BIT(a)) || (done & BD_UI_BIT(a)))
			continue;
		done |= BD_UI_BIT(a);
		for (k2 = key; k2 < BD_KEY_END_OF_KEYS; k2++)
			if (bd_keymap_action(&ui->km, ctx, k2) == a)
				strbuf_addf(&names, "%s%s", names.len ? "/" : "", bd_key_name(k2));
		for (w = words; w && w->label && w->action != a; w++)
			;
		strbuf_addf(&sb, "%-14s %s", names.buf,
			    w && w->label ? w->label : bd_ui_action_help(a));
		ui_wrap(sb.buf, width, &tv.lines, &tv.n, &alloc);
		strbuf_release(&names);
		strbuf_release(&sb);
	}
	if (ctx == BD_KEYMAP_FORM)
		ui_wrap("The first character typed into a field replaces its value; Left, Right, "
			"Home or End first to change part of it.",
			width, &tv.lines, &tv.n, &alloc);
	ui_wrap("Esc then a digit is that function key (Esc 0 = F10, Esc - = F11, Esc = = F12); "
		"Esc alone is Esc after half a second.",
		width, &tv.lines, &tv.n, &alloc);
	ui_push_view(ui, paint_text, &tv, NULL, "Up/Down/PgUp/PgDn scroll, other keys close");
	paint_text(ui, &tv);
	run_text(ui, &tv, BD_KEYMAP_LIST, 0, true, false); /* as its key line says */
	ui_popup_close(&tv.pop);
	ui_pop_view(ui);
	ui_lines_free(tv.lines, tv.n);
	ui_repaint(ui, false);
}

/*
 * A full-screen text page until one of `exits` (and, unless `only_exits`,
 * exit or cancel). The key line names what ends it, in the words of
 * `labels`, with the paging keys when there is more than a screen to page.
 */
static enum bd_ui_action
view_text(struct bd_ui *ui, const char *title, const char *text, unsigned long long exits,
	  const struct bd_ui_label *labels, bool only_exits)
{
	struct text_view tv;
	struct strbuf keys = STRBUF_INIT;
	size_t alloc = 0;
	unsigned long long shown = exits;
	enum bd_ui_action a;

	memset(&tv, 0, sizeof(tv));
	tv.title = title;
	ui_wrap(text, COLS - 2, &tv.lines, &tv.n, &alloc);
	if (tv.n > (size_t)(ui_body_bottom() - ui_body_top() + 1))
		shown |= BD_UI_BIT(BD_UI_PAGE_UP) | BD_UI_BIT(BD_UI_PAGE_DOWN);
	if (only_exits)
		ui_keyline_only(ui, BD_KEYMAP_LIST, shown, labels, &keys);
	else
		ui_keyline_for(ui, BD_KEYMAP_LIST,
			       shown | BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL), labels,
			       &keys);
	ui_push_view(ui, paint_text, &tv, title ? title : "", keys.buf); /* full screen */
	ui_repaint(ui, false);
	a = run_text(ui, &tv, BD_KEYMAP_LIST, exits, false, only_exits);
	ui_pop_view(ui);
	ui_lines_free(tv.lines, tv.n);
	strbuf_release(&keys);
	return a;
}

enum bd_ui_action
bd_ui_view_text(struct bd_ui *ui, const char *title, const char *text, unsigned long long exits)
{
	return view_text(ui, title, text, exits, NULL, false);
}

enum bd_ui_action
bd_ui_view_text_only(struct bd_ui *ui, const char *title, const char *text,
		     unsigned long long exits, const struct bd_ui_label *labels)
{
	return view_text(ui, title, text, exits, labels, true);
}

/* --- the row picker --------------------------------------------------------- */

struct pick_view {
	struct ui_popup pop;
	const char *title;
	const struct bd_ui_rows *rows;
	size_t sel, top;
	int w0, width, nvis;
	struct strbuf search;
};

static void
paint_pick(struct bd_ui *ui, void *ctx)
{
	struct pick_view *pv = ctx;
	int body = ui_body_bottom() - ui_body_top() + 1;
	int h = (int)pv->rows->nrows + 2, i;

	if (h > body)
		h = body;
	if (h < 3)
		h = 3;
	ui_popup_open(ui, &pv->pop, h, pv->width + 4, pv->title);
	pv->nvis = pv->pop.h - 2;
	if (pv->sel < pv->top)
		pv->top = pv->sel;
	if (pv->sel >= pv->top + (size_t)pv->nvis)
		pv->top = pv->sel - (size_t)pv->nvis + 1;
	for (i = 0; i < pv->nvis; i++) {
		size_t r = pv->top + (size_t)i, c;
		attr_t a = r == pv->sel ? ui->a_select : A_NORMAL;
		struct strbuf line = STRBUF_INIT;
		int x;

		if (r < pv->rows->nrows) {
			x = ui_put(pv->pop.win, 1 + i, 2, bd_ui_rows_cell(pv->rows, r, 0), pv->w0,
				   a, true);
			(void)x;
			for (c = 1; c < pv->rows->ncols; c++)
				strbuf_addf(&line, "  %s", bd_ui_rows_cell(pv->rows, r, c));
			ui_put(pv->pop.win, 1 + i, 2 + pv->w0, line.buf, pv->width - pv->w0, a,
			       true);
		} else {
			ui_put(pv->pop.win, 1 + i, 2, "", pv->width, A_NORMAL, true);
		}
		strbuf_release(&line);
	}
	if (pv->rows->nrows > (size_t)pv->nvis) {
		/* Rows beyond the popup: where the view stands, and whether more lie
		 * below, on the bottom border. */
		struct strbuf sb = STRBUF_INIT;
		size_t last = pv->top + (size_t)pv->nvis;

		strbuf_addf(&sb, " %zu-%zu of %zu %s ", pv->top + 1, last, pv->rows->nrows,
			    last < pv->rows->nrows ? "More..." : "Bottom");
		ui_put(pv->pop.win, pv->pop.h - 1, pv->pop.w - 2 - (int)sb.len, sb.buf, (int)sb.len,
		       ui->a_info, false);
		strbuf_release(&sb);
	}
	if (pv->search.len) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, " Search: %s ", pv->search.buf);
		ui_put(pv->pop.win, pv->pop.h - 1, 2, sb.buf, pv->pop.w / 2 - 2, ui->a_info, false);
		strbuf_release(&sb);
	}
	wmove(pv->pop.win, 1 + (int)(pv->sel - pv->top), 2);
	ui->want_cursor = false;
}

static bool
starts_with_ci(const char *s, const char *prefix)
{
	return !strncasecmp(s, prefix, strlen(prefix));
}

/* Does a word of `s` (after a space or punctuation) start with `prefix`? */
static bool
word_starts_with_ci(const char *s, const char *prefix)
{
	const char *p;

	for (p = s; *p; p++)
		if ((p == s || strchr(" \t-/,.;:()", p[-1])) && starts_with_ci(p, prefix))
			return true;
	return false;
}

/* The row the typed search names: the first whose value (first column)
 * starts with it, else the first with a word in any column starting with
 * it ("rent" finds "5300  Rent"). nrows when none. */
static size_t
pick_search(const struct bd_ui_rows *rows, const char *search)
{
	size_t r, c;

	for (r = 0; r < rows->nrows; r++)
		if (starts_with_ci(bd_ui_rows_cell(rows, r, 0), search))
			return r;
	for (r = 0; r < rows->nrows; r++)
		for (c = 0; c < rows->ncols; c++)
			if (word_starts_with_ci(bd_ui_rows_cell(rows, r, c), search))
				return r;
	return rows->nrows;
}

enum bd_ui_action
ui_pick(struct bd_ui *ui, const char *title, const struct bd_ui_rows *rows, size_t *choice)
{
	struct pick_view pv;
	struct strbuf keys = STRBUF_INIT;
	enum bd_ui_action result = BD_UI_CANCEL;
	size_t r, c;
	bool cursor = ui->want_cursor;

	memset(&pv, 0, sizeof(pv));
	strbuf_init(&pv.search, 0);
	pv.title = title;
	pv.rows = rows;
	for (r = 0; r < rows->nrows; r++) {
		const char *v = bd_ui_rows_cell(rows, r, 0);
		int w0 = bd_text_width(v, strlen(v)), rest = 0;

		if (w0 > pv.w0)
			pv.w0 = w0;
		for (c = 1; c < rows->ncols; c++) {
			v = bd_ui_rows_cell(rows, r, c);
			rest += 2 + bd_text_width(v, strlen(v));
		}
		if (rest > pv.width)
			pv.width = rest;
	}
	/* A code column leaves room for its description; a lone column (the
	 * items of bd_ui_choose) gets the whole popup. */
	if (rows->ncols > 1 && pv.w0 > 30)
		pv.w0 = 30;
	pv.width += pv.w0;
	if (pv.width < 24)
		pv.width = 24;
	if (pv.width > 72)
		pv.width = 72;
	if (pv.w0 > pv.width)
		pv.w0 = pv.width;
	strbuf_addstr(&keys, "Enter=Select");
	ui_keyline_for(ui, BD_KEYMAP_LIST, BD_UI_BIT(BD_UI_CANCEL), NULL, &keys);
	strbuf_addstr(&keys, "  Type to search");
	ui_push_view(ui, paint_pick, &pv, NULL, keys.buf);
	paint_pick(ui, &pv);
	for (;;) {
		int ch;
		enum bd_ui_action a = next_action(ui, BD_KEYMAP_LIST, &ch);
		size_t page = pv.nvis > 1 ? (size_t)pv.nvis - 1 : 1;

		if (a == BD_UI_NONE && ch) {
			char enc[4];
			size_t n = bd_utf8_encode((uint32_t)ch, enc);

			strbuf_add(&pv.search, enc, n);
			r = pick_search(rows, pv.search.buf);
			if (r < rows->nrows) {
				pv.sel = r;
			} else {
				/* nothing has it: the key is not kept, so the search
				 * shown is still one that finds a row */
				strbuf_setlen(&pv.search, pv.search.len - n);
				ui_beep(ui);
			}
			paint_pick(ui, &pv);
			continue;
		}
		switch (a) {
		case BD_UI_HANGUP:
			result = a;
			goto cleanup;
		case BD_UI_ENTER:
			if (!rows->nrows)
				break;
			*choice = pv.sel;
			result = BD_UI_SELECT;
			goto cleanup;
		case BD_UI_EXIT:
		case BD_UI_CANCEL:
			result = a;
			goto cleanup;
		case BD_UI_UP:
			if (pv.sel)
				pv.sel--;
			break;
		case BD_UI_DOWN:
			if (pv.sel + 1 < rows->nrows)
				pv.sel++;
			break;
		case BD_UI_PAGE_UP:
			pv.sel = pv.sel > page ? pv.sel - page : 0;
			break;
		case BD_UI_PAGE_DOWN:
			pv.sel += page;
			if (pv.sel >= rows->nrows)
				pv.sel = rows->nrows ? rows->nrows - 1 : 0;
			break;
		case BD_UI_HOME:
			pv.sel = 0;
			break;
		case BD_UI_END:
			pv.sel = rows->nrows ? rows->nrows - 1 : 0;
			break;
		case BD_UI_BACKSPACE:
			while (pv.search.len && (pv.search.buf[pv.search.len - 1] & 0xC0) == 0x80)
				strbuf_setlen(&pv.search, pv.search.len - 1);
			if (pv.search.len)
				strbuf_setlen(&pv.search, pv.search.len - 1);
			break;
		case BD_UI_HELP: {
			static const struct bd_ui_label words[] = {
			    {BD_UI_ENTER, "Take the highlighted row"},
			    {BD_UI_UP, "Row above"},
			    {BD_UI_DOWN, "Row below"},
			    {BD_UI_HOME, "First row"},
			    {BD_UI_END, "Last row"},
			    {BD_UI_BACKSPACE, "Rub out the last character of the search"},
			    {BD_UI_NONE, NULL},
			};

			ui_help(ui, BD_KEYMAP_LIST,
				BD_UI_BIT(BD_UI_ENTER) | BD_UI_BIT(BD_UI_CANCEL) |
				    BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_UP) |
				    BD_UI_BIT(BD_UI_DOWN) | BD_UI_BIT(BD_UI_PAGE_UP) |
				    BD_UI_BIT(BD_UI_PAGE_DOWN) | BD_UI_BIT(BD_UI_HOME) |
				    BD_UI_BIT(BD_UI_END) | BD_UI_BIT(BD_UI_BACKSPACE),
				words, title,
				"Type to search: the first row whose code starts with what you "
				"type, else the first with a word starting with it (\"rent\" "
				"finds 5300 Rent).",
				NULL, NULL);
			break;
		}
		case BD_UI_REDRAW:
			ui_repaint(ui, true);
			break;
		default:
			ui_beep(ui);
			break;
		}
		paint_pick(ui, &pv);
	}
cleanup:
	ui_popup_close(&pv.pop);
	ui_pop_view(ui);
	ui->want_cursor = cursor;
	strbuf_release(&pv.search);
	strbuf_release(&keys);
	return result;
}

enum bd_ui_action
bd_ui_choose(struct bd_ui *ui, const char *title, const char *const *items, size_t n,
	     size_t *choice)
{
	struct bd_ui_rows rows;
	const char *name = "item";
	enum bd_ui_action a;
	size_t i;

	bd_ui_rows_init(&rows);
	bd_ui_rows_set_columns(&rows, 1, &name);
	for (i = 0; i < n; i++)
		bd_ui_rows_add(&rows, &items[i]);
	a = ui_pick(ui, title, &rows, choice);
	bd_ui_rows_release(&rows);
	return a;
}

/* --- the numbered menu --------------------------------------------------------- */

struct menu_view {
	const char *const *items;
	size_t n, sel;
	struct strbuf typed;
};

static void
paint_menu(struct bd_ui *ui, void *ctx)
{
	struct menu_view *mv = ctx;
	int top = ui_body_top() + 1, avail = ui_body_bottom() - 2 - top, i, per_col, col;
	struct strbuf sb = STRBUF_INIT;

	per_col = avail < 1 ? 1 : avail;
	for (i = 0; i < (int)mv->n; i++) {
		col = i / per_col;
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%3d. %s", i + 1, mv->items[i]);
		ui_put(stdscr, top + i % per_col, 2 + col * 38, sb.buf, 36,
		       (size_t)i == mv->sel ? ui->a_select : A_NORMAL, true);
	}
	ui_put(stdscr, ui_body_bottom() - 1, 2, "Selection ===> ", 15, A_NORMAL, false);
	ui_put(stdscr, ui_body_bottom() - 1, 17, mv->typed.buf, 4, ui->a_field, true);
	ui->cur_y = ui_body_bottom() - 1;
	ui->cur_x = 17 + (int)mv->typed.len;
	ui->want_cursor = true;
	strbuf_release(&sb);
}

enum bd_ui_action
bd_ui_menu(struct bd_ui *ui, const char *title, const char *const *items, size_t n, size_t initial,
	   size_t *choice)
{
	struct menu_view mv = {items, n, initial < n ? initial : 0, STRBUF_INIT};
	struct strbuf keys = STRBUF_INIT;
	enum bd_ui_action result = BD_UI_HANGUP;
	unsigned long long exits =
	    BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL) | BD_UI_BIT(BD_UI_MENU);

	ui_list_forget(ui);
	ui_keyline_for(ui, BD_KEYMAP_LIST, BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL), NULL,
		       &keys);
	ui_push_view(ui, paint_menu, &mv, title, keys.buf);
	ui_repaint(ui, false);
	for (;;) {
		int ch;
		enum bd_ui_action a = next_action(ui, BD_KEYMAP_LIST, &ch);

		if (a == BD_UI_HANGUP)
			goto cleanup;
		if (a == BD_UI_NONE && ch >= '0' && ch <= '9') {
			/* One rule for every menu: digits name the entry, Enter takes
			 * it; so the Enter that ends a choice is never typed ahead into
			 * the screen it opens. */
			if (mv.typed.len < 3) {
				long v;

				strbuf_addch(&mv.typed, (char)ch);
				v = strtol(mv.typed.buf, NULL, 10);
				if (v >= 1 && (size_t)v <= n)
					mv.sel = (size_t)v - 1;
			} else {
				ui_beep(ui);
			}
		} else if (a == BD_UI_NONE) {
			if (ch)
				ui_beep(ui);
		} else if (a == BD_UI_ENTER) {
			if (mv.typed.len) {
				long v = strtol(mv.typed.buf, NULL, 10);

				if (v >= 1 && (size_t)v <= n) {
					*choice = (size_t)v - 1;
					result = BD_UI_SELECT;
					goto cleanup;
				}
				strbuf_reset(&mv.typed);
				bd_ui_message(ui, BD_UI_MSG_ERROR, "Choose 1 to %zu", n);
			} else if (n) {
				*choice = mv.sel;
				result = BD_UI_SELECT;
				goto cleanup;
			}
		} else if (a == BD_UI_UP || a == BD_UI_PREV) {
			mv.sel = mv.sel ? mv.sel - 1 : (n ? n - 1 : 0);
		} else if (a == BD_UI_DOWN || a == BD_UI_NEXT) {
			mv.sel = mv.sel + 1 < n ? mv.sel + 1 : 0;
		} else if (a == BD_UI_BACKSPACE) {
			if (mv.typed.len)
				strbuf_setlen(&mv.typed, mv.typed.len - 1);
		} else if (a == BD_UI_HELP) {
			static const struct bd_ui_label words[] = {
			    {BD_UI_ENTER, "Take the entry typed or highlighted"},
			    {BD_UI_UP, "Entry above"},
			    {BD_UI_DOWN, "Entry below"},
			    {BD_UI_PREV, "Entry above"},
			    {BD_UI_NEXT, "Entry below"},
			    {BD_UI_BACKSPACE, "Rub out the last digit typed"},
			    {BD_UI_EXIT, "Leave this menu"},
			    {BD_UI_CANCEL, "Leave this menu"},
			    {BD_UI_NONE, NULL},
			};

			ui_help(ui, BD_KEYMAP_LIST,
				BD_UI_BIT(BD_UI_ENTER) | BD_UI_BIT(BD_UI_UP) |
				    BD_UI_BIT(BD_UI_DOWN) | BD_UI_BIT(BD_UI_PREV) |
				    BD_UI_BIT(BD_UI_NEXT) | BD_UI_BIT(BD_UI_BACKSPACE) |
				    BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL),
				words, title,
				"Type the number of an entry and press Enter, or move to it with "
				"Up and Down and press Enter.",
				NULL, NULL);
		} else if (a == BD_UI_REDRAW) {
			ui_repaint(ui, true);
		} else if (a == BD_UI_SUSPEND) {
			ui_suspend(ui);
		} else if (exits & BD_UI_BIT(a)) {
			result = a;
			goto cleanup;
		} else {
			ui_beep(ui);
		}
		paint_menu(ui, &mv);
	}
cleanup:
	ui_pop_view(ui);
	strbuf_release(&mv.typed);
	strbuf_release(&keys);
	return result;
}

/* --- confirm and prompt ----------------------------------------------------------- */

struct ask_view {
	struct ui_popup pop;
	const char *text;
	struct strbuf *value; /* prompt only */
	size_t cursor, max_chars;
	int width;
	int input_width; /* prompt: the input's columns (width may be wider) */
	char **lines;	 /* prompt: the label wrapped, when too long for a title */
	size_t nlines;
};

static void
paint_confirm(struct bd_ui *ui, void *ctx)
{
	struct ask_view *av = ctx;

	ui_popup_open(ui, &av->pop, 4, av->width + 4, "Confirm");
	ui_put(av->pop.win, 1, 2, av->text, av->width, A_NORMAL, true);
	ui_put(av->pop.win, 2, 2, "Y=Yes  N=No", av->width, ui->a_info, true);
	wmove(av->pop.win, 2, 2);
	ui->want_cursor = false;
}

bool
bd_ui_confirm(struct bd_ui *ui, const char *question)
{
	struct ask_view av;
	bool yes = false;
	bool cursor = ui->want_cursor;

	memset(&av, 0, sizeof(av));
	av.text = question;
	av.width = bd_text_width(question, strlen(question));
	if (av.width < 24)
		av.width = 24;
	if (av.width > 70)
		av.width = 70;
	ui_push_view(ui, paint_confirm, &av, NULL, "Y=Yes N=No");
	paint_confirm(ui, &av);
	for (;;) {
		int ch;
		enum bd_ui_action a = next_action(ui, BD_KEYMAP_LIST, &ch);

		if (a == BD_UI_HANGUP)
			break;
		if (ch == 'y' || ch == 'Y') {
			yes = true;
			break;
		}
		if (ch == 'n' || ch == 'N' || a == BD_UI_ENTER || a == BD_UI_CANCEL ||
		    a == BD_UI_EXIT)
			break;
		if (a == BD_UI_REDRAW) { /* Ctrl-L, or asked for after the idle lock */
			ui_repaint(ui, true);
			continue;
		}
		ui_beep(ui);
	}
	ui_popup_close(&av.pop);
	ui_pop_view(ui);
	ui->want_cursor = cursor;
	return yes;
}

enum bd_ui_action
bd_ui_ask(struct bd_ui *ui, const char *fmt, ...)
{
	struct strbuf q = STRBUF_INIT;
	va_list ap;
	bool yes;

	va_start(ap, fmt);
	strbuf_vaddf(&q, fmt, ap);
	va_end(ap);
	yes = bd_ui_confirm(ui, q.buf);
	strbuf_release(&q);
	if (bd_ui_hungup(ui))
		return BD_UI_HANGUP;
	return yes ? BD_UI_SELECT : BD_UI_NONE;
}

static void
paint_prompt(struct bd_ui *ui, void *ctx)
{
	struct ask_view *av = ctx;
	size_t off, len;
	int col;

	int y = 1 + (int)av->nlines, i;

	ui_popup_open(ui, &av->pop, 3 + (int)av->nlines, av->width + 4,
		      av->nlines ? NULL : av->text);
	for (i = 0; i < (int)av->nlines; i++)
		ui_put(av->pop.win, 1 + i, 2, av->lines[i], av->width, A_NORMAL, true);
	col = bd_field_view(av->value->buf, av->cursor, av->input_width, &off, &len);
	ui_putn(av->pop.win, y, 2, av->value->buf + off, len, av->input_width, ui->a_field, true);
	wmove(av->pop.win, y, 2 + col);
	ui->want_cursor = true;
}

static const struct bd_ui_label prompt_words[] = {
    {BD_UI_ENTER, "Take the value"},
    {BD_UI_CANCEL, "Back without changing anything"},
    {BD_UI_EXIT, "Back without changing anything"},
    {BD_UI_HOME, "Start of the value"},
    {BD_UI_END, "End of the value"},
    {BD_UI_NONE, NULL},
};

enum bd_ui_action
bd_ui_prompt(struct bd_ui *ui, const char *label, struct strbuf *value, size_t max_chars)
{
	struct ask_view av;
	struct strbuf text = STRBUF_INIT, keys = STRBUF_INIT;
	enum bd_ui_action result = BD_UI_CANCEL;
	bool cursor = ui->want_cursor;
	bool fresh = true; /* the first character typed replaces the value */

	memset(&av, 0, sizeof(av));
	strbuf_addstr(&text, value->buf);
	av.text = label;
	av.value = &text;
	av.max_chars = max_chars ? max_chars : 256;
	av.cursor = bd_chars_count(text.buf);
	av.width = (int)(av.max_chars < 40 ? (av.max_chars < 20 ? 20 : av.max_chars) : 40);
	av.input_width = av.width;
	{
		/* The label is the popup's title when it fits one (widening the
		 * popup up to 72 columns), else wrapped whole above the input. */
		struct strbuf g = STRBUF_INIT;
		int lw = bd_gate(&g, label, strlen(label), -1);
		size_t alloc = 0;

		strbuf_release(&g);
		if (lw + 2 > av.width)
			av.width = lw + 2 > 72 ? 72 : lw + 2;
		if (lw + 2 > av.width)
			ui_wrap(label, av.width, &av.lines, &av.nlines, &alloc);
	}
	strbuf_addstr(&keys, "Enter=OK");
	ui_keyline_for(ui, BD_KEYMAP_LIST, BD_UI_BIT(BD_UI_CANCEL), NULL, &keys);
	ui_push_view(ui, paint_prompt, &av, NULL, keys.buf);
	paint_prompt(ui, &av);
	for (;;) {
		int ch;
		enum bd_ui_action a = next_action(ui, BD_KEYMAP_LIST, &ch);
		size_t at = bd_chars_offset(text.buf, av.cursor);

		if (a == BD_UI_NONE && ch) {
			char enc[4];
			size_t n;
			struct strbuf tmp = STRBUF_INIT;

			if (bd_cp_is_unsafe((uint32_t)ch)) {
				ui_beep(ui);
				continue;
			}
			if (fresh) {
				strbuf_reset(&text);
				av.cursor = at = 0;
				fresh = false;
			}
			if (bd_chars_count(text.buf) >= av.max_chars) {
				ui_beep(ui);
				continue;
			}
			n = bd_utf8_encode((uint32_t)ch, enc);
			strbuf_add(&tmp, text.buf, at);
			strbuf_add(&tmp, enc, n);
			strbuf_addstr(&tmp, text.buf + at);
			strbuf_reset(&text);
			strbuf_addstr(&text, tmp.buf);
			strbuf_release(&tmp);
			av.cursor++;
		} else {
			if (a != BD_UI_REDRAW && a != BD_UI_HELP)
				fresh = false; /* editing keys change part of it */
			switch (a) {
			case BD_UI_HANGUP:
				result = a;
				goto cleanup;
			case BD_UI_ENTER:
				strbuf_reset(value);
				strbuf_addstr(value, text.buf);
				result = BD_UI_SELECT;
				goto cleanup;
			case BD_UI_EXIT:
			case BD_UI_CANCEL:
				result = a;
				goto cleanup;
			case BD_UI_LEFT:
				if (av.cursor)
					av.cursor--;
				break;
			case BD_UI_RIGHT:
				if (av.cursor < bd_chars_count(text.buf))
					av.cursor++;
				break;
			case BD_UI_HOME:
				av.cursor = 0;
				break;
			case BD_UI_END:
				av.cursor = bd_chars_count(text.buf);
				break;
			case BD_UI_BACKSPACE:
			case BD_UI_DELETE: {
				size_t del = a == BD_UI_BACKSPACE ? av.cursor - 1 : av.cursor;
				size_t from, to;
				struct strbuf tmp = STRBUF_INIT;

				if ((a == BD_UI_BACKSPACE && !av.cursor) ||
				    del >= bd_chars_count(text.buf)) {
					ui_beep(ui);
					continue;
				}
				from = bd_chars_offset(text.buf, del);
				to = bd_chars_offset(text.buf, del + 1);
				strbuf_add(&tmp, text.buf, from);
				strbuf_addstr(&tmp, text.buf + to);
				strbuf_reset(&text);
				strbuf_addstr(&text, tmp.buf);
				strbuf_release(&tmp);
				av.cursor = del;
				break;
			}
			case BD_UI_ERASE_EOF:
				strbuf_setlen(&text, at);
				break;
			case BD_UI_HELP:
				ui_help(
				    ui, BD_KEYMAP_LIST,
				    BD_UI_BIT(BD_UI_ENTER) | BD_UI_BIT(BD_UI_CANCEL) |
					BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_LEFT) |
					BD_UI_BIT(BD_UI_RIGHT) | BD_UI_BIT(BD_UI_HOME) |
					BD_UI_BIT(BD_UI_END) | BD_UI_BIT(BD_UI_BACKSPACE) |
					BD_UI_BIT(BD_UI_DELETE) | BD_UI_BIT(BD_UI_ERASE_EOF),
				    prompt_words, label,
				    "Type the value and press Enter. The first character typed "
				    "replaces the value shown; Left, Right, Home or End first to "
				    "change part of it.",
				    NULL, NULL);
				break;
			case BD_UI_REDRAW:
				ui_repaint(ui, true);
				break;
			default:
				ui_beep(ui);
				continue;
			}
		}
		paint_prompt(ui, &av);
	}
cleanup:
	ui_popup_close(&av.pop);
	ui_pop_view(ui);
	ui->want_cursor = cursor;
	ui_lines_free(av.lines, av.nlines);
	strbuf_release(&text);
	strbuf_release(&keys);
	return result;
}
