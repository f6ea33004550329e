/*
 * Inventory (issue 18), what the screens need of the database: a stock
 * move's F2 sent twice with one idempotency key posts once
 * (inventory.move_create_once); the supervisor board's stock alert
 * (supervisor.stock_alert) shows an item at or below its minimum only to
 * the client's operators, and the client's queue channel is notified when
 * an issue takes an item there and when a receipt brings it back, not for a
 * receipt of an item that was not low, and when a minimum or maximum
 * changes; a count's F2 sent twice with one key submits once
 * (inventory.count_submit_once); a waiting move shows to its checkers
 * (inventory.move_review, the inbox's Show), to no one else.
 */
#include "dbtest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backdesk/strbuf.h"

static struct dbtest t;
static struct bd_db *su, *clerk1, *clerk3, *acct1, *super1, *super9;
static char *today;

#define KEY1 "0123456789abcdef0123456789abcdef"
#define KEY2 "fedcba9876543210fedcba9876543210"
#define KEY3 "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0"
#define KEY4 "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1"

static char *
line(const char *item, const char *qty, const char *cost)
{
	char *buf = NULL;

	if (asprintf(&buf, "[{\"item\":\"%s\",\"qty\":\"%s\",\"location\":\"WH1\"%s%s%s}]", item,
		     qty, cost ? ",\"unit_cost\":\"" : "", cost ? cost : "", cost ? "\"" : "") < 0)
		fail_msg("asprintf");
	return buf;
}

/* move_create as clerk1 at GLOBEX's WH1, today: the message. */
static char *
move(const char *kind, const char *ref, const char *item, const char *qty, const char *cost)
{
	char *lines = line(item, qty, cost);
	struct bd_db_result *res = dbtest_named(clerk1, "inventory.move_create",
						BD_PARAMS("GLOBEX", kind, today, ref, "", lines));
	char *msg = strdup(dbtest_col(res, 0, "message"));

	bd_db_result_free(res);
	free(lines);
	return msg;
}

static char *
once(const char *ref, const char *item, const char *qty, const char *key)
{
	char *lines = line(item, qty, "2.00");
	struct bd_db_result *res =
	    dbtest_named(clerk1, "inventory.move_create_once",
			 BD_PARAMS("GLOBEX", "receipt", today, ref, "", lines, key, NULL));
	char *msg = strdup(dbtest_col(res, 0, "message"));

	bd_db_result_free(res);
	free(lines);
	return msg;
}

static long long
moves_of(const char *ref)
{
	char sql[200];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM inventory.moves WHERE reference = '%s'",
		 ref);
	return dbtest_scalar(su, sql, 0, NULL);
}

static long long
on_hand(const char *item)
{
	char sql[300];

	snprintf(sql, sizeof(sql),
		 "SELECT coalesce(sum(s.qty), 0)::bigint FROM inventory.stock s "
		 "JOIN inventory.items i USING (client_id, item_id) JOIN inventory.locations l "
		 "USING (client_id, location_id) JOIN core.clients c USING (client_id) "
		 "WHERE c.code = 'GLOBEX' AND i.code = '%s' AND l.code = 'WH1'",
		 item);
	return dbtest_scalar(su, sql, 0, NULL);
}

