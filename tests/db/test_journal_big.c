/*
 * A migration's worth of books (issue 19): 100,000 transactions imported as
 * one batch, approved once by a second accountant, and the trial balance
 * then equal, account by account, to what the real hledger makes of the
 * same journal. Times are printed, never asserted (make check does not
 * depend on the machine's speed).
 */
#include "dbtest.h"

#include "backdesk/ledger.h"
#include "backdesk/strbuf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

enum { TRANSACTIONS = 100000, ACCOUNTS = 200 };

static struct dbtest t;
static struct bd_db *su, *acct1, *acct2;
static char dir[64];

static double
since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* "name" of account i: a tree of five types, ten groups each. */
static void
account(struct strbuf *out, unsigned i)
{
	static const char *const top[] = {"Assets", "Liabilities", "Equity", "Income", "Expenses"};

	strbuf_addf(out, "%s:Group %u:Account %u", top[i % 5], (i / 5) % 10, i);
}

static void
test_hundred_thousand_in_one_batch(void **state)
{
	struct strbuf text = STRBUF_INIT, ours = STRBUF_INIT, theirs = STRBUF_INIT,
		      cmd = STRBUF_INIT, file = STRBUF_INIT;
	struct bd_ledger_import_options opt = {.create_accounts = true};
	struct bd_ledger_import_result r;
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	struct timespec t0;
	uint64_t seed = 42;
	char line[1024], id[32], version[32];
	FILE *f;
	int i;

	(void)state;
	dbtest_exec(su,
		    "SELECT core.client_add('BIG', 'Big books'); SELECT core.assign('acct1', "
		    "'BIG'); SELECT core.assign('acct2', 'BIG'); SET SESSION AUTHORIZATION acct1; "
		    "SELECT ledger.fiscal_year_open('BIG', 2024, '2024-01-01'); "
		    "RESET SESSION AUTHORIZATION");
	for (i = 0; i < TRANSACTIONS; i++) {
		unsigned a, b;
		uint64_t cents;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		a = (unsigned)(seed >> 33) % ACCOUNTS;
		b = (a + 1 + (unsigned)(seed >> 45) % (ACCOUNTS - 1)) % ACCOUNTS;
		cents = 1 + (seed >> 20) % 1000000;
		strbuf_addf(&text, "2024/%d/%d Transaction %d\n    ", 1 + i % 12, 1 + i % 28, i);
		account(&text, a);
		strbuf_addf(&text, "  $%llu.%02llu\n    ", (unsigned long long)(cents / 100),
			    (unsigned long long)(cents % 100));
		account(&text, b);
		strbuf_addstr(&text, "\n\n");
	}
	strbuf_addf(&file, "%s/big.journal", dir);
	f = fopen(file.buf, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text.buf, 1, text.len, f), text.len);
	fclose(f);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (bd_ledger_import_batch(acct1, "BIG", BD_LEDGER_FORMAT_HLEDGER, text.buf, text.len,
				   "big.journal", &opt, &r, &err) < 0)
		fail_msg("big.journal: %s", err.msg);
	print_message("%d transactions (%zu bytes) imported as one batch in %.2f s\n", TRANSACTIONS,
		      text.len, since(&t0));
	assert_int_equal(r.entries, TRANSACTIONS);
	assert_int_equal(r.lines, 2 * TRANSACTIONS);
	snprintf(id, sizeof(id), "%lld", r.batch_id);
	snprintf(version, sizeof(version), "%lld", r.version);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	res = dbtest_named(acct2, "ledger.import_approve", 3,
			   (const char *const[]){"BIG", id, version});
	print_message("approved once in %.2f s: %s\n", since(&t0), bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);

	/* Backdesk's trial balance (the report's, from the balance rows) */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	res = dbtest_named(acct1, "ledger.report_trial_balance", 2,
			   (const char *const[]){"BIG", "2024-12-31"});
	print_message("trial balance in %.3f s\n", since(&t0));
	{
		struct bd_db_result *names =
		    dbtest_named(acct1, "ledger.account_names", 1, (const char *const[]){"BIG"});
		int k, n;

		for (k = 0; k < bd_db_result_rows(res); k++) {
			const char *code = bd_db_result_get(res, k, 0);
			const char *name = NULL, *debit = bd_db_result_get(res, k, 3);

			if (!strcmp(code, "TOTAL")) {
				assert_string_equal(debit, bd_db_result_get(res, k, 4));
				continue;
			}
			for (n = 0; n < bd_db_result_rows(names) && !name; n++)
				if (!strcmp(bd_db_result_get(names, n, 3), code))
					name = bd_db_result_get(names, n, 0);
			assert_non_null(name);
			if (strcmp(debit, "0.00"))
				strbuf_addf(&ours, "%s=%s;", name, debit);
			else
				strbuf_addf(&ours, "%s=-%s;", name, bd_db_result_get(res, k, 4));
		}
		bd_db_result_free(names);
	}
	bd_db_result_free(res);
	dbtest_sort_items(&ours);

	/* hledger's, of the same file */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	strbuf_addf(&cmd, "hledger -f '%s' balance --flat --no-total --layout=bare -O csv",
		    file.buf);
	f = popen(cmd.buf, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char acc[256], com[16], bal[64];

		if (sscanf(line, "\"%255[^\"]\",\"%15[^\"]\",\"%63[^\"]\"", acc, com, bal) == 3 &&
		    strcmp(acc, "account"))
			strbuf_addf(&theirs, "%s=%s;", acc, bal);
	}
	assert_int_equal(pclose(f), 0);
	print_message("hledger balance of the same journal in %.2f s\n", since(&t0));
	dbtest_sort_items(&theirs);
	assert_true(ours.len > 1000);
	assert_string_equal(ours.buf, theirs.buf);
	strbuf_release(&file);
	strbuf_release(&cmd);
	strbuf_release(&theirs);
	strbuf_release(&ours);
	strbuf_release(&text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hundred_thousand_in_one_batch),
	};
	char template[] = "/tmp/bdjournalbig-XXXXXX";
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
