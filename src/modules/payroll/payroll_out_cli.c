/*
 * backdesk payroll's output commands (the payout part of issue 17):
 *
 *   payroll payslips CLIENT RUN DIR
 *   payroll bankfile CLIENT RUN --format xml|csv [--account ACCOUNT] [--bic BIC] [--out FILE]
 *   payroll remittance CLIENT RUN [--out FILE.csv]
 *   payroll ytd CLIENT YEAR [--through DATE] [--out FILE.csv]
 *   payroll certificate CLIENT YEAR [EMPLOYEE] [--out FILE.csv]
 *
 * The payroll command (payroll_cli.c) hands these words here:
 * po_cli_handles() says which, po_cli() runs one. A file is written beside
 * its target and renamed, so a refused export leaves nothing behind.
 */
#include "payroll_out_internal.h"

#include "backdesk/command.h"
#include "backdesk/date.h"
#include "backdesk/money.h"
#include "backdesk/payroll.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char po_cli_usage[] = PO_CLI_USAGE;

/* (The register is payroll_cli.c's: payroll register CLIENT RUN --csv.) */
static const char *const WORDS[] = {"payslips", "bankfile", "remittance", "ytd", "certificate"};

bool
po_cli_handles(const char *word)
{
	for (size_t i = 0; i < sizeof(WORDS) / sizeof(WORDS[0]); i++) {
		if (!strcmp(word, WORDS[i]))
			return true;
	}
	return false;
}

struct options {
	const char *format, *account, *bic, *out, *through;
};

static int
usage(void)
{
	return bd_cli_usage("payroll", po_cli_usage);
}

/* Options anywhere after the word; returns the index of the first
 * positional argument, or -1. */
static int
parse(int argc, char **argv, struct options *o)
{
	static const struct option options[] = {
	    {"format", required_argument, NULL, 'f'},  {"account", required_argument, NULL, 'a'},
	    {"bic", required_argument, NULL, 'b'},     {"out", required_argument, NULL, 'o'},
	    {"through", required_argument, NULL, 't'}, {NULL, 0, NULL, 0}};
	int opt;

	memset(o, 0, sizeof(*o));
	optind = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'f':
			o->format = optarg;
			break;
		case 'a':
			o->account = optarg;
			break;
		case 'b':
			o->bic = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 't':
			o->through = optarg;
			break;
		default:
			return -1;
		}
	}
	return optind;
}

/* The output: a temporary file beside --out, or the data stream. */
struct out {
	const char *path;
	struct strbuf tmp;
	FILE *f;
};

static int
out_open(struct out *o, const char *path)
{
	o->path = path && strcmp(path, "-") ? path : NULL;
	strbuf_init(&o->tmp, 0);
	if (!o->path) {
		o->f = bd_cli_data_out();
		return 0;
	}
	strbuf_addf(&o->tmp, "%s.tmp.%ld", o->path, (long)getpid());
	o->f = fopen(o->tmp.buf, "wb");
	if (!o->f) {
		fprintf(stderr, "backdesk: cannot write %s: %s\n", o->path, strerror(errno));
		strbuf_release(&o->tmp);
		return -1;
	}
	return 0;
}

/* Ends the output: kept (renamed into place) when ok, else removed. */
static int
out_close(struct out *o, bool ok)
{
	int bad;

	if (!o->path) {
		bad = fflush(o->f) != 0;
	} else {
		bad = fflush(o->f) != 0 || ferror(o->f);
		bad |= fclose(o->f) != 0;
		if (ok && !bad && rename(o->tmp.buf, o->path) < 0)
			bad = 1;
		if (!ok || bad)
			unlink(o->tmp.buf);
	}
	if (ok && bad)
		fprintf(stderr, "backdesk: cannot write %s: %s\n", o->path ? o->path : "the output",
			strerror(errno));
	strbuf_release(&o->tmp);
	return ok && !bad ? 0 : 1;
}

static void
progress(void *arg, size_t done, size_t total)
{
	(void)arg;
	fprintf(stderr, "payslips: %zu of %zu written\n", done, total);
}

