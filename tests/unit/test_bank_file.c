/*
 * The bank file: pain.001.001.03 that xmllint parses, whose NbOfTxs and
 * CtrlSum (group header and payment block) equal the payments' count and
 * the sum of the net pay, read back from the file itself; the CSV read back
 * by the CSV reader; and what no bank may be sent, refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <locale.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backdesk/bank_file.h"
#include "backdesk/command.h"
#include "backdesk/csv.h"
#include "backdesk/money.h"

static char tmpdir[] = "/tmp/bd_bankfile_XXXXXX";

#define N 1000

static struct bd_bank_payment pays[N];
static char refs[N][24], nums[N][12], names[N][64], accts[N][40];
static int64_t expected_sum;

/* A valid IBAN for the test: GB, bank WEST, sort code 123456, account
 * number `n` (8 digits), with its check digits computed here. */
static void
make_iban(char out[40], unsigned n)
{
	char bban[32];
	unsigned rem = 0;

	snprintf(bban, sizeof(bban), "WEST123456%08u", n);
	/* mod 97 of the BBAN then "GB00", letters as two digits (A=10 .. Z=35) */
	for (const char *p = bban; *p; p++)
		rem = *p >= 'A' ? (rem * 100 + (unsigned)(*p - 'A' + 10)) % 97
				: (rem * 10 + (unsigned)(*p - '0')) % 97;
	rem = (rem * 100 + 16) % 97; /* G */
	rem = (rem * 100 + 11) % 97; /* B */
	rem = (rem * 100) % 97;	     /* 00 */
	snprintf(out, 40, "GB%02u%s", 98 - rem, bban);
}

static struct bd_bank_batch
batch(void)
{
	struct bd_bank_batch b = {
	    .msg_id = "PR-2025-03A-1",
	    .created = "2025-03-14T09:30:00",
	    .execution_date = "2025-03-15",
	    .initiating_name = "Acme Outsourcing & Sons <PH>",
	    .debtor_name = "Acme Outsourcing & Sons <PH>",
	    .debtor_account = "GB82 WEST 1234 5698 7654 32", /* the classic valid one */
	    .debtor_bic = "BOPIPHMM",
	    .currency = "PHP",
	    .scale = 2,
	    .payments = pays,
	    .npayments = N,
	};
	return b;
}

static int
setup(void **state)
{
	static const char *const given[] = {"José Ñúñez", "山田 太郎", "محمد عبد الله",
					    "O'Brien & <Sons>", "Maria Santos"};
	(void)state;
	/* The CSV writer gates its cells by the locale's idea of a character,
	 * as the binary sets it (main.c). */
	if (!setlocale(LC_ALL, "C.UTF-8") || !mkdtemp(tmpdir))
		return -1;
	expected_sum = 0;
	for (int i = 0; i < N; i++) {
		snprintf(refs[i], sizeof(refs[i]), "PR-2025-03A-E%05d", i);
		snprintf(nums[i], sizeof(nums[i]), "E%05d", i);
		snprintf(names[i], sizeof(names[i]), "%s %d", given[i % 5], i);
		if (i % 3)
			make_iban(accts[i], (unsigned)i * 7919u);
		else
			snprintf(accts[i], sizeof(accts[i]), "00%010d",
				 i * 31); /* a local number */
		pays[i] = (struct bd_bank_payment){
		    .end_to_end_id = refs[i],
		    .employee_number = nums[i],
		    .name = names[i],
		    .account = accts[i],
		    .bic = i % 2 ? "BNORPHMMXXX" : NULL,
		    /* from 0.01 to about 95,000.00: every centavo position moves */
		    .amount = 1 + ((int64_t)i * 9500317) % 9500000,
		    .remittance = "Salary 2025-03-01 to 2025-03-15",
		};
		expected_sum += pays[i].amount;
	}
	return 0;
}

static int
teardown(void **state)
{
	const char *argv[] = {"rm", "-rf", tmpdir, NULL};

	(void)state;
	return bd_cli_run_program(argv, NULL, NULL) == 0 ? 0 : -1;
}

static char *
path_of(const char *file)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%s/%s", tmpdir, file);
	return buf;
}

static int
write_xml(const struct bd_bank_batch *b, const char *file, struct bd_bank_totals *t,
	  struct bd_err *err)
{
	FILE *f = fopen(path_of(file), "w");
	int rc;

	assert_non_null(f);
	rc = bd_bank_file_xml(b, f, t, err);
	assert_int_equal(fclose(f), 0);
	return rc;
}

/* The text of every node `xpath` selects, in document order. */
static xmlXPathObjectPtr
select_nodes(xmlDocPtr doc, const char *xpath)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj;

	xmlXPathRegisterNs(ctx, BAD_CAST "p",
			   BAD_CAST "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03");
	obj = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
	xmlXPathFreeContext(ctx);
	assert_non_null(obj);
	assert_non_null(obj->nodesetval);
	return obj;
}

