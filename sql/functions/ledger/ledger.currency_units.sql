-- ledger.currency_units: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The minor units (decimal places) of an ISO 4217 currency; anything else is
-- refused as not a currency. Internal (granted to no one).

CREATE OR REPLACE FUNCTION ledger.currency_units(p_code text)
 RETURNS smallint
 LANGUAGE plpgsql
 STABLE
AS $function$
DECLARE
	v smallint;
BEGIN
	SELECT c.minor_units INTO v FROM ledger.currencies c WHERE c.code = p_code;
	IF NOT FOUND THEN
		RAISE EXCEPTION '% is not a currency (an ISO 4217 code such as EUR)',
			coalesce(p_code, '(none)') USING ERRCODE = 'BD001';
	END IF;
	RETURN v;
END
$function$;
ALTER FUNCTION ledger.currency_units(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.currency_units(text) FROM PUBLIC;
