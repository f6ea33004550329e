/*
 * Faults against a real PostgreSQL (issue 15): idempotency keys make the
 * keying F2 and the ledger's entry calls safe to send again (the same call
 * twice with one key does the work once and answers the same); the C layer
 * sends a keyed call again when its answer is lost with the link (a proxy
 * throws the reply of a committed call away and closes the connection), and
 * the call is done exactly once; the background reconnect never blocks, and
 * tells a refused login (a disabled operator) from a database that is away.
 */
#include "dbtest.h"
#include "faultproxy.h"

#include "backdesk/entry.h"
#include "backdesk/strbuf.h"

#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static struct dbtest t;
/* the entry functions take the client code */
static const char client[] = "FLT";

static const char LEASE_S[] = "300";
static const char VALUES[] = "{\"name\":\"x\",\"amount\":\"1.00\",\"total\":\"1.00\"}";

static const char SIMPLE[] =
    "# sum: total = amount\n"
    "screen = { name = \"simple\"; title = \"Simple\"; fields = (\n"
    "  { name = \"name\"; label = \"Name\"; row = 3; col = 2; type = \"text\"; width = 20; },\n"
    "  { name = \"amount\"; label = \"Amount\"; row = 6; col = 2; type = \"money\"; },\n"
    "  { name = \"total\"; label = \"Total\"; row = 7; col = 2; type = \"money\"; }\n"
    "); };\n";

/* --- helpers ------------------------------------------------------------ */

/* Client FLT with supervisor fltsup, clerks flt01..flt07 and the simple type. */
static void
make_client(void)
{
	struct bd_db *super = dbtest_connect(&t, NULL), *sup;
	struct bd_err err = BD_ERR_INIT;
	int version = 0;

	dbtest_exec(super, "SELECT core.client_add('FLT', 'Faults');"
			   "SELECT core.operator_add('fltsup', 'Sup', 'supervisor', '{FLT}');"
			   "SELECT core.operator_add('flt01', 'Clerk', 'clerk', '{FLT}');"
			   "SELECT core.operator_add('flt02', 'Clerk', 'clerk', '{FLT}');"
			   "SELECT core.operator_add('flt03', 'Clerk', 'clerk', '{FLT}');"
			   "SELECT core.operator_add('flt04', 'Clerk', 'clerk', '{FLT}');"
			   "SELECT core.operator_add('flt05', 'Clerk', 'clerk', '{FLT}');"
			   "SELECT core.operator_add('flt06', 'Clerk', 'clerk', '{FLT}');"
			   "SELECT core.operator_add('flt07', 'Clerk', 'clerk', '{FLT}');");
	sup = dbtest_connect(&t, "fltsup");
	if (bd_entry_doctype_load(sup, "FLT", SIMPLE, "simple.conf", &version, &err) < 0)
		fail_msg("doctype load: %s (%s)", err.msg, err.detail);
	bd_db_free(sup);
	bd_db_free(super);
}

/* A batch of n documents <refp>0001.. in line order, keyed in `mode`;
 * returns its id. */
static long long
make_batch_mode(int n, const char *refp, const char *mode, int priority)
{
	struct strbuf csv = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	struct bd_entry_import imp = {"FLT", "simple", mode, priority, "24", refp};
	struct bd_db *sup = dbtest_connect(&t, "fltsup");
	long long batch = 0;
	int i;

	strbuf_addstr(&csv, "external_ref\n");
	for (i = 1; i <= n; i++)
		strbuf_addf(&csv, "%s%04d\n", refp, i);
	if (bd_entry_batch_import(sup, &imp, csv.buf, csv.len, "t.csv", &batch, NULL, &err) < 0)
		fail_msg("import: %s (%s)", err.msg, err.detail);
	bd_db_free(sup);
	strbuf_release(&csv);
	return batch;
}

static long long
make_batch(int n, const char *refp)
{
	return make_batch_mode(n, refp, "single", 1);
}

static void
claim(struct bd_db *db, char *doc, size_t size)
{
	struct bd_db_result *res = dbtest_named(db, "entry.claim_next", BD_PARAMS(LEASE_S, client));

	assert_int_equal(bd_db_result_rows(res), 1);
	snprintf(doc, size, "%s", dbtest_col(res, 0, "document_id"));
	bd_db_result_free(res);
}

