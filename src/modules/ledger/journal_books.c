/* Books from parsed journal transactions (journal_internal.h): balance
 * assignments and elided amounts, per-currency balancing, balance
 * assertions in date order, and each line's base-currency amount.
 *
 * Balancing follows hledger: each currency of a transaction sums to zero
 * once priced postings (@ unit, @@ total) count in their price's currency;
 * a transaction of exactly two currencies and no price converts one into
 * the other at the rate that balances it. One posting may leave out its
 * amount (it takes what balances each currency), or set it by a balance
 * assignment. Assertions (= one currency, == all, =* and ==* with the
 * subaccounts) are checked after their posting, the transactions in date
 * order and, within a day, in the order read, as hledger checks them.
 *
 * Base amounts: a line in the base currency is its own; a priced one is
 * its price converted (at the price currency's rate when that is not the
 * base); one converted by inference at the inferred rate; any other at the
 * rate of its currency on the transaction's date (the latest P directive
 * or rate held on or before it). Rounding to the base currency's decimals
 * may leave an entry a few minor units off: that difference goes to its
 * largest foreign-currency line, whose rate is then base / amount, so that
 * every entry balances exactly in the base currency.
 */
#include "journal_internal.h"

#include "backdesk/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RATE_DECIMALS = 16, MAX_SCALE = 24 };

static __int128
pow10i(int n)
{
	__int128 v = 1;

	while (n-- > 0)
		v *= 10;
	return v;
}

/* num / den rounded half away from zero; den > 0. */
static __int128
div_round(__int128 num, __int128 den)
{
	__int128 q = num / den, r = num % den;

	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += num < 0 ? -1 : 1;
	return q;
}

static bool
dec_mul(struct jr_dec a, struct jr_dec b, struct jr_dec *out)
{
	__int128 m;

	if (__builtin_mul_overflow(a.m, b.m, &m))
		return false;
	out->m = m;
	out->s = a.s + b.s;
	while (out->s > MAX_SCALE) {
		out->m = div_round(out->m, 10);
		out->s--;
	}
	return true;
}

/* qty (minor units at cu) * rate, in minor units at bu. */
static bool
to_base(int64_t qty, int cu, struct jr_dec rate, int bu, int64_t *out)
{
	__int128 v;
	int scale = cu + rate.s;

	if (__builtin_mul_overflow((__int128)qty, rate.m, &v))
		return false;
	if (scale > bu)
		v = div_round(v, pow10i(scale - bu));
	else if (__builtin_mul_overflow(v, pow10i(bu - scale), &v))
		return false;
	if (v > (__int128)1000000000000000000 || v < -(__int128)1000000000000000000)
		return false;
	*out = (int64_t)v;
	return true;
}

/* (num at scale ns) / (den at scale ds) to RATE_DECIMALS places. */
static struct jr_dec
ratio(int64_t num, int ns, int64_t den, int ds)
{
	struct jr_dec r = {0, RATE_DECIMALS};
	__int128 n = (__int128)num * pow10i(ds + RATE_DECIMALS), d = (__int128)den * pow10i(ns);

	if (d < 0) {
		d = -d;
		n = -n;
	}
	if (d != 0)
		r.m = div_round(n, d);
	return r;
}

