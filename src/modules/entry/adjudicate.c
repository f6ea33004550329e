/*
 * "Adjudicate": the third operator resolves a double-keyed document whose
 * two passes differ. See include/backdesk/keying.h.
 *
 * The database hands out the document (entry.adjudication_next) with the
 * differing fields and the two values, never who keyed them. The screen is
 * built per document: per differing field its label, a one-key decision (1
 * or 2 takes that value, R keys it again) and the two values whole, each from
 * column 22 to the end of the line and wrapped onto more lines when longer.
 * F1 on a field shows both values in a help page as well (the one way to see
 * a value too long for a page: such a value ends in "..." on the screen).
 * R asks at once for the value in a prompt, taken through the document
 * type's own field as the keying form takes it (rekey_accept); a field
 * whose label others share is numbered ("Amount 2"). entry.adjudicate
 * stores the decisions and attributes the errors.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/entry.h"
#include "backdesk/json.h"
#include "backdesk/field.h"
#include "backdesk/form.h"
#include "backdesk/keying.h"
#include "backdesk/log.h"
#include "backdesk/strbuf.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"

#define FIRST_ROW 5
#define PAGE_LINES 17  /* rows 5..21 */
#define VALUE_COL 22   /* "1 value" with the 1 at column 20 */
#define VALUE_WIDTH 57 /* columns 22..78 */
#define MAX_LINES 500  /* of one value: beyond a page anyway */

struct adjudication {
	struct bd_session *s;
	char lease[16];
	char *document_id, *client_id, *doctype_id, *version, *ref, *sla, *source;
	size_t nagreed;
	struct bd_keying_obj *diffs;
	size_t ndiffs;
	char **decision; /* per diff: "1", "2" or "R" */
	char **rekeyed;	 /* per diff: the value keyed again (R), or NULL */
	struct bd_screen doctype;
	bool have_doctype;
	char *doctype_key;
	struct strbuf done; /* "DK-1 resolved. ": said again if the queue is then empty */
	/* The save's idempotency key, kept until it is answered: a save sent
	 * again after a lost link is done once. */
	char save_key[BD_DB_KEY_SIZE];
};

static void
doc_release(struct adjudication *a)
{
	size_t i;

	for (i = 0; i < a->ndiffs; i++) {
		bd_keying_obj_release(&a->diffs[i]);
		free(a->decision[i]);
		free(a->rekeyed[i]);
	}
	free(a->diffs);
	free(a->decision);
	free(a->rekeyed);
	a->diffs = NULL;
	a->decision = a->rekeyed = NULL;
	a->ndiffs = 0;
	free(a->document_id);
	free(a->client_id);
	free(a->doctype_id);
	free(a->version);
	free(a->ref);
	free(a->sla);
	free(a->source);
	a->document_id = a->client_id = a->doctype_id = a->version = NULL;
	a->ref = a->sla = a->source = NULL;
	*a->save_key = '\0';
}

static char *
col_dup(const struct bd_db_result *res, const char *name)
{
	return xstrdup(bd_db_result_text(res, 0, name));
}

/* 1: a document is claimed; 0: none waits; -1: error. */
static int
claim(struct adjudication *a, struct bd_err *err)
{
	struct bd_db_result *res;
	struct bd_keying_obj agreed;
	char *json;
	int rc = -1;

	doc_release(a);
	res =
	    bd_session_query(a->s, "entry.adjudication_next",
			     BD_PARAMS(a->lease, a->s->client_id ? a->s->client_code : NULL), err);
	if (!res)
		return -1;
	if (bd_db_result_rows(res) < 1) {
		rc = 0;
		goto cleanup;
	}
	a->document_id = col_dup(res, "document_id");
	a->client_id = col_dup(res, "client_id");
	a->doctype_id = col_dup(res, "doctype_id");
	a->version = col_dup(res, "doctype_version");
	a->ref = col_dup(res, "external_ref");
	a->sla = col_dup(res, "sla_due");
	a->source = col_dup(res, "source_path");
	json = col_dup(res, "diffs");
	rc = bd_keying_json_array(json, &a->diffs, &a->ndiffs, err);
	free(json);
	if (rc < 0)
		goto cleanup;
	bd_keying_obj_init(&agreed);
	json = col_dup(res, "agreed");
	if (bd_keying_json_object(json, &agreed, NULL) == 0)
		a->nagreed = agreed.n;
	bd_keying_obj_release(&agreed);
	free(json);
	a->decision = xcalloc(a->ndiffs + 1, sizeof(char *));
	a->rekeyed = xcalloc(a->ndiffs + 1, sizeof(char *));
	rc = 1;
cleanup:
	bd_db_result_free(res);
	return rc;
}

