-- payroll.pack_load: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Loads one version of a statutory pack from a CSV file's records (`backdesk
-- payroll pack load FILE`), all or nothing: the first refused record raises
-- BD001 "FILE:LINE: reason". Column record says what a record is:
--   pack       code (the pack), version, country, name, effective_from: first
--   component  the component columns (040_payroll.sql)
--   row        a table row: table_name, pay_group, variant, lo, fixed, rate,
--              credit, ee, er
--   value      a figure in force from a date (079): code (its name),
--              effective_from, amount; e.g. an exempt ceiling
--   field      a tax field the pack's employees have (079): code, name,
--              kind flag|amount; e.g. a W-4 step
--   #          a comment (sources of the figures): ignored
-- A version once loaded never changes (runs were computed with it): new
-- figures are a new version with its effective date. Payroll operators and
-- admins load packs. Returns the number of components and rows loaded.

CREATE OR REPLACE FUNCTION payroll.pack_load(p_source text, p_rows jsonb)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	extra constant text[] := ARRAY['record', 'version', 'country', 'effective_from', 'pay_group',
				       'variant', 'lo', 'fixed', 'credit', 'ee', 'er', 'kind'];
	rec jsonb;
	v jsonb;
	pk payroll.packs;
	c payroll.pack_components;
	t payroll.pack_tables;
	n integer := 0;
	v_state text;
	v_msg text;
	v_con text;
	v_col text;
BEGIN
	-- Packs are the firm's: every client's runs compute with them, so an
	-- admin loads them, not a payroll operator serving some clients (078).
	PERFORM core.require_role('admin');
	IF jsonb_typeof(p_rows) IS DISTINCT FROM 'array' THEN
		RAISE EXCEPTION 'Nothing to load' USING ERRCODE = 'BD001';
	END IF;
	FOR rec IN SELECT x FROM jsonb_array_elements(p_rows) x LOOP
		BEGIN
			CONTINUE WHEN btrim(rec ->> 'record') = '#';
			v := payroll.component_clean(rec, extra);
			IF v ->> 'record' = 'pack' THEN
				IF pk.pack IS NOT NULL THEN
					RAISE EXCEPTION 'a file holds one pack version' USING ERRCODE = 'BD001';
				END IF;
				pk := jsonb_populate_record(NULL::payroll.packs,
					    jsonb_build_object('pack', v ->> 'code', 'version', v -> 'version',
							       'country', v -> 'country', 'name', v -> 'name',
							       'effective_from', v -> 'effective_from'));
				IF pk.pack IS NULL OR pk.version IS NULL OR pk.country IS NULL
				   OR pk.effective_from IS NULL OR pk.name IS NULL THEN
					RAISE EXCEPTION 'the pack record has a code, version, country, name and effective_from'
						USING ERRCODE = 'BD001';
				END IF;
				IF EXISTS (SELECT 1 FROM payroll.packs WHERE pack = pk.pack AND version = pk.version) THEN
					RAISE EXCEPTION 'pack % version % is loaded already: new figures are a new version',
						pk.pack, pk.version USING ERRCODE = 'BD003';
				END IF;
				INSERT INTO payroll.packs (pack, version, country, name, effective_from)
				VALUES (pk.pack, pk.version, pk.country, pk.name, pk.effective_from);
			ELSIF pk.pack IS NULL THEN
				RAISE EXCEPTION 'the first record is the pack record' USING ERRCODE = 'BD001';
			ELSIF v ->> 'record' = 'component' THEN
				c := jsonb_populate_record(NULL::payroll.pack_components,
					   (v - '{record,version,country,effective_from,pay_group,variant,lo,fixed,credit,ee,er,kind}'::text[])
					   || jsonb_build_object('pack', pk.pack, 'version', pk.version));
				INSERT INTO payroll.pack_components SELECT c.*;
				n := n + 1;
			ELSIF v ->> 'record' = 'row' THEN
				t := jsonb_populate_record(NULL::payroll.pack_tables,
					   '{"pay_group": "*", "variant": "*", "fixed": 0, "rate": 0, "ee": 0, "er": 0}'::jsonb
					   || jsonb_build_object('table_name', v -> 'table_name',
								 'pay_group', v -> 'pay_group',
								 'variant', v -> 'variant', 'lo', v -> 'lo',
								 'fixed', v -> 'fixed', 'rate', v -> 'rate',
								 'credit', v -> 'credit', 'ee', v -> 'ee',
								 'er', v -> 'er')
					   || jsonb_build_object('pack', pk.pack, 'version', pk.version));
				-- absent cells came as JSON null: keep the defaults
				t.pay_group := coalesce(t.pay_group, '*');
				t.variant := coalesce(t.variant, '*');
				t.fixed := coalesce(t.fixed, 0);
				t.rate := coalesce(t.rate, 0);
				t.ee := coalesce(t.ee, 0);
				t.er := coalesce(t.er, 0);
				INSERT INTO payroll.pack_tables SELECT t.*;
				n := n + 1;
			ELSIF v ->> 'record' = 'value' THEN
				-- 079: a figure in force from its date (code, effective_from,
				-- amount), e.g. an exempt ceiling
				IF v ->> 'code' IS NULL OR v ->> 'effective_from' IS NULL
				   OR v ->> 'amount' IS NULL THEN
					RAISE EXCEPTION 'a value record has a code, an effective_from and an amount'
						USING ERRCODE = 'BD001';
				END IF;
				INSERT INTO payroll.pack_values (pack, version, name, effective_from, value)
				VALUES (pk.pack, pk.version, v ->> 'code', (v ->> 'effective_from')::date,
					(v ->> 'amount')::numeric);
				n := n + 1;
			ELSIF v ->> 'record' = 'field' THEN
				-- 079: a tax field the pack's employees have (code, name,
				-- kind flag|amount), e.g. the W-4's steps
				INSERT INTO payroll.pack_fields (pack, version, field, name, kind)
				VALUES (pk.pack, pk.version, v ->> 'code', v ->> 'name', v ->> 'kind');
				n := n + 1;
			ELSE
				RAISE EXCEPTION 'a record is pack, component, row, value, field or #'
					USING ERRCODE = 'BD001';
			END IF;
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT,
						v_con = CONSTRAINT_NAME, v_col = COLUMN_NAME;
			RAISE EXCEPTION '%:%: %', p_source, coalesce(rec ->> '_line', '?'),
				payroll.import_reason(v_state, v_msg, v_con, v_col) USING ERRCODE = 'BD001';
		END;
	END LOOP;
	IF pk.pack IS NULL THEN
		RAISE EXCEPTION '%: no pack record', p_source USING ERRCODE = 'BD001';
	END IF;
	-- every table a component looks up has rows
	SELECT c2.code INTO v_msg FROM payroll.pack_components c2
	WHERE c2.pack = pk.pack AND c2.version = pk.version AND c2.table_name IS NOT NULL
	  AND NOT EXISTS (SELECT 1 FROM payroll.pack_tables t2
			  WHERE t2.pack = pk.pack AND t2.version = pk.version
			    AND t2.table_name = c2.table_name)
	LIMIT 1;
	IF v_msg IS NOT NULL THEN
		RAISE EXCEPTION '%: component % looks up a table that has no rows', p_source, v_msg
			USING ERRCODE = 'BD001';
	END IF;
	-- 079: every field a component reads is one of the pack's (a flag for
	-- a variant), and every exempt pool a value of it
	SELECT c2.code INTO v_msg FROM payroll.pack_components c2
	WHERE c2.pack = pk.pack AND c2.version = pk.version
	  AND (EXISTS (SELECT 1 FROM unnest(c2.base_fields || c2.credit_field || c2.extra_field) f
		       WHERE f IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payroll.pack_fields d
					 WHERE d.pack = pk.pack AND d.version = pk.version
					   AND d.field = ltrim(f, '-')))
	       OR (c2.variant_field IS NOT NULL
		   AND NOT EXISTS (SELECT 1 FROM payroll.pack_fields d
				   WHERE d.pack = pk.pack AND d.version = pk.version
				     AND d.field = c2.variant_field AND d.kind = 'flag'))
	       OR (c2.exempt_value IS NOT NULL
		   AND NOT EXISTS (SELECT 1 FROM payroll.pack_values d
				   WHERE d.pack = pk.pack AND d.version = pk.version
				     AND d.name = c2.exempt_value)))
	LIMIT 1;
	IF v_msg IS NOT NULL THEN
		RAISE EXCEPTION '%: component % reads a field or value the pack does not declare',
			p_source, v_msg USING ERRCODE = 'BD001';
	END IF;
	RETURN n;
END
$function$;
ALTER FUNCTION payroll.pack_load(text,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.pack_load(text,jsonb) FROM PUBLIC;
-- (granted to payroll operators before 078: packs are the firm's)
REVOKE ALL ON FUNCTION payroll.pack_load(text,jsonb) FROM bd_payroll;
GRANT EXECUTE ON FUNCTION payroll.pack_load(text,jsonb) TO bd_admin;
