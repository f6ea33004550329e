#ifndef BACKDESK_APPROVALS_H
#define BACKDESK_APPROVALS_H
/*
 * The approvals inbox: everything that waits for a second person
 * (maker-checker), across the operator's clients and modules. Today that is
 * journal entries submitted for approval (ledger.approvals_inbox); a module
 * whose work needs a checker adds its kind of item here.
 *
 * The database decides who may approve (never the maker); the inbox shows
 * its refusal as it comes. Accountants and supervisors.
 */
#include "backdesk/session.h"

/* The inbox (screens/approvals.inbox.conf): 1 approves, 4 rejects, 5 shows.
 * Returns BD_UI_HANGUP, BD_UI_MENU or BD_UI_EXIT. */
enum bd_ui_action bd_approvals_inbox(struct bd_session *s);

#endif
