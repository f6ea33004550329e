/*
 * The interactive application: sign-on, the active client, the main menu,
 * drafts offered back, the idle lock and assignment changes pushed by the
 * database. See include/backdesk/app.h and session.h.
 *
 * Identity is the PostgreSQL session user (core.whoami), which under peer
 * authentication is the Unix/SSH login. So the idle lock is a privacy
 * screen, not a password prompt: it hides the data, shows who is signed on,
 * and Enter continues. Whoever can press Enter at that terminal already has
 * the operator's Unix session; re-checking a password here would add a
 * secret the application otherwise never holds (DESIGN.md: "the
 * application never holds a shared secret"). After a longer idle time
 * (ui.idle_end_minutes, 30 by default) the session ends as if the link had
 * dropped: the open form is saved as a draft and the program exits, so the
 * next use needs the SSH login again (PCI DSS 8.2.8: re-authentication
 * after 15 minutes idle at most, for which the privacy screen does not count).
 */
#include "backdesk/app.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backdesk/connect.h"
#include "backdesk/date.h"
#include "backdesk/draft.h"
#include "backdesk/kit.h"
#include "backdesk/log.h"
#include "backdesk/module.h"
#include "backdesk/session.h"
#include "backdesk/strbuf.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"

/* Exit statuses of bd_app_run. */
enum {
	APP_OK = 0,	 /* signed off */
	APP_FAILED = 1,	 /* hung up, or the login may not use Backdesk */
	APP_NO_TERM = 2, /* the terminal cannot be used */
};

struct app {
	struct bd_session s; /* first: bd_session_* find the app from it */
	const struct bd_app_opts *opts;
	int watch_id, watch_fd, timer_id, end_timer_id, reconnect_timer;
	int first_screen_timer; /* logs the start-up's phases once the menu shows */
	bool locked, at_menu, db_lost;
	bool idle_ended; /* the session ended for want of keys (ui.idle_end_minutes) */
	/* The reconnect found the login refused (the operator was disabled):
	 * the session ends, saying so. */
	bool withdrawn;
	char *log_problem;
	/* The operator's own channel (assignments, role, state) on the
	 * session's connection: the kit's live refresh, coalesced. */
	struct bd_kit_live *live;
	const struct bd_module_entry **menu; /* every module's, in menu order */
	struct strbuf note;		     /* shown on the main menu's message line */
};

static struct app *
app_of(struct bd_session *s)
{
	return (struct app *)s;
}

/* ---- roles ----------------------------------------------------------------- */

/* ---- the modules' menu entries ------------------------------------------------ */

struct menu_order {
	const struct bd_module_entry *entry;
	size_t seq; /* its place in the module list: ties keep it */
};

