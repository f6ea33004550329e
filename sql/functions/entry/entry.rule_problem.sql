-- entry.rule_problem: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- A rule across fields (include/backdesk/rules.h; the JSON bd_rules_json
-- writes: {kind, target, terms, op, cmp, value}) on saved values whose fields
-- entry.check_values has checked: NULL when it holds, else {field, message}
-- naming the field to put the cursor on. The form engine's bd_rules_check
-- gives the same verdict and blames the same field
-- (tests/fixtures/field_rules/corpus.txt).

CREATE OR REPLACE FUNCTION entry.rule_problem(p_checks entry.field_check[], r jsonb, p_values jsonb)
 RETURNS text[]
 LANGUAGE plpgsql
 STABLE
AS $function$
DECLARE
	v_target text := r ->> 'target';
	v_terms text[] := ARRAY(SELECT jsonb_array_elements_text(r -> 'terms'));
	a text := p_values ->> v_target;
	b text;
	v_ok boolean;
	v_cmp integer;
	v_some text;
	v_none text;
	v_name text;
	v_letter text;
	v_k integer;
BEGIN
	CASE r ->> 'kind'
	WHEN 'compare' THEN
		b := CASE WHEN cardinality(v_terms) = 0 THEN to_char(current_date, 'YYYY-MM-DD')
			  ELSE p_values ->> v_terms[1] END;
		IF coalesce(a, '') = '' OR coalesce(b, '') = '' THEN
			RETURN NULL;
		END IF;
		v_cmp := CASE WHEN r ->> 'cmp' = 'num'
			      THEN sign(a::numeric - b::numeric)::integer
			      WHEN a COLLATE "C" < b COLLATE "C" THEN -1
			      WHEN a = b THEN 0 ELSE 1 END;
		v_ok := CASE r ->> 'op' WHEN '=' THEN v_cmp = 0 WHEN '!=' THEN v_cmp <> 0
				      WHEN '<' THEN v_cmp < 0 WHEN '<=' THEN v_cmp <= 0
				      WHEN '>' THEN v_cmp > 0 ELSE v_cmp >= 0 END;
		IF v_ok THEN
			RETURN NULL;
		END IF;
		RETURN ARRAY[v_target, entry.rule_title(p_checks, v_target) || ' must be '
			|| CASE WHEN r ->> 'cmp' = 'date'
				THEN CASE r ->> 'op' WHEN '=' THEN 'the same as' WHEN '!=' THEN 'different from'
					WHEN '<' THEN 'before' WHEN '<=' THEN 'on or before' WHEN '>' THEN 'after'
					ELSE 'on or after' END
				ELSE CASE r ->> 'op' WHEN '=' THEN 'equal to' WHEN '!=' THEN 'different from'
					WHEN '<' THEN 'less than' WHEN '<=' THEN 'at most' WHEN '>' THEN 'more than'
					ELSE 'at least' END END
			|| ' ' || CASE WHEN cardinality(v_terms) = 0 THEN 'today'
				       ELSE entry.rule_title(p_checks, v_terms[1]) END];
	WHEN 'required_if', 'line_required' THEN
		IF coalesce(a, '') <> '' THEN
			RETURN NULL;
		END IF;
		SELECT t INTO v_some FROM unnest(v_terms) WITH ORDINALITY x(t, o)
		WHERE coalesce(p_values ->> t, '') <> '' ORDER BY o LIMIT 1;
		IF v_some IS NULL THEN
			RETURN NULL;
		END IF;
		IF r ->> 'kind' = 'line_required' THEN
			RETURN ARRAY[v_target, entry.rule_title(p_checks, v_target) || ' is required'];
		END IF;
		IF r ? 'value' THEN
			IF p_values ->> v_some IS DISTINCT FROM r ->> 'value' THEN
				RETURN NULL;
			END IF;
			RETURN ARRAY[v_target, entry.rule_title(p_checks, v_target) || ' is required when '
				|| entry.rule_title(p_checks, v_some) || ' is ' || (r ->> 'value')];
		END IF;
		RETURN ARRAY[v_target, entry.rule_title(p_checks, v_target) || ' is required when '
			|| entry.rule_title(p_checks, v_some) || ' is filled in'];
	WHEN 'all_or_none' THEN
		FOREACH v_name IN ARRAY v_target || v_terms LOOP
			IF coalesce(p_values ->> v_name, '') <> '' THEN
				v_some := coalesce(v_some, v_name);
			ELSE
				v_none := coalesce(v_none, v_name);
			END IF;
		END LOOP;
		IF v_some IS NULL OR v_none IS NULL THEN
			RETURN NULL;
		END IF;
		RETURN ARRAY[v_none, entry.rule_title(p_checks, v_none) || ' is required when '
			|| entry.rule_title(p_checks, v_some) || ' is filled in'];
	WHEN 'pointer' THEN
		IF coalesce(a, '') = '' THEN
			RETURN NULL;
		END IF;
		FOREACH v_letter IN ARRAY regexp_split_to_array(a, '') LOOP
			v_k := ascii(v_letter) - 64;
			IF v_letter !~ '^[A-Z]$' OR v_k > cardinality(v_terms) THEN
				RETURN ARRAY[v_target, entry.rule_title(p_checks, v_target)
					|| ' must be letters A to ' || chr(64 + cardinality(v_terms))];
			END IF;
			IF coalesce(p_values ->> v_terms[v_k], '') = '' THEN
				RETURN ARRAY[v_target, entry.rule_title(p_checks, v_target) || ': '
					|| v_letter || ' points at ' || entry.rule_title(p_checks, v_terms[v_k])
					|| ', which is empty'];
			END IF;
		END LOOP;
		RETURN NULL;
	ELSE
		RAISE EXCEPTION 'Unknown kind of rule %', r ->> 'kind' USING ERRCODE = 'BD001';
	END CASE;
END
$function$;
ALTER FUNCTION entry.rule_problem(entry.field_check[],jsonb,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.rule_problem(entry.field_check[],jsonb,jsonb) FROM PUBLIC;
