/*
 * What every module's screens share of the signed-on session (session.h):
 * queries with the screen alive, errors on the message line, screen files
 * and lists over rows held in memory. The app shell
 * owns the session; modules use it through these, never through the app.
 */
#include "backdesk/session.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "backdesk/connect.h"
#include "backdesk/kit.h"
#include "backdesk/log.h"
#include "backdesk/module.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

/* ---- roles ----------------------------------------------------------------- */

unsigned
bd_role_bit(const char *role)
{
	static const char *const names[] = {"clerk", "accountant", "supervisor", "admin",
					    "payroll"};
	size_t i;

	for (i = 0; role && i < NELEM(names); i++)
		if (!strcmp(role, names[i]))
			return 1u << i;
	return 0;
}

/* ---- queries and screens ------------------------------------------------------ */

struct bd_db_result *
bd_session_query(struct bd_session *s, const char *name, int nparams, const char *const *params,
		 struct bd_err *err)
{
	if (s->db_broken) {
		bd_err_set(err, BD_ERR_CONNECTION, "The connection was closed");
		return NULL;
	}
	if (!bd_ui_hungup(s->ui) && bd_db_send(s->db, name, nparams, params, err) < 0) {
		if (!bd_db_connected(s->db) && s->link_lost)
			s->link_lost(s);
		return NULL;
	}
	return bd_session_take(s, s->db, err);
}

struct bd_db_result *
bd_session_take(struct bd_session *s, struct bd_db *db, struct bd_err *err)
{
	bool hung = bd_ui_hungup(s->ui);
	struct bd_db_result *res = bd_ui_take(s->ui, db, err);

	/* a hangup leaves s->db's query unread (or in flight): it cannot be used again */
	if (!res && !hung && bd_ui_hungup(s->ui))
		s->db_broken = true;
	else if (!bd_db_connected(s->db) && s->link_lost)
		s->link_lost(s);
	return res;
}

int
bd_session_run(struct bd_session *s, const char *name, int nparams, const char *const *params,
	       struct bd_err *err)
{
	struct bd_db_result *res = bd_session_query(s, name, nparams, params, err);

	bd_db_result_free(res);
	return res ? 0 : -1;
}

/* ---- reports from a standby ------------------------------------------------------ */

enum {
	/* how long the first report waits for the standby's connection */
	REPORT_FIRST_CONNECT_MS = 1000,
	REPORT_CONNECT_STEP_MS = 2,
};

struct bd_session_reports {
	struct bd_db *db; /* the standby's; NULL when none is configured */
	int timer;	  /* the background reconnect's, or -1 */
	bool refused;	  /* never again: refused, or not the operator's role */
};

static void
report_note(struct bd_session *s, const char *note)
{
	if (s->ui)
		bd_ui_set_status_note(s->ui, note);
}

/* The standby's link just came up: it is used only when it signs the
 * operator on as themselves (row security is per role). */
static bool
report_link_up(struct bd_session *s)
{
	struct bd_session_reports *r = s->reports;

	if (!strcmp(bd_db_user(r->db), s->login))
		return true;
	bd_log(BD_LOG_ERROR,
	       "database.report_conninfo signs %s on as %s: reports stay on the primary", s->login,
	       bd_db_user(r->db));
	r->refused = true;
	report_note(s, "Replica refused: primary");
	return false;
}

/* One step of the background reconnect (bd_db_reconnect_poll): 1 up, 0 not
 * yet, -1 never (refused). */
static int
report_poll(struct bd_session *s)
{
	struct bd_session_reports *r = s->reports;
	struct bd_err err = BD_ERR_INIT;
	int rc = bd_db_reconnect_poll(r->db, &err);

	if (rc > 0)
		return report_link_up(s) ? 1 : -1;
	if (rc < 0) {
		bd_log_err(&err);
		r->refused = true;
		report_note(s, "Replica refused: primary");
	}
	return rc;
}

static long
report_tick(struct bd_ui *ui, void *ctx)
{
	struct bd_session *s = ctx;
	struct bd_session_reports *r = s->reports;
	int rc = report_poll(s);

	(void)ui;
	if (rc == 0)
		return bd_db_reconnect_delay(r->db);
	r->timer = -1;
	if (rc > 0) {
		bd_log(BD_LOG_INFO, "%s: the reports' standby is back", s->login);
		report_note(s, "Replica: back");
	}
	return 0;
}