static int
payslips(struct bd_db *db, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	size_t n;

	if (argc != 4)
		return usage();
	if (po_payslip_pdfs(db, argv[1], argv[2], argv[3], progress, NULL, &n, &err) < 0) {
		if (n)
			fprintf(stderr, "backdesk: %zu payslips were written before this:\n", n);
		return bd_cli_fail(&err);
	}
	fprintf(stderr, "pay run %s: %zu payslip%s written to %s\n", argv[2], n, n == 1 ? "" : "s",
		argv[3]);
	return 0;
}

static int
bankfile(struct bd_db *db, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_bank_totals t;
	struct strbuf left = STRBUF_INIT;
	struct options o;
	struct out out;
	enum po_bank_format f;
	int first = parse(argc, argv, &o), rc;

	if (first < 0 || argc - first != 2 || !o.format)
		return usage();
	if (!strcmp(o.format, "xml")) {
		f = PO_BANK_XML;
		if (!o.account) {
			fprintf(stderr, "backdesk: the XML bank file needs --account, the client's "
					"account the salaries are paid from\n");
			return 2;
		}
	} else if (!strcmp(o.format, "csv")) {
		f = PO_BANK_CSV;
	} else {
		return usage();
	}
	if (out_open(&out, o.out) < 0)
		return 1;
	rc = po_bank_file(db, argv[first], argv[first + 1], f, o.account, o.bic, out.f, &t, &left,
			  &err);
	if (out_close(&out, rc == 0)) {
		strbuf_release(&left);
		return rc < 0 ? bd_cli_fail(&err) : 1;
	}
	if (left.len)
		fprintf(stderr,
			"backdesk: not in the file, no bank account (pay them another way):\n%s",
			left.buf);
	strbuf_release(&left);
	fprintf(stderr, "pay run %s: %zu payments, control sum ", argv[first + 1], t.count);
	{
		struct strbuf sum = STRBUF_INIT;

		bd_money_format(&sum, t.sum, 2, BD_MONEY_GROUPED);
		fprintf(stderr, "%s%s%s\n", sum.buf, o.out ? ", written to " : "",
			o.out ? o.out : "");
		strbuf_release(&sum);
	}
	return 0;
}

/* A report: the named query's rows as CSV (to --out, or the data stream). */
static int
report(struct bd_db *db, const char *query, int nparams, const char *const *params,
       const char *path)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(db, query, nparams, params, &err);
	struct strbuf csv = STRBUF_INIT;
	struct out out;
	bool ok;

	if (!res)
		return bd_cli_fail(&err);
	bd_db_result_csv(res, &csv);
	bd_db_result_free(res);
	if (out_open(&out, path) < 0) {
		strbuf_release(&csv);
		return 1;
	}
	ok = fwrite(csv.buf, 1, csv.len, out.f) == csv.len;
	strbuf_release(&csv);
	return out_close(&out, ok);
}

static bool
year_ok(const char *y)
{
	return strlen(y) == 4 && strspn(y, "0123456789") == 4 && y[0] != '0';
}

int
po_cli(struct bd_db *db, int argc, char **argv)
{
	struct options o;
	int first;

	if (!strcmp(argv[0], "payslips"))
		return payslips(db, argc, argv);
	if (!strcmp(argv[0], "bankfile"))
		return bankfile(db, argc, argv);
	first = parse(argc, argv, &o);
	if (first < 0 || argc - first < 2)
		return usage();
	if (!strcmp(argv[0], "remittance")) {
		if (argc - first != 2)
			return usage();
		return report(db, "payroll.out_remittance", BD_PARAMS(argv[first], argv[first + 1]),
			      o.out);
	}
	if (!year_ok(argv[first + 1])) {
		fprintf(stderr, "backdesk: %s is not a year\n", argv[first + 1]);
		return 2;
	}
	if (!strcmp(argv[0], "ytd")) {
		struct bd_err err = BD_ERR_INIT;
		struct bd_date d;

		if (argc - first != 2)
			return usage();
		if (o.through && bd_date_parse_iso(o.through, &d, &err) < 0) {
			fprintf(stderr, "backdesk: %s: %s\n", o.through, err.msg);
			return 2;
		}
		return report(db, "payroll.out_ytd",
			      BD_PARAMS(argv[first], argv[first + 1], o.through), o.out);
	}
	if (argc - first > 3)
		return usage();
	return report(
	    db, "payroll.out_certificate",
	    BD_PARAMS(argv[first], argv[first + 1], argc - first == 3 ? argv[first + 2] : NULL),
	    o.out);
}