/* The document type, for the rules a re-keyed value must pass. */
static int
ensure_doctype(struct adjudication *a, struct bd_err *err)
{
	struct strbuf key = STRBUF_INIT;
	int rc = 0;

	strbuf_addf(&key, "%s/%s/%s", a->client_id, a->doctype_id, a->version);
	if (a->have_doctype && !strcmp(a->doctype_key, key.buf))
		goto cleanup;
	if (a->have_doctype)
		bd_screen_release(&a->doctype);
	a->have_doctype = false;
	bd_screen_init(&a->doctype);
	if (bd_keying_load_doctype(a->s, a->client_id, a->doctype_id, a->version, &a->doctype,
				   err) < 0) {
		rc = -1;
		goto cleanup;
	}
	a->have_doctype = true;
	free(a->doctype_key);
	a->doctype_key = strbuf_detach(&key, NULL);
cleanup:
	strbuf_release(&key);
	return rc;
}

/* A libconfig string literal of `s`, at most `max` bytes of it (whole
 * UTF-8 characters). */
static void
add_literal(struct strbuf *out, const char *s, size_t max)
{
	size_t n = strlen(s), i;

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	strbuf_addch(out, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			strbuf_addch(out, '\\');
		strbuf_addch(out, c < 0x20 || c == 0x7f ? ' ' : (char)c);
	}
	strbuf_addch(out, '"');
}

/* A differing field's value as shown: "(empty)" for none. */
static const char *
diff_value(const struct adjudication *a, size_t i, int which)
{
	const char *v = bd_keying_obj_get(&a->diffs[i], which == 1 ? "value1" : "value2");

	return v && *v ? v : "(empty)";
}

/* Columns that code point s[0..len) takes once through the output gate. */
static int
gated_width(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	int w = bd_gate(&sb, s, len, -1);

	strbuf_release(&sb);
	return w;
}

/*
 * `v` cut into lines of at most VALUE_WIDTH columns as drawn, at most `max`
 * of them (the last then ends in "..."). A line breaks after its last space
 * when that is in the line's second half, otherwise within the word; a
 * break drops no character. Returns the number of lines (>= 1); with `lines`
 * each is appended to it as one string, "" for an empty value.
 */
static size_t
wrap_value(const char *v, size_t max, struct strbuf *lines)
{
	size_t n = 0, len = strlen(v), start = 0;

	while (n < max) {
		size_t pos = start, brk = 0, step;
		int w = 0, cw;
		uint32_t cp;
		bool cut;

		while (pos < len) {
			step = bd_utf8_decode(v + pos, len - pos, &cp);
			cw = gated_width(v + pos, step);
			if (w + cw > VALUE_WIDTH)
				break;
			w += cw;
			pos += step;
			if (cp == ' ' && w > VALUE_WIDTH / 2)
				brk = pos;
		}
		if (pos < len && brk)
			pos = brk;
		if (pos == start && pos < len) /* wider than a line: one character */
			pos += bd_utf8_decode(v + pos, len - pos, &cp);
		n++;
		cut = n == max && pos < len;
		if (lines && !cut) {
			strbuf_add(&lines[n - 1], v + start, pos - start);
		} else if (lines) {
			/* room for the "..." */
			size_t end = start;

			for (w = 0; end < pos; end += step) {
				step = bd_utf8_decode(v + end, pos - end, &cp);
				cw = gated_width(v + end, step);
				if (w + cw > VALUE_WIDTH - 3)
					break;
				w += cw;
			}
			strbuf_add(&lines[n - 1], v + start, end - start);
			strbuf_addstr(&lines[n - 1], "...");
		}
		start = pos;
		if (start >= len)
			break;
	}
	return n;
}

/* How many lines of the two values of diff i fit on a page: *n1 + *n2 <=
 * PAGE_LINES, each at least 1. Returns true when one is cut. */
