/*
 * Ledger interchange and the `backdesk ledger` command, in process against a
 * real PostgreSQL: hledger journal export checked with the real hledger
 * (skipped when it is not installed), journal and CSV round trips into fresh
 * clients, report CSV, and imports that must fail as a whole.
 */
#include "dbtest.h"

#include "backdesk/command.h"
#include "backdesk/ledger.h"
#include "backdesk/strbuf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static struct dbtest t;
static struct bd_db *su, *acct1, *acct2;
static char dir[64];

/* Runs `backdesk ledger ARGS... NULL` in process as `login`. */
#define cli(login, ...)                                                                            \
	dbtest_cli(&t, login, bd_ledger_cli, "ledger", (const char *const[]){__VA_ARGS__})

static char *
path(const char *name)
{
	static char buf[4][128];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

/* full account name -> balance in cents, as "name=cents;", from the
 * trial balance report (debit - credit). */
static void
trial_balance(struct bd_db *db, const char *client, struct strbuf *out)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res =
	    bd_db_query(db, "ledger.report_trial_balance", BD_PARAMS(client, "2199-12-31"), &err);
	int r;

	if (!res)
		fail_msg("trial balance: %s (%s)", err.msg, err.detail);
	for (r = 0; r < bd_db_result_rows(res); r++) {
		struct bd_db_result *v;

		if (!strcmp(bd_db_result_get(res, r, 0), "TOTAL"))
			continue;
		v = dbtest_query(
		    su,
		    "SELECT a.full_name, (($1::numeric - $2::numeric) * 100)::bigint FROM "
		    "ledger.accounts a JOIN core.clients c USING (client_id) WHERE c.code = $3 AND "
		    "a.code = $4",
		    BD_PARAMS(bd_db_result_get(res, r, 3), bd_db_result_get(res, r, 4), client,
			      bd_db_result_get(res, r, 0)),
		    &err);
		assert_non_null(v);
		strbuf_addf(out, "%s=%s;", bd_db_result_get(v, 0, 0), bd_db_result_get(v, 0, 1));
		bd_db_result_free(v);
	}
	bd_db_result_free(res);
}

/* A new client assigned to acct1 and acct2 with client chart_of's chart and open
 * fiscal years for last year and this one. */
static void
new_client(const char *code, const char *chart_of)
{
	char sql[1024];

	snprintf(sql, sizeof(sql),
		 "SELECT core.client_add('%s', 'Round trip %s'); "
		 "SELECT core.assign('acct1', '%s'); SELECT core.assign('acct2', '%s'); "
		 "SET SESSION AUTHORIZATION acct1; "
		 "SELECT ledger.fiscal_year_open('%s', y, make_date(y, 1, 1)) FROM "
		 "(VALUES (extract(year FROM current_date)::int - 1), "
		 "(extract(year FROM current_date)::int)) v(y); "
		 "SELECT count(ledger.account_add('%s', code, name, type, NULL)) FROM "
		 "(SELECT code, name, type FROM ledger.accounts WHERE client_id = "
		 "(SELECT client_id FROM core.clients WHERE code = '%s') ORDER BY code) a; "
		 "RESET SESSION AUTHORIZATION",
		 code, code, code, code, code, code, chart_of);
	dbtest_exec(su, sql);
}

/* acct2 approves the import batches waiting in `client`; returns how many
 * entries were posted. */
static int
approve_all(const char *client)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res =
	    bd_db_query(acct2, "ledger.import_pending", BD_PARAMS(client), &err);
	int r, n = 0;

	assert_non_null(res);
	for (r = 0; r < bd_db_result_rows(res); r++) {
		struct bd_db_result *a = bd_db_query(
		    acct2, "ledger.import_approve",
		    BD_PARAMS(client, bd_db_result_get(res, r, bd_db_result_col(res, "batch_id")),
			      bd_db_result_get(res, r, bd_db_result_col(res, "version"))),
		    &err);

		if (!a)
			fail_msg("approve: %s (%s)", err.msg, err.detail);
		n += (int)strtol(bd_db_result_get(a, 0, 0), NULL, 10);
		bd_db_result_free(a);
	}
	bd_db_result_free(res);
	return n;
}

