#ifndef BACKDESK_COMMAND_H
#define BACKDESK_COMMAND_H
/*
 * What every subcommand of the backdesk binary shares, the platform's
 * (src/cli: config, db, migrate, demo) and the modules' (declared in their
 * struct bd_module, module.h): who runs it, connecting, errors, usage,
 * result tables, reading files, and the gated print path.
 *
 * A command takes its own argv (argv[0] is the command word) and returns the
 * process exit status: 0 done, 1 failed, 2 usage or configuration error.
 * Messages go to stderr, results to stdout; every byte printed passes
 * through the output gate (bd_cli_output_begin).
 */
#include <stdbool.h>
#include <stdio.h>

#include "backdesk/config.h"
#include "backdesk/db.h"
#include "backdesk/err.h"
#include "backdesk/strbuf.h"

/* Who a command may run as: anyone the database lets in (provisioning, which
 * a superuser or an admin does), or an active operator (business data, which
 * the database shows only to the operators assigned to a client, so a
 * superuser's call would fail for a false reason). The check is one, in
 * bd_cli_open_db(). */
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

/* A command: its word, usage, one line of help, what it needs and more help
 * for `backdesk COMMAND --help` ("" when the usage says it all). */
struct bd_cli_command {
	const char *word;
	const char *usage;
	const char *help;
	enum bd_cli_needs needs;
	const char *details;
	int (*run)(struct bd_cli *cli, int argc, char **argv);
};

/* Prints err->msg to stderr, logs the SQLSTATE and detail if any, returns 1. */
int bd_cli_fail(const struct bd_err *err);
/* Prints the command's usage to stderr, returns 2. */
int bd_cli_usage(const char *command, const char *usage);
/* An option's value that must be a date (YYYY-MM-DD): 0 with *date = arg,
 * or -1 with the reason on stderr. */
int bd_cli_date_option(const char *arg, const char **date);
/* Runs a named query and prints its rows as a table; returns an exit status. */
int bd_cli_run_and_print(struct bd_db *db, const char *query, int nparams,
			 const char *const *params);
/* Prints a whole result as an aligned table with a header line. */
void bd_cli_print_table(const struct bd_db_result *res);

/* Connects as the command's operator (cli->user, checked against cli->needs);
 * on failure prints why and returns NULL. The caller frees the connection. */
struct bd_db *bd_cli_open_db(struct bd_cli *cli);
/*
 * The same for a read-only command (reports, inquiries): when
 * database.report_conninfo names a standby, connects there too and, when it
 * signs on the same operator, returns that connection instead (the primary's
 * is closed); when the standby cannot be reached, says so on stderr and
 * returns the primary's. One place for the choice, as
 * bd_session_report_db() is for the screens. On stderr also the standby's
 * lag when it is a second or more. NULL on failure, message printed.
 */
struct bd_db *bd_cli_open_report_db(struct bd_cli *cli);
/* Appends a whole file to sb (at most 64 MB): 0, or -1 with err set. */
int bd_cli_read_file(const char *path, struct strbuf *sb, struct bd_err *err);

/* Runs the program argv[0] (a path, or searched in PATH) with stdin from
 * /dev/null. With out, its stdout and stderr are appended there; without,
 * they are the caller's. Returns its exit status (128 + the signal when a
 * signal ended it), or -1 with err set when it could not be run. */
int bd_cli_run_program(const char *const *argv, struct strbuf *out, struct bd_err *err);

/* The command line's print path (command_output.c): from begin to end, stdout
 * and stderr pass every byte through the output gate. bd_cli_data_out() is
 * the stream for data meant for another program: the raw stdout when that
 * is a file or a pipe, the gated one on a terminal. The TUI ends it first. */
void bd_cli_output_begin(void);
void bd_cli_output_end(void);
FILE *bd_cli_data_out(void);

#endif
