/* backdesk client | user | assign | audit: provisioning from scripts. */
#include "backdesk/admin.h"
#include "backdesk/connect.h"
#include "backdesk/strbuf.h"
#include "backdesk/command.h"

#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- user add --unix: the checks made before the database is touched (root,
 * the group ssh.group exists), then the Unix account itself, created in that
 * group or an existing one added to it. 0, or -1 after printing why. ------ */

static int
unix_account_check(struct bd_cli *cli)
{
	const char *group = bd_config_str(cli->cfg, "ssh.group");

	if (geteuid() != 0) {
		fprintf(stderr, "backdesk: --unix creates a Unix account: run it as root\n");
		return -1;
	}
	if (!getgrnam(group)) {
		fprintf(stderr,
			"backdesk: there is no Unix group %s (ssh.group) for the operators: "
			"groupadd %s\n",
			group, group);
		return -1;
	}
	return 0;
}

static int
unix_account_add(struct bd_cli *cli, const char *login, const char *name)
{
	const char *group = bd_config_str(cli->cfg, "ssh.group");
	const char *useradd[] = {"useradd", "--create-home", "--groups", group, "--comment", name,
				 "--",	    login,	     NULL};
	const char *usermod[] = {"usermod", "--append", "--groups", group, "--", login, NULL};
	struct bd_err err = BD_ERR_INIT;
	struct strbuf out = STRBUF_INIT;
	bool exists = getpwnam(login) != NULL;
	int rc;

	/* An existing account (an admin who is also an operator) joins the group. */
	rc = bd_cli_run_program(exists ? usermod : useradd, &out, &err);
	strbuf_rtrim(&out);
	if (rc != 0) {
		fprintf(stderr, "backdesk: operator %s was added, but not the Unix account: %s\n",
			login, rc < 0 ? err.msg : out.buf);
		strbuf_release(&out);
		return -1;
	}
	printf("Unix account %s %s group %s: sshd gives it Backdesk only\n", login,
	       exists ? "added to" : "created in", group);
	strbuf_release(&out);
	return 0;
}

/* Runs one named query with the given parameters and prints what it returns. */
static int
run(struct bd_cli *cli, const char *query, int nparams, const char *const *params)
{
	struct bd_db *db = bd_cli_open_db(cli);
	int rc;

	if (!db)
		return 1;
	rc = bd_cli_run_and_print(db, query, nparams, params);
	bd_db_free(db);
	return rc;
}

int
bd_admin_cli_client(struct bd_cli *cli, int argc, char **argv)
{
	static const char usage[] = "add CODE NAME | list";

	if (argc == 4 && !strcmp(argv[1], "add"))
		return run(cli, "admin.client_add", BD_PARAMS(argv[2], argv[3]));
	if (argc == 2 && !strcmp(argv[1], "list"))
		return run(cli, "admin.client_list", BD_PARAMS(NULL));
	return bd_cli_usage("client", usage);
}

/* A PostgreSQL text[] literal of the given words, each quoted. */
static void
text_array(struct strbuf *out, char *const *words, int n)
{
	int i;

	strbuf_addch(out, '{');
	for (i = 0; i < n; i++) {
		const char *p;

		strbuf_addstr(out, i ? ",\"" : "\"");
		for (p = words[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				strbuf_addch(out, '\\');
			strbuf_addch(out, *p);
		}
		strbuf_addch(out, '"');
	}
	strbuf_addch(out, '}');
}

static int
user_add(struct bd_cli *cli, int argc, char **argv)
{
	static const struct option options[] = {{"role", required_argument, NULL, 'r'},
						{"name", required_argument, NULL, 'n'},
						{"client", required_argument, NULL, 'c'},
						{"unix", no_argument, NULL, 'u'},
						{NULL, 0, NULL, 0}};
	static const char usage[] =
	    "add LOGIN --role ROLE [--name NAME] [--client CODE]... [--unix]";
	struct strbuf clients = STRBUF_INIT;
	char **codes = calloc((size_t)argc + 1, sizeof(*codes));
	const char *role = NULL, *name = NULL;
	int ncodes = 0, opt, rc;
	bool unix_account = false;

	/* argv[0] is "user", argv[1] "add": options and LOGIN follow. */
	argc--;
	argv++;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "r:n:c:", options, NULL)) != -1) {
		if (opt == 'r')
			role = optarg;
		else if (opt == 'n')
			name = optarg;
		else if (opt == 'c')
			codes[ncodes++] = optarg;
		else if (opt == 'u')
			unix_account = true;
		else
			break;
	}
	if (opt != -1 || !role || optind != argc - 1) {
		free(codes);
		return bd_cli_usage("user", usage);
	}
	if (unix_account && unix_account_check(cli) < 0) {
		free(codes);
		return 1;
	}
	text_array(&clients, codes, ncodes);
	rc = run(cli, "admin.operator_add",
		 BD_PARAMS(argv[optind], name ? name : argv[optind], role, clients.buf));
	if (rc == 0 && unix_account &&
	    unix_account_add(cli, argv[optind], name ? name : argv[optind]) < 0)
		rc = 1;
	strbuf_release(&clients);
	free(codes);
	return rc;
}

int
bd_admin_cli_user(struct bd_cli *cli, int argc, char **argv)
{
	static const char usage[] =
	    "add LOGIN --role ROLE [--name NAME] [--client CODE]... [--unix] | list | "
	    "disable LOGIN | enable LOGIN";

	if (argc >= 3 && !strcmp(argv[1], "add"))
		return user_add(cli, argc, argv);
	if (argc == 2 && !strcmp(argv[1], "list"))
		return run(cli, "admin.operator_list", BD_PARAMS(NULL, NULL));
	if (argc == 3 && !strcmp(argv[1], "disable"))
		return run(cli, "admin.operator_disable", BD_PARAMS(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "enable"))
		return run(cli, "admin.operator_enable", BD_PARAMS(argv[2]));
	return bd_cli_usage("user", usage);
}