static int
cmp_order(const void *a, const void *b)
{
	const struct menu_order *x = a, *y = b;

	if (x->entry->order != y->entry->order)
		return x->entry->order < y->entry->order ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

const struct bd_module_entry **
bd_app_menu_entries(void)
{
	const struct bd_module *const *m;
	const struct bd_module_entry *e, **out;
	struct menu_order *all;
	size_t n = 0, i;

	for (m = bd_modules; *m; m++)
		for (e = (*m)->entries; e && e->label; e++)
			n++;
	all = xcalloc(n + 1, sizeof(*all));
	out = xcalloc(n + 1, sizeof(*out));
	n = 0;
	for (m = bd_modules; *m; m++)
		for (e = (*m)->entries; e && e->label; e++, n++)
			all[n] = (struct menu_order){e, n};
	qsort(all, n, sizeof(*all), cmp_order);
	for (i = 0; i < n; i++)
		out[i] = all[i].entry;
	free(all);
	return out;
}

/* ---- roles ----------------------------------------------------------------- */

/* "Clients, Operators, Audit log": what the menu offers a role. */
static void
role_can_do(const struct bd_module_entry *const *menu, unsigned role_bit, struct strbuf *out)
{
	size_t i;

	for (i = 0; menu[i]; i++) {
		if (!(menu[i]->roles & role_bit))
			continue;
		if (out->len)
			strbuf_addstr(out, ", ");
		strbuf_addstr(out, menu[i]->label);
	}
	if (!out->len)
		strbuf_addstr(out, "no screens yet");
}

/* ---- the session --------------------------------------------------------------- */

static long reconnect_tick(struct bd_ui *ui, void *ctx);
static void watch_db(struct app *a);

/* The status line's "DB:" word. */
static const char *
db_word(const struct app *a)
{
	return a->withdrawn ? "refused" : a->db_lost ? "reconnecting" : "ok";
}

/*
 * The link was found lost (or back): the status line says so, and while it
 * is lost a timer drives the background reconnect (bd_db_reconnect_poll),
 * so the screen stays usable: only what needs the database says it cannot.
 */
static void
set_db_state(struct app *a, bool lost)
{
	if (a->db_lost == lost)
		return;
	a->db_lost = lost;
	if (lost) {
		if (a->watch_id >= 0)
			bd_ui_unwatch(a->s.ui, a->watch_id);
		a->watch_id = a->watch_fd = -1;
		if (a->reconnect_timer < 0 && !a->withdrawn)
			a->reconnect_timer = bd_ui_timer(a->s.ui, 1, reconnect_tick, a);
	}
	bd_ui_set_status(a->s.ui, NULL, NULL, NULL, db_word(a));
}

static long
reconnect_tick(struct bd_ui *ui, void *ctx)
{
	struct app *a = ctx;
	struct bd_err err = BD_ERR_INIT;
	int rc = bd_db_reconnect_poll(a->s.db, &err);

	if (rc == 0)
		return bd_db_reconnect_delay(a->s.db);
	a->reconnect_timer = -1;
	if (rc > 0) {
		bd_log(BD_LOG_INFO, "%s: the database is back", a->s.login);
		set_db_state(a, false);
		watch_db(a);
		return 0;
	}
	/* Refused: the operator may no longer sign on. The screen in front
	 * ends (as when the client is taken away) and the app says why. */
	bd_log_err(&err);
	a->withdrawn = true;
	bd_ui_set_status(ui, NULL, NULL, NULL, db_word(a));
	bd_ui_request(ui, BD_UI_MENU);
	return 0;
}

/* bd_session_query found the connection lost. */
static void
link_lost(struct bd_session *s)
{
	set_db_state(app_of(s), true);
}

static void
set_str(char **field, const char *value)
{
	free(*field);
	*field = value ? xstrdup(value) : NULL;
}

static void
show_status(struct app *a)
{
	struct strbuf op = STRBUF_INIT;

	strbuf_addstr(&op, a->s.login);
	if (*a->s.full_name)
		strbuf_addf(&op, " %s", a->s.full_name);
	bd_ui_set_status(a->s.ui, op.buf, a->s.role, a->s.client_code ? a->s.client_code : "",
			 a->s.db ? db_word(a) : "");
	strbuf_release(&op);
}

/* ---- start-up timing ------------------------------------------------------------ */

/* Microseconds of CLOCK_MONOTONIC when each mark was passed, 0 before. */
static double marks[BD_APP_NMARKS];

static double
now_us(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

void
bd_app_mark(enum bd_app_mark m)
{
	if (m < BD_APP_NMARKS && !marks[m])
		marks[m] = now_us(CLOCK_MONOTONIC);
}

/* Microseconds from the exec to main(): the process's start time (in clock
 * ticks since boot, /proc/self/stat's 22nd field) against the boot clock,
 * so in steps of a tick (10 ms); from the fork, where the kernel dates a
 * process. -1 when unknown. */
static double
before_main_us(void)
{
	char buf[1024], *p;
	unsigned long long start = 0;
	double boot_us = now_us(CLOCK_BOOTTIME) - (now_us(CLOCK_MONOTONIC) - marks[0]);
	FILE *f = fopen("/proc/self/stat", "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	int field;

	if (f)
		fclose(f);
	buf[n] = '\0';
	/* after the command name, which may hold spaces: field 3 on */
	if (!(p = strrchr(buf, ')')))
		return -1;
	for (field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", &start) != 1)
		return -1;
	return boot_us - (double)start * 1e6 / (double)sysconf(_SC_CLK_TCK);
}

/* The first screen is on the terminal: one line with each phase's time. */
static long
log_first_screen(struct bd_ui *ui, void *ctx)
{
	static const char *const names[] = {"main",	"config",  "database",
					    "terminal", "sign-on", "menu"};
	struct app *a = ctx;
	struct strbuf line = STRBUF_INIT;
	double before = before_main_us(), prev = marks[0];
	size_t i;

	(void)ui;
	a->first_screen_timer = -1;
	bd_app_mark(BD_APP_MARK_MENU);
	if (!marks[BD_APP_MARK_MAIN])
		return 0;
	strbuf_addf(&line, "first screen %.1f ms after exec: before main %.0f",
		    (marks[BD_APP_MARK_MENU] - marks[0] + (before > 0 ? before : 0)) / 1000,
		    before / 1000);
	for (i = 1; i < BD_APP_NMARKS; i++) {
		if (!marks[i])
			continue;
		strbuf_addf(&line, ", %s %.1f", names[i], (marks[i] - prev) / 1000);
		prev = marks[i];
	}
	{
		struct rusage ru;

		if (getrusage(RUSAGE_SELF, &ru) == 0)
			strbuf_addf(&line, " ms; CPU %.1f",
				    ((double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
				     (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec)) /
					1000);
	}
	bd_log(BD_LOG_INFO, "%s: %s ms", a->s.login, line.buf);
	strbuf_release(&line);
	return 0;
}

/* ---- the log ------------------------------------------------------------------- */

static void
mkdir_parents(const char *path)
{
	char *dir = xstrdup(path), *p;

	for (p = dir + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			break;
		*p = '/';
	}
	free(dir);
}

/* The log must leave stderr before curses takes the terminal. */
static void
open_log(struct app *a)
{
	const char *path = a->s.cfg ? bd_config_str(a->s.cfg, "log.file") : "";
	struct bd_err err = BD_ERR_INIT;

	if (path && *path) {
		mkdir_parents(path);
		if (bd_log_open(path, &err) == 0)
			return;
	} else {
		bd_err_set(&err, BD_ERR_IO, "No log file is configured");
	}
	a->log_problem = xstrdup(err.msg);
	bd_log_open("/dev/null", NULL);
}

/* ---- rows held in memory, for small lists (sign-on, client choice) ----------------- */

struct mem_source {
	const struct bd_ui_rows *rows;
	const struct bd_screen *def;
};

static int
mem_rows_fetch(void *ctx, const struct bd_ui_list_query *q, size_t offset, size_t limit,
	       struct bd_ui_rows *out, struct bd_err *err)
{
	const struct mem_source *ms = ctx;

	(void)err;
	bd_session_rows_page(ms->rows, ms->def, q, offset, limit, out);
	return 0;
}

/* Runs list screen `name` over `rows` until a row is taken (its index in
 * `rows`, by the value of its first column, goes to *taken) or the list
 * ends (EXIT, CANCEL, HANGUP). */
static enum bd_ui_action
pick_row(struct app *a, const char *name, const struct bd_ui_rows *rows, const char *title,
	 const char *subtitle, size_t *taken)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_screen def;
	struct mem_source ms = {rows, &def};
	struct bd_ui_list_source src = {&ms, mem_rows_fetch};
	struct bd_ui_list_opts opts = {0};
	struct bd_ui_list_result res;
	enum bd_ui_action act;

	bd_screen_init(&def);
	if (bd_session_load_screen(&a->s, name, &def, &err) < 0) {
		bd_session_error(&a->s, &err);
		return BD_UI_CANCEL;
	}
	opts.exits = BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL);
	opts.title = title;
	opts.subtitle = subtitle;
	bd_ui_list_result_init(&res);
	for (;;) {
		const char *key;
		size_t r;

		act = bd_ui_list(a->s.ui, &def, &src, &opts, &res);
		if (act != BD_UI_SELECT)
			break;
		key = bd_ui_rows_cell(&res.row, 0, 0);
		for (r = 0; r < rows->nrows && strcmp(bd_ui_rows_cell(rows, r, 0), key); r++)
			;
		if (r < rows->nrows) {
			*taken = r;
			break;
		}
	}
	bd_ui_list_result_release(&res);
	bd_screen_release(&def);
	return act;
}

/* ---- the demo's sign-on ---------------------------------------------------------- */

/* Connects as each demo login to read who they are, and lets the person at
 * the terminal choose one. Returns that connection, or NULL (*act says
 * why: EXIT or HANGUP). */
static struct bd_db *
demo_sign_on(struct app *a, enum bd_ui_action *act)
{
	static const char *const names[] = {"login", "full_name", "role", "can_do"};
	const struct bd_app_opts *o = a->opts;
	struct bd_db **dbs;
	struct bd_db *chosen = NULL;
	struct bd_ui_rows rows;
	struct strbuf can = STRBUF_INIT;
	size_t n, i, taken = 0;

	for (n = 0; o->demo_logins[n]; n++)
		;
	dbs = xcalloc(n + 1, sizeof(*dbs));
	bd_ui_rows_init(&rows);
	bd_ui_rows_set_columns(&rows, 4, names);
	for (i = 0; i < n; i++) {
		struct bd_err err = BD_ERR_INIT;
		struct bd_db_result *res = NULL;
		const char *cells[4] = {o->demo_logins[i], "", "", ""};

		strbuf_reset(&can);
		if (!(dbs[i] = o->connect_as(o->connect_ctx, o->demo_logins[i], &err)) ||
		    !(res = bd_db_query(dbs[i], "core.whoami", BD_NO_PARAMS, &err)) ||
		    bd_db_result_rows(res) < 1) {
			if (!bd_err_is_set(&err))
				bd_err_set(&err, BD_ERR_PERMISSION, "not an operator");
			bd_log_err(&err);
			strbuf_addf(&can, "cannot sign on: %s", err.msg);
			bd_db_free(dbs[i]);
			dbs[i] = NULL;
		} else {
			cells[1] = bd_db_result_get(res, 0, 1);
			cells[2] = bd_db_result_get(res, 0, 2);
			role_can_do(a->menu, bd_role_bit(cells[2]), &can);
		}
		cells[3] = can.buf;
		bd_ui_rows_add(&rows, cells);
		bd_db_result_free(res);
	}
	for (;;) {
		*act = pick_row(a, "app.signon", &rows, NULL, "demo", &taken);
		if (*act == BD_UI_SELECT && !dbs[taken]) {
			bd_ui_message(a->s.ui, BD_UI_MSG_ERROR, "%s %s",
				      bd_ui_rows_cell(&rows, taken, 0),
				      bd_ui_rows_cell(&rows, taken, 3));
			continue;
		}
		if (*act == BD_UI_SELECT || *act == BD_UI_HANGUP)
			break;
		if (bd_ui_confirm(a->s.ui, "Leave the demo?") || bd_ui_hungup(a->s.ui)) {
			*act = bd_ui_hungup(a->s.ui) ? BD_UI_HANGUP : BD_UI_EXIT;
			break;
		}
	}
	if (*act == BD_UI_SELECT) {
		chosen = dbs[taken];
		dbs[taken] = NULL;
	}
	for (i = 0; i < n; i++)
		bd_db_free(dbs[i]);
	free(dbs);
	strbuf_release(&can);
	bd_ui_rows_release(&rows);
	return chosen;
}

/* ---- who is signed on ------------------------------------------------------------- */

/* A page saying why Backdesk cannot go on; returns when it was read. */
static void
show_refusal(struct app *a, const char *text)
{
	bd_ui_view_text(a->s.ui, "Cannot sign on", text, 0);
}

static int
whoami(struct app *a)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_session_query(&a->s, "core.whoami", BD_NO_PARAMS, &err);
	struct strbuf text = STRBUF_INIT;
	int rc = -1;

	if (!res) {
		bd_log_err(&err);
		strbuf_addf(&text, "Backdesk cannot read who you are.\n\n%s", err.msg);
	} else if (bd_db_result_rows(res) < 1) {
		strbuf_addf(&text,
			    "You are connected to the database as %s, who is not a Backdesk "
			    "operator.\n\n",
			    bd_db_user(a->s.db));
		if (bd_connect_is_embedded(a->s.cfg))
			strbuf_addstr(&text,
				      "On this embedded database, open the screens as an "
				      "operator:\n"
				      "  backdesk --user NAME   ('backdesk user list' shows them)\n"
				      "  backdesk demo          (pick one from a list)\n\n");
		strbuf_addstr(&text, "To make a login an operator, an administrator adds it on the "
				     "Operators screen, or with:\n"
				     "  backdesk user add LOGIN --role ROLE --client CODE");
	} else if (!strcmp(bd_db_result_get(res, 0, 3), "t")) {
		strbuf_addf(&text,
			    "The operator %s is disabled.\n\nAsk an administrator to enable "
			    "your login again.",
			    bd_db_result_get(res, 0, 0));
	} else {
		set_str(&a->s.login, bd_db_result_get(res, 0, 0));
		set_str(&a->s.full_name, bd_db_result_get(res, 0, 1));
		set_str(&a->s.role, bd_db_result_get(res, 0, 2));
		a->s.role_bit = bd_role_bit(a->s.role);
		rc = 0;
	}
	if (rc < 0 && !bd_ui_hungup(a->s.ui))
		show_refusal(a, text.buf);
	bd_db_result_free(res);
	strbuf_release(&text);
	return rc;
}

/* ---- the active client ---------------------------------------------------------------- */

static int
load_clients(struct app *a, struct bd_ui_rows *rows, struct bd_err *err)
{
	struct bd_db_result *res = bd_session_query(&a->s, "app.my_clients", BD_NO_PARAMS, err);
	int rc;

	if (!res)
		return -1;
	rc = bd_ui_rows_add_result(rows, res, err);
	bd_db_result_free(res);
	return rc;
}

static void
set_client(struct app *a, const struct bd_ui_rows *rows, size_t r)
{
	set_str(&a->s.client_id, r < rows->nrows ? bd_ui_rows_get(rows, r, "client_id") : NULL);
	set_str(&a->s.client_code, r < rows->nrows ? bd_ui_rows_get(rows, r, "code") : NULL);
	set_str(&a->s.client_name, r < rows->nrows ? bd_ui_rows_get(rows, r, "name") : NULL);
	a->s.client_lost = false;
	show_status(a);
}

/*
 * The client choice. `must`: at sign-on or after the client was taken away
 * (leaving it signs off); otherwise a change from the menu (leaving it keeps
 * the current client). `why` is shown above the list. Returns BD_UI_SELECT
 * (a client is active, or none is assigned), BD_UI_CANCEL (unchanged),
 * BD_UI_EXIT (sign off) or BD_UI_HANGUP.
 */
static enum bd_ui_action
choose_client(struct app *a, bool must, const char *why)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_ui_rows rows;
	enum bd_ui_action act = BD_UI_SELECT;
	size_t taken = 0;

	bd_ui_rows_init(&rows);
	if (load_clients(a, &rows, &err) < 0) {
		if (a->s.db_broken)
			act = BD_UI_HANGUP;
		else
			bd_session_error(&a->s, &err);
		goto cleanup;
	}
	a->s.nclients = rows.nrows;
	if (rows.nrows == 0) {
		set_client(a, &rows, 0);
		strbuf_reset(&a->note);
		if (why)
			strbuf_addf(&a->note, "%s, nor to any other client", why);
		else
			strbuf_addstr(&a->note,
				      "You are not assigned to any client: ask an administrator");
		goto cleanup;
	}
	if (rows.nrows == 1) {
		set_client(a, &rows, 0);
		strbuf_reset(&a->note);
		if (why)
			strbuf_addf(&a->note, "%s. Now working for %s.", why, a->s.client_code);
		goto cleanup;
	}
	if (why)
		bd_ui_message(a->s.ui, BD_UI_MSG_ERROR, "%s", why);
	for (;;) {
		act = pick_row(a, "app.clients", &rows, NULL,
			       a->s.client_code ? a->s.client_code : NULL, &taken);
		if (act == BD_UI_SELECT) {
			set_client(a, &rows, taken);
			break;
		}
		if (act == BD_UI_HANGUP)
			break;
		if (!must) {
			act = BD_UI_CANCEL;
			break;
		}
		if (bd_ui_confirm(a->s.ui, "Sign off?") || bd_ui_hungup(a->s.ui)) {
			act = bd_ui_hungup(a->s.ui) ? BD_UI_HANGUP : BD_UI_EXIT;
			break;
		}
	}
cleanup:
	bd_ui_rows_release(&rows);
	return act;
}

/* The database says the operator's assignments changed: re-read them. */
static void
clients_changed(struct app *a)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(a->s.db, "app.my_clients", BD_NO_PARAMS, &err);
	bool found = false;
	int r;

	if (!res) {
		bd_log_err(&err);
		return;
	}
	a->s.nclients = (size_t)bd_db_result_rows(res);
	for (r = 0; a->s.client_id && r < bd_db_result_rows(res); r++)
		if (!strcmp(bd_db_result_get(res, r, 0), a->s.client_id))
			found = true;
	bd_db_result_free(res);
	if (a->s.client_id && !found) {
		a->s.client_lost = true;
		bd_ui_message(a->s.ui, BD_UI_MSG_ERROR, "You are no longer assigned to %s",
			      a->s.client_code);
		if (a->at_menu || a->s.in_client_screen)
			bd_ui_request(a->s.ui, BD_UI_MENU);
	} else if (a->at_menu || !a->s.client_id) {
		/* The menu offers Change client only with several clients. */
		if (a->at_menu)
			bd_ui_request(a->s.ui, BD_UI_MENU);
	}
}

