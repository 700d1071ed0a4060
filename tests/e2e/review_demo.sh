#!/bin/sh
# The weekly review of the demo workspace at a fixed seed, size and as-of
# day, against golden files in tests/golden/review-demo/: status (text),
# review as text, markdown and JSON.  The first review (a week earlier) is
# saved (--save), so the second shows the change since it; a review in
# between that is only read changes nothing.  Also: every light is
# reached by real computation, every suggestion names numbers, and the
# review works for one team.
#
# To accept new output on purpose: UPDATE=1 sh tests/e2e/review_demo.sh
# (with OKRA and SRCDIR set), then read the diff before committing.
. "$(dirname "$0")/lib.inc"

GOLD=$SRCDIR/tests/golden/review-demo
W=$TMP/demo
"$OKRA" demo "$W" --no-review --events 200000 --seed 1 --end 2026-03-10 >/dev/null 2>&1 ||
	fail "okra demo failed"
"$OKRA" -C "$W" ingest >/dev/null 2>&1 || fail "okra ingest failed"

# golden NAME CMD...: the output of CMD equals $GOLD/NAME.
golden() {
	name=$1; shift
	CHECKS=$((CHECKS + 1))
	"$@" >"$TMP/$name" 2>&1 || fail "'$*' exited $?"
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$TMP/$name" "$GOLD/$name"
	elif ! diff -u "$GOLD/$name" "$TMP/$name"; then
		fail "$name differs from the golden file (- golden, + actual)"
	fi
}

golden status.txt "$OKRA" -C "$W" status --asof 2026-03-10
expect_status 0 "$OKRA" -C "$W" review --asof 2026-03-03 --format json --save
# Reading a review changes nothing: only --save stores one.
expect_status 0 "$OKRA" -C "$W" review --asof 2026-03-06
golden review.txt "$OKRA" -C "$W" review --asof 2026-03-10
golden review.md "$OKRA" -C "$W" review --asof 2026-03-10 --format md
golden review.json "$OKRA" -C "$W" review --asof 2026-03-10 --format json
# Output people paste: Slack, the status as markdown, the summary.
golden review.slack "$OKRA" -C "$W" review --asof 2026-03-10 --format slack
golden status.md "$OKRA" -C "$W" status --asof 2026-03-10 --format md
golden summary.txt "$OKRA" -C "$W" review --asof 2026-03-10 --summary
golden summary.md "$OKRA" -C "$W" review --asof 2026-03-10 --summary --format md
golden summary.slack "$OKRA" -C "$W" status --asof 2026-03-10 --summary --format slack
golden summary.json "$OKRA" -C "$W" review --asof 2026-03-10 --summary --format json
# The status and the review give the same summary.
expect_status 0 "$OKRA" -C "$W" status --asof 2026-03-10 --summary
CHECKS=$((CHECKS + 1))
cmp -s "$TMP/out" "$TMP/summary.txt" || fail "status --summary differs from review --summary"
# Slack's markup: no tables, no # headings; emoji lights; titles.
CHECKS=$((CHECKS + 1))
! grep -q '^#\|^|\|^ *| ' "$TMP/review.slack" || fail "the Slack review has a heading or a table"
for want in ":red_circle:" ":large_green_circle:" "*Increase week-4 retention of new users from 48.1% to 63.1%*"; do
	CHECKS=$((CHECKS + 1))
	grep -qF -- "$want" "$TMP/review.slack" || fail "the Slack review lacks '$want'"
done
# Lint findings stay out of the story: counted, with a pointer.
CHECKS=$((CHECKS + 1))
! grep -q 'target-sandbagged' "$TMP/review.txt" "$TMP/review.md" "$TMP/review.slack" "$TMP/summary.txt" ||
	fail "a lint finding is in the narrative"
expect_status 2 "$OKRA" -C "$W" review --summary --format html
expect_out "--summary is text, md, slack or json, not html"
expect_status 2 "$OKRA" -C "$W" status --format html
expect_out "unknown format 'html' (text, md, slack or json)"

# Every light from real computation, and the change since the last review.
for light in "● green" "▲ yellow" "■ red" "✓ done"; do
	CHECKS=$((CHECKS + 1))
	grep -qF "$light" "$TMP/status.txt" || fail "status has no '$light'"
done
CHECKS=$((CHECKS + 1))
grep -qF "previous review: 2026-03-03" "$TMP/review.txt" ||
	fail "the review does not name the previous one"

# Every suggestion names a number.
CHECKS=$((CHECKS + 1))
sed -n '/^3. What should we change/,/^Balanced/p' "$TMP/review.txt" |
	grep '^  - ' | grep -v '[0-9]' >"$TMP/bare"
[ -s "$TMP/bare" ] && { fail "suggestions without numbers:"; cat "$TMP/bare"; }

# A team's review holds its own lint findings only: an objective of core
# with one key result (objective-kr-count) is core's to fix, not growth's.
W2=$TMP/demo-teams
cp -R "$W" "$W2"
cat >"$W2/okrs/extra.yaml" <<'YAML'
objectives:
  - id: core_extra
    title: Make the reporting workflow faster for enterprise admins
    team: core
    quarter: 2026-Q1
    parent: north_star
    key_results:
      - {id: extra_kr, title: Raise habitual accounts from 50% to 60%, metric: habitual_accounts, baseline: 0.5, target: 0.6}
YAML
# (The findings are in the JSON; the text counts them, out of the story.)
expect_status 0 "$OKRA" -C "$W2" review --asof 2026-03-10 --team growth --format json
expect_no_out "core_extra"
expect_status 0 "$OKRA" -C "$W2" review --asof 2026-03-10 --team core --format json
expect_out 'objective \"core_extra\" has 1 key result'
expect_status 0 "$OKRA" -C "$W2" review --asof 2026-03-10 --team core
expect_no_out 'objective "core_extra" has 1 key result'
expect_out "lint: 0 errors, 5 warnings, 1 info (okra lint for details)"
# (5 warnings: core_extra is also the second objective of team core in 2026-Q1, team-objectives.)

# One team; an unknown team is a usage error with a suggestion.
expect_status 0 "$OKRA" -C "$W" status --asof 2026-03-10 --team growth
expect_out "team_collaboration"
expect_no_out "fast_activation"
expect_status 2 "$OKRA" -C "$W" status --team grwth
expect_out "unknown team 'grwth' (did you mean 'growth'?)"
expect_status 2 "$OKRA" -C "$W" review --asof 2026-13-01
expect_out "asof must be a date YYYY-MM-DD"
expect_status 2 "$OKRA" -C "$W" review --format csv
expect_out "unknown format 'csv'"

# -o writes the file whole; a folder that does not exist is an error.
expect_status 0 "$OKRA" -C "$W" review --asof 2026-03-10 --format md -o "$TMP/r.md"
CHECKS=$((CHECKS + 1))
cmp -s "$TMP/r.md" "$TMP/review.md" || fail "-o wrote something else than stdout"
expect_status 2 "$OKRA" -C "$W" review -o "$TMP/no/such/dir/r.md"
expect_out "cannot write"
# Confidence stays in the table beside the change since the last review
# (text and markdown).
expect_status 0 "$OKRA" -C "$W" confidence activation 7 --date 2026-03-09
expect_status 0 "$OKRA" -C "$W" review --asof 2026-03-10
expect_out "since last  confidence"
expect_out "+12.0 pts, was red        7/10"
expect_status 0 "$OKRA" -C "$W" review --asof 2026-03-10 --format md
expect_out "| since last | confidence |"
expect_out "| +12.0 pts, was red | 7/10 |"
finish
