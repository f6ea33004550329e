/*
 * The journal entry screen: see include/backdesk/ledger_ui.h.
 *
 * screens/ledger.entry.conf is a header and a grid "lines" (columns acct,
 * name, debit, credit, memo): the form engine holds every line's cells
 * (acct1..acct98, ...) and draws and pages them. As the cursor leaves a
 * field (on_field_exit) it checks the
 * account, fills its name and recomputes the totals and the difference,
 * which the form then redraws. F2 writes the entry as a draft and submits it
 * for approval in one transaction.
 */
#include "backdesk/ledger_ui.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backdesk/draft.h"
#include "backdesk/form.h"
#include "backdesk/json.h"
#include "backdesk/log.h"
#include "backdesk/money.h"
#include "backdesk/strbuf.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"
#include "ledger_ui_internal.h"

#define SCREEN_NAME "ledger.entry"
#define GRID_NAME "lines"

enum line_col { COL_ACCT, COL_NAME, COL_DEBIT, COL_CREDIT, COL_MEMO, NCOLS };

/* The grid's column names; cells are <name><line>. */
static const char *const col_prefix[NCOLS] = {"acct", "name", "debit", "credit", "memo"};

enum head_field {
	H_DATE,
	H_JOURNAL,
	H_REF,
	H_DESC,
	H_TOTAL_DEBIT,
	H_TOTAL_CREDIT,
	H_BALANCE,
	NHEAD
};

static const char *const head_name[NHEAD] = {
    "entry_date", "journal", "reference", "description", "total_debit", "total_credit", "balance"};

struct entry_screen {
	struct bd_session *s;
	struct bd_screen screen;
	struct bd_form form;
	bool form_ready;
	size_t head[NHEAD];
	size_t grid;	   /* the grid "lines" in screen.grids */
	size_t col[NCOLS]; /* each column's index in the grid */
	size_t nlines;	   /* the grid's lines */
	size_t visible;	   /* lines on a page */
	size_t at;	   /* the current field when the callback last ran */
	char *entry_id;	   /* the draft entry being edited, or NULL for a new one */
	/* The F2 in hand's idempotency key, kept until it is answered: an F2
	 * sent again after a lost link creates and submits the entry once. */
	char f2_key[BD_DB_KEY_SIZE];

	struct bd_ui_rows accounts; /* code, name, type: the active chart */
	struct bd_ui_rows journals; /* journal, name, kind */

	/* drafts (core.drafts) */
	char *draft_key;
	struct strbuf draft_sent;
	bool draft_stored;
	struct strbuf initial; /* the draft text when the screen opened */

	struct strbuf subtitle;
};

/* ---- values ----------------------------------------------------------- */

static const char *
hval(const struct entry_screen *es, enum head_field h)
{
	return bd_form_value(&es->form, es->head[h]);
}

static void
set_field(struct entry_screen *es, size_t index, const char *value)
{
	struct bd_err err = BD_ERR_INIT;

	if (bd_form_set_value(&es->form, index, value, &err) < 0)
		bd_log_err(&err);
}

/* The field of column `c` of line `n` (0-based). */
static size_t
cell(const struct entry_screen *es, size_t n, enum line_col c)
{
	return (size_t)bd_screen_cell(&es->screen, es->grid, n, es->col[c]);
}

static const char *
lval(const struct entry_screen *es, size_t n, enum line_col c)
{
	return bd_form_value(&es->form, cell(es, n, c));
}

static void
set_line(struct entry_screen *es, size_t n, enum line_col c, const char *v)
{
	set_field(es, cell(es, n, c), v);
}

/* The page shown (0-based). */
static size_t
page_of(const struct entry_screen *es)
{
	return es->form.top[es->grid] / es->visible;
}

static bool
line_blank(const struct entry_screen *es, size_t n)
{
	enum line_col c;

	for (c = 0; c < NCOLS; c++)
		if (c != COL_NAME && *lval(es, n, c))
			return false;
	return true;
}

/* Amount typed in a line (0 when empty); -1 when it is not an amount. */
static int
amount_of(const char *v, int64_t *out)
{
	*out = 0;
	if (!*v)
		return 0;
	return bd_money_parse(v, 2, out, NULL);
}

/* ---- accounts and journals -------------------------------------------- */

static int
load_refs(struct entry_screen *es, struct bd_err *err)
{
	struct bd_db_result *res;
	int r;

	if (!(res = bd_session_query(es->s, "ledger.account_list",
				     BD_PARAMS(es->s->client_code, "true"), err)))
		return -1;
	{
		static const char *const names[] = {"code", "name", "type"};

		bd_ui_rows_set_columns(&es->accounts, 3, names);
	}
	for (r = 0; r < bd_db_result_rows(res); r++) {
		const char *cells[3] = {bd_db_result_get(res, r, 0), bd_db_result_get(res, r, 1),
					bd_db_result_get(res, r, 2)};

		bd_ui_rows_add(&es->accounts, cells);
	}
	bd_db_result_free(res);
	if (!(res = bd_session_query(es->s, "ledger.journal_list", BD_PARAMS(es->s->client_code),
				     err)))
		return -1;
	bd_ui_rows_add_result(&es->journals, res, NULL);
	bd_db_result_free(res);
	return 0;
}

