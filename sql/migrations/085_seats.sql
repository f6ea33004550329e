-- 085_seats: the schema stamp (issue 21: the first screen within 100 ms).
--
-- Every sign-on checks that the database is migrated to the binary's
-- version and holds its functions as it has them (include/backdesk/migrate.h).
-- Before: one query comparing the binary's ~300 "path checksum" lines with
-- bd_meta.repeatables: 9 ms of a new backend's time (parse 3.7, plan 4.8,
-- run 0.7 on its empty catalogue caches), a tenth of the first screen's
-- budget. Now `migrate` records, at the end of its run (under its lock, in
-- the transaction that applies the repeatable files), the binary's stamp:
-- the SHA-256 of every migration's and function file's "path checksum" line
-- (bd_embedded_schema_stamp, built by src/base/embed.cmake). A sign-on reads
-- the newest version and compares the stamp: two index lookups. Anything
-- that changes what the stamp vouches for (a row of bd_meta.migrations or
-- bd_meta.repeatables written, deleted or truncated, by migrate or by hand)
-- deletes it here, so a stale stamp never passes; without a stamp, or with
-- another binary's, the sign-on compares file by file as before.

CREATE TABLE bd_meta.stamp (
    one        boolean PRIMARY KEY DEFAULT true CHECK (one),
    stamp      text NOT NULL,
    written_at timestamptz NOT NULL DEFAULT now(),
    written_by text NOT NULL DEFAULT session_user
);
GRANT SELECT ON bd_meta.stamp TO PUBLIC;

CREATE FUNCTION bd_meta.stamp_void() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	DELETE FROM bd_meta.stamp;
	RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION bd_meta.stamp_void() FROM PUBLIC;

CREATE TRIGGER stamp_void AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bd_meta.migrations
	FOR EACH STATEMENT EXECUTE FUNCTION bd_meta.stamp_void();
CREATE TRIGGER stamp_void AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bd_meta.repeatables
	FOR EACH STATEMENT EXECUTE FUNCTION bd_meta.stamp_void();
