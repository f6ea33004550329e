/*
 * `backdesk db backup FILE` and `db restore FILE` (issue 15), with the real
 * binary and the real tools: the demo database, with keyed documents and
 * ledger entries, is backed up and restored into a fresh cluster. The
 * restored database has every row (counts equal table by table), its audit
 * chains verify (`backdesk audit verify`), and an operator signs on as
 * before and sees their clients. A restore over a database that holds data
 * is refused, saying why, unless --force.
 */
#include "dbtest.h"

#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

static struct dbtest t;

/* The tables whose rows must all come back. */
static const char *const TABLES[] = {
    "core.clients",   "core.operators", "core.assignments", "core.audit_log",	"core.drafts",
    "entry.doctypes", "entry.batches",	"entry.documents",  "entry.passes",	"ledger.accounts",
    "ledger.entries", "ledger.lines",	"ledger.balances",  "core.idempotency",
};

/* Writes a config file naming the cluster in DIR/<name>; returns its path. */
static char *
write_conf(const char *name)
{
	struct strbuf path = STRBUF_INIT;
	FILE *f;

	strbuf_addf(&path, "%s/%s.conf", t.dir, name);
	if (!(f = fopen(path.buf, "w")))
		fail_msg("cannot write %s", path.buf);
	fprintf(f, "database = { data_dir = \"%s/%s\"; };\nlog = { file = \"%s/%s.log\"; };\n",
		t.dir, name, t.dir, name);
	fclose(f);
	return strbuf_detach(&path, NULL);
}

/* Runs the backdesk binary with ARGS; returns its exit status and its
 * output (stdout and stderr) in out. */
static int
backdesk(struct strbuf *out, const char *conf, const char *args)
{
	const char *bin = getenv("BD_BINARY");
	struct strbuf cmd = STRBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *p;
	int status;

	assert_non_null(bin);
	strbuf_reset(out);
	strbuf_addf(&cmd, "'%s' --config '%s' %s 2>&1", bin, conf, args);
	if (!(p = popen(cmd.buf, "r")))
		fail_msg("cannot run %s", cmd.buf);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		strbuf_add(out, buf, n);
	status = pclose(p);
	strbuf_release(&cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static long long
count_rows(struct bd_db *db, const char *table)
{
	struct strbuf sql = STRBUF_INIT;
	long long n;

	strbuf_addf(&sql, "SELECT count(*) FROM %s", table);
	n = dbtest_scalar(db, sql.buf, BD_NO_PARAMS);
	strbuf_release(&sql);
	return n;
}

static struct bd_db *
connect_cluster(const char *data_dir, const char *user)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_cluster c;
	struct bd_config *cfg = bd_config_defaults();
	char *conninfo;
	struct bd_db *db;

	assert_int_equal(bd_config_set(cfg, "database.data_dir", data_dir, "test", &err), 0);
	assert_int_equal(bd_cluster_init(&c, cfg, &err), 0);
	conninfo = bd_cluster_conninfo(&c, user, NULL);
	db = bd_db_connect(conninfo, &err);
	if (!db)
		fail_msg("connect to %s as %s: %s (%s)", data_dir, user ? user : "superuser",
			 err.msg, err.detail);
	free(conninfo);
	bd_cluster_release(&c);
	bd_config_free(cfg);
	return db;
}

static void
destroy_cluster(const char *data_dir)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_cluster c;
	struct bd_config *cfg = bd_config_defaults();

	assert_int_equal(bd_config_set(cfg, "database.data_dir", data_dir, "test", &err), 0);
	assert_int_equal(bd_cluster_init(&c, cfg, &err), 0);
	if (bd_cluster_destroy(&c, &err) < 0)
		fail_msg("destroy %s: %s", data_dir, err.msg);
	bd_cluster_release(&c);
	bd_config_free(cfg);
}