static long long
passes_of(const char *doc)
{
	struct bd_db *super = dbtest_connect(&t, NULL);
	long long n = dbtest_scalar(
	    super, "SELECT count(*) FROM entry.passes WHERE document_id = $1", BD_PARAMS(doc));

	bd_db_free(super);
	return n;
}

/* Waits (polling, no fixed sleep) until bd_db_reconnect_poll says up (1) or
 * refused (-1); fails the test after 30 s. */
static int
drive_reconnect(struct bd_db *db, struct bd_err *err)
{
	int i, rc = 0;

	for (i = 0; i < 3000 && rc == 0; i++) {
		rc = bd_db_reconnect_poll(db, err);
		if (rc == 0)
			poll(NULL, 0, (int)(bd_db_reconnect_delay(db) > 10 ? 10 : 1));
	}
	if (rc == 0)
		fail_msg("the reconnect neither succeeded nor was refused in 30 s");
	return rc;
}

/* --- idempotency keys in the database --------------------------------------- */

static void
test_f2_same_key_twice(void **state)
{
	struct bd_db *c1 = dbtest_connect(&t, "flt01");
	struct bd_db_result *a, *b;
	char doc[32], key[BD_DB_KEY_SIZE];
	long long batch = make_batch(3, "SK");
	int i;

	(void)state;
	(void)batch;
	claim(c1, doc, sizeof(doc));
	bd_db_new_key(key);
	assert_int_equal(strlen(key), 32);
	a = dbtest_named(c1, "entry.submit_and_claim_next",
			 BD_PARAMS(doc, VALUES, "5", "0", "2", "3", LEASE_S, client, key));
	b = dbtest_named(c1, "entry.submit_and_claim_next",
			 BD_PARAMS(doc, VALUES, "5", "0", "2", "3", LEASE_S, client, key));
	/* The same answer, column for column: the same next document, claimed once. */
	assert_int_equal(bd_db_result_cols(a), bd_db_result_cols(b));
	for (i = 0; i < bd_db_result_cols(a); i++)
		if (strcmp(bd_db_result_get(a, 0, i), bd_db_result_get(b, 0, i)) ||
		    bd_db_result_isnull(a, 0, i) != bd_db_result_isnull(b, 0, i))
			fail_msg("%s: '%s' then '%s'", bd_db_result_colname(a, i),
				 bd_db_result_get(a, 0, i), bd_db_result_get(b, 0, i));
	assert_string_equal(dbtest_col(a, 0, "document_id"), dbtest_col(b, 0, "document_id"));
	assert_string_equal(dbtest_col(a, 0, "external_ref"), "SK0002");
	assert_string_equal(dbtest_col(b, 0, "external_ref"), "SK0002");
	assert_string_equal(dbtest_col(a, 0, "lease_until"), dbtest_col(b, 0, "lease_until"));
	assert_int_equal(passes_of(doc), 1);
	{
		struct bd_db *super = dbtest_connect(&t, NULL);

		/* The key is kept with the pass. */
		assert_int_equal(
		    dbtest_scalar(super,
				  "SELECT count(*) FROM entry.passes WHERE document_id = "
				  "$1 AND request_key = $2",
				  BD_PARAMS(doc, key)),
		    1);
		assert_int_equal(dbtest_scalar(super,
					       "SELECT count(*) FROM entry.documents WHERE "
					       "batch_id = $1 AND state = 'done'",
					       BD_PARAMS(dbtest_col(a, 0, "batch_id"))),
				 1);
		assert_int_equal(dbtest_scalar(super,
					       "SELECT count(*) FROM entry.documents WHERE "
					       "batch_id = $1 AND claimed_by = 'flt01'",
					       BD_PARAMS(dbtest_col(a, 0, "batch_id"))),
				 1);
		bd_db_free(super);
	}
	/* Without the key, the same call again is refused: it was done. */
	{
		struct bd_err err = dbtest_named_refused(
		    c1, "entry.submit_and_claim_next",
		    BD_PARAMS(doc, VALUES, "5", "0", "2", "3", LEASE_S, client, NULL));

		assert_string_equal(err.sqlstate, "BD003");
	}
	bd_db_result_free(a);
	bd_db_result_free(b);
	bd_db_free(c1);
}

