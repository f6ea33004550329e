/* backdesk config | db | migrate */
#include "backdesk/cli.h"
#include "backdesk/cluster.h"
#include "backdesk/connect.h"
#include "backdesk/migrate.h"
#include "backdesk/command.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
bd_cli_config(struct bd_cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return bd_cli_usage("config", "");
	bd_config_print(cli->cfg, stdout);
	return 0;
}

static int
db_status(struct bd_cli *cli, bool conninfo_only)
{
	static const char *const states[] = {"not created", "stopped", "running"};
	struct bd_err err = BD_ERR_INIT;
	struct bd_cluster c;
	char *conninfo;

	if (!(conninfo = bd_connect_conninfo(cli->cfg, cli->user, &err)))
		return bd_cli_fail(&err);
	if (conninfo_only) {
		puts(conninfo);
	} else if (bd_connect_is_embedded(cli->cfg)) {
		if (bd_cluster_init(&c, cli->cfg, &err) < 0) {
			free(conninfo);
			return bd_cli_fail(&err);
		}
		printf("database:  embedded local cluster\n"
		       "state:     %s\n"
		       "directory: %s\n"
		       "conninfo:  %s\n",
		       states[bd_cluster_state(&c)], c.data_dir, conninfo);
		bd_cluster_release(&c);
	} else {
		printf("database:  shared server\nconninfo:  %s\n", conninfo);
	}
	free(conninfo);
	return 0;
}

/* db backup FILE | db restore FILE [--force] */
static int
db_backup_restore(struct bd_cli *cli, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	bool backup = !strcmp(argv[1], "backup");
	bool force = argc == 4;
	struct bd_cluster c;
	int rc;

	if (bd_cluster_init(&c, cli->cfg, &err) < 0)
		return bd_cli_fail(&err);
	rc = backup ? bd_cluster_backup(&c, argv[2], &err)
		    : bd_cluster_restore(&c, argv[2], force, &err);
	bd_cluster_release(&c);
	if (rc < 0)
		return bd_cli_fail(&err);
	if (backup)
		printf("backup written to %s\n", argv[2]);
	else
		printf("restored from %s; operators sign on as before\n", argv[2]);
	return 0;
}

int
bd_cli_db(struct bd_cli *cli, int argc, char **argv)
{
	static const char usage[] =
	    "status [--conninfo] | start | stop | backup FILE | restore FILE [--force]";
	struct bd_err err = BD_ERR_INIT;
	struct bd_cluster c;
	int rc;

	if (argc == 2 && !strcmp(argv[1], "status"))
		return db_status(cli, false);
	if (argc == 3 && !strcmp(argv[1], "status") && !strcmp(argv[2], "--conninfo"))
		return db_status(cli, true);
	if ((argc == 3 && (!strcmp(argv[1], "backup") || !strcmp(argv[1], "restore"))) ||
	    (argc == 4 && !strcmp(argv[1], "restore") && !strcmp(argv[3], "--force"))) {
		if (!bd_connect_is_embedded(cli->cfg)) {
			fprintf(stderr,
				"backdesk: a shared database server is configured; 'db %s' works "
				"on the embedded one. Back up a server with pg_basebackup and "
				"WAL archiving (README, Deployment)\n",
				argv[1]);
			return 2;
		}
		return db_backup_restore(cli, argc, argv);
	}
	if (argc != 2 || (strcmp(argv[1], "start") && strcmp(argv[1], "stop")))
		return bd_cli_usage("db", usage);
	if (!bd_connect_is_embedded(cli->cfg)) {
		fprintf(stderr,
			"backdesk: a shared database server is configured; 'db %s' manages "
			"only the embedded one\n",
			argv[1]);
		return 2;
	}
	if (bd_cluster_init(&c, cli->cfg, &err) < 0)
		return bd_cli_fail(&err);
	rc = !strcmp(argv[1], "start") ? bd_cluster_start(&c, &err) : bd_cluster_stop(&c, &err);
	bd_cluster_release(&c);
	return rc < 0 ? bd_cli_fail(&err) : 0;
}

int
bd_cli_migrate(struct bd_cli *cli, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_migrate_report report;
	struct bd_db *db;
	int rc;

	(void)argv;
	if (argc != 1)
		return bd_cli_usage("migrate", "");
	if (!(db = bd_connect_raw(cli->cfg, NULL, &err)))
		return bd_cli_fail(&err);
	rc = bd_migrate(db, &report, stdout, &err);
	bd_db_free(db);
	if (rc < 0)
		return bd_cli_fail(&err);
	printf("schema at version %d: %d migration%s applied now, %d already\n", report.newest,
	       report.ran, report.ran == 1 ? "" : "s", report.applied);
	return 0;
}
