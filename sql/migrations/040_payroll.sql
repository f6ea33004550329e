-- 040_payroll: payroll for client companies (issue 17). Tables only: the
-- functions are repeatable files in sql/functions/payroll/.
--
-- Who: the group bd_payroll (NOLOGIN, like the other four). Every payroll
-- table is a tenant table (client_id in every key, FORCE ROW LEVEL SECURITY)
-- readable by bd_payroll alone: clerks, accountants, supervisors and admins
-- hold no SELECT on any of them, and the definer functions re-check the role
-- as well as the client (an accountant's call is refused, not filtered).
-- Accountants see a run only as the one entry it posts to their ledger.
-- Audit: the payroll tables are audited on the client's chain by keys only
-- (payroll.audit_keys: table, operation, primary key; never a salary or an
-- id number, since accountants read the audit log); payslips and their
-- lines are derived data and not audited row by row (a run's state changes
-- are); every reveal of a masked value is a row of payroll.reveals, audited.
--
-- Tables (names and columns are a contract for the payout branch: stable)
--   settings(client_id PK, net_pay_account, salary_expense_account,
--       employer_expense_account, change_alert_pct, currency)
--       the client's posting accounts and the register's alert threshold.
--   agency_accounts(client_id, agency PK, liability_account)
--       where each agency's deductions and employer shares are owed.
--   employees(client_id, employee_id PK, number UNIQUE, name, hire_date,
--       leave_date, pay_group monthly|semi_monthly|biweekly|weekly,
--       country PH|US (which statutory pack applies), filing_status
--       (US W-4: single|married|head; NULL for PH), created_at)
--   employee_private(client_id, employee_id PK, tax_id, sss_no,
--       philhealth_no, pagibig_no, bank_name, bank_bic, bank_account)
--       granted to no one: read masked through payroll.employee_list, in
--       clear through payroll.reveal (audited) and the bank file
--       function payroll.bank_payments (audited) only.
--   pay_history(client_id, employee_id, effective_from PK, rate_kind
--       monthly|daily|hourly, rate, days_per_year, hours_per_day,
--       recorded_at): the rate in force on a date is the row with the latest
--       effective_from on or before it; recorded_at tells a change dated in
--       the past from one known when a run was approved (arrears).
--   assignments(client_id, employee_id, effective_from PK, department,
--       position, cost_center)
--   components(client_id, code, effective_from PK, ...component columns)
--       the client's own earnings, deductions and employer contributions.
--   packs(pack, version PK, country, name, effective_from, loaded_at,
--       loaded_by), pack_components(pack, version, code PK, ...component
--       columns), pack_tables(pack, version, table_name, pay_group, variant,
--       lo PK, fixed, rate, credit, ee, er): statutory packs, global data (no
--       client), loaded by `backdesk payroll pack load FILE`. A table row
--       applies to the run's pay group (or to the component's basis:
--       monthly, annual) or '*', and to the employee's filing status
--       (variant) or '*'.
--   inputs(client_id, input_id PK, employee_id, on_date, code, quantity,
--       amount, run_kind, note): hours, overtime, absences, one-offs, loans.
--   runs(client_id, run_id PK, pay_group, kind regular|offcycle|thirteenth,
--       period_start, period_end, pay_date, status draft|submitted|final,
--       version, maker, computed_at, submitted_at, approver, approved_at,
--       entry_id, reject_reason, employees, gross, deductions, net,
--       employer)
--   payslips(client_id, run_id, employee_id PK, gross, taxable, deductions,
--       net, employer, exceptions text[]: negative_net, net_changed,
--       no_bank_account, left_but_paid)
--   payslip_lines(client_id, run_id, employee_id, code, line_for PK, name,
--       class, step, base, quantity, rate, amount, taxable_amount, agency,
--       expense_account, liability_account): line_for is 0, or for an
--       arrears line the run_id of the past run it makes up for.
--   reveals(client_id, reveal_id PK, at, actor, employee_id, field)
--
-- Component columns (components and pack_components alike):
--   class earning|deduction|employer; method fixed (amount, or the sum of
--   the period's input amounts of input_code), salary (the pay history's
--   rate per period; daily/hourly rates times input_code's quantity),
--   rate_qty (rate x input_code's quantity, x the employee's hourly or daily
--   rate when rate_of says so), percent (rate x base / divisor), brackets
--   (table_name: fixed + rate x (base - lo) of the row with the greatest lo
--   <= base), range (table_name: the ee or er column, table_column, of that
--   row); step: components are computed step by step, one statement per
--   step for every employee of the run, and a base names components of
--   lower steps only; base: component codes summed (deductions negative),
--   or '@taxable' (sum of taxable amounts so far), '@gross' (earnings);
--   floor, ceiling: clamp the base; basis period|monthly|annual|ytd: the
--   base is converted to that basis (x 12/periods a year, x periods a year,
--   or the year to date) and the amount back; ytd_from, ytd_to: only the
--   part of the year's cumulative base between them counts (wage bases);
--   taxable: an earning counts in '@taxable', a deduction is taken off it;
--   exempt_ytd: the first amount of the year of this earning is not taxable
--   (13th month); agency, expense_account, liability_account: posting;
--   run_kinds: the kinds of run the component applies to.
--
-- Functions (sql/functions/payroll/; all take the client code):
--   employee_list(client) masked; reveal(client, number, field) -> text,
--   audited; import_employees/import_pay/import_inputs(client, source,
--   rows jsonb) one transaction, refused with 'source:line: reason';
--   pack_load(source, rows jsonb); run_create(client, pay_group, kind,
--   period_start, period_end, pay_date) -> run_id; run_compute(client,
--   run_id) set-based, draft or submitted runs (back to draft); run_submit
--   (client, run_id, version); run_approve(client, run_id, version) via
--   approvals.approve('payroll.run', ...): maker <> checker, version
--   checked under the run's lock, payslips final, one entry posted by
--   ledger.post_from_source; run_reject(client, run_id, version, reason);
--   register(client, run_id); bank_payments(client, run_id) -> unmasked
--   payments of a final run, for the bank file, audited.

DO $roles$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'bd_payroll') THEN
		BEGIN
			CREATE ROLE bd_payroll NOLOGIN;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN
			NULL;
		END;
	END IF;
	IF current_setting('server_version_num')::int >= 160000 THEN
		BEGIN
			EXECUTE 'GRANT bd_payroll TO bd_owner WITH ADMIN OPTION, INHERIT FALSE, SET FALSE';
		EXCEPTION WHEN duplicate_object OR unique_violation THEN
			NULL;
		END;
	END IF;
