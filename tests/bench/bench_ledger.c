/*
 * General ledger benchmark (issue 6), every figure a ratio against a
 * reference measured in the same run on the same cluster:
 *
 * 1. Trial balance as of random dates over BENCH_LEDGER_LINES (10 million)
 *    posted lines across 500 accounts, through the named query the screen
 *    and `backdesk ledger report` run (ledger.report_trial_balance, as an
 *    accountant, row security on), against a plain GROUP BY over the lines
 *    (as the superuser, no row security) in the same database; also the
 *    server's CPU time per trial balance (/proc), which unlike the wall
 *    time does not grow with the load of a shared machine.
 * 2. The same kind of books at BENCH_JOURNAL_TXNS (one million) transactions
 *    of two postings, written as journal text in bd_ledger_export()'s
 *    format and read by `ledger balance` and `hledger balance`: wall time
 *    and peak memory (getrusage of the child) against Backdesk's trial
 *    balance of the same books.
 *    Then the import of that journal (the real importer, one batch, its
 *    accounts created from the journal, staged and checked, waiting for
 *    approval) against psql's \copy of the same lines into a table of the
 *    lines' columns and against `hledger balance` of the same file (issue
 *    19: at least 0.5x \copy, faster than hledger). Then, timed apart (no
 *    goal), its approval by a second accountant, which writes the entries
 *    and lines into the books, against an INSERT of the same entries and
 *    lines, server-side, into tables with the indexes and foreign keys of
 *    ledger.entries and ledger.lines (PostgreSQL checks foreign keys row by
 *    row), and into tables with those indexes and no foreign key.
 * 3. Posting a balanced four-line entry whose every instance touches the
 *    same control account, through the real path (entry_create and
 *    entry_submit by the maker, entry_approve by a second accountant), at
 *    1, 8 and 32 concurrent sessions, against the very same path with the
 *    balance upkeep trigger (ledger.entries_b_balances) disabled; run in
 *    halves, with, without, without, with, so load drift hits both alike.
 *
 * The bulk books are loaded in SQL as the superuser with triggers off
 * (session_replication_role = replica): entries already posted, numbered
 * per journal and year without gaps, their lines, and ledger.balances
 * rebuilt from the lines exactly as the posting trigger would have written
 * them once folded into stripe 0 by ledger.balances_compact(). The benchmark
 * checks that, and at the end that every balance still equals the sum of
 * the posted lines and that numbers have no gaps.
 *
 *   BENCH_SCALE=small   quick values (200k lines, 20k transactions, 4 s)
 *   BENCH_LEDGER_LINES, BENCH_JOURNAL_TXNS, BENCH_POST_SECONDS,
 *   BENCH_TB_DATES      override one value
 */
#include "bench_common.h"
#include "backdesk/ledger.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

enum { ACCOUNTS = 500, MAX_SESSIONS = 32, TB_RUNS = 5 };

/* The books span four calendar (= fiscal) years; postings go to 2026. */
static const char BOOKS_START[] = "2022-01-01";
enum { BOOKS_DAYS = 1461 };
static const char POST_DATE[] = "2026-06-15";

/* Client LEDG: the big books and the posting benchmark. LEDJ: the books
 * exported for ledger and hledger. Operators lb01..lb64 are accountants of
 * both: lb01..lb32 make entries, lb33..lb64 approve them. */
static void
setup(void)
{
	struct bd_db *super = bench_connect(NULL, NULL);

	if (bench_scalar(super, "SELECT count(*) FROM core.clients WHERE code = 'LEDG'", 0, NULL))
		bench_die(
		    "this cluster already holds the ledger benchmark's books; use a fresh one");
	bench_log("setting up clients, 500 accounts, fiscal years 2022-2026");
	struct bd_db *acc;

	bench_exec(super, "SELECT core.client_add('LEDG', 'Ledger bench');"
			  "SELECT core.client_add('LEDJ', 'Journal bench');"
			  "SELECT core.operator_add('lb' || lpad(i::text, 2, '0'), 'Ledger bench', "
			  "'accountant', '{LEDG,LEDJ}') FROM generate_series(1, 64) i;");
	/* The ledger functions work for an accountant of the client. */
	acc = bench_connect("lb01", NULL);
	bench_exec(acc, "SELECT ledger.fiscal_year_open(c, y, make_date(y, 1, 1)) "
			"FROM unnest(ARRAY['LEDG', 'LEDJ']) c, generate_series(2022, 2026) y;"
			"SELECT ledger.account_add(c, (1000 + i)::text, CASE WHEN i = 0 THEN "
			"'Control account' ELSE 'Account ' || i END, "
			"(ARRAY['asset', 'liability', 'equity', 'income', 'expense'])[1 + i % 5], "
			"NULL) FROM unnest(ARRAY['LEDG', 'LEDJ']) c, generate_series(0, 499) i;");
	bd_db_free(acc);
	bd_db_free(super);
}

static int
client_id(struct bd_db *db, const char *code)
{
	return (int)bench_scalar(db, "SELECT client_id FROM core.clients WHERE code = $1",
				 BD_PARAMS(code));
}

/* Adds the balance rows of client cid's posted lines with entry_id in
 * (lo, hi] to ledger.balances, in stripe 0: the same sums the posting
 * trigger writes, per day, month and year bucket. */