/* The account row whose code is `code` (case-insensitive), or -1. */
static long
account_by_code(const struct entry_screen *es, const char *code)
{
	size_t r;

	for (r = 0; r < es->accounts.nrows; r++)
		if (!strcasecmp(bd_ui_rows_cell(&es->accounts, r, 0), code))
			return (long)r;
	return -1;
}

static bool
account_matches(const struct entry_screen *es, size_t r, const char *search)
{
	size_t n = strlen(search);

	return !strncasecmp(bd_ui_rows_cell(&es->accounts, r, 0), search, n) ||
	       strcasestr(bd_ui_rows_cell(&es->accounts, r, 1), search) != NULL;
}

/*
 * What an account field holds: a code, or part of a name that only one
 * account has. Returns the account's row, or -1 with a message in `err`.
 */
static long
resolve_account(const struct entry_screen *es, const char *typed, struct bd_err *err)
{
	long r = account_by_code(es, typed), found = -1;
	size_t i, n = 0;

	if (r >= 0)
		return r;
	for (i = 0; i < es->accounts.nrows; i++)
		if (account_matches(es, i, typed)) {
			found = (long)i;
			n++;
		}
	if (n == 1)
		return found;
	if (n == 0)
		bd_err_set(err, BD_ERR_NOT_FOUND, "No active account matches \"%s\": F4 lists them",
			   typed);
	else
		bd_err_set(err, BD_ERR_INVALID, "%zu accounts match \"%s\": press F4 to choose one",
			   n, typed);
	return -1;
}

static int
entry_lookup(void *ctx, size_t field, const char *search, struct bd_ui_rows *rows,
	     struct bd_err *err)
{
	struct entry_screen *es = ctx;
	size_t r;
	bool any = false;

	if (field == es->head[H_JOURNAL]) {
		bd_ui_rows_set_columns(rows, es->journals.ncols,
				       (const char *const *)es->journals.names);
		for (r = 0; r < es->journals.nrows; r++)
			bd_ui_rows_add(rows, (const char *const *)es->journals.cells +
						 r * es->journals.ncols);
		return 0;
	}
	if (field >= es->screen.nfields || es->screen.fields[field].grid != (int)es->grid + 1 ||
	    (size_t)es->screen.fields[field].grid_col != es->col[COL_ACCT]) {
		bd_err_set(err, BD_ERR_INVALID, "There is no list for this field");
		return -1;
	}
	bd_ui_rows_set_columns(rows, 3, (const char *const *)es->accounts.names);
	/* The accounts matching what was typed; all of them when none does. */
	for (r = 0; *search && r < es->accounts.nrows; r++)
		if (account_matches(es, r, search)) {
			bd_ui_rows_add(rows, (const char *const *)es->accounts.cells +
						 r * es->accounts.ncols);
			any = true;
		}
	if (!any)
		for (r = 0; r < es->accounts.nrows; r++)
			bd_ui_rows_add(rows, (const char *const *)es->accounts.cells +
						 r * es->accounts.ncols);
	if (!rows->nrows) {
		bd_err_set(err, BD_ERR_NOT_FOUND, "%s has no active accounts", es->s->client_code);
		return -1;
	}
	return 0;
}

/* ---- totals ----------------------------------------------------------- */

static void
update_totals(struct entry_screen *es)
{
	int64_t dr = 0, cr = 0, v, diff;
	struct strbuf sb = STRBUF_INIT;
	size_t n;
	bool any = false;

	for (n = 0; n < es->nlines; n++) {
		if (amount_of(lval(es, n, COL_DEBIT), &v) == 0 && bd_money_add(dr, v, &v))
			dr = v;
		if (amount_of(lval(es, n, COL_CREDIT), &v) == 0 && bd_money_add(cr, v, &v))
			cr = v;
		if (!line_blank(es, n))
			any = true;
	}
	bd_money_format(&sb, dr, 2, BD_MONEY_GROUPED);
	set_field(es, es->head[H_TOTAL_DEBIT], sb.buf);
	strbuf_reset(&sb);
	bd_money_format(&sb, cr, 2, BD_MONEY_GROUPED);
	set_field(es, es->head[H_TOTAL_CREDIT], sb.buf);
	strbuf_reset(&sb);
	if (!any) {
		strbuf_addstr(&sb, "");
	} else if (dr == cr) {
		strbuf_addstr(&sb, dr ? "Balanced" : "No amounts yet");
	} else {
		diff = dr > cr ? dr - cr : cr - dr;
		strbuf_addstr(&sb, "Out of balance by ");
		bd_money_format(&sb, diff, 2, BD_MONEY_GROUPED);
		strbuf_addstr(&sb, dr > cr ? ": debits exceed credits" : ": credits exceed debits");
	}
	set_field(es, es->head[H_BALANCE], sb.buf);
	strbuf_release(&sb);
}