/* A key belongs to its operator: another clerk's call with the same key text
 * does its own work, and sees none of the first clerk's keys. */
static void
test_keys_are_per_operator(void **state)
{
	struct bd_db *c1 = dbtest_connect(&t, "flt01"), *c2 = dbtest_connect(&t, "flt02");
	char d1[32], d2[32];
	const char *key = "0123456789abcdef0123456789abcdef";

	(void)state;
	make_batch(4, "PO");
	claim(c1, d1, sizeof(d1));
	claim(c2, d2, sizeof(d2));
	dbtest_named_ok(c1, "entry.submit_and_claim_next",
			BD_PARAMS(d1, VALUES, "5", "0", "2", "3", LEASE_S, client, key));
	dbtest_named_ok(c2, "entry.submit_and_claim_next",
			BD_PARAMS(d2, VALUES, "5", "0", "2", "3", LEASE_S, client, key));
	assert_int_equal(passes_of(d1), 1);
	assert_int_equal(passes_of(d2), 1);
	bd_db_free(c1);
	bd_db_free(c2);
}

/* A call that fails leaves no key: its resend does the work. */
static void
test_failed_call_keeps_no_key(void **state)
{
	struct bd_db *c3 = dbtest_connect(&t, "flt03");
	struct bd_err err;
	char doc[32], key[BD_DB_KEY_SIZE];

	(void)state;
	make_batch(2, "FC");
	claim(c3, doc, sizeof(doc));
	bd_db_new_key(key);
	err = dbtest_named_refused(
	    c3, "entry.submit_and_claim_next",
	    BD_PARAMS(doc, "{\"name\":\"x\",\"amount\":\"1.00\",\"total\":\"2.00\"}", "5", "0", "2",
		      "3", LEASE_S, client, key));
	assert_string_equal(err.sqlstate, "BD001");
	assert_int_equal(passes_of(doc), 0);
	dbtest_named_ok(c3, "entry.submit_and_claim_next",
			BD_PARAMS(doc, VALUES, "5", "0", "2", "3", LEASE_S, client, key));
	assert_int_equal(passes_of(doc), 1);
	bd_db_free(c3);
}

