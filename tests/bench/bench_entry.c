/*
 * Data-entry queue benchmark: simulated clerks on the real F2 path (the named
 * query entry.submit_and_claim_next, as the screen runs it) at 1, 8, 32 and
 * 64 connections, against two references on the same private cluster in the
 * same run: pgbench's built-in TPC-B-like transaction (seven statements, so
 * seven round trips, where an F2 is one), and the same TPC-B work as one
 * call of a PL/pgSQL function (tpcb_one, driven by pgbench with the same
 * random parameters), which makes one round trip as the F2 does. Each level
 * runs in halves, clerks, TPC-B, one call, one call, TPC-B, clerks, so that
 * the machine's drift over a level weighs on every side alike; the server's
 * CPU time per transaction (the whole cluster's, from /proc) is reported at
 * 1 client, where it is what limits the rate. Then 64 clerks paced at one F2
 * each every PACED_MS (the latency of a busy queue, the 10 ms goal),
 * a sustained run against its own first ten seconds (queue bloat), and an
 * A/B of the database's field checks: one clerk with entry.check_values as
 * its function file has it and as 020_entry had it, interleaved, on the
 * benchmark's two-field type and on the shipped claim (23 fields, lookups,
 * a sum rule): the backend's CPU time per F2 both ways.
 *
 *   BENCH_ENTRY_SECONDS    seconds per level and side (10; BENCH_SCALE=small: 4)
 *   BENCH_SUSTAIN_SECONDS  the sustained run (150; small: 20)
 *   BENCH_AB_BLOCKS        the A/B's blocks of 200 F2s per side (24; small: 8)
 *   BENCH_AB_ONLY=1        only the A/B (to try a change of the checks quickly)
 *
 * Runs on the cluster named by BENCH_CONFIG (tests/bench/run.sh), else on a
 * private one (bench_common.h). Result rows on stdout, details on stderr.
 *
 * Each clerk is its own process and connection, logged in as its own
 * operator (a clerk holds one document at a time). Latency is measured by
 * the client around each call over the Unix socket, so it is an upper bound
 * of the server-side time. Duplicate claims are counted: a document claimed
 * twice would make one of its two submits fail, and every document keyed
 * must have exactly one pass.
 */
#include "bench_common.h"

#include "backdesk/embedded.h"
#include "backdesk/entry.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

#include <signal.h>
#include <sys/wait.h>

/* The paced run: 64 clerks, each an F2 every PACED_MS (256 documents a
 * second offered, a hundred times what 64 people key, and well under what
 * the flat-out runs reach), so it shows the latency of a busy queue rather
 * than the wait for a core. */
enum { MAX_CLERKS = 64, MAX_SECONDS = 3600, PACED_MS = 250, PGBENCH_SCALE = 16 };

static const char SIMPLE[] =
    "screen = { name = \"simple\"; title = \"Simple\"; fields = (\n"
    "  { name = \"name\"; label = \"Name\"; row = 3; col = 2; type = \"text\"; width = 20; },\n"
    "  { name = \"amount\"; label = \"Amount\"; row = 4; col = 2; type = \"money\"; }\n"
    "); };\n";

static char *workdir;

/* What the clerks' F2s send (the two-field type's values but in the A/B). */
static const char SIMPLE_VALUES[] = "{\"name\":\"Bench Keyer\",\"amount\":\"12.50\"}";
static const char *clerk_values = SIMPLE_VALUES;

/* A claim as the clerk screen sends it: every field, each in its saved form. */
static const char CLAIM_VALUES[] =
    "{\"patient\":\"Smith, John\",\"birth_date\":\"1980-03-12\","
    "\"policy\":\"AC-10237576\",\"relation\":\"SELF\","
    "\"service_from\":\"2024-06-01\",\"service_to\":\"2024-06-02\","
    "\"provider\":\"Dr Patel Clinic\",\"proc1\":\"99213\",\"diag1\":\"J06.9\","
    "\"amount1\":\"125.00\",\"proc2\":\"99213\",\"diag2\":\"J06.9\",\"amount2\":\"20.50\","
    "\"proc3\":\"\",\"diag3\":\"\",\"amount3\":\"\",\"proc4\":\"\",\"diag4\":\"\","
    "\"amount4\":\"\",\"total\":\"145.50\",\"patient_paid\":\"10.00\","
    "\"emergency\":\"N\",\"remarks\":\"Follow-up visit\"}";

/* The TPC-B-like transaction of pgbench (its built-in script's statements)
 * as one function call, and the pgbench script that calls it with the same
 * random parameters. */
static const char TPCB_ONE[] =
    "CREATE FUNCTION tpcb_one(p_aid integer, p_bid integer, p_tid integer, p_delta integer) "
    "RETURNS integer LANGUAGE plpgsql AS $$ "
    "DECLARE v_abalance integer; "
    "BEGIN "
    "UPDATE pgbench_accounts SET abalance = abalance + p_delta WHERE aid = p_aid; "
    "SELECT abalance INTO v_abalance FROM pgbench_accounts WHERE aid = p_aid; "
    "UPDATE pgbench_tellers SET tbalance = tbalance + p_delta WHERE tid = p_tid; "
    "UPDATE pgbench_branches SET bbalance = bbalance + p_delta WHERE bid = p_bid; "
    "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) "
    "VALUES (p_tid, p_bid, p_aid, p_delta, CURRENT_TIMESTAMP); "
    "RETURN v_abalance; "
    "END $$;";
