/*
 * The supervisor console: the live queue board, the claims list, the log of
 * queue actions, and what the console's lists share (tables read whole,
 * the live listener). See include/backdesk/supervisor.h. Productivity is in
 * supervisor_productivity.c, the QA review in qa_review.c.
 */
#include "backdesk/supervisor.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "backdesk/connect.h"
#include "backdesk/kit.h"
#include "backdesk/log.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"
#include "supervisor_internal.h"

/* ---- small helpers ------------------------------------------------------------- */

/* The key in a list cell: numbers are right-aligned for display. */
static const char *
sup_key(const struct bd_ui_rows *row, const char *name)
{
	const char *v = bd_ui_rows_get(row, 0, name);

	while (*v == ' ')
		v++;
	return v;
}

static bool
is_number(const char *v)
{
	const char *p = v;

	if (*p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p == '\0';
}

/* What bd_kit_duration() writes: "1h05m", "12m", "45s". */
static bool
is_duration(const char *v)
{
	const char *p = v;

	if (*p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == 'h')
		return isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
		       !strcmp(p + 3, "m");
	return !strcmp(p, "m") || !strcmp(p, "s");
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- tables read whole ----------------------------------------------------------- */

void
sup_table_init(struct sup_table *t, struct bd_session *s, const struct bd_screen *def)
{
	memset(t, 0, sizeof(*t));
	t->s = s;
	t->def = def;
	t->query = def ? def->query : NULL;
	bd_ui_rows_init(&t->all);
}

void
sup_table_release(struct sup_table *t)
{
	bd_ui_rows_release(&t->all);
	bd_ui_rows_init(&t->all);
}

void
sup_table_add(struct sup_table *t, const struct bd_db_result *res, int r,
	      const char *const *extra_names, const char *const *extra, size_t n)
{
	size_t nc = (size_t)bd_db_result_cols(res), c;
	const char **names = xcalloc(nc + n + 1, sizeof(*names));
	char **cells = xcalloc(nc + n + 1, sizeof(*cells));

	for (c = 0; c < nc + n; c++) {
		const char *name = c < nc ? bd_db_result_colname(res, (int)c) : extra_names[c - nc];
		const char *v = c < nc ? bd_db_result_get(res, r, (int)c) : extra[c - nc];
		int w = bd_kit_column_width(t->def, name);

		names[c] = name;
		if (w > 0 && (is_number(v) || is_duration(v)) && (int)strlen(v) < w) {
			struct strbuf sb = STRBUF_INIT;

			strbuf_addf(&sb, "%*s", w, v);
			cells[c] = strbuf_detach(&sb, NULL);
		} else {
			cells[c] = xstrdup(v ? v : "");
		}
	}
	if (!t->all.ncols)
		bd_ui_rows_set_columns(&t->all, nc + n, names);
	bd_ui_rows_add(&t->all, (const char *const *)cells);
	for (c = 0; c < nc + n; c++)
		free(cells[c]);
	free(cells);
	free(names);
}

static void live_fetched(void);

int
sup_table_fetch(void *ctx, const struct bd_ui_list_query *q, size_t offset, size_t limit,
		struct bd_ui_rows *rows, struct bd_err *err)
{
	struct sup_table *t = ctx;
	size_t c;

	if (offset == 0 || !t->all.ncols) {
		struct bd_db_result *res =
		    t->report ? bd_session_report_query(t->s, t->query, t->nparams, t->params, err)
			      : bd_session_query(t->s, t->query, t->nparams, t->params, err);
		int i;

		if (!res)
			return -1;
		live_fetched();
		sup_table_release(t);
		if (t->shape) {
			t->shape(t, res);
		} else {
			for (i = 0; i < bd_db_result_rows(res); i++)
				sup_table_add(t, res, i, NULL, NULL, 0);
		}
		if (!t->all.ncols) {
			/* no rows: still name the columns */
			size_t nc = (size_t)bd_db_result_cols(res);
			const char **names = xcalloc(nc + 1, sizeof(*names));

			for (c = 0; c < nc; c++)
				names[c] = bd_db_result_colname(res, (int)c);
			bd_ui_rows_set_columns(&t->all, nc, names);
			free(names);
		}
		bd_db_result_free(res);
	}
	bd_session_rows_page(&t->all, t->def, q, offset, limit, rows);
	return 0;
}

/* ---- live: LISTEN on the client's queue channel, on a connection of its own ---------- */

/*
 * One listener for the console (there is one terminal per process), shared
 * by the nested live lists (board, then its claims): opened by the first,
 * closed by the last. `active` is true only while a live list waits for
 * keys, so a refetch is never asked of a dialog or another screen (a list
 * fetches afresh whenever it starts anyway).
 */
struct sup_live {
	struct bd_session *s;
	struct bd_db *db;
	char *channel; /* the active client's queue channel (see session.h) */
	int users, watch_id, timer_id, clock_id;
	bool active;
	long long last_ms;    /* the last refetch asked for */
	long long changed_ms; /* the last change notified */
	long long fetched_ms; /* the last time a list read its rows */
	long long trail_ms;   /* the trailing refetch after the last change, or 0 */
	unsigned long notified, refreshed;
};

static struct sup_live live = {NULL, NULL, NULL, 0, -1, -1, -1, false, 0, 0, 0, 0, 0, 0};

static void
live_fetched(void)
{
	live.fetched_ms = now_ms();
}

static void
live_refresh(struct sup_live *l)
{
	if (!l->active || l->s->client_lost)
		return;
	l->last_ms = now_ms();
	l->refreshed++;
	bd_ui_request(l->s->ui, BD_UI_REFRESH);
}

/*
 * Asks for the refetch until a list has read its rows since the last
 * change: a request that reached a dialog over the list instead (F1, F4)
 * is dropped there, so it is asked again every SUP_LIVE_MIN_MS.
 */
static long
live_fire(struct bd_ui *ui, void *ctx)
{
	struct sup_live *l = ctx;

	(void)ui;
	if (l->fetched_ms > l->changed_ms) {
		long long wait = l->trail_ms - now_ms();

		if (!l->trail_ms) {
			l->timer_id = -1;
			return 0;
		}
		if (wait > 0)
			return (long)wait;
		/* The trailing read: asked for like a change, until a list did it. */
		l->trail_ms = 0;
		l->changed_ms = now_ms();
	}
	live_refresh(l);
	return SUP_LIVE_MIN_MS;
}

/* Coalescing: the first change refetches at once (after SUP_LIVE_MIN_MS
 * since the last refetch); those arriving meanwhile ride along. */
static void
live_schedule(struct sup_live *l)
{
	long long wait;

	if (l->timer_id >= 0)
		return;
	wait = SUP_LIVE_MIN_MS - (now_ms() - l->last_ms);
	if (wait < 1)
		wait = 1;
	l->timer_id = bd_ui_timer(l->s->ui, (long)wait, live_fire, l);
}

static void
live_drop(struct sup_live *l)
{
	if (l->watch_id >= 0)
		bd_ui_unwatch(l->s->ui, l->watch_id);
	if (l->timer_id >= 0)
		bd_ui_timer_cancel(l->s->ui, l->timer_id);
	l->watch_id = l->timer_id = -1;
	bd_db_free(l->db);
	l->db = NULL;
	free(l->channel);
	l->channel = NULL;
}

static long live_clock(struct bd_ui *ui, void *ctx);

static void
live_readable(struct bd_ui *ui, int fd, void *ctx)
{
	struct sup_live *l = ctx;
	struct bd_err err = BD_ERR_INIT;
	char *channel, *payload;
	bool mine = false;

	(void)fd;
	if (bd_db_consume(l->db, &err) < 0) {
		bd_log_err(&err);
		live_drop(l);
		bd_ui_message(ui, BD_UI_MSG_ERROR,
			      "Live updates stopped (database link lost), retrying; F5 reads the "
			      "queue now");
		if (l->clock_id >= 0)
			bd_ui_timer_cancel(ui, l->clock_id);
		l->clock_id = bd_ui_timer(ui, SUP_LIVE_RETRY_MS, live_clock, l);
		return;
	}
	while (bd_db_next_notify(l->db, &channel, &payload) == 1) {
		/* The channel says whose queue changed; the payload is empty. */
		if (l->channel && !strcmp(channel, l->channel))
			mine = true;
		free(channel);
		free(payload);
	}
	if (mine) {
		l->notified++;
		l->changed_ms = now_ms();
		l->trail_ms = l->changed_ms + SUP_LIVE_TRAIL_MS;
		if (l->timer_id >= 0) { /* it may be waiting for the trailing read */
			bd_ui_timer_cancel(ui, l->timer_id);
			l->timer_id = -1;
		}
		live_schedule(l);
	}
}

/* Connects the listener; 0, or -1 with err set. */
static int
live_connect(struct sup_live *l, struct bd_err *err)
{
	char *conninfo = NULL;
	int rc = -1;

	if (!(conninfo = bd_connect_conninfo(l->s->cfg, l->s->login, err)) ||
	    !(l->db = bd_db_connect(conninfo, err)) ||
	    bd_session_listen_clients(l->db, "queue", l->s->client_id, &l->channel, err) < 0) {
		bd_db_free(l->db);
		l->db = NULL;
		goto cleanup;
	}
	/* a lost link is found at once, never waited for: the clock reconnects */
	bd_db_set_background_reconnect(l->db, true);
	l->watch_id = bd_ui_watch_fd(l->s->ui, bd_db_socket(l->db), live_readable, l);
	rc = 0;
cleanup:
	free(conninfo);
	return rc;
}

/*
 * The clock: refetches now and then for the columns that move with time
 * alone (minutes held, leases running out, SLA ageing), and connects the
 * listener again after its link dropped (changes may have been missed
 * meanwhile, so that refetches too).
 */
static long
live_clock(struct bd_ui *ui, void *ctx)
{
	struct sup_live *l = ctx;
	struct bd_err err = BD_ERR_INIT;

	(void)ui;
	if (!l->db) {
		if (live_connect(l, &err) < 0) {
			bd_log_err(&err);
			return SUP_LIVE_RETRY_MS;
		}
		bd_log(BD_LOG_INFO, "queue board: listening again");
		l->changed_ms = now_ms();
		live_schedule(l);
		return SUP_LIVE_CLOCK_MS;
	}
	if (l->timer_id < 0 && now_ms() - l->last_ms >= SUP_LIVE_CLOCK_MS / 2)
		live_refresh(l);
	return SUP_LIVE_CLOCK_MS;
}

static void
live_open(struct bd_session *s)
{
	struct bd_err err = BD_ERR_INIT;

	if (live.users++ > 0)
		return;
	live.s = s;
	live.last_ms = now_ms();
	live.notified = live.refreshed = 0;
	if (live_connect(&live, &err) < 0) {
		bd_log_err(&err);
		bd_ui_message(s->ui, BD_UI_MSG_ERROR,
			      "Live updates are off for now (%s): F5 reads the queue again",
			      err.msg);
	}
	live.clock_id =
	    bd_ui_timer(s->ui, live.db ? SUP_LIVE_CLOCK_MS : SUP_LIVE_RETRY_MS, live_clock, &live);
}

static void
live_close(void)
{
	if (--live.users > 0)
		return;
	bd_log(BD_LOG_INFO, "queue board: %lu notifications, %lu refetches", live.notified,
	       live.refreshed);
	live_drop(&live);
	if (live.clock_id >= 0)
		bd_ui_timer_cancel(live.s->ui, live.clock_id);
	live.clock_id = -1;
	live.active = false;
}

/* ---- running a list ------------------------------------------------------------------ */

enum bd_ui_action
sup_run_list(struct bd_session *s, struct sup_table *t, const char *subtitle, bool live_on,
	     enum bd_ui_action (*take)(struct bd_session *s, struct sup_table *t,
				       const struct bd_ui_list_result *res, void *ctx),
	     void *ctx)
{
	struct bd_ui_list_opts opts = {0};
	struct bd_ui_list_source src = {t, sup_table_fetch};
	struct bd_ui_list_place place; /* the row, sort and filter kept across actions */
	struct bd_ui_list_result res;
	struct strbuf sub = STRBUF_INIT;
	enum bd_ui_action act, next;

	if (live_on)
		live_open(s);
	opts.exits = BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL) | BD_UI_BIT(BD_UI_MENU);
	memset(&place, 0, sizeof(place));
	for (size_t c = 0; t->sort && c < t->def->ncolumns; c++)
		if (!strcmp(t->def->columns[c].name, t->sort))
			place.sort = (int)c;
	opts.place = &place;
	bd_ui_list_result_init(&res);
	for (;;) {
		strbuf_reset(&sub);
		strbuf_addstr(&sub, subtitle ? subtitle : "");
		if (live_on)
			strbuf_addstr(&sub, live.db ? "  live" : "  not live");
		opts.subtitle = sub.buf;
		live.active = live_on;
		act = bd_ui_list(s->ui, t->def, &src, &opts, &res);
		live.active = false;
		if (act != BD_UI_SELECT)
			break;
		next = take(s, t, &res, ctx);
		if (next == BD_UI_HANGUP || next == BD_UI_MENU || bd_ui_hungup(s->ui)) {
			act = bd_ui_hungup(s->ui) ? BD_UI_HANGUP : next;
			break;
		}
		if (s->client_lost && s->in_client_screen) {
			act = BD_UI_MENU;
			break;
		}
	}
	bd_ui_list_result_release(&res);
	strbuf_release(&sub);
	if (live_on)
		live_close();
	return act == BD_UI_HANGUP || act == BD_UI_MENU ? act : BD_UI_EXIT;
}

/* Loads list screen `name` into `def`; shows the error and returns -1. */
static int
load_list(struct bd_session *s, const char *name, struct bd_screen *def)
{
	struct bd_err err = BD_ERR_INIT;

	bd_screen_init(def);
	if (bd_session_load_screen(s, name, def, &err) < 0) {
		bd_session_error(s, &err);
		return -1;
	}
	return 0;
}

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
board_shape(struct sup_table *t, const struct bd_db_result *res)
{
	static const char *const names[] = {
	    "waiting_all", "sla",      "flag",	    "working_short",
	    "due",	   "sort_sla", "sort_flag", "sort_working_short",
	    "attention"};
	int r;

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
		sup_table_add(t, res, r, names, cells, NELEM(names));
		for (i = 0; i < NELEM(names); i++)
			strbuf_release(&v[i]);
	}
}

