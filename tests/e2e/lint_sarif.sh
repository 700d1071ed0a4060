#!/bin/sh
# okra lint --format sarif: a SARIF 2.1.0 log for code scanning in pull
# requests.  Checked against okra's own JSON findings and rule catalogue:
# the tool's rules are the catalogue (id, descriptions, default level);
# every finding is a result with its rule, level (info is SARIF's "note"),
# message and location (path relative to the workspace, line, column);
# suppressed findings are counted in the run's properties.  A workspace
# that cannot be loaded still gets a valid log, with exit status 2.
. "$(dirname "$0")/lib.inc"

ws="$TMP/ws"
cp -R "$SRCDIR/tests/cases/lint-suppress" "$ws"
rm -f "$ws/cmd" "$ws/expected" "$ws/status" "$ws/README.md"
# one more objective with findings of every severity
cat >"$ws/more.yaml" <<'YAML'
objectives:
  - id: vague
    title: Improve the product
    quarter: 2026-Q4
    key_results:
      - {id: ship_it, title: Ship the new dashboard, baseline: 0, target: 1}
      - id: many
        title: Grow weekly reports from 10 to 20
        metric: weekly_reports
        baseline: 10
        target: 20
        hypotheses: [a, b, c, d, e, f]
YAML
expect_status 1 "$OKRA" -C "$ws" lint --format sarif
# the suppressed count goes to stderr beside a format that has no place
# for it in its shape
expect_out "okra: 7 findings suppressed: 4 by lint.disable, 3 by lint_ignore"
"$OKRA" -C "$ws" lint --format sarif >"$TMP/log.sarif" 2>/dev/null
"$OKRA" -C "$ws" lint --format json >"$TMP/findings.json" 2>/dev/null
"$OKRA" lint --explain --format json >"$TMP/rules.json"

check() {
	python3 - "$1" "$TMP/findings.json" "$TMP/rules.json" "$2" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
want_findings = json.load(open(sys.argv[2])) if sys.argv[4] == "findings" else None
rules = json.load(open(sys.argv[3]))
assert log["version"] == "2.1.0", log["version"]
assert "sarif-2.1.0" in log["$schema"]
assert len(log["runs"]) == 1
run = log["runs"][0]
driver = run["tool"]["driver"]
assert driver["name"] == "okra" and driver["version"]
levels = {"error": "error", "warning": "warning", "info": "note"}
assert [r["id"] for r in driver["rules"]] == [r["id"] for r in rules]
for got, want in zip(driver["rules"], rules):
    assert got["shortDescription"]["text"] == want["summary"]
    assert got["fullDescription"]["text"] == want["details"]
    assert got["help"]["text"] == want["fix"]
    assert got["defaultConfiguration"]["level"] == levels[want["severity"]]
for res in run["results"]:
    assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
    assert res["level"] in ("error", "warning", "note")
    assert res["message"]["text"]
    for loc in res.get("locations", []):
        uri = loc["physicalLocation"]["artifactLocation"]["uri"]
        assert not uri.startswith("/"), uri
        region = loc["physicalLocation"].get("region")
        if region:
            assert region["startLine"] >= 1 and region["startColumn"] >= 1
if want_findings is not None:
    got = [(r["ruleId"], r["level"], r["message"]["text"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"])
           for r in run["results"]]
    want = [(f["rule"], levels[f["severity"]], f["message"], f["file"],
             f["line"], f["column"]) for f in want_findings]
    assert got == want, (got, want)
    assert {r["level"] for r in run["results"]} == {"error", "warning", "note"}, "every level"
    assert run["properties"]["suppressed"] == {"lint.disable": 4, "lint_ignore": 3}, run["properties"]
print("ok", len(run["results"]), "results")
PY
}
CHECKS=$((CHECKS + 1))
check "$TMP/log.sarif" findings || fail "the SARIF log does not match the findings"

# Structural errors: exit 2, and still a valid log with the errors.
printf 'workspace: w\nmetrics:\n  - {id: a, type: count, event: x, colour: red}\n' >"$TMP/broken.yaml"
mkdir -p "$TMP/broken" && mv "$TMP/broken.yaml" "$TMP/broken/okra.yaml"
expect_status 2 "$OKRA" -C "$TMP/broken" lint --format sarif
expect_out '"ruleId":"key-unknown"'
"$OKRA" -C "$TMP/broken" lint --format sarif >"$TMP/broken.sarif" 2>/dev/null
CHECKS=$((CHECKS + 1))
check "$TMP/broken.sarif" none || fail "the SARIF log of a broken workspace is not valid"
# --explain has no SARIF form.
expect_status 2 "$OKRA" lint --explain --format sarif
expect_out "okra lint: --explain is text or json"
finish