END
$roles$;

ALTER TABLE core.operators DROP CONSTRAINT operators_role_check;
ALTER TABLE core.operators ADD CONSTRAINT operators_role_check
	CHECK (role IN ('clerk', 'accountant', 'supervisor', 'admin', 'payroll'));

GRANT USAGE ON SCHEMA core, approvals TO bd_payroll;
GRANT SELECT ON core.clients, core.operators, core.assignments, core.operator_access,
	core.drafts, core.operator_channels, core.client_channels, approvals.kinds TO bd_payroll;

CREATE SCHEMA payroll AUTHORIZATION bd_owner;
REVOKE ALL ON SCHEMA payroll FROM PUBLIC;
GRANT USAGE ON SCHEMA payroll TO bd_payroll;

SET ROLE bd_owner;

CREATE TABLE payroll.settings (
	client_id                integer PRIMARY KEY REFERENCES core.clients (client_id),
	net_pay_account          text NOT NULL,
	salary_expense_account   text NOT NULL,
	employer_expense_account text NOT NULL,
	change_alert_pct         numeric(6,2) NOT NULL DEFAULT 20 CHECK (change_alert_pct > 0),
	currency                 text NOT NULL DEFAULT 'PHP' CHECK (currency ~ '^[A-Z]{3}$')
);

