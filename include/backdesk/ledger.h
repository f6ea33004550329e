#ifndef BACKDESK_LEDGER_H
#define BACKDESK_LEDGER_H
/*
 * General ledger glue: report results as CSV, and moving books in and out as
 * hledger/ledger journal text or CSV. Business rules live in the database
 * (sql/migrations/010_ledger.sql, 060_ledger_books.sql); this module only
 * calls the named queries of sql/queries/ledger.sql.
 *
 * Journal text written here is read by `hledger -f FILE balance` and by
 * ledger-cli: the accounts declared first with their types, then one
 * transaction per posted entry, accounts by their full names, every amount
 * with its currency, a line in another currency than the base with its
 * base amount as a total price (@@), so `hledger bal` shows each currency
 * and `hledger bal -B` the base:
 *
 *   account Assets:Receivable  ; type: A
 *   2025-03-14 (SJ-2025-000042) Invoice 1042  ; ref:INV-1042
 *       Assets:Receivable        1000.00 EUR @@ 1100.00 USD
 *       Revenue:Sales           -1100.00 USD  ; memo
 *
 * The journal importer reads what hledger users write (journal_parse.c
 * lists it); it refuses, naming the file and line, whatever it does not
 * understand, and imports nothing then. Accounts are known by their full
 * names (created from the names, with their parents, when asked).
 *
 * CSV (RFC 4180, one row per line, header row) has the columns
 *   entry,date,journal,reference,description,account,account_name,debit,credit,memo,
 *   currency,amount,rate
 * Import needs date, account (code or full name) and debit/credit (in the
 * base currency); a row in another currency has currency, amount (signed)
 * and rate. Journal defaults to GJ. Consecutive rows with the same entry
 * (or, without that column, the same date, journal, reference and
 * description) form one entry.
 *
 * An import is one batch (ledger.import_*), submitted whole for one
 * approval by another accountant through the approvals registry.
 *
 * Amounts are int64 minor units in C and numeric text in SQL; never
 * floating point. Errors: 0/-1 with err set (msg for the user, with the
 * file's line number when importing).
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

/* Writes every posted entry of `client` to `out` in date order, a page at
 * a time. *entries (may be NULL) receives how many were written. */
int bd_ledger_export(struct bd_db *db, const char *client, enum bd_ledger_format format, FILE *out,
		     long *entries, struct bd_err *err);

struct bd_ledger_import_options {
	bool create_accounts;		/* add the accounts the journal names */
	const char *const *commodities; /* "SYMBOL=CODE": what a symbol means */
	size_t ncommodities;
};

struct bd_ledger_import_result {
	long long batch_id, version; /* what approval names */
	long entries, lines;	     /* 0 entries: a chart alone, no batch */
	long accounts;		     /* accounts added */
	char total[64];		     /* debits in the base currency, "1234.50 USD" */
	char first[16], last[16];
	long zero; /* all-zero transactions, not imported (no amounts) */
	char zero_where[128];
};

/* Reads the file and writes it as one import batch, submitted for approval,
 * all in one transaction: either all of it or nothing. `db` must not be in a
 * transaction. */
int bd_ledger_import_batch(struct bd_db *db, const char *client, enum bd_ledger_format format,
			   const char *text, size_t len, const char *source,
			   const struct bd_ledger_import_options *opt,
			   struct bd_ledger_import_result *result, struct bd_err *err);

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
/* What each verb of the command does (its --help, after the usage). */
extern const char bd_ledger_cli_details[];

#endif
