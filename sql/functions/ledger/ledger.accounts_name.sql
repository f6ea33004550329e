-- ledger.accounts_name: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Trigger (BEFORE INSERT on ledger.accounts): an account added without a
-- full name (ledger.account_add, the chart screen) gets one from its parent's
-- full name, or its type's top-level name (Assets, Liabilities, Equity,
-- Income, Expenses), then its name (and its code when that name is taken);
-- a currency it is held in must be one.

CREATE OR REPLACE FUNCTION ledger.accounts_name()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
DECLARE
	v_parent text;
	v_root text;
BEGIN
	IF NEW.full_name IS NULL THEN
		SELECT a.full_name INTO v_parent FROM ledger.accounts a
		WHERE a.client_id = NEW.client_id AND a.account_id = NEW.parent_id;
		v_root := CASE NEW.type WHEN 'asset' THEN 'Assets' WHEN 'liability' THEN 'Liabilities'
				       WHEN 'equity' THEN 'Equity' WHEN 'income' THEN 'Income'
				       ELSE 'Expenses' END;
		NEW.full_name := CASE
			WHEN v_parent IS NULL AND lower(btrim(NEW.name)) = lower(v_root) THEN v_root
			ELSE coalesce(v_parent, v_root) || ':'
			     || regexp_replace(btrim(NEW.name), '[:;[:space:]]+', ' ', 'g') END;
		IF EXISTS (SELECT 1 FROM ledger.accounts a
			   WHERE a.client_id = NEW.client_id AND a.full_name = NEW.full_name) THEN
			NEW.full_name := NEW.full_name || ' (' || NEW.code || ')';
		END IF;
	END IF;
	IF NEW.currency IS NOT NULL THEN
		PERFORM ledger.currency_units(NEW.currency);
	END IF;
	RETURN NEW;
END
$function$;
ALTER FUNCTION ledger.accounts_name() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.accounts_name() FROM PUBLIC;
