#include "dbtest.h"

#include "backdesk/connect.h"
#include "backdesk/migrate.h"
#include "backdesk/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

/* The running test's cluster, stopped by fatal() so no server outlives us. */
static struct dbtest *running;

static void __attribute__((noreturn, format(printf, 1, 2))) fatal(const char *fmt, ...)
{
	struct dbtest *t = running;
	va_list ap;

	fputs("dbtest: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	running = NULL;
	if (t)
		dbtest_stop(t);
	abort();
}

static void
check(int rc, const struct bd_err *err, const char *what)
{
	if (rc < 0)
		fatal("%s: %s (%s)", what, err->msg, err->detail);
}

void
dbtest_start(struct dbtest *t, bool seed)
{
	char template[] = "/tmp/bdtest-XXXXXX";
	struct bd_err err = BD_ERR_INIT;
	struct bd_migrate_report report;
	struct bd_db *db;
	char data_dir[64];

	memset(t, 0, sizeof(*t));
	if (!mkdtemp(template))
		fatal("mkdtemp failed");
	/* The cluster's unprivileged owner must be able to reach its directory. */
	chmod(template, 0711);
	t->dir = xstrdup(template);
	snprintf(data_dir, sizeof(data_dir), "%s/cluster", t->dir);
	t->cfg = bd_config_defaults();
	running = t;
	check(bd_config_set(t->cfg, "database.data_dir", data_dir, "test", &err), &err, "config");
	check(bd_cluster_init(&t->cluster, t->cfg, &err), &err, "cluster init");
	check(bd_cluster_start(&t->cluster, &err), &err, "cluster start");
	db = dbtest_connect(t, NULL);
	/* A throwaway cluster need not survive a power cut. */
	dbtest_exec(db, "ALTER SYSTEM SET fsync = off");
	dbtest_exec(db, "ALTER SYSTEM SET synchronous_commit = off");
	dbtest_exec(db, "ALTER SYSTEM SET full_page_writes = off");
	dbtest_exec(db, "SELECT pg_reload_conf()");
	check(bd_migrate(db, &report, NULL, &err), &err, "migrate");
	if (seed)
		check(bd_migrate_seed_demo(db, &err), &err, "demo seed");
	bd_db_free(db);
}

void
dbtest_stop(struct dbtest *t)
{
	struct bd_err err = BD_ERR_INIT;

	running = NULL;
	if (bd_cluster_destroy(&t->cluster, &err) < 0)
		fprintf(stderr, "dbtest: %s\n", err.msg);
	else
		rmdir(t->dir);
	bd_cluster_release(&t->cluster);
	bd_config_free(t->cfg);
	free(t->dir);
	memset(t, 0, sizeof(*t));
}

char *
dbtest_conninfo(struct dbtest *t, const char *user)
{
	return bd_cluster_conninfo(&t->cluster, user, NULL);
}

struct bd_db *
dbtest_connect(struct dbtest *t, const char *user)
{
	struct bd_err err = BD_ERR_INIT;
	char *conninfo = dbtest_conninfo(t, user);
	struct bd_db *db = bd_db_connect(conninfo, &err);

	if (!db)
		fatal("connect as %s: %s (%s)", user ? user : "superuser", err.msg, err.detail);
	free(conninfo);
	return db;
}

void
dbtest_exec(struct bd_db *db, const char *sql)
{
	struct bd_err err = BD_ERR_INIT;

	if (bd_db_exec_script(db, sql, &err) < 0)
		fatal("%s: %s (%s)", sql, err.msg, err.detail);
}

struct bd_db_result *
dbtest_query(struct bd_db *db, const char *sql, int nparams, const char *const *params,
	     struct bd_err *err)
{
	return bd_db_adhoc(db, sql, nparams, params, err);
}

long long
dbtest_scalar(struct bd_db *db, const char *sql, int nparams, const char *const *params)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_adhoc(db, sql, nparams, params, &err);
	long long v;

	if (!res)
		fatal("%s: %s (%s)", sql, err.msg, err.detail);
	if (bd_db_result_rows(res) < 1)
		fatal("%s: no rows", sql);
	v = strtoll(bd_db_result_get(res, 0, 0), NULL, 10);
	bd_db_result_free(res);
	return v;
}

bool
dbtest_fails(struct bd_db *db, const char *sql, int nparams, const char *const *params,
	     struct bd_err *err)
{
	struct bd_err local = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_adhoc(db, sql, nparams, params, err ? err : &local);

	if (!res)
		return true;
	bd_db_result_free(res);
	return false;
}

struct bd_db_result *
dbtest_named(struct bd_db *db, const char *query, int nparams, const char *const *params)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(db, query, nparams, params, &err);

	if (!res)
		fail_msg("%s failed: %s (%s)", query, err.msg, err.detail);
	return res;
}

void
dbtest_named_ok(struct bd_db *db, const char *query, int nparams, const char *const *params)
{
	bd_db_result_free(dbtest_named(db, query, nparams, params));
}

struct bd_err
dbtest_named_refused(struct bd_db *db, const char *query, int nparams, const char *const *params)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(db, query, nparams, params, &err);

	if (res) {
		bd_db_result_free(res);
		fail_msg("%s was not refused", query);
	}
	return err;
}

const char *
dbtest_col(const struct bd_db_result *res, int row, const char *name)
{
	int c = bd_db_result_col(res, name);

	if (c < 0)
		fail_msg("no column %s", name);
	return bd_db_result_get(res, row, c);
}

char *
dbtest_text(struct bd_db *db, const char *sql, const char *arg)
{
	struct bd_err err = BD_ERR_INIT;
	const char *params[1] = {arg};
	struct bd_db_result *res = dbtest_query(db, sql, arg ? 1 : 0, params, &err);
	char *s;

	if (!res)
		fail_msg("%s: %s (%s)", sql, err.msg, err.detail);
	if (bd_db_result_rows(res) != 1)
		fail_msg("%s: %d rows, expected one", sql, bd_db_result_rows(res));
	s = xstrdup(bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	return s;
}
