/*
 * The fault harness (issue 15): simulated clerks key documents and
 * accountants post journal entries, each its own process on its own
 * connection through the calls the screens make (entry.claim_next,
 * entry.submit_and_claim_next with an idempotency key; ledger.entry_create
 * and entry_submit with keys, entry_approve by a second accountant), all
 * through a proxy, while the harness
 *
 *   terminates their backends (pg_terminate_backend),
 *   kills the postmaster (kill -9) and starts the cluster again,
 *   stops the server immediately (SIGQUIT, as pg_ctl stop -m immediate)
 *   and starts it again,
 *   cuts the network (the proxy passes nothing for a while, then drops
 *   every connection, as a link that went dark and timed out).
 *
 * A client whose call gets no answer sends it again with the same key
 * until it gets one. Afterwards: every acknowledged F2 is there exactly
 * once and nothing was done that was not acknowledged; every acknowledged
 * posting is posted once; numbering is gapless; the ledger's balances equal
 * its lines; no claim is held past its lease. The counts are printed.
 *
 * A long test (about a minute), outside the ASan run. The cluster runs with
 * synchronous_commit on: with it off, a crash loses commits already
 * acknowledged, which this harness would (rightly) report.
 */
#include "dbtest.h"
#include "faultproxy.h"

#include "backdesk/entry.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

enum {
	CLERKS = 4,
	POSTERS = 2,
	DOCUMENTS = 20000,
	PACE_MS = 10,	   /* between one operator's calls: a busy floor, not a benchmark */
	RUN_MS = 30000,	   /* the faults happen in this time */
	FINISH_MS = 30000, /* after it, a call in hand may still get its answer */
};

static struct dbtest t;
static struct faultproxy fp;
static char client_id[16];
static long long start_ms;

static const char SIMPLE[] =
    "screen = { name = \"simple\"; title = \"Simple\"; fields = (\n"
    "  { name = \"name\"; label = \"Name\"; row = 3; col = 2; type = \"text\"; width = 20; }\n"
    "); };\n";

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(int ms)
{
	poll(NULL, 0, ms);
}

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* --- the simulated operators (child processes) --------------------------- */

struct tally {
	long calls, resends, errors;
	double last_send; /* wall-clock seconds of the last call's last send */
	bool resent;	  /* the last call was sent more than once */
};

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct bd_db *
connect_proxy(const char *user)
{
	struct strbuf ci = STRBUF_INIT;
	struct bd_db *db = NULL;

	strbuf_addf(&ci, "host=%s dbname=backdesk user=%s", fp.dir, user);
	while (!db && now_ms() < start_ms + RUN_MS + FINISH_MS) {
		struct bd_err err = BD_ERR_INIT;

		if (!(db = bd_db_connect(ci.buf, &err)))
			sleep_ms(100);
	}
	if (!db)
		die("%s: cannot connect", user);
	strbuf_release(&ci);
	return db;
}

/* Sends a call until it gets an answer (the same parameters, so the same key;
 * bd_db_query_resend does the same, and test_faults tests it; here each
 * resend is counted):
 * the result, or NULL with err set when the database refused it, or when no
 * answer came by the end. */
static struct bd_db_result *
call(struct bd_db *db, struct tally *ty, const char *name, int nparams, const char *const *params,
     struct bd_err *err)
{
	ty->resent = false;
	for (;;) {
		struct bd_db_result *res;

		bd_err_clear(err);
		ty->calls++;
		ty->last_send = wall_now();
		res = bd_db_query(db, name, nparams, params, err);
		if (res || err->kind != BD_ERR_CONNECTION)
			return res;
		ty->resends++;
		ty->resent = true;
		if (now_ms() > start_ms + RUN_MS + FINISH_MS)
			return NULL;
		sleep_ms(50);
	}
}

