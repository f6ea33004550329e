/* Reading hledger/ledger journal text into books (journal_internal.h).
 *
 * What is read, as hledger reads it: transactions (DATE[=DATE2] [*|!]
 * [(CODE)] DESCRIPTION [; comment]) with dates whose month and day may lack
 * their leading zero (2014/1/1, or 1/1 after Y/year), postings (ACCOUNT, two
 * spaces, [AMOUNT [@ PRICE | @@ TOTAL]] [= ASSERTION | == | =* | ==*]
 * [; memo]), amounts with the commodity before or after, with or without a
 * space, a sign before or after a leading commodity, a leading +, digit
 * groups; the directives account (with ; type: A/L/E/R/X/C/V), alias (plain
 * and /regex/) and end aliases, apply account / end apply account,
 * commodity (its format fixes its decimal mark), decimal-mark, D, include,
 * P, payee, tag, Y/year, comment ... end comment; comment lines (; # * % |);
 * periodic transactions (~), which hledger bal does not count either.
 * Anything else is refused with FILE:LINE and what was expected: auto
 * postings (=), virtual postings, lots, timeclock, posting dates, amounts
 * whose decimal mark is ambiguous (1,000 is one to hledger and a thousand
 * to ledger: decimal-mark says which), non-currency commodities.
 */
#include "journal_internal.h"

#include "backdesk/command.h"
#include "backdesk/csv.h"
#include "backdesk/date.h"
#include "backdesk/xalloc.h"

#include <ctype.h>
#include <glob.h>
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_INCLUDE_DEPTH = 16 };

struct alias {
	char *from, *to;
	regex_t re;
	bool is_re, owned; /* owned: this scope frees it (else its includer's) */
};

/* What a file's directives set: each included file starts from its
 * includer's and changes only its own (as in hledger). */
struct scope {
	char decimal_mark; /* 0: infer */
	int year;	   /* Y: 0 none */
	char default_cur[4];
	char default_mark;
	struct alias *aliases;
	size_t naliases, alalloc;
	char **apply; /* apply account stack */
	size_t napply, apalloc;
};

struct commodity_mark {
	char code[4];
	char mark;
};

/* What every file of one import shares. */
struct shared {
	struct commodity_mark *marks; /* commodity directives' decimal marks */
	size_t nmarks, mkalloc;
	const char *stack[MAX_INCLUDE_DEPTH + 1]; /* files being read: include cycles */
	/* scratch of a posting, reused: no allocation per line */
	struct strbuf name, amount, assertion, num, sym;
};

struct parser {
	struct jr_book *b;
	const char *file;
	int line;
	struct bd_err *err;
	struct scope sc;
	struct jr_txn *txn; /* being read */
	enum { IN_NONE, IN_TXN, IN_ACCOUNT, IN_COMMODITY, IN_SKIP } block;
	char block_cur[4];
	int depth;
	struct shared *sh;
	struct jr_account *last_account; /* of an account directive, for its tags */
};

__attribute__((format(printf, 2, 3))) static int
fail(struct parser *ps, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bd_err_set(ps->err, BD_ERR_INVALID, "%s:%d: %s", ps->file, ps->line, msg);
	return -1;
}

/* --- decimals ------------------------------------------------------------- */

int
jr_dec_parse(const char *s, struct jr_dec *out)
{
	__int128 m = 0;
	int scale = -1, digits = 0;
	bool neg = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s; s++) {
		if (*s == '.' && scale < 0) {
			scale = 0;
			continue;
		}
		if (!isdigit((unsigned char)*s) || ++digits > 30)
			return -1;
		m = m * 10 + (*s - '0');
		if (scale >= 0)
			scale++;
	}
	if (digits == 0)
		return -1;
	out->m = neg ? -m : m;
	out->s = scale < 0 ? 0 : scale;
	return 0;
}

void
jr_dec_format(struct strbuf *out, struct jr_dec d)
{
	char buf[64];
	int n = 0, i;
	__int128 m = d.m < 0 ? -d.m : d.m;

	while (d.s > 0 && m % 10 == 0) { /* no trailing zeros */
		m /= 10;
		d.s--;
	}
	do {
		buf[n++] = (char)('0' + (int)(m % 10));
		m /= 10;
	} while (m || n <= d.s);
	if (d.m < 0)
		strbuf_addch(out, '-');
	for (i = n - 1; i >= 0; i--) {
		strbuf_addch(out, buf[i]);
		if (i == d.s && i > 0)
			strbuf_addch(out, '.');
	}
}

void
jr_minor_format(struct strbuf *out, int64_t v, int scale)
{
	struct jr_dec d = {v, scale};
	char buf[64];
	int n = 0, i;
	__int128 m = d.m < 0 ? -d.m : d.m;

	do {
		buf[n++] = (char)('0' + (int)(m % 10));
		m /= 10;
	} while (m || n <= scale);
	if (v < 0)
		strbuf_addch(out, '-');
	for (i = n - 1; i >= 0; i--) {
		strbuf_addch(out, buf[i]);
		if (i == scale && i > 0)
			strbuf_addch(out, '.');
	}
}

/* --- book ----------------------------------------------------------------- */