static int fail_at(struct bd_err *err, const struct jr_txn *t, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
fail_at(struct bd_err *err, const struct jr_txn *t, int line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bd_err_set(err, BD_ERR_INVALID, "%s:%d: %s", t->file, line ? line : t->line, msg);
	return -1;
}

static int
units_of(const struct jr_book *b, const char *code)
{
	const struct jr_currency *c = jr_currency(b, code);

	return c ? c->units : 2;
}

static void
amount_text(struct strbuf *out, const struct jr_book *b, int64_t v, const char *code)
{
	jr_minor_format(out, v, units_of(b, code));
	strbuf_addch(out, ' ');
	strbuf_addstr(out, code);
}

/* The rate of cur in the base currency on `date`: the latest rate on or
 * before it (P directives after the client's rates, so a P of the same day
 * wins). */
static bool
rate_at(const struct jr_book *b, const char *cur, int32_t date, struct jr_dec *out)
{
	const struct jr_rate *best = NULL;
	size_t i;

	if (!strcmp(cur, b->base)) {
		out->m = 1;
		out->s = 0;
		return true;
	}
	for (i = 0; i < b->nrates; i++) {
		const struct jr_rate *r = &b->rates[i];

		if (r->date > date)
			continue;
		if (!((!strcmp(r->cur, cur) && !strcmp(r->quote, b->base)) ||
		      (!strcmp(r->cur, b->base) && !strcmp(r->quote, cur))))
			continue;
		if (!best || r->date >= best->date)
			best = r;
	}
	if (!best)
		return false;
	if (!strcmp(best->cur, cur)) {
		*out = best->value;
	} else { /* a price of the base currency in cur: its inverse */
		out->s = RATE_DECIMALS;
		out->m = div_round(pow10i(RATE_DECIMALS + best->value.s), best->value.m);
	}
	return true;
}

/* --- running balances ------------------------------------------------------ */

struct slot {
	char *key; /* account \x1f currency */
	int64_t v;
};

struct balances {
	struct slot *slots;
	size_t cap, n;
};

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The running balance of account in cur, made 0 when new. Finding one
 * leaves the table as it is: the assertions' checks call this while they
 * walk the slots, so only a new key may grow (rehash) it. */
static int64_t *
balance(struct balances *m, const char *account, const char *cur)
{
	struct strbuf key = STRBUF_INIT;
	uint64_t h = hash(account);
	const char *c;
	size_t i;

	/* the key is "ACCOUNT\x1fCUR": hashed and compared without making it */
	h = (h ^ 0x1fu) * 1099511628211ULL;
	for (c = cur; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211ULL;
	for (i = h & (m->cap - 1); m->cap && m->slots[i].key; i = (i + 1) & (m->cap - 1)) {
		const char *k = m->slots[i].key, *a = account;

		while (*a && *k == *a)
			k++, a++;
		if (!*a && *k == '\x1f' && !strcmp(k + 1, cur))
			return &m->slots[i].v;
	}
	if ((m->n + 1) * 2 > m->cap) {
		struct balances big = {xcalloc(m->cap ? m->cap * 2 : 256, sizeof(struct slot)),
				       m->cap ? m->cap * 2 : 256, 0};

		for (i = 0; i < m->cap; i++)
			if (m->slots[i].key) {
				size_t j = hash(m->slots[i].key) & (big.cap - 1);

				while (big.slots[j].key)
					j = (j + 1) & (big.cap - 1);
				big.slots[j] = m->slots[i];
				big.n++;
			}
		free(m->slots);
		*m = big;
	}
	for (i = h & (m->cap - 1); m->slots[i].key; i = (i + 1) & (m->cap - 1))
		;
	strbuf_addstr(&key, account);
	strbuf_addch(&key, '\x1f');
	strbuf_addstr(&key, cur);
	m->slots[i].key = strbuf_detach(&key, NULL);
	m->slots[i].v = 0;
	m->n++;
	return &m->slots[i].v;
}

/* Does a key belong to account (or, incl, one of its subaccounts)? Its
 * currency then at *cur. */
static bool
key_of(const char *key, const char *account, bool incl, const char **cur)
{
	size_t n = strlen(account);

	if (strncmp(key, account, n))
		return false;
	if (key[n] == '\x1f') {
		*cur = key + n + 1;
		return true;
	}
	if (incl && key[n] == ':') {
		*cur = strchr(key + n, '\x1f') + 1;
		return true;
	}
	return false;
}

static int64_t
balance_of(struct balances *m, const char *account, bool incl, const char *cur)
{
	int64_t sum = 0;
	size_t i;

	if (!incl)
		return *balance(m, account, cur);
	for (i = 0; i < m->cap; i++) {
		const char *c;

		if (m->slots[i].key && key_of(m->slots[i].key, account, true, &c) &&
		    !strcmp(c, cur))
			sum += m->slots[i].v;
	}
	return sum;
}

static void
balances_release(struct balances *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
}

/* --- one transaction ------------------------------------------------------- */

struct sum {
	char cur[4];
	int64_t v;
	int priced; /* postings counted here through a price */
	size_t first;
};

static struct sum *
sum_of(struct sum *sums, size_t *n, const char *cur, size_t at)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp(sums[i].cur, cur))
			return &sums[i];
	memcpy(sums[*n].cur, cur, 4);
	sums[*n].v = 0;
	sums[*n].priced = 0;
	sums[*n].first = at;
	return &sums[(*n)++];
}

/* What a posting counts for in balancing: its price's value (in the
 * price's currency) or its own amount. */
static bool
counted(const struct jr_book *b, const struct jr_posting *p, char cur[4], int64_t *v)
{
	if (p->price == JR_PRICE_NONE) {
		memcpy(cur, p->cur, 4);
		*v = p->qty;
		return true;
	}
	memcpy(cur, p->price_cur, 4);
	if (p->price == JR_PRICE_TOTAL)
		return to_base(p->qty < 0 ? -1 : 1, 0, p->price_amt, units_of(b, cur), v);
	return to_base(p->qty, units_of(b, p->cur), p->price_amt, units_of(b, cur), v);
}

