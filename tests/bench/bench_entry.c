/*
 * Data-entry queue benchmark: simulated clerks on the real F2 path (the named
 * query entry.submit_and_claim_next, as the screen runs it) at 1, 8, 32 and
 * 64 connections, against pgbench's built-in TPC-B-like transaction on the
 * same private cluster in the same run; then a sustained run against its own
 * first ten seconds (queue bloat).
 *
 *   bench_entry [SECONDS_PER_LEVEL [SUSTAINED_SECONDS]]   (default 10 and 120)
 *
 * Each clerk is its own process and connection, logged in as its own
 * operator (a clerk holds one document at a time). Latency is measured by
 * the client around each call over the Unix socket, so it is an upper bound
 * of the server-side time. Duplicate claims are counted: a document claimed
 * twice would make one of its two submits fail, and every document keyed
 * must have exactly one pass.
 */
#include "backdesk/cluster.h"
#include "backdesk/config.h"
#include "backdesk/db.h"
#include "backdesk/entry.h"
#include "backdesk/migrate.h"
#include "backdesk/strbuf.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { MAX_CLERKS = 64, MAX_SECONDS = 3600 };

static const char SIMPLE[] =
    "screen = { name = \"simple\"; title = \"Simple\"; fields = (\n"
    "  { name = \"name\"; label = \"Name\"; row = 3; col = 2; type = \"text\"; width = 20; },\n"
    "  { name = \"amount\"; label = \"Amount\"; row = 4; col = 2; type = \"money\"; }\n"
    "); };\n";

