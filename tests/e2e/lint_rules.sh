#!/bin/sh
# The rule catalogue of `okra lint --explain`, against what documents and
# tests it:
# - every rule explains itself (text and JSON), an unknown one is exit 2;
# - docs/lint.md's "rules at a glance" table is the catalogue (id, order,
#   severities, summary), and every rule has its own ### section;
# - every rule the code reports has a case folder named after it,
#   tests/errors/<rule>/ or tests/cases/<rule>/, whose expected output
#   pins a finding of that rule at a position, for each of its severities;
# - every finding example in docs/lint.md is real: it appears in the
#   output of `okra -C examples lint` or in that rule's case.
. "$(dirname "$0")/lib.inc"

expect_status 0 "$OKRA" lint --explain --format json
cp "$TMP/out" "$TMP/rules.json"
expect_status 0 "$OKRA" lint --explain
expect_out "kr-activity           error         the key result measures work done"
expect_status 1 "$OKRA" -C "$SRCDIR/examples" lint --no-data --max-errors 0
cp "$TMP/out" "$TMP/examples.txt"

for id in $(python3 -c 'import json,sys; [print(r["id"]) for r in json.load(open(sys.argv[1]))]' "$TMP/rules.json"); do
	expect_status 0 "$OKRA" lint --explain "$id"
	expect_out "$id: "
	expect_out "  fires when: "
	expect_out "  fix: "
	expect_status 0 "$OKRA" lint --explain "$id" --format json
	expect_out "{\"id\":\"$id\","
done
expect_status 2 "$OKRA" lint --explain kr-activty
expect_out 'okra: error: unknown rule "kr-activty"; did you mean "kr-activity"?'

CHECKS=$((CHECKS + 1))
python3 - "$TMP/rules.json" "$SRCDIR" "$TMP/examples.txt" <<'PY' || fail "the catalogue, docs/lint.md and the cases disagree"
import json, os, re, subprocess, sys
rules = json.load(open(sys.argv[1]))
src = sys.argv[2]
examples = open(sys.argv[3]).read()
doc = open(os.path.join(src, "docs/lint.md")).read()
bad = []

# The table at a glance: one row per rule, in catalogue order.
rows = re.findall(r"^\| \[`([a-z-]+)`\]\(#([a-z-]+)\)[^|]* \| ([a-z /]+) \| (.*) \|$", doc, re.M)
if [r[0] for r in rows] != [r["id"] for r in rules]:
    bad.append("table ids %s != catalogue %s" % ([r[0] for r in rows], [r["id"] for r in rules]))
for (id, anchor, sev, summary), r in zip(rows, rules):
    if anchor != id:
        bad.append("%s: link #%s" % (id, anchor))
    if sev.split(" / ") != r["severities"]:
        bad.append("%s: severity %r, catalogue %r" % (id, sev, r["severities"]))
    if summary != r["summary"]:
        bad.append("%s: summary\n  docs: %s\n  code: %s" % (id, summary, r["summary"]))
# A section per rule that opens with its severity.
for r in rules:
    m = re.search(r"^### %s\n\n\*\*([a-z]+)" % re.escape(r["id"]), doc, re.M)
    if not m:
        bad.append("%s: no '### %s' section opening with its severity" % (r["id"], r["id"]))
    elif m.group(1) != r["severity"]:
        bad.append("%s: section says %s, catalogue %s" % (r["id"], m.group(1), r["severity"]))

# Every rule the code reports has its case, pinning each severity.
code = ""
for d, _, files in os.walk(os.path.join(src, "src")):
    for f in files:
        if f.endswith(".c") and f != "rules.c":
            code += open(os.path.join(d, f), encoding="utf-8").read()
for r in rules:
    enum = "OKRA_RULE_" + r["id"].upper().replace("-", "_")
    if '"%s"' % r["id"] not in code and enum not in code:
        print("not reported by any code yet:", r["id"])
        continue
    dirs = [os.path.join(src, "tests", k, r["id"]) for k in ("errors", "cases")]
    dirs = [d for d in dirs if os.path.isdir(d)]
    if not dirs:
        bad.append("%s: no tests/errors/%s/ or tests/cases/%s/" % (r["id"], r["id"], r["id"]))
        continue
    expected = open(os.path.join(dirs[0], "expected")).read()
    for sev in r["severities"]:
        if not re.search(r"^\S+:\d+:\d+: %s: .* \[%s\]$" % (sev, re.escape(r["id"])), expected, re.M):
            bad.append("%s: %s/expected pins no %s at a position" % (r["id"], dirs[0], sev))

# Every finding shown in docs/lint.md is real output.
for line in re.findall(r"^\S+:\d+:\d+: (?:error|warning|info): .* \[[a-z-]+\]$", doc, re.M):
    rule = line.rsplit("[", 1)[1][:-1]
    cases = ""
    for k in ("errors", "cases"):
        p = os.path.join(src, "tests", k, rule, "expected")
        if os.path.exists(p):
            cases += open(p).read()
    if line not in examples and line not in cases:
        bad.append("docs/lint.md shows output okra does not print:\n  " + line)

for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
finish
