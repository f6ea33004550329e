/*
 * Data-entry queues against a real PostgreSQL: concurrent claims, leases,
 * double keying (the second keyer differs, comparison after normalisation,
 * adjudication and attribution of errors), batch import and export, document
 * types, and tenant isolation. Every state change goes through the named
 * queries the screens use, as real operators.
 */
#include "dbtest.h"

#include "backdesk/embedded.h"
#include "backdesk/entry.h"
#include "backdesk/field.h"
#include "backdesk/strbuf.h"

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

enum { LEASE = 300 };
static const char LEASE_S[] = "300";

/* A small document type: two texts, a number, two amounts that must agree. */
static const char SIMPLE[] =
    "# sum: total = amount\n"
    "screen = { name = \"simple\"; title = \"Simple\"; fields = (\n"
    "  { name = \"name\"; label = \"Name\"; row = 3; col = 2; type = \"text\"; width = 20; },\n"
    "  { name = \"code\"; label = \"Code\"; row = 4; col = 2; type = \"text\"; width = 8;\n"
    "    upshift = true; },\n"
    "  { name = \"qty\"; label = \"Quantity\"; row = 5; col = 2; type = \"integer\"; },\n"
    "  { name = \"amount\"; label = \"Amount\"; row = 6; col = 2; type = \"money\"; },\n"
    "  { name = \"total\"; label = \"Total\"; row = 7; col = 2; type = \"money\"; }\n"
    "); };\n";

/* --- helpers ------------------------------------------------------------ */

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

/* Creates client `code` with a supervisor, nclerks clerks "<prefix>NN" and
 * the simple document type; writes the client_id into client_id. */
static void
make_client(const char *code, const char *prefix, int nclerks, char *client_id, size_t size)
{
	struct bd_db *super = dbtest_connect(&t, NULL), *sup;
	struct strbuf sql = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	char login[32];
	int i, version = 0;

	strbuf_addf(&sql, "SELECT core.client_add('%s', 'Client %s');", code, code);
	snprintf(login, sizeof(login), "%ssup", prefix);
	strbuf_addf(&sql, "SELECT core.operator_add('%s', 'Sup', 'supervisor', '{%s}');", login,
		    code);
	for (i = 1; i <= nclerks; i++)
		strbuf_addf(&sql, "SELECT core.operator_add('%s%02d', 'Clerk', 'clerk', '{%s}');",
			    prefix, i, code);
	dbtest_exec(super, sql.buf);
	snprintf(client_id, size, "%lld",
		 dbtest_scalar(super, "SELECT client_id FROM core.clients WHERE code = $1",
			       BD_PARAMS(code)));
	remember_code(client_id, code);
	sup = dbtest_connect(&t, login);
	if (bd_entry_doctype_load(sup, code, SIMPLE, "simple.conf", &version, &err) < 0)
		fail_msg("doctype load: %s (%s)", err.msg, err.detail);
	assert_int_equal(version, 1);
	bd_db_free(sup);
	bd_db_free(super);
	strbuf_release(&sql);
}

/* Imports `n` documents R0001.. into a new batch as the client's supervisor. */
static long long
make_batch(const char *code, const char *prefix, const char *mode, int n, const char *refp)
{
	struct strbuf csv = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	struct bd_entry_import imp = {code, "simple", mode, 1, "24", "test"};
	struct bd_db *sup;
	char login[32];
	long long batch = 0;
	size_t rows = 0;
	int i;

	snprintf(login, sizeof(login), "%ssup", prefix);
	sup = dbtest_connect(&t, login);
	strbuf_addstr(&csv, "external_ref\n");
	for (i = 1; i <= n; i++)
		strbuf_addf(&csv, "%s%04d\n", refp, i);
	if (bd_entry_batch_import(sup, &imp, csv.buf, csv.len, "test.csv", &batch, &rows, &err) < 0)
		fail_msg("import: %s (%s)", err.msg, err.detail);
	assert_int_equal(rows, (size_t)n);
	bd_db_free(sup);
	strbuf_release(&csv);
	return batch;
}

static struct bd_db *
connect_as(const char *prefix, int n)
{
	char login[32];

	snprintf(login, sizeof(login), "%s%02d", prefix, n);
	return dbtest_connect(&t, login);
}

/* Claims the next document as db and writes its id into doc. */
static void
claim(struct bd_db *db, const char *client_id, char *doc, size_t size)
{
	struct bd_db_result *res =
	    dbtest_named(db, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));

	snprintf(doc, size, "%s", dbtest_col(res, 0, "document_id"));
	bd_db_result_free(res);
}

/* --- concurrency ---------------------------------------------------------- */

enum { RACERS = 20, RACE_DOCS = 300 };

/* One forked clerk: waits for the start signal, then claims and submits
 * until the queue is empty, writing each claimed document id to `out`. */
static void __attribute__((noreturn)) racer(int n, const char *client_id, int start_fd, int out_fd)
{
	struct bd_db *db = connect_as("tr", n);
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	char go, line[48], doc[32] = "";
	int status = 0;

	if (read(start_fd, &go, 1) != 1)
		_exit(3);
	res = bd_db_query(db, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)), &err);
	for (;;) {
		if (!res) {
			fprintf(stderr, "racer %d: %s (%s)\n", n, err.msg, err.detail);
			status = 1;
			break;
		}
		if (bd_db_result_rows(res) == 0 || bd_db_result_isnull(res, 0, 3))
			break;
		snprintf(doc, sizeof(doc), "%s", bd_db_result_get(res, 0, 3));
		snprintf(line, sizeof(line), "%s\n", doc);
		if (write(out_fd, line, strlen(line)) != (ssize_t)strlen(line))
			_exit(4);
		bd_db_result_free(res);
		res = bd_db_query(
		    db, "entry.submit_and_claim_next",
		    BD_PARAMS(doc, "{\"name\":\"x\",\"amount\":\"1.00\",\"total\":\"1.00\"}", "10",
			      "0", "2", "3", LEASE_S, code_of(client_id), NULL),
		    &err);
	}
	bd_db_result_free(res);
	bd_db_free(db);
	_exit(status);
}

static void
test_concurrent_claims_never_share(void **state)
{
	struct bd_db *super;
	char client_id[16];
	int start[2], out[2], i, nseen = 0;
	pid_t pids[RACERS];
	static unsigned char seen[1 << 20];
	FILE *in;
	char line[64];
	long long first;

	(void)state;
	make_client("TRACE", "tr", RACERS, client_id, sizeof(client_id));
	make_batch("TRACE", "tr", "single", RACE_DOCS, "R");
	super = dbtest_connect(&t, NULL);
	first = dbtest_scalar(super,
			      "SELECT min(document_id) FROM entry.documents WHERE client_id = $1",
			      BD_PARAMS(client_id));
	assert_int_equal(pipe(start), 0);
	assert_int_equal(pipe(out), 0);
	for (i = 0; i < RACERS; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			close(start[1]);
			close(out[0]);
			racer(i + 1, client_id, start[0], out[1]);
		}
	}
	close(start[0]);
	close(out[1]);
	/* Every racer is connected and waiting: release them at once. */
	sleep(1);
	for (i = 0; i < RACERS; i++)
		assert_int_equal(write(start[1], "g", 1), 1);
	close(start[1]);
	in = fdopen(out[0], "r");
	while (fgets(line, sizeof(line), in)) {
		long long id = strtoll(line, NULL, 10) - first;

		assert_true(id >= 0 && id < (long long)sizeof(seen));
		if (seen[id])
			fail_msg("document %s was claimed twice", line);
		seen[id] = 1;
		nseen++;
	}
	fclose(in);
	for (i = 0; i < RACERS; i++) {
		int status;

		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_int_equal(nseen, RACE_DOCS);
	assert_int_equal(dbtest_scalar(super,
				       "SELECT count(*) FROM entry.documents WHERE client_id = $1 "
				       "AND state = 'done'",
				       BD_PARAMS(client_id)),
			 RACE_DOCS);
	/* One pass per document, and more than one racer did work. */
	assert_int_equal(dbtest_scalar(super,
				       "SELECT count(DISTINCT document_id) FROM entry.passes "
				       "WHERE client_id = $1",
				       BD_PARAMS(client_id)),
			 RACE_DOCS);
	assert_true(
	    dbtest_scalar(super,
			  "SELECT count(DISTINCT operator) FROM entry.passes WHERE client_id = $1",
			  BD_PARAMS(client_id)) > 1);
	bd_db_free(super);
}

