/*
 * The database checks every rule a document type states for a field, as the
 * form engine does: the shared sample (tests/fixtures/field_rules/corpus.txt)
 * through entry.check_values on document types loaded by the real loader,
 * case by case against the verdict the engine's test also asserts
 * (tests/unit/test_field_rules.c); the rules of a version stored before
 * 031_field_rules, read from its screen text, equal the loader's; and the
 * attack of issue 15 (clerk3's 900-character name, impossible birth date and
 * negative amount) through the real F2, adjudication and QA calls, each
 * refused naming the field.
 */
#include "dbtest.h"
#include "field_corpus.h"

#include "backdesk/embedded.h"
#include "backdesk/entry.h"
#include "backdesk/json.h"
#include "backdesk/strbuf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static struct dbtest t;

static const char LEASE_S[] = "300";

/* The rules entry.c adds to a field's JSON since 031 (add_field_rules):
 * without them, a version's fields JSON is as loaded before 031. */
static const char STRIP_031[] =
    "(SELECT jsonb_agg(e - 'length' - 'upshift' - 'pattern' - 'picture' - 'min' - 'max' "
    "ORDER BY o) FROM jsonb_array_elements(v.fields) WITH ORDINALITY x(e, o))";

/* Every corpus case through entry.check_values on a document type holding
 * that field, loaded as a supervisor: the verdict the corpus states, and a
 * refusal names the field. */
static void
test_corpus_agrees_with_the_engine(void **state)
{
	struct bd_db *super = dbtest_connect(&t, NULL), *sup = dbtest_connect(&t, "super1");
	struct field_corpus c;
	struct strbuf sql = STRBUF_INIT;
	size_t i, wrong = 0;

	(void)state;
	field_corpus_load(&c);
	for (i = 0; i < c.ndefs; i++) {
		struct bd_err err = BD_ERR_INIT;
		char name[32], *text;

		snprintf(name, sizeof(name), "rules%zu", i);
		text = field_corpus_screen(&c, i, name);
		if (bd_entry_doctype_load(sup, "ACME", text, "corpus.txt", NULL, &err) < 0)
			fail_msg("corpus.txt:%d: %s", c.def_lines[i], err.msg);
		free(text);
	}
	strbuf_addstr(&sql,
		      "SELECT entry.check_values(v, jsonb_build_object('f', $2::text), "
		      "'keyed', true) "
		      "FROM entry.doctype_versions v JOIN entry.doctypes t "
		      "USING (client_id, doctype_id) JOIN core.clients k USING (client_id) "
		      "WHERE k.code = 'ACME' AND t.code = $1 AND v.version = t.newest_version");
	for (i = 0; i < c.ncases; i++) {
		const struct field_case *k = &c.cases[i];
		struct bd_err err = BD_ERR_INIT;
		struct bd_db_result *res;
		char name[32];

		snprintf(name, sizeof(name), "rules%zu", k->def);
		res = dbtest_query(super, sql.buf, 2, (const char *const[]){name, k->value}, &err);
		if (res && bd_db_result_rows(res) != 1)
			fail_msg("corpus.txt:%d: no document type %s", k->line, name);
		if ((res != NULL) != k->accept) {
			fprintf(stderr, "corpus.txt:%d: expected %s, the database %s (%s)\n",
				k->line, k->accept ? "accept" : "refuse",
				res ? "accepts" : "refuses", res ? "" : err.msg);
			wrong++;
		} else if (!res && (err.kind != BD_ERR_INVALID || strcmp(err.field, "f") != 0)) {
			fprintf(stderr, "corpus.txt:%d: refused without naming the field: %s\n",
				k->line, err.msg);
			wrong++;
		}
		bd_db_result_free(res);
	}
	assert_true(c.ncases >= 60);
	assert_int_equal(wrong, 0);

	/* The rules a version loaded before 031 gets from its screen text are the
	 * loader's, for every field of the corpus and the shipped types. */
	strbuf_reset(&sql);
	strbuf_addf(&sql,
		    "SELECT count(*) FILTER (WHERE entry.screen_fields(v.screen, %s) "
		    "IS DISTINCT FROM v.fields "
		    "OR entry.compile_checks(%s, v.screen) IS DISTINCT FROM v.checks), count(*) "
		    "FROM entry.doctype_versions v "
		    /* Grids came after 031: no version stored before it has one,
		     * and entry.screen_fields reads plain fields only. */
		    "WHERE v.screen !~ '(^|\\n)[ \\t]*grids[ \\t]*='",
		    STRIP_031, STRIP_031);
	{
		struct bd_err err = BD_ERR_INIT;
		struct bd_db_result *res = dbtest_query(super, sql.buf, 0, NULL, &err);

		if (!res)
			fail_msg("%s", err.msg);
		assert_string_equal(bd_db_result_get(res, 0, 0), "0");
		assert_true(atoi(bd_db_result_get(res, 0, 1)) >= (int)c.ndefs + 2);
		bd_db_result_free(res);
	}
	strbuf_release(&sql);
	field_corpus_release(&c);
	bd_db_free(sup);
	bd_db_free(super);
}

