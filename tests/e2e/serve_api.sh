#!/bin/sh
# okra serve, the JSON API over real HTTP on loopback: the same bytes as
# the command line's JSON, writes with the token that show up at once,
# the response cache, reloading when the YAML or the data change, and a
# graceful stop with a request in flight.
. "$(dirname "$0")/lib.inc"
. "$(dirname "$0")/serve_lib.inc"

W="$TMP/demo"
TOKEN=serve-api-token-0123456789
export OKRA_TOKEN=$TOKEN
"$OKRA" demo "$W" --events 30000 --seed 7 --end 2026-03-10 >"$TMP/demo.log" 2>&1 ||
	{ fail "okra demo failed"; sed 's/^/  | /' "$TMP/demo.log"; finish; }
"$OKRA" -C "$W" ingest >/dev/null 2>&1
start_server "$W" || finish

# ---- the same JSON as the command line --------------------------------
"$OKRA" -C "$W" metrics --format json >"$TMP/cli-metrics.json"
expect 200 GET /api/metrics
expect_header "Content-Type: application/json"
expect_header "X-Content-Type-Options: nosniff"
expect_header "Content-Security-Policy: default-src 'none'"
same_as "$TMP/cli-metrics.json"

"$OKRA" -C "$W" metrics --asof 2026-02-01 --by tier --format json >"$TMP/cli-by.json"
expect 200 GET "/api/metrics?asof=2026-02-01&by=tier"
same_as "$TMP/cli-by.json"

"$OKRA" -C "$W" metrics --where tier=pro --format json >"$TMP/cli-where.json"
expect 200 GET "/api/metrics?where=tier%3Dpro"
same_as "$TMP/cli-where.json"

"$OKRA" -C "$W" series activation_rate --grain month --from 2025-10-01 --to 2026-03-10 --by tier --format json >"$TMP/cli-series.json"
expect 200 GET "/api/series/activation_rate?grain=month&from=2025-10-01&to=2026-03-10&by=tier"
same_as "$TMP/cli-series.json"

# One point cap, with or without "to": a day grain from 1970 is refused.
expect 400 GET "/api/series/weekly_engaged_accounts?grain=day&from=1970-01-01"
expect_json_error
expect_out "points is too long (at most 2000)"
expect 400 GET "/api/series/weekly_engaged_accounts?grain=day&from=1970-01-01&to=2026-03-10"
expect_json_error

"$OKRA" -C "$W" series weekly_engaged_accounts --format json >"$TMP/cli-series2.json"
expect 200 GET /api/series/weekly_engaged_accounts
same_as "$TMP/cli-series2.json"

"$OKRA" -C "$W" lint --format json >"$TMP/cli-lint.json"
expect 200 GET /api/lint
same_as "$TMP/cli-lint.json"

# The roll-up: the same bytes as okra status --rollup --format json, and
# its page.
"$OKRA" -C "$W" status --rollup --asof 2026-03-10 --format json >"$TMP/cli-rollup.json"
expect 200 GET "/api/rollup?asof=2026-03-10"
same_as "$TMP/cli-rollup.json"
"$OKRA" -C "$W" status --rollup --asof 2026-03-10 --team core --format json >"$TMP/cli-rollup-core.json"
expect 200 GET "/api/rollup?asof=2026-03-10&team=core"
same_as "$TMP/cli-rollup-core.json"
expect 404 GET "/api/rollup?team=nobody"
expect_json_error

# The review: the API never stores a snapshot, the CLI does; a snapshot
# of the same as-of does not change the review, so both agree.
expect 200 GET "/api/review?asof=2026-03-10"
cp "$TMP/out" "$TMP/api-review.json"
"$OKRA" -C "$W" review --asof 2026-03-10 --format json >"$TMP/cli-review.json"
CHECKS=$((CHECKS + 1))
cmp -s "$TMP/api-review.json" "$TMP/cli-review.json" ||
	{ fail "/api/review differs from okra review --format json"; diff "$TMP/cli-review.json" "$TMP/api-review.json" | head; }
expect 200 GET "/api/review?asof=2026-03-10&team=onboarding"
expect_out '"team":"onboarding"'

# ---- the cache: a second view is a lookup -------------------------------
# (okra review just stored a snapshot: let the server see that change
# first, or the second view could fall on the next version check.)
sleep 1.2
expect 200 GET "/api/series/weekly_engaged_accounts?grain=week"
expect 200 GET "/api/series/weekly_engaged_accounts?grain=week"
CHECKS=$((CHECKS + 1))
grep -q "GET /api/series/weekly_engaged_accounts 200 [0-9]*ms cached" "$TMP/serve.log" ||
	{ fail "the second view was not served from the cache"; tail -5 "$TMP/serve.log"; }
