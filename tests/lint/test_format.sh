#!/bin/bash
# The house's formatting (.clang-format) is the only one: a C file that
# clang-format would change fails the suite. `make format` fixes it.
set -eu
cd "${BD_SOURCE_DIR:?set by ctest}"
command -v clang-format >/dev/null || {
	echo "FAIL: clang-format is missing (make deps installs it)" >&2
	exit 1
}
files=$(git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null ||
	find src include tests -name '*.[ch]')
if ! clang-format --dry-run --Werror $files; then
	echo "FAIL: the files above differ from .clang-format: run 'make format'" >&2
	exit 1
fi
echo "PASS: format"
