-- 036_kit: one client parameter convention across modules (issue 14).
--
-- The entry module's functions an operator's query calls take the client
-- CODE, as ledger.* and approvals.* do (core.client_id_of resolves it and
-- checks the caller is assigned to it): claim_next, submit_and_claim_next,
-- adjudication_next, qa_next and review_waiting. Their new definitions are
-- the repeatable files (sql/functions/entry/); CREATE OR REPLACE cannot
-- change a parameter's type, so the old signatures (p_client_id integer)
-- go here, before the repeatable files are applied. Internal helpers
-- granted to no one (entry.take_next, entry.claim_review, entry.notify)
-- keep the resolved client_id.

DROP FUNCTION entry.claim_next(integer, integer);
DROP FUNCTION entry.submit_and_claim_next(bigint, jsonb, integer, integer, integer, integer,
					  integer, integer, text);
DROP FUNCTION entry.adjudication_next(integer, integer);
DROP FUNCTION entry.qa_next(integer, integer);
DROP FUNCTION entry.review_waiting(text, integer);