/* F2 twice with one key (the answer lost on the way): one move. */
static void
test_same_key_posts_once(void **state)
{
	char *m1, *m2, *m3;
	struct bd_err err;
	char *bad = line("NO-SUCH-ITEM", "1", "1.00");

	(void)state;
	m1 = once("RST-K1", "RST1", "10", KEY1);
	m2 = once("RST-K1", "RST1", "10", KEY1);
	assert_string_equal(m1, m2);
	assert_true(!strncmp(m1, "Move ", 5));
	assert_int_equal(moves_of("RST-K1"), 1);
	assert_int_equal(on_hand("RST1"), 10);
	/* a refused call leaves no key: its resend does the work */
	err = dbtest_named_refused(
	    clerk1, "inventory.move_create_once",
	    BD_PARAMS("GLOBEX", "receipt", today, "RST-K2", "", bad, KEY2, NULL));
	assert_string_equal(err.sqlstate, "BD004");
	m3 = once("RST-K2", "RST1", "1", KEY2);
	assert_string_not_equal(m3, m1);
	assert_int_equal(moves_of("RST-K2"), 1);
	assert_int_equal(on_hand("RST1"), 11);
	/* no key: as move_create, each call a move */
	free(m3);
	m3 = once("RST-K3", "RST1", "1", NULL);
	free(m3);
	m3 = once("RST-K3", "RST1", "1", NULL);
	assert_int_equal(moves_of("RST-K3"), 2);
	free(bad);
	free(m1);
	free(m2);
	free(m3);
}

static long long
drafts_of_clerk1(void)
{
	return dbtest_scalar(su,
			     "SELECT count(*) FROM core.drafts WHERE login = 'clerk1' "
			     "AND screen = 'inventory.move:receipt'",
			     0, NULL);
}

/* The screen's draft goes in the move's transaction: kept when the move is
 * refused, gone when it posts (never offered back to post again). */
static void
test_draft_goes_with_the_move(void **state)
{
	char *gid =
	    dbtest_text(su, "SELECT client_id::text FROM core.clients WHERE code = $1", "GLOBEX");
	char *bad = line("NO-SUCH-ITEM", "1", "1.00"), *good = line("RST1", "2", "2.00");
	struct bd_db_result *res;
	struct bd_err err;

	(void)state;
	dbtest_named_ok(clerk1, "draft.save", BD_PARAMS("inventory.move:receipt", gid, "x"));
	assert_int_equal(drafts_of_clerk1(), 1);
	err = dbtest_named_refused(clerk1, "inventory.move_create_once",
				   BD_PARAMS("GLOBEX", "receipt", today, "RST-D1", "", bad,
					     "d0d0d0d0d0d0d0d0", "inventory.move:receipt"));
	assert_string_equal(err.sqlstate, "BD004");
	assert_int_equal(drafts_of_clerk1(), 1);
	res = dbtest_named(clerk1, "inventory.move_create_once",
			   BD_PARAMS("GLOBEX", "receipt", today, "RST-D1", "", good,
				     "d1d1d1d1d1d1d1d1", "inventory.move:receipt"));
	bd_db_result_free(res);
	assert_int_equal(moves_of("RST-D1"), 1);
	assert_int_equal(drafts_of_clerk1(), 0);
	free(good);
	free(bad);
	free(gid);
}

/* The alert's rows for `client` as `db` sees them; *rst2: RST2's on hand, or
 * "" when it is not among them. */
static int
alert(struct bd_db *db, const char *client, char *rst2, size_t size)
{
	struct bd_db_result *res =
	    dbtest_named(db, "supervisor.stock_alert", BD_PARAMS(client, "1000"));
	int r, n = bd_db_result_rows(res);

	*rst2 = '\0';
	for (r = 0; r < n; r++) {
		if (!strcmp(dbtest_col(res, r, "item"), "RST2"))
			snprintf(rst2, size, "%s", dbtest_col(res, r, "on_hand"));
		assert_int_equal(strtol(dbtest_col(res, r, "below"), NULL, 10), n);
	}
	bd_db_result_free(res);
	return n;
}

/* The queue channel of client `code` (what an open board listens on). */
static char *
queue_channel(const char *code)
{
	return dbtest_text(su,
			   "SELECT core.channel_name('queue', ch.token) FROM "
			   "core.client_channels ch JOIN core.clients c USING (client_id) "
			   "WHERE c.code = $1",
			   code);
}

