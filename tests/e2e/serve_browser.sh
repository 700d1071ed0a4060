#!/bin/sh
# okra serve in a real browser: Debian's Chromium driven by playwright-core
# (tests/browser/serve.mjs) opens every page, clicks objective -> key
# result -> metric explorer, switches segments, posts a check-in and a
# confidence with the token, and checks for console errors.  Screenshots
# go to serve-screenshots/ beside the okra binary (the build folder).
# Every page is also checked at 390 x 844 and 1400 x 1000 (overflow, chart
# text size, console errors).  Needs Node.js, npm and Chromium: without
# them it exits 77 and CTest reports it skipped.  Installs the npm
# packages of bench/ on first use.
. "$(dirname "$0")/lib.inc"
. "$(dirname "$0")/serve_lib.inc"

need_node chromium
npm_deps

W="$TMP/demo"
TOKEN=serve-browser-token-0123456789
"$OKRA" demo "$W" --events 40000 --seed 11 --end 2026-03-10 >"$TMP/demo.log" 2>&1 ||
	{ fail "okra demo failed"; sed 's/^/  | /' "$TMP/demo.log"; finish; }
# The first objective's title tries to break out of the HTML.
EVIL='<script>alert("pwned")</script> '"'"'quoted'"'"' — ünïcødé 日本'
EVIL="$EVIL" perl -pi -e 'if (/^    title: Make activation a fast/) { (my $t = $ENV{EVIL}) =~ s/'"'"'/'"''"'/g; $_ = "    title: '"'"'$t'"'"'\n" }' \
	"$W/okrs/2026-Q1.yaml"
OKRA_TOKEN=$TOKEN start_server "$W" || finish

SHOTS="$(dirname "$OKRA")/serve-screenshots"
CHECKS=$((CHECKS + 1))
CHROMIUM="$CHROMIUM" node "$SRCDIR/tests/browser/serve.mjs" "$BASE" "$TOKEN" "$SHOTS" >"$TMP/browser.log" 2>&1 ||
	fail "the browser test failed"
sed 's/^/  | /' "$TMP/browser.log"
stop_server
CHECKS=$((CHECKS + 1))
[ "$STOPPED" = 0 ] || fail "okra serve exited $STOPPED"
echo "screenshots: $SHOTS"
finish
