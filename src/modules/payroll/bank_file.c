/*
 * The bank transfer file: pain.001.001.03 through libxml2's xmlTextWriter,
 * or CSV through csv.c. See bank_file.h.
 *
 * The element order is the schema's (GroupHeader32,
 * PaymentInstructionInformation3, CreditTransferTransactionInformation10);
 * only what a salary transfer needs is written.
 */
#include "backdesk/bank_file.h"

#include "backdesk/csv.h"
#include "backdesk/date.h"
#include "backdesk/money.h"
#include "backdesk/text.h"

#include <ctype.h>
#include <libxml/xmlwriter.h>
#include <string.h>

#define PAIN_NS "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
/* ActiveOrHistoricCurrencyAndAmount and DecimalNumber: 18 digits in all. */
#define MAX_DIGITS_VALUE 1000000000000000000LL

/* Where the writer is: scratch buffers reused for every payment. */
struct out {
	xmlTextWriterPtr w;
	struct strbuf text, num;
	int failed; /* a libxml2 call returned < 0 */
};

static const char *
who(const struct bd_bank_payment *p)
{
	return p->employee_number && *p->employee_number ? p->employee_number
	       : p->end_to_end_id			 ? p->end_to_end_id
							 : "?";
}

/* Appends s with each control or invisible character (bd_cp_is_unsafe, and
 * invalid UTF-8) as a space, cut after `max` characters; returns the number
 * of characters kept that are not white space. */
static size_t
schema_text(struct strbuf *out, const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0, i = 0, chars = 0, visible = 0;

	strbuf_reset(out);
	while (i < n && chars < max) {
		uint32_t cp;
		size_t len = bd_utf8_decode(s + i, n - i, &cp);

		if (cp == BD_REPLACEMENT_CHAR || bd_cp_is_unsafe(cp)) {
			strbuf_addch(out, ' ');
		} else {
			strbuf_add(out, s + i, len);
			if (cp != ' ')
				visible++;
		}
		i += len;
		chars++;
	}
	return visible;
}

/* The account without spaces, upper case, into out: true when it reads as
 * an IBAN (two letters, two check digits, up to 30 letters and digits) whose
 * check digits are right (ISO 13616: mod 97 of the rearranged digits is 1). */
static bool
iban(const char *account, struct strbuf *out)
{
	unsigned rem = 0;

	strbuf_reset(out);
	for (const char *p = account; *p; p++) {
		if (*p != ' ')
			strbuf_addch(out, toupper((unsigned char)*p));
	}
	if (out->len < 5 || out->len > 34 || !isupper((unsigned char)out->buf[0]) ||
	    !isupper((unsigned char)out->buf[1]) || !isdigit((unsigned char)out->buf[2]) ||
	    !isdigit((unsigned char)out->buf[3]))
		return false;
	for (size_t k = 0; k < out->len; k++) {
		char c = out->buf[(k + 4) % out->len];

		if (isdigit((unsigned char)c))
			rem = (rem * 10 + (unsigned)(c - '0')) % 97;
		else if (isupper((unsigned char)c))
			rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
		else
			return false;
	}
	return rem == 1;
}

/* BICIdentifier: [A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})? */
static bool
bic_valid(const char *b)
{
	size_t n = strlen(b);

	if (n != 8 && n != 11)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];

		if (i < 6 ? !isupper(c) : !(isupper(c) || isdigit(c)))
			return false;
	}
	if (b[6] == '0' || b[6] == '1' || b[7] == 'O')
		return false;
	return true;
}

static void
start(struct out *o, const char *name)
{
	if (xmlTextWriterStartElement(o->w, BAD_CAST name) < 0)
		o->failed = 1;
}

static void
end(struct out *o)
{
	if (xmlTextWriterEndElement(o->w) < 0)
		o->failed = 1;
}

static void
element(struct out *o, const char *name, const char *value)
{
	if (xmlTextWriterWriteElement(o->w, BAD_CAST name, BAD_CAST value) < 0)
		o->failed = 1;
}

/* <Nm> of at most 140 characters; refuses a name with nothing to show. */
static int
name_element(struct out *o, const char *name, const char *whose, struct bd_err *err)
{
	if (!schema_text(&o->text, name, 140)) {
		bd_err_set(err, BD_ERR_INVALID, "%s has no name for the bank", whose);
		return -1;
	}
	element(o, "Nm", o->text.buf);
	return 0;
}