/* Rules across fields: each document of the corpus through
 * entry.check_values on a document type loaded by the real loader: the
 * verdict the corpus states, blaming the field it names (the engine's test
 * asserts the same). */
static void
test_corpus_form_rules(void **state)
{
	struct bd_db *super = dbtest_connect(&t, NULL), *sup = dbtest_connect(&t, "super1");
	struct field_corpus c;
	size_t i, j, wrong = 0;

	(void)state;
	field_corpus_load(&c);
	for (i = 0; i < c.nforms; i++) {
		struct bd_err err = BD_ERR_INIT;
		char name[32], *text;

		snprintf(name, sizeof(name), "xrules%zu", i);
		text = field_corpus_form_screen(&c, i, name);
		if (bd_entry_doctype_load(sup, "ACME", text, "corpus.txt", NULL, &err) < 0)
			fail_msg("corpus.txt:%d: %s", c.form_lines[i], err.msg);
		free(text);
	}
	for (i = 0; i < c.nfcases; i++) {
		const struct form_case *k = &c.fcases[i];
		struct bd_err err = BD_ERR_INIT;
		struct bd_db_result *res;
		struct strbuf json = STRBUF_INIT;
		struct bd_json jw;
		char name[32];

		snprintf(name, sizeof(name), "xrules%zu", k->form);
		bd_json_init(&jw, &json);
		bd_json_begin_object(&jw);
		for (j = 0; j < k->n; j++) {
			bd_json_key(&jw, k->names[j]);
			bd_json_str(&jw, k->values[j]);
		}
		bd_json_end_object(&jw);
		res = dbtest_query(
		    super,
		    "SELECT entry.check_values(v, $2::jsonb, 'keyed', true) "
		    "FROM entry.doctype_versions v JOIN entry.doctypes t "
		    "USING (client_id, doctype_id) JOIN core.clients k USING (client_id) "
		    "WHERE k.code = 'ACME' AND t.code = $1 AND v.version = t.newest_version",
		    2, (const char *const[]){name, json.buf}, &err);
		if (res && bd_db_result_rows(res) != 1)
			fail_msg("corpus.txt:%d: no document type %s", k->line, name);
		if ((res != NULL) != k->accept) {
			fprintf(stderr, "corpus.txt:%d: expected %s, the database %s (%s)\n",
				k->line, k->accept ? "accept" : "refuse",
				res ? "accepts" : "refuses", res ? "" : err.msg);
			wrong++;
		} else if (!res &&
			   (err.kind != BD_ERR_INVALID || strcmp(err.field, k->blame) != 0)) {
			fprintf(stderr, "corpus.txt:%d: the database blames %s, not %s (%s)\n",
				k->line, err.field, k->blame, err.msg);
			wrong++;
		}
		bd_db_result_free(res);
		strbuf_release(&json);
	}
	assert_true(c.nfcases >= 25);
	assert_int_equal(wrong, 0);
	field_corpus_release(&c);
	bd_db_free(sup);
	bd_db_free(super);
}

/* The client id entry.code_search takes (the keying screen holds it). */
static char *
acme_id(struct bd_db *super)
{
	return dbtest_text(super, "SELECT client_id::text FROM core.clients WHERE code = $1",
			   "ACME");
}

/* The shipped CMS-1500-like claim (screens/doctypes/cms1500.conf) is what
 * the demo stored, reloading it is a no-op (its fields and rules JSON in
 * sql/demo/seed_forms.sql are the loader's), and a claim with a pointer at
 * an empty diagnosis on line 4 is refused naming ptr4. */
