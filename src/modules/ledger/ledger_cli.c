/* backdesk ledger: reports, export and import of a client's books. */
#include "backdesk/connect.h"
#include "backdesk/date.h"
#include "backdesk/ledger.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"
#include "backdesk/command.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "report trial-balance|pl|balance-sheet|account CLIENT [--as-of DATE] [--from DATE] "
    "[--to DATE] [--account CODE] [--csv] [--out FILE]\n"
    "       backdesk ledger export CLIENT --format hledger|csv [--out FILE]\n"
    "       backdesk ledger import CLIENT FILE.csv|FILE.journal\n"
    "       backdesk ledger pending [CLIENT]\n"
    "       backdesk ledger approve CLIENT ENTRY_ID:VERSION...";

struct options {
	const char *as_of, *from, *to, *account, *format, *out;
	bool csv;
};

static int
usage(void)
{
	return bd_cli_usage("ledger", usage_text);
}

/* Parses the options after the positional words; returns the index of the
 * first positional argument left, or -1 on a usage error. Dates are checked
 * here, so 'infinity' or 'today' never reach the database. */
static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option options[] = {
	    {"as-of", required_argument, NULL, 'a'}, {"from", required_argument, NULL, 'f'},
	    {"to", required_argument, NULL, 't'},    {"account", required_argument, NULL, 'c'},
	    {"csv", no_argument, NULL, 'v'},	     {"format", required_argument, NULL, 'F'},
	    {"out", required_argument, NULL, 'o'},   {NULL, 0, NULL, 0}};
	int opt;

	memset(o, 0, sizeof(*o));
	optind = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		const char **date = NULL;

		switch (opt) {
		case 'a':
			date = &o->as_of;
			break;
		case 'f':
			date = &o->from;
			break;
		case 't':
			date = &o->to;
			break;
		case 'c':
			o->account = optarg;
			break;
		case 'v':
			o->csv = true;
			break;
		case 'F':
			o->format = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		default:
			return -1;
		}
		if (date) {
			struct bd_err err = BD_ERR_INIT;
			struct bd_date d;

			if (bd_date_parse_iso(optarg, &d, &err) < 0) {
				fprintf(stderr, "backdesk: %s: %s\n", optarg, err.msg);
				return -1;
			}
			*date = optarg;
		}
	}
	return optind;
}

static FILE *
open_out(const char *path)
{
	FILE *f;

	if (!path || !strcmp(path, "-"))
		return bd_cli_data_out();
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "backdesk: cannot write %s: %s\n", path, strerror(errno));
	return f;
}

static int
close_out(FILE *f)
{
	if (f == bd_cli_data_out())
		return fflush(f) == 0 ? 0 : -1;
	return fclose(f) == 0 ? 0 : -1;
}

static int
report(struct bd_db *db, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = NULL;
	struct options o;
	const char *kind, *client;
	FILE *out = NULL;
	int first = parse_options(argc, argv, &o), rc = 1;

	if (first < 0)
		return usage();
	if (argc - first != 2) {
		fprintf(stderr, "backdesk: ledger report takes a report name and a client, %s\n",
			argc - first < 2 ? "no fewer" : "no more");
		return usage();
	}
	kind = argv[first];
	client = argv[first + 1];
	if (!strcmp(kind, "trial-balance"))
		res = bd_db_query(db, "ledger.report_trial_balance",
				  BD_PARAMS(client, o.as_of ? o.as_of : o.to), &err);
	else if (!strcmp(kind, "pl"))
		res = bd_db_query(db, "ledger.report_pl", BD_PARAMS(client, o.from, o.to), &err);
	else if (!strcmp(kind, "balance-sheet"))
		res = bd_db_query(db, "ledger.report_balance_sheet",
				  BD_PARAMS(client, o.as_of ? o.as_of : o.to), &err);
	else if (!strcmp(kind, "account") && o.account)
		res =
		    bd_db_query(db, "ledger.report_account",
				BD_PARAMS(client, o.account, o.from, o.to ? o.to : o.as_of), &err);
	else if (!strcmp(kind, "account")) {
		fprintf(stderr, "backdesk: the account report needs --account CODE\n");
		return usage();
	} else {
		fprintf(stderr,
			"backdesk: there is no report '%s': trial-balance, pl, balance-sheet or "
			"account\n",
			kind);
		return usage();
	}
	if (!res)
		return bd_cli_fail(&err);
	if (!(out = open_out(o.out)))
		goto cleanup;
	if (o.csv) {
		struct strbuf csv = STRBUF_INIT;

		bd_ledger_csv(&csv, res);
		fwrite(csv.buf, 1, csv.len, out);
		strbuf_release(&csv);
	} else if (out == bd_cli_data_out()) {
		bd_cli_print_table(res);
	} else {
		fprintf(stderr, "backdesk: --out needs --csv\n");
		goto cleanup;
	}
	if (close_out(out) < 0) {
		out = NULL;
		fprintf(stderr, "backdesk: cannot write the report\n");
		goto cleanup;
	}
	out = NULL;
	rc = 0;
cleanup:
	if (out && out != bd_cli_data_out())
		fclose(out);
	bd_db_result_free(res);
	return rc;
}

