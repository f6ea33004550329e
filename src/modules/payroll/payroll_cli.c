/* backdesk payroll: imports, packs, pay runs and their approval. */
#include "backdesk/payroll.h"

#include "payroll_out_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/command.h"
#include "backdesk/strbuf.h"
#include "backdesk/xalloc.h"

static const char usage_text[] =
    "import employees|pay|inputs|components CLIENT FILE.csv\n"
    "       backdesk payroll export employees CLIENT [--out FILE]\n"
    "       backdesk payroll pack load FILE.csv\n"
    "       backdesk payroll settings CLIENT NET_PAY SALARY_EXPENSE EMPLOYER_EXPENSE "
    "[ALERT_PCT CURRENCY]\n"
    "       backdesk payroll agency CLIENT AGENCY ACCOUNT\n"
    "       backdesk payroll run create CLIENT PAY_GROUP KIND START END PAY_DATE\n"
    "       backdesk payroll run compute CLIENT RUN\n"
    "       backdesk payroll run submit CLIENT RUN:VERSION\n"
    "       backdesk payroll approve CLIENT RUN:VERSION\n"
    "       backdesk payroll reject CLIENT RUN:VERSION REASON\n"
    "       backdesk payroll runs CLIENT\n"
    "       backdesk payroll register CLIENT RUN [--csv]\n"
    "       backdesk payroll payslip CLIENT RUN NUMBER\n"
    "       backdesk payroll reveal CLIENT NUMBER FIELD\n"
    "       backdesk payroll field CLIENT NUMBER TAX_FIELD VALUE|-\n"
    "       backdesk payroll " PO_CLI_USAGE;

static int
usage(void)
{
	return bd_cli_usage("payroll", usage_text);
}

/* "12:3" -> run "12", version "3" (malloc'd run); -1 when malformed. */
static int
run_version(const char *arg, char **run, const char **version)
{
	const char *colon = strchr(arg, ':');

	if (!colon || colon == arg || !colon[1] ||
	    strspn(arg, "0123456789") != (size_t)(colon - arg) ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1)) {
		fprintf(stderr,
			"backdesk: %s: name a run as RUN:VERSION, with the version "
			"`backdesk payroll runs` shows\n",
			arg);
		return -1;
	}
	*run = xstrndup(arg, (size_t)(colon - arg));
	*version = colon + 1;
	return 0;
}

static int
import(struct bd_db *db, int argc, char **argv)
{
	static const struct {
		const char *word;
		enum bd_payroll_import what;
	} kinds[] = {
	    {"employees", BD_PAYROLL_IMPORT_EMPLOYEES},
	    {"pay", BD_PAYROLL_IMPORT_PAY},
	    {"inputs", BD_PAYROLL_IMPORT_INPUTS},
	    {"components", BD_PAYROLL_IMPORT_COMPONENTS},
	};
	struct bd_err err = BD_ERR_INIT;
	struct strbuf text = STRBUF_INIT;
	size_t i;
	long n = 0;
	int rc;

	if (argc != 5)
		return usage();
	for (i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (!strcmp(argv[2], kinds[i].word))
			break;
	if (i == sizeof(kinds) / sizeof(*kinds))
		return usage();
	if (bd_cli_read_file(argv[4], &text, &err) < 0)
		return bd_cli_fail(&err);
	rc = bd_payroll_import(db, kinds[i].what, argv[3], text.buf, text.len, argv[4], &n, &err);
	strbuf_release(&text);
	if (rc < 0)
		return bd_cli_fail(&err);
	printf("imported %ld %s records\n", n, argv[2]);
	return 0;
}

static int
pack_load(struct bd_db *db, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	struct strbuf text = STRBUF_INIT;
	long n = 0;
	int rc;

	if (argc != 4 || strcmp(argv[2], "load"))
		return usage();
	if (bd_cli_read_file(argv[3], &text, &err) < 0)
		return bd_cli_fail(&err);
	rc = bd_payroll_import(db, BD_PAYROLL_IMPORT_PACK, NULL, text.buf, text.len, argv[3], &n,
			       &err);
	strbuf_release(&text);
	if (rc < 0)
		return bd_cli_fail(&err);
	printf("loaded %ld components and table rows\n", n);
	return 0;
}

/* Runs a query and prints its result as a table, or as CSV to --out/stdout. */
static int
print_result(struct bd_db *db, const char *query, int nparams, const char *const *params, bool csv,
	     const char *out_path)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = bd_db_query(db, query, nparams, params, &err);
	struct strbuf out = STRBUF_INIT;
	FILE *f;
	int rc = 0;

	if (!res)
		return bd_cli_fail(&err);
	if (!csv) {
		bd_cli_print_table(res);
		bd_db_result_free(res);
		return 0;
	}
	bd_db_result_csv(res, &out);
	f = out_path ? fopen(out_path, "w") : bd_cli_data_out();
	if (!f) {
		fprintf(stderr, "backdesk: cannot write %s: %s\n", out_path, strerror(errno));
		rc = 1;
	} else {
		if (fwrite(out.buf, 1, out.len, f) != out.len)
			rc = 1;
		if (out_path ? fclose(f) != 0 : fflush(f) != 0)
			rc = 1;
		if (rc)
			fprintf(stderr, "backdesk: cannot write the export\n");
	}
	strbuf_release(&out);
	bd_db_result_free(res);
	return rc;
}

