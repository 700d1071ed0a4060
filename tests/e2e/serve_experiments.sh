#!/bin/sh
# The dashboard's experiments (SPEC 14): GET /api/experiments and
# /api/experiments/{id} answer what okra experiments / okra experiment
# --format json print, byte for byte; the pages show the readout (the
# decision, SRM and power badges, per-variant bars with their intervals,
# the guardrails) and the form; POST /api/experiments/{id}/decision needs
# the bearer token, checks its body, and records the decision with okra's
# computed one, which the next GET shows; the form does the same with the
# token field and redirects back to the page.
. "$(dirname "$0")/lib.inc"
. "$(dirname "$0")/serve_lib.inc"

TOKEN=serve-experiments-token-0123456789
export OKRA_TOKEN=$TOKEN
W=$TMP/demo
"$OKRA" demo "$W" --no-review --events 300000 --seed 3 --end 2026-12-06 >/dev/null 2>&1 || fail "okra demo failed"
"$OKRA" -C "$W" experiments --format json >"$TMP/list.json" 2>/dev/null
"$OKRA" -C "$W" experiment progress_indicator --asof 2026-11-20 --format json >"$TMP/one.json" 2>/dev/null
start_server "$W" --quiet || finish

expect 200 GET /api/experiments
expect_header "Content-Type: application/json"
same_as "$TMP/list.json"
expect 200 GET "/api/experiments/progress_indicator?asof=2026-11-20"
same_as "$TMP/one.json"
expect_out '"status":"running","days_left":8'
expect 404 GET /api/experiments/progress_indicater
expect_json_error
expect_out 'unknown experiment'
expect 400 GET "/api/experiments/progress_indicator?asof=2026-13-01"
expect 400 GET "/api/experiments?by=tier"

expect 200 GET /experiments -H "Accept: text/html"
expect_out 'href="/experiments/progress_indicator"'
expect_out 'class="decision d-'
expect 200 GET /experiments/progress_indicator -H "Accept: text/html"
expect_out '<figure class="exp-bars">'
expect_out 'class="whisker"'
expect_out 'SRM ok'
expect_out 'power '
expect_out 'support_tickets_per_account'
expect_out 'action="/forms/decision"'
expect_out 'name="token"'
expect_no_out ' style="'

# The decision: token, body and values checked before anything is written.
expect 401 POST /api/experiments/progress_indicator/decision -H "Content-Type: application/json" -d '{"decision":"ship"}'
expect_json_error
expect 401 POST /api/experiments/progress_indicator/decision -H "Authorization: Bearer wrong-token-0123456789" -H "Content-Type: application/json" -d '{"decision":"ship"}'
A="Authorization: Bearer $TOKEN"
expect 400 POST /api/experiments/progress_indicator/decision -H "$A" -H "Content-Type: application/json" -d '{"decision":"maybe"}'
expect_out 'a decision is ship, stop or iterate'
expect 400 POST /api/experiments/progress_indicator/decision -H "$A" -H "Content-Type: application/json" -d '{"decision":"ship","verdict":"yes"}'
expect_out 'unknown field'
expect 400 POST /api/experiments/progress_indicator/decision -H "$A" -H "Content-Type: application/json" -d '{"decision":"ship","date":"2999-01-01"}'
expect_out 'in the future'
expect 400 POST /api/experiments/progress_indicator/decision -H "$A" -H "Content-Type: application/json" -d 'not json'
expect 404 POST /api/experiments/nope/decision -H "$A" -H "Content-Type: application/json" -d '{"decision":"ship"}'
expect 405 GET /api/experiments/progress_indicator/decision
CHECKS=$((CHECKS + 1))
[ ! -e "$W/.okra/okra.db" ] || [ "$(sqlite3 "$W/.okra/okra.db" 'SELECT count(*) FROM decision' 2>/dev/null || echo 0)" = 0 ] || fail "a refused decision was written"
expect 201 POST /api/experiments/progress_indicator/decision -H "$A" -H "Content-Type: application/json" -d '{"decision":"stop","note":"support load","date":"2026-12-01"}'
expect_out '"decision":"stop","date":"2026-12-01","note":"support load","computed":"'
expect 200 GET /api/experiments/progress_indicator
expect_out '"recorded":{"date":"2026-12-01","decision":"stop","note":"support load","computed":"'
# The form: the token in a field, then back to the page.
expect 303 POST /forms/decision -H "Content-Type: application/x-www-form-urlencoded" -d "experiment=progress_indicator&decision=iterate&note=&token=$TOKEN"
expect_header "Location: /experiments/progress_indicator"
expect 401 POST /forms/decision -H "Content-Type: application/x-www-form-urlencoded" -d "experiment=progress_indicator&decision=iterate"
expect 200 GET /experiments/progress_indicator -H "Accept: text/html"
expect_out 'Recorded: iterate on'
alive
stop_server
finish
