#!/bin/sh
# What the demo plants, found by okra diagnose and okra anomalies, at the
# default size (a million events), a fixed seed and end date:
# - the EU outage (its Wednesday, in okra.yaml's header) is an anomaly of
#   dau, explained by region=eu, in the default check (k = 3.5, 28 days);
# - the planted bottleneck, integrations_connected_14d, is the one okra
#   diagnose names, with a lift whose interval lies above 1;
# - the alert of docs/anomalies.md (dau and the north star down, at the
#   default k, with and without a 30% minimum change, --fail-on down)
#   stays quiet in every other week of the last 16 and fires in the
#   outage week;
# - the weekly review of the outage week lists it with the segment.
. "$(dirname "$0")/lib.inc"

W=$TMP/demo
"$OKRA" demo "$W" --no-review --events 1000000 --seed 1 --end 2026-03-10 >/dev/null 2>&1 ||
	fail "okra demo failed"
"$OKRA" -C "$W" ingest >/dev/null 2>&1 || fail "okra ingest failed"
OUTAGE=$(sed -n 's/.*an outage of the EU region on \([0-9-]*\).*/\1/p' "$W/okra.yaml")
CHECKS=$((CHECKS + 1))
[ "$OUTAGE" = 2026-02-25 ] || fail "okra.yaml names the outage on '$OUTAGE', not 2026-02-25"

# The outage, with its segment, in the default check as of three days on.
expect_status 0 "$OKRA" -C "$W" anomalies --asof 2026-02-28
expect_out "2026-02-25 dau "
CHECKS=$((CHECKS + 1))
grep "^2026-02-25 dau " "$TMP/out" | grep -q "down [0-9]*%; region=eu explains" ||
	fail "the outage's dau anomaly is not explained by region=eu"
expect_status 0 "$OKRA" -C "$W" anomalies --asof 2026-02-28 --metric dau --format json
expect_out '"date": "2026-02-25"'
expect_out '"segment": {"attr": "region", "value": "eu"'

# The planted bottleneck.
expect_status 0 "$OKRA" -C "$W" diagnose --format json
expect_out '"bottleneck": "integrations_connected_14d"'
expect_status 0 "$OKRA" -C "$W" diagnose
expect_out "Bottleneck: Accounts that convert in integrations_connected_14d are"
expect_out ": make it the next key result."

# The alert on the daily and the north star's drops, at the default k:
# quiet in every week of the last 16 but the outage's, with and without
# the documented minimum change.
week=0
while [ $week -lt 16 ]; do
	end=$(date -u -d "2026-03-10 - $((week * 7)) days" +%F)
	if [ "$end" \< 2026-02-25 ] || [ "$end" \> 2026-03-03 ]; then want=0; else want=1; fi
	for filter in "--direction down" "--direction down --min-change 30%"; do
		# shellcheck disable=SC2086
		expect_status $want "$OKRA" -C "$W" anomalies --asof "$end" --days 7 \
			--metric dau weekly_engaged_accounts $filter --fail-on down
		[ $want = 0 ] && expect_out "No anomalies"
		[ $want = 1 ] && expect_out "2026-02-25 dau"
	done
	week=$((week + 1))
done

# The review of the outage's week lists it, with the segment to look at.
expect_status 0 "$OKRA" -C "$W" review --asof 2026-02-28
expect_out "dau on 2026-02-25 was "
expect_out "Look into region=eu on that day"
expect_out "Accounts that convert in integrations_connected_14d"
finish
