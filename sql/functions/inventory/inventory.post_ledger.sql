-- inventory.post_ledger: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The move's entry through the ledger posting interface (journal IJ, per
-- the client's account mapping), or, for a move without value, the open
-- period check alone. p_maker: the entry's maker (see 050_inventory.sql).
-- p_entry_id: the id to give the entry (taken from its sequence by a
-- caller that records it first and posts last, 086), or NULL. The entry is
-- written in three statements by ledger.post_source_lines; through
-- ledger.post_from_source only when that refuses (its message says why).
CREATE OR REPLACE FUNCTION inventory.post_ledger(p_client_id integer, p_move_id bigint, p_kind text, p_date date, p_reference text, p_value numeric, p_maker text, p_entry_id bigint DEFAULT NULL)
 RETURNS bigint
 LANGUAGE plpgsql
AS $function$
DECLARE
	s inventory.settings;
	v_other text;
	v_lines jsonb;
	v_code text;
	v_entry bigint;
BEGIN
	s := inventory.settings_of(p_client_id);
	IF p_value = 0 OR p_kind = 'transfer' THEN
		PERFORM ledger.open_period(p_client_id, p_date, true);
		RETURN NULL;
	END IF;
	v_other := CASE p_kind WHEN 'receipt' THEN s.clearing_account
			       WHEN 'adjustment' THEN s.adjust_account
			       WHEN 'count' THEN s.adjust_account
			       ELSE s.cogs_account END;
	IF p_value > 0 THEN
		v_lines := jsonb_build_array(
			jsonb_build_object('account', s.inventory_account, 'debit', p_value::text),
			jsonb_build_object('account', v_other, 'credit', p_value::text));
	ELSE
		v_lines := jsonb_build_array(
			jsonb_build_object('account', v_other, 'debit', (-p_value)::text),
			jsonb_build_object('account', s.inventory_account, 'credit', (-p_value)::text));
	END IF;
	v_entry := ledger.post_source_lines(p_client_id, p_entry_id, 'inventory.move', p_move_id::text,
		p_date,
		initcap(p_kind) || ' ' || p_move_id || coalesce(' ' || nullif(p_reference, ''), ''),
		p_maker, 'IJ',
		CASE WHEN p_value > 0 THEN ARRAY[s.inventory_account, v_other]
		     ELSE ARRAY[v_other, s.inventory_account] END,
		ARRAY[abs(p_value), 0], ARRAY[0, abs(p_value)]);
	IF v_entry IS NOT NULL THEN
		RETURN v_entry;
	END IF;
	SELECT code INTO STRICT v_code FROM core.clients WHERE client_id = p_client_id;
	v_entry := ledger.post_from_source(v_code, 'inventory.move', p_move_id::text, p_date,
		initcap(p_kind) || ' ' || p_move_id || coalesce(' ' || nullif(p_reference, ''), ''),
		v_lines, p_maker, 'IJ');
	IF p_entry_id IS NOT NULL AND v_entry <> p_entry_id THEN
		RAISE EXCEPTION 'Move % was posted as entry %, not the % it recorded', p_move_id, v_entry,
			p_entry_id USING ERRCODE = 'BD003';
	END IF;
	RETURN v_entry;
END
$function$;
ALTER FUNCTION inventory.post_ledger(integer,bigint,text,date,text,numeric,text,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.post_ledger(integer,bigint,text,date,text,numeric,text,bigint) FROM PUBLIC;

