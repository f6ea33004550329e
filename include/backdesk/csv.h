#ifndef BACKDESK_CSV_H
#define BACKDESK_CSV_H
/*
 * CSV as RFC 4180 says, the one reader and writer of every import and export.
 *
 * Reading: a UTF-8 byte-order mark at the start is skipped; records end in
 * CRLF or LF; a quoted cell may hold commas, quotes ("") and line breaks. The
 * reader refuses, with "FILE:LINE: reason" in err->msg, what it cannot read
 * exactly: a NUL byte, invalid UTF-8, a quote that never closes, text after a
 * closing quote, a quote inside an unquoted cell, and a ragged record (a
 * different number of cells from the first record's, the header's). A blank
 * line is skipped (editors and spreadsheets leave them, at the end above
 * all); the writer writes a record of one empty cell as "" so that it reads
 * back. Nothing is trimmed or reinterpreted.
 *
 * Writing: cells are separated by commas and records end in CRLF; a cell is
 * quoted when it holds a comma, quote, CR or LF, or starts or ends with a
 * space. Every value passes the output gate (text.h) line by line, so a
 * control character or bidi override never reaches a spreadsheet or a
 * terminal that shows the file; line breaks inside a value are kept.
 */
#include <stdbool.h>
#include <stddef.h>

#include "backdesk/err.h"
#include "backdesk/strbuf.h"

struct bd_csv_reader {
	const char *p, *end;
	const char *source; /* the file's name, for messages; not owned */
	int line;	    /* the line the next record starts on */
	size_t width;	    /* cells per record, from the first; 0 before it */
};

/* One record: `ncells` malloc'd strings, reused by the next read. */
struct bd_csv_record {
	char **cells;
	size_t ncells, alloc;
	int line; /* the line it started on */
};

/* Reads text[0..len), which the caller keeps alive while reading. */
void bd_csv_reader_init(struct bd_csv_reader *rd, const char *text, size_t len, const char *source);
/* 1: a record in rec; 0: the end; -1: err set ("FILE:LINE: ..."). */
int bd_csv_next(struct bd_csv_reader *rd, struct bd_csv_record *rec, struct bd_err *err);
void bd_csv_record_release(struct bd_csv_record *rec);

/* The reader's check of its bytes, for imports of other text formats (the
 * ledger's journal): 0, or -1 with "FILE:LINE: a NUL byte..." or "...:
 * invalid UTF-8" in err->msg. */
int bd_text_file_check(const char *text, size_t len, const char *source, struct bd_err *err);

/* Appends one cell; `first` for the first of a record (no comma before it).
 * A cell a spreadsheet would run as a formula (starting with = + - @, a tab
 * or a carriage return, but not a plain number such as -12.50) is written
 * with an apostrophe before it, which bd_csv_next() takes off again. */
void bd_csv_cell(struct strbuf *out, const char *value, bool first);
/* Ends a record (CRLF); a record with nothing in it gets its "". */
void bd_csv_end_record(struct strbuf *out);

#endif
