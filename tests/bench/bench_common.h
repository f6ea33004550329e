#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H
/*
 * Shared by the bench_*.c programs (each is its own executable, so this is
 * a header of static inline helpers): the cluster to run on, connections,
 * timing, and the result rows that tests/bench/run.sh gathers into the
 * README's table.
 *
 * The cluster: when BENCH_CONFIG names a backdesk configuration file (run.sh
 * does this), the benchmark uses that embedded cluster, already started, and
 * leaves it running; otherwise it creates a private one in a temporary
 * directory and destroys it at the end.
 *
 * Result rows go to stdout as markdown table rows
 *   | benchmark | measure | Backdesk | reference | ratio | goal | met? |
 * and everything else (progress, details) to stderr.
 */
#include "backdesk/cluster.h"
#include "backdesk/config.h"
#include "backdesk/db.h"
#include "backdesk/migrate.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct bench {
	const char *name; /* prefix of messages */
	struct bd_cluster cluster;
	struct bd_config *cfg;
	char dir[64]; /* our own temporary cluster's directory, or "" */
};

static struct bench bench;

static inline void __attribute__((noreturn, format(printf, 1, 2))) bench_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", bench.name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static inline void __attribute__((format(printf, 1, 2))) bench_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", bench.name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	fflush(stderr);
}

static inline double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void
bench_sleep_until(double when)
{
	struct timespec ts;

	if (when <= bench_now())
		return;
	ts.tv_sec = (time_t)when;
	ts.tv_nsec = (long)((when - (double)ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0)
		;
}

/* BENCH_SCALE=small picks the quick values, anything else the full ones;
 * a variable named `env` (when set) overrides both. */
static inline long
bench_knob(const char *env, long full, long small)
{
	const char *v = getenv(env), *scale = getenv("BENCH_SCALE");

	if (v && *v)
		return atol(v);
	return scale && !strcmp(scale, "small") ? small : full;
}

static inline void bench_throwaway(void);

static inline void
bench_open(const char *name)
{
	struct bd_err err = BD_ERR_INIT;
	const char *conf = getenv("BENCH_CONFIG");

	bench.name = name;
	if (conf && *conf) {
		bench.cfg = bd_config_load(conf, &err);
		if (!bench.cfg)
			bench_die("%s: %s", conf, err.msg);
	} else {
		char data_dir[128];

		snprintf(bench.dir, sizeof(bench.dir), "/tmp/bdbench-XXXXXX");
		if (!mkdtemp(bench.dir))
			bench_die("mkdtemp");
		/* The cluster's unprivileged owner must reach it when we are root. */
		chmod(bench.dir, 0711);
		snprintf(data_dir, sizeof(data_dir), "%s/cluster", bench.dir);
		bench.cfg = bd_config_defaults();
		if (bd_config_set(bench.cfg, "database.data_dir", data_dir, "bench", &err) < 0)
			bench_die("config: %s", err.msg);
	}
	if (bd_cluster_init(&bench.cluster, bench.cfg, &err) < 0 ||
	    bd_cluster_start(&bench.cluster, &err) < 0)
		bench_die("cluster: %s (%s)", err.msg, err.detail);
	bench_throwaway();
}

static inline void
bench_close(void)
{
	struct bd_err err = BD_ERR_INIT;

	if (bench.dir[0]) {
		if (bd_cluster_destroy(&bench.cluster, &err) < 0)
			bench_log("%s", err.msg);
		else
			rmdir(bench.dir);
	}
	bd_cluster_release(&bench.cluster);
	bd_config_free(bench.cfg);
}

/* A directory for scratch files: under our cluster's directory, or a new
 * one under /tmp. Malloc'd; the caller removes what it puts there. */
static inline char *
bench_scratch(void)
{
	char *dir = strdup("/tmp/bdbench-scratch-XXXXXX");

	if (!dir || !mkdtemp(dir))
		bench_die("mkdtemp");
	chmod(dir, 0711);
	return dir;
}

/* user NULL: the cluster superuser; dbname NULL: "backdesk". */
static inline struct bd_db *
bench_connect(const char *user, const char *dbname)
{
	struct bd_err err = BD_ERR_INIT;
	char *ci = bd_cluster_conninfo(&bench.cluster, user, dbname);
	struct bd_db *db = bd_db_connect(ci, &err);

	if (!db)
		bench_die("connect %s: %s (%s)", user ? user : "superuser", err.msg, err.detail);
	free(ci);
	return db;
}

static inline void
bench_exec(struct bd_db *db, const char *sql)
{
	struct bd_err err = BD_ERR_INIT;

	if (bd_db_exec_script(db, sql, &err) < 0)
		bench_die("%.300s: %s (%s)", sql, err.msg, err.detail);
}

/* One statement outside any transaction (VACUUM, CHECKPOINT). */
static inline void
bench_statement(struct bd_db *db, const char *sql)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_adhoc(db, sql, 0, NULL, &err);

	if (!res)
		bench_die("%.300s: %s (%s)", sql, err.msg, err.detail);
	bd_db_result_free(res);
}

/* A throwaway cluster: no durability, for Backdesk and every reference
 * alike. Commits then cost CPU rather than disk flushes, which makes the
 * ratios of write paths stricter, not easier. */
static inline void
bench_throwaway(void)
{
	struct bd_db *db = bench_connect(NULL, NULL);

	bench_statement(db, "ALTER SYSTEM SET fsync = off");
	bench_statement(db, "ALTER SYSTEM SET synchronous_commit = off");
	bench_statement(db, "ALTER SYSTEM SET full_page_writes = off");
	bench_statement(db, "SELECT pg_reload_conf()");
	bd_db_free(db);
}

