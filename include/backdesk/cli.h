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
	X(deploy, "deploy",                                                                        \
	  "sshd [--group GROUP] [--binary PATH]\n"                                                 \
	  "         | check [--login LOGIN] [--sshd-config FILE] [--addr ADDR]",                   \
	  "set up and check an application host operators reach over SSH", BD_CLI_ANYONE,          \
	  BD_CLI_DEPLOY_HELP)                                                                      \
	X(demo, "demo", "[--reset] [--no-ui] [--user NAME]",                                       \
	  "seeded demo database, then the TUI as a demo operator", BD_CLI_ANYONE, "")

#define BD_CLI_DECLARE(fn, word, usage, help, needs, details)                                      \
	int bd_cli_##fn(struct bd_cli *cli, int argc, char **argv);
BD_CLI_PLATFORM_COMMANDS(BD_CLI_DECLARE)
#undef BD_CLI_DECLARE

/* The global options, for `backdesk --help` and the manual page. */
#define BD_CLI_GLOBAL_OPTIONS                                                                      \
	"Options (before or after the command):\n"                                                 \
	"  --config FILE      read this configuration file\n"                                      \
	"  --set NAME=VALUE   override one setting (see 'backdesk config')\n"                      \
	"  --user NAME        act as this operator (embedded demo database only)\n"                \
	"  --version, --help  (--help after a command: that command's help)\n"

/*
 * Every command, the platform's and the modules', in --help order,
 * NULL-ended; the caller frees the array (not the commands: static data).
 */
const struct bd_cli_command **bd_cli_commands(void);

/* Runs the TUI (the default command). */
int bd_cli_tui(struct bd_cli *cli, bool demo);

#endif
