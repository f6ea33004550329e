/* The ledger module's declaration (module.h): journal entries, reports, the
 * chart of accounts, fiscal periods and the ledger command. */
#include "backdesk/ledger.h"
#include "backdesk/ledger_ui.h"
#include "backdesk/module.h"
#include "ledger_recurring.h"

static const struct bd_module_entry entries[] = {
    {"Journal entry", BD_ROLE_ACCOUNTANT, true, 80, bd_ledger_entry_new},
    {"Journal entries", BD_ROLE_ACCOUNTANT, true, 90, bd_ledger_entries},
    {"Recurring entries", BD_ROLE_ACCOUNTANT, true, 100, bd_ledger_recurring},
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
     "           [--to DATE] [--account CODE] [--by-currency] [--csv] [--out FILE]\n"
     "         | export CLIENT --format hledger|csv [--out FILE]\n"
     "         | import CLIENT FILE.csv|FILE.journal [--create-accounts]\n"
     "           [--commodity SYMBOL=CODE]...\n"
     "         | imports [CLIENT] | approve-import CLIENT BATCH:VERSION\n"
     "         | reject-import CLIENT BATCH:VERSION --reason TEXT\n"
     "         | pending [CLIENT]\n"
     "         | approve CLIENT ENTRY_ID:VERSION...\n"
     "         | account add CLIENT NAME [--type TYPE] [--currency CODE]\n"
     "           | account import CLIENT FILE.csv | account list CLIENT\n"
     "         | year open CLIENT YEAR [--start DATE]\n"
     "         | period close|reopen|lock CLIENT YEAR PERIOD\n"
     "         | currency CLIENT [CODE]\n"
     "         | rate set CLIENT CODE DATE RATE | rate import CLIENT FILE.csv\n"
     "           | rate list CLIENT [CODE]\n"
     "         | revalue CLIENT DATE --account NAME\n"
     "         | recurring add CLIENT NAME --entry ID --every month|quarter|year [--day N]\n"
     "           --start DATE [--end DATE] | recurring list CLIENT\n"
     "         | recurring post [CLIENT] --through DATE [--draft]",
     "general ledger reports, interchange, chart, calendar, currencies and approval",
     BD_CLI_OPERATOR, bd_ledger_cli_details, bd_ledger_cli},
    {0},
};

const struct bd_module bd_module_ledger = {
    .name = "ledger",
    .entries = entries,
    .drafts = drafts,
    .approvals = approvals,
    .commands = commands,
};
