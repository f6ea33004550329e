/*
 * The supervisor console: the live queue board, the claims list and the
 * log of queue actions, lists run by the kit's runner (kit.h) as their
 * screen files say, live through the kit's refresh. See
 * include/backdesk/supervisor.h. Productivity is in
 * supervisor_productivity.c, the QA review in the entry module.
 */
#include "backdesk/supervisor.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/kit.h"
#include "backdesk/log.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

/* The key in a list cell, without the padding that aligned it. */
static const char *
sup_key(const struct bd_ui_rows *row, const char *name)
{
	return bd_kit_param(NULL, name, row);
}

/* The board and the claims list follow the active client's queue. */
static const struct bd_kit_live_spec queue_live = {
    .topic = "queue",
    .client_id = ":client_id",
    .trail_ms = SUP_LIVE_TRAIL_MS,
    .clock_ms = SUP_LIVE_CLOCK_MS,
};

/*
 * Asks for one value in a popup (`hint` on the message line) until the
 * database takes it: `run` gets
 * the typed text and returns 0, or -1 with err set; an invalid value
 * (BD_ERR_INVALID) is shown and asked again with the text kept. Returns
 * BD_UI_SELECT when done, BD_UI_NONE when cancelled or refused, or
 * BD_UI_HANGUP.
 */
static enum bd_ui_action
ask_until_taken(struct bd_session *s, const char *label, const char *hint, const char *initial,
		int (*run)(struct bd_session *s, const char *typed, void *ctx, struct bd_err *err),
		void *ctx)
{
	struct strbuf value = STRBUF_INIT;
	enum bd_ui_action act;

	strbuf_addstr(&value, initial ? initial : "");
	bd_ui_message(s->ui, BD_UI_MSG_INFO, "%s", hint);
	for (;;) {
		struct bd_err err = BD_ERR_INIT;

		act = bd_ui_prompt(s->ui, label, &value, 40);
		if (act == BD_UI_HANGUP)
			break;
		if (act != BD_UI_SELECT) {
			act = BD_UI_NONE;
			break;
		}
		if (run(s, value.buf, ctx, &err) == 0) {
			act = BD_UI_SELECT;
			break;
		}
		if ((act = bd_kit_failed(s, &err)) == BD_UI_HANGUP)
			break;
		if (err.kind != BD_ERR_INVALID)
			break;
	}
	strbuf_release(&value);
	return act;
}

/* ---- the queue board ------------------------------------------------------------------- */

static const char *
sla_bucket(const char *ageing)
{
	static const char *const map[][2] = {{"complete", "done"},  {"overdue", "overdue"},
					     {"under 1h", "<1h"},   {"under 4h", "<4h"},
					     {"under 24h", "<24h"}, {"later", "later"}};
	size_t i;

	for (i = 0; i < NELEM(map); i++)
		if (!strcmp(ageing, map[i][0]))
			return map[i][1];
	return ageing;
}

/* "clerk1 12m, clerk2 3m, clerk3 0m" -> "clerk1 12m +2" */
static void
working_short(const char *working, struct strbuf *out)
{
	const char *comma = strstr(working, ", ");
	size_t more = 0;
	const char *p;

	if (!comma) {
		strbuf_addstr(out, working);
		return;
	}
	strbuf_add(out, working, (size_t)(comma - working));
	for (p = comma; p; p = strstr(p + 2, ", "))
		more++;
	strbuf_addf(out, " +%zu", more);
}

