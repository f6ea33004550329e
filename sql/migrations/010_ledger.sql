-- 010_ledger: the general ledger. Chart of accounts, fiscal years and
-- periods, journals, journal entries with maker-checker posting, balances
-- kept in the posting transaction, and the functions behind the screens and
-- `backdesk ledger`. Follows the security model at the top of 001_core.sql.
--
-- Guarantees (each enforced by the database for every role, triggers
-- included, so that even bd_owner-run functions and a superuser's direct
-- UPDATE go through them):
--   * Entries balance: a DEFERRABLE INITIALLY DEFERRED constraint trigger on
--     INSERT, UPDATE and DELETE of lines checks sum(debit) = sum(credit) of
--     the entry at commit. Every line has exactly one of debit, credit > 0.
--   * Lifecycle draft -> submitted -> posted (submitted -> draft on reject).
--     maker is forced to session_user on insert; posting happens by setting
--     status = 'posted', which forces approver = session_user and refuses
--     approver = maker. Lines change only while their entry is a draft.
--   * Posted entries and their lines can never be updated or deleted (BEFORE
--     triggers; TRUNCATE refused). Corrections: ledger.entry_reverse()
--     creates a linked reversing entry (at most one per entry) that goes
--     through approval like any other.
--   * Dates: entries must fall in an existing period of the client's fiscal
--     year whose state is 'open', both when keyed and when posted; infinite
--     dates are refused by a CHECK and by the functions. Posting takes a
--     FOR SHARE lock on the period row, so period_close waits for postings in
--     flight and no posting can land in a period closed concurrently.
--   * Numbering: entry_no is assigned when the entry is posted, from one
--     counter row per (client, journal, fiscal year) that is updated in the
--     posting transaction and so stays locked until commit: a rolled-back
--     posting gives its number back, two postings never share one. Numbers
--     are gapless and unique per journal and year.
--
-- Balances (why not a running balance per account): a row per account that
-- every posting updates is a hot row. All postings touching the control
-- account would queue on its lock until each other's commit. Instead:
--   * ledger.balances holds debit and credit SUMS of posted lines per
--     (client, grain, bucket, account, stripe), for three grains: 'd' (the
--     day), 'm' (first day of the month) and 'y' (first day of the calendar
--     year). A posting upserts 3 rows per account it touches (one statement,
--     INSERT .. ON CONFLICT DO UPDATE).
--   * stripe: each posting transaction takes one of 16 stripes that no
--     concurrent posting holds (ledger.entries_balances), so sessions posting
--     to the same account on the same day write different rows: they neither
--     wait for each other's commit nor lose updates (each upsert is an atomic
--     row update). Rows are upserted in key order, and each
--     transaction uses one stripe, so two postings can never deadlock on
--     balance rows. ledger.balances_compact() folds stripes into stripe 0
--     (optional housekeeping; readers sum stripes anyway).
--   * Lock order inside a posting: the entry row, the period row (share),
--     the balance rows (key order), and last the journal counter. The
--     counter, the one thing that must serialise per journal, is held only
--     from the end of the posting to commit.
--   * Reading a balance as of date D sums at most: the year rows before D's
--     year, then either the month rows of D's year before D's month or (from
--     July) D's year row minus the month rows from D's month on, then either
--     the day rows of D's month up to D or (from the 16th) D's month row
--     minus the day rows after D. That is at most about (years + 6 + 15)
--     rows per account whatever the number of lines: ledger.balances_as_of().
--
-- Audit: accounts, fiscal years, periods and journals are audited on the
-- client's hash chain (core.tenant_table). Entries, lines, balances and
-- counters are not: core.audit_append serialises every write of a client on
-- its chain head row, which would make the head row exactly the hot row
-- described above for every posting. The ledger is its own trail instead:
-- posted rows are immutable and carry maker, approver, and their times, and
-- every correction is a linked reversal.
--
-- Roles: accountants key, submit and reverse entries and maintain the chart;
-- accountants and supervisors approve (not their own entries) and close
-- periods; only supervisors reopen or lock a period (locking is final).
-- Clerks and admins get no access to ledger data.

CREATE SCHEMA ledger AUTHORIZATION bd_owner;
REVOKE ALL ON SCHEMA ledger FROM PUBLIC;
GRANT USAGE ON SCHEMA ledger TO bd_accountant, bd_supervisor;

SET ROLE bd_owner;

-- --------------------------------------------------------------------------
-- Tables
-- --------------------------------------------------------------------------
CREATE TABLE ledger.accounts (
	client_id  integer NOT NULL REFERENCES core.clients (client_id),
	account_id integer GENERATED ALWAYS AS IDENTITY,
	code       text NOT NULL CHECK (code ~ '^[0-9A-Za-z][0-9A-Za-z.-]{0,19}$'),
	name       text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 120
				    AND name !~ '[[:cntrl:]]'),
	type       text NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'income',
						 'expense')),
	parent_id  integer,
	active     boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (client_id, account_id),
	UNIQUE (client_id, code),
	FOREIGN KEY (client_id, parent_id) REFERENCES ledger.accounts (client_id, account_id),
	CHECK (parent_id IS DISTINCT FROM account_id)
);
COMMENT ON TABLE ledger.accounts IS 'Chart of accounts per client; parent_id makes the tree.';

CREATE TABLE ledger.fiscal_years (
	client_id   integer NOT NULL REFERENCES core.clients (client_id),
	fiscal_year smallint NOT NULL CHECK (fiscal_year BETWEEN 1900 AND 2199),
	start_date  date NOT NULL,
	end_date    date NOT NULL,
	PRIMARY KEY (client_id, fiscal_year),
	CHECK (start_date BETWEEN '1900-01-01' AND '2199-12-31' AND end_date > start_date)
);

CREATE TABLE ledger.periods (
	client_id   integer NOT NULL,
	fiscal_year smallint NOT NULL,
	period_no   smallint NOT NULL CHECK (period_no BETWEEN 1 AND 12),
	start_date  date NOT NULL,
	end_date    date NOT NULL,
	state       text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed', 'locked')),
	changed_by  text,
	changed_at  timestamptz,
	PRIMARY KEY (client_id, fiscal_year, period_no),
	FOREIGN KEY (client_id, fiscal_year) REFERENCES ledger.fiscal_years (client_id, fiscal_year),
	CHECK (end_date >= start_date)
);
CREATE INDEX periods_date_idx ON ledger.periods (client_id, start_date);

CREATE TABLE ledger.journals (
	client_id integer NOT NULL REFERENCES core.clients (client_id),
	journal   text NOT NULL CHECK (journal ~ '^[A-Z]{2,4}$'),
	name      text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 60),
	kind      text NOT NULL CHECK (kind IN ('general', 'sales', 'purchases', 'cash', 'payroll',
						 'inventory')),
	PRIMARY KEY (client_id, journal)
);

