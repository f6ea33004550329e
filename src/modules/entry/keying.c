/*
 * "Key documents": the clerk's work queue. See include/backdesk/keying.h.
 *
 * One loop: claim (or resume) a document, show its document type's form
 * under a header, and act on the key that ended the form: F2 submits and
 * claims the next in one statement (entry.submit_and_claim_next), F9 asks
 * for a reason (or skip) and a note, F3/F10/F12 leave with the claim and
 * its draft kept. Every step depends only on the keys and the database, so
 * type-ahead lands where it was meant to.
 *
 * The draft (the form's values plus the measures so far) is sent in the
 * background from a timer shortly after a field exit, never while a query
 * of ours is in flight, so the clerk never waits for it; the same timer
 * renews the lease while the form sits idle.
 *
 * While the database link is down the form stays usable: typing sends
 * nothing, the draft waits for the link, and F2 says it cannot submit yet.
 * Every F2 carries an idempotency key, kept until its answer arrives: an F2
 * whose answer was lost with the link is sent again with the same key as
 * soon as the link is back, and the database submits it once.
 */
#include "backdesk/keying.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backdesk/date.h"
#include "backdesk/entry.h"
#include "backdesk/json.h"
#include "backdesk/form.h"
#include "backdesk/log.h"
#include "backdesk/strbuf.h"
#include "backdesk/ui_image.h"
#include "backdesk/xalloc.h"

#define TICK_MS 200

/* The codes a lookup query lists for the client, read once per screen, so
 * F2 can refuse a code that is not in the list without a round trip. Only
 * a list shorter than the query's LIMIT is taken as complete. */
#define LOOKUP_LIMIT 200
struct lookup_codes {
	const char *query; /* borrowed from the screen */
	struct bd_ui_rows rows;
	bool complete;
};

/* One claimed document: the columns of entry.work. */
struct work {
	char *document_id, *client_id, *batch_id, *batch_name, *doctype_id, *doctype_code;
	char *version, *ref, *source, *sla, *mode, *prefill, *draft, *dup_values;
	int pass;
	bool resumed;
};

struct keying {
	struct bd_session *s;
	char lease[16];
	long long lease_ms;
	struct work w;
	bool have_work;

	/* The document type's screen, cached by client, type and version. */
	char *screen_key;
	struct bd_screen screen;
	bool have_screen;
	struct bd_form form;
	bool have_form;
	char *form_batch; /* the batch whose last document the form's Dup values are */
	struct lookup_codes *codes;
	size_t ncodes;

	/* Measures of the current document. */
	long long started_ms;
	long base_seconds; /* seconds in the form before a resume */
	struct bd_form_counters base;

	/* Background draft and lease renewal. */
	int timer_id;
	bool in_form, draft_pending;
	/* The F2 in hand: its key, kept until its answer arrives; resend: its
	 * answer was lost with the link, so it is sent again when it is back. */
	char f2_key[BD_DB_KEY_SIZE];
	bool resend;
	struct strbuf draft_sent;
	long long renewed_ms;

	/* Reject reasons (entry.reject_reasons), read at the first F9. */
	char **reason_codes, **reason_labels;
	size_t nreasons;

	/* The document's page image (entry.image_of) on a sixel terminal:
	 * the PNG, its size, and the clerk's zoom (2^zoom) and pan (tenths of
	 * the part shown); has_image: the document has one (any terminal).
	 * image_res: the answer of the fetch, until image_timer (-1: none)
	 * puts it on the screen. */
	bool has_image, showing;
	struct strbuf png;
	int img_w, img_h, zoom, pan_x, pan_y;
	struct bd_db_result *image_res;
	int image_timer;

	struct strbuf title, subtitle, header;
	struct strbuf done; /* "X rejected. ": said again when the queue is then empty */
	const char *header_lines[1];
};

static void
work_release(struct work *w)
{
	char **strs[] = {&w->document_id, &w->client_id,    &w->batch_id, &w->batch_name,
			 &w->doctype_id,  &w->doctype_code, &w->version,  &w->ref,
			 &w->source,	  &w->sla,	    &w->mode,	  &w->prefill,
			 &w->draft,	  &w->dup_values};
	size_t i;

	for (i = 0; i < NELEM(strs); i++) {
		free(*strs[i]);
		*strs[i] = NULL;
	}
	w->pass = 1;
	w->resumed = false;
}

/* Column `name` of row 0, or NULL when absent or SQL NULL. */
static char *
col_dup(const struct bd_db_result *res, const char *name)
{
	const char *v = bd_db_result_value(res, 0, name);

	return v ? xstrdup(v) : NULL;
}

/* Reads an entry.work row; false when it holds no document (empty queue). */
static bool
work_from_result(struct work *w, const struct bd_db_result *res)
{
	char *pass, *resumed;

	work_release(w);
	if (bd_db_result_rows(res) < 1 || !(w->document_id = col_dup(res, "document_id")))
		return false;
	w->client_id = col_dup(res, "client_id");
	w->batch_id = col_dup(res, "batch_id");
	w->batch_name = col_dup(res, "batch_name");
	w->doctype_id = col_dup(res, "doctype_id");
	w->doctype_code = col_dup(res, "doctype_code");
	w->version = col_dup(res, "doctype_version");
	w->ref = col_dup(res, "external_ref");
	w->source = col_dup(res, "source_path");
	w->sla = col_dup(res, "sla_due");
	w->mode = col_dup(res, "mode");
	w->prefill = col_dup(res, "prefill");
	w->draft = col_dup(res, "draft");
	w->dup_values = col_dup(res, "dup_values");
	pass = col_dup(res, "pass");
	resumed = col_dup(res, "resumed");
	w->pass = pass && !strcmp(pass, "2") ? 2 : 1;
	w->resumed = resumed && !strcmp(resumed, "t");
	free(pass);
	free(resumed);
	return w->client_id && w->doctype_id && w->version && w->batch_id;
}