/*
 * A balance assignment of 0 with no currency (t->p[i]), as hledger reads
 * it: "== 0" (or "==* 0") empties the account of every currency, a line
 * each; "= 0" sets the commodity-less balance, which is nothing when the
 * account holds only currencies, and ambiguous (refused) when it holds the
 * base currency, which commodity-less amounts also become here.
 */
static int
assign_nothing(struct jr_book *b, struct jr_txn *t, size_t i, struct balances *bal,
	       struct bd_err *err)
{
	struct jr_posting model = t->p[i];
	char(*curs)[4] = NULL;
	size_t ncurs = 0, alloc = 0, k, c;

	if (model.assertion == JR_ASSERT_ONE &&
	    balance_of(bal, model.account, model.assert_incl, b->base) != 0)
		return fail_at(err, t, model.line,
			       "= 0 without a currency is ambiguous here: write = %s 0 (this "
			       "currency) or == 0 (every currency)",
			       b->base);
	/* the currencies it holds (a subaccount's met once each) */
	for (k = 0; model.assertion == JR_ASSERT_TOTAL && k < bal->cap; k++) {
		const char *cur;

		if (!bal->slots[k].key ||
		    !key_of(bal->slots[k].key, model.account, model.assert_incl, &cur))
			continue;
		for (c = 0; c < ncurs && strcmp(curs[c], cur); c++)
			;
		if (c < ncurs || balance_of(bal, model.account, model.assert_incl, cur) == 0)
			continue;
		BD_GROW(curs, ncurs + 1, alloc);
		memcpy(curs[ncurs++], cur, 4);
	}
	t->p[i].has_amount = true;
	t->p[i].assign = false;
	/* it holds by construction: the lines after the first are the rest of it */
	t->p[i].assertion = JR_ASSERT_NONE;
	t->p[i].qty = 0;
	memcpy(t->p[i].cur, b->base, 4);
	for (c = 0; c < ncurs; c++) {
		struct jr_posting q = t->p[i];

		memcpy(q.cur, curs[c], 4);
		q.qty = -balance_of(bal, model.account, model.assert_incl, curs[c]);
		if (c == 0) {
			t->p[i] = q;
		} else {
			q.memo = model.memo ? xstrdup(model.memo) : NULL;
			jr_txn_add_posting(t, &q);
		}
	}
	free(curs);
	return 0;
}

