/*
 * Inventory benchmarks (issue 18), rows for the README's table:
 *
 * - issues of one hot item by 32 sessions against issues of 32 different
 *   items by 32 sessions, in the same run, halves interleaved (hot, spread,
 *   spread, hot): one-line issues through inventory.move_create with their
 *   ledger posting, as clerks; never negative, no deadlock, no failed move;
 * - stock value as of random dates (inventory.stock_value, the named query
 *   the report runs) over a history of BENCH_INV_MOVES moves, read from the
 *   day/month/year sums;
 * - a receipt backdated a year into one item's history of
 *   BENCH_INV_ITEM_MOVES moves, moving average (its later legs costed again)
 *   and FIFO (its layers on hand rebuilt).
 *
 * The histories are loaded in SQL as the superuser (moves, legs, sums and
 * stock written as posting would), the timed calls run as operators.
 */
#include "bench_common.h"

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

enum { MAX_SESSIONS = 32 };

static char today[16];

static void
setup(void)
{
	struct bd_db *super = bench_connect(NULL, NULL), *acc;

	bench_log("setting up client INVB, 33 operators, 33 items");
	bench_exec(super,
		   "SELECT core.client_add('INVB', 'Inventory bench');"
		   "SELECT core.operator_add('ib' || lpad(i::text, 2, '0'), 'Inventory bench', "
		   "'clerk', '{INVB}') FROM generate_series(1, 32) i;"
		   "SELECT core.operator_add('ia01', 'Inventory bench', 'accountant', '{INVB}');");
	acc = bench_connect("ia01", NULL);
	bench_exec(
	    acc, "SELECT ledger.fiscal_year_open('INVB', y, make_date(y, 1, 1)) FROM "
		 "generate_series(extract(year FROM current_date)::int - 1, "
		 "extract(year FROM current_date)::int) y;"
		 "SELECT ledger.account_add('INVB', c, n, t, NULL) FROM (VALUES ('1310', 'Stock', "
		 "'asset'), ('2150', 'GRNI', 'liability'), ('5100', 'COGS', 'expense'), ('5150', "
		 "'Adjustments', 'expense')) v(c, n, t);"
		 "SELECT inventory.settings_set('INVB', 'average', NULL, '1310', '2150', '5100', "
		 "'5150');"
		 "SELECT inventory.location_save('INVB', 'W1', 'Warehouse');"
		 "SELECT inventory.item_save('INVB', 'HOT', 'Hot item', 'EA');"
		 "SELECT inventory.item_save('INVB', 'I' || lpad(i::text, 2, '0'), 'Item', 'EA') "
		 "FROM generate_series(1, 32) i;"
		 "SELECT inventory.move_create('INVB', 'receipt', current_date - 1, 'R', '', "
		 "jsonb_agg(jsonb_build_object('item', c, 'qty', '10000000', 'location', 'W1', "
		 "'unit_cost', '1.25'))) FROM (SELECT 'HOT' c UNION ALL SELECT 'I' || "
		 "lpad(i::text, 2, '0') FROM generate_series(1, 32) i) x;");
	{
		char *d = bench_value(super, "SELECT current_date::text", 0, NULL);

		snprintf(today, sizeof(today), "%s", d);
		free(d);
	}
	bd_db_free(acc);
	bd_db_free(super);
}

struct result {
	long done, errors;
};

static void
issuer(int n, bool hot, double seconds, int ready_fd, int go_fd, int result_fd)
{
	struct result r = {0, 0};
	char login[8], lines[128];
	struct bd_db *db;
	char go;
	double end;

	snprintf(login, sizeof(login), "ib%02d", n);
	snprintf(lines, sizeof(lines), "[{\"item\":\"%s%02d\",\"qty\":\"1\",\"location\":\"W1\"}]",
		 hot ? "HOT" : "I", hot ? 0 : n);
	if (hot)
		snprintf(lines, sizeof(lines),
			 "[{\"item\":\"HOT\",\"qty\":\"1\",\"location\":\"W1\"}]");
	db = bench_connect(login, NULL);
	if (write(ready_fd, "r", 1) != 1 || read(go_fd, &go, 1) != 1)
		_exit(2);
	end = bench_now() + seconds;
	while (bench_now() < end) {
		struct bd_err err = BD_ERR_INIT;
		struct bd_db_result *res =
		    bd_db_query(db, "inventory.move_create",
				BD_PARAMS("INVB", "issue", today, "", "", lines), &err);

		if (!res) {
			fprintf(stderr, "bench_inventory: issue: %s (%s)\n", err.msg, err.sqlstate);
			r.errors++;
			continue;
		}
		bd_db_result_free(res);
		r.done++;
	}
	if (write(result_fd, &r, sizeof(r)) != sizeof(r))
		_exit(3);
	bd_db_free(db);
	_exit(0);
}

