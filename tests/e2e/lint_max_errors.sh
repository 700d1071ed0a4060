#!/bin/sh
# Nothing is dropped: a company with 150 key results without a baseline
# gets 150 errors.  Text shows the first 50 (the default), says how many
# more there are and counts them all; --max-errors 0 shows all; JSON lists
# all whatever the limit.  Structural errors past 50 are counted the same
# way, in text, and listed whole in JSON.
. "$(dirname "$0")/lib.inc"

W=$TMP/big
mkdir -p "$W"
{
	echo "workspace: Big"
	echo "north_star: {metric: weekly_reports}"
	echo "metrics:"
	echo "  - {id: weekly_reports, type: count, event: report_created, window: 7d, level: 3, guardrails: [weekly_reports]}"
	echo "objectives:"
	o=0
	while [ $o -lt 50 ]; do
		o=$((o + 1))
		echo "  - id: objective_$o"
		echo "    title: Make reporting a weekly habit for new pro accounts"
		echo "    quarter: 2026-Q4"
		echo "    parent: north_star"
		echo "    key_results:"
		k=0
		while [ $k -lt 3 ]; do
			k=$((k + 1))
			echo "      - id: kr_${o}_$k"
			echo "        title: Grow weekly reports in region $o from 48 to 70"
			echo "        metric: weekly_reports"
			echo "        target: 70"
			echo "        hypotheses: [We believe a gallery helps because people start faster, We believe a digest helps because people return, We believe links help because readers become authors]"
		done
	done
} >"$W/okra.yaml"

expect_status 1 "$OKRA" -C "$W" lint
expect_out "… and 100 more errors (okra lint --max-errors 0 shows all)"
expect_out "150 errors, 0 warnings, 0 infos"
CHECKS=$((CHECKS + 1))
n=$(grep -c ': error: .*\[kr-no-baseline\]$' "$TMP/out")
[ "$n" = 50 ] || fail "text shows $n errors, expected the first 50"

expect_status 1 "$OKRA" -C "$W" lint --max-errors 0
expect_no_out "more errors"
CHECKS=$((CHECKS + 1))
n=$(grep -c ': error: .*\[kr-no-baseline\]$' "$TMP/out")
[ "$n" = 150 ] || fail "--max-errors 0 shows $n errors, expected 150"

expect_status 1 "$OKRA" -C "$W" lint --max-errors 149
expect_out "… and 1 more error (okra lint --max-errors 0 shows all)"

for max in 0 1 50; do
	expect_status 1 "$OKRA" -C "$W" lint --format json --max-errors $max
	CHECKS=$((CHECKS + 1))
	n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$TMP/out")
	[ "$n" = 150 ] || fail "JSON with --max-errors $max lists $n findings, expected 150"
done

# Structural: 60 unknown keys stop the load; all 60 are collected.
S=$TMP/structural
mkdir -p "$S"
{
	echo "workspace: Broken"
	echo "metrics:"
	i=0
	while [ $i -lt 60 ]; do
		i=$((i + 1))
		echo "  - {id: m_$i, type: count, event: e, window: 7d, colour: blue}"
	done
} >"$S/okra.yaml"
expect_status 2 "$OKRA" -C "$S" lint
expect_out "… and 10 more errors (okra lint --max-errors 0 shows all)"
expect_out "okra: 60 errors in the workspace; nothing was computed"
expect_status 2 "$OKRA" -C "$S" lint --max-errors 0
expect_no_out "more errors"
CHECKS=$((CHECKS + 1))
n=$(grep -c ': error: .*\[key-unknown\]$' "$TMP/out")
[ "$n" = 60 ] || fail "--max-errors 0 shows $n structural errors, expected 60"
expect_status 2 "$OKRA" -C "$S" lint --format json
CHECKS=$((CHECKS + 1))
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$TMP/out")
[ "$n" = 60 ] || fail "JSON lists $n structural errors, expected 60"
# Other commands show the same first 50 and the count.
expect_status 2 "$OKRA" -C "$S" metrics
expect_out "… and 10 more errors (okra lint --max-errors 0 shows all)"
finish
