/* General ledger glue: CSV of results, journal export and import (CSV and JSON
 * through base csv.h and json.h). */
#include "backdesk/ledger.h"

#include "backdesk/csv.h"
#include "backdesk/date.h"
#include "backdesk/json.h"
#include "backdesk/money.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { SCALE = 2 };

enum bd_ledger_format
bd_ledger_format_of(const char *path)
{
	size_t n = strlen(path);

	if (n >= 4 && !strcasecmp(path + n - 4, ".csv"))
		return BD_LEDGER_FORMAT_CSV;
	return BD_LEDGER_FORMAT_HLEDGER;
}

/* --- CSV ----------------------------------------------------------------- */

void
bd_ledger_csv(struct strbuf *out, const struct bd_db_result *res)
{
	int rows = bd_db_result_rows(res), cols = bd_db_result_cols(res), r, c;

	for (r = -1; r < rows; r++) {
		for (c = 0; c < cols; c++)
			bd_csv_cell(
			    out, r < 0 ? bd_db_result_colname(res, c) : bd_db_result_get(res, r, c),
			    c == 0);
		bd_csv_end_record(out);
	}
}

/* --- export -------------------------------------------------------------- */

/* The columns of ledger.export_open, in its order: looked up by position,
 * as a name lookup per field was a good part of the time of a big export. */
enum export_col {
	EX_ENTRY_ID,
	EX_DATE,
	EX_JOURNAL,
	EX_NUMBER,
	EX_REFERENCE,
	EX_DESCRIPTION,
	EX_LINE_NO,
	EX_ACCOUNT,
	EX_ACCOUNT_NAME,
	EX_ACCOUNT_TYPE,
	EX_DEBIT,
	EX_CREDIT,
	EX_MEMO,
};

static const char *
hledger_type(const char *type)
{
	if (!strcmp(type, "asset"))
		return "assets";
	if (!strcmp(type, "liability"))
		return "liabilities";
	if (!strcmp(type, "equity"))
		return "equity";
	if (!strcmp(type, "income"))
		return "revenues";
	return "expenses";
}

/* Appends s for a journal: one line, no runs of spaces (two spaces end an
 * account name), and none of the characters in `bad` (replaced by '-'). */
static void
journal_text(struct strbuf *out, const char *s, const char *bad)
{
	struct strbuf safe = STRBUF_INIT;
	bool space = false;
	const char *p;

	bd_gate(&safe, s, strlen(s), -1);
	for (p = safe.buf; *p; p++) {
		if (isspace((unsigned char)*p)) {
			space = true;
			continue;
		}
		if (space && out->len && out->buf[out->len - 1] != ' ')
			strbuf_addch(out, ' ');
		space = false;
		strbuf_addch(out, strchr(bad, *p) ? '-' : *p);
	}
	strbuf_release(&safe);
}

static void
export_hledger_row(struct strbuf *out, const struct bd_db_result *res, int r, bool first)
{
	const char *debit = bd_db_result_get(res, r, EX_DEBIT);
	const char *credit = bd_db_result_get(res, r, EX_CREDIT);
	const char *memo = bd_db_result_get(res, r, EX_MEMO);
	size_t start;

	if (first) {
		const char *ref = bd_db_result_get(res, r, EX_REFERENCE);

		strbuf_addf(out, "\n%s (%s) ", bd_db_result_get(res, r, EX_DATE),
			    bd_db_result_get(res, r, EX_NUMBER));
		journal_text(out, bd_db_result_get(res, r, EX_DESCRIPTION), ";");
		if (*ref) {
			strbuf_addstr(out, "  ; ref:");
			journal_text(out, ref, ";,");
		}
		strbuf_rtrim(out);
		strbuf_addch(out, '\n');
	}
	strbuf_addstr(out, "    ");
	start = out->len;
	strbuf_addf(out, "%s:", hledger_type(bd_db_result_get(res, r, EX_ACCOUNT_TYPE)));
	journal_text(out, bd_db_result_get(res, r, EX_ACCOUNT), ":;");
	strbuf_addch(out, ' ');
	journal_text(out, bd_db_result_get(res, r, EX_ACCOUNT_NAME), ":;");
	strbuf_rtrim(out);
	strbuf_addf(out, "%*s", (int)(out->len - start < 50 ? 52 - (out->len - start) : 2), "");
	if (strcmp(debit, "0.00") && strcmp(debit, "0"))
		strbuf_addstr(out, debit);
	else
		strbuf_addf(out, "-%s", credit);
	if (*memo) {
		strbuf_addstr(out, "  ; ");
		journal_text(out, memo, "");
	}
	strbuf_addch(out, '\n');
}

