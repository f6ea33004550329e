/* General ledger glue: CSV of results, journal export and import (CSV and JSON
 * through base csv.h and json.h). */
#include "backdesk/ledger.h"

#include "journal_internal.h"

#include "backdesk/csv.h"
#include "backdesk/date.h"
#include "backdesk/json.h"
#include "backdesk/log.h"
#include "backdesk/money.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	EX_FULL_NAME,
	EX_CURRENCY,
	EX_AMOUNT,
	EX_RATE,
	EX_COLUMNS
};

static const char *
hledger_type(const char *type)
{
	if (!strcmp(type, "asset"))
		return "A";
	if (!strcmp(type, "liability"))
		return "L";
	if (!strcmp(type, "equity"))
		return "E";
	if (!strcmp(type, "income"))
		return "R";
	return "X";
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

/* A line's amount in the journal: its currency's, and for a line in
 * another currency than the base its base amount as a total price. A line
 * that only revalues (amount 0) is its base amount. */
static void
export_amount(struct strbuf *out, const struct bd_db_result *res, int r, const char *base)
{
	const char *debit = bd_db_result_get(res, r, EX_DEBIT);
	const char *credit = bd_db_result_get(res, r, EX_CREDIT);
	const char *cur = bd_db_result_get(res, r, EX_CURRENCY);
	const char *amount = bd_db_result_get(res, r, EX_AMOUNT);
	bool is_debit = strspn(debit, "0.") != strlen(debit);

	if (*cur && strspn(amount, "-0.") != strlen(amount)) {
		strbuf_addf(out, "%s %s @@ %s %s", amount, cur, is_debit ? debit : credit, base);
		return;
	}
	strbuf_addf(out, "%s%s %s", is_debit ? "" : "-", is_debit ? debit : credit, base);
}

static void
export_hledger_row(struct strbuf *out, const struct bd_db_result *res, int r, bool first,
		   const char *base)
{
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
	strbuf_addstr(out, bd_db_result_get(res, r, EX_FULL_NAME));
	strbuf_addf(out, "%*s", (int)(out->len - start < 50 ? 52 - (out->len - start) : 2), "");
	export_amount(out, res, r, base);
	if (*memo) {
		strbuf_addstr(out, "  ; ");
		journal_text(out, memo, ":");
	}
	strbuf_addch(out, '\n');
}

/* The journal's preamble: the base currency, and every account by its full
 * name with its type (hledger's type: tag), so hledger's balance sheet and
 * income statement know them. */
static int
export_accounts(struct bd_db *db, const char *client, struct strbuf *out, char base[4],
		struct bd_err *err)
{
	struct bd_db_result *res = bd_db_query(db, "ledger.base_currency", BD_PARAMS(client), err);
	int r;

	if (!res)
		return -1;
	snprintf(base, 4, "%s", bd_db_result_rows(res) ? bd_db_result_get(res, 0, 0) : "USD");
	bd_db_result_free(res);
	if (!(res = bd_db_query(db, "ledger.account_names", BD_PARAMS(client), err)))
		return -1;
	strbuf_addf(out, "; base currency %s\n\n", base);
	for (r = 0; r < bd_db_result_rows(res); r++)
		strbuf_addf(out, "account %s  ; type: %s\n", bd_db_result_get(res, r, 0),
			    hledger_type(bd_db_result_get(res, r, 1)));
	bd_db_result_free(res);
	return 0;
}

static void
export_csv_row(struct strbuf *out, const struct bd_db_result *res, int r)
{
	static const int cols[] = {EX_NUMBER,	   EX_DATE,    EX_JOURNAL,	EX_REFERENCE,
				   EX_DESCRIPTION, EX_ACCOUNT, EX_ACCOUNT_NAME, EX_DEBIT,
				   EX_CREDIT,	   EX_MEMO,    EX_CURRENCY,	EX_AMOUNT,
				   EX_RATE};
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
	char *last_id = NULL, base[4] = "USD";
	long n = 0;
	int rc = -1;

	if (format == BD_LEDGER_FORMAT_CSV)
		strbuf_addstr(&buf, "entry,date,journal,reference,description,account,account_name,"
				    "debit,credit,memo,currency,amount,rate\r\n");
	else
		strbuf_addf(&buf, "; Backdesk general ledger export: posted entries of %s\n",
			    client);
	if (own && (bd_db_begin(db, err) < 0 ||
		    bd_db_run(db, "ledger.export_settings", BD_NO_PARAMS, err) < 0))
		goto cleanup;
	if (format != BD_LEDGER_FORMAT_CSV && export_accounts(db, client, &buf, base, err) < 0)
		goto cleanup;
	if (bd_db_run(db, "ledger.export_open", BD_PARAMS(client), err) < 0)
		goto cleanup;
	open = true;
	for (;;) {
		int rows, r;

		res = bd_db_query(db, "ledger.export_fetch", BD_NO_PARAMS, err);
		if (!res)
			goto cleanup;
		if (bd_db_result_cols(res) != EX_COLUMNS) {
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
				export_hledger_row(&buf, res, r, first, base);
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

static int
currency_cmp(const void *x, const void *y)
{
	return strcmp(((const struct jr_currency *)x)->code, ((const struct jr_currency *)y)->code);
}

/* The client's base currency, the currencies (by code: jr_currency) and the
 * rates held. */
static int
book_load(struct bd_db *db, const char *client, struct jr_book *b, struct bd_err *err)
{
	struct bd_db_result *res;
	int r;

	if (!(res = bd_db_query(db, "ledger.base_currency", BD_PARAMS(client), err)))
		return -1;
	if (bd_db_result_rows(res) != 1) {
		bd_db_result_free(res);
		bd_err_set(err, BD_ERR_INTERNAL, "Internal error: no base currency");
		return -1;
	}
	snprintf(b->base, sizeof(b->base), "%s", bd_db_result_get(res, 0, 0));
	b->base_units = (int)strtol(bd_db_result_get(res, 0, 1), NULL, 10);
	bd_db_result_free(res);
	if (!(res = bd_db_query(db, "ledger.currency_list", BD_NO_PARAMS, err)))
		return -1;
	b->ncurrencies = (size_t)bd_db_result_rows(res);
	b->currencies = xcalloc(b->ncurrencies + 1, sizeof(*b->currencies));
	for (r = 0; r < bd_db_result_rows(res); r++) {
		snprintf(b->currencies[r].code, sizeof(b->currencies[r].code), "%s",
			 bd_db_result_get(res, r, 0));
		b->currencies[r].units = (int)strtol(bd_db_result_get(res, r, 1), NULL, 10);
	}
	bd_db_result_free(res);
	qsort(b->currencies, b->ncurrencies, sizeof(*b->currencies), currency_cmp);
	if (!(res = bd_db_query(db, "ledger.import_rates", BD_PARAMS(client), err)))
		return -1;
	for (r = 0; r < bd_db_result_rows(res); r++) {
		struct jr_rate x;
		struct bd_date d;

		memset(&x, 0, sizeof(x));
		snprintf(x.cur, sizeof(x.cur), "%s", bd_db_result_get(res, r, 0));
		memcpy(x.quote, b->base, sizeof(x.quote));
		if (bd_date_parse_iso(bd_db_result_get(res, r, 1), &d, NULL) < 0 ||
		    jr_dec_parse(bd_db_result_get(res, r, 2), &x.value) < 0)
			continue;
		x.date = bd_date_to_days(&d);
		bd_date_to_iso(&d, x.iso);
		x.from_db = true;
		BD_GROW(b->rates, b->nrates + 1, b->ralloc);
		b->rates[b->nrates++] = x;
	}
	bd_db_result_free(res);
	return 0;
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
	COL_CURRENCY,
	COL_AMOUNT,
	COL_RATE,
	COL_COUNT
};

static const char *const csv_names[COL_COUNT] = {
    "entry", "date",   "journal", "reference", "description", "account",
    "debit", "credit", "memo",	  "currency",  "amount",      "rate",
};

static int
csv_amount(const char *s, int scale, const char *source, int line, int64_t *out, struct bd_err *err)
{
	struct bd_err local = BD_ERR_INIT;

	if (bd_money_parse(s, scale, out, &local) < 0) {
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: %s", source, line, local.msg);
		return -1;
	}
	return 0;
}

/* CSV rows into transactions: consecutive rows of one entry (or, without
 * that column, of one date, journal, reference and description) are one;
 * debit and credit are in the base currency, and a row in another currency
 * also has its amount there (signed) and the rate. */
static int
csv_to_book(struct jr_book *b, const char *text, size_t len, const char *source, struct bd_err *err)
{
	struct strbuf key = STRBUF_INIT, prev = STRBUF_INIT;
	struct bd_csv_reader rd;
	struct bd_csv_record rec = {0};
	struct jr_txn *t = NULL;
	const char *file;
	size_t i;
	int col[COL_COUNT], r, rc = -1;

	BD_GROW(b->files, b->nfiles + 1, b->falloc);
	file = b->files[b->nfiles++] = xstrdup(source);
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
		struct jr_posting p;

		for (i = 0; i < COL_COUNT; i++)
			v[i] = col[i] >= 0 ? rec.cells[col[i]] : "";
		strbuf_reset(&key);
		if (col[COL_ENTRY] >= 0)
			strbuf_addstr(&key, v[COL_ENTRY]);
		else
			strbuf_addf(&key, "%s\x1f%s\x1f%s\x1f%s", v[COL_DATE], v[COL_JOURNAL],
				    v[COL_REF], v[COL_DESC]);
		if (!t || strcmp(key.buf, prev.buf)) {
			struct bd_date d;

			if (strlen(v[COL_DATE]) != BD_DATE_ISO_LEN ||
			    bd_date_parse_iso(v[COL_DATE], &d, NULL) < 0) {
				bd_err_set(err, BD_ERR_INVALID, "%s:%d: not a date (YYYY-MM-DD)",
					   source, rec.line);
				goto cleanup;
			}
			t = jr_txn_new(b);
			t->file = file;
			t->line = rec.line;
			t->date = bd_date_to_days(&d);
			bd_date_to_iso(&d, t->iso);
			t->journal = xstrdup(*v[COL_JOURNAL] ? v[COL_JOURNAL] : "GJ");
			t->reference = xstrdup(v[COL_REF]);
			t->description = xstrdup(v[COL_DESC]);
			strbuf_reset(&prev);
			strbuf_addstr(&prev, key.buf);
		}
		if ((*v[COL_DEBIT] &&
		     csv_amount(v[COL_DEBIT], b->base_units, source, rec.line, &debit, err) < 0) ||
		    (*v[COL_CREDIT] &&
		     csv_amount(v[COL_CREDIT], b->base_units, source, rec.line, &credit, err) < 0))
			goto cleanup;
		memset(&p, 0, sizeof(p));
		p.line = rec.line;
		p.has_amount = true;
		p.base = debit - credit;
		p.qty = p.base;
		memcpy(p.cur, b->base, sizeof(p.cur));
		if (*v[COL_CURRENCY] && strcasecmp(v[COL_CURRENCY], b->base)) {
			const struct jr_currency *c;
			char code[4] = "";

			for (i = 0; i < 3 && v[COL_CURRENCY][i]; i++)
				code[i] = (char)toupper((unsigned char)v[COL_CURRENCY][i]);
			if (strlen(v[COL_CURRENCY]) != 3 || !(c = jr_currency(b, code))) {
				bd_err_set(err, BD_ERR_INVALID, "%s:%d: %s is not a currency",
					   source, rec.line, v[COL_CURRENCY]);
				goto cleanup;
			}
			memcpy(p.cur, code, sizeof(p.cur));
			if (csv_amount(v[COL_AMOUNT], c->units, source, rec.line, &p.qty, err) < 0)
				goto cleanup;
			if (jr_dec_parse(v[COL_RATE], &p.rate) < 0 || p.rate.m <= 0) {
				bd_err_set(err, BD_ERR_INVALID, "%s:%d: a row in %s needs its rate",
					   source, rec.line, code);
				goto cleanup;
			}
		}
		if (p.base == 0)
			continue;
		p.acct = jr_account_note(b, v[COL_ACCOUNT], strlen(v[COL_ACCOUNT]), file, rec.line);
		p.account = b->accounts[p.acct].name;
		p.memo = *v[COL_MEMO] ? xstrdup(v[COL_MEMO]) : NULL;
		jr_txn_add_posting(t, &p);
	}
	if (r < 0)
		goto cleanup;
	for (i = 0; i < b->ntxns; i++)
		if (b->txns[i].n == 0 && b->zero++ < 3)
			snprintf(b->zero_where + strlen(b->zero_where),
				 sizeof(b->zero_where) - strlen(b->zero_where), "%s%s:%d",
				 *b->zero_where ? ", " : "", source, b->txns[i].line);
	rc = 0;
cleanup:
	bd_csv_record_release(&rec);
	strbuf_release(&prev);
	strbuf_release(&key);
	return rc;
}

static const char *
type_word(char t)
{
	switch (t) {
	case 'A':
		return "asset";
	case 'L':
		return "liability";
	case 'E':
		return "equity";
	case 'R':
		return "income";
	case 'X':
		return "expense";
	default:
		return NULL;
	}
}

/* The declared type of an account or of its nearest declared parent. */
static char
declared_type(const struct jr_book *b, const char *name)
{
	size_t n = strlen(name), i;

	for (;;) {
		for (i = 0; i < b->naccounts; i++)
			if (b->accounts[i].type && strlen(b->accounts[i].name) == n &&
			    !strncmp(b->accounts[i].name, name, n))
				return b->accounts[i].type;
		while (n && name[n - 1] != ':')
			n--;
		if (!n)
			return 0;
		n--;
	}
}

/* The book's accounts as ledger.import_accounts takes them. */
static void
accounts_json(const struct jr_book *b, struct strbuf *json)
{
	struct strbuf where = STRBUF_INIT;
	struct bd_json j;
	size_t i;

	bd_json_init(&j, json);
	bd_json_begin_array(&j);
	for (i = 0; i < b->naccounts; i++) {
		const struct jr_account *a = &b->accounts[i];

		strbuf_reset(&where);
		strbuf_addf(&where, "%s:%d", a->file, a->line);
		bd_json_begin_object(&j);
		bd_json_key(&j, "name");
		bd_json_str(&j, a->name);
		bd_json_key(&j, "type");
		bd_json_str_or_null(&j, type_word(declared_type(b, a->name)));
		bd_json_key(&j, "where");
		bd_json_str(&j, where.buf);
		bd_json_end_object(&j);
	}
	bd_json_end_array(&j);
	strbuf_release(&where);
}

/* Sends ledger.import_accounts (no batch: the accounts of the caller's
 * transaction) without waiting: the server makes the accounts while the
 * caller works out the books; accounts_take() reads the answer. */
static int
accounts_send(struct bd_db *db, const char *client, const struct jr_book *b, bool create,
	      struct bd_err *err)
{
	struct strbuf json = STRBUF_INIT;
	int rc;

	accounts_json(b, &json);
	rc = bd_db_send(db, "ledger.import_accounts",
			BD_PARAMS(client, NULL, json.buf, create ? "true" : "false"), err);
	strbuf_release(&json);
	return rc;
}

/* The answer of accounts_send(): 0 with the number of accounts made, or -1
 * with err set (the connection is free again either way). */
static int
accounts_take(struct bd_db *db, long *created, struct bd_err *err)
{
	struct bd_db_result *res = bd_db_take(db, err);

	if (!res)
		return -1;
	*created = strtol(bd_db_result_get(res, 0, 0), NULL, 10);
	bd_db_result_free(res);
	return 0;
}

static int
send_rates(struct bd_db *db, const char *client, const struct jr_book *b, struct bd_err *err)
{
	struct strbuf json = STRBUF_INIT, v = STRBUF_INIT;
	struct bd_json j;
	size_t i, n = 0;
	int rc = 0;

	bd_json_init(&j, &json);
	bd_json_begin_array(&j);
	for (i = 0; i < b->nrates; i++) {
		const struct jr_rate *r = &b->rates[i];
		bool inverse = !strcmp(r->cur, b->base);

		if (r->from_db)
			continue;
		strbuf_reset(&v);
		if (inverse) {
			__int128 m = 1;
			struct jr_dec inv = {0, 16};

			for (int k = 0; k < 16 + r->value.s; k++)
				m *= 10;
			inv.m = (m + r->value.m / 2) / r->value.m;
			jr_dec_format(&v, inv);
		} else {
			jr_dec_format(&v, r->value);
		}
		bd_json_begin_object(&j);
		bd_json_key(&j, "currency");
		bd_json_str(&j, inverse ? r->quote : r->cur);
		bd_json_key(&j, "date");
		bd_json_str(&j, r->iso);
		bd_json_key(&j, "rate");
		bd_json_str(&j, v.buf);
		bd_json_key(&j, "where");
		strbuf_reset(&v);
		strbuf_addf(&v, "%s:%d", r->file, r->line);
		bd_json_str(&j, v.buf);
		bd_json_end_object(&j);
		n++;
	}
	bd_json_end_array(&j);
	if (n)
		rc = bd_db_run(db, "ledger.rates_put", BD_PARAMS(client, json.buf, "journal"), err);
	strbuf_release(&v);
	strbuf_release(&json);
	return rc;
}

/* --- staging the batch's lines (ledger.import_copy) ----------------------- */

enum { COPY_FLUSH = 1 << 18 }; /* bytes of rows handed to libpq at a time */

/* The client's accounts by full name and by code: name -> account id. */
struct acct_slot {
	char *name;
	long id;
};

struct acct_map {
	struct acct_slot *slots;
	size_t cap;
};

/* Adds name -> id unless the name is there already (full names go in
 * first, so a full name wins over another account's code). */
static void
acct_map_put(struct acct_map *m, const char *name, long id)
{
	size_t i;

	for (i = bd_text_hash(name) & (m->cap - 1); m->slots[i].name; i = (i + 1) & (m->cap - 1))
		if (!strcmp(m->slots[i].name, name))
			return;
	m->slots[i].name = xstrdup(name);
	m->slots[i].id = id;
}

static long
acct_map_get(const struct acct_map *m, const char *name)
{
	size_t i;

	for (i = bd_text_hash(name) & (m->cap - 1); m->slots[i].name; i = (i + 1) & (m->cap - 1))
		if (!strcmp(m->slots[i].name, name))
			return m->slots[i].id;
	return -1;
}

static void
acct_map_release(struct acct_map *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->slots[i].name);
	free(m->slots);
	m->slots = NULL;
	m->cap = 0;
}

static int
acct_map_load(struct bd_db *db, const char *client, struct acct_map *m, struct bd_err *err)
{
	struct bd_db_result *res =
	    bd_db_query(db, "ledger.import_account_ids", BD_PARAMS(client), err);
	int r, rows, pass;

	if (!res)
		return -1;
	rows = bd_db_result_rows(res);
	for (m->cap = 64; m->cap < (size_t)rows * 4; m->cap *= 2)
		;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (pass = 0; pass < 2; pass++)
		for (r = 0; r < rows; r++)
			acct_map_put(m, bd_db_result_get(res, r, pass),
				     strtol(bd_db_result_get(res, r, 2), NULL, 10));
	bd_db_result_free(res);
	return 0;
}

/* COPY text: \, tab, newline and CR escaped. */
static void
copy_text(struct strbuf *out, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *esc;

		switch (*s) {
		case '\\':
			esc = "\\\\";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		default:
			continue;
		}
		strbuf_add(out, run, (size_t)(s - run));
		strbuf_add(out, esc, 2);
		run = s + 1;
	}
	strbuf_add(out, run, (size_t)(s - run));
}

static void
copy_long(struct strbuf *out, long long v)
{
	char buf[24];
	int n = 0;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		buf[sizeof(buf) - 1 - n++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	if (v < 0)
		buf[sizeof(buf) - 1 - n++] = '-';
	strbuf_add(out, buf + sizeof(buf) - n, (size_t)n);
}

static size_t
file_no(const struct jr_book *b, const char *file)
{
	size_t i;

	for (i = 0; i < b->nfiles; i++)
		if (b->files[i] == file)
			return i + 1;
	return 0;
}

/* The book's non-zero transactions as staged lines of the batch, streamed
 * by COPY: entry n (1.. in the order of the file), its lines 1.., the
 * header on line 1, every account by id, amounts in minor units (the base
 * amount in the base currency's, a foreign amount in its currency's). Every check of the rows is
 * the database's (ledger.import_submit); an account the client does not have is named here, by file
 * and line. */
static int
stage_lines(struct bd_db *db, const char *client, const char *batch, const struct jr_book *b,
	    struct bd_err *err)
{
	struct acct_map accounts = {NULL, 0};
	struct strbuf rows = STRBUF_INIT, head = STRBUF_INIT;
	long *ids = xcalloc(b->naccounts + 1, sizeof(*ids)); /* by the book's account */
	const char *last_file = NULL;
	size_t i, k, fno = 0;
	long long n = 0;
	int rc = -1;

	/* every row starts "batch_id \t" */
	strbuf_addstr(&head, batch);
	strbuf_addch(&head, '\t');
	if (acct_map_load(db, client, &accounts, err) < 0)
		goto cleanup;
	for (i = 0; i < b->naccounts; i++)
		ids[i] = acct_map_get(&accounts, b->accounts[i].name);
	/* every account first: a missing one is refused before anything is sent */
	for (i = 0; i < b->ntxns; i++)
		for (k = 0; k < b->txns[i].n; k++) {
			const struct jr_posting *p = &b->txns[i].p[k];

			if (p->qty != 0 && ids[p->acct] < 0) {
				bd_err_set(err, BD_ERR_INVALID, "%s:%d: no account %s",
					   b->txns[i].file, p->line ? p->line : b->txns[i].line,
					   p->account);
				goto cleanup;
			}
		}
	if (bd_db_copy_begin(db, "ledger.import_copy", err) < 0)
		goto cleanup;
	strbuf_grow(&rows, COPY_FLUSH + 4096);
	for (i = 0; i < b->ntxns; i++) {
		const struct jr_txn *t = &b->txns[i];
		long long line_no = 0;

		for (k = 0; k < t->n && t->p[k].qty == 0; k++)
			;
		if (k == t->n)
			continue; /* all zero: counted in b->zero */
		n++;
		if (t->file != last_file) {
			last_file = t->file;
			fno = file_no(b, t->file);
		}
		for (k = 0; k < t->n; k++) {
			const struct jr_posting *p = &t->p[k];

			if (p->qty == 0)
				continue;
			strbuf_add(&rows, head.buf, head.len);
			copy_long(&rows, n);
			strbuf_addch(&rows, '\t');
			copy_long(&rows, ++line_no);
			strbuf_addch(&rows, '\t');
			if (line_no == 1) {
				strbuf_addstr(&rows, t->iso);
				strbuf_addch(&rows, '\t');
				copy_text(&rows, t->journal ? t->journal : "GJ");
				strbuf_addch(&rows, '\t');
				copy_text(&rows, t->reference ? t->reference : "");
				strbuf_addch(&rows, '\t');
				copy_text(&rows, t->description ? t->description : "");
				strbuf_addch(&rows, '\t');
				copy_long(&rows, t->line);
				strbuf_addch(&rows, '\t');
			} else {
				strbuf_addstr(&rows, "\\N\t\\N\t\\N\t\\N\t\\N\t");
			}
			copy_long(&rows, ids[p->acct]);
			strbuf_addch(&rows, '\t');
			copy_long(&rows, p->base);
			strbuf_addch(&rows, '\t');
			if (strcmp(p->cur, b->base)) {
				copy_text(&rows, p->cur);
				strbuf_addch(&rows, '\t');
				copy_long(&rows, p->qty);
				strbuf_addch(&rows, '\t');
				jr_dec_format(&rows, p->rate);
				strbuf_addch(&rows, '\t');
			} else {
				strbuf_addstr(&rows, "\\N\t\\N\t\\N\t");
			}
			copy_text(&rows, p->memo ? p->memo : "");
			strbuf_addch(&rows, '\t');
			copy_long(&rows, (long long)fno);
			strbuf_addch(&rows, '\t');
			copy_long(&rows, p->line ? p->line : t->line);
			strbuf_addch(&rows, '\n');
		}
		if (rows.len >= COPY_FLUSH) {
			if (bd_db_copy_put(db, rows.buf, rows.len, err) < 0) {
				bd_db_copy_end(db, "ledger.import_copy", "the link dropped", NULL);
				goto cleanup;
			}
			strbuf_reset(&rows);
		}
	}
	if (bd_db_copy_put(db, rows.buf, rows.len, err) < 0) {
		bd_db_copy_end(db, "ledger.import_copy", "the link dropped", NULL);
		goto cleanup;
	}
	if (bd_db_copy_end(db, "ledger.import_copy", NULL, err) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	free(ids);
	acct_map_release(&accounts);
	strbuf_release(&head);
	strbuf_release(&rows);
	return rc;
}

/* The database's messages are cut to a screen line; an import's name the
 * file and line first, so its whole message is taken from the detail
 * ("ledger.import_submit: MESSAGE; context: ..."). */
static void
whole_message(struct bd_err *err)
{
	const char *p = err->detail, *end;
	size_t n;

	if (strncmp(p, "ledger.", 7) || !(p = strstr(p, ": ")))
		return;
	p += 2;
	end = p + strlen(p);
	for (const char *const *cut =
		 (const char *const[]){"; detail: ", "; hint: ", "; context: ", NULL};
	     *cut; cut++) {
		const char *c = strstr(p, *cut);

		if (c && c < end)
			end = c;
	}
	n = (size_t)(end - p);
	if (n <= strlen(err->msg) || n >= sizeof(err->msg))
		return;
	memcpy(err->msg, p, n);
	err->msg[n] = '\0';
}

static double
seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
bd_ledger_import_batch(struct bd_db *db, const char *client, enum bd_ledger_format format,
		       const char *text, size_t len, const char *source,
		       const struct bd_ledger_import_options *opt,
		       struct bd_ledger_import_result *result, struct bd_err *err)
{
	static const struct bd_ledger_import_options none = {0};
	struct bd_db_result *res = NULL;
	struct jr_book b;
	char batch[32];
	size_t i;
	int rc = -1;

	double t[5], parsed = 0, books_done = 0;

	t[0] = seconds_now();
	if (!opt)
		opt = &none;
	memset(&b, 0, sizeof(b));
	memset(result, 0, sizeof(*result));
	b.symbols = opt->commodities;
	b.nsymbols = opt->ncommodities;
	if (bd_db_begin(db, err) < 0)
		return -1;
	if (book_load(db, client, &b, err) < 0)
		goto out;
	if (format == BD_LEDGER_FORMAT_CSV) {
		if (csv_to_book(&b, text, len, source, err) < 0)
			goto out;
	} else {
		struct bd_err accounts_err = BD_ERR_INIT;
		int books;

		if (jr_parse_journal(&b, text, len, source, err) < 0)
			goto out;
		parsed = seconds_now();
		/* the accounts are made on the server while the books are worked
		 * out here; a refusal of the file's books comes first */
		if (accounts_send(db, client, &b, opt->create_accounts, err) < 0)
			goto out;
		books = jr_make_books(&b, err);
		books_done = seconds_now();
		if (accounts_take(db, &result->accounts, &accounts_err) < 0) {
			if (books < 0)
				goto out;
			/* (a file without entries is refused as such) */
			if (b.ntxns != b.zero || (opt->create_accounts && b.naccounts))
				*err = accounts_err;
			else
				bd_err_set(err, BD_ERR_INVALID, "%s: the file holds no entries",
					   source);
			goto out;
		}
		if (books < 0)
			goto out;
	}
	t[1] = seconds_now();
	if (b.ntxns == b.zero) {
		/* a chart alone (account directives): its accounts, no batch */
		if (format == BD_LEDGER_FORMAT_CSV || !opt->create_accounts || !b.naccounts) {
			bd_err_set(err, BD_ERR_INVALID, "%s: the file holds no entries", source);
			goto out;
		}
		if (send_rates(db, client, &b, err) < 0 || bd_db_commit(db, err) < 0)
			goto out;
		rc = 0;
		goto out_committed;
	}
	{
		struct strbuf files = STRBUF_INIT;
		struct bd_json j;

		bd_json_init(&j, &files);
		bd_json_begin_array(&j);
		for (i = 0; i < b.nfiles; i++)
			bd_json_str(&j, b.files[i]);
		bd_json_end_array(&j);
		res = bd_db_query(db, "ledger.import_begin", BD_PARAMS(client, source, files.buf),
				  err);
		strbuf_release(&files);
		if (!res)
			goto out;
	}
	snprintf(batch, sizeof(batch), "%s", bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	res = NULL;
	if (format != BD_LEDGER_FORMAT_CSV && send_rates(db, client, &b, err) < 0)
		goto out;
	t[2] = seconds_now();
	if (stage_lines(db, client, batch, &b, err) < 0)
		goto out;
	t[3] = seconds_now();
	if (!(res = bd_db_query(db, "ledger.import_submit", BD_PARAMS(client, batch), err)))
		goto out;
	t[4] = seconds_now();
	bd_log(BD_LOG_INFO,
	       "import %s of %s: %zu transactions read (and their accounts made) in %.2f s "
	       "(parsed %.2f s, books %.2f s), batch and rates %.2f s, lines staged %.2f s, "
	       "checked %.2f s",
	       batch, source, b.ntxns, t[1] - t[0], parsed ? parsed - t[0] : 0,
	       parsed ? books_done - parsed : 0, t[2] - t[1], t[3] - t[2], t[4] - t[3]);
	result->batch_id = strtoll(bd_db_result_get(res, 0, 0), NULL, 10);
	result->entries = strtol(bd_db_result_get(res, 0, 1), NULL, 10);
	result->lines = strtol(bd_db_result_get(res, 0, 2), NULL, 10);
	snprintf(result->total, sizeof(result->total), "%s %s", bd_db_result_get(res, 0, 3),
		 bd_db_result_get(res, 0, 4));
	snprintf(result->first, sizeof(result->first), "%s", bd_db_result_get(res, 0, 5));
	snprintf(result->last, sizeof(result->last), "%s", bd_db_result_get(res, 0, 6));
	result->version = strtoll(bd_db_result_get(res, 0, 7), NULL, 10);
	result->zero = (long)b.zero;
	snprintf(result->zero_where, sizeof(result->zero_where), "%s", b.zero_where);
	if (bd_db_commit(db, err) < 0)
		goto out_committed;
	rc = 0;
	goto out_committed;
out:
	whole_message(err);
	bd_db_rollback(db);
out_committed:
	bd_db_result_free(res);
	jr_book_release(&b);
	return rc;
}

int
bd_ledger_import(struct bd_db *db, const char *client, enum bd_ledger_format format,
		 const char *text, size_t len, const char *source, long *entries,
		 struct bd_err *err)
{
	struct bd_ledger_import_result r;

	if (bd_ledger_import_batch(db, client, format, text, len, source, NULL, &r, err) < 0)
		return -1;
	if (entries)
		*entries = r.entries;
	return 0;
}
