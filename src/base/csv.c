/*
 * RFC 4180 CSV: the reader refuses what it cannot read exactly, the writer
 * quotes what needs it and gates every value. See csv.h.
 */
#include "backdesk/csv.h"

#include "backdesk/text.h"
#include "backdesk/xalloc.h"

#include <stdlib.h>
#include <string.h>

void
bd_csv_reader_init(struct bd_csv_reader *rd, const char *text, size_t len, const char *source)
{
	rd->p = text;
	rd->end = text + len;
	rd->source = source ? source : "input";
	rd->line = 1;
	rd->width = 0;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		rd->p += 3;
}

static void
record_clear(struct bd_csv_record *rec)
{
	size_t i;

	for (i = 0; i < rec->ncells; i++)
		free(rec->cells[i]);
	rec->ncells = 0;
}

void
bd_csv_record_release(struct bd_csv_record *rec)
{
	record_clear(rec);
	free(rec->cells);
	rec->cells = NULL;
	rec->alloc = 0;
}

/*
 * Formula injection: a spreadsheet opening an export runs a cell starting
 * with = + - @ (or a tab or carriage return) as a formula, and what the
 * cells hold was keyed by clerks from documents anyone may send. The writer
 * puts an apostrophe before such a cell (spreadsheets show it as text and
 * hide the apostrophe), unless it is a plain number such as -12.50; the
 * reader takes that one apostrophe off again, so an export imports back
 * unchanged. Apostrophes already before a trigger count too ('=x is
 * written ''=x), so every value survives the round trip.
 */
static bool
formula_like(const char *s)
{
	const char *p = s + strspn(s, "'"), *q;

	if (!*p || !strchr("=+-@\t\r", *p))
		return false;
	if (p != s || (*p != '-' && *p != '+'))
		return true;
	/* a plain number: sign, digits, at most one decimal point */
	q = p + 1;
	q += strspn(q, "0123456789");
	if (q == p + 1)
		return true;
	if (*q == '.') {
		q++;
		if (!strspn(q, "0123456789"))
			return true;
		q += strspn(q, "0123456789");
	}
	return *q != '\0';
}

static void
add_cell(struct bd_csv_record *rec, struct strbuf *cell)
{
	if (cell->len > 1 && cell->buf[0] == '\'' && formula_like(cell->buf + 1)) {
		memmove(cell->buf, cell->buf + 1, cell->len);
		cell->len--;
	}
	BD_GROW(rec->cells, rec->ncells + 1, rec->alloc);
	rec->cells[rec->ncells++] = strbuf_detach(cell, NULL);
}

/* The bytes of one record's line(s) must be text: no NUL, valid UTF-8. */
static int
check_text(const char *source, const char *from, const char *to, int line, struct bd_err *err)
{
	const char *nul = memchr(from, '\0', (size_t)(to - from));
	const char *p;

	if (nul) {
		for (p = from; p < nul; p++)
			line += *p == '\n';
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: a NUL byte: this is not a text file",
			   source, line);
		return -1;
	}
	for (p = from; p < to;) {
		uint32_t cp;
		size_t n;

		if (!(*p & 0x80)) { /* ASCII: itself */
			line += *p++ == '\n';
			continue;
		}
		n = bd_utf8_decode(p, (size_t)(to - p), &cp);

		/* U+FFFD decoded from anything but its own three bytes is a bad byte. */
		if (cp == BD_REPLACEMENT_CHAR && !(n == 3 && !memcmp(p, "\xef\xbf\xbd", 3))) {
			bd_err_set(err, BD_ERR_INVALID,
				   "%s:%d: invalid UTF-8 (save the file as UTF-8)", source, line);
			return -1;
		}
		line += *p == '\n';
		p += n;
	}
	return 0;
}

int
bd_text_file_check(const char *text, size_t len, const char *source, struct bd_err *err)
{
	return check_text(source ? source : "input", text, text + len, 1, err);
}

