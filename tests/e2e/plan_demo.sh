#!/bin/sh
# The quarterly loop of the README on the demo workspace: okra plan
# drafts the next quarter for every team, the drafts lint without an
# error or a warning of their own, --explain shows the numbers behind a
# drafted target, --check scores the drafts below the threshold (their
# hypotheses are placeholders) and passes once one team's draft is
# written out and moved to review; a second okra plan rewrites the
# unedited drafts and leaves the edited one alone (exit 2).  okra retro
# looks back on the demo's quarter in markdown and HTML.
. "$(dirname "$0")/lib.inc"

W=$TMP/demo
"$OKRA" demo "$W" --no-review --events 200000 --seed 1 >/dev/null 2>&1 ||
	fail "okra demo failed"
q=$(ls "$W/okrs" | sed -n 's/^\([0-9]*\)-Q\([1-4]\)\.yaml$/\1 \2/p')
set -- $q
if [ "$2" = 4 ]; then next="$(($1 + 1))-Q1"; else next="$1-Q$(($2 + 1))"; fi

expect_status 0 "$OKRA" -C "$W" plan "$next"
for team in onboarding core growth; do
	[ -f "$W/okrs/$next-$team.draft.yaml" ] || fail "no draft for $team"
	expect_out "$team ("
done
expect_status 0 "$OKRA" -C "$W" lint --format json
CHECKS=$((CHECKS + 1))
python3 - "$TMP/out" <<'PY' || fail "the drafts have lint errors or warnings"
import json, sys
bad = [f for f in json.load(open(sys.argv[1]))
       if ".draft.yaml" in f["file"] and f["severity"] != "info"]
for f in bad:
    print(f)
sys.exit(1 if bad else 0)
PY
# A target the model pushed to a share's limit claims no chance: the
# demo's activation rate trends into 100%, and its draft says so.
CHECKS=$((CHECKS + 1))
grep -h 'target: 1\.000\|target: 0\.000' "$W"/okrs/*.draft.yaml | grep -v "the metric's limit" &&
	fail "a target at a share's limit claims to be calibrated"
CHECKS=$((CHECKS + 1))
grep -q "target: 1.000  # the metric's limit" "$W/okrs/$next-onboarding.draft.yaml" ||
	fail "the activation rate's target at 100% does not say it is the limit"
kr=$(sed -n 's/^      - id: \(.*\)$/\1/p' "$W/okrs/$next-onboarding.draft.yaml" | head -1)
expect_status 0 "$OKRA" -C "$W" plan --explain "$kr"
expect_out "calibrated target"
expect_out "continuing the trend"
expect_status 1 "$OKRA" -C "$W" plan --check "$next"
expect_out "status draft: below"

# The onboarding team writes its hypotheses and asks for review.
f=$W/okrs/$next-onboarding.draft.yaml
sed -e 's/<a change>/a guided setup/' \
    -e 's/<why users would behave differently>/fewer people stall on the first step/' \
    -e 's/status: draft/status: review/' "$f" >"$f.new" && mv "$f.new" "$f"
expect_status 0 "$OKRA" -C "$W" lint
expect_status 0 "$OKRA" -C "$W" plan --check "$next" --threshold 0.5
expect_out "onboarding        100%"
expect_status 2 "$OKRA" -C "$W" plan "$next"
expect_out "was edited since okra plan wrote it"
expect_out "wrote okrs/$next-core.draft.yaml"

# The retrospective of the demo's quarter: markdown, and one HTML page
# that holds every section and loads nothing.
cur="$1-Q$2"
expect_status 0 "$OKRA" -C "$W" retro "$cur"
expect_out "# Retrospective of $cur"
expect_out "## Calibration"
expect_status 0 "$OKRA" -C "$W" retro "$cur" --format html -o "$TMP/retro.html"
CHECKS=$((CHECKS + 1))
python3 - "$TMP/retro.html" <<'PY' || fail "the retrospective page is not whole"
import html.parser, sys
text = open(sys.argv[1]).read()
class P(html.parser.HTMLParser):
    ids, bad = set(), []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a: self.ids.add(a["id"])
        if tag in ("script", "link", "img") or "style" in a: self.bad.append(tag)
p = P(); p.feed(text)
want = {"calibration", "scores", "moved", "hypotheses", "waived"}
sys.exit(0 if want <= p.ids and not p.bad and text.rstrip().endswith("</html>") else 1)
PY
expect_status 2 "$OKRA" -C "$W" retro "$next"
expect_out "has not started in the data"
finish
