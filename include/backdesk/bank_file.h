#ifndef BACKDESK_BANK_FILE_H
#define BACKDESK_BANK_FILE_H
/*
 * The bank transfer file of a pay run: ISO 20022 pain.001.001.03 (customer
 * credit transfer initiation) written with libxml2's xmlTextWriter, or CSV
 * (csv.h). A plain function over a plain struct: no database.
 *
 * One group header and one payment information block (one debit of the
 * employer's account, category purpose SALA) holding a credit transfer per
 * payment. The number of transactions and the control sum are written at
 * both levels, computed from the payments before the first is written, and
 * checked again against the ones written after the last: a file whose totals
 * do not match its payments is never produced.
 *
 * Every payment must be positive and have an account: a net pay of zero or
 * less, or an employee without an account, is refused naming the employee
 * (the run's register flags both before anyone approves). Text is what the
 * schema takes: a name is cut at 140 characters, a reference at 35 (by
 * characters, never inside one); an account that reads as an IBAN is
 * written as one, any other as a generic identifier (at most 34); a BIC must
 * read as a BIC. Control characters never reach the file.
 */
#include <stdint.h>
#include <stdio.h>

#include "backdesk/err.h"
#include "backdesk/strbuf.h"

struct bd_bank_payment {
	const char *end_to_end_id;   /* unique in the file: "PR-2025-03A-E0042" */
	const char *employee_number; /* for messages and the CSV */
	const char *name;	     /* the account holder */
	const char *account;	     /* IBAN or the bank's account number */
	const char *bic;	     /* of the employee's bank, or NULL/"" */
	int64_t amount;		     /* net pay, minor units, > 0 */
	const char *remittance;	     /* "Salary 2025-03-01 to 2025-03-15", or NULL */
};

struct bd_bank_batch {
	const char *msg_id;	     /* unique per file, at most 35 characters */
	const char *created;	     /* ISO date and time: "2025-03-14T09:30:00" */
	const char *execution_date;  /* ISO date the bank pays on */
	const char *initiating_name; /* the client company */
	const char *debtor_name;     /* the client company */
	const char *debtor_account;  /* its account (IBAN or the bank's number) */
	const char *debtor_bic;	     /* its bank, or NULL/"" */
	const char *currency;	     /* ISO 4217: "PHP" */
	int scale;		     /* decimals of the amounts (2) */
	const struct bd_bank_payment *payments;
	size_t npayments;
};

/* The totals a file states, for the caller to report. */
struct bd_bank_totals {
	size_t count;
	int64_t sum;
};

/* Writes the pain.001.001.03 document to `out`: 0, or -1 with err set and
 * nothing usable written (the caller removes the file). */
int bd_bank_file_xml(const struct bd_bank_batch *batch, FILE *out, struct bd_bank_totals *totals,
		     struct bd_err *err);

/* Writes the CSV: a header, then a record per payment: end_to_end_id,
 * employee_number, name, account, bic, amount, currency, remittance. */
int bd_bank_file_csv(const struct bd_bank_batch *batch, FILE *out, struct bd_bank_totals *totals,
		     struct bd_err *err);

#endif
