/*
 * The form state machine. See form.h.
 *
 * Plain fields are edited as strings of characters (a code point and its
 * combining marks). Picture fields are edited as their data characters (the
 * characters in slot positions): every edit changes that sequence and then
 * re-lays it onto the mask ("repack"), so literals are always where the mask
 * puts them and the cursor only rests on slots or at the end.
 */
#include "backdesk/form.h"
#include "backdesk/rules.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"
#include "forms_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct bd_field_def *
cur_def(const struct bd_form *form)
{
	return &form->screen->fields[form->current];
}

static void
replace_value(struct bd_form *form, size_t index, char *value)
{
	free(form->values[index]);
	form->values[index] = value;
}

static void
mark_keyed(struct bd_form *form)
{
	if (!form->keyed[form->current]) {
		form->keyed[form->current] = true;
		form->counters.fields_keyed++;
	}
}

static bool
editable(const struct bd_form *form, size_t i)
{
	return !form->screen->fields[i].readonly;
}

/* ---- pictures ------------------------------------------------------------ */

struct picdata {
	uint32_t cp[128];
	size_t n;
};

/* Mask index of the d-th slot, or the mask length when there are fewer. */
static size_t
slot_pos(const char *mask, size_t d)
{
	size_t i;

	for (i = 0; mask[i]; i++)
		if (bd_picture_is_slot(mask[i]) && d-- == 0)
			return i;
	return i;
}

/* Number of slots before mask index c. */
static size_t
data_index(const char *mask, size_t c)
{
	size_t i, d = 0;

	for (i = 0; mask[i] && i < c; i++)
		if (bd_picture_is_slot(mask[i]))
			d++;
	return d;
}

static size_t
slot_count(const char *mask)
{
	return data_index(mask, strlen(mask));
}

static void
pic_extract(const char *mask, const char *value, struct picdata *pd)
{
	size_t n = strlen(value), off = 0, i = 0, mlen = strlen(mask);
	uint32_t cp;

	pd->n = 0;
	while (off < n && pd->n < sizeof(pd->cp) / sizeof(pd->cp[0])) {
		off += bd_utf8_decode(value + off, n - off, &cp);
		if (i < mlen && !bd_picture_is_slot(mask[i]) && cp == (unsigned char)mask[i]) {
			i++;
			continue;
		}
		pd->cp[pd->n++] = cp;
		i++;
	}
}

static char *
pic_repack(const char *mask, const struct picdata *pd)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, k = 0, mlen = strlen(mask);
	char enc[4];

	for (i = 0; i < mlen && k < pd->n; i++) {
		if (bd_picture_is_slot(mask[i])) {
			if (!bd_picture_slot_accepts(mask[i], pd->cp[k]))
				break;
			strbuf_add(&sb, enc, bd_utf8_encode(pd->cp[k++], enc));
		} else {
			strbuf_addch(&sb, mask[i]);
		}
	}
	if (k == pd->n && k > 0)
		while (i < mlen && !bd_picture_is_slot(mask[i]))
			strbuf_addch(&sb, mask[i++]);
	return strbuf_detach(&sb, NULL);
}

static size_t
clamp_to_value(const struct bd_form *form, size_t c)
{
	size_t n = bd_chars_count(form->values[form->current]);

	return c < n ? c : n;
}

/* Cursor on the slot of data index d (or the end). */
static void
pic_set_cursor(struct bd_form *form, size_t d)
{
	form->cursor = clamp_to_value(form, slot_pos(cur_def(form)->picture, d));
}

static void
pic_store(struct bd_form *form, const struct picdata *pd, size_t d)
{
	replace_value(form, form->current, pic_repack(cur_def(form)->picture, pd));
	pic_set_cursor(form, d);
}

/* ---- lifecycle ------------------------------------------------------------ */

static size_t
first_editable(const struct bd_form *form)
{
	size_t i;

	for (i = 0; i < form->nfields; i++)
		if (editable(form, form->order[i]))
			return form->order[i];
	return 0;
}

/* Tab order: by row, then by the input's column; file order breaks ties.
 * A grid's cells sit on its first line's row, line by line. */
