/*
 * Inventory (issue 18) against the real database: items and barcodes, the
 * CSV import's all-or-nothing rule, moving average and FIFO on hand-made
 * cases with known answers (backdated receipts too), posted moves that
 * cannot change, the last units issued by 20 connections at once, stock
 * value against the ledger after a random mix of concurrent and backdated
 * moves, blind counts and approvals through the registry, lots (FEFO) and
 * serials, reversals, closed periods and row security.
 */
#include "dbtest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "backdesk/strbuf.h"

static struct dbtest t;
static struct bd_db *su, *acct1, *acct2, *clerk1, *clerk3;
static int year;

/* A date of the current year: month, day. */
static const char *
day(int month, int d)
{
	static char buf[8][16];
	static int next;
	char *b = buf[next++ % 8];

	snprintf(b, sizeof(buf[0]), "%04d-%02d-%02d", year, month, d);
	return b;
}

static char *
move(struct bd_db *db, const char *kind, const char *date, const char *ref, const char *reason,
     const char *lines)
{
	struct bd_db_result *res = dbtest_named(db, "inventory.move_create",
						BD_PARAMS("ACME", kind, date, ref, reason, lines));
	char *msg = strdup(dbtest_col(res, 0, "message"));

	bd_db_result_free(res);
	return msg;
}

static long long
move_id(struct bd_db *db, const char *kind, const char *date, const char *lines)
{
	char *msg = move(db, kind, date, "", kind[0] == 'a' ? "test" : "", lines);
	long long id = 0;

	assert_int_equal(sscanf(msg, "Move %lld", &id), 1);
	free(msg);
	return id;
}

static struct bd_err
move_refused(struct bd_db *db, const char *state, const char *kind, const char *date,
	     const char *lines)
{
	struct bd_err err = dbtest_named_refused(db, "inventory.move_create",
						 BD_PARAMS("ACME", kind, date, "", "test", lines));

	if (strcmp(err.sqlstate, state))
		fail_msg("%s failed with %s (%s), expected %s", kind, err.sqlstate, err.msg, state);
	return err;
}

/* Text of one value (exact decimals compare as text). */
static void
assert_value(const char *sql, const char *arg, const char *want)
{
	char *v = dbtest_text(su, sql, arg);

	if (strcmp(v, want))
		fail_msg("%s (%s): %s, expected %s", sql, arg ? arg : "", v, want);
	free(v);
}

static char *
stock_value(const char *date)
{
	struct bd_db_result *res =
	    dbtest_named(acct1, "inventory.stock_value", BD_PARAMS("ACME", date));
	char *v = strdup(dbtest_col(res, 0, "value"));

	bd_db_result_free(res);
	return v;
}

/* The balance of ACME's stock account 1310 as of a date, from the ledger's
 * own lines (posted entries only). */
static char *
ledger_1310(const char *date)
{
	return dbtest_text(
	    su,
	    "SELECT coalesce(sum(l.debit - l.credit), 0)::numeric(18,2)::text "
	    "FROM ledger.lines l JOIN ledger.entries e ON e.client_id = l.client_id "
	    "AND e.entry_id = l.entry_id JOIN ledger.accounts a ON a.client_id = "
	    "l.client_id AND a.account_id = l.account_id JOIN core.clients c ON "
	    "c.client_id = l.client_id WHERE c.code = 'ACME' AND a.code = '1310' AND "
	    "e.status = 'posted' AND e.entry_date <= $1::date",
	    date);
}

static void
assert_value_is_ledger(const char *date)
{
	char *v = stock_value(date), *l = ledger_1310(date);

	if (strcmp(v, l))
		fail_msg("as of %s: stock value %s, ledger 1310 %s", date, v, l);
	free(v);
	free(l);
}

static void
item(const char *code, const char *valuation, const char *lots, const char *serials)
{
	dbtest_named_ok(acct1, "inventory.item_save",
			BD_PARAMS("ACME", code, "Item " /* description */, "EA", "test", valuation,
				  lots, serials, "true"));
}

/* --- items ---------------------------------------------------------------------------------- */

static void
test_items_units_and_barcodes(void **state)
{
	struct bd_err err;

	(void)state;
	assert_int_equal(
	    dbtest_scalar(su, "SELECT inventory.barcode_ok('4006381333931')::int", 0, NULL), 1);
	assert_int_equal(
	    dbtest_scalar(su, "SELECT inventory.barcode_ok('036000291452')::int", 0, NULL), 1);
	assert_int_equal(
	    dbtest_scalar(su, "SELECT inventory.barcode_ok('4006381333932')::int", 0, NULL), 0);
	assert_int_equal(
	    dbtest_scalar(su, "SELECT inventory.barcode_ok('40063813339')::int", 0, NULL), 0);
	item("SCREW", NULL, "false", "false");
	dbtest_named_ok(acct1, "inventory.unit_set", BD_PARAMS("ACME", "SCREW", "BOX", "12"));
	dbtest_named_ok(acct1, "inventory.barcode_add",
			BD_PARAMS("ACME", "SCREW", "4006381333931", NULL));
	dbtest_named_ok(acct1, "inventory.barcode_add",
			BD_PARAMS("ACME", "SCREW", "036000291452", "BOX"));
	err = dbtest_named_refused(acct1, "inventory.barcode_add",
				   BD_PARAMS("ACME", "SCREW", "4006381333932", NULL));
	assert_string_equal(err.sqlstate, "BD001");
	assert_non_null(strstr(err.msg, "check digit"));
	/* the database refuses a bad check digit whoever writes it */
	assert_true(dbtest_fails(su,
				 "INSERT INTO inventory.barcodes (client_id, barcode, item_id) "
				 "SELECT client_id, '4006381333932', item_id FROM inventory.items "
				 "WHERE code = 'SCREW'",
				 0, NULL, NULL));
	/* clerks key moves, they do not keep items */
	err = dbtest_named_refused(clerk1, "inventory.item_save",
				   BD_PARAMS("ACME", "X1", "x", "EA", "", NULL, NULL, NULL, NULL));
	assert_string_equal(err.sqlstate, "42501");
	/* a box scanned is 12 */
	free(move(clerk1, "receipt", day(2, 1), "", "",
		  "[{\"item\":\"036000291452\",\"qty\":\"1\",\"location\":\"WH1\","
		  "\"unit_cost\":\"24\"}]"));
	assert_value("SELECT qty::text FROM inventory.on_hand('ACME', NULL) WHERE item = $1",
		     "SCREW", "12");
	assert_value("SELECT value::text FROM inventory.on_hand('ACME', NULL) WHERE item = $1",
		     "SCREW", "24.00");
	/* a bin is in a warehouse */
	err = dbtest_named_refused(acct1, "inventory.location_save",
				   BD_PARAMS("ACME", "X-B", "x", "WH1-A1"));
	assert_string_equal(err.sqlstate, "BD001");
}

