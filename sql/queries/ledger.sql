-- General ledger: the chart, periods, entries and their approval, reports
-- and interchange. Writes go through the ledger.* functions of migration
-- 010 (SECURITY DEFINER, raising BD001..BD004 with a message for the user).
-- $1 is always the client code; dates are ISO text, amounts numeric text,
-- entry lines a JSON array of {"account","debit","credit","memo"}.
-- Reports read ledger.balances through ledger.balances_as_of(), never the
-- lines, except the account ledger (one account's lines in a date range).

-- name: ledger.account_add
-- $2 code, $3 name, $4 type (asset, liability, equity, income, expense),
-- $5 parent code or NULL. Returns account_id.
SELECT ledger.account_add($1::text, $2::text, $3::text, $4::text, $5::text) AS account_id;

-- name: ledger.account_set_active
-- $2 code, $3 'true' or 'false'.
SELECT ledger.account_set_active($1::text, $2::text, $3::boolean);

-- name: ledger.account_list
-- The chart in code order; depth is the level in the tree (0 at the top).
-- $2 'true' for active accounts only, else NULL.
WITH RECURSIVE c AS (
	SELECT core.client_id_of($1::text) AS client_id
), tree AS (
	SELECT a.account_id, a.parent_id, 0 AS depth
	FROM ledger.accounts a, c
	WHERE a.client_id = c.client_id AND a.parent_id IS NULL
	UNION ALL
	SELECT a.account_id, a.parent_id, t.depth + 1
	FROM tree t
	JOIN ledger.accounts a ON a.parent_id = t.account_id
	JOIN c ON a.client_id = c.client_id
)
SELECT a.code, a.name, a.type, p.code AS parent, a.active, t.depth
FROM ledger.accounts a
JOIN c ON a.client_id = c.client_id
JOIN tree t ON t.account_id = a.account_id
LEFT JOIN ledger.accounts p ON p.client_id = a.client_id AND p.account_id = a.parent_id
WHERE $2::boolean IS NOT TRUE OR a.active
ORDER BY a.code;

-- name: ledger.account_search
-- The F4 lookup: active accounts whose code starts with, or whose name
-- contains, $2 (case-insensitive); at most 50, codes first.
SELECT a.code, a.name, a.type
FROM ledger.accounts a
WHERE a.client_id = core.client_id_of($1::text)
  AND a.active
  AND (a.code LIKE replace(replace(replace($2::text, '\', '\\'), '%', '\%'), '_', '\_') || '%'
       OR a.name ILIKE '%' || replace(replace(replace($2::text, '\', '\\'), '%', '\%'), '_', '\_')
			 || '%')
ORDER BY a.code LIKE replace(replace(replace($2::text, '\', '\\'), '%', '\%'), '_', '\_') || '%' DESC,
	 a.code
LIMIT 50;

-- name: ledger.journal_list
SELECT j.journal, j.name, j.kind
FROM ledger.journals j
WHERE j.client_id = core.client_id_of($1::text)
ORDER BY j.journal;

-- name: ledger.fiscal_year_open
-- $2 year (e.g. 2025), $3 first day (the first of a month). 12 monthly periods.
SELECT ledger.fiscal_year_open($1::text, $2::integer, $3::date);

-- name: ledger.period_list
-- Periods of fiscal year $2 (NULL: all), with how many entries are posted
-- in each and how many wait for approval (keyed, and those of import
-- batches waiting, ledger.period_waiting).
SELECT p.fiscal_year, p.period_no, p.start_date, p.end_date, p.state, p.changed_by,
       p.changed_at,
       (SELECT count(*) FROM ledger.entries e
	WHERE e.client_id = p.client_id AND e.fiscal_year = p.fiscal_year
	  AND e.period_no = p.period_no AND e.status = 'posted') AS posted,
       w.waiting
FROM ledger.periods p
JOIN ledger.period_waiting($1::text, $2::integer) w
  ON w.fiscal_year = p.fiscal_year AND w.period_no = p.period_no
WHERE p.client_id = core.client_id_of($1::text)
  AND ($2::integer IS NULL OR p.fiscal_year = $2::integer)
ORDER BY p.start_date;

-- name: ledger.period_close
-- $2 fiscal year, $3 period number. Accountants and supervisors.
SELECT ledger.period_close($1::text, $2::integer, $3::integer);

-- name: ledger.period_reopen
-- $2 fiscal year, $3 period number. Supervisors.
SELECT ledger.period_reopen($1::text, $2::integer, $3::integer);

-- name: ledger.period_lock
-- $2 fiscal year, $3 period number. Supervisors; final.
SELECT ledger.period_lock($1::text, $2::integer, $3::integer);

-- name: ledger.entry_create
-- $2 journal, $3 date, $4 reference, $5 description, $6 lines (JSON array),
-- $7 idempotency key or NULL (a resend with it returns the first entry_id).
-- Returns the draft's entry_id.
SELECT ledger.entry_create($1::text, $2::text, $3::date, $4::text, $5::text, $6::jsonb,
			   $7::text) AS entry_id;

-- name: ledger.entry_update
-- $2 entry_id, $3 journal, $4 date, $5 reference, $6 description, $7 lines.
-- Drafts only, by their maker.
SELECT ledger.entry_update($1::text, $2::bigint, $3::text, $4::date, $5::text, $6::text,
			   $7::jsonb);

-- name: ledger.entry_delete
-- $2 entry_id. Drafts only, by their maker.
SELECT ledger.entry_delete($1::text, $2::bigint);

-- name: ledger.entry_submit
-- $2 entry_id, $3 idempotency key or NULL. The maker sends the draft for
-- approval.
SELECT ledger.entry_submit($1::text, $2::bigint, $3::text);

-- name: ledger.entry_approve
-- $2 entry_id, $3 the version the checker saw (refused when it changed
-- since). Posts it; returns the number, e.g. SJ-2025-000042.
SELECT ledger.entry_approve($1::text, $2::bigint, $3::bigint) AS entry_number;

-- name: ledger.entry_reject
-- $2 entry_id, $3 the version the checker saw, $4 the reason the maker
-- sees (the maker withdrawing their own entry may leave it empty). Back to
-- its maker as a draft.
SELECT ledger.entry_reject($1::text, $2::bigint, $3::bigint, $4::text);

-- name: ledger.entry_reverse
-- $2 entry_id of a posted entry, $3 date of the reversal or NULL (the
-- original's date if its period is open, else today). Returns the new
-- entry_id, submitted for approval.
SELECT ledger.entry_reverse($1::text, $2::bigint, $3::date) AS entry_id;

-- name: ledger.entry_get
-- $2 entry_id. The header, with totals, the number once posted and links.
SELECT e.entry_id, e.journal, e.entry_date, e.reference, e.description, e.status,
       CASE WHEN e.entry_no IS NOT NULL
	    THEN e.journal || '-' || e.fiscal_year || '-' || lpad(e.entry_no::text, 6, '0')
       END AS entry_number,
       e.fiscal_year, e.period_no, e.maker, e.created_at, e.submitted_at, e.approver,
       e.posted_at, e.reverses_entry_id, e.version, e.rejected_by, e.rejected_at,
       e.rejected_reason,
       (SELECT r.entry_id FROM ledger.entries r
	WHERE r.client_id = e.client_id AND r.reverses_entry_id = e.entry_id) AS reversed_by,
       (SELECT coalesce(sum(l.debit), 0) FROM ledger.lines l
	WHERE l.client_id = e.client_id AND l.entry_id = e.entry_id) AS total_debit,
       (SELECT coalesce(sum(l.credit), 0) FROM ledger.lines l
	WHERE l.client_id = e.client_id AND l.entry_id = e.entry_id) AS total_credit
FROM ledger.entries e
WHERE e.client_id = core.client_id_of($1::text) AND e.entry_id = $2::bigint;

-- name: ledger.entry_lines
-- $2 entry_id. Its lines in order.
SELECT l.line_no, a.code AS account, a.name AS account_name, l.debit, l.credit, l.memo
FROM ledger.lines l
JOIN ledger.accounts a ON a.client_id = l.client_id AND a.account_id = l.account_id
WHERE l.client_id = core.client_id_of($1::text) AND l.entry_id = $2::bigint
ORDER BY l.line_no;

-- name: ledger.entry_list
-- Entries with status $2 (draft, submitted, posted; NULL: all) dated from
-- $3 to $4 (NULL: unbounded), newest first, at most 500.
SELECT e.entry_id, e.entry_date, e.journal,
       CASE WHEN e.entry_no IS NOT NULL
	    THEN e.journal || '-' || e.fiscal_year || '-' || lpad(e.entry_no::text, 6, '0')
       END AS entry_number,
       e.reference, e.description, e.status, e.maker, e.approver, e.version,
       (SELECT coalesce(sum(l.debit), 0) FROM ledger.lines l
	WHERE l.client_id = e.client_id AND l.entry_id = e.entry_id) AS amount
FROM ledger.entries e
WHERE e.client_id = core.client_id_of($1::text)
  AND ($2::text IS NULL OR e.status = $2::text)
  AND ($3::date IS NULL OR e.entry_date >= $3::date)
  AND ($4::date IS NULL OR e.entry_date <= $4::date)
ORDER BY e.entry_date DESC, e.entry_id DESC
LIMIT 500;

-- name: ledger.pending_approvals
-- The supervisor's inbox: entries submitted by someone else, oldest first.
-- $1 client code, or NULL for every client of the caller.
SELECT p.client, p.entry_id, p.version, p.journal, p.entry_date, p.reference, p.description,
       p.maker, p.submitted_at, p.amount, p.reverses_entry_id
FROM ledger.pending_approvals p
WHERE $1::text IS NULL OR p.client = upper(btrim($1::text))
ORDER BY p.submitted_at, p.entry_id;

-- name: ledger.approvals_inbox
-- The ledger's own list of entries waiting for approval (the approvals
-- inbox screen runs approvals.inbox, over every registered kind): every entry
-- waiting for approval in the caller's clients ($1 client code, or NULL for all of
-- them), others' first and oldest first; mine is true for the caller's own
-- entries, which only someone else may approve. version is what an approval
-- or rejection names (refused when the entry changed since).
SELECT c.code AS client, e.entry_id, e.version, e.journal, e.entry_date, e.reference, e.description,
       e.maker, e.submitted_at, e.reverses_entry_id,
       (SELECT coalesce(sum(l.debit), 0) FROM ledger.lines l
	WHERE l.client_id = e.client_id AND l.entry_id = e.entry_id) AS amount,
       e.maker = session_user AS mine
FROM ledger.entries e
JOIN core.clients c ON c.client_id = e.client_id
WHERE e.status = 'submitted'
  AND ($1::text IS NULL OR c.code = upper(btrim($1::text)))
ORDER BY e.maker = session_user, e.submitted_at, e.entry_id;

-- name: ledger.report_trial_balance
-- Trial balance as of $2 (NULL: today): every account with a balance, in
-- the debit or the credit column, and a last row TOTAL (debits = credits).
WITH c AS (
	SELECT core.client_id_of($1::text) AS client_id,
	       coalesce($2::date, current_date) AS as_of
), b AS (
	SELECT x.account_id, x.debit - x.credit AS bal
	FROM c, ledger.balances_as_of(c.client_id, c.as_of) x
	WHERE x.debit <> x.credit
)
SELECT coalesce(a.code, 'TOTAL') AS code, coalesce(a.name, '') AS name,
       coalesce(a.type, '') AS type,
       sum(CASE WHEN b.bal > 0 THEN b.bal ELSE 0 END)::numeric(20, 2) AS debit,
       sum(CASE WHEN b.bal < 0 THEN -b.bal ELSE 0 END)::numeric(20, 2) AS credit
FROM b
JOIN c ON true
JOIN ledger.accounts a ON a.client_id = c.client_id AND a.account_id = b.account_id
GROUP BY GROUPING SETS ((a.code, a.name, a.type), ())
ORDER BY grouping(a.code, a.name, a.type), a.code;

-- name: ledger.report_pl
-- Profit and loss from $2 to $3 (NULL, NULL: this calendar month; $3 NULL:
-- the end of $2's month) with the
-- previous period of the same length beside it (whole months when the
-- range is whole months). Income and expenses positive; subtotal rows
-- TOTAL INCOME, TOTAL EXPENSES and NET INCOME.
WITH c AS (
	SELECT core.client_id_of($1::text) AS client_id,
	       coalesce($2::date, date_trunc('month', current_date::timestamp)::date) AS f,
	       coalesce($3::date, (date_trunc('month', coalesce($2::date, current_date)::timestamp)
				   + interval '1 month - 1 day')::date) AS t
), r AS (
	SELECT c.*,
	       CASE WHEN c.f = date_trunc('month', c.f::timestamp)::date
			 AND c.t + 1 = date_trunc('month', (c.t + 1)::timestamp)::date
		    THEN (c.f - make_interval(months =>
			    (extract(year FROM c.t + 1)::int * 12 + extract(month FROM c.t + 1)::int)
			    - (extract(year FROM c.f)::int * 12 + extract(month FROM c.f)::int)))::date
		    ELSE c.f - (c.t - c.f + 1)
	       END AS pf
	FROM c
), b AS (
	SELECT x.account_id, x.debit - x.credit AS bal, 1 AS cur, 0 AS prev
	FROM r, ledger.balances_as_of(r.client_id, r.t) x
	UNION ALL
	SELECT x.account_id, x.credit - x.debit, 1, 0
	FROM r, ledger.balances_as_of(r.client_id, r.f - 1) x
	UNION ALL
	SELECT x.account_id, x.debit - x.credit, 0, 1
	FROM r, ledger.balances_as_of(r.client_id, r.f - 1) x
	UNION ALL
	SELECT x.account_id, x.credit - x.debit, 0, 1
	FROM r, ledger.balances_as_of(r.client_id, r.pf - 1) x
), acc AS (
	SELECT a.type, a.code, a.name,
	       sum(b.bal * b.cur) * CASE a.type WHEN 'income' THEN -1 ELSE 1 END AS amount,
	       sum(b.bal * b.prev) * CASE a.type WHEN 'income' THEN -1 ELSE 1 END AS previous
	FROM b
	JOIN r ON true
	JOIN ledger.accounts a ON a.client_id = r.client_id AND a.account_id = b.account_id
	WHERE a.type IN ('income', 'expense')
	GROUP BY a.type, a.code, a.name
	HAVING sum(b.bal * b.cur) <> 0 OR sum(b.bal * b.prev) <> 0
), lines AS (
	SELECT CASE type WHEN 'income' THEN 1 ELSE 3 END AS ord, type, code, name, amount,
	       previous
	FROM acc
	UNION ALL
	SELECT 2, 'income', 'TOTAL INCOME', '', coalesce(sum(amount), 0), coalesce(sum(previous), 0)
	FROM acc WHERE type = 'income'
	UNION ALL
	SELECT 4, 'expense', 'TOTAL EXPENSES', '', coalesce(sum(amount), 0),
	       coalesce(sum(previous), 0)
	FROM acc WHERE type = 'expense'
	UNION ALL
	SELECT 5, '', 'NET INCOME', '',
	       coalesce(sum(CASE type WHEN 'income' THEN amount ELSE -amount END), 0),
	       coalesce(sum(CASE type WHEN 'income' THEN previous ELSE -previous END), 0)
	FROM acc
)
SELECT l.type, l.code, l.name, l.amount::numeric(20, 2) AS amount,
       l.previous::numeric(20, 2) AS previous,
       r.f AS period_from, r.t AS period_to, r.pf AS previous_from, r.f - 1 AS previous_to
FROM lines l, r
ORDER BY l.ord, l.code;

-- name: ledger.report_balance_sheet
-- Balance sheet as of $2 (NULL: today) with the end of the previous period
-- beside it (the day before the fiscal period containing $2 starts; the end
-- of the previous month without one). Assets positive as debits,
-- liabilities and equity as credits; CURRENT EARNINGS is the unclosed
-- profit (all income less expenses to date) so the two sides agree.
WITH c AS (
	SELECT core.client_id_of($1::text) AS client_id,
	       coalesce($2::date, current_date) AS as_of
), r AS (
	SELECT c.*,
	       coalesce((SELECT p.start_date - 1 FROM ledger.periods p
			 WHERE p.client_id = c.client_id AND p.start_date <= c.as_of
			   AND p.end_date >= c.as_of),
			date_trunc('month', c.as_of::timestamp)::date - 1) AS prev
	FROM c
), b AS (
	SELECT x.account_id, x.debit - x.credit AS bal, 1 AS cur, 0 AS pr
	FROM r, ledger.balances_as_of(r.client_id, r.as_of) x
	UNION ALL
	SELECT x.account_id, x.debit - x.credit, 0, 1
	FROM r, ledger.balances_as_of(r.client_id, r.prev) x
), acc AS (
	SELECT a.type, a.code, a.name,
	       sum(b.bal * b.cur) * CASE a.type WHEN 'asset' THEN 1 ELSE -1 END AS amount,
	       sum(b.bal * b.pr) * CASE a.type WHEN 'asset' THEN 1 ELSE -1 END AS previous
	FROM b
	JOIN r ON true
	JOIN ledger.accounts a ON a.client_id = r.client_id AND a.account_id = b.account_id
	GROUP BY a.type, a.code, a.name
), bs AS (
	SELECT type, code, name, amount, previous FROM acc
	WHERE type IN ('asset', 'liability', 'equity') AND (amount <> 0 OR previous <> 0)
	UNION ALL
	SELECT 'equity', 'CURRENT EARNINGS', 'Profit not yet closed to equity',
	       coalesce(sum(amount), 0), coalesce(sum(previous), 0)
	FROM acc WHERE type IN ('income', 'expense')
), lines AS (
	SELECT CASE type WHEN 'asset' THEN 1 WHEN 'liability' THEN 3 ELSE 5 END AS ord,
	       type, code, name, amount, previous
	FROM bs
	UNION ALL
	SELECT 2, 'asset', 'TOTAL ASSETS', '', coalesce(sum(amount), 0), coalesce(sum(previous), 0)
	FROM bs WHERE type = 'asset'
	UNION ALL
	SELECT 4, 'liability', 'TOTAL LIABILITIES', '', coalesce(sum(amount), 0),
	       coalesce(sum(previous), 0)
	FROM bs WHERE type = 'liability'
	UNION ALL
	SELECT 6, 'equity', 'TOTAL EQUITY', '', coalesce(sum(amount), 0), coalesce(sum(previous), 0)
	FROM bs WHERE type = 'equity'
	UNION ALL
	SELECT 7, '', 'TOTAL LIABILITIES AND EQUITY', '', coalesce(sum(amount), 0),
	       coalesce(sum(previous), 0)
	FROM bs WHERE type IN ('liability', 'equity')
)
SELECT l.type, l.code, l.name, l.amount::numeric(20, 2) AS amount,
       l.previous::numeric(20, 2) AS previous, r.as_of, r.prev AS previous_as_of
FROM lines l, r
ORDER BY l.ord, l.code = 'CURRENT EARNINGS', l.code;

-- name: ledger.report_account
-- Account ledger of account $2 from $3 (NULL: 1 January of $4's year) to
-- $4 (NULL: today): an opening balance row, then each posted line with the
-- running balance (debit positive) and the entry_id for drill-down.
WITH c AS (
	SELECT core.client_id_of($1::text) AS client_id,
	       coalesce($4::date, current_date) AS t
), r AS (
	SELECT c.client_id, c.t,
	       coalesce($3::date, date_trunc('year', c.t::timestamp)::date) AS f,
	       a.account_id
	FROM c
	JOIN ledger.accounts a ON a.client_id = c.client_id AND a.code = btrim($2::text)
), opening AS (
	SELECT coalesce((SELECT x.debit - x.credit
			 FROM ledger.balances_as_of(r.client_id, r.f - 1, r.account_id) x), 0) AS bal
	FROM r
), mv AS (
	SELECT l.entry_date, e.journal || '-' || e.fiscal_year || '-' || lpad(e.entry_no::text, 6, '0')
		AS entry_number,
	       e.entry_id, e.reference, e.description, l.memo, l.debit, l.credit,
	       e.journal, e.entry_no, l.line_no
	FROM r
	JOIN ledger.lines l ON l.client_id = r.client_id AND l.account_id = r.account_id
			   AND l.entry_date BETWEEN r.f AND r.t
	JOIN ledger.entries e ON e.client_id = l.client_id AND e.entry_id = l.entry_id
	WHERE e.status = 'posted'
)
SELECT r.f - 1 AS entry_date, '' AS entry_number, NULL::bigint AS entry_id, '' AS reference,
       'Opening balance' AS description, '' AS memo, NULL::numeric AS debit,
       NULL::numeric AS credit, o.bal AS balance
FROM r, opening o
UNION ALL
SELECT * FROM (
	SELECT mv.entry_date, mv.entry_number, mv.entry_id, mv.reference, mv.description, mv.memo,
	       mv.debit, mv.credit,
	       o.bal + sum(mv.debit - mv.credit) OVER (ORDER BY mv.entry_date, mv.journal,
							   mv.entry_no, mv.line_no
							   ROWS UNBOUNDED PRECEDING) AS balance
	FROM mv, opening o
	ORDER BY mv.entry_date, mv.journal, mv.entry_no, mv.line_no
) x;

-- name: ledger.export_open
-- Posted lines for the journal and CSV exports, in date order, each entry
-- with all its lines: one cursor read with ledger.export_fetch and closed
-- with ledger.export_close (inside a transaction), so the whole export is
-- one snapshot and one plan. It replaces pages of (date, id) > last key,
-- planned for each page: the prepared statement's generic plan made the key
-- a filter instead of an index bound and read the lines with a sequential
-- scan (seconds a page at millions of lines), and some keys got a plan that
-- probed the lines once per entry and account. The client id is an InitPlan
-- (the scalar subquery): written as a join on core.client_id_of() the
-- planner copies the call into every index probe of lines and accounts,
-- one SECURITY DEFINER call per entry.
DECLARE bd_ledger_export NO SCROLL CURSOR FOR
SELECT e.entry_id, e.entry_date, e.journal,
       e.journal || '-' || e.fiscal_year || '-' || lpad(e.entry_no::text, 6, '0')
	       AS entry_number,
       e.reference, e.description, l.line_no, a.code AS account, a.name AS account_name,
       a.type AS account_type, l.debit, l.credit, l.memo, a.full_name, l.currency, l.amount,
       l.rate
FROM ledger.entries e
JOIN ledger.lines l ON l.client_id = e.client_id AND l.entry_id = e.entry_id
JOIN ledger.accounts a ON a.client_id = l.client_id AND a.account_id = l.account_id
WHERE e.client_id = (SELECT core.client_id_of($1::text)) AND e.status = 'posted'
ORDER BY e.entry_date, e.entry_id, l.line_no;

-- name: ledger.export_settings
-- For the export's own transaction, before ledger.export_open: the plan's
-- cost over millions of lines sets off JIT compilation, which takes seconds
-- and gains nothing on a plan of index probes.
SET LOCAL jit = off;

-- name: ledger.export_fetch
-- The next lines of the export (none at the end); an entry may straddle two
-- fetches. Small enough that a fetch's result stays below malloc's mmap
-- threshold (a fresh mapping, and its page faults, per fetch otherwise).
FETCH FORWARD 500 FROM bd_ledger_export;

-- name: ledger.export_close
CLOSE bd_ledger_export;

-- name: ledger.balances_compact
-- Folds balance stripes dated before $2 into one row each. Housekeeping.
SELECT ledger.balances_compact($1::text, $2::date) AS folded;

-- name: ledger.base_currency
-- The client's base currency (ISO 4217) and its decimal places.
SELECT b.code AS currency, b.minor_units
FROM ledger.currencies b
WHERE b.code = ledger.base_currency(core.client_id_of($1::text));

-- name: ledger.base_currency_set
-- $2 currency code; refused once the books hold entries.
SELECT ledger.base_currency_set($1::text, $2::text);

-- name: ledger.currency_list
-- Every ISO 4217 currency the books may hold, with its decimal places.
SELECT c.code, c.minor_units FROM ledger.currencies c ORDER BY c.code;

-- name: ledger.rates_put
-- $2 JSON [{"currency","date","rate","where"}], $3 'keyed', 'csv' or 'journal'.
SELECT ledger.rates_put($1::text, $2::jsonb, $3::text) AS changed;

-- name: ledger.rate_list
-- Rates held, newest first; $2 currency or NULL for all.
SELECT r.currency, r.rate_date, r.rate, r.source, r.changed_by
FROM ledger.rates r
WHERE r.client_id = core.client_id_of($1::text)
  AND ($2::text IS NULL OR r.currency = upper($2::text))
ORDER BY r.currency, r.rate_date DESC;

-- name: ledger.account_add_named
-- $2 full name (Assets:Bank:EUR; missing parents are added), $3 type or
-- NULL (from the top-level name), $4 currency held or NULL (any). Returns
-- the code it gets.
SELECT ledger.account_add_named($1::text, $2::text, $3::text, $4::text) AS code;

-- name: ledger.account_names
-- Every account by full name, in name order, with its type, currency,
-- code and whether it is active (the import's and the command's view).
SELECT a.full_name, a.type, coalesce(a.currency, '') AS currency, a.code, a.active
FROM ledger.accounts a
WHERE a.client_id = core.client_id_of($1::text)
ORDER BY a.full_name;

-- name: ledger.import_rates
-- The rates held, for an import's conversions: currency, date, rate.
SELECT r.currency, r.rate_date, r.rate
FROM ledger.rates r
WHERE r.client_id = core.client_id_of($1::text)
ORDER BY r.currency, r.rate_date;

-- name: ledger.import_begin
-- $2 the file's name, $3 JSON list of the files read (a staged line's
-- file_no is its place there, from 1). Returns the new batch id.
SELECT ledger.import_begin($1::text, $2::text, $3::jsonb) AS batch_id;

-- name: ledger.import_accounts
-- $2 batch, $3 JSON [{"name","type","currency","where"}], $4 'true' to create.
SELECT ledger.import_accounts($1::text, $2::bigint, $3::jsonb, $4::boolean) AS created;

-- name: ledger.import_account_ids
-- Every account of client $1 with its id, for the importer to stage lines
-- by account id (by full name, else by code; the import's checks then
-- hold each id to the client's accounts).
SELECT a.full_name, a.code, a.account_id
FROM ledger.accounts a
WHERE a.client_id = core.client_id_of($1::text);

-- name: ledger.import_copy
-- The importer's COPY of a batch's lines into the staging table (087):
-- tab-separated text, one row per line, amounts in minor units (see
-- ledger.import_submit, which checks them all).
COPY ledger.import_lines (batch_id, n, line_no, entry_date, journal, reference, description,
			  entry_line, account_id, base, currency, amount, rate, memo, file_no,
			  src_line) FROM STDIN;

-- name: ledger.import_submit
-- $2 batch. Its totals: batch_id, entries, lines, total, currency, first and
-- last date, version.
SELECT * FROM ledger.import_submit($1::text, $2::bigint);

-- name: ledger.import_pending
-- Import batches waiting for approval (all the caller's clients when $1 is
-- NULL), with the version approve names.
SELECT i.client, i.id AS batch_id, i.maker, i.submitted_at, i.description, i.amount AS total,
       i.version
FROM ledger.import_items($1::text) i
ORDER BY i.submitted_at, i.id;

-- name: ledger.import_batch
-- $2 batch: what the approvals inbox shows of it (5): the file it came
-- from, its status, maker, entries, lines, dates, total in the client's
-- base currency and version.
SELECT b.batch_id, b.source, b.status, b.maker, b.created_at, b.submitted_at, b.entries,
       b.lines, b.first_date, b.last_date, b.total, ledger.base_currency(b.client_id) AS currency,
       b.version
FROM ledger.import_batches b
WHERE b.client_id = core.client_id_of($1::text) AND b.batch_id = $2::bigint;

-- name: ledger.import_totals
-- $2 batch: its lines summed per account and currency (the line's, else
-- the base currency): lines, debit and credit in the base currency, and
-- the net in the line's currency; from its staged lines while it waits.
SELECT t.account, t.account_name, t.currency, t.lines, t.debit, t.credit, t.amount
FROM ledger.import_totals($1::text, $2::bigint) t;

-- name: ledger.import_approve
-- $2 batch, $3 version seen: through the approvals registry.
SELECT approvals.approve('ledger.import', $1::text, $2::bigint, $3::bigint) AS result;

-- name: ledger.import_reject
-- $2 batch, $3 version seen, $4 reason: through the approvals registry.
SELECT approvals.reject('ledger.import', $1::text, $2::bigint, $3::bigint, $4::text);

-- name: ledger.revalue
-- $2 date, $3 exchange difference account (full name or code). The
-- revaluation entry's id (submitted for approval), NULL if nothing is off.
SELECT ledger.revalue($1::text, $2::date, $3::text) AS entry_id;

-- name: ledger.trial_balance_currency
-- Trial balance as of $2 (NULL: today) by account full name and currency:
-- the balance in that currency (debit positive) and in the base currency.
-- A line in the base currency, or one that only revalues (amount 0), counts
-- in the base currency. Posted lines.
WITH c AS (
	SELECT core.client_id_of($1::text) AS client_id, coalesce($2::date, current_date) AS as_of
), x AS (
	SELECT l.account_id,
	       CASE WHEN l.currency IS NULL OR l.amount = 0 THEN ledger.base_currency(c.client_id)
		    ELSE l.currency END AS currency,
	       CASE WHEN l.currency IS NULL OR l.amount = 0 THEN l.debit - l.credit
		    ELSE l.amount END AS amount,
	       l.debit - l.credit AS base
	FROM c
	JOIN ledger.lines l ON l.client_id = c.client_id AND l.entry_date <= c.as_of
	JOIN ledger.entries e ON e.client_id = l.client_id AND e.entry_id = l.entry_id
	WHERE e.status = 'posted'
)
SELECT a.full_name AS account, x.currency, sum(x.amount) AS balance, sum(x.base) AS base
FROM x
JOIN c ON true
JOIN ledger.accounts a ON a.client_id = c.client_id AND a.account_id = x.account_id
GROUP BY a.full_name, x.currency
HAVING sum(x.amount) <> 0 OR sum(x.base) <> 0
ORDER BY a.full_name, x.currency;

-- name: ledger.recurring_add
-- $2 name, $3 the entry to repeat, $4 month|quarter|year, $5 day of the
-- month (NULL: the start date's; 31: the month end), $6 start, $7 end or
-- NULL. The new template's id.
SELECT ledger.recurring_add($1::text, $2::text, $3::bigint, $4::text, $5::integer, $6::date,
			    $7::date) AS template_id;

-- name: ledger.recurring_list
-- The client's recurring entries: schedule, lines, total debit, the last
-- period made and the next date due (NULL: none left).
SELECT t.template_id, t.name, t.journal, t.description, t.every, t.day, t.start_date,
       t.end_date,
       (SELECT count(*) FROM ledger.recurring_lines l
	WHERE l.client_id = t.client_id AND l.template_id = t.template_id) AS lines,
       (SELECT sum(l.debit) FROM ledger.recurring_lines l
	WHERE l.client_id = t.client_id AND l.template_id = t.template_id) AS amount,
       p.last_period,
       (SELECT min(d.d)
	FROM ledger.recurring_dates(t.every, t.day, t.start_date, t.end_date, '2199-12-31') d(d)
	WHERE p.last_period IS NULL OR d.d >= p.last_period + interval '1 month') AS next_due
FROM ledger.recurring t
LEFT JOIN LATERAL (SELECT max(x.period) AS last_period FROM ledger.recurring_posts x
		   WHERE x.client_id = t.client_id AND x.template_id = t.template_id) p ON true
WHERE t.client_id = core.client_id_of($1::text)
ORDER BY t.name;

-- name: ledger.recurring_post
-- $1 client (NULL: each of the caller's), $2 through date, $3 true: leave
-- them drafts. The entries made (none when every period due is made).
SELECT r.client, r.template_id, r.name, r.entry_date, r.entry_id
FROM ledger.recurring_post($1::text, $2::date, $3::boolean) r;
