#ifndef BACKDESK_CLI_H
#define BACKDESK_CLI_H
/*
 * The subcommands of the backdesk binary, for scripting and provisioning:
 * the dispatcher (src/main.c) runs the platform's commands below and every
 * module's (the commands of its struct bd_module, module.h), each as
 * command.h describes. `backdesk --help` lists them all: the platform's
 * config, db and migrate first, then the modules' in the order of the
 * module list, then demo.
 */
#include <stdbool.h>
#include <stddef.h>

#include "backdesk/command.h"

/* The platform's commands: function, word, usage, one line of help, what it
 * needs, more help (see struct bd_cli_command). */
#define BD_CLI_PLATFORM_COMMANDS(X)                                                                \
	X(config, "config", "", "print the effective settings and where each came from",           \
	  BD_CLI_ANYONE, "")                                                                       \
	X(db, "db", "status [--conninfo] | start | stop | backup FILE | restore FILE [--force]",   \
	  "manage the embedded local database", BD_CLI_ANYONE,                                     \
	  "backup FILE writes the cluster's roles and its database to one file; restore FILE\n"    \
	  "puts both back (creating the cluster when there is none) and refuses a database\n"      \
	  "that holds data unless --force.\n")                                                     \
	X(migrate, "migrate", "", "apply pending schema migrations", BD_CLI_ANYONE, "")            \
	X(demo, "demo", "[--reset] [--no-ui] [--user NAME]",                                       \
	  "seeded demo database, then the TUI as a demo operator", BD_CLI_ANYONE, "")

#define BD_CLI_DECLARE(fn, word, usage, help, needs, details)                                      \
	int bd_cli_##fn(struct bd_cli *cli, int argc, char **argv);
BD_CLI_PLATFORM_COMMANDS(BD_CLI_DECLARE)
#undef BD_CLI_DECLARE

/*
 * Every command, the platform's and the modules', in --help order,
 * NULL-ended; the caller frees the array (not the commands: static data).
 */
const struct bd_cli_command **bd_cli_commands(void);

/* Runs the TUI (the default command). */
int bd_cli_tui(struct bd_cli *cli, bool demo);

#endif
