/*
 * Fiscal periods (screens/ledger.periods.conf): close, reopen and lock a
 * period, open a new fiscal year (F6). Who may do what is the database's
 * (ledger.period_set_state: accountants close, supervisors also reopen and
 * lock); its refusal is shown as it comes. See include/backdesk/ledger_ui.h.
 */
#include <stdio.h>
#include <string.h>

#include "backdesk/date.h"
#include "backdesk/ledger_ui.h"
#include "backdesk/strbuf.h"
#include "ledger_ui_internal.h"

/* F6: a new fiscal year from the first day of a month. */
static enum bd_ui_action
open_year(struct bd_session *s, void *ctx)
{
	struct strbuf start = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	enum bd_ui_action act;
	struct bd_date d;
	char iso[BD_DATE_ISO_LEN + 1], year[8];

	(void)ctx;
	bd_ui_message(
	    s->ui, BD_UI_MSG_INFO,
	    "A fiscal year has twelve monthly periods from its first day, e.g. 2027-01-01");
	act = bd_ui_prompt(s->ui, "First day of the new fiscal year", &start, 10);
	if (act != BD_UI_SELECT)
		goto cleanup;
	act = BD_UI_NONE;
	if (bd_date_parse_iso(start.buf, &d, &err) < 0) {
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "%s: type the date as YYYY-MM-DD", err.msg);
		goto cleanup;
	}
	bd_date_to_iso(&d, iso);
	/* the year a fiscal year is named by is the one it starts in */
	snprintf(year, sizeof(year), "%d", d.year);
	if (bd_session_run(s, "ledger.fiscal_year_open", BD_PARAMS(s->client_code, year, iso),
			   &err) < 0) {
		if (s->db_broken)
			act = BD_UI_HANGUP;
		else
			bd_session_error(s, &err);
		goto cleanup;
	}
	bd_ui_message(s->ui, BD_UI_MSG_INFO, "Fiscal year %s opened from %s", year, iso);
cleanup:
	strbuf_release(&start);
	return act == BD_UI_HANGUP ? act : BD_UI_NONE;
}

static const struct bd_ui_label periods_labels[] = {{BD_UI_CREATE, "New year"}, {BD_UI_NONE, NULL}};

/* 6, 8 and 9 are the screen file's actions, run by the kit. */
static const struct bd_kit_list_screen ledger_periods_screen = {
    .screen = "ledger.periods",
    /* ledger.period_list $1 client, $2 year: every year */
    .nparams = 2,
    .params = {":client_code", NULL},
    .report_order = true,
    .create = open_year,
    .labels = periods_labels,
};

enum bd_ui_action
bd_ledger_periods(struct bd_session *s)
{
	return bd_kit_list_run(s, &ledger_periods_screen);
}