static void
add_balances(struct bd_db *super, int cid, long long lo, long long hi)
{
	char sql[2048];

	snprintf(
	    sql, sizeof(sql),
	    "SET work_mem = '256MB';"
	    "INSERT INTO ledger.balances AS b (client_id, grain, bucket, account_id, stripe, "
	    "debit, credit) "
	    "SELECT l.client_id, g.grain, g.bucket, l.account_id, 0, sum(l.debit), "
	    "sum(l.credit) "
	    "FROM ledger.lines l JOIN ledger.entries e USING (client_id, entry_id) "
	    "CROSS JOIN LATERAL (VALUES ('d'::\"char\", l.entry_date), "
	    "('m'::\"char\", date_trunc('month', l.entry_date::timestamp)::date), "
	    "('y'::\"char\", date_trunc('year', l.entry_date::timestamp)::date)) g(grain, bucket) "
	    "WHERE l.client_id = %d AND l.entry_id > %lld AND l.entry_id <= %lld "
	    "AND e.status = 'posted' "
	    "GROUP BY 1, 2, 3, 4 ORDER BY 2, 3, 4 "
	    "ON CONFLICT (client_id, grain, bucket, account_id, stripe) DO UPDATE "
	    "SET debit = b.debit + EXCLUDED.debit, credit = b.credit + EXCLUDED.credit;"
	    "RESET work_mem;",
	    cid, lo, hi);
	bench_exec(super, sql);
}

/* Loads `entries` posted entries of `nlines` (2 or 4) lines into client
 * `code`, spread evenly over BOOKS_DAYS days from BOOKS_START and over the
 * six journals, amounts and accounts pseudo-random but fixed. */
static void
load(const char *code, long entries, int nlines)
{
	struct bd_db *super = bench_connect(NULL, NULL);
	char *sql = malloc(8192);
	int cid = client_id(super, code);
	long long base =
	    bench_scalar(super, "SELECT coalesce(max(entry_id), 0) FROM ledger.entries", 0, NULL);
	double t0 = bench_now();

	bench_log("loading %s: %ld entries, %ld lines", code, entries, entries * nlines);
	/* Entries, already posted by lb01 and approved by lb02, numbered per
	 * journal and fiscal year in date order: what postings would leave. */
	snprintf(
	    sql, 8192,
	    "BEGIN;"
	    "SET LOCAL session_replication_role = replica;"
	    "SET LOCAL work_mem = '512MB';"
	    "INSERT INTO ledger.entries (client_id, entry_id, journal, fiscal_year, period_no, "
	    "entry_no, entry_date, reference, description, status, maker, created_at, "
	    "submitted_at, approver, posted_at) OVERRIDING SYSTEM VALUE "
	    "SELECT %d, %lld + k + 1, j, extract(year FROM d)::smallint, "
	    "extract(month FROM d)::smallint, "
	    "row_number() OVER (PARTITION BY j, extract(year FROM d) ORDER BY k)::integer, "
	    "d, 'B' || k, 'Bench entry ' || k, 'posted', 'lb01', now(), now(), 'lb02', now() "
	    "FROM (SELECT k, '%s'::date + (k * %d / %ld)::integer AS d, "
	    "(ARRAY['GJ', 'SJ', 'PJ', 'CJ', 'PY', 'IJ'])[1 + k %% 6] AS j "
	    "FROM generate_series(0::bigint, %ld) k) s;"
	    "INSERT INTO ledger.journal_counters (client_id, journal, fiscal_year, last_no) "
	    "SELECT client_id, journal, fiscal_year, max(entry_no) FROM ledger.entries "
	    "WHERE client_id = %d GROUP BY 1, 2, 3;"
	    "SELECT setval(pg_get_serial_sequence('ledger.entries', 'entry_id'), "
	    "(SELECT max(entry_id) FROM ledger.entries));"
	    "COMMIT;",
	    cid, base, BOOKS_START, BOOKS_DAYS, entries, entries - 1, cid);
	bench_exec(super, sql);
	bench_log("  entries in %.0f s", bench_now() - t0);
	/* Lines: 4-line entries debit a and b, credit a and b; 2-line entries
	 * debit and credit a. */
	snprintf(
	    sql, 8192,
	    "BEGIN;"
	    "SET LOCAL session_replication_role = replica;"
	    "INSERT INTO ledger.lines (client_id, entry_id, line_no, account_id, debit, credit, "
	    "memo, entry_date) "
	    "SELECT %d, %lld + k + 1, n, "
	    "acc.ids[1 + (k * (ARRAY[7, 13, 31, 17])[n] + n - 1) %% 500], "
	    "CASE WHEN n = 1 THEN a WHEN n = 2 AND %d = 4 THEN b ELSE 0 END, "
	    "CASE WHEN n = %d THEN a WHEN n = 4 THEN b ELSE 0 END, "
	    "'', '%s'::date + (k * %d / %ld)::integer "
	    "FROM (SELECT array_agg(account_id ORDER BY code) AS ids FROM ledger.accounts "
	    "WHERE client_id = %d) acc, "
	    "LATERAL (SELECT k, (100 + (k * 37) %% 100000)::numeric / 100 AS a, "
	    "(100 + (k * 53) %% 50000)::numeric / 100 AS b "
	    "FROM generate_series(0::bigint, %ld) k) s, generate_series(1, %d) n;"
	    "COMMIT;",
	    cid, base, nlines, nlines == 4 ? 3 : 2, BOOKS_START, BOOKS_DAYS, entries, cid,
	    entries - 1, nlines);
	bench_exec(super, sql);
	bench_log("  lines in %.0f s", bench_now() - t0);
	/* Balances: days from the lines, months from the days, years from
	 * the months (the client has no other lines). */
	snprintf(
	    sql, 8192,
	    "SET work_mem = '512MB';"
	    "INSERT INTO ledger.balances (client_id, grain, bucket, account_id, stripe, debit, "
	    "credit) SELECT %d, 'd', entry_date, account_id, 0, sum(debit), sum(credit) "
	    "FROM ledger.lines WHERE client_id = %d GROUP BY 3, 4 ORDER BY 3, 4;"
	    "INSERT INTO ledger.balances (client_id, grain, bucket, account_id, stripe, debit, "
	    "credit) SELECT %d, 'm', date_trunc('month', bucket::timestamp)::date, account_id, "
	    "0, sum(debit), sum(credit) FROM ledger.balances WHERE client_id = %d "
	    "AND grain = 'd' GROUP BY 3, 4 ORDER BY 3, 4;"
	    "INSERT INTO ledger.balances (client_id, grain, bucket, account_id, stripe, debit, "
	    "credit) SELECT %d, 'y', date_trunc('year', bucket::timestamp)::date, account_id, "
	    "0, sum(debit), sum(credit) FROM ledger.balances WHERE client_id = %d "
	    "AND grain = 'm' GROUP BY 3, 4 ORDER BY 3, 4;"
	    "RESET work_mem;",
	    cid, cid, cid, cid, cid, cid);
	bench_exec(super, sql);
	bench_log("  balances in %.0f s", bench_now() - t0);
	free(sql);
	bd_db_free(super);
}