static bool
diff_lines(const struct adjudication *a, size_t i, size_t *n1, size_t *n2)
{
	size_t w1 = wrap_value(diff_value(a, i, 1), MAX_LINES, NULL);
	size_t w2 = wrap_value(diff_value(a, i, 2), MAX_LINES, NULL);

	*n1 = w1;
	*n2 = w2;
	if (w1 + w2 <= PAGE_LINES)
		return false;
	if (w1 > PAGE_LINES / 2)
		*n1 = w2 < PAGE_LINES - PAGE_LINES / 2 ? PAGE_LINES - w2 : PAGE_LINES / 2;
	*n2 = PAGE_LINES - *n1 < w2 ? PAGE_LINES - *n1 : w2;
	return true;
}

/* The end of the page of diffs that starts at `from`. */
static size_t
page_end(const struct adjudication *a, size_t from)
{
	size_t used = 0, i, n1, n2;

	for (i = from; i < a->ndiffs; i++) {
		diff_lines(a, i, &n1, &n2);
		if (i > from && used + n1 + n2 > PAGE_LINES)
			break;
		used += n1 + n2;
	}
	return i;
}

/* The lines of value `which` (1 or 2) of diff i, at most `max`: *lines
 * (n of them) to release with free_lines. */
static size_t
value_lines(const struct adjudication *a, size_t i, int which, size_t max, struct strbuf **lines)
{
	size_t k;

	*lines = xcalloc(max, sizeof(**lines));
	for (k = 0; k < max; k++)
		strbuf_init(&(*lines)[k], 0);
	return wrap_value(diff_value(a, i, which), max, *lines);
}

static void
free_lines(struct strbuf *lines, size_t max)
{
	size_t k;

	for (k = 0; k < max; k++)
		strbuf_release(&lines[k]);
	free(lines);
}

/* The readonly fields "v<which>_<i>_<line>" for the lines of value `which`
 * of diff i, from `row`, the first labelled 1 or 2. Returns the next row. */
static int
add_value_fields(struct strbuf *t, size_t i, int which, int row, size_t nlines)
{
	size_t k;

	for (k = 0; k < nlines; k++)
		strbuf_addf(t,
			    ", { name = \"v%d_%zu_%zu\"; label = \"%s\"; row = %d; col = %d; "
			    "input_col = %d; type = \"text\"; width = %d; length = 1000; "
			    "readonly = true; }",
			    which, i, k, k ? "" : (which == 1 ? "1" : "2"), row++,
			    k ? VALUE_COL : VALUE_COL - 2, VALUE_COL, VALUE_WIDTH);
	return row;
}

/* Puts the lines of value `which` of diff i into their fields. */
static void
set_value_fields(struct bd_form *form, const struct adjudication *a, size_t i, int which,
		 size_t nlines)
{
	struct strbuf *lines;
	size_t k, got = value_lines(a, i, which, nlines, &lines);

	for (k = 0; k < got; k++) {
		char name[64];
		int f;

		snprintf(name, sizeof(name), "v%d_%zu_%zu", which, i, k);
		f = bd_screen_field_index(form->screen, name);
		if (f >= 0) /* a value is valid UTF-8 (it came from jsonb) */
			bd_form_set_value(form, (size_t)f, lines[k].buf, NULL);
	}
	free_lines(lines, nlines);
}

static const struct bd_field_def *doctype_field(const struct adjudication *a, const char *name);

/*
 * The label of diff i as the adjudicator needs it: the document type's label,
 * numbered when several fields share it ("Amount 2": the second of the four
 * Amount fields, in screen order), so that a difference always says which
 * field it is. *row_label gets the label that starts the field's row in the
 * keying form ("Procedure 2"), or NULL.
 */
void
bd_keying_field_label(const struct bd_screen *screen, size_t i, struct strbuf *out,
		      const char **row_label)
{
	const struct bd_field_def *f = &screen->fields[i], *first = NULL;
	size_t k, same = 0, nth = 0;

	strbuf_addstr(out, bd_field_title(f));
	for (k = 0; k < screen->nfields; k++) {
		const struct bd_field_def *o = &screen->fields[k];

		if (!strcmp(bd_field_title(o), bd_field_title(f))) {
			same++;
			if (k == i)
				nth = same;
		}
		if (o->row == f->row && o->col < f->col && (!first || o->col < first->col))
			first = o;
	}
	if (same > 1)
		strbuf_addf(out, " %zu", nth);
	if (row_label)
		*row_label = first ? bd_field_title(first) : NULL;
}

