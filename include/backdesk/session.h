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
};

/*
 * Runs named query `name` with the screen alive (bd_ui_query). Returns the
 * result, or NULL with err set; after a hangup marks the session's
 * connection broken. The caller frees the result.
 */
struct bd_db_result *bd_session_query(struct bd_session *s, const char *name, int nparams,
				      const char *const *params, struct bd_err *err);
/* The same, discarding the result: 0 or -1. */
int bd_session_run(struct bd_session *s, const char *name, int nparams, const char *const *params,
		   struct bd_err *err);

/*
 * Live updates (see sql/migrations/030_security.sql). Channel names and
 * payloads are global in PostgreSQL (any role may LISTEN or NOTIFY on any
 * channel), so a notification is only a hint to read again through row
 * security: payloads are empty, and listeners never read them. Each client
 * has a channel per topic named after a token only row security shows
 * (core.client_channels), so an operator can listen to their own clients
 * only, and a forged notification makes a listener re-read what it may see.
 *
 * LISTENs on `db` (a connection of the caller's own) on the `topic` channel
 * ("queue", "approvals") of every client the operator is assigned to, or,
 * with `client_id` (decimal text), of that client only; then `channel`, if
 * given, gets a malloc'd copy of its name (NULL when the operator has no
 * such client). 0, or -1 with err set.
 */
int bd_session_listen_clients(struct bd_db *db, const char *topic, const char *client_id,
			      char **channel, struct bd_err *err);

/* Shows err->msg on the message line (as an error) and logs the detail. */
void bd_session_error(struct bd_session *s, const struct bd_err *err);

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
