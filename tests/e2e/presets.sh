#!/bin/sh
# okra init --from TOOL, with the tool's sample export (tests/presets/TOOL/
# data, written by tests/presets/make-samples.py) copied into data/: the
# data loads as the preset maps it, okra data profiles it (exactly as in
# tests/presets/TOOL/expected) and the metrics compute.  The four samples
# hold one product history, so every preset gives the same metrics.
. "$(dirname "$0")/lib.inc"

for tool in posthog segment amplitude mixpanel; do
	ws=$TMP/$tool
	expect_status 0 "$OKRA" init "$ws" --from "$tool"
	expect_out "created an okra workspace for $tool exports"
	cp "$SRCDIR/tests/presets/$tool/data/"* "$ws/data/"
	CHECKS=$((CHECKS + 1))
	(cd "$ws" && "$OKRA" data && "$OKRA" data --format json &&
		"$OKRA" metrics --asof 2026-02-26 --format json) >"$TMP/$tool.out" 2>&1 ||
		fail "$tool: a command failed: $(cat "$TMP/$tool.out")"
	CHECKS=$((CHECKS + 1))
	diff -u "$SRCDIR/tests/presets/$tool/expected" "$TMP/$tool.out" ||
		fail "$tool: output differs from tests/presets/$tool/expected"
	expect_status 0 "$OKRA" -C "$ws" metrics --asof 2026-02-26 --format json
	cp "$TMP/out" "$TMP/$tool.metrics"
	expect_out '"id":"weekly_active_accounts","value":3,'
	expect_out '"id":"activation_rate","value":0.6428571428571429'
	expect_out '"id":"week_1_retention","value":0.5,'
	# The workspace lints without errors (its key results are in the
	# current quarter, so only the structure is checked here).
	expect_status 0 "$OKRA" -C "$ws" lint --no-data
done
for tool in segment amplitude mixpanel; do
	CHECKS=$((CHECKS + 1))
	cmp -s "$TMP/posthog.metrics" "$TMP/$tool.metrics" ||
		fail "$tool: the metrics differ from posthog's"
done

# json_columns is part of the cache's fingerprint: naming it differently
# loads the data again.
sed '/json_columns/d' "$TMP/posthog/okra.yaml" >"$TMP/okra.yaml"
cp "$TMP/okra.yaml" "$TMP/posthog/okra.yaml"
expect_status 0 "$OKRA" -C "$TMP/posthog" metrics --asof 2026-02-26 --format json
expect_out "okra: data changed since the last ingest"

# An unknown tool is a usage error naming the known ones; nothing is
# written.
expect_status 2 "$OKRA" init "$TMP/other" --from heap
expect_out 'okra knows the exports of posthog, segment, amplitude, mixpanel, not "heap"'
CHECKS=$((CHECKS + 1))
[ ! -e "$TMP/other" ] || fail "init --from heap wrote $TMP/other"
expect_status 2 "$OKRA" init "$TMP/other" --from
expect_status 2 "$OKRA" init "$TMP/posthog" --from posthog
expect_out "already exists; okra init never overwrites a file"

finish