static int64_t
amount_of(xmlNodePtr node)
{
	xmlChar *text = xmlNodeGetContent(node);
	int64_t v;
	struct bd_err err = BD_ERR_INIT;

	if (bd_money_from_numeric((const char *)text, 2, &v, &err) < 0)
		fail_msg("amount '%s': %s", text, err.msg);
	xmlFree(text);
	return v;
}

static void
xml_parses_and_adds_up(void **state)
{
	struct bd_bank_batch b = batch();
	struct bd_bank_totals t;
	struct bd_err err = BD_ERR_INIT;
	struct strbuf out = STRBUF_INIT;
	xmlDocPtr doc;
	xmlXPathObjectPtr amts, sums, counts, ids, nms;
	int64_t sum = 0;

	(void)state;
	if (write_xml(&b, "pay.xml", &t, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(t.count, N);
	assert_int_equal(t.sum, expected_sum);
	{
		const char *argv[] = {"xmllint", "--noout", path_of("pay.xml"), NULL};

		if (bd_cli_run_program(argv, &out, &err) != 0)
			fail_msg("xmllint: %s%s", err.msg, out.buf);
	}
	doc = xmlReadFile(path_of("pay.xml"), NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	amts = select_nodes(doc, "//p:CdtTrfTxInf/p:Amt/p:InstdAmt");
	assert_int_equal(amts->nodesetval->nodeNr, N);
	for (int i = 0; i < amts->nodesetval->nodeNr; i++) {
		xmlChar *ccy = xmlGetProp(amts->nodesetval->nodeTab[i], BAD_CAST "Ccy");

		assert_string_equal((char *)ccy, "PHP");
		xmlFree(ccy);
		assert_int_equal(amount_of(amts->nodesetval->nodeTab[i]), pays[i].amount);
		sum += amount_of(amts->nodesetval->nodeTab[i]);
	}
	assert_int_equal(sum, expected_sum);
	/* The control sum and the count, at both levels, are the file's own. */
	sums = select_nodes(doc, "/p:Document/p:CstmrCdtTrfInitn/*/p:CtrlSum");
	counts = select_nodes(doc, "/p:Document/p:CstmrCdtTrfInitn/*/p:NbOfTxs");
	assert_int_equal(sums->nodesetval->nodeNr, 2);
	assert_int_equal(counts->nodesetval->nodeNr, 2);
	for (int i = 0; i < 2; i++) {
		xmlChar *c = xmlNodeGetContent(counts->nodesetval->nodeTab[i]);

		assert_int_equal(amount_of(sums->nodesetval->nodeTab[i]), sum);
		assert_string_equal((char *)c, "1000");
		xmlFree(c);
	}
	/* Names in any script, escaped and read back as written. */
	nms = select_nodes(doc, "//p:Cdtr/p:Nm");
	assert_int_equal(nms->nodesetval->nodeNr, N);
	for (int i = 0; i < 5; i++) {
		xmlChar *c = xmlNodeGetContent(nms->nodesetval->nodeTab[i]);

		assert_string_equal((char *)c, names[i]);
		xmlFree(c);
	}
	/* IBANs as IBAN (no spaces), other numbers as a generic id. */
	ids = select_nodes(doc, "//p:DbtrAcct/p:Id/p:IBAN");
	assert_int_equal(ids->nodesetval->nodeNr, 1);
	{
		xmlChar *c = xmlNodeGetContent(ids->nodesetval->nodeTab[0]);

		assert_string_equal((char *)c, "GB82WEST12345698765432");
		xmlFree(c);
	}
	xmlXPathFreeObject(ids);
	ids = select_nodes(doc, "//p:CdtrAcct/p:Id/p:IBAN");
	assert_int_equal(ids->nodesetval->nodeNr, N - (N + 2) / 3);
	xmlXPathFreeObject(ids);
	ids = select_nodes(doc, "//p:CdtrAcct/p:Id/p:Othr/p:Id");
	assert_int_equal(ids->nodesetval->nodeNr, (N + 2) / 3);
	xmlXPathFreeObject(ids);
	xmlXPathFreeObject(nms);
	xmlXPathFreeObject(amts);
	xmlXPathFreeObject(sums);
	xmlXPathFreeObject(counts);
	xmlFreeDoc(doc);
	strbuf_release(&out);
}

static void
csv_reads_back(void **state)
{
	struct bd_bank_batch b = batch();
	struct bd_bank_totals t;
	struct bd_err err = BD_ERR_INIT;
	struct strbuf text = STRBUF_INIT;
	struct bd_csv_reader rd;
	struct bd_csv_record rec = {0};
	int64_t sum = 0;
	size_t rows = 0;
	FILE *f = fopen(path_of("pay.csv"), "w");

	(void)state;
	assert_non_null(f);
	if (bd_bank_file_csv(&b, f, &t, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(t.sum, expected_sum);
	assert_int_equal(bd_cli_read_file(path_of("pay.csv"), &text, &err), 0);
	bd_csv_reader_init(&rd, text.buf, text.len, "pay.csv");
	assert_int_equal(bd_csv_next(&rd, &rec, &err), 1);
	assert_string_equal(rec.cells[5], "amount");
	while (bd_csv_next(&rd, &rec, &err) > 0) {
		int64_t v;

		assert_string_equal(rec.cells[0], refs[rows]);
		assert_string_equal(rec.cells[2], names[rows]);
		assert_int_equal(bd_money_from_numeric(rec.cells[5], 2, &v, &err), 0);
		assert_int_equal(v, pays[rows].amount);
		sum += v;
		rows++;
	}
	assert_int_equal(rows, N);
	assert_int_equal(sum, expected_sum);
	bd_csv_record_release(&rec);
	strbuf_release(&text);
}

/* Refused, naming the employee: no file goes to a bank with these. */
static void
refusals(void **state)
{
	struct bd_bank_payment one[2];
	struct bd_bank_batch b = batch();
	struct bd_err err = BD_ERR_INIT;

	(void)state;
	b.payments = one;
	b.npayments = 2;
#define REFUSED(what, want)                                                                        \
	do {                                                                                       \
		one[0] = pays[1];                                                                  \
		one[1] = pays[2];                                                                  \
		what;                                                                              \
		bd_err_clear(&err);                                                                \
		assert_int_equal(write_xml(&b, "bad.xml", NULL, &err), -1);                        \
		if (!strstr(err.msg, want))                                                        \
			fail_msg("'%s' lacks '%s'", err.msg, want);                                \
	} while (0)
	REFUSED(one[1].amount = 0, "E00002: the net pay is not positive");
	REFUSED(one[1].amount = -500, "E00002: the net pay is not positive");
	REFUSED(one[1].account = "", "E00002 has no bank account");
	REFUSED(one[1].account = NULL, "E00002 has no bank account");
	/* GB82WEST12345698765432 with two digits swapped */
	REFUSED(one[0].account = "GB82WEST12345698765423", "check digits are wrong");
	REFUSED(one[0].account = "1234567890123456789012345678901234567", "1 to 34 characters");
	REFUSED(one[0].bic = "BNOR PHMM", "is not a BIC");
	REFUSED(one[0].name = " \t", "E00001 has no name");
	REFUSED(one[0].end_to_end_id = "", "payment reference");
	REFUSED(b.currency = "php", "three capital letters");
	b.currency = "PHP";
	REFUSED(b.npayments = 0, "no payment");
	b.npayments = 2;
	REFUSED(one[0].amount = INT64_MAX - 1, "too large");
	/* The good pair is accepted, so each refusal was the change's. */
	one[0] = pays[1];
	one[1] = pays[2];
	assert_int_equal(write_xml(&b, "good.xml", NULL, &err), 0);
}

/* Text the schema limits: a name cut at 140 characters (not bytes, never
 * inside a character); a control character never reaches the file. */
static void
schema_text_limits(void **state)
{
	struct bd_bank_payment one = pays[1];
	struct bd_bank_batch b = batch();
	struct bd_err err = BD_ERR_INIT;
	char longname[1024] = "";
	xmlDocPtr doc;
	xmlXPathObjectPtr nm;
	xmlChar *c;

	(void)state;
	for (int i = 0; i < 200; i++) {
		size_t len = strlen(longname);
		snprintf(longname + len, sizeof(longname) - len, "%s", i % 2 ? "名" : "a");
	}
	one.name = longname;
	one.remittance = "Salary\x1b[31m March";
	b.payments = &one;
	b.npayments = 1;
	assert_int_equal(write_xml(&b, "limits.xml", NULL, &err), 0);
	doc = xmlReadFile(path_of("limits.xml"), NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	nm = select_nodes(doc, "//p:Cdtr/p:Nm");
	c = xmlNodeGetContent(nm->nodesetval->nodeTab[0]);
	assert_int_equal(xmlUTF8Strlen(c), 140);
	assert_int_equal(strlen((char *)c), 70 + 70 * 3);
	xmlFree(c);
	xmlXPathFreeObject(nm);
	nm = select_nodes(doc, "//p:RmtInf/p:Ustrd");
	c = xmlNodeGetContent(nm->nodesetval->nodeTab[0]);
	assert_string_equal((char *)c, "Salary [31m March");
	xmlFree(c);
	xmlXPathFreeObject(nm);
	xmlFreeDoc(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(xml_parses_and_adds_up),
	    cmocka_unit_test(csv_reads_back),
	    cmocka_unit_test(refusals),
	    cmocka_unit_test(schema_text_limits),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);

	xmlCleanupParser();
	return rc;
}