static void
test_shipped_cms1500(void **state)
{
	struct bd_db *super = dbtest_connect(&t, NULL), *sup = dbtest_connect(&t, "super1");
	const struct bd_embedded_file *f = bd_embedded_find("screens/doctypes/cms1500.conf");
	struct bd_err err = BD_ERR_INIT;
	char *stored;
	int version = 0;
	static const char sql[] =
	    "SELECT entry.check_values(v, $1::jsonb, 'keyed', true) "
	    "FROM entry.doctype_versions v JOIN entry.doctypes t USING (client_id, doctype_id) "
	    "JOIN core.clients k USING (client_id) WHERE k.code = 'ACME' AND t.code = 'cms1500' "
	    "AND v.version = t.newest_version";
	static const char good[] =
	    "{\"patient\":\"DOE, JANE\",\"dob\":\"1980-03-12\",\"insured_id\":\"W123456789\","
	    "\"billing_npi\":\"1234567893\",\"total_charge\":\"200.00\","
	    "\"dx1\":\"J20.9\",\"dx2\":\"R05.9\",\"from1\":\"2024-06-01\",\"pos1\":\"11\","
	    "\"cpt1\":\"99213\",\"ptr1\":\"AB\",\"charges1\":\"125.00\",\"units1\":\"1\","
	    "\"from4\":\"2024-06-01\",\"pos4\":\"11\",\"cpt4\":\"85025\",\"ptr4\":\"B\","
	    "\"charges4\":\"75.00\",\"units4\":\"1\"}";
	struct strbuf bad = STRBUF_INIT;
	struct bd_db_result *res;

	(void)state;
	assert_non_null(f);
	stored = dbtest_text(super,
			     "SELECT v.screen FROM entry.doctype_versions v JOIN entry.doctypes t "
			     "USING (client_id, doctype_id) JOIN core.clients c USING (client_id) "
			     "WHERE c.code = 'ACME' AND t.code = $1 AND v.version = 1",
			     "cms1500");
	assert_string_equal(stored, f->data);
	free(stored);
	assert_int_equal(
	    bd_entry_doctype_load(sup, "ACME", f->data, "cms1500.conf", &version, &err), 0);
	assert_int_equal(version, 1);
	res = dbtest_query(super, sql, 1, (const char *const[]){good}, &err);
	if (!res)
		fail_msg("%s", err.msg);
	bd_db_result_free(res);
	strbuf_addstr(&bad, good);
	strbuf_setlen(&bad, bad.len - 1);
	strbuf_addstr(&bad, ",\"ptr4\":\"BD\"}");
	assert_null(dbtest_query(super, sql, 1, (const char *const[]){bad.buf}, &err));
	assert_string_equal(err.field, "ptr4");
	assert_string_equal(err.msg,
			    "Ptr (line 4): D points at 21 Diagnosis (line 4), which is empty");
	strbuf_reset(&bad);
	strbuf_addstr(&bad, good);
	strbuf_setlen(&bad, bad.len - 1);
	strbuf_addstr(&bad, ",\"units4\":\"\"}");
	assert_null(dbtest_query(super, sql, 1, (const char *const[]){bad.buf}, &err));
	assert_string_equal(err.field, "units4");
	strbuf_reset(&bad);
	strbuf_addstr(&bad, good);
	strbuf_setlen(&bad, bad.len - 1);
	strbuf_addstr(&bad, ",\"billing_npi\":\"1234567897\"}");
	assert_null(dbtest_query(super, sql, 1, (const char *const[]){bad.buf}, &err));
	assert_string_equal(err.field, "billing_npi");
	strbuf_release(&bad);
	bd_db_free(sup);
	bd_db_free(super);
}

/* --- code tables ---------------------------------------------------------- */

/* A code table's CSV of n codes: D0000000.. with a description holding one
 * word that only code 77777 has; `extra` appended as it is. */
static void
codes_csv(struct strbuf *csv, int n, const char *extra)
{
	strbuf_reset(csv);
	strbuf_addstr(csv, "code,description,valid_from,valid_to\n");
	for (int i = 0; i < n; i++)
		strbuf_addf(csv, "D%07d,\"%s condition, site %d\",,\n", i,
			    i == 77777 ? "Zygomycosis"
			    : i % 2    ? "Chronic"
				       : "Acute",
			    i % 97);
	strbuf_addstr(csv, extra);
}