static void
export_csv_row(struct strbuf *out, const struct bd_db_result *res, int r)
{
	static const int cols[] = {EX_NUMBER,	   EX_DATE,    EX_JOURNAL,	EX_REFERENCE,
				   EX_DESCRIPTION, EX_ACCOUNT, EX_ACCOUNT_NAME, EX_DEBIT,
				   EX_CREDIT,	   EX_MEMO};
	size_t c;

	for (c = 0; c < NELEM(cols); c++)
		bd_csv_cell(out, bd_db_result_get(res, r, cols[c]), c == 0);
	bd_csv_end_record(out);
}

/* Reads the export cursor (ledger.export_open) a fetch at a time: one
 * snapshot, one plan, and memory bounded by a fetch whatever the size of
 * the books. Opens its own transaction unless the caller is in one. */
int
bd_ledger_export(struct bd_db *db, const char *client, enum bd_ledger_format format, FILE *out,
		 long *entries, struct bd_err *err)
{
	struct strbuf buf = STRBUF_INIT;
	struct bd_db_result *res = NULL;
	bool own = !bd_db_in_transaction(db), open = false;
	char *last_id = NULL;
	long n = 0;
	int rc = -1;

	if (format == BD_LEDGER_FORMAT_CSV)
		strbuf_addstr(&buf, "entry,date,journal,reference,description,account,account_name,"
				    "debit,credit,memo\r\n");
	else
		strbuf_addf(&buf, "; Backdesk general ledger export: posted entries of %s\n",
			    client);
	if (own && (bd_db_begin(db, err) < 0 ||
		    bd_db_run(db, "ledger.export_settings", BD_NO_PARAMS, err) < 0))
		goto cleanup;
	if (bd_db_run(db, "ledger.export_open", BD_PARAMS(client), err) < 0)
		goto cleanup;
	open = true;
	for (;;) {
		int rows, r;

		res = bd_db_query(db, "ledger.export_fetch", BD_NO_PARAMS, err);
		if (!res)
			goto cleanup;
		if (bd_db_result_cols(res) != EX_MEMO + 1) {
			bd_err_set(err, BD_ERR_INTERNAL,
				   "Internal error: the export query's columns changed");
			goto cleanup;
		}
		rows = bd_db_result_rows(res);
		for (r = 0; r < rows; r++) {
			const char *id = bd_db_result_get(res, r, EX_ENTRY_ID);
			bool first = !last_id || strcmp(id, last_id);

			if (first) {
				n++;
				free(last_id);
				last_id = xstrdup(id);
			}
			if (format == BD_LEDGER_FORMAT_CSV)
				export_csv_row(&buf, res, r);
			else
				export_hledger_row(&buf, res, r, first);
		}
		bd_db_result_free(res);
		res = NULL;
		if (fwrite(buf.buf, 1, buf.len, out) != buf.len) {
			bd_err_set(err, BD_ERR_IO, "Cannot write the export");
			goto cleanup;
		}
		strbuf_reset(&buf);
		if (rows == 0)
			break;
	}
	open = false;
	if (bd_db_run(db, "ledger.export_close", BD_NO_PARAMS, err) < 0)
		goto cleanup;
	if (own && bd_db_commit(db, err) < 0)
		goto cleanup;
	own = false;
	if (fflush(out) != 0) {
		bd_err_set(err, BD_ERR_IO, "Cannot write the export");
		goto cleanup;
	}
	if (entries)
		*entries = n;
	rc = 0;
cleanup:
	bd_db_result_free(res);
	if (own)
		bd_db_rollback(db);
	else if (open)
		bd_db_run(db, "ledger.export_close", BD_NO_PARAMS, NULL);
	free(last_id);
	strbuf_release(&buf);
	return rc;
}