static const char TPCB_ONE_SCRIPT[] = "\\set aid random(1, 100000 * :scale)\n"
				      "\\set bid random(1, 1 * :scale)\n"
				      "\\set tid random(1, 10 * :scale)\n"
				      "\\set delta random(-5000, 5000)\n"
				      "SELECT tpcb_one(:aid, :bid, :tid, :delta);\n";
static char tpcb_one_path[600];

/* Client BENCH, clerks bc01..bc64, the simple doctype, and a queue of `docs`
 * documents in one batch. Returns the client_id. */
static int
setup(long docs)
{
	struct bd_db *super = bench_connect(NULL, NULL), *sup;
	struct bd_err err = BD_ERR_INIT;
	struct bd_entry_import imp = {"BENCH", "simple", "single", 1, "24", "bench"};
	struct strbuf sql = STRBUF_INIT;
	struct bd_db_result *res;
	long long batch;
	int client_id;

	if (bench_scalar(super, "SELECT count(*) FROM core.clients WHERE code = 'BENCH'", 0, NULL))
		bench_die(
		    "this cluster already holds the entry benchmark's queue; use a fresh one");
	bench_exec(super, "SELECT core.client_add('BENCH', 'Bench');"
			  "SELECT core.operator_add('bcsup', 'Bench sup', 'supervisor', '{BENCH}');"
			  "SELECT core.operator_add('bc' || lpad(i::text, 2, '0'), 'Bench clerk', "
			  "'clerk', '{BENCH}') FROM generate_series(1, 64) i;");
	sup = bench_connect("bcsup", NULL);
	if (bd_entry_doctype_load(sup, "BENCH", SIMPLE, "simple.conf", NULL, &err) < 0)
		bench_die("doctype: %s", err.msg);
	if (bd_entry_batch_import(sup, &imp, "external_ref\nB0\n", 16, "bench.csv", &batch, NULL,
				  &err) < 0)
		bench_die("import: %s", err.msg);
	bd_db_free(sup);
	/* The rest of the queue in bulk, straight into the batch, as
	 * entry.batch_import stores documents (with the newest doctype
	 * version, one line each after the header and B0) and counts them. */
	strbuf_addf(
	    &sql,
	    "INSERT INTO entry.documents (client_id, batch_id, doctype_id, doctype_version, "
	    "line, external_ref) "
	    "SELECT b.client_id, b.batch_id, b.doctype_id, d.doctype_version, i + 2, 'B' || i "
	    "FROM entry.batches b JOIN entry.documents d ON d.client_id = b.client_id "
	    "AND d.batch_id = b.batch_id, generate_series(1, %ld) i WHERE b.batch_id = %lld;"
	    "UPDATE entry.batches SET documents = documents + %ld WHERE batch_id = %lld;",
	    docs, batch, docs, batch);
	bench_exec(super, sql.buf);
	bench_statement(super, "VACUUM ANALYZE entry.documents");
	res = bd_db_adhoc(super, "SELECT client_id FROM core.clients WHERE code = 'BENCH'", 0, NULL,
			  &err);
	if (!res)
		bench_die("client: %s", err.msg);
	client_id = atoi(bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	strbuf_release(&sql);
	bd_db_free(super);
	return client_id;
}

/* Client BENCHC with the shipped claim type (and the codes its lookups
 * need), its supervisor bksup and one clerk bk01, and a queue of `docs`
 * claims: the A/B's second type. Returns the client_id. */
static int
setup_claim(long docs)
{
	const struct bd_embedded_file *f = bd_embedded_find("screens/doctypes/claim.conf");
	struct bd_db *super = bench_connect(NULL, NULL), *sup;
	struct bd_err err = BD_ERR_INIT;
	struct bd_entry_import imp = {"BENCHC", "claim", "single", 1, "24", "bench-claims"};
	struct strbuf sql = STRBUF_INIT;
	long long batch;
	int client_id;

	if (!f)
		bench_die("the claim type is not embedded");
	bench_exec(super,
		   "SELECT core.client_add('BENCHC', 'Bench claims');"
		   "SELECT core.operator_add('bksup', 'Bench sup', 'supervisor', '{BENCHC}');"
		   "SELECT core.operator_add('bk01', 'Bench clerk', 'clerk', '{BENCHC}');"
		   "INSERT INTO entry.lookups (client_id, lookup, code, description) "
		   "SELECT client_id, l, c, 'bench' FROM core.clients, "
		   "(VALUES ('procedure', '99213'), ('diagnosis', 'J06.9')) v(l, c) "
		   "WHERE code = 'BENCHC';");
	sup = bench_connect("bksup", NULL);
	if (bd_entry_doctype_load(sup, "BENCHC", f->data, "claim.conf", NULL, &err) < 0)
		bench_die("claim doctype: %s", err.msg);
	if (bd_entry_batch_import(sup, &imp, "external_ref\nK0\n", 16, "claims.csv", &batch, NULL,
				  &err) < 0)
		bench_die("claim import: %s", err.msg);
	bd_db_free(sup);
	strbuf_addf(
	    &sql,
	    "INSERT INTO entry.documents (client_id, batch_id, doctype_id, doctype_version, "
	    "line, external_ref) "
	    "SELECT b.client_id, b.batch_id, b.doctype_id, d.doctype_version, i + 2, 'K' || i "
	    "FROM entry.batches b JOIN entry.documents d ON d.client_id = b.client_id "
	    "AND d.batch_id = b.batch_id, generate_series(1, %ld) i WHERE b.batch_id = %lld;"
	    "UPDATE entry.batches SET documents = documents + %ld WHERE batch_id = %lld;",
	    docs, batch, docs, batch);
	bench_exec(super, sql.buf);
	bench_statement(super, "VACUUM ANALYZE entry.documents");
	client_id = (int)bench_scalar(
	    super, "SELECT client_id FROM core.clients WHERE code = 'BENCHC'", 0, NULL);
	strbuf_release(&sql);
	bd_db_free(super);
	return client_id;
}

struct clerk_result {
	long done, errors, warm;
	double backend_cpu; /* CPU seconds of the clerk's backend while measuring */
	long per_second[MAX_SECONDS + 1];
};

/* The F2 as the clerk screen sends it: with an idempotency key of its own. */
static struct bd_db_result *
submit_and_claim_next(struct bd_db *db, const char *doc, const char *client_id, struct bd_err *err)
{
	char key[BD_DB_KEY_SIZE];

	bd_db_new_key(key);
	return bd_db_query(db, "entry.submit_and_claim_next",
			   BD_PARAMS(doc, clerk_values, "24", "1", "8", "2", "300", client_id, key),
			   err);
}

/* One clerk process: signs on (its first document and one F2, which compile
 * the session's functions and plans, as a clerk's first minute does), says
 * so on ready_fd, waits for the start (start_fd closed), then F2 after F2
 * for `seconds`. Latencies (ms) go to lat_path, counts to res_path. Then it
 * closes ready_fd and stays connected until release_fd is closed. */
static void __attribute__((noreturn))
clerk(int n, const char *client_id, int seconds, int period_ms, int ready_fd, int start_fd,
      int release_fd, const char *lat_path, const char *res_path)
{
	struct clerk_result *r = calloc(1, sizeof(*r));
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	struct bd_db *db;
	char login[16], doc[32], go;
	FILE *lat = fopen(lat_path, "wb"), *out;
	double t0, t, end, next;
	int ok;
	long backend;
	double cpu0;

	snprintf(login, sizeof(login), "bc%02d", n);
	db = bench_connect(login, NULL);
	backend = (long)bench_scalar(db, "SELECT pg_backend_pid()", 0, NULL);
	res = bd_db_query(db, "entry.claim_next", BD_PARAMS("300", client_id), &err);
	if (res && bd_db_result_rows(res) == 1 && !bd_db_result_isnull(res, 0, 3)) {
		snprintf(doc, sizeof(doc), "%s", bd_db_result_get(res, 0, 3));
		bd_db_result_free(res);
		res = submit_and_claim_next(db, doc, client_id, &err);
		r->warm = res ? 1 : 0;
	}
	if (!res)
		fprintf(stderr, "clerk %d: %s\n", n, err.msg);
	if (write(ready_fd, lat && res ? "r" : "x", 1) != 1 || !lat || !res ||
	    read(start_fd, &go, 1) != 0)
		_exit(2);
	t0 = bench_now();
	cpu0 = bench_proc_cpu_seconds(backend);
	end = t0 + seconds;
	/* Paced clerks start spread over one period, as a floor's clerks do. */
	next = t0 + (period_ms ? (double)((n * 7919) % period_ms) / 1000.0 : 0);
	while (res && bd_db_result_rows(res) == 1 && !bd_db_result_isnull(res, 0, 3)) {
		double a, b;
		float ms;

		snprintf(doc, sizeof(doc), "%s", bd_db_result_get(res, 0, 3));
		bd_db_result_free(res);
		if (period_ms) {
			next += period_ms / 1000.0;
			bench_sleep_until(next);
		}
		if (bench_now() >= end) {
			res = NULL;
			break;
		}
		a = bench_now();
		res = submit_and_claim_next(db, doc, client_id, &err);
		b = bench_now();
		if (!res) {
			r->errors++;
			fprintf(stderr, "clerk %d: %s\n", n, err.msg);
			break;
		}
		r->done++;
		t = b - t0;
		if (t >= 0 && t < MAX_SECONDS)
			r->per_second[(int)t]++;
		ms = (float)((b - a) * 1000.0);
		fwrite(&ms, sizeof(ms), 1, lat);
	}
	bd_db_result_free(res);
	r->backend_cpu = bench_proc_cpu_seconds(backend) - cpu0;
	fclose(lat);
	out = fopen(res_path, "wb");
	ok = out && fwrite(r, sizeof(*r), 1, out) == 1;
	if (out)
		fclose(out);
	/* Stay connected until every clerk has stopped measuring: 64 backends
	 * ending at once cost the machine about a second of CPU, which the last
	 * clerks' F2s would otherwise count as their latency. */
	close(ready_fd);
	while (read(release_fd, &go, 1) > 0)
		;
	bd_db_free(db);
	_exit(ok ? 0 : 3);
}

static int
cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return x < y ? -1 : x > y;
}