/* ---- document type screens ----------------------------------------------- */

int
bd_keying_load_doctype(struct bd_session *s, const char *client_id, const char *doctype_id,
		       const char *version, struct bd_screen *screen, struct bd_err *err)
{
	struct bd_db_result *res = bd_session_query(s, "entry.doctype_screen",
						    BD_PARAMS(client_id, doctype_id, version), err);
	int rc;

	if (!res)
		return -1;
	rc = bd_entry_doctype_screen(res, doctype_id, screen, err);
	bd_db_result_free(res);
	return rc;
}

/* Only entry.*_lookup queries run for F4, whatever a stored screen names. */
static bool
lookup_query_ok(const char *q)
{
	size_t n = q ? strlen(q) : 0;

	return n > 13 && !strncmp(q, "entry.", 6) && !strcmp(q + n - 7, "_lookup");
}

static void
codes_release(struct keying *k)
{
	size_t i;

	for (i = 0; i < k->ncodes; i++)
		bd_ui_rows_release(&k->codes[i].rows);
	free(k->codes);
	k->codes = NULL;
	k->ncodes = 0;
}

static struct lookup_codes *
codes_for(struct keying *k, const char *query)
{
	size_t i;

	for (i = 0; i < k->ncodes; i++)
		if (!strcmp(k->codes[i].query, query))
			return &k->codes[i];
	return NULL;
}

/* Reads every lookup list of the screen once. A list that cannot be read
 * is left unchecked here (the clerk still has F4). */
static void
codes_load(struct keying *k)
{
	size_t i;

	codes_release(k);
	k->codes = xcalloc(k->screen.nfields + 1, sizeof(*k->codes));
	for (i = 0; i < k->screen.nfields; i++) {
		const char *q = k->screen.fields[i].lookup;
		struct bd_err err = BD_ERR_INIT;
		struct lookup_codes *c;
		struct bd_db_result *res;

		/* A code table (codes = "TABLE") may hold 100,000 codes: F4
		 * searches it, and the database checks it on F2. */
		if (!lookup_query_ok(q) || codes_for(k, q) || k->screen.fields[i].codes)
			continue;
		c = &k->codes[k->ncodes++];
		c->query = q;
		bd_ui_rows_init(&c->rows);
		if (!(res = bd_session_query(k->s, q, BD_PARAMS(k->w.client_id, ""), &err))) {
			bd_log_err(&err);
			continue;
		}
		c->complete = bd_db_result_rows(res) < LOOKUP_LIMIT &&
			      bd_ui_rows_add_result(&c->rows, res, &err) == 0;
		bd_db_result_free(res);
	}
}

/* F2: every lookup field holds a code of its list. -1 with *bad and err. */
static int
codes_check(struct keying *k, size_t *bad, struct bd_err *err)
{
	size_t i, r;

	for (i = 0; i < k->screen.nfields; i++) {
		const struct bd_field_def *f = &k->screen.fields[i];
		const char *v = bd_form_value(&k->form, i);
		struct lookup_codes *c = f->lookup ? codes_for(k, f->lookup) : NULL;
		bool found = false;

		if (!c || !c->complete || !*v)
			continue;
		for (r = 0; r < c->rows.nrows && !found; r++)
			found = !strcmp(bd_ui_rows_cell(&c->rows, r, 0), v);
		if (!found) {
			*bad = i;
			bd_err_set(err, BD_ERR_INVALID, "%s: %s is not in the list (F4 shows it)",
				   bd_field_title(f), v);
			return -1;
		}
	}
	return 0;
}

/* Makes k->screen and k->form those of the current document's type. */
static int
ensure_screen(struct keying *k, struct bd_err *err)
{
	struct strbuf key = STRBUF_INIT;
	int rc = 0;

	strbuf_addf(&key, "%s/%s/%s", k->w.client_id, k->w.doctype_id, k->w.version);
	if (k->have_screen && !strcmp(k->screen_key, key.buf))
		goto cleanup;
	if (k->have_form)
		bd_form_release(&k->form);
	k->have_form = false;
	codes_release(k);
	if (k->have_screen)
		bd_screen_release(&k->screen);
	k->have_screen = false;
	free(k->form_batch);
	k->form_batch = NULL;
	bd_screen_init(&k->screen);
	if (bd_keying_load_doctype(k->s, k->w.client_id, k->w.doctype_id, k->w.version, &k->screen,
				   err) < 0) {
		rc = -1;
		goto cleanup;
	}
	k->have_screen = true;
	free(k->screen_key);
	k->screen_key = strbuf_detach(&key, NULL);
	bd_form_init(&k->form, &k->screen);
	k->have_form = true;
	codes_load(k);
cleanup:
	strbuf_release(&key);
	return rc;
}

/* ---- drafts ---------------------------------------------------------------- */

static long
seconds_in_form(const struct keying *k)
{
	return k->base_seconds + (long)((bd_monotonic_ms() - k->started_ms) / 1000);
}

