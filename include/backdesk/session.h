#ifndef BACKDESK_SESSION_H
#define BACKDESK_SESSION_H
/*
 * The signed-on session, as the app shell (src/app) hands it to every
 * module: who is signed on, in which role, for which client, and the
 * terminal and connection to work with. The functions below are the kit's
 * (src/kit/session.c), so a module depends on the kit, never on the app.
 * Modules are business glue: they drive the UI's modal calls (ui.h) and
 * named queries (db.h) through this, and never include curses or libpq.
 *
 * A module contributes entry points of the shape
 *
 *   enum bd_ui_action bd_<module>_<screen>(struct bd_session *s);
 *
 * which run until the operator leaves and return BD_UI_HANGUP when the
 * terminal hung up (the app then exits at once), anything else otherwise.
 * It lists them, with the screens that keep drafts, in its struct
 * bd_module (module.h); the app builds the main menu from those.
 *
 * Ownership: the app owns the session and everything in it; modules read
 * the fields and never free them. Strings are never NULL ("" when unknown),
 * except client_id which is NULL when no client is active.
 */
#include <stdbool.h>

#include "backdesk/config.h"
#include "backdesk/db.h"
#include "backdesk/err.h"
#include "backdesk/screen.h"
#include "backdesk/ui.h"

/* Role bits for menu and draft tables. */
enum bd_role {
	BD_ROLE_CLERK = 1u << 0,
	BD_ROLE_ACCOUNTANT = 1u << 1,
	BD_ROLE_SUPERVISOR = 1u << 2,
	BD_ROLE_ADMIN = 1u << 3,
	BD_ROLE_PAYROLL = 1u << 4,
	BD_ROLE_ANY = 0x1fu,
};

/* "clerk" -> BD_ROLE_CLERK; 0 when unknown. */
unsigned bd_role_bit(const char *role);

struct bd_module;
struct bd_session_reports;

struct bd_session {
	const struct bd_config *cfg;
	struct bd_ui *ui;
	struct bd_db *db;

	char *login;	 /* the PostgreSQL session user */
	char *full_name; /* from core.whoami */
	char *role;	 /* clerk, accountant, supervisor, admin, payroll */
	unsigned role_bit;

	/* The active client: client_id as decimal text for query parameters
	 * (draft.save's $2, business queries), or NULL when none is active. */
	char *client_id;
	char *client_code;
	char *client_name;
	size_t nclients; /* active clients assigned to the operator */

	/* Set by the app when the active client was taken away (unassigned or
	 * deactivated) while a screen was open; the app returns to the client
	 * choice when the screen returns. */
	bool client_lost;
	/* A query was interrupted by a hangup: the connection is unusable and
	 * nothing more may be sent on it (not even a draft). */
	bool db_broken;
	/* True while a screen that needs the active client runs: losing the
	 * client then ends it (bd_ui_request(BD_UI_MENU)). */
	bool in_client_screen;

	/* Every module (the app's list, NULL-ended): for what one module shows
	 * of the others' declarations, e.g. an approval kind's label
	 * (bd_module_approval_label). */
	const struct bd_module *const *modules;
	/* Called by bd_session_query when it finds the connection lost (the app
	 * says so on the status line and reconnects in the background). */
	void (*link_lost)(struct bd_session *s);
	/* The reports' connection (bd_session_report_db): the kit's, opened on
	 * the first report, closed by bd_session_reports_close(). */
	struct bd_session_reports *reports;
};

/*
 * Runs named query `name` with the screen alive (bd_ui_query). Returns the
 * result, or NULL with err set; after a hangup marks the session's
 * connection broken. The caller frees the result.
 */
struct bd_db_result *bd_session_query(struct bd_session *s, const char *name, int nparams,
				      const char *const *params, struct bd_err *err);
/*
 * The waiting half of bd_session_query: the result of a query already sent
 * (bd_db_send) on s->db or on another connection of the session's operator
 * (a pay run's parts), the screen alive meanwhile (bd_ui_take).
 */