/* --- leases ------------------------------------------------------------ */

static void
test_expired_lease_returns_the_document(void **state)
{
	struct bd_db *super, *c1, *c2;
	struct bd_db_result *res;
	struct bd_err err;
	char client_id[16], doc[32];

	(void)state;
	make_client("TLEASE", "tl", 2, client_id, sizeof(client_id));
	make_batch("TLEASE", "tl", "single", 2, "L");
	super = dbtest_connect(&t, NULL);
	c1 = connect_as("tl", 1);
	c2 = connect_as("tl", 2);

	res = dbtest_named(c1, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_int_equal(bd_db_result_rows(res), 1);
	snprintf(doc, sizeof(doc), "%s", dbtest_col(res, 0, "document_id"));
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "L0001");
	assert_string_equal(dbtest_col(res, 0, "resumed"), "f");
	bd_db_result_free(res);

	/* A dropped link: the same clerk fetching again resumes the same document,
	 * with the draft saved on field exit. */
	dbtest_named_ok(c1, "entry.draft", BD_PARAMS(doc, LEASE_S, "name=half typed"));
	res = dbtest_named(c1, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_string_equal(dbtest_col(res, 0, "document_id"), doc);
	assert_string_equal(dbtest_col(res, 0, "resumed"), "t");
	assert_string_equal(dbtest_col(res, 0, "draft"), "name=half typed");
	bd_db_result_free(res);

	/* While the lease runs, the other clerk gets the next document. */
	res = dbtest_named(c2, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "L0002");
	dbtest_named_ok(c2, "entry.release",
			BD_PARAMS(dbtest_col(res, 0, "document_id"), "coffee"));
	bd_db_result_free(res);

	/* The lease runs out (time moved on): the document is claimable again. */
	dbtest_exec(super, "UPDATE entry.documents SET lease_until = now() - interval '1 second' "
			   "WHERE external_ref = 'L0001'");
	res = dbtest_named(c2, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(dbtest_col(res, 0, "document_id"), doc);
	assert_string_equal(dbtest_col(res, 0, "resumed"), "f");
	assert_true(bd_db_result_isnull(res, 0, bd_db_result_col(res, "draft")));
	bd_db_result_free(res);

	/* The first clerk lost it: submitting and renewing are refused. */
	err = dbtest_named_refused(c1, "entry.submit",
				   BD_PARAMS(doc, "{\"name\":\"a\"}", "1", "0", "1", "1"));
	assert_int_equal(err.kind, BD_ERR_CONFLICT);
	assert_non_null(strstr(err.msg, "no longer yours"));
	err = dbtest_named_refused(c1, "entry.renew", BD_PARAMS(doc, LEASE_S));
	assert_int_equal(err.kind, BD_ERR_CONFLICT);

	/* The second clerk submits it. */
	res = dbtest_named(c2, "entry.submit_and_claim_next",
			   BD_PARAMS(doc, "{\"name\":\"b\",\"amount\":\"2.00\",\"total\":\"2.00\"}",
				     "5", "0", "3", NULL, LEASE_S, code_of(client_id), NULL));
	assert_string_equal(dbtest_col(res, 0, "submitted_state"), "done");
	/* L0002 was skipped by this clerk: it is not handed back to them. */
	assert_true(bd_db_result_isnull(res, 0, bd_db_result_col(res, "document_id")));
	bd_db_result_free(res);
	res = dbtest_named(c1, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "L0002");
	bd_db_result_free(res);
	assert_int_equal(
	    dbtest_scalar(super,
			  "SELECT count(*) FROM entry.skips s JOIN entry.documents d "
			  "USING (client_id, document_id) WHERE d.external_ref = 'L0002' "
			  "AND s.note = 'coffee' AND s.login = 'tl02'",
			  0, NULL),
	    1);
	bd_db_free(c2);
	bd_db_free(c1);
	bd_db_free(super);
}

/* F2 onto another batch brings the clerk's last values of that batch for
 * Dup (the form only holds the previous document's, of the batch left). */
static struct bd_db_result *
f2(struct bd_db *db, const char *doc, const char *name, const char *client_id)
{
	char values[128];

	snprintf(values, sizeof(values), "{\"name\":\"%s\",\"amount\":\"2.00\",\"total\":\"2.00\"}",
		 name);
	return dbtest_named(
	    db, "entry.submit_and_claim_next",
	    BD_PARAMS(doc, values, "5", "0", "3", NULL, LEASE_S, code_of(client_id), NULL));
}

static void
test_dup_values_follow_the_batch(void **state)
{
	struct bd_db *super, *c1;
	struct bd_db_result *res;
	char client_id[16], doc[32], x[32], y[32];
	const char *priority = "WITH u AS (UPDATE entry.batches SET priority = $2::integer "
			       "WHERE batch_id = $1::bigint RETURNING 1) SELECT count(*) FROM u";

	(void)state;
	make_client("TDUP", "tdu", 1, client_id, sizeof(client_id));
	snprintf(x, sizeof(x), "%lld", make_batch("TDUP", "tdu", "single", 3, "X"));
	snprintf(y, sizeof(y), "%lld", make_batch("TDUP", "tdu", "single", 2, "Y"));
	super = dbtest_connect(&t, NULL);
	c1 = connect_as("tdu", 1);

	res = dbtest_named(c1, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "X0001");
	snprintf(doc, sizeof(doc), "%s", dbtest_col(res, 0, "document_id"));
	bd_db_result_free(res);
	/* The same batch goes on: the form keeps its own values. */
	res = f2(c1, doc, "x1", client_id);
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "X0002");
	assert_true(bd_db_result_isnull(res, 0, bd_db_result_col(res, "dup_values")));
	snprintf(doc, sizeof(doc), "%s", dbtest_col(res, 0, "document_id"));
	bd_db_result_free(res);
	/* Y jumps the queue: nothing keyed there yet. */
	assert_int_equal(dbtest_scalar(super, priority, BD_PARAMS(y, "9")), 1);
	res = f2(c1, doc, "x2", client_id);
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "Y0001");
	assert_true(bd_db_result_isnull(res, 0, bd_db_result_col(res, "dup_values")));
	snprintf(doc, sizeof(doc), "%s", dbtest_col(res, 0, "document_id"));
	bd_db_result_free(res);
	/* Back to X: Dup offers what this clerk keyed last in X. */
	assert_int_equal(dbtest_scalar(super, priority, BD_PARAMS(y, "0")), 1);
	res = f2(c1, doc, "y1", client_id);
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "X0003");
	assert_non_null(strstr(dbtest_col(res, 0, "dup_values"), "\"x2\""));
	bd_db_result_free(res);
	bd_db_free(c1);
	bd_db_free(super);
}

