/* backdesk demo, and the TUI as the default command. */
#include "backdesk/app.h"
#include "backdesk/cli.h"
#include "backdesk/cluster.h"
#include "backdesk/connect.h"
#include "backdesk/entry.h"
#include "backdesk/field.h"
#include "backdesk/migrate.h"
#include "backdesk/log.h"
#include "backdesk/ui.h"
#include "backdesk/xalloc.h"
#include "backdesk/command.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const demo_logins[] = {"clerk1", "clerk2", "clerk3", "acct1", "acct2",
					  "super1", "admin1", "pay1",	"pay2",	 NULL};

/* The demo's CMS-1500-like claims: this many documents, each with the
 * document type's sample page as its image, at a priority below the seed's
 * claim and invoice batches (2..5), so those come first in the queue. */
#define DEMO_CMS_DOCUMENTS 3
#define DEMO_CMS_PRIORITY 1

/*
 * Imports the demo's cms1500 batch as its supervisor would: the sample page
 * (bd_entry_sample_page) written as a PNG in a private directory under the
 * cluster's data_dir, and a batch whose lines name it, through the import
 * `backdesk batch import` runs (bd_entry_batch_import stores each image in
 * the database, in the batch's transaction). The file is removed after: the
 * database holds the pages.
 */
static int
import_demo_images(struct bd_cli *cli, const struct bd_cluster *c, struct bd_err *err)
{
	struct bd_entry_import imp = {
	    "ACME", "cms1500", "single", DEMO_CMS_PRIORITY, "48", "acme-cms1500-demo.csv"};
	struct strbuf dir = STRBUF_INIT, png_path = STRBUF_INIT, source = STRBUF_INIT,
		      png = STRBUF_INIT, csv = STRBUF_INIT;
	struct bd_screen screen;
	struct bd_db *db = NULL;
	FILE *f;
	bool made_dir = false, written = false;
	int i, rc = -1;

	bd_screen_init(&screen);
	if (!(db = bd_connect_raw(cli->cfg, "super1", err)))
		goto cleanup;
	if (bd_entry_doctype_current(db, imp.client, imp.doctype, &screen, err) < 0 ||
	    bd_entry_sample_page(&screen, &png, err) < 0)
		goto cleanup;
	strbuf_addf(&dir, "%s/demo-images-XXXXXX", c->data_dir);
	if (!mkdtemp(dir.buf)) {
		bd_err_set(err, BD_ERR_IO, "Cannot create a directory in %s: %s", c->data_dir,
			   strerror(errno));
		goto cleanup;
	}
	made_dir = true;
	strbuf_addf(&png_path, "%s/cms1500-sample.png", dir.buf);
	if ((f = fopen(png_path.buf, "wb"))) {
		written = fwrite(png.buf, 1, png.len, f) == png.len;
		written &= fclose(f) == 0;
	}
	if (!written) {
		bd_err_set(err, BD_ERR_IO, "Cannot write %s: %s", png_path.buf, strerror(errno));
		goto cleanup;
	}
	strbuf_addstr(&csv, "external_ref,image\n");
	for (i = 1; i <= DEMO_CMS_DOCUMENTS; i++)
		strbuf_addf(&csv, "CMS-DEMO-%d,cms1500-sample.png\n", i);
	strbuf_addf(&source, "%s/%s", dir.buf, imp.name);
	rc = bd_entry_batch_import(db, &imp, csv.buf, csv.len, source.buf, NULL, NULL, err);
cleanup:
	if (png_path.len)
		unlink(png_path.buf);
	if (made_dir)
		rmdir(dir.buf);
	bd_db_free(db);
	bd_screen_release(&screen);
	strbuf_release(&dir);
	strbuf_release(&png_path);
	strbuf_release(&source);
	strbuf_release(&png);
	strbuf_release(&csv);
	return rc;
}

/* Starts, migrates and (once) seeds the embedded demo database. */
static int
prepare_demo(struct bd_cli *cli, bool reset, struct bd_err *err)
{
	struct bd_migrate_report report;
	struct bd_db_result *res = NULL;
	struct bd_cluster c;
	struct bd_db *db = NULL;
	int rc = -1;

	if (bd_cluster_init(&c, cli->cfg, err) < 0)
		return -1;
	if (reset && bd_cluster_destroy(&c, err) < 0)
		goto cleanup;
	if (!(db = bd_connect_raw(cli->cfg, NULL, err)))
		goto cleanup;
	if (bd_migrate(db, &report, NULL, err) < 0) {
		/* Most likely a demo made by another build: throwaway data. */
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		bd_err_set(err, err->kind, "%.180s (backdesk demo --reset starts afresh)", why);
		goto cleanup;
	}
	if (!(res = bd_db_query(db, "demo.is_seeded", BD_NO_PARAMS, err)))
		goto cleanup;
	if (!strcmp(bd_db_result_get(res, 0, 0), "t")) {
		rc = 0;
		goto cleanup;
	}
	if (bd_migrate_seed_demo(db, err) < 0)
		goto cleanup;
	if (import_demo_images(cli, &c, err) < 0) {
		/* seeded already: the next start would go on without them */
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		bd_err_set(err, err->kind,
			   "The demo's CMS-1500 claims were not loaded: %.140s (backdesk demo "
			   "--reset starts afresh)",
			   why);
		goto cleanup;
	}
	rc = 0;
cleanup:
	bd_db_result_free(res);
	bd_db_free(db);
	bd_cluster_release(&c);
	return rc;
}

