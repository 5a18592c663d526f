# The two README commands and a few conveniences. Every target installs the
# Debian packages it needs first (scripts/install-deps.sh is a no-op when all
# are present).
JOBS ?= 2
EXAMPLE ?= scenarios/payments/az-outage.yaml
TRIALS ?= 2000
# CI=true (as CI sets it) turns warnings into errors.
WERROR ?= $(if $(CI),ON,OFF)

.PHONY: all deps browser-deps build run test bench asan debug clean fuzz

all: build

deps:
	@bash scripts/install-deps.sh

# The tests also open the HTML report in headless Chromium.
browser-deps:
	@bash scripts/install-deps.sh --browser

build: deps
	@cmake --preset release -DRELSIM_WERROR=$(WERROR) >/dev/null
	@cmake --build --preset release -j $(JOBS)

# Only the program: a newcomer's first `make run` need not build the tests
# and benchmarks first (48 of the 139 translation units).
run: deps
	@cmake --preset release -DRELSIM_WERROR=$(WERROR) >/dev/null
	@cmake --build --preset release -j $(JOBS) --target relsim
	./build/release/cli/relsim run $(EXAMPLE) --trials $(TRIALS)

test: browser-deps build
	ctest --preset release

bench: build
	./build/release/bench/relsim_bench --benchmark_counters_tabular=true

asan: browser-deps
	@cmake --preset asan -DRELSIM_WERROR=$(WERROR) >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	ctest --preset asan

debug: deps
	@cmake --preset debug -DRELSIM_WERROR=$(WERROR) >/dev/null
	@cmake --build --preset debug -j $(JOBS)

# libFuzzer targets (clang, ASan + UBSan) run for FUZZ_SECONDS each; seeds
# from scenarios/ and tests/data/ (fuzz/make_corpus.py); docs/fuzzing.md.
FUZZ_SECONDS ?= 600
fuzz: deps
	@cmake --preset release -DRELSIM_WERROR=$(WERROR) >/dev/null
	@cmake --build --preset release -j $(JOBS) --target relsim
	@cmake --preset fuzz -DRELSIM_WERROR=$(WERROR) >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	bash fuzz/run.sh $(FUZZ_SECONDS)

clean:
	rm -rf build