/* ---- notifications and the idle lock ---------------------------------------------------- */

static void on_db_readable(struct bd_ui *ui, int fd, void *ctx);

static void
operator_changed(struct bd_session *s, void *ctx)
{
	(void)s;
	clients_changed(ctx);
}

/* LISTENs on the connection and watches its socket; again after the
 * connection was re-established (a new socket, a new session). */
static void
watch_db(struct app *a)
{
	struct bd_err err = BD_ERR_INIT;
	int fd;

	if (!a->s.db || a->s.db_broken || !bd_db_connected(a->s.db))
		return;
	fd = bd_db_socket(a->s.db);
	if (a->watch_id >= 0 && fd == a->watch_fd)
		return;
	if (a->watch_id >= 0)
		bd_ui_unwatch(a->s.ui, a->watch_id);
	a->watch_id = a->watch_fd = -1;
	if (fd < 0)
		return;
	/* The operator's own channel: their assignments, role or state changed
	 * (no payload: the client list is read again, see session.h); none for
	 * a superuser who is not an operator: the socket is still watched, for
	 * the background draft saves. */
	if (!a->live) {
		const struct bd_kit_live_spec spec = {
		    .topic = "operator", .db = a->s.db, .changed = operator_changed, .ctx = a};

		a->live = bd_kit_live_open(&a->s, &spec);
	} else if (bd_kit_live_listen(a->live, &err) < 0) {
		bd_log_err(&err);
		return;
	}
	a->watch_fd = fd;
	a->watch_id = bd_ui_watch_fd(a->s.ui, fd, on_db_readable, a);
}

