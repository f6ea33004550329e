-- entry.sup_reassign: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.sup_reassign(p_document_id bigint, p_login text, p_lease_seconds integer)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	d entry.documents := entry.sup_document(p_document_id);
	v_lease interval := entry.lease(p_lease_seconds);
	o core.operators;
	b entry.batches;
BEGIN
	IF d.state IN ('done', 'rejected') THEN
		RAISE EXCEPTION 'Document % is already %', d.external_ref, d.state USING ERRCODE = 'BD003';
	END IF;
	SELECT * INTO o FROM core.operators WHERE login = p_login;
	IF NOT FOUND OR o.disabled OR o.role NOT IN ('clerk', 'supervisor') THEN
		RAISE EXCEPTION '% is not an active clerk or supervisor', coalesce(p_login, '(none)')
			USING ERRCODE = 'BD001';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM core.assignments a
		       WHERE a.login = o.login AND a.client_id = d.client_id) THEN
		RAISE EXCEPTION '% is not assigned to this client', o.login USING ERRCODE = 'BD002';
	END IF;
	SELECT * INTO STRICT b FROM entry.batches WHERE client_id = d.client_id AND batch_id = d.batch_id;
	IF (d.state IN ('keyed_once', 'qa') OR (d.state = 'in_progress' AND b.mode = 'double'))
	   AND d.pass1_by = o.login THEN
		RAISE EXCEPTION '% keyed the first pass of document %: it needs another operator', o.login,
			d.external_ref USING ERRCODE = 'BD002';
	END IF;
	IF d.state = 'adjudication' AND o.login IN (d.pass1_by, d.pass2_by) THEN
		RAISE EXCEPTION '% keyed document %: a third operator must adjudicate it', o.login,
			d.external_ref USING ERRCODE = 'BD002';
	END IF;
	INSERT INTO entry.actions (client_id, action, batch_id, document_id, detail)
	VALUES (d.client_id, 'reassign', d.batch_id, d.document_id,
		jsonb_build_object('from', d.claimed_by, 'to', o.login, 'state', d.state));
	UPDATE entry.documents
	SET state = CASE WHEN state IN ('waiting', 'keyed_once') THEN 'in_progress' ELSE state END,
	    claimed_by = o.login, claimed_at = now(), lease_until = now() + v_lease,
	    doctype_version = coalesce(doctype_version,
				       (SELECT t.newest_version FROM entry.doctypes t
					WHERE t.client_id = d.client_id AND t.doctype_id = d.doctype_id))
	WHERE client_id = d.client_id AND document_id = d.document_id;
	PERFORM entry.notify(d.client_id);
END
$function$;
ALTER FUNCTION entry.sup_reassign(bigint,text,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.sup_reassign(bigint,text,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.sup_reassign(bigint,text,integer) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION entry.sup_reassign(bigint,text,integer) TO bd_admin;