/* Whether batch `batch` is marked drained (read as the superuser). */
static bool
drained(struct bd_db *super, long long batch)
{
	char id[24];

	snprintf(id, sizeof(id), "%lld", batch);
	return dbtest_scalar(super, "SELECT drained::int FROM entry.batches WHERE batch_id = $1",
			     BD_PARAMS(id)) == 1;
}

/* The claim that finds a batch with no open document (waiting, keyed once
 * or in progress) marks it drained, and claims no longer look at it; a
 * batch with a claim in flight or a first pass done stays in the queue. */
static void
test_drained_batches_leave_the_queue(void **state)
{
	struct bd_db *super, *c1, *c2;
	struct bd_db_result *res;
	long long a, b, c;
	char client_id[16], d1[32], d2[32];

	(void)state;
	make_client("TDRAIN", "tdr", 2, client_id, sizeof(client_id));
	a = make_batch("TDRAIN", "tdr", "single", 2, "A");
	b = make_batch("TDRAIN", "tdr", "single", 1, "B");
	super = dbtest_connect(&t, NULL);
	c1 = connect_as("tdr", 1);
	c2 = connect_as("tdr", 2);

	claim(c1, client_id, d1, sizeof(d1));
	res = dbtest_named(c2, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	snprintf(d2, sizeof(d2), "%s", dbtest_col(res, 0, "document_id"));
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "A0002");
	bd_db_result_free(res);

	/* A has nothing waiting but A0001 in progress: not drained. */
	res = f2(c2, d2, "x", client_id);
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "B0001");
	snprintf(d2, sizeof(d2), "%s", dbtest_col(res, 0, "document_id"));
	bd_db_result_free(res);
	assert_false(drained(super, a));

	/* So when A0001's lease runs out, it is claimed again. */
	dbtest_exec(super, "UPDATE entry.documents SET lease_until = now() - interval '1 second' "
			   "WHERE external_ref = 'A0001'");
	res = f2(c2, d2, "x", client_id);
	assert_string_equal(dbtest_col(res, 0, "document_id"), d1);
	bd_db_result_free(res);
	assert_false(drained(super, a));

	/* Its submit leaves nothing open in A or B: the claim after it drains both. */
	res = f2(c2, d1, "x", client_id);
	assert_string_equal(dbtest_col(res, 0, "submitted_state"), "done");
	assert_true(bd_db_result_isnull(res, 0, bd_db_result_col(res, "document_id")));
	bd_db_result_free(res);
	assert_true(drained(super, a));
	assert_true(drained(super, b));

	/* A double-keyed document keyed once by the only clerk asking is not
	 * theirs to key again, but it keeps its batch in the queue. */
	c = make_batch("TDRAIN", "tdr", "double", 1, "C");
	claim(c1, client_id, d1, sizeof(d1));
	res = f2(c1, d1, "x", client_id);
	assert_string_equal(dbtest_col(res, 0, "submitted_state"), "keyed_once");
	assert_true(bd_db_result_isnull(res, 0, bd_db_result_col(res, "document_id")));
	bd_db_result_free(res);
	assert_false(drained(super, c));
	res = dbtest_named(c2, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_string_equal(dbtest_col(res, 0, "document_id"), d1);
	assert_string_equal(dbtest_col(res, 0, "pass"), "2");
	bd_db_result_free(res);
	bd_db_free(c2);
	bd_db_free(c1);
	bd_db_free(super);
}

/* The first waiting line at or after `from` in `batch` (0: none), read as
 * the superuser. */
static long long
first_waiting(struct bd_db *super, const char *batch, long long from)
{
	char f[24];

	snprintf(f, sizeof(f), "%lld", from);
	return dbtest_scalar(
	    super,
	    "SELECT coalesce(min(line), 0) FROM entry.documents "
	    "WHERE batch_id = $1::bigint AND state = 'waiting' AND line >= $2::integer",
	    BD_PARAMS(batch, f));
}

/* Lanes (entry.lane_start): a batch of 256 documents, on lines 2-257, is 8
 * lanes of 32 lines. A clerk's first claim is the first waiting line of
 * their own lane, each next one the line after the document they just
 * submitted, and after the batch's last line the claim wraps to its head. */
static void
test_lanes_spread_the_clerks(void **state)
{
	enum { CLERKS = 4, DOCS = 256 };
	struct bd_db *super, *c[CLERKS];
	struct bd_db_result *res;
	char client_id[16], batch[24], login[16], doc[32];
	long long start[CLERKS], line, last = 0;
	int i, top = 0, distinct = 0;

	(void)state;
	make_client("TLANE", "tla", CLERKS, client_id, sizeof(client_id));
	snprintf(batch, sizeof(batch), "%lld", make_batch("TLANE", "tla", "single", DOCS, "N"));
	super = dbtest_connect(&t, NULL);
	assert_int_equal(
	    dbtest_scalar(super,
			  "SELECT max(line) FROM entry.documents WHERE batch_id = $1::bigint",
			  BD_PARAMS(batch)),
	    DOCS + 1);
	for (i = 0; i < CLERKS; i++) {
		snprintf(login, sizeof(login), "tla%02d", i + 1);
		start[i] =
		    dbtest_scalar(super, "SELECT entry.lane_start($1, 256)", BD_PARAMS(login));
		assert_true(start[i] % 32 == 0 && start[i] < DOCS);
		if (start[i] > start[top])
			top = i;
		distinct += i == 0 || start[i] != start[0];
		line = first_waiting(super, batch, start[i]);
		c[i] = connect_as("tla", i + 1);
		res =
		    dbtest_named(c[i], "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
		assert_int_equal(atoll(dbtest_col(res, 0, "external_ref") + 1), line - 1);
		if (i == top) { /* the highest lane so far */
			snprintf(doc, sizeof(doc), "%s", dbtest_col(res, 0, "document_id"));
			last = line;
		}
		bd_db_result_free(res);
	}
	/* These four logins do not all share one lane. */
	assert_true(distinct > 1);

	/* The clerk of the highest lane keys on, line after line, to the end
	 * of the batch, and then goes back to its head. */
	while (last < DOCS + 1) {
		res = f2(c[top], doc, "x", client_id);
		assert_int_equal(atoll(dbtest_col(res, 0, "external_ref") + 1), last);
		last++;
		snprintf(doc, sizeof(doc), "%s", dbtest_col(res, 0, "document_id"));
		bd_db_result_free(res);
	}
	line = first_waiting(super, batch, 0);
	assert_true(line < start[top]);
	res = f2(c[top], doc, "x", client_id);
	assert_int_equal(atoll(dbtest_col(res, 0, "external_ref") + 1), line - 1);
	bd_db_result_free(res);
	for (i = 0; i < CLERKS; i++)
		bd_db_free(c[i]);
	bd_db_free(super);
}

/* Double keying finishes documents before it starts new ones: a document
 * keyed once goes to the next clerk who may key it, ahead of a document still
 * waiting on an earlier line. */
static void
test_second_passes_come_first(void **state)
{
	struct bd_db *c1, *c2, *c3;
	struct bd_db_result *res;
	char client_id[16], d1[32], d2[32];

	(void)state;
	make_client("TSECOND", "tse", 3, client_id, sizeof(client_id));
	make_batch("TSECOND", "tse", "double", 3, "S");
	c1 = connect_as("tse", 1);
	c2 = connect_as("tse", 2);
	c3 = connect_as("tse", 3);
	claim(c1, client_id, d1, sizeof(d1));
	claim(c2, client_id, d2, sizeof(d2));
	/* S0002's first pass is in; S0001 goes back to the queue. */
	res = f2(c2, d2, "x", client_id);
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "S0003");
	bd_db_result_free(res);
	dbtest_named_ok(c1, "entry.release", BD_PARAMS(d1, "skipped"));
	res = dbtest_named(c3, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "S0002");
	assert_string_equal(dbtest_col(res, 0, "pass"), "2");
	bd_db_result_free(res);
	bd_db_free(c3);
	bd_db_free(c2);
	bd_db_free(c1);
}

