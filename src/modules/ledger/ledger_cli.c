/* backdesk ledger: reports, export and import of a client's books. */
#include "backdesk/connect.h"
#include "backdesk/ledger.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"
#include "backdesk/command.h"
#include "backdesk/csv.h"
#include "backdesk/json.h"
#include "ledger_recurring.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "report trial-balance|pl|balance-sheet|account CLIENT [--as-of DATE] [--from DATE] "
    "[--to DATE] [--account CODE] [--by-currency] [--csv] [--out FILE]\n"
    "       backdesk ledger export CLIENT --format hledger|csv [--out FILE]\n"
    "       backdesk ledger import CLIENT FILE.csv|FILE.journal [--create-accounts]\n"
    "                              [--commodity SYMBOL=CODE]...\n"
    "       backdesk ledger imports [CLIENT]\n"
    "       backdesk ledger approve-import CLIENT BATCH:VERSION\n"
    "       backdesk ledger reject-import CLIENT BATCH:VERSION --reason TEXT\n"
    "       backdesk ledger pending [CLIENT]\n"
    "       backdesk ledger approve CLIENT ENTRY_ID:VERSION...\n"
    "       backdesk ledger account add CLIENT NAME [--type TYPE] [--currency CODE]\n"
    "                             | import CLIENT FILE.csv | list CLIENT\n"
    "       backdesk ledger year open CLIENT YEAR [--start DATE]\n"
    "       backdesk ledger period close|reopen|lock CLIENT YEAR PERIOD\n"
    "       backdesk ledger currency CLIENT [CODE]\n"
    "       backdesk ledger rate set CLIENT CODE DATE RATE | import CLIENT FILE.csv\n"
    "                          | list CLIENT [CODE]\n"
    "       backdesk ledger revalue CLIENT DATE --account NAME\n"
    "       backdesk ledger recurring add CLIENT NAME --entry ID --every month|quarter|year\n"
    "                       [--day N] --start DATE [--end DATE] | list CLIENT\n"
    "                     | post [CLIENT] --through DATE [--draft]\n"
    "       (backdesk ledger VERB --help says what each does)";

/* What each verb does: `backdesk ledger --help` (and `backdesk ledger VERB
 * --help`, which the dispatcher answers the same way) prints it after the
 * usage (module.c). */