/* First column of the first row of `sql` (with parameters) as text;
 * malloc'd. */
static inline char *
bench_value(struct bd_db *db, const char *sql, int nparams, const char *const *params)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_adhoc(db, sql, nparams, params, &err);
	char *v;

	if (!res)
		bench_die("%.300s: %s (%s)", sql, err.msg, err.detail);
	if (bd_db_result_rows(res) < 1)
		bench_die("%.300s: no rows", sql);
	v = strdup(bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	return v;
}

static inline long long
bench_scalar(struct bd_db *db, const char *sql, int nparams, const char *const *params)
{
	char *v = bench_value(db, sql, nparams, params);
	long long n = strtoll(v, NULL, 10);

	free(v);
	return n;
}

/* Applies the migrations (idempotent). */
static inline void
bench_migrate(void)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_migrate_report report;
	struct bd_db *db = bench_connect(NULL, NULL);

	if (bd_migrate(db, &report, NULL, &err) < 0)
		bench_die("migrate: %s (%s)", err.msg, err.detail);
	bd_db_free(db);
}

/* Fields 4 (the parent) to 17 of /proc/PID/stat as numbered in proc(5)
 * into f[4..17]; -1 when the process is gone. */
static inline int
bench_proc_stat(long pid, unsigned long f[18])
{
	char path[64], buf[1024], *p;
	FILE *fp;
	int field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	fp = fopen(path, "r");
	if (!fp)
		return -1;
	p = fgets(buf, sizeof(buf), fp);
	fclose(fp);
	/* Fields after the command name in parentheses: state is field 3. */
	p = p ? strrchr(buf, ')') : NULL;
	if (!p)
		return -1;
	memset(f, 0, 18 * sizeof(*f));
	for (field = 2; *p && field < 17; p++) {
		if (*p != ' ')
			continue;
		field++;
		if (field >= 4)
			f[field] = strtoul(p + 1, NULL, 10);
	}
	return 0;
}

/* CPU seconds (user + system) a process has used so far, from /proc. */
static inline double
bench_proc_cpu_seconds(long pid)
{
	unsigned long f[18];

	if (bench_proc_stat(pid, f) < 0)
		bench_die("cannot read /proc/%ld/stat", pid);
	return (double)(f[14] + f[15]) / (double)sysconf(_SC_CLK_TCK);
}

/* CPU seconds a process has run so far, to the nanosecond (the first field
 * of /proc/PID/schedstat), where /proc/PID/stat counts clock ticks of 10 ms:
 * for spans of a few ms, such as a backend's sign-on. Falls back to the
 * ticks when the kernel keeps no schedstat. */
static inline double
bench_proc_run_seconds(long pid)
{
	char path[64];
	unsigned long long ns;
	FILE *fp;
	int ok;

	snprintf(path, sizeof(path), "/proc/%ld/schedstat", pid);
	fp = fopen(path, "r");
	if (!fp)
		return bench_proc_cpu_seconds(pid);
	ok = fscanf(fp, "%llu", &ns) == 1;
	fclose(fp);
	return ok ? (double)ns / 1e9 : bench_proc_cpu_seconds(pid);
}

/* CPU seconds the whole cluster has used so far: the postmaster, every
 * process it started that is still there (backends, background workers,
 * zombies not yet reaped) and, through the postmaster's cutime and cstime,
 * those that have ended. The difference of two readings is the server's
 * CPU time over that span, whoever's backends it was and however they came
 * and went. */
static inline double
bench_server_cpu_seconds(void)
{
	char path[512], line[64];
	unsigned long f[18], ticks;
	struct dirent *e;
	long pm;
	FILE *fp;
	DIR *d;

	snprintf(path, sizeof(path), "%s/pgdata/postmaster.pid", bench.cluster.data_dir);
	fp = fopen(path, "r");
	if (!fp || !fgets(line, sizeof(line), fp))
		bench_die("cannot read %s", path);
	fclose(fp);
	pm = atol(line);
	if (bench_proc_stat(pm, f) < 0)
		bench_die("the postmaster (%ld) is not running", pm);
	ticks = f[14] + f[15] + f[16] + f[17];
	d = opendir("/proc");
	if (!d)
		bench_die("cannot read /proc");
	while ((e = readdir(d))) {
		long pid = atol(e->d_name);

		if (pid > 0 && pid != pm && bench_proc_stat(pid, f) == 0 && (long)f[4] == pm)
			ticks += f[14] + f[15];
	}
	closedir(d);
	return (double)ticks / (double)sysconf(_SC_CLK_TCK);
}

static inline int
bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v and returns its median. */
static inline double
bench_median(double *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One row of the results table. `ratio` < 0 prints as "-"; `met` is
 * "yes", "no" or "-" (no goal). */
static inline void
bench_row(const char *benchmark, const char *measure, const char *backdesk, const char *reference,
	  double ratio, const char *goal, const char *met)
{
	char r[32] = "-";

	if (ratio >= 0)
		snprintf(r, sizeof(r), ratio >= 100 ? "%.0fx" : "%.2fx", ratio);
	printf("| %s | %s | %s | %s | %s | %s | %s |\n", benchmark, measure, backdesk, reference, r,
	       goal, met);
	fflush(stdout);
}

static inline const char *
bench_met(bool ok)
{
	return ok ? "yes" : "**no**";
}

#endif