static void
test_ledger_entry_same_key_twice(void **state)
{
	struct bd_db *acct = dbtest_connect(&t, "acct1"), *super = dbtest_connect(&t, NULL);
	struct bd_db_result *a, *b;
	char key[BD_DB_KEY_SIZE], skey[BD_DB_KEY_SIZE], *date;
	const char *lines = "[{\"account\":\"1100\",\"debit\":\"10.00\"},"
			    "{\"account\":\"4100\",\"credit\":\"10.00\"}]";
	struct bd_err err;

	(void)state;
	date = dbtest_text(super, "SELECT current_date::text", NULL);
	bd_db_new_key(key);
	bd_db_new_key(skey);
	a = dbtest_named(acct, "ledger.entry_create",
			 BD_PARAMS("ACME", "GJ", date, "IDEM-1", "twice", lines, key));
	b = dbtest_named(acct, "ledger.entry_create",
			 BD_PARAMS("ACME", "GJ", date, "IDEM-1", "twice", lines, key));
	assert_string_equal(bd_db_result_get(a, 0, 0), bd_db_result_get(b, 0, 0));
	assert_int_equal(
	    dbtest_scalar(super, "SELECT count(*) FROM ledger.entries WHERE reference = 'IDEM-1'",
			  BD_NO_PARAMS),
	    1);
	dbtest_named_ok(acct, "ledger.entry_submit",
			BD_PARAMS("ACME", bd_db_result_get(a, 0, 0), skey));
	dbtest_named_ok(acct, "ledger.entry_submit",
			BD_PARAMS("ACME", bd_db_result_get(a, 0, 0), skey));
	/* Without its key the repeat is refused: the entry was submitted. */
	err = dbtest_named_refused(acct, "ledger.entry_submit",
				   BD_PARAMS("ACME", bd_db_result_get(a, 0, 0), NULL));
	assert_string_equal(err.sqlstate, "BD003");
	assert_int_equal(
	    dbtest_scalar(super,
			  "SELECT count(*) FROM ledger.entries WHERE reference = 'IDEM-1' "
			  "AND status = 'submitted'",
			  BD_NO_PARAMS),
	    1);
	/* Keys are their operator's own, and written by the functions only. */
	{
		struct bd_db *acct2 = dbtest_connect(&t, "acct2");

		assert_int_equal(
		    dbtest_scalar(acct, "SELECT count(*) FROM core.idempotency", BD_NO_PARAMS), 2);
		assert_int_equal(
		    dbtest_scalar(acct2, "SELECT count(*) FROM core.idempotency", BD_NO_PARAMS), 0);
		assert_true(dbtest_fails(acct,
					 "INSERT INTO core.idempotency (client_id, key) "
					 "SELECT client_id, 'abcdefgh12345678' FROM core.clients "
					 "WHERE code = 'ACME'",
					 BD_NO_PARAMS, NULL));
		bd_db_free(acct2);
	}
	/* Keys older than a day go at the operator's next keyed entry. */
	dbtest_exec(super, "UPDATE core.idempotency SET created_at = now() - interval '25 hours' "
			   "WHERE operator = 'acct1'");
	bd_db_new_key(key);
	dbtest_named_ok(acct, "ledger.entry_create",
			BD_PARAMS("ACME", "GJ", date, "IDEM-2", "pruning", lines, key));
	assert_int_equal(dbtest_scalar(super,
				       "SELECT count(*) FROM core.idempotency WHERE operator = "
				       "'acct1' AND created_at < now() - interval '1 day'",
				       BD_NO_PARAMS),
			 0);
	assert_int_equal(
	    dbtest_scalar(super, "SELECT count(*) FROM core.idempotency WHERE operator = 'acct1'",
			  BD_NO_PARAMS),
	    1);
	bd_db_result_free(a);
	bd_db_result_free(b);
	free(date);
	bd_db_free(acct);
	bd_db_free(super);
}

/* An adjudicator's and a QA reviewer's save, sent twice with one key: done
 * once, the same answer twice; without the key the repeat is refused. */