static int
run_cmd(const struct bd_cli *cli, struct bd_db *db, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res = NULL;
	char *run = NULL;
	const char *version;

	if (argc == 9 && !strcmp(argv[2], "create"))
		res = bd_db_query(db, "payroll.run_create",
				  BD_PARAMS(argv[3], argv[4], argv[5], argv[6], argv[7], argv[8]),
				  &err);
	else if (argc == 5 && !strcmp(argv[2], "compute")) {
		long n = bd_payroll_run_compute(
		    db, argv[3], argv[4], (int)bd_config_int(cli->cfg, "payroll.compute_sessions"),
		    BD_PAYROLL_PART_EMPLOYEES, NULL, &err);

		if (n < 0)
			return bd_cli_fail(&err);
		printf("%ld payslips computed\n", n);
		return 0;
	} else if (argc == 5 && !strcmp(argv[2], "submit")) {
		if (run_version(argv[4], &run, &version) < 0)
			return 2;
		res = bd_db_query(db, "payroll.run_submit", BD_PARAMS(argv[3], run, version), &err);
	} else
		return usage();
	free(run);
	if (!res)
		return bd_cli_fail(&err);
	if (!strcmp(argv[2], "create"))
		printf("run %s created\n", bd_db_result_get(res, 0, 0));
	else
		printf("submitted as version %s: another payroll operator approves it\n",
		       bd_db_result_get(res, 0, 0));
	bd_db_result_free(res);
	return 0;
}

static int
decide(struct bd_db *db, int argc, char **argv)
{
	struct bd_err err = BD_ERR_INIT;
	struct bd_db_result *res;
	bool approve = !strcmp(argv[1], "approve");
	const char *version;
	char *run;

	if (argc != (approve ? 4 : 5))
		return usage();
	if (run_version(argv[3], &run, &version) < 0)
		return 2;
	if (approve)
		res =
		    bd_db_query(db, "payroll.run_approve", BD_PARAMS(argv[2], run, version), &err);
	else
		res = bd_db_query(db, "payroll.run_reject",
				  BD_PARAMS(argv[2], run, version, argv[4]), &err);
	if (res) {
		if (approve)
			printf("run %s approved and posted as %s\n", run,
			       bd_db_result_get(res, 0, 0));
		else
			printf("run %s rejected\n", run);
	}
	free(run);
	if (!res)
		return bd_cli_fail(&err);
	bd_db_result_free(res);
	return 0;
}