static void
test_import_refuses_whole_file(void **state)
{
	struct bd_err err;

	(void)state;
	err = dbtest_named_refused(
	    acct1, "inventory.items_import",
	    BD_PARAMS("ACME", "items.csv",
		      "[{\"line\":2,\"code\":\"IMP1\",\"description\":\"One\",\"unit\":\"EA\"},"
		      "{\"line\":3,\"code\":\"IMP2\",\"description\":\"Two\",\"unit\":\"EA\","
		      "\"barcode\":\"4006381333932\"}]"));
	assert_non_null(strstr(err.msg, "items.csv:3:"));
	assert_int_equal(
	    dbtest_scalar(su, "SELECT count(*) FROM inventory.items WHERE code LIKE 'IMP%'", 0,
			  NULL),
	    0);
	dbtest_named_ok(
	    acct1, "inventory.items_import",
	    BD_PARAMS("ACME", "items.csv",
		      "[{\"line\":2,\"code\":\"IMP1\",\"description\":\"One\",\"unit\":\"EA\","
		      "\"min\":\"2\",\"max\":\"10\",\"location\":\"WH1\"},"
		      "{\"line\":3,\"code\":\"IMP2\",\"description\":\"Two\",\"unit\":\"EA\","
		      "\"barcode\":\"5901234123457\"}]"));
	assert_int_equal(
	    dbtest_scalar(su, "SELECT count(*) FROM inventory.items WHERE code LIKE 'IMP%'", 0,
			  NULL),
	    2);
	/* IMP1 has a minimum and nothing on hand: on the reorder list */
	assert_value("SELECT suggest::text FROM inventory.below_minimum WHERE item = $1", "IMP1",
		     "10");
}

/* --- costing -------------------------------------------------------------------------------- */

static void
test_moving_average_backdated_receipt(void **state)
{
	(void)state;
	item("AVG1", "average", "false", "false");
	move_id(clerk1, "receipt", day(3, 1),
		"[{\"item\":\"AVG1\",\"qty\":\"10\",\"location\":"
		"\"WH1\",\"unit_cost\":\"1\"}]");
	move_id(clerk1, "issue", day(3, 10),
		"[{\"item\":\"AVG1\",\"qty\":\"5\",\"location\":"
		"\"WH1\"}]");
	assert_value("SELECT value::text FROM inventory.valuation('ACME', NULL) WHERE item = $1",
		     "AVG1", "5.00");
	/* 10 at 4.00 received on the 5th, keyed late (081: posted moves keep
	 * their cost; SAP's moving average price, Odoo's AVCO): it enters 10
	 * units worth 40.00 on the 5th; the issue of the 10th keeps its 5.00
	 * (5 of 10 units worth 10.00 when it posted) and nothing is revalued.
	 * On hand 5 + 10 = 15 units worth 5.00 + 40.00 = 45.00, 3.00 each.
	 * (Before 081 the issue was costed again at 12.50: 5 of 20 units worth
	 * 50.00, leaving 37.50.) */
	move_id(clerk1, "receipt", day(3, 5),
		"[{\"item\":\"AVG1\",\"qty\":\"10\",\"location\":"
		"\"WH1\",\"unit_cost\":\"4\"}]");
	assert_value("SELECT value::text FROM inventory.valuation('ACME', NULL) WHERE item = $1",
		     "AVG1", "45.00");
	assert_value(
	    "SELECT unit_cost::text FROM inventory.valuation('ACME', NULL) WHERE item = $1", "AVG1",
	    "3.0000");
	/* no revaluation; the posted issue's leg as it was */
	assert_value("SELECT count(*)::text FROM inventory.moves m JOIN inventory.legs g USING "
		     "(client_id, move_id) JOIN inventory.items i USING (client_id, item_id) "
		     "WHERE i.code = $1 AND m.kind = 'revaluation'",
		     "AVG1", "0");
	assert_value("SELECT string_agg(g.value || '/' || g.cost, ',' ORDER BY g.move_date) FROM "
		     "inventory.legs g JOIN inventory.items i USING (client_id, item_id) WHERE "
		     "i.code = $1 AND g.qty < 0",
		     "AVG1", "-5.00/-5.00");
	/* as of the 7th: both receipts, no issue yet, 10.00 + 40.00 */
	assert_value("SELECT value::text FROM inventory.valuation('ACME', $1::date) WHERE item = "
		     "'AVG1'",
		     day(3, 7), "50.00");
	/* as of the 10th: less the issue's 5.00 */
	assert_value("SELECT value::text FROM inventory.valuation('ACME', $1::date) WHERE item = "
		     "'AVG1'",
		     day(3, 10), "45.00");
	/* the next issue costs the average as it stands: 3 x 45.00 / 15 = 9.00,
	 * leaving 36.00 */
	move_id(clerk1, "issue", day(3, 12),
		"[{\"item\":\"AVG1\",\"qty\":\"3\",\"location\":"
		"\"WH1\"}]");
	assert_value("SELECT value::text FROM inventory.valuation('ACME', NULL) WHERE item = $1",
		     "AVG1", "36.00");
	/* the stock card runs to the same */
	assert_value("SELECT run_value::text FROM inventory.stock_card('ACME', $1, NULL) "
		     "ORDER BY move_date DESC, move_id DESC LIMIT 1",
		     "AVG1", "36.00");
	/* a backdated issue too takes the average as it stands, not the one of
	 * its date: 2 on the 6th (when 20 units were worth 50.00, 2.50 each)
	 * cost 2 x 36.00 / 12 = 6.00; 10 units worth 30.00 stay */
	move_id(clerk1, "issue", day(3, 6),
		"[{\"item\":\"AVG1\",\"qty\":\"2\",\"location\":"
		"\"WH1\"}]");
	assert_value("SELECT value::text FROM inventory.valuation('ACME', NULL) WHERE item = $1",
		     "AVG1", "30.00");
	/* as of the 7th: 50.00 less that issue's 6.00 */
	assert_value("SELECT value::text FROM inventory.valuation('ACME', $1::date) WHERE item = "
		     "'AVG1'",
		     day(3, 7), "44.00");
	assert_value("SELECT count(*)::text FROM inventory.moves m JOIN inventory.legs g USING "
		     "(client_id, move_id) JOIN inventory.items i USING (client_id, item_id) "
		     "WHERE i.code = $1 AND m.kind = 'revaluation'",
		     "AVG1", "0");
	assert_value_is_ledger(day(3, 7));
	assert_value_is_ledger(day(3, 10));
	assert_value_is_ledger(day(12, 31));
}

