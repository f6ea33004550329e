-- 034_repeatables: functions and views move to repeatable files.
--
-- From here on the current definition of every function and view lives in
-- exactly one file under sql/functions/<module>/, which `migrate` re-applies
-- (after the numbered migrations, under the same lock) whenever its text
-- changed; see include/backdesk/migrate.h. Numbered migrations keep tables
-- and data changes. This table records each file's checksum.

CREATE TABLE bd_meta.repeatables (
    path       text PRIMARY KEY,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text NOT NULL DEFAULT session_user
);
GRANT SELECT ON bd_meta.repeatables TO PUBLIC;