/* Account names of the lines. */
static void
update_names(struct entry_screen *es)
{
	size_t i;

	for (i = 0; i < es->nlines; i++) {
		const char *code = lval(es, i, COL_ACCT);
		long r = *code ? account_by_code(es, code) : -1;

		set_line(es, i, COL_NAME,
			 r >= 0 ? bd_ui_rows_cell(&es->accounts, (size_t)r, 1) : "");
	}
}

/* ---- drafts ----------------------------------------------------------- */

static void
add_ns(struct strbuf *out, const char *s)
{
	strbuf_addf(out, "%zu:%s", strlen(s), s);
}

static void
add_value(struct strbuf *out, const char *name, const char *value)
{
	strbuf_addstr(out, "v ");
	add_ns(out, name);
	strbuf_addch(out, ' ');
	add_ns(out, value);
	strbuf_addch(out, '\n');
}

/*
 * The whole entry in bd_form_draft_save()'s format: the header fields by
 * their names, and every non-blank line's values as acct.17, debit.17, ...
 * (absolute line numbers, from 1).
 */
static void
draft_text(struct entry_screen *es, struct strbuf *out)
{
	size_t n, h;
	enum line_col c;

	strbuf_addstr(out, "bd-draft 1\nscreen ");
	add_ns(out, SCREEN_NAME);
	strbuf_addf(out, "\nat %zu %zu\n", es->form.current, es->form.cursor);
	strbuf_addf(out, "v 4:page %zu:%zu\n", page_of(es) >= 10 ? (size_t)2 : (size_t)1,
		    page_of(es));
	for (h = H_DATE; h <= H_DESC; h++)
		add_value(out, head_name[h], hval(es, (enum head_field)h));
	for (n = 0; n < es->nlines; n++) {
		if (line_blank(es, n))
			continue;
		for (c = 0; c < NCOLS; c++) {
			char name[32];

			if (c == COL_NAME)
				continue;
			snprintf(name, sizeof(name), "%s.%zu", col_prefix[c], n + 1);
			add_value(out, name, lval(es, n, c));
		}
	}
}

/* Reads "<len>:<bytes>" at *p (within end). */
static bool
read_ns(const char **p, const char *end, char **out)
{
	size_t len = 0;
	const char *q = *p;

	if (q >= end || !isdigit((unsigned char)*q))
		return false;
	while (q < end && isdigit((unsigned char)*q)) {
		len = len * 10 + (size_t)(*q - '0');
		if (len > 100000)
			return false;
		q++;
	}
	if (q >= end || *q != ':' || (size_t)(end - q - 1) < len)
		return false;
	*out = xstrndup(q + 1, len);
	*p = q + 1 + len;
	return true;
}

/* Applies a draft written by draft_text(), position included (the page
 * follows the cursor): -1 (err set) when malformed. */
static int
draft_apply(struct entry_screen *es, const char *data, size_t len, struct bd_err *err)
{
	const char *p = data, *end = data + len;
	size_t at = es->form.current, cursor = 0;
	static const char magic[] = "bd-draft 1\n";
	size_t n;
	enum line_col c;

	if (len < sizeof(magic) - 1 || memcmp(data, magic, sizeof(magic) - 1))
		goto bad;
	p += sizeof(magic) - 1;
	/* The draft holds the whole entry: lines it lacks were blanked. */
	for (n = 0; n < es->nlines; n++)
		for (c = 0; c < NCOLS; c++)
			set_line(es, n, c, "");
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		char *name = NULL, *value = NULL;

		if (!eol)
			goto bad;
		if (!strncmp(p, "at ", 3) && sscanf(p, "at %zu %zu", &at, &cursor) != 2)
			goto bad;
		if (!strncmp(p, "v ", 2)) {
			const char *q = p + 2;
			size_t h;
			char prefix[16];

			if (!read_ns(&q, eol, &name) || q >= eol || *q != ' ' ||
			    (q++, !read_ns(&q, eol, &value)) || q != eol) {
				free(name);
				free(value);
				goto bad;
			}
			for (h = H_DATE; h <= H_DESC; h++)
				if (!strcmp(name, head_name[h]))
					set_field(es, es->head[h], value);
			for (c = 0; c < NCOLS; c++) {
				snprintf(prefix, sizeof(prefix), "%s.", col_prefix[c]);
				if (c != COL_NAME && !strncmp(name, prefix, strlen(prefix)) &&
				    sscanf(name + strlen(prefix), "%zu", &n) == 1 && n >= 1 &&
				    n <= es->nlines && bd_utf8_valid(value, strlen(value)))
					set_line(es, n - 1, c, value);
			}
		}
		free(name);
		free(value);
		p = eol + 1;
	}
	if (at < es->form.nfields && !es->screen.fields[at].readonly) {
		bd_form_goto(&es->form, at);
		es->form.cursor = cursor < es->form.cursor ? cursor : es->form.cursor;
	}
	return 0;
bad:
	bd_err_set(err, BD_ERR_INVALID, "The saved journal entry cannot be read");
	return -1;
}

