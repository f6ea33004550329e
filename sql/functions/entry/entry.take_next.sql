-- entry.take_next: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.take_next(p_lease_seconds integer, p_client_id integer, p_submitted entry.documents)
 RETURNS entry.work
 LANGUAGE plpgsql
AS $function$
DECLARE
	me text := session_user;
	v_lease interval := entry.lease(p_lease_seconds);
	v_from integer;
	d entry.documents;
	b entry.queue_batches;
BEGIN
	IF p_submitted.document_id IS NULL THEN
		SELECT * INTO d FROM entry.documents
		WHERE claimed_by = me AND state = 'in_progress'
		  AND (p_client_id IS NULL OR client_id = p_client_id)
		ORDER BY claimed_at, document_id
		LIMIT 1
		FOR UPDATE SKIP LOCKED;
		IF FOUND THEN
			UPDATE entry.documents SET lease_until = now() + v_lease
			WHERE client_id = d.client_id AND document_id = d.document_id
			RETURNING * INTO d;
			SELECT * INTO STRICT b FROM entry.queue_batches q
			WHERE q.client_id = d.client_id AND q.batch_id = d.batch_id;
			RETURN entry.work_of(d, b, true, p_submitted);
		END IF;
	END IF;

	-- Per batch in queue order, the first of: a claim whose lease ran out
	-- (the batch's oldest work); a second pass (double keying: a document
	-- keyed once is finished before new ones are started, from the head of
	-- the batch, where every clerk but its first keyer may take it); a
	-- first pass from the operator's place in the batch on (see lane_start);
	-- a first pass before it. One statement finds, locks and claims it: each
	-- subquery takes its row with FOR UPDATE SKIP LOCKED, stepping over the
	-- documents other clerks are claiming right now, and runs only when the
	-- ones before it found nothing (coalesce evaluates them in turn). Every
	-- condition of claimability is a column of the document row, rechecked
	-- by PostgreSQL on a row that changed under the statement, so two
	-- sessions never take one document. A row that another clerk claims and
	-- commits while this statement is scanning is locked in its newest
	-- version, found no longer claimable and skipped, but stays locked until
	-- this transaction ends (that clerk's next F2 on it waits for this one):
	-- lanes keep such meetings rare.
	-- (Reading candidates first and locking them one statement each closed
	-- that window, but cost a statement for every candidate another clerk
	-- was taking, a number that grows with the clerks claiming at once.)
	--
	-- A document's doctype version is pinned at its first claim (both passes
	-- key the same version). The import stored the newest version, so the
	-- column changes only when a newer one was loaded since, and only then
	-- does the foreign key check (a KEY SHARE lock on the version's row,
	-- which every claiming clerk would otherwise take on that one row) run.
	FOR b IN
		SELECT * FROM entry.queue_batches q
		WHERE NOT q.paused AND NOT q.drained AND q.client_active
		  AND (p_client_id IS NULL OR q.client_id = p_client_id)
		ORDER BY q.priority DESC, q.batch_id
	LOOP
		v_from := CASE WHEN p_submitted.batch_id = b.batch_id THEN p_submitted.line + 1
			       ELSE entry.lane_start(me, b.documents) END;
		UPDATE entry.documents u
		SET state = 'in_progress', claimed_by = me, claimed_at = now(),
		    lease_until = now() + v_lease,
		    doctype_version = CASE WHEN u.doctype_version IS NULL OR u.state = 'waiting'
					   THEN b.newest_version ELSE u.doctype_version END
		FROM (SELECT coalesce(
			(SELECT dd.document_id FROM entry.documents dd
			 WHERE dd.client_id = b.client_id AND dd.batch_id = b.batch_id
			   AND dd.state = 'in_progress' AND dd.lease_until < now()
			   AND dd.pass1_by IS DISTINCT FROM me
			   AND (dd.skipped_by IS NULL OR me <> ALL (dd.skipped_by))
			 ORDER BY dd.lease_until
			 LIMIT 1
			 FOR UPDATE SKIP LOCKED),
			-- The batch as a range rather than an equality (which would
			-- make the planner drop batch_id from the order) and the order
			-- spelled as the index's columns: only the queue's indexes then
			-- yield it, whatever the statistics say.
			(SELECT dd.document_id FROM entry.documents dd
			 WHERE b.mode = 'double'
			   AND dd.client_id = b.client_id
			   AND dd.batch_id BETWEEN b.batch_id AND b.batch_id
			   AND dd.state = 'keyed_once'
			   AND dd.pass1_by IS DISTINCT FROM me
			   AND dd.document_id IS DISTINCT FROM p_submitted.document_id
			   AND (dd.skipped_by IS NULL OR me <> ALL (dd.skipped_by))
			 ORDER BY dd.client_id, dd.batch_id, dd.line
			 LIMIT 1
			 FOR UPDATE SKIP LOCKED),
			(SELECT dd.document_id FROM entry.documents dd
			 WHERE dd.client_id = b.client_id
			   AND dd.batch_id BETWEEN b.batch_id AND b.batch_id
			   AND dd.line >= v_from
			   AND dd.state = 'waiting'
			   AND (dd.skipped_by IS NULL OR me <> ALL (dd.skipped_by))
			 ORDER BY dd.client_id, dd.batch_id, dd.line
			 LIMIT 1
			 FOR UPDATE SKIP LOCKED),
			(SELECT dd.document_id FROM entry.documents dd
			 WHERE v_from > 0
			   AND dd.client_id = b.client_id
			   AND dd.batch_id BETWEEN b.batch_id AND b.batch_id
			   AND dd.line < v_from
			   AND dd.state = 'waiting'
			   AND (dd.skipped_by IS NULL OR me <> ALL (dd.skipped_by))
			 ORDER BY dd.client_id, dd.batch_id, dd.line
			 LIMIT 1
			 FOR UPDATE SKIP LOCKED)) AS document_id
		      -- (OFFSET 0 keeps this a row to join: as a condition on u the
		      -- subqueries could not serve its index under row security.)
		      OFFSET 0) c
		WHERE u.client_id = b.client_id AND u.document_id = c.document_id
		RETURNING u.* INTO d;
		IF FOUND THEN
			RETURN entry.work_of(d, b, false, p_submitted);
		END IF;
		-- Nothing for this operator here. Drained when no document is
		-- open (one statement: one snapshot, in which a document another
		-- transaction is moving between open states is open either way).
		IF NOT EXISTS (SELECT 1 FROM entry.documents dd
			       WHERE dd.client_id = b.client_id
				 AND dd.batch_id BETWEEN b.batch_id AND b.batch_id
				 AND dd.state = 'waiting')
		   AND NOT EXISTS (SELECT 1 FROM entry.documents dd
				   WHERE dd.client_id = b.client_id
				     AND dd.batch_id BETWEEN b.batch_id AND b.batch_id
				     AND dd.state = 'keyed_once')
		   AND NOT EXISTS (SELECT 1 FROM entry.documents dd
				   WHERE dd.client_id = b.client_id AND dd.batch_id = b.batch_id
				     AND dd.state = 'in_progress') THEN
			UPDATE entry.batches SET drained = true
			WHERE client_id = b.client_id AND batch_id = b.batch_id AND NOT drained;
		END IF;
	END LOOP;
	RETURN NULL;
END
$function$;
ALTER FUNCTION entry.take_next(integer,integer,entry.documents) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.take_next(integer,integer,entry.documents) FROM PUBLIC;