/* A backdated issue may not take what only arrives after its date (082):
 * the stock now is enough, but the stock card would run negative between
 * the issue's date and the receipt's. Refused with the first day short and
 * how many; dated on or after the receipt it posts. */
static void
test_backdated_issue_before_receipt(void **state)
{
	struct bd_err err;

	(void)state;
	item("BACK1", "average", "false", "false");
	move_id(clerk1, "receipt", day(4, 10),
		"[{\"item\":\"BACK1\",\"qty\":\"10\",\"location\":\"WH1\",\"unit_cost\":\"2\"}]");
	/* before the receipt: none on hand on the 5th */
	err = move_refused(clerk1, "BD003", "issue", day(4, 5),
			   "[{\"item\":\"BACK1\",\"qty\":\"3\",\"location\":\"WH1\"}]");
	if (!strstr(err.msg, day(4, 5)) || !strstr(err.msg, "0 on hand that day") ||
	    !strstr(err.msg, "(3 short)") || strncmp(err.msg, "Not enough BACK1 at WH1", 23))
		fail_msg("backdated issue: %s", err.msg);
	/* a month before it too (the quantity before read from the year and
	 * month sums) */
	err = move_refused(clerk1, "BD003", "issue", day(3, 20),
			   "[{\"item\":\"BACK1\",\"qty\":\"1\",\"location\":\"WH1\"}]");
	if (!strstr(err.msg, day(3, 20)) || !strstr(err.msg, "(1 short)"))
		fail_msg("backdated issue: %s", err.msg);
	/* on the receipt's day and after it: posted */
	move_id(clerk1, "issue", day(4, 10),
		"[{\"item\":\"BACK1\",\"qty\":\"1\",\"location\":\"WH1\"}]");
	move_id(clerk1, "issue", day(4, 12),
		"[{\"item\":\"BACK1\",\"qty\":\"2\",\"location\":\"WH1\"}]");
	/* 10 more on the 20th: 17 on hand now, but 7 from the 12th to the
	 * 19th, so 8 on the 11th is 1 short on the 12th; 7 posts */
	move_id(clerk1, "receipt", day(4, 20),
		"[{\"item\":\"BACK1\",\"qty\":\"10\",\"location\":\"WH1\",\"unit_cost\":\"2\"}]");
	err = move_refused(clerk1, "BD003", "issue", day(4, 11),
			   "[{\"item\":\"BACK1\",\"qty\":\"8\",\"location\":\"WH1\"}]");
	if (!strstr(err.msg, day(4, 12)) || !strstr(err.msg, "7 on hand that day") ||
	    !strstr(err.msg, "(1 short)"))
		fail_msg("backdated issue: %s", err.msg);
	move_id(clerk1, "issue", day(4, 11),
		"[{\"item\":\"BACK1\",\"qty\":\"7\",\"location\":\"WH1\"}]");
	/* a month later, the quantity before from the month sums: 10 left */
	move_id(clerk1, "issue", day(5, 2),
		"[{\"item\":\"BACK1\",\"qty\":\"10\",\"location\":\"WH1\"}]");
	/* the stock card never runs negative */
	assert_value("SELECT count(*)::text FROM inventory.stock_card('ACME', $1, NULL) WHERE "
		     "run_qty < 0",
		     "BACK1", "0");
	assert_value_is_ledger(day(4, 11));
	assert_value_is_ledger(day(12, 31));
}

/* Two lines of one item and location in one backdated issue are checked
 * against the days after its date together (086: each alone passed a day
 * that held 5 for two lines of 3), on the one-call path (moving average)
 * and on the general one (FIFO) alike. */
static void
test_backdated_two_lines(void **state)
{
	static const char *const codes[] = {"BACK2", "BACK3"};
	char lines[256];
	struct bd_err err;
	int i;

	(void)state;
	item("BACK2", "average", "false", "false");
	item("BACK3", "fifo", "false", "false");
	for (i = 0; i < 2; i++) {
		const char *c = codes[i];

		snprintf(lines, sizeof(lines),
			 "[{\"item\":\"%s\",\"qty\":\"5\",\"location\":\"WH1\","
			 "\"unit_cost\":\"2\"}]",
			 c);
		move_id(clerk1, "receipt", day(6, 10), lines);
		snprintf(lines, sizeof(lines),
			 "[{\"item\":\"%s\",\"qty\":\"10\",\"location\":\"WH1\","
			 "\"unit_cost\":\"2\"}]",
			 c);
		move_id(clerk1, "receipt", day(6, 20), lines);
		/* 15 on hand now, 5 from the 10th to the 19th: 3 and 3 on the
		 * 12th are 1 short */
		snprintf(lines, sizeof(lines),
			 "[{\"item\":\"%s\",\"qty\":\"3\",\"location\":\"WH1\"},"
			 "{\"item\":\"%s\",\"qty\":\"3\",\"location\":\"WH1\"}]",
			 c, c);
		err = move_refused(clerk1, "BD003", "issue", day(6, 12), lines);
		if (!strstr(err.msg, day(6, 12)) || !strstr(err.msg, "5 on hand that day") ||
		    !strstr(err.msg, "6 to take (1 short)") || !strstr(err.msg, c))
			fail_msg("two backdated lines of %s: %s", c, err.msg);
		/* 2 and 3 fit */
		snprintf(lines, sizeof(lines),
			 "[{\"item\":\"%s\",\"qty\":\"2\",\"location\":\"WH1\"},"
			 "{\"item\":\"%s\",\"qty\":\"3\",\"location\":\"WH1\"}]",
			 c, c);
		move_id(clerk1, "issue", day(6, 12), lines);
		assert_value("SELECT count(*)::text FROM inventory.stock_card('ACME', $1, NULL) "
			     "WHERE run_qty < 0",
			     c, "0");
	}
	assert_value_is_ledger(day(6, 12));
	assert_value_is_ledger(day(12, 31));
}