static void
board_shape(struct bd_ui_rows *rows, const struct bd_db_result *res, const struct bd_screen *def,
	    void *ctx)
{
	static const char *const names[] = {
	    "waiting_all", "sla",      "flag",	    "working_short",
	    "due",	   "sort_sla", "sort_flag", "sort_working_short",
	    "attention"};
	int r;

	(void)ctx;
	for (r = 0; r < bd_db_result_rows(res); r++) {
		struct strbuf v[NELEM(names)];
		const char *cells[NELEM(names)];
		bool risk = !strcmp(bd_db_result_text(res, r, "at_risk"), "t");
		bool paused = !strcmp(bd_db_result_text(res, r, "paused"), "t");
		bool complete = !strcmp(bd_db_result_text(res, r, "ageing"), "complete");
		const char *working = bd_db_result_text(res, r, "working");
		size_t i, holders = 0;
		const char *p;

		for (i = 0; i < NELEM(names); i++)
			strbuf_init(&v[i], 0);
		strbuf_addf(&v[0], "%lld",
			    strtoll(bd_db_result_text(res, r, "waiting"), NULL, 10) +
				strtoll(bd_db_result_text(res, r, "keyed_once"), NULL, 10));
		strbuf_addstr(&v[1], sla_bucket(bd_db_result_text(res, r, "ageing")));
		strbuf_addstr(&v[2], risk && paused ? "RISK/P"
				     : risk	    ? "RISK"
				     : paused	    ? "PAUSED"
						    : "");
		working_short(working, &v[3]);
		bd_kit_when(bd_db_result_text(res, r, "sla_due"), &v[4]);
		/* most urgent first; finished batches last */
		if (complete)
			strbuf_addstr(&v[5], "-999999999");
		else
			strbuf_addf(
			    &v[5], "%lld",
			    -strtoll(bd_db_result_text(res, r, "sla_minutes_left"), NULL, 10));
		strbuf_addstr(&v[6], risk ? "2" : paused ? "1" : "0");
		for (p = working; *p; p = strstr(p, ", ") ? strstr(p, ", ") + 2 : "")
			holders++;
		strbuf_addf(&v[7], "%zu", holders);
		strbuf_addstr(&v[8], risk ? "at risk" : "");
		for (i = 0; i < NELEM(names); i++)
			cells[i] = v[i].buf;
		bd_kit_rows_add(rows, res, r, def, names, cells, NELEM(names));
		for (i = 0; i < NELEM(names); i++)
			strbuf_release(&v[i]);
	}
}

struct batch_ref {
	const char *batch, *client, *doctype, *name, *priority;
	const char *action; /* the option's named query, as the screen file says */
	char taken[40];	    /* the value the database took, for the message */
};

static void
batch_of(const struct bd_ui_rows *row, struct batch_ref *b)
{
	b->batch = sup_key(row, "batch_id");
	b->client = sup_key(row, "client_code");
	b->doctype = sup_key(row, "doctype");
	b->name = sup_key(row, "batch_name");
	b->priority = sup_key(row, "priority");
	b->action = NULL;
}

static int
run_priority(struct bd_session *s, const char *typed, void *ctx, struct bd_err *err)
{
	struct batch_ref *b = ctx;

	while (*typed == ' ')
		typed++;
	if (!*typed || strspn(typed, "0123456789") != strlen(typed) || strlen(typed) > 2) {
		bd_err_set(err, BD_ERR_INVALID,
			   "A priority is a number from 0 to 99 (higher first)");
		return -1;
	}
	snprintf(b->taken, sizeof(b->taken), "%s", typed);
	return bd_session_run(s, b->action, BD_PARAMS(b->batch, typed), err);
}

