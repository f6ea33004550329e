/*
 * The form view: draws a struct bd_form and maps keys onto the form engine
 * (form.h). No field logic lives here: typing, moving, validation and Dup
 * are the engine's; this file draws the result and only repaints the
 * fields that changed, so a keystroke costs a few bytes on the wire.
 */
#include <string.h>

#include "backdesk/field.h"
#include "backdesk/form.h"
#include "backdesk/screen.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"
#include "ui_internal.h"

struct form_view {
	struct bd_form *form;
	const struct bd_ui_form_opts *opts;
	unsigned long long exits;
	size_t *tops; /* each grid's first line as last drawn */
};

/*
 * The slice of field i to draw and the cursor's column in it. A value that
 * fits is drawn whole, with the cursor on the last cell when it sits just
 * past the end of a full field (5250 style), instead of scrolling by one.
 */
static int
field_view(struct form_view *fv, size_t i, size_t *off, size_t *len)
{
	const struct bd_field_def *f = &fv->form->screen->fields[i];
	const char *value = bd_form_value(fv->form, i);
	size_t n = bd_chars_count(value);
	int total = bd_chars_width(value, 0, n), col;

	if (total > f->width)
		return bd_form_field_view(fv->form, i, off, len);
	*off = 0;
	*len = strlen(value);
	if (i != fv->form->current)
		return 0;
	col = bd_chars_width(value, 0, fv->form->cursor);
	return col >= f->width ? f->width - 1 : col;
}

static void
place_cursor(struct bd_ui *ui, struct form_view *fv)
{
	const struct bd_field_def *f;
	size_t off, len;

	if (fv->form->current >= fv->form->nfields)
		return;
	f = &fv->form->screen->fields[fv->form->current];
	ui->cur_y = bd_form_field_row(fv->form, fv->form->current);
	if (ui->cur_y < 0)
		ui->cur_y = f->row;
	ui->cur_x = f->input_col + field_view(fv, fv->form->current, &off, &len);
	ui->want_cursor = !f->readonly;
}

static void
paint_field(struct bd_ui *ui, struct form_view *fv, size_t i)
{
	const struct bd_field_def *f;
	const char *value;
	size_t off, len;
	int row = bd_form_field_row(fv->form, i);

	if (i >= fv->form->nfields || row < 0)
		return;
	f = &fv->form->screen->fields[i];
	value = bd_form_value(fv->form, i);
	field_view(fv, i, &off, &len);
	ui_putn(stdscr, row, f->input_col, value + off, len, f->width,
		f->readonly ? ui->a_field_ro : ui->a_field, true);
}

/* A grid's headings and the line numbers of its page; the cells are drawn
 * as fields. */
static void
paint_grid(struct bd_ui *ui, struct form_view *fv, size_t gi)
{
	const struct bd_grid *g = &fv->form->screen->grids[gi];
	size_t top = fv->form->top[gi], j;
	int i;

	ui_put(stdscr, g->row, g->col, g->number_width > 1 ? "Ln" : "#", g->number_width,
	       ui->a_info, true);
	for (j = 0; j < g->ncolumns; j++) {
		const struct bd_field_def *f = &fv->form->screen->fields[g->first + j];

		ui_put(stdscr, g->row, f->input_col, g->headings[j], f->width, ui->a_info, true);
	}
	for (i = 0; i < g->visible; i++) {
		char num[16];

		snprintf(num, sizeof(num), "%*zu", g->number_width, top + (size_t)i + 1);
		ui_put(stdscr, g->row + 1 + i, g->col, num, g->number_width, A_NORMAL, true);
	}
	fv->tops[gi] = top;
}

static void
paint_form(struct bd_ui *ui, void *ctx)
{
	struct form_view *fv = ctx;
	const struct bd_screen *s = fv->form->screen;
	const struct bd_ui_form_opts *o = fv->opts;
	size_t i;

	for (i = 0; o && i < o->nheader; i++)
		ui_put(stdscr, ui_body_top() + (int)i, 1, o->header[i], UI_MIN_COLS - 2, ui->a_info,
		       true);
	for (i = 0; i < s->ngrids; i++)
		paint_grid(ui, fv, i);
	for (i = 0; i < s->nfields; i++) {
		const struct bd_field_def *f = &s->fields[i];

		if (*f->label && !f->grid)
			ui_put(stdscr, f->row, f->col, f->label, f->input_col - f->col - 1,
			       A_NORMAL, false);
		paint_field(ui, fv, i);
	}
	place_cursor(ui, fv);
}

static bool
form_has(const struct bd_screen *s, bool (*pred)(const struct bd_field_def *))
{
	size_t i;

	for (i = 0; i < s->nfields; i++)
		if (pred(&s->fields[i]))
			return true;
	return false;
}