static int
print_demo(struct bd_cli *cli)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db *db = bd_connect(cli->cfg, NULL, &err);
	char *conninfo;
	int rc;

	if (!db)
		return bd_cli_fail(&err);
	puts("Demo operators:");
	rc = bd_cli_run_and_print(db, "admin.operator_list", BD_PARAMS(NULL, NULL));
	bd_db_free(db);
	if (!(conninfo = bd_connect_conninfo(cli->cfg, NULL, &err)))
		return bd_cli_fail(&err);
	printf("\nconninfo: %s\nopen the screens with: backdesk demo --user LOGIN\n", conninfo);
	free(conninfo);
	return rc;
}

int
bd_cli_demo(struct bd_cli *cli, int argc, char **argv)
{
	static const struct option options[] = {{"reset", no_argument, NULL, 'r'},
						{"no-ui", no_argument, NULL, 'n'},
						{"user", required_argument, NULL, 'u'},
						{NULL, 0, NULL, 0}};
	static const char *const server_vars[] = {"PGHOST", "PGHOSTADDR", "PGSERVICE",
						  "PGDATABASE"};
	struct bd_err err = BD_ERR_INIT;
	bool reset = false, no_ui = false;
	size_t i;
	int opt;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == 'r')
			reset = true;
		else if (opt == 'n')
			no_ui = true;
		else if (opt == 'u')
			cli->user = optarg;
		else
			return bd_cli_usage("demo", "[--reset] [--no-ui] [--user NAME]");
	}
	if (optind != argc)
		return bd_cli_usage("demo", "[--reset] [--no-ui] [--user NAME]");
	/* A terminal the screens cannot use is refused at once, not after the
	 * database has been started (exit status 2, as bd_app_run). */
	if (!no_ui && bd_ui_check_terminal(&err) < 0) {
		fprintf(stderr, "backdesk: %s\n", err.msg);
		return 2;
	}
	/* The demo always runs on the embedded cluster, whatever is configured. */
	if (bd_config_set(cli->cfg, "database.conninfo", "", "demo", &err) < 0)
		return bd_cli_fail(&err);
	for (i = 0; i < NELEM(server_vars); i++)
		unsetenv(server_vars[i]);
	if (prepare_demo(cli, reset, &err) < 0)
		return bd_cli_fail(&err);
	if (no_ui)
		return print_demo(cli);
	return bd_cli_tui(cli, true);
}

static struct bd_db *
connect_as(void *ctx, const char *login, struct bd_err *err)
{
	struct bd_cli *cli = ctx;

	return bd_connect(cli->cfg, login, err);
}

/* Creates the directories leading to `path` (like mkdir -p of its dirname). */
static void
make_parent_dirs(const char *path)
{
	char *copy = xstrdup(path), *slash;

	for (slash = copy + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		mkdir(copy, 0700);
		*slash = '/';
	}
	free(copy);
}

int
bd_cli_tui(struct bd_cli *cli, bool demo)
{
	const char *log_file = bd_config_str(cli->cfg, "log.file");
	struct bd_err err = BD_ERR_INIT;
	struct bd_app_opts opts = {NULL, connect_as, cli};
	struct bd_db *db = NULL;
	int rc;

	bd_field_set_date_order(bd_config_choice(cli->cfg, "ui.date_order") ? BD_DATE_MDY
									    : BD_DATE_DMY);
	/* The screen is the operator's: technical detail goes to the log file. */
	make_parent_dirs(log_file);
	if (bd_log_open(log_file, &err) < 0)
		return bd_cli_fail(&err);
	if (demo && !cli->user)
		opts.demo_logins = demo_logins;
	else if (!(db = bd_connect(cli->cfg, cli->user, &err)))
		return bd_cli_fail(&err);
	/* curses writes the terminal's own control sequences to stdout. */
	bd_cli_output_end();
	rc = bd_app_run(cli->cfg, db, &opts);
	bd_cli_output_begin();
	return rc;
}