static int export(struct bd_db *db, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	enum bd_ledger_format format;
	struct options o;
	long n = 0;
	FILE *out;
	int first = parse_options(argc, argv, &o);

	if (first < 0 || argc - first != 1 || !o.format)
		return usage();
	if (!strcmp(o.format, "csv"))
		format = BD_LEDGER_FORMAT_CSV;
	else if (!strcmp(o.format, "hledger") || !strcmp(o.format, "ledger") ||
		 !strcmp(o.format, "journal"))
		format = BD_LEDGER_FORMAT_HLEDGER;
	else
		return usage();
	if (!(out = open_out(o.out)))
		return 1;
	if (bd_ledger_export(db, argv[first], format, out, &n, &err) < 0) {
		if (out != bd_cli_data_out())
			fclose(out);
		return bd_cli_fail(&err);
	}
	if (close_out(out) < 0) {
		fprintf(stderr, "backdesk: cannot write the export\n");
		return 1;
	}
	fprintf(stderr, "exported %ld posted entries\n", n);
	return 0;
}

static int
import(struct bd_db *db, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	struct strbuf text = STRBUF_INIT;
	long n = 0;
	int rc;

	if (argc != 4)
		return usage();
	if (bd_cli_read_file(argv[3], &text, &err) < 0)
		return bd_cli_fail(&err);
	rc = bd_ledger_import(db, argv[2], bd_ledger_format_of(argv[3]), text.buf, text.len,
			      argv[3], &n, &err);
	strbuf_release(&text);
	if (rc < 0)
		return bd_cli_fail(&err);
	printf("imported %ld entries; they wait for approval by another accountant\n", n);
	return 0;
}

/*
 * Each entry is named with the version `ledger pending` showed (42:3): the
 * approval is of what was looked at, and an entry changed since (withdrawn,
 * edited, resubmitted) is refused. An id without a version is refused too:
 * approving whatever an id holds when the command runs is the very hole the
 * version closes, and a script doing so would approve unseen amounts.
 */
static int
approve(struct bd_db *db, int argc, char **argv)
{
	int i, rc = 0;

	if (argc < 4)
		return usage();
	for (i = 3; i < argc; i++) {
		struct bd_err err = BD_ERR_INIT;
		struct bd_db_result *res;
		char *colon = strchr(argv[i], ':');
		char *id;

		if (!colon || colon == argv[i] || !colon[1] ||
		    strspn(argv[i], "0123456789") != (size_t)(colon - argv[i]) ||
		    strspn(colon + 1, "0123456789") != strlen(colon + 1)) {
			fprintf(stderr,
				"backdesk: %s: name an entry as ENTRY_ID:VERSION, with the version "
				"`backdesk ledger pending` shows\n",
				argv[i]);
			rc = 2;
			continue;
		}
		id = xstrndup(argv[i], (size_t)(colon - argv[i]));
		res = bd_db_query(db, "ledger.entry_approve", BD_PARAMS(argv[2], id, colon + 1),
				  &err);
		if (!res) {
			rc = bd_cli_fail(&err);
		} else {
			printf("%s posted as %s\n", id, bd_db_result_get(res, 0, 0));
			bd_db_result_free(res);
		}
		free(id);
	}
	return rc;
}

int
bd_ledger_cli(struct bd_cli *cli, int argc, char **argv)
{
	struct bd_db *db;
	int rc;

	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help")) {
		fprintf(argc < 2 ? stderr : stdout, "usage: backdesk ledger %s\n", usage_text);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "report") && strcmp(argv[1], "export") && strcmp(argv[1], "import") &&
	    strcmp(argv[1], "pending") && strcmp(argv[1], "approve"))
		return usage();
	if (!(db = !strcmp(argv[1], "report") ? bd_cli_open_report_db(cli) : bd_cli_open_db(cli)))
		return 1;
	/* Subcommand options start after "ledger VERB". */
	if (!strcmp(argv[1], "report"))
		rc = report(db, argc - 1, argv + 1);
	else if (!strcmp(argv[1], "export"))
		rc = export(db, argc - 1, argv + 1);
	else if (!strcmp(argv[1], "import"))
		rc = import(db, argc, argv);
	else if (!strcmp(argv[1], "approve"))
		rc = approve(db, argc, argv);
	else if (argc <= 3)
		rc = bd_cli_run_and_print(db, "ledger.pending_approvals",
					  BD_PARAMS(argc == 3 ? argv[2] : NULL));
	else
		rc = usage();
	bd_db_free(db);
	return rc;
}
