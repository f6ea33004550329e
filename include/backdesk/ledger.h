#ifndef BACKDESK_LEDGER_H
#define BACKDESK_LEDGER_H
/*
 * General ledger glue: report results as CSV, and moving books in and out as
 * hledger/ledger journal text or CSV. Business rules live in the database
 * (sql/migrations/010_ledger.sql); this module only calls the named queries
 * of sql/queries/ledger.sql.
 *
 * Journal text written here is read by `hledger -f FILE balance` and by
 * ledger-cli: one transaction per posted entry,
 *
 *   2025-03-14 (SJ-2025-000042) Invoice 1042  ; ref:INV-1042
 *       assets:1200 Accounts receivable      1200.00
 *       revenues:4100 Sales                 -1000.00  ; memo
 *       liabilities:2200 VAT payable         -200.00
 *
 * Accounts are "TYPE:CODE NAME" (assets, liabilities, equity, revenues,
 * expenses) so hledger's balance sheet and income statement group them; the
 * importer maps an account back by the CODE, the first word of the last
 * ':'-separated part. Amounts have no commodity: debit positive, credit
 * negative.
 *
 * CSV (RFC 4180, one row per line, header row) has the columns
 *   entry,date,journal,reference,description,account,account_name,debit,credit,memo
 * Import needs date, account and debit/credit; journal defaults to GJ.
 * Consecutive rows with the same entry (or, without that column, the same
 * date, journal, reference and description) form one entry.
 *
 * Amounts are int64 minor units (scale 2) in C and numeric text in SQL;
 * never floating point. Errors: 0/-1 with err set (msg for the user, with
 * the file's line number when importing).
 */
#include <stdio.h>

#include "backdesk/db.h"
#include "backdesk/err.h"
#include "backdesk/strbuf.h"

enum bd_ledger_format {
	BD_LEDGER_FORMAT_CSV,
	BD_LEDGER_FORMAT_HLEDGER,
};

/* The format a file name implies: *.csv is CSV, anything else journal text. */
enum bd_ledger_format bd_ledger_format_of(const char *path);

/* Appends the whole result as CSV: a header row of column names, then the
 * rows; every field passes through the output gate. */
void bd_ledger_csv(struct strbuf *out, const struct bd_db_result *res);

/* Writes every posted entry of `client` to `out` in date order, a page at
 * a time. *entries (may be NULL) receives how many were written. */
int bd_ledger_export(struct bd_db *db, const char *client, enum bd_ledger_format format, FILE *out,
		     long *entries, struct bd_err *err);

/* Parses `text` (the whole file, `len` bytes, named `source` in messages)
 * and creates each entry in `client` as a draft submitted for approval by
 * another accountant, all in one transaction: either every entry is imported
 * or none. CSV is read by base csv.h (a NUL, invalid UTF-8, a broken quote or
 * a ragged row refused); a journal's bytes get the same check. Every refusal
 * reads "SOURCE:LINE: reason". `db` must not be in a transaction. *entries
 * (may be NULL) receives how many were created. */
int bd_ledger_import(struct bd_db *db, const char *client, enum bd_ledger_format format,
		     const char *text, size_t len, const char *source, long *entries,
		     struct bd_err *err);

/* The command ledger (ledger_cli.c; see command.h): reports, interchange and
 * approval from the command line. */
struct bd_cli;
int bd_ledger_cli(struct bd_cli *cli, int argc, char **argv);

#endif
