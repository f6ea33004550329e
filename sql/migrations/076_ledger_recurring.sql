-- 076_ledger_recurring: recurring journal entries (issue 19, the bonus of
-- item 6).
--
-- * A template (ledger.recurring) is a journal entry's journal, reference,
--   description and lines (ledger.recurring_lines: account, debit or credit
--   in the base currency, memo) with a schedule: every month, quarter or
--   year from the start date's month, on a day of the month (1-31; a day
--   the month does not have is its last day: 31 is always the month end, 30
--   in February is the 28th or 29th), from a start date to an optional end.
--   A template is made from an existing entry (ledger.recurring_add) and
--   ended by setting its end date (ledger.recurring_end).
-- * ledger.recurring_post(client, through) makes every occurrence due up to
--   a date as an ordinary entry through the normal path (entry_create, then
--   entry_submit unless drafts are asked for): another accountant approves
--   each one as any keyed entry.
-- * Never twice for the same period: ledger.recurring_posts has one row per
--   template and period (the first day of the occurrence's month), its
--   primary key; the post inserts that row first (ON CONFLICT DO NOTHING)
--   and makes the entry only when the row is new, so a second post, or two
--   at once (the second waits on the first's key), makes nothing. Deleting
--   the draft a post made keeps the period done (entry_id becomes NULL).
--
-- * Import speed (issue 19's benchmark): an import batch's entries skip the
--   row trigger entries_a_insert (one PL/pgSQL call per entry, a million for
--   a million-entry journal) and are checked once per statement instead by
--   ledger.import_entries_check, as their lines already are by
--   ledger.lines_batch_check: submitted, unnumbered, made by the caller, of
--   an open batch of the same client. Every foreign key stays as it is.
--
-- Tables here; functions are repeatable files (see 034). The trigger
-- function a trigger below needs is created here empty and replaced by its
-- file right after the migrations.

SET ROLE bd_owner;

CREATE TABLE ledger.recurring (
	client_id   integer NOT NULL REFERENCES core.clients (client_id),
	template_id bigint GENERATED ALWAYS AS IDENTITY,
	name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 60
				     AND name !~ '[[:cntrl:]]'),
	journal     text NOT NULL,
	reference   text NOT NULL DEFAULT '' CHECK (length(reference) <= 40
						    AND reference !~ '[[:cntrl:]]'),
	description text NOT NULL DEFAULT '' CHECK (length(description) <= 200
						    AND description !~ '[[:cntrl:]]'),
	every       text NOT NULL CHECK (every IN ('month', 'quarter', 'year')),
	day         smallint NOT NULL CHECK (day BETWEEN 1 AND 31),
	start_date  date NOT NULL CHECK (start_date BETWEEN '1900-01-01' AND '2199-12-31'),
	end_date    date CHECK (end_date >= start_date AND end_date <= '2199-12-31'),
	source_entry_id bigint,
	maker       text NOT NULL DEFAULT session_user,
	created_at  timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (client_id, template_id),
	UNIQUE (client_id, name),
	FOREIGN KEY (client_id, journal) REFERENCES ledger.journals (client_id, journal)
);
SELECT core.tenant_table('ledger.recurring', ARRAY['bd_accountant', 'bd_supervisor']);

CREATE TABLE ledger.recurring_lines (
	client_id   integer NOT NULL,
	template_id bigint NOT NULL,
	line_no     smallint NOT NULL CHECK (line_no BETWEEN 1 AND 999),
	account_id  integer NOT NULL,
	debit       numeric(18, 2) NOT NULL DEFAULT 0,
	credit      numeric(18, 2) NOT NULL DEFAULT 0,
	memo        text NOT NULL DEFAULT '' CHECK (length(memo) <= 200 AND memo !~ '[[:cntrl:]]'),
	PRIMARY KEY (client_id, template_id, line_no),
	FOREIGN KEY (client_id, template_id) REFERENCES ledger.recurring (client_id, template_id),
	FOREIGN KEY (client_id, account_id) REFERENCES ledger.accounts (client_id, account_id),
	CHECK ((debit > 0 AND credit = 0) OR (debit = 0 AND credit > 0))
);
SELECT core.tenant_table('ledger.recurring_lines', ARRAY['bd_accountant', 'bd_supervisor']);

CREATE TABLE ledger.recurring_posts (
	client_id   integer NOT NULL,
	template_id bigint NOT NULL,
	period      date NOT NULL CHECK (extract(day FROM period) = 1),
	entry_date  date NOT NULL,
	entry_id    bigint,
	posted_by   text NOT NULL DEFAULT session_user,
	posted_at   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (client_id, template_id, period),
	FOREIGN KEY (client_id, template_id) REFERENCES ledger.recurring (client_id, template_id),
	FOREIGN KEY (client_id, entry_id) REFERENCES ledger.entries (client_id, entry_id)
		ON DELETE SET NULL (entry_id),
	CHECK (date_trunc('month', entry_date) = period)
);
CREATE INDEX recurring_posts_entry_idx ON ledger.recurring_posts (client_id, entry_id)
	WHERE entry_id IS NOT NULL;
SELECT core.tenant_table('ledger.recurring_posts', ARRAY['bd_accountant', 'bd_supervisor'], false);

CREATE FUNCTION ledger.import_entries_check() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, ledger, pg_temp AS $$ BEGIN RETURN NULL; END $$;
DROP TRIGGER entries_a_insert ON ledger.entries;
CREATE TRIGGER entries_a_insert BEFORE INSERT ON ledger.entries
	FOR EACH ROW WHEN (NEW.batch_id IS NULL) EXECUTE FUNCTION ledger.entries_insert();
CREATE TRIGGER entries_batch_check AFTER INSERT ON ledger.entries
	REFERENCING NEW TABLE AS new_entries
	FOR EACH STATEMENT EXECUTE FUNCTION ledger.import_entries_check();

RESET ROLE;