static void
test_fifo_backdated_receipt(void **state)
{
	(void)state;
	item("FIFO1", "fifo", "false", "false");
	move_id(clerk1, "receipt", day(4, 10),
		"[{\"item\":\"FIFO1\",\"qty\":\"10\",\"location\":"
		"\"WH1\",\"unit_cost\":\"1\"}]");
	move_id(clerk1, "receipt", day(4, 12),
		"[{\"item\":\"FIFO1\",\"qty\":\"10\",\"location\":"
		"\"WH2\",\"unit_cost\":\"2\"}]");
	/* 15 out: 10 at 1 and 5 at 2 = 20.00; 5 at 2 stay */
	move_id(clerk1, "issue", day(4, 15),
		"[{\"item\":\"FIFO1\",\"qty\":\"10\",\"location\":"
		"\"WH1\"},{\"item\":\"FIFO1\",\"qty\":\"5\","
		"\"location\":\"WH2\"}]");
	assert_value("SELECT value::text FROM inventory.valuation('ACME', NULL) WHERE item = $1",
		     "FIFO1", "10.00");
	/* 10 at 0.50 received on the 8th, keyed late: the 15 issued were 10 at
	 * 0.50 and 5 at 1 (10.00); on hand 5 at 1 and 10 at 2 = 25.00 */
	move_id(clerk1, "receipt", day(4, 8),
		"[{\"item\":\"FIFO1\",\"qty\":\"10\",\"location\":"
		"\"WH1\",\"unit_cost\":\"0.50\"}]");
	assert_value("SELECT value::text FROM inventory.valuation('ACME', NULL) WHERE item = $1",
		     "FIFO1", "25.00");
	assert_value("SELECT string_agg(trim_scale(qty_left) || '@' || trim_scale(unit_cost), ' ' "
		     "ORDER BY layer_date) FROM inventory.layers l JOIN inventory.items i USING "
		     "(client_id, item_id) WHERE i.code = $1 AND qty_left > 0",
		     "FIFO1", "5@1 10@2");
	/* the next issue takes the oldest left: 5 at 1 and 1 at 2 */
	move_id(clerk1, "issue", day(4, 20),
		"[{\"item\":\"FIFO1\",\"qty\":\"6\",\"location\":"
		"\"WH1\"}]");
	assert_value("SELECT value::text FROM inventory.valuation('ACME', NULL) WHERE item = $1",
		     "FIFO1", "18.00");
	assert_value_is_ledger(day(4, 9));
	assert_value_is_ledger(day(4, 16));
	assert_value_is_ledger(day(12, 31));
}

/* --- immutability, periods, reversal -------------------------------------------------------- */

static void
test_posted_move_cannot_change(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	char ids[24];
	long long id;

	(void)state;
	item("IMM1", NULL, "false", "false");
	id = move_id(clerk1, "receipt", day(5, 1),
		     "[{\"item\":\"IMM1\",\"qty\":\"4\",\"location\":"
		     "\"WH1\",\"unit_cost\":\"3\"}]");
	snprintf(ids, sizeof(ids), "%lld", id);
	assert_true(dbtest_fails(su,
				 "UPDATE inventory.moves SET reference = 'x' WHERE move_id = "
				 "$1::bigint",
				 BD_PARAMS(ids), &err));
	assert_string_equal(err.sqlstate, "BD002");
	assert_true(dbtest_fails(su, "DELETE FROM inventory.moves WHERE move_id = $1::bigint",
				 BD_PARAMS(ids), &err));
	assert_string_equal(err.sqlstate, "BD002");
	assert_true(dbtest_fails(su, "UPDATE inventory.legs SET qty = 5 WHERE move_id = $1::bigint",
				 BD_PARAMS(ids), &err));
	assert_string_equal(err.sqlstate, "BD002");
	assert_true(dbtest_fails(su, "DELETE FROM inventory.move_lines WHERE move_id = $1::bigint",
				 BD_PARAMS(ids), &err));
	assert_true(dbtest_fails(su, "TRUNCATE inventory.legs CASCADE", 0, NULL, &err));
	/* operators cannot write the tables at all */
	assert_true(
	    dbtest_fails(acct1, "UPDATE inventory.moves SET reference = 'x'", 0, NULL, &err));
	assert_string_equal(err.sqlstate, "42501");
	/* corrected by reversal, once */
	dbtest_named_ok(acct1, "inventory.move_reverse", BD_PARAMS("ACME", ids, day(5, 2)));
	assert_value(
	    "SELECT coalesce(sum(qty), 0)::text FROM inventory.on_hand('ACME', NULL) WHERE "
	    "item = $1",
	    "IMM1", "0");
	err = dbtest_named_refused(acct1, "inventory.move_reverse",
				   BD_PARAMS("ACME", ids, day(5, 2)));
	assert_string_equal(err.sqlstate, "BD003");
	assert_value_is_ledger(day(5, 1));
	assert_value_is_ledger(day(5, 2));
}

static void
test_closed_period_refused(void **state)
{
	char closed[32];

	(void)state;
	snprintf(closed, sizeof(closed), "%d-11-15", year - 1);
	item("PER1", NULL, "false", "false");
	move_refused(
	    clerk1, "BD002", "receipt", closed,
	    "[{\"item\":\"PER1\",\"qty\":\"1\",\"location\":\"WH1\",\"unit_cost\":\"1\"}]");
	assert_int_equal(
	    dbtest_scalar(su,
			  "SELECT count(*) FROM inventory.move_lines l JOIN "
			  "inventory.items i USING (client_id, item_id) WHERE i.code = "
			  "'PER1'",
			  0, NULL),
	    0);
}

/* --- lots and serials ---------------------------------------------------------------------- */

