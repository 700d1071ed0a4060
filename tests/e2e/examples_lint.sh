#!/bin/sh
# The flawed examples workspace: every data-free rule fires, exit 1, and
# the JSON output carries the same findings.
. "$(dirname "$0")/lib.inc"

expect_status 1 "$OKRA" -C "$SRCDIR/examples" lint
for rule in kr-activity kr-unmeasurable kr-no-metric kr-no-baseline kr-no-target \
	kr-lagging kr-window-too-long kr-few-hypotheses objective-kr-count \
	objective-vague objective-metric objective-no-quarter objective-orphan \
	team-too-many-kpis team-lagging-only metric-vanity metric-no-guardrail; do
	expect_out "[$rule]"
done
text_count=$(grep -c '^[^ ].*: \(error\|warning\|info\): ' "$TMP/out")

expect_status 1 "$OKRA" -C "$SRCDIR/examples" lint --format json
CHECKS=$((CHECKS + 1))
python3 - "$TMP/out" "$text_count" <<'PY' || fail "JSON findings differ from text"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == int(sys.argv[2]), (len(d), sys.argv[2])
for f in d:
    assert set(f) == {"rule", "severity", "file", "line", "column", "message", "hint"}, f
    assert f["severity"] in ("error", "warning", "info")
    assert f["line"] > 0 and f["column"] > 0
PY
finish