static void
draft_touch(struct entry_screen *es)
{
	struct bd_err err = BD_ERR_INIT;
	struct strbuf now = STRBUF_INIT;

	if (es->s->db_broken)
		goto cleanup;
	draft_text(es, &now);
	if (!strcmp(now.buf, es->draft_sent.buf))
		goto cleanup;
	if (bd_db_send_background(es->s->db, "draft.save",
				  BD_PARAMS(es->draft_key, es->s->client_id, now.buf), &err) < 0) {
		bd_log_err(&err);
		goto cleanup;
	}
	strbuf_reset(&es->draft_sent);
	strbuf_addstr(&es->draft_sent, now.buf);
	es->draft_stored = true;
cleanup:
	strbuf_release(&now);
}

/* Saves the screen's draft at once and waits: 0, or -1 (logged). */
static int
draft_save_now(struct entry_screen *es)
{
	struct bd_err err = BD_ERR_INIT;
	struct strbuf now = STRBUF_INIT;
	int rc = -1;

	if (es->s->db_broken)
		return -1;
	draft_text(es, &now);
	if (bd_db_run(es->s->db, "draft.save", BD_PARAMS(es->draft_key, es->s->client_id, now.buf),
		      &err) < 0)
		bd_log_err(&err);
	else
		rc = 0, es->draft_stored = true;
	strbuf_release(&now);
	return rc;
}

static void
draft_discard(struct entry_screen *es)
{
	struct bd_err err = BD_ERR_INIT;

	if (!es->draft_stored || es->s->db_broken)
		return;
	if (bd_session_run(es->s, "draft.discard", BD_PARAMS(es->draft_key), &err) < 0)
		bd_log_err(&err);
	es->draft_stored = false;
	strbuf_reset(&es->draft_sent);
}

static bool
entry_changed(struct entry_screen *es)
{
	struct strbuf now = STRBUF_INIT;
	const char *a, *b;
	bool changed;

	draft_text(es, &now);
	/* The position and page differ as the cursor moves: compare the values. */
	a = strstr(now.buf, ":entry_date");
	b = strstr(es->initial.buf, ":entry_date");
	changed = !a || !b || strcmp(a, b) != 0;
	strbuf_release(&now);
	return changed;
}

/* ---- on field exit ---------------------------------------------------- */

/* Which line column field `index` is: *row (the line, 0-based) and the
 * column, or NCOLS when it is a header field. */
static enum line_col
line_field(const struct entry_screen *es, size_t index, size_t *row)
{
	const struct bd_field_def *f = &es->screen.fields[index];
	enum line_col c;

	if (f->grid != (int)es->grid + 1)
		return NCOLS;
	for (c = 0; c < NCOLS; c++)
		if (es->col[c] == (size_t)f->grid_col) {
			*row = (size_t)f->grid_line;
			return c;
		}
	return NCOLS;
}

/* Checks the field the cursor left; false (cursor put back, message shown)
 * when it is wrong. */
static bool
check_left(struct entry_screen *es, size_t left)
{
	struct bd_err err = BD_ERR_INIT;
	const char *v = bd_form_value(&es->form, left);
	size_t row = 0;
	enum line_col c = line_field(es, left, &row);

	if (left == es->head[H_JOURNAL] && *v) {
		size_t r;

		for (r = 0; r < es->journals.nrows; r++)
			if (!strcmp(bd_ui_rows_cell(&es->journals, r, 0), v))
				return true;
		bd_err_set(&err, BD_ERR_NOT_FOUND, "There is no journal %s: F4 lists them", v);
	} else if (c == COL_ACCT && *v) {
		long r = resolve_account(es, v, &err);

		if (r >= 0) {
			set_field(es, left, bd_ui_rows_cell(&es->accounts, (size_t)r, 0));
			return true;
		}
	} else if ((c == COL_DEBIT || c == COL_CREDIT) && *v) {
		if (!*lval(es, row, c == COL_DEBIT ? COL_CREDIT : COL_DEBIT))
			return true;
		bd_err_set(&err, BD_ERR_INVALID,
			   "Line %zu: enter either a debit or a credit, not both", row + 1);
	} else {
		return true;
	}
	bd_form_goto(&es->form, left);
	bd_ui_message(es->s->ui, BD_UI_MSG_ERROR, "%s", err.msg);
	return false;
}

/* Pages to show in "Page n of m": up to the last one holding a line, and
 * the current one. */
static size_t
pages_in_use(const struct entry_screen *es)
{
	size_t n, last = 0;

	for (n = 0; n < es->nlines; n++)
		if (!line_blank(es, n))
			last = n / es->visible + 1;
	return last > page_of(es) + 1 ? last : page_of(es) + 1;
}

/* "Lines 1-14  Page 1 of 2" (at most 24 columns). */
static void
set_subtitle(struct entry_screen *es)
{
	size_t top = es->form.top[es->grid];

	strbuf_reset(&es->subtitle);
	if (es->entry_id)
		strbuf_addf(&es->subtitle, "Draft %.8s  Page %zu of %zu", es->entry_id,
			    page_of(es) + 1, pages_in_use(es));
	else
		strbuf_addf(&es->subtitle, "Lines %zu-%zu  Page %zu of %zu", top + 1,
			    top + es->visible, page_of(es) + 1, pages_in_use(es));
}

