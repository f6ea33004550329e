#ifndef BACKDESK_JSON_H
#define BACKDESK_JSON_H
/*
 * The one JSON writer (RFC 8259) for everything sent to the database or
 * exported: strings escaped (quote, backslash, every control character and
 * DEL as \uXXXX or its short form), objects and arrays with their commas kept
 * by a small state. Values are the caller's bytes: invalid UTF-8 is the
 * caller's to refuse before it gets here.
 */
#include <stdbool.h>
#include <stddef.h>

#include "backdesk/strbuf.h"

/* Appends s as a JSON string, quotes included. */
void bd_json_string(struct strbuf *out, const char *s);

#define BD_JSON_DEPTH 16

/* Builds one value into `out`: begin/end nest, key names the next member. */
struct bd_json {
	struct strbuf *out;
	int depth;
	bool first[BD_JSON_DEPTH]; /* no member yet at this depth */
	bool after_key;		   /* a key was written: the value needs no comma */
};

void bd_json_init(struct bd_json *j, struct strbuf *out);
void bd_json_begin_object(struct bd_json *j);
void bd_json_end_object(struct bd_json *j);
void bd_json_begin_array(struct bd_json *j);
void bd_json_end_array(struct bd_json *j);
void bd_json_key(struct bd_json *j, const char *key);
void bd_json_str(struct bd_json *j, const char *s);
/* A number or literal already in JSON form (digits, true, null...). */
void bd_json_raw(struct bd_json *j, const char *literal);
void bd_json_int(struct bd_json *j, long long v);
/* str, or null when s is NULL. */
void bd_json_str_or_null(struct bd_json *j, const char *s);

#endif
