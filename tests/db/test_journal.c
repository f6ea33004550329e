/*
 * Real books in and out (issue 19), against a real PostgreSQL and the real
 * hledger and ledger: a journal using every syntax the importer reads
 * (tests/fixtures/journals/all_syntax.journal) imported as one batch and
 * approved once, its trial balance by currency equal to hledger's reading of
 * the same file, its export read by hledger and ledger to the same balances
 * (and hledger -B to the base-currency trial balance), a round trip into
 * another client; every case the old importer got silently wrong refused
 * with its file and line, importing nothing; a foreign-currency invoice and
 * its payment at another rate revalued to the expected exchange difference;
 * 1,000 transactions imported and approved in one go; the chart and calendar
 * commands; a currency ISO 4217 has withdrawn (HRK) still read as money; a
 * zero without a currency in assertions and assignments read as hledger does.
 */
#include "dbtest.h"

#include "backdesk/command.h"
#include "backdesk/ledger.h"
#include "backdesk/strbuf.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

static const char *
fixture(const char *name)
{
	static char buf[1024];
	const char *root = getenv("BD_SOURCE_DIR");

	snprintf(buf, sizeof(buf), "%s/tests/fixtures/journals/%s", root ? root : ".", name);
	return buf;
}

/* A new client for acct1 and acct2 (and super1), base currency `base`, with
 * fiscal year 2024 opened by the command line. */
static void
new_client(const char *code, const char *base)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "SELECT core.client_add('%s', 'Journal %s'); SELECT core.assign('acct1', '%s'); "
		 "SELECT core.assign('acct2', '%s'); SELECT core.assign('super1', '%s')",
		 code, code, code, code, code);
	dbtest_exec(su, sql);
	assert_int_equal(cli("acct1", "currency", code, base, NULL), 0);
	assert_int_equal(cli("acct1", "year", "open", code, "2024", NULL), 0);
}

/* "1106.560" -> "1106.56", "-500.00" -> "-500", "12000" -> "12000". */
static void
norm(struct strbuf *out, const char *num)
{
	size_t start = out->len, n;
	const char *dot = strchr(num, '.');

	strbuf_addstr(out, num);
	if (!dot)
		return;
	n = out->len;
	while (n > start && out->buf[n - 1] == '0')
		n--;
	if (n > start && out->buf[n - 1] == '.')
		n--;
	strbuf_setlen(out, n);
	if (!strcmp(out->buf + start, "-0"))
		strbuf_setlen(out, start), strbuf_addch(out, '0');
}

/* Backdesk's trial balance by account and currency ("account|CUR|amount;",
 * sorted, zero balances left out). */
static void
our_tb(const char *client, struct strbuf *out)
{
	struct bd_db_result *res = dbtest_named(acct1, "ledger.trial_balance_currency", 2,
						(const char *const[]){client, "2199-12-31"});
	int r;

	strbuf_reset(out);
	for (r = 0; r < bd_db_result_rows(res); r++) {
		const char *amount = bd_db_result_get(res, r, 2);

		if (strspn(amount, "-0.") == strlen(amount))
			continue;
		strbuf_addf(out, "%s|%s|", bd_db_result_get(res, r, 0),
			    bd_db_result_get(res, r, 1));
		norm(out, amount);
		strbuf_addch(out, ';');
	}
	bd_db_result_free(res);
	dbtest_sort_items(out);
}

/* cents of "-1363.40" */
static long long
cents(const char *s)
{
	long long v = 0;
	int frac = -1;
	bool neg = *s == '-';

	for (s += neg; *s; s++) {
		if (*s == '.') {
			frac = 0;
			continue;
		}
		if (frac >= 2)
			continue;
		v = v * 10 + (*s - '0');
		if (frac >= 0)
			frac++;
	}
	for (frac = frac < 0 ? 0 : frac; frac < 2; frac++)
		v *= 10;
	return neg ? -v : v;
}

/* The base-currency trial balance by account ("account|amount;"), summed
 * from the base column of the same query. */
static void
our_base_tb(const char *client, struct strbuf *out)
{
	struct bd_db_result *res = dbtest_named(acct1, "ledger.trial_balance_currency", 2,
						(const char *const[]){client, "2199-12-31"});
	int r, n = bd_db_result_rows(res);

	strbuf_reset(out);
	for (r = 0; r < n;) {
		const char *acc = bd_db_result_get(res, r, 0);
		long long sum = 0;
		char num[32];

		for (; r < n && !strcmp(bd_db_result_get(res, r, 0), acc); r++)
			sum += cents(bd_db_result_get(res, r, 3));
		if (sum == 0)
			continue;
		snprintf(num, sizeof(num), "%s%lld.%02lld", sum < 0 ? "-" : "", llabs(sum) / 100,
			 llabs(sum) % 100);
		strbuf_addf(out, "%s|", acc);
		norm(out, num);
		strbuf_addch(out, ';');
	}
	bd_db_result_free(res);
	dbtest_sort_items(out);
}

static const char *
code_of(const char *commodity)
{
	if (!strcmp(commodity, "$"))
		return "USD";
	if (!strcmp(commodity, "£"))
		return "GBP";
	if (!strcmp(commodity, "¥"))
		return "JPY";
	if (!strcmp(commodity, "€"))
		return "EUR";
	return commodity;
}

/* hledger's balances of `file` by account and commodity (or, with `base`,
 * at cost by account, "account|amount;"), from its bare CSV layout. */
static void
hledger_tb(const char *file, bool base, struct strbuf *out)
{
	struct strbuf cmd = STRBUF_INIT;
	char line[1024];
	FILE *p;

	strbuf_reset(out);
	strbuf_addf(&cmd, "hledger -f '%s' balance --flat -N --layout=bare -O csv%s", file,
		    base ? " -B" : "");
	p = popen(cmd.buf, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		char acc[512], com[64], bal[64];

		if (sscanf(line, "\"%511[^\"]\",\"%63[^\"]\",\"%63[^\"]\"", acc, com, bal) != 3 ||
		    !strcmp(acc, "account"))
			continue;
		if (strspn(bal, "-0.") == strlen(bal))
			continue;
		if (base)
			strbuf_addf(out, "%s|", acc);
		else
			strbuf_addf(out, "%s|%s|", acc, code_of(com));
		norm(out, bal);
		strbuf_addch(out, ';');
	}
	assert_int_equal(pclose(p), 0);
	strbuf_release(&cmd);
	dbtest_sort_items(out);
}

/* ledger-cli's balances of `file` by account and commodity: its flat
 * balance report stacks an account's commodities, the name on the last. */