static bool
field_promptable(const struct bd_field_def *f)
{
	/* read-only fields refuse F4: a form of them all shows no F4 key */
	return !f->readonly &&
	       (f->lookup || f->type == BD_FIELD_CHOICE || f->type == BD_FIELD_FLAG);
}

static bool
field_dupable(const struct bd_field_def *f)
{
	return f->dup && !f->readonly;
}

static void
goto_first_editable(struct bd_form *form)
{
	size_t i;

	for (i = 0; i < form->nfields; i++)
		if (!form->screen->fields[i].readonly) {
			bd_form_goto(form, i);
			form->cursor = 0;
			return;
		}
}

/* F4: a popup of allowed values; the chosen one replaces the field's. */
static void
prompt_field(struct bd_ui *ui, struct form_view *fv)
{
	struct bd_form *form = fv->form;
	const struct bd_field_def *f = &form->screen->fields[form->current];
	struct bd_ui_rows rows;
	struct bd_err err = BD_ERR_INIT;
	size_t choice, i;
	enum bd_ui_action a;

	bd_ui_rows_init(&rows);
	if (f->readonly) {
		bd_ui_message(ui, BD_UI_MSG_ERROR, "%s cannot be changed", bd_field_title(f));
		goto cleanup;
	}
	if (f->type == BD_FIELD_CHOICE) {
		const char *name = "value";

		bd_ui_rows_set_columns(&rows, 1, &name);
		for (i = 0; i < f->nvalues; i++) {
			const char *cell = f->values[i];

			bd_ui_rows_add(&rows, &cell);
		}
	} else if (f->type == BD_FIELD_FLAG) {
		const char *names[] = {"value", "meaning"};
		const char *yes[] = {"Y", "Yes"}, *no[] = {"N", "No"};

		bd_ui_rows_set_columns(&rows, 2, names);
		bd_ui_rows_add(&rows, yes);
		bd_ui_rows_add(&rows, no);
	} else if (f->lookup && fv->opts && fv->opts->lookup) {
		if (fv->opts->lookup(fv->opts->ctx, form->current,
				     bd_form_value(form, form->current), &rows, &err) < 0) {
			if (!ui->hangup)
				bd_ui_message(ui, BD_UI_MSG_ERROR, "%s", err.msg);
			goto cleanup;
		}
		if (!rows.nrows) {
			bd_ui_message(ui, BD_UI_MSG_ERROR, "Nothing found for %s",
				      bd_field_title(f));
			goto cleanup;
		}
	} else {
		bd_ui_message(ui, BD_UI_MSG_ERROR, "%s has no list of values", bd_field_title(f));
		goto cleanup;
	}
	a = ui_pick(ui, bd_field_title(f), &rows, &choice);
	place_cursor(ui, fv);
	if (a != BD_UI_SELECT)
		goto cleanup;
	if (bd_form_set_value(form, form->current, bd_ui_rows_cell(&rows, choice, 0), &err) < 0) {
		bd_ui_message(ui, BD_UI_MSG_ERROR, "%s", err.msg);
		goto cleanup;
	}
	bd_form_end(form);
	paint_field(ui, fv, form->current);
cleanup:
	bd_ui_rows_release(&rows);
}