CREATE TABLE payroll.agency_accounts (
	client_id         integer NOT NULL REFERENCES core.clients (client_id),
	agency            text NOT NULL CHECK (agency ~ '^[A-Z][A-Z0-9_-]{0,19}$'),
	liability_account text NOT NULL,
	PRIMARY KEY (client_id, agency)
);

CREATE TABLE payroll.employees (
	client_id     integer NOT NULL REFERENCES core.clients (client_id),
	employee_id   bigint GENERATED ALWAYS AS IDENTITY,
	number        text NOT NULL CHECK (number ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$'),
	name          text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200
					   AND name !~ '[[:cntrl:]]'),
	hire_date     date NOT NULL CHECK (hire_date > '1900-01-01' AND hire_date < '2200-01-01'),
	leave_date    date CHECK (leave_date >= hire_date AND leave_date < '2200-01-01'),
	pay_group     text NOT NULL CHECK (pay_group IN ('monthly', 'semi_monthly', 'biweekly',
							'weekly')),
	country       text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
	filing_status text CHECK (filing_status IN ('single', 'married', 'head')),
	created_at    timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (client_id, employee_id),
	UNIQUE (client_id, number)
);
CREATE INDEX employees_group_idx ON payroll.employees (client_id, pay_group);

CREATE TABLE payroll.employee_private (
	client_id     integer NOT NULL,
	employee_id   bigint NOT NULL,
	tax_id        text CHECK (tax_id ~ '^[0-9A-Za-z-]{1,20}$'),
	sss_no        text CHECK (sss_no ~ '^[0-9-]{1,20}$'),
	philhealth_no text CHECK (philhealth_no ~ '^[0-9-]{1,20}$'),
	pagibig_no    text CHECK (pagibig_no ~ '^[0-9-]{1,20}$'),
	bank_name     text CHECK (length(bank_name) <= 70 AND bank_name !~ '[[:cntrl:]]'),
	bank_bic      text CHECK (bank_bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
	bank_account  text CHECK (bank_account ~ '^[A-Za-z0-9]{4,34}$'),
	PRIMARY KEY (client_id, employee_id),
	FOREIGN KEY (client_id, employee_id) REFERENCES payroll.employees (client_id, employee_id)
		ON DELETE CASCADE
);

CREATE TABLE payroll.pay_history (
	client_id      integer NOT NULL,
	employee_id    bigint NOT NULL,
	effective_from date NOT NULL CHECK (effective_from > '1900-01-01'
					    AND effective_from < '2200-01-01'),
	rate_kind      text NOT NULL CHECK (rate_kind IN ('monthly', 'daily', 'hourly')),
	rate           numeric(14,4) NOT NULL CHECK (rate >= 0 AND rate < 1e9),
	days_per_year  numeric(6,2) NOT NULL DEFAULT 261 CHECK (days_per_year > 0),
	hours_per_day  numeric(5,2) NOT NULL DEFAULT 8 CHECK (hours_per_day > 0),
	recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
	PRIMARY KEY (client_id, employee_id, effective_from),
	FOREIGN KEY (client_id, employee_id) REFERENCES payroll.employees (client_id, employee_id)
		ON DELETE CASCADE
);
CREATE INDEX pay_history_recorded_idx ON payroll.pay_history (client_id, recorded_at);

CREATE TABLE payroll.assignments (
	client_id      integer NOT NULL,
	employee_id    bigint NOT NULL,
	effective_from date NOT NULL CHECK (effective_from > '1900-01-01'
					    AND effective_from < '2200-01-01'),
	department     text NOT NULL DEFAULT '' CHECK (length(department) <= 60
							  AND department !~ '[[:cntrl:]]'),
	position       text NOT NULL DEFAULT '' CHECK (length(position) <= 60
							  AND position !~ '[[:cntrl:]]'),
	cost_center    text NOT NULL DEFAULT '' CHECK (length(cost_center) <= 20
							   AND cost_center !~ '[[:cntrl:]]'),
	PRIMARY KEY (client_id, employee_id, effective_from),
	FOREIGN KEY (client_id, employee_id) REFERENCES payroll.employees (client_id, employee_id)
		ON DELETE CASCADE
);

-- The columns every component has, client's or pack's (see the top).
CREATE TABLE payroll.component_shape (
	code              text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9_]{0,23}$'),
	name              text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 60
					       AND name !~ '[[:cntrl:]]'),
	class             text NOT NULL CHECK (class IN ('earning', 'deduction', 'employer')),
	method            text NOT NULL CHECK (method IN ('fixed', 'salary', 'rate_qty', 'percent',
							 'brackets', 'range')),
	step              integer NOT NULL CHECK (step BETWEEN 1 AND 99),
	amount            numeric(14,2),
	rate              numeric(14,6),
	rate_of           text CHECK (rate_of IN ('hourly', 'daily')),
	divisor           numeric(10,4) NOT NULL DEFAULT 1 CHECK (divisor > 0),
	input_code        text CHECK (input_code ~ '^[A-Z][A-Z0-9_]{0,23}$'),
	base              text[],
	floor             numeric(14,2),
	ceiling           numeric(14,2),
	basis             text NOT NULL DEFAULT 'period' CHECK (basis IN ('period', 'monthly',
									 'annual', 'ytd')),
	ytd_from          numeric(14,2),
	ytd_to            numeric(14,2),
	table_name        text CHECK (table_name ~ '^[A-Z][A-Z0-9_]{0,23}$'),
	table_column      text CHECK (table_column IN ('ee', 'er')),
	taxable           boolean NOT NULL DEFAULT false,
	exempt_ytd        numeric(14,2),
	agency            text CHECK (agency ~ '^[A-Z][A-Z0-9_-]{0,19}$'),
	expense_account   text,
	liability_account text,
	run_kinds         text[] NOT NULL DEFAULT '{regular,offcycle}'
		CHECK (run_kinds <@ '{regular,offcycle,thirteenth}'),
	CHECK (method NOT IN ('brackets', 'range') OR table_name IS NOT NULL),
	CHECK (method <> 'range' OR table_column IS NOT NULL),
	CHECK (method NOT IN ('percent', 'brackets', 'range') OR base IS NOT NULL),
	CHECK (method <> 'percent' OR rate IS NOT NULL),
	CHECK (method <> 'rate_qty' OR (rate IS NOT NULL AND input_code IS NOT NULL)),
	CHECK (method <> 'fixed' OR amount IS NOT NULL OR input_code IS NOT NULL),
	CHECK (floor IS NULL OR ceiling IS NULL OR floor <= ceiling)
);

