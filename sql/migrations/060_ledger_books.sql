-- 060_ledger_books: real books in and out, in any currency (issue 19).
--
-- * Currencies: ledger.currencies is ISO 4217 (active codes, with their
--   minor units); every client's books have a base currency
--   (ledger.books; USD until set, refused once entries exist). An account
--   may be held in one currency (accounts.currency; NULL: any). A line keeps
--   its amount in the transaction's currency (currency, amount signed: debit
--   positive), the rate, and its base amount in debit/credit as before, so
--   an entry balances in the base currency by the same deferred check as
--   ever; a line without a currency is in the base currency.
--   ledger.rates holds a rate per currency and date (keyed, CSV, or the P
--   directives of an imported journal): 1 unit of the currency in base.
-- * Accounts are known by their full name (Assets:US:ETrade:Cash), the tree
--   following the names; existing accounts get one from their type, parents
--   and name.
-- * An import is one batch (ledger.import_batches) approved once through the
--   approvals registry (kind ledger.import). Its entries and lines are
--   written set-based: the row triggers that would check, number and
--   balance them one by one skip rows of a batch (batch_id set), and the
--   batch's functions do the same checks and upkeep for the whole batch in
--   a few statements (ledger.lines_batch_check, ledger.import_approve).
--   Only those functions set batch_id, and batch_id never changes.
--
-- Tables and data here; functions are repeatable files (see 034). Trigger
-- functions a trigger below needs are created here empty and replaced by
-- their files right after the migrations.

SET ROLE bd_owner;

-- Global reference data: no client_id, readable by every operator, written
-- by migrations only.
CREATE TABLE ledger.currencies (
	code        text PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
	minor_units smallint NOT NULL CHECK (minor_units BETWEEN 0 AND 4)
);
GRANT SELECT ON ledger.currencies TO bd_clerk, bd_accountant, bd_supervisor, bd_admin;

INSERT INTO ledger.currencies (code, minor_units)
SELECT c, 2 FROM unnest(ARRAY[
	'AED','AFN','ALL','AMD','ANG','AOA','ARS','AUD','AWG','AZN','BAM','BBD','BDT','BGN',
	'BMD','BND','BOB','BRL','BSD','BTN','BWP','BYN','BZD','CAD','CDF','CHF','CNY','COP',
	'CRC','CUP','CVE','CZK','DKK','DOP','DZD','EGP','ERN','ETB','EUR','FJD','FKP','GBP',
	'GEL','GHS','GIP','GMD','GTQ','GYD','HKD','HNL','HTG','HUF','IDR','ILS','INR','IRR',
	'JMD','KES','KGS','KHR','KPW','KYD','KZT','LAK','LBP','LKR','LRD','LSL','MAD','MDL',
	'MGA','MKD','MMK','MNT','MOP','MRU','MUR','MVR','MWK','MXN','MYR','MZN','NAD','NGN',
	'NIO','NOK','NPR','NZD','PAB','PEN','PGK','PHP','PKR','PLN','QAR','RON','RSD','RUB',
	'SAR','SBD','SCR','SDG','SEK','SGD','SHP','SLE','SOS','SRD','SSP','STN','SVC','SYP',
	'SZL','THB','TJS','TMT','TOP','TRY','TTD','TWD','TZS','UAH','USD','UYU','UZS','VES',
	'WST','XCD','YER','ZAR','ZMW','ZWG']) c
UNION ALL
SELECT c, 0 FROM unnest(ARRAY[
	'BIF','CLP','DJF','GNF','ISK','JPY','KMF','KRW','PYG','RWF','UGX','UYI','VND','VUV',
	'XAF','XOF','XPF']) c
UNION ALL
SELECT c, 3 FROM unnest(ARRAY['BHD','IQD','JOD','KWD','LYD','OMR','TND']) c
UNION ALL
SELECT c, 4 FROM unnest(ARRAY['CLF','UYW']) c;

-- The base currency of a client's books (no row: USD).
CREATE TABLE ledger.books (
	client_id     integer NOT NULL REFERENCES core.clients (client_id),
	base_currency text NOT NULL CHECK (base_currency ~ '^[A-Z]{3}$'),
	PRIMARY KEY (client_id)
);
SELECT core.tenant_table('ledger.books', ARRAY['bd_accountant', 'bd_supervisor']);

