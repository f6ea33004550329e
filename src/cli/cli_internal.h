#ifndef BACKDESK_CLI_INTERNAL_H
#define BACKDESK_CLI_INTERNAL_H
/* Helpers shared by src/cli files only. */
#include "backdesk/cli.h"
#include "backdesk/db.h"
#include "backdesk/err.h"
#include "backdesk/strbuf.h"

/* Prints err->msg to stderr, logs the SQLSTATE and detail if any, returns 1. */
int cli_fail(const struct bd_err *err);
/* Prints the command's usage to stderr, returns 2. */
int cli_usage(const char *command, const char *usage);
/* Runs a named query and prints its rows as a table; returns an exit status. */
int cli_run_and_print(struct bd_db *db, const char *query, int nparams, const char *const *params);

/* Connects as the command's operator; on failure prints why and returns NULL. */
struct bd_db *cli_open_db(struct bd_cli *cli);
/* Appends a whole file to sb (at most 64 MB): 0, or -1 with err set. */
int cli_read_file(const char *path, struct strbuf *sb, struct bd_err *err);

/* Runs the program argv[0] (a path, or searched in PATH) with stdin from
 * /dev/null. With out, its stdout and stderr are appended there; without,
 * they are the caller's. Returns its exit status (128 + the signal when a
 * signal ended it), or -1 with err set when it could not be run. */
int cli_run_program(const char *const *argv, struct strbuf *out, struct bd_err *err);

/* `user add --unix` (cli_deploy.c): the checks made before the database is
 * touched (root, the group ssh.group exists), then the Unix account itself:
 * created in that group, or an existing one added to it. 0, or -1 after
 * printing why. */
int cli_unix_account_check(struct bd_cli *cli);
int cli_unix_account_add(struct bd_cli *cli, const char *login, const char *name);

#endif