static void
show_help(struct bd_ui *ui, struct form_view *fv)
{
	const struct bd_screen *s = fv->form->screen;
	const struct bd_field_def *f =
	    fv->form->current < s->nfields ? &s->fields[fv->form->current] : NULL;
	struct strbuf fh = STRBUF_INIT;
	unsigned long long works =
	    fv->exits | BD_UI_BIT(BD_UI_ENTER) | BD_UI_BIT(BD_UI_NEXT) | BD_UI_BIT(BD_UI_PREV) |
	    BD_UI_BIT(BD_UI_UP) | BD_UI_BIT(BD_UI_DOWN) | BD_UI_BIT(BD_UI_LEFT) |
	    BD_UI_BIT(BD_UI_RIGHT) | BD_UI_BIT(BD_UI_HOME) | BD_UI_BIT(BD_UI_END) |
	    BD_UI_BIT(BD_UI_INSERT) | BD_UI_BIT(BD_UI_DELETE) | BD_UI_BIT(BD_UI_BACKSPACE) |
	    BD_UI_BIT(BD_UI_ERASE_EOF);

	if (s->ngrids)
		works |= BD_UI_BIT(BD_UI_PAGE_UP) | BD_UI_BIT(BD_UI_PAGE_DOWN);
	if (fv->opts && fv->opts->on_action)
		works |= fv->opts->actions;
	if (f && field_promptable(f))
		works |= BD_UI_BIT(BD_UI_PROMPT);
	if (f && field_dupable(f))
		works |= BD_UI_BIT(BD_UI_DUP);
	if (f) {
		strbuf_addstr(&fh, f->help);

		if (fh.len && !strchr(".!?", fh.buf[fh.len - 1]))
			strbuf_addch(&fh, '.'); /* sentences follow */
		if (f->required)
			strbuf_addf(&fh, "%sRequired.", fh.len ? " " : "");
		if (f->type == BD_FIELD_DATE)
			strbuf_addf(&fh, "%sA date, typed as %s; shown as YYYY-MM-DD.",
				    fh.len ? " " : "", bd_field_date_forms());
		if (f->type == BD_FIELD_CHOICE || f->lookup)
			strbuf_addf(&fh, "%sF4 lists the values.", fh.len ? " " : "");
		if (f->dup)
			strbuf_addf(&fh, "%sF6 copies it from the %s.", fh.len ? " " : "",
				    f->grid && f->grid_line > 0 ? "line above" : "previous record");
	}
	static const struct bd_ui_label words[] = {
	    {BD_UI_ENTER, "Next field (this one is checked first)"},
	    {BD_UI_NEXT, "Next field (this one is checked first)"},
	    {BD_UI_PREV, "Previous field"},
	    {BD_UI_UP, "Field above (not checked: Enter and F2 check)"},
	    {BD_UI_DOWN, "Field below (not checked: Enter and F2 check)"},
	    {BD_UI_PAGE_UP, "Previous page of lines"},
	    {BD_UI_PAGE_DOWN, "Next page of lines"},
	    {BD_UI_HOME, "Start of the field"},
	    {BD_UI_END, "End of the field"},
	    {BD_UI_NONE, NULL},
	};

	ui_help(ui, BD_KEYMAP_FORM, works, words, s->title, s->help, f ? bd_field_title(f) : NULL,
		fh.buf);
	strbuf_release(&fh);
	place_cursor(ui, fv);
}

/* The callback may set other fields (a journal entry's totals) or move the
 * cursor back: the form is redrawn after it (only changed cells are sent). */
static void
field_exit(struct bd_ui *ui, struct form_view *fv)
{
	if (fv->opts && fv->opts->on_field_exit) {
		fv->opts->on_field_exit(fv->opts->ctx, fv->form);
		paint_form(ui, fv);
	}
}

/* Has a grid's page moved since it was drawn? */
static bool
grid_moved(const struct form_view *fv)
{
	size_t i;

	for (i = 0; i < fv->form->screen->ngrids; i++)
		if (fv->tops[i] != fv->form->top[i])
			return true;
	return false;
}

/* Validates everything for save; false (cursor on the bad field) if not. */
static bool
save_ok(struct bd_ui *ui, struct form_view *fv)
{
	struct bd_err err = BD_ERR_INIT;
	size_t bad = 0, old = fv->form->current;

	if (bd_form_validate(fv->form, &bad, &err) == 0)
		return true;
	bd_form_goto(fv->form, bad);
	if (grid_moved(fv)) {
		paint_form(ui, fv);
	} else {
		paint_field(ui, fv, old);
		paint_field(ui, fv, bad);
	}
	bd_ui_message(ui, BD_UI_MSG_ERROR, "%s", err.msg);
	return false;
}

