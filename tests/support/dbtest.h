#ifndef BACKDESK_TEST_DBTEST_H
#define BACKDESK_TEST_DBTEST_H
/*
 * Database tests run against a real PostgreSQL: each test program starts a
 * private cluster (the same embedded-cluster code the product uses, as an
 * unprivileged user when run as root) in a fresh temporary directory,
 * creates and migrates a database, and removes it all at the end.
 * Start it once per test program (in main, before the cmocka group).
 *
 * Failures here abort the test program: a test that cannot reach its
 * database must fail loudly, never skip.
 */
#include "backdesk/command.h"
#include "backdesk/cluster.h"
#include "backdesk/config.h"
#include "backdesk/db.h"
#include "backdesk/strbuf.h"

struct dbtest {
	char *dir;
	struct bd_config *cfg;
	struct bd_cluster cluster;
	char *standby; /* DIR/standby once dbtest_standby_start() made it */
};

/* Starts the cluster, creates database "backdesk" and migrates it; with
 * `seed`, also loads the demo data (sql/demo/: clients ACME and GLOBEX, the
 * demo operators clerk1..3, acct1..2, super1, admin1, and what later
 * modules add). */
void dbtest_start(struct dbtest *t, bool seed);
void dbtest_stop(struct dbtest *t);

/*
 * A streaming standby of the test cluster, as a firm runs one for reports
 * (database.report_conninfo): made on first start with `pg_basebackup -R`
 * (as the cluster's unprivileged owner when run as root) into DIR/standby,
 * on a socket directory of its own and port 5433, never on TCP. Start waits
 * until it accepts connections; stop is a fast shutdown; dbtest_stop()
 * removes it. Its conninfo is key=value words (host, port, dbname, and
 * user when given).
 */
void dbtest_standby_start(struct dbtest *t);
void dbtest_standby_stop(struct dbtest *t);
char *dbtest_standby_conninfo(struct dbtest *t, const char *user);
/* Waits until the standby has replayed all the primary has written so far
 * (its replay position reaches the primary's current one); aborts after a
 * minute. */
void dbtest_standby_catch_up(struct dbtest *t);

/* A connection as `user` (NULL: the superuser) to database "backdesk". */
struct bd_db *dbtest_connect(struct dbtest *t, const char *user);
char *dbtest_conninfo(struct dbtest *t, const char *user);

/* Runs set-up SQL text; aborts on error. */
void dbtest_exec(struct bd_db *db, const char *sql);
/* Runs parameterised SQL; NULL with err set on error. */
struct bd_db_result *dbtest_query(struct bd_db *db, const char *sql, int nparams,
				  const char *const *params, struct bd_err *err);
/* The first column of the first row as a number; aborts on error. */
long long dbtest_scalar(struct bd_db *db, const char *sql, int nparams, const char *const *params);
/* How many notifications on `channel` reached `db` (listening on it and on
 * bd_test_marker) before a marker `su` sends now; fails the test when the
 * marker never comes. */
int dbtest_notifications_before_marker(struct bd_db *su, struct bd_db *db, const char *channel);
/* True when the statement fails; the error goes to *err if given. */
bool dbtest_fails(struct bd_db *db, const char *sql, int nparams, const char *const *params,
		  struct bd_err *err);

/*
 * Named queries (db.h) in tests; a failure fails the running cmocka test.
 * dbtest_named: must succeed, returns the result (the caller frees it);
 * dbtest_named_ok: the same, discarding the result; dbtest_named_refused:
 * must fail, returns the error for further checks.
 */
struct bd_db_result *dbtest_named(struct bd_db *db, const char *query, int nparams,
				  const char *const *params);
void dbtest_named_ok(struct bd_db *db, const char *query, int nparams, const char *const *params);
struct bd_err dbtest_named_refused(struct bd_db *db, const char *query, int nparams,
				   const char *const *params);
/* The cell of column `name` in `row`; fails the test when there is no such column. */
const char *dbtest_col(const struct bd_db_result *res, int row, const char *name);
/* The single value of SQL `sql` with at most one parameter `arg` (NULL: none),
 * as malloc'd text; fails the test unless there is exactly one row. */
char *dbtest_text(struct bd_db *db, const char *sql, const char *arg);

/* Runs `backdesk COMMAND ARGS...` in process as `login` through the module's
 * command function `run` (bd_ledger_cli, ...); `args` ends with NULL.
 * Returns its exit status. */
int dbtest_cli(struct dbtest *t, const char *login, int (*run)(struct bd_cli *, int, char **),
	       const char *command, const char *const *args);
/* Sorts the ";"-ended items of sb ("a;c;b;" -> "a;b;c;"), to compare lists
 * whose order does not matter. */
void dbtest_sort_items(struct strbuf *sb);
/* Writes `text` to `file`, failing the test when it cannot. */
void dbtest_write_file(const char *file, const char *text);

#endif
