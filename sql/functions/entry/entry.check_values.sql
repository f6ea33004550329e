-- entry.check_values: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.check_values(v entry.doctype_versions, p_values jsonb, p_what text, p_rules boolean)
 RETURNS boolean
 LANGUAGE plpgsql
 STABLE
AS $function$
DECLARE
	c entry.field_check;
	r jsonb;
	v_value text;
	v_msg text;
	v_unknown text[];
	v_total numeric;
	v_sum numeric;
	v_term numeric;
	v_problem text[];
	v_unknown_codes text[];
BEGIN
	IF p_values IS NULL OR jsonb_typeof(p_values) <> 'object' THEN
		RAISE EXCEPTION 'The % values must be a JSON object of field names and text', p_what
			USING ERRCODE = 'BD001';
	END IF;
	IF p_values - v.field_names <> '{}' THEN
		RAISE EXCEPTION 'Unknown field in the % values: %', p_what,
			(SELECT string_agg(k, ', ' ORDER BY k)
			 FROM jsonb_object_keys(p_values - v.field_names) k)
			USING ERRCODE = 'BD001';
	END IF;
	IF NOT p_rules THEN
		-- Pre-filled values (batch_import): text, not their rules.
		SELECT string_agg(e.key, ', ' ORDER BY e.key) INTO v_msg
		FROM jsonb_each(p_values) e
		WHERE jsonb_typeof(e.value) NOT IN ('string', 'null')
		   OR length(e.value #>> '{}') > 10000 OR (e.value #>> '{}') ~ '[[:cntrl:]]';
		IF v_msg IS NOT NULL THEN
			RAISE EXCEPTION 'Bad % value of %: text of at most 10000 characters', p_what, v_msg
				USING ERRCODE = 'BD001';
		END IF;
		RETURN true;
	END IF;
	IF v.checks IS NULL THEN
		RAISE EXCEPTION 'The document has no document type version to check it against'
			USING ERRCODE = 'BD001';
	END IF;
	IF p_values @? '$.* ? (@.type() != "string" && @.type() != "null")' THEN
		SELECT min(e.key) INTO v_msg FROM jsonb_each(p_values) e
		WHERE jsonb_typeof(e.value) NOT IN ('string', 'null');
		RAISE EXCEPTION 'Bad % value of %: text expected', p_what, v_msg
			USING ERRCODE = 'BD001', COLUMN = v_msg;
	END IF;
	FOREACH c IN ARRAY v.checks LOOP
		-- The lookup fields' codes, all in one query, at the first one.
		IF c.lookup IS NOT NULL AND v_unknown IS NULL THEN
			SELECT coalesce(array_agg(k.name), '{}') INTO v_unknown
			FROM unnest(v.checks) k
			WHERE k.lookup IS NOT NULL AND coalesce(p_values ->> k.name, '') <> ''
			  AND NOT EXISTS (SELECT 1 FROM entry.lookups l
					  WHERE l.client_id = v.client_id AND l.lookup = k.lookup
					    AND l.code = upper(p_values ->> k.name) AND l.active);
		END IF;
		-- The code tables' codes (070: entry.codes, in effect today), all at once.
		IF c.codes IS NOT NULL AND v_unknown_codes IS NULL THEN
			SELECT coalesce(array_agg(k.name), '{}') INTO v_unknown_codes
			FROM unnest(v.checks) k
			WHERE k.codes IS NOT NULL AND coalesce(p_values ->> k.name, '') <> ''
			  AND NOT EXISTS (SELECT 1 FROM entry.codes e
					  WHERE e.client_id = v.client_id AND e.code_table = k.codes
					    AND e.code = p_values ->> k.name
					    AND coalesce(e.valid_from <= current_date, true)
					    AND coalesce(e.valid_to >= current_date, true));
		END IF;
		v_value := p_values ->> c.name;	-- once: the check reads it many times
		v_msg := entry.field_problem(c, v_value,
					     c.lookup IS NULL OR NOT c.name = ANY (v_unknown));
		IF v_msg IS NULL AND c.codes IS NOT NULL AND c.name = ANY (v_unknown_codes) THEN
			v_msg := c.title || ' ' || v_value || ' is not a code of ' || c.codes
				|| ' in effect today';
		END IF;
		IF v_msg IS NOT NULL THEN
			RAISE EXCEPTION '%', v_msg USING ERRCODE = 'BD001', COLUMN = c.name;
		END IF;
	END LOOP;
	-- The sum rules ([{target, terms}]), over numbers the loop has checked.
	-- The rules across fields (rules.h: {kind, target, terms, ...}) are
	-- entry.rule_problem's; the others are sums.
	FOR i IN 0 .. jsonb_array_length(v.rules) - 1 LOOP
		r := v.rules -> i;
		IF r ? 'kind' THEN
			v_problem := entry.rule_problem(v.checks, r, p_values);
			IF v_problem IS NOT NULL THEN
				RAISE EXCEPTION '%', v_problem[2] USING ERRCODE = 'BD001', COLUMN = v_problem[1];
			END IF;
			CONTINUE;
		END IF;
		v_total := entry.saved_num(p_values ->> (r ->> 'target'));
		v_sum := 0;
		FOR j IN 0 .. jsonb_array_length(r -> 'terms') - 1 LOOP
			v_term := entry.saved_num(p_values ->> (r -> 'terms' ->> j));
			v_sum := v_sum + v_term;
		END LOOP;
		IF v_total IS NULL OR v_sum IS NULL THEN
			RAISE EXCEPTION '% is not a number',
				(SELECT k.title FROM unnest(v.checks) k WHERE k.name = r ->> 'target')
				USING ERRCODE = 'BD001', COLUMN = r ->> 'target';
		END IF;
		IF v_total <> v_sum THEN
			RAISE EXCEPTION '% is %, but the amounts add up to %',
				(SELECT k.title FROM unnest(v.checks) k WHERE k.name = r ->> 'target'),
				v_total, v_sum USING ERRCODE = 'BD001', COLUMN = r ->> 'target';
		END IF;
	END LOOP;
	RETURN true;
END
$function$;
ALTER FUNCTION entry.check_values(entry.doctype_versions,jsonb,text,boolean) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.check_values(entry.doctype_versions,jsonb,text,boolean) FROM PUBLIC;
