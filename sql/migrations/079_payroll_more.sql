-- 079_payroll_more: what issue 17 left open (see the close note of
-- 2026-12-07): the 13th month's taxable excess withheld on with the pay of
-- its period, and the US Form W-4 (2020 or later) steps 2 to 4.
--
-- * Pack values (payroll.pack_values: pack, version, name, effective_from
--   PK, value): figures of a pack that are not a table, each in force from
--   its date (the value of a run is the latest effective_from on or before
--   its pay date, in the pack in force). A pack file's 'value' record.
--   The PH pack's BENEFITS_EXEMPT: 13th-month pay and other benefits are
--   exempt up to 90,000 a year (RR 11-2018 sec. 2.78.1(B)(7)(e); TRAIN,
--   RA 10963 sec. 32(B)(7)(e)).
-- * components.exempt_value (and pack_components'): the pack value that is
--   the year's exempt ceiling this earning shares with every other earning
--   naming it (a pool: 13th month, bonuses, other benefits). The part of
--   the line that takes the pool's year (final runs of the year, then the
--   earlier steps of this run) over the ceiling is taxable, so it joins
--   '@taxable' of the run that pays it. Two earnings of one pool are in
--   different steps (run_compute refuses otherwise: their order decides
--   which one takes the rest of the exemption).
-- * basis 'paid_period': the component's base counts the same base of the
--   pay period's final runs (runs of the pay group whose period overlaps
--   this run's), and its amount is the table's on that sum less what those
--   runs deducted: a 13th-month or off-cycle run withholds at the rate of
--   the period's whole pay, not as if its pay were all the period paid.
--   For a regular run alone in its period it is 'period'.
-- * Pack fields (payroll.pack_fields: pack, version, field PK, name, kind
--   flag|amount): the tax fields an employee of the pack's country has (the
--   US W-4: W4_STEP2 the step 2 box, W4_STEP3 the credits, W4_4A other
--   income, W4_4B deductions, W4_4C extra withholding a period). A pack
--   file's 'field' record. payroll.employee_fields (client_id, employee_id,
--   field PK, value) holds an employee's, set by payroll.employee_field_set.
--   Component columns that read them:
--     base_fields   fields added to the base on the component's basis ('-'
--                   before a field subtracts it): W-4 4(a) and 4(b), annual
--     credit_field  taken off the amount on the component's basis, not
--                   below zero: W-4 step 3, annual credits
--     extra_field   added to the period's amount: W-4 4(c)
--     variant_field a flag: when the employee's is set, the table variant
--                   looked up is the filing status + '+' + the field
--                   ('single+W4_STEP2': Pub. 15-T's Step 2 Checkbox table)
--   They apply to an employee with pay (a base other than zero).

ALTER TABLE payroll.components
	ADD COLUMN exempt_value text CHECK (exempt_value ~ '^[A-Z][A-Z0-9_]{0,23}$'),
	ADD COLUMN base_fields text[] CHECK (array_to_string(base_fields, ',')
					     ~ '^-?[A-Z][A-Z0-9_]{0,23}(,-?[A-Z][A-Z0-9_]{0,23})*$'),
	ADD COLUMN credit_field text CHECK (credit_field ~ '^[A-Z][A-Z0-9_]{0,23}$'),
	ADD COLUMN extra_field text CHECK (extra_field ~ '^[A-Z][A-Z0-9_]{0,23}$'),
	ADD COLUMN variant_field text CHECK (variant_field ~ '^[A-Z][A-Z0-9_]{0,23}$'),
	ADD CHECK (exempt_value IS NULL OR exempt_ytd IS NULL);
ALTER TABLE payroll.pack_components
	ADD COLUMN exempt_value text CHECK (exempt_value ~ '^[A-Z][A-Z0-9_]{0,23}$'),
	ADD COLUMN base_fields text[] CHECK (array_to_string(base_fields, ',')
					     ~ '^-?[A-Z][A-Z0-9_]{0,23}(,-?[A-Z][A-Z0-9_]{0,23})*$'),
	ADD COLUMN credit_field text CHECK (credit_field ~ '^[A-Z][A-Z0-9_]{0,23}$'),
	ADD COLUMN extra_field text CHECK (extra_field ~ '^[A-Z][A-Z0-9_]{0,23}$'),
	ADD COLUMN variant_field text CHECK (variant_field ~ '^[A-Z][A-Z0-9_]{0,23}$'),
	ADD CHECK (exempt_value IS NULL OR exempt_ytd IS NULL);

-- basis: one more value; variant: a filing status with a flag field
DO $checks$
DECLARE
	r record;
BEGIN
	FOR r IN SELECT c.conrelid::regclass AS t, c.conname
		 FROM pg_constraint c
		 WHERE c.conrelid IN ('payroll.components'::regclass,
				      'payroll.pack_components'::regclass,
				      'payroll.pack_tables'::regclass)
		   AND c.contype = 'c'
		   AND (pg_get_constraintdef(c.oid) LIKE '%basis%period%'
			OR pg_get_constraintdef(c.oid) LIKE '%variant%single%') LOOP
		EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.t, r.conname);
	END LOOP;
