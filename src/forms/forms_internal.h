#ifndef BACKDESK_FORMS_INTERNAL_H
#define BACKDESK_FORMS_INTERNAL_H
/* Shared by the sources in src/forms/ only. */
#include <stdint.h>

#include "backdesk/field.h"

/*
 * Parses a min/max bound (or a default) for f's type (integer, decimal,
 * money, date; f->scale already set) into *num (integer or units of
 * 10^-scale; 0 for dates) and a malloc'd normalised text in *norm (ISO for
 * dates). Returns 0, or -1 when the text is not a value of that type.
 */
int bd_field_parse_bound(struct bd_field_def *f, const char *text, int64_t *num, char **norm);

/* Byte offset just past the character (code point + combining marks) at off. */
size_t bd_field_next_char(const char *s, size_t n, size_t off);

/* Compares two saved values of field f's type (numbers by value, dates and
 * text byte-wise): <0, 0, >0. */
int bd_field_compare_saved(const struct bd_field_def *f, const char *a, const char *b);

#endif
