# Thin wrapper over CMake for the README's commands. Everything real is in
# CMakeLists.txt; this file installs what is missing and picks build dirs.

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_USER  ?=
PREFIX     ?= /usr/local
DESTDIR    ?=

# Debian 12 packages: build, run, test.
PACKAGES = build-essential clang clang-format libclang-rt-14-dev cmake pkg-config libncurses-dev libpq-dev \
           libconfig-dev libcmocka-dev postgresql postgresql-contrib tmux \
           hledger ledger openssh-server openssh-client man-db groff-base \
           libcairo2-dev libpango1.0-dev libxml2-dev poppler-utils libxml2-utils \
           fonts-dejavu-core fonts-wqy-microhei \
           libgdk-pixbuf-2.0-dev libpoppler-glib-dev libsixel-dev
BENCH_PACKAGES = ledger hledger

.PHONY: all build install deps demo check check-fast check-asan bench fuzz format clean

all: build

deps:
	@PACKAGES="$(PACKAGES)" SUDO="$(SUDO)" sh tests/deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

# The binary and its manual pages backdesk(1), backdesk.conf(5) (written at
# build time from the command and settings tables) under $(DESTDIR)$(PREFIX).
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

demo: build
	$(BUILD)/backdesk demo $(if $(DEMO_USER),--user $(DEMO_USER))

# Every test: the normal build, then ASan+UBSan (clang) with the fuzz smoke runs
# and every TUI test but the long flows (header line "# long flow: WHY"), which
# run once. A skipped test fails (CMakeLists.txt): CI installs what tests need.
check: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)
	$(MAKE) --no-print-directory check-asan

check-asan:
	CC=clang cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DBD_FUZZ=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -j$(JOBS) -L 'unit|db|fuzz'
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -j$(JOBS) -L '^tui$$' -LE '^long$$'

bench: build
	@PACKAGES="$(BENCH_PACKAGES)" SUDO="$(SUDO)" sh tests/deps.sh
	sh tests/bench/run.sh $(BUILD)

fuzz:
	CC=clang cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DBD_FUZZ=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	for f in $(ASAN_BUILD)/fuzz_*; do \
		mkdir -p $(ASAN_BUILD)/corpus/$$(basename $$f) && \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $$f -max_total_time=60 $(ASAN_BUILD)/corpus/$$(basename $$f) || exit 1; \
	done

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
