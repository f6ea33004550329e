#ifndef BACKDESK_MODULE_H
#define BACKDESK_MODULE_H
/*
 * A module declares itself: one `const struct bd_module bd_module_<name>` in
 * src/modules/<name>/module.c says what the module adds to the suite, and
 * the app shell (src/app/modules.c, the one list of modules) builds the main
 * menu, the drafts offered back at sign-on and the command line's table
 * (and its --help) from those declarations. Adding a module touches no
 * shared file but that list (README, "Adding a module").
 *
 * Every table below is an array ended by an all-zero row ({0}); a module
 * that adds nothing of a kind leaves that pointer NULL. Everything is
 * static data: the registry is read, never written.
 */
#include <stdbool.h>
#include <stddef.h>

#include "backdesk/command.h"
#include "backdesk/session.h"

/*
 * A main-menu entry. `run` runs until the operator leaves and returns
 * BD_UI_HANGUP when the terminal hung up (the app then exits at once),
 * anything else otherwise. needs_client: the screen works on the active
 * client's data (hidden without one, ended when the client is taken away).
 * Entries exist only for screens that exist (no placeholders).
 *
 * `order` places the entry in the main menu, the same for every role: the
 * menu lists entries by order, smallest first (ties in the order of the
 * module list). The house's order is each role's daily work first, then what
 * it shares with others; the numbers in use are listed in the README
 * ("Adding a module").
 */
struct bd_module_entry {
	const char *label;
	unsigned roles; /* enum bd_role bits: who sees it */
	bool needs_client;
	int order;
	enum bd_ui_action (*run)(struct bd_session *s);
};

/*
 * A screen that keeps drafts (draft.h): `screen` is the draft key's screen
 * name ("ledger.entry"), and a screen file of that name exists;
 * "You have an unsaved <what> from 14:02" offers it back at sign-on to an
 * operator of one of `roles`, and `resume` reopens it from the saved data.
 */
struct bd_module_draft {
	const char *screen;
	const char *what;
	unsigned roles;
	enum bd_ui_action (*resume)(struct bd_session *s, const char *record, const char *data,
				    size_t len);
};

/* A kind of item the approvals inbox holds for a second person: `kind` as the
 * SQL names it, `label` as the inbox shows it ("Journal entry"). */
struct bd_module_approval {
	const char *kind;
	const char *label;
};

struct bd_module {
	const char *name; /* its folder: src/modules/<name>, screens/<name> */
	const struct bd_module_entry *entries;
	const struct bd_module_draft *drafts;
	const struct bd_module_approval *approvals;
	const struct bd_cli_command *commands;
};

/* The label of approval kind `kind` among `modules` (a NULL-ended list, as
 * the session holds it), or NULL when no module declares it. */
const char *bd_module_approval_label(const struct bd_module *const *modules, const char *kind);

#endif