static void
test_stock_alert_follows_moves_and_keeps_to_the_client(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	char *queue = queue_channel("GLOBEX");
	char rst2[32], *msg;
	int n0;

	(void)state;
	assert_int_equal(bd_db_listen(super1, queue, &err), 0);
	assert_int_equal(bd_db_listen(super1, "bd_test_marker", &err), 0);
	dbtest_notifications_before_marker(su, super1, queue); /* what came before */

	/* none on hand, minimum 5: in the alert */
	n0 = alert(super1, "GLOBEX", rst2, sizeof(rst2));
	assert_string_equal(rst2, "0");
	/* a receipt of 8 brings it back: notified, gone from the alert */
	free(move("receipt", "RST-A1", "RST2", "8", "1.00"));
	assert_int_equal(dbtest_notifications_before_marker(su, super1, queue), 1);
	assert_int_equal(alert(super1, "GLOBEX", rst2, sizeof(rst2)), n0 - 1);
	assert_string_equal(rst2, "");
	/* one more: it was not low, nobody is told */
	free(move("receipt", "RST-A2", "RST2", "1", "1.00"));
	assert_int_equal(dbtest_notifications_before_marker(su, super1, queue), 0);
	/* an issue of 5 leaves 4: notified, in the alert with 4 */
	msg = move("issue", "RST-A3", "RST2", "5", NULL);
	assert_true(!strncmp(msg, "Move ", 5));
	free(msg);
	assert_int_equal(dbtest_notifications_before_marker(su, super1, queue), 1);
	assert_int_equal(alert(super1, "GLOBEX", rst2, sizeof(rst2)), n0);
	assert_string_equal(rst2, "4");
	/* the worst first: limit 1 shows the lowest against its minimum */
	{
		struct bd_db_result *all =
		    dbtest_named(super1, "supervisor.stock_alert", BD_PARAMS("GLOBEX", "1000"));
		struct bd_db_result *one =
		    dbtest_named(super1, "supervisor.stock_alert", BD_PARAMS("GLOBEX", "1"));

		assert_int_equal(bd_db_result_rows(one), 1);
		assert_string_equal(dbtest_col(one, 0, "item"), dbtest_col(all, 0, "item"));
		assert_string_equal(dbtest_col(one, 0, "below"), dbtest_col(all, 0, "below"));
		bd_db_result_free(all);
		bd_db_result_free(one);
	}
	/* row security: ACME's supervisor and clerk see none of GLOBEX's */
	assert_int_equal(alert(super9, "GLOBEX", rst2, sizeof(rst2)), 0);
	assert_int_equal(alert(clerk3, "GLOBEX", rst2, sizeof(rst2)), 0);
	free(queue);
}

/* Whether `item` is in GLOBEX's stock alert as super1 sees it. */
static bool
in_alert(const char *item)
{
	struct bd_db_result *res =
	    dbtest_named(super1, "supervisor.stock_alert", BD_PARAMS("GLOBEX", "1000"));
	int r, n = bd_db_result_rows(res);
	bool found = false;

	for (r = 0; r < n; r++)
		found = found || !strcmp(dbtest_col(res, r, "item"), item);
	bd_db_result_free(res);
	return found;
}

/* A minimum or maximum set, changed or written again: the queue channel is
 * told of a change (an open board reads its alert again at once), not of
 * the same values written again. */