/* --- import -------------------------------------------------------------- */

struct posting {
	char *account;	/* the code */
	int64_t amount; /* debit positive */
	bool has_amount;
	char *memo;
};

struct entry {
	const char *source; /* the file, for messages; kept by entry_clear */
	int line;	    /* where it starts in the file */
	char date[BD_DATE_ISO_LEN + 1];
	char *journal, *reference, *description;
	struct posting *postings;
	size_t npostings, alloc;
};

static void
entry_clear(struct entry *e)
{
	const char *source = e->source;
	size_t i;

	for (i = 0; i < e->npostings; i++) {
		free(e->postings[i].account);
		free(e->postings[i].memo);
	}
	free(e->postings);
	free(e->journal);
	free(e->reference);
	free(e->description);
	memset(e, 0, sizeof(*e));
	e->source = source;
}

static void
entry_add(struct entry *e, const char *account, size_t account_len, int64_t amount, bool has_amount,
	  const char *memo)
{
	struct posting *p;

	BD_GROW(e->postings, e->npostings + 1, e->alloc);
	p = &e->postings[e->npostings++];
	p->account = xstrndup(account, account_len);
	p->amount = amount;
	p->has_amount = has_amount;
	p->memo = xstrdup(memo ? memo : "");
}

/* Creates and submits one parsed entry (inside the import's transaction). */
static int
entry_store(struct bd_db *db, const char *client, struct entry *e, struct bd_err *err)
{
	struct strbuf lines = STRBUF_INIT, amount = STRBUF_INIT;
	struct bd_db_result *res = NULL;
	struct bd_json j;
	int64_t sum = 0;
	size_t i, elided = (size_t)-1;
	int rc = -1;

	for (i = 0; i < e->npostings; i++) {
		if (!e->postings[i].has_amount) {
			if (elided != (size_t)-1) {
				bd_err_set(err, BD_ERR_INVALID,
					   "%s:%d: only one posting may leave out its amount",
					   e->source, e->line);
				goto cleanup;
			}
			elided = i;
		} else if (!bd_money_add(sum, e->postings[i].amount, &sum)) {
			bd_err_set(err, BD_ERR_INVALID, "%s:%d: the amounts are too large",
				   e->source, e->line);
			goto cleanup;
		}
	}
	if (elided != (size_t)-1) {
		e->postings[elided].amount = -sum;
		e->postings[elided].has_amount = true;
	}
	bd_json_init(&j, &lines);
	bd_json_begin_array(&j);
	for (i = 0; i < e->npostings; i++) {
		const struct posting *p = &e->postings[i];

		if (p->amount == 0)
			continue;
		strbuf_reset(&amount);
		bd_money_to_numeric(&amount, p->amount < 0 ? -p->amount : p->amount, SCALE);
		bd_json_begin_object(&j);
		bd_json_key(&j, "account");
		bd_json_str(&j, p->account);
		bd_json_key(&j, p->amount > 0 ? "debit" : "credit");
		bd_json_str(&j, amount.buf);
		bd_json_key(&j, "memo");
		bd_json_str(&j, p->memo);
		bd_json_end_object(&j);
	}
	bd_json_end_array(&j);
	res = bd_db_query(db, "ledger.entry_create",
			  BD_PARAMS(client, e->journal ? e->journal : "GJ", e->date,
				    e->reference ? e->reference : "",
				    e->description ? e->description : "", lines.buf, NULL),
			  err);
	if (!res || bd_db_run(db, "ledger.entry_submit",
			      BD_PARAMS(client, bd_db_result_get(res, 0, 0), NULL), err) < 0) {
		struct strbuf msg = STRBUF_INIT;

		strbuf_addf(&msg, "%s:%d: %s", e->source, e->line, err->msg);
		if (msg.len >= sizeof(err->msg))
			strbuf_setlen(&msg, sizeof(err->msg) - 1);
		memcpy(err->msg, msg.buf, msg.len + 1);
		strbuf_release(&msg);
		goto cleanup;
	}
	rc = 0;
cleanup:
	bd_db_result_free(res);
	strbuf_release(&amount);
	strbuf_release(&lines);
	return rc;
}