const char bd_ledger_cli_details[] =
    "approve names the version 'ledger pending' shows, approve-import the one 'ledger imports'\n"
    "shows: what changed since is refused.\n\n"
    "report:\n"
    "  Prints a report of the posted entries. trial-balance --by-currency gives each account's\n"
    "  balance in each currency and in the base currency, by full account name.\n"
    "export:\n"
    "  Writes every posted entry as an hledger/ledger journal (accounts by full name, with their\n"
    "  types; amounts with their currency, foreign ones with their base amount as @@ price) or\n"
    "  as CSV. `hledger bal` of the journal is the trial balance by currency, `hledger bal -B`\n"
    "  in the base currency.\n"
    "import:\n"
    "  Reads a journal (hledger/ledger syntax: directives, includes, currencies, prices, balance\n"
    "  assertions) or CSV and writes it as ONE import batch, submitted for approval by another\n"
    "  accountant (approve-import). Anything not understood is refused with its file and line,\n"
    "  and nothing is imported. --create-accounts adds the accounts the journal names (with\n"
    "  their parents; the type from an `account NAME  ; type: A` declaration or the top-level\n"
    "  name). --commodity '$=CAD' says what a symbol means ($ is USD otherwise).\n"
    "imports:\n"
    "  Lists the import batches waiting for approval, with their totals and the version that\n"
    "  approve-import names.\n"
    "approve-import:\n"
    "  Posts a whole import batch (someone else's), as `imports` showed it.\n"
    "reject-import:\n"
    "  Rejects a whole import batch, with a reason its maker sees; its entries go.\n"
    "pending:\n"
    "  Lists the journal entries waiting for approval.\n"
    "approve:\n"
    "  Posts journal entries, each named with the version `pending` shows.\n"
    "account:\n"
    "  add: adds an account by its full name (Assets:Bank:EUR), with its missing parents; TYPE\n"
    "  is asset, liability, equity, income or expense (from the top-level name when left out);\n"
    "  --currency: the only currency it holds. import: the same for each row of a CSV file with\n"
    "  the columns name, type (optional), currency (optional). list: the chart by full name.\n"
    "year:\n"
    "  Opens a fiscal year of 12 monthly periods, starting on DATE (the first of a month;\n"
    "  January 1st of YEAR when left out).\n"
    "period:\n"
    "  close: no more postings into the period; reopen: open it again (supervisors); lock:\n"
    "  closed for good (supervisors).\n"
    "currency:\n"
    "  Prints the base currency of the client's books, or sets it (ISO 4217, before the books\n"
    "  hold any entry).\n"
    "rate:\n"
    "  Exchange rates: one unit of CODE in the base currency, from DATE on. import reads CSV\n"
    "  with the columns currency, date, rate.\n"
    "revalue:\n"
    "  Makes the period-end revaluation of the foreign-currency balances at DATE's rates as an\n"
    "  entry for approval, its exchange differences on the account NAME.\n"
    "recurring:\n"
    "  Journal entries repeated on a schedule. add: makes a recurring entry NAME from entry ID\n"
    "  (its journal, reference, description and lines; amounts in the base currency), every\n"
    "  month, quarter or year from the month of --start, on day N of the month (the start\n"
    "  date's day when left out; a day the month does not have is its last day, so 31 is\n"
    "  always the month end), up to --end if given. list: the client's recurring entries, the\n"
    "  last month made and the next date due. post: makes every entry due up to --through\n"
    "  (of CLIENT, or of each of your clients) and submits it for approval by another\n"
    "  accountant (--draft: leaves them drafts). A month already made is never made again,\n"
    "  even if its draft was deleted.\n";

static const char *const verbs[] = {"report",	      "export",	       "import",   "imports",
				    "approve-import", "reject-import", "pending",  "approve",
				    "account",	      "year",	       "period",   "currency",
				    "rate",	      "revalue",       "recurring"};

struct options {
	const char *as_of, *from, *to, *account, *format, *out, *type, *currency, *start, *reason;
	const char *commodities[16];
	size_t ncommodities;
	bool csv, create_accounts, by_currency, help;
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
	static const struct option options[] = {{"as-of", required_argument, NULL, 'a'},
						{"from", required_argument, NULL, 'f'},
						{"to", required_argument, NULL, 't'},
						{"account", required_argument, NULL, 'c'},
						{"csv", no_argument, NULL, 'v'},
						{"format", required_argument, NULL, 'F'},
						{"out", required_argument, NULL, 'o'},
						{"create-accounts", no_argument, NULL, 'C'},
						{"commodity", required_argument, NULL, 'm'},
						{"type", required_argument, NULL, 'T'},
						{"currency", required_argument, NULL, 'u'},
						{"start", required_argument, NULL, 's'},
						{"reason", required_argument, NULL, 'r'},
						{"by-currency", no_argument, NULL, 'b'},
						{"help", no_argument, NULL, 'h'},
						{NULL, 0, NULL, 0}};
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
		case 'C':
			o->create_accounts = true;
			break;
		case 'm':
			if (!strchr(optarg, '=') || o->ncommodities == NELEM(o->commodities)) {
				fprintf(stderr, "backdesk: --commodity SYMBOL=CODE (at most 16)\n");
				return -1;
			}
			o->commodities[o->ncommodities++] = optarg;
			break;
		case 'T':
			o->type = optarg;
			break;
		case 'u':
			o->currency = optarg;
			break;
		case 's':
			date = &o->start;
			break;
		case 'r':
			o->reason = optarg;
			break;
		case 'b':
			o->by_currency = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return -1;
		}
		if (date && bd_cli_date_option(optarg, date) < 0)
			return -1;
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
	if (!strcmp(kind, "trial-balance") && o.by_currency)
		res = bd_db_query(db, "ledger.trial_balance_currency",
				  BD_PARAMS(client, o.as_of ? o.as_of : o.to), &err);
	else if (!strcmp(kind, "trial-balance"))
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

		bd_db_result_csv(res, &csv);
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