/* The q-quantile of v (sorted here), 0 when empty. */
static double
percentile(float *v, size_t n, double q)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_float);
	return v[(size_t)((double)(n - 1) * q)];
}

/* Latencies in ms, gathered over one or more runs. */
struct lats {
	float *v;
	size_t n, alloc;
};

static void
lats_add(struct lats *l, float ms)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 65536;
		l->v = realloc(l->v, l->alloc * sizeof(*l->v));
		if (!l->v)
			bench_die("out of memory");
	}
	l->v[l->n++] = ms;
}

struct run {
	double rate, first10, last10;
	double server_cpu;	 /* CPU seconds of the whole cluster while measuring */
	double backend_cpu;	 /* of the clerks' backends alone */
	long done, warm, errors; /* warm: the sign-on F2s, before the clock */
};

/* Starts a run on a clean queue: waits (up to a minute) for autovacuum to
 * finish with what the runs before churned, vacuums the queue and
 * checkpoints. Each run then measures its own concurrency, not the stale
 * index entries of the documents the run before claimed (a claim steps over
 * them until VACUUM removes them; pgbench likewise vacuums its tables before
 * each run). pgbench's runs start here too, so both sides start from a
 * checkpoint. The sustained run measures what stale entries cost over time. */
static void
settle(struct bd_db *super)
{
	int i;

	for (i = 0; i < 60 && bench_scalar(super,
					   "SELECT count(*) FROM pg_stat_activity "
					   "WHERE backend_type = 'autovacuum worker'",
					   0, NULL) > 0;
	     i++)
		sleep(1);
	bench_statement(super, "VACUUM entry.documents, entry.passes");
	bench_statement(super, "CHECKPOINT");
}