/* Whether the whole of `s` matches the extended regular expression. */
static bool
matches(const char *pattern, const char *s)
{
	regex_t re;
	bool ok;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return false;
	ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

/* What was typed, without the spaces around it. */
static void
trimmed(const char *typed, struct strbuf *out)
{
	strbuf_addstr(out, typed + strspn(typed, " "));
	strbuf_rtrim(out);
}

#define SLA_HOURS "^[0-9]{1,4}([.][0-9]{1,2})?$" /* also a QA percentage */
#define SLA_STAMP "^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?$"

/* The SLA as hours from now ("4", "0.5") or a date and time; PostgreSQL's
 * special words (now, infinity, ...) never reach it. */
static int
run_sla(struct bd_session *s, const char *typed, void *ctx, struct bd_err *err)
{
	struct batch_ref *b = ctx;
	struct strbuf v = STRBUF_INIT;
	int rc = -1;

	trimmed(typed, &v);
	if (matches(SLA_HOURS, v.buf) || matches(SLA_STAMP, v.buf)) {
		bool hours = matches(SLA_HOURS, v.buf);
		struct bd_db_result *res = bd_session_query(
		    s, b->action, BD_PARAMS(b->batch, hours ? NULL : v.buf, hours ? v.buf : NULL),
		    err);

		if (res) {
			struct strbuf when = STRBUF_INIT;

			bd_kit_when(bd_db_result_text(res, 0, "sla_due"), &when);
			snprintf(b->taken, sizeof(b->taken), "%s", when.buf);
			strbuf_release(&when);
			bd_db_result_free(res);
			rc = 0;
		}
	} else {
		bd_err_set(err, BD_ERR_INVALID,
			   "Give the SLA as hours from now (4 or 0.5) or a date and time "
			   "(2026-11-24 17:00)");
	}
	strbuf_release(&v);
	return rc;
}

static int
run_qa_rate(struct bd_session *s, const char *typed, void *ctx, struct bd_err *err)
{
	struct batch_ref *b = ctx;
	struct strbuf v = STRBUF_INIT;
	int rc = -1;

	trimmed(typed, &v);
	if (v.len && v.buf[v.len - 1] == '%') /* "5%" is 5 */
		strbuf_setlen(&v, v.len - 1);
	strbuf_rtrim(&v);
	if (!matches(SLA_HOURS, v.buf))
		bd_err_set(err, BD_ERR_INVALID, "A QA sample rate is a percentage from 0 to 100");
	else
		rc = bd_session_run(s, b->action, BD_PARAMS(b->client, b->doctype, v.buf), err);
	snprintf(b->taken, sizeof(b->taken), "%s", v.buf);
	strbuf_release(&v);
	return rc;
}

/* The current QA percentage of the batch's document type, or "". */
static char *
current_qa_percent(struct bd_session *s, const struct batch_ref *b)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res =
	    bd_session_query(s, "supervisor.doctypes", BD_PARAMS(b->client), &err);
	char *pct = NULL;
	int r;

	if (!res) {
		bd_log_err(&err);
		return xstrdup("");
	}
	for (r = 0; r < bd_db_result_rows(res) && !pct; r++)
		if (!strcmp(bd_db_result_text(res, r, "code"), b->doctype))
			pct = xstrdup(bd_db_result_text(res, r, "qa_percent"));
	bd_db_result_free(res);
	return pct ? pct : xstrdup("");
}

static enum bd_ui_action claims_of(struct bd_session *s, const char *batch);

/*
 * The board's options that ask for a value the database's function does
 * not take as typed: priority, SLA (hours from now or a date and time) and
 * QA rate (a percentage, the current one offered), each asked again until
 * it is taken; each runs the named query its option names. Pause and
 * resume run as the screen file says.
 */
static enum bd_ui_action
board_option(struct bd_session *s, const struct bd_list_option *o, const struct bd_ui_rows *row,
	     void *ctx)
{
	struct strbuf label = STRBUF_INIT;
	struct batch_ref b;
	enum bd_ui_action act = BD_UI_NONE;

	(void)ctx;
	batch_of(row, &b);
	b.action = o->action;
	if (!strcmp(o->code, "2")) {
		strbuf_addf(&label, "Priority 0-99 of batch %s", b.batch);
		act = ask_until_taken(s, label.buf,
				      "Higher priorities are handed out first (0 to 99)",
				      b.priority, run_priority, &b);
		if (act == BD_UI_SELECT)
			bd_ui_message(s->ui, BD_UI_MSG_INFO, "Batch %s: priority %s (was %s).",
				      b.batch, b.taken, b.priority);
	} else if (!strcmp(o->code, "3")) {
		strbuf_addf(&label, "New SLA of batch %s", b.batch);
		act = ask_until_taken(
		    s, label.buf,
		    "Hours from now (4 or 0.5), or a date and time (2026-11-24 17:00)", "", run_sla,
		    &b);
		if (act == BD_UI_SELECT)
			bd_ui_message(s->ui, BD_UI_MSG_INFO, "Batch %s is now due %s.", b.batch,
				      b.taken);
	} else {
		char *pct = current_qa_percent(s, &b);

		strbuf_addf(&label, "QA sample %% of %s", b.doctype);
		act = ask_until_taken(s, label.buf,
				      "The share of single_qa documents reviewed, 0 to 100 percent",
				      pct, run_qa_rate, &b);
		if (act == BD_UI_SELECT)
			bd_ui_message(s->ui, BD_UI_MSG_INFO,
				      "%s %s: QA sample %s%% (was %s%%) from now on.", b.client,
				      b.doctype, b.taken, *pct ? pct : "?");
		free(pct);
	}
	strbuf_release(&label);
	return act == BD_UI_SELECT ? BD_UI_NONE : act;
}

