#ifndef BACKDESK_ADMIN_H
#define BACKDESK_ADMIN_H
/*
 * The admin screens: clients, operators (role, client assignments,
 * disable/enable) and the audit log viewer. Declared in screens/admin.*.conf
 * and driven through the UI's modal calls; every write is a named query of
 * sql/queries/admin.sql, so the database checks the caller's role again.
 *
 * Entry points (see session.h): each runs until the operator leaves and
 * returns BD_UI_HANGUP when the terminal hung up (any open form was saved
 * as a draft first), else BD_UI_EXIT (or BD_UI_MENU when F10 asked for the
 * main menu).
 */
#include <stddef.h>

#include "backdesk/session.h"

/* Clients list (admin.clients) and form (admin.client). */
enum bd_ui_action bd_admin_clients(struct bd_session *s);
/* Operators list (admin.operators) and form (admin.operator). */
enum bd_ui_action bd_admin_operators(struct bd_session *s);
/* Audit log: filter form (admin.audit_filter), list (admin.audit), 5=Show. */
enum bd_ui_action bd_admin_audit(struct bd_session *s);

/*
 * Reopens a form from a draft offered at sign-on: `record` is the record
 * being edited (NULL for a new one), data/len the draft (draft.h).
 */
enum bd_ui_action bd_admin_client_resume(struct bd_session *s, const char *record, const char *data,
					 size_t len);
enum bd_ui_action bd_admin_operator_resume(struct bd_session *s, const char *record,
					   const char *data, size_t len);

/*
 * Client codes typed into the operator form ("acme, GLOBEX  acme") as a
 * PostgreSQL array literal for admin.operator_add ("{ACME,GLOBEX}"):
 * upper-cased, separated by spaces or commas, duplicates dropped, order
 * kept. Appended to `out`.
 */
void bd_admin_codes_array(const char *typed, struct strbuf *out);

/* The commands client, user, assign and audit (admin_cli.c; see command.h). */
struct bd_cli;
int bd_admin_cli_client(struct bd_cli *cli, int argc, char **argv);
int bd_admin_cli_user(struct bd_cli *cli, int argc, char **argv);
int bd_admin_cli_assign(struct bd_cli *cli, int argc, char **argv);
int bd_admin_cli_audit(struct bd_cli *cli, int argc, char **argv);

#endif
