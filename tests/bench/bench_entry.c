/*
 * Data-entry queue benchmark: simulated clerks on the real F2 path (the named
 * query entry.submit_and_claim_next, as the screen runs it) at 1, 8, 32 and
 * 64 connections, against pgbench's built-in TPC-B-like transaction on the
 * same private cluster in the same run, with both p99 latencies at 64. Each
 * level runs in halves, clerks, pgbench, pgbench, clerks, so that the
 * machine's drift over a level weighs on both sides alike. Then
 * 64 clerks paced at one F2 each every PACED_MS (the latency of a busy queue,
 * the 10 ms goal) and a sustained run against its own first ten
 * seconds (queue bloat).
 *
 *   BENCH_ENTRY_SECONDS    seconds per level and side (10; BENCH_SCALE=small: 4)
 *   BENCH_SUSTAIN_SECONDS  the sustained run (150; small: 20)
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

#include "backdesk/entry.h"
#include "backdesk/strbuf.h"

#include <signal.h>
#include <sys/wait.h>

/* The paced run: 64 clerks, each an F2 every PACED_MS (256 documents a
 * second offered, a hundred times what 64 people key, and well under what
 * the flat-out runs reach), so it shows the latency of a busy queue rather
 * than the wait for a core. */
enum { MAX_CLERKS = 64, MAX_SECONDS = 3600, PACED_MS = 250 };

static const char SIMPLE[] =
    "screen = { name = \"simple\"; title = \"Simple\"; fields = (\n"
    "  { name = \"name\"; label = \"Name\"; row = 3; col = 2; type = \"text\"; width = 20; },\n"
    "  { name = \"amount\"; label = \"Amount\"; row = 4; col = 2; type = \"money\"; }\n"
    "); };\n";

static char *workdir;

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

struct clerk_result {
	long done, errors, warm;
	long per_second[MAX_SECONDS + 1];
};