/* The connection's socket is readable: a background draft save finished,
 * a notification arrived, or the link dropped. */
static void
on_db_readable(struct bd_ui *ui, int fd, void *ctx)
{
	struct app *a = ctx;
	struct bd_err err = BD_ERR_INIT;

	(void)ui;
	if (!bd_db_connected(a->s.db)) {
		set_db_state(a, true);
		return;
	}
	if (fd != bd_db_socket(a->s.db)) {
		watch_db(a);
		return;
	}
	bd_session_poll_background(&a->s);
	if (bd_db_consume(a->s.db, &err) < 0) {
		bd_log_err(&err);
		set_db_state(a, true);
		return;
	}
	bd_kit_live_drain(a->live);
}

static long on_tick(struct bd_ui *ui, void *ctx);

/* Before the loop sleeps: what a call since its last wake left for us that
 * no fd announces. A loss found by a call that is not the session's (a
 * module's own bd_db call) or a connection made again underneath (a new
 * socket to watch), and notifications a query read off the socket: they
 * wait in libpq's queue, so the socket's watch would not see them. */
static void
before_wait(struct bd_ui *ui, void *ctx)
{
	struct app *a = ctx;

	(void)ui;
	if (!a->s.db || a->s.db_broken || !*a->s.login)
		return;
	if (!bd_db_connected(a->s.db))
		set_db_state(a, true);
	watch_db(a);
	bd_kit_live_drain(a->live);
}

