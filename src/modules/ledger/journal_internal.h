#ifndef BACKDESK_JOURNAL_INTERNAL_H
#define BACKDESK_JOURNAL_INTERNAL_H
/*
 * The ledger module's reading of journals (hledger/ledger text) and CSV into
 * books: transactions of postings in ISO 4217 currencies, each with its
 * base-currency amount, ready to be written as one import batch.
 *
 * journal_parse.c reads the text (directives, includes, amounts), and
 * journal_books.c makes the books of it: balance assignments and elided
 * amounts, per-currency balancing (prices, hledger's inferred conversion),
 * balance assertions in date order as hledger checks them, and the base
 * amount of every line (rates from P directives or the client's rates).
 * Every refusal reads "FILE:LINE: what was expected".
 *
 * Decimals (prices, rates) are struct jr_dec: m / 10^s with an __int128
 * mantissa; money is int64 minor units of its currency. Never a float.
 */
#include <stdbool.h>
#include <stdint.h>

#include "backdesk/db.h"
#include "backdesk/err.h"
#include "backdesk/strbuf.h"

struct jr_dec {
	__int128 m;
	int s;
};

struct jr_currency {
	char code[4];
	int units;
};

enum jr_price { JR_PRICE_NONE, JR_PRICE_UNIT, JR_PRICE_TOTAL };
enum jr_assert { JR_ASSERT_NONE, JR_ASSERT_ONE, JR_ASSERT_TOTAL };

struct jr_posting {
	const char *account; /* the book's: b->accounts[acct].name */
	size_t acct;
	char *memo; /* NULL: none */
	int line;
	bool has_amount;
	char cur[4];
	int64_t qty; /* minor units of cur, debit positive */
	enum jr_price price;
	char price_cur[4];
	struct jr_dec price_amt; /* positive; per unit or in total */
	enum jr_assert assertion;
	bool assert_incl;    /* =* or ==*: subaccounts too */
	bool assign;	     /* no amount: the assertion sets it */
	bool assert_nothing; /* "= 0" with no currency (and no D): hledger's commodity-less zero */
	char assert_cur[4];
	int64_t assert_qty;
	/* made by journal_books.c */
	int64_t base;
	struct jr_dec rate;
};

struct jr_txn {
	const char *file; /* owned by the book's file list */
	int line;
	int32_t date; /* days, bd_date_to_days */
	char iso[11];
	char *description, *journal, *reference;
	struct jr_posting *p;
	size_t n, alloc;
	size_t seq;
};

struct jr_account {
	char *name;
	char type; /* 'A' 'L' 'E' 'R' 'X' or 0 */
	const char *file;
	int line;
};

struct jr_rate {
	int32_t date;
	char iso[11];
	char cur[4], quote[4];
	struct jr_dec value;
	const char *file;
	int line;
	bool from_db;
};

struct jr_book {
	char base[4];
	int base_units;
	struct jr_currency *currencies; /* ISO 4217, from the database, by code */
	size_t ncurrencies;
	const char *const *symbols; /* "SYMBOL=CODE" the user gave */
	size_t nsymbols;
	struct jr_txn *txns;
	size_t ntxns, txalloc;
	struct jr_account *accounts; /* declared or used, first place */
	size_t naccounts, acalloc;
	size_t *acct_index; /* by name (jr_account_note): place + 1, 0 empty */
	size_t acap;
	struct jr_rate *rates;
	size_t nrates, ralloc;
	char **files;
	size_t nfiles, falloc;
	size_t zero; /* all-zero transactions, not imported */
	char zero_where[128];
};

/* The currency of an ISO code, or NULL (b->currencies is sorted by code). */
const struct jr_currency *jr_currency(const struct jr_book *b, const char *code);

/* Reads journal text (the whole file `len` bytes named `source`; includes
 * are read relative to it) into b. */
int jr_parse_journal(struct jr_book *b, const char *text, size_t len, const char *source,
		     struct bd_err *err);

/* Balances each transaction, checks the balance assertions and computes
 * the base amounts (jr_book's rates, which hold the client's too). */
int jr_make_books(struct jr_book *b, struct bd_err *err);

/* An account of the book by name (added at first use): its place in
 * b->accounts (which moves as it grows; the name does not). */
size_t jr_account_note(struct jr_book *b, const char *name, size_t len, const char *file, int line);

void jr_txn_add_posting(struct jr_txn *t, struct jr_posting *p);
struct jr_txn *jr_txn_new(struct jr_book *b);
void jr_book_release(struct jr_book *b);

/* Decimal helpers. */
int jr_dec_parse(const char *s, struct jr_dec *out);
void jr_dec_format(struct strbuf *out, struct jr_dec d);
/* minor units at `scale` as text: 12345, 2 -> "123.45" */
void jr_minor_format(struct strbuf *out, int64_t v, int scale);

#endif