/* Rows of ledger.balances_as_of(cid, date) that differ from a GROUP BY over
 * the posted lines dated on or before `date` (either way). */
static long long
balance_mismatches(struct bd_db *super, int cid, const char *date)
{
	char id[16];

	snprintf(id, sizeof(id), "%d", cid);
	return bench_scalar(
	    super,
	    "WITH b AS (SELECT account_id, debit, credit FROM ledger.balances_as_of($1::integer, "
	    "$2::date) WHERE debit <> 0 OR credit <> 0), "
	    "l AS (SELECT l.account_id, sum(l.debit) AS debit, sum(l.credit) AS credit "
	    "FROM ledger.lines l JOIN ledger.entries e USING (client_id, entry_id) "
	    "WHERE l.client_id = $1::integer AND l.entry_date <= $2::date AND e.status = 'posted' "
	    "GROUP BY l.account_id) "
	    "SELECT (SELECT count(*) FROM (TABLE b EXCEPT TABLE l) x) + "
	    "(SELECT count(*) FROM (TABLE l EXCEPT TABLE b) y)",
	    BD_PARAMS(id, date));
}

/* Milliseconds of one trial balance through the named query, as the
 * accountant `db` is logged in as. */
static double
tb_ms(struct bd_db *db, const char *client, const char *date)
{
	struct bd_err err = BD_ERR_INIT;
	double t0 = bench_now();
	struct bd_db_result *res =
	    bd_db_query(db, "ledger.report_trial_balance", BD_PARAMS(client, date), &err);
	double ms = (bench_now() - t0) * 1000;

	if (!res)
		bench_die("trial balance: %s (%s)", err.msg, err.detail);
	if (bd_db_result_rows(res) < 2)
		bench_die("trial balance as of %s: %d rows", date, bd_db_result_rows(res));
	bd_db_result_free(res);
	return ms;
}

/* Median of TB_RUNS trial balances after one to warm up. */
static double
tb_median_ms(struct bd_db *db, const char *client, const char *date)
{
	double v[TB_RUNS];
	int i;

	tb_ms(db, client, date);
	for (i = 0; i < TB_RUNS; i++)
		v[i] = tb_ms(db, client, date);
	return bench_median(v, TB_RUNS);
}