static void
test_hledger_agrees_with_trial_balance(void **state)
{
	struct strbuf ours = STRBUF_INIT, theirs = STRBUF_INIT, cmd = STRBUF_INIT;
	char line[512];
	FILE *p;

	(void)state;
	assert_int_equal(cli("acct1", "export", "ACME", "--format", "hledger", "--out",
			     path("acme.journal"), NULL),
			 0);
	/* hledger is in the Makefile's packages: its absence is a failure, not a skip. */
	assert_int_equal(access("/usr/bin/hledger", X_OK), 0);
	trial_balance(acct1, "ACME", &ours);
	/* hledger prints one "account","balance" row per account, sorted. */
	strbuf_addf(&cmd, "hledger -f '%s' balance --flat --no-total -O csv", path("acme.journal"));
	p = popen(cmd.buf, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		char acc[256], amt[64], *end;
		long long units, cents = 0;

		if (sscanf(line, "\"%255[^\"]\",\"%63[^\"]\"", acc, amt) != 2 ||
		    !strcmp(acc, "account"))
			continue; /* the header row */
		units = strtoll(amt, &end, 10);
		if (*end == '.')
			cents = strtoll(end + 1, NULL, 10);
		if (amt[0] == '-')
			cents = -cents;
		strbuf_addf(&theirs, "%s=%lld;", acc, units * 100 + cents);
	}
	assert_int_equal(pclose(p), 0);
	dbtest_sort_items(&ours);
	dbtest_sort_items(&theirs);
	assert_true(ours.len > 20);
	assert_string_equal(ours.buf, theirs.buf);
	strbuf_release(&cmd);
	strbuf_release(&theirs);
	strbuf_release(&ours);
}

static void
test_journal_round_trip_into_another_client(void **state)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	(void)state;
	assert_int_equal(cli("acct1", "export", "ACME", "--format", "hledger", "--out",
			     path("acme2.journal"), NULL),
			 0);
	new_client("INITECH", "ACME");
	assert_int_equal(cli("acct1", "import", "INITECH", path("acme2.journal"), NULL), 0);
	assert_true(approve_all("INITECH") > 40);
	trial_balance(acct1, "ACME", &a);
	trial_balance(acct1, "INITECH", &b);
	assert_string_equal(a.buf, b.buf);
	strbuf_release(&b);
	strbuf_release(&a);
}

static void
test_csv_round_trip_into_another_client(void **state)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	(void)state;
	assert_int_equal(
	    cli("acct1", "export", "GLOBEX", "--format", "csv", "--out", path("globex.csv"), NULL),
	    0);
	new_client("UMBRELLA", "GLOBEX");
	assert_int_equal(cli("acct1", "import", "UMBRELLA", path("globex.csv"), NULL), 0);
	assert_true(approve_all("UMBRELLA") > 40);
	trial_balance(acct1, "GLOBEX", &a);
	trial_balance(acct1, "UMBRELLA", &b);
	assert_string_equal(a.buf, b.buf);
	strbuf_release(&b);
	strbuf_release(&a);
}

static char *
slurp(const char *file)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *f = fopen(file, "r");

	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb, NULL);
}

static void
test_report_csv(void **state)
{
	char *csv, *total;

	(void)state;
	assert_int_equal(cli("acct2", "report", "trial-balance", "ACME", "--as-of", "2199-12-31",
			     "--csv", "--out", path("tb.csv"), NULL),
			 0);
	csv = slurp(path("tb.csv"));
	assert_true(!strncmp(csv, "code,name,type,debit,credit\r\n", 29));
	total = strstr(csv, "\r\nTOTAL,,,");
	assert_non_null(total);
	{
		char d[32], c[32];

		assert_int_equal(sscanf(total + 10, "%31[^,],%31[^\r]", d, c), 2);
		assert_string_equal(d, c);
	}
	free(csv);
	assert_int_equal(cli("acct2", "report", "account", "ACME", "--account", "1100", "--csv",
			     "--out", path("acc.csv"), NULL),
			 0);
	csv = slurp(path("acc.csv"));
	assert_non_null(strstr(csv, "Opening balance"));
	free(csv);
	assert_int_equal(
	    cli("acct2", "report", "pl", "ACME", "--csv", "--out", path("pl.csv"), NULL), 0);
	assert_int_equal(
	    cli("acct2", "report", "balance-sheet", "ACME", "--csv", "--out", path("bs.csv"), NULL),
	    0);
	csv = slurp(path("bs.csv"));
	assert_non_null(strstr(csv, "TOTAL LIABILITIES AND EQUITY"));
	free(csv);
	/* Dates are checked at the edge. */
	assert_int_equal(
	    cli("acct2", "report", "trial-balance", "ACME", "--as-of", "infinity", NULL), 2);
	/* A clerk gets nothing. */
	assert_int_equal(cli("clerk1", "report", "trial-balance", "ACME", NULL), 1);
}

