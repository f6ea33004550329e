#ifndef BACKDESK_FORM_H
#define BACKDESK_FORM_H
/*
 * The form state machine: a screen's values being keyed, with no terminal.
 * The UI maps keys to these calls and draws from the state; tests drive it
 * directly.
 *
 * Ownership: the form borrows its struct bd_screen (which must outlive it)
 * and owns its value strings. Values are always valid UTF-8 (set_value and
 * draft_restore refuse anything else). `current` is a field index; `cursor`
 * a character position in that field's value (see field.h for
 * "character"), 0..chars(value). Readonly fields are skipped by next/prev
 * and refuse keys; `current` may still point at one when every field is
 * readonly.
 *
 * Every key operation counts one keystroke; backspace, delete and
 * clear-to-end also count a correction; the first keyed change to a field in
 * a record counts a field keyed. The counters run until the caller zeroes
 * them (operator productivity).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backdesk/err.h"
#include "backdesk/screen.h"
#include "backdesk/strbuf.h"

enum bd_form_status {
	BD_FORM_OK = 0,	  /* done; still on the same field */
	BD_FORM_MOVED,	  /* done, and the current field changed (auto-advance, next, prev, dup) */
	BD_FORM_REJECTED, /* key refused, nothing changed; err->msg says why (beep) */
	BD_FORM_INVALID,  /* the field could not be left: err->msg says why; cursor stays */
	BD_FORM_END,	  /* next/auto-advance/dup past the last field: the field was valid and
			     `current` did not move; the UI may submit */
};

struct bd_form_counters {
	unsigned long keystrokes;
	unsigned long corrections;
	unsigned long fields_keyed;
};

struct bd_form {
	const struct bd_screen *screen;
	size_t nfields;
	char **values;	 /* nfields malloc'd strings, never NULL */
	char **previous; /* previous record's values for Dup; entries may be NULL */
	bool *keyed;	 /* field changed by a key in this record */
	size_t *order;	 /* field indexes in tab order: by row, then column */
	size_t current;	 /* field index */
	size_t cursor;	 /* character position in values[current] */
	bool insert;	 /* insert (true, the default) or overwrite mode */
	/* The cursor has just entered `current` (next, prev, up, down, goto, a
	 * new record): the first character typed replaces the whole value, as
	 * a keyer expects. An editing key (Left, Right, Home, End, Backspace,
	 * Delete, Ctrl-K, Insert) or a typed character clears it, so keys after
	 * it change part of the value. */
	bool fresh;
	struct bd_form_counters counters;
	/* Per grid (screen->ngrids): the first line shown. Whenever the
	 * cursor lands on a cell off the page, the page follows it. */
	size_t *top;
};

/* Binds the form to `screen` (a BD_SCREEN_FORM), all values empty, current =
 * first editable field, cursor 0, insert mode. */
void bd_form_init(struct bd_form *form, const struct bd_screen *screen);
void bd_form_release(struct bd_form *form);

/* Sets every value to its default (bd_field_default), clears the keyed
 * flags, moves to the first editable field. `previous` is kept. */
void bd_form_load_defaults(struct bd_form *form);

/* Copies the current values into `previous` (call after a record is saved,
 * before bd_form_load_defaults for the next one). */
void bd_form_remember(struct bd_form *form);

/* Value access. set_value refuses invalid UTF-8 (-1, err set); it does not
 * validate by type (use bd_form_validate). The cursor is clamped. */
const char *bd_form_value(const struct bd_form *form, size_t index);
const char *bd_form_value_by_name(const struct bd_form *form, const char *name);
int bd_form_set_value(struct bd_form *form, size_t index, const char *value, struct bd_err *err);
int bd_form_set_previous(struct bd_form *form, size_t index, const char *value, struct bd_err *err);

/* Moves to field `index` (no validation), cursor at the end of its value;
 * the field is fresh (see above). */
void bd_form_goto(struct bd_form *form, size_t index);

