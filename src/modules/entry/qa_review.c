/*
 * QA review: a sampled document in its document type's own form, with the
 * values as they would be delivered. A field the reviewer changes is wrong
 * and the new value is its correction; the others are right. The database
 * (entry.qa_review) records each field, counts the errors against the
 * keyer and puts the corrections into the delivered values. See
 * include/backdesk/keying.h.
 */
#include "backdesk/keying.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/entry.h"
#include "backdesk/json.h"
#include "backdesk/form.h"
#include "backdesk/kit.h"
#include "backdesk/log.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

struct qa_doc {
	struct bd_session *s;
	char *lease;
	/* the document type's screen, kept while the next document has the same */
	struct bd_screen screen;
	char *screen_key; /* "client_id/doctype_id/version" of `screen` */
	/* the document under review */
	struct bd_db_result *work;
	struct bd_form form;
	char **loaded;	    /* values as delivered, per field */
	char **keyed;	    /* the same normalised (as loaded when the form refuses it) */
	struct strbuf done; /* what happened to the previous document, for the message line */
	/* The save's idempotency key, kept until it is answered: a save sent
	 * again after a lost link is done once. */
	char save_key[BD_DB_KEY_SIZE];
};

static const char *
work(const struct qa_doc *q, const char *name)
{
	return bd_db_result_text(q->work, 0, name);
}

/* Loads the screen of the document's type version unless it is loaded. */
static int
load_screen(struct qa_doc *q, struct bd_err *err)
{
	struct strbuf key = STRBUF_INIT;
	int rc = -1;

	strbuf_addf(&key, "%s/%s/%s", work(q, "client_id"), work(q, "doctype_id"),
		    work(q, "doctype_version"));
	if (q->screen_key && !strcmp(q->screen_key, key.buf)) {
		rc = 0;
		goto cleanup;
	}
	free(q->screen_key);
	q->screen_key = NULL;
	bd_screen_release(&q->screen);
	if (bd_keying_load_doctype(q->s, work(q, "client_id"), work(q, "doctype_id"),
				   work(q, "doctype_version"), &q->screen, err) < 0)
		goto cleanup;
	q->screen_key = strbuf_detach(&key, NULL);
	rc = 0;
cleanup:
	strbuf_release(&key);
	return rc;
}

static void
drop_document(struct qa_doc *q)
{
	size_t i;

	if (q->keyed) {
		for (i = 0; i < q->form.nfields; i++) {
			free(q->keyed[i]);
			free(q->loaded[i]);
		}
		free(q->keyed);
		free(q->loaded);
		q->keyed = q->loaded = NULL;
	}
	bd_form_release(&q->form);
	bd_db_result_free(q->work);
	q->work = NULL;
	*q->save_key = '\0';
}

/* Puts the document's values into a fresh form and keeps them, normalised,
 * as what the keyer delivered. */
static int
fill_form(struct qa_doc *q, struct bd_err *err)
{
	struct bd_db_result *vals;
	struct strbuf norm = STRBUF_INIT;
	size_t i;
	int r;

	bd_form_init(&q->form, &q->screen);
	if (!(vals = bd_session_query(q->s, "supervisor.qa_values", BD_PARAMS(work(q, "values")),
				      err)))
		return -1;
	for (r = 0; r < bd_db_result_rows(vals); r++) {
		int f = bd_screen_field_index(&q->screen, bd_db_result_text(vals, r, "field"));

		if (f >= 0 && bd_form_set_value(&q->form, (size_t)f,
						bd_db_result_text(vals, r, "value"), err) < 0) {
			bd_db_result_free(vals);
			return -1;
		}
	}
	bd_db_result_free(vals);
	q->keyed = xcalloc(q->form.nfields + 1, sizeof(*q->keyed));
	q->loaded = xcalloc(q->form.nfields + 1, sizeof(*q->loaded));
	for (i = 0; i < q->form.nfields; i++) {
		const char *v = bd_form_value(&q->form, i);

		strbuf_reset(&norm);
		q->loaded[i] = xstrdup(v);
		/* A value the form would refuse is compared as it was stored. */
		q->keyed[i] = bd_field_normalize(&q->screen.fields[i], v, &norm, NULL) == 0
				  ? xstrdup(norm.buf)
				  : xstrdup(v);
	}
	strbuf_release(&norm);
	bd_form_goto(&q->form, 0);
	bd_form_home(&q->form);
	return 0;
}