/* "m KEYSTROKES CORRECTIONS FIELDS SECONDS\n" and the form's draft. */
static void
draft_text(const struct keying *k, struct strbuf *out)
{
	const struct bd_form_counters *c = &k->form.counters;

	strbuf_addf(out, "m %lu %lu %lu %ld\n", c->keystrokes, c->corrections, c->fields_keyed,
		    seconds_in_form(k));
	bd_form_draft_save(&k->form, out);
}

/* The form part of a draft for comparison: the measures always change. */
static bool
draft_changed(const struct keying *k, const struct strbuf *text)
{
	const char *a = strchr(text->buf, '\n'), *b = strchr(k->draft_sent.buf, '\n');

	return !a || !b || strcmp(a, b) != 0;
}

static void
send_draft(struct keying *k)
{
	struct bd_err err = BD_ERR_INIT;
	struct strbuf text = STRBUF_INIT;

	k->draft_pending = false;
	draft_text(k, &text);
	if (!draft_changed(k, &text))
		goto cleanup;
	if (bd_db_send_background(k->s->db, "entry.draft",
				  BD_PARAMS(k->w.document_id, k->lease, text.buf), &err) < 0) {
		bd_log_err(&err);
		/* sent again when the link is back */
		k->draft_pending = err.kind == BD_ERR_CONNECTION;
		goto cleanup;
	}
	strbuf_reset(&k->draft_sent);
	strbuf_addstr(&k->draft_sent, text.buf);
	k->renewed_ms = bd_monotonic_ms();
cleanup:
	strbuf_release(&text);
}

/* Leaving the form or the terminal: the draft is written before we go on. */
static void
save_draft_now(struct keying *k)
{
	struct bd_err err = BD_ERR_INIT;
	struct strbuf text = STRBUF_INIT;

	if (!k->have_work || k->s->db_broken)
		return;
	draft_text(k, &text);
	if (bd_db_run(k->s->db, "entry.draft", BD_PARAMS(k->w.document_id, k->lease, text.buf),
		      &err) < 0)
		bd_log_err(&err);
	strbuf_release(&text);
}

/* When the tick is next due: soon while a draft or an F2 waits to be sent, a
 * background answer to come or the link to come back; else at the lease's
 * renewal, so a form left open does not wake the session in between
 * (README, Capacity). */
static long
tick_next_ms(const struct keying *k)
{
	long long left;

	if (k->draft_pending || k->resend || k->s->db_broken || !bd_db_connected(k->s->db) ||
	    bd_db_busy(k->s->db))
		return TICK_MS;
	if (!k->have_work)
		return (long)(k->lease_ms / 3);
	left = k->lease_ms / 3 - (bd_monotonic_ms() - k->renewed_ms);
	return left < TICK_MS ? TICK_MS : (long)left;
}

static long keying_tick(struct bd_ui *ui, void *ctx);

/* Something waits to be sent: the tick comes soon. */
static void
tick_soon(struct keying *k)
{
	if (k->timer_id >= 0)
		bd_ui_timer_cancel(k->s->ui, k->timer_id);
	k->timer_id = bd_ui_timer(k->s->ui, TICK_MS, keying_tick, k);
}

static long
keying_tick(struct bd_ui *ui, void *ctx)
{
	struct keying *k = ctx;
	struct bd_err err = BD_ERR_INIT;

	if (!k->in_form || !k->have_work || k->s->db_broken || !bd_db_connected(k->s->db))
		return tick_next_ms(k);
	if (k->resend) {
		k->resend = false;
		bd_ui_request(ui, BD_UI_SAVE);
		return TICK_MS;
	}
	bd_session_poll_background(k->s);
	if (bd_db_busy(k->s->db))
		return TICK_MS;
	if (k->draft_pending) {
		send_draft(k);
	} else if (bd_monotonic_ms() - k->renewed_ms >= k->lease_ms / 3) {
		k->renewed_ms = bd_monotonic_ms();
		if (bd_db_send_background(k->s->db, "entry.renew",
					  BD_PARAMS(k->w.document_id, k->lease), &err) < 0)
			bd_log_err(&err);
	}
	return tick_next_ms(k);
}

static void
keying_field_exit(void *ctx, struct bd_form *form)
{
	struct keying *k = ctx;

	(void)form;
	k->draft_pending = true;
	tick_soon(k);
}

/* ---- lookups ------------------------------------------------------------------ */

/* F4 through the document type's lookup query: only entry.*_lookup queries,
 * whatever a stored screen names. */
static int
keying_lookup(void *ctx, size_t field, const char *search, struct bd_ui_rows *rows,
	      struct bd_err *err)
{
	struct keying *k = ctx;
	const char *q = field < k->screen.nfields ? k->screen.fields[field].lookup : NULL;
	struct bd_db_result *res;
	int rc;

	if (!lookup_query_ok(q)) {
		bd_err_set(err, BD_ERR_INVALID, "There is no list for this field");
		return -1;
	}
	k->in_form = false;
	if (k->screen.fields[field].codes)
		res = bd_session_query(
		    k->s, q, BD_PARAMS(k->w.client_id, search, k->screen.fields[field].codes), err);
	else
		res = bd_session_query(k->s, q, BD_PARAMS(k->w.client_id, search), err);
	k->in_form = true;
	if (!res)
		return -1;
	rc = bd_ui_rows_add_result(rows, res, err);
	bd_db_result_free(res);
	return rc;
}

/* ---- one document on the form ---------------------------------------------------- */

