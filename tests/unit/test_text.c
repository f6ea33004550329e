/*
 * UTF-8 helpers and the output gate, against a corpus of hostile strings
 * (tests/fixtures/hostile_strings.txt) and a few thousand random byte
 * strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/strbuf.h"
#include "backdesk/text.h"
#include "backdesk/xalloc.h"

/* ---- helpers --------------------------------------------------------- */

static char *
gate_str(const char *s, size_t n, int max_width, int *width)
{
	struct strbuf sb = STRBUF_INIT;
	int w = bd_gate(&sb, s, n, max_width);

	if (width)
		*width = w;
	return strbuf_detach(&sb, NULL);
}

static void
assert_gate(const char *in, int max_width, const char *expect)
{
	int w;
	char *out = gate_str(in, strlen(in), max_width, &w);

	assert_string_equal(out, expect);
	assert_int_equal(w, bd_text_width(out, strlen(out)));
	free(out);
}

/* Raw UTF-8-style encoding without validity checks, so the corpus can write
 * surrogates and other things a strict encoder refuses. */
static void
raw_encode(struct strbuf *sb, uint32_t cp)
{
	if (cp < 0x80) {
		strbuf_addch(sb, (int)cp);
	} else if (cp < 0x800) {
		strbuf_addch(sb, (int)(0xC0 | (cp >> 6)));
		strbuf_addch(sb, (int)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		strbuf_addch(sb, (int)(0xE0 | (cp >> 12)));
		strbuf_addch(sb, (int)(0x80 | ((cp >> 6) & 0x3F)));
		strbuf_addch(sb, (int)(0x80 | (cp & 0x3F)));
	} else {
		strbuf_addch(sb, (int)(0xF0 | (cp >> 18)));
		strbuf_addch(sb, (int)(0x80 | ((cp >> 12) & 0x3F)));
		strbuf_addch(sb, (int)(0x80 | ((cp >> 6) & 0x3F)));
		strbuf_addch(sb, (int)(0x80 | (cp & 0x3F)));
	}
}

static uint32_t
hex(const char **p, int ndigits)
{
	uint32_t v = 0;

	for (int i = 0; i < ndigits; i++) {
		char c = (*p)[i];

		if (c >= '0' && c <= '9')
			v = v * 16 + (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (uint32_t)(c - 'A' + 10);
		else
			fail_msg("bad hex escape in fixture near '%s'", *p);
	}
	*p += ndigits;
	return v;
}

static void
unescape(struct strbuf *sb, const char *p)
{
	while (*p) {
		if (*p != '\\') {
			strbuf_addch(sb, *p++);
			continue;
		}
		p++;
		switch (*p++) {
		case 'x':
			strbuf_addch(sb, (int)hex(&p, 2));
			break;
		case 'u':
			raw_encode(sb, hex(&p, 4));
			break;
		case 'U':
			raw_encode(sb, hex(&p, 8));
			break;
		case 'e':
			strbuf_addch(sb, 0x1b);
			break;
		case 'r':
			strbuf_addch(sb, '\r');
			break;
		case 'n':
			strbuf_addch(sb, '\n');
			break;
		case 't':
			strbuf_addch(sb, '\t');
			break;
		case 'b':
			strbuf_addch(sb, '\b');
			break;
		case '0':
			strbuf_addch(sb, '\0');
			break;
		case '\\':
			strbuf_addch(sb, '\\');
			break;
		default:
			fail_msg("unknown escape in fixture: '%s'", p - 2);
		}
	}
}

/* Every invariant the gate promises, for one input at one width. */
static void
check_gate_invariants(const char *in, size_t n, int max_width, const char *label)
{
	int w, w2, wfull;
	char *out = gate_str(in, n, max_width, &w);
	char *again = gate_str(out, strlen(out), max_width, &w2);
	char *full = gate_str(in, n, -1, &wfull);
	size_t len = strlen(out);

	if (!bd_utf8_valid(out, len))
		fail_msg("gate output is not valid UTF-8 for %s at width %d", label, max_width);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = bd_utf8_decode(out + i, len - i, &cp);

		if (bd_cp_is_unsafe(cp) || bd_cp_width(cp) < 0)
			fail_msg("unsafe U+%04X survived the gate for %s at width %d", (unsigned)cp,
				 label, max_width);
		i += k;
	}
	assert_null(memchr(out, 0x1b, len));
	if (max_width >= 0) {
		if (w > max_width)
			fail_msg("width %d > max %d for %s", w, max_width, label);
		/* Truncation stops only where the next character does not fit. */
		if (wfull >= max_width && w < max_width - 1)
			fail_msg("width %d wastes space (max %d, full %d) for %s", w, max_width,
				 wfull, label);
		if (wfull <= max_width)
			assert_string_equal(out, full);
	}
	assert_int_equal(w, bd_text_width(out, len));
	/* Idempotent, and a truncation is a prefix of the untruncated output
	 * (no character is ever split or altered by truncation). */
	if (strcmp(out, again) != 0)
		fail_msg("gate not idempotent for %s at width %d", label, max_width);
	assert_int_equal(w, w2);
	assert_memory_equal(out, full, len);
	free(full);
	free(again);
	free(out);
}

/* ---- decoding -------------------------------------------------------- */

static void
test_decode_valid(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(bd_utf8_decode("", 0, &cp), 0);
	assert_int_equal(bd_utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(bd_utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(bd_utf8_decode("\xe4\xb8\xad", 3, &cp), 3);
	assert_int_equal(cp, 0x4E2D);
	assert_int_equal(bd_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(bd_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
	assert_int_equal(bd_utf8_decode("\xef\xbf\xbd", 3, &cp), 3);
	assert_int_equal(cp, 0xFFFD);
	assert_true(bd_utf8_valid("\xef\xbf\xbd", 3));
}

static void
test_decode_invalid(void **state)
{
	static const char *const bad[] = {
	    "\x80", /* lone continuation */
	    "\xbf",
	    "\xc0\xaf", /* overlong '/' */
	    "\xc1\xbf",
	    "\xe0\x80\xaf",	/* overlong 3-byte */
	    "\xf0\x80\x80\xaf", /* overlong 4-byte */
	    "\xed\xa0\x80",	/* U+D800 */
	    "\xed\xbf\xbf",	/* U+DFFF */
	    "\xf4\x90\x80\x80", /* U+110000 */
	    "\xf5\x80\x80\x80",
	    "\xf8\x88\x80\x80\x80",	/* 5-byte */
	    "\xfc\x84\x80\x80\x80\x80", /* 6-byte */
	    "\xfe",
	    "\xff",
	    "\xe4\xb8", /* truncated */
	    "\xc3(",	/* bad continuation */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t cp = 0;

		assert_int_equal(bd_utf8_decode(bad[i], strlen(bad[i]), &cp), 1);
		assert_int_equal(cp, BD_REPLACEMENT_CHAR);
		assert_false(bd_utf8_valid(bad[i], strlen(bad[i])));
	}
	/* n limits the read even when the string goes on. */
	{
		uint32_t cp;

		assert_int_equal(bd_utf8_decode("\xe4\xb8\xad", 2, &cp), 1);
		assert_int_equal(cp, BD_REPLACEMENT_CHAR);
	}
}

static void
test_encode(void **state)
{
	char buf[4];
	uint32_t cps[] = {0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF, 0xE9, 0x4E2D};

	(void)state;
	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		uint32_t back;
		size_t len = bd_utf8_encode(cps[i], buf);

		assert_true(len >= 1 && len <= 4);
		assert_int_equal(bd_utf8_decode(buf, len, &back), len);
		assert_int_equal(back, cps[i]);
		assert_true(bd_utf8_valid(buf, len));
	}
	assert_int_equal(bd_utf8_encode(0xD800, buf), 0);
	assert_int_equal(bd_utf8_encode(0xDFFF, buf), 0);
	assert_int_equal(bd_utf8_encode(0x110000, buf), 0);
	assert_int_equal(bd_utf8_encode(0xFFFFFFFF, buf), 0);
}

static void
test_count_offset(void **state)
{
	const char *s = "a\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80z"; /* a é 中 😀 z */
	size_t n = strlen(s);

	(void)state;
	assert_int_equal(bd_utf8_count(s, n), 5);
	assert_int_equal(bd_utf8_count("", 0), 0);
	assert_int_equal(bd_utf8_offset(s, n, 0), 0);
	assert_int_equal(bd_utf8_offset(s, n, 1), 1);
	assert_int_equal(bd_utf8_offset(s, n, 2), 3);
	assert_int_equal(bd_utf8_offset(s, n, 3), 6);
	assert_int_equal(bd_utf8_offset(s, n, 4), 10);
	assert_int_equal(bd_utf8_offset(s, n, 5), n);
	assert_int_equal(bd_utf8_offset(s, n, 99), n);
	assert_true(bd_utf8_valid(s, n));
	assert_true(bd_utf8_valid("", 0));
	/* Embedded NUL is valid UTF-8 (the gate still neutralises it). */
	assert_true(bd_utf8_valid("a\0b", 3));
}

/* ---- widths and classification --------------------------------------- */

static void
test_widths(void **state)
{
	(void)state;
	assert_int_equal(bd_cp_width('A'), 1);
	assert_int_equal(bd_cp_width(0xE9), 1);
	assert_int_equal(bd_cp_width(0x4E2D), 2);
	assert_int_equal(bd_cp_width(0xFF21), 2);
	assert_int_equal(bd_cp_width(0x1F600), 2);
	assert_int_equal(bd_cp_width(0x0301), 0);
	assert_int_equal(bd_cp_width(0xFFFD), 1);
	assert_int_equal(bd_cp_width(0x241B), 1);
	assert_int_equal(bd_cp_width(0x1B), -1);
	assert_int_equal(bd_cp_width(0x7F), -1);
	assert_int_equal(bd_cp_width(0x9B), -1);
	assert_int_equal(bd_cp_width(0x202E), -1);
	assert_int_equal(bd_cp_width(0x0378), -1); /* unassigned */

	assert_int_equal(bd_text_width("abc", 3), 3);
	assert_int_equal(bd_text_width("\xe4\xb8\xad\xe6\x96\x87", 6), 4);
	assert_int_equal(bd_text_width("e\xcc\x81", 3), 1);
	assert_int_equal(bd_text_width("", 0), 0);
}

static void
test_unsafe_classes(void **state)
{
	static const uint32_t unsafe[] = {
	    0x00,   0x07,   0x08,   0x09,    0x0A,    0x0D,   0x1B,	0x1F,	0x7F,
	    0x80,   0x85,   0x9B,   0x9F,    0xAD,    0x61C,  0x115F,	0x180E, 0x200B,
	    0x200C, 0x200D, 0x200E, 0x200F,  0x2028,  0x2029, 0x202A,	0x202B, 0x202C,
	    0x202D, 0x202E, 0x2060, 0x2066,  0x2067,  0x2068, 0x2069,	0x3164, 0xFEFF,
	    0xFFF9, 0xFFFE, 0xFFFF, 0xE0001, 0xE0041, 0xD800, 0x110000,
	};
	static const uint32_t safe[] = {' ',   'A',    '~',    0xA0,   0xE9,
					0x301, 0x4E2D, 0xFFFD, 0x2400, 0x1F600};

	(void)state;
	for (size_t i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++) {
		if (!bd_cp_is_unsafe(unsafe[i]))
			fail_msg("U+%04X should be unsafe", (unsigned)unsafe[i]);
		assert_int_equal(bd_cp_width(unsafe[i]), -1);
	}
	for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++) {
		if (bd_cp_is_unsafe(safe[i]))
			fail_msg("U+%04X should be safe", (unsigned)safe[i]);
	}
}

/* ---- the gate, by example --------------------------------------------- */

static void
test_gate_controls(void **state)
{
	(void)state;
	assert_gate("plain", -1, "plain");
	assert_gate("", -1, "");
	/* ESC [ 2 J: the ESC becomes the control picture U+241B. */
	assert_gate("\x1b[2J", -1, "\xe2\x90\x9b[2J");
	assert_gate("a\rb", -1,
		    "a\xe2\x90\x8d"
		    "b");
	assert_gate("a\bb", -1,
		    "a\xe2\x90\x88"
		    "b");
	assert_gate("a\tb\n", -1,
		    "a\xe2\x90\x89"
		    "b\xe2\x90\x8a");
	assert_gate("\x7f", -1, "\xe2\x90\xa1");
	/* C1 CSI raw (invalid UTF-8) and encoded (U+009B): both U+FFFD. */
	assert_gate("x\x9b"
		    "2J",
		    -1,
		    "x\xef\xbf\xbd"
		    "2J");
	assert_gate("x\xc2\x9b"
		    "2J",
		    -1,
		    "x\xef\xbf\xbd"
		    "2J");
	/* RLO and isolates. */
	assert_gate("a\xe2\x80\xae"
		    "b",
		    -1,
		    "a\xef\xbf\xbd"
		    "b");
	assert_gate("\xe2\x81\xa6x\xe2\x81\xa9", -1, "\xef\xbf\xbdx\xef\xbf\xbd");
	/* BOM and ZWJ. */
	assert_gate("\xef\xbb\xbfz", -1, "\xef\xbf\xbdz");
	assert_gate("a\xe2\x80\x8d"
		    "b",
		    -1,
		    "a\xef\xbf\xbd"
		    "b");
	/* Overlong '/' is two bad bytes, two replacements. */
	assert_gate("\xc0\xaf", -1, "\xef\xbf\xbd\xef\xbf\xbd");
	/* Surrogate encoded in UTF-8: three bad bytes. */
	assert_gate("\xed\xa0\x80", -1, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* Unassigned code point. */
	assert_gate("\xcd\xb8", -1, "\xef\xbf\xbd");
	/* Embedded NUL through bd_gate() with an explicit length. */
	{
		char *out = gate_str("a\0b", 3, -1, NULL);

		assert_string_equal(out, "a\xe2\x90\x80"
					 "b");
		free(out);
	}
}

static void
test_gate_truncation(void **state)
{
	(void)state;
	assert_gate("abcdef", 3, "abc");
	assert_gate("abcdef", 0, "");
	/* 中文 is four columns: at three only the first fits. */
	assert_gate("\xe4\xb8\xad\xe6\x96\x87", 3, "\xe4\xb8\xad");
	assert_gate("\xe4\xb8\xad\xe6\x96\x87", 4, "\xe4\xb8\xad\xe6\x96\x87");
	assert_gate("\xe4\xb8\xad", 1, "");
	/* A wide character that would overflow stops the line: nothing after it
	 * (even narrow) is drawn, so columns never appear out of order. */
	assert_gate("a\xe4\xb8\xad"
		    "b",
		    2, "a");
	/* Combining marks stay with their base. */
	assert_gate("e\xcc\x81x", 1, "e\xcc\x81");
	/* Control pictures count one column each. */
	assert_gate("\x1b\x1b\x1b", 2, "\xe2\x90\x9b\xe2\x90\x9b");
	{
		int w;
		char *out = gate_str("\xe4\xb8\xad\xe6\x96\x87", 6, 3, &w);

		assert_int_equal(w, 2);
		free(out);
	}
	{
		char *dup = bd_gate_dup("hello\x1b", 5);

		assert_string_equal(dup, "hello");
		free(dup);
		dup = bd_gate_dup(NULL, -1);
		assert_string_equal(dup, "");
		free(dup);
	}
}

static void
test_gate_combining(void **state)
{
	(void)state;
	/* A leading combining mark gets a dotted circle to sit on, so it cannot
	 * combine with whatever is in the previous screen cell. */
	assert_gate("\xcc\x81"
		    "a",
		    -1,
		    "\xe2\x97\x8c\xcc\x81"
		    "a");
	assert_gate("\xcc\x81", 0, "");
	assert_gate("\xcc\x81", 1, "\xe2\x97\x8c\xcc\x81");
	/* A mark after a control sits on the control picture. */
	assert_gate("\x1b\xcc\x81", -1, "\xe2\x90\x9b\xcc\x81");
	/* At most four marks per base (ncursesw's CCHARW_MAX). */
	assert_gate("e\xcc\x81\xcc\x82\xcc\x83\xcc\x84\xcc\x85\xcc\x86", -1,
		    "e\xcc\x81\xcc\x82\xcc\x83\xcc\x84");
	/* Precomposed and decomposed é both one column. */
	assert_gate("caf\xc3\xa9", 4, "caf\xc3\xa9");
	assert_gate("cafe\xcc\x81", 4, "cafe\xcc\x81");
}

/* ---- the gate, by corpus ------------------------------------------------ */

static void
test_gate_hostile_corpus(void **state)
{
	const char *dir = getenv("BD_SOURCE_DIR");
	struct strbuf path = STRBUF_INIT;
	char line[1024];
	FILE *fp;
	int lines = 0;

	(void)state;
	if (!dir)
		fail_msg("BD_SOURCE_DIR is not set (ctest sets it)");
	strbuf_addf(&path, "%s/tests/fixtures/hostile_strings.txt", dir);
	fp = fopen(path.buf, "r");
	if (!fp)
		fail_msg("cannot open %s", path.buf);
	while (fgets(line, sizeof(line), fp)) {
		struct strbuf in = STRBUF_INIT;
		size_t len = strlen(line);

		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		unescape(&in, line);
		for (int w = -1; w <= 20; w++)
			check_gate_invariants(in.buf, in.len, w, line);
		check_gate_invariants(in.buf, in.len, 1000, line);
		lines++;
		strbuf_release(&in);
	}
	fclose(fp);
	strbuf_release(&path);
	assert_true(lines >= 50);
}

/* Random bytes biased towards the interesting ones: the same invariants. */
static void
test_gate_random(void **state)
{
	static const unsigned char alphabet[] = {
	    'a',  ' ',	0x00, 0x1b, 0x7f, 0x80, 0x9b, 0xbf, 0xc0, 0xc2,
	    0xcc, 0xe0, 0xe2, 0xe4, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xf8,
	    0xff, 0x81, 0xa0, 0xad, 0xbb, 0x8d, 0xae, 0x9f, 0x98, 0xb8,
	};
	uint64_t seed = 0x2545F4914F6CDD1DULL;
	char buf[48];

	(void)state;
	for (int iter = 0; iter < 4000; iter++) {
		size_t len;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		len = (size_t)(seed >> 59) + 1;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			if ((seed >> 60) < 12)
				buf[i] = (char)alphabet[(seed >> 33) % sizeof(alphabet)];
			else
				buf[i] = (char)(seed >> 40);
		}
		check_gate_invariants(buf, len, (int)(iter % 12) - 1, "random bytes");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode_valid),   cmocka_unit_test(test_decode_invalid),
	    cmocka_unit_test(test_encode),	   cmocka_unit_test(test_count_offset),
	    cmocka_unit_test(test_widths),	   cmocka_unit_test(test_unsafe_classes),
	    cmocka_unit_test(test_gate_controls),  cmocka_unit_test(test_gate_truncation),
	    cmocka_unit_test(test_gate_combining), cmocka_unit_test(test_gate_hostile_corpus),
	    cmocka_unit_test(test_gate_random),
	};

	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fprintf(stderr, "no C.UTF-8 locale: widths cannot be tested\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
