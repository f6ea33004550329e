-- core.whoami: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE VIEW core.whoami WITH (security_invoker=true) AS
 SELECT o.login,
    o.full_name,
    o.role,
    o.disabled,
    COALESCE(( SELECT array_agg(c.code ORDER BY c.code) AS array_agg
           FROM core.clients c
          WHERE (c.client_id = ANY (core.my_clients()))), '{}'::text[]) AS clients
   FROM core.operators o
  WHERE (o.login = SESSION_USER);
ALTER VIEW core.whoami OWNER TO bd_owner;
REVOKE ALL ON core.whoami FROM PUBLIC;
GRANT SELECT ON core.whoami TO bd_clerk;
GRANT SELECT ON core.whoami TO bd_accountant;
GRANT SELECT ON core.whoami TO bd_supervisor;
GRANT SELECT ON core.whoami TO bd_admin;
GRANT SELECT ON core.whoami TO bd_payroll;