/* Stores the entry being read, if any (it has a date), counts it and
 * clears it for the next. */
static int
entry_flush(struct bd_db *db, const char *client, struct entry *e, long *count, struct bd_err *err)
{
	int rc = 0;

	if (!*e->date)
		return 0;
	if ((rc = entry_store(db, client, e, err)) == 0)
		(*count)++;
	entry_clear(e);
	return rc;
}

/* Parses YYYY-MM-DD, YYYY/MM/DD or YYYY.MM.DD at s into iso. */
static int
journal_date(const char *s, size_t n, struct entry *e, int line, struct bd_err *err)
{
	struct bd_date d;
	char buf[BD_DATE_ISO_LEN + 1];
	size_t i;

	if (n != BD_DATE_ISO_LEN)
		goto bad;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if ((buf[4] == '/' && buf[7] == '/') || (buf[4] == '.' && buf[7] == '.'))
		buf[4] = buf[7] = '-';
	for (i = 0; i < n; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)buf[i]))
			goto bad;
	if (bd_date_parse_iso(buf, &d, NULL) < 0)
		goto bad;
	bd_date_to_iso(&d, e->date);
	return 0;
bad:
	bd_err_set(err, BD_ERR_INVALID, "%s:%d: not a date (YYYY-MM-DD)", e->source, line);
	return -1;
}

static int
parse_amount(const char *s, const struct entry *e, int line, int64_t *out, struct bd_err *err)
{
	struct bd_err local = BD_ERR_INIT;

	if (bd_money_parse(s, SCALE, out, &local) < 0) {
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: %s (amounts without a commodity only)",
			   e->source, line, local.msg);
		return -1;
	}
	return 0;
}

static char *
trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* The header of a journal transaction: DATE[=DATE2] [*|!] [(CODE)] DESC [; comment]. */
static int
journal_header(struct entry *e, const char *s, int line, struct bd_err *err)
{
	const char *p = s, *end, *semi, *ref;
	size_t n = strcspn(s, " \t=;");

	if (journal_date(s, n, e, line, err) < 0)
		return -1;
	p = s + n;
	if (*p == '=')
		p += strcspn(p, " \t;");
	p += strspn(p, " \t");
	if (*p == '*' || *p == '!')
		p += 1 + strspn(p + 1, " \t");
	if (*p == '(' && (end = strchr(p, ')'))) {
		size_t j = strspn(p + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");

		if (j >= 2 && j <= 4 && p[1 + j] == '-')
			e->journal = xstrndup(p + 1, j);
		p = end + 1;
	}
	semi = strchr(p, ';');
	e->description = trimmed(p, semi ? (size_t)(semi - p) : strlen(p));
	if (semi && (ref = strstr(semi, "ref:")))
		e->reference = trimmed(ref + 4, strcspn(ref + 4, ","));
	return 0;
}

/* A posting line (already known to be indented): ACCOUNT  [AMOUNT] [; memo]. */
static int
journal_posting(struct entry *e, const char *s, int line, struct bd_err *err)
{
	const char *p = s + strspn(s, " \t"), *acc, *last, *semi, *eq;
	char *amount = NULL, *memo = NULL;
	size_t n, code_len;
	int64_t value = 0;
	int rc = -1;

	if (*p == ';' || *p == '\0')
		return 0; /* a comment line */
	if (*p == '*' || *p == '!')
		p += 1 + strspn(p + 1, " \t");
	if (*p == '(' || *p == '[') {
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: virtual postings are not supported",
			   e->source, line);
		return -1;
	}
	/* The account ends at a tab, two spaces, a ';' or the end. */
	for (n = 0; p[n] && p[n] != '\t' && p[n] != ';' && !(p[n] == ' ' && p[n + 1] == ' '); n++)
		;
	acc = p;
	while (n && acc[n - 1] == ' ')
		n--;
	last = acc;
	for (size_t i = 0; i < n; i++)
		if (acc[i] == ':')
			last = acc + i + 1;
	code_len = strcspn(last, " \t;");
	if (last + code_len > acc + n)
		code_len = (size_t)(acc + n - last);
	if (code_len == 0) {
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: no account", e->source, line);
		return -1;
	}
	p = acc + n;
	semi = strchr(p, ';');
	n = semi ? (size_t)(semi - p) : strlen(p);
	if ((eq = memchr(p, '=', n)))
		n = (size_t)(eq - p); /* a balance assertion: not checked here */
	if (memchr(p, '@', n)) {
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: prices (@) are not supported", e->source,
			   line);
		return -1;
	}
	amount = trimmed(p, n);
	if (semi)
		memo = trimmed(semi + 1, strlen(semi + 1));
	if (*amount && parse_amount(amount, e, line, &value, err) < 0)
		goto cleanup;
	entry_add(e, last, code_len, value, *amount != '\0', memo);
	rc = 0;