static void
ledger_tb(const char *file, struct strbuf *out)
{
	struct strbuf cmd = STRBUF_INIT, pending = STRBUF_INIT;
	char line[1024];
	FILE *p;

	strbuf_reset(out);
	strbuf_addf(&cmd, "ledger -f '%s' balance --flat --no-total", file);
	p = popen(cmd.buf, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		char amount[64], com[64], acc[512] = "";
		int n = sscanf(line, " %63s %63s %511[^\n]", amount, com, acc);

		if (n < 2)
			continue;
		strbuf_addf(&pending, "%s|", code_of(com));
		norm(&pending, amount);
		strbuf_addch(&pending, '\n');
		if (n == 3) {
			char *save = NULL, *tok, *copy = strdup(pending.buf);

			for (tok = strtok_r(copy, "\n", &save); tok;
			     tok = strtok_r(NULL, "\n", &save))
				if (strspn(strchr(tok, '|') + 1, "-0.") !=
				    strlen(strchr(tok, '|') + 1))
					strbuf_addf(out, "%s|%s;", acc, tok);
			free(copy);
			strbuf_reset(&pending);
		}
	}
	assert_int_equal(pclose(p), 0);
	strbuf_release(&pending);
	strbuf_release(&cmd);
	dbtest_sort_items(out);
}

static long long
count(const char *sql, const char *arg)
{
	return dbtest_scalar(su, sql, arg ? 1 : 0, arg ? (const char *const[]){arg} : NULL);
}

/* The waiting batch of `client`: its id and version as "ID:VERSION". */
static char *
waiting_batch(const char *client)
{
	return dbtest_text(su,
			   "SELECT b.batch_id || ':' || b.version FROM ledger.import_batches b "
			   "JOIN core.clients c USING (client_id) WHERE c.code = $1 "
			   "AND b.status = 'submitted'",
			   client);
}

static void
test_every_syntax_agrees_with_hledger(void **state)
{
	struct strbuf ours = STRBUF_INIT, theirs = STRBUF_INIT, base = STRBUF_INIT;
	char *batch, wrong[64];

	(void)state;
	new_client("JSYN", "USD");
	/* Without --create-accounts the accounts must exist. */
	assert_int_equal(cli("acct1", "import", "JSYN", fixture("all_syntax.journal"), NULL), 1);
	assert_int_equal(count("SELECT count(*) FROM ledger.accounts a JOIN core.clients c "
			       "USING (client_id) WHERE c.code = $1",
			       "JSYN"),
			 0);
	assert_int_equal(cli("acct1", "import", "JSYN", fixture("all_syntax.journal"),
			     "--create-accounts", NULL),
			 0);
	/* One batch of 12 entries (two all-zero transactions are not entries),
	 * none of them in the inbox of entries: the batch is decided whole. */
	batch = waiting_batch("JSYN");
	assert_int_equal(count("SELECT entries FROM ledger.import_batches WHERE batch_id = "
			       "split_part($1, ':', 1)::bigint",
			       batch),
			 12);
	assert_int_equal(
	    dbtest_scalar(acct2,
			  "SELECT count(*) FROM ledger.pending_approvals WHERE client = 'JSYN'", 0,
			  NULL),
	    0);
	assert_int_equal(
	    dbtest_scalar(acct2, "SELECT count(*) FROM ledger.import_items('JSYN')", 0, NULL), 1);
	/* The maker cannot approve it, nor anyone a version they did not see. */
	assert_int_equal(cli("acct1", "approve-import", "JSYN", batch, NULL), 1);
	snprintf(wrong, sizeof(wrong), "%.*s:99", (int)strcspn(batch, ":"), batch);
	assert_int_equal(cli("acct2", "approve-import", "JSYN", wrong, NULL), 1);
	assert_int_equal(cli("acct2", "approve-import", "JSYN", batch, NULL), 0);
	free(batch);
	assert_int_equal(count("SELECT count(*) FROM ledger.entries e JOIN core.clients c USING "
			       "(client_id) WHERE c.code = $1 AND e.status = 'posted'",
			       "JSYN"),
			 12);
	/* The comment block's transaction is not there; types came from the
	 * declarations (a parent's too) and from the names. */
	assert_int_equal(count("SELECT count(*) FROM ledger.accounts WHERE full_name LIKE "
			       "'Expenses:Hidden%'",
			       NULL),
			 0);
	{
		char *types = dbtest_text(
		    su,
		    "SELECT string_agg(a.full_name || '=' || a.type, ',' ORDER BY a.full_name) "
		    "FROM ledger.accounts a JOIN core.clients c USING (client_id) WHERE c.code = "
		    "$1 AND a.full_name IN ('Kosten:Office', 'Активы:Касса', 'Liabilities:Card', "
		    "'Revenue:Consulting', 'Assets:Bank:EUR', 'Kosten:Bürobedarf')",
		    "JSYN");

		assert_string_equal(types,
				    "Assets:Bank:EUR=asset,Kosten:Bürobedarf=expense,Kosten:Office="
				    "expense,Liabilities:Card=liability,Revenue:Consulting=income,"
				    "Активы:Касса=asset");
		free(types);
	}
	/* hledger reads the same file to the same balances, currency by currency. */
	our_tb("JSYN", &ours);
	hledger_tb(fixture("all_syntax.journal"), false, &theirs);
	assert_true(ours.len > 100);
	assert_string_equal(ours.buf, theirs.buf);
	/* The export: hledger and ledger read it to the same balances, and
	 * hledger at cost (-B) to the base-currency trial balance. */
	assert_int_equal(cli("acct1", "export", "JSYN", "--format", "hledger", "--out",
			     path("jsyn.journal"), NULL),
			 0);
	hledger_tb(path("jsyn.journal"), false, &theirs);
	assert_string_equal(ours.buf, theirs.buf);
	ledger_tb(path("jsyn.journal"), &theirs);
	assert_string_equal(ours.buf, theirs.buf);
	our_base_tb("JSYN", &base);
	hledger_tb(path("jsyn.journal"), true, &theirs);
	assert_string_equal(base.buf, theirs.buf);
	/* ...and into another client, account tree and all, the same books. */
	new_client("JSYN2", "USD");
	assert_int_equal(
	    cli("acct2", "import", "JSYN2", path("jsyn.journal"), "--create-accounts", NULL), 0);
	batch = waiting_batch("JSYN2");
	assert_int_equal(cli("acct1", "approve-import", "JSYN2", batch, NULL), 0);
	free(batch);
	our_tb("JSYN2", &theirs);
	assert_string_equal(ours.buf, theirs.buf);
	our_base_tb("JSYN2", &theirs);
	assert_string_equal(base.buf, theirs.buf);
	strbuf_release(&base);
	strbuf_release(&theirs);
	strbuf_release(&ours);
}

/* Everything the old importer got silently wrong, and what it does not
 * understand, is refused with the file and line, and nothing is imported. */
