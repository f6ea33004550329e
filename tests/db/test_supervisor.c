/*
 * The supervisor console's database side against a real PostgreSQL:
 * productivity and accuracy on a hand-made data set, and again with the
 * errors found by real adjudication and QA; QA sampling drawn by the
 * database, QA review, the queue board, the supervisor's actions (audited,
 * notified on bd_queue, once per transaction), and the approvals inbox
 * (the maker is refused).
 */
#include "dbtest.h"

#include "backdesk/entry.h"
#include "backdesk/kit.h"
#include "backdesk/session.h"
#include "backdesk/strbuf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static struct dbtest t;

static const char LEASE_S[] = "300";

static const char SIMPLE[] =
    "screen = { name = \"simple\"; title = \"Simple\"; fields = (\n"
    "  { name = \"name\"; label = \"Name\"; row = 3; col = 2; type = \"text\"; width = 20; },\n"
    "  { name = \"amount\"; label = \"Amount\"; row = 4; col = 2; type = \"money\"; }\n"
    "); };\n";

/* The entry functions take the client code (core.client_id_of): the code of
 * each client make_client() made, by its client_id. */
static struct {
	char id[16], code[16];
} codes[16];

static const char *
code_of(const char *client_id)
{
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(*codes) && codes[i].id[0]; i++)
		if (!strcmp(codes[i].id, client_id))
			return codes[i].code;
	fail_msg("no code for client %s", client_id);
	return NULL;
}

static void
remember_code(const char *client_id, const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(*codes) - 1 && codes[i].id[0]; i++)
		;
	snprintf(codes[i].id, sizeof(codes[i].id), "%s", client_id);
	snprintf(codes[i].code, sizeof(codes[i].code), "%s", code);
}

/* Client `code` with supervisor <prefix>sup, clerks <prefix>01.., the simple
 * document type; the client_id goes to client_id. */
static void
make_client(const char *code, const char *prefix, int nclerks, char *client_id, size_t size)
{
	struct bd_db *super = dbtest_connect(&t, NULL), *sup;
	struct strbuf sql = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	char login[32];
	int i, version = 0;

	snprintf(login, sizeof(login), "%ssup", prefix);
	strbuf_addf(&sql, "SELECT core.client_add('%s', 'Client %s');", code, code);
	strbuf_addf(&sql,
		    "SELECT core.operator_add('%s', 'Sup', 'supervisor', '{%s}') "
		    "WHERE NOT EXISTS (SELECT 1 FROM core.operators WHERE login = '%s');"
		    "SELECT core.assign('%s', '%s') WHERE NOT EXISTS (SELECT 1 FROM "
		    "core.assignments WHERE login = '%s' AND client_id = (SELECT client_id FROM "
		    "core.clients WHERE code = '%s'));",
		    login, code, login, login, code, login, code);
	for (i = 1; i <= nclerks; i++)
		strbuf_addf(
		    &sql,
		    "SELECT core.operator_add('%s%02d', 'Clerk %d', 'clerk', '{%s}') "
		    "WHERE NOT EXISTS (SELECT 1 FROM core.operators WHERE login = '%s%02d');"
		    "SELECT core.assign('%s%02d', '%s') WHERE NOT EXISTS (SELECT 1 FROM "
		    "core.assignments a JOIN core.clients c USING (client_id) "
		    "WHERE a.login = '%s%02d' AND c.code = '%s');",
		    prefix, i, i, code, prefix, i, prefix, i, code, prefix, i, code);
	dbtest_exec(super, sql.buf);
	snprintf(client_id, size, "%lld",
		 dbtest_scalar(super, "SELECT client_id FROM core.clients WHERE code = $1",
			       BD_PARAMS(code)));
	remember_code(client_id, code);
	sup = dbtest_connect(&t, login);
	if (bd_entry_doctype_load(sup, code, SIMPLE, "simple.conf", &version, &err) < 0)
		fail_msg("doctype load: %s (%s)", err.msg, err.detail);
	bd_db_free(sup);
	bd_db_free(super);
	strbuf_release(&sql);
}

static long long
make_batch(const char *code, const char *prefix, const char *mode, int n, const char *refp)
{
	struct strbuf csv = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	struct bd_entry_import imp = {code, "simple", mode, 1, "24", "test"};
	struct bd_db *sup;
	char login[32];
	long long batch = 0;
	int i;

	snprintf(login, sizeof(login), "%ssup", prefix);
	sup = dbtest_connect(&t, login);
	strbuf_addstr(&csv, "external_ref\n");
	for (i = 1; i <= n; i++)
		strbuf_addf(&csv, "%s%04d\n", refp, i);
	if (bd_entry_batch_import(sup, &imp, csv.buf, csv.len, "test.csv", &batch, NULL, &err) < 0)
		fail_msg("import: %s (%s)", err.msg, err.detail);
	bd_db_free(sup);
	strbuf_release(&csv);
	return batch;
}

/* --- productivity -------------------------------------------------------- */