static void
test_adjudicate_and_qa_same_key_twice(void **state)
{
	struct bd_db *c1 = dbtest_connect(&t, "flt05"), *c2 = dbtest_connect(&t, "flt06"),
		     *c3 = dbtest_connect(&t, "flt07"), *sup = dbtest_connect(&t, "fltsup");
	struct bd_db_result *res;
	struct bd_err err;
	char doc[32], key[BD_DB_KEY_SIZE];
	const char *v2 = "{\"name\":\"y\",\"amount\":\"1.00\",\"total\":\"1.00\"}";

	(void)state;
	/* Keyed twice, differently: adjudication. */
	make_batch_mode(1, "AJ", "double", 90);
	claim(c1, doc, sizeof(doc));
	dbtest_named_ok(c1, "entry.submit_and_claim_next",
			BD_PARAMS(doc, VALUES, "5", "0", "2", "3", LEASE_S, client, NULL));
	claim(c2, doc, sizeof(doc));
	dbtest_named_ok(c2, "entry.submit_and_claim_next",
			BD_PARAMS(doc, v2, "5", "0", "2", "3", LEASE_S, client, NULL));
	res = dbtest_named(c3, "entry.adjudication_next", BD_PARAMS(LEASE_S, client));
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(dbtest_col(res, 0, "document_id"), doc);
	bd_db_result_free(res);
	bd_db_new_key(key);
	res = dbtest_named(c3, "entry.adjudicate", BD_PARAMS(doc, "{\"name\":{\"pick\":2}}", key));
	assert_string_equal(bd_db_result_get(res, 0, 0), "done");
	bd_db_result_free(res);
	res = dbtest_named(c3, "entry.adjudicate", BD_PARAMS(doc, "{\"name\":{\"pick\":2}}", key));
	assert_string_equal(bd_db_result_get(res, 0, 0), "done");
	bd_db_result_free(res);
	err = dbtest_named_refused(c3, "entry.adjudicate",
				   BD_PARAMS(doc, "{\"name\":{\"pick\":2}}", NULL));
	assert_true(err.kind == BD_ERR_CONFLICT || err.kind == BD_ERR_NOT_FOUND);

	/* Sampled for QA (every document), reviewed by another clerk. */
	dbtest_named_ok(sup, "supervisor.set_qa_rate", BD_PARAMS("FLT", "simple", "1"));
	make_batch_mode(1, "QA", "single_qa", 91);
	claim(c3, doc, sizeof(doc));
	dbtest_named_ok(c3, "entry.submit_and_claim_next",
			BD_PARAMS(doc, VALUES, "5", "0", "2", "3", LEASE_S, client, NULL));
	res = dbtest_named(c2, "qa.next", BD_PARAMS(LEASE_S, client));
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(dbtest_col(res, 0, "document_id"), doc);
	bd_db_result_free(res);
	bd_db_new_key(key);
	res = dbtest_named(c2, "qa.review", BD_PARAMS(doc, "{}", key));
	assert_string_equal(bd_db_result_get(res, 0, 0), "done");
	bd_db_result_free(res);
	res = dbtest_named(c2, "qa.review", BD_PARAMS(doc, "{}", key));
	assert_string_equal(bd_db_result_get(res, 0, 0), "done");
	bd_db_result_free(res);
	err = dbtest_named_refused(c2, "qa.review", BD_PARAMS(doc, "{}", NULL));
	assert_true(err.kind == BD_ERR_CONFLICT || err.kind == BD_ERR_NOT_FOUND);
	dbtest_named_ok(sup, "supervisor.set_qa_rate", BD_PARAMS("FLT", "simple", "0"));
	bd_db_free(c1);
	bd_db_free(c2);
	bd_db_free(c3);
	bd_db_free(sup);
}

/* --- the C layer: a lost answer ----------------------------------------------- */

static struct bd_db *
connect_via(const struct faultproxy *fp, const char *user)
{
	struct strbuf ci = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	struct bd_db *db;

	strbuf_addf(&ci, "host=%s dbname=backdesk user=%s", fp->dir, user);
	db = bd_db_connect(ci.buf, &err);
	if (!db)
		fail_msg("connect via the proxy: %s (%s)", err.msg, err.detail);
	strbuf_release(&ci);
	return db;
}

/*
 * The F2 commits and its answer is lost with the link (the proxy throws the
 * reply away and closes both sides). bd_db_query_resend() reconnects and
 * sends it again with the same key: one pass, and the answer of the call
 * that committed (its next document). The same loss without a key: the
 * resend is refused, since the lost call had committed.
 */
static void
test_resend_after_lost_answer(void **state)
{
	struct faultproxy fp;
	struct strbuf dir = STRBUF_INIT;
	struct bd_db *c2;
	struct bd_db_result *res;
	struct bd_err err = BD_ERR_INIT;
	char doc[32], key[BD_DB_KEY_SIZE];

	(void)state;
	make_batch(4, "LA");
	strbuf_addf(&dir, "%s/proxy", t.dir);
	faultproxy_start(&fp, dir.buf, t.cluster.socket_dir);
	c2 = connect_via(&fp, "flt02");
	claim(c2, doc, sizeof(doc));
	assert_int_equal(bd_db_prepare(c2, "entry.submit_and_claim_next", &err), 0);
	bd_db_new_key(key);
	faultproxy_cut_next_reply(&fp);
	res = bd_db_query_resend(c2, "entry.submit_and_claim_next",
				 BD_PARAMS(doc, VALUES, "5", "0", "2", "3", LEASE_S, client, key),
				 &err);
	if (!res)
		fail_msg("resend: %s (%s)", err.msg, err.detail);
	assert_int_equal(faultproxy_cuts(&fp), 1);
	assert_int_equal(passes_of(doc), 1);
	assert_false(bd_db_result_isnull(res, 0, bd_db_result_col(res, "document_id")));
	{
		struct bd_db *super = dbtest_connect(&t, NULL);

		/* The next document it answered is the one flt02 holds. */
		assert_int_equal(
		    dbtest_scalar(super,
				  "SELECT count(*) FROM entry.documents WHERE document_id = $1 "
				  "AND claimed_by = 'flt02' AND state = 'in_progress'",
				  BD_PARAMS(dbtest_col(res, 0, "document_id"))),
		    1);
		bd_db_free(super);
	}
	snprintf(doc, sizeof(doc), "%s", dbtest_col(res, 0, "document_id"));
	bd_db_result_free(res);

	/* Without a key the lost call cannot be told from one never made. */
	assert_int_equal(bd_db_prepare(c2, "entry.submit_and_claim_next", &err), 0);
	faultproxy_cut_next_reply(&fp);
	res = bd_db_query_resend(c2, "entry.submit_and_claim_next",
				 BD_PARAMS(doc, VALUES, "5", "0", "2", "3", LEASE_S, client, NULL),
				 &err);
	assert_null(res);
	assert_int_equal(faultproxy_cuts(&fp), 2);
	assert_string_equal(err.sqlstate, "BD003");
	assert_int_equal(passes_of(doc), 1);
	bd_db_free(c2);
	faultproxy_stop(&fp);
	strbuf_release(&dir);
}

