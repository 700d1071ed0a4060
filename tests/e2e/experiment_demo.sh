#!/bin/sh
# The demo's experiment read out end to end (SPEC 14): at the default size
# and at five million events, the readout's per-arm counts are exactly the
# ones experiments.yaml's comment states (the generator's own count), its
# 95% interval holds the planted effect (each compared account replayed
# in both arms), the decision is ship; guardrails are read, nothing is
# flagged.  Then a team decision is recorded with okra's own beside it,
# shows in the readout and the list, and survives export and import.
. "$(dirname "$0")/lib.inc"

# check DIR: the readout of DIR's demo agrees with its experiments.yaml.
check() {
	dir=$1
	expect_status 0 "$OKRA" -C "$dir" experiment progress_indicator --format json
	cp "$TMP/out" "$TMP/readout.json"
	CHECKS=$((CHECKS + 1))
	python3 - "$dir/experiments.yaml" "$TMP/readout.json" <<'PY' || fail "the readout of $dir disagrees with its demo"
import json, re, sys
text = open(sys.argv[1]).read()
lines = [l for l in open(sys.argv[2]) if not l.startswith("okra:")]
r = json.loads("".join(lines))
m = re.search(r"control (\d+) accounts, (\d+) completed .*?treatment (\d+) accounts,\s*#\s*(\d+) completed .*?(\d+) saw both arms \(excluded\), (\d+)\s*immature", text, re.S)
nc, cc, nt, ct, both, immature = map(int, m.groups())
planted = float(re.search(r"Planted effect .*?: ([+-][0-9.]+) pts", text, re.S).group(1)) / 100
v = {x["name"]: x for x in r["variants"]}
assert (v["control"]["entities"], v["control"]["conversions"]) == (nc, cc), (v["control"], nc, cc)
assert (v["treatment"]["entities"], v["treatment"]["conversions"]) == (nt, ct), (v["treatment"], nt, ct)
assert r["excluded_multi"] == both, (r["excluded_multi"], both)
assert r["immature"] == immature, (r["immature"], immature)
c = r["comparisons"][0]
assert c["lift_low"] <= planted <= c["lift_high"], (planted, c)
assert r["decision"] == "ship", r["decision"]
assert not r["srm"]["flagged"], r["srm"]
assert len(r["guardrails"]) == 2 and not any(g["worse"] for g in r["guardrails"]), r["guardrails"]
print("planted %+.4f in [%+.4f, %+.4f], p %.2g: %s" % (planted, c["lift_low"], c["lift_high"], c["p"], r["decision"]))
PY
}

"$OKRA" demo "$TMP/demo" --no-review --seed 1 --end 2026-12-06 >/dev/null 2>&1 || fail "okra demo failed"
check "$TMP/demo"
"$OKRA" demo "$TMP/big" --no-review --events 5000000 --seed 7 --end 2026-12-06 >/dev/null 2>&1 || fail "okra demo --events 5000000 failed"
check "$TMP/big"

# The text readout ends with the sentence and the decision.
expect_status 0 "$OKRA" -C "$TMP/demo" experiment progress_indicator
expect_out "treatment lifts onboarding completion by +"
expect_out ": ship"
expect_out "guardrails (worse: p < 0.05 against the metric's direction):"
expect_status 0 "$OKRA" -C "$TMP/demo" experiments
expect_out "progress_indicator  ended 2026-11-28  ship"

# A recorded decision: with okra's computed one, in the readout and the list.
expect_status 0 "$OKRA" -C "$TMP/demo" experiment progress_indicator --decide iterate --date 2026-12-01 --note "ship after the copy review"
expect_out "recorded iterate for progress_indicator on 2026-12-01"
expect_status 0 "$OKRA" -C "$TMP/demo" experiment progress_indicator
expect_out "recorded: iterate on 2026-12-01 (ship after the copy review); the readout then said ship"
expect_status 0 "$OKRA" -C "$TMP/demo" experiments --format json
expect_out '"recorded":{"date":"2026-12-01","decision":"iterate","note":"ship after the copy review","computed":"ship"}'
# As of a day before it, the decision is not there yet.
expect_status 0 "$OKRA" -C "$TMP/demo" experiment progress_indicator --asof 2026-11-30 --format json
expect_out '"recorded":null'
# Export and import carry it, computed decision included.
expect_status 0 "$OKRA" -C "$TMP/demo" export -o "$TMP/state.jsonl"
CHECKS=$((CHECKS + 1))
grep -q '"table":"decision".*"decision":"iterate".*"computed":"ship"}' "$TMP/state.jsonl" || fail "the export lacks the decision"
"$OKRA" demo "$TMP/other" --no-review --seed 1 --end 2026-12-06 >/dev/null 2>&1
expect_status 0 "$OKRA" -C "$TMP/other" import "$TMP/state.jsonl"
expect_status 0 "$OKRA" -C "$TMP/other" experiment progress_indicator
expect_out "recorded: iterate on 2026-12-01"
# Refused input writes nothing.
expect_status 2 "$OKRA" -C "$TMP/other" experiment progress_indicator --decide keep_running
expect_out "a decision is ship, stop or iterate"
expect_status 2 "$OKRA" -C "$TMP/other" experiment progress_indicator --decide ship --note "$(python3 -c 'print("x" * 2001)')"
expect_out "at most 2000 are kept (OKRA_MAX_NOTE_BYTES)"

finish
