/*
 * libFuzzer target: arbitrary bytes as a screen file. The parser must refuse
 * or accept without crashing, leaking or reading out of bounds; a refusal
 * always carries "SOURCE:LINE: reason"; an accepted form screen must be
 * usable by the form engine (defaults, validation, a draft round trip).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backdesk/form.h"
#include "backdesk/screen.h"
#include "backdesk/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_screen screen;
	struct bd_err err = BD_ERR_INIT;
	char *text = xmalloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	if (bd_screen_parse(&screen, text, "fuzz", &err) < 0) {
		if (strncmp(err.msg, "fuzz:", 5) != 0)
			abort();
		free(text);
		return 0;
	}
	if (screen.kind == BD_SCREEN_FORM) {
		struct bd_form form;
		struct strbuf draft = STRBUF_INIT;
		char **params;
		size_t bad;

		if (screen.nfields == 0)
			abort();
		for (size_t i = 0; i < screen.nfields; i++) {
			const struct bd_field_def *f = &screen.fields[i];
			if (f->row < BD_SCREEN_FIRST_ROW || f->row > BD_SCREEN_LAST_ROW ||
			    f->width <= 0 || f->input_col + f->width > BD_SCREEN_COLS)
				abort();
		}
		bd_form_init(&form, &screen);
		bd_form_load_defaults(&form);
		(void)bd_form_validate(&form, &bad, &err);
		params = bd_form_params(&form, &bad, &err);
		bd_form_params_free(params, form.nfields);
		bd_form_draft_save(&form, &draft);
		if (bd_form_draft_restore(&form, draft.buf, draft.len, &err) < 0)
			abort();
		strbuf_release(&draft);
		bd_form_release(&form);
	}
	bd_screen_release(&screen);
	free(text);
	return 0;
}