/* The standby is away: the primary serves, and the event loop reconnects. */
static void
report_down(struct bd_session *s)
{
	struct bd_session_reports *r = s->reports;

	report_note(s, r->refused ? "Replica refused: primary" : "Replica down: primary");
	if (r->refused || r->timer >= 0 || !s->ui)
		return;
	r->timer = bd_ui_timer(s->ui, (long)bd_db_reconnect_delay(r->db) + 1, report_tick, s);
}

/* The first report: connects to the standby, waiting a moment at most. */
static void
report_open(struct bd_session *s)
{
	struct bd_session_reports *r = xcalloc(1, sizeof(*r));
	char *conninfo = bd_connect_report_conninfo(s->cfg, s->login);
	long long until = bd_monotonic_ms() + REPORT_FIRST_CONNECT_MS;
	const struct timespec step = {0, REPORT_CONNECT_STEP_MS * 1000000L};
	int rc = 0;

	r->timer = -1;
	s->reports = r;
	if (!conninfo)
		return;
	r->db = bd_db_connect_start(conninfo);
	free(conninfo);
	while ((rc = report_poll(s)) == 0 && bd_monotonic_ms() < until)
		nanosleep(&step, NULL);
	if (rc <= 0) {
		bd_log(BD_LOG_WARN,
		       "%s: the reports' standby cannot be reached: the primary serves", s->login);
		report_down(s);
	}
}

struct bd_db *
bd_session_report_db(struct bd_session *s)
{
	struct bd_session_reports *r;

	if (!s->cfg)
		return s->db;
	if (!s->reports)
		report_open(s);
	r = s->reports;
	if (!r->db || r->refused)
		return s->db;
	if (bd_db_connected(r->db))
		return r->db;
	report_down(s);
	return s->db;
}

/* The standby's lag after a report read there, on the status line. */
static void
report_lag(struct bd_session *s)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res =
	    bd_ui_query(s->ui, s->reports->db, "core.replica_lag", BD_NO_PARAMS, &err);
	struct strbuf note = STRBUF_INIT;

	if (!res) {
		bd_log_err(&err);
		return;
	}
	if (strcmp(bd_db_result_text(res, 0, "standby"), "t")) {
		strbuf_addstr(&note, "Replica: not a standby");
	} else if (!*bd_db_result_text(res, 0, "lag_seconds")) {
		/* WAL waits, and no transaction was replayed yet to date it */
		strbuf_addstr(&note, "Replica: behind");
	} else {
		strbuf_addstr(&note, "Replica: ");
		bd_kit_duration(bd_db_result_text(res, 0, "lag_seconds"), &note);
		strbuf_addstr(&note, " behind");
	}
	report_note(s, note.buf);
	strbuf_release(&note);
	bd_db_result_free(res);
}

struct bd_db_result *
bd_session_report_query(struct bd_session *s, const char *name, int nparams,
			const char *const *params, struct bd_err *err)
{
	struct bd_db *db = bd_session_report_db(s);
	struct bd_db_result *res;

	if (db == s->db)
		return bd_session_query(s, name, nparams, params, err);
	res = bd_ui_query(s->ui, db, name, nparams, params, err);
	if (res) {
		report_lag(s);
		return res;
	}
	if (bd_ui_hungup(s->ui) || bd_db_connected(db))
		return NULL; /* the report's own error, or the terminal hung up */
	/* The standby went away under the report: the primary reads it again. */
	bd_log_err(err);
	report_down(s);
	*err = (struct bd_err)BD_ERR_INIT;
	return bd_session_query(s, name, nparams, params, err);
}

void
bd_session_reports_close(struct bd_session *s)
{
	struct bd_session_reports *r = s->reports;

	if (!r)
		return;
	if (r->timer >= 0 && s->ui)
		bd_ui_timer_cancel(s->ui, r->timer);
	bd_db_free(r->db);
	free(r);
	s->reports = NULL;
}

void
bd_session_error(struct bd_session *s, const struct bd_err *err)
{
	bd_log_err(err);
	bd_ui_message(s->ui, BD_UI_MSG_ERROR, "%s", err->msg);
}

void
bd_session_poll_background(struct bd_session *s)
{
	struct bd_err err = BD_ERR_INIT;

	bd_db_poll_background(s->db);
	if (bd_db_background_refused(s->db, &err))
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "%s", err.msg);
}

