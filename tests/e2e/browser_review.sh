#!/bin/sh
# The HTML review in a real browser (tests/browser/review.mjs): the demo
# workspace's review opens in headless Chromium without a console error,
# without any request but the file itself, with a chart per key result
# and every status label drawn. The full-page screenshot goes to
# $BUILD_DIR/review.png for people (and CI artifacts) to look at.
# Needs Node.js, npm and Chromium (scripts/install-deps): without them it
# exits 77 and CTest reports it skipped. Installs the npm packages of
# bench/ on first use. Never downloads a browser. The screenshots at a
# phone's and a desktop's width, light and dark, go beside review.png.
. "$(dirname "$0")/lib.inc"

need_node chromium
npm_deps

# The demo as of its last day: green, yellow and red key results.
expect_status 0 "$OKRA" demo "$TMP/demo" --events 200000 --seed 1 --end 2026-03-10
expect_status 0 "$OKRA" -C "$TMP/demo" review --asof 2026-03-10 --format html -o "$TMP/demo/review.html"
[ -s "$TMP/demo/review.html" ] || { fail "okra review wrote no review.html"; finish; }

OUT=${BUILD_DIR:-build}
mkdir -p "$OUT"
expect_status 0 node "$SRCDIR/tests/browser/review.mjs" "$TMP/demo/review.html" "$OUT/review.png"
expect_out "browser review: "
expect_out " 0 failed"
[ -s "$OUT/review.png" ] || fail "no screenshot at $OUT/review.png"
echo "screenshot: $OUT/review.png"

finish