/* The idle lock and end are deadlines: the tick is due when the first of
 * them would pass with no key meanwhile (a key puts it off: it is set again
 * then), and never with neither set, so a session at rest does not wake
 * (README, Capacity). 0: nothing due. */
static long
next_tick_ms(long lock, long end, long idle)
{
	long next = 0;

	if (lock > 0 && idle < lock)
		next = lock - idle;
	if (end > 0 && idle < end && (!next || end - idle < next))
		next = end - idle;
	return next;
}

static const struct bd_ui_label lock_labels[] = {{BD_UI_ENTER, "Continue"}, {BD_UI_NONE, NULL}};

/* Milliseconds in `minutes` idle minutes (ui.idle_minute_seconds: 60, less
 * only for the tests), 0 for never. */
static long
idle_ms(const struct app *a, const char *setting)
{
	long minutes = a->s.cfg ? (long)bd_config_int(a->s.cfg, setting) : 0;
	long second_ms = a->s.cfg ? (long)bd_config_int(a->s.cfg, "ui.idle_minute_seconds") : 60;

	return minutes * second_ms * 1000L;
}

/* Ends the session after ui.idle_end_minutes without a key: the same path as
 * a dropped link (SIGHUP through the event loop's self-pipe), so every open
 * form is saved as a draft and the program exits; the next use needs the
 * SSH login again. */
static void
end_idle_session(struct app *a)
{
	a->idle_ended = true;
	bd_log(BD_LOG_INFO, "%s: the session ended after %lld idle minutes", a->s.login,
	       bd_config_int(a->s.cfg, "ui.idle_end_minutes"));
	raise(SIGHUP);
}

/* The idle end while the lock screen shows (on_tick is off then). */
static long
on_idle_end(struct bd_ui *ui, void *ctx)
{
	struct app *a = ctx;
	long end = idle_ms(a, "ui.idle_end_minutes");

	if (bd_ui_idle_ms(ui) < end)
		return end - bd_ui_idle_ms(ui);
	a->end_timer_id = -1;
	end_idle_session(a);
	return 0;
}

