#ifndef BACKDESK_SUPERVISOR_H
#define BACKDESK_SUPERVISOR_H
/*
 * The supervisor console: the live queue board, claims, operator
 * productivity with its drill-down, the log of queue actions, and the QA
 * review screen. Screens are data (screens/supervisor.*.conf); the queries
 * are sql/queries/supervisor.sql and qa.* of sql/queries/entry.sql, over
 * the entry.* functions of migration 020, which check the role, the
 * client and every rule again and write each action to the audit trail.
 *
 * Live: the board and the claims list follow the active client's queue
 * channel through the kit's live refresh (kit.h; every claim, submit,
 * release, reject, review and supervisor action notifies it, with no
 * payload) on a connection of their own, so the application's connection
 * stays free for queries: at most one refetch every BD_KIT_LIVE_MIN_MS,
 * however many clerks submit, and one more SUP_LIVE_TRAIL_MS after the last
 * notification: keying transactions in flight together notify once
 * between them (entry.notify_keying), so one that commits just after the
 * notifier shows within that second. A slow clock refetch
 * (SUP_LIVE_CLOCK_MS) moves the columns that change with time alone
 * (minutes held, leases running out, SLA ageing); changes by people always
 * come by NOTIFY.
 *
 * Entry points (session.h): each runs until the operator leaves and
 * returns BD_UI_HANGUP when the terminal hung up, else BD_UI_EXIT or
 * BD_UI_MENU (F10).
 */
#include "backdesk/session.h"

#define SUP_LIVE_TRAIL_MS 1000
#define SUP_LIVE_CLOCK_MS 60000

/* The queue board of the active client (supervisor.board), with options
 * on each batch and the claims list (supervisor.claims) behind 5. */
enum bd_ui_action bd_supervisor_board(struct bd_session *s);

/* Every claim of the active client (supervisor.claims): release, reassign. */
enum bd_ui_action bd_supervisor_claims(struct bd_session *s);

/* Operator productivity: the period form (supervisor.productivity_filter),
 * the list (supervisor.productivity), an operator's documents behind 5 and
 * the fields they got wrong behind 5 again. */
enum bd_ui_action bd_supervisor_productivity(struct bd_session *s);

/* Supervisor actions on the active client's queue, newest first. */
enum bd_ui_action bd_supervisor_actions(struct bd_session *s);

#endif
