/* The one JSON writer. See json.h. */
#include "backdesk/json.h"

void
bd_json_string(struct strbuf *out, const char *s)
{
	const unsigned char *p;

	strbuf_addch(out, '"');
	for (p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"':
			strbuf_addstr(out, "\\\"");
			break;
		case '\\':
			strbuf_addstr(out, "\\\\");
			break;
		case '\n':
			strbuf_addstr(out, "\\n");
			break;
		case '\r':
			strbuf_addstr(out, "\\r");
			break;
		case '\t':
			strbuf_addstr(out, "\\t");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				strbuf_addf(out, "\\u%04x", *p);
			else
				strbuf_addch(out, (char)*p);
		}
	}
	strbuf_addch(out, '"');
}

void
bd_json_init(struct bd_json *j, struct strbuf *out)
{
	j->out = out;
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
}

/* The comma before a value or key, unless it is the first or follows a key. */
static void
separate(struct bd_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		strbuf_addch(j->out, ',');
	j->first[j->depth] = false;
}

static void
open_level(struct bd_json *j, char c)
{
	separate(j);
	strbuf_addch(j->out, c);
	if (j->depth + 1 < BD_JSON_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void
close_level(struct bd_json *j, char c)
{
	strbuf_addch(j->out, c);
	if (j->depth > 0)
		j->depth--;
}

void
bd_json_begin_object(struct bd_json *j)
{
	open_level(j, '{');
}

void
bd_json_end_object(struct bd_json *j)
{
	close_level(j, '}');
}

void
bd_json_begin_array(struct bd_json *j)
{
	open_level(j, '[');
}

void
bd_json_end_array(struct bd_json *j)
{
	close_level(j, ']');
}

void
bd_json_key(struct bd_json *j, const char *key)
{
	separate(j);
	bd_json_string(j->out, key);
	strbuf_addch(j->out, ':');
	j->after_key = true;
}

void
bd_json_str(struct bd_json *j, const char *s)
{
	separate(j);
	bd_json_string(j->out, s);
}

void
bd_json_raw(struct bd_json *j, const char *literal)
{
	separate(j);
	strbuf_addstr(j->out, literal);
}

void
bd_json_int(struct bd_json *j, long long v)
{
	separate(j);
	strbuf_addf(j->out, "%lld", v);
}

void
bd_json_str_or_null(struct bd_json *j, const char *s)
{
	if (s)
		bd_json_str(j, s);
	else
		bd_json_raw(j, "null");
}