static void
diff_label(const struct adjudication *a, size_t i, struct strbuf *out, const char **row_label)
{
	const char *name = bd_keying_obj_get(&a->diffs[i], "field");
	const char *label = bd_keying_obj_get(&a->diffs[i], "label");
	const struct bd_field_def *f = doctype_field(a, name);

	*row_label = NULL;
	if (f) {
		bd_keying_field_label(&a->doctype, (size_t)(f - a->doctype.fields), out, row_label);
		return;
	}
	strbuf_addstr(out, label && *label ? label : name ? name : "?");
}

/* The screen for diffs [from, to); *cut: whether a value is cut short. */
static int
page_screen(struct adjudication *a, size_t from, size_t to, struct bd_screen *screen, bool *cut,
	    struct bd_err *err)
{
	struct strbuf t = STRBUF_INIT;
	size_t i, n1, n2;
	int rc, row = FIRST_ROW;

	*cut = false;
	strbuf_addstr(&t, "screen = { name = \"adjudicate\"; title = \"Adjudicate\"; help = ");
	add_literal(&t,
		    "The two keyings of this document differ in the fields listed (a label "
		    "that several fields share is numbered: Amount 2 is the second Amount). "
		    "For each, type 1 or 2 to take that value, or R to key the right value "
		    "again: a box opens at once and takes the value as the keying form does. "
		    "F2 saves; F9 gives the document back; F3 leaves it for later. F1 on a "
		    "field shows its two values whole.",
		    1000);
	strbuf_addstr(&t, "; fields = (");
	for (i = from; i < to; i++) {
		struct strbuf label = STRBUF_INIT, help = STRBUF_INIT;
		const char *row_label;

		if (diff_lines(a, i, &n1, &n2))
			*cut = true;
		diff_label(a, i, &label, &row_label);
		strbuf_addf(&help, "%s", label.buf);
		if (row_label)
			strbuf_addf(&help, " (on the row of %s)", row_label);
		strbuf_addstr(&help, ", keyed as");
		strbuf_addf(&t, "%s{ name = \"pick%zu\"; label = ", i > from ? ", " : "", i);
		add_literal(&t, label.buf, 14);
		strbuf_addf(&t,
			    "; row = %d; col = 2; input_col = 17; type = \"choice\"; "
			    "values = [\"1\", \"2\", \"R\"]; upshift = true; auto_advance = true; "
			    "required = true; help = ",
			    row);
		add_literal(&t, help.buf, 1000);
		strbuf_addstr(&t, " \"\\n1: \" ");
		strbuf_release(&label);
		strbuf_release(&help);
		add_literal(&t, diff_value(a, i, 1), 4000);
		strbuf_addstr(&t, " \"\\n2: \" ");
		add_literal(&t, diff_value(a, i, 2), 4000);
		strbuf_addstr(&t, " \"\\n\\n1 or 2 takes that value; R keys it again.\"; }");
		row = add_value_fields(&t, i, 1, row, n1);
		row = add_value_fields(&t, i, 2, row, n2);
	}
	strbuf_addstr(&t, "); };");
	rc = bd_screen_parse(screen, t.buf, "adjudicate", err);
	strbuf_release(&t);
	return rc;
}

/* The form index of diff i's decision field. */
static size_t
pick_index(const struct bd_screen *screen, size_t i)
{
	char name[32];
	int k;

	snprintf(name, sizeof(name), "pick%zu", i);
	k = bd_screen_field_index(screen, name);
	return k >= 0 ? (size_t)k : 0;
}

/* The document type's definition of a differing field, or NULL. */
static const struct bd_field_def *
doctype_field(const struct adjudication *a, const char *name)
{
	int i = name && a->have_doctype ? bd_screen_field_index(&a->doctype, name) : -1;

	return i >= 0 ? &a->doctype.fields[i] : NULL;
}

/*
 * The value typed in the re-key box as the keying form takes it: each
 * character through the form engine on the document type's own field (its
 * keystroke filter: upshift, digits only, a picture's literals put in by the
 * engine, so "ac10237576" becomes "AC-10237576"), then the field's validation
 * and normal form. Appends to `out`: 0, or -1 with err set.
 */
