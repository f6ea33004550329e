#ifndef BACKDESK_CLI_H
#define BACKDESK_CLI_H
/*
 * The subcommands of the backdesk binary, for scripting and provisioning.
 * Each takes its own argv (argv[0] is the command word) and returns the
 * process exit status: 0 done, 1 failed, 2 usage or configuration error.
 * Messages go to stderr, results to stdout; every database string printed
 * passes through the output gate.
 */
#include "backdesk/config.h"

struct bd_cli {
	struct bd_config *cfg;
	const char *user; /* --user: the demo operator to act as, or NULL */
};

#define BD_CLI_COMMANDS(X)                                                                         \
	X(config, "config", "", "print the effective settings and where each came from")           \
	X(db, "db", "status [--conninfo] | start | stop | backup FILE | restore FILE [--force]",   \
	  "manage the embedded local database")                                                    \
	X(migrate, "migrate", "", "apply pending schema migrations")                               \
	X(client, "client", "add CODE NAME | list", "manage client companies")                     \
	X(user, "user",                                                                            \
	  "add LOGIN --role ROLE [--name NAME] [--client CODE]... | list | disable LOGIN | "       \
	  "enable LOGIN",                                                                          \
	  "manage operators")                                                                      \
	X(assign, "assign", "LOGIN CLIENT [--remove]", "assign an operator to a client")           \
	X(audit, "audit", "verify [CLIENT]", "check the audit trail's hash chain")                 \
	X(doctype, "doctype", "load CLIENT FILE | list CLIENT",                                    \
	  "data-entry document types (screen files stored in the database)")                       \
	X(batch, "batch",                                                                          \
	  "import CLIENT DOCTYPE FILE.csv [--priority N] [--sla HOURS] [--mode MODE] | "           \
	  "export BATCH --format csv|json [--out FILE] [--partial] | list CLIENT",                 \
	  "data-entry batches of documents")                                                       \
	X(ledger, "ledger", "report|import|export ... (see 'backdesk ledger help')",               \
	  "general ledger reports and interchange")                                                \
	X(demo, "demo", "[--reset] [--no-ui] [--user NAME]",                                       \
	  "seeded demo database, then the TUI as a demo operator")

#define BD_CLI_DECLARE(fn, word, usage, help)                                                      \
	int bd_cli_##fn(struct bd_cli *cli, int argc, char **argv);
BD_CLI_COMMANDS(BD_CLI_DECLARE)
#undef BD_CLI_DECLARE

/* Runs the TUI (the default command). */
int bd_cli_tui(struct bd_cli *cli, bool demo);

/* Prints a whole result as an aligned table with a header line. */
struct bd_db_result;
void bd_cli_print_table(const struct bd_db_result *res);

#endif