static int
set_from_json(struct keying *k, const char *json, bool previous, struct bd_err *err)
{
	struct bd_keying_obj o;
	size_t i;
	int rc = 0;

	bd_keying_obj_init(&o);
	if (bd_keying_json_object(json, &o, err) < 0)
		return -1;
	for (i = 0; i < k->form.nfields && rc == 0; i++) {
		const char *v = bd_keying_obj_get(&o, k->screen.fields[i].name);

		if (previous)
			rc = bd_form_set_previous(&k->form, i, v ? v : "", err);
		else if (v)
			rc = bd_form_set_value(&k->form, i, v, err);
	}
	bd_keying_obj_release(&o);
	return rc;
}

/* A resumed draft: measures line, then the form's own draft. */
static void
restore_draft(struct keying *k)
{
	struct bd_err err = BD_ERR_INIT;
	const char *d = k->w.draft, *body = d;
	unsigned long ks = 0, corr = 0, fk = 0;
	long secs = 0;

	if (!d || !*d)
		return;
	if (!strncmp(d, "m ", 2) && strchr(d, '\n')) {
		body = strchr(d, '\n') + 1;
		if (sscanf(d, "m %lu %lu %lu %ld", &ks, &corr, &fk, &secs) != 4)
			ks = corr = fk = 0, secs = 0;
	}
	if (bd_form_draft_restore(&k->form, body, strlen(body), &err) < 0) {
		bd_log_err(&err);
		return;
	}
	k->form.counters.keystrokes = ks;
	k->form.counters.corrections = corr;
	k->form.counters.fields_keyed = fk;
	k->base_seconds = secs > 0 ? secs : 0;
}

/* "…/2024-06-03/CLM-1.tif": the end of a path in at most `width` bytes. */
static void
add_tail(struct strbuf *out, const char *s, size_t width)
{
	size_t n = strlen(s);

	if (n <= width) {
		strbuf_addstr(out, s);
		return;
	}
	s += n - (width - 3);
	while ((*s & 0xc0) == 0x80)
		s++;
	strbuf_addstr(out, "...");
	strbuf_addstr(out, s);
}

/*
 * Title row: "<type title>  <batch>" centred, "SLA 11-23 18:42" at the right
 * (the UI shows at most 24 columns of subtitle); row 2: reference, pass and
 * source path (its end, the file name, when it is long).
 */
static void
build_header(struct keying *k)
{
	const struct work *w = &k->w;
	const char *batch = w->batch_name ? w->batch_name : w->batch_id;
	size_t used;

	strbuf_reset(&k->title);
	strbuf_reset(&k->subtitle);
	strbuf_reset(&k->header);
	strbuf_addstr(&k->title, k->screen.title);
	if (k->title.len + 2 + strlen(batch) <= 46) {
		strbuf_addf(&k->title, "  %s", batch);
	}
	if (w->sla && strlen(w->sla) >= 16)
		strbuf_addf(&k->subtitle, "SLA %.5s %.5s", w->sla + 5, w->sla + 11);
	strbuf_addf(&k->header, "Ref %s", w->ref ? w->ref : "");
	if (w->mode && !strcmp(w->mode, "double"))
		strbuf_addf(&k->header, "  Pass %d of 2", w->pass);
	if (k->title.len == strlen(k->screen.title))
		strbuf_addf(&k->header, "  Batch %s", batch);
	if (k->has_image && !k->showing) {
		/* no picture on this terminal: how to open it elsewhere */
		strbuf_addf(&k->header, "  Image: backdesk image %s >page.png", w->document_id);
	} else if (w->source && *w->source) {
		strbuf_addstr(&k->header, "  Image ");
		used = k->header.len;
		add_tail(&k->header, w->source, used < 74 ? 78 - used : 4);
	}
	k->header_lines[0] = k->header.buf;
}

/* The header needs row 2 free. */
static bool
header_fits(const struct bd_screen *screen)
{
	size_t i;

	for (i = 0; i < screen->nfields; i++)
		if (screen->fields[i].row <= BD_SCREEN_FIRST_ROW)
			return false;
	return true;
}

/* ---- the document image ------------------------------------------------------ */

/* At least this many columns: the whole page beside the 80-column form. */
#define WIDE_COLS 120
/* At 80x24: a band of this many rows shows the current field's zone. */
#define BAND_ROWS 5

/*
 * Keying never waits for the image. The fetch (entry.image_of on a sixel
 * terminal, else entry.image_info: whether there is one) goes out in the
 * background on the session's connection as the document starts, and the
 * form is drawn and takes keys at once. image_answer takes the answer when
 * the event loop reads it from the socket (or when a query of ours, an F4
 * or the F2, completes it first: the one wait, on a call that waits for
 * the database anyway); image_arrived, a timer of the event loop, puts it
 * on the screen (the drawing is done off the input path by ui_image.c).
 * Drafts and lease renewals wait meanwhile (keying_tick sends nothing while
 * the link is busy). Not a connection of its own: that would be a second
 * backend per clerk (README, Capacity). A failure only loses the picture.
 */
