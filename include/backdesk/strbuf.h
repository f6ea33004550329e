#ifndef BACKDESK_STRBUF_H
#define BACKDESK_STRBUF_H
/*
 * Growable NUL-terminated byte strings, in the manner of git's strbuf.
 *
 * `buf` is never NULL: an empty strbuf points at a shared "" until the first
 * write, so it can always be passed as a C string. `len` excludes the NUL.
 * strbuf_release() frees and reinitialises; strbuf_detach() hands the
 * malloc'd buffer to the caller, who frees it.
 */
#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char strbuf_empty[];
#define STRBUF_INIT                                                                                \
	{                                                                                          \
		0, 0, strbuf_empty                                                                 \
	}

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_reset(struct strbuf *sb);
void strbuf_setlen(struct strbuf *sb, size_t len);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
__attribute__((format(printf, 2, 3))) void strbuf_addf(struct strbuf *sb, const char *fmt, ...);
__attribute__((format(printf, 2, 0))) void strbuf_vaddf(struct strbuf *sb, const char *fmt,
							va_list ap);
/* Removes trailing whitespace. */
void strbuf_rtrim(struct strbuf *sb);

#endif