static void
load_codes(struct bd_db *db, const char *csv_text, const char *want)
{
	struct strbuf json = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	size_t n;

	if (bd_entry_codes_rows(csv_text, strlen(csv_text), "codes.csv", &json, &n, &err) < 0)
		fail_msg("%s", err.msg);
	res = dbtest_named(db, "entry.codes_load", BD_PARAMS("ACME", "icd", json.buf));
	assert_string_equal(bd_db_result_get(res, 0, 0), want);
	bd_db_result_free(res);
	strbuf_release(&json);
}

/* F4 as the keying screen runs it: entry.code_lookup($1 client id, $2
 * typed, $3 table). The rows' codes, comma-separated. */
static char *
f4(struct bd_db *db, const char *acme, const char *typed)
{
	struct bd_db_result *res =
	    dbtest_named(db, "entry.code_lookup", BD_PARAMS(acme, typed, "icd"));
	struct strbuf out = STRBUF_INIT;

	for (int r = 0; r < bd_db_result_rows(res); r++)
		strbuf_addf(&out, "%s%s", r ? "," : "", bd_db_result_get(res, r, 0));
	bd_db_result_free(res);
	return strbuf_detach(&out, NULL);
}

/* 100,000 codes loaded, searched by a word and a code's start, replaced
 * whole; a bad file refused with its line and the table left as it was;
 * a field naming the table checked on submit, as of the codes' dates. */
static void
test_code_table(void **state)
{
	struct bd_db *super = dbtest_connect(&t, NULL), *sup = dbtest_connect(&t, "super1"),
		     *c1 = dbtest_connect(&t, "clerk1");
	struct strbuf csv = STRBUF_INIT, json = STRBUF_INIT;
	struct bd_err err = BD_ERR_INIT;
	char *acme = acme_id(super), *got;
	size_t n;

	(void)state;
	codes_csv(&csv, 100000, "");
	load_codes(sup, csv.buf, "100000");
	got = f4(c1, acme, "zygomycosis");
	assert_string_equal(got, "D0077777");
	free(got);
	got = f4(c1, acme, "d000777");
	assert_string_equal(got, "D0007770,D0007771,D0007772,D0007773,D0007774,D0007775,"
				 "D0007776,D0007777,D0007778,D0007779");
	free(got);
	got = f4(c1, acme, "site 96 chronic"); /* every word, in any order */
	assert_int_equal(strlen(got) > 0, 1);
	assert_null(strstr(got, "D0000000"));
	free(got);
	got = f4(c1, acme, "100%"); /* LIKE's characters are literal */
	assert_string_equal(got, "");
	free(got);

	/* A bad file: refused with its line, the old table stays. */
	codes_csv(&csv, 3, "D0000001,Again,,\n");
	assert_int_equal(bd_entry_codes_rows(csv.buf, csv.len, "codes.csv", &json, &n, &err), -1);
	assert_string_equal(err.msg, "codes.csv:5: code D0000001 is already on line 3");
	codes_csv(&csv, 1, "X1,Late,2030-02-30,\n");
	assert_int_equal(bd_entry_codes_rows(csv.buf, csv.len, "codes.csv", &json, &n, &err), -1);
	assert_string_equal(err.msg,
			    "codes.csv:3: valid_from \"2030-02-30\" is not a date as YYYY-MM-DD");
	err = dbtest_named_refused(sup, "entry.codes_load",
				   BD_PARAMS("ACME", "icd",
					     "[[\"A\",\"x\",null,null],"
					     "[\"A\",\"y\",null,null]]"));
	assert_string_equal(err.msg, "Code 2 is in the table twice");
	assert_int_equal(dbtest_scalar(super,
				       "SELECT count(*) FROM entry.codes WHERE code_table = 'icd'",
				       0, NULL),
			 100000);
	/* A clerk may not load one. */
	err = dbtest_named_refused(c1, "entry.codes_load", BD_PARAMS("ACME", "icd", "[]"));
	assert_int_equal(err.kind, BD_ERR_PERMISSION);

	/* Replaced whole: the old codes are gone; dates of effect. */
	strbuf_reset(&csv);
	strbuf_addstr(&csv, "Description,Code,Valid_To,Valid_From\n"
			    "Acute bronchitis,J20.9,,\n"
			    "Old code,J99.0,2000-12-31,1990-01-01\n"
			    "New code,J99.1,,2199-01-01\n");
	load_codes(sup, csv.buf, "3");
	got = f4(c1, acme, "zygomycosis");
	assert_string_equal(got, "");
	free(got);
	got = f4(c1, acme, "");
	assert_string_equal(got, "J20.9"); /* only the code in effect */
	free(got);
	{
		static const char screen[] =
		    "screen = { name = \"coded\"; title = \"Coded\"; fields = (\n"
		    "  { name = \"dx\"; label = \"Diagnosis\"; type = \"lookup\"; width = 7;"
		    " upshift = true; codes = \"icd\"; } ); };\n";
		static const char sql[] = "SELECT entry.check_values(v, jsonb_build_object('dx', "
					  "$1::text), 'keyed', true) "
					  "FROM entry.doctype_versions v JOIN entry.doctypes t "
					  "USING (client_id, doctype_id) WHERE t.code = 'coded'";
		struct bd_db_result *res;

		if (bd_entry_doctype_load(sup, "ACME", screen, "coded.conf", NULL, &err) < 0)
			fail_msg("%s", err.msg);
		res = dbtest_query(super, sql, 1, (const char *const[]){"J20.9"}, &err);
		assert_non_null(res);
		bd_db_result_free(res);
		assert_null(dbtest_query(super, sql, 1, (const char *const[]){"J99.0"}, &err));
		assert_string_equal(err.msg,
				    "Diagnosis J99.0 is not a code of icd in effect today");
		assert_string_equal(err.field, "dx");
		assert_null(dbtest_query(super, sql, 1, (const char *const[]){"J99.1"}, &err));
		assert_string_equal(err.field, "dx");
	}
	free(acme);
	strbuf_release(&csv);
	strbuf_release(&json);
	bd_db_free(c1);
	bd_db_free(sup);
	bd_db_free(super);
}

