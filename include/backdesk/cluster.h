#ifndef BACKDESK_CLUSTER_H
#define BACKDESK_CLUSTER_H
/*
 * The embedded local cluster: a private PostgreSQL under database.data_dir,
 * created with initdb and run with pg_ctl, listening on a Unix socket inside
 * the data directory and never on TCP. It is private to the user who owns it
 * (socket directory mode 0700), which is why it can trust local connections
 * and let the demo log in as any operator; a shared server uses peer
 * authentication instead (see the README).
 *
 * PostgreSQL refuses to run as root. When backdesk runs as root, the cluster
 * is owned by and runs as database.cluster_user (an unprivileged system user,
 * "postgres" by default); initdb and pg_ctl run under that uid.
 */
#include <stdbool.h>

#include "backdesk/config.h"
#include "backdesk/err.h"

enum bd_cluster_state { BD_CLUSTER_ABSENT, BD_CLUSTER_STOPPED, BD_CLUSTER_RUNNING };

struct bd_cluster {
	char *data_dir;	  /* DATA_DIR; the PostgreSQL data lives in DATA_DIR/pgdata */
	char *socket_dir; /* DATA_DIR/run */
	char *bindir;	  /* where initdb, pg_ctl and postgres live */
	char *run_as;	  /* login of the unprivileged owner when we are root, else NULL */
};

/* Fills c from the configuration. Returns 0, or -1 with err set when no
 * PostgreSQL installation or no unprivileged user can be found. */
int bd_cluster_init(struct bd_cluster *c, const struct bd_config *cfg, struct bd_err *err);
void bd_cluster_release(struct bd_cluster *c);

enum bd_cluster_state bd_cluster_state(const struct bd_cluster *c);

/* Creates (initdb) when absent and starts when stopped; waits until it
 * accepts connections and the "backdesk" database exists. Idempotent. */
int bd_cluster_start(struct bd_cluster *c, struct bd_err *err);
int bd_cluster_stop(struct bd_cluster *c, struct bd_err *err);
/* Stops and deletes the whole cluster. */
int bd_cluster_destroy(struct bd_cluster *c, struct bd_err *err);

/*
 * Writes a backup of the database and the cluster's roles to `file`
 * (pg_dumpall --roles-only, then pg_dump --format=custom), starting the
 * cluster if it is stopped. 0, or -1 with err set (no file is left).
 */
int bd_cluster_backup(struct bd_cluster *c, const char *file, struct bd_err *err);
/*
 * Restores a backup made by bd_cluster_backup(): the roles, then the
 * database, in one transaction. Creates and starts the cluster as needed. A
 * database that already holds Backdesk data is refused (BD_ERR_CONFLICT,
 * saying what it holds) unless `force`, which drops it first.
 */
int bd_cluster_restore(struct bd_cluster *c, const char *file, bool force, struct bd_err *err);

/* A conninfo for `user` (NULL: the cluster superuser) and database `dbname`
 * (NULL: "backdesk"). Malloc'd. */
char *bd_cluster_conninfo(const struct bd_cluster *c, const char *user, const char *dbname);
/* The cluster's superuser role name (the owner's login). */
const char *bd_cluster_superuser(const struct bd_cluster *c);

#endif
