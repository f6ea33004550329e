/*
 * The one list of modules (module.h). The main menu, the drafts offered
 * back at sign-on and the command line's table are built from it, in this
 * order (the menu by each entry's order first). Adding a module is adding
 * its name here: X(name) stands for src/modules/<name>/module.c's
 * bd_module_<name>.
 */
#include "backdesk/app.h"
#include "backdesk/module.h"

#define BD_MODULES(X) X(admin) X(entry) X(supervisor) X(ledger) X(approvals) X(payroll) X(inventory)

#define BD_MODULE_DECLARE(name) extern const struct bd_module bd_module_##name;
BD_MODULES(BD_MODULE_DECLARE)
#undef BD_MODULE_DECLARE

#define BD_MODULE_ADDRESS(name) &bd_module_##name,
const struct bd_module *const bd_modules[] = {BD_MODULES(BD_MODULE_ADDRESS) NULL};
#undef BD_MODULE_ADDRESS