static void
entry_field_exit(void *ctx, struct bd_form *form)
{
	struct entry_screen *es = ctx;
	size_t left = es->at, now = form->current;

	if (left != now)
		check_left(es, left);
	es->at = form->current;
	update_names(es);
	update_totals(es);
	set_subtitle(es);
	bd_ui_set_subtitle(es->s->ui, es->subtitle.buf);
	draft_touch(es);
}

/* ---- submitting ------------------------------------------------------- */

/* Puts the cursor on column `c` of line `n` (the page follows). */
static void
goto_line(struct entry_screen *es, size_t n, enum line_col c)
{
	bd_form_goto(&es->form, cell(es, n, c));
	es->at = es->form.current;
}

/* The lines as JSON for ledger.entry_create; -1 with the cursor on the bad
 * line and err set when a line is incomplete or the entry does not balance. */
static int
lines_json(struct entry_screen *es, bool draft, struct strbuf *out, struct bd_err *err)
{
	int64_t dr = 0, cr = 0;
	size_t n, count = 0;
	struct strbuf num = STRBUF_INIT;
	int rc = -1;

	strbuf_addch(out, '[');
	for (n = 0; n < es->nlines; n++) {
		const char *acct = lval(es, n, COL_ACCT);
		int64_t d, c;
		long r;

		if (line_blank(es, n))
			continue;
		if (!*acct) {
			goto_line(es, n, COL_ACCT);
			bd_err_set(err, BD_ERR_INVALID, "Line %zu needs an account", n + 1);
			goto cleanup;
		}
		if ((r = resolve_account(es, acct, err)) < 0) {
			goto_line(es, n, COL_ACCT);
			goto cleanup;
		}
		if (amount_of(lval(es, n, COL_DEBIT), &d) < 0 || d < 0) {
			goto_line(es, n, COL_DEBIT);
			bd_err_set(err, BD_ERR_INVALID, "Line %zu: the debit is not an amount",
				   n + 1);
			goto cleanup;
		}
		if (amount_of(lval(es, n, COL_CREDIT), &c) < 0 || c < 0) {
			goto_line(es, n, COL_CREDIT);
			bd_err_set(err, BD_ERR_INVALID, "Line %zu: the credit is not an amount",
				   n + 1);
			goto cleanup;
		}
		if ((d > 0) == (c > 0)) {
			goto_line(es, n, COL_DEBIT);
			bd_err_set(err, BD_ERR_INVALID,
				   "Line %zu: enter either a debit or a credit", n + 1);
			goto cleanup;
		}
		if (!bd_money_add(dr, d, &dr) || !bd_money_add(cr, c, &cr)) {
			goto_line(es, n, d ? COL_DEBIT : COL_CREDIT);
			bd_err_set(err, BD_ERR_INVALID, "Line %zu: the amount is too large", n + 1);
			goto cleanup;
		}
		if (count++)
			strbuf_addch(out, ',');
		strbuf_addstr(out, "{\"account\":");
		bd_json_string(out, bd_ui_rows_cell(&es->accounts, (size_t)r, 0));
		strbuf_reset(&num);
		bd_money_to_numeric(&num, d, 2);
		strbuf_addf(out, ",\"debit\":\"%s\"", num.buf);
		strbuf_reset(&num);
		bd_money_to_numeric(&num, c, 2);
		strbuf_addf(out, ",\"credit\":\"%s\",\"memo\":", num.buf);
		bd_json_string(out, lval(es, n, COL_MEMO));
		strbuf_addch(out, '}');
	}
	strbuf_addch(out, ']');
	if (draft) { /* kept to finish later: it need not be whole yet */
		rc = 0;
		goto cleanup;
	}
	if (count < 2) {
		for (n = 0; n < es->nlines && !line_blank(es, n); n++)
			;
		goto_line(es, n < es->nlines ? n : 0, COL_ACCT);
		bd_err_set(err, BD_ERR_INVALID, "An entry needs at least two lines");
		goto cleanup;
	}
	if (dr != cr) {
		struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

		bd_money_format(&a, dr, 2, BD_MONEY_GROUPED);
		bd_money_format(&b, cr, 2, BD_MONEY_GROUPED);
		bd_err_set(err, BD_ERR_INVALID, "The entry does not balance: debits %s, credits %s",
			   a.buf, b.buf);
		strbuf_release(&a);
		strbuf_release(&b);
		goto cleanup;
	}
	rc = 0;
cleanup:
	strbuf_release(&num);
	return rc;
}

/* Writes the entry (create or update) and submits it, in one transaction;
 * or, `draft`, only writes it (a draft entry, finished later from Journal
 * entries). *id receives the entry_id (malloc'd). */
