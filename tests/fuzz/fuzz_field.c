/*
 * libFuzzer target: a key stream driven into a form with every field type.
 *
 * Each input byte is one key: 0x00..0x1f are edit operations (see ops[]),
 * 0xf8..0xff take the next three bytes as a code point (so CJK, combining
 * marks, bidi controls, surrogates and out-of-range values all get typed),
 * anything else is typed as the code point of that byte (Latin-1, C1
 * controls included). After every key the invariants are checked: values
 * are valid UTF-8 and no longer than their field allows, picture values fit
 * their mask, the current field and the cursor are in range, the view slice
 * is inside the value and the cursor column inside the field.
 */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/form.h"
#include "backdesk/screen.h"
#include "backdesk/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char screen_text[] =
    "screen = { name = \"fuzz.claim\"; fields = (\n"
    "{ name = \"policy\"; label = \"Policy\"; picture = \"AA-99N9X\"; upshift = true;\n"
    "  check_digit = \"luhn\"; dup = true; auto_advance = true; },\n"
    "{ name = \"member\"; label = \"Member\"; width = 6; length = 12; required = true; },\n"
    "{ name = \"kind\"; type = \"choice\"; values = [\"IN\", \"OUT\", \"INT\"]; dup = true;\n"
    "  auto_advance = true; },\n"
    "{ name = \"provider\"; type = \"lookup\"; lookup = \"q\"; width = 5; upshift = true;\n"
    "  pattern = \"^[A-Z0-9]+$\"; },\n"
    "{ name = \"date\"; type = \"date\"; default = \"today\"; dup = true; },\n"
    "{ name = \"count\"; type = \"integer\"; width = 4; min = -50; max = 500; },\n"
    "{ name = \"amount\"; type = \"money\"; min = \"0.01\"; max = \"99999.99\"; dup = true; },\n"
    "{ name = \"rate\"; type = \"decimal\"; scale = 3; width = 7; },\n"
    "{ name = \"ref\"; width = 10; check_digit = \"mod11\"; },\n"
    "{ name = \"flag\"; type = \"flag\"; default = \"N\"; auto_advance = true; },\n"
    "{ name = \"batch\"; width = 4; readonly = true; default = \"B1\"; }\n"
    "); };\n";

static struct bd_screen screen;
static int ready;

static void
check(const struct bd_form *form)
{
	size_t off, len, n;
	int col;

	if (form->current >= form->nfields)
		abort();
	for (size_t i = 0; i < form->nfields; i++) {
		const struct bd_field_def *f = &screen.fields[i];
		const char *v = form->values[i];
		if (!bd_utf8_valid(v, strlen(v)))
			abort();
		if (bd_chars_count(v) > (size_t)f->length && !f->readonly)
			abort();
		if (f->picture && !bd_field_partial_ok(f, v))
			abort();
		col = bd_form_field_view(form, i, &off, &len);
		if (off + len > strlen(v) || col < 0 || col >= f->width)
			abort();
	}
	n = bd_chars_count(form->values[form->current]);
	if (form->cursor > n)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_form form;
	struct bd_err err = BD_ERR_INIT;
	struct strbuf draft = STRBUF_INIT;

	if (!ready) {
		setlocale(LC_ALL, "C.UTF-8");
		if (bd_screen_parse(&screen, screen_text, "fuzz", &err) < 0)
			abort();
		ready = 1;
	}
	bd_form_init(&form, &screen);
	bd_form_load_defaults(&form);
	for (size_t i = 0; i < size; i++) {
		uint8_t b = data[i];
		bd_err_clear(&err);
		if (b < 0x20) {
			switch (b % 16) {
			case 0:
				bd_form_backspace(&form, &err);
				break;
			case 1:
				bd_form_delete(&form, &err);
				break;
			case 2:
				bd_form_left(&form);
				break;
			case 3:
				bd_form_right(&form);
				break;
			case 4:
				bd_form_home(&form);
				break;
			case 5:
				bd_form_end(&form);
				break;
			case 6:
				bd_form_clear_to_end(&form, &err);
				break;
			case 7:
				bd_form_toggle_insert(&form);
				break;
			case 8:
				bd_form_next(&form, &err);
				break;
			case 9:
				bd_form_prev(&form);
				break;
			case 10:
				bd_form_dup(&form, &err);
				break;
			case 11:
				bd_form_remember(&form);
				bd_form_load_defaults(&form);
				break;
			case 12:
				if (i + 1 < size)
					bd_form_goto(&form, data[++i] % form.nfields);
				break;
			case 13: {
				size_t bad;
				char **p = bd_form_params(&form, &bad, &err);
				bd_form_params_free(p, form.nfields);
				(void)bd_form_validate(&form, &bad, &err);
				break;
			}
			case 14:
				if (b & 0x10)
					bd_form_up(&form);
				else
					bd_form_down(&form);
				break;
			default:
				strbuf_reset(&draft);
				bd_form_draft_save(&form, &draft);
				if (bd_form_draft_restore(&form, draft.buf, draft.len, &err) < 0)
					abort();
				break;
			}
		} else if (b >= 0xf8) {
			uint32_t cp = 0;
			for (int k = 0; k < 3 && i + 1 < size; k++)
				cp = (cp << 8) | data[++i];
			bd_form_type(&form, cp & 0x1fffff, &err);
		} else {
			bd_form_type(&form, b, &err);
		}
		check(&form);
	}
	strbuf_release(&draft);
	bd_form_release(&form);
	return 0;
}