CREATE TABLE ledger.journal_counters (
	client_id   integer NOT NULL,
	journal     text NOT NULL,
	fiscal_year smallint NOT NULL,
	last_no     integer NOT NULL CHECK (last_no >= 0),
	PRIMARY KEY (client_id, journal, fiscal_year),
	FOREIGN KEY (client_id, journal) REFERENCES ledger.journals (client_id, journal),
	FOREIGN KEY (client_id, fiscal_year) REFERENCES ledger.fiscal_years (client_id, fiscal_year)
);
COMMENT ON TABLE ledger.journal_counters IS
	'Last entry number per journal and year; locked by each posting until commit.';

CREATE TABLE ledger.entries (
	client_id         integer NOT NULL,
	entry_id          bigint GENERATED ALWAYS AS IDENTITY,
	journal           text NOT NULL,
	fiscal_year       smallint NOT NULL,
	period_no         smallint NOT NULL,
	entry_no          integer CHECK (entry_no > 0),
	entry_date        date NOT NULL CHECK (entry_date BETWEEN '1900-01-01' AND '2199-12-31'),
	reference         text NOT NULL DEFAULT '' CHECK (length(reference) <= 40
							  AND reference !~ '[[:cntrl:]]'),
	description       text NOT NULL DEFAULT '' CHECK (length(description) <= 200
							    AND description !~ '[[:cntrl:]]'),
	status            text NOT NULL DEFAULT 'draft'
				  CHECK (status IN ('draft', 'submitted', 'posted')),
	maker             text NOT NULL DEFAULT session_user,
	created_at        timestamptz NOT NULL DEFAULT now(),
	submitted_at      timestamptz,
	approver          text,
	posted_at         timestamptz,
	reverses_entry_id bigint,
	PRIMARY KEY (client_id, entry_id),
	UNIQUE (client_id, journal, fiscal_year, entry_no),
	UNIQUE (client_id, reverses_entry_id),
	FOREIGN KEY (client_id, journal) REFERENCES ledger.journals (client_id, journal),
	FOREIGN KEY (client_id, fiscal_year, period_no)
		REFERENCES ledger.periods (client_id, fiscal_year, period_no),
	FOREIGN KEY (client_id, reverses_entry_id) REFERENCES ledger.entries (client_id, entry_id),
	CHECK ((status = 'posted') = (entry_no IS NOT NULL AND approver IS NOT NULL
				      AND posted_at IS NOT NULL)),
	CHECK (approver IS DISTINCT FROM maker)
);
CREATE INDEX entries_status_idx ON ledger.entries (client_id, status) WHERE status <> 'posted';
CREATE INDEX entries_date_idx ON ledger.entries (client_id, entry_date, entry_id);

CREATE TABLE ledger.lines (
	client_id  integer NOT NULL,
	entry_id   bigint NOT NULL,
	line_no    smallint NOT NULL CHECK (line_no > 0),
	account_id integer NOT NULL,
	debit      numeric(18, 2) NOT NULL DEFAULT 0,
	credit     numeric(18, 2) NOT NULL DEFAULT 0,
	memo       text NOT NULL DEFAULT '' CHECK (length(memo) <= 200 AND memo !~ '[[:cntrl:]]'),
	entry_date date NOT NULL, -- copied from the entry by ledger.lines_guard()
	PRIMARY KEY (client_id, entry_id, line_no),
	FOREIGN KEY (client_id, entry_id) REFERENCES ledger.entries (client_id, entry_id)
		ON DELETE CASCADE,
	FOREIGN KEY (client_id, account_id) REFERENCES ledger.accounts (client_id, account_id),
	CHECK ((debit > 0 AND credit = 0) OR (debit = 0 AND credit > 0))
);
CREATE INDEX lines_account_idx ON ledger.lines (client_id, account_id, entry_date);

CREATE TABLE ledger.balances (
	client_id  integer NOT NULL,
	grain      "char" NOT NULL CHECK (grain IN ('d', 'm', 'y')),
	bucket     date NOT NULL,
	account_id integer NOT NULL,
	stripe     smallint NOT NULL CHECK (stripe BETWEEN 0 AND 15),
	debit      numeric NOT NULL,
	credit     numeric NOT NULL,
	PRIMARY KEY (client_id, grain, bucket, account_id, stripe),
	FOREIGN KEY (client_id, account_id) REFERENCES ledger.accounts (client_id, account_id)
) WITH (fillfactor = 70);
COMMENT ON TABLE ledger.balances IS
	'Sums of posted lines per day/month/year bucket and account, striped (see 010_ledger.sql).';

SELECT core.tenant_table('ledger.accounts', ARRAY['bd_accountant', 'bd_supervisor']);
SELECT core.tenant_table('ledger.fiscal_years', ARRAY['bd_accountant', 'bd_supervisor']);
SELECT core.tenant_table('ledger.periods', ARRAY['bd_accountant', 'bd_supervisor']);
SELECT core.tenant_table('ledger.journals', ARRAY['bd_accountant', 'bd_supervisor']);
SELECT core.tenant_table('ledger.journal_counters', ARRAY['bd_accountant', 'bd_supervisor'], false);
SELECT core.tenant_table('ledger.entries', ARRAY['bd_accountant', 'bd_supervisor'], false);
SELECT core.tenant_table('ledger.lines', ARRAY['bd_accountant', 'bd_supervisor'], false);
SELECT core.tenant_table('ledger.balances', ARRAY['bd_accountant', 'bd_supervisor'], false);

-- --------------------------------------------------------------------------
-- Guard triggers (SECURITY INVOKER: they run as bd_owner inside the
-- functions, and as whoever writes directly, RLS applying as usual)
-- --------------------------------------------------------------------------
CREATE FUNCTION ledger.refuse_truncate()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RAISE EXCEPTION 'TRUNCATE on %.% is not allowed: ledger history is permanent',
		TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'BD002';
END
$$;

CREATE TRIGGER no_truncate BEFORE TRUNCATE ON ledger.entries
	FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_truncate();
CREATE TRIGGER no_truncate BEFORE TRUNCATE ON ledger.lines
	FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_truncate();
CREATE TRIGGER no_truncate BEFORE TRUNCATE ON ledger.balances
	FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_truncate();
CREATE TRIGGER no_truncate BEFORE TRUNCATE ON ledger.journal_counters
	FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_truncate();

-- The open period containing d (locked FOR SHARE when lock is true), or an
-- exception for the user.
CREATE FUNCTION ledger.open_period(p_client_id integer, p_date date, p_lock boolean)
RETURNS ledger.periods
LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp
AS $$
DECLARE
	p ledger.periods;
BEGIN
	IF p_date IS NULL OR NOT isfinite(p_date) OR p_date < '1900-01-01'
	   OR p_date > '2199-12-31' THEN
		RAISE EXCEPTION 'The date must be a real calendar date' USING ERRCODE = 'BD001';
	END IF;
	IF p_lock THEN
		SELECT * INTO p FROM ledger.periods
		WHERE client_id = p_client_id AND start_date <= p_date AND end_date >= p_date
		FOR SHARE;
	ELSE
		SELECT * INTO p FROM ledger.periods
		WHERE client_id = p_client_id AND start_date <= p_date AND end_date >= p_date;
	END IF;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No fiscal period covers %', p_date USING ERRCODE = 'BD001';
	END IF;
	IF p.state <> 'open' THEN
		RAISE EXCEPTION 'Period %/% (% to %) is %', p.period_no, p.fiscal_year,
			p.start_date, p.end_date, p.state USING ERRCODE = 'BD002';
	END IF;
	RETURN p;