static void
bench_trial_balance(long lines, int ndates)
{
	struct bd_db *acc = bench_connect("lb01", NULL), *super = bench_connect(NULL, NULL);
	double *tb = calloc((size_t)ndates, sizeof(double));
	double *ref = calloc((size_t)ndates, sizeof(double));
	double tb_max = 0, tb_med, ref_med;
	char label[96], a[64], b[64], id[16], **dates = calloc((size_t)ndates, sizeof(char *));
	unsigned seed = 20260615;
	int i, j, cid = client_id(super, "LEDG");
	long long bad = 0, backend = bench_scalar(acc, "SELECT pg_backend_pid()", 0, NULL);
	double cpu;

	snprintf(id, sizeof(id), "%d", cid);
	for (i = 0; i < ndates; i++) {
		char off[16], *date;
		struct bd_err err = BD_ERR_INIT;
		struct bd_db_result *res;
		double t0;

		seed = seed * 1103515245u + 12345u;
		snprintf(off, sizeof(off), "%u", (seed >> 8) % BOOKS_DAYS);
		date = bench_value(super, "SELECT ($1::date + $2::integer)::text",
				   BD_PARAMS(BOOKS_START, off));
		tb[i] = tb_median_ms(acc, "LEDG", date);
		t0 = bench_now();
		res = bd_db_adhoc(super,
				  "SELECT account_id, sum(debit) AS debit, sum(credit) AS credit "
				  "FROM ledger.lines WHERE client_id = $1::integer "
				  "AND entry_date <= $2::date GROUP BY account_id",
				  BD_PARAMS(id, date), &err);
		ref[i] = (bench_now() - t0) * 1000;
		if (!res || bd_db_result_rows(res) < 2)
			bench_die("GROUP BY: %s", err.msg);
		bd_db_result_free(res);
		if (i < 3)
			bad += balance_mismatches(super, cid, date);
		bench_log("trial balance as of %s: %.2f ms; GROUP BY over the lines %.0f ms", date,
			  tb[i], ref[i]);
		if (tb[i] > tb_max)
			tb_max = tb[i];
		dates[i] = date;
	}
	/* The server's CPU time per trial balance, which unlike the wall time
	 * does not grow with the machine's load. */
	cpu = bench_proc_cpu_seconds(backend);
	for (j = 0; j < TB_RUNS; j++)
		for (i = 0; i < ndates; i++)
			tb_ms(acc, "LEDG", dates[i]);
	cpu = (bench_proc_cpu_seconds(backend) - cpu) * 1000 / (TB_RUNS * ndates);
	for (i = 0; i < ndates; i++)
		free(dates[i]);
	free(dates);
	if (bad)
		bench_die("%lld accounts' balances differ from their lines after the bulk load",
			  bad);
	tb_med = bench_median(tb, (size_t)ndates);
	ref_med = bench_median(ref, (size_t)ndates);
	snprintf(label, sizeof(label), "Ledger trial balance, %.1fM lines, 500 accounts",
		 (double)lines / 1e6);
	snprintf(a, sizeof(a), "%.2f ms", tb_med);
	snprintf(b, sizeof(b), "%.0f ms (GROUP BY)", ref_med);
	bench_row(label, "median of random dates", a, b, ref_med / tb_med, "<= 10 ms",
		  bench_met(tb_med <= 10));
	snprintf(a, sizeof(a), "%.2f ms", tb_max);
	bench_row(label, "slowest of the dates", a, "-", -1, "<= 10 ms", bench_met(tb_max <= 10));
	snprintf(a, sizeof(a), "%.2f ms", cpu);
	bench_row(label, "server CPU time per trial balance (mean)", a, "-", -1, "-", "-");
	free(tb);
	free(ref);
	bd_db_free(acc);
	bd_db_free(super);
}

struct child_run {
	double seconds;
	long maxrss_kb;
	int status;
};

/* Runs argv with stdout to out_path; wall time and peak memory. */
static struct child_run
run_child(char *const argv[], const char *out_path)
{
	struct child_run r = {0};
	struct rusage ru;
	double t0 = bench_now();
	pid_t pid = fork();

	if (pid < 0)
		bench_die("fork");
	if (pid == 0) {
		int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &r.status, 0, &ru) < 0)
		bench_die("wait4: %s", strerror(errno));
	r.seconds = bench_now() - t0;
	r.maxrss_kb = ru.ru_maxrss;
	return r;
}

static bool
have_program(const char *name)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
	return system(cmd) == 0;
}