/* 5: the claims of the batch. */
static enum bd_ui_action
board_open(struct bd_session *s, const struct bd_list_option *o, const struct bd_ui_rows *row,
	   void *ctx)
{
	(void)o;
	(void)ctx;
	return claims_of(s, sup_key(row, "batch_id"));
}

/*
 * The board's stock alert, under its rows: how many items of the client
 * are at or below their minimum at a location, and the worst few
 * (supervisor.stock_alert, over the inventory's view under row security).
 * Read with the rows, so it follows the floor as they do: a move that takes
 * an item to its minimum, or brings one back, notifies the client's queue
 * channel. Nothing when no item is low.
 */
#define BOARD_ALERT_WORST "3" /* the worst shown */

struct board_ctx {
	struct strbuf note;
	const char *text; /* note.buf: what the list draws */
};

static void
board_alert(struct bd_session *s, struct board_ctx *bc)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	long long below;
	int r;

	strbuf_reset(&bc->note);
	res = bd_session_query(s, "supervisor.stock_alert",
			       BD_PARAMS(s->client_code, BOARD_ALERT_WORST), &err);
	if (!res) {
		bd_log_err(&err);
		strbuf_addstr(&bc->note, "Stock alert: the items below their minimum cannot be "
					 "read now (the log says why)");
		goto cleanup;
	}
	if (bd_db_result_rows(res) == 0)
		goto cleanup;
	below = strtoll(bd_db_result_text(res, 0, "below"), NULL, 10);
	strbuf_addf(&bc->note, "Stock: %lld item%s at or below %s minimum", below,
		    below == 1 ? "" : "s", below == 1 ? "its" : "their");
	if (below > bd_db_result_rows(res))
		strbuf_addf(&bc->note, ", the worst %d (Reorder list: all)",
			    bd_db_result_rows(res));
	for (r = 0; r < bd_db_result_rows(res); r++)
		strbuf_addf(
		    &bc->note, "\n  %-12s %-6s %s on hand, minimum %s %s  %s",
		    bd_db_result_text(res, r, "item"), bd_db_result_text(res, r, "location"),
		    bd_db_result_text(res, r, "on_hand"), bd_db_result_text(res, r, "min_qty"),
		    bd_db_result_text(res, r, "unit"), bd_db_result_text(res, r, "description"));
cleanup:
	bd_db_result_free(res);
	bc->text = bc->note.buf;
}

/* The board's rows (supervisor.queue_board through board_shape) and its
 * stock alert, read together. */
static int
board_load(const struct bd_kit_list *l, struct bd_ui_rows *rows, struct bd_err *err)
{
	struct bd_db_result *res =
	    bd_session_query(l->s, l->def->query, l->nparams, l->params, err);

	if (!res)
		return -1;
	board_shape(rows, res, l->def, NULL);
	bd_kit_rows_columns(rows, res, NULL, 0); /* no rows, no derived columns */
	bd_db_result_free(res);
	board_alert(l->s, l->ctx);
	return 0;
}