/*
 * The results for qa.review: every field, right or corrected. A field left
 * as delivered is right without being checked again; a changed one must be
 * valid (-1: *bad is the field, err says why) and is wrong unless it only
 * changed its spelling ("10" for "10.00"). *wrong gets the labels of the
 * corrected fields, *nwrong how many.
 */
static int
results_json(const struct qa_doc *q, struct strbuf *json, struct strbuf *wrong, size_t *nwrong,
	     size_t *bad, struct bd_err *err)
{
	struct strbuf norm = STRBUF_INIT;
	struct bd_json j;
	size_t i;
	int rc = -1;

	*nwrong = 0;
	bd_json_init(&j, json);
	bd_json_begin_object(&j);
	for (i = 0; i < q->form.nfields; i++) {
		const struct bd_field_def *f = &q->screen.fields[i];
		const char *v = bd_form_value(&q->form, i);

		bool ok;

		strbuf_reset(&norm);
		if (strcmp(v, q->loaded[i]) && bd_field_normalize(f, v, &norm, err) < 0) {
			*bad = i;
			goto cleanup;
		}
		ok = !strcmp(v, q->loaded[i]) || !strcmp(norm.buf, q->keyed[i]);
		bd_json_key(&j, f->name);
		bd_json_begin_object(&j);
		bd_json_key(&j, "ok");
		bd_json_raw(&j, ok ? "true" : "false");
		if (!ok) {
			bd_json_key(&j, "value");
			bd_json_str(&j, norm.buf);
		}
		bd_json_end_object(&j);
		if (ok)
			continue;
		if ((*nwrong)++)
			strbuf_addstr(wrong, ", ");
		bd_keying_field_label(&q->screen, i, wrong, NULL);
	}
	bd_json_end_object(&j);
	rc = 0;
cleanup:
	strbuf_release(&norm);
	return rc;
}

static bool
changed(const struct qa_doc *q)
{
	size_t i;

	for (i = 0; i < q->form.nfields; i++)
		if (strcmp(bd_form_value(&q->form, i), q->loaded[i]))
			return true;
	return false;
}

/* F4 on a lookup field: the field's query with the client and the text. */
static int
qa_lookup(void *ctx, size_t index, const char *search, struct bd_ui_rows *rows, struct bd_err *err)
{
	struct qa_doc *q = ctx;
	const char *query = q->screen.fields[index].lookup;
	struct bd_db_result *res;
	int rc;

	if (!query) {
		bd_err_set(err, BD_ERR_INVALID, "There is no list for this field");
		return -1;
	}
	if (!(res = bd_session_query(q->s, query, BD_PARAMS(work(q, "client_id"), search), err)))
		return -1;
	rc = bd_ui_rows_add_result(rows, res, err);
	bd_db_result_free(res);
	return rc;
}

/* Keeps the claim alive while the reviewer works (the database writes the
 * lease only when half of it is gone). */
static void
qa_field_exit(void *ctx, struct bd_form *form)
{
	struct qa_doc *q = ctx;
	struct bd_err err = BD_ERR_INIT;

	(void)form;
	if (!q->s->db_broken &&
	    bd_db_send_background(q->s->db, "entry.renew",
				  BD_PARAMS(work(q, "document_id"), q->lease), &err) < 0)
		bd_log_err(&err);
}

enum qa_outcome {
	QA_NEXT,  /* reviewed or given back: take the next */
	QA_LEAVE, /* F3: leave the screen, the document stays held */
	QA_MENU,
	QA_HANGUP,
};

/* The database names the field it refused (err->field): the cursor goes
 * there. */
static void
goto_blamed_field(struct qa_doc *q, const struct bd_err *err)
{
	int i = err->field[0] ? bd_screen_field_index(&q->screen, err->field) : -1;

	if (i >= 0)
		bd_form_goto(&q->form, (size_t)i);
}

/* F2: records the review. QA_NEXT when recorded (or no longer ours), or
 * -1 to stay on the form. */
