-- ledger.pending_approvals: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE VIEW ledger.pending_approvals WITH (security_invoker=true) AS
 SELECT c.code AS client,
    e.entry_id,
    e.journal,
    e.entry_date,
    e.reference,
    e.description,
    e.maker,
    e.submitted_at,
    e.reverses_entry_id,
    ( SELECT sum(l.debit) AS sum
           FROM ledger.lines l
          WHERE ((l.client_id = e.client_id) AND (l.entry_id = e.entry_id))) AS amount,
    e.version
   FROM (ledger.entries e
     JOIN core.clients c ON ((c.client_id = e.client_id)))
  WHERE ((e.status = 'submitted'::text) AND (e.maker <> SESSION_USER) AND (e.batch_id IS NULL));
ALTER VIEW ledger.pending_approvals OWNER TO bd_owner;
REVOKE ALL ON ledger.pending_approvals FROM PUBLIC;
GRANT SELECT ON ledger.pending_approvals TO bd_accountant;
GRANT SELECT ON ledger.pending_approvals TO bd_supervisor;
