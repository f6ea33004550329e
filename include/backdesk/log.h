#ifndef BACKDESK_LOG_H
#define BACKDESK_LOG_H
/*
 * The log: technical detail (SQLSTATEs, server messages, timings) that never
 * belongs on an operator's screen. Goes to stderr until bd_log_open() names a
 * file; the TUI and the commands open one first. Every entry is one line
 * through the output gate.
 */
#include "backdesk/err.h"

enum bd_log_level { BD_LOG_DEBUG, BD_LOG_INFO, BD_LOG_WARN, BD_LOG_ERROR };

/* Appends to `path` (created 0600). Returns 0, or -1 with err set. */
int bd_log_open(const char *path, struct bd_err *err);
void bd_log_close(void);
/* From now until the next bd_log_open(), log entries are dropped (the log
 * file could not be opened, and the detail must not reach the terminal). */
void bd_log_discard(void);
void bd_log_set_level(enum bd_log_level level);
__attribute__((format(printf, 2, 3))) void bd_log(enum bd_log_level level, const char *fmt, ...);
/* Logs err's message and detail at ERROR. */
void bd_log_err(const struct bd_err *err);

#endif