static const struct bd_screen *sort_screen;

static int
order_row(const struct bd_field_def *f)
{
	return f->grid ? sort_screen->grids[f->grid - 1].row + 1 : f->row;
}

static int
cmp_position(const void *a, const void *b)
{
	const struct bd_field_def *fa = &sort_screen->fields[*(const size_t *)a];
	const struct bd_field_def *fb = &sort_screen->fields[*(const size_t *)b];

	if (order_row(fa) != order_row(fb))
		return order_row(fa) < order_row(fb) ? -1 : 1;
	if (fa->grid_line != fb->grid_line)
		return fa->grid_line < fb->grid_line ? -1 : 1;
	if (fa->input_col != fb->input_col)
		return fa->input_col < fb->input_col ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* Position of field `index` in the tab order. */
static size_t
rank_of(const struct bd_form *form, size_t index)
{
	size_t i;

	for (i = 0; i < form->nfields; i++)
		if (form->order[i] == index)
			return i;
	return 0;
}

/* The grid's page follows the cursor: a cell off the page brings up the page
 * of `visible` lines that holds it (the last page ends at the last line). */
static void
follow(struct bd_form *form)
{
	const struct bd_field_def *f;
	const struct bd_grid *g;
	size_t line, vis, top;

	if (form->current >= form->nfields || !(f = cur_def(form))->grid)
		return;
	g = &form->screen->grids[f->grid - 1];
	line = (size_t)f->grid_line;
	vis = (size_t)g->visible;
	top = form->top[f->grid - 1];
	if (line >= top && line < top + vis)
		return;
	top = line / vis * vis;
	if (top + vis > (size_t)g->rows)
		top = (size_t)g->rows - vis;
	form->top[f->grid - 1] = top;
}

int
bd_form_field_row(const struct bd_form *form, size_t index)
{
	const struct bd_field_def *f;
	const struct bd_grid *g;
	size_t top;

	if (index >= form->nfields)
		return -1;
	f = &form->screen->fields[index];
	if (!f->grid)
		return f->row;
	g = &form->screen->grids[f->grid - 1];
	top = form->top[f->grid - 1];
	if ((size_t)f->grid_line < top || (size_t)f->grid_line >= top + (size_t)g->visible)
		return -1;
	return g->row + 1 + f->grid_line - (int)top;
}

static void
enter_field(struct bd_form *form, size_t index)
{
	form->current = index;
	follow(form);
	form->cursor = 0;
	form->fresh = true;
	if (form->nfields && cur_def(form)->picture)
		pic_set_cursor(form, 0);
}

void
bd_form_init(struct bd_form *form, const struct bd_screen *screen)
{
	size_t i;

	memset(form, 0, sizeof(*form));
	form->screen = screen;
	form->nfields = screen->nfields;
	form->values = xcalloc(form->nfields + 1, sizeof(*form->values));
	form->previous = xcalloc(form->nfields + 1, sizeof(*form->previous));
	form->keyed = xcalloc(form->nfields + 1, sizeof(*form->keyed));
	form->order = xcalloc(form->nfields + 1, sizeof(*form->order));
	form->top = xcalloc(screen->ngrids + 1, sizeof(*form->top));
	for (i = 0; i < form->nfields; i++) {
		form->values[i] = xstrdup("");
		form->order[i] = i;
	}
	sort_screen = screen;
	qsort(form->order, form->nfields, sizeof(*form->order), cmp_position);
	sort_screen = NULL;
	form->insert = true;
	enter_field(form, first_editable(form));
}

void
bd_form_release(struct bd_form *form)
{
	size_t i;

	for (i = 0; i < form->nfields; i++) {
		free(form->values[i]);
		free(form->previous[i]);
	}
	free(form->values);
	free(form->previous);
	free(form->keyed);
	free(form->order);
	free(form->top);
	memset(form, 0, sizeof(*form));
}

void
bd_form_load_defaults(struct bd_form *form)
{
	size_t i;

	for (i = 0; i < form->nfields; i++) {
		struct strbuf sb = STRBUF_INIT;
		bd_field_default(&form->screen->fields[i], &sb);
		replace_value(form, i, strbuf_detach(&sb, NULL));
		form->keyed[i] = false;
	}
	for (i = 0; i < form->screen->ngrids; i++)
		form->top[i] = 0;
	enter_field(form, first_editable(form));
}

void
bd_form_remember(struct bd_form *form)
{
	size_t i;

	for (i = 0; i < form->nfields; i++) {
		free(form->previous[i]);
		form->previous[i] = xstrdup(form->values[i]);
	}
}

const char *
bd_form_value(const struct bd_form *form, size_t index)
{
	return index < form->nfields ? form->values[index] : NULL;
}

const char *
bd_form_value_by_name(const struct bd_form *form, const char *name)
{
	int i = bd_screen_field_index(form->screen, name);

	return i < 0 ? NULL : form->values[i];
}

static int
check_utf8(const char *value, struct bd_err *err)
{
	if (!bd_utf8_valid(value, strlen(value))) {
		bd_err_set(err, BD_ERR_INVALID, "The value is not valid text");
		return -1;
	}
	return 0;
}

int
bd_form_set_value(struct bd_form *form, size_t index, const char *value, struct bd_err *err)
{
	if (index >= form->nfields) {
		bd_err_set(err, BD_ERR_INTERNAL, "No such field");
		return -1;
	}
	if (check_utf8(value, err) < 0)
		return -1;
	replace_value(form, index, xstrdup(value));
	if (index == form->current)
		form->cursor = clamp_to_value(form, form->cursor);
	return 0;
}

int
bd_form_set_previous(struct bd_form *form, size_t index, const char *value, struct bd_err *err)
{
	if (index >= form->nfields) {
		bd_err_set(err, BD_ERR_INTERNAL, "No such field");
		return -1;
	}
	if (check_utf8(value, err) < 0)
		return -1;
	free(form->previous[index]);
	form->previous[index] = xstrdup(value);
	return 0;
}

void
bd_form_goto(struct bd_form *form, size_t index)
{
	if (index >= form->nfields)
		return;
	form->current = index;
	form->cursor = bd_chars_count(form->values[index]);
	form->fresh = true;
	follow(form);
}

/* ---- movement between fields -------------------------------------------- */

/* Reformats a valid value the way it will be saved (dates ISO, amounts with
 * their decimals), when that still fits the field. */
static void
tidy_value(struct bd_form *form)
{
	const struct bd_field_def *f = cur_def(form);
	struct strbuf sb = STRBUF_INIT;

	if (f->picture || (f->type != BD_FIELD_DATE && f->type != BD_FIELD_MONEY &&
			   f->type != BD_FIELD_DECIMAL && f->type != BD_FIELD_FLAG))
		return;
	if (bd_field_normalize(f, form->values[form->current], &sb, NULL) == 0 &&
	    bd_chars_count(sb.buf) <= (size_t)f->length)
		replace_value(form, form->current, strbuf_detach(&sb, NULL));
	strbuf_release(&sb);
}

/* A cell of a required column on a line with something in it must be
 * filled. 0 or -1 (err set). */
static int
check_line_required(const struct bd_form *form, size_t index, struct bd_err *err)
{
	const struct bd_field_def *f = &form->screen->fields[index];
	const struct bd_grid *g;
	size_t first, j;

	if (!f->line_required || *form->values[index])
		return 0;
	g = &form->screen->grids[f->grid - 1];
	first = index - (size_t)f->grid_col;
	for (j = 0; j < g->ncolumns; j++)
		if (first + j != index && *form->values[first + j]) {
			bd_err_set(err, BD_ERR_INVALID, "%s is required", bd_field_title(f));
			return -1;
		}
	return 0;
}

/* The field's own rules, then its line's. */
static int
validate_field(const struct bd_form *form, size_t index, struct bd_err *err)
{
	if (bd_field_validate(&form->screen->fields[index], form->values[index], err) < 0)
		return -1;
	return check_line_required(form, index, err);
}

static enum bd_form_status
advance(struct bd_form *form, struct bd_err *err)
{
	size_t i;

	if (form->nfields == 0)
		return BD_FORM_END;
	if (validate_field(form, form->current, err) < 0 ||
	    bd_rules_check(form, form->current, NULL, err) < 0)
		return BD_FORM_INVALID;
	tidy_value(form);
	for (i = rank_of(form, form->current) + 1; i < form->nfields; i++) {
		if (editable(form, form->order[i])) {
			enter_field(form, form->order[i]);
			return BD_FORM_MOVED;
		}
	}
	form->cursor = clamp_to_value(form, form->cursor);
	return BD_FORM_END;
}

enum bd_form_status
bd_form_next(struct bd_form *form, struct bd_err *err)
{
	form->counters.keystrokes++;
	return advance(form, err);
}

enum bd_form_status
bd_form_prev(struct bd_form *form)
{
	size_t i;

	form->counters.keystrokes++;
	for (i = rank_of(form, form->current); i-- > 0;) {
		if (editable(form, form->order[i])) {
			enter_field(form, form->order[i]);
			return BD_FORM_MOVED;
		}
	}
	return BD_FORM_OK;
}

/* The editable field on the nearest row in direction `dir` (+1 down, -1 up)
 * whose input is nearest the cursor's column. */
static enum bd_form_status
vertical(struct bd_form *form, int dir)
{
	const struct bd_field_def *cur;
	size_t i, best = form->nfields;
	int col, best_row = 0, best_dist = 0;

	int cur_row;

	form->counters.keystrokes++;
	if (form->nfields == 0)
		return BD_FORM_OK;
	cur = cur_def(form);
	if (cur->grid) {
		/* within a grid: the same column on the line above or below,
		 * paging when that line is off the page */
		const struct bd_grid *g = &form->screen->grids[cur->grid - 1];
		int line = cur->grid_line + dir;

		if (line >= 0 && line < g->rows &&
		    editable(form, form->current + (size_t)((long)dir * (long)g->ncolumns))) {
			enter_field(form, form->current + (size_t)((long)dir * (long)g->ncolumns));
			return BD_FORM_MOVED;
		}
	}
	cur_row = bd_form_field_row(form, form->current);
	col = cur->input_col + bd_form_cursor_col(form);
	for (i = 0; i < form->nfields; i++) {
		const struct bd_field_def *f = &form->screen->fields[i];
		int dist, end = f->input_col + (f->width > 0 ? f->width : 1) - 1;
		int row = bd_form_field_row(form, i);

		if (!editable(form, i) || row < 0 || (row - cur_row) * dir <= 0)
			continue;
		dist = col < f->input_col ? f->input_col - col : col > end ? col - end : 0;
		if (best == form->nfields || (row - best_row) * dir < 0 ||
		    (row == best_row && dist < best_dist)) {
			best = i;
			best_row = row;
			best_dist = dist;
		}
	}
	if (best == form->nfields)
		return BD_FORM_OK;
	enter_field(form, best);
	return BD_FORM_MOVED;
}

enum bd_form_status
bd_form_up(struct bd_form *form)
{
	return vertical(form, -1);
}

enum bd_form_status
bd_form_down(struct bd_form *form)
{
	return vertical(form, +1);
}

enum bd_form_status
bd_form_dup(struct bd_form *form, struct bd_err *err)
{
	const struct bd_field_def *f;

	form->counters.keystrokes++;
	if (form->nfields == 0)
		return BD_FORM_REJECTED;
	f = cur_def(form);
	if (!f->dup || f->readonly) {
		bd_err_set(err, BD_ERR_INVALID, "%s cannot be copied from the previous record",
			   bd_field_title(f));
		return BD_FORM_REJECTED;
	}
	if (f->grid && f->grid_line > 0) {
		size_t above = form->current - form->screen->grids[f->grid - 1].ncolumns;

		replace_value(form, form->current, xstrdup(form->values[above]));
		form->cursor = bd_chars_count(form->values[form->current]);
		mark_keyed(form);
		return advance(form, err);
	}
	if (!form->previous[form->current]) {
		bd_err_set(err, BD_ERR_INVALID, "There is no previous record to copy from");
		return BD_FORM_REJECTED;
	}
	replace_value(form, form->current, xstrdup(form->previous[form->current]));
	form->cursor = bd_chars_count(form->values[form->current]);
	mark_keyed(form);
	return advance(form, err);
}

enum bd_form_status
bd_form_page(struct bd_form *form, int dir, struct bd_err *err)
{
	const struct bd_field_def *f;
	const struct bd_grid *g;
	size_t gi, vis, top, last;
	long line;

	form->counters.keystrokes++;
	if (form->nfields == 0 || form->screen->ngrids == 0) {
		bd_err_set(err, BD_ERR_INVALID, "This screen has no more pages");
		return BD_FORM_REJECTED;
	}
	f = cur_def(form);
	gi = f->grid ? (size_t)f->grid - 1 : 0;
	g = &form->screen->grids[gi];
	vis = (size_t)g->visible;
	top = form->top[gi];
	last = (size_t)g->rows - vis;
	if (dir > 0 ? top >= last : top == 0) {
		bd_err_set(err, BD_ERR_INVALID,
			   dir > 0 ? "This is the last page: %s has %d lines"
				   : "This is the first page of %s",
			   g->name, g->rows);
		return BD_FORM_REJECTED;
	}
	top = dir > 0 ? (top + vis > last ? last : top + vis) : (top < vis ? 0 : top - vis);
	form->top[gi] = top;
	if (!f->grid)
		return BD_FORM_OK;
	line = f->grid_line + (long)dir * (long)vis;
	if (line < (long)top)
		line = (long)top;
	if (line >= (long)(top + vis))
		line = (long)(top + vis - 1);
	enter_field(form, g->first + (size_t)line * g->ncolumns + (size_t)f->grid_col);
	return BD_FORM_MOVED;
}

/* ---- keys inside a field -------------------------------------------------- */

static bool
refuse_readonly(struct bd_form *form, struct bd_err *err)
{
	if (form->nfields == 0)
		return true;
	if (cur_def(form)->readonly) {
		bd_err_set(err, BD_ERR_INVALID, "%s cannot be changed",
			   bd_field_title(cur_def(form)));
		return true;
	}
	return false;
}

static enum bd_form_status
after_typing(struct bd_form *form, bool full, struct bd_err *err)
{
	mark_keyed(form);
	if (full && cur_def(form)->auto_advance)
		return advance(form, err);
	return BD_FORM_OK;
}

/* The first character typed into a field just entered replaces its value
 * (when the field would take it as a first character: a refused key
 * leaves the value alone). -1 when refused (err set). */
static int
replace_fresh(struct bd_form *form, uint32_t cp, struct bd_err *err)
{
	const struct bd_field_def *f = cur_def(form);

	if (!form->fresh)
		return 0;
	if (*form->values[form->current]) {
		if (!bd_field_filter(f, "", 0, form->insert, cp, err))
			return -1;
		replace_value(form, form->current, xstrdup(""));
		form->cursor = 0;
	}
	form->fresh = false;
	return 0;
}

static enum bd_form_status
type_picture(struct bd_form *form, uint32_t cp, struct bd_err *err)
{
	const struct bd_field_def *f = cur_def(form);
	const char *mask = f->picture;
	struct picdata pd;
	size_t d, c, nslots = slot_count(mask);

	pic_extract(mask, form->values[form->current], &pd);
	d = data_index(mask, form->cursor);
	if (d > pd.n)
		d = pd.n;
	c = slot_pos(mask, d);
	if ((form->insert && pd.n >= nslots) || d >= nslots)
		c = strlen(mask); /* full: let the filter say so */
	cp = bd_field_filter(f, form->values[form->current], c, form->insert, cp, err);
	if (!cp)
		return BD_FORM_REJECTED;
	if (form->insert || d == pd.n) {
		memmove(&pd.cp[d + 1], &pd.cp[d], (pd.n - d) * sizeof(pd.cp[0]));
		pd.n++;
	}
	pd.cp[d] = cp;
	pic_store(form, &pd, d + 1);
	pic_extract(mask, form->values[form->current], &pd);
	return after_typing(form, pd.n == nslots && d + 1 == nslots, err);
}

enum bd_form_status
bd_form_type(struct bd_form *form, uint32_t cp, struct bd_err *err)
{
	const struct bd_field_def *f;
	const char *v;
	struct strbuf sb = STRBUF_INIT;
	size_t off, end, n;
	char enc[4];
	bool combining;

	form->counters.keystrokes++;
	if (refuse_readonly(form, err))
		return BD_FORM_REJECTED;
	f = cur_def(form);
	if (f->picture) {
		if (replace_fresh(form, cp, err) < 0)
			return BD_FORM_REJECTED;
		return type_picture(form, cp, err);
	}

	if (replace_fresh(form, cp, err) < 0)
		return BD_FORM_REJECTED;
	v = form->values[form->current];
	cp = bd_field_filter(f, v, form->cursor, form->insert, cp, err);
	if (!cp)
		return BD_FORM_REJECTED;
	combining = bd_cp_width(cp) == 0;
	n = strlen(v);
	off = bd_chars_offset(v, form->cursor);
	end = (form->insert || combining) ? off : bd_field_next_char(v, n, off);
	strbuf_add(&sb, v, off);
	strbuf_add(&sb, enc, bd_utf8_encode(cp, enc));
	strbuf_addstr(&sb, v + end);
	replace_value(form, form->current, strbuf_detach(&sb, NULL));
	if (!combining)
		form->cursor++;
	n = bd_chars_count(form->values[form->current]);
	return after_typing(form, n >= (size_t)f->length && form->cursor == n, err);
}

/* Removes characters [from, to) of the current value. */
static void
remove_chars(struct bd_form *form, size_t from, size_t to)
{
	const char *v = form->values[form->current];
	size_t a = bd_chars_offset(v, from), b = bd_chars_offset(v, to);
	struct strbuf sb = STRBUF_INIT;

	strbuf_add(&sb, v, a);
	strbuf_addstr(&sb, v + b);
	replace_value(form, form->current, strbuf_detach(&sb, NULL));
}

enum bd_form_status
bd_form_backspace(struct bd_form *form, struct bd_err *err)
{
	const char *mask;
	struct picdata pd;
	size_t d;

	form->counters.keystrokes++;
	form->fresh = false;
	if (refuse_readonly(form, err))
		return BD_FORM_REJECTED;
	mask = cur_def(form)->picture;
	if (mask) {
		pic_extract(mask, form->values[form->current], &pd);
		d = data_index(mask, form->cursor);
		if (d > pd.n)
			d = pd.n;
		if (d == 0)
			return BD_FORM_OK;
		memmove(&pd.cp[d - 1], &pd.cp[d], (pd.n - d) * sizeof(pd.cp[0]));
		pd.n--;
		pic_store(form, &pd, d - 1);
	} else {
		if (form->cursor == 0)
			return BD_FORM_OK;
		remove_chars(form, form->cursor - 1, form->cursor);
		form->cursor--;
	}
	form->counters.corrections++;
	mark_keyed(form);
	return BD_FORM_OK;
}

enum bd_form_status
bd_form_delete(struct bd_form *form, struct bd_err *err)
{
	const char *mask;
	struct picdata pd;
	size_t d;

	form->counters.keystrokes++;
	form->fresh = false;
	if (refuse_readonly(form, err))
		return BD_FORM_REJECTED;
	mask = cur_def(form)->picture;
	if (mask) {
		pic_extract(mask, form->values[form->current], &pd);
		d = data_index(mask, form->cursor);
		if (d >= pd.n)
			return BD_FORM_OK;
		memmove(&pd.cp[d], &pd.cp[d + 1], (pd.n - d - 1) * sizeof(pd.cp[0]));
		pd.n--;
		pic_store(form, &pd, d);
	} else {
		if (form->cursor >= bd_chars_count(form->values[form->current]))
			return BD_FORM_OK;
		remove_chars(form, form->cursor, form->cursor + 1);
	}
	form->counters.corrections++;
	mark_keyed(form);
	return BD_FORM_OK;
}

enum bd_form_status
bd_form_clear_to_end(struct bd_form *form, struct bd_err *err)
{
	const char *mask;
	struct picdata pd;
	size_t d, n;

	form->counters.keystrokes++;
	form->fresh = false;
	if (refuse_readonly(form, err))
		return BD_FORM_REJECTED;
	mask = cur_def(form)->picture;
	if (mask) {
		pic_extract(mask, form->values[form->current], &pd);
		d = data_index(mask, form->cursor);
		if (d >= pd.n)
			return BD_FORM_OK;
		pd.n = d;
		pic_store(form, &pd, d);
	} else {
		n = bd_chars_count(form->values[form->current]);
		if (form->cursor >= n)
			return BD_FORM_OK;
		remove_chars(form, form->cursor, n);
	}
	form->counters.corrections++;
	mark_keyed(form);
	return BD_FORM_OK;
}

enum bd_form_status
bd_form_left(struct bd_form *form)
{
	const char *mask;
	size_t d;

	form->counters.keystrokes++;
	form->fresh = false;
	if (form->nfields == 0)
		return BD_FORM_OK;
	mask = cur_def(form)->picture;
	if (mask) {
		d = data_index(mask, form->cursor);
		if (d > 0)
			pic_set_cursor(form, d - 1);
	} else if (form->cursor > 0) {
		form->cursor--;
	}
	return BD_FORM_OK;
}

enum bd_form_status
bd_form_right(struct bd_form *form)
{
	const char *mask;
	size_t n;

	form->counters.keystrokes++;
	form->fresh = false;
	if (form->nfields == 0)
		return BD_FORM_OK;
	mask = cur_def(form)->picture;
	n = bd_chars_count(form->values[form->current]);
	if (mask)
		pic_set_cursor(form, data_index(mask, form->cursor) + 1);
	else if (form->cursor < n)
		form->cursor++;
	return BD_FORM_OK;
}

enum bd_form_status
bd_form_home(struct bd_form *form)
{
	form->counters.keystrokes++;
	if (form->nfields)
		enter_field(form, form->current);
	form->fresh = false;
	return BD_FORM_OK;
}

enum bd_form_status
bd_form_end(struct bd_form *form)
{
	form->counters.keystrokes++;
	form->fresh = false;
	if (form->nfields)
		form->cursor = bd_chars_count(form->values[form->current]);
	return BD_FORM_OK;
}

void
bd_form_toggle_insert(struct bd_form *form)
{
	form->counters.keystrokes++;
	form->fresh = false;
	form->insert = !form->insert;
}

/* ---- whole form ------------------------------------------------------------ */

int
bd_form_validate(const struct bd_form *form, size_t *bad, struct bd_err *err)
{
	size_t i;

	for (i = 0; i < form->nfields; i++) {
		size_t k = form->order[i];

		if (validate_field(form, k, err) < 0) {
			if (bad)
				*bad = k;
			return -1;
		}
	}
	return bd_rules_check(form, (size_t)-1, bad, err);
}

void
bd_form_params_free(char **params, size_t n)
{
	size_t i;

	if (!params)
		return;
	for (i = 0; i < n; i++)
		free(params[i]);
	free(params);
}

char **
bd_form_params(const struct bd_form *form, size_t *bad, struct bd_err *err)
{
	char **params = xcalloc(form->nfields + 1, sizeof(*params));
	size_t i;

	for (i = 0; i < form->nfields; i++) {
		struct strbuf sb = STRBUF_INIT;
		if (bd_field_normalize(&form->screen->fields[i], form->values[i], &sb, err) < 0) {
			strbuf_release(&sb);
			if (bad)
				*bad = i;
			bd_form_params_free(params, i);
			return NULL;
		}
		params[i] = strbuf_detach(&sb, NULL);
	}
	return params;
}

int
bd_form_field_view(const struct bd_form *form, size_t index, size_t *off, size_t *len)
{
	size_t cursor = index == form->current ? form->cursor : 0;

	if (index >= form->nfields) {
		*off = *len = 0;
		return 0;
	}
	return bd_field_view(form->values[index], cursor, form->screen->fields[index].width, off,
			     len);
}

int
bd_form_cursor_col(const struct bd_form *form)
{
	size_t off, len;

	return bd_form_field_view(form, form->current, &off, &len);
}

/* ---- drafts ------------------------------------------------------------------ */

static void
add_net(struct strbuf *out, const char *s)
{
	strbuf_addf(out, "%zu:%s", strlen(s), s);
}

void
bd_form_draft_save(const struct bd_form *form, struct strbuf *out)
{
	size_t i;

	strbuf_addstr(out, "bd-draft 1\nscreen ");
	add_net(out, form->screen->name);
	strbuf_addf(out, "\nat %zu %zu\n", form->current, form->cursor);
	for (i = 0; i < form->nfields; i++) {
		strbuf_addstr(out, "v ");
		add_net(out, form->screen->fields[i].name);
		strbuf_addch(out, ' ');
		add_net(out, form->values[i]);
		strbuf_addch(out, '\n');
	}
}

struct cursor {
	const char *p, *end;
};

static bool
eat(struct cursor *c, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n))
		return false;
	c->p += n;
	return true;
}