/* The privacy screen: the form underneath is kept; only Enter continues. */
static void
lock_screen(struct app *a)
{
	struct strbuf text = STRBUF_INIT;
	long minutes = (long)bd_config_int(a->s.cfg, "ui.idle_lock_minutes");
	long end = (long)bd_config_int(a->s.cfg, "ui.idle_end_minutes");

	strbuf_addf(&text,
		    "This terminal was locked after %ld minute%s without a key.\n\n"
		    "Signed on:  %s %s (%s)\n",
		    minutes, minutes == 1 ? "" : "s", a->s.login, a->s.full_name, a->s.role);
	if (a->s.client_code)
		strbuf_addf(&text, "Client:     %s %s\n", a->s.client_code, a->s.client_name);
	strbuf_addstr(&text,
		      "\nPress Enter to continue where you left off.\n\n"
		      "You are signed on as your own Unix login, so no password is asked here. "
		      "If this is not your session, do not continue: close the terminal, and "
		      "your open form is kept as a draft for its owner.");
	if (end > minutes)
		strbuf_addf(&text,
			    "\n\nAfter %ld minutes without a key the session ends: the open form "
			    "is kept as a draft, and you sign on again.",
			    end);
	/* Enter, or a hangup that the screen underneath then sees */
	bd_ui_view_text_only(a->s.ui, "Locked", text.buf, BD_UI_BIT(BD_UI_ENTER), lock_labels);
	strbuf_release(&text);
}

/* The tick, due at the first idle deadline (none: no timer). */
static void
start_tick(struct app *a)
{
	long next = next_tick_ms(idle_ms(a, "ui.idle_lock_minutes"),
				 idle_ms(a, "ui.idle_end_minutes"), bd_ui_idle_ms(a->s.ui));

	a->timer_id = next ? bd_ui_timer(a->s.ui, next, on_tick, a) : -1;
}

static long
on_tick(struct bd_ui *ui, void *ctx)
{
	struct app *a = ctx;
	long lock = idle_ms(a, "ui.idle_lock_minutes"), end = idle_ms(a, "ui.idle_end_minutes");
	long idle = bd_ui_idle_ms(ui), next;

	if (a->locked)
		return 1000;
	if (end > 0 && *a->s.login && idle >= end && (lock <= 0 || lock >= end)) {
		end_idle_session(a);
		return 0;
	}
	if (lock > 0 && *a->s.login && idle >= lock) {
		/* The lock screen runs the event loop again: this timer must not
		 * fire inside it, so it is replaced by a new one afterwards; the
		 * idle end has a timer of its own meanwhile. */
		bd_ui_timer_cancel(ui, a->timer_id);
		if (end > lock)
			a->end_timer_id = bd_ui_timer(ui, end - idle, on_idle_end, a);
		a->locked = true;
		lock_screen(a);
		a->locked = false;
		if (a->end_timer_id >= 0)
			bd_ui_timer_cancel(ui, a->end_timer_id);
		a->end_timer_id = -1;
		/* The screen underneath draws itself again, whole. */
		bd_ui_request(ui, BD_UI_REDRAW);
		start_tick(a);
		return 0;
	}
	if (!(next = next_tick_ms(lock, end, idle)))
		a->timer_id = -1;
	return next;
}

/* ---- drafts offered back ------------------------------------------------------------------ */

/* The draft kind (of any module) of draft key screen `screen`, or NULL. */
static const struct bd_module_draft *
draft_kind(const char *screen)
{
	const struct bd_module *const *m;
	const struct bd_module_draft *d;

	for (m = bd_modules; *m; m++)
		for (d = (*m)->drafts; d && d->screen; d++)
			if (!strcmp(d->screen, screen))
				return d;
	return NULL;
}

static void
today_iso(char buf[BD_DATE_ISO_LEN + 1])
{
	struct bd_date d;

	buf[0] = '\0';
	if (bd_date_today(&d, NULL) == 0)
		bd_date_to_iso(&d, buf);
}

/* Restores (or discards) one draft. */
static enum bd_ui_action
offer_draft(struct app *a, const struct bd_module_draft *k, const char *key, const char *record,
	    const char *saved_at)
{
	struct bd_err err = BD_ERR_INIT;
	struct strbuf q = STRBUF_INIT;
	struct bd_db_result *res = NULL;
	char today[BD_DATE_ISO_LEN + 1];
	enum bd_ui_action act = BD_UI_NONE;
	bool yes;

	today_iso(today);
	strbuf_addf(&q, "You have an unsaved %s", k->what);
	if (record)
		strbuf_addf(&q, " (%s)", record);
	strbuf_addstr(&q, " from ");
	bd_draft_when(saved_at, today, &q);
	strbuf_addstr(&q, ". Restore?");
	yes = bd_ui_confirm(a->s.ui, q.buf);
	if (bd_ui_hungup(a->s.ui)) {
		act = BD_UI_HANGUP;
		goto cleanup;
	}
	if (!yes) {
		if (bd_session_run(&a->s, "draft.discard", BD_PARAMS(key), &err) < 0)
			bd_session_error(&a->s, &err);
		goto cleanup;
	}
	if (!(res = bd_session_query(&a->s, "draft.get", BD_PARAMS(key), &err))) {
		bd_session_error(&a->s, &err);
		goto cleanup;
	}
	if (bd_db_result_rows(res) > 0) {
		const char *data = bd_db_result_get(res, 0, 0);

		act = k->resume(&a->s, record, data, strlen(data));
	}
cleanup:
	bd_db_result_free(res);
	strbuf_release(&q);
	return act;
}

/* At sign-on: offers each draft this operator may reopen now (drafts of
 * another client wait until that client is chosen). */
