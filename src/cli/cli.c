/* The command line's table (cli.h): the platform's commands and every
 * module's, from the module list (app.h). */
#include "backdesk/cli.h"

#include "backdesk/app.h"
#include "backdesk/module.h"
#include "backdesk/xalloc.h"

#include <string.h>

#define BD_CLI_ENTRY(fn, word, usage, help, needs, details)                                        \
	{word, usage, help, needs, details, bd_cli_##fn},
static const struct bd_cli_command platform[] = {BD_CLI_PLATFORM_COMMANDS(BD_CLI_ENTRY)};
#undef BD_CLI_ENTRY

enum { PLATFORM_N = sizeof(platform) / sizeof(*platform) };

const struct bd_cli_command **
bd_cli_commands(void)
{
	const struct bd_module *const *m;
	const struct bd_cli_command *c, **out;
	size_t n = PLATFORM_N, i, k = 0;

	for (m = bd_modules; *m; m++)
		for (c = (*m)->commands; c && c->word; c++)
			n++;
	out = xcalloc(n + 1, sizeof(*out));
	/* config, db, migrate; the modules'; demo last */
	for (i = 0; i + 1 < PLATFORM_N; i++)
		out[k++] = &platform[i];
	for (m = bd_modules; *m; m++)
		for (c = (*m)->commands; c && c->word; c++)
			out[k++] = c;
	out[k] = &platform[PLATFORM_N - 1];
	return out;
}
