/* The inventory module's declaration (module.h): stock moves keyed or
 * scanned, blind counts, stock inquiry and the reorder list, the approval
 * kinds of moves and counts, and the inventory command. */
#include "backdesk/inventory.h"
#include "backdesk/module.h"

#define CHECKERS (BD_ROLE_ACCOUNTANT | BD_ROLE_SUPERVISOR)

static const struct bd_module_entry entries[] = {
    /* after every entry the other modules had, so their numbers stay; few,
     * so that each role's menu stays one column at 80x24 */
    {"Receive goods", BD_ROLE_CLERK, true, 170, bd_inventory_receive},
    {"Issue goods", BD_ROLE_CLERK, true, 171, bd_inventory_issue},
    {"Move stock", BD_ROLE_CLERK, true, 172, bd_inventory_transfer},
    {"Stock count", BD_ROLE_CLERK, true, 173, bd_inventory_count},
    {"Stock on hand", BD_ROLE_CLERK | CHECKERS, true, 174, bd_inventory_stock},
    {"Stock moves", CHECKERS, true, 175, bd_inventory_moves},
    {"Reorder list", CHECKERS, true, 176, bd_inventory_reorder},
    {"Stock valuation", CHECKERS, true, 177, bd_inventory_valuation},
    {0},
};

static const struct bd_module_draft drafts[] = {
    /* a move's record part is its kind (inventory.move:receipt) */
    {"inventory.move", "stock move", BD_ROLE_CLERK, bd_inventory_move_resume},
    {"inventory.count", "stock count", BD_ROLE_CLERK, bd_inventory_count_resume},
    {0},
};

static const struct bd_module_approval approvals[] = {
    {"inventory.move", "Stock move"},
    {"inventory.count", "Stock count"},
    {0},
};

static const struct bd_cli_command commands[] = {
    {"inventory",
     "onhand|valuation|reorder|items|locations CLIENT [--as-of DATE] [--csv] [--out FILE]\n"
     "         | card CLIENT ITEM [--location CODE] [--csv] [--out FILE]\n"
     "         | import CLIENT FILE.csv\n"
     "         | reverse CLIENT MOVE_ID [--date DATE]",
     "stock on hand, valuation, stock cards, reorder list, item import", BD_CLI_OPERATOR,
     "import reads items (code, description, unit, category, valuation, barcode, min, max,\n"
     "location): a bad row refuses the whole file as FILE:LINE: reason.\n",
     bd_inventory_cli},
    {0},
};

const struct bd_module bd_module_inventory = {
    .name = "inventory",
    .entries = entries,
    .drafts = drafts,
    .approvals = approvals,
    .commands = commands,
};