/* The whole file, however large (a journal of a million transactions is
 * hundreds of megabytes; bd_cli_read_file stops at 64). */
static int
read_whole(const char *path, struct strbuf *sb, struct bd_err *err)
{
	char buf[1 << 16];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		bd_err_set(err, BD_ERR_IO, "Cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(sb, buf, n);
	if (ferror(f)) {
		fclose(f);
		bd_err_set(err, BD_ERR_IO, "Cannot read %s", path);
		return -1;
	}
	fclose(f);
	return 0;
}

static int
import(struct bd_db *db, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	struct strbuf text = STRBUF_INIT;
	struct bd_ledger_import_options opt = {0};
	struct bd_ledger_import_result r;
	struct options o;
	int first = parse_options(argc, argv, &o), rc;

	if (first < 0 || argc - first != 2)
		return usage();
	opt.create_accounts = o.create_accounts;
	opt.commodities = o.commodities;
	opt.ncommodities = o.ncommodities;
	if (read_whole(argv[first + 1], &text, &err) < 0)
		return bd_cli_fail(&err);
	rc = bd_ledger_import_batch(db, argv[first], bd_ledger_format_of(argv[first + 1]), text.buf,
				    text.len, argv[first + 1], &opt, &r, &err);
	strbuf_release(&text);
	if (rc < 0)
		return bd_cli_fail(&err);
	if (r.accounts)
		printf("%ld accounts added\n", r.accounts);
	if (r.entries == 0) {
		printf("the file holds no transactions\n");
		return 0;
	}
	printf("import %lld: %ld entries, %ld lines, %s to %s, debits %s\n", r.batch_id, r.entries,
	       r.lines, r.first, r.last, r.total);
	if (r.zero)
		printf("%ld all-zero transactions (no amounts) not imported: %s%s\n", r.zero,
		       r.zero_where, r.zero > 3 ? "..." : "");
	printf("it waits for approval by another accountant: backdesk ledger approve-import %s "
	       "%lld:%lld\n",
	       argv[first], r.batch_id, r.version);
	return 0;
}

/* BATCH:VERSION or ENTRY:VERSION into its two numbers (text). */
static bool
id_version(const char *arg, char id[24], char version[24])
{
	const char *colon = strchr(arg, ':');
	size_t n;

	if (!colon || colon == arg || !colon[1] || (n = (size_t)(colon - arg)) >= 24 ||
	    strspn(arg, "0123456789") != n ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1) || strlen(colon + 1) >= 24)
		return false;
	memcpy(id, arg, n);
	id[n] = '\0';
	snprintf(version, 24, "%s", colon + 1);
	return true;
}

static int
decide_import(struct bd_db *db, int argc, char **argv, bool approve)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	struct options o;
	char id[24], version[24];
	int first = parse_options(argc, argv, &o);

	if (first < 0 || argc - first != 2)
		return usage();
	if (!id_version(argv[first + 1], id, version)) {
		fprintf(stderr,
			"backdesk: %s: name a batch as BATCH:VERSION, with the version "
			"`backdesk ledger imports` shows\n",
			argv[first + 1]);
		return 2;
	}
	if (approve)
		res = bd_db_query(db, "ledger.import_approve", BD_PARAMS(argv[first], id, version),
				  &err);
	else
		res = bd_db_query(db, "ledger.import_reject",
				  BD_PARAMS(argv[first], id, version, o.reason), &err);
	if (!res)
		return bd_cli_fail(&err);
	printf("import %s: %s\n", id, approve ? bd_db_result_get(res, 0, 0) : "rejected");
	bd_db_result_free(res);
	return 0;
}