/* nclerks clerks for `seconds`, each F2 after F2 as fast as the database
 * answers (period_ms 0) or one F2 every period_ms; their latencies are added
 * to lats. */
static struct run
run_clerks(int nclerks, const char *client_id, int seconds, int period_ms, struct lats *lats)
{
	struct run out = {0};
	pid_t pids[MAX_CLERKS];
	int start[2], ready[2], release[2], i, s;
	char byte;
	long per_second[MAX_SECONDS + 1] = {0};
	char lat_path[512], res_path[512];

	if (pipe(start) < 0 || pipe(ready) < 0 || pipe(release) < 0)
		bench_die("pipe");
	for (i = 0; i < nclerks; i++) {
		snprintf(lat_path, sizeof(lat_path), "%s/lat.%d", workdir, i);
		snprintf(res_path, sizeof(res_path), "%s/res.%d", workdir, i);
		pids[i] = fork();
		if (pids[i] < 0)
			bench_die("fork");
		if (pids[i] == 0) {
			close(start[1]);
			close(ready[0]);
			close(release[1]);
			clerk(i + 1, client_id, seconds, period_ms, ready[1], start[0], release[0],
			      lat_path, res_path);
		}
	}
	close(start[0]);
	close(ready[1]);
	close(release[0]);
	for (i = 0; i < nclerks; i++)
		if (read(ready[0], &byte, 1) != 1 || byte != 'r')
			bench_die("a clerk could not sign on");
	out.server_cpu = bench_server_cpu_seconds();
	close(start[1]);
	/* Every clerk closes its end of ready when done (or dies): then they
	 * all disconnect together. */
	while (read(ready[0], &byte, 1) == 1)
		;
	out.server_cpu = bench_server_cpu_seconds() - out.server_cpu;
	close(ready[0]);
	close(release[1]);
	for (i = 0; i < nclerks; i++) {
		struct clerk_result r;
		FILE *fp;
		float ms;
		int status;

		waitpid(pids[i], &status, 0);
		snprintf(lat_path, sizeof(lat_path), "%s/lat.%d", workdir, i);
		snprintf(res_path, sizeof(res_path), "%s/res.%d", workdir, i);
		fp = fopen(res_path, "rb");
		if (!fp || fread(&r, sizeof(r), 1, fp) != 1)
			bench_die("clerk %d did not report (status %d)", i + 1, status);
		fclose(fp);
		out.done += r.done;
		out.warm += r.warm;
		out.backend_cpu += r.backend_cpu;
		out.errors += r.errors;
		for (s = 0; s <= MAX_SECONDS; s++)
			per_second[s] += r.per_second[s];
		fp = fopen(lat_path, "rb");
		while (fp && fread(&ms, sizeof(ms), 1, fp) == 1)
			lats_add(lats, ms);
		if (fp)
			fclose(fp);
		unlink(lat_path);
		unlink(res_path);
	}
	out.rate = (double)out.done / seconds;
	for (s = 0; s < 10 && s < seconds; s++)
		out.first10 += (double)per_second[s];
	out.first10 /= (seconds < 10 ? seconds : 10);
	for (s = seconds - 10 < 0 ? 0 : seconds - 10; s < seconds; s++)
		out.last10 += (double)per_second[s];
	out.last10 /= (seconds < 10 ? seconds : 10);
	return out;
}