enum bd_ui_action
bd_supervisor_board(struct bd_session *s)
{
	struct board_ctx bc = {STRBUF_INIT, ""};
	const struct bd_kit_list_screen ls = {
	    .screen = "supervisor.board",
	    .nparams = 1,
	    .params = {":client_code"},
	    .load = board_load,
	    .open = board_open,
	    .hooked = "2 3 4",
	    .option = board_option,
	    .enter = "5",
	    .sort = "sla", /* most urgent first, as the help says */
	    .live = &queue_live,
	    .note = &bc.text,
	    .ctx = &bc,
	};
	enum bd_ui_action act = bd_kit_list_run(s, &ls);

	strbuf_release(&bc.note);
	return act;
}

/* ---- claims --------------------------------------------------------------------------------- */

struct claims_ctx {
	const char *batch; /* only this batch, or NULL */
	long long lease;
};

static void
claims_shape(struct bd_ui_rows *rows, const struct bd_db_result *res, const struct bd_screen *def,
	     void *ctx)
{
	static const char *const names[] = {"stage", "held", "lease", "sort_held"};
	const struct claims_ctx *cc = ctx;
	int r;

	for (r = 0; r < bd_db_result_rows(res); r++) {
		const char *state = bd_db_result_text(res, r, "state");
		const char *until = bd_db_result_text(res, r, "lease_until");
		struct strbuf held = STRBUF_INIT, lease = STRBUF_INIT;
		const char *cells[NELEM(names)];

		if (cc->batch && strcmp(bd_db_result_text(res, r, "batch_id"), cc->batch))
			continue;
		bd_kit_duration(bd_db_result_text(res, r, "held_seconds"), &held);
		if (!strcmp(bd_db_result_text(res, r, "stale"), "t"))
			strbuf_addstr(&lease, "STALE");
		else if (strlen(until) >= 16)
			strbuf_addf(&lease, "to %.5s", until + 11);
		cells[0] = !strcmp(state, "in_progress")    ? "keying"
			   : !strcmp(state, "adjudication") ? "adjudic"
			   : !strcmp(state, "qa")	    ? "QA"
							    : state;
		cells[1] = held.buf;
		cells[2] = lease.buf;
		cells[3] = bd_db_result_text(res, r, "held_seconds");
		bd_kit_rows_add(rows, res, r, def, names, cells, NELEM(names));
		strbuf_release(&held);
		strbuf_release(&lease);
	}
}

/* 2: the operator is chosen from those who may take the document; it
 * waits for them a lease long (entry.lease_seconds). */
static enum bd_ui_action
claim_reassign(struct bd_session *s, const struct bd_list_option *o, const struct bd_ui_rows *row,
	       void *ctx)
{
	const struct claims_ctx *cc = ctx;
	const char *doc = sup_key(row, "document_id");
	const char *ref = sup_key(row, "external_ref");
	const char *who = sup_key(row, "claimed_by");
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *ops =
	    bd_session_query(s, "supervisor.operators", BD_PARAMS(doc), &err);
	struct strbuf title = STRBUF_INIT, lease = STRBUF_INIT;
	const char **items = NULL;
	char **labels = NULL;
	size_t n = 0, choice = 0, i;
	enum bd_ui_action act = BD_UI_NONE;

	if (!ops)
		return bd_kit_failed(s, &err);
	n = (size_t)bd_db_result_rows(ops);
	items = xcalloc(n + 1, sizeof(*items));
	labels = xcalloc(n + 1, sizeof(*labels));
	for (i = 0; i < n; i++) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "%-12s %s (%s)", bd_db_result_text(ops, (int)i, "login"),
			    bd_db_result_text(ops, (int)i, "full_name"),
			    bd_db_result_text(ops, (int)i, "role"));
		labels[i] = strbuf_detach(&sb, NULL);
		items[i] = labels[i];
	}
	strbuf_addf(&title, "Give %s (held by %s) to", ref, who);
	act = bd_ui_choose(s->ui, title.buf, items, n, &choice);
	if (act == BD_UI_SELECT) {
		const char *login = bd_db_result_text(ops, (int)choice, "login");

		strbuf_addf(&lease, "%lld", cc->lease);
		if (bd_session_run(s, o->action, BD_PARAMS(doc, login, lease.buf), &err) < 0)
			act = bd_kit_failed(s, &err);
		else
			bd_ui_message(s->ui, BD_UI_MSG_INFO,
				      "%s goes to %s: it is what their next fetch returns.", ref,
				      login);
	}
	for (i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(items);
	bd_db_result_free(ops);
	strbuf_release(&title);
	strbuf_release(&lease);
	return act == BD_UI_HANGUP ? act : BD_UI_NONE;
}