static long
image_arrived(struct bd_ui *ui, void *ctx)
{
	struct keying *k = ctx;
	struct bd_db_result *res = k->image_res;
	bool sixel = bd_ui_image_mode(ui) == BD_UI_IMAGE_SIXEL;

	k->image_timer = -1;
	k->image_res = NULL;
	if (!res || !k->have_work || bd_db_result_rows(res) < 1) {
		bd_db_result_free(res);
		return 0;
	}
	k->has_image = true;
	k->img_w = (int)strtol(bd_db_result_text(res, 0, "width"), NULL, 10);
	k->img_h = (int)strtol(bd_db_result_text(res, 0, "height"), NULL, 10);
	if (sixel && bd_image_hex_decode(bd_db_result_text(res, 0, "bytes"), &k->png) == 0)
		k->showing = true;
	bd_db_result_free(res);
	if (k->showing) {
		bd_ui_image_page(ui, k->png.buf, k->png.len, k->img_w, k->img_h);
	} else {
		/* the header says how to open it elsewhere */
		build_header(k);
		if (k->in_form)
			bd_ui_request(ui, BD_UI_REDRAW);
	}
	return 0;
}

/* The fetch's answer (bd_db_send_background_to): kept for image_arrived.
 * Runs inside the connection's calls, so it only keeps it. */
static void
image_answer(void *ctx, struct bd_db_result *res, const struct bd_err *err)
{
	struct keying *k = ctx;

	if (!res) {
		if (err->kind != BD_ERR_NOT_FOUND)
			bd_log_err(err);
		return;
	}
	bd_db_result_free(k->image_res);
	k->image_res = res;
	if (k->image_timer < 0)
		k->image_timer = bd_ui_timer(k->s->ui, 0, image_arrived, k);
}

/* No image: the one in flight is not wanted any more, none is shown. */
static void
forget_image(struct keying *k)
{
	bd_db_background_forget(k->s->db, k);
	bd_db_result_free(k->image_res);
	k->image_res = NULL;
	k->has_image = k->showing = false;
	k->pan_x = k->pan_y = 0;
	strbuf_reset(&k->png);
	bd_ui_image_page(k->s->ui, NULL, 0, 0, 0);
}

/* Sends the fetch of the document's image, if it names one. */
static void
request_image(struct keying *k)
{
	bool sixel = bd_ui_image_mode(k->s->ui) == BD_UI_IMAGE_SIXEL;
	struct bd_err err = BD_ERR_INIT;

	forget_image(k);
	/* an image's path is the document's source: none, no image */
	if (!k->w.source || !*k->w.source || k->s->db_broken)
		return;
	if (bd_db_send_background_to(k->s->db, sixel ? "entry.image_of" : "entry.image_info",
				     BD_PARAMS(k->w.document_id), image_answer, k, &err) < 0)
		bd_log_err(&err);
}

/* The provider (ui_image.h): which part of the page goes where, now. */
static void
image_want(struct bd_ui *ui, void *ctx)
{
	struct keying *k = ctx;
	const struct bd_field_def *f =
	    k->form.current < k->screen.nfields ? &k->screen.fields[k->form.current] : NULL;
	struct bd_image_rect want = {0, 0, 0, 0}, part;
	int cw, ch, lines, cols, row, col, rows, ncols, ow, oh;
	char title[80];

	if (!k->showing)
		return;
	bd_ui_image_geometry(ui, &cw, &ch, &lines, &cols);
	if (f && f->has_zone)
		want = bd_image_zone_pixels(f->zone, f->zone_pixels, k->img_w, k->img_h);
	if (cols >= WIDE_COLS) {
		/* the whole page beside the form; zoomed: around the field */
		row = 3;
		col = 81;
		rows = lines - 6;
		ncols = cols - 82;
		if (k->zoom <= 0 && !k->pan_x && !k->pan_y)
			want.w = want.h = 0;
	} else if (f && f->has_zone) {
		/* a band away from the cursor's row */
		rows = BAND_ROWS;
		row = f->row >= lines / 2 ? 3 : lines - 4 - BAND_ROWS;
		col = 1;
		ncols = cols - 2;
	} else {
		bd_ui_image_place(ui, 0, 0, 0, 0, want, 0, 0, NULL);
		return;
	}
	part = bd_image_view(want, k->img_w, k->img_h, k->zoom, k->pan_x, k->pan_y, ncols * cw,
			     rows * ch / 6 * 6, &ow, &oh);
	snprintf(title, sizeof(title), " %s  ^E/^W zoom  ^B/^F/^P/^N move ",
		 k->w.ref ? k->w.ref : "");
	bd_ui_image_place(ui, row, col, rows, ncols, part, ow, oh, title);
}

static void
image_action(void *ctx, enum bd_ui_action a)
{
	struct keying *k = ctx;

	switch (a) {
	case BD_UI_ZOOM_IN:
		k->zoom = k->zoom < 4 ? k->zoom + 1 : 4;
		break;
	case BD_UI_ZOOM_OUT:
		k->zoom = k->zoom > -2 ? k->zoom - 1 : -2;
		break;
	case BD_UI_PAN_LEFT:
		k->pan_x--;
		break;
	case BD_UI_PAN_RIGHT:
		k->pan_x++;
		break;
	case BD_UI_PAN_UP:
		k->pan_y--;
		break;
	case BD_UI_PAN_DOWN:
		k->pan_y++;
		break;
	default:
		break;
	}
	if (!k->showing)
		bd_ui_message(k->s->ui, BD_UI_MSG_INFO,
			      k->has_image ? "This terminal shows no pictures: backdesk image %s "
					     ">page.png writes the image to a file."
					   : "Document %s has no image.",
			      k->w.document_id);
}

/*
 * Puts the work just claimed on the form: the screen of its type, Dup
 * values (the form's own when the batch goes on, else the database's),
 * defaults, pre-filled values and, when resuming, the draft.
 */
