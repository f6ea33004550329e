/*
 * Recurring journal entries (issue 19): a template made from an existing
 * entry, posted every month, quarter or year as an ordinary entry for
 * another accountant's approval. The schedule, the month-end rule and the
 * never-twice key are the database's (076_ledger_recurring.sql,
 * ledger.recurring_*): here the command and the screen.
 */
#include "ledger_recurring.h"
#include "ledger_ui_internal.h"

#include "backdesk/command.h"
#include "backdesk/date.h"
#include "backdesk/kit.h"
#include "backdesk/strbuf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char bd_ledger_recurring_usage[] =
    "recurring add CLIENT NAME --entry ID --every month|quarter|year [--day N]\n"
    "                  --start DATE [--end DATE]\n"
    "              | recurring list CLIENT\n"
    "              | recurring post [CLIENT] --through DATE [--draft]";

struct rec_options {
	const char *entry, *every, *day, *start, *end, *through;
	bool draft;
};

static int
usage(void)
{
	return bd_cli_usage("ledger", bd_ledger_recurring_usage);
}

static int
parse(int argc, char **argv, struct rec_options *o)
{
	static const struct option options[] = {
	    {"entry", required_argument, NULL, 'e'}, {"every", required_argument, NULL, 'v'},
	    {"day", required_argument, NULL, 'd'},   {"start", required_argument, NULL, 's'},
	    {"end", required_argument, NULL, 'E'},   {"through", required_argument, NULL, 't'},
	    {"draft", no_argument, NULL, 'D'},	     {NULL, 0, NULL, 0}};
	int opt;

	memset(o, 0, sizeof(*o));
	optind = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		const char **date = NULL;

		switch (opt) {
		case 'e':
			o->entry = optarg;
			break;
		case 'v':
			o->every = optarg;
			break;
		case 'd':
			o->day = optarg;
			break;
		case 's':
			date = &o->start;
			break;
		case 'E':
			date = &o->end;
			break;
		case 't':
			date = &o->through;
			break;
		case 'D':
			o->draft = true;
			break;
		default:
			return -1;
		}
		if (date && bd_cli_date_option(optarg, date) < 0)
			return -1;
	}
	return optind;
}

int
bd_ledger_recurring_cli(struct bd_db *db, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	struct rec_options o;
	int first = parse(argc, argv, &o), n = argc - first, r;
	const char *verb;

	if (first < 0 || n < 1)
		return usage();
	verb = argv[first];
	if (!strcmp(verb, "list") && n == 2)
		return bd_cli_run_and_print(db, "ledger.recurring_list",
					    BD_PARAMS(argv[first + 1]));
	if (!strcmp(verb, "add") && n == 3 && o.entry && o.every && o.start) {
		res = bd_db_query(db, "ledger.recurring_add",
				  BD_PARAMS(argv[first + 1], argv[first + 2], o.entry, o.every,
					    o.day, o.start, o.end),
				  &err);
		if (!res)
			return bd_cli_fail(&err);
		printf("recurring entry %s added as %s\n", argv[first + 2],
		       bd_db_result_get(res, 0, 0));
		bd_db_result_free(res);
		return 0;
	}
	if (!strcmp(verb, "post") && n <= 2 && o.through) {
		res = bd_db_query(db, "ledger.recurring_post",
				  BD_PARAMS(n == 2 ? argv[first + 1] : NULL, o.through,
					    o.draft ? "true" : "false"),
				  &err);
		if (!res)
			return bd_cli_fail(&err);
		for (r = 0; r < bd_db_result_rows(res); r++)
			printf("%s %s %s: entry %s%s\n", bd_db_result_get(res, r, 0),
			       bd_db_result_get(res, r, 3), bd_db_result_get(res, r, 2),
			       bd_db_result_get(res, r, 4),
			       o.draft ? " (draft)" : " waits for approval");
		printf("%d recurring entries made through %s\n", bd_db_result_rows(res), o.through);
		bd_db_result_free(res);
		return 0;
	}
	return usage();
}

/* --- the screen ---------------------------------------------------------- */

/* Asks for one value; false when the operator left (act says how). */
static bool
ask(struct bd_session *s, const char *label, struct strbuf *v, size_t max, enum bd_ui_action *act)
{
	*act = bd_ui_prompt(s->ui, label, v, max);
	return *act == BD_UI_SELECT;
}