-- Exchange rates: one unit of `currency` is `rate` units of the base
-- currency, from rate_date until the next rate.
CREATE TABLE ledger.rates (
	client_id  integer NOT NULL REFERENCES core.clients (client_id),
	currency   text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
	rate_date  date NOT NULL CHECK (rate_date BETWEEN '1900-01-01' AND '2199-12-31'),
	rate       numeric NOT NULL CHECK (rate > 0 AND rate < 1e12),
	source     text NOT NULL DEFAULT 'keyed' CHECK (source IN ('keyed', 'csv', 'journal')),
	changed_by text NOT NULL DEFAULT session_user,
	PRIMARY KEY (client_id, currency, rate_date)
);
SELECT core.tenant_table('ledger.rates', ARRAY['bd_accountant', 'bd_supervisor'], false);

-- Accounts by full name; an account may be held in one currency.
ALTER TABLE ledger.accounts
	ADD COLUMN full_name text,
	ADD COLUMN currency text CHECK (currency ~ '^[A-Z]{3}$');
-- (as the migrator: bd_owner sees no client's rows under the forced policy)
RESET ROLE;
WITH RECURSIVE tree AS (
	SELECT a.client_id, a.account_id,
	       CASE WHEN lower(btrim(a.name)) = lower(r.root) THEN r.root
		    ELSE r.root || ':' || regexp_replace(btrim(a.name), '[:;[:space:]]+', ' ', 'g')
	       END AS full_name
	FROM ledger.accounts a
	CROSS JOIN LATERAL (SELECT CASE a.type WHEN 'asset' THEN 'Assets'
				   WHEN 'liability' THEN 'Liabilities' WHEN 'equity' THEN 'Equity'
				   WHEN 'income' THEN 'Income' ELSE 'Expenses' END AS root) r
	WHERE a.parent_id IS NULL
	UNION ALL
	SELECT a.client_id, a.account_id,
	       t.full_name || ':' || regexp_replace(btrim(a.name), '[:;[:space:]]+', ' ', 'g')
	FROM ledger.accounts a
	JOIN tree t ON t.client_id = a.client_id AND t.account_id = a.parent_id
), named AS (
	SELECT t.*, count(*) OVER (PARTITION BY t.client_id, t.full_name) AS same
	FROM tree t
)
UPDATE ledger.accounts a
SET full_name = CASE WHEN n.same > 1 THEN n.full_name || ' (' || a.code || ')' ELSE n.full_name END
FROM named n WHERE n.client_id = a.client_id AND n.account_id = a.account_id;
SET ROLE bd_owner;
ALTER TABLE ledger.accounts
	ALTER COLUMN full_name SET NOT NULL,
	ADD CHECK (length(full_name) <= 400 AND full_name !~ '[[:cntrl:]]'
		   AND full_name !~ '(^[ :([])|([ :]$)|(  )|(::)|( :)|(: )'),
	ADD UNIQUE (client_id, full_name);

-- A line in another currency than the base: its amount there (debit
-- positive) and the rate; debit/credit stay the base amount. A revaluation
-- line has the currency it revalues, amount 0 and the rate it used.
ALTER TABLE ledger.lines
	ADD COLUMN currency text CHECK (currency ~ '^[A-Z]{3}$'),
	ADD COLUMN amount numeric CHECK (abs(amount) < 1e16),
	ADD COLUMN rate numeric CHECK (rate > 0 AND rate < 1e12),
	ADD COLUMN batch_id bigint,
	ADD CHECK ((currency IS NULL) = (amount IS NULL) AND (currency IS NULL) = (rate IS NULL)),
	ADD CHECK (amount IS NULL OR amount = 0 OR sign(amount) = sign(debit - credit));

-- Import batches: one approval for all of their entries.
CREATE TABLE ledger.import_batches (
	client_id    integer NOT NULL REFERENCES core.clients (client_id),
	batch_id     bigint GENERATED ALWAYS AS IDENTITY,
	source       text NOT NULL CHECK (length(source) BETWEEN 1 AND 200
					  AND source !~ '[[:cntrl:]]'),
	status       text NOT NULL DEFAULT 'open'
			     CHECK (status IN ('open', 'submitted', 'posted', 'rejected')),
	maker        text NOT NULL DEFAULT session_user,
	created_at   timestamptz NOT NULL DEFAULT now(),
	submitted_at timestamptz,
	entries      integer NOT NULL DEFAULT 0,
	lines        integer NOT NULL DEFAULT 0,
	total        numeric NOT NULL DEFAULT 0,
	first_date   date,
	last_date    date,
	approver     text,
	decided_at   timestamptz,
	reason       text CHECK (length(reason) <= 200 AND reason !~ '[[:cntrl:]]'),
	version      bigint NOT NULL DEFAULT 1,
	PRIMARY KEY (client_id, batch_id),
	CHECK (approver IS DISTINCT FROM maker)
);
SELECT core.tenant_table('ledger.import_batches', ARRAY['bd_accountant', 'bd_supervisor']);

ALTER TABLE ledger.entries
	ADD COLUMN batch_id bigint,
	ADD FOREIGN KEY (client_id, batch_id) REFERENCES ledger.import_batches (client_id, batch_id);
CREATE INDEX entries_batch_idx ON ledger.entries (client_id, batch_id) WHERE batch_id IS NOT NULL;
-- (lines.batch_id only marks a line written with its batch: ledger.lines_batch_check
-- checks it against its entry's, so no foreign key to check row by row)

-- The rows of an import chunk as ledger.import_add works on them.
CREATE TYPE ledger.import_entry AS (
	n integer, entry_date date, journal text, reference text, description text, w text,
	entry_id bigint, fiscal_year smallint, period_no smallint, state text
);
CREATE TYPE ledger.import_line AS (
	n integer, line_no integer, account text, base numeric, currency text, amount numeric,
	rate numeric, memo text, account_id integer, held text, units smallint
);

INSERT INTO approvals.kinds (kind, label, list_fn, approve_fn, reject_fn)
VALUES ('ledger.import', 'Journal import', 'ledger.import_items', 'ledger.import_approve',
	'ledger.import_reject');

-- Trigger functions the triggers below name (their files replace them).
CREATE FUNCTION ledger.lines_batch_check() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp AS $$ BEGIN RETURN NULL; END $$;
CREATE FUNCTION ledger.accounts_name() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp AS $$ BEGIN RETURN NEW; END $$;

-- An account added without a full name gets one from its parent (or type)
-- and its code and name.
CREATE TRIGGER accounts_a_name BEFORE INSERT ON ledger.accounts
	FOR EACH ROW EXECUTE FUNCTION ledger.accounts_name();

-- Lines of a batch are checked per statement (ledger.lines_batch_check);
-- every other line as before, row by row.
DROP TRIGGER lines_a_guard ON ledger.lines;
CREATE TRIGGER lines_a_guard BEFORE INSERT ON ledger.lines
	FOR EACH ROW WHEN (NEW.batch_id IS NULL) EXECUTE FUNCTION ledger.lines_guard();
CREATE TRIGGER lines_a_guard_change BEFORE UPDATE OR DELETE ON ledger.lines
	FOR EACH ROW EXECUTE FUNCTION ledger.lines_guard();
DROP TRIGGER lines_balanced ON ledger.lines;
CREATE CONSTRAINT TRIGGER lines_balanced AFTER INSERT ON ledger.lines
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW WHEN (NEW.batch_id IS NULL) EXECUTE FUNCTION ledger.lines_balanced();
CREATE CONSTRAINT TRIGGER lines_balanced_change AFTER UPDATE OR DELETE ON ledger.lines
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION ledger.lines_balanced();
CREATE TRIGGER lines_batch_check AFTER INSERT ON ledger.lines
	REFERENCING NEW TABLE AS new_lines
	FOR EACH STATEMENT EXECUTE FUNCTION ledger.lines_batch_check();

-- Posting a batch numbers and balances it whole (ledger.import_approve).
DROP TRIGGER entries_b_balances ON ledger.entries;
CREATE TRIGGER entries_b_balances BEFORE UPDATE ON ledger.entries
	FOR EACH ROW WHEN (NEW.status = 'posted' AND OLD.status <> 'posted' AND NEW.batch_id IS NULL)
	EXECUTE FUNCTION ledger.entries_balances();
DROP TRIGGER entries_c_number ON ledger.entries;
CREATE TRIGGER entries_c_number BEFORE UPDATE ON ledger.entries
	FOR EACH ROW WHEN (NEW.status = 'posted' AND OLD.status <> 'posted' AND NEW.batch_id IS NULL)
	EXECUTE FUNCTION ledger.entries_number();

RESET ROLE;