static int
submit_review(struct qa_doc *q)
{
	struct bd_session *s = q->s;
	struct bd_err err = BD_ERR_INIT;
	struct strbuf json = STRBUF_INIT, wrong = STRBUF_INIT, question = STRBUF_INIT;
	const char *ref = work(q, "external_ref");
	size_t bad = 0, n = 0;
	int rc = -1;

	if (results_json(q, &json, &wrong, &n, &bad, &err) < 0) {
		bd_form_goto(&q->form, bad);
		bd_session_error(s, &err);
		goto cleanup;
	}
	/* The document type's rules (a sum that no longer adds up) first: the
	 * question comes only for a review that can be recorded, and the cursor
	 * goes to the field the database names. */
	if (bd_session_run(s, "qa.check", BD_PARAMS(work(q, "document_id"), json.buf), &err) < 0) {
		if (bd_kit_failed(s, &err) == BD_UI_HANGUP)
			rc = QA_HANGUP;
		else
			goto_blamed_field(q, &err);
		goto cleanup;
	}
	if (n)
		strbuf_addf(&question, "%zu field%s wrong (%s): record the corrections?", n,
			    n == 1 ? "" : "s", wrong.buf);
	else
		strbuf_addf(&question, "Every field of %s is right: record the review?", ref);
	if (!bd_ui_confirm(s->ui, question.buf)) {
		rc = bd_ui_hungup(s->ui) ? QA_HANGUP : -1;
		goto cleanup;
	}
	if (!*q->save_key)
		bd_db_new_key(q->save_key);
	if (bd_session_run(s, "qa.review", BD_PARAMS(work(q, "document_id"), json.buf, q->save_key),
			   &err) < 0) {
		if (err.kind != BD_ERR_CONNECTION)
			*q->save_key = '\0';
		if (bd_kit_failed(s, &err) == BD_UI_HANGUP)
			rc = QA_HANGUP;
		else if (err.field[0])
			goto_blamed_field(q, &err);
		else if (err.kind == BD_ERR_CONFLICT) {
			/* the lease ran out and it went to someone else */
			strbuf_reset(&q->done);
			strbuf_addf(&q->done, "%s. ", err.msg);
			rc = QA_NEXT;
		}
		goto cleanup;
	}
	*q->save_key = '\0';
	strbuf_reset(&q->done);
	strbuf_addf(&q->done, "Reviewed %s: %zu corrected. ", ref, n);
	rc = QA_NEXT;
cleanup:
	strbuf_release(&json);
	strbuf_release(&wrong);
	strbuf_release(&question);
	return rc;
}

/* F9: gives the document back with a note (not handed to this reviewer
 * again). QA_NEXT, or -1 to stay. */
static int
give_back(struct qa_doc *q)
{
	struct bd_session *s = q->s;
	struct bd_err err = BD_ERR_INIT;
	struct strbuf note = STRBUF_INIT, label = STRBUF_INIT;
	enum bd_ui_action act;
	int rc = -1;

	strbuf_addf(&label, "Give %s back: note", work(q, "external_ref"));
	bd_ui_message(s->ui, BD_UI_MSG_INFO,
		      "Why you give it back; Enter gives it to another reviewer, F12 keeps it");
	act = bd_ui_prompt(s->ui, label.buf, &note, 200);
	if (act == BD_UI_HANGUP) {
		rc = QA_HANGUP;
	} else if (act == BD_UI_SELECT) {
		if (bd_session_run(s, "entry.release", BD_PARAMS(work(q, "document_id"), note.buf),
				   &err) < 0)
			rc = bd_kit_failed(s, &err) == BD_UI_HANGUP ? QA_HANGUP : -1;
		else
			rc = QA_NEXT;
		strbuf_reset(&q->done);
		strbuf_addf(&q->done, "%s given back. ", work(q, "external_ref"));
	}
	strbuf_release(&note);
	strbuf_release(&label);
	return rc;
}

static const struct bd_ui_label qa_labels[] = {{BD_UI_SAVE, "Done"}, {BD_UI_NONE, NULL}};

