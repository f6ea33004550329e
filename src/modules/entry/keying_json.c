/*
 * The flat JSON of the queue functions (prefill, dup values, agreed values,
 * adjudication diffs): objects of names to scalars, and arrays of them.
 * See include/backdesk/keying.h. PostgreSQL writes this JSON, so the
 * reader is strict and small rather than general.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/keying.h"
#include "backdesk/strbuf.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"

void
bd_keying_obj_init(struct bd_keying_obj *o)
{
	memset(o, 0, sizeof(*o));
}

void
bd_keying_obj_release(struct bd_keying_obj *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		free(o->keys[i]);
		free(o->values[i]);
	}
	free(o->keys);
	free(o->values);
	bd_keying_obj_init(o);
}

const char *
bd_keying_obj_get(const struct bd_keying_obj *o, const char *key)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return o->values[i];
	return NULL;
}

static void
obj_add(struct bd_keying_obj *o, char *key, char *value)
{
	if (o->n == o->alloc) {
		o->alloc = o->alloc * 2 + 8;
		o->keys = xrealloc(o->keys, o->alloc * sizeof(*o->keys));
		o->values = xrealloc(o->values, o->alloc * sizeof(*o->values));
	}
	o->keys[o->n] = key;
	o->values[o->n++] = value;
}

struct reader {
	const char *p;
	struct bd_err *err;
};

static void
skip_ws(struct reader *r)
{
	while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')
		r->p++;
}

static int
bad(struct reader *r, const char *what)
{
	bd_err_set(r->err, BD_ERR_INVALID, "The database sent unreadable values (%s)", what);
	return -1;
}

static int
hex4(const char *p, uint32_t *out)
{
	int i;

	*out = 0;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		*out <<= 4;
		if (c >= '0' && c <= '9')
			*out |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*out |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*out |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/* A JSON string at r->p (the opening quote) into a malloc'd *out. */
static int
read_string(struct reader *r, char **out)
{
	struct strbuf sb = STRBUF_INIT;

	if (*r->p != '"')
		return bad(r, "string expected");
	for (r->p++; *r->p != '"'; r->p++) {
		char buf[4];
		uint32_t cp, lo;

		if (!*r->p) {
			strbuf_release(&sb);
			return bad(r, "unterminated string");
		}
		if (*r->p != '\\') {
			strbuf_addch(&sb, *r->p);
			continue;
		}
		switch (*++r->p) {
		case 'n':
			strbuf_addch(&sb, '\n');
			break;
		case 't':
			strbuf_addch(&sb, '\t');
			break;
		case 'r':
			strbuf_addch(&sb, '\r');
			break;
		case 'b':
			strbuf_addch(&sb, '\b');
			break;
		case 'f':
			strbuf_addch(&sb, '\f');
			break;
		case 'u':
			if (hex4(r->p + 1, &cp) < 0)
				goto bad_escape;
			r->p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && r->p[1] == '\\' && r->p[2] == 'u' &&
			    hex4(r->p + 3, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				r->p += 6;
			}
			if (cp == 0 || (cp >= 0xd800 && cp < 0xe000))
				cp = 0xfffd;
			strbuf_add(&sb, buf, bd_utf8_encode(cp, buf));
			break;
		case '"':
		case '\\':
		case '/':
			strbuf_addch(&sb, *r->p);
			break;
		default:
			goto bad_escape;
		}
	}
	r->p++;
	*out = strbuf_detach(&sb, NULL);
	return 0;
bad_escape:
	strbuf_release(&sb);
	return bad(r, "bad escape");
}

/* A scalar: string, number, true, false or null (*out NULL). */
static int
read_scalar(struct reader *r, char **out)
{
	size_t n;

	if (*r->p == '"')
		return read_string(r, out);
	if (!strncmp(r->p, "null", 4)) {
		r->p += 4;
		*out = NULL;
		return 0;
	}
	n = strspn(r->p, "0123456789+-.eEtruefals");
	if (!n)
		return bad(r, "value expected");
	*out = xstrndup(r->p, n);
	r->p += n;
	return 0;
}

static int
read_object(struct reader *r, struct bd_keying_obj *o)
{
	skip_ws(r);
	if (*r->p != '{')
		return bad(r, "object expected");
	r->p++;
	skip_ws(r);
	if (*r->p == '}') {
		r->p++;
		return 0;
	}
	for (;;) {
		char *key = NULL, *value = NULL;

		skip_ws(r);
		if (read_string(r, &key) < 0)
			return -1;
		skip_ws(r);
		if (*r->p != ':') {
			free(key);
			return bad(r, "':' expected");
		}
		r->p++;
		skip_ws(r);
		if (read_scalar(r, &value) < 0) {
			free(key);
			return -1;
		}
		obj_add(o, key, value);
		skip_ws(r);
		if (*r->p == ',') {
			r->p++;
			continue;
		}
		if (*r->p != '}')
			return bad(r, "'}' expected");
		r->p++;
		return 0;
	}
}

static int
at_end(struct reader *r)
{
	skip_ws(r);
	return *r->p ? bad(r, "text after the end") : 0;
}

int
bd_keying_json_object(const char *json, struct bd_keying_obj *o, struct bd_err *err)
{
	struct reader r = {json ? json : "", err};

	skip_ws(&r);
	if (!*r.p || !strcmp(r.p, "null"))
		return 0;
	if (read_object(&r, o) < 0 || at_end(&r) < 0) {
		bd_keying_obj_release(o);
		return -1;
	}
	return 0;
}

int
bd_keying_json_array(const char *json, struct bd_keying_obj **objs, size_t *n, struct bd_err *err)
{
	struct reader r = {json ? json : "", err};
	size_t alloc = 0, i;

	*objs = NULL;
	*n = 0;
	skip_ws(&r);
	if (!*r.p || !strcmp(r.p, "null"))
		return 0;
	if (*r.p != '[') {
		bad(&r, "array expected");
		return -1;
	}
	r.p++;
	skip_ws(&r);
	if (*r.p == ']') {
		r.p++;
		return at_end(&r);
	}
	for (;;) {
		BD_GROW(*objs, *n + 1, alloc);
		bd_keying_obj_init(&(*objs)[*n]);
		(*n)++;
		if (read_object(&r, &(*objs)[*n - 1]) < 0)
			goto fail;
		skip_ws(&r);
		if (*r.p == ',') {
			r.p++;
			continue;
		}
		if (*r.p != ']') {
			bad(&r, "']' expected");
			goto fail;
		}
		r.p++;
		if (at_end(&r) < 0)
			goto fail;
		return 0;
	}
fail:
	for (i = 0; i < *n; i++)
		bd_keying_obj_release(&(*objs)[i]);
	free(*objs);
	*objs = NULL;
	*n = 0;
	return -1;
}