struct batch_ref {
	const char *batch, *client, *doctype, *name, *priority;
	char taken[40]; /* the value the database took, for the message */
};

static void
batch_of(const struct bd_ui_list_result *res, struct batch_ref *b)
{
	b->batch = sup_key(&res->row, "batch_id");
	b->client = sup_key(&res->row, "client_code");
	b->doctype = sup_key(&res->row, "doctype");
	b->name = sup_key(&res->row, "batch_name");
	b->priority = sup_key(&res->row, "priority");
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
	return bd_session_run(s, "supervisor.set_priority", BD_PARAMS(b->batch, typed), err);
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

	strbuf_addstr(&v, typed);
	strbuf_rtrim(&v);
	while (v.len && v.buf[0] == ' ')
		memmove(v.buf, v.buf + 1, v.len--);
	if (matches(SLA_HOURS, v.buf) || matches(SLA_STAMP, v.buf)) {
		bool hours = matches(SLA_HOURS, v.buf);
		struct bd_db_result *res = bd_session_query(
		    s, "supervisor.set_sla",
		    BD_PARAMS(b->batch, hours ? NULL : v.buf, hours ? v.buf : NULL), err);

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

	strbuf_addstr(&v, typed);
	strbuf_rtrim(&v);
	if (v.len && v.buf[v.len - 1] == '%')
		strbuf_setlen(&v, v.len - 1);
	strbuf_rtrim(&v);
	while (v.len && v.buf[0] == ' ')
		memmove(v.buf, v.buf + 1, v.len--);
	if (!matches(SLA_HOURS, v.buf))
		bd_err_set(err, BD_ERR_INVALID, "A QA sample rate is a percentage from 0 to 100");
	else
		rc = bd_session_run(s, "supervisor.set_qa_percent",
				    BD_PARAMS(b->client, b->doctype, v.buf), err);
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

static enum bd_ui_action
board_take(struct bd_session *s, struct sup_table *t, const struct bd_ui_list_result *res,
	   void *ctx)
{
	struct strbuf label = STRBUF_INIT;
	const char *code = *res->option ? res->option : "5";
	struct batch_ref b;
	enum bd_ui_action act = BD_UI_NONE;

	(void)ctx;
	batch_of(res, &b);
	if (!bd_kit_option(t->def, code)) {
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "Option %s is not valid here", code);
		goto cleanup;
	}
	switch (code[0]) {
	case '2':
		strbuf_addf(&label, "Priority 0-99 of batch %s", b.batch);
		act = ask_until_taken(s, label.buf,
				      "Higher priorities are handed out first (0 to 99)",
				      b.priority, run_priority, &b);
		if (act == BD_UI_SELECT)
			bd_ui_message(s->ui, BD_UI_MSG_INFO, "Batch %s: priority %s (was %s).",
				      b.batch, b.taken, b.priority);
		break;
	case '3':
		strbuf_addf(&label, "New SLA of batch %s", b.batch);
		act = ask_until_taken(
		    s, label.buf,
		    "Hours from now (4 or 0.5), or a date and time (2026-11-24 17:00)", "", run_sla,
		    &b);
		if (act == BD_UI_SELECT)
			bd_ui_message(s->ui, BD_UI_MSG_INFO, "Batch %s is now due %s.", b.batch,
				      b.taken);
		break;
	case '4': {
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
		break;
	}
	case '5':
		act = claims_of(s, b.batch);
		break;
	case '6':
	case '7': /* the screen file's actions, as written */
		act = bd_kit_run_action(s, bd_kit_option(t->def, code), &res->row);
		break;
	default:
		break;
	}
cleanup:
	strbuf_release(&label);
	return act == BD_UI_HANGUP || act == BD_UI_MENU ? act : BD_UI_NONE;
}

enum bd_ui_action
bd_supervisor_board(struct bd_session *s)
{
	struct bd_screen def;
	struct sup_table t;
	enum bd_ui_action act;

	if (load_list(s, "supervisor.board", &def) < 0)
		return BD_UI_EXIT;
	sup_table_init(&t, s, &def);
	t.nparams = 1;
	t.params[0] = s->client_code;
	t.shape = board_shape;
	t.sort = "sla"; /* most urgent first, as the help says */
	act = sup_run_list(s, &t, s->client_code, true, board_take, NULL);
	sup_table_release(&t);
	bd_screen_release(&def);
	return act;
}

/* ---- claims --------------------------------------------------------------------------------- */

struct claims_ctx {
	const char *batch; /* only this batch, or NULL */
	long long lease;
};

static void
claims_shape(struct sup_table *t, const struct bd_db_result *res)
{
	static const char *const names[] = {"stage", "held", "lease", "sort_held"};
	const struct claims_ctx *cc = t->ctx;
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
		sup_table_add(t, res, r, names, cells, NELEM(names));
		strbuf_release(&held);
		strbuf_release(&lease);
	}
}