/* --- the background reconnect ------------------------------------------------- */

static void
test_background_reconnect(void **state)
{
	struct bd_db *c1 = dbtest_connect(&t, "flt01"), *super = dbtest_connect(&t, NULL);
	struct bd_db_result *res;
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	bd_db_set_background_reconnect(c1, true);
	assert_true(bd_db_connected(c1));
	dbtest_exec(super, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
			   "WHERE usename = 'flt01'");
	/* The first call finds the link dead and fails at once; so does the next,
	 * without waiting for the database. */
	res = bd_db_query(c1, "core.whoami", BD_NO_PARAMS, &err);
	assert_null(res);
	assert_int_equal(err.kind, BD_ERR_CONNECTION);
	assert_false(bd_db_connected(c1));
	assert_int_equal(bd_db_socket(c1), -1);
	bd_err_clear(&err);
	assert_null(bd_db_query(c1, "core.whoami", BD_NO_PARAMS, &err));
	assert_int_equal(err.kind, BD_ERR_CONNECTION);
	assert_true(bd_db_reconnect_delay(c1) > 0);
	assert_int_equal(drive_reconnect(c1, &err), 1);
	assert_true(bd_db_connected(c1));
	res = dbtest_named(c1, "core.whoami", BD_NO_PARAMS);
	assert_string_equal(bd_db_result_get(res, 0, 0), "flt01");
	bd_db_result_free(res);

	/* Disabled: the session ends and the login is refused, which the
	 * reconnect reports as such, once and for all. */
	dbtest_exec(super, "SELECT core.operator_disable('flt01')");
	assert_null(bd_db_query(c1, "core.whoami", BD_NO_PARAMS, &err));
	assert_int_equal(err.kind, BD_ERR_CONNECTION);
	bd_err_clear(&err);
	assert_int_equal(drive_reconnect(c1, &err), -1);
	assert_int_equal(err.kind, BD_ERR_PERMISSION);
	assert_non_null(strstr(err.msg, "access was withdrawn"));
	assert_int_equal(bd_db_reconnect_poll(c1, &err), -1);
	assert_null(bd_db_query(c1, "core.whoami", BD_NO_PARAMS, &err));
	assert_int_equal(err.kind, BD_ERR_PERMISSION);
	dbtest_exec(super, "SELECT core.operator_enable('flt01')");
	bd_db_free(c1);
	bd_db_free(super);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_f2_same_key_twice),
	    cmocka_unit_test(test_keys_are_per_operator),
	    cmocka_unit_test(test_failed_call_keeps_no_key),
	    cmocka_unit_test(test_ledger_entry_same_key_twice),
	    cmocka_unit_test(test_adjudicate_and_qa_same_key_twice),
	    cmocka_unit_test(test_resend_after_lost_answer),
	    cmocka_unit_test(test_background_reconnect),
	};
	int rc;

	dbtest_start(&t, true);
	make_client();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	dbtest_stop(&t);
	return rc;
}