CREATE TABLE payroll.components (
	client_id      integer NOT NULL REFERENCES core.clients (client_id),
	effective_from date NOT NULL CHECK (effective_from > '1900-01-01'
					    AND effective_from < '2200-01-01'),
	LIKE payroll.component_shape INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
	PRIMARY KEY (client_id, code, effective_from)
);

CREATE TABLE payroll.packs (
	pack           text NOT NULL CHECK (pack ~ '^[A-Z][A-Z0-9_]{0,15}$'),
	version        integer NOT NULL CHECK (version > 0),
	country        text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
	name           text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100
					    AND name !~ '[[:cntrl:]]'),
	effective_from date NOT NULL,
	loaded_at      timestamptz NOT NULL DEFAULT now(),
	loaded_by      text NOT NULL DEFAULT session_user,
	PRIMARY KEY (pack, version),
	UNIQUE (country, effective_from)
);

CREATE TABLE payroll.pack_components (
	pack    text NOT NULL,
	version integer NOT NULL,
	LIKE payroll.component_shape INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
	PRIMARY KEY (pack, version, code),
	FOREIGN KEY (pack, version) REFERENCES payroll.packs (pack, version)
);

CREATE TABLE payroll.pack_tables (
	pack       text NOT NULL,
	version    integer NOT NULL,
	table_name text NOT NULL CHECK (table_name ~ '^[A-Z][A-Z0-9_]{0,23}$'),
	pay_group  text NOT NULL CHECK (pay_group IN ('*', 'monthly', 'semi_monthly', 'biweekly',
						      'weekly', 'annual')),
	variant    text NOT NULL DEFAULT '*' CHECK (variant IN ('*', 'single', 'married', 'head')),
	lo         numeric(14,2) NOT NULL CHECK (lo >= 0),
	fixed      numeric(14,2) NOT NULL DEFAULT 0,
	rate       numeric(8,6) NOT NULL DEFAULT 0,
	credit     numeric(14,2),
	ee         numeric(14,2) NOT NULL DEFAULT 0,
	er         numeric(14,2) NOT NULL DEFAULT 0,
	PRIMARY KEY (pack, version, table_name, pay_group, variant, lo),
	FOREIGN KEY (pack, version) REFERENCES payroll.packs (pack, version)
);
DROP TABLE payroll.component_shape;