static struct bd_cluster cluster;
static char *workdir;

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("bench_entry: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct bd_db *
connect_as(const char *user, const char *dbname)
{
	struct bd_err err = BD_ERR_INIT;
	char *ci = bd_cluster_conninfo(&cluster, user, dbname);
	struct bd_db *db = bd_db_connect(ci, &err);

	if (!db)
		die("connect %s: %s (%s)", user ? user : "superuser", err.msg, err.detail);
	free(ci);
	return db;
}

static void
exec_sql(struct bd_db *db, const char *sql)
{
	struct bd_err err = BD_ERR_INIT;

	if (bd_db_exec_script(db, sql, &err) < 0)
		die("%s: %s (%s)", sql, err.msg, err.detail);
}

/* Client BENCH, clerks bc01..bc64, the simple doctype, and a queue of `docs`
 * documents in one batch. Returns the client_id. */
static int
setup(long docs)
{
	struct bd_db *super = connect_as(NULL, NULL), *sup;
	struct bd_err err = BD_ERR_INIT;
	struct bd_migrate_report report;
	struct bd_entry_import imp = {"BENCH", "simple", "single", 1, "24", "bench"};
	struct strbuf sql = STRBUF_INIT;
	struct bd_db_result *res;
	long long batch;
	int client_id;

	exec_sql(super, "ALTER SYSTEM SET synchronous_commit = off");
	exec_sql(super, "ALTER SYSTEM SET max_connections = 200");
	exec_sql(super, "SELECT pg_reload_conf()");
	if (bd_migrate(super, &report, NULL, &err) < 0)
		die("migrate: %s", err.msg);
	exec_sql(super, "SELECT core.client_add('BENCH', 'Bench');"
			"SELECT core.operator_add('bcsup', 'Bench sup', 'supervisor', '{BENCH}');"
			"SELECT core.operator_add('bc' || lpad(i::text, 2, '0'), 'Bench clerk', "
			"'clerk', '{BENCH}') FROM generate_series(1, 64) i;");
	sup = connect_as("bcsup", NULL);
	if (bd_entry_doctype_load(sup, "BENCH", SIMPLE, "simple.conf", NULL, &err) < 0)
		die("doctype: %s", err.msg);
	if (bd_entry_batch_import(sup, &imp, "external_ref\nB0\n", 16, "bench.csv", &batch, NULL,
				  &err) < 0)
		die("import: %s", err.msg);
	bd_db_free(sup);
	/* The rest of the queue in bulk, straight into the batch. */
	strbuf_addf(&sql,
		    "INSERT INTO entry.documents (client_id, batch_id, doctype_id, line, external_ref) "
		    "SELECT b.client_id, b.batch_id, b.doctype_id, i + 1, 'B' || i "
		    "FROM entry.batches b, generate_series(1, %ld) i WHERE b.batch_id = %lld;",
		    docs, batch);
	exec_sql(super, sql.buf);
	exec_sql(super, "VACUUM ANALYZE entry.documents");
	res = bd_db_adhoc(super, "SELECT client_id FROM core.clients WHERE code = 'BENCH'", 0,
			  NULL, &err);
	if (!res)
		die("client: %s", err.msg);
	client_id = atoi(bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	strbuf_release(&sql);
	bd_db_free(super);
	return client_id;
}

struct clerk_result {
	long done, errors;
	long per_second[MAX_SECONDS + 1];
};

/* One clerk process: F2 after F2 for `seconds`. Latencies (ms) go to
 * lat_path, counts to res_path. */
static void __attribute__((noreturn))
clerk(int n, const char *client_id, int seconds, int start_fd, const char *lat_path,
      const char *res_path)
{
	struct clerk_result *r = calloc(1, sizeof(*r));
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	struct bd_db *db;
	char login[16], doc[32], go;
	FILE *lat = fopen(lat_path, "wb"), *out;
	double t0, t, end;

	snprintf(login, sizeof(login), "bc%02d", n);
	db = connect_as(login, NULL);
	if (!lat || read(start_fd, &go, 1) != 1)
		_exit(2);
	t0 = now_s();
	end = t0 + seconds;
	res = bd_db_query(db, "entry.claim_next", BD_PARAMS("300", client_id), &err);
	while (res && bd_db_result_rows(res) == 1 && !bd_db_result_isnull(res, 0, 3)) {
		double a, b;
		float ms;

		snprintf(doc, sizeof(doc), "%s", bd_db_result_get(res, 0, 3));
		bd_db_result_free(res);
		if (now_s() >= end) {
			res = NULL;
			break;
		}
		a = now_s();
		res = bd_db_query(db, "entry.submit_and_claim_next",
				  BD_PARAMS(doc, "{\"name\":\"Bench Keyer\",\"amount\":\"12.50\"}",
					    "24", "1", "8", "2", "300", client_id),
				  &err);
		b = now_s();
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
	if (!out || fwrite(r, sizeof(*r), 1, out) != 1)
		_exit(3);
	fclose(out);
	bd_db_free(db);
	_exit(0);
}

static int
cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return x < y ? -1 : x > y;
}

struct run {
	double rate, p50, p99, first10, last10;
	long done, errors;
};

static struct run
run_clerks(int nclerks, const char *client_id, int seconds)
{
	struct run out = {0};
	pid_t pids[MAX_CLERKS];
	int start[2], i, s;
	float *lats = NULL;
	size_t nlats = 0, alloc = 0;
	long per_second[MAX_SECONDS + 1] = {0};
	char lat_path[512], res_path[512];

	if (pipe(start) < 0)
		die("pipe");
	for (i = 0; i < nclerks; i++) {
		snprintf(lat_path, sizeof(lat_path), "%s/lat.%d", workdir, i);
		snprintf(res_path, sizeof(res_path), "%s/res.%d", workdir, i);
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i] == 0) {
			close(start[1]);
			clerk(i + 1, client_id, seconds, start[0], lat_path, res_path);
		}
	}
	close(start[0]);
	sleep(1); /* everyone connected */
	for (i = 0; i < nclerks; i++)
		if (write(start[1], "g", 1) != 1)
			die("start");
	close(start[1]);
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
			die("clerk %d did not report (status %d)", i + 1, status);
		fclose(fp);
		out.done += r.done;
		out.errors += r.errors;
		for (s = 0; s <= MAX_SECONDS; s++)
			per_second[s] += r.per_second[s];
		fp = fopen(lat_path, "rb");
		while (fp && fread(&ms, sizeof(ms), 1, fp) == 1) {
			if (nlats == alloc) {
				alloc = alloc ? alloc * 2 : 65536;
				lats = realloc(lats, alloc * sizeof(*lats));
			}
			lats[nlats++] = ms;
		}
		if (fp)
			fclose(fp);
		unlink(lat_path);
		unlink(res_path);
	}
	if (nlats) {
		qsort(lats, nlats, sizeof(*lats), cmp_float);
		out.p50 = lats[nlats / 2];
		out.p99 = lats[(size_t)((double)nlats * 0.99)];
	}
	free(lats);
	out.rate = (double)out.done / seconds;
	for (s = 0; s < 10 && s < seconds; s++)
		out.first10 += (double)per_second[s];
	out.first10 /= (seconds < 10 ? seconds : 10);
	for (s = seconds - 10 < 0 ? 0 : seconds - 10; s < seconds; s++)
		out.last10 += (double)per_second[s];
	out.last10 /= (seconds < 10 ? seconds : 10);
	return out;
}

/* pgbench TPC-B on the same cluster: transactions per second. */
static double
pgbench(int clients, int seconds)
{
	char cmd[2048], line[512];
	char *ci = bd_cluster_conninfo(&cluster, NULL, "pgbench");
	double tps = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s/pgbench' -n -c %d -j %d -T %d \"%s\" 2>&1", cluster.bindir,
		 clients, clients < 4 ? clients : 4, seconds, ci);
	p = popen(cmd, "r");
	if (!p)
		die("pgbench");
	while (fgets(line, sizeof(line), p))
		if (!strncmp(line, "tps = ", 6) && strstr(line, "without"))
			tps = atof(line + 6);
	pclose(p);
	free(ci);
	return tps;
}