/* <Id><IBAN>..</IBAN></Id> or <Id><Othr><Id>..</Id></Othr></Id>. */
static int
account_element(struct out *o, const char *account, const char *whose, struct bd_err *err)
{
	size_t n = account ? strlen(account) : 0;

	if (!n) {
		bd_err_set(err, BD_ERR_INVALID, "%s has no bank account", whose);
		return -1;
	}
	start(o, "Id");
	if (iban(account, &o->text)) {
		element(o, "IBAN", o->text.buf);
	} else {
		bool looks_iban = o->text.len >= 4 && isupper((unsigned char)o->text.buf[0]) &&
				  isupper((unsigned char)o->text.buf[1]) &&
				  isdigit((unsigned char)o->text.buf[2]) &&
				  isdigit((unsigned char)o->text.buf[3]) && o->text.len >= 15;

		if (looks_iban) {
			bd_err_set(err, BD_ERR_INVALID,
				   "%s: the bank account looks like an IBAN but its check digits "
				   "are wrong",
				   whose);
			return -1;
		}
		if (schema_text(&o->text, account, 35) != n || n > 34) {
			bd_err_set(err, BD_ERR_INVALID,
				   "%s: the bank account must be 1 to 34 characters without spaces",
				   whose);
			return -1;
		}
		start(o, "Othr");
		element(o, "Id", o->text.buf);
		end(o);
	}
	end(o);
	return 0;
}

/* <FinInstnId> with the BIC, or "NOTPROVIDED" as banks take it. */
static int
agent_element(struct out *o, const char *bic, const char *whose, struct bd_err *err)
{
	start(o, "FinInstnId");
	if (bic && *bic) {
		if (!bic_valid(bic)) {
			bd_err_set(err, BD_ERR_INVALID, "%s: %s is not a BIC", whose, bic);
			return -1;
		}
		element(o, "BIC", bic);
	} else {
		start(o, "Othr");
		element(o, "Id", "NOTPROVIDED");
		end(o);
	}
	end(o);
	return 0;
}

/* Counts and sums the payments, refusing what no bank may be sent. */
static int
totals_of(const struct bd_bank_batch *b, struct bd_bank_totals *t, struct bd_err *err)
{
	t->count = 0;
	t->sum = 0;
	if (b->scale < 0 || b->scale > BD_MONEY_MAX_SCALE) {
		bd_err_set(err, BD_ERR_INTERNAL, "The bank file's amounts have no valid scale");
		return -1;
	}
	if (!b->npayments) {
		bd_err_set(err, BD_ERR_INVALID, "The pay run has no payment to make");
		return -1;
	}
	for (size_t i = 0; i < b->npayments; i++) {
		const struct bd_bank_payment *p = &b->payments[i];

		if (p->amount <= 0) {
			bd_err_set(err, BD_ERR_INVALID, "%s: the net pay is not positive", who(p));
			return -1;
		}
		if (p->amount >= MAX_DIGITS_VALUE || !bd_money_add(t->sum, p->amount, &t->sum) ||
		    t->sum >= MAX_DIGITS_VALUE) {
			bd_err_set(err, BD_ERR_INVALID,
				   "The pay run's total is too large for a bank "
				   "file");
			return -1;
		}
		t->count++;
	}
	return 0;
}

static bool
currency_valid(const char *c)
{
	return c && strlen(c) == 3 && isupper((unsigned char)c[0]) &&
	       isupper((unsigned char)c[1]) && isupper((unsigned char)c[2]);
}