static int
start_document(struct keying *k, struct bd_err *err)
{
	if (ensure_screen(k, err) < 0)
		return -1;
	if (!k->form_batch || strcmp(k->form_batch, k->w.batch_id)) {
		bd_form_release(&k->form);
		bd_form_init(&k->form, &k->screen);
		free(k->form_batch);
		k->form_batch = xstrdup(k->w.batch_id);
	}
	if (k->w.dup_values && set_from_json(k, k->w.dup_values, true, err) < 0)
		return -1;
	bd_form_load_defaults(&k->form);
	if (k->w.prefill && set_from_json(k, k->w.prefill, false, err) < 0)
		return -1;
	memset(&k->form.counters, 0, sizeof(k->form.counters));
	k->base_seconds = 0;
	if (k->w.resumed)
		restore_draft(k);
	k->started_ms = bd_monotonic_ms();
	k->renewed_ms = k->started_ms;
	k->draft_pending = false;
	strbuf_reset(&k->draft_sent);
	draft_text(k, &k->draft_sent);
	request_image(k);
	build_header(k);
	k->have_work = true;
	return 0;
}

/*
 * Takes a work row (claim or submit): 1 when a document is on the form, 0
 * when the queue is empty, -1 on error (err set).
 */
static int
take_work(struct keying *k, const struct bd_db_result *res, struct bd_err *err)
{
	k->have_work = false;
	*k->f2_key = '\0';
	k->resend = false;
	forget_image(k);
	if (!work_from_result(&k->w, res))
		return 0;
	return start_document(k, err) < 0 ? -1 : 1;
}

static int
claim_next(struct keying *k, struct bd_err *err)
{
	struct bd_db_result *res =
	    bd_session_query(k->s, "entry.claim_next",
			     BD_PARAMS(k->lease, k->s->client_id ? k->s->client_code : NULL), err);
	int rc;

	if (!res)
		return -1;
	rc = take_work(k, res, err);
	bd_db_result_free(res);
	return rc;
}

/* The values as a JSON object of normalised text. NULL (err, *bad) when a
 * field is invalid. */
static char *
values_json(struct keying *k, size_t *bad, struct bd_err *err)
{
	char **params = bd_form_params(&k->form, bad, err);
	struct strbuf json = STRBUF_INIT;
	struct bd_json j;
	size_t i;

	if (!params)
		return NULL;
	bd_json_init(&j, &json);
	bd_json_begin_object(&j);
	for (i = 0; i < k->form.nfields; i++) {
		bd_json_key(&j, k->screen.fields[i].name);
		bd_json_str(&j, params[i]);
	}
	bd_json_end_object(&j);
	bd_form_params_free(params, k->form.nfields);
	return strbuf_detach(&json, NULL);
}

/* The database names the field it refused (err->field): put the cursor there. */
static void
goto_blamed_field(struct keying *k, const struct bd_err *err)
{
	size_t i;

	for (i = 0; i < k->screen.nfields; i++)
		if (!strcmp(k->screen.fields[i].name, err->field)) {
			bd_form_goto(&k->form, i);
			return;
		}
}

enum step {
	STEP_FORM = 0, /* stay on (or show) the current document */
	STEP_CLAIM,    /* claim the next document */
	STEP_EMPTY,    /* the queue is empty: leave */
	STEP_LEAVE,    /* leave with the claim kept */
	STEP_HANGUP,
};

/* F2: submit and claim the next in one statement. */
static enum step
submit(struct keying *k)
{
	struct bd_session *s = k->s;
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = NULL;
	char ks[24], corr[24], secs[24], fk[24];
	char *json, *ref;
	size_t bad = 0;
	enum step next = STEP_FORM;
	int rc;

	if (codes_check(k, &bad, &err) < 0 || !(json = values_json(k, &bad, &err))) {
		bd_form_goto(&k->form, bad);
		bd_session_error(s, &err);
		return STEP_FORM;
	}
	snprintf(ks, sizeof(ks), "%lu", k->form.counters.keystrokes);
	snprintf(corr, sizeof(corr), "%lu", k->form.counters.corrections);
	snprintf(fk, sizeof(fk), "%lu", k->form.counters.fields_keyed);
	snprintf(secs, sizeof(secs), "%ld", seconds_in_form(k));
	k->draft_pending = false;
	k->resend = false;
	if (!*k->f2_key)
		bd_db_new_key(k->f2_key);
	res = bd_session_query(s, "entry.submit_and_claim_next",
			       BD_PARAMS(k->w.document_id, json, ks, corr, secs, fk, k->lease,
					 s->client_id ? s->client_code : NULL, k->f2_key),
			       &err);
	free(json);
	if (!res) {
		if (s->db_broken)
			return STEP_HANGUP;
		if (err.kind == BD_ERR_CONNECTION) {
			/* It may have committed: the same key goes again with the link. */
			k->resend = true;
			k->draft_pending = true;
			tick_soon(k);
			bd_log_err(&err);
			bd_ui_message(s->ui, BD_UI_MSG_ERROR,
				      "Submit not confirmed: the database is reconnecting; it "
				      "goes when it is back.");
			return STEP_FORM;
		}
		*k->f2_key = '\0';
		bd_session_error(s, &err);
		if (err.kind == BD_ERR_CONFLICT || err.kind == BD_ERR_NOT_FOUND) {
			/* The lease ran out (or the document went elsewhere). */
			k->have_work = false;
			return STEP_CLAIM;
		}
		if (err.kind == BD_ERR_INVALID)
			goto_blamed_field(k, &err);
		return STEP_FORM;
	}
	*k->f2_key = '\0';
	ref = xstrdup(k->w.ref ? k->w.ref : k->w.document_id);
	bd_form_remember(&k->form);
	rc = take_work(k, res, &err);
	if (rc < 0) {
		bd_session_error(s, &err);
		next = STEP_EMPTY;
	} else if (rc == 0) {
		bd_ui_message(s->ui, BD_UI_MSG_INFO, "%s submitted. No more documents are waiting.",
			      ref);
		next = STEP_EMPTY;
	} else {
		bd_ui_message(s->ui, BD_UI_MSG_INFO, "%s submitted.%s", ref,
			      k->w.resumed ? " This one is yours from before." : "");
	}
	free(ref);
	bd_db_result_free(res);
	return next;
}

