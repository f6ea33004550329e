/*
 * The command line's print path: the gate for lines (line breaks and tabs
 * kept, every other control replaced), the unfinished UTF-8 sequence a stream
 * keeps for its next write, and the gated stdout itself: a character split
 * across two writes arrives whole, an escape sequence as stand-ins, and data
 * for another program passes raw when stdout is a file.
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
#include <unistd.h>

#include "backdesk/cli.h"
#include "backdesk/strbuf.h"
#include "backdesk/text.h"

static void
test_partial_tail(void **state)
{
	(void)state;
	assert_int_equal(bd_utf8_partial_tail("abc", 3), 0);
	assert_int_equal(bd_utf8_partial_tail("caf\xc3", 4), 1);
	assert_int_equal(bd_utf8_partial_tail("caf\xc3\xa9", 5), 0);
	assert_int_equal(bd_utf8_partial_tail("\xe2\x80", 2), 2);
	assert_int_equal(bd_utf8_partial_tail("\xf0\x9f\x98", 3), 3);
	assert_int_equal(bd_utf8_partial_tail("\xf0\x9f\x98\x80", 4), 0);
	/* a stray continuation byte or an invalid lead is not kept */
	assert_int_equal(bd_utf8_partial_tail("a\x80", 2), 0);
	assert_int_equal(bd_utf8_partial_tail("a\xff", 2), 0);
	assert_int_equal(bd_utf8_partial_tail("", 0), 0);
}

static void
test_gate_lines(void **state)
{
	struct strbuf out = STRBUF_INIT;
	static const char in[] = "one\ttwo\n\x1b]0;PWNED\x07\r\nbad \xff end\n";

	(void)state;
	bd_gate_lines(&out, in, sizeof(in) - 1);
	assert_string_equal(out.buf, "one\ttwo\n\xe2\x90\x9b]0;PWNED\xe2\x90\x87\xe2\x90\x8d\n"
				     "bad \xef\xbf\xbd end\n");
	strbuf_release(&out);
}

static void
test_gated_stdout(void **state)
{
	char path[] = "/tmp/bd_cli_output_XXXXXX", buf[256];
	int fd = mkstemp(path), saved;
	FILE *f;
	size_t n;

	(void)state;
	assert_true(fd >= 0);
	fflush(stdout);
	saved = dup(1); /* cmocka reports on stdout: given back below */
	assert_true(saved >= 0);
	assert_non_null(freopen(path, "w", stdout));
	bd_cli_output_begin();
	fputs("caf\xc3", stdout);
	fflush(stdout);
	fputs("\xa9 \x1b[2J\n", stdout);
	fflush(stdout);
	/* a file: the data stream is the raw stdout */
	assert_ptr_not_equal(bd_cli_data_out(), stdout);
	fputs("raw\x1b\n", bd_cli_data_out());
	fflush(bd_cli_data_out());
	printf("end\n");
	bd_cli_output_end();
	fflush(stdout);
	assert_int_equal(dup2(saved, 1), 1);
	close(saved);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	close(fd);
	unlink(path);
	assert_string_equal(buf, "caf\xc3\xa9 \xe2\x90\x9b[2J\nraw\x1b\nend\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_partial_tail),
	    cmocka_unit_test(test_gate_lines),
	    cmocka_unit_test(test_gated_stdout),
	};

	/* widths come from wcwidth(), as in the binary (main.c) */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 77;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
