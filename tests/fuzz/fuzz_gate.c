/* libFuzzer: the output gate (valid, safe, idempotent, within width) and the
 * money and date parsers (what parses formats back to the same value). */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "backdesk/text.h"
#include "backdesk/money.h"
#include "backdesk/date.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	if (!init) {
		setlocale(LC_ALL, "C.UTF-8");
		init = 1;
	}
	int maxw = size ? (int)(data[0] % 24) - 1 : -1;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, f = STRBUF_INIT;
	int w = bd_gate(&a, (const char *)data, size, maxw);
	int w2 = bd_gate(&b, a.buf, a.len, maxw);
	bd_gate(&f, (const char *)data, size, -1);
	if (!bd_utf8_valid(a.buf, a.len) || strcmp(a.buf, b.buf) || w != w2 ||
	    (maxw >= 0 && w > maxw) || memcmp(a.buf, f.buf, a.len))
		abort();
	for (size_t i = 0; i < a.len;) {
		uint32_t cp;
		i += bd_utf8_decode(a.buf + i, a.len - i, &cp);
		if (bd_cp_is_unsafe(cp) || bd_cp_width(cp) < 0)
			abort();
	}
	char *s = strndup((const char *)data, size);
	int64_t v;
	struct bd_date d;
	for (int sc = 0; sc <= 4; sc++)
		if (bd_money_parse(s, sc, &v, NULL) == 0) {
			struct strbuf m = STRBUF_INIT;
			bd_money_format(&m, v, sc, 3);
			int64_t v2;
			if (bd_money_parse(m.buf, sc, &v2, NULL) || v2 != v)
				abort();
			strbuf_release(&m);
		}
	if (bd_date_parse(s, BD_DATE_DMY, &d, NULL) == 0 && !bd_date_valid(d.year, d.month, d.day))
		abort();
	free(s);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&f);
	return 0;
}
