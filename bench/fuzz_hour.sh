#!/bin/sh
# fuzz_hour.sh - the libFuzzer targets of tests/fuzz/ under AddressSanitizer
# and UndefinedBehaviorSanitizer, for an hour each by default (developer
# tooling, not in CI: CTest replays the seed corpora and runs the HTTP
# query parser's seeded random driver briefly).
#
# usage: bench/fuzz_hour.sh [SECONDS] [TARGET...]
#        (defaults: 3600, every tests/fuzz/fuzz_*.c; needs clang and
#        libFuzzer: `make fuzz` installs them)
#
# Builds with `make fuzz` (build-fuzz/), copies each seed corpus to
# bench/work/fuzz-<target>/corpus (kept between runs, so coverage grows),
# runs the targets one after the other with one job each, and writes
# crashes and leaks to bench/work/fuzz-<target>/.  Prints one Markdown row
# per target: runs, executions/s, coverage, corpus size, findings.  Exit
# status 1 when any target found something.
set -eu
cd "$(dirname "$0")/.."
SECONDS_=${1:-3600}
[ $# -gt 0 ] && shift
case $SECONDS_ in *[!0-9]* | '') echo "fuzz_hour: SECONDS must be a whole number, not '$SECONDS_'" >&2; exit 2 ;; esac
if [ $# -gt 0 ]; then
	targets=$*
else
	targets=$(for f in tests/fuzz/fuzz_*.c; do basename "$f" .c; done)
fi
make fuzz >/dev/null
found=0
echo "okra $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, ${SECONDS_} s per target, clang $(clang -dumpversion)"
echo
echo "| target | runs | exec/s | coverage (edges) | corpus | findings |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for t in $targets; do
	bin=build-fuzz/$t
	[ -x "$bin" ] || { echo "fuzz_hour: no $bin (is tests/fuzz/$t.c there?)" >&2; exit 2; }
	work=bench/work/fuzz-$t
	mkdir -p "$work/corpus" "$work/findings"
	seeds=tests/fuzz/corpus-${t#fuzz_}
	[ -d "$seeds" ] && cp -n "$seeds"/* "$work/corpus/" 2>/dev/null || true
	log=$work/last.log
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$bin" -max_total_time="$SECONDS_" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$work/findings/" "$work/corpus" >"$log" 2>&1 || true
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	corpus=$(ls "$work/corpus" | wc -l)
	findings=$(ls "$work/findings" | wc -l)
	[ "$findings" = 0 ] || found=1
	echo "| $t | ${runs:-?} | ${rate:-?} | ${cov:-?} | $corpus | $findings |"
done
if [ "$found" = 1 ]; then
	echo
	echo "findings (crash-*, leak-*, timeout-*) are in bench/work/fuzz-*/findings/; replay one with build-fuzz/<target> FILE"
	exit 1
fi
