#include "backdesk/connect.h"
#include "backdesk/cluster.h"
#include "backdesk/migrate.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
bd_connect_is_embedded(const struct bd_config *cfg)
{
	static const char *const server_vars[] = {"PGHOST", "PGHOSTADDR", "PGSERVICE",
						  "PGDATABASE"};
	size_t i;

	if (*bd_config_str(cfg, "database.conninfo"))
		return false;
	for (i = 0; i < sizeof(server_vars) / sizeof(*server_vars); i++)
		if (getenv(server_vars[i]) && *getenv(server_vars[i]))
			return false;
	return true;
}

char *
bd_connect_conninfo(const struct bd_config *cfg, const char *user, struct bd_err *err)
{
	struct bd_cluster c;
	char *conninfo;

	if (!bd_connect_is_embedded(cfg))
		return xstrdup(bd_config_str(cfg, "database.conninfo"));
	if (bd_cluster_init(&c, cfg, err) < 0)
		return NULL;
	conninfo = bd_cluster_conninfo(&c, user, NULL);
	bd_cluster_release(&c);
	return conninfo;
}

char *
bd_connect_report_conninfo(const struct bd_config *cfg, const char *user)
{
	const char *conninfo = bd_config_str(cfg, "database.report_conninfo");
	struct strbuf ci = STRBUF_INIT;
	const char *p;

	if (!conninfo || !*conninfo)
		return NULL;
	strbuf_addstr(&ci, conninfo);
	if (user && *user && bd_connect_is_embedded(cfg)) {
		strbuf_addstr(&ci, " user='");
		for (p = user; *p; p++) {
			if (*p == '\\' || *p == '\'')
				strbuf_addch(&ci, '\\');
			strbuf_addch(&ci, *p);
		}
		strbuf_addch(&ci, '\'');
	}
	return strbuf_detach(&ci, NULL);
}

/* libpq's default for every connection; a conninfo may still say otherwise. */
static void
set_connect_timeout(const struct bd_config *cfg)
{
	char timeout[24];

	snprintf(timeout, sizeof(timeout), "%lld", bd_config_int(cfg, "database.connect_timeout"));
	setenv("PGCONNECT_TIMEOUT", timeout, 0);
}

struct bd_db *
bd_connect_raw(const struct bd_config *cfg, const char *user, struct bd_err *err)
{
	struct bd_cluster c;
	struct bd_db *db = NULL;
	char *conninfo;

	set_connect_timeout(cfg);
	if (!bd_connect_is_embedded(cfg))
		return bd_db_connect(bd_config_str(cfg, "database.conninfo"), err);
	if (bd_cluster_init(&c, cfg, err) < 0)
		return NULL;
	if (bd_cluster_start(&c, err) == 0) {
		conninfo = bd_cluster_conninfo(&c, user, NULL);
		db = bd_db_connect(conninfo, err);
		free(conninfo);
	}
	bd_cluster_release(&c);
	return db;
}

static struct bd_db *
connect_embedded(const struct bd_config *cfg, const char *user, struct bd_err *err)
{
	struct bd_migrate_report report;
	struct bd_db *admin = bd_connect_raw(cfg, NULL, err);

	if (!admin)
		return NULL;
	if (bd_migrate(admin, &report, NULL, err) < 0) {
		bd_db_free(admin);
		return NULL;
	}
	if (!user || !strcmp(user, bd_db_user(admin)))
		return admin;
	bd_db_free(admin);
	return bd_connect_raw(cfg, user, err);
}

struct bd_db *
bd_connect(const struct bd_config *cfg, const char *user, struct bd_err *err)
{
	struct bd_db *db;

	if (bd_connect_is_embedded(cfg))
		return connect_embedded(cfg, user, err);
	set_connect_timeout(cfg);
	if (!(db = bd_db_connect(bd_config_str(cfg, "database.conninfo"), err)))
		return NULL;
	if (user && strcmp(user, bd_db_user(db))) {
		bd_err_set(err, BD_ERR_PERMISSION,
			   "--user works only with the embedded demo database; on a shared server "
			   "you are %s",
			   bd_db_user(db));
		goto fail;
	}
	if (bd_migrate_check(db, err) < 0)
		goto fail;
	return db;
fail:
	bd_db_free(db);
	return NULL;
}
