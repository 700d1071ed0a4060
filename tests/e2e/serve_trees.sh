#!/bin/sh
# okra serve and KPI trees: /api/trees/{id} answers with the bytes of
# `okra tree ID --format json`, /api/metrics?compare= with those of
# `okra metrics --compare`; the tree page draws the tree as SVG cards with
# its pickers and drivers, the explorer shows n and the comparison; bad
# trees, dates and pins are 4xx with a JSON error, and the server keeps
# serving.
. "$(dirname "$0")/lib.inc"
. "$(dirname "$0")/serve_lib.inc"

W="$TMP/demo"
"$OKRA" demo "$W" --events 30000 --seed 3 --end 2026-03-10 --no-review >"$TMP/demo.log" 2>&1 ||
	{ fail "okra demo failed"; sed 's/^/  | /' "$TMP/demo.log"; finish; }
"$OKRA" -C "$W" ingest >/dev/null 2>&1
start_server "$W" || finish

# ---- the same JSON as the command line --------------------------------
"$OKRA" -C "$W" tree revenue_tree --from 2026-02-10 --to 2026-03-10 --by tier --format json >"$TMP/cli-tree.json"
expect 200 GET "/api/trees/revenue_tree?from=2026-02-10&to=2026-03-10&by=tier"
expect_header "Content-Type: application/json"
same_as "$TMP/cli-tree.json"
expect_out '"drivers":[' 

"$OKRA" -C "$W" tree product_health --where tier=pro --format json >"$TMP/cli-pin.json"
expect 200 GET "/api/trees/product_health?where=tier%3Dpro"
same_as "$TMP/cli-pin.json"
expect_out 'nps is a manual metric'

"$OKRA" -C "$W" metrics --compare prev --by tier --format json >"$TMP/cli-cmp.json"
expect 200 GET "/api/metrics?compare=prev&by=tier"
same_as "$TMP/cli-cmp.json"
expect_out '"compare":{"asof":'

# ---- errors: JSON, 4xx, and the server goes on ---------------------------
expect 404 GET /api/trees/revenu_tree
expect_json_error
expect_out 'did you mean \"revenue_tree\"'
expect 400 GET "/api/trees/revenue_tree?from=2026-03-10&to=2026-03-01"
expect_json_error
expect_out 'must be before'
expect 400 GET "/api/trees/revenue_tree?from=2026-02-30"
expect_json_error
expect 400 GET "/api/trees/revenue_tree?where=tier%3Dgold"
expect_out 'no account has tier'
expect 400 GET "/api/trees/revenue_tree?depth=3"
expect_out 'unknown query parameter'
expect 400 GET "/api/metrics?compare=lastweek"
expect_out 'compare must be prev, yoy or a date'
alive

# ---- pages -----------------------------------------------------------------
expect 200 GET /trees -H "Accept: text/html"
expect_header "Content-Type: text/html"
expect_out 'href="/trees/product_health"'
expect_out 'What moves product health'
expect 200 GET "/trees/revenue_tree?from=2026-02-10&to=2026-03-10&by=tier" -H "Accept: text/html"
expect_out '<svg class="okra-tree"'
expect_out '<a href="/metrics/new_mrr?to=2026-03-10">'
expect_out 'name="from" value="2026-02-10"'
expect_out '<option value="tier=enterprise">'
expect_out '<h2>Top drivers</h2>'
expect_out 'of that came from tier='
expect_no_out 'style='
expect 200 GET "/trees/engagement_tree" -H "Accept: text/html"
expect_out 'class="te tl"'
expect_out 'linked: not attributed'
expect 200 GET "/trees/product_health?where=tier%3Dpro" -H "Accept: text/html"
expect_out '<h2>Not attributed</h2>'
expect_out 'no value where tier=pro'
expect 404 GET /trees/nope -H "Accept: text/html"
expect_header "Content-Type: text/html"

# The explorer: n beside every segment of a share, the comparison on.
expect 200 GET "/metrics/activation_rate?compare=prev&by=tier" -H "Accept: text/html"
expect_out 'One period earlier'
expect_out '<abbr title="the sample'
expect_out 'aria-current="true">prev</a>'
expect 200 GET "/metrics/activation_rate?compare=yoy" -H "Accept: text/html"
expect_out 'A year earlier'
alive

stop_server
finish
