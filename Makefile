# Thin front for the README's commands; CMake does the real work.
BUILD    ?= build
JOBS     ?= 2
CMAKE_FLAGS ?=
PREFIX   ?= /usr/local

.PHONY: all deps test asan demo fuzz clean install

all: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

deps:
	@./scripts/install-deps

test: all
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# The binary, the man page okra(1) and the bash, zsh and fish completions
# under PREFIX (DESTDIR is honoured for packaging).
install: all
	cmake --install $(BUILD) --prefix $(PREFIX)

asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DOKRA_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	cmake --build build-asan -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir build-asan --output-on-failure -j$(JOBS)

demo: all
	@scripts/demo $(BUILD)/okra

fuzz:
	@./scripts/install-deps --fuzz
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOKRA_FUZZ=ON >/dev/null
	cmake --build build-fuzz -j$(JOBS)
	@echo "run: build-fuzz/fuzz_load -max_total_time=600 tests/fuzz/corpus-load"

clean:
	rm -rf $(BUILD) build-asan build-fuzz demo
