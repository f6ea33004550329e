#ifndef BACKDESK_CONNECT_H
#define BACKDESK_CONNECT_H
/*
 * Opening the database the configuration names, in one place for the TUI and
 * every command.
 *
 * A shared server is named by database.conninfo (a conninfo string or URI,
 * or "service=NAME" from pg_service.conf), or, with that setting empty, by
 * the standard PG* variables (PGHOST, PGHOSTADDR, PGSERVICE or PGDATABASE
 * set). There we only check that the schema matches this binary. With
 * neither, we use the embedded local cluster: started on demand, migrated.
 *
 * `user` selects the PostgreSQL role for the embedded cluster (the demo's
 * --user); NULL means the cluster superuser. Against a shared server the
 * identity is always what libpq resolves (the Unix login under peer
 * authentication), and a `user` that differs is refused: an operator cannot
 * choose to be someone else.
 */
#include <stdbool.h>

#include "backdesk/config.h"
#include "backdesk/db.h"
#include "backdesk/err.h"

/* True when no shared server is named: the embedded cluster is in use. */
bool bd_connect_is_embedded(const struct bd_config *cfg);

/* Returns a connection, or NULL with err set. */
struct bd_db *bd_connect(const struct bd_config *cfg, const char *user, struct bd_err *err);

/* As bd_connect() but neither migrates nor checks the schema (for
 * `backdesk migrate` and the demo seed); still starts the embedded cluster. */
struct bd_db *bd_connect_raw(const struct bd_config *cfg, const char *user, struct bd_err *err);

/* The conninfo string bd_connect() would use (malloc'd), for `db status`. */
char *bd_connect_conninfo(const struct bd_config *cfg, const char *user, struct bd_err *err);

/*
 * The conninfo of the reports' server (database.report_conninfo: a streaming
 * standby of the primary), malloc'd, or NULL when the setting is empty (the
 * primary serves reports). With the embedded cluster as the primary (the
 * demo), `user` (the operator signed on, or NULL) is added as user='...', so
 * the setting must then be key=value words; against a shared server the
 * identity is what libpq resolves, as for the primary, and the caller checks
 * that it is the operator's.
 */
char *bd_connect_report_conninfo(const struct bd_config *cfg, const char *user);

#endif