const struct jr_currency *
jr_currency(const struct jr_book *b, const char *code)
{
	size_t lo = 0, hi = b->ncurrencies;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(b->currencies[mid].code, code);

		if (c == 0)
			return &b->currencies[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static uint64_t
name_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

size_t
jr_account_note(struct jr_book *b, const char *name, size_t len, const char *file, int line)
{
	struct jr_account *a;
	size_t i, k;
	uint64_t h = name_hash(name, len);

	for (i = h & (b->acap - 1); b->acct_index && b->acct_index[i];
	     i = (i + 1) & (b->acap - 1)) {
		const char *have = b->accounts[b->acct_index[i] - 1].name;

		if (!strncmp(have, name, len) && !have[len])
			return b->acct_index[i] - 1;
	}
	if ((b->naccounts + 1) * 2 > b->acap) {
		/* the index by name: slots hold an account's place + 1 */
		size_t cap = b->acap ? b->acap * 2 : 256;
		size_t *index = xcalloc(cap, sizeof(*index));

		for (k = 0; k < b->naccounts; k++) {
			const char *nk = b->accounts[k].name;

			for (i = name_hash(nk, strlen(nk)) & (cap - 1); index[i];
			     i = (i + 1) & (cap - 1))
				;
			index[i] = k + 1;
		}
		free(b->acct_index);
		b->acct_index = index;
		b->acap = cap;
		for (i = h & (cap - 1); index[i]; i = (i + 1) & (cap - 1))
			;
	}
	b->acct_index[i] = b->naccounts + 1;
	BD_GROW(b->accounts, b->naccounts + 1, b->acalloc);
	a = &b->accounts[b->naccounts];
	a->name = xstrndup(name, len);
	a->type = 0;
	a->file = file;
	a->line = line;
	return b->naccounts++;
}

struct jr_txn *
jr_txn_new(struct jr_book *b)
{
	struct jr_txn *t;

	BD_GROW(b->txns, b->ntxns + 1, b->txalloc);
	t = &b->txns[b->ntxns];
	memset(t, 0, sizeof(*t));
	t->seq = b->ntxns++;
	return t;
}

void
jr_txn_add_posting(struct jr_txn *t, struct jr_posting *p)
{
	if (!t->alloc) {
		/* most transactions have two postings: BD_GROW's first 8 make a
		 * million transactions a gigabyte */
		t->p = xmalloc(2 * sizeof(*t->p));
		t->alloc = 2;
	}
	BD_GROW(t->p, t->n + 1, t->alloc);
	t->p[t->n++] = *p;
}

void
jr_book_release(struct jr_book *b)
{
	size_t i, j;

	for (i = 0; i < b->ntxns; i++) {
		struct jr_txn *t = &b->txns[i];

		for (j = 0; j < t->n; j++)
			free(t->p[j].memo);
		free(t->p);
		free(t->description);
		free(t->journal);
		free(t->reference);
	}
	free(b->txns);
	for (i = 0; i < b->naccounts; i++)
		free(b->accounts[i].name);
	free(b->accounts);
	free(b->acct_index);
	free(b->rates);
	for (i = 0; i < b->nfiles; i++)
		free(b->files[i]);
	free(b->files);
	free(b->currencies);
	memset(b, 0, sizeof(*b));
}

static const char *
keep_file(struct jr_book *b, const char *name)
{
	BD_GROW(b->files, b->nfiles + 1, b->falloc);
	b->files[b->nfiles] = xstrdup(name);
	return b->files[b->nfiles++];
}

/* --- text helpers ------------------------------------------------------- */

static char *
trim_dup(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* s[0..n) without the spaces around it, as text in sb (reset first). */
static char *
trim_into(struct strbuf *sb, const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	strbuf_reset(sb);
	strbuf_add(sb, s, n);
	return sb->buf;
}

static bool
word_is(const char *s, const char *w)
{
	size_t n = strlen(w);

	return !strncmp(s, w, n) && (s[n] == '\0' || s[n] == ' ' || s[n] == '\t');
}

static const char *
skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* The end of an account name: two spaces, a tab, or the end. */
static size_t
account_len(const char *s)
{
	size_t n;

	for (n = 0; s[n] && s[n] != '\t' && !(s[n] == ' ' && s[n + 1] == ' '); n++)
		;
	while (n && s[n - 1] == ' ')
		n--;
	return n;
}

/* --- commodities and amounts ---------------------------------------------- */

static const struct {
	const char *symbol, *code;
} symbols[] = {
    {"$", "USD"},   {"US$", "USD"}, {"€", "EUR"},  {"£", "GBP"},  {"¥", "JPY"},	 {"₹", "INR"},
    {"₽", "RUB"}, {"₩", "KRW"},   {"₺", "TRY"},  {"R$", "BRL"}, {"C$", "CAD"}, {"A$", "AUD"},
    {"NZ$", "NZD"}, {"HK$", "HKD"}, {"S$", "SGD"}, {"₪", "ILS"},  {"₫", "VND"},	 {"₱", "PHP"},
    {"฿", "THB"},   {"₴", "UAH"},   {"₦", "NGN"},  {"zł", "PLN"}, {"Kč", "CZK"}, {"Fr", "CHF"},
};

/* The ISO code of a commodity as written ("" is the default commodity or
 * the base currency). */
static int
commodity_code(struct parser *ps, const char *sym, char code[4])
{
	const struct jr_book *b = ps->b;
	size_t i, n = strlen(sym);

	if (n == 0) {
		memcpy(code, *ps->sc.default_cur ? ps->sc.default_cur : b->base, 4);
		return 0;
	}
	for (i = 0; i < b->nsymbols; i++) {
		const char *eq = strchr(b->symbols[i], '=');

		if (eq && (size_t)(eq - b->symbols[i]) == n && !strncmp(b->symbols[i], sym, n) &&
		    strlen(eq + 1) == 3) {
			memcpy(code, eq + 1, 4);
			for (int k = 0; k < 3; k++)
				code[k] = (char)toupper((unsigned char)code[k]);
			if (!jr_currency(b, code))
				return fail(ps, "%s is not an ISO 4217 currency (--commodity %s)",
					    code, b->symbols[i]);
			return 0;
		}
	}
	if (n == 3 && jr_currency(b, sym)) {
		memcpy(code, sym, 4);
		return 0;
	}
	for (i = 0; i < sizeof(symbols) / sizeof(*symbols); i++)
		if (!strcmp(symbols[i].symbol, sym)) {
			memcpy(code, symbols[i].code, 4);
			return 0;
		}
	return fail(
	    ps,
	    "%s is not a currency (an ISO 4217 code such as EUR, or $ EUR £ ¥...): the books "
	    "hold money only (--commodity %s=CODE names one)",
	    sym, sym);
}

static char
mark_of(struct parser *ps, const char *code)
{
	size_t i;

	if (ps->sc.decimal_mark)
		return ps->sc.decimal_mark;
	for (i = 0; i < ps->sh->nmarks; i++)
		if (!strcmp(ps->sh->marks[i].code, code))
			return ps->sh->marks[i].mark;
	if (*ps->sc.default_cur && !strcmp(ps->sc.default_cur, code) && ps->sc.default_mark)
		return ps->sc.default_mark;
	return 0;
}

static bool
is_commodity_char(const char *s)
{
	unsigned char c = (unsigned char)*s;

	return c && !isdigit(c) && !isspace(c) && !strchr("-+.,@;=*()[]{}\"'_", c);
}

/* Whether the space at p groups digits ("1 000,00", as hledger reads it):
 * digits before it and a group of three after. */
static bool
group_space(const char *p, const struct strbuf *num)
{
	if (*p != ' ' || !num->len || !isdigit((unsigned char)num->buf[num->len - 1]))
		return false;
	for (int i = 1; i <= 3; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	return !isdigit((unsigned char)p[4]);
}

/* Splits an amount "-$1,000.00", "$ -10", "10 EUR", "EUR10", "\"a b\" 3",
 * "1 000,00 EUR" into sign, number text and commodity symbol. */
static int
split_amount(struct parser *ps, const char *s, bool *neg, struct strbuf *num, struct strbuf *sym)
{
	const char *p = skip_ws(s);
	bool signed_ = false;

	*neg = false;
	if (*p == '-' || *p == '+') {
		*neg = *p == '-';
		signed_ = true;
		p = skip_ws(p + 1);
	}
	for (int side = 0; side < 2; side++) {
		if (side == 1) {
			while (isdigit((unsigned char)*p) || *p == '.' || *p == ',' || *p == '_' ||
			       *p == '\'' || group_space(p, num))
				strbuf_addch(num, *p++);
			p = skip_ws(p);
			if (sym->len)
				break;
		}
		if (*p == '"') {
			const char *q = strchr(p + 1, '"');

			if (!q)
				return fail(ps, "a quoted commodity never ends");
			strbuf_add(sym, p + 1, (size_t)(q - p - 1));
			p = skip_ws(q + 1);
		} else {
			const char *q = p;

			while (is_commodity_char(q))
				q++;
			strbuf_add(sym, p, (size_t)(q - p));
			p = skip_ws(q);
		}
		if (side == 0 && sym->len && (*p == '-' || *p == '+')) {
			if (signed_)
				return fail(ps, "an amount has one sign");
			*neg = *p == '-';
			p = skip_ws(p + 1);
		}
	}
	if (*p)
		return fail(ps, "not an amount: \"%s\" (an amount is like -$1,000.00 or 10.00 EUR)",
			    s);
	if (!num->len)
		return fail(ps, "not an amount: \"%s\" (no number)", s);
	return 0;
}

/* Reads the number text in minor units at `units`, with the decimal mark
 * `mark` (0: inferred, refusing a lone mark before three digits). */
static int
number_value(struct parser *ps, const char *num, char mark, int units, const char *code,
	     int64_t *out)
{
	size_t ndot = 0, ncomma = 0, i, n = strlen(num);
	const char *lastdot = strrchr(num, '.'), *lastcomma = strrchr(num, ',');
	const char *dm = NULL;
	__int128 v = 0;
	int frac = -1;

	for (i = 0; i < n; i++) {
		ndot += num[i] == '.';
		ncomma += num[i] == ',';
	}
	if (mark == '.' || mark == ',') {
		const char *other = mark == '.' ? lastcomma : lastdot;

		dm = mark == '.' ? lastdot : lastcomma;
		if ((mark == '.' ? ndot : ncomma) > 1)
			return fail(ps, "%s has more than one decimal mark (%c)", num, mark);
		if (dm && other && other > dm)
			return fail(ps, "%s has a digit group mark after its decimal mark (%c)",
				    num, mark);
	} else if (ndot && ncomma) {
		dm = lastdot > lastcomma ? lastdot : lastcomma;
		if ((*dm == '.' ? ndot : ncomma) > 1)
			return fail(ps, "%s is not a number", num);
	} else if (ndot + ncomma == 1) {
		const char *m = lastdot ? lastdot : lastcomma;
		size_t after = strspn(m + 1, "0123456789");

		/* 1,000: one to hledger, a thousand to ledger (1.000 is one to both) */
		if (*m == ',' && after == 3 && m > num && m - num <= 3)
			return fail(
			    ps,
			    "%s is ambiguous: one to hledger, a thousand to ledger; say which "
			    "with decimal-mark . or decimal-mark , (or a commodity directive)",
			    num);
		dm = m;
	} /* else several of one mark: digit groups */
	for (i = 0; i < n; i++) {
		char c = num[i];

		if (num + i == dm) {
			frac = 0;
			continue;
		}
		if (c == '.' || c == ',' || c == '_' || c == '\'' || c == ' ') {
			if (frac >= 0 || i == 0 || !isdigit((unsigned char)num[i - 1]) ||
			    !isdigit((unsigned char)num[i + 1]))
				return fail(ps, "%s is not a number (digit groups)", num);
			continue;
		}
		if (frac >= 0) {
			if (++frac > units) {
				if (c != '0')
					return fail(ps, "%s has more decimals than %s has (%d)",
						    num, code, units);
				continue;
			}
		}
		v = v * 10 + (c - '0');
		if (v > (__int128)1000000000000000000)
			return fail(ps, "%s is too large", num);
	}
	for (frac = frac < 0 ? 0 : frac > units ? units : frac; frac < units; frac++)
		v *= 10;
	if (v >= (__int128)INT64_MAX / 10)
		return fail(ps, "%s is too large", num);
	*out = (int64_t)v;
	return 0;
}

/* Parses an amount into a currency and minor units. */
static int
parse_amount(struct parser *ps, const char *s, char code[4], int64_t *qty)
{
	struct strbuf *num = &ps->sh->num, *sym = &ps->sh->sym;
	const struct jr_currency *c;
	bool neg;

	strbuf_reset(num);
	strbuf_reset(sym);
	if (split_amount(ps, s, &neg, num, sym) < 0 || commodity_code(ps, sym->buf, code) < 0)
		return -1;
	c = jr_currency(ps->b, code);
	if (number_value(ps, num->buf, mark_of(ps, code), c->units, code, qty) < 0)
		return -1;
	if (neg)
		*qty = -*qty;
	return 0;
}

/* A price: a decimal (any number of decimals) in a currency. */
static int
parse_price(struct parser *ps, const char *s, char code[4], struct jr_dec *out)
{
	struct strbuf num = STRBUF_INIT, sym = STRBUF_INIT, plain = STRBUF_INIT;
	bool neg;
	int rc = -1;
	char mark;
	size_t i;

	if (split_amount(ps, s, &neg, &num, &sym) < 0 || commodity_code(ps, sym.buf, code) < 0)
		goto out;
	mark = mark_of(ps, code);
	if (!mark) {
		const char *d = strrchr(num.buf, '.'), *c = strrchr(num.buf, ',');

		mark = (d && (!c || d > c)) ? '.' : c ? ',' : '.';
		if (d && c == NULL && strchr(num.buf, '.') != d)
			mark = ','; /* 1.000.000: groups */
	}
	for (i = 0; i < num.len; i++) {
		char ch = num.buf[i];

		if (ch == mark)
			strbuf_addch(&plain, '.');
		else if (isdigit((unsigned char)ch))
			strbuf_addch(&plain, ch);
	}
	if (neg || jr_dec_parse(plain.buf, out) < 0 || out->m == 0) {
		fail(ps, "a price is a positive amount: %s", s);
		goto out;
	}
	rc = 0;
out:
	strbuf_release(&plain);
	strbuf_release(&num);
	strbuf_release(&sym);
	return rc;
}

/* --- dates ---------------------------------------------------------------- */

static int
parse_date(struct parser *ps, const char *s, size_t n, int32_t *days, char iso[11])
{
	char buf[16];
	int part[3], np = 0, digits = 0;
	char sep = 0;
	size_t i;
	struct bd_date d;

	if (n == 0 || n >= sizeof(buf))
		return fail(ps, "expected a date (2024-01-31, 2024/1/31 or 1/31 after Y)");
	memcpy(buf, s, n);
	buf[n] = '\0';
	part[0] = 0;
	for (i = 0; i < n; i++) {
		char c = buf[i];

		if (isdigit((unsigned char)c)) {
			part[np] = part[np] * 10 + (c - '0');
			if (++digits > 4)
				goto bad;
			continue;
		}
		if ((c != '-' && c != '/' && c != '.') || digits == 0 || np == 2 ||
		    (sep && c != sep))
			goto bad;
		sep = c;
		part[++np] = 0;
		digits = 0;
	}
	if (digits == 0)
		goto bad;
	if (np == 1) {
		if (!ps->sc.year)
			return fail(ps, "the date %s has no year, and no Y directive gives one",
				    buf);
		part[2] = part[1];
		part[1] = part[0];
		part[0] = ps->sc.year;
	} else if (np != 2) {
		goto bad;
	}
	if (bd_date_set(&d, part[0], part[1], part[2], NULL) < 0 || part[0] < 1900 ||
	    part[0] > 2199)
		goto bad;
	*days = bd_date_to_days(&d);
	bd_date_to_iso(&d, iso);
	return 0;
bad:
	return fail(ps, "expected a date (2024-01-31, 2024/1/31 or 1/31 after Y), not \"%s\"", buf);
}

/* --- accounts ------------------------------------------------------------- */

/* The account of a posting or directive (s[0..n), apply account and
 * aliases applied), noted in the book: its place in b->accounts. */
static int
account_name(struct parser *ps, const char *s, size_t n, size_t *acct)
{
	struct strbuf *name = &ps->sh->name;
	size_t i;

	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n)
		return fail(ps, "expected an account name");
	if (*s == '(' || *s == '[')
		return fail(ps,
			    "virtual postings ((account) or [account]) are not part of the books");
	strbuf_reset(name);
	for (i = 0; i < ps->sc.napply; i++) {
		strbuf_addstr(name, ps->sc.apply[i]);
		strbuf_addch(name, ':');
	}
	strbuf_add(name, s, n);
	/* the nearest alias first (hledger: most recently parsed first) */
	for (i = ps->sc.naliases; i-- > 0;) {
		const struct alias *a = &ps->sc.aliases[i];

		if (a->is_re) {
			regmatch_t m[10];

			if (regexec(&a->re, name->buf, 10, m, 0) == 0) {
				struct strbuf r = STRBUF_INIT;
				const char *t;

				strbuf_add(&r, name->buf, (size_t)m[0].rm_so);
				for (t = a->to; *t; t++) {
					if (*t == '\\' && isdigit((unsigned char)t[1])) {
						int g = t[1] - '0';

						if (m[g].rm_so >= 0)
							strbuf_add(
							    &r, name->buf + m[g].rm_so,
							    (size_t)(m[g].rm_eo - m[g].rm_so));
						t++;
					} else {
						strbuf_addch(&r, *t);
					}
				}
				strbuf_addstr(&r, name->buf + m[0].rm_eo);
				strbuf_reset(name);
				strbuf_add(name, r.buf, r.len);
				strbuf_release(&r);
			}
		} else {
			size_t fl = strlen(a->from);

			if (!strncmp(name->buf, a->from, fl) &&
			    (name->buf[fl] == '\0' || name->buf[fl] == ':')) {
				struct strbuf r = STRBUF_INIT;

				strbuf_addstr(&r, a->to);
				strbuf_addstr(&r, name->buf + fl);
				strbuf_reset(name);
				strbuf_add(name, r.buf, r.len);
				strbuf_release(&r);
			}
		}
	}
	if (strstr(name->buf, "::") || name->buf[0] == ':' || name->buf[name->len - 1] == ':' ||
	    strstr(name->buf, " :") || strstr(name->buf, ": ") || strchr(name->buf, ';') ||
	    name->len > 400) {
		return fail(ps, "not an account name: \"%s\" (parts separated by \":\", no \";\")",
			    name->buf);
	}
	*acct = jr_account_note(ps->b, name->buf, name->len, ps->file, ps->line);
	return 0;
}

/* type:X in a comment, X one of hledger's codes or words. */
static int
account_type(struct parser *ps, const char *comment, char *type)
{
	static const struct {
		const char *word;
		char type;
	} words[] = {
	    {"a", 'A'},	   {"asset", 'A'},   {"assets", 'A'},	 {"c", 'A'},
	    {"cash", 'A'}, {"l", 'L'},	     {"liability", 'L'}, {"liabilities", 'L'},
	    {"e", 'E'},	   {"equity", 'E'},  {"v", 'E'},	 {"conversion", 'E'},
	    {"r", 'R'},	   {"revenue", 'R'}, {"revenues", 'R'},	 {"income", 'R'},
	    {"x", 'X'},	   {"expense", 'X'}, {"expenses", 'X'},
	};
	const char *t = comment ? strstr(comment, "type:") : NULL;
	char word[32];
	size_t n, i;

	*type = 0;
	if (!t)
		return 0;
	t = skip_ws(t + 5);
	n = strcspn(t, " \t,");
	if (n >= sizeof(word))
		n = sizeof(word) - 1;
	for (i = 0; i < n; i++)
		word[i] = (char)tolower((unsigned char)t[i]);
	word[n] = '\0';
	for (i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (!strcmp(words[i].word, word)) {
			*type = words[i].type;
			return 0;
		}
	return fail(ps, "unknown account type \"%s\" (A, L, E, R, X, C or V)", word);
}

/* --- postings ------------------------------------------------------------- */

static int
posting(struct parser *ps, const char *s)
{
	struct shared *sh = ps->sh;
	struct jr_posting p;
	const char *rest, *semi, *eq;
	char *amount, *at, *end;
	size_t n;

	memset(&p, 0, sizeof(p));
	p.line = ps->line;
	s = skip_ws(s);
	if ((*s == '*' || *s == '!') && (s[1] == ' ' || s[1] == '\t'))
		s = skip_ws(s + 1);
	n = account_len(s);
	if (account_name(ps, s, n, &p.acct) < 0)
		return -1;
	p.account = ps->b->accounts[p.acct].name;
	rest = skip_ws(s + n);
	semi = strchr(rest, ';');
	n = semi ? (size_t)(semi - rest) : strlen(rest);
	if (semi && (strstr(semi, "date:") || strstr(semi, "date2:")))
		return fail(ps,
			    "posting dates (date: tags) are not supported: date the transaction");
	if (memchr(rest, '{', n) || memchr(rest, '(', n) || memchr(rest, '[', n))
		return fail(ps, "lot prices, dates and notes ({}, [], ()) are not supported");
	eq = memchr(rest, '=', n);
	if (eq) {
		const char *a = eq + 1;
		char *assertion;

		p.assertion = JR_ASSERT_ONE;
		if (*a == '=') {
			p.assertion = JR_ASSERT_TOTAL;
			a++;
		}
		if (*a == '*') {
			p.assert_incl = true;
			a++;
		}
		assertion = trim_into(&sh->assertion, a, (size_t)(rest + n - a));
		/* a price in an assertion is not checked (as in hledger) */
		assertion[strcspn(assertion, "@")] = '\0';
		if (parse_amount(ps, assertion, p.assert_cur, &p.assert_qty) < 0)
			return -1;
		p.assert_nothing = p.assert_qty == 0 && !ps->sc.default_cur[0] &&
				   strspn(assertion, "+-0.,_' \t") == strlen(assertion);
		n = (size_t)(eq - rest);
	}
	amount = trim_into(&sh->amount, rest, n);
	if ((at = strchr(amount, '@')) != NULL) {
		p.price = at[1] == '@' ? JR_PRICE_TOTAL : JR_PRICE_UNIT;
		*at = '\0';
		if (parse_price(ps, at + (p.price == JR_PRICE_TOTAL ? 2 : 1), p.price_cur,
				&p.price_amt) < 0)
			return -1;
	}
	for (end = amount + strlen(amount); end > amount && isspace((unsigned char)end[-1]); end--)
		;
	*end = '\0';
	if (*amount) {
		if (parse_amount(ps, amount, p.cur, &p.qty) < 0)
			return -1;
		p.has_amount = true;
	} else if (p.price) {
		return fail(ps, "a price (@) needs an amount");
	} else if (p.assertion) {
		p.assign = true;
	}
	if (p.price && !strcmp(p.price_cur, p.cur))
		return fail(ps, "a price in the posting's own currency (%s)", p.cur);
	if (semi && *skip_ws(semi + 1))
		p.memo = trim_dup(semi + 1, strlen(semi + 1));
	jr_txn_add_posting(ps->txn, &p);
	return 0;
}

/* --- transactions and directives ---------------------------------------- */

static int
header(struct parser *ps, const char *s)
{
	struct jr_txn *t;
	const char *p, *semi, *ref;
	size_t n = strcspn(s, " \t=;");
	int32_t days;
	char iso[11];

	if (parse_date(ps, s, n, &days, iso) < 0)
		return -1;
	p = s + n;
	if (*p == '=') {
		int32_t d2;
		char iso2[11];
		size_t n2 = strcspn(p + 1, " \t;");

		if (parse_date(ps, p + 1, n2, &d2, iso2) < 0)
			return -1;
		p += 1 + n2;
	}
	if (*p && *p != ' ' && *p != '\t' && *p != ';')
		return fail(ps, "expected a space after the date");
	t = jr_txn_new(ps->b);
	ps->txn = t;
	t->file = ps->file;
	t->line = ps->line;
	t->date = days;
	memcpy(t->iso, iso, sizeof(t->iso));
	p = skip_ws(p);
	if ((*p == '*' || *p == '!') && (p[1] == ' ' || p[1] == '\t' || !p[1]))
		p = skip_ws(p + 1);
	if (*p == '(') {
		const char *end = strchr(p, ')');
		size_t j;

		if (!end)
			return fail(ps, "a code in ( ) never ends");
		/* a Backdesk export's entry number (GJ-2025-000042) says the journal;
		 * any other code is the reference */
		j = strspn(p + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
		if (j >= 2 && j <= 4 && end - p == (ptrdiff_t)j + 13 && p[1 + j] == '-' &&
		    strspn(p + 2 + j, "0123456789") == 4 && p[6 + j] == '-' &&
		    strspn(p + 7 + j, "0123456789") == 6)
			t->journal = xstrndup(p + 1, j);
		else
			t->reference = trim_dup(p + 1, (size_t)(end - p - 1));
		p = skip_ws(end + 1);
	}
	semi = strchr(p, ';');
	t->description = trim_dup(p, semi ? (size_t)(semi - p) : strlen(p));
	if (semi && (ref = strstr(semi, "ref:"))) {
		free(t->reference);
		t->reference = trim_dup(ref + 4, strcspn(ref + 4, ","));
	}
	if (t->reference && strlen(t->reference) > 40)
		return fail(ps, "a reference is at most 40 characters");
	if (strlen(t->description) > 200)
		return fail(ps, "a description is at most 200 characters");
	ps->block = IN_TXN;
	return 0;
}

static int parse_text(struct parser *ps, const char *text, size_t len);
static void aliases_end(struct parser *ps);

/* Reads the included file `path` with a scope of its own. */
static int
include_file(struct parser *ps, const char *path)
{
	struct strbuf text = STRBUF_INIT;
	struct parser child = *ps;
	int rc = -1, i;

	if (ps->depth >= MAX_INCLUDE_DEPTH) {
		fail(ps, "includes nest too deep");
		goto out;
	}
	for (i = 0; i <= ps->depth; i++)
		if (!strcmp(ps->sh->stack[i], path)) {
			fail(ps, "%s includes itself", path);
			goto out;
		}
	if (bd_cli_read_file(path, &text, ps->err) < 0) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s", ps->err->msg);
		fail(ps, "include: %s", msg);
		goto out;
	}
	child.file = keep_file(ps->b, path);
	child.line = 0;
	child.depth = ps->depth + 1;
	ps->sh->stack[child.depth] = child.file;
	child.last_account = NULL;
	child.txn = NULL;
	child.block = IN_NONE;
	/* the child's own scope: a copy of its includer's */
	child.sc.aliases = NULL;
	child.sc.naliases = child.sc.alalloc = 0;
	child.sc.apply = NULL;
	child.sc.napply = child.sc.apalloc = 0;
	for (size_t k = 0; k < ps->sc.naliases; k++) {
		BD_GROW(child.sc.aliases, child.sc.naliases + 1, child.sc.alalloc);
		child.sc.aliases[child.sc.naliases] = ps->sc.aliases[k];
		child.sc.aliases[child.sc.naliases].owned = false;
		child.sc.naliases++;
	}
	for (size_t k = 0; k < ps->sc.napply; k++) {
		BD_GROW(child.sc.apply, child.sc.napply + 1, child.sc.apalloc);
		child.sc.apply[child.sc.napply++] = xstrdup(ps->sc.apply[k]);
	}
	if (bd_text_file_check(text.buf, text.len, child.file, ps->err) < 0)
		rc = -1;
	else
		rc = parse_text(&child, text.buf, text.len);
	aliases_end(&child);
	free(child.sc.aliases);
	for (size_t k = 0; k < child.sc.napply; k++)
		free(child.sc.apply[k]);
	free(child.sc.apply);
out:
	strbuf_release(&text);
	return rc;
}

/* include FILE, or a pattern (2024-*.journal, ~/books/20??.journal):
 * every file it matches, in name order, as hledger reads them; a pattern
 * that matches nothing is refused. A relative name is the includer's
 * directory's. */
static int
include(struct parser *ps, const char *arg)
{
	struct strbuf path = STRBUF_INIT;
	const char *slash = strrchr(ps->file, '/');
	char *name = trim_dup(arg, strlen(arg));
	glob_t g;
	int rc = -1, grc;

	if (!*name) {
		fail(ps, "expected include FILE");
		goto out;
	}
	if (!strpbrk(name, "*?[") && name[0] != '~') {
		if (name[0] != '/' && slash)
			strbuf_add(&path, ps->file, (size_t)(slash - ps->file + 1));
		strbuf_addstr(&path, name);
		rc = include_file(ps, path.buf);
		goto out;
	}
	/* the includer's directory as it is, its own pattern characters escaped */
	if (name[0] != '/' && name[0] != '~' && slash)
		for (const char *c = ps->file; c <= slash; c++) {
			if (strchr("*?[\\", *c))
				strbuf_addch(&path, '\\');
			strbuf_addch(&path, *c);
		}
	strbuf_addstr(&path, name);
	grc = glob(path.buf, GLOB_TILDE_CHECK, NULL, &g);
	if (grc == GLOB_NOMATCH || (grc == 0 && g.gl_pathc == 0))
		fail(ps, "include: no file matches %s", name);
	else if (grc != 0)
		fail(ps, "include: cannot read the files %s names", name);
	else
		for (size_t k = 0; k < g.gl_pathc; k++)
			if ((rc = include_file(ps, g.gl_pathv[k])) < 0)
				break;
	if (grc == 0)
		globfree(&g);
out:
	free(name);
	strbuf_release(&path);
	return rc;
}

static int
alias(struct parser *ps, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct alias a;

	memset(&a, 0, sizeof(a));
	if (!eq)
		return fail(ps, "expected alias OLD = NEW");
	a.from = trim_dup(arg, (size_t)(eq - arg));
	a.to = trim_dup(eq + 1, strlen(eq + 1));
	if (!*a.from || !*a.to) {
		free(a.from);
		free(a.to);
		return fail(ps, "expected alias OLD = NEW");
	}
	if (a.from[0] == '/') {
		size_t n = strlen(a.from);

		if (n < 3 || a.from[n - 1] != '/') {
			free(a.from);
			free(a.to);
			return fail(ps, "expected alias /REGEX/ = NEW");
		}
		a.from[n - 1] = '\0';
		if (regcomp(&a.re, a.from + 1, REG_EXTENDED | REG_ICASE) != 0) {
			free(a.from);
			free(a.to);
			return fail(ps, "alias: not a regular expression");
		}
		a.is_re = true;
	}
	a.owned = true;
	BD_GROW(ps->sc.aliases, ps->sc.naliases + 1, ps->sc.alalloc);
	ps->sc.aliases[ps->sc.naliases++] = a;
	return 0;
}

static void
aliases_end(struct parser *ps)
{
	size_t k;

	for (k = 0; k < ps->sc.naliases; k++)
		if (ps->sc.aliases[k].owned) {
			free(ps->sc.aliases[k].from);
			free(ps->sc.aliases[k].to);
			if (ps->sc.aliases[k].is_re)
				regfree(&ps->sc.aliases[k].re);
		}
	ps->sc.naliases = 0;
}

/* commodity $1,000.00 | commodity 1.000,00 EUR | commodity EUR */
static int
commodity_sample(struct parser *ps, const char *arg, char code[4])
{
	struct strbuf num = STRBUF_INIT, sym = STRBUF_INIT;
	bool neg;
	int rc = -1;

	if (strspn(arg, "0123456789.,_' -+") == 0 && !strpbrk(arg, "0123456789")) {
		strbuf_addstr(&sym, arg);
		if (sym.len > 2 && sym.buf[0] == '"')
			strbuf_setlen(&sym, sym.len - 1);
		rc = commodity_code(ps, sym.buf[0] == '"' ? sym.buf + 1 : sym.buf, code);
		goto out;
	}
	if (split_amount(ps, arg, &neg, &num, &sym) < 0 || commodity_code(ps, sym.buf, code) < 0)
		goto out;
	{
		const char *d = strrchr(num.buf, '.'), *c = strrchr(num.buf, ',');
		char mark = (d && (!c || d > c)) ? '.' : c ? ',' : 0;

		if (mark) {
			size_t k;

			for (k = 0; k < ps->sh->nmarks; k++)
				if (!strcmp(ps->sh->marks[k].code, code))
					break;
			if (k == ps->sh->nmarks) {
				BD_GROW(ps->sh->marks, ps->sh->nmarks + 1, ps->sh->mkalloc);
				ps->sh->nmarks++;
				memcpy(ps->sh->marks[k].code, code, 4);
			}
			ps->sh->marks[k].mark = mark;
		}
	}
	rc = 0;
out:
	strbuf_release(&num);
	strbuf_release(&sym);
	return rc;
}

static int
price_directive(struct parser *ps, const char *arg)
{
	struct jr_book *b = ps->b;
	struct jr_rate r;
	const char *p = skip_ws(arg);
	size_t n = strcspn(p, " \t");
	char sym[64];

	memset(&r, 0, sizeof(r));
	if (parse_date(ps, p, n, &r.date, r.iso) < 0)
		return -1;
	p = skip_ws(p + n);
	if (isdigit((unsigned char)*p)) /* a time */
		p = skip_ws(p + strcspn(p, " \t"));
	n = *p == '"' ? (size_t)(strchr(p + 1, '"') ? strchr(p + 1, '"') - p + 1 : 0)
		      : strcspn(p, " \t");
	if (n == 0 || n >= sizeof(sym))
		return fail(ps, "expected P DATE COMMODITY PRICE");
	memcpy(sym, p[0] == '"' ? p + 1 : p, p[0] == '"' ? n - 2 : n);
	sym[p[0] == '"' ? n - 2 : n] = '\0';
	if (commodity_code(ps, sym, r.cur) < 0)
		return -1;
	{
		char *semi_free = xstrdup(skip_ws(p + n));
		char *semi = strchr(semi_free, ';');
		int rc;

		if (semi)
			*semi = '\0';
		rc = parse_price(ps, semi_free, r.quote, &r.value);
		free(semi_free);
		if (rc < 0)
			return -1;
	}
	if (!strcmp(r.cur, r.quote))
		return fail(ps,
			    "a price of %s in itself (is a symbol another currency? --commodity "
			    "'$=CAD' says which)",
			    r.cur);
	if (strcmp(r.cur, b->base) && strcmp(r.quote, b->base))
		return fail(ps,
			    "the books keep rates in the base currency %s: a price of %s in %s "
			    "cannot be kept",
			    b->base, r.cur, r.quote);
	r.file = ps->file;
	r.line = ps->line;
	BD_GROW(b->rates, b->nrates + 1, b->ralloc);
	b->rates[b->nrates++] = r;
	return 0;
}

static int
directive(struct parser *ps, const char *s)
{
	const char *arg;

	if (word_is(s, "account")) {
		const char *a = skip_ws(s + 7);
		size_t n = account_len(a);
		const char *semi = strchr(a, ';');
		size_t acc;
		char type;

		if (semi && (size_t)(semi - a) < n)
			n = (size_t)(semi - a);
		if (account_name(ps, a, n, &acc) < 0 || account_type(ps, semi, &type) < 0)
			return -1;
		if (type)
			ps->b->accounts[acc].type = type;
		ps->block = IN_ACCOUNT;
		ps->last_account = &ps->b->accounts[acc];
		return 0;
	}
	if (word_is(s, "alias"))
		return alias(ps, skip_ws(s + 5));
	if (!strcmp(s, "end aliases")) {
		aliases_end(ps);
		return 0;
	}
	if (word_is(s, "apply") && word_is(skip_ws(s + 5), "account")) {
		char *a =
		    trim_dup(skip_ws(skip_ws(s + 5) + 7), strlen(skip_ws(skip_ws(s + 5) + 7)));

		if (!*a) {
			free(a);
			return fail(ps, "expected apply account NAME");
		}
		BD_GROW(ps->sc.apply, ps->sc.napply + 1, ps->sc.apalloc);
		ps->sc.apply[ps->sc.napply++] = a;
		return 0;
	}
	if (!strcmp(s, "end apply account") || !strcmp(s, "end apply")) {
		if (!ps->sc.napply)
			return fail(ps, "end apply account without apply account");
		free(ps->sc.apply[--ps->sc.napply]);
		return 0;
	}
	if (word_is(s, "commodity")) {
		char code[4];

		arg = skip_ws(s + 9);
		{
			const char *semi = strchr(arg, ';');
			char *a = trim_dup(arg, semi ? (size_t)(semi - arg) : strlen(arg));
			int rc;

			rc = commodity_sample(ps, a, code);
			free(a);
			if (rc < 0)
				return -1;
		}
		memcpy(ps->block_cur, code, 4);
		ps->block = IN_COMMODITY;
		return 0;
	}
	if (word_is(s, "decimal-mark")) {
		arg = skip_ws(s + 12);
		if ((arg[0] != '.' && arg[0] != ',') || *skip_ws(arg + 1))
			return fail(ps, "expected decimal-mark . or decimal-mark ,");
		ps->sc.decimal_mark = arg[0];
		return 0;
	}
	if (word_is(s, "D")) {
		struct strbuf num = STRBUF_INIT, sym = STRBUF_INIT;
		bool neg;
		int rc;

		rc = split_amount(ps, skip_ws(s + 1), &neg, &num, &sym);
		if (rc == 0) {
			char code[4];

			ps->sc.default_cur[0] = '\0';
			rc = commodity_code(ps, sym.buf, code);
			if (rc == 0) {
				const char *d = strrchr(num.buf, '.'), *c = strrchr(num.buf, ',');

				memcpy(ps->sc.default_cur, code, 4);
				ps->sc.default_mark = (d && (!c || d > c)) ? '.' : c ? ',' : 0;
			}
		}
		strbuf_release(&num);
		strbuf_release(&sym);
		return rc;
	}
	if (word_is(s, "include"))
		return include(ps, skip_ws(s + 7));
	if (word_is(s, "P"))
		return price_directive(ps, skip_ws(s + 1));
	if (word_is(s, "payee") || word_is(s, "tag")) {
		if (!*skip_ws(s + strcspn(s, " \t")))
			return fail(ps, "expected %s NAME", word_is(s, "tag") ? "tag" : "payee");
		ps->block = IN_ACCOUNT; /* may have indented comments */
		ps->last_account = NULL;
		return 0;
	}
	/* Y2024 too: hledger's examples write it without a space */
	if (word_is(s, "Y") || word_is(s, "year") ||
	    (s[0] == 'Y' && isdigit((unsigned char)s[1]))) {
		arg = skip_ws(s + (s[0] == 'Y' ? 1 : 4));
		if (strspn(arg, "0123456789") != 4 || *skip_ws(arg + 4))
			return fail(ps, "expected Y YEAR (four digits)");
		ps->sc.year = (int)strtol(arg, NULL, 10);
		return 0;
	}
	if (s[0] == '=')
		return fail(ps,
			    "auto postings (=) are not supported: hledger and ledger apply them "
			    "differently");
	if (strchr("iIoObh", s[0]) && (s[1] == ' ' || s[1] == '\t'))
		return fail(ps, "timeclock entries are hours, not money");
	return fail(ps, "expected a transaction (a date first) or a directive, not \"%.40s\"", s);
}

static int
parse_text(struct parser *ps, const char *text, size_t len)
{
	struct strbuf line = STRBUF_INIT;
	const char *p = text, *end = text + len;
	bool in_comment = false;
	int rc = -1;

	ps->line = 0;
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *s;

		strbuf_reset(&line);
		strbuf_add(&line, p, n);
		if (line.len && line.buf[line.len - 1] == '\r')
			strbuf_setlen(&line, line.len - 1);
		p += n + (nl != NULL);
		ps->line++;
		s = line.buf;
		if (in_comment) {
			if (!strncmp(s, "end comment", 11) && !*skip_ws(s + 11))
				in_comment = false;
			continue;
		}
		if (*s == ' ' || *s == '\t') {
			const char *t = skip_ws(s);

			if (!*t)
				continue; /* a blank line */
			if (*t == ';' || *t == '#') {
				if (ps->block == IN_TXN && ps->txn && ps->txn->n > 0 &&
				    (strstr(t, "date:") || strstr(t, "date2:")))
					goto posting_date;
				if (ps->block == IN_ACCOUNT && ps->last_account) {
					char type;

					if (account_type(ps, t, &type) < 0)
						goto out;
					if (type)
						ps->last_account->type = type;
				}
				continue; /* a comment line */
			}
			switch (ps->block) {
			case IN_TXN:
				if (posting(ps, s) < 0)
					goto out;
				continue;
			case IN_SKIP:
				continue;
			case IN_COMMODITY:
				if (word_is(t, "format")) {
					char code[4];

					if (commodity_sample(ps, skip_ws(t + 6), code) < 0)
						goto out;
					if (strcmp(code, ps->block_cur)) {
						fail(ps, "the format of %s names %s", ps->block_cur,
						     code);
						goto out;
					}
					continue;
				}
				/* fall through */
			case IN_ACCOUNT:
				if (word_is(t, "note"))
					continue;
				fail(
				    ps,
				    "expected a comment or note under the directive, not \"%.40s\"",
				    t);
				goto out;
			case IN_NONE:
				fail(ps, "a posting before any transaction header (a date first)");
				goto out;
			}
		}
		ps->block = IN_NONE;
		ps->txn = NULL;
		ps->last_account = NULL;
		if (!*s || strchr(";#*%|", *s))
			continue;
		if (!strcmp(s, "comment") || !strncmp(s, "comment ", 8) ||
		    !strncmp(s, "comment\t", 8)) {
			in_comment = true;
			continue;
		}
		if (!strncmp(s, "end comment", 11)) {
			fail(ps, "end comment without comment");
			goto out;
		}
		if (isdigit((unsigned char)*s)) {
			if (header(ps, s) < 0)
				goto out;
			continue;
		}
		if (*s == '~') {
			ps->block = IN_SKIP; /* a periodic rule: forecasts and budgets only */
			continue;
		}
		if (directive(ps, s) < 0)
			goto out;
	}
	rc = 0;
	goto out;
posting_date:
	fail(ps, "posting dates (date: tags) are not supported: date the transaction");
out:
	strbuf_release(&line);
	return rc;
}

int
jr_parse_journal(struct jr_book *b, const char *text, size_t len, const char *source,
		 struct bd_err *err)
{
	struct shared sh;
	struct parser ps;
	int rc;

	if (bd_text_file_check(text, len, source, err) < 0)
		return -1;
	memset(&sh, 0, sizeof(sh));
	strbuf_init(&sh.name, 0);
	strbuf_init(&sh.amount, 0);
	strbuf_init(&sh.assertion, 0);
	strbuf_init(&sh.num, 0);
	strbuf_init(&sh.sym, 0);
	memset(&ps, 0, sizeof(ps));
	ps.b = b;
	ps.err = err;
	ps.sh = &sh;
	ps.file = keep_file(b, source);
	sh.stack[0] = ps.file;
	rc = parse_text(&ps, text, len);
	aliases_end(&ps);
	free(ps.sc.aliases);
	for (size_t k = 0; k < ps.sc.napply; k++)
		free(ps.sc.apply[k]);
	free(ps.sc.apply);
	free(sh.marks);
	strbuf_release(&sh.name);
	strbuf_release(&sh.amount);
	strbuf_release(&sh.assertion);
	strbuf_release(&sh.num);
	strbuf_release(&sh.sym);
	return rc;
}