static int
rekey_accept(const struct adjudication *a, const struct bd_field_def *f, const char *typed,
	     struct strbuf *out, struct bd_err *err)
{
	size_t fi = (size_t)(f - a->doctype.fields), n = strlen(typed), at = 0;
	struct bd_form form;
	int rc = -1;

	bd_form_init(&form, &a->doctype);
	bd_form_goto(&form, fi);
	while (at < n) {
		uint32_t cp;
		size_t len = bd_utf8_decode(typed + at, n - at, &cp);
		struct bd_err why = BD_ERR_INIT;

		at += len;
		if (form.current != fi) { /* it filled up and moved on */
			bd_err_set(err, BD_ERR_INVALID, "%s is at most %zu characters",
				   bd_field_title(f), bd_chars_count(bd_form_value(&form, fi)));
			goto cleanup;
		}
		if (bd_form_type(&form, cp, &why) != BD_FORM_REJECTED)
			continue;
		/* A picture's literal typed where the engine puts it itself. */
		if (f->picture && cp < 0x80 && !isalnum((int)cp))
			continue;
		bd_err_set(err, BD_ERR_INVALID, "%s: %s", bd_field_title(f), why.msg);
		goto cleanup;
	}
	rc = bd_field_normalize(f, bd_form_value(&form, fi), out, err);
cleanup:
	bd_form_release(&form);
	return rc;
}

/* The re-key box for diff i: the right value, keyed again. True when it was
 * keyed (a->rekeyed[i] set), false when the operator backed out (or hung
 * up). */
static bool
rekey_one(struct adjudication *a, size_t i)
{
	struct bd_session *s = a->s;
	const struct bd_field_def *f = doctype_field(a, bd_keying_obj_get(&a->diffs[i], "field"));
	struct strbuf label = STRBUF_INIT, prompt = STRBUF_INIT, value = STRBUF_INIT;
	const char *row_label;
	bool done = false;

	diff_label(a, i, &label, &row_label);
	strbuf_addstr(&prompt, label.buf);
	if (f)
		bd_ui_message(s->ui, BD_UI_MSG_INFO, "Key %s again, as on the keying form%s%s%s.",
			      label.buf, row_label ? " (on the row of " : "",
			      row_label ? row_label : "", row_label ? ")" : "");
	while (!done) {
		struct bd_err err = BD_ERR_INIT;
		struct strbuf norm = STRBUF_INIT;
		enum bd_ui_action act =
		    bd_ui_prompt(s->ui, prompt.buf, &value,
				 f ? (size_t)(f->length > 0 ? f->length : 1000) : 1000);

		if (act != BD_UI_SELECT) {
			strbuf_release(&norm);
			break;
		}
		if (f && rekey_accept(a, f, value.buf, &norm, &err) < 0) {
			bd_ui_message(s->ui, BD_UI_MSG_ERROR, "%s", err.msg);
		} else {
			free(a->rekeyed[i]);
			a->rekeyed[i] = xstrdup(f ? norm.buf : value.buf);
			bd_ui_message(s->ui, BD_UI_MSG_INFO,
				      "%s keyed again as \"%s\"; 1 or 2 instead takes a keying.",
				      label.buf, a->rekeyed[i]);
			done = true;
		}
		strbuf_release(&norm);
	}
	strbuf_release(&label);
	strbuf_release(&prompt);
	strbuf_release(&value);
	return done;
}

/* Asks for each R of diffs [from, to) not keyed again yet; false when the
 * operator backed out (or hung up). */
static bool
rekey_page(struct adjudication *a, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++) {
		if (strcmp(a->decision[i], "R")) {
			free(a->rekeyed[i]);
			a->rekeyed[i] = NULL;
			continue;
		}
		if (!a->rekeyed[i] && !rekey_one(a, i))
			return false;
	}
	return true;
}

/* The page being decided, for the form's field-exit callback. */
struct page_ctx {
	struct adjudication *a;
	const struct bd_screen *screen;
	size_t from, to;
};

static size_t pick_index(const struct bd_screen *screen, size_t i);

/* R then Enter (or R alone: the pick auto-advances) opens the re-key box at
 * once; backing out of it leaves the pick empty, with the cursor on it. */