int
bd_session_load_screen(const struct bd_session *s, const char *name, struct bd_screen *screen,
		       struct bd_err *err)
{
	const char *dir = s->cfg ? bd_config_str(s->cfg, "ui.screens_dir") : "";
	struct strbuf path = STRBUF_INIT;
	int rc;

	if (!dir || !*dir)
		return bd_screen_load_embedded(screen, name, err);
	strbuf_addf(&path, "%s/%s.conf", dir, name);
	rc = bd_screen_load_file(screen, path.buf, err);
	strbuf_release(&path);
	return rc;
}

/* ---- rows held in memory, for small lists --------------------------------------- */

struct sort_ctx {
	const struct bd_ui_rows *rows;
	size_t col;
};

static bool
is_number(const char *s)
{
	char *end;

	if (!*s)
		return false;
	(void)strtod(s, &end);
	return *end == '\0';
}

/* Numbers largest first, text alphabetically, empty cells last; ties keep
 * the source's order. */
static int
cmp_rows(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *sc = arg;
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	const char *va = bd_ui_rows_cell(sc->rows, ia, sc->col);
	const char *vb = bd_ui_rows_cell(sc->rows, ib, sc->col);
	int c;

	while (*va == ' ')
		va++;
	while (*vb == ' ')
		vb++;
	if (!*va || !*vb) {
		c = !*va - !*vb;
	} else if (is_number(va) && is_number(vb)) {
		double x = strtod(va, NULL), y = strtod(vb, NULL);

		c = (x < y) - (x > y);
	} else {
		c = strcasecmp(va, vb);
	}
	return c ? c : (ia > ib) - (ia < ib);
}

static void
rows_page(const struct bd_ui_rows *rows, const struct bd_screen *def,
	  const struct bd_ui_list_query *q, size_t offset, size_t limit, struct bd_ui_rows *out,
	  int first_sorted)
{
	size_t *idx = xcalloc(rows->nrows + 1, sizeof(*idx)), n = 0, r, c;
	const char *filter = q && q->filter ? q->filter : "";

	for (r = 0; r < rows->nrows; r++) {
		bool match = !*filter;

		for (c = 0; !match && c < rows->ncols; c++)
			match = strcasestr(bd_ui_rows_cell(rows, r, c), filter) != NULL;
		if (match)
			idx[n++] = r;
	}
	if (q && def && q->sort >= first_sorted && (size_t)q->sort < def->ncolumns) {
		struct strbuf key = STRBUF_INIT;
		int col;

		strbuf_addf(&key, "sort_%s", def->columns[q->sort].name);
		if ((col = bd_ui_rows_col(rows, key.buf)) < 0)
			col = bd_ui_rows_col(rows, def->columns[q->sort].name);
		if (col >= 0) {
			struct sort_ctx sc = {rows, (size_t)col};

			qsort_r(idx, n, sizeof(*idx), cmp_rows, &sc);
		}
		strbuf_release(&key);
	}
	if (!out->ncols)
		bd_ui_rows_set_columns(out, rows->ncols, (const char *const *)rows->names);
	for (r = offset; r < n && r < offset + limit; r++)
		bd_ui_rows_add(out, (const char *const *)rows->cells + idx[r] * rows->ncols);
	free(idx);
}

void
bd_session_rows_page(const struct bd_ui_rows *rows, const struct bd_screen *def,
		     const struct bd_ui_list_query *q, size_t offset, size_t limit,
		     struct bd_ui_rows *out)
{
	/* Every column, the first too: "Sorted by Login" is sorted by login,
	 * whatever order the source gave. */
	rows_page(rows, def, q, offset, limit, out, 0);
}

void
bd_session_rows_page_report(const struct bd_ui_rows *rows, const struct bd_screen *def,
			    const struct bd_ui_list_query *q, size_t offset, size_t limit,
			    struct bd_ui_rows *out)
{
	rows_page(rows, def, q, offset, limit, out, 1);
}

/* ---- the registry ------------------------------------------------------------- */

const char *
bd_module_approval_label(const struct bd_module *const *modules, const char *kind)
{
	const struct bd_module_approval *k;

	for (; modules && *modules; modules++)
		for (k = (*modules)->approvals; k && k->kind; k++)
			if (!strcmp(k->kind, kind))
				return k->label;
	return NULL;
}
