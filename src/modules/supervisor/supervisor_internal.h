#ifndef BACKDESK_SUPERVISOR_INTERNAL_H
#define BACKDESK_SUPERVISOR_INTERNAL_H
/*
 * Shared by the supervisor console's files: supervisor.c (board, claims,
 * actions log, the live listener) and supervisor_productivity.c. Not a
 * public interface; what other modules share is in the kit (kit.h).
 */
#include <stdbool.h>
#include <stddef.h>

#include "backdesk/kit.h"
#include "backdesk/screen.h"
#include "backdesk/session.h"

/*
 * A list read whole when the list asks for its first page (so F5 and a
 * live refresh re-read it); F4 filters and F11 sorts the copy. `shape`
 * turns the query's result into the rows shown (derived columns,
 * durations, right-aligned numbers); NULL copies the cells as they are.
 */
struct sup_table {
	struct bd_session *s;
	const struct bd_screen *def;
	const char *query;
	int nparams;
	const char *params[6];
	void (*shape)(struct sup_table *t, const struct bd_db_result *res);
	void *ctx; /* for shape */
	/* The column the list opens sorted by (its name), NULL for the first:
	 * what the screen's help promises ("oldest claim first": "held"). */
	const char *sort;
	/* Read from the reports' server (bd_session_report_query): a read-only
	 * report such as productivity, never the live board. */
	bool report;
	struct bd_ui_rows all;
};

void sup_table_init(struct sup_table *t, struct bd_session *s, const struct bd_screen *def);
void sup_table_release(struct sup_table *t);
/* The bd_ui_list_source fetch over a sup_table. */
int sup_table_fetch(void *ctx, const struct bd_ui_list_query *q, size_t offset, size_t limit,
		    struct bd_ui_rows *rows, struct bd_err *err);

/*
 * Appends the result's row r to t->all with `extra` derived cells (names
 * and values, n of them) after the result's own columns. The first call
 * names the columns. Numbers are right-aligned to their list column's
 * width.
 */
void sup_table_add(struct sup_table *t, const struct bd_db_result *res, int r,
		   const char *const *extra_names, const char *const *extra, size_t n);

/* Runs the list t->def over `t` until the operator leaves; `take` handles
 * a taken row (the option code in res->option, "" for Enter alone).
 * `live`: refetch on a notification of the active client's queue channel (the subtitle
 * then says whether it is live). */
enum bd_ui_action
sup_run_list(struct bd_session *s, struct sup_table *t, const char *subtitle, bool live,
	     enum bd_ui_action (*take)(struct bd_session *s, struct sup_table *t,
				       const struct bd_ui_list_result *res, void *ctx),
	     void *ctx);

#endif
