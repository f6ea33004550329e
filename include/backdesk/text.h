#ifndef BACKDESK_TEXT_H
#define BACKDESK_TEXT_H
/*
 * UTF-8 text and the output gate.
 *
 * Every string that reaches the terminal from the database, from a file or
 * from the keyboard is drawn through bd_gate(). Its output is valid UTF-8 with
 * no C0, DEL or C1 control, no bidi control (U+202A..U+202E, U+2066..U+2069,
 * U+200E, U+200F, U+061C) and no zero-width or invisible format character
 * (U+200B..U+200D, U+2060, U+FEFF, ...): each is replaced by a visible,
 * width-1 stand-in (control pictures for C0/DEL, U+FFFD otherwise). Invalid
 * UTF-8 becomes U+FFFD. The gate is idempotent: gate(gate(s)) == gate(s).
 *
 * Widths are terminal columns as ncurses will draw them (wcwidth() under the
 * process's UTF-8 locale; callers set one with setlocale(LC_ALL, "")).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backdesk/strbuf.h"

#define BD_REPLACEMENT_CHAR 0xFFFDu

/* Decodes one code point from s[0..n). Returns the bytes consumed (1..4, or 0
 * when n == 0); invalid or overlong sequences and surrogates consume one byte
 * and yield BD_REPLACEMENT_CHAR. */
size_t bd_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Encodes cp into out; returns 1..4, or 0 for a code point UTF-8 cannot hold. */
size_t bd_utf8_encode(uint32_t cp, char out[4]);

bool bd_utf8_valid(const char *s, size_t n);

/* Number of code points in a valid UTF-8 string. */
size_t bd_utf8_count(const char *s, size_t n);

/* Byte offset of code point index `index` (clamped to n). */
size_t bd_utf8_offset(const char *s, size_t n, size_t index);

/* Display width of one code point: 0 (combining), 1 or 2; -1 for a control. */
int bd_cp_width(uint32_t cp);

/* Display width of a gated (safe) string. */
int bd_text_width(const char *s, size_t n);

/* True when cp must never reach the terminal as itself. */
bool bd_cp_is_unsafe(uint32_t cp);

/*
 * Appends to `out` the safe rendering of s[0..n), truncated to at most
 * `max_width` columns (no character split; a wide character that would
 * overflow is dropped). max_width < 0 means no limit. Returns the width.
 */
int bd_gate(struct strbuf *out, const char *s, size_t n, int max_width);

/* bd_gate() into a fresh malloc'd string. */
char *bd_gate_dup(const char *s, int max_width);

/*
 * The gate for text of several lines (the command line's output): appends
 * s[0..n) gated, with no width limit, keeping its line breaks and tabs ('\n',
 * '\t': layout that cannot drive a terminal); every other control character
 * is replaced as by bd_gate().
 */
void bd_gate_lines(struct strbuf *out, const char *s, size_t n);

/* How many bytes at the end of s[0..n) begin a UTF-8 sequence that the bytes
 * after them do not complete (0..3): what a stream keeps for its next write. */
size_t bd_utf8_partial_tail(const char *s, size_t n);

/* FNV-1a of a NUL-terminated string: the hash of the house's small
 * open-addressing tables (codes seen in an import, accounts by name). */
uint64_t bd_text_hash(const char *s);

#endif