static void
test_limit_change_notifies_the_board(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	char *queue = queue_channel("GLOBEX");
	char above[32];
	long long have = on_hand("RST1");

	(void)state;
	assert_true(have > 0);
	snprintf(above, sizeof(above), "%lld", have + 5);
	assert_int_equal(bd_db_listen(super1, queue, &err), 0);
	assert_int_equal(bd_db_listen(super1, "bd_test_marker", &err), 0);
	dbtest_notifications_before_marker(su, super1, queue); /* what came before */

	/* a new limit under what it holds: told, not in the alert */
	dbtest_named_ok(acct1, "inventory.limit_set", BD_PARAMS("GLOBEX", "RST1", "WH1", "1", "9"));
	assert_int_equal(dbtest_notifications_before_marker(su, super1, queue), 1);
	assert_false(in_alert("RST1"));
	/* the same again: nothing changed, nobody is told */
	dbtest_named_ok(acct1, "inventory.limit_set", BD_PARAMS("GLOBEX", "RST1", "WH1", "1", "9"));
	assert_int_equal(dbtest_notifications_before_marker(su, super1, queue), 0);
	/* the minimum raised above what it holds: told, and in the alert */
	dbtest_named_ok(acct1, "inventory.limit_set",
			BD_PARAMS("GLOBEX", "RST1", "WH1", above, above));
	assert_int_equal(dbtest_notifications_before_marker(su, super1, queue), 1);
	assert_true(in_alert("RST1"));
	/* only the maximum changed: told too (the reorder quantity moved) */
	dbtest_named_ok(acct1, "inventory.limit_set",
			BD_PARAMS("GLOBEX", "RST1", "WH1", above, "1000"));
	assert_int_equal(dbtest_notifications_before_marker(su, super1, queue), 1);
	/* lowered again: told, and out of the alert */
	dbtest_named_ok(acct1, "inventory.limit_set", BD_PARAMS("GLOBEX", "RST1", "WH1", "0", "9"));
	assert_int_equal(dbtest_notifications_before_marker(su, super1, queue), 1);
	assert_false(in_alert("RST1"));
	free(queue);
}

static long long
counts_at(const char *date)
{
	char sql[300];

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM inventory.counts k JOIN core.clients c USING "
		 "(client_id) WHERE c.code = 'GLOBEX' AND k.count_date = '%s'",
		 date);
	return dbtest_scalar(su, sql, 0, NULL);
}

static char *
count_once(const char *date, const char *qty, const char *key, const char *draft)
{
	char lines[128];
	struct bd_db_result *res;
	char *msg;

	snprintf(lines, sizeof(lines), "[{\"item\":\"RST1\",\"qty\":\"%s\"}]", qty);
	res = dbtest_named(clerk1, "inventory.count_submit_once",
			   BD_PARAMS("GLOBEX", "WH1", date, lines, key, draft));
	msg = strdup(dbtest_col(res, 0, "message"));
	bd_db_result_free(res);
	return msg;
}

/* A count's F2 sent again with its key (the answer lost on the way)
 * submits one count, whose approval would otherwise post the difference
 * twice; a new key is a new count; the draft goes in the count's
 * transaction. */
static void
test_count_same_key_submits_once(void **state)
{
	char *gid =
	    dbtest_text(su, "SELECT client_id::text FROM core.clients WHERE code = $1", "GLOBEX");
	char *date = dbtest_text(su, "SELECT (current_date - 1)::text", NULL);
	char *m1, *m2, *m3;
	long long before = counts_at(date);

	(void)state;
	dbtest_named_ok(clerk1, "draft.save", BD_PARAMS("inventory.count", gid, "x"));
	m1 = count_once(date, "3", KEY3, "inventory.count");
	assert_non_null(strstr(m1, "waits for approval"));
	assert_int_equal(counts_at(date), before + 1);
	assert_int_equal(dbtest_scalar(su,
				       "SELECT count(*) FROM core.drafts WHERE login = 'clerk1' "
				       "AND screen = 'inventory.count'",
				       0, NULL),
			 0);
	/* the same key again: the same answer, no second count */
	m2 = count_once(date, "3", KEY3, "inventory.count");
	assert_string_equal(m2, m1);
	assert_int_equal(counts_at(date), before + 1);
	/* another key: another count */
	m3 = count_once(date, "4", KEY4, NULL);
	assert_string_not_equal(m3, m1);
	assert_int_equal(counts_at(date), before + 2);
	free(m1);
	free(m2);
	free(m3);
	free(date);
	free(gid);
}

