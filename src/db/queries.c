/*
 * The named-query catalogue: every "-- name: module.verb" block of every
 * embedded file under sql/queries/, parsed once on first use.
 */
#include "backdesk/db.h"
#include "db_internal.h"
#include "backdesk/embedded.h"
#include "backdesk/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct named_query {
	char *name;
	char *sql;
};

static struct named_query *catalogue;
static size_t catalogue_len, catalogue_alloc;

static const char NAME_MARK[] = "-- name:";

static int
compare_queries(const void *a, const void *b)
{
	return strcmp(((const struct named_query *)a)->name, ((const struct named_query *)b)->name);
}

/* The SQL is the block's bytes as they stand, trailing space trimmed: one
 * allocation a query (sign-on parses the whole catalogue). */
static void
add_query(const char *path, const char *name, size_t name_len, const char *sql, size_t len)
{
	while (len && (sql[len - 1] == ' ' || sql[len - 1] == '\t' || sql[len - 1] == '\n' ||
		       sql[len - 1] == '\r'))
		len--;
	if (!len)
		bd_die("%s: query %.*s has no SQL", path, (int)name_len, name);
	BD_GROW(catalogue, catalogue_len + 1, catalogue_alloc);
	catalogue[catalogue_len].name = xstrndup(name, name_len);
	catalogue[catalogue_len].sql = xstrndup(sql, len);
	catalogue_len++;
}

static void
parse_file(const struct bd_embedded_file *f)
{
	const char *line = f->data, *end = f->data + f->len;
	const char *name = NULL, *sql = NULL;
	size_t name_len = 0;

	while (line < end) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		size_t len = eol ? (size_t)(eol - line) : (size_t)(end - line);

		if (len >= sizeof(NAME_MARK) - 1 &&
		    !strncmp(line, NAME_MARK, sizeof(NAME_MARK) - 1)) {
			const char *n = line + sizeof(NAME_MARK) - 1;
			const char *ne = line + len;

			if (name)
				add_query(f->path, name, name_len, sql, (size_t)(line - sql));
			while (n < ne && (*n == ' ' || *n == '\t'))
				n++;
			while (ne > n && (ne[-1] == ' ' || ne[-1] == '\t' || ne[-1] == '\r'))
				ne--;
			name = n;
			name_len = (size_t)(ne - n);
			sql = eol ? eol + 1 : end;
		}
		line += len + 1;
	}
	if (name)
		add_query(f->path, name, name_len, sql, (size_t)(end - sql));
}

static void
load_catalogue(void)
{
	const struct bd_embedded_file *f;
	size_t i;

	if (catalogue)
		return;
	for (f = bd_embedded_files; f->path; f++)
		if (!strncmp(f->path, "sql/queries/", 12))
			parse_file(f);
	if (!catalogue)
		catalogue = xcalloc(1, sizeof(*catalogue));
	qsort(catalogue, catalogue_len, sizeof(*catalogue), compare_queries);
	for (i = 1; i < catalogue_len; i++)
		if (!strcmp(catalogue[i - 1].name, catalogue[i].name))
			bd_die("sql/queries: query %s is defined twice", catalogue[i].name);
}

int
bd_query_index(const char *name)
{
	struct named_query key = {(char *)name, NULL}, *hit;

	load_catalogue();
	hit = bsearch(&key, catalogue, catalogue_len, sizeof(*catalogue), compare_queries);
	return hit ? (int)(hit - catalogue) : -1;
}

const char *
bd_query_sql(const char *name)
{
	int i = bd_query_index(name);

	return i < 0 ? NULL : catalogue[i].sql;
}

size_t
bd_query_count(void)
{
	load_catalogue();
	return catalogue_len;
}

const char *
bd_query_name(size_t index)
{
	load_catalogue();
	return index < catalogue_len ? catalogue[index].name : NULL;
}