/* The last non-blank line of a file (the total of a balance report). */
static void
last_line(const char *path, char *out, size_t size)
{
	char line[512];
	FILE *f = fopen(path, "r");
	size_t n;

	out[0] = '\0';
	while (f && fgets(line, sizeof(line), f)) {
		n = strspn(line, " \t\r\n-");
		if (line[n])
			snprintf(out, size, "%s", line + n);
	}
	if (f)
		fclose(f);
	n = strcspn(out, "\r\n");
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* Writes client `code`'s posted entries to `path` as journal text with the
 * real exporter (backdesk ledger export), as the accountant `acc`. */
static void
write_journal(struct bd_db *acc, const char *code, const char *path)
{
	struct bd_err err = BD_ERR_INIT;
	FILE *fp = fopen(path, "w");
	long entries = 0;

	if (!fp || bd_ledger_export(acc, code, BD_LEDGER_FORMAT_HLEDGER, fp, &entries, &err) < 0 ||
	    fclose(fp) != 0) {
		fprintf(stderr, "bench: export of %s to %s failed: %s (%s)\n", code, path, err.msg,
			err.detail);
		exit(1);
	}
}

/* The approved import's entries and lines (client LEDI; its lines as
 * loaded into public.bench_copy) written server-side into public.bench_keys_e and
 * public.bench_keys, which the caller has just made with the keys to
 * measure: seconds; the tables are dropped after. */
static double
floor_seconds(struct bd_db *super)
{
	double t0 = bench_now();

	bench_exec(super, "BEGIN; INSERT INTO public.bench_keys_e SELECT e.* FROM ledger.entries e "
			  "JOIN core.clients c USING (client_id) WHERE c.code = 'LEDI';"
			  "INSERT INTO public.bench_keys SELECT * FROM public.bench_copy; COMMIT");
	t0 = bench_now() - t0;
	bench_exec(super, "DROP TABLE public.bench_keys; DROP TABLE public.bench_keys_e");
	return t0;
}

/* Import of the journal just written (the real importer, as one batch, into
 * a fresh client LEDI with its accounts created from the journal's account
 * directives), against psql's \copy of the same lines into a table of the
 * lines' columns, and against `hledger balance` of the same file; then its
 * approval, timed apart. */
static void
bench_import(const char *path, const char *dir, long txns, double hledger_seconds)
{
	struct bd_db *super = bench_connect(NULL, NULL), *acc;
	struct bd_ledger_import_options opt = {.create_accounts = true};
	struct bd_ledger_import_result r;
	struct bd_err err = BD_ERR_INIT;
	struct strbuf text = STRBUF_INIT, cmd = STRBUF_INIT;
	char csv[160], out[160], label[96], a[64], b[96], *ci;
	char buf[1 << 16];
	double t0, import_s, approve_s, keys_s, idx_s;
	struct bd_db *approver;
	char id[32], version[32];
	struct child_run c;
	size_t n;
	FILE *f;

	bench_exec(super, "SELECT core.client_add('LEDI', 'Import bench');"
			  "SELECT core.assign('lb' || lpad(i::text, 2, '0'), 'LEDI') "
			  "FROM generate_series(1, 64) i;");
	acc = bench_connect("lb01", NULL);
	bench_exec(acc, "SELECT ledger.fiscal_year_open('LEDI', y, make_date(y, 1, 1)) "
			"FROM generate_series(2022, 2026) y;");
	if (!(f = fopen(path, "r")))
		bench_die("%s: %s", path, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&text, buf, n);
	fclose(f);
	t0 = bench_now();
	if (bd_ledger_import_batch(acc, "LEDI", BD_LEDGER_FORMAT_HLEDGER, text.buf, text.len, path,
				   &opt, &r, &err) < 0)
		bench_die("import of %s: %s (%s)", path, err.msg, err.detail);
	import_s = bench_now() - t0;
	if (r.entries != txns)
		bench_die("imported %ld entries of %ld", r.entries, txns);
	bench_log("imported %ld transactions (%zu MB) as one batch in %.1f s", txns, text.len >> 20,
		  import_s);
	strbuf_release(&text);
	/* The batch waits staged (not in the books) until a second accountant
	 * approves it: the approval posts it, timed apart. */
	approver = bench_connect("lb02", NULL);
	snprintf(id, sizeof(id), "%lld", r.batch_id);
	snprintf(version, sizeof(version), "%lld", r.version);
	t0 = bench_now();
	{
		struct bd_db_result *res = bd_db_query(approver, "ledger.import_approve",
						       BD_PARAMS("LEDI", id, version), &err);

		if (!res)
			bench_die("approval of import %s: %s (%s)", id, err.msg, err.detail);
		bd_db_result_free(res);
	}
	approve_s = bench_now() - t0;
	bd_db_free(approver);
	if (bench_scalar(super,
			 "SELECT count(*) FROM ledger.entries e JOIN core.clients c USING "
			 "(client_id) WHERE c.code = 'LEDI' AND e.status = 'posted'",
			 0, NULL) != txns)
		bench_die("the approval posted another number of entries");
	bench_log("approved (posted) the batch in %.1f s", approve_s);

	/* the reference: the same lines, as CSV, into a table of their columns */
	snprintf(csv, sizeof(csv), "%s/lines.csv", dir);
	snprintf(out, sizeof(out), "%s/psql.txt", dir);
	ci = bd_cluster_conninfo(&bench.cluster, NULL, NULL);
	bench_exec(super, "CREATE TABLE public.bench_copy (LIKE ledger.lines)");
	strbuf_addf(&cmd,
		    "\\copy (SELECT l.* FROM ledger.lines l JOIN core.clients c USING (client_id) "
		    "WHERE c.code = 'LEDI') TO '%s' CSV",
		    csv);
	{
		char *argv[] = {"psql", "-X", "-q", ci, "-c", cmd.buf, NULL};

		c = run_child(argv, out);
		if (!WIFEXITED(c.status) || WEXITSTATUS(c.status) != 0)
			bench_die("psql \\copy to %s failed", csv);
	}
	strbuf_reset(&cmd);
	strbuf_addf(&cmd, "\\copy public.bench_copy FROM '%s' CSV", csv);
	{
		char *argv[] = {"psql", "-X", "-q", ci, "-c", cmd.buf, NULL};

		c = run_child(argv, out);
		if (!WIFEXITED(c.status) || WEXITSTATUS(c.status) != 0)
			bench_die("psql \\copy from %s failed", csv);
	}
	if (bench_scalar(super, "SELECT count(*) FROM public.bench_copy", 0, NULL) != 2 * txns)
		bench_die("\\copy loaded another number of lines");
	bench_log("psql \\copy of the %ld lines: %.1f s", 2 * txns, c.seconds);
	snprintf(label, sizeof(label), "Journal import, %ld transactions, one batch", txns);
	snprintf(a, sizeof(a), "%.1f s", import_s);
	snprintf(b, sizeof(b), "psql \\copy of its %ld lines %.1f s", 2 * txns, c.seconds);
	bench_row(label, "import vs \\copy of the same lines", a, b, c.seconds / import_s,
		  ">= 0.5x", bench_met(c.seconds / import_s >= 0.5));
	/* Not a goal: the approval, which writes the entries and lines into the
	 * books (their keys, foreign keys, numbers and balances). */
	snprintf(a, sizeof(a), "%.1f s", approve_s);
	bench_row(label, "approval (posting the batch) vs \\copy of the same lines", a, b,
		  c.seconds / approve_s, "-", "-");
	snprintf(a, sizeof(a), "%.1f s", import_s);
	/* Where the time goes: the same entries and lines, server-side (no
	 * parse, no transfer, no checks of ours), into tables with the indexes
	 * and foreign keys of ledger.entries and ledger.lines, which
	 * PostgreSQL checks row by row as it does for the import. Not a goal:
	 * the floor of any importer that keeps those foreign keys. */
	bench_exec(super,
		   "CREATE TABLE public.bench_keys_e (LIKE ledger.entries INCLUDING INDEXES);"
		   "ALTER TABLE public.bench_keys_e ADD FOREIGN KEY (client_id, journal) "
		   "REFERENCES ledger.journals (client_id, journal), ADD FOREIGN KEY (client_id, "
		   "fiscal_year, period_no) REFERENCES ledger.periods (client_id, fiscal_year, "
		   "period_no), ADD FOREIGN KEY (client_id, reverses_entry_id) REFERENCES "
		   "public.bench_keys_e (client_id, entry_id), ADD FOREIGN KEY (client_id, "
		   "batch_id) REFERENCES ledger.import_batches (client_id, batch_id);"
		   "CREATE TABLE public.bench_keys (LIKE ledger.lines INCLUDING INDEXES);"
		   "ALTER TABLE public.bench_keys ADD FOREIGN KEY (client_id, entry_id) "
		   "REFERENCES public.bench_keys_e (client_id, entry_id), ADD FOREIGN KEY "
		   "(client_id, account_id) REFERENCES ledger.accounts (client_id, account_id)");
	keys_s = floor_seconds(super);
	bench_log("the same entries and lines into tables with their keys and foreign keys: "
		  "%.1f s",
		  keys_s);
	snprintf(a, sizeof(a), "%.1f s", approve_s);
	snprintf(b, sizeof(b), "INSERT of its entries and lines with their keys %.1f s", keys_s);
	bench_row(label, "approval vs the keys and foreign keys alone", a, b, keys_s / approve_s,
		  "-", "-");
	/* The same without any foreign key: the indexes alone (primary keys,
	 * unique keys, the lines' account index, the entries' date, status
	 * and batch indexes). Not a goal: what an importer could reach only
	 * by giving up every foreign key. */
	bench_exec(super,
		   "CREATE TABLE public.bench_keys_e (LIKE ledger.entries INCLUDING INDEXES);"
		   "CREATE TABLE public.bench_keys (LIKE ledger.lines INCLUDING INDEXES)");
	idx_s = floor_seconds(super);
	bench_log("the same entries and lines into tables with their indexes, no foreign key: "
		  "%.1f s",
		  idx_s);
	snprintf(b, sizeof(b), "INSERT of its entries and lines, indexes only %.1f s", idx_s);
	bench_row(label, "approval vs the indexes alone, no foreign key", a, b, idx_s / approve_s,
		  "-", "-");
	snprintf(a, sizeof(a), "%.1f s", import_s);
	if (hledger_seconds > 0) {
		snprintf(b, sizeof(b), "`hledger balance` of the file %.1f s", hledger_seconds);
		bench_row(label, "import vs hledger reading it", a, b, hledger_seconds / import_s,
			  "> 1x", bench_met(hledger_seconds > import_s));
	}
	bench_exec(super, "DROP TABLE public.bench_copy");
	unlink(csv);
	unlink(out);
	free(ci);
	strbuf_release(&cmd);
	bd_db_free(acc);
	bd_db_free(super);
}

static void
bench_journal(long txns)
{
	struct bd_db *acc = bench_connect("lb01", NULL);
	char *dir = bench_scratch(), path[128], out[128], label[96], a[64], b[96], total[128];
	static const char *const tools[] = {"ledger", "hledger"};
	static const double goals[] = {50, 300};
	double t0, tb, hledger_seconds = -1;
	size_t i;

	snprintf(path, sizeof(path), "%s/books.journal", dir);
	snprintf(out, sizeof(out), "%s/balance.txt", dir);
	t0 = bench_now();
	write_journal(acc, "LEDJ", path);
	bench_log("wrote the journal of %ld transactions in %.1f s", txns, bench_now() - t0);
	tb = tb_median_ms(acc, "LEDJ", "2025-12-31");
	snprintf(label, sizeof(label), "Ledger trial balance vs journal tools, %ld transactions",
		 txns);
	for (i = 0; i < 2; i++) {
		char *argv[] = {(char *)tools[i], "-f", path, "balance", NULL};
		struct child_run r;

		if (!have_program(tools[i])) {
			bench_row(label, tools[i], "-", "not installed", -1, "-", "-");
			continue;
		}
		r = run_child(argv, out);
		if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0)
			bench_die("%s -f %s balance failed (status %d)", tools[i], path, r.status);
		/* Balanced books: the report's grand total is zero. */
		last_line(out, total, sizeof(total));
		if (strcmp(total, "0"))
			bench_die("%s's total is \"%s\", not 0: the export is not balanced",
				  tools[i], total);
		bench_log("%s balance: %.1f s, peak %ld MB", tools[i], r.seconds,
			  r.maxrss_kb / 1024);
		if (i == 1)
			hledger_seconds = r.seconds;
		snprintf(a, sizeof(a), "%.2f ms", tb);
		snprintf(b, sizeof(b), "`%s balance` %.1f s, peak %ld MB", tools[i], r.seconds,
			 r.maxrss_kb / 1024);
		snprintf(total, sizeof(total), ">= %.0fx faster", goals[i]);
		bench_row(label, "time to the balances, peak memory", a, b, r.seconds * 1000 / tb,
			  total, bench_met(r.seconds * 1000 / tb >= goals[i]));
	}
	unlink(out);
	bench_import(path, dir, txns, hledger_seconds);
	unlink(path);
	rmdir(dir);
	free(dir);
	bd_db_free(acc);
}

