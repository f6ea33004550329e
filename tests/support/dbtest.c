#include "dbtest.h"

#include "backdesk/connect.h"
#include "backdesk/migrate.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sys/wait.h>
#include <time.h>

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

/* ---- a streaming standby ------------------------------------------------- */

enum { STANDBY_PORT = 5433 };

/* Runs the PostgreSQL tool bindir/argv[0] as the cluster's owner, its
 * output to DIR/standby.log; returns its exit status. */
static int
run_pg_tool(struct dbtest *t, const char *const argv[])
{
	struct strbuf prog = STRBUF_INIT, logpath = STRBUF_INIT;
	int status = -1;
	pid_t pid;

	strbuf_addf(&prog, "%s/%s", t->cluster.bindir, argv[0]);
	strbuf_addf(&logpath, "%s/standby/tools.log", t->dir);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int fd = open(logpath.buf, O_WRONLY | O_APPEND | O_CREAT, 0644);

		if (t->cluster.run_as) {
			struct passwd *pw = getpwnam(t->cluster.run_as);

			if (!pw || (fd >= 0 && fchown(fd, pw->pw_uid, pw->pw_gid)) ||
			    initgroups(pw->pw_name, pw->pw_gid) || setgid(pw->pw_gid) ||
			    setuid(pw->pw_uid))
				_exit(126);
		}
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		setsid(); /* the server outlives this child */
		execv(prog.buf, (char *const *)argv);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	strbuf_release(&prog);
	strbuf_release(&logpath);
	return pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* mkdir owned by the cluster's owner, mode 0700. */
static void
owned_dir(struct dbtest *t, const char *dir)
{
	if (mkdir(dir, 0700) && errno != EEXIST)
		fatal("mkdir %s: %s", dir, strerror(errno));
	if (t->cluster.run_as) {
		struct passwd *pw = getpwnam(t->cluster.run_as);

		if (!pw || chown(dir, pw->pw_uid, pw->pw_gid))
			fatal("cannot hand %s to %s", dir, t->cluster.run_as);
	}
}

char *
dbtest_standby_conninfo(struct dbtest *t, const char *user)
{
	struct strbuf ci = STRBUF_INIT;

	strbuf_addf(&ci, "host='%s/standby/run' port=%d dbname='backdesk'", t->dir, STANDBY_PORT);
	if (user)
		strbuf_addf(&ci, " user='%s'", user);
	return strbuf_detach(&ci, NULL);
}

void
dbtest_standby_start(struct dbtest *t)
{
	struct strbuf data = STRBUF_INIT, run = STRBUF_INIT, conf = STRBUF_INIT, log = STRBUF_INIT;

	strbuf_addf(&data, "%s/standby/pgdata", t->dir);
	strbuf_addf(&run, "%s/standby/run", t->dir);
	strbuf_addf(&log, "%s/standby/postgresql.log", t->dir);
	if (!t->standby) {
		struct strbuf dir = STRBUF_INIT;
		const char *backup[] = {"pg_basebackup",
					"-D",
					data.buf,
					"-R",
					"-X",
					"stream",
					"-c",
					"fast",
					"-h",
					t->cluster.socket_dir,
					"-U",
					bd_cluster_superuser(&t->cluster),
					NULL};
		FILE *f;

		strbuf_addf(&dir, "%s/standby", t->dir);
		owned_dir(t, dir.buf);
		t->standby = strbuf_detach(&dir, NULL);
		if (run_pg_tool(t, backup) != 0)
			fatal("pg_basebackup failed; see %s/tools.log", t->standby);
		owned_dir(t, run.buf);
		strbuf_addf(&conf, "%s/postgresql.conf", data.buf);
		if (!(f = fopen(conf.buf, "a")))
			fatal("cannot append to %s", conf.buf);
		fprintf(f,
			"\n# the test's standby: its own socket and port\n"
			"unix_socket_directories = '%s'\nport = %d\n",
			run.buf, STANDBY_PORT);
		fclose(f);
	}
	{
		const char *start[] = {"pg_ctl", "-D", data.buf, "-l",	  log.buf,
				       "-w",	 "-t", "120",	 "start", NULL};

		if (run_pg_tool(t, start) != 0)
			fatal("the standby did not start; see %s", log.buf);
	}
	strbuf_release(&data);
	strbuf_release(&run);
	strbuf_release(&conf);
	strbuf_release(&log);
}

void
dbtest_standby_stop(struct dbtest *t)
{
	struct strbuf data = STRBUF_INIT;
	const char *stop[] = {"pg_ctl", "-D", NULL, "-m", "fast", "-w", "-t", "60", "stop", NULL};

	if (!t->standby)
		return;
	strbuf_addf(&data, "%s/pgdata", t->standby);
	stop[2] = data.buf;
	run_pg_tool(t, stop);
	strbuf_release(&data);
}

void
dbtest_standby_catch_up(struct dbtest *t)
{
	struct bd_db *primary = dbtest_connect(t, NULL);
	char *conninfo = dbtest_standby_conninfo(t, bd_cluster_superuser(&t->cluster));
	struct bd_err err = BD_ERR_INIT;
	struct bd_db *standby = bd_db_connect(conninfo, &err);
	char *lsn;
	const char *params[1];
	int i;

	if (!standby)
		fatal("standby: %s (%s)", err.msg, err.detail);
	/* The insert position: with synchronous_commit off (the tests' clusters)
	 * the write position may still be short of a commit just returned, and
	 * the standby would "catch up" without it. */
	lsn = dbtest_text(primary, "SELECT pg_current_wal_insert_lsn()::text", NULL);
	params[0] = lsn;
	for (i = 0; i < 6000; i++) {
		const struct timespec step = {0, 10 * 1000000L};

		if (dbtest_scalar(standby, "SELECT (pg_last_wal_replay_lsn() >= $1::pg_lsn)::int",
				  1, params) == 1)
			break;
		nanosleep(&step, NULL);
	}
	if (i == 6000)
		fatal("the standby did not replay up to %s within a minute", lsn);
	free(lsn);
	free(conninfo);
	bd_db_free(standby);
	bd_db_free(primary);
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
dbtest_stop(struct dbtest *t)
{
	struct bd_err err = BD_ERR_INIT;

	running = NULL;
	if (t->standby) {
		dbtest_standby_stop(t);
		nftw(t->standby, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		free(t->standby);
		t->standby = NULL;
	}
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

int
dbtest_notifications_before_marker(struct bd_db *su, struct bd_db *db, const char *channel)
{
	int i, n = 0;

	dbtest_exec(su, "SELECT pg_notify('bd_test_marker', '')");
	for (i = 0; i < 1500; i++) {
		struct pollfd pfd = {bd_db_socket(db), POLLIN, 0};
		struct bd_err err = BD_ERR_INIT;
		char *ch, *pl;
		bool done = false;

		poll(&pfd, 1, 20);
		assert_int_equal(bd_db_consume(db, &err), 0);
		while (bd_db_next_notify(db, &ch, &pl) == 1) {
			if (!strcmp(ch, "bd_test_marker"))
				done = true;
			else if (!strcmp(ch, channel))
				n++;
			free(ch);
			free(pl);
		}
		if (done)
			return n;
	}
	fail_msg("the marker notification never came");
	return -1;
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

int
dbtest_cli(struct dbtest *t, const char *login, int (*run)(struct bd_cli *, int, char **),
	   const char *command, const char *const *args)
{
	struct bd_config *cfg = bd_config_defaults();
	struct bd_err err = BD_ERR_INIT;
	struct bd_cli c = {cfg, NULL, command, BD_CLI_OPERATOR};
	char *conninfo = dbtest_conninfo(t, login);
	char *argv[32];
	int argc = 0, rc;

	assert_int_equal(bd_config_set(cfg, "database.conninfo", conninfo, "test", &err), 0);
	argv[argc++] = (char *)command;
	while (args[argc - 1]) {
		assert_true(argc < 31);
		argv[argc] = (char *)args[argc - 1];
		argc++;
	}
	argv[argc] = NULL;
	fflush(stdout);
	rc = run(&c, argc, argv);
	fflush(stdout);
	free(conninfo);
	bd_config_free(cfg);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
dbtest_sort_items(struct strbuf *sb)
{
	char **items = xcalloc(sb->len + 1, sizeof(*items)), *copy = xstrdup(sb->buf), *save = NULL,
	     *tok;
	size_t n = 0, i;

	for (tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save))
		items[n++] = tok;
	qsort(items, n, sizeof(*items), cmp_str);
	strbuf_reset(sb);
	for (i = 0; i < n; i++)
		strbuf_addf(sb, "%s;", items[i]);
	free(items);
	free(copy);
}

void
dbtest_write_file(const char *file, const char *text)
{
	FILE *f = fopen(file, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}