static enum bd_ui_action
run_claims(struct bd_session *s, const char *batch)
{
	struct claims_ctx cc = {batch, 300};
	struct strbuf sub = STRBUF_INIT;
	struct bd_kit_list_screen ls = {
	    .screen = "supervisor.claims",
	    .nparams = 1,
	    .params = {":client_code"},
	    .shape = claims_shape,
	    .hooked = "2",
	    .option = claim_reassign,
	    .sort = "held", /* held longest: the oldest claim first */
	    .live = &queue_live,
	    .ctx = &cc,
	};
	enum bd_ui_action act;

	if (s->cfg)
		cc.lease = bd_config_int(s->cfg, "entry.lease_seconds");
	strbuf_addstr(&sub, s->client_code ? s->client_code : "");
	if (batch)
		strbuf_addf(&sub, " batch %s", batch);
	ls.subtitle = sub.buf;
	act = bd_kit_list_run(s, &ls);
	strbuf_release(&sub);
	return act;
}

static enum bd_ui_action
claims_of(struct bd_session *s, const char *batch)
{
	enum bd_ui_action act = run_claims(s, batch);

	return act == BD_UI_HANGUP || act == BD_UI_MENU ? act : BD_UI_NONE;
}

enum bd_ui_action
bd_supervisor_claims(struct bd_session *s)
{
	return run_claims(s, NULL);
}

/* ---- the log of queue actions ---------------------------------------------------------- */

static void
actions_shape(struct bd_ui_rows *rows, const struct bd_db_result *res, const struct bd_screen *def,
	      void *ctx)
{
	static const char *const names[] = {"when"};
	int r;

	(void)ctx;
	for (r = 0; r < bd_db_result_rows(res); r++) {
		struct strbuf when = STRBUF_INIT;
		const char *cells[1];

		bd_kit_when(bd_db_result_text(res, r, "at"), &when);
		cells[0] = when.buf;
		bd_kit_rows_add(rows, res, r, def, names, cells, 1);
		strbuf_release(&when);
	}
}

/* 5 (or Enter) on a queue action (the screen "supervisor.action"): the
 * action in full, as recorded. */
static enum bd_ui_action
action_show(struct bd_session *s, const struct bd_ui_rows *row)
{
	struct strbuf text = STRBUF_INIT;
	enum bd_ui_action act;

	strbuf_addf(&text,
		    "When:      %s\nBy:        %s\nAction:    %s\nBatch:     %s\n"
		    "Document:  %s %s\n\n%s\n\nAs recorded:\n%s\n",
		    bd_ui_rows_get(row, 0, "at"), sup_key(row, "actor"), sup_key(row, "action"),
		    sup_key(row, "batch_id"), sup_key(row, "document_id"),
		    sup_key(row, "external_ref"), sup_key(row, "summary"),
		    bd_ui_rows_get(row, 0, "detail"));
	act = bd_ui_view_text(s->ui, "Queue action", text.buf, BD_UI_BIT(BD_UI_MENU));
	strbuf_release(&text);
	return act == BD_UI_HANGUP || act == BD_UI_MENU ? act : BD_UI_NONE;
}

enum bd_ui_action
bd_supervisor_actions(struct bd_session *s)
{
	const struct bd_kit_list_screen ls = {
	    .screen = "supervisor.actions",
	    .nparams = 2,
	    .params = {":client_code", "=1000"},
	    .shape = actions_shape,
	    .enter = "5",
	};

	return bd_kit_list_run(s, &ls);
}

__attribute__((constructor)) static void
register_openers(void)
{
	bd_kit_register_opener("supervisor.action", action_show);
}