int
bd_payroll_cli(struct bd_cli *cli, int argc, char **argv)
{
	struct bd_db *db;
	int rc;

	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help")) {
		fprintf(argc < 2 ? stderr : stdout, "usage: backdesk payroll %s\n", usage_text);
		return argc < 2 ? 2 : 0;
	}
	if (po_cli_handles(argv[1])) { /* the outputs: payroll_out_cli.c */
		if (!(db = bd_cli_open_db(cli)))
			return 1;
		rc = po_cli(db, argc - 1, argv + 1);
		bd_db_free(db);
		return rc;
	}
	if (strcmp(argv[1], "import") && strcmp(argv[1], "export") && strcmp(argv[1], "pack") &&
	    strcmp(argv[1], "settings") && strcmp(argv[1], "agency") && strcmp(argv[1], "run") &&
	    strcmp(argv[1], "approve") && strcmp(argv[1], "reject") && strcmp(argv[1], "runs") &&
	    strcmp(argv[1], "register") && strcmp(argv[1], "payslip") &&
	    strcmp(argv[1], "reveal") && strcmp(argv[1], "field"))
		return usage();
	if (!(db = bd_cli_open_db(cli)))
		return 1;
	if (!strcmp(argv[1], "import"))
		rc = import(db, argc, argv);
	else if (!strcmp(argv[1], "pack"))
		rc = pack_load(db, argc, argv);
	else if (!strcmp(argv[1], "export") && argc >= 4 && !strcmp(argv[2], "employees") &&
		 (argc == 4 || (argc == 6 && !strcmp(argv[4], "--out"))))
		rc = print_result(db, "payroll.employee_list", BD_PARAMS(argv[3], NULL), true,
				  argc == 6 ? argv[5] : NULL);
	else if (!strcmp(argv[1], "settings") && (argc == 6 || argc == 8))
		rc = bd_cli_run_and_print(db, "payroll.settings_set",
					  BD_PARAMS(argv[2], argv[3], argv[4], argv[5],
						    argc == 8 ? argv[6] : NULL,
						    argc == 8 ? argv[7] : NULL));
	else if (!strcmp(argv[1], "agency") && argc == 5)
		rc = bd_cli_run_and_print(db, "payroll.agency_account_set",
					  BD_PARAMS(argv[2], argv[3], argv[4]));
	else if (!strcmp(argv[1], "run"))
		rc = argc >= 3 ? run_cmd(cli, db, argc, argv) : usage();
	else if (!strcmp(argv[1], "approve") || !strcmp(argv[1], "reject"))
		rc = decide(db, argc, argv);
	else if (!strcmp(argv[1], "runs") && argc == 3)
		rc = bd_cli_run_and_print(db, "payroll.run_list", BD_PARAMS(argv[2]));
	else if (!strcmp(argv[1], "register") &&
		 (argc == 4 || (argc == 5 && !strcmp(argv[4], "--csv"))))
		rc = print_result(db, "payroll.register", BD_PARAMS(argv[2], argv[3]), argc == 5,
				  NULL);
	else if (!strcmp(argv[1], "payslip") && argc == 5)
		rc = bd_cli_run_and_print(db, "payroll.payslip",
					  BD_PARAMS(argv[2], argv[3], argv[4]));
	else if (!strcmp(argv[1], "reveal") && argc == 5)
		rc = bd_cli_run_and_print(db, "payroll.reveal",
					  BD_PARAMS(argv[2], argv[3], argv[4]));
	else if (!strcmp(argv[1], "field") && argc == 6) /* a W-4 step: "-" clears it */
		rc = bd_cli_run_and_print(
		    db, "payroll.employee_field_set",
		    BD_PARAMS(argv[2], argv[3], argv[4], strcmp(argv[5], "-") ? argv[5] : NULL));
	else
		rc = usage();
	bd_db_free(db);
	return rc;
}