/* Issues per second by `sessions` sessions for `seconds`. */
static double
issue_rate(int sessions, bool hot, double seconds, long *errors)
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
			issuer(i + 1, hot, seconds, ready[1], go[0], result[1]);
		}
	}
	close(ready[1]);
	close(go[0]);
	close(result[1]);
	for (i = 0; i < sessions; i++)
		if (read(ready[0], &c, 1) != 1)
			bench_die("a session did not start");
	for (i = 0; i < sessions; i++)
		if (write(go[1], "g", 1) != 1)
			bench_die("start");
	for (i = 0; i < sessions; i++) {
		struct result r;
		int status;

		if (read(result[0], &r, sizeof(r)) != sizeof(r))
			bench_die("a session did not report");
		done += r.done;
		*errors += r.errors;
		waitpid(pids[i], &status, 0);
	}
	close(ready[0]);
	close(go[1]);
	close(result[0]);
	return (double)done / seconds;
}

static void
bench_hot(double seconds)
{
	struct bd_db *super = bench_connect(NULL, NULL);
	long errors = 0;
	double hot, spread;
	long long negative, deadlocks;
	char a[64], b[64], c[64];
	const char *label = "Inventory: one-line issues with their ledger posting, 32 sessions";

	/* halves in the order hot, spread, spread, hot */
	hot = issue_rate(32, true, seconds / 2, &errors) / 2;
	spread = issue_rate(32, false, seconds / 2, &errors) / 2;
	spread += issue_rate(32, false, seconds / 2, &errors) / 2;
	hot += issue_rate(32, true, seconds / 2, &errors) / 2;
	negative =
	    bench_scalar(super, "SELECT count(*) FROM inventory.stock WHERE qty < 0", 0, NULL);
	deadlocks = bench_scalar(
	    super, "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()", 0,
	    NULL);
	snprintf(a, sizeof(a), "%.0f issues/s", hot);
	snprintf(b, sizeof(b), "%.0f issues/s (32 items)", spread);
	bench_row(label, "one hot item", a, b, hot / spread, ">= 0.5x",
		  bench_met(hot >= 0.5 * spread));
	snprintf(c, sizeof(c), "%lld, %lld, %ld", negative, deadlocks, errors);
	bench_row(label, "negative stock rows, deadlocks, failed moves", c, "-", -1, "0, 0, 0",
		  bench_met(!negative && !deadlocks && !errors));
	bd_db_free(super);
}

/* `moves` one-line moves of 200 items at 2 locations over the last 730
 * days, loaded as posting would leave them (moves, legs, sums; no ledger
 * entries: the as-of read does not look at them). */
static void
load_history(long moves)
{
	struct bd_db *super = bench_connect(NULL, NULL);
	char sql[4096];

	bench_log("loading %ld moves of history", moves);
	snprintf(
	    sql, sizeof(sql),
	    "SET SESSION AUTHORIZATION ia01;"
	    "SELECT inventory.item_save('INVB', 'H' || lpad(i::text, 3, '0'), 'History item', "
	    "'EA') "
	    "FROM generate_series(1, 200) i;"
	    "SELECT inventory.location_save('INVB', 'W2', 'Second');"
	    "RESET SESSION AUTHORIZATION;"
	    "SET work_mem = '256MB';"
	    "CREATE TEMP TABLE h AS SELECT g AS n, current_date - 730 + (g * 730 / %ld)::int AS d, "
	    "(SELECT item_id FROM inventory.items WHERE code = 'H' || lpad((1 + g %% 200)::text, "
	    "3, '0')) AS item_id, (SELECT location_id FROM inventory.locations WHERE code = CASE "
	    "WHEN g %% 2 = 0 THEN 'W1' ELSE 'W2' END) AS loc, CASE WHEN g %% 4 = 0 THEN 10 ELSE -1 "
	    "END AS qty FROM generate_series(1, %ld) g;"
	    "ALTER TABLE inventory.moves DISABLE TRIGGER USER;"
	    "INSERT INTO inventory.moves (client_id, kind, move_date, status, maker, posted_at, "
	    "seq, "
	    "value) SELECT c.client_id, CASE WHEN qty > 0 THEN 'receipt' "
	    "ELSE 'issue' END, d, 'posted', 'ib01', now(), 1000000 + n, qty * 2 FROM h, "
	    "core.clients c WHERE c.code = 'INVB';"
	    "ALTER TABLE inventory.moves ENABLE TRIGGER USER;"
	    "INSERT INTO inventory.sums (client_id, grain, bucket, item_id, location_id, stripe, "
	    "qty, value) SELECT c.client_id, g.grain, g.bucket, item_id, loc, 0, sum(qty), "
	    "sum(qty * 2) FROM h CROSS JOIN LATERAL (VALUES ('d'::\"char\", d), ('m', "
	    "date_trunc('month', d)::date), ('y', date_trunc('year', d)::date)) g(grain, bucket), "
	    "core.clients c WHERE c.code = 'INVB' GROUP BY 1, 2, 3, 4, 5;"
	    "DROP TABLE h; RESET work_mem; ANALYZE inventory.sums;",
	    moves, moves);
	bench_exec(super, sql);
	bd_db_free(super);
}