/* --- the attack, through the real calls --------------------------------- */

/* A claim as the screen sends it (every field, saved forms), with `change`
 * spliced over it (a repeated key: the last one wins). */
static char *
claim_values(const char *change)
{
	struct strbuf json = STRBUF_INIT;

	strbuf_addstr(
	    &json, "{\"patient\":\"Smith, John\",\"birth_date\":\"1980-03-12\","
		   "\"policy\":\"AC-10237576\",\"relation\":\"SELF\","
		   "\"service_from\":\"2024-06-01\",\"service_to\":\"\","
		   "\"provider\":\"Dr Patel Clinic\",\"proc1\":\"99213\",\"diag1\":\"J06.9\","
		   "\"amount1\":\"125.00\",\"proc2\":\"\",\"diag2\":\"\",\"amount2\":\"\","
		   "\"proc3\":\"\",\"diag3\":\"\",\"amount3\":\"\",\"proc4\":\"\",\"diag4\":\"\","
		   "\"amount4\":\"\",\"total\":\"125.00\",\"patient_paid\":\"\","
		   "\"emergency\":\"N\",\"remarks\":\"\"");
	if (*change)
		strbuf_addf(&json, ",%s", change);
	strbuf_addch(&json, '}');
	return strbuf_detach(&json, NULL);
}

static char *
acme_code(struct bd_db *super)
{
	/* what the entry functions take (core.client_id_of) */
	return dbtest_text(super, "SELECT code FROM core.clients WHERE code = $1", "ACME");
}

/* A version whose fields JSON is as entry.c wrote it before 031 (a
 * doctype loaded before the migration: no length, pattern, picture, min,
 * max or upshift) gets every rule from its screen text all the same. */
