/*
 * The approvals inbox: see include/backdesk/approvals.h. The kit's runner
 * lists the approvals registry (approvals.inbox: every registered kind's
 * waiting items but the operator's own, sql/functions/approvals/), with the
 * kind, client, id and version as hidden columns for the options, which go
 * through the registry's one dispatch (approvals.approve, .reject).
 */
#include "backdesk/approvals.h"

#include "backdesk/kit.h"

/* 5 (Enter): the kind's detail view, the screen of its name (a module
 * registers an opener for it, see kit.h), given the row (client, id). 1
 * and 4 run as the screen file says, through the registry's one dispatch
 * (approvals.approve, approvals.reject), naming the version the row showed:
 * an item changed since the inbox read it is refused ("changed since you
 * opened it") rather than decided on unseen. */
static enum bd_ui_action
show(struct bd_session *s, const struct bd_list_option *o, const struct bd_ui_rows *row, void *ctx)
{
	(void)o;
	(void)ctx;
	return bd_kit_open(s, bd_ui_rows_get(row, 0, "kind"), row);
}

/* Live: the approvals channel of every client of the operator (notified by
 * every kind's submit, approve, reject and withdrawal). */
static const struct bd_kit_live_spec inbox_live = {.topic = "approvals"};

enum bd_ui_action
bd_approvals_inbox(struct bd_session *s)
{
	const struct bd_kit_list_screen ls = {
	    .screen = "approvals.inbox",
	    .nparams = 1,
	    .params = {NULL}, /* every client of the operator */
	    .report_order = true,
	    .open = show,
	    .enter = "5",
	    .subtitle = "all your clients",
	    .live = &inbox_live,
	};

	return bd_kit_list_run(s, &ls);
}