static void __attribute__((noreturn)) clerk(int n, FILE *out)
{
	char login[16], doc[32] = "", key[BD_DB_KEY_SIZE];
	struct tally ty = {0, 0, 0, 0, false};
	struct bd_db *db;
	bool have = false;

	snprintf(login, sizeof(login), "hrn%02d", n);
	db = connect_proxy(login);
	while (now_ms() < start_ms + RUN_MS) {
		struct bd_err err = BD_ERR_INIT;
		struct bd_db_result *res;

		if (!have) {
			res = call(db, &ty, "entry.claim_next", BD_PARAMS("300", "HRN"), &err);
			if (!res) {
				ty.errors++;
				fprintf(stderr, "%s claim: %s (%s)\n", login, err.msg, err.detail);
				continue;
			}
			have = bd_db_result_rows(res) == 1;
			if (have)
				snprintf(doc, sizeof(doc), "%s", bd_db_result_get(res, 0, 3));
			bd_db_result_free(res);
			if (!have)
				break; /* the queue is empty */
		}
		sleep_ms(PACE_MS);
		bd_db_new_key(key);
		res = call(
		    db, &ty, "entry.submit_and_claim_next",
		    BD_PARAMS(doc, "{\"name\":\"harness\"}", "7", "0", "1", "1", "300", "HRN", key),
		    &err);
		if (!res) {
			if (err.kind == BD_ERR_CONNECTION) {
				fprintf(out, "unanswered %s\n", doc);
				break;
			}
			ty.errors++;
			fprintf(stderr, "%s F2: %s (%s)\n", login, err.msg, err.detail);
			have = false;
			continue;
		}
		fprintf(out, "ack %s\n", doc);
		if (ty.resent) /* was it the lost call that had done it? */
			fprintf(out, "resent %s %.6f\n", doc, ty.last_send);
		have = !bd_db_result_isnull(res, 0, 3);
		if (have)
			snprintf(doc, sizeof(doc), "%s", bd_db_result_get(res, 0, 3));
		bd_db_result_free(res);
		if (!have)
			break;
	}
	fprintf(out, "tally %ld %ld %ld\n", ty.calls, ty.resends, ty.errors);
	fclose(out);
	bd_db_free(db);
	_exit(0);
}

static void __attribute__((noreturn)) poster(int n, FILE *out)
{
	const char *maker_login = n % 2 ? "acct1" : "acct2";
	const char *checker_login = n % 2 ? "acct2" : "acct1";
	struct bd_db *maker = connect_proxy(maker_login), *checker = connect_proxy(checker_login);
	struct tally ty = {0, 0, 0, 0, false};
	const char *lines = "[{\"account\":\"1100\",\"debit\":\"12.34\"},"
			    "{\"account\":\"4100\",\"credit\":\"12.34\"}]";
	char date[16];
	time_t now = time(NULL);
	int k;

	strftime(date, sizeof(date), "%Y-%m-%d", localtime(&now));
	for (k = 0; now_ms() < start_ms + RUN_MS; k++) {
		struct bd_err err = BD_ERR_INIT;
		struct bd_db_result *res;
		char key[BD_DB_KEY_SIZE], ckey[BD_DB_KEY_SIZE + 1], skey[BD_DB_KEY_SIZE + 1];
		char ref[32], id[32], ver[32];

		sleep_ms(PACE_MS);
		bd_db_new_key(key);
		snprintf(ckey, sizeof(ckey), "%sc", key);
		snprintf(skey, sizeof(skey), "%ss", key);
		snprintf(ref, sizeof(ref), "H%d-%d", n, k);
		res = call(maker, &ty, "ledger.entry_create",
			   BD_PARAMS("ACME", "GJ", date, ref, "harness", lines, ckey), &err);
		if (!res)
			goto failed;
		snprintf(id, sizeof(id), "%s", bd_db_result_get(res, 0, 0));
		bd_db_result_free(res);
		if (!(res = call(maker, &ty, "ledger.entry_submit", BD_PARAMS("ACME", id, skey),
				 &err)))
			goto failed;
		bd_db_result_free(res);
		/* The checker approves the version they see. Posting takes no
		 * key: a repeat after a lost answer is refused ("not waiting for
		 * approval") and the entry says what happened. */
		if (!(res = call(checker, &ty, "ledger.entry_get", BD_PARAMS("ACME", id), &err)))
			goto failed;
		snprintf(ver, sizeof(ver), "%s",
			 bd_db_result_get(res, 0, bd_db_result_col(res, "version")));
		bd_db_result_free(res);
		res = call(checker, &ty, "ledger.entry_approve", BD_PARAMS("ACME", id, ver), &err);
		if (!res && err.kind == BD_ERR_CONFLICT) {
			res = call(checker, &ty, "ledger.entry_get", BD_PARAMS("ACME", id), &err);
			if (res && strcmp(bd_db_result_get(res, 0, 5), "posted")) {
				bd_db_result_free(res);
				res = NULL;
			}
		}
		if (!res)
			goto failed;
		bd_db_result_free(res);
		fprintf(out, "post %s %s\n", id, ref);
		continue;
	failed:
		if (err.kind == BD_ERR_CONNECTION) {
			fprintf(out, "unanswered %s\n", ref);
			break;
		}
		ty.errors++;
		fprintf(stderr, "%s %s: %s (%s)\n", maker_login, ref, err.msg, err.detail);
	}
	fprintf(out, "tally %ld %ld %ld\n", ty.calls, ty.resends, ty.errors);
	fclose(out);
	bd_db_free(maker);
	bd_db_free(checker);
	_exit(0);
}

