-- payroll.employee_field_set: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Sets (or, with a NULL value, clears) one tax field of an employee
-- (payroll.employee_fields, 079): a field the latest pack of the
-- employee's country declares (payroll.pack_fields), e.g. the US W-4's
-- W4_STEP2 (flag: 1 checked, 0 not), W4_STEP3 (credits a year), W4_4A
-- (other income a year), W4_4B (deductions a year), W4_4C (extra
-- withholding a pay period). Runs computed after it read it.

CREATE OR REPLACE FUNCTION payroll.employee_field_set(p_client text, p_number text, p_field text, p_value numeric)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
	e payroll.employees;
	f payroll.pack_fields;
BEGIN
	SELECT * INTO e FROM payroll.employees WHERE client_id = cid AND number = p_number;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No employee %', coalesce(p_number, '(none)') USING ERRCODE = 'BD004',
			COLUMN = 'number';
	END IF;
	SELECT d.* INTO f
	FROM payroll.pack_fields d
	JOIN payroll.packs p ON p.pack = d.pack AND p.version = d.version
	WHERE p.country = e.country AND d.field = upper(btrim(p_field))
	ORDER BY p.effective_from DESC, p.version DESC, p.loaded_at DESC
	LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Employees of % have no tax field % (see the pack''s field records)',
			e.country, coalesce(p_field, '(none)') USING ERRCODE = 'BD001', COLUMN = 'field';
	END IF;
	IF p_value IS NULL THEN
		DELETE FROM payroll.employee_fields
		WHERE client_id = cid AND employee_id = e.employee_id AND field = f.field;
		RETURN;
	END IF;
	IF f.kind = 'flag' AND p_value NOT IN (0, 1) THEN
		RAISE EXCEPTION '% is 1 (checked) or 0', f.field USING ERRCODE = 'BD001', COLUMN = 'value';
	END IF;
	IF p_value < 0 OR p_value >= 1e11 THEN
		RAISE EXCEPTION '% is an amount of 0 or more', f.field USING ERRCODE = 'BD001',
			COLUMN = 'value';
	END IF;
	INSERT INTO payroll.employee_fields (client_id, employee_id, field, value)
	VALUES (cid, e.employee_id, f.field, p_value)
	ON CONFLICT (client_id, employee_id, field) DO UPDATE SET value = EXCLUDED.value;
END
$function$;
ALTER FUNCTION payroll.employee_field_set(text,text,text,numeric) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.employee_field_set(text,text,text,numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.employee_field_set(text,text,text,numeric) TO bd_payroll;