static void
test_lots_fefo_and_serials(void **state)
{
	struct bd_err err;

	(void)state;
	item("LOT1", NULL, "true", "false");
	move_id(clerk1, "receipt", day(6, 1),
		"[{\"item\":\"LOT1\",\"qty\":\"5\",\"location\":\"WH1\",\"unit_cost\":\"1\","
		"\"lot\":\"A\",\"expiry\":\"2099-01-01\"},"
		"{\"item\":\"LOT1\",\"qty\":\"5\",\"location\":\"WH1\",\"unit_cost\":\"1\","
		"\"lot\":\"B\",\"expiry\":\"2098-06-01\"}]");
	move_id(clerk1, "issue", day(6, 2),
		"[{\"item\":\"LOT1\",\"qty\":\"7\",\"location\":"
		"\"WH1\"}]");
	/* first to expire first out: all of B, 2 of A */
	assert_value("SELECT string_agg(l.lot || '=' || trim_scale(s.q), ' ' ORDER BY l.lot) FROM "
		     "(SELECT lot_id, sum(qty) q FROM inventory.stock GROUP BY lot_id) s JOIN "
		     "inventory.lots l USING (lot_id) JOIN inventory.items i ON i.item_id = "
		     "l.item_id WHERE i.code = $1",
		     "LOT1", "A=3 B=0");
	move_refused(clerk1, "BD003", "issue", day(6, 3),
		     "[{\"item\":\"LOT1\",\"qty\":\"1\",\"location\":\"WH1\",\"lot\":\"B\"}]");

	item("SER1", NULL, "false", "true");
	move_id(clerk1, "receipt", day(6, 1),
		"[{\"item\":\"SER1\",\"qty\":\"1\",\"location\":"
		"\"WH1\",\"unit_cost\":\"100\",\"serial\":\"S1\"}]");
	err = move_refused(clerk1, "BD003", "receipt", day(6, 2),
			   "[{\"item\":\"SER1\",\"qty\":\"1\",\"location\":\"WH2\",\"unit_cost\":"
			   "\"100\",\"serial\":\"S1\"}]");
	assert_non_null(strstr(err.msg, "in stock already"));
	move_refused(clerk1, "BD001", "receipt", day(6, 2),
		     "[{\"item\":\"SER1\",\"qty\":\"2\",\"location\":\"WH1\",\"unit_cost\":\"1\","
		     "\"serial\":\"S2\"}]");
	move_id(clerk1, "issue", day(6, 3),
		"[{\"item\":\"SER1\",\"qty\":\"1\",\"location\":"
		"\"WH1\",\"serial\":\"S1\"}]");
	move_refused(clerk1, "BD003", "issue", day(6, 4),
		     "[{\"item\":\"SER1\",\"qty\":\"1\",\"location\":\"WH1\",\"serial\":\"S1\"}]");
}

/* --- approvals and blind counts ------------------------------------------------------------- */

static long long
waiting_version(struct bd_db *db, const char *kind, long long id)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
		 "SELECT version FROM approvals.inbox('ACME') WHERE kind = '%s' AND id = %lld",
		 kind, id);
	return dbtest_scalar(db, sql, 0, NULL);
}

static void
approve(struct bd_db *db, const char *kind, long long id)
{
	char ids[24], vs[24];

	snprintf(ids, sizeof(ids), "%lld", id);
	snprintf(vs, sizeof(vs), "%lld", waiting_version(db, kind, id));
	dbtest_named_ok(db, "approvals.approve", BD_PARAMS(kind, "ACME", ids, vs));
}

static void
test_move_above_limit_waits_for_a_second_person(void **state)
{
	struct bd_err err;
	char ids[24], vs[24];
	long long id;
	char *msg;

	(void)state;
	item("BIG1", NULL, "false", "false");
	msg =
	    move(clerk1, "receipt", day(7, 1), "", "",
		 "[{\"item\":\"BIG1\",\"qty\":\"100\",\"location\":\"WH1\",\"unit_cost\":\"50\"}]");
	assert_non_null(strstr(msg, "waits for approval"));
	assert_int_equal(sscanf(msg, "Move %lld", &id), 1);
	free(msg);
	assert_int_equal(
	    dbtest_scalar(su,
			  "SELECT count(*) FROM inventory.stock s JOIN inventory.items "
			  "i USING (client_id, item_id) WHERE i.code = 'BIG1'",
			  0, NULL),
	    0);
	snprintf(ids, sizeof(ids), "%lld", id);
	snprintf(vs, sizeof(vs), "%lld", waiting_version(acct1, "inventory.move", id));
	/* the clerk cannot approve their own */
	err = dbtest_named_refused(clerk1, "approvals.approve",
				   BD_PARAMS("inventory.move", "ACME", ids, vs));
	assert_true(err.sqlstate[0] != '\0');
	approve(acct1, "inventory.move", id);
	assert_value("SELECT value::text FROM inventory.valuation('ACME', NULL) WHERE item = $1",
		     "BIG1", "5000.00");
	/* its entry: made by the clerk, approved by the accountant */
	assert_value("SELECT e.maker || '/' || e.approver FROM ledger.entries e JOIN "
		     "inventory.moves m ON m.client_id = e.client_id AND m.entry_id = e.entry_id "
		     "WHERE m.move_id = $1::bigint",
		     ids, "clerk1/acct1");
	assert_value_is_ledger(day(7, 1));
}

static void
test_blind_count_posts_after_approval(void **state)
{
	struct bd_db_result *res;
	struct bd_err err = BD_ERR_INIT;
	long long id;
	char ids[24];
	char *msg;

	(void)state;
	item("CNT1", NULL, "false", "false");
	move_id(clerk1, "receipt", day(8, 1),
		"[{\"item\":\"CNT1\",\"qty\":\"10\",\"location\":"
		"\"WH1\",\"unit_cost\":\"2\"}]");
	res = dbtest_named(
	    clerk1, "inventory.count_submit",
	    BD_PARAMS("ACME", "WH1", day(8, 2), "[{\"item\":\"CNT1\",\"qty\":\"8\"}]"));
	msg = strdup(dbtest_col(res, 0, "message"));
	bd_db_result_free(res);
	assert_int_equal(sscanf(msg, "Count %lld", &id), 1);
	free(msg);
	snprintf(ids, sizeof(ids), "%lld", id);
	/* blind: the counter reads neither the count's system quantities nor the review */
	assert_true(
	    dbtest_fails(clerk1, "SELECT system_qty FROM inventory.count_lines", 0, NULL, &err));
	assert_true(dbtest_fails(clerk1, "SELECT * FROM inventory.count_review('ACME', $1::bigint)",
				 BD_PARAMS(ids), &err));
	/* nothing moved yet */
	assert_value("SELECT qty::text FROM inventory.on_hand('ACME', NULL) WHERE item = $1",
		     "CNT1", "10");
	res = dbtest_named(acct1, "inventory.count_review", BD_PARAMS("ACME", ids));
	assert_string_equal(dbtest_col(res, 0, "difference"), "-2.0000");
	bd_db_result_free(res);
	approve(acct1, "inventory.count", id);
	assert_value("SELECT qty::text FROM inventory.on_hand('ACME', NULL) WHERE item = $1",
		     "CNT1", "8");
	assert_value("SELECT value::text FROM inventory.on_hand('ACME', NULL) WHERE item = $1",
		     "CNT1", "16.00");
	assert_value("SELECT e.maker || '/' || e.approver FROM ledger.entries e JOIN "
		     "inventory.moves m ON m.client_id = e.client_id AND m.entry_id = e.entry_id "
		     "WHERE m.reference = 'Count ' || $1",
		     ids, "clerk1/acct1");
	assert_value_is_ledger(day(8, 2));
}

/* --- concurrency ---------------------------------------------------------------------------- */

