/* The database layer against a real server: notices, LISTEN/NOTIFY,
 * asynchronous and background queries, a dropped link, error messages. */
#include "dbtest.h"

#include "backdesk/strbuf.h"

#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static struct dbtest t;

static void
collect_notice(void *ctx, const char *message)
{
	strbuf_addstr(ctx, message);
	strbuf_addch(ctx, '\n');
}

static void
test_notices_pass_the_gate(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct strbuf seen = STRBUF_INIT;

	(void)state;
	bd_db_set_notice_hook(db, collect_notice, &seen);
	dbtest_exec(db, "DO $$ BEGIN RAISE NOTICE '%', E'evil\\x1b]0;title\\x07\\u202e'; END $$");
	assert_non_null(strstr(seen.buf, "evil"));
	assert_null(strchr(seen.buf, 0x1b));
	assert_null(strchr(seen.buf, 0x07));
	assert_null(strstr(seen.buf, "\u202e"));
	strbuf_release(&seen);
	bd_db_free(db);
}

static void
wait_readable(struct bd_db *db)
{
	struct pollfd p = {bd_db_socket(db), POLLIN, 0};

	assert_true(poll(&p, 1, 30000) == 1);
}

static void
test_listen_notify(void **state)
{
	struct bd_db *listener = dbtest_connect(&t, NULL), *sender = dbtest_connect(&t, NULL);
	struct bd_err err = BD_ERR_INIT;
	char *channel = NULL, *payload = NULL;

	(void)state;
	assert_int_equal(bd_db_listen(listener, "bd_test", &err), 0);
	assert_int_equal(bd_db_next_notify(listener, &channel, &payload), 0);
	dbtest_exec(sender, "SELECT pg_notify('bd_test', 'client 7')");
	while (!bd_db_next_notify(listener, &channel, &payload)) {
		wait_readable(listener);
		assert_int_equal(bd_db_consume(listener, &err), 0);
	}
	assert_string_equal(channel, "bd_test");
	assert_string_equal(payload, "client 7");
	free(channel);
	free(payload);
	bd_db_free(sender);
	bd_db_free(listener);
}

static void
test_async_query(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;

	(void)state;
	assert_int_equal(bd_db_send(db, "cluster.database_exists", BD_PARAMS("backdesk"), &err), 0);
	/* One query at a time on a connection. */
	assert_null(bd_db_query(db, "migrate.newest", BD_NO_PARAMS, &err));
	assert_int_equal(err.kind, BD_ERR_INTERNAL);
	while (bd_db_busy(db)) {
		wait_readable(db);
		assert_int_equal(bd_db_consume(db, &err), 0);
	}
	res = bd_db_take(db, &err);
	assert_non_null(res);
	assert_int_equal(bd_db_result_rows(res), 1);
	bd_db_result_free(res);
	bd_db_free(db);
}

static void
test_background_query_never_blocks_the_next(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;

	(void)state;
	assert_int_equal(bd_db_send_background(db, "migrate.newest", BD_NO_PARAMS, &err), 0);
	/* The next query completes the background one first, then runs. */
	res = bd_db_query(db, "migrate.has_table", BD_NO_PARAMS, &err);
	assert_non_null(res);
	assert_string_equal(bd_db_result_get(res, 0, 0), "t");
	bd_db_result_free(res);
	assert_int_equal(bd_db_send_background(db, "migrate.newest", BD_NO_PARAMS, &err), 0);
	wait_readable(db);
	bd_db_poll_background(db);
	assert_false(bd_db_busy(db));
	bd_db_free(db);
}

/* What a taker of background answers was given. */
struct answers {
	int calls;
	int rows; /* of the last result, -1: none */
	enum bd_err_kind kind;
};

static void
take_answer(void *ctx, struct bd_db_result *res, const struct bd_err *err)
{
	struct answers *a = ctx;

	a->calls++;
	a->rows = res ? bd_db_result_rows(res) : -1;
	a->kind = res ? BD_ERR_NONE : err->kind;
	bd_db_result_free(res);
}