CREATE TABLE payroll.inputs (
	client_id   integer NOT NULL,
	input_id    bigint GENERATED ALWAYS AS IDENTITY,
	employee_id bigint NOT NULL,
	on_date     date NOT NULL CHECK (on_date > '1900-01-01' AND on_date < '2200-01-01'),
	code        text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9_]{0,23}$'),
	quantity    numeric(12,4) NOT NULL DEFAULT 0,
	amount      numeric(14,2) NOT NULL DEFAULT 0,
	run_kind    text NOT NULL DEFAULT 'regular' CHECK (run_kind IN ('regular', 'offcycle',
								  'thirteenth')),
	note        text NOT NULL DEFAULT '' CHECK (length(note) <= 200 AND note !~ '[[:cntrl:]]'),
	PRIMARY KEY (client_id, input_id),
	FOREIGN KEY (client_id, employee_id) REFERENCES payroll.employees (client_id, employee_id)
);
CREATE INDEX inputs_date_idx ON payroll.inputs (client_id, on_date);

CREATE TABLE payroll.runs (
	client_id     integer NOT NULL REFERENCES core.clients (client_id),
	run_id        bigint GENERATED ALWAYS AS IDENTITY,
	pay_group     text NOT NULL CHECK (pay_group IN ('monthly', 'semi_monthly', 'biweekly',
							'weekly')),
	kind          text NOT NULL CHECK (kind IN ('regular', 'offcycle', 'thirteenth')),
	period_start  date NOT NULL,
	period_end    date NOT NULL,
	pay_date      date NOT NULL,
	status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'final')),
	version       bigint NOT NULL DEFAULT 1,
	maker         text NOT NULL DEFAULT session_user,
	created_at    timestamptz NOT NULL DEFAULT now(),
	computed_at   timestamptz,
	submitted_at  timestamptz,
	approver      text,
	approved_at   timestamptz,
	entry_id      bigint,
	reject_reason text CHECK (length(reject_reason) <= 500 AND reject_reason !~ '[[:cntrl:]]'),
	employees     integer NOT NULL DEFAULT 0,
	gross         numeric(16,2) NOT NULL DEFAULT 0,
	deductions    numeric(16,2) NOT NULL DEFAULT 0,
	net           numeric(16,2) NOT NULL DEFAULT 0,
	employer      numeric(16,2) NOT NULL DEFAULT 0,
	PRIMARY KEY (client_id, run_id),
	CHECK (period_start <= period_end AND period_end - period_start < 31
	       AND period_start > '1900-01-01' AND pay_date < '2200-01-01'),
	CHECK ((status = 'final') = (approver IS NOT NULL))
);
CREATE UNIQUE INDEX runs_regular_idx ON payroll.runs (client_id, pay_group, period_start)
	WHERE kind = 'regular';