int
main(int argc, char **argv)
{
	static const int levels[] = {1, 8, 32, 64};
	int seconds = argc > 1 ? atoi(argv[1]) : 10;
	int sustain = argc > 2 ? atoi(argv[2]) : 120;
	struct bd_err err = BD_ERR_INIT;
	struct bd_config *cfg = bd_config_defaults();
	char template[] = "/tmp/bdbench-XXXXXX", data_dir[128], client_id[16], cmd[2048];
	struct bd_db *super, *check;
	struct bd_db_result *res;
	long total = 0, dup;
	char *ci;
	size_t i;
	int scale = 16;

	if (seconds < 1 || seconds > 600 || sustain < 10 || sustain > MAX_SECONDS)
		die("usage: bench_entry [SECONDS_PER_LEVEL (1-600) [SUSTAINED_SECONDS (10-%d)]]",
		    MAX_SECONDS);
	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(template))
		die("mkdtemp");
	chmod(template, 0711);
	workdir = template;
	snprintf(data_dir, sizeof(data_dir), "%s/cluster", template);
	if (bd_config_set(cfg, "database.data_dir", data_dir, "bench", &err) < 0 ||
	    bd_cluster_init(&cluster, cfg, &err) < 0 || bd_cluster_start(&cluster, &err) < 0)
		die("cluster: %s", err.msg);
	/* Enough documents for the longest run at a generous rate. */
	snprintf(client_id, sizeof(client_id), "%d",
		 setup((long)(sustain > seconds ? sustain : seconds) * 6000L + 4L * seconds * 6000L));

	super = connect_as(NULL, NULL);
	exec_sql(super, "CREATE DATABASE pgbench");
	ci = bd_cluster_conninfo(&cluster, NULL, "pgbench");
	snprintf(cmd, sizeof(cmd), "'%s/pgbench' -i -q -s %d \"%s\" >/dev/null 2>&1", cluster.bindir,
		 scale, ci);
	if (system(cmd) != 0)
		die("pgbench -i failed");
	free(ci);

	printf("# entry.submit_and_claim_next vs pgbench TPC-B (scale %d), %d s per level,\n"
	       "# same cluster (synchronous_commit off for both). Latency: client-side over the\n"
	       "# Unix socket (an upper bound of server time).\n",
	       scale, seconds);
	printf("%-8s %10s %10s %7s %9s %9s %7s\n", "clerks", "docs/s", "tpcb_tps", "ratio", "p50_ms",
	       "p99_ms", "errors");
	for (i = 0; i < sizeof(levels) / sizeof(*levels); i++) {
		struct run r = run_clerks(levels[i], client_id, seconds);
		double tps = pgbench(levels[i], seconds);

		total += r.done;
		printf("%-8d %10.0f %10.0f %7.2f %9.2f %9.2f %7ld\n", levels[i], r.rate, tps,
		       tps > 0 ? r.rate / tps : 0, r.p50, r.p99, r.errors);
		fflush(stdout);
	}
	{
		struct run r = run_clerks(8, client_id, sustain);

		total += r.done;
		printf("# sustained, 8 clerks for %d s: %.0f docs/s overall, first 10 s %.0f, last 10 s "
		       "%.0f: last/first %.2f, p99 %.2f ms, %ld errors\n",
		       sustain, r.rate, r.first10, r.last10, r.first10 > 0 ? r.last10 / r.first10 : 0,
		       r.p99, r.errors);
	}
	/* Zero duplicate claims: every done document has exactly one pass, and
	 * the passes are as many as the submits that succeeded. */
	check = connect_as(NULL, NULL);
	res = bd_db_adhoc(check,
			  "SELECT count(*) FILTER (WHERE n <> 1) FROM (SELECT d.document_id, "
			  "(SELECT count(*) FROM entry.passes p WHERE p.client_id = d.client_id AND "
			  "p.document_id = d.document_id) n FROM entry.documents d WHERE d.state = "
			  "'done') x",
			  0, NULL, &err);
	dup = res ? atol(bd_db_result_get(res, 0, 0)) : -1;
	bd_db_result_free(res);
	res = bd_db_adhoc(check, "SELECT count(*) FROM entry.passes", 0, NULL, &err);
	printf("# documents keyed %ld, passes %s, documents with other than one pass: %ld\n", total,
	       res ? bd_db_result_get(res, 0, 0) : "?", dup);
	bd_db_result_free(res);
	bd_db_free(check);
	bd_db_free(super);
	if (bd_cluster_destroy(&cluster, &err) < 0)
		fprintf(stderr, "bench_entry: %s\n", err.msg);
	bd_cluster_release(&cluster);
	bd_config_free(cfg);
	rmdir(template);
	return dup == 0 ? 0 : 1;
}