static int
account(struct bd_db *db, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	struct options o;
	int first = parse_options(argc, argv, &o);
	const char *verb;

	if (first < 0 || argc - first < 2)
		return usage();
	verb = argv[first];
	if (!strcmp(verb, "list") && argc - first == 2)
		return bd_cli_run_and_print(db, "ledger.account_names", BD_PARAMS(argv[first + 1]));
	if (!strcmp(verb, "add") && argc - first == 3) {
		struct bd_db_result *res = bd_db_query(
		    db, "ledger.account_add_named",
		    BD_PARAMS(argv[first + 1], argv[first + 2], o.type, o.currency), &err);

		if (!res)
			return bd_cli_fail(&err);
		printf("%s added as %s\n", argv[first + 2], bd_db_result_get(res, 0, 0));
		bd_db_result_free(res);
		return 0;
	}
	if (!strcmp(verb, "import") && argc - first == 3) {
		struct strbuf text = STRBUF_INIT;
		struct bd_csv_reader rd;
		struct bd_csv_record rec = {0};
		int col[3] = {-1, -1, -1}, r, n = 0, rc = 1;
		static const char *const names[] = {"name", "type", "currency"};

		if (bd_cli_read_file(argv[first + 2], &text, &err) < 0)
			return bd_cli_fail(&err);
		bd_csv_reader_init(&rd, text.buf, text.len, argv[first + 2]);
		if ((r = bd_csv_next(&rd, &rec, &err)) <= 0) {
			if (r == 0)
				bd_err_set(&err, BD_ERR_INVALID, "%s:1: no header row",
					   argv[first + 2]);
			goto done;
		}
		for (size_t i = 0; i < rec.ncells; i++) {
			size_t c;

			for (c = 0; c < NELEM(names); c++)
				if (!strcasecmp(rec.cells[i], names[c]))
					col[c] = (int)i;
			if (c == NELEM(names) &&
			    !(col[0] == (int)i || col[1] == (int)i || col[2] == (int)i)) {
				bd_err_set(&err, BD_ERR_INVALID,
					   "%s:%d: unknown column %s (name, type, currency)",
					   argv[first + 2], rec.line, rec.cells[i]);
				goto done;
			}
		}
		if (col[0] < 0) {
			bd_err_set(&err, BD_ERR_INVALID, "%s:%d: the header needs a name column",
				   argv[first + 2], rec.line);
			goto done;
		}
		/* one transaction: every row or none */
		if (bd_db_begin(db, &err) < 0)
			goto done;
		while ((r = bd_csv_next(&rd, &rec, &err)) > 0) {
			const char *type =
			    col[1] >= 0 && *rec.cells[col[1]] ? rec.cells[col[1]] : NULL;
			const char *cur =
			    col[2] >= 0 && *rec.cells[col[2]] ? rec.cells[col[2]] : NULL;

			if (bd_db_run(db, "ledger.account_add_named",
				      BD_PARAMS(argv[first + 1], rec.cells[col[0]], type, cur),
				      &err) < 0) {
				struct strbuf msg = STRBUF_INIT;

				strbuf_addf(&msg, "%s:%d: %s", argv[first + 2], rec.line, err.msg);
				if (msg.len >= sizeof(err.msg))
					strbuf_setlen(&msg, sizeof(err.msg) - 1);
				memcpy(err.msg, msg.buf, msg.len + 1);
				strbuf_release(&msg);
				r = -1;
				break;
			}
			n++;
		}
		if (r != 0) {
			bd_db_rollback(db);
			goto done;
		}
		if (bd_db_commit(db, &err) < 0)
			goto done;
		printf("%d accounts added\n", n);
		rc = 0;
	done:
		bd_csv_record_release(&rec);
		strbuf_release(&text);
		return rc ? bd_cli_fail(&err) : 0;
	}
	return usage();
}