static int
write_entry(struct entry_screen *es, bool draft, char **id, struct bd_err *err)
{
	struct bd_session *s = es->s;
	struct strbuf json = STRBUF_INIT, date = STRBUF_INIT;
	struct bd_db_result *res = NULL;
	char create_key[BD_DB_KEY_SIZE + 1], submit_key[BD_DB_KEY_SIZE + 1];
	int rc = -1;

	*id = NULL;
	if (!*es->f2_key)
		bd_db_new_key(es->f2_key);
	snprintf(create_key, sizeof(create_key), "%sc", es->f2_key);
	snprintf(submit_key, sizeof(submit_key), "%ss", es->f2_key);
	if (bd_field_normalize(&es->screen.fields[es->head[H_DATE]], hval(es, H_DATE), &date, err) <
	    0) {
		bd_form_goto(&es->form, es->head[H_DATE]);
		goto cleanup;
	}
	if (lines_json(es, draft, &json, err) < 0)
		goto cleanup;
	if (bd_db_begin(s->db, err) < 0)
		goto cleanup;
	if (es->entry_id) {
		if (bd_session_run(s, "ledger.entry_update",
				   BD_PARAMS(s->client_code, es->entry_id, hval(es, H_JOURNAL),
					     date.buf, hval(es, H_REF), hval(es, H_DESC), json.buf),
				   err) < 0)
			goto fail;
		*id = xstrdup(es->entry_id);
	} else {
		if (!(res = bd_session_query(s, "ledger.entry_create",
					     BD_PARAMS(s->client_code, hval(es, H_JOURNAL),
						       date.buf, hval(es, H_REF), hval(es, H_DESC),
						       json.buf, create_key),
					     err)))
			goto fail;
		*id = xstrdup(bd_db_result_get(res, 0, 0));
	}
	if ((!draft && bd_session_run(s, "ledger.entry_submit",
				      BD_PARAMS(s->client_code, *id, submit_key), err) < 0) ||
	    bd_db_commit(s->db, err) < 0)
		goto fail;
	*es->f2_key = '\0';
	rc = 0;
	goto cleanup;
fail:
	/* After a lost link the next F2 sends the same keys: it may have committed. */
	if (err->kind != BD_ERR_CONNECTION)
		*es->f2_key = '\0';
	if (!s->db_broken)
		bd_db_rollback(s->db);
	free(*id);
	*id = NULL;
cleanup:
	bd_db_result_free(res);
	strbuf_release(&json);
	strbuf_release(&date);
	return rc;
}

/* ---- the screen
 * ------------------------------------------------------------------------------------ */

static int
entry_open(struct entry_screen *es, struct bd_session *s, const char *entry_id, struct bd_err *err)
{
	enum line_col c;
	enum head_field h;
	size_t g;

	memset(es, 0, sizeof(*es));
	es->s = s;
	bd_screen_init(&es->screen);
	bd_ui_rows_init(&es->accounts);
	bd_ui_rows_init(&es->journals);
	strbuf_init(&es->draft_sent, 0);
	strbuf_init(&es->initial, 0);
	strbuf_init(&es->subtitle, 0);
	es->entry_id = entry_id ? xstrdup(entry_id) : NULL;
	es->draft_key = bd_draft_key(SCREEN_NAME, entry_id);
	if (bd_session_load_screen(s, SCREEN_NAME, &es->screen, err) < 0)
		return -1;
	for (h = 0; h < NHEAD; h++) {
		int k = bd_screen_field_index(&es->screen, head_name[h]);

		if (k < 0)
			goto bad_screen;
		es->head[h] = (size_t)k;
	}
	for (g = 0; g < es->screen.ngrids && strcmp(es->screen.grids[g].name, GRID_NAME); g++)
		;
	if (g == es->screen.ngrids)
		goto bad_screen;
	es->grid = g;
	es->nlines = (size_t)es->screen.grids[g].rows;
	es->visible = (size_t)es->screen.grids[g].visible;
	for (c = 0; c < NCOLS; c++) {
		char name[32];
		int k;

		snprintf(name, sizeof(name), "%s1", col_prefix[c]);
		if ((k = bd_screen_field_index(&es->screen, name)) < 0 ||
		    es->screen.fields[k].grid != (int)g + 1)
			goto bad_screen;
		es->col[c] = (size_t)es->screen.fields[k].grid_col;
	}
	bd_form_init(&es->form, &es->screen);
	es->form_ready = true;
	bd_form_load_defaults(&es->form);
	return load_refs(es, err);
bad_screen:
	bd_err_set(err, BD_ERR_INTERNAL, "The screen %s lacks a field this program needs",
		   SCREEN_NAME);
	return -1;
}

static void
entry_close(struct entry_screen *es)
{
	if (es->form_ready)
		bd_form_release(&es->form);
	bd_screen_release(&es->screen);
	bd_ui_rows_release(&es->accounts);
	bd_ui_rows_release(&es->journals);
	strbuf_release(&es->draft_sent);
	strbuf_release(&es->initial);
	strbuf_release(&es->subtitle);
	free(es->entry_id);
	free(es->draft_key);
}

