#include "backdesk/log.h"
#include "backdesk/strbuf.h"
#include "backdesk/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static FILE *log_file;
static bool log_discard;
static enum bd_log_level log_level = BD_LOG_INFO;

int
bd_log_open(const char *path, struct bd_err *err)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	FILE *f;

	if (fd < 0 || !(f = fdopen(fd, "a"))) {
		bd_err_set(err, BD_ERR_IO, "cannot open the log file %s", path);
		bd_err_detail(err, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	bd_log_close();
	log_file = f;
	log_discard = false;
	setvbuf(log_file, NULL, _IOLBF, 0);
	return 0;
}

void
bd_log_close(void)
{
	if (log_file)
		fclose(log_file);
	log_file = NULL;
}

void
bd_log_discard(void)
{
	bd_log_close();
	log_discard = true;
}

void
bd_log_set_level(enum bd_log_level level)
{
	log_level = level;
}

void
bd_log(enum bd_log_level level, const char *fmt, ...)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};
	FILE *out = log_file ? log_file : stderr;
	struct strbuf text = STRBUF_INIT, line = STRBUF_INIT;
	char stamp[32];
	struct tm tm;
	time_t now;
	va_list ap;

	if (level < log_level || log_discard)
		return;
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	va_start(ap, fmt);
	strbuf_vaddf(&text, fmt, ap);
	va_end(ap);
	/* One entry, one line, through the gate: a server message's line breaks
	 * (PL/pgSQL context) become visible stand-ins, and nothing in it can
	 * drive the terminal of whoever reads the log. */
	bd_gate(&line, text.buf, text.len, -1);
	fprintf(out, "%s [%d] %s: %s\n", stamp, (int)getpid(), names[level], line.buf);
	strbuf_release(&line);
	strbuf_release(&text);
}

void
bd_log_err(const struct bd_err *err)
{
	if (!bd_err_is_set(err))
		return;
	bd_log(BD_LOG_ERROR, "%s%s%s%s", err->msg, err->sqlstate[0] ? " [" : "", err->sqlstate,
	       err->sqlstate[0] ? "]" : "");
	if (err->detail[0])
		bd_log(BD_LOG_ERROR, "  detail: %s", err->detail);
}