END
$checks$;
ALTER TABLE payroll.components ADD CONSTRAINT components_basis_check
	CHECK (basis IN ('period', 'monthly', 'annual', 'ytd', 'paid_period'));
ALTER TABLE payroll.pack_components ADD CONSTRAINT pack_components_basis_check
	CHECK (basis IN ('period', 'monthly', 'annual', 'ytd', 'paid_period'));
ALTER TABLE payroll.pack_tables ADD CONSTRAINT pack_tables_variant_check
	CHECK (variant ~ '^(\*|single|married|head)(\+[A-Z][A-Z0-9_]{0,23})?$');

SET ROLE bd_owner;

CREATE TABLE payroll.pack_values (
	pack           text NOT NULL,
	version        integer NOT NULL,
	name           text NOT NULL CHECK (name ~ '^[A-Z][A-Z0-9_]{0,23}$'),
	effective_from date NOT NULL CHECK (effective_from > '1900-01-01'
					    AND effective_from < '2200-01-01'),
	value          numeric(14,2) NOT NULL,
	PRIMARY KEY (pack, version, name, effective_from),
	FOREIGN KEY (pack, version) REFERENCES payroll.packs (pack, version)
);

CREATE TABLE payroll.pack_fields (
	pack    text NOT NULL,
	version integer NOT NULL,
	field   text NOT NULL CHECK (field ~ '^[A-Z][A-Z0-9_]{0,23}$'),
	name    text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 60
				     AND name !~ '[[:cntrl:]]'),
	kind    text NOT NULL CHECK (kind IN ('flag', 'amount')),
	PRIMARY KEY (pack, version, field),
	FOREIGN KEY (pack, version) REFERENCES payroll.packs (pack, version)
);

CREATE TABLE payroll.employee_fields (
	client_id   integer NOT NULL,
	employee_id bigint NOT NULL,
	field       text NOT NULL CHECK (field ~ '^[A-Z][A-Z0-9_]{0,23}$'),
	value       numeric(14,2) NOT NULL CHECK (value >= 0 AND value < 1e11),
	PRIMARY KEY (client_id, employee_id, field),
	FOREIGN KEY (client_id, employee_id) REFERENCES payroll.employees (client_id, employee_id)
		ON DELETE CASCADE
);

RESET ROLE;

ALTER TABLE payroll.pack_values OWNER TO bd_owner;
ALTER TABLE payroll.pack_fields OWNER TO bd_owner;
REVOKE ALL ON payroll.pack_values, payroll.pack_fields FROM PUBLIC;
GRANT SELECT ON payroll.pack_values, payroll.pack_fields TO bd_payroll;

SELECT core.tenant_table('payroll.employee_fields', ARRAY[]::text[], false);
GRANT SELECT ON payroll.employee_fields TO bd_payroll;
CREATE TRIGGER audit_keys AFTER INSERT OR UPDATE OR DELETE ON payroll.employee_fields
	FOR EACH ROW EXECUTE FUNCTION payroll.audit_keys('client_id', 'employee_id', 'field');
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON payroll.employee_fields
	FOR EACH STATEMENT EXECUTE FUNCTION core.audit_refuse();

-- Their return types change (the new columns): the repeatable files make
-- them again.
DROP FUNCTION IF EXISTS payroll.run_components(integer, date, text);
DROP FUNCTION IF EXISTS payroll.run_employees(integer, payroll.runs);
