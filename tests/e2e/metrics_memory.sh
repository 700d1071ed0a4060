#!/bin/sh
# The metrics read the cache through a read-only mapping and give back the
# pages of each column once every worker is done with it (the properties
# after the event metrics, each event's user after the accounts, every
# event column before the revenue walk): at the end of `okra metrics` no
# page of an event column or a property is resident (OKRA_TRACE=1 lists
# each cache section's resident pages), while the values are the same on
# one worker or two, and with the data read into memory instead of mapped
# (where nothing may be given back: those arrays are the only copy).
. "$(dirname "$0")/lib.inc"

WS=$TMP/wide
expect_status 0 "$OKRA" demo "$WS" --shape wide --events 200000 --seed 3 \
	--end 2026-11-23 --no-review
expect_status 0 "$OKRA" -C "$WS" ingest

for cmd in "metrics --asof 2026-11-23 --by tier" \
	"series --all --grain week --by tier"; do
	# shellcheck disable=SC2086 # cmd is words
	OKRA_TRACE=1 "$OKRA" -C "$WS" $cmd --format json >"$TMP/two.json" \
		2>"$TMP/trace"
	CHECKS=$((CHECKS + 1))
	grep -q '^resident: cache mapping' "$TMP/trace" ||
		fail "$cmd: OKRA_TRACE printed no residency"
	# A section printed with more than 0.0 MiB holds more than the page
	# it may share with a section still read.
	for s in ev.ts_sec ev.name ev.user ev.user_rows ev.user_off \
		prop0.row prop0.num prop1.row prop1.str; do
		CHECKS=$((CHECKS + 1))
		if grep "^resident: $s " "$TMP/trace" | grep -qv ' 0\.0 MiB'; then
			fail "$cmd: $s still resident at the end"
			grep "^resident: $s " "$TMP/trace" | sed 's/^/  | /'
		fi
	done
	CHECKS=$((CHECKS + 1))
	grep -q '^resident: rev.mrr ' "$TMP/trace" ||
		fail "$cmd: the revenue walk read no revenue (the test lost its point)"
	# shellcheck disable=SC2086
	OKRA_THREADS=1 "$OKRA" -C "$WS" $cmd --format json >"$TMP/one.json" 2>&1
	CHECKS=$((CHECKS + 1))
	cmp -s "$TMP/one.json" "$TMP/two.json" ||
		fail "$cmd: one worker and two give different values"
done

# The same data read into memory (.okra/cache is a file: no cache can be
# written; the check-ins of the manual metrics stay in .okra): the arrays
# are the process's own, and the values must match.
MEM=$TMP/mem
mkdir -p "$MEM" && cp -R "$WS/." "$MEM/"
rm -rf "$MEM/.okra/cache" && : >"$MEM/.okra/cache"
for cmd in "metrics --asof 2026-11-23 --by tier" \
	"series --all --grain week --by tier"; do
	# shellcheck disable=SC2086
	"$OKRA" -C "$WS" $cmd --format json 2>&1 | grep -v '^okra: ' \
		>"$TMP/mapped.json"
	# shellcheck disable=SC2086
	"$OKRA" -C "$MEM" $cmd --format json 2>&1 | grep -v '^okra: ' \
		>"$TMP/memory.json"
	CHECKS=$((CHECKS + 1))
	CHECKS=$((CHECKS + 1))
	grep -q '"mrr"' "$TMP/memory.json" || fail "$cmd: no values in memory"
	CHECKS=$((CHECKS + 1))
	[ -f "$MEM/.okra/cache" ] || fail "$cmd: a cache was written"
	cmp -s "$TMP/mapped.json" "$TMP/memory.json" ||
		fail "$cmd: data in memory give other values than the cache"
done
finish