cleanup:
	free(amount);
	free(memo);
	return rc;
}

static int
import_journal(struct bd_db *db, const char *client, const char *text, const char *source,
	       long *count, struct bd_err *err)
{
	struct entry e = {.source = source};
	struct strbuf line = STRBUF_INIT;
	const char *p = text;
	int lineno = 0, rc = -1;

	while (*p) {
		size_t n = strcspn(p, "\n");

		strbuf_reset(&line);
		strbuf_add(&line, p, n);
		if (line.len && line.buf[line.len - 1] == '\r')
			strbuf_setlen(&line, line.len - 1);
		p += n + (p[n] == '\n');
		lineno++;
		if (line.len && (line.buf[0] == ' ' || line.buf[0] == '\t')) {
			if (*e.date && journal_posting(&e, line.buf, lineno, err) < 0)
				goto cleanup;
			continue;
		}
		if (entry_flush(db, client, &e, count, err) < 0)
			goto cleanup;
		if (line.len == 0 || strchr(";#*%|", line.buf[0]))
			continue;
		if (isdigit((unsigned char)line.buf[0])) {
			e.line = lineno;
			if (journal_header(&e, line.buf, lineno, err) < 0)
				goto cleanup;
			continue;
		}
		if (!strncmp(line.buf, "account ", 8) || !strncmp(line.buf, "commodity ", 10) ||
		    !strncmp(line.buf, "decimal-mark", 12) || !strncmp(line.buf, "comment", 7) ||
		    !strncmp(line.buf, "end comment", 11))
			continue;
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: unsupported journal directive", source,
			   lineno);
		goto cleanup;
	}
	if (entry_flush(db, client, &e, count, err) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	entry_clear(&e);
	strbuf_release(&line);
	return rc;
}

enum csv_col {
	COL_ENTRY,
	COL_DATE,
	COL_JOURNAL,
	COL_REF,
	COL_DESC,
	COL_ACCOUNT,
	COL_DEBIT,
	COL_CREDIT,
	COL_MEMO,
	COL_COUNT
};

static const char *const csv_names[COL_COUNT] = {
    "entry", "date", "journal", "reference", "description", "account", "debit", "credit", "memo",
};