static void
page_field_exit(void *ctx, struct bd_form *form)
{
	struct page_ctx *p = ctx;
	struct adjudication *a = p->a;
	size_t i;

	for (i = p->from; i < p->to; i++) {
		size_t k = pick_index(p->screen, i);

		if (strcmp(bd_form_value(form, k), "R")) {
			free(a->rekeyed[i]);
			a->rekeyed[i] = NULL;
			continue;
		}
		if (a->rekeyed[i])
			continue;
		if (!rekey_one(a, i)) {
			if (bd_ui_hungup(a->s->ui))
				return;
			bd_form_set_value(form, k, "", NULL);
			bd_form_goto(form, k);
			bd_ui_message(a->s->ui, BD_UI_MSG_INFO,
				      "Type 1 or 2 to take a keying, R to key the value again.");
			return;
		}
	}
}

enum step {
	STEP_PAGE = 0,
	STEP_DONE, /* every page decided: save */
	STEP_BACK, /* to the page before */
	STEP_CLAIM,
	STEP_LEAVE,
	STEP_HANGUP,
};

/* F9: give the document back with a note. */
static enum step
give_back(struct adjudication *a)
{
	struct bd_err err = BD_ERR_INIT;
	struct strbuf note = STRBUF_INIT;
	enum bd_ui_action act = bd_ui_prompt(a->s->ui, "Give it back: why? (note)", &note, 200);
	enum step next = STEP_PAGE;

	if (act == BD_UI_HANGUP) {
		next = STEP_HANGUP;
	} else if (act == BD_UI_SELECT) {
		if (bd_session_run(a->s, "entry.release", BD_PARAMS(a->document_id, note.buf),
				   &err) < 0) {
			next = a->s->db_broken ? STEP_HANGUP : STEP_PAGE;
			if (!a->s->db_broken)
				bd_session_error(a->s, &err);
		} else {
			strbuf_reset(&a->done);
			strbuf_addf(&a->done, "%s given back. ", a->ref);
			bd_ui_message(a->s->ui, BD_UI_MSG_INFO, "%s", a->done.buf);
			next = STEP_CLAIM;
		}
	}
	strbuf_release(&note);
	return next;
}

static const struct bd_ui_label adjudicate_labels[] = {{BD_UI_SAVE, "Resolve"},
						       {BD_UI_REJECT, "Give back"},
						       {BD_UI_PAGE_UP, "Page back"},
						       {BD_UI_NONE, NULL}};

/* Keeps the picks typed on the page of diffs [from, to). */
static void
keep_picks(struct adjudication *a, const struct bd_form *form, const struct bd_screen *screen,
	   size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++) {
		free(a->decision[i]);
		a->decision[i] = xstrdup(bd_form_value(form, pick_index(screen, i)));
	}
}

/* One page of decisions on the screen: diffs [from, to). PgUp (after the
 * first page) goes back a page with the picks kept; F2 goes on. */
