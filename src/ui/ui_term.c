/*
 * terminfo look-up, kept apart because <term.h> defines macros (lines,
 * columns, ...) that clash with ordinary names elsewhere.
 */
#include "ui_internal.h"

#include <term.h> /* last: its macros would break the declarations above */

bool
ui_term_known(const char *term, int fd)
{
	int errret = 0;
	TERMINAL *saved = cur_term;

	if (setupterm(term, fd, &errret) != OK)
		return false;
	del_curterm(cur_term);
	set_curterm(saved);
	return true;
}