struct post_result {
	long done, errors;
};

static void
post_fail(const char *what, const struct bd_err *err, long *errors)
{
	if (++*errors <= 3)
		fprintf(stderr, "bench_ledger: %s: %s (%s)\n", what, err->msg, err->sqlstate);
}

/* One posting session: maker lb(n) and approver lb(32 + n) post four-line
 * entries, each crediting the control account 1000, until `end`. */
static void __attribute__((noreturn))
poster(int n, double seconds, int ready_fd, int go_fd, int result_fd)
{
	struct post_result r = {0, 0};
	char maker[8], approver[8], lines[512], ref[32];
	struct bd_db *m, *a;
	double end;
	long k = 0;
	char go;

	snprintf(maker, sizeof(maker), "lb%02d", n);
	snprintf(approver, sizeof(approver), "lb%02d", MAX_SESSIONS + n);
	m = bench_connect(maker, NULL);
	a = bench_connect(approver, NULL);
	if (write(ready_fd, "r", 1) != 1 || read(go_fd, &go, 1) != 1)
		_exit(2);
	end = bench_now() + seconds;
	while (bench_now() < end) {
		struct bd_err err = BD_ERR_INIT;
		struct bd_db_result *res;
		char *id, *ver;
		long x = (long)n * 100003 + k++;

		snprintf(lines, sizeof(lines),
			 "[{\"account\":\"%ld\",\"debit\":\"%ld.%02ld\"},"
			 "{\"account\":\"%ld\",\"debit\":\"%ld.25\"},"
			 "{\"account\":\"1000\",\"credit\":\"%ld.%02ld\",\"memo\":\"control\"},"
			 "{\"account\":\"%ld\",\"credit\":\"%ld.25\"}]",
			 1001 + x * 7 % 499, 1 + x % 900, x % 100, 1001 + x * 13 % 499, 1 + x % 70,
			 1 + x % 900, x % 100, 1001 + x * 31 % 499, 1 + x % 70);
		snprintf(ref, sizeof(ref), "P%d-%ld", n, k);
		res = bd_db_query(
		    m, "ledger.entry_create",
		    BD_PARAMS("LEDG", "GJ", POST_DATE, ref, "Bench posting", lines, NULL), &err);
		if (!res) {
			post_fail("create", &err, &r.errors);
			continue;
		}
		id = strdup(bd_db_result_get(res, 0, 0));
		bd_db_result_free(res);
		ver = NULL;
		if (bd_db_run(m, "ledger.entry_submit", BD_PARAMS("LEDG", id, NULL), &err) < 0) {
			post_fail("submit", &err, &r.errors);
		} else if (!(res =
				 bd_db_query(a, "ledger.entry_get", BD_PARAMS("LEDG", id), &err))) {
			/* the checker looks at the entry: approval names its version */
			post_fail("show", &err, &r.errors);
		} else {
			ver = strdup(bd_db_result_get(res, 0, bd_db_result_col(res, "version")));
			bd_db_result_free(res);
			if (bd_db_run(a, "ledger.entry_approve", BD_PARAMS("LEDG", id, ver), &err) <
			    0)
				post_fail("approve", &err, &r.errors);
			else
				r.done++;
		}
		free(ver);
		free(id);
	}
	if (write(result_fd, &r, sizeof(r)) != sizeof(r))
		_exit(3);
	bd_db_free(m);
	bd_db_free(a);
	_exit(0);
}