static void
bench_as_of(long moves)
{
	struct bd_db *acc = bench_connect("ia01", NULL);
	double worst = 0, total = 0;
	char a[64], dates[12][16];
	int i, k;

	for (i = 0; i < 12; i++) {
		char *d = bench_value(acc, "SELECT (current_date - (random() * 720)::int)::text", 0,
				      NULL);

		snprintf(dates[i], sizeof(dates[i]), "%s", d);
		free(d);
	}
	for (k = 0; k < 2; k++) /* warm-up, then measured */
		for (i = 0; i < 12; i++) {
			struct bd_err err = BD_ERR_INIT;
			double t0 = bench_now(), ms;
			struct bd_db_result *res = bd_db_query(acc, "inventory.stock_value",
							       BD_PARAMS("INVB", dates[i]), &err);

			if (!res)
				bench_die("stock value: %s", err.msg);
			bd_db_result_free(res);
			ms = (bench_now() - t0) * 1000;
			if (k) {
				total += ms;
				worst = ms > worst ? ms : worst;
			}
		}
	snprintf(a, sizeof(a), "%.2f ms (slowest %.2f)", total / 12, worst);
	{
		char label[128];

		snprintf(label, sizeof(label), "Inventory: stock value as of a date, %ld moves",
			 moves);
		bench_row(label, "mean of 12 random dates", a, "-", -1, "<= 10 ms",
			  bench_met(worst <= 10));
	}
	bd_db_free(acc);
}

/* One item with `moves` moves over the last year (receipts of 10, issues of
 * 1), loaded as posting would leave them; then a receipt dated before all of
 * them, timed. */