/* Adds the latencies of pgbench's per-transaction logs (-l) under workdir
 * to lats, and removes the logs. */
static void
pgbench_latencies(struct lats *lats)
{
	char cmd[1024], line[256];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "cat '%s'/pgb.* && rm -f '%s'/pgb.*", workdir, workdir);
	p = popen(cmd, "r");
	if (!p)
		bench_die("reading pgbench's logs");
	while (fgets(line, sizeof(line), p)) {
		long client, tx, us;

		if (sscanf(line, "%ld %ld %ld", &client, &tx, &us) == 3)
			lats_add(lats, (float)us / 1000.0f);
	}
	pclose(p);
}

/* pgbench on the same cluster for `seconds`: its built-in TPC-B-like
 * transaction, or with `one` the same work as one tpcb_one call (the same
 * random parameters). Returns transactions per second; *cpu (unless NULL)
 * gets the server's CPU seconds per transaction; its latencies are added to
 * lats unless that is NULL. */
static double
pgbench(int clients, int seconds, bool one, struct lats *lats, double *cpu)
{
	char cmd[2048], line[512], logs[640] = "", script[700] = "";
	char *ci = bd_cluster_conninfo(&bench.cluster, NULL, "pgbench");
	double tps = -1, cpu0 = bench_server_cpu_seconds();
	long txs = 0;
	FILE *p;

	if (lats)
		snprintf(logs, sizeof(logs), "-l --log-prefix='%s/pgb'", workdir);
	if (one)
		snprintf(script, sizeof(script), "-s %d -f '%s'", PGBENCH_SCALE, tpcb_one_path);
	snprintf(cmd, sizeof(cmd), "'%s/pgbench' -c %d -j %d -T %d %s %s \"%s\" 2>&1",
		 bench.cluster.bindir, clients, clients < 4 ? clients : 4, seconds, script, logs,
		 ci);
	p = popen(cmd, "r");
	if (!p)
		bench_die("pgbench");
	while (fgets(line, sizeof(line), p)) {
		if (!strncmp(line, "tps = ", 6))
			tps = atof(line + 6);
		else if (!strncmp(line, "number of transactions actually processed: ", 43))
			txs = atol(line + 43);
	}
	pclose(p);
	free(ci);
	if (tps <= 0 || txs <= 0)
		bench_die("pgbench -c %d%s reported no rate", clients, one ? " (tpcb_one)" : "");
	if (cpu)
		*cpu = (bench_server_cpu_seconds() - cpu0) / (double)txs;
	if (lats)
		pgbench_latencies(lats);
	return tps;
}

/* entry.check_values as embedded file `path` creates it (malloc'd): a
 * repeatable function file is one CREATE OR REPLACE already; from a
 * migration, the text of its CREATE [OR REPLACE] FUNCTION to the end of its
 * body, as CREATE OR REPLACE. */
static char *
check_values_of(const char *path)
{
	const struct bd_embedded_file *f = bd_embedded_find(path);
	struct strbuf sb = STRBUF_INIT;
	const char *a = f ? strstr(f->data, "FUNCTION entry.check_values(") : NULL;
	const char *b = a ? strstr(a, "\n$$;") : NULL;

	if (f && strncmp(path, "sql/functions/", 14) == 0)
		return xstrdup(f->data);
	if (!b)
		bench_die("no entry.check_values in %s", path);
	strbuf_addstr(&sb, "CREATE OR REPLACE ");
	strbuf_add(&sb, a, (size_t)(b + 4 - a));
	return strbuf_detach(&sb, NULL);
}

/* CPU nanoseconds a process has used so far: /proc/PID/schedstat (exact),
 * else /proc/PID/stat (clock ticks). */
static double
cpu_ns(long pid)
{
	char path[64];
	unsigned long long ns;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/proc/%ld/schedstat", pid);
	f = fopen(path, "r");
	ok = f && fscanf(f, "%llu", &ns) == 1;
	if (f)
		fclose(f);
	return ok ? (double)ns : bench_proc_cpu_seconds(pid) * 1e9;
}

/* F2 after F2 as `db` (whose document is *doc), up to n times: the number
 * done; a failure (a refused F2, an empty queue) is added to *errors and
 * ends the series. */
static long
f2_times(struct bd_db *db, const char *client_id, char *doc, size_t size, int n, long *errors)
{
	struct bd_err err = BD_ERR_INIT;
	long done = 0;

	while (done < n) {
		struct bd_db_result *res = submit_and_claim_next(db, doc, client_id, &err);

		if (!res || bd_db_result_rows(res) != 1 || bd_db_result_isnull(res, 0, 3)) {
			bench_log("A/B F2: %s", res ? "the queue ran dry" : err.msg);
			bd_db_result_free(res);
			(*errors)++;
			break;
		}
		snprintf(doc, size, "%s", bd_db_result_get(res, 0, 3));
		bd_db_result_free(res);
		done++;
	}
	return done;
}