/* n children as `user` each run `lines` as an issue at once; each writes 'o'
 * (posted), 'n' (refused: not enough) or 'x' (anything else) to the pipe. */
static void
issue_at_once(int n, const char *user, const char *date, const char *const *lines, char *out)
{
	char *conninfo = dbtest_conninfo(&t, user);
	int go[2], res[2], i, status;
	pid_t pids[64];

	assert_true(n <= 64);
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(res), 0);
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			struct bd_err err = BD_ERR_INIT;
			struct bd_db *db = bd_db_connect(conninfo, &err);
			struct bd_db_result *r;
			char c = 'x', buf[2];

			close(go[1]);
			if (db && read(go[0], buf, 1) == 1) {
				r = bd_db_query(db, "inventory.move_create",
						BD_PARAMS("ACME", "issue", date, "", "", lines[i]),
						&err);
				if (r)
					c = 'o';
				else if (!strcmp(err.sqlstate, "BD003") &&
					 !strncmp(err.msg, "Not enough", 10))
					c = 'n';
				else
					fprintf(stderr, "issue %d: %s %s\n", i, err.sqlstate,
						err.msg);
				bd_db_result_free(r);
			}
			if (write(res[1], &c, 1) != 1)
				_exit(2);
			bd_db_free(db);
			_exit(0);
		}
	}
	close(go[0]);
	close(res[1]);
	for (i = 0; i < n; i++)
		assert_int_equal(write(go[1], "g", 1), 1);
	close(go[1]);
	for (i = 0; i < n; i++)
		assert_int_equal(read(res[0], &out[i], 1), 1);
	out[n] = '\0';
	for (i = 0; i < n; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	close(res[0]);
	free(conninfo);
}

static int
count_of(const char *s, char c)
{
	int n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

static void
test_twenty_connections_issue_the_last_units(void **state)
{
	const char *lines[20];
	char out[65];
	int i;

	(void)state;
	item("HOT1", NULL, "false", "false");
	/* 30 units in two receipts (they may land on different stripes) */
	move_id(clerk1, "receipt", day(9, 1),
		"[{\"item\":\"HOT1\",\"qty\":\"17\",\"location\":"
		"\"WH1\",\"unit_cost\":\"3\"}]");
	move_id(clerk1, "receipt", day(9, 1),
		"[{\"item\":\"HOT1\",\"qty\":\"13\",\"location\":"
		"\"WH1\",\"unit_cost\":\"3\"}]");
	for (i = 0; i < 20; i++)
		lines[i] = "[{\"item\":\"HOT1\",\"qty\":\"2\",\"location\":\"WH1\"}]";
	issue_at_once(20, "clerk1", day(9, 2), lines, out);
	/* 40 asked of 30: exactly 15 posted, 5 refused with "Not enough", nothing else */
	assert_int_equal(count_of(out, 'o'), 15);
	assert_int_equal(count_of(out, 'n'), 5);
	assert_value("SELECT sum(qty)::text FROM inventory.stock JOIN inventory.items USING "
		     "(client_id, item_id) WHERE code = $1",
		     "HOT1", "0.0000");
	assert_value("SELECT count(*)::text || ' ' || sum(qty)::text FROM inventory.legs JOIN "
		     "inventory.items USING (client_id, item_id) WHERE code = $1 AND qty < 0",
		     "HOT1", "15 -30.0000");
	assert_value("SELECT count(*)::text FROM inventory.stock WHERE qty < 0", NULL, "0");
	/* all value gone with the units, into the ledger */
	assert_value("SELECT sum(value)::text FROM inventory.stock JOIN inventory.items USING "
		     "(client_id, item_id) WHERE code = $1",
		     "HOT1", "0.00");
	assert_value_is_ledger(day(9, 2));
}

/* Random receipts, issues, transfers and adjustments from 6 connections at
 * once, many of them backdated; then the stock value as of every date equals
 * the ledger's stock account, quantities agree with their legs, and nothing
 * failed but for want of stock. */
static void
test_value_equals_ledger_after_random_concurrent_moves(void **state)
{
	static const char *items[] = {"MIXA", "MIXF", "MIXB"};
	static const char *locs[] = {"WH1", "WH2", "WH1-A1"};
	char lines[3][6][256], dates[3][6][16];
	const char *batch[6];
	char out[65];
	int round, i, posted = 0;
	unsigned seed = 12345;

	(void)state;
	item("MIXA", "average", "false", "false");
	item("MIXF", "fifo", "false", "false");
	item("MIXB", "average", "false", "false");
	for (i = 0; i < 3; i++) {
		char l[256];

		snprintf(l, sizeof(l),
			 "[{\"item\":\"%s\",\"qty\":\"40\",\"location\":\"WH1\",\"unit_cost\":\"1."
			 "10\"},{\"item\":\"%s\",\"qty\":\"40\",\"location\":\"WH2\",\"unit_cost\":"
			 "\"1.30\"}]",
			 items[i], items[i]);
		move_id(clerk1, "receipt", day(10, 1), l);
	}
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 6; i++) {
			int it = (int)(rand_r(&seed) % 3), lo = (int)(rand_r(&seed) % 3);
			int q = 1 + (int)(rand_r(&seed) % 9), d = 2 + (int)(rand_r(&seed) % 25);

			snprintf(dates[round][i], sizeof(dates[0][0]), "%s", day(10, d));
			/* issues and a returning receipt in one move, each connection */
			snprintf(lines[round][i], sizeof(lines[0][0]),
				 "[{\"item\":\"%s\",\"qty\":\"%d\",\"location\":\"%s\"},"
				 "{\"item\":\"%s\",\"qty\":\"%d\",\"location\":\"%s\"}]",
				 items[it], q, locs[lo], items[(it + 1) % 3], 1 + q / 2,
				 locs[(lo + 1) % 3]);
			batch[i] = lines[round][i];
		}
		issue_at_once(6, "clerk1", dates[round][round], batch, out);
		assert_int_equal(count_of(out, 'x'), 0);
		posted += count_of(out, 'o');
		/* and between the rounds, backdated receipts, transfers and adjustments */
		move_id(clerk1, "receipt", day(10, 3 + round * 7),
			"[{\"item\":\"MIXF\",\"qty\":\"7\",\"location\":\"WH2\",\"unit_cost\":"
			"\"0.70\"},{\"item\":\"MIXA\",\"qty\":\"5\",\"location\":\"WH1-A1\","
			"\"unit_cost\":\"2.30\"}]");
		move_id(clerk1, "transfer", day(10, 4 + round * 5),
			"[{\"item\":\"MIXB\",\"qty\":\"2\",\"location\":\"WH2\",\"to_location\":"
			"\"WH1-A1\"},{\"item\":\"MIXF\",\"qty\":\"1\",\"location\":\"WH2\","
			"\"to_location\":\"WH1\"}]");
		free(move(clerk1, "adjustment", day(10, 2 + round * 8), "", "breakage",
			  "[{\"item\":\"MIXA\",\"qty\":\"-1\",\"location\":\"WH2\"},"
			  "{\"item\":\"MIXB\",\"qty\":\"1\",\"location\":\"WH2\"}]"));
	}
	assert_true(posted > 0);
	for (i = 1; i <= 31; i++)
		assert_value_is_ledger(day(10, i));
	assert_value_is_ledger(day(12, 31));
	/* the stripes hold what the legs say, per item, location and lot */
	assert_value(
	    "SELECT count(*)::text FROM (SELECT client_id, item_id, location_id, "
	    "coalesce(lot_id, 0) lot, sum(qty) q, sum(value) v FROM inventory.stock GROUP BY "
	    "1, 2, 3, 4) s FULL JOIN (SELECT client_id, item_id, location_id, coalesce(lot_id, "
	    "0) lot, sum(qty) q, sum(value) v FROM inventory.legs GROUP BY 1, 2, 3, 4) g USING "
	    "(client_id, item_id, location_id, lot) WHERE s.q IS DISTINCT FROM g.q OR s.v IS "
	    "DISTINCT FROM g.v",
	    NULL, "0");
	/* the FIFO layers hold the FIFO item's stock */
	assert_value("SELECT (SELECT sum(qty_left) FROM inventory.layers JOIN inventory.items "
		     "USING (client_id, item_id) WHERE code = $1) = (SELECT sum(qty) FROM "
		     "inventory.stock JOIN inventory.items USING (client_id, item_id) WHERE code = "
		     "$1)",
		     "MIXF", "t");
}