/* --- the faults (the harness itself) ---------------------------------------- */

static pid_t
postmaster_pid(void)
{
	struct strbuf path = STRBUF_INIT;
	FILE *f;
	long pid = 0;

	strbuf_addf(&path, "%s/pgdata/postmaster.pid", t.cluster.data_dir);
	if ((f = fopen(path.buf, "r"))) {
		if (fscanf(f, "%ld", &pid) != 1)
			pid = 0;
		fclose(f);
	}
	strbuf_release(&path);
	return (pid_t)pid;
}

/* Starts the cluster again once the old server's processes are gone. */
static void
restart(pid_t old)
{
	long long until = now_ms() + 30000;
	struct bd_err err = BD_ERR_INIT;

	while (old > 0 && kill(old, 0) == 0 && now_ms() < until)
		sleep_ms(20);
	while (bd_cluster_start(&t.cluster, &err) < 0) {
		if (now_ms() > until)
			die("the cluster did not start again: %s (%s)", err.msg, err.detail);
		sleep_ms(200);
	}
}

static int
terminate_backends(void)
{
	struct bd_db *super = dbtest_connect(&t, NULL);
	int n = (int)dbtest_scalar(super,
				   "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
				   "WHERE usename ~ '^(hrn|acct)'",
				   BD_NO_PARAMS);

	bd_db_free(super);
	return n;
}

static void
at(long long ms)
{
	while (now_ms() < start_ms + ms)
		sleep_ms(20);
}

/* --- checks ------------------------------------------------------------------ */

static long long
scalar(struct bd_db *db, const char *sql)
{
	return dbtest_scalar(db, sql, 1, (const char *const[]){client_id});
}