/* The A/B of the field checks on one type: one clerk `login` keying
 * `values`, F2 after F2 in blocks of AB_BLOCK, with entry.check_values as
 * its function file has it and as 020 had it (installed from the embedded migrations'
 * own text) in turn, with, without, without, with, ..., `blocks` blocks
 * each, on the same connection, cluster and queue. A switch costs the
 * session a new compile of the function: the first AB_WARM F2s after it
 * are not measured. Each block's figure is its backend's CPU time per F2
 * (schedstat, exact to the nanosecond); the rows give the median of each
 * side's blocks, which a busy machine's bursts move least, and the rate.
 * The current function is in place afterwards. */
enum { AB_BLOCK = 200, AB_WARM = 20 };

static void
ab_checks(struct bd_db *super, const char *what, const char *login, const char *values,
	  const char *client_id, int blocks, long *total, long *errors)
{
	char *fn[2] = {check_values_of("sql/migrations/020_entry.sql"),
		       check_values_of("sql/functions/entry/entry.check_values.sql")};
	double *us[2] = {calloc((size_t)blocks, sizeof(double)),
			 calloc((size_t)blocks, sizeof(double))};
	double secs[2] = {0, 0}, med[2];
	struct bd_db *db = bench_connect(login, NULL);
	struct bd_db_result *res;
	struct bd_err err = BD_ERR_INIT;
	char m[128], a[64], b[64], doc[32];
	long backend = (long)bench_scalar(db, "SELECT pg_backend_pid()", 0, NULL);
	int n[2] = {0, 0}, k;

	clerk_values = values;
	settle(super);
	res = bd_db_query(db, "entry.claim_next", BD_PARAMS("300", client_id), &err);
	if (!res || bd_db_result_rows(res) != 1 || bd_db_result_isnull(res, 0, 3))
		bench_die("A/B %s: no document to key (%s)", what, res ? "empty queue" : err.msg);
	snprintf(doc, sizeof(doc), "%s", bd_db_result_get(res, 0, 3));
	bd_db_result_free(res);
	for (k = 0; k < 2 * blocks; k++) {
		int with = k % 4 == 0 || k % 4 == 3;
		long before = *errors, done;
		double c0, t0;

		bench_exec(super, fn[with]);
		*total += f2_times(db, client_id, doc, sizeof(doc), AB_WARM, errors);
		c0 = cpu_ns(backend);
		t0 = bench_now();
		done = f2_times(db, client_id, doc, sizeof(doc), AB_BLOCK, errors);
		*total += done;
		if (*errors > before)
			break;
		secs[with] += bench_now() - t0;
		us[with][n[with]++] = (cpu_ns(backend) - c0) / 1000.0 / (double)done;
	}
	bench_exec(super, fn[1]);
	bd_db_free(db); /* its last document stays claimed: not keyed */
	if (!n[0] || !n[1]) {
		bench_row("Entry: the database's field checks, A/B", what, "failed: see the log",
			  "-", -1, "<= 1.10x", bench_met(false));
		goto cleanup;
	}
	med[0] = bench_median(us[0], (size_t)n[0]);
	med[1] = bench_median(us[1], (size_t)n[1]);
	bench_log("A/B %s: backend CPU per F2, median of %d blocks of %d: %.1f us with the current "
		  "checks, %.1f us with the 020 checks; %.0f and %.0f docs/s",
		  what, n[1], AB_BLOCK, med[1], med[0], n[1] * AB_BLOCK / secs[1],
		  n[0] * AB_BLOCK / secs[0]);
	snprintf(m, sizeof(m), "backend CPU per F2, 1 clerk, %s", what);
	snprintf(a, sizeof(a), "%.0f us (current checks)", med[1]);
	snprintf(b, sizeof(b), "%.0f us (020 checks)", med[0]);
	bench_row("Entry: the database's field checks, A/B", m, a, b,
		  med[0] > 0 ? med[1] / med[0] : -1, "<= 1.10x",
		  bench_met(med[1] <= 1.10 * med[0]));
	snprintf(m, sizeof(m), "F2 rate, 1 clerk, %s", what);
	snprintf(a, sizeof(a), "%.0f docs/s (current checks)", n[1] * AB_BLOCK / secs[1]);
	snprintf(b, sizeof(b), "%.0f docs/s (020 checks)", n[0] * AB_BLOCK / secs[0]);
	bench_row("Entry: the database's field checks, A/B", m, a, b,
		  (n[1] * AB_BLOCK / secs[1]) / (n[0] * AB_BLOCK / secs[0]), "-", "-");
cleanup:
	free(us[0]);
	free(us[1]);
	free(fn[0]);
	free(fn[1]);
}