/* The client's value sums (074) across month ends and slots: a move posted
 * while another transaction holds its day's slot adds to a new slot instead
 * of waiting for it; moves either side of two month ends and a receipt
 * backdated before both keep the value as of every date around them equal
 * to the ledger's stock account. */
static void
test_value_sums_across_months_and_slots(void **state)
{
	static const int around[][2] = {{6, 29}, {6, 30}, {7, 1},  {7, 30},
					{7, 31}, {8, 1},  {8, 31}, {12, 31}};
	struct bd_db *hold = dbtest_connect(&t, "clerk1");
	char *conninfo = dbtest_conninfo(&t, "clerk1");
	char sql[512];
	long long back;
	pid_t pid;
	int status, i;

	(void)state;
	item("BNDA", "average", "false", "false");
	item("BNDF", "fifo", "false", "false");
	move_id(clerk1, "receipt", day(7, 31),
		"[{\"item\":\"BNDA\",\"qty\":\"10\",\"location\":\"WH1\",\"unit_cost\":\"1.10\"},"
		"{\"item\":\"BNDF\",\"qty\":\"10\",\"location\":\"WH2\",\"unit_cost\":\"2\"}]");
	move_id(clerk1, "issue", day(8, 1),
		"[{\"item\":\"BNDA\",\"qty\":\"4\",\"location\":\"WH1\"},"
		"{\"item\":\"BNDF\",\"qty\":\"3\",\"location\":\"WH2\"}]");
	/* one move holds the 31 July slot (and the journal's counter)... */
	snprintf(
	    sql, sizeof(sql),
	    "BEGIN; SELECT inventory.move_create('ACME', 'receipt', '%s', '', '', "
	    "'[{\"item\":\"BNDA\",\"qty\":\"5\",\"location\":\"WH1\",\"unit_cost\":\"1.30\"}]')",
	    day(7, 31));
	dbtest_exec(hold, sql);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct bd_err err = BD_ERR_INIT;
		struct bd_db *db = bd_db_connect(conninfo, &err);
		struct bd_db_result *r =
		    db ? bd_db_query(db, "inventory.move_create",
				     BD_PARAMS("ACME", "receipt", day(7, 31), "", "",
					       "[{\"item\":\"BNDF\",\"qty\":\"2\",\"location\":"
					       "\"WH2\",\"unit_cost\":\"2.50\"}]"),
				     &err)
		       : NULL;

		if (!r)
			fprintf(stderr, "second move: %s %s\n", err.sqlstate, err.msg);
		_exit(r ? 0 : 1);
	}
	/* ...another goes past the slot and waits for the counter only */
	for (i = 0; i < 6000 && dbtest_scalar(su,
					      "SELECT count(*) FROM pg_stat_activity WHERE "
					      "usename = 'clerk1' AND wait_event_type = 'Lock'",
					      0, NULL) < 1;
	     i++)
		usleep(10000);
	assert_true(i < 6000);
	dbtest_exec(hold, "COMMIT");
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_value("SELECT count(*)::text FROM inventory.value_sums v JOIN core.clients c USING "
		     "(client_id) WHERE c.code = 'ACME' AND v.grain = 'd' AND v.bucket = $1::date",
		     day(7, 31), "2");
	/* a receipt backdated before both month ends: the FIFO item's layers
	 * are rebuilt and revalued (one revaluation move); the moving-average
	 * item's posted issue keeps its cost (081), so none for it */
	back = move_id(
	    clerk1, "receipt", day(6, 30),
	    "[{\"item\":\"BNDA\",\"qty\":\"10\",\"location\":\"WH1\",\"unit_cost\":\"2\"},"
	    "{\"item\":\"BNDF\",\"qty\":\"4\",\"location\":\"WH2\",\"unit_cost\":\"0.50\"}]");
	snprintf(sql, sizeof(sql), "Move %lld", back);
	assert_value("SELECT string_agg(i.code, ',') FROM inventory.moves m JOIN inventory.legs g "
		     "USING (client_id, move_id) JOIN inventory.items i USING (client_id, item_id) "
		     "WHERE m.kind = 'revaluation' AND m.reference = $1",
		     sql, "BNDF");
	for (i = 0; i < (int)(sizeof(around) / sizeof(around[0])); i++)
		assert_value_is_ledger(day(around[i][0], around[i][1]));
	/* the slots of a bucket are bounded by the moves in flight at once (the
	 * 20 connections of the test above) */
	assert_true(dbtest_scalar(su,
				  "SELECT max(n) FROM (SELECT count(*) n FROM inventory.value_sums "
				  "GROUP BY client_id, grain, bucket) x",
				  0, NULL) <= 21);
	free(conninfo);
	bd_db_free(hold);
}

/* --- row security --------------------------------------------------------------------------- */