CREATE TABLE payroll.payslips (
	client_id   integer NOT NULL,
	run_id      bigint NOT NULL,
	employee_id bigint NOT NULL,
	gross       numeric(16,2) NOT NULL,
	taxable     numeric(16,2) NOT NULL,
	deductions  numeric(16,2) NOT NULL,
	net         numeric(16,2) NOT NULL,
	employer    numeric(16,2) NOT NULL,
	exceptions  text[] NOT NULL DEFAULT '{}',
	PRIMARY KEY (client_id, run_id, employee_id),
	FOREIGN KEY (client_id, run_id) REFERENCES payroll.runs (client_id, run_id),
	FOREIGN KEY (client_id, employee_id) REFERENCES payroll.employees (client_id, employee_id)
);
CREATE INDEX payslips_employee_idx ON payroll.payslips (client_id, employee_id);

CREATE TABLE payroll.payslip_lines (
	client_id         integer NOT NULL,
	run_id            bigint NOT NULL,
	employee_id       bigint NOT NULL,
	code              text NOT NULL,
	line_for          bigint NOT NULL DEFAULT 0,
	name              text NOT NULL,
	class             text NOT NULL CHECK (class IN ('earning', 'deduction', 'employer')),
	step              integer NOT NULL,
	base              numeric(16,2),
	quantity          numeric(12,4),
	rate              numeric(14,6),
	amount            numeric(16,2) NOT NULL,
	taxable_amount    numeric(16,2) NOT NULL DEFAULT 0,
	agency            text,
	expense_account   text,
	liability_account text,
	PRIMARY KEY (client_id, run_id, employee_id, code, line_for)
	-- No row-by-row foreign key (a run writes a million lines):
	-- payroll.payslips_guard checks, once per statement, that every line
	-- written belongs to an existing run that is not final.
);
CREATE INDEX payslip_lines_employee_idx ON payroll.payslip_lines (client_id, employee_id, code);

CREATE TABLE payroll.reveals (
	client_id   integer NOT NULL,
	reveal_id   bigint GENERATED ALWAYS AS IDENTITY,
	at          timestamptz NOT NULL DEFAULT now(),
	actor       text NOT NULL DEFAULT session_user,
	employee_id bigint,
	run_id      bigint,
	field       text NOT NULL,
	PRIMARY KEY (client_id, reveal_id)
);

RESET ROLE;

-- Global pack data: no client, no row security; bd_payroll reads it, only
-- payroll.pack_load writes it.
ALTER TABLE payroll.packs OWNER TO bd_owner;
ALTER TABLE payroll.pack_components OWNER TO bd_owner;
ALTER TABLE payroll.pack_tables OWNER TO bd_owner;
REVOKE ALL ON payroll.packs, payroll.pack_components, payroll.pack_tables FROM PUBLIC;
GRANT SELECT ON payroll.packs, payroll.pack_components, payroll.pack_tables TO bd_payroll;

-- Tenant tables (owner, RLS forced, the tenant policy), read by bd_payroll
-- only, granted here (core.tenant_table, as this migration finds it, knows
-- the four first groups only); audited by keys (payroll.audit_keys below).
-- Nobody reads payroll.employee_private directly.
SELECT core.tenant_table(t, ARRAY[]::text[], false)
FROM unnest(ARRAY['payroll.settings', 'payroll.agency_accounts', 'payroll.employees',
		  'payroll.employee_private', 'payroll.pay_history', 'payroll.assignments',
		  'payroll.components', 'payroll.inputs', 'payroll.runs', 'payroll.payslips',
		  'payroll.payslip_lines', 'payroll.reveals']::regclass[]) t;