END
$$;

-- Entries: BEFORE INSERT.
CREATE FUNCTION ledger.entries_insert()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp
AS $$
DECLARE
	p ledger.periods;
BEGIN
	IF NEW.status <> 'draft' OR NEW.entry_no IS NOT NULL OR NEW.approver IS NOT NULL
	   OR NEW.posted_at IS NOT NULL THEN
		RAISE EXCEPTION 'A new entry starts as a draft' USING ERRCODE = 'BD002';
	END IF;
	NEW.maker := session_user;
	NEW.created_at := now();
	NEW.submitted_at := NULL;
	p := ledger.open_period(NEW.client_id, NEW.entry_date, false);
	NEW.fiscal_year := p.fiscal_year;
	NEW.period_no := p.period_no;
	RETURN NEW;
END
$$;

-- Entries: BEFORE UPDATE, the state machine and immutability. Posting
-- (submitted -> posted) forces the approver and checks the entry; the
-- triggers entries_b_balances and entries_c_number, firing after this one,
-- keep the balances and assign the number.
CREATE FUNCTION ledger.entries_update()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp
AS $$
DECLARE
	p ledger.periods;
	n integer;
	dr numeric;
	cr numeric;
	inactive text;
BEGIN
	IF OLD.status = 'posted' THEN
		RAISE EXCEPTION 'Entry % is posted and cannot be changed; reverse it instead',
			OLD.entry_id USING ERRCODE = 'BD002';
	END IF;
	IF NEW.client_id <> OLD.client_id OR NEW.entry_id <> OLD.entry_id
	   OR NEW.maker <> OLD.maker OR NEW.created_at <> OLD.created_at
	   OR NEW.reverses_entry_id IS DISTINCT FROM OLD.reverses_entry_id THEN
		RAISE EXCEPTION 'The identity of an entry cannot change' USING ERRCODE = 'BD002';
	END IF;
	IF NEW.status <> 'posted' AND (NEW.entry_no IS NOT NULL OR NEW.approver IS NOT NULL
				       OR NEW.posted_at IS NOT NULL) THEN
		RAISE EXCEPTION 'Only posting numbers an entry' USING ERRCODE = 'BD002';
	END IF;
	IF OLD.status = 'submitted' AND (NEW.journal <> OLD.journal
					 OR NEW.entry_date <> OLD.entry_date
					 OR NEW.reference <> OLD.reference
					 OR NEW.description <> OLD.description) THEN
		RAISE EXCEPTION 'Entry % waits for approval and cannot be edited', OLD.entry_id
			USING ERRCODE = 'BD002';
	END IF;
	IF OLD.status = 'draft' AND NEW.status = 'posted' THEN
		RAISE EXCEPTION 'Entry % must be submitted for approval first', OLD.entry_id
			USING ERRCODE = 'BD002';
	END IF;

	IF NEW.status = 'draft' THEN
		NEW.submitted_at := NULL;
		IF NEW.entry_date <> OLD.entry_date THEN
			p := ledger.open_period(NEW.client_id, NEW.entry_date, false);
			NEW.fiscal_year := p.fiscal_year;
			NEW.period_no := p.period_no;
			-- the lines follow in entries_d_dates (AFTER UPDATE)
		END IF;
		RETURN NEW;
	END IF;

	IF NEW.status = 'submitted' AND OLD.status = 'draft' THEN
		NEW.submitted_at := now();
	END IF;
	-- Submitting and posting: the period must be open, the entry complete.
	p := ledger.open_period(NEW.client_id, NEW.entry_date, NEW.status = 'posted');
	NEW.fiscal_year := p.fiscal_year;
	NEW.period_no := p.period_no;
	SELECT count(*), coalesce(sum(debit), 0), coalesce(sum(credit), 0)
	INTO n, dr, cr
	FROM ledger.lines WHERE client_id = NEW.client_id AND entry_id = NEW.entry_id;
	IF n < 2 OR dr = 0 THEN
		RAISE EXCEPTION 'Entry % needs at least two lines with amounts', NEW.entry_id
			USING ERRCODE = 'BD001';
	END IF;
	IF dr <> cr THEN
		RAISE EXCEPTION 'Entry % does not balance: debits %, credits %', NEW.entry_id, dr, cr
			USING ERRCODE = 'BD001';
	END IF;
	SELECT string_agg(DISTINCT a.code, ', ') INTO inactive
	FROM ledger.lines l
	JOIN ledger.accounts a ON a.client_id = l.client_id AND a.account_id = l.account_id
	WHERE l.client_id = NEW.client_id AND l.entry_id = NEW.entry_id AND NOT a.active;
	IF inactive IS NOT NULL THEN
		RAISE EXCEPTION 'Account % is inactive', inactive USING ERRCODE = 'BD001';
	END IF;

	IF NEW.status = 'posted' THEN
		NEW.approver := session_user;
		NEW.posted_at := now();
		IF NEW.approver = NEW.maker THEN
			RAISE EXCEPTION 'You cannot approve your own entry: another accountant must'
				USING ERRCODE = 'BD002';
		END IF;
		NEW.entry_no := 0; -- placeholder; entries_c_number assigns it
	END IF;
	RETURN NEW;
END
$$;

-- Entries: BEFORE UPDATE when posting; adds the lines to ledger.balances.
-- One balance stripe per posting transaction that no concurrent posting
-- holds: the first free stripe from pg_backend_pid() % 16 on, marked by a
-- transaction-level advisory try-lock (it never waits), kept for the rest of
-- the transaction, so a transaction writes to one stripe only and rows are
-- upserted in key order (no deadlock). Only with more than 16 postings in
-- flight do two share a stripe.
CREATE FUNCTION ledger.entries_balances()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp
AS $$
DECLARE
	v_xact text := pg_current_xact_id()::text;
	v_mine text := current_setting('backdesk.ledger_stripe', true);
	v_base smallint := (pg_backend_pid() % 16)::smallint;
	v_stripe smallint;
	i integer;
