#!/bin/sh
# The flawed examples workspace: every rule of the catalogue that needs no
# data and is not structural fires (the list comes from `okra lint
# --explain`, so a new rule must get an example), exit 1, and the JSON
# output carries the same findings.
. "$(dirname "$0")/lib.inc"

expect_status 0 "$OKRA" lint --explain --format json
cp "$TMP/out" "$TMP/rules.json"
rules=$(python3 -c '
import json, sys
for r in json.load(open(sys.argv[1])):
    if r["group"] not in ("data", "structure"):
        print(r["id"])' "$TMP/rules.json")
[ -n "$rules" ] || fail "no rules in okra lint --explain --format json"

expect_status 1 "$OKRA" -C "$SRCDIR/examples" lint
for rule in $rules; do
	expect_out "[$rule]"
done
text_count=$(grep -v '^okra: ' "$TMP/out" | grep -c '^[^ ].*: \(error\|warning\|info\): ')

expect_status 1 "$OKRA" -C "$SRCDIR/examples" lint --format json
CHECKS=$((CHECKS + 1))
python3 - "$TMP/out" "$text_count" "$TMP/rules.json" <<'PY' || fail "JSON findings differ from text"
import json, sys
d = json.load(open(sys.argv[1]))
rules = {r["id"]: r for r in json.load(open(sys.argv[3]))}
assert len(d) == int(sys.argv[2]), (len(d), sys.argv[2])
for f in d:
    assert set(f) == {"rule", "severity", "file", "line", "column", "message", "hint"}, f
    assert f["severity"] in rules[f["rule"]]["severities"], f
    assert f["line"] > 0 and f["column"] > 0
PY
finish