/* One keying pass, made by hand: document <ref> keyed by <login>. */
static void
hand_pass(struct bd_db *super, const char *ref, const char *login, const char *claimed,
	  const char *submitted, int seconds, int keystrokes, int fields, int errors)
{
	struct strbuf sql = STRBUF_INIT;

	strbuf_addf(&sql,
		    "INSERT INTO entry.passes (client_id, document_id, pass, batch_id, operator, "
		    "doctype_version, \"values\", keystrokes, corrections, seconds, fields_keyed, "
		    "fields_in_error, claimed_at, submitted_at) "
		    "SELECT client_id, document_id, 1, batch_id, '%s', 1, '{}', %d, 0, %d, %d, %d, "
		    "'%s+00', '%s+00' FROM entry.documents WHERE external_ref = '%s';"
		    "UPDATE entry.documents SET state = 'done', pass1_by = '%s', completed_at = "
		    "'%s+00' WHERE external_ref = '%s';",
		    login, keystrokes, seconds, fields, errors, claimed, submitted, ref, login,
		    submitted, ref);
	dbtest_exec(super, sql.buf);
	strbuf_release(&sql);
}

/* The productivity rows as "login docs ks secs kph dph keyed err acc rej idle; ..." */
static char *
productivity(struct bd_db *sup, const char *from, const char *to, const char *client,
	     const char *sort)
{
	struct bd_db_result *res =
	    dbtest_named(sup, "supervisor.productivity", BD_PARAMS(from, to, client, NULL, sort));
	static const char *const cols[] = {
	    "login",	    "documents",	   "keystrokes",
	    "seconds",	    "keystrokes_per_hour", "documents_per_hour",
	    "fields_keyed", "fields_in_error",	   "accuracy",
	    "rejects",	    "idle_seconds"};
	struct strbuf sb = STRBUF_INIT;
	int r;
	size_t c;

	for (r = 0; r < bd_db_result_rows(res); r++) {
		if (r)
			strbuf_addstr(&sb, "; ");
		for (c = 0; c < sizeof(cols) / sizeof(*cols); c++)
			strbuf_addf(&sb, "%s%s", c ? " " : "", dbtest_col(res, r, cols[c]));
	}
	bd_db_result_free(res);
	return strbuf_detach(&sb, NULL);
}

static void
test_productivity_by_hand(void **state)
{
	struct bd_db *super, *sup;
	struct bd_db_result *res;
	char client_id[16], client_b[16];
	char *s;

	(void)state;
	make_client("TPROD", "tp", 2, client_id, sizeof(client_id));
	make_client("TPRODB", "tp", 2, client_b, sizeof(client_b));
	make_batch("TPROD", "tp", "single", 8, "P");
	make_batch("TPRODB", "tp", "single", 1, "Q");
	super = dbtest_connect(&t, NULL);

	/* tp01 on 2024-03-04: three documents for TPROD, one for TPRODB, a reject. */
	hand_pass(super, "P0001", "tp01", "2024-03-04 09:00:00", "2024-03-04 09:02:00", 100, 500,
		  10, 1);
	hand_pass(super, "P0002", "tp01", "2024-03-04 09:02:00", "2024-03-04 09:05:00", 150, 700,
		  10, 0);
	hand_pass(super, "P0003", "tp01", "2024-03-04 09:10:00", "2024-03-04 09:12:00", 110, 400,
		  10, 2);
	hand_pass(super, "Q0001", "tp01", "2024-03-04 11:00:00", "2024-03-04 11:01:00", 60, 300, 5,
		  0);
	dbtest_exec(super,
		    "UPDATE entry.documents SET state = 'rejected', reject_reason = "
		    "'illegible', rejected_by = 'tp01', completed_at = '2024-03-04 09:20+00' "
		    "WHERE external_ref = 'P0007'");
	/* tp02: two documents on the 4th, one on the 5th. */
	hand_pass(super, "P0004", "tp02", "2024-03-04 10:00:00", "2024-03-04 10:05:00", 240, 900, 8,
		  0);
	hand_pass(super, "P0005", "tp02", "2024-03-04 10:05:00", "2024-03-04 10:10:00", 300, 1100,
		  12, 1);
	hand_pass(super, "P0006", "tp02", "2024-03-05 08:00:00", "2024-03-05 08:03:00", 180, 600,
		  10, 0);

	sup = dbtest_connect(&t, "tpsup");
	dbtest_exec(sup, "SET TimeZone = 'UTC'");

	/*
	 * By hand, the 4th, all clients:
	 * tp01: 4 docs, 1900 keystrokes in 420 s: 1900*3600/420 = 16285.7 -> 16286 per
	 *       hour, 4*3600/420 = 34.29 -> 34.3 documents per hour, accuracy
	 *       1 - 3/35 = 0.9143, 1 reject, idle (11:01 - 09:00) - 420 s = 6840 s.
	 * tp02: 2 docs, 2000 keystrokes in 540 s: 13333 per hour, 13.3 docs per hour,
	 *       accuracy 1 - 1/20 = 0.95, idle (10:10 - 10:00) - 540 s = 60 s.
	 */
	s = productivity(sup, "2024-03-04", "2024-03-04", NULL, NULL);
	assert_string_equal(s, "tp01 4 1900 420 16286 34.3 35 3 0.9143 1 6840; "
			       "tp02 2 2000 540 13333 13.3 20 1 0.9500 0 60");
	free(s);
	/* Over both days tp02 adds one document (3 docs, 2600 ks in 720 s: 13000
	 * and 15.0 per hour, accuracy 1 - 1/30), with no idle time on the 5th. */
	s = productivity(sup, "2024-03-04", "2024-03-05", "TPROD", "accuracy");
	assert_string_equal(s, "tp02 3 2600 720 13000 15.0 30 1 0.9667 0 60; "
			       "tp01 3 1600 360 16000 30.0 30 3 0.9000 1 360");
	free(s);
	s = productivity(sup, "2024-03-04", "2024-03-05", "TPRODB", "kph");
	assert_string_equal(s, "tp01 1 300 60 18000 60.0 5 0 1.0000 0 0");
	free(s);
	s = productivity(sup, "2024-03-06", "2024-03-31", NULL, NULL);
	assert_string_equal(s, "");
	free(s);

	/* Drill-down: tp01's four passes and the reject, newest first. */
	res = dbtest_named(sup, "supervisor.operator_documents",
			   BD_PARAMS("tp01", "2024-03-04", "2024-03-04", NULL, NULL));
	assert_int_equal(bd_db_result_rows(res), 5);
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "Q0001");
	assert_string_equal(dbtest_col(res, 1, "action"), "rejected");
	assert_string_equal(dbtest_col(res, 1, "reject_reason"), "illegible");
	assert_string_equal(dbtest_col(res, 4, "external_ref"), "P0001");
	assert_string_equal(dbtest_col(res, 4, "keystrokes"), "500");
	bd_db_result_free(res);
	bd_db_free(sup);
	bd_db_free(super);
}