static void
test_harness(void **state)
{
	struct bd_db *super;
	pid_t pids[CLERKS + POSTERS], pm;
	int i, killed = 0, cuts = 0;
	long calls = 0, resends = 0, errors = 0, acks = 0, posts = 0, unanswered = 0;
	struct strbuf path = STRBUF_INIT, acked = STRBUF_INIT, posted = STRBUF_INIT;
	struct strbuf resent = STRBUF_INIT, resent_at = STRBUF_INIT;
	long long replayed;
	long nresent = 0;
	long long done, passes, dup, gaps, mismatches, stale, posted_db, refs_twice, extra;

	(void)state;
	start_ms = now_ms();
	for (i = 0; i < CLERKS + POSTERS; i++) {
		FILE *out;

		strbuf_reset(&path);
		strbuf_addf(&path, "%s/op%d.out", t.dir, i);
		if (!(out = fopen(path.buf, "w")))
			die("cannot write %s", path.buf);
		setvbuf(out, NULL, _IOLBF, 0);
		if ((pids[i] = fork()) == 0) {
			if (i < CLERKS)
				clerk(i + 1, out);
			poster(i - CLERKS + 1, out);
		}
		fclose(out);
	}

	at(3000);
	killed += terminate_backends();
	at(8000);
	pm = postmaster_pid();
	kill(pm, SIGKILL);
	restart(pm);
	at(14000);
	killed += terminate_backends();
	at(18000);
	pm = postmaster_pid();
	kill(pm, SIGQUIT); /* pg_ctl stop -m immediate */
	restart(pm);
	at(24000);
	faultproxy_mode(&fp, FAULTPROXY_BLACKHOLE);
	sleep_ms(2000);
	faultproxy_drop_all(&fp);
	faultproxy_mode(&fp, FAULTPROXY_PASS);
	cuts++;
	at(27000);
	faultproxy_drop_all(&fp);
	cuts++;

	for (i = 0; i < CLERKS + POSTERS; i++) {
		int status;

		while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
			;
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}

	/* What the operators were told. */
	strbuf_addch(&acked, '{');
	strbuf_addch(&posted, '{');
	strbuf_addch(&resent, '{');
	strbuf_addch(&resent_at, '{');
	for (i = 0; i < CLERKS + POSTERS; i++) {
		char line[128], a[64], b[64];
		long c, r, e;
		FILE *in;

		strbuf_reset(&path);
		strbuf_addf(&path, "%s/op%d.out", t.dir, i);
		if (!(in = fopen(path.buf, "r")))
			die("cannot read %s", path.buf);
		while (fgets(line, sizeof(line), in)) {
			if (sscanf(line, "resent %63s %63s", a, b) == 2) {
				strbuf_addf(&resent, "%s%s", nresent ? "," : "", a);
				strbuf_addf(&resent_at, "%s%s", nresent++ ? "," : "", b);
			} else if (sscanf(line, "ack %63s", a) == 1) {
				strbuf_addf(&acked, "%s%s", acks++ ? "," : "", a);
			} else if (sscanf(line, "post %63s %63s", a, b) == 2) {
				strbuf_addf(&posted, "%s%s", posts++ ? "," : "", a);
			} else if (sscanf(line, "tally %ld %ld %ld", &c, &r, &e) == 3) {
				calls += c;
				resends += r;
				errors += e;
			} else if (!strncmp(line, "unanswered", 10)) {
				unanswered++;
			}
		}
		fclose(in);
		unlink(path.buf);
	}
	strbuf_addch(&acked, '}');
	strbuf_addch(&posted, '}');
	strbuf_addch(&resent, '}');
	strbuf_addch(&resent_at, '}');

	super = dbtest_connect(&t, NULL);
	{
		const char *p[] = {client_id, acked.buf};
		const char *q[] = {posted.buf};

		/* Every acknowledged F2 once; nothing submitted unacknowledged. */
		passes =
		    dbtest_scalar(super,
				  "SELECT count(*) FROM entry.passes WHERE client_id = $1::integer "
				  "AND document_id = ANY ($2::bigint[])",
				  2, p);
		done = scalar(super, "SELECT count(*) FROM entry.documents WHERE client_id = "
				     "$1::integer AND state = 'done'");
		dup = scalar(super,
			     "SELECT count(*) FROM (SELECT document_id FROM entry.passes "
			     "WHERE client_id = $1::integer GROUP BY 1 HAVING count(*) > 1) x");
		extra = dbtest_scalar(super,
				      "SELECT count(*) FROM entry.documents WHERE client_id = "
				      "$1::integer AND state = 'done' AND NOT document_id = ANY "
				      "($2::bigint[])",
				      2, p);
		stale =
		    scalar(super, "SELECT count(*) FROM entry.documents WHERE client_id = "
				  "$1::integer AND state = 'in_progress' AND (lease_until < now() "
				  "OR claimed_by IS NULL)");
		/* F2s sent again whose pass is older than their last send: the call
		 * that was lost had done it, and the key answered. */
		{
			const char *r[] = {client_id, resent.buf, resent_at.buf};

			replayed = dbtest_scalar(
			    super,
			    "SELECT count(*) FROM entry.passes p JOIN unnest($2::bigint[], "
			    "$3::float8[]) AS x(doc, sent) ON p.document_id = x.doc "
			    "WHERE p.client_id = $1::integer AND p.submitted_at < "
			    "to_timestamp(x.sent)",
			    3, r);
		}
		/* Every acknowledged posting posted, each reference once. */
		posted_db =
		    dbtest_scalar(super,
				  "SELECT count(*) FROM ledger.entries WHERE status = 'posted' "
				  "AND entry_id = ANY ($1::bigint[])",
				  1, q);
		refs_twice =
		    dbtest_scalar(super,
				  "SELECT count(*) FROM (SELECT reference FROM ledger.entries "
				  "WHERE reference LIKE 'H%' GROUP BY 1 HAVING count(*) > 1) x",
				  BD_NO_PARAMS);
		gaps = dbtest_scalar(
		    super,
		    "SELECT count(*) FROM (SELECT client_id, journal, fiscal_year, "
		    "max(entry_no) - count(DISTINCT entry_no) AS gaps, "
		    "count(*) - count(DISTINCT entry_no) AS twice FROM ledger.entries "
		    "WHERE status = 'posted' GROUP BY 1, 2, 3) x "
		    "WHERE gaps <> 0 OR twice <> 0",
		    BD_NO_PARAMS);
		mismatches = dbtest_scalar(
		    super,
		    "WITH c AS (SELECT client_id FROM core.clients WHERE code = 'ACME'), "
		    "b AS (SELECT account_id, debit, credit FROM c, "
		    "ledger.balances_as_of(c.client_id, current_date + 366) "
		    "WHERE debit <> 0 OR credit <> 0), "
		    "l AS (SELECT l.account_id, sum(l.debit) AS debit, sum(l.credit) AS credit "
		    "FROM c JOIN ledger.lines l USING (client_id) JOIN ledger.entries e "
		    "USING (client_id, entry_id) WHERE e.status = 'posted' GROUP BY l.account_id) "
		    "SELECT (SELECT count(*) FROM (TABLE b EXCEPT TABLE l) x) + "
		    "(SELECT count(*) FROM (TABLE l EXCEPT TABLE b) y)",
		    BD_NO_PARAMS);
	}
	bd_db_free(super);

	printf("harness: %d clerks, %d accountants, %.0f s; faults: %d backends terminated, "
	       "postmaster kill -9 1, immediate stop 1, network cuts %d (blackhole then drop, "
	       "drop)\n",
	       CLERKS, POSTERS, (now_ms() - start_ms) / 1000.0, killed, cuts);
	printf("harness: %ld calls, %ld sent again after a lost link, %ld refused, %ld left "
	       "unanswered\n",
	       calls, resends, errors, unanswered);
	printf("harness: F2 acknowledged %ld; their passes %lld; documents done %lld (not "
	       "acknowledged: %lld); documents keyed twice %lld; claims past their lease %lld\n",
	       acks, passes, done, extra, dup, stale);
	printf("harness: F2s sent again %ld, of which answered by their key (the lost call had "
	       "committed) %lld\n",
	       nresent, replayed);
	printf("harness: postings acknowledged %ld; posted %lld; references entered twice %lld; "
	       "journals with gaps %lld; balances unlike their lines %lld\n",
	       posts, posted_db, refs_twice, gaps, mismatches);

	assert_true(acks > 0 && posts > 0 && resends > 0);
	assert_int_equal(errors, 0);
	assert_int_equal(unanswered, 0);
	assert_int_equal(passes, acks);
	assert_int_equal(done, acks);
	assert_int_equal(extra, 0);
	assert_int_equal(dup, 0);
	assert_int_equal(stale, 0);
	assert_int_equal(posted_db, posts);
	assert_int_equal(refs_twice, 0);
	assert_int_equal(gaps, 0);
	assert_int_equal(mismatches, 0);
	strbuf_release(&path);
	strbuf_release(&acked);
	strbuf_release(&posted);
	strbuf_release(&resent);
	strbuf_release(&resent_at);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_harness),
	};
	struct strbuf sql = STRBUF_INIT, dir = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	struct bd_db *super, *sup;
	int i, version = 0, rc;
	long long batch = 0;

	/* The proxy thread and the clerks write to sockets the faults close:
	 * a write to a closed peer must fail, not end the harness. */
	signal(SIGPIPE, SIG_IGN);
	dbtest_start(&t, true);
	super = dbtest_connect(&t, NULL);
	/* Acknowledged means durable against a crash of the server's processes. */
	dbtest_exec(super, "ALTER SYSTEM SET synchronous_commit = on");
	dbtest_exec(super, "SELECT pg_reload_conf()");
	strbuf_addstr(&sql, "SELECT core.client_add('HRN', 'Harness');"
			    "SELECT core.operator_add('hrnsup', 'Sup', 'supervisor', '{HRN}');");
	for (i = 1; i <= CLERKS; i++)
		strbuf_addf(&sql, "SELECT core.operator_add('hrn%02d', 'Clerk', 'clerk', '{HRN}');",
			    i);
	dbtest_exec(super, sql.buf);
	snprintf(client_id, sizeof(client_id), "%lld",
		 dbtest_scalar(super, "SELECT client_id FROM core.clients WHERE code = 'HRN'",
			       BD_NO_PARAMS));
	bd_db_free(super);
	sup = dbtest_connect(&t, "hrnsup");
	if (bd_entry_doctype_load(sup, "HRN", SIMPLE, "simple.conf", &version, &err) < 0)
		die("doctype: %s (%s)", err.msg, err.detail);
	strbuf_reset(&sql);
	strbuf_addstr(&sql, "external_ref\n");
	for (i = 1; i <= DOCUMENTS; i++)
		strbuf_addf(&sql, "H%05d\n", i);
	{
		struct bd_entry_import imp = {"HRN", "simple", "single", 1, "24", "harness"};

		if (bd_entry_batch_import(sup, &imp, sql.buf, sql.len, "h.csv", &batch, NULL,
					  &err) < 0)
			die("import: %s (%s)", err.msg, err.detail);
	}
	bd_db_free(sup);
	strbuf_addf(&dir, "%s/proxy", t.dir);
	faultproxy_start(&fp, dir.buf, t.cluster.socket_dir);
	setenv("PGCONNECT_TIMEOUT", "2", 1);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	faultproxy_stop(&fp);
	dbtest_stop(&t);
	strbuf_release(&sql);
	strbuf_release(&dir);
	return rc;
}
