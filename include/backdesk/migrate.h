#ifndef BACKDESK_MIGRATE_H
#define BACKDESK_MIGRATE_H
/*
 * Schema migrations: sql/migrations/NNN_name.sql, embedded in the binary,
 * forward-only. Each is applied in its own transaction and recorded in
 * bd_meta.migrations with a SHA-256 checksum, under a lock on that table
 * (not an advisory lock: any role may take any advisory key) and after
 * checking again that it is still pending, so two hosts migrating at once
 * apply each file exactly once. A recorded file
 * whose text changed, or a database that has migrations this binary does
 * not know (it is newer than us), is refused.
 *
 * Functions and views are repeatable, the way Flyway's repeatable
 * migrations are: the current definition of each lives in exactly one file,
 * sql/functions/<module>/<schema>.<name>.sql (a view: <schema>.<name>.view.sql),
 * with its owner, REVOKE and GRANTs, written CREATE OR REPLACE. After the
 * numbered migrations, every such file whose SHA-256 differs from the one
 * recorded in bd_meta.repeatables is re-applied, in one transaction under the
 * same table lock: functions first, then views, each in path order, with
 * check_function_bodies off so functions may name each other in any order.
 * A function change edits its file; a numbered migration is needed only for
 * tables, data, or what CREATE OR REPLACE cannot do (a changed return type or
 * a dropped function: DROP it there, the file recreates it). Migrations up to
 * 033 still define functions too (history; existing databases hold their
 * checksums); the files hold the last definition of each.
 */
#include <stdio.h>

#include "backdesk/db.h"
#include "backdesk/err.h"

struct bd_migrate_report {
	int known;	     /* migrations in this binary */
	int applied;	     /* already in the database before this run */
	int ran;	     /* applied by this run */
	int newest;	     /* highest version now in the database */
	int repeatables_ran; /* function and view files (re)applied by this run */
};

/* Applies what is pending. `progress`, when not NULL, gets a line per file. */
int bd_migrate(struct bd_db *db, struct bd_migrate_report *report, FILE *progress,
	       struct bd_err *err);

/* For every start: 0 when the database is exactly at this binary's version
 * (its migrations, and every function and view file applied with this
 * binary's text, by the checksums migrate recorded); -1 with a clear
 * message when it needs `backdesk migrate` or is newer. */
int bd_migrate_check(struct bd_db *db, struct bd_err *err);

/* Loads the demo data: every sql/demo/ file in path order (seed.sql, then
 * seed_ledger.sql, ...), as the superuser of a freshly migrated database. */
int bd_migrate_seed_demo(struct bd_db *db, struct bd_err *err);

#endif
