#ifndef BACKDESK_XALLOC_H
#define BACKDESK_XALLOC_H
/*
 * Allocation that never returns NULL: out of memory calls bd_die(), which
 * runs the registered fatal hook (the terminal restores itself) first.
 */
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grows *array (of *alloc elements of `size` bytes) to hold at least `need`. */
void bd_grow(void **array, size_t *alloc, size_t need, size_t size);
#define BD_GROW(array, need, alloc) bd_grow((void **)&(array), &(alloc), (need), sizeof(*(array)))

/* The number of elements of an array (not a pointer). */
#define NELEM(a) (sizeof(a) / sizeof(*(a)))

/* Runs once before a fatal exit; the UI registers its terminal restore here. */
void bd_set_fatal_hook(void (*hook)(void));
__attribute__((noreturn, format(printf, 1, 2))) void bd_die(const char *fmt, ...);

#endif