static void
test_refusals_name_file_and_line(void **state)
{
	static const struct {
		const char *file, *text;
		size_t len; /* 0: strlen */
		const char *want;
	} bad[] = {
	    {"nul.journal", "2024-01-05 x\n    Assets:Cash  $1\000.00\n    Income:Sales\n", 45,
	     "nul.journal:2: a NUL byte"},
	    {"mark.journal", "decimal-mark ;\n", 0,
	     "mark.journal:1: expected decimal-mark . or decimal-mark ,"},
	    {"mark2.journal",
	     "decimal-mark ,\n\n2024-01-05 x\n    Assets:Cash  $1,000.00\n    Income:Sales\n", 0,
	     "mark2.journal:4: 1,000.00 has a digit group mark after its decimal mark"},
	    {"ambiguous.journal", "2024-01-05 x\n    Assets:Cash  $1,000\n    Income:Sales\n", 0,
	     "ambiguous.journal:2: 1,000 is ambiguous"},
	    {"assert.journal",
	     "2024-01-05 x\n    Assets:Cash  $10.00\n    Income:Sales\n\n2024-01-06 y\n"
	     "    Assets:Cash  $0 = $999\n    Income:Sales  $0\n",
	     0, "assert.journal:6: balance assertion failed: Assets:Cash holds 10.00 USD"},
	    {"before.journal",
	     "    Assets:Cash  $1.00\n2024-01-05 x\n    Assets:Cash  $1.00\n"
	     "    Income:Sales\n",
	     0, "before.journal:1: a posting before any transaction header"},
	    {"comment.journal", "comment\n2024-01-05 x\n    Assets:Cash  $1.00\n    Income:Sales\n",
	     0, "comment.journal: the file holds no entries"},
	    {"directive.journal", "apply tag foo\n", 0,
	     "directive.journal:1: expected a transaction (a date first) or a directive"},
	    {"auto.journal", "= Expenses\n    Liabilities:Tax  0.2\n", 0,
	     "auto.journal:1: auto postings (=) are not supported"},
	    {"virtual.journal",
	     "2024-01-05 x\n    (Budget:Food)  $-10\n    Assets:Cash  $1\n"
	     "    Income:Sales\n",
	     0, "virtual.journal:2: virtual postings"},
	    {"shares.journal",
	     "2024-01-05 x\n    Assets:Broker  10 AAPL @ $100\n"
	     "    Assets:Cash\n",
	     0, "shares.journal:2: AAPL is not a currency"},
	    {"assign.journal",
	     "2024-01-05 x\n    Assets:Cash  $5\n    Income:Sales\n\n2024-01-06 y\n"
	     "    Assets:Cash  = 0\n    Income:Sales\n",
	     0, "assign.journal:6: = 0 without a currency is ambiguous here"},
	    {"self.journal", "P 2024-01-01 USD $1.36\n", 0,
	     "self.journal:1: a price of USD in itself"},
	    {"declared.journal", "commodity AAPL  ; lots:\n", 0,
	     "declared.journal:1: AAPL is not a currency (an ISO"},
	    {"hours.journal", "i 2024-01-05 08:00:00 Client:Project\n", 0,
	     "hours.journal:1: timeclock entries are hours, not money"},
	    {"include.journal", "; fine\ninclude no-such-file.journal\n", 0,
	     "include.journal:2: include: "},
	    {"pattern.journal", "include no-such-*.journal\n", 0,
	     "pattern.journal:1: include: no file matches no-such-*.journal"},
	    {"unbalanced.journal",
	     "2024-01-05 x\n    Assets:Cash  $10.00\n    Income:Sales  "
	     "$-9.99\n",
	     0, "unbalanced.journal:1: the transaction does not balance: it is off by 0.01 USD"},
	    {"elided.journal",
	     "2024-01-05 x\n    Assets:Cash  $10.00\n    Income:Sales\n"
	     "    Income:Other\n",
	     0, "elided.journal:4: only one posting may leave out its amount"},
	    {"postdate.journal",
	     "2024-01-05 x\n    Assets:Cash  $10.00  ; date:2024-01-09\n"
	     "    Income:Sales\n",
	     0, "postdate.journal:2: posting dates"},
	    {"date.journal", "2024/13/1 x\n    Assets:Cash  $10.00\n    Income:Sales\n", 0,
	     "date.journal:1: expected a date"},
	    {"noyear.journal", "1/5 x\n    Assets:Cash  $10.00\n    Income:Sales\n", 0,
	     "noyear.journal:1: the date 1/5 has no year"},
	    {"norate.journal", "2024-01-05 x\n    Assets:Cash  10.00 EUR\n    Income:Sales\n", 0,
	     "norate.journal:2: no exchange rate of EUR in USD on or before 2024-01-05"},
	    {"type.journal", "2024-01-05 x\n    Misc:Thing  $10.00\n    Income:Sales\n", 0,
	     "type.journal:2: what type is Misc:Thing?"},
	    {"period.journal", "2023-12-31 x\n    Assets:Cash  $10.00\n    Income:Sales\n", 0,
	     "period.journal:1: no fiscal period covers 2023-12-31"},
	    {"decimals.journal", "2024-01-05 x\n    Assets:Cash  $10.001\n    Income:Sales\n", 0,
	     "decimals.journal:2: 10.001 has more decimals than USD has (2)"},
	    {"cycle.journal", "include cycle.journal\n", 0, "cycle.journal:1: "},
	};
	struct bd_ledger_import_options opt = {.create_accounts = true};
	long long entries = count("SELECT count(*) FROM ledger.entries", NULL);
	long long accounts = count("SELECT count(*) FROM ledger.accounts", NULL);
	long long batches = count("SELECT count(*) FROM ledger.import_batches", NULL);
	struct bd_ledger_import_result r;
	struct bd_err err = BD_ERR_INIT;
	size_t i;

	(void)state;
	new_client("JBAD", "USD");
	dbtest_write_file(path("cycle.journal"), "include cycle.journal\n");
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		size_t len = bad[i].len ? bad[i].len : strlen(bad[i].text);

		bd_err_clear(&err);
		if (bd_ledger_import_batch(
			acct1, "JBAD", bd_ledger_format_of(bad[i].file), bad[i].text, len,
			strcmp(bad[i].file, "cycle.journal") ? bad[i].file : path("cycle.journal"),
			&opt, &r, &err) == 0)
			fail_msg("%s was imported", bad[i].file);
		if (!strcmp(bad[i].file, "cycle.journal")) {
			if (!strstr(err.msg, "cycle.journal includes itself"))
				fail_msg("%s: \"%s\"", bad[i].file, err.msg);
			continue;
		}
		if (strncmp(err.msg, bad[i].want, strlen(bad[i].want)))
			fail_msg("%s: \"%s\" does not start \"%s\"", bad[i].file, err.msg,
				 bad[i].want);
	}
	assert_int_equal(count("SELECT count(*) FROM ledger.entries", NULL), entries);
	assert_int_equal(count("SELECT count(*) FROM ledger.accounts", NULL), accounts);
	assert_int_equal(count("SELECT count(*) FROM ledger.import_batches", NULL), batches);
	/* What the old importer refused or merged now reads right: symbols and
	 * codes around amounts, dates without leading zeros, full names that
	 * share their last part, a decimal comma declared. */
	{
		static const char good[] =
		    "P 2024-01-01 EUR $1.10\n"
		    "2024/1/5 x\n    Assets:US:ETrade:Cash  €10\n    Assets:US:Vanguard:Cash  -10 "
		    "EUR\n\n"
		    "2024-1-6 y\n    Expenses:Office Supplies  -$10.00\n    Assets:US:ETrade:Cash  "
		    "$ 10\n\n"
		    "decimal-mark ,\n2024-01-07 z\n    Assets:US:ETrade:Cash  1.000,50 USD\n"
		    "    Equity:Opening\n";

		if (bd_ledger_import_batch(acct1, "JBAD", BD_LEDGER_FORMAT_HLEDGER, good,
					   strlen(good), "good.journal", &opt, &r, &err) < 0)
			fail_msg("good.journal: %s", err.msg);
		assert_int_equal(r.entries, 3);
		assert_string_equal(r.total, "1021.50 USD");
		assert_int_equal(count("SELECT count(*) FROM ledger.accounts a JOIN core.clients c "
				       "USING (client_id) WHERE c.code = $1 AND a.full_name IN "
				       "('Assets:US:ETrade:Cash', 'Assets:US:Vanguard:Cash', "
				       "'Expenses:Office Supplies')",
				       "JBAD"),
				 3);
		assert_int_equal(
		    count("SELECT count(*) FROM ledger.import_lines WHERE currency = 'EUR' "
			  "AND abs(amount) = 1000 AND rate = 1.10 AND abs(base) = 1100",
			  NULL),
		    2);
	}
}