/* A document takes its doctype's newest version at its first claim, also
 * one loaded after the import; a second pass keys the first pass's. */
static void
test_first_claim_takes_the_newest_version(void **state)
{
	struct bd_db *super, *sup, *c1, *c2;
	struct bd_db_result *res;
	struct bd_err err = BD_ERR_INIT;
	char client_id[16], d1[32], d2[32], text[sizeof(SIMPLE) + 32];
	int version = 0;

	(void)state;
	make_client("TVER", "tve", 2, client_id, sizeof(client_id));
	make_batch("TVER", "tve", "double", 2, "V");
	c1 = connect_as("tve", 1);
	c2 = connect_as("tve", 2);
	claim(c1, client_id, d1, sizeof(d1));
	res = f2(c1, d1, "first", client_id);
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "V0002");
	assert_string_equal(dbtest_col(res, 0, "doctype_version"), "1");
	snprintf(d2, sizeof(d2), "%s", dbtest_col(res, 0, "document_id"));
	bd_db_result_free(res);
	/* V0002 goes back before its first pass, then version 2 is loaded. */
	dbtest_named_ok(c1, "entry.release", BD_PARAMS(d2, "later"));
	sup = dbtest_connect(&t, "tvesup");
	snprintf(text, sizeof(text), "# version 2\n%s", SIMPLE);
	if (bd_entry_doctype_load(sup, "TVER", text, "simple.conf", &version, &err) < 0)
		fail_msg("doctype load: %s (%s)", err.msg, err.detail);
	assert_int_equal(version, 2);
	super = dbtest_connect(&t, NULL);
	assert_int_equal(dbtest_scalar(super,
				       "SELECT t.newest_version FROM entry.doctypes t JOIN "
				       "core.clients c USING (client_id) WHERE c.code = 'TVER'",
				       0, NULL),
			 2);

	/* V0001, keyed once under version 1, is keyed again under it; V0002
	 * takes version 2. */
	res = dbtest_named(c2, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "V0001");
	assert_string_equal(dbtest_col(res, 0, "doctype_version"), "1");
	bd_db_result_free(res);
	res = f2(c2, d1, "first", client_id);
	assert_string_equal(dbtest_col(res, 0, "submitted_state"), "done");
	assert_string_equal(dbtest_col(res, 0, "external_ref"), "V0002");
	assert_string_equal(dbtest_col(res, 0, "doctype_version"), "2");
	bd_db_result_free(res);
	assert_int_equal(dbtest_scalar(super,
				       "SELECT doctype_version FROM entry.documents "
				       "WHERE external_ref = 'V0001' AND state = 'done'",
				       0, NULL),
			 1);
	bd_db_free(sup);
	bd_db_free(super);
	bd_db_free(c2);
	bd_db_free(c1);
}

/* Final values: the pre-filled ones, overlaid with the keyed ones; a field
 * keyed empty clears its pre-filled value, one not keyed keeps it. */
static void
test_keyed_values_overlay_prefill(void **state)
{
	struct bd_db *super, *c1;
	char client_id[16], doc[32];
	char *s;

	(void)state;
	make_client("TPRE", "tpr", 1, client_id, sizeof(client_id));
	make_batch("TPRE", "tpr", "single", 1, "P");
	super = dbtest_connect(&t, NULL);
	dbtest_exec(super, "UPDATE entry.documents SET prefill = '{\"name\": \"Kept\", \"code\": "
			   "\"GONE\", \"qty\": \"1\"}' WHERE external_ref = 'P0001'");
	c1 = connect_as("tpr", 1);
	claim(c1, client_id, doc, sizeof(doc));
	dbtest_named_ok(
	    c1, "entry.submit",
	    BD_PARAMS(doc, "{\"code\":\"\",\"qty\":\"2\",\"amount\":\"2.00\",\"total\":\"2.00\"}",
		      "5", "0", "3", NULL));
	s = dbtest_text(
	    super, "SELECT final_values::text FROM entry.documents WHERE document_id = $1::bigint",
	    doc);
	assert_string_equal(
	    s, "{\"qty\": \"2\", \"name\": \"Kept\", \"total\": \"2.00\", \"amount\": \"2.00\"}");
	free(s);
	bd_db_free(c1);
	bd_db_free(super);
}

/* --- double keying ------------------------------------------------------- */

static void
claim_and_submit(struct bd_db *db, const char *client_id, const char *expect_ref,
		 const char *values, const char *expect_state, char *doc, size_t size)
{
	struct bd_db_result *res =
	    dbtest_named(db, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));

	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(dbtest_col(res, 0, "external_ref"), expect_ref);
	snprintf(doc, size, "%s", dbtest_col(res, 0, "document_id"));
	bd_db_result_free(res);
	res = dbtest_named(db, "entry.submit", BD_PARAMS(doc, values, "40", "2", "20", NULL));
	assert_string_equal(bd_db_result_get(res, 0, 0), expect_state);
	bd_db_result_free(res);
}