static enum step
run_page(struct adjudication *a, size_t from, size_t to, size_t page, size_t pages)
{
	struct bd_session *s = a->s;
	struct bd_err err = BD_ERR_INIT;
	struct bd_screen screen;
	struct bd_form form;
	struct bd_ui_form_opts opts = {0};
	struct page_ctx pctx;
	struct strbuf title = STRBUF_INIT, sub = STRBUF_INIT, h0 = STRBUF_INIT, h1 = STRBUF_INIT;
	const char *header[2];
	enum step next = STEP_PAGE;
	size_t i;
	bool cut;

	bd_screen_init(&screen);
	if (page_screen(a, from, to, &screen, &cut, &err) < 0) {
		bd_session_error(s, &err);
		return STEP_LEAVE;
	}
	bd_form_init(&form, &screen);
	bd_form_load_defaults(&form);
	for (i = from; i < to; i++) {
		size_t n1, n2;

		diff_lines(a, i, &n1, &n2);
		set_value_fields(&form, a, i, 1, n1);
		set_value_fields(&form, a, i, 2, n2);
		if (a->decision[i])
			bd_form_set_value(&form, pick_index(&screen, i), a->decision[i], NULL);
	}
	bd_form_goto(&form, 0);
	form.cursor = 0;
	strbuf_addf(&title, "Adjudicate %s", a->ref);
	if (strlen(a->sla) >= 16)
		strbuf_addf(&sub, "SLA %.5s %.5s", a->sla + 5, a->sla + 11);
	strbuf_addf(&h0, "%zu field%s differ%s, %zu agree", a->ndiffs, a->ndiffs == 1 ? "" : "s",
		    a->ndiffs == 1 ? "s" : "", a->nagreed);
	if (pages > 1)
		strbuf_addf(&h0, "  (page %zu of %zu)", page + 1, pages);
	if (*a->source)
		strbuf_addf(&h0, "  Source %s", a->source);
	if (cut)
		strbuf_addstr(&h1, "Type 1, 2 or R (key it again). A value ending in ... is "
				   "cut: F1 shows it.");
	else
		strbuf_addstr(&h1, "Type 1 or 2 to take that keying, R to key the value again. "
				   "F9 gives it back.");
	header[0] = h0.buf;
	header[1] = h1.buf;
	opts.exits = BD_UI_BIT(BD_UI_SAVE) | BD_UI_BIT(BD_UI_REJECT) | BD_UI_BIT(BD_UI_EXIT) |
		     BD_UI_BIT(BD_UI_CANCEL) | BD_UI_BIT(BD_UI_MENU);
	if (page > 0)
		opts.exits |= BD_UI_BIT(BD_UI_PAGE_UP);
	opts.title = title.buf;
	opts.subtitle = sub.buf;
	opts.header = header;
	opts.nheader = 2;
	opts.labels = adjudicate_labels;
	pctx.a = a;
	pctx.screen = &screen;
	pctx.from = from;
	pctx.to = to;
	opts.ctx = &pctx;
	opts.on_field_exit = page_field_exit;
	for (;;) {
		enum bd_ui_action act = bd_ui_form(s->ui, &form, &opts);

		if (act == BD_UI_HANGUP) {
			next = STEP_HANGUP;
			break;
		}
		if (act == BD_UI_REJECT) {
			next = give_back(a);
			if (next == STEP_PAGE)
				continue;
			break;
		}
		if (act == BD_UI_PAGE_UP) {
			keep_picks(a, &form, &screen, from, to);
			next = STEP_BACK;
			break;
		}
		if (act != BD_UI_SAVE) {
			next = STEP_LEAVE;
			break;
		}
		keep_picks(a, &form, &screen, from, to);
		if (!rekey_page(a, from, to)) {
			if (bd_ui_hungup(s->ui)) {
				next = STEP_HANGUP;
				break;
			}
			continue;
		}
		next = STEP_DONE;
		break;
	}
	strbuf_release(&title);
	strbuf_release(&sub);
	strbuf_release(&h0);
	strbuf_release(&h1);
	bd_form_release(&form);
	bd_screen_release(&screen);
	return next;
}

static enum step
save(struct adjudication *a)
{
	struct bd_session *s = a->s;
	struct bd_err err = BD_ERR_INIT;
	struct strbuf json = STRBUF_INIT;
	struct bd_json j;
	enum step next = STEP_CLAIM;
	size_t i;

	bd_json_init(&j, &json);
	bd_json_begin_object(&j);
	for (i = 0; i < a->ndiffs; i++) {
		bd_json_key(&j, bd_keying_obj_get(&a->diffs[i], "field"));
		bd_json_begin_object(&j);
		if (a->rekeyed[i] && !strcmp(a->decision[i], "R")) {
			bd_json_key(&j, "value");
			bd_json_str(&j, a->rekeyed[i]);
		} else {
			bd_json_key(&j, "pick");
			bd_json_int(&j, !strcmp(a->decision[i], "2") ? 2 : 1);
		}
		bd_json_end_object(&j);
	}
	bd_json_end_object(&j);
	if (!*a->save_key)
		bd_db_new_key(a->save_key);
	if (bd_session_run(s, "entry.adjudicate", BD_PARAMS(a->document_id, json.buf, a->save_key),
			   &err) < 0) {
		if (err.kind != BD_ERR_CONNECTION)
			*a->save_key = '\0';
		if (s->db_broken) {
			next = STEP_HANGUP;
		} else {
			bd_session_error(s, &err);
			next = err.kind == BD_ERR_CONFLICT || err.kind == BD_ERR_NOT_FOUND
				   ? STEP_CLAIM
				   : STEP_PAGE;
		}
	} else {
		*a->save_key = '\0';
		strbuf_reset(&a->done);
		strbuf_addf(&a->done, "%s resolved. ", a->ref);
		bd_ui_message(s->ui, BD_UI_MSG_INFO, "%s", a->done.buf);
	}
	strbuf_release(&json);
	return next;
}