static enum bd_ui_action
offer_drafts(struct app *a)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_session_query(&a->s, "draft.list", BD_NO_PARAMS, &err);
	enum bd_ui_action act = BD_UI_NONE;
	int r;

	if (!res) {
		bd_log_err(&err);
		return a->s.db_broken ? BD_UI_HANGUP : BD_UI_NONE;
	}
	for (r = 0; r < bd_db_result_rows(res) && act != BD_UI_HANGUP; r++) {
		const char *key = bd_db_result_get(res, r, 0);
		const char *client = bd_db_result_get(res, r, 1);
		const struct bd_module_draft *k;
		char *screen, *record;

		bd_draft_split_key(key, &screen, &record);
		k = draft_kind(screen);
		if (k && (k->roles & a->s.role_bit) &&
		    (!*client || (a->s.client_id && !strcmp(client, a->s.client_id))) &&
		    offer_draft(a, k, key, record, bd_db_result_get(res, r, 2)) == BD_UI_HANGUP)
			act = BD_UI_HANGUP;
		free(screen);
		free(record);
	}
	bd_db_result_free(res);
	return act;
}

/* ---- the main menu --------------------------------------------------------------------------- */

enum menu_item_kind {
	ITEM_ENTRY,
	ITEM_CHANGE_CLIENT,
	ITEM_SIGN_OFF,
};

struct menu_item {
	enum menu_item_kind kind;
	const struct bd_module_entry *entry;
	char *label;
};

static size_t
build_menu(struct app *a, struct menu_item *items)
{
	size_t n = 0, i;

	for (i = 0; a->menu[i]; i++) {
		if (!(a->menu[i]->roles & a->s.role_bit))
			continue;
		if (a->menu[i]->needs_client && !a->s.client_id)
			continue;
		items[n].kind = ITEM_ENTRY;
		items[n].entry = a->menu[i];
		items[n++].label = xstrdup(a->menu[i]->label);
	}
	if (a->s.nclients > 1) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "Change client (%s)",
			    a->s.client_code ? a->s.client_code : "none");
		items[n].kind = ITEM_CHANGE_CLIENT;
		items[n].entry = NULL;
		items[n++].label = strbuf_detach(&sb, NULL);
	}
	items[n].kind = ITEM_SIGN_OFF;
	items[n].entry = NULL;
	items[n++].label = xstrdup("Sign off");
	return n;
}

static enum bd_ui_action
client_taken_away(struct app *a)
{
	struct strbuf why = STRBUF_INIT;
	enum bd_ui_action act;

	strbuf_addf(&why, "You are no longer assigned to %s",
		    a->s.client_code ? a->s.client_code : "your client");
	set_str(&a->s.client_id, NULL);
	set_str(&a->s.client_code, NULL);
	set_str(&a->s.client_name, NULL);
	a->s.client_lost = false;
	show_status(a);
	act = choose_client(a, true, why.buf);
	strbuf_release(&why);
	return act;
}

/* Runs the main menu until sign-off (BD_UI_EXIT) or hangup. */
static enum bd_ui_action
main_menu(struct app *a)
{
	size_t nentries, sel = 0;
	struct menu_item *items;
	const char **labels;
	enum bd_ui_action rc;

	for (nentries = 0; a->menu[nentries]; nentries++)
		;
	items = xcalloc(nentries + 3, sizeof(*items));
	labels = xcalloc(nentries + 3, sizeof(*labels));
	for (;;) {
		size_t n = build_menu(a, items), i, choice = 0;
		enum bd_ui_action act, sub = BD_UI_NONE;
		bool sign_off = false;

		for (i = 0; i < n; i++)
			labels[i] = items[i].label;
		if (a->note.len)
			bd_ui_message(a->s.ui, BD_UI_MSG_INFO, "%s", a->note.buf);
		else if (n == 1)
			bd_ui_message(a->s.ui, BD_UI_MSG_INFO,
				      "No screens are available to the %s role yet", a->s.role);
		strbuf_reset(&a->note);
		a->at_menu = true;
		act = bd_ui_menu(a->s.ui, "Main menu", labels, n, sel < n ? sel : 0, &choice);
		a->at_menu = false;
		if (act == BD_UI_SELECT) {
			sel = choice;
			switch (items[choice].kind) {
			case ITEM_ENTRY:
				a->s.in_client_screen = items[choice].entry->needs_client;
				sub = items[choice].entry->run(&a->s);
				a->s.in_client_screen = false;
				break;
			case ITEM_CHANGE_CLIENT:
				sub = choose_client(a, false, NULL);
				break;
			case ITEM_SIGN_OFF:
				sign_off = bd_ui_confirm(a->s.ui, "Sign off?");
				break;
			}
		} else if (act == BD_UI_EXIT) {
			sign_off = bd_ui_confirm(a->s.ui, "Sign off?");
		} else if (act == BD_UI_HANGUP) {
			sub = BD_UI_HANGUP;
		}
		for (i = 0; i < n; i++)
			free(items[i].label);
		if (bd_ui_hungup(a->s.ui) || sub == BD_UI_HANGUP || a->s.db_broken) {
			rc = BD_UI_HANGUP;
			break;
		}
		if (a->withdrawn || sign_off) {
			rc = BD_UI_EXIT;
			break;
		}
		if (a->s.client_lost)
			sub = client_taken_away(a);
		else if (!a->s.client_id && a->s.nclients > 0)
			sub = choose_client(a, true, "Your clients changed");
		else
			sub = BD_UI_NONE;
		if (sub == BD_UI_HANGUP || sub == BD_UI_EXIT) {
			rc = sub;
			break;
		}
	}
	free(labels);
	free(items);
	return rc;
}

static const struct bd_ui_label end_labels[] = {{BD_UI_ENTER, "End session"}, {BD_UI_NONE, NULL}};

/* ---- running ------------------------------------------------------------------------------------
 */