static int
calendar(struct bd_db *db, int argc, char **argv, bool year)
{
	struct bd_err err = BD_ERR_INIT;
	struct options o;
	int first = parse_options(argc, argv, &o);
	const char *verb;
	char start[16];

	if (first < 0 || argc - first < 3)
		return usage();
	verb = argv[first];
	if (year) {
		if (strcmp(verb, "open") || argc - first != 3 ||
		    strspn(argv[first + 2], "0123456789") != 4 || argv[first + 2][4])
			return usage();
		snprintf(start, sizeof(start), "%s-01-01", argv[first + 2]);
		if (bd_db_run(
			db, "ledger.fiscal_year_open",
			BD_PARAMS(argv[first + 1], argv[first + 2], o.start ? o.start : start),
			&err) < 0)
			return bd_cli_fail(&err);
		printf("fiscal year %s opened: 12 periods from %s\n", argv[first + 2],
		       o.start ? o.start : start);
		return 0;
	}
	if (argc - first != 4)
		return usage();
	{
		const char *query = !strcmp(verb, "close")    ? "ledger.period_close"
				    : !strcmp(verb, "reopen") ? "ledger.period_reopen"
				    : !strcmp(verb, "lock")   ? "ledger.period_lock"
							      : NULL;

		if (!query)
			return usage();
		if (bd_db_run(db, query,
			      BD_PARAMS(argv[first + 1], argv[first + 2], argv[first + 3]),
			      &err) < 0)
			return bd_cli_fail(&err);
		printf("period %s/%s: %s\n", argv[first + 3], argv[first + 2],
		       !strcmp(verb, "close")	 ? "closed"
		       : !strcmp(verb, "reopen") ? "open"
						 : "locked");
	}
	return 0;
}

static int
currency(struct bd_db *db, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;

	if (argc == 3)
		return bd_cli_run_and_print(db, "ledger.base_currency", BD_PARAMS(argv[2]));
	if (argc != 4)
		return usage();
	if (bd_db_run(db, "ledger.base_currency_set", BD_PARAMS(argv[2], argv[3]), &err) < 0)
		return bd_cli_fail(&err);
	printf("%s: base currency %s\n", argv[2], argv[3]);
	return 0;
}

static int
rate(struct bd_db *db, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	struct strbuf json = STRBUF_INIT, where = STRBUF_INIT;
	struct bd_json j;
	const char *source = "keyed";
	int rc = 1;

	if (argc < 4)
		return usage();
	if (!strcmp(argv[2], "list") && argc <= 5)
		return bd_cli_run_and_print(db, "ledger.rate_list",
					    BD_PARAMS(argv[3], argc == 5 ? argv[4] : NULL));
	bd_json_init(&j, &json);
	bd_json_begin_array(&j);
	if (!strcmp(argv[2], "set") && argc == 7) {
		bd_json_begin_object(&j);
		bd_json_key(&j, "currency");
		bd_json_str(&j, argv[4]);
		bd_json_key(&j, "date");
		bd_json_str(&j, argv[5]);
		bd_json_key(&j, "rate");
		bd_json_str(&j, argv[6]);
		bd_json_key(&j, "where");
		bd_json_str(&j, "the rate");
		bd_json_end_object(&j);
	} else if (!strcmp(argv[2], "import") && argc == 5) {
		struct strbuf text = STRBUF_INIT;
		struct bd_csv_reader rd;
		struct bd_csv_record rec = {0};
		int col[3] = {-1, -1, -1}, r;
		static const char *const names[] = {"currency", "date", "rate"};

		source = "csv";
		if (bd_cli_read_file(argv[4], &text, &err) < 0)
			goto out;
		bd_csv_reader_init(&rd, text.buf, text.len, argv[4]);
		r = bd_csv_next(&rd, &rec, &err);
		for (size_t i = 0; r > 0 && i < rec.ncells; i++)
			for (size_t c = 0; c < NELEM(names); c++)
				if (!strcasecmp(rec.cells[i], names[c]))
					col[c] = (int)i;
		if (r == 0 || (r > 0 && (col[0] < 0 || col[1] < 0 || col[2] < 0))) {
			bd_err_set(&err, BD_ERR_INVALID,
				   "%s:%d: the header needs currency, date and rate columns",
				   argv[4], r > 0 ? rec.line : 1);
			r = -1;
		}
		while (r > 0 && (r = bd_csv_next(&rd, &rec, &err)) > 0) {
			strbuf_reset(&where);
			strbuf_addf(&where, "%s:%d", argv[4], rec.line);
			bd_json_begin_object(&j);
			bd_json_key(&j, "currency");
			bd_json_str(&j, rec.cells[col[0]]);
			bd_json_key(&j, "date");
			bd_json_str(&j, rec.cells[col[1]]);
			bd_json_key(&j, "rate");
			bd_json_str(&j, rec.cells[col[2]]);
			bd_json_key(&j, "where");
			bd_json_str(&j, where.buf);
			bd_json_end_object(&j);
		}
		bd_csv_record_release(&rec);
		strbuf_release(&text);
		if (r < 0)
			goto out;
	} else {
		strbuf_release(&json);
		return usage();
	}
	bd_json_end_array(&j);
	{
		struct bd_db_result *res =
		    bd_db_query(db, "ledger.rates_put", BD_PARAMS(argv[3], json.buf, source), &err);

		if (!res)
			goto out;
		printf("%s rates new or changed\n", bd_db_result_get(res, 0, 0));
		bd_db_result_free(res);
	}
	rc = 0;
out:
	strbuf_release(&where);
	strbuf_release(&json);
	return rc ? bd_cli_fail(&err) : 0;
}