/* "YYYY-MM-DDTHH:MM:SS", a real date and time of day. */
static bool
datetime_valid(const char *s)
{
	struct bd_date d;
	char day[11];

	if (!s || strlen(s) != 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return false;
	memcpy(day, s, 10);
	day[10] = 0;
	for (int i = 11; i < 19; i++) {
		if (i != 13 && i != 16 && !isdigit((unsigned char)s[i]))
			return false;
	}
	return bd_date_parse_iso(day, &d, NULL) == 0 && memcmp(s + 11, "24", 2) < 0 &&
	       s[14] < '6' && s[17] < '6';
}

static int
check_batch(const struct bd_bank_batch *b, struct bd_err *err)
{
	struct bd_date d;

	if (!b->msg_id || !*b->msg_id || strlen(b->msg_id) > 35) {
		bd_err_set(err, BD_ERR_INVALID,
			   "The bank file's message id must be 1 to 35 "
			   "characters");
		return -1;
	}
	if (!currency_valid(b->currency)) {
		bd_err_set(err, BD_ERR_INVALID, "The currency must be three capital letters");
		return -1;
	}
	if (!datetime_valid(b->created)) {
		bd_err_set(err, BD_ERR_INTERNAL,
			   "The bank file's creation time is not a date and "
			   "time");
		return -1;
	}
	if (!b->execution_date || bd_date_parse_iso(b->execution_date, &d, err) < 0) {
		bd_err_set(err, BD_ERR_INVALID, "The pay date is not a date");
		return -1;
	}
	return 0;
}

/* NbOfTxs and CtrlSum, as at both levels. */
static void
totals_elements(struct out *o, const struct bd_bank_totals *t, int scale)
{
	char count[32];

	snprintf(count, sizeof(count), "%zu", t->count);
	element(o, "NbOfTxs", count);
	strbuf_reset(&o->num);
	bd_money_format(&o->num, t->sum, scale, BD_MONEY_PLAIN);
	element(o, "CtrlSum", o->num.buf);
}

static int
payment(struct out *o, const struct bd_bank_batch *b, const struct bd_bank_payment *p,
	struct bd_bank_totals *written, struct bd_err *err)
{
	int64_t back;

	start(o, "CdtTrfTxInf");
	start(o, "PmtId");
	if (!p->end_to_end_id || !*p->end_to_end_id || strlen(p->end_to_end_id) > 35 ||
	    schema_text(&o->text, p->end_to_end_id, 35) != strlen(p->end_to_end_id)) {
		bd_err_set(err, BD_ERR_INVALID,
			   "%s: the payment reference must be 1 to 35 characters without spaces",
			   who(p));
		return -1;
	}
	element(o, "EndToEndId", o->text.buf);
	end(o);
	start(o, "Amt");
	strbuf_reset(&o->num);
	bd_money_format(&o->num, p->amount, b->scale, BD_MONEY_PLAIN);
	/* What is written is what is counted: the text read back. */
	if (bd_money_from_numeric(o->num.buf, b->scale, &back, err) < 0 ||
	    !bd_money_add(written->sum, back, &written->sum))
		return -1;
	written->count++;
	start(o, "InstdAmt");
	if (xmlTextWriterWriteAttribute(o->w, BAD_CAST "Ccy", BAD_CAST b->currency) < 0 ||
	    xmlTextWriterWriteString(o->w, BAD_CAST o->num.buf) < 0)
		o->failed = 1;
	end(o);
	end(o);
	if (p->bic && *p->bic) {
		start(o, "CdtrAgt");
		if (agent_element(o, p->bic, who(p), err) < 0)
			return -1;
		end(o);
	}
	start(o, "Cdtr");
	if (name_element(o, p->name, who(p), err) < 0)
		return -1;
	end(o);
	start(o, "CdtrAcct");
	if (account_element(o, p->account, who(p), err) < 0)
		return -1;
	end(o);
	if (p->remittance && schema_text(&o->text, p->remittance, 140)) {
		start(o, "RmtInf");
		element(o, "Ustrd", o->text.buf);
		end(o);
	}
	end(o);
	return 0;
}

static int
write_document(struct out *o, const struct bd_bank_batch *b, const struct bd_bank_totals *t,
	       struct bd_err *err)
{
	struct bd_bank_totals written = {0, 0};

	if (xmlTextWriterStartDocument(o->w, "1.0", "UTF-8", NULL) < 0)
		o->failed = 1;
	start(o, "Document");
	if (xmlTextWriterWriteAttribute(o->w, BAD_CAST "xmlns", BAD_CAST PAIN_NS) < 0)
		o->failed = 1;
	start(o, "CstmrCdtTrfInitn");

	start(o, "GrpHdr");
	element(o, "MsgId", b->msg_id);
	element(o, "CreDtTm", b->created);
	totals_elements(o, t, b->scale);
	start(o, "InitgPty");
	if (name_element(o, b->initiating_name, "The client", err) < 0)
		return -1;
	end(o);
	end(o);

	start(o, "PmtInf");
	element(o, "PmtInfId", b->msg_id);
	element(o, "PmtMtd", "TRF");
	element(o, "BtchBookg", "true");
	totals_elements(o, t, b->scale);
	start(o, "PmtTpInf");
	start(o, "CtgyPurp");
	element(o, "Cd", "SALA");
	end(o);
	end(o);
	element(o, "ReqdExctnDt", b->execution_date);
	start(o, "Dbtr");
	if (name_element(o, b->debtor_name, "The client", err) < 0)
		return -1;
	end(o);
	start(o, "DbtrAcct");
	if (account_element(o, b->debtor_account, "The client", err) < 0)
		return -1;
	element(o, "Ccy", b->currency);
	end(o);
	start(o, "DbtrAgt");
	if (agent_element(o, b->debtor_bic, "The client", err) < 0)
		return -1;
	end(o);
	element(o, "ChrgBr", "SLEV");
	for (size_t i = 0; i < b->npayments && !o->failed; i++) {
		if (payment(o, b, &b->payments[i], &written, err) < 0)
			return -1;
	}
	end(o); /* PmtInf */
	end(o); /* CstmrCdtTrfInitn */
	end(o); /* Document */
	if (xmlTextWriterEndDocument(o->w) < 0)
		o->failed = 1;
	if (!o->failed && (written.count != t->count || written.sum != t->sum)) {
		bd_err_set(err, BD_ERR_INTERNAL,
			   "The bank file's payments do not add up to its control sum");
		return -1;
	}
	return 0;
}

int
bd_bank_file_xml(const struct bd_bank_batch *batch, FILE *out, struct bd_bank_totals *totals,
		 struct bd_err *err)
{
	struct out o = {NULL, STRBUF_INIT, STRBUF_INIT, 0};
	struct bd_bank_totals t;
	xmlOutputBufferPtr buf;
	int rc = -1;

	if (check_batch(batch, err) < 0 || totals_of(batch, &t, err) < 0)
		return -1;
	buf = xmlOutputBufferCreateFile(out, NULL);
	if (!buf || !(o.w = xmlNewTextWriter(buf))) {
		if (buf)
			xmlOutputBufferClose(buf);
		bd_err_set(err, BD_ERR_INTERNAL, "The bank file could not be started");
		return -1;
	}
	/* No indentation: a third of the file's bytes (and of the time to write
	 * them) for a file no person reads; `xmllint --format` shows it. */
	if (write_document(&o, batch, &t, err) == 0) {
		if (xmlTextWriterFlush(o.w) < 0 || o.failed || ferror(out)) {
			bd_err_set(err, BD_ERR_IO, "The bank file could not be written");
		} else {
			rc = 0;
			if (totals)
				*totals = t;
		}
	}
	xmlFreeTextWriter(o.w); /* closes buf, not `out` */
	strbuf_release(&o.text);
	strbuf_release(&o.num);
	return rc;
}

int
bd_bank_file_csv(const struct bd_bank_batch *batch, FILE *out, struct bd_bank_totals *totals,
		 struct bd_err *err)
{
	static const char *const head[] = {
	    "end_to_end_id", "employee_number", "name",	    "account",
	    "bic",	     "amount",		"currency", "remittance"};
	struct strbuf sb = STRBUF_INIT, num = STRBUF_INIT, acct = STRBUF_INIT;
	struct bd_bank_totals t;
	int rc = -1;

	if (check_batch(batch, err) < 0 || totals_of(batch, &t, err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		bd_csv_cell(&sb, head[i], i == 0);
	bd_csv_end_record(&sb);
	for (size_t i = 0; i < batch->npayments; i++) {
		const struct bd_bank_payment *p = &batch->payments[i];

		if (!p->account || !*p->account) {
			bd_err_set(err, BD_ERR_INVALID, "%s has no bank account", who(p));
			goto out;
		}
		if (p->bic && *p->bic && !bic_valid(p->bic)) {
			bd_err_set(err, BD_ERR_INVALID, "%s: %s is not a BIC", who(p), p->bic);
			goto out;
		}
		strbuf_reset(&num);
		bd_money_format(&num, p->amount, batch->scale, BD_MONEY_PLAIN);
		bd_csv_cell(&sb, p->end_to_end_id ? p->end_to_end_id : "", true);
		bd_csv_cell(&sb, p->employee_number ? p->employee_number : "", false);
		bd_csv_cell(&sb, p->name ? p->name : "", false);
		bd_csv_cell(&sb, iban(p->account, &acct) ? acct.buf : p->account, false);
		bd_csv_cell(&sb, p->bic ? p->bic : "", false);
		bd_csv_cell(&sb, num.buf, false);
		bd_csv_cell(&sb, batch->currency, false);
		bd_csv_cell(&sb, p->remittance ? p->remittance : "", false);
		bd_csv_end_record(&sb);
		if (sb.len >= 1 << 16) {
			if (fwrite(sb.buf, 1, sb.len, out) != sb.len)
				goto io;
			strbuf_reset(&sb);
		}
	}
	if (sb.len && fwrite(sb.buf, 1, sb.len, out) != sb.len)
		goto io;
	if (fflush(out) != 0)
		goto io;
	rc = 0;
	if (totals)
		*totals = t;
	goto out;
io:
	bd_err_set(err, BD_ERR_IO, "The bank file could not be written");
out:
	strbuf_release(&sb);
	strbuf_release(&num);
	strbuf_release(&acct);
	return rc;
}