static void
test_background_answer_is_taken(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct bd_err err = BD_ERR_INIT;
	struct answers a = {0, 0, BD_ERR_NONE};
	struct bd_db_result *res;

	(void)state;
	/* Taken when the socket says it arrived (the event loop's poll). */
	assert_int_equal(
	    bd_db_send_background_to(db, "migrate.newest", BD_NO_PARAMS, take_answer, &a, &err), 0);
	while (a.calls == 0) {
		wait_readable(db);
		bd_db_poll_background(db);
	}
	assert_int_equal(a.calls, 1);
	assert_int_equal(a.rows, 1);
	/* Or by the next query, which completes it first. */
	assert_int_equal(
	    bd_db_send_background_to(db, "migrate.newest", BD_NO_PARAMS, take_answer, &a, &err), 0);
	res = bd_db_query(db, "migrate.has_table", BD_NO_PARAMS, &err);
	assert_non_null(res);
	bd_db_result_free(res);
	assert_int_equal(a.calls, 2);
	/* A refusal goes to the taker, not to the screen's background errors. */
	assert_int_equal(
	    bd_db_send_background_to(db, "entry.image_of", BD_PARAMS("-1"), take_answer, &a, &err),
	    0);
	res = bd_db_query(db, "migrate.has_table", BD_NO_PARAMS, &err);
	assert_non_null(res);
	bd_db_result_free(res);
	assert_int_equal(a.calls, 3);
	assert_int_equal(a.rows, -1);
	assert_int_equal(a.kind, BD_ERR_NOT_FOUND);
	assert_false(bd_db_background_refused(db, NULL));
	/* A withdrawn taker hears nothing, refusal or rows. */
	assert_int_equal(
	    bd_db_send_background_to(db, "entry.image_of", BD_PARAMS("-1"), take_answer, &a, &err),
	    0);
	bd_db_background_forget(db, &a);
	res = bd_db_query(db, "migrate.has_table", BD_NO_PARAMS, &err);
	assert_non_null(res);
	bd_db_result_free(res);
	assert_int_equal(a.calls, 3);
	assert_false(bd_db_background_refused(db, NULL));
	bd_db_free(db);
}

static void
test_dropped_link_is_restored(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL), *killer = dbtest_connect(&t, NULL);
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	char pid[32];

	(void)state;
	snprintf(pid, sizeof(pid), "%lld", dbtest_scalar(db, "SELECT pg_backend_pid()", 0, NULL));
	dbtest_scalar(killer, "SELECT count(*) FROM pg_terminate_backend($1::int)", BD_PARAMS(pid));
	/* The statement that meets the dead link is reported, not replayed. */
	res = bd_db_query(db, "migrate.newest", BD_NO_PARAMS, &err);
	assert_null(res);
	assert_int_equal(err.kind, BD_ERR_CONNECTION);
	assert_non_null(strstr(err.msg, "back"));
	/* The next one runs on the restored link. */
	res = bd_db_query(db, "migrate.newest", BD_NO_PARAMS, &err);
	assert_non_null(res);
	bd_db_result_free(res);
	bd_db_free(killer);
	bd_db_free(db);
}

static void
test_errors_speak_to_the_user(void **state)
{
	struct bd_db *db = dbtest_connect(&t, NULL);
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	dbtest_exec(db, "CREATE TEMP TABLE u (k int PRIMARY KEY, v int CHECK (v > 0))");
	dbtest_exec(db, "INSERT INTO u VALUES (1, 1)");
	assert_true(dbtest_fails(db, "INSERT INTO u VALUES (1, 1)", 0, NULL, &err));
	assert_int_equal(err.kind, BD_ERR_CONFLICT);
	assert_string_equal(err.sqlstate, "23505");
	assert_string_equal(err.msg, "That record already exists");
	assert_non_null(strstr(err.detail, "duplicate key"));

	assert_true(dbtest_fails(db, "INSERT INTO u VALUES (2, -1)", 0, NULL, &err));
	assert_int_equal(err.kind, BD_ERR_INVALID);
	assert_string_equal(err.msg, "A value is not allowed here");

	assert_true(dbtest_fails(db, "SELECT 1/0", 0, NULL, &err));
	assert_string_equal(err.sqlstate, "22012");
	assert_int_equal(err.kind, BD_ERR_INVALID);

	assert_true(dbtest_fails(db,
				 "DO $$ BEGIN RAISE EXCEPTION 'Policy number is wrong' "
				 "USING ERRCODE = 'BD001'; END $$",
				 0, NULL, &err));
	assert_int_equal(err.kind, BD_ERR_INVALID);
	assert_string_equal(err.msg, "Policy number is wrong");

	assert_true(dbtest_fails(db,
				 "DO $$ BEGIN RAISE EXCEPTION 'Not yours' "
				 "USING ERRCODE = 'BD004'; END $$",
				 0, NULL, &err));
	assert_int_equal(err.kind, BD_ERR_NOT_FOUND);

	/* A server message is gated: no escape sequence reaches the terminal. */
	assert_true(dbtest_fails(db,
				 "DO $$ BEGIN RAISE EXCEPTION '%', E'bad\\x1b[2Jthing' "
				 "USING ERRCODE = 'BD002'; END $$",
				 0, NULL, &err));
	assert_int_equal(err.kind, BD_ERR_PERMISSION);
	assert_null(strchr(err.msg, 0x1b));
	assert_non_null(strstr(err.msg, "thing"));
	bd_db_free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_notices_pass_the_gate),
	    cmocka_unit_test(test_listen_notify),
	    cmocka_unit_test(test_async_query),
	    cmocka_unit_test(test_background_query_never_blocks_the_next),
	    cmocka_unit_test(test_background_answer_is_taken),
	    cmocka_unit_test(test_dropped_link_is_restored),
	    cmocka_unit_test(test_errors_speak_to_the_user),
	};
	int failed;

	dbtest_start(&t, false);
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	dbtest_stop(&t);
	return failed;
}
