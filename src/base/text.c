/*
 * UTF-8 text and the output gate (see include/backdesk/text.h).
 *
 * Decoding is strict RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF, no 5- or 6-byte forms. Each bad byte is one U+FFFD, so a
 * damaged string keeps its length roughly and resynchronises at the next
 * good lead byte.
 *
 * Widths come from wcwidth() under the process's locale, so they agree with
 * what ncursesw draws. The stand-ins the gate itself emits are fixed at
 * width 1 so the gate stays idempotent even under a locale whose wcwidth()
 * does not know them.
 */
#include "backdesk/text.h"
#include "backdesk/strbuf.h"

#include <limits.h>
#include <string.h>
#include <wchar.h>

/* ncursesw keeps at most CCHARW_MAX (5) wide characters per cell: one
 * spacing character and four combining ones. More are dropped by the gate. */
#define GATE_MAX_MARKS 4

/* Drawn in front of a combining mark that has no base in the string, so the
 * mark cannot combine with whatever the screen holds in the previous cell. */
#define DOTTED_CIRCLE 0x25CCu

static size_t
decode(const unsigned char *s, size_t n, uint32_t *cp, bool *ok)
{
	unsigned char c;
	size_t len;
	uint32_t v, min;
	unsigned char lo = 0x80, hi = 0xBF;

	*ok = true;
	if (n == 0) {
		*cp = 0;
		return 0;
	}
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		v = c & 0x1Fu;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		v = c & 0x0Fu;
		min = 0x800;
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		else if (c == 0xED)
			hi = 0x9F; /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		v = c & 0x07u;
		min = 0x10000;
		if (c == 0xF0)
			lo = 0x90; /* overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
	} else {
		goto bad; /* continuation byte, C0/C1 overlong lead, F5..FF */
	}
	if (n < len)
		goto bad;
	if (s[1] < lo || s[1] > hi)
		goto bad;
	v = (v << 6) | (s[1] & 0x3Fu);
	for (size_t i = 2; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		v = (v << 6) | (s[i] & 0x3Fu);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		goto bad; /* unreachable given the ranges above; kept as a guard */
	*cp = v;
	return len;
bad:
	*ok = false;
	*cp = BD_REPLACEMENT_CHAR;
	return 1;
}

size_t
bd_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	bool ok;

	return decode((const unsigned char *)s, n, cp, &ok);
}

size_t
bd_utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp <= 0x10FFFF) {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

bool
bd_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		bool ok;

		i += decode(p + i, n - i, &cp, &ok);
		if (!ok)
			return false;
	}
	return true;
}

size_t
bd_utf8_count(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, count = 0;

	while (i < n) {
		uint32_t cp;
		bool ok;

		i += decode(p + i, n - i, &cp, &ok);
		count++;
	}
	return count;
}

size_t
bd_utf8_offset(const char *s, size_t n, size_t index)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n && index > 0) {
		uint32_t cp;
		bool ok;

		i += decode(p + i, n - i, &cp, &ok);
		index--;
	}
	return i;
}

bool
bd_cp_is_unsafe(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
		return true; /* C0, DEL, C1 (0x9B is CSI, 0x85 NEL) */
	if (cp < 0xA0)
		return false;
	switch (cp) {
	case 0x00AD: /* soft hyphen: drawn or not, by terminal */
	case 0x061C: /* Arabic letter mark */
	case 0x115F: /* Hangul choseong filler (invisible, wcwidth 2) */
	case 0x1160: /* Hangul jungseong filler */
	case 0x180E: /* Mongolian vowel separator */
	case 0x3164: /* Hangul filler */
	case 0xFEFF: /* BOM / zero-width no-break space */
	case 0xFFA0: /* halfwidth Hangul filler */
		return true;
	default:
		break;
	}
	if (cp >= 0x200B && cp <= 0x200F)
		return true; /* ZWSP, ZWNJ, ZWJ, LRM, RLM */
	if (cp >= 0x2028 && cp <= 0x202E)
		return true; /* line/paragraph separators, LRE..RLO */
	if (cp >= 0x2060 && cp <= 0x206F)
		return true; /* word joiner, invisible operators, LRI..PDI, deprecated */
	if (cp >= 0xFDD0 && cp <= 0xFDEF)
		return true; /* noncharacters */
	if ((cp & 0xFFFE) == 0xFFFE)
		return true; /* U+xFFFE, U+xFFFF noncharacters */
	if (cp >= 0xFFF9 && cp <= 0xFFFB)
		return true; /* interlinear annotation */
	if (cp >= 0x1D173 && cp <= 0x1D17A)
		return true; /* musical symbol format controls */
	if (cp >= 0xE0000 && cp <= 0xE007F)
		return true; /* tag characters ("ASCII smuggling") */
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return true;
	if (cp > 0x10FFFF)
		return true;
	return false;
}