static int
revalue(struct bd_db *db, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	struct options o;
	int first = parse_options(argc, argv, &o);

	if (first < 0 || argc - first != 2 || !o.account)
		return usage();
	res = bd_db_query(db, "ledger.revalue", BD_PARAMS(argv[first], argv[first + 1], o.account),
			  &err);
	if (!res)
		return bd_cli_fail(&err);
	if (bd_db_result_isnull(res, 0, 0))
		printf("nothing to revalue at %s\n", argv[first + 1]);
	else
		printf("revaluation entry %s waits for approval by another accountant\n",
		       bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
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
	size_t v;
	int rc, i;

	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help")) {
		fprintf(argc < 2 ? stderr : stdout, "usage: backdesk ledger %s\n", usage_text);
		return argc < 2 ? 2 : 0;
	}
	for (v = 0; v < NELEM(verbs); v++)
		if (!strcmp(argv[1], verbs[v]))
			break;
	if (v == NELEM(verbs))
		return usage();
	for (i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--help")) {
			printf("usage: backdesk ledger %s\n\n%s", usage_text,
			       bd_ledger_cli_details);
			return 0;
		}
	if (!(db = !strcmp(argv[1], "report") ? bd_cli_open_report_db(cli) : bd_cli_open_db(cli)))
		return 1;
	/* Subcommand options start after "ledger VERB". */
	if (!strcmp(argv[1], "report"))
		rc = report(db, argc - 1, argv + 1);
	else if (!strcmp(argv[1], "export"))
		rc = export(db, argc - 1, argv + 1);
	else if (!strcmp(argv[1], "import"))
		rc = import(db, argc - 1, argv + 1);
	else if (!strcmp(argv[1], "approve"))
		rc = approve(db, argc, argv);
	else if (!strcmp(argv[1], "approve-import") || !strcmp(argv[1], "reject-import"))
		rc = decide_import(db, argc - 1, argv + 1, !strcmp(argv[1], "approve-import"));
	else if (!strcmp(argv[1], "imports"))
		rc = argc <= 3 ? bd_cli_run_and_print(db, "ledger.import_pending",
						      BD_PARAMS(argc == 3 ? argv[2] : NULL))
			       : usage();
	else if (!strcmp(argv[1], "account"))
		rc = account(db, argc - 1, argv + 1);
	else if (!strcmp(argv[1], "year") || !strcmp(argv[1], "period"))
		rc = calendar(db, argc - 1, argv + 1, !strcmp(argv[1], "year"));
	else if (!strcmp(argv[1], "currency"))
		rc = currency(db, argc, argv);
	else if (!strcmp(argv[1], "rate"))
		rc = rate(db, argc, argv);
	else if (!strcmp(argv[1], "revalue"))
		rc = revalue(db, argc - 1, argv + 1);
	else if (!strcmp(argv[1], "recurring"))
		rc = bd_ledger_recurring_cli(db, argc - 1, argv + 1);
	else if (argc <= 3)
		rc = bd_cli_run_and_print(db, "ledger.pending_approvals",
					  BD_PARAMS(argc == 3 ? argv[2] : NULL));
	else
		rc = usage();
	bd_db_free(db);
	return rc;
}