static void
test_waiting_move_shows_to_its_checkers_only(void **state)
{
	char *msg = move("receipt", "RST-BIG", "RST1", "3000", "2.00");
	long long id = 0;
	char ids[32];
	struct bd_db_result *res;
	struct bd_err err;

	(void)state;
	assert_int_equal(sscanf(msg, "Move %lld waits for approval", &id), 1);
	snprintf(ids, sizeof(ids), "%lld", id);
	res = dbtest_named(acct1, "inventory.move_review", BD_PARAMS("GLOBEX", ids));
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(dbtest_col(res, 0, "kind"), "receipt");
	assert_string_equal(dbtest_col(res, 0, "status"), "submitted");
	assert_string_equal(dbtest_col(res, 0, "reference"), "RST-BIG");
	assert_string_equal(dbtest_col(res, 0, "maker"), "clerk1");
	assert_string_equal(dbtest_col(res, 0, "total"), "6000.00");
	assert_string_equal(dbtest_col(res, 0, "item"), "RST1");
	assert_string_equal(dbtest_col(res, 0, "qty"), "3000");
	assert_string_equal(dbtest_col(res, 0, "location"), "WH1");
	assert_string_equal(dbtest_col(res, 0, "unit_cost"), "2");
	assert_string_equal(dbtest_col(res, 0, "value"), "6000.00");
	bd_db_result_free(res);
	res = dbtest_named(super1, "inventory.move_review", BD_PARAMS("GLOBEX", ids));
	assert_int_equal(bd_db_result_rows(res), 1);
	bd_db_result_free(res);
	/* the clerk who keyed it approves nothing: refused */
	err = dbtest_named_refused(clerk1, "inventory.move_review", BD_PARAMS("GLOBEX", ids));
	assert_string_equal(err.sqlstate, "42501");
	/* another client's operators: "Unknown client" */
	err = dbtest_named_refused(super9, "inventory.move_review", BD_PARAMS("GLOBEX", ids));
	assert_string_equal(err.sqlstate, "BD004");
	err = dbtest_named_refused(clerk3, "inventory.move_review", BD_PARAMS("GLOBEX", ids));
	assert_string_equal(err.sqlstate, "42501");
	free(msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_key_posts_once),
	    cmocka_unit_test(test_draft_goes_with_the_move),
	    cmocka_unit_test(test_stock_alert_follows_moves_and_keeps_to_the_client),
	    cmocka_unit_test(test_limit_change_notifies_the_board),
	    cmocka_unit_test(test_count_same_key_submits_once),
	    cmocka_unit_test(test_waiting_move_shows_to_its_checkers_only),
	};
	struct bd_db *admin1;
	int rc;

	dbtest_start(&t, true);
	su = dbtest_connect(&t, NULL);
	today = dbtest_text(su, "SELECT current_date::text", NULL);
	admin1 = dbtest_connect(&t, "admin1");
	dbtest_named_ok(admin1, "admin.operator_add",
			BD_PARAMS("super9", "ACME's supervisor", "supervisor", "{ACME}"));
	bd_db_free(admin1);
	clerk1 = dbtest_connect(&t, "clerk1");
	clerk3 = dbtest_connect(&t, "clerk3");
	acct1 = dbtest_connect(&t, "acct1");
	super1 = dbtest_connect(&t, "super1");
	super9 = dbtest_connect(&t, "super9");
	/* two items of GLOBEX's (the demo's inventory) with a minimum at WH1 */
	dbtest_named_ok(acct1, "inventory.item_save",
			BD_PARAMS("GLOBEX", "RST1", "Rest one", "EA", "", NULL, NULL, NULL, NULL));
	dbtest_named_ok(acct1, "inventory.item_save",
			BD_PARAMS("GLOBEX", "RST2", "Rest two", "EA", "", NULL, NULL, NULL, NULL));
	dbtest_named_ok(acct1, "inventory.limit_set",
			BD_PARAMS("GLOBEX", "RST2", "WH1", "5", "20"));
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	bd_db_free(super9);
	bd_db_free(super1);
	bd_db_free(acct1);
	bd_db_free(clerk3);
	bd_db_free(clerk1);
	bd_db_free(su);
	free(today);
	dbtest_stop(&t);
	return rc;
}