static enum bd_ui_action
claim_release(struct bd_session *s, const char *doc, const char *ref, const char *who)
{
	struct bd_err err = BD_ERR_INIT;
	struct strbuf label = STRBUF_INIT, note = STRBUF_INIT;
	enum bd_ui_action act;

	strbuf_addf(&label, "Release %s: note", ref);
	bd_ui_message(s->ui, BD_UI_MSG_INFO,
		      "Why %s loses it (may stay empty); Enter releases, F12 keeps it with %s", ref,
		      who);
	act = bd_ui_prompt(s->ui, label.buf, &note, 200);
	if (act == BD_UI_SELECT) {
		if (bd_session_run(s, "supervisor.release", BD_PARAMS(doc, note.buf), &err) < 0)
			act = bd_kit_failed(s, &err);
		else
			bd_ui_message(s->ui, BD_UI_MSG_INFO,
				      "Released %s: back in its batch's queue.", ref);
	}
	strbuf_release(&label);
	strbuf_release(&note);
	return act == BD_UI_HANGUP ? act : BD_UI_NONE;
}

static enum bd_ui_action
claim_reassign(struct bd_session *s, const struct claims_ctx *cc, const char *doc, const char *ref,
	       const char *who)
{
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
		if (bd_session_run(s, "supervisor.reassign", BD_PARAMS(doc, login, lease.buf),
				   &err) < 0)
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
claims_take(struct bd_session *s, struct sup_table *t, const struct bd_ui_list_result *res,
	    void *ctx)
{
	const struct claims_ctx *cc = ctx;
	const char *doc = sup_key(&res->row, "document_id");
	const char *ref = sup_key(&res->row, "external_ref");
	const char *who = sup_key(&res->row, "claimed_by");

	if (!*res->option) {
		bd_ui_message(s->ui, BD_UI_MSG_INFO,
			      "Type 4 beside a document to release it, 2 to give it to someone");
		return BD_UI_NONE;
	}
	if (!bd_kit_option(t->def, res->option)) {
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "Option %s is not valid here", res->option);
		return BD_UI_NONE;
	}
	if (!strcmp(res->option, "4"))
		return claim_release(s, doc, ref, who);
	return claim_reassign(s, cc, doc, ref, who);
}

