-- inventory.settings_set: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The client's valuation method, approval limit (NULL: no approval) and
-- account mapping. Accountants and supervisors. Valuation 'average'
-- (moving average): every move is costed from the item's average as it
-- stands when it is posted, a backdated one too, and posted moves keep
-- their cost (SAP's moving average price, Odoo's AVCO; see
-- 081_inventory_bounded.sql): a receipt keyed late does not cost again the
-- issues dated after it. 'fifo': a backdated move rebuilds the layers on
-- hand and posts the difference as one revaluation move.
CREATE OR REPLACE FUNCTION inventory.settings_set(p_client text, p_valuation text, p_approval_above numeric, p_inventory text, p_clearing text, p_cogs text, p_adjust text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	IF coalesce(p_valuation, '') NOT IN ('average', 'fifo') THEN
		RAISE EXCEPTION 'The valuation method is average or fifo' USING ERRCODE = 'BD001';
	END IF;
	BEGIN
		INSERT INTO inventory.settings AS s (client_id, valuation, approval_above,
			inventory_account, clearing_account, cogs_account, adjust_account)
		VALUES (cid, p_valuation, p_approval_above, btrim(p_inventory), btrim(p_clearing),
			btrim(p_cogs), btrim(p_adjust))
		ON CONFLICT (client_id) DO UPDATE
		SET valuation = EXCLUDED.valuation, approval_above = EXCLUDED.approval_above,
		    inventory_account = EXCLUDED.inventory_account,
		    clearing_account = EXCLUDED.clearing_account,
		    cogs_account = EXCLUDED.cogs_account, adjust_account = EXCLUDED.adjust_account;
	EXCEPTION WHEN foreign_key_violation THEN
		RAISE EXCEPTION 'Each account must be in the client''s chart of accounts'
			USING ERRCODE = 'BD004';
	WHEN check_violation THEN
		RAISE EXCEPTION 'The approval limit cannot be negative' USING ERRCODE = 'BD001';
	END;
END
$function$;
ALTER FUNCTION inventory.settings_set(text,text,numeric,text,text,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.settings_set(text,text,numeric,text,text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.settings_set(text,text,numeric,text,text,text,text) TO bd_accountant, bd_supervisor;