/* The F2 as the clerk screen sends it: with an idempotency key of its own. */
static struct bd_db_result *
submit_and_claim_next(struct bd_db *db, const char *doc, const char *client_id, struct bd_err *err)
{
	char key[BD_DB_KEY_SIZE];

	bd_db_new_key(key);
	return bd_db_query(db, "entry.submit_and_claim_next",
			   BD_PARAMS(doc, "{\"name\":\"Bench Keyer\",\"amount\":\"12.50\"}", "24",
				     "1", "8", "2", "300", client_id, key),
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

	snprintf(login, sizeof(login), "bc%02d", n);
	db = bench_connect(login, NULL);
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
	close(start[1]);
	/* Every clerk closes its end of ready when done (or dies): then they
	 * all disconnect together. */
	while (read(ready[0], &byte, 1) == 1)
		;
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

/* pgbench TPC-B on the same cluster for `seconds`: transactions per second;
 * its latencies are added to lats unless that is NULL. */
static double
pgbench(int clients, int seconds, struct lats *lats)
{
	char cmd[2048], line[512], logs[640] = "";
	char *ci = bd_cluster_conninfo(&bench.cluster, NULL, "pgbench");
	double tps = -1;
	FILE *p;

	if (lats)
		snprintf(logs, sizeof(logs), "-l --log-prefix='%s/pgb'", workdir);
	snprintf(cmd, sizeof(cmd), "'%s/pgbench' -c %d -j %d -T %d %s \"%s\" 2>&1",
		 bench.cluster.bindir, clients, clients < 4 ? clients : 4, seconds, logs, ci);
	p = popen(cmd, "r");
	if (!p)
		bench_die("pgbench");
	while (fgets(line, sizeof(line), p))
		if (!strncmp(line, "tps = ", 6))
			tps = atof(line + 6);
	pclose(p);
	free(ci);
	if (tps <= 0)
		bench_die("pgbench -c %d reported no rate", clients);
	if (lats)
		pgbench_latencies(lats);
	return tps;
}

int
main(void)
{
	static const int levels[] = {1, 8, 32, 64};
	long seconds = bench_knob("BENCH_ENTRY_SECONDS", 10, 4);
	long sustain = bench_knob("BENCH_SUSTAIN_SECONDS", 150, 20);
	char client_id[16], cmd[2048], a[64], b[64], m[64];
	struct bd_db *super, *check;
	long total = 0, errors = 0, dup, passes;
	double p99_64 = 0, pgbench_p99 = 0;
	char *ci;
	size_t i;
	int scale = 16;

	if (seconds < 2 || seconds > 600 || sustain < 20 || sustain > MAX_SECONDS)
		bench_die("BENCH_ENTRY_SECONDS is 2-600 and BENCH_SUSTAIN_SECONDS 20-%d",
			  MAX_SECONDS);
	signal(SIGPIPE, SIG_IGN);
	bench_open("bench_entry");
	workdir = bench_scratch();
	bench_migrate();
	/* Enough documents for every run at a rate no 2-core machine reaches. */
	bench_log("queueing documents");
	snprintf(client_id, sizeof(client_id), "%d", setup((sustain + 5 * seconds) * 5000L));

	super = bench_connect(NULL, NULL);
	bench_statement(super, "DROP DATABASE IF EXISTS pgbench");
	bench_statement(super, "CREATE DATABASE pgbench");
	ci = bd_cluster_conninfo(&bench.cluster, NULL, "pgbench");
	snprintf(cmd, sizeof(cmd), "'%s/pgbench' -i -q -s %d \"%s\" >/dev/null 2>&1",
		 bench.cluster.bindir, scale, ci);
	if (system(cmd) != 0)
		bench_die("pgbench -i failed");
	free(ci);

	for (i = 0; i < sizeof(levels) / sizeof(*levels); i++) {
		struct lats clerk_lats = {0}, pgbench_lats = {0};
		/* pgbench logs its latencies only where its p99 is reported */
		struct lats *pl = levels[i] == 64 ? &pgbench_lats : NULL;
		int half = (int)seconds / 2;
		struct run r1, r2;
		double rate, tps, p50, p99;

		settle(super);
		r1 = run_clerks(levels[i], client_id, half, 0, &clerk_lats);
		settle(super);
		tps = pgbench(levels[i], half, pl);
		settle(super);
		tps += pgbench(levels[i], half, pl);
		settle(super);
		r2 = run_clerks(levels[i], client_id, half, 0, &clerk_lats);
		tps /= 2;
		rate = (double)(r1.done + r2.done) / (2.0 * half);

		total += r1.done + r1.warm + r2.done + r2.warm;
		errors += r1.errors + r2.errors;
		p50 = percentile(clerk_lats.v, clerk_lats.n, 0.5);
		p99 = percentile(clerk_lats.v, clerk_lats.n, 0.99);
		if (levels[i] == 64) {
			p99_64 = p99;
			pgbench_p99 = percentile(pgbench_lats.v, pgbench_lats.n, 0.99);
		}
		bench_log("%d clerks: %.0f docs/s (halves %.0f, %.0f; p50 %.2f ms, p99 %.2f ms, "
			  "%ld errors); pgbench TPC-B %.0f tps",
			  levels[i], rate, r1.rate, r2.rate, p50, p99, r1.errors + r2.errors, tps);
		free(clerk_lats.v);
		free(pgbench_lats.v);
		snprintf(m, sizeof(m), "%d clerk%s", levels[i], levels[i] > 1 ? "s" : "");
		snprintf(a, sizeof(a), "%.0f docs/s", rate);
		snprintf(b, sizeof(b), "%.0f tps (pgbench TPC-B)", tps);
		bench_row("Entry: F2 submit and claim next", m, a, b, rate / tps, ">= 0.8x",
			  bench_met(rate >= 0.8 * tps));
	}
	/* Flat out, 64 clerks and their 64 backends share 2 cores: latency is
	 * mostly the wait for a core (Little's law), as pgbench's own shows. */
	snprintf(a, sizeof(a), "%.1f ms", p99_64);
	snprintf(b, sizeof(b), "%.1f ms (pgbench TPC-B)", pgbench_p99);
	bench_row("Entry: F2 submit and claim next", "p99 latency, 64 clerks flat out", a, b,
		  pgbench_p99 > 0 ? p99_64 / pgbench_p99 : -1, "-", "-");
	{
		struct lats lats = {0};
		struct run r;
		double p99;

		settle(super);
		r = run_clerks(64, client_id, (int)seconds, PACED_MS, &lats);
		p99 = percentile(lats.v, lats.n, 0.99);

		total += r.done + r.warm;
		errors += r.errors;
		bench_log(
		    "64 clerks, an F2 each every %d ms: %.0f docs/s (p50 %.2f ms, p99 %.2f ms, "
		    "%ld errors)",
		    PACED_MS, r.rate, percentile(lats.v, lats.n, 0.5), p99, r.errors);
		free(lats.v);
		snprintf(m, sizeof(m), "p99 latency, 64 clerks, an F2 each every %d ms", PACED_MS);
		snprintf(a, sizeof(a), "%.2f ms", p99);
		bench_row("Entry: F2 submit and claim next", m, a, "-", -1, "<= 10 ms",
			  bench_met(p99 <= 10));
	}
	{
		struct lats lats = {0};
		struct run r;

		settle(super);
		r = run_clerks(8, client_id, (int)sustain, 0, &lats);

		total += r.done + r.warm;
		errors += r.errors;
		bench_log("sustained, 8 clerks for %ld s: %.0f docs/s overall, first 10 s %.0f, "
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
	rmdir(workdir);
	free(workdir);
	bench_close();
	return 0;
}