static void
test_version_loaded_before_031(void **state)
{
	struct bd_db *super = dbtest_connect(&t, NULL), *sup = dbtest_connect(&t, "super1");
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	struct strbuf sql = STRBUF_INIT, name = STRBUF_INIT;
	char *values;
	int i;

	(void)state;
	strbuf_addf(
	    &sql,
	    "SELECT entry.doctype_load('ACME', 'oldclaim', 'Claim as loaded before 031', "
	    "v.screen, %s, v.rules) "
	    "FROM entry.doctype_versions v JOIN entry.doctypes t USING (client_id, doctype_id) "
	    "JOIN core.clients k USING (client_id) "
	    "WHERE k.code = 'ACME' AND t.code = 'claim' AND v.version = t.newest_version",
	    STRIP_031);
	res = dbtest_query(sup, sql.buf, 0, NULL, &err);
	if (!res)
		fail_msg("%s", err.msg);
	bd_db_result_free(res);
	assert_int_equal(dbtest_scalar(super,
				       "SELECT count(*) FROM entry.doctype_versions v "
				       "JOIN entry.doctypes t USING (client_id, doctype_id), "
				       "jsonb_array_elements(v.fields) e "
				       "WHERE t.code = 'oldclaim' AND e ? 'length'",
				       0, NULL),
			 0);
	strbuf_addch(&name, 'x');
	for (i = 0; i < 900; i++)
		strbuf_addch(&name, 'x');
	err = (struct bd_err)BD_ERR_INIT;
	assert_null(dbtest_query(
	    super,
	    "SELECT entry.check_values(v, jsonb_build_object('patient', $1::text), 'keyed', true) "
	    "FROM entry.doctype_versions v JOIN entry.doctypes t USING (client_id, doctype_id) "
	    "WHERE t.code = 'oldclaim'",
	    1, (const char *const[]){name.buf}, &err));
	assert_string_equal(err.msg, "Patient name is longer than 60 characters");
	assert_string_equal(err.field, "patient");
	values = claim_values("\"amount2\":\"-500.00\"");
	err = (struct bd_err)BD_ERR_INIT;
	assert_null(dbtest_query(
	    super,
	    "SELECT entry.check_values(v, $1::jsonb, 'keyed', true) "
	    "FROM entry.doctype_versions v JOIN entry.doctypes t USING (client_id, doctype_id) "
	    "WHERE t.code = 'oldclaim'",
	    1, (const char *const[]){values}, &err));
	assert_string_equal(err.msg, "Amount (line 2) must be between 0.00 and 999999.99");
	assert_string_equal(err.field, "amount2");
	free(values);
	strbuf_release(&name);
	strbuf_release(&sql);
	bd_db_free(sup);
	bd_db_free(super);
}

/* Claims the next ACME document as db; its id into doc. */
static void
claim(struct bd_db *db, const char *acme, char *doc, size_t size)
{
	struct bd_db_result *res = dbtest_named(db, "entry.claim_next", BD_PARAMS(LEASE_S, acme));

	assert_int_equal(bd_db_result_rows(res), 1);
	assert_string_equal(dbtest_col(res, 0, "doctype_code"), "claim");
	snprintf(doc, size, "%s", dbtest_col(res, 0, "document_id"));
	bd_db_result_free(res);
}

/* The F2 of `values` must be refused with `msg`, blaming `field`. */
static void
f2_refused(struct bd_db *db, const char *acme, const char *doc, const char *change, const char *msg,
	   const char *field)
{
	char *values = claim_values(change);
	struct bd_err err = dbtest_named_refused(
	    db, "entry.submit_and_claim_next",
	    BD_PARAMS(doc, values, "40", "2", "30", "10", LEASE_S, acme, NULL));

	assert_int_equal(err.kind, BD_ERR_INVALID);
	assert_string_equal(err.msg, msg);
	assert_string_equal(err.field, field);
	free(values);
}

/* Issue 15: clerk3 sent a 900-character name, an impossible birth date and
 * -500.00 where the minimum is 0, and the database stored them. Each is now
 * refused by the F2 itself, naming the field (and the line), and nothing of
 * the document changes; the honest claim then goes through. */