static int
load_reasons(struct keying *k, struct bd_err *err)
{
	struct bd_db_result *res;
	int r;

	if (k->nreasons)
		return 0;
	if (!(res = bd_session_query(k->s, "entry.reject_reasons", BD_NO_PARAMS, err)))
		return -1;
	k->nreasons = (size_t)bd_db_result_rows(res);
	k->reason_codes = xcalloc(k->nreasons + 1, sizeof(char *));
	k->reason_labels = xcalloc(k->nreasons + 1, sizeof(char *));
	for (r = 0; r < bd_db_result_rows(res); r++) {
		k->reason_codes[r] = xstrdup(bd_db_result_get(res, r, 0));
		k->reason_labels[r] = xstrdup(bd_db_result_get(res, r, 1));
	}
	bd_db_result_free(res);
	return 0;
}

/* F9: reject with a reason, or skip (give back); both with a note. */
static enum step
reject_or_skip(struct keying *k)
{
	struct bd_session *s = k->s;
	struct bd_err err = BD_ERR_INIT;
	struct strbuf title = STRBUF_INIT, note = STRBUF_INIT;
	const char **items = NULL;
	enum bd_ui_action act;
	enum step next = STEP_FORM;
	size_t i, choice = 0;
	bool skip;

	if (load_reasons(k, &err) < 0) {
		if (s->db_broken)
			return STEP_HANGUP;
		bd_session_error(s, &err);
		return STEP_FORM;
	}
	items = xcalloc(k->nreasons + 2, sizeof(*items));
	for (i = 0; i < k->nreasons; i++)
		items[i] = k->reason_labels[i];
	items[k->nreasons] = "Skip: give it back to the queue";
	strbuf_addf(&title, "Reject or skip %s", k->w.ref);
	act = bd_ui_choose(s->ui, title.buf, items, k->nreasons + 1, &choice);
	if (act == BD_UI_HANGUP) {
		next = STEP_HANGUP;
		goto cleanup;
	}
	if (act != BD_UI_SELECT)
		goto cleanup;
	skip = choice == k->nreasons;
	act = bd_ui_prompt(s->ui, skip ? "Why skip it? (note)" : "Note (optional)", &note, 200);
	if (act == BD_UI_HANGUP) {
		next = STEP_HANGUP;
		goto cleanup;
	}
	if (act != BD_UI_SELECT)
		goto cleanup;
	k->draft_pending = false;
	if ((skip ? bd_session_run(s, "entry.release", BD_PARAMS(k->w.document_id, note.buf), &err)
		  : bd_session_run(s, "entry.reject",
				   BD_PARAMS(k->w.document_id, k->reason_codes[choice], note.buf),
				   &err)) < 0) {
		if (s->db_broken) {
			next = STEP_HANGUP;
			goto cleanup;
		}
		bd_session_error(s, &err);
		if (err.kind == BD_ERR_CONFLICT || err.kind == BD_ERR_NOT_FOUND)
			next = STEP_CLAIM;
		goto cleanup;
	}
	strbuf_reset(&k->done);
	if (skip)
		strbuf_addf(&k->done, "%s skipped: it goes to someone else. ", k->w.ref);
	else
		strbuf_addf(&k->done, "%s rejected (%s). ", k->w.ref, k->reason_labels[choice]);
	bd_ui_message(s->ui, BD_UI_MSG_INFO, "%s", k->done.buf);
	k->have_work = false;
	next = STEP_CLAIM;
cleanup:
	free(items);
	strbuf_release(&title);
	strbuf_release(&note);
	return next;
}

static const struct bd_ui_label keying_labels[] = {
    {BD_UI_SAVE, "Submit"}, {BD_UI_REJECT, "Reject/Skip"}, {BD_UI_NONE, NULL}};