int
main(void)
{
	static const int levels[] = {1, 8, 32, 64};
	long seconds = bench_knob("BENCH_ENTRY_SECONDS", 10, 4);
	long sustain = bench_knob("BENCH_SUSTAIN_SECONDS", 150, 20);
	long ab_blocks = bench_knob("BENCH_AB_BLOCKS", 24, 8);
	bool ab_only = getenv("BENCH_AB_ONLY") && !strcmp(getenv("BENCH_AB_ONLY"), "1");
	const char *client = "BENCH", *claim_client = "BENCHC";
	char cmd[2048], a[64], b[96], m[64];
	struct bd_db *super, *check, *pgb;
	long total = 0, errors = 0, dup, passes;
	double p99_64 = 0, pgbench_p99 = 0;
	char *ci;
	size_t i;
	FILE *fp;

	if (seconds < 2 || seconds > 600 || sustain < 20 || sustain > MAX_SECONDS ||
	    ab_blocks < 2 || ab_blocks > 1000)
		bench_die("BENCH_ENTRY_SECONDS is 2-600, BENCH_SUSTAIN_SECONDS 20-%d and "
			  "BENCH_AB_BLOCKS 2-1000",
			  MAX_SECONDS);
	signal(SIGPIPE, SIG_IGN);
	bench_open("bench_entry");
	workdir = bench_scratch();
	bench_migrate();
	/* Enough documents for every run at a rate no 2-core machine reaches. */
	bench_log("queueing documents");
	/* the clients' codes: what the entry functions take */
	(void)setup((sustain + 5 * seconds) * 5000L + 2 * ab_blocks * (AB_BLOCK + AB_WARM) + 100);
	(void)setup_claim(2 * ab_blocks * (AB_BLOCK + AB_WARM) + 100);

	super = bench_connect(NULL, NULL);
	bench_statement(super, "DROP DATABASE IF EXISTS pgbench");
	bench_statement(super, "CREATE DATABASE pgbench");
	ci = bd_cluster_conninfo(&bench.cluster, NULL, "pgbench");
	snprintf(cmd, sizeof(cmd), "'%s/pgbench' -i -q -s %d \"%s\" >/dev/null 2>&1",
		 bench.cluster.bindir, PGBENCH_SCALE, ci);
	if (system(cmd) != 0)
		bench_die("pgbench -i failed");
	free(ci);
	pgb = bench_connect(NULL, "pgbench");
	bench_exec(pgb, TPCB_ONE);
	bd_db_free(pgb);
	snprintf(tpcb_one_path, sizeof(tpcb_one_path), "%s/tpcb_one.pgbench", workdir);
	fp = fopen(tpcb_one_path, "w");
	if (!fp || fputs(TPCB_ONE_SCRIPT, fp) < 0 || fclose(fp) != 0)
		bench_die("cannot write %s", tpcb_one_path);

	for (i = 0; !ab_only && i < sizeof(levels) / sizeof(*levels); i++) {
		struct lats clerk_lats = {0}, pgbench_lats = {0};
		/* pgbench logs its latencies only where its p99 is reported */
		struct lats *pl = levels[i] == 64 ? &pgbench_lats : NULL;
		int half = (int)seconds / 2;
		struct run r1, r2;
		double rate, tps, one, p50, p99, cpu_tps[2], cpu_one[2], cpu_f2;

		settle(super);
		r1 = run_clerks(levels[i], client, half, 0, &clerk_lats);
		settle(super);
		tps = pgbench(levels[i], half, false, pl, &cpu_tps[0]);
		settle(super);
		one = pgbench(levels[i], half, true, NULL, &cpu_one[0]);
		settle(super);
		one += pgbench(levels[i], half, true, NULL, &cpu_one[1]);
		settle(super);
		tps += pgbench(levels[i], half, false, pl, &cpu_tps[1]);
		settle(super);
		r2 = run_clerks(levels[i], client, half, 0, &clerk_lats);
		tps /= 2;
		one /= 2;
		rate = (double)(r1.done + r2.done) / (2.0 * half);
		cpu_f2 = (r1.server_cpu + r2.server_cpu) / (double)(r1.done + r2.done);

		total += r1.done + r1.warm + r2.done + r2.warm;
		errors += r1.errors + r2.errors;
		p50 = percentile(clerk_lats.v, clerk_lats.n, 0.5);
		p99 = percentile(clerk_lats.v, clerk_lats.n, 0.99);
		if (levels[i] == 64) {
			p99_64 = p99;
			pgbench_p99 = percentile(pgbench_lats.v, pgbench_lats.n, 0.99);
		}
		bench_log("%d clerks: %.0f docs/s (halves %.0f, %.0f; p50 %.2f ms, p99 %.2f ms, "
			  "%ld errors); pgbench TPC-B %.0f tps, as one call %.0f tps; server CPU "
			  "per F2 %.0f us (clerks' backends %.0f us), per TPC-B %.0f us, per call "
			  "%.0f us",
			  levels[i], rate, r1.rate, r2.rate, p50, p99, r1.errors + r2.errors, tps,
			  one, cpu_f2 * 1e6,
			  (r1.backend_cpu + r2.backend_cpu) * 1e6 / (double)(r1.done + r2.done),
			  (cpu_tps[0] + cpu_tps[1]) * 1e6 / 2, (cpu_one[0] + cpu_one[1]) * 1e6 / 2);
		free(clerk_lats.v);
		free(pgbench_lats.v);
		snprintf(m, sizeof(m), "%d clerk%s", levels[i], levels[i] > 1 ? "s" : "");
		snprintf(a, sizeof(a), "%.0f docs/s", rate);
		snprintf(b, sizeof(b), "%.0f tps (pgbench TPC-B)", tps);
		bench_row("Entry: F2 submit and claim next", m, a, b, rate / tps, ">= 0.8x",
			  bench_met(rate >= 0.8 * tps));
		/* No goal: this reference shows what the round trips were worth. */
		snprintf(b, sizeof(b), "%.0f tps (TPC-B as one call)", one);
		bench_row("Entry: F2 submit and claim next", m, a, b, rate / one, "-", "-");
		if (levels[i] == 1) {
			/* Where the time goes: the server's CPU per transaction. */
			snprintf(a, sizeof(a), "%.0f us", cpu_f2 * 1e6);
			snprintf(b, sizeof(b), "TPC-B %.0f us; as one call %.0f us",
				 (cpu_tps[0] + cpu_tps[1]) * 1e6 / 2,
				 (cpu_one[0] + cpu_one[1]) * 1e6 / 2);
			bench_row("Entry: F2 submit and claim next",
				  "server CPU per transaction, 1 clerk", a, b,
				  cpu_f2 * 2 / (cpu_one[0] + cpu_one[1]), "-", "-");
		}
	}
	if (!ab_only) {
		/* Flat out, 64 clerks and their 64 backends share 2 cores: latency is
		 * mostly the wait for a core (Little's law), as pgbench's own shows. */
		snprintf(a, sizeof(a), "%.1f ms", p99_64);
		snprintf(b, sizeof(b), "%.1f ms (pgbench TPC-B)", pgbench_p99);
		bench_row("Entry: F2 submit and claim next", "p99 latency, 64 clerks flat out", a,
			  b, pgbench_p99 > 0 ? p99_64 / pgbench_p99 : -1, "-", "-");
		{
			struct lats lats = {0};
			struct run r;
			double p99;

			settle(super);
			r = run_clerks(64, client, (int)seconds, PACED_MS, &lats);
			p99 = percentile(lats.v, lats.n, 0.99);

			total += r.done + r.warm;
			errors += r.errors;
			bench_log("64 clerks, an F2 each every %d ms: %.0f docs/s (p50 %.2f ms, "
				  "p99 %.2f ms, "
				  "%ld errors)",
				  PACED_MS, r.rate, percentile(lats.v, lats.n, 0.5), p99, r.errors);
			free(lats.v);
			snprintf(m, sizeof(m), "p99 latency, 64 clerks, an F2 each every %d ms",
				 PACED_MS);
			snprintf(a, sizeof(a), "%.2f ms", p99);
			bench_row("Entry: F2 submit and claim next", m, a, "-", -1, "<= 10 ms",
				  bench_met(p99 <= 10));
		}
		{
			struct lats lats = {0};
			struct run r;

			settle(super);
			r = run_clerks(8, client, (int)sustain, 0, &lats);

			total += r.done + r.warm;
			errors += r.errors;
			bench_log(
			    "sustained, 8 clerks for %ld s: %.0f docs/s overall, first 10 s %.0f, "
			    "last 10 s %.0f, p99 %.2f ms, %ld errors",
			    sustain, r.rate, r.first10, r.last10, percentile(lats.v, lats.n, 0.99),
			    r.errors);
			free(lats.v);
			snprintf(m, sizeof(m), "last 10 s of %ld s at 8 clerks", sustain);
			snprintf(a, sizeof(a), "%.0f docs/s", r.last10);
			snprintf(b, sizeof(b), "%.0f docs/s (its first 10 s)", r.first10);
			bench_row("Entry: sustained queue", m, a, b,
				  r.first10 > 0 ? r.last10 / r.first10 : 0, ">= 0.6x",
				  bench_met(r.last10 >= 0.6 * r.first10));
		}
	}
	ab_checks(super, "two-field type", "bc01", SIMPLE_VALUES, client, (int)ab_blocks, &total,
		  &errors);
	ab_checks(super, "the claim (23 fields)", "bk01", CLAIM_VALUES, claim_client,
		  (int)ab_blocks, &total, &errors);
	/* Zero duplicate claims: every done document has exactly one pass, and
	 * the passes are as many as the submits that succeeded. */
	check = bench_connect(NULL, NULL);
	dup =
	    (long)bench_scalar(check,
			       "SELECT count(*) FILTER (WHERE n <> 1) FROM (SELECT d.document_id, "
			       "(SELECT count(*) FROM entry.passes p WHERE p.client_id = "
			       "d.client_id AND p.document_id = d.document_id) n "
			       "FROM entry.documents d WHERE d.state = 'done') x",
			       0, NULL);
	passes = (long)bench_scalar(check, "SELECT count(*) FROM entry.passes", 0, NULL);
	bench_log("documents keyed %ld, passes %ld, documents with other than one pass %ld", total,
		  passes, dup);
	snprintf(a, sizeof(a), "%ld; %ld; %ld", dup, total - passes, errors);
	bench_row("Entry: F2 submit and claim next",
		  "documents keyed twice; submits without a pass; failed calls", a, "-", -1,
		  "0; 0; 0", bench_met(dup == 0 && total == passes && errors == 0));
	bd_db_free(check);
	bd_db_free(super);
	unlink(tpcb_one_path);
	rmdir(workdir);
	free(workdir);
	bench_close();
	return 0;
}