static enum bd_ui_action
run_claims(struct bd_session *s, const char *batch)
{
	struct bd_screen def;
	struct sup_table t;
	struct claims_ctx cc = {batch, 300};
	struct strbuf sub = STRBUF_INIT;
	enum bd_ui_action act;

	if (load_list(s, "supervisor.claims", &def) < 0)
		return BD_UI_NONE;
	if (s->cfg)
		cc.lease = bd_config_int(s->cfg, "entry.lease_seconds");
	sup_table_init(&t, s, &def);
	t.nparams = 1;
	t.params[0] = s->client_code;
	t.shape = claims_shape;
	t.sort = "held"; /* held longest: the oldest claim first */
	t.ctx = &cc;
	strbuf_addstr(&sub, s->client_code ? s->client_code : "");
	if (batch)
		strbuf_addf(&sub, " batch %s", batch);
	act = sup_run_list(s, &t, sub.buf, true, claims_take, &cc);
	strbuf_release(&sub);
	sup_table_release(&t);
	bd_screen_release(&def);
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
actions_shape(struct sup_table *t, const struct bd_db_result *res)
{
	static const char *const names[] = {"when"};
	int r;

	for (r = 0; r < bd_db_result_rows(res); r++) {
		struct strbuf when = STRBUF_INIT;
		const char *cells[1];

		bd_kit_when(bd_db_result_text(res, r, "at"), &when);
		cells[0] = when.buf;
		sup_table_add(t, res, r, names, cells, 1);
		strbuf_release(&when);
	}
}

static enum bd_ui_action
actions_take(struct bd_session *s, struct sup_table *t, const struct bd_ui_list_result *res,
	     void *ctx)
{
	struct strbuf text = STRBUF_INIT;
	enum bd_ui_action act;

	(void)t;
	(void)ctx;
	strbuf_addf(&text,
		    "When:      %s\nBy:        %s\nAction:    %s\nBatch:     %s\n"
		    "Document:  %s %s\n\n%s\n\nAs recorded:\n%s\n",
		    bd_ui_rows_get(&res->row, 0, "at"), sup_key(&res->row, "actor"),
		    sup_key(&res->row, "action"), sup_key(&res->row, "batch_id"),
		    sup_key(&res->row, "document_id"), sup_key(&res->row, "external_ref"),
		    sup_key(&res->row, "summary"), bd_ui_rows_get(&res->row, 0, "detail"));
	act = bd_ui_view_text(s->ui, "Queue action", text.buf, BD_UI_BIT(BD_UI_MENU));
	strbuf_release(&text);
	return act == BD_UI_HANGUP || act == BD_UI_MENU ? act : BD_UI_NONE;
}

enum bd_ui_action
bd_supervisor_actions(struct bd_session *s)
{
	struct bd_screen def;
	struct sup_table t;
	enum bd_ui_action act;

	if (load_list(s, "supervisor.actions", &def) < 0)
		return BD_UI_EXIT;
	sup_table_init(&t, s, &def);
	t.nparams = 2;
	t.params[0] = s->client_code;
	t.params[1] = "1000";
	t.shape = actions_shape;
	act = sup_run_list(s, &t, s->client_code, false, actions_take, NULL);
	sup_table_release(&t);
	bd_screen_release(&def);
	return act;
}