/* Shows the current document until a key ends the form; acts on it. */
static enum step
run_form(struct keying *k)
{
	struct bd_session *s = k->s;
	struct bd_ui_form_opts opts = {0};
	enum bd_ui_action act;
	enum step next;

	opts.labels = keying_labels;
	opts.exits = BD_UI_BIT(BD_UI_SAVE) | BD_UI_BIT(BD_UI_REJECT) | BD_UI_BIT(BD_UI_EXIT) |
		     BD_UI_BIT(BD_UI_CANCEL) | BD_UI_BIT(BD_UI_MENU);
	opts.title = k->title.buf;
	opts.subtitle = k->subtitle.buf;
	if (header_fits(&k->screen)) {
		opts.header = k->header_lines;
		opts.nheader = 1;
	}
	opts.ctx = k;
	opts.lookup = keying_lookup;
	opts.on_field_exit = keying_field_exit;
	opts.actions = BD_UI_BIT(BD_UI_ZOOM_IN) | BD_UI_BIT(BD_UI_ZOOM_OUT) |
		       BD_UI_BIT(BD_UI_PAN_LEFT) | BD_UI_BIT(BD_UI_PAN_RIGHT) |
		       BD_UI_BIT(BD_UI_PAN_UP) | BD_UI_BIT(BD_UI_PAN_DOWN);
	opts.on_action = image_action;
	k->in_form = true;
	bd_ui_image_provider(s->ui, image_want, k);
	act = bd_ui_form(s->ui, &k->form, &opts);
	bd_ui_image_provider(s->ui, NULL, NULL);
	k->in_form = false;
	switch (act) {
	case BD_UI_SAVE:
		return submit(k);
	case BD_UI_REJECT:
		next = reject_or_skip(k);
		if (next == STEP_HANGUP) /* in the dialog: the document is still ours */
			save_draft_now(k);
		return next;
	case BD_UI_HANGUP:
		save_draft_now(k);
		return STEP_HANGUP;
	default:
		save_draft_now(k);
		return STEP_LEAVE;
	}
}

static void
keying_release(struct keying *k)
{
	size_t i;

	if (k->timer_id >= 0)
		bd_ui_timer_cancel(k->s->ui, k->timer_id);
	if (k->image_timer >= 0)
		bd_ui_timer_cancel(k->s->ui, k->image_timer);
	forget_image(k);
	work_release(&k->w);
	codes_release(k);
	if (k->have_form)
		bd_form_release(&k->form);
	if (k->have_screen)
		bd_screen_release(&k->screen);
	free(k->screen_key);
	free(k->form_batch);
	for (i = 0; i < k->nreasons; i++) {
		free(k->reason_codes[i]);
		free(k->reason_labels[i]);
	}
	free(k->reason_codes);
	free(k->reason_labels);
	strbuf_release(&k->png);
	strbuf_release(&k->draft_sent);
	strbuf_release(&k->title);
	strbuf_release(&k->subtitle);
	strbuf_release(&k->header);
	strbuf_release(&k->done);
}

enum bd_ui_action
bd_keying_documents(struct bd_session *s)
{
	struct keying k;
	struct bd_err err = BD_ERR_INIT;
	enum step step = STEP_CLAIM;
	enum bd_ui_action result = BD_UI_EXIT;
	bool first = true;
	long long lease = s->cfg ? bd_config_int(s->cfg, "entry.lease_seconds") : 300;

	memset(&k, 0, sizeof(k));
	k.s = s;
	k.timer_id = -1;
	k.image_timer = -1;
	snprintf(k.lease, sizeof(k.lease), "%lld", lease);
	k.lease_ms = lease * 1000;
	strbuf_init(&k.draft_sent, 0);
	strbuf_init(&k.png, 0);
	strbuf_init(&k.title, 0);
	strbuf_init(&k.subtitle, 0);
	strbuf_init(&k.header, 0);
	strbuf_init(&k.done, 0);
	k.timer_id = bd_ui_timer(s->ui, TICK_MS, keying_tick, &k);
	for (;;) {
		int rc;

		if (bd_ui_hungup(s->ui) || s->db_broken)
			step = STEP_HANGUP;
		if (step == STEP_CLAIM) {
			rc = claim_next(&k, &err);
			if (rc > 0)
				strbuf_reset(&k.done);
			if (rc < 0) {
				if (s->db_broken) {
					step = STEP_HANGUP;
				} else {
					bd_session_error(s, &err);
					break;
				}
			} else if (rc == 0) {
				bd_ui_message(s->ui, BD_UI_MSG_INFO,
					      "%sNo %sdocuments are waiting for you%s%s.",
					      k.done.buf, k.done.len ? "more " : "",
					      s->client_code ? " at " : "",
					      s->client_code ? s->client_code : "");
				break;
			} else {
				step = STEP_FORM;
				/* Resumed: held in this clerk's name. With their
				 * own draft they were keying it; without, a
				 * supervisor gave it to them (or the link
				 * dropped before a field was left). */
				if (k.w.resumed && k.w.draft && *k.w.draft)
					bd_ui_message(s->ui, BD_UI_MSG_INFO,
						      "%s: you were keying this one; go on where "
						      "you left off.",
						      k.w.ref);
				else if (k.w.resumed)
					bd_ui_message(s->ui, BD_UI_MSG_INFO,
						      "%s is held for you (given to you by a "
						      "supervisor, or taken before): key it from "
						      "the start.",
						      k.w.ref);
				else if (first)
					bd_ui_message(s->ui, BD_UI_MSG_INFO,
						      "F2 submits and brings the next document; "
						      "F9 rejects or skips it.");
			}
			first = false;
		}
		if (step == STEP_HANGUP) {
			result = BD_UI_HANGUP;
			break;
		}
		if (step == STEP_EMPTY)
			break;
		if (step == STEP_LEAVE) {
			if (k.have_work)
				bd_ui_message(s->ui, BD_UI_MSG_INFO,
					      "%s stays yours for %lld minutes; Key documents "
					      "takes you back to it.",
					      k.w.ref, (lease + 59) / 60);
			break;
		}
		step = run_form(&k);
	}
	keying_release(&k);
	return result;
}
