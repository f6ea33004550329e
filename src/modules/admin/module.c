/* The admin module's declaration (module.h): clients, operators, the audit log. */
#include "backdesk/admin.h"
#include "backdesk/module.h"

static const struct bd_module_entry entries[] = {
    {"Clients", BD_ROLE_ADMIN, false, 140, bd_admin_clients},
    {"Operators", BD_ROLE_ADMIN, false, 150, bd_admin_operators},
    {"Audit log", BD_ROLE_ADMIN | BD_ROLE_ACCOUNTANT | BD_ROLE_SUPERVISOR, false, 160,
     bd_admin_audit},
    {0},
};

static const struct bd_module_draft drafts[] = {
    {"admin.client", "Client form", BD_ROLE_ADMIN, bd_admin_client_resume},
    {"admin.operator", "Operator form", BD_ROLE_ADMIN, bd_admin_operator_resume},
    {0},
};

static const struct bd_cli_command commands[] = {
    {"client", "add CODE NAME | list", "manage client companies", BD_CLI_ANYONE, "",
     bd_admin_cli_client},
    {"user",
     "add LOGIN --role ROLE [--name NAME] [--client CODE]... [--unix]\n"
     "         | list | disable LOGIN | enable LOGIN",
     "manage operators", BD_CLI_ANYONE,
     "add --unix also creates the Unix account on this host (as root): in the group\n"
     "ssh.group, which sshd lets run Backdesk only ('backdesk deploy sshd').\n",
     bd_admin_cli_user},
    {"assign", "LOGIN CLIENT [--remove]", "assign an operator to a client", BD_CLI_ANYONE, "",
     bd_admin_cli_assign},
    {"audit", "verify [CLIENT] [--heads FILE] | heads [CLIENT]",
     "check the audit trail's hash chains; export their heads", BD_CLI_ANYONE,
     "verify checks every client's chain (a chain deleted whole is reported too); with\n"
     "--heads FILE, also that each chain still holds the heads exported to FILE by\n"
     "'backdesk audit heads > FILE' (keep that file outside the database).\n",
     bd_admin_cli_audit},
    {0},
};

const struct bd_module bd_module_admin = {
    .name = "admin",
    .entries = entries,
    .drafts = drafts,
    .commands = commands,
};
