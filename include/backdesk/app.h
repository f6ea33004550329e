#ifndef BACKDESK_APP_H
#define BACKDESK_APP_H
/*
 * The interactive application: who is logged in, which client is active,
 * the main menu of what their role may do, and the screens behind it.
 * Business glue only: it drives the UI's modal calls and named queries and
 * never includes curses. It is the only code that knows the list of modules
 * (module.h): the main menu, the drafts offered back and the command line's
 * table are built from their declarations.
 */
#include <stddef.h>

#include "backdesk/config.h"
#include "backdesk/db.h"

struct bd_module;
struct bd_module_entry;

/* Every module (src/app/modules.c, the one list of them), NULL-ended. */
extern const struct bd_module *const bd_modules[];

/* The main menu's entries of every module in menu order (each entry's
 * order, ties in the list's order), NULL-ended; the caller frees the array
 * (not the entries, which are the modules' static data). */
const struct bd_module_entry **bd_app_menu_entries(void);

struct bd_app_opts {
	/* The demo: when no operator was named, offer these logins to pick from
	 * and connect as the chosen one through connect_as. NULL elsewhere. */
	const char *const *demo_logins;
	struct bd_db *(*connect_as)(void *ctx, const char *login, struct bd_err *err);
	void *connect_ctx;
};

/*
 * Start-up timing (README, Capacity: the first screen within 100 ms of the
 * session starting): main() and the command line mark the moments the way
 * to the first screen passes; the app marks its own and, once the main menu
 * is on the terminal, logs one line (info) with each phase's milliseconds:
 * "first screen N ms after exec: before main A, config B, database C,
 * terminal D, sign-on E, menu F ms; CPU G ms" (G: this process's CPU
 * time so far). The benchmark (bench_seats) reads it.
 */
enum bd_app_mark {
	BD_APP_MARK_MAIN,      /* main() entered */
	BD_APP_MARK_CONFIG,    /* configuration read */
	BD_APP_MARK_DATABASE,  /* connected and the schema checked */
	BD_APP_MARK_TERMINAL,  /* curses set up */
	BD_APP_MARK_SIGNED_ON, /* who, the client, the drafts: the menu is next */
	BD_APP_MARK_MENU,      /* the main menu drawn */
	BD_APP_NMARKS
};
void bd_app_mark(enum bd_app_mark m);

/* Runs until the operator exits or the terminal hangs up. `db` may be NULL
 * in the demo (an operator is chosen first); the app owns and frees it.
 * Returns the process exit status. */
int bd_app_run(const struct bd_config *cfg, struct bd_db *db, const struct bd_app_opts *opts);

#endif