int
bd_csv_next(struct bd_csv_reader *rd, struct bd_csv_record *rec, struct bd_err *err)
{
	struct strbuf cell = STRBUF_INIT;
	const char *start = rd->p, *p = rd->p;
	int line = rd->line, rc = -1;

	record_clear(rec);
	/* Blank lines are skipped: a record of one empty cell is written "". */
	while (p < rd->end && (*p == '\n' || (*p == '\r' && p + 1 < rd->end && p[1] == '\n'))) {
		p += *p == '\r' ? 2 : 1;
		line++;
	}
	rd->p = start = p;
	rd->line = line;
	if (p >= rd->end)
		return 0;
	rec->line = line;
	for (;;) {
		if (p < rd->end && *p == '"') {
			int opened = line;

			for (p++;; p++) {
				if (p >= rd->end) {
					bd_err_set(
					    err, BD_ERR_INVALID,
					    "%s:%d: a quoted value never ends (a \" is missing)",
					    rd->source, opened);
					goto cleanup;
				}
				if (*p == '"') {
					if (p + 1 < rd->end && p[1] == '"') {
						strbuf_addch(&cell, '"');
						p++;
						continue;
					}
					p++;
					break;
				}
				if (*p == '\n')
					line++;
				strbuf_addch(&cell, *p);
			}
			if (p < rd->end && *p != ',' && *p != '\n' &&
			    !(*p == '\r' && p + 1 < rd->end && p[1] == '\n')) {
				bd_err_set(
				    err, BD_ERR_INVALID,
				    "%s:%d: text after a closing quote (a quote inside a quoted "
				    "value is written \"\")",
				    rd->source, line);
				goto cleanup;
			}
		} else {
			for (; p < rd->end && *p != ',' && *p != '\n'; p++) {
				if (*p == '\r' && p + 1 < rd->end && p[1] == '\n')
					break;
				if (*p == '"') {
					bd_err_set(
					    err, BD_ERR_INVALID,
					    "%s:%d: a quote inside an unquoted value (quote the "
					    "whole value and write \"\")",
					    rd->source, line);
					goto cleanup;
				}
				strbuf_addch(&cell, *p);
			}
		}
		add_cell(rec, &cell);
		if (p < rd->end && *p == ',') {
			p++;
			continue;
		}
		break;
	}
	if (p < rd->end && *p == '\r')
		p++;
	if (p < rd->end && *p == '\n')
		p++;
	if (check_text(rd->source, start, p, rec->line, err) < 0)
		goto cleanup;
	if (!rd->width)
		rd->width = rec->ncells;
	else if (rec->ncells != rd->width) {
		bd_err_set(err, BD_ERR_INVALID, "%s:%d: %zu values, but the header has %zu columns",
			   rd->source, rec->line, rec->ncells, rd->width);
		goto cleanup;
	}
	rd->line = line + 1;
	rd->p = p;
	rc = 1;
cleanup:
	strbuf_release(&cell);
	if (rc < 0)
		record_clear(rec);
	return rc;
}

void
bd_csv_cell(struct strbuf *out, const char *value, bool first)
{
	struct strbuf safe = STRBUF_INIT;
	const char *s = value ? value : "", *nl;
	size_t n;
	bool quote, apostrophe;

	/* Gate each line, keeping the line breaks themselves. */
	for (;;) {
		nl = strpbrk(s, "\r\n");
		n = nl ? (size_t)(nl - s) : strlen(s);
		bd_gate(&safe, s, n, -1);
		if (!nl)
			break;
		strbuf_addch(&safe, *nl);
		s = nl + 1;
	}
	n = safe.len;
	apostrophe = n && formula_like(safe.buf);
	quote = n && (strpbrk(safe.buf, ",\"\r\n") || safe.buf[0] == ' ' || safe.buf[n - 1] == ' ');
	if (!first)
		strbuf_addch(out, ',');
	if (!quote) {
		if (apostrophe)
			strbuf_addch(out, '\'');
		strbuf_add(out, safe.buf, n);
	} else {
		strbuf_addch(out, '"');
		if (apostrophe)
			strbuf_addch(out, '\'');
		for (s = safe.buf; *s; s++) {
			if (*s == '"')
				strbuf_addch(out, '"');
			strbuf_addch(out, *s);
		}
		strbuf_addch(out, '"');
	}
	strbuf_release(&safe);
}

void
bd_csv_end_record(struct strbuf *out)
{
	/* A record of one empty cell would be a blank line, which reads as none. */
	if (!out->len || out->buf[out->len - 1] == '\n')
		strbuf_addstr(out, "\"\"");
	strbuf_addstr(out, "\r\n");
}