struct bd_db_result *bd_session_take(struct bd_session *s, struct bd_db *db, struct bd_err *err);
/* The same, discarding the result: 0 or -1. */
int bd_session_run(struct bd_session *s, const char *name, int nparams, const char *const *params,
		   struct bd_err *err);

/*
 * Reports and inquiries: the read-only screens (ledger reports, account
 * inquiry, operator productivity) read from database.report_conninfo when it
 * names a server (a streaming standby of the primary: the same roles, the
 * same row security), and the primary serves the rest. The choice is made
 * here and only here:
 *
 * bd_session_report_db() is the connection a report reads through: the
 * standby's while it is up, else the primary's (s->db). The first call
 * connects to the standby without holding up the screen for more than a
 * moment; when the standby is away or drops, the primary serves at once and
 * a timer of the event loop reconnects in the background, after which the
 * reports return to the standby. A standby that signs the operator on as
 * another role is never used.
 *
 * bd_session_report_query() runs a report's named query there as
 * bd_session_query() does, and keeps the status line's note on where
 * reports come from: "Replica: 3s behind" (the standby's replay lag, read
 * with each report), or "Replica down: primary" while the primary serves in
 * its place. A report that finds the standby gone is read again from the
 * primary (reads are safe to repeat). With report_conninfo empty both are
 * bd_session_query() on s->db, and nothing is shown.
 */
struct bd_db *bd_session_report_db(struct bd_session *s);
struct bd_db_result *bd_session_report_query(struct bd_session *s, const char *name, int nparams,
					     const char *const *params, struct bd_err *err);
/* Closes the reports' connection and stops its timer (the app, at the end). */
void bd_session_reports_close(struct bd_session *s);

/*
 * Live updates (see sql/migrations/030_security.sql): the kit's live
 * refresh (kit.h, bd_kit_live_open). Channel names and payloads are global
 * in PostgreSQL (any role may LISTEN or NOTIFY on any channel), so a
 * notification is only a hint to read again through row security: payloads
 * are empty, and listeners never read them. Each client has a channel per
 * topic named after a token only row security shows (core.client_channels),
 * so an operator can listen to their own clients only, and a forged
 * notification makes a listener re-read what it may see.
 */

/* Shows err->msg on the message line (as an error) and logs the detail. */
void bd_session_error(struct bd_session *s, const struct bd_err *err);

/* Collects what arrived for a query sent in the background (a draft saved
 * on field exit) and, when the database refused it, says so on the message
 * line: the operator does not wait for it, but must not miss it. */
void bd_session_poll_background(struct bd_session *s);

/*
 * Loads screen `name` ("admin.client") into an initialised `screen`: from
 * ui.screens_dir/<name>.conf when that setting is set, else from the screens
 * built into the binary. 0, or -1 with err set ("FILE:LINE: reason").
 */
int bd_session_load_screen(const struct bd_session *s, const char *name, struct bd_screen *screen,
			   struct bd_err *err);

/*
 * One page of a list over rows held in memory (lists of up to some thousands
 * of rows: clients, operators, the queue board): keeps the rows holding
 * q->filter in any column (case-insensitive), sorts them by the list column
 * q->sort of `def`, the first column included (matched by name in `rows`; a
 * hidden column "sort_<name>" holds the sort key of a formatted column;
 * numbers largest first, text alphabetically, empty cells last, ties in the
 * rows' order), so that the list's "Sorted by" says the truth, and appends
 * rows [offset, offset + limit) of that to `out`, naming its columns when
 * unnamed.
 */
void bd_session_rows_page(const struct bd_ui_rows *rows, const struct bd_screen *def,
			  const struct bd_ui_list_query *q, size_t offset, size_t limit,
			  struct bd_ui_rows *out);
/* The same, but the first column keeps the rows' order: for a report whose
 * row order is its structure (subtotals after their accounts). */
void bd_session_rows_page_report(const struct bd_ui_rows *rows, const struct bd_screen *def,
				 const struct bd_ui_list_query *q, size_t offset, size_t limit,
				 struct bd_ui_rows *out);

#endif
