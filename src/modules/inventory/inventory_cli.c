/* backdesk inventory: reports as tables or CSV, the items import, reversals. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/command.h"
#include "backdesk/inventory.h"
#include "backdesk/strbuf.h"

static const char usage_text[] =
    "onhand|valuation|reorder|items|locations CLIENT [--as-of DATE] [--csv] [--out FILE]\n"
    "       backdesk inventory card CLIENT ITEM [--location CODE] [--csv] [--out FILE]\n"
    "       backdesk inventory import CLIENT FILE.csv\n"
    "       backdesk inventory reverse CLIENT MOVE_ID [--date DATE]";

struct options {
	const char *as_of, *location, *out, *date;
	bool csv;
};

static int
usage(void)
{
	return bd_cli_usage("inventory", usage_text);
}

/* Options after the verb; the index of the first positional word left, or
 * -1. Dates are checked here, so 'infinity' never reaches the database. */
static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option options[] = {
	    {"as-of", required_argument, NULL, 'a'}, {"location", required_argument, NULL, 'l'},
	    {"csv", no_argument, NULL, 'c'},	     {"out", required_argument, NULL, 'o'},
	    {"date", required_argument, NULL, 'd'},  {NULL, 0, NULL, 0}};
	int opt;

	memset(o, 0, sizeof(*o));
	optind = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		const char **date = NULL;

		switch (opt) {
		case 'a':
			date = &o->as_of;
			break;
		case 'd':
			date = &o->date;
			break;
		case 'l':
			o->location = optarg;
			break;
		case 'c':
			o->csv = true;
			break;
		case 'o':
			o->out = optarg;
			break;
		default:
			return -1;
		}
		if (date && bd_cli_date_option(optarg, date) < 0)
			return -1;
	}
	return optind;
}

static int
report(struct bd_db *db, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = NULL;
	struct options o;
	const char *verb = argv[0];
	FILE *out = NULL;
	int first = parse_options(argc, argv, &o), want, rc = 1;

	want = !strcmp(verb, "card") ? 2 : 1;
	if (first < 0 || argc - first != want)
		return usage();
	if (!strcmp(verb, "onhand"))
		res = bd_db_query(db, "inventory.on_hand", BD_PARAMS(argv[first], o.as_of), &err);
	else if (!strcmp(verb, "valuation"))
		res = bd_db_query(db, "inventory.valuation", BD_PARAMS(argv[first], o.as_of), &err);
	else if (!strcmp(verb, "items"))
		res = bd_db_query(db, "inventory.item_list", BD_PARAMS(argv[first]), &err);
	else if (!strcmp(verb, "locations"))
		res = bd_db_query(db, "inventory.location_list", BD_PARAMS(argv[first]), &err);
	else if (!strcmp(verb, "reorder"))
		res = bd_db_query(db, "inventory.reorder", BD_PARAMS(argv[first]), &err);
	else
		res = bd_db_query(db, "inventory.stock_card",
				  BD_PARAMS(argv[first], argv[first + 1], o.location), &err);
	if (!res)
		return bd_cli_fail(&err);
	if (o.out && !o.csv) {
		fprintf(stderr, "backdesk: --out needs --csv\n");
		goto cleanup;
	}
	if (!o.csv) {
		bd_cli_print_table(res);
		rc = 0;
		goto cleanup;
	}
	out = !o.out || !strcmp(o.out, "-") ? bd_cli_data_out() : fopen(o.out, "w");
	if (!out) {
		fprintf(stderr, "backdesk: cannot write %s: %s\n", o.out, strerror(errno));
		goto cleanup;
	} else {
		struct strbuf csv = STRBUF_INIT;
		bool ok;

		bd_db_result_csv(res, &csv);
		ok = fwrite(csv.buf, 1, csv.len, out) == csv.len;
		strbuf_release(&csv);
		if (out == bd_cli_data_out())
			ok = fflush(out) == 0 && ok;
		else
			ok = fclose(out) == 0 && ok;
		out = NULL;
		if (!ok) {
			fprintf(stderr, "backdesk: cannot write the report\n");
			goto cleanup;
		}
	}
	rc = 0;
cleanup:
	bd_db_result_free(res);
	return rc;
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
	rc = bd_inventory_import_items(db, argv[2], text.buf, text.len, argv[3], &n, &err);
	strbuf_release(&text);
	if (rc < 0)
		return bd_cli_fail(&err);
	printf("imported %ld items\n", n);
	return 0;
}

static int
reverse(struct bd_db *db, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	struct options o;
	int first = parse_options(argc, argv, &o);

	if (first < 0 || argc - first != 2 || strspn(argv[first + 1], "0123456789") == 0 ||
	    argv[first + 1][strspn(argv[first + 1], "0123456789")])
		return usage();
	res = bd_db_query(db, "inventory.move_reverse",
			  BD_PARAMS(argv[first], argv[first + 1], o.date), &err);
	if (!res)
		return bd_cli_fail(&err);
	printf("%s\n", bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	return 0;
}

int
bd_inventory_cli(struct bd_cli *cli, int argc, char **argv)
{
	static const char *const verbs[] = {"onhand", "valuation", "reorder", "items", "locations",
					    "card",   "import",	   "reverse", NULL};
	struct bd_db *db;
	size_t i;
	int rc;

	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help")) {
		fprintf(argc < 2 ? stderr : stdout, "usage: backdesk inventory %s\n", usage_text);
		return argc < 2 ? 2 : 0;
	}
	for (i = 0; verbs[i] && strcmp(verbs[i], argv[1]); i++)
		;
	if (!verbs[i])
		return usage();
	if (!(db = bd_cli_open_db(cli)))
		return 1;
	if (!strcmp(argv[1], "import"))
		rc = import(db, argc, argv);
	else if (!strcmp(argv[1], "reverse"))
		rc = reverse(db, argc - 1, argv + 1);
	else
		rc = report(db, argc - 1, argv + 1);
	bd_db_free(db);
	return rc;
}
