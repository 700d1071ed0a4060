#!/bin/sh
# One as-of date reads only the rows its metrics can use (each window
# from its start at that day, each cohort from the first day a member
# can have rows it reads), while a series reads from its first date on.
# So `okra metrics --asof D` must print exactly the values of D in a
# daily series that starts months earlier: every metric and segment, on
# the demo shape and on the wide shape (many small accounts), at dates
# early in the data, in the middle and at its last day.
. "$(dirname "$0")/lib.inc"

for shape in demo wide; do
	WS=$TMP/$shape
	expect_status 0 "$OKRA" demo "$WS" --shape "$shape" --events 30000 \
		--seed 7 --end 2026-11-23 --no-review
	expect_status 0 "$OKRA" -C "$WS" series --all --grain day \
		--from 2026-07-01 --to 2026-11-23 --by tier --format csv
	cp "$TMP/out" "$TMP/series.csv"
	for d in 2026-07-01 2026-08-17 2026-09-30 2026-10-31 2026-11-23; do
		expect_status 0 "$OKRA" -C "$WS" metrics --asof "$d" --by tier \
			--format csv
		tail -n +2 "$TMP/out" >"$TMP/one.csv"
		CHECKS=$((CHECKS + 1))
		[ -s "$TMP/one.csv" ] || fail "$shape $d: no values"
		if grep -vxF -f "$TMP/series.csv" "$TMP/one.csv" >"$TMP/diff"; then
			fail "$shape: metrics --asof $d differs from the series at $d"
			sed 's/^/  | /' "$TMP/diff" | head -n 10
		fi
	done
done
finish