/* Reads draft entry es->entry_id into the form. */
static int
load_entry(struct entry_screen *es, struct bd_err *err)
{
	struct bd_session *s = es->s;
	struct bd_db_result *head = NULL, *lines = NULL;
	int r, rc = -1;

	if (!(head = bd_session_query(s, "ledger.entry_get",
				      BD_PARAMS(s->client_code, es->entry_id), err)))
		goto cleanup;
	if (bd_db_result_rows(head) < 1) {
		bd_err_set(err, BD_ERR_NOT_FOUND, "Entry %s no longer exists", es->entry_id);
		goto cleanup;
	}
#define HCOL(name) bd_db_result_get(head, 0, bd_db_result_col(head, name))
	if (strcmp(HCOL("status"), "draft")) {
		bd_err_set(err, BD_ERR_INVALID, "Entry %s is %s: only a draft can be changed",
			   es->entry_id, HCOL("status"));
		goto cleanup;
	}
	set_field(es, es->head[H_DATE], HCOL("entry_date"));
	set_field(es, es->head[H_JOURNAL], HCOL("journal"));
	set_field(es, es->head[H_REF], HCOL("reference"));
	set_field(es, es->head[H_DESC], HCOL("description"));
#undef HCOL
	if (!(lines = bd_session_query(s, "ledger.entry_lines",
				       BD_PARAMS(s->client_code, es->entry_id), err)))
		goto cleanup;
	for (r = 0; r < bd_db_result_rows(lines) && (size_t)r < es->nlines; r++) {
		const char *d = bd_db_result_get(lines, r, bd_db_result_col(lines, "debit"));
		const char *c = bd_db_result_get(lines, r, bd_db_result_col(lines, "credit"));
		int64_t v;

		set_line(es, (size_t)r, COL_ACCT,
			 bd_db_result_get(lines, r, bd_db_result_col(lines, "account")));
		if (bd_money_from_numeric(d, 2, &v, NULL) == 0 && v)
			set_line(es, (size_t)r, COL_DEBIT, d);
		if (bd_money_from_numeric(c, 2, &v, NULL) == 0 && v)
			set_line(es, (size_t)r, COL_CREDIT, c);
		set_line(es, (size_t)r, COL_MEMO,
			 bd_db_result_get(lines, r, bd_db_result_col(lines, "memo")));
	}
	rc = 0;
cleanup:
	bd_db_result_free(head);
	bd_db_result_free(lines);
	return rc;
}

/* A fresh entry after one was submitted: the date and journal stay (entries
 * come in batches) and the cursor is on the date, everything else is
 * cleared. */
static void
next_entry(struct entry_screen *es)
{
	char *date = xstrdup(hval(es, H_DATE)), *journal = xstrdup(hval(es, H_JOURNAL));

	bd_form_load_defaults(&es->form);
	set_field(es, es->head[H_DATE], date);
	set_field(es, es->head[H_JOURNAL], journal);
	/* the next entry starts at its date (which may differ from this one's) */
	bd_form_goto(&es->form, es->head[H_DATE]);
	es->form.cursor = 0;
	update_totals(es);
	strbuf_reset(&es->initial);
	draft_text(es, &es->initial);
	free(date);
	free(journal);
}

/*
 * Leaving an entry not submitted: kept to finish later, discarded, or back
 * to it. Kept, it becomes a draft entry (written, not submitted: Journal
 * entries, 2 beside it, finishes it) when the database takes it as it is;
 * one it refuses yet (out of balance, a single line) is kept as the screen
 * stands (core.drafts), which Journal entry brings back. BD_UI_EXIT to
 * leave (the screen's draft discarded), BD_UI_SAVE to leave keeping it,
 * BD_UI_NONE to stay, BD_UI_HANGUP.
 */
static enum bd_ui_action
leave_unsubmitted(struct entry_screen *es)
{
	static const char *const items[] = {"Keep it as a draft, to finish later", "Discard it",
					    "Go back to it"};
	struct bd_session *s = es->s;
	struct bd_err err = BD_ERR_INIT;
	size_t choice = 0;
	char *id = NULL;
	enum bd_ui_action act =
	    bd_ui_choose(s->ui, "The entry is not submitted", items, NELEM(items), &choice);

	if (act == BD_UI_HANGUP || bd_ui_hungup(s->ui))
		return BD_UI_HANGUP;
	if (act != BD_UI_SELECT || choice == 2)
		return BD_UI_NONE;
	if (choice == 1)
		return BD_UI_EXIT;
	if (write_entry(es, true, &id, &err) == 0) {
		bd_ui_message(
		    s->ui, BD_UI_MSG_INFO,
		    "Entry %s kept as a draft: Journal entries, 2 beside it, finishes it.", id);
		free(id);
		return BD_UI_EXIT;
	}
	if (s->db_broken)
		return BD_UI_HANGUP;
	bd_log_err(&err);
	if (draft_save_now(es) < 0) {
		bd_session_error(s, &err);
		return BD_UI_NONE;
	}
	/* (why the database does not take it yet is in the log) */
	bd_ui_message(s->ui, BD_UI_MSG_INFO, "Kept as you left it: Journal entry brings it back.");
	return BD_UI_SAVE;
}

static const struct bd_ui_label entry_labels[] = {{BD_UI_SAVE, "Submit"}, {BD_UI_NONE, NULL}};