static void
test_attack_refused_on_submit(void **state)
{
	struct bd_db *super = dbtest_connect(&t, NULL), *c3 = dbtest_connect(&t, "clerk3");
	struct bd_db_result *res;
	struct strbuf name = STRBUF_INIT;
	char *acme = acme_code(super), *values, doc[32];
	int i;

	(void)state;
	claim(c3, acme, doc, sizeof(doc));
	strbuf_addstr(&name, "\"patient\":\"");
	for (i = 0; i < 900; i++)
		strbuf_addch(&name, 'A' + i % 26);
	strbuf_addch(&name, '"');
	f2_refused(c3, acme, doc, name.buf, "Patient name is longer than 60 characters", "patient");
	f2_refused(c3, acme, doc, "\"birth_date\":\"31/02/1850 not a date\"",
		   "Date of birth must be a date as YYYY-MM-DD", "birth_date");
	f2_refused(c3, acme, doc, "\"birth_date\":\"1850-02-31\"",
		   "Date of birth is not a real date", "birth_date");
	f2_refused(c3, acme, doc, "\"birth_date\":\"infinity\"",
		   "Date of birth must be a date as YYYY-MM-DD", "birth_date");
	f2_refused(c3, acme, doc, "\"amount2\":\"-500.00\"",
		   "Amount (line 2) must be between 0.00 and 999999.99", "amount2");
	f2_refused(c3, acme, doc, "\"amount3\":\"NaN\"",
		   "Amount (line 3) must be an amount like 1234.00", "amount3");
	/* All three at once: the first in screen order. */
	strbuf_addstr(&name, ",\"birth_date\":\"31/02/1850 not a date\",\"amount2\":\"-500.00\"");
	f2_refused(c3, acme, doc, name.buf, "Patient name is longer than 60 characters", "patient");
	/* A value not in its saved form is refused too (the screen never sends one). */
	f2_refused(c3, acme, doc, "\"amount1\":\"125\"",
		   "Amount (line 1) must be an amount like 1234.00", "amount1");
	f2_refused(c3, acme, doc, "\"policy\":\"ac-10237576\"", "Policy no must be in capitals",
		   "policy");

	/* Nothing was kept of the refused submits. */
	assert_int_equal(dbtest_scalar(super,
				       "SELECT count(*) FROM entry.passes WHERE document_id = $1",
				       BD_PARAMS(doc)),
			 0);
	values = claim_values("");
	res = dbtest_named(c3, "entry.submit_and_claim_next",
			   BD_PARAMS(doc, values, "40", "2", "30", "10", LEASE_S, acme, NULL));
	bd_db_result_free(res);
	assert_int_equal(dbtest_scalar(super,
				       "SELECT count(*) FROM entry.passes WHERE document_id = $1 "
				       "AND operator = 'clerk3'",
				       BD_PARAMS(doc)),
			 1);
	free(values);
	free(acme);
	strbuf_release(&name);
	bd_db_free(c3);
	bd_db_free(super);
}

/* Imports one claim into a new top-priority ACME batch in `mode`. */
static void
one_claim_batch(const char *mode, const char *ref)
{
	struct bd_db *sup = dbtest_connect(&t, "super1");
	struct bd_entry_import imp = {"ACME", "claim", mode, 99, "24", ref};
	struct bd_err err = BD_ERR_INIT;
	char csv[64];

	snprintf(csv, sizeof(csv), "external_ref\n%s\n", ref);
	if (bd_entry_batch_import(sup, &imp, csv, strlen(csv), "rules.csv", NULL, NULL, &err) < 0)
		fail_msg("import: %s", err.msg);
	bd_db_free(sup);
}

/* The adjudicator's re-keyed value meets the same rules. */
static void
test_adjudication_checked(void **state)
{
	struct bd_db *super = dbtest_connect(&t, NULL), *c1 = dbtest_connect(&t, "clerk1"),
		     *c2 = dbtest_connect(&t, "clerk2"), *c3 = dbtest_connect(&t, "clerk3");
	struct bd_db_result *res;
	struct bd_err err;
	char *acme = acme_code(super), *v1, *v2, doc[32], again[32];

	(void)state;
	one_claim_batch("double", "ADJ-1");
	v1 = claim_values("");
	v2 = claim_values("\"amount1\":\"120.00\",\"total\":\"120.00\"");
	claim(c1, acme, doc, sizeof(doc));
	dbtest_named_ok(c1, "entry.submit", BD_PARAMS(doc, v1, "1", "0", "1", NULL));
	claim(c2, acme, again, sizeof(again));
	assert_string_equal(again, doc);
	res = dbtest_named(c2, "entry.submit", BD_PARAMS(doc, v2, "1", "0", "1", NULL));
	assert_string_equal(bd_db_result_get(res, 0, 0), "adjudication");
	bd_db_result_free(res);

	res = dbtest_named(c3, "entry.adjudication_next", BD_PARAMS(LEASE_S, acme));
	assert_string_equal(dbtest_col(res, 0, "document_id"), doc);
	bd_db_result_free(res);
	err = dbtest_named_refused(
	    c3, "entry.adjudicate",
	    BD_PARAMS(doc, "{\"amount1\":{\"value\":\"-500.00\"},\"total\":{\"pick\":1}}", NULL));
	assert_int_equal(err.kind, BD_ERR_INVALID);
	assert_string_equal(err.msg, "Amount (line 1) must be between 0.01 and 999999.99");
	assert_string_equal(err.field, "amount1");
	err = dbtest_named_refused(
	    c3, "entry.adjudicate",
	    BD_PARAMS(doc, "{\"amount1\":{\"value\":\"125.5\"},\"total\":{\"pick\":1}}", NULL));
	assert_string_equal(err.field, "amount1");
	res =
	    dbtest_named(c3, "entry.adjudicate",
			 BD_PARAMS(doc, "{\"amount1\":{\"pick\":1},\"total\":{\"pick\":1}}", NULL));
	assert_string_equal(bd_db_result_get(res, 0, 0), "done");
	bd_db_result_free(res);
	free(v1);
	free(v2);
	free(acme);
	bd_db_free(c3);
	bd_db_free(c2);
	bd_db_free(c1);
	bd_db_free(super);
}