static enum qa_outcome
review_one(struct qa_doc *q)
{
	struct bd_session *s = q->s;
	struct bd_ui_form_opts opts = {0};
	struct strbuf title = STRBUF_INIT, sub = STRBUF_INIT;
	enum qa_outcome out = QA_LEAVE;

	strbuf_addf(&title, "QA review: %s", q->screen.title);
	strbuf_addf(&sub, "%s  batch %s", work(q, "external_ref"), work(q, "batch_id"));
	opts.title = title.buf;
	opts.subtitle = sub.buf;
	opts.exits = BD_UI_BIT(BD_UI_SAVE) | BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL) |
		     BD_UI_BIT(BD_UI_MENU) | BD_UI_BIT(BD_UI_REJECT);
	opts.ctx = q;
	opts.lookup = qa_lookup;
	opts.on_field_exit = qa_field_exit;
	opts.labels = qa_labels;
	if (*work(q, "source_path"))
		bd_ui_message(s->ui, BD_UI_MSG_INFO, "%sSource: %s", q->done.buf,
			      work(q, "source_path"));
	else
		bd_ui_message(s->ui, BD_UI_MSG_INFO,
			      "%sChange every value that is wrong, then F2 records the review.",
			      q->done.buf);
	strbuf_reset(&q->done);
	for (;;) {
		enum bd_ui_action act = bd_ui_form(s->ui, &q->form, &opts);
		int rc;

		if (act == BD_UI_HANGUP) {
			out = QA_HANGUP;
			break;
		}
		if (act == BD_UI_SAVE)
			rc = submit_review(q);
		else if (act == BD_UI_REJECT)
			rc = give_back(q);
		else if (changed(q) &&
			 !bd_ui_confirm(s->ui, "Leave without recording your corrections?"))
			rc = bd_ui_hungup(s->ui) ? QA_HANGUP : -1;
		else
			rc = act == BD_UI_MENU ? QA_MENU : QA_LEAVE;
		if (rc >= 0) {
			out = (enum qa_outcome)rc;
			break;
		}
	}
	strbuf_release(&title);
	strbuf_release(&sub);
	return out;
}

enum bd_ui_action
bd_qa_review(struct bd_session *s)
{
	struct qa_doc q;
	enum bd_ui_action act = BD_UI_EXIT;
	struct strbuf lease = STRBUF_INIT;
	size_t reviewed = 0;

	memset(&q, 0, sizeof(q));
	q.s = s;
	bd_screen_init(&q.screen);
	strbuf_addf(&lease, "%lld", s->cfg ? bd_config_int(s->cfg, "entry.lease_seconds") : 300LL);
	q.lease = lease.buf;
	strbuf_init(&q.done, 0);
	for (;;) {
		struct bd_err err = BD_ERR_INIT;
		enum qa_outcome out;

		if (!(q.work = bd_session_query(
			  s, "qa.next", BD_PARAMS(q.lease, s->client_id ? s->client_code : NULL),
			  &err))) {
			act = bd_kit_failed(s, &err) == BD_UI_HANGUP ? BD_UI_HANGUP : BD_UI_EXIT;
			break;
		}
		if (bd_db_result_rows(q.work) < 1) {
			struct strbuf what = STRBUF_INIT;

			strbuf_addf(&what, "QA for %s", s->client_code);
			bd_keying_why_empty(s, "qa", what.buf, reviewed > 0, &q.done);
			bd_ui_message(s->ui, BD_UI_MSG_INFO, "%s", q.done.buf);
			strbuf_release(&what);
			break;
		}
		if (load_screen(&q, &err) < 0 || fill_form(&q, &err) < 0) {
			act = bd_kit_failed(s, &err) == BD_UI_HANGUP ? BD_UI_HANGUP : BD_UI_EXIT;
			break;
		}
		out = review_one(&q);
		drop_document(&q);
		if (out == QA_HANGUP) {
			act = BD_UI_HANGUP;
			break;
		}
		if (out == QA_MENU) {
			act = BD_UI_MENU;
			break;
		}
		if (out == QA_LEAVE)
			break;
		reviewed++;
		if (s->client_lost)
			break;
	}
	drop_document(&q);
	bd_screen_release(&q.screen);
	free(q.screen_key);
	strbuf_release(&q.done);
	strbuf_release(&lease);
	return act;
}
