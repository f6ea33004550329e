#include "backdesk/embedded.h"

#include <string.h>

const struct bd_embedded_file *
bd_embedded_find(const char *path)
{
	const struct bd_embedded_file *f;

	for (f = bd_embedded_files; f->path; f++)
		if (!strcmp(f->path, path))
			return f;
	return NULL;
}
