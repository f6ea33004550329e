#ifndef BACKDESK_EMBEDDED_H
#define BACKDESK_EMBEDDED_H
/*
 * Files compiled into the binary at build time: sql/ (migrations, named
 * queries, demo seed) and screens/. Paths are relative to the source root,
 * e.g. "sql/migrations/001_core.sql". Data is NUL-terminated; len excludes it.
 */
#include <stddef.h>

struct bd_embedded_file {
	const char *path;
	const char *data;
	size_t len;
	const char *sha256; /* of the bytes, lowercase hex (migrate.checksum's) */
};

/* Terminated by an entry whose path is NULL; sorted by path. */
extern const struct bd_embedded_file bd_embedded_files[];

/* The SHA-256 (lowercase hex) of one "path sha256\n" line for each migration
 * and function file, in path order: what migrate records in bd_meta.stamp
 * once the database holds exactly these (085_seats.sql), so that a sign-on
 * checks the schema with one lookup. */
extern const char bd_embedded_schema_stamp[];

/* The file at exactly `path`, or NULL. */
const struct bd_embedded_file *bd_embedded_find(const char *path);

#endif
