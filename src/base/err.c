#include "backdesk/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
bd_err_clear(struct bd_err *err)
{
	if (!err)
		return;
	err->kind = BD_ERR_NONE;
	err->sqlstate[0] = err->msg[0] = err->detail[0] = err->field[0] = '\0';
}

void
bd_err_set(struct bd_err *err, enum bd_err_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	bd_err_clear(err);
	err->kind = kind;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

void
bd_err_detail(struct bd_err *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
	va_end(ap);
}

void
bd_err_locate(struct bd_err *err, const char *file)
{
	char msg[sizeof(err->msg)];
	char *end;
	long line;

	if (!err || (err->kind != BD_ERR_INVALID && err->kind != BD_ERR_CONFLICT))
		return;
	memcpy(msg, err->msg, sizeof(msg));
	if (strncmp(msg, "Line ", 5) == 0 && (line = strtol(msg + 5, &end, 10)) > 0 &&
	    end[0] == ':' && end[1] == ' ')
		snprintf(err->msg, sizeof(err->msg), "%s:%ld: %s", file, line, end + 2);
	else
		snprintf(err->msg, sizeof(err->msg), "%s: %s", file, msg);
}
