#ifndef BACKDESK_CLI_H
#define BACKDESK_CLI_H
/*
 * The subcommands of the backdesk binary, for scripting and provisioning.
 * Each takes its own argv (argv[0] is the command word) and returns the
 * process exit status: 0 done, 1 failed, 2 usage or configuration error.
 * Messages go to stderr, results to stdout; every byte printed passes
 * through the output gate (bd_cli_output_begin).
 */
#include <stdio.h>

#include "backdesk/config.h"

/* Who a command may run as: anyone the database lets in (provisioning, which
 * a superuser or an admin does), or an active operator (business data, which
 * the database shows only to the operators assigned to a client, so a
 * superuser's call would fail for a false reason). The check is one, in
 * cli_open_db(). */
enum bd_cli_needs {
	BD_CLI_ANYONE = 0,
	BD_CLI_OPERATOR,
};

struct bd_cli {
	struct bd_config *cfg;
	const char *user;	 /* --user: the demo operator to act as, or NULL */
	const char *command;	 /* the command word being run */
	enum bd_cli_needs needs; /* of that command */
};

/* The command-line format of a batch import file, for `batch import --help`
 * and the README. */
#define BD_CLI_BATCH_CSV_HELP                                                                      \
	"batch import: --mode single (keyed once, the default), single_qa (once, a sample\n"       \
	"reviewed in QA) or double (keyed twice blind, differences adjudicated); --priority\n"     \
	"0-99, higher keyed first (default 0); --sla HOURS from now (default 24).\n\n"             \
	"FILE.csv is CSV (RFC 4180: comma-separated; a value holding a comma, a quote or a\n"      \
	"line break in \"double quotes\", a quote inside doubled), UTF-8 (a BOM is allowed),\n"    \
	"every row with as many cells as the header. The header row names the columns\n"           \
	"(any order, case ignored):\n"                                                             \
	"  external_ref   required (or: ref, reference): the document's reference, unique\n"       \
	"                 in the file, at most 100 characters\n"                                   \
	"  source         optional (or: source_path, image): the scanned image's path,\n"          \
	"                 shown to the clerk\n"                                                    \
	"  FIELD          a field name of the document type (its screen file; see\n"               \
	"                 'backdesk doctype list CLIENT'): the value is pre-filled and\n"          \
	"                 checked as the keying form checks it\n"                                  \
	"Any other column is refused, and so is a file already imported for that client\n"         \
	"(the same references on the same lines) unless --again is given.\n"                       \
	"Example:\n"                                                                               \
	"  external_ref,source,policy,patient,amount1\n"                                           \
	"  C-001,/scans/c001.tif,AB-12345674,\"Doe, John\",125.00\n"

/* The help of `backdesk deploy --help`. */
#define BD_CLI_DEPLOY_HELP                                                                         \
	"deploy sshd prints the sshd_config drop-in for the operators' group (ssh.group,\n"        \
	"or --group): its members get the backdesk binary (ssh.binary, or --binary; with\n"        \
	"--config FILE, ForceCommand passes it on) and nothing else: no shell, no\n"               \
	"forwarding of any kind, and a dead link ends within a minute. Install it as\n"            \
	"/etc/ssh/sshd_config.d/backdesk.conf.\n\n"                                                \
	"deploy check, as root on an application host, says line by line what is right\n"          \
	"(ok) and what is wrong (WRONG), and exits 1 when anything is wrong: sshd's\n"             \
	"effective settings for an operator (sshd -T; --login LOGIN, default the group's\n"        \
	"first member; --addr ADDR, the client address to check for, default 192.0.2.1;\n"         \
	"--sshd-config FILE, default sshd's own), the database reached as that operator and\n"     \
	"at this binary's schema, no password in a file or the environment (conninfo,\n"           \
	"~/.pgpass, PGPASSWORD), the configuration file's permissions, and every operator\n"       \
	"role with a Unix account in the group and every member of the group an operator.\n"

/* Each command: its function, word, usage, one line of help, what it needs
 * (enum bd_cli_needs) and more help for `backdesk COMMAND --help` ("" when
 * the usage says it all). */