static bool
is_standin(uint32_t cp)
{
	return cp == BD_REPLACEMENT_CHAR || cp == DOTTED_CIRCLE || (cp >= 0x2400 && cp <= 0x2421);
}

int
bd_cp_width(uint32_t cp)
{
	int w;

	if (is_standin(cp))
		return 1;
	if (bd_cp_is_unsafe(cp))
		return -1;
	w = wcwidth((wchar_t)cp);
	if (w < 0 || w > 2)
		return -1;
	return w;
}

static uint32_t
standin(uint32_t cp)
{
	if (cp < 0x20)
		return 0x2400 + cp;
	if (cp == 0x7F)
		return 0x2421;
	return BD_REPLACEMENT_CHAR;
}

static void
put_cp(struct strbuf *out, uint32_t cp)
{
	char tmp[4];
	size_t len;

	if (!out)
		return;
	len = bd_utf8_encode(cp, tmp);
	strbuf_add(out, tmp, len);
}

/* The gate proper; out == NULL only measures. */
static int
gate(struct strbuf *out, const char *s, size_t n, int max_width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int used = 0;
	int marks = 0;
	bool have_base = false;

	while (i < n) {
		uint32_t cp;
		bool ok;
		int w;

		i += decode(p + i, n - i, &cp, &ok);
		if (!ok || bd_cp_is_unsafe(cp)) {
			cp = ok ? standin(cp) : BD_REPLACEMENT_CHAR;
			w = 1;
		} else {
			w = bd_cp_width(cp);
			if (w < 0) {
				cp = BD_REPLACEMENT_CHAR;
				w = 1;
			}
		}
		if (w == 0) {
			if (have_base) {
				if (marks >= GATE_MAX_MARKS)
					continue;
				marks++;
				put_cp(out, cp);
				continue;
			}
			if (max_width >= 0 && used + 1 > max_width)
				break;
			put_cp(out, DOTTED_CIRCLE);
			put_cp(out, cp);
			used += 1;
			have_base = true;
			marks = 1;
			continue;
		}
		if ((max_width >= 0 && used + w > max_width) || used > INT_MAX - 2)
			break;
		put_cp(out, cp);
		used += w;
		have_base = true;
		marks = 0;
	}
	return used;
}

int
bd_text_width(const char *s, size_t n)
{
	return gate(NULL, s, n, -1);
}

int
bd_gate(struct strbuf *out, const char *s, size_t n, int max_width)
{
	return gate(out, s, n, max_width);
}

char *
bd_gate_dup(const char *s, int max_width)
{
	struct strbuf sb = STRBUF_INIT;

	if (s)
		gate(&sb, s, strlen(s), max_width);
	return strbuf_detach(&sb, NULL);
}

size_t
bd_utf8_partial_tail(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t back;

	/* A lead byte at most three bytes from the end whose sequence runs past
	 * it, with only continuation bytes after it. */
	for (back = 1; back <= 3 && back <= n; back++) {
		unsigned char c = p[n - back];
		size_t len;

		if ((c & 0xC0) == 0x80)
			continue;
		len = c >= 0xF0 && c <= 0xF4   ? 4
		      : c >= 0xE0 && c <= 0xEF ? 3
		      : c >= 0xC2 && c <= 0xDF ? 2
					       : 0;
		return len > back ? back : 0;
	}
	return 0;
}

void
bd_gate_lines(struct strbuf *out, const char *s, size_t n)
{
	size_t start = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] != '\n' && s[i] != '\t')
			continue;
		gate(out, s + start, i - start, -1);
		strbuf_addch(out, s[i]);
		start = i + 1;
	}
	gate(out, s + start, n - start, -1);
}

uint64_t
bd_text_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}