/* EUR 1,000 invoiced at 1.10 and paid at 1.15: the receivable is settled
 * in euros, 50.00 USD off in the base currency, which the month-end
 * revaluation books as an exchange gain; the trial balance balances. */
static void
test_exchange_difference(void **state)
{
	struct bd_db_result *res;
	char *id, *version;
	long long before;

	(void)state;
	new_client("JFX", "USD");
	assert_int_equal(cli("acct1", "account", "add", "JFX", "Assets:Receivable:EUR",
			     "--currency", "EUR", NULL),
			 0);
	assert_int_equal(
	    cli("acct1", "account", "add", "JFX", "Assets:Bank:EUR", "--currency", "eur", NULL), 0);
	assert_int_equal(cli("acct1", "account", "add", "JFX", "Income:Sales", NULL), 0);
	assert_int_equal(cli("acct1", "account", "add", "JFX", "Income:Exchange differences", NULL),
			 0);
	assert_int_equal(cli("acct1", "rate", "set", "JFX", "EUR", "2024-01-01", "1.10", NULL), 0);
	dbtest_write_file(path("rates.csv"),
			  "currency,date,rate\nEUR,2024-01-20,1.15\nGBP,2024-01-20,"
			  "1.27\n");
	assert_int_equal(cli("acct1", "rate", "import", "JFX", path("rates.csv"), NULL), 0);
	/* the invoice: the receivable in euros at the rate held for its date */
	res = dbtest_named(
	    acct1, "ledger.entry_create", 7,
	    (const char *const[]){"JFX", "SJ", "2024-01-10", "INV-1", "Invoice in euros",
				  "[{\"account\":\"Assets:Receivable:EUR\",\"currency\":\"EUR\","
				  "\"debit\":\"1000.00\"},"
				  "{\"account\":\"Income:Sales\",\"credit\":\"1100.00\"}]",
				  NULL});
	id = strdup(bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	dbtest_named_ok(acct1, "ledger.entry_submit", 3, (const char *const[]){"JFX", id, NULL});
	version = dbtest_text(
	    su, "SELECT version::text FROM ledger.entries WHERE entry_id = $1::bigint", id);
	dbtest_named_ok(acct2, "ledger.entry_approve", 3,
			(const char *const[]){"JFX", id, version});
	free(version);
	free(id);
	/* an account held in euros takes no dollars; an entry must balance in USD */
	dbtest_named_refused(
	    acct1, "ledger.entry_create", 7,
	    (const char *const[]){"JFX", "GJ", "2024-01-20", "", "Wrong currency",
				  "[{\"account\":\"Assets:Bank:EUR\",\"debit\":\"10.00\"},"
				  "{\"account\":\"Income:Sales\",\"credit\":\"10.00\"}]",
				  NULL});
	dbtest_named_refused(
	    acct1, "ledger.entry_create", 7,
	    (const char *const[]){"JFX", "GJ", "2024-01-20", "", "Off in USD",
				  "[{\"account\":\"Assets:Bank:EUR\",\"currency\":\"EUR\","
				  "\"debit\":\"1000.00\"},"
				  "{\"account\":\"Income:Sales\",\"credit\":\"1100.00\"}]",
				  NULL});
	/* the payment, at 1.15: both euro lines at that rate */
	res = dbtest_named(
	    acct1, "ledger.entry_create", 7,
	    (const char *const[]){"JFX", "CJ", "2024-01-25", "PAY-1", "Payment in euros",
				  "[{\"account\":\"Assets:Bank:EUR\",\"currency\":\"EUR\","
				  "\"debit\":\"1000.00\"},"
				  "{\"account\":\"Assets:Receivable:EUR\",\"currency\":\"EUR\","
				  "\"credit\":\"1000.00\",\"rate\":\"1.15\"}]",
				  NULL});
	id = strdup(bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	dbtest_named_ok(acct1, "ledger.entry_submit", 3, (const char *const[]){"JFX", id, NULL});
	version = dbtest_text(
	    su, "SELECT version::text FROM ledger.entries WHERE entry_id = $1::bigint", id);
	dbtest_named_ok(acct2, "ledger.entry_approve", 3,
			(const char *const[]){"JFX", id, version});
	free(version);
	free(id);
	/* the revaluation at the month end: the receivable, 0 EUR but -50 USD */
	before = count("SELECT count(*) FROM ledger.entries", NULL);
	assert_int_equal(cli("acct1", "revalue", "JFX", "2024-01-31", "--account",
			     "Income:Exchange differences", NULL),
			 0);
	assert_int_equal(count("SELECT count(*) FROM ledger.entries", NULL), before + 1);
	id = dbtest_text(su,
			 "SELECT entry_id::text FROM ledger.entries WHERE reference = "
			 "'REVAL 2024-01-31' AND status = 'submitted'",
			 NULL);
	version = dbtest_text(
	    su, "SELECT version::text FROM ledger.entries WHERE entry_id = $1::bigint", id);
	dbtest_named_ok(acct2, "ledger.entry_approve", 3,
			(const char *const[]){"JFX", id, version});
	free(version);
	free(id);
	{
		char *tb = dbtest_text(
		    su,
		    "SELECT string_agg(account || ' ' || currency || ' ' || balance || ' ' || "
		    "base, "
		    "', ' ORDER BY account, currency) FROM (SELECT a.full_name AS account, "
		    "CASE WHEN l.currency IS NULL OR l.amount = 0 THEN 'USD' ELSE l.currency END "
		    "AS currency, sum(CASE WHEN l.currency IS NULL OR l.amount = 0 THEN l.debit - "
		    "l.credit ELSE l.amount END) AS balance, sum(l.debit - l.credit) AS base FROM "
		    "ledger.lines l JOIN ledger.accounts a USING (client_id, account_id) JOIN "
		    "core.clients c USING (client_id) WHERE c.code = $1 GROUP BY 1, 2) x",
		    "JFX");

		/* the receivable: 0 EUR that were 50.00 USD short, and the
		 * revaluation's 50.00 USD: nothing left of it in the base */
		assert_string_equal(tb,
				    "Assets:Bank:EUR EUR 1000.00 1150.00, Assets:Receivable:EUR "
				    "EUR 0.00 -50.00, Assets:Receivable:EUR USD 50.00 50.00, "
				    "Income:Exchange differences USD -50.00 -50.00, Income:Sales "
				    "USD -1100.00 -1100.00");
		free(tb);
	}
	/* the trial balance in the base currency balances */
	res = dbtest_named(acct1, "ledger.report_trial_balance", 2,
			   (const char *const[]){"JFX", "2024-12-31"});
	assert_string_equal(bd_db_result_get(res, bd_db_result_rows(res) - 1, 0), "TOTAL");
	assert_string_equal(bd_db_result_get(res, bd_db_result_rows(res) - 1, 3),
			    bd_db_result_get(res, bd_db_result_rows(res) - 1, 4));
	assert_string_equal(bd_db_result_get(res, bd_db_result_rows(res) - 1, 3), "1150.00");
	bd_db_result_free(res);
	/* nothing left to revalue */
	res =
	    dbtest_named(acct1, "ledger.revalue", 3,
			 (const char *const[]){"JFX", "2024-01-31", "Income:Exchange differences"});
	assert_true(bd_db_result_isnull(res, 0, 0));
	bd_db_result_free(res);
	/* the base currency cannot change under entries */
	assert_int_equal(cli("acct1", "currency", "JFX", "EUR", NULL), 1);
}

/* The posting interface takes a line in another currency and a full
 * account name, and is idempotent on them: the same source again is the
 * same entry, other content for it is refused. */
static void
test_posting_interface_in_currency(void **state)
{
	static const char lines[] = "[{\"account\":\"Assets:Bank:EUR\",\"currency\":\"EUR\","
				    "\"debit\":\"200.00\",\"rate\":\"1.2\"},"
				    "{\"account\":\"Income:Sales\",\"credit\":\"240.00\"}]";
	static const char other[] = "[{\"account\":\"Assets:Bank:EUR\",\"currency\":\"EUR\","
				    "\"debit\":\"201.00\",\"rate\":\"1.2\"},"
				    "{\"account\":\"Income:Sales\",\"credit\":\"241.20\"}]";
	static const char both_eur[] = "[{\"account\":\"Assets:Bank:EUR\",\"currency\":\"EUR\","
				       "\"debit\":\"200.00\",\"rate\":\"1.2\"},"
				       "{\"account\":\"Income:Sales\",\"currency\":\"EUR\","
				       "\"credit\":\"200.00\",\"rate\":\"1.2\"}]";
	static const char both_eur_other_rate[] =
	    "[{\"account\":\"Assets:Bank:EUR\",\"currency\":\"EUR\","
	    "\"debit\":\"200.00\",\"rate\":\"1.3\"},"
	    "{\"account\":\"Income:Sales\",\"currency\":\"EUR\","
	    "\"credit\":\"200.00\",\"rate\":\"1.3\"}]";
	static const char both_eur_no_rate[] =
	    "[{\"account\":\"Assets:Bank:EUR\",\"currency\":\"EUR\",\"debit\":\"200.00\"},"
	    "{\"account\":\"Income:Sales\",\"currency\":\"EUR\",\"credit\":\"200.00\"}]";
	struct bd_db_result *a, *b, *c, *d;

	(void)state;
	dbtest_exec(su,
		    "CREATE SCHEMA testj AUTHORIZATION bd_owner; GRANT USAGE ON SCHEMA testj "
		    "TO bd_accountant; CREATE FUNCTION testj.approve_doc(p_doc text, p_lines "
		    "jsonb) RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = "
		    "pg_catalog, pg_temp AS $$ SELECT ledger.post_from_source('JFX', "
		    "'testj.doc', p_doc, '2024-02-10', 'Document ' || p_doc, p_lines, 'acct1') "
		    "$$; ALTER FUNCTION testj.approve_doc(text, jsonb) OWNER TO bd_owner; GRANT "
		    "EXECUTE ON FUNCTION testj.approve_doc(text, jsonb) TO bd_accountant");
	a = dbtest_query(acct2, "SELECT testj.approve_doc('D-1', $1::jsonb)", 1,
			 (const char *const[]){lines}, NULL);
	b = dbtest_query(acct2, "SELECT testj.approve_doc('D-1', $1::jsonb)", 1,
			 (const char *const[]){lines}, NULL);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(bd_db_result_get(a, 0, 0), bd_db_result_get(b, 0, 0));
	assert_int_equal(
	    count("SELECT count(*) FROM ledger.lines WHERE entry_id = $1::bigint AND "
		  "(currency = 'EUR' AND amount = 200 AND debit = 240 OR credit = 240)",
		  bd_db_result_get(a, 0, 0)),
	    2);
	assert_true(dbtest_fails(acct2, "SELECT testj.approve_doc('D-1', $1::jsonb)", 1,
				 (const char *const[]){other}, NULL));
	/* The same amounts at another rate are another entry in base currency:
	 * refused, not answered with the first one. Without a rate the repeat
	 * stands for the rate the first posting took. */
	c = dbtest_query(acct2, "SELECT testj.approve_doc('D-2', $1::jsonb)", 1,
			 (const char *const[]){both_eur}, NULL);
	assert_non_null(c);
	assert_true(dbtest_fails(acct2, "SELECT testj.approve_doc('D-2', $1::jsonb)", 1,
				 (const char *const[]){both_eur_other_rate}, NULL));
	d = dbtest_query(acct2, "SELECT testj.approve_doc('D-2', $1::jsonb)", 1,
			 (const char *const[]){both_eur_no_rate}, NULL);
	assert_non_null(d);
	assert_string_equal(bd_db_result_get(c, 0, 0), bd_db_result_get(d, 0, 0));
	bd_db_result_free(c);
	bd_db_result_free(d);
	bd_db_result_free(a);
	bd_db_result_free(b);
}

/* 1,000 transactions: one batch, one approval, numbered without gaps, the
 * balance rows equal to the lines; a rejection needs a reason and takes the
 * entries away. */
static void
test_thousand_in_one_batch(void **state)
{
	struct strbuf text = STRBUF_INIT;
	struct bd_ledger_import_options opt = {.create_accounts = true};
	struct bd_ledger_import_result r;
	struct bd_err err = BD_ERR_INIT;
	struct timespec t0, t1;
	char id[32], id2[32], version[32], idv[64];
	int i;

	(void)state;
	new_client("JK", "USD");
	for (i = 0; i < 1000; i++)
		strbuf_addf(&text,
			    "2024-%02d-%02d Sale %d\n    Assets:Bank  $%d.%02d\n"
			    "    Income:Sales:Region %d\n\n",
			    1 + i % 12, 1 + i % 28, i, 100 + i, i % 100, i % 7);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (bd_ledger_import_batch(acct1, "JK", BD_LEDGER_FORMAT_HLEDGER, text.buf, text.len,
				   "k.journal", &opt, &r, &err) < 0)
		fail_msg("k.journal: %s", err.msg);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("1,000 transactions imported in %.3f s\n",
		      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	assert_int_equal(r.entries, 1000);
	assert_int_equal(r.lines, 2000);
	assert_string_equal(r.total, "599995.00 USD");
	snprintf(id, sizeof(id), "%lld", r.batch_id);
	snprintf(version, sizeof(version), "%lld", r.version);
	/* Staged, not in the books: no entry yet, its 2,000 lines waiting. No
	 * operator reads the staged lines (the approver sees the batch's totals
	 * through ledger.import_totals), nor changes or deletes them; a row
	 * anyone writes later under the batch's number (the maker too) is not
	 * the batch's: only those its import's transaction wrote are read. */
	assert_int_equal(count("SELECT count(*) FROM ledger.entries e JOIN core.clients c USING "
			       "(client_id) WHERE c.code = $1",
			       "JK"),
			 0);
	assert_int_equal(count("SELECT count(*) FROM ledger.import_lines WHERE batch_id = "
			       "$1::bigint",
			       id),
			 2000);
	assert_true(dbtest_fails(acct2, "SELECT count(*) FROM ledger.import_lines", 0, NULL, NULL));
	assert_true(dbtest_fails(acct2, "DELETE FROM ledger.import_lines", 0, NULL, NULL));
	assert_true(dbtest_fails(acct1, "UPDATE ledger.import_lines SET base = 0", 0, NULL, NULL));
	{
		struct bd_db *who[] = {acct1, acct2};

		for (size_t w = 0; w < 2; w++)
			assert_int_equal(
			    dbtest_scalar(
				who[w],
				"WITH x AS (INSERT INTO ledger.import_lines (batch_id, n, "
				"line_no, account_id, base, file_no, src_line) SELECT "
				"$1::bigint, 1, 3, account_id, 1, 0, 0 FROM ledger.accounts "
				"LIMIT 1 RETURNING 1) SELECT count(*) FROM x",
				1, (const char *const[]){id}),
			    1);
	}
	assert_int_equal(count("SELECT count(*) FROM ledger.import_lines WHERE batch_id = "
			       "$1::bigint",
			       id),
			 2002);
	{
		struct bd_db_result *tot =
		    dbtest_named(acct2, "ledger.import_totals", 2, (const char *const[]){"JK", id});
		int k, lines = 0;

		for (k = 0; k < bd_db_result_rows(tot); k++)
			lines += atoi(dbtest_col(tot, k, "lines"));
		assert_int_equal(lines, 2000);
		bd_db_result_free(tot);
	}
	/* its periods do not close while it waits */
	dbtest_named_refused(acct2, "ledger.period_close", 3,
			     (const char *const[]){"JK", "2024", "1"});
	/* a rejection needs a reason; the maker may withdraw without one */
	dbtest_named_refused(acct2, "ledger.import_reject", 4,
			     (const char *const[]){"JK", id, version, ""});
	dbtest_named_ok(acct2, "ledger.import_reject", 4,
			(const char *const[]){"JK", id, version, "wrong year"});
	assert_int_equal(count("SELECT count(*) FROM ledger.entries e JOIN core.clients c USING "
			       "(client_id) WHERE c.code = $1",
			       "JK"),
			 0);
	assert_int_equal(count("SELECT count(*) FROM ledger.import_batches WHERE reason = 'wrong "
			       "year' AND status = 'rejected'",
			       NULL),
			 1);
	assert_int_equal(count("SELECT count(*) FROM ledger.import_lines WHERE batch_id = "
			       "$1::bigint",
			       id),
			 0);
	/* again, and approved once */
	if (bd_ledger_import_batch(acct1, "JK", BD_LEDGER_FORMAT_HLEDGER, text.buf, text.len,
				   "k.journal", &opt, &r, &err) < 0)
		fail_msg("k.journal: %s", err.msg);
	snprintf(idv, sizeof(idv), "%lld:%lld", r.batch_id, r.version);
	/* The approval checks again what may have changed since: an account
	 * made inactive while the batch waits stops it, and nothing is posted. */
	{
		char *code =
		    dbtest_text(su,
				"SELECT a.code FROM ledger.accounts a JOIN core.clients c "
				"USING (client_id) WHERE c.code = 'JK' AND a.full_name = $1",
				"Assets:Bank");

		dbtest_named_ok(acct1, "ledger.account_set_active", 3,
				(const char *const[]){"JK", code, "false"});
		assert_int_equal(cli("acct2", "approve-import", "JK", idv, NULL), 1);
		assert_int_equal(count("SELECT count(*) FROM ledger.entries e JOIN core.clients c "
				       "USING (client_id) WHERE c.code = $1",
				       "JK"),
				 0);
		dbtest_named_ok(acct1, "ledger.account_set_active", 3,
				(const char *const[]){"JK", code, "true"});
		free(code);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(cli("acct2", "approve-import", "JK", idv, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("1,000 entries approved in %.3f s\n",
		      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	/* gapless numbers 1..1000 in date order, approver set */
	assert_int_equal(count("SELECT count(DISTINCT entry_no) FILTER (WHERE approver = 'acct2') "
			       "+ max(entry_no) * 10000 + min(entry_no) * 100000000 FROM "
			       "ledger.entries e JOIN core.clients c USING (client_id) WHERE "
			       "c.code = $1",
			       "JK"),
			 1000 + 1000LL * 10000 + 100000000LL);
	assert_int_equal(count("SELECT count(*) FROM (SELECT entry_no, entry_date, lag(entry_date) "
			       "OVER (ORDER BY entry_no) AS before FROM ledger.entries e JOIN "
			       "core.clients c USING (client_id) WHERE c.code = $1) x WHERE "
			       "before > entry_date",
			       "JK"),
			 0);
	/* the balance rows hold exactly the lines */
	assert_int_equal(
	    count("WITH c AS (SELECT client_id FROM core.clients WHERE code = $1) "
		  "SELECT count(*) FROM (SELECT account_id, sum(debit) d, sum(credit) "
		  "cr FROM ledger.lines JOIN c USING (client_id) GROUP BY 1) l FULL "
		  "JOIN (SELECT account_id, sum(debit) d, sum(credit) cr FROM "
		  "ledger.balances JOIN c USING (client_id) WHERE grain = 'y' GROUP BY "
		  "1) b USING (account_id) WHERE l.d IS DISTINCT FROM b.d OR l.cr IS "
		  "DISTINCT FROM b.cr",
		  "JK"),
	    0);
	/* posted: the staged lines are gone, the batch's totals from the books */
	snprintf(id2, sizeof(id2), "%lld", r.batch_id);
	assert_int_equal(count("SELECT count(*) FROM ledger.import_lines WHERE batch_id = "
			       "$1::bigint",
			       id2),
			 0);
	{
		struct bd_db_result *tot = dbtest_named(acct2, "ledger.import_totals", 2,
							(const char *const[]){"JK", id2});
		int k, lines = 0;

		for (k = 0; k < bd_db_result_rows(tot); k++)
			lines += atoi(dbtest_col(tot, k, "lines"));
		assert_int_equal(lines, 2000);
		bd_db_result_free(tot);
	}
	/* a posted batch is not decided again, nor are its entries one by one */
	dbtest_named_refused(acct2, "ledger.import_approve", 3,
			     (const char *const[]){"JK", id, version});
	strbuf_release(&text);
}

/* `file` imported into a new client (base currency `base`, EUR at 1.10)
 * and approved: the trial balance by currency is hledger's reading of it;
 * the trial balance's lines in `ours`. */
static void
agrees_with_hledger(const char *client, const char *base, const char *file, struct strbuf *ours)
{
	struct strbuf theirs = STRBUF_INIT;
	char *batch;

	new_client(client, base);
	if (strcmp(base, "EUR"))
		assert_int_equal(
		    cli("acct1", "rate", "set", client, "EUR", "2024-01-01", "1.10", NULL), 0);
	assert_int_equal(cli("acct1", "import", client, fixture(file), "--create-accounts", NULL),
			 0);
	batch = waiting_batch(client);
	assert_int_equal(cli("acct2", "approve-import", client, batch, NULL), 0);
	free(batch);
	our_tb(client, ours);
	hledger_tb(fixture(file), false, &theirs);
	assert_string_equal(ours->buf, theirs.buf);
	strbuf_release(&theirs);
}

/* Books in a currency ISO 4217 has withdrawn (the kuna, until 2023) are
 * still money: imported at the P directive's rate, hledger's balances. */
static void
test_withdrawn_currency(void **state)
{
	struct strbuf ours = STRBUF_INIT;

	(void)state;
	agrees_with_hledger("JHRK", "EUR", "withdrawn_currency.journal", &ours);
	assert_non_null(strstr(ours.buf, "Assets:Bank:Zagreb|HRK|8996;"));
	strbuf_release(&ours);
}

/* Zero without a currency in assertions and assignments, as hledger reads
 * it: "==* 0" empties every currency (a line each), "= 0" where only euros
 * are posts nothing; "= 0" on the base currency is ambiguous, refused (in
 * test_refusals_name_file_and_line). */
static void
test_zero_without_currency(void **state)
{
	struct strbuf ours = STRBUF_INIT;

	(void)state;
	agrees_with_hledger("JZERO", "USD", "assign_zero.journal", &ours);
	assert_non_null(strstr(ours.buf, "Assets:Bank|EUR|-5;"));
	assert_non_null(strstr(ours.buf, "Assets:Bank|USD|-5;"));
	assert_non_null(strstr(ours.buf, "Assets:Cash|EUR|3;"));
	strbuf_release(&ours);
}

/* ledger.import_submit is the guard, whatever the importer sent: rows
 * staged by hand (no parser) in one transaction with the batch, submitted;
 * NULL when accepted, else the refusal (malloc'd). Either way the
 * transaction keeps nothing. Every row is "n, line_no, date, journal,
 * reference, description, entry_line, account_id, base, src_line". */
static char *
submit_staged(const char *rows)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	struct strbuf sql = STRBUF_INIT;
	char *batch, *msg = NULL;

	assert_int_equal(bd_db_begin(acct1, &err), 0);
	res = dbtest_named(acct1, "ledger.import_begin", 3,
			   (const char *const[]){"JS", "x.journal", "[\"x.journal\"]"});
	batch = strdup(bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	strbuf_addf(&sql,
		    "INSERT INTO ledger.import_lines (batch_id, n, line_no, entry_date, journal, "
		    "reference, description, entry_line, account_id, base, file_no, src_line) "
		    "SELECT $1::bigint, v.n, v.l, v.d::date, v.j, v.r, v.t, v.e, v.a, v.b, 1, v.s "
		    "FROM (VALUES %s) v(n, l, d, j, r, t, e, a, b, s)",
		    rows);
	assert_false(dbtest_fails(acct1, sql.buf, 1, (const char *const[]){batch}, &err));
	if (dbtest_fails(acct1, "SELECT * FROM ledger.import_submit('JS', $1::bigint)", 1,
			 (const char *const[]){batch}, &err))
		msg = strdup(*err.detail ? err.detail : err.msg);
	bd_db_rollback(acct1);
	assert_int_equal(
	    count("SELECT count(*) FROM ledger.import_lines WHERE batch_id = $1::bigint", batch),
	    0);
	free(batch);
	strbuf_release(&sql);
	return msg;
}

static void
expect_refusal(const char *rows, const char *want)
{
	char *msg = submit_staged(rows);

	if (!msg || !strstr(msg, want))
		fail_msg("expected \"%s\", got \"%s\"", want, msg ? msg : "(accepted)");
	free(msg);
}

static void
test_submit_guards_staged_lines(void **state)
{
	struct bd_ledger_import_options opt = {.create_accounts = true};
	struct bd_ledger_import_result r;
	struct bd_err err = BD_ERR_INIT;
	const char *chart = "2024-01-05 Opening\n    Assets:Bank  $10.00\n    Income:Sales\n";
	char good[256], rows[1024], *bank, *sales, *other, *msg;

	(void)state;
	new_client("JS", "USD");
	if (bd_ledger_import_batch(acct1, "JS", BD_LEDGER_FORMAT_HLEDGER, chart, strlen(chart),
				   "chart.journal", &opt, &r, &err) < 0)
		fail_msg("chart.journal: %s", err.msg);
	bank = dbtest_text(su,
			   "SELECT a.account_id::text FROM ledger.accounts a JOIN core.clients c "
			   "USING (client_id) WHERE c.code = 'JS' AND a.full_name = $1",
			   "Assets:Bank");
	sales = dbtest_text(su,
			    "SELECT a.account_id::text FROM ledger.accounts a JOIN core.clients c "
			    "USING (client_id) WHERE c.code = 'JS' AND a.full_name = $1",
			    "Income:Sales");
	other =
	    dbtest_text(su,
			"SELECT min(a.account_id)::text FROM ledger.accounts a JOIN core.clients c "
			"USING (client_id) WHERE c.code <> $1",
			"JS");
	assert_int_equal(cli("acct1", "period", "close", "JS", "2024", "3", NULL), 0);
	/* a good entry first (lines 1-3 of x.journal), then the one under test
	 * (from line 10) */
	snprintf(good, sizeof(good),
		 "(1, 1, '2024-01-05', 'GJ', 'r1', 'good', 1, %s, 100, 2), "
		 "(1, 2, NULL, NULL, NULL, NULL, NULL, %s, -100, 3)",
		 bank, sales);
	msg = submit_staged(good);
	assert_null(msg);
#define SECOND(date, desc, acct_a, base_a, line_b, acct_b, base_b)                                 \
	snprintf(rows, sizeof(rows),                                                               \
		 "%s, (2, 1, '" date "', 'GJ', 'r2', " desc ", 10, %s, " base_a ", 11), "          \
		 "(2, " line_b ", NULL, NULL, NULL, NULL, NULL, %s, " base_b ", 12)",              \
		 good, acct_a, acct_b)
	SECOND("2024-02-05", "'x'", bank, "100", "2", sales, "-90");
	expect_refusal(rows, "x.journal:10: the entry does not balance in USD: debits 1.00, "
			     "credits 0.90");
	SECOND("2023-06-01", "'x'", bank, "100", "2", sales, "-100");
	expect_refusal(rows, "x.journal:10: no fiscal period covers 2023-06-01");
	SECOND("2024-03-10", "'x'", bank, "100", "2", sales, "-100");
	expect_refusal(rows, "x.journal:10: the period of 2024-03-10 is closed");
	SECOND("2024-02-05", "E'a\\x01b'", bank, "100", "2", sales, "-100");
	expect_refusal(rows, "x.journal:11: the reference is at most 40 and the description 200 "
			     "printable characters");
	SECOND("2024-02-05", "'x'", bank, "100", "2", other, "-100");
	expect_refusal(rows, "x.journal:12: no account");
	SECOND("2024-02-05", "'x'", bank, "100", "3", sales, "-100");
	expect_refusal(rows, "x.journal:10: the entry's lines are not numbered 1 to its last");
	SECOND("2024-02-05", "'x'", bank, "0", "2", sales, "0");
	expect_refusal(rows, "x.journal:11: the amount of Assets:Bank in USD is nothing");
#undef SECOND
	free(bank);
	free(sales);
	free(other);
}

/* The chart and the calendar from the command line. */
static void
test_chart_and_calendar_commands(void **state)
{
	static const char *const verbs[] = {
	    "report",	     "export",	 "import",  "imports", "approve-import",
	    "reject-import", "pending",	 "approve", "account", "year",
	    "period",	     "currency", "rate",    "revalue"};
	size_t i;

	(void)state;
	/* every verb's --help says what it does */
	for (i = 0; i < sizeof(verbs) / sizeof(*verbs); i++) {
		char want[32];

		assert_int_equal(cli("acct1", verbs[i], "--help", NULL), 0);
		snprintf(want, sizeof(want), "\n%s:\n  ", verbs[i]);
		if (!strstr(bd_ledger_cli_details, want))
			fail_msg("the help does not say what %s does", verbs[i]);
	}
	dbtest_exec(su, "SELECT core.client_add('JCAL', 'Calendar'); SELECT core.assign('acct1', "
			"'JCAL'); SELECT core.assign('super1', 'JCAL')");
	assert_int_equal(
	    cli("acct1", "year", "open", "JCAL", "2024", "--start", "2024-04-01", NULL), 0);
	assert_int_equal(cli("acct1", "year", "open", "JCAL", "2024", NULL), 1); /* again */
	assert_int_equal(count("SELECT count(*) FROM ledger.periods p JOIN core.clients c USING "
			       "(client_id) WHERE c.code = $1 AND p.start_date >= '2024-04-01' AND "
			       "p.end_date <= '2025-03-31'",
			       "JCAL"),
			 12);
	assert_int_equal(cli("acct1", "period", "close", "JCAL", "2024", "1", NULL), 0);
	assert_int_equal(cli("acct1", "period", "reopen", "JCAL", "2024", "1", NULL), 1);
	assert_int_equal(cli("super1", "period", "reopen", "JCAL", "2024", "1", NULL), 0);
	assert_int_equal(cli("super1", "period", "lock", "JCAL", "2024", "2", NULL), 0);
	assert_int_equal(cli("super1", "period", "reopen", "JCAL", "2024", "2", NULL), 1);
	assert_int_equal(
	    count("SELECT (string_agg(p.state, ',' ORDER BY p.period_no) = "
		  "'open,locked')::int FROM ledger.periods p JOIN core.clients c USING "
		  "(client_id) WHERE c.code = $1 AND p.period_no <= 2",
		  "JCAL"),
	    1);
	dbtest_write_file(path("chart.csv"), "name,type,currency\nAssets:Bank:Main,,\n"
					     "Assets:Bank:EUR,asset,EUR\nSales,income,\n");
	assert_int_equal(cli("acct1", "account", "import", "JCAL", path("chart.csv"), NULL), 0);
	dbtest_write_file(path("chart2.csv"), "name,type\nAssets:Other,\nMisc,\n");
	assert_int_equal(cli("acct1", "account", "import", "JCAL", path("chart2.csv"), NULL), 1);
	assert_int_equal(cli("acct1", "account", "add", "JCAL", "Assets:Bank:Main", NULL), 1);
	assert_int_equal(cli("acct1", "account", "add", "JCAL", "Liabilities:Loans:Bank", NULL), 0);
	/* names a journal cannot give back as they are: refused, as the importer
	 * refuses them (the export of one was not read back) */
	assert_int_equal(cli("acct1", "account", "add", "JCAL", "Expenses:Food;Drink", NULL), 1);
	assert_int_equal(cli("acct1", "account", "add", "JCAL", "Expenses:Two  spaces", NULL), 1);
	assert_int_equal(cli("acct1", "account", "add", "JCAL", "(Assets:Virtual)", NULL), 1);
	assert_int_equal(cli("acct1", "account", "list", "JCAL", NULL), 0);
	assert_int_equal(count("SELECT (string_agg(a.full_name || '=' || a.type || coalesce('/' || "
			       "a.currency, ''), ',' ORDER BY a.full_name) = 'Assets=asset,"
			       "Assets:Bank=asset,Assets:Bank:EUR=asset/EUR,Assets:Bank:Main=asset,"
			       "Liabilities=liability,Liabilities:Loans=liability,"
			       "Liabilities:Loans:Bank=liability,Sales=income')::int FROM "
			       "ledger.accounts a JOIN core.clients c USING (client_id) WHERE "
			       "c.code = $1",
			       "JCAL"),
			 1);
	/* a chart alone, as account directives, adds its accounts */
	dbtest_write_file(path("chart.journal"), "account Aktiva:Bank  ; type:A\n"
						 "account Passiva       ; type:L\n");
	assert_int_equal(
	    cli("acct1", "import", "JCAL", path("chart.journal"), "--create-accounts", NULL), 0);
	assert_int_equal(count("SELECT count(*) FROM ledger.accounts a JOIN core.clients c USING "
			       "(client_id) WHERE c.code = $1 AND full_name IN ('Aktiva', "
			       "'Aktiva:Bank', 'Passiva')",
			       "JCAL"),
			 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_syntax_agrees_with_hledger),
	    cmocka_unit_test(test_refusals_name_file_and_line),
	    cmocka_unit_test(test_exchange_difference),
	    cmocka_unit_test(test_posting_interface_in_currency),
	    cmocka_unit_test(test_thousand_in_one_batch),
	    cmocka_unit_test(test_withdrawn_currency),
	    cmocka_unit_test(test_zero_without_currency),
	    cmocka_unit_test(test_submit_guards_staged_lines),
	    cmocka_unit_test(test_chart_and_calendar_commands),
	};
	char template[] = "/tmp/bdjournal-XXXXXX";
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
