/*
 * "Adjudicate": the third operator resolves a double-keyed document whose
 * two passes differ. See include/backdesk/keying.h.
 *
 * The database hands out the document (entry.adjudication_next) with the
 * differing fields and the two values, never who keyed them. The screen is
 * built per document: one row per differing field with its label, a one-key
 * decision (1 or 2 takes that value, R keys it again) and the two values.
 * After F2, each R asks for the value in a prompt, checked by the document
 * type's own field rules; entry.adjudicate stores the decisions and
 * attributes the errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/entry.h"
#include "backdesk/field.h"
#include "backdesk/form.h"
#include "backdesk/keying.h"
#include "backdesk/log.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

#define PAGE_ROWS 17 /* differing fields per page: rows 5..21 */
#define FIRST_ROW 5

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
}

static char *
col_dup(const struct bd_db_result *res, const char *name)
{
	int c = bd_db_result_col(res, name);

	return xstrdup(c >= 0 ? bd_db_result_get(res, 0, c) : "");
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
	res = bd_session_query(a->s, "entry.adjudication_next",
			       BD_PARAMS(a->lease, a->s->client_id), err);
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

/* The screen for diffs [from, from + n). */
static int
page_screen(struct adjudication *a, size_t from, size_t n, struct bd_screen *screen,
	    struct bd_err *err)
{
	struct strbuf t = STRBUF_INIT;
	size_t i;
	int rc;

	strbuf_addstr(&t, "screen = { name = \"adjudicate\"; title = \"Adjudicate\"; help = ");
	add_literal(&t,
		    "The two keyings of this document differ in the fields listed. For each, "
		    "type 1 or 2 to take that value, or R to key the right value again. F2 "
		    "saves; F9 gives the document back; F3 leaves it for later.",
		    1000);
	strbuf_addstr(&t, "; fields = (");
	for (i = 0; i < n; i++) {
		const struct bd_keying_obj *d = &a->diffs[from + i];
		const char *label = bd_keying_obj_get(d, "label");
		const char *field = bd_keying_obj_get(d, "field");
		int row = FIRST_ROW + (int)i;

		strbuf_addf(&t, "%s{ name = \"pick%zu\"; label = ", i ? ", " : "", i);
		add_literal(&t, label && *label ? label : field ? field : "?", 14);
		strbuf_addf(
		    &t,
		    "; row = %d; col = 2; input_col = 17; type = \"choice\"; "
		    "values = [\"1\", \"2\", \"R\"]; upshift = true; auto_advance = true; "
		    "required = true; help = \"1 or 2 takes that value; R keys it again\"; },",
		    row);
		strbuf_addf(
		    &t,
		    " { name = \"one%zu\"; label = \"1\"; row = %d; col = 20; input_col = 22; "
		    "type = \"text\"; width = 26; length = 1000; readonly = true; },",
		    i, row);
		strbuf_addf(
		    &t,
		    " { name = \"two%zu\"; label = \"2\"; row = %d; col = 50; input_col = 52; "
		    "type = \"text\"; width = 27; length = 1000; readonly = true; }",
		    i, row);
	}
	strbuf_addstr(&t, "); };");
	rc = bd_screen_parse(screen, t.buf, "adjudicate", err);
	strbuf_release(&t);
	return rc;
}

/* The document type's definition of a differing field, or NULL. */
static const struct bd_field_def *
doctype_field(const struct adjudication *a, const char *name)
{
	int i = name && a->have_doctype ? bd_screen_field_index(&a->doctype, name) : -1;

	return i >= 0 ? &a->doctype.fields[i] : NULL;
}

/* Asks for each R of the page; false when the operator backed out (or
 * hung up). */
static bool
rekey_page(struct adjudication *a, size_t from, size_t n)
{
	struct bd_session *s = a->s;
	size_t i;

	for (i = from; i < from + n; i++) {
		const char *name = bd_keying_obj_get(&a->diffs[i], "field");
		const char *label = bd_keying_obj_get(&a->diffs[i], "label");
		const struct bd_field_def *f = doctype_field(a, name);
		struct strbuf prompt = STRBUF_INIT, value = STRBUF_INIT;
		bool done = false;

		free(a->rekeyed[i]);
		a->rekeyed[i] = NULL;
		if (strcmp(a->decision[i], "R"))
			continue;
		strbuf_addstr(&prompt, label && *label ? label : name);
		while (!done) {
			struct bd_err err = BD_ERR_INIT;
			struct strbuf norm = STRBUF_INIT;
			enum bd_ui_action act =
			    bd_ui_prompt(s->ui, prompt.buf, &value, f ? (size_t)f->length : 1000);

			if (act != BD_UI_SELECT) {
				strbuf_release(&norm);
				break;
			}
			if (f && bd_field_normalize(f, value.buf, &norm, &err) < 0) {
				bd_ui_message(s->ui, BD_UI_MSG_ERROR, "%s", err.msg);
			} else {
				a->rekeyed[i] = xstrdup(f ? norm.buf : value.buf);
				done = true;
			}
			strbuf_release(&norm);
		}
		strbuf_release(&prompt);
		strbuf_release(&value);
		if (!done)
			return false;
	}
	return true;
}

enum step {
	STEP_PAGE = 0,
	STEP_DONE, /* every page decided: save */
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

static const struct bd_ui_label adjudicate_labels[] = {
    {BD_UI_SAVE, "Resolve"}, {BD_UI_REJECT, "Give back"}, {BD_UI_NONE, NULL}};

/* One page of decisions on the screen. */
static enum step
run_page(struct adjudication *a, size_t from, size_t n, size_t page, size_t pages)
{
	struct bd_session *s = a->s;
	struct bd_err err = BD_ERR_INIT;
	struct bd_screen screen;
	struct bd_form form;
	struct bd_ui_form_opts opts = {0};
	struct strbuf title = STRBUF_INIT, sub = STRBUF_INIT, h0 = STRBUF_INIT, h1 = STRBUF_INIT;
	const char *header[2];
	enum step next = STEP_PAGE;
	size_t i;

	bd_screen_init(&screen);
	if (page_screen(a, from, n, &screen, &err) < 0) {
		bd_session_error(s, &err);
		return STEP_LEAVE;
	}
	bd_form_init(&form, &screen);
	bd_form_load_defaults(&form);
	for (i = 0; i < n; i++) {
		const char *v1 = bd_keying_obj_get(&a->diffs[from + i], "value1");
		const char *v2 = bd_keying_obj_get(&a->diffs[from + i], "value2");

		if (a->decision[from + i])
			bd_form_set_value(&form, 3 * i, a->decision[from + i], NULL);
		bd_form_set_value(&form, 3 * i + 1, v1 && *v1 ? v1 : "(empty)", NULL);
		bd_form_set_value(&form, 3 * i + 2, v2 && *v2 ? v2 : "(empty)", NULL);
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
	strbuf_addstr(&h1, "Type 1 or 2 to take that keying, R to key the value again. "
			   "F9 gives it back.");
	header[0] = h0.buf;
	header[1] = h1.buf;
	opts.exits = BD_UI_BIT(BD_UI_SAVE) | BD_UI_BIT(BD_UI_REJECT) | BD_UI_BIT(BD_UI_EXIT) |
		     BD_UI_BIT(BD_UI_CANCEL) | BD_UI_BIT(BD_UI_MENU);
	opts.title = title.buf;
	opts.subtitle = sub.buf;
	opts.header = header;
	opts.nheader = 2;
	opts.labels = adjudicate_labels;
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
		if (act != BD_UI_SAVE) {
			next = STEP_LEAVE;
			break;
		}
		for (i = 0; i < n; i++) {
			free(a->decision[from + i]);
			a->decision[from + i] = xstrdup(bd_form_value(&form, 3 * i));
		}
		if (!rekey_page(a, from, n)) {
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
	enum step next = STEP_CLAIM;
	size_t i;

	strbuf_addch(&json, '{');
	for (i = 0; i < a->ndiffs; i++) {
		if (i)
			strbuf_addch(&json, ',');
		bd_entry_json_string(&json, bd_keying_obj_get(&a->diffs[i], "field"));
		if (a->rekeyed[i]) {
			strbuf_addstr(&json, ":{\"value\":");
			bd_entry_json_string(&json, a->rekeyed[i]);
			strbuf_addch(&json, '}');
		} else {
			strbuf_addf(&json, ":{\"pick\":%s}",
				    !strcmp(a->decision[i], "2") ? "2" : "1");
		}
	}
	strbuf_addch(&json, '}');
	if (bd_session_run(s, "entry.adjudicate", BD_PARAMS(a->document_id, json.buf), &err) < 0) {
		if (s->db_broken) {
			next = STEP_HANGUP;
		} else {
			bd_session_error(s, &err);
			next = err.kind == BD_ERR_CONFLICT || err.kind == BD_ERR_NOT_FOUND
				   ? STEP_CLAIM
				   : STEP_PAGE;
		}
	} else {
		strbuf_reset(&a->done);
		strbuf_addf(&a->done, "%s resolved. ", a->ref);
		bd_ui_message(s->ui, BD_UI_MSG_INFO, "%s", a->done.buf);
	}
	strbuf_release(&json);
	return next;
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
		size_t pages, page;
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
				else
					bd_ui_message(s->ui, BD_UI_MSG_INFO,
						      "%sNothing %sis waiting for adjudication.",
						      a.done.buf, a.done.len ? "more " : "");
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
		pages = (a.ndiffs + PAGE_ROWS - 1) / PAGE_ROWS;
		step = STEP_DONE;
		for (page = 0; page < pages && step == STEP_DONE; page++) {
			size_t from = page * PAGE_ROWS;
			size_t n = a.ndiffs - from < PAGE_ROWS ? a.ndiffs - from : PAGE_ROWS;

			step = run_page(&a, from, n, page, pages);
		}
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