BEGIN
	-- 'xid:stripe' of this session's last posting transaction.
	IF v_mine LIKE v_xact || ':%' THEN
		v_stripe := split_part(v_mine, ':', 2)::smallint;
	ELSE
		FOR i IN 0 .. 15 LOOP
			IF pg_try_advisory_xact_lock(hashtext('ledger.balances'), (v_base + i) % 16) THEN
				v_stripe := ((v_base + i) % 16)::smallint;
				EXIT;
			END IF;
		END LOOP;
		v_stripe := coalesce(v_stripe, v_base);
		-- Not local: this function's SET clause would undo a local setting
		-- on return; the xid prefix ties the value to this transaction.
		PERFORM set_config('backdesk.ledger_stripe', v_xact || ':' || v_stripe, false);
	END IF;
	INSERT INTO ledger.balances AS b (client_id, grain, bucket, account_id, stripe, debit,
					  credit)
	SELECT NEW.client_id, g.grain, g.bucket, l.account_id, v_stripe, sum(l.debit),
	       sum(l.credit)
	FROM ledger.lines l
	CROSS JOIN LATERAL (VALUES ('d'::"char", NEW.entry_date),
				   ('m'::"char", date_trunc('month', NEW.entry_date::timestamp)::date),
				   ('y'::"char", date_trunc('year', NEW.entry_date::timestamp)::date)) g(grain, bucket)
	WHERE l.client_id = NEW.client_id AND l.entry_id = NEW.entry_id
	GROUP BY g.grain, g.bucket, l.account_id
	ORDER BY g.grain, g.bucket, l.account_id
	ON CONFLICT (client_id, grain, bucket, account_id, stripe) DO UPDATE
	SET debit = b.debit + EXCLUDED.debit, credit = b.credit + EXCLUDED.credit;
	RETURN NEW;
END
$$;

-- Entries: BEFORE UPDATE when posting, last: the gapless number.
CREATE FUNCTION ledger.entries_number()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp
AS $$
BEGIN
	INSERT INTO ledger.journal_counters AS c (client_id, journal, fiscal_year, last_no)
	VALUES (NEW.client_id, NEW.journal, NEW.fiscal_year, 1)
	ON CONFLICT (client_id, journal, fiscal_year) DO UPDATE SET last_no = c.last_no + 1
	RETURNING c.last_no INTO NEW.entry_no;
	RETURN NEW;
END
$$;

CREATE FUNCTION ledger.entries_delete()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF OLD.status <> 'draft' THEN
		RAISE EXCEPTION 'Entry % is % and cannot be deleted', OLD.entry_id, OLD.status
			USING ERRCODE = 'BD002';
	END IF;
	RETURN OLD;
END
$$;

CREATE TRIGGER entries_a_insert BEFORE INSERT ON ledger.entries
	FOR EACH ROW EXECUTE FUNCTION ledger.entries_insert();
CREATE TRIGGER entries_a_update BEFORE UPDATE ON ledger.entries
	FOR EACH ROW EXECUTE FUNCTION ledger.entries_update();
CREATE TRIGGER entries_b_balances BEFORE UPDATE ON ledger.entries
	FOR EACH ROW WHEN (NEW.status = 'posted' AND OLD.status <> 'posted')
	EXECUTE FUNCTION ledger.entries_balances();
CREATE TRIGGER entries_c_number BEFORE UPDATE ON ledger.entries
	FOR EACH ROW WHEN (NEW.status = 'posted' AND OLD.status <> 'posted')
	EXECUTE FUNCTION ledger.entries_number();
-- Entries: AFTER UPDATE of a draft's date; the lines follow (lines_guard
-- copies the entry's date, which is now the new one).
CREATE FUNCTION ledger.entries_dates()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp
AS $$
BEGIN
	UPDATE ledger.lines SET entry_date = NEW.entry_date
	WHERE client_id = NEW.client_id AND entry_id = NEW.entry_id;
	RETURN NULL;
END
$$;

CREATE TRIGGER entries_d_dates AFTER UPDATE ON ledger.entries
	FOR EACH ROW WHEN (NEW.entry_date <> OLD.entry_date AND NEW.status = 'draft')
	EXECUTE FUNCTION ledger.entries_dates();
CREATE TRIGGER entries_a_delete BEFORE DELETE ON ledger.entries
	FOR EACH ROW EXECUTE FUNCTION ledger.entries_delete();

-- Lines: BEFORE INSERT, UPDATE, DELETE. Only a draft's lines change; the
-- line's date is the entry's.
CREATE FUNCTION ledger.lines_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp
AS $$
DECLARE
	e ledger.entries;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		SELECT * INTO e FROM ledger.entries
		WHERE client_id = OLD.client_id AND entry_id = OLD.entry_id;
		-- (not found: the entry itself is being deleted, as a draft)
		IF FOUND AND e.status <> 'draft' THEN
			RAISE EXCEPTION 'Entry % is % and its lines cannot be changed%', e.entry_id,
				e.status, CASE e.status WHEN 'posted' THEN '; reverse it instead'
						  ELSE '' END
				USING ERRCODE = 'BD002';
		END IF;
		IF TG_OP = 'DELETE' THEN
			RETURN OLD;
		END IF;
	END IF;
	IF TG_OP = 'INSERT' OR NEW.client_id <> OLD.client_id OR NEW.entry_id <> OLD.entry_id THEN
		SELECT * INTO e FROM ledger.entries
		WHERE client_id = NEW.client_id AND entry_id = NEW.entry_id;
		IF FOUND AND e.status <> 'draft' THEN
			RAISE EXCEPTION 'Entry % is % and its lines cannot be changed', e.entry_id,
				e.status USING ERRCODE = 'BD002';
		END IF;
	END IF;
	IF FOUND THEN
		NEW.entry_date := e.entry_date;
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER lines_a_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger.lines
	FOR EACH ROW EXECUTE FUNCTION ledger.lines_guard();

-- Lines: the balance check at commit.
CREATE FUNCTION ledger.lines_balanced()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp
AS $$
DECLARE
	ids bigint[];
	cid integer;
	id bigint;
	dr numeric;
	cr numeric;
BEGIN
	IF TG_OP = 'DELETE' THEN
		cid := OLD.client_id;
		ids := ARRAY[OLD.entry_id];
	ELSIF TG_OP = 'UPDATE' THEN
		cid := NEW.client_id;
		ids := ARRAY[OLD.entry_id, NEW.entry_id];
		IF OLD.client_id <> NEW.client_id THEN
			RAISE EXCEPTION 'A line cannot move to another client' USING ERRCODE = 'BD002';
		END IF;
	ELSE
		cid := NEW.client_id;
		ids := ARRAY[NEW.entry_id];
	END IF;
	FOREACH id IN ARRAY ids LOOP
		SELECT coalesce(sum(l.debit), 0), coalesce(sum(l.credit), 0) INTO dr, cr
		FROM ledger.lines l WHERE l.client_id = cid AND l.entry_id = id;
		IF dr <> cr AND EXISTS (SELECT 1 FROM ledger.entries
					WHERE client_id = cid AND entry_id = id) THEN
			RAISE EXCEPTION 'Entry % does not balance: debits %, credits %', id, dr, cr
				USING ERRCODE = 'BD001';
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER lines_balanced AFTER INSERT OR UPDATE OR DELETE ON ledger.lines
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION ledger.lines_balanced();