#define BD_CLI_COMMANDS(X)                                                                         \
	X(config, "config", "", "print the effective settings and where each came from",           \
	  BD_CLI_ANYONE, "")                                                                       \
	X(db, "db", "status [--conninfo] | start | stop | backup FILE | restore FILE [--force]",   \
	  "manage the embedded local database", BD_CLI_ANYONE,                                     \
	  "backup FILE writes the cluster's roles and its database to one file; restore FILE\n"    \
	  "puts both back (creating the cluster when there is none) and refuses a database\n"      \
	  "that holds data unless --force.\n")                                                     \
	X(migrate, "migrate", "", "apply pending schema migrations", BD_CLI_ANYONE, "")            \
	X(client, "client", "add CODE NAME | list", "manage client companies", BD_CLI_ANYONE, "")  \
	X(user, "user",                                                                            \
	  "add LOGIN --role ROLE [--name NAME] [--client CODE]... [--unix]\n"                      \
	  "         | list | disable LOGIN | enable LOGIN",                                        \
	  "manage operators", BD_CLI_ANYONE,                                                       \
	  "add --unix also creates the Unix account on this host (as root): in the group\n"        \
	  "ssh.group, which sshd lets run Backdesk only ('backdesk deploy sshd').\n")              \
	X(assign, "assign", "LOGIN CLIENT [--remove]", "assign an operator to a client",           \
	  BD_CLI_ANYONE, "")                                                                       \
	X(audit, "audit", "verify [CLIENT] [--heads FILE] | heads [CLIENT]",                       \
	  "check the audit trail's hash chains; export their heads", BD_CLI_ANYONE,                \
	  "verify checks every client's chain (a chain deleted whole is reported too); with\n"     \
	  "--heads FILE, also that each chain still holds the heads exported to FILE by\n"         \
	  "'backdesk audit heads > FILE' (keep that file outside the database).\n")                \
	X(doctype, "doctype", "load CLIENT FILE | list CLIENT",                                    \
	  "data-entry document types (screen files stored in the database)", BD_CLI_OPERATOR, "")  \
	X(batch, "batch",                                                                          \
	  "import CLIENT DOCTYPE FILE.csv [--priority N] [--sla HOURS] [--mode MODE] [--again]\n"  \
	  "         | export BATCH --format csv|json [--out FILE] [--partial] | list CLIENT",      \
	  "data-entry batches of documents", BD_CLI_OPERATOR, BD_CLI_BATCH_CSV_HELP)               \
	X(ledger, "ledger",                                                                        \
	  "report trial-balance|pl|balance-sheet|account CLIENT [--as-of DATE] [--from DATE]\n"    \
	  "           [--to DATE] [--account CODE] [--csv] [--out FILE]\n"                         \
	  "         | export CLIENT --format hledger|csv [--out FILE]\n"                           \
	  "         | import CLIENT FILE.csv|FILE.journal\n"                                       \
	  "         | pending [CLIENT]\n"                                                          \
	  "         | approve CLIENT ENTRY_ID:VERSION...",                                         \
	  "general ledger reports, interchange and approval", BD_CLI_OPERATOR,                     \
	  "approve names the version 'ledger pending' shows: an entry changed since is "           \
	  "refused.\n")                                                                            \
	X(deploy, "deploy",                                                                        \
	  "sshd [--group GROUP] [--binary PATH]\n"                                                 \
	  "         | check [--login LOGIN] [--sshd-config FILE] [--addr ADDR]",                   \
	  "set up and check an application host operators reach over SSH", BD_CLI_ANYONE,          \
	  BD_CLI_DEPLOY_HELP)                                                                      \
	X(demo, "demo", "[--reset] [--no-ui] [--user NAME]",                                       \
	  "seeded demo database, then the TUI as a demo operator", BD_CLI_ANYONE, "")

#define BD_CLI_DECLARE(fn, word, usage, help, needs, details)                                      \
	int bd_cli_##fn(struct bd_cli *cli, int argc, char **argv);
BD_CLI_COMMANDS(BD_CLI_DECLARE)
#undef BD_CLI_DECLARE

/* The global options, for `backdesk --help` and the manual page. */
#define BD_CLI_GLOBAL_OPTIONS                                                                      \
	"Options (before or after the command):\n"                                                 \
	"  --config FILE      read this configuration file\n"                                      \
	"  --set NAME=VALUE   override one setting (see 'backdesk config')\n"                      \
	"  --user NAME        act as this operator (embedded demo database only)\n"                \
	"  --version, --help  (--help after a command: that command's help)\n"

/* Runs the TUI (the default command). */
int bd_cli_tui(struct bd_cli *cli, bool demo);

/* The command line's print path (cli_output.c): from begin to end, stdout
 * and stderr pass every byte through the output gate. bd_cli_data_out() is
 * the stream for data meant for another program: the raw stdout when that
 * is a file or a pipe, the gated one on a terminal. The TUI ends it first. */
void bd_cli_output_begin(void);
void bd_cli_output_end(void);
FILE *bd_cli_data_out(void);

/* Prints a whole result as an aligned table with a header line. */
struct bd_db_result;
void bd_cli_print_table(const struct bd_db_result *res);

#endif
