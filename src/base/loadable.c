/* Our own shared objects, loaded when first needed. See
 * include/backdesk/loadable.h. */
#include "backdesk/loadable.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Where `make install` puts the objects, relative to the binary's directory
 * (so a tree installed under any PREFIX or DESTDIR finds them), and as
 * configured (CMakeLists.txt). */
#ifndef BD_LOADABLE_RELDIR
#define BD_LOADABLE_RELDIR "../lib/backdesk"
#endif
#ifndef BD_LOADABLE_DIR
#define BD_LOADABLE_DIR "/usr/local/lib/backdesk"
#endif

void *
bd_loadable_open(const char *file, char *why, size_t why_len)
{
	static const char *const where[] = {"", BD_LOADABLE_RELDIR "/"};
	char exe[PATH_MAX], path[PATH_MAX + sizeof(BD_LOADABLE_RELDIR) + 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash = NULL;
	const char *err;
	void *h = NULL;
	size_t i;

	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
	}
	for (i = 0; slash && !h && i < sizeof(where) / sizeof(*where); i++) {
		slash[1] = '\0';
		snprintf(path, sizeof(path), "%s%s%s", exe, where[i], file);
		if (access(path, R_OK) == 0)
			h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	}
	if (!h) {
		snprintf(path, sizeof(path), "%s/%s", BD_LOADABLE_DIR, file);
		h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	}
	if (!h && why_len) {
		err = dlerror();
		snprintf(why, why_len, "%s", err ? err : file);
	}
	return h;
}