/* --- QA ------------------------------------------------------------------ */

enum { QA_DOCS = 2000 };

static void
test_qa_sampling_and_review(void **state)
{
	struct bd_db *super, *c1, *c2;
	struct bd_db_result *res;
	char client_id[16], doc[32], *s;
	long long sampled;
	int n = 0;

	(void)state;
	make_client("TQA", "tq", 2, client_id, sizeof(client_id));
	make_batch("TQA", "tq", "single_qa", QA_DOCS, "S");
	super = dbtest_connect(&t, NULL);
	c1 = dbtest_connect(&t, "tq01");
	c2 = dbtest_connect(&t, "tq02");

	/* One clerk keys the whole batch through the screen's F2 path. */
	res = dbtest_named(c1, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	while (bd_db_result_rows(res) == 1 &&
	       !bd_db_result_isnull(res, 0, bd_db_result_col(res, "document_id"))) {
		snprintf(doc, sizeof(doc), "%s", dbtest_col(res, 0, "document_id"));
		bd_db_result_free(res);
		res = dbtest_named(c1, "entry.submit_and_claim_next",
				   BD_PARAMS(doc, "{\"name\":\"Keyed\",\"amount\":\"5.00\"}", "20",
					     "1", "9", "2", LEASE_S, code_of(client_id), NULL));
		n++;
	}
	bd_db_result_free(res);
	assert_int_equal(n, QA_DOCS);

	/* 5% of 2000 is 100; the binomial standard deviation is under 10. */
	sampled = dbtest_scalar(super,
				"SELECT count(*) FROM entry.documents WHERE client_id = $1 "
				"AND state = 'qa'",
				BD_PARAMS(client_id));
	print_message("QA sampled %lld of %d documents at 5%%\n", sampled, QA_DOCS);
	assert_true(sampled >= 60 && sampled <= 140);
	assert_int_equal(dbtest_scalar(super,
				       "SELECT count(*) FROM entry.documents WHERE client_id = $1 "
				       "AND qa_sampled",
				       BD_PARAMS(client_id)),
			 sampled);
	assert_int_equal(dbtest_scalar(super,
				       "SELECT count(*) FROM entry.documents WHERE client_id = $1 "
				       "AND state = 'done'",
				       BD_PARAMS(client_id)),
			 QA_DOCS - sampled);

	/* The keyer never reviews their own document. */
	res = dbtest_named(c1, "qa.next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_int_equal(bd_db_result_rows(res), 0);
	bd_db_result_free(res);
	res = dbtest_named(c2, "qa.next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_int_equal(bd_db_result_rows(res), 1);
	snprintf(doc, sizeof(doc), "%s", dbtest_col(res, 0, "document_id"));
	s = dbtest_text(super, "SELECT $1::jsonb ->> 'name'", dbtest_col(res, 0, "values"));
	assert_string_equal(s, "Keyed");
	free(s);
	bd_db_result_free(res);

	/* The name was wrong, the amount right: one error for the keyer, and the
	 * correction is what will be delivered. */
	res = dbtest_named(
	    c2, "qa.review",
	    BD_PARAMS(doc, "{\"name\":{\"ok\":false,\"value\":\"Keyes\"},\"amount\":{\"ok\":true}}",
		      NULL));
	assert_string_equal(bd_db_result_get(res, 0, 0), "done");
	bd_db_result_free(res);
	s = dbtest_text(
	    super,
	    "SELECT d.state || ' ' || (d.final_values ->> 'name') || ' ' || p.fields_in_error "
	    "|| ' ' || p.operator FROM entry.documents d JOIN entry.passes p "
	    "USING (client_id, document_id) WHERE d.document_id = $1::bigint",
	    doc);
	assert_string_equal(s, "done Keyes 1 tq01");
	free(s);
	assert_int_equal(dbtest_scalar(super,
				       "SELECT count(*) FROM entry.qa_reviews WHERE document_id = "
				       "$1::bigint",
				       BD_PARAMS(doc)),
			 2);
	bd_db_free(c2);
	bd_db_free(c1);
	bd_db_free(super);
}

/* --- actions and the board ------------------------------------------------ */

static int
board_find(const struct bd_db_result *res, const char *batch)
{
	int r;

	for (r = 0; r < bd_db_result_rows(res); r++)
		if (!strcmp(dbtest_col(res, r, "batch_id"), batch))
			return r;
	fail_msg("batch %s is not on the board", batch);
	return -1;
}

/* LISTENs on the queue channel of client_id (core.client_channels, which
 * row security shows the listener for its own clients only); returns it
 * (malloc'd). */
static char *
listen_queue(struct bd_db *listener, const char *client_id)
{
	struct bd_err err = BD_ERR_INIT;
	char **channels = NULL, *channel;
	size_t n = 0;

	assert_int_equal(bd_kit_listen(listener, "queue", client_id, &channels, &n, &err), 0);
	assert_int_equal(n, 1);
	channel = channels[0];
	free(channels);
	return channel;
}

/* A notification on `channel`: payloads are empty (they carry nothing). */
static bool
notified(struct bd_db *listener, const char *channel_of_client)
{
	struct bd_err err = BD_ERR_INIT;
	char *channel, *payload;
	bool seen = false;
	int i;

	for (i = 0; i < 50 && !seen; i++) {
		assert_int_equal(bd_db_consume(listener, &err), 0);
		while (bd_db_next_notify(listener, &channel, &payload) == 1) {
			if (!strcmp(channel, channel_of_client) && !*payload)
				seen = true;
			free(channel);
			free(payload);
		}
		if (!seen)
			usleep(20000);
	}
	return seen;
}

static void
test_supervisor_actions(void **state)
{
	struct bd_db *super, *c1, *c2, *sup, *listener;
	struct bd_db_result *res;
	struct bd_err err = BD_ERR_INIT;
	char client_id[16], batch_a[32], batch_b[32], a1[32], a2[32], b1[32], *s, *chan;
	int r;

	(void)state;
	make_client("TSUP", "ts", 2, client_id, sizeof(client_id));
	snprintf(batch_a, sizeof(batch_a), "%lld", make_batch("TSUP", "ts", "single", 3, "A"));
	snprintf(batch_b, sizeof(batch_b), "%lld", make_batch("TSUP", "ts", "single", 2, "B"));
	super = dbtest_connect(&t, NULL);
	c1 = dbtest_connect(&t, "ts01");
	c2 = dbtest_connect(&t, "ts02");
	sup = dbtest_connect(&t, "tssup");
	listener = dbtest_connect(&t, "tssup");
	chan = listen_queue(listener, client_id);

	/* ts01 takes A0001 and disappears. */
	res = dbtest_named(c1, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	snprintf(a1, sizeof(a1), "%s", dbtest_col(res, 0, "document_id"));
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "A0001");
	bd_db_result_free(res);
	assert_true(notified(listener, chan));

	res = dbtest_named(sup, "supervisor.queue_board", BD_PARAMS("TSUP"));
	r = board_find(res, batch_a);
	assert_string_equal(dbtest_col(res, r, "waiting"), "2");
	assert_string_equal(dbtest_col(res, r, "in_progress"), "1");
	assert_string_equal(dbtest_col(res, r, "open"), "3");
	assert_string_equal(dbtest_col(res, r, "working"), "ts01 0m");
	assert_string_equal(dbtest_col(res, r, "ageing"), "under 24h");
	assert_string_equal(dbtest_col(res, r, "at_risk"), "f");
	bd_db_result_free(res);
	res = dbtest_named(sup, "supervisor.claims", BD_PARAMS("TSUP"));
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(dbtest_col(res, 0, "claimed_by"), "ts01");
	bd_db_result_free(res);

	/* Clerks cannot act as supervisors. */
	err = (struct bd_err)BD_ERR_INIT;
	assert_null(bd_db_query(c2, "supervisor.release", BD_PARAMS(a1, "x"), &err));
	assert_int_equal(err.kind, BD_ERR_PERMISSION);

	/* Release the stuck claim: the other clerk can take it at once. */
	dbtest_named_ok(sup, "supervisor.release", BD_PARAMS(a1, "stuck since lunch"));
	assert_true(notified(listener, chan));
	res = dbtest_named(c2, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_string_equal(dbtest_col(res, 0, "document_id"), a1);
	bd_db_result_free(res);
	assert_null(bd_db_query(c1, "entry.submit", BD_PARAMS(a1, "{}", "1", "0", "1", "0"), &err));
	assert_int_equal(err.kind, BD_ERR_CONFLICT);

	/* Reassign A0002 to ts01: it is what their next fetch returns. */
	a2[0] = '\0';
	s = dbtest_text(super,
			"SELECT document_id::text FROM entry.documents WHERE external_ref = $1",
			"A0002");
	snprintf(a2, sizeof(a2), "%s", s);
	free(s);
	/* Only operators assigned to the client are offered; the database
	 * refuses anyone else. */
	dbtest_exec(super, "SELECT core.operator_add('tsout', 'Outsider', 'clerk', '{}')");
	res = dbtest_named(sup, "supervisor.operators", BD_PARAMS(a2));
	assert_int_equal(bd_db_result_rows(res), 3);
	assert_string_equal(dbtest_col(res, 0, "login"), "ts01");
	assert_string_equal(dbtest_col(res, 2, "login"), "tssup");
	bd_db_result_free(res);
	err = dbtest_named_refused(sup, "supervisor.reassign", BD_PARAMS(a2, "tsout", "600"));
	assert_int_equal(err.kind, BD_ERR_PERMISSION);
	assert_non_null(strstr(err.msg, "not assigned"));
	dbtest_named_ok(sup, "supervisor.reassign", BD_PARAMS(a2, "ts01", "600"));
	res = dbtest_named(c1, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_string_equal(dbtest_col(res, 0, "document_id"), a2);
	assert_string_equal(dbtest_col(res, 0, "resumed"), "t");
	bd_db_result_free(res);

	/* Pause batch A: ts02's next document comes from batch B. */
	dbtest_named_ok(sup, "supervisor.pause", BD_PARAMS(batch_a));
	assert_null(bd_db_query(sup, "supervisor.pause", BD_PARAMS(batch_a), &err));
	assert_int_equal(err.kind, BD_ERR_CONFLICT);
	res = dbtest_named(c2, "entry.submit_and_claim_next",
			   BD_PARAMS(a1, "{\"name\":\"n\"}", "3", "0", "2", "1", LEASE_S,
				     code_of(client_id), NULL));
	assert_string_equal(dbtest_col(res, 0, "submitted_state"), "done");
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "B0001");
	snprintf(b1, sizeof(b1), "%s", dbtest_col(res, 0, "document_id"));
	bd_db_result_free(res);
	dbtest_named_ok(sup, "supervisor.resume", BD_PARAMS(batch_a));

	/* Priority: batch A back first once raised above B. */
	dbtest_named_ok(sup, "supervisor.set_priority", BD_PARAMS(batch_b, "0"));
	dbtest_named_ok(sup, "supervisor.set_priority", BD_PARAMS(batch_a, "50"));
	res = dbtest_named(
	    c2, "entry.submit_and_claim_next",
	    BD_PARAMS(b1, "{}", "1", "0", "1", "0", LEASE_S, code_of(client_id), NULL));
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "A0003");
	bd_db_result_free(res);

	/* SLA: half an hour left puts the open batch at risk. */
	res = dbtest_named(sup, "supervisor.set_sla", BD_PARAMS(batch_a, NULL, "0.5"));
	bd_db_result_free(res);
	res = dbtest_named(sup, "supervisor.queue_board", BD_PARAMS("TSUP"));
	r = board_find(res, batch_a);
	assert_string_equal(dbtest_col(res, r, "ageing"), "under 1h");
	assert_string_equal(dbtest_col(res, r, "at_risk"), "t");
	assert_string_equal(dbtest_col(res, r, "done"), "1");
	assert_string_equal(dbtest_col(res, r, "priority"), "50");
	bd_db_result_free(res);

	/* Every action is recorded and on the client's audit chain, which holds. */
	s = dbtest_text(sup,
			"SELECT string_agg(action, ',' ORDER BY action_id) FROM entry.actions "
			"a JOIN core.clients c USING (client_id) WHERE c.code = $1",
			"TSUP");
	assert_string_equal(s, "release,reassign,pause,resume,priority,priority,sla");
	free(s);
	assert_int_equal(dbtest_scalar(super,
				       "SELECT count(*) FROM core.audit_log WHERE client_id = $1 "
				       "AND table_name = 'entry.actions'",
				       BD_PARAMS(client_id)),
			 7);
	res = dbtest_named(sup, "core.audit_verify", BD_PARAMS("TSUP"));
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(dbtest_col(res, 0, "ok"), "t");
	bd_db_result_free(res);
	res = dbtest_named(sup, "supervisor.actions", BD_PARAMS("TSUP", NULL));
	assert_int_equal(bd_db_result_rows(res), 7);
	assert_string_equal(dbtest_col(res, 0, "action"), "sla");
	assert_string_equal(dbtest_col(res, 0, "actor"), "tssup");
	bd_db_result_free(res);

	free(chan);
	bd_db_free(listener);
	bd_db_free(sup);
	bd_db_free(c2);
	bd_db_free(c1);
	bd_db_free(super);
}

/* --- accuracy from real double keying, adjudication and QA ----------------- */

/* Submits `doc` with `values` and claims the next: the next document_id
 * (or "" when the queue is empty) goes to `next`. */
static void
submit_next(struct bd_db *db, const char *client_id, const char *doc, const char *values,
	    const char *keystrokes, const char *seconds, char *next, size_t size)
{
	struct bd_db_result *res = dbtest_named(db, "entry.submit_and_claim_next",
						BD_PARAMS(doc, values, keystrokes, "0", seconds,
							  "2", LEASE_S, code_of(client_id), NULL));

	snprintf(next, size, "%s", dbtest_col(res, 0, "document_id"));
	bd_db_result_free(res);
}

static void
test_accuracy_from_adjudication_and_qa(void **state)
{
	struct bd_db *super, *a, *b, *c, *sup;
	struct bd_db_result *res;
	char client_id[16], d1[32], d2[32], d3[32], next[32], *s, *today;

	(void)state;
	make_client("TACC", "tc", 3, client_id, sizeof(client_id));
	make_batch("TACC", "tc", "double", 2, "D");
	make_batch("TACC", "tc", "single_qa", 1, "Q");
	super = dbtest_connect(&t, NULL);
	a = dbtest_connect(&t, "tc01");
	b = dbtest_connect(&t, "tc02");
	c = dbtest_connect(&t, "tc03");
	sup = dbtest_connect(&t, "tcsup");
	dbtest_named_ok(sup, "supervisor.set_qa_rate", BD_PARAMS("TACC", "simple", "1"));

	/* tc01 keys the first pass of D0001 and D0002, then Q0001 (sampled: the
	 * rate is 100%). */
	res = dbtest_named(a, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	snprintf(d1, sizeof(d1), "%s", dbtest_col(res, 0, "document_id"));
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "D0001");
	bd_db_result_free(res);
	submit_next(a, client_id, d1, "{\"name\":\"Alpha\",\"amount\":\"10.00\"}", "30", "10", d2,
		    sizeof(d2));
	submit_next(a, client_id, d2, "{\"name\":\"Beta\",\"amount\":\"5.00\"}", "20", "20", d3,
		    sizeof(d3));
	s = dbtest_text(
	    super, "SELECT external_ref FROM entry.documents WHERE document_id = $1::bigint", d3);
	assert_string_equal(s, "Q0001");
	free(s);
	submit_next(a, client_id, d3, "{\"name\":\"Gamma\",\"amount\":\"7.00\"}", "25", "30", next,
		    sizeof(next));
	assert_string_equal(next, "");

	/* tc02 keys the second passes: D0001's name differs, D0002 agrees once
	 * normalised (Beta and BETA). */
	res = dbtest_named(b, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_string_equal(dbtest_col(res, 0, "document_id"), d1);
	bd_db_result_free(res);
	submit_next(b, client_id, d1, "{\"name\":\"Alfa\",\"amount\":\"10.00\"}", "40", "20", next,
		    sizeof(next));
	assert_string_equal(next, d2);
	submit_next(b, client_id, d2, "{\"name\":\"BETA\",\"amount\":\"5.00\"}", "10", "25", next,
		    sizeof(next));
	s = dbtest_text(
	    super,
	    "SELECT string_agg(external_ref || ' ' || state, ', ' ORDER BY external_ref) "
	    "FROM entry.documents WHERE client_id = $1::integer",
	    client_id);
	assert_string_equal(s, "D0001 adjudication, D0002 done, Q0001 qa");
	free(s);

	/* tc03 adjudicates (tc01 was right) and reviews Q0001 (tc01 was wrong). */
	res = dbtest_named(c, "entry.adjudication_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_string_equal(dbtest_col(res, 0, "document_id"), d1);
	bd_db_result_free(res);
	dbtest_named_ok(c, "entry.adjudicate", BD_PARAMS(d1, "{\"name\":{\"pick\":1}}", NULL));
	res = dbtest_named(c, "qa.next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_string_equal(dbtest_col(res, 0, "document_id"), d3);
	bd_db_result_free(res);
	dbtest_named_ok(c, "qa.review",
			BD_PARAMS(d3,
				  "{\"name\":{\"ok\":false,\"value\":\"Gamma Ray\"},"
				  "\"amount\":{\"ok\":true}}",
				  NULL));

	/*
	 * By hand, today, TACC:
	 * tc01: 3 passes, 75 keystrokes in 60 s: 4500 per hour, 180.0 documents
	 *       per hour; 6 fields keyed, 1 wrong (Q0001's name, found by QA):
	 *       accuracy 1 - 1/6 = 0.8333.
	 * tc02: 2 passes, 50 keystrokes in 45 s: 4000 per hour, 160.0 documents
	 *       per hour; 4 fields keyed, 1 wrong (D0001's name, found by
	 *       adjudication): accuracy 1 - 1/4 = 0.7500.
	 * tc03 keyed nothing: adjudicating and reviewing are not keying.
	 */
	res = dbtest_named(sup, "supervisor.period", BD_PARAMS("today"));
	today = strdup(dbtest_col(res, 0, "to_date"));
	assert_string_equal(dbtest_col(res, 0, "from_date"), today);
	bd_db_result_free(res);
	res = dbtest_named(sup, "supervisor.productivity",
			   BD_PARAMS(today, today, "TACC", NULL, "accuracy"));
	assert_int_equal(bd_db_result_rows(res), 2);
	assert_string_equal(dbtest_col(res, 0, "login"), "tc01");
	assert_string_equal(dbtest_col(res, 0, "documents"), "3");
	assert_string_equal(dbtest_col(res, 0, "keystrokes"), "75");
	assert_string_equal(dbtest_col(res, 0, "seconds"), "60");
	assert_string_equal(dbtest_col(res, 0, "keystrokes_per_hour"), "4500");
	assert_string_equal(dbtest_col(res, 0, "documents_per_hour"), "180.0");
	assert_string_equal(dbtest_col(res, 0, "fields_keyed"), "6");
	assert_string_equal(dbtest_col(res, 0, "fields_in_error"), "1");
	assert_string_equal(dbtest_col(res, 0, "accuracy"), "0.8333");
	assert_string_equal(dbtest_col(res, 1, "login"), "tc02");
	assert_string_equal(dbtest_col(res, 1, "documents"), "2");
	assert_string_equal(dbtest_col(res, 1, "keystrokes_per_hour"), "4000");
	assert_string_equal(dbtest_col(res, 1, "documents_per_hour"), "160.0");
	assert_string_equal(dbtest_col(res, 1, "fields_keyed"), "4");
	assert_string_equal(dbtest_col(res, 1, "fields_in_error"), "1");
	assert_string_equal(dbtest_col(res, 1, "accuracy"), "0.7500");
	bd_db_result_free(res);

	/* The drill-down names the error, its finder and both values. */
	res = dbtest_named(sup, "supervisor.field_errors", BD_PARAMS(d1));
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(dbtest_col(res, 0, "operator"), "tc02");
	assert_string_equal(dbtest_col(res, 0, "source"), "adjudication");
	assert_string_equal(dbtest_col(res, 0, "keyed_value"), "Alfa");
	assert_string_equal(dbtest_col(res, 0, "correct_value"), "Alpha");
	bd_db_result_free(res);
	res = dbtest_named(sup, "supervisor.field_errors", BD_PARAMS(d3));
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(dbtest_col(res, 0, "operator"), "tc01");
	assert_string_equal(dbtest_col(res, 0, "source"), "qa");
	assert_string_equal(dbtest_col(res, 0, "correct_value"), "Gamma Ray");
	bd_db_result_free(res);
	s = dbtest_text(super,
			"SELECT final_values ->> 'name' FROM entry.documents "
			"WHERE document_id = $1::bigint",
			d3);
	assert_string_equal(s, "Gamma Ray");
	free(s);

	/* The QA rate change is a supervisor action on the audit chain too. */
	s = dbtest_text(sup,
			"SELECT string_agg(action || ' ' || (detail ->> 'to'), ',') "
			"FROM entry.actions a JOIN core.clients c USING (client_id) "
			"WHERE c.code = $1",
			"TACC");
	assert_string_equal(s, "qa_rate 1");
	free(s);
	free(today);
	bd_db_free(sup);
	bd_db_free(c);
	bd_db_free(b);
	bd_db_free(a);
	bd_db_free(super);
}

/* --- one notification per transaction --------------------------------------- */

/* Notifications on bd_queue for `client_id` until `marker` arrives (they
 * come in commit order, so the marker closes the count). */
static int
count_until_marker(struct bd_db *listener, const char *chan, const char *marker)
{
	struct bd_err err = BD_ERR_INIT;
	char *channel, *payload;
	bool done = false;
	int n = 0, i;

	for (i = 0; i < 500 && !done; i++) {
		assert_int_equal(bd_db_consume(listener, &err), 0);
		while (bd_db_next_notify(listener, &channel, &payload) == 1) {
			if (!strcmp(channel, chan) && !strcmp(payload, marker))
				done = true;
			else if (!done && !strcmp(channel, chan) && !*payload)
				n++;
			free(channel);
			free(payload);
		}
		if (!done)
			usleep(20000);
	}
	assert_true(done);
	return n;
}

/* Submit and claim-next change two documents in one transaction: the board
 * hears of it once (PostgreSQL folds equal notifications of a transaction),
 * so two hundred clerks cost at most two hundred wake-ups per round. */
static void
test_one_notify_per_transaction(void **state)
{
	struct bd_db *super, *c1, *listener;
	struct bd_db_result *res;
	struct bd_err err = BD_ERR_INIT;
	char client_id[16], doc[32], *chan;

	(void)state;
	make_client("TNOT", "tn", 1, client_id, sizeof(client_id));
	make_batch("TNOT", "tn", "single", 3, "N");
	super = dbtest_connect(&t, NULL);
	c1 = dbtest_connect(&t, "tn01");
	listener = dbtest_connect(&t, "tnsup");
	chan = listen_queue(listener, client_id);

	res = dbtest_named(c1, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	snprintf(doc, sizeof(doc), "%s", dbtest_col(res, 0, "document_id"));
	bd_db_result_free(res);
	res = dbtest_query(super, "SELECT pg_notify($1, 'marker1')", BD_PARAMS(chan), &err);
	assert_non_null(res);
	bd_db_result_free(res);
	assert_int_equal(count_until_marker(listener, chan, "marker1"), 1);

	res = dbtest_named(c1, "entry.submit_and_claim_next",
			   BD_PARAMS(doc, "{\"name\":\"n\"}", "3", "0", "2", "1", LEASE_S,
				     code_of(client_id), NULL));
	assert_string_equal(dbtest_col(res, 0, "submitted_state"), "done");
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "N0002");
	bd_db_result_free(res);
	res = dbtest_query(super, "SELECT pg_notify($1, 'marker2')", BD_PARAMS(chan), &err);
	assert_non_null(res);
	bd_db_result_free(res);
	assert_int_equal(count_until_marker(listener, chan, "marker2"), 1);

	free(chan);
	bd_db_free(listener);
	bd_db_free(c1);
	bd_db_free(super);
}

/* --- the approvals inbox: maker and checker ---------------------------------- */

static void
test_approval_by_maker_refused(void **state)
{
	struct bd_db *acct1 = dbtest_connect(&t, "acct1"), *acct2 = dbtest_connect(&t, "acct2");
	struct bd_db *super1 = dbtest_connect(&t, "super1"), *clerk = dbtest_connect(&t, "clerk1");
	struct bd_db_result *res;
	struct bd_err err = BD_ERR_INIT;
	char id[32], *today, *s, *ver;
	const char *lines = "[{\"account\":\"1100\",\"debit\":\"42.00\"},"
			    "{\"account\":\"4100\",\"credit\":\"42.00\"}]";

	(void)state;
	today = dbtest_text(acct1, "SELECT current_date::text", NULL);
	res = dbtest_named(
	    acct1, "ledger.entry_create",
	    BD_PARAMS("ACME", "GJ", today, "SUP-1", "supervisor inbox test", lines, NULL));
	snprintf(id, sizeof(id), "%s", bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	dbtest_named_ok(acct1, "ledger.entry_submit", BD_PARAMS("ACME", id, NULL));
	ver = dbtest_text(
	    acct1, "SELECT version::text FROM ledger.entries WHERE entry_id = $1::bigint", id);

	/* The maker is refused by the database, whatever the screen offers. */
	assert_null(bd_db_query(acct1, "ledger.entry_approve", BD_PARAMS("ACME", id, ver), &err));
	assert_string_equal(err.sqlstate, "BD002");
	assert_int_equal(err.kind, BD_ERR_PERMISSION);
	err = (struct bd_err)BD_ERR_INIT;
	assert_null(bd_db_query(clerk, "ledger.entry_approve", BD_PARAMS("ACME", id, ver), &err));
	assert_int_equal(err.kind, BD_ERR_PERMISSION);

	/* The supervisor's inbox has it (with its maker); the maker's has not. */
	s = dbtest_text(super1,
			"SELECT maker || ' ' || amount FROM ledger.pending_approvals "
			"WHERE entry_id = $1::bigint",
			id);
	assert_string_equal(s, "acct1 42.00");
	free(s);
	assert_int_equal(dbtest_scalar(acct1,
				       "SELECT count(*) FROM ledger.pending_approvals "
				       "WHERE entry_id = $1::bigint",
				       BD_PARAMS(id)),
			 0);

	/* A supervisor approves; a second approval finds nothing to approve. */
	dbtest_named_ok(super1, "ledger.entry_approve", BD_PARAMS("ACME", id, ver));
	err = (struct bd_err)BD_ERR_INIT;
	assert_null(bd_db_query(acct2, "ledger.entry_approve", BD_PARAMS("ACME", id, ver), &err));
	assert_string_equal(err.sqlstate, "BD003");
	s = dbtest_text(super1,
			"SELECT status || ' ' || maker || ' ' || approver FROM ledger.entries "
			"WHERE entry_id = $1::bigint",
			id);
	assert_string_equal(s, "posted acct1 super1");
	free(s);
	free(ver);
	free(today);
	bd_db_free(clerk);
	bd_db_free(super1);
	bd_db_free(acct2);
	bd_db_free(acct1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_productivity_by_hand),
	    cmocka_unit_test(test_qa_sampling_and_review),
	    cmocka_unit_test(test_supervisor_actions),
	    cmocka_unit_test(test_accuracy_from_adjudication_and_qa),
	    cmocka_unit_test(test_approval_by_maker_refused),
	    cmocka_unit_test(test_one_notify_per_transaction),
	};
	int failed;

	dbtest_start(&t, true);
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	dbtest_stop(&t);
	return failed;
}