enum bd_ui_action
bd_ui_form(struct bd_ui *ui, struct bd_form *form, const struct bd_ui_form_opts *opts)
{
	struct form_view fv = {form, opts, 0, NULL};
	struct strbuf keys = STRBUF_INIT;
	enum bd_ui_action result = BD_UI_HANGUP;
	const struct bd_screen *s = form->screen;
	unsigned long long paging =
	    s->ngrids ? BD_UI_BIT(BD_UI_PAGE_UP) | BD_UI_BIT(BD_UI_PAGE_DOWN) : 0;

	fv.tops = xcalloc(s->ngrids + 1, sizeof(*fv.tops));
	fv.exits = opts && opts->exits
		       ? opts->exits
		       : BD_UI_BIT(BD_UI_SAVE) | BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL);
	ui_keyline_for(ui, BD_KEYMAP_FORM,
		       fv.exits | paging |
			   (form_has(s, field_promptable) ? BD_UI_BIT(BD_UI_PROMPT) : 0) |
			   (form_has(s, field_dupable) ? BD_UI_BIT(BD_UI_DUP) : 0),
		       opts ? opts->labels : NULL, &keys);
	ui_push_view(ui, paint_form, &fv, opts && opts->title ? opts->title : s->title, keys.buf);
	ui_set_subtitle(ui, opts ? opts->subtitle : NULL);
	ui->overwrite = !form->insert;
	ui_repaint(ui, false);

	for (;;) {
		struct bd_err err = BD_ERR_INIT;
		enum bd_form_status st = BD_FORM_OK;
		enum bd_ui_action a = BD_UI_NONE;
		size_t before = form->current;
		int key = ui_getkey(ui);

		if (ui->hangup) {
			result = BD_UI_HANGUP;
			goto cleanup;
		}
		if (!key) {
			a = ui->requested;
			ui->requested = BD_UI_NONE;
		} else if (ui_key_is_char(key)) {
			st = bd_form_type(form, (uint32_t)key, &err);
		} else {
			a = bd_keymap_action(&ui->km, BD_KEYMAP_FORM, key);
			if (a == BD_UI_NONE) {
				ui_beep(ui);
				continue;
			}
		}
		switch (a) {
		case BD_UI_NONE:
			break;
		case BD_UI_ENTER:
		case BD_UI_NEXT:
			st = bd_form_next(form, &err);
			if (st == BD_FORM_END && a == BD_UI_ENTER && opts && opts->enter_saves &&
			    (fv.exits & BD_UI_BIT(BD_UI_SAVE))) {
				if (save_ok(ui, &fv)) {
					field_exit(ui, &fv);
					result = BD_UI_SAVE;
					goto cleanup;
				}
				st = BD_FORM_OK;
			} else if (st == BD_FORM_END) {
				goto_first_editable(form);
				st = BD_FORM_MOVED;
			}
			break;
		case BD_UI_PREV:
			st = bd_form_prev(form);
			break;
		case BD_UI_UP:
			st = bd_form_up(form);
			break;
		case BD_UI_DOWN:
			st = bd_form_down(form);
			break;
		case BD_UI_LEFT:
			st = bd_form_left(form);
			break;
		case BD_UI_RIGHT:
			st = bd_form_right(form);
			break;
		case BD_UI_HOME:
			st = bd_form_home(form);
			break;
		case BD_UI_END:
			st = bd_form_end(form);
			break;
		case BD_UI_BACKSPACE:
			st = bd_form_backspace(form, &err);
			break;
		case BD_UI_DELETE:
			st = bd_form_delete(form, &err);
			break;
		case BD_UI_ERASE_EOF:
			st = bd_form_clear_to_end(form, &err);
			break;
		case BD_UI_INSERT:
			bd_form_toggle_insert(form);
			ui->overwrite = !form->insert;
			ui_paint_status(ui);
			break;
		case BD_UI_DUP:
			st = bd_form_dup(form, &err);
			if (st == BD_FORM_END)
				st = BD_FORM_MOVED;
			break;
		case BD_UI_PAGE_UP:
		case BD_UI_PAGE_DOWN:
			if (!s->ngrids || (fv.exits & BD_UI_BIT(a)))
				goto exit_key;
			st = bd_form_page(form, a == BD_UI_PAGE_DOWN ? +1 : -1, &err);
			if (st == BD_FORM_REJECTED) {
				bd_ui_message(ui, BD_UI_MSG_INFO, "%s", err.msg);
				st = BD_FORM_OK;
			} else if (st == BD_FORM_OK) {
				field_exit(ui, &fv); /* the page moved, the cursor did not */
			}
			break;
		case BD_UI_HELP:
			show_help(ui, &fv);
			break;
		case BD_UI_PROMPT:
			prompt_field(ui, &fv);
			break;
		case BD_UI_REDRAW:
			ui_repaint(ui, true);
			break;
		case BD_UI_SUSPEND:
			ui_suspend(ui);
			break;
		default:
			if (opts && opts->on_action && (opts->actions & BD_UI_BIT(a))) {
				opts->on_action(opts->ctx, a);
				break;
			}
		exit_key:
			if (!(fv.exits & BD_UI_BIT(a))) {
				struct strbuf label = STRBUF_INIT;

				if (key) {
					ui_key_label(ui, BD_KEYMAP_FORM, a, &label);
					bd_ui_message(ui, BD_UI_MSG_ERROR,
						      "%s is not available here", label.buf);
				}
				strbuf_release(&label);
				break;
			}
			if (a == BD_UI_SAVE && !save_ok(ui, &fv))
				break;
			field_exit(ui, &fv);
			result = a;
			goto cleanup;
		}
		if (ui->hangup) {
			result = BD_UI_HANGUP;
			goto cleanup;
		}
		switch (st) {
		case BD_FORM_REJECTED:
		case BD_FORM_INVALID:
			if (err.msg[0])
				bd_ui_message(ui, BD_UI_MSG_ERROR, "%s", err.msg);
			else
				ui_beep(ui);
			break;
		case BD_FORM_MOVED:
		case BD_FORM_END:
			field_exit(ui, &fv);
			break;
		case BD_FORM_OK:
			break;
		}
		if (grid_moved(&fv)) {
			paint_form(ui, &fv);
			continue;
		}
		if (before != form->current)
			paint_field(ui, &fv, before);
		paint_field(ui, &fv, form->current);
		place_cursor(ui, &fv);
	}
cleanup:
	ui->overwrite = false;
	ui_pop_view(ui);
	strbuf_release(&keys);
	free(fv.tops);
	return result;
}