static void
bench_backdated(const char *method, long moves)
{
	struct bd_db *super = bench_connect(NULL, NULL), *clerk = bench_connect("ib01", NULL);
	char sql[4096], item[16], a[64], label[128], lines[160];
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	double t0, ms;

	snprintf(item, sizeof(item), "BD-%s", method);
	bench_log("loading %ld moves of %s", moves, item);
	snprintf(
	    sql, sizeof(sql),
	    "SET SESSION AUTHORIZATION ia01;"
	    "SELECT inventory.item_save('INVB', '%s', 'Backdated', 'EA', '', '%s');"
	    "RESET SESSION AUTHORIZATION;"
	    "CREATE TEMP TABLE h AS SELECT g AS n, current_date - 364 + (g * 360 / %ld)::int AS d, "
	    "CASE WHEN g %% 4 = 1 THEN 12 ELSE -4 END AS qty FROM generate_series(1, %ld) g;"
	    "CREATE TEMP TABLE hm AS WITH c AS (SELECT client_id FROM core.clients WHERE code = "
	    "'INVB'), m AS (INSERT INTO inventory.moves (client_id, kind, move_date, status, "
	    "maker, "
	    "posted_at, seq, value) SELECT c.client_id, CASE WHEN qty > 0 THEN 'receipt' ELSE "
	    "'issue' END, d, 'submitted', 'ib01', NULL, NULL, qty * 2 FROM h, c ORDER BY n "
	    "RETURNING move_id, move_date, value) SELECT * FROM m;"
	    "ALTER TABLE inventory.moves DISABLE TRIGGER USER;"
	    "UPDATE inventory.moves m SET status = 'posted', posted_at = now(), seq = 2000000 + "
	    "m.move_id FROM hm WHERE m.move_id = hm.move_id;"
	    "ALTER TABLE inventory.moves ENABLE TRIGGER USER;"
	    "INSERT INTO inventory.legs (client_id, move_id, leg_no, line_no, item_id, "
	    "location_id, "
	    "move_date, seq, qty, value, cost) SELECT i.client_id, hm.move_id, 1, 1, i.item_id, "
	    "l.location_id, hm.move_date, 2000000 + hm.move_id, hm.value / 2, hm.value, hm.value "
	    "FROM hm, inventory.items i, inventory.locations l WHERE i.code = '%s' AND l.code = "
	    "'W1' AND l.client_id = i.client_id;"
	    "INSERT INTO inventory.layers (client_id, item_id, move_id, layer_date, seq, qty_in, "
	    "qty_left, unit_cost) SELECT i.client_id, i.item_id, hm.move_id, hm.move_date, "
	    "2000000 + hm.move_id, 12, 0, 2 FROM hm, inventory.items i WHERE i.code = '%s' AND "
	    "hm.value > 0 AND '%s' = 'fifo';"
	    "INSERT INTO inventory.stock (client_id, item_id, location_id, stripe, qty, value) "
	    "SELECT i.client_id, i.item_id, l.location_id, 0, sum(hm.value) / 2, sum(hm.value) "
	    "FROM hm, inventory.items i, inventory.locations l WHERE i.code = '%s' AND l.code = "
	    "'W1' AND l.client_id = i.client_id GROUP BY 1, 2, 3;"
	    "WITH last AS (SELECT layer_id FROM inventory.layers l JOIN inventory.items i USING "
	    "(client_id, item_id) WHERE i.code = '%s' ORDER BY layer_date DESC, seq DESC LIMIT "
	    "(SELECT sum(qty)::int / 12 FROM inventory.stock s JOIN inventory.items i USING "
	    "(client_id, item_id) WHERE i.code = '%s')) UPDATE inventory.layers SET qty_left = 12 "
	    "WHERE layer_id IN (SELECT layer_id FROM last);"
	    "DROP TABLE h, hm; ANALYZE inventory.legs, inventory.layers;",
	    item, method, moves, moves, item, item, method, item, item, item);
	bench_exec(super, sql);
	snprintf(lines, sizeof(lines),
		 "[{\"item\":\"%s\",\"qty\":\"10\",\"location\":\"W1\",\"unit_cost\":\"1.00\"}]",
		 item);
	{
		char *date = bench_value(super, "SELECT (current_date - 365)::text", 0, NULL);
		char warm[160];

		/* a receipt of another item first: the session's functions and
		 * plans are compiled, as in a clerk's first minute */
		snprintf(warm, sizeof(warm),
			 "[{\"item\":\"I01\",\"qty\":\"1\",\"location\":\"W1\","
			 "\"unit_cost\":\"1.25\"}]");
		res = bd_db_query(clerk, "inventory.move_create",
				  BD_PARAMS("INVB", "receipt", today, "", "", warm), &err);
		if (!res)
			bench_die("warm-up receipt: %s", err.msg);
		bd_db_result_free(res);
		t0 = bench_now();
		res = bd_db_query(clerk, "inventory.move_create",
				  BD_PARAMS("INVB", "receipt", date, "", "", lines), &err);
		ms = (bench_now() - t0) * 1000;
		free(date);
	}
	if (!res)
		bench_die("backdated receipt: %s", err.msg);
	bd_db_result_free(res);
	snprintf(label, sizeof(label),
		 "Inventory: a receipt backdated a year into an item's %ld-move history", moves);
	snprintf(a, sizeof(a), "%.1f ms", ms);
	bench_row(label, method, a, "-", -1, "<= 50 ms", bench_met(ms <= 50));
	bd_db_free(clerk);
	bd_db_free(super);
}

int
main(void)
{
	long seconds = bench_knob("BENCH_INV_SECONDS", 20, 6);
	long moves = bench_knob("BENCH_INV_MOVES", 10000000, 200000);
	long item_moves = bench_knob("BENCH_INV_ITEM_MOVES", 100000, 20000);

	signal(SIGPIPE, SIG_IGN);
	bench_open("bench_inventory");
	bench_migrate();
	setup();
	bench_hot((double)seconds);
	load_history(moves);
	bench_as_of(moves);
	bench_backdated("fifo", item_moves);
	bench_backdated("average", item_moves);
	bench_close();
	return 0;
}