static int
import_csv(struct bd_db *db, const char *client, const char *text, size_t len, const char *source,
	   long *count, struct bd_err *err)
{
	struct entry e = {.source = source};
	struct strbuf key = STRBUF_INIT, prev = STRBUF_INIT;
	struct bd_csv_reader rd;
	struct bd_csv_record rec = {0};
	size_t i;
	int col[COL_COUNT], r, rc = -1;

	for (i = 0; i < COL_COUNT; i++)
		col[i] = -1;
	bd_csv_reader_init(&rd, text, len, source);
	if ((r = bd_csv_next(&rd, &rec, err)) < 0)
		goto cleanup;
	if (r == 0) {
		bd_err_set(err, BD_ERR_INVALID, "%s:1: the CSV file has no header row", source);
		goto cleanup;
	}
	for (i = 0; i < rec.ncells; i++)
		for (int c = 0; c < COL_COUNT; c++)
			if (!strcasecmp(rec.cells[i], csv_names[c]))
				col[c] = (int)i;
	if (col[COL_DATE] < 0 || col[COL_ACCOUNT] < 0 ||
	    (col[COL_DEBIT] < 0 && col[COL_CREDIT] < 0)) {
		bd_err_set(err, BD_ERR_INVALID,
			   "%s:%d: the CSV header needs date, account and debit or credit columns",
			   source, rec.line);
		goto cleanup;
	}
	while ((r = bd_csv_next(&rd, &rec, err)) > 0) {
		const char *v[COL_COUNT];
		int64_t debit = 0, credit = 0;

		for (i = 0; i < COL_COUNT; i++)
			v[i] = col[i] >= 0 ? rec.cells[col[i]] : "";
		strbuf_reset(&key);
		if (col[COL_ENTRY] >= 0)
			strbuf_addstr(&key, v[COL_ENTRY]);
		else
			strbuf_addf(&key, "%s\x1f%s\x1f%s\x1f%s", v[COL_DATE], v[COL_JOURNAL],
				    v[COL_REF], v[COL_DESC]);
		if (strcmp(key.buf, prev.buf) && entry_flush(db, client, &e, count, err) < 0)
			goto cleanup;
		if (!*e.date) {
			e.line = rec.line;
			if (journal_date(v[COL_DATE], strlen(v[COL_DATE]), &e, rec.line, err) < 0)
				goto cleanup;
			e.journal = xstrdup(*v[COL_JOURNAL] ? v[COL_JOURNAL] : "GJ");
			e.reference = xstrdup(v[COL_REF]);
			e.description = xstrdup(v[COL_DESC]);
			strbuf_reset(&prev);
			strbuf_addstr(&prev, key.buf);
		}
		if ((*v[COL_DEBIT] && parse_amount(v[COL_DEBIT], &e, rec.line, &debit, err) < 0) ||
		    (*v[COL_CREDIT] && parse_amount(v[COL_CREDIT], &e, rec.line, &credit, err) < 0))
			goto cleanup;
		entry_add(&e, v[COL_ACCOUNT], strlen(v[COL_ACCOUNT]), debit - credit, true,
			  v[COL_MEMO]);
	}
	if (r < 0 || entry_flush(db, client, &e, count, err) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	bd_csv_record_release(&rec);
	entry_clear(&e);
	strbuf_release(&prev);
	strbuf_release(&key);
	return rc;
}

int
bd_ledger_import(struct bd_db *db, const char *client, enum bd_ledger_format format,
		 const char *text, size_t len, const char *source, long *entries,
		 struct bd_err *err)
{
	long n = 0;
	int rc;

	/* The CSV reader checks its own text; a journal is checked whole. */
	if (format != BD_LEDGER_FORMAT_CSV && bd_text_file_check(text, len, source, err) < 0)
		return -1;
	if (bd_db_begin(db, err) < 0)
		return -1;
	if (format == BD_LEDGER_FORMAT_CSV)
		rc = import_csv(db, client, text, len, source, &n, err);
	else
		rc = import_journal(db, client, text, source, &n, err);
	if (rc == 0 && n == 0) {
		bd_err_set(err, BD_ERR_INVALID, "%s: the file holds no entries", source);
		rc = -1;
	}
	if (rc < 0) {
		bd_db_rollback(db);
		return -1;
	}
	if (bd_db_commit(db, err) < 0)
		return -1;
	if (entries)
		*entries = n;
	return 0;
}