GRANT SELECT ON payroll.settings, payroll.agency_accounts, payroll.employees,
	payroll.pay_history, payroll.assignments, payroll.components, payroll.inputs,
	payroll.runs, payroll.payslips, payroll.payslip_lines, payroll.reveals TO bd_payroll;

-- Keys-only audit: the trigger function must exist when the triggers are
-- made, and repeatable files run after numbered migrations, so this one is
-- defined here once (its current text is sql/functions/payroll/
-- payroll.audit_keys.sql, which migrate re-applies).
CREATE FUNCTION payroll.audit_keys()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, core, pg_temp
AS $$
BEGIN
	RETURN NULL;
END
$$;
ALTER FUNCTION payroll.audit_keys() OWNER TO bd_owner;

DO $audit$
DECLARE
	t text;
	keys text;
BEGIN
	FOREACH t IN ARRAY ARRAY['settings', 'agency_accounts', 'employees', 'employee_private',
				 'pay_history', 'assignments', 'components', 'inputs', 'runs',
				 'reveals'] LOOP
		SELECT string_agg(quote_literal(a.attname), ', ' ORDER BY k.ord) INTO keys
		FROM pg_index i
		CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
		WHERE i.indrelid = ('payroll.' || t)::regclass AND i.indisprimary;
		EXECUTE format('CREATE TRIGGER audit_keys AFTER INSERT OR UPDATE OR DELETE ON payroll.%I '
			       'FOR EACH ROW EXECUTE FUNCTION payroll.audit_keys(%s)', t, keys);
		EXECUTE format('CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON payroll.%I '
			       'FOR EACH STATEMENT EXECUTE FUNCTION core.audit_refuse()', t);
	END LOOP;
	FOREACH t IN ARRAY ARRAY['payslips', 'payslip_lines'] LOOP
		EXECUTE format('CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON payroll.%I '
			       'FOR EACH STATEMENT EXECUTE FUNCTION core.audit_refuse()', t);
	END LOOP;
END
$audit$;

-- The version a checker approves (core.bump_version, as ledger.entries).
CREATE TRIGGER runs_version BEFORE UPDATE ON payroll.runs
	FOR EACH ROW WHEN (OLD.status <> 'final') EXECUTE FUNCTION core.bump_version();

-- Guards (functions in repeatable files, bodies replaced there): a final
-- run and its payslips never change.
CREATE FUNCTION payroll.runs_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION payroll.payslips_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
ALTER FUNCTION payroll.runs_guard() OWNER TO bd_owner;
ALTER FUNCTION payroll.payslips_guard() OWNER TO bd_owner;
CREATE TRIGGER runs_guard BEFORE UPDATE OR DELETE ON payroll.runs
	FOR EACH ROW EXECUTE FUNCTION payroll.runs_guard();
CREATE TRIGGER payslips_guard_ins AFTER INSERT ON payroll.payslips
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION payroll.payslips_guard();
CREATE TRIGGER payslips_guard_upd AFTER UPDATE ON payroll.payslips
	REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION payroll.payslips_guard();
CREATE TRIGGER payslips_guard_del AFTER DELETE ON payroll.payslips
	REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION payroll.payslips_guard();
CREATE TRIGGER lines_guard_ins AFTER INSERT ON payroll.payslip_lines
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION payroll.payslips_guard();
CREATE TRIGGER lines_guard_upd AFTER UPDATE ON payroll.payslip_lines
	REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION payroll.payslips_guard();
CREATE TRIGGER lines_guard_del AFTER DELETE ON payroll.payslip_lines
	REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION payroll.payslips_guard();

-- The approvals registry: pay runs wait for a second payroll person.
INSERT INTO approvals.kinds (kind, label, list_fn, approve_fn, reject_fn)
VALUES ('payroll.run', 'Pay run', 'payroll.approval_items', 'payroll.run_approve',
	'payroll.run_reject');