static enum bd_ui_action
entry_loop(struct entry_screen *es)
{
	struct bd_session *s = es->s;
	struct bd_ui_form_opts opts = {0};
	enum bd_ui_action act;

	opts.labels = entry_labels;
	opts.exits = BD_UI_BIT(BD_UI_SAVE) | BD_UI_BIT(BD_UI_EXIT) | BD_UI_BIT(BD_UI_CANCEL) |
		     BD_UI_BIT(BD_UI_MENU);
	opts.title = "Journal entry";
	opts.ctx = es;
	opts.lookup = entry_lookup;
	opts.on_field_exit = entry_field_exit;
	for (;;) {
		struct bd_err err = BD_ERR_INIT;
		char *id = NULL;

		set_subtitle(es);
		opts.subtitle = es->subtitle.buf;
		update_names(es);
		update_totals(es);
		es->at = es->form.current;
		act = bd_ui_form(s->ui, &es->form, &opts);
		if (act == BD_UI_HANGUP) {
			draft_save_now(es);
			return act;
		}
		if (act != BD_UI_SAVE) {
			if (bd_kit_pass_up(s, act) == BD_UI_HANGUP)
				return BD_UI_HANGUP;
			if (entry_changed(es)) {
				enum bd_ui_action left = leave_unsubmitted(es);

				if (left == BD_UI_HANGUP) {
					draft_save_now(es);
					return BD_UI_HANGUP;
				}
				if (left == BD_UI_SAVE) /* kept as the screen stands */
					return act == BD_UI_MENU ? BD_UI_MENU : BD_UI_EXIT;
				if (left != BD_UI_EXIT)
					continue;
			}
			draft_discard(es);
			return act == BD_UI_MENU ? BD_UI_MENU : BD_UI_EXIT;
		}
		if (write_entry(es, false, &id, &err) < 0) {
			if (s->db_broken)
				return BD_UI_HANGUP;
			/* the database refused the date (no open period covers it) */
			if (err.sqlstate[0] &&
			    (strcasestr(err.msg, "period") || strcasestr(err.msg, "date must")))
				bd_form_goto(&es->form, es->head[H_DATE]);
			bd_session_error(s, &err);
			continue;
		}
		draft_discard(es);
		bd_ui_message(s->ui, BD_UI_MSG_INFO,
			      "Entry %s submitted: another accountant approves it from the inbox.",
			      id);
		free(id);
		if (es->entry_id)
			return BD_UI_EXIT;
		next_entry(es);
	}
}

static enum bd_ui_action
run_entry(struct bd_session *s, const char *entry_id, const char *draft, size_t len)
{
	struct bd_err err = BD_ERR_INIT;
	struct entry_screen es;
	enum bd_ui_action act = BD_UI_EXIT;

	if (!s->client_code) {
		bd_ui_message(s->ui, BD_UI_MSG_ERROR, "Choose a client first");
		return BD_UI_EXIT;
	}
	if (entry_open(&es, s, entry_id, &err) < 0 || (entry_id && load_entry(&es, &err) < 0)) {
		if (s->db_broken)
			act = BD_UI_HANGUP;
		else
			bd_session_error(s, &err);
		if (draft && !s->db_broken) /* the entry is gone: so is its draft */
			es.draft_stored = true, draft_discard(&es);
		goto cleanup;
	}
	update_totals(&es);
	draft_text(&es, &es.initial);
	if (draft) {
		es.draft_stored = true;
		if (draft_apply(&es, draft, len, &err) < 0) {
			bd_log_err(&err);
			bd_ui_message(s->ui, BD_UI_MSG_ERROR, "%s; it was discarded", err.msg);
			draft_discard(&es);
		}
	}
	draft_text(&es, &es.draft_sent);
	act = entry_loop(&es);
cleanup:
	entry_close(&es);
	return act;
}

/* A new entry; or, when one was left unfinished for the active client
 * (kept on leaving, or by a dropped link), that one, as it was left. */
enum bd_ui_action
bd_ledger_entry_new(struct bd_session *s)
{
	struct bd_err err = BD_ERR_INIT;
	char *key = bd_draft_key(SCREEN_NAME, NULL);
	struct bd_db_result *res =
	    s->client_id ? bd_session_query(s, "draft.get", BD_PARAMS(key), &err) : NULL;
	enum bd_ui_action act;

	free(key);
	if (res && bd_db_result_rows(res) == 1 &&
	    !strcmp(bd_db_result_text(res, 0, "client_id"), s->client_id)) {
		const char *data = bd_db_result_text(res, 0, "data");

		bd_ui_message(s->ui, BD_UI_MSG_INFO,
			      "The entry you left unfinished, as you left it");
		act = run_entry(s, NULL, data, strlen(data));
	} else {
		if (!res && s->client_id)
			bd_log_err(&err);
		act = s->db_broken ? BD_UI_HANGUP : run_entry(s, NULL, NULL, 0);
	}
	bd_db_result_free(res);
	return act;
}

enum bd_ui_action
bd_ledger_entry_resume(struct bd_session *s, const char *record, const char *data, size_t len)
{
	return run_entry(s, record, data, len);
}

enum bd_ui_action
lui_entry_edit(struct bd_session *s, const char *entry_id)
{
	return run_entry(s, entry_id, NULL, 0);
}
