#ifndef BACKDESK_ERR_H
#define BACKDESK_ERR_H
/*
 * Error detail carried beside a 0/-1 (or bool) return.
 *
 * `msg` is for the person at the terminal: what failed, in their words.
 * `detail` is for the log: SQLSTATE, server detail, file and line, errno.
 * Functions that take a `struct bd_err *` fill it on failure and leave it
 * alone on success. A NULL err is allowed and discards the detail.
 */
#include <stdarg.h>
#include <stdbool.h>

enum bd_err_kind {
	BD_ERR_NONE = 0,
	BD_ERR_INVALID,	   /* bad input: a value, a file, an argument */
	BD_ERR_IO,	   /* file system, terminal, process */
	BD_ERR_CONNECTION, /* database unreachable or link lost */
	BD_ERR_PERMISSION, /* the database or OS said no */
	BD_ERR_CONFLICT,   /* unique/foreign key/serialization: try again or change */
	BD_ERR_NOT_FOUND,
	BD_ERR_DATABASE, /* any other database error */
	BD_ERR_INTERNAL,
};

struct bd_err {
	enum bd_err_kind kind;
	char sqlstate[6];
	char msg[256];
	char detail[768];
	/* The input field the database blamed (RAISE ... USING COLUMN = 'name'),
	 * so a form can put the cursor there; "" when none. */
	char field[64];
};

#define BD_ERR_INIT                                                                                \
	{                                                                                          \
		BD_ERR_NONE, "", "", "", ""                                                        \
	}

void bd_err_clear(struct bd_err *err);

/* Sets kind and the user-facing message; clears sqlstate and detail. */
__attribute__((format(printf, 3, 4))) void bd_err_set(struct bd_err *err, enum bd_err_kind kind,
						      const char *fmt, ...);

/* Sets the log-only detail, keeping kind and message. */
__attribute__((format(printf, 2, 3))) void bd_err_detail(struct bd_err *err, const char *fmt, ...);

/* Names the file an input error is about: "Line N: reason" (as the database
 * words what it refuses in the rows it was given) becomes "FILE:N: reason",
 * any other message "FILE: message". Only for BD_ERR_INVALID and
 * BD_ERR_CONFLICT (a lost link is not the file's fault); the rest is kept. */
void bd_err_locate(struct bd_err *err, const char *file);

static inline bool
bd_err_is_set(const struct bd_err *err)
{
	return err && err->kind != BD_ERR_NONE;
}

#endif