/* A QA reviewer's correction meets the same rules. */
static void
test_qa_correction_checked(void **state)
{
	struct bd_db *super = dbtest_connect(&t, NULL), *sup = dbtest_connect(&t, "super1"),
		     *c1 = dbtest_connect(&t, "clerk1"), *c2 = dbtest_connect(&t, "clerk2");
	struct bd_db_result *res;
	struct bd_err err;
	char *acme = acme_code(super), *values = claim_values(""), doc[32];

	(void)state;
	dbtest_named_ok(sup, "supervisor.set_qa_rate", BD_PARAMS("ACME", "claim", "1"));
	one_claim_batch("single_qa", "QA-1");
	claim(c1, acme, doc, sizeof(doc));
	res = dbtest_named(c1, "entry.submit", BD_PARAMS(doc, values, "1", "0", "1", NULL));
	assert_string_equal(bd_db_result_get(res, 0, 0), "qa");
	bd_db_result_free(res);

	res = dbtest_named(c2, "qa.next", BD_PARAMS(LEASE_S, acme));
	assert_string_equal(dbtest_col(res, 0, "document_id"), doc);
	bd_db_result_free(res);
	err = dbtest_named_refused(
	    c2, "qa.review",
	    BD_PARAMS(doc, "{\"birth_date\":{\"ok\":false,\"value\":\"31/02/1850 not a date\"}}",
		      NULL));
	assert_int_equal(err.kind, BD_ERR_INVALID);
	assert_string_equal(err.msg, "Date of birth must be a date as YYYY-MM-DD");
	assert_string_equal(err.field, "birth_date");
	err = dbtest_named_refused(
	    c2, "qa.review",
	    BD_PARAMS(doc, "{\"birth_date\":{\"ok\":false,\"value\":\"1899-12-31\"}}", NULL));
	assert_string_equal(err.msg, "Date of birth is not a real date"); /* before 1900 */
	res = dbtest_named(
	    c2, "qa.review",
	    BD_PARAMS(doc, "{\"birth_date\":{\"ok\":false,\"value\":\"1980-03-21\"}}", NULL));
	assert_string_equal(bd_db_result_get(res, 0, 0), "done");
	bd_db_result_free(res);
	dbtest_named_ok(sup, "supervisor.set_qa_rate", BD_PARAMS("ACME", "claim", "0.10"));
	free(values);
	free(acme);
	bd_db_free(c2);
	bd_db_free(c1);
	bd_db_free(sup);
	bd_db_free(super);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_corpus_agrees_with_the_engine),
	    cmocka_unit_test(test_version_loaded_before_031),
	    cmocka_unit_test(test_attack_refused_on_submit),
	    cmocka_unit_test(test_adjudication_checked),
	    cmocka_unit_test(test_qa_correction_checked),
	    cmocka_unit_test(test_corpus_form_rules),
	    cmocka_unit_test(test_shipped_cms1500),
	    cmocka_unit_test(test_code_table),
	};
	int failed;

	dbtest_start(&t, true);
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	dbtest_stop(&t);
	return failed;
}
