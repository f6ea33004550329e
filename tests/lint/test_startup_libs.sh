#!/bin/bash
# What `backdesk` loads before its first screen (README, Capacity: the first
# screen within 100 ms): libpq's, curses' and libconfig's shared libraries,
# not the payroll outputs' (cairo, pango, libxml2 and their ~55
# dependencies), which live in backdesk-output.so and are loaded only when a
# payslip or a bank file is made (src/modules/payroll/output_module.c), nor
# the document images' (gdk-pixbuf, poppler, libsixel), in backdesk-image.so
# (src/kit/image_module.c).
set -eu
bin=${BD_BINARY:?set by ctest}
module=$(dirname "$bin")/backdesk-output.so
fail=0
needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
for lib in libcairo libpango libpangocairo libxml2 libglib libgobject libfontconfig libharfbuzz \
	libgdk_pixbuf libpoppler libsixel; do
	if grep -q "^$lib" <<<"$needed"; then
		echo "FAIL: backdesk links $lib at start-up: the payroll outputs and images belong in backdesk-output.so and backdesk-image.so" >&2
		fail=1
	fi
done
loaded=$(ldd "$bin" | wc -l)
if [ "$loaded" -gt 40 ]; then
	echo "FAIL: backdesk loads $loaded shared libraries at start-up (libpq's and curses' are about 30)" >&2
	fail=1
fi
[ -f "$module" ] || { echo "FAIL: $module was not built" >&2; fail=1; }
if [ -f "$module" ]; then
	exports=$(nm -D --defined-only "$module" | awk '$2 == "T" { print $3 }' | sort | tr '\n' ' ')
	if [ "$exports" != "bd_bank_file_csv bd_bank_file_xml bd_payslip_pdf bd_payslip_pdf_file bd_payslip_renderer_free bd_payslip_renderer_new " ]; then
		echo "FAIL: backdesk-output.so exports more or less than its six entry points: $exports" >&2
		fail=1
	fi
fi
image=$(dirname "$bin")/backdesk-image.so
if [ ! -f "$image" ]; then
	echo "FAIL: $image was not built" >&2
	fail=1
else
	exports=$(nm -D --defined-only "$image" | awk '$2 == "T" { print $3 }' | sort | tr '\n' ' ')
	if [ "$exports" != "bd_image_page_load bd_image_render bd_image_sample_page bd_sixel_encode " ]; then
		echo "FAIL: backdesk-image.so exports more or less than its four entry points: $exports" >&2
		fail=1
	fi
fi
[ $fail = 0 ] && echo "PASS: backdesk loads $loaded shared libraries; the payroll outputs and document images are modules"
exit $fail
