/* The approvals module's declaration (module.h): the one inbox of what waits
 * for a second person; the kinds it holds are declared by their modules. */
#include "backdesk/approvals.h"
#include "backdesk/module.h"

static const struct bd_module_entry entries[] = {
    {"Approvals inbox", BD_ROLE_ACCOUNTANT | BD_ROLE_SUPERVISOR | BD_ROLE_PAYROLL, false, 100,
     bd_approvals_inbox},
    {0},
};

const struct bd_module bd_module_approvals = {
    .name = "approvals",
    .entries = entries,
};