static void
test_other_clients_invisible(void **state)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;

	(void)state;
	/* GLOBEX has stock; clerk3 is ACME's only */
	assert_true(dbtest_scalar(su,
				  "SELECT count(*) FROM inventory.legs g JOIN core.clients c USING "
				  "(client_id) WHERE c.code = 'GLOBEX'",
				  0, NULL) > 0);
	assert_int_equal(
	    dbtest_scalar(clerk3,
			  "SELECT (SELECT count(*) FROM inventory.items WHERE client_id <> "
			  "(SELECT client_id FROM core.clients WHERE code = 'ACME')) + (SELECT "
			  "count(*) FROM inventory.moves WHERE client_id <> (SELECT client_id FROM "
			  "core.clients WHERE code = 'ACME')) + (SELECT count(*) FROM "
			  "inventory.stock WHERE client_id <> (SELECT client_id FROM core.clients "
			  "WHERE code = 'ACME')) + (SELECT count(*) FROM inventory.sums WHERE "
			  "client_id <> (SELECT client_id FROM core.clients WHERE code = 'ACME'))",
			  0, NULL),
	    0);
	assert_true(dbtest_scalar(clerk3, "SELECT count(*) FROM inventory.items", 0, NULL) > 0);
	err = dbtest_named_refused(clerk3, "inventory.on_hand", BD_PARAMS("GLOBEX", NULL));
	assert_string_equal(err.sqlstate, "BD004");
	err = dbtest_named_refused(clerk3, "inventory.stock_card", BD_PARAMS("GLOBEX", "G1", NULL));
	assert_string_equal(err.sqlstate, "BD004");
	err = dbtest_named_refused(
	    clerk3, "inventory.move_create",
	    BD_PARAMS("GLOBEX", "issue", day(2, 1), "", "",
		      "[{\"item\":\"G1\",\"qty\":\"1\",\"location\":\"GW1\"}]"));
	assert_string_equal(err.sqlstate, "BD004");
	/* the board's view shows clerk3 nothing of GLOBEX either */
	res = dbtest_named(clerk3, "inventory.reorder", BD_PARAMS("GLOBEX"));
	assert_int_equal(bd_db_result_rows(res), 0);
	bd_db_result_free(res);
	assert_true(dbtest_scalar(acct1,
				  "SELECT count(*) FROM inventory.below_minimum WHERE client "
				  "= 'GLOBEX'",
				  0, NULL) > 0);
}

static void
setup_client(struct bd_db *db, const char *client, const char *wh)
{
	static const char *const accounts[][4] = {
	    {"1310", "Stock", "asset", "1000"},
	    {"2150", "Goods received not invoiced", "liability", "2000"},
	    {"5150", "Stock adjustments", "expense", "5000"},
	};
	size_t i;

	for (i = 0; i < 3; i++) {
		char sql[200];

		/* the demo seed made ACME's */
		snprintf(
		    sql, sizeof(sql),
		    "SELECT count(*) FROM ledger.accounts a JOIN core.clients c USING (client_id) "
		    "WHERE c.code = '%s' AND a.code = '%s'",
		    client, accounts[i][0]);
		if (dbtest_scalar(su, sql, 0, NULL))
			continue;
		dbtest_named_ok(db, "ledger.account_add",
				BD_PARAMS(client, accounts[i][0], accounts[i][1], accounts[i][2],
					  accounts[i][3]));
	}
	dbtest_named_ok(db, "inventory.settings_set",
			BD_PARAMS(client, "average", "1000", "1310", "2150", "5100", "5150"));
	dbtest_named_ok(db, "inventory.location_save", BD_PARAMS(client, wh, "Warehouse", NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_items_units_and_barcodes),
	    cmocka_unit_test(test_import_refuses_whole_file),
	    cmocka_unit_test(test_moving_average_backdated_receipt),
	    cmocka_unit_test(test_fifo_backdated_receipt),
	    cmocka_unit_test(test_backdated_issue_before_receipt),
	    cmocka_unit_test(test_backdated_two_lines),
	    cmocka_unit_test(test_posted_move_cannot_change),
	    cmocka_unit_test(test_closed_period_refused),
	    cmocka_unit_test(test_lots_fefo_and_serials),
	    cmocka_unit_test(test_move_above_limit_waits_for_a_second_person),
	    cmocka_unit_test(test_blind_count_posts_after_approval),
	    cmocka_unit_test(test_twenty_connections_issue_the_last_units),
	    cmocka_unit_test(test_value_equals_ledger_after_random_concurrent_moves),
	    cmocka_unit_test(test_value_sums_across_months_and_slots),
	    cmocka_unit_test(test_other_clients_invisible),
	};
	int rc;

	dbtest_start(&t, true);
	su = dbtest_connect(&t, NULL);
	acct1 = dbtest_connect(&t, "acct1");
	acct2 = dbtest_connect(&t, "acct2");
	clerk1 = dbtest_connect(&t, "clerk1");
	clerk3 = dbtest_connect(&t, "clerk3");
	year = (int)dbtest_scalar(su, "SELECT extract(year FROM current_date)", 0, NULL);
	/* the demo seed may have set inventory up already: these tests use a
	 * client set up here, with accounts of their own */
	dbtest_exec(su, "DELETE FROM inventory.settings");
	setup_client(acct1, "ACME", "WH1");
	dbtest_named_ok(acct1, "inventory.location_save", BD_PARAMS("ACME", "WH2", "Second", NULL));
	dbtest_named_ok(acct1, "inventory.location_save",
			BD_PARAMS("ACME", "WH1-A1", "Aisle 1", "WH1"));
	/* the seed's history is there: the tests' dates are its or later */
	setup_client(acct1, "GLOBEX", "GW1");
	dbtest_named_ok(
	    acct1, "inventory.item_save",
	    BD_PARAMS("GLOBEX", "G1", "Globex widget", "EA", "", NULL, NULL, NULL, NULL));
	dbtest_named_ok(acct1, "inventory.limit_set", BD_PARAMS("GLOBEX", "G1", "GW1", "5", "20"));
	dbtest_named_ok(acct1, "inventory.move_create",
			BD_PARAMS("GLOBEX", "receipt", day(1, 2), "", "",
				  "[{\"item\":\"G1\",\"qty\":\"3\",\"location\":\"GW1\","
				  "\"unit_cost\":\"1\"}]"));
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	bd_db_free(clerk3);
	bd_db_free(clerk1);
	bd_db_free(acct2);
	bd_db_free(acct1);
	bd_db_free(su);
	dbtest_stop(&t);
	return rc;
}