int
bd_admin_cli_assign(struct bd_cli *cli, int argc, char **argv)
{
	static const char usage[] = "LOGIN CLIENT [--remove]";

	if (argc == 3)
		return run(cli, "admin.assign", BD_PARAMS(argv[1], argv[2]));
	if (argc == 4 && !strcmp(argv[3], "--remove"))
		return run(cli, "admin.unassign", BD_PARAMS(argv[1], argv[2]));
	return bd_cli_usage("assign", usage);
}

static const char audit_usage[] = "verify [CLIENT] [--heads FILE] | heads [CLIENT]";

/* backdesk audit heads: "CODE SEQ HASH" per chain, to keep outside the
 * database (core.audit_heads). */
static int
audit_heads(struct bd_db *db, const char *client)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(db, "core.audit_heads", BD_PARAMS(client), &err);
	int row;

	if (!res)
		return bd_cli_fail(&err);
	if (bd_db_result_rows(res) == 0) {
		fprintf(stderr, "backdesk: no audit trail you may read%s%s\n",
			client ? " for " : "", client ? client : "");
		bd_db_result_free(res);
		return 1;
	}
	printf("# backdesk audit heads: client, last seq, its hash; check with\n"
	       "# backdesk audit verify --heads FILE\n");
	for (row = 0; row < bd_db_result_rows(res); row++)
		printf("%s %s %s\n", bd_db_result_get(res, row, 0), bd_db_result_get(res, row, 1),
		       bd_db_result_get(res, row, 2));
	bd_db_result_free(res);
	return 0;
}

/* Compares heads exported earlier with the chains now; the number of
 * problems, or -1 when the check could not run. */
static int
audit_compare_heads(struct bd_db *db, const char *path)
{
	struct bd_err err = BD_ERR_INIT;
	struct strbuf text = STRBUF_INIT;
	struct bd_db_result *res = NULL;
	int row, bad = 0, checked = 0;

	if (bd_cli_read_file(path, &text, &err) < 0 ||
	    !(res = bd_db_query(db, "core.audit_verify_heads", BD_PARAMS(text.buf), &err))) {
		bd_cli_fail(&err);
		bad = -1;
		goto cleanup;
	}
	for (row = 0; row < bd_db_result_rows(res); row++) {
		const char *state = bd_db_result_get(res, row, bd_db_result_col(res, "state"));
		const char *code = bd_db_result_get(res, row, bd_db_result_col(res, "client_code"));
		const char *detail = bd_db_result_get(res, row, bd_db_result_col(res, "detail"));

		if (!strcmp(state, "ok")) {
			checked++;
			continue;
		}
		if (!strcmp(state, "skipped")) {
			printf("%-16s not checked against %s: %s\n", code, path, detail);
			continue;
		}
		bad++;
		printf("%-16s BROKEN since %s was exported: %s\n", code, path, detail);
	}
	if (!bad && !checked) {
		fprintf(stderr, "backdesk: %s holds no audit heads you may check\n", path);
		bad = 1;
	}
cleanup:
	bd_db_result_free(res);
	strbuf_release(&text);
	return bad;
}

int
bd_admin_cli_audit(struct bd_cli *cli, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = NULL;
	struct bd_db *db;
	const char *client = NULL, *heads = NULL;
	int rc = 1, row, broken = 0, i;

	if (argc < 2 || (strcmp(argv[1], "verify") && strcmp(argv[1], "heads")))
		return bd_cli_usage("audit", audit_usage);
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--heads") && i + 1 < argc && !strcmp(argv[1], "verify"))
			heads = argv[++i];
		else if (argv[i][0] != '-' && !client)
			client = argv[i];
		else
			return bd_cli_usage("audit", audit_usage);
	}
	if (!(db = bd_cli_open_db(cli)))
		return 1;
	if (!strcmp(argv[1], "heads")) {
		rc = audit_heads(db, client);
		goto cleanup;
	}
	res = bd_db_query(db, "core.audit_verify", BD_PARAMS(client), &err);
	if (!res) {
		rc = bd_cli_fail(&err);
		goto cleanup;
	}
	/* One row per chain: the client, how many rows were checked, and for a
	 * broken chain the first bad link and what is wrong with it. */
	for (row = 0; row < bd_db_result_rows(res); row++) {
		const char *code = bd_db_result_get(res, row, bd_db_result_col(res, "client_code"));
		const char *checked =
		    bd_db_result_get(res, row, bd_db_result_col(res, "rows_checked"));

		if (!strcmp(bd_db_result_get(res, row, bd_db_result_col(res, "ok")), "t")) {
			printf("%-16s intact (%s rows)\n", code, checked);
			continue;
		}
		broken++;
		printf("%-16s BROKEN at seq %s: %s\n", code,
		       bd_db_result_get(res, row, bd_db_result_col(res, "broken_seq")),
		       bd_db_result_get(res, row, bd_db_result_col(res, "detail")));
	}
	if (heads) {
		int bad = audit_compare_heads(db, heads);

		if (bad < 0)
			goto cleanup;
		broken += bad;
	}
	if (bd_db_result_rows(res) == 0)
		fprintf(stderr, "backdesk: no audit trail you may read%s%s\n",
			client ? " for " : "", client ? client : "");
	else if (broken)
		fprintf(stderr, "backdesk: %d audit chain%s broken\n", broken,
			broken == 1 ? " is" : "s are");
	else
		rc = 0;
cleanup:
	bd_db_result_free(res);
	bd_db_free(db);
	return rc;
}