/* Entries per second with `sessions` concurrent posters for `seconds`. */
static double
post_rate(int sessions, double seconds, long *errors)
{
	int ready[2], go[2], result[2], i;
	pid_t pids[MAX_SESSIONS];
	long done = 0;
	char c;

	if (pipe(ready) < 0 || pipe(go) < 0 || pipe(result) < 0)
		bench_die("pipe");
	for (i = 0; i < sessions; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			bench_die("fork");
		if (pids[i] == 0) {
			close(ready[0]);
			close(go[1]);
			close(result[0]);
			poster(i + 1, seconds, ready[1], go[0], result[1]);
		}
	}
	close(ready[1]);
	close(go[0]);
	close(result[1]);
	for (i = 0; i < sessions; i++)
		if (read(ready[0], &c, 1) != 1)
			bench_die("a posting session did not start");
	for (i = 0; i < sessions; i++)
		if (write(go[1], "g", 1) != 1)
			bench_die("start");
	for (i = 0; i < sessions; i++) {
		struct post_result r;
		int status;

		if (read(result[0], &r, sizeof(r)) != sizeof(r))
			bench_die("a posting session did not report");
		done += r.done;
		*errors += r.errors;
		waitpid(pids[i], &status, 0);
	}
	close(ready[0]);
	close(go[1]);
	close(result[0]);
	return (double)done / seconds;
}

