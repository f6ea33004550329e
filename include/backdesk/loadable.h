#ifndef BACKDESK_LOADABLE_H
#define BACKDESK_LOADABLE_H
/*
 * Shared objects of our own loaded when first needed (backdesk-output.so
 * for payslips and bank files, backdesk-image.so for document images), so
 * that their libraries (cairo, pango, libxml2, gdk-pixbuf, poppler,
 * libsixel and the ~50 they pull in) are not loaded and relocated by every
 * session before its first screen (README, Capacity).
 */
#include <stddef.h>

/*
 * dlopen of `file` beside the running binary (the build directory), else
 * where `make install` put it relative to the binary's bin/, else in the
 * configured library directory. The handle, or NULL with the reason in why.
 */
void *bd_loadable_open(const char *file, char *why, size_t why_len);

#endif