-- Periods: locked is final; dates never move.
CREATE FUNCTION ledger.periods_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION 'Periods cannot be deleted' USING ERRCODE = 'BD002';
	END IF;
	IF OLD.state = 'locked' THEN
		RAISE EXCEPTION 'Period %/% is locked for good', OLD.period_no, OLD.fiscal_year
			USING ERRCODE = 'BD002';
	END IF;
	IF NEW.start_date <> OLD.start_date OR NEW.end_date <> OLD.end_date
	   OR NEW.client_id <> OLD.client_id OR NEW.fiscal_year <> OLD.fiscal_year
	   OR NEW.period_no <> OLD.period_no THEN
		RAISE EXCEPTION 'A period''s dates cannot change' USING ERRCODE = 'BD002';
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER periods_a_guard BEFORE UPDATE OR DELETE ON ledger.periods
	FOR EACH ROW EXECUTE FUNCTION ledger.periods_guard();

-- --------------------------------------------------------------------------
-- Reading balances
-- --------------------------------------------------------------------------

-- Debit and credit totals of posted lines dated on or before p_as_of, per
-- account (all accounts, or only p_account_id), from ledger.balances (see
-- the top of this file). SECURITY INVOKER: RLS limits it to the caller's
-- clients.
-- In one query: the (grain, from, to, sign) ranges are a small list, each
-- read by one index range scan of ledger.balances under a single policy
-- check (a UNION ALL branch per kind of bucket would check the policy once
-- per branch), and the subtracted ranges are summed apart with FILTER
-- instead of negating each row. PL/pgSQL, so the plan is kept for the
-- session: a SQL function with a SET clause is never inlined and would be
-- planned again on every call.
CREATE FUNCTION ledger.balances_as_of(p_client_id integer, p_as_of date,
						 p_account_id integer DEFAULT NULL)