static void
test_second_keyer_must_differ(void **state)
{
	struct bd_db *super, *c1, *c2, *sup;
	struct bd_db_result *res;
	struct bd_err err;
	char client_id[16], doc[32];

	(void)state;
	make_client("TDOUBLE", "td", 2, client_id, sizeof(client_id));
	make_batch("TDOUBLE", "td", "double", 1, "D");
	super = dbtest_connect(&t, NULL);
	c1 = connect_as("td", 1);
	c2 = connect_as("td", 2);
	sup = dbtest_connect(&t, "tdsup");

	claim_and_submit(c1, client_id, "D0001", "{\"name\":\"Ann\"}", "keyed_once", doc,
			 sizeof(doc));
	/* The first keyer is never handed the second pass. */
	res = dbtest_named(c1, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_int_equal(bd_db_result_rows(res), 0);
	bd_db_result_free(res);
	/* Nor can a supervisor give it to them. */
	err = dbtest_named_refused(sup, "supervisor.reassign", BD_PARAMS(doc, "td01", LEASE_S));
	assert_int_equal(err.kind, BD_ERR_PERMISSION);
	/* Even with the claim forced onto them, the database refuses the submit. */
	dbtest_exec(super, "UPDATE entry.documents SET state = 'in_progress', claimed_by = 'td01', "
			   "claimed_at = now(), lease_until = now() + interval '1 hour' "
			   "WHERE external_ref = 'D0001'");
	err = dbtest_named_refused(c1, "entry.submit",
				   BD_PARAMS(doc, "{\"name\":\"Ann\"}", "1", "0", "1", "1"));
	assert_int_equal(err.kind, BD_ERR_PERMISSION);
	if (!strstr(err.msg, "needs another operator"))
		fail_msg("unexpected: %s (%s)", err.msg, err.detail);
	/* And the table itself refuses a second pass by the same operator. */
	assert_true(
	    dbtest_fails(super,
			 "INSERT INTO entry.passes (client_id, document_id, pass, batch_id, "
			 "operator, doctype_version, \"values\", keystrokes, corrections, "
			 "seconds, fields_keyed, claimed_at) SELECT client_id, document_id, 2, "
			 "batch_id, 'td01', 1, '{}', 0, 0, 0, 0, now() FROM entry.documents "
			 "WHERE external_ref = 'D0001'",
			 0, NULL, &err));
	assert_string_equal(err.sqlstate, "23505");
	/* Passes are append-only. */
	assert_true(dbtest_fails(super,
				 "UPDATE entry.passes SET operator = 'td02' WHERE pass = 1 "
				 "AND document_id = (SELECT document_id FROM entry.documents "
				 "WHERE external_ref = 'D0001')",
				 0, NULL, &err));
	assert_true(dbtest_fails(super, "DELETE FROM entry.passes", 0, NULL, &err));
	dbtest_exec(super, "UPDATE entry.documents SET state = 'keyed_once', claimed_by = NULL, "
			   "claimed_at = NULL, lease_until = NULL WHERE external_ref = 'D0001'");

	/* Another clerk keys pass 2, blind: equal after normalisation (case) -> done. */
	res = dbtest_named(c2, "entry.claim_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_string_equal(dbtest_col(res, 0, "pass"), "2");
	assert_string_equal(dbtest_col(res, 0, "prefill"), "{}");
	bd_db_result_free(res);
	res = dbtest_named(c2, "entry.submit",
			   BD_PARAMS(doc, "{\"name\":\"ann\"}", "1", "0", "1", "1"));
	assert_string_equal(bd_db_result_get(res, 0, 0), "done");
	bd_db_result_free(res);
	bd_db_free(sup);
	bd_db_free(c2);
	bd_db_free(c1);
	bd_db_free(super);
}

static void
test_normalisation(void **state)
{
	static const struct {
		const char *a, *b, *type;
		bool equal;
	} cases[] = {
	    {"1,234.50", "1234.5", "money", true},
	    {"1 234.50", "1234.50", "money", true},
	    {"0.10", ".1", "decimal", true},
	    {"007", "7", "integer", true},
	    {"-5.00", "-5", "money", true},
	    {"12.5", "12.05", "money", false},
	    {"007", "7", "text", false},
	    {"  Doe,   John ", "doe, john", "text", true},
	    {"AB-1234", "ab-1234", "lookup", true},
	    {"", NULL, "text", true},
	    {"x", NULL, "text", false},
	    {"2024-03-01", "2024-03-01", "date", true},
	    {"1,234.50", "1234.5", "text", false},
	};
	struct bd_db *super = dbtest_connect(&t, NULL);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		long long eq =
		    dbtest_scalar(super, "SELECT (entry.norm($1, $3) = entry.norm($2, $3))::int",
				  BD_PARAMS(cases[i].a, cases[i].b, cases[i].type));

		if (eq != cases[i].equal)
			fail_msg("'%s' vs '%s' as %s: expected %s", cases[i].a,
				 cases[i].b ? cases[i].b : "(null)", cases[i].type,
				 cases[i].equal ? "equal" : "different");
	}
	bd_db_free(super);
}

static void
test_adjudication_attributes_errors(void **state)
{
	struct bd_db *super, *c1, *c2, *c3, *sup;
	struct bd_db_result *res;
	struct bd_err err;
	struct strbuf out = STRBUF_INIT;
	char client_id[16], doc[32], batch[32];
	char *s;
	FILE *fp;
	size_t count = 0;
	char *buf = NULL;
	size_t buflen = 0;

	(void)state;
	make_client("TADJ", "ta", 3, client_id, sizeof(client_id));
	snprintf(batch, sizeof(batch), "%lld", make_batch("TADJ", "ta", "double", 1, "A"));
	super = dbtest_connect(&t, NULL);
	c1 = connect_as("ta", 1);
	c2 = connect_as("ta", 2);
	c3 = connect_as("ta", 3);
	sup = dbtest_connect(&t, "tasup");

	/* Pass 1 and pass 2 differ in name, code and qty; the amounts agree. */
	claim_and_submit(c1, client_id, "A0001",
			 "{\"name\":\"Jon Smith\",\"code\":\"X1\",\"qty\":\"3\","
			 "\"amount\":\"1234.50\",\"total\":\"1234.50\"}",
			 "keyed_once", doc, sizeof(doc));
	claim_and_submit(c2, client_id, "A0001",
			 "{\"name\":\"John Smith\",\"code\":\"X7\",\"qty\":\"5\","
			 "\"amount\":\"1234.50\",\"total\":\"1234.50\"}",
			 "adjudication", doc, sizeof(doc));

	/* Neither keyer may adjudicate. */
	res = dbtest_named(c1, "entry.adjudication_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_int_equal(bd_db_result_rows(res), 0);
	bd_db_result_free(res);
	res = dbtest_named(c2, "entry.adjudication_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_int_equal(bd_db_result_rows(res), 0);
	bd_db_result_free(res);

	/* The third operator sees the differing fields, not who keyed them. */
	res = dbtest_named(c3, "entry.adjudication_next", BD_PARAMS(LEASE_S, code_of(client_id)));
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(dbtest_col(res, 0, "document_id"), doc);
	s = dbtest_text(
	    super,
	    "SELECT $1::jsonb = '[{\"field\":\"name\",\"label\":\"Name\","
	    "\"value1\":\"Jon Smith\",\"value2\":\"John Smith\"},"
	    "{\"field\":\"code\",\"label\":\"Code\",\"value1\":\"X1\",\"value2\":\"X7\"},"
	    "{\"field\":\"qty\",\"label\":\"Quantity\",\"value1\":\"3\",\"value2\":\"5\"}]'",
	    dbtest_col(res, 0, "diffs"));
	assert_string_equal(s, "t");
	free(s);
	assert_null(strstr(dbtest_col(res, 0, "diffs"), "ta0"));
	s = dbtest_text(super, "SELECT ($1::jsonb ->> 'amount') || '|' || ($1::jsonb ->> 'total')",
			dbtest_col(res, 0, "agreed"));
	assert_string_equal(s, "1234.50|1234.50");
	free(s);
	bd_db_result_free(res);

	/* Every differing field needs a decision. */
	err = dbtest_named_refused(c3, "entry.adjudicate",
				   BD_PARAMS(doc, "{\"name\":{\"pick\":2}}", NULL));
	assert_int_equal(err.kind, BD_ERR_INVALID);
	assert_non_null(strstr(err.msg, "Code, Quantity"));
	err = dbtest_named_refused(c3, "entry.adjudicate",
				   BD_PARAMS(doc,
					     "{\"name\":{\"pick\":2},\"code\":{\"pick\":1},"
					     "\"qty\":{\"value\":\"4\"},\"amount\":{\"pick\":1}}",
					     NULL));
	assert_int_equal(err.kind, BD_ERR_INVALID);

	/* name: pass 2 right; code: pass 1 right; qty: both wrong (re-keyed 4). */
	res = dbtest_named(c3, "entry.adjudicate",
			   BD_PARAMS(doc,
				     "{\"name\":{\"pick\":2},\"code\":{\"pick\":1},"
				     "\"qty\":{\"value\":\"4\"}}",
				     NULL));
	assert_string_equal(bd_db_result_get(res, 0, 0), "done");
	bd_db_result_free(res);

	s = dbtest_text(super,
			"SELECT string_agg(pass || ':' || field || ':' || keyed_value || '>' || "
			"correct_value, ' ' ORDER BY pass, field) FROM entry.field_errors e "
			"WHERE document_id = $1::bigint",
			doc);
	assert_string_equal(s, "1:name:Jon Smith>John Smith 1:qty:3>4 2:code:X7>X1 2:qty:5>4");
	free(s);
	s = dbtest_text(super,
			"SELECT string_agg(operator || '=' || fields_in_error, ' ' ORDER BY pass) "
			"FROM entry.passes WHERE document_id = $1::bigint",
			doc);
	assert_string_equal(s, "ta01=2 ta02=2");
	free(s);
	s = dbtest_text(
	    super,
	    "SELECT final_values = '{\"name\":\"John Smith\",\"code\":\"X1\",\"qty\":\"4\","
	    "\"amount\":\"1234.50\",\"total\":\"1234.50\"}' FROM entry.documents "
	    "WHERE document_id = $1::bigint",
	    doc);
	assert_string_equal(s, "t");
	free(s);
	/* The decisions are on the client's audit chain. */
	assert_int_equal(
	    dbtest_scalar(super,
			  "SELECT count(*) FROM core.audit_log "
			  "WHERE table_name = 'entry.adjudications' AND client_id = $1",
			  BD_PARAMS(client_id)),
	    3);

	/* The export carries the chosen values. */
	fp = open_memstream(&buf, &buflen);
	if (bd_entry_batch_export(sup, batch, BD_ENTRY_CSV, false, fp, &count, &err) < 0)
		fail_msg("export: %s", err.msg);
	fclose(fp);
	assert_int_equal(count, 1);
	assert_string_equal(buf, "external_ref,source_path,status,reject_reason,reject_note,name,"
				 "code,qty,amount,total\r\n"
				 "A0001,,done,,,John Smith,X1,4,1234.50,1234.50\r\n");
	free(buf);
	buf = NULL;
	fp = open_memstream(&buf, &buflen);
	if (bd_entry_batch_export(sup, batch, BD_ENTRY_JSON, false, fp, &count, &err) < 0)
		fail_msg("export: %s", err.msg);
	fclose(fp);
	s = dbtest_text(super, "SELECT $1::jsonb -> 0 -> 'values' ->> 'name'", buf);
	assert_string_equal(s, "John Smith");
	free(s);
	free(buf);
	strbuf_release(&out);
	bd_db_free(sup);
	bd_db_free(c3);
	bd_db_free(c2);
	bd_db_free(c1);
	bd_db_free(super);
}

/* --- import, export, document types ------------------------------------- */

static char *
fixture(const char *name, size_t *len)
{
	const char *root = getenv("BD_SOURCE_DIR");
	char path[1024];
	FILE *fp;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/tests/fixtures/%s", root ? root : ".", name);
	fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* A stored document type whose screen is a list (not through doctype_load,
 * which refuses it) is refused as not a form by the one loader of its
 * screen, and nothing is imported. */
static void
test_doctype_screen_must_be_a_form(void **state)
{
	struct bd_entry_import imp = {"ACME", "listy", "single", 1, "8", "listy.csv"};
	struct bd_db *super = dbtest_connect(&t, NULL), *sup = dbtest_connect(&t, "super1");
	struct bd_err err = BD_ERR_INIT;
	struct bd_screen screen;
	static const char csv[] = "external_ref\nL-1\n";

	(void)state;
	dbtest_exec(super,
		    "WITH d AS (INSERT INTO entry.doctypes (client_id, code, title) "
		    "SELECT client_id, 'listy', 'Listy' FROM core.clients WHERE code = 'ACME' "
		    "RETURNING client_id, doctype_id) "
		    "INSERT INTO entry.doctype_versions (client_id, doctype_id, version, screen, "
		    "fields, field_names) SELECT client_id, doctype_id, 1, "
		    "'list = { name = \"listy\"; title = \"Listy\"; query = \"app.my_clients\"; "
		    "columns = ({ name = \"code\"; heading = \"Code\"; width = 16; }); };', "
		    "'[{\"name\":\"code\",\"type\":\"text\",\"label\":\"Code\",\"length\":16}]', "
		    "'{code}' FROM d");
	bd_screen_init(&screen);
	assert_int_equal(bd_entry_doctype_current(sup, "ACME", "listy", &screen, &err), -1);
	assert_non_null(strstr(err.msg, "db:doctype listy v1: the document type is not a form"));
	assert_int_equal(screen.nfields, 0);
	bd_err_clear(&err);
	assert_int_equal(
	    bd_entry_batch_import(sup, &imp, csv, strlen(csv), "listy.csv", NULL, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "not a form"));
	bd_err_clear(&err);
	assert_int_equal(bd_entry_doctype_current(sup, "ACME", "nosuch", &screen, &err), -1);
	assert_int_equal(err.kind, BD_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "Unknown document type nosuch for client ACME"));
	assert_int_equal(dbtest_scalar(super,
				       "SELECT count(*) FROM entry.documents WHERE external_ref = "
				       "'L-1'",
				       0, NULL),
			 0);
	dbtest_exec(super, "DELETE FROM entry.doctype_versions v USING entry.doctypes t "
			   "WHERE t.client_id = v.client_id AND t.doctype_id = v.doctype_id "
			   "AND t.code = 'listy'");
	dbtest_exec(super, "DELETE FROM entry.doctypes WHERE code = 'listy'");
	bd_db_free(sup);
	bd_db_free(super);
}

static void
test_import_bad_files_leave_nothing(void **state)
{
	static const struct {
		const char *file, *expect;
	} bad[] = {
	    {"entry/bad_check_digit.csv", "bad_check_digit.csv:4: Policy no check digit"},
	    {"entry/bad_columns.csv", "bad_columns.csv:3: 2 values, but the header has 3 columns"},
	    {"entry/bad_duplicate.csv",
	     "bad_duplicate.csv:5: reference C-302 appears twice (first on line 3)"},
	    {"entry/bad_header.csv", "bad_header.csv:1: unknown column \"pateint\""},
	    {"entry/bad_quote.csv", "bad_quote.csv:3: a quoted value never ends"},
	    {"entry/bad_empty_ref.csv", "bad_empty_ref.csv:3: the external reference is empty"},
	    {"entry/bad_amount.csv", "bad_amount.csv:3:"},
	    {"entry/bad_nul.csv", "bad_nul.csv:3: a NUL byte"},
	    {"entry/bad_utf8.csv", "bad_utf8.csv:4: invalid UTF-8"},
	    {"entry/bad_stray_quote.csv", "bad_stray_quote.csv:2: text after a closing quote"},
	};
	struct bd_entry_import imp = {"ACME", "claim", "double", 3, "8", "good.csv"};
	struct bd_db *super = dbtest_connect(&t, NULL), *sup = dbtest_connect(&t, "super1");
	struct bd_err err = BD_ERR_INIT;
	long long docs, batches, batch;
	size_t i, len, rows;
	char *csv;
	char *s, id[32];

	(void)state;
	docs = dbtest_scalar(super, "SELECT count(*) FROM entry.documents", 0, NULL);
	batches = dbtest_scalar(super, "SELECT count(*) FROM entry.batches", 0, NULL);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		csv = fixture(bad[i].file, &len);
		bd_err_clear(&err);
		if (bd_entry_batch_import(sup, &imp, csv, len, bad[i].file, NULL, NULL, &err) == 0)
			fail_msg("%s was imported", bad[i].file);
		if (!strstr(err.msg, bad[i].expect))
			fail_msg("%s: \"%s\" does not say \"%s\"", bad[i].file, err.msg,
				 bad[i].expect);
		free(csv);
		assert_int_equal(
		    dbtest_scalar(super, "SELECT count(*) FROM entry.documents", 0, NULL), docs);
		assert_int_equal(
		    dbtest_scalar(super, "SELECT count(*) FROM entry.batches", 0, NULL), batches);
	}

	/* The good file: quoting, CRLF, blank lines, normalised pre-filled values. */
	csv = fixture("entry/claims_good.csv", &len);
	if (bd_entry_batch_import(sup, &imp, csv, len, "claims_good.csv", &batch, &rows, &err) < 0)
		fail_msg("good file refused: %s (%s)", err.msg, err.detail);
	free(csv);
	assert_int_equal(rows, 4);
	snprintf(id, sizeof(id), "%lld", batch);
	s = dbtest_text(
	    super,
	    "SELECT string_agg(line || '|' || external_ref || '|' || coalesce(source_path, '-') "
	    "|| '|' || prefill::text, ' ; ' ORDER BY line) FROM entry.documents "
	    "WHERE batch_id = $1::bigint",
	    id);
	assert_string_equal(
	    s,
	    "2|C-001|/scans/c001.tif|{\"policy\": \"AB-12345674\", \"patient\": \"Doe, John\"} ; "
	    "3|C-002|/scans/c002.tif|{\"policy\": \"CD-76543214\", \"amount1\": \"1250.00\", "
	    "\"patient\": \"Smith\"} ; "
	    "4|C-003|-|{} ; "
	    "5|C-004|/scans/c004.tif|{\"policy\": \"EF-55500011\", \"amount1\": \"12.50\", "
	    "\"patient\": \"O\\\"Brien, Pat\"}");
	free(s);
	s = dbtest_text(super,
			"SELECT mode || ' ' || priority || ' ' || documents || ' ' || "
			"(sla_due > now() + interval '7 hours')::text FROM entry.batches "
			"WHERE batch_id = $1::bigint",
			id);
	assert_string_equal(s, "double 3 4 true");
	free(s);

	/* Export is refused while documents are open, with the count. */
	{
		char *buf = NULL;
		size_t buflen = 0, count = 0;
		FILE *fp = open_memstream(&buf, &buflen);

		assert_int_equal(
		    bd_entry_batch_export(sup, id, BD_ENTRY_CSV, false, fp, &count, &err), -1);
		assert_int_equal(err.kind, BD_ERR_CONFLICT);
		assert_non_null(strstr(err.msg, "4 documents still open"));
		assert_int_equal(
		    bd_entry_batch_export(sup, id, BD_ENTRY_CSV, true, fp, &count, &err), 0);
		fclose(fp);
		assert_int_equal(count, 0);
		assert_non_null(strstr(buf, "external_ref,source_path,status"));
		free(buf);
		assert_int_equal(
		    bd_entry_batch_export(sup, "999999", BD_ENTRY_CSV, true, stdout, &count, &err),
		    -1);
		assert_int_equal(err.kind, BD_ERR_NOT_FOUND);
	}
	bd_db_free(sup);
	bd_db_free(super);
}

static void
test_doctype_load_and_versions(void **state)
{
	struct bd_db *super = dbtest_connect(&t, NULL), *sup = dbtest_connect(&t, "super1");
	struct bd_db *clerk = dbtest_connect(&t, "clerk1");
	struct bd_err err = BD_ERR_INIT;
	size_t len;
	char *text;
	int version = 0;
	struct strbuf changed = STRBUF_INIT;

	(void)state;
	/* A broken screen file is refused with its line and reason; nothing stored. */
	text = fixture("screens/bad/unknown_attr.conf", &len);
	assert_int_equal(
	    bd_entry_doctype_load(sup, "ACME", text, "unknown_attr.conf", &version, &err), -1);
	assert_non_null(strstr(err.msg, "unknown_attr.conf:"));
	free(text);
	text = fixture("screens/claims_list.conf", &len);
	assert_int_equal(
	    bd_entry_doctype_load(sup, "ACME", text, "claims_list.conf", &version, &err), -1);
	assert_non_null(strstr(err.msg, "must be a form"));
	free(text);
	assert_int_equal(
	    bd_entry_doctype_load(sup, "ACME",
				  "# sum: total = nosuch\n"
				  "screen = { name = \"x\"; fields = ({ name = \"total\"; "
				  "row = 3; col = 2; type = \"money\"; }); };",
				  "rule.conf", &version, &err),
	    -1);
	assert_string_equal(err.msg, "rule.conf:1: sum rule: no field 'nosuch'");
	assert_int_equal(
	    dbtest_scalar(super, "SELECT count(*) FROM entry.doctypes WHERE code = 'x'", 0, NULL),
	    0);

	/* The shipped files are what the demo stored, and reloading them is a no-op. */
	{
		const struct bd_embedded_file *f = bd_embedded_find("screens/doctypes/claim.conf");
		char *stored;

		assert_non_null(f);
		stored = dbtest_text(super,
				     "SELECT v.screen FROM entry.doctype_versions v JOIN "
				     "entry.doctypes t USING (client_id, doctype_id) JOIN "
				     "core.clients c USING (client_id) WHERE c.code = 'ACME' AND "
				     "t.code = $1 AND v.version = 1",
				     "claim");
		assert_string_equal(stored, f->data);
		free(stored);
		assert_int_equal(
		    bd_entry_doctype_load(sup, "ACME", f->data, "claim.conf", &version, &err), 0);
		assert_int_equal(version, 1);
		f = bd_embedded_find("screens/doctypes/invoice.conf");
		assert_non_null(f);
		assert_int_equal(
		    bd_entry_doctype_load(sup, "GLOBEX", f->data, "invoice.conf", &version, &err),
		    0);
		assert_int_equal(version, 1);
		/* A changed file is a new version; the old one is kept. */
		strbuf_addstr(&changed, f->data);
		strbuf_addstr(&changed, "# a comment changes the text\n");
		assert_int_equal(bd_entry_doctype_load(sup, "GLOBEX", changed.buf, "invoice.conf",
						       &version, &err),
				 0);
		assert_int_equal(version, 2);
		assert_int_equal(dbtest_scalar(super,
					       "SELECT count(*) FROM entry.doctype_versions v JOIN "
					       "entry.doctypes t USING (client_id, doctype_id) "
					       "WHERE t.code = 'invoice'",
					       0, NULL),
				 2);
	}
	/* Clerks may not load document types. */
	assert_int_equal(
	    bd_entry_doctype_load(clerk, "ACME", SIMPLE, "simple.conf", &version, &err), -1);
	assert_int_equal(err.kind, BD_ERR_PERMISSION);
	strbuf_release(&changed);
	bd_db_free(clerk);
	bd_db_free(sup);
	bd_db_free(super);
}

/* The invoice's sum rules are checked by the database on submit. */
/* An invoice for GLOBEX with `change` spliced over the valid values. */
static char *
invoice(const char *change)
{
	struct strbuf json = STRBUF_INIT;

	strbuf_addstr(&json, "{\"supplier\":\"HOOLI\",\"currency\":\"EUR\","
			     "\"invoice_no\":\"INV-1\",\"invoice_date\":\"2026-11-02\","
			     "\"line1_desc\":\"Hosting\",\"line1_amount\":\"100.00\","
			     "\"line2_amount\":\"20.00\",\"net\":\"120.00\",\"tax\":\"24.00\","
			     "\"total\":\"144.00\"");
	if (*change)
		strbuf_addf(&json, ",%s", change); /* a repeated key: the last one wins */
	strbuf_addch(&json, '}');
	return strbuf_detach(&json, NULL);
}

/* The submit of `values` must be refused with `msg`, blaming `field`. */
static void
submit_refused(struct bd_db *db, const char *doc, const char *change, const char *msg,
	       const char *field)
{
	char *values = invoice(change);
	struct bd_err err =
	    dbtest_named_refused(db, "entry.submit", BD_PARAMS(doc, values, "1", "0", "1", NULL));

	assert_int_equal(err.kind, BD_ERR_INVALID);
	assert_string_equal(err.msg, msg);
	assert_string_equal(err.field, field);
	free(values);
}

/* The database checks final values against the doctype's own rules (sum
 * rules, required, lookup codes, check digits, choices), whatever client sent
 * them, and names the field to put the cursor on. */
static void
test_document_rules_on_submit(void **state)
{
	struct bd_db *super = dbtest_connect(&t, NULL), *c1 = dbtest_connect(&t, "clerk1");
	struct bd_db_result *res;
	struct bd_err err;
	char *globex, *values, doc[32];

	(void)state;
	globex = dbtest_text(super, "SELECT code FROM core.clients WHERE code = $1", "GLOBEX");
	res = dbtest_named(c1, "entry.claim_next", BD_PARAMS(LEASE_S, globex));
	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(dbtest_col(res, 0, "doctype_code"), "invoice");
	snprintf(doc, sizeof(doc), "%s", dbtest_col(res, 0, "document_id"));
	bd_db_result_free(res);

	submit_refused(c1, doc, "\"total\":\"140.00\"",
		       "Invoice total is 140.00, but the amounts add up to 144.00", "total");
	submit_refused(c1, doc, "\"invoice_no\":\"\"", "Invoice no is required", "invoice_no");
	submit_refused(c1, doc, "\"supplier\":\"NOSUCH\"", "Supplier NOSUCH is not a known code",
		       "supplier");
	submit_refused(c1, doc, "\"currency\":\"XYZ\"",
		       "Currency must be one of EUR, USD, GBP, CHF", "currency");
	err = dbtest_named_refused(
	    c1, "entry.submit",
	    BD_PARAMS(doc, "{\"supplier\":\"HOOLI\",\"nosuch\":\"1\"}", "1", "0", "1", NULL));
	assert_non_null(strstr(err.msg, "Unknown field"));

	values = invoice("");
	res = dbtest_named(c1, "entry.submit", BD_PARAMS(doc, values, "1", "0", "1", NULL));
	assert_string_equal(bd_db_result_get(res, 0, 0), "done");
	bd_db_result_free(res);
	free(values);
	free(globex);
	bd_db_free(c1);
	bd_db_free(super);
}

/* The database's check digits agree with the form engine's. */
static void
test_check_digits_agree(void **state)
{
	static const char *const samples[] = {"79927398713",
					      "79927398710",
					      "4539 1488 0343 6467",
					      "0306406152",
					      "030640615X",
					      "123456789X",
					      "0-306-40615-2",
					      "12",
					      "7",
					      ""};
	struct bd_db *super = dbtest_connect(&t, NULL);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(samples) / sizeof(*samples); i++) {
		long long luhn = dbtest_scalar(
		    super, "SELECT entry.check_digit_ok($1, 'luhn')::int", BD_PARAMS(samples[i]));
		long long mod11 = dbtest_scalar(
		    super, "SELECT entry.check_digit_ok($1, 'mod11')::int", BD_PARAMS(samples[i]));

		if (luhn != bd_luhn_valid(samples[i]) || mod11 != bd_mod11_valid(samples[i]))
			fail_msg("\"%s\": database luhn %lld mod11 %lld, form engine %d %d",
				 samples[i], luhn, mod11, bd_luhn_valid(samples[i]),
				 bd_mod11_valid(samples[i]));
	}
	bd_db_free(super);
}

/* --- tenant isolation -------------------------------------------------- */

static void
test_clerk3_never_sees_globex(void **state)
{
	struct bd_db *super = dbtest_connect(&t, NULL), *c3 = dbtest_connect(&t, "clerk3");
	struct bd_db_result *res;
	struct bd_err err;
	char *globex, *globex_doc, doc[32];
	int i;

	(void)state;
	globex = dbtest_text(super, "SELECT client_id::text FROM core.clients WHERE code = $1",
			     "GLOBEX");
	globex_doc = dbtest_text(super,
				 "SELECT min(document_id)::text FROM entry.documents d "
				 "JOIN core.clients c USING (client_id) WHERE c.code = $1 "
				 "AND d.state = 'waiting'",
				 "GLOBEX");
	/* Asking for GLOBEX work is refused as for a client that does not
	 * exist (the entry functions take the code, core.client_id_of). */
	err = dbtest_named_refused(c3, "entry.claim_next", BD_PARAMS(LEASE_S, "GLOBEX"));
	assert_int_equal(err.kind, BD_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "Unknown client GLOBEX"));
	/* Fetching from every client only ever yields ACME (GLOBEX's invoice batch
	 * has a higher priority than ACME's routine claims). */
	for (i = 0; i < 30; i++) {
		res = dbtest_named(c3, "entry.claim_next", BD_PARAMS(LEASE_S, NULL));
		if (bd_db_result_rows(res) == 0) {
			bd_db_result_free(res);
			break;
		}
		assert_string_equal(dbtest_col(res, 0, "client_code"), "ACME");
		snprintf(doc, sizeof(doc), "%s", dbtest_col(res, 0, "document_id"));
		bd_db_result_free(res);
		dbtest_named_ok(c3, "entry.release", BD_PARAMS(doc, "next"));
	}
	assert_true(i > 0);
	/* GLOBEX documents and batches are invisible and untouchable. */
	err = dbtest_named_refused(c3, "entry.release", BD_PARAMS(globex_doc, "x"));
	assert_int_equal(err.kind, BD_ERR_NOT_FOUND);
	err = dbtest_named_refused(c3, "entry.submit",
				   BD_PARAMS(globex_doc, "{}", "1", "0", "1", "0"));
	assert_int_equal(err.kind, BD_ERR_NOT_FOUND);
	assert_int_equal(dbtest_scalar(c3,
				       "SELECT count(*) FROM entry.batches b JOIN core.clients "
				       "c USING (client_id) WHERE c.code = 'GLOBEX'",
				       0, NULL),
			 0);
	res = dbtest_named(c3, "entry.supplier_lookup", BD_PARAMS(globex, ""));
	assert_int_equal(bd_db_result_rows(res), 0);
	bd_db_result_free(res);
	/* Clerks cannot read documents or passes directly (the second pass is blind). */
	assert_true(dbtest_fails(c3, "SELECT * FROM entry.passes", 0, NULL, &err));
	assert_true(dbtest_fails(c3, "SELECT * FROM entry.documents", 0, NULL, &err));
	/* The assigned clerk1 does see GLOBEX suppliers. */
	{
		struct bd_db *c1 = dbtest_connect(&t, "clerk1");

		res = dbtest_named(c1, "entry.supplier_lookup", BD_PARAMS(globex, "hoo"));
		assert_int_equal(bd_db_result_rows(res), 1);
		assert_string_equal(bd_db_result_get(res, 0, 0), "HOOLI");
		bd_db_result_free(res);
		bd_db_free(c1);
	}
	free(globex_doc);
	free(globex);
	bd_db_free(c3);
	bd_db_free(super);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_normalisation),
	    cmocka_unit_test(test_doctype_load_and_versions),
	    cmocka_unit_test(test_import_bad_files_leave_nothing),
	    cmocka_unit_test(test_doctype_screen_must_be_a_form),
	    cmocka_unit_test(test_concurrent_claims_never_share),
	    cmocka_unit_test(test_expired_lease_returns_the_document),
	    cmocka_unit_test(test_drained_batches_leave_the_queue),
	    cmocka_unit_test(test_lanes_spread_the_clerks),
	    cmocka_unit_test(test_second_passes_come_first),
	    cmocka_unit_test(test_first_claim_takes_the_newest_version),
	    cmocka_unit_test(test_dup_values_follow_the_batch),
	    cmocka_unit_test(test_keyed_values_overlay_prefill),
	    cmocka_unit_test(test_second_keyer_must_differ),
	    cmocka_unit_test(test_adjudication_attributes_errors),
	    cmocka_unit_test(test_document_rules_on_submit),
	    cmocka_unit_test(test_check_digits_agree),
	    cmocka_unit_test(test_clerk3_never_sees_globex),
	};
	int failed;

	dbtest_start(&t, true);
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	dbtest_stop(&t);
	return failed;
}
