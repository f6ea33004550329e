#ifndef BACKDESK_DB_INTERNAL_H
#define BACKDESK_DB_INTERNAL_H
/* Shared between the files of src/db only. */
#include <stddef.h>

/* Index of a named query in the sorted catalogue, or -1. */
int bd_query_index(const char *name);

#endif
