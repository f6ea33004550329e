#ifndef BACKDESK_LEDGER_RECURRING_H
#define BACKDESK_LEDGER_RECURRING_H
/*
 * Recurring journal entries (ledger_recurring.c, 076_ledger_recurring.sql):
 * templates made from an entry, with a monthly, quarterly or yearly
 * schedule, posted as ordinary entries for approval, never twice for a
 * period.
 */
#include "backdesk/db.h"
#include "backdesk/session.h"

/* `backdesk ledger recurring add|list|post ...`: argv[0] is "recurring". */
int bd_ledger_recurring_cli(struct bd_db *db, int argc, char **argv);

/* The ledger menu's "Recurring entries" (screens/ledger.recurring.conf). */
enum bd_ui_action bd_ledger_recurring(struct bd_session *s);

extern const char bd_ledger_recurring_usage[];

#endif