/* F6: a recurring entry from an existing entry. */
static enum bd_ui_action
add_from_entry(struct bd_session *s, void *ctx)
{
	struct strbuf entry = STRBUF_INIT, name = STRBUF_INIT, every = STRBUF_INIT,
		      day = STRBUF_INIT, start = STRBUF_INIT, end = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	enum bd_ui_action act;
	char today[11];

	(void)ctx;
	lui_today(today);
	strbuf_addstr(&every, "month");
	strbuf_addstr(&start, today);
	bd_ui_message(s->ui, BD_UI_MSG_INFO,
		      "The entry's journal, description and lines are repeated on a schedule");
	if (!ask(s, "Entry id to repeat", &entry, 20, &act) ||
	    !ask(s, "Name of the recurring entry", &name, 60, &act) ||
	    !ask(s, "Every month, quarter or year", &every, 7, &act) ||
	    !ask(s, "First date (YYYY-MM-DD)", &start, 10, &act) ||
	    !ask(s, "Day of the month (31: month end; empty: the first date's)", &day, 2, &act) ||
	    !ask(s, "Last date (empty: no end)", &end, 10, &act))
		goto cleanup;
	act = BD_UI_NONE;
	res = bd_session_query(s, "ledger.recurring_add",
			       BD_PARAMS(s->client_code, name.buf, entry.buf, every.buf,
					 day.len ? day.buf : NULL, start.buf,
					 end.len ? end.buf : NULL),
			       &err);
	if (!res) {
		if (s->db_broken)
			act = BD_UI_HANGUP;
		else
			bd_session_error(s, &err);
		goto cleanup;
	}
	bd_ui_message(s->ui, BD_UI_MSG_INFO, "Recurring entry %s added", name.buf);
	bd_db_result_free(res);
cleanup:
	strbuf_release(&entry);
	strbuf_release(&name);
	strbuf_release(&every);
	strbuf_release(&day);
	strbuf_release(&start);
	strbuf_release(&end);
	return act == BD_UI_HANGUP ? act : BD_UI_NONE;
}

/* 7 beside any row: every entry due up to a date, submitted for approval. */
static enum bd_ui_action
post_due(struct bd_session *s, const struct bd_list_option *o, const struct bd_ui_rows *row,
	 void *ctx)
{
	struct strbuf through = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	enum bd_ui_action act;
	struct bd_date d;
	char today[11];

	(void)o;
	(void)row;
	(void)ctx;
	lui_today(today);
	strbuf_addstr(&through, today);
	if (!ask(s, "Post the entries due through (YYYY-MM-DD)", &through, 10, &act))
		goto cleanup;
	act = BD_UI_NONE;
	if (bd_date_parse_iso(through.buf, &d, &err) < 0) {
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "%s: type the date as YYYY-MM-DD", err.msg);
		goto cleanup;
	}
	res = bd_session_query(s, "ledger.recurring_post",
			       BD_PARAMS(s->client_code, through.buf, "false"), &err);
	if (!res) {
		if (s->db_broken)
			act = BD_UI_HANGUP;
		else
			bd_session_error(s, &err);
		goto cleanup;
	}
	if (bd_db_result_rows(res) == 0)
		bd_ui_message(s->ui, BD_UI_MSG_INFO, "Nothing due through %s: all made already",
			      through.buf);
	else
		bd_ui_message(s->ui, BD_UI_MSG_INFO,
			      "%d recurring entries made through %s, waiting for approval",
			      bd_db_result_rows(res), through.buf);
	bd_db_result_free(res);
cleanup:
	strbuf_release(&through);
	return act == BD_UI_HANGUP ? act : BD_UI_NONE;
}

static const struct bd_ui_label recurring_labels[] = {{BD_UI_CREATE, "From entry"},
						      {BD_UI_NONE, NULL}};

static const struct bd_kit_list_screen ledger_recurring_screen = {
    .screen = "ledger.recurring",
    /* ledger.recurring_list $1 client */
    .nparams = 1,
    .params = {":client_code"},
    .create = add_from_entry,
    .hooked = "7",
    .option = post_due,
    .labels = recurring_labels,
};

enum bd_ui_action
bd_ledger_recurring(struct bd_session *s)
{
	return bd_kit_list_run(s, &ledger_recurring_screen);
}