/* Keys. */
enum bd_form_status bd_form_type(struct bd_form *form, uint32_t cp, struct bd_err *err);
enum bd_form_status bd_form_backspace(struct bd_form *form, struct bd_err *err);
enum bd_form_status bd_form_delete(struct bd_form *form, struct bd_err *err);
enum bd_form_status bd_form_left(struct bd_form *form);
enum bd_form_status bd_form_right(struct bd_form *form);
enum bd_form_status bd_form_home(struct bd_form *form);
enum bd_form_status bd_form_end(struct bd_form *form);
enum bd_form_status bd_form_clear_to_end(struct bd_form *form, struct bd_err *err);
void bd_form_toggle_insert(struct bd_form *form);
/* Validates the current field (a required one too); on success moves to the
 * next editable field in tab order (row by row, left to right; cursor 0),
 * or returns BD_FORM_END on the last. */
enum bd_form_status bd_form_next(struct bd_form *form, struct bd_err *err);
/* Moves to the previous editable field in tab order without validating
 * (BD_FORM_OK when already on the first). */
enum bd_form_status bd_form_prev(struct bd_form *form);
/* Up and Down: to the editable field on the nearest row above (below) the
 * current one, the one nearest the cursor's column, without validating (an
 * empty required field is checked by Enter and on save, not when passed).
 * BD_FORM_MOVED, or BD_FORM_OK when no editable field lies that way. */
enum bd_form_status bd_form_up(struct bd_form *form);
enum bd_form_status bd_form_down(struct bd_form *form);
/* F6: when the current field has `dup` and there is a previous value, copies
 * it and advances like bd_form_next. REJECTED when the field is not dup-able
 * or there is no previous record. In a grid cell below the first line the
 * previous value is the cell above (same column, line - 1). */
enum bd_form_status bd_form_dup(struct bd_form *form, struct bd_err *err);

/* PgDn (dir +1) and PgUp (-1): in a grid cell, moves the page and the cursor
 * by `visible` lines in the same column (to the first or last line at the
 * ends) without validating; on a plain field, pages the screen's first grid
 * and leaves the cursor. BD_FORM_MOVED or BD_FORM_OK (page moved, cursor
 * not), REJECTED (err says so) when there is no page that way or no grid. */
enum bd_form_status bd_form_page(struct bd_form *form, int dir, struct bd_err *err);

/* The screen row where field `index` is drawn, or -1 when it is a grid cell
 * off the grid's page. */
int bd_form_field_row(const struct bd_form *form, size_t index);

/* Validates every field in tab order (a cell's `required` of its column
 * when its line is not empty). Returns -1 for the first bad one with its
 * index in *bad (when bad is not NULL) and the message in err->msg; 0 when
 * all are valid. Does not move the cursor (the UI may bd_form_goto(*bad)). */
int bd_form_validate(const struct bd_form *form, size_t *bad, struct bd_err *err);

/* The normalised values (bd_field_normalize) in field order, for the save
 * query's parameters: a malloc'd array of nfields malloc'd strings, freed
 * with bd_form_params_free(). NULL (err set, *bad = index) if a field is
 * invalid. */
char **bd_form_params(const struct bd_form *form, size_t *bad, struct bd_err *err);
void bd_form_params_free(char **params, size_t n);

/* Display helpers for the current field: the cursor's column relative to the
 * field's input_col and the visible slice (bd_field_view). */
int bd_form_cursor_col(const struct bd_form *form);
int bd_form_field_view(const struct bd_form *form, size_t index, size_t *off, size_t *len);

/*
 * Drafts: the values, current field and cursor as one string, to survive a
 * dropped link. Format (all lengths decimal byte counts, netstring style):
 *
 *   bd-draft 1\n
 *   screen <len>:<screen name>\n
 *   at <current> <cursor>\n
 *   v <len>:<field name> <len>:<value>\n        (one per field)
 *
 * bd_form_draft_save appends it to `out`. bd_form_draft_restore checks the
 * header and screen name, sets each named field that exists (unknown names
 * are ignored, so a draft survives a screen gaining a field), clamps the
 * position, and returns -1 (err set, form unchanged) on any malformed or
 * non-UTF-8 input.
 */
void bd_form_draft_save(const struct bd_form *form, struct strbuf *out);
int bd_form_draft_restore(struct bd_form *form, const char *draft, size_t len, struct bd_err *err);

#endif
