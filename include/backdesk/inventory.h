#ifndef BACKDESK_INVENTORY_H
#define BACKDESK_INVENTORY_H
/*
 * Inventory (issue 18): items, locations, stock moves, blind counts and
 * their reports, for one client at a time. Every rule lives in the database
 * (sql/migrations/050_inventory.sql, sql/functions/inventory/): stock never
 * negative per item, location and lot under any concurrency, costing
 * (moving average or FIFO per item), backdated moves revalued at once,
 * posting through the ledger interface, approvals through the registry.
 * This module calls the named queries of sql/queries/inventory.sql and
 * reads and writes files; its screens are in inventory_ui.c, its command
 * in inventory_cli.c.
 *
 * Errors: 0/-1 (or NULL) with err set: msg for the user (a refused import
 * names "FILE:LINE: reason"), the SQLSTATE and detail for the log.
 */
#include "backdesk/command.h"
#include "backdesk/db.h"
#include "backdesk/err.h"
#include "backdesk/session.h"
#include "backdesk/strbuf.h"

/*
 * Imports items from CSV text (csv.h's reader; `source` names the file in
 * messages). The header names the columns, any order, case ignored: code,
 * description, unit (required), category, valuation (average, fifo or
 * empty: the client's; what each does with a backdated move:
 * inventory.settings_set), barcode, min, max, location (min and max are at
 * that location).
 * Any other column is refused. All or nothing: the first bad row refuses the
 * file with "FILE:LINE: reason" and nothing changes. *imported: the rows.
 */
int bd_inventory_import_items(struct bd_db *db, const char *client, const char *text, size_t len,
			      const char *source, long *imported, struct bd_err *err);

/*
 * A stock move's lines as move_create takes them, from a grid's cells:
 * `cells` is rows x 6 values (item, qty, location, to_location, lot,
 * unit_cost; NULL or "" for none), a row without item and quantity skipped.
 * Appends the JSON array to `out`; returns the lines written.
 */
int bd_inventory_lines_json(struct strbuf *out, const char *const *cells, int rows);

/* The screens (entry points of module.c). */
enum bd_ui_action bd_inventory_receive(struct bd_session *s);
enum bd_ui_action bd_inventory_issue(struct bd_session *s);
enum bd_ui_action bd_inventory_transfer(struct bd_session *s);
enum bd_ui_action bd_inventory_count(struct bd_session *s);
enum bd_ui_action bd_inventory_stock(struct bd_session *s);
enum bd_ui_action bd_inventory_valuation(struct bd_session *s);
enum bd_ui_action bd_inventory_moves(struct bd_session *s);
enum bd_ui_action bd_inventory_reorder(struct bd_session *s);
/* A move or count left unfinished (module.c's drafts): `record` is the
 * move's kind (receipt, issue, transfer), NULL for a count. */
enum bd_ui_action bd_inventory_move_resume(struct bd_session *s, const char *record,
					   const char *data, size_t len);
enum bd_ui_action bd_inventory_count_resume(struct bd_session *s, const char *record,
					    const char *data, size_t len);

/* backdesk inventory ... */
int bd_inventory_cli(struct bd_cli *cli, int argc, char **argv);

#endif
