/* The ledger module's declaration (module.h): journal entries, reports, the
 * chart of accounts, fiscal periods and the ledger command. */
#include "backdesk/ledger.h"
#include "backdesk/ledger_ui.h"
#include "backdesk/module.h"

static const struct bd_module_entry entries[] = {
    {"Journal entry", BD_ROLE_ACCOUNTANT, true, 80, bd_ledger_entry_new},
    {"Journal entries", BD_ROLE_ACCOUNTANT, true, 90, bd_ledger_entries},
    {"Ledger reports", BD_ROLE_ACCOUNTANT, true, 110, bd_ledger_reports},
    {"Chart of accounts", BD_ROLE_ACCOUNTANT, true, 120, bd_ledger_chart},
    {"Fiscal periods", BD_ROLE_ACCOUNTANT | BD_ROLE_SUPERVISOR, true, 130, bd_ledger_periods},
    {0},
};

static const struct bd_module_draft drafts[] = {
    {"ledger.entry", "journal entry", BD_ROLE_ACCOUNTANT, bd_ledger_entry_resume},
    {0},
};

static const struct bd_module_approval approvals[] = {
    {"ledger.entry", "Journal entry"},
    {0},
};

static const struct bd_cli_command commands[] = {
    {"ledger",
     "report trial-balance|pl|balance-sheet|account CLIENT [--as-of DATE] [--from DATE]\n"
     "           [--to DATE] [--account CODE] [--csv] [--out FILE]\n"
     "         | export CLIENT --format hledger|csv [--out FILE]\n"
     "         | import CLIENT FILE.csv|FILE.journal\n"
     "         | pending [CLIENT]\n"
     "         | approve CLIENT ENTRY_ID:VERSION...",
     "general ledger reports, interchange and approval", BD_CLI_OPERATOR,
     "approve names the version 'ledger pending' shows: an entry changed since is refused.\n",
     bd_ledger_cli},
    {0},
};

const struct bd_module bd_module_ledger = {
    .name = "ledger",
    .entries = entries,
    .drafts = drafts,
    .approvals = approvals,
    .commands = commands,
};