expect 200 GET /
expect 200 GET /
CHECKS=$((CHECKS + 1))
grep -q "GET / 200 [0-9]*ms cached" "$TMP/serve.log" ||
	fail "the second overview was not served from the cache"

# ---- writes with the token, seen at once ---------------------------------
auth="Authorization: Bearer $TOKEN"
json="Content-Type: application/json"
expect 201 POST /api/checkins -H "$auth" -H "$json" \
	--data '{"metric": "nps", "value": 42, "date": "2026-03-01", "note": "Q1 survey: ünïcødé <ok>"}'
expect_out '"ok":true'
expect_out '"value":42'
expect_out '"date":"2026-03-01"'
"$OKRA" -C "$W" checkins nps --format json >"$TMP/out" 2>&1
expect_out '"value":42'
expect_out 'ünïcødé <ok>'
expect 200 GET /metrics/nps
expect_out '&lt;ok&gt;'
expect_no_out '<ok>'
expect 201 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"nps","value":"43.5"}'
expect_out '"value":43.5'

kr=$(sed -n 's/^ *- id: \([a-z_]*\)$/\1/p' "$W/okrs/2026-Q1.yaml" | sed -n 2p)
expect 200 GET "/api/review?asof=2026-03-10"
expect_no_out '{"date":"2026-03-09","value":6}'
expect 201 POST /api/confidence -H "$auth" -H "$json" \
	--data "{\"kr\": \"$kr\", \"value\": 6, \"date\": \"2026-03-09\", \"note\": \"from the API\"}"
expect 200 GET "/api/review?asof=2026-03-10"
expect_out '{"date":"2026-03-09","value":6}'
expect 200 GET "/objectives/fast_activation"
expect_out 'from the API'
"$OKRA" -C "$W" confidence "$kr" --format json >"$TMP/out" 2>&1
expect_out '"value":6'

# ---- reloading: YAML and data changes are picked up ----------------------
sed 's/^    title: Make activation a fast, reliable path to value for new accounts/    title: Activation reloaded from the YAML/' \
	"$W/okrs/2026-Q1.yaml" >"$TMP/q1.yaml" && cat "$TMP/q1.yaml" >"$W/okrs/2026-Q1.yaml"
sleep 1.2
expect 200 GET /
expect_out "Activation reloaded from the YAML"

expect 200 GET /api/metrics
expect_out '"asof":"2026-03-10"'
last=$(tail -1 "$W/data/events.csv")
echo "$last" | sed 's/^2026-03-10/2026-03-11/' >>"$W/data/events.csv"
sleep 1.2
expect 200 GET /api/metrics
expect_out '"asof":"2026-03-11"'

# A broken YAML: 503 with the error, the lint page shows it, and a fix
# brings everything back.
cp "$W/okra.yaml" "$TMP/okra.yaml.good"
printf 'unknown_top_level_key: 1\n' >>"$W/okra.yaml"
sleep 1.2
expect 503 GET /api/metrics
expect_json_error
expect 200 GET /api/lint
expect_out 'key-unknown'
cp "$TMP/okra.yaml.good" "$W/okra.yaml"
sleep 1.2
expect 200 GET /api/metrics
alive

# ---- graceful stop: the request in flight finishes -----------------------
# A 500 KB body sent at 100 KB/s is still arriving when SIGTERM comes
# (2 s in); it is answered, the server exits 0 and the database is intact.
{ printf '{"metric":"nps","value":44,"date":"2026-03-05"}'; head -c 500000 /dev/zero | tr '\0' ' '; } >"$TMP/slow.json"
curl -s -o "$TMP/slow.out" -w '%{http_code}' --limit-rate 100K -H "$auth" -H "$json" \
	-H "Expect:" --data-binary @"$TMP/slow.json" "$BASE/api/checkins" >"$TMP/slow.status" &
cpid=$!
sleep 2
stop_server
wait $cpid
CHECKS=$((CHECKS + 2))
[ "$(cat "$TMP/slow.status")" = 201 ] || fail "the request in flight got $(cat "$TMP/slow.status"), not 201"
[ "$STOPPED" = 0 ] || fail "okra serve exited $STOPPED after SIGTERM"
grep -q "okra: stopped" "$TMP/serve.log" || fail "no 'stopped' line"
expect_status 0 "$OKRA" -C "$W" checkins nps
expect_out "44"

finish
