/*
 * The payroll outputs (payslip_pdf.h, bank_file.h) live in a module of their
 * own, backdesk-output.so, loaded the first time a payslip or a bank file is
 * made. Linked into the binary, cairo, pango and libxml2 brought about 55
 * shared libraries (fontconfig, freetype, harfbuzz, glib, X11's, ICU) that
 * every session loaded and relocated before its first screen, for outputs a
 * clerk never makes (README, Capacity). The module carries its own copy of
 * the few base functions it uses and exports only the six below.
 *
 * These are the functions of the headers as the rest of the program calls
 * them: each loads the module once (bd_loadable_open) and calls its own.
 * When it cannot be loaded, the renderer is NULL and every call fails with
 * err saying so; nothing is drawn or written.
 */
#include "backdesk/bank_file.h"
#include "backdesk/payslip_pdf.h"

#include <dlfcn.h>
#include <stdio.h>

#include "backdesk/loadable.h"

#define MODULE_NAME "backdesk-output.so"

static struct {
	bool tried;
	char error[256];
	struct bd_payslip_renderer *(*renderer_new)(void);
	void (*renderer_free)(struct bd_payslip_renderer *);
	int (*pdf)(struct bd_payslip_renderer *, const struct bd_payslip *, struct strbuf *,
		   struct bd_err *);
	int (*pdf_file)(struct bd_payslip_renderer *, const struct bd_payslip *, const char *,
			struct bd_err *);
	int (*xml)(const struct bd_bank_batch *, FILE *, struct bd_bank_totals *, struct bd_err *);
	int (*csv)(const struct bd_bank_batch *, FILE *, struct bd_bank_totals *, struct bd_err *);
} out;

/* Loads the module once: true when every function was found. */
static bool
load(void)
{
	void *h;

	if (out.tried)
		return out.renderer_new != NULL;
	out.tried = true;
	if (!(h = bd_loadable_open(MODULE_NAME, out.error, sizeof(out.error))))
		return false;
	/* POSIX's way from a data pointer to a function pointer (dlsym(3)). */
	*(void **)&out.renderer_new = dlsym(h, "bd_payslip_renderer_new");
	*(void **)&out.renderer_free = dlsym(h, "bd_payslip_renderer_free");
	*(void **)&out.pdf = dlsym(h, "bd_payslip_pdf");
	*(void **)&out.pdf_file = dlsym(h, "bd_payslip_pdf_file");
	*(void **)&out.xml = dlsym(h, "bd_bank_file_xml");
	*(void **)&out.csv = dlsym(h, "bd_bank_file_csv");
	if (!out.renderer_new || !out.renderer_free || !out.pdf || !out.pdf_file || !out.xml ||
	    !out.csv) {
		snprintf(out.error, sizeof(out.error), "%s: a function is missing", MODULE_NAME);
		out.renderer_new = NULL;
		return false;
	}
	return true;
}

static int
unavailable(struct bd_err *err)
{
	bd_err_set(err, BD_ERR_INTERNAL,
		   "Payslips and bank files cannot be made on this host: its Backdesk is "
		   "installed without " MODULE_NAME);
	bd_err_detail(err, "%s", out.error);
	return -1;
}

struct bd_payslip_renderer *
bd_payslip_renderer_new(void)
{
	return load() ? out.renderer_new() : NULL;
}

void
bd_payslip_renderer_free(struct bd_payslip_renderer *r)
{
	if (r && load())
		out.renderer_free(r);
}

int
bd_payslip_pdf(struct bd_payslip_renderer *r, const struct bd_payslip *slip, struct strbuf *buf,
	       struct bd_err *err)
{
	if (!r || !load())
		return unavailable(err);
	return out.pdf(r, slip, buf, err);
}

int
bd_payslip_pdf_file(struct bd_payslip_renderer *r, const struct bd_payslip *slip, const char *path,
		    struct bd_err *err)
{
	if (!r || !load())
		return unavailable(err);
	return out.pdf_file(r, slip, path, err);
}

int
bd_bank_file_xml(const struct bd_bank_batch *batch, FILE *f, struct bd_bank_totals *totals,
		 struct bd_err *err)
{
	if (!load())
		return unavailable(err);
	return out.xml(batch, f, totals, err);
}

int
bd_bank_file_csv(const struct bd_bank_batch *batch, FILE *f, struct bd_bank_totals *totals,
		 struct bd_err *err)
{
	if (!load())
		return unavailable(err);
	return out.csv(batch, f, totals, err);
}