static void
test_backup_and_restore(void **state)
{
	char *conf_a = write_conf("cluster"), *conf_b = write_conf("restored");
	struct strbuf out = STRBUF_INIT, file = STRBUF_INIT, dir_b = STRBUF_INIT;
	struct bd_db *a = dbtest_connect(&t, NULL), *b, *clerk;
	struct bd_db_result *res;
	long long before[sizeof(TABLES) / sizeof(*TABLES)];
	size_t i;

	(void)state;
	/* Some keyed work and a key in the source, besides the demo's. */
	dbtest_exec(a,
		    "UPDATE core.operators SET full_name = 'Carol Backup' WHERE login = 'clerk1'");
	for (i = 0; i < sizeof(TABLES) / sizeof(*TABLES); i++)
		before[i] = count_rows(a, TABLES[i]);
	assert_true(before[7] > 0);  /* documents */
	assert_true(before[10] > 0); /* ledger entries */

	strbuf_addf(&file, "%s/demo.backup", t.dir);
	strbuf_addf(&dir_b, "%s/restored", t.dir);
	{
		struct strbuf args = STRBUF_INIT;

		strbuf_addf(&args, "db backup '%s'", file.buf);
		if (backdesk(&out, conf_a, args.buf) != 0)
			fail_msg("db backup: %s", out.buf);
		strbuf_reset(&args);
		strbuf_addf(&args, "db restore '%s'", file.buf);
		if (backdesk(&out, conf_b, args.buf) != 0)
			fail_msg("db restore: %s", out.buf);

		/* Every row is back. */
		b = connect_cluster(dir_b.buf, NULL);
		for (i = 0; i < sizeof(TABLES) / sizeof(*TABLES); i++)
			if (count_rows(b, TABLES[i]) != before[i])
				fail_msg("%s: %lld rows restored of %lld", TABLES[i],
					 count_rows(b, TABLES[i]), before[i]);
		/* The audit chains verify. */
		if (backdesk(&out, conf_b, "audit verify") != 0)
			fail_msg("audit verify: %s", out.buf);
		assert_non_null(strstr(out.buf, "ACME"));
		assert_null(strstr(out.buf, "broken"));

		/* An operator signs on and sees their clients and their rows. */
		clerk = connect_cluster(dir_b.buf, "clerk1");
		res = dbtest_named(clerk, "core.whoami", BD_NO_PARAMS);
		assert_string_equal(bd_db_result_get(res, 0, 0), "clerk1");
		assert_string_equal(bd_db_result_get(res, 0, 1), "Carol Backup");
		assert_string_equal(bd_db_result_get(res, 0, 2), "clerk");
		bd_db_result_free(res);
		res = dbtest_named(clerk, "app.my_clients", BD_NO_PARAMS);
		assert_int_equal(bd_db_result_rows(res), 2);
		bd_db_result_free(res);
		/* and keys: the queue hands them a document */
		res = dbtest_named(clerk, "entry.claim_next", BD_PARAMS("300", NULL));
		assert_int_equal(bd_db_result_rows(res), 1);
		bd_db_result_free(res);
		bd_db_free(clerk);

		/* Over data: refused, saying why, and nothing changes. */
		dbtest_exec(
		    b, "UPDATE core.operators SET full_name = 'Changed' WHERE login = 'clerk1'");
		assert_int_equal(backdesk(&out, conf_b, args.buf), 1);
		assert_non_null(strstr(out.buf, "already holds data"));
		assert_non_null(strstr(out.buf, "--force"));
		assert_int_equal(
		    dbtest_scalar(b,
				  "SELECT count(*) FROM core.operators WHERE full_name = "
				  "'Changed'",
				  BD_NO_PARAMS),
		    1);
		bd_db_free(b);
		/* With --force the backup replaces it. */
		strbuf_addstr(&args, " --force");
		if (backdesk(&out, conf_b, args.buf) != 0)
			fail_msg("db restore --force: %s", out.buf);
		b = connect_cluster(dir_b.buf, NULL);
		assert_int_equal(
		    dbtest_scalar(b,
				  "SELECT count(*) FROM core.operators WHERE full_name = "
				  "'Carol Backup'",
				  BD_NO_PARAMS),
		    1);
		bd_db_free(b);
		/* Not a backup: refused. */
		assert_int_equal(backdesk(&out, conf_b, "db restore /etc/hostname"), 1);
		assert_non_null(strstr(out.buf, "is not a Backdesk backup"));
		destroy_cluster(dir_b.buf);
		strbuf_release(&args);
	}
	bd_db_free(a);
	unlink(file.buf);
	unlink(conf_a);
	unlink(conf_b);
	strbuf_reset(&out);
	strbuf_addf(&out, "%s/cluster.log", t.dir);
	unlink(out.buf);
	strbuf_reset(&out);
	strbuf_addf(&out, "%s/restored.log", t.dir);
	unlink(out.buf);
	strbuf_release(&out);
	strbuf_release(&file);
	strbuf_release(&dir_b);
	free(conf_a);
	free(conf_b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_backup_and_restore),
	};
	int rc;

	dbtest_start(&t, true);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	dbtest_stop(&t);
	return rc;
}