RETURNS TABLE (account_id integer, debit numeric, credit numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, ledger, pg_temp
AS $$
BEGIN
	-- (every column below is qualified: the OUT parameters share the names)
	RETURN QUERY
	WITH k AS MATERIALIZED (
		SELECT date_trunc('year', p_as_of::timestamp)::date AS y,
		       date_trunc('month', p_as_of::timestamp)::date AS m,
		       (date_trunc('month', p_as_of::timestamp) + interval '1 month')::date AS m1,
		       (date_trunc('year', p_as_of::timestamp) + interval '1 year')::date AS y1,
		       extract(month FROM p_as_of) <= 6 AS early_month,
		       extract(day FROM p_as_of) <= 15 AS early_day
	), r AS (
		-- Buckets of `grain` in [lo, hi), added (plus) or subtracted.
		SELECT 'y'::"char" AS grain, '1900-01-01'::date AS lo, k.y AS hi, true AS plus
		FROM k
		UNION ALL
		SELECT 'm', k.y, k.m, true FROM k WHERE k.early_month
		UNION ALL
		SELECT 'y', k.y, k.y1, true FROM k WHERE NOT k.early_month
		UNION ALL
		SELECT 'm', k.m, k.y1, false FROM k WHERE NOT k.early_month
		UNION ALL
		SELECT 'd', k.m, p_as_of + 1, true FROM k WHERE k.early_day
		UNION ALL
		SELECT 'm', k.m, k.m1, true FROM k WHERE NOT k.early_day
		UNION ALL
		SELECT 'd', p_as_of + 1, k.m1, false FROM k WHERE NOT k.early_day
	)
	SELECT b.account_id,
	       coalesce(sum(b.debit) FILTER (WHERE r.plus), 0)
		       - coalesce(sum(b.debit) FILTER (WHERE NOT r.plus), 0),
	       coalesce(sum(b.credit) FILTER (WHERE r.plus), 0)
		       - coalesce(sum(b.credit) FILTER (WHERE NOT r.plus), 0)
	FROM r
	CROSS JOIN LATERAL (
		-- OFFSET 0 keeps this an index range scan per range: joined freely,
		-- the planner may hash the whole table instead.
		SELECT b.account_id, b.debit, b.credit
		FROM ledger.balances b
		WHERE b.client_id = p_client_id AND b.grain = r.grain
		  AND b.bucket >= r.lo AND b.bucket < r.hi
		  AND (p_account_id IS NULL OR b.account_id = p_account_id)
		OFFSET 0
	) b
	GROUP BY b.account_id;
END
$$;

-- Folds the stripes of every balance row before p_before into stripe 0.
-- Optional housekeeping (fewer rows to read); safe while postings run: it
-- works one (grain, bucket) at a time in key order. Returns rows folded.
CREATE FUNCTION ledger.balances_compact(p_client text, p_before date)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	n bigint;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	WITH gone AS (
		DELETE FROM ledger.balances
		WHERE client_id = cid AND stripe <> 0 AND bucket < p_before
		RETURNING grain, bucket, account_id, debit, credit
	), sums AS (
		SELECT grain, bucket, account_id, sum(debit) AS debit, sum(credit) AS credit,
		       count(*) AS n
		FROM gone GROUP BY grain, bucket, account_id
	), ins AS (
		INSERT INTO ledger.balances AS b (client_id, grain, bucket, account_id, stripe,
						  debit, credit)
		SELECT cid, grain, bucket, account_id, 0, debit, credit
		FROM sums ORDER BY grain, bucket, account_id
		ON CONFLICT (client_id, grain, bucket, account_id, stripe) DO UPDATE
		SET debit = b.debit + EXCLUDED.debit, credit = b.credit + EXCLUDED.credit
	)
	SELECT coalesce(sum(sums.n), 0) INTO n FROM sums;
	RETURN n;
END
$$;

-- --------------------------------------------------------------------------
-- Set-up: journals, fiscal years, periods, accounts
-- --------------------------------------------------------------------------

-- Creates the six standard journals of a client (idempotent).
CREATE FUNCTION ledger.journals_init(p_client_id integer)
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, ledger, pg_temp
AS $$
	INSERT INTO ledger.journals (client_id, journal, name, kind)
	VALUES (p_client_id, 'GJ', 'General journal', 'general'),
	       (p_client_id, 'SJ', 'Sales journal', 'sales'),
	       (p_client_id, 'PJ', 'Purchases journal', 'purchases'),
	       (p_client_id, 'CJ', 'Cash journal', 'cash'),
	       (p_client_id, 'PY', 'Payroll journal', 'payroll'),
	       (p_client_id, 'IJ', 'Inventory journal', 'inventory')
	ON CONFLICT DO NOTHING;
$$;

-- Opens fiscal year p_year starting on p_start with 12 monthly periods (the
-- six standard journals are created on the first call). Accountants and
-- supervisors.
CREATE FUNCTION ledger.fiscal_year_open(p_client text, p_year integer, p_start date)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	v_end date;
	i integer;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	IF p_year IS NULL OR p_year < 1900 OR p_year > 2198 THEN
		RAISE EXCEPTION 'The fiscal year must be between 1900 and 2198' USING ERRCODE = 'BD001';
	END IF;
	IF p_start IS NULL OR NOT isfinite(p_start) OR p_start < '1900-01-01'
	   OR p_start > '2198-12-31' OR extract(day FROM p_start) <> 1 THEN
		RAISE EXCEPTION 'A fiscal year starts on the first day of a month'
			USING ERRCODE = 'BD001';
	END IF;
	v_end := (p_start + interval '1 year' - interval '1 day')::date;
	-- One opening at a time per client, so the overlap check holds.
	PERFORM pg_advisory_xact_lock(hashtext('ledger.fiscal_year_open'), cid);
	IF EXISTS (SELECT 1 FROM ledger.fiscal_years WHERE client_id = cid AND fiscal_year = p_year) THEN
		RAISE EXCEPTION 'Fiscal year % already exists', p_year USING ERRCODE = 'BD003';
	END IF;
	IF EXISTS (SELECT 1 FROM ledger.fiscal_years
		   WHERE client_id = cid AND start_date <= v_end AND end_date >= p_start) THEN
		RAISE EXCEPTION 'Fiscal year % would overlap another fiscal year', p_year
			USING ERRCODE = 'BD003';
	END IF;
	PERFORM ledger.journals_init(cid);
	INSERT INTO ledger.fiscal_years (client_id, fiscal_year, start_date, end_date)
	VALUES (cid, p_year, p_start, v_end);
	FOR i IN 1 .. 12 LOOP
		INSERT INTO ledger.periods (client_id, fiscal_year, period_no, start_date, end_date)
		VALUES (cid, p_year, i, (p_start + make_interval(months => i - 1))::date,
			(p_start + make_interval(months => i) - interval '1 day')::date);
	END LOOP;
END
$$;

CREATE FUNCTION ledger.period_set_state(p_client text, p_year integer, p_period integer,
					p_state text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	p ledger.periods;
	waiting bigint;
BEGIN
	IF p_state = 'closed' THEN
		PERFORM core.require_role('accountant', 'supervisor');
	ELSIF p_state IN ('open', 'locked') THEN
		PERFORM core.require_role('supervisor');
	ELSE
		RAISE EXCEPTION 'A period is open, closed or locked' USING ERRCODE = 'BD001';
	END IF;
	cid := core.client_id_of(p_client);
	SELECT * INTO p FROM ledger.periods
	WHERE client_id = cid AND fiscal_year = p_year AND period_no = p_period FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No period %/%', p_period, p_year USING ERRCODE = 'BD004';
	END IF;
	IF p.state = 'locked' THEN
		RAISE EXCEPTION 'Period %/% is locked for good', p_period, p_year
			USING ERRCODE = 'BD002';
	END IF;
	IF p_state <> 'open' THEN
		SELECT count(*) INTO waiting FROM ledger.entries
		WHERE client_id = cid AND status = 'submitted'
		  AND entry_date BETWEEN p.start_date AND p.end_date;
		IF waiting > 0 THEN
			RAISE EXCEPTION '% entries in period %/% wait for approval', waiting, p_period,
				p_year USING ERRCODE = 'BD003';
		END IF;
	END IF;
	UPDATE ledger.periods SET state = p_state, changed_by = session_user, changed_at = now()
	WHERE client_id = cid AND fiscal_year = p_year AND period_no = p_period;
END
$$;

-- Closing: accountants and supervisors. Reopening a closed period and
-- locking (final): supervisors.
CREATE FUNCTION ledger.period_close(p_client text, p_year integer, p_period integer)
RETURNS void
LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, ledger, pg_temp
AS $$ SELECT ledger.period_set_state(p_client, p_year, p_period, 'closed'); $$;

CREATE FUNCTION ledger.period_reopen(p_client text, p_year integer, p_period integer)
RETURNS void
LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, ledger, pg_temp
AS $$ SELECT ledger.period_set_state(p_client, p_year, p_period, 'open'); $$;

CREATE FUNCTION ledger.period_lock(p_client text, p_year integer, p_period integer)
RETURNS void
LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, ledger, pg_temp
AS $$ SELECT ledger.period_set_state(p_client, p_year, p_period, 'locked'); $$;

-- Adds an account; p_parent is the parent's code or NULL. Returns account_id.
CREATE FUNCTION ledger.account_add(p_client text, p_code text, p_name text, p_type text,
				   p_parent text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	v_parent integer;
	v_id integer;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	p_code := btrim(p_code);
	p_name := btrim(p_name);
	p_type := lower(btrim(p_type));
	IF p_code IS NULL OR p_code !~ '^[0-9A-Za-z][0-9A-Za-z.-]{0,19}$' THEN
		RAISE EXCEPTION 'An account code is 1-20 letters, digits, dots or dashes'
			USING ERRCODE = 'BD001';
	END IF;
	IF p_name IS NULL OR p_name = '' OR length(p_name) > 120 OR p_name ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION 'An account name is 1-120 printable characters' USING ERRCODE = 'BD001';
	END IF;
	IF p_type IS NULL OR p_type NOT IN ('asset', 'liability', 'equity', 'income', 'expense') THEN
		RAISE EXCEPTION 'The account type is asset, liability, equity, income or expense'
			USING ERRCODE = 'BD001';
	END IF;
	IF nullif(btrim(p_parent), '') IS NOT NULL THEN
		SELECT account_id INTO v_parent FROM ledger.accounts
		WHERE client_id = cid AND code = btrim(p_parent);
		IF NOT FOUND THEN
			RAISE EXCEPTION 'No parent account %', p_parent USING ERRCODE = 'BD004';
		END IF;
	END IF;
	INSERT INTO ledger.accounts (client_id, code, name, type, parent_id)
	VALUES (cid, p_code, p_name, p_type, v_parent)
	ON CONFLICT (client_id, code) DO NOTHING
	RETURNING account_id INTO v_id;
	IF v_id IS NULL THEN
		RAISE EXCEPTION 'Account % already exists', p_code USING ERRCODE = 'BD003';
	END IF;
	RETURN v_id;
END
$$;

CREATE FUNCTION ledger.account_set_active(p_client text, p_code text, p_active boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	UPDATE ledger.accounts SET active = coalesce(p_active, true)
	WHERE client_id = cid AND code = btrim(p_code);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No account %', p_code USING ERRCODE = 'BD004';
	END IF;
END
$$;

-- --------------------------------------------------------------------------
-- Entries
-- --------------------------------------------------------------------------

-- Replaces the lines of draft p_entry_id with p_lines, a jsonb array of
-- {"account": code, "debit": amount, "credit": amount, "memo": text}
-- (amounts as strings or numbers; a missing amount is 0). Checks each line
-- and that the whole balances, with messages for the user.
CREATE FUNCTION ledger.put_lines(p_client_id integer, p_entry_id bigint, p_lines jsonb)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp
AS $$
DECLARE
	l record;
	a ledger.accounts;
	v_debit numeric;
	v_credit numeric;
	v_memo text;
	dr numeric := 0;
	cr numeric := 0;
	n integer := 0;
BEGIN
	IF p_lines IS NULL OR jsonb_typeof(p_lines) <> 'array' THEN
		RAISE EXCEPTION 'The lines must be a list' USING ERRCODE = 'BD001';
	END IF;
	IF jsonb_array_length(p_lines) > 999 THEN
		RAISE EXCEPTION 'An entry has at most 999 lines' USING ERRCODE = 'BD001';
	END IF;
	DELETE FROM ledger.lines WHERE client_id = p_client_id AND entry_id = p_entry_id;
	FOR l IN SELECT x.v, x.n FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS x(v, n) LOOP
		n := n + 1;
		IF jsonb_typeof(l.v) <> 'object' THEN
			RAISE EXCEPTION 'Line %: not a line', l.n USING ERRCODE = 'BD001';
		END IF;
		SELECT * INTO a FROM ledger.accounts
		WHERE client_id = p_client_id AND code = btrim(l.v ->> 'account');
		IF NOT FOUND THEN
			RAISE EXCEPTION 'Line %: no account %', l.n, coalesce(l.v ->> 'account', '(none)')
				USING ERRCODE = 'BD004';
		END IF;
		IF NOT a.active THEN
			RAISE EXCEPTION 'Line %: account % is inactive', l.n, a.code
				USING ERRCODE = 'BD001';
		END IF;
		BEGIN
			v_debit := coalesce(nullif(btrim(l.v ->> 'debit'), ''), '0')::numeric;
			v_credit := coalesce(nullif(btrim(l.v ->> 'credit'), ''), '0')::numeric;
		EXCEPTION WHEN invalid_text_representation OR numeric_value_out_of_range THEN
			RAISE EXCEPTION 'Line %: the amount is not a number', l.n USING ERRCODE = 'BD001';
		END;
		IF NOT (v_debit >= 0 AND v_debit < 1e16 AND v_credit >= 0 AND v_credit < 1e16) THEN
			RAISE EXCEPTION 'Line %: amounts are positive and below 10^16', l.n
				USING ERRCODE = 'BD001';
		END IF;
		IF v_debit <> round(v_debit, 2) OR v_credit <> round(v_credit, 2) THEN
			RAISE EXCEPTION 'Line %: the amount has more than 2 decimal places', l.n
				USING ERRCODE = 'BD001';
		END IF;
		IF (v_debit > 0) = (v_credit > 0) THEN
			RAISE EXCEPTION 'Line %: enter either a debit or a credit', l.n
				USING ERRCODE = 'BD001';
		END IF;
		v_memo := coalesce(l.v ->> 'memo', '');
		IF length(v_memo) > 200 OR v_memo ~ '[[:cntrl:]]' THEN
			RAISE EXCEPTION 'Line %: the memo is at most 200 printable characters', l.n
				USING ERRCODE = 'BD001';
		END IF;
		INSERT INTO ledger.lines (client_id, entry_id, line_no, account_id, debit, credit,
					  memo, entry_date)
		VALUES (p_client_id, p_entry_id, n, a.account_id, v_debit, v_credit, v_memo,
			'1900-01-01'); -- the date comes from the entry (lines_guard)
		dr := dr + v_debit;
		cr := cr + v_credit;
	END LOOP;
	IF dr <> cr THEN
		RAISE EXCEPTION 'The entry does not balance: debits %, credits %, difference %', dr, cr,
			dr - cr USING ERRCODE = 'BD001';
	END IF;
END
$$;

CREATE FUNCTION ledger.check_header(p_reference text, p_description text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF length(p_reference) > 40 OR p_reference ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION 'The reference is at most 40 printable characters'
			USING ERRCODE = 'BD001';
	END IF;
	IF length(p_description) > 200 OR p_description ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION 'The description is at most 200 printable characters'
			USING ERRCODE = 'BD001';
	END IF;
END
$$;

-- The entry, locked, after the caller's checks; raises BD004 when unknown.
CREATE FUNCTION ledger.entry_for_update(p_client_id integer, p_entry_id bigint)
RETURNS ledger.entries
LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp
AS $$
DECLARE
	e ledger.entries;
BEGIN
	SELECT * INTO e FROM ledger.entries
	WHERE client_id = p_client_id AND entry_id = p_entry_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No entry %', p_entry_id USING ERRCODE = 'BD004';
	END IF;
	RETURN e;
END
$$;

-- Creates a draft entry. Returns its entry_id. Accountants.
CREATE FUNCTION ledger.entry_create(p_client text, p_journal text, p_date date,
				    p_reference text, p_description text, p_lines jsonb)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	v_id bigint;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	PERFORM ledger.check_header(p_reference, p_description);
	PERFORM ledger.open_period(cid, p_date, false);
	IF NOT EXISTS (SELECT 1 FROM ledger.journals
		       WHERE client_id = cid AND journal = upper(btrim(p_journal))) THEN
		RAISE EXCEPTION 'No journal %', coalesce(p_journal, '(none)') USING ERRCODE = 'BD004';
	END IF;
	INSERT INTO ledger.entries (client_id, journal, fiscal_year, period_no, entry_date,
				    reference, description)
	VALUES (cid, upper(btrim(p_journal)), 0, 0, p_date, coalesce(btrim(p_reference), ''),
		coalesce(btrim(p_description), ''))
	RETURNING entry_id INTO v_id;
	PERFORM ledger.put_lines(cid, v_id, p_lines);
	RETURN v_id;
END
$$;

-- Rewrites a draft (header and all lines). The maker only.
CREATE FUNCTION ledger.entry_update(p_client text, p_entry_id bigint, p_journal text,
				    p_date date, p_reference text, p_description text,
				    p_lines jsonb)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	e ledger.entries;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	e := ledger.entry_for_update(cid, p_entry_id);
	IF e.status <> 'draft' THEN
		RAISE EXCEPTION 'Entry % is % and cannot be edited', p_entry_id, e.status
			USING ERRCODE = 'BD002';
	END IF;
	IF e.maker <> session_user THEN
		RAISE EXCEPTION 'Only % may edit this draft', e.maker USING ERRCODE = 'BD002';
	END IF;
	PERFORM ledger.check_header(p_reference, p_description);
	PERFORM ledger.open_period(cid, p_date, false);
	IF NOT EXISTS (SELECT 1 FROM ledger.journals
		       WHERE client_id = cid AND journal = upper(btrim(p_journal))) THEN
		RAISE EXCEPTION 'No journal %', coalesce(p_journal, '(none)') USING ERRCODE = 'BD004';
	END IF;
	UPDATE ledger.entries
	SET journal = upper(btrim(p_journal)), entry_date = p_date,
	    reference = coalesce(btrim(p_reference), ''),
	    description = coalesce(btrim(p_description), '')
	WHERE client_id = cid AND entry_id = p_entry_id;
	PERFORM ledger.put_lines(cid, p_entry_id, p_lines);
END
$$;

-- Deletes a draft. The maker only.
CREATE FUNCTION ledger.entry_delete(p_client text, p_entry_id bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	e ledger.entries;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	e := ledger.entry_for_update(cid, p_entry_id);
	IF e.maker <> session_user THEN
		RAISE EXCEPTION 'Only % may delete this draft', e.maker USING ERRCODE = 'BD002';
	END IF;
	DELETE FROM ledger.entries WHERE client_id = cid AND entry_id = p_entry_id;
END
$$;

-- Submits a draft for approval. The maker only.
CREATE FUNCTION ledger.entry_submit(p_client text, p_entry_id bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	e ledger.entries;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	e := ledger.entry_for_update(cid, p_entry_id);
	IF e.status <> 'draft' THEN
		RAISE EXCEPTION 'Entry % is already %', p_entry_id, e.status USING ERRCODE = 'BD003';
	END IF;
	IF e.maker <> session_user THEN
		RAISE EXCEPTION 'Only % may submit this draft', e.maker USING ERRCODE = 'BD002';
	END IF;
	UPDATE ledger.entries SET status = 'submitted'
	WHERE client_id = cid AND entry_id = p_entry_id;
	PERFORM pg_notify('bd_ledger_approvals', p_client);
END
$$;

-- Approves a submitted entry: posts it. Accountants and supervisors other
-- than the maker. Returns the entry's number, e.g. 'SJ-2025-000042'.
CREATE FUNCTION ledger.entry_approve(p_client text, p_entry_id bigint)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	e ledger.entries;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	e := ledger.entry_for_update(cid, p_entry_id);
	IF e.status <> 'submitted' THEN
		RAISE EXCEPTION 'Entry % is %, not waiting for approval', p_entry_id, e.status
			USING ERRCODE = 'BD003';
	END IF;
	IF e.maker = session_user THEN
		RAISE EXCEPTION 'You cannot approve your own entry: another accountant must'
			USING ERRCODE = 'BD002';
	END IF;
	UPDATE ledger.entries SET status = 'posted'
	WHERE client_id = cid AND entry_id = p_entry_id
	RETURNING * INTO e;
	PERFORM pg_notify('bd_ledger_approvals', p_client);
	RETURN format('%s-%s-%s', e.journal, e.fiscal_year, lpad(e.entry_no::text, 6, '0'));
END
$$;

-- Sends a submitted entry back to its maker as a draft. Accountants and
-- supervisors other than the maker (the maker may also withdraw it).
CREATE FUNCTION ledger.entry_reject(p_client text, p_entry_id bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	e ledger.entries;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	e := ledger.entry_for_update(cid, p_entry_id);
	IF e.status <> 'submitted' THEN
		RAISE EXCEPTION 'Entry % is %, not waiting for approval', p_entry_id, e.status
			USING ERRCODE = 'BD003';
	END IF;
	UPDATE ledger.entries SET status = 'draft'
	WHERE client_id = cid AND entry_id = p_entry_id;
	PERFORM pg_notify('bd_ledger_approvals', p_client);
END
$$;

-- Creates the reversal of posted entry p_entry_id: same journal and lines
-- with debit and credit swapped, linked by reverses_entry_id, dated p_date
-- (NULL: the original's date when its period is open, else today), and
-- submitted for approval. Returns the new entry_id. Accountants.
CREATE FUNCTION ledger.entry_reverse(p_client text, p_entry_id bigint, p_date date)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, ledger, core, pg_temp
AS $$
DECLARE
	cid integer;
	e ledger.entries;
	v_date date := p_date;
	v_id bigint;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	e := ledger.entry_for_update(cid, p_entry_id);
	IF e.status <> 'posted' THEN
		RAISE EXCEPTION 'Entry % is not posted: edit or delete the draft instead', p_entry_id
			USING ERRCODE = 'BD002';
	END IF;
	IF EXISTS (SELECT 1 FROM ledger.entries
		   WHERE client_id = cid AND reverses_entry_id = p_entry_id) THEN
		RAISE EXCEPTION 'Entry % has already been reversed', p_entry_id USING ERRCODE = 'BD003';
	END IF;
	IF v_date IS NULL THEN
		v_date := e.entry_date;
		IF NOT EXISTS (SELECT 1 FROM ledger.periods
			       WHERE client_id = cid AND start_date <= v_date AND end_date >= v_date
				 AND state = 'open') THEN
			v_date := current_date;
		END IF;
	END IF;
	PERFORM ledger.open_period(cid, v_date, false);
	INSERT INTO ledger.entries (client_id, journal, fiscal_year, period_no, entry_date,
				    reference, description, reverses_entry_id)
	VALUES (cid, e.journal, 0, 0, v_date, left(e.reference, 40),
		left('Reversal of ' || e.journal || '-' || e.fiscal_year || '-'
		     || lpad(e.entry_no::text, 6, '0') || ': ' || e.description, 200),
		p_entry_id)
	RETURNING entry_id INTO v_id;
	INSERT INTO ledger.lines (client_id, entry_id, line_no, account_id, debit, credit, memo,
				  entry_date)
	SELECT cid, v_id, line_no, account_id, credit, debit, memo, v_date
	FROM ledger.lines WHERE client_id = cid AND entry_id = p_entry_id
	ORDER BY line_no;
	UPDATE ledger.entries SET status = 'submitted' WHERE client_id = cid AND entry_id = v_id;
	PERFORM pg_notify('bd_ledger_approvals', p_client);
	RETURN v_id;
END
$$;

-- --------------------------------------------------------------------------
-- The supervisor's inbox
-- --------------------------------------------------------------------------
CREATE VIEW ledger.pending_approvals WITH (security_invoker = true) AS
SELECT c.code AS client, e.entry_id, e.journal, e.entry_date, e.reference, e.description,
       e.maker, e.submitted_at, e.reverses_entry_id,
       (SELECT sum(l.debit) FROM ledger.lines l
	WHERE l.client_id = e.client_id AND l.entry_id = e.entry_id) AS amount
FROM ledger.entries e
JOIN core.clients c ON c.client_id = e.client_id
WHERE e.status = 'submitted'
  AND e.maker <> session_user;
COMMENT ON VIEW ledger.pending_approvals IS
	'Entries waiting for approval by someone other than their maker (the session user).';

-- --------------------------------------------------------------------------
-- Grants
-- --------------------------------------------------------------------------
REVOKE ALL ON ALL TABLES IN SCHEMA ledger FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ledger FROM PUBLIC;
GRANT SELECT ON ledger.pending_approvals TO bd_accountant, bd_supervisor;
GRANT EXECUTE ON FUNCTION
	ledger.balances_as_of(integer, date, integer),
	ledger.balances_compact(text, date),
	ledger.fiscal_year_open(text, integer, date),
	ledger.period_close(text, integer, integer),
	ledger.period_reopen(text, integer, integer),
	ledger.period_lock(text, integer, integer),
	ledger.account_add(text, text, text, text, text),
	ledger.account_set_active(text, text, boolean),
	ledger.entry_create(text, text, date, text, text, jsonb),
	ledger.entry_update(text, bigint, text, date, text, text, jsonb),
	ledger.entry_delete(text, bigint),
	ledger.entry_submit(text, bigint),
	ledger.entry_approve(text, bigint),
	ledger.entry_reject(text, bigint),
	ledger.entry_reverse(text, bigint, date)
	TO bd_accountant, bd_supervisor;

RESET ROLE;
