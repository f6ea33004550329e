/* The payroll module's declaration (module.h): the pay run kind of the
 * approvals registry and the payroll command. Its screens come with
 * payroll_ui.c. */
#include "backdesk/module.h"
#include "backdesk/payroll.h"

#include "payroll_out_internal.h"

static const struct bd_module_entry entries[] = {
    /* label, roles, needs a client, menu order, entry point (payroll_ui.c) */
    {"Pay runs", BD_ROLE_PAYROLL, true, 95, bd_payroll_runs},
    {0},
};

static const struct bd_module_approval approvals[] = {
    {"payroll.run", "Pay run"},
    {0},
};

static const struct bd_cli_command commands[] = {
    {"payroll",
     "import employees|pay|inputs|components CLIENT FILE.csv\n"
     "         | export employees CLIENT [--out FILE]\n"
     "         | pack load FILE.csv        (admins: packs are the firm's)\n"
     "         | settings CLIENT NET_PAY SALARY_EXPENSE EMPLOYER_EXPENSE [ALERT_PCT CURRENCY]\n"
     "         | agency CLIENT AGENCY ACCOUNT\n"
     "         | run create CLIENT PAY_GROUP KIND START END PAY_DATE\n"
     "         | run compute CLIENT RUN | run submit CLIENT RUN:VERSION\n"
     "         | approve CLIENT RUN:VERSION | reject CLIENT RUN:VERSION REASON\n"
     "         | runs CLIENT | register CLIENT RUN [--csv] | payslip CLIENT RUN NUMBER\n"
     "         | reveal CLIENT NUMBER FIELD\n"
     "         | payslips CLIENT RUN DIR | remittance CLIENT RUN [--out FILE.csv]\n"
     "         | bankfile CLIENT RUN --format xml|csv [--account ACCOUNT] [--bic BIC] [--out "
     "FILE]\n"
     "         | ytd CLIENT YEAR [--through DATE] [--out FILE.csv]\n"
     "         | certificate CLIENT YEAR [EMPLOYEE] [--out FILE.csv]",
     "payroll: employees, packs, pay runs and their approval", BD_CLI_OPERATOR,
     "Imports are all or nothing: a refused record names FILE:LINE and nothing is kept.\n"
     "Ids and bank accounts are masked in every list and export; reveal shows one and is\n"
     "audited. approve and submit name the version 'payroll runs' shows.\n",
     bd_payroll_cli},
    {0},
};

const struct bd_module bd_module_payroll = {
    .name = "payroll",
    .entries = entries,
    .approvals = approvals,
    .commands = commands,
};