static bool
number(struct cursor *c, size_t *out)
{
	size_t v = 0;
	int digits = 0;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9' && digits < 9) {
		v = v * 10 + (size_t)(*c->p++ - '0');
		digits++;
	}
	*out = v;
	return digits > 0;
}

/* <len>:<bytes> into a fresh string; refuses NUL and invalid UTF-8. */
static char *
netstring(struct cursor *c)
{
	size_t n;

	if (!number(c, &n) || !eat(c, ":") || (size_t)(c->end - c->p) < n)
		return NULL;
	if (memchr(c->p, '\0', n) || !bd_utf8_valid(c->p, n))
		return NULL;
	c->p += n;
	return xstrndup(c->p - n, n);
}

int
bd_form_draft_restore(struct bd_form *form, const char *draft, size_t len, struct bd_err *err)
{
	struct cursor c = {draft, draft + len};
	char **vals = xcalloc(form->nfields + 1, sizeof(*vals));
	char *name = NULL, *value = NULL;
	size_t at = 0, cur = 0, i;
	bool other_screen = false;
	int rc = -1;

	if (!eat(&c, "bd-draft 1\nscreen ") || !(name = netstring(&c)) || !eat(&c, "\nat ") ||
	    !number(&c, &at) || !eat(&c, " ") || !number(&c, &cur) || !eat(&c, "\n"))
		goto cleanup;
	if (strcmp(name, form->screen->name)) {
		bd_err_set(err, BD_ERR_INVALID, "The saved draft is for another screen (%s)", name);
		other_screen = true;
		goto cleanup;
	}
	while (c.p < c.end) {
		int index;
		free(name);
		name = NULL;
		if (!eat(&c, "v ") || !(name = netstring(&c)) || !eat(&c, " ") ||
		    !(value = netstring(&c)) || !eat(&c, "\n"))
			goto cleanup;
		index = bd_screen_field_index(form->screen, name);
		if (index >= 0) {
			free(vals[index]);
			vals[index] = value;
		} else {
			free(value);
		}
		value = NULL;
	}
	for (i = 0; i < form->nfields; i++) {
		if (vals[i]) {
			replace_value(form, i, vals[i]);
			vals[i] = NULL;
		}
	}
	form->current = at < form->nfields ? at : first_editable(form);
	follow(form);
	form->cursor = form->nfields ? clamp_to_value(form, cur) : 0;
	form->fresh = false; /* back where the keyer was, mid-field perhaps */
	rc = 0;
cleanup:
	if (rc < 0 && !other_screen)
		bd_err_set(err, BD_ERR_INVALID, "The saved draft is damaged and was not restored");
	for (i = 0; i < form->nfields; i++)
		free(vals[i]);
	free(vals);
	free(value);
	free(name);
	return rc;
}