/* Bad files import nothing, and every refusal names the file and the line,
 * in both formats (CSV through the one reader, base csv.h). */
static void
test_bad_imports_import_nothing(void **state)
{
	static const struct {
		const char *file, *text;
		size_t len; /* 0: strlen */
		const char *want;
	} bad[] = {
	    {"ragged.csv", "date,account,debit,credit\n2026-01-05,1100,10.00,\n2026-01-05,4100\n",
	     0, "ragged.csv:3: 2 values, but the header has 4 columns"},
	    {"nul.csv",
	     "date,account,debit,credit\n2026-01-05,1100,10.00,\n2026-01-05,41\00000,,1\n", 69,
	     "nul.csv:3: a NUL byte"},
	    {"utf8.csv",
	     "date,account,debit,credit,memo\r\n2026-01-05,1100,1.00,,Pe\xf1"
	     "a\r\n",
	     0, "utf8.csv:2: invalid UTF-8"},
	    {"quote.csv", "date,account,debit,credit\n2026-01-05,1100,\"10.00,\n", 0,
	     "quote.csv:2: a quoted value never ends"},
	    {"stray.csv", "date,account,debit,credit\n2026-01-05,1100,1\"0,\n", 0,
	     "stray.csv:2: a quote inside an unquoted value"},
	    {"date.csv",
	     "date,account,debit,credit\n\n2026-01-05,1100,1.00,\n2026-01-05,4100,,1.00\n"
	     "2026-13-05,1100,1.00,\n",
	     0, "date.csv:5: not a date"},
	    {"amount.csv",
	     "\xef\xbb\xbf"
	     "date,account,debit,credit\n2026-01-05,1100,1.0.0,\n",
	     0, "amount.csv:2: "},
	    {"header.csv", "\n\ndate,x\n", 0, "header.csv:3: the CSV header needs date, account"},
	    {"empty.csv", "", 0, "empty.csv:1: the CSV file has no header row"},
	    {"unbalanced.csv",
	     "date,account,debit,credit\n2026-01-05,1100,1.00,\n"
	     "2026-01-05,4100,,0.99\n",
	     0, "unbalanced.csv:2: "},
	    {"nul.journal", "2026-01-05 x\n    assets:1100  1\000.00\n    revenues:4100\n", 54,
	     "nul.journal:2: a NUL byte"},
	    /* the second entry is one cent off */
	    {"bad1.journal",
	     "2026-01-05 good\n    assets:1100  10.00\n    revenues:4100\n\n"
	     "2026-01-06 bad\n    assets:1100  10.00\n    revenues:4100  -9.99\n",
	     0, "bad1.journal:5: "},
	    {"bad2.journal",
	     "2026-01-05 no such account\n    Assets:9999  10.00\n"
	     "    Income:Sales\n",
	     0, "bad2.journal:2: no account Assets:9999"},
	    {"bad4.csv",
	     "date,account,debit,credit\n2026-01-05,1100,10.00,\n"
	     "2026-01-05,4100,,10.00\ninfinity,1100,1.00,\ninfinity,4100,,1.00\n",
	     0, "bad4.csv:4: not a date"},
	    {"dir.journal", "; fine\nbucket Assets:Cash\n", 0,
	     "dir.journal:2: expected a transaction (a date first) or a directive"},
	    {"amount.journal", "2026-01-05 x\n    Assets:Cash at bank  1 AAPL\n    Income:Sales\n",
	     0, "amount.journal:2: AAPL is not a currency"},
	};
	long long before = dbtest_scalar(su, "SELECT count(*) FROM ledger.entries", 0, NULL);
	long long y = dbtest_scalar(su, "SELECT extract(year FROM current_date)", 0, NULL);
	struct bd_err err = BD_ERR_INIT;
	char text[512];
	size_t i;
	long n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		size_t len = bad[i].len ? bad[i].len : strlen(bad[i].text);

		bd_err_clear(&err);
		if (bd_ledger_import(acct1, "ACME", bd_ledger_format_of(bad[i].file), bad[i].text,
				     len, bad[i].file, &n, &err) == 0)
			fail_msg("%s was imported", bad[i].file);
		if (strncmp(err.msg, bad[i].want, strlen(bad[i].want)))
			fail_msg("%s: \"%s\" does not start \"%s\"", bad[i].file, err.msg,
				 bad[i].want);
	}
	assert_int_equal(dbtest_scalar(su, "SELECT count(*) FROM ledger.entries", 0, NULL), before);
	/* A valid one, with ledger's syntax variations, goes in as submitted. */
	snprintf(text, sizeof(text),
		 "; a comment\naccount Assets:Cash at bank\n\n"
		 "%lld/1/5 * (PJ-%lld-000009) Paper, pens  ; ref:P-1\n"
		 "    Expenses:Office supplies    $1,234.50  ; A4 paper\n"
		 "    Assets:Cash at bank\n",
		 y, y);
	dbtest_write_file(path("good.journal"), text);
	assert_int_equal(cli("acct1", "import", "ACME", path("good.journal"), NULL), 0);
	/* (staged for approval: not in the books until another accountant
	 * approves the batch) */
	assert_int_equal(dbtest_scalar(su,
				       "SELECT count(*) FROM ledger.import_lines h JOIN "
				       "ledger.import_lines l USING (batch_id, n) JOIN "
				       "ledger.import_batches b USING (batch_id) WHERE "
				       "b.status = 'submitted' AND h.line_no = 1 "
				       "AND h.journal = 'PJ' AND h.reference = 'P-1' "
				       "AND h.description = 'Paper, pens' AND (l.base = 123450 "
				       "AND l.memo = 'A4 paper' OR l.base = -123450)",
				       0, NULL),
			 2);
	/* A BOM, CRLF, blank lines and quoted values are read. */
	snprintf(text, sizeof(text),
		 "\xef\xbb\xbf"
		 "Date,Account,Debit,Credit,Memo,Description\r\n\r\n"
		 "%lld-01-07,1100,\"1,000.00\",,\"say \"\"hi\"\"\",\"Two, lines\"\r\n"
		 "%lld-01-07,4100,,1000.00,,\"Two, lines\"\r\n\r\n",
		 y, y);
	n = 0;
	if (bd_ledger_import(acct1, "ACME", BD_LEDGER_FORMAT_CSV, text, strlen(text), "good.csv",
			     &n, &err) < 0)
		fail_msg("good.csv: %s", err.msg);
	assert_int_equal(n, 1);
	assert_int_equal(
	    dbtest_scalar(su,
			  "SELECT count(*) FROM ledger.import_lines h JOIN ledger.import_lines l "
			  "USING (batch_id, n) WHERE h.line_no = 1 AND h.description = "
			  "'Two, lines' AND (l.base = 100000 AND l.memo = 'say \"hi\"' OR l.base = "
			  "-100000)",
			  0, NULL),
	    2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hledger_agrees_with_trial_balance),
	    cmocka_unit_test(test_journal_round_trip_into_another_client),
	    cmocka_unit_test(test_csv_round_trip_into_another_client),
	    cmocka_unit_test(test_report_csv),
	    cmocka_unit_test(test_bad_imports_import_nothing),
	};
	char template[] = "/tmp/bdledgerio-XXXXXX";
	int rc;

	if (!mkdtemp(template))
		abort();
	snprintf(dir, sizeof(dir), "%s", template);
	dbtest_start(&t, true);
	su = dbtest_connect(&t, NULL);
	acct1 = dbtest_connect(&t, "acct1");
	acct2 = dbtest_connect(&t, "acct2");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	bd_db_free(acct2);
	bd_db_free(acct1);
	bd_db_free(su);
	dbtest_stop(&t);
	{
		struct strbuf cmd = STRBUF_INIT;

		strbuf_addf(&cmd, "rm -rf '%s'", dir);
		if (system(cmd.buf) != 0)
			rc = 1;
		strbuf_release(&cmd);
	}
	return rc;
}
