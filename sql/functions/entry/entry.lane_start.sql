-- entry.lane_start: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.lane_start(p_login text, p_documents integer)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE
RETURN (SELECT (((hashtext(lane_start.p_login) & 2147483647) % l.lanes) * (lane_start.p_documents / l.lanes)) FROM (SELECT GREATEST(LEAST((lane_start.p_documents / 32), 64), 1) AS lanes) l);
ALTER FUNCTION entry.lane_start(text,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.lane_start(text,integer) FROM PUBLIC;