void
bd_keying_why_empty(struct bd_session *s, const char *state, const char *what, bool done_some,
		    struct strbuf *out)
{
	static const struct {
		const char *column, *one, *many;
	} reasons[] = {
	    {"keyed_by_you", "keyed by you", "keyed by you"},
	    {"held_by_others", "held by another operator", "held by other operators"},
	    {"paused", "in a paused batch", "in paused batches"},
	    {"skipped_by_you", "skipped by you", "skipped by you"},
	};
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res =
	    bd_session_query(s, "entry.review_waiting",
			     BD_PARAMS(state, s->client_id ? s->client_code : NULL), &err);
	long waiting = res ? strtol(bd_db_result_get(res, 0, 0), NULL, 10) : 0;
	size_t i, parts = 0;

	if (!res)
		bd_log_err(&err);
	if (waiting <= 0) {
		if (done_some)
			strbuf_addf(out, "Done with %s: the queue is empty.", what);
		else
			strbuf_addf(out, "Nothing is waiting for %s.", what);
		bd_db_result_free(res);
		return;
	}
	strbuf_addf(out, "Nothing for you: %ld document%s wait%s for %s", waiting,
		    waiting == 1 ? "" : "s", waiting == 1 ? "s" : "", what);
	for (i = 0; i < NELEM(reasons); i++) {
		long n = strtol(bd_db_result_get(res, 0, bd_db_result_col(res, reasons[i].column)),
				NULL, 10);

		if (n > 0)
			strbuf_addf(out, "%s%ld %s", parts++ ? ", " : ": ", n,
				    n == 1 ? reasons[i].one : reasons[i].many);
	}
	strbuf_addstr(out, !strcmp(state, "qa") ? " (no one reviews their own keying)."
						: " (a third operator judges a double-keyed "
						  "document).");
	bd_db_result_free(res);
}

enum bd_ui_action
bd_keying_adjudicate(struct bd_session *s)
{
	struct adjudication a;
	struct bd_err err = BD_ERR_INIT;
	enum bd_ui_action result = BD_UI_EXIT;
	long long lease = s->cfg ? bd_config_int(s->cfg, "entry.lease_seconds") : 300;
	enum step step = STEP_CLAIM;

	memset(&a, 0, sizeof(a));
	a.s = s;
	strbuf_init(&a.done, 0);
	snprintf(a.lease, sizeof(a.lease), "%lld", lease);
	for (;;) {
		size_t pages, page, *starts;
		int rc;

		if (step == STEP_CLAIM) {
			rc = claim(&a, &err);
			if (rc > 0)
				strbuf_reset(&a.done);
			if (rc <= 0) {
				if (s->db_broken)
					result = BD_UI_HANGUP;
				else if (rc < 0)
					bd_session_error(s, &err);
				else {
					/* "CLM-1 resolved. " and why there is no next */
					bd_keying_why_empty(s, "adjudication", "adjudication",
							    a.done.len > 0, &a.done);
					bd_ui_message(s->ui, BD_UI_MSG_INFO, "%s", a.done.buf);
				}
				break;
			}
			if (ensure_doctype(&a, &err) < 0) {
				/* Without the type, re-keyed values go unchecked here; the
				 * database still checks the rules on save. */
				bd_log_err(&err);
			}
			if (a.ndiffs == 0) {
				step = STEP_DONE;
				continue;
			}
		}
		/* Page p shows diffs [starts[p], starts[p + 1]); each holds one at least. */
		starts = xcalloc(a.ndiffs + 1, sizeof(*starts));
		for (pages = 0; starts[pages] < a.ndiffs; pages++)
			starts[pages + 1] = page_end(&a, starts[pages]);
		step = STEP_DONE;
		for (page = 0; page < pages && (step == STEP_DONE || step == STEP_BACK);) {
			step = run_page(&a, starts[page], starts[page + 1], page, pages);
			if (step == STEP_BACK)
				page--;
			else
				page++;
		}
		free(starts);
		if (step == STEP_DONE)
			step = save(&a);
		if (step == STEP_HANGUP) {
			result = BD_UI_HANGUP;
			break;
		}
		if (step == STEP_LEAVE)
			break;
	}
	doc_release(&a);
	if (a.have_doctype)
		bd_screen_release(&a.doctype);
	free(a.doctype_key);
	strbuf_release(&a.done);
	return result;
}
