#include "backdesk/err.h"

#include <stdio.h>
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