static int
txn_balance(struct jr_book *b, struct jr_txn *t, struct balances *bal, struct bd_err *err)
{
	struct sum few[8] = {{{0}, 0, 0, 0}},
		   *sums = t->n < 8 ? few : xcalloc(t->n + 1, sizeof(*sums));
	size_t nsums = 0, i, elided = (size_t)-1, nforeign = 0;
	int bu = b->base_units, rc = -1;
	bool infer = false;
	int64_t total = 0;

	/* assignments, then the one posting without an amount */
	for (i = 0; i < t->n; i++) {
		struct jr_posting *p = &t->p[i];

		if (p->assign && p->assert_nothing && assign_nothing(b, t, i, bal, err) < 0)
			goto out;
		p = &t->p[i];
		if (p->assign && !p->assert_nothing) {
			memcpy(p->cur, p->assert_cur, 4);
			p->qty = p->assert_qty -
				 balance_of(bal, p->account, p->assert_incl, p->assert_cur);
			p->has_amount = true;
		}
		if (!p->has_amount) {
			if (elided != (size_t)-1) {
				fail_at(err, t, p->line,
					"only one posting may leave out its amount");
				goto out;
			}
			elided = i;
		}
	}
	for (i = 0; i < t->n; i++) {
		const struct jr_posting *p = &t->p[i];
		char cur[4];
		int64_t v;
		struct sum *s;

		if (!p->has_amount)
			continue;
		if (!counted(b, p, cur, &v)) {
			fail_at(err, t, p->line, "the amount is too large");
			goto out;
		}
		s = sum_of(sums, &nsums, cur, i);
		if (__builtin_add_overflow(s->v, v, &s->v)) {
			fail_at(err, t, p->line, "the amounts are too large");
			goto out;
		}
		s->priced += p->price != JR_PRICE_NONE;
	}
	if (elided != (size_t)-1) {
		/* the elided posting takes what balances each currency: one line each */
		struct jr_posting model = t->p[elided];
		bool first = true;

		for (i = 0; i < nsums; i++) {
			struct jr_posting q = model;

			if (sums[i].v == 0)
				continue;
			q.has_amount = true;
			memcpy(q.cur, sums[i].cur, 4);
			q.qty = -sums[i].v;
			if (first) {
				t->p[elided] = q;
				first = false;
			} else {
				q.memo = model.memo ? xstrdup(model.memo) : NULL;
				q.assertion = JR_ASSERT_NONE;
				jr_txn_add_posting(t, &q);
			}
			sums[i].v = 0;
		}
		if (first) {
			t->p[elided].has_amount = true;
			t->p[elided].qty = 0;
			memcpy(t->p[elided].cur, b->base, 4);
		}
	} else {
		size_t off = 0, priced = 0;

		for (i = 0; i < nsums; i++) {
			off += sums[i].v != 0 && llabs(sums[i].v) > sums[i].priced;
			priced += sums[i].priced;
		}
		if (off) {
			if (priced == 0 && nsums == 2 && sums[0].v && sums[1].v &&
			    (sums[0].v > 0) != (sums[1].v > 0)) {
				infer = true;
			} else {
				struct strbuf m = STRBUF_INIT;

				for (i = 0; i < nsums; i++)
					if (sums[i].v) {
						strbuf_addstr(&m, m.len ? ", " : "");
						amount_text(&m, b, sums[i].v, sums[i].cur);
					}
				fail_at(err, t, 0,
					"the transaction does not balance: it is off by %s", m.buf);
				strbuf_release(&m);
				goto out;
			}
		}
	}

	/* base amounts */
	{
		struct jr_dec inferred = {0, 0};
		const char *inferred_cur = NULL;

		if (infer) {
			const struct sum *f = strcmp(sums[0].cur, b->base) ? &sums[1] : &sums[0];
			const struct sum *o = f == &sums[0] ? &sums[1] : &sums[0];
			int64_t obase;
			struct jr_dec r;

			/* f: the currency converted; o: the other, at 1 (base) or its rate */
			if (!strcmp(sums[1].cur, b->base)) {
				f = &sums[0];
				o = &sums[1];
			} else if (!strcmp(sums[0].cur, b->base)) {
				f = &sums[1];
				o = &sums[0];
			} else {
				o = &sums[0];
				f = &sums[1];
			}
			if (!rate_at(b, o->cur, t->date, &r)) {
				fail_at(
				    err, t, 0,
				    "no exchange rate of %s in %s on or before %s (a P directive, "
				    "or backdesk ledger rate)",
				    o->cur, b->base, t->iso);
				goto out;
			}
			if (!to_base(o->v, units_of(b, o->cur), r, bu, &obase)) {
				fail_at(err, t, 0, "the amounts are too large");
				goto out;
			}
			inferred = ratio(-obase, bu, f->v, units_of(b, f->cur));
			inferred_cur = f->cur;
		}
		for (i = 0; i < t->n; i++) {
			struct jr_posting *p = &t->p[i];
			int cu = units_of(b, p->cur);
			struct jr_dec r;

			p->base = 0;
			p->rate.m = 1;
			p->rate.s = 0;
			if (p->qty == 0)
				continue;
			if (p->price != JR_PRICE_NONE) {
				struct jr_dec pr, tr;

				if (!rate_at(b, p->price_cur, t->date, &pr)) {
					fail_at(err, t, p->line,
						"no exchange rate of %s in %s on or before %s (a P "
						"directive, or backdesk ledger rate)",
						p->price_cur, b->base, t->iso);
					goto out;
				}
				if (p->price == JR_PRICE_TOTAL) {
					if (!dec_mul(p->price_amt, pr, &tr) ||
					    !to_base(p->qty < 0 ? -1 : 1, 0, tr, bu, &p->base))
						goto big;
					p->rate = ratio(p->base, bu, p->qty, cu);
				} else {
					if (!dec_mul(p->price_amt, pr, &p->rate) ||
					    !to_base(p->qty, cu, p->rate, bu, &p->base))
						goto big;
				}
			} else if (!strcmp(p->cur, b->base)) {
				p->base = p->qty;
			} else {
				if (inferred_cur && !strcmp(p->cur, inferred_cur)) {
					r = inferred;
				} else if (!rate_at(b, p->cur, t->date, &r)) {
					fail_at(err, t, p->line,
						"no exchange rate of %s in %s on or before %s (a P "
						"directive, or backdesk ledger rate)",
						p->cur, b->base, t->iso);
					goto out;
				}
				p->rate = r;
				if (!to_base(p->qty, cu, r, bu, &p->base))
					goto big;
			}
			if (strcmp(p->cur, b->base))
				nforeign++;
			if (p->base == 0) {
				struct strbuf m = STRBUF_INIT;

				amount_text(&m, b, p->qty, p->cur);
				fail_at(err, t, p->line, "%s is less than the smallest unit of %s",
					m.buf, b->base);
				strbuf_release(&m);
				goto out;
			}
			total += p->base;
		}
	}
	if (total != 0) {
		size_t best = (size_t)-1;

		for (i = 0; i < t->n; i++)
			if (t->p[i].qty && strcmp(t->p[i].cur, b->base) &&
			    (best == (size_t)-1 || llabs(t->p[i].base) > llabs(t->p[best].base)))
				best = i;
		if (best == (size_t)-1 || (size_t)llabs(total) > nforeign ||
		    (t->p[best].base - total > 0) != (t->p[best].qty > 0) ||
		    t->p[best].base == total) {
			struct strbuf m = STRBUF_INIT;

			amount_text(&m, b, total, b->base);
			fail_at(
			    err, t, 0,
			    "the transaction does not balance in %s (off by %s): its prices and "
			    "rates do not agree",
			    b->base, m.buf);
			strbuf_release(&m);
			goto out;
		}
		t->p[best].base -= total;
		t->p[best].rate =
		    ratio(t->p[best].base, bu, t->p[best].qty, units_of(b, t->p[best].cur));
	}

	/* running balances and assertions, posting by posting */
	for (i = 0; i < t->n; i++) {
		struct jr_posting *p = &t->p[i];
		int64_t *v = balance(bal, p->account, p->cur), have;
		size_t k;

		*v += p->qty;
		if (p->assertion == JR_ASSERT_NONE)
			continue;
		have = balance_of(bal, p->account, p->assert_incl, p->assert_cur);
		if (have != p->assert_qty) {
			struct strbuf h = STRBUF_INIT, w = STRBUF_INIT;

			amount_text(&h, b, have, p->assert_cur);
			amount_text(&w, b, p->assert_qty, p->assert_cur);
			fail_at(
			    err, t, p->line,
			    "balance assertion failed: %s%s holds %s after this posting, not %s",
			    p->account, p->assert_incl ? " (with subaccounts)" : "", h.buf, w.buf);
			strbuf_release(&h);
			strbuf_release(&w);
			goto out;
		}
		if (p->assertion != JR_ASSERT_TOTAL)
			continue;
		for (k = 0; k < bal->cap; k++) {
			const char *c;

			if (bal->slots[k].key &&
			    key_of(bal->slots[k].key, p->account, p->assert_incl, &c) &&
			    strcmp(c, p->assert_cur) &&
			    balance_of(bal, p->account, p->assert_incl, c) != 0) {
				fail_at(
				    err, t, p->line,
				    "balance assertion failed: %s also holds %s (== says only %s)",
				    p->account, c, p->assert_cur);
				goto out;
			}
		}
	}
	rc = 0;
	goto out;
big:
	fail_at(err, t, 0, "the amounts are too large");
out:
	if (sums != few)
		free(sums);
	return rc;
}

static int
cmp_txn(const void *a, const void *b)
{
	const struct jr_txn *x = *(const struct jr_txn *const *)a,
			    *y = *(const struct jr_txn *const *)b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int
jr_make_books(struct jr_book *b, struct bd_err *err)
{
	struct jr_txn **order = xcalloc(b->ntxns + 1, sizeof(*order));
	struct balances bal = {NULL, 0, 0};
	size_t i, j;
	int rc = -1;

	for (i = 0; i < b->ntxns; i++)
		order[i] = &b->txns[i];
	qsort(order, b->ntxns, sizeof(*order), cmp_txn);
	for (i = 0; i < b->ntxns; i++) {
		struct jr_txn *t = order[i];
		bool any = false;

		if (txn_balance(b, t, &bal, err) < 0)
			goto out;
		for (j = 0; j < t->n; j++)
			any |= t->p[j].qty != 0;
		if (!any) {
			if (b->zero++ < 3) {
				size_t len = strlen(b->zero_where);

				snprintf(b->zero_where + len, sizeof(b->zero_where) - len,
					 "%s%s:%d", len ? ", " : "", t->file, t->line);
			}
		}
	}
	rc = 0;
out:
	balances_release(&bal);
	free(order);
	return rc;
}