/* The queries of the way to the main menu (who, the operator's channel,
 * the clients, the drafts), prepared in one round trip rather than one
 * each on first use: the first screen within 100 ms (README, Capacity). A
 * failure is only logged: each is prepared again on use, and fails there
 * in the user's words. */
static void
prepare_sign_on(struct app *a)
{
	static const char *const names[] = {"core.whoami", "core.operator_channel",
					    "app.my_clients", "draft.list"};
	struct bd_err err = BD_ERR_INIT;

	if (bd_db_prepare_all(a->s.db, names, sizeof(names) / sizeof(*names), &err) < 0)
		bd_log_err(&err);
}

static int
run(struct app *a)
{
	enum bd_ui_action act = BD_UI_NONE;

	if (!a->s.db && a->opts && a->opts->demo_logins && a->opts->connect_as) {
		if (!(a->s.db = demo_sign_on(a, &act)))
			return act == BD_UI_HANGUP ? APP_FAILED : APP_OK;
	}
	if (!a->s.db) {
		show_refusal(a, "There is no database connection.");
		return APP_FAILED;
	}
	bd_db_set_background_reconnect(a->s.db, true);
	prepare_sign_on(a);
	if (whoami(a) < 0)
		return APP_FAILED;
	show_status(a);
	if (a->log_problem)
		bd_ui_message(a->s.ui, BD_UI_MSG_ERROR, "The log cannot be written: %s",
			      a->log_problem);
	bd_log(BD_LOG_INFO, "signed on as %s (%s)", a->s.login, a->s.role);
	watch_db(a);
	bd_ui_before_wait(a->s.ui, before_wait, a);
	start_tick(a);
	act = choose_client(a, true, NULL);
	if (act == BD_UI_SELECT)
		act = offer_drafts(a);
	if (act != BD_UI_HANGUP && act != BD_UI_EXIT && !bd_ui_hungup(a->s.ui)) {
		/* fires at the event loop's first wait: the menu is drawn by then */
		bd_app_mark(BD_APP_MARK_SIGNED_ON);
		a->first_screen_timer = bd_ui_timer(a->s.ui, 0, log_first_screen, a);
		act = main_menu(a);
	}
	if (act == BD_UI_HANGUP || bd_ui_hungup(a->s.ui)) {
		if (!a->idle_ended)
			bd_log(BD_LOG_INFO, "%s: the terminal hung up", a->s.login);
		return APP_FAILED;
	}
	if (a->withdrawn) {
		bd_log(BD_LOG_INFO, "%s: access withdrawn, session ended", a->s.login);
		bd_ui_view_text_only(a->s.ui, "Access withdrawn",
				     "Your access was withdrawn: an administrator disabled your "
				     "login, and the database no longer accepts it.\n\n"
				     "Your open form was kept as a draft as of the last field you "
				     "left; it is offered back when your login is enabled again.",
				     BD_UI_BIT(BD_UI_ENTER), end_labels);
		return APP_FAILED;
	}
	bd_log(BD_LOG_INFO, "%s signed off", a->s.login);
	return APP_OK;
}

int
bd_app_run(const struct bd_config *cfg, struct bd_db *db, const struct bd_app_opts *opts)
{
	struct bd_err err = BD_ERR_INIT;
	struct app a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.s.cfg = cfg;
	a.s.db = db;
	a.opts = opts;
	a.watch_id = a.watch_fd = a.timer_id = a.end_timer_id = a.reconnect_timer = -1;
	a.first_screen_timer = -1;
	if (db)
		bd_app_mark(BD_APP_MARK_DATABASE);
	strbuf_init(&a.note, 0);
	a.s.modules = bd_modules;
	a.s.link_lost = link_lost;
	a.menu = bd_app_menu_entries();
	a.s.login = xstrdup("");
	a.s.full_name = xstrdup("");
	a.s.role = xstrdup("");
	open_log(&a);
	if (!(a.s.ui = bd_ui_open(cfg, &err))) {
		char *msg = bd_gate_dup(err.msg, -1);

		bd_log_err(&err);
		fprintf(stderr, "backdesk: %s\n", msg);
		free(msg);
		rc = APP_NO_TERM;
		goto cleanup;
	}
	bd_app_mark(BD_APP_MARK_TERMINAL);
	rc = run(&a);
	if (a.first_screen_timer >= 0)
		bd_ui_timer_cancel(a.s.ui, a.first_screen_timer);
	bd_session_reports_close(&a.s);
	if (a.watch_id >= 0)
		bd_ui_unwatch(a.s.ui, a.watch_id);
	if (a.timer_id >= 0)
		bd_ui_timer_cancel(a.s.ui, a.timer_id);
	bd_ui_before_wait(a.s.ui, NULL, NULL);
	if (a.reconnect_timer >= 0)
		bd_ui_timer_cancel(a.s.ui, a.reconnect_timer);
	bd_kit_live_close(a.live);
cleanup:
	bd_ui_close(a.s.ui);
	if (a.idle_ended)
		fprintf(
		    stderr,
		    "backdesk: the session ended after %lld minutes without a key; the open form "
		    "was kept as a draft. Sign on again to go on.\n",
		    bd_config_int(cfg, "ui.idle_end_minutes"));
	bd_db_free(a.s.db);
	free(a.s.login);
	free(a.s.full_name);
	free(a.s.role);
	free(a.s.client_id);
	free(a.s.client_code);
	free(a.s.client_name);
	free(a.log_problem);
	free(a.menu);
	strbuf_release(&a.note);
	return rc;
}
