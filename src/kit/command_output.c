/*
 * The command line's one print path: stdout and stderr are replaced, for the
 * whole run of a command, by streams that pass every byte through the output
 * gate (bd_gate_lines), so no printf anywhere (a command, the configuration
 * printer, the log while it has no file) can put a control character, a bidi
 * override or invalid UTF-8 on the terminal. A hostile CSV header, file name
 * or doctype label is shown as its visible stand-ins.
 *
 * Data a command writes for another program (an export, a CSV report) is not
 * a message: bd_cli_data_out() gives the raw stdout when it is a file or a
 * pipe, and the gated one when it is a terminal.
 */
#include "backdesk/command.h"
#include "backdesk/strbuf.h"
#include "backdesk/text.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct gated {
	FILE *raw;
	char tail[4]; /* an unfinished UTF-8 sequence from the last write */
	size_t ntail;
};

static struct gated gated_out, gated_err;
static FILE *raw_stdout, *raw_stderr;

static ssize_t
gated_write(void *cookie, const char *buf, size_t size)
{
	struct gated *g = cookie;
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
	size_t keep;

	strbuf_add(&in, g->tail, g->ntail);
	strbuf_add(&in, buf, size);
	keep = bd_utf8_partial_tail(in.buf, in.len);
	memcpy(g->tail, in.buf + in.len - keep, keep);
	g->ntail = keep;
	bd_gate_lines(&out, in.buf, in.len - keep);
	fwrite(out.buf, 1, out.len, g->raw);
	fflush(g->raw);
	strbuf_release(&out);
	strbuf_release(&in);
	return (ssize_t)size;
}

static int
gated_close(void *cookie)
{
	struct gated *g = cookie;
	struct strbuf out = STRBUF_INIT;

	/* What is left is a sequence that never ended: the gate's U+FFFD. */
	bd_gate_lines(&out, g->tail, g->ntail);
	g->ntail = 0;
	fwrite(out.buf, 1, out.len, g->raw);
	fflush(g->raw);
	strbuf_release(&out);
	return 0;
}

static FILE *
gated_open(struct gated *g, FILE *raw)
{
	static const cookie_io_functions_t io = {NULL, gated_write, NULL, gated_close};
	FILE *f;

	g->raw = raw;
	g->ntail = 0;
	if (!(f = fopencookie(g, "w", io)))
		return raw;
	setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

void
bd_cli_output_begin(void)
{
	if (raw_stdout)
		return;
	raw_stdout = stdout;
	raw_stderr = stderr;
	stdout = gated_open(&gated_out, raw_stdout);
	stderr = gated_open(&gated_err, raw_stderr);
	setvbuf(stderr, NULL, _IONBF, 0);
}

void
bd_cli_output_end(void)
{
	if (!raw_stdout)
		return;
	if (stdout != raw_stdout)
		fclose(stdout);
	if (stderr != raw_stderr)
		fclose(stderr);
	stdout = raw_stdout;
	stderr = raw_stderr;
	raw_stdout = raw_stderr = NULL;
	fflush(stdout);
}

FILE *
bd_cli_data_out(void)
{
	if (raw_stdout && !isatty(fileno(raw_stdout)))
		return raw_stdout;
	return stdout;
}
