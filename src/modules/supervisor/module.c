/* The supervisor module's declaration (module.h): the queue board, claims,
 * productivity and queue actions. */
#include "backdesk/module.h"
#include "backdesk/supervisor.h"

static const struct bd_module_entry entries[] = {
    {"Queue board", BD_ROLE_SUPERVISOR, true, 20, bd_supervisor_board},
    {"Claims", BD_ROLE_SUPERVISOR, true, 30, bd_supervisor_claims},
    {"Operator productivity", BD_ROLE_SUPERVISOR, false, 40, bd_supervisor_productivity},
    {"Queue actions", BD_ROLE_SUPERVISOR, true, 50, bd_supervisor_actions},
    {0},
};

const struct bd_module bd_module_supervisor = {
    .name = "supervisor",
    .entries = entries,
};