/* post_rate() with the balance upkeep trigger disabled; the postings get
 * their balances afterwards. */
static double
post_without_upkeep(struct bd_db *super, int cid, int sessions, double seconds, long *errors)
{
	long long lo = bench_scalar(super, "SELECT max(entry_id) FROM ledger.entries", 0, NULL), hi;
	double rate;

	bench_exec(super, "ALTER TABLE ledger.entries DISABLE TRIGGER entries_b_balances");
	rate = post_rate(sessions, seconds, errors);
	bench_exec(super, "ALTER TABLE ledger.entries ENABLE TRIGGER entries_b_balances");
	hi = bench_scalar(super, "SELECT max(entry_id) FROM ledger.entries", 0, NULL);
	add_balances(super, cid, lo, hi);
	return rate;
}

static void
bench_posting(double seconds)
{
	static const int levels[] = {1, 8, 32};
	struct bd_db *super = bench_connect(NULL, NULL);
	int cid = client_id(super, "LEDG");
	long errors = 0;
	size_t i;
	char a[64], b[64], label[96], id[16];
	long long gaps, bad;

	for (i = 0; i < sizeof(levels) / sizeof(*levels); i++) {
		/* Halves in the order with, without, without, with, so that a
		 * drift in the machine's load weighs on both alike. */
		double with = post_rate(levels[i], seconds / 2, &errors) / 2;
		double without = post_without_upkeep(super, cid, levels[i], seconds / 2, &errors);

		without =
		    (without + post_without_upkeep(super, cid, levels[i], seconds / 2, &errors)) /
		    2;
		with += post_rate(levels[i], seconds / 2, &errors) / 2;
		bench_log("posting, %d sessions: %.0f entries/s with balance upkeep, %.0f without",
			  levels[i], with, without);
		snprintf(label, sizeof(label),
			 "Ledger posting, 4-line entries, hot control account");
		snprintf(a, sizeof(a), "%.0f entries/s", with);
		snprintf(b, sizeof(b), "%.0f entries/s (no upkeep)", without);
		snprintf(id, sizeof(id), "%d session%s", levels[i], levels[i] > 1 ? "s" : "");
		bench_row(label, id, a, b, with / without, ">= 0.8x",
			  bench_met(with >= 0.8 * without));
	}
	bad = balance_mismatches(super, cid, "2026-12-31");
	snprintf(id, sizeof(id), "%d", cid);
	gaps = bench_scalar(super,
			    "SELECT count(*) FROM (SELECT journal, fiscal_year, "
			    "max(entry_no) - count(DISTINCT entry_no) AS gaps FROM ledger.entries "
			    "WHERE client_id = $1::integer AND status = 'posted' GROUP BY 1, 2) x "
			    "WHERE gaps <> 0",
			    BD_PARAMS(id));
	snprintf(a, sizeof(a), "%lld accounts, %lld journals, %ld errors", bad, gaps, errors);
	bench_row("Ledger posting, 4-line entries, hot control account",
		  "balances unlike their lines; journals with gaps; failed postings", a, "-", -1,
		  "0, 0, 0", bench_met(bad == 0 && gaps == 0 && errors == 0));
	bd_db_free(super);
}

int
main(void)
{
	long lines = bench_knob("BENCH_LEDGER_LINES", 10000000, 200000);
	long txns = bench_knob("BENCH_JOURNAL_TXNS", 1000000, 20000);
	long post_seconds = bench_knob("BENCH_POST_SECONDS", 20, 4);
	long ndates = bench_knob("BENCH_TB_DATES", 9, 5);
	struct bd_db *super;

	if (lines < 4000 || txns < 100 || post_seconds < 1 || ndates < 1 || ndates > 1000)
		bench_die("the BENCH_* values are out of range");
	signal(SIGPIPE, SIG_IGN);
	bench_open("bench_ledger");
	bench_migrate();
	setup();
	load("LEDG", lines / 4, 4);
	load("LEDJ", txns, 2);
	super = bench_connect(NULL, NULL);
	bench_log("vacuum and analyze");
	bench_statement(super, "VACUUM ANALYZE ledger.entries, ledger.lines, ledger.balances, "
			       "ledger.journal_counters");
	bench_statement(super, "CHECKPOINT");
	bd_db_free(super);
	bench_trial_balance(lines / 4 * 4, (int)ndates);
	bench_journal(txns);
	bench_posting((double)post_seconds);
	bench_close();
	return 0;
}
