-- entry.queue_batches: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE VIEW entry.queue_batches WITH (security_invoker=true) AS
 SELECT b.client_id,
    b.batch_id,
    b.doctype_id,
    b.name,
    b.mode,
    b.sla_due,
    b.priority,
    b.paused,
    b.drained,
    b.documents,
    c.active AS client_active,
    c.code AS client_code,
    t.code AS doctype_code,
    t.newest_version
   FROM ((entry.batches b
     JOIN core.clients c ON ((c.client_id = b.client_id)))
     JOIN entry.doctypes t ON (((t.client_id = b.client_id) AND (t.doctype_id = b.doctype_id))));
ALTER VIEW entry.queue_batches OWNER TO bd_owner
;
